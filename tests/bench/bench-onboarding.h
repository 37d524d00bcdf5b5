/* bench-onboarding.h: what the parts of bench-onboarding share
 *
 * bench-onboarding.c runs the sizes and main (); bench-onboarding-agents.c
 * starts and stops the vouch-agents and reads what they and this process
 * cost; bench-onboarding-floor.c measures the least any client must spend
 * per device; bench-onboarding-report.c writes the Markdown tables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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
  /* The command line's tunables. */
  int          batch;
  int          verify_concurrency;
  int          concurrency;
  int          handshakes;
  int          keys;
} Bench;

/* bench-onboarding-agents.c */
Agent    *spawn_agent          (const char     *dir,
                                const char     *name,
                                const char     *address,
                                gboolean        mdns,
                                guint          *pending,
                                GError        **error);
gboolean  agent_read_identity  (Agent          *agent,
                                GError        **error);
void      agent_free           (Agent          *agent);
gboolean  start_agents         (Bench          *bench,
                                guint           n,
                                GError        **error);
guint     stop_agents          (GPtrArray      *agents);
gboolean  iterate_until_zero   (const guint    *count,
                                double          seconds);
void      install_hooks        (void);
void      take_counts          (guint          *handshakes,
                                guint          *connections);
double    now_seconds          (void);
double    self_cpu_ms          (void);
double    children_cpu_ms      (void);
guint64   process_ticks        (int             pid);
double    ticks_to_ms          (guint64         ticks);
long      status_kib           (const char     *pid,
                                const char     *field);
void      reset_peak_rss       (void);
void      raise_fd_limit       (void);
int       compare_doubles      (gconstpointer   a,
                                gconstpointer   b);

/* bench-onboarding-floor.c */
gboolean  measure_minimum      (Bench          *bench,
                                GError        **error);
gboolean  measure_minimum_against (Bench            *bench,
                                   Agent            *peer,
                                   gnutls_ecc_curve_t curve,
                                   GError          **error);

gboolean  accept_any_certificate (GTlsConnection       *connection,
                                  GTlsCertificate      *peer,
                                  GTlsCertificateFlags  errors,
                                  gpointer              user_data);

/* bench-onboarding-report.c */
char     *first_line_of        (const char     *path,
                                const char     *prefix);
GString  *format_results       (const Bench    *bench,
                                const char     *loadavg);
gboolean  write_results        (const char     *path,
                                const char     *table,
                                GError        **error);
