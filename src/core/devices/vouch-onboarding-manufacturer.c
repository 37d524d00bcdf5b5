/* vouch-onboarding-manufacturer.c: devices verified by their maker's
 * root (IEEE 802.1AR IDevID style) instead of a setup code
 *
 * The roots themselves are kept by VouchManufacturerRoots; onboarding
 * reads them again for each verification, so a root imported or removed
 * through vouchctl while the app runs counts at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-onboarding.h"
#include "vouch-onboarding-private.h"

#include "vouch-manufacturer-roots.h"

static VouchManufacturerRoots *
manufacturer_roots (VouchOnboarding *self)
{
  return vouch_manufacturer_roots_new_for_authority (vouch_onboarding_get_authority (self));
}

/**
 * vouch_onboarding_add_manufacturer_root:
 * @data: one CA certificate, PEM or DER
 *
 * Trusts a device maker's root for verification without a setup code:
 * devices whose TLS certificate chains to it (IEEE 802.1AR IDevID style)
 * are verified by that chain. See #VouchManufacturerRoots.
 */
gboolean
vouch_onboarding_add_manufacturer_root (VouchOnboarding  *self,
                                        GBytes           *data,
                                        GError          **error)
{
  g_autoptr(VouchManufacturerRoots) roots = manufacturer_roots (self);
  g_autoptr(VouchCertificate) root = vouch_manufacturer_roots_add (roots, data, error);

  return root != NULL;
}

gboolean
_vouch_onboarding_chains_to_manufacturer (VouchOnboarding  *self,
                                          GTlsCertificate  *served,
                                          GError          **error)
{
  g_autoptr(VouchManufacturerRoots) roots = manufacturer_roots (self);

  return vouch_manufacturer_roots_verify (roots, served, error);
}
