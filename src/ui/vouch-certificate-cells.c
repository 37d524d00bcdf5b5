/* vouch-certificate-cells.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-certificate-cells.h"

#include "vouch-certificate-entry.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

static const char * const expiry_classes[] = {
  "expiry-valid", "expiry-soon", "expiry-urgent", "expiry-expired", "dim-label", NULL
};
static const char * const status_classes[] = { "error", "dim-label", NULL };

static void
set_one_class (GtkWidget          *widget,
               const char * const *classes,
               const char         *wanted)
{
  for (guint i = 0; classes[i] != NULL; i++)
    {
      if (g_strcmp0 (classes[i], wanted) != 0)
        gtk_widget_remove_css_class (widget, classes[i]);
    }
  if (wanted != NULL)
    gtk_widget_add_css_class (widget, wanted);
}

/* Cells that need more than one property of an entry, or words of their
 * own; the rest are GtkBuilderListItemFactory templates in the page. */

static void
label_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
device_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  VouchCertificateEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *name = vouch_certificate_entry_get_device_name (entry);
  g_autofree char *tooltip = NULL;

  /* No device: its names tell it apart, even at 360 pixels where the
   * Names column is hidden; the status column says it was signed by hand. */
  if (name == NULL)
    {
      name = vouch_certificate_entry_get_names_text (entry);
      /* Translators: %s lists a certificate's names. */
      tooltip = g_strdup_printf (_("Signed by hand for %s"), name);
    }
  gtk_label_set_label (GTK_LABEL (label), name);
  gtk_widget_set_tooltip_text (label, tooltip != NULL ? tooltip : name);
  set_one_class (label, status_classes, NULL);
}

static void
expiry_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
expiry_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  VouchCertificateEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  VouchCertificate *cert = vouch_certificate_entry_get_certificate (entry);
  g_autofree char *date = vouch_ui_format_date (vouch_certificate_get_not_after (cert));
  const char *style = "dim-label";
  const char *icon_name = "x-office-calendar-symbolic";

  /* Only a certificate still in use is urgent; a superseded or revoked
   * one's date is shown quietly. The text always says how long is left. */
  if (vouch_certificate_entry_get_in_use (entry))
    {
      switch (vouch_certificate_entry_get_expiry_class (entry))
        {
        case VOUCH_EXPIRY_VALID:
          style = "expiry-valid";
          icon_name = "emblem-ok-symbolic";
          break;
        case VOUCH_EXPIRY_WITHIN_30:
          style = "expiry-soon";
          icon_name = "alarm-symbolic";
          break;
        case VOUCH_EXPIRY_WITHIN_7:
          style = "expiry-urgent";
          icon_name = "alarm-symbolic";
          break;
        case VOUCH_EXPIRY_EXPIRED:
        default:
          style = "expiry-expired";
          icon_name = "dialog-error-symbolic";
          break;
        }
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_label_set_label (GTK_LABEL (label), vouch_certificate_entry_get_expiry_text (entry));
  gtk_widget_set_tooltip_text (box, date);
  set_one_class (box, expiry_classes, style);
}

static void
status_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  VouchCertificateEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  VouchCertificateStatus status = vouch_certificate_get_status (vouch_certificate_entry_get_certificate (entry));
  g_autofree char *text = NULL;

  if (status == VOUCH_CERTIFICATE_STATUS_REVOKED)
    {
      VouchRevocationReason reason = vouch_certificate_entry_get_revocation_reason (entry);

      /* Translators: a revoked certificate's status and the reason. */
      text = g_strdup_printf (_("Revoked: %s"), vouch_revocation_reason_describe (reason));
      set_one_class (label, status_classes, "error");
    }
  else
    {
      text = g_strdup (vouch_certificate_entry_get_status_label (entry));
      set_one_class (label, status_classes,
                     status == VOUCH_CERTIFICATE_STATUS_ACTIVE ? NULL : "dim-label");
    }

  gtk_label_set_label (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, text);
}

static void
set_factory (GtkColumnViewColumn *column,
             GCallback            setup,
             GCallback            bind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, NULL);
  g_signal_connect (factory, "bind", bind, NULL);
  gtk_column_view_column_set_factory (column, factory);
}

/**
 * vouch_certificate_cells_install:
 *
 * Gives the Certificates page's Device, Valid Until and Status columns
 * their cells.
 */
void
vouch_certificate_cells_install (GtkColumnViewColumn *device_column,
                                 GtkColumnViewColumn *expiry_column,
                                 GtkColumnViewColumn *status_column)
{
  set_factory (device_column, G_CALLBACK (label_setup_cb), G_CALLBACK (device_bind_cb));
  set_factory (expiry_column, G_CALLBACK (expiry_setup_cb), G_CALLBACK (expiry_bind_cb));
  set_factory (status_column, G_CALLBACK (label_setup_cb), G_CALLBACK (status_bind_cb));
}
