/* vouch-setup-code.h: the short code a device shows to commit to its key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gnutls/abstract.h>

#include "vouch-util.h"

G_BEGIN_DECLS

/* 12 Crockford base32 symbols carry the first 60 bits of SHA-256(SPKI). */
#define VOUCH_SETUP_CODE_SYMBOLS 12
#define VOUCH_SETUP_CODE_BITS    60
/* The grouped form: XXXX-XXXX-XXXX. */
#define VOUCH_SETUP_CODE_GROUPED_LEN 14

#define VOUCH_SETUP_CODE_QR_PREFIX  "VOUCH:1:"

char     *vouch_setup_code_from_spki_sha256 (const guint8   digest[VOUCH_SHA256_LEN]);
char     *vouch_setup_code_from_pubkey      (gnutls_pubkey_t pubkey,
                                             GError        **error);
char     *vouch_setup_code_normalize        (const char     *text,
                                             GError        **error);
gboolean  vouch_setup_code_matches          (const char     *text,
                                             const guint8    spki_sha256[VOUCH_SHA256_LEN],
                                             GError        **error);
char     *vouch_setup_code_make_qr_payload  (const char     *code,
                                             const char     *device_id,
                                             GError        **error);
gboolean  vouch_setup_code_parse_qr_payload (const char     *payload,
                                             char          **out_code,
                                             char          **out_device_id,
                                             GError        **error);

G_END_DECLS
