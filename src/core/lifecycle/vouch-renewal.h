/* vouch-renewal.h: renew certificates before they expire, and queue
 * devices that are away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-bulk-onboarding.h"
#include "vouch-discovery.h"
#include "vouch-onboarding.h"

G_BEGIN_DECLS

#define VOUCH_RENEWAL_MAX_ATTEMPTS 10

#define VOUCH_TYPE_RENEWAL (vouch_renewal_get_type ())

G_DECLARE_FINAL_TYPE (VouchRenewal, vouch_renewal, VOUCH, RENEWAL, GObject)

VouchRenewal        *vouch_renewal_new               (VouchOnboarding      *onboarding,
                                                      VouchDiscovery       *discovery);
GListModel          *vouch_renewal_get_queue         (VouchRenewal         *self);
GListModel          *vouch_renewal_list_due          (VouchRenewal         *self,
                                                      gint64                now,
                                                      guint                 within_days,
                                                      GError              **error);
VouchBulkOnboarding *vouch_renewal_create_bulk       (VouchRenewal         *self,
                                                      GListModel           *devices,
                                                      guint                 concurrency);
void                 vouch_renewal_renew_async       (VouchRenewal         *self,
                                                      VouchDevice          *device,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
VouchCertificate    *vouch_renewal_renew_finish      (VouchRenewal         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
gboolean             vouch_renewal_error_is_offline  (const GError         *error);
gboolean             vouch_renewal_needs_reissue     (VouchDevice          *device,
                                                      VouchCertificate     *active,
                                                      char                **out_reason);

G_END_DECLS
