/* vouch-device-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-device-status.h"

#include <glib/gi18n.h>

/* Attention outranks everything: a possible man in the middle must not
 * hide behind "Trusted". */
VouchDeviceStatus
vouch_device_status_get (VouchDevice *device,
                         gint64       now)
{
  gint64 expiry = vouch_device_get_certificate_expiry (device);

  if (vouch_device_get_attention (device) != NULL ||
      vouch_device_get_state (device) == VOUCH_DEVICE_STATE_NEEDS_RENEWAL)
    return VOUCH_DEVICE_STATUS_ATTENTION;
  /* A device whose API a driver speaks (Redfish, Axis) is onboarded like
   * a Vouch device; the rest are signed for by hand. */
  if (vouch_device_get_kind (device) == VOUCH_DEVICE_KIND_HTTPS_ONLY
      && (vouch_device_get_suggested_driver (device) == NULL
          || g_str_equal (vouch_device_get_suggested_driver (device), "manual")))
    return VOUCH_DEVICE_STATUS_NO_API;
  if (vouch_device_get_step (device) == VOUCH_ONBOARDING_STEP_CONFIRMED)
    {
      if (expiry > 0 && expiry - now < VOUCH_EXPIRING_SOON_DAYS * 86400)
        return VOUCH_DEVICE_STATUS_EXPIRING;
      return VOUCH_DEVICE_STATUS_TRUSTED;
    }
  if (!vouch_device_get_online (device))
    return VOUCH_DEVICE_STATUS_OFFLINE;
  if (vouch_device_get_verification (device) != VOUCH_VERIFICATION_NONE)
    return VOUCH_DEVICE_STATUS_VERIFIED;
  return VOUCH_DEVICE_STATUS_NEW;
}

const char *
vouch_device_status_icon_name (VouchDeviceStatus status)
{
  switch (status)
    {
    case VOUCH_DEVICE_STATUS_TRUSTED:
      return "channel-secure-symbolic";
    case VOUCH_DEVICE_STATUS_EXPIRING:
      return "alarm-symbolic";
    case VOUCH_DEVICE_STATUS_ATTENTION:
      return "dialog-warning-symbolic";
    case VOUCH_DEVICE_STATUS_VERIFIED:
      return "emblem-ok-symbolic";
    case VOUCH_DEVICE_STATUS_NO_API:
      return "dialog-question-symbolic";
    case VOUCH_DEVICE_STATUS_OFFLINE:
      return "network-offline-symbolic";
    case VOUCH_DEVICE_STATUS_NEW:
    default:
      return "channel-insecure-symbolic";
    }
}

const char *
vouch_device_status_style (VouchDeviceStatus status)
{
  switch (status)
    {
    case VOUCH_DEVICE_STATUS_TRUSTED:
      return "success";
    case VOUCH_DEVICE_STATUS_EXPIRING:
      return "warning";
    case VOUCH_DEVICE_STATUS_ATTENTION:
      return "error";
    default:
      return NULL;
    }
}

char *
vouch_device_status_dup_label (VouchDevice *device,
                               gint64       now)
{
  VouchDeviceStatus status = vouch_device_status_get (device, now);

  switch (status)
    {
    case VOUCH_DEVICE_STATUS_TRUSTED:
      return g_strdup (_("Trusted"));
    case VOUCH_DEVICE_STATUS_EXPIRING:
      {
        gint64 days = MAX (0, (vouch_device_get_certificate_expiry (device) - now) / 86400);

        if (vouch_device_get_certificate_expiry (device) <= now)
          return g_strdup (_("Expired"));
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expires in %d day",
                                             "Expires in %d days", (gulong)days), (int)days);
      }
    case VOUCH_DEVICE_STATUS_ATTENTION:
      if (vouch_device_get_attention (device) != NULL)
        return g_strdup_printf (_("Needs attention: %s"), vouch_device_get_attention (device));
      return g_strdup (_("Needs attention: names changed, re-issue"));
    case VOUCH_DEVICE_STATUS_VERIFIED:
      return g_strdup (_("Verified"));
    case VOUCH_DEVICE_STATUS_NO_API:
      return g_strdup (_("Sign by hand"));
    case VOUCH_DEVICE_STATUS_OFFLINE:
      return g_strdup (_("Offline"));
    case VOUCH_DEVICE_STATUS_NEW:
    default:
      return g_strdup (_("New"));
    }
}
