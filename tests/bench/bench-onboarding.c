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
#include "vouch-config.h"

#include "vouch-bulk-onboarding.h"
#include "vouch-discovery.h"
#include "vouch-error.h"
#include "vouch-onboarding.h"
#include "vouch-util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <locale.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The targets, for 200 devices on 2 cores. */
#define TARGET_WALL_SECONDS  10.0
#define TARGET_WALL_DEVICES  200
#define TARGET_CPU_MS        2.0

#define ADMIN_TOKEN          "bench-admin-token-0123456789"
#define MAX_DEVICES          500
#define STOP_TIMEOUT_SECONDS 20
#define PHASE_TIMEOUT_SECONDS 300

#define RESULTS_BEGIN "<!-- bench-onboarding: begin generated table -->\n"
#define RESULTS_END   "<!-- bench-onboarding: end generated table -->\n"

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *state_dir;
  char             *address;
  char             *name;
  char             *host_name;
  char             *setup_code;
  char             *device_id;
  guint             port;
  int               pid;
  gboolean          answered;  /* the port line, or EOF, came */
  VouchDevice      *device;    /* as the timed VouchDiscovery found it */
  guint64           ticks;     /* CPU clock ticks when onboarding began */
} Agent;

typedef struct
{
  guint   n;
  double  start_seconds;
  double  visible_seconds;
  double  agent_rss_mib;       /* median VmRSS of one agent, after onboarding */
  double  agents_rss_mib;      /* all of them */
  double  wall[3];             /* discovery, verify, bulk */
  double  cpu_ms[3];           /* Vouch's own CPU in each phase */
  double  agents_cpu_ms;       /* the agents' CPU while Vouch onboarded them */
  double  helpers_cpu_ms;      /* avahi-daemon and gnome-keyring-daemon */
  double  children_cpu_ms;     /* RUSAGE_CHILDREN: agents' whole lives */
  guint   handshakes[3];
  guint   connections[3];
  long    vm_hwm_kib;
  long    vm_rss_before_kib;
} SizeResult;

typedef struct
{
  guint  count;
  double client_us;            /* this process's CPU per operation */
  double server_us;            /* the agent's CPU per operation */
  double wall_us;
  gboolean resumed;            /* any GnuTLS session was resumed */
} OpResult;

typedef struct
{
  char        *tmpdir;
  GPtrArray   *agents;         /* Agent, of the size being run */
  GHashTable  *by_id;          /* device id → Agent */
  guint        pending;
  int          avahi_pid;
  int          keyring_pid;
  GArray      *results;        /* SizeResult */
  OpResult     raw_handshake;
  OpResult     gio_handshake;
  OpResult     gio_bare_handshake;
  OpResult     keygen;
} Bench;

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

static void
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

static void
take_counts (guint *handshakes,
             guint *connections)
{
  *handshakes = take_count (&n_handshakes);
  *connections = take_count (&n_connections);
}

static double
self_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
children_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static double
now_seconds (void)
{
  return (double)g_get_monotonic_time () / G_USEC_PER_SEC;
}

/* utime + stime of another process, in clock ticks; 0 once it is gone. */
static guint64
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

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
ticks_to_ms (guint64 ticks)
{
  return ticks * 1e3 / sysconf (_SC_CLK_TCK);
}

/* A field of /proc/PID/status in kiB, or -1. */
static long
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

static void
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");

  /* "5" resets VmHWM to the current RSS (Linux 4.0 and later), so each
   * size reports its own peak rather than the largest so far. The file
   * must be written in place, which g_file_set_contents() never does. */
  if (file == NULL || fputs ("5", file) < 0 || fclose (file) != 0)
    g_printerr ("bench-onboarding: cannot reset VmHWM; peaks are cumulative\n");
}

static void
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
static gboolean
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

static Agent *
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
static gboolean
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
static gboolean
start_agents (Bench   *bench,
              guint    n,
              GError **error)
{
  for (guint first = 0; first < n; first += (guint)opt_batch)
    {
      guint last = MIN (n, first + (guint)opt_batch);
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
static guint
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

/* --- The per-device minimum ------------------------------------------ */

static gboolean
peer_spki (const gnutls_datum_t *der,
           guint8                digest[VOUCH_SHA256_LEN])
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_pubkey_t) pub = NULL;

  gnutls_x509_crt_init (&crt);
  gnutls_pubkey_init (&pub);
  return gnutls_x509_crt_import (crt, der, GNUTLS_X509_FMT_DER) == 0 &&
         gnutls_pubkey_import_x509 (pub, crt, 0) == 0 &&
         vouch_pubkey_spki_sha256 (pub, digest, NULL);
}

/* One full handshake with plain GnuTLS, reading the peer's key as Vouch
 * must to check a pin. */
static gboolean
raw_handshake (gnutls_certificate_credentials_t   creds,
               Agent                             *agent,
               gboolean                          *resumed,
               GError                           **error)
{
  gnutls_session_t session = NULL;
  struct sockaddr_in sin = { 0 };
  const gnutls_datum_t *certs;
  guint8 digest[VOUCH_SHA256_LEN];
  unsigned int n_certs = 0;
  int fd;
  int ret;

  sin.sin_family = AF_INET;
  sin.sin_port = htons ((guint16)agent->port);
  inet_pton (AF_INET, agent->address, &sin.sin_addr);
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *)&sin, sizeof sin) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "connect: %s", g_strerror (errno));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }

  gnutls_init (&session, GNUTLS_CLIENT);
  gnutls_set_default_priority (session);
  gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, creds);
  gnutls_transport_set_int (session, fd);
  do
    ret = gnutls_handshake (session);
  while (ret < 0 && !gnutls_error_is_fatal (ret));

  if (ret == 0)
    {
      certs = gnutls_certificate_get_peers (session, &n_certs);
      if (n_certs == 0 || !peer_spki (&certs[0], digest))
        ret = GNUTLS_E_NO_CERTIFICATE_FOUND;
      *resumed |= gnutls_session_is_resumed (session) != 0;
      gnutls_bye (session, GNUTLS_SHUT_WR);
    }
  gnutls_deinit (session);
  close (fd);

  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, "TLS handshake");
      return FALSE;
    }
  return TRUE;
}

static gboolean
accept_any_cb (GTlsConnection       *connection,
               GTlsCertificate      *peer,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;
}

/* The same through GIO and glib-networking, the stack libsoup uses.
 * libsoup 3.2 creates the connection without a database and sets
 * Vouch's (none) afterwards; glib-networking 2.74 has by then built a
 * trust list from the system's CA bundle, for every connection. With
 * @database_at_construction the connection never has a default
 * database, which shows what that costs. */
static gboolean
gio_handshake (Agent     *agent,
               gboolean   database_at_construction,
               GError   **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GByteArray) der = NULL;
  GTlsCertificate *peer;
  gnutls_datum_t datum;
  guint8 digest[VOUCH_SHA256_LEN];

  address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string (agent->address, agent->port));
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, error);
  if (connection == NULL)
    return FALSE;
  if (database_at_construction)
    tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()), NULL, error,
                          "base-io-stream", connection, "database", NULL, NULL);
  else
    tls = g_tls_client_connection_new (G_IO_STREAM (connection), NULL, error);
  if (tls == NULL)
    return FALSE;
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), NULL);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, error))
    return FALSE;

  peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls));
  g_object_get (peer, "certificate", &der, NULL);
  datum.data = der->data;
  datum.size = der->len;
  if (!peer_spki (&datum, digest))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL, "unreadable peer certificate");
      return FALSE;
    }

  return g_io_stream_close (tls, NULL, error);
}

static gboolean
measure_minimum (Bench   *bench,
                 GError **error)
{
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func ((GDestroyNotify)agent_free);
  g_autofree char *dir = g_build_filename (bench->tmpdir, "baseline", NULL);
  gnutls_certificate_credentials_t creds = NULL;
  guint pending = 1;
  Agent *agent;
  guint64 ticks;
  double cpu;
  double wall;
  gboolean ok = TRUE;

  /* Not announced: this agent is only the other end of the handshakes. */
  agent = spawn_agent (dir, "Baseline", "127.0.250.1", FALSE, &pending, error);
  if (agent == NULL)
    return FALSE;
  g_ptr_array_add (agents, agent);
  if (!iterate_until_zero (&pending, 30) || !agent_read_identity (agent, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE, "the baseline agent did not start");
      return FALSE;
    }

  gnutls_certificate_allocate_credentials (&creds);

  /* A few unmeasured rounds first, so that both ends have their code
   * and allocations warm. */
  for (int i = 0; ok && i < 5; i++)
    ok = raw_handshake (creds, agent, &bench->raw_handshake.resumed, error) &&
         gio_handshake (agent, FALSE, error) &&
         gio_handshake (agent, TRUE, error);

  ticks = process_ticks (agent->pid);
  cpu = self_cpu_ms ();
  wall = now_seconds ();
  for (int i = 0; ok && i < opt_handshakes; i++)
    ok = raw_handshake (creds, agent, &bench->raw_handshake.resumed, error);
  bench->raw_handshake.count = (guint)opt_handshakes;
  bench->raw_handshake.client_us = (self_cpu_ms () - cpu) * 1e3 / opt_handshakes;
  bench->raw_handshake.wall_us = (now_seconds () - wall) * 1e6 / opt_handshakes;
  bench->raw_handshake.server_us = ticks_to_ms (process_ticks (agent->pid) - ticks) * 1e3 / opt_handshakes;

  for (guint variant = 0; variant < 2; variant++)
    {
      OpResult *op = variant == 0 ? &bench->gio_handshake : &bench->gio_bare_handshake;

      ticks = process_ticks (agent->pid);
      cpu = self_cpu_ms ();
      wall = now_seconds ();
      for (int i = 0; ok && i < opt_handshakes; i++)
        ok = gio_handshake (agent, variant == 1, error);
      op->count = (guint)opt_handshakes;
      op->client_us = (self_cpu_ms () - cpu) * 1e3 / opt_handshakes;
      op->wall_us = (now_seconds () - wall) * 1e6 / opt_handshakes;
      op->server_us = ticks_to_ms (process_ticks (agent->pid) - ticks) * 1e3 / opt_handshakes;
    }

  gnutls_certificate_free_credentials (creds);

  cpu = self_cpu_ms ();
  wall = now_seconds ();
  for (int i = 0; ok && i < opt_keys; i++)
    {
      g_auto(gnutls_x509_privkey_t) key = NULL;
      int ret;

      gnutls_x509_privkey_init (&key);
      ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                          GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0);
      if (ret < 0)
        {
          vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, "P-256 key generation");
          ok = FALSE;
        }
    }
  bench->keygen.count = (guint)opt_keys;
  bench->keygen.client_us = (self_cpu_ms () - cpu) * 1e3 / opt_keys;
  bench->keygen.wall_us = (now_seconds () - wall) * 1e6 / opt_keys;

  if (stop_agents (agents) > 0)
    g_printerr ("bench-onboarding: the baseline agent did not exit cleanly\n");

  /* Our handshakes went through the hooks too; they are not Vouch's. */
  {
    guint handshakes;
    guint connections;

    take_counts (&handshakes, &connections);
  }

  return ok;
}

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

/* --- Reporting -------------------------------------------------------- */

static const char *
pass_or_miss (gboolean pass)
{
  return pass ? "PASS" : "MISS";
}

static double
handshakes_per_device (const SizeResult *size)
{
  return (double)(size->handshakes[0] + size->handshakes[1] + size->handshakes[2]) / size->n;
}

/* What a client must at least spend on one device, as the issue defines
 * it: Vouch's handshakes, each at the plain GnuTLS cost, and the
 * device's key generation. */
static double
minimum_ms (const Bench      *bench,
            const SizeResult *size,
            const OpResult   *handshake)
{
  return (handshakes_per_device (size) * handshake->client_us + bench->keygen.client_us) / 1e3;
}

static char *
first_line_of (const char *path,
               const char *prefix)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("unknown");
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (prefix == NULL)
        return g_strdup (g_strstrip (lines[i]));
      if (g_str_has_prefix (lines[i], prefix))
        {
          const char *colon = strchr (lines[i], ':');

          return g_strdup (g_strstrip (colon != NULL ? (char *)colon + 1 : lines[i]));
        }
    }
  return g_strdup ("unknown");
}

typedef double (*RowFunc) (const Bench      *bench,
                           const SizeResult *size);

/* A row with one column per size; @bold rows are the numbers. */
static void
append_row (GString     *table,
            const Bench *bench,
            const char  *label,
            int          decimals,
            gboolean     bold,
            RowFunc      func)
{
  const char *mark = bold ? "**" : "";

  g_string_append_printf (table, "| %s%s%s |", mark, label, mark);
  for (guint i = 0; i < bench->results->len; i++)
    {
      const SizeResult *size = &g_array_index (bench->results, SizeResult, i);

      g_string_append_printf (table, " %s%.*f%s |", mark, decimals, func (bench, size), mark);
    }
  g_string_append_c (table, '\n');
}

#define ROW(name, expr) \
  static double row_##name (const Bench *bench, const SizeResult *size) { return (expr); }

ROW (start, size->start_seconds)
ROW (visible, size->visible_seconds)
ROW (discovery, size->wall[0])
ROW (verify, size->wall[1])
ROW (bulk, size->wall[2])
ROW (total, size->wall[0] + size->wall[1] + size->wall[2])
ROW (bulk_rate, size->n / size->wall[2])
ROW (cpu_total, (size->cpu_ms[0] + size->cpu_ms[1] + size->cpu_ms[2]) / size->n)
ROW (cpu_discovery, size->cpu_ms[0] / size->n)
ROW (cpu_verify, size->cpu_ms[1] / size->n)
ROW (cpu_bulk, size->cpu_ms[2] / size->n)
ROW (handshakes, handshakes_per_device (size))
ROW (handshakes_verify, (double)size->handshakes[1] / size->n)
ROW (handshakes_bulk, (double)size->handshakes[2] / size->n)
ROW (connections, (double)(size->connections[0] + size->connections[1] + size->connections[2]) / size->n)
ROW (minimum, minimum_ms (bench, size, &bench->raw_handshake))
ROW (minimum_gio, minimum_ms (bench, size, &bench->gio_bare_handshake))
ROW (minimum_soup, minimum_ms (bench, size, &bench->gio_handshake))
ROW (ratio, (size->cpu_ms[0] + size->cpu_ms[1] + size->cpu_ms[2]) / size->n
            / minimum_ms (bench, size, &bench->raw_handshake))
ROW (agents_cpu, size->agents_cpu_ms / size->n)
ROW (helpers_cpu, size->helpers_cpu_ms / size->n)
ROW (children_cpu, size->children_cpu_ms / size->n)
ROW (floor, size->n * (handshakes_per_device (size) * (bench->raw_handshake.client_us
                                                       + bench->raw_handshake.server_us)
                       + bench->keygen.client_us) / 1e6 / g_get_num_processors ())
ROW (hwm, size->vm_hwm_kib / 1024.0)
ROW (rss_growth, (size->vm_hwm_kib - size->vm_rss_before_kib) / 1024.0)
ROW (agent_rss, size->agent_rss_mib)
ROW (agents_rss, size->agents_rss_mib)

static GString *
format_results (const Bench *bench,
                const char  *loadavg)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *cpu = first_line_of ("/proc/cpuinfo", "model name");
  GString *out = g_string_new (NULL);
  const SizeResult *target = NULL;
  const OpResult *ops[] = { &bench->raw_handshake, &bench->gio_bare_handshake, &bench->gio_handshake,
                            &bench->keygen };
  const char *op_labels[] = {
    "TLS handshake, plain GnuTLS client (+ peer key hash)",
    "TLS handshake, GIO client, `database` NULL from construction",
    "TLS handshake, GIO client made as libsoup 3.2 does (default database, then NULL)",
    "P-256 key generation (`gnutls_x509_privkey_generate`)",
  };

  for (guint i = 0; i < bench->results->len; i++)
    {
      const SizeResult *size = &g_array_index (bench->results, SizeResult, i);

      if (size->n == TARGET_WALL_DEVICES)
        target = size;
    }

  g_string_append_printf (out, "Run of %s: %u CPUs (%s), load average %s at the start; GLib %u.%u.%u, "
                          "GnuTLS %s. Agents started %d at a time; verification %d at a time; "
                          "VouchBulkOnboarding concurrency %d.\n\n",
                          date, g_get_num_processors (), cpu, loadavg, glib_major_version, glib_minor_version,
                          glib_micro_version, gnutls_check_version (NULL), opt_batch, opt_verify_concurrency,
                          opt_concurrency);

  g_string_append (out, "| Devices |");
  for (guint i = 0; i < bench->results->len; i++)
    g_string_append_printf (out, " %u |", g_array_index (bench->results, SizeResult, i).n);
  g_string_append (out, "\n|---|");
  for (guint i = 0; i < bench->results->len; i++)
    g_string_append (out, "---:|");
  g_string_append_c (out, '\n');

  append_row (out, bench, "Agents started, all printed their port (s)", 2, FALSE, row_start);
  append_row (out, bench, "… and all visible over mDNS (s, untimed)", 2, FALSE, row_visible);
  append_row (out, bench, "Discovery: new VouchDiscovery → all listed (s)", 3, FALSE, row_discovery);
  append_row (out, bench, "Verify with setup code + store admin secret (s)", 3, FALSE, row_verify);
  append_row (out, bench, "VouchBulkOnboarding: CSR, sign, push, confirm (s)", 3, FALSE, row_bulk);
  append_row (out, bench, "Discovered → confirmed, wall (s)", 3, TRUE, row_total);
  append_row (out, bench, "Bulk step, devices per second", 1, FALSE, row_bulk_rate);
  append_row (out, bench, "Vouch CPU per device (ms)", 2, TRUE, row_cpu_total);
  append_row (out, bench, "… in discovery (ms)", 2, FALSE, row_cpu_discovery);
  append_row (out, bench, "… in verification + keyring store (ms)", 2, FALSE, row_cpu_verify);
  append_row (out, bench, "… in bulk onboarding (ms)", 2, FALSE, row_cpu_bulk);
  append_row (out, bench, "TLS handshakes Vouch made per device", 2, FALSE, row_handshakes);
  append_row (out, bench, "… of them in verification", 2, FALSE, row_handshakes_verify);
  append_row (out, bench, "… of them in bulk onboarding", 2, FALSE, row_handshakes_bulk);
  append_row (out, bench, "TCP connections per device", 2, FALSE, row_connections);
  append_row (out, bench, "Per-device minimum: handshakes (GnuTLS) + key (ms)", 2, FALSE, row_minimum);
  append_row (out, bench, "… with GIO handshakes, no CA database ever (ms)", 2, FALSE, row_minimum_gio);
  append_row (out, bench, "… with GIO handshakes made as libsoup 3.2 makes them (ms)", 2, FALSE, row_minimum_soup);
  append_row (out, bench, "Vouch CPU ÷ minimum", 1, FALSE, row_ratio);
  append_row (out, bench, "Agents' CPU per device while onboarded (ms)", 2, FALSE, row_agents_cpu);
  append_row (out, bench, "avahi-daemon + gnome-keyring-daemon CPU per device (ms)", 2, FALSE, row_helpers_cpu);
  append_row (out, bench, "Agents' whole-life CPU per device, RUSAGE_CHILDREN (ms)", 2, FALSE, row_children_cpu);
  append_row (out, bench, "CPU floor for the wall time: N × (handshakes, both ends, + key) ÷ cores (s)", 3, FALSE, row_floor);
  append_row (out, bench, "Vouch peak RSS, VmHWM (MiB)", 1, FALSE, row_hwm);
  append_row (out, bench, "… growth over the run (MiB)", 1, FALSE, row_rss_growth);
  append_row (out, bench, "One agent's RSS, median (MiB)", 1, FALSE, row_agent_rss);
  append_row (out, bench, "All agents' RSS (MiB)", 0, FALSE, row_agents_rss);

  g_string_append_printf (out, "\nThe per-device minimum, measured in the same run against one agent "
                          "(client side is this process; the agent's side from /proc):\n\n");
  g_string_append (out, "| Operation | count | client CPU (µs) | agent CPU (µs) | wall (µs) |\n");
  g_string_append (out, "|---|---:|---:|---:|---:|\n");
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      if (ops[i] != &bench->keygen)
        g_string_append_printf (out, "| %s | %u | %.0f | %.0f | %.0f |\n", op_labels[i], ops[i]->count,
                                ops[i]->client_us, ops[i]->server_us, ops[i]->wall_us);
      else
        g_string_append_printf (out, "| %s | %u | %.0f | – | %.0f |\n", op_labels[i], ops[i]->count,
                                ops[i]->client_us, ops[i]->wall_us);
    }
  if (bench->raw_handshake.resumed)
    g_string_append (out, "\nSome plain GnuTLS handshakes were resumed sessions.\n");

  g_string_append (out, "\n| Target | Goal | Measured | Result |\n|---|---:|---:|:---:|\n");
  if (target != NULL)
    {
      double wall = row_total (bench, target);
      double cpu_ms = row_cpu_total (bench, target);

      g_string_append_printf (out, "| %u devices, discovered → confirmed, wall | ≤ %.0f s | %.2f s | %s |\n",
                              target->n, TARGET_WALL_SECONDS, wall, pass_or_miss (wall <= TARGET_WALL_SECONDS));
      g_string_append_printf (out, "| Vouch CPU per device at %u | ≤ %.1f ms | %.2f ms | %s |\n", target->n,
                              TARGET_CPU_MS, cpu_ms, pass_or_miss (cpu_ms <= TARGET_CPU_MS));
    }
  else
    g_string_append_printf (out, "| %d devices | – | not run | – |\n", TARGET_WALL_DEVICES);

  return out;
}

/* Replaces the text between the markers in @path, so that prose around
 * the table survives a new run. */
static gboolean
write_results (const char  *path,
               const char  *table,
               GError     **error)
{
  g_autofree char *old = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *begin = NULL;
  const char *end = NULL;

  if (g_file_get_contents (path, &old, NULL, NULL))
    {
      begin = strstr (old, RESULTS_BEGIN);
      end = begin != NULL ? strstr (begin, RESULTS_END) : NULL;
    }

  if (begin != NULL && end != NULL)
    {
      g_string_append_len (text, old, begin - old + strlen (RESULTS_BEGIN));
      g_string_append (text, table);
      g_string_append (text, end);
    }
  else
    g_string_append_printf (text, "%s%s%s", RESULTS_BEGIN, table, RESULTS_END);

  return g_file_set_contents (path, text->str, text->len, error);
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
