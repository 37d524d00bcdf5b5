/* bench-discovery.c: how long from a device announcing to Vouch listing it
 *
 * Runs inside tools/private-lan (with avahi).  Starts N vouch-agent
 * processes at once and, for each, takes the time it prints "port: N"
 * (right after which it hands its records to avahi-daemon) as the
 * announcement.  It then notes when the device appears in VouchDiscovery's
 * model and, as the peer, when `avahi-browse -rpk _vouch._tcp` (kept
 * running, in the same run) prints it resolved.  mDNS probing takes about
 * 0.75 s by design before any browser can see a new name.
 *
 * Prints a Markdown table and, with --out, writes it to a file.  Timing
 * never fails the run; only a device that never appears does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-discovery.h"
#include "vouch-test-util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT_SECONDS 3.0
#define WAIT_SECONDS 60

typedef struct
{
  char             *name;
  GSubprocess      *process;
  GDataInputStream *out;
  gint64            spawned;
  gint64            announced;
  gint64            in_model;
  gint64            in_browse;
  struct _Bench    *bench;
} Agent;

typedef struct _Bench
{
  GPtrArray        *agents;
  GHashTable       *by_name;
  GDataInputStream *browse_out;
  guint             pending;
} Bench;

static int opt_agents = 50;
static char *opt_out;

static const GOptionEntry entries[] = {
  { "agents", 'n', 0, G_OPTION_ARG_INT, &opt_agents, "How many agents to start (default 50)", "N" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Also write the Markdown table to FILE", "FILE" },
  { NULL }
};

static void
agent_free (Agent *agent)
{
  if (agent->process != NULL)
    {
      g_subprocess_force_exit (agent->process);
      g_subprocess_wait (agent->process, NULL, NULL);
    }
  g_clear_object (&agent->out);
  g_clear_object (&agent->process);
  g_free (agent->name);
  g_free (agent);
}

static void
count_done (Bench *bench,
            Agent *agent)
{
  if (agent->in_model != 0 && agent->in_browse != 0 && agent->announced != 0)
    bench->pending--;
}

static void
port_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Agent *agent = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                                     NULL, NULL);

  if (line == NULL || !g_str_has_prefix (line, "port: "))
    g_error ("Agent “%s” did not start", agent->name);
  agent->announced = g_get_monotonic_time ();
  count_done (agent->bench, agent);
}

static void
browse_line_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Bench *bench = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                                     NULL, NULL);
  g_auto(GStrv) fields = NULL;

  if (line == NULL)
    return;

  fields = g_strsplit (line, ";", 5);
  if (g_strv_length (fields) >= 4 && g_str_equal (fields[0], "="))
    {
      g_autofree char *name = vouch_test_avahi_unescape (fields[3]);
      Agent *agent = g_hash_table_lookup (bench->by_name, name);

      if (agent != NULL && agent->in_browse == 0)
        {
          agent->in_browse = g_get_monotonic_time ();
          count_done (bench, agent);
        }
    }

  g_data_input_stream_read_line_async (bench->browse_out, G_PRIORITY_DEFAULT, NULL, browse_line_cb, bench);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Bench      *bench)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);
      Agent *agent = g_hash_table_lookup (bench->by_name, vouch_device_get_name (device));

      if (agent != NULL && agent->in_model == 0)
        {
          agent->in_model = g_get_monotonic_time ();
          count_done (bench, agent);
        }
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y;
}

/* min, median, p95, max of the intervals from @from to @to, in seconds. */
static void
summarize (GPtrArray *agents,
           gsize      from,
           gsize      to,
           double     stats[4],
           guint     *over_limit)
{
  g_autofree double *values = g_new (double, agents->len);
  guint n = agents->len;

  *over_limit = 0;
  for (guint i = 0; i < n; i++)
    {
      Agent *agent = g_ptr_array_index (agents, i);
      gint64 start = G_STRUCT_MEMBER (gint64, agent, from);
      gint64 end = G_STRUCT_MEMBER (gint64, agent, to);

      values[i] = (double)(end - start) / G_USEC_PER_SEC;
      if (values[i] > LIMIT_SECONDS)
        (*over_limit)++;
    }
  qsort (values, n, sizeof (double), compare_doubles);

  stats[0] = values[0];
  stats[1] = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  stats[2] = values[MIN (n - 1, (guint)(0.95 * n + 0.999) - 1)];
  stats[3] = values[n - 1];
}

static void
append_row (GString    *table,
            const char *label,
            GPtrArray  *agents,
            gsize       from,
            gsize       to)
{
  double stats[4];
  guint over;

  summarize (agents, from, to, stats, &over);
  g_string_append_printf (table, "| %s | %.3f | %.3f | %.3f | %.3f | %u of %u |\n", label, stats[0], stats[1],
                          stats[2], stats[3], agents->len - over, agents->len);
}

static gboolean
wake_cb (gpointer user_data)
{
  guint *id = user_data;

  *id = 0;
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— discovery latency benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchDiscovery) discovery = NULL;
  g_autoptr(GSubprocess) browse = NULL;
  g_autoptr(GString) table = g_string_new (NULL);
  g_autofree char *tmpdir = NULL;
  const char *browse_argv[] = { "avahi-browse", "--resolve", "--parsable", "--no-db-lookup", "_vouch._tcp", NULL };
  const char *agent_path = g_getenv ("VOUCH_AGENT");
  Bench bench = { 0 };
  gint64 deadline;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-discovery: %s\n", error->message);
      return 2;
    }
  if (g_strcmp0 (g_getenv ("VOUCH_PRIVATE_LAN"), "1") != 0 || agent_path == NULL)
    {
      g_printerr ("Run this benchmark through tools/private-lan with VOUCH_AGENT set (meson does).\n");
      return 1;
    }
  if (opt_agents < 1 || opt_agents > 200)
    {
      g_printerr ("bench-discovery: --agents must be between 1 and 200\n");
      return 2;
    }

  tmpdir = g_dir_make_tmp ("bench-discovery-XXXXXX", &error);
  g_assert_no_error (error);

  bench.agents = g_ptr_array_new_with_free_func ((GDestroyNotify)agent_free);
  bench.by_name = g_hash_table_new (g_str_hash, g_str_equal);
  bench.pending = opt_agents;

  discovery = vouch_discovery_new (NULL);
  g_signal_connect (discovery, "items-changed", G_CALLBACK (items_changed_cb), &bench);
  vouch_discovery_start (discovery);

  browse = g_subprocess_newv (browse_argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error);
  g_assert_no_error (error);
  bench.browse_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (browse));
  g_data_input_stream_read_line_async (bench.browse_out, G_PRIORITY_DEFAULT, NULL, browse_line_cb, &bench);

  /* Let both browsers settle before the first device speaks. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      guint id = g_timeout_add (50, wake_cb, &id);

      g_main_context_iteration (NULL, TRUE);
      g_clear_handle_id (&id, g_source_remove);
    }

  for (int i = 0; i < opt_agents; i++)
    {
      Agent *agent = g_new0 (Agent, 1);
      g_autofree char *state_dir = g_strdup_printf ("%s/agent-%d", tmpdir, i);
      g_autofree char *address = g_strdup_printf ("127.0.%d.%d", 1 + i / 200, 10 + i % 200);
      const char *agent_argv[] = {
        agent_path, "--state-dir", state_dir, "--address", address, "--port", "0",
        "--admin-token", "bench-admin-token-0123456789", "--name", NULL, NULL
      };

      agent->bench = &bench;
      agent->name = g_strdup_printf ("Bench %03d", i);
      agent_argv[10] = agent->name;
      agent->spawned = g_get_monotonic_time ();
      agent->process = g_subprocess_newv (agent_argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                      | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      g_assert_no_error (error);
      agent->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (agent->process));
      g_data_input_stream_read_line_async (agent->out, G_PRIORITY_HIGH, NULL, port_line_cb, agent);
      g_ptr_array_add (bench.agents, agent);
      g_hash_table_insert (bench.by_name, agent->name, agent);
    }

  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (bench.pending > 0 && g_get_monotonic_time () < deadline)
    {
      guint id = g_timeout_add (100, wake_cb, &id);

      g_main_context_iteration (NULL, TRUE);
      g_clear_handle_id (&id, g_source_remove);
    }

  if (bench.pending > 0)
    {
      g_printerr ("bench-discovery: %u of %d devices never appeared within %d s\n", bench.pending, opt_agents,
                  WAIT_SECONDS);
      return 1;
    }

  g_string_append_printf (table, "%d vouch-agent processes started at once in a private network namespace "
                          "(loopback, private avahi-daemon). Seconds; limit %.0f s. \"Announce\" is the "
                          "agent printing its port, just before it registers its records with avahi-daemon; "
                          "every interval includes mDNS probing (about 0.75 s by design). Both browsers run "
                          "side by side in the same run.\n\n",
                          opt_agents, LIMIT_SECONDS);
  g_string_append (table, "| Interval | min | median | p95 | max | within limit |\n");
  g_string_append (table, "|---|---:|---:|---:|---:|---:|\n");
  append_row (table, "Announce -> VouchDiscovery model", bench.agents, G_STRUCT_OFFSET (Agent, announced),
              G_STRUCT_OFFSET (Agent, in_model));
  append_row (table, "Announce -> `avahi-browse -rpk` (peer)", bench.agents, G_STRUCT_OFFSET (Agent, announced),
              G_STRUCT_OFFSET (Agent, in_browse));
  append_row (table, "Process start -> VouchDiscovery model", bench.agents, G_STRUCT_OFFSET (Agent, spawned),
              G_STRUCT_OFFSET (Agent, in_model));
  g_print ("%s", table->str);

  if (opt_out != NULL && !g_file_set_contents (opt_out, table->str, -1, &error))
    {
      g_printerr ("bench-discovery: %s\n", error->message);
      return 1;
    }

  g_signal_handlers_disconnect_by_data (discovery, &bench);
  g_subprocess_force_exit (browse);
  g_subprocess_wait (browse, NULL, NULL);
  g_clear_object (&bench.browse_out);
  g_clear_pointer (&bench.agents, g_ptr_array_unref);
  g_clear_pointer (&bench.by_name, g_hash_table_unref);
  g_clear_pointer (&opt_out, g_free);

  {
    const char *rm_argv[] = { "rm", "-rf", tmpdir, NULL };
    g_autoptr(GSubprocess) rm = g_subprocess_newv (rm_argv, G_SUBPROCESS_FLAGS_NONE, NULL);

    if (rm != NULL)
      g_subprocess_wait (rm, NULL, NULL);
  }

  return 0;
}
