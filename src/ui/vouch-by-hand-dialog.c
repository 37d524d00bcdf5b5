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

#include "vouch-by-hand-dialog.h"

#include "vouch-error.h"
#include "vouch-fingerprint-check.h"
#include "vouch-key-bundle.h"
#include "vouch-key-store.h"
#include "vouch-passphrase-dialog.h"
#include "vouch-signing-policy.h"
#include "vouch-ui-util.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n.h>
#include <gnutls/gnutls.h>

struct _VouchByHandDialog
{
  AdwWindow              parent_instance;

  VouchApplication      *application;
  VouchDevice           *device;
  GCancellable          *cancellable;
  char                  *csr_pem;
  char                 **names;
  gboolean               busy;

  AdwWindowTitle        *window_title;
  AdwPreferencesGroup   *current_group;
  AdwActionRow          *subject_row;
  AdwActionRow          *issuer_row;
  AdwActionRow          *until_row;
  AdwActionRow          *pin_row;
  VouchFingerprintCheck *fingerprint_check;
  AdwActionRow          *page_row;
  GtkCheckButton        *csr_choice;
  GtkWidget             *csr_box;
  GtkTextView           *csr_view;
  GtkLabel              *csr_error_label;
  AdwPreferencesGroup   *review_group;
  AdwActionRow          *request_names_row;
  AdwActionRow          *request_key_row;
  AdwComboRow           *format_row;
  GtkWidget             *bundle_box;
  AdwActionRow          *bundle_names_row;
  GtkLabel              *saved_label;
  GtkSpinner            *spinner;
  GtkLabel              *result_label;
};

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

/* The key and certificate file: a passphrase shorter than this is
 * refused before any key is made. */
#define MIN_PASSPHRASE_CHARS 12

static void
set_busy (VouchByHandDialog *self,
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

static void
show_label (GtkLabel   *label,
            const char *text,
            const char *style)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), style);
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
  show_label (self->csr_error_label, NULL, NULL);

  if (*text != '\0' && policy == NULL)
    show_label (self->csr_error_label, _("Create or import a root before signing requests"),
                "error");
  else if (*text != '\0')
    {
      /* Reviewed by the policy that will sign it, so what would be refused
       * is said now, in its words. */
      request = vouch_signing_policy_check (policy, (const guint8 *)text, strlen (text), NULL,
                                            NULL, &error);
      if (request == NULL)
        show_label (self->csr_error_label, error->message, "error");
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
}

/* A request in DER is shown (and signed) as the PEM the page could have
 * given; anything else is left for the review to explain. */
static void
show_request_file (VouchByHandDialog *self,
                   GBytes            *bytes)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  gnutls_datum_t in = { (unsigned char *)data, (unsigned int)len };
  gnutls_datum_t out = { NULL, 0 };
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->csr_view);

  if (len > 0 && (guchar)data[0] == 0x30 &&
      gnutls_pem_base64_encode2 ("CERTIFICATE REQUEST", &in, &out) >= 0)
    {
      gtk_text_buffer_set_text (buffer, (const char *)out.data, (int)out.size);
      gnutls_free (out.data);
      return;
    }
  if (!g_utf8_validate (data, (gssize)len, NULL))
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      show_label (self->csr_error_label,
                  _("This file is not a certificate signing request: choose the request the "
                    "device’s page made"), "error");
      return;
    }
  gtk_text_buffer_set_text (buffer, data, (int)len);
}

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VouchByHandDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  VouchSigningPolicy *policy = vouch_authority_get_policy (vouch_application_get_authority (self->application));
  gsize max = policy != NULL ? vouch_signing_policy_get_max_input_size (policy)
                             : VOUCH_SIGNING_POLICY_DEFAULT_MAX_INPUT;

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_label (self->csr_error_label, error->message, "error");
      return;
    }
  if (g_bytes_get_size (bytes) > max)
    {
      show_label (self->csr_error_label,
                  _("This file is too large for a certificate signing request: choose the "
                    "request the device’s page made"), "error");
      return;
    }
  show_request_file (self, bytes);
}

static void
load_file (VouchByHandDialog *self,
           GFile             *file)
{
  g_file_load_bytes_async (file, self->cancellable, file_loaded_cb, g_object_ref (self));
}

static void
request_chosen_cb (GFile    *file,
                   gpointer  user_data)
{
  g_autoptr(VouchByHandDialog) self = user_data;

  if (file != NULL)
    load_file (self, file);
}

static void
open_csr_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  const char * const patterns[] = { "*.csr", "*.req", "*.pem", "*.der", NULL };

  vouch_ui_choose_file (widget, _("Open the Device’s Request"), FALSE, NULL, patterns,
                        request_chosen_cb, g_object_ref (widget));
}

static gboolean
drop_cb (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         VouchByHandDialog *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->busy)
    return FALSE;
  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;
  load_file (self, files->data);
  return TRUE;
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

      show_label (self->result_label, text, "error");
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
typedef void (*VerifiedFunc) (VouchByHandDialog *self);

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchByHandDialog *self = g_task_get_source_object (task);
  VerifiedFunc next = (VerifiedFunc)g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!vouch_onboarding_verify_finish (VOUCH_ONBOARDING (object), result, &error))
    {
      show_label (self->csr_error_label, error->message, "error");
      show_label (self->result_label, error->message, "error");
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_check), FALSE);
  next (self);
}

static void
when_verified (VouchByHandDialog *self,
               VerifiedFunc       next)
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

      show_label (gtk_check_button_get_active (self->csr_choice) ? self->csr_error_label
                                                                  : self->result_label,
                  text, "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->fingerprint_check));
      return;
    }

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, (gpointer)next, NULL);
  set_busy (self, TRUE);
  vouch_onboarding_verify_fingerprint_async (vouch_application_get_onboarding (self->application),
                                             self->device,
                                             vouch_fingerprint_check_get_fingerprint (self->fingerprint_check),
                                             self->cancellable, verified_cb, task);
}

static void
signed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VouchByHandDialog) self = user_data;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  cert = vouch_onboarding_onboard_finish (VOUCH_ONBOARDING (object), result, &error);
  vouch_application_inventory_changed (self->application);
  if (cert != NULL)
    {
      show_label (self->result_label, _("Trusted: the device already serves the certificate "
                                        "Vouch signed"), "success");
      return;
    }
  /* Saved but not served yet is where this path always is now. */
  if (g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED))
    {
      show_label (self->saved_label, _("Signed and saved. Upload the chain on the device’s "
                                       "page, have it use the new certificate, then Confirm."),
                  "success");
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_label (self->csr_error_label, error->message, "error");
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
  options.add_names = (const char * const *)self->names;
  options.csr_pem = self->csr_pem;
  options.chain_path = path;
  options.chain_format = formats[MIN (format, G_N_ELEMENTS (formats) - 1)];
  show_label (self->saved_label, NULL, NULL);
  show_label (self->result_label, NULL, NULL);
  set_busy (self, TRUE);
  vouch_onboarding_onboard_async (vouch_application_get_onboarding (self->application),
                                  self->device, &options, self->cancellable, signed_cb,
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
  when_verified (self, choose_chain_file);
}

typedef struct
{
  VouchAuthority *authority;
  char          **names;
  char           *device_id;
  char           *passphrase;
  char           *path;
} BundleJob;

static void
bundle_job_free (BundleJob *job)
{
  g_clear_object (&job->authority);
  g_clear_pointer (&job->names, g_strfreev);
  g_clear_pointer (&job->device_id, g_free);
  /* wiped, as every passphrase */
  vouch_key_store_free_secret (g_steal_pointer (&job->passphrase));
  g_clear_pointer (&job->path, g_free);
  g_free (job);
}

/* Key generation and signing block, and the file holds the key: made
 * and written here, off the main loop, and nothing else keeps it. */
static void
bundle_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BundleJob *job = task_data;
  g_autoptr(GBytes) bundle = NULL;
  GError *error = NULL;

  bundle = vouch_key_bundle_make (job->authority, (const char * const *)job->names,
                                  VOUCH_KEY_TYPE_ECDSA_P256, VOUCH_LEAF_DEFAULT_DAYS,
                                  job->device_id, job->passphrase, cancellable, &error);
  if (bundle == NULL ||
      !vouch_write_file_atomic (job->path, g_bytes_get_data (bundle, NULL),
                                g_bytes_get_size (bundle), 0600, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
bundle_made_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VouchPassphraseDialog) dialog = user_data;
  VouchByHandDialog *self = VOUCH_BY_HAND_DIALOG (object);
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  g_task_propagate_boolean (G_TASK (result), &error);
  vouch_passphrase_dialog_finish (dialog, error);
  vouch_application_inventory_changed (self->application);
  if (error == NULL)
    show_label (self->saved_label, _("Key and certificate saved. Upload the file on the "
                                     "device’s page with its passphrase, delete the file, "
                                     "then Confirm."), "success");
}

static void
bundle_submit_cb (VouchPassphraseDialog *dialog,
                  const char            *passphrase,
                  VouchByHandDialog     *self)
{
  BundleJob *job;
  GTask *task;

  if (g_utf8_strlen (passphrase, -1) < MIN_PASSPHRASE_CHARS)
    {
      g_autoptr(GError) error = g_error_new (VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                                             _("Use at least %d characters: the file can be "
                                               "guessed at offline, without limit"),
                                             MIN_PASSPHRASE_CHARS);

      vouch_passphrase_dialog_finish (dialog, error);
      return;
    }

  job = g_new0 (BundleJob, 1);
  job->authority = g_object_ref (vouch_application_get_authority (self->application));
  job->names = g_strdupv (self->names);
  job->device_id = g_strdup (vouch_device_get_id (self->device));
  job->passphrase = g_strdup (passphrase);
  job->path = g_strdup (g_object_get_data (G_OBJECT (dialog), "path"));
  set_busy (self, TRUE);
  show_label (self->saved_label, NULL, NULL);
  show_label (self->result_label, NULL, NULL);
  task = g_task_new (self, vouch_passphrase_dialog_get_cancellable (dialog), bundle_made_cb,
                     g_object_ref (dialog));
  g_task_set_task_data (task, job, (GDestroyNotify)bundle_job_free);
  g_task_run_in_thread (task, bundle_thread);
  g_object_unref (task);
}

static void
bundle_file_chosen_cb (GFile    *file,
                       gpointer  user_data)
{
  g_autoptr(VouchByHandDialog) self = user_data;
  VouchPassphraseDialog *dialog;

  if (file == NULL)
    return;

  dialog = vouch_passphrase_dialog_new (GTK_WIDGET (self), _("Protect the Key"),
                                        _("Choose a passphrase for the key and certificate "
                                          "file. The device’s page asks for it when you upload "
                                          "the file; Vouch does not keep it."), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "path", g_file_get_path (file), g_free);
  g_signal_connect_object (dialog, "submit", G_CALLBACK (bundle_submit_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
choose_bundle_file (VouchByHandDialog *self)
{
  g_autofree char *name = g_strconcat (vouch_device_get_host (self->device), ".p12", NULL);

  vouch_ui_choose_file (GTK_WIDGET (self), _("Save the Key and Certificate"), TRUE, name, NULL,
                        bundle_file_chosen_cb, g_object_ref (self));
}

static void
make_bundle_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  VouchByHandDialog *self = VOUCH_BY_HAND_DIALOG (widget);

  if (!self->busy)
    when_verified (self, choose_bundle_file);
}

static void
confirmed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VouchByHandDialog) self = user_data;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  cert = vouch_onboarding_onboard_finish (VOUCH_ONBOARDING (object), result, &error);
  vouch_application_inventory_changed (self->application);
  if (cert != NULL)
    show_label (self->result_label, _("Trusted: the device serves the certificate Vouch signed, "
                                      "and it checks out against your root for every name"),
                "success");
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_label (self->result_label, error->message, "error");
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
      show_label (self->result_label, _("Nothing to confirm yet: sign the device’s request or "
                                        "make its key and certificate first"), "error");
      return;
    }

  /* Without a request, onboarding takes the certificate signed for the
   * device and not confirmed yet, and checks that the device serves it. */
  options.add_names = (const char * const *)self->names;
  show_label (self->result_label, _("Connecting to the device…"), NULL);
  set_busy (self, TRUE);
  vouch_onboarding_onboard_async (vouch_application_get_onboarding (self->application),
                                  self->device, &options, self->cancellable, confirmed_cb,
                                  g_object_ref (self));
}

static void
vouch_by_hand_dialog_dispose (GObject *object)
{
  VouchByHandDialog *self = (VouchByHandDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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
  gtk_widget_class_install_action (widget_class, "by-hand.open-csr", NULL, open_csr_action);
  gtk_widget_class_install_action (widget_class, "by-hand.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "by-hand.make-bundle", NULL, make_bundle_action);
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
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (self->csr_box, GTK_EVENT_CONTROLLER (target));

  g_signal_connect_object (gtk_text_view_get_buffer (self->csr_view), "changed",
                           G_CALLBACK (csr_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->fingerprint_check, "notify::fingerprint",
                           G_CALLBACK (fingerprint_read_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "by-hand.sign", FALSE);
}

/* The names a device without an API is known by, as onboarding would
 * take them: its host name, then its addresses. */
static char **
device_names (VouchDevice *device)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char * const *addresses = vouch_device_get_addresses (device);

  if (vouch_device_get_host (device) != NULL)
    g_strv_builder_add (names, vouch_device_get_host (device));
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    if (g_strcmp0 (addresses[i], vouch_device_get_host (device)) != 0)
      g_strv_builder_add (names, addresses[i]);
  return g_strv_builder_end (names);
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
  self->names = device_names (device);

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
