/* vouch-user-unit.h: switching Vouch's systemd user units on and off
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     **vouch_user_unit_build_argv         (const char          *unit,
                                               gboolean             enabled);
void       vouch_user_unit_set_enabled_async  (const char          *unit,
                                               gboolean             enabled,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean   vouch_user_unit_set_enabled_finish (GAsyncResult        *result,
                                               GError             **error);
void       vouch_user_unit_get_enabled_async  (const char          *unit,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean   vouch_user_unit_get_enabled_finish (GAsyncResult        *result,
                                               gboolean            *out_enabled,
                                               GError             **error);

G_END_DECLS
