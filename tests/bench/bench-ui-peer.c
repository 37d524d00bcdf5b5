/* bench-ui-peer.c: bench-ui's references, each cold-started and measured
 * in a process of its own, so that neither side's caches or memory count
 * for the other
 *
 * Built into bench-ui-peer, which links GTK alone: a GtkWindow with one
 * label, and a plain GtkListView of GtkLabels (the floor for GTK itself),
 * so its cold start does not pay for loading libadwaita, libsoup, GnuTLS
 * and the rest. Built with -DBENCH_UI_FLOOR into bench-ui-floor, linked
 * against GTK and libadwaita alone: the smallest libadwaita application
 * of Vouch's shape (an AdwApplication whose AdwApplicationWindow holds a
 * header bar and a view stack with one status page). What it costs above
 * the peer, every libadwaita app pays, so it shows how near the peer
 * Vouch can get.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-ui.h"

#ifdef BENCH_UI_FLOOR
#include <adwaita.h>
#endif

/* The references' first frame is all they show. */
gboolean
cold_window_ready (GtkWidget *window)
{
  return TRUE;
}

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
