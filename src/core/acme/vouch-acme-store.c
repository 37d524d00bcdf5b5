/* vouch-acme-store.c: ACME state in the inventory database
 *
 * The store runs its statements on the inventory's own connection, under
 * the inventory's lock: two connections to one file would each discard
 * their page cache whenever the other wrote (once per certificate and
 * per ACME request), and read the pages again. Every state change is a
 * compare-and-set (UPDATE … WHERE status = from): two requests racing to
 * finalize one order cannot both win, in one process or after a restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-store"

#include "vouch-config.h"

#include "vouch-acme-store.h"
#include "vouch-acme-store-private.h"

#include "vouch-error.h"
#include "vouch-inventory-private.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

struct _VouchAcmeStore
{
  GObject     parent_instance;

  VouchInventory *inventory;
  sqlite3        *db;       /* the inventory's; used under its lock */

  /* SQL text → its compiled statement: every request runs the same few
   * statements, and compiling one cost more than running it. */
  GHashTable     *statements;

  /* Ids of the challenges being validated: their "processing" lives here
   * until the outcome is written, so a challenge is written once. */
  GHashTable *validating;
};

G_DEFINE_FINAL_TYPE (VouchAcmeStore, vouch_acme_store, G_TYPE_OBJECT)

#define N_ARGS(...) (sizeof ((const char *[]){ __VA_ARGS__ }) / sizeof (const char *))
#define ARGS(...) (const char *[]){ __VA_ARGS__ }, N_ARGS (__VA_ARGS__)

static gboolean
set_error (VouchAcmeStore  *self,
           GError         **error)
{
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
               _("The ACME records in the inventory %s could not be read or written: %s"),
               vouch_inventory_get_path (self->inventory), sqlite3_errmsg (self->db));
  return FALSE;
}

/* Returns @sql's statement, compiled on first use, with @args bound; the
 * caller hands it back with release(). */
static sqlite3_stmt *
prepare (VouchAcmeStore     *self,
         const char         *sql,
         const char * const *args,
         gsize               n_args,
         GError            **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                              NULL) != SQLITE_OK)
        {
          set_error (self, error);
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_hash_table_insert (self->statements, g_strdup (sql), stmt);
    }
  for (gsize i = 0; i < n_args; i++)
    sqlite3_bind_text (stmt, i + 1, args[i], -1, SQLITE_STATIC);
  return stmt;
}

/* A statement left unreset would hold its read transaction open, and its
 * bindings would point at the caller's freed strings. */
static void
release (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* The inventory's lock, which its own statements take too; recursive,
 * so a transaction holds it from begin() to commit() or rollback(). */
static GRecMutexLocker *
lock (VouchAcmeStore *self)
{
  return g_rec_mutex_locker_new (&self->inventory->mutex);
}

/* Runs one statement; returns the rows it changed, or -1 with @error.
 * A write ends the held reads' transaction first
 * (_vouch_inventory_end_reads()). */
static int
run (VouchAcmeStore     *self,
     const char         *sql,
     const char * const *args,
     gsize               n_args,
     GError            **error)
{
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = lock (self);
  sqlite3_stmt *stmt;
  int rc;

  _vouch_inventory_end_reads (self->inventory);
  stmt = prepare (self, sql, args, n_args, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (self, error);
      release (stmt);
      return -1;
    }
  release (stmt);
  return sqlite3_changes (self->db);
}

/* A write transaction keeps the inventory's lock from here to commit()
 * or rollback(): the connection is shared, so nobody else's statements
 * may run inside it. */
static gboolean
begin (VouchAcmeStore  *self,
       GError         **error)
{
  g_rec_mutex_lock (&self->inventory->mutex);
  if (run (self, "BEGIN IMMEDIATE;", NULL, 0, error) >= 0)
    return TRUE;
  g_rec_mutex_unlock (&self->inventory->mutex);
  return FALSE;
}

/* Undoes the transaction and releases the lock; FALSE, the failure the
 * caller returns. */
static gboolean
rollback (VouchAcmeStore *self)
{
  run (self, "ROLLBACK;", NULL, 0, NULL);
  g_rec_mutex_unlock (&self->inventory->mutex);
  return FALSE;
}

static gboolean
commit (VouchAcmeStore  *self,
        GError         **error)
{
  if (run (self, "COMMIT;", NULL, 0, error) < 0)
    {
      rollback (self);
      return FALSE;
    }
  g_rec_mutex_unlock (&self->inventory->mutex);
  return TRUE;
}

/* Runs a query and reads each row with @row_func into an array. */
static GPtrArray *
query (VouchAcmeStore     *self,
       const char         *sql,
       const char * const *args,
       gsize               n_args,
       RowFunc             row_func,
       GDestroyNotify      free_func,
       GError            **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = lock (self);
  sqlite3_stmt *stmt;
  int rc;

  _vouch_inventory_begin_reads (self->inventory);
  stmt = prepare (self, sql, args, n_args, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_func (stmt));
  if (rc != SQLITE_DONE)
    set_error (self, error);
  release (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&rows);
}

/* The first row, or NULL without an error when there is none. */
static gpointer
query_one (VouchAcmeStore     *self,
           const char         *sql,
           const char * const *args,
           gsize               n_args,
           RowFunc             row_func,
           GDestroyNotify      free_func,
           GError            **error)
{
  g_autoptr(GPtrArray) rows = query (self, sql, args, n_args, row_func, free_func, error);

  if (rows == NULL || rows->len == 0)
    return NULL;
  return g_ptr_array_steal_index (rows, 0);
}

static void
vouch_acme_store_finalize (GObject *object)
{
  VouchAcmeStore *self = VOUCH_ACME_STORE (object);

  /* Every statement is finalized before the connection can close. */
  if (self->inventory != NULL)
    {
      G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = lock (self);

      g_clear_pointer (&self->statements, g_hash_table_unref);
    }
  else
    g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->validating, g_hash_table_unref);
  g_clear_object (&self->inventory);

  G_OBJECT_CLASS (vouch_acme_store_parent_class)->finalize (object);
}

static void
vouch_acme_store_class_init (VouchAcmeStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vouch_acme_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
vouch_acme_store_init (VouchAcmeStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->validating = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * vouch_acme_store_new:
 * @inventory: the inventory whose database keeps the ACME state
 *
 * A store on @inventory's own connection (see the file's comment).
 */
VouchAcmeStore *
vouch_acme_store_new (VouchInventory  *inventory,
                      GError         **error)
{
  g_autoptr(VouchAcmeStore) self = g_object_new (VOUCH_TYPE_ACME_STORE, NULL);
  g_autoptr(GPtrArray) tables = NULL;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (inventory), NULL);

  self->inventory = g_object_ref (inventory);
  self->db = _vouch_inventory_get_db (inventory);

  /* Asked by table, not by schema number, so the step's number may
   * change when migrations from other work are put in order. */
  tables = query (self,
                  "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
                  "('acme_accounts', 'acme_orders', 'acme_authorizations', 'acme_challenges');",
                  NULL, 0, _vouch_acme_text_from_row, g_free, error);
  if (tables == NULL)
    return NULL;
  if (tables->len != 4)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                   _("The inventory %s has no ACME tables yet; open it with Vouch first"),
                   vouch_inventory_get_path (inventory));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * vouch_acme_store_open:
 * @inventory_path: the inventory's database
 *
 * A store on a connection of its own, through an inventory of its own:
 * for tools and tests beside a running server.
 */
VouchAcmeStore *
vouch_acme_store_open (const char  *inventory_path,
                       GError     **error)
{
  g_autoptr(VouchInventory) inventory = vouch_inventory_open (inventory_path, error);

  if (inventory == NULL)
    return NULL;
  return vouch_acme_store_new (inventory, error);
}

/**
 * vouch_acme_store_hold:
 *
 * Until vouch_acme_store_release(), reads share one read transaction (so
 * one snapshot), up to the next write, which ends it: a request's several
 * lookups then take SQLite's locks and check the WAL once, not once each
 * (_vouch_inventory_hold()). Hold only for work that runs without
 * yielding to the main loop: the inventory's other users wait meanwhile,
 * and the transaction keeps the WAL from being reset.
 */
void
vouch_acme_store_hold (VouchAcmeStore *self)
{
  _vouch_inventory_hold (self->inventory);
}

void
vouch_acme_store_release (VouchAcmeStore *self)
{
  _vouch_inventory_release (self->inventory);
}

static char *
now_text (void)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
}

gboolean
vouch_acme_store_insert_account (VouchAcmeStore          *self,
                                 const VouchAcmeAccount  *account,
                                 GError                 **error)
{
  g_autofree char *now = now_text ();

  return run (self,
              "INSERT INTO acme_accounts (id, key_thumbprint, jwk, status, contacts, eab_key_id, "
              "client_address, created_at) VALUES (?, ?, ?, 'valid', ?, ?, ?, ?);",
              ARGS (account->id, account->thumbprint, account->jwk, account->contacts,
                    account->eab_key_id, account->client_address, now), error) == 1;
}

VouchAcmeAccount *
vouch_acme_store_lookup_account (VouchAcmeStore  *self,
                                 const char      *id,
                                 GError         **error)
{
  return query_one (self, "SELECT " ACCOUNT_COLUMNS " FROM acme_accounts WHERE id = ?;",
                    ARGS (id), _vouch_acme_account_from_row, (GDestroyNotify)vouch_acme_account_free, error);
}

VouchAcmeAccount *
vouch_acme_store_lookup_account_by_key (VouchAcmeStore  *self,
                                        const char      *thumbprint,
                                        GError         **error)
{
  return query_one (self,
                    "SELECT " ACCOUNT_COLUMNS " FROM acme_accounts WHERE key_thumbprint = ?;",
                    ARGS (thumbprint), _vouch_acme_account_from_row,
                    (GDestroyNotify)vouch_acme_account_free, error);
}

/* A deactivated account stays so (RFC 8555 §7.3.6). */
gboolean
vouch_acme_store_update_account (VouchAcmeStore  *self,
                                 const char      *id,
                                 const char      *status,
                                 const char      *contacts,
                                 GError         **error)
{
  return run (self,
              "UPDATE acme_accounts SET status = coalesce (?, status), "
              "contacts = coalesce (?, contacts) WHERE id = ? AND status = 'valid';",
              ARGS (status, contacts, id), error) >= 0;
}

/* Fails with G_IO_ERROR_EXISTS when another account has the new key. */
gboolean
vouch_acme_store_change_account_key (VouchAcmeStore  *self,
                                     const char      *id,
                                     const char      *old_thumbprint,
                                     const char      *thumbprint,
                                     const char      *jwk,
                                     GError         **error)
{
  g_autoptr(VouchAcmeAccount) other = NULL;
  int changed;

  if (!begin (self, error))
    return FALSE;
  other = vouch_acme_store_lookup_account_by_key (self, thumbprint, NULL);
  if (other != NULL)
    {
      rollback (self);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s", other->id);
      return FALSE;
    }
  changed = run (self,
                 "UPDATE acme_accounts SET key_thumbprint = ?, jwk = ? "
                 "WHERE id = ? AND key_thumbprint = ? AND status = 'valid';",
                 ARGS (thumbprint, jwk, id, old_thumbprint), error);
  if (changed != 1)
    {
      rollback (self);
      if (changed == 0)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", id);
      return FALSE;
    }
  return commit (self, error);
}

/**
 * vouch_acme_store_insert_order:
 * @authzs: (element-type VouchAcmeAuthz): the order's authorizations
 * @challenges: (element-type VouchAcmeChallenge): theirs, by authz_id
 *
 * Records an order with its authorizations and challenges, all or nothing.
 */
gboolean
vouch_acme_store_insert_order (VouchAcmeStore        *self,
                               const VouchAcmeOrder  *order,
                               GPtrArray             *authzs,
                               GPtrArray             *challenges,
                               GError               **error)
{
  g_autofree char *now = now_text ();
  g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT, order->expires);

  if (!begin (self, error))
    return FALSE;

  if (run (self,
           "INSERT INTO acme_orders (id, account_id, identifiers, expires, client_address, "
           "created_at) VALUES (?, ?, ?, ?, ?, ?);",
           ARGS (order->id, order->account_id, order->identifiers, expires,
                 order->client_address, now), error) != 1)
    return rollback (self);

  for (guint i = 0; i < authzs->len; i++)
    {
      VouchAcmeAuthz *authz = g_ptr_array_index (authzs, i);
      g_autofree char *authz_expires = g_strdup_printf ("%" G_GINT64_FORMAT, authz->expires);

      if (run (self,
               "INSERT INTO acme_authorizations (id, order_id, identifier_type, "
               "identifier_value, expires) VALUES (?, ?, ?, ?, ?);",
               ARGS (authz->id, order->id, authz->type, authz->value, authz_expires),
               error) != 1)
        return rollback (self);
    }

  for (guint i = 0; i < challenges->len; i++)
    {
      VouchAcmeChallenge *challenge = g_ptr_array_index (challenges, i);

      if (run (self,
               "INSERT INTO acme_challenges (id, authorization_id, type, token) "
               "VALUES (?, ?, ?, ?);",
               ARGS (challenge->id, challenge->authz_id, challenge->type, challenge->token),
               error) != 1)
        return rollback (self);
    }

  return commit (self, error);
}

/**
 * vouch_acme_store_lookup_order:
 *
 * The order @id with its authorizations' ids (authz_ids), in one
 * statement: most answers about an order list them.
 */
VouchAcmeOrder *
vouch_acme_store_lookup_order (VouchAcmeStore  *self,
                               const char      *id,
                               GError         **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  VouchAcmeOrder *order;

  rows = query (self,
                "SELECT o.id, o.account_id, o.status, o.identifiers, o.expires, o.error, o.csr, "
                "o.csr_key_sha256, o.processing_at, o.serial, o.client_address, a.id "
                "FROM acme_orders o LEFT JOIN acme_authorizations a ON a.order_id = o.id "
                "WHERE o.id = ? ORDER BY a.rowid;",
                ARGS (id), _vouch_acme_order_and_authz_id_from_row,
                (GDestroyNotify)vouch_acme_order_free, error);
  if (rows == NULL || rows->len == 0)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      VouchAcmeOrder *row = g_ptr_array_index (rows, i);

      if (row->authz_ids[0] != NULL)
        g_strv_builder_add (ids, row->authz_ids[0]);
    }
  order = g_ptr_array_steal_index (rows, 0);
  g_strfreev (order->authz_ids);
  order->authz_ids = g_strv_builder_end (ids);
  return order;
}

VouchAcmeOrder *
vouch_acme_store_lookup_order_by_serial (VouchAcmeStore  *self,
                                         const char      *serial,
                                         GError         **error)
{
  return query_one (self, "SELECT " ORDER_COLUMNS " FROM acme_orders WHERE serial = ?;",
                    ARGS (serial), _vouch_acme_order_from_row, (GDestroyNotify)vouch_acme_order_free, error);
}

/* Returns: (element-type utf8): the ids of @account_id's orders, newest
 * first, at most a thousand */
GPtrArray *
vouch_acme_store_list_orders (VouchAcmeStore  *self,
                              const char      *account_id,
                              GError         **error)
{
  return query (self,
                "SELECT id FROM acme_orders WHERE account_id = ? "
                "ORDER BY created_at DESC, rowid DESC LIMIT 1000;",
                ARGS (account_id), _vouch_acme_text_from_row, g_free, error);
}

GPtrArray *
vouch_acme_store_list_authzs (VouchAcmeStore  *self,
                              const char      *order_id,
                              GError         **error)
{
  return query (self,
                "SELECT " AUTHZ_COLUMNS " FROM acme_authorizations WHERE order_id = ? "
                "ORDER BY rowid;",
                ARGS (order_id), _vouch_acme_authz_from_row, (GDestroyNotify)vouch_acme_authz_free, error);
}

VouchAcmeAuthz *
vouch_acme_store_lookup_authz (VouchAcmeStore  *self,
                               const char      *id,
                               GError         **error)
{
  return query_one (self, "SELECT " AUTHZ_COLUMNS " FROM acme_authorizations WHERE id = ?;",
                    ARGS (id), _vouch_acme_authz_from_row, (GDestroyNotify)vouch_acme_authz_free, error);
}

/**
 * vouch_acme_store_lookup_authz_and_order:
 * @order: (out): the authorization's order
 *
 * An authorization and its order, in one statement: every request about
 * an authorization or a challenge needs both.
 */
VouchAcmeAuthz *
vouch_acme_store_lookup_authz_and_order (VouchAcmeStore  *self,
                                         const char      *id,
                                         VouchAcmeOrder **order,
                                         GError         **error)
{
  VouchAcmeAuthzAndOrder *pair;
  VouchAcmeAuthz *authz;

  pair = query_one (self,
                    "SELECT a.id, a.order_id, a.identifier_type, a.identifier_value, a.status, "
                    "a.expires, o.id, o.account_id, o.status, o.identifiers, o.expires, o.error, "
                    "o.csr, o.csr_key_sha256, o.processing_at, o.serial, o.client_address "
                    "FROM acme_authorizations a JOIN acme_orders o ON o.id = a.order_id "
                    "WHERE a.id = ?;",
                    ARGS (id), _vouch_acme_authz_and_order_from_row,
                    (GDestroyNotify)_vouch_acme_authz_and_order_free, error);
  *order = NULL;
  if (pair == NULL)
    return NULL;
  authz = g_steal_pointer (&pair->authz);
  *order = g_steal_pointer (&pair->order);
  _vouch_acme_authz_and_order_free (pair);
  return authz;
}

/* A challenge this process is validating is processing, though its row
 * still says pending. */
static void
show_validating (VouchAcmeStore     *self,
                 VouchAcmeChallenge *challenge)
{
  if (challenge != NULL && g_str_equal (challenge->status, "pending") &&
      g_hash_table_contains (self->validating, challenge->id))
    {
      g_free (challenge->status);
      challenge->status = g_strdup ("processing");
    }
}

GPtrArray *
vouch_acme_store_list_challenges (VouchAcmeStore  *self,
                                  const char      *authz_id,
                                  GError         **error)
{
  GPtrArray *challenges = query (self,
                                 "SELECT " CHALLENGE_COLUMNS " FROM acme_challenges "
                                 "WHERE authorization_id = ? ORDER BY rowid;",
                                 ARGS (authz_id), _vouch_acme_challenge_from_row,
                                 (GDestroyNotify)vouch_acme_challenge_free, error);

  for (guint i = 0; challenges != NULL && i < challenges->len; i++)
    show_validating (self, g_ptr_array_index (challenges, i));
  return challenges;
}

VouchAcmeChallenge *
vouch_acme_store_lookup_challenge (VouchAcmeStore  *self,
                                   const char      *id,
                                   GError         **error)
{
  VouchAcmeChallenge *challenge;

  challenge = query_one (self, "SELECT " CHALLENGE_COLUMNS " FROM acme_challenges WHERE id = ?;",
                         ARGS (id), _vouch_acme_challenge_from_row,
                         (GDestroyNotify)vouch_acme_challenge_free, error);
  show_validating (self, challenge);
  return challenge;
}

/**
 * vouch_acme_store_set_order_status:
 * @problem: (nullable): the problem document of an order made invalid
 *
 * Returns: 1 if the order was @from and is now @to, 0 if it was not
 *   @from, -1 with @error
 */
int
vouch_acme_store_set_order_status (VouchAcmeStore  *self,
                                   const char      *id,
                                   const char      *from,
                                   const char      *to,
                                   const char      *problem,
                                   GError         **error)
{
  return run (self,
              "UPDATE acme_orders SET status = ?, error = coalesce (?, error) "
              "WHERE id = ? AND status = ?;",
              ARGS (to, problem, id, from), error);
}

/* ready → processing, keeping the CSR that finalize accepted, so the
 * order is signed once even if finalize is retried or Vouch restarts. */
int
vouch_acme_store_begin_processing (VouchAcmeStore  *self,
                                   const char      *id,
                                   const char      *csr,
                                   const char      *key_sha256,
                                   GError         **error)
{
  g_autofree char *now = now_text ();

  return run (self,
              "UPDATE acme_orders SET status = 'processing', csr = ?, csr_key_sha256 = ?, "
              "processing_at = ? WHERE id = ? AND status = 'ready';",
              ARGS (csr, key_sha256, now, id), error);
}

#define FINISH_ORDER_SQL \
  "UPDATE acme_orders SET status = 'valid', serial = ? WHERE id = ? AND status = 'processing';"

/* For an order whose certificate the inventory recorded without it (by
 * a Vouch older than vouch_acme_store_record_valid()). */
int
vouch_acme_store_finish_order (VouchAcmeStore  *self,
                               const char      *id,
                               const char      *serial,
                               GError         **error)
{
  return run (self, FINISH_ORDER_SQL, ARGS (serial, id), error);
}

/**
 * vouch_acme_store_record_valid:
 * @order_id: (type utf8): the processing order @cert answers
 *
 * A #VouchInventoryRecordFunc (see #VouchSignOptions): the order becomes
 * valid, with @cert's serial, in the very transaction that records @cert,
 * on the inventory's connection. No crash can then leave a certificate
 * issued while its order stays processing, and the certificate costs one
 * commit, not two. If the order is no longer processing (another process
 * finished it), the transaction is undone and nothing is issued.
 */
gboolean
vouch_acme_store_record_valid (VouchInventory    *inventory,
                               VouchCertificate  *cert,
                               gpointer           order_id,
                               GError           **error)
{
  int changed = _vouch_inventory_run_locked (inventory, FINISH_ORDER_SQL,
                                             ARGS (vouch_certificate_get_serial (cert), order_id),
                                             error);

  if (changed == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _("The ACME order %s is no longer processing; nothing was issued for it"),
                 (const char *)order_id);
  return changed == 1;
}

/**
 * vouch_acme_store_start_challenge:
 * @challenge: the challenge, as just read (in the same snapshot as @authz)
 * @authz: its authorization
 *
 * pending → processing, in this process's memory only: only the first
 * answer starts a validation, and the challenge is written once, with
 * its outcome (vouch_acme_store_complete_challenge()). After a restart it
 * is pending again, and the client's next answer validates it anew. The
 * caller has both rows at hand, so nothing is read again: the outcome's
 * compare-and-set, not this, keeps a challenge from being written twice.
 *
 * Returns: whether the validation may start: %FALSE if the challenge or
 *   its authorization is not pending, or the challenge is being validated
 *   (then @challenge says processing)
 */
gboolean
vouch_acme_store_start_challenge (VouchAcmeStore       *self,
                                  VouchAcmeChallenge   *challenge,
                                  const VouchAcmeAuthz *authz)
{
  show_validating (self, challenge);
  if (!g_str_equal (challenge->status, "pending") || !g_str_equal (authz->status, "pending"))
    return FALSE;
  g_hash_table_add (self->validating, g_strdup (challenge->id));
  return TRUE;
}

/**
 * vouch_acme_store_complete_challenge:
 * @problem: (nullable): NULL when the challenge was met, else the problem
 * @recorded: (out) (optional) (nullable): the challenge as written, or
 *   %NULL if another outcome was recorded first (read it then)
 *
 * Records a validation's outcome and carries it up in one transaction:
 * the challenge and its authorization become valid or invalid, and the
 * order ready (all authorizations valid) or invalid.
 */
gboolean
vouch_acme_store_complete_challenge (VouchAcmeStore      *self,
                                     const char          *id,
                                     const char          *problem,
                                     VouchAcmeChallenge **recorded,
                                     GError             **error)
{
  g_autofree char *now = now_text ();
  const char *status = problem == NULL ? "valid" : "invalid";
  g_autoptr(VouchAcmeChallenge) challenge = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Done, whatever happens here: if the outcome cannot be written, the
   * challenge is pending, and the client may answer it again. */
  g_hash_table_remove (self->validating, id);
  if (!begin (self, error))
    return FALSE;
  /* The compare-and-set hands back the row it wrote: nothing to read
   * before or after it. */
  challenge = query_one (self,
                         "UPDATE acme_challenges SET status = ?, validated = ?, error = ? "
                         "WHERE id = ? AND status = 'pending' RETURNING " CHALLENGE_COLUMNS ";",
                         ARGS (status, problem == NULL ? now : NULL, problem, id),
                         _vouch_acme_challenge_from_row, (GDestroyNotify)vouch_acme_challenge_free,
                         &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return rollback (self);
    }
  /* Another Vouch on this inventory recorded an outcome first. */
  if (challenge == NULL)
    {
      rollback (self);
      if (recorded != NULL)
        *recorded = NULL;
      return TRUE;
    }
  if (run (self, "UPDATE acme_authorizations SET status = ? WHERE id = ? AND status = 'pending';",
           ARGS (status, challenge->authz_id), error) < 0)
    return rollback (self);

  if (problem != NULL)
    {
      if (run (self,
               "UPDATE acme_orders SET status = 'invalid', error = ?1 WHERE id = "
               "(SELECT order_id FROM acme_authorizations WHERE id = ?2) "
               "AND status IN ('pending', 'ready');",
               ARGS (problem, challenge->authz_id), error) < 0)
        return rollback (self);
    }
  else if (run (self,
                "UPDATE acme_orders SET status = 'ready' WHERE id = "
                "(SELECT order_id FROM acme_authorizations WHERE id = ?1) AND status = 'pending' "
                "AND NOT EXISTS (SELECT 1 FROM acme_authorizations WHERE order_id = "
                "  (SELECT order_id FROM acme_authorizations WHERE id = ?1) "
                "  AND status != 'valid');",
                ARGS (challenge->authz_id), error) < 0)
    return rollback (self);

  if (!commit (self, error))
    return FALSE;
  if (recorded != NULL)
    *recorded = g_steal_pointer (&challenge);
  return TRUE;
}

/* Returns: 1 if deactivated, 0 if it was neither pending nor valid */
int
vouch_acme_store_deactivate_authz (VouchAcmeStore  *self,
                                   const char      *id,
                                   GError         **error)
{
  int changed;

  if (!begin (self, error))
    return -1;
  changed = run (self,
                 "UPDATE acme_authorizations SET status = 'deactivated' "
                 "WHERE id = ? AND status IN ('pending', 'valid');",
                 ARGS (id), error);
  if (changed < 0 ||
      (changed == 1 &&
       run (self,
            "UPDATE acme_orders SET status = 'invalid' WHERE status IN ('pending', 'ready') "
            "AND id = (SELECT order_id FROM acme_authorizations WHERE id = ?);",
            ARGS (id), error) < 0))
    {
      rollback (self);
      return -1;
    }
  if (!commit (self, error))
    return -1;
  return changed;
}

/**
 * vouch_acme_store_find_issued:
 *
 * For an order left processing by a crash between signing and recording:
 * the certificate issued for the CSR's key since it began processing.
 *
 * Returns: (nullable): its serial
 */
char *
vouch_acme_store_find_issued (VouchAcmeStore  *self,
                              const char      *key_sha256,
                              gint64           since,
                              GError         **error)
{
  g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, since);

  return query_one (self,
                    "SELECT serial FROM certificates WHERE key_sha256 = ? AND issued_at >= ? "
                    "AND serial NOT IN (SELECT serial FROM acme_orders WHERE serial IS NOT NULL) "
                    "ORDER BY issued_at LIMIT 1;",
                    ARGS (key_sha256, since_text), _vouch_acme_text_from_row, g_free, error);
}

/**
 * vouch_acme_store_lookup_certificate_pem:
 * @account_id: the account whose order the certificate must answer
 *
 * The inventory's PEM of a certificate issued for an order of
 * @account_id, as it was recorded: the download serves it as is, with
 * nothing to parse. One statement finds the order and the certificate.
 *
 * Returns: (nullable): the PEM, or NULL (without an error) if no order
 *   of @account_id has a certificate of @serial
 */
char *
vouch_acme_store_lookup_certificate_pem (VouchAcmeStore  *self,
                                         const char      *serial,
                                         const char      *account_id,
                                         GError         **error)
{
  return query_one (self,
                    "SELECT c.pem FROM acme_orders o JOIN certificates c ON c.serial = o.serial "
                    "WHERE o.serial = ? AND o.account_id = ?;",
                    ARGS (serial, account_id), _vouch_acme_text_from_row, g_free, error);
}
