/* bench-agent-memory.c: what one more simulated device costs
 *
 * Starts N vouch-agent processes on 127.0.0.x inside tools/private-lan,
 * lets each serve one HTTPS request, and reads their memory from /proc:
 * VmRSS (counts shared libraries in full, per process) and Pss from
 * smaps_rollup (shares them out: the fair per-instance cost).  For scale
 * it measures N idle `openssl s_server` processes the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define SETTLE_USEC (G_USEC_PER_SEC / 2)
#define PORT_WAIT_ATTEMPTS 100

static int opt_count = 50;
static double opt_limit_mb = 8.0;
static gboolean opt_no_mdns;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Instances of each kind (default 50)", "N" },
  { "limit-mb", 0, 0, G_OPTION_ARG_DOUBLE, &opt_limit_mb,
    "Fail if an agent's mean PSS exceeds this many MiB (default 8)", "MB" },
  { "no-mdns", 0, 0, G_OPTION_ARG_NONE, &opt_no_mdns, "Start the agents without mDNS", NULL },
  { NULL }
};

typedef struct
{
  double rss_kb;
  double pss_kb;
} Memory;

static double
read_kb (const char *path,
         const char *field)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  line = strstr (contents, field);
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (field), NULL);
}

static Memory
measure (GPid pid)
{
  g_autofree char *status = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *rollup = g_strdup_printf ("/proc/%d/smaps_rollup", pid);
  Memory memory;

  memory.rss_kb = read_kb (status, "VmRSS:");
  memory.pss_kb = read_kb (rollup, "\nPss:");
  return memory;
}

static gboolean
accept_any_cb (SoupMessage          *msg,
               GTlsCertificate      *peer,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;
}

/* One request, so the measurement includes a TLS session's worth of
 * state, as a device that has been contacted would have. */
static gboolean
touch (SoupSession *session,
       const char  *address,
       guint        port,
       const char  *path)
{
  g_autofree char *uri = g_strdup_printf ("https://%s:%u%s", address, port, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  return body != NULL && soup_message_get_status (msg) == 200;
}

static GPid
subprocess_pid (GSubprocess *process)
{
  return (GPid)g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
}

static void
report (const char *label,
        GArray     *samples)
{
  double rss = 0, pss = 0, max_rss = 0;

  for (guint i = 0; i < samples->len; i++)
    {
      Memory *m = &g_array_index (samples, Memory, i);

      rss += m->rss_kb;
      pss += m->pss_kb;
      max_rss = MAX (max_rss, m->rss_kb);
    }

  g_print ("%-16s n=%-3u mean RSS %6.2f MiB  max RSS %6.2f MiB  mean PSS %6.2f MiB  total PSS %7.1f MiB\n",
           label, samples->len, rss / samples->len / 1024, max_rss / 1024,
           pss / samples->len / 1024, pss / 1024);
}

static double
mean_pss_mb (GArray *samples)
{
  double pss = 0;

  for (guint i = 0; i < samples->len; i++)
    pss += g_array_index (samples, Memory, i).pss_kb;

  return pss / samples->len / 1024;
}

static void
stop_all (GPtrArray *processes)
{
  for (guint i = 0; i < processes->len; i++)
    g_subprocess_send_signal (g_ptr_array_index (processes, i), SIGTERM);
  for (guint i = 0; i < processes->len; i++)
    g_subprocess_wait (g_ptr_array_index (processes, i), NULL, NULL);
}

/* Lets the processes settle after their request, measures them, stops them. */
static void
measure_and_stop (GPtrArray *processes,
                  GArray    *samples)
{
  g_usleep (SETTLE_USEC);
  for (guint i = 0; i < processes->len; i++)
    {
      Memory m = measure (subprocess_pid (g_ptr_array_index (processes, i)));

      g_array_append_val (samples, m);
    }

  stop_all (processes);
}

static char *
address_for (int i)
{
  return g_strdup_printf ("127.0.%d.%d", 1 + i / 200, 10 + i % 200);
}

static gboolean
run_agents (const char *tmpdir,
            GArray     *samples)
{
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GArray) ports = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *agent = g_getenv ("VOUCH_AGENT");

  for (int i = 0; i < opt_count; i++)
    {
      g_autofree char *state_dir = g_strdup_printf ("%s/agent-%d", tmpdir, i);
      g_autofree char *name = g_strdup_printf ("Bench device %d", i);
      g_autofree char *address = address_for (i);
      const char *argv[] = { agent, "--state-dir", state_dir, "--name", name, "--address", address,
                             "--admin-token", "bench", opt_no_mdns ? "--no-mdns" : NULL, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autofree char *line = NULL;
      GSubprocess *process;
      guint port;

      process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                   &error);
      if (process == NULL)
        {
          g_printerr ("%s\n", error->message);
          return FALSE;
        }
      g_ptr_array_add (processes, process);

      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
      if (line == NULL || !g_str_has_prefix (line, "port: "))
        {
          g_printerr ("agent %d did not start\n", i);
          stop_all (processes);
          return FALSE;
        }
      port = (guint)g_ascii_strtoull (line + strlen ("port: "), NULL, 10);
      g_array_append_val (ports, port);
    }

  for (int i = 0; i < opt_count; i++)
    {
      g_autofree char *address = address_for (i);

      if (!touch (session, address, g_array_index (ports, guint, i), "/vouch/v1/info"))
        g_printerr ("agent %d did not answer\n", i);
    }

  measure_and_stop (processes, samples);
  return TRUE;
}

static gboolean
run_openssl (const char *tmpdir,
             GArray     *samples)
{
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *key = g_build_filename (tmpdir, "peer.key", NULL);
  g_autofree char *cert = g_build_filename (tmpdir, "peer.pem", NULL);
  const char *req[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-subj", "/CN=peer.local", "-days", "1", "-keyout", key, "-out", cert, NULL };
  g_autoptr(GSubprocess) make = g_subprocess_newv (req, G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);

  if (make == NULL || !g_subprocess_wait_check (make, NULL, NULL))
    return FALSE;

  for (int i = 0; i < opt_count; i++)
    {
      g_autofree char *address = address_for (i);
      g_autofree char *accept = g_strdup_printf ("%s:%d", address, 8443);
      const char *argv[] = { "openssl", "s_server", "-quiet", "-accept", accept, "-cert", cert, "-key", key,
                             "-www", NULL };
      GSubprocess *process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                      | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                      | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);

      if (process == NULL)
        return FALSE;
      g_ptr_array_add (processes, process);
    }

  /* s_server prints nothing reliable when it is ready; poll, bounded. */
  for (int i = 0; i < opt_count; i++)
    {
      g_autofree char *address = address_for (i);
      int attempt;

      for (attempt = 0; attempt < PORT_WAIT_ATTEMPTS; attempt++)
        {
          if (touch (session, address, 8443, "/"))
            break;
          g_usleep (G_USEC_PER_SEC / 20);
        }
      if (attempt == PORT_WAIT_ATTEMPTS)
        g_printerr ("openssl s_server %d did not answer\n", i);
    }

  measure_and_stop (processes, samples);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) agents = g_array_new (FALSE, FALSE, sizeof (Memory));
  g_autoptr(GArray) peers = g_array_new (FALSE, FALSE, sizeof (Memory));
  g_autofree char *tmpdir = NULL;
  double agent_pss;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (g_strcmp0 (g_getenv ("VOUCH_PRIVATE_LAN"), "1") != 0 || g_getenv ("VOUCH_AGENT") == NULL)
    {
      g_printerr ("Run through tools/private-lan with VOUCH_AGENT set (meson test --benchmark does).\n");
      return 2;
    }
  if (opt_count < 1 || opt_count > 1000)
    {
      g_printerr ("--count must be between 1 and 1000\n");
      return 2;
    }

  tmpdir = g_dir_make_tmp ("bench-agent-XXXXXX", &error);
  if (tmpdir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (!run_agents (tmpdir, agents) || !run_openssl (tmpdir, peers))
    return 1;

  g_print ("Memory per instance, %d of each, after one HTTPS request each%s:\n", opt_count,
           opt_no_mdns ? "" : " (agents publishing over mDNS)");
  report ("vouch-agent", agents);
  report ("openssl s_server", peers);

  {
    const char *argv_rm[] = { "rm", "-rf", tmpdir, NULL };
    g_autoptr(GSubprocess) rm = g_subprocess_newv (argv_rm, G_SUBPROCESS_FLAGS_NONE, NULL);

    if (rm != NULL)
      g_subprocess_wait (rm, NULL, NULL);
  }

  agent_pss = mean_pss_mb (agents);
  g_print ("limit: mean agent PSS %.2f MiB %s %.2f MiB\n", agent_pss,
           agent_pss <= opt_limit_mb ? "<=" : ">", opt_limit_mb);

  return agent_pss <= opt_limit_mb ? 0 : 1;
}
