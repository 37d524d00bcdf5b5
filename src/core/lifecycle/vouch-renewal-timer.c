/* vouch-renewal-timer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-renewal-timer.h"

#include "vouch-user-unit.h"

/* Preferences turns unattended renewal on and off by enabling the user
 * timer shipped in data/ (vouch-renew.timer runs “vouchctl renew --due
 * 30d --notify” daily); vouch-user-unit.c does the asking. */

/**
 * vouch_renewal_timer_build_argv:
 *
 * Returns: (transfer full): the command that enables (and starts) or
 *   disables (and stops) the timer
 */
char **
vouch_renewal_timer_build_argv (gboolean enabled)
{
  return vouch_user_unit_build_argv (VOUCH_RENEWAL_TIMER_UNIT, enabled);
}

void
vouch_renewal_timer_set_enabled_async (gboolean             enabled,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  vouch_user_unit_set_enabled_async (VOUCH_RENEWAL_TIMER_UNIT, enabled, cancellable, callback,
                                     user_data);
}

gboolean
vouch_renewal_timer_set_enabled_finish (GAsyncResult  *result,
                                        GError       **error)
{
  return vouch_user_unit_set_enabled_finish (result, error);
}

void
vouch_renewal_timer_get_enabled_async (GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  vouch_user_unit_get_enabled_async (VOUCH_RENEWAL_TIMER_UNIT, cancellable, callback, user_data);
}

gboolean
vouch_renewal_timer_get_enabled_finish (GAsyncResult  *result,
                                        gboolean      *out_enabled,
                                        GError       **error)
{
  return vouch_user_unit_get_enabled_finish (result, out_enabled, error);
}
