/* bench-ui-common.c: the options, frame timing, statistics and the cold
 * start's hooks of bench-ui and its peer and floor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-ui.h"

int      opt_devices = 10000;
int      opt_scroll_steps = 200;
int      opt_cold_runs = 10;
int      opt_filter_rounds = 3;
gboolean opt_cold_start = FALSE;
gboolean opt_cold_only = FALSE;
gboolean opt_references_only = FALSE;
gboolean opt_list = FALSE;
char    *opt_out = NULL;
char    *opt_peer = NULL;
char    *opt_floor = NULL;
char    *opt_baseline = NULL;

static GOptionEntry entries[] = {
  { "devices", 'n', 0, G_OPTION_ARG_INT, &opt_devices,
    "Devices in the model (default 10000)", "N" },
  { "scroll-steps", 0, 0, G_OPTION_ARG_INT, &opt_scroll_steps,
    "Frames to scroll the whole list in (default 200)", "N" },
  { "cold-runs", 0, 0, G_OPTION_ARG_INT, &opt_cold_runs,
    "Cold starts of each program (default 10; 0 skips)", "N" },
  { "cold-only", 0, 0, G_OPTION_ARG_NONE, &opt_cold_only,
    "Measure only the cold starts, not the devices view", NULL },
  { "references-only", 0, 0, G_OPTION_ARG_NONE, &opt_references_only,
    "Cold-start only the floor and the peer (a start right after Vouch's is slower)", NULL },
  { "filter-rounds", 0, 0, G_OPTION_ARG_INT, &opt_filter_rounds,
    "Rounds of the filter terms; the median counts (default 3)", "N" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
    "Also write the results as Markdown to FILE", "FILE" },
  { "baseline", 0, 0, G_OPTION_ARG_FILENAME, &opt_baseline,
    "Another build's bench-ui, whose app is cold-started in turn with this one's (before/after)",
    "PATH" },
  { "peer", 0, 0, G_OPTION_ARG_FILENAME, &opt_peer,
    "The bench-ui-peer program (default: next to this one)", "PATH" },
  { "floor", 0, 0, G_OPTION_ARG_FILENAME, &opt_floor,
    "The bench-ui-floor program (default: next to this one)", "PATH" },
  { "cold-start", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_cold_start,
    "Child mode: open the window, print the first frame's time and exit", NULL },
  { "list", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_list,
    "Child mode (peer only): measure the GtkListView peer and print it", NULL },
  { NULL }
};

static gboolean
find_mapped (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return gtk_widget_get_mapped (widget) && gtk_widget_get_height (widget) > 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_mapped (child, type))
      return TRUE;
  return FALSE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 FrameWatch    *watch)
{
  watch->frame_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                FrameWatch    *watch)
{
  gint64 now = g_get_monotonic_time ();

  if (watch->recording)
    {
      double work = (now - watch->frame_start) / 1000.0;

      g_array_append_val (watch->work_ms, work);
      if (watch->work_ms->len > 1)
        {
          double interval = (now - watch->last_painted) / 1000.0;

          g_array_append_val (watch->interval_ms, interval);
        }
      if (watch->stop_recording)
        watch->recording = FALSE;
    }

  /* Only a frame that shows device rows counts as the first frame: one
   * that still shows the empty page does not. */
  if (watch->want_rows && find_mapped (watch->list_view, watch->row_type))
    {
      watch->rows_painted = now;
      watch->want_rows = FALSE;
    }

  watch->last_painted = now;
  watch->n_painted++;
}

static void
realize_cb (GtkWidget  *window,
            FrameWatch *watch)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), watch);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), watch);
}

void
frame_watch_init (FrameWatch *watch,
                  GtkWidget  *window,
                  GType       row_type)
{
  memset (watch, 0, sizeof *watch);
  watch->window = window;
  watch->row_type = row_type;
  watch->work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  watch->interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), watch);
}

void
frame_watch_clear (FrameWatch *watch)
{
  g_clear_pointer (&watch->work_ms, g_array_unref);
  g_clear_pointer (&watch->interval_ms, g_array_unref);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets idle work and delayed signals (GtkSearchEntry's 150 ms
 * search-changed) run out before the next measurement. */
void
settle (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until @done holds, for at most TIMEOUT_SECONDS. */
gboolean
wait_until (FrameWatch     *watch,
            WatchCondition  done)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (TIMEOUT_SECONDS, timeout_cb, &timed_out);

  while (!done (watch) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return done (watch);
}

gboolean
rows_painted (FrameWatch *watch)
{
  return !watch->want_rows;
}

static gboolean
scroll_finished (FrameWatch *watch)
{
  return !watch->recording;
}

gboolean
wait_rows_painted (FrameWatch *watch)
{
  return wait_until (watch, rows_painted);
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  FrameWatch *watch = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  double range = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* The list view estimates the height of rows it has not built, so the
   * range is read again on every step. */
  watch->step++;
  gtk_adjustment_set_value (adjustment, range * watch->step / watch->steps);
  if (watch->step < watch->steps)
    return G_SOURCE_CONTINUE;

  watch->stop_recording = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
scroll_through (FrameWatch *watch,
                int         steps)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (watch->list_view));

  gtk_adjustment_set_value (adjustment, 0);
  settle (200);

  watch->step = 0;
  watch->steps = MAX (steps, 1);
  watch->stop_recording = FALSE;
  g_array_set_size (watch->work_ms, 0);
  g_array_set_size (watch->interval_ms, 0);
  watch->recording = TRUE;
  gtk_widget_add_tick_callback (watch->list_view, scroll_tick_cb, watch, NULL);
  return wait_until (watch, scroll_finished);
}

/* Statistics and reporting ------------------------------------------------- */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *)a;
  double db = *(const double *)b;

  return (da > db) - (da < db);
}

Stats
stats_of (GArray *values,
          double  budget)
{
  g_autoptr(GArray) sorted = g_array_copy (values);
  Stats stats = { NAN, NAN, NAN, NAN, values->len, 0 };

  if (sorted->len == 0)
    return stats;
  g_array_sort (sorted, compare_double);
  stats.median = g_array_index (sorted, double, sorted->len / 2);
  stats.p95 = g_array_index (sorted, double, (guint)ceil (0.95 * sorted->len) - 1);
  stats.min = g_array_index (sorted, double, 0);
  stats.max = g_array_index (sorted, double, sorted->len - 1);
  for (guint i = 0; i < sorted->len; i++)
    if (g_array_index (sorted, double, i) > budget)
      stats.over_budget++;
  return stats;
}

/* VmRSS or VmHWM of this process, in MB. */
double
read_vm_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return NAN;
  return g_ascii_strtod (line + strlen (field) + 1, NULL) / 1024.0;
}

void
emit (const char *key,
      double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  printf ("%s %s\n", key, g_ascii_dtostr (buffer, sizeof buffer, value));
}

static gint64 cold_main_us;
static gint64 cold_first_frame_us;

static void
cold_after_paint_cb (GdkFrameClock *clock,
                     GtkWidget     *window)
{
  gint64 now = g_get_monotonic_time ();

  if (cold_first_frame_us == 0)
    cold_first_frame_us = now;
  if (!cold_window_ready (window))
    return;

  emit ("main-us", cold_main_us);
  emit ("first-frame-us", cold_first_frame_us);
  emit ("ready-us", now);
  fflush (stdout);
  /* Printed; how the process ends is not part of the start. */
  _exit (0);
}

void
cold_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (cold_after_paint_cb), window);
}

gboolean
cold_timeout_cb (gpointer user_data)
{
  g_printerr ("bench-ui: no frame after %d s\n", TIMEOUT_SECONDS);
  _exit (1);
}

/* Both programs take the same options; a child mode is chosen by flag. */
gboolean
parse_options (int          *argc,
               char       ***argv,
               const char   *summary)
{
  g_autoptr(GOptionContext) context = g_option_context_new (summary);
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  cold_main_us = g_get_monotonic_time ();

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  return TRUE;
}
