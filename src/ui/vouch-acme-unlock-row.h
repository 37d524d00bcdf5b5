/* vouch-acme-unlock-row.h: ACME orders wait for a locked keyring; unlock it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-authority.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_ACME_UNLOCK_ROW (vouch_acme_unlock_row_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeUnlockRow, vouch_acme_unlock_row, VOUCH, ACME_UNLOCK_ROW, AdwActionRow)

void      vouch_acme_unlock_row_set_authority (VouchAcmeUnlockRow *self,
                                               VouchAuthority     *authority);
void      vouch_acme_unlock_row_check         (VouchAcmeUnlockRow *self);
gboolean  vouch_acme_unlock_row_get_busy      (VouchAcmeUnlockRow *self);

G_END_DECLS
