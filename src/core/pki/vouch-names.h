/* vouch-names.h: checking and normalizing the names a certificate covers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VOUCH_NAME_MAX_LENGTH 253

char     *vouch_names_normalize_dns (const char  *name,
                                     gboolean     allow_wildcard,
                                     GError     **error);
char     *vouch_names_normalize     (const char  *name,
                                     GError     **error);
gboolean  vouch_names_is_address    (const char  *name);

G_END_DECLS
