/* bench-ui.h: what the parts of bench-ui share
 *
 * bench-ui-common.c (the options, frame timing, statistics and the cold
 * start's hooks) goes into all three programs: bench-ui (bench-ui.c and
 * bench-ui-report.c, Vouch), bench-ui-peer and bench-ui-floor
 * (bench-ui-peer.c, GTK or GTK and libadwaita alone).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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

/* The command line, the same for all three programs (bench-ui-common.c). */
extern int      opt_devices;
extern int      opt_scroll_steps;
extern int      opt_cold_runs;
extern int      opt_filter_rounds;
extern gboolean opt_cold_start;
extern gboolean opt_cold_only;
extern gboolean opt_references_only;
extern gboolean opt_list;
extern char    *opt_out;
extern char    *opt_peer;
extern char    *opt_floor;
extern char    *opt_baseline;

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

typedef gboolean (*WatchCondition) (FrameWatch *watch);

typedef struct
{
  double median;
  double p95;
  double min;
  double max;
  guint  n;
  guint  over_budget;
} Stats;

/* bench-ui-common.c */
gboolean  parse_options      (int             *argc,
                              char          ***argv,
                              const char      *summary);
void      frame_watch_init   (FrameWatch      *watch,
                              GtkWidget       *window,
                              GType            row_type);
void      frame_watch_clear  (FrameWatch      *watch);
void      settle             (guint            milliseconds);
gboolean  wait_until         (FrameWatch      *watch,
                              WatchCondition   done);
gboolean  rows_painted       (FrameWatch      *watch);
gboolean  wait_rows_painted  (FrameWatch      *watch);
gboolean  scroll_through     (FrameWatch      *watch,
                              int              steps);
Stats     stats_of           (GArray          *values,
                              double           budget);
double    read_vm_mb         (const char      *field);
void      emit               (const char      *key,
                              double           value);
void      cold_realize_cb    (GtkWidget       *window);
gboolean  cold_timeout_cb    (gpointer         user_data);

/* Whether the cold-started window shows what it will show, which each
 * program answers for its own window. */
gboolean cold_window_ready (GtkWidget *window);

/* bench-ui.c and bench-ui-report.c: Vouch's side */
typedef struct
{
  GArray *total_ms; /* spawn → first after-paint */
  GArray *main_ms;  /* spawn → main (): exec and dynamic linking */
  GArray *ready_ms; /* spawn → first after-paint showing the pages */
} ColdStarts;

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

extern gboolean portal_running;

double    result             (GHashTable      *results,
                              const char      *key);
GString  *format_results     (VouchList       *vouch,
                              GHashTable      *peer,
                              ColdStarts      *vouch_cold,
                              ColdStarts      *floor_cold,
                              ColdStarts      *peer_cold,
                              ColdStarts      *base_cold,
                              FilterMeasure   *filters,
                              guint            n_filters);
GString  *format_cold_only   (ColdStarts      *vouch_cold,
                              ColdStarts      *floor_cold,
                              ColdStarts      *peer_cold,
                              ColdStarts      *base_cold);
