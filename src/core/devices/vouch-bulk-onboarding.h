/* vouch-bulk-onboarding.h: onboard many devices at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-onboarding.h"

G_BEGIN_DECLS

#define VOUCH_BULK_DEFAULT_CONCURRENCY 8

#define VOUCH_TYPE_BULK_ONBOARDING (vouch_bulk_onboarding_get_type ())

G_DECLARE_FINAL_TYPE (VouchBulkOnboarding, vouch_bulk_onboarding, VOUCH, BULK_ONBOARDING, GObject)

VouchBulkOnboarding *vouch_bulk_onboarding_new             (VouchOnboarding            *onboarding,
                                                            GListModel                 *devices,
                                                            guint                       concurrency);
void                 vouch_bulk_onboarding_set_options     (VouchBulkOnboarding        *self,
                                                            const VouchOnboardOptions  *options);
guint                vouch_bulk_onboarding_get_total       (VouchBulkOnboarding        *self);
guint                vouch_bulk_onboarding_get_done        (VouchBulkOnboarding        *self);
guint                vouch_bulk_onboarding_get_failed      (VouchBulkOnboarding        *self);
guint                vouch_bulk_onboarding_get_running     (VouchBulkOnboarding        *self);
const GError        *vouch_bulk_onboarding_get_error       (VouchBulkOnboarding        *self,
                                                            VouchDevice                *device);
void                 vouch_bulk_onboarding_run_async       (VouchBulkOnboarding        *self,
                                                            GCancellable               *cancellable,
                                                            GAsyncReadyCallback         callback,
                                                            gpointer                    user_data);
gboolean             vouch_bulk_onboarding_run_finish      (VouchBulkOnboarding        *self,
                                                            GAsyncResult               *result,
                                                            GError                    **error);

G_END_DECLS
