/* bench-acme-floor.c: the least CPU an ACME certificate can cost a server,
 * measured through GnuTLS on this machine
 *
 * Every request of the ACME loop is a JWS whose ES256 signature the server
 * must verify; finalize adds the CSR's own signature, and issuing adds one
 * signature by the root's P-256 key. This prints the cost of one ES256
 * verification and of one P-256 signature, in microseconds of process CPU,
 * as JSON: bench-acme.sh multiplies them by the JWS requests per
 * certificate the client loop made. Nothing else (TLS, HTTP, JSON, the
 * inventory's durable write) is counted, so no server can be cheaper.
 *
 *   bench-acme-floor [--count N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <string.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <time.h>

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
check (int         ret,
       const char *what)
{
  if (ret < 0)
    g_error ("%s: %s", what, gnutls_strerror (ret));
}

int
main (int    argc,
      char **argv)
{
  gnutls_privkey_t key = NULL;
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t sig = { NULL, 0 };
  /* About the size of a JWS signing input for newOrder. */
  guint8 blob[400];
  gnutls_datum_t data = { blob, sizeof blob };
  int count = 2000;
  double t0, verify_us, sign_us;
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Operations to time", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— ACME's cryptographic floor");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || count <= 0)
    {
      g_printerr ("bench-acme-floor: %s\n", error != NULL ? error->message : "bad --count");
      return 2;
    }

  memset (blob, 'a', sizeof blob);
  check (gnutls_privkey_init (&key), "privkey");
  check (gnutls_privkey_generate (key, GNUTLS_PK_ECDSA,
                                  GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
         "generate");
  check (gnutls_pubkey_init (&pub), "pubkey");
  check (gnutls_pubkey_import_privkey (pub, key, 0, 0), "import");

  t0 = cpu_now ();
  for (int i = 0; i < count; i++)
    {
      blob[i % sizeof blob]++;
      check (gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &data, &sig), "sign");
      if (i + 1 < count)
        gnutls_free (sig.data);
    }
  sign_us = (cpu_now () - t0) / count * 1e6;

  t0 = cpu_now ();
  for (int i = 0; i < count; i++)
    check (gnutls_pubkey_verify_data2 (pub, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &sig),
           "verify");
  verify_us = (cpu_now () - t0) / count * 1e6;

  g_print ("{\"es256_verify_us\": %.1f, \"p256_sign_us\": %.1f}\n", verify_us, sign_us);
  gnutls_free (sig.data);
  gnutls_pubkey_deinit (pub);
  gnutls_privkey_deinit (key);
  return 0;
}
