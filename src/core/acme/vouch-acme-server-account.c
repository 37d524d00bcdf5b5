/* vouch-acme-server-account.c: accounts (RFC 8555 §7.3): newAccount with
 * contacts, onlyReturnExisting and External Account Binding, account
 * update and deactivation, keyChange, and each account's parsed key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-server"

#include "vouch-config.h"

#include "vouch-acme-server-private.h"

#include "vouch-util.h"

#include <glib/gi18n-lib.h>

/* At most this many parsed account keys are kept; then the cache starts
 * again, so a flood of new accounts cannot grow it without bound. */
#define MAX_ACCOUNT_KEYS 1024

/* An account's stored key, parsed once and then reused: the JWK's JSON
 * and its import cost about as much as the signature's verification. */
gnutls_pubkey_t
_vouch_acme_account_key (VouchAcmeServer   *self,
                         VouchAcmeAccount  *account,
                         const char        *alg,
                         GError           **error)
{
  g_autofree char *cache_key = g_strconcat (alg, " ", account->jwk, NULL);
  gnutls_pubkey_t key = g_hash_table_lookup (self->account_keys, cache_key);
  g_autoptr(JsonNode) stored = NULL;

  if (key != NULL)
    return key;

  stored = json_from_string (account->jwk, NULL);
  if (stored == NULL || !JSON_NODE_HOLDS_OBJECT (stored))
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_SERVER_INTERNAL,
                           _("The account's stored key is unreadable"));
      return NULL;
    }
  key = vouch_acme_jwk_import (json_node_get_object (stored), alg, error);
  if (key == NULL)
    return NULL;
  if (g_hash_table_size (self->account_keys) >= MAX_ACCOUNT_KEYS)
    g_hash_table_remove_all (self->account_keys);
  g_hash_table_insert (self->account_keys, g_steal_pointer (&cache_key), key);
  return key;
}

#define MAX_CONTACTS 10

static gboolean
set_malformed (GError     **error,
               const char  *message)
{
  g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED, message);
  return FALSE;
}

/* Only mailto: contacts, one plain address each (RFC 8555 §7.3). Returns
 * the list as JSON text for the store. */
static char *
read_contacts (JsonObject  *payload,
               GError     **error)
{
  JsonNode *node = json_object_get_member (payload, "contact");
  JsonArray *array;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_malformed (error, _("contact must be an array of URLs"));
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_CONTACTS)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INVALID_CONTACT,
                   _("At most %d contacts are kept"), MAX_CONTACTS);
      return NULL;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *url, *address, *at;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          set_malformed (error, _("contact must be an array of URLs"));
          return NULL;
        }
      url = json_node_get_string (item);
      if (!g_str_has_prefix (url, "mailto:"))
        {
          g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNSUPPORTED_CONTACT,
                       _("Only mailto: contacts are accepted"));
          return NULL;
        }
      address = url + strlen ("mailto:");
      at = strchr (address, '@');
      if (at == NULL || at == address || at[1] == '\0' || strchr (at + 1, '@') != NULL ||
          strpbrk (address, ",?%<> \t\r\n") != NULL || strlen (address) > 254 ||
          !g_utf8_validate (address, -1, NULL))
        {
          g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INVALID_CONTACT,
                       _("A contact is not one plain e-mail address"));
          return NULL;
        }
      json_builder_add_string_value (builder, url);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
audit (VouchAcmeCall *call,
       const char    *event,
       const char    *account_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *detail = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "account");
  json_builder_add_string_value (builder, account_id);
  json_builder_set_member_name (builder, "thumbprint");
  json_builder_add_string_value (builder, call->thumbprint);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, call->client_address);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  detail = json_to_string (node, FALSE);
  vouch_inventory_append_audit (vouch_authority_get_inventory (call->server->authority), event,
                                NULL, NULL, detail, NULL);
}

static void
create_account (VouchAcmeCall *call,
                const char    *contacts,
                const char    *eab_key_id)
{
  g_autoptr(VouchAcmeAccount) account = g_new0 (VouchAcmeAccount, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *location = NULL;

  account->id = vouch_acme_random_id (16);
  account->thumbprint = g_strdup (call->thumbprint);
  account->jwk = g_strdup (call->jwk);
  account->status = g_strdup ("valid");
  account->contacts = g_strdup (contacts != NULL ? contacts : "[]");
  account->eab_key_id = g_strdup (eab_key_id);
  account->client_address = g_strdup (call->client_address);

  if (!vouch_acme_store_insert_account (call->server->store, account, &error))
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  audit (call, "acme-account-created", account->id);

  location = _vouch_acme_url (call, "acct", account->id);
  body = _vouch_acme_account_json (call, account);
  _vouch_acme_reply (call, SOUP_STATUS_CREATED, body, location);
}

typedef struct
{
  VouchAcmeCall *call;
  VouchAcmeJws  *binding;
  char          *contacts;
} EabData;

static void
eab_data_free (EabData *data)
{
  g_clear_pointer (&data->binding, vouch_acme_jws_free);
  g_free (data->contacts);
  g_free (data);
}

static void
eab_key_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  EabData *data = user_data;
  VouchAcmeCall *call = data->call;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL;

  key = vouch_acme_policy_lookup_eab_key_finish (VOUCH_ACME_POLICY (source), result, &error);
  if (key == NULL || !vouch_acme_jws_verify_hmac (data->binding, key, &error))
    _vouch_acme_reply_error (call, error);
  else
    create_account (call, data->contacts, vouch_acme_jws_get_kid (data->binding));

  g_clear_pointer (&key, vouch_bytes_wipe_unref);
  eab_data_free (data);
}

/* RFC 8555 §7.3.4: an HS256 JWS by the EAB key over this account's key. */
static VouchAcmeJws *
read_binding (VouchAcmeCall  *call,
              JsonNode       *node,
              GError        **error)
{
  g_autoptr(VouchAcmeJws) binding = vouch_acme_jws_parse_eab (node, error);
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *thumbprint = NULL;
  GBytes *bytes;

  if (binding == NULL)
    return NULL;
  if (vouch_acme_jws_get_kid (binding) == NULL || vouch_acme_jws_get_nonce (binding) != NULL ||
      g_strcmp0 (vouch_acme_jws_get_url (binding), vouch_acme_jws_get_url (call->jws)) != 0)
    {
      set_malformed (error, _("The external account binding needs a kid, this request's url "
                              "and no nonce"));
      return NULL;
    }

  bytes = vouch_acme_jws_get_payload (binding);
  payload = json_from_string (g_bytes_get_size (bytes) > 0 ? g_bytes_get_data (bytes, NULL) : "",
                              NULL);
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload) ||
      (thumbprint = vouch_acme_jwk_thumbprint (json_node_get_object (payload), NULL, NULL)) == NULL ||
      !g_str_equal (thumbprint, call->thumbprint))
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                           _("The external account binding is not for this account's key"));
      return NULL;
    }
  return g_steal_pointer (&binding);
}

void
_vouch_acme_handle_new_account (VouchAcmeCall *call)
{
  VouchAcmeServer *self = call->server;
  g_autoptr(GError) error = NULL;
  g_autofree char *contacts = NULL;
  JsonObject *payload;
  JsonNode *binding_node;
  EabData *data;

  payload = vouch_acme_jws_get_payload_object (call->jws, &error);
  if (payload == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  if (call->account != NULL)
    {
      g_autofree char *location = _vouch_acme_url (call, "acct", call->account->id);
      g_autoptr(JsonNode) body = _vouch_acme_account_json (call, call->account);

      _vouch_acme_reply (call, SOUP_STATUS_OK, body, location);
      return;
    }

  if (json_object_get_boolean_member_with_default (payload, "onlyReturnExisting", FALSE))
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_ACCOUNT_DOES_NOT_EXIST,
                                 _("No account exists for this key"));
      return;
    }

  contacts = read_contacts (payload, &error);
  if (error != NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  binding_node = json_object_get_member (payload, "externalAccountBinding");
  if (binding_node == NULL)
    {
      if (vouch_acme_policy_get_external_account_required (self->policy))
        _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_EXTERNAL_ACCOUNT_REQUIRED,
                                   _("This server gives accounts only with an external account "
                                     "binding key made in Vouch"));
      else
        create_account (call, contacts, NULL);
      return;
    }

  data = g_new0 (EabData, 1);
  data->binding = read_binding (call, binding_node, &error);
  if (data->binding == NULL)
    {
      eab_data_free (data);
      _vouch_acme_reply_error (call, error);
      return;
    }
  data->call = call;
  data->contacts = g_steal_pointer (&contacts);
  _vouch_acme_call_pause (call);
  vouch_acme_policy_lookup_eab_key_async (self->policy, vouch_acme_jws_get_kid (data->binding),
                                          self->cancellable, eab_key_cb, data);
}

void
_vouch_acme_handle_account (VouchAcmeCall *call)
{
  const char *id = _vouch_acme_path_id (call, "acct");
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeAccount) updated = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *contacts = NULL;
  const char *status;
  JsonObject *payload;

  if (!g_str_equal (id, call->account->id))
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_UNAUTHORIZED,
                                 _("This is not the requesting account"));
      return;
    }

  if (!vouch_acme_jws_is_post_as_get (call->jws))
    {
      payload = vouch_acme_jws_get_payload_object (call->jws, &error);
      if (payload == NULL)
        {
          _vouch_acme_reply_error (call, error);
          return;
        }
      status = json_object_get_string_member_with_default (payload, "status", NULL);
      if (status != NULL && !g_str_equal (status, "deactivated"))
        {
          _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_MALFORMED,
                                     _("An account's status can only be set to deactivated"));
          return;
        }
      contacts = read_contacts (payload, &error);
      if (error != NULL ||
          !vouch_acme_store_update_account (call->server->store, id, status, contacts, &error))
        {
          _vouch_acme_reply_error (call, error);
          return;
        }
      if (status != NULL)
        audit (call, "acme-account-deactivated", id);
    }

  updated = vouch_acme_store_lookup_account (call->server->store, id, &error);
  if (updated == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  body = _vouch_acme_account_json (call, updated);
  _vouch_acme_reply (call, SOUP_STATUS_OK, body, NULL);
}

/* RFC 8555 §7.3.5: the payload is a JWS by the new key, over the account
 * URL and the old key. */
void
_vouch_acme_handle_key_change (VouchAcmeCall *call)
{
  GBytes *payload = vouch_acme_jws_get_payload (call->jws);
  g_autoptr(VouchAcmeJws) inner = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(gnutls_pubkey_t) key = NULL;
  g_autofree char *kid = _vouch_acme_url (call, "acct", call->account->id);
  g_autofree char *new_jwk = NULL, *new_thumbprint = NULL, *old_thumbprint = NULL;
  JsonObject *inner_payload;
  JsonNode *old_key;

  inner = vouch_acme_jws_parse (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                                &error);
  if (inner == NULL || vouch_acme_jws_get_jwk (inner) == NULL ||
      vouch_acme_jws_get_nonce (inner) != NULL ||
      g_strcmp0 (vouch_acme_jws_get_url (inner), vouch_acme_jws_get_url (call->jws)) != 0)
    {
      if (error == NULL)
        set_malformed (&error, _("The inner JWS of keyChange needs the new key as jwk, the same "
                                 "url and no nonce"));
      _vouch_acme_reply_error (call, error);
      return;
    }

  key = vouch_acme_jwk_import (vouch_acme_jws_get_jwk (inner), vouch_acme_jws_get_alg (inner),
                               &error);
  if (key == NULL || !vouch_acme_jws_verify (inner, key, &error) ||
      (inner_payload = vouch_acme_jws_get_payload_object (inner, &error)) == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  old_key = json_object_get_member (inner_payload, "oldKey");
  if (g_strcmp0 (json_object_get_string_member_with_default (inner_payload, "account", NULL),
                 kid) != 0 ||
      old_key == NULL || !JSON_NODE_HOLDS_OBJECT (old_key) ||
      (old_thumbprint = vouch_acme_jwk_thumbprint (json_node_get_object (old_key), NULL,
                                                   NULL)) == NULL ||
      !g_str_equal (old_thumbprint, call->thumbprint))
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_UNAUTHORIZED,
                                 _("keyChange must name this account and its current key"));
      return;
    }

  new_thumbprint = vouch_acme_jwk_thumbprint (vouch_acme_jws_get_jwk (inner), &new_jwk, &error);
  if (new_thumbprint == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  if (!vouch_acme_store_change_account_key (call->server->store, call->account->id,
                                            call->thumbprint, new_thumbprint, new_jwk, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_autofree char *other = _vouch_acme_url (call, "acct", error->message);

          soup_message_headers_replace (soup_server_message_get_response_headers (call->msg),
                                        "Location", other);
          soup_server_message_set_status (call->msg, SOUP_STATUS_CONFLICT, NULL);
          _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_MALFORMED,
                                     _("Another account already has the new key"));
          return;
        }
      _vouch_acme_reply_error (call, error);
      return;
    }

  audit (call, "acme-account-key-changed", call->account->id);
  g_free (call->account->jwk);
  call->account->jwk = g_steal_pointer (&new_jwk);
  {
    g_autoptr(JsonNode) body = _vouch_acme_account_json (call, call->account);

    _vouch_acme_reply (call, SOUP_STATUS_OK, body, NULL);
  }
}
