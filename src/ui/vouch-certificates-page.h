/* vouch-certificates-page.h: every issued certificate, when it expires,
 * and renewing or revoking it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"
#include "vouch-certificate-entry.h"
#include "vouch-expiry-timeline.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_CERTIFICATES_PAGE (vouch_certificates_page_get_type ())

G_DECLARE_FINAL_TYPE (VouchCertificatesPage, vouch_certificates_page, VOUCH, CERTIFICATES_PAGE, AdwBin)

void                   vouch_certificates_page_set_application  (VouchCertificatesPage *self,
                                                                 VouchApplication      *application);
void                   vouch_certificates_page_refresh          (VouchCertificatesPage *self);
void                   vouch_certificates_page_export_crl       (VouchCertificatesPage *self,
                                                                 GFile                 *file,
                                                                 guint                  next_update_days);
void                   vouch_certificates_page_renew_due        (VouchCertificatesPage *self,
                                                                 guint                  within_days);

G_END_DECLS
