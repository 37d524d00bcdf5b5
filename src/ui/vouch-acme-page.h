/* vouch-acme-page.h: the ACME server's page: approvals, account keys, clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_ACME_PAGE (vouch_acme_page_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmePage, vouch_acme_page, VOUCH, ACME_PAGE, AdwBin)

void        vouch_acme_page_set_application   (VouchAcmePage    *self,
                                               VouchApplication *application);
void        vouch_acme_page_refresh           (VouchAcmePage    *self);
gboolean    vouch_acme_page_get_busy          (VouchAcmePage    *self);
const char *vouch_acme_page_get_directory_url (VouchAcmePage    *self);

G_END_DECLS
