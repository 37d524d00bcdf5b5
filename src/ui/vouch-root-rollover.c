/* vouch-root-rollover.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-root-rollover.h"

#include "vouch-inventory.h"

#include <glib/gi18n.h>

/* Vouch holds one root per data folder, so a rollover is a new data
 * folder: the guide says exactly that, with the folder's real path and
 * how many devices will need a new certificate. */

/**
 * vouch_root_rollover_dup_steps:
 *
 * Returns: (transfer full): the rollover guide as numbered steps
 */
char *
vouch_root_rollover_dup_steps (VouchApplication *application)
{
  VouchAuthority *authority;
  VouchRootCa *root;
  g_autoptr(GListModel) active = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *reissue = NULL;
  guint n = 0;

  g_return_val_if_fail (VOUCH_IS_APPLICATION (application), NULL);

  authority = vouch_application_get_authority (application);
  root = vouch_authority_get_root (authority);
  if (root != NULL)
    active = vouch_inventory_list_active_under_root (vouch_authority_get_inventory (authority),
                                                     vouch_root_ca_get_sha256 (root), NULL);
  n = active != NULL ? g_list_model_get_n_items (active) : 0;
  folder = g_strdup (vouch_authority_get_data_dir (authority));

  if (n == 0)
    reissue = g_strdup (_("5. No device holds an active certificate from the current root, so "
                          "there is nothing to re-issue."));
  else
    /* Translators: a step of the rollover guide; %u is a number of devices. */
    reissue = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "5. Onboard again the %u device that holds an active "
                                            "certificate from the current root, so it gets one "
                                            "from the new root.",
                                            "5. Onboard again the %u devices that hold active "
                                            "certificates from the current root, so each gets "
                                            "one from the new root.", n), n);

  /* Translators: the rollover guide. %s is the data folder, %s the step
   * about re-issuing. */
  return g_strdup_printf (_("Vouch keeps one root per data folder, so moving to a new root "
                            "takes these steps:\n\n"
                            "1. Back up the current root with Back Up… below, and keep the file "
                            "safe.\n"
                            "2. Quit Vouch and move its data folder aside, for example rename "
                            "“%s” to “%s-old”.\n"
                            "3. Start Vouch again and create the new root.\n"
                            "4. Install the new root on your own computers, and give colleagues "
                            "the new bundle with Export Bundle.\n"
                            "%s\n"
                            "6. Keep the old root installed everywhere until every device has "
                            "its new certificate; then remove it."),
                          folder, folder, reissue);
}

/**
 * vouch_root_rollover_show:
 *
 * Shows the rollover guide over @parent's window.
 */
void
vouch_root_rollover_show (GtkWidget        *parent,
                          VouchApplication *application)
{
  g_autofree char *steps = NULL;
  GtkRoot *root;
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (VOUCH_IS_APPLICATION (application));

  steps = vouch_root_rollover_dup_steps (application);
  root = gtk_widget_get_root (parent);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Plan a Root Rollover"), steps);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}
