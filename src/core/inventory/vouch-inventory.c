/* vouch-inventory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-inventory"

#include "vouch-config.h"

#include "vouch-inventory-private.h"

#include "vouch-audit-event.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <unistd.h>

#define MAX_SERIAL_ATTEMPTS 4

/* One connection, serialized by a mutex, so a transaction started on one
 * thread is never interleaved with statements from another. The ACME
 * store runs its statements on it too (vouch_acme_store_new()), so the
 * two never invalidate each other's page cache. */

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchInventory, vouch_inventory, G_TYPE_OBJECT)

gboolean
_vouch_inventory_set_sqlite_error (VouchInventory  *self,
                  GError         **error,
                  const char      *what)
{
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
               _("%s in the inventory %s: %s"), what, self->path, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (VouchInventory  *self,
      const char      *sql,
      GError         **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                   _("The inventory %s could not be updated: %s"), self->path,
                   message != NULL ? message : sqlite3_errmsg (self->db));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static void
vouch_inventory_finalize (GObject *object)
{
  VouchInventory *self = (VouchInventory *)object;

  /* sqlite3_close() refuses to close a connection with live statements. */
  g_clear_pointer (&self->begin_stmt, sqlite3_finalize);
  g_clear_pointer (&self->read_stmt, sqlite3_finalize);
  g_clear_pointer (&self->commit_stmt, sqlite3_finalize);
  g_clear_pointer (&self->insert_certificate_stmt, sqlite3_finalize);
  g_clear_pointer (&self->insert_audit_stmt, sqlite3_finalize);
  g_clear_pointer (&self->save_device_stmt, sqlite3_finalize);
  g_clear_pointer (&self->list_undelivered_stmt, sqlite3_finalize);
  g_clear_pointer (&self->supersede_stmt, sqlite3_finalize);
  g_clear_pointer (&self->activate_stmt, sqlite3_finalize);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->checkpointer, sqlite3_close);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);
  g_rec_mutex_clear (&self->mutex);
  g_mutex_clear (&self->checkpoint_mutex);

  G_OBJECT_CLASS (vouch_inventory_parent_class)->finalize (object);
}

static void
vouch_inventory_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VouchInventory *self = VOUCH_INVENTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_inventory_class_init (VouchInventoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vouch_inventory_finalize;
  object_class->get_property = vouch_inventory_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
vouch_inventory_init (VouchInventory *self)
{
  g_rec_mutex_init (&self->mutex);
  g_mutex_init (&self->checkpoint_mutex);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
}

static gboolean
migrate (VouchInventory  *self,
         GError         **error)
{
  int version = vouch_inventory_get_schema_version (self);

  if (version > (int)_vouch_inventory_n_migrations)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                   _("The inventory %s was written by a newer version of Vouch (schema %d); "
                     "update Vouch to open it"), self->path, version);
      return FALSE;
    }

  for (int step = version; step < (int)_vouch_inventory_n_migrations; step++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", step + 1);

      if (!exec (self, "BEGIN IMMEDIATE;", error))
        return FALSE;
      if (!exec (self, _vouch_inventory_migrations[step], error) || !exec (self, bump, error) ||
          !exec (self, "COMMIT;", error))
        {
          exec (self, "ROLLBACK;", NULL);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * vouch_inventory_open:
 * @path: the database file; created, readable by the user only, if missing
 */
VouchInventory *
vouch_inventory_open (const char  *path,
                      GError     **error)
{
  g_autoptr(VouchInventory) self = NULL;
  g_autofree char *dir = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (VOUCH_TYPE_INVENTORY, NULL);
  self->path = g_strdup (path);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create the folder %s: %s"), dir, g_strerror (errsv));
      return NULL;
    }

  /* SQLite would create the file world-readable; it names the devices of
   * the site, so create it private first. */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not open the inventory %s: %s"), path, g_strerror (errsv));
      return NULL;
    }
  close (fd);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not open the database"));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  /* WAL keeps readers (the GUI) and a writer (vouchctl, a timer) apart.
   * synchronous=NORMAL makes every commit survive a crash or kill of Vouch
   * without an fsync per commit; only a power cut can lose the last
   * commits, and the WAL is synced at every checkpoint. An issued
   * certificate is synced before it is handed out (vouch_inventory_sync()). */
  if (!exec (self, "PRAGMA journal_mode = WAL;", error) ||
      !exec (self, "PRAGMA synchronous = NORMAL;", error) ||
      !exec (self, "PRAGMA foreign_keys = ON;", error) ||
      !migrate (self, error))
    return NULL;
  sqlite3_wal_hook (self->db, _vouch_inventory_wal_hook, self);

  return g_steal_pointer (&self);
}

const char *
vouch_inventory_get_path (VouchInventory *self)
{
  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);
  return self->path;
}

int
vouch_inventory_get_schema_version (VouchInventory *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), -1);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version;", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

char *
_vouch_inventory_strv_to_json (const char * const *names)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
_vouch_inventory_append_audit_locked (VouchInventory  *self,
                                      const char      *event,
                                      const char      *device_id,
                                      const char      *serial,
                                      const char      *detail,
                                      GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = _vouch_inventory_prepare_cached (self, &self->insert_audit_stmt,
                         "INSERT INTO audit (at, event, device_id, serial, detail) "
                         "VALUES (?, ?, ?, ?, ?);");
  ok = stmt != NULL &&
       sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC) == SQLITE_OK &&
       sqlite3_bind_text (stmt, 2, event, -1, SQLITE_STATIC) == SQLITE_OK &&
       sqlite3_bind_text (stmt, 3, device_id, -1, SQLITE_STATIC) == SQLITE_OK &&
       sqlite3_bind_text (stmt, 4, serial, -1, SQLITE_STATIC) == SQLITE_OK &&
       sqlite3_bind_text (stmt, 5, detail, -1, SQLITE_STATIC) == SQLITE_OK &&
       sqlite3_step (stmt) == SQLITE_DONE;

  if (!ok)
    _vouch_inventory_set_sqlite_error (self, error, _("Could not record an event"));
  if (stmt != NULL)
    _vouch_inventory_release_cached (stmt);
  return ok;
}

/* Returns SQLITE_CONSTRAINT_PRIMARYKEY when the serial is taken. */
static int
insert_certificate_locked (VouchInventory   *self,
                           VouchCertificate *cert,
                           const char       *root_sha256,
                           const char       *device_id)
{
  g_autofree char *names = _vouch_inventory_strv_to_json (vouch_certificate_get_names (cert));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _vouch_inventory_prepare_cached (self, &self->insert_certificate_stmt,
                         "INSERT INTO certificates (serial, root_sha256, subject, names, "
                         "key_sha256, not_before, not_after, pem, device_id, status, issued_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'issued', ?);");
  if (stmt == NULL)
    return sqlite3_errcode (self->db);

  sqlite3_bind_text (stmt, 1, vouch_certificate_get_serial (cert), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, root_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, vouch_certificate_get_subject (cert), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, names, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, vouch_certificate_get_key_sha256 (cert), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, vouch_certificate_get_not_before (cert));
  sqlite3_bind_int64 (stmt, 7, vouch_certificate_get_not_after (cert));
  sqlite3_bind_text (stmt, 8, vouch_certificate_get_pem (cert), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  /* The caller reads sqlite3_errmsg() on failure; resetting keeps it. */
  _vouch_inventory_release_cached (stmt);
  return rc;
}

/**
 * vouch_inventory_issue:
 * @root_sha256: the issuing root's fingerprint
 * @device_id: (nullable): the device the certificate is for
 * @issue_func: signs the certificate
 *
 * Signs a certificate, then records it and its audit event in one
 * transaction. The certificate is returned only once the record is committed
 * (it survives a crash or kill of Vouch; vouch_inventory_sync() then
 * makes it survive a power cut); if recording fails, nothing leaves this
 * function and the signed bytes are dropped, so no certificate exists
 * that the inventory does not know. Serials are unique by the table's
 * primary key: a collision makes @issue_func draw again.
 *
 * Returns: (transfer full): the recorded certificate
 */
VouchCertificate *
vouch_inventory_issue (VouchInventory           *self,
                       const char               *root_sha256,
                       const char               *device_id,
                       VouchInventoryIssueFunc   issue_func,
                       gpointer                  user_data,
                       GError                  **error)
{
  return vouch_inventory_issue_audited (self, root_sha256, device_id, NULL, NULL, NULL, NULL,
                                        issue_func, user_data, error);
}

/**
 * vouch_inventory_issue_audited:
 * @audit_event: (nullable): a second audit event about the certificate
 * @audit_detail: (nullable): its detail, JSON
 * @record_func: (nullable): records more in the same transaction
 * @record_data: its data
 *
 * vouch_inventory_issue(), with @audit_event and whatever @record_func
 * records written in the same transaction as the certificate and its
 * "issued" event: all or nothing, and one commit instead of several.
 */
VouchCertificate *
vouch_inventory_issue_audited (VouchInventory           *self,
                               const char               *root_sha256,
                               const char               *device_id,
                               const char               *audit_event,
                               const char               *audit_detail,
                               VouchInventoryRecordFunc  record_func,
                               gpointer                  record_data,
                               VouchInventoryIssueFunc   issue_func,
                               gpointer                  user_data,
                               GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (root_sha256 != NULL, NULL);
  g_return_val_if_fail (issue_func != NULL, NULL);

  for (guint attempt = 0; attempt < MAX_SERIAL_ATTEMPTS; attempt++)
    {
      g_autoptr(VouchCertificate) cert = NULL;
      g_autofree char *detail = NULL;
      int rc;

      /* Signed before the lock and the write transaction are taken, so
       * neither is held during the signature: other writers to the
       * database (the ACME store's connection, on the main thread) would
       * wait for it in SQLite's busy handler, sleeping. The certificate
       * still leaves this function only once it is recorded. */
      g_clear_pointer (&locker, g_rec_mutex_locker_free);
      cert = issue_func (user_data, error);
      if (cert == NULL)
        return NULL;

      locker = _vouch_inventory_lock (self);
      if (!_vouch_inventory_begin (self, error))
        return NULL;

      rc = insert_certificate_locked (self, cert, root_sha256, device_id);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        {
          exec (self, "ROLLBACK;", NULL);
          continue;
        }
      if (rc != SQLITE_OK)
        {
          _vouch_inventory_set_sqlite_error (self, error, _("Could not record the certificate"));
          exec (self, "ROLLBACK;", NULL);
          return NULL;
        }

      detail = _vouch_inventory_strv_to_json (vouch_certificate_get_names (cert));
      if (!_vouch_inventory_append_audit_locked (self, "issued", device_id,
                                                 vouch_certificate_get_serial (cert), detail,
                                                 error) ||
          (audit_event != NULL &&
           !_vouch_inventory_append_audit_locked (self, audit_event, device_id,
                                                  vouch_certificate_get_serial (cert),
                                                  audit_detail, error)) ||
          (record_func != NULL && !record_func (self, cert, record_data, error)) ||
          !_vouch_inventory_commit (self, error))
        {
          exec (self, "ROLLBACK;", NULL);
          return NULL;
        }

      vouch_certificate_set_device_id (cert, device_id);
      return g_steal_pointer (&cert);
    }

  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
               _("Could not draw an unused serial number"));
  return NULL;
}

/**
 * vouch_inventory_append_audit:
 * @event: a stable event name such as “root-created”
 * @detail: (nullable): JSON with the event's particulars; never secrets
 */
gboolean
vouch_inventory_append_audit (VouchInventory  *self,
                              const char      *event,
                              const char      *device_id,
                              const char      *serial,
                              const char      *detail,
                              GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  locker = _vouch_inventory_lock (self);
  return _vouch_inventory_append_audit_locked (self, event, device_id, serial, detail, error);
}

VouchCertificate *
_vouch_inventory_certificate_from_row (sqlite3_stmt  *stmt,
                      GError       **error)
{
  const char *pem = (const char *)sqlite3_column_text (stmt, 0);
  const char *device_id = (const char *)sqlite3_column_text (stmt, 1);
  const char *status_text = (const char *)sqlite3_column_text (stmt, 2);
  VouchCertificateStatus status = VOUCH_CERTIFICATE_STATUS_ISSUED;
  VouchCertificate *cert;

  cert = vouch_certificate_new_from_pem (pem != NULL ? pem : "", -1, error);
  if (cert == NULL)
    return NULL;

  vouch_certificate_set_device_id (cert, device_id);
  if (vouch_certificate_status_from_string (status_text, &status))
    vouch_certificate_set_status (cert, status);
  return cert;
}

/**
 * vouch_inventory_list_certificates:
 *
 * Returns: (transfer full): a #GListModel of #VouchCertificate, newest
 *   first
 */
GListModel *
vouch_inventory_list_certificates (VouchInventory  *self,
                                   GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GListStore) store = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  locker = _vouch_inventory_lock (self);
  store = g_list_store_new (VOUCH_TYPE_CERTIFICATE);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT pem, device_id, status FROM certificates "
                          "ORDER BY issued_at DESC, rowid DESC;", -1, &stmt, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not list the certificates"));
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(VouchCertificate) cert = _vouch_inventory_certificate_from_row (stmt, error);

      if (cert == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_list_store_append (store, cert);
    }

  if (rc != SQLITE_DONE)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not list the certificates"));
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * vouch_inventory_lookup_certificate:
 *
 * Returns: (transfer full) (nullable): the certificate, or %NULL without
 *   an error when no certificate has that serial
 */
VouchCertificate *
vouch_inventory_lookup_certificate (VouchInventory  *self,
                                    const char      *serial,
                                    GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  VouchCertificate *cert = NULL;
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (serial != NULL, NULL);

  locker = _vouch_inventory_lock (self);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT pem, device_id, status FROM certificates WHERE serial = ?;",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not look up a certificate"));
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cert = _vouch_inventory_certificate_from_row (stmt, error);
  sqlite3_finalize (stmt);
  return cert;
}

gboolean
_vouch_inventory_set_certificate_status (VouchInventory          *self,
                                         const char              *serial,
                                         VouchCertificateStatus   status,
                                         GError                 **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);

  locker = _vouch_inventory_lock (self);

  ok = sqlite3_prepare_v2 (self->db, "UPDATE certificates SET status = ? WHERE serial = ?;",
                           -1, &stmt, NULL) == SQLITE_OK &&
       sqlite3_bind_text (stmt, 1, vouch_certificate_status_to_string (status), -1,
                          SQLITE_STATIC) == SQLITE_OK &&
       sqlite3_bind_text (stmt, 2, serial, -1, SQLITE_STATIC) == SQLITE_OK &&
       sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);

  if (!ok)
    return _vouch_inventory_set_sqlite_error (self, error, _("Could not update a certificate"));

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                   _("No certificate with serial %s is recorded"), serial);
      return FALSE;
    }

  return TRUE;
}

/**
 * _vouch_inventory_count_audit_events:
 * @event: (nullable): count only this event, or all
 *
 * Returns: the number of events, or -1 on error
 */
gint64
_vouch_inventory_count_audit_events (VouchInventory *self,
                                     const char     *event)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), -1);

  locker = _vouch_inventory_lock (self);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT COUNT(*) FROM audit WHERE ?1 IS NULL OR event = ?1;",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
}


/**
 * vouch_inventory_list_audit:
 * @device_id: (nullable): one device's events, or all
 * @limit: the most recent events to return; 0 for all
 *
 * Returns: (transfer full): a #GListModel of #VouchAuditEvent, newest
 *   first
 */
GListModel *
vouch_inventory_list_audit (VouchInventory  *self,
                            const char      *device_id,
                            guint            limit,
                            GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GListStore) store = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  locker = _vouch_inventory_lock (self);
  store = g_list_store_new (VOUCH_TYPE_AUDIT_EVENT);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, at, event, device_id, serial, detail FROM audit "
                          "WHERE ?1 IS NULL OR device_id = ?1 ORDER BY id DESC LIMIT ?2;",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not read the audit log"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64)limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(VouchAuditEvent) event = NULL;

      event = vouch_audit_event_new (sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                                     (const char *)sqlite3_column_text (stmt, 2),
                                     (const char *)sqlite3_column_text (stmt, 3),
                                     (const char *)sqlite3_column_text (stmt, 4),
                                     (const char *)sqlite3_column_text (stmt, 5));
      g_list_store_append (store, event);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not read the audit log"));
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}
