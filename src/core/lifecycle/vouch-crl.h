/* vouch-crl.h: the root's certificate revocation list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-authority.h"

G_BEGIN_DECLS

#define VOUCH_CRL_DEFAULT_DAYS 30
#define VOUCH_CRL_MAX_DAYS 366

GBytes   *vouch_crl_generate      (VouchAuthority       *authority,
                                   guint                 next_update_days,
                                   gboolean              der,
                                   GCancellable         *cancellable,
                                   GError              **error);
gboolean  vouch_crl_export        (VouchAuthority       *authority,
                                   const char           *path,
                                   guint                 next_update_days,
                                   gboolean              der,
                                   GCancellable         *cancellable,
                                   GError              **error);
void      vouch_crl_export_async  (VouchAuthority       *authority,
                                   const char           *path,
                                   guint                 next_update_days,
                                   gboolean              der,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean  vouch_crl_export_finish (VouchAuthority       *authority,
                                   GAsyncResult         *result,
                                   GError              **error);

G_END_DECLS
