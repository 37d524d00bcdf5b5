/* test-onboarding.c: verify, sign, push and confirm against real
 * vouch-agents, one by one and in bulk, inside a private network namespace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-authority-private.h"
#include "vouch-bulk-onboarding.h"
#include "vouch-error.h"
#include "vouch-inventory-private.h"
#include "vouch-onboarding.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>

#define N_BULK 20

typedef struct
{
  char            *dir;
  VouchAuthority  *authority;
  VouchOnboarding *onboarding;
  GPtrArray       *agents;
  char            *root_path;
} Fixture;

#define TOKEN_PIN "1234"

static guint *handshakes;

static char *
tokens_dir (void)
{
  return g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "tokens", NULL);
}

static void
create_on_token (VouchAuthority *authority,
                 const char     *label)
{
  const char *argv[] = { "softhsm2-util", "--init-token", "--free", "--label", label,
                         "--so-pin", "12345678", "--pin", TOKEN_PIN, NULL };
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autofree char *escaped = g_uri_escape_string (label, NULL, FALSE);
  g_autofree char *uri = g_strdup_printf ("pkcs11:token=%s", escaped);
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (vouch_test_run (argv, NULL, NULL, NULL, &status));
  g_assert_cmpint (status, ==, 0);
  g_assert_true (vouch_name_constraints_add (nc, "127.0.0.0/8", &error));
  vouch_authority_set_token_pin (authority, TOKEN_PIN);
  g_assert_true (vouch_authority_create_root_on_token (authority, "Token Onboarding Test",
                                                       VOUCH_KEY_TYPE_ECDSA_P256, nc, uri, NULL,
                                                       &error));
  g_assert_no_error (error);
}

/* With @data, a root whose key lives on a new SoftHSM2 token of that
 * label. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = vouch_test_fresh_dir ("onboarding");
  fixture->authority = vouch_test_authority_new (fixture->dir,
                                                 data != NULL ? NULL : "Onboarding Test", TRUE);
  if (data != NULL)
    create_on_token (fixture->authority, data);
  fixture->onboarding = vouch_onboarding_new (fixture->authority);
  fixture->agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);
  fixture->root_path = vouch_test_write_root (fixture->authority, fixture->dir, "root.pem");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->agents, g_ptr_array_unref);
  g_clear_object (&fixture->onboarding);
  vouch_test_finalize_authority (fixture->authority);
  g_free (fixture->root_path);
  g_free (fixture->dir);
}

static TestAgent *
start_agent (Fixture    *fixture,
             guint       index,
             const char *host_name,
             guint       port)
{
  g_autofree char *state = g_strdup_printf ("%s/agent-%u", fixture->dir, index);
  g_autofree char *address = g_strdup_printf ("127.0.1.%u", index + 1);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *host = host_name != NULL ? g_strdup (host_name)
                                            : g_strdup_printf ("device-%02u.local", index);
  const char *args[] = { "--no-mdns", "--hostname", host, "--port", port_text, NULL };
  TestAgent *agent = test_agent_start (state, address, args);

  agent->host_name = g_strdup (host);
  return agent;
}

static gboolean
verify (Fixture     *fixture,
        VouchDevice *device,
        const char  *code,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vouch_onboarding_verify_async (fixture->onboarding, device, code, NULL, vouch_test_store_result_cb, &result);
  return vouch_onboarding_verify_finish (fixture->onboarding, vouch_test_wait_result (&result, 120), error);
}

static VouchCertificate *
onboard (Fixture     *fixture,
         VouchDevice *device,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vouch_onboarding_onboard_async (fixture->onboarding, device, NULL, NULL, vouch_test_store_result_cb, &result);
  return vouch_onboarding_onboard_finish (fixture->onboarding, vouch_test_wait_result (&result, 120), error);
}

static void
prepare (Fixture     *fixture,
         VouchDevice *device,
         TestAgent   *agent)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (verify (fixture, device, agent->setup_code, &error));
  g_assert_no_error (error);
  g_assert_true (vouch_onboarding_set_admin_secret (fixture->onboarding, device, TEST_ADMIN_TOKEN,
                                                    &error));
}

/* Real clients that trust only the root reach the device by name and by
 * address. */
static void
assert_clients_trust (Fixture   *fixture,
                      TestAgent *agent)
{
  g_autofree char *port = g_strdup_printf ("%u", agent->port);
  g_autofree char *resolve = g_strdup_printf ("%s:%u:%s", agent->host_name, agent->port,
                                              agent->address);
  g_autofree char *by_name = g_strdup_printf ("https://%s:%u/vouch/v1/info", agent->host_name,
                                              agent->port);
  g_autofree char *by_address = g_strdup_printf ("https://%s:%u/vouch/v1/info", agent->address,
                                                 agent->port);
  const char *curl_name[] = { "curl", "-sS", "--max-time", "10", "--cacert", fixture->root_path,
                              "--resolve", resolve, by_name, "-o", "/dev/null", NULL };
  const char *curl_address[] = { "curl", "-sS", "--max-time", "10", "--cacert", fixture->root_path,
                                 by_address, "-o", "/dev/null", NULL };
  const char *gnutls_name[] = { "gnutls-cli", "--x509cafile", fixture->root_path, "--port", port,
                                "--verify-hostname", agent->host_name, agent->address, NULL };
  const char *gnutls_address[] = { "gnutls-cli", "--x509cafile", fixture->root_path, "--port",
                                   port, agent->address, NULL };
  const char * const *commands[] = { curl_name, curl_address, gnutls_name, gnutls_address };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = -1;

      vouch_test_run (commands[i], "", &out, &err, &status);
      if (status != 0)
        g_error ("%s failed against %s: %s%s", commands[i][0], agent->host_name, out, err);
    }
}

static void
test_one_device (Fixture       *fixture,
                 gconstpointer  data)
{
  TestAgent *agent = start_agent (fixture, 0, NULL, 0);
  g_autoptr(VouchDevice) device = test_agent_new_device (agent);
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(VouchDevice) saved = NULL;
  g_autoptr(GError) error = NULL;
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);

  g_ptr_array_add (fixture->agents, agent);

  /* Not verified yet: refused before any traffic. */
  cert = onboard (fixture, device, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_VERIFIED);
  g_clear_error (&error);

  prepare (fixture, device, agent);
  g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_VERIFIED);
  g_assert_nonnull (vouch_device_get_pin (device));

  /* Right after verification the CSR and the push go over the
   * verification's connection; confirmation makes a new one. */
  *handshakes = 0;
  cert = onboard (fixture, device, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (*handshakes, ==, 1);
  g_assert_cmpint (vouch_certificate_get_status (cert), ==, VOUCH_CERTIFICATE_STATUS_ACTIVE);
  g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
  g_assert_cmpstr (vouch_device_get_pin (device), ==, vouch_certificate_get_key_sha256 (cert));
  g_assert_true (g_strv_contains (vouch_certificate_get_names (cert), agent->host_name));
  g_assert_true (g_strv_contains (vouch_certificate_get_names (cert), agent->address));
  assert_clients_trust (fixture, agent);
  /* The root's key was read for the signature and wiped after it. */
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));
  g_assert_cmpuint (_vouch_authority_get_key_loads (fixture->authority), ==, 1);

  /* Every step is in the audit log. */
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "verified"), ==, 1);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "csr-received"), ==, 1);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "issued"), ==, 1);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "pushed"), ==, 1);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "confirmed"), ==, 1);

  /* Renewal with the now-pinned key supersedes the first certificate. */
  {
    g_autoptr(VouchCertificate) renewed = NULL;
    g_autoptr(VouchCertificate) old = NULL;

    /* Not after a verification: its own connection, and the new one
     * that confirms. */
    *handshakes = 0;
    renewed = onboard (fixture, device, &error);
    g_assert_no_error (error);
    g_assert_nonnull (renewed);
    g_assert_cmpuint (*handshakes, ==, 2);
    old = vouch_inventory_lookup_certificate (inventory, vouch_certificate_get_serial (cert), &error);
    g_assert_cmpint (vouch_certificate_get_status (old), ==, VOUCH_CERTIFICATE_STATUS_SUPERSEDED);
    g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));
  }

  /* A restarted Vouch sees the same state. */
  {
    g_autoptr(VouchAuthority) again = vouch_authority_new (fixture->dir);

    g_assert_true (vouch_authority_load (again, &error));
    saved = vouch_inventory_lookup_device (vouch_authority_get_inventory (again),
                                           agent->device_id, &error);
    g_assert_nonnull (saved);
    g_assert_cmpint (vouch_device_get_step (saved), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
    g_assert_cmpstr (vouch_device_get_pin (saved), ==, vouch_device_get_pin (device));
  }
}

static void
test_wrong_setup_code (Fixture       *fixture,
                       gconstpointer  data)
{
  TestAgent *agent = start_agent (fixture, 1, NULL, 0);
  g_autoptr(VouchDevice) device = test_agent_new_device (agent);
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong = g_strdup (agent->setup_code);

  g_ptr_array_add (fixture->agents, agent);
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';

  g_assert_false (verify (fixture, device, wrong, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_SETUP_CODE_MISMATCH);
  g_assert_null (vouch_device_get_pin (device));
  g_clear_error (&error);

  g_assert_false (verify (fixture, device, "not a code", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_assert_cmpint (_vouch_inventory_count_audit_events (vouch_authority_get_inventory (fixture->authority),
                                                        "verify-failed"), ==, 1);
}

/* Another device answering at the verified device's address, as a man in
 * the middle would. */
static void
test_man_in_the_middle (Fixture       *fixture,
                        gconstpointer  data)
{
  TestAgent *agent = start_agent (fixture, 2, NULL, 0);
  TestAgent *impostor = start_agent (fixture, 3, NULL, 0);
  g_autoptr(VouchDevice) device = test_agent_new_device (agent);
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  const char *addresses[] = { impostor->address, NULL };

  g_ptr_array_add (fixture->agents, agent);
  g_ptr_array_add (fixture->agents, impostor);
  prepare (fixture, device, agent);

  vouch_device_set_addresses (device, addresses);
  vouch_device_set_port (device, (guint16)impostor->port);
  cert = onboard (fixture, device, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_CHANGED);
  g_assert_nonnull (vouch_device_get_attention (device));
  g_assert_cmpint (vouch_device_get_verification (device), ==, VOUCH_VERIFICATION_NONE);
  g_clear_error (&error);

  /* Blocked until verified again, even back at the right address. */
  addresses[0] = agent->address;
  vouch_device_set_addresses (device, addresses);
  vouch_device_set_port (device, (guint16)agent->port);
  cert = onboard (fixture, device, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_VERIFIED);
  g_assert_nonnull (strstr (error->message, "man in the middle"));
  g_clear_error (&error);

  prepare (fixture, device, agent);
  g_assert_null (vouch_device_get_attention (device));
  cert = onboard (fixture, device, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (vouch_inventory_list_certificates (vouch_authority_get_inventory (fixture->authority), NULL)), ==, 1);
}

static void
kill_on_signed_cb (VouchDevice *device,
                   GParamSpec  *pspec,
                   TestAgent   *agent)
{
  if (vouch_device_get_step (device) == VOUCH_ONBOARDING_STEP_SIGNED && agent->process != NULL)
    {
      g_subprocess_send_signal (agent->process, SIGKILL);
      g_subprocess_wait (agent->process, NULL, NULL);
      g_clear_object (&agent->process);
    }
}

static void
test_killed_mid_push (Fixture       *fixture,
                      gconstpointer  data)
{
  TestAgent *agent = start_agent (fixture, 4, NULL, 0);
  g_autoptr(VouchDevice) device = test_agent_new_device (agent);
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GListModel) undelivered = NULL;
  g_autoptr(GError) error = NULL;
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  guint port = agent->port;
  gulong handler;

  prepare (fixture, device, agent);
  handler = g_signal_connect (device, "notify::step", G_CALLBACK (kill_on_signed_cb), agent);
  cert = onboard (fixture, device, &error);
  g_signal_handler_disconnect (device, handler);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE);
  g_assert_null (cert);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "failed"), ==, 1);
  g_clear_error (&error);

  /* Issued but not delivered: on record, not forgotten. */
  undelivered = vouch_inventory_list_undelivered (inventory, agent->device_id, &error);
  g_assert_cmpuint (g_list_model_get_n_items (undelivered), ==, 1);
  test_agent_free (agent);

  /* The device comes back on the same port; a retry succeeds. */
  agent = start_agent (fixture, 4, NULL, port);
  g_ptr_array_add (fixture->agents, agent);
  cert = onboard (fixture, device, &error);
  g_assert_no_error (error);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "retry"), ==, 1);
  g_clear_object (&undelivered);
  undelivered = vouch_inventory_list_undelivered (inventory, agent->device_id, &error);
  g_assert_cmpuint (g_list_model_get_n_items (undelivered), ==, 0);
  assert_clients_trust (fixture, agent);
}

static void
count_finished_cb (VouchBulkOnboarding *bulk,
                   VouchDevice         *device,
                   const GError        *error,
                   guint               *finished)
{
  (*finished)++;
}

static void
test_bulk (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GListStore) devices = g_list_store_new (VOUCH_TYPE_DEVICE);
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VouchDevice *outsider = NULL;
  guint finished = 0;

  for (guint i = 0; i < N_BULK + 1; i++)
    {
      /* One device asks for a name the signing policy refuses. */
      TestAgent *agent = start_agent (fixture, 10 + i, i == N_BULK ? "bad_name.local" : NULL, 0);
      g_autoptr(VouchDevice) device = test_agent_new_device (agent);

      g_ptr_array_add (fixture->agents, agent);
      prepare (fixture, device, agent);
      g_list_store_append (devices, device);
      if (i == N_BULK)
        outsider = device;
    }

  bulk = vouch_bulk_onboarding_new (fixture->onboarding, G_LIST_MODEL (devices), 6);
  g_signal_connect (bulk, "device-finished", G_CALLBACK (count_finished_cb), &finished);
  vouch_bulk_onboarding_run_async (bulk, NULL, vouch_test_store_result_cb, &result);
  g_assert_false (vouch_bulk_onboarding_run_finish (bulk, vouch_test_wait_result (&result, 120), &error));
  g_assert_no_error (error);

  /* The run read the root's key from the keyring once for its 20
   * signatures, and wiped it before it completed. */
  g_assert_cmpuint (_vouch_authority_get_key_loads (fixture->authority), ==, 1);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));

  g_assert_cmpuint (vouch_bulk_onboarding_get_total (bulk), ==, N_BULK + 1);
  g_assert_cmpuint (vouch_bulk_onboarding_get_done (bulk), ==, N_BULK + 1);
  g_assert_cmpuint (finished, ==, N_BULK + 1);
  g_assert_cmpuint (vouch_bulk_onboarding_get_failed (bulk), ==, 1);
  g_assert_error ((GError *)vouch_bulk_onboarding_get_error (bulk, outsider), VOUCH_POLICY_ERROR,
                  VOUCH_POLICY_ERROR_BAD_NAME);
  g_assert_nonnull (strstr (vouch_bulk_onboarding_get_error (bulk, outsider)->message,
                            "bad_name.local"));
  g_assert_cmpint (vouch_device_get_step (outsider), ==, VOUCH_ONBOARDING_STEP_CSR_RECEIVED);

  for (guint i = 0; i < N_BULK; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (G_LIST_MODEL (devices), i);

      g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
      assert_clients_trust (fixture, g_ptr_array_index (fixture->agents, i));
    }
}

static char *
count_pin_cb (VouchAuthority *authority,
              VouchTokenKey  *token,
              const GError   *previous,
              gboolean       *keep,
              gpointer        user_data)
{
  guint *asked = user_data;

  g_assert_null (previous);
  (*asked)++;
  return g_strdup (TOKEN_PIN);
}

/* The token is pulled out after the second device of a run. */
static void
pull_token_cb (VouchBulkOnboarding *bulk,
               VouchDevice         *device,
               const GError        *error,
               guint               *finished)
{
  g_autofree char *dir = tokens_dir ();
  g_autofree char *away = g_strconcat (dir, ".away", NULL);

  g_assert_no_error ((GError *)error);
  if (++(*finished) == 2)
    g_assert_cmpint (g_rename (dir, away), ==, 0);
}

static guint
count_certs (Fixture *fixture)
{
  g_autoptr(GListModel) list = NULL;

  list = vouch_inventory_list_certificates (vouch_authority_get_inventory (fixture->authority),
                                            NULL);
  return g_list_model_get_n_items (list);
}

/* Agents onboarded with a root on a token: the PIN is asked once a run;
 * the token is pulled out mid-run, which stops the run with nothing half
 * done; put back, the run resumes with exactly the devices left. */
static void
test_bulk_token (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GListStore) devices = g_list_store_new (VOUCH_TYPE_DEVICE);
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) resumed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tokens_dir ();
  g_autofree char *away = g_strconcat (dir, ".away", NULL);
  guint finished = 0;
  guint asked = 0;
  const guint n = 6;

  for (guint i = 0; i < n; i++)
    {
      TestAgent *agent = start_agent (fixture, 40 + i, NULL, 0);
      g_autoptr(VouchDevice) device = test_agent_new_device (agent);

      g_ptr_array_add (fixture->agents, agent);
      prepare (fixture, device, agent);
      g_list_store_append (devices, device);
    }

  vouch_authority_set_pin_func (fixture->authority, count_pin_cb, &asked, NULL);
  bulk = vouch_bulk_onboarding_new (fixture->onboarding, G_LIST_MODEL (devices), 1);
  g_signal_connect (bulk, "device-finished", G_CALLBACK (pull_token_cb), &finished);
  vouch_bulk_onboarding_run_async (bulk, NULL, vouch_test_store_result_cb, &result);
  g_assert_false (vouch_bulk_onboarding_run_finish (bulk, vouch_test_wait_result (&result, 120), &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_REMOVED);
  g_clear_error (&error);
  g_assert_cmpuint (asked, ==, 1);
  g_assert_cmpuint (vouch_bulk_onboarding_get_done (bulk), ==, 2);
  g_assert_cmpuint (vouch_bulk_onboarding_get_failed (bulk), ==, 0);
  g_assert_cmpuint (vouch_bulk_onboarding_get_stopped (bulk), ==, n - 2);
  g_assert_cmpuint (count_certs (fixture), ==, 2);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));

  g_assert_cmpint (g_rename (away, dir), ==, 0);
  vouch_bulk_onboarding_resume_async (bulk, NULL, vouch_test_store_result_cb, &resumed);
  g_assert_true (vouch_bulk_onboarding_run_finish (bulk, vouch_test_wait_result (&resumed, 120), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (asked, ==, 2);
  g_assert_cmpuint (vouch_bulk_onboarding_get_done (bulk), ==, n);
  g_assert_cmpuint (vouch_bulk_onboarding_get_stopped (bulk), ==, 0);
  /* Each device's certificate exactly once. */
  g_assert_cmpuint (count_certs (fixture), ==, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (G_LIST_MODEL (devices), i);

      g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
      assert_clients_trust (fixture, g_ptr_array_index (fixture->agents, i));
    }
  vouch_authority_set_pin_func (fixture->authority, NULL, NULL, NULL);
}

/* A refused admin secret is remembered on the device until another one
 * is given, and a missing one counts as refused. */
static void
test_wrong_secret (Fixture       *fixture,
                   gconstpointer  data)
{
  TestAgent *agent = start_agent (fixture, 2, NULL, 0);
  g_autoptr(VouchDevice) device = test_agent_new_device (agent);
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (fixture->agents, agent);
  g_assert_true (verify (fixture, device, agent->setup_code, &error));
  g_assert_no_error (error);

  cert = onboard (fixture, device, &error);
  g_assert_null (cert);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED);
  g_assert_true (vouch_device_get_secret_refused (device));
  g_clear_error (&error);

  g_assert_true (vouch_onboarding_set_admin_secret (fixture->onboarding, device, "not-the-token",
                                                    &error));
  g_assert_false (vouch_device_get_secret_refused (device));
  cert = onboard (fixture, device, &error);
  g_assert_null (cert);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED);
  g_assert_nonnull (strstr (error->message, "refused the admin secret"));
  g_assert_true (vouch_device_get_secret_refused (device));
  g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_VERIFIED);
  g_clear_error (&error);

  g_assert_true (vouch_onboarding_set_admin_secret (fixture->onboarding, device, TEST_ADMIN_TOKEN,
                                                    &error));
  cert = onboard (fixture, device, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cert);
  g_assert_false (vouch_device_get_secret_refused (device));
  g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();

  /* SoftHSM2 keeps its tokens in the test's own directory. */
  {
    g_autofree char *dir = tokens_dir ();
    g_autofree char *conf = g_strdup_printf ("directories.tokendir = %s\n"
                                             "objectstore.backend = file\nlog.level = ERROR\n",
                                             dir);
    g_autofree char *path = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "softhsm2.conf",
                                              NULL);

    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (path, conf, -1, NULL));
    g_setenv ("SOFTHSM2_CONF", path, TRUE);
  }

  handshakes = vouch_test_count_handshakes ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/onboarding/one-device", test_one_device);
  ADD ("/onboarding/wrong-setup-code", test_wrong_setup_code);
  ADD ("/onboarding/wrong-secret", test_wrong_secret);
  ADD ("/onboarding/man-in-the-middle", test_man_in_the_middle);
  ADD ("/onboarding/killed-mid-push", test_killed_mid_push);
  ADD ("/onboarding/bulk", test_bulk);
  g_test_add ("/onboarding/bulk-token", Fixture, "Onboarding Token", fixture_setup,
              test_bulk_token, fixture_teardown);

  return g_test_run ();
}
