/* vouch-by-hand-dialog.h: the guided path for a device that has only its
 * own web page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"
#include "vouch-device.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_BY_HAND_DIALOG (vouch_by_hand_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VouchByHandDialog, vouch_by_hand_dialog, VOUCH, BY_HAND_DIALOG, AdwWindow)

VouchByHandDialog *vouch_by_hand_dialog_new      (VouchApplication  *application,
                                                  VouchDevice       *device);
gboolean           vouch_by_hand_dialog_get_busy (VouchByHandDialog *self);
gboolean           vouch_by_hand_dialog_fits     (VouchDevice       *device);

G_END_DECLS
