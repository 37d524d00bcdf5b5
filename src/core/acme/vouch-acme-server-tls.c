/* vouch-acme-server-tls.c: the ACME server's own HTTPS certificate
 *
 * Issued by Vouch's root to the server's names, like any certificate
 * (signing policy, inventory, audit), with a key Vouch makes for it. The
 * key is not the root's: it lives in the data folder (mode 0600) so the
 * server restarts without the keyring. It is renewed a third of its life
 * before expiry, when its names change, and checked every day.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-server"

#include "vouch-config.h"

#include "vouch-acme-server-private.h"

#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/x509.h>

#define CHECK_INTERVAL (24 * 3600)

typedef struct
{
  char *chain;   /* leaf and root, PEM */
  char *key;     /* PKCS#8 PEM */
} Issued;

static void
issued_free (Issued *issued)
{
  g_free (issued->chain);
  if (issued->key != NULL)
    {
      memset (issued->key, 0, strlen (issued->key));
      g_free (issued->key);
    }
  g_free (issued);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Issued, issued_free)

static gboolean
gnutls_failed (GError     **error,
               int          ret,
               const char  *what)
{
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO, _("%s: %s"), what, gnutls_strerror (ret));
  return FALSE;
}

/* A new P-256 key and a CSR for @names, both PEM. */
static gboolean
make_request (char * const  *names,
              char         **csr_pem,
              char         **key_pem,
              GError       **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crq_t) crq = NULL;
  gnutls_datum_t out = { NULL, 0 };
  int ret;

  gnutls_x509_privkey_init (&key);
  gnutls_x509_crq_init (&crq);
  ret = gnutls_x509_privkey_generate2 (key, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0, NULL, 0);
  if (ret < 0)
    return gnutls_failed (error, ret, _("Could not make the ACME server's key"));

  gnutls_x509_crq_set_version (crq, 1);
  /* No common name for an address: verifiers (GnuTLS among them) check a
   * SAN-less-looking CN against the root's DNS constraints. */
  if (!vouch_names_is_address (names[0]))
    gnutls_x509_crq_set_dn_by_oid (crq, GNUTLS_OID_X520_COMMON_NAME, 0, names[0],
                                   strlen (names[0]));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (names[i]);

      if (address != NULL)
        ret = gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_IPADDRESS,
                                                    g_inet_address_to_bytes (address),
                                                    g_inet_address_get_native_size (address),
                                                    GNUTLS_FSAN_APPEND);
      else
        ret = gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_DNSNAME, names[i],
                                                    strlen (names[i]), GNUTLS_FSAN_APPEND);
      if (ret < 0)
        return gnutls_failed (error, ret, _("Could not name the ACME server's certificate"));
    }
  if ((ret = gnutls_x509_crq_set_key (crq, key)) < 0 ||
      (ret = gnutls_x509_crq_sign2 (crq, key, GNUTLS_DIG_SHA256, 0)) < 0 ||
      (ret = gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_PEM, &out)) < 0)
    return gnutls_failed (error, ret, _("Could not make the ACME server's request"));
  *csr_pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);

  ret = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out);
  if (ret < 0)
    return gnutls_failed (error, ret, _("Could not keep the ACME server's key"));
  *key_pem = g_strndup ((const char *)out.data, out.size);
  vouch_datum_wipe_free (&out);
  return TRUE;
}

/* Makes a key and has the root sign its certificate. Blocks on the
 * keyring and the signature: callers run it on a worker thread or
 * before serving. */
static Issued *
issue (VouchAuthority  *authority,
       char * const    *names,
       GCancellable    *cancellable,
       GError         **error)
{
  g_autoptr(Issued) issued = g_new0 (Issued, 1);
  g_autofree char *csr = NULL;
  g_autofree char *root = NULL;
  g_autoptr(VouchCertificate) cert = NULL;

  if (!make_request (names, &csr, &issued->key, error))
    return NULL;
  cert = vouch_authority_sign (authority, (const guint8 *)csr, strlen (csr), NULL, cancellable,
                               error);
  if (cert == NULL)
    return NULL;
  root = vouch_root_ca_dup_pem (vouch_authority_get_root (authority));
  issued->chain = g_strconcat (vouch_certificate_get_pem (cert), root, NULL);
  return g_steal_pointer (&issued);
}

static char *
path_for (VouchAcmeServer *self,
          const char      *name)
{
  return g_build_filename (self->tls_dir, name, NULL);
}

/* Serves @chain with @key from now on. */
static gboolean
apply (VouchAcmeServer  *self,
       const char       *chain,
       const char       *key,
       GError          **error)
{
  g_autofree char *both = g_strconcat (chain, key, NULL);
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autoptr(VouchCertificate) leaf = NULL;

  tls = g_tls_certificate_new_from_pem (both, -1, error);
  memset (both, 0, strlen (both));
  if (tls == NULL)
    return FALSE;
  leaf = vouch_certificate_new_from_pem (chain, -1, error);
  if (leaf == NULL)
    return FALSE;

  soup_server_set_tls_certificate (self->soup, tls);
  g_set_object (&self->certificate, leaf);
  return TRUE;
}

static gboolean
save (VouchAcmeServer  *self,
      const Issued     *issued,
      GError          **error)
{
  g_autofree char *chain_path = path_for (self, "server.pem");
  g_autofree char *key_path = path_for (self, "server-key.pem");

  if (g_mkdir_with_parents (self->tls_dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create the folder %s: %s"), self->tls_dir, g_strerror (errsv));
      return FALSE;
    }
  return vouch_write_file_atomic (key_path, issued->key, strlen (issued->key), 0600, error) &&
         vouch_write_file_atomic (chain_path, issued->chain, strlen (issued->chain), 0644, error);
}

static gboolean
names_match (VouchCertificate *cert,
             char * const     *names)
{
  const char * const *have = vouch_certificate_get_names (cert);

  if (have == NULL || g_strv_length ((char **)have) != g_strv_length ((char **)names))
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *normalized = vouch_names_normalize (names[i], NULL);

      if (normalized == NULL || !g_strv_contains (have, normalized))
        return FALSE;
    }
  return TRUE;
}

/* Renewed a third of its lifetime before it ends, or for other names. */
static gboolean
needs_renewal (VouchAcmeServer  *self,
               VouchCertificate *cert)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 begin = vouch_certificate_get_not_before (cert);
  gint64 end = vouch_certificate_get_not_after (cert);
  VouchRootCa *root = vouch_authority_get_root (self->authority);

  return end - now < (end - begin) / 3 || !names_match (cert, self->names) ||
         g_strcmp0 (vouch_certificate_get_issuer (cert),
                    vouch_certificate_get_subject (vouch_root_ca_get_certificate (root))) != 0;
}

/* Serves the saved certificate if it is still good. */
static gboolean
load_saved (VouchAcmeServer *self)
{
  g_autofree char *chain_path = path_for (self, "server.pem");
  g_autofree char *key_path = path_for (self, "server-key.pem");
  g_autofree char *chain = NULL;
  g_autofree char *key = NULL;
  gsize key_len = 0;
  gboolean ok;

  if (!g_file_get_contents (chain_path, &chain, NULL, NULL) ||
      !g_file_get_contents (key_path, &key, &key_len, NULL))
    return FALSE;
  ok = apply (self, chain, key, NULL) && !needs_renewal (self, self->certificate);
  memset (key, 0, key_len);
  return ok;
}

gboolean
_vouch_acme_server_ensure_certificate (VouchAcmeServer  *self,
                                       gboolean          force,
                                       GCancellable     *cancellable,
                                       GError          **error)
{
  g_autoptr(Issued) issued = NULL;

  if (!force && load_saved (self))
    return TRUE;

  issued = issue (self->authority, self->names, cancellable, error);
  return issued != NULL && save (self, issued, error) && apply (self, issued->chain, issued->key, error);
}

static void
renew_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  VouchAcmeServer *self = source_object;
  GError *error = NULL;
  Issued *issued = issue (self->authority, self->names, cancellable, &error);

  if (issued == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, issued, (GDestroyNotify)issued_free);
}

static void
renewed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  VouchAcmeServer *self = VOUCH_ACME_SERVER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(Issued) issued = g_task_propagate_pointer (G_TASK (result), &error);

  /* A locked keyring is tried again at the next daily check; the old
   * certificate serves meanwhile. */
  if (issued == NULL || !save (self, issued, &error) ||
      !apply (self, issued->chain, issued->key, &error))
    g_warning ("The ACME server's certificate was not renewed: %s", error->message);
}

static gboolean
check_cb (gpointer user_data)
{
  VouchAcmeServer *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (self->certificate != NULL && !needs_renewal (self, self->certificate))
    return G_SOURCE_CONTINUE;

  task = g_task_new (self, self->cancellable, renewed_cb, NULL);
  g_task_set_source_tag (task, check_cb);
  g_task_run_in_thread (task, renew_thread);
  return G_SOURCE_CONTINUE;
}

void
_vouch_acme_server_schedule_renewal (VouchAcmeServer *self)
{
  g_clear_handle_id (&self->renew_source, g_source_remove);
  self->renew_source = g_timeout_add_seconds (CHECK_INTERVAL, check_cb, self);
}
