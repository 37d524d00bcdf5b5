/* vouch-acme-jws.h: the signed requests of ACME (RFC 8555 §6.2, RFC 7515)
 *
 * A request body is a flattened JWS JSON object. vouch_acme_jws_parse()
 * reads it, bounded, and checks everything that needs no key (the
 * protected header's members, the algorithm allow-list, jwk xor kid);
 * vouch_acme_jws_verify() checks the signature with GnuTLS. The fuzz
 * harness feeds vouch_acme_jws_parse() directly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gnutls/abstract.h>
#include <json-glib/json-glib.h>

#include "vouch-acme-error.h"

G_BEGIN_DECLS

#define VOUCH_ACME_MAX_BODY (64 * 1024)

typedef struct _VouchAcmeJws VouchAcmeJws;

VouchAcmeJws    *vouch_acme_jws_parse            (const char       *body,
                                                  gsize             len,
                                                  GError          **error);
VouchAcmeJws    *vouch_acme_jws_parse_eab        (JsonNode         *node,
                                                  GError          **error);
void             vouch_acme_jws_free             (VouchAcmeJws     *jws);
const char      *vouch_acme_jws_get_alg          (VouchAcmeJws     *jws);
const char      *vouch_acme_jws_get_nonce        (VouchAcmeJws     *jws);
const char      *vouch_acme_jws_get_url          (VouchAcmeJws     *jws);
const char      *vouch_acme_jws_get_kid          (VouchAcmeJws     *jws);
JsonObject      *vouch_acme_jws_get_jwk          (VouchAcmeJws     *jws);
GBytes          *vouch_acme_jws_get_payload      (VouchAcmeJws     *jws);
gboolean         vouch_acme_jws_is_post_as_get   (VouchAcmeJws     *jws);
JsonObject      *vouch_acme_jws_get_payload_object (VouchAcmeJws   *jws,
                                                  GError          **error);
gboolean         vouch_acme_jws_verify           (VouchAcmeJws     *jws,
                                                  gnutls_pubkey_t   key,
                                                  GError          **error);
gboolean         vouch_acme_jws_verify_hmac      (VouchAcmeJws     *jws,
                                                  GBytes           *key,
                                                  GError          **error);

gnutls_pubkey_t  vouch_acme_jwk_import           (JsonObject       *jwk,
                                                  const char       *alg,
                                                  GError          **error);
char            *vouch_acme_jwk_thumbprint       (JsonObject       *jwk,
                                                  char            **canonical,
                                                  GError          **error);

char            *vouch_acme_base64url_encode     (const guint8     *data,
                                                  gsize             len);
GBytes          *vouch_acme_base64url_decode     (const char       *text,
                                                  GError          **error);
char            *vouch_acme_random_id            (gsize             n_bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchAcmeJws, vouch_acme_jws_free)

G_END_DECLS
