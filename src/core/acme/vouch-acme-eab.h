/* vouch-acme-eab.h: External Account Binding keys (RFC 8555 §7.3.4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-acme-eab-key.h"
#include "vouch-inventory.h"

G_BEGIN_DECLS

#define VOUCH_ACME_EAB_KEY_BYTES 32

gboolean  vouch_acme_eab_create       (VouchInventory      *inventory,
                                       const char * const  *patterns,
                                       GCancellable        *cancellable,
                                       char               **out_id,
                                       char               **out_hmac_key,
                                       GError             **error);
GBytes   *vouch_acme_eab_lookup_hmac  (VouchInventory      *inventory,
                                       const char          *id,
                                       GCancellable        *cancellable,
                                       GError             **error);
gboolean  vouch_acme_eab_revoke       (VouchInventory      *inventory,
                                       const char          *id,
                                       GCancellable        *cancellable,
                                       GError             **error);
char     *vouch_acme_base64url        (const guint8        *data,
                                       gsize                len);

G_END_DECLS
