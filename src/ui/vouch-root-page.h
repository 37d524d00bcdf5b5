/* vouch-root-page.h: the root certificate authority, for checking and
 * safekeeping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_ROOT_PAGE (vouch_root_page_get_type ())

G_DECLARE_FINAL_TYPE (VouchRootPage, vouch_root_page, VOUCH, ROOT_PAGE, AdwBin)

void  vouch_root_page_set_application       (VouchRootPage    *self,
                                             VouchApplication *application);
void  vouch_root_page_refresh               (VouchRootPage    *self);
char *vouch_root_page_format_fingerprint    (const char       *sha256);

G_END_DECLS
