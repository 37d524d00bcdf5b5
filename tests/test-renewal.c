/* test-renewal.c: bulk renewal against real vouch-agents in a private
 * network namespace; a device that is away is queued and renewed when it
 * returns; vouchctl expiring and renew at a chosen date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-authority-private.h"
#include "vouch-clock.h"
#include "vouch-error.h"
#include "vouch-inventory-private.h"
#include "vouch-inventory.h"
#include "vouch-renewal.h"
#include "vouch-renewal-timer.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>

#define DAY VOUCH_SECONDS_PER_DAY
#define N_AGENTS 3
#define FIRST_DAYS 60

typedef struct
{
  char            *data_home;
  char            *dir;
  char            *root_path;
  VouchAuthority  *authority;
  VouchOnboarding *onboarding;
  GPtrArray       *agents;
  GPtrArray       *devices;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  /* vouchctl finds this authority through XDG_DATA_HOME. */
  fixture->data_home = vouch_test_fresh_dir ("renewal");
  fixture->dir = g_build_filename (fixture->data_home, "vouch", NULL);
  vouch_test_set_child_env ("XDG_DATA_HOME", fixture->data_home);

  fixture->authority = vouch_test_authority_new (fixture->dir, "Renewal Test", TRUE);
  fixture->onboarding = vouch_onboarding_new (fixture->authority);
  fixture->agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);
  fixture->devices = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->root_path = vouch_test_write_root (fixture->authority, fixture->dir,
                                              "root-for-clients.pem");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  vouch_clock_set_for_testing (0);
  g_clear_pointer (&fixture->devices, g_ptr_array_unref);
  g_clear_pointer (&fixture->agents, g_ptr_array_unref);
  g_clear_object (&fixture->onboarding);
  vouch_test_finalize_authority (fixture->authority);
  g_free (fixture->root_path);
  g_free (fixture->dir);
  g_free (fixture->data_home);
}

static TestAgent *
start_agent (Fixture *fixture,
             guint    index,
             guint    port)
{
  g_autofree char *state = g_strdup_printf ("%s/agent-%u", fixture->dir, index);
  g_autofree char *address = g_strdup_printf ("127.0.2.%u", index + 1);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *host = g_strdup_printf ("renew-%02u.local", index);
  const char *args[] = { "--no-mdns", "--hostname", host, "--port", port_text, NULL };
  TestAgent *agent = test_agent_start (state, address, args);

  agent->host_name = g_strdup (host);
  return agent;
}

/* Starts, verifies and onboards @n agents with certificates valid for
 * FIRST_DAYS days. */
static void
onboard_agents (Fixture *fixture,
                guint    n)
{
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;

  options.days = FIRST_DAYS;
  for (guint i = 0; i < n; i++)
    {
      TestAgent *agent = start_agent (fixture, i, 0);
      g_autoptr(VouchDevice) device = test_agent_new_device (agent);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(VouchCertificate) cert = NULL;
      g_autoptr(GError) error = NULL;

      vouch_onboarding_verify_async (fixture->onboarding, device, agent->setup_code, NULL,
                                     vouch_test_store_result_cb, &result);
      g_assert_true (vouch_onboarding_verify_finish (fixture->onboarding, vouch_test_wait_result (&result, 120),
                                                     &error));
      g_clear_object (&result);
      g_assert_true (vouch_onboarding_set_admin_secret (fixture->onboarding, device,
                                                        TEST_ADMIN_TOKEN, &error));
      vouch_onboarding_onboard_async (fixture->onboarding, device, &options, NULL, vouch_test_store_result_cb,
                                      &result);
      cert = vouch_onboarding_onboard_finish (fixture->onboarding, vouch_test_wait_result (&result, 120), &error);
      g_assert_no_error (error);

      g_ptr_array_add (fixture->agents, agent);
      g_ptr_array_add (fixture->devices, g_steal_pointer (&device));
    }
}

static char *
normalize_serial (const char *serial)
{
  g_autofree char *lower = g_ascii_strdown (serial, -1);
  const char *p = lower;

  while (*p == '0' && p[1] != '\0')
    p++;
  return g_strdup (p);
}

/* The serial of the certificate the agent serves, as a client that
 * trusts only the root sees it; the chain must verify. */
static char *
served_serial (Fixture   *fixture,
               TestAgent *agent)
{
  g_autofree char *connect = g_strdup_printf ("%s:%u", agent->address, agent->port);
  const char *argv[] = { "sh", "-c",
                         "openssl s_client -connect \"$1\" -CAfile \"$2\" -verify_return_error "
                         "</dev/null 2>/dev/null | openssl x509 -noout -serial",
                         "sh", connect, fixture->root_path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  vouch_test_run (argv, NULL, &out, &err, &status);
  if (status != 0 || !g_str_has_prefix (out, "serial="))
    g_error ("openssl could not fetch a verified certificate from %s: %s%s", connect, out, err);
  g_strstrip (out);
  return normalize_serial (out + strlen ("serial="));
}

static void
assert_serves (Fixture          *fixture,
               TestAgent        *agent,
               VouchCertificate *cert)
{
  g_autofree char *served = served_serial (fixture, agent);
  g_autofree char *expected = normalize_serial (vouch_certificate_get_serial (cert));

  g_assert_cmpstr (served, ==, expected);
}

static VouchCertificate *
active_of (Fixture   *fixture,
           TestAgent *agent)
{
  g_autoptr(GError) error = NULL;
  VouchCertificate *cert;

  cert = vouch_inventory_lookup_active (vouch_authority_get_inventory (fixture->authority),
                                        agent->device_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cert);
  return cert;
}

static void
assert_superseded (Fixture    *fixture,
                   const char *serial)
{
  g_autoptr(VouchCertificate) cert = NULL;

  cert = vouch_inventory_lookup_certificate (vouch_authority_get_inventory (fixture->authority),
                                             serial, NULL);
  g_assert_nonnull (cert);
  g_assert_cmpint (vouch_certificate_get_status (cert), ==, VOUCH_CERTIFICATE_STATUS_SUPERSEDED);
}

static void
count_renewed_cb (VouchRenewal *renewal,
                  VouchDevice  *device,
                  guint        *renewed)
{
  (*renewed)++;
}

static void
test_bulk_and_queue (Fixture       *fixture,
                     gconstpointer  data)
{
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  g_autoptr(VouchRenewal) renewal = NULL;
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GListModel) due = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchQueuedRenewal) queued = NULL;
  g_autoptr(GPtrArray) old_serials = g_ptr_array_new_with_free_func (g_free);
  TestAgent *away;
  VouchDevice *away_device;
  gint64 later = g_get_real_time () / G_USEC_PER_SEC + 40 * DAY;
  guint renewed = 0;
  guint loads;
  guint port;

  onboard_agents (fixture, N_AGENTS);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));
  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_autoptr(VouchCertificate) cert = active_of (fixture, g_ptr_array_index (fixture->agents, i));

      g_ptr_array_add (old_serials, g_strdup (vouch_certificate_get_serial (cert)));
      assert_serves (fixture, g_ptr_array_index (fixture->agents, i), cert);
    }

  renewal = vouch_renewal_new (fixture->onboarding, NULL);
  g_signal_connect (renewal, "device-renewed", G_CALLBACK (count_renewed_cb), &renewed);

  /* Today nothing is due; forty days on, all three are. */
  due = vouch_renewal_list_due (renewal, vouch_clock_now (), 30, &error);
  g_assert_cmpuint (g_list_model_get_n_items (due), ==, 0);
  g_clear_object (&due);
  vouch_clock_set_for_testing (later);
  due = vouch_renewal_list_due (renewal, vouch_clock_now (), 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (due), ==, N_AGENTS);

  /* One device is away when the renewal runs. */
  away = g_ptr_array_index (fixture->agents, N_AGENTS - 1);
  port = away->port;
  test_agent_stop (away);

  loads = _vouch_authority_get_key_loads (fixture->authority);
  bulk = vouch_renewal_create_bulk (renewal, due, 2);
  vouch_bulk_onboarding_run_async (bulk, NULL, vouch_test_store_result_cb, &result);
  g_assert_false (vouch_bulk_onboarding_run_finish (bulk, vouch_test_wait_result (&result, 120), &error));
  g_assert_no_error (error);
  /* One keyring read for the whole run; the key is gone once it ends. */
  g_assert_cmpuint (_vouch_authority_get_key_loads (fixture->authority), ==, loads + 1);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));
  g_assert_cmpuint (vouch_bulk_onboarding_get_failed (bulk), ==, 1);
  g_assert_cmpuint (renewed, ==, N_AGENTS - 1);

  /* The others serve new certificates; the old ones are superseded. */
  for (guint i = 0; i < N_AGENTS - 1; i++)
    {
      g_autoptr(VouchCertificate) cert = active_of (fixture, g_ptr_array_index (fixture->agents, i));

      g_assert_cmpstr (vouch_certificate_get_serial (cert), !=, g_ptr_array_index (old_serials, i));
      assert_serves (fixture, g_ptr_array_index (fixture->agents, i), cert);
      assert_superseded (fixture, g_ptr_array_index (old_serials, i));
    }

  /* The one away is queued with a reason a person can read. */
  g_assert_cmpuint (g_list_model_get_n_items (vouch_renewal_get_queue (renewal)), ==, 1);
  queued = g_list_model_get_item (vouch_renewal_get_queue (renewal), 0);
  g_assert_cmpstr (vouch_queued_renewal_get_device_id (queued), ==, away->device_id);
  g_assert_cmpstr (vouch_queued_renewal_get_device_name (queued), ==, away->host_name);
  g_assert_nonnull (strstr (vouch_queued_renewal_get_reason (queued), "reach"));
  g_assert_cmpuint (vouch_queued_renewal_get_attempts (queued), ==, 1);

  /* Renewed devices are no longer due; the queued one still is. */
  g_clear_object (&due);
  due = vouch_renewal_list_due (renewal, vouch_clock_now (), 30, &error);
  g_assert_cmpuint (g_list_model_get_n_items (due), ==, 1);

  /* It comes back on the same port with the same state, discovery marks
   * it online, and the queue renews it. */
  g_ptr_array_remove_index (fixture->agents, N_AGENTS - 1);
  away = start_agent (fixture, N_AGENTS - 1, port);
  g_ptr_array_add (fixture->agents, away);
  away_device = g_ptr_array_index (fixture->devices, N_AGENTS - 1);
  {
    g_autoptr(VouchDevice) queued_device = g_list_model_get_item (due, 0);
    gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

    g_assert_cmpstr (vouch_device_get_id (queued_device), ==, vouch_device_get_id (away_device));
    vouch_device_set_online (queued_device, FALSE);
    vouch_device_set_online (queued_device, TRUE);
    while (renewed < N_AGENTS && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (renewed, ==, N_AGENTS);
  g_assert_cmpuint (g_list_model_get_n_items (vouch_renewal_get_queue (renewal)), ==, 0);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));
  {
    g_autoptr(VouchCertificate) cert = active_of (fixture, away);

    g_assert_cmpstr (vouch_certificate_get_serial (cert), !=, g_ptr_array_index (old_serials, N_AGENTS - 1));
    assert_serves (fixture, away, cert);
    assert_superseded (fixture, g_ptr_array_index (old_serials, N_AGENTS - 1));
  }

  g_clear_object (&due);
  due = vouch_renewal_list_due (renewal, vouch_clock_now (), 30, &error);
  g_assert_cmpuint (g_list_model_get_n_items (due), ==, 0);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "confirmed"), ==, 2 * N_AGENTS);
}

static void
test_names_changed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VouchCertificate) cert = NULL;
  g_autofree char *reason = NULL;
  VouchDevice *device;
  const char *moved[] = { "127.0.9.9", NULL };
  const char *txt[] = { "state=needs-renewal", NULL };

  onboard_agents (fixture, 1);
  device = g_ptr_array_index (fixture->devices, 0);
  cert = active_of (fixture, g_ptr_array_index (fixture->agents, 0));

  g_assert_false (vouch_renewal_needs_reissue (device, cert, &reason));
  g_assert_null (reason);
  g_assert_false (vouch_renewal_needs_reissue (device, NULL, NULL));

  vouch_device_set_host (device, "renamed.local");
  g_assert_true (vouch_renewal_needs_reissue (device, cert, &reason));
  g_assert_nonnull (strstr (reason, "renamed.local"));
  g_clear_pointer (&reason, g_free);
  vouch_device_set_host (device, "renew-00.local.");

  vouch_device_set_addresses (device, moved);
  g_assert_true (vouch_renewal_needs_reissue (device, cert, &reason));
  g_assert_nonnull (strstr (reason, "127.0.9.9"));
  g_clear_pointer (&reason, g_free);

  {
    const char *link_local[] = { "127.0.2.1", "fe80::1", NULL };

    vouch_device_set_addresses (device, link_local);
    g_assert_false (vouch_renewal_needs_reissue (device, cert, NULL));
  }

  vouch_device_set_txt (device, txt);
  g_assert_true (vouch_renewal_needs_reissue (device, cert, &reason));
}

static guint
cli_expiring (const char *within)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *certs;
  int status = -1;

  out = vouch_test_vouchctl (NULL, &status, &err, "expiring", "--within", within, "--json", NULL);
  if (status != 0)
    g_error ("vouchctl expiring failed: %s", err);
  node = vouch_test_parse_json (out);
  certs = json_object_get_array_member (json_node_get_object (node), "certificates");
  for (guint i = 0; i < json_array_get_length (certs); i++)
    {
      JsonObject *entry = json_array_get_object_element (certs, i);

      g_assert_cmpstr (json_object_get_string_member (entry, "expiry"), ==, "within-30-days");
      g_assert_nonnull (json_object_get_string_member (entry, "device_name"));
    }
  return json_array_get_length (certs);
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *later_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *results;
  int status = -1;

  onboard_agents (fixture, 2);
  later = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + 40 * DAY);
  later_text = g_date_time_format_iso8601 (later);

  g_assert_cmpuint (cli_expiring ("30d"), ==, 0);
  vouch_test_set_child_env ("VOUCH_NOW", later_text);
  g_assert_cmpuint (cli_expiring ("30d"), ==, 2);
  g_assert_cmpuint (cli_expiring ("1w"), ==, 0);

  out = vouch_test_vouchctl (NULL, &status, &err, "renew", "--due", "30d", "--browse", "0",
                             "--json", NULL);
  if (status != 0)
    g_error ("vouchctl renew failed (%d): %s%s", status, out, err);
  node = vouch_test_parse_json (out);
  results = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      TestAgent *agent = NULL;
      g_autoptr(VouchCertificate) cert = NULL;

      g_assert_cmpstr (json_object_get_string_member (result, "result"), ==, "renewed");
      for (guint j = 0; j < fixture->agents->len; j++)
        {
          TestAgent *candidate = g_ptr_array_index (fixture->agents, j);

          if (g_strcmp0 (candidate->device_id,
                         json_object_get_string_member (result, "device_id")) == 0)
            agent = candidate;
        }
      g_assert_nonnull (agent);
      cert = active_of (fixture, agent);
      g_assert_cmpstr (vouch_certificate_get_serial (cert), ==,
                       json_object_get_string_member (result, "serial"));
      assert_serves (fixture, agent, cert);
    }
  g_assert_cmpuint (cli_expiring ("30d"), ==, 0);

  /* Nothing left: a quiet success. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "renew", "--due", "30d", "--browse", "0", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Nothing is due"));

  /* An agent that is away makes the run fail, with it queued. */
  test_agent_stop (g_ptr_array_index (fixture->agents, 0));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "renew", "--browse", "0",
                             ((TestAgent *)g_ptr_array_index (fixture->agents, 0))->device_id, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (out, "queued"));
  g_assert_nonnull (strstr (out, "0 renewed, 1 queued"));

  /* Bad periods are usage errors. */
  g_clear_pointer (&out, g_free);
  out = vouch_test_vouchctl (NULL, &status, NULL, "expiring", "--within", "soon", NULL);
  g_assert_cmpint (status, ==, 2);
  vouch_test_set_child_env ("VOUCH_NOW", "");
}

static void
timer_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* No user manager runs here: a stand-in systemctl records its arguments,
 * accepts enable and refuses disable the way systemctl does without a
 * user bus. */
static void
test_timer (void)
{
  g_autofree char *args_path = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "systemctl-args",
                                                 NULL);
  g_auto(GStrv) argv = vouch_renewal_timer_build_argv (TRUE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  gboolean enabled = FALSE;

  g_assert_cmpstr (argv[1], ==, "--user");
  g_assert_cmpstr (argv[2], ==, "enable");
  g_assert_cmpstr (argv[3], ==, "--now");
  g_assert_cmpstr (argv[4], ==, "vouch-renew.timer");

  vouch_renewal_timer_set_enabled_async (TRUE, NULL, timer_cb, &result);
  g_assert_true (vouch_renewal_timer_set_enabled_finish (vouch_test_wait_result (&result, 120), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (args_path, &args, NULL, NULL));
  g_assert_cmpstr (g_strstrip (args), ==, "--user enable --now vouch-renew.timer");
  g_clear_object (&result);

  vouch_renewal_timer_set_enabled_async (FALSE, NULL, timer_cb, &result);
  g_assert_false (vouch_renewal_timer_set_enabled_finish (vouch_test_wait_result (&result, 120), &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Failed to connect to bus"));
  g_clear_error (&error);
  g_clear_object (&result);

  vouch_renewal_timer_get_enabled_async (NULL, timer_cb, &result);
  g_assert_true (vouch_renewal_timer_get_enabled_finish (vouch_test_wait_result (&result, 120), &enabled, &error));
  g_assert_true (enabled);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *fake = NULL;
  g_autofree char *script = NULL;

  /* Set before any thread starts. */
  fake = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "fake-systemctl", NULL);
  script = g_strdup_printf ("#!/bin/sh\n"
                            "case \"$2\" in\n"
                            "  is-enabled) echo enabled ;;\n"
                            "  enable) echo \"$@\" > '%s/systemctl-args' ;;\n"
                            "  *) echo 'Failed to connect to bus: No medium found' >&2; exit 1 ;;\n"
                            "esac\n", g_getenv ("VOUCH_TEST_TMPDIR"));
  g_assert_true (g_file_set_contents (fake, script, -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  g_setenv ("VOUCH_SYSTEMCTL", fake, TRUE);

  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/renewal/bulk-and-queue", test_bulk_and_queue);
  ADD ("/renewal/names-changed", test_names_changed);
  ADD ("/renewal/cli", test_cli);
  g_test_add_func ("/renewal/timer", test_timer);

  return g_test_run ();
}
