/* test-inventory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-audit-event.h"
#include "vouch-error.h"
#include "vouch-inventory-private.h"
#include "vouch-inventory.h"
#include "vouch-root-ca.h"
#include "vouch-signing-policy.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

typedef struct
{
  char                *path;
  VouchInventory      *inventory;
  VouchRootCa         *root;
  VouchSigningRequest *request;
  VouchCertificate    *replay;
  guint                calls;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchSigningPolicy) policy = vouch_signing_policy_new (nc);
  g_autofree char *csr = vouch_test_make_simple_csr ("cam.local");
  g_autoptr(GError) error = NULL;

  fixture->path = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "inv", "inventory.db", NULL);
  fixture->inventory = vouch_inventory_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->root = vouch_root_ca_generate ("Inventory Test", VOUCH_KEY_TYPE_ECDSA_P256, nc, &error);
  g_assert_no_error (error);
  fixture->request = vouch_signing_policy_check (policy, (const guint8 *)csr, strlen (csr), NULL,
                                                 NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->replay);
  g_clear_object (&fixture->request);
  g_assert_finalize_object (fixture->root);
  g_assert_finalize_object (fixture->inventory);
  g_remove (fixture->path);
  g_free (fixture->path);
}

static VouchCertificate *
issue_cb (gpointer   user_data,
          GError   **error)
{
  Fixture *fixture = user_data;

  fixture->calls++;
  /* Hand back an already-recorded certificate once, as a serial collision
   * would, to see the inventory draw again. */
  if (fixture->replay != NULL && fixture->calls == 1)
    return g_object_ref (fixture->replay);

  return vouch_root_ca_issue (fixture->root, fixture->request, 30, 0, error);
}

static VouchCertificate *
failing_issue_cb (gpointer   user_data,
                  GError   **error)
{
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO, "signing failed");
  return NULL;
}

/* Signs after checking, from another connection as the ACME store's is,
 * that the database is free to write: no write transaction is held while
 * the certificate is signed. */
static VouchCertificate *
free_to_write_issue_cb (gpointer   user_data,
                        GError   **error)
{
  Fixture *fixture = user_data;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  return issue_cb (user_data, error);
}

static gint64
count_certs (Fixture *fixture)
{
  g_autoptr(GListModel) list = vouch_inventory_list_certificates (fixture->inventory, NULL);

  return g_list_model_get_n_items (list);
}

static void
test_schema (Fixture       *fixture,
             gconstpointer  data)
{
  struct stat st;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (vouch_inventory_get_schema_version (fixture->inventory), ==, 7);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode;", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_issue_records (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(VouchCertificate) found = NULL;
  g_autoptr(GError) error = NULL;

  /* Other writers never wait for a signature: the inventory takes its
   * write transaction only to record the signed certificate. */
  cert = vouch_inventory_issue (fixture->inventory, vouch_root_ca_get_sha256 (fixture->root),
                                "device-1", free_to_write_issue_cb, fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vouch_certificate_get_device_id (cert), ==, "device-1");

  found = vouch_inventory_lookup_certificate (fixture->inventory,
                                              vouch_certificate_get_serial (cert), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vouch_certificate_get_pem (found), ==, vouch_certificate_get_pem (cert));
  g_assert_cmpstr (vouch_certificate_get_device_id (found), ==, "device-1");
  g_assert_cmpint (vouch_certificate_get_status (found), ==, VOUCH_CERTIFICATE_STATUS_ISSUED);
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, "issued"), ==, 1);

  g_assert_true (_vouch_inventory_set_certificate_status (fixture->inventory,
                                                          vouch_certificate_get_serial (cert),
                                                          VOUCH_CERTIFICATE_STATUS_ACTIVE, &error));
  g_clear_object (&found);
  found = vouch_inventory_lookup_certificate (fixture->inventory,
                                              vouch_certificate_get_serial (cert), &error);
  g_assert_cmpint (vouch_certificate_get_status (found), ==, VOUCH_CERTIFICATE_STATUS_ACTIVE);

  g_assert_false (_vouch_inventory_set_certificate_status (fixture->inventory, "00",
                                                           VOUCH_CERTIFICATE_STATUS_ACTIVE, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY);
}

/* What is committed is then synced to the disk, with no lock held. */
static void
test_issue_is_durable (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = vouch_inventory_issue (fixture->inventory, vouch_root_ca_get_sha256 (fixture->root),
                                NULL, issue_cb, fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_vouch_inventory_get_syncs (fixture->inventory), ==, 0);
  g_assert_true (vouch_inventory_sync (fixture->inventory, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_vouch_inventory_get_syncs (fixture->inventory), ==, 1);
}

/* Once the WAL has grown, the sync also moves it into the database
 * file, on a connection of its own: not in some later request's commit. */
static void
test_sync_checkpoints (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf before, after;

  cert = vouch_inventory_issue (fixture->inventory, vouch_root_ca_get_sha256 (fixture->root),
                                NULL, issue_cb, fixture, &error);
  g_assert_no_error (error);
  g_assert_true (vouch_inventory_sync (fixture->inventory, &error));
  g_assert_cmpuint (_vouch_inventory_get_checkpoints (fixture->inventory), ==, 0);

  /* As if a thousand frames had been committed. */
  g_assert_cmpint (g_stat (fixture->path, &before), ==, 0);
  g_atomic_int_set (&fixture->inventory->wal_frames, 1000);
  g_assert_true (vouch_inventory_sync (fixture->inventory, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_vouch_inventory_get_checkpoints (fixture->inventory), ==, 1);
  g_assert_cmpint (g_stat (fixture->path, &after), ==, 0);
  g_assert_cmpint (after.st_size, >, before.st_size);
}

static gboolean
refuse_record (VouchInventory    *inventory,
               VouchCertificate  *cert,
               gpointer           user_data,
               GError           **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "taken");
  return FALSE;
}

/* Called inside the certificate's own write transaction: no other
 * connection may write meanwhile. */
static gboolean
accept_record (VouchInventory    *inventory,
               VouchCertificate  *cert,
               gpointer           user_data,
               GError           **error)
{
  Fixture *fixture = user_data;
  sqlite3 *db = NULL;

  g_assert_nonnull (vouch_certificate_get_serial (cert));
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE;", NULL, NULL, NULL), ==, SQLITE_BUSY);
  sqlite3_close (db);
  fixture->calls += 100;
  return TRUE;
}

/* What a record function writes is the certificate's transaction: if it
 * fails, neither the certificate nor its events exist. */
static void
test_record_func (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VouchCertificate) refused = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  const char *root = vouch_root_ca_get_sha256 (fixture->root);

  refused = vouch_inventory_issue_audited (fixture->inventory, root, NULL, "test-event", NULL,
                                           refuse_record, fixture, issue_cb, fixture, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (refused);
  g_assert_cmpint (count_certs (fixture), ==, 0);
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, NULL), ==, 0);

  g_clear_error (&error);
  fixture->calls = 0;
  cert = vouch_inventory_issue_audited (fixture->inventory, root, NULL, "test-event", NULL,
                                        accept_record, fixture, issue_cb, fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->calls, ==, 101);
  g_assert_cmpint (count_certs (fixture), ==, 1);
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, "test-event"), ==, 1);
}

static void
test_serial_collision_redraws (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(VouchCertificate) first = NULL;
  g_autoptr(VouchCertificate) second = NULL;
  g_autoptr(GError) error = NULL;
  const char *root = vouch_root_ca_get_sha256 (fixture->root);

  first = vouch_inventory_issue (fixture->inventory, root, NULL, issue_cb, fixture, &error);
  g_assert_no_error (error);

  fixture->replay = g_object_ref (first);
  fixture->calls = 0;
  second = vouch_inventory_issue (fixture->inventory, root, NULL, issue_cb, fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->calls, ==, 2);
  g_assert_cmpstr (vouch_certificate_get_serial (first), !=, vouch_certificate_get_serial (second));
  g_assert_cmpint (count_certs (fixture), ==, 2);
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, "issued"), ==, 2);
}

static void
test_failed_issue_leaves_nothing (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = vouch_inventory_issue (fixture->inventory, vouch_root_ca_get_sha256 (fixture->root),
                                NULL, failing_issue_cb, fixture, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO);
  g_assert_null (cert);
  g_assert_cmpint (count_certs (fixture), ==, 0);
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, NULL), ==, 0);

  /* The inventory is usable afterwards: no transaction was left open. */
  g_clear_error (&error);
  cert = vouch_inventory_issue (fixture->inventory, vouch_root_ca_get_sha256 (fixture->root),
                                NULL, issue_cb, fixture, &error);
  g_assert_no_error (error);
}

static void
test_append_only (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  const char *attacks[] = {
    "UPDATE audit SET event = 'nothing';",
    "DELETE FROM audit;",
    "DELETE FROM certificates;",
    "UPDATE certificates SET pem = 'x';",
    "UPDATE certificates SET serial = 'x';",
    NULL
  };

  g_assert_true (vouch_inventory_append_audit (fixture->inventory, "root-created", NULL, NULL,
                                               "{}", &error));
  cert = vouch_inventory_issue (fixture->inventory, vouch_root_ca_get_sha256 (fixture->root),
                                NULL, issue_cb, fixture, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  for (guint i = 0; attacks[i] != NULL; i++)
    g_assert_cmpint (sqlite3_exec (db, attacks[i], NULL, NULL, NULL), !=, SQLITE_OK);
  sqlite3_close (db);

  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, NULL), ==, 2);
  g_assert_cmpint (count_certs (fixture), ==, 1);
}

static void
test_persists_and_refuses_newer_schema (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(VouchInventory) again = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  cert = vouch_inventory_issue (fixture->inventory, vouch_root_ca_get_sha256 (fixture->root),
                                NULL, issue_cb, fixture, &error);
  g_assert_no_error (error);

  again = vouch_inventory_open (fixture->path, &error);
  g_assert_no_error (error);
  list = vouch_inventory_list_certificates (again, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  g_clear_object (&again);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  again = vouch_inventory_open (fixture->path, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_null (again);
}

static void
test_devices (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(VouchDevice) device = vouch_device_new ("a1b2c3", VOUCH_DEVICE_KIND_VOUCH);
  g_autoptr(VouchDevice) found = NULL;
  g_autoptr(VouchDevice) missing = NULL;
  g_autoptr(VouchInventory) again = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GListModel) undelivered = NULL;
  g_autoptr(GError) error = NULL;
  const char *addresses[] = { "127.0.0.11", "::1", NULL };

  vouch_device_set_name (device, "Boiler room gateway");
  vouch_device_set_model (device, "VG-100");
  vouch_device_set_host (device, "boiler-gw.local");
  vouch_device_set_port (device, 8443);
  vouch_device_set_addresses (device, addresses);
  vouch_device_set_pin (device, "ab12");
  vouch_device_set_verification (device, VOUCH_VERIFICATION_SETUP_CODE);
  vouch_device_set_step (device, VOUCH_ONBOARDING_STEP_SIGNED);
  g_assert_true (vouch_inventory_save_device (fixture->inventory, device, &error));
  g_assert_no_error (error);

  /* Saving again updates the one record. */
  vouch_device_set_attention (device, "key changed");
  g_assert_true (vouch_inventory_save_device (fixture->inventory, device, &error));

  again = vouch_inventory_open (fixture->path, &error);
  list = vouch_inventory_list_devices (again, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  found = vouch_inventory_lookup_device (again, "a1b2c3", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vouch_device_get_name (found), ==, "Boiler room gateway");
  g_assert_cmpstr (vouch_device_get_model (found), ==, "VG-100");
  g_assert_cmpuint (vouch_device_get_port (found), ==, 8443);
  g_assert_true (g_strv_equal (vouch_device_get_addresses (found), addresses));
  g_assert_cmpstr (vouch_device_get_pin (found), ==, "ab12");
  g_assert_cmpint (vouch_device_get_verification (found), ==, VOUCH_VERIFICATION_SETUP_CODE);
  g_assert_cmpint (vouch_device_get_step (found), ==, VOUCH_ONBOARDING_STEP_SIGNED);
  g_assert_cmpstr (vouch_device_get_attention (found), ==, "key changed");
  g_assert_false (vouch_device_get_online (found));

  missing = vouch_inventory_lookup_device (again, "nope", &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  /* An issued but unconfirmed certificate is listed until it is delivered. */
  cert = vouch_inventory_issue (fixture->inventory, vouch_root_ca_get_sha256 (fixture->root),
                                "a1b2c3", issue_cb, fixture, &error);
  undelivered = vouch_inventory_list_undelivered (fixture->inventory, "a1b2c3", &error);
  g_assert_cmpuint (g_list_model_get_n_items (undelivered), ==, 1);
  g_clear_object (&undelivered);
  g_assert_true (_vouch_inventory_set_certificate_status (fixture->inventory,
                                                          vouch_certificate_get_serial (cert),
                                                          VOUCH_CERTIFICATE_STATUS_ACTIVE, &error));
  undelivered = vouch_inventory_list_undelivered (fixture->inventory, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (undelivered), ==, 0);
}

/* A step and the audit event that reports it are written together. */
static void
test_device_with_event (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VouchDevice) device = vouch_device_new ("d4e5f6", VOUCH_DEVICE_KIND_VOUCH);
  g_autoptr(VouchDevice) found = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(VouchAuditEvent) last = NULL;
  g_autoptr(GError) error = NULL;

  vouch_device_set_step (device, VOUCH_ONBOARDING_STEP_CSR_RECEIVED);
  g_assert_true (vouch_inventory_save_device_with_event (fixture->inventory, device, "csr-received",
                                                         NULL, "{\"name\":\"x\"}", &error));
  g_assert_no_error (error);
  vouch_device_set_step (device, VOUCH_ONBOARDING_STEP_INSTALLED);
  g_assert_true (vouch_inventory_save_device_with_event (fixture->inventory, device, "pushed",
                                                         "0a0b", NULL, &error));
  g_assert_no_error (error);

  found = vouch_inventory_lookup_device (fixture->inventory, "d4e5f6", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vouch_device_get_step (found), ==, VOUCH_ONBOARDING_STEP_INSTALLED);
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, "csr-received"), ==, 1);
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, "pushed"), ==, 1);

  events = vouch_inventory_list_audit (fixture->inventory, "d4e5f6", 1, &error);
  g_assert_no_error (error);
  last = g_list_model_get_item (events, 0);
  g_assert_cmpstr (vouch_audit_event_get_event (last), ==, "pushed");
  g_assert_cmpstr (vouch_audit_event_get_serial (last), ==, "0a0b");
}

/* Confirming a certificate records the device's new state in the same
 * transaction, and an unknown serial leaves both as they were. */
static void
test_confirm_device (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(VouchDevice) device = vouch_device_new ("c0ffee", VOUCH_DEVICE_KIND_VOUCH);
  g_autoptr(VouchDevice) found = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(VouchCertificate) stored = NULL;
  g_autoptr(GError) error = NULL;

  vouch_device_set_step (device, VOUCH_ONBOARDING_STEP_INSTALLED);
  g_assert_true (vouch_inventory_save_device (fixture->inventory, device, &error));
  cert = vouch_inventory_issue (fixture->inventory, vouch_root_ca_get_sha256 (fixture->root),
                                "c0ffee", issue_cb, fixture, &error);
  g_assert_no_error (error);

  vouch_device_set_step (device, VOUCH_ONBOARDING_STEP_CONFIRMED);
  g_assert_false (vouch_inventory_confirm_device (fixture->inventory, "00", device, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY);
  g_clear_error (&error);
  found = vouch_inventory_lookup_device (fixture->inventory, "c0ffee", &error);
  g_assert_cmpint (vouch_device_get_step (found), ==, VOUCH_ONBOARDING_STEP_INSTALLED);
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, "confirmed"), ==, 0);
  g_clear_object (&found);

  g_assert_true (vouch_inventory_confirm_device (fixture->inventory,
                                                 vouch_certificate_get_serial (cert), device,
                                                 &error));
  g_assert_no_error (error);
  found = vouch_inventory_lookup_device (fixture->inventory, "c0ffee", &error);
  g_assert_cmpint (vouch_device_get_step (found), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
  stored = vouch_inventory_lookup_certificate (fixture->inventory,
                                               vouch_certificate_get_serial (cert), &error);
  g_assert_cmpint (vouch_certificate_get_status (stored), ==, VOUCH_CERTIFICATE_STATUS_ACTIVE);
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, "confirmed"), ==, 1);
}

static void
test_unwritable_location (void)
{
  g_autoptr(VouchInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "plain-file", NULL);
  g_autofree char *path = g_build_filename (file, "inventory.db", NULL);

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  inventory = vouch_inventory_open (path, &error);
  g_assert_nonnull (error);
  g_assert_null (inventory);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/inventory/schema", test_schema);
  ADD ("/inventory/issue-records", test_issue_records);
  ADD ("/inventory/issue-is-durable", test_issue_is_durable);
  ADD ("/inventory/sync-checkpoints", test_sync_checkpoints);
  ADD ("/inventory/record-func", test_record_func);
  ADD ("/inventory/serial-collision-redraws", test_serial_collision_redraws);
  ADD ("/inventory/failed-issue-leaves-nothing", test_failed_issue_leaves_nothing);
  ADD ("/inventory/append-only", test_append_only);
  ADD ("/inventory/persists-and-refuses-newer-schema", test_persists_and_refuses_newer_schema);
  ADD ("/inventory/devices", test_devices);
  ADD ("/inventory/device-with-event", test_device_with_event);
  ADD ("/inventory/confirm-device", test_confirm_device);
  g_test_add_func ("/inventory/unwritable-location", test_unwritable_location);

  return g_test_run ();
}
