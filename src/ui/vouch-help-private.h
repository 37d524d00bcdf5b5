/* vouch-help-private.h: what only vouch-help.c and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-help.h"

G_BEGIN_DECLS

/* For tests only. */
void  _vouch_help_set_launcher_for_testing (VouchHelpLauncher  launcher,
                                            gpointer           user_data);

G_END_DECLS
