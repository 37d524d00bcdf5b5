/* vouch-signing-request-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-signing-request.h"

G_BEGIN_DECLS

/* Only the signing policy creates requests, so holding one means the CSR
 * passed every check. */
VouchSigningRequest *_vouch_signing_request_new (gnutls_pubkey_t  pubkey,
                                                 char           **names,
                                                 const char      *subject,
                                                 const char      *key_description,
                                                 const char      *key_sha256,
                                                 const char      *challenge,
                                                 gboolean         is_rsa);

G_END_DECLS
