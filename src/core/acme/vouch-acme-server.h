/* vouch-acme-server.h: Vouch's ACME server (RFC 8555, RFC 8737, RFC 8738)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-acme-policy.h"
#include "vouch-acme-validator.h"
#include "vouch-authority.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_ACME_SERVER (vouch_acme_server_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeServer, vouch_acme_server, VOUCH, ACME_SERVER, GObject)

VouchAcmeServer    *vouch_acme_server_new               (VouchAuthority       *authority,
                                                         VouchAcmePolicy      *policy,
                                                         VouchAcmeValidator   *validator);
void                vouch_acme_server_set_names         (VouchAcmeServer      *self,
                                                         const char * const   *names);
void                vouch_acme_server_set_terms_of_service (VouchAcmeServer *self,
                                                         const char           *url);
gboolean            vouch_acme_server_listen            (VouchAcmeServer      *self,
                                                         const char           *address,
                                                         guint                 port,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
void                vouch_acme_server_stop              (VouchAcmeServer      *self);
const char         *vouch_acme_server_get_directory_url (VouchAcmeServer      *self);
guint               vouch_acme_server_get_port          (VouchAcmeServer      *self);
VouchCertificate   *vouch_acme_server_get_certificate   (VouchAcmeServer      *self);
VouchAcmePolicy    *vouch_acme_server_get_policy        (VouchAcmeServer      *self);
VouchAcmeValidator *vouch_acme_server_get_validator     (VouchAcmeServer      *self);
gboolean            vouch_acme_server_renew_certificate (VouchAcmeServer      *self,
                                                         gboolean              force,
                                                         GCancellable         *cancellable,
                                                         GError              **error);

G_END_DECLS
