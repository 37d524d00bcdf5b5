/* vouch-agent-crypto.c
 *
 * The agent's GnuTLS work: keys as PKCS#8 PEM (which GTlsCertificate
 * reads too, and which can travel between threads), the self-signed
 * identity certificate, CSRs, and checking and describing chains.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-agent-crypto-private.h"

#include "vouch-agent-state.h"
#include "vouch-certificate.h"
#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-util.h"

#include <glib/gi18n.h>
#include <gnutls/x509-ext.h>
#include <string.h>

/* A self-signed identity is the device's label-bound key: it lives as long
 * as the device, so it outlives any sensible certificate lifetime. */
#define IDENTITY_LIFETIME_DAYS (20 * 365)
#define MAX_CHAIN_LENGTH 8

/* Frees a string that held a secret, such as a PEM private key. */
void
_vouch_agent_wipe_free (char *secret)
{
  if (secret != NULL)
    {
      gnutls_memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

static void
add_iso8601 (JsonBuilder *builder,
             const char  *member,
             gint64       unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);
  g_autofree char *text = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
}


char *
_vouch_agent_key_export_pem (gnutls_x509_privkey_t   key,
                             GError                **error)
{
  gnutls_datum_t out = { NULL, 0 };
  char *pem;
  int ret;

  ret = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not export the key"));
      return NULL;
    }

  pem = g_strndup ((const char *)out.data, out.size);
  vouch_datum_wipe_free (&out);
  return pem;
}

gnutls_x509_privkey_t
_vouch_agent_key_import_pem (const char  *pem,
                             GError     **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  gnutls_datum_t datum = { (unsigned char *)pem, strlen (pem) };
  int ret;

  gnutls_x509_privkey_init (&key);
  ret = gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not read the device key"));
      return NULL;
    }

  return g_steal_pointer (&key);
}

gnutls_x509_privkey_t
_vouch_agent_key_generate (VouchKeyType   key_type,
                           GError       **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  int ret;

  gnutls_x509_privkey_init (&key);
  ret = gnutls_x509_privkey_generate (key,
                                      vouch_key_type_get_algorithm (key_type),
                                      vouch_key_type_get_bits (key_type),
                                      0);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not create a key"));
      return NULL;
    }

  return g_steal_pointer (&key);
}

static gnutls_pubkey_t
pubkey_from_key (gnutls_x509_privkey_t   key,
                 GError                **error)
{
  g_auto(gnutls_privkey_t) priv = NULL;
  g_auto(gnutls_pubkey_t) pub = NULL;
  int ret;

  gnutls_privkey_init (&priv);
  gnutls_pubkey_init (&pub);
  ret = gnutls_privkey_import_x509 (priv, key, 0);
  if (ret >= 0)
    ret = gnutls_pubkey_import_privkey (pub, priv, 0, 0);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not read the public key"));
      return NULL;
    }

  return g_steal_pointer (&pub);
}

gboolean
_vouch_agent_key_pem_spki_sha256 (const char  *key_pem,
                                  guint8       out[VOUCH_SHA256_LEN],
                                  GError     **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_pubkey_t) pub = NULL;

  if (!(key = _vouch_agent_key_import_pem (key_pem, error)) || !(pub = pubkey_from_key (key, error)))
    return FALSE;

  return vouch_pubkey_spki_sha256 (pub, out, error);
}

gboolean
_vouch_agent_crt_spki_sha256 (gnutls_x509_crt_t   crt,
                              guint8              out[VOUCH_SHA256_LEN],
                              GError            **error)
{
  g_auto(gnutls_pubkey_t) pub = NULL;
  int ret;

  gnutls_pubkey_init (&pub);
  ret = gnutls_pubkey_import_x509 (pub, crt, 0);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not read the certificate’s key"));

  return vouch_pubkey_spki_sha256 (pub, out, error);
}

/* Builds the DER of a subjectAltName extension: DNS names, and addresses
 * as the raw bytes X.509 wants.  Certificates and CSRs both mark it not
 * critical, as RFC 5280 asks when the subject is not empty (GnuTLS's
 * gnutls_x509_crq_set_subject_alt_name() would mark it critical). */
static gboolean
export_san (const char * const  *names,
            gnutls_datum_t      *out,
            GError             **error)
{
  gnutls_subject_alt_names_t sans = NULL;
  int ret;

  if ((ret = gnutls_subject_alt_names_init (&sans)) < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not add a name"));

  for (guint i = 0; names[i] != NULL && ret >= 0; i++)
    {
      g_autoptr(GInetAddress) inet = NULL;
      gnutls_datum_t datum;

      if (vouch_names_is_address (names[i]))
        {
          inet = g_inet_address_new_from_string (names[i]);
          datum.data = (unsigned char *)g_inet_address_to_bytes (inet);
          datum.size = g_inet_address_get_native_size (inet);
          ret = gnutls_subject_alt_names_set (sans, GNUTLS_SAN_IPADDRESS, &datum, NULL);
        }
      else
        {
          datum.data = (unsigned char *)names[i];
          datum.size = strlen (names[i]);
          ret = gnutls_subject_alt_names_set (sans, GNUTLS_SAN_DNSNAME, &datum, NULL);
        }
    }

  if (ret >= 0)
    ret = gnutls_x509_ext_export_subject_alt_names (sans, out);
  gnutls_subject_alt_names_deinit (sans);

  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not add a name"));

  return TRUE;
}

char *
_vouch_agent_self_signed_pem (gnutls_x509_privkey_t   key,
                              const char             *cn,
                              const char * const     *names,
                              GError                **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_privkey_t) priv = NULL;
  guint8 serial[16];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gnutls_datum_t san = { NULL, 0 };
  int ret;

  gnutls_x509_crt_init (&crt);
  gnutls_privkey_init (&priv);
  gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial);
  serial[0] &= 0x7f;

  if ((ret = gnutls_x509_crt_set_version (crt, 3)) < 0
      || (ret = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0
      || (ret = gnutls_x509_crt_set_activation_time (crt, now - 3600)) < 0
      || (ret = gnutls_x509_crt_set_expiration_time (crt, now + IDENTITY_LIFETIME_DAYS * (gint64)86400)) < 0
      || (ret = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen (cn))) < 0
      || (ret = gnutls_x509_crt_set_key (crt, key)) < 0
      || (ret = gnutls_x509_crt_set_basic_constraints (crt, 0, -1)) < 0
      || (ret = gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT)) < 0
      || (ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not create the device certificate"));
      return NULL;
    }

  if (!export_san (names, &san, error))
    return NULL;
  ret = gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_SAN, san.data, san.size, 0);
  gnutls_free (san.data);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not add a name"));
      return NULL;
    }

  if ((ret = gnutls_privkey_import_x509 (priv, key, 0)) < 0
      || (ret = gnutls_x509_crt_privkey_sign (crt, crt, priv, GNUTLS_DIG_SHA256, 0)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not sign the device certificate"));
      return NULL;
    }

  return vouch_crt_export_pem (crt);
}

/* Parses a PEM chain, leaf first, each certificate issued by the next, the
 * leaf not expired.  Anything but PEM certificates is "not a certificate". */
gboolean
_vouch_agent_chain_parse (const char          *pem,
                          gnutls_x509_crt_t  **out_crts,
                          unsigned int        *out_n,
                          GError             **error)
{
  gnutls_datum_t datum;
  int ret;

  if (pem == NULL || strstr (pem, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error (error, VOUCH_AGENT_ERROR, VOUCH_AGENT_ERROR_NOT_A_CERTIFICATE,
                   _("The chain contains no PEM certificate."));
      return FALSE;
    }

  datum.data = (unsigned char *)pem;
  datum.size = strlen (pem);
  ret = gnutls_x509_crt_list_import2 (out_crts, out_n, &datum, GNUTLS_X509_FMT_PEM,
                                      GNUTLS_X509_CRT_LIST_FAIL_IF_UNSORTED);
  if (ret < 0)
    {
      g_set_error (error, VOUCH_AGENT_ERROR, VOUCH_AGENT_ERROR_NOT_A_CERTIFICATE,
                   _("The chain is not a list of PEM certificates, leaf first: %s"),
                   gnutls_strerror (ret));
      return FALSE;
    }

  if (*out_n == 0 || *out_n > MAX_CHAIN_LENGTH)
    {
      g_set_error (error, VOUCH_AGENT_ERROR, VOUCH_AGENT_ERROR_BAD_CHAIN,
                   _("A chain has between 1 and %d certificates."), MAX_CHAIN_LENGTH);
      goto fail;
    }

  for (unsigned int i = 0; i + 1 < *out_n; i++)
    {
      if (!gnutls_x509_crt_check_issuer ((*out_crts)[i], (*out_crts)[i + 1]))
        {
          g_set_error (error, VOUCH_AGENT_ERROR, VOUCH_AGENT_ERROR_BAD_CHAIN,
                       _("Certificate %u of the chain was not issued by the next one."), i + 1);
          goto fail;
        }
    }

  if (gnutls_x509_crt_get_expiration_time ((*out_crts)[0]) <= g_get_real_time () / G_USEC_PER_SEC)
    {
      g_set_error (error, VOUCH_AGENT_ERROR, VOUCH_AGENT_ERROR_BAD_CHAIN,
                   _("The certificate has expired."));
      goto fail;
    }

  return TRUE;

fail:
  _vouch_agent_chain_free (*out_crts, *out_n);
  *out_crts = NULL;
  *out_n = 0;
  return FALSE;
}

/* Re-exported, so that only the certificates themselves are stored. */
char *
_vouch_agent_chain_export (gnutls_x509_crt_t *crts,
                           unsigned int       n)
{
  g_autoptr(GString) pem = g_string_new (NULL);

  for (unsigned int i = 0; i < n; i++)
    {
      g_autofree char *one = vouch_crt_export_pem (crts[i]);

      g_string_append (pem, one);
    }

  return g_string_free (g_steal_pointer (&pem), FALSE);
}

void
_vouch_agent_chain_free (gnutls_x509_crt_t *crts,
                         unsigned int       n)
{
  for (unsigned int i = 0; i < n; i++)
    gnutls_x509_crt_deinit (crts[i]);
  gnutls_free (crts);
}

gnutls_x509_crt_t
_vouch_agent_chain_import_leaf (const char *chain_pem)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum = { (unsigned char *)chain_pem, strlen (chain_pem) };

  gnutls_x509_crt_init (&crt);
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM) < 0)
    g_clear_pointer (&crt, gnutls_x509_crt_deinit);

  return crt;
}

/**
 * _vouch_agent_chain_describe:
 * @chain_pem: a PEM chain, leaf first
 *
 * Returns: (transfer full): a summary of the leaf, as the device API shows
 *   the certificate it presents
 */
JsonNode *
_vouch_agent_chain_describe (const char *chain_pem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(VouchCertificate) cert = NULL;
  g_auto(gnutls_x509_crt_t) leaf = NULL;
  const char * const *names;
  unsigned int chain_length = 0;
  const char *p = chain_pem;

  leaf = _vouch_agent_chain_import_leaf (chain_pem);
  cert = leaf != NULL ? vouch_certificate_new_from_crt (leaf, NULL) : NULL;
  if (cert == NULL)
    return json_node_new (JSON_NODE_NULL);

  while ((p = strstr (p, "-----BEGIN CERTIFICATE-----")) != NULL)
    {
      chain_length++;
      p++;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, vouch_certificate_get_subject (cert));
  json_builder_set_member_name (builder, "issuer");
  json_builder_add_string_value (builder, vouch_certificate_get_issuer (cert));
  json_builder_set_member_name (builder, "serial");
  json_builder_add_string_value (builder, vouch_certificate_get_serial (cert));
  add_iso8601 (builder, "not_before", vouch_certificate_get_not_before (cert));
  add_iso8601 (builder, "not_after", vouch_certificate_get_not_after (cert));
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, vouch_certificate_get_sha256 (cert));
  json_builder_set_member_name (builder, "spki_sha256");
  json_builder_add_string_value (builder, vouch_certificate_get_key_sha256 (cert));
  json_builder_set_member_name (builder, "names");
  json_builder_begin_array (builder);
  names = vouch_certificate_get_names (cert);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "self_signed");
  json_builder_add_boolean_value (builder, gnutls_x509_crt_check_issuer (leaf, leaf) != 0);
  json_builder_set_member_name (builder, "chain_length");
  json_builder_add_int_value (builder, chain_length);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * _vouch_agent_csr_create:
 * @key: the key the CSR is for
 * @digest: the signature's digest
 * @nonce: the operator's nonce, put in challengePassword
 * @names: the names, the first also the subject CN
 *
 * Returns: (transfer full): the CSR in PEM, or %NULL
 */
char *
_vouch_agent_csr_create (gnutls_x509_privkey_t      key,
                         gnutls_digest_algorithm_t  digest,
                         const char                *nonce,
                         const char * const        *names,
                         GError                   **error)
{
  g_auto(gnutls_x509_crq_t) crq = NULL;
  g_auto(gnutls_privkey_t) priv = NULL;
  gnutls_datum_t san = { NULL, 0 };
  gnutls_datum_t out = { NULL, 0 };
  char *pem;
  int ret;

  g_return_val_if_fail (names != NULL && names[0] != NULL, NULL);

  gnutls_x509_crq_init (&crq);
  gnutls_privkey_init (&priv);

  /* The nonce also goes in challengePassword, so the CSR's own signature
   * binds it: a CSR replayed from an earlier exchange is recognisable. */
  if ((ret = gnutls_x509_crq_set_version (crq, 1)) < 0
      || (ret = gnutls_x509_crq_set_dn_by_oid (crq, GNUTLS_OID_X520_COMMON_NAME, 0,
                                               names[0], strlen (names[0]))) < 0
      || (ret = gnutls_x509_crq_set_key (crq, key)) < 0
      || (ret = gnutls_x509_crq_set_challenge_password (crq, nonce)) < 0
      || (ret = gnutls_x509_crq_set_key_usage (crq, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not build the CSR"));
      return NULL;
    }

  if (!export_san (names, &san, error))
    return NULL;
  ret = gnutls_x509_crq_set_extension_by_oid (crq, GNUTLS_X509EXT_OID_SAN, san.data, san.size, 0);
  gnutls_free (san.data);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not add a name"));
      return NULL;
    }

  if ((ret = gnutls_privkey_import_x509 (priv, key, 0)) < 0
      || (ret = gnutls_x509_crq_privkey_sign (crq, priv, digest, 0)) < 0
      || (ret = gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_PEM, &out)) < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not sign the CSR"));
      return NULL;
    }

  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

/**
 * key_type_of:
 * @key: a key
 * @out_type: (out): its type, when it is one Vouch names
 */
static gboolean
key_type_of (gnutls_x509_privkey_t  key,
             VouchKeyType          *out_type)
{
  g_auto(gnutls_pubkey_t) pub = pubkey_from_key (key, NULL);

  return pub != NULL && vouch_key_type_from_pubkey (pub, out_type);
}

/* CSR creation runs in a worker thread (an RSA-4096 key takes seconds),
 * on copies, so the main thread keeps serving. */

void
_vouch_agent_csr_job_free (CsrJob *job)
{
  g_clear_pointer (&job->current_key_pem, _vouch_agent_wipe_free);
  g_clear_pointer (&job->key_pem, _vouch_agent_wipe_free);
  g_clear_pointer (&job->nonce, g_free);
  g_clear_pointer (&job->names, g_strfreev);
  g_clear_pointer (&job->csr_pem, g_free);
  g_free (job);
}

static gboolean
build_csr (CsrJob  *job,
           GError **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  VouchKeyType actual_type;

  if (job->use_current_key)
    key = _vouch_agent_key_import_pem (job->current_key_pem, error);
  else
    key = _vouch_agent_key_generate (job->key_type, error);
  if (key == NULL || !(job->key_pem = _vouch_agent_key_export_pem (key, error)))
    return FALSE;

  if (key_type_of (key, &actual_type))
    job->key_type = actual_type;

  job->csr_pem = _vouch_agent_csr_create (key, vouch_key_type_get_digest (job->key_type),
                                          job->nonce, (const char * const *)job->names, error);
  return job->csr_pem != NULL;
}

void
_vouch_agent_csr_job_run (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  CsrJob *job = task_data;
  GError *error = NULL;

  if (build_csr (job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}
