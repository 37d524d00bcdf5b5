/* vouch-root-ca.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-root-ca"

#include "vouch-config.h"

#include "vouch-root-ca-private.h"

#include "vouch-error.h"
#include "vouch-signing-request-private.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

enum {
  PROP_0,
  PROP_CERTIFICATE,
  PROP_CONSTRAINTS,
  PROP_HAS_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchRootCa, vouch_root_ca, G_TYPE_OBJECT)

static void
vouch_root_ca_dispose (GObject *object)
{
  VouchRootCa *self = (VouchRootCa *)object;

  g_clear_object (&self->certificate);
  g_clear_object (&self->constraints);

  G_OBJECT_CLASS (vouch_root_ca_parent_class)->dispose (object);
}

static void
vouch_root_ca_finalize (GObject *object)
{
  VouchRootCa *self = (VouchRootCa *)object;

  g_clear_pointer (&self->key, gnutls_privkey_deinit);
  g_clear_pointer (&self->xkey, gnutls_x509_privkey_deinit);
  g_clear_pointer (&self->crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&self->pubkey, gnutls_pubkey_deinit);
  _vouch_root_ca_clear_leaf_extensions (self);

  G_OBJECT_CLASS (vouch_root_ca_parent_class)->finalize (object);
}

static void
vouch_root_ca_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VouchRootCa *self = VOUCH_ROOT_CA (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;

    case PROP_CONSTRAINTS:
      g_value_set_object (value, self->constraints);
      break;

    case PROP_HAS_KEY:
      g_value_set_boolean (value, self->key != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_root_ca_class_init (VouchRootCaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vouch_root_ca_dispose;
  object_class->finalize = vouch_root_ca_finalize;
  object_class->get_property = vouch_root_ca_get_property;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, VOUCH_TYPE_CERTIFICATE, ro);
  properties[PROP_CONSTRAINTS] =
    g_param_spec_object ("constraints", NULL, NULL, VOUCH_TYPE_NAME_CONSTRAINTS, ro);
  properties[PROP_HAS_KEY] =
    g_param_spec_boolean ("has-key", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_root_ca_init (VouchRootCa *self)
{
}

gboolean
_vouch_root_ca_random_serial (guint8   serial[VOUCH_SERIAL_LEN],
                              GError **error)
{
  int ret = gnutls_rnd (GNUTLS_RND_NONCE, serial, VOUCH_SERIAL_LEN);

  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                   _("Could not draw a random serial number"));

  /* Positive, and a full 16 bytes so the DER encoding keeps its length. */
  serial[0] = (guint8)((serial[0] & 0x7f) | 0x40);
  return TRUE;
}

/* Sets up the derived state once the certificate is known. */
VouchRootCa *
_vouch_root_ca_new_take_crt (gnutls_x509_crt_t   crt,
                             GError            **error)
{
  g_autoptr(VouchRootCa) self = g_object_new (VOUCH_TYPE_ROOT_CA, NULL);
  unsigned int critical = 0;
  int ret;

  self->crt = crt;

  self->certificate = vouch_certificate_new_from_crt (crt, error);
  if (self->certificate == NULL)
    return NULL;

  if (!vouch_certificate_get_is_ca (self->certificate))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_A_CA,
                   _("“%s” is not a certificate authority (its basic constraints do not say "
                     "CA:TRUE), so it cannot be a root"),
                   vouch_certificate_get_subject (self->certificate));
      return NULL;
    }

  if (!gnutls_x509_crt_check_issuer (crt, crt))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_A_CA,
                   _("“%s” is not a self-signed root certificate"),
                   vouch_certificate_get_subject (self->certificate));
      return NULL;
    }

  {
    unsigned int status = 0;

    gnutls_x509_crt_verify (crt, &crt, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS, &status);
    if (status != 0)
      {
        g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_A_CA,
                     _("The root certificate's self-signature does not verify"));
        return NULL;
      }
  }

  self->constraints = vouch_name_constraints_new_from_crt (crt, error);
  if (self->constraints == NULL)
    return NULL;

  self->key_id_len = sizeof self->key_id;
  ret = gnutls_x509_crt_get_subject_key_id (crt, self->key_id, &self->key_id_len, &critical);
  if (ret < 0)
    {
      self->key_id_len = sizeof self->key_id;
      ret = gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, self->key_id,
                                        &self->key_id_len);
      if (ret < 0)
        {
          vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                  _("Could not compute the root's key identifier"));
          return NULL;
        }
    }

  if ((ret = gnutls_pubkey_init (&self->pubkey)) < 0 ||
      (ret = gnutls_pubkey_import_x509 (self->pubkey, crt, 0)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("The certificate's public key cannot be read"));
      return NULL;
    }

  if (!_vouch_root_ca_encode_leaf_extensions (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

VouchRootCa *
vouch_root_ca_new_from_pem (const char  *pem,
                            gsize        len,
                            GError     **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum = { (unsigned char *)pem, (unsigned int)len };
  int ret;

  g_return_val_if_fail (pem != NULL, NULL);

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM)) < 0)
    {
      g_clear_pointer (&crt, gnutls_x509_crt_deinit);
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("The root certificate cannot be read"));
      return NULL;
    }

  return _vouch_root_ca_new_take_crt (crt, error);
}

/* Checks that @pubkey is the root certificate's key: by its numbers, as
 * the key is read for every signature; by its SubjectPublicKeyInfo's
 * SHA-256 for a kind of key that has none to compare. */
static gboolean
check_pubkey (VouchRootCa     *self,
              gnutls_pubkey_t  pubkey,
              GError         **error)
{
  int same = vouch_pubkey_compare_numbers (pubkey, self->pubkey);

  if (same < 0)
    {
      guint8 key_hash[VOUCH_SHA256_LEN];
      g_autofree char *key_hex = NULL;

      if (!vouch_pubkey_spki_sha256 (pubkey, key_hash, error))
        return FALSE;
      key_hex = vouch_hex_encode (key_hash, sizeof key_hash, '\0');
      same = g_ascii_strcasecmp (key_hex, vouch_certificate_get_key_sha256 (self->certificate)) == 0;
    }

  if (same == 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISMATCH,
                   _("The private key does not belong to the root certificate “%s”"),
                   vouch_certificate_get_subject (self->certificate));
      return FALSE;
    }

  /* SHA-384 for P-384 keys, SHA-256 otherwise: what GnuTLS prefers. */
  if (gnutls_pubkey_get_preferred_hash_algorithm (pubkey, &self->digest, NULL) < 0)
    self->digest = GNUTLS_DIG_SHA256;
  return TRUE;
}

/**
 * _vouch_root_ca_take_privkey:
 * @key: (transfer full): a key that signs elsewhere, such as on a PKCS#11
 *   token; it holds no key material in this process
 *
 * Makes @key the root's signing key until vouch_root_ca_forget_key().
 */
gboolean
_vouch_root_ca_take_privkey (VouchRootCa       *self,
                             gnutls_privkey_t   key,
                             GError           **error)
{
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  int ret;

  if ((ret = gnutls_pubkey_init (&pubkey)) < 0 ||
      (ret = gnutls_pubkey_import_privkey (pubkey, key, 0, 0)) < 0)
    {
      gnutls_privkey_deinit (key);
      return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                     _("The private key cannot be used"));
    }

  if (!check_pubkey (self, pubkey, error))
    {
      gnutls_privkey_deinit (key);
      return FALSE;
    }

  vouch_root_ca_forget_key (self);
  self->key = key;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
  return TRUE;
}

gboolean
_vouch_root_ca_take_key (VouchRootCa            *self,
                         gnutls_x509_privkey_t   xkey,
                         GError                **error)
{
  g_auto(gnutls_privkey_t) key = NULL;
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  int ret;

  if ((ret = gnutls_privkey_init (&key)) < 0 ||
      (ret = gnutls_privkey_import_x509 (key, xkey, 0)) < 0 ||
      (ret = gnutls_pubkey_init (&pubkey)) < 0 ||
      (ret = gnutls_pubkey_import_privkey (pubkey, key, 0, 0)) < 0)
    {
      gnutls_x509_privkey_deinit (xkey);
      return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                     _("The private key cannot be used"));
    }

  if (!check_pubkey (self, pubkey, error))
    {
      gnutls_x509_privkey_deinit (xkey);
      return FALSE;
    }

  vouch_root_ca_forget_key (self);
  /* The privkey references xkey without copying it; both go together. */
  self->xkey = xkey;
  self->key = g_steal_pointer (&key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
  return TRUE;
}

/**
 * vouch_root_ca_generate_with_key:
 * @signer: the new root's key, for example on a PKCS#11 token
 *
 * Makes a self-signed root for @signer. The root does not keep @signer.
 */
VouchRootCa *
vouch_root_ca_generate_with_key (const char            *name,
                                 VouchKeyType           key_type,
                                 VouchNameConstraints  *constraints,
                                 gnutls_privkey_t       signer,
                                 GError               **error)
{
  gnutls_x509_crt_t crt = NULL;
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  guint8 serial[VOUCH_SERIAL_LEN];
  guint8 key_id[64];
  size_t key_id_len = sizeof key_id;
  time_t now = time (NULL);
  int ret;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (constraints), NULL);
  g_return_val_if_fail (signer != NULL, NULL);

  if (*name == '\0' || strlen (name) > 64 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The root's name must be 1 to 64 characters of text"));
      return NULL;
    }

  if (!_vouch_root_ca_random_serial (serial, error))
    return NULL;

  if ((ret = gnutls_pubkey_init (&pubkey)) < 0 ||
      (ret = gnutls_pubkey_import_privkey (pubkey, signer, 0, 0)) < 0 ||
      (ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_set_version (crt, 3)) < 0 ||
      (ret = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0 ||
      (ret = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                            name, (unsigned int)strlen (name))) < 0 ||
      (ret = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                            "Vouch", 5)) < 0 ||
      (ret = gnutls_x509_crt_set_activation_time (crt, now - VOUCH_CLOCK_SKEW_SECONDS)) < 0 ||
      (ret = gnutls_x509_crt_set_expiration_time (crt, now + (time_t)VOUCH_ROOT_VALIDITY_DAYS * 86400)) < 0 ||
      (ret = gnutls_x509_crt_set_pubkey (crt, pubkey)) < 0 ||
      /* pathLen 1 leaves room for per-site intermediates later. */
      (ret = gnutls_x509_crt_set_basic_constraints (crt, 1, 1)) < 0 ||
      (ret = gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN)) < 0 ||
      (ret = gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_len)) < 0 ||
      (ret = gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_len)) < 0)
    {
      g_clear_pointer (&crt, gnutls_x509_crt_deinit);
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not create the root"));
      return NULL;
    }

  if (!vouch_name_constraints_apply (constraints, crt, error))
    {
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }

  ret = gnutls_x509_crt_privkey_sign (crt, crt, signer, vouch_key_type_get_digest (key_type), 0);
  if (ret < 0)
    {
      gnutls_x509_crt_deinit (crt);
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not sign the root"));
      return NULL;
    }

  return _vouch_root_ca_new_take_crt (crt, error);
}

VouchRootCa *
vouch_root_ca_generate (const char            *name,
                        VouchKeyType           key_type,
                        VouchNameConstraints  *constraints,
                        GError               **error)
{
  g_autoptr(VouchRootCa) self = NULL;
  gnutls_x509_privkey_t xkey = NULL;
  g_auto(gnutls_privkey_t) signer = NULL;
  int ret;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (constraints), NULL);

  if ((ret = gnutls_x509_privkey_init (&xkey)) < 0 ||
      (ret = gnutls_x509_privkey_generate (xkey, vouch_key_type_get_algorithm (key_type),
                                           vouch_key_type_get_bits (key_type), 0)) < 0 ||
      (ret = gnutls_privkey_init (&signer)) < 0 ||
      (ret = gnutls_privkey_import_x509 (signer, xkey, 0)) < 0)
    {
      g_clear_pointer (&xkey, gnutls_x509_privkey_deinit);
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not create the root"));
      return NULL;
    }

  self = vouch_root_ca_generate_with_key (name, key_type, constraints, signer, error);
  g_clear_pointer (&signer, gnutls_privkey_deinit);
  if (self == NULL)
    {
      gnutls_x509_privkey_deinit (xkey);
      return NULL;
    }

  if (!_vouch_root_ca_take_key (self, xkey, error))
    return NULL;

  return g_steal_pointer (&self);
}

gnutls_x509_crt_fmt_t
_vouch_root_ca_guess_format (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return len > 0 && data[0] == 0x30 ? GNUTLS_X509_FMT_DER : GNUTLS_X509_FMT_PEM;
}

/* GnuTLS's PEM reader copies the base64 text, and decodes it into a
 * buffer, both freed without being zeroed: every key read that way was left
 * in freed memory for the rest of the process. Decoding the PEM here keeps
 * the text and the DER in one buffer, which the caller wipes, and GnuTLS
 * reads the DER with its key decoders, which wipe what they copy.
 *
 * Returns: (nullable): that buffer, or %NULL when @text holds no PEM
 *   block, or one with headers (OpenSSL's legacy encryption), which only
 *   GnuTLS's reader understands */
static char *
decode_pem (const char     *text,
            gsize           text_len,
            gnutls_datum_t *out_der,
            gsize          *out_size)
{
  const char *begin;
  const char *body;
  const char *end;
  gsize len = 0;
  char *buffer;

  /* An empty file's bytes have no data at all. */
  if (text == NULL || text_len == 0)
    return NULL;
  begin = g_strstr_len (text, (gssize)text_len, "-----BEGIN ");
  if (begin == NULL)
    return NULL;
  body = memchr (begin, '\n', text_len - (gsize)(begin - text));
  if (body == NULL)
    return NULL;
  body++;
  end = g_strstr_len (body, (gssize)(text_len - (gsize)(body - text)), "-----END ");
  if (end == NULL || memchr (body, ':', (gsize)(end - body)) != NULL)
    return NULL;
  /* Too short to hold any base64: GnuTLS's reader says what is wrong. */
  if (end - body < 2)
    return NULL;

  *out_size = (gsize)(end - body) + 1;
  buffer = g_malloc (*out_size);
  memcpy (buffer, body, *out_size - 1);
  buffer[*out_size - 1] = '\0';
  out_der->data = g_base64_decode_inplace (buffer, &len);
  out_der->size = (unsigned int)len;
  return buffer;
}

static void
wipe_free (char  *buffer,
           gsize  size)
{
  gnutls_memset (buffer, 0, size);
  g_free (buffer);
}

/**
 * vouch_root_ca_import:
 * @cert: the root certificate, PEM or DER
 * @key: its private key: PKCS#8 (plain or encrypted), PKCS#1 or SEC1,
 *   PEM or DER
 * @key_passphrase: (nullable): for an encrypted key
 *
 * Imports a root made elsewhere, such as mkcert's rootCA.pem and
 * rootCA-key.pem.
 */
VouchRootCa *
vouch_root_ca_import (GBytes      *cert,
                      GBytes      *key,
                      const char  *key_passphrase,
                      GError     **error)
{
  g_autoptr(VouchRootCa) self = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_x509_privkey_t xkey = NULL;
  gnutls_datum_t datum;
  gnutls_datum_t der = { NULL, 0 };
  char *pem_buffer;
  gsize pem_size = 0;
  gsize len = 0;
  int ret;

  g_return_val_if_fail (cert != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  datum.data = (unsigned char *)g_bytes_get_data (cert, &len);
  datum.size = (unsigned int)len;
  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, &datum, _vouch_root_ca_guess_format (cert))) < 0)
    {
      g_clear_pointer (&crt, gnutls_x509_crt_deinit);
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("The certificate file does not hold a certificate"));
      return NULL;
    }

  self = _vouch_root_ca_new_take_crt (crt, error);
  if (self == NULL)
    return NULL;

  datum.data = (unsigned char *)g_bytes_get_data (key, &len);
  datum.size = (unsigned int)len;
  if ((ret = gnutls_x509_privkey_init (&xkey)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Out of memory"));
      return NULL;
    }

  if (_vouch_root_ca_guess_format (key) == GNUTLS_X509_FMT_PEM &&
      (pem_buffer = decode_pem ((const char *)datum.data, datum.size, &der, &pem_size)) != NULL)
    {
      ret = gnutls_x509_privkey_import2 (xkey, &der, GNUTLS_X509_FMT_DER, key_passphrase, 0);
      wipe_free (pem_buffer, pem_size);
    }
  else
    ret = gnutls_x509_privkey_import2 (xkey, &datum, _vouch_root_ca_guess_format (key),
                                       key_passphrase, 0);
  if (ret < 0)
    {
      gnutls_x509_privkey_deinit (xkey);
      if (ret == GNUTLS_E_DECRYPTION_FAILED)
        g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                     key_passphrase == NULL ? _("The key file is encrypted; give its passphrase")
                                            : _("The passphrase for the key file is wrong"));
      else
        vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                                _("The key file does not hold a private key"));
      return NULL;
    }

  if (!_vouch_root_ca_take_key (self, xkey, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * vouch_root_ca_load_key:
 * @pkcs8_pem: the key as stored in the keyring: unencrypted PKCS#8 PEM
 *
 * Refuses a key that does not belong to this root.
 */
gboolean
vouch_root_ca_load_key (VouchRootCa  *self,
                        const char   *pkcs8_pem,
                        GError      **error)
{
  gnutls_x509_privkey_t xkey = NULL;
  gnutls_datum_t der = { NULL, 0 };
  char *buffer;
  gsize size = 0;
  int ret;

  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), FALSE);
  g_return_val_if_fail (pkcs8_pem != NULL, FALSE);

  buffer = decode_pem (pkcs8_pem, strlen (pkcs8_pem), &der, &size);
  if (buffer == NULL)
    ret = GNUTLS_E_BASE64_DECODING_ERROR;
  else if ((ret = gnutls_x509_privkey_init (&xkey)) >= 0 &&
           (ret = gnutls_x509_privkey_import_pkcs8 (xkey, &der, GNUTLS_X509_FMT_DER, NULL,
                                                    GNUTLS_PKCS_PLAIN)) < 0)
    g_clear_pointer (&xkey, gnutls_x509_privkey_deinit);
  if (buffer != NULL)
    wipe_free (buffer, size);
  if (xkey == NULL)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_KEY_MISSING, ret,
                                   _("The key stored in the keyring cannot be read"));

  return _vouch_root_ca_take_key (self, xkey, error);
}

/* PEM with 64-column lines, NUL-terminated, in memory the caller wipes
 * with vouch_datum_wipe_free(). */
static void
encode_pkcs8_pem (const gnutls_datum_t *der,
                  gnutls_datum_t       *out)
{
  static const char begin[] = "-----BEGIN PRIVATE KEY-----\n";
  static const char end[] = "-----END PRIVATE KEY-----\n";
  gsize b64_size = (der->size / 3 + 1) * 4 + 4;
  char *b64 = g_malloc (b64_size);
  gint state = 0;
  gint save = 0;
  gsize b64_len;
  gsize size;
  char *p;

  b64_len = g_base64_encode_step (der->data, der->size, FALSE, b64, &state, &save);
  b64_len += g_base64_encode_close (FALSE, b64 + b64_len, &state, &save);

  size = strlen (begin) + b64_len + (b64_len + 63) / 64 + strlen (end);
  out->data = gnutls_malloc (size + 1);
  out->size = (unsigned int)size;
  p = (char *)out->data;
  p = g_stpcpy (p, begin);
  for (gsize at = 0; at < b64_len; at += 64)
    {
      gsize line = MIN (64, b64_len - at);

      memcpy (p, b64 + at, line);
      p += line;
      *p++ = '\n';
    }
  g_stpcpy (p, end);

  wipe_free (b64, b64_size);
}

/**
 * vouch_root_ca_export_key:
 * @out_pkcs8_pem: (out): the key as unencrypted PKCS#8 PEM, for the
 *   keyring only; wipe it with vouch_datum_wipe_free()
 */
gboolean
vouch_root_ca_export_key (VouchRootCa     *self,
                          gnutls_datum_t  *out_pkcs8_pem,
                          GError         **error)
{
  gnutls_datum_t der = { NULL, 0 };
  int ret;

  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), FALSE);

  if (self->xkey == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING, _("The root's key is not loaded"));
      return FALSE;
    }

  /* DER, encoded as PEM here: GnuTLS's PEM writer frees the DER it
   * encodes without zeroing it. */
  ret = gnutls_x509_privkey_export2_pkcs8 (self->xkey, GNUTLS_X509_FMT_DER, NULL,
                                           GNUTLS_PKCS_PLAIN, &der);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not export the key"));

  encode_pkcs8_pem (&der, out_pkcs8_pem);
  vouch_datum_wipe_free (&der);
  return TRUE;
}

gnutls_x509_crt_t
_vouch_root_ca_get_crt (VouchRootCa *self)
{
  return self->crt;
}

gnutls_x509_privkey_t
_vouch_root_ca_get_x509_key (VouchRootCa *self)
{
  return self->xkey;
}

const guint8 *
_vouch_root_ca_get_key_id (VouchRootCa *self,
                           gsize       *len)
{
  *len = self->key_id_len;
  return self->key_id;
}

gboolean
vouch_root_ca_has_key (VouchRootCa *self)
{
  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), FALSE);
  return self->key != NULL;
}

void
vouch_root_ca_forget_key (VouchRootCa *self)
{
  g_return_if_fail (VOUCH_IS_ROOT_CA (self));

  if (self->key == NULL)
    return;

  g_clear_pointer (&self->key, gnutls_privkey_deinit);
  g_clear_pointer (&self->xkey, gnutls_x509_privkey_deinit);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
}

VouchCertificate *
vouch_root_ca_get_certificate (VouchRootCa *self)
{
  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), NULL);
  return self->certificate;
}

VouchNameConstraints *
vouch_root_ca_get_constraints (VouchRootCa *self)
{
  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), NULL);
  return self->constraints;
}

const char *
vouch_root_ca_get_sha256 (VouchRootCa *self)
{
  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), NULL);
  return vouch_certificate_get_sha256 (self->certificate);
}

char *
vouch_root_ca_dup_pem (VouchRootCa *self)
{
  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), NULL);
  return g_strdup (vouch_certificate_get_pem (self->certificate));
}

GBytes *
vouch_root_ca_dup_der (VouchRootCa *self)
{
  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), NULL);
  return vouch_crt_export_der (self->crt);
}
