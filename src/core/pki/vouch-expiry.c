/* vouch-expiry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-expiry.h"

#include "vouch-clock.h"
#include "vouch-error.h"

#include <glib/gi18n-lib.h>

/* The longest "within" a person may ask for: a leaf lives at most 825
 * days, so anything longer selects everything anyway. */
#define MAX_WITHIN_DAYS 3660

G_DEFINE_ENUM_TYPE (VouchExpiryClass, vouch_expiry_class,
                    G_DEFINE_ENUM_VALUE (VOUCH_EXPIRY_VALID, "valid"),
                    G_DEFINE_ENUM_VALUE (VOUCH_EXPIRY_WITHIN_30, "within-30-days"),
                    G_DEFINE_ENUM_VALUE (VOUCH_EXPIRY_WITHIN_7, "within-7-days"),
                    G_DEFINE_ENUM_VALUE (VOUCH_EXPIRY_EXPIRED, "expired"))

/**
 * vouch_expiry_classify:
 * @not_after: the last second the certificate is valid (Unix time)
 * @now: usually vouch_clock_now()
 *
 * A certificate that expires exactly 30 (or 7) days from @now is already
 * in that class, so a reminder "within 30 days" is never a day late.
 */
VouchExpiryClass
vouch_expiry_classify (gint64 not_after,
                       gint64 now)
{
  gint64 left = not_after - now;

  if (left <= 0)
    return VOUCH_EXPIRY_EXPIRED;
  if (left <= VOUCH_EXPIRY_URGENT_DAYS * VOUCH_SECONDS_PER_DAY)
    return VOUCH_EXPIRY_WITHIN_7;
  if (left <= VOUCH_EXPIRY_SOON_DAYS * VOUCH_SECONDS_PER_DAY)
    return VOUCH_EXPIRY_WITHIN_30;
  return VOUCH_EXPIRY_VALID;
}

/**
 * vouch_expiry_days_left:
 *
 * Returns: whole days until @not_after, rounded down; negative once
 *   expired (-1 on the first day after)
 */
int
vouch_expiry_days_left (gint64 not_after,
                        gint64 now)
{
  gint64 left = not_after - now;
  gint64 days;

  /* Floor division: C rounds toward zero, which would call the day
   * after expiry "0 days left". */
  days = left >= 0 ? left / VOUCH_SECONDS_PER_DAY
                   : -((-left + VOUCH_SECONDS_PER_DAY - 1) / VOUCH_SECONDS_PER_DAY);
  return (int)CLAMP (days, G_MININT, G_MAXINT);
}

const char *
vouch_expiry_class_to_string (VouchExpiryClass klass)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (VOUCH_TYPE_EXPIRY_CLASS);
  GEnumValue *value = g_enum_get_value (enum_class, klass);

  return value != NULL ? value->value_nick : "valid";
}

/**
 * vouch_expiry_describe:
 *
 * Returns: (transfer full): a short phrase for a list row, such as
 *   “Expires in 12 days” or “Expired 3 days ago”
 */
char *
vouch_expiry_describe (gint64 not_after,
                       gint64 now)
{
  int days = vouch_expiry_days_left (not_after, now);

  if (not_after <= now)
    {
      int ago = -days;

      if (ago <= 1)
        return g_strdup (_("Expired today"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expired %d day ago",
                                           "Expired %d days ago", (gulong)ago), ago);
    }

  if (days == 0)
    return g_strdup (_("Expires today"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expires in %d day",
                                       "Expires in %d days", (gulong)days), days);
}

/**
 * vouch_expiry_parse_days:
 * @text: “30”, “30d” or “4w”
 *
 * Parses a period as vouchctl and the settings write it.
 */
gboolean
vouch_expiry_parse_days (const char  *text,
                         guint       *out_days,
                         GError     **error)
{
  guint64 number = 0;
  char *end = NULL;
  guint64 factor = 1;

  g_return_val_if_fail (out_days != NULL, FALSE);

  if (text != NULL && g_ascii_isdigit (*text))
    {
      number = g_ascii_strtoull (text, &end, 10);
      if (g_ascii_strcasecmp (end, "d") == 0 || *end == '\0')
        factor = 1;
      else if (g_ascii_strcasecmp (end, "w") == 0)
        factor = 7;
      else
        end = NULL;
    }

  if (end == NULL || number * factor > MAX_WITHIN_DAYS)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("“%s” is not a period; write days as 30d or weeks as 4w, up to %d days"),
                   text != NULL ? text : "", MAX_WITHIN_DAYS);
      return FALSE;
    }

  *out_days = (guint)(number * factor);
  return TRUE;
}

/**
 * vouch_expiry_root_needs_warning:
 * @out_days_left: (out) (optional): days until the root expires
 *
 * A root's rollover takes weeks (every device re-issued, every colleague
 * given the new root), so the warning starts a year ahead.
 *
 * Returns: %TRUE if the root expires within a year of @now
 */
gboolean
vouch_expiry_root_needs_warning (VouchRootCa *root,
                                 gint64       now,
                                 int         *out_days_left)
{
  gint64 not_after;

  g_return_val_if_fail (VOUCH_IS_ROOT_CA (root), FALSE);

  not_after = vouch_certificate_get_not_after (vouch_root_ca_get_certificate (root));
  if (out_days_left != NULL)
    *out_days_left = vouch_expiry_days_left (not_after, now);
  return not_after - now <= VOUCH_EXPIRY_ROOT_WARN_DAYS * VOUCH_SECONDS_PER_DAY;
}
