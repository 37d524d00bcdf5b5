/* vouch-key-store.h: secrets in the user's keyring (Secret Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_KEY_STORE (vouch_key_store_get_type ())

G_DECLARE_FINAL_TYPE (VouchKeyStore, vouch_key_store, VOUCH, KEY_STORE, GObject)

VouchKeyStore *vouch_key_store_new                  (void);
gboolean       vouch_key_store_store_root_key       (VouchKeyStore        *self,
                                                     const char           *root_sha256,
                                                     const char           *root_name,
                                                     const char           *pkcs8_pem,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
char          *vouch_key_store_lookup_root_key      (VouchKeyStore        *self,
                                                     const char           *root_sha256,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
gboolean       vouch_key_store_clear_root_key       (VouchKeyStore        *self,
                                                     const char           *root_sha256,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
gboolean       vouch_key_store_root_key_is_locked   (VouchKeyStore        *self,
                                                     const char           *root_sha256,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
gboolean       vouch_key_store_unlock_root_key      (VouchKeyStore        *self,
                                                     const char           *root_sha256,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void           vouch_key_store_lookup_root_key_async  (VouchKeyStore        *self,
                                                       const char           *root_sha256,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
char          *vouch_key_store_lookup_root_key_finish (VouchKeyStore        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
gboolean       vouch_key_store_store_device_secret  (VouchKeyStore        *self,
                                                     const char           *device_id,
                                                     const char           *device_name,
                                                     const char           *secret,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void           vouch_key_store_store_device_secret_async  (VouchKeyStore        *self,
                                                           const char           *device_id,
                                                           const char           *device_name,
                                                           const char           *secret,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean       vouch_key_store_store_device_secret_finish (VouchKeyStore        *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
char          *vouch_key_store_lookup_device_secret (VouchKeyStore        *self,
                                                     const char           *device_id,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
gboolean       vouch_key_store_store_token_pin      (VouchKeyStore        *self,
                                                     const char           *token_serial,
                                                     const char           *token_label,
                                                     const char           *pin,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
char          *vouch_key_store_lookup_token_pin     (VouchKeyStore        *self,
                                                     const char           *token_serial,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
gboolean       vouch_key_store_clear_token_pin      (VouchKeyStore        *self,
                                                     const char           *token_serial,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void           vouch_key_store_free_secret          (char                 *secret);

G_END_DECLS
