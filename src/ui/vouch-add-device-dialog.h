/* vouch-add-device-dialog.h: adding a device that mDNS cannot reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-discovery.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_ADD_DEVICE_DIALOG (vouch_add_device_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VouchAddDeviceDialog, vouch_add_device_dialog, VOUCH, ADD_DEVICE_DIALOG, AdwWindow)

VouchAddDeviceDialog *vouch_add_device_dialog_new (VouchDiscovery *discovery);

G_END_DECLS
