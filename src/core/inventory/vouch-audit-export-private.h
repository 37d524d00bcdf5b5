/* vouch-audit-export-private.h: what only vouch-audit-export.c and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-audit-export.h"

G_BEGIN_DECLS

/* For tests only. */
GListModel *_vouch_audit_parse           (GBytes            *data,
                                          VouchAuditFormat   format,
                                          GError           **error);

G_END_DECLS
