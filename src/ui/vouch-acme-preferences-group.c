/* vouch-acme-preferences-group.c
 *
 * Two switches in Preferences. "Run the ACME Server" enables (and starts)
 * or disables (and stops) vouch-acme.service through systemctl --user,
 * as the renewal timer's switch does, and shows what systemd says.
 * "Open Mode" writes the approval mode to acme.ini, which the running
 * server follows; switching it on asks first, in plain words, since it
 * lets any client on the network get certificates without the operator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-acme-preferences-group.h"

#include "vouch-acme-config.h"
#include "vouch-application.h"
#include "vouch-ui-util.h"
#include "vouch-user-unit.h"

#include <glib/gi18n.h>

struct _VouchAcmePreferencesGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwActionRow        *service_row;
  GtkSwitch           *service_switch;
  AdwActionRow        *open_row;
  GtkSwitch           *open_switch;

  GCancellable        *cancellable;
  gboolean             syncing;
  gboolean             busy;
};

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchAcmePreferencesGroup, vouch_acme_preferences_group,
                     ADW_TYPE_PREFERENCES_GROUP)

static char *
data_dir (void)
{
  GApplication *application = g_application_get_default ();
  VouchAuthority *authority = NULL;

  if (VOUCH_IS_APPLICATION (application))
    authority = vouch_application_get_authority (VOUCH_APPLICATION (application));
  return g_strdup (authority != NULL ? vouch_authority_get_data_dir (authority) : NULL);
}

static void
set_busy (VouchAcmePreferencesGroup *self,
          gboolean                   busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->service_row), !busy);
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

/* Sets a switch without treating it as the person's choice. */
static void
sync_switch (VouchAcmePreferencesGroup *self,
             GtkSwitch                 *toggle,
             gboolean                   active)
{
  self->syncing = TRUE;
  gtk_switch_set_active (toggle, active);
  self->syncing = FALSE;
}

static void
service_state_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VouchAcmePreferencesGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean enabled = FALSE;

  if (!vouch_user_unit_get_enabled_finish (result, &enabled, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_action_row_set_subtitle (self->service_row, error->message);
    }
  sync_switch (self, self->service_switch, enabled);
  set_busy (self, FALSE);
}

static void
service_set_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VouchAcmePreferencesGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean wanted = gtk_switch_get_active (self->service_switch);

  if (!vouch_user_unit_set_enabled_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* On the row, where it stays until read. */
      adw_action_row_set_subtitle (self->service_row, error->message);
      sync_switch (self, self->service_switch, !wanted);
    }
  set_busy (self, FALSE);
}

static void
service_toggled_cb (VouchAcmePreferencesGroup *self)
{
  if (self->syncing)
    return;

  set_busy (self, TRUE);
  vouch_user_unit_set_enabled_async (VOUCH_ACME_SERVICE_UNIT,
                                     gtk_switch_get_active (self->service_switch),
                                     self->cancellable, service_set_cb, g_object_ref (self));
}

static void
save_open (VouchAcmePreferencesGroup *self,
           gboolean                   open)
{
  g_autofree char *dir = data_dir ();
  g_autoptr(GError) error = NULL;

  if (dir == NULL || !vouch_acme_config_set_open (dir, open, &error))
    {
      if (error != NULL)
        vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Change Open Mode"), error);
      sync_switch (self, self->open_switch, !open);
    }
}

static void
open_warning_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          user_data)
{
  VouchAcmePreferencesGroup *self = user_data;

  if (g_strcmp0 (response, "open") == 0)
    save_open (self, TRUE);
  else
    sync_switch (self, self->open_switch, FALSE);
}

static void
open_toggled_cb (VouchAcmePreferencesGroup *self)
{
  GtkRoot *root;
  GtkWidget *dialog;

  if (self->syncing)
    return;
  if (!gtk_switch_get_active (self->open_switch))
    {
      save_open (self, FALSE);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Sign Without Asking?"),
                                   _("In open mode, any device on your network that asks the "
                                     "ACME server gets a certificate for any name this root "
                                     "may sign, as soon as it proves it answers for that name. "
                                     "You are not asked first.\n\nTurn it on only on a network "
                                     "where you trust every device."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "open", _("_Turn On Open Mode"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (open_warning_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
vouch_acme_preferences_group_dispose (GObject *object)
{
  VouchAcmePreferencesGroup *self = (VouchAcmePreferencesGroup *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_ACME_PREFERENCES_GROUP);

  G_OBJECT_CLASS (vouch_acme_preferences_group_parent_class)->dispose (object);
}

static void
vouch_acme_preferences_group_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  VouchAcmePreferencesGroup *self = VOUCH_ACME_PREFERENCES_GROUP (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_preferences_group_class_init (VouchAcmePreferencesGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_acme_preferences_group_dispose;
  object_class->get_property = vouch_acme_preferences_group_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/"
                                               "vouch-acme-preferences-group.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePreferencesGroup, service_row);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePreferencesGroup, service_switch);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePreferencesGroup, open_row);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePreferencesGroup, open_switch);
  gtk_widget_class_bind_template_callback (widget_class, service_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_toggled_cb);
}

static void
vouch_acme_preferences_group_init (VouchAcmePreferencesGroup *self)
{
  g_autofree char *dir = NULL;

  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->syncing = FALSE;
  self->cancellable = g_cancellable_new ();

  dir = data_dir ();
  sync_switch (self, self->open_switch, dir != NULL && vouch_acme_config_get_open (dir));

  self->busy = TRUE;
  vouch_user_unit_get_enabled_async (VOUCH_ACME_SERVICE_UNIT, self->cancellable,
                                     service_state_cb, g_object_ref (self));
}

gboolean
vouch_acme_preferences_group_get_busy (VouchAcmePreferencesGroup *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_PREFERENCES_GROUP (self), FALSE);
  return self->busy;
}
