/* bench-ui.c: the devices view with 10,000 devices, against the issue's
 * targets and against a plain GtkListView of GtkLabels (the floor for GTK
 * itself) in the same run
 *
 * What it measures, all with the window's frame clock ("before-paint" and
 * "after-paint") and g_get_monotonic_time ():
 *
 *  - cold start: this program re-runs itself with --cold-start, as the real
 *    app (VouchApplication through g_application_run, as in src/main.c)
 *    and runs the peer (a GtkWindow with one label) and the floor (below)
 *    with --cold-start, in turn, and each child prints the time of its
 *    first after-paint. CLOCK_MONOTONIC is system-wide, so the parent
 *    subtracts the time it spawned the child.
 *  - first frame: a new VouchWindow whose devices page already holds the
 *    10,000 devices, and then setting the source on a shown page, to the
 *    first after-paint in which device rows are mapped.
 *  - scrolling: a tick callback moves the list's vadjustment one step per
 *    frame through the whole range; each frame's work is before-paint to
 *    after-paint.
 *  - filter: _vouch_devices_page_set_search (): the call itself, to the
 *    next after-paint, and to the after-paint once every match is in the
 *    list view (a short list that grows a lot gets its rows over a few
 *    frames; see VouchSlotSelection).
 *  - RSS: VmRSS and VmHWM from /proc/self/status.
 *
 * The peer is the same file built with -DBENCH_UI_PEER_ONLY into
 * bench-ui-peer, which links GTK alone, so its cold start does not pay for
 * loading libadwaita, libsoup, GnuTLS and the rest. It runs in its own
 * process so that neither side's caches or memory count for the other.
 *
 * The floor is the same file built with -DBENCH_UI_PEER_ONLY
 * -DBENCH_UI_FLOOR into bench-ui-floor, linked against GTK and libadwaita
 * alone: the smallest libadwaita application of Vouch's shape (an
 * AdwApplication whose AdwApplicationWindow holds a header bar and a view
 * stack with one status page). What it costs above the peer, every
 * libadwaita app pays, so it shows how near the peer Vouch can get.
 *
 * Run it under Xvfb with GSK_RENDERER=cairo and a private HOME and keyring
 * (tests/bench/meson.build does). This is a benchmark: it prints PASS/MISS
 * against the targets but exits 0 on a miss. It fails only when something
 * errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef BENCH_UI_PEER_ONLY
#include "vouch-config.h"

#include "vouch-application.h"
#include "vouch-authority.h"
#include "vouch-device-row.h"
#include "vouch-device-status.h"
#include "vouch-devices-page-private.h"
#include "vouch-devices-page.h"
#include "vouch-slot-selection.h"
#include "vouch-ui-util.h"
#include "vouch-util.h"
#include "vouch-window.h"

#include <glib/gi18n.h>
#endif

#ifdef BENCH_UI_FLOOR
#include <adwaita.h>
#endif

#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The targets. */
#define TARGET_FIRST_FRAME_MS 500.0
#define TARGET_FILTER_MS      50.0
#define TARGET_RSS_MB         200.0
#define TARGET_COLD_START_MS  400.0
/* Issue #13: Vouch's cold start within 1.5 times the peer's, same run. */
#define TARGET_COLD_RATIO     1.5

/* One frame at 60 Hz. */
#define FRAME_BUDGET_MS (1000.0 / 60.0)

/* A child or a wait that takes this long has hung. */
#define TIMEOUT_SECONDS 60

static int      opt_devices = 10000;
static int      opt_scroll_steps = 200;
static int      opt_cold_runs = 10;
static int      opt_filter_rounds = 3;
static gboolean opt_cold_start = FALSE;
static gboolean opt_cold_only = FALSE;
static gboolean opt_references_only = FALSE;
static gboolean opt_list = FALSE;
static char    *opt_out = NULL;
static char    *opt_peer = NULL;
static char    *opt_floor = NULL;
static char    *opt_baseline = NULL;

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

/* Frame timing ------------------------------------------------------------ */

typedef struct
{
  GtkWidget *window;
  GtkWidget *list_view;
  GType      row_type;       /* a widget that only a bound row contains */

  guint      n_painted;      /* after-paints so far */
  guint      paint_mark;     /* n_painted when a wait began */
  gint64     last_painted;
  gint64     rows_painted;   /* first after-paint with rows mapped, once armed */
  gboolean   want_rows;

  gboolean   recording;
  gboolean   stop_recording; /* the scroll's last step ran in this frame */
  gint64     frame_start;
  GArray    *work_ms;        /* double: before-paint → after-paint */
  GArray    *interval_ms;    /* double: after-paint → after-paint */

  int        step;
  int        steps;
} FrameWatch;

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

static void
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

static void
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
static void
settle (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*WatchCondition) (FrameWatch *watch);

/* Runs the main loop until @done holds, for at most TIMEOUT_SECONDS. */
static gboolean
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

static gboolean
rows_painted (FrameWatch *watch)
{
  return !watch->want_rows;
}

static gboolean
scroll_finished (FrameWatch *watch)
{
  return !watch->recording;
}

static gboolean
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

static gboolean
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

typedef struct
{
  double median;
  double p95;
  double min;
  double max;
  guint  n;
  guint  over_budget;
} Stats;

static Stats
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
static double
read_vm_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return NAN;
  return g_ascii_strtod (line + strlen (field) + 1, NULL) / 1024.0;
}

static void
emit (const char *key,
      double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  printf ("%s %s\n", key, g_ascii_dtostr (buffer, sizeof buffer, value));
}

static gint64 cold_main_us;
static gint64 cold_first_frame_us;

/* Vouch's window shows a loading page in its first frame and its pages a
 * few frames later (VouchWindow:loaded); the peer's first frame is all
 * it shows. */
static gboolean
cold_window_ready (GtkWidget *window)
{
#ifdef BENCH_UI_PEER_ONLY
  return TRUE;
#else
  return vouch_window_get_loaded (VOUCH_WINDOW (window));
#endif
}

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

static void
cold_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (cold_after_paint_cb), window);
}

static gboolean
cold_timeout_cb (gpointer user_data)
{
  g_printerr ("bench-ui: no frame after %d s\n", TIMEOUT_SECONDS);
  _exit (1);
}

/* Both programs take the same options; a child mode is chosen by flag. */
static gboolean
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

/* The peer and the floor -------------------------------------------------- */

#ifdef BENCH_UI_PEER_ONLY

static void
emit_stats (const char *prefix,
            Stats       stats)
{
  g_autofree char *median = g_strconcat (prefix, "-median", NULL);
  g_autofree char *p95 = g_strconcat (prefix, "-p95", NULL);
  g_autofree char *max = g_strconcat (prefix, "-max", NULL);
  g_autofree char *over = g_strconcat (prefix, "-over", NULL);
  g_autofree char *n = g_strconcat (prefix, "-n", NULL);

  emit (median, stats.median);
  emit (p95, stats.p95);
  emit (max, stats.max);
  emit (over, stats.over_budget);
  emit (n, stats.n);
}

#ifndef BENCH_UI_FLOOR
/* The peer's cold start: a GtkWindow with one label, GTK alone. */
static int
cold_start (void)
{
  GtkWidget *window;

  gtk_init ();
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Peer");
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Hello"));
  g_signal_connect (window, "realize", G_CALLBACK (cold_realize_cb), NULL);
  g_timeout_add_seconds (TIMEOUT_SECONDS, cold_timeout_cb, NULL);
  gtk_window_present (GTK_WINDOW (window));
  /* cold_after_paint_cb () or cold_timeout_cb () ends the process. */
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 1;
}

#else /* BENCH_UI_FLOOR */

/* The size Vouch's window opens at (its GSettings defaults), so both paint
 * as many pixels. */
#define FLOOR_WIDTH  960
#define FLOOR_HEIGHT 640

static void
floor_activate_cb (GApplication *application)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (application));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *stack = adw_view_stack_new ();
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (page), "Floor");
  adw_view_stack_add (ADW_VIEW_STACK (stack), page);
  gtk_widget_set_vexpand (stack, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), stack);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), FLOOR_WIDTH, FLOOR_HEIGHT);
  g_signal_connect (window, "realize", G_CALLBACK (cold_realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

/* As src/main.c starts Vouch: the application's startup (gtk_init (),
 * adw_init (), registering on the bus) is part of any libadwaita app's
 * start. */
static int
cold_start (void)
{
  g_autoptr(AdwApplication) application = NULL;
  char *args[] = { (char *)"bench-ui-floor", NULL };

  application = adw_application_new ("io.github.vouchpki.BenchFloor",
                                     G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (application, "activate", G_CALLBACK (floor_activate_cb), NULL);
  g_timeout_add_seconds (TIMEOUT_SECONDS, cold_timeout_cb, NULL);
  g_application_run (G_APPLICATION (application), 1, args);
  g_printerr ("bench-ui-floor: the app quit before its first frame\n");
  return 1;
}
#endif /* BENCH_UI_FLOOR */

static void
peer_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
peer_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (string));
}

/* The same names the devices carry, one label per row. */
static GListModel *
peer_model_new (int n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Peer device %05d", i);

      gtk_string_list_append (list, name);
    }
  return G_LIST_MODEL (list);
}

static int
peer_list (void)
{
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GtkSingleSelection) empty_selection = NULL;
  g_autoptr(GtkSingleSelection) selection = NULL;
  GtkListItemFactory *factory;
  GtkWidget *window;
  GtkWidget *scrolled;
  GtkWidget *list_view;
  FrameWatch watch;
  gint64 start;
  gint64 model_start;

  gtk_init ();

  model_start = g_get_monotonic_time ();
  model = peer_model_new (opt_devices);
  emit ("model-ms", (g_get_monotonic_time () - model_start) / 1000.0);
  selection = gtk_single_selection_new (g_object_ref (model));
  empty_selection = gtk_single_selection_new (G_LIST_MODEL (gtk_string_list_new (NULL)));

  /* A new window whose list already holds every row. */
  start = g_get_monotonic_time ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (peer_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (peer_bind_cb), NULL);
  list_view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (model))),
                                 factory);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list_view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);

  frame_watch_init (&watch, window, GTK_TYPE_LABEL);
  watch.list_view = list_view;
  watch.want_rows = TRUE;
  gtk_window_present (GTK_WINDOW (window));
  if (!wait_rows_painted (&watch))
    g_error ("the peer's window never showed rows");
  emit ("window-first-frame-ms", (watch.rows_painted - start) / 1000.0);
  settle (300);
  emit ("rss-first-frame-mb", read_vm_mb ("VmRSS:"));

  /* Setting the model on a shown list. */
  gtk_list_view_set_model (GTK_LIST_VIEW (list_view), GTK_SELECTION_MODEL (empty_selection));
  settle (300);
  watch.want_rows = TRUE;
  start = g_get_monotonic_time ();
  gtk_list_view_set_model (GTK_LIST_VIEW (list_view), GTK_SELECTION_MODEL (selection));
  emit ("source-call-ms", (g_get_monotonic_time () - start) / 1000.0);
  if (!wait_rows_painted (&watch))
    g_error ("the peer's list never showed rows again");
  emit ("source-first-frame-ms", (watch.rows_painted - start) / 1000.0);
  settle (300);

  if (!scroll_through (&watch, opt_scroll_steps))
    g_error ("the peer's scrolling did not finish");
  emit_stats ("scroll-work", stats_of (watch.work_ms, FRAME_BUDGET_MS));
  emit_stats ("scroll-interval", stats_of (watch.interval_ms, 2 * FRAME_BUDGET_MS));
  emit ("rss-scrolled-mb", read_vm_mb ("VmRSS:"));
  emit ("hwm-mb", read_vm_mb ("VmHWM:"));

  gtk_window_destroy (GTK_WINDOW (window));
  frame_watch_clear (&watch);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (!parse_options (&argc, &argv, "- the GtkListView peer of bench-ui"))
    return 2;
  if (opt_cold_start)
    return cold_start ();
  if (opt_list)
    return peer_list ();
  g_printerr ("bench-ui-peer runs only as bench-ui's child (--cold-start or --list)\n");
  return 2;
}

#else /* !BENCH_UI_PEER_ONLY */

/* Vouch ------------------------------------------------------------------- */

/* A desktop session runs a session manager or the desktop portal. Without
 * either, GtkApplication (GTK 4.8) asks the bus to start the portal's
 * Inhibit interface at every launch and waits for it; in a headless test
 * session that start fails each time, since the portal's GTK backend has no
 * display. Like a login does, give the bus this display and start the
 * portal once, so each cold start meets the session a user's app meets.
 * Returns whether the portal runs. */
static gboolean portal_running;

static gboolean
start_desktop_portal (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariantBuilder) environment = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) reply = NULL;
  const char *display = g_getenv ("DISPLAY");

  if (bus == NULL || display == NULL)
    return FALSE;
  g_variant_builder_add (environment, "{ss}", "DISPLAY", display);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new ("(a{ss})", environment), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, NULL);
  if (reply == NULL)
    return FALSE;
  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "StartServiceByName",
                                       g_variant_new ("(su)", "org.freedesktop.portal.Desktop", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 20000,
                                       NULL, NULL);
  return reply != NULL;
}

static gboolean
painted_since_mark (FrameWatch *watch)
{
  return watch->n_painted != watch->paint_mark;
}

static gboolean
wait_next_paint (FrameWatch *watch)
{
  watch->paint_mark = watch->n_painted;
  gtk_widget_queue_draw (watch->list_view);
  return wait_until (watch, painted_since_mark);
}

/* The list view shows its rows over a few frames when a short list grows
 * a lot (VouchSlotSelection); this is the frame that completes it. */
static gboolean
all_rows_listed (FrameWatch *watch)
{
  GtkSelectionModel *rows = gtk_list_view_get_model (GTK_LIST_VIEW (watch->list_view));

  return vouch_slot_selection_get_n_pending (VOUCH_SLOT_SELECTION (rows)) == 0;
}

static gboolean
wait_all_rows_painted (FrameWatch *watch)
{
  return wait_until (watch, all_rows_listed) && wait_next_paint (watch);
}

static gboolean
window_loaded (FrameWatch *watch)
{
  return vouch_window_get_loaded (VOUCH_WINDOW (watch->window));
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window)
{
  g_signal_connect (window, "realize", G_CALLBACK (cold_realize_cb), NULL);
}

/* What src/main.c does, plus a hook on the first window's frame clock. */
static int
vouch_cold_start (void)
{
  g_autoptr(VouchApplication) application = NULL;
  char *args[] = { (char *)"vouch", NULL };

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  vouch_process_harden ();

  g_set_application_name (_("Vouch"));
  application = vouch_application_new ();
  g_signal_connect (application, "window-added", G_CALLBACK (window_added_cb), NULL);
  g_timeout_add_seconds (TIMEOUT_SECONDS, cold_timeout_cb, NULL);
  g_application_run (G_APPLICATION (application), 1, args);
  g_printerr ("bench-ui: the app quit before its first frame\n");
  return 1;
}

static const char *kinds[] = {
  "Office Printer", "Storage NAS", "Door Camera", "Boiler PLC", "Access Point",
  "Thermostat", "Badge Reader", "Conference Display", "UPS", "Lab Scope",
};

/* Each model names ~10% of the devices, and no model's text occurs in a
 * name, host or address, so a model search matches exactly its devices. */
static const char *models[] = {
  "LaserJet M404", "Synology DS920+", "Axis P3245", "Siemens S7-1200", "Aruba AP-515",
  "Honeywell T6", "HID Signo 40", "Barco ClickShare", "APC Smart-UPS", "Rigol DS1104Z",
};

/* @n devices whose statuses vary as on a real network: most new, some
 * verified, trusted, expiring, offline, needing attention or without the
 * Vouch API. */
static GListModel *
vouch_model_new (int n)
{
  GListStore *store = g_list_store_new (VOUCH_TYPE_DEVICE);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *id = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)&i,
                                                         sizeof i);
      g_autofree char *name = g_strdup_printf ("%s %05d", kinds[i % G_N_ELEMENTS (kinds)], i);
      g_autofree char *host = g_strdup_printf ("dev-%05d.local", i);
      g_autofree char *address = g_strdup_printf ("10.0.%d.%d", i / 250, i % 250 + 1);
      const char *addresses[] = { address, NULL };
      const char *txt_new[] = { "txtvers=1", "api=/vouch/v1", "state=new", NULL };
      const char *txt_enrolled[] = { "txtvers=1", "api=/vouch/v1", "state=enrolled", NULL };
      VouchDevice *device = vouch_device_new (id, i % 97 == 0 ? VOUCH_DEVICE_KIND_HTTPS_ONLY
                                                              : VOUCH_DEVICE_KIND_VOUCH);

      vouch_device_set_name (device, name);
      vouch_device_set_model (device, models[(i / 7) % G_N_ELEMENTS (models)]);
      vouch_device_set_host (device, host);
      vouch_device_set_port (device, 443);
      vouch_device_set_addresses (device, addresses);
      vouch_device_set_online (device, i % 23 != 0);

      if (i % 5 == 0)
        {
          /* Trusted, and one in eight of those expiring within the month. */
          vouch_device_set_txt (device, txt_enrolled);
          vouch_device_set_verification (device, VOUCH_VERIFICATION_SETUP_CODE);
          vouch_device_set_step (device, VOUCH_ONBOARDING_STEP_CONFIRMED);
          vouch_device_set_certificate_expiry (device, now + (i % 8 == 0 ? 10 : 300) * 86400);
        }
      else
        {
          vouch_device_set_txt (device, txt_new);
          if (i % 5 == 1)
            {
              vouch_device_set_verification (device, VOUCH_VERIFICATION_SETUP_CODE);
              vouch_device_set_step (device, VOUCH_ONBOARDING_STEP_VERIFIED);
            }
          if (i % 61 == 0)
            vouch_device_set_attention (device, "The device rejected the certificate");
        }
      g_ptr_array_add (devices, device);
    }

  /* One splice, so the model announces 10,000 devices at once as
   * discovery's initial batch would, rather than 10,000 items-changed. */
  g_list_store_splice (store, 0, 0, devices->pdata, devices->len);
  return G_LIST_MODEL (store);
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
ensure_root (GError **error)
{
  g_autoptr(VouchAuthority) authority = vouch_authority_new (NULL);
  g_autoptr(VouchNameConstraints) constraints = vouch_name_constraints_new_local_defaults ();

  if (!vouch_authority_load (authority, error))
    return FALSE;
  if (vouch_authority_get_root (authority) != NULL)
    return TRUE;
  return vouch_authority_create_root (authority, "Bench Root", VOUCH_KEY_TYPE_ECDSA_P256,
                                      constraints, NULL, error);
}

static double
result (GHashTable    *results,
        const char *key)
{
  double *value = g_hash_table_lookup (results, key);

  return value != NULL ? *value : NAN;
}

static void
set_result (GHashTable    *results,
            const char *key,
            double      value)
{
  double *stored = g_new (double, 1);

  *stored = value;
  g_hash_table_replace (results, g_strdup (key), stored);
}

static GHashTable *
results_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Runs a child and reads the "key value" lines it prints. */
static GHashTable *
run_child (const char * const  *argv,
           gint64              *spawned,
           GError             **error)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *results;

  *spawned = g_get_monotonic_time ();
  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (child == NULL)
    return NULL;
  if (!g_subprocess_communicate_utf8 (child, NULL, NULL, &output, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (child))
    {
      g_set_error (error, G_SPAWN_EXIT_ERROR, 1, "%s failed", argv[0]);
      return NULL;
    }

  results = results_new ();
  lines = g_strsplit (output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", 2);

      if (g_strv_length (fields) == 2)
        set_result (results, fields[0], g_ascii_strtod (fields[1], NULL));
    }
  return results;
}

typedef struct
{
  GArray *total_ms; /* spawn → first after-paint */
  GArray *main_ms;  /* spawn → main (): exec and dynamic linking */
  GArray *ready_ms; /* spawn → first after-paint showing the pages */
} ColdStarts;

static void
cold_starts_init (ColdStarts *cold)
{
  cold->total_ms = g_array_new (FALSE, FALSE, sizeof (double));
  cold->main_ms = g_array_new (FALSE, FALSE, sizeof (double));
  cold->ready_ms = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
cold_starts_clear (ColdStarts *cold)
{
  g_clear_pointer (&cold->total_ms, g_array_unref);
  g_clear_pointer (&cold->main_ms, g_array_unref);
  g_clear_pointer (&cold->ready_ms, g_array_unref);
}

static gboolean
cold_start_once (const char  *program,
                 ColdStarts  *cold,
                 GError     **error)
{
  const char *argv[] = { program, "--cold-start", NULL };
  g_autoptr(GHashTable) child = NULL;
  gint64 spawned;
  double total;
  double to_main;
  double ready;

  child = run_child (argv, &spawned, error);
  if (child == NULL)
    return FALSE;
  total = (result (child, "first-frame-us") - spawned) / 1000.0;
  to_main = (result (child, "main-us") - spawned) / 1000.0;
  /* An older build's child reports only its first frame. */
  ready = (g_hash_table_contains (child, "ready-us") ? result (child, "ready-us")
                                                    : result (child, "first-frame-us"));
  ready = (ready - spawned) / 1000.0;
  g_array_append_val (cold->total_ms, total);
  g_array_append_val (cold->main_ms, to_main);
  g_array_append_val (cold->ready_ms, ready);
  return TRUE;
}

typedef struct
{
  const char *label;
  const char *term;
  GArray     *call_ms;
  GArray     *frame_ms;
  GArray     *complete_ms;
  guint       matches;
} FilterMeasure;

typedef struct
{
  double model_ms;
  double window_first_frame_ms;
  double source_call_ms;
  double source_first_frame_ms;
  double source_complete_ms;
  Stats  scroll_work;
  Stats  scroll_interval;
  double rss_first_frame_mb;
  double rss_scrolled_mb;
  double rss_filtered_mb;
  double hwm_mb;
  double rss_before_mb;
} VouchList;

static gboolean
measure_vouch_list (VouchList     *out,
                    FilterMeasure *filters,
                    guint          n_filters,
                    GError       **error)
{
  g_autoptr(VouchApplication) application = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GListStore) empty = g_list_store_new (VOUCH_TYPE_DEVICE);
  VouchWindow *window;
  VouchDevicesPage *page;
  GtkWidget *list_view;
  FrameWatch watch;
  gint64 start;

  gtk_init ();
  adw_init ();
  vouch_ui_register_resources ();

  application = vouch_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (application), NULL, error))
    return FALSE;
  out->rss_before_mb = read_vm_mb ("VmRSS:");

  start = g_get_monotonic_time ();
  model = vouch_model_new (opt_devices);
  out->model_ms = (g_get_monotonic_time () - start) / 1000.0;

  /* A new window, given the devices as soon as it has made its pages
   * (after its first frame, which shows the loading page). */
  start = g_get_monotonic_time ();
  window = vouch_window_new (application);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  frame_watch_init (&watch, GTK_WIDGET (window), VOUCH_TYPE_DEVICE_ROW);
  gtk_window_present (GTK_WINDOW (window));
  if (!wait_until (&watch, window_loaded))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the window never made its pages");
      return FALSE;
    }
  page = VOUCH_DEVICES_PAGE (find_widget (GTK_WIDGET (window), VOUCH_TYPE_DEVICES_PAGE));
  g_assert (page != NULL);
  _vouch_devices_page_set_source (page, model);
  list_view = GTK_WIDGET (_vouch_devices_page_get_list_view (page));
  g_assert (list_view != NULL);
  watch.list_view = list_view;
  watch.want_rows = TRUE;
  if (!wait_rows_painted (&watch))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the window never showed device rows");
      return FALSE;
    }
  out->window_first_frame_ms = (watch.rows_painted - start) / 1000.0;
  settle (300);
  out->rss_first_frame_mb = read_vm_mb ("VmRSS:");

  /* Setting the source on a page that is already shown. */
  _vouch_devices_page_set_source (page, G_LIST_MODEL (empty));
  settle (300);
  watch.want_rows = TRUE;
  start = g_get_monotonic_time ();
  _vouch_devices_page_set_source (page, model);
  out->source_call_ms = (g_get_monotonic_time () - start) / 1000.0;
  if (!wait_rows_painted (&watch))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the page never showed rows again");
      return FALSE;
    }
  out->source_first_frame_ms = (watch.rows_painted - start) / 1000.0;
  if (!all_rows_listed (&watch) && !wait_all_rows_painted (&watch))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the page never listed every device");
      return FALSE;
    }
  out->source_complete_ms = (watch.last_painted - start) / 1000.0;
  settle (300);

  if (!scroll_through (&watch, opt_scroll_steps))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "scrolling did not finish");
      return FALSE;
    }
  out->scroll_work = stats_of (watch.work_ms, FRAME_BUDGET_MS);
  out->scroll_interval = stats_of (watch.interval_ms, 2 * FRAME_BUDGET_MS);
  settle (300);
  out->rss_scrolled_mb = read_vm_mb ("VmRSS:");

  for (int round = 0; round < opt_filter_rounds; round++)
    for (guint i = 0; i < n_filters; i++)
      {
        FilterMeasure *filter = &filters[i];
        double call;
        double frame;
        double complete;

        start = g_get_monotonic_time ();
        _vouch_devices_page_set_search (page, filter->term);
        call = (g_get_monotonic_time () - start) / 1000.0;
        if (!wait_next_paint (&watch))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no frame after filtering");
            return FALSE;
          }
        frame = (watch.last_painted - start) / 1000.0;
        if (!all_rows_listed (&watch) && !wait_all_rows_painted (&watch))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the list never completed");
            return FALSE;
          }
        complete = (watch.last_painted - start) / 1000.0;
        g_array_append_val (filter->call_ms, call);
        g_array_append_val (filter->frame_ms, frame);
        g_array_append_val (filter->complete_ms, complete);
        filter->matches = g_list_model_get_n_items (_vouch_devices_page_get_model (page));
        settle (400);
      }
  out->rss_filtered_mb = read_vm_mb ("VmRSS:");
  out->hwm_mb = read_vm_mb ("VmHWM:");

  gtk_window_destroy (GTK_WINDOW (window));
  settle (100);
  frame_watch_clear (&watch);
  return TRUE;
}

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

static GString *
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

static GString *
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

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) peer = NULL;
  g_autofree char *peer_program = NULL;
  g_autofree char *floor_program = NULL;
  g_autofree char *self_program = NULL;
  g_autoptr(GString) md = NULL;
  ColdStarts vouch_cold = { NULL, NULL, NULL };
  ColdStarts floor_cold = { NULL, NULL, NULL };
  ColdStarts peer_cold = { NULL, NULL, NULL };
  ColdStarts base_cold = { NULL, NULL, NULL };
  VouchList vouch = { 0 };
  g_autofree char *name_term = NULL;
  g_autofree char *address_term = NULL;
  FilterMeasure filters[] = {
    { "by name, one device", NULL, NULL, NULL, 0 },
    { "by model, ~10%", "axis p3245", NULL, NULL, 0 },
    { "by address prefix", NULL, NULL, NULL, 0 },
    { "cleared", "", NULL, NULL, 0 },
  };
  gint64 spawned;

  if (!parse_options (&argc, &argv, "- the devices view with many devices"))
    return 2;
  if (opt_cold_start)
    return vouch_cold_start ();

  /* Terms that exist at any --devices: a name from the middle of the
   * list (kind 2, "Door Camera") and the middle /24's prefix. */
  name_term = g_strdup_printf ("%s %05d", kinds[2], opt_devices / 20 * 10 + 2);
  address_term = g_strdup_printf ("10.0.%d.", opt_devices / 500);
  filters[0].term = name_term;
  filters[2].term = address_term;

  self_program = g_file_read_link ("/proc/self/exe", &error);
  if (self_program == NULL)
    g_error ("%s", error->message);
  {
    g_autofree char *dir = g_path_get_dirname (self_program);

    peer_program = (opt_peer != NULL ? g_strdup (opt_peer)
                                     : g_build_filename (dir, "bench-ui-peer", NULL));
    floor_program = (opt_floor != NULL ? g_strdup (opt_floor)
                                       : g_build_filename (dir, "bench-ui-floor", NULL));
  }

  /* The devices page is shown only once there is a root; the cold-start
   * children find this one in the same data directory. */
  if (!ensure_root (&error))
    g_error ("creating the root: %s", error->message);

  portal_running = start_desktop_portal ();

  /* Cold starts first, while this process is small and idle; the
   * programs take turns so that a burst of load hits each. Each round
   * starts with the next program: the one after Vouch starts while the X
   * server and the bus still clean up after Vouch's exit, and that
   * should not always be the same one. */
  cold_starts_init (&vouch_cold);
  cold_starts_init (&floor_cold);
  cold_starts_init (&peer_cold);
  cold_starts_init (&base_cold);
  {
    struct { const char *program; ColdStarts *cold; } turns[] = {
      { self_program, &vouch_cold },
      { floor_program, &floor_cold },
      { peer_program, &peer_cold },
      { opt_baseline, &base_cold },
    };
    guint n_turns = (opt_baseline != NULL ? 4 : 3);

    for (int i = 0; i < opt_cold_runs; i++)
      for (guint j = 0; j < n_turns; j++)
        {
          guint turn = (i + j) % n_turns;

          if (opt_references_only && turns[turn].cold == &vouch_cold)
            continue;
          if (!cold_start_once (turns[turn].program, turns[turn].cold, &error))
            g_error ("cold start: %s", error->message);
        }
  }

  if (opt_cold_only)
    {
      md = format_cold_only (&vouch_cold, &floor_cold, &peer_cold, &base_cold);
      printf ("\n%s", md->str);
      goto out;
    }

  {
    g_autofree char *devices = g_strdup_printf ("%d", opt_devices);
    g_autofree char *steps = g_strdup_printf ("%d", opt_scroll_steps);
    const char *peer_argv[] = { peer_program, "--list", "--devices", devices,
                                "--scroll-steps", steps, NULL };

    peer = run_child (peer_argv, &spawned, &error);
    if (peer == NULL)
      g_error ("the GtkListView peer: %s", error->message);
  }

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      filters[i].call_ms = g_array_new (FALSE, FALSE, sizeof (double));
      filters[i].frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
      filters[i].complete_ms = g_array_new (FALSE, FALSE, sizeof (double));
    }
  if (!measure_vouch_list (&vouch, filters, G_N_ELEMENTS (filters), &error))
    g_error ("the devices page: %s", error->message);

  md = format_results (&vouch, peer, &vouch_cold, &floor_cold, &peer_cold, &base_cold, filters,
                       G_N_ELEMENTS (filters));
  printf ("\n%s", md->str);

  if (opt_out != NULL)
    {
      g_autoptr(GString) file = g_string_new (NULL);

      g_string_append (file,
                       "## The devices view with 10,000 devices\n\n"
                       "Measured by `tests/bench/bench-ui.c` (`meson test -C BUILD --benchmark ui "
                       "-v`) under Xvfb with `GSK_RENDERER=cairo`: Vouch's real window and devices "
                       "page next to a plain `GtkListView` of `GtkLabel` rows over a "
                       "`GtkStringList` (bench-ui-peer, GTK alone), each in its own process; for "
                       "cold start also the floor, the smallest libadwaita app of Vouch's shape "
                       "(bench-ui-floor: `AdwApplication`, `AdwApplicationWindow` with a header "
                       "bar and a view stack holding one status page; GTK and libadwaita alone). "
                       "Times "
                       "come from the window's frame clock: a first frame is the first "
                       "after-paint in which rows are mapped, a frame's work is before-paint to "
                       "after-paint. Scrolling moves the list's adjustment one step per frame "
                       "through the whole list. Cold start is from spawning the program to its "
                       "first after-paint; Vouch's child runs what `src/main.c` runs, with the "
                       "root already made. The benchmark never fails on timing.\n\n");
      g_string_append (file, md->str);
      if (!g_file_set_contents (opt_out, file->str, file->len, &error))
        g_error ("%s", error->message);
    }

out:
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_clear_pointer (&filters[i].call_ms, g_array_unref);
      g_clear_pointer (&filters[i].frame_ms, g_array_unref);
      g_clear_pointer (&filters[i].complete_ms, g_array_unref);
    }
  cold_starts_clear (&vouch_cold);
  cold_starts_clear (&floor_cold);
  cold_starts_clear (&peer_cold);
  cold_starts_clear (&base_cold);
  g_free (opt_out);
  g_free (opt_peer);
  g_free (opt_floor);
  g_free (opt_baseline);
  return 0;
}

#endif /* BENCH_UI_PEER_ONLY */
