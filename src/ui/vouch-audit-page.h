/* vouch-audit-page.h: the audit log, newest first, and its export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"
#include "vouch-audit-export.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_AUDIT_PAGE (vouch_audit_page_get_type ())

G_DECLARE_FINAL_TYPE (VouchAuditPage, vouch_audit_page, VOUCH, AUDIT_PAGE, AdwBin)

void        vouch_audit_page_set_application (VouchAuditPage   *self,
                                              VouchApplication *application);
void        vouch_audit_page_refresh         (VouchAuditPage   *self);
void        vouch_audit_page_export          (VouchAuditPage   *self,
                                              VouchAuditFormat  format,
                                              GFile            *file);

G_END_DECLS
