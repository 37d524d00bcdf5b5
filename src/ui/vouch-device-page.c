/* vouch-device-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-device-page.h"

#include "vouch-audit-event.h"
#include "vouch-by-hand-dialog.h"
#include "vouch-device-client.h"
#include "vouch-device-status.h"
#include "vouch-inventory.h"
#include "vouch-onboard-dialog.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

#define HISTORY_LIMIT 50

struct _VouchDevicePage
{
  AdwBin                parent_instance;

  VouchApplication     *application;
  VouchDevice          *device;
  VouchDeviceClient    *client;
  GCancellable         *cancellable;
  GPtrArray            *rows;
  gulong                notify_id;

  GtkStack             *stack;
  GtkImage             *status_icon;
  GtkLabel             *title_label;
  GtkLabel             *status_label;
  GtkButton            *onboard_button;
  AdwPreferencesGroup  *reissue_group;
  AdwActionRow         *reissue_row;
  AdwPreferencesGroup  *identity_group;
  AdwPreferencesGroup  *certificate_group;
  AdwPreferencesGroup  *history_group;
};

G_DEFINE_FINAL_TYPE (VouchDevicePage, vouch_device_page, ADW_TYPE_BIN)

static GtkWidget *
add_row (VouchDevicePage     *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value != NULL && *value != '\0' ? value : "—");
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  return row;
}

/* A fingerprint or key hash: grouped in pairs, in a fixed-width font,
 * wrapped only between pairs. */
static void
add_fingerprint_row (VouchDevicePage     *self,
                     AdwPreferencesGroup *group,
                     const char          *title,
                     const char          *hex,
                     const char          *missing)
{
  g_autofree char *grouped = hex != NULL ? vouch_ui_format_fingerprint (hex) : NULL;
  GtkWidget *row = add_row (self, group, title, grouped != NULL ? grouped : missing);

  if (grouped != NULL)
    gtk_widget_add_css_class (row, "fingerprint-row");
}

static void
clear_rows (VouchDevicePage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static void
show_certificate (VouchDevicePage  *self,
                  const char       *subject,
                  const char       *names,
                  const char       *issuer,
                  gint64            not_before,
                  gint64            not_after,
                  const char       *sha256,
                  const char       *source)
{
  g_autofree char *from = vouch_ui_format_date_time (not_before);
  g_autofree char *until = vouch_ui_format_date_time (not_after);

  adw_preferences_group_set_description (self->certificate_group, source);
  add_row (self, self->certificate_group, _("Subject"), subject);
  add_row (self, self->certificate_group, _("Names"), names);
  add_row (self, self->certificate_group, _("Issuer"), issuer);
  add_row (self, self->certificate_group, _("Valid From"), not_before > 0 ? from : NULL);
  add_row (self, self->certificate_group, _("Valid Until"), not_after > 0 ? until : NULL);
  add_fingerprint_row (self, self->certificate_group, _("SHA-256 Fingerprint"), sha256, NULL);
}

static gint64
parse_time (JsonObject *object,
            const char *member)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) : 0;
}

static void
info_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(VouchDevicePage) self = user_data;
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  JsonObject *cert;
  JsonNode *names_node;

  info = vouch_device_client_get_info_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_preferences_group_set_description (self->certificate_group, error->message);
      return;
    }

  if (!json_object_has_member (info, "certificate") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (info, "certificate")))
    return;
  cert = json_object_get_object_member (info, "certificate");

  names_node = json_object_get_member (cert, "names");
  if (names_node != NULL && JSON_NODE_HOLDS_ARRAY (names_node))
    {
      JsonArray *array = json_node_get_array (names_node);

      for (guint i = 0; i < MIN (json_array_get_length (array), 32u); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                                    json_node_get_string (element));
        }
    }

  show_certificate (self,
                    json_object_get_string_member_with_default (cert, "subject", NULL),
                    names->str,
                    json_object_get_string_member_with_default (cert, "issuer", NULL),
                    parse_time (cert, "not_before"), parse_time (cert, "not_after"),
                    json_object_get_string_member_with_default (cert, "sha256", NULL),
                    _("What the device serves now"));
}

static void
load_history (VouchDevicePage *self)
{
  VouchInventory *inventory = vouch_authority_get_inventory (vouch_application_get_authority (self->application));
  g_autoptr(GListModel) events = NULL;
  guint n;

  events = vouch_inventory_list_audit (inventory, vouch_device_get_id (self->device),
                                       HISTORY_LIMIT, NULL);
  n = events != NULL ? g_list_model_get_n_items (events) : 0;
  adw_preferences_group_set_description (self->history_group,
                                         n == 0 ? _("Nothing has happened with this device yet")
                                                : NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchAuditEvent) event = g_list_model_get_item (events, i);
      g_autofree char *when = vouch_ui_format_date_time (vouch_audit_event_get_at (event));
      g_autofree char *summary = vouch_audit_event_dup_summary (event);

      add_row (self, self->history_group, summary, when);
    }
}

/* A device whose names no longer match its active certificate is offered
 * a one-click re-issue, with the reason. */
static void
show_reissue (VouchDevicePage *self)
{
  VouchInventory *inventory = vouch_authority_get_inventory (vouch_application_get_authority (self->application));
  g_autoptr(VouchCertificate) active = NULL;
  g_autofree char *reason = NULL;
  gboolean needed;

  active = vouch_inventory_lookup_active (inventory, vouch_device_get_id (self->device), NULL);
  needed = active != NULL && vouch_application_get_renewal (self->application) != NULL &&
           vouch_renewal_needs_reissue (self->device, active, &reason);
  gtk_widget_set_visible (GTK_WIDGET (self->reissue_group), needed);
  adw_action_row_set_subtitle (self->reissue_row, reason != NULL ? reason : "");
}

static void refresh (VouchDevicePage *self);

static void
reissue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VouchDevicePage) self = user_data;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = vouch_renewal_renew_finish (VOUCH_RENEWAL (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.reissue", TRUE);
  vouch_ui_toast (GTK_WIDGET (self), cert != NULL ? _("Certificate re-issued with the current names")
                                                  : error->message);
  if (self->application != NULL)
    vouch_application_inventory_changed (self->application);
  refresh (self);
}

static void
reissue_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VouchDevicePage *self = VOUCH_DEVICE_PAGE (widget);
  VouchRenewal *renewal;

  if (self->device == NULL || self->application == NULL)
    return;
  renewal = vouch_application_get_renewal (self->application);
  if (renewal == NULL)
    return;

  gtk_widget_action_set_enabled (widget, "device.reissue", FALSE);
  vouch_renewal_renew_async (renewal, self->device, NULL, reissue_cb, g_object_ref (self));
}

/* The main (suggested) action is what the device needs next: onboarding
 * when it is not trusted yet, renewal only when its certificate expires
 * soon. A device trusted a minute ago still offers Renew, plainly. */
static void
update_main_action (VouchDevicePage *self,
                    gint64           now)
{
  GtkWidget *button = GTK_WIDGET (self->onboard_button);
  gboolean trusted = vouch_device_get_step (self->device) == VOUCH_ONBOARDING_STEP_CONFIRMED;
  gint64 expiry = vouch_device_get_certificate_expiry (self->device);
  gboolean expiring = expiry > 0 && expiry - now < VOUCH_EXPIRING_SOON_DAYS * 86400;
  gboolean needs_secret = vouch_device_get_secret_refused (self->device);

  /* Onboarding needs an API a driver speaks, or the operator carrying
   * the request and the chain (by hand). */
  gtk_widget_set_visible (button, vouch_device_get_kind (self->device) == VOUCH_DEVICE_KIND_VOUCH
                                  || g_strcmp0 (vouch_device_get_driver (self->device), "vouch") != 0
                                  || g_strcmp0 (vouch_device_get_suggested_driver (self->device), "redfish") == 0
                                  || g_strcmp0 (vouch_device_get_suggested_driver (self->device), "axis") == 0
                                  || vouch_by_hand_dialog_fits (self->device));
  if (vouch_by_hand_dialog_fits (self->device))
    gtk_button_set_label (self->onboard_button, trusted ? _("_Renew by Hand…") : _("_Sign by Hand…"));
  else
    gtk_button_set_label (self->onboard_button, trusted ? _("_Renew…") : _("_Onboard…"));
  if (!trusted || expiring || needs_secret)
    gtk_widget_add_css_class (button, "suggested-action");
  else
    gtk_widget_remove_css_class (button, "suggested-action");
}

static void
main_action_changed_cb (VouchDevicePage *self)
{
  update_main_action (self, g_get_real_time () / G_USEC_PER_SEC);
}

static void
refresh (VouchDevicePage *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *status = NULL;
  g_autofree char *addresses = NULL;
  g_autofree char *port = NULL;
  g_autofree char *base = NULL;
  VouchDeviceStatus state;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_rows (self);

  if (self->device == NULL || self->application == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "device");
  state = vouch_device_status_get (self->device, now);
  status = vouch_device_status_dup_label (self->device, now);
  gtk_label_set_label (self->title_label, vouch_device_get_name (self->device));
  gtk_label_set_label (self->status_label, status);
  gtk_image_set_from_icon_name (self->status_icon, vouch_device_status_icon_name (state));
  update_main_action (self, now);

  addresses = g_strjoinv (", ", (char **)vouch_device_get_addresses (self->device));
  port = g_strdup_printf ("%u", vouch_device_get_port (self->device));
  add_row (self, self->identity_group, _("Model"), vouch_device_get_model (self->device));
  add_row (self, self->identity_group, _("Host Name"), vouch_device_get_host (self->device));
  add_row (self, self->identity_group, _("Addresses"), addresses);
  add_row (self, self->identity_group, _("Port"), port);
  add_row (self, self->identity_group, _("Device ID"), vouch_device_get_id (self->device));
  add_fingerprint_row (self, self->identity_group, _("Verified Key (SHA-256)"),
                       vouch_device_get_pin (self->device), _("Not verified yet"));

  show_reissue (self);
  load_history (self);

  /* The certificate is read live, over the pinned channel once verified. */
  base = vouch_device_dup_base_url (self->device);
  if (base != NULL && vouch_device_get_kind (self->device) == VOUCH_DEVICE_KIND_VOUCH &&
      g_strcmp0 (vouch_device_get_driver (self->device), "vouch") == 0)
    {
      g_autofree char *url = g_strconcat (base, vouch_device_get_api_path (self->device), NULL);

      g_clear_object (&self->client);
      self->client = vouch_device_client_new (url);
      vouch_device_client_set_pin (self->client, vouch_device_get_pin (self->device));
      self->cancellable = g_cancellable_new ();
      adw_preferences_group_set_description (self->certificate_group, _("Asking the device…"));
      vouch_device_client_get_info_async (self->client, FALSE, self->cancellable, info_cb,
                                          g_object_ref (self));
    }
  else
    adw_preferences_group_set_description (self->certificate_group,
                                           _("This device offers no API to read it from"));
}

static void
onboard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VouchDevicePage *self = VOUCH_DEVICE_PAGE (widget);
  GtkWindow *dialog;

  if (self->device == NULL || self->application == NULL)
    return;

  if (vouch_by_hand_dialog_fits (self->device))
    dialog = GTK_WINDOW (vouch_by_hand_dialog_new (self->application, self->device));
  else
    dialog = GTK_WINDOW (vouch_onboard_dialog_new (self->application, self->device));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (gtk_widget_get_root (widget)));
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  /* The Certificates and History pages show what the dialog did. */
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (vouch_application_inventory_changed),
                           self->application, G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
}

static void
vouch_device_page_dispose (GObject *object)
{
  VouchDevicePage *self = (VouchDevicePage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->device != NULL)
    g_clear_signal_handler (&self->notify_id, self->device);
  /* AdwBin unparents its child in its own dispose; detach it first so the
   * template's disposal does not leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_DEVICE_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->device);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_device_page_parent_class)->dispose (object);
}

static void
vouch_device_page_class_init (VouchDevicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_device_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-device-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, stack);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, onboard_button);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, reissue_group);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, reissue_row);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, identity_group);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, certificate_group);
  gtk_widget_class_bind_template_child (widget_class, VouchDevicePage, history_group);

  gtk_widget_class_install_action (widget_class, "device.onboard", NULL, onboard_action);
  gtk_widget_class_install_action (widget_class, "device.reissue", NULL, reissue_action);
}

static void
vouch_device_page_init (VouchDevicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

void
vouch_device_page_set_application (VouchDevicePage  *self,
                                   VouchApplication *application)
{
  g_return_if_fail (VOUCH_IS_DEVICE_PAGE (self));

  g_set_weak_pointer (&self->application, application);
  refresh (self);
}

VouchDevice *
vouch_device_page_get_device (VouchDevicePage *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_PAGE (self), NULL);
  return self->device;
}

void
vouch_device_page_set_device (VouchDevicePage *self,
                              VouchDevice     *device)
{
  g_return_if_fail (VOUCH_IS_DEVICE_PAGE (self));

  if (self->device == device)
    return;

  if (self->device != NULL)
    {
      g_clear_signal_handler (&self->notify_id, self->device);
      g_signal_handlers_disconnect_by_func (self->device, main_action_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->device, refresh, self);
    }
  g_set_object (&self->device, device);
  if (device != NULL)
    {
      self->notify_id = g_signal_connect_object (device, "notify::step", G_CALLBACK (refresh), self,
                                                 G_CONNECT_SWAPPED);
      /* A new expiry changes the status too; a refused secret only the
       * button. */
      g_signal_connect_object (device, "notify::certificate-expiry", G_CALLBACK (refresh), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (device, "notify::secret-refused",
                               G_CALLBACK (main_action_changed_cb), self, G_CONNECT_SWAPPED);
    }
  refresh (self);
}
