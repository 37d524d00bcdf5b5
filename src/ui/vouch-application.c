/* vouch-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-application.h"

#include "vouch-preferences-window.h"
#include "vouch-ui-util.h"
#include "vouch-window.h"

#include <glib/gi18n.h>

/* One instance per session (GApplication's default uniqueness). The core
 * objects live here so every window shares one inventory connection, one
 * mDNS browser and one onboarding engine. */
struct _VouchApplication
{
  AdwApplication   parent_instance;

  VouchAuthority  *authority;
  VouchDiscovery  *discovery;
  VouchOnboarding *onboarding;
  GSettings       *settings;
  GError          *load_error;
};

G_DEFINE_FINAL_TYPE (VouchApplication, vouch_application, ADW_TYPE_APPLICATION)

static void
vouch_application_dispose (GObject *object)
{
  VouchApplication *self = (VouchApplication *)object;

  g_clear_object (&self->onboarding);
  g_clear_object (&self->discovery);
  g_clear_object (&self->authority);
  g_clear_object (&self->settings);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (vouch_application_parent_class)->dispose (object);
}

static void
vouch_application_startup (GApplication *application)
{
  VouchApplication *self = (VouchApplication *)application;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (vouch_application_parent_class)->startup (application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);

  self->settings = g_settings_new (APP_ID_SCHEMA);
  self->authority = vouch_authority_new (NULL);

  /* Reading root.pem and opening the inventory are quick local reads; a
   * failure is shown in the window rather than stopping the app. */
  if (vouch_authority_load (self->authority, &self->load_error))
    {
      self->onboarding = vouch_onboarding_new (self->authority);
      self->discovery = vouch_discovery_new (vouch_authority_get_inventory (self->authority));
      vouch_discovery_start (self->discovery);
    }
}

static void
vouch_application_activate (GApplication *application)
{
  VouchApplication *self = (VouchApplication *)application;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (vouch_window_new (self));

  gtk_window_present (window);
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

  gtk_show_uri (gtk_application_get_active_window (application), "help:vouch",
                GDK_CURRENT_TIME);
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

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "help", help_action },
  { "preferences", preferences_action },
};

static void
vouch_application_class_init (VouchApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  vouch_ui_register_resources ();

  object_class->dispose = vouch_application_dispose;
  app_class->startup = vouch_application_startup;
  app_class->activate = vouch_application_activate;
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

VouchAuthority *
vouch_application_get_authority (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), NULL);
  return self->authority;
}

VouchDiscovery *
vouch_application_get_discovery (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), NULL);
  return self->discovery;
}

VouchOnboarding *
vouch_application_get_onboarding (VouchApplication *self)
{
  g_return_val_if_fail (VOUCH_IS_APPLICATION (self), NULL);
  return self->onboarding;
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
