/* test-home-trust-stores.c: finding trust stores in fake home folders, and
 * changing NSS databases and Java keystores with the real tools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include <glib/gstdio.h>

#include "vouch-error.h"
#include "vouch-root-ca.h"
#include "vouch-trust-layout.h"
#include "vouch-trust-store-private.h"
#include "vouch-home-trust-stores.h"
#include "vouch-test-util.h"
#include "vouch-trust-traces.h"

typedef struct
{
  char        *tmp;
  char        *home;
  VouchRootCa *root;
  VouchRootCa *other;
} Fixture;

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static void
make_dir (const char *dir,
          const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchNameConstraints) nc2 = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;
  g_autofree char *fake_root = NULL;

  fixture->tmp = g_dir_make_tmp ("trust-stores-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->home = g_build_filename (fixture->tmp, "home", NULL);
  make_dir (fixture->home, ".");
  /* An empty fake system and no JDK, unless a test sets its own. */
  fake_root = g_build_filename (fixture->tmp, "sysroot", NULL);
  make_dir (fake_root, ".");
  g_setenv (VOUCH_SYSTEM_ROOT_ENV, fake_root, TRUE);
  g_setenv ("JAVA_HOME", "/nonexistent-jdk", TRUE);

  fixture->root = vouch_root_ca_generate ("Stores Test Root", VOUCH_KEY_TYPE_ECDSA_P256, nc,
                                          &error);
  g_assert_no_error (error);
  fixture->other = vouch_root_ca_generate ("Unrelated Root", VOUCH_KEY_TYPE_ECDSA_P256, nc2,
                                           &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *argv[] = { "rm", "-rf", fixture->tmp, NULL };

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_unsetenv (VOUCH_SYSTEM_ROOT_ENV);
  g_unsetenv ("JAVA_HOME");
  g_free (fixture->tmp);
  g_free (fixture->home);
  g_assert_finalize_object (fixture->root);
  g_assert_finalize_object (fixture->other);
}

static VouchCertificate *
root_cert (Fixture *fixture)
{
  return vouch_root_ca_get_certificate (fixture->root);
}

static void
assert_status (VouchHomeTrustStores *stores,
               const char       *id,
               VouchTrustStatus  status)
{
  VouchTrustStore *store = vouch_home_trust_stores_lookup (stores, id);

  if (store == NULL)
    g_error ("no store %s", id);
  if (vouch_trust_store_get_status (store) != status)
    g_error ("%s: expected %s, got %s (%s)", id, vouch_trust_status_to_string (status),
             vouch_trust_status_to_string (vouch_trust_store_get_status (store)),
             vouch_trust_store_get_message (store));
}

static void
certutil (const char *dir,
          const char *arg1,
          ...) G_GNUC_NULL_TERMINATED;

static void
certutil (const char *dir,
          const char *arg1,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *err = NULL;
  va_list args;
  int status = -1;

  g_ptr_array_add (argv, g_strdup ("certutil"));
  g_ptr_array_add (argv, g_strdup ("-d"));
  g_ptr_array_add (argv, g_strconcat ("sql:", dir, NULL));
  va_start (args, arg1);
  for (const char *a = arg1; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  vouch_test_run ((const char * const *)argv->pdata, NULL, NULL, &err, &status);
  if (status != 0)
    g_error ("certutil failed: %s", err);
}

/* vouch_home_trust_stores_apply_async(), run to its end. */
static gboolean
apply (VouchHomeTrustStores  *stores,
       VouchTrustChange       change,
       const char * const    *ids,
       GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vouch_home_trust_stores_apply_async (stores, change, ids, NULL, vouch_test_store_result_cb,
                                       &result);
  vouch_test_wait_result (&result, 120);
  return vouch_home_trust_stores_apply_finish (stores, result, error);
}

static void
test_detects_locations (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VouchHomeTrustStores) stores = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *elsewhere = g_build_filename (fixture->tmp, "elsewhere.profile", NULL);
  g_autofree char *ini = NULL;
  VouchTrustStore *store;

  /* ~/.mozilla: a relative profile, an absolute one outside the folder,
   * one whose folder is gone, and an [Install] group that is no profile. */
  make_dir (fixture->home, ".mozilla/firefox/abc.default-release");
  make_dir (elsewhere, ".");
  ini = g_strdup_printf ("[Install4F96D1932A9F858E]\nDefault=abc.default-release\n\n"
                         "[Profile0]\nName=default-release\nIsRelative=1\nPath=abc.default-release\n\n"
                         "[Profile1]\nName=work\nIsRelative=0\nPath=%s\n\n"
                         "[Profile2]\nName=gone\nIsRelative=1\nPath=gone.profile\n\n"
                         "[General]\nVersion=2\n", elsewhere);
  write_file (fixture->home, ".mozilla/firefox/profiles.ini", ini);
  /* The XDG folder, with IsRelative left out (relative by default). */
  make_dir (fixture->home, ".config/mozilla/firefox/xyz.default");
  write_file (fixture->home, ".config/mozilla/firefox/profiles.ini",
              "[Profile0]\nName=xdg\nPath=xyz.default\n");
  make_dir (fixture->home, "snap/firefox/common/.mozilla/firefox/s.default");
  write_file (fixture->home, "snap/firefox/common/.mozilla/firefox/profiles.ini",
              "[Profile0]\nName=snappy\nIsRelative=1\nPath=s.default\n");
  make_dir (fixture->home, ".pki/nssdb");
  make_dir (fixture->home, ".var/app/org.chromium.Chromium/.pki/nssdb");

  stores = vouch_home_trust_stores_new (fixture->home, root_cert (fixture));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (stores)) == VOUCH_TYPE_TRUST_STORE);
  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_NONE, NULL, &error));
  g_assert_no_error (error);

  assert_status (stores, "system", VOUCH_TRUST_STATUS_ABSENT);
  assert_status (stores, "java", VOUCH_TRUST_STATUS_ABSENT);
  assert_status (stores, "nss:chromium-legacy", VOUCH_TRUST_STATUS_NOT_INSTALLED);
  assert_status (stores, "nss:chromium", VOUCH_TRUST_STATUS_ABSENT);
  assert_status (stores, "nss:chromium-snap", VOUCH_TRUST_STATUS_ABSENT);
  assert_status (stores, "nss:chromium-flatpak", VOUCH_TRUST_STATUS_NOT_INSTALLED);
  assert_status (stores, "nss:firefox:default-release", VOUCH_TRUST_STATUS_NOT_INSTALLED);
  assert_status (stores, "nss:firefox:work", VOUCH_TRUST_STATUS_NOT_INSTALLED);
  assert_status (stores, "nss:firefox:gone", VOUCH_TRUST_STATUS_ABSENT);
  assert_status (stores, "nss:firefox-xdg:xdg", VOUCH_TRUST_STATUS_NOT_INSTALLED);
  assert_status (stores, "nss:firefox-snap:snappy", VOUCH_TRUST_STATUS_NOT_INSTALLED);
  /* A location with no profiles.ini shows as one absent store. */
  assert_status (stores, "nss:firefox-flatpak", VOUCH_TRUST_STATUS_ABSENT);
  g_assert_null (vouch_home_trust_stores_lookup (stores, "nss:firefox:Install4F96D1932A9F858E"));

  store = vouch_home_trust_stores_lookup (stores, "nss:firefox:work");
  g_assert_cmpstr (vouch_trust_store_get_path (store), ==, elsewhere);
  store = vouch_home_trust_stores_lookup (stores, "nss:firefox-xdg:xdg");
  g_assert_true (g_str_has_suffix (vouch_trust_store_get_path (store),
                                   "/.config/mozilla/firefox/xyz.default"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (stores)), ==, 12);

  /* A browser installed later is found on reload. */
  make_dir (fixture->home, ".local/share/pki/nssdb");
  vouch_home_trust_stores_reload (stores);
  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_NONE, NULL, &error));
  assert_status (stores, "nss:chromium", VOUCH_TRUST_STATUS_NOT_INSTALLED);
}

static void
test_nss_install_uninstall (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->home, ".pki", "nssdb", NULL);
  g_autofree char *other_pem = vouch_root_ca_dup_pem (fixture->other);
  g_autofree char *other_file = g_build_filename (fixture->tmp, "other.pem", NULL);
  g_autoptr(VouchHomeTrustStores) stores = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nickname = NULL;
  g_autofree char *listing = NULL;
  const char *list[] = { "certutil", "-L", "-d", NULL, NULL };
  g_autofree char *sql = g_strconcat ("sql:", db, NULL);
  VouchTrustStore *store;

  make_dir (db, ".");
  certutil (db, "-N", "--empty-password", NULL);
  /* Someone else's root, which must survive our uninstall. */
  g_assert_true (g_file_set_contents (other_file, other_pem, -1, NULL));
  certutil (db, "-A", "-n", "Someone else", "-t", "C,,", "-i", other_file, NULL);

  stores = vouch_home_trust_stores_new (fixture->home, root_cert (fixture));
  store = vouch_home_trust_stores_lookup (stores, "nss:chromium-legacy");
  g_assert_true (_vouch_trust_store_refresh (store, NULL, &error));
  g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_NOT_INSTALLED);

  g_assert_true (_vouch_trust_store_install (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_INSTALLED);
  nickname = vouch_trust_store_dup_nickname (store);
  g_assert_true (g_str_has_prefix (nickname, "Vouch root "));
  g_assert_cmpuint (strlen (nickname), ==, strlen ("Vouch root ") + 8);
  list[3] = sql;
  vouch_test_run (list, NULL, &listing, NULL, NULL);
  g_assert_nonnull (strstr (listing, nickname));
  g_assert_nonnull (strstr (listing, "Someone else"));

  /* Another root is not reported as installed by our nickname scheme. */
  vouch_trust_store_set_certificate (store, vouch_root_ca_get_certificate (fixture->other));
  g_assert_true (_vouch_trust_store_refresh (store, NULL, &error));
  g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_NOT_INSTALLED);
  vouch_trust_store_set_certificate (store, root_cert (fixture));

  g_assert_true (_vouch_trust_store_uninstall (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_NOT_INSTALLED);
  g_clear_pointer (&listing, g_free);
  vouch_test_run (list, NULL, &listing, NULL, NULL);
  g_assert_null (strstr (listing, nickname));
  g_assert_nonnull (strstr (listing, "Someone else"));
}

static void
test_nss_create_on_request (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(VouchHomeTrustStores) stores = vouch_home_trust_stores_new (fixture->home, root_cert (fixture));
  g_autoptr(GError) error = NULL;
  VouchTrustStore *store;

  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_NONE, NULL, &error));
  /* Installing everywhere creates nothing the user does not have... */
  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_INSTALL, NULL, &error));
  g_assert_no_error (error);
  assert_status (stores, "nss:chromium", VOUCH_TRUST_STATUS_ABSENT);

  /* ...but asking for Chromium's database by name creates it. */
  store = vouch_home_trust_stores_lookup (stores, "nss:chromium");
  g_assert_true (_vouch_trust_store_install (store, NULL, &error));
  g_assert_no_error (error);
  assert_status (stores, "nss:chromium", VOUCH_TRUST_STATUS_INSTALLED);

  /* A Firefox location without profiles is never created. */
  store = vouch_home_trust_stores_lookup (stores, "nss:firefox");
  g_assert_false (_vouch_trust_store_install (store, NULL, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED);
  g_assert_false (g_file_test (vouch_trust_store_get_path (store), G_FILE_TEST_EXISTS));
}

static void
test_async_all (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->home, ".pki", "nssdb", NULL);
  g_autoptr(VouchHomeTrustStores) stores = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VouchTrustStore *store;

  make_dir (fixture->home, ".mozilla/firefox/p.default");
  write_file (fixture->home, ".mozilla/firefox/profiles.ini",
              "[Profile0]\nName=default\nIsRelative=1\nPath=p.default\n");
  make_dir (db, ".");
  certutil (db, "-N", "--empty-password", NULL);
  stores = vouch_home_trust_stores_new (fixture->home, root_cert (fixture));
  store = vouch_home_trust_stores_lookup (stores, "nss:firefox:default");

  vouch_home_trust_stores_apply_async (stores, VOUCH_TRUST_CHANGE_INSTALL, NULL, NULL,
                                       vouch_test_store_result_cb, &result);
  g_assert_true (vouch_home_trust_stores_get_busy (stores));
  vouch_test_wait_result (&result, 120);
  g_assert_true (vouch_home_trust_stores_apply_finish (stores, result, &error));
  g_assert_no_error (error);
  g_assert_false (vouch_home_trust_stores_get_busy (stores));
  assert_status (stores, "nss:chromium-legacy", VOUCH_TRUST_STATUS_INSTALLED);
  /* A profile Firefox has not started yet gets its database created. */
  assert_status (stores, "nss:firefox:default", VOUCH_TRUST_STATUS_INSTALLED);
  g_clear_object (&result);

  vouch_trust_store_uninstall_async (store, NULL, vouch_test_store_result_cb, &result);
  g_assert_true (vouch_trust_store_get_busy (store));
  vouch_test_wait_result (&result, 120);
  g_assert_true (vouch_trust_store_uninstall_finish (store, result, &error));
  g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_NOT_INSTALLED);
  g_clear_object (&result);

  vouch_home_trust_stores_apply_async (stores, VOUCH_TRUST_CHANGE_UNINSTALL, NULL, NULL,
                                       vouch_test_store_result_cb, &result);
  vouch_test_wait_result (&result, 120);
  g_assert_true (vouch_home_trust_stores_apply_finish (stores, result, &error));
  assert_status (stores, "nss:chromium-legacy", VOUCH_TRUST_STATUS_NOT_INSTALLED);
}

/* The one refresh-then-change rule the app and vouchctl share: every
 * store that exists, a store named by id even when absent, nothing
 * unknown, and an already installed store left alone. */
static void
test_apply_rule (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->home, ".pki", "nssdb", NULL);
  g_autoptr(VouchHomeTrustStores) stores = NULL;
  g_autoptr(GError) error = NULL;
  const char *named[] = { "nss:chromium", NULL };
  const char *unknown[] = { "nss:chromium-legacy", "nss:no-such-store", NULL };

  make_dir (db, ".");
  certutil (db, "-N", "--empty-password", NULL);
  stores = vouch_home_trust_stores_new (fixture->home, root_cert (fixture));

  /* Refreshing changes nothing. */
  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_NONE, NULL, &error));
  g_assert_no_error (error);
  assert_status (stores, "nss:chromium-legacy", VOUCH_TRUST_STATUS_NOT_INSTALLED);
  assert_status (stores, "nss:chromium", VOUCH_TRUST_STATUS_ABSENT);

  /* An unknown id is refused before any store is touched. */
  g_assert_false (apply (stores, VOUCH_TRUST_CHANGE_INSTALL, unknown, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "nss:no-such-store"));
  g_clear_error (&error);
  g_assert_false (vouch_home_trust_stores_get_busy (stores));
  assert_status (stores, "nss:chromium-legacy", VOUCH_TRUST_STATUS_NOT_INSTALLED);

  /* Everywhere: the stores that exist, none created. */
  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_INSTALL, NULL, &error));
  g_assert_no_error (error);
  assert_status (stores, "nss:chromium-legacy", VOUCH_TRUST_STATUS_INSTALLED);
  assert_status (stores, "nss:chromium", VOUCH_TRUST_STATUS_ABSENT);

  /* Named on its own, an absent store is created and trusts the root. */
  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_INSTALL, named, &error));
  g_assert_no_error (error);
  assert_status (stores, "nss:chromium", VOUCH_TRUST_STATUS_INSTALLED);

  /* Installing again is no error and changes nothing. */
  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_INSTALL, NULL, &error));
  g_assert_no_error (error);
  assert_status (stores, "nss:chromium-legacy", VOUCH_TRUST_STATUS_INSTALLED);

  /* Uninstalling a named store touches only that one. */
  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_UNINSTALL, named, &error));
  g_assert_no_error (error);
  assert_status (stores, "nss:chromium", VOUCH_TRUST_STATUS_NOT_INSTALLED);
  assert_status (stores, "nss:chromium-legacy", VOUCH_TRUST_STATUS_INSTALLED);
}

/* A cancelled walk stops, says so, and is no longer busy. */
static void
test_apply_cancelled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(VouchHomeTrustStores) stores = vouch_home_trust_stores_new (fixture->home, root_cert (fixture));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  vouch_home_trust_stores_apply_async (stores, VOUCH_TRUST_CHANGE_INSTALL, NULL, cancellable,
                                       vouch_test_store_result_cb, &result);
  vouch_test_wait_result (&result, 120);
  g_assert_false (vouch_home_trust_stores_apply_finish (stores, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (vouch_home_trust_stores_get_busy (stores));
}

static void
make_layout (const char *sysroot,
             const char *dir,
             const char *command)
{
  g_autofree char *cmd = g_build_filename (sysroot, command, NULL);

  make_dir (sysroot, dir);
  write_file (sysroot, command, "#!/bin/sh\nexit 0\n");
  g_assert_cmpint (g_chmod (cmd, 0755), ==, 0);
}

static void
test_system_layouts (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct
  {
    const char           *name;
    const char           *dir;
    const char           *command;
    VouchTrustLayoutKind  kind;
    const char           *file;
  } cases[] = {
    { "debian", "usr/local/share/ca-certificates", "usr/sbin/update-ca-certificates",
      VOUCH_TRUST_LAYOUT_DEBIAN, "/usr/local/share/ca-certificates/vouch-local-root.crt" },
    { "fedora", "etc/pki/ca-trust/source/anchors", "usr/bin/update-ca-trust",
      VOUCH_TRUST_LAYOUT_FEDORA, "/etc/pki/ca-trust/source/anchors/vouch-local-root.pem" },
    { "arch", "etc/ca-certificates/trust-source/anchors", "usr/bin/trust",
      VOUCH_TRUST_LAYOUT_ARCH, "/etc/ca-certificates/trust-source/anchors/vouch-local-root.crt" },
    { "opensuse", "usr/share/pki/trust/anchors", "usr/sbin/update-ca-certificates",
      VOUCH_TRUST_LAYOUT_OPENSUSE, "/usr/share/pki/trust/anchors/vouch-local-root.pem" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sysroot = g_build_filename (fixture->tmp, cases[i].name, NULL);
      g_autofree char *expected = g_strconcat (sysroot, cases[i].file, NULL);
      g_autofree char *other_pem = vouch_root_ca_dup_pem (fixture->other);
      g_autofree char *pem = vouch_root_ca_dup_pem (fixture->root);
      g_autoptr(VouchTrustStore) store = NULL;
      g_autoptr(GError) error = NULL;
      const VouchTrustLayout *layout;

      g_assert_null (vouch_trust_layout_detect (sysroot));
      make_layout (sysroot, cases[i].dir, cases[i].command);
      /* Debian's p11-kit also ships `trust`; it must not look like Arch. */
      if (cases[i].kind == VOUCH_TRUST_LAYOUT_DEBIAN)
        make_layout (sysroot, "usr/share/ca-certificates", "usr/bin/trust");
      layout = vouch_trust_layout_detect (sysroot);
      g_assert_nonnull (layout);
      g_assert_cmpint (layout->kind, ==, cases[i].kind);
      g_assert_true (layout == vouch_trust_layout_lookup (cases[i].kind));

      store = vouch_trust_store_new_system (sysroot);
      vouch_trust_store_set_certificate (store, root_cert (fixture));
      g_assert_cmpstr (vouch_trust_store_get_path (store), ==, expected);
      g_assert_true (vouch_trust_store_get_needs_admin (store));
      g_assert_true (_vouch_trust_store_refresh (store, NULL, &error));
      g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_NOT_INSTALLED);

      g_assert_true (g_file_set_contents (expected, other_pem, -1, NULL));
      g_assert_true (_vouch_trust_store_refresh (store, NULL, &error));
      g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_NOT_INSTALLED);
      g_assert_nonnull (vouch_trust_store_get_message (store));

      g_assert_true (g_file_set_contents (expected, pem, -1, NULL));
      g_assert_true (_vouch_trust_store_refresh (store, NULL, &error));
      g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_INSTALLED);
    }
}

/* Chromium installed but never started has no database; the one it will
 * read is offered, created with the real certutil, and trusts the root. */
static void
test_unstarted_chromium (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->home, ".local", "share", "pki", "nssdb", NULL);
  g_autofree char *empty = g_build_filename (fixture->tmp, "empty-bin", NULL);
  g_autofree char *path = g_strdup (g_getenv ("PATH"));
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autoptr(VouchHomeTrustStores) stores = vouch_home_trust_stores_new (fixture->home, root_cert (fixture));
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strconcat ("sql:", db, NULL);
  const char *list[] = { "certutil", "-L", "-d", sql, NULL };
  g_autofree char *listing = NULL;
  g_autofree char *nickname = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean trusted = FALSE;
  VouchTrustStore *store;

  if (chromium == NULL)
    {
      g_test_skip ("Chromium is not installed");
      return;
    }

  g_assert_true (apply (stores, VOUCH_TRUST_CHANGE_NONE, NULL, &error));
  g_assert_no_error (error);
  store = vouch_home_trust_stores_lookup_unstarted_chromium (stores);
  g_assert_nonnull (store);
  g_assert_cmpstr (vouch_trust_store_get_id (store), ==, "nss:chromium");
  g_assert_cmpstr (vouch_trust_store_get_path (store), ==, db);

  /* Without a Chromium there is nothing to offer. */
  make_dir (empty, ".");
  g_setenv ("PATH", empty, TRUE);
  g_assert_null (vouch_home_trust_stores_lookup_unstarted_chromium (stores));
  g_setenv ("PATH", path, TRUE);

  g_assert_true (_vouch_trust_store_install (store, NULL, &error));
  g_assert_no_error (error);
  assert_status (stores, "nss:chromium", VOUCH_TRUST_STATUS_INSTALLED);
  assert_status (stores, "nss:chromium-legacy", VOUCH_TRUST_STATUS_ABSENT);

  /* certutil itself sees the root, trusted to identify servers. */
  nickname = vouch_trust_store_dup_nickname (store);
  g_assert_true (vouch_test_run (list, NULL, &listing, NULL, NULL));
  lines = g_strsplit (listing, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], nickname) && strstr (lines[i], "C,,") != NULL)
      trusted = TRUE;
  if (!trusted)
    g_error ("%s is not trusted in:\n%s", nickname, listing);

  /* Once made, it is a store like the others. */
  g_assert_null (vouch_home_trust_stores_lookup_unstarted_chromium (stores));
}

/* A build run from its source tree: the system store says Vouch must be
 * installed, with the command, and nothing is spawned or written. */
static void
test_system_needs_installed_vouch (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *sysroot = g_build_filename (fixture->tmp, "debian", NULL);
  g_autofree char *helper = g_strdup (g_getenv ("VOUCH_TRUST_HELPER"));
  const char *missing = "/nonexistent/libexec/vouch-trust-helper";
  g_autoptr(VouchTrustStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  make_layout (sysroot, "usr/local/share/ca-certificates", "usr/sbin/update-ca-certificates");
  store = vouch_trust_store_new_system (sysroot);
  vouch_trust_store_set_certificate (store, root_cert (fixture));

  g_setenv ("VOUCH_TRUST_HELPER", missing, TRUE);
  ok = _vouch_trust_store_install (store, NULL, &error);
  if (helper != NULL)
    g_setenv ("VOUCH_TRUST_HELPER", helper, TRUE);
  else
    g_unsetenv ("VOUCH_TRUST_HELPER");

  g_assert_false (ok);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_nonnull (strstr (error->message, "meson install -C _build"));
  g_assert_null (strstr (error->message, "Failed to execute"));
  g_assert_false (g_file_test (vouch_trust_store_get_path (store), G_FILE_TEST_EXISTS));
}

static void
test_java (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *keytool = g_find_program_in_path ("keytool");
  g_autofree char *real = NULL;
  g_autofree char *java_home = g_build_filename (fixture->tmp, "jdk", NULL);
  g_autofree char *bin = g_build_filename (java_home, "bin", NULL);
  g_autofree char *link = g_build_filename (bin, "keytool", NULL);
  g_autofree char *security = g_build_filename (java_home, "lib", "security", NULL);
  g_autofree char *cacerts = g_build_filename (security, "cacerts", NULL);
  g_autofree char *other_pem = vouch_root_ca_dup_pem (fixture->other);
  g_autofree char *listing = NULL;
  g_autoptr(VouchTrustStore) absent = vouch_trust_store_new_java (java_home);
  g_autoptr(VouchTrustStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *import[] = { NULL, "-importcert", "-noprompt", "-keystore", cacerts, "-storepass",
                           "changeit", "-alias", "someone-else", NULL };
  const char *list[] = { NULL, "-list", "-keystore", cacerts, "-storepass", "changeit", NULL };
  int status = -1;

  /* No JDK there: absent. */
  vouch_trust_store_set_certificate (absent, root_cert (fixture));
  g_assert_true (_vouch_trust_store_refresh (absent, NULL, &error));
  g_assert_cmpint (vouch_trust_store_get_status (absent), ==, VOUCH_TRUST_STATUS_ABSENT);

  if (keytool == NULL)
    {
      g_test_skip ("no JDK (keytool) installed; only the absent case ran");
      return;
    }

  /* A JDK of our own whose keytool is the real one and whose cacerts holds
   * one unrelated root. */
  real = realpath (keytool, NULL);
  make_dir (bin, ".");
  make_dir (security, ".");
  g_assert_cmpint (symlink (real, link), ==, 0);
  import[0] = link;
  list[0] = link;
  vouch_test_run (import, other_pem, NULL, NULL, &status);
  g_assert_cmpint (status, ==, 0);

  store = vouch_trust_store_new_java (java_home);
  vouch_trust_store_set_certificate (store, root_cert (fixture));
  g_assert_true (_vouch_trust_store_refresh (store, NULL, &error));
  g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_NOT_INSTALLED);
  g_assert_true (_vouch_trust_store_install (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_INSTALLED);
  g_assert_true (_vouch_trust_store_uninstall (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vouch_trust_store_get_status (store), ==, VOUCH_TRUST_STATUS_NOT_INSTALLED);
  vouch_test_run (list, NULL, &listing, NULL, &status);
  g_assert_nonnull (strstr (listing, "someone-else"));
  g_assert_null (strstr (listing, "vouch-"));

  /* The entry Debian's hook copies from the system store: installed, and
   * the message says which store removes it. */
  {
    g_autofree char *pem = vouch_root_ca_dup_pem (fixture->root);
    const char *debian[] = { link, "-importcert", "-noprompt", "-keystore", cacerts, "-storepass",
                             "changeit", "-alias", "debian:vouch-local-root.pem", NULL };

    vouch_test_run (debian, pem, NULL, NULL, &status);
    g_assert_cmpint (status, ==, 0);
    vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, "system store");
  }
}

/* Debian's tools copy the anchor into links, a bundle and Java's keystore;
 * while any copy remains, clients trust the root, so the system store is
 * installed, and says where. */
static void
test_system_traces (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *sysroot = g_build_filename (fixture->tmp, "debian", NULL);
  g_autofree char *certs = g_build_filename (sysroot, "etc", "ssl", "certs", NULL);
  g_autofree char *link = g_build_filename (certs, "vouch-local-root.pem", NULL);
  g_autofree char *hash = g_build_filename (certs, "0a1b2c3d.0", NULL);
  g_autofree char *bundle = g_build_filename (certs, "ca-certificates.crt", NULL);
  g_autofree char *someone = g_build_filename (certs, "someone-else.pem", NULL);
  g_autofree char *keystore = g_build_filename (certs, "java", "cacerts", NULL);
  g_autofree char *anchor = g_build_filename (sysroot, "usr", "local", "share",
                                              "ca-certificates", "vouch-local-root.crt", NULL);
  g_autofree char *pem = vouch_root_ca_dup_pem (fixture->root);
  g_autofree char *other_pem = vouch_root_ca_dup_pem (fixture->other);
  g_autofree char *both = g_strconcat (other_pem, pem, NULL);
  g_autofree char *keytool = g_find_program_in_path ("keytool");
  g_autoptr(VouchTrustStore) store = NULL;

  make_layout (sysroot, "usr/local/share/ca-certificates", "usr/sbin/update-ca-certificates");
  make_dir (certs, "java");
  store = vouch_trust_store_new_system (sysroot);
  vouch_trust_store_set_certificate (store, root_cert (fixture));
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_NOT_INSTALLED, NULL);

  /* The anchor's link, dangling after the anchor went. */
  g_assert_cmpint (symlink ("/usr/local/share/ca-certificates/vouch-local-root.crt", link), ==, 0);
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, link);
  g_assert_cmpint (g_unlink (link), ==, 0);

  /* Only the hash link `openssl rehash` made to it. */
  g_assert_cmpint (symlink ("vouch-local-root.pem", hash), ==, 0);
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, hash);

  /* A link at our name to someone else's root is not ours, nor are the
   * hash links to it. */
  g_assert_true (g_file_set_contents (someone, other_pem, -1, NULL));
  g_assert_cmpint (symlink (someone, link), ==, 0);
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_NOT_INSTALLED, NULL);
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (g_unlink (hash), ==, 0);

  /* The bundle clients read, with the root among others. */
  g_assert_true (g_file_set_contents (bundle, both, -1, NULL));
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, bundle);
  g_assert_true (g_file_set_contents (bundle, other_pem, -1, NULL));
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_NOT_INSTALLED, NULL);

  /* With the anchor in place the copies are expected: no message. */
  g_assert_true (g_file_set_contents (anchor, pem, -1, NULL));
  g_assert_true (g_file_set_contents (bundle, both, -1, NULL));
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, NULL);
  g_assert_null (vouch_trust_store_get_message (store));
  g_assert_cmpint (g_unlink (anchor), ==, 0);
  g_assert_true (g_file_set_contents (bundle, other_pem, -1, NULL));

  /* Java's keystore, as ca-certificates-java fills it. */
  if (keytool == NULL)
    {
      g_test_message ("no keytool: the Java keystore case did not run");
      return;
    }
  {
    const char *import[] = { keytool, "-importcert", "-noprompt", "-keystore", keystore,
                             "-storepass", "changeit", "-alias", "debian:vouch-local-root.pem",
                             NULL };
    int status = -1;

    vouch_test_run (import, pem, NULL, NULL, &status);
    g_assert_cmpint (status, ==, 0);
  }
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, "debian:vouch-local-root.pem");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/trust-stores/detects-locations", test_detects_locations);
  ADD ("/trust-stores/nss-install-uninstall", test_nss_install_uninstall);
  ADD ("/trust-stores/nss-create-on-request", test_nss_create_on_request);
  ADD ("/trust-stores/async-all", test_async_all);
  ADD ("/trust-stores/apply-rule", test_apply_rule);
  ADD ("/trust-stores/apply-cancelled", test_apply_cancelled);
  ADD ("/trust-stores/system-layouts", test_system_layouts);
  ADD ("/trust-stores/unstarted-chromium", test_unstarted_chromium);
  ADD ("/trust-stores/system-needs-installed-vouch", test_system_needs_installed_vouch);
  ADD ("/trust-stores/system-traces", test_system_traces);
  ADD ("/trust-stores/java", test_java);
#undef ADD

  return g_test_run ();
}
