/* vouch-by-hand-dialog.c
 *
 * The guided path for a device that has only its own web page (the
 * manual driver). Nothing here signs, saves or confirms by itself: the
 * request goes through onboarding (policy, inventory, audit) with the
 * chain saved where the operator chose, a key and certificate together
 * through vouch_key_bundle_make(), and Confirm is onboarding again, which
 * finds the certificate not yet delivered and checks over a fresh
 * connection that the device serves it. The steps are all on one page,
 * in order, because the operator goes back and forth between this window
 * and the device's page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-by-hand-dialog-private.h"

#include "vouch-error.h"
#include "vouch-signing-policy.h"
#include "vouch-text.h"
#include "vouch-ui-util.h"
#include "vouch-util.h"

#include <glib/gi18n.h>

G_DEFINE_FINAL_TYPE (VouchByHandDialog, vouch_by_hand_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of the format row's model. */
static const char * const formats[] = { "pem", "der", "pkcs7" };
static const char * const extensions[] = { "-chain.pem", ".cer", ".p7b" };

void
_vouch_by_hand_dialog_set_busy (VouchByHandDialog *self,
                                gboolean           busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "by-hand.sign", !busy && self->csr_pem != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "by-hand.make-bundle", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "by-hand.confirm", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* What just changed is scrolled into view once it has its size: the
 * steps are one long page, and a result below the fold goes unseen. */
static gboolean
reveal_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  VouchByHandDialog *self = VOUCH_BY_HAND_DIALOG (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double x = 0, bottom = 0;

  /* The first frame after a change lays out the old text; measure on
   * the next one. */
  if (!self->reveal_measured)
    {
      self->reveal_measured = TRUE;
      return G_SOURCE_CONTINUE;
    }
  self->reveal_id = 0;
  /* In the scrolled window's own coordinates, so below its bottom edge
   * is how far to scroll. */
  if (self->reveal_target != NULL && gtk_widget_get_mapped (self->reveal_target) &&
      gtk_widget_is_ancestor (self->reveal_target, GTK_WIDGET (self->scroller)) &&
      gtk_widget_translate_coordinates (self->reveal_target, GTK_WIDGET (self->scroller), 0,
                                        gtk_widget_get_height (self->reveal_target), &x, &bottom))
    {
      double below = bottom + 12 - gtk_widget_get_height (GTK_WIDGET (self->scroller));

      if (below > 0)
        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + below);
    }
  g_clear_weak_pointer (&self->reveal_target);
  return G_SOURCE_REMOVE;
}

static void
reveal (VouchByHandDialog *self,
        GtkWidget         *target)
{
  g_set_weak_pointer (&self->reveal_target, target);
  self->reveal_measured = FALSE;
  if (self->reveal_id == 0)
    self->reveal_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_tick_cb, NULL, NULL);
}

void
_vouch_by_hand_dialog_show_label (GtkLabel   *label,
                                  const char *text,
                                  const char *style)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), style);
  if (text != NULL)
    reveal (VOUCH_BY_HAND_DIALOG (gtk_widget_get_root (GTK_WIDGET (label))), GTK_WIDGET (label));
}

static gboolean
is_verified (VouchByHandDialog *self)
{
  return vouch_device_get_verification (self->device) != VOUCH_VERIFICATION_NONE &&
         vouch_device_get_pin (self->device) != NULL;
}

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  adw_action_row_set_subtitle (row, text != NULL && *text != '\0' ? text : "—");
}

/* What the device serves now, read with its key by the fingerprint check;
 * the names are the certificate's own, so sanitized before display. */
static void
fingerprint_read_cb (VouchByHandDialog *self)
{
  GTlsCertificate *cert = vouch_fingerprint_check_get_certificate (self->fingerprint_check);
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *raw_subject = NULL;
  g_autofree char *raw_issuer = NULL;
  g_autofree char *when = NULL;

  if (cert == NULL)
    return;
  /* It answered just now: a device known only by its address is never
   * announced, so this is how it shows as reachable. */
  vouch_device_set_online (self->device, TRUE);

  raw_subject = g_tls_certificate_get_subject_name (cert);
  raw_issuer = g_tls_certificate_get_issuer_name (cert);
  until = g_tls_certificate_get_not_valid_after (cert);
  subject = raw_subject != NULL ? vouch_text_sanitize (raw_subject, -1, 128) : NULL;
  issuer = raw_issuer != NULL ? vouch_text_sanitize (raw_issuer, -1, 128) : NULL;
  when = until != NULL ? vouch_ui_format_date_time (g_date_time_to_unix (until)) : NULL;
  set_subtitle (self->subject_row, subject);
  set_subtitle (self->issuer_row, issuer);
  set_subtitle (self->until_row, when);
  adw_preferences_group_set_description (self->current_group,
                                         _("The certificate the device serves now"));
}

static void
csr_changed_cb (VouchByHandDialog *self)
{
  VouchAuthority *authority = vouch_application_get_authority (self->application);
  VouchSigningPolicy *policy = vouch_authority_get_policy (authority);
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *names = NULL;
  g_autofree char *key = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->csr_view);
  GtkTextIter start, end;

  g_clear_pointer (&self->csr_pem, g_free);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  gtk_widget_set_visible (GTK_WIDGET (self->review_group), FALSE);
  _vouch_by_hand_dialog_show_label (self->csr_error_label, NULL, NULL);

  if (*text != '\0' && policy == NULL)
    _vouch_by_hand_dialog_show_label (self->csr_error_label,
                                      _("Create or import a root before signing requests"),
                                      "error");
  else if (*text != '\0')
    {
      /* Reviewed by the policy that will sign it, so what would be refused
       * is said now, in its words. */
      request = vouch_signing_policy_check (policy, (const guint8 *)text, strlen (text), NULL,
                                            NULL, &error);
      if (request == NULL)
        _vouch_by_hand_dialog_show_label (self->csr_error_label, error->message, "error");
      else
        {
          names = g_strjoinv (", ", (char **)vouch_signing_request_get_names (request));
          key = vouch_ui_format_fingerprint (vouch_signing_request_get_key_sha256 (request));
          set_subtitle (self->request_names_row, names);
          set_subtitle (self->request_key_row, key);
          gtk_widget_set_visible (GTK_WIDGET (self->review_group), TRUE);
          self->csr_pem = g_steal_pointer (&text);
        }
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "by-hand.sign",
                                 !self->busy && self->csr_pem != NULL);
}

static void
choice_toggled_cb (VouchByHandDialog *self)
{
  gboolean csr = gtk_check_button_get_active (self->csr_choice);

  gtk_widget_set_visible (self->csr_box, csr);
  gtk_widget_set_visible (self->bundle_box, !csr);
  _vouch_by_hand_dialog_show_label (self->result_label, NULL, NULL);
  reveal (self, csr ? self->csr_box : self->bundle_box);
}

static void
page_shown_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(VouchByHandDialog) self = user_data;
  g_autoptr(GError) error = NULL;

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (object), result, &error);
#else
  gtk_show_uri_full_finish (GTK_WINDOW (self), result, &error);
#endif
  /* The address stays on the row, to type into a browser by hand. */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not open a browser (%s); open %s "
                                                 "yourself"), error->message,
                                               adw_action_row_get_subtitle (self->page_row));

      _vouch_by_hand_dialog_show_label (self->result_label, text, "error");
    }
}

static void
open_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  VouchByHandDialog *self = VOUCH_BY_HAND_DIALOG (widget);
  g_autofree char *url = vouch_device_dup_base_url (self->device);

  if (url == NULL)
    return;
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (url);

    gtk_uri_launcher_launch (launcher, GTK_WINDOW (self), self->cancellable, page_shown_cb,
                             g_object_ref (self));
  }
#else
  gtk_show_uri_full (GTK_WINDOW (self), url, GDK_CURRENT_TIME, self->cancellable, page_shown_cb,
                     g_object_ref (self));
#endif
}

/* Both paths need the device's present key verified first: it is how
 * the certificate is tied to this device, and what a change of key is
 * later measured against. */
static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchByHandDialog *self = g_task_get_source_object (task);
  VouchByHandNext next = (VouchByHandNext)g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  _vouch_by_hand_dialog_set_busy (self, FALSE);
  if (!vouch_onboarding_verify_finish (VOUCH_ONBOARDING (object), result, &error))
    {
      _vouch_by_hand_dialog_show_label (self->csr_error_label, error->message, "error");
      _vouch_by_hand_dialog_show_label (self->result_label, error->message, "error");
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_check), FALSE);
  next (self);
}

void
_vouch_by_hand_dialog_when_verified (VouchByHandDialog *self,
                                     VouchByHandNext    next)
{
  GTask *task;

  if (is_verified (self))
    {
      next (self);
      return;
    }
  if (!vouch_fingerprint_check_get_matches (self->fingerprint_check))
    {
      const char *text = _("First compare the fingerprint in step 1 with the one the device "
                           "shows, and tick the box only if they are the same");
      GtkLabel *label = gtk_check_button_get_active (self->csr_choice) ? self->csr_error_label
                                                                        : self->result_label;

      _vouch_by_hand_dialog_show_label (label, text, "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->fingerprint_check));
      return;
    }

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, (gpointer)next, NULL);
  _vouch_by_hand_dialog_set_busy (self, TRUE);
  vouch_onboarding_verify_fingerprint_async (vouch_application_get_onboarding (self->application),
                                             self->device,
                                             vouch_fingerprint_check_get_fingerprint (self->fingerprint_check),
                                             self->cancellable, verified_cb, task);
}

/* Signing and confirming are both onboarding: signing ends, as a rule,
 * with the chain saved and not served yet; confirming, trusted or with
 * why not. */
static void
onboarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VouchByHandDialog) self = user_data;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  gboolean signing = self->signing;

  self->signing = FALSE;
  _vouch_by_hand_dialog_set_busy (self, FALSE);
  cert = vouch_onboarding_onboard_finish (VOUCH_ONBOARDING (object), result, &error);
  vouch_application_inventory_changed (self->application);
  if (cert != NULL)
    _vouch_by_hand_dialog_show_label (self->result_label,
                                      _("Trusted: the device serves the certificate Vouch signed, "
                                         "and it checks out against your root for every name"),
                                      "success");
  else if (signing && g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED))
    _vouch_by_hand_dialog_show_label (self->saved_label,
                                      _("Signed and saved. Upload the chain on the device’s "
                                         "page, have it use the new certificate, then Confirm."),
                                      "success");
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _vouch_by_hand_dialog_show_label (signing ? self->csr_error_label : self->result_label,
                                      error->message, "error");
}

static void
chain_file_chosen_cb (GFile    *file,
                      gpointer  user_data)
{
  g_autoptr(VouchByHandDialog) self = user_data;
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;
  g_autofree char *path = NULL;
  guint format = adw_combo_row_get_selected (self->format_row);

  if (file == NULL || self->csr_pem == NULL)
    return;

  path = g_file_get_path (file);
  options.csr_pem = self->csr_pem;
  options.chain_path = path;
  options.chain_format = formats[MIN (format, G_N_ELEMENTS (formats) - 1)];
  _vouch_by_hand_dialog_show_label (self->saved_label, NULL, NULL);
  _vouch_by_hand_dialog_show_label (self->result_label, NULL, NULL);
  _vouch_by_hand_dialog_set_busy (self, TRUE);
  self->signing = TRUE;
  vouch_onboarding_onboard_async (vouch_application_get_onboarding (self->application),
                                  self->device, &options, self->cancellable, onboarded_cb,
                                  g_object_ref (self));
}

static void
choose_chain_file (VouchByHandDialog *self)
{
  guint format = MIN (adw_combo_row_get_selected (self->format_row), G_N_ELEMENTS (extensions) - 1);
  g_autofree char *name = g_strconcat (vouch_device_get_host (self->device), extensions[format],
                                       NULL);

  vouch_ui_choose_file (GTK_WIDGET (self), _("Save the Signed Chain"), TRUE, name, NULL,
                        chain_file_chosen_cb, g_object_ref (self));
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VouchByHandDialog *self = VOUCH_BY_HAND_DIALOG (widget);

  if (self->busy || self->csr_pem == NULL)
    return;
  _vouch_by_hand_dialog_show_label (self->csr_error_label, NULL, NULL);
  _vouch_by_hand_dialog_when_verified (self, choose_chain_file);
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VouchByHandDialog *self = VOUCH_BY_HAND_DIALOG (widget);
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;

  if (self->busy)
    return;
  if (!is_verified (self))
    {
      _vouch_by_hand_dialog_show_label (self->result_label,
                                        _("Nothing to confirm yet: sign the device’s request or "
                                           "make its key and certificate first"),
                                        "error");
      return;
    }

  /* Without a request, onboarding takes the certificate signed for the
   * device and not confirmed yet, and checks that the device serves it. */
  _vouch_by_hand_dialog_show_label (self->result_label, _("Connecting to the device…"), NULL);
  _vouch_by_hand_dialog_set_busy (self, TRUE);
  vouch_onboarding_onboard_async (vouch_application_get_onboarding (self->application),
                                  self->device, &options, self->cancellable, onboarded_cb,
                                  g_object_ref (self));
}

static void
vouch_by_hand_dialog_dispose (GObject *object)
{
  VouchByHandDialog *self = (VouchByHandDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->reveal_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_id);
  self->reveal_id = 0;
  g_clear_weak_pointer (&self->reveal_target);
  g_clear_object (&self->device);
  g_clear_pointer (&self->csr_pem, g_free);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_weak_pointer (&self->application);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_BY_HAND_DIALOG);

  G_OBJECT_CLASS (vouch_by_hand_dialog_parent_class)->dispose (object);
}

static void
vouch_by_hand_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VouchByHandDialog *self = VOUCH_BY_HAND_DIALOG (object);

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
vouch_by_hand_dialog_class_init (VouchByHandDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_by_hand_dialog_dispose;
  object_class->get_property = vouch_by_hand_dialog_get_property;

  /* Whether signing, verifying, making a key or confirming is running. */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VOUCH_TYPE_FINGERPRINT_CHECK);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-by-hand-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, scroller);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, current_group);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, subject_row);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, issuer_row);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, until_row);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, pin_row);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, fingerprint_check);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, page_row);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, csr_choice);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, csr_box);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, csr_view);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, csr_error_label);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, review_group);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, request_names_row);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, request_key_row);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, bundle_box);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, bundle_names_row);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, saved_label);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, VouchByHandDialog, result_label);
  gtk_widget_class_bind_template_callback (widget_class, choice_toggled_cb);

  gtk_widget_class_install_action (widget_class, "by-hand.open-page", NULL, open_page_action);
  gtk_widget_class_install_action (widget_class, "by-hand.open-csr", NULL,
                                   _vouch_by_hand_dialog_open_csr_action);
  gtk_widget_class_install_action (widget_class, "by-hand.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "by-hand.make-bundle", NULL,
                                   _vouch_by_hand_dialog_make_bundle_action);
  gtk_widget_class_install_action (widget_class, "by-hand.confirm", NULL, confirm_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vouch_by_hand_dialog_init (VouchByHandDialog *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* A request file dropped anywhere on the request's box. */
  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (_vouch_by_hand_dialog_drop_cb), self);
  gtk_widget_add_controller (self->csr_box, GTK_EVENT_CONTROLLER (target));

  g_signal_connect_object (gtk_text_view_get_buffer (self->csr_view), "changed",
                           G_CALLBACK (csr_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->fingerprint_check, "notify::fingerprint",
                           G_CALLBACK (fingerprint_read_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "by-hand.sign", FALSE);
}

/**
 * vouch_by_hand_dialog_fits:
 *
 * Returns: whether @device is onboarded by hand: its driver is the manual
 *   one, or discovery suggests it for a device found without an API
 */
gboolean
vouch_by_hand_dialog_fits (VouchDevice *device)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (device), FALSE);

  if (g_strcmp0 (vouch_device_get_driver (device), "manual") == 0)
    return TRUE;
  return vouch_device_get_kind (device) != VOUCH_DEVICE_KIND_VOUCH &&
         g_strcmp0 (vouch_device_get_driver (device), "vouch") == 0 &&
         g_strcmp0 (vouch_device_get_suggested_driver (device), "manual") == 0;
}

VouchByHandDialog *
vouch_by_hand_dialog_new (VouchApplication *application,
                          VouchDevice      *device)
{
  VouchByHandDialog *self;
  g_autofree char *url = NULL;
  g_autofree char *names = NULL;

  g_return_val_if_fail (VOUCH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (VOUCH_IS_DEVICE (device), NULL);

  self = g_object_new (VOUCH_TYPE_BY_HAND_DIALOG, NULL);
  g_set_weak_pointer (&self->application, application);
  self->device = g_object_ref (device);
  /* From here on the device is spoken to as a device with only a page. */
  vouch_device_set_driver (device, "manual");
  self->names = vouch_onboarding_dup_device_names (device);

  adw_window_title_set_subtitle (self->window_title, vouch_device_get_name (device));
  url = vouch_device_dup_base_url (device);
  set_subtitle (self->page_row, url);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "by-hand.open-page", url != NULL);
  names = g_strjoinv (", ", self->names);
  set_subtitle (self->bundle_names_row, names);

  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_check), !is_verified (self));
  gtk_widget_set_visible (GTK_WIDGET (self->pin_row), is_verified (self));
  if (is_verified (self))
    {
      g_autofree char *pin = vouch_ui_format_fingerprint (vouch_device_get_pin (device));

      set_subtitle (self->pin_row, pin);
    }
  vouch_fingerprint_check_set_device (self->fingerprint_check, device);

  return self;
}

gboolean
vouch_by_hand_dialog_get_busy (VouchByHandDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_BY_HAND_DIALOG (self), FALSE);
  return self->busy;
}
