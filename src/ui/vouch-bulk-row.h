/* vouch-bulk-row.h: one device in the bulk dialog: what the person chose
 * for it and what happened to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-device.h"

G_BEGIN_DECLS

typedef enum
{
  VOUCH_BULK_ROW_WAITING,
  VOUCH_BULK_ROW_SKIPPED,
  VOUCH_BULK_ROW_RUNNING,
  VOUCH_BULK_ROW_TRUSTED,
  VOUCH_BULK_ROW_FAILED,
} VouchBulkRowState;

#define VOUCH_TYPE_BULK_ROW (vouch_bulk_row_get_type ())

G_DECLARE_FINAL_TYPE (VouchBulkRow, vouch_bulk_row, VOUCH, BULK_ROW, AdwExpanderRow)

VouchBulkRow      *vouch_bulk_row_new                (VouchDevice        *device,
                                                      const char * const *extra_names);
VouchDevice       *vouch_bulk_row_get_device         (VouchBulkRow       *self);
gboolean           vouch_bulk_row_get_trusted        (VouchBulkRow       *self);
gboolean           vouch_bulk_row_needs_code         (VouchBulkRow       *self);
gboolean           vouch_bulk_row_needs_verification (VouchBulkRow       *self);
gboolean           vouch_bulk_row_get_included       (VouchBulkRow       *self);
void               vouch_bulk_row_set_included       (VouchBulkRow       *self,
                                                      gboolean            included);
const char        *vouch_bulk_row_get_code           (VouchBulkRow       *self);
void               vouch_bulk_row_set_code           (VouchBulkRow       *self,
                                                      const char         *code);
const char        *vouch_bulk_row_get_secret         (VouchBulkRow       *self);
void               vouch_bulk_row_clear_secret       (VouchBulkRow       *self);
VouchBulkRowState  vouch_bulk_row_get_state          (VouchBulkRow       *self);
void               vouch_bulk_row_set_state          (VouchBulkRow       *self,
                                                      VouchBulkRowState   state,
                                                      const char         *text);
void               vouch_bulk_row_succeed            (VouchBulkRow       *self);
void               vouch_bulk_row_fail               (VouchBulkRow       *self,
                                                      const GError       *error);
void               vouch_bulk_row_lock               (VouchBulkRow       *self);
GtkWidget         *vouch_bulk_row_open_corrections   (VouchBulkRow       *self);

G_END_DECLS
