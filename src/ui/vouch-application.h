/* vouch-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-authority.h"
#include "vouch-discovery.h"
#include "vouch-onboarding.h"
#include "vouch-renewal.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_APPLICATION (vouch_application_get_type ())

G_DECLARE_FINAL_TYPE (VouchApplication, vouch_application, VOUCH, APPLICATION, AdwApplication)

VouchApplication *vouch_application_new            (void);
gboolean          vouch_application_get_loaded     (VouchApplication *self);
VouchAuthority   *vouch_application_get_authority  (VouchApplication *self);
VouchDiscovery   *vouch_application_get_discovery  (VouchApplication *self);
VouchOnboarding  *vouch_application_get_onboarding (VouchApplication *self);
VouchRenewal     *vouch_application_get_renewal    (VouchApplication *self);
void              vouch_application_inventory_changed (VouchApplication *self);
void              vouch_application_check_reminders_async  (VouchApplication    *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GListModel       *vouch_application_check_reminders_finish (VouchApplication    *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
gboolean          vouch_application_reminder_tick  (VouchApplication *self);
GSettings        *vouch_application_get_settings   (VouchApplication *self);
const GError     *vouch_application_get_load_error (VouchApplication *self);

G_END_DECLS
