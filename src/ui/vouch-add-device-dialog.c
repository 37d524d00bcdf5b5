/* vouch-add-device-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-add-device-dialog.h"

#include "vouch-field-validator.h"

#include <glib/gi18n.h>

/* A window of its own rather than a message dialog: a message dialog
 * closes on any response, and a mistyped address would be lost with it.
 * Here a wrong address is said under the field and the text stays. */
struct _VouchAddDeviceDialog
{
  AdwWindow       parent_instance;

  VouchDiscovery *discovery;

  AdwEntryRow    *address_row;
};

enum {
  DEVICE_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VouchAddDeviceDialog, vouch_add_device_dialog, ADW_TYPE_WINDOW)

static gboolean
check_address (const char  *text,
               gpointer     user_data,
               GError     **error)
{
  return vouch_discovery_parse_address (text, NULL, NULL, error);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  VouchAddDeviceDialog *self = VOUCH_ADD_DEVICE_DIALOG (widget);
  VouchFieldValidator *validator = vouch_field_validator_get (GTK_WIDGET (self->address_row));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autoptr(GError) error = NULL;
  VouchDevice *device;

  if (*text == '\0')
    {
      vouch_field_validator_set_error (validator, _("Enter the device's address, for example "
                                                    "printer.local:443"));
      return;
    }
  if (!vouch_field_validator_validate (validator))
    return;

  device = vouch_discovery_add_manual (self->discovery, text, &error);
  if (device == NULL)
    {
      vouch_field_validator_set_error (validator, error->message);
      return;
    }

  g_signal_emit (self, signals[DEVICE_ADDED], 0, device);
  gtk_window_close (GTK_WINDOW (self));
}

static void
address_activated_cb (VouchAddDeviceDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "add-device.add", NULL);
}

/* Opens ready for typing: the window would otherwise focus Cancel. */
static void
vouch_add_device_dialog_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (vouch_add_device_dialog_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (VOUCH_ADD_DEVICE_DIALOG (widget)->address_row));
}

static void
vouch_add_device_dialog_dispose (GObject *object)
{
  VouchAddDeviceDialog *self = VOUCH_ADD_DEVICE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_ADD_DEVICE_DIALOG);
  g_clear_object (&self->discovery);

  G_OBJECT_CLASS (vouch_add_device_dialog_parent_class)->dispose (object);
}

static void
vouch_add_device_dialog_class_init (VouchAddDeviceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_add_device_dialog_dispose;
  widget_class->map = vouch_add_device_dialog_map;

  /**
   * VouchAddDeviceDialog::device-added:
   * @device: the device, new or the one already listed at that address
   */
  signals[DEVICE_ADDED] = g_signal_new ("device-added", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, VOUCH_TYPE_DEVICE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-add-device-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchAddDeviceDialog, address_row);
  gtk_widget_class_bind_template_callback (widget_class, address_activated_cb);
  gtk_widget_class_install_action (widget_class, "add-device.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vouch_add_device_dialog_init (VouchAddDeviceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vouch_field_validator_attach (GTK_WIDGET (self->address_row), check_address, NULL);
}

VouchAddDeviceDialog *
vouch_add_device_dialog_new (VouchDiscovery *discovery)
{
  VouchAddDeviceDialog *self;

  g_return_val_if_fail (VOUCH_IS_DISCOVERY (discovery), NULL);

  self = g_object_new (VOUCH_TYPE_ADD_DEVICE_DIALOG, NULL);
  self->discovery = g_object_ref (discovery);
  return self;
}
