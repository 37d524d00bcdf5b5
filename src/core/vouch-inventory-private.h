/* vouch-inventory-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "vouch-inventory.h"

G_BEGIN_DECLS

/* Shared by vouch-inventory.c (certificates, audit) and
 * vouch-inventory-devices.c (device records). */
struct _VouchInventory
{
  GObject        parent_instance;

  char          *path;
  sqlite3       *db;
  GMutex         mutex;

  /* Prepared once and reused under the mutex: every issuance runs these
   * four, and compiling their SQL each time took about as many
   * instructions as running it. */
  sqlite3_stmt  *begin_stmt;
  sqlite3_stmt  *commit_stmt;
  sqlite3_stmt  *insert_certificate_stmt;
  sqlite3_stmt  *insert_audit_stmt;
};

gboolean          _vouch_inventory_set_sqlite_error     (VouchInventory      *self,
                                                         GError             **error,
                                                         const char          *what);
char             *_vouch_inventory_strv_to_json         (const char * const  *strv);
VouchCertificate *_vouch_inventory_certificate_from_row (sqlite3_stmt        *stmt,
                                                         GError             **error);

G_END_DECLS
