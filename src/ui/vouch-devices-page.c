/* vouch-devices-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-devices-page-private.h"

#include "vouch-add-device-dialog.h"
#include "vouch-bulk-dialog.h"
#include "vouch-device-page.h"
#include "vouch-device-row.h"
#include "vouch-device-status.h"
#include "vouch-list-slot.h"
#include "vouch-slot-selection.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

enum {
  PROP_0,
  PROP_DETAILS_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchDevicesPage, vouch_devices_page, ADW_TYPE_BIN)

/* About as many rows as GtkListView keeps (GTK_LIST_VIEW_MAX_LIST_ITEMS
 * is 200), so that a search that shrinks the list to a few devices and
 * one that widens it again pass the same rows back and forth. */
#define MAX_SPARE_ROWS 256

static GQuark row_quark;

static void
select_all_toggled_cb (VouchDevicesPage *self)
{
  if (gtk_check_button_get_active (self->select_all_check))
    gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
  else
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

static void
update_state (VouchDevicesPage *self)
{
  guint total = 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n_selected = gtk_bitset_get_size (selected);
  g_autofree char *label = NULL;
  GListModel *source = gtk_sort_list_model_get_model (self->sort_model);

  if (source != NULL)
    total = g_list_model_get_n_items (source);

  if (total == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "list");

  /* Translators: the number of selected devices. */
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u selected", "%u selected",
                                        (gulong)n_selected), (guint)n_selected);
  gtk_label_set_label (self->selection_label, n_selected > 0 ? label : "");

  /* The box shows all, some or none of the devices shown as marked. */
  g_signal_handlers_block_by_func (self->select_all_check, select_all_toggled_cb, self);
  gtk_check_button_set_active (self->select_all_check, shown > 0 && n_selected >= shown);
  gtk_check_button_set_inconsistent (self->select_all_check, n_selected > 0 && n_selected < shown);
  g_signal_handlers_unblock_by_func (self->select_all_check, select_all_toggled_cb, self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->select_all_check), shown > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "devices.sign-selected", n_selected > 0);
  gtk_action_bar_set_revealed (self->action_bar, total > 0);
}

static void
search_changed_cb (VouchDevicesPage *self)
{
  g_autofree char *old = g_steal_pointer (&self->search);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;
  GtkAdjustment *vadjustment;

  self->search = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  if (g_strcmp0 (old, self->search) == 0)
    return;

  /* The rows keep their places when the devices shown change; a new
   * search's results start at the top, as anywhere else. */
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));
  if (vadjustment != NULL)
    gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));

  /* Typing on narrows the list and deleting widens it: GTK then re-checks
   * only the devices that can change. */
  if (old != NULL && strstr (self->search, old) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (old != NULL && strstr (old, self->search) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  gtk_filter_changed (GTK_FILTER (self->filter), change);
}

static void
sort_changed_cb (VouchDevicesPage *self)
{
  self->sort_key = gtk_drop_down_get_selected (self->sort_dropdown);
  self->sort_now = g_get_real_time () / G_USEC_PER_SEC;
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
}

/* On a narrow window the window's header bar has the back button and the
 * device's name (see details-title). */
static void
folded_cb (VouchDevicesPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_TITLE]);
}

/* The row of the device open beside the list looks as a selected row
 * does in a sidebar; marked rows do not (style.css). The class is on the
 * list view's own row widget, around the device row. */
static void
update_open (VouchDevicesPage *self,
             VouchDeviceRow   *row)
{
  GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (row));

  if (item == NULL)
    return;
  if (self->open_device != NULL && vouch_device_row_get_device (row) == self->open_device)
    gtk_widget_add_css_class (item, "open");
  else
    gtk_widget_remove_css_class (item, "open");
}

void
vouch_devices_page_show_device (VouchDevicesPage *self,
                                VouchDevice      *device)
{
  g_return_if_fail (VOUCH_IS_DEVICES_PAGE (self));

  g_set_object (&self->open_device, device);
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    if (VOUCH_IS_DEVICE_ROW (gtk_widget_get_first_child (item)))
      update_open (self, VOUCH_DEVICE_ROW (gtk_widget_get_first_child (item)));

  vouch_device_page_set_device (self->device_page, device);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->device_page));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_TITLE]);
}

/**
 * vouch_devices_page_get_details_title:
 *
 * Returns: (nullable): the name of the device whose details replace the
 *   list on a narrow window, for the window's header bar; %NULL while the
 *   list is shown
 */
const char *
vouch_devices_page_get_details_title (VouchDevicesPage *self)
{
  VouchDevice *device;

  g_return_val_if_fail (VOUCH_IS_DEVICES_PAGE (self), NULL);

  if (!adw_leaflet_get_folded (self->leaflet) ||
      adw_leaflet_get_visible_child (self->leaflet) != GTK_WIDGET (self->device_page))
    return NULL;
  device = vouch_device_page_get_device (self->device_page);
  return device != NULL ? vouch_device_get_name (device) : NULL;
}

/**
 * vouch_devices_page_navigate_back:
 *
 * Goes from a device's details back to the list, on a narrow window.
 */
void
vouch_devices_page_navigate_back (VouchDevicesPage *self)
{
  g_return_if_fail (VOUCH_IS_DEVICES_PAGE (self));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
vouch_devices_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VouchDevicesPage *self = VOUCH_DEVICES_PAGE (object);

  switch (prop_id)
    {
    case PROP_DETAILS_TITLE:
      g_value_set_string (value, vouch_devices_page_get_details_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
row_activated_cb (VouchDevicesPage *self,
                  guint             position)
{
  g_autoptr(VouchDevice) device = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (device != NULL)
    vouch_devices_page_show_device (self, device);
}

static void
check_toggled_cb (GtkCheckButton *check,
                  GtkListItem    *item)
{
  GtkSelectionModel *model = g_object_get_data (G_OBJECT (item), "vouch-selection");
  guint position = gtk_list_item_get_position (item);
  gboolean active = gtk_check_button_get_active (check);

  if (position == GTK_INVALID_LIST_POSITION || active == gtk_list_item_get_selected (item))
    return;

  if (active)
    gtk_selection_model_select_item (model, position, FALSE);
  else
    gtk_selection_model_unselect_item (model, position);
}

static void
item_selected_cb (GtkListItem    *item,
                  GParamSpec     *pspec,
                  GtkCheckButton *check)
{
  if (gtk_check_button_get_active (check) != gtk_list_item_get_selected (item))
    gtk_check_button_set_active (check, gtk_list_item_get_selected (item));
}

/* The list view drops the list items of rows that scroll or are filtered
 * away, and builds new ones for rows that come back. Building a device
 * row from its template costs more than GTK's list item around it, so
 * the page keeps the rows it is given back and hands them out again. The
 * list item holds the page's reference to its row (row_quark), as GTK 4.8
 * drops its own before emitting "teardown". */
static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          VouchDevicesPage         *self)
{
  VouchDeviceRow *row;

  if (self->spare_rows->len > 0)
    row = g_ptr_array_steal_index_fast (self->spare_rows, self->spare_rows->len - 1);
  else
    row = g_object_ref_sink (vouch_device_row_new ());

  g_object_set_qdata (G_OBJECT (item), row_quark, row);
  g_object_set_data (G_OBJECT (item), "vouch-selection", self->selection);
  /* A click on a row opens the device (the list view activates rows on
   * one click); only the row's check box marks it for signing. A
   * selectable row would be marked by the click, and by the pointer
   * passing over it. */
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, GTK_WIDGET (row));
  g_signal_connect (vouch_device_row_get_check (row), "toggled", G_CALLBACK (check_toggled_cb),
                    item);
  g_signal_connect (item, "notify::selected", G_CALLBACK (item_selected_cb),
                    vouch_device_row_get_check (row));
}

static void
teardown_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             VouchDevicesPage         *self)
{
  VouchDeviceRow *row = g_object_steal_qdata (G_OBJECT (item), row_quark);

  if (row == NULL)
    return;

  g_signal_handlers_disconnect_by_func (vouch_device_row_get_check (row), check_toggled_cb, item);
  g_signal_handlers_disconnect_by_func (item, item_selected_cb, vouch_device_row_get_check (row));
  gtk_list_item_set_child (item, NULL);
  if (self->spare_rows != NULL && self->spare_rows->len < MAX_SPARE_ROWS)
    g_ptr_array_add (self->spare_rows, row);
  else
    g_object_unref (row);
}

static void
slot_item_cb (VouchListSlot  *slot,
              GParamSpec     *pspec,
              VouchDeviceRow *row)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (row), VOUCH_TYPE_DEVICES_PAGE);

  vouch_device_row_set_device (row, vouch_list_slot_get_item (slot));
  if (page != NULL)
    update_open (VOUCH_DEVICES_PAGE (page), row);
}

/* The list item's item is a slot whose device changes when a search or
 * the sort order moves another device to its position; the row follows. */
static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         VouchDevicesPage         *self)
{
  VouchDeviceRow *row = VOUCH_DEVICE_ROW (gtk_list_item_get_child (item));
  VouchListSlot *slot = gtk_list_item_get_item (item);

  g_signal_connect (slot, "notify::item", G_CALLBACK (slot_item_cb), row);
  vouch_device_row_set_device (row, vouch_list_slot_get_item (slot));
  update_open (self, row);
  gtk_check_button_set_active (vouch_device_row_get_check (row), gtk_list_item_get_selected (item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           VouchDevicesPage         *self)
{
  VouchDeviceRow *row = VOUCH_DEVICE_ROW (gtk_list_item_get_child (item));

  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), slot_item_cb, row);
  vouch_device_row_set_device (row, NULL);
}

static void
discovery_status_cb (VouchDevicesPage *self)
{
  VouchDiscovery *discovery = vouch_application_get_discovery (self->application);
  gboolean running = vouch_discovery_get_status (discovery) == VOUCH_DISCOVERY_STATUS_RUNNING;

  gtk_label_set_label (self->status_label, vouch_discovery_get_status_message (discovery));
  gtk_revealer_set_reveal_child (self->status_revealer, !running);
}

static void
apply_expiry (VouchDevicesPage *self,
              guint             position,
              guint             added)
{
  GListModel *model = gtk_sort_list_model_get_model (self->sort_model);

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);
      gpointer expiry = g_hash_table_lookup (self->expiry_by_device, vouch_device_get_id (device));

      if (expiry != NULL && vouch_device_get_certificate_expiry (device) == 0)
        vouch_device_set_certificate_expiry (device, *(gint64 *)expiry);
    }
}

static void
devices_changed_cb (GListModel       *model,
                    guint             position,
                    guint             removed,
                    guint             added,
                    VouchDevicesPage *self)
{
  apply_expiry (self, position, added);
  update_state (self);
}

/* The list shows how long each confirmed certificate has left, from the
 * inventory's record of active certificates. */
static void
load_expiries (VouchDevicesPage *self)
{
  VouchInventory *inventory = vouch_authority_get_inventory (vouch_application_get_authority (self->application));
  g_autoptr(GListModel) certs = vouch_inventory_list_certificates (inventory, NULL);
  guint n = certs != NULL ? g_list_model_get_n_items (certs) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchCertificate) cert = g_list_model_get_item (certs, i);
      const char *device_id = vouch_certificate_get_device_id (cert);
      gint64 *expiry;

      if (device_id == NULL || vouch_certificate_get_status (cert) != VOUCH_CERTIFICATE_STATUS_ACTIVE)
        continue;
      expiry = g_new (gint64, 1);
      *expiry = vouch_certificate_get_not_after (cert);
      g_hash_table_replace (self->expiry_by_device, g_strdup (device_id), expiry);
    }
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  VouchDevicesPage *self = VOUCH_DEVICES_PAGE (widget);
  VouchAddDeviceDialog *dialog;

  if (self->application == NULL)
    return;

  dialog = vouch_add_device_dialog_new (vouch_application_get_discovery (self->application));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (widget)));
  g_signal_connect_object (dialog, "device-added", G_CALLBACK (vouch_devices_page_show_device),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_selected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  VouchDevicesPage *self = VOUCH_DEVICES_PAGE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GListStore) devices = g_list_store_new (VOUCH_TYPE_DEVICE);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      g_list_store_append (devices, device);
    }

  vouch_bulk_dialog_present_for (self->application, G_LIST_MODEL (devices),
                                 GTK_WINDOW (gtk_widget_get_root (widget)));
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (VOUCH_DEVICES_PAGE (widget)->selection));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (VOUCH_DEVICES_PAGE (widget)->search_entry));
}

static void
vouch_devices_page_dispose (GObject *object)
{
  VouchDevicesPage *self = (VouchDevicesPage *)object;

  /* AdwBin unparents its child in its own dispose; detach it first so the
   * template's disposal does not leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_DEVICES_PAGE);
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);
  g_clear_object (&self->open_device);
  g_clear_object (&self->rows);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->sort_model);
  g_clear_pointer (&self->expiry_by_device, g_hash_table_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_devices_page_parent_class)->dispose (object);
}

static void
vouch_devices_page_class_init (VouchDevicesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_devices_page_dispose;
  object_class->get_property = vouch_devices_page_get_property;

  properties[PROP_DETAILS_TITLE] =
    g_param_spec_string ("details-title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VOUCH_TYPE_DEVICE_PAGE);
  row_quark = g_quark_from_static_string ("vouch-device-row");
  _vouch_devices_page_class_init_keys ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-devices-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, select_all_check);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, action_bar);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicesPage, device_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, select_all_toggled_cb);

  gtk_widget_class_install_action (widget_class, "devices.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "devices.sign-selected", NULL,
                                   sign_selected_action);
  gtk_widget_class_install_action (widget_class, "devices.search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "devices.select-all", NULL, select_all_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "devices.add",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "devices.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK,
                                       "devices.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "devices.sign-selected", NULL);
}

static void
vouch_devices_page_init (VouchDevicesPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->expiry_by_device = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sort_now = g_get_real_time () / G_USEC_PER_SEC;
  self->filter = gtk_custom_filter_new (_vouch_devices_page_filter_func, self, NULL);
  self->sorter = gtk_custom_sorter_new (_vouch_devices_page_sort_func, self, NULL);
  self->sort_model = gtk_sort_list_model_new (NULL, GTK_SORTER (self->sorter));
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                                  GTK_FILTER (self->filter));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  self->rows = vouch_slot_selection_new (GTK_SELECTION_MODEL (self->selection));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->rows));
  vouch_slot_selection_set_pacer (self->rows, GTK_WIDGET (self->list_view));

  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (update_state),
                            self);
  g_signal_connect_swapped (self->filter_model, "items-changed", G_CALLBACK (update_state), self);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (folded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::visible-child", G_CALLBACK (folded_cb), self,
                           G_CONNECT_SWAPPED);
  folded_cb (self);
  update_state (self);
}

void
vouch_devices_page_set_application (VouchDevicesPage *self,
                                    VouchApplication *application)
{
  VouchDiscovery *discovery;

  g_return_if_fail (VOUCH_IS_DEVICES_PAGE (self));

  if (self->application == application)
    return;

  g_set_weak_pointer (&self->application, application);
  discovery = vouch_application_get_discovery (application);
  vouch_device_page_set_application (self->device_page, application);

  load_expiries (self);
  g_signal_connect_object (discovery, "items-changed", G_CALLBACK (devices_changed_cb), self, 0);
  g_signal_connect_object (discovery, "notify::status", G_CALLBACK (discovery_status_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (discovery));
  apply_expiry (self, 0, g_list_model_get_n_items (G_LIST_MODEL (discovery)));
  discovery_status_cb (self);
  update_state (self);
}

GListModel *
_vouch_devices_page_get_model (VouchDevicesPage *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICES_PAGE (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

GtkSelectionModel *
_vouch_devices_page_get_selection (VouchDevicesPage *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICES_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

/**
 * _vouch_devices_page_get_list_view:
 *
 * Returns: (transfer none): the list of devices, for tests and benchmarks
 *   that scroll it
 */
GtkListView *
_vouch_devices_page_get_list_view (VouchDevicesPage *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICES_PAGE (self), NULL);
  return self->list_view;
}

/**
 * _vouch_devices_page_set_search:
 * @text: what to search for, as typed into the search entry
 *
 * Puts @text in the search entry and filters the list at once.
 */
void
_vouch_devices_page_set_search (VouchDevicesPage *self,
                                const char       *text)
{
  g_return_if_fail (VOUCH_IS_DEVICES_PAGE (self));

  /* Replacing the text empties the entry for a moment, and GtkSearchEntry
   * reports an empty search at once: the list would show every device
   * and then be filtered again. Only the new search counts. */
  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  search_changed_cb (self);
}

/**
 * _vouch_devices_page_set_source:
 * @devices: a #GListModel of #VouchDevice
 *
 * Shows @devices instead of the discovery model; for benchmarks and
 * tests that need thousands of devices.
 */
void
_vouch_devices_page_set_source (VouchDevicesPage *self,
                                GListModel       *devices)
{
  g_return_if_fail (VOUCH_IS_DEVICES_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (devices));

  gtk_sort_list_model_set_model (self->sort_model, devices);
  update_state (self);
}
