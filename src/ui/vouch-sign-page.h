/* vouch-sign-page.h: signing a certificate signing request by hand, for
 * devices without the Vouch API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_SIGN_PAGE (vouch_sign_page_get_type ())

G_DECLARE_FINAL_TYPE (VouchSignPage, vouch_sign_page, VOUCH, SIGN_PAGE, AdwBin)

void              vouch_sign_page_set_application (VouchSignPage    *self,
                                                   VouchApplication *application);
gboolean          vouch_sign_page_load_csr        (VouchSignPage    *self,
                                                   GBytes           *csr,
                                                   const char       *display_name);
void              vouch_sign_page_reset           (VouchSignPage    *self);
void              vouch_sign_page_expect_names    (VouchSignPage      *self,
                                                   const char * const *names);

G_END_DECLS
