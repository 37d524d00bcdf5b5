/* vouch-acme-server-order.c: newOrder (dns and RFC 8738 ip identifiers),
 * the orders list, authorizations (and their deactivation) and
 * challenges (http-01, tls-alpn-01), each readable only by its account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-server"

#include "vouch-config.h"

#include "vouch-acme-server-private.h"

#include "vouch-names.h"

#include <glib/gi18n-lib.h>

/* How long a client has to prove its names and finalize. */
#define ORDER_LIFETIME (7 * 24 * 3600)
#define MAX_IDENTIFIERS 100

static const char * const challenge_types[] = { "http-01", "tls-alpn-01" };

static gboolean
not_found (VouchAcmeCall  *call,
           GError        **error)
{
  soup_server_message_set_status (call->msg, SOUP_STATUS_NOT_FOUND, NULL);
  g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                       _("No such ACME resource"));
  return FALSE;
}

/* @order (taken), as read, if it is the requesting account's, as the
 * account may see it. */
static VouchAcmeOrder *
check_order (VouchAcmeCall   *call,
             VouchAcmeOrder  *order_in,
             GError         **error)
{
  g_autoptr(VouchAcmeOrder) order = order_in;
  const char *id;

  if (order == NULL)
    {
      not_found (call, error);
      return NULL;
    }
  id = order->id;
  if (!g_str_equal (order->account_id, call->account->id))
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                           _("This order belongs to another account"));
      return NULL;
    }

  /* Its certificate is committed, with the order valid, before the
   * commit is synced: until the signature's task (which syncs) is done,
   * the client must not see it, so a power cut cannot lose a certificate
   * in use. */
  if (g_str_equal (order->status, "valid") && g_hash_table_contains (call->server->signing, id))
    {
      g_free (order->status);
      order->status = g_strdup ("processing");
      g_clear_pointer (&order->serial, g_free);
    }

  /* An order nobody finished in time expires (RFC 8555 §7.1.6). */
  if ((g_str_equal (order->status, "pending") || g_str_equal (order->status, "ready")) &&
      order->expires < g_get_real_time () / G_USEC_PER_SEC)
    {
      vouch_acme_store_set_order_status (call->server->store, id, order->status, "invalid", NULL,
                                         NULL);
      g_free (order->status);
      order->status = g_strdup ("invalid");
    }
  return g_steal_pointer (&order);
}

/* The order @id if it is the requesting account's. */
VouchAcmeOrder *
_vouch_acme_lookup_order (VouchAcmeCall  *call,
                          const char     *id,
                          GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  VouchAcmeOrder *order = vouch_acme_store_lookup_order (call->server->store, id, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return check_order (call, order, error);
}

/* The authorization @id, read with its order in one statement, if the
 * order is the requesting account's. */
static VouchAcmeAuthz *
lookup_authz (VouchAcmeCall  *call,
              const char     *id,
              GError        **error)
{
  g_autoptr(VouchAcmeAuthz) authz = NULL;
  g_autoptr(VouchAcmeOrder) order = NULL;
  VouchAcmeOrder *read = NULL;
  g_autoptr(GError) local_error = NULL;

  authz = vouch_acme_store_lookup_authz_and_order (call->server->store, id, &read, &local_error);
  if (authz == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        not_found (call, error);
      return NULL;
    }
  order = check_order (call, read, error);
  if (order == NULL)
    return NULL;
  if (g_str_equal (authz->status, "pending") && g_str_equal (order->status, "invalid"))
    {
      g_free (authz->status);
      authz->status = g_strdup ("invalid");
    }
  return g_steal_pointer (&authz);
}

/* One identifier of newOrder, normalized the way the signing policy
 * normalizes a CSR's names, so the two can be compared at finalize. */
static char *
read_identifier (JsonNode    *node,
                 char       **type_out,
                 GError     **error)
{
  JsonObject *object;
  const char *type, *value;
  g_autofree char *normalized = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto malformed;
  object = json_node_get_object (node);
  type = json_object_get_string_member_with_default (object, "type", NULL);
  value = json_object_get_string_member_with_default (object, "value", NULL);
  if (type == NULL || value == NULL)
    goto malformed;

  if (!g_str_equal (type, "dns") && !g_str_equal (type, "ip"))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNSUPPORTED_IDENTIFIER,
                   _("Identifiers of type “%s” are not supported; use dns or ip"), type);
      return NULL;
    }
  /* Some clients (Debian's lego) send an address as a dns identifier; it
   * can only mean the address, so it is kept as the ip identifier it is. */
  if (g_str_equal (type, "dns") && vouch_names_is_address (value))
    type = "ip";
  if (g_str_equal (type, "ip") != vouch_names_is_address (value))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                   _("“%s” is not an identifier of type %s"), value, type);
      return NULL;
    }
  if (g_str_has_prefix (value, "*."))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                   _("Wildcard names cannot be proven with http-01 or tls-alpn-01"));
      return NULL;
    }
  normalized = vouch_names_normalize (value, &local_error);
  if (normalized == NULL)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                   _("“%s” is not a valid name: %s"), value, local_error->message);
      return NULL;
    }
  *type_out = g_strdup (type);
  return g_steal_pointer (&normalized);

malformed:
  g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                       _("Each identifier needs a type and a value"));
  return NULL;
}

typedef struct
{
  VouchAcmeCall    *call;
  VouchAcmeRequest *request;
} NewOrderData;

static void
create_order (VouchAcmeCall    *call,
              VouchAcmeRequest *request)
{
  gint64 expires = g_get_real_time () / G_USEC_PER_SEC + ORDER_LIFETIME;
  g_autoptr(VouchAcmeOrder) order = g_new0 (VouchAcmeOrder, 1);
  g_autoptr(GPtrArray) authzs = g_ptr_array_new_with_free_func ((GDestroyNotify)vouch_acme_authz_free);
  g_autoptr(GPtrArray) challenges = g_ptr_array_new_with_free_func ((GDestroyNotify)vouch_acme_challenge_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) identifiers = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  order->id = g_strdup (request->order_id);
  order->account_id = g_strdup (call->account->id);
  order->status = g_strdup ("pending");
  order->expires = expires;
  order->client_address = g_strdup (call->client_address);

  json_builder_begin_array (builder);
  for (guint i = 0; request->identifier_values[i] != NULL; i++)
    {
      VouchAcmeAuthz *authz = g_new0 (VouchAcmeAuthz, 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, request->identifier_types[i]);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, request->identifier_values[i]);
      json_builder_end_object (builder);

      authz->id = vouch_acme_random_id (16);
      authz->type = g_strdup (request->identifier_types[i]);
      authz->value = g_strdup (request->identifier_values[i]);
      authz->expires = expires;
      g_ptr_array_add (authzs, authz);

      for (guint j = 0; j < G_N_ELEMENTS (challenge_types); j++)
        {
          VouchAcmeChallenge *challenge = g_new0 (VouchAcmeChallenge, 1);

          challenge->id = vouch_acme_random_id (16);
          challenge->authz_id = g_strdup (authz->id);
          challenge->type = g_strdup (challenge_types[j]);
          /* RFC 8555 §8.1: at least 128 bits of entropy. */
          challenge->token = vouch_acme_random_id (32);
          g_ptr_array_add (challenges, challenge);
        }
    }
  json_builder_end_array (builder);
  identifiers = json_builder_get_root (builder);
  order->identifiers = json_to_string (identifiers, FALSE);

  if (!vouch_acme_store_insert_order (call->server->store, order, authzs, challenges, &error))
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  g_free (order->status);
  order->status = g_strdup ("pending");
  location = _vouch_acme_url (call, "order", order->id);
  body = _vouch_acme_order_json (call, order, authzs);
  _vouch_acme_reply (call, SOUP_STATUS_CREATED, body, location);
}

static void
new_order_decided_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  NewOrderData *data = user_data;
  g_autoptr(GError) error = NULL;
  VouchAcmeDecision decision;

  decision = vouch_acme_policy_decide_finish (VOUCH_ACME_POLICY (source), result, &error);
  if (decision == VOUCH_ACME_DECISION_REFUSE)
    {
      if (error == NULL)
        g_set_error_literal (&error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                             _("The operator's policy refuses these names"));
      _vouch_acme_reply_error (data->call, error);
    }
  else
    create_order (data->call, data->request);

  vouch_acme_request_free (data->request);
  g_free (data);
}

/* What the policy is asked about @order (or, with order NULL, about the
 * identifiers being ordered, filled in by the caller). */
VouchAcmeRequest *
_vouch_acme_request_for_order (VouchAcmeCall  *call,
                               VouchAcmeOrder *order)
{
  VouchAcmeRequest *request = g_new0 (VouchAcmeRequest, 1);
  g_autoptr(GPtrArray) types = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();

  request->account_id = g_strdup (call->account->id);
  request->account_thumbprint = g_strdup (call->account->thumbprint);
  request->client_address = g_strdup (order != NULL && order->client_address != NULL
                                      ? order->client_address : call->client_address);
  request->eab_key_id = g_strdup (call->account->eab_key_id);
  if (order != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (order->identifiers, NULL);
      JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      request->order_id = g_strdup (order->id);
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonObject *object = json_array_get_object_element (array, i);

          g_ptr_array_add (types, g_strdup (json_object_get_string_member (object, "type")));
          g_ptr_array_add (values, g_strdup (json_object_get_string_member (object, "value")));
        }
    }
  g_ptr_array_add (types, NULL);
  g_ptr_array_add (values, NULL);
  request->identifier_types = (char **)g_ptr_array_free (g_steal_pointer (&types), FALSE);
  request->identifier_values = (char **)g_ptr_array_free (g_steal_pointer (&values), FALSE);
  return request;
}

void
_vouch_acme_handle_new_order (VouchAcmeCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeRequest) request = NULL;
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  JsonObject *payload;
  JsonNode *node;
  JsonArray *array;
  NewOrderData *data;

  payload = vouch_acme_jws_get_payload_object (call->jws, &error);
  if (payload == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  if (json_object_has_member (payload, "notBefore") || json_object_has_member (payload, "notAfter"))
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_MALFORMED,
                                 _("notBefore and notAfter are not supported: Vouch sets the "
                                   "validity"));
      return;
    }

  node = json_object_get_member (payload, "identifiers");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) == 0)
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_MALFORMED,
                                 _("newOrder needs a non-empty identifiers array"));
      return;
    }
  if (json_array_get_length (array) > MAX_IDENTIFIERS)
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                                 _("An order may ask for at most 100 names"));
      return;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      char *type = NULL;
      char *value = read_identifier (json_array_get_element (array, i), &type, &error);

      if (value == NULL)
        {
          _vouch_acme_reply_error (call, error);
          return;
        }
      if (g_ptr_array_find_with_equal_func (values, value, g_str_equal, NULL))
        {
          g_free (type);
          g_free (value);
          continue;
        }
      g_ptr_array_add (types, type);
      g_ptr_array_add (values, value);
    }

  request = _vouch_acme_request_for_order (call, NULL);
  request->order_id = vouch_acme_random_id (16);
  g_strfreev (request->identifier_types);
  g_strfreev (request->identifier_values);
  g_ptr_array_add (types, NULL);
  g_ptr_array_add (values, NULL);
  request->identifier_types = (char **)g_ptr_array_steal (types, NULL);
  request->identifier_values = (char **)g_ptr_array_steal (values, NULL);

  data = g_new0 (NewOrderData, 1);
  data->call = call;
  data->request = g_steal_pointer (&request);
  _vouch_acme_call_pause (call);
  vouch_acme_policy_decide_async (call->server->policy, data->request, call->server->cancellable,
                                  new_order_decided_cb, data);
}

void
_vouch_acme_handle_orders (VouchAcmeCall *call)
{
  const char *id = _vouch_acme_path_id (call, "acct");
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  if (!g_str_equal (id, call->account->id))
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_UNAUTHORIZED,
                                 _("This is not the requesting account"));
      return;
    }
  ids = vouch_acme_store_list_orders (call->server->store, id, &error);
  if (ids == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "orders");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *url = _vouch_acme_url (call, "order", g_ptr_array_index (ids, i));

      json_builder_add_string_value (builder, url);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  _vouch_acme_reply (call, SOUP_STATUS_OK, body, NULL);
}

void
_vouch_acme_handle_order (VouchAcmeCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeOrder) order = NULL;
  g_autoptr(JsonNode) body = NULL;

  order = _vouch_acme_lookup_order (call, _vouch_acme_path_id (call, "order"), &error);
  if (order == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  if (g_str_equal (order->status, "processing"))
    {
      _vouch_acme_order_advance (call, order);
      return;
    }
  body = _vouch_acme_order_json (call, order, NULL);
  _vouch_acme_reply_retry (call, SOUP_STATUS_OK, body, NULL,
                           g_str_equal (order->status, "pending") ? VOUCH_ACME_RETRY_PROCESSING : 0);
}

void
_vouch_acme_handle_authz (VouchAcmeCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeAuthz) authz = NULL;
  g_autoptr(JsonNode) body = NULL;
  const char *id = _vouch_acme_path_id (call, "authz");

  authz = lookup_authz (call, id, &error);
  if (authz == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  if (!vouch_acme_jws_is_post_as_get (call->jws))
    {
      JsonObject *payload = vouch_acme_jws_get_payload_object (call->jws, &error);

      if (payload == NULL)
        {
          _vouch_acme_reply_error (call, error);
          return;
        }
      if (g_strcmp0 (json_object_get_string_member_with_default (payload, "status", NULL),
                     "deactivated") != 0)
        {
          _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_MALFORMED,
                                     _("An authorization's status can only be set to deactivated"));
          return;
        }
      if (vouch_acme_store_deactivate_authz (call->server->store, id, &error) < 0)
        {
          _vouch_acme_reply_error (call, error);
          return;
        }
      g_clear_pointer (&authz, vouch_acme_authz_free);
      authz = lookup_authz (call, id, &error);
      if (authz == NULL)
        {
          _vouch_acme_reply_error (call, error);
          return;
        }
    }

  body = _vouch_acme_authz_json (call, authz);
  _vouch_acme_reply_retry (call, SOUP_STATUS_OK, body, NULL,
                           g_str_equal (authz->status, "pending") ? VOUCH_ACME_RETRY_PROCESSING : 0);
}

static void
reply_challenge_with (VouchAcmeCall      *call,
                      VouchAcmeChallenge *challenge)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *up = NULL;
  g_autofree char *link = NULL;

  up = _vouch_acme_url (call, "authz", challenge->authz_id);
  link = g_strdup_printf ("<%s>;rel=\"up\"", up);
  soup_message_headers_append (soup_server_message_get_response_headers (call->msg), "Link", link);
  body = _vouch_acme_challenge_json (call, challenge);
  _vouch_acme_reply_retry (call, SOUP_STATUS_OK, body, NULL,
                           g_str_equal (challenge->status, "processing")
                           ? VOUCH_ACME_RETRY_PROCESSING : 0);
}

static void
reply_challenge (VouchAcmeCall *call,
                 const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeChallenge) challenge = NULL;

  challenge = vouch_acme_store_lookup_challenge (call->server->store, id, &error);
  if (challenge == NULL)
    {
      if (error == NULL)
        not_found (call, &error);
      _vouch_acme_reply_error (call, error);
      return;
    }
  reply_challenge_with (call, challenge);
}

static void
validated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  VouchAcmeCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(VouchAcmeChallenge) recorded = NULL;
  g_autofree char *problem = NULL;
  const char *id = _vouch_acme_path_id (call, "chall");
  VouchAcmeStore *store;

  if (!vouch_acme_validator_validate_finish (VOUCH_ACME_VALIDATOR (source), result, &error))
    {
      if (error->domain != VOUCH_ACME_ERROR)
        {
          g_autoptr(GError) wrapped = g_error_new_literal (VOUCH_ACME_ERROR,
                                                           VOUCH_ACME_ERROR_CONNECTION,
                                                           error->message);
          g_clear_error (&error);
          error = g_steal_pointer (&wrapped);
        }
      problem = _vouch_acme_problem_json (error);
    }

  if (!vouch_acme_store_complete_challenge (call->server->store, id, problem, &recorded,
                                            &store_error))
    {
      _vouch_acme_reply_error (call, store_error);
      return;
    }
  /* Answered with what was just written, with nothing to read back. */
  if (recorded != NULL)
    {
      reply_challenge_with (call, recorded);
      return;
    }
  /* The answer's lookups share one snapshot; the reply frees @call. */
  store = call->server->store;
  vouch_acme_store_hold (store);
  reply_challenge (call, id);
  vouch_acme_store_release (store);
}

void
_vouch_acme_handle_challenge (VouchAcmeCall *call)
{
  const char *id = _vouch_acme_path_id (call, "chall");
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeChallenge) challenge = NULL;
  g_autoptr(VouchAcmeAuthz) authz = NULL;
  g_autofree char *key_authorization = NULL;

  challenge = vouch_acme_store_lookup_challenge (call->server->store, id, &error);
  if (challenge == NULL)
    {
      if (error == NULL)
        not_found (call, &error);
      _vouch_acme_reply_error (call, error);
      return;
    }
  authz = lookup_authz (call, challenge->authz_id, &error);
  if (authz == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  /* POST-as-GET reads; any JSON object (normally {}) answers. */
  if (vouch_acme_jws_is_post_as_get (call->jws))
    {
      reply_challenge_with (call, challenge);
      return;
    }
  if (vouch_acme_jws_get_payload_object (call->jws, &error) == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  /* Started from the rows just read, in this request's snapshot. */
  if (!vouch_acme_store_start_challenge (call->server->store, challenge, authz))
    {
      reply_challenge_with (call, challenge);
      return;
    }

  /* RFC 8555 §8.1: token "." base64url (JWK thumbprint of the account key). */
  key_authorization = g_strconcat (challenge->token, ".", call->account->thumbprint, NULL);
  _vouch_acme_call_pause (call);
  vouch_acme_validator_validate_async (call->server->validator, challenge->type, authz->type,
                                       authz->value, challenge->token, key_authorization,
                                       call->server->cancellable, validated_cb, call);
}
