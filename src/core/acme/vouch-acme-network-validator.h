/* vouch-acme-network-validator.h: http-01 and tls-alpn-01, checked over the LAN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-acme-validator.h"
#include "vouch-name-constraints.h"

G_BEGIN_DECLS

/* Bounds on one validation; RFC 8555 leaves them to the server. */
#define VOUCH_ACME_VALIDATION_TIMEOUT_SECONDS 10
#define VOUCH_ACME_VALIDATION_MAX_BODY 4096
#define VOUCH_ACME_VALIDATION_MAX_REDIRECTS 3

#define VOUCH_TYPE_ACME_NETWORK_VALIDATOR (vouch_acme_network_validator_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeNetworkValidator, vouch_acme_network_validator,
                      VOUCH, ACME_NETWORK_VALIDATOR, GObject)

VouchAcmeNetworkValidator *vouch_acme_network_validator_new          (VouchNameConstraints      *constraints,
                                                                      gboolean                   allow_loopback);
gboolean                   vouch_acme_network_validator_get_allow_loopback (VouchAcmeNetworkValidator *self);
guint                      vouch_acme_network_validator_get_timeout  (VouchAcmeNetworkValidator *self);
void                       vouch_acme_network_validator_set_timeout  (VouchAcmeNetworkValidator *self,
                                                                      guint                      seconds);
gboolean                   vouch_acme_network_validator_check_address (VouchAcmeNetworkValidator *self,
                                                                       GInetAddress              *address,
                                                                       GError                   **error);
gboolean                   vouch_acme_check_tls_alpn_certificate     (GBytes                    *der,
                                                                      const char                *identifier_type,
                                                                      const char                *identifier_value,
                                                                      const char                *key_authorization,
                                                                      GError                   **error);

G_END_DECLS
