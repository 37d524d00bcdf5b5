/* vouch-bulk-dialog.h: review, sign and install many devices at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_BULK_DIALOG (vouch_bulk_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VouchBulkDialog, vouch_bulk_dialog, VOUCH, BULK_DIALOG, AdwWindow)

VouchBulkDialog *vouch_bulk_dialog_new               (VouchApplication *application,
                                                      GListModel       *devices);
void             vouch_bulk_dialog_present_for       (VouchApplication *application,
                                                      GListModel       *devices,
                                                      GtkWindow        *parent);
void             vouch_bulk_dialog_set_renew_trusted (VouchBulkDialog  *self,
                                                      gboolean          renew);
gboolean         vouch_bulk_dialog_get_renew_trusted (VouchBulkDialog  *self);
void             vouch_bulk_dialog_cancel            (VouchBulkDialog  *self);
guint            vouch_bulk_dialog_get_n_failed      (VouchBulkDialog  *self);
guint            vouch_bulk_dialog_get_n_trusted     (VouchBulkDialog  *self);

G_END_DECLS
