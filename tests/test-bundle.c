/* test-bundle.c: what colleagues get to install the root — the .cer, the
 * .crt, the .mobileconfig and the guide, in a folder or a zip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "vouch-bundle.h"
#include "vouch-root-ca.h"
#include "vouch-test-util.h"

typedef struct
{
  char        *tmp;
  VouchRootCa *root;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;

  fixture->tmp = vouch_test_fresh_dir ("bundle");
  g_assert_cmpint (g_mkdir_with_parents (fixture->tmp, 0700), ==, 0);
  fixture->root = vouch_root_ca_generate ("Stores Test Root", VOUCH_KEY_TYPE_ECDSA_P256, nc,
                                          &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *argv[] = { "rm", "-rf", fixture->tmp, NULL };

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (fixture->tmp);
  g_assert_finalize_object (fixture->root);
}

static void
test_write (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(VouchBundle) bundle = vouch_bundle_new (vouch_root_ca_get_certificate (fixture->root));
  g_autofree char *dir = g_build_filename (fixture->tmp, "bundle", NULL);
  g_autofree char *zip = g_build_filename (fixture->tmp, "bundle.zip", NULL);
  g_autofree char *cer = g_build_filename (dir, VOUCH_BUNDLE_DER_NAME, NULL);
  g_autofree char *crt = g_build_filename (dir, VOUCH_BUNDLE_PEM_NAME, NULL);
  g_autofree char *html_path = g_build_filename (dir, VOUCH_BUNDLE_GUIDE_NAME, NULL);
  g_autofree char *mc_path = g_build_filename (dir, VOUCH_BUNDLE_MOBILECONFIG_NAME, NULL);
  g_autoptr(GBytes) der = vouch_root_ca_dup_der (fixture->root);
  g_autofree char *der_b64 = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_autofree char *pem = vouch_root_ca_dup_pem (fixture->root);
  g_autofree char *cer_data = NULL;
  g_autofree char *crt_data = NULL;
  g_autofree char *html = NULL;
  g_autofree char *mc = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;
  const char *unzip[] = { "unzip", "-l", zip, NULL };
  gsize len = 0;
  int status = -1;

  g_assert_true (vouch_bundle_write (bundle, dir, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (cer, &cer_data, &len, NULL));
  g_assert_cmpmem (cer_data, len, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_assert_true (g_file_get_contents (crt, &crt_data, NULL, NULL));
  g_assert_cmpstr (crt_data, ==, pem);
  g_assert_true (g_file_get_contents (mc_path, &mc, NULL, NULL));
  g_assert_nonnull (strstr (mc, "<string>com.apple.security.root</string>"));
  g_assert_nonnull (strstr (mc, der_b64));
  g_assert_nonnull (strstr (mc, "Stores Test Root"));
  g_assert_true (g_file_get_contents (html_path, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, "<svg"));
  for (const char *os = "Windows\0macOS\0iOS\0Android\0Linux\0Firefox\0"; *os; os += strlen (os) + 1)
    g_assert_nonnull (strstr (html, os));
  /* The fingerprint, grouped: its first four bytes as one group. */
  {
    g_autofree char *first = g_strndup (vouch_root_ca_get_sha256 (fixture->root), 11);

    g_strdelimit (first, ":", ' ');

    g_assert_nonnull (strstr (html, first));
  }

  /* A full folder is never mixed into. */
  g_assert_false (vouch_bundle_write (bundle, dir, FALSE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (vouch_bundle_write (bundle, zip, TRUE, NULL, &error));
  g_assert_no_error (error);
  vouch_test_run (unzip, NULL, &listing, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (listing, "vouch-root/vouch-root.cer"));
  g_assert_nonnull (strstr (listing, "vouch-root/index.html"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bundle/write", Fixture, NULL, fixture_setup, test_write, fixture_teardown);

  return g_test_run ();
}
