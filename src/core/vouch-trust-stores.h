/* vouch-trust-stores.h: every trust store found for one user, as a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-trust-store.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_TRUST_STORES (vouch_trust_stores_get_type ())

G_DECLARE_FINAL_TYPE (VouchTrustStores, vouch_trust_stores, VOUCH, TRUST_STORES, GObject)

VouchTrustStores *vouch_trust_stores_new              (const char           *home_dir,
                                                       VouchCertificate     *certificate);
const char       *vouch_trust_stores_get_home_dir     (VouchTrustStores     *self);
VouchCertificate *vouch_trust_stores_get_certificate  (VouchTrustStores     *self);
void              vouch_trust_stores_set_certificate  (VouchTrustStores     *self,
                                                       VouchCertificate     *certificate);
gboolean          vouch_trust_stores_get_busy         (VouchTrustStores     *self);
VouchTrustStore  *vouch_trust_stores_lookup           (VouchTrustStores     *self,
                                                       const char           *id);
void              vouch_trust_stores_reload           (VouchTrustStores     *self);
VouchTrustStore  *vouch_trust_stores_lookup_unstarted_chromium
                                                      (VouchTrustStores     *self);

gboolean          vouch_trust_stores_refresh          (VouchTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
gboolean          vouch_trust_stores_install          (VouchTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
gboolean          vouch_trust_stores_uninstall        (VouchTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

void              vouch_trust_stores_refresh_async    (VouchTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean          vouch_trust_stores_refresh_finish   (VouchTrustStores     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void              vouch_trust_stores_install_async    (VouchTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean          vouch_trust_stores_install_finish   (VouchTrustStores     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void              vouch_trust_stores_uninstall_async  (VouchTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean          vouch_trust_stores_uninstall_finish (VouchTrustStores     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
