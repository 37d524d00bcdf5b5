/* vouch-root-actions.h: backing up, restoring and exporting the root from
 * any page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-authority.h"

G_BEGIN_DECLS

void vouch_root_actions_backup  (GtkWidget      *parent,
                                 VouchAuthority *authority);
void vouch_root_actions_restore (GtkWidget      *parent,
                                 VouchAuthority *authority,
                                 GCallback       done,
                                 gpointer        user_data,
                                 GDestroyNotify  user_data_free);
void vouch_root_actions_export  (GtkWidget      *parent,
                                 VouchAuthority *authority,
                                 gboolean        der);

G_END_DECLS
