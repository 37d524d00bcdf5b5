/* vouch-authority-private.h: the root's key, for core code that signs with
 * it (vouch-crl.c) and for tests that check how long it stays in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-authority.h"

G_BEGIN_DECLS

/* Called with the root holding its key, under the authority's lock. */
typedef gboolean (*VouchAuthorityKeyFunc) (VouchRootCa  *root,
                                           gpointer      user_data,
                                           GError      **error);

gboolean _vouch_authority_with_key       (VouchAuthority         *self,
                                          VouchAuthorityKeyFunc   func,
                                          gpointer                user_data,
                                          GCancellable           *cancellable,
                                          GError                **error);
gboolean _vouch_authority_get_key_loaded (VouchAuthority         *self);
guint    _vouch_authority_get_key_loads  (VouchAuthority         *self);

G_END_DECLS
