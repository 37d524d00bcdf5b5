/* vouch-authority.h: this machine's certificate authority
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-inventory.h"
#include "vouch-key-store.h"
#include "vouch-root-ca.h"
#include "vouch-signing-policy.h"
#include "vouch-token-key.h"

G_BEGIN_DECLS

typedef struct
{
  guint               days;
  const char * const *add_names;
  const char * const *remove_names;
  const char         *device_id;
  gboolean            client_auth;
  /* For CSRs fetched from a device: the nonce the CSR must carry, and the
   * key it must be for when the device was asked to keep its key. */
  const char         *expected_challenge;
  const char         *expected_key_sha256;
  /* A second audit event (with its JSON detail) about the certificate,
   * recorded in the same transaction as the certificate: say, who asked
   * for it over ACME. */
  const char         *audit_event;
  const char         *audit_detail;
  /* What else the certificate's transaction records (say, its ACME order
   * becoming valid); called on the signing thread, with @record_data. */
  VouchInventoryRecordFunc record_func;
  gpointer                 record_data;
} VouchSignOptions;

#define VOUCH_SIGN_OPTIONS_INIT \
  { VOUCH_LEAF_DEFAULT_DAYS, NULL, NULL, NULL, FALSE, NULL, NULL, NULL, NULL, NULL, NULL }

#define VOUCH_TYPE_AUTHORITY (vouch_authority_get_type ())

G_DECLARE_FINAL_TYPE (VouchAuthority, vouch_authority, VOUCH, AUTHORITY, GObject)

/**
 * VouchAuthorityPinFunc:
 * @token: the token whose PIN is needed
 * @previous: (nullable): why the last PIN given was refused
 * @keep: (out): set to %TRUE when the operator asked to keep the PIN in
 *   the keyring; it is kept once the token has accepted it
 *
 * Asks the operator for a token's PIN. Called on the thread that signs,
 * never the main one for the app's asynchronous operations.
 *
 * Returns: (transfer full) (nullable): the PIN (wiped and freed by the
 *   authority), or %NULL when the operator declined
 */
typedef char *(*VouchAuthorityPinFunc) (VouchAuthority *self,
                                        VouchTokenKey  *token,
                                        const GError   *previous,
                                        gboolean       *keep,
                                        gpointer        user_data);

VouchAuthority   *vouch_authority_new                (const char              *data_dir);
char             *vouch_authority_default_root_name  (void);
gboolean          vouch_authority_load               (VouchAuthority          *self,
                                                      GError                 **error);
const char       *vouch_authority_get_data_dir       (VouchAuthority          *self);
VouchRootCa      *vouch_authority_get_root           (VouchAuthority          *self);
VouchInventory   *vouch_authority_get_inventory      (VouchAuthority          *self);
VouchKeyStore    *vouch_authority_get_key_store      (VouchAuthority          *self);
VouchSigningPolicy *vouch_authority_get_policy       (VouchAuthority          *self);
gboolean          vouch_authority_create_root        (VouchAuthority          *self,
                                                      const char              *name,
                                                      VouchKeyType             key_type,
                                                      VouchNameConstraints    *constraints,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
gboolean          vouch_authority_import_root        (VouchAuthority          *self,
                                                      VouchRootCa             *root,
                                                      const char              *event,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
VouchTokenKey    *vouch_authority_get_token_key      (VouchAuthority          *self);
void              vouch_authority_set_pin_func       (VouchAuthority          *self,
                                                      VouchAuthorityPinFunc    func,
                                                      gpointer                 user_data,
                                                      GDestroyNotify           destroy);
void              vouch_authority_set_token_pin      (VouchAuthority          *self,
                                                      const char              *pin);
gboolean          vouch_authority_keep_token_pin     (VouchAuthority          *self,
                                                      gboolean                 keep,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
gboolean          vouch_authority_get_token_pin_kept (VouchAuthority          *self);
gboolean          vouch_authority_create_root_on_token (VouchAuthority        *self,
                                                      const char              *name,
                                                      VouchKeyType             key_type,
                                                      VouchNameConstraints    *constraints,
                                                      const char              *token_uri,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
void              vouch_authority_create_root_on_token_async (VouchAuthority  *self,
                                                      const char              *name,
                                                      VouchKeyType             key_type,
                                                      VouchNameConstraints    *constraints,
                                                      const char              *token_uri,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
gboolean          vouch_authority_create_root_on_token_finish (VouchAuthority *self,
                                                      GAsyncResult            *result,
                                                      GError                 **error);
gboolean          vouch_authority_move_to_token      (VouchAuthority          *self,
                                                      const char              *token_uri,
                                                      gboolean                 backup_exists,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
void              vouch_authority_move_to_token_async (VouchAuthority         *self,
                                                      const char              *token_uri,
                                                      gboolean                 backup_exists,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
gboolean          vouch_authority_move_to_token_finish (VouchAuthority        *self,
                                                      GAsyncResult            *result,
                                                      GError                 **error);
void              vouch_authority_hold               (VouchAuthority          *self);
void              vouch_authority_release            (VouchAuthority          *self);
GBytes           *vouch_authority_backup             (VouchAuthority          *self,
                                                      const char              *passphrase,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
gboolean          vouch_authority_restore            (VouchAuthority          *self,
                                                      GBytes                  *pkcs12,
                                                      const char              *passphrase,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
GBytes           *vouch_authority_export_root        (VouchAuthority          *self,
                                                      gboolean                 der,
                                                      GError                 **error);
VouchCertificate *vouch_authority_sign               (VouchAuthority          *self,
                                                      const guint8            *csr,
                                                      gsize                    csr_len,
                                                      const VouchSignOptions  *options,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);

void              vouch_authority_create_root_async  (VouchAuthority          *self,
                                                      const char              *name,
                                                      VouchKeyType             key_type,
                                                      VouchNameConstraints    *constraints,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
gboolean          vouch_authority_create_root_finish (VouchAuthority          *self,
                                                      GAsyncResult            *result,
                                                      GError                 **error);
void              vouch_authority_sign_async         (VouchAuthority          *self,
                                                      GBytes                  *csr,
                                                      const VouchSignOptions  *options,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
VouchCertificate *vouch_authority_sign_finish        (VouchAuthority          *self,
                                                      GAsyncResult            *result,
                                                      GError                 **error);

void              vouch_authority_backup_async       (VouchAuthority          *self,
                                                      const char              *passphrase,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
GBytes           *vouch_authority_backup_finish      (VouchAuthority          *self,
                                                      GAsyncResult            *result,
                                                      GError                 **error);
void              vouch_authority_restore_async      (VouchAuthority          *self,
                                                      GBytes                  *pkcs12,
                                                      const char              *passphrase,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
gboolean          vouch_authority_restore_finish     (VouchAuthority          *self,
                                                      GAsyncResult            *result,
                                                      GError                 **error);
void              vouch_authority_import_files_async (VouchAuthority          *self,
                                                      GBytes                  *cert_or_pkcs12,
                                                      GBytes                  *key,
                                                      const char              *passphrase,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
gboolean          vouch_authority_import_files_finish (VouchAuthority         *self,
                                                      GAsyncResult            *result,
                                                      GError                 **error);

G_END_DECLS
