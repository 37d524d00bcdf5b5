/* test-acme-store.c: the ACME store's state on its own connections to
 * the inventory, with orders made over real HTTPS by the test's client
 * (acme-test-client.c) against a real server (acme-test-fixture.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "acme-test-fixture.h"

#include "vouch-acme-jws.h"
#include "vouch-acme-store.h"
#include "vouch-error.h"
#include "vouch-inventory-private.h"

static const char * const names[] = { "web.test", NULL };

static VouchAcmeStore *
open_store (Fixture *fixture)
{
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  g_autoptr(GError) error = NULL;
  VouchAcmeStore *store = vouch_acme_store_open (vouch_inventory_get_path (inventory), &error);

  g_assert_no_error (error);
  return store;
}

/* Reads held in one snapshot, then a write after another connection's:
 * the write must not fail on the stale snapshot, and reads after it see
 * it. */
static void
test_hold (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autofree char *order_url = new_order (fixture, key, names);
  const char *order_id = strrchr (order_url, '/') + 1;
  g_autoptr(VouchAcmeStore) store = open_store (fixture);
  g_autoptr(VouchAcmeStore) other = open_store (fixture);
  g_autoptr(VouchAcmeOrder) before = NULL;
  g_autoptr(VouchAcmeOrder) after = NULL;
  g_autoptr(GError) error = NULL;

  vouch_acme_store_hold (store);
  before = vouch_acme_store_lookup_order (store, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (before->status, ==, "pending");
  g_assert_cmpint (vouch_acme_store_set_order_status (other, order_id, "pending", "ready", NULL,
                                                      &error), ==, 1);
  g_assert_cmpint (vouch_acme_store_set_order_status (store, order_id, "ready", "invalid", NULL,
                                                      &error), ==, 1);
  g_assert_no_error (error);
  after = vouch_acme_store_lookup_order (store, order_id, &error);
  vouch_acme_store_release (store);
  g_assert_no_error (error);
  g_assert_cmpstr (after->status, ==, "invalid");
}

/* Every state change is a compare-and-set: of two connections moving the
 * same order from the same state, one wins, and the loser changes
 * nothing. */
static void
test_compare_and_set (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autofree char *order_url = new_order (fixture, key, names);
  const char *order_id = strrchr (order_url, '/') + 1;
  g_autoptr(VouchAcmeStore) store = open_store (fixture);
  g_autoptr(VouchAcmeStore) other = open_store (fixture);
  g_autoptr(VouchAcmeOrder) order = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (vouch_acme_store_set_order_status (store, order_id, "pending", "ready", NULL,
                                                      &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (vouch_acme_store_set_order_status (other, order_id, "pending", "invalid", NULL,
                                                      &error), ==, 0);
  g_assert_no_error (error);
  order = vouch_acme_store_lookup_order (other, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (order->status, ==, "ready");
}

static VouchCertificate *
sign_for_order (Fixture     *fixture,
                const char  *csr,
                const char  *order_id,
                GError     **error)
{
  g_autoptr(GBytes) der = vouch_acme_base64url_decode (csr, NULL);
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;

  options.record_func = vouch_acme_store_record_valid;
  options.record_data = (gpointer)order_id;
  return vouch_authority_sign (fixture->authority, g_bytes_get_data (der, NULL),
                               g_bytes_get_size (der), &options, NULL, error);
}

/* The order becomes valid in the certificate's own transaction; an order
 * that is no longer processing gets no second certificate: the
 * certificate is undone with the order's failed compare-and-set. */
static void
test_valid_with_certificate (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autofree char *order_url = new_order (fixture, key, names);
  g_autofree char *csr = acme_test_key_make_csr (cert_key, names);
  const char *order_id = strrchr (order_url, '/') + 1;
  g_autoptr(VouchAcmeStore) store = NULL;
  g_autoptr(VouchAcmeOrder) order = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(VouchCertificate) again = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  validate_order (fixture, key, order_url);
  store = open_store (fixture);
  begin_processing (fixture, store, order_id, csr);

  before = count_certificates (fixture);
  cert = sign_for_order (fixture, csr, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_certificates (fixture), ==, before + 1);
  order = vouch_acme_store_lookup_order (store, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (order->status, ==, "valid");
  g_assert_cmpstr (order->serial, ==, vouch_certificate_get_serial (cert));

  again = sign_for_order (fixture, csr, order_id, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (again);
  g_assert_cmpuint (count_certificates (fixture), ==, before + 1);
}

static char *
status_of_challenge (VouchAcmeStore *store,
                     const char     *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeChallenge) challenge = vouch_acme_store_lookup_challenge (store, id, &error);

  g_assert_no_error (error);
  return g_strdup (challenge->status);
}

static char *
status_of_order (VouchAcmeStore *store,
                 const char     *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeOrder) order = vouch_acme_store_lookup_order (store, id, &error);

  g_assert_no_error (error);
  return g_strdup (order->status);
}

/* Starts validating challenge @id as the server does, from its row and
 * its authorization's, read in one snapshot. */
static gboolean
start_challenge (VouchAcmeStore *store,
                 const char     *id)
{
  g_autoptr(VouchAcmeChallenge) challenge = NULL;
  g_autoptr(VouchAcmeAuthz) authz = NULL;
  g_autoptr(GError) error = NULL;
  gboolean started;

  vouch_acme_store_hold (store);
  challenge = vouch_acme_store_lookup_challenge (store, id, &error);
  g_assert_no_error (error);
  authz = vouch_acme_store_lookup_authz (store, challenge->authz_id, &error);
  g_assert_no_error (error);
  started = vouch_acme_store_start_challenge (store, challenge, authz);
  vouch_acme_store_release (store);
  return started;
}

/* A challenge being validated is processing in memory only, and written
 * once, with its outcome; a second outcome (from another process, or
 * after a restart) changes nothing. */
static void
test_challenge_written_once (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autofree char *order_url = new_order (fixture, key, names);
  const char *order_id = strrchr (order_url, '/') + 1;
  g_autoptr(VouchAcmeStore) store = open_store (fixture);
  g_autoptr(VouchAcmeStore) other = open_store (fixture);
  g_autoptr(GPtrArray) authzs = NULL;
  g_autoptr(GPtrArray) challenges = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *done = NULL;
  g_autofree char *order_status = NULL;
  g_autofree char *order_after = NULL;
  g_autoptr(VouchAcmeChallenge) recorded = NULL;
  g_autoptr(VouchAcmeChallenge) late = NULL;
  const char *id;

  authzs = vouch_acme_store_list_authzs (store, order_id, &error);
  g_assert_no_error (error);
  challenges = vouch_acme_store_list_challenges (store, ((VouchAcmeAuthz *)authzs->pdata[0])->id,
                                                 &error);
  g_assert_no_error (error);
  id = ((VouchAcmeChallenge *)challenges->pdata[0])->id;

  g_assert_true (start_challenge (store, id));
  g_assert_false (start_challenge (store, id));
  seen = status_of_challenge (store, id);
  stored = status_of_challenge (other, id);
  g_assert_cmpstr (seen, ==, "processing");
  g_assert_cmpstr (stored, ==, "pending");

  /* As after a restart: the row is pending, so it may start again. */
  g_assert_true (start_challenge (other, id));
  g_assert_true (vouch_acme_store_complete_challenge (store, id, NULL, &recorded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (recorded->status, ==, "valid");
  g_assert_cmpint (recorded->validated, >, 0);
  g_assert_true (vouch_acme_store_complete_challenge (other, id,
                                                      "{\"type\":\"urn:ietf:params:acme:error:"
                                                      "incorrectResponse\"}", &late, &error));
  g_assert_no_error (error);
  g_assert_null (late);
  done = status_of_challenge (other, id);
  order_status = status_of_order (other, order_id);
  g_assert_cmpstr (done, ==, "valid");
  g_assert_cmpstr (order_status, ==, "ready");
  g_assert_false (start_challenge (store, id));
  order_after = status_of_order (store, order_id);
  g_assert_cmpstr (order_after, ==, "ready");
}

/* The server's store runs on the inventory's own connection: inside a
 * held request, the inventory's own writes still commit as they return
 * (seen at once by another connection), and the store's write after them
 * does too. */
static void
test_shared_connection (Fixture       *fixture,
                        gconstpointer  data)
{
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autofree char *order_url = new_order (fixture, key, names);
  const char *order_id = strrchr (order_url, '/') + 1;
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAcmeStore) store = vouch_acme_store_new (inventory, &error);
  g_autoptr(VouchAcmeStore) other = open_store (fixture);
  g_autoptr(VouchInventory) elsewhere = vouch_inventory_open (vouch_inventory_get_path (inventory),
                                                              &error);
  g_autofree char *held = NULL;
  g_autofree char *after = NULL;
  gint64 events;

  g_assert_no_error (error);
  events = _vouch_inventory_count_audit_events (elsewhere, "acme-test");
  vouch_acme_store_hold (store);
  held = status_of_order (store, order_id);
  g_assert_cmpstr (held, ==, "pending");
  g_assert_true (vouch_inventory_append_audit (inventory, "acme-test", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (_vouch_inventory_count_audit_events (elsewhere, "acme-test"), ==, events + 1);
  g_assert_cmpint (vouch_acme_store_set_order_status (store, order_id, "pending", "ready", NULL,
                                                      &error), ==, 1);
  g_assert_no_error (error);
  vouch_acme_store_release (store);
  after = status_of_order (other, order_id);
  g_assert_cmpstr (after, ==, "ready");
}

/* The ids in @rows, joined by spaces: @rows holds ids, or authorizations
 * or challenges (whose id comes first) if @structs; it is freed. */
static char *
ids_of (GPtrArray *rows,
        gboolean   structs)
{
  g_autoptr(GPtrArray) owned = rows;
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_nonnull (owned);
  for (guint i = 0; i < owned->len; i++)
    {
      gpointer row = g_ptr_array_index (owned, i);

      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", structs ? *(char **)row : (char *)row);
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

#define CHECK_IDS(rows, structs, expected) \
  G_STMT_START { \
    g_autofree char *ids_ = ids_of ((rows), (structs)); \
    g_assert_no_error (error); \
    g_assert_cmpstr (ids_, ==, (expected)); \
  } G_STMT_END

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* An inventory of schema 6, in its own folder @name, with @rows. */
static char *
make_schema_6 (const char *name,
               const char *rows)
{
  g_autofree char *dir = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), name, NULL);
  char *path = g_build_filename (dir, "inventory.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (guint step = 0; step < 6; step++)
    exec_ok (db, _vouch_inventory_migrations[step]);
  exec_ok (db, "PRAGMA user_version = 6;");
  exec_ok (db, rows);
  sqlite3_close (db);
  return path;
}

/* An inventory of schema 6 keeps every ACME row, and the order clients
 * see, through step 7, and new orders sort after the old ones; its audit
 * log keeps its ids without AUTOINCREMENT. */
static void
test_migration_keeps_rows (void)
{
  g_autofree char *path = NULL;
  g_autoptr(VouchAcmeStore) store = NULL;
  g_autoptr(VouchAcmeOrder) order = NULL;
  g_autoptr(GPtrArray) authzs = g_ptr_array_new ();
  g_autoptr(GPtrArray) challenges = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  path = make_schema_6 ("v6",
           "INSERT INTO certificates (serial, root_sha256, subject, names, key_sha256, "
           "  not_before, not_after, pem, issued_at) VALUES ('0a', 'r', 'CN=a', '[]', 'k', 0, 9, "
           "  'pem', 5);"
           "INSERT INTO acme_accounts (id, key_thumbprint, jwk, created_at) "
           "  VALUES ('acct', 'thumb', '{}', 1);"
           /* two orders in one second: the later, listed first */
           "INSERT INTO acme_orders (id, account_id, identifiers, expires, created_at) "
           "  VALUES ('z-first', 'acct', '[]', 99, 10);"
           "INSERT INTO acme_orders (id, account_id, status, identifiers, expires, serial, "
           "  created_at) VALUES ('a-second', 'acct', 'valid', '[]', 99, '0a', 10);"
           /* rows in an order their ids would not give */
           "INSERT INTO acme_authorizations (id, order_id, identifier_type, identifier_value, "
           "  expires) VALUES ('z-authz', 'z-first', 'dns', 'b.test', 99), "
           "  ('a-authz', 'z-first', 'dns', 'a.test', 99);"
           "INSERT INTO acme_challenges (id, authorization_id, type, token) "
           "  VALUES ('z-chall', 'z-authz', 'http-01', 't1'), "
           "  ('a-chall', 'z-authz', 'tls-alpn-01', 't2');"
           /* an audit log whose ids have a gap */
           "INSERT INTO audit (id, at, event) VALUES (3, 1, 'old'), (7, 2, 'older-id-newer');");

  store = vouch_acme_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version;", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, _vouch_inventory_n_migrations);
  sqlite3_finalize (stmt);
  /* The references still hold, and are still enforced. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check;", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  exec_ok (db, "PRAGMA foreign_keys = ON;");
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO acme_challenges (id, authorization_id, "
                                 "type, token) VALUES ('x', 'none', 'http-01', 't');",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT_FOREIGNKEY & 0xff);
  /* The audit log keeps its ids, refuses changes, and goes on after them. */
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE id = 3;", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT);
  exec_ok (db, "INSERT INTO audit (at, event) VALUES (3, 'new');");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT group_concat (id || event, ' ') FROM audit;",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "3old 7older-id-newer 8new");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  CHECK_IDS (vouch_acme_store_list_orders (store, "acct", &error), FALSE, "a-second z-first");
  CHECK_IDS (vouch_acme_store_list_authzs (store, "z-first", &error), TRUE, "z-authz a-authz");
  CHECK_IDS (vouch_acme_store_list_challenges (store, "z-authz", &error), TRUE,
             "z-chall a-chall");
  order = vouch_acme_store_lookup_order_by_serial (store, "0a", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (order->id, ==, "a-second");
  g_clear_pointer (&order, vouch_acme_order_free);
  /* An order read alone comes with its authorizations' ids, in order. */
  order = vouch_acme_store_lookup_order (store, "z-first", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (order->authz_ids, ((const char * const[]){ "z-authz", "a-authz", NULL }));
  g_clear_pointer (&order, vouch_acme_order_free);
  order = vouch_acme_store_lookup_order (store, "a-second", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (order->authz_ids, ((const char * const[]){ NULL }));
  g_clear_pointer (&order, vouch_acme_order_free);

  /* A new order, its rows inserted in the order given. */
  g_ptr_array_add (authzs, &(VouchAcmeAuthz){ .id = "y-new", .type = "dns", .value = "y.test",
                                              .expires = 99 });
  g_ptr_array_add (authzs, &(VouchAcmeAuthz){ .id = "b-new", .type = "dns", .value = "b.test",
                                              .expires = 99 });
  g_ptr_array_add (challenges, &(VouchAcmeChallenge){ .id = "y-chall", .authz_id = "b-new",
                                                      .type = "http-01", .token = "t3" });
  g_ptr_array_add (challenges, &(VouchAcmeChallenge){ .id = "b-chall", .authz_id = "b-new",
                                                      .type = "tls-alpn-01", .token = "t4" });
  g_assert_true (vouch_acme_store_insert_order (store, &(VouchAcmeOrder){ .id = "new",
                                                  .account_id = "acct", .identifiers = "[]",
                                                  .expires = 99 }, authzs, challenges, &error));
  g_assert_no_error (error);
  CHECK_IDS (vouch_acme_store_list_orders (store, "acct", &error), FALSE,
             "new a-second z-first");
  CHECK_IDS (vouch_acme_store_list_authzs (store, "new", &error), TRUE, "y-new b-new");
  order = vouch_acme_store_lookup_order (store, "new", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (order->authz_ids, ((const char * const[]){ "y-new", "b-new", NULL }));
  CHECK_IDS (vouch_acme_store_list_challenges (store, "b-new", &error), TRUE, "y-chall b-chall");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/acme-store/hold", Fixture, NULL, fixture_setup, test_hold, fixture_teardown);
  g_test_add ("/acme-store/compare-and-set", Fixture, NULL, fixture_setup, test_compare_and_set,
              fixture_teardown);
  g_test_add ("/acme-store/challenge-written-once", Fixture, NULL, fixture_setup,
              test_challenge_written_once, fixture_teardown);
  g_test_add ("/acme-store/shared-connection", Fixture, NULL, fixture_setup,
              test_shared_connection, fixture_teardown);
  g_test_add ("/acme-store/valid-with-certificate", Fixture, NULL, fixture_setup,
              test_valid_with_certificate, fixture_teardown);
  g_test_add_func ("/acme-store/migration-keeps-rows", test_migration_keeps_rows);

  return g_test_run ();
}
