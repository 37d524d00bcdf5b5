/* test-window.c: first run in the real window: create a root, land on the
 * devices page, at desktop and phone widths, light and dark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"
#include "vouch-devices-page.h"
#include "vouch-welcome-page.h"

/* One application per process: a GApplication cannot be registered on the
 * same bus twice, so the tests share it and run in order. */
typedef struct
{
  VouchApplication *application;
  VouchWindow      *window;
} Fixture;

static Fixture shared;

static gboolean
has_root (gpointer user_data)
{
  Fixture *fixture = user_data;

  return vouch_authority_get_root (vouch_application_get_authority (fixture->application)) != NULL;
}

static gboolean
main_page_shown (gpointer user_data)
{
  Fixture *fixture = user_data;
  GtkWidget *devices = ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_DEVICES_PAGE);

  return devices != NULL && gtk_widget_get_mapped (devices);
}

/* Bottom edge of @widget inside the window, as laid out now. */
static double
bottom_in_window (GtkWidget *widget,
                  GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  return bounds.origin.y + bounds.size.height;
}

static void
test_welcome_narrow (void)
{
  Fixture *fixture = &shared;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *welcome = ui_test_find (window, VOUCH_TYPE_WELCOME_PAGE);
  GtkWidget *add_row = ui_test_find_labelled (welcome, ADW_TYPE_ENTRY_ROW, "Add a Domain");
  GtkWidget *key_type = ui_test_find_labelled (welcome, ADW_TYPE_COMBO_ROW, "Key Type");
  GtkWidget *create = ui_test_find_labelled (welcome, GTK_TYPE_BUTTON, "Create Root");

  g_assert_nonnull (add_row);
  g_assert_nonnull (key_type);
  g_assert_nonnull (create);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  ui_test_settle (500);

  /* The key type is the row's subtitle, with the whole width: not cut. */
  g_assert_true (adw_combo_row_get_use_subtitle (ADW_COMBO_ROW (key_type)));
  g_assert_nonnull (ui_test_find_labelled (key_type, GTK_TYPE_LABEL, "ECDSA P-256 (recommended)"));

  /* Adding a range, typed and entered as a person does, opens the list
   * of allowed names; Create Root stays on screen all the same. */
  gtk_editable_set_text (GTK_EDITABLE (add_row), "127.0.0.0/8");
  /* Enter in the text field emits its "activate", which the row passes on. */
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (add_row)), "activate");
  ui_test_settle (500);
  g_assert_nonnull (ui_test_find_labelled (welcome, ADW_TYPE_ACTION_ROW, "127.0.0.0/8"));
  g_assert_true (gtk_widget_get_mapped (create));
  g_assert_cmpfloat (bottom_in_window (create, window), <=, gtk_widget_get_height (window));
  ui_test_screenshot (window, "welcome-360-range-added");

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  ui_test_settle (300);
}

static void
test_first_run (void)
{
  Fixture *fixture = &shared;
  GtkWidget *welcome = ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_WELCOME_PAGE);
  GtkWidget *create;
  GtkWidget *dialog;

  g_assert_nonnull (welcome);
  g_assert_true (gtk_widget_get_mapped (welcome));

  /* The page explains where the key lives, and lists the local defaults. */
  g_assert_nonnull (ui_test_find_labelled (welcome, GTK_TYPE_LABEL, "keyring"));
  g_assert_nonnull (ui_test_find_labelled (welcome, ADW_TYPE_ACTION_ROW, ".home.arpa"));
  g_assert_nonnull (ui_test_find_labelled (welcome, ADW_TYPE_ACTION_ROW, "192.168.0.0/16"));
  ui_test_screenshot (GTK_WIDGET (fixture->window), "first-run-welcome");

  create = ui_test_find_labelled (welcome, GTK_TYPE_BUTTON, "Create Root");
  g_assert_nonnull (create);
  g_assert_true (gtk_widget_activate (create));

  g_assert_true (ui_test_wait (has_root, fixture, 30));
  g_assert_true (ui_test_wait (main_page_shown, fixture, 10));
  ui_test_settle (300);

  /* A backup is offered right away. */
  dialog = NULL;
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Back Up the Root Now?");
  ui_test_screenshot (dialog, "first-run-backup-offer");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "later");
  ui_test_settle (300);

  ui_test_screenshot (GTK_WIDGET (fixture->window), "devices-empty");
}

static void
test_narrow_and_dark (void)
{
  Fixture *fixture = &shared;
  AdwStyleManager *style = adw_style_manager_get_default ();

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  ui_test_settle (500);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);
  ui_test_screenshot (GTK_WIDGET (fixture->window), "narrow-360");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  g_assert_true (adw_style_manager_get_dark (style));
  ui_test_screenshot (GTK_WIDGET (fixture->window), "narrow-360-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  ui_test_settle (300);
}

static GtkWidget *
find_by_tooltip (GtkWidget  *root,
                 const char *tooltip)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The back button in the main view's header bar, the one around the view
 * switcher. */
static GtkWidget *
find_header_back (AdwViewSwitcherTitle *title)
{
  GtkWidget *header = gtk_widget_get_ancestor (GTK_WIDGET (title), ADW_TYPE_HEADER_BAR);

  g_assert_nonnull (header);
  return find_by_tooltip (header, "Back to Devices");
}

static void
test_narrow_details (void)
{
  Fixture *fixture = &shared;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *devices = ui_test_find (window, VOUCH_TYPE_DEVICES_PAGE);
  AdwViewSwitcherTitle *title =
    ADW_VIEW_SWITCHER_TITLE (ui_test_find (window, ADW_TYPE_VIEW_SWITCHER_TITLE));
  g_autoptr(GListStore) store = g_list_store_new (VOUCH_TYPE_DEVICE);
  g_autoptr(VouchDevice) device = vouch_device_new ("narrow-1", VOUCH_DEVICE_KIND_VOUCH);
  GtkListView *list = vouch_devices_page_get_list_view (VOUCH_DEVICES_PAGE (devices));
  GtkWidget *back;

  vouch_device_set_name (device, "Office printer with a long name");
  vouch_device_set_host (device, "office-printer.local");
  g_list_store_append (store, device);
  vouch_devices_page_set_source (VOUCH_DEVICES_PAGE (devices), G_LIST_MODEL (store));
  gtk_widget_activate_action (window, "win.show-page", "s", "devices");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  ui_test_settle (500);

  /* The list: no back button, the app's name as the title. */
  back = find_header_back (title);
  g_assert_nonnull (back);
  g_assert_false (gtk_widget_get_visible (back));

  /* Opening the device, as a tap on its row does: its details replace the
   * list, the header bar names it and has the way back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "list.activate-item", "u", 0));
  ui_test_settle (500);
  g_assert_true (gtk_widget_get_visible (back));
  g_assert_cmpstr (adw_view_switcher_title_get_title (title), ==,
                   "Office printer with a long name");
  ui_test_screenshot (window, "device-360");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  ui_test_screenshot (window, "device-360-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Another page has no device to go back from. */
  gtk_widget_activate_action (window, "win.show-page", "s", "history");
  ui_test_settle (300);
  g_assert_false (gtk_widget_get_visible (back));
  g_assert_cmpstr (adw_view_switcher_title_get_title (title), ==, "Vouch");
  gtk_widget_activate_action (window, "win.show-page", "s", "devices");
  ui_test_settle (300);
  g_assert_true (gtk_widget_get_visible (back));

  /* Back: the list again. */
  g_assert_true (gtk_widget_activate (back));
  ui_test_settle (500);
  g_assert_false (gtk_widget_get_visible (back));
  g_assert_cmpstr (adw_view_switcher_title_get_title (title), ==, "Vouch");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (list)));

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  ui_test_settle (300);
}

static void
test_shortcuts_and_help (void)
{
  Fixture *fixture = &shared;
  GtkApplication *app = GTK_APPLICATION (fixture->application);
  g_auto(GStrv) help = gtk_application_get_accels_for_action (app, "app.help");
  g_auto(GStrv) quit = gtk_application_get_accels_for_action (app, "app.quit");
  GtkShortcutsWindow *shortcuts;

  g_assert_true (g_strv_contains ((const char * const *)help, "F1"));
  g_assert_true (g_strv_contains ((const char * const *)quit, "<Control>q"));

  shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window));
  g_assert_nonnull (shortcuts);
  gtk_window_present (GTK_WINDOW (shortcuts));
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (shortcuts), "shortcuts");
  gtk_window_close (GTK_WINDOW (shortcuts));
}

int
main (int    argc,
      char **argv)
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/window/welcome-narrow", test_welcome_narrow);
  g_test_add_func ("/window/first-run", test_first_run);
  g_test_add_func ("/window/narrow-and-dark", test_narrow_and_dark);
  g_test_add_func ("/window/narrow-details", test_narrow_details);
  g_test_add_func ("/window/shortcuts-and-help", test_shortcuts_and_help);

  return ui_test_run_in_window (&shared.application, &shared.window, 1100, 720);
}
