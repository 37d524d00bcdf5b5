/* bench-acme-stack-tls.c: bench-acme-stack's HTTPS certificate, shaped as
 * Vouch's ACME server's (vouch-acme-server-tls.c): a P-256 leaf for the
 * server's address from a P-256 root, served with the root as its chain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-acme-stack.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <time.h>

static void
check (int         ret,
       const char *what)
{
  if (ret < 0)
    g_error ("%s: %s", what, gnutls_strerror (ret));
}

static char *
export_pem (gnutls_x509_crt_t crt)
{
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out), "export certificate");
  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

/* A P-256 certificate for @key: the root when @issuer is NULL, else a
 * server certificate for @address signed by it, as Vouch issues its
 * server's. */
static gnutls_x509_crt_t
make_certificate (gnutls_x509_privkey_t  key,
                  gnutls_x509_crt_t      issuer,
                  gnutls_x509_privkey_t  issuer_key,
                  GInetAddress          *address,
                  guint8                 serial)
{
  gnutls_x509_crt_t crt;
  time_t now = time (NULL);
  const char *name = issuer == NULL ? "bench-acme-stack root" : "bench-acme-stack";

  check (gnutls_x509_crt_init (&crt), "certificate");
  check (gnutls_x509_crt_set_version (crt, 3), "version");
  check (gnutls_x509_crt_set_serial (crt, &serial, 1), "serial");
  check (gnutls_x509_crt_set_activation_time (crt, now - 3600), "not before");
  check (gnutls_x509_crt_set_expiration_time (crt, now + 7 * 24 * 3600), "not after");
  check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, name, strlen (name)),
         "name");
  check (gnutls_x509_crt_set_key (crt, key), "key");
  check (gnutls_x509_crt_set_basic_constraints (crt, issuer == NULL, -1), "constraints");
  if (issuer == NULL)
    {
      check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN),
             "usage");
      check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "sign root");
      return crt;
    }
  check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "usage");
  check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "purpose");
  check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS,
                                               g_inet_address_to_bytes (address),
                                               g_inet_address_get_native_size (address),
                                               GNUTLS_FSAN_SET), "address");
  check (gnutls_x509_crt_sign2 (crt, issuer, issuer_key, GNUTLS_DIG_SHA256, 0), "sign");
  return crt;
}

static gnutls_x509_privkey_t
make_key (void)
{
  gnutls_x509_privkey_t key;

  check (gnutls_x509_privkey_init (&key), "key");
  check (gnutls_x509_privkey_generate2 (key, GNUTLS_PK_ECDSA,
                                        GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0,
                                        NULL, 0), "generate");
  return key;
}

/* The root goes to @ca_out for the clients; the server's GTlsCertificate
 * is its leaf and the root (also @chain, PEM) with the leaf's PKCS#8 key,
 * as Vouch's. The root and its key are the caller's if it asks. */
GTlsCertificate *
stack_make_tls (GInetAddress  *address,
                const char    *ca_out,
                char         **chain,
                gnutls_x509_crt_t     *root_out,
                gnutls_x509_privkey_t *root_key_out,
                GError       **error)
{
  gnutls_x509_privkey_t root_key = make_key (), leaf_key = make_key ();
  gnutls_x509_crt_t root = make_certificate (root_key, NULL, NULL, NULL, 1);
  gnutls_x509_crt_t leaf = make_certificate (leaf_key, root, root_key, address, 2);
  g_autofree char *root_pem = export_pem (root);
  g_autofree char *leaf_pem = export_pem (leaf);
  g_autofree char *both = NULL;
  gnutls_datum_t key = { NULL, 0 };
  GTlsCertificate *tls = NULL;

  check (gnutls_x509_privkey_export2_pkcs8 (leaf_key, GNUTLS_X509_FMT_PEM, NULL,
                                            GNUTLS_PKCS_PLAIN, &key), "export key");
  *chain = g_strconcat (leaf_pem, root_pem, NULL);
  both = g_strconcat (*chain, (const char *)key.data, NULL);
  if (g_file_set_contents (ca_out, root_pem, -1, error))
    tls = g_tls_certificate_new_from_pem (both, -1, error);
  gnutls_free (key.data);
  gnutls_x509_crt_deinit (leaf);
  gnutls_x509_privkey_deinit (leaf_key);
  /* --conforming issues from the same root, as Vouch's server does. */
  if (root_out != NULL)
    *root_out = root;
  else
    gnutls_x509_crt_deinit (root);
  if (root_key_out != NULL)
    *root_key_out = root_key;
  else
    gnutls_x509_privkey_deinit (root_key);
  return tls;
}
