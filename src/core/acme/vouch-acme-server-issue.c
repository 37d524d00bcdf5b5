/* vouch-acme-server-issue.c: finalize, the certificate chain, revokeCert
 *
 * An order goes ready → processing exactly once (a compare-and-set in the
 * store, with the accepted CSR), and only a processing order is signed,
 * through the authority (signing policy → root → inventory transaction),
 * so an ACME certificate is listed, audited, expires and is revoked and
 * in the CRL like every other one. While the operator has not approved
 * or the keyring is locked, the order stays processing and each poll
 * tries again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-server"

#include "vouch-config.h"

#include "vouch-acme-server-private.h"

#include "vouch-error.h"
#include "vouch-inventory.h"
#include "vouch-names.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

static void
reply_order_with (VouchAcmeCall  *call,
                  VouchAcmeOrder *order)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *location = NULL;
  guint retry = 0;

  if (g_str_equal (order->status, "processing"))
    retry = g_hash_table_contains (call->server->signing, order->id) ? VOUCH_ACME_RETRY_PROCESSING
                                                                     : VOUCH_ACME_RETRY_WAITING;
  location = _vouch_acme_url (call, "order", order->id);
  body = _vouch_acme_order_json (call, order, NULL);
  _vouch_acme_reply_retry (call, SOUP_STATUS_OK, body, location, retry);
}

static void
reply_order (VouchAcmeCall *call,
             const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeOrder) order = _vouch_acme_lookup_order (call, id, &error);

  if (order == NULL)
    _vouch_acme_reply_error (call, error);
  else
    reply_order_with (call, order);
}

/* The detail of the "acme-issued" audit event, which the inventory
 * records with the certificate, in the same transaction. */
static char *
issued_detail (VouchAcmeCall *call,
               const char    *order_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "account");
  json_builder_add_string_value (builder, call->account->id);
  json_builder_set_member_name (builder, "order");
  json_builder_add_string_value (builder, order_id);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, call->client_address);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return json_to_string (node, FALSE);
}

typedef struct
{
  VouchAcmeCall *call;
  char          *order_id;
  char          *csr;       /* the order's, fixed once it is processing */
  char          *identifiers;
  gint64         expires;
  GStrv          authz_ids;
} SignData;

/* The caller has taken the order out of the server's signing set, and
 * the call may already be answered and freed. */
static void
sign_data_free (SignData *data)
{
  g_free (data->order_id);
  g_free (data->csr);
  g_free (data->identifiers);
  g_strfreev (data->authz_ids);
  g_free (data);
}

static void
make_invalid (VouchAcmeCall *call,
              const char    *order_id,
              const GError  *error)
{
  g_autofree char *problem = _vouch_acme_problem_json (error);

  vouch_acme_store_set_order_status (call->server->store, order_id, "processing", "invalid",
                                     problem, NULL);
}

static void
signed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SignData *data = user_data;
  VouchAcmeCall *call = data->call;
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  VouchAcmeStore *store;

  /* The order became valid in the certificate's own commit
   * (vouch_acme_store_record_valid()). Without a certificate, the
   * authority recorded nothing, unless the inventory failed (the commit
   * may have happened, unsynced): then the next poll looks first. */
  cert = vouch_authority_sign_finish (VOUCH_AUTHORITY (source), result, &error);
  if (cert == NULL && !g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY))
    _vouch_acme_server_mark_unsigned (call->server, data->order_id);
  else
    g_hash_table_remove (call->server->unsigned_orders, data->order_id);
  if (cert == NULL && error->domain == VOUCH_POLICY_ERROR)
    make_invalid (call, data->order_id, error);
  /* A locked or missing keyring, a cancelled signature, a busy inventory:
   * the order stays processing and the next poll tries again. */
  else if (cert == NULL)
    g_debug ("The ACME order %s waits: %s", data->order_id, error->message);

  g_hash_table_remove (call->server->signing, data->order_id);
  /* Valid is final, and the certificate's commit made the order so: it
   * is answered as that commit wrote it, with nothing to read back. */
  if (cert != NULL)
    {
      VouchAcmeOrder order = { .id = data->order_id, .account_id = call->account->id,
                               .status = (char *)"valid", .identifiers = data->identifiers,
                               .expires = data->expires,
                               .serial = (char *)vouch_certificate_get_serial (cert),
                               .authz_ids = data->authz_ids };

      reply_order_with (call, &order);
      sign_data_free (data);
      return;
    }
  /* The answer's lookups share one snapshot; the reply frees @call. */
  store = call->server->store;
  vouch_acme_store_hold (store);
  reply_order (call, data->order_id);
  vouch_acme_store_release (store);
  sign_data_free (data);
}

static void
decided_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SignData *data = user_data;
  VouchAcmeCall *call = data->call;
  VouchAcmeServer *self = call->server;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autofree char *detail = NULL;
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  VouchAcmeDecision decision;

  decision = vouch_acme_policy_decide_finish (VOUCH_ACME_POLICY (source), result, &error);
  if (decision != VOUCH_ACME_DECISION_ALLOW)
    {
      if (decision == VOUCH_ACME_DECISION_REFUSE)
        {
          if (error == NULL)
            g_set_error_literal (&error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                                 _("The operator refused this order"));
          make_invalid (call, data->order_id, error);
        }
      g_hash_table_remove (self->signing, data->order_id);
      reply_order (call, data->order_id);
      sign_data_free (data);
      return;
    }

  /* The CSR as the order had it when this began: it cannot change while
   * the order is processing, and the certificate's commit checks that the
   * order still is (vouch_acme_store_record_valid()). */
  if (data->csr == NULL || (csr = vouch_acme_base64url_decode (data->csr, &error)) == NULL)
    {
      g_hash_table_remove (self->signing, data->order_id);
      if (error == NULL)
        g_set_error_literal (&error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_SERVER_INTERNAL,
                             _("The order's request was lost"));
      _vouch_acme_reply_error (call, error);
      sign_data_free (data);
      return;
    }

  options.audit_event = "acme-issued";
  options.audit_detail = detail = issued_detail (call, data->order_id);
  options.record_func = vouch_acme_store_record_valid;
  options.record_data = data->order_id;
  vouch_authority_sign_async (self->authority, csr, &options, self->cancellable, signed_cb, data);
}

/**
 * _vouch_acme_order_advance:
 * @order: a processing order of @call's account
 *
 * Signs @order unless a signature is already under way, after checking
 * that no crash (between the inventory's commit and the order's) left
 * its certificate issued but unrecorded; answers @call with the order.
 */
void
_vouch_acme_order_advance (VouchAcmeCall  *call,
                           VouchAcmeOrder *order)
{
  VouchAcmeServer *self = call->server;
  g_autoptr(VouchAcmeRequest) request = NULL;
  SignData *data;

  if (g_hash_table_contains (self->signing, order->id))
    {
      reply_order (call, order->id);
      return;
    }

  if (order->csr_key_sha256 != NULL && !g_hash_table_contains (self->unsigned_orders, order->id))
    {
      g_autofree char *serial = vouch_acme_store_find_issued (self->store, order->csr_key_sha256,
                                                              order->processing_at, NULL);

      if (serial != NULL)
        {
          vouch_acme_store_finish_order (self->store, order->id, serial, NULL);
          reply_order (call, order->id);
          return;
        }
    }

  g_hash_table_add (self->signing, g_strdup (order->id));
  data = g_new0 (SignData, 1);
  data->call = call;
  data->order_id = g_strdup (order->id);
  data->csr = g_strdup (order->csr);
  data->identifiers = g_strdup (order->identifiers);
  data->expires = order->expires;
  data->authz_ids = g_strdupv (order->authz_ids);
  request = _vouch_acme_request_for_order (call, order);
  _vouch_acme_call_pause (call);
  vouch_acme_policy_decide_async (self->policy, request, self->cancellable, decided_cb, data);
}

static gboolean
same_names (char       **identifiers,
            const char * const *csr_names)
{
  guint n = 0;

  for (guint i = 0; csr_names[i] != NULL; i++)
    {
      g_autofree char *name = vouch_names_normalize (csr_names[i], NULL);

      if (name == NULL || !g_strv_contains ((const char * const *)identifiers, name))
        return FALSE;
      if (!g_strv_contains (csr_names + i + 1, csr_names[i]))
        n++;
    }
  return n == g_strv_length (identifiers);
}

/* The CSR must pass the signing policy and ask for exactly the order's
 * identifiers. Returns the request's key hash. */
static char *
check_csr (VouchAcmeCall   *call,
           VouchAcmeOrder  *order,
           GBytes          *der,
           GError         **error)
{
  VouchSigningPolicy *policy = vouch_authority_get_policy (call->server->authority);
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(VouchAcmeRequest) identifiers = NULL;
  g_autoptr(GError) local_error = NULL;

  if (policy == NULL)
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_SERVER_INTERNAL,
                           _("Vouch has no root to sign with"));
      return NULL;
    }
  request = vouch_signing_policy_check (policy, g_bytes_get_data (der, NULL),
                                        g_bytes_get_size (der), NULL, NULL, &local_error);
  if (request == NULL)
    {
      VouchAcmeError code = local_error->code == VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS
                            ? VOUCH_ACME_ERROR_REJECTED_IDENTIFIER : VOUCH_ACME_ERROR_BAD_CSR;

      g_set_error_literal (error, VOUCH_ACME_ERROR, code, local_error->message);
      return NULL;
    }

  identifiers = _vouch_acme_request_for_order (call, order);
  if (!same_names (identifiers->identifier_values, vouch_signing_request_get_names (request)))
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_BAD_CSR,
                           _("The CSR's names are not exactly the order's identifiers"));
      return NULL;
    }
  return g_strdup (vouch_signing_request_get_key_sha256 (request));
}

void
_vouch_acme_handle_finalize (VouchAcmeCall *call)
{
  const char *id = _vouch_acme_path_id (call, "order");
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeOrder) order = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autofree char *key_sha256 = NULL;
  JsonObject *payload;
  const char *csr;
  int begun;

  order = _vouch_acme_lookup_order (call, id, &error);
  if (order == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  /* A retried finalize gets the order as it is: nothing is signed twice. */
  if (g_str_equal (order->status, "processing"))
    {
      _vouch_acme_order_advance (call, order);
      return;
    }
  if (g_str_equal (order->status, "valid"))
    {
      reply_order (call, id);
      return;
    }
  if (!g_str_equal (order->status, "ready"))
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_ORDER_NOT_READY,
                                 g_str_equal (order->status, "pending")
                                 ? _("The order's authorizations are not all valid yet")
                                 : _("The order is invalid"));
      return;
    }

  payload = vouch_acme_jws_get_payload_object (call->jws, &error);
  if (payload == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  csr = json_object_get_string_member_with_default (payload, "csr", NULL);
  if (csr == NULL || (der = vouch_acme_base64url_decode (csr, &error)) == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                             _("finalize needs a csr"));
      _vouch_acme_reply_error (call, error);
      return;
    }

  key_sha256 = check_csr (call, order, der, &error);
  if (key_sha256 == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }

  begun = vouch_acme_store_begin_processing (call->server->store, id, csr, key_sha256, &error);
  if (begun < 0)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  /* The order is now what the compare-and-set wrote: no need to read it
   * back. */
  if (begun == 1)
    {
      _vouch_acme_server_mark_unsigned (call->server, id);
      g_free (order->status);
      order->status = g_strdup ("processing");
      g_free (order->csr);
      order->csr = g_strdup (csr);
      g_free (order->csr_key_sha256);
      order->csr_key_sha256 = g_steal_pointer (&key_sha256);
      _vouch_acme_order_advance (call, order);
      return;
    }
  vouch_acme_order_free (g_steal_pointer (&order));
  order = _vouch_acme_lookup_order (call, id, &error);
  if (order == NULL)
    _vouch_acme_reply_error (call, error);
  else if (g_str_equal (order->status, "processing"))
    _vouch_acme_order_advance (call, order);
  else
    reply_order (call, id);
}

void
_vouch_acme_handle_certificate (VouchAcmeCall *call)
{
  const char *serial = _vouch_acme_path_id (call, "cert");
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *chain = NULL;
  VouchCertificate *root;

  pem = vouch_acme_store_lookup_certificate_pem (call->server->store, serial, call->account->id,
                                                 &error);
  if (pem == NULL)
    {
      if (error == NULL)
        {
          soup_server_message_set_status (call->msg, SOUP_STATUS_NOT_FOUND, NULL);
          g_set_error_literal (&error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                               _("This account has no such certificate"));
        }
      _vouch_acme_reply_error (call, error);
      return;
    }

  /* Leaf, then the root: there is no intermediate, and clients that keep
   * a "chain" file then have the root to show. */
  root = vouch_root_ca_get_certificate (vouch_authority_get_root (call->server->authority));
  chain = g_strconcat (pem, vouch_certificate_get_pem (root), NULL);
  _vouch_acme_reply_bytes (call, "application/pem-certificate-chain", chain, strlen (chain));
}

/* May this request revoke @cert? Its account ordered it, or the request
 * is signed by the certificate's own key (RFC 8555 §7.6). */
static gboolean
may_revoke (VouchAcmeCall     *call,
            VouchCertificate  *cert,
            GError           **error)
{
  const char *serial = vouch_certificate_get_serial (cert);
  g_autoptr(VouchAcmeOrder) order = NULL;

  if (call->account != NULL && vouch_acme_jws_get_kid (call->jws) != NULL)
    {
      order = vouch_acme_store_lookup_order_by_serial (call->server->store, serial, NULL);
      if (order != NULL && g_str_equal (order->account_id, call->account->id))
        return TRUE;
    }
  if (vouch_acme_jws_get_jwk (call->jws) != NULL)
    {
      g_auto(gnutls_pubkey_t) key = vouch_acme_jwk_import (vouch_acme_jws_get_jwk (call->jws),
                                                           vouch_acme_jws_get_alg (call->jws),
                                                           NULL);
      g_autofree char *key_sha256 = key != NULL ? vouch_pubkey_spki_sha256_hex (key, NULL) : NULL;

      if (key_sha256 != NULL && g_strcmp0 (key_sha256, vouch_certificate_get_key_sha256 (cert)) == 0)
        return TRUE;
    }
  g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                       _("Only the account that ordered a certificate, or its own key, may "
                         "revoke it"));
  return FALSE;
}

void
_vouch_acme_handle_revoke (VouchAcmeCall *call)
{
  VouchInventory *inventory = vouch_authority_get_inventory (call->server->authority);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(VouchCertificate) presented = NULL;
  g_autoptr(VouchCertificate) recorded = NULL;
  JsonObject *payload;
  const char *text;
  gint64 reason;

  payload = vouch_acme_jws_get_payload_object (call->jws, &error);
  if (payload == NULL)
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  text = json_object_get_string_member_with_default (payload, "certificate", NULL);
  if (text == NULL || (der = vouch_acme_base64url_decode (text, &error)) == NULL ||
      (presented = vouch_certificate_new_from_der (der, NULL)) == NULL)
    {
      g_clear_error (&error);
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_MALFORMED,
                                 _("revokeCert needs the certificate, base64url DER"));
      return;
    }

  /* RFC 5280 reasons a subscriber may give; 2 (CA compromise), 6 (hold)
   * and 8, 10 are not theirs to say. */
  reason = json_object_get_int_member_with_default (payload, "reason", 0);
  if (reason < 0 || reason == 2 || (reason > 5 && reason != 9))
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_BAD_REVOCATION_REASON,
                                 _("The revocation reason must be 0, 1, 3, 4, 5 or 9"));
      return;
    }

  recorded = vouch_inventory_lookup_certificate (inventory, vouch_certificate_get_serial (presented),
                                                 NULL);
  if (recorded == NULL ||
      !g_str_equal (vouch_certificate_get_sha256 (recorded), vouch_certificate_get_sha256 (presented)))
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_UNAUTHORIZED,
                                 _("This server did not issue that certificate"));
      return;
    }
  if (!may_revoke (call, recorded, &error))
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  if (vouch_certificate_get_status (recorded) == VOUCH_CERTIFICATE_STATUS_REVOKED)
    {
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_ALREADY_REVOKED,
                                 _("The certificate is already revoked"));
      return;
    }
  if (!vouch_inventory_revoke_certificate (inventory, vouch_certificate_get_serial (recorded),
                                           (VouchRevocationReason)reason,
                                           g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      _vouch_acme_reply_error (call, error);
      return;
    }
  _vouch_acme_reply (call, SOUP_STATUS_OK, NULL, NULL);
}
