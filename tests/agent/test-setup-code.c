/* test-setup-code.c: the setup code, its forgiving parser and QR payload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-error.h"
#include "vouch-setup-code.h"

#include <string.h>

/* SHA-256("abc"): a digest anyone can recompute. */
static const guint8 abc_digest[VOUCH_SHA256_LEN] = {
  0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
  0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

static void
test_from_digest (void)
{
  g_autofree char *code = vouch_setup_code_from_spki_sha256 (abc_digest);
  guint8 zero[VOUCH_SHA256_LEN] = { 0 };
  guint8 ones[VOUCH_SHA256_LEN];
  g_autofree char *zero_code = NULL;
  g_autofree char *ones_code = NULL;

  /* 0xba7816bf8f01cfea >> 4 = 0xba7816bf8f01cfe, 12 symbols of 5 bits:
   * 10111 01001 11100 00001 01101 01111 11100 01111 00000 00111 00111 11110 */
  g_assert_cmpstr (code, ==, "Q9W1-DFWF-077Y");
  g_assert_cmpuint (strlen (code), ==, VOUCH_SETUP_CODE_GROUPED_LEN);

  zero_code = vouch_setup_code_from_spki_sha256 (zero);
  g_assert_cmpstr (zero_code, ==, "0000-0000-0000");

  memset (ones, 0xff, sizeof ones);
  ones_code = vouch_setup_code_from_spki_sha256 (ones);
  g_assert_cmpstr (ones_code, ==, "ZZZZ-ZZZZ-ZZZZ");
}

static void
test_normalize (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "Q9W1-DFWF-077Y", "Q9W1-DFWF-077Y" },
    { "q9w1dfwf077y", "Q9W1-DFWF-077Y" },
    { "  q9w1 dfwf 077y ", "Q9W1-DFWF-077Y" },
    { "Q9WI-DFWF-O77Y", "Q9W1-DFWF-077Y" },
    { "Q9Wl-DFWF-o77Y", "Q9W1-DFWF-077Y" },
    { "--Q9W1--DFWF--077Y--", "Q9W1-DFWF-077Y" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = vouch_setup_code_normalize (cases[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (code, ==, cases[i].expected);
    }
}

static void
test_normalize_invalid (void)
{
  static const char *bad[] = {
    "", "Q9W1-DFWF-077", "Q9W1-DFWF-077YY", "Q9W1-DFWF-077U", "Q9W1_DFWF_077Y", "Q9W1-DFWF-07\xc3\xa9", "!!!!",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = vouch_setup_code_normalize (bad[i], &error);

      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
      g_assert_null (code);
      g_assert_nonnull (error->message);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (vouch_setup_code_normalize (NULL, &error));
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  }
}

static void
test_matches (void)
{
  g_autoptr(GError) error = NULL;
  guint8 other[VOUCH_SHA256_LEN];

  g_assert_true (vouch_setup_code_matches ("q9w1 dfwf 077y", abc_digest, &error));
  g_assert_no_error (error);

  /* Only the first 60 bits count: the rest of the digest may differ. */
  memcpy (other, abc_digest, sizeof other);
  other[7] ^= 0x0f;
  other[31] ^= 0xff;
  g_assert_true (vouch_setup_code_matches ("Q9W1-DFWF-077Y", other, &error));
  g_assert_no_error (error);

  other[7] ^= 0x10;
  g_assert_false (vouch_setup_code_matches ("Q9W1-DFWF-077Y", other, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_SETUP_CODE_MISMATCH);
  g_clear_error (&error);

  g_assert_false (vouch_setup_code_matches ("Q9W1-DFWF", abc_digest, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
}

static void
test_from_pubkey (void)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_privkey_t) priv = NULL;
  g_auto(gnutls_pubkey_t) pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  guint8 digest[VOUCH_SHA256_LEN];

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0), ==, 0);
  g_assert_cmpint (gnutls_privkey_init (&priv), ==, 0);
  g_assert_cmpint (gnutls_privkey_import_x509 (priv, key, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_init (&pub), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_privkey (pub, priv, 0, 0), ==, 0);

  code = vouch_setup_code_from_pubkey (pub, &error);
  g_assert_no_error (error);
  g_assert_true (vouch_pubkey_spki_sha256 (pub, digest, &error));
  g_assert_true (vouch_setup_code_matches (code, digest, &error));
  g_assert_no_error (error);
}

static void
test_qr_payload (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *code = NULL;
  g_autofree char *device_id = NULL;

  payload = vouch_setup_code_make_qr_payload ("q9w1-dfwf-077y", "0123456789abcdef", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payload, ==, "VOUCH:1:Q9W1DFWF077Y:0123456789ABCDEF");

  /* Only QR alphanumeric-mode characters. */
  for (const char *p = payload; *p != '\0'; p++)
    g_assert_nonnull (strchr ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", *p));

  g_assert_true (vouch_setup_code_parse_qr_payload (payload, &code, &device_id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "Q9W1-DFWF-077Y");
  g_assert_cmpstr (device_id, ==, "0123456789abcdef");

  g_assert_null (vouch_setup_code_make_qr_payload ("Q9W1-DFWF-077Y", "xyz", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
}

static void
test_qr_payload_invalid (void)
{
  static const char *bad[] = {
    "", "HELLO", "VOUCH:2:Q9W1DFWF077Y:0123456789ABCDEF", "VOUCH:1:Q9W1DFWF077:0123456789ABCDEF",
    "VOUCH:1:Q9W1DFWF077Y:0123456789ABCDE", "VOUCH:1:Q9W1DFWF077Y:0123456789ABCDEF:X",
    "VOUCH:1:Q9W1DFWF077Y:0123456789ABCDEG", "VOUCH:1:Q9W1DFWF077Y",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = NULL;

      g_assert_false (vouch_setup_code_parse_qr_payload (bad[i], &code, NULL, &error));
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
      g_assert_null (code);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/setup-code/from-digest", test_from_digest);
  g_test_add_func ("/setup-code/normalize", test_normalize);
  g_test_add_func ("/setup-code/normalize-invalid", test_normalize_invalid);
  g_test_add_func ("/setup-code/matches", test_matches);
  g_test_add_func ("/setup-code/from-pubkey", test_from_pubkey);
  g_test_add_func ("/setup-code/qr-payload", test_qr_payload);
  g_test_add_func ("/setup-code/qr-payload-invalid", test_qr_payload_invalid);

  return g_test_run ();
}
