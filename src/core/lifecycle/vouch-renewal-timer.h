/* vouch-renewal-timer.h: the systemd user timer that renews unattended
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VOUCH_RENEWAL_TIMER_UNIT "vouch-renew.timer"

char     **vouch_renewal_timer_build_argv      (gboolean              enabled);
void       vouch_renewal_timer_set_enabled_async (gboolean            enabled,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean   vouch_renewal_timer_set_enabled_finish (GAsyncResult      *result,
                                                   GError           **error);
void       vouch_renewal_timer_get_enabled_async (GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean   vouch_renewal_timer_get_enabled_finish (GAsyncResult      *result,
                                                   gboolean          *out_enabled,
                                                   GError           **error);

G_END_DECLS
