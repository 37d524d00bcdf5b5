/* test-acme-store.c: the ACME store's state on its own connections to
 * the inventory, with orders made over real HTTPS by the test's client
 * (acme-test-client.c) against a real server (acme-test-fixture.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "acme-test-fixture.h"

#include "vouch-acme-store.h"
#include "vouch-inventory.h"

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/acme-store/hold", Fixture, NULL, fixture_setup, test_hold, fixture_teardown);
  g_test_add ("/acme-store/compare-and-set", Fixture, NULL, fixture_setup, test_compare_and_set,
              fixture_teardown);

  return g_test_run ();
}
