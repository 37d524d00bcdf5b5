/* vouch-maker-roots-page.h: the device makers' roots, as a subpage of
 * Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-authority.h"
#include "vouch-manufacturer-roots.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_MAKER_ROOTS_PAGE (vouch_maker_roots_page_get_type ())

G_DECLARE_FINAL_TYPE (VouchMakerRootsPage, vouch_maker_roots_page, VOUCH, MAKER_ROOTS_PAGE, GtkBox)

GtkWidget              *vouch_maker_roots_page_new       (VouchAuthority      *authority);

G_END_DECLS
