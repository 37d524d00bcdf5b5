/* vouch-device-row.h: one device in the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-device.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_DEVICE_ROW (vouch_device_row_get_type ())

G_DECLARE_FINAL_TYPE (VouchDeviceRow, vouch_device_row, VOUCH, DEVICE_ROW, AdwBin)

VouchDeviceRow *vouch_device_row_new        (void);
VouchDevice    *vouch_device_row_get_device (VouchDeviceRow *self);
void            vouch_device_row_set_device (VouchDeviceRow *self,
                                             VouchDevice    *device);
GtkCheckButton *vouch_device_row_get_check  (VouchDeviceRow *self);

G_END_DECLS
