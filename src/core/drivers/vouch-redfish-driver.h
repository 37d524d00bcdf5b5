/* vouch-redfish-driver.h: BMCs through DMTF Redfish's CertificateService,
 * with the Dell iDRAC and HPE iLO ways where they differ
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-driver.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_REDFISH_DRIVER (vouch_redfish_driver_get_type ())

G_DECLARE_FINAL_TYPE (VouchRedfishDriver, vouch_redfish_driver, VOUCH, REDFISH_DRIVER, VouchDeviceDriver)

/* How long Vouch waits, at most, for a BMC that resets after taking a
 * certificate (HPE iLO does) or makes its CSR in the background. */
#define VOUCH_REDFISH_MAX_WAIT_SECONDS 300

void vouch_redfish_driver_set_poll_interval (VouchRedfishDriver *self,
                                             guint               milliseconds);

G_END_DECLS
