/* ui-test-look.c: what a person sees of a window under test
 *
 * Screenshots (at the window's width, 360 px and dark) and the check that
 * every control on screen has a name a screen reader can say.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"

static gboolean
has_size (gpointer user_data)
{
  GtkWidget *widget = user_data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

static void
painted_cb (GdkFrameClock *clock,
            gpointer       user_data)
{
  *(gboolean *)user_data = TRUE;
}

static gboolean
flag_is_set (gpointer user_data)
{
  return *(gboolean *)user_data;
}

/* Bounded: a widget that is not drawn (an unmapped one) gets two seconds. */
static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id;

  if (clock == NULL)
    return;
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);
  gtk_widget_queue_draw (widget);
  ui_test_wait (flag_is_set, &painted, 2);
  g_signal_handler_disconnect (clock, id);
}

/**
 * ui_test_screenshot:
 *
 * Renders @widget with GTK's own snapshot machinery and saves it as
 * $VOUCH_SCREENSHOT_DIR/@name.png (or in the test's temporary folder).
 */
void
ui_test_screenshot (GtkWidget  *widget,
                    const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("VOUCH_SCREENSHOT_DIR");
  GskRenderer *renderer;
  int width;
  int height;

  if (dir == NULL)
    dir = g_getenv ("VOUCH_TEST_TMPDIR");
  g_assert_nonnull (dir);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, file_name, NULL);

  /* A window just presented is laid out a frame or more later. */
  g_assert_true (ui_test_wait (has_size, widget, 10));
  /* A widget shown or changed just before may not have its allocation
   * yet, and GTK warns when one is snapshotted without it: let one frame
   * (layout, then paint) pass first. */
  wait_for_paint (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  /* A widget that has not been drawn yet (slow under the sanitizers) gives
   * no node; let the frame clock run, for at most two seconds. */
  for (int i = 0; node == NULL && i < 200; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (10000);
        }
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_assert_nonnull (renderer);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  /* Each state worth a picture is one a user meets: a screen reader
   * must be able to name its controls too. GTK 4.8's own shortcuts
   * window leaves its search entry and section menu unnamed; Vouch only
   * fills it from a template. */
  if (!GTK_IS_SHORTCUTS_WINDOW (widget))
    ui_test_assert_accessible_names (widget);
}

/**
 * ui_test_screenshot_variants:
 *
 * Saves @window as a person may see it: at its own width, 360 pixels
 * wide (a phone), and in the dark style, as @name.png, @name-360.png and
 * @name-dark.png.
 */
void
ui_test_screenshot_variants (GtkWindow  *window,
                             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *narrow = g_strconcat (name, "-360", NULL);
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);
  int width;
  int height;

  gtk_window_get_default_size (window, &width, &height);
  ui_test_screenshot (GTK_WIDGET (window), name);
  gtk_window_set_default_size (window, 360, height);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (window), narrow);
  gtk_window_set_default_size (window, width, height);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (window), dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  ui_test_settle (300);
}

static gboolean
is_control (GtkWidget *widget)
{
  switch ((int)gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* Walks what is on screen now (a stack's other pages are checked when a
 * test shows them). The parts of a named composite control (the button
 * inside a GtkDropDown) are GTK's own and take their meaning from it. */
static void
collect_unnamed (GtkWidget *widget,
                 GString   *path,
                 GPtrArray *unnamed,
                 guint     *n_controls)
{
  gsize len = path->len;

  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  g_string_append_printf (path, "/%s", G_OBJECT_TYPE_NAME (widget));
  if (is_control (widget))
    {
      (*n_controls)++;
      if (!has_accessible_name (widget))
        g_ptr_array_add (unnamed, g_strdup (path->str));
    }

  if (!is_control (widget) || !has_accessible_name (widget))
    for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      collect_unnamed (child, path, unnamed, n_controls);

  g_string_truncate (path, len);
}

/**
 * ui_test_assert_accessible_names:
 *
 * Checks that every control under @root (buttons, entries, switches,
 * drop-downs, …) has an accessible name that GTK 4.8 gives to screen
 * readers: its own label, or a label it is labelled by. Returns how many
 * controls it checked.
 */
guint
ui_test_assert_accessible_names (GtkWidget *root)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) path = g_string_new (NULL);
  guint n_controls = 0;

  collect_unnamed (root, path, unnamed, &n_controls);
  g_test_message ("%u controls checked for an accessible name", n_controls);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("no accessible name: %s", (char *)unnamed->pdata[i]);
  g_assert_cmpuint (unnamed->len, ==, 0);
  g_assert_cmpuint (n_controls, >, 0);
  return n_controls;
}
