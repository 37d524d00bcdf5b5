/* test-acme-page.c: the ACME page in the real window, used as a person
 * does: a waiting order approved and another refused with their buttons,
 * an account key made by typing its names and pressing Enter (shown once
 * in a dialog) and revoked with its button, the running server's URL in
 * every client's line; and Preferences' open-mode switch behind its
 * warning
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"

#include "vouch-acme-approvals.h"
#include "vouch-acme-config.h"
#include "vouch-acme-page.h"
#include "vouch-acme-preferences-group.h"
#include "vouch-preferences-window.h"
#include "vouch-util.h"
#include "vouch-inventory-private.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#define URL "https://vouch.lan:14000/acme/directory"

typedef struct
{
  VouchWindow *window;
  GtkWidget   *page;
} Fixture;

static VouchInventory *
open_inventory (void)
{
  g_autofree char *dir = vouch_data_dir ();
  g_autofree char *path = g_build_filename (dir, "inventory.db", NULL);
  g_autoptr(GError) error = NULL;
  VouchInventory *inventory = vouch_inventory_open (path, &error);

  g_assert_no_error (error);
  return inventory;
}

static void
queue (const char         *thumbprint,
       const char         *address,
       const char * const *names)
{
  g_autoptr(VouchInventory) inventory = open_inventory ();
  g_autoptr(GError) error = NULL;
  g_autofree char *state = vouch_acme_approvals_check (inventory, thumbprint, address, names,
                                                       &error);

  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *dir = vouch_data_dir ();
  g_autoptr(GError) error = NULL;

  ui_test_ensure_root ();
  /* This process stands for a running `vouchctl acme serve`. */
  g_assert_true (vouch_acme_config_write_running (dir, URL, &error));
  g_assert_no_error (error);

  fixture->window = ui_test_new_window (1000, 820);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "acme");
  ui_test_settle (300);
  fixture->page = ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_ACME_PAGE);
  g_assert_nonnull (fixture->page);
  g_assert_true (gtk_widget_get_mapped (fixture->page));
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

static gboolean
label_shown (GtkWidget  *root,
             const char *text)
{
  return ui_test_find_labelled (root, GTK_TYPE_LABEL, text) != NULL;
}

/* A second connection holding the inventory's write lock, as another
 * process writing would. */
static sqlite3 *
hold_inventory (void)
{
  g_autofree char *dir = vouch_data_dir ();
  g_autofree char *path = g_build_filename (dir, "inventory.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE;", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static gboolean
not_busy (gpointer user_data)
{
  return !vouch_acme_page_get_busy (user_data);
}

static void
test_approve_and_refuse (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(VouchInventory) inventory = NULL;
  g_autoptr(GListModel) left = NULL;
  sqlite3 *blocker;

  queue ("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", "192.168.1.20",
         (const char * const []) { "nas.lan", "192.168.1.20", NULL });
  /* A hostile name: control and bidirectional characters never reach
   * the screen. */
  queue ("oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U", "192.168.1.66",
         (const char * const []) { "evil\x1b[2J\xe2\x80\xae" "cod.lan", NULL });
  ui_test_click (ui_test_find_id (fixture->page, "refresh_button"));
  g_assert_true (ui_test_wait (not_busy, fixture->page, 30));
  ui_test_settle (100);

  g_assert_true (label_shown (fixture->page, "192.168.1.20, nas.lan"));
  g_assert_false (label_shown (fixture->page, "\x1b"));
  g_assert_false (label_shown (fixture->page, "\xe2\x80\xae"));
  g_assert_true (label_shown (fixture->page, "Running"));
  g_assert_true (label_shown (fixture->page, "certbot certonly --standalone --server " URL));
  g_assert_true (label_shown (fixture->page, "--certificatesresolvers.vouch.acme.caserver=" URL));
  ui_test_assert_accessible_names (fixture->page);
  ui_test_screenshot_variants (GTK_WINDOW (fixture->window), "acme-page");

  /* The first row's Approve, then the other's Refuse. */
  /* Another writer (the ACME server, vouchctl) holds the inventory: the
   * decision waits for it on a worker thread while the window goes on
   * drawing, busy, and is made once the other writer is done. */
  blocker = hold_inventory ();
  ui_test_click_button (fixture->page, "Approve");
  g_assert_true (vouch_acme_page_get_busy (VOUCH_ACME_PAGE (fixture->page)));
  g_assert_true (label_shown (fixture->page, "192.168.1.20, nas.lan"));
  g_assert_cmpint (sqlite3_exec (blocker, "COMMIT;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_pointer (&blocker, sqlite3_close);
  g_assert_true (ui_test_wait (not_busy, fixture->page, 30));
  ui_test_settle (100);
  g_assert_false (label_shown (fixture->page, "192.168.1.20, nas.lan"));
  ui_test_click_button (fixture->page, "Refuse");
  g_assert_true (ui_test_wait (not_busy, fixture->page, 30));
  ui_test_settle (100);
  g_assert_true (label_shown (fixture->page, "No order waits"));

  inventory = open_inventory ();
  left = vouch_acme_approvals_list (inventory, FALSE, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (left), ==, 2);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "acme-approved"), ==, 1);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "acme-refused"), ==, 1);
  {
    g_autoptr(VouchAcmeApprovalRequest) first = g_list_model_get_item (left, 0);
    g_autoptr(VouchAcmeApprovalRequest) second = g_list_model_get_item (left, 1);

    g_assert_cmpstr (vouch_acme_approval_request_get_state (first), ==, "approved");
    g_assert_cmpstr (vouch_acme_approval_request_get_state (second), ==, "refused");
  }
}

static void
test_account_keys (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *row = ui_test_find_id (fixture->page, "eab_names_row");
  g_autoptr(VouchInventory) inventory = NULL;
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(VouchAcmeEabKey) key = NULL;
  AdwMessageDialog *dialog;
  g_autofree char *id = NULL;

  /* A bad pattern is refused with a clear error, and nothing is made. */
  ui_test_type (row, "ex*ample.lan");
  ui_test_press_enter (row);
  g_assert_true (ui_test_wait (not_busy, fixture->page, 30));
  dialog = ADW_MESSAGE_DIALOG (ui_test_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 10));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "ex*ample.lan"));
  ui_test_click_button (GTK_WIDGET (dialog), "Close");
  ui_test_settle (200);

  ui_test_type (row, "*.lan, 192.168.7.0/24");
  ui_test_press_enter (row);
  g_assert_true (ui_test_wait (not_busy, fixture->page, 30));
  dialog = ADW_MESSAGE_DIALOG (ui_test_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 10));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "HMAC key: "));
  ui_test_screenshot (GTK_WIDGET (dialog), "acme-eab-shown-once");
  ui_test_click_button (GTK_WIDGET (dialog), "Copy Both");
  ui_test_settle (200);

  inventory = open_inventory ();
  keys = vouch_acme_approvals_list_eab_keys (inventory, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (keys), ==, 1);
  key = g_list_model_get_item (keys, 0);
  id = g_strdup (vouch_acme_eab_key_get_id (key));
  g_assert_cmpstrv (vouch_acme_eab_key_get_names (key),
                    ((const char * const []) { "*.lan", "192.168.7.0/24", NULL }));
  g_assert_true (label_shown (fixture->page, id));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");

  ui_test_click_button (fixture->page, "Revoke");
  g_assert_true (ui_test_wait (not_busy, fixture->page, 30));
  ui_test_settle (200);
  g_clear_object (&key);
  g_clear_object (&keys);
  keys = vouch_acme_approvals_list_eab_keys (inventory, NULL);
  key = g_list_model_get_item (keys, 0);
  g_assert_cmpint (vouch_acme_eab_key_get_revoked_at (key), !=, 0);
  g_assert_null (ui_test_find_button (fixture->page, "Revoke"));
}

static gboolean
group_idle (gpointer user_data)
{
  return !vouch_acme_preferences_group_get_busy (user_data);
}

static void
answer_warning (const char *button)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (ui_test_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG,
                                                                        10));

  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sign Without Asking?");
  ui_test_click_button (GTK_WIDGET (dialog), button);
  ui_test_settle (200);
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  VouchApplication *application = ui_test_get_application ();
  VouchPreferencesWindow *preferences =
    vouch_preferences_window_new (vouch_application_get_settings (application));
  g_autofree char *args_path = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "systemctl-args",
                                                 NULL);
  g_autofree char *dir = vouch_data_dir ();
  g_autofree char *args = NULL;
  GtkWidget *group;
  GtkWidget *service;
  GtkWidget *open;

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (preferences));
  group = ui_test_find (GTK_WIDGET (preferences), VOUCH_TYPE_ACME_PREFERENCES_GROUP);
  g_assert_nonnull (group);
  g_assert_true (ui_test_wait (group_idle, group, 10));
  service = ui_test_find_id (group, "service_switch");
  open = ui_test_find_id (group, "open_switch");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (service)));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (open)));

  /* The service, as the renewal timer: systemctl --user enable --now. */
  ui_test_click (service);
  g_assert_true (ui_test_wait (group_idle, group, 10));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (service)));
  g_assert_true (g_file_get_contents (args_path, &args, NULL, NULL));
  g_assert_cmpstr (g_strstrip (args), ==, "--user enable --now vouch-acme.service");

  /* Open mode asks first; Cancel leaves it off. */
  ui_test_click (open);
  answer_warning ("Cancel");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (open)));
  g_assert_false (vouch_acme_config_get_open (dir));

  ui_test_click (open);
  ui_test_screenshot (GTK_WIDGET (ui_test_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 10)),
                      "acme-open-mode-warning");
  answer_warning ("Turn On Open Mode");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (open)));
  g_assert_true (vouch_acme_config_get_open (dir));
  ui_test_screenshot_variants (GTK_WINDOW (preferences), "acme-preferences");

  /* Off needs no warning. */
  ui_test_click (open);
  g_assert_false (vouch_acme_config_get_open (dir));

  gtk_window_destroy (GTK_WINDOW (preferences));
  ui_test_settle (100);
}

int
main (int   argc,
      char *argv[])
{
  const char *tmp = g_getenv ("VOUCH_TEST_TMPDIR");
  g_autofree char *fake = NULL;
  g_autofree char *script = NULL;

  /* No user manager runs here: a stand-in systemctl says the unit is
   * disabled and records enable. Set before any thread starts. */
  g_assert_nonnull (tmp);
  fake = g_build_filename (tmp, "fake-systemctl", NULL);
  script = g_strdup_printf ("#!/bin/sh\n"
                            "case \"$2\" in\n"
                            "  is-enabled) echo disabled; exit 1 ;;\n"
                            "  enable) echo \"$@\" > '%s/systemctl-args' ;;\n"
                            "  *) echo 'Failed to connect to bus: No medium found' >&2; exit 1 ;;\n"
                            "esac\n", tmp);
  g_assert_true (g_file_set_contents (fake, script, -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  g_setenv ("VOUCH_SYSTEMCTL", fake, TRUE);

  ui_test_init (&argc, &argv);

  g_test_add ("/acme-page/approve-and-refuse", Fixture, NULL, fixture_setup,
              test_approve_and_refuse, fixture_teardown);
  g_test_add ("/acme-page/account-keys", Fixture, NULL, fixture_setup, test_account_keys,
              fixture_teardown);
  g_test_add ("/acme-page/preferences", Fixture, NULL, fixture_setup, test_preferences,
              fixture_teardown);

  return g_test_run ();
}
