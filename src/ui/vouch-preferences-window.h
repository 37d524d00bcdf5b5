/* vouch-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_PREFERENCES_WINDOW (vouch_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (VouchPreferencesWindow, vouch_preferences_window, VOUCH, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

VouchPreferencesWindow *vouch_preferences_window_new (GSettings *settings);

G_END_DECLS
