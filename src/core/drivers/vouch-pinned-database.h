/* vouch-pinned-database.h: a TLS database that trusts no certificate
 * authority at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_PINNED_DATABASE (vouch_pinned_database_get_type ())

G_DECLARE_FINAL_TYPE (VouchPinnedDatabase, vouch_pinned_database, VOUCH, PINNED_DATABASE,
                      GTlsDatabase)

GTlsDatabase *vouch_pinned_database_get_default (void);

G_END_DECLS
