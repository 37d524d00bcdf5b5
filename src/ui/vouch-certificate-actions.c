/* vouch-certificate-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-certificate-actions.h"

#include "vouch-sign-page.h"

#include <glib/gi18n.h>

/* The reasons offered, most common first. "Certificate hold" is left out:
 * Vouch cannot take a revocation back, so a hold would be a lie. */
const VouchRevocationReason vouch_certificate_actions_reasons[] = {
  VOUCH_REVOCATION_SUPERSEDED,
  VOUCH_REVOCATION_CESSATION_OF_OPERATION,
  VOUCH_REVOCATION_KEY_COMPROMISE,
  VOUCH_REVOCATION_AFFILIATION_CHANGED,
  VOUCH_REVOCATION_PRIVILEGE_WITHDRAWN,
  VOUCH_REVOCATION_CA_COMPROMISE,
  VOUCH_REVOCATION_UNSPECIFIED,
};
const guint vouch_certificate_actions_n_reasons = G_N_ELEMENTS (vouch_certificate_actions_reasons);

static GtkWindow *
window_of (GtkWidget *widget)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

typedef struct
{
  VouchRevokeFunc  func;
  gpointer         user_data;
  GtkDropDown     *reasons;
} RevokeRequest;

static void
revoke_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RevokeRequest    *request)
{
  guint selected = gtk_drop_down_get_selected (request->reasons);
  VouchRevocationReason reason = VOUCH_REVOCATION_UNSPECIFIED;

  if (selected < vouch_certificate_actions_n_reasons)
    reason = vouch_certificate_actions_reasons[selected];

  request->func (g_strcmp0 (response, "revoke") == 0, reason, request->user_data);
}

/**
 * vouch_certificate_actions_ask_revoke:
 *
 * Asks whether to revoke @entry's certificate, and why. @func is called
 * exactly once.
 */
void
vouch_certificate_actions_ask_revoke (GtkWidget             *parent,
                                      VouchCertificateEntry *entry,
                                      VouchRevokeFunc        func,
                                      gpointer               user_data)
{
  VouchCertificate *cert = vouch_certificate_entry_get_certificate (entry);
  const char *device = vouch_certificate_entry_get_device_name (entry);
  RevokeRequest *request = g_new0 (RevokeRequest, 1);
  g_autoptr(GtkStringList) reasons = gtk_string_list_new (NULL);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *dropdown;

  for (guint i = 0; i < vouch_certificate_actions_n_reasons; i++)
    gtk_string_list_append (reasons,
                            vouch_revocation_reason_describe (vouch_certificate_actions_reasons[i]));

  if (device != NULL && *device != '\0')
    /* Translators: the name of a device. */
    heading = g_strdup_printf (_("Revoke the Certificate of “%s”?"), device);
  else
    heading = g_strdup (_("Revoke This Certificate?"));
  /* Translators: %s is the certificate's serial number. */
  body = g_strdup_printf (_("Serial %s. Clients that check the revocation list stop trusting it "
                            "once you export and publish the list. A revocation cannot be "
                            "undone."),
                          vouch_certificate_get_serial (cert));

  dialog = adw_message_dialog_new (window_of (parent), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "revoke", _("_Revoke"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new_with_mnemonic (_("_Reason"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&reasons)), NULL);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), dropdown);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for revoking"), -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), dropdown);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  request->func = func;
  request->user_data = user_data;
  request->reasons = GTK_DROP_DOWN (dropdown);
  g_signal_connect_data (dialog, "response", G_CALLBACK (revoke_response_cb), request,
                         (GClosureNotify)(void (*) (void))g_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  VouchDaysFunc  func;
  gpointer       user_data;
  GtkSpinButton *spin;
} DaysRequest;

static void
days_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  DaysRequest      *request)
{
  guint days = (guint)gtk_spin_button_get_value_as_int (request->spin);

  request->func (g_strcmp0 (response, "ok") == 0, days, request->user_data);
}

/**
 * vouch_certificate_actions_ask_days:
 * @days_label: the spin button's label, such as “Days”
 * @response_label: the confirming button's label, with a mnemonic
 *
 * Asks for a number of days between 1 and @max. @func is called exactly
 * once.
 */
void
vouch_certificate_actions_ask_days (GtkWidget     *parent,
                                    const char    *heading,
                                    const char    *body,
                                    const char    *days_label,
                                    guint          initial,
                                    guint          max,
                                    const char    *response_label,
                                    VouchDaysFunc  func,
                                    gpointer       user_data)
{
  DaysRequest *request = g_new0 (DaysRequest, 1);
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *spin;

  dialog = adw_message_dialog_new (window_of (parent), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "ok", response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  label = gtk_label_new_with_mnemonic (days_label);
  spin = gtk_spin_button_new_with_range (1, max, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), initial);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (GTK_LABEL (label)), -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), spin);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  request->func = func;
  request->user_data = user_data;
  request->spin = GTK_SPIN_BUTTON (spin);
  g_signal_connect_data (dialog, "response", G_CALLBACK (days_response_cb), request,
                         (GClosureNotify)(void (*) (void))g_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Opens the window's Sign by Hand page, ready for a new request for the
 * certificate's names. The page is found by the name win.show-page knows
 * it by (inside the slot the window made it in), so the Certificates page
 * needs no pointer to the window. */
static void
renew_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   GStrv             names)
{
  GtkWidget *page = g_object_get_data (G_OBJECT (dialog), "vouch-page");
  GtkWidget *stack = page != NULL ? gtk_widget_get_ancestor (page, ADW_TYPE_VIEW_STACK) : NULL;
  GtkWidget *sign = NULL;

  if (g_strcmp0 (response, "sign") != 0 || stack == NULL)
    return;
  sign = adw_view_stack_get_child_by_name (ADW_VIEW_STACK (stack), "sign");
  if (ADW_IS_BIN (sign))
    sign = adw_bin_get_child (ADW_BIN (sign));
  if (!VOUCH_IS_SIGN_PAGE (sign))
    return;
  vouch_sign_page_expect_names (VOUCH_SIGN_PAGE (sign), (const char * const *)names);
  gtk_widget_activate_action (page, "win.show-page", "s", "sign");
}

/**
 * vouch_certificate_actions_renew_by_hand:
 * @page: the page asking, inside the window's view stack
 *
 * Explains that a certificate signed by hand is renewed by signing a new
 * request from its device, and offers the Sign by Hand page, which then
 * adds the certificate's names to the request opened there.
 */
void
vouch_certificate_actions_renew_by_hand (GtkWidget             *page,
                                         VouchCertificateEntry *entry)
{
  VouchCertificate *cert = vouch_certificate_entry_get_certificate (entry);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: %s lists the certificate's names, and what its expiry is. */
  body = g_strdup_printf (_("This certificate, for %s, was signed by hand: Vouch cannot reach "
                            "its device to give it a new key. Have the device make a new "
                            "certificate signing request (CSR), then sign it on the Sign by "
                            "Hand page, which will add these names to it. %s."),
                          vouch_certificate_entry_get_names_text (entry),
                          vouch_certificate_entry_get_expiry_text (entry));
  dialog = adw_message_dialog_new (window_of (page), _("Renew by Signing a New Request"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign", _("_Open Sign by Hand"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data_full (G_OBJECT (dialog), "vouch-page", g_object_ref (page), g_object_unref);
  g_signal_connect_data (dialog, "response", G_CALLBACK (renew_response_cb),
                         g_strdupv ((char **)vouch_certificate_get_names (cert)),
                         (GClosureNotify)(void (*) (void))g_strfreev, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
