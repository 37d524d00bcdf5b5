/* vouch-trust-section.h: which of this computer's trust stores hold the
 * root, and the bundle for colleagues
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"
#include "vouch-home-trust-stores.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_TRUST_SECTION (vouch_trust_section_get_type ())

G_DECLARE_FINAL_TYPE (VouchTrustSection, vouch_trust_section, VOUCH, TRUST_SECTION, AdwBin)

void              vouch_trust_section_set_application (VouchTrustSection *self,
                                                       VouchApplication  *application);

G_END_DECLS
