/* test-hostile.c: bulk onboarding with one hostile device among good ones
 *
 * Each case runs tests/hostile-device in one misbehaving mode next to real
 * vouch-agents, inside a private network namespace. Vouch must onboard the
 * good ones, fail the hostile one with its own specific error, issue
 * nothing it should not, write the failure to the audit log, and never
 * block its main loop while it does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-audit-event.h"
#include "vouch-bulk-onboarding.h"
#include "vouch-error.h"
#include "vouch-inventory-private.h"
#include "vouch-onboarding.h"
#include "vouch-test-util.h"

#define N_GOOD 3
#define DEVICE_TIMEOUT_SECONDS 3
#define RUN_TIMEOUT_SECONDS 90
/* A bound on blocking, not a performance measure: a main loop that never
 * blocks ticks every 10 ms; one second without a tick means something ran
 * synchronously on it (a read of a huge body, a wait for a slow peer). It is
 * generous so that a loaded CI machine or a sanitizer build never trips it. */
#define MAX_MAIN_LOOP_GAP_USEC (1 * G_USEC_PER_SEC)

typedef struct
{
  const char *mode;
  gboolean    reuse_key;
  gboolean    policy;     /* VOUCH_POLICY_ERROR, else VOUCH_ERROR */
  int         code;
  const char *fragment;
  /* Issuing before the problem shows is legitimate only once the CSR was
   * sound; such a certificate must stay on record as undelivered. */
  gboolean    may_issue;
} HostileCase;

static const HostileCase cases[] = {
  { "huge-body", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "larger than 64 KiB", FALSE },
  { "huge-declared", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "larger than 64 KiB", FALSE },
  { "slowloris", FALSE, FALSE, VOUCH_ERROR_DEVICE_UNREACHABLE, "did not answer within 3 seconds", FALSE },
  { "endless-chunked", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "larger than 64 KiB", FALSE },
  { "redirect", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "redirect Vouch elsewhere (https://127.0.0.250/", FALSE },
  { "bad-json", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "malformed answer: The JSON is invalid", FALSE },
  { "deep-json", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "nested deeper than", FALSE },
  { "other-key-csr", TRUE, TRUE, VOUCH_POLICY_ERROR_WRONG_KEY, "key", FALSE },
  { "forged-csr", FALSE, TRUE, VOUCH_POLICY_ERROR_BAD_SIGNATURE, "does not prove", FALSE },
  { "key-change", FALSE, FALSE, VOUCH_ERROR_KEY_CHANGED, "man in the middle", FALSE },
  { "wrong-nonce", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "did not echo this request's nonce", FALSE },
  { "wrong-challenge", FALSE, TRUE, VOUCH_POLICY_ERROR_WRONG_NONCE, "nonce", FALSE },
  { "error-loop", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "failed with HTTP 503", FALSE },
  { "unauthorized", FALSE, FALSE, VOUCH_ERROR_SECRET_REFUSED, "refused the admin secret", FALSE },
  { "drop-mid-push", FALSE, FALSE, VOUCH_ERROR_DEVICE_UNREACHABLE, "Pushing the certificate failed", TRUE },
  { "ca-csr", FALSE, TRUE, VOUCH_POLICY_ERROR_CA_REQUESTED, "CA:TRUE", FALSE },
  { "outside-csr", FALSE, TRUE, VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS, "www.example.com", FALSE },
  { "no-confirm", FALSE, FALSE, VOUCH_ERROR_CONFIRMATION_FAILED, "still serves its old one", TRUE },
};

typedef struct
{
  char            *dir;
  VouchAuthority  *authority;
  VouchOnboarding *onboarding;
  GPtrArray       *agents;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = vouch_test_fresh_dir ("hostile");
  fixture->authority = vouch_test_authority_new (fixture->dir, "Hostile Test", TRUE);
  fixture->onboarding = vouch_onboarding_new (fixture->authority);
  /* Short, so slow and endless peers end quickly; good agents answer in
   * milliseconds. */
  vouch_onboarding_set_timeout (fixture->onboarding, DEVICE_TIMEOUT_SECONDS);
  fixture->agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->agents, g_ptr_array_unref);
  g_clear_object (&fixture->onboarding);
  vouch_test_finalize_authority (fixture->authority);
  g_free (fixture->dir);
}

static TestAgent *
start_hostile (const char *state_dir,
               const char *address,
               const char *mode,
               guint       honest)
{
  g_autofree char *honest_text = g_strdup_printf ("%u", honest);
  g_autofree char *host = g_strdup_printf ("%s.local", mode);
  const char *args[] = { "--mode", mode, "--hostname", host, "--honest", honest_text, NULL };
  TestAgent *agent = test_agent_start_program (g_getenv ("VOUCH_HOSTILE_DEVICE"), state_dir,
                                               address, args);

  agent->host_name = g_steal_pointer (&host);
  return agent;
}

typedef struct
{
  gint64 last;
  gint64 max_gap;
} Ticker;

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  ticker->max_gap = MAX (ticker->max_gap, now - ticker->last);
  ticker->last = now;
  return G_SOURCE_CONTINUE;
}

/* Waits for *slot, bounded, measuring the main loop's longest stall. */
static GAsyncResult *
wait_for (GAsyncResult **slot,
          Ticker        *ticker)
{
  gint64 end = g_get_monotonic_time () + RUN_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  guint id = 0;

  if (ticker != NULL)
    {
      ticker->last = g_get_monotonic_time ();
      ticker->max_gap = 0;
      id = g_timeout_add (10, tick_cb, ticker);
    }
  while (*slot == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (id != 0)
    {
      tick_cb (ticker);
      g_source_remove (id);
    }
  g_assert_nonnull (*slot);
  return *slot;
}

static void
prepare (Fixture     *fixture,
         VouchDevice *device,
         TestAgent   *agent)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vouch_onboarding_verify_async (fixture->onboarding, device, agent->setup_code, NULL,
                                 vouch_test_store_result_cb, &result);
  g_assert_true (vouch_onboarding_verify_finish (fixture->onboarding, wait_for (&result, NULL),
                                                 &error));
  g_assert_no_error (error);
  g_assert_true (vouch_onboarding_set_admin_secret (fixture->onboarding, device, TEST_ADMIN_TOKEN,
                                                    &error));
  g_assert_no_error (error);
}

static void
assert_inventory (Fixture           *fixture,
                  const HostileCase *hc,
                  const char        *device_id,
                  const GError      *error)
{
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  g_autoptr(GListModel) certs = vouch_inventory_list_certificates (inventory, NULL);
  g_autoptr(GListModel) undelivered = vouch_inventory_list_undelivered (inventory, device_id, NULL);
  g_autoptr(GListModel) audit = vouch_inventory_list_audit (inventory, device_id, 1000, NULL);
  guint issued = 0;
  gboolean failed_logged = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (certs); i++)
    {
      g_autoptr(VouchCertificate) cert = g_list_model_get_item (certs, i);

      if (g_strcmp0 (vouch_certificate_get_device_id (cert), device_id) != 0)
        continue;
      issued++;
      /* Never active: the device never proved it serves it. */
      g_assert_cmpint (vouch_certificate_get_status (cert), ==, VOUCH_CERTIFICATE_STATUS_ISSUED);
    }

  if (hc->may_issue)
    {
      g_assert_cmpuint (issued, ==, 1);
      g_assert_cmpuint (g_list_model_get_n_items (undelivered), ==, 1);
    }
  else
    {
      g_assert_cmpuint (issued, ==, 0);
      g_assert_cmpuint (g_list_model_get_n_items (undelivered), ==, 0);
    }

  for (guint i = 0; i < g_list_model_get_n_items (audit); i++)
    {
      g_autoptr(VouchAuditEvent) event = g_list_model_get_item (audit, i);
      g_autoptr(JsonNode) node = NULL;
      const char *message;

      if (g_strcmp0 (vouch_audit_event_get_event (event), "failed") != 0)
        continue;
      node = json_from_string (vouch_audit_event_get_detail (event), NULL);
      g_assert_nonnull (node);
      message = json_object_get_string_member_with_default (json_node_get_object (node),
                                                            "message", "");
      g_assert_cmpstr (message, ==, error->message);
      failed_logged = TRUE;
    }
  g_assert_true (failed_logged);
}

static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  const HostileCase *hc = data;
  guint index = (guint)(hc - cases);
  g_autoptr(GListStore) devices = g_list_store_new (VOUCH_TYPE_DEVICE);
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchDevice) hostile_device = NULL;
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;
  const GError *hostile_error;
  TestAgent *hostile;
  Ticker ticker = { 0 };
  gint64 started;
  GQuark domain;

  for (guint i = 0; i < N_GOOD; i++)
    {
      g_autofree char *state = g_strdup_printf ("%s/agent-%u", fixture->dir, i);
      g_autofree char *address = g_strdup_printf ("127.0.%u.%u", 10 + index, i + 1);
      g_autofree char *host = g_strdup_printf ("good-%u-%u.local", index, i);
      const char *args[] = { "--no-mdns", "--hostname", host, NULL };
      TestAgent *agent = test_agent_start (state, address, args);
      g_autoptr(VouchDevice) device = NULL;

      agent->host_name = g_strdup (host);
      g_ptr_array_add (fixture->agents, agent);
      device = test_agent_new_device (agent);
      prepare (fixture, device, agent);
      g_list_store_append (devices, device);
    }

  {
    g_autofree char *state = g_strdup_printf ("%s/hostile", fixture->dir);
    g_autofree char *address = g_strdup_printf ("127.0.%u.100", 10 + index);

    hostile = start_hostile (state, address, hc->mode, 1);
    g_ptr_array_add (fixture->agents, hostile);
    hostile_device = test_agent_new_device (hostile);
    prepare (fixture, hostile_device, hostile);
    /* In the middle of the list, so good devices run before and after. */
    g_list_store_insert (devices, 1, hostile_device);
  }

  options.reuse_key = hc->reuse_key;
  bulk = vouch_bulk_onboarding_new (fixture->onboarding, G_LIST_MODEL (devices), N_GOOD + 1);
  vouch_bulk_onboarding_set_options (bulk, &options);
  started = g_get_monotonic_time ();
  vouch_bulk_onboarding_run_async (bulk, NULL, vouch_test_store_result_cb, &result);
  g_assert_false (vouch_bulk_onboarding_run_finish (bulk, wait_for (&result, &ticker), &error));
  g_assert_no_error (error);
  g_test_message ("%s: run took %.1f s, longest main-loop gap %.0f ms", hc->mode,
                  (g_get_monotonic_time () - started) / (double)G_USEC_PER_SEC,
                  ticker.max_gap / 1000.0);
  g_assert_cmpint (ticker.max_gap, <, MAX_MAIN_LOOP_GAP_USEC);

  /* The good devices all succeeded despite their neighbour. */
  g_assert_cmpuint (vouch_bulk_onboarding_get_failed (bulk), ==, 1);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (devices)); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (G_LIST_MODEL (devices), i);

      if (device == hostile_device)
        continue;
      g_assert_null (vouch_bulk_onboarding_get_error (bulk, device));
      g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
    }

  /* The hostile one failed with its own error. */
  hostile_error = vouch_bulk_onboarding_get_error (bulk, hostile_device);
  g_assert_nonnull (hostile_error);
  g_test_message ("%s: %s (%s %d)", hc->mode, hostile_error->message,
                  g_quark_to_string (hostile_error->domain), hostile_error->code);
  domain = hc->policy ? VOUCH_POLICY_ERROR : VOUCH_ERROR;
  g_assert_error ((GError *)hostile_error, domain, hc->code);
  g_assert_nonnull (strstr (hostile_error->message, hc->fragment));
  g_assert_cmpint (vouch_device_get_step (hostile_device), !=, VOUCH_ONBOARDING_STEP_CONFIRMED);

  assert_inventory (fixture, hc, hostile->device_id, hostile_error);
}

/* The same peers misbehaving from the first request: verification fails
 * with a specific error, bounded in time, recorded, and pins nothing. */
static const HostileCase verify_cases[] = {
  { "huge-body", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "larger than 64 KiB", FALSE },
  { "slowloris", FALSE, FALSE, VOUCH_ERROR_DEVICE_UNREACHABLE, "did not answer within 3 seconds", FALSE },
  { "endless-chunked", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "larger than 64 KiB", FALSE },
  { "redirect", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "redirect Vouch elsewhere", FALSE },
  { "deep-json", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "nested deeper than", FALSE },
  { "error-loop", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "failed with HTTP 503", FALSE },
  { "key-change", FALSE, FALSE, VOUCH_ERROR_SETUP_CODE_MISMATCH, "does not match", FALSE },
  { "wrong-id", FALSE, FALSE, VOUCH_ERROR_DEVICE_PROTOCOL, "says its id is “ffffffffffffffff”", FALSE },
};

static void
test_hostile_verify (Fixture       *fixture,
                     gconstpointer  data)
{
  const HostileCase *hc = data;
  guint index = (guint)(hc - verify_cases);
  g_autofree char *state = g_strdup_printf ("%s/hostile", fixture->dir);
  g_autofree char *address = g_strdup_printf ("127.0.%u.100", 50 + index);
  TestAgent *hostile = start_hostile (state, address, hc->mode, 0);
  g_autoptr(VouchDevice) device = test_agent_new_device (hostile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  Ticker ticker = { 0 };
  GQuark domain = hc->policy ? VOUCH_POLICY_ERROR : VOUCH_ERROR;

  g_ptr_array_add (fixture->agents, hostile);
  vouch_onboarding_verify_async (fixture->onboarding, device, hostile->setup_code, NULL,
                                 vouch_test_store_result_cb, &result);
  g_assert_false (vouch_onboarding_verify_finish (fixture->onboarding,
                                                  wait_for (&result, &ticker), &error));
  g_test_message ("verify %s: %s", hc->mode, error->message);
  g_assert_error (error, domain, hc->code);
  g_assert_nonnull (strstr (error->message, hc->fragment));
  g_assert_cmpint (ticker.max_gap, <, MAX_MAIN_LOOP_GAP_USEC);
  g_assert_null (vouch_device_get_pin (device));
  g_assert_cmpint (vouch_device_get_verification (device), ==, VOUCH_VERIFICATION_NONE);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "verify-failed"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();
  g_assert_nonnull (g_getenv ("VOUCH_HOSTILE_DEVICE"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hostile/%s", cases[i].mode);

      g_test_add (path, Fixture, &cases[i], fixture_setup, test_hostile, fixture_teardown);
    }
  for (guint i = 0; i < G_N_ELEMENTS (verify_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hostile/verify/%s", verify_cases[i].mode);

      g_test_add (path, Fixture, &verify_cases[i], fixture_setup, test_hostile_verify,
                  fixture_teardown);
    }

  return g_test_run ();
}
