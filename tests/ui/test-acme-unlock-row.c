/* test-acme-unlock-row.c: an ACME order waits while the keyring that
 * holds the root's key is locked; the ACME page says so, and its Unlock…
 * button brings up the keyring's own password prompt (gcr-prompter, on
 * the test's Xvfb screen), where the test types the password as a person
 * does. A dismissed prompt leaves the row up with its reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"

#include "vouch-acme-config.h"
#include "vouch-acme-page.h"
#include "vouch-acme-store.h"
#include "vouch-acme-unlock-row.h"
#include "vouch-util.h"

#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>

#define URL "https://vouch.lan:14000/acme/directory"
/* tests/run-with-keyring.sh unlocks the test's keyring with this. */
#define KEYRING_PASSWORD "vouch-test-keyring"

typedef struct
{
  VouchWindow *window;
  GtkWidget   *page;
  GtkWidget   *row;
} Fixture;

/* Stands for a client that finalized an order the server could not sign. */
static void
add_waiting_order (void)
{
  g_autofree char *dir = vouch_data_dir ();
  g_autofree char *path = g_build_filename (dir, "inventory.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeStore) store = vouch_acme_store_open (path, &error);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  VouchAcmeAccount account = {
    .id = (char *)"acct-1",
    .thumbprint = (char *)"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
    .jwk = (char *)"{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"AA\",\"y\":\"AA\"}",
    .status = (char *)"valid",
    .contacts = (char *)"[]",
  };
  VouchAcmeOrder order = {
    .id = (char *)"order-1",
    .account_id = (char *)"acct-1",
    .identifiers = (char *)"[{\"type\":\"dns\",\"value\":\"nas.lan\"}]",
    .expires = g_get_real_time () / G_USEC_PER_SEC + 3600,
    .client_address = (char *)"192.168.1.20",
  };

  g_assert_no_error (error);
  vouch_acme_store_insert_account (store, &account, &error);
  g_assert_no_error (error);
  vouch_acme_store_insert_order (store, &order, none, none, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vouch_acme_store_set_order_status (store, "order-1", "pending", "ready", NULL,
                                                      &error), ==, 1);
  g_assert_cmpint (vouch_acme_store_begin_processing (store, "order-1", "AA", "AA", &error), ==, 1);
  g_assert_no_error (error);
}

/* Locks the default collection, as the keyring's own "Lock" does (no
 * prompt is needed to lock). */
static void
lock_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_autofree char *path = NULL;
  const char *paths[2] = { NULL, NULL };
  g_auto(GStrv) locked = NULL;

  g_assert_no_error (error);
  path = secret_service_read_alias_dbus_path_sync (service, "default", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  paths[0] = path;
  g_assert_cmpint (secret_service_lock_dbus_paths_sync (service, paths, NULL, &locked, &error), ==, 1);
  g_assert_no_error (error);
}

/* A desktop session's bus knows its display; the test's bus does not
 * until told, and the keyring starts its prompter through the bus. */
static void
give_bus_the_display (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariantBuilder) env = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  g_variant_builder_add (env, "{ss}", "DISPLAY", g_getenv ("DISPLAY"));
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new ("(a{ss})", env), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
root_key_locked (void)
{
  g_autoptr(VouchAuthority) authority = vouch_authority_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean locked;

  g_assert_true (vouch_authority_load (authority, &error));

  locked = vouch_key_store_root_key_is_locked (vouch_authority_get_key_store (authority),
                                               vouch_root_ca_get_sha256 (
                                                 vouch_authority_get_root (authority)),
                                               NULL, &error);
  g_assert_no_error (error);
  return locked;
}

static char *
xdotool (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *)"xdotool");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  /* tools/install-deps installs xdotool. */
  g_assert_true (g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
                               &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strstrip (g_steal_pointer (&out));
}

static gboolean
prompt_shown (gpointer user_data)
{
  char **window = user_data;

  g_free (*window);
  *window = xdotool ("search", "--onlyvisible", "--class", "gcr-prompter", NULL);
  if (*window != NULL && **window == '\0')
    g_clear_pointer (window, g_free);
  if (*window == NULL)
    ui_test_settle (200);
  return *window != NULL;
}

/* Waits (at most 30 s: the bus starts the prompter) for the keyring's
 * prompt, then types into it as a person does. */
static void
answer_prompt (const char *keys,
               const char *key)
{
  g_autofree char *window = NULL;
  g_autofree char *done = NULL;
  char *newline;

  g_assert_true (ui_test_wait (prompt_shown, &window, 30));
  newline = strchr (window, '\n');
  if (newline != NULL)
    *newline = '\0';
  if (keys != NULL)
    done = xdotool ("windowfocus", "--sync", window, "type", "--delay", "20", keys, NULL);
  g_free (done);
  done = xdotool ("windowfocus", "--sync", window, "key", key, NULL);
  g_assert_nonnull (done);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *dir = vouch_data_dir ();
  g_autoptr(GError) error = NULL;

  ui_test_ensure_root ();
  g_assert_true (vouch_acme_config_write_running (dir, URL, &error));
  g_assert_no_error (error);
  give_bus_the_display ();

  fixture->window = ui_test_new_window (1000, 820);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "acme");
  ui_test_settle (300);
  fixture->page = ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_ACME_PAGE);
  fixture->row = ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_ACME_UNLOCK_ROW);
  g_assert_nonnull (fixture->row);
  g_assert_true (ui_test_wait_boolean (fixture->row, "busy", FALSE, 10));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = vouch_data_dir ();

  vouch_acme_config_clear_running (dir);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  ui_test_settle (100);
}

static void
refresh (Fixture *fixture)
{
  ui_test_click (ui_test_find_id (fixture->page, "refresh_button"));
  g_assert_true (ui_test_wait_boolean (fixture->row, "busy", FALSE, 10));
}

static void
test_unlock (Fixture       *fixture,
             gconstpointer  data)
{
  /* Nothing waits, or the keyring is open: no row. */
  g_assert_false (gtk_widget_get_visible (fixture->row));
  add_waiting_order ();
  refresh (fixture);
  g_assert_false (gtk_widget_get_visible (fixture->row));

  lock_keyring ();
  g_assert_true (root_key_locked ());
  refresh (fixture);
  g_assert_true (gtk_widget_get_visible (fixture->row));
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL,
                                           "Orders Wait for the Keyring"));
  ui_test_assert_accessible_names (fixture->page);
  ui_test_screenshot_variants (GTK_WINDOW (fixture->window), "acme-unlock-row");

  /* Dismissed: the row stays and says why. */
  ui_test_click_button (fixture->page, "Unlock…");
  answer_prompt (NULL, "Escape");
  g_assert_true (ui_test_wait_boolean (fixture->row, "busy", FALSE, 30));
  g_assert_true (gtk_widget_get_visible (fixture->row));
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL,
                                           "The keyring stayed locked. Unlock it to let Vouch sign"));
  g_assert_true (root_key_locked ());

  /* The password typed into the keyring's own prompt. */
  ui_test_click_button (fixture->page, "Unlock…");
  answer_prompt (KEYRING_PASSWORD, "Return");
  g_assert_true (ui_test_wait_boolean (fixture->row, "busy", FALSE, 30));
  g_assert_false (gtk_widget_get_visible (fixture->row));
  g_assert_false (root_key_locked ());
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add ("/acme-unlock-row/unlock", Fixture, NULL, fixture_setup, test_unlock,
              fixture_teardown);

  return g_test_run ();
}
