/* vouch-root-ca-pkcs12.c: a root and its key as a PKCS#12 file, for
 * backups and for roots made by other tools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-root-ca"

#include "vouch-config.h"

#include "vouch-root-ca-private.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

/* A real file has a few bags (OpenSSL and Vouch write two); more is not a
 * backup, and each encrypted one costs a key derivation. */
#define MAX_BAGS 16
#define MAX_CERTIFICATES 64

/* Every key derivation a file asks for is checked before it runs: the
 * iteration count is the file's own, so a hostile file could otherwise
 * make an import run for days. */
static gboolean
check_iterations (unsigned int   iterations,
                  GError       **error)
{
  if (iterations <= VOUCH_PKCS12_MAX_ITERATIONS)
    return TRUE;

  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
               _("This file asks for %u key-derivation iterations; Vouch accepts at most %u"),
               iterations, (guint)VOUCH_PKCS12_MAX_ITERATIONS);
  return FALSE;
}

static gboolean
set_bad_passphrase (GError **error)
{
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
               _("The passphrase is wrong, or the file has been damaged"));
  return FALSE;
}

static gboolean
set_unreadable (GError **error,
                int      ret)
{
  return vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                                 _("The PKCS#12 file cannot be read"));
}

/* What the file holds: its first private key and every certificate. */
typedef struct
{
  gnutls_x509_privkey_t  xkey;
  GPtrArray             *certs;
} Contents;

static void
contents_clear (Contents *contents)
{
  g_clear_pointer (&contents->xkey, gnutls_x509_privkey_deinit);
  g_clear_pointer (&contents->certs, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Contents, contents_clear)

static gboolean
read_key (Contents                 *contents,
          const gnutls_datum_t     *data,
          gnutls_pkcs12_bag_type_t  type,
          const char               *passphrase,
          GError                  **error)
{
  unsigned int iterations = 0;
  int ret;

  /* A second key is not the root's; it is not even decrypted. */
  if (contents->xkey != NULL)
    return TRUE;

  if (type == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY)
    {
      guint8 salt[64];
      unsigned int salt_size = sizeof salt;
      char *oid = NULL;

      /* Asked for only to be freed: see vouch_root_ca_import_pkcs12(). */
      ret = gnutls_pkcs8_info (data, GNUTLS_X509_FMT_DER, NULL, NULL, salt, &salt_size,
                               &iterations, &oid);
      g_clear_pointer (&oid, gnutls_free);
      if (ret < 0)
        return set_unreadable (error, ret);
      if (!check_iterations (iterations, error))
        return FALSE;
    }

  if ((ret = gnutls_x509_privkey_init (&contents->xkey)) < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Out of memory"));

  ret = gnutls_x509_privkey_import_pkcs8 (contents->xkey, data, GNUTLS_X509_FMT_DER, passphrase,
                                          type == GNUTLS_BAG_PKCS8_KEY ? GNUTLS_PKCS_PLAIN : 0);
  if (ret < 0)
    {
      g_clear_pointer (&contents->xkey, gnutls_x509_privkey_deinit);
      return ret == GNUTLS_E_DECRYPTION_FAILED ? set_bad_passphrase (error)
                                               : set_unreadable (error, ret);
    }

  return TRUE;
}

static gboolean
read_certificate (Contents              *contents,
                  const gnutls_datum_t  *data,
                  GError               **error)
{
  gnutls_x509_crt_t crt = NULL;
  int ret;

  if (contents->certs->len >= MAX_CERTIFICATES)
    return TRUE;

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, data, GNUTLS_X509_FMT_DER)) < 0)
    {
      g_clear_pointer (&crt, gnutls_x509_crt_deinit);
      return set_unreadable (error, ret);
    }

  g_ptr_array_add (contents->certs, crt);
  return TRUE;
}

static gboolean
read_bag (Contents             *contents,
          gnutls_pkcs12_bag_t   bag,
          const char           *passphrase,
          GError              **error)
{
  int count;
  int ret;

  if (gnutls_pkcs12_bag_get_type (bag, 0) == GNUTLS_BAG_ENCRYPTED)
    {
      guint8 salt[64];
      unsigned int salt_size = sizeof salt;
      unsigned int iterations = 0;
      char *oid = NULL;

      /* Asked for only to be freed: see vouch_root_ca_import_pkcs12(). */
      ret = gnutls_pkcs12_bag_enc_info (bag, NULL, NULL, salt, &salt_size, &iterations, &oid);
      g_clear_pointer (&oid, gnutls_free);
      if (ret < 0)
        return set_unreadable (error, ret);
      if (!check_iterations (iterations, error))
        return FALSE;

      ret = gnutls_pkcs12_bag_decrypt (bag, passphrase);
      if (ret < 0)
        return ret == GNUTLS_E_DECRYPTION_FAILED ? set_bad_passphrase (error)
                                                 : set_unreadable (error, ret);
    }

  count = gnutls_pkcs12_bag_get_count (bag);
  for (int i = 0; i < count; i++)
    {
      gnutls_pkcs12_bag_type_t type = gnutls_pkcs12_bag_get_type (bag, (unsigned int)i);
      gnutls_datum_t data = { NULL, 0 };
      gboolean ok = TRUE;

      if ((ret = gnutls_pkcs12_bag_get_data (bag, (unsigned int)i, &data)) < 0)
        return set_unreadable (error, ret);

      if (type == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY || type == GNUTLS_BAG_PKCS8_KEY)
        ok = read_key (contents, &data, type, passphrase, error);
      else if (type == GNUTLS_BAG_CERTIFICATE)
        ok = read_certificate (contents, &data, error);
      /* CRLs and secrets have nothing to do with the root. */
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

/* The certificate for the key, whichever bag it came in. */
static gnutls_x509_crt_t
steal_certificate_for_key (Contents *contents)
{
  guint8 key_id[64];
  size_t key_id_len = sizeof key_id;

  if (contents->xkey == NULL ||
      gnutls_x509_privkey_get_key_id (contents->xkey, GNUTLS_KEYID_USE_SHA256, key_id,
                                      &key_id_len) < 0)
    return NULL;

  for (guint i = 0; i < contents->certs->len; i++)
    {
      gnutls_x509_crt_t crt = g_ptr_array_index (contents->certs, i);
      guint8 id[64];
      size_t id_len = sizeof id;

      if (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA256, id, &id_len) >= 0 &&
          id_len == key_id_len && memcmp (id, key_id, id_len) == 0)
        {
          /* Taken out of the array without being freed. */
          contents->certs->pdata[i] = NULL;
          return crt;
        }
    }

  return NULL;
}

static void
crt_free (gpointer crt)
{
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
}

/**
 * vouch_root_ca_import_pkcs12:
 * @passphrase: (nullable): the passphrase, or %NULL for an unprotected file
 *
 * Reads a PKCS#12 file holding a root and its key, as Vouch's backups and
 * tools such as XCA and OpenSSL write them. A file asking for more than
 * %VOUCH_PKCS12_MAX_ITERATIONS iterations of any key derivation (its MAC,
 * an encrypted bag, the shrouded key) is refused before any runs.
 */
VouchRootCa *
vouch_root_ca_import_pkcs12 (GBytes      *pkcs12,
                             const char  *passphrase,
                             GError     **error)
{
  g_auto(gnutls_pkcs12_t) p12 = NULL;
  g_auto(Contents) contents = { NULL, NULL };
  g_autoptr(VouchRootCa) self = NULL;
  gnutls_x509_crt_t crt;
  gnutls_datum_t datum;
  guint8 salt[64];
  unsigned int salt_size = sizeof salt;
  unsigned int iterations = 0;
  char *mac_oid = NULL;
  gsize len = 0;
  int ret;

  g_return_val_if_fail (pkcs12 != NULL, NULL);

  if (passphrase == NULL)
    passphrase = "";

  datum.data = (unsigned char *)g_bytes_get_data (pkcs12, &len);
  datum.size = (unsigned int)len;

  if ((ret = gnutls_pkcs12_init (&p12)) < 0 ||
      (ret = gnutls_pkcs12_import (p12, &datum, _vouch_root_ca_guess_format (pkcs12), 0)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("The file is not a PKCS#12 backup"));
      return NULL;
    }

  /* A file without a MAC (OpenSSL's -nomac) has no MAC information; its
   * encrypted parts still need the passphrase. */
  /* The OID is asked for only to free it: GnuTLS 3.7 allocates it even
   * when the caller passes NULL, and loses it when the MAC's digest is
   * unknown. */
  ret = gnutls_pkcs12_mac_info (p12, NULL, salt, &salt_size, &iterations, &mac_oid);
  g_clear_pointer (&mac_oid, gnutls_free);
  if (ret >= 0)
    {
      if (!check_iterations (iterations, error))
        return NULL;
      if (gnutls_pkcs12_verify_mac (p12, passphrase) < 0)
        {
          set_bad_passphrase (error);
          return NULL;
        }
    }

  contents.certs = g_ptr_array_new_with_free_func (crt_free);
  for (int i = 0; ; i++)
    {
      g_auto(gnutls_pkcs12_bag_t) bag = NULL;

      if ((ret = gnutls_pkcs12_bag_init (&bag)) < 0)
        {
          vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Out of memory"));
          return NULL;
        }

      ret = gnutls_pkcs12_get_bag (p12, i, bag);
      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (ret < 0)
        {
          set_unreadable (error, ret);
          return NULL;
        }

      if (i >= MAX_BAGS)
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                       _("The PKCS#12 file holds more than %d parts; it is not a backup of "
                         "one root"), MAX_BAGS);
          return NULL;
        }

      if (!read_bag (&contents, bag, passphrase, error))
        return NULL;
    }

  crt = steal_certificate_for_key (&contents);
  if (crt == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The PKCS#12 file must hold both a certificate and its private key"));
      return NULL;
    }

  self = _vouch_root_ca_new_take_crt (crt, error);
  if (self == NULL)
    return NULL;

  if (!_vouch_root_ca_take_key (self, g_steal_pointer (&contents.xkey), error))
    return NULL;

  return g_steal_pointer (&self);
}

static gboolean
add_bag_attributes (gnutls_pkcs12_bag_t   bag,
                    int                   index,
                    const gnutls_datum_t *key_id,
                    const char           *friendly_name)
{
  return gnutls_pkcs12_bag_set_key_id (bag, (unsigned int)index, key_id) >= 0 &&
         gnutls_pkcs12_bag_set_friendly_name (bag, (unsigned int)index, friendly_name) >= 0;
}

/**
 * vouch_root_ca_export_pkcs12:
 * @passphrase: protects the file; required
 *
 * Writes the root and its key as a PKCS#12 file whose bags are encrypted
 * with AES-256 under a PBKDF2 key (PBES2), with an HMAC-SHA256 integrity
 * check.
 *
 * Returns: (transfer full): the DER-encoded file
 */
GBytes *
vouch_root_ca_export_pkcs12 (VouchRootCa  *self,
                             const char   *passphrase,
                             GError      **error)
{
  gnutls_datum_t key_id = { NULL, 0 };
  gsize key_id_len = 0;

  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  if (!vouch_root_ca_has_key (self))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING,
                   _("The root's key is not loaded"));
      return NULL;
    }

  if (*passphrase == '\0')
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                   _("A backup needs a passphrase"));
      return NULL;
    }

  key_id.data = (unsigned char *)_vouch_root_ca_get_key_id (self, &key_id_len);
  key_id.size = (unsigned int)key_id_len;
  return vouch_pkcs12_write (_vouch_root_ca_get_crt (self), _vouch_root_ca_get_x509_key (self),
                             &key_id,
                             vouch_certificate_get_subject (vouch_root_ca_get_certificate (self)),
                             passphrase, _("Could not write the backup"), error);
}

/**
 * vouch_pkcs12_write:
 * @key_id: the key's identifier, set as localKeyId on both bags
 * @failure: what the error says first
 *
 * A PKCS#12 file of @crt and @key, both bags encrypted with AES-256 under
 * a PBKDF2 key (PBES2), with an HMAC-SHA256 integrity check.
 *
 * Returns: (transfer full): the DER-encoded file
 */
GBytes *
vouch_pkcs12_write (gnutls_x509_crt_t      crt,
                    gnutls_x509_privkey_t  key,
                    const gnutls_datum_t  *key_id,
                    const char            *friendly_name,
                    const char            *passphrase,
                    const char            *failure,
                    GError               **error)
{
  g_auto(gnutls_pkcs12_t) p12 = NULL;
  g_auto(gnutls_pkcs12_bag_t) cert_bag = NULL;
  g_auto(gnutls_pkcs12_bag_t) key_bag = NULL;
  gnutls_datum_t key_der = { NULL, 0 };
  gnutls_datum_t out = { NULL, 0 };
  GBytes *result;
  int index;
  int ret;

  if ((ret = gnutls_pkcs12_init (&p12)) < 0 ||
      (ret = gnutls_pkcs12_bag_init (&cert_bag)) < 0 ||
      (ret = gnutls_pkcs12_bag_init (&key_bag)) < 0 ||
      (ret = index = gnutls_pkcs12_bag_set_crt (cert_bag, crt)) < 0 ||
      !add_bag_attributes (cert_bag, index, key_id, friendly_name) ||
      (ret = gnutls_pkcs12_bag_encrypt (cert_bag, passphrase, GNUTLS_PKCS_PBES2_AES_256)) < 0 ||
      (ret = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_DER, passphrase,
                                                GNUTLS_PKCS_PBES2_AES_256, &key_der)) < 0 ||
      (ret = index = gnutls_pkcs12_bag_set_data (key_bag, GNUTLS_BAG_PKCS8_ENCRYPTED_KEY,
                                                 &key_der)) < 0 ||
      !add_bag_attributes (key_bag, index, key_id, friendly_name) ||
      (ret = gnutls_pkcs12_set_bag (p12, cert_bag)) < 0 ||
      (ret = gnutls_pkcs12_set_bag (p12, key_bag)) < 0 ||
      (ret = gnutls_pkcs12_generate_mac2 (p12, GNUTLS_MAC_SHA256, passphrase)) < 0 ||
      (ret = gnutls_pkcs12_export2 (p12, GNUTLS_X509_FMT_DER, &out)) < 0)
    {
      vouch_datum_wipe_free (&key_der);
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret < 0 ? ret : GNUTLS_E_INTERNAL_ERROR,
                              failure);
      return NULL;
    }

  vouch_datum_wipe_free (&key_der);
  result = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return result;
}

