/* vouchctl-token.h: the root's key on a security key (PKCS#11)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vouch-authority.h"

G_BEGIN_DECLS

void  vouchctl_add_pin_option     (GOptionContext *context);
void  vouchctl_set_pin_func       (VouchAuthority *authority);
void  vouchctl_add_key_place_json (JsonBuilder    *builder,
                                   VouchTokenKey  *token);
char *vouchctl_describe_key_place (VouchTokenKey  *token);
int   vouchctl_ca_tokens          (int             argc,
                                   char          **argv);
int   vouchctl_ca_move_to_token   (int             argc,
                                   char          **argv);
int   vouchctl_ca_pin             (int             argc,
                                   char          **argv);

G_END_DECLS
