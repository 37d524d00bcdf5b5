/* vouch-root-ca-issue.c: what the root signs with its key loaded, a leaf
 * certificate for a checked request and a revocation list. Split from
 * vouch-root-ca.c, which makes, imports and exports the root.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-root-ca"

#include "vouch-config.h"

#include "vouch-root-ca-private.h"

#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-signing-request-private.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/x509-ext.h>

static int
encode_key_purposes (gboolean        client_auth,
                     gnutls_datum_t *der)
{
  gnutls_x509_key_purposes_t purposes = NULL;
  int ret;

  if ((ret = gnutls_x509_key_purpose_init (&purposes)) < 0)
    return ret;
  if ((ret = gnutls_x509_key_purpose_set (purposes, GNUTLS_KP_TLS_WWW_SERVER)) >= 0 &&
      (!client_auth || (ret = gnutls_x509_key_purpose_set (purposes, GNUTLS_KP_TLS_WWW_CLIENT)) >= 0))
    ret = gnutls_x509_ext_export_key_purposes (purposes, der);
  gnutls_x509_key_purpose_deinit (purposes);
  return ret;
}

static int
encode_authority_key_id (const guint8   *key_id,
                         gsize           key_id_len,
                         gnutls_datum_t *der)
{
  gnutls_x509_aki_t aki = NULL;
  gnutls_datum_t id = { (unsigned char *)key_id, (unsigned int)key_id_len };
  int ret;

  if ((ret = gnutls_x509_aki_init (&aki)) < 0)
    return ret;
  if ((ret = gnutls_x509_aki_set_id (aki, &id)) >= 0)
    ret = gnutls_x509_ext_export_authority_key_id (aki, der);
  gnutls_x509_aki_deinit (aki);
  return ret;
}

/**
 * _vouch_root_ca_encode_leaf_extensions:
 *
 * Encodes, with GnuTLS's encoders, the extensions of Vouch's leaf profile
 * that are the same in every certificate this root issues, once per
 * root: encoding them again for every certificate cost more than setting
 * them.
 */
gboolean
_vouch_root_ca_encode_leaf_extensions (VouchRootCa  *self,
                                       GError      **error)
{
  int ret;

  if ((ret = gnutls_x509_ext_export_basic_constraints (0, -1,
                                                       &self->leaf_basic_constraints)) < 0 ||
      (ret = gnutls_x509_ext_export_key_usage (GNUTLS_KEY_DIGITAL_SIGNATURE,
                                               &self->leaf_key_usage[FALSE])) < 0 ||
      (ret = gnutls_x509_ext_export_key_usage (GNUTLS_KEY_DIGITAL_SIGNATURE |
                                               GNUTLS_KEY_KEY_ENCIPHERMENT,
                                               &self->leaf_key_usage[TRUE])) < 0 ||
      (ret = encode_key_purposes (FALSE, &self->leaf_key_purposes[FALSE])) < 0 ||
      (ret = encode_key_purposes (TRUE, &self->leaf_key_purposes[TRUE])) < 0 ||
      (ret = encode_authority_key_id (self->key_id, self->key_id_len,
                                      &self->leaf_authority_key_id)) < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                   _("Could not build the certificate"));
  return TRUE;
}

static void
clear_datum (gnutls_datum_t *datum)
{
  g_clear_pointer (&datum->data, gnutls_free);
  datum->size = 0;
}

void
_vouch_root_ca_clear_leaf_extensions (VouchRootCa *self)
{
  clear_datum (&self->leaf_basic_constraints);
  clear_datum (&self->leaf_key_usage[FALSE]);
  clear_datum (&self->leaf_key_usage[TRUE]);
  clear_datum (&self->leaf_key_purposes[FALSE]);
  clear_datum (&self->leaf_key_purposes[TRUE]);
  clear_datum (&self->leaf_authority_key_id);
}

static int
set_extension (gnutls_x509_crt_t     crt,
               const char           *oid,
               const gnutls_datum_t *der,
               gboolean              critical)
{
  return gnutls_x509_crt_set_extension_by_oid (crt, oid, der->data, der->size, critical);
}

/* The extension gnutls_x509_crt_set_subject_key_id() sets, without its
 * search of the certificate's extensions for one already there: this
 * certificate is new, and the subject key identifier is set once. */
static int
set_subject_key_id (gnutls_x509_crt_t  crt,
                    const guint8      *key_id,
                    gsize              key_id_len)
{
  gnutls_datum_t id = { (unsigned char *)key_id, (unsigned int)key_id_len };
  gnutls_datum_t der = { NULL, 0 };
  int ret;

  if ((ret = gnutls_x509_ext_export_subject_key_id (&id, &der)) >= 0)
    ret = set_extension (crt, GNUTLS_X509EXT_OID_SUBJECT_KEY_ID, &der, FALSE);
  gnutls_free (der.data);
  return ret;
}

/* @critical when the subject is empty, as RFC 5280 §4.2.1.6 asks. */
static gboolean
add_subject_alt_names (gnutls_x509_crt_t    crt,
                       const char * const  *names,
                       gboolean             critical)
{
  gnutls_subject_alt_names_t sans = NULL;
  gnutls_datum_t der = { NULL, 0 };
  gboolean ok = gnutls_subject_alt_names_init (&sans) == 0;

  for (guint i = 0; ok && names[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (names[i]);
      gnutls_datum_t name;

      if (address != NULL)
        {
          name.data = (unsigned char *)g_inet_address_to_bytes (address);
          name.size = (unsigned int)g_inet_address_get_native_size (address);
        }
      else
        {
          name.data = (unsigned char *)names[i];
          name.size = (unsigned int)strlen (names[i]);
        }
      ok = gnutls_subject_alt_names_set (sans, address != NULL ? GNUTLS_SAN_IPADDRESS
                                                               : GNUTLS_SAN_DNSNAME,
                                         &name, NULL) == 0;
    }

  ok = ok && gnutls_x509_ext_export_subject_alt_names (sans, &der) == 0 &&
       gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_SAN, der.data, der.size,
                                             critical) == 0;
  gnutls_free (der.data);
  if (sans != NULL)
    gnutls_subject_alt_names_deinit (sans);
  return ok;
}

/* The common name is the first DNS name. A certificate for addresses
 * only has none: verifiers (GnuTLS, OpenSSL) check a common name against
 * the root's DNS constraints when no DNS name is in the SANs, so an
 * address there would fail every name-constrained chain. */
static const char *
common_name (const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (!vouch_names_is_address (names[i]))
      return names[i];
  return NULL;
}

/**
 * vouch_root_ca_issue:
 * @request: a request the signing policy accepted
 * @days: validity, at most %VOUCH_LEAF_MAX_DAYS
 *
 * Builds the device certificate from Vouch's own profile. Nothing is
 * copied from the CSR except its public key and the checked names.
 *
 * Returns: (transfer full): the new certificate
 */
VouchCertificate *
vouch_root_ca_issue (VouchRootCa          *self,
                     VouchSigningRequest  *request,
                     guint                 days,
                     VouchIssueFlags       flags,
                     GError              **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  const char * const *names;
  const char *cn;
  const guint8 *key_id;
  gsize key_id_len = 0;
  gnutls_datum_t der = { NULL, 0 };
  VouchCertificate *cert;
  guint8 serial[VOUCH_SERIAL_LEN];
  gboolean is_rsa;
  gboolean client_auth;
  time_t now = time (NULL);
  time_t not_after;
  int ret;

  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), NULL);
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (request), NULL);

  if (self->key == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING, _("The root's key is not loaded"));
      return NULL;
    }

  if (days == 0 || days > VOUCH_LEAF_MAX_DAYS)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_VALIDITY,
                   _("A certificate may be valid for 1 to %u days (Apple's limit for "
                     "certificates under user-added roots)"), VOUCH_LEAF_MAX_DAYS);
      return NULL;
    }

  /* A certificate cannot outlive the root that vouches for it. */
  not_after = now + (time_t)days * 86400;
  not_after = MIN (not_after, (time_t)vouch_certificate_get_not_after (self->certificate));
  if (not_after <= now)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NO_ROOT, _("The root has expired"));
      return NULL;
    }

  names = vouch_signing_request_get_names (request);
  cn = common_name (names);
  key_id = _vouch_signing_request_get_key_id (request, &key_id_len);
  is_rsa = vouch_signing_request_get_is_rsa (request) != FALSE;
  client_auth = (flags & VOUCH_ISSUE_FLAGS_CLIENT_AUTH) != 0;

  if (!_vouch_root_ca_random_serial (serial, error))
    return NULL;

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_set_version (crt, 3)) < 0 ||
      (ret = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0 ||
      (cn != NULL &&
       (ret = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
                                             (unsigned int)strlen (cn))) < 0) ||
      (ret = gnutls_x509_crt_set_activation_time (crt, now - VOUCH_CLOCK_SKEW_SECONDS)) < 0 ||
      (ret = gnutls_x509_crt_set_expiration_time (crt, not_after)) < 0 ||
      (ret = gnutls_x509_crt_set_pubkey (crt, vouch_signing_request_get_pubkey (request))) < 0 ||
      (ret = set_extension (crt, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS,
                            &self->leaf_basic_constraints, TRUE)) < 0 ||
      (ret = set_extension (crt, GNUTLS_X509EXT_OID_KEY_USAGE, &self->leaf_key_usage[is_rsa],
                            TRUE)) < 0 ||
      (ret = set_extension (crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE,
                            &self->leaf_key_purposes[client_auth], FALSE)) < 0 ||
      (ret = set_subject_key_id (crt, key_id, key_id_len)) < 0 ||
      (ret = set_extension (crt, GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID,
                            &self->leaf_authority_key_id, FALSE)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not build the certificate"));
      return NULL;
    }

  if (!add_subject_alt_names (crt, names, cn == NULL))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO,
                   _("Could not add the names to the certificate"));
      return NULL;
    }

  ret = gnutls_x509_crt_privkey_sign (crt, self->crt, self->key, self->digest, 0);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not sign the certificate"));
      return NULL;
    }

  /* Describe the certificate from its signed encoding, so what Vouch
   * records is exactly what it issued. The names and the key are the
   * request's, which were copied into it unchanged; importing the
   * encoding again to read them back cost as much as building it. */
  ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der);
  if (ret < 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO, _("Could not encode the certificate"));
      return NULL;
    }

  /* The leaf profile's basic constraints say CA:FALSE. */
  cert = vouch_certificate_new_from_signed (crt, &der, cn, FALSE,
                                            vouch_certificate_get_subject (self->certificate),
                                            names,
                                            vouch_signing_request_get_key_sha256 (request),
                                            vouch_signing_request_get_key_description (request),
                                            error);
  gnutls_free (der.data);
  return cert;
}

/**
 * vouch_root_ca_sign_crl:
 * @crl: a CRL of this root's certificates, complete but for the signature
 *
 * Signs @crl with the root's key, which must be loaded, and the hash the
 * root's own signatures use.
 */
gboolean
vouch_root_ca_sign_crl (VouchRootCa        *self,
                        gnutls_x509_crl_t   crl,
                        GError            **error)
{
  int ret;

  g_return_val_if_fail (VOUCH_IS_ROOT_CA (self), FALSE);
  g_return_val_if_fail (crl != NULL, FALSE);

  if (self->key == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING, _("The root's key is not loaded"));
      return FALSE;
    }

  ret = gnutls_x509_crl_privkey_sign (crl, self->crt, self->key, self->digest, 0);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not sign the CRL"));

  return TRUE;
}
