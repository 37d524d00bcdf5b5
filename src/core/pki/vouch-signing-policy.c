/* vouch-signing-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-signing-policy"

#include "vouch-config.h"

#include "vouch-signing-policy-private.h"

#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-signing-request-private.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/x509-ext.h>
#include <string.h>

#define CSR_PEM_LABEL "-----BEGIN CERTIFICATE REQUEST-----"
#define CSR_PEM_LABEL_OLD "-----BEGIN NEW CERTIFICATE REQUEST-----"
#define MAX_VERIFIED 64
#define RSA_MIN_BITS 2048
#define RSA_MAX_BITS 8192

/* Nothing from a CSR is trusted until every check below has passed: its
 * signature (proof of possession), its key, what it asks for and every name
 * in it. The checks run from the cheapest to the most expensive so hostile
 * input is turned away early. The names a request asks for are read in
 * vouch-signing-policy-names.c. */

enum {
  PROP_0,
  PROP_CONSTRAINTS,
  PROP_MAX_NAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchSigningPolicy, vouch_signing_policy, G_TYPE_OBJECT)

/* What the policy remembers of a request it checked: the SHA-256 of its
 * bytes once its signature verified, and the accepted request once it
 * passed every check with no names added or removed. */
typedef struct
{
  char                *digest;
  VouchSigningRequest *request;
} Remembered;

static void
remembered_free (Remembered *remembered)
{
  g_free (remembered->digest);
  g_clear_object (&remembered->request);
  g_free (remembered);
}

static void
vouch_signing_policy_dispose (GObject *object)
{
  VouchSigningPolicy *self = (VouchSigningPolicy *)object;

  g_clear_object (&self->constraints);

  G_OBJECT_CLASS (vouch_signing_policy_parent_class)->dispose (object);
}

static void
vouch_signing_policy_finalize (GObject *object)
{
  VouchSigningPolicy *self = (VouchSigningPolicy *)object;

  g_queue_clear_full (&self->verified, (GDestroyNotify)remembered_free);
  g_mutex_clear (&self->verified_lock);

  G_OBJECT_CLASS (vouch_signing_policy_parent_class)->finalize (object);
}

static void
vouch_signing_policy_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VouchSigningPolicy *self = VOUCH_SIGNING_POLICY (object);

  switch (prop_id)
    {
    case PROP_CONSTRAINTS:
      g_value_set_object (value, self->constraints);
      break;

    case PROP_MAX_NAMES:
      g_value_set_uint (value, self->max_names);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_signing_policy_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  VouchSigningPolicy *self = VOUCH_SIGNING_POLICY (object);

  switch (prop_id)
    {
    case PROP_CONSTRAINTS:
      self->constraints = g_value_dup_object (value);
      break;

    case PROP_MAX_NAMES:
      vouch_signing_policy_set_max_names (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_signing_policy_class_init (VouchSigningPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_signing_policy_dispose;
  object_class->finalize = vouch_signing_policy_finalize;
  object_class->get_property = vouch_signing_policy_get_property;
  object_class->set_property = vouch_signing_policy_set_property;

  properties[PROP_CONSTRAINTS] =
    g_param_spec_object ("constraints", NULL, NULL,
                         VOUCH_TYPE_NAME_CONSTRAINTS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_NAMES] =
    g_param_spec_uint ("max-names", NULL, NULL,
                       1, 1000, VOUCH_SIGNING_POLICY_DEFAULT_MAX_NAMES,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_signing_policy_init (VouchSigningPolicy *self)
{
  self->max_names = VOUCH_SIGNING_POLICY_DEFAULT_MAX_NAMES;
  self->max_input_size = VOUCH_SIGNING_POLICY_DEFAULT_MAX_INPUT;
  g_mutex_init (&self->verified_lock);
  g_queue_init (&self->verified);
}

/* Called with verified_lock held. */
static Remembered *
find_remembered (VouchSigningPolicy *self,
                 const char         *digest)
{
  for (GList *l = self->verified.tail; l != NULL; l = l->prev)
    {
      Remembered *remembered = l->data;

      if (g_str_equal (remembered->digest, digest))
        return remembered;
    }
  return NULL;
}

/* @request: (nullable): accepted as it is */
static void
remember (VouchSigningPolicy  *self,
          const char          *digest,
          VouchSigningRequest *request)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->verified_lock);
  Remembered *remembered = find_remembered (self, digest);

  if (remembered == NULL)
    {
      remembered = g_new0 (Remembered, 1);
      remembered->digest = g_strdup (digest);
      g_queue_push_tail (&self->verified, remembered);
      if (g_queue_get_length (&self->verified) > MAX_VERIFIED)
        remembered_free (g_queue_pop_head (&self->verified));
    }
  if (request != NULL)
    g_set_object (&remembered->request, request);
}

/* The request accepted before from the very same bytes, if any: the
 * checks depend on nothing else, so its answer would be the same. A new
 * name limit forgets them; the constraints are construct-only, and every
 * caller completes them before it makes the policy (the root's are fixed
 * in its certificate), so they never change under a policy. */
static VouchSigningRequest *
dup_accepted (VouchSigningPolicy *self,
              const char         *digest)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->verified_lock);
  Remembered *remembered = find_remembered (self, digest);

  return remembered != NULL && remembered->request != NULL ? g_object_ref (remembered->request)
                                                           : NULL;
}

/* What names a request among the remembered ones: its SHA-256, by
 * GnuTLS, whose SHA-256 is several times GLib's, and every CSR is hashed. */
static char *
request_digest (const guint8 *data,
                gsize         len)
{
  guint8 digest[VOUCH_SHA256_LEN];

  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, data, len, digest) < 0)
    return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
  return vouch_hex_encode (digest, sizeof digest, '\0');
}

/* A signature over the very same bytes verifies the same way every time,
 * so a request whose SHA-256 is remembered needs no second verification.
 * (A collision in SHA-256 is what it would take to slip one past.) */
static gboolean
verify_signature (VouchSigningPolicy  *self,
                  gnutls_x509_crq_t    crq,
                  const char          *digest,
                  int                 *ret)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->verified_lock);

  *ret = 0;
  if (find_remembered (self, digest) != NULL)
    return TRUE;
  g_clear_pointer (&locker, g_mutex_locker_free);

  *ret = gnutls_x509_crq_verify (crq, 0);
  if (*ret < 0)
    return FALSE;

  remember (self, digest, NULL);
  return TRUE;
}

/**
 * vouch_signing_policy_new:
 * @constraints: the root's name constraints
 */
VouchSigningPolicy *
vouch_signing_policy_new (VouchNameConstraints *constraints)
{
  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (constraints), NULL);

  return g_object_new (VOUCH_TYPE_SIGNING_POLICY, "constraints", constraints, NULL);
}

VouchNameConstraints *
vouch_signing_policy_get_constraints (VouchSigningPolicy *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_POLICY (self), NULL);
  return self->constraints;
}

guint
vouch_signing_policy_get_max_names (VouchSigningPolicy *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_POLICY (self), 0);
  return self->max_names;
}

void
vouch_signing_policy_set_max_names (VouchSigningPolicy *self,
                                    guint               max_names)
{
  g_return_if_fail (VOUCH_IS_SIGNING_POLICY (self));

  if (self->max_names != max_names)
    {
      G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->verified_lock);

      /* Requests accepted under the old limit are checked anew. */
      g_queue_clear_full (&self->verified, (GDestroyNotify)remembered_free);
      g_clear_pointer (&locker, g_mutex_locker_free);
      self->max_names = max_names;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_NAMES]);
    }
}

gsize
vouch_signing_policy_get_max_input_size (VouchSigningPolicy *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_POLICY (self), 0);
  return self->max_input_size;
}

static guint
count_occurrences (const char *haystack,
                   gsize       len,
                   const char *needle)
{
  gsize needle_len = strlen (needle);
  const char *p = haystack;
  const char *end = haystack + len;
  guint n = 0;

  while ((p = memmem (p, (gsize)(end - p), needle, needle_len)) != NULL)
    {
      n++;
      p += needle_len;
    }

  return n;
}

gnutls_x509_crq_t
_vouch_signing_policy_import_crq (VouchSigningPolicy  *self,
                                  const guint8        *data,
                                  gsize                len,
                                  GError             **error)
{
  g_auto(gnutls_x509_crq_t) crq = NULL;
  gnutls_x509_crt_fmt_t format = GNUTLS_X509_FMT_DER;
  gnutls_datum_t datum = { (unsigned char *)data, (unsigned int)len };
  const char *text = (const char *)data;
  int ret;

  if (len == 0)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_EMPTY,
                   _("The certificate signing request is empty"));
      return NULL;
    }

  if (len > self->max_input_size)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_TOO_LARGE,
                   /* Plain %lu: xgettext cannot read a G_GSIZE_FORMAT
                    * inside a translatable string. */
                   _("The certificate signing request is %lu bytes; "
                     "Vouch accepts at most %lu bytes"),
                   (unsigned long)len, (unsigned long)self->max_input_size);
      return NULL;
    }

  /* A DER request is one SEQUENCE; anything else must be PEM text. */
  if (data[0] != 0x30)
    {
      guint n_requests;

      if (!g_utf8_validate_len (text, len, NULL))
        {
          g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_NOT_TEXT,
                       _("The certificate signing request is neither PEM text nor DER"));
          return NULL;
        }

      n_requests = count_occurrences (text, len, CSR_PEM_LABEL) +
                   count_occurrences (text, len, CSR_PEM_LABEL_OLD);

      if (n_requests > 1)
        {
          g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_MULTIPLE,
                       _("The file holds %u certificate signing requests; give Vouch one at a time"),
                       n_requests);
          return NULL;
        }

      if (n_requests == 0)
        {
          if (count_occurrences (text, len, "PRIVATE KEY-----") > 0)
            g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_MALFORMED,
                         _("This file holds a private key, not a certificate signing request. "
                           "Keep it secret, and give Vouch the device's CSR instead"));
          else if (count_occurrences (text, len, "-----BEGIN CERTIFICATE-----") > 0)
            g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_MALFORMED,
                         _("This file holds a certificate, not a certificate signing request"));
          else
            g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_MALFORMED,
                         _("No certificate signing request found: expected a PEM block "
                           "“BEGIN CERTIFICATE REQUEST”"));
          return NULL;
        }

      format = GNUTLS_X509_FMT_PEM;
    }

  if ((ret = gnutls_x509_crq_init (&crq)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Out of memory"));
      return NULL;
    }

  ret = gnutls_x509_crq_import (crq, &datum, format);
  if (ret < 0)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_MALFORMED,
                   _("The certificate signing request is damaged or truncated (%s)"),
                   gnutls_strerror (ret));
      return NULL;
    }

  return g_steal_pointer (&crq);
}

static gboolean
check_key (gnutls_pubkey_t   pubkey,
           char            **out_description,
           gboolean         *out_is_rsa,
           GError          **error)
{
  unsigned int bits = 0;
  int algo = gnutls_pubkey_get_pk_algorithm (pubkey, &bits);

  *out_is_rsa = FALSE;

  switch (algo)
    {
    case GNUTLS_PK_ECDSA:
      {
        gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;

        gnutls_pubkey_export_ecc_raw (pubkey, &curve, NULL, NULL);
        if (curve == GNUTLS_ECC_CURVE_SECP256R1)
          *out_description = g_strdup (_("ECDSA P-256"));
        else if (curve == GNUTLS_ECC_CURVE_SECP384R1)
          *out_description = g_strdup (_("ECDSA P-384"));
        else
          {
            g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_UNSUPPORTED_KEY,
                         _("The key uses the curve %s; Vouch signs ECDSA keys on P-256 or "
                           "P-384 only"),
                         curve != GNUTLS_ECC_CURVE_INVALID ? gnutls_ecc_curve_get_name (curve)
                                                           : _("(unknown)"));
            return FALSE;
          }
        return TRUE;
      }

    case GNUTLS_PK_RSA:
      if (bits < RSA_MIN_BITS)
        {
          g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_WEAK_KEY,
                       _("The key is RSA %u, which is too weak; Vouch needs RSA %u or more, "
                         "or ECDSA"), bits, RSA_MIN_BITS);
          return FALSE;
        }
      if (bits > RSA_MAX_BITS)
        {
          g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_UNSUPPORTED_KEY,
                       _("The key is RSA %u; Vouch signs RSA keys of at most %u bits"),
                       bits, RSA_MAX_BITS);
          return FALSE;
        }
      *out_description = g_strdup_printf (_("RSA %u"), bits);
      *out_is_rsa = TRUE;
      return TRUE;

    case GNUTLS_PK_DSA:
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_UNSUPPORTED_KEY,
                   _("The key is DSA, which browsers no longer accept; use ECDSA or RSA"));
      return FALSE;

    case GNUTLS_PK_EDDSA_ED25519:
    case GNUTLS_PK_EDDSA_ED448:
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_UNSUPPORTED_KEY,
                   _("The key is %s, which browsers do not accept in certificates; "
                     "use ECDSA or RSA"), gnutls_pk_get_name (algo));
      return FALSE;

    default:
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_UNSUPPORTED_KEY,
                   _("The key type %s is not supported; use ECDSA P-256, P-384 or RSA"),
                   algo > 0 ? gnutls_pk_get_name (algo) : _("(unknown)"));
      return FALSE;
    }
}

/* Where the request's extensions are: whether it carries a basic
 * constraints extension, and the index of its first subject alternative
 * name extension (-1 when it has none). Each GnuTLS getter by OID lists
 * the extensions again, decoding the whole extension request for every
 * one it looks at, so one pass here serves the CA check and the names.
 * Returns FALSE when the list cannot be read to its end; the caller then
 * asks the getters, as if it knew nothing. */
static gboolean
list_extensions (gnutls_x509_crq_t  crq,
                 gboolean          *out_basic_constraints,
                 int               *out_san_index)
{
  *out_basic_constraints = FALSE;
  *out_san_index = -1;

  for (unsigned int i = 0; i <= G_MAXINT; i++)
    {
      char oid[128];
      size_t oid_size = sizeof oid;
      unsigned int critical = 0;
      int ret = gnutls_x509_crq_get_extension_info (crq, i, oid, &oid_size, &critical);

      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        return TRUE;
      if (ret < 0)
        return FALSE;

      if (strcmp (oid, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS) == 0)
        *out_basic_constraints = TRUE;
      else if (strcmp (oid, GNUTLS_X509EXT_OID_SAN) == 0 && *out_san_index < 0)
        *out_san_index = (int)i;
    }
  return FALSE;
}

/* @has_basic_constraints: FALSE only when the request is known to carry
 * no such extension. The key usage is the one gnutls_pubkey_import_x509_crq()
 * read with gnutls_x509_crq_get_key_usage() (0 when that failed), so it is
 * not looked up a second time. */
static gboolean
check_not_ca (gnutls_x509_crq_t   crq,
              gnutls_pubkey_t     pubkey,
              gboolean            has_basic_constraints,
              GError            **error)
{
  unsigned int critical = 0;
  unsigned int ca = 0;
  unsigned int usage = 0;
  int pathlen = -1;

  if (has_basic_constraints &&
      gnutls_x509_crq_get_basic_constraints (crq, &critical, &ca, &pathlen) >= 0 && ca != 0)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_CA_REQUESTED,
                   _("The request asks to be a certificate authority (CA:TRUE); "
                     "Vouch issues device certificates only"));
      return FALSE;
    }

  if (gnutls_pubkey_get_key_usage (pubkey, &usage) >= 0 &&
      (usage & (GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN)) != 0)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_CA_REQUESTED,
                   _("The request asks for the right to sign certificates; "
                     "Vouch issues device certificates only"));
      return FALSE;
    }

  return TRUE;
}

/* One export of the SubjectPublicKeyInfo gives both its SHA-256, which
 * names the key to the operator and the inventory, and its SHA-1, which
 * becomes the certificate's subject key identifier. */
static gboolean
hash_spki (gnutls_pubkey_t   pubkey,
           char            **out_sha256,
           guint8            out_key_id[VOUCH_KEY_ID_LEN],
           GError          **error)
{
  gnutls_datum_t der = { NULL, 0 };
  guint8 digest[VOUCH_SHA256_LEN];
  g_autofree char *hex = NULL;
  int ret;

  ret = gnutls_pubkey_export2 (pubkey, GNUTLS_X509_FMT_DER, &der);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                   _("Could not read the public key"));

  ret = gnutls_hash_fast (GNUTLS_DIG_SHA256, der.data, der.size, digest);
  if (ret >= 0)
    ret = gnutls_hash_fast (GNUTLS_DIG_SHA1, der.data, der.size, out_key_id);
  gnutls_free (der.data);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                   _("Could not hash the public key"));

  hex = vouch_hex_encode (digest, sizeof digest, '\0');
  *out_sha256 = g_ascii_strdown (hex, -1);
  return TRUE;
}

/* GnuTLS returns the challenge as an RFC 4514 string value, with specials
 * such as '+' (common in base64 nonces) behind a backslash. */
static char *
unescape_rfc4514 (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/**
 * vouch_signing_policy_check:
 * @data: the CSR, PEM or DER
 * @add_names: (nullable): names the operator adds
 * @remove_names: (nullable): names the operator removes
 *
 * Checks a CSR before anything is issued. The names are the CSR's
 * subject alternative names, adjusted by the operator. Only a CSR without
 * any has its common name certified, when that is a host name; otherwise
 * the common name is ignored, and the request's notice says so. The
 * operator can remove any name the CSR carries, even one Vouch would
 * refuse; the names left are then checked.
 *
 * Returns: (transfer full): the accepted request, or %NULL with a
 *   #VOUCH_POLICY_ERROR that says what to fix
 */
VouchSigningRequest *
vouch_signing_policy_check (VouchSigningPolicy  *self,
                            const guint8        *data,
                            gsize                len,
                            const char * const  *add_names,
                            const char * const  *remove_names,
                            GError             **error)
{
  g_auto(gnutls_x509_crq_t) crq = NULL;
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GArray) raw = NULL;
  g_autofree char *key_description = NULL;
  g_autofree char *key_sha256 = NULL;
  g_autofree char *common_name = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *digest = NULL;
  VouchSigningRequest *accepted;
  gboolean as_is;
  gboolean is_rsa = FALSE;
  gboolean has_basic_constraints = TRUE;
  int san_index = VOUCH_SAN_INDEX_UNKNOWN;
  guint8 key_id[VOUCH_KEY_ID_LEN];
  char challenge_buf[256];
  size_t challenge_size = sizeof challenge_buf - 1;
  int ret;

  g_return_val_if_fail (VOUCH_IS_SIGNING_POLICY (self), NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  as_is = (add_names == NULL || add_names[0] == NULL) &&
          (remove_names == NULL || remove_names[0] == NULL);
  digest = request_digest (data, len);
  if (as_is && (accepted = dup_accepted (self, digest)) != NULL)
    return accepted;

  crq = _vouch_signing_policy_import_crq (self, data, len, error);
  if (crq == NULL)
    return NULL;

  if ((ret = gnutls_pubkey_init (&pubkey)) < 0 ||
      (ret = gnutls_pubkey_import_x509_crq (pubkey, crq, 0)) < 0)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_UNSUPPORTED_KEY,
                   _("The request's public key cannot be read (%s)"), gnutls_strerror (ret));
      return NULL;
    }

  if (!check_key (pubkey, &key_description, &is_rsa, error))
    return NULL;

  if (!verify_signature (self, crq, digest, &ret))
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_SIGNATURE,
                   _("The request's signature does not verify, so it does not prove that "
                     "the device holds the key (%s)"), gnutls_strerror (ret));
      return NULL;
    }

  if (!list_extensions (crq, &has_basic_constraints, &san_index))
    {
      has_basic_constraints = TRUE;
      san_index = VOUCH_SAN_INDEX_UNKNOWN;
    }
  else if (san_index < 0)
    san_index = VOUCH_SAN_INDEX_NONE;

  if (!check_not_ca (crq, pubkey, has_basic_constraints, error))
    return NULL;

  names = g_ptr_array_new_with_free_func (g_free);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  common_name = _vouch_signing_policy_dup_common_name (crq);
  raw = _vouch_signing_policy_collect_requested_names (self, crq, san_index, common_name, &notice,
                                                       error);
  if (raw == NULL)
    return NULL;

  if (!_vouch_signing_policy_remove_raw_names (raw, remove_names, error))
    return NULL;

  if (!_vouch_signing_policy_add_raw_names (self, names, seen, raw, error))
    return NULL;

  for (guint i = 0; add_names != NULL && add_names[i] != NULL; i++)
    {
      if (!_vouch_signing_policy_add_name (names, seen, add_names[i], error))
        return NULL;
    }

  if (names->len == 0)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_NO_NAMES,
                   _("The request names no host name or address; add one"));
      return NULL;
    }

  if (names->len > self->max_names)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_TOO_MANY_NAMES,
                   _("The request has %u names; Vouch signs at most %u per certificate"),
                   names->len, self->max_names);
      return NULL;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (!vouch_name_constraints_permits (self->constraints, name))
        {
          g_autofree char *allowed = vouch_name_constraints_describe (self->constraints);

          g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS,
                       _("“%s” is outside the names this root may sign for (%s); "
                         "remove it from the certificate"), name, allowed);
          return NULL;
        }
    }

  if (!hash_spki (pubkey, &key_sha256, key_id, error))
    return NULL;

  if (gnutls_x509_crq_get_challenge_password (crq, challenge_buf, &challenge_size) >= 0)
    {
      challenge_buf[MIN (challenge_size, sizeof challenge_buf - 1)] = '\0';
      challenge = unescape_rfc4514 (challenge_buf);
    }

  g_ptr_array_add (names, NULL);
  /* The subject is only shown: the issued one is built by Vouch. */
  subject = vouch_text_sanitize (common_name, -1, VOUCH_TEXT_MAX_LINE);

  accepted = _vouch_signing_request_new (g_steal_pointer (&pubkey),
                                         (char **)g_ptr_array_free (g_steal_pointer (&names),
                                                                    FALSE),
                                         subject, key_description, key_sha256, key_id, challenge,
                                         notice, is_rsa);
  if (as_is)
    remember (self, digest, accepted);
  return accepted;
}
