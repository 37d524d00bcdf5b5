/* vouch-api-driver.h: the Vouch API (docs/device-api.md) as a driver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-driver.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_API_DRIVER (vouch_api_driver_get_type ())

G_DECLARE_FINAL_TYPE (VouchApiDriver, vouch_api_driver, VOUCH, API_DRIVER, VouchDeviceDriver)

G_END_DECLS
