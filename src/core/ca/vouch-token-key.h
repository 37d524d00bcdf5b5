/* vouch-token-key.h: the root's key on a PKCS#11 token (security key, smart
 * card, HSM), reached only through GnuTLS's PKCS#11 support
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gnutls/abstract.h>

#include "vouch-key-type.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_TOKEN_KEY (vouch_token_key_get_type ())

G_DECLARE_FINAL_TYPE (VouchTokenKey, vouch_token_key, VOUCH, TOKEN_KEY, GObject)

GStrv             vouch_token_key_list_tokens      (GError              **error);
VouchTokenKey    *vouch_token_key_new_for_token    (const char           *token_uri,
                                                    GError              **error);
VouchTokenKey    *vouch_token_key_new_from_json    (const char           *json,
                                                    GError              **error);
char             *vouch_token_key_to_json          (VouchTokenKey        *self);
VouchTokenKey    *vouch_token_key_generate         (const char           *token_uri,
                                                    VouchKeyType          key_type,
                                                    const char           *pin,
                                                    GError              **error);
VouchTokenKey    *vouch_token_key_copy             (const char           *token_uri,
                                                    gnutls_x509_privkey_t xkey,
                                                    const char           *pin,
                                                    GError              **error);
gnutls_privkey_t  vouch_token_key_open             (VouchTokenKey        *self,
                                                    const char           *pin,
                                                    GError              **error);
gboolean          vouch_token_key_check_protected  (VouchTokenKey        *self,
                                                    const char           *pin,
                                                    GError              **error);
gboolean          vouch_token_key_delete           (VouchTokenKey        *self,
                                                    const char           *pin,
                                                    GError              **error);
void              vouch_token_key_translate_error  (VouchTokenKey        *self,
                                                    int                   ret,
                                                    GError              **error);
const char       *vouch_token_key_get_uri          (VouchTokenKey        *self);
const char       *vouch_token_key_get_label        (VouchTokenKey        *self);
const char       *vouch_token_key_get_model        (VouchTokenKey        *self);
const char       *vouch_token_key_get_manufacturer (VouchTokenKey        *self);
const char       *vouch_token_key_get_serial       (VouchTokenKey        *self);

G_END_DECLS
