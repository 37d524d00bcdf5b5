/* vouch-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-clock.h"

/* Expiry thresholds and reminders are only testable at chosen dates, so
 * every decision about "now" goes through this clock. Tests set it in
 * process; vouchctl reads VOUCH_NOW (ISO 8601) so scripts and tests can
 * ask "what will be due then?". Signing still uses the real time: a
 * certificate must never be backdated or postdated by a test knob. */
G_LOCK_DEFINE_STATIC (clock);
static gint64 override;

/**
 * vouch_clock_set_for_testing:
 * @unix_time: the time to report from now on, or 0 for the real time
 */
void
vouch_clock_set_for_testing (gint64 unix_time)
{
  G_LOCK (clock);
  override = unix_time;
  G_UNLOCK (clock);
}

/**
 * vouch_clock_parse_iso8601:
 * @text: a date and time such as “2031-05-01T12:00:00Z”; a date alone
 *   (“2031-05-01”) means its midnight in UTC
 *
 * Returns: the Unix time, or 0 if @text is not ISO 8601
 */
gint64
vouch_clock_parse_iso8601 (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = NULL;

  if (text == NULL || *text == '\0')
    return 0;

  when = g_date_time_new_from_iso8601 (text, utc);
  if (when == NULL && strlen (text) == 10)
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00Z", NULL);

      when = g_date_time_new_from_iso8601 (midnight, utc);
    }

  return when != NULL ? g_date_time_to_unix (when) : 0;
}

/**
 * vouch_clock_now:
 *
 * Returns: the current Unix time in seconds, as set for testing, or from
 *   VOUCH_NOW, or the real time
 */
gint64
vouch_clock_now (void)
{
  static gsize env_read = 0;
  static gint64 from_env = 0;
  gint64 now;

  G_LOCK (clock);
  now = override;
  G_UNLOCK (clock);
  if (now != 0)
    return now;

  if (g_once_init_enter (&env_read))
    {
      from_env = vouch_clock_parse_iso8601 (g_getenv ("VOUCH_NOW"));
      g_once_init_leave (&env_read, 1);
    }
  if (from_env > 0)
    return from_env;

  return g_get_real_time () / G_USEC_PER_SEC;
}
