/* vouch-device-status.h: how a device's state reads to a person
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device.h"

G_BEGIN_DECLS

typedef enum
{
  VOUCH_DEVICE_STATUS_NEW,
  VOUCH_DEVICE_STATUS_VERIFIED,
  VOUCH_DEVICE_STATUS_TRUSTED,
  VOUCH_DEVICE_STATUS_EXPIRING,
  VOUCH_DEVICE_STATUS_ATTENTION,
  VOUCH_DEVICE_STATUS_NO_API,
  VOUCH_DEVICE_STATUS_OFFLINE,
} VouchDeviceStatus;

#define VOUCH_EXPIRING_SOON_DAYS 30

VouchDeviceStatus  vouch_device_status_get        (VouchDevice       *device,
                                                   gint64             now);
const char        *vouch_device_status_icon_name  (VouchDeviceStatus  status);
const char        *vouch_device_status_style      (VouchDeviceStatus  status);
char              *vouch_device_status_dup_label  (VouchDevice       *device,
                                                   gint64             now);

G_END_DECLS
