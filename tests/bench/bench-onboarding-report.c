/* bench-onboarding-report.c: the Markdown tables of a run, against the
 * issue's targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-onboarding.h"


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

/* The issue's own definition of the floor: three handshakes made through
 * GIO (verification, the CSR and push, a fresh one for confirmation) and
 * the device's key, whatever number Vouch itself makes. */
static double
issue_floor_ms (const Bench *bench)
{
  return (3 * bench->gio_bare_handshake.client_us + bench->keygen.client_us) / 1e3;
}

char *
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

/* A row with one column per size; @bold rows are the issue's numbers. */
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
ROW (floor_issue, issue_floor_ms (bench))
ROW (ratio_issue, row_cpu_total (bench, size) / issue_floor_ms (bench))
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

GString *
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
                          glib_micro_version, gnutls_check_version (NULL), bench->batch,
                          bench->verify_concurrency, bench->concurrency);

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
  append_row (out, bench, "Issue's floor: 3 GIO handshakes + key (ms)", 2, FALSE, row_floor_issue);
  append_row (out, bench, "Vouch CPU ÷ issue's floor", 2, TRUE, row_ratio_issue);
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
  for (guint i = 0; i < bench->results->len; i++)
    {
      const SizeResult *size = &g_array_index (bench->results, SizeResult, i);
      double ratio = row_ratio_issue (bench, size);

      g_string_append_printf (out, "| Vouch CPU per device ÷ issue's floor, %u devices | ≤ 2.0 | %.2f | %s |\n",
                              size->n, ratio, pass_or_miss (ratio <= 2.0));
    }

  return out;
}

/* Replaces the text between the markers in @path, so that prose around
 * the table survives a new run. */
gboolean
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
