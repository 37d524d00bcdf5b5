/* vouch-passphrase-dialog-private.h: what only vouch-passphrase-dialog.c and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-passphrase-dialog.h"

G_BEGIN_DECLS

/* For tests only. */
gboolean               _vouch_passphrase_dialog_get_busy        (VouchPassphraseDialog *self);

G_END_DECLS
