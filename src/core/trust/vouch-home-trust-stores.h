/* vouch-home-trust-stores.h: every trust store found for one user, as a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-trust-store.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_HOME_TRUST_STORES (vouch_home_trust_stores_get_type ())

G_DECLARE_FINAL_TYPE (VouchHomeTrustStores, vouch_home_trust_stores, VOUCH, HOME_TRUST_STORES, GObject)

/* What vouch_home_trust_stores_apply_async() does after reading each store. */
typedef enum
{
  VOUCH_TRUST_CHANGE_NONE,
  VOUCH_TRUST_CHANGE_INSTALL,
  VOUCH_TRUST_CHANGE_UNINSTALL,
} VouchTrustChange;

#define VOUCH_TYPE_TRUST_CHANGE (vouch_trust_change_get_type ())
GType vouch_trust_change_get_type (void) G_GNUC_CONST;

VouchHomeTrustStores *vouch_home_trust_stores_new             (const char            *home_dir,
                                                               VouchCertificate      *certificate);
void                  vouch_home_trust_stores_set_certificate (VouchHomeTrustStores  *self,
                                                               VouchCertificate      *certificate);
gboolean              vouch_home_trust_stores_get_busy        (VouchHomeTrustStores  *self);
VouchTrustStore      *vouch_home_trust_stores_lookup          (VouchHomeTrustStores  *self,
                                                               const char            *id);
void                  vouch_home_trust_stores_reload          (VouchHomeTrustStores  *self);
VouchTrustStore      *vouch_home_trust_stores_lookup_unstarted_chromium
                                                              (VouchHomeTrustStores  *self);

void                  vouch_home_trust_stores_apply_async     (VouchHomeTrustStores  *self,
                                                               VouchTrustChange       change,
                                                               const char * const    *ids,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
gboolean              vouch_home_trust_stores_apply_finish    (VouchHomeTrustStores  *self,
                                                               GAsyncResult          *result,
                                                               GError               **error);

G_END_DECLS
