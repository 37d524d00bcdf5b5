/* vouch-bad-csrs.c: certificate signing requests Vouch must refuse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-test-util.h"

#include "vouch-error.h"

#include <string.h>

void
bad_csr_free (BadCsr *bad)
{
  g_bytes_unref (bad->bytes);
  g_free (bad);
}

static void
add (GPtrArray  *corpus,
     const char *name,
     GBytes     *bytes,
     int         code,
     const char *fragment)
{
  BadCsr *bad = g_new0 (BadCsr, 1);

  bad->name = name;
  bad->bytes = bytes;
  bad->code = code;
  bad->fragment = fragment;
  g_ptr_array_add (corpus, bad);
}

static GBytes *
take_string (char *text)
{
  return g_bytes_new_take (text, strlen (text));
}

static GBytes *
csr_for (TestKeyKind key)
{
  const char *names[] = { "cam.local", NULL };
  TestCsrSpec spec = { .key = key, .common_name = "cam.local", .dns_names = names };

  return take_string (vouch_test_make_csr (&spec));
}

/* Flips one bit in the signature so the CSR no longer proves possession. */
static GBytes *
bad_signature (void)
{
  g_autofree char *pem = vouch_test_make_simple_csr ("printer.local");
  gnutls_x509_crq_t crq = NULL;
  gnutls_datum_t datum = { (unsigned char *)pem, (unsigned int)strlen (pem) };
  gnutls_datum_t der = { NULL, 0 };
  GBytes *bytes;

  g_assert_cmpint (gnutls_x509_crq_init (&crq), ==, 0);
  g_assert_cmpint (gnutls_x509_crq_import (crq, &datum, GNUTLS_X509_FMT_PEM), ==, 0);
  g_assert_cmpint (gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_DER, &der), ==, 0);
  /* The last bytes are the ECDSA signature's s value. */
  der.data[der.size - 2] ^= 0x01;
  bytes = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  gnutls_x509_crq_deinit (crq);
  return bytes;
}

GPtrArray *
vouch_test_bad_csr_corpus (void)
{
  GPtrArray *corpus = g_ptr_array_new_with_free_func ((GDestroyNotify)bad_csr_free);
  g_autofree char *good = vouch_test_make_simple_csr ("nas.local");
  g_autofree char *good2 = vouch_test_make_simple_csr ("router.local");
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  char *big;

  add (corpus, "empty", g_bytes_new_static ("", 0), VOUCH_POLICY_ERROR_EMPTY, "empty");
  add (corpus, "garbage", g_bytes_new_static ("this is not a certificate request\n", 34),
       VOUCH_POLICY_ERROR_MALFORMED, "BEGIN CERTIFICATE REQUEST");
  add (corpus, "truncated", g_bytes_new (good, strlen (good) / 2),
       VOUCH_POLICY_ERROR_MALFORMED, "damaged or truncated");
  add (corpus, "binary-garbage", g_bytes_new_static ("\x30\x82\xff\xff\x01\x02", 6),
       VOUCH_POLICY_ERROR_MALFORMED, "damaged or truncated");
  add (corpus, "bad-signature", bad_signature (),
       VOUCH_POLICY_ERROR_BAD_SIGNATURE, "does not prove");
  add (corpus, "rsa-1024", csr_for (TEST_KEY_RSA1024), VOUCH_POLICY_ERROR_WEAK_KEY, "RSA 1024");
  add (corpus, "dsa", csr_for (TEST_KEY_DSA), VOUCH_POLICY_ERROR_UNSUPPORTED_KEY, "DSA");
  add (corpus, "ed25519", csr_for (TEST_KEY_ED25519), VOUCH_POLICY_ERROR_UNSUPPORTED_KEY,
       "EdDSA");
  add (corpus, "p521", csr_for (TEST_KEY_P521), VOUCH_POLICY_ERROR_UNSUPPORTED_KEY, "P-256");

  {
    const char *names[] = { "evil.local", NULL };
    TestCsrSpec spec = { .key = TEST_KEY_P256, .dns_names = names, .ask_ca = TRUE };

    add (corpus, "ca-true", take_string (vouch_test_make_csr (&spec)),
         VOUCH_POLICY_ERROR_CA_REQUESTED, "CA:TRUE");
  }

  {
    TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "Kitchen camera" };

    add (corpus, "no-names", take_string (vouch_test_make_csr (&spec)),
         VOUCH_POLICY_ERROR_NO_NAMES, "no host name");
  }

  {
    const char *names[] = { "printer.local", "www.example.com", NULL };
    TestCsrSpec spec = { .key = TEST_KEY_P256, .dns_names = names };

    add (corpus, "outside-constraints", take_string (vouch_test_make_csr (&spec)),
         VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS, "www.example.com");
  }

  {
    const char *addresses[] = { "8.8.8.8", NULL };
    TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "dns.local",
                         .addresses = addresses };

    add (corpus, "public-address", take_string (vouch_test_make_csr (&spec)),
         VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS, "8.8.8.8");
  }

  {
    const char *names[] = { "*.example.com", NULL };
    TestCsrSpec spec = { .key = TEST_KEY_P256, .dns_names = names };

    add (corpus, "wildcard-outside", take_string (vouch_test_make_csr (&spec)),
         VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS, "*.example.com");
  }

  {
    const char *names[] = { "*.local", NULL };
    TestCsrSpec spec = { .key = TEST_KEY_P256, .dns_names = names };

    add (corpus, "wildcard-too-broad", take_string (vouch_test_make_csr (&spec)),
         VOUCH_POLICY_ERROR_BAD_NAME, "two labels");
  }

  {
    TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "mail.local",
                         .email = "admin@example.com" };

    add (corpus, "email-name", take_string (vouch_test_make_csr (&spec)),
         VOUCH_POLICY_ERROR_BAD_NAME, "e-mail");
  }

  {
    const char *names[] = { "bad_name!.local", NULL };
    TestCsrSpec spec = { .key = TEST_KEY_P256, .dns_names = names };

    add (corpus, "invalid-hostname", take_string (vouch_test_make_csr (&spec)),
         VOUCH_POLICY_ERROR_BAD_NAME, "not a valid host name");
  }

  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (many, g_strdup_printf ("dev-%u.local", i));
  g_ptr_array_add (many, NULL);
  {
    TestCsrSpec spec = { .key = TEST_KEY_P256, .dns_names = (const char * const *)many->pdata };

    add (corpus, "thousand-names", take_string (vouch_test_make_csr (&spec)),
         VOUCH_POLICY_ERROR_TOO_MANY_NAMES, "more than 100 names");
  }

  big = g_malloc (10 * 1024 * 1024);
  memset (big, 'A', 10 * 1024 * 1024);
  add (corpus, "ten-megabytes", g_bytes_new_take (big, 10 * 1024 * 1024),
       VOUCH_POLICY_ERROR_TOO_LARGE, "at most");

  add (corpus, "not-utf8",
       g_bytes_new_static ("-----BEGIN CERTIFICATE REQUEST-----\n\xff\xfe\xfd\n", 41),
       VOUCH_POLICY_ERROR_NOT_TEXT, "neither PEM text nor DER");

  add (corpus, "two-csrs", take_string (g_strconcat (good, good2, NULL)),
       VOUCH_POLICY_ERROR_MULTIPLE, "2 certificate signing requests");

  add (corpus, "private-key",
       g_bytes_new_static ("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", 58),
       VOUCH_POLICY_ERROR_MALFORMED, "private key");

  return corpus;
}
