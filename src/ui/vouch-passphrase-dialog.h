/* vouch-passphrase-dialog.h: asking for a passphrase that stays asked
 * until the work it unlocks has succeeded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_PASSPHRASE_DIALOG (vouch_passphrase_dialog_get_type ())

G_DECLARE_FINAL_TYPE (VouchPassphraseDialog, vouch_passphrase_dialog, VOUCH, PASSPHRASE_DIALOG, AdwWindow)

VouchPassphraseDialog *vouch_passphrase_dialog_new             (GtkWidget             *parent,
                                                                const char            *heading,
                                                                const char            *body,
                                                                gboolean               confirm);
GCancellable          *vouch_passphrase_dialog_get_cancellable (VouchPassphraseDialog *self);
void                   vouch_passphrase_dialog_set_field_title (VouchPassphraseDialog *self,
                                                                const char            *title);
void                   vouch_passphrase_dialog_set_option      (VouchPassphraseDialog *self,
                                                                const char            *title,
                                                                const char            *subtitle);
gboolean               vouch_passphrase_dialog_get_option      (VouchPassphraseDialog *self);
void                   vouch_passphrase_dialog_finish          (VouchPassphraseDialog *self,
                                                                const GError          *error);

G_END_DECLS
