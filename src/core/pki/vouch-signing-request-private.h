/* vouch-signing-request-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-signing-request.h"

G_BEGIN_DECLS

#define VOUCH_KEY_ID_LEN 20

/* Only the signing policy creates requests, so holding one means the CSR
 * passed every check. */
VouchSigningRequest *_vouch_signing_request_new        (gnutls_pubkey_t       pubkey,
                                                        char                **names,
                                                        const char           *subject,
                                                        const char           *key_description,
                                                        const char           *key_sha256,
                                                        const guint8         *key_id,
                                                        const char           *challenge,
                                                        const char           *notice,
                                                        gboolean              is_rsa);

/* The key's identifier as gnutls_x509_crt_get_key_id() computes it with
 * GNUTLS_KEYID_USE_SHA1: the SHA-1 of the SubjectPublicKeyInfo, which the
 * policy hashes anyway. The issued certificate's subject key identifier. */
const guint8        *_vouch_signing_request_get_key_id (VouchSigningRequest  *self,
                                                        gsize                *out_len);

G_END_DECLS
