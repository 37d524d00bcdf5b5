/* vouch-audit-export.h: the audit log as CSV or JSON, and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-inventory.h"

G_BEGIN_DECLS

typedef enum
{
  VOUCH_AUDIT_FORMAT_CSV,
  VOUCH_AUDIT_FORMAT_JSON,
} VouchAuditFormat;

#define VOUCH_TYPE_AUDIT_FORMAT (vouch_audit_format_get_type ())
GType vouch_audit_format_get_type (void);

GBytes     *vouch_audit_export_events   (GListModel        *events,
                                         VouchAuditFormat   format);
GBytes     *vouch_audit_export          (VouchInventory    *inventory,
                                         VouchAuditFormat   format,
                                         GError           **error);
gboolean    vouch_audit_export_to_file  (VouchInventory    *inventory,
                                         VouchAuditFormat   format,
                                         const char        *path,
                                         GError           **error);

G_END_DECLS
