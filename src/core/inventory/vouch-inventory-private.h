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
  /* Recursive: the ACME store shares the connection, and a request it
   * holds (_vouch_inventory_hold()) may call the inventory. */
  GRecMutex      mutex;
  /* Inside _vouch_inventory_hold(): @reading while the held reads'
   * transaction is open. */
  guint          holds;
  gboolean       reading;
  gint           syncs;     /* vouch_inventory_sync()s done, for tests */
  gint           wal_frames;  /* in the WAL after the last commit */
  gint           checkpoints; /* vouch_inventory_sync()'s, for tests */
  /* vouch_inventory_sync()'s checkpoints, on a connection of their own,
   * one at a time. */
  sqlite3       *checkpointer;
  GMutex         checkpoint_mutex;

  /* Prepared once and reused under the mutex: every issuance runs these
   * four, and compiling their SQL each time took about as many
   * instructions as running it. */
  sqlite3_stmt  *begin_stmt;
  sqlite3_stmt  *read_stmt;
  sqlite3_stmt  *commit_stmt;
  sqlite3_stmt  *insert_certificate_stmt;
  sqlite3_stmt  *insert_audit_stmt;
  /* Onboarding saves each device at every step, looks up its undelivered
   * certificates once per run and confirms one certificate. */
  sqlite3_stmt  *save_device_stmt;
  sqlite3_stmt  *list_undelivered_stmt;
  sqlite3_stmt  *supersede_stmt;
  sqlite3_stmt  *activate_stmt;
  /* _vouch_inventory_run_locked()'s: SQL text (static) → statement. */
  GHashTable    *statements;
};

sqlite3          *_vouch_inventory_get_db               (VouchInventory      *self);
gboolean          _vouch_inventory_set_sqlite_error     (VouchInventory      *self,
                                                         GError             **error,
                                                         const char          *what);
char             *_vouch_inventory_strv_to_json         (const char * const  *strv);
sqlite3_stmt     *_vouch_inventory_prepare_cached       (VouchInventory      *self,
                                                         sqlite3_stmt       **cache,
                                                         const char          *sql);
void              _vouch_inventory_release_cached       (sqlite3_stmt        *stmt);
gboolean          _vouch_inventory_begin                (VouchInventory      *self,
                                                         GError             **error);
gboolean          _vouch_inventory_commit               (VouchInventory      *self,
                                                         GError             **error);
void              _vouch_inventory_rollback             (VouchInventory      *self);
guint             _vouch_inventory_get_syncs            (VouchInventory      *self);
guint             _vouch_inventory_get_checkpoints      (VouchInventory      *self);
int               _vouch_inventory_wal_hook             (gpointer             user_data,
                                                         sqlite3             *db,
                                                         const char          *name,
                                                         int                  frames);
GRecMutexLocker  *_vouch_inventory_lock                 (VouchInventory      *self);
void              _vouch_inventory_hold                 (VouchInventory      *self);
void              _vouch_inventory_release              (VouchInventory      *self);
void              _vouch_inventory_begin_reads          (VouchInventory      *self);
void              _vouch_inventory_end_reads            (VouchInventory      *self);
int               _vouch_inventory_run_locked           (VouchInventory      *self,
                                                         const char          *sql,
                                                         const char * const  *args,
                                                         gsize                n_args,
                                                         GError             **error);
gboolean          _vouch_inventory_append_audit_locked  (VouchInventory      *self,
                                                         const char          *event,
                                                         const char          *device_id,
                                                         const char          *serial,
                                                         const char          *detail,
                                                         GError             **error);
VouchCertificate *_vouch_inventory_certificate_from_row (sqlite3_stmt        *stmt,
                                                         GError             **error);

/* For tests: they set up states and count events directly. */
gboolean          _vouch_inventory_set_certificate_status (VouchInventory           *self,
                                                           const char               *serial,
                                                           VouchCertificateStatus    status,
                                                           GError                  **error);
gboolean          _vouch_inventory_confirm_certificate  (VouchInventory           *self,
                                                         const char               *serial,
                                                         const char               *device_id,
                                                         GError                  **error);
gint64            _vouch_inventory_count_audit_events   (VouchInventory           *self,
                                                         const char               *event);
/* vouch-inventory-schema.c: step N takes user_version from N to N + 1. */
extern const char * const _vouch_inventory_migrations[];
extern const gsize        _vouch_inventory_n_migrations;

G_END_DECLS
