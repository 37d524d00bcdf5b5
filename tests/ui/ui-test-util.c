/* ui-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"

#include <string.h>

#include "vouch-test-util.h"
#include "vouch-inventory-private.h"
#include "vouch-passphrase-dialog.h"
#include "vouch-ui-util.h"

void
ui_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
  vouch_ui_register_resources ();
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * ui_test_wait:
 *
 * Runs the main loop until @condition holds or @seconds pass.
 *
 * Returns: whether @condition held
 */
gboolean
ui_test_wait (UiTestCondition condition,
              gpointer        user_data,
              guint           seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return condition (user_data);
}

typedef struct
{
  guint ticks;
} FrameCount;

static gboolean
count_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  FrameCount *count = user_data;

  count->ticks++;
  return G_SOURCE_CONTINUE;
}

/* Two ticks of a window's frame clock bracket one whole frame (update,
 * layout, paint), so whatever was queued before the first has been laid
 * out and drawn after the second. Bounded: a window whose clock never
 * runs (not mapped yet) must not hang the test. */
static void
wait_for_frames (guint seconds)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree FrameCount *counts = NULL;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  gboolean done = FALSE;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_widget_get_mapped (l->data))
      g_ptr_array_add (windows, g_object_ref (l->data));

  counts = g_new0 (FrameCount, MAX (windows->len, 1));
  for (guint i = 0; i < windows->len; i++)
    {
      guint id = gtk_widget_add_tick_callback (windows->pdata[i], count_tick_cb, &counts[i], NULL);

      g_array_append_val (ids, id);
    }

  while (!done && g_get_monotonic_time () < deadline)
    {
      done = TRUE;
      for (guint i = 0; i < windows->len; i++)
        if (counts[i].ticks < 2 && gtk_widget_get_mapped (windows->pdata[i]))
          done = FALSE;
      if (!done && !g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  for (guint i = 0; i < windows->len; i++)
    gtk_widget_remove_tick_callback (windows->pdata[i], g_array_index (ids, guint, i));

  /* Whatever those frames queued (idle handlers, size changes) runs too. */
  for (int i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/**
 * ui_test_get_boolean:
 *
 * Returns: the boolean @property of @object
 */
gboolean
ui_test_get_boolean (gpointer    object,
                     const char *property)
{
  gboolean value = FALSE;

  g_object_get (object, property, &value, NULL);
  return value;
}

typedef struct
{
  GMainLoop  *loop;
  const char *property;
  gboolean    value;
} BooleanWait;

static void
boolean_notify_cb (GObject     *object,
                   GParamSpec  *pspec,
                   BooleanWait *wait)
{
  if (ui_test_get_boolean (object, wait->property) == wait->value)
    g_main_loop_quit (wait->loop);
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * ui_test_wait_boolean:
 *
 * Runs the main loop until @object's boolean @property, which notifies
 * its changes, is @value, or @seconds pass.
 *
 * Returns: whether @property is @value
 */
gboolean
ui_test_wait_boolean (gpointer    object,
                      const char *property,
                      gboolean    value,
                      guint       seconds)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *signal = g_strconcat ("notify::", property, NULL);
  BooleanWait wait = { loop, property, value };
  gulong handler;
  guint timeout;

  if (ui_test_get_boolean (object, property) == value)
    return TRUE;
  handler = g_signal_connect (object, signal, G_CALLBACK (boolean_notify_cb), &wait);
  timeout = g_timeout_add_seconds (seconds, quit_loop_cb, loop);
  g_main_loop_run (loop);
  g_signal_handler_disconnect (object, handler);
  if (ui_test_get_boolean (object, property) == value)
    g_source_remove (timeout);
  return ui_test_get_boolean (object, property) == value;
}

/**
 * ui_test_settle:
 *
 * Lets idle work and animations run for at least @milliseconds, and then
 * until every window on screen has laid out and drawn a frame: slow runs
 * (valgrind, the sanitizers) take longer rather than fail. Work that ends
 * later (a thread, the keyring, a device) needs ui_test_wait() on its
 * result instead.
 */
void
ui_test_settle (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  wait_for_frames (10);
}

/* Depth-first search of the widget tree. */
GtkWidget *
ui_test_find (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
widget_text (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  return NULL;
}

/**
 * ui_test_find_labelled:
 *
 * Finds a widget of @type whose label or title contains @text, as a user
 * would look for it.
 */
GtkWidget *
ui_test_find_labelled (GtkWidget  *root,
                       GType       type,
                       const char *text)
{
  const char *own;

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (own = widget_text (root)) != NULL &&
      strstr (own, text) != NULL)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_labelled (child, type, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * ui_test_inline_error:
 * @field: an entry or entry row
 *
 * The error a person reads right under @field: the label in the widget
 * that follows it, if that is shown. It must wrap rather than be cut.
 *
 * Returns: (nullable): the message, or %NULL when none shows
 */
const char *
ui_test_inline_error (GtkWidget *field)
{
  GtkWidget *next = gtk_widget_get_next_sibling (field);
  GtkWidget *label;

  if (next == NULL || !gtk_widget_get_visible (next))
    return NULL;
  label = GTK_IS_LABEL (next) ? next : ui_test_find (next, GTK_TYPE_LABEL);
  if (label == NULL || !gtk_widget_get_visible (label) ||
      !gtk_widget_has_css_class (label, "error"))
    return NULL;
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (label)));
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_NONE);
  g_assert_cmpint (gtk_label_get_lines (GTK_LABEL (label)), ==, -1);
  return gtk_label_get_text (GTK_LABEL (label));
}

/**
 * ui_test_create_loopback_root:
 *
 * Creates a root in this HOME that may sign for the local defaults and
 * 127.0.0.0/8, where the tests' agents live.
 */
void
ui_test_create_loopback_root (const char *name)
{
  g_autoptr(VouchAuthority) authority = vouch_authority_new (NULL);
  g_autoptr(VouchNameConstraints) constraints = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vouch_name_constraints_add (constraints, "127.0.0.0/8", &error));
  g_assert_true (vouch_authority_create_root (authority, name, VOUCH_KEY_TYPE_ECDSA_P256,
                                              constraints, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
window_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

static gboolean
window_loaded (gpointer user_data)
{
  return vouch_window_get_loaded (VOUCH_WINDOW (user_data));
}

static gboolean
application_loaded (gpointer user_data)
{
  return vouch_application_get_loaded (VOUCH_APPLICATION (user_data));
}

/* The window shows a loading page first and its pages once the
 * application has read its data folder (VouchWindow:loaded). */
static void
wait_window_loaded (VouchWindow *window)
{
  g_assert_true (ui_test_wait (window_mapped, window, 10));
  g_assert_true (ui_test_wait (window_loaded, window, 30));
  ui_test_settle (300);
}

/**
 * ui_test_open_window:
 *
 * Registers @application, opens its real window at the given size and
 * waits until it is on screen with its pages (VouchWindow:loaded).
 */
VouchWindow *
ui_test_open_window (VouchApplication *application,
                     int               width,
                     int               height)
{
  g_autoptr(GError) error = NULL;
  VouchWindow *window;

  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (application));

  window = VOUCH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  wait_window_loaded (window);
  return window;
}

/* Opens the page @name as its sidebar row does (win.show-page) and
 * returns the page's widget, which must then be on screen. */
GtkWidget *
ui_test_show_page (VouchWindow *window,
                   const char  *name,
                   GType        page_type,
                   guint        settle_ms)
{
  GtkWidget *page;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name);
  ui_test_settle (settle_ms);
  page = ui_test_find (GTK_WIDGET (window), page_type);
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_get_mapped (page));
  return page;
}

/* Closes a test's window and puts back the colour scheme it may have
 * changed, so the next test starts as a person's session would. */
void
ui_test_destroy_window (GtkWindow *window)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (window);
  ui_test_settle (100);
}

/**
 * ui_test_close_window:
 *
 * Closes the window that ui_test_open_window() opened for a program's
 * tests, once g_test_run() has returned, and drops its application.
 */
void
ui_test_close_window (VouchApplication **application,
                      VouchWindow       *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
  g_clear_object (application);
}

/**
 * ui_test_run_in_window:
 *
 * Runs the tests added so far in one new application and its real
 * window, opened at @width by @height and kept in *@application and
 * *@window for them: an application can be registered on the session bus
 * only once, so a program's tests share it and run in order.
 *
 * Returns: what g_test_run() returns
 */
int
ui_test_run_in_window (VouchApplication **application,
                       VouchWindow      **window,
                       int                width,
                       int                height)
{
  int status;

  *application = vouch_application_new ();
  *window = ui_test_open_window (*application, width, height);
  status = g_test_run ();
  ui_test_close_window (application, *window);
  return status;
}

/**
 * ui_test_ensure_root:
 *
 * Creates a root in this HOME, limited to the local defaults, unless one
 * exists: the tests of one program share a HOME.
 */
void
ui_test_ensure_root (void)
{
  g_autoptr(VouchAuthority) authority = vouch_authority_new (NULL);
  g_autoptr(VouchNameConstraints) constraints = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vouch_authority_load (authority, &error));
  g_assert_no_error (error);
  if (vouch_authority_get_root (authority) != NULL)
    return;

  g_assert_true (vouch_authority_create_root (authority, "Vouch Test Root", VOUCH_KEY_TYPE_ECDSA_P256,
                                              constraints, NULL, &error));
  g_assert_no_error (error);
}

/**
 * ui_test_get_application:
 *
 * Returns: (transfer none): one registered application for the whole
 *   program, made after ui_test_ensure_root() so it starts with a root,
 *   with its data folder read (VouchApplication:loaded). An application
 *   can be registered on the session bus only once.
 */
VouchApplication *
ui_test_get_application (void)
{
  static VouchApplication *application;

  if (application == NULL)
    {
      g_autoptr(GError) error = NULL;

      ui_test_ensure_root ();
      application = vouch_application_new ();
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
      g_assert_no_error (error);
      g_assert_true (ui_test_wait (application_loaded, application, 30));
    }

  return application;
}

/**
 * ui_test_issue:
 * @device: the device's name; its ID is "id-@device", its DNS name
 *   "@device.home.arpa"
 * @days: the certificate's validity, or 0 for the default
 *
 * Saves @device in ui_test_get_application()'s inventory and signs and
 * confirms a certificate for it, as onboarding would, so pages have
 * certificates and History has events to show.
 *
 * Returns: (transfer full): the certificate's serial
 */
char *
ui_test_issue (const char *device,
               guint       days)
{
  VouchAuthority *authority = vouch_application_get_authority (ui_test_get_application ());
  VouchInventory *inventory = vouch_authority_get_inventory (authority);
  g_autofree char *name = g_strdup_printf ("%s.home.arpa", device);
  g_autofree char *id = g_strdup_printf ("id-%s", device);
  g_autofree char *csr = vouch_test_make_simple_csr (name);
  g_autoptr(VouchDevice) saved = vouch_device_new (id, VOUCH_DEVICE_KIND_VOUCH);
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;

  vouch_device_set_name (saved, device);
  g_assert_true (vouch_inventory_save_device (inventory, saved, &error));
  g_assert_no_error (error);
  options.device_id = id;
  if (days > 0)
    options.days = days;
  cert = vouch_authority_sign (authority, (const guint8 *)csr, strlen (csr), &options, NULL,
                               &error);
  g_assert_no_error (error);
  g_assert_true (_vouch_inventory_confirm_certificate (inventory, vouch_certificate_get_serial (cert),
                                                       id, &error));
  g_assert_no_error (error);
  return g_strdup (vouch_certificate_get_serial (cert));
}

/**
 * ui_test_new_window:
 *
 * Opens a new real window of ui_test_get_application() and waits until it
 * is on screen with its pages.
 */
VouchWindow *
ui_test_new_window (int width,
                    int height)
{
  VouchWindow *window = vouch_window_new (ui_test_get_application ());

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  wait_window_loaded (window);
  return window;
}

/**
 * ui_test_keep_system_stores:
 *
 * Keeps the machine's own trust stores (the system's anchors, the JDK's
 * cacerts) out of reach of the window under test: Vouch sees them as
 * absent, and no helper can change them. Only the stores in the test's
 * HOME remain.
 */
void
ui_test_keep_system_stores (void)
{
  g_autofree char *empty = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "no-system", NULL);

  g_assert_nonnull (g_getenv ("VOUCH_TEST_TMPDIR"));
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  g_setenv ("VOUCH_SYSTEM_ROOT", empty, TRUE);
  g_setenv ("JAVA_HOME", empty, TRUE);
  g_setenv ("VOUCH_TRUST_HELPER", "/bin/false", TRUE);
}

/**
 * ui_test_make_token:
 *
 * Makes a SoftHSM2 token labelled @label with the user PIN @pin in this
 * HOME, and points SOFTHSM2_CONF (so p11-kit's softhsm2 module) at it.
 */
void
ui_test_make_token (const char *label,
                    const char *pin)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), "tokens", NULL);
  g_autofree char *conf_path = g_build_filename (g_get_home_dir (), "softhsm2.conf", NULL);
  g_autofree char *conf = g_strdup_printf ("directories.tokendir = %s\nobjectstore.backend = "
                                           "file\nlog.level = ERROR\n", dir);
  const char *argv[] = { "softhsm2-util", "--init-token", "--free", "--label", label,
                         "--so-pin", "12345678", "--pin", pin, NULL };
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  g_setenv ("SOFTHSM2_CONF", conf_path, TRUE);
  g_assert_true (vouch_test_run (argv, NULL, NULL, NULL, &status));
  g_assert_cmpint (status, ==, 0);
}

/**
 * ui_test_answer_pin:
 *
 * Types @pin into the security key PIN dialog once it shows, and clicks
 * Continue.
 */
void
ui_test_answer_pin (const char *pin)
{
  GtkWindow *dialog = ui_test_wait_toplevel (VOUCH_TYPE_PASSPHRASE_DIALOG, 30);
  GtkWidget *field;

  g_assert_nonnull (dialog);
  field = ui_test_find (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW);
  ui_test_type (field, pin);
  ui_test_click_button (GTK_WIDGET (dialog), "Continue");
}
