/* vouch-manufacturer-roots.h: the device makers' roots the operator
 * trusts to vouch for their devices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-authority.h"
#include "vouch-certificate.h"
#include "vouch-inventory.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_MANUFACTURER_ROOTS (vouch_manufacturer_roots_get_type ())

G_DECLARE_FINAL_TYPE (VouchManufacturerRoots, vouch_manufacturer_roots, VOUCH, MANUFACTURER_ROOTS,
                      GObject)

VouchManufacturerRoots *vouch_manufacturer_roots_new         (const char              *data_dir,
                                                              VouchInventory          *inventory);
VouchManufacturerRoots *vouch_manufacturer_roots_new_for_authority (VouchAuthority *authority);
gboolean                vouch_manufacturer_roots_load        (VouchManufacturerRoots  *self,
                                                              GError                 **error);
VouchCertificate       *vouch_manufacturer_roots_add         (VouchManufacturerRoots  *self,
                                                              GBytes                  *data,
                                                              GError                 **error);
VouchCertificate       *vouch_manufacturer_roots_find        (VouchManufacturerRoots  *self,
                                                              const char              *fingerprint);
gboolean                vouch_manufacturer_roots_remove      (VouchManufacturerRoots  *self,
                                                              const char              *fingerprint,
                                                              GError                 **error);
gboolean                vouch_manufacturer_roots_verify      (VouchManufacturerRoots  *self,
                                                              GTlsCertificate         *served,
                                                              GError                 **error);
char                   *vouch_manufacturer_roots_dup_subject (VouchCertificate        *root);

G_END_DECLS
