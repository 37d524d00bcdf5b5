/* vouch-onboarding-private.h: what vouch-onboarding.c and
 * vouch-onboarding-manufacturer.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-onboarding.h"

G_BEGIN_DECLS

gboolean _vouch_onboarding_chains_to_manufacturer (VouchOnboarding  *self,
                                                   GTlsCertificate  *served,
                                                   GError          **error);

G_END_DECLS
