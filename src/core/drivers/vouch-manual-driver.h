/* vouch-manual-driver.h: a device with only a web page; the operator
 * carries the CSR in and the chain out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-driver.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_MANUAL_DRIVER (vouch_manual_driver_get_type ())

G_DECLARE_FINAL_TYPE (VouchManualDriver, vouch_manual_driver, VOUCH, MANUAL_DRIVER, VouchDeviceDriver)

void      vouch_manual_driver_set_csr          (VouchManualDriver  *self,
                                                const char         *csr_pem);
gboolean  vouch_manual_driver_set_chain_output (VouchManualDriver  *self,
                                                const char         *path,
                                                const char         *format,
                                                GError            **error);
GBytes   *vouch_manual_driver_export_chain     (const char         *chain_pem,
                                                const char         *format,
                                                GError            **error);

G_END_DECLS
