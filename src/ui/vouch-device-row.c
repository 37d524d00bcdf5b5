/* vouch-device-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-device-row.h"

#include "vouch-device-status.h"
#include "vouch-discovery-guess.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

/* Rows are recycled by the list view: setting a device disconnects from
 * the previous one, and every change to the device redraws the row. */
struct _VouchDeviceRow
{
  AdwBin          parent_instance;

  VouchDevice    *device;
  gulong          notify_id;
  const char     *style;

  GtkCheckButton *check;
  GtkImage       *status_icon;
  GtkLabel       *name_label;
  GtkLabel       *detail_label;
  GtkLabel       *status_label;
};

G_DEFINE_FINAL_TYPE (VouchDeviceRow, vouch_device_row, ADW_TYPE_BIN)

static void
update (VouchDeviceRow *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  VouchDeviceStatus status;
  const char * const *addresses;
  g_autofree char *label = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *check_label = NULL;
  const char *model;
  const char *driver;
  const char *where;
  const char *icon_name;
  const char *style;

  if (self->device == NULL)
    return;

  status = vouch_device_status_get (self->device, now);
  label = vouch_device_status_dup_label (self->device, now);
  addresses = vouch_device_get_addresses (self->device);
  model = vouch_device_get_model (self->device);
  where = addresses[0] != NULL ? addresses[0] : vouch_device_get_host (self->device);
  /* What it is and how Vouch talks to it: a guess, from what it announces. */
  if (model == NULL)
    model = vouch_device_category_to_string (vouch_device_get_category (self->device));
  /* The driver chosen for it (vouchctl add --driver, or the dialog that
   * onboarded it), else the one that fits what it announces. */
  if (g_strcmp0 (vouch_device_get_driver (self->device), "vouch") != 0)
    driver = vouch_ui_driver_title (vouch_device_get_driver (self->device));
  else
    driver = vouch_ui_driver_title (vouch_device_get_kind (self->device) == VOUCH_DEVICE_KIND_VOUCH
                                    ? "vouch" : vouch_device_get_suggested_driver (self->device));

  if (where != NULL)
    /* Translators: a device's model or kind, how Vouch talks to it, and its
     * address, as in "LaserJet 4000 · By hand · 192.168.1.20". */
    detail = g_strdup_printf (_("%s · %s · %s"), model, driver, where);
  else
    /* Translators: a device's model or kind, and how Vouch talks to it. */
    detail = g_strdup_printf (_("%s · %s"), model, driver);

  gtk_label_set_label (self->name_label, vouch_device_get_name (self->device));
  gtk_label_set_label (self->detail_label, detail);
  gtk_label_set_label (self->status_label, label);

  /* A row is rebound to another device on every search; the icon and the
   * class are often the same, and setting them again would still make GTK
   * look the icon up and restyle the label. */
  icon_name = vouch_device_status_icon_name (status);
  if (g_strcmp0 (gtk_image_get_icon_name (self->status_icon), icon_name) != 0)
    gtk_image_set_from_icon_name (self->status_icon, icon_name);

  style = vouch_device_status_style (status);
  if (g_strcmp0 (style, self->style) != 0)
    {
      if (self->style != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), self->style);
      self->style = style;
      if (self->style != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->status_label), self->style);
    }

  /* Translators: accessible name of a device's selection box. */
  check_label = g_strdup_printf (_("Select %s"), vouch_device_get_name (self->device));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  check_label, -1);
}

/* The status may be ellipsized, so its tooltip shows all of it. It is
 * filled in only when asked for: setting a tooltip's text makes GTK look
 * up where the pointer is, an X round trip for every row bound, and a
 * search binds a couple of hundred rows at once. */
static gboolean
status_query_tooltip_cb (GtkWidget  *label,
                         int         x,
                         int         y,
                         gboolean    keyboard_mode,
                         GtkTooltip *tooltip)
{
  const char *text = gtk_label_get_label (GTK_LABEL (label));

  if (*text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
vouch_device_row_dispose (GObject *object)
{
  VouchDeviceRow *self = (VouchDeviceRow *)object;

  vouch_device_row_set_device (self, NULL);
  /* AdwBin unparents its child in its own dispose; detach it first so the
   * template's disposal does not leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_DEVICE_ROW);

  G_OBJECT_CLASS (vouch_device_row_parent_class)->dispose (object);
}

static void
vouch_device_row_class_init (VouchDeviceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_device_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-device-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchDeviceRow, check);
  gtk_widget_class_bind_template_child (widget_class, VouchDeviceRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, VouchDeviceRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, VouchDeviceRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, VouchDeviceRow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, status_query_tooltip_cb);
}

static void
vouch_device_row_init (VouchDeviceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

VouchDeviceRow *
vouch_device_row_new (void)
{
  return g_object_new (VOUCH_TYPE_DEVICE_ROW, NULL);
}

VouchDevice *
vouch_device_row_get_device (VouchDeviceRow *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_ROW (self), NULL);
  return self->device;
}

void
vouch_device_row_set_device (VouchDeviceRow *self,
                             VouchDevice    *device)
{
  g_return_if_fail (VOUCH_IS_DEVICE_ROW (self));

  if (self->device == device)
    return;

  if (self->device != NULL)
    g_clear_signal_handler (&self->notify_id, self->device);
  g_set_object (&self->device, device);
  if (device != NULL)
    {
      self->notify_id = g_signal_connect_object (device, "notify", G_CALLBACK (update), self,
                                                 G_CONNECT_SWAPPED);
      update (self);
    }
}

GtkCheckButton *
vouch_device_row_get_check (VouchDeviceRow *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_ROW (self), NULL);
  return self->check;
}
