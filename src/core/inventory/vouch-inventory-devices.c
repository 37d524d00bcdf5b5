/* vouch-inventory-devices.c: the devices Vouch knows, in the inventory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-inventory"

#include "vouch-config.h"

#include "vouch-inventory-private.h"

#include "vouch-error.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

static char **
strv_from_json (const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  return g_strv_builder_end (builder);
}

static const char *
enum_to_nick (GType type,
              int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : "";
}

static int
enum_from_nick (GType       type,
                const char *nick,
                int         fallback)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  return enum_value != NULL ? enum_value->value : fallback;
}

static gboolean
save_device_locked (VouchInventory  *self,
                    VouchDevice     *device,
                    const char      *addresses,
                    GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = _vouch_inventory_prepare_cached (self, &self->save_device_stmt,
                                          "INSERT INTO devices (id, kind, name, model, host, "
                                          "port, addresses, manual, pin, verification, step, "
                                          "attention, last_seen, driver, user) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                          "?12, ?13, ?14, ?15) "
                                          "ON CONFLICT (id) DO UPDATE SET kind = ?2, name = ?3, "
                                          "model = ?4, host = ?5, port = ?6, addresses = ?7, "
                                          "manual = ?8, pin = ?9, verification = ?10, "
                                          "step = ?11, attention = ?12, last_seen = ?13, "
                                          "driver = ?14, user = ?15;");
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, vouch_device_get_id (device), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, enum_to_nick (VOUCH_TYPE_DEVICE_KIND, vouch_device_get_kind (device)),
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, vouch_device_get_name (device), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, vouch_device_get_model (device), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, vouch_device_get_host (device), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 6, vouch_device_get_port (device));
      sqlite3_bind_text (stmt, 7, addresses, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 8, vouch_device_get_manual (device));
      sqlite3_bind_text (stmt, 9, vouch_device_get_pin (device), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, enum_to_nick (VOUCH_TYPE_VERIFICATION,
                                                 vouch_device_get_verification (device)),
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 11, vouch_onboarding_step_to_string (vouch_device_get_step (device)),
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 12, vouch_device_get_attention (device), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 13, g_get_real_time () / G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 14, vouch_device_get_driver (device), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 15, vouch_device_get_user (device), -1, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }

  if (!ok)
    _vouch_inventory_set_sqlite_error (self, error, _("Could not record a device"));
  if (stmt != NULL)
    _vouch_inventory_release_cached (stmt);
  return ok;
}

/**
 * vouch_inventory_save_device:
 *
 * Records what Vouch knows about @device, replacing an earlier record.
 */
gboolean
vouch_inventory_save_device (VouchInventory  *self,
                             VouchDevice     *device,
                             GError         **error)
{
  return vouch_inventory_save_device_with_event (self, device, NULL, NULL, NULL, error);
}

/**
 * vouch_inventory_save_device_with_event:
 * @event: (nullable): an audit event to append with the record, such as
 *   “verified”
 * @serial: (nullable): the certificate the event is about
 * @detail: (nullable): JSON with the event's particulars; never secrets
 *
 * Records @device and its audit event in one transaction, so the step it
 * reached and the event that says so are durable together, at the cost
 * of one commit instead of two.
 */
gboolean
vouch_inventory_save_device_with_event (VouchInventory  *self,
                                        VouchDevice     *device,
                                        const char      *event,
                                        const char      *serial,
                                        const char      *detail,
                                        GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autofree char *addresses = NULL;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (VOUCH_IS_DEVICE (device), FALSE);

  addresses = _vouch_inventory_strv_to_json (vouch_device_get_addresses (device));
  locker = _vouch_inventory_lock (self);

  if (event == NULL)
    return save_device_locked (self, device, addresses, error);

  if (!_vouch_inventory_begin (self, error))
    return FALSE;
  if (!save_device_locked (self, device, addresses, error) ||
      !_vouch_inventory_append_audit_locked (self, event, vouch_device_get_id (device), serial,
                                             detail, error) ||
      !_vouch_inventory_commit (self, error))
    {
      _vouch_inventory_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Runs a cached UPDATE with one or two text parameters; the number of
 * rows it changed is sqlite3_changes(). */
static gboolean
update_cached (VouchInventory  *self,
               sqlite3_stmt   **cache,
               const char      *sql,
               const char      *first,
               const char      *second,
               GError         **error)
{
  sqlite3_stmt *stmt = _vouch_inventory_prepare_cached (self, cache, sql);
  gboolean ok;

  ok = stmt != NULL &&
       sqlite3_bind_text (stmt, 1, first, -1, SQLITE_STATIC) == SQLITE_OK &&
       (second == NULL || sqlite3_bind_text (stmt, 2, second, -1, SQLITE_STATIC) == SQLITE_OK) &&
       sqlite3_step (stmt) == SQLITE_DONE;

  if (!ok)
    _vouch_inventory_set_sqlite_error (self, error, _("Could not update a certificate"));
  if (stmt != NULL)
    _vouch_inventory_release_cached (stmt);
  return ok;
}

/* Inside a transaction: @serial becomes the device's active certificate,
 * every other one of that device superseded, with a “confirmed” event. */
static gboolean
confirm_locked (VouchInventory  *self,
                const char      *serial,
                const char      *device_id,
                GError         **error)
{
  if (!update_cached (self, &self->supersede_stmt,
                      "UPDATE certificates SET status = 'superseded' WHERE device_id = ?1 "
                      "AND serial != ?2 AND status IN ('issued', 'active');",
                      device_id, serial, error) ||
      !update_cached (self, &self->activate_stmt,
                      "UPDATE certificates SET status = 'active' WHERE serial = ?1;",
                      serial, NULL, error))
    return FALSE;

  if (sqlite3_changes (self->db) != 1)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                   _("No certificate with serial %s is recorded"), serial);
      return FALSE;
    }

  return _vouch_inventory_append_audit_locked (self, "confirmed", device_id, serial, NULL, error);
}

/* Confirms @serial and, with @device, records the device in the same
 * transaction. */
static gboolean
confirm (VouchInventory  *self,
         const char      *serial,
         const char      *device_id,
         VouchDevice     *device,
         GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autofree char *addresses = NULL;

  if (device != NULL)
    addresses = _vouch_inventory_strv_to_json (vouch_device_get_addresses (device));
  locker = _vouch_inventory_lock (self);

  if (!_vouch_inventory_begin (self, error))
    return FALSE;
  if (!confirm_locked (self, serial, device_id, error) ||
      (device != NULL && !save_device_locked (self, device, addresses, error)) ||
      !_vouch_inventory_commit (self, error))
    {
      _vouch_inventory_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/**
 * _vouch_inventory_confirm_certificate:
 * @device_id: the device now serving it
 *
 * Marks the certificate as the device's active one, and every other
 * certificate of that device as superseded, with a “confirmed” event, all
 * in one transaction.
 */
gboolean
_vouch_inventory_confirm_certificate (VouchInventory  *self,
                                      const char      *serial,
                                      const char      *device_id,
                                      GError         **error)
{
  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);

  return confirm (self, serial, device_id, NULL, error);
}

/**
 * vouch_inventory_confirm_device:
 * @device: the device now serving it, as it is to be recorded
 *
 * Like _vouch_inventory_confirm_certificate(), and records @device in the
 * same transaction: the confirmed certificate and the device's new state
 * (its pin, its step) are durable together.
 */
gboolean
vouch_inventory_confirm_device (VouchInventory  *self,
                                const char      *serial,
                                VouchDevice     *device,
                                GError         **error)
{
  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);
  g_return_val_if_fail (VOUCH_IS_DEVICE (device), FALSE);

  return confirm (self, serial, vouch_device_get_id (device), device, error);
}

static VouchDevice *
device_from_row (sqlite3_stmt *stmt)
{
  const char *id = (const char *)sqlite3_column_text (stmt, 0);
  VouchDeviceKind kind = enum_from_nick (VOUCH_TYPE_DEVICE_KIND,
                                         (const char *)sqlite3_column_text (stmt, 1),
                                         VOUCH_DEVICE_KIND_VOUCH);
  g_auto(GStrv) addresses = strv_from_json ((const char *)sqlite3_column_text (stmt, 6));
  VouchDevice *device = vouch_device_new (id, kind);

  vouch_device_set_name (device, (const char *)sqlite3_column_text (stmt, 2));
  vouch_device_set_model (device, (const char *)sqlite3_column_text (stmt, 3));
  vouch_device_set_host (device, (const char *)sqlite3_column_text (stmt, 4));
  vouch_device_set_port (device, (guint16)CLAMP (sqlite3_column_int (stmt, 5), 0, G_MAXUINT16));
  vouch_device_set_addresses (device, (const char * const *)addresses);
  vouch_device_set_manual (device, sqlite3_column_int (stmt, 7) != 0);
  vouch_device_set_pin (device, (const char *)sqlite3_column_text (stmt, 8));
  vouch_device_set_verification (device,
                                 enum_from_nick (VOUCH_TYPE_VERIFICATION,
                                                 (const char *)sqlite3_column_text (stmt, 9),
                                                 VOUCH_VERIFICATION_NONE));
  vouch_device_set_step (device, enum_from_nick (VOUCH_TYPE_ONBOARDING_STEP,
                                                 (const char *)sqlite3_column_text (stmt, 10),
                                                 VOUCH_ONBOARDING_STEP_FOUND));
  vouch_device_set_attention (device, (const char *)sqlite3_column_text (stmt, 11));
  vouch_device_set_driver (device, (const char *)sqlite3_column_text (stmt, 12));
  vouch_device_set_user (device, (const char *)sqlite3_column_text (stmt, 13));
  return device;
}

#define DEVICE_COLUMNS \
  "SELECT id, kind, name, model, host, port, addresses, manual, pin, verification, step, " \
  "attention, driver, user FROM devices "

/**
 * vouch_inventory_list_devices:
 *
 * Returns: (transfer full): a #GListModel of the #VouchDevice records,
 *   all offline until discovery sees them
 */
GListModel *
vouch_inventory_list_devices (VouchInventory  *self,
                              GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GListStore) store = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  locker = _vouch_inventory_lock (self);
  store = g_list_store_new (VOUCH_TYPE_DEVICE);

  if (sqlite3_prepare_v2 (self->db, DEVICE_COLUMNS "ORDER BY name;", -1, &stmt, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not list the devices"));
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(VouchDevice) device = device_from_row (stmt);

      g_list_store_append (store, device);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not list the devices"));
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * vouch_inventory_lookup_device:
 *
 * Returns: (transfer full) (nullable): the record, or %NULL without an
 *   error when the device is unknown
 */
VouchDevice *
vouch_inventory_lookup_device (VouchInventory  *self,
                               const char      *id,
                               GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  VouchDevice *device = NULL;
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  locker = _vouch_inventory_lock (self);

  if (sqlite3_prepare_v2 (self->db, DEVICE_COLUMNS "WHERE id = ?;", -1, &stmt, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not look up a device"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    device = device_from_row (stmt);
  sqlite3_finalize (stmt);
  return device;
}

/**
 * vouch_inventory_list_undelivered:
 * @device_id: (nullable): one device, or all
 *
 * Certificates that were issued but never confirmed on their device, for
 * example because Vouch stopped mid-push. They are retried or reported,
 * never forgotten.
 *
 * Returns: (transfer full): a #GListModel of #VouchCertificate
 */
GListModel *
vouch_inventory_list_undelivered (VouchInventory  *self,
                                  const char      *device_id,
                                  GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GListStore) store = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  locker = _vouch_inventory_lock (self);
  store = g_list_store_new (VOUCH_TYPE_CERTIFICATE);

  stmt = _vouch_inventory_prepare_cached (self, &self->list_undelivered_stmt,
                                          "SELECT pem, device_id, status FROM certificates "
                                          "WHERE status = 'issued' AND device_id IS NOT NULL "
                                          "AND (?1 IS NULL OR device_id = ?1) ORDER BY issued_at;");
  if (stmt == NULL)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not list undelivered certificates"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(VouchCertificate) cert = _vouch_inventory_certificate_from_row (stmt, error);

      if (cert == NULL)
        {
          _vouch_inventory_release_cached (stmt);
          return NULL;
        }
      g_list_store_append (store, cert);
    }

  if (rc != SQLITE_DONE)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not list undelivered certificates"));
      _vouch_inventory_release_cached (stmt);
      return NULL;
    }
  _vouch_inventory_release_cached (stmt);

  return G_LIST_MODEL (g_steal_pointer (&store));
}
