/* vouch-maker-roots-page-private.h: what only vouch-maker-roots-page.c and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-maker-roots-page.h"

G_BEGIN_DECLS

/* For tests only. */
VouchManufacturerRoots *_vouch_maker_roots_page_get_roots (VouchMakerRootsPage *self);

G_END_DECLS
