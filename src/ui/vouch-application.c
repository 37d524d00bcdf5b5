/* vouch-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-application.h"

#include "vouch-clock.h"
#include "vouch-help.h"
#include "vouch-preferences-window.h"
#include "vouch-reminder.h"
#include "vouch-ui-util.h"
#include "vouch-window.h"

#include <glib/gi18n.h>

/* One instance per session (GApplication's default uniqueness). The core
 * objects live here so every window shares one inventory connection, one
 * mDNS browser and one onboarding engine.
 *
 * Starting is in three steps, so the window's first frame waits for
 * nothing but GTK: startup opens the data folder on a worker thread;
 * when that is done the core objects are made (quick, no I/O) and
 * #VouchApplication:loaded turns TRUE; once a window has shown its pages
 * (#VouchWindow:loaded), discovery (the inventory's devices, the Avahi
 * client) and the reminder timer start. */
struct _VouchApplication
{
  AdwApplication   parent_instance;

  VouchAuthority  *authority;
  VouchDiscovery  *discovery;
  VouchOnboarding *onboarding;
  VouchRenewal    *renewal;
  GSettings       *settings;
  GError          *load_error;
  guint            reminders_id;
  guint            loaded : 1;
  guint            activated : 1;
  guint            discovery_started : 1;
};

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

enum {
  INVENTORY_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VouchApplication, vouch_application, ADW_TYPE_APPLICATION)

/* Reminders are checked when the window first shows and then hourly; each
 * one is shown once (the inventory remembers), so checking often is
 * harmless. */
#define REMINDER_INTERVAL_SECONDS 3600

static void
vouch_application_dispose (GObject *object)
{
  VouchApplication *self = (VouchApplication *)object;

  g_clear_handle_id (&self->reminders_id, g_source_remove);
  g_clear_object (&self->renewal);
  g_clear_object (&self->onboarding);
  g_clear_object (&self->discovery);
  g_clear_object (&self->authority);
  g_clear_object (&self->settings);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (vouch_application_parent_class)->dispose (object);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  /* Opening the inventory may migrate it (SQLite writes and fsyncs), and
   * root.pem is parsed by GnuTLS: nothing the first frame should wait
   * for. Until this returns, only this thread touches the authority. */
  if (vouch_authority_load (VOUCH_AUTHORITY (task_data), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  VouchApplication *self = VOUCH_APPLICATION (object);

  /* A failure is shown in the window rather than stopping the app. */
  if (g_task_propagate_boolean (G_TASK (result), &self->load_error))
    {
      self->onboarding = vouch_onboarding_new (self->authority);
      self->discovery = vouch_discovery_new (vouch_authority_get_inventory (self->authority));
      self->renewal = vouch_renewal_new (self->onboarding, self->discovery);
      g_signal_connect_object (self->renewal, "device-renewed",
                               G_CALLBACK (vouch_application_inventory_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->renewal, "device-queued",
                               G_CALLBACK (vouch_application_inventory_changed), self,
                               G_CONNECT_SWAPPED);
    }

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
vouch_application_startup (GApplication *application)
{
  VouchApplication *self = (VouchApplication *)application;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *add_device_accels[] = { "<Control>n", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  g_autoptr(GTask) task = NULL;

  G_APPLICATION_CLASS (vouch_application_parent_class)->startup (application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  /* Window-wide, so they work wherever the focus is (VouchWindow). */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.add-device",
                                         add_device_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         shortcuts_accels);

  self->settings = g_settings_new (APP_ID_SCHEMA);
  self->authority = vouch_authority_new (NULL);

  /* The task holds the application until the thread is done. */
  task = g_task_new (self, NULL, load_cb, NULL);
  g_task_set_source_tag (task, vouch_application_startup);
  g_task_set_task_data (task, g_object_ref (self->authority), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

static void
reminders_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  VouchAuthority *authority = task_data;
  GListModel *due;
  GError *error = NULL;

  due = vouch_reminder_take_due (vouch_authority_get_inventory (authority),
                                  vouch_authority_get_root (authority), vouch_clock_now (),
                                  &error);
  if (due == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, due, g_object_unref);
}

static void
send_reminder (VouchApplication *self,
               VouchReminder    *reminder)
{
  g_autoptr(GNotification) notification = g_notification_new (vouch_reminder_get_title (reminder));
  VouchExpiryClass klass = vouch_reminder_get_expiry_class (reminder);

  g_notification_set_body (notification, vouch_reminder_get_body (reminder));
  g_notification_set_priority (notification,
                               klass == VOUCH_EXPIRY_EXPIRED ? G_NOTIFICATION_PRIORITY_HIGH
                                                             : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s",
                                                vouch_reminder_get_is_root (reminder)
                                                  ? "root" : "certificates");
  g_application_send_notification (G_APPLICATION (self), vouch_reminder_get_id (reminder),
                                   notification);
}

static void
reminders_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  VouchApplication *self = VOUCH_APPLICATION (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GListModel) due = NULL;
  GError *error = NULL;

  due = g_task_propagate_pointer (G_TASK (result), &error);
  if (due == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (due); i++)
    {
      g_autoptr(VouchReminder) reminder = g_list_model_get_item (due, i);

      send_reminder (self, reminder);
    }
  g_task_return_pointer (task, g_steal_pointer (&due), g_object_unref);
}

/**
 * vouch_application_check_reminders_async:
 *
 * Takes the expiry reminders that are due (certificates at 30, 7 and 0
 * days, the root a year ahead) on a worker thread and shows each as a
 * notification that opens the Certificates or Root page. The hourly
 * timer calls this.
 */
void
vouch_application_check_reminders_async (VouchApplication    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (VOUCH_IS_APPLICATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_application_check_reminders_async);

  if (!self->loaded || self->load_error != NULL ||
      vouch_authority_get_root (self->authority) == NULL)
    {
      g_task_return_pointer (task, g_list_store_new (VOUCH_TYPE_REMINDER), g_object_unref);
      return;
    }

  worker = g_task_new (self, cancellable, reminders_cb, g_steal_pointer (&task));
  g_task_set_task_data (worker, g_object_ref (self->authority), g_object_unref);
  g_task_run_in_thread (worker, reminders_thread);
}

/**
 * vouch_application_check_reminders_finish:
 *
 * Returns: (transfer full): a #GListModel of the #VouchReminder shown
 */
GListModel *
vouch_application_check_reminders_finish (VouchApplication  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reminders_checked_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GListModel) shown = NULL;
  g_autoptr(GError) error = NULL;

  shown = vouch_application_check_reminders_finish (VOUCH_APPLICATION (object), result, &error);
  if (shown == NULL)
    g_message ("Could not check for expiry reminders: %s", error->message);
}

/**
 * vouch_application_reminder_tick:
 *
 * What the hourly timer runs: starts a reminder check.
 *
 * Returns: %G_SOURCE_CONTINUE
 */
gboolean
vouch_application_reminder_tick (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), G_SOURCE_REMOVE);

  vouch_application_check_reminders_async (self, NULL, reminders_checked_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
reminder_timeout_cb (gpointer user_data)
{
  return vouch_application_reminder_tick (VOUCH_APPLICATION (user_data));
}

/* Reminders start with the app's own window (activate), not with every
 * window a test opens, and once the data folder has been read. */
static void
start_reminders (VouchApplication *self)
{
  if (!self->activated || !self->discovery_started || self->reminders_id != 0)
    return;

  vouch_application_reminder_tick (self);
  self->reminders_id = g_timeout_add_seconds (REMINDER_INTERVAL_SECONDS, reminder_timeout_cb,
                                              self);
}

static gboolean
start_discovery_cb (gpointer user_data)
{
  VouchApplication *self = user_data;

  if (self->discovery != NULL)
    vouch_discovery_start (self->discovery);
  start_reminders (self);
  return G_SOURCE_REMOVE;
}

/* What can wait until the person sees the app: listing the known devices
 * and starting the Avahi client (synchronous D-Bus calls to avahi-daemon),
 * and the first reminder check. Runs once, when the first window has
 * made its pages, at a priority below GTK's redraw, so after the frame
 * that shows them. */
static void
window_loaded_cb (VouchApplication *self,
                  GParamSpec       *pspec,
                  GtkWindow        *window)
{
  if (self->discovery_started || !vouch_window_get_loaded (VOUCH_WINDOW (window)))
    return;
  self->discovery_started = TRUE;

  g_idle_add_full (G_PRIORITY_LOW, start_discovery_cb, g_object_ref (self), g_object_unref);
}

static void
vouch_application_window_added (GtkApplication *application,
                                GtkWindow      *window)
{
  GTK_APPLICATION_CLASS (vouch_application_parent_class)->window_added (application, window);

  if (VOUCH_IS_WINDOW (window))
    g_signal_connect_object (window, "notify::loaded", G_CALLBACK (window_loaded_cb), application,
                             G_CONNECT_SWAPPED);
}

static void
vouch_application_activate (GApplication *application)
{
  VouchApplication *self = (VouchApplication *)application;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (vouch_window_new (self));

  gtk_window_present (window);
  self->activated = TRUE;
  start_reminders (self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = user_data;
  static const char *developers[] = { "The Vouch developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", _("Vouch"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Vouch developers"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/vouchpki/vouch",
                         "issue-url", "https://github.com/vouchpki/vouch/issues",
                         "comments", _("Real, trusted HTTPS for the devices on your local network"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Vouch developers",
                         NULL);
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *application = user_data;
  GtkWindow *window = gtk_application_get_active_window (application);

  if (window != NULL)
    vouch_help_show (window, NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  VouchApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  VouchPreferencesWindow *preferences = vouch_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
show_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GApplication *application = user_data;
  GtkWindow *window;

  /* From a notification, possibly with no window open yet. */
  g_application_activate (application);
  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-page", parameter);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "help", help_action },
  { "preferences", preferences_action },
  { "show-page", show_page_action, "s" },
};

static void
vouch_application_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VouchApplication *self = VOUCH_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_application_class_init (VouchApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  vouch_ui_register_resources ();

  object_class->dispose = vouch_application_dispose;
  object_class->get_property = vouch_application_get_property;
  app_class->startup = vouch_application_startup;
  app_class->activate = vouch_application_activate;
  gtk_app_class->window_added = vouch_application_window_added;

  /**
   * VouchApplication:loaded:
   *
   * Whether the data folder has been read (on a worker thread, after
   * startup). Until then the authority is not loaded, and discovery,
   * onboarding and renewal are %NULL; after, either they exist or
   * vouch_application_get_load_error() says why not.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VouchApplication::inventory-changed:
   *
   * Certificates were issued, renewed or revoked, or a renewal was
   * queued; pages that list them read them again.
   */
  signals[INVENTORY_CHANGED] =
    g_signal_new ("inventory-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
vouch_application_init (VouchApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
}

VouchApplication *
vouch_application_new (void)
{
  return g_object_new (VOUCH_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/io/github/vouchpki/Vouch",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/**
 * vouch_application_get_loaded:
 *
 * Returns: whether the data folder has been read; see
 *   #VouchApplication:loaded
 */
gboolean
vouch_application_get_loaded (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), FALSE);
  return self->loaded;
}

/**
 * vouch_application_get_authority:
 *
 * Returns: (transfer none) (nullable): the authority, %NULL before
 *   startup; it is loaded once #VouchApplication:loaded is TRUE
 */
VouchAuthority *
vouch_application_get_authority (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), NULL);
  return self->authority;
}

/**
 * vouch_application_get_discovery:
 *
 * Returns: (transfer none) (nullable): %NULL until
 *   #VouchApplication:loaded, or without a data folder
 */
VouchDiscovery *
vouch_application_get_discovery (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), NULL);
  return self->discovery;
}

/**
 * vouch_application_get_onboarding:
 *
 * Returns: (transfer none) (nullable): %NULL until
 *   #VouchApplication:loaded, or without a data folder
 */
VouchOnboarding *
vouch_application_get_onboarding (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), NULL);
  return self->onboarding;
}

/**
 * vouch_application_get_renewal:
 *
 * Returns: (transfer none) (nullable): renews certificates and keeps the
 *   queue of devices that were away; %NULL until #VouchApplication:loaded,
 *   or without a data folder
 */
VouchRenewal *
vouch_application_get_renewal (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), NULL);
  return self->renewal;
}

/**
 * vouch_application_inventory_changed:
 *
 * Tells every page that certificates changed; call it after issuing,
 * renewing or revoking from the UI.
 */
void
vouch_application_inventory_changed (VouchApplication *self)
{
  g_return_if_fail (VOUCH_IS_APPLICATION (self));
  g_signal_emit (self, signals[INVENTORY_CHANGED], 0);
}

GSettings *
vouch_application_get_settings (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * vouch_application_get_load_error:
 *
 * Returns: (nullable): why the data folder could not be opened
 */
const GError *
vouch_application_get_load_error (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), NULL);
  return self->load_error;
}
