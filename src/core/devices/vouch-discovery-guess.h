/* vouch-discovery-guess.h: what kind of device a service announcement
 * suggests, and which driver fits it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device.h"

G_BEGIN_DECLS

/* The Redfish service's SSDP search target (DMTF DSP0266). */
#define VOUCH_REDFISH_SSDP_TARGET "urn:dmtf-org:service:redfish-rest:1"

const char * const  *vouch_discovery_common_types (void);
VouchDeviceCategory  vouch_discovery_guess        (const char          *service_type,
                                                   const char          *name,
                                                   const char * const  *txt,
                                                   const char         **out_driver);
const char          *vouch_device_category_to_string (VouchDeviceCategory category);

G_END_DECLS
