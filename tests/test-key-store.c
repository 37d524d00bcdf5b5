/* test-key-store.c: against a real gnome-keyring-daemon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-error.h"
#include "vouch-key-store.h"

#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>

static void
test_root_key_round_trip (void)
{
  g_autoptr(VouchKeyStore) store = vouch_key_store_new ();
  g_autoptr(VouchKeyStore) other = vouch_key_store_new ();
  g_autoptr(GError) error = NULL;
  char *secret;

  g_assert_true (vouch_key_store_store_root_key (store, "AA:BB", "Test Root",
                                                 "-----BEGIN PRIVATE KEY-----\nxyz\n", NULL,
                                                 &error));
  g_assert_no_error (error);

  secret = vouch_key_store_lookup_root_key (store, "AA:BB", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "-----BEGIN PRIVATE KEY-----\nxyz\n");
  vouch_key_store_free_secret (secret);

  secret = vouch_key_store_lookup_root_key (store, "CC:DD", NULL, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING);
  g_assert_null (secret);
  g_clear_error (&error);

  /* Read again, from the item found the first time; then changed and
   * removed behind this store's back, by another store (as another
   * process would): read as it is now, never as it was. */
  for (guint i = 0; i < 2; i++)
    {
      secret = vouch_key_store_lookup_root_key (store, "AA:BB", NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (secret, ==, "-----BEGIN PRIVATE KEY-----\nxyz\n");
      vouch_key_store_free_secret (secret);
    }
  g_assert_true (vouch_key_store_store_root_key (other, "AA:BB", "Test Root",
                                                 "-----BEGIN PRIVATE KEY-----\nuvw\n", NULL,
                                                 &error));
  g_assert_no_error (error);
  secret = vouch_key_store_lookup_root_key (store, "AA:BB", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "-----BEGIN PRIVATE KEY-----\nuvw\n");
  vouch_key_store_free_secret (secret);
  g_assert_true (vouch_key_store_clear_root_key (other, "AA:BB", NULL, &error));
  secret = vouch_key_store_lookup_root_key (store, "AA:BB", NULL, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING);
  g_assert_null (secret);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = vouch_key_store_lookup_root_key_finish (VOUCH_KEY_STORE (object), result, &error);
  g_assert_no_error (error);
}

static void
test_async_lookup (void)
{
  g_autoptr(VouchKeyStore) store = vouch_key_store_new ();
  char *secret = NULL;

  g_assert_true (vouch_key_store_store_root_key (store, "EE", "Async", "key", NULL, NULL));
  vouch_key_store_lookup_root_key_async (store, "EE", NULL, lookup_cb, &secret);
  while (secret == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (secret, ==, "key");
  vouch_key_store_free_secret (secret);
}

static void
test_device_secret (void)
{
  g_autoptr(VouchKeyStore) store = vouch_key_store_new ();
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = vouch_key_store_lookup_device_secret (store, "dev-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_assert_true (vouch_key_store_store_device_secret (store, "dev-1", "Printer", "t0ken", NULL,
                                                      &error));
  secret = vouch_key_store_lookup_device_secret (store, "dev-1", NULL, &error);
  g_assert_cmpstr (secret, ==, "t0ken");
  vouch_key_store_free_secret (secret);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} Stored;

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Stored *stored = user_data;

  stored->done = TRUE;
  g_assert_true (vouch_key_store_store_device_secret_finish (VOUCH_KEY_STORE (object), result,
                                                             &stored->error));
}

static void
store_and_wait (VouchKeyStore *store,
                const char    *secret)
{
  Stored stored = { FALSE, NULL };

  vouch_key_store_store_device_secret_async (store, "dev-2", "Camera", secret, NULL, stored_cb,
                                             &stored);
  while (!stored.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (stored.error);
}

/* The store the UI uses: off the main loop, and it replaces the secret. */
static void
test_device_secret_async (void)
{
  g_autoptr(VouchKeyStore) store = vouch_key_store_new ();
  g_autoptr(GError) error = NULL;
  char *secret;

  store_and_wait (store, "first");
  store_and_wait (store, "second");

  secret = vouch_key_store_lookup_device_secret (store, "dev-2", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "second");
  vouch_key_store_free_secret (secret);
}

/* A session bus with no Secret Service on it, and nothing that could be
 * activated: Vouch must say so, not fall back to a file. */
static void
test_no_secret_service (void)
{
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(VouchKeyStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  /* In a fresh process, so no connection to the real keyring is cached. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  store = vouch_key_store_new ();

  g_assert_false (vouch_key_store_store_root_key (store, "AA", "Root", "key", NULL, &error));
  /* On stdout, which a failing child's report shows before the bus's own
   * chatter on stderr. */
  if (error != NULL)
    g_test_message ("store without a Secret Service: %s", error->message);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "Secret Service"));
  g_clear_error (&error);

  secret = vouch_key_store_lookup_root_key (store, "AA", NULL, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_UNAVAILABLE);
  g_assert_null (secret);

  /* Stop the bus without g_test_dbus_down()'s wait for the connection
   * to be finalized: libsecret's failed session can leave a reference to
   * it in a main context of its own that nothing runs again, and under
   * load the wait then times out with a (fatal) warning. This is a child
   * process that exits next, so nothing outlives it. */
  g_clear_object (&store);
  secret_service_disconnect ();
  g_test_dbus_stop (bus);
}

/* A locked keyring is told apart from a missing key without a prompt;
 * an unlock nobody can answer (no display for the keyring's prompter
 * here) says the keyring stayed locked. Runs last: it leaves the test's
 * keyring locked. */
static void
test_locked (void)
{
  g_autoptr(VouchKeyStore) store = vouch_key_store_new ();
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) locked = NULL;
  const char *paths[2] = { NULL, NULL };
  char *secret;

  g_assert_true (vouch_key_store_store_root_key (store, "EE:FF", "Test Root",
                                                 "-----BEGIN PRIVATE KEY-----\nxyz\n", NULL,
                                                 &error));
  g_assert_no_error (error);
  g_assert_false (vouch_key_store_root_key_is_locked (store, "EE:FF", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (vouch_key_store_unlock_root_key (store, "EE:FF", NULL, &error));
  g_assert_no_error (error);
  /* Read once, so the store knows the item when it is then locked. */
  secret = vouch_key_store_lookup_root_key (store, "EE:FF", NULL, &error);
  g_assert_no_error (error);
  vouch_key_store_free_secret (secret);

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  path = secret_service_read_alias_dbus_path_sync (service, "default", NULL, &error);
  g_assert_no_error (error);
  paths[0] = path;
  g_assert_cmpint (secret_service_lock_dbus_paths_sync (service, paths, NULL, &locked, &error),
                   ==, 1);
  g_assert_no_error (error);

  g_assert_true (vouch_key_store_root_key_is_locked (store, "EE:FF", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (vouch_key_store_root_key_is_locked (store, "00:11", NULL, &error));
  g_assert_no_error (error);
  secret = vouch_key_store_lookup_root_key (store, "EE:FF", NULL, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_LOCKED);
  g_assert_null (secret);
  g_clear_error (&error);

  g_unsetenv ("DISPLAY");
  g_assert_false (vouch_key_store_unlock_root_key (store, "EE:FF", NULL, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_LOCKED);
  g_assert_true (vouch_key_store_root_key_is_locked (store, "EE:FF", NULL, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/key-store/root-key-round-trip", test_root_key_round_trip);
  g_test_add_func ("/key-store/async-lookup", test_async_lookup);
  g_test_add_func ("/key-store/device-secret", test_device_secret);
  g_test_add_func ("/key-store/device-secret-async", test_device_secret_async);
  g_test_add_func ("/key-store/no-secret-service", test_no_secret_service);
  g_test_add_func ("/key-store/locked", test_locked);

  return g_test_run ();
}
