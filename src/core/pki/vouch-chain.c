/* vouch-chain.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-chain.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

static void
free_chain (gnutls_x509_crt_t *chain,
            guint              len)
{
  for (guint i = 0; i < len; i++)
    gnutls_x509_crt_deinit (chain[i]);
}

static guint
import_served (GTlsCertificate   *served,
               gnutls_x509_crt_t  chain[VOUCH_CHAIN_MAX_LENGTH])
{
  guint len = 0;

  for (GTlsCertificate *cert = served; cert != NULL && len < VOUCH_CHAIN_MAX_LENGTH;
       cert = g_tls_certificate_get_issuer (cert))
    {
      g_autoptr(GByteArray) der = NULL;
      gnutls_datum_t datum;

      g_object_get (cert, "certificate", &der, NULL);
      if (der == NULL)
        break;
      datum.data = der->data;
      datum.size = der->len;
      if (gnutls_x509_crt_init (&chain[len]) < 0)
        break;
      if (gnutls_x509_crt_import (chain[len], &datum, GNUTLS_X509_FMT_DER) < 0)
        {
          gnutls_x509_crt_deinit (chain[len]);
          break;
        }
      len++;
    }

  return len;
}

static void
set_invalid (GError       **error,
             const char    *name,
             int            ret,
             unsigned int   status)
{
  gnutls_datum_t text = { NULL, 0 };
  const char *reason;

  if (ret >= 0)
    gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &text, 0);
  reason = ret < 0 ? gnutls_strerror (ret) : text.data != NULL ? (const char *)text.data : "";

  if (name != NULL)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED,
                 _("The certificate the device serves does not validate to the root for "
                   "“%s”: %s"), name, reason);
  else
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED,
                 _("The certificate the device serves does not validate to the root: %s"),
                 reason);
  gnutls_free (text.data);
}

/* Signatures up to the root alone, validity, the root's name constraints
 * and the TLS server purpose: all a browser checks besides the name. */
static gboolean
verify_to_root (gnutls_x509_trust_list_t   trust,
                gnutls_x509_crt_t         *chain,
                guint                      len,
                const char                *first_name,
                GError                   **error)
{
  gnutls_typed_vdata_st purpose = { 0 };
  unsigned int status = 0;
  int ret;

  purpose.type = GNUTLS_DT_KEY_PURPOSE_OID;
  purpose.data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
  ret = gnutls_x509_trust_list_verify_crt2 (trust, chain, len, &purpose, 1, 0, &status, NULL);
  if (ret < 0 || status != 0)
    {
      set_invalid (error, first_name, ret, status);
      return FALSE;
    }

  return TRUE;
}

/**
 * vouch_chain_verify:
 * @served: the chain a device presented, leaf first
 * @expected_sha256: (nullable): the leaf must be this certificate
 * @names: (nullable): every name the leaf must be valid for
 *
 * Checks what a browser would: that the chain validates to @root alone,
 * for TLS server use, and then that the leaf is valid for each name.
 * GnuTLS enforces the root's name constraints on the way. With no names,
 * the chain is still checked.
 */
gboolean
vouch_chain_verify (VouchRootCa         *root,
                    GTlsCertificate     *served,
                    const char          *expected_sha256,
                    const char * const  *names,
                    GError             **error)
{
  gnutls_x509_crt_t chain[VOUCH_CHAIN_MAX_LENGTH];
  gnutls_x509_trust_list_t trust = NULL;
  gnutls_x509_crt_t ca = NULL;
  g_autofree char *leaf_sha256 = NULL;
  g_autofree char *root_pem = NULL;
  gnutls_datum_t datum;
  gboolean ok = FALSE;
  guint len;

  g_return_val_if_fail (VOUCH_IS_ROOT_CA (root), FALSE);

  len = served != NULL ? import_served (served, chain) : 0;
  if (len == 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED,
                   _("The device presented no certificate"));
      return FALSE;
    }

  leaf_sha256 = vouch_crt_sha256_hex (chain[0], ':');
  if (expected_sha256 != NULL && g_strcmp0 (leaf_sha256, expected_sha256) != 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED,
                   _("The device still serves another certificate (SHA-256 %s)"), leaf_sha256);
      goto out;
    }

  root_pem = vouch_root_ca_dup_pem (root);
  datum.data = (unsigned char *)root_pem;
  datum.size = (unsigned int)strlen (root_pem);
  if (gnutls_x509_trust_list_init (&trust, 0) < 0 ||
      gnutls_x509_crt_init (&ca) < 0 ||
      gnutls_x509_crt_import (ca, &datum, GNUTLS_X509_FMT_PEM) < 0 ||
      gnutls_x509_trust_list_add_cas (trust, &ca, 1, 0) != 1)
    {
      g_clear_pointer (&ca, gnutls_x509_crt_deinit);
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO, _("Could not load the root"));
      goto out;
    }
  /* The trust list owns the root now. */
  ca = NULL;

  /* What verify_crt2 checks besides the name (signatures up to the root,
   * validity, the root's name constraints over every name the leaf holds,
   * key purposes) is the same for every name; given a name, it only adds
   * the same match of the leaf that gnutls_x509_crt_check_hostname2() and
   * gnutls_x509_crt_check_ip() make. So the chain is verified once, even
   * when there is no name to match, and the leaf then matched against each
   * name: the answer verify_crt2 would give per name, at one signature
   * verification instead of one per name. */
  if (!verify_to_root (trust, chain, len, names != NULL ? names[0] : NULL, error))
    goto out;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (names[i]);
      gboolean matches;

      if (address != NULL)
        matches = gnutls_x509_crt_check_ip (chain[0], g_inet_address_to_bytes (address),
                                            g_inet_address_get_native_size (address), 0) != 0;
      else
        matches = gnutls_x509_crt_check_hostname2 (chain[0], names[i], 0) != 0;
      if (!matches)
        {
          set_invalid (error, names[i], 0, GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_INVALID);
          goto out;
        }
    }

  ok = TRUE;

out:
  if (trust != NULL)
    gnutls_x509_trust_list_deinit (trust, 1);
  free_chain (chain, len);
  return ok;
}
