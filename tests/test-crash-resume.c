/* test-crash-resume.c: kill -9 Vouch during bulk onboarding, then resume
 *
 * tests/crash-worker onboards real vouch-agents (in a private network
 * namespace); this test kills it with SIGKILL once certificates are being
 * issued, checks that the inventory it left is consistent and knows every
 * certificate any device now serves, then runs it again and checks that
 * the run completes without repeating a serial.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-authority.h"
#include "vouch-error.h"
#include "vouch-test-util.h"
#include "vouch-inventory-private.h"

#include <signal.h>
#include <sys/resource.h>

#define N_AGENTS 100
#define KILL_AFTER_ISSUED 25
#define POLL_SECONDS 120
#define WORKER_SECONDS 240

typedef struct
{
  char      *dir;
  char      *data_dir;
  char      *devices_path;
  GPtrArray *agents;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VouchAuthority) authority = NULL;

  fixture->dir = vouch_test_fresh_dir ("crash");
  fixture->data_dir = g_build_filename (fixture->dir, "vouch", NULL);
  fixture->devices_path = g_build_filename (fixture->dir, "devices.tsv", NULL);
  fixture->agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);

  /* The root is made here; the worker only loads it, as a restarted Vouch
   * would. */
  authority = vouch_test_authority_new (fixture->data_dir, "Crash Test", TRUE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->agents, g_ptr_array_unref);
  g_free (fixture->devices_path);
  g_free (fixture->data_dir);
  g_free (fixture->dir);
}

/* One pipe per agent stays open in this process. */
static void
ensure_file_limit (guint needed)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_cur >= needed)
    return;
  limit.rlim_cur = MIN (MAX (needed, 1024), limit.rlim_max);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  g_assert_cmpuint (limit.rlim_cur, >=, needed);
}

static void
start_agents (Fixture *fixture,
              guint    n)
{
  g_autoptr(GString) list = g_string_new (NULL);

  ensure_file_limit (n * 2 + 64);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *state = g_strdup_printf ("%s/agent-%03u", fixture->dir, i);
      g_autofree char *address = g_strdup_printf ("127.0.%u.%u", 2 + i / 200, 1 + i % 200);
      g_autofree char *host = g_strdup_printf ("dev-%03u.local", i);
      const char *args[] = { "--no-mdns", "--hostname", host, NULL };
      TestAgent *agent = test_agent_start (state, address, args);

      agent->host_name = g_strdup (host);
      g_ptr_array_add (fixture->agents, agent);
      g_string_append_printf (list, "%s\t%s\t%u\t%s\t%s\n", agent->device_id, agent->address,
                              agent->port, agent->host_name, agent->setup_code);
    }

  g_assert_true (g_file_set_contents (fixture->devices_path, list->str, (gssize)list->len, NULL));
}

static GSubprocess *
spawn_worker (Fixture    *fixture,
              const char *extra)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *worker;

  worker = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                             g_getenv ("VOUCH_CRASH_WORKER"), "--data-dir", fixture->data_dir,
                             "--devices", fixture->devices_path,
                             extra != NULL ? extra : NULL, extra != NULL ? "1" : NULL, NULL);
  g_assert_no_error (error);
  return worker;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

static void
wait_worker (GSubprocess *worker,
             guint        seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  gboolean done = FALSE;

  g_subprocess_wait_async (worker, NULL, wait_cb, &done);
  while (!done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (!done)
    {
      g_subprocess_force_exit (worker);
      g_error ("crash-worker did not finish within %u s", seconds);
    }
}

static VouchInventory *
open_inventory (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "inventory.db", NULL);
  g_autoptr(GError) error = NULL;
  VouchInventory *inventory = vouch_inventory_open (path, &error);

  g_assert_no_error (error);
  return inventory;
}

static guint
count_certificates (Fixture *fixture)
{
  g_autoptr(VouchInventory) inventory = open_inventory (fixture);
  g_autoptr(GListModel) certs = vouch_inventory_list_certificates (inventory, NULL);

  return certs != NULL ? g_list_model_get_n_items (certs) : 0;
}

static gboolean
accept_any_cb (GTlsConnection       *connection,
               GTlsCertificate      *peer,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  /* Only to read what is served; nothing is trusted from it. */
  return TRUE;
}

static void
event_cb (GSocketClient      *client,
          GSocketClientEvent  event,
          GSocketConnectable *connectable,
          GIOStream          *connection,
          gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_signal_connect (connection, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
}

/* The certificate the agent presents to a new client now. */
static VouchCertificate *
served_certificate (TestAgent *agent)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) peer = NULL;
  g_autofree char *pem = NULL;
  GIOStream *tls;
  VouchCertificate *cert;

  g_socket_client_set_tls (client, TRUE);
  g_socket_client_set_timeout (client, 10);
  g_signal_connect (client, "event", G_CALLBACK (event_cb), NULL);
  connection = g_socket_client_connect_to_host (client, agent->address, (guint16)agent->port,
                                                NULL, &error);
  g_assert_no_error (error);
  /* The client did the handshake; the TLS stream sits under a wrapper. */
  tls = g_tcp_wrapper_connection_get_base_io_stream (G_TCP_WRAPPER_CONNECTION (connection));
  peer = g_object_ref (g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls)));
  g_object_get (peer, "certificate-pem", &pem, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  cert = vouch_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  return cert;
}

/* The inventory a killed (or finished) run left: every row parses, no
 * serial twice, at most one active certificate per device, and every
 * certificate a device serves that this root issued is on record. With
 * @complete, every device is confirmed and serves its active certificate. */
static void
assert_consistent (Fixture  *fixture,
                   gboolean  complete)
{
  g_autoptr(VouchAuthority) authority = vouch_authority_new (fixture->data_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) certs = NULL;
  g_autoptr(GHashTable) serials = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) active = g_hash_table_new (g_str_hash, g_str_equal);
  VouchInventory *inventory;
  const char *root_subject;

  g_assert_true (vouch_authority_load (authority, &error));
  g_assert_no_error (error);
  inventory = vouch_authority_get_inventory (authority);
  root_subject = vouch_certificate_get_subject (vouch_root_ca_get_certificate (vouch_authority_get_root (authority)));

  certs = vouch_inventory_list_certificates (inventory, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (certs); i++)
    {
      g_autoptr(VouchCertificate) cert = g_list_model_get_item (certs, i);
      const char *serial = vouch_certificate_get_serial (cert);
      const char *device_id = vouch_certificate_get_device_id (cert);

      g_assert_nonnull (device_id);
      g_assert_false (g_hash_table_contains (serials, serial));
      g_hash_table_add (serials, (char *)serial);
      if (vouch_certificate_get_status (cert) == VOUCH_CERTIFICATE_STATUS_ACTIVE)
        {
          g_assert_false (g_hash_table_contains (active, device_id));
          g_hash_table_insert (active, (char *)device_id, (char *)serial);
        }
    }
  /* Every row is in the audit log as issued. */
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "issued"), ==,
                   g_list_model_get_n_items (certs));

  for (guint i = 0; i < fixture->agents->len; i++)
    {
      TestAgent *agent = g_ptr_array_index (fixture->agents, i);
      g_autoptr(VouchCertificate) served = served_certificate (agent);
      g_autoptr(VouchCertificate) recorded = NULL;

      if (g_strcmp0 (vouch_certificate_get_issuer (served), root_subject) != 0)
        {
          g_assert_false (complete);
          continue;
        }

      recorded = vouch_inventory_lookup_certificate (inventory, vouch_certificate_get_serial (served),
                                                     &error);
      g_assert_no_error (error);
      g_assert_nonnull (recorded);
      g_assert_cmpstr (vouch_certificate_get_sha256 (recorded), ==,
                       vouch_certificate_get_sha256 (served));
      g_assert_cmpstr (vouch_certificate_get_device_id (recorded), ==, agent->device_id);

      if (complete)
        {
          g_autoptr(VouchDevice) device = vouch_inventory_lookup_device (inventory, agent->device_id,
                                                                         &error);
          g_autoptr(GListModel) undelivered = vouch_inventory_list_undelivered (inventory,
                                                                                agent->device_id,
                                                                                &error);

          g_assert_cmpint (vouch_certificate_get_status (recorded), ==,
                           VOUCH_CERTIFICATE_STATUS_ACTIVE);
          g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
          g_assert_cmpuint (g_list_model_get_n_items (undelivered), ==, 0);
        }
    }

  if (complete)
    g_assert_cmpuint (g_hash_table_size (active), ==, fixture->agents->len);
}

static void
test_kill_mid_run (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSubprocess) worker = NULL;
  g_autoptr(GSubprocess) again = NULL;
  gint64 end;
  guint issued = 0;
  guint before_resume;

  start_agents (fixture, N_AGENTS);

  /* Poll the inventory as another process would, and pull the plug once
   * a quarter of the devices have certificates. */
  worker = spawn_worker (fixture, NULL);
  end = g_get_monotonic_time () + POLL_SECONDS * G_USEC_PER_SEC;
  while (issued < KILL_AFTER_ISSUED && g_get_monotonic_time () < end)
    {
      g_usleep (10 * 1000);
      issued = count_certificates (fixture);
    }
  g_assert_cmpuint (issued, >=, KILL_AFTER_ISSUED);
  g_subprocess_send_signal (worker, SIGKILL);
  wait_worker (worker, 30);
  g_assert_true (g_subprocess_get_if_signaled (worker));
  g_assert_cmpint (g_subprocess_get_term_sig (worker), ==, SIGKILL);
  before_resume = count_certificates (fixture);
  g_test_message ("killed after %u certificates were issued (%u on record)", issued,
                  before_resume);
  g_assert_cmpuint (before_resume, <, N_AGENTS);

  assert_consistent (fixture, FALSE);

  /* Vouch starts again and finishes the run. */
  again = spawn_worker (fixture, NULL);
  wait_worker (again, WORKER_SECONDS);
  g_assert_true (g_subprocess_get_if_exited (again));
  g_assert_cmpint (g_subprocess_get_exit_status (again), ==, 0);

  assert_consistent (fixture, TRUE);
}

/* The narrowest window: the device installed its chain, Vouch died before
 * confirming it. On resume the device already serves the undelivered
 * certificate's key; Vouch must confirm it rather than take the new key
 * for a man in the middle. */
static void
test_killed_after_install (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GSubprocess) worker = NULL;
  g_autoptr(GSubprocess) again = NULL;
  g_autoptr(VouchInventory) inventory = NULL;

  start_agents (fixture, 3);
  worker = spawn_worker (fixture, "--die-after-installed");
  wait_worker (worker, WORKER_SECONDS);
  g_assert_true (g_subprocess_get_if_signaled (worker));
  assert_consistent (fixture, FALSE);

  again = spawn_worker (fixture, NULL);
  wait_worker (again, WORKER_SECONDS);
  g_assert_true (g_subprocess_get_if_exited (again));
  g_assert_cmpint (g_subprocess_get_exit_status (again), ==, 0);
  assert_consistent (fixture, TRUE);

  /* The installed certificate was confirmed, not replaced. */
  inventory = open_inventory (fixture);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "issued"), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();
  g_assert_nonnull (g_getenv ("VOUCH_CRASH_WORKER"));

  g_test_add ("/crash-resume/killed-after-install", Fixture, NULL, fixture_setup,
              test_killed_after_install, fixture_teardown);
  g_test_add ("/crash-resume/kill-mid-run", Fixture, NULL, fixture_setup, test_kill_mid_run,
              fixture_teardown);

  return g_test_run ();
}
