/* vouch-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-preferences-window.h"

#include "vouch-acme-preferences-group.h"
#include "vouch-field-validator.h"
#include "vouch-application.h"
#include "vouch-key-type.h"
#include "vouch-maker-roots-page.h"
#include "vouch-names.h"
#include "vouch-renewal-timer.h"

#include <glib/gi18n.h>

struct _VouchPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GPtrArray            *key_type_switches;
  GCancellable         *cancellable;
  gboolean              syncing_timer;

  GtkSpinButton        *validity_spin;
  GtkSpinButton        *concurrency_spin;
  AdwExpanderRow       *key_types_row;
  AdwEntryRow          *extra_names_row;
  AdwActionRow         *auto_renew_row;
  GtkSwitch            *auto_renew_switch;
};

G_DEFINE_FINAL_TYPE (VouchPreferencesWindow, vouch_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const VouchKeyType key_types[] = {
  VOUCH_KEY_TYPE_ECDSA_P256,
  VOUCH_KEY_TYPE_ECDSA_P384,
  VOUCH_KEY_TYPE_RSA_3072,
  VOUCH_KEY_TYPE_RSA_4096,
};

static void
sync_key_types (VouchPreferencesWindow *self)
{
  g_auto(GStrv) allowed = g_settings_get_strv (self->settings, "allowed-key-types");

  for (guint i = 0; i < self->key_type_switches->len; i++)
    {
      GtkSwitch *toggle = g_ptr_array_index (self->key_type_switches, i);
      gboolean active = g_strv_contains ((const char * const *)allowed,
                                         vouch_key_type_to_string (key_types[i]));

      if (gtk_switch_get_active (toggle) != active)
        gtk_switch_set_active (toggle, active);
    }
}

static void
key_type_toggled_cb (GtkSwitch              *toggle,
                     GParamSpec             *pspec,
                     VouchPreferencesWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) allowed = NULL;
  guint active = 0;

  for (guint i = 0; i < self->key_type_switches->len; i++)
    {
      if (gtk_switch_get_active (g_ptr_array_index (self->key_type_switches, i)))
        {
          g_strv_builder_add (builder, vouch_key_type_to_string (key_types[i]));
          active++;
        }
    }

  /* At least one type must stay allowed; refuse to switch off the last. */
  if (active == 0)
    {
      gtk_switch_set_active (toggle, TRUE);
      return;
    }

  allowed = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "allowed-key-types", (const char * const *)allowed);
}

static void
extra_names_apply_cb (VouchPreferencesWindow *self)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  /* Nothing is saved while one name is wrong; the field keeps the text. */
  if (!vouch_field_validator_validate (vouch_field_validator_get (GTK_WIDGET (self->extra_names_row))))
    return;

  parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->extra_names_row)), ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *normal = NULL;

      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      normal = vouch_names_normalize (parts[i], NULL);
      g_strv_builder_add (builder, normal);
    }

  names = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "default-extra-names", (const char * const *)names);
}

static void
sync_extra_names (VouchPreferencesWindow *self)
{
  g_auto(GStrv) names = g_settings_get_strv (self->settings, "default-extra-names");
  g_autofree char *text = g_strjoinv (", ", names);

  gtk_editable_set_text (GTK_EDITABLE (self->extra_names_row), text);
}

/* The switch shows what systemd says, not what was last asked: it is
 * insensitive until the state is known and while a change runs, and goes
 * back if the change fails (systemd --user may be missing). */
static void
set_timer_switch (VouchPreferencesWindow *self,
                  gboolean                enabled)
{
  self->syncing_timer = TRUE;
  gtk_switch_set_active (self->auto_renew_switch, enabled);
  self->syncing_timer = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->auto_renew_row), TRUE);
}

static void
timer_state_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VouchPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean enabled = FALSE;

  if (!vouch_renewal_timer_get_enabled_finish (result, &enabled, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_action_row_set_subtitle (self->auto_renew_row, error->message);
    }
  set_timer_switch (self, enabled);
}

static void
timer_set_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VouchPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean wanted = gtk_switch_get_active (self->auto_renew_switch);

  if (!vouch_renewal_timer_set_enabled_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Said on the row, as when reading the state fails: a toast goes
       * away before it is read. */
      adw_action_row_set_subtitle (self->auto_renew_row, error->message);
      set_timer_switch (self, !wanted);
      return;
    }
  set_timer_switch (self, wanted);
}

static void
auto_renew_toggled_cb (VouchPreferencesWindow *self)
{
  if (self->syncing_timer)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->auto_renew_row), FALSE);
  vouch_renewal_timer_set_enabled_async (gtk_switch_get_active (self->auto_renew_switch),
                                         self->cancellable, timer_set_cb, g_object_ref (self));
}

/* The roots belong to the authority the application loaded. */
static void
maker_roots_activated_cb (VouchPreferencesWindow *self)
{
  GApplication *application = g_application_get_default ();
  VouchAuthority *authority = NULL;

  if (VOUCH_IS_APPLICATION (application))
    authority = vouch_application_get_authority (VOUCH_APPLICATION (application));
  if (authority != NULL)
    adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self),
                                            vouch_maker_roots_page_new (authority));
}

static void
vouch_preferences_window_dispose (GObject *object)
{
  VouchPreferencesWindow *self = (VouchPreferencesWindow *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->key_type_switches, g_ptr_array_unref);

  G_OBJECT_CLASS (vouch_preferences_window_parent_class)->dispose (object);
}

static void
vouch_preferences_window_class_init (VouchPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_preferences_window_dispose;

  g_type_ensure (VOUCH_TYPE_ACME_PREFERENCES_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchPreferencesWindow, validity_spin);
  gtk_widget_class_bind_template_child (widget_class, VouchPreferencesWindow, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, VouchPreferencesWindow, key_types_row);
  gtk_widget_class_bind_template_child (widget_class, VouchPreferencesWindow, extra_names_row);
  gtk_widget_class_bind_template_child (widget_class, VouchPreferencesWindow, auto_renew_row);
  gtk_widget_class_bind_template_child (widget_class, VouchPreferencesWindow, auto_renew_switch);
  gtk_widget_class_bind_template_callback (widget_class, extra_names_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, auto_renew_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, maker_roots_activated_cb);
}

static void
vouch_preferences_window_init (VouchPreferencesWindow *self)
{
  self->syncing_timer = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->syncing_timer = FALSE;
  vouch_field_validator_attach (GTK_WIDGET (self->extra_names_row), vouch_field_check_name_list,
                                NULL);
  self->key_type_switches = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  vouch_renewal_timer_get_enabled_async (self->cancellable, timer_state_cb, g_object_ref (self));
}

VouchPreferencesWindow *
vouch_preferences_window_new (GSettings *settings)
{
  VouchPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (VOUCH_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "default-validity-days",
                   gtk_spin_button_get_adjustment (self->validity_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "bulk-concurrency",
                   gtk_spin_button_get_adjustment (self->concurrency_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     vouch_key_type_to_label (key_types[i]));
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      vouch_key_type_to_label (key_types[i]), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      adw_expander_row_add_row (self->key_types_row, row);
      g_ptr_array_add (self->key_type_switches, toggle);
    }

  sync_key_types (self);
  sync_extra_names (self);
  for (guint i = 0; i < self->key_type_switches->len; i++)
    g_signal_connect (g_ptr_array_index (self->key_type_switches, i), "notify::active",
                      G_CALLBACK (key_type_toggled_cb), self);
  g_signal_connect_object (settings, "changed::allowed-key-types", G_CALLBACK (sync_key_types),
                           self, G_CONNECT_SWAPPED);

  return self;
}
