/* vouch-device-driver-private.h: what every network driver shares: the
 * pinned, bounded HTTPS transport of vouch-device-client.c and the errors
 * an HTTP status means
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-client.h"
#include "vouch-device-driver.h"

G_BEGIN_DECLS

VouchDeviceClient   *_vouch_device_driver_get_client   (VouchDeviceDriver   *self);
VouchDeviceIdentity *_vouch_device_driver_identity     (VouchDeviceDriver   *self,
                                                        const char          *device_id,
                                                        const char          *model,
                                                        GError             **error);
gboolean             _vouch_device_driver_check_status (VouchDeviceDriver   *self,
                                                        VouchDeviceResponse *response,
                                                        const char          *doing,
                                                        GError             **error);
char                *_vouch_device_driver_basic_auth   (VouchDeviceDriver   *self);
char                *_vouch_device_driver_leaf_key_sha256 (const char       *chain_pem);
void                 _vouch_device_driver_set_settling (VouchDeviceDriver   *self,
                                                        guint                tries,
                                                        guint                interval_ms);
void                 _vouch_device_driver_add_detail   (GError              *error,
                                                        const char          *detail);
const char          *_vouch_driver_json_string         (JsonObject          *object,
                                                        const char          *member);

G_END_DECLS
