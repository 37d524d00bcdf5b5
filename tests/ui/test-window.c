/* test-window.c: first run in the real window: create a root, land on the
 * devices page, at desktop and phone widths, light and dark; Ctrl+F and
 * Ctrl+N typed on the keyboard wherever the focus is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"
#include "vouch-certificates-page.h"
#include "vouch-device-row.h"
#include "vouch-devices-page-private.h"
#include "vouch-devices-page.h"
#include "vouch-root-page.h"
#include "vouch-welcome-page.h"

#include <gdk/x11/gdkx.h>

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
  GtkWidget *later;

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
  /* Later, clicked: the dialog answers and closes (answering through
   * adw_message_dialog_response () would leave it open). */
  later = ui_test_find_labelled (dialog, GTK_TYPE_BUTTON, "Later");
  g_assert_nonnull (later);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  g_assert_true (gtk_widget_activate (later));
  ui_test_settle (300);
  g_assert_null (dialog);

  ui_test_screenshot (GTK_WIDGET (fixture->window), "devices-empty");
}

/* Types @keys (xdotool's names, "ctrl+f") on the X server's keyboard
 * (XTEST), into @window: the events reach GTK as a person's key presses
 * do, so the window's shortcut controllers decide what they do. */
static void
press_keys (GtkWidget  *window,
            const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (gulong)gdk_x11_surface_get_xid (surface));

  {
    const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, "key", "--clearmodifiers",
                           keys, NULL };

    /* tools/install-deps installs xdotool; without it this test fails. */
    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                                 NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }
}

static GtkWidget *
find_focusable_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      gtk_widget_is_sensitive (widget) && gtk_widget_get_focusable (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_focusable_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Puts the keyboard focus on @widget, as a click or Tab would. */
static void
focus (GtkWidget *widget)
{
  g_assert_true (gtk_widget_grab_focus (widget));
  ui_test_settle (100);
  g_assert_true (gtk_widget_has_focus (widget));
}

typedef struct
{
  GtkWidget *window;
  GtkWidget *entry;
} FocusWait;

static gboolean
focus_in_entry (gpointer user_data)
{
  FocusWait *wait = user_data;
  GtkWidget *focus_widget = gtk_root_get_focus (GTK_ROOT (wait->window));

  return focus_widget != NULL && (focus_widget == wait->entry ||
                                  gtk_widget_is_ancestor (focus_widget, wait->entry));
}

/* Ctrl+F, typed with the focus on @from, focuses @page's search. */
static void
assert_ctrl_f_searches (GtkWidget *window,
                        GtkWidget *from,
                        GtkWidget *page)
{
  FocusWait wait = { window, ui_test_find (page, GTK_TYPE_SEARCH_ENTRY) };

  g_assert_nonnull (wait.entry);
  focus (from);
  g_assert_false (focus_in_entry (&wait));
  press_keys (window, "ctrl+f");
  g_assert_true (ui_test_wait (focus_in_entry, &wait, 10));
}

typedef struct
{
  GtkWidget *window;
  GList     *before; /* the dialogs open before the keys were typed */
} DialogWait;

/* A dialog of @wait's window that was not open before. */
static GtkWindow *
find_new_dialog (DialogWait *wait)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == GTK_WINDOW (wait->window) &&
        gtk_widget_get_visible (l->data) && g_list_find (wait->before, l->data) == NULL)
      return l->data;
  return NULL;
}

static gboolean
has_new_dialog (gpointer user_data)
{
  return find_new_dialog (user_data) != NULL;
}

static void
show_page (GtkWidget  *window,
           const char *name)
{
  g_assert_true (gtk_widget_activate_action (window, "win.show-page", "s", name));
  ui_test_settle (300);
}

static void
test_shortcuts_anywhere (void)
{
  Fixture *fixture = &shared;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *devices = ui_test_find (window, VOUCH_TYPE_DEVICES_PAGE);
  GtkWidget *certificates = ui_test_find (window, VOUCH_TYPE_CERTIFICATES_PAGE);
  GtkWidget *root = ui_test_find (window, VOUCH_TYPE_ROOT_PAGE);
  g_autoptr(GListStore) store = g_list_store_new (VOUCH_TYPE_DEVICE);
  GtkWidget *button;
  GtkWidget *row;
  GtkWidget *switcher_button;
  DialogWait wait = { window, gtk_window_list_toplevels () };
  GtkWindow *dialog;
  GListModel *discovery;

  g_assert_nonnull (devices);
  g_assert_nonnull (certificates);
  g_assert_nonnull (root);

  /* Ctrl+N from a button on the Root page: Add Device, on the Devices
   * page. Ctrl+F there does nothing: the Root page has no search. */
  show_page (window, "root");
  button = find_focusable_button (root);
  g_assert_nonnull (button);
  focus (button);
  press_keys (window, "ctrl+f");
  ui_test_settle (300);
  g_assert_true (gtk_widget_has_focus (button));
  press_keys (window, "ctrl+n");
  g_assert_true (ui_test_wait (has_new_dialog, &wait, 10));
  dialog = find_new_dialog (&wait);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "shortcut-ctrl-n-add-device");
  g_assert_true (gtk_widget_get_mapped (devices));
  gtk_window_close (dialog);
  ui_test_settle (300);
  g_assert_null (find_new_dialog (&wait));
  g_list_free (wait.before);

  /* Ctrl+F from a row of the devices list. */
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("shortcut-device-%d", i);
      g_autofree char *name = g_strdup_printf ("Shortcut Device %d", i);
      g_autoptr(VouchDevice) device = vouch_device_new (id, VOUCH_DEVICE_KIND_VOUCH);

      vouch_device_set_name (device, name);
      g_list_store_append (store, device);
    }
  _vouch_devices_page_set_source (VOUCH_DEVICES_PAGE (devices), G_LIST_MODEL (store));
  ui_test_settle (300);
  row = ui_test_find (devices, VOUCH_TYPE_DEVICE_ROW);
  g_assert_nonnull (row);
  /* Rows are for opening, not selecting: in a row, the check box that
   * marks the device takes the focus. */
  assert_ctrl_f_searches (window, ui_test_find (row, GTK_TYPE_CHECK_BUTTON), devices);

  /* Ctrl+F from the view switcher in the header bar. */
  switcher_button = ui_test_find (window, g_type_from_name ("AdwViewSwitcherButton"));
  g_assert_nonnull (switcher_button);
  assert_ctrl_f_searches (window, switcher_button, devices);

  /* Ctrl+F on the Certificates page, from its own buttons. */
  show_page (window, "certificates");
  button = find_focusable_button (certificates);
  g_assert_nonnull (button);
  assert_ctrl_f_searches (window, button, certificates);

  discovery = G_LIST_MODEL (vouch_application_get_discovery (fixture->application));
  _vouch_devices_page_set_source (VOUCH_DEVICES_PAGE (devices), discovery);
  show_page (window, "devices");
}

typedef struct
{
  const char *name;
  gboolean    loaded_at_first_frame;
  gboolean    painted;
} FirstFrame;

/* Saves what the window's first frame showed, from inside that frame's
 * after-paint: ui_test_screenshot () would wait, and by then the pages
 * are there. */
static void
first_after_paint_cb (GdkFrameClock *clock,
                      GtkWidget     *window)
{
  FirstFrame *first = g_object_get_data (G_OBJECT (window), "first-frame");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("VOUCH_SCREENSHOT_DIR");
  GtkSnapshot *snapshot;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  if (first->painted || width == 0)
    return;
  first->painted = TRUE;
  first->loaded_at_first_frame = vouch_window_get_loaded (VOUCH_WINDOW (window));

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (dir == NULL)
    dir = g_getenv ("VOUCH_TEST_TMPDIR");
  file_name = g_strconcat (first->name, ".png", NULL);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
first_frame_realize_cb (GtkWidget *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (first_after_paint_cb), window, 0);
}

static gboolean
first_frame_painted (gpointer user_data)
{
  return ((FirstFrame *)user_data)->painted;
}

static gboolean
window_is_loaded (gpointer user_data)
{
  return vouch_window_get_loaded (user_data);
}

/* A new window's first frame is its loading page, whatever the data
 * folder: the pages are made after it. Then the pages come. */
static void
test_loading_page (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  struct {
    const char *name;
    int         width;
    gboolean    dark;
  } sizes[] = {
    { "startup-1100", 1100, FALSE },
    { "startup-360", 360, FALSE },
    { "startup-360-dark", 360, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      FirstFrame first = { NULL, FALSE, FALSE };
      g_autofree char *first_name = g_strconcat (sizes[i].name, "-first-frame", NULL);
      g_autofree char *loaded_name = g_strconcat (sizes[i].name, "-loaded", NULL);
      VouchWindow *window = vouch_window_new (shared.application);

      first.name = first_name;
      adw_style_manager_set_color_scheme (style, sizes[i].dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                               : ADW_COLOR_SCHEME_DEFAULT);
      g_object_set_data (G_OBJECT (window), "first-frame", &first);
      g_signal_connect (window, "realize", G_CALLBACK (first_frame_realize_cb), NULL);
      gtk_window_set_default_size (GTK_WINDOW (window), sizes[i].width, 640);
      gtk_window_present (GTK_WINDOW (window));

      g_assert_true (ui_test_wait (first_frame_painted, &first, 10));
      g_assert_false (first.loaded_at_first_frame);
      g_assert_true (ui_test_wait (window_is_loaded, window, 10));
      ui_test_settle (300);
      ui_test_screenshot (GTK_WIDGET (window), loaded_name);

      g_object_set_data (G_OBJECT (window), "first-frame", NULL);
      gtk_window_destroy (GTK_WINDOW (window));
      ui_test_settle (100);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
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

static GtkWidget *
find_shortcut (GtkWidget  *widget,
               const char *action_name)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *name = NULL;

      g_object_get (widget, "action-name", &name, NULL);
      if (g_strcmp0 (name, action_name) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shortcut (child, action_name);

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
  GtkListView *list = _vouch_devices_page_get_list_view (VOUCH_DEVICES_PAGE (devices));
  GtkWidget *back;

  vouch_device_set_name (device, "Office printer with a long name");
  vouch_device_set_host (device, "office-printer.local");
  g_list_store_append (store, device);
  _vouch_devices_page_set_source (VOUCH_DEVICES_PAGE (devices), G_LIST_MODEL (store));
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
assert_shortcut_listed (GtkWidget  *shortcuts,
                        const char *action_name,
                        const char *accelerator)
{
  GtkWidget *shortcut = find_shortcut (shortcuts, action_name);
  g_autofree char *shown = NULL;

  g_assert_nonnull (shortcut);
  g_object_get (shortcut, "accelerator", &shown, NULL);
  g_assert_cmpstr (shown, ==, accelerator);
}

static gboolean
has_help_overlay (gpointer user_data)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (user_data);

  return overlay != NULL && gtk_widget_get_mapped (GTK_WIDGET (overlay));
}

static void
test_shortcuts_and_help (void)
{
  Fixture *fixture = &shared;
  GtkApplication *app = GTK_APPLICATION (fixture->application);
  g_auto(GStrv) help = gtk_application_get_accels_for_action (app, "app.help");
  g_auto(GStrv) quit = gtk_application_get_accels_for_action (app, "app.quit");
  GtkShortcutsWindow *shortcuts;
  GtkApplicationWindow *window;

  g_assert_true (g_strv_contains ((const char * const *)help, "F1"));
  g_assert_true (g_strv_contains ((const char * const *)quit, "<Control>q"));

  /* Ctrl+? opens the shortcuts window, made when first asked for. */
  window = GTK_APPLICATION_WINDOW (fixture->window);
  g_assert_null (gtk_application_window_get_help_overlay (window));
  press_keys (GTK_WIDGET (window), "ctrl+question");
  g_assert_true (ui_test_wait (has_help_overlay, window, 10));
  shortcuts = gtk_application_window_get_help_overlay (window);
  /* The window's own shortcuts are listed with the keys that work. */
  assert_shortcut_listed (GTK_WIDGET (shortcuts), "win.search", "<Control>f");
  assert_shortcut_listed (GTK_WIDGET (shortcuts), "win.add-device", "<Control>n");
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
  g_test_add_func ("/window/shortcuts-anywhere", test_shortcuts_anywhere);
  g_test_add_func ("/window/narrow-and-dark", test_narrow_and_dark);
  g_test_add_func ("/window/narrow-details", test_narrow_details);
  g_test_add_func ("/window/loading-page", test_loading_page);
  g_test_add_func ("/window/shortcuts-and-help", test_shortcuts_and_help);

  return ui_test_run_in_window (&shared.application, &shared.window, 1100, 720);
}
