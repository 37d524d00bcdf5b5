/* vouch-home-trust-stores.h: every trust store found for one user, as a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-trust-store.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_HOME_TRUST_STORES (vouch_home_trust_stores_get_type ())

G_DECLARE_FINAL_TYPE (VouchHomeTrustStores, vouch_home_trust_stores, VOUCH, HOME_TRUST_STORES, GObject)

VouchHomeTrustStores *vouch_home_trust_stores_new              (const char           *home_dir,
                                                       VouchCertificate     *certificate);
const char       *vouch_home_trust_stores_get_home_dir     (VouchHomeTrustStores     *self);
VouchCertificate *vouch_home_trust_stores_get_certificate  (VouchHomeTrustStores     *self);
void              vouch_home_trust_stores_set_certificate  (VouchHomeTrustStores     *self,
                                                       VouchCertificate     *certificate);
gboolean          vouch_home_trust_stores_get_busy         (VouchHomeTrustStores     *self);
VouchTrustStore  *vouch_home_trust_stores_lookup           (VouchHomeTrustStores     *self,
                                                       const char           *id);
void              vouch_home_trust_stores_reload           (VouchHomeTrustStores     *self);
VouchTrustStore  *vouch_home_trust_stores_lookup_unstarted_chromium
                                                      (VouchHomeTrustStores     *self);

gboolean          vouch_home_trust_stores_refresh          (VouchHomeTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
gboolean          vouch_home_trust_stores_install          (VouchHomeTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
gboolean          vouch_home_trust_stores_uninstall        (VouchHomeTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

void              vouch_home_trust_stores_refresh_async    (VouchHomeTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean          vouch_home_trust_stores_refresh_finish   (VouchHomeTrustStores     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void              vouch_home_trust_stores_install_async    (VouchHomeTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean          vouch_home_trust_stores_install_finish   (VouchHomeTrustStores     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void              vouch_home_trust_stores_uninstall_async  (VouchHomeTrustStores     *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean          vouch_home_trust_stores_uninstall_finish (VouchHomeTrustStores     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
