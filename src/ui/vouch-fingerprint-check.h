/* vouch-fingerprint-check.h: the device's key fingerprint, for the
 * operator to compare with the device's own (trust on first use)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-device.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_FINGERPRINT_CHECK (vouch_fingerprint_check_get_type ())

G_DECLARE_FINAL_TYPE (VouchFingerprintCheck, vouch_fingerprint_check, VOUCH, FINGERPRINT_CHECK, AdwBin)

void        vouch_fingerprint_check_set_device      (VouchFingerprintCheck *self,
                                                     VouchDevice           *device);
const char *vouch_fingerprint_check_get_fingerprint (VouchFingerprintCheck *self);
GTlsCertificate *vouch_fingerprint_check_get_certificate (VouchFingerprintCheck *self);
gboolean    vouch_fingerprint_check_get_matches     (VouchFingerprintCheck *self);

G_END_DECLS
