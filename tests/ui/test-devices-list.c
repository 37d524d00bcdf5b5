/* test-devices-list.c: the devices list's model chain: the slots that
 * keep rows across a search, and the rows of the real page following
 * searches and the selection, which the check boxes and Select All make
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"
#include "vouch-device-row.h"
#include "vouch-devices-page-private.h"
#include "vouch-devices-page.h"
#include "vouch-list-slot.h"
#include "vouch-slot-selection.h"
#include "vouch-slot-selection-private.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
record_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
record_selection_cb (GtkSelectionModel *model,
                     guint              position,
                     guint              n_items,
                     GArray            *changes)
{
  Change change = { position, n_items, n_items };

  g_array_append_val (changes, change);
}

static const char *
slot_string (GListModel *slots,
             guint       position)
{
  g_autoptr(VouchListSlot) slot = g_list_model_get_item (slots, position);

  return gtk_string_object_get_string (vouch_list_slot_get_item (slot));
}

static void
assert_change (GArray *changes,
               guint   index,
               guint   position,
               guint   removed,
               guint   added)
{
  Change *change;

  g_assert_cmpuint (index, <, changes->len);
  change = &g_array_index (changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

static void
test_slots_follow_items (void)
{
  const char *initial[] = { "a", "b", "c", "d", NULL };
  const char *replacement[] = { "x", "y", NULL };
  const char *inserted[] = { "z", NULL };
  g_autoptr(GtkStringList) strings = gtk_string_list_new (initial);
  g_autoptr(GtkMultiSelection) selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (strings)));
  g_autoptr(VouchSlotSelection) slots = vouch_slot_selection_new (GTK_SELECTION_MODEL (selection));
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(VouchListSlot) first = NULL;
  g_autoptr(VouchListSlot) second = NULL;
  g_autoptr(VouchListSlot) again = NULL;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (slots)) == VOUCH_TYPE_LIST_SLOT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 4);
  g_assert_cmpstr (slot_string (G_LIST_MODEL (slots), 2), ==, "c");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (slots), 4));
  first = g_list_model_get_item (G_LIST_MODEL (slots), 0);
  second = g_list_model_get_item (G_LIST_MODEL (slots), 1);
  g_signal_connect (slots, "items-changed", G_CALLBACK (record_change_cb), changes);

  /* Three items replaced by two: the first two slots stay and hold the
   * new items, and only the one left over is removed. */
  gtk_string_list_splice (strings, 0, 3, replacement);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 2, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 3);
  again = g_list_model_get_item (G_LIST_MODEL (slots), 0);
  g_assert_true (again == first);
  g_assert_cmpstr (gtk_string_object_get_string (vouch_list_slot_get_item (first)), ==, "x");
  g_assert_cmpstr (gtk_string_object_get_string (vouch_list_slot_get_item (second)), ==, "y");
  g_assert_cmpstr (slot_string (G_LIST_MODEL (slots), 2), ==, "d");

  /* An insertion is an insertion: the slots after it move along with
   * their items. */
  gtk_string_list_splice (strings, 1, 0, inserted);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, 1, 0, 1);
  g_assert_cmpstr (slot_string (G_LIST_MODEL (slots), 1), ==, "z");
  g_clear_object (&again);
  again = g_list_model_get_item (G_LIST_MODEL (slots), 2);
  g_assert_true (again == second);
  g_assert_cmpstr (gtk_string_object_get_string (vouch_list_slot_get_item (second)), ==, "y");

  /* Everything removed. */
  gtk_string_list_splice (strings, 0, 4, NULL);
  assert_change (changes, 2, 0, 4, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 0);
}

static void
test_slots_selection (void)
{
  g_autoptr(GListStore) strings = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GtkMultiSelection) selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (strings)));
  g_autoptr(VouchSlotSelection) slots = vouch_slot_selection_new (GTK_SELECTION_MODEL (selection));
  GtkSelectionModel *model = GTK_SELECTION_MODEL (slots);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GtkBitset) selected = NULL;
  GtkStringObject *items[4];
  gpointer reversed[4];

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      char name[] = { (char)('a' + i), '\0' };

      items[i] = gtk_string_object_new (name);
      reversed[G_N_ELEMENTS (items) - 1 - i] = items[i];
    }
  g_list_store_splice (strings, 0, 0, (gpointer *)items, G_N_ELEMENTS (items));

  g_assert_true (_vouch_slot_selection_get_model (slots) == GTK_SELECTION_MODEL (selection));
  g_signal_connect (slots, "selection-changed", G_CALLBACK (record_selection_cb), changes);

  /* Selecting through the slots selects in the model below, and what the
   * model below reports reaches the slots' watchers. */
  g_assert_true (gtk_selection_model_select_item (model, 1, TRUE));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection), 1));
  g_assert_true (gtk_selection_model_is_selected (model, 1));
  g_assert_cmpuint (changes->len, >=, 1);
  g_assert_true (gtk_selection_model_select_range (model, 2, 2, FALSE));
  selected = gtk_selection_model_get_selection (model);
  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 3);
  g_clear_pointer (&selected, gtk_bitset_unref);
  g_assert_true (gtk_selection_model_unselect_item (model, 3));
  g_assert_true (gtk_selection_model_unselect_all (model));
  g_assert_false (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection), 1));
  g_assert_true (gtk_selection_model_select_all (model));
  g_assert_true (gtk_selection_model_unselect_range (model, 0, 3));
  g_assert_true (gtk_selection_model_is_selected (model, 3));

  /* A slot that now holds another item may change from selected to not:
   * the kept range is reported, or rows would show the old state. "d"
   * stays selected and moves to the front. */
  g_array_set_size (changes, 0);
  g_list_store_splice (strings, 0, 4, reversed, G_N_ELEMENTS (reversed));
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 4, 4);
  g_assert_true (gtk_selection_model_is_selected (model, 0));
  g_assert_false (gtk_selection_model_is_selected (model, 3));

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    g_object_unref (items[i]);
}

/* Pacing ------------------------------------------------------------------ */

/* The list as a list view sees it, rebuilt from the changes alone: the
 * slots it was given, each showing whatever item it holds now. */
static void
mirror_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GPtrArray  *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->len);
  g_ptr_array_remove_range (mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror, position + i, g_list_model_get_item (model, position + i));
  g_assert_cmpuint (mirror->len, ==, g_list_model_get_n_items (model));
}

/* The list view's list is the start of the model's, and the rest is still
 * to come. */
static void
assert_mirror_matches (GPtrArray          *mirror,
                       VouchSlotSelection *slots,
                       GListModel         *strings)
{
  g_assert_cmpuint (mirror->len + _vouch_slot_selection_get_n_pending (slots), ==,
                    g_list_model_get_n_items (strings));
  for (guint i = 0; i < mirror->len; i++)
    {
      VouchListSlot *slot = g_ptr_array_index (mirror, i);

      g_assert_cmpstr (gtk_string_object_get_string (vouch_list_slot_get_item (slot)), ==,
                       gtk_string_list_get_string (GTK_STRING_LIST (strings), i));
    }
}

static gboolean
nothing_pending (gpointer slots)
{
  return _vouch_slot_selection_get_n_pending (slots) == 0;
}

static char **
numbered_strings (const char *prefix,
                  guint       n)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item = g_strdup_printf ("%s%04u", prefix, i);

      g_strv_builder_add (builder, item);
    }
  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

/* A short list that grows by a lot shows a screenful now and the rest
 * over the next frames; the changes always describe the list exactly,
 * also when the model changes again before everything is shown. */
static void
test_slots_pacing (void)
{
  const char *one[] = { "only", NULL };
  g_auto(GStrv) many = numbered_strings ("item ", 1000);
  g_auto(GStrv) other = numbered_strings ("other ", 300);
  g_autoptr(GtkStringList) strings = gtk_string_list_new (one);
  g_autoptr(GtkMultiSelection) selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (strings)));
  g_autoptr(VouchSlotSelection) slots = vouch_slot_selection_new (GTK_SELECTION_MODEL (selection));
  g_autoptr(GPtrArray) mirror = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list_view = gtk_list_view_new (g_object_ref (GTK_SELECTION_MODEL (slots)),
                                            g_object_ref (factory));
  guint n_shown;

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list_view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 400);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_settle (100);
  g_assert_true (gtk_widget_get_mapped (list_view));

  mirror_change_cb (G_LIST_MODEL (slots), 0, 0, 1, mirror);
  g_signal_connect (slots, "items-changed", G_CALLBACK (mirror_change_cb), mirror);

  /* Without a pacer everything is shown at once. */
  gtk_string_list_splice (strings, 0, 1, (const char * const *)many);
  g_assert_cmpuint (_vouch_slot_selection_get_n_pending (slots), ==, 0);
  assert_mirror_matches (mirror, slots, G_LIST_MODEL (strings));
  gtk_string_list_splice (strings, 0, 1000, one);
  assert_mirror_matches (mirror, slots, G_LIST_MODEL (strings));

  vouch_slot_selection_set_pacer (slots, list_view);
  gtk_string_list_splice (strings, 0, 1, (const char * const *)many);
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (slots));
  g_assert_cmpuint (n_shown, >, 1);
  g_assert_cmpuint (n_shown, <, 100);
  g_assert_cmpuint (_vouch_slot_selection_get_n_pending (slots), ==, 1000 - n_shown);
  g_assert_cmpstr (slot_string (G_LIST_MODEL (slots), 0), ==, "item 0000");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (slots), n_shown));

  /* Selecting everything selects the items not shown yet too. */
  g_assert_true (gtk_selection_model_select_all (GTK_SELECTION_MODEL (slots)));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection), 999));

  g_assert_true (ui_test_wait (nothing_pending, slots, 10));
  assert_mirror_matches (mirror, slots, G_LIST_MODEL (strings));

  /* Changes while items are still to come: at the front, in the hidden
   * tail, and a shrink below what is shown. */
  gtk_string_list_splice (strings, 0, 1000, one);
  gtk_string_list_splice (strings, 1, 0, (const char * const *)many);
  g_assert_cmpuint (_vouch_slot_selection_get_n_pending (slots), >, 0);
  gtk_string_list_splice (strings, 0, 1, (const char * const *)other);
  gtk_string_list_splice (strings, 900, 10, NULL);
  gtk_string_list_splice (strings, 5, 3, one);
  assert_mirror_matches (mirror, slots, G_LIST_MODEL (strings));
  g_assert_true (ui_test_wait (nothing_pending, slots, 10));
  assert_mirror_matches (mirror, slots, G_LIST_MODEL (strings));
  gtk_string_list_splice (strings, 0, 2, NULL);
  gtk_string_list_splice (strings, 10, g_list_model_get_n_items (G_LIST_MODEL (strings)) - 10, NULL);
  assert_mirror_matches (mirror, slots, G_LIST_MODEL (strings));

  /* A pacer that is not on screen shows everything at once. */
  gtk_widget_set_visible (window, FALSE);
  gtk_string_list_splice (strings, 0, 0, (const char * const *)many);
  g_assert_cmpuint (_vouch_slot_selection_get_n_pending (slots), ==, 0);
  assert_mirror_matches (mirror, slots, G_LIST_MODEL (strings));

  g_signal_handlers_disconnect_by_func (slots, mirror_change_cb, mirror);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (50);
}

/* The real page ------------------------------------------------------------ */

#define N_DEVICES 300

/* Devices 000 to 299; even ones are "Alpha Cam", odd ones "Beta Cam", so a
 * search for one model leaves half of them. */
static GListModel *
devices_new (void)
{
  GListStore *store = g_list_store_new (VOUCH_TYPE_DEVICE);

  for (guint i = 0; i < N_DEVICES; i++)
    {
      g_autofree char *id = g_strdup_printf ("device-%03u", i);
      g_autofree char *name = g_strdup_printf ("Device %03u", i);
      g_autofree char *address = g_strdup_printf ("10.1.%u.%u", i / 200, i % 200 + 1);
      const char *addresses[] = { address, NULL };
      g_autoptr(VouchDevice) device = vouch_device_new (id, VOUCH_DEVICE_KIND_VOUCH);

      vouch_device_set_name (device, name);
      vouch_device_set_model (device, i % 2 == 0 ? "Alpha Cam" : "Beta Cam");
      vouch_device_set_addresses (device, addresses);
      vouch_device_set_online (device, TRUE);
      g_list_store_append (store, device);
    }
  return G_LIST_MODEL (store);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (VOUCH_IS_DEVICE_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static gboolean
model_contains (GListModel  *model,
                VouchDevice *device,
                guint       *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VouchDevice) item = g_list_model_get_item (model, i);

      if (item == device)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Every row the list view holds shows a device that is in the list, no
 * device twice, each with the check box and label of its own; the first
 * devices of the list are all shown. */
static void
assert_rows_match (VouchDevicesPage *page)
{
  GListModel *model = _vouch_devices_page_get_model (page);
  GtkSelectionModel *selection = _vouch_devices_page_get_selection (page);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GHashTable) shown = g_hash_table_new (NULL, NULL);
  guint n = g_list_model_get_n_items (model);

  ui_test_settle (200);
  collect_rows (GTK_WIDGET (page), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      VouchDeviceRow *row = g_ptr_array_index (rows, i);
      VouchDevice *device = vouch_device_row_get_device (row);
      GtkWidget *name_label;
      guint position = GTK_INVALID_LIST_POSITION;

      if (device == NULL)
        continue;

      g_assert_true (model_contains (model, device, &position));
      g_assert_false (g_hash_table_contains (shown, device));
      g_hash_table_add (shown, device);
      name_label = ui_test_find_labelled (GTK_WIDGET (row), GTK_TYPE_LABEL,
                                          vouch_device_get_name (device));
      g_assert_nonnull (name_label);
      g_assert_cmpint (gtk_check_button_get_active (vouch_device_row_get_check (row)), ==,
                       gtk_selection_model_is_selected (selection, position));
    }

  for (guint i = 0; i < MIN (n, 20); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);

      g_assert_true (g_hash_table_contains (shown, device));
    }
}

static guint
position_of (VouchDevicesPage *page,
             const char       *name)
{
  GListModel *model = _vouch_devices_page_get_model (page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);

      if (g_strcmp0 (vouch_device_get_name (device), name) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
test_page_search (void)
{
  VouchWindow *window = ui_test_new_window (1100, 720);
  VouchDevicesPage *page = VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window),
                                                             VOUCH_TYPE_DEVICES_PAGE));
  g_autoptr(GListModel) devices = devices_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  GtkSelectionModel *selection;
  GtkAdjustment *vadjustment;
  GListModel *model;

  g_assert_nonnull (page);
  selection = _vouch_devices_page_get_selection (page);
  model = _vouch_devices_page_get_model (page);
  _vouch_devices_page_set_source (page, devices);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DEVICES);
  assert_rows_match (page);

  /* An odd device stays selected through a search for its model, and the
   * results start at the top however far down the list was. */
  g_assert_true (gtk_selection_model_select_item (selection, position_of (page, "Device 005"),
                                                  TRUE));
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (_vouch_devices_page_get_list_view (page)));
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
  ui_test_settle (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);
  _vouch_devices_page_set_search (page, "beta cam");
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, gtk_adjustment_get_lower (vadjustment));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DEVICES / 2);
  g_assert_cmpuint (position_of (page, "Device 005"), ==, 2);
  g_assert_true (gtk_selection_model_is_selected (selection, 2));
  assert_rows_match (page);

  /* Narrower, to fewer devices than the list view keeps rows for, to
   * none, and back to all of them. Replacing one search by another goes
   * straight from one list to the other, not through every device. */
  g_signal_connect (model, "items-changed", G_CALLBACK (record_change_cb), changes);
  _vouch_devices_page_set_search (page, "device 00");
  g_signal_handlers_disconnect_by_func (model, record_change_cb, changes);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  g_assert_true (gtk_selection_model_is_selected (selection, position_of (page, "Device 005")));
  assert_rows_match (page);

  _vouch_devices_page_set_search (page, "no such device");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  _vouch_devices_page_set_search (page, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DEVICES);
  assert_rows_match (page);

  /* A device renamed while shown: its row follows it. */
  {
    g_autoptr(VouchDevice) first = g_list_model_get_item (model, 0);

    vouch_device_set_name (first, "Device 000 renamed");
    ui_test_settle (100);
    g_assert_nonnull (ui_test_find_labelled (GTK_WIDGET (page), GTK_TYPE_LABEL,
                                             "Device 000 renamed"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
}

static GtkCheckButton *
select_all_check (VouchDevicesPage *page)
{
  GtkWidget *label = ui_test_find_labelled (GTK_WIDGET (page), GTK_TYPE_LABEL, "Select _All");

  g_assert_nonnull (label);
  return GTK_CHECK_BUTTON (gtk_widget_get_ancestor (label, GTK_TYPE_CHECK_BUTTON));
}

static guint
n_selected (VouchDevicesPage *page)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (_vouch_devices_page_get_selection (page));

  return (guint)gtk_bitset_get_size (selected);
}

static void
click (GtkWidget *widget)
{
  g_assert_true (gtk_widget_activate (widget));
  ui_test_settle (100);
}

/* Select All marks every device shown, a row's box unmarks one, and the
 * box under the list shows all, some or none; so does Ctrl+A's action. */
static void
test_page_select_all (void)
{
  VouchWindow *window = ui_test_new_window (1100, 720);
  VouchDevicesPage *page = VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window),
                                                             VOUCH_TYPE_DEVICES_PAGE));
  g_autoptr(GListModel) devices = devices_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkCheckButton *all = select_all_check (page);

  _vouch_devices_page_set_source (page, devices);
  ui_test_settle (200);
  g_assert_false (gtk_check_button_get_active (all));

  click (GTK_WIDGET (all));
  g_assert_cmpuint (n_selected (page), ==, N_DEVICES);
  g_assert_true (gtk_check_button_get_active (all));
  g_assert_false (gtk_check_button_get_inconsistent (all));
  assert_rows_match (page);

  collect_rows (GTK_WIDGET (page), rows);
  g_assert_cmpuint (rows->len, >, 0);
  click (GTK_WIDGET (vouch_device_row_get_check (g_ptr_array_index (rows, 0))));
  g_assert_cmpuint (n_selected (page), ==, N_DEVICES - 1);
  g_assert_true (gtk_check_button_get_inconsistent (all));
  assert_rows_match (page);

  click (GTK_WIDGET (all));
  g_assert_cmpuint (n_selected (page), ==, N_DEVICES);
  click (GTK_WIDGET (all));
  g_assert_cmpuint (n_selected (page), ==, 0);
  g_assert_false (gtk_check_button_get_inconsistent (all));
  assert_rows_match (page);

  /* Only the devices a search shows are marked. */
  _vouch_devices_page_set_search (page, "beta cam");
  click (GTK_WIDGET (all));
  g_assert_cmpuint (n_selected (page), ==, N_DEVICES / 2);
  _vouch_devices_page_set_search (page, "");
  g_assert_cmpuint (n_selected (page), ==, N_DEVICES / 2);
  g_assert_true (gtk_check_button_get_inconsistent (all));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "devices.select-all", NULL));
  g_assert_cmpuint (n_selected (page), ==, N_DEVICES);
  assert_rows_match (page);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
}

int
main (int    argc,
      char **argv)
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/devices-list/slots-follow-items", test_slots_follow_items);
  g_test_add_func ("/devices-list/slots-selection", test_slots_selection);
  g_test_add_func ("/devices-list/slots-pacing", test_slots_pacing);
  g_test_add_func ("/devices-list/page-search", test_page_search);
  g_test_add_func ("/devices-list/page-select-all", test_page_select_all);

  return g_test_run ();
}
