/* vouch-devices-page.h: the devices on the network, and one in detail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_DEVICES_PAGE (vouch_devices_page_get_type ())

G_DECLARE_FINAL_TYPE (VouchDevicesPage, vouch_devices_page, VOUCH, DEVICES_PAGE, AdwBin)

void        vouch_devices_page_set_application (VouchDevicesPage *self,
                                                VouchApplication *application);
void        vouch_devices_page_show_device     (VouchDevicesPage *self,
                                                VouchDevice      *device);
const char *vouch_devices_page_get_details_title (VouchDevicesPage *self);
void        vouch_devices_page_navigate_back   (VouchDevicesPage *self);

G_END_DECLS
