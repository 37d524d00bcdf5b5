/* vouch-root-token.h: moving the root's key onto a security key, and
 * saying where the key lives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-authority.h"

G_BEGIN_DECLS

char *vouch_root_token_describe_place (VouchAuthority *authority,
                                       char          **out_meaning);
void  vouch_root_token_move           (GtkWidget      *parent,
                                       VouchAuthority *authority,
                                       GCallback       done,
                                       gpointer        user_data,
                                       GDestroyNotify  user_data_free);

G_END_DECLS
