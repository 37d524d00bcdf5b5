/* vouch-signing-request.h: a CSR that the signing policy has accepted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gnutls/abstract.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_SIGNING_REQUEST (vouch_signing_request_get_type ())

G_DECLARE_FINAL_TYPE (VouchSigningRequest, vouch_signing_request, VOUCH, SIGNING_REQUEST, GObject)

const char * const *vouch_signing_request_get_names           (VouchSigningRequest *self);
const char         *vouch_signing_request_get_subject         (VouchSigningRequest *self);
const char         *vouch_signing_request_get_key_description (VouchSigningRequest *self);
const char         *vouch_signing_request_get_key_sha256      (VouchSigningRequest *self);
const char         *vouch_signing_request_get_challenge       (VouchSigningRequest *self);
const char         *vouch_signing_request_get_notice          (VouchSigningRequest *self);
gnutls_pubkey_t     vouch_signing_request_get_pubkey          (VouchSigningRequest *self);
gboolean            vouch_signing_request_get_is_rsa          (VouchSigningRequest *self);

G_END_DECLS
