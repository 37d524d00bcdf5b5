/* test-forms.c: a wrong value typed into a form is said next to the field,
 * in the core's own words, and the form keeps what was typed: Preferences,
 * the Welcome page's allowed names and Add Device, driven as a person
 * would, by typing into the real fields and pressing Enter or the button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"
#include "vouch-add-device-dialog.h"
#include "vouch-device-page.h"
#include "vouch-discovery.h"
#include "vouch-name-constraints.h"
#include "vouch-names.h"
#include "vouch-preferences-window.h"
#include "vouch-welcome-page.h"

#include <string.h>

/* 64 letters: one more than a DNS label may have. */
#define LONG_LABEL "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"

static void
assert_field_error (GtkWidget  *field,
                    const char *expected)
{
  const char *shown = ui_test_inline_error (field);

  if (expected == NULL)
    {
      g_assert_null (shown);
      g_assert_false (gtk_widget_has_css_class (field, "error"));
      return;
    }
  g_assert_cmpstr (shown, ==, expected);
  g_assert_true (gtk_widget_has_css_class (field, "error"));
}

/* A realized button says "clicked" when its press animation ends. */
static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  ui_test_settle (400);
}

static char *
name_error (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normal = vouch_names_normalize (text, &error);

  g_assert_null (normal);
  return g_strdup (error->message);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static void
screenshot_sizes (GtkWindow  *window,
                  int         width,
                  const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *narrow = g_strconcat (name, "-360", NULL);
  g_autofree char *dark = g_strconcat (name, "-360-dark", NULL);

  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (window), name);
  gtk_window_set_default_size (window, 360, -1);
  ui_test_settle (500);
  ui_test_screenshot (GTK_WIDGET (window), narrow);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (window), dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (window, width, -1);
  ui_test_settle (300);
}

/* Preferences: a wrong extra name is said under the field and nothing is
 * saved; fixing it removes the message, and Enter saves. */
static void
test_preferences (void)
{
  VouchApplication *application = ui_test_get_application ();
  VouchWindow *window = ui_test_new_window (1000, 760);
  GSettings *settings = vouch_application_get_settings (application);
  g_auto(GStrv) before = g_settings_get_strv (settings, "default-extra-names");
  g_auto(GStrv) after = NULL;
  g_autofree char *bad = g_strconcat ("printer.lan, " LONG_LABEL ".lan", NULL);
  g_autofree char *expected = name_error (LONG_LABEL ".lan");
  GtkWindow *preferences;
  GtkWidget *field;

  g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  preferences = find_toplevel (VOUCH_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  ui_test_settle (300);
  field = ui_test_find_labelled (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, "Extra Names");
  g_assert_nonnull (field);
  assert_field_error (field, NULL);

  ui_test_type (field, bad);
  /* Not while typing: only when the person commits the text. */
  assert_field_error (field, NULL);
  ui_test_press_enter (field);
  assert_field_error (field, expected);
  g_assert_nonnull (strstr (expected, "1 to 63 characters"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field)), ==, bad);
  after = g_settings_get_strv (settings, "default-extra-names");
  g_assert_cmpstrv (after, before);
  g_clear_pointer (&after, g_strfreev);
  screenshot_sizes (preferences, 560, "forms-preferences-error");

  /* Emptying the field takes the red away; so does fixing it. */
  ui_test_type (field, "");
  assert_field_error (field, NULL);
  ui_test_type (field, bad);
  ui_test_press_enter (field);
  assert_field_error (field, expected);
  ui_test_type (field, "printer.lan, Spare.LAN");
  assert_field_error (field, NULL);
  ui_test_press_enter (field);
  after = g_settings_get_strv (settings, "default-extra-names");
  {
    const char * const saved[] = { "printer.lan", "spare.lan", NULL };

    g_assert_cmpstrv (after, saved);
  }

  g_settings_set_strv (settings, "default-extra-names", (const char * const *)before);
  gtk_window_destroy (preferences);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
}

static GtkWidget *
find_remove_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *tip = gtk_widget_get_tooltip_text (child);
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && tip != NULL && g_str_has_prefix (tip, "Remove ") &&
          gtk_widget_get_visible (child))
        return child;
      found = find_remove_button (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The Welcome page: a wrong domain or range is said under the field, in
 * the words of the parser that builds the root; Create Root with no name
 * left says so there too, and creates nothing. */
static void
test_welcome (void)
{
  g_autoptr(VouchNameConstraints) scratch = vouch_name_constraints_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window = adw_window_new ();
  GtkWidget *page = g_object_new (VOUCH_TYPE_WELCOME_PAGE, NULL);
  GtkWidget *field;
  GtkWidget *remove;
  GtkWidget *create;

  g_assert_false (vouch_name_constraints_add (scratch, "10.0.0.0/33", &error));
  adw_window_set_content (ADW_WINDOW (window), page);
  vouch_welcome_page_set_application (VOUCH_WELCOME_PAGE (page), ui_test_get_application ());
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 900);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_settle (300);

  field = ui_test_find_labelled (page, ADW_TYPE_ENTRY_ROW, "Add a Domain or Address Range");
  g_assert_nonnull (field);
  ui_test_type (field, "10.0.0.0/33");
  ui_test_press_enter (field);
  assert_field_error (field, error->message);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field)), ==, "10.0.0.0/33");
  ui_test_settle (200);
  ui_test_screenshot (window, "forms-welcome-error");

  ui_test_type (field, "10.0.0.0/24");
  assert_field_error (field, NULL);
  ui_test_press_enter (field);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field)), ==, "");
  g_assert_nonnull (ui_test_find_labelled (page, ADW_TYPE_ACTION_ROW, "10.0.0.0/24"));

  /* Take every allowed name away, as a person would, then Create Root. */
  for (guint i = 0; i < 64 && (remove = find_remove_button (page)) != NULL; i++)
    click (remove);
  g_assert_null (find_remove_button (page));
  create = ui_test_find_labelled (page, GTK_TYPE_BUTTON, "Create Root");
  g_assert_nonnull (create);
  click (create);
  assert_field_error (field, "Add at least one allowed name or address");
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  /* Typing a name takes the message away. */
  ui_test_type (field, "home.arpa");
  assert_field_error (field, NULL);

  /* A root with no name is said at its name, too. */
  {
    GtkWidget *name = ui_test_find_labelled (page, ADW_TYPE_ENTRY_ROW, "Name");

    g_assert_nonnull (name);
    ui_test_type (name, "");
    click (create);
    g_assert_nonnull (ui_test_inline_error (name));
    g_assert_true (gtk_widget_has_css_class (name, "error"));
    g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
    ui_test_type (name, "Home Root");
    assert_field_error (name, NULL);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
}

static gboolean
window_gone (gpointer user_data)
{
  return find_toplevel (VOUCH_TYPE_ADD_DEVICE_DIALOG) == NULL;
}

/* Add Device: a wrong address keeps the dialog open with the text and the
 * reason under it; a right one adds the device and opens its page. */
static void
test_add_device (void)
{
  VouchWindow *window = ui_test_new_window (1000, 760);
  g_autoptr(GError) error = NULL;
  GtkWidget *add_by_address;
  GtkWindow *dialog;
  GtkWidget *field;
  GtkWidget *add;
  GtkWidget *device_page;

  g_assert_false (vouch_discovery_parse_address ("printer.local", NULL, NULL, &error));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "devices");
  ui_test_settle (300);
  add_by_address = ui_test_find_labelled (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Add by Address");
  if (add_by_address == NULL || !gtk_widget_get_mapped (add_by_address))
    add_by_address = NULL;
  if (add_by_address != NULL)
    click (add_by_address);
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "devices.add", NULL));
  ui_test_settle (300);
  dialog = find_toplevel (VOUCH_TYPE_ADD_DEVICE_DIALOG);
  g_assert_nonnull (dialog);
  field = ui_test_find_labelled (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Host and Port");
  add = ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Add");
  g_assert_nonnull (field);
  g_assert_nonnull (add);

  /* The dialog opens ready for typing. */
  {
    GtkWidget *focus = gtk_window_get_focus (dialog);

    g_assert_nonnull (focus);
    g_assert_true (focus == field || gtk_widget_is_ancestor (focus, field));
  }

  /* Add with nothing typed says what to type. */
  click (add);
  g_assert_nonnull (ui_test_inline_error (field));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  /* Once a message shows, each change is checked again, so it always
   * says what is wrong with the text now. */
  ui_test_type (field, "printer.local");
  assert_field_error (field, error->message);
  click (add);
  ui_test_settle (200);
  g_assert_true (find_toplevel (VOUCH_TYPE_ADD_DEVICE_DIALOG) == dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field)), ==, "printer.local");
  assert_field_error (field, error->message);
  screenshot_sizes (dialog, 440, "forms-add-device-error");

  /* Enter does the same as Add, and the dialog still stays. */
  ui_test_press_enter (field);
  g_assert_true (find_toplevel (VOUCH_TYPE_ADD_DEVICE_DIALOG) == dialog);

  ui_test_type (field, "127.0.0.1:18443");
  assert_field_error (field, NULL);
  click (add);
  g_assert_true (ui_test_wait (window_gone, NULL, 10));

  device_page = ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_DEVICE_PAGE);
  g_assert_nonnull (device_page);
  g_assert_true (ui_test_wait ((UiTestCondition)gtk_widget_get_mapped, device_page, 10));
  g_assert_nonnull (ui_test_find_labelled (device_page, GTK_TYPE_LABEL, "127.0.0.1:18443"));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
}

int
main (int    argc,
      char **argv)
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/forms/preferences", test_preferences);
  g_test_add_func ("/forms/welcome", test_welcome);
  g_test_add_func ("/forms/add-device", test_add_device);

  return g_test_run ();
}
