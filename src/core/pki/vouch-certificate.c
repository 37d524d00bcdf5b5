/* vouch-certificate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-certificate"

#include "vouch-config.h"

#include "vouch-certificate.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

/* Everything is read out of the DER once, at construction, so the object
 * is immutable apart from its inventory status and can be shared between
 * threads and list models. */
struct _VouchCertificate
{
  GObject                 parent_instance;

  char                   *serial;
  char                   *subject;
  char                   *issuer;
  char                  **names;
  gint64                  not_before;
  gint64                  not_after;
  char                   *sha256;
  char                   *key_sha256;
  char                   *key_description;
  char                   *pem;
  char                   *device_id;
  VouchCertificateStatus  status;
  guint                   is_ca : 1;
};

enum {
  PROP_0,
  PROP_SERIAL,
  PROP_SUBJECT,
  PROP_ISSUER,
  PROP_NAMES,
  PROP_NOT_BEFORE,
  PROP_NOT_AFTER,
  PROP_SHA256,
  PROP_KEY_DESCRIPTION,
  PROP_DEVICE_ID,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (VouchCertificateStatus, vouch_certificate_status,
                    G_DEFINE_ENUM_VALUE (VOUCH_CERTIFICATE_STATUS_ISSUED, "issued"),
                    G_DEFINE_ENUM_VALUE (VOUCH_CERTIFICATE_STATUS_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (VOUCH_CERTIFICATE_STATUS_SUPERSEDED, "superseded"),
                    G_DEFINE_ENUM_VALUE (VOUCH_CERTIFICATE_STATUS_REVOKED, "revoked"))

G_DEFINE_FINAL_TYPE (VouchCertificate, vouch_certificate, G_TYPE_OBJECT)

static void
vouch_certificate_finalize (GObject *object)
{
  VouchCertificate *self = (VouchCertificate *)object;

  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->key_sha256, g_free);
  g_clear_pointer (&self->key_description, g_free);
  g_clear_pointer (&self->pem, g_free);
  g_clear_pointer (&self->device_id, g_free);

  G_OBJECT_CLASS (vouch_certificate_parent_class)->finalize (object);
}

static void
vouch_certificate_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VouchCertificate *self = VOUCH_CERTIFICATE (object);

  switch (prop_id)
    {
    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;

    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;

    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;

    case PROP_NAMES:
      g_value_set_boxed (value, self->names);
      break;

    case PROP_NOT_BEFORE:
      g_value_set_int64 (value, self->not_before);
      break;

    case PROP_NOT_AFTER:
      g_value_set_int64 (value, self->not_after);
      break;

    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;

    case PROP_KEY_DESCRIPTION:
      g_value_set_string (value, self->key_description);
      break;

    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_certificate_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VouchCertificate *self = VOUCH_CERTIFICATE (object);

  switch (prop_id)
    {
    case PROP_DEVICE_ID:
      vouch_certificate_set_device_id (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      vouch_certificate_set_status (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_certificate_class_init (VouchCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vouch_certificate_finalize;
  object_class->get_property = vouch_certificate_get_property;
  object_class->set_property = vouch_certificate_set_property;

  properties[PROP_SERIAL] = g_param_spec_string ("serial", NULL, NULL, NULL, ro);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, ro);
  properties[PROP_ISSUER] = g_param_spec_string ("issuer", NULL, NULL, NULL, ro);
  properties[PROP_NAMES] = g_param_spec_boxed ("names", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_NOT_BEFORE] = g_param_spec_int64 ("not-before", NULL, NULL,
                                                    G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_NOT_AFTER] = g_param_spec_int64 ("not-after", NULL, NULL,
                                                   G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, ro);
  properties[PROP_KEY_DESCRIPTION] = g_param_spec_string ("key-description", NULL, NULL, NULL, ro);
  properties[PROP_DEVICE_ID] = g_param_spec_string ("device-id", NULL, NULL, NULL, rw);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL,
                                               VOUCH_TYPE_CERTIFICATE_STATUS,
                                               VOUCH_CERTIFICATE_STATUS_ISSUED, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_certificate_init (VouchCertificate *self)
{
}

static char *
dup_dn (gnutls_x509_crt_t crt,
        gboolean          issuer)
{
  gnutls_datum_t dn = { NULL, 0 };
  char *result;
  int ret;

  /* RFC 4514 form with the most significant RDN last, as OpenSSL and
   * browsers show it. */
  ret = issuer ? gnutls_x509_crt_get_issuer_dn3 (crt, &dn, 0)
               : gnutls_x509_crt_get_dn3 (crt, &dn, 0);
  if (ret < 0)
    return g_strdup ("");

  result = g_strndup ((const char *)dn.data, dn.size);
  gnutls_free (dn.data);
  return result;
}

static char **
dup_names (gnutls_x509_crt_t crt)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **result;

  for (unsigned int seq = 0; seq < 4096; seq++)
    {
      char buf[512];
      size_t size = sizeof buf - 1;
      int type;

      type = gnutls_x509_crt_get_subject_alt_name (crt, seq, buf, &size, NULL);
      if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (type == GNUTLS_SAN_DNSNAME)
        {
          buf[size] = '\0';
          g_strv_builder_add (builder, buf);
        }
      else if (type == GNUTLS_SAN_IPADDRESS && (size == 4 || size == 16))
        {
          g_autoptr(GInetAddress) address = NULL;

          address = g_inet_address_new_from_bytes ((const guint8 *)buf,
                                                   size == 4 ? G_SOCKET_FAMILY_IPV4
                                                             : G_SOCKET_FAMILY_IPV6);
          g_autofree char *text = g_inet_address_to_string (address);

          g_strv_builder_add (builder, text);
        }
    }

  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

static char *
describe_key (gnutls_x509_crt_t crt)
{
  unsigned int bits = 0;
  int algo = gnutls_x509_crt_get_pk_algorithm (crt, &bits);

  if (algo == GNUTLS_PK_ECDSA)
    {
      gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;

      gnutls_x509_crt_get_pk_ecc_raw (crt, &curve, NULL, NULL);
      if (curve == GNUTLS_ECC_CURVE_SECP256R1)
        return g_strdup (_("ECDSA P-256"));
      if (curve == GNUTLS_ECC_CURVE_SECP384R1)
        return g_strdup (_("ECDSA P-384"));
      if (curve == GNUTLS_ECC_CURVE_SECP521R1)
        return g_strdup (_("ECDSA P-521"));
      return g_strdup (_("ECDSA"));
    }

  if (algo == GNUTLS_PK_RSA)
    return g_strdup_printf (_("RSA %u"), bits);

  return g_strdup (gnutls_pk_get_name (algo));
}

VouchCertificate *
vouch_certificate_new_from_crt (gnutls_x509_crt_t   crt,
                                GError            **error)
{
  g_autoptr(VouchCertificate) self = NULL;
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  unsigned int critical = 0;
  unsigned int ca = 0;
  int pathlen = -1;
  int ret;

  g_return_val_if_fail (crt != NULL, NULL);

  self = g_object_new (VOUCH_TYPE_CERTIFICATE, NULL);
  self->serial = vouch_crt_serial_hex (crt);
  self->subject = dup_dn (crt, FALSE);
  self->issuer = dup_dn (crt, TRUE);
  self->names = dup_names (crt);
  self->not_before = gnutls_x509_crt_get_activation_time (crt);
  self->not_after = gnutls_x509_crt_get_expiration_time (crt);
  self->sha256 = vouch_crt_sha256_hex (crt, ':');
  self->pem = vouch_crt_export_pem (crt);
  self->key_description = describe_key (crt);

  ret = gnutls_x509_crt_get_basic_constraints (crt, &critical, &ca, &pathlen);
  self->is_ca = ret >= 0 && ca != 0;

  if (self->serial == NULL || self->pem == NULL || self->sha256 == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The certificate cannot be read"));
      return NULL;
    }

  if ((ret = gnutls_pubkey_init (&pubkey)) < 0 ||
      (ret = gnutls_pubkey_import_x509 (pubkey, crt, 0)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("The certificate's public key cannot be read"));
      return NULL;
    }

  self->key_sha256 = vouch_pubkey_spki_sha256_hex (pubkey, error);
  if (self->key_sha256 == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/* The subject dup_dn() would read back from a certificate whose only
 * subject attribute is @common_name, when that text is one RFC 4514
 * leaves as it is: a host name's letters, digits and '-', '.', '_', '*'
 * are none of the characters it escapes. NULL for any other text, which
 * is then read back. */
static char *
plain_subject (const char *common_name)
{
  if (common_name == NULL || *common_name == '\0')
    return NULL;
  for (const char *p = common_name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-._*", *p) == NULL)
        return NULL;
    }
  return g_strconcat ("CN=", common_name, NULL);
}

/**
 * vouch_certificate_new_from_signed:
 * @crt: a certificate its issuer has just signed
 * @der: @crt's DER encoding, exported after signing
 * @common_name: (nullable): the subject's only attribute, a common name,
 *   as the issuer set it; %NULL when the subject is empty
 * @is_ca: what the basic constraints the issuer put into @crt say
 * @issuer: the issuer's subject as vouch_certificate_get_subject() gives
 *   it: signing copied that name into @crt unchanged
 * @names: the subject alternative names the issuer put into @crt, in
 *   order, as vouch_certificate_get_names() would read them back
 * @key_sha256: the SHA-256 of @crt's SubjectPublicKeyInfo, in lower-case hex
 * @key_description: @crt's key as describe_key() names it, such as
 *   “ECDSA P-256”
 *
 * For the issuer only: it describes a certificate it built without
 * importing its encoding again. The fingerprint and PEM come from @der,
 * and the serial and validity from @crt's own fields, so they describe
 * the signed bytes; the subject, the issuer, the names, the key and
 * whether it is a CA are the issuer's inputs, which it must pass
 * unchanged (formatting a name again, or decoding the extensions to find
 * the basic constraints, cost as much as building them). A subject whose
 * text RFC 4514 would escape is still read back from @crt.
 *
 * Returns: (transfer full): the certificate
 */
VouchCertificate *
vouch_certificate_new_from_signed (gnutls_x509_crt_t     crt,
                                   const gnutls_datum_t *der,
                                   const char           *common_name,
                                   gboolean              is_ca,
                                   const char           *issuer,
                                   const char * const   *names,
                                   const char           *key_sha256,
                                   const char           *key_description,
                                   GError              **error)
{
  g_autoptr(VouchCertificate) self = NULL;
  guint8 digest[VOUCH_SHA256_LEN];
  gnutls_datum_t pem = { NULL, 0 };
  int ret;

  g_return_val_if_fail (crt != NULL, NULL);
  g_return_val_if_fail (der != NULL && der->data != NULL, NULL);
  g_return_val_if_fail (issuer != NULL, NULL);
  g_return_val_if_fail (names != NULL, NULL);
  g_return_val_if_fail (key_sha256 != NULL, NULL);
  g_return_val_if_fail (key_description != NULL, NULL);

  if ((ret = gnutls_hash_fast (GNUTLS_DIG_SHA256, der->data, der->size, digest)) < 0 ||
      (ret = gnutls_pem_base64_encode2 ("CERTIFICATE", der, &pem)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("The certificate cannot be read"));
      return NULL;
    }

  self = g_object_new (VOUCH_TYPE_CERTIFICATE, NULL);
  self->pem = g_strndup ((const char *)pem.data, pem.size);
  gnutls_free (pem.data);
  self->sha256 = vouch_hex_encode (digest, sizeof digest, ':');
  self->serial = vouch_crt_serial_hex (crt);
  self->subject = plain_subject (common_name);
  if (self->subject == NULL)
    self->subject = dup_dn (crt, FALSE);
  self->issuer = g_strdup (issuer);
  self->names = g_strdupv ((char **)names);
  self->not_before = gnutls_x509_crt_get_activation_time (crt);
  self->not_after = gnutls_x509_crt_get_expiration_time (crt);
  self->key_sha256 = g_strdup (key_sha256);
  self->key_description = g_strdup (key_description);
  self->is_ca = is_ca != FALSE;

  if (self->serial == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The certificate cannot be read"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

VouchCertificate *
vouch_certificate_new_from_pem (const char  *pem,
                                gssize       len,
                                GError     **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum;
  int ret;

  g_return_val_if_fail (pem != NULL, NULL);

  if (len < 0)
    len = (gssize)strlen (pem);

  datum.data = (unsigned char *)pem;
  datum.size = (unsigned int)len;

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("This is not a PEM certificate"));
      return NULL;
    }

  return vouch_certificate_new_from_crt (crt, error);
}

const char *
vouch_certificate_get_serial (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), NULL);
  return self->serial;
}

const char *
vouch_certificate_get_subject (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), NULL);
  return self->subject;
}

const char *
vouch_certificate_get_issuer (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), NULL);
  return self->issuer;
}

const char * const *
vouch_certificate_get_names (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), NULL);
  return (const char * const *)self->names;
}

gint64
vouch_certificate_get_not_before (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), 0);
  return self->not_before;
}

gint64
vouch_certificate_get_not_after (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), 0);
  return self->not_after;
}

const char *
vouch_certificate_get_sha256 (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), NULL);
  return self->sha256;
}

const char *
vouch_certificate_get_key_sha256 (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), NULL);
  return self->key_sha256;
}

const char *
vouch_certificate_get_key_description (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), NULL);
  return self->key_description;
}

gboolean
vouch_certificate_get_is_ca (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), FALSE);
  return self->is_ca;
}

const char *
vouch_certificate_get_pem (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), NULL);
  return self->pem;
}

const char *
vouch_certificate_get_device_id (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), NULL);
  return self->device_id;
}

void
vouch_certificate_set_device_id (VouchCertificate *self,
                                 const char       *device_id)
{
  g_return_if_fail (VOUCH_IS_CERTIFICATE (self));

  if (vouch_set_str (&self->device_id, device_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_ID]);
}

VouchCertificateStatus
vouch_certificate_get_status (VouchCertificate *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (self), VOUCH_CERTIFICATE_STATUS_ISSUED);
  return self->status;
}

void
vouch_certificate_set_status (VouchCertificate       *self,
                              VouchCertificateStatus  status)
{
  g_return_if_fail (VOUCH_IS_CERTIFICATE (self));

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}

const char *
vouch_certificate_status_to_string (VouchCertificateStatus status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (VOUCH_TYPE_CERTIFICATE_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  return value != NULL ? value->value_nick : "issued";
}

gboolean
vouch_certificate_status_from_string (const char             *text,
                                      VouchCertificateStatus *status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (VOUCH_TYPE_CERTIFICATE_STATUS);
  GEnumValue *value = text != NULL ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (value == NULL)
    return FALSE;
  *status = value->value;
  return TRUE;
}

VouchCertificate *
vouch_certificate_new_from_der (GBytes  *der,
                                GError **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum;
  gsize len = 0;
  int ret;

  g_return_val_if_fail (der != NULL, NULL);

  datum.data = (unsigned char *)g_bytes_get_data (der, &len);
  datum.size = (unsigned int)len;

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("This is not a DER certificate"));
      return NULL;
    }

  return vouch_certificate_new_from_crt (crt, error);
}
