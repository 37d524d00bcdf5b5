/* vouch-acme-validator.h: proves that an ACME client controls a name
 *
 * The server asks its validator once per challenge the client answers.
 * Implementations (acme-ops: http-01 and tls-alpn-01 with the safety
 * rules, src/core/acme/vouch-acme-http-validator.c …) fail with a
 * VOUCH_ACME_ERROR whose code is the problem the client sees
 * (incorrectResponse, connection, dns, tls, rejectedIdentifier, …).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vouch-acme-error.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_ACME_VALIDATOR (vouch_acme_validator_get_type ())

G_DECLARE_INTERFACE (VouchAcmeValidator, vouch_acme_validator, VOUCH, ACME_VALIDATOR, GObject)

struct _VouchAcmeValidatorInterface
{
  GTypeInterface parent_iface;

  void     (*validate_async)  (VouchAcmeValidator   *self,
                               const char           *type,
                               const char           *identifier_type,
                               const char           *identifier_value,
                               const char           *token,
                               const char           *key_authorization,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  gboolean (*validate_finish) (VouchAcmeValidator   *self,
                               GAsyncResult         *result,
                               GError              **error);
};

/* @type: "http-01" or "tls-alpn-01"; @identifier_type: "dns" or "ip";
 * @key_authorization: token "." base64url (SHA-256 JWK thumbprint). The
 * strings are only valid during the call: copy what you keep. */
void     vouch_acme_validator_validate_async  (VouchAcmeValidator   *self,
                                               const char           *type,
                                               const char           *identifier_type,
                                               const char           *identifier_value,
                                               const char           *token,
                                               const char           *key_authorization,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean vouch_acme_validator_validate_finish (VouchAcmeValidator   *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
