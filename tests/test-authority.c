/* test-authority.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-authority-private.h"
#include "vouch-crl.h"
#include "vouch-error.h"
#include "vouch-test-util.h"
#include "vouch-inventory-private.h"

#include <glib/gstdio.h>

typedef struct
{
  char           *data_dir;
  VouchAuthority *authority;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->data_dir = vouch_test_fresh_dir ("data");
  fixture->authority = vouch_test_authority_new (fixture->data_dir, NULL, FALSE);
  g_assert_null (vouch_authority_get_root (fixture->authority));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  vouch_test_finalize_authority (fixture->authority);
  g_free (fixture->data_dir);
}

static void
create_root (Fixture *fixture)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vouch_authority_create_root (fixture->authority, "Authority Test",
                                              VOUCH_KEY_TYPE_ECDSA_P256, nc, NULL, &error));
  g_assert_no_error (error);
}

static char *
keyring_key (Fixture *fixture)
{
  VouchRootCa *root = vouch_authority_get_root (fixture->authority);
  g_autoptr(GError) error = NULL;
  char *secret;
  char *copy;

  secret = vouch_key_store_lookup_root_key (vouch_authority_get_key_store (fixture->authority),
                                            vouch_root_ca_get_sha256 (root), NULL, &error);
  g_assert_no_error (error);
  copy = g_strdup (secret);
  vouch_key_store_free_secret (secret);
  return copy;
}

static VouchCertificate *
sign_pem (Fixture    *fixture,
          const char *pem,
          GError    **error)
{
  return vouch_authority_sign (fixture->authority, (const guint8 *)pem, strlen (pem), NULL, NULL,
                               error);
}

static guint
count_certs (Fixture *fixture)
{
  g_autoptr(GListModel) list = NULL;

  list = vouch_inventory_list_certificates (vouch_authority_get_inventory (fixture->authority),
                                            NULL);
  return g_list_model_get_n_items (list);
}

static void
test_create_and_reload (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VouchAuthority) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root_path = g_build_filename (fixture->data_dir, "root.pem", NULL);
  g_autofree char *key = NULL;
  VouchRootCa *root;

  create_root (fixture);
  root = vouch_authority_get_root (fixture->authority);
  g_assert_nonnull (root);
  g_assert_true (g_file_test (root_path, G_FILE_TEST_IS_REGULAR));
  /* The key is not kept in memory once the root is made. */
  g_assert_false (vouch_root_ca_has_key (root));
  key = keyring_key (fixture);
  g_assert_true (g_str_has_prefix (key, "-----BEGIN PRIVATE KEY-----"));
  g_assert_cmpint (_vouch_inventory_count_audit_events (vouch_authority_get_inventory (fixture->authority),
                                                        "root-created"), ==, 1);

  again = vouch_authority_new (fixture->data_dir);
  g_assert_true (vouch_authority_load (again, &error));
  g_assert_cmpstr (vouch_root_ca_get_sha256 (vouch_authority_get_root (again)), ==,
                   vouch_root_ca_get_sha256 (root));

  /* A second root is refused rather than silently replacing the first. */
  {
    g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();

    g_assert_false (vouch_authority_create_root (again, "Second", VOUCH_KEY_TYPE_ECDSA_P256, nc,
                                                 NULL, &error));
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_ROOT_EXISTS);
  }
}

static void
test_sign_records (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("printer.local");
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  const char *add[] = { "printer.lan", NULL };
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;

  cert = sign_pem (fixture, csr, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_NO_ROOT);
  g_clear_error (&error);

  create_root (fixture);
  options.days = 90;
  options.add_names = add;
  options.device_id = "dev-7";
  cert = vouch_authority_sign (fixture->authority, (const guint8 *)csr, strlen (csr), &options,
                               NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vouch_certificate_get_names (cert)[1], ==, "printer.lan");
  g_assert_cmpstr (vouch_certificate_get_device_id (cert), ==, "dev-7");
  g_assert_cmpuint (count_certs (fixture), ==, 1);
  /* Synced to the disk before it was handed out. */
  g_assert_cmpuint (_vouch_inventory_get_syncs (vouch_authority_get_inventory (fixture->authority)),
                    ==, 1);
}

static void
test_bad_corpus_issues_nothing (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) corpus = vouch_test_bad_csr_corpus ();
  VouchInventory *inventory;

  create_root (fixture);
  inventory = vouch_authority_get_inventory (fixture->authority);

  for (guint i = 0; i < corpus->len; i++)
    {
      BadCsr *bad = g_ptr_array_index (corpus, i);
      g_autoptr(VouchCertificate) cert = NULL;
      g_autoptr(GError) error = NULL;
      gsize len = 0;
      const guint8 *bytes = g_bytes_get_data (bad->bytes, &len);

      cert = vouch_authority_sign (fixture->authority, bytes, len, NULL, NULL, &error);
      g_assert_error (error, VOUCH_POLICY_ERROR, bad->code);
      g_assert_null (cert);
    }

  g_assert_cmpuint (count_certs (fixture), ==, 0);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "issued"), ==, 0);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "csr-refused"), ==, corpus->len);
}

static void
test_backup_restore (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other_dir = g_build_filename (fixture->data_dir, "elsewhere", NULL);
  g_autoptr(VouchAuthority) other = vouch_authority_new (other_dir);
  g_autofree char *csr = vouch_test_make_simple_csr ("nas.local");
  g_autoptr(VouchCertificate) cert = NULL;
  VouchKeyStore *store;
  const char *sha;

  create_root (fixture);
  sha = vouch_root_ca_get_sha256 (vouch_authority_get_root (fixture->authority));
  backup = vouch_authority_backup (fixture->authority, "s3cret passphrase", NULL, &error);
  g_assert_no_error (error);

  /* Lose the key: the keyring was reset. */
  store = vouch_authority_get_key_store (fixture->authority);
  g_assert_true (vouch_key_store_clear_root_key (store, sha, NULL, &error));
  cert = sign_pem (fixture, csr, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING);
  g_clear_error (&error);

  /* A wrong passphrase changes nothing. */
  g_assert_false (vouch_authority_restore (other, backup, "wrong", NULL, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);
  g_assert_null (vouch_authority_get_root (other));

  /* Restoring into another data folder brings root and key back. */
  g_assert_true (vouch_authority_restore (other, backup, "s3cret passphrase", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (vouch_root_ca_get_sha256 (vouch_authority_get_root (other)), ==, sha);
  cert = sign_pem (fixture, csr, &error);
  g_assert_no_error (error);
  g_clear_object (&cert);

  /* Restoring the same root again just refreshes the keyring. */
  g_assert_true (vouch_authority_restore (fixture->authority, backup, "s3cret passphrase", NULL,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpint (_vouch_inventory_count_audit_events (vouch_authority_get_inventory (fixture->authority),
                                                        "root-backed-up"), ==, 1);
}

static void
test_no_key_material_on_disk (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("nas.local");
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GPtrArray) needles = NULL;
  g_autofree char *key = NULL;
  g_autofree char *backup_path = NULL;
  g_autoptr(GError) error = NULL;

  create_root (fixture);
  cert = sign_pem (fixture, csr, &error);
  g_assert_no_error (error);
  backup = vouch_authority_backup (fixture->authority, "pass phrase", NULL, &error);
  g_assert_no_error (error);
  backup_path = vouch_test_write_temp ("backup.p12", g_bytes_get_data (backup, NULL),
                                       g_bytes_get_size (backup));
  g_assert_true (vouch_authority_restore (fixture->authority, backup, "pass phrase", NULL, &error));

  key = keyring_key (fixture);
  needles = vouch_test_key_needles (key);
  vouch_test_assert_tree_clean (g_get_home_dir (), needles);
  vouch_test_assert_tree_clean (fixture->data_dir, needles);
  vouch_test_assert_tree_clean (g_getenv ("VOUCH_TEST_TMPDIR"), needles);
}

static void
create_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (vouch_authority_create_root_finish (VOUCH_AUTHORITY (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
sign_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  VouchCertificate **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = vouch_authority_sign_finish (VOUCH_AUTHORITY (object), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autofree char *csr = vouch_test_make_simple_csr ("gw.lan");
  g_autoptr(GBytes) bytes = g_bytes_new (csr, strlen (csr));
  g_autoptr(VouchCertificate) cert = NULL;
  gboolean done = FALSE;

  vouch_authority_create_root_async (fixture->authority, "Async Root", VOUCH_KEY_TYPE_RSA_3072,
                                     nc, NULL, create_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  vouch_authority_sign_async (fixture->authority, bytes, NULL, NULL, sign_done_cb, &cert);
  while (cert == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (vouch_certificate_get_names (cert)[0], ==, "gw.lan");
}

/* The key is read from the keyring for each operation and wiped at its
 * end: a signature (refused or not, sync or async), a CRL, a backup. */
static void
test_key_lifetime (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("printer.local");
  g_autoptr(GBytes) bytes = g_bytes_new (csr, strlen (csr));
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(VouchCertificate) async_cert = NULL;
  g_autoptr(GBytes) crl = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GError) error = NULL;
  VouchSignOptions expired = VOUCH_SIGN_OPTIONS_INIT;

  create_root (fixture);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));
  g_assert_cmpuint (_vouch_authority_get_key_loads (fixture->authority), ==, 0);

  cert = sign_pem (fixture, csr, &error);
  g_assert_no_error (error);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));
  g_assert_cmpuint (_vouch_authority_get_key_loads (fixture->authority), ==, 1);

  /* A signature that fails after the key was loaded wipes it too. */
  expired.days = VOUCH_LEAF_MAX_DAYS + 1;
  g_assert_null (vouch_authority_sign (fixture->authority, (const guint8 *)csr, strlen (csr),
                                       &expired, NULL, &error));
  g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_VALIDITY);
  g_clear_error (&error);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));

  vouch_authority_sign_async (fixture->authority, bytes, NULL, NULL, sign_done_cb, &async_cert);
  while (async_cert == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));

  crl = vouch_crl_generate (fixture->authority, VOUCH_CRL_DEFAULT_DAYS, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (crl);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));

  backup = vouch_authority_backup (fixture->authority, "pass phrase", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));

  /* Without a hold, every operation read the keyring again. */
  g_assert_cmpuint (_vouch_authority_get_key_loads (fixture->authority), ==, 5);
}

/* A hold (a bulk run's) keeps the key from its first use to the last
 * release: one keyring read for many signatures, then wiped. */
static void
test_key_hold (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("printer.local");
  g_autoptr(GError) error = NULL;

  create_root (fixture);

  vouch_authority_hold (fixture->authority);
  vouch_authority_hold (fixture->authority);
  /* A hold alone reads nothing: it never blocks. */
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(VouchCertificate) cert = sign_pem (fixture, csr, &error);

      g_assert_no_error (error);
      g_assert_true (_vouch_authority_get_key_loaded (fixture->authority));
    }
  g_assert_cmpuint (_vouch_authority_get_key_loads (fixture->authority), ==, 1);

  vouch_authority_release (fixture->authority);
  g_assert_true (_vouch_authority_get_key_loaded (fixture->authority));
  vouch_authority_release (fixture->authority);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));

  {
    g_autoptr(VouchCertificate) cert = sign_pem (fixture, csr, &error);

    g_assert_no_error (error);
    g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));
    g_assert_cmpuint (_vouch_authority_get_key_loads (fixture->authority), ==, 2);
  }
}

static void
test_damaged_root_file (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "root.pem", NULL);
  g_autoptr(VouchAuthority) again = vouch_authority_new (fixture->data_dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "-----BEGIN CERTIFICATE-----\nAAAA\n", -1, NULL));
  g_assert_false (vouch_authority_load (again, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "damaged"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/authority/create-and-reload", test_create_and_reload);
  ADD ("/authority/sign-records", test_sign_records);
  ADD ("/authority/bad-corpus-issues-nothing", test_bad_corpus_issues_nothing);
  ADD ("/authority/backup-restore", test_backup_restore);
  ADD ("/authority/no-key-material-on-disk", test_no_key_material_on_disk);
  ADD ("/authority/async", test_async);
  ADD ("/authority/key-lifetime", test_key_lifetime);
  ADD ("/authority/key-hold", test_key_hold);
  ADD ("/authority/damaged-root-file", test_damaged_root_file);

  return g_test_run ();
}
