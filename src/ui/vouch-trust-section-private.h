/* vouch-trust-section-private.h: what only vouch-trust-section.c and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-trust-section.h"

G_BEGIN_DECLS

/* For tests only. */
VouchHomeTrustStores *_vouch_trust_section_get_stores      (VouchTrustSection *self);

G_END_DECLS
