/* vouch-certificates-page-actions.c: renewing, revoking, exporting the
 * revocation list and renewing everything due, from the certificates
 * page. Split from vouch-certificates-page.c, which shows the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-certificates-page-private.h"

#include "vouch-certificate-actions.h"
#include "vouch-clock.h"
#include "vouch-crl.h"
#include "vouch-error.h"
#include "vouch-inventory.h"
#include "vouch-renewal-progress.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

/* Actions. Each asynchronous one holds a reference to the page and counts
 * in :busy until it reports, so tests can wait for it. */

typedef struct
{
  VouchCertificatesPage *self;
  VouchDevice           *device;
  char                  *serial;
  guint                  days;
} Request;

static Request *
request_new (VouchCertificatesPage *self,
             VouchDevice           *device,
             const char            *serial)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->device = device != NULL ? g_object_ref (device) : NULL;
  request->serial = g_strdup (serial);
  return request;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->device);
  g_free (request->serial);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static VouchDevice *
find_device (VouchCertificatesPage *self,
             const char            *device_id)
{
  VouchDiscovery *discovery = vouch_application_get_discovery (self->application);
  VouchDevice *device = discovery != NULL ? vouch_discovery_lookup (discovery, device_id) : NULL;

  /* Discovery's object knows whether the device is online now. */
  if (device != NULL)
    return g_object_ref (device);
  return vouch_inventory_lookup_device (_vouch_certificates_page_get_inventory (self), device_id,
                                        NULL);
}

static void
renew_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  VouchCertificatesPage *self = request->self;
  const char *name = vouch_device_get_name (request->device);
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  _vouch_certificates_page_add_busy (self, -1);
  cert = vouch_renewal_renew_finish (VOUCH_RENEWAL (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->application == NULL)
    return;

  if (cert != NULL)
    /* Translators: a device's name. */
    text = g_strdup_printf (_("Renewed the certificate of “%s”"), name);
  else if (vouch_renewal_error_is_offline (error))
    /* Translators: a device's name. */
    text = g_strdup_printf (_("“%s” cannot be reached; it will be renewed when it comes back"),
                            name);
  else
    text = g_strdup (error->message);

  vouch_ui_toast (GTK_WIDGET (self), text);
  vouch_application_inventory_changed (self->application);
}

void
_vouch_certificates_page_renew_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  VouchCertificatesPage *self = VOUCH_CERTIFICATES_PAGE (widget);
  VouchCertificateEntry *entry = _vouch_certificates_page_get_selected (self);
  g_autoptr(VouchDevice) device = NULL;
  VouchRenewal *renewal;
  const char *device_id;

  if (entry == NULL || self->application == NULL)
    return;

  if (vouch_certificate_entry_get_signed_by_hand (entry))
    {
      vouch_certificate_actions_renew_by_hand (widget, entry);
      return;
    }

  renewal = vouch_application_get_renewal (self->application);
  device_id = vouch_certificate_get_device_id (vouch_certificate_entry_get_certificate (entry));
  device = device_id != NULL ? find_device (self, device_id) : NULL;
  if (device == NULL || renewal == NULL)
    {
      vouch_ui_toast (widget, _("Vouch no longer knows this certificate's device: sign a new "
                                "request for it on the Sign page"));
      return;
    }

  _vouch_certificates_page_add_busy (self, 1);
  vouch_renewal_renew_async (renewal, device, self->cancellable, renew_cb,
                             request_new (self, device, NULL));
}

static void
revoke_cb (gboolean              confirmed,
           VouchRevocationReason reason,
           gpointer              user_data)
{
  g_autoptr(Request) request = user_data;
  VouchCertificatesPage *self = request->self;
  g_autoptr(GError) error = NULL;

  if (!confirmed || self->application == NULL)
    return;

  /* One row update and one audit event in the local inventory. */
  if (!vouch_inventory_revoke_certificate (_vouch_certificates_page_get_inventory (self),
                                           request->serial, reason, vouch_clock_now (), &error))
    {
      vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Revoke the Certificate"), error);
      return;
    }

  vouch_ui_toast (GTK_WIDGET (self), _("Certificate revoked. Export the revocation list so "
                                       "clients learn of it."));
  vouch_application_inventory_changed (self->application);
}

void
_vouch_certificates_page_revoke_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  VouchCertificatesPage *self = VOUCH_CERTIFICATES_PAGE (widget);
  VouchCertificateEntry *entry = _vouch_certificates_page_get_selected (self);
  const char *serial;

  if (entry == NULL || self->application == NULL)
    return;

  serial = vouch_certificate_get_serial (vouch_certificate_entry_get_certificate (entry));
  vouch_certificate_actions_ask_revoke (widget, entry, revoke_cb,
                                        request_new (self, NULL, serial));
}

static void
crl_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  VouchCertificatesPage *self = request->self;
  g_autoptr(GError) error = NULL;

  _vouch_certificates_page_add_busy (self, -1);
  if (!vouch_crl_export_finish (VOUCH_AUTHORITY (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Export the Revocation List"), error);
      return;
    }

  vouch_ui_toast (GTK_WIDGET (self), _("Revocation list saved"));
}

/**
 * vouch_certificates_page_export_crl:
 * @next_update_days: when clients should expect a newer list
 *
 * Signs a revocation list (PEM) with the root and saves it as @file.
 */
void
vouch_certificates_page_export_crl (VouchCertificatesPage *self,
                                    GFile                 *file,
                                    guint                  next_update_days)
{
  g_autofree char *path = NULL;

  g_return_if_fail (VOUCH_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (self->application == NULL || path == NULL)
    return;

  _vouch_certificates_page_add_busy (self, 1);
  vouch_crl_export_async (vouch_application_get_authority (self->application), path,
                          next_update_days, FALSE, self->cancellable, crl_cb,
                          request_new (self, NULL, NULL));
}

static void
crl_file_cb (GFile    *file,
             gpointer  user_data)
{
  g_autoptr(Request) request = user_data;

  if (file != NULL)
    vouch_certificates_page_export_crl (request->self, file, request->days);
}

static void
crl_days_cb (gboolean confirmed,
             guint    days,
             gpointer user_data)
{
  g_autoptr(Request) request = user_data;
  static const char * const patterns[] = { "*.crl", "*.pem", NULL };

  if (!confirmed)
    return;

  request->days = days;
  vouch_ui_choose_file (GTK_WIDGET (request->self), _("Export the Revocation List"), TRUE,
                        "vouch.crl", patterns, crl_file_cb, g_steal_pointer (&request));
}

void
_vouch_certificates_page_export_crl_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  VouchCertificatesPage *self = VOUCH_CERTIFICATES_PAGE (widget);

  vouch_certificate_actions_ask_days (widget, _("Export the Revocation List"),
                                      _("The list of revoked certificates, signed by the root, "
                                        "in PEM format. Clients treat it as current until its "
                                        "next update; export a new one before then."),
                                      _("Next update in _days"), VOUCH_CRL_DEFAULT_DAYS,
                                      VOUCH_CRL_MAX_DAYS, _("_Choose File…"), crl_days_cb,
                                      request_new (self, NULL, NULL));
}

/**
 * vouch_certificates_page_renew_due:
 * @within_days: renew what expires within this many days
 *
 * Renews every due device at once, with the progress shown over the list.
 * Devices that are away are queued and renewed when they come back.
 */
void
vouch_certificates_page_renew_due (VouchCertificatesPage *self,
                                   guint                  within_days)
{
  VouchRenewal *renewal;
  g_autoptr(GListModel) due = NULL;
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  g_return_if_fail (VOUCH_IS_CERTIFICATES_PAGE (self));

  if (self->application == NULL || vouch_renewal_progress_get_running (self->progress))
    return;

  renewal = vouch_application_get_renewal (self->application);
  if (renewal == NULL)
    return;
  due = vouch_renewal_list_due (renewal, vouch_clock_now (), within_days, &error);
  if (due == NULL)
    {
      vouch_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  if (g_list_model_get_n_items (due) == 0)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "No certificate expires within %u day",
                                           "No certificate expires within %u days", within_days),
                              within_days);
      vouch_ui_toast (GTK_WIDGET (self), text);
      return;
    }

  settings = vouch_application_get_settings (self->application);
  _vouch_certificates_page_add_busy (self, 1);
  vouch_renewal_progress_run (self->progress, renewal, due,
                              g_settings_get_uint (settings, "bulk-concurrency"));
  _vouch_certificates_page_update_state (self);
}

static void
renew_due_days_cb (gboolean confirmed,
                   guint    days,
                   gpointer user_data)
{
  g_autoptr(Request) request = user_data;

  if (confirmed)
    vouch_certificates_page_renew_due (request->self, days);
}

void
_vouch_certificates_page_renew_due_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter)
{
  VouchCertificatesPage *self = VOUCH_CERTIFICATES_PAGE (widget);

  vouch_certificate_actions_ask_days (widget, _("Renew Everything Expiring Soon"),
                                      _("Every device whose certificate expires within this many "
                                        "days gets a new one, several at a time. Devices that "
                                        "cannot be reached are renewed when they come back."),
                                      _("Expiring within _days"), VOUCH_EXPIRY_SOON_DAYS, 825,
                                      _("_Renew"), renew_due_days_cb,
                                      request_new (self, NULL, NULL));
}
