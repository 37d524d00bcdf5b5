/* vouch-welcome-page.h: first run: create or import a root
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_WELCOME_PAGE (vouch_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (VouchWelcomePage, vouch_welcome_page, VOUCH, WELCOME_PAGE, AdwBin)

void vouch_welcome_page_set_application (VouchWelcomePage *self,
                                         VouchApplication *application);
void vouch_welcome_page_create_root     (VouchWelcomePage *self);

G_END_DECLS
