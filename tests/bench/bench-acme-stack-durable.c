/* bench-acme-stack-durable.c: bench-acme-stack --durable keeps what an
 * ACME server meeting issue #16 must keep, with the mandated SQLite and
 * nothing else, as cheaply as SQLite allows
 *
 * The issue asks that a restart lose nothing and issue no order twice,
 * and that every certificate be written durably. So: accounts (the key,
 * to verify later requests), orders, their authorizations and challenges
 * are rows; finalize moves the order to processing with its CSR before
 * issuing (a locked keyring or a restart then loses nothing), and the
 * certificate (its DER, serial, names, not-after) is committed with the
 * order's valid state and synced to the disk before the client hears of
 * it, by Vouch's rule (vouch_inventory_sync(): the connection runs
 * synchronous=NORMAL, and after the certificate's commit the WAL file is
 * fdatasync'ed, on a worker thread so the main loop serves other
 * requests meanwhile). Nonces stay in memory, as a restart may lose them.
 *
 * As cheap as SQLite allows: one connection, WAL, synchronous=NORMAL,
 * every statement prepared once, one write transaction per
 * state-changing request (two for finalize, as above), one read by
 * primary key for each POST-as-GET, WITHOUT ROWID tables (each one b-tree
 * keyed by its primary key, not rowids plus a key index) and one index:
 * accounts by key, which newAccount needs to find an account that exists
 * (RFC 8555 §7.3.1). Accounts, once read, are remembered (they never
 * change here), as any server keeps its accounts' keys. No foreign keys
 * are enforced: this server is the only writer.
 *
 * What it still leaves out, as the stack floor does: verifying and
 * signing (the crypto floor's share; --conforming adds them, see
 * bench-acme-stack-issue.c), and the recovery after a restart of an order
 * left processing (it costs nothing in the benchmark's loop).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-acme-stack.h"
#include "bench-acme-stack-sql.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#define ORDER_LIFETIME (7 * 24 * 3600)

struct _StackStore
{
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STATEMENTS];
  char         *wal;        /* synced after each certificate's commit */
  int           wal_fd;     /* open from the first certificate on */
  GBytes       *leaf;       /* the one "issued" certificate, DER */
  gint64        not_after;  /* the leaf's, Unix time */
};

void
stack_store_free (StackStore *store)
{
  for (guint i = 0; i < N_STATEMENTS; i++)
    sqlite3_finalize (store->stmts[i]);
  sqlite3_close (store->db);
  g_free (store->wal);
  if (store->wal_fd >= 0)
    close (store->wal_fd);
  g_clear_pointer (&store->leaf, g_bytes_unref);
  g_free (store);
}

static int
journal_mode_cb (gpointer   user_data,
                 int        n_columns,
                 char     **values,
                 char     **names)
{
  *(gboolean *)user_data = n_columns == 1 && g_strcmp0 (values[0], "wal") == 0;
  return 0;
}

StackStore *
stack_store_open (const char       *path,
                  GTlsCertificate  *leaf,
                  GError          **error)
{
  StackStore *store = g_new0 (StackStore, 1);
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GDateTime) not_after = g_tls_certificate_get_not_valid_after (leaf);
  gboolean wal = FALSE;

  g_object_get (leaf, "certificate", &der, NULL);
  store->leaf = g_bytes_new (der->data, der->len);
  store->not_after = g_date_time_to_unix (not_after);
  store->wal = g_strconcat (path, "-wal", NULL);
  store->wal_fd = -1;
  /* Only one thread at a time uses the connection (the main thread; with
   * --conforming, also the issuing thread, both under Stack's
   * store_lock): no mutex per call. */
  if (sqlite3_open_v2 (path, &store->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK ||
      sqlite3_exec (store->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                    journal_mode_cb, &wal, NULL) != SQLITE_OK ||
      sqlite3_exec (store->db, stack_schema, NULL, NULL, NULL) != SQLITE_OK)
    goto fail;
  /* SQLite keeps the old mode where it cannot keep a WAL. */
  if (!wal)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: SQLite cannot keep a write-ahead log for it", path);
      stack_store_free (store);
      return NULL;
    }
  for (guint i = 0; i < N_STATEMENTS; i++)
    if (sqlite3_prepare_v3 (store->db, stack_statements[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &store->stmts[i], NULL) != SQLITE_OK)
      goto fail;
  return store;

fail:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
               store->db != NULL ? sqlite3_errmsg (store->db) : "cannot open");
  stack_store_free (store);
  return NULL;
}

/* Statement @which, reset and bound: 't' a string, 'i' a gint64, 'b'
 * a GBytes. */
static sqlite3_stmt *
bind (StackStore *store,
      Statement   which,
      const char *types,
      ...)
{
  sqlite3_stmt *stmt = store->stmts[which];
  va_list args;

  sqlite3_reset (stmt);
  va_start (args, types);
  for (int i = 0; types[i] != '\0'; i++)
    {
      if (types[i] == 't')
        sqlite3_bind_text (stmt, i + 1, va_arg (args, const char *), -1, SQLITE_STATIC);
      else if (types[i] == 'i')
        sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
      else
        {
          GBytes *bytes = va_arg (args, GBytes *);

          sqlite3_bind_blob (stmt, i + 1, g_bytes_get_data (bytes, NULL),
                             g_bytes_get_size (bytes), SQLITE_STATIC);
        }
    }
  va_end (args);
  return stmt;
}

/* Runs a statement that returns no rows; false on an error. */
static gboolean
done (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/* SQLite failed: the transaction, if any, is undone and the client
 * told. */
static void
fail (Stack             *self,
      SoupServerMessage *msg)
{
  g_autofree char *detail = g_strdup (sqlite3_errmsg (self->store->db));

  if (!sqlite3_get_autocommit (self->store->db))
    done (bind (self->store, ROLLBACK, ""));
  stack_reply_problem (self, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "serverInternal", detail);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

gboolean
stack_durable_account (Stack      *self,
                       const char *id)
{
  sqlite3_stmt *stmt;
  gboolean found;

  if (g_hash_table_contains (self->accounts, id))
    return TRUE;
  stmt = bind (self->store, GET_ACCOUNT, "t", id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (found)
    g_hash_table_add (self->accounts, g_strdup (id));
  return found;
}

/* With --conforming, a valid account's key, to verify its requests
 * after a restart; else NULL. */
char *
stack_durable_account_jwk (Stack      *self,
                           const char *id)
{
  sqlite3_stmt *stmt = bind (self->store, GET_ACCOUNT_JWK, "t", id);
  char *jwk = sqlite3_step (stmt) == SQLITE_ROW ? g_strdup (column_text (stmt, 0)) : NULL;

  sqlite3_reset (stmt);
  return jwk;
}

/* RFC 7638's canonical JSON of an EC key (the JWS is ES256), or NULL. */
static char *
canonical_jwk (JsonObject *header)
{
  JsonNode *node = json_object_get_member (header, "jwk");
  JsonObject *jwk = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                                  : NULL;
  const char *crv, *x, *y;

  if (jwk == NULL || g_strcmp0 (stack_string_member (jwk, "kty"), "EC") != 0 ||
      (crv = stack_string_member (jwk, "crv")) == NULL ||
      (x = stack_string_member (jwk, "x")) == NULL || (y = stack_string_member (jwk, "y")) == NULL)
    return NULL;
  return g_strdup_printf ("{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", crv, x, y);
}

/* One write: the account's row, unless its key has one already. */
void
stack_durable_new_account (Stack             *self,
                           SoupServerMessage *msg,
                           Jws               *jws)
{
  StackStore *store = self->store;
  g_autofree char *jwk = canonical_jwk (jws->header);
  g_autofree char *thumbprint = NULL;
  char *id;
  sqlite3_stmt *stmt;

  if (jwk == NULL)
    {
      stack_reply_problem (self, msg, SOUP_STATUS_BAD_REQUEST, "badPublicKey",
                           "The jwk is not an EC public key");
      return;
    }
  thumbprint = g_compute_checksum_for_string (G_CHECKSUM_SHA256, jwk, -1);
  id = stack_random_id ();
  if (!done (bind (store, ADD_ACCOUNT, "ttti", id, thumbprint, jwk,
                   g_get_real_time () / G_USEC_PER_SEC)))
    {
      g_free (id);
      fail (self, msg);
      return;
    }
  if (sqlite3_changes (store->db) == 1)
    {
      g_hash_table_add (self->accounts, id);
      stack_reply_account (self, msg, id, SOUP_STATUS_CREATED);
      return;
    }
  g_free (id);
  stmt = bind (store, ACCOUNT_BY_KEY, "t", thumbprint);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      fail (self, msg);
      sqlite3_reset (stmt);
      return;
    }
  id = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  g_hash_table_add (self->accounts, id);
  stack_reply_account (self, msg, id, SOUP_STATUS_OK);
}

/* One write: the order, its authorizations and their two challenges
 * each, with random tokens. */
void
stack_durable_new_order (Stack             *self,
                         SoupServerMessage *msg,
                         const char        *account,
                         JsonNode          *identifiers)
{
  static const char * const types[] = { "http-01", "tls-alpn-01" };
  StackStore *store = self->store;
  JsonArray *array = json_node_get_array (identifiers);
  guint n = json_array_get_length (array);
  gint64 expires = g_get_real_time () / G_USEC_PER_SEC + ORDER_LIFETIME;
  g_autofree char *id = stack_random_id ();
  g_autofree char *text = json_to_string (identifiers, FALSE);
  g_autofree char *location = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean ok;

  ok = done (bind (store, BEGIN, "")) &&
       done (bind (store, ADD_ORDER, "tttii", id, account, text, expires, (gint64)n));
  for (guint i = 0; ok && i < n; i++)
    {
      JsonObject *identifier = json_array_get_object_element (array, i);

      ok = done (bind (store, ADD_AUTHZ, "tittti", id, (gint64)i, account,
                       stack_string_member (identifier, "type"),
                       stack_string_member (identifier, "value"), expires));
      for (guint j = 0; ok && j < G_N_ELEMENTS (types); j++)
        {
          g_autofree char *token = stack_random_id ();

          ok = done (bind (store, ADD_CHALLENGE, "titt", id, (gint64)i, types[j], token));
        }
    }
  if (!ok || !done (bind (store, COMMIT, "")))
    {
      fail (self, msg);
      return;
    }
  location = stack_url_of (msg, "order", id, NULL);
  node = stack_order_json (msg, id, identifiers, "pending", expires, NULL);
  stack_reply (self, msg, SOUP_STATUS_CREATED, node, location);
}

/* The authorization's index in authz/ORDER/N or chall/ORDER/N/TYPE. */
static gboolean
index_of (char  **path,
          gint64 *index)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (path[2], 10, 0, 63, &n, NULL))
    return FALSE;
  *index = n;
  return TRUE;
}

/* An order's row as its answer: the one read of an order's POST-as-GET. */
static void
reply_order (Stack             *self,
             SoupServerMessage *msg,
             char             **path,
             const char        *account)
{
  sqlite3_stmt *stmt = bind (self->store, GET_ORDER, "tt", path[1], account);
  g_autoptr(JsonNode) identifiers = NULL;
  g_autoptr(JsonNode) node = NULL;
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such order");
      else
        fail (self, msg);
      sqlite3_reset (stmt);
      return;
    }
  identifiers = json_from_string (column_text (stmt, 1), NULL);
  node = stack_order_json (msg, path[1], identifiers, column_text (stmt, 0),
                           sqlite3_column_int64 (stmt, 2), column_text (stmt, 3));
  sqlite3_reset (stmt);
  stack_reply (self, msg, SOUP_STATUS_OK, node, NULL);
}

typedef struct
{
  Stack             *self;
  SoupServerMessage *msg;
} Answer;

/* Syncs the WAL (@wal_fd) and returns the outcome from @task. */
static void
return_synced (GTask *task,
               int    wal_fd)
{
  int errsv;

  if (fdatasync (wal_fd) == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  errsv = errno;
  g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errsv), "%s",
                           g_strerror (errsv));
}

static void
sync_wal (GTask        *task,
          gpointer      source,
          gpointer      task_data,
          GCancellable *cancellable)
{
  return_synced (task, GPOINTER_TO_INT (task_data));
}

/* The certificate is on the disk: the answer made before goes out. */
static void
synced (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Answer *answer = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    stack_reply_problem (answer->self, answer->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                         "serverInternal", error->message);
  soup_server_message_unpause (answer->msg);
  g_object_unref (answer->msg);
  g_free (answer);
}

/* --conforming's part of issuing in the store, on the issuing thread
 * under the store lock: the certificate committed with the order's valid
 * state (@der), or the order invalid (NULL). */
gboolean
stack_durable_record_issued (Stack       *self,
                             const char  *order,
                             const char  *account,
                             const char  *names,
                             const char  *serial,
                             GBytes      *der,
                             gint64       not_after,
                             GError     **error)
{
  StackStore *store = self->store;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->store_lock);

  if (der == NULL)
    return done (bind (store, ORDER_INVALID, "t", order));
  if (done (bind (store, BEGIN, "")) &&
      done (bind (store, ADD_CERTIFICATE, "tttbti", serial, order, account, der, names,
                  not_after)) &&
      done (bind (store, ORDER_VALID, "tt", serial, order)) &&
      done (bind (store, COMMIT, "")))
    {
      if (store->wal_fd < 0 && (store->wal_fd = open (store->wal, O_RDONLY | O_CLOEXEC)) < 0)
        {
          int errsv = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s", g_strerror (errsv));
          return FALSE;
        }
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errmsg (store->db));
  if (!sqlite3_get_autocommit (store->db))
    done (bind (store, ROLLBACK, ""));
  return FALSE;
}

/* --conforming: syncs the WAL after a certificate's commit. */
void
stack_durable_sync (Stack *self,
                    GTask *task)
{
  return_synced (task, self->store->wal_fd);
}

/* finalize: the order becomes processing with its CSR (one write), then
 * valid with its certificate (one write), synced before the answer. */
static void
finalize (Stack             *self,
          SoupServerMessage *msg,
          char             **path,
          const char        *account,
          Jws               *jws)
{
  StackStore *store = self->store;
  g_autoptr(GBytes) csr = stack_csr_of (self, msg, jws);
  g_autoptr(JsonNode) identifiers = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *names = NULL;
  g_autofree char *location = NULL;
  char serial[33];
  guint8 bytes[16];
  gint64 expires;
  sqlite3_stmt *stmt;
  Answer *answer;
  int rc;

  if (csr == NULL)
    return;
  stmt = bind (store, START_PROCESSING, "btt", csr, path[1], account);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      names = g_strdup (column_text (stmt, 0));
      expires = sqlite3_column_int64 (stmt, 1);
      rc = sqlite3_step (stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (self, msg);
      return;
    }
  if (names == NULL)
    {
      /* Only now, on the error path, is the order read. */
      stmt = bind (store, GET_ORDER, "tt", path[1], account);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        stack_reply_problem (self, msg, SOUP_STATUS_FORBIDDEN, "orderNotReady",
                             "The order is not ready");
      else
        stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such order");
      return;
    }
  if (self->issuer != NULL)
    {
      stack_conforming_finalize (self, msg, path[1], account, g_steal_pointer (&names), expires,
                                 csr);
      return;
    }

  /* A positive serial of 127 random bits, as a CA draws it. */
  if (gnutls_rnd (GNUTLS_RND_NONCE, bytes, sizeof bytes) < 0)
    g_error ("GnuTLS could not draw random bytes");
  bytes[0] &= 0x7f;
  for (guint i = 0; i < sizeof bytes; i++)
    g_snprintf (serial + 2 * i, 3, "%02x", bytes[i]);
  if (!done (bind (store, BEGIN, "")) ||
      !done (bind (store, ADD_CERTIFICATE, "tttbti", serial, path[1], account, store->leaf, names,
                   store->not_after)) ||
      !done (bind (store, ORDER_VALID, "tt", serial, path[1])) ||
      !done (bind (store, COMMIT, "")))
    {
      fail (self, msg);
      return;
    }
  /* The commit wrote the WAL, and SQLite removes it only when the last
   * connection closes, which this one is: the file opened once is the
   * one to sync ever after (Vouch opens it for each sync; same rule). */
  if (store->wal_fd < 0 && (store->wal_fd = open (store->wal, O_RDONLY | O_CLOEXEC)) < 0)
    {
      stack_reply_problem (self, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "serverInternal",
                           g_strerror (errno));
      return;
    }

  identifiers = json_from_string (names, NULL);
  node = stack_order_json (msg, path[1], identifiers, "valid", expires, serial);
  location = stack_url_of (msg, "order", path[1], NULL);
  stack_reply (self, msg, SOUP_STATUS_OK, node, location);
  answer = g_new (Answer, 1);
  answer->self = self;
  answer->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, synced, answer);
  g_task_set_task_data (task, GINT_TO_POINTER (store->wal_fd), NULL);
  g_task_run_in_thread (task, sync_wal);
}

void
stack_durable_order (Stack             *self,
                     SoupServerMessage *msg,
                     char             **path,
                     const char        *account,
                     Jws               *jws)
{
  if (path[2] == NULL)
    reply_order (self, msg, path, account);
  else
    finalize (self, msg, path, account, jws);
}

/* One read: the authorization's row joined to its challenges'. */
void
stack_durable_authz (Stack             *self,
                     SoupServerMessage *msg,
                     char             **path,
                     const char        *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  sqlite3_stmt *stmt;
  gboolean valid = FALSE;
  gint64 index;
  int rc, rows = 0;

  if (!index_of (path, &index))
    {
      stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such authorization");
      return;
    }
  stmt = bind (self->store, GET_AUTHZ, "tit", path[1], index, account);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (rows++ == 0)
        {
          valid = g_str_equal (column_text (stmt, 2), "valid");
          json_builder_begin_object (builder);
          stack_add_string (builder, "status", column_text (stmt, 2));
          stack_add_time (builder, "expires", sqlite3_column_int64 (stmt, 3));
          json_builder_set_member_name (builder, "identifier");
          json_builder_begin_object (builder);
          stack_add_string (builder, "type", column_text (stmt, 0));
          stack_add_string (builder, "value", column_text (stmt, 1));
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "challenges");
          json_builder_begin_array (builder);
        }
      /* As Vouch: both kinds while pending, then only the one that passed. */
      if (!valid || g_str_equal (column_text (stmt, 6), "valid"))
        stack_add_challenge (builder, msg, path, column_text (stmt, 4), column_text (stmt, 6),
                             column_text (stmt, 5));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE || rows == 0)
    {
      if (rc != SQLITE_DONE)
        fail (self, msg);
      else
        stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed",
                             "No such authorization");
      return;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  stack_reply (self, msg, SOUP_STATUS_OK, node, NULL);
}

/* Validation is off, as in the benchmark's other servers: one write
 * makes the challenge valid, its authorization valid, and the order ready
 * once none is left pending. */
void
stack_durable_challenge (Stack             *self,
                         SoupServerMessage *msg,
                         char             **path,
                         const char        *account)
{
  StackStore *store = self->store;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *token = NULL;
  gboolean challenge_valid = FALSE, authz_valid = FALSE, ok;
  sqlite3_stmt *stmt;
  gint64 index;
  int rc;

  if (!index_of (path, &index))
    {
      stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such challenge");
      return;
    }
  if (!done (bind (store, BEGIN, "")))
    {
      fail (self, msg);
      return;
    }
  stmt = bind (store, GET_CHALLENGE, "titt", path[1], index, path[3], account);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      token = g_strdup (column_text (stmt, 0));
      challenge_valid = g_str_equal (column_text (stmt, 1), "valid");
      authz_valid = g_str_equal (column_text (stmt, 2), "valid");
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE && token == NULL)
    {
      done (bind (store, ROLLBACK, ""));
      stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such challenge");
      return;
    }
  ok = rc == SQLITE_ROW;
  if (ok && !challenge_valid)
    ok = done (bind (store, PASS_CHALLENGE, "itit", g_get_real_time () / G_USEC_PER_SEC, path[1],
                     index, path[3]));
  if (ok && !authz_valid)
    ok = done (bind (store, PASS_AUTHZ, "ti", path[1], index)) &&
         done (bind (store, PASS_ORDER, "t", path[1]));
  if (!ok || !done (bind (store, COMMIT, "")))
    {
      fail (self, msg);
      return;
    }
  stack_add_challenge (builder, msg, path, path[3], "valid", token);
  node = json_builder_get_root (builder);
  stack_reply (self, msg, SOUP_STATUS_OK, node, NULL);
}

/* One read: the certificate's row, served as PEM with the root. */
void
stack_durable_certificate (Stack             *self,
                           SoupServerMessage *msg,
                           char             **path,
                           const char        *account)
{
  sqlite3_stmt *stmt = bind (self->store, GET_CERTIFICATE, "tt", path[1], account);
  const char *root = strstr (self->chain, "-----END CERTIFICATE-----\n");
  g_autofree char *base64 = NULL;
  GString *pem;
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such certificate");
      else
        fail (self, msg);
      sqlite3_reset (stmt);
      return;
    }
  base64 = g_base64_encode (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  pem = g_string_new ("-----BEGIN CERTIFICATE-----\n");
  for (gsize i = 0, n = strlen (base64); i < n; i += 64)
    {
      g_string_append_len (pem, base64 + i, MIN (64, n - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append (pem, "-----END CERTIFICATE-----\n");
  g_string_append (pem, root + strlen ("-----END CERTIFICATE-----\n"));
  stack_reply (self, msg, SOUP_STATUS_OK, NULL, NULL);
  soup_server_message_set_response (msg, "application/pem-certificate-chain", SOUP_MEMORY_TAKE,
                                    pem->str, pem->len);
  g_string_free (pem, FALSE);
}
