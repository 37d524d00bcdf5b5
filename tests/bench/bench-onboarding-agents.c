/* bench-onboarding-agents.c: the vouch-agents a run starts and stops,
 * and what they and this process cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-onboarding.h"

/* Counted from emission hooks, so Vouch's code needs no instrumentation.
 * Every handshake Vouch makes emits ::accept-certificate, because its
 * device client trusts no CA and checks pins there. Hooks may run in
 * glib-networking's handshake threads. */
static int n_handshakes;
static int n_connections;

static gboolean
handshake_hook_cb (GSignalInvocationHint *hint,
                   guint                  n_params,
                   const GValue          *params,
                   gpointer               user_data)
{
  g_atomic_int_inc (&n_handshakes);
  return TRUE;
}

static gboolean
connection_hook_cb (GSignalInvocationHint *hint,
                    guint                  n_params,
                    const GValue          *params,
                    gpointer               user_data)
{
  if (n_params >= 2 && g_value_get_enum (&params[1]) == G_SOCKET_CLIENT_CONNECTED)
    g_atomic_int_inc (&n_connections);
  return TRUE;
}

void
install_hooks (void)
{
  G_GNUC_UNUSED g_autoptr(GTypeClass) tls_class = g_type_class_ref (G_TYPE_TLS_CONNECTION);
  G_GNUC_UNUSED g_autoptr(GTypeClass) client_class = g_type_class_ref (G_TYPE_SOCKET_CLIENT);

  g_signal_add_emission_hook (g_signal_lookup ("accept-certificate", G_TYPE_TLS_CONNECTION), 0,
                              handshake_hook_cb, NULL, NULL);
  g_signal_add_emission_hook (g_signal_lookup ("event", G_TYPE_SOCKET_CLIENT), 0,
                              connection_hook_cb, NULL, NULL);
}

static guint
take_count (int *counter)
{
  int value = g_atomic_int_get (counter);

  g_atomic_int_add (counter, -value);
  return (guint)value;
}

void
take_counts (guint *handshakes,
             guint *connections)
{
  *handshakes = take_count (&n_handshakes);
  *connections = take_count (&n_connections);
}

double
self_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double
children_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

double
now_seconds (void)
{
  return (double)g_get_monotonic_time () / G_USEC_PER_SEC;
}

/* utime + stime of another process, in clock ticks; 0 once it is gone. */
guint64
process_ticks (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (pid <= 0 || !g_file_get_contents (path, &stat, NULL, NULL))
    return 0;

  /* The command name may hold spaces; the fields after it do not. */
  after = strrchr (stat, ')');
  if (after == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", 16);
  if (g_strv_length (fields) < 13)
    return 0;

  /* utime and stime are fields 14 and 15 of the whole line. */
  return g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
}

int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y;
}

double
ticks_to_ms (guint64 ticks)
{
  return ticks * 1e3 / sysconf (_SC_CLK_TCK);
}

/* A field of /proc/PID/status in kiB, or -1. */
long
status_kib (const char *pid,
            const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  line = strstr (text, field);
  if (line == NULL)
    return -1;
  return strtol (line + strlen (field), NULL, 10);
}

void
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");

  /* "5" resets VmHWM to the current RSS (Linux 4.0 and later), so each
   * size reports its own peak rather than the largest so far. The file
   * must be written in place, which g_file_set_contents() never does. */
  if (file == NULL || fputs ("5", file) < 0 || fclose (file) != 0)
    g_printerr ("bench-onboarding: cannot reset VmHWM; peaks are cumulative\n");
}

void
raise_fd_limit (void)
{
  struct rlimit limit;

  /* Each agent holds a pipe to us, and Vouch holds up to two
   * connections per device being onboarded. */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_printerr ("bench-onboarding: cannot raise RLIMIT_NOFILE: %s\n", g_strerror (errno));
    }
}

static gboolean
wake_cb (gpointer user_data)
{
  guint *id = user_data;

  *id = 0;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *@count is 0 or the deadline; TRUE if it is 0. */
gboolean
iterate_until_zero (const guint *count,
                    double       seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);

  while (*count > 0 && g_get_monotonic_time () < deadline)
    {
      guint id = g_timeout_add (100, wake_cb, &id);

      g_main_context_iteration (NULL, TRUE);
      g_clear_handle_id (&id, g_source_remove);
    }

  return *count == 0;
}

void
agent_free (Agent *agent)
{
  if (agent->process != NULL)
    {
      g_subprocess_force_exit (agent->process);
      g_subprocess_wait (agent->process, NULL, NULL);
    }
  g_clear_object (&agent->out);
  g_clear_object (&agent->process);
  g_clear_object (&agent->device);
  g_free (agent->state_dir);
  g_free (agent->address);
  g_free (agent->name);
  g_free (agent->host_name);
  g_free (agent->setup_code);
  g_free (agent->device_id);
  g_free (agent);
}

static void
print_agent_log (Agent *agent)
{
  g_autofree char *path = g_build_filename (agent->state_dir, "agent.log", NULL);
  g_autofree char *log = NULL;

  if (g_file_get_contents (path, &log, NULL, NULL))
    g_printerr ("--- %s (%s) ---\n%s\n", agent->name, agent->address, log);
}

typedef struct
{
  Agent *agent;
  guint *pending;
} PortWait;

static void
port_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PortWait *wait = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                                     NULL, NULL);

  if (line != NULL && g_str_has_prefix (line, "port: "))
    wait->agent->port = (guint)g_ascii_strtoull (line + strlen ("port: "), NULL, 10);
  wait->agent->answered = TRUE;
  (*wait->pending)--;
  g_free (wait);
}

Agent *
spawn_agent (const char  *dir,
             const char  *name,
             const char  *address,
             gboolean     mdns,
             guint       *pending,
             GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *log = NULL;
  g_autofree char *label = g_ascii_strdown (name, -1);
  const char *argv[16];
  Agent *agent = g_new0 (Agent, 1);
  PortWait *wait;
  guint n = 0;

  for (char *p = label; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      *p = '-';

  agent->name = g_strdup (name);
  agent->address = g_strdup (address);
  agent->host_name = g_strconcat (label, ".local", NULL);
  agent->state_dir = g_build_filename (dir, label, NULL);
  if (g_mkdir_with_parents (agent->state_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "mkdir %s: %s",
                   agent->state_dir, g_strerror (errno));
      agent_free (agent);
      return NULL;
    }

  /* The agent's log goes to a file, read only when it fails. */
  log = g_build_filename (agent->state_dir, "agent.log", NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);

  argv[n++] = g_getenv ("VOUCH_AGENT");
  argv[n++] = "--state-dir";
  argv[n++] = agent->state_dir;
  argv[n++] = "--address";
  argv[n++] = agent->address;
  argv[n++] = "--name";
  argv[n++] = agent->name;
  argv[n++] = "--hostname";
  argv[n++] = agent->host_name;
  argv[n++] = "--admin-token";
  argv[n++] = ADMIN_TOKEN;
  if (!mdns)
    argv[n++] = "--no-mdns";
  argv[n] = NULL;

  agent->process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (agent->process == NULL)
    {
      agent_free (agent);
      return NULL;
    }
  agent->pid = atoi (g_subprocess_get_identifier (agent->process));
  agent->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (agent->process));

  wait = g_new0 (PortWait, 1);
  wait->agent = agent;
  wait->pending = pending;
  g_data_input_stream_read_line_async (agent->out, G_PRIORITY_DEFAULT, NULL, port_line_cb, wait);
  return agent;
}

/* The agent writes its setup code and device id before it prints its
 * port, so both are there once it answered. */
gboolean
agent_read_identity (Agent   *agent,
                     GError **error)
{
  g_autofree char *code_path = g_build_filename (agent->state_dir, "setup-code", NULL);
  g_autofree char *id_path = g_build_filename (agent->state_dir, "device-id", NULL);
  g_autofree char *code = NULL;
  g_auto(GStrv) lines = NULL;

  if (agent->port == 0)
    {
      print_agent_log (agent);
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE, "%s did not start", agent->name);
      return FALSE;
    }

  if (!g_file_get_contents (code_path, &code, NULL, error) ||
      !g_file_get_contents (id_path, &agent->device_id, NULL, error))
    return FALSE;

  lines = g_strsplit (code, "\n", 2);
  agent->setup_code = g_strdup (lines[0]);
  g_strstrip (agent->device_id);
  return TRUE;
}

/* Starts agents in batches: all at once would have every one of them
 * generate keys and probe for its mDNS name at the same moment, which
 * only measures the machine's overload. */
gboolean
start_agents (Bench   *bench,
              guint    n,
              GError **error)
{
  for (guint first = 0; first < n; first += (guint)bench->batch)
    {
      guint last = MIN (n, first + (guint)bench->batch);
      guint pending = 0;

      for (guint i = first; i < last; i++)
        {
          g_autofree char *name = g_strdup_printf ("B%u-%03u", n, i);
          g_autofree char *address = g_strdup_printf ("127.0.%u.%u", 1 + i / 250, 1 + i % 250);
          Agent *agent = spawn_agent (bench->tmpdir, name, address, TRUE, &pending, error);

          if (agent == NULL)
            return FALSE;
          pending++;
          g_ptr_array_add (bench->agents, agent);
        }

      if (!iterate_until_zero (&pending, 60))
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE,
                       "%u agents did not start within 60 s", pending);
          return FALSE;
        }

      for (guint i = first; i < last; i++)
        {
          Agent *agent = g_ptr_array_index (bench->agents, i);

          if (!agent_read_identity (agent, error))
            return FALSE;
          g_hash_table_insert (bench->by_id, agent->device_id, agent);
        }
    }

  return TRUE;
}

static void
agent_stopped_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  guint *pending = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  (*pending)--;
}

/* SIGTERM to all at once and a bounded wait; stragglers are killed.
 * Returns how many did not exit cleanly. */
guint
stop_agents (GPtrArray *agents)
{
  guint pending = 0;
  guint unclean = 0;

  for (guint i = 0; i < agents->len; i++)
    {
      Agent *agent = g_ptr_array_index (agents, i);

      if (agent->process == NULL)
        continue;
      g_subprocess_send_signal (agent->process, SIGTERM);
      g_subprocess_wait_async (agent->process, NULL, agent_stopped_cb, &pending);
      pending++;
    }

  if (!iterate_until_zero (&pending, STOP_TIMEOUT_SECONDS))
    {
      for (guint i = 0; i < agents->len; i++)
        {
          Agent *agent = g_ptr_array_index (agents, i);

          if (agent->process != NULL)
            g_subprocess_force_exit (agent->process);
        }
      /* SIGKILL cannot be ignored, so the callbacks, which point at
       * @pending, all come before this returns. */
      while (pending > 0)
        g_main_context_iteration (NULL, TRUE);
    }

  for (guint i = 0; i < agents->len; i++)
    {
      Agent *agent = g_ptr_array_index (agents, i);

      if (agent->process == NULL)
        continue;
      if (!g_subprocess_get_if_exited (agent->process) || g_subprocess_get_exit_status (agent->process) != 0)
        unclean++;
      g_clear_object (&agent->process);
    }

  return unclean;
}
