/* vouch-onboard-dialog-private.h: what only vouch-onboard-dialog.c and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-onboard-dialog.h"

G_BEGIN_DECLS

/* For tests only. */
const char         *_vouch_onboard_dialog_get_message  (VouchOnboardDialog *self);

G_END_DECLS
