/* vouch-agent-state-enroll.c: the device's enrollment: a CSR for a new
 * key (which becomes the pending key) or the current one, and installing
 * the chain issued for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-agent-state-private.h"

#include "vouch-agent-crypto-private.h"
#include "vouch-error.h"
#include "vouch-setup-code.h"
#include "vouch-util.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

/**
 * vouch_agent_state_create_csr_async:
 * @extra_names: (nullable): names the operator asks for, already checked
 *   with vouch_names_normalize()
 *
 * Creates a CSR covering the device's own names plus @extra_names, for a
 * fresh key of @key_type (which becomes the pending key, replacing any
 * earlier one) or, with @use_current_key, for the key TLS uses now.
 */
void
vouch_agent_state_create_csr_async (VouchAgentState     *self,
                                    VouchKeyType         key_type,
                                    gboolean             use_current_key,
                                    const char          *nonce,
                                    const char * const  *extra_names,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *own[] = { self->host_name, self->address };
  CsrJob *job;

  g_return_if_fail (VOUCH_IS_AGENT_STATE (self));
  g_return_if_fail (nonce != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (own); i++)
    if (g_hash_table_add (seen, (gpointer)own[i]))
      g_strv_builder_add (names, own[i]);
  for (guint i = 0; extra_names != NULL && extra_names[i] != NULL; i++)
    if (g_hash_table_add (seen, (gpointer)extra_names[i]))
      g_strv_builder_add (names, extra_names[i]);

  job = g_new0 (CsrJob, 1);
  job->key_type = key_type;
  job->use_current_key = use_current_key;
  job->current_key_pem = use_current_key ? g_strdup (self->current_key_pem) : NULL;
  job->nonce = g_strdup (nonce);
  job->names = g_strv_builder_end (names);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_agent_state_create_csr_async);
  g_task_set_task_data (task, job, (GDestroyNotify)_vouch_agent_csr_job_free);
  g_task_run_in_thread (task, _vouch_agent_csr_job_run);
}

/**
 * vouch_agent_state_create_csr_finish:
 * @out_key_type: (out): the type of the CSR's key
 *
 * Completes the request and makes its key the pending one.
 *
 * Returns: (transfer full): the CSR in PEM, or %NULL
 */
char *
vouch_agent_state_create_csr_finish (VouchAgentState  *self,
                                     GAsyncResult     *result,
                                     VouchKeyType     *out_key_type,
                                     GError          **error)
{
  g_autofree char *pending_path = NULL;
  CsrJob *job;

  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  job = g_task_get_task_data (G_TASK (result));
  pending_path = _vouch_agent_state_path (self, "pending-key.pem");

  if (job->use_current_key)
    {
      if (g_unlink (pending_path) != 0 && errno != ENOENT)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Could not remove the old pending key: %s"), g_strerror (errsv));
          return NULL;
        }
      g_clear_pointer (&self->pending_key_pem, _vouch_agent_wipe_free);
      self->pending_is_current = TRUE;
    }
  else
    {
      if (!vouch_write_file_atomic (pending_path, job->key_pem, strlen (job->key_pem), 0600, error))
        return NULL;
      g_clear_pointer (&self->pending_key_pem, _vouch_agent_wipe_free);
      self->pending_key_pem = g_steal_pointer (&job->key_pem);
      self->pending_is_current = FALSE;
    }

  if (out_key_type != NULL)
    *out_key_type = job->key_type;

  return g_steal_pointer (&job->csr_pem);
}

/**
 * vouch_agent_state_install_chain:
 * @chain_pem: the issued chain, leaf first
 *
 * Installs a chain whose leaf certifies the pending key: persists it with
 * its key, and makes it the certificate new TLS connections get.  On any
 * error the current certificate stays.
 */
gboolean
vouch_agent_state_install_chain (VouchAgentState  *self,
                                 const char       *chain_pem,
                                 GError          **error)
{
  g_autofree char *tls_path = NULL;
  g_autofree char *pending_path = NULL;
  g_autofree char *clean_chain = NULL;
  const char *key_pem;
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n = 0;
  guint8 key_digest[VOUCH_SHA256_LEN];
  guint8 leaf_digest[VOUCH_SHA256_LEN];
  gboolean ok = FALSE;

  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), FALSE);

  if (!_vouch_agent_chain_parse (chain_pem, &crts, &n, error))
    return FALSE;

  key_pem = self->pending_is_current ? self->current_key_pem : self->pending_key_pem;
  if (key_pem == NULL)
    {
      g_set_error (error, VOUCH_AGENT_ERROR, VOUCH_AGENT_ERROR_NO_PENDING_KEY,
                   _("There is no pending key: ask for a CSR first."));
      goto out;
    }

  if (!_vouch_agent_key_pem_spki_sha256 (key_pem, key_digest, error)
      || !_vouch_agent_crt_spki_sha256 (crts[0], leaf_digest, error))
    goto out;

  if (!vouch_secure_equal (key_digest, leaf_digest, sizeof key_digest))
    {
      g_set_error (error, VOUCH_AGENT_ERROR, VOUCH_AGENT_ERROR_KEY_MISMATCH,
                   _("The certificate is for another key than the pending one."));
      goto out;
    }

  clean_chain = _vouch_agent_chain_export (crts, n);

  {
    g_autofree char *both = g_strconcat (clean_chain, key_pem, NULL);
    g_autofree char *key_copy = g_strdup (key_pem);

    tls_path = _vouch_agent_state_path (self, "tls.pem");
    pending_path = _vouch_agent_state_path (self, "pending-key.pem");

    ok = vouch_write_file_atomic (tls_path, both, strlen (both), 0600, error);
    gnutls_memset (both, 0, strlen (both));
    if (!ok)
      goto out;

    /* The pending key is now the current one; a failed unlink only leaves
     * a stale pending key behind, which the next CSR replaces. */
    g_unlink (pending_path);
    g_clear_pointer (&self->pending_key_pem, _vouch_agent_wipe_free);
    self->pending_is_current = FALSE;
    self->enrolled = TRUE;

    ok = _vouch_agent_state_set_current (self, clean_chain, key_copy, error);
    gnutls_memset (key_copy, 0, strlen (key_copy));
  }

  _vouch_agent_state_notify_lifecycle (self);

out:
  _vouch_agent_chain_free (crts, n);
  return ok;
}
