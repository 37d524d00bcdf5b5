/* test-ui-util.c: the one date format every page uses, and fingerprints
 *
 * In the C locale, with the time zone fixed, so the text is known:
 * the locale's short date and time where the time matters (device pages,
 * History), the long date everywhere else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-ui-util.h"

#include <locale.h>

/* 2026-12-07 06:23:17 UTC */
#define MOMENT G_GINT64_CONSTANT (1796624597)

static void
test_date_time (void)
{
  g_autofree char *text = vouch_ui_format_date_time (MOMENT);

  g_assert_cmpstr (text, ==, "12/07/26 06:23:17");
}

static void
test_date (void)
{
  g_autofree char *text = vouch_ui_format_date (MOMENT);
  /* One-digit days are not padded. */
  g_autofree char *first = vouch_ui_format_date (MOMENT - 6 * 24 * 3600);

  g_assert_cmpstr (text, ==, "7 December 2026");
  g_assert_cmpstr (first, ==, "1 December 2026");
}

static void
test_local_time (void)
{
  g_autofree char *date = NULL;
  g_autofree char *date_time = NULL;

  /* The time zone of the computer, not UTC: 06:23 UTC is the evening
   * before in Honolulu. */
  g_setenv ("TZ", "Pacific/Honolulu", TRUE);
  date = vouch_ui_format_date (MOMENT);
  date_time = vouch_ui_format_date_time (MOMENT);
  g_setenv ("TZ", "UTC", TRUE);

  g_assert_cmpstr (date, ==, "6 December 2026");
  g_assert_cmpstr (date_time, ==, "12/06/26 20:23:17");
}

static void
test_out_of_range (void)
{
  g_autofree char *date = vouch_ui_format_date (G_MAXINT64);
  g_autofree char *date_time = vouch_ui_format_date_time (G_MININT64);

  g_assert_cmpstr (date, ==, "?");
  g_assert_cmpstr (date_time, ==, "?");
}

static void
test_fingerprint (void)
{
  g_autofree char *colons = vouch_ui_format_fingerprint ("01:02:03:04:05:06:07:08:09:0A");
  g_autofree char *plain = vouch_ui_format_fingerprint ("0102030405060708090a0b0c0d0e0f10"
                                                        "1112131415161718");
  g_autofree char *empty = vouch_ui_format_fingerprint ("");

  /* Pairs, eight to a line: a label can wrap only between pairs. */
  g_assert_cmpstr (colons, ==, "01 02 03 04 05 06 07 08\n09 0A");
  g_assert_cmpstr (plain, ==, "01 02 03 04 05 06 07 08\n09 0a 0b 0c 0d 0e 0f 10\n"
                              "11 12 13 14 15 16 17 18");
  g_assert_cmpstr (empty, ==, "");
}

int
main (int    argc,
      char **argv)
{
  /* Before anything reads the locale or the zone. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui-util/date-time", test_date_time);
  g_test_add_func ("/ui-util/date", test_date);
  g_test_add_func ("/ui-util/local-time", test_local_time);
  g_test_add_func ("/ui-util/out-of-range", test_out_of_range);
  g_test_add_func ("/ui-util/fingerprint", test_fingerprint);

  return g_test_run ();
}
