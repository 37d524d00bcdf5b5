/* vouch-expiry-timeline.h: how many certificates expire in each of the
 * next twelve months
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VOUCH_EXPIRY_TIMELINE_MONTHS 12

#define VOUCH_TYPE_EXPIRY_TIMELINE (vouch_expiry_timeline_get_type ())

G_DECLARE_FINAL_TYPE (VouchExpiryTimeline, vouch_expiry_timeline, VOUCH, EXPIRY_TIMELINE, AdwBin)

void                 vouch_expiry_timeline_set_entries    (VouchExpiryTimeline *self,
                                                           GListModel          *entries,
                                                           gint64               now);
int                  vouch_expiry_timeline_month_index    (gint64               now,
                                                           gint64               not_after);

G_END_DECLS
