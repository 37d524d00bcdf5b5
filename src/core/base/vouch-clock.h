/* vouch-clock.h: the time expiry, renewal and reminders decide by
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VOUCH_SECONDS_PER_DAY ((gint64)86400)

gint64 vouch_clock_now              (void);
void   vouch_clock_set_for_testing  (gint64       unix_time);
gint64 vouch_clock_parse_iso8601    (const char  *text);

G_END_DECLS
