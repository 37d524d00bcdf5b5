/* test-acme-store.c: the ACME store's state on its own connections to
 * the inventory, with orders made over real HTTPS by the test's client
 * (acme-test-client.c) against a real server (acme-test-fixture.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "acme-test-fixture.h"

#include "vouch-acme-jws.h"
#include "vouch-acme-store.h"
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

  g_assert_cmpint (vouch_acme_store_start_challenge (store, id, &error), ==, 1);
  g_assert_cmpint (vouch_acme_store_start_challenge (store, id, &error), ==, 0);
  g_assert_no_error (error);
  seen = status_of_challenge (store, id);
  stored = status_of_challenge (other, id);
  g_assert_cmpstr (seen, ==, "processing");
  g_assert_cmpstr (stored, ==, "pending");

  /* As after a restart: the row is pending, so it may start again. */
  g_assert_cmpint (vouch_acme_store_start_challenge (other, id, &error), ==, 1);
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
  g_assert_cmpint (vouch_acme_store_start_challenge (store, id, &error), ==, 0);
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

  return g_test_run ();
}
