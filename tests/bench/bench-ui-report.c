/* bench-ui-report.c: bench-ui's Markdown tables, against the issue's
 * targets and the references
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-ui.h"

static const char *
verdict (double value,
         double target)
{
  if (isnan (value))
    return "–";
  return value <= target ? "PASS" : "MISS";
}

static char *
load_average (void)
{
  g_autofree char *loadavg = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    return g_strdup ("?");
  return g_strndup (loadavg, strcspn (loadavg, " "));
}

static void
append_stats_row (GString    *md,
                  const char *label,
                  Stats       vouch,
                  Stats       peer)
{
  g_string_append_printf (md, "| %s | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | – | – |\n", label,
                          vouch.median, vouch.p95, vouch.max, peer.median, peer.p95, peer.max);
}

static Stats
peer_stats (GHashTable    *peer,
            const char *prefix)
{
  g_autofree char *median = g_strconcat (prefix, "-median", NULL);
  g_autofree char *p95 = g_strconcat (prefix, "-p95", NULL);
  g_autofree char *max = g_strconcat (prefix, "-max", NULL);
  g_autofree char *over = g_strconcat (prefix, "-over", NULL);
  g_autofree char *n = g_strconcat (prefix, "-n", NULL);
  Stats stats = { result (peer, median), result (peer, p95), NAN, result (peer, max),
                  (guint)result (peer, n), (guint)result (peer, over) };

  return stats;
}

/* A row "… @label, medians" of @numerator ÷ @denominator, against the
 * issue's ratio if @against_target. */
static void
append_ratio_row (GString    *md,
                  const char *label,
                  double      numerator,
                  double      denominator,
                  gboolean    against_target)
{
  double ratio = numerator / denominator;

  if (against_target)
    g_string_append_printf (md, "| … %s, medians | %.2f× | – | ≤ %.1f× | %s |\n", label, ratio,
                            TARGET_COLD_RATIO, verdict (ratio, TARGET_COLD_RATIO));
  else
    g_string_append_printf (md, "| … %s, medians | %.2f× | – | – | – |\n", label, ratio);
}

/* The cold starts' rows: both programs' medians and their ratio, which
 * the target is about (the absolute target moves with the load). */
static void
append_cold_rows (GString    *md,
                  ColdStarts *vouch_cold,
                  ColdStarts *peer_cold)
{
  Stats vc = stats_of (vouch_cold->total_ms, TARGET_COLD_START_MS);
  Stats vm = stats_of (vouch_cold->main_ms, TARGET_COLD_START_MS);
  Stats pc = stats_of (peer_cold->total_ms, TARGET_COLD_START_MS);
  Stats pm = stats_of (peer_cold->main_ms, TARGET_COLD_START_MS);
  Stats vr = stats_of (vouch_cold->ready_ms, TARGET_COLD_START_MS);

  if (vc.n == 0)
    return;
  g_string_append_printf (md, "| Cold start → first frame, median (min–max) | %.0f (%.0f–%.0f) "
                          "| %.0f (%.0f–%.0f) | ≤ %.0f | %s |\n",
                          vc.median, vc.min, vc.max, pc.median, pc.min, pc.max,
                          TARGET_COLD_START_MS, verdict (vc.median, TARGET_COLD_START_MS));
  append_ratio_row (md, "Vouch ÷ GTK peer", vc.median, pc.median, TRUE);
  g_string_append_printf (md, "| … of which spawn → `main ()` (exec, dynamic linking), median "
                          "| %.0f | %.0f | – | – |\n", vm.median, pm.median);
  g_string_append_printf (md, "| Cold start → first frame with the pages (data folder read), "
                          "median (min–max) | %.0f (%.0f–%.0f) | – | – | – |\n",
                          vr.median, vr.min, vr.max);
}

/* The floor's rows: what any libadwaita app of Vouch's shape takes, so
 * Vouch ÷ floor is what Vouch itself adds, and floor ÷ peer is the least
 * any libadwaita app can reach of the ratio. */
static void
append_floor_rows (GString    *md,
                   ColdStarts *vouch_cold,
                   ColdStarts *floor_cold,
                   ColdStarts *peer_cold)
{
  Stats vc = stats_of (vouch_cold->total_ms, TARGET_COLD_START_MS);
  Stats fc = stats_of (floor_cold->total_ms, TARGET_COLD_START_MS);
  Stats fm = stats_of (floor_cold->main_ms, TARGET_COLD_START_MS);
  Stats pc = stats_of (peer_cold->total_ms, TARGET_COLD_START_MS);

  if (fc.n == 0)
    return;
  g_string_append_printf (md, "| libadwaita floor: cold start → first frame, median (min–max) | "
                          "%.0f (%.0f–%.0f) | %.0f | – | – |\n",
                          fc.median, fc.min, fc.max, pc.median);
  if (vc.n > 0)
    append_ratio_row (md, "Vouch ÷ floor", vc.median, fc.median, TRUE);
  append_ratio_row (md, "floor ÷ GTK peer", fc.median, pc.median, FALSE);
  g_string_append_printf (md, "| … floor: spawn → `main ()`, median | %.0f | – | – | – |\n",
                          fm.median);
}

/* The same rows for another build, cold-started in turn in this run. */
static void
append_baseline_rows (GString    *md,
                      ColdStarts *base_cold,
                      ColdStarts *peer_cold)
{
  Stats bc = stats_of (base_cold->total_ms, TARGET_COLD_START_MS);
  Stats br = stats_of (base_cold->ready_ms, TARGET_COLD_START_MS);
  Stats pc = stats_of (peer_cold->total_ms, TARGET_COLD_START_MS);

  if (bc.n == 0)
    return;
  g_string_append_printf (md, "| Baseline build: cold start → first frame, median (min–max) | "
                          "%.0f (%.0f–%.0f) | %.0f | ≤ %.0f | %s |\n",
                          bc.median, bc.min, bc.max, pc.median, TARGET_COLD_START_MS,
                          verdict (bc.median, TARGET_COLD_START_MS));
  append_ratio_row (md, "baseline ÷ GTK peer", bc.median, pc.median, TRUE);
  g_string_append_printf (md, "| … baseline to the first frame with the pages, median | %.0f | – "
                          "| – | – |\n", br.median);
}

GString *
format_cold_only (ColdStarts *vouch_cold,
                  ColdStarts *floor_cold,
                  ColdStarts *peer_cold,
                  ColdStarts *base_cold)
{
  GString *md = g_string_new (NULL);
  g_autofree char *load = load_average ();

  g_string_append_printf (md, "%d cold starts of each, in turn; desktop portal %s; load "
                          "average %s at the end.\n\n",
                          opt_cold_runs, portal_running ? "running" : "not running", load);
  g_string_append (md, "| Measure (ms unless noted) | Vouch | GTK peer | Target | Vouch vs target |\n");
  g_string_append (md, "| --- | ---: | ---: | ---: | :---: |\n");
  append_cold_rows (md, vouch_cold, peer_cold);
  append_floor_rows (md, vouch_cold, floor_cold, peer_cold);
  append_baseline_rows (md, base_cold, peer_cold);
  return md;
}

GString *
format_results (VouchList     *vouch,
                GHashTable       *peer,
                ColdStarts    *vouch_cold,
                ColdStarts    *floor_cold,
                ColdStarts    *peer_cold,
                ColdStarts    *base_cold,
                FilterMeasure *filters,
                guint          n_filters)
{
  GString *md = g_string_new (NULL);
  g_autofree char *load = load_average ();

  g_string_append_printf (md, "%d devices, %d scroll steps (%.0f rows a step), %d cold starts "
                          "of each, %d filter rounds; desktop portal %s; load average %s at "
                          "the end.\n\n",
                          opt_devices, opt_scroll_steps,
                          ceil ((double)opt_devices / MAX (opt_scroll_steps, 1)), opt_cold_runs,
                          opt_filter_rounds, portal_running ? "running" : "not running", load);
  g_string_append (md, "| Measure (ms unless noted) | Vouch | GTK peer | Target | Vouch vs target |\n");
  g_string_append (md, "| --- | ---: | ---: | ---: | :---: |\n");
  append_cold_rows (md, vouch_cold, peer_cold);
  append_floor_rows (md, vouch_cold, floor_cold, peer_cold);
  append_baseline_rows (md, base_cold, peer_cold);
  g_string_append_printf (md, "| First frame with the devices, new window (its pages are made after its first frame) | %.0f | %.0f | ≤ %.0f | %s |\n",
                          vouch->window_first_frame_ms, result (peer, "window-first-frame-ms"),
                          TARGET_FIRST_FRAME_MS,
                          verdict (vouch->window_first_frame_ms, TARGET_FIRST_FRAME_MS));
  g_string_append_printf (md, "| First frame: setting the source on the shown page | %.0f | %.0f | ≤ %.0f | %s |\n",
                          vouch->source_first_frame_ms, result (peer, "source-first-frame-ms"),
                          TARGET_FIRST_FRAME_MS,
                          verdict (vouch->source_first_frame_ms, TARGET_FIRST_FRAME_MS));
  g_string_append_printf (md, "| … of which the call itself | %.0f | %.0f | – | – |\n",
                          vouch->source_call_ms, result (peer, "source-call-ms"));
  g_string_append_printf (md, "| … to the frame with every device in the list | %.0f | – | – | – |\n",
                          vouch->source_complete_ms);
  append_stats_row (md, "Scrolling: frame work median / p95 / max", vouch->scroll_work,
                    peer_stats (peer, "scroll-work"));
  g_string_append_printf (md, "| Scrolling: frames with work over 16.7 ms | %u of %u | %u of %u | – | – |\n",
                          vouch->scroll_work.over_budget, vouch->scroll_work.n,
                          (guint)result (peer, "scroll-work-over"),
                          (guint)result (peer, "scroll-work-n"));
  append_stats_row (md, "Scrolling: frame interval median / p95 / max", vouch->scroll_interval,
                    peer_stats (peer, "scroll-interval"));
  g_string_append_printf (md, "| Scrolling: intervals over 33.3 ms (a dropped frame) | %u of %u | %u of %u | – | – |\n",
                          vouch->scroll_interval.over_budget, vouch->scroll_interval.n,
                          (guint)result (peer, "scroll-interval-over"),
                          (guint)result (peer, "scroll-interval-n"));
  for (guint i = 0; i < n_filters; i++)
    {
      Stats call = stats_of (filters[i].call_ms, TARGET_FILTER_MS);
      Stats frame = stats_of (filters[i].frame_ms, TARGET_FILTER_MS);
      Stats complete = stats_of (filters[i].complete_ms, TARGET_FILTER_MS);

      g_string_append_printf (md, "| Filter %s `%s` (%u shown): to next frame, median (max) | "
                              "%.0f (%.0f) | – | ≤ %.0f | %s |\n",
                              filters[i].label, filters[i].term, filters[i].matches,
                              frame.median, frame.max, TARGET_FILTER_MS,
                              verdict (frame.median, TARGET_FILTER_MS));
      g_string_append_printf (md, "| … of which the call itself | %.0f | – | – | – |\n",
                              call.median);
      g_string_append_printf (md, "| … to the frame with every match in the list, median (max) | "
                              "%.0f (%.0f) | – | – | – |\n",
                              complete.median, complete.max);
    }
  g_string_append_printf (md, "| Model of %d devices built (not UI) | %.0f | %.0f | – | – |\n",
                          opt_devices, vouch->model_ms, result (peer, "model-ms"));
  g_string_append_printf (md, "| RSS (MB): before the model / after first frame / scrolled / filtered "
                          "| %.0f / %.0f / %.0f / %.0f | – / %.0f / %.0f / – | – | – |\n",
                          vouch->rss_before_mb, vouch->rss_first_frame_mb, vouch->rss_scrolled_mb,
                          vouch->rss_filtered_mb, result (peer, "rss-first-frame-mb"),
                          result (peer, "rss-scrolled-mb"));
  g_string_append_printf (md, "| Peak RSS, VmHWM (MB) | %.0f | %.0f | ≤ %.0f | %s |\n",
                          vouch->hwm_mb, result (peer, "hwm-mb"), TARGET_RSS_MB,
                          verdict (vouch->hwm_mb, TARGET_RSS_MB));
  return md;
}
