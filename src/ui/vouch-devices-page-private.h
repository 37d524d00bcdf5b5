/* vouch-devices-page-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-devices-page.h"
#include "vouch-device-page.h"
#include "vouch-slot-selection.h"

G_BEGIN_DECLS

/* Shared by vouch-devices-page.c (the list) and vouch-devices-page-sort.c
 * (its search and order).
 *
 * discovery → sort → filter (search) → multi-selection → slots → list
 * view. The discovery model is live: devices appear, change and leave
 * while the page is shown. Sorting comes first so that a search, which
 * keeps the order, never sorts again; the slots let the list view keep
 * its rows when a search replaces the devices it shows
 * (vouch-slot-selection.c). */
struct _VouchDevicesPage
{
  AdwBin              parent_instance;

  VouchApplication   *application;
  GtkSortListModel   *sort_model;
  GtkFilterListModel *filter_model;
  GtkMultiSelection  *selection;
  VouchSlotSelection *rows;
  GtkCustomFilter    *filter;
  GtkCustomSorter    *sorter;
  GPtrArray          *spare_rows;
  VouchDevice        *open_device;
  GHashTable         *expiry_by_device;
  char               *search;
  gint64              sort_now;
  guint               sort_key;

  AdwLeaflet         *leaflet;
  GtkRevealer        *status_revealer;
  GtkLabel           *status_label;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *sort_dropdown;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  GtkCheckButton     *select_all_check;
  GtkLabel           *selection_label;
  GtkActionBar       *action_bar;
  VouchDevicePage    *device_page;
};

/* Called once from class_init, before any device is searched or sorted. */
void     _vouch_devices_page_class_init_keys (void);
gboolean _vouch_devices_page_filter_func     (gpointer      item,
                                              gpointer      user_data);
int      _vouch_devices_page_sort_func       (gconstpointer a,
                                              gconstpointer b,
                                              gpointer      user_data);

/* For tests and benchmarks: their own devices, and the list's state. */
void                _vouch_devices_page_set_source    (VouchDevicesPage         *self,
                                                       GListModel               *devices);
GListModel         *_vouch_devices_page_get_model     (VouchDevicesPage         *self);
GtkSelectionModel  *_vouch_devices_page_get_selection (VouchDevicesPage         *self);
GtkListView        *_vouch_devices_page_get_list_view (VouchDevicesPage         *self);
void                _vouch_devices_page_set_search    (VouchDevicesPage         *self,
                                                       const char               *text);

G_END_DECLS
