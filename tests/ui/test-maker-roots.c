/* test-maker-roots.c: device makers' roots in Preferences, as a person
 * manages them: open Preferences, activate Manufacturer Roots, add a root
 * (dropped on the page: the file chooser's own code path after the
 * choice), see its subject and fingerprint, remove it, go back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "ui-test-util.h"
#include "vouch-maker-roots-page.h"
#include "vouch-maker-roots-page-private.h"
#include "vouch-preferences-window.h"
#include "vouch-test-util.h"

#include <string.h>

typedef struct
{
  VouchApplication *application;
  VouchWindow      *window;
  GtkWindow        *preferences;
  TestCa           *maker;
} Fixture;

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
preferences_shown (gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->preferences = find_toplevel (VOUCH_TYPE_PREFERENCES_WINDOW);
  return fixture->preferences != NULL;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->application = g_object_ref (ui_test_get_application ());
  fixture->window = ui_test_new_window (1100, 820);
  fixture->maker = test_ca_new ("Example Devices Manufacturing Root");

  /* Ctrl+comma, as a person opens Preferences. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->application), "preferences", NULL);
  g_assert_true (ui_test_wait (preferences_shown, fixture, 10));
  gtk_window_set_default_size (fixture->preferences, 640, 720);
  ui_test_settle (300);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (fixture->preferences);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  ui_test_settle (100);
  test_ca_free (fixture->maker);
  g_clear_object (&fixture->application);
}

static GtkWidget *
page (Fixture *fixture)
{
  return ui_test_find (GTK_WIDGET (fixture->preferences), VOUCH_TYPE_MAKER_ROOTS_PAGE);
}

static gboolean
page_mapped (gpointer user_data)
{
  GtkWidget *widget = page (user_data);

  return widget != NULL && gtk_widget_get_mapped (widget);
}

static gboolean
page_gone (gpointer user_data)
{
  GtkWidget *widget = page (user_data);

  return widget == NULL || !gtk_widget_get_mapped (widget);
}

static void
open_page (Fixture *fixture)
{
  GtkWidget *row = ui_test_find_labelled (GTK_WIDGET (fixture->preferences), ADW_TYPE_ACTION_ROW,
                                          "Manufacturer Roots");

  g_assert_nonnull (row);
  ui_test_screenshot (GTK_WIDGET (fixture->preferences), "preferences-device-verification");
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (ui_test_wait (page_mapped, fixture, 10));
  ui_test_settle (300);
}

static gboolean
drop_file (Fixture    *fixture,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return ui_test_drop_file (page (fixture), file);
}

static gboolean
root_row_shown (gpointer user_data)
{
  GtkWidget *widget = page (user_data);

  return widget != NULL &&
         ui_test_find_labelled (widget, ADW_TYPE_ACTION_ROW, "Example Devices Manufacturing Root") != NULL;
}

static gboolean
root_row_gone (gpointer user_data)
{
  return !root_row_shown (user_data);
}

static gboolean
error_shown (gpointer user_data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static char *
roots_file (Fixture *fixture)
{
  VouchAuthority *authority = vouch_application_get_authority (fixture->application);

  return g_build_filename (vouch_authority_get_data_dir (authority), "manufacturer-roots.pem",
                           NULL);
}

static void
test_add_and_remove (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *root_path = vouch_test_write_temp ("maker-root.pem", fixture->maker->pem, -1);
  g_autofree char *key_pem = NULL;
  g_autofree char *leaf = test_ca_issue_for_new_key (fixture->maker, "device.example", &key_pem);
  g_autofree char *leaf_path = vouch_test_write_temp ("device-leaf.pem", leaf, -1);
  g_autofree char *file = roots_file (fixture);
  GtkWidget *row;
  GtkWidget *remove;
  GtkWindow *dialog;
  VouchCertificate *root;

  open_page (fixture);
  g_assert_true (ui_test_find_labelled (page (fixture), GTK_TYPE_LABEL, "No maker's root is imported") != NULL);
  ui_test_screenshot (GTK_WIDGET (fixture->preferences), "maker-roots-empty");

  /* A device's own certificate is no root: the person is told why. */
  g_assert_true (drop_file (fixture, leaf_path));
  g_assert_true (ui_test_wait (error_shown, NULL, 10));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "not a certificate authority"));
  gtk_window_destroy (dialog);

  g_assert_true (drop_file (fixture, root_path));
  g_assert_true (ui_test_wait (root_row_shown, fixture, 10));
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  root = g_list_model_get_item (G_LIST_MODEL (_vouch_maker_roots_page_get_roots (VOUCH_MAKER_ROOTS_PAGE (page (fixture)))), 0);
  row = ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW, "Example Devices Manufacturing Root");
  /* The fingerprint is on the row, to check with the maker. */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   vouch_certificate_get_sha256 (root));
  g_object_unref (root);
  ui_test_screenshot (GTK_WIDGET (fixture->preferences), "maker-roots-one");

  /* Narrow and dark, as a phone-sized window shows it. */
  gtk_window_set_default_size (fixture->preferences, 360, 720);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (500);
  ui_test_screenshot (GTK_WIDGET (fixture->preferences), "maker-roots-narrow-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (fixture->preferences, 640, 720);
  ui_test_settle (300);

  g_assert_cmpuint (ui_test_assert_accessible_names (page (fixture)), >, 0);

  remove = ui_test_find (row, GTK_TYPE_BUTTON);
  g_assert_nonnull (remove);
  g_assert_true (gtk_widget_activate (remove));
  g_assert_true (ui_test_wait (root_row_gone, fixture, 10));
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));

  /* Back to Preferences. */
  g_assert_true (gtk_widget_activate_action (page (fixture), "maker-roots.back", NULL));
  g_assert_true (ui_test_wait (page_gone, fixture, 10));
}

/* A root added elsewhere (vouchctl maker-roots add) is listed the next
 * time the page opens. */
static void
test_lists_existing (Fixture       *fixture,
                     gconstpointer  data)
{
  VouchAuthority *authority = vouch_application_get_authority (fixture->application);
  g_autoptr(VouchManufacturerRoots) roots = vouch_manufacturer_roots_new (vouch_authority_get_data_dir (authority),
                                                                          NULL);
  g_autoptr(GBytes) pem = g_bytes_new (fixture->maker->pem, strlen (fixture->maker->pem));
  g_autoptr(VouchCertificate) root = NULL;
  g_autoptr(GError) error = NULL;

  root = vouch_manufacturer_roots_add (roots, pem, &error);
  g_assert_no_error (error);

  open_page (fixture);
  g_assert_true (root_row_shown (fixture));
  g_assert_true (vouch_manufacturer_roots_remove (roots, vouch_certificate_get_sha256 (root), &error));
}

int
main (int    argc,
      char **argv)
{
  ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/maker-roots/add-and-remove", test_add_and_remove);
  ADD ("/maker-roots/lists-existing", test_lists_existing);

  return g_test_run ();
}
