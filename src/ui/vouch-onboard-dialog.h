/* vouch-onboard-dialog.h: onboard one device, step by step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_ONBOARD_DIALOG (vouch_onboard_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VouchOnboardDialog, vouch_onboard_dialog, VOUCH, ONBOARD_DIALOG, AdwWindow)

VouchOnboardDialog *vouch_onboard_dialog_new          (VouchApplication   *application,
                                                       VouchDevice        *device);
const char         *vouch_onboard_dialog_get_step_name (VouchOnboardDialog *self);

G_END_DECLS
