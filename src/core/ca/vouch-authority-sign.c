/* vouch-authority-sign.c: checking a request against the policy and its
 * binding to this very operation, then issuing and recording the
 * certificate with the key loaded. Split from vouch-authority.c, which
 * keeps the root, its key and the holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-authority"

#include "vouch-config.h"

#include "vouch-authority-private.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef struct
{
  VouchRootCa         *root;
  VouchSigningRequest *request;
  guint                days;
  VouchIssueFlags      flags;
} IssueData;

static VouchCertificate *
issue_cb (gpointer   user_data,
          GError   **error)
{
  IssueData *data = user_data;

  return vouch_root_ca_issue (data->root, data->request, data->days, data->flags, error);
}

static void
audit_refusal (VouchAuthority   *self,
               const char       *device_id,
               const GError     *refusal)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *detail = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, refusal->message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  detail = json_to_string (node, FALSE);

  vouch_inventory_append_audit (self->inventory, "csr-refused", device_id, NULL, detail, NULL);
}

static gboolean
equal_text (const char *a,
            const char *b)
{
  return a != NULL && b != NULL && strlen (a) == strlen (b) && vouch_secure_equal (a, b, strlen (a));
}

/* A CSR fetched from a device must carry the nonce of this very request
 * (so an old CSR cannot be replayed), and, when the device was asked to
 * keep its key, be for the key it presented over TLS. */
static gboolean
check_binding (VouchSigningRequest     *request,
               const VouchSignOptions  *options,
               GError                 **error)
{
  if (options->expected_challenge != NULL &&
      !equal_text (vouch_signing_request_get_challenge (request), options->expected_challenge))
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_WRONG_NONCE,
                   _("The CSR does not carry this request's nonce; it may be a replay"));
      return FALSE;
    }

  if (options->expected_key_sha256 != NULL &&
      !equal_text (vouch_signing_request_get_key_sha256 (request), options->expected_key_sha256))
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_WRONG_KEY,
                   _("The CSR is for a different key than the one the device uses for TLS"));
      return FALSE;
    }

  return TRUE;
}

/* The policy check and the request's binding to this very operation. A
 * refusal is recorded in the audit log. */
static VouchSigningRequest *
check_request (VouchAuthority          *self,
               VouchSigningPolicy      *policy,
               const guint8            *csr,
               gsize                    csr_len,
               const VouchSignOptions  *options,
               GError                 **error)
{
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) local_error = NULL;

  request = vouch_signing_policy_check (policy, csr, csr_len, options->add_names,
                                        options->remove_names, &local_error);
  if (request == NULL || !check_binding (request, options, &local_error))
    {
      audit_refusal (self, options->device_id, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&request);
}

typedef struct
{
  VouchAuthority          *self;
  VouchSigningPolicy      *policy;
  VouchSigningRequest     *request;
  const guint8            *csr;
  gsize                    csr_len;
  const VouchSignOptions  *options;
  VouchCertificate        *cert;
} SignData;

/* Issues and records the certificate, with the key loaded and the
 * authority locked. */
static gboolean
issue_with_key (VouchRootCa  *root,
                gpointer      user_data,
                GError      **error)
{
  SignData *data = user_data;
  VouchAuthority *self = data->self;
  IssueData issue;

  /* A certificate is only ever issued under the policy of the root that
   * signs it: if the root was read again meanwhile, check again. */
  if (self->policy != data->policy)
    {
      g_clear_object (&data->request);
      data->request = check_request (self, self->policy, data->csr, data->csr_len, data->options,
                                     error);
      if (data->request == NULL)
        return FALSE;
    }

  issue.root = root;
  issue.request = data->request;
  issue.days = data->options->days;
  issue.flags = data->options->client_auth ? VOUCH_ISSUE_FLAGS_CLIENT_AUTH : VOUCH_ISSUE_FLAGS_NONE;
  data->cert = vouch_inventory_issue_audited (self->inventory, vouch_root_ca_get_sha256 (root),
                                              data->options->device_id, data->options->audit_event,
                                              data->options->audit_detail,
                                              data->options->record_func,
                                              data->options->record_data, issue_cb, &issue,
                                              error);
  return data->cert != NULL;
}

/**
 * vouch_authority_sign:
 * @csr: a certificate signing request, PEM or DER
 * @options: (nullable): validity, name changes, device link
 *
 * Checks @csr with the signing policy, issues a certificate and records it
 * in the inventory, all or nothing. A refusal is recorded in the audit log
 * and nothing is issued. The root's key is read from the keyring for the
 * signature and wiped after it, unless a vouch_authority_hold() keeps it.
 *
 * Returns: (transfer full): the issued certificate
 */
VouchCertificate *
vouch_authority_sign (VouchAuthority          *self,
                      const guint8            *csr,
                      gsize                    csr_len,
                      const VouchSignOptions  *options,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  static const VouchSignOptions defaults = VOUCH_SIGN_OPTIONS_INIT;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(VouchSigningPolicy) policy = NULL;
  g_autoptr(VouchSigningRequest) request = NULL;
  SignData data;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), NULL);

  if (options == NULL)
    options = &defaults;

  locker = g_mutex_locker_new (&self->mutex);
  if (!_vouch_authority_require_root (self, error))
    return NULL;
  policy = g_object_ref (self->policy);
  g_clear_pointer (&locker, g_mutex_locker_free);

  /* The check needs neither the key nor the lock, and verifying the CSR's
   * signature is its most expensive step: outside the lock, signing tasks
   * on several threads verify in parallel. The reference keeps the policy
   * alive even if vouch_authority_load() replaces it meanwhile. */
  request = check_request (self, policy, csr, csr_len, options, error);
  if (request == NULL)
    return NULL;

  data.self = self;
  data.policy = policy;
  data.request = g_steal_pointer (&request);
  data.csr = csr;
  data.csr_len = csr_len;
  data.options = options;
  data.cert = NULL;
  _vouch_authority_with_key (self, issue_with_key, &data, cancellable, error);
  g_clear_object (&data.request);
  /* On the disk before it is handed out, so a power cut cannot leave a
   * certificate in use that the inventory (and so the CRL) lost; synced
   * after the key is wiped and the authority unlocked, so the next
   * signature need not wait for the disk. */
  if (data.cert != NULL && !vouch_inventory_sync (self->inventory, error))
    g_clear_object (&data.cert);
  return data.cert;
}
