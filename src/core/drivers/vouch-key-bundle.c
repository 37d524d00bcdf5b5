/* vouch-key-bundle.c: the one path where the device's key is not made on
 * the device
 *
 * Some devices' pages take only a key and a certificate together. For
 * them, and only when the operator chose it after being told that the key
 * then leaves Vouch, Vouch makes a key, asks its own authority to sign a
 * CSR for it (the same policy and inventory record as any other), and
 * returns both as a PKCS#12 file protected by the operator's passphrase.
 * The key exists in Vouch only inside this function: GnuTLS zeroes it
 * when it is freed, and nothing is written. Confirmation afterwards is the
 * same as for any driver: the device must serve that certificate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-key-bundle"

#include "vouch-config.h"

#include "vouch-key-bundle.h"

#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-root-ca.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>

static gboolean
add_name (gnutls_x509_crq_t  crq,
          const char        *name)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (name);

  if (address != NULL)
    return gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_IPADDRESS,
                                                 g_inet_address_to_bytes (address),
                                                 (unsigned int)g_inet_address_get_native_size (address),
                                                 GNUTLS_FSAN_APPEND) >= 0;

  return gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_DNSNAME, name,
                                               (unsigned int)strlen (name),
                                               GNUTLS_FSAN_APPEND) >= 0;
}

static char *
make_csr (gnutls_x509_privkey_t   key,
          const char * const     *names,
          VouchKeyType            key_type,
          GError                **error)
{
  g_auto(gnutls_x509_crq_t) crq = NULL;
  g_auto(gnutls_privkey_t) signer = NULL;
  gnutls_datum_t out = { NULL, 0 };
  char *pem;
  int ret;

  ret = gnutls_x509_crq_init (&crq);
  if (ret >= 0)
    ret = gnutls_x509_crq_set_version (crq, 1);
  if (ret >= 0)
    ret = gnutls_x509_crq_set_dn_by_oid (crq, GNUTLS_OID_X520_COMMON_NAME, 0, names[0],
                                         (unsigned int)strlen (names[0]));
  if (ret >= 0)
    ret = gnutls_x509_crq_set_key (crq, key);
  for (guint i = 0; ret >= 0 && names[i] != NULL; i++)
    if (!add_name (crq, names[i]))
      ret = GNUTLS_E_INVALID_REQUEST;
  if (ret >= 0)
    ret = gnutls_privkey_init (&signer);
  if (ret >= 0)
    ret = gnutls_privkey_import_x509 (signer, key, 0);
  if (ret >= 0)
    ret = gnutls_x509_crq_privkey_sign (crq, signer, vouch_key_type_get_digest (key_type), 0);
  if (ret >= 0)
    ret = gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_PEM, &out);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not make the request"));
      return NULL;
    }

  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

/* A long passphrase of two or three characters repeated ("aaaa…",
 * "1212…") is long only to look at. */
static gboolean
varied_enough (const char *passphrase)
{
  gunichar seen[VOUCH_KEY_BUNDLE_MIN_DISTINCT];
  guint n_seen = 0;

  for (const char *p = passphrase; *p != '\0' && n_seen < G_N_ELEMENTS (seen);
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean known = FALSE;

      for (guint i = 0; i < n_seen && !known; i++)
        known = seen[i] == c;
      if (!known)
        seen[n_seen++] = c;
    }
  return n_seen >= VOUCH_KEY_BUNDLE_MIN_DISTINCT;
}

/**
 * vouch_key_bundle_make:
 * @names: the device's names; the first is also the common name
 * @device_id: (nullable): the device the certificate is recorded for
 * @passphrase: protects the file; required
 *
 * Makes a key, has @authority sign a certificate for it under its usual
 * policy, and returns both as PKCS#12. Blocks (key generation, keyring):
 * run it on a worker thread in the app.
 *
 * Returns: (transfer full): the PKCS#12 file (DER)
 */
GBytes *
vouch_key_bundle_make (VouchAuthority      *authority,
                       const char * const  *names,
                       VouchKeyType         key_type,
                       guint                days,
                       const char          *device_id,
                       const char          *passphrase,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autofree char *csr = NULL;
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  guint8 key_id_data[64];
  size_t key_id_len = sizeof key_id_data;
  gnutls_datum_t key_id;
  gnutls_datum_t datum;
  int ret;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (authority), NULL);

  if (names == NULL || names[0] == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("Say which names the device's certificate is for"));
      return NULL;
    }
  if (passphrase == NULL || *passphrase == '\0')
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                   _("The key and certificate file needs a passphrase"));
      return NULL;
    }
  if (g_utf8_strlen (passphrase, -1) < VOUCH_KEY_BUNDLE_MIN_PASSPHRASE)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                   _("Use at least %d characters: whoever gets the file can guess at its "
                     "passphrase offline, without limit"), VOUCH_KEY_BUNDLE_MIN_PASSPHRASE);
      return NULL;
    }
  if (!varied_enough (passphrase))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                   _("This passphrase repeats a few characters and is easy to guess; use "
                     "several unrelated words, or a mix of characters"));
      return NULL;
    }

  ret = gnutls_x509_privkey_init (&key);
  if (ret >= 0)
    ret = gnutls_x509_privkey_generate (key, vouch_key_type_get_algorithm (key_type),
                                        vouch_key_type_get_bits (key_type), 0);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not make a key"));
      return NULL;
    }

  csr = make_csr (key, names, key_type, error);
  if (csr == NULL)
    return NULL;

  options.days = days;
  options.device_id = device_id;
  cert = vouch_authority_sign (authority, (const guint8 *)csr, strlen (csr), &options,
                               cancellable, error);
  if (cert == NULL)
    return NULL;

  datum.data = (unsigned char *)vouch_certificate_get_pem (cert);
  datum.size = (unsigned int)strlen (vouch_certificate_get_pem (cert));
  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM)) < 0 ||
      (ret = gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, key_id_data,
                                             &key_id_len)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not read the certificate"));
      return NULL;
    }

  key_id.data = key_id_data;
  key_id.size = (unsigned int)key_id_len;
  return vouch_pkcs12_write (crt, key, &key_id, names[0], passphrase,
                             _("Could not write the key and certificate file"), error);
}
