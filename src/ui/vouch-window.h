/* vouch-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_WINDOW (vouch_window_get_type ())

G_DECLARE_FINAL_TYPE (VouchWindow, vouch_window, VOUCH, WINDOW, AdwApplicationWindow)

VouchWindow *vouch_window_new       (VouchApplication *application);
gboolean     vouch_window_get_loaded (VouchWindow     *self);
void         vouch_window_add_toast (VouchWindow      *self,
                                     const char       *text);
void         vouch_window_show_page (VouchWindow      *self,
                                     const char       *name);

G_END_DECLS
