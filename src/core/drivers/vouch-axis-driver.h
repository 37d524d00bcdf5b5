/* vouch-axis-driver.h: Axis network cameras through VAPIX certificate
 * management
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-driver.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_AXIS_DRIVER (vouch_axis_driver_get_type ())

G_DECLARE_FINAL_TYPE (VouchAxisDriver, vouch_axis_driver, VOUCH, AXIS_DRIVER, VouchDeviceDriver)

G_END_DECLS
