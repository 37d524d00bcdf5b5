/* vouch-acme-approvals.c
 *
 * What the operator decided about ACME orders, in the inventory (schema
 * step 4), so a restart forgets nothing: each order that waits for
 * approval (acme_requests, one row per account key and set of names, so
 * a client that polls or orders again does not queue twice), the names
 * each account key was approved for (acme_approved_names: renewing them
 * asks nobody), and the External Account Binding keys' records. Every
 * decision and refusal is an audit event in the same transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-approvals"

#include "vouch-config.h"

#include "vouch-acme-approvals.h"

#include "vouch-error.h"
#include "vouch-inventory-private.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Names as one key: lower case, sorted, without repeats, as JSON. */
static char *
names_key (const char * const *names)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = g_ascii_strdown (names[i], -1);

      if (g_ptr_array_find_with_equal_func (sorted, name, g_str_equal, NULL))
        g_free (name);
      else
        g_ptr_array_add (sorted, name);
    }
  g_ptr_array_sort (sorted, compare_names);
  g_ptr_array_add (sorted, NULL);
  return _vouch_inventory_strv_to_json ((const char * const *)sorted->pdata);
}

static char **
strv_from_json (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (text != NULL)
    node = vouch_json_parse_bounded (text, strlen (text), 2, NULL);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *value = json_node_get_string (json_array_get_element (array, i));

          if (value != NULL)
            g_strv_builder_add (builder, value);
        }
    }
  return g_strv_builder_end (builder);
}

static char *
detail_json (const char         *thumbprint,
             const char         *client_address,
             const char * const *names,
             const char         *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  json_builder_set_member_name (builder, "thumbprint");
  json_builder_add_string_value (builder, thumbprint);
  json_builder_set_member_name (builder, "client_address");
  json_builder_add_string_value (builder, client_address);
  json_builder_set_member_name (builder, "names");
  json_builder_begin_array (builder);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static sqlite3_stmt *
prepare (VouchInventory  *self,
         const char      *sql,
         GError         **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _vouch_inventory_set_sqlite_error (self, error, _("Could not read ACME approvals"));
      return NULL;
    }
  return stmt;
}

static gboolean
approved_already (VouchInventory      *self,
                  const char          *thumbprint,
                  const char * const  *names,
                  GError             **error)
{
  sqlite3_stmt *stmt;
  gboolean all = TRUE;

  stmt = prepare (self, "SELECT 1 FROM acme_approved_names WHERE thumbprint = ?1 AND name = ?2;",
                  error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; all && names[i] != NULL; i++)
    {
      g_autofree char *name = g_ascii_strdown (names[i], -1);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, thumbprint, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      all = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  return all;
}

/**
 * vouch_acme_approvals_check:
 * @names: the order's identifiers' values
 *
 * Looks up what the operator decided for @thumbprint asking for @names,
 * and records a new pending request (audited) when nobody was asked yet.
 *
 * Returns: (transfer full): "approved", "pending" or "refused"; %NULL on
 *   an inventory error
 */
char *
vouch_acme_approvals_check (VouchInventory      *self,
                            const char          *thumbprint,
                            const char          *client_address,
                            const char * const  *names,
                            GError             **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autofree char *key = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *state = NULL;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (thumbprint != NULL && client_address != NULL && names != NULL, NULL);

  key = names_key (names);
  locker = _vouch_inventory_lock (self);
  if (!_vouch_inventory_begin (self, error))
    return NULL;

  if (approved_already (self, thumbprint, names, &local_error))
    {
      _vouch_inventory_rollback (self);
      return g_strdup ("approved");
    }
  if (local_error != NULL)
    goto failed;

  stmt = prepare (self, "SELECT state FROM acme_requests WHERE thumbprint = ?1 AND names = ?2 "
                        "ORDER BY id DESC LIMIT 1;", &local_error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, thumbprint, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (state != NULL && !g_str_equal (state, "approved"))
    {
      _vouch_inventory_rollback (self);
      return g_steal_pointer (&state);
    }

  stmt = prepare (self, "INSERT INTO acme_requests (thumbprint, client_address, names, "
                        "requested_at) VALUES (?1, ?2, ?3, ?4);", &local_error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, thumbprint, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, client_address, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _vouch_inventory_set_sqlite_error (self, &local_error, _("Could not record the ACME order"));
      goto failed;
    }

  detail = detail_json (thumbprint, client_address, names, NULL);
  if (!_vouch_inventory_append_audit_locked (self, "acme-pending", NULL, NULL, detail,
                                             &local_error) ||
      !_vouch_inventory_commit (self, &local_error))
    goto failed;
  return g_strdup ("pending");

failed:
  _vouch_inventory_rollback (self);
  g_propagate_error (error, local_error);
  return NULL;
}

/**
 * vouch_acme_approvals_list:
 * @pending_only: only requests nobody decided yet
 *
 * Returns: (transfer full): #VouchAcmeApprovalRequest, oldest first
 */
GListModel *
vouch_acme_approvals_list (VouchInventory  *self,
                           gboolean         pending_only,
                           GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GListStore) store = g_list_store_new (VOUCH_TYPE_ACME_APPROVAL_REQUEST);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  locker = _vouch_inventory_lock (self);
  stmt = prepare (self, pending_only
                  ? "SELECT id, thumbprint, client_address, names, state, requested_at "
                    "FROM acme_requests WHERE state = 'pending' ORDER BY id;"
                  : "SELECT id, thumbprint, client_address, names, state, requested_at "
                    "FROM acme_requests ORDER BY id;", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto(GStrv) names = strv_from_json ((const char *)sqlite3_column_text (stmt, 3));
      g_autoptr(VouchAcmeApprovalRequest) request = NULL;

      request = vouch_acme_approval_request_new (sqlite3_column_int64 (stmt, 0),
                                                 (const char *)sqlite3_column_text (stmt, 1),
                                                 (const char *)sqlite3_column_text (stmt, 2),
                                                 (const char * const *)names,
                                                 (const char *)sqlite3_column_text (stmt, 4),
                                                 sqlite3_column_int64 (stmt, 5));
      g_list_store_append (store, request);
    }
  sqlite3_finalize (stmt);
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * vouch_acme_approvals_count_unsigned:
 *
 * Counts the orders a client has finalized that are not signed yet: they
 * wait for the operator's approval, or for the root's key (a locked
 * keyring), and clients poll them until they are.
 *
 * Returns: the count, or -1 with @error set
 */
gint64
vouch_acme_approvals_count_unsigned (VouchInventory  *self,
                                     GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), -1);

  locker = _vouch_inventory_lock (self);
  stmt = prepare (self, "SELECT COUNT(*) FROM acme_orders WHERE status = 'processing';", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                 _("Could not count the waiting ACME orders: %s"), sqlite3_errmsg (self->db));
  sqlite3_finalize (stmt);
  return count;
}

static VouchAcmeApprovalRequest *
lookup_request (VouchInventory  *self,
                gint64           id,
                GError         **error)
{
  g_autoptr(GListModel) all = NULL;

  /* Few requests ever exist; reading them keeps one row decoder. */
  g_rec_mutex_unlock (&self->mutex);
  all = vouch_acme_approvals_list (self, FALSE, error);
  g_rec_mutex_lock (&self->mutex);
  if (all == NULL)
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(VouchAcmeApprovalRequest) request = g_list_model_get_item (all, i);

      if (vouch_acme_approval_request_get_id (request) == id)
        return g_steal_pointer (&request);
    }
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
               _("There is no ACME request %" G_GINT64_FORMAT), id);
  return NULL;
}

/**
 * vouch_acme_approvals_decide:
 * @approve: %TRUE to approve, %FALSE to refuse
 *
 * Decides a pending request. Approving lets the account key order these
 * names from now on without asking again.
 */
gboolean
vouch_acme_approvals_decide (VouchInventory  *self,
                             gint64           id,
                             gboolean         approve,
                             GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(VouchAcmeApprovalRequest) request = NULL;
  g_autofree char *detail = NULL;
  const char * const *names;
  const char *thumbprint;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);

  locker = _vouch_inventory_lock (self);
  request = lookup_request (self, id, error);
  if (request == NULL)
    return FALSE;
  if (!g_str_equal (vouch_acme_approval_request_get_state (request), "pending"))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("ACME request %" G_GINT64_FORMAT " was already %s"), id,
                   vouch_acme_approval_request_get_state (request));
      return FALSE;
    }

  names = vouch_acme_approval_request_get_names (request);
  thumbprint = vouch_acme_approval_request_get_thumbprint (request);
  if (!_vouch_inventory_begin (self, error))
    return FALSE;

  stmt = prepare (self, "UPDATE acme_requests SET state = ?1, decided_at = ?2 WHERE id = ?3;",
                  &local_error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, approve ? "approved" : "refused", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_finalize (stmt);
      _vouch_inventory_set_sqlite_error (self, &local_error, _("Could not decide"));
      goto failed;
    }
  sqlite3_finalize (stmt);

  if (approve)
    {
      stmt = prepare (self, "INSERT OR IGNORE INTO acme_approved_names (thumbprint, name, "
                            "approved_at) VALUES (?1, ?2, ?3);", &local_error);
      if (stmt == NULL)
        goto failed;
      for (guint i = 0; names[i] != NULL; i++)
        {
          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, thumbprint, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, names[i], -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 3, now);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              sqlite3_finalize (stmt);
              _vouch_inventory_set_sqlite_error (self, &local_error, _("Could not approve"));
              goto failed;
            }
        }
      sqlite3_finalize (stmt);
    }

  detail = detail_json (thumbprint, vouch_acme_approval_request_get_client_address (request),
                        names, approve ? NULL : _("refused by the operator"));
  if (!_vouch_inventory_append_audit_locked (self, approve ? "acme-approved" : "acme-refused",
                                             NULL, NULL, detail, &local_error) ||
      !_vouch_inventory_commit (self, &local_error))
    goto failed;
  return TRUE;

failed:
  _vouch_inventory_rollback (self);
  g_propagate_error (error, local_error);
  return FALSE;
}

/**
 * vouch_acme_approvals_audit_refusal:
 * @reason: the problem the client is sent
 *
 * Records a refusal the policy made by itself (rate limit, names outside
 * the root's constraints or a binding key's names).
 */
void
vouch_acme_approvals_audit_refusal (VouchInventory     *self,
                                    const char         *thumbprint,
                                    const char         *client_address,
                                    const char * const *names,
                                    const GError       *reason)
{
  g_autofree char *detail = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VOUCH_IS_INVENTORY (self));

  detail = detail_json (thumbprint, client_address, names, reason->message);
  if (!vouch_inventory_append_audit (self, "acme-refused", NULL, NULL, detail, &error))
    g_warning ("Could not audit an ACME refusal: %s", error->message);
}

/**
 * vouch_acme_approvals_add_eab_key:
 * @patterns: the names an account bound with this key may order
 */
gboolean
vouch_acme_approvals_add_eab_key (VouchInventory      *self,
                                  const char          *id,
                                  const char * const  *patterns,
                                  GError             **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autofree char *json = NULL;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);

  json = _vouch_inventory_strv_to_json (patterns);
  locker = _vouch_inventory_lock (self);
  if (!_vouch_inventory_begin (self, error))
    return FALSE;
  stmt = prepare (self, "INSERT INTO acme_eab_keys (id, names, created_at) VALUES (?1, ?2, ?3);",
                  &local_error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_finalize (stmt);
      _vouch_inventory_set_sqlite_error (self, &local_error, _("Could not record the key"));
      goto failed;
    }
  sqlite3_finalize (stmt);
  if (!_vouch_inventory_append_audit_locked (self, "acme-eab-created", NULL, NULL, json,
                                             &local_error) ||
      !_vouch_inventory_commit (self, &local_error))
    goto failed;
  return TRUE;

failed:
  _vouch_inventory_rollback (self);
  g_propagate_error (error, local_error);
  return FALSE;
}

/**
 * vouch_acme_approvals_list_eab_keys:
 *
 * Returns: (transfer full): #VouchAcmeEabKey, revoked ones too, oldest first
 */
GListModel *
vouch_acme_approvals_list_eab_keys (VouchInventory  *self,
                                    GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GListStore) store = g_list_store_new (VOUCH_TYPE_ACME_EAB_KEY);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), NULL);

  locker = _vouch_inventory_lock (self);
  stmt = prepare (self, "SELECT id, names, created_at, IFNULL (revoked_at, 0) "
                        "FROM acme_eab_keys ORDER BY created_at, id;", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto(GStrv) names = strv_from_json ((const char *)sqlite3_column_text (stmt, 1));
      g_autoptr(VouchAcmeEabKey) key = NULL;

      key = vouch_acme_eab_key_new ((const char *)sqlite3_column_text (stmt, 0),
                                    (const char * const *)names,
                                    sqlite3_column_int64 (stmt, 2),
                                    sqlite3_column_int64 (stmt, 3));
      g_list_store_append (store, key);
    }
  sqlite3_finalize (stmt);
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * vouch_acme_approvals_lookup_eab_key:
 *
 * Returns: (transfer full) (nullable): the key's record, or %NULL without
 *   an error when there is none
 */
VouchAcmeEabKey *
vouch_acme_approvals_lookup_eab_key (VouchInventory  *self,
                                     const char      *id,
                                     GError         **error)
{
  g_autoptr(GListModel) keys = vouch_acme_approvals_list_eab_keys (self, error);

  for (guint i = 0; keys != NULL && i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(VouchAcmeEabKey) key = g_list_model_get_item (keys, i);

      if (g_strcmp0 (vouch_acme_eab_key_get_id (key), id) == 0)
        return g_steal_pointer (&key);
    }
  return NULL;
}

gboolean
vouch_acme_approvals_revoke_eab_key (VouchInventory  *self,
                                     const char      *id,
                                     GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autofree char *detail = NULL;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (self), FALSE);

  locker = _vouch_inventory_lock (self);
  if (!_vouch_inventory_begin (self, error))
    return FALSE;
  stmt = prepare (self, "UPDATE acme_eab_keys SET revoked_at = ?2 "
                        "WHERE id = ?1 AND revoked_at IS NULL;", &local_error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_finalize (stmt);
      _vouch_inventory_set_sqlite_error (self, &local_error, _("Could not revoke the key"));
      goto failed;
    }
  sqlite3_finalize (stmt);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (&local_error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("There is no valid ACME account key “%s”"), id);
      goto failed;
    }
  detail = _vouch_inventory_strv_to_json ((const char * const []) { id, NULL });
  if (!_vouch_inventory_append_audit_locked (self, "acme-eab-revoked", NULL, NULL, detail,
                                             &local_error) ||
      !_vouch_inventory_commit (self, &local_error))
    goto failed;
  return TRUE;

failed:
  _vouch_inventory_rollback (self);
  g_propagate_error (error, local_error);
  return FALSE;
}
