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
gboolean _vouch_authority_get_key_loaded (VouchAuthority         *self);
guint    _vouch_authority_get_key_loads  (VouchAuthority         *self);

G_END_DECLS
