/* test-signing-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-error.h"
#include "vouch-signing-policy.h"
#include "vouch-test-util.h"
#include "vouch-util.h"

#include <gnutls/x509.h>

typedef struct
{
  VouchNameConstraints *constraints;
  VouchSigningPolicy   *policy;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->constraints = vouch_name_constraints_new_local_defaults ();
  fixture->policy = vouch_signing_policy_new (fixture->constraints);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->policy);
  g_assert_finalize_object (fixture->constraints);
}

static VouchSigningRequest *
check_pem (Fixture            *fixture,
           const char         *pem,
           const char * const *add,
           const char * const *remove,
           GError            **error)
{
  return vouch_signing_policy_check (fixture->policy, (const guint8 *)pem, strlen (pem), add,
                                     remove, error);
}

static void
test_accepts_good_request (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *names[] = { "printer.local", "printer.home.arpa", NULL };
  const char *addresses[] = { "192.168.1.20", "fd00::20", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "printer.local",
                       .dns_names = names, .addresses = addresses, .challenge = "n+o/nce=123" };
  g_autofree char *pem = vouch_test_make_csr (&spec);
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *got;

  request = check_pem (fixture, pem, NULL, NULL, &error);
  g_assert_no_error (error);
  got = vouch_signing_request_get_names (request);
  /* The common name duplicates a SAN and is counted once. */
  g_assert_cmpuint (g_strv_length ((char **)got), ==, 4);
  g_assert_cmpstr (got[0], ==, "printer.local");
  g_assert_true (g_strv_contains (got, "192.168.1.20"));
  g_assert_true (g_strv_contains (got, "fd00::20"));
  g_assert_cmpstr (vouch_signing_request_get_key_description (request), ==, "ECDSA P-256");
  g_assert_cmpstr (vouch_signing_request_get_challenge (request), ==, "n+o/nce=123");
  g_assert_cmpuint (strlen (vouch_signing_request_get_key_sha256 (request)), ==, 64);
  g_assert_false (vouch_signing_request_get_is_rsa (request));
}

static void
test_accepts_rsa_and_p384 (Fixture       *fixture,
                           gconstpointer  data)
{
  const TestKeyKind kinds[] = { TEST_KEY_RSA2048, TEST_KEY_P384 };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *names[] = { "nas.lan", NULL };
      TestCsrSpec spec = { .key = kinds[i], .dns_names = names };
      g_autofree char *pem = vouch_test_make_csr (&spec);
      g_autoptr(VouchSigningRequest) request = NULL;
      g_autoptr(GError) error = NULL;

      request = check_pem (fixture, pem, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (vouch_signing_request_get_is_rsa (request), ==, kinds[i] == TEST_KEY_RSA2048);
    }
}

static void
test_operator_adjusts_names (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *names[] = { "cam.local", "www.example.com", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .dns_names = names };
  g_autofree char *pem = vouch_test_make_csr (&spec);
  const char *remove[] = { "WWW.Example.COM.", NULL };
  const char *add[] = { "cam.lan", "10.0.0.7", "cam.local", NULL };
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *got;

  /* Without the removal the request is refused... */
  request = check_pem (fixture, pem, NULL, NULL, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS);
  g_assert_null (request);
  g_clear_error (&error);

  /* ...and with it, the operator's names are added once each. */
  request = check_pem (fixture, pem, add, remove, &error);
  g_assert_no_error (error);
  got = vouch_signing_request_get_names (request);
  g_assert_cmpuint (g_strv_length ((char **)got), ==, 3);
  g_assert_cmpstr (got[0], ==, "cam.local");
  g_assert_cmpstr (got[1], ==, "cam.lan");
  g_assert_cmpstr (got[2], ==, "10.0.0.7");
}

static void
test_operator_bad_name (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *pem = vouch_test_make_simple_csr ("cam.local");
  const char *add[] = { "not a name", NULL };
  const char *add_outside[] = { "bank.example", NULL };
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = check_pem (fixture, pem, add, NULL, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME);
  g_clear_error (&error);

  request = check_pem (fixture, pem, add_outside, NULL, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS);
}

static void
test_removing_every_name (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *pem = vouch_test_make_simple_csr ("cam.local");
  const char *remove[] = { "cam.local", NULL };
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = check_pem (fixture, pem, NULL, remove, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_NO_NAMES);
}

/* Real devices put a short host name, a serial number or a model in the
 * common name: with a subjectAltName, the common name is not certified,
 * and the request says so in one line. */
static void
test_common_name_ignored_with_san (Fixture       *fixture,
                                   gconstpointer  data)
{
  const char *common_names[] = { "good", "SN-0042 Rev B", "www.example.com", "Invoice\u202Efdp.exe" };

  for (guint i = 0; i < G_N_ELEMENTS (common_names); i++)
    {
      const char *names[] = { "printer.local", NULL };
      TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = common_names[i],
                           .dns_names = names };
      g_autofree char *pem = vouch_test_make_csr (&spec);
      g_autoptr(VouchSigningRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      const char * const *got;
      const char *notice;

      g_test_message ("CN=%s", common_names[i]);
      request = check_pem (fixture, pem, NULL, NULL, &error);
      g_assert_no_error (error);
      got = vouch_signing_request_get_names (request);
      g_assert_cmpuint (g_strv_length ((char **)got), ==, 1);
      g_assert_cmpstr (got[0], ==, "printer.local");
      notice = vouch_signing_request_get_notice (request);
      g_assert_nonnull (notice);
      g_assert_nonnull (strstr (notice, "not certified"));
      g_assert_null (strchr (notice, '\n'));
      /* What the operator reads is safe text. */
      g_assert_null (strstr (notice, "\u202E"));
      g_assert_null (strstr (vouch_signing_request_get_subject (request), "\u202E"));
    }
}

static void
test_common_name_without_san (Fixture       *fixture,
                              gconstpointer  data)
{
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "nas.local" };
  TestCsrSpec outside = { .key = TEST_KEY_P256, .common_name = "good" };
  g_autofree char *pem = vouch_test_make_csr (&spec);
  g_autofree char *outside_pem = vouch_test_make_csr (&outside);
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *got;

  /* Without a SAN the common name is the name, as before. */
  request = check_pem (fixture, pem, NULL, NULL, &error);
  g_assert_no_error (error);
  got = vouch_signing_request_get_names (request);
  g_assert_cmpuint (g_strv_length ((char **)got), ==, 1);
  g_assert_cmpstr (got[0], ==, "nas.local");
  g_assert_null (vouch_signing_request_get_notice (request));
  g_clear_object (&request);

  /* ...so a one-label one is refused, and no notice is needed when the
   * common name repeats a SAN. */
  request = check_pem (fixture, outside_pem, NULL, NULL, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS);
  g_clear_error (&error);

  {
    g_autofree char *simple = vouch_test_make_simple_csr ("cam.local");

    request = check_pem (fixture, simple, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (vouch_signing_request_get_notice (request));
  }
}

/* --remove-name of a name the CSR carries always works, whatever it looks
 * like: names Vouch would refuse, other kinds of names, any spelling. */
static void
test_remove_any_carried_name (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *names[] = { "bad_name!.local", "cam.local", "*.local", "Printer.Local.", NULL };
  const char *addresses[] = { "8.8.8.8", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "cam", .dns_names = names,
                       .addresses = addresses, .email = "admin@example.com" };
  g_autofree char *pem = vouch_test_make_csr (&spec);
  const char *remove[] = { "bad_name!.local", "*.local", "8.8.8.8", "admin@example.com",
                           "printer.local", NULL };
  const char *remove_some[] = { "bad_name!.local", NULL };
  const char *remove_typo[] = { "not a name", NULL };
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *got;

  request = check_pem (fixture, pem, NULL, NULL, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME);
  g_clear_error (&error);

  /* Every name as the request writes it, for the operator to see; the
   * common name is not one, as the request has subjectAltNames. */
  {
    g_auto(GStrv) requested = vouch_signing_policy_dup_requested_names (fixture->policy,
                                                                        (const guint8 *)pem,
                                                                        strlen (pem), &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (requested), ==, 6);
    g_assert_true (g_strv_contains ((const char * const *)requested, "bad_name!.local"));
    g_assert_true (g_strv_contains ((const char * const *)requested, "Printer.Local."));
    g_assert_true (g_strv_contains ((const char * const *)requested, "8.8.8.8"));
    g_assert_true (g_strv_contains ((const char * const *)requested, "admin@example.com"));
    g_assert_false (g_strv_contains ((const char * const *)requested, "cam"));
  }

  /* Removing one bad name shows the next problem, not the removed one. */
  request = check_pem (fixture, pem, NULL, remove_some, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME);
  g_assert_null (strstr (error->message, "bad_name"));
  g_clear_error (&error);

  request = check_pem (fixture, pem, NULL, remove, &error);
  g_assert_no_error (error);
  got = vouch_signing_request_get_names (request);
  g_assert_cmpuint (g_strv_length ((char **)got), ==, 1);
  g_assert_cmpstr (got[0], ==, "cam.local");

  /* A name to remove that the CSR does not carry must still be a name. */
  g_clear_object (&request);
  request = check_pem (fixture, pem, NULL, remove_typo, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME);
}

static void
test_bad_corpus (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) corpus = vouch_test_bad_csr_corpus ();
  g_autoptr(GHashTable) messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_cmpuint (corpus->len, >=, 15);

  for (guint i = 0; i < corpus->len; i++)
    {
      BadCsr *bad = g_ptr_array_index (corpus, i);
      g_autoptr(VouchSigningRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      gsize len = 0;
      const guint8 *bytes = g_bytes_get_data (bad->bytes, &len);

      g_test_message ("bad CSR: %s", bad->name);
      request = vouch_signing_policy_check (fixture->policy, bytes, len, NULL, NULL, &error);
      g_assert_null (request);
      g_assert_error (error, VOUCH_POLICY_ERROR, bad->code);
      if (strstr (error->message, bad->fragment) == NULL)
        g_error ("%s: message “%s” lacks “%s”", bad->name, error->message, bad->fragment);

      /* Every refusal says something of its own. */
      g_assert_false (g_hash_table_contains (messages, error->message));
      g_hash_table_add (messages, g_strdup (error->message));
    }
}

static void
test_unconstrained_accepts_public_names (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) none = vouch_name_constraints_new ();
  g_autoptr(VouchSigningPolicy) policy = NULL;
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = vouch_test_make_simple_csr ("intranet.example.com");

  vouch_name_constraints_set_unconstrained (none, TRUE);
  policy = vouch_signing_policy_new (none);
  request = vouch_signing_policy_check (policy, (const guint8 *)pem, strlen (pem), NULL, NULL,
                                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
}

/* A request is verified once and remembered by its bytes' SHA-256: the
 * same bytes pass again, but a tampered twin (its signature's last byte
 * changed) is refused however often it comes, and however often the
 * original passed. */
static void
test_verified_once_per_request (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *pem = vouch_test_make_simple_csr ("printer.local");
  gnutls_datum_t datum = { (unsigned char *)pem, (unsigned int)strlen (pem) };
  gnutls_datum_t der = { NULL, 0 };
  g_auto(gnutls_x509_crq_t) crq = NULL;
  g_autofree guint8 *forged = NULL;

  g_assert_cmpint (gnutls_x509_crq_init (&crq), ==, 0);
  g_assert_cmpint (gnutls_x509_crq_import (crq, &datum, GNUTLS_X509_FMT_PEM), ==, 0);
  g_assert_cmpint (gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_DER, &der), ==, 0);
  forged = g_memdup2 (der.data, der.size);
  forged[der.size - 2] ^= 0x01;

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(VouchSigningRequest) good = NULL;
      g_autoptr(VouchSigningRequest) bad = NULL;
      g_autoptr(GError) error = NULL;

      good = vouch_signing_policy_check (fixture->policy, der.data, der.size, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (good);
      bad = vouch_signing_policy_check (fixture->policy, forged, der.size, NULL, NULL, &error);
      g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_SIGNATURE);
      g_assert_null (bad);
    }
  gnutls_free (der.data);
}

/* A request accepted as it is, checked again (as a signature checks an
 * ACME finalize's request), is the same request: read and checked once.
 * Names the operator adds or removes are applied anew every time, and a
 * new name limit checks the request anew. */
static void
test_accepted_once_per_request (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *names[] = { "a.local", "b.local", NULL };
  const char *add[] = { "c.local", NULL };
  const char *remove[] = { "b.local", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .dns_names = names };
  g_autofree char *pem = vouch_test_make_csr (&spec);
  g_autoptr(VouchSigningRequest) first = NULL;
  g_autoptr(VouchSigningRequest) again = NULL;
  g_autoptr(VouchSigningRequest) added = NULL;
  g_autoptr(VouchSigningRequest) removed = NULL;
  g_autoptr(VouchSigningRequest) limited = NULL;
  g_autoptr(VouchSigningRequest) relaxed = NULL;
  g_autoptr(GError) error = NULL;
  guint max_names = vouch_signing_policy_get_max_names (fixture->policy);

  first = check_pem (fixture, pem, NULL, NULL, &error);
  g_assert_no_error (error);
  again = check_pem (fixture, pem, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (first == again);

  added = check_pem (fixture, pem, add, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **)vouch_signing_request_get_names (added)), ==, 3);
  removed = check_pem (fixture, pem, NULL, remove, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **)vouch_signing_request_get_names (removed)), ==, 1);
  g_assert_cmpuint (g_strv_length ((char **)vouch_signing_request_get_names (first)), ==, 2);

  vouch_signing_policy_set_max_names (fixture->policy, 1);
  limited = check_pem (fixture, pem, NULL, NULL, &error);
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_TOO_MANY_NAMES);
  g_assert_null (limited);
  g_clear_error (&error);

  vouch_signing_policy_set_max_names (fixture->policy, max_names);
  relaxed = check_pem (fixture, pem, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (relaxed);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/signing-policy/accepts-good-request", test_accepts_good_request);
  ADD ("/signing-policy/accepts-rsa-and-p384", test_accepts_rsa_and_p384);
  ADD ("/signing-policy/operator-adjusts-names", test_operator_adjusts_names);
  ADD ("/signing-policy/operator-bad-name", test_operator_bad_name);
  ADD ("/signing-policy/removing-every-name", test_removing_every_name);
  ADD ("/signing-policy/common-name-ignored-with-san", test_common_name_ignored_with_san);
  ADD ("/signing-policy/common-name-without-san", test_common_name_without_san);
  ADD ("/signing-policy/remove-any-carried-name", test_remove_any_carried_name);
  ADD ("/signing-policy/bad-corpus", test_bad_corpus);
  ADD ("/signing-policy/verified-once-per-request", test_verified_once_per_request);
  ADD ("/signing-policy/accepted-once-per-request", test_accepted_once_per_request);
  ADD ("/signing-policy/unconstrained-accepts-public-names", test_unconstrained_accepts_public_names);

  return g_test_run ();
}
