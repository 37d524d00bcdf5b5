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
  int status;

  ui_test_init (&argc, &argv);
  shared.application = vouch_application_new ();
  shared.window = ui_test_open_window (shared.application, 1100, 720);

  g_test_add_func ("/window/first-run", test_first_run);
  g_test_add_func ("/window/narrow-and-dark", test_narrow_and_dark);
  g_test_add_func ("/window/shortcuts-and-help", test_shortcuts_and_help);

  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (shared.window));
  ui_test_settle (100);
  g_clear_object (&shared.application);
  return status;
}
