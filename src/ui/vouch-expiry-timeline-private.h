/* vouch-expiry-timeline-private.h: what only vouch-expiry-timeline.c and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-expiry-timeline.h"

G_BEGIN_DECLS

/* For tests only. */
guint                _vouch_expiry_timeline_get_count      (VouchExpiryTimeline *self,
                                                            guint                month);

G_END_DECLS
