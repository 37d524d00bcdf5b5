/* vouch-key-type.h: the key types a root or a device may use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <gnutls/gnutls.h>

G_BEGIN_DECLS

typedef enum
{
  VOUCH_KEY_TYPE_ECDSA_P256,
  VOUCH_KEY_TYPE_ECDSA_P384,
  VOUCH_KEY_TYPE_RSA_3072,
  VOUCH_KEY_TYPE_RSA_4096,
} VouchKeyType;

#define VOUCH_TYPE_KEY_TYPE (vouch_key_type_get_type ())
GType vouch_key_type_get_type (void);

#define VOUCH_KEY_TYPE_DEFAULT VOUCH_KEY_TYPE_ECDSA_P256

gboolean             vouch_key_type_from_string    (const char             *text,
                                                    VouchKeyType           *out_type);
const char          *vouch_key_type_to_string      (VouchKeyType            type);
const char          *vouch_key_type_to_label       (VouchKeyType            type);
gnutls_pk_algorithm_t vouch_key_type_get_algorithm (VouchKeyType            type);
unsigned int         vouch_key_type_get_bits       (VouchKeyType            type);
gnutls_digest_algorithm_t vouch_key_type_get_digest (VouchKeyType           type);
gboolean             vouch_key_type_from_pubkey    (gnutls_pubkey_t         pubkey,
                                                    VouchKeyType           *out_type);

G_END_DECLS
