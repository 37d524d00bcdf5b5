/* vouch-inventory-connection.c: the inventory's one connection
 *
 * Its lock (recursive, since the ACME store shares the connection and a
 * request it holds may call the inventory), its transactions and cached
 * statements, the WAL's checkpoints and the sync that makes an issued
 * certificate survive a power cut.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-inventory"

#include "vouch-config.h"

#include "vouch-inventory-private.h"

#include "vouch-error.h"

#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <unistd.h>

/* SQLite's own automatic checkpoint comes at 1000 WAL frames, in
 * whichever commit crosses them: on the ACME server's main thread, that
 * commit then waited for two syncs of the disk. vouch_inventory_sync()
 * checkpoints at this many, on its thread and its own connection; a
 * process that never syncs still checkpoints in the commit, later. */
#define CHECKPOINT_FRAMES 1000
#define CHECKPOINT_INLINE_FRAMES (4 * CHECKPOINT_FRAMES)

/* For the ACME store, which runs its statements on this connection with
 * the mutex held (_vouch_inventory_hold()). */
sqlite3 *
_vouch_inventory_get_db (VouchInventory *self)
{
  return self->db;
}

/* Returns the statement for @sql, compiling it on first use. The caller
 * holds the mutex and hands it back with release_cached(). */
sqlite3_stmt *
_vouch_inventory_prepare_cached (VouchInventory  *self,
                                 sqlite3_stmt   **cache,
                                 const char      *sql)
{
  if (*cache == NULL &&
      sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, cache, NULL) != SQLITE_OK)
    {
      g_clear_pointer (cache, sqlite3_finalize);
      return NULL;
    }

  return *cache;
}

/* A statement left unreset would keep its transaction's locks, and its
 * bindings would point at the caller's freed strings. */
void
_vouch_inventory_release_cached (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* Runs a cached statement without parameters, such as BEGIN or COMMIT,
 * failing as exec() does. */
static gboolean
exec_cached (VouchInventory  *self,
             sqlite3_stmt   **cache,
             const char      *sql,
             GError         **error)
{
  sqlite3_stmt *stmt = _vouch_inventory_prepare_cached (self, cache, sql);
  gboolean ok = stmt != NULL && sqlite3_step (stmt) == SQLITE_DONE;

  if (!ok)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                 _("The inventory %s could not be updated: %s"), self->path,
                 sqlite3_errmsg (self->db));
  if (stmt != NULL)
    _vouch_inventory_release_cached (stmt);
  return ok;
}

/**
 * _vouch_inventory_hold:
 *
 * Until _vouch_inventory_release(), this thread has the connection, and
 * reads share one read transaction (so one snapshot) up to the next
 * write, which ends it: a request's several lookups then take SQLite's
 * locks and check the WAL once, not once each. Hold only for work that
 * runs without yielding to the main loop: others wait meanwhile.
 */
void
_vouch_inventory_hold (VouchInventory *self)
{
  g_rec_mutex_lock (&self->mutex);
  self->holds++;
}

void
_vouch_inventory_release (VouchInventory *self)
{
  g_return_if_fail (self->holds > 0);
  if (--self->holds == 0)
    _vouch_inventory_end_reads (self);
  g_rec_mutex_unlock (&self->mutex);
}

/* Before a read, with the mutex held: inside a hold, opens its read
 * transaction (not inside a write transaction: its reads are already
 * one). */
void
_vouch_inventory_begin_reads (VouchInventory *self)
{
  if (self->holds > 0 && !self->reading && sqlite3_get_autocommit (self->db))
    self->reading = exec_cached (self, &self->read_stmt, "BEGIN;", NULL);
}

/* Before a write, with the mutex held: a deferred transaction that read
 * and then wrote would fail with SQLITE_BUSY whenever another connection
 * had written in between, and BEGIN cannot nest. */
void
_vouch_inventory_end_reads (VouchInventory *self)
{
  if (self->reading)
    self->reading = !exec_cached (self, &self->commit_stmt, "COMMIT;", NULL);
}

/* Takes the connection for one of the inventory's own operations. A
 * request the ACME store holds (_vouch_inventory_hold()) may call them on
 * its thread: the held read transaction ends first, so their writes are
 * committed as they return, not joined to it. */
GRecMutexLocker *
_vouch_inventory_lock (VouchInventory *self)
{
  GRecMutexLocker *locker = g_rec_mutex_locker_new (&self->mutex);

  _vouch_inventory_end_reads (self);
  return locker;
}

gboolean
_vouch_inventory_begin (VouchInventory  *self,
                        GError         **error)
{
  _vouch_inventory_end_reads (self);
  return exec_cached (self, &self->begin_stmt, "BEGIN IMMEDIATE;", error);
}

gboolean
_vouch_inventory_commit (VouchInventory  *self,
                         GError         **error)
{
  return exec_cached (self, &self->commit_stmt, "COMMIT;", error);
}

void
_vouch_inventory_rollback (VouchInventory *self)
{
  sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
}

/**
 * _vouch_inventory_run_locked:
 * @sql: a statement of static storage: it keys the compiled statement
 * @args: (array length=n_args): text parameters, NULL for SQL NULL
 *
 * Runs @sql on the inventory's connection, for a #VouchInventoryRecordFunc
 * that holds the lock inside the certificate's transaction; compiled once.
 *
 * Returns: the rows it changed, or -1 with @error
 */
int
_vouch_inventory_run_locked (VouchInventory      *self,
                             const char          *sql,
                             const char * const  *args,
                             gsize                n_args,
                             GError             **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                              NULL) != SQLITE_OK)
        {
          _vouch_inventory_set_sqlite_error (self, error, _("Could not record the change"));
          sqlite3_finalize (stmt);
          return -1;
        }
      g_hash_table_insert (self->statements, (gpointer)sql, stmt);
    }
  for (gsize i = 0; i < n_args; i++)
    sqlite3_bind_text (stmt, i + 1, args[i], -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    _vouch_inventory_set_sqlite_error (self, error, _("Could not record the change"));
  _vouch_inventory_release_cached (stmt);
  return rc == SQLITE_DONE ? sqlite3_changes (self->db) : -1;
}

/* After every commit (it replaces SQLite's automatic checkpoint): counts
 * the WAL's frames for vouch_inventory_sync(), and checkpoints here only
 * if nobody did long after the usual size. */
int
_vouch_inventory_wal_hook (gpointer    user_data,
                           sqlite3    *db,
                           const char *name,
                           int         frames)
{
  VouchInventory *self = user_data;

  g_atomic_int_set (&self->wal_frames, frames);
  if (frames >= CHECKPOINT_INLINE_FRAMES)
    sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  return SQLITE_OK;
}

/* Moves the WAL's pages into the database file once it has grown, on a
 * connection of its own, so the inventory's connection (and the ACME
 * server's main thread on it) goes on meanwhile. A passive checkpoint
 * syncs the WAL before and the database file after: nothing committed is
 * weakened. One at a time; a failure leaves it to the next sync. */
static void
checkpoint (VouchInventory *self)
{
  int rc = SQLITE_OK;

  if (g_atomic_int_get (&self->wal_frames) < CHECKPOINT_FRAMES ||
      !g_mutex_trylock (&self->checkpoint_mutex))
    return;
  /* A new connection knows the file is in WAL mode (without which the
   * checkpoint does nothing) only once it has read it. */
  if (self->checkpointer == NULL &&
      ((rc = sqlite3_open_v2 (self->path, &self->checkpointer,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL)) != SQLITE_OK ||
       (rc = sqlite3_exec (self->checkpointer, "PRAGMA journal_mode = WAL;", NULL, NULL,
                           NULL)) != SQLITE_OK))
    g_clear_pointer (&self->checkpointer, sqlite3_close);
  if (self->checkpointer != NULL)
    rc = sqlite3_wal_checkpoint_v2 (self->checkpointer, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                    NULL);
  if (rc != SQLITE_OK)
    g_debug ("The inventory %s waits for a later checkpoint: %s", self->path,
             sqlite3_errstr (rc));
  else
    g_atomic_int_inc (&self->checkpoints);
  g_mutex_unlock (&self->checkpoint_mutex);
}

/**
 * vouch_inventory_sync:
 *
 * Writes everything committed so far to the disk itself, so not even a
 * power cut loses it: called once a certificate is issued, before it is
 * handed out. The connection's synchronous=NORMAL syncs the WAL only at
 * checkpoints (which sync the database file too); syncing the WAL file
 * here, after the commit, holds no lock, so other writers and readers go
 * on meanwhile, and concurrent issuers' syncs overlap.
 */
gboolean
vouch_inventory_sync (VouchInventory  *self,
                      GError         **error)
{
  g_autofree char *wal = NULL;
  int fd, errsv = 0;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);

  wal = g_strconcat (self->path, "-wal", NULL);
  fd = open (wal, O_RDONLY | O_CLOEXEC);
  /* No WAL: a checkpoint moved everything into the database file, and
   * synced it. */
  if (fd < 0 && errno == ENOENT)
    return TRUE;
  if (fd < 0 || fdatasync (fd) != 0)
    errsv = errno;
  if (fd >= 0)
    close (fd);
  if (errsv != 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                   _("The inventory %s could not be written to the disk: %s"), self->path,
                   g_strerror (errsv));
      return FALSE;
    }
  g_atomic_int_inc (&self->syncs);
  checkpoint (self);
  return TRUE;
}

/* For tests: how many times vouch_inventory_sync() synced. */
guint
_vouch_inventory_get_syncs (VouchInventory *self)
{
  return g_atomic_int_get (&self->syncs);
}

/* For tests: how many checkpoints vouch_inventory_sync() made. */
guint
_vouch_inventory_get_checkpoints (VouchInventory *self)
{
  return g_atomic_int_get (&self->checkpoints);
}
