/* test-root-ca.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-chain.h"
#include "vouch-error.h"
#include "vouch-root-ca.h"
#include "vouch-signing-policy.h"
#include "vouch-test-util.h"
#include "vouch-util.h"

#include <glib/gstdio.h>

typedef struct
{
  VouchRootCa *root;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;

  fixture->root = vouch_root_ca_generate ("Test Root", VOUCH_KEY_TYPE_ECDSA_P256, nc, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->root);
}

static gnutls_x509_crt_t
parse (const char *pem)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum = { (unsigned char *)pem, (unsigned int)strlen (pem) };

  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM), ==, 0);
  return crt;
}

static VouchCertificate *
issue (VouchRootCa      *root,
       const char       *pem,
       guint             days,
       VouchIssueFlags   flags,
       GError          **error)
{
  g_autoptr(VouchSigningPolicy) policy = vouch_signing_policy_new (vouch_root_ca_get_constraints (root));
  g_autoptr(VouchSigningRequest) request = NULL;

  request = vouch_signing_policy_check (policy, (const guint8 *)pem, strlen (pem), NULL, NULL,
                                        error);
  g_assert_nonnull (request);
  return vouch_root_ca_issue (root, request, days, flags, error);
}

static void
check_root_profile (VouchRootCa *root,
                    const char  *name)
{
  VouchCertificate *cert = vouch_root_ca_get_certificate (root);
  g_auto(gnutls_x509_crt_t) crt = parse (vouch_certificate_get_pem (cert));
  unsigned int critical = 0;
  unsigned int ca = 0;
  unsigned int usage = 0;
  int pathlen = -1;
  guint8 ski[64];
  size_t ski_len = sizeof ski;
  gint64 lifetime;

  g_assert_true (vouch_certificate_get_is_ca (cert));
  g_assert_nonnull (strstr (vouch_certificate_get_subject (cert), name));

  g_assert_cmpint (gnutls_x509_crt_get_basic_constraints (crt, &critical, &ca, &pathlen), >=, 0);
  g_assert_true (critical);
  g_assert_true (ca);
  g_assert_cmpint (pathlen, ==, 1);

  g_assert_cmpint (gnutls_x509_crt_get_key_usage (crt, &usage, &critical), >=, 0);
  g_assert_true (critical);
  g_assert_cmpuint (usage, ==, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);

  g_assert_cmpint (gnutls_x509_crt_get_subject_key_id (crt, ski, &ski_len, &critical), ==, 0);
  g_assert_cmpuint (ski_len, ==, 20);

  lifetime = vouch_certificate_get_not_after (cert) - vouch_certificate_get_not_before (cert);
  g_assert_cmpint (lifetime / 86400, >=, 3652);
  g_assert_cmpint (lifetime / 86400, <=, 3653);
  g_assert_cmpint (vouch_certificate_get_not_before (cert), <, g_get_real_time () / G_USEC_PER_SEC);
}

static void
test_profile (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_name_constraints_t) nc = NULL;
  unsigned int critical = 0;

  check_root_profile (fixture->root, "CN=Test Root");

  crt = parse (vouch_certificate_get_pem (vouch_root_ca_get_certificate (fixture->root)));
  g_assert_cmpint (gnutls_x509_name_constraints_init (&nc), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_get_name_constraints (crt, nc, 0, &critical), ==, 0);
  g_assert_true (critical);
  g_assert_true (vouch_root_ca_has_key (fixture->root));
}

/* A root takes back its own key and refuses @other's: another curve,
 * another kind of key or another modulus. */
static void
check_key_matching (VouchRootCa *root,
                    VouchRootCa *other)
{
  g_autofree char *pem = vouch_root_ca_dup_pem (root);
  g_autoptr(VouchRootCa) public_only = vouch_root_ca_new_from_pem (pem, strlen (pem), NULL);
  gnutls_datum_t key = { NULL, 0 };
  g_autoptr(GError) error = NULL;

  if (other == NULL)
    {
      g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
      g_autoptr(VouchRootCa) p256 = vouch_root_ca_generate ("P-256", VOUCH_KEY_TYPE_ECDSA_P256,
                                                            nc, NULL);

      check_key_matching (root, p256);
    }
  else
    {
      g_assert_true (vouch_root_ca_export_key (other, &key, NULL));
      g_assert_false (vouch_root_ca_load_key (public_only, (const char *)key.data, &error));
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISMATCH);
      g_clear_error (&error);
      vouch_datum_wipe_free (&key);
    }

  g_assert_true (vouch_root_ca_export_key (root, &key, NULL));
  g_assert_true (vouch_root_ca_load_key (public_only, (const char *)key.data, &error));
  g_assert_no_error (error);
  vouch_datum_wipe_free (&key);
}

static void
test_key_types (void)
{
  const VouchKeyType types[] = { VOUCH_KEY_TYPE_ECDSA_P384, VOUCH_KEY_TYPE_RSA_3072,
                                 VOUCH_KEY_TYPE_RSA_4096 };
  const char *labels[] = { "ECDSA P-384", "RSA 3072", "RSA 4096" };
  g_autoptr(VouchRootCa) previous = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
      g_autoptr(VouchRootCa) root = NULL;
      g_autoptr(VouchCertificate) leaf = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *csr = vouch_test_make_simple_csr ("printer.local");

      root = vouch_root_ca_generate ("Root Ümlaut", types[i], nc, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (vouch_certificate_get_key_description (vouch_root_ca_get_certificate (root)),
                       ==, labels[i]);
      check_root_profile (root, "Root Ümlaut");

      leaf = issue (root, csr, 30, VOUCH_ISSUE_FLAGS_NONE, &error);
      g_assert_no_error (error);

      check_key_matching (root, previous);
      g_set_object (&previous, root);
    }
}

static void
test_leaf_profile (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *names[] = { "nas.lan", NULL };
  const char *addresses[] = { "10.0.0.5", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_RSA2048, .common_name = "ignored label",
                       .dns_names = names, .addresses = addresses };
  g_autofree char *csr = vouch_test_make_csr (&spec);
  g_autoptr(VouchCertificate) leaf = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_autoptr(GError) error = NULL;
  unsigned int critical = 0;
  unsigned int ca = 1;
  unsigned int usage = 0;
  int pathlen = 0;
  guint8 buf[128];
  size_t len = sizeof buf;
  char oid[128];
  size_t oid_len;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  leaf = issue (fixture->root, csr, VOUCH_LEAF_DEFAULT_DAYS, VOUCH_ISSUE_FLAGS_CLIENT_AUTH, &error);
  g_assert_no_error (error);
  crt = parse (vouch_certificate_get_pem (leaf));

  g_assert_cmpint (gnutls_x509_crt_get_basic_constraints (crt, &critical, &ca, &pathlen), >=, 0);
  g_assert_true (critical);
  g_assert_false (ca);

  g_assert_cmpint (gnutls_x509_crt_get_key_usage (crt, &usage, &critical), >=, 0);
  g_assert_true (critical);
  g_assert_cmpuint (usage, ==, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT);

  oid_len = sizeof oid;
  g_assert_cmpint (gnutls_x509_crt_get_key_purpose_oid (crt, 0, oid, &oid_len, &critical), ==, 0);
  g_assert_cmpstr (oid, ==, GNUTLS_KP_TLS_WWW_SERVER);
  oid_len = sizeof oid;
  g_assert_cmpint (gnutls_x509_crt_get_key_purpose_oid (crt, 1, oid, &oid_len, &critical), ==, 0);
  g_assert_cmpstr (oid, ==, GNUTLS_KP_TLS_WWW_CLIENT);

  g_assert_cmpint (gnutls_x509_crt_get_subject_key_id (crt, buf, &len, &critical), ==, 0);
  len = sizeof buf;
  g_assert_cmpint (gnutls_x509_crt_get_authority_key_id (crt, buf, &len, &critical), ==, 0);
  g_assert_false (critical);
  {
    g_auto(gnutls_x509_crt_t) root = parse (vouch_certificate_get_pem (
      vouch_root_ca_get_certificate (fixture->root)));
    guint8 root_id[128];
    size_t root_id_len = sizeof root_id;

    /* The issuer's own key identifier, as RFC 5280 §4.2.1.1 asks. */
    g_assert_cmpint (gnutls_x509_crt_get_subject_key_id (root, root_id, &root_id_len, &critical),
                     ==, 0);
    g_assert_cmpmem (buf, len, root_id, root_id_len);
  }

  /* A 16-byte positive serial. */
  len = sizeof buf;
  g_assert_cmpint (gnutls_x509_crt_get_serial (crt, buf, &len), ==, 0);
  g_assert_cmpuint (len, ==, 16);
  g_assert_cmpuint (buf[0] & 0x80, ==, 0);
  g_assert_cmpuint (strlen (vouch_certificate_get_serial (leaf)), ==, 32);

  g_assert_cmpstr (vouch_certificate_get_names (leaf)[0], ==, "nas.lan");
  g_assert_cmpstr (vouch_certificate_get_names (leaf)[1], ==, "10.0.0.5");
  g_assert_nonnull (strstr (vouch_certificate_get_subject (leaf), "CN=nas.lan"));
  g_assert_cmpint (vouch_certificate_get_not_before (leaf), <, now - 60);
  /* time() reads the coarse clock, which may trail g_get_real_time() across
   * a second boundary, so allow a few seconds either way. */
  g_assert_cmpint (vouch_certificate_get_not_after (leaf), >=, now + 397 * 86400 - 5);
  g_assert_cmpint (vouch_certificate_get_not_after (leaf), <=, now + 397 * 86400 + 60);
  g_assert_false (vouch_certificate_get_is_ca (leaf));

  /* What the issuer says it issued is what its encoding says. */
  {
    g_autoptr(VouchCertificate) read = vouch_certificate_new_from_pem (
      vouch_certificate_get_pem (leaf), -1, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (vouch_certificate_get_issuer (leaf), ==, vouch_certificate_get_issuer (read));
    g_assert_cmpstr (vouch_certificate_get_issuer (leaf), ==,
                     vouch_certificate_get_subject (vouch_root_ca_get_certificate (fixture->root)));
    g_assert_cmpstr (vouch_certificate_get_subject (leaf), ==,
                     vouch_certificate_get_subject (read));
    g_assert_cmpstr (vouch_certificate_get_serial (leaf), ==, vouch_certificate_get_serial (read));
    g_assert_cmpstr (vouch_certificate_get_sha256 (leaf), ==, vouch_certificate_get_sha256 (read));
    g_assert_cmpstr (vouch_certificate_get_key_sha256 (leaf), ==,
                     vouch_certificate_get_key_sha256 (read));
    g_assert_cmpstr (vouch_certificate_get_key_description (leaf), ==,
                     vouch_certificate_get_key_description (read));
    g_assert_true (g_strv_equal ((const char * const *)vouch_certificate_get_names (leaf),
                                 (const char * const *)vouch_certificate_get_names (read)));
    g_assert_cmpint (vouch_certificate_get_not_before (leaf), ==,
                     vouch_certificate_get_not_before (read));
    g_assert_cmpint (vouch_certificate_get_not_after (leaf), ==,
                     vouch_certificate_get_not_after (read));
    g_assert_false (vouch_certificate_get_is_ca (read));
  }
}

static void
test_validity_limits (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("cam.local");
  g_autoptr(VouchCertificate) ok = NULL;
  g_autoptr(VouchCertificate) too_long = NULL;
  g_autoptr(VouchCertificate) zero = NULL;
  g_autoptr(GError) error = NULL;

  ok = issue (fixture->root, csr, VOUCH_LEAF_MAX_DAYS, VOUCH_ISSUE_FLAGS_NONE, &error);
  g_assert_no_error (error);

  too_long = issue (fixture->root, csr, VOUCH_LEAF_MAX_DAYS + 1, VOUCH_ISSUE_FLAGS_NONE, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_VALIDITY);
  g_clear_error (&error);

  zero = issue (fixture->root, csr, 0, VOUCH_ISSUE_FLAGS_NONE, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_VALIDITY);
}

static void
test_serials_differ (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("cam.local");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(VouchCertificate) leaf = NULL;
      g_autoptr(GError) error = NULL;

      leaf = issue (fixture->root, csr, 10, VOUCH_ISSUE_FLAGS_NONE, &error);
      g_assert_no_error (error);
      g_assert_true (g_hash_table_add (seen, g_strdup (vouch_certificate_get_serial (leaf))));
    }
}

static void
test_pkcs12_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) p12 = NULL;
  g_autoptr(VouchRootCa) back = NULL;
  g_autoptr(VouchRootCa) wrong = NULL;
  g_autoptr(GError) error = NULL;

  p12 = vouch_root_ca_export_pkcs12 (fixture->root, "correct horse", &error);
  g_assert_no_error (error);

  wrong = vouch_root_ca_import_pkcs12 (p12, "battery staple", &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE);
  g_assert_null (wrong);
  g_clear_error (&error);

  wrong = vouch_root_ca_import_pkcs12 (p12, NULL, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);

  back = vouch_root_ca_import_pkcs12 (p12, "correct horse", &error);
  g_assert_no_error (error);
  g_assert_true (vouch_root_ca_has_key (back));
  g_assert_cmpstr (vouch_root_ca_get_sha256 (back), ==, vouch_root_ca_get_sha256 (fixture->root));

  g_assert_null (vouch_root_ca_export_pkcs12 (fixture->root, "", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE);
}

/* Writes the fixture's root as a PKCS#12 file with OpenSSL and the given
 * options, and returns the file's bytes. */
static GBytes *
openssl_pkcs12 (Fixture            *fixture,
                const char * const *options)
{
  g_autofree char *cert_pem = vouch_root_ca_dup_pem (fixture->root);
  g_autofree char *cert_path = vouch_test_write_temp ("p12-root.pem", cert_pem, -1);
  g_autofree char *key_path = NULL;
  g_autofree char *out_path = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "p12-out.p12", NULL);
  g_autofree char *stderr_text = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };
  gsize len = 0;
  int status = -1;

  g_assert_true (vouch_root_ca_export_key (fixture->root, &key_pem, &error));
  key_path = vouch_test_write_temp ("p12-root-key.pem", (const char *)key_pem.data,
                                    (gssize)key_pem.size);
  vouch_datum_wipe_free (&key_pem);

  for (const char *arg = "openssl\0pkcs12\0-export\0"; *arg != '\0'; arg += strlen (arg) + 1)
    g_ptr_array_add (argv, (gpointer)arg);
  g_ptr_array_add (argv, (gpointer)"-in");
  g_ptr_array_add (argv, cert_path);
  g_ptr_array_add (argv, (gpointer)"-inkey");
  g_ptr_array_add (argv, key_path);
  g_ptr_array_add (argv, (gpointer)"-passout");
  g_ptr_array_add (argv, (gpointer)"pass:correct horse");
  g_ptr_array_add (argv, (gpointer)"-out");
  g_ptr_array_add (argv, out_path);
  for (guint i = 0; options[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)options[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (vouch_test_run ((const char * const *)argv->pdata, NULL, NULL, &stderr_text,
                                 &status));
  if (status != 0)
    g_error ("openssl pkcs12 failed: %s", stderr_text);

  g_assert_true (g_file_get_contents (out_path, &contents, &len, NULL));
  g_unlink (key_path);
  g_unlink (out_path);
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

/* A file asking for more key-derivation iterations than
 * VOUCH_PKCS12_MAX_ITERATIONS (its MAC, an encrypted bag or the shrouded
 * key) is refused with the count in the message, before any derivation
 * runs: one just above the cap would take seconds, a hostile one days.
 * Each file is made with exactly one such derivation (the MAC, the
 * shrouded key, the encrypted certificate bag), so making it stays quick.
 * Files as OpenSSL writes them, by default and in its legacy layout,
 * still import. */
static void
test_pkcs12_iteration_cap (Fixture       *fixture,
                           gconstpointer  data)
{
#define ABOVE_CAP "10000001"
  const char *mac_only[] = { "-iter", ABOVE_CAP, "-keypbe", "NONE", "-certpbe", "NONE", NULL };
  const char *key_only[] = { "-iter", ABOVE_CAP, "-certpbe", "NONE", "-nomac", NULL };
  /* OpenSSL 3.0 reads these in order: -nomac after -certpbe would leave
   * the certificate bag unencrypted. */
  const char *bag_only[] = { "-iter", ABOVE_CAP, "-nomac", "-keypbe", "NONE", "-certpbe",
                             "AES-256-CBC", NULL };
  const char *defaults[] = { NULL };
  const char *legacy[] = { "-descert", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1", NULL };
  const char * const *refused[] = { mac_only, key_only, bag_only };
  g_autofree char *expected = g_strdup_printf ("This file asks for %s key-derivation iterations; "
                                               "Vouch accepts at most %u", ABOVE_CAP,
                                               (guint)VOUCH_PKCS12_MAX_ITERATIONS);

  g_assert_cmpuint (VOUCH_PKCS12_MAX_ITERATIONS, ==, 10000000);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GBytes) p12 = openssl_pkcs12 (fixture, refused[i]);
      g_autoptr(VouchRootCa) root = NULL;
      g_autoptr(GError) error = NULL;

      root = vouch_root_ca_import_pkcs12 (p12, "correct horse", &error);
      g_assert_null (root);
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, ==, expected);
    }

#undef ABOVE_CAP

  /* OpenSSL's defaults (PBES2, 2,048 iterations) and its legacy layout. */
  {
    g_autoptr(GBytes) p12 = openssl_pkcs12 (fixture, defaults);
    g_autoptr(GBytes) old = openssl_pkcs12 (fixture, legacy);
    g_autoptr(VouchRootCa) root = NULL;
    g_autoptr(VouchRootCa) old_root = NULL;
    g_autoptr(GError) error = NULL;

    root = vouch_root_ca_import_pkcs12 (p12, "correct horse", &error);
    g_assert_no_error (error);
    g_assert_true (vouch_root_ca_has_key (root));
    g_assert_cmpstr (vouch_root_ca_get_sha256 (root), ==, vouch_root_ca_get_sha256 (fixture->root));

    old_root = vouch_root_ca_import_pkcs12 (old, "correct horse", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (vouch_root_ca_get_sha256 (old_root), ==,
                     vouch_root_ca_get_sha256 (fixture->root));

    g_assert_null (vouch_root_ca_import_pkcs12 (p12, "battery staple", &error));
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE);
  }
}

static void
test_import_pem (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchRootCa) other = vouch_root_ca_generate ("Other", VOUCH_KEY_TYPE_ECDSA_P256, nc, NULL);
  g_autofree char *cert_pem = vouch_root_ca_dup_pem (fixture->root);
  gnutls_datum_t key_pem = { NULL, 0 };
  gnutls_datum_t other_key = { NULL, 0 };
  g_autoptr(GBytes) cert = g_bytes_new (cert_pem, strlen (cert_pem));
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) wrong_key = NULL;
  g_autoptr(VouchRootCa) imported = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (vouch_root_ca_export_key (fixture->root, &key_pem, &error));
  g_assert_true (vouch_root_ca_export_key (other, &other_key, &error));
  key = g_bytes_new (key_pem.data, key_pem.size);
  wrong_key = g_bytes_new (other_key.data, other_key.size);
  vouch_datum_wipe_free (&key_pem);
  vouch_datum_wipe_free (&other_key);

  imported = vouch_root_ca_import (cert, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vouch_root_ca_has_key (imported));
  g_clear_object (&imported);

  imported = vouch_root_ca_import (cert, wrong_key, NULL, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISMATCH);
  g_clear_error (&error);

  imported = vouch_root_ca_import (cert, cert, NULL, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
}

static void
test_import_refuses_leaf (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("cam.local");
  g_autoptr(VouchCertificate) leaf = issue (fixture->root, csr, 10, 0, NULL);
  g_autoptr(VouchRootCa) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *pem = vouch_certificate_get_pem (leaf);

  root = vouch_root_ca_new_from_pem (pem, strlen (pem), &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_A_CA);
  g_assert_null (root);
}

static void
test_key_handling (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchRootCa) other = vouch_root_ca_generate ("Other", VOUCH_KEY_TYPE_ECDSA_P256, nc, NULL);
  g_autofree char *pem = vouch_root_ca_dup_pem (fixture->root);
  g_autoptr(VouchRootCa) public_only = vouch_root_ca_new_from_pem (pem, strlen (pem), NULL);
  g_autofree char *csr = vouch_test_make_simple_csr ("cam.local");
  g_autoptr(VouchCertificate) leaf = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };
  gnutls_datum_t wrong = { NULL, 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (vouch_root_ca_has_key (public_only));
  leaf = issue (public_only, csr, 10, 0, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING);
  g_clear_error (&error);

  g_assert_true (vouch_root_ca_export_key (other, &wrong, NULL));
  g_assert_false (vouch_root_ca_load_key (public_only, (const char *)wrong.data, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISMATCH);
  g_clear_error (&error);

  g_assert_true (vouch_root_ca_export_key (fixture->root, &key_pem, NULL));
  g_assert_true (vouch_root_ca_load_key (public_only, (const char *)key_pem.data, &error));
  g_assert_no_error (error);
  leaf = issue (public_only, csr, 10, 0, &error);
  g_assert_no_error (error);

  vouch_root_ca_forget_key (public_only);
  g_assert_false (vouch_root_ca_has_key (public_only));
  vouch_datum_wipe_free (&key_pem);
  vouch_datum_wipe_free (&wrong);
}

static GTlsCertificate *
served_chain (VouchCertificate *leaf,
              VouchRootCa      *root)
{
  g_autofree char *pem = g_strconcat (vouch_certificate_get_pem (leaf),
                                      vouch_certificate_get_pem (vouch_root_ca_get_certificate (root)),
                                      NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *chain = g_tls_certificate_new_from_pem (pem, -1, &error);

  g_assert_no_error (error);
  return chain;
}

/* The same request signed by another root, as a device would serve it. */
static GTlsCertificate *
served_by_other_root (const char *csr)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchRootCa) other = NULL;
  g_autoptr(VouchCertificate) foreign = NULL;
  g_autoptr(GError) error = NULL;

  other = vouch_root_ca_generate ("Other Root", VOUCH_KEY_TYPE_ECDSA_P256, nc, &error);
  g_assert_no_error (error);
  foreign = issue (other, csr, 10, 0, &error);
  g_assert_no_error (error);
  return served_chain (foreign, other);
}

/* Confirmation verifies the chain once and matches the leaf per name: it
 * must still refuse any one name the leaf lacks, and any other root. */
static void
test_chain_verify (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *dns[] = { "printer.local", NULL };
  const char *ips[] = { "192.168.1.20", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "printer.local", .dns_names = dns,
                       .addresses = ips };
  g_autofree char *csr = vouch_test_make_csr (&spec);
  g_autoptr(VouchCertificate) leaf = NULL;
  g_autoptr(GTlsCertificate) served = NULL;
  g_autoptr(GTlsCertificate) foreign_served = NULL;
  g_autoptr(GError) error = NULL;
  const char *both[] = { "printer.local", "192.168.1.20", NULL };
  const char *wrong_host[] = { "printer.local", "scanner.local", NULL };
  const char *wrong_ip[] = { "printer.local", "192.168.1.21", NULL };
  const char *sha256;

  leaf = issue (fixture->root, csr, 10, 0, &error);
  g_assert_no_error (error);
  served = served_chain (leaf, fixture->root);
  sha256 = vouch_certificate_get_sha256 (leaf);

  g_assert_true (vouch_chain_verify (fixture->root, served, sha256, both, &error));
  g_assert_no_error (error);

  g_assert_false (vouch_chain_verify (fixture->root, served, sha256, wrong_host, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED);
  g_assert_nonnull (strstr (error->message, "scanner.local"));
  g_clear_error (&error);

  g_assert_false (vouch_chain_verify (fixture->root, served, sha256, wrong_ip, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED);
  g_assert_nonnull (strstr (error->message, "192.168.1.21"));
  g_clear_error (&error);

  g_assert_false (vouch_chain_verify (fixture->root, served,
                                      vouch_certificate_get_sha256 (vouch_root_ca_get_certificate (fixture->root)),
                                      both, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED);
  g_clear_error (&error);

  /* The same names, signed by another root. */
  foreign_served = served_by_other_root (csr);
  g_assert_false (vouch_chain_verify (fixture->root, foreign_served, NULL, both, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED);
  g_assert_nonnull (strstr (error->message, "printer.local"));
}

/* A leaf with no names to match (a device asked for none, or the caller
 * gives none) still has its chain checked: another root's leaf, or the
 * root itself served as a leaf, is refused. */
static void
test_chain_verify_no_names (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *dns[] = { "printer.local", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "printer.local", .dns_names = dns };
  g_autofree char *csr = vouch_test_make_csr (&spec);
  g_autoptr(VouchCertificate) leaf = NULL;
  g_autoptr(GTlsCertificate) served = NULL;
  g_autoptr(GTlsCertificate) foreign_served = NULL;
  g_autoptr(GError) error = NULL;
  const char *none[] = { NULL };

  leaf = issue (fixture->root, csr, 10, 0, &error);
  g_assert_no_error (error);
  served = served_chain (leaf, fixture->root);
  g_assert_true (vouch_chain_verify (fixture->root, served, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (vouch_chain_verify (fixture->root, served, NULL, none, &error));
  g_assert_no_error (error);

  foreign_served = served_by_other_root (csr);

  g_assert_false (vouch_chain_verify (fixture->root, foreign_served, NULL, NULL, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED);
  g_assert_nonnull (strstr (error->message, "does not validate to the root"));
  g_clear_error (&error);

  g_assert_false (vouch_chain_verify (fixture->root, foreign_served, NULL, none, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED);
}

static void
test_bad_names (void)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchRootCa) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (65, 'x');

  root = vouch_root_ca_generate ("", VOUCH_KEY_TYPE_ECDSA_P256, nc, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  root = vouch_root_ca_generate (long_name, VOUCH_KEY_TYPE_ECDSA_P256, nc, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/root-ca/profile", test_profile);
  g_test_add_func ("/root-ca/key-types", test_key_types);
  ADD ("/root-ca/leaf-profile", test_leaf_profile);
  ADD ("/root-ca/validity-limits", test_validity_limits);
  ADD ("/root-ca/serials-differ", test_serials_differ);
  ADD ("/root-ca/pkcs12-round-trip", test_pkcs12_round_trip);
  ADD ("/root-ca/pkcs12-iteration-cap", test_pkcs12_iteration_cap);
  ADD ("/root-ca/import-pem", test_import_pem);
  ADD ("/root-ca/import-refuses-leaf", test_import_refuses_leaf);
  ADD ("/root-ca/key-handling", test_key_handling);
  ADD ("/root-ca/chain-verify", test_chain_verify);
  ADD ("/root-ca/chain-verify-no-names", test_chain_verify_no_names);
  g_test_add_func ("/root-ca/bad-names", test_bad_names);

  return g_test_run ();
}
