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
 * The peer and the floor are bench-ui-peer.c, built into bench-ui-peer
 * (GTK alone) and bench-ui-floor (GTK and libadwaita alone); the tables
 * are written by bench-ui-report.c.
 *
 * Run it under Xvfb with GSK_RENDERER=cairo and a private HOME and keyring
 * (tests/bench/meson.build does). This is a benchmark: it prints PASS/MISS
 * against the targets but exits 0 on a miss. It fails only when something
 * errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-application.h"
#include "vouch-authority.h"
#include "vouch-device-row.h"
#include "vouch-device-status.h"
#include "vouch-devices-page-private.h"
#include "vouch-devices-page.h"
#include "vouch-slot-selection.h"
#include "vouch-slot-selection-private.h"
#include "vouch-ui-util.h"
#include "vouch-util.h"
#include "vouch-window.h"

#include "bench-ui.h"

#include <glib/gi18n.h>

/* Vouch's window shows a loading page in its first frame and its pages a
 * few frames later (VouchWindow:loaded). */
gboolean
cold_window_ready (GtkWidget *window)
{
  return vouch_window_get_loaded (VOUCH_WINDOW (window));
}

/* A desktop session runs a session manager or the desktop portal. Without
 * either, GtkApplication (GTK 4.8) asks the bus to start the portal's
 * Inhibit interface at every launch and waits for it; in a headless test
 * session that start fails each time, since the portal's GTK backend has no
 * display. Like a login does, give the bus this display and start the
 * portal once, so each cold start meets the session a user's app meets.
 * Returns whether the portal runs. */
gboolean portal_running;

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

  return _vouch_slot_selection_get_n_pending (VOUCH_SLOT_SELECTION (rows)) == 0;
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

double
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
