/* vouch-audit-page-private.h: what only vouch-audit-page.c and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-audit-page.h"

G_BEGIN_DECLS

/* For tests only. */
GListModel *_vouch_audit_page_get_model       (VouchAuditPage   *self);

G_END_DECLS
