/* vouch-trust-helper-input.c: the privileged helper's input parser
 *
 * Kept apart from the helper's main() so that tests/fuzz/fuzz-helper-input
 * runs exactly the code that sees the caller's bytes as root. It links
 * GLib and GnuTLS only, like the helper.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-trust-helper"

#include "vouch-config.h"

#include "vouch-trust-helper-input.h"

#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

G_DEFINE_QUARK (vouch-trust-helper-input-error-quark, vouch_trust_helper_input_error)

/**
 * vouch_trust_helper_parse_ca:
 * @bytes: what the caller wrote on standard input
 *
 * Returns: (transfer full): the certificate's DER (our own re-encoding)
 *   when @bytes hold exactly one self-signed CA certificate fit to be a
 *   trust anchor, or %NULL with a sentence saying why
 */
GBytes *
vouch_trust_helper_parse_ca (GBytes  *bytes,
                             GError **error)
{
  gnutls_datum_t datum = { (unsigned char *)g_bytes_get_data (bytes, NULL),
                           g_bytes_get_size (bytes) };
  gnutls_x509_crt_t *list = NULL;
  unsigned int count = 0;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t der = { NULL, 0 };
  unsigned int ca = 0;
  unsigned int usage = 0;
  unsigned int verify = 0;
  GBytes *result;
  int ret;

  if (datum.size == 0)
    {
      g_set_error (error, VOUCH_TRUST_HELPER_INPUT_ERROR, 0,
                   _("no certificate on standard input"));
      return NULL;
    }

  ret = gnutls_x509_crt_list_import2 (&list, &count, &datum, GNUTLS_X509_FMT_PEM, 0);
  if (ret < 0)
    ret = gnutls_x509_crt_list_import2 (&list, &count, &datum, GNUTLS_X509_FMT_DER, 0);
  if (ret < 0)
    {
      g_set_error (error, VOUCH_TRUST_HELPER_INPUT_ERROR, 0,
                   _("the input is not a certificate: %s"), gnutls_strerror (ret));
      return NULL;
    }
  if (count != 1)
    {
      for (unsigned int i = 0; i < count; i++)
        gnutls_x509_crt_deinit (list[i]);
      gnutls_free (list);
      g_set_error (error, VOUCH_TRUST_HELPER_INPUT_ERROR, 0,
                   _("expected exactly one certificate, got %u"), count);
      return NULL;
    }
  crt = list[0];
  gnutls_free (list);

  if (gnutls_x509_crt_get_basic_constraints (crt, NULL, &ca, NULL) < 0 || !ca)
    {
      g_set_error (error, VOUCH_TRUST_HELPER_INPUT_ERROR, 0,
                   _("the certificate is not a CA (no basic constraints CA:TRUE)"));
      return NULL;
    }
  if (gnutls_x509_crt_get_key_usage (crt, &usage, NULL) < 0 ||
      !(usage & GNUTLS_KEY_KEY_CERT_SIGN))
    {
      g_set_error (error, VOUCH_TRUST_HELPER_INPUT_ERROR, 0,
                   _("the certificate may not sign certificates (no keyCertSign)"));
      return NULL;
    }
  if (!gnutls_x509_crt_check_issuer (crt, crt) ||
      gnutls_x509_crt_verify (crt, &crt, 1, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &verify) < 0 ||
      verify != 0)
    {
      g_set_error (error, VOUCH_TRUST_HELPER_INPUT_ERROR, 0,
                   _("the certificate is not a self-signed root"));
      return NULL;
    }

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der) < 0)
    {
      g_set_error (error, VOUCH_TRUST_HELPER_INPUT_ERROR, 0,
                   _("could not encode the certificate"));
      return NULL;
    }
  result = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  return result;
}
