/* vouch-certificates-page-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-certificates-page.h"
#include "vouch-renewal-progress.h"

G_BEGIN_DECLS

/* Shared by vouch-certificates-page.c (the list) and
 * vouch-certificates-page-actions.c (what is done to a certificate). */
/* inventory entries → filter (search, expiring soon) → sort (the column
 * view's sorter) → single selection → column view. The entries are read
 * again whenever the inventory changes. */
struct _VouchCertificatesPage
{
  AdwBin               parent_instance;

  VouchApplication    *application;
  GListStore          *entries;
  GtkFilterListModel  *filter_model;
  GtkSortListModel    *sort_model;
  GtkSingleSelection  *selection;
  GtkCustomFilter     *filter;
  char                *search;
  GCancellable        *cancellable;
  guint                busy;
  guint                narrow_idle_id;
  gboolean             expiring_only;
  gboolean             narrow;

  GtkSearchEntry      *search_entry;
  GtkToggleButton     *expiring_toggle;
  VouchRenewalProgress *progress;
  VouchExpiryTimeline *timeline;
  GtkStack            *list_stack;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *device_column;
  GtkColumnViewColumn *names_column;
  GtkColumnViewColumn *serial_column;
  GtkColumnViewColumn *expiry_column;
  GtkColumnViewColumn *status_column;
  GtkRevealer         *queue_revealer;
  GtkLabel            *queue_label;
  GtkListView         *queue_view;
  GtkLabel            *selection_label;
};

VouchInventory        *_vouch_certificates_page_get_inventory     (VouchCertificatesPage *self);
VouchCertificateEntry *_vouch_certificates_page_get_selected      (VouchCertificatesPage *self);
void                   _vouch_certificates_page_update_state      (VouchCertificatesPage *self);
void                   _vouch_certificates_page_add_busy          (VouchCertificatesPage *self,
                                                                   int                    delta);

void                   _vouch_certificates_page_renew_action      (GtkWidget             *widget,
                                                                   const char            *action_name,
                                                                   GVariant              *parameter);
void                   _vouch_certificates_page_revoke_action     (GtkWidget             *widget,
                                                                   const char            *action_name,
                                                                   GVariant              *parameter);
void                   _vouch_certificates_page_export_crl_action (GtkWidget             *widget,
                                                                   const char            *action_name,
                                                                   GVariant              *parameter);
void                   _vouch_certificates_page_renew_due_action  (GtkWidget             *widget,
                                                                   const char            *action_name,
                                                                   GVariant              *parameter);

/* For tests: the list's state. */
GListModel            *_vouch_certificates_page_get_model          (VouchCertificatesPage    *self);
GtkSelectionModel     *_vouch_certificates_page_get_selection      (VouchCertificatesPage    *self);
VouchExpiryTimeline   *_vouch_certificates_page_get_timeline       (VouchCertificatesPage    *self);
void                   _vouch_certificates_page_set_expiring_only  (VouchCertificatesPage    *self,
                                                                    gboolean                  expiring_only);
void                   _vouch_certificates_page_set_search         (VouchCertificatesPage    *self,
                                                                    const char               *text);

G_END_DECLS
