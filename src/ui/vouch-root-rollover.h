/* vouch-root-rollover.h: how to move to a new root before this one expires
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"

G_BEGIN_DECLS

char *vouch_root_rollover_dup_steps (VouchApplication *application);
void  vouch_root_rollover_show      (GtkWidget        *parent,
                                     VouchApplication *application);

G_END_DECLS
