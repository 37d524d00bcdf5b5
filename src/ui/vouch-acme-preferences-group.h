/* vouch-acme-preferences-group.h: Preferences' switches for the ACME server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_ACME_PREFERENCES_GROUP (vouch_acme_preferences_group_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmePreferencesGroup, vouch_acme_preferences_group,
                      VOUCH, ACME_PREFERENCES_GROUP, AdwPreferencesGroup)

gboolean vouch_acme_preferences_group_get_busy (VouchAcmePreferencesGroup *self);

G_END_DECLS
