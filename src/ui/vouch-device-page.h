/* vouch-device-page.h: one device: identity, certificate, history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_DEVICE_PAGE (vouch_device_page_get_type ())

G_DECLARE_FINAL_TYPE (VouchDevicePage, vouch_device_page, VOUCH, DEVICE_PAGE, AdwBin)

void         vouch_device_page_set_application (VouchDevicePage  *self,
                                                VouchApplication *application);
VouchDevice *vouch_device_page_get_device      (VouchDevicePage  *self);
void         vouch_device_page_set_device      (VouchDevicePage  *self,
                                                VouchDevice      *device);


G_END_DECLS
