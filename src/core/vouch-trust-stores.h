/* vouch-trust-stores.h: every trust store found for one user, as a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-trust-store.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_TRUST_STORES (vouch_trust_stores_get_type ())

G_DECLARE_FINAL_TYPE (VouchTrustStores, vouch_trust_stores, VOUCH, TRUST_STORES, GObject)

/* What vouch_trust_stores_apply_async() does after reading each store. */
typedef enum
{
  VOUCH_TRUST_CHANGE_NONE,
  VOUCH_TRUST_CHANGE_INSTALL,
  VOUCH_TRUST_CHANGE_UNINSTALL,
} VouchTrustChange;

#define VOUCH_TYPE_TRUST_CHANGE (vouch_trust_change_get_type ())
GType vouch_trust_change_get_type (void) G_GNUC_CONST;

VouchTrustStores *vouch_trust_stores_new              (const char           *home_dir,
                                                       VouchCertificate     *certificate);
void              vouch_trust_stores_set_certificate  (VouchTrustStores     *self,
                                                       VouchCertificate     *certificate);
gboolean          vouch_trust_stores_get_busy         (VouchTrustStores     *self);
VouchTrustStore  *vouch_trust_stores_lookup           (VouchTrustStores     *self,
                                                       const char           *id);
void              vouch_trust_stores_reload           (VouchTrustStores     *self);
VouchTrustStore  *vouch_trust_stores_lookup_unstarted_chromium
                                                      (VouchTrustStores     *self);

void              vouch_trust_stores_apply_async      (VouchTrustStores     *self,
                                                       VouchTrustChange      change,
                                                       const char * const   *ids,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean          vouch_trust_stores_apply_finish     (VouchTrustStores     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
