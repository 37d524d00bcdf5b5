/* vouch-inventory-lifecycle.c: expiry, revocation, reminders and the
 * renewal queue in the inventory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-inventory"

#include "vouch-config.h"

#include "vouch-inventory.h"

#include "vouch-clock.h"
#include "vouch-error.h"
#include "vouch-inventory-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

/* A certificate signed by hand (no device) that a later one, signed by
 * hand for every one of its names, replaced: renewing such a certificate
 * means signing a new CSR, and the old one stops mattering then. The instr()
 * test is a cheap first filter before comparing the JSON name lists. */
#define REPLACED_BY_HAND \
  "(c.device_id IS NULL AND EXISTS (SELECT 1 FROM certificates n " \
  "WHERE n.device_id IS NULL AND n.rowid > c.rowid AND n.status IN ('issued', 'active') " \
  "AND instr (n.names, json_extract (c.names, '$[0]')) > 0 " \
  "AND NOT EXISTS (SELECT 1 FROM json_each (c.names) o " \
  "WHERE o.value NOT IN (SELECT value FROM json_each (n.names)))))"

/* Every query here returns certificates as rows of pem, device_id and
 * status first, as _vouch_inventory_certificate_from_row() reads them,
 * then the device's name, revoked_at, revocation_reason and whether it
 * was replaced by hand. */
#define ENTRY_COLUMNS \
  "SELECT c.pem, c.device_id, c.status, d.name, c.revoked_at, c.revocation_reason, " \
  REPLACED_BY_HAND " " \
  "FROM certificates c LEFT JOIN devices d ON d.id = c.device_id "

/* A certificate whose expiry still matters: on its device, issued and
 * waiting to be delivered there, or signed by hand and not replaced. */
#define IN_USE "c.status IN ('issued', 'active') AND NOT " REPLACED_BY_HAND " "

typedef struct
{
  gint64      number;
  const char *text;
} Param;

/* Runs @sql with @params bound in order (an int when text is NULL) and
 * collects one object per row through @make. */
static GListModel *
list_rows (VouchInventory  *self,
           const char      *sql,
           const Param     *params,
           guint            n_params,
           GType            type,
           gpointer       (*make) (sqlite3_stmt *stmt, gint64 now, GError **error),
           gint64           now,
           GError         **error)
{
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = _vouch_inventory_lock (self);
  g_autoptr(GListStore) store = g_list_store_new (type);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not read the certificates"));
      return NULL;
    }

  for (guint i = 0; i < n_params; i++)
    {
      if (params[i].text != NULL)
        sqlite3_bind_text (stmt, (int)i + 1, params[i].text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, (int)i + 1, params[i].number);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GObject) item = make (stmt, now, error);

      if (item == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_list_store_append (store, item);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not read the certificates"));
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

static gpointer
make_certificate (sqlite3_stmt  *stmt,
                  gint64         now,
                  GError       **error)
{
  return _vouch_inventory_certificate_from_row (stmt, error);
}

static gpointer
make_entry (sqlite3_stmt  *stmt,
            gint64         now,
            GError       **error)
{
  g_autoptr(VouchCertificate) cert = _vouch_inventory_certificate_from_row (stmt, error);
  VouchRevocationReason reason = VOUCH_REVOCATION_UNSPECIFIED;
  VouchCertificateEntry *entry;

  if (cert == NULL)
    return NULL;

  vouch_revocation_reason_from_string ((const char *)sqlite3_column_text (stmt, 5), &reason);
  entry = vouch_certificate_entry_new (cert, (const char *)sqlite3_column_text (stmt, 3),
                                       sqlite3_column_int64 (stmt, 4), reason, now);
  vouch_certificate_entry_set_replaced (entry, sqlite3_column_int (stmt, 6) != 0);
  return entry;
}

/**
 * vouch_inventory_list_entries:
 * @now: the time to classify expiry at, usually vouch_clock_now()
 *
 * Every certificate ever issued, for the inventory view: active,
 * superseded, revoked and not delivered, newest first.
 *
 * Returns: (transfer full): a #GListModel of #VouchCertificateEntry
 */
GListModel *
vouch_inventory_list_entries (VouchInventory  *self,
                              gint64           now,
                              GError         **error)
{
  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  return list_rows (self, ENTRY_COLUMNS "ORDER BY c.issued_at DESC, c.rowid DESC;", NULL, 0,
                    VOUCH_TYPE_CERTIFICATE_ENTRY, make_entry, now, error);
}

/**
 * vouch_inventory_list_expiring:
 * @within_days: 30 lists what expires in the next 30 days, and what has
 *   already expired
 *
 * Active and not-delivered certificates of devices, and certificates
 * signed by hand that no newer one replaced, soonest first.
 *
 * Returns: (transfer full): a #GListModel of #VouchCertificateEntry
 */
GListModel *
vouch_inventory_list_expiring (VouchInventory  *self,
                               gint64           now,
                               guint            within_days,
                               GError         **error)
{
  Param params[] = { { now + (gint64)within_days * VOUCH_SECONDS_PER_DAY, NULL } };

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  return list_rows (self, ENTRY_COLUMNS "WHERE " IN_USE "AND c.not_after <= ?1 "
                    "ORDER BY c.not_after, c.rowid;", params, G_N_ELEMENTS (params),
                    VOUCH_TYPE_CERTIFICATE_ENTRY, make_entry, now, error);
}

/**
 * vouch_inventory_list_due_devices:
 *
 * The devices to renew: those whose active certificate expires within
 * @within_days of @now, and those waiting in the renewal queue.
 *
 * Returns: (transfer full): device ids, soonest expiry first
 */
char **
vouch_inventory_list_due_devices (VouchInventory  *self,
                                  gint64           now,
                                  guint            within_days,
                                  GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  locker = _vouch_inventory_lock (self);
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT device_id, MIN (not_after) AS due FROM certificates "
                          "WHERE status = 'active' AND device_id IS NOT NULL AND not_after <= ?1 "
                          "GROUP BY device_id "
                          "UNION SELECT device_id, 0 AS due FROM renewal_queue "
                          "ORDER BY due, device_id;", -1, &stmt, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not list the devices due"));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, now + (gint64)within_days * VOUCH_SECONDS_PER_DAY);

  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (ids, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
    sqlite3_finalize (stmt);
    if (rc != SQLITE_DONE)
      {
        _vouch_inventory_set_sqlite_error (self, error, _("Could not list the devices due"));
        return NULL;
      }

    /* A queued device can also be due; list it once. */
    for (guint i = 0; i < ids->len; i++)
      {
        const char *id = g_ptr_array_index (ids, i);

        if (g_hash_table_add (seen, (gpointer)id))
          g_strv_builder_add (builder, id);
      }
    return g_strv_builder_end (builder);
  }
}

/**
 * vouch_inventory_lookup_active:
 *
 * Returns: (transfer full) (nullable): the certificate @device_id serves,
 *   or %NULL without an error if it has none
 */
VouchCertificate *
vouch_inventory_lookup_active (VouchInventory  *self,
                               const char      *device_id,
                               GError         **error)
{
  g_autoptr(GListModel) found = NULL;
  Param params[] = { { 0, device_id } };

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (device_id != NULL, NULL);

  found = list_rows (self, "SELECT pem, device_id, status FROM certificates "
                     "WHERE device_id = ?1 AND status = 'active' ORDER BY issued_at DESC LIMIT 1;",
                     params, G_N_ELEMENTS (params), VOUCH_TYPE_CERTIFICATE, make_certificate, 0,
                     error);
  if (found == NULL || g_list_model_get_n_items (found) == 0)
    return NULL;
  return g_list_model_get_item (found, 0);
}

/**
 * vouch_inventory_list_active_under_root:
 * @root_sha256: a root's fingerprint
 *
 * What a root rollover must re-issue: every certificate a device serves
 * that chains to @root_sha256.
 *
 * Returns: (transfer full): a #GListModel of #VouchCertificateEntry
 */
GListModel *
vouch_inventory_list_active_under_root (VouchInventory  *self,
                                        const char      *root_sha256,
                                        GError         **error)
{
  Param params[] = { { 0, root_sha256 } };

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (root_sha256 != NULL, NULL);

  return list_rows (self, ENTRY_COLUMNS "WHERE c.status = 'active' AND c.root_sha256 = ?1 "
                    "ORDER BY d.name, c.device_id;", params, G_N_ELEMENTS (params),
                    VOUCH_TYPE_CERTIFICATE_ENTRY, make_entry, vouch_clock_now (), error);
}

/**
 * vouch_inventory_list_revoked:
 * @root_sha256: (nullable): only certificates of this root, as its CRL
 *   lists them
 *
 * Returns: (transfer full): a #GListModel of #VouchCertificateEntry,
 *   oldest revocation first
 */
GListModel *
vouch_inventory_list_revoked (VouchInventory  *self,
                              const char      *root_sha256,
                              GError         **error)
{
  Param params[] = { { 0, root_sha256 } };

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  return list_rows (self, ENTRY_COLUMNS "WHERE c.status = 'revoked' "
                    "AND (?1 IS NULL OR c.root_sha256 = ?1) ORDER BY c.revoked_at, c.rowid;",
                    params, root_sha256 != NULL ? 1 : 0, VOUCH_TYPE_CERTIFICATE_ENTRY, make_entry,
                    vouch_clock_now (), error);
}

static gboolean
step_done (VouchInventory  *self,
           sqlite3_stmt    *stmt,
           GError         **error)
{
  gboolean ok = stmt != NULL && sqlite3_step (stmt) == SQLITE_DONE;

  if (!ok)
    _vouch_inventory_set_sqlite_error (self, error, _("Could not update the inventory"));
  sqlite3_finalize (stmt);
  return ok;
}

static sqlite3_stmt *
prepare (VouchInventory *self,
         const char     *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_clear_pointer (&stmt, sqlite3_finalize);
  return stmt;
}

/**
 * vouch_inventory_revoke_certificate:
 * @reason: why, as RFC 5280 names it
 * @revoked_at: when, usually vouch_clock_now()
 *
 * Marks the certificate revoked, records the reason for the CRL and the
 * audit log, and flags its device for attention, all in one transaction.
 * Revoking a revoked certificate again is an error, so the first reason
 * and time stay on record.
 */
gboolean
vouch_inventory_revoke_certificate (VouchInventory         *self,
                                    const char             *serial,
                                    VouchRevocationReason   reason,
                                    gint64                  revoked_at,
                                    GError                **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *attention = NULL;
  g_autofree char *status = NULL;
  const char *reason_text = vouch_revocation_reason_to_string (reason);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason_text);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, reason);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  detail = json_to_string (node, FALSE);

  locker = _vouch_inventory_lock (self);
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) != SQLITE_OK)
    return _vouch_inventory_set_sqlite_error (self, error, _("Could not revoke a certificate"));

  stmt = prepare (self, "SELECT device_id, status FROM certificates WHERE serial = ?1;");
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          device_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
          status = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
        }
      sqlite3_finalize (stmt);
    }

  if (status == NULL || g_strcmp0 (status, "revoked") == 0)
    {
      sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
      if (status == NULL)
        g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                     _("No certificate with serial %s is recorded"), serial);
      else
        g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                     _("The certificate %s is already revoked"), serial);
      return FALSE;
    }

  stmt = prepare (self, "UPDATE certificates SET status = 'revoked', revoked_at = ?2, "
                        "revocation_reason = ?3 WHERE serial = ?1;");
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, revoked_at);
      sqlite3_bind_text (stmt, 3, reason_text, -1, SQLITE_STATIC);
    }
  if (!step_done (self, stmt, error))
    goto rollback;

  /* Only the certificate the device serves makes the device suspect; a
   * superseded one revoked for tidiness does not. */
  if (device_id != NULL && g_strcmp0 (status, "active") == 0)
    {
      attention = g_strdup_printf (_("Its certificate was revoked (%s); re-issue it or retire "
                                     "the device"), vouch_revocation_reason_describe (reason));
      stmt = prepare (self, "UPDATE devices SET attention = ?2 WHERE id = ?1;");
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, attention, -1, SQLITE_STATIC);
        }
      if (!step_done (self, stmt, error))
        goto rollback;
    }

  stmt = prepare (self, "INSERT INTO audit (at, event, device_id, serial, detail) "
                        "VALUES (?1, 'revoked', ?2, ?3, ?4);");
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, serial, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, detail, -1, SQLITE_STATIC);
    }
  if (!step_done (self, stmt, error))
    goto rollback;

  if (sqlite3_exec (self->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not revoke a certificate"));
      goto rollback;
    }
  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
  return FALSE;
}

/**
 * vouch_inventory_has_reminder:
 * @subject: a serial, or “root:” and the root's fingerprint
 * @threshold: days before expiry, 0 for expired
 *
 * Returns: %TRUE if this reminder was already shown
 */
gboolean
vouch_inventory_has_reminder (VouchInventory *self,
                              const char     *subject,
                              int             threshold)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  locker = _vouch_inventory_lock (self);
  stmt = prepare (self, "SELECT 1 FROM reminders WHERE subject = ?1 AND threshold = ?2;");
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, threshold);
      found = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_finalize (stmt);
    }
  return found;
}

gboolean
vouch_inventory_record_reminder (VouchInventory  *self,
                                 const char      *subject,
                                 int              threshold,
                                 gint64           at,
                                 GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  locker = _vouch_inventory_lock (self);
  stmt = prepare (self, "INSERT OR IGNORE INTO reminders (subject, threshold, notified_at) "
                        "VALUES (?1, ?2, ?3);");
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, threshold);
      sqlite3_bind_int64 (stmt, 3, at);
    }
  return step_done (self, stmt, error);
}

/**
 * vouch_inventory_queue_renewal:
 * @reason: why it could not be renewed now, for the person to read
 *
 * Queues the device's renewal, or counts another failed attempt if it is
 * queued already.
 */
gboolean
vouch_inventory_queue_renewal (VouchInventory  *self,
                               const char      *device_id,
                               const char      *reason,
                               gint64           at,
                               GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  locker = _vouch_inventory_lock (self);
  stmt = prepare (self, "INSERT INTO renewal_queue (device_id, reason, queued_at, attempts, "
                        "last_attempt) VALUES (?1, ?2, ?3, 1, ?3) "
                        "ON CONFLICT (device_id) DO UPDATE SET reason = ?2, "
                        "attempts = attempts + 1, last_attempt = ?3;");
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, at);
    }
  return step_done (self, stmt, error);
}

gboolean
vouch_inventory_dequeue_renewal (VouchInventory  *self,
                                 const char      *device_id,
                                 GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);

  locker = _vouch_inventory_lock (self);
  stmt = prepare (self, "DELETE FROM renewal_queue WHERE device_id = ?1;");
  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static gpointer
make_queued (sqlite3_stmt  *stmt,
             gint64         now,
             GError       **error)
{
  return vouch_queued_renewal_new ((const char *)sqlite3_column_text (stmt, 0),
                                   (const char *)sqlite3_column_text (stmt, 1),
                                   (const char *)sqlite3_column_text (stmt, 2),
                                   sqlite3_column_int64 (stmt, 3),
                                   (guint)MAX (sqlite3_column_int (stmt, 4), 0));
}

#define QUEUE_COLUMNS \
  "SELECT q.device_id, d.name, q.reason, q.queued_at, q.attempts " \
  "FROM renewal_queue q LEFT JOIN devices d ON d.id = q.device_id "

/**
 * vouch_inventory_list_renewal_queue:
 *
 * Returns: (transfer full): a #GListModel of #VouchQueuedRenewal, oldest
 *   first
 */
GListModel *
vouch_inventory_list_renewal_queue (VouchInventory  *self,
                                    GError         **error)
{
  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  return list_rows (self, QUEUE_COLUMNS "ORDER BY q.queued_at, q.device_id;", NULL, 0,
                    VOUCH_TYPE_QUEUED_RENEWAL, make_queued, 0, error);
}

/**
 * vouch_inventory_lookup_queued_renewal:
 *
 * Returns: (transfer full) (nullable): the queued renewal, or %NULL
 *   without an error if the device is not queued
 */
VouchQueuedRenewal *
vouch_inventory_lookup_queued_renewal (VouchInventory  *self,
                                       const char      *device_id,
                                       GError         **error)
{
  g_autoptr(GListModel) found = NULL;
  Param params[] = { { 0, device_id } };

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (device_id != NULL, NULL);

  found = list_rows (self, QUEUE_COLUMNS "WHERE q.device_id = ?1;", params, 1,
                     VOUCH_TYPE_QUEUED_RENEWAL, make_queued, 0, error);
  if (found == NULL || g_list_model_get_n_items (found) == 0)
    return NULL;
  return g_list_model_get_item (found, 0);
}
