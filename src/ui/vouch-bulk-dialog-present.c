/* vouch-bulk-dialog-present.c: how Sign Selected opens the bulk dialog —
 * straight away, or, when every selected device is already trusted, after
 * asking whether to renew them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-bulk-dialog.h"

#include "vouch-device-status.h"

#include <glib/gi18n.h>

static void
present (VouchApplication *application,
         GListModel       *devices,
         GtkWindow        *parent,
         gboolean          renew_trusted)
{
  VouchBulkDialog *dialog = vouch_bulk_dialog_new (application, devices);

  vouch_bulk_dialog_set_renew_trusted (dialog, renew_trusted);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
renew_response_cb (AdwMessageDialog *prompt,
                   const char       *response,
                   VouchApplication *application)
{
  if (g_strcmp0 (response, "renew") == 0)
    present (application, g_object_get_data (G_OBJECT (prompt), "vouch-devices"),
             gtk_window_get_transient_for (GTK_WINDOW (prompt)), TRUE);
}

/**
 * vouch_bulk_dialog_present_for:
 * @devices: a #GListModel of #VouchDevice, the devices to sign
 *
 * Opens the dialog for @devices over @parent. Devices that already serve
 * a certificate from the root are not signed again unasked: with others
 * among them, the dialog skips them and offers to renew them; with only
 * those, there is nothing to do but renew, so this asks first.
 */
void
vouch_bulk_dialog_present_for (VouchApplication *application,
                               GListModel       *devices,
                               GtkWindow        *parent)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint n_trusted = 0;
  guint n;
  GtkWidget *prompt;

  g_return_if_fail (VOUCH_IS_APPLICATION (application));
  g_return_if_fail (G_IS_LIST_MODEL (devices));

  n = g_list_model_get_n_items (devices);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (devices, i);

      if (vouch_device_status_get (device, now) == VOUCH_DEVICE_STATUS_TRUSTED)
        n_trusted++;
    }

  if (n == 0)
    return;
  if (n_trusted < n)
    {
      present (application, devices, parent, FALSE);
      return;
    }

  prompt = adw_message_dialog_new (parent, NULL, NULL);
  if (n == 1)
    adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (prompt),
                                    _("The Selected Device Is Already Trusted"));
  else
    /* Translators: n is 2 or more. */
    adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (prompt),
                                       g_dngettext (GETTEXT_PACKAGE,
                                                    "All %u Selected Devices Are Already Trusted",
                                                    "All %u Selected Devices Are Already Trusted", n),
                                       n);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (prompt),
                               g_dngettext (GETTEXT_PACKAGE,
                                            "It serves a certificate from your root. Renewing gives "
                                            "it a new key and certificate.",
                                            "They serve certificates from your root. Renewing gives "
                                            "each of them a new key and certificate.",
                                            n));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (prompt),
                                    "cancel", _("_Cancel"),
                                    "renew", _("_Renew"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (prompt), "renew",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (prompt), "renew");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (prompt), "cancel");
  g_object_set_data_full (G_OBJECT (prompt), "vouch-devices", g_object_ref (devices), g_object_unref);
  g_signal_connect_object (prompt, "response", G_CALLBACK (renew_response_cb), application, 0);
  gtk_window_present (GTK_WINDOW (prompt));
}
