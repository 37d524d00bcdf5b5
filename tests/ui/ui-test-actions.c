/* ui-test-actions.c: what a person does in a UI test, found and done as
 * they would: buttons found by what they read, clicked, rows activated,
 * text typed, Enter pressed; counted for the journey tests. Split from
 * ui-test-util.c, which opens windows, waits and takes screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"

#include <string.h>

#include "vouch-list-slot.h"

/* What a person did through the helpers below: the journey tests hold the
 * number of clicks and of typed fields to a target. */
static guint n_clicks;
static guint n_typing;

guint
ui_test_get_clicks (void)
{
  return n_clicks;
}

guint
ui_test_get_typing (void)
{
  return n_typing;
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, const char *text);

/* Depth-first, over what is on screen only when @shown_only: what a
 * person cannot see, they cannot click. */
static GtkWidget *
find_first (GtkWidget   *root,
            WidgetMatch  match,
            const char  *text,
            gboolean     shown_only)
{
  if (shown_only && (!gtk_widget_get_visible (root) || !gtk_widget_get_child_visible (root)))
    return NULL;
  if (match (root, text))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_first (child, match, text, shown_only);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_id (GtkWidget  *widget,
        const char *buildable_id)
{
  return g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), buildable_id) == 0;
}

/**
 * ui_test_find_id:
 *
 * Finds the widget a template or builder file named @buildable_id (the
 * `id` in the .ui file) under @root.
 */
GtkWidget *
ui_test_find_id (GtkWidget  *root,
                 const char *buildable_id)
{
  return find_first (root, has_id, buildable_id, FALSE);
}

/* What a person reads on a button: its label without the mnemonic's
 * underscore. */
static gboolean
button_reads (GtkWidget  *widget,
              const char *label)
{
  const char *own = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;
  g_autoptr(GString) plain = NULL;

  if (own == NULL)
    return FALSE;
  plain = g_string_new (own);
  g_string_replace (plain, "_", "", 0);
  return g_strcmp0 (plain->str, label) == 0;
}

/**
 * ui_test_find_button:
 *
 * Finds the button on screen under @root that reads @label (without the
 * mnemonic's underscore), as a person looks for it: buttons that are
 * hidden, or on a page not shown, do not count.
 */
GtkWidget *
ui_test_find_button (GtkWidget  *root,
                     const char *label)
{
  return find_first (root, button_reads, label, TRUE);
}

/**
 * ui_test_find_window:
 *
 * Returns: (nullable) (transfer none): the visible window of @type, such
 *   as the dialog a click opened
 */
gpointer
ui_test_find_window (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
assert_usable (GtkWidget *widget)
{
  g_assert_nonnull (widget);
  if (!gtk_widget_is_drawable (widget) || !gtk_widget_is_sensitive (widget))
    g_error ("%s “%s” cannot be used: it is %s", G_OBJECT_TYPE_NAME (widget),
             gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) ?: "",
             gtk_widget_is_sensitive (widget) ? "not on screen" : "insensitive");
}

/**
 * ui_test_click:
 *
 * Clicks @widget, which must be on screen and sensitive, the way the
 * keyboard does (gtk_widget_activate(): a button's "clicked", its action,
 * a switch's toggle), and lets the result be drawn. Counts one click.
 */
void
ui_test_click (GtkWidget *widget)
{
  assert_usable (widget);
  n_clicks++;
  /* A click moves the focus to what was clicked, out of the entry typed
   * into before. */
  if (gtk_widget_get_focus_on_click (widget))
    gtk_widget_grab_focus (widget);
  g_assert_true (gtk_widget_activate (widget));
  /* A button activated from the keyboard shows itself pressed for a
   * moment before it emits "clicked". */
  ui_test_settle (300);
}

/**
 * ui_test_click_button:
 *
 * Finds the button reading @label under @root and clicks it.
 */
void
ui_test_click_button (GtkWidget  *root,
                      const char *label)
{
  GtkWidget *button = ui_test_find_button (root, label);

  if (button == NULL)
    g_error ("no button “%s” on screen in %s", label, G_OBJECT_TYPE_NAME (root));
  ui_test_click (button);
}

/**
 * ui_test_activate_list_item:
 *
 * Activates the row at @position as a click on it does (the list's own
 * `list.activate-item` action). Counts one click.
 */
void
ui_test_activate_list_item (GtkListView *view,
                            guint        position)
{
  assert_usable (GTK_WIDGET (view));
  n_clicks++;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "list.activate-item", "u",
                                             position));
  ui_test_settle (300);
}

/**
 * ui_test_list_position:
 *
 * Returns: where @item is among the rows of @view (the row a person
 *   would click to reach it); fails the test when it is not listed
 */
guint
ui_test_list_position (GtkListView *view,
                       gpointer     item)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (view));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) row_item = g_list_model_get_item (model, i);
      gpointer shown = VOUCH_IS_LIST_SLOT (row_item) ? vouch_list_slot_get_item (VOUCH_LIST_SLOT (row_item))
                                                     : row_item;

      if (shown == item)
        return i;
    }
  g_error ("%s %p is not listed", G_OBJECT_TYPE_NAME (item), item);
}

/**
 * ui_test_type:
 *
 * Types @text into @editable (an entry or an entry row on screen), as a
 * person's typing replaces its text. Counts one group of keystrokes.
 */
void
ui_test_type (GtkWidget  *editable,
              const char *text)
{
  assert_usable (editable);
  g_assert_true (GTK_IS_EDITABLE (editable));
  n_typing++;
  gtk_widget_grab_focus (editable);
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
  ui_test_settle (50);
}

/**
 * ui_test_press_enter:
 *
 * Presses Enter in @editable (an entry or an entry row), as a person does
 * to submit what they typed: the text widget inside emits "activate", as
 * its key binding for Enter does, so the row's "entry-activated" runs. Counts one click.
 */
void
ui_test_press_enter (GtkWidget *editable)
{
  GtkEditable *text = GTK_EDITABLE (editable);

  assert_usable (editable);
  while (gtk_editable_get_delegate (text) != NULL)
    text = gtk_editable_get_delegate (text);
  g_assert_true (GTK_IS_TEXT (text));
  n_clicks++;
  gtk_widget_grab_focus (GTK_WIDGET (text));
  /* GtkText binds Enter to its "activate" signal. */
  g_signal_emit_by_name (text, "activate");
  ui_test_settle (100);
}

typedef struct
{
  GType      type;
  GtkWindow *found;
} ToplevelWait;

static gboolean
toplevel_shown (gpointer user_data)
{
  ToplevelWait *wait = user_data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, wait->type) &&
          gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          wait->found = window;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * ui_test_wait_toplevel:
 *
 * Waits, for at most @seconds, until a window of @type is on screen, as a
 * dialog opened by a click appears.
 *
 * Returns: (transfer none) (nullable): the window, or %NULL if none came
 */
GtkWindow *
ui_test_wait_toplevel (GType type,
                       guint seconds)
{
  ToplevelWait wait = { type, NULL };

  if (!ui_test_wait (toplevel_shown, &wait, seconds))
    return NULL;
  return wait.found;
}

/**
 * ui_test_drop_file:
 *
 * Drops @file on @widget through the widget's own drop target, as a file
 * dragged from a file manager arrives.
 *
 * Returns: whether the drop target accepted it
 */
gboolean
ui_test_drop_file (GtkWidget *widget,
                   GFile     *file)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target = NULL;
  gboolean accepted = FALSE;
  GSList files = { file, NULL };

  for (guint i = 0; target == NULL && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, &files);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  return accepted;
}
