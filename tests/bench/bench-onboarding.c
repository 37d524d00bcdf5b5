/* bench-onboarding.c: onboarding 50 and 200 devices at once, next to the
 * least any client must spend per device
 *
 * Runs inside tools/private-lan (with avahi) and under
 * tests/run-with-keyring.sh, as meson does. For each size N it starts N
 * vouch-agent processes that announce themselves over mDNS, waits until
 * they are all visible, and then times what a user of Vouch would wait
 * for: a VouchDiscovery listing all N, verifying each against its setup
 * code (8 at a time) and storing its admin secret, and one
 * VouchBulkOnboarding run. It reports the wall time of each phase, the
 * CPU time of this process (Vouch; the agents are other processes) per
 * device, the agents' and helper daemons' CPU separately, and Vouch's
 * peak RSS.
 *
 * The per-device minimum is measured in the same run against one agent:
 * as many TLS handshakes as Vouch was seen to make per device (plain
 * GnuTLS, and GIO as libsoup uses it), plus generating the device's
 * P-256 key (in-process, as a proxy for the device's cost).
 *
 * To profile, run it under `perf record -k CLOCK_MONOTONIC`: it prints
 * the timed phases' bounds on stderr, for `perf report --time`.
 *
 * This is a benchmark: it prints numbers and PASS/MISS against the
 * issue's targets but exits 0 on a miss. It fails only when something
 * errors, for instance a device that is never found or not onboarded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-onboarding.h"

static char *opt_sizes;
static char **opt_counts;
static int opt_handshakes = 200;
static int opt_keys = 200;
static int opt_batch = 25;
static int opt_verify_concurrency = 8;
static int opt_concurrency = 16;
static char *opt_out;

static const GOptionEntry entries[] = {
  { "sizes", 's', 0, G_OPTION_ARG_STRING, &opt_sizes,
    "Comma-separated numbers of devices, one run each (default 50,200)", "N,N" },
  { "count", 'n', 0, G_OPTION_ARG_STRING_ARRAY, &opt_counts,
    "A number of devices; may be repeated", "N" },
  { "handshakes", 0, 0, G_OPTION_ARG_INT, &opt_handshakes,
    "TLS handshakes per baseline loop (default 200)", "N" },
  { "keys", 0, 0, G_OPTION_ARG_INT, &opt_keys,
    "P-256 keys to generate for the baseline (default 200)", "N" },
  { "batch", 0, 0, G_OPTION_ARG_INT, &opt_batch,
    "Agents started at once (default 25)", "N" },
  { "verify-concurrency", 0, 0, G_OPTION_ARG_INT, &opt_verify_concurrency,
    "Verifications at once (default 8)", "N" },
  { "concurrency", 'c', 0, G_OPTION_ARG_INT, &opt_concurrency,
    "Bulk onboarding concurrency (default 16)", "N" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
    "Also write the Markdown tables into FILE, between its markers", "FILE" },
  { NULL }
};

/* --- Onboarding N devices -------------------------------------------- */

typedef struct
{
  Bench *bench;
} Watch;

static void device_notify_cb (VouchDevice *device,
                              GParamSpec  *pspec,
                              Watch       *watch);

/* A device counts as found once Vouch could connect to it. */
static void
check_device (Watch       *watch,
              VouchDevice *device)
{
  Bench *bench = watch->bench;
  Agent *agent = g_hash_table_lookup (bench->by_id, vouch_device_get_id (device));
  const char * const *addresses;

  if (agent == NULL || agent->device != NULL)
    return;

  addresses = vouch_device_get_addresses (device);
  if (vouch_device_get_port (device) == 0 || addresses == NULL || addresses[0] == NULL)
    {
      g_signal_connect (device, "notify", G_CALLBACK (device_notify_cb), watch);
      return;
    }

  g_signal_handlers_disconnect_by_func (device, device_notify_cb, watch);
  agent->device = g_object_ref (device);
  bench->pending--;
}

static void
device_notify_cb (VouchDevice *device,
                  GParamSpec  *pspec,
                  Watch       *watch)
{
  check_device (watch, device);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);

      check_device (watch, device);
    }
}

/* Waits until a new VouchDiscovery lists every agent; the caller owns
 * the discovery, and each agent's device is set. */
static VouchDiscovery *
discover_all (Bench           *bench,
              VouchInventory  *inventory,
              double           timeout,
              GError         **error)
{
  g_autoptr(VouchDiscovery) discovery = vouch_discovery_new (inventory);
  Watch watch = { bench };
  GListModel *model = G_LIST_MODEL (discovery);

  bench->pending = bench->agents->len;
  for (guint i = 0; i < bench->agents->len; i++)
    g_clear_object (&((Agent *)g_ptr_array_index (bench->agents, i))->device);

  g_signal_connect (discovery, "items-changed", G_CALLBACK (items_changed_cb), &watch);
  vouch_discovery_start (discovery);
  items_changed_cb (model, 0, 0, g_list_model_get_n_items (model), &watch);
  iterate_until_zero (&bench->pending, timeout);

  g_signal_handlers_disconnect_by_func (discovery, items_changed_cb, &watch);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);

      g_signal_handlers_disconnect_by_func (device, device_notify_cb, &watch);
    }

  if (bench->pending > 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE,
                   "%u of %u devices were not discovered within %.0f s (discovery: %s)",
                   bench->pending, bench->agents->len, timeout,
                   vouch_discovery_get_status_message (discovery));
      return NULL;
    }

  return g_steal_pointer (&discovery);
}

typedef struct
{
  VouchOnboarding *onboarding;
  GPtrArray       *agents;
  guint            next;
  guint            running;
  guint            done;
  GError          *error;
} Verify;

typedef struct
{
  Verify *verify;
  Agent  *agent;
} VerifyCall;

static void verify_next (Verify *verify);

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree VerifyCall *call = user_data;
  Verify *verify = call->verify;
  g_autoptr(GError) error = NULL;

  verify->running--;
  verify->done++;

  /* The admin secret goes to the keyring right after the setup code
   * checks out, as `vouchctl verify --admin-token-stdin` does. */
  if (!vouch_onboarding_verify_finish (VOUCH_ONBOARDING (object), result, &error) ||
      !vouch_onboarding_set_admin_secret (verify->onboarding, call->agent->device, ADMIN_TOKEN, &error))
    {
      g_prefix_error (&error, "%s: ", call->agent->name);
      if (verify->error == NULL)
        verify->error = g_steal_pointer (&error);
    }

  verify_next (verify);
}

/* Starts verifications until the concurrency is used up. */
static void
verify_next (Verify *verify)
{
  while (verify->error == NULL && verify->running < (guint)opt_verify_concurrency &&
         verify->next < verify->agents->len)
    {
      VerifyCall *call = g_new0 (VerifyCall, 1);

      call->verify = verify;
      call->agent = g_ptr_array_index (verify->agents, verify->next++);
      verify->running++;
      vouch_onboarding_verify_async (verify->onboarding, call->agent->device, call->agent->setup_code,
                                     NULL, verified_cb, call);
    }
}

static void
bulk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
run_size (Bench   *bench,
          guint    n,
          GError **error)
{
  g_autofree char *authority_dir = g_strdup_printf ("%s/authority-%u", bench->tmpdir, n);
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchAuthority) authority = vouch_authority_new (authority_dir);
  g_autoptr(VouchOnboarding) onboarding = NULL;
  g_autoptr(VouchDiscovery) discovery = NULL;
  g_autoptr(GListStore) devices = g_list_store_new (VOUCH_TYPE_DEVICE);
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GAsyncResult) bulk_result = NULL;
  g_autoptr(GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));
  SizeResult size = { 0 };
  Verify verify = { 0 };
  double t0, children0;
  double t[4], cpu[4];
  guint64 helpers0;
  guint unclean;
  gboolean found;

  size.n = n;
  children0 = children_cpu_ms ();
  g_printerr ("bench-onboarding: %u devices\n", n);

  if (!vouch_name_constraints_add (nc, "127.0.0.0/8", error) ||
      !vouch_authority_create_root (authority, "Bench Onboarding", VOUCH_KEY_TYPE_ECDSA_P256, nc, NULL,
                                    error))
    return FALSE;
  onboarding = vouch_onboarding_new (authority);

  t0 = now_seconds ();
  if (!start_agents (bench, n, error))
    return FALSE;
  size.start_seconds = now_seconds () - t0;

  /* The devices are on the network before Vouch looks: a first browser
   * waits until every agent has probed for its name and is visible. */
  {
    g_autoptr(VouchDiscovery) warm = discover_all (bench, NULL, 120, error);

    if (warm == NULL)
      return FALSE;
  }
  size.visible_seconds = now_seconds () - t0;

  /* Let avahi-daemon and the agents go quiet before timing. */
  {
    guint never = 1;

    iterate_until_zero (&never, 1.0);
  }

  reset_peak_rss ();
  size.vm_rss_before_kib = status_kib ("self", "VmRSS:");
  for (guint i = 0; i < bench->agents->len; i++)
    {
      Agent *agent = g_ptr_array_index (bench->agents, i);

      agent->ticks = process_ticks (agent->pid);
    }
  helpers0 = process_ticks (bench->avahi_pid) + process_ticks (bench->keyring_pid);
  take_counts (&size.handshakes[0], &size.connections[0]);

  /* Timed from here: discovery, verification, bulk onboarding. */
  t[0] = now_seconds ();
  cpu[0] = self_cpu_ms ();
  discovery = discover_all (bench, vouch_authority_get_inventory (authority), 120, error);
  if (discovery == NULL)
    return FALSE;
  t[1] = now_seconds ();
  cpu[1] = self_cpu_ms ();
  take_counts (&size.handshakes[0], &size.connections[0]);

  verify.onboarding = onboarding;
  verify.agents = bench->agents;
  verify_next (&verify);
  found = iterate_until_zero (&verify.running, PHASE_TIMEOUT_SECONDS);
  if (verify.error != NULL || !found || verify.done < n)
    {
      if (verify.error != NULL)
        g_propagate_prefixed_error (error, g_steal_pointer (&verify.error), "Verification: ");
      else
        g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE,
                     "Verification did not finish within %d s", PHASE_TIMEOUT_SECONDS);
      iterate_until_zero (&verify.running, 60);
      return FALSE;
    }
  t[2] = now_seconds ();
  cpu[2] = self_cpu_ms ();
  take_counts (&size.handshakes[1], &size.connections[1]);

  for (guint i = 0; i < bench->agents->len; i++)
    g_list_store_append (devices, ((Agent *)g_ptr_array_index (bench->agents, i))->device);
  bulk = vouch_bulk_onboarding_new (onboarding, G_LIST_MODEL (devices), (guint)opt_concurrency);
  vouch_bulk_onboarding_run_async (bulk, NULL, bulk_done_cb, &bulk_result);
  while (bulk_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  t[3] = now_seconds ();
  cpu[3] = self_cpu_ms ();
  take_counts (&size.handshakes[2], &size.connections[2]);
  g_printerr ("bench-onboarding: %u devices: timed window %.6f,%.6f,%.6f,%.6f (CLOCK_MONOTONIC)\n", n,
              t[0], t[1], t[2], t[3]);

  if (!vouch_bulk_onboarding_run_finish (bulk, bulk_result, error))
    return FALSE;
  if (vouch_bulk_onboarding_get_failed (bulk) > 0)
    {
      for (guint i = 0; i < bench->agents->len; i++)
        {
          Agent *agent = g_ptr_array_index (bench->agents, i);
          const GError *failure = vouch_bulk_onboarding_get_error (bulk, agent->device);

          if (failure != NULL)
            g_printerr ("bench-onboarding: %s: %s\n", agent->name, failure->message);
        }
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE, "%u of %u devices failed",
                   vouch_bulk_onboarding_get_failed (bulk), n);
      return FALSE;
    }
  for (guint i = 0; i < bench->agents->len; i++)
    {
      Agent *agent = g_ptr_array_index (bench->agents, i);

      if (vouch_device_get_step (agent->device) != VOUCH_ONBOARDING_STEP_CONFIRMED)
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED, "%s ended at step %s",
                       agent->name, vouch_onboarding_step_to_string (vouch_device_get_step (agent->device)));
          return FALSE;
        }
    }

  for (guint i = 0; i < 3; i++)
    {
      size.wall[i] = t[i + 1] - t[i];
      size.cpu_ms[i] = cpu[i + 1] - cpu[i];
    }
  size.vm_hwm_kib = status_kib ("self", "VmHWM:");
  size.helpers_cpu_ms = ticks_to_ms (process_ticks (bench->avahi_pid) + process_ticks (bench->keyring_pid)
                                     - helpers0);
  for (guint i = 0; i < bench->agents->len; i++)
    {
      Agent *agent = g_ptr_array_index (bench->agents, i);
      g_autofree char *pid = g_strdup_printf ("%d", agent->pid);
      double mib = status_kib (pid, "VmRSS:") / 1024.0;

      size.agents_cpu_ms += ticks_to_ms (process_ticks (agent->pid) - agent->ticks);
      g_array_append_val (rss, mib);
      size.agents_rss_mib += mib;
    }
  g_array_sort (rss, compare_doubles);
  size.agent_rss_mib = g_array_index (rss, double, rss->len / 2);

  g_clear_object (&bulk);
  g_clear_object (&discovery);
  unclean = stop_agents (bench->agents);
  if (unclean > 0)
    g_printerr ("bench-onboarding: %u agents did not exit cleanly on SIGTERM\n", unclean);
  size.children_cpu_ms = children_cpu_ms () - children0;
  g_hash_table_remove_all (bench->by_id);
  g_ptr_array_set_size (bench->agents, 0);

  g_array_append_val (bench->results, size);
  return TRUE;
}

static gboolean
parse_sizes (const char  *text,
             GArray      *sizes,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 n;
      guint value;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 1, MAX_DEVICES, &n, error))
        return FALSE;
      value = (guint)n;
      g_array_append_val (sizes, value);
    }
  return TRUE;
}

static int
keyring_pid (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  guint32 pid = 0;

  if (bus == NULL)
    return 0;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(u)", &pid);
  return (int)pid;
}

static void
remove_tree (const char *dir)
{
  const char *argv[] = { "rm", "-rf", dir, NULL };
  g_autoptr(GSubprocess) rm = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, NULL);

  if (rm != NULL)
    g_subprocess_wait (rm, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— bulk onboarding benchmark");
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) table = NULL;
  g_autofree char *avahi_pid = NULL;
  g_autofree char *loadavg = NULL;
  Bench bench = { 0 };
  int status = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-onboarding: %s\n", error->message);
      return 2;
    }
  if (opt_sizes == NULL && opt_counts == NULL)
    opt_sizes = g_strdup ("50,200");
  if ((opt_sizes != NULL && !parse_sizes (opt_sizes, sizes, &error)))
    {
      g_printerr ("bench-onboarding: --sizes: %s\n", error->message);
      return 2;
    }
  for (guint i = 0; opt_counts != NULL && opt_counts[i] != NULL; i++)
    if (!parse_sizes (opt_counts[i], sizes, &error))
      {
        g_printerr ("bench-onboarding: --count: %s\n", error->message);
        return 2;
      }
  if (opt_handshakes < 1 || opt_keys < 1 || opt_batch < 1 || opt_verify_concurrency < 1 ||
      opt_concurrency < 1 || opt_concurrency > 64)
    {
      g_printerr ("bench-onboarding: counts must be positive, and --concurrency at most 64\n");
      return 2;
    }
  if (g_strcmp0 (g_getenv ("VOUCH_PRIVATE_LAN"), "1") != 0 || g_getenv ("VOUCH_AGENT") == NULL ||
      g_getenv ("VOUCH_AVAHI_CONF") == NULL)
    {
      g_printerr ("Run this benchmark through tools/private-lan (with avahi) and "
                  "tests/run-with-keyring.sh, with VOUCH_AGENT set (meson does).\n");
      return 1;
    }

  bench.batch = opt_batch;
  bench.verify_concurrency = opt_verify_concurrency;
  bench.concurrency = opt_concurrency;
  bench.handshakes = opt_handshakes;
  bench.keys = opt_keys;

  raise_fd_limit ();
  install_hooks ();

  loadavg = first_line_of ("/proc/loadavg", NULL);
  if (strlen (loadavg) > 14)
    loadavg[14] = '\0';
  bench.tmpdir = g_dir_make_tmp ("bench-onboarding-XXXXXX", &error);
  if (bench.tmpdir == NULL)
    {
      g_printerr ("bench-onboarding: %s\n", error->message);
      return 1;
    }
  bench.agents = g_ptr_array_new_with_free_func ((GDestroyNotify)agent_free);
  bench.by_id = g_hash_table_new (g_str_hash, g_str_equal);
  bench.results = g_array_new (FALSE, TRUE, sizeof (SizeResult));
  if (g_file_get_contents ("/run/avahi-daemon/pid", &avahi_pid, NULL, NULL))
    bench.avahi_pid = atoi (avahi_pid);
  bench.keyring_pid = keyring_pid ();

  if (!measure_minimum (&bench, &error))
    status = 1;
  for (guint i = 0; status == 0 && i < sizes->len; i++)
    if (!run_size (&bench, g_array_index (sizes, guint, i), &error))
      status = 1;

  if (stop_agents (bench.agents) > 0)
    g_printerr ("bench-onboarding: some agents did not exit cleanly on SIGTERM\n");

  if (status == 0)
    {
      table = format_results (&bench, loadavg);
      g_print ("%s", table->str);
      if (opt_out != NULL && !write_results (opt_out, table->str, &error))
        status = 1;
    }
  if (error != NULL)
    g_printerr ("bench-onboarding: %s\n", error->message);

  g_clear_pointer (&bench.agents, g_ptr_array_unref);
  g_clear_pointer (&bench.by_id, g_hash_table_unref);
  g_clear_pointer (&bench.results, g_array_unref);
  remove_tree (bench.tmpdir);
  g_free (bench.tmpdir);
  g_clear_pointer (&opt_sizes, g_free);
  g_clear_pointer (&opt_counts, g_strfreev);
  g_clear_pointer (&opt_out, g_free);

  return status;
}
