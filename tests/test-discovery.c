/* test-discovery.c: VouchDiscovery against real vouch-agent processes
 *
 * Runs inside tools/private-lan, which gives the test its own network
 * namespace, system bus and avahi-daemon on a private loopback. The
 * vouchctl tests are in test-discovery-vouchctl.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "test-discovery.h"
#include "vouch-discovery.h"
#include "vouch-error.h"
#include "vouch-inventory.h"

#include <signal.h>
#include <string.h>

#define N_AGENTS 20

static gboolean
wake_cb (gpointer user_data)
{
  guint *id = user_data;

  *id = 0;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds, for at most @seconds; every
 * iteration is bounded by a 100 ms wake-up. */
gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      guint id;

      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      id = g_timeout_add (100, wake_cb, &id);
      g_main_context_iteration (NULL, TRUE);
      g_clear_handle_id (&id, g_source_remove);
    }

  return TRUE;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->tmpdir = g_dir_make_tmp ("test-discovery-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->tmpdir, "inventory.db", NULL);
  f->inventory = vouch_inventory_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  const char *argv[] = { "rm", "-rf", f->tmpdir, NULL };
  g_autofree char *output = NULL;

  g_assert_finalize_object (f->inventory);
  output = test_run (argv, NULL, NULL);
  g_free (f->tmpdir);
}

TestAgent *
start_agent (Fixture    *f,
             guint       index,
             const char *name)
{
  g_autofree char *state_dir = g_strdup_printf ("%s/agent-%u", f->tmpdir, index);
  g_autofree char *address = g_strdup_printf ("127.0.0.%u", 10 + index);
  const char * const args[] = { "--name", name, "--model", "TD-1", "--port", "0", NULL };

  return test_agent_start (state_dir, address, args);
}

static gboolean
strv_contains (const char * const *strv,
               const char         *text)
{
  return strv != NULL && g_strv_contains (strv, text);
}

typedef struct
{
  VouchDiscovery *discovery;
  GPtrArray      *agents;
} AgentsSeen;

static gboolean
agent_matches (VouchDevice *device,
               TestAgent   *agent)
{
  return device != NULL
         && vouch_device_get_online (device)
         && vouch_device_get_port (device) == agent->port
         && strv_contains (vouch_device_get_addresses (device), agent->address);
}

static gboolean
agents_seen (gpointer data)
{
  AgentsSeen *seen = data;

  for (guint i = 0; i < seen->agents->len; i++)
    {
      TestAgent *agent = g_ptr_array_index (seen->agents, i);

      if (!agent_matches (vouch_discovery_lookup (seen->discovery, agent->device_id), agent))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  VouchDiscovery *discovery;
  const char     *id;
} Lookup;

static gboolean
device_gone (gpointer data)
{
  Lookup *lookup = data;

  return vouch_discovery_lookup (lookup->discovery, lookup->id) == NULL;
}

static gboolean
device_online (gpointer data)
{
  Lookup *lookup = data;
  VouchDevice *device = vouch_discovery_lookup (lookup->discovery, lookup->id);

  return device != NULL && vouch_device_get_online (device);
}

static gboolean
device_offline (gpointer data)
{
  Lookup *lookup = data;
  VouchDevice *device = vouch_discovery_lookup (lookup->discovery, lookup->id);

  return device != NULL && !vouch_device_get_online (device);
}

static gboolean
device_enrolled (gpointer data)
{
  Lookup *lookup = data;
  VouchDevice *device = vouch_discovery_lookup (lookup->discovery, lookup->id);

  return device != NULL && vouch_device_get_state (device) == VOUCH_DEVICE_STATE_ENROLLED;
}

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        gpointer    user_data)
{
  guint *count = user_data;

  *count += 1;
}

static void
test_agents (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(VouchDiscovery) discovery = vouch_discovery_new (NULL);
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);
  g_autoptr(TestCa) ca = test_ca_new ("Vouch Test Root");
  g_autoptr(TestResponse) response = NULL;
  g_autofree char *csr = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *stopped_id = NULL;
  AgentsSeen seen = { discovery, agents };
  Lookup lookup = { discovery, NULL };
  VouchDevice *device;
  TestAgent *agent;
  guint changes = 0;

  vouch_discovery_start (discovery);

  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Device %02u", i);

      g_ptr_array_add (agents, start_agent (f, i, name));
    }

  g_assert_true (wait_for (agents_seen, &seen, WAIT_SECONDS));
  g_assert_cmpint (vouch_discovery_get_status (discovery), ==, VOUCH_DISCOVERY_STATUS_RUNNING);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, N_AGENTS);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (discovery)) == VOUCH_TYPE_DEVICE);

  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Device %02u", i);

      agent = g_ptr_array_index (agents, i);
      device = vouch_discovery_lookup (discovery, agent->device_id);
      g_assert_true (vouch_discovery_lookup (discovery, name) == device);
      g_assert_cmpstr (vouch_device_get_id (device), ==, agent->device_id);
      g_assert_cmpint (vouch_device_get_kind (device), ==, VOUCH_DEVICE_KIND_VOUCH);
      g_assert_cmpstr (vouch_device_get_name (device), ==, name);
      g_assert_cmpstr (vouch_device_get_model (device), ==, "TD-1");
      g_assert_true (g_str_has_suffix (vouch_device_get_host (device), ".local"));
      g_assert_cmpstr (vouch_device_lookup_txt (device, "txtvers"), ==, "1");
      g_assert_cmpstr (vouch_device_lookup_txt (device, "path"), ==, "/vouch/v1");
      g_assert_cmpstr (vouch_device_lookup_txt (device, "id"), ==, agent->device_id);
      g_assert_cmpstr (vouch_device_lookup_txt (device, "state"), ==, "new");
      g_assert_cmpint (vouch_device_get_state (device), ==, VOUCH_DEVICE_STATE_NEW);
      /* Wire order: txtvers comes first. */
      g_assert_cmpstr (vouch_device_get_txt (device)[0], ==, "txtvers=1");
    }

  /* Enrolling makes the agent re-announce: the same object changes, the
   * list does not. */
  agent = g_ptr_array_index (agents, 3);
  device = vouch_discovery_lookup (discovery, agent->device_id);
  g_signal_connect (discovery, "items-changed", G_CALLBACK (count_items_changed_cb), &changes);
  csr = test_request_csr (agent, NULL);
  leaf = test_ca_sign_csr (ca, csr);
  response = test_agent_install_chain (agent, leaf);
  g_assert_cmpuint (response->status, ==, 200);
  lookup.id = agent->device_id;
  g_assert_true (wait_for (device_enrolled, &lookup, WAIT_SECONDS));
  g_assert_true (vouch_discovery_lookup (discovery, agent->device_id) == device);
  g_assert_cmpstr (vouch_device_lookup_txt (device, "state"), ==, "enrolled");
  g_assert_cmpuint (changes, ==, 0);

  /* A stopped agent withdraws its service and leaves the list. */
  agent = g_ptr_array_index (agents, 7);
  stopped_id = g_strdup (agent->device_id);
  test_agent_stop (agent);
  lookup.id = stopped_id;
  g_assert_true (wait_for (device_gone, &lookup, WAIT_SECONDS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, N_AGENTS - 1);
  g_signal_handlers_disconnect_by_data (discovery, &changes);

  g_clear_pointer (&agents, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&discovery));
}

GSubprocess *
publish (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  return process;
}

static void
stop_process (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

static gboolean
named_device_present (gpointer data)
{
  Lookup *lookup = data;

  return vouch_discovery_lookup (lookup->discovery, lookup->id) != NULL;
}

static void
test_https_only (Fixture       *f,
                 gconstpointer  data)
{
  const char * const argv[] = { "avahi-publish", "-s", "Old camera", "_https._tcp", "8443", NULL };
  g_autoptr(VouchDiscovery) discovery = vouch_discovery_new (NULL);
  g_autoptr(GSubprocess) publisher = publish (argv);
  Lookup lookup = { discovery, "Old camera" };
  VouchDevice *device;

  vouch_discovery_start (discovery);
  g_assert_true (wait_for (named_device_present, &lookup, WAIT_SECONDS));

  device = vouch_discovery_lookup (discovery, "Old camera");
  g_assert_cmpint (vouch_device_get_kind (device), ==, VOUCH_DEVICE_KIND_HTTPS_ONLY);
  g_assert_cmpuint (vouch_device_get_port (device), ==, 8443);
  g_assert_true (g_str_has_prefix (vouch_device_get_id (device), "https:"));
  g_assert_true (g_str_has_suffix (vouch_device_get_id (device), ":8443"));
  g_assert_true (vouch_device_get_online (device));
  g_assert_nonnull (vouch_device_get_addresses (device));
  g_assert_nonnull (vouch_device_get_addresses (device)[0]);

  stop_process (publisher);
  g_assert_true (wait_for (device_gone, &lookup, WAIT_SECONDS));
  g_assert_finalize_object (g_steal_pointer (&discovery));
}

typedef struct
{
  VouchDiscovery *discovery;
  const char     *id;
  const char     *address;
  gboolean        present;
} AddressCheck;

static gboolean
address_is (gpointer data)
{
  AddressCheck *check = data;
  VouchDevice *device = vouch_discovery_lookup (check->discovery, check->id);

  return device != NULL && strv_contains (vouch_device_get_addresses (device), check->address) == check->present;
}

/* Every address of the host, IPv4 and IPv6, not only the one a resolver
 * picks; and a host that drops an address updates the same device. */
static void
test_dual_stack (Fixture       *f,
                 gconstpointer  data)
{
  const char * const v4_argv[] = { "avahi-publish", "-a", "-R", "dual.local", "127.0.0.77", NULL };
  const char * const v6_argv[] = { "avahi-publish", "-a", "-R", "dual.local", "fd00::77", NULL };
  const char * const service_argv[] = {
    "avahi-publish", "-s", "-H", "dual.local", "Dual stack", "_vouch._tcp", "9443", "txtvers=1", "id=dual-01",
    "state=new", NULL
  };
  g_autoptr(VouchDiscovery) discovery = vouch_discovery_new (NULL);
  g_autoptr(GSubprocess) v4 = publish (v4_argv);
  g_autoptr(GSubprocess) v6 = publish (v6_argv);
  g_autoptr(GSubprocess) service = publish (service_argv);
  AddressCheck has_v4 = { discovery, "dual-01", "127.0.0.77", TRUE };
  AddressCheck has_v6 = { discovery, "dual-01", "fd00::77", TRUE };
  AddressCheck lost_v6 = { discovery, "dual-01", "fd00::77", FALSE };
  Lookup lookup = { discovery, "dual-01" };
  VouchDevice *device;

  vouch_discovery_start (discovery);
  g_assert_true (wait_for (address_is, &has_v4, WAIT_SECONDS));
  g_assert_true (wait_for (address_is, &has_v6, WAIT_SECONDS));
  device = vouch_discovery_lookup (discovery, "dual-01");
  g_assert_cmpstr (vouch_device_get_host (device), ==, "dual.local");
  g_assert_cmpuint (vouch_device_get_port (device), ==, 9443);

  stop_process (v6);
  g_assert_true (wait_for (address_is, &lost_v6, WAIT_SECONDS));
  g_assert_true (vouch_discovery_lookup (discovery, "dual-01") == device);
  g_assert_true (strv_contains (vouch_device_get_addresses (device), "127.0.0.77"));

  stop_process (service);
  stop_process (v4);
  g_assert_true (wait_for (device_gone, &lookup, WAIT_SECONDS));
  g_assert_finalize_object (g_steal_pointer (&discovery));
}

/* The TXT record is whatever someone on the network sends. */
static void
test_hostile_txt (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *pad = g_strnfill (240, 'a');
  g_autofree char *pad_entry = g_strconcat ("pad=", pad, NULL);
  const char * const argv[] = {
    "avahi-publish", "-s", "Hostile", "_vouch._tcp", "9999",
    "txtvers=1", "id=../../etc/passwd", "\xff\xfe=broken", "bell=\a", "state=new",
    "model=Invoice\u202Efdp.exe",
    pad_entry, pad_entry, pad_entry, pad_entry, pad_entry, pad_entry, NULL
  };
  g_autoptr(VouchDiscovery) discovery = vouch_discovery_new (NULL);
  g_autoptr(GSubprocess) publisher = publish (argv);
  Lookup lookup = { discovery, "Hostile" };
  const char * const *txt;
  VouchDevice *device;
  gsize total = 0;

  vouch_discovery_start (discovery);
  g_assert_true (wait_for (named_device_present, &lookup, WAIT_SECONDS));

  device = vouch_discovery_lookup (discovery, "Hostile");
  g_assert_true (g_str_has_prefix (vouch_device_get_id (device), "Hostile@"));
  txt = vouch_device_get_txt (device);
  for (guint i = 0; txt[i] != NULL; i++)
    {
      g_assert_true (g_utf8_validate (txt[i], -1, NULL));
      g_assert_null (strchr (txt[i], '\a'));
      total += strlen (txt[i]) + 1;
    }
  g_assert_cmpuint (total, <=, 1024);
  g_assert_cmpstr (vouch_device_lookup_txt (device, "txtvers"), ==, "1");
  g_assert_cmpstr (vouch_device_lookup_txt (device, "state"), ==, "new");
  /* Control and bidi characters reach no one: each shows as a mark. */
  g_assert_cmpstr (vouch_device_lookup_txt (device, "bell"), ==, "\uFFFD");
  g_assert_cmpstr (vouch_device_get_model (device), ==, "Invoice\uFFFDfdp.exe");

  stop_process (publisher);
  g_assert_true (wait_for (device_gone, &lookup, WAIT_SECONDS));
  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_manual (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(VouchDiscovery) discovery = vouch_discovery_new (f->inventory);
  g_autoptr(VouchDevice) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_host = g_strnfill (400, 'h');
  const char *bad[] = {
    "", "printer.local", "printer.local:0", "printer.local:70000", "printer.local:-1",
    "bad host:443", "[::1:443", "printer..local:443", "\xff:443", "-x:443", long_host, ":443",
  };
  VouchDevice *device;
  VouchDevice *again;

  device = vouch_discovery_add_manual (discovery, "printer.example:8443", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vouch_device_get_id (device), ==, "manual:printer.example:8443");
  g_assert_cmpstr (vouch_device_get_host (device), ==, "printer.example");
  g_assert_cmpuint (vouch_device_get_port (device), ==, 8443);
  g_assert_true (vouch_device_get_manual (device));
  g_assert_false (vouch_device_get_online (device));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, 1);

  again = vouch_discovery_add_manual (discovery, "printer.example:8443", &error);
  g_assert_no_error (error);
  g_assert_true (again == device);

  device = vouch_discovery_add_manual (discovery, "[fd00::5]:443", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vouch_device_get_id (device), ==, "manual:[fd00::5]:443");
  g_assert_cmpstr (vouch_device_get_addresses (device)[0], ==, "fd00::5");

  device = vouch_discovery_add_manual (discovery, "192.168.7.20:443", &error);
  g_assert_no_error (error);
  g_assert_true (vouch_discovery_lookup (discovery, "192.168.7.20") == device);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) parse_error = NULL;

      g_assert_null (vouch_discovery_add_manual (discovery, bad[i], &error));
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
      g_assert_nonnull (error->message);
      /* A form checks with the same words before it adds anything. */
      g_assert_false (vouch_discovery_parse_address (bad[i], NULL, NULL, &parse_error));
      g_assert_cmpstr (parse_error->message, ==, error->message);
      g_clear_error (&error);
    }
  {
    g_autofree char *host = NULL;
    guint16 port = 0;

    g_assert_true (vouch_discovery_parse_address ("[fd00::7]:8443", &host, &port, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (host, ==, "fd00::7");
    g_assert_cmpuint (port, ==, 8443);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, 3);

  saved = vouch_inventory_lookup_device (f->inventory, "manual:printer.example:8443", &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_true (vouch_device_get_manual (saved));

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_inventory (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(VouchDiscovery) discovery = NULL;
  g_autoptr(VouchDevice) garage = vouch_device_new ("garage-door-01", VOUCH_DEVICE_KIND_VOUCH);
  g_autoptr(VouchDevice) record = NULL;
  g_autoptr(TestAgent) known_agent = start_agent (f, 101, "Known device");
  g_autoptr(TestAgent) new_agent = start_agent (f, 102, "New device");
  g_autoptr(VouchDevice) known_record = vouch_device_new (known_agent->device_id, VOUCH_DEVICE_KIND_VOUCH);
  g_autoptr(GError) error = NULL;
  Lookup lookup;
  VouchDevice *device;
  VouchDevice *known;

  vouch_device_set_name (garage, "Garage door");
  g_assert_true (vouch_inventory_save_device (f->inventory, garage, &error));
  g_assert_no_error (error);
  vouch_device_set_name (known_record, "Known device");
  g_assert_true (vouch_inventory_save_device (f->inventory, known_record, &error));
  g_assert_no_error (error);

  /* Known devices are listed, offline, before anything answers. */
  discovery = vouch_discovery_new (f->inventory);
  vouch_discovery_start (discovery);
  device = vouch_discovery_lookup (discovery, "garage-door-01");
  g_assert_nonnull (device);
  g_assert_false (vouch_device_get_online (device));
  g_assert_cmpstr (vouch_device_get_name (device), ==, "Garage door");
  known = vouch_discovery_lookup (discovery, known_agent->device_id);
  g_assert_nonnull (known);
  g_assert_false (vouch_device_get_online (known));

  /* Seen: the same object comes online; a new device is remembered. */
  lookup = (Lookup) { discovery, known_agent->device_id };
  g_assert_true (wait_for (device_online, &lookup, WAIT_SECONDS));
  g_assert_true (vouch_discovery_lookup (discovery, known_agent->device_id) == known);
  g_assert_true (agent_matches (known, known_agent));
  lookup = (Lookup) { discovery, new_agent->device_id };
  g_assert_true (wait_for (device_online, &lookup, WAIT_SECONDS));
  record = vouch_inventory_lookup_device (f->inventory, new_agent->device_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpuint (vouch_device_get_port (record), ==, new_agent->port);

  /* Gone: the known device stays listed offline, the passer-by leaves. */
  test_agent_stop (known_agent);
  test_agent_stop (new_agent);
  lookup = (Lookup) { discovery, known_agent->device_id };
  g_assert_true (wait_for (device_offline, &lookup, WAIT_SECONDS));
  lookup = (Lookup) { discovery, new_agent->device_id };
  g_assert_true (wait_for (device_gone, &lookup, WAIT_SECONDS));
  g_assert_nonnull (vouch_discovery_lookup (discovery, "garage-door-01"));

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static gboolean
status_is (gpointer data)
{
  gpointer *args = data;

  return (int)vouch_discovery_get_status (args[0]) == GPOINTER_TO_INT (args[1]);
}

static gboolean
run_quietly (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               NULL);
  return process != NULL && g_subprocess_wait_check (process, NULL, NULL);
}

static void
test_daemon_restart (Fixture       *f,
                     gconstpointer  data)
{
  const char * const stop_argv[] = { "avahi-daemon", "-k", NULL };
  const char * const start_argv[] = {
    "avahi-daemon", "-f", g_getenv ("VOUCH_AVAHI_CONF"), "--no-drop-root", "--no-chroot", "--no-rlimits",
    "-D", NULL
  };
  g_autoptr(VouchDiscovery) discovery = vouch_discovery_new (NULL);
  g_autoptr(TestAgent) agent = start_agent (f, 130, "Restart device");
  gpointer missing[] = { discovery, GINT_TO_POINTER (VOUCH_DISCOVERY_STATUS_DAEMON_MISSING) };
  gpointer running[] = { discovery, GINT_TO_POINTER (VOUCH_DISCOVERY_STATUS_RUNNING) };
  Lookup lookup = { discovery, agent->device_id };
  gboolean started = FALSE;

  g_assert_nonnull (g_getenv ("VOUCH_AVAHI_CONF"));
  vouch_discovery_start (discovery);
  g_assert_true (wait_for (device_online, &lookup, WAIT_SECONDS));

  g_assert_true (run_quietly (stop_argv));
  g_assert_true (wait_for (status_is, missing, WAIT_SECONDS));
  g_assert_nonnull (strstr (vouch_discovery_get_status_message (discovery), "avahi-daemon"));
  g_assert_true (wait_for (device_gone, &lookup, WAIT_SECONDS));

  /* The old daemon may take a moment to let go of its pid file. */
  for (guint attempt = 0; attempt < 50 && !started; attempt++)
    {
      started = run_quietly (start_argv);
      if (!started)
        wait_for (status_is, running, 1);
    }
  g_assert_true (started);
  g_assert_true (wait_for (status_is, running, WAIT_SECONDS));
  g_assert_true (wait_for (device_online, &lookup, WAIT_SECONDS));
  g_assert_true (agent_matches (vouch_discovery_lookup (discovery, agent->device_id), agent));

  test_agent_stop (agent);
  g_assert_finalize_object (g_steal_pointer (&discovery));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();

  g_test_add ("/discovery/agents", Fixture, NULL, fixture_setup, test_agents, fixture_teardown);
  g_test_add ("/discovery/https-only", Fixture, NULL, fixture_setup, test_https_only, fixture_teardown);
  g_test_add ("/discovery/dual-stack", Fixture, NULL, fixture_setup, test_dual_stack, fixture_teardown);
  g_test_add ("/discovery/hostile-txt", Fixture, NULL, fixture_setup, test_hostile_txt, fixture_teardown);
  g_test_add ("/discovery/manual", Fixture, NULL, fixture_setup, test_manual, fixture_teardown);
  g_test_add ("/discovery/inventory", Fixture, NULL, fixture_setup, test_inventory, fixture_teardown);
  g_test_add ("/discovery/vouchctl", Fixture, NULL, fixture_setup, test_vouchctl, fixture_teardown);
  g_test_add ("/discovery/vouchctl-watch", Fixture, NULL, fixture_setup, test_vouchctl_watch, fixture_teardown);
  g_test_add_func ("/discovery/guess", test_guess);
  g_test_add ("/discovery/common-types", Fixture, NULL, fixture_setup, test_common_types, fixture_teardown);
  g_test_add ("/discovery/redfish-ssdp", Fixture, NULL, fixture_setup, test_redfish_ssdp, fixture_teardown);
  /* Last: it stops and restarts the namespace's avahi-daemon. */
  g_test_add ("/discovery/daemon-restart", Fixture, NULL, fixture_setup, test_daemon_restart,
              fixture_teardown);

  return g_test_run ();
}
