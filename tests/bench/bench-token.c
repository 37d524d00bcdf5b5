/* bench-token.c: certificates signed per second with the root's key on a
 * SoftHSM2 token, against the same with the key in the keyring, in one
 * run: both through vouch_authority_sign() (policy, issue, inventory), the
 * key held for the run as a bulk run holds it.
 *
 * Run it under tests/run-with-keyring.sh (meson's default setup does).
 * It prints numbers and PASS/MISS against the target, and exits 0 on a
 * miss; it fails only when something errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-authority-private.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>
#include <locale.h>

/* The target: the token path at least this share of the
 * keyring path's rate. */
#define TARGET_SHARE 0.80
#define PIN "1234"

static int opt_count = 1000;
static int opt_rounds = 5;
static int opt_pool = 100;

static void
make_token (const char *dir)
{
  g_autofree char *tokens = g_build_filename (dir, "tokens", NULL);
  g_autofree char *conf_path = g_build_filename (dir, "softhsm2.conf", NULL);
  g_autofree char *conf = g_strdup_printf ("directories.tokendir = %s\nobjectstore.backend = "
                                           "file\nlog.level = ERROR\n", tokens);
  const char *argv[] = { "softhsm2-util", "--init-token", "--free", "--label", "Bench",
                         "--so-pin", "12345678", "--pin", PIN, NULL };
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (tokens, 0700), ==, 0);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  g_setenv ("SOFTHSM2_CONF", conf_path, TRUE);
  g_assert_true (vouch_test_run (argv, NULL, NULL, NULL, &status));
  g_assert_cmpint (status, ==, 0);
}

static VouchAuthority *
make_authority (const char *dir,
                const char *name,
                gboolean    on_token)
{
  g_autofree char *data_dir = g_build_filename (dir, name, NULL);
  g_autoptr(VouchAuthority) authority = vouch_authority_new (data_dir);
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vouch_authority_load (authority, &error));
  if (on_token)
    {
      vouch_authority_set_token_pin (authority, PIN);
      vouch_authority_create_root_on_token (authority, name, VOUCH_KEY_TYPE_ECDSA_P256, nc,
                                            "pkcs11:token=Bench", NULL, &error);
    }
  else
    vouch_authority_create_root (authority, name, VOUCH_KEY_TYPE_ECDSA_P256, nc, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&authority);
}

/* One round: @count signatures, the key held and already loaded. */
static double
round_rate (VouchAuthority *authority,
            GPtrArray      *pool,
            int             count)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < count; i++)
    {
      const char *csr = g_ptr_array_index (pool, (guint)i % pool->len);
      g_autoptr(VouchCertificate) cert = NULL;

      cert = vouch_authority_sign (authority, (const guint8 *)csr, strlen (csr), NULL, NULL,
                                   &error);
      g_assert_no_error (error);
    }
  return count / ((double)(g_get_monotonic_time () - start) / G_USEC_PER_SEC);
}

/* The two paths take turns, round by round, so a busy machine slows both
 * alike; the best round of each counts. */
static void
measure (VouchAuthority *keyring,
         VouchAuthority *token,
         GPtrArray      *pool,
         double         *keyring_rate,
         double         *token_rate)
{
  VouchAuthority *both[] = { keyring, token };
  double *rates[] = { keyring_rate, token_rate };

  for (guint a = 0; a < G_N_ELEMENTS (both); a++)
    {
      vouch_authority_set_token_pin (both[a], PIN);
      vouch_authority_hold (both[a]);
      /* Loads the key and warms the caches; not counted. */
      round_rate (both[a], pool, 10);
      *rates[a] = 0;
    }

  for (int round = 0; round < opt_rounds; round++)
    for (guint a = 0; a < G_N_ELEMENTS (both); a++)
      *rates[a] = MAX (*rates[a], round_rate (both[a], pool, opt_count));

  for (guint a = 0; a < G_N_ELEMENTS (both); a++)
    vouch_authority_release (both[a]);
}

int
main (int    argc,
      char **argv)
{
  const GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &opt_count, "Certificates per round", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &opt_rounds, "Rounds (the best counts)", "N" },
    { "pool", 0, 0, G_OPTION_ARG_INT, &opt_pool, "Distinct CSRs", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— token vs keyring signing");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(VouchAuthority) keyring = NULL;
  g_autoptr(VouchAuthority) token = NULL;
  g_autofree char *dir = NULL;
  double keyring_rate;
  double token_rate;
  double share;

  setlocale (LC_ALL, "C");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_count < 1 ||
      opt_rounds < 1 || opt_pool < 1)
    {
      g_printerr ("bench-token: %s\n", error != NULL ? error->message : "bad numbers");
      return 2;
    }

  dir = g_dir_make_tmp ("vouch-bench-token-XXXXXX", &error);
  g_assert_no_error (error);
  make_token (dir);
  keyring = make_authority (dir, "keyring", FALSE);
  token = make_authority (dir, "token", TRUE);

  for (int i = 0; i < opt_pool; i++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%d.lan", i);

      g_ptr_array_add (pool, vouch_test_make_simple_csr (name));
    }

  measure (keyring, token, pool, &keyring_rate, &token_rate);
  share = token_rate / keyring_rate;

  g_print ("P-256 root, %d certificates a round, best of %d rounds, %d distinct CSRs\n",
           opt_count, opt_rounds, opt_pool);
  g_print ("keyring:        %8.0f certificates/s\n", keyring_rate);
  g_print ("SoftHSM2 token: %8.0f certificates/s\n", token_rate);
  g_print ("token/keyring:  %8.0f%%  (target >= %.0f%%): %s\n", share * 100,
           TARGET_SHARE * 100, share >= TARGET_SHARE ? "PASS" : "MISS");

  g_clear_object (&keyring);
  g_clear_object (&token);
  {
    const char *rm[] = { "rm", "-rf", dir, NULL };

    vouch_test_run (rm, NULL, NULL, NULL, NULL);
  }
  return 0;
}
