/* vouch-authority-private.h: the root's key, for core code that signs with
 * it (vouch-crl.c, vouch-authority-sign.c) and for tests that check how
 * long it stays in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-authority.h"

G_BEGIN_DECLS

/* Shared by vouch-authority.c (the root and its key) and
 * vouch-authority-sign.c (issuing).
 *
 * The authority is the one place where the root, the keyring and the
 * inventory meet. The public certificate lives in the data folder; the key
 * is read from the keyring only for an operation that needs it (a
 * signature, a CRL, a backup) and wiped when that operation ends, unless a
 * hold (vouch_authority_hold(), taken by a bulk run for its whole length)
 * keeps it until the last hold is released. There is no idle time: with
 * no hold, the next operation reads the keyring again. The mutex covers
 * the key, the holds and the counter, so signing tasks on several worker
 * threads share one loaded key safely. */
struct _VouchAuthority
{
  GObject              parent_instance;

  char                *data_dir;
  VouchRootCa         *root;
  VouchInventory      *inventory;
  VouchKeyStore       *key_store;
  VouchSigningPolicy  *policy;
  GMutex               mutex;
  guint                holds;
  guint                key_loads;

  /* When the key lives on a PKCS#11 token (vouch-authority-token.c): the
   * token, and its PIN while an operation or a hold needs it. The PIN is
   * wiped with the key; pin_func asks the operator for it. */
  VouchTokenKey       *token_key;
  char                *token_pin;
  gboolean             keep_token_pin;
  VouchAuthorityPinFunc pin_func;
  gpointer             pin_data;
  GDestroyNotify       pin_destroy;
};

/* Called with the root holding its key, under the authority's lock. */
typedef gboolean (*VouchAuthorityKeyFunc) (VouchRootCa  *root,
                                           gpointer      user_data,
                                           GError      **error);

gboolean _vouch_authority_with_key       (VouchAuthority         *self,
                                          VouchAuthorityKeyFunc   func,
                                          gpointer                user_data,
                                          GCancellable           *cancellable,
                                          GError                **error);
gboolean _vouch_authority_require_root    (VouchAuthority         *self,
                                          GError                **error);
gboolean _vouch_authority_check_new_root  (VouchAuthority         *self,
                                          GError                **error);
gboolean _vouch_authority_install_root    (VouchAuthority         *self,
                                          VouchRootCa            *root,
                                          const char             *event,
                                          GError                **error);
gboolean _vouch_authority_audit_root      (VouchAuthority         *self,
                                          const char             *event,
                                          GError                **error);
gboolean _vouch_authority_load_token_key  (VouchAuthority         *self,
                                          GCancellable           *cancellable,
                                          GError                **error);
void     _vouch_authority_clear_token_pin (VouchAuthority        *self);
void     _vouch_authority_explain_token_failure (VouchAuthority  *self,
                                                 GError         **error);
gboolean _vouch_authority_read_key_place  (VouchAuthority         *self,
                                          GError                **error);
char    *_vouch_authority_key_place_path  (VouchAuthority         *self);
gboolean _vouch_authority_get_key_loaded (VouchAuthority         *self);
guint    _vouch_authority_get_key_loads  (VouchAuthority         *self);

G_END_DECLS
