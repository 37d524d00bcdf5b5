/* vouch-onboard-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-onboard-dialog.h"

#include "vouch-error.h"
#include "vouch-field-validator.h"
#include "vouch-names.h"
#include "vouch-ui-util.h"
#include "vouch-util.h"

#include <glib/gi18n.h>

struct _VouchOnboardDialog
{
  AdwWindow            parent_instance;

  VouchApplication    *application;
  VouchDevice         *device;
  GCancellable        *cancellable;
  GPtrArray           *names;
  GPtrArray           *removed;
  GPtrArray           *name_rows;
  char                *message;
  gulong               step_id;

  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  AdwEntryRow         *code_row;
  AdwPasswordEntryRow *secret_row;
  GtkLabel            *verify_result;
  GtkSpinner          *verify_spinner;
  GtkButton           *verify_button;
  GtkLabel            *verified_label;
  AdwPreferencesGroup *names_group;
  AdwEntryRow         *add_name_row;
  AdwStatusPage       *progress_page;
  GtkSpinner          *progress_spinner;
  AdwStatusPage       *failed_page;
};

G_DEFINE_FINAL_TYPE (VouchOnboardDialog, vouch_onboard_dialog, ADW_TYPE_WINDOW)

static VouchNameConstraints *
constraints (VouchOnboardDialog *self)
{
  VouchRootCa *root = vouch_authority_get_root (vouch_application_get_authority (self->application));

  return vouch_root_ca_get_constraints (root);
}

static void rebuild_names (VouchOnboardDialog *self);

static void
remove_name_cb (GtkButton          *button,
                VouchOnboardDialog *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "vouch-name");
  guint index;

  if (g_ptr_array_find_with_equal_func (self->names, name, g_str_equal, &index))
    {
      g_ptr_array_add (self->removed, g_strdup (name));
      g_ptr_array_remove_index (self->names, index);
      rebuild_names (self);
    }
}

/* Each name shows whether the root may sign it, so a name that would be
 * refused is seen before anything is sent to the device. */
static void
rebuild_names (VouchOnboardDialog *self)
{
  for (guint i = 0; i < self->name_rows->len; i++)
    adw_preferences_group_remove (self->names_group, g_ptr_array_index (self->name_rows, i));
  g_ptr_array_set_size (self->name_rows, 0);

  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      gboolean permitted = vouch_name_constraints_permits (constraints (self), name);
      GtkWidget *row = vouch_ui_name_row_new (name, permitted, G_CALLBACK (remove_name_cb), self);

      adw_preferences_group_add (self->names_group, row);
      g_ptr_array_add (self->name_rows, row);
    }
}

static void
add_name_cb (VouchOnboardDialog *self)
{
  if (vouch_field_add_name (GTK_WIDGET (self->add_name_row), self->names))
    rebuild_names (self);
}

static void
show_names (VouchOnboardDialog *self,
            const char         *verified_text)
{
  gtk_label_set_label (self->verified_label, verified_text);
  rebuild_names (self);
  gtk_stack_set_visible_child_name (self->stack, "names");
}

static void
set_verifying (VouchOnboardDialog *self,
               gboolean            busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->verify_spinner), busy);
  gtk_spinner_set_spinning (self->verify_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button), !busy);
}

static void
show_verify_result (VouchOnboardDialog *self,
                    const char         *text,
                    gboolean            ok)
{
  gtk_label_set_label (self->verify_result, text);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_result), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->verify_result), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->verify_result), ok ? "success" : "error");
  vouch_set_str (&self->message, text);
}

static void
show_verified (VouchOnboardDialog *self)
{
  show_verify_result (self, _("The setup code matches the key the device presents."), TRUE);
  show_names (self, _("✓ Verified: the setup code matches the key the device presents."));
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VouchOnboardDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  set_verifying (self, FALSE);
  if (vouch_onboarding_set_admin_secret_finish (VOUCH_ONBOARDING (object), result, &error))
    show_verified (self);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_verify_result (self, error->message, FALSE);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VouchOnboardDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *secret;

  if (!vouch_onboarding_verify_finish (VOUCH_ONBOARDING (object), result, &error))
    {
      set_verifying (self, FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_verify_result (self, error->message, FALSE);
      return;
    }

  secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  if (*secret == '\0')
    {
      set_verifying (self, FALSE);
      show_verified (self);
      return;
    }

  /* Still busy: the keyring may first ask to be unlocked. */
  vouch_onboarding_set_admin_secret_async (VOUCH_ONBOARDING (object), self->device, secret,
                                           self->cancellable, secret_stored_cb,
                                           g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
}

/**
 * vouch_onboard_dialog_verify:
 * @admin_secret: (nullable): the device's admin password or token, kept
 *   in the keyring on success
 */
void
vouch_onboard_dialog_verify (VouchOnboardDialog *self,
                             const char         *setup_code,
                             const char         *admin_secret)
{
  g_return_if_fail (VOUCH_IS_ONBOARD_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->code_row), setup_code);
  if (admin_secret != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->secret_row), admin_secret);

  set_verifying (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_result), FALSE);
  vouch_onboarding_verify_async (vouch_application_get_onboarding (self->application), self->device,
                                 setup_code, self->cancellable, verified_cb, g_object_ref (self));
}

static void
verify_clicked_cb (VouchOnboardDialog *self)
{
  vouch_onboard_dialog_verify (self, gtk_editable_get_text (GTK_EDITABLE (self->code_row)), NULL);
}

static void
step_changed_cb (VouchOnboardDialog *self)
{
  const char *text;

  switch (vouch_device_get_step (self->device))
    {
    case VOUCH_ONBOARDING_STEP_CSR_RECEIVED:
      text = _("Checking and signing the device's request…");
      break;
    case VOUCH_ONBOARDING_STEP_SIGNED:
      text = _("Installing the certificate on the device…");
      break;
    case VOUCH_ONBOARDING_STEP_INSTALLED:
      text = _("Confirming that the device serves it…");
      break;
    default:
      text = _("Asking the device for a certificate request…");
      break;
    }
  adw_status_page_set_description (self->progress_page, text);
}

static void
onboarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VouchOnboardDialog) self = user_data;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  gtk_spinner_set_spinning (self->progress_spinner, FALSE);
  cert = vouch_onboarding_onboard_finish (VOUCH_ONBOARDING (object), result, &error);
  if (cert == NULL)
    {
      vouch_set_str (&self->message, error->message);
      adw_status_page_set_description (self->failed_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      return;
    }

  vouch_set_str (&self->message, _("This device now serves a certificate trusted by your root."));
  gtk_stack_set_visible_child_name (self->stack, "done");
  vouch_ui_toast (GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (self))),
                  _("The device now serves a trusted certificate"));
}

void
vouch_onboard_dialog_sign (VouchOnboardDialog *self)
{
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;
  GSettings *settings = vouch_application_get_settings (self->application);
  g_autofree char *key_type = g_settings_get_string (settings, "default-key-type");

  g_return_if_fail (VOUCH_IS_ONBOARD_DIALOG (self));

  g_ptr_array_add (self->names, NULL);
  g_ptr_array_add (self->removed, NULL);
  options.add_names = (const char * const *)self->names->pdata;
  options.remove_names = (const char * const *)self->removed->pdata;
  options.days = g_settings_get_uint (settings, "default-validity-days");
  options.key_type = key_type;

  step_changed_cb (self);
  gtk_spinner_set_spinning (self->progress_spinner, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  vouch_onboarding_onboard_async (vouch_application_get_onboarding (self->application),
                                  self->device, &options, self->cancellable, onboarded_cb,
                                  g_object_ref (self));

  /* The options were copied; drop the terminators again. */
  g_ptr_array_set_size (self->names, self->names->len - 1);
  g_ptr_array_set_size (self->removed, self->removed->len - 1);
}

static void
sign_clicked_cb (VouchOnboardDialog *self)
{
  vouch_onboard_dialog_sign (self);
}

static void
cancel_clicked_cb (VouchOnboardDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
close_clicked_cb (VouchOnboardDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
retry_clicked_cb (VouchOnboardDialog *self)
{
  gboolean verified = vouch_device_get_verification (self->device) != VOUCH_VERIFICATION_NONE;

  gtk_stack_set_visible_child_name (self->stack, verified ? "names" : "verify");
}

static void
vouch_onboard_dialog_dispose (GObject *object)
{
  VouchOnboardDialog *self = (VouchOnboardDialog *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->device != NULL)
    g_clear_signal_handler (&self->step_id, self->device);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_ONBOARD_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->device);
  g_clear_object (&self->application);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->removed, g_ptr_array_unref);
  g_clear_pointer (&self->name_rows, g_ptr_array_unref);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (vouch_onboard_dialog_parent_class)->dispose (object);
}

static void
vouch_onboard_dialog_class_init (VouchOnboardDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_onboard_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-onboard-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, code_row);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, verify_result);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, verify_spinner);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, verify_button);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, verified_label);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, names_group);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, add_name_row);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, failed_page);
  gtk_widget_class_bind_template_callback (widget_class, verify_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_name_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vouch_onboard_dialog_init (VouchOnboardDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vouch_field_validator_attach (GTK_WIDGET (self->add_name_row), vouch_field_check_name, NULL);
  self->cancellable = g_cancellable_new ();
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->removed = g_ptr_array_new_with_free_func (g_free);
  self->name_rows = g_ptr_array_new ();
}

VouchOnboardDialog *
vouch_onboard_dialog_new (VouchApplication *application,
                          VouchDevice      *device)
{
  VouchOnboardDialog *self;
  GSettings *settings;
  g_auto(GStrv) extra = NULL;
  const char * const *addresses;

  g_return_val_if_fail (VOUCH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (VOUCH_IS_DEVICE (device), NULL);

  self = g_object_new (VOUCH_TYPE_ONBOARD_DIALOG, NULL);
  self->application = g_object_ref (application);
  self->device = g_object_ref (device);
  adw_window_title_set_subtitle (self->window_title, vouch_device_get_name (device));
  self->step_id = g_signal_connect_object (device, "notify::step", G_CALLBACK (step_changed_cb),
                                           self, G_CONNECT_SWAPPED);

  /* What the device will ask for: its host name and addresses, plus the
   * site-wide extra names from Preferences. */
  if (vouch_device_get_host (device) != NULL)
    g_ptr_array_add (self->names, g_strdup (vouch_device_get_host (device)));
  addresses = vouch_device_get_addresses (device);
  for (guint i = 0; addresses[i] != NULL; i++)
    g_ptr_array_add (self->names, g_strdup (addresses[i]));
  settings = vouch_application_get_settings (application);
  extra = g_settings_get_strv (settings, "default-extra-names");
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (self->names, g_strdup (extra[i]));

  if (vouch_device_get_verification (device) != VOUCH_VERIFICATION_NONE &&
      vouch_device_get_pin (device) != NULL)
    show_names (self, _("✓ Verified earlier: Vouch will only talk to the key it verified."));
  else if (vouch_device_get_attention (device) != NULL)
    show_verify_result (self, vouch_device_get_attention (device), FALSE);

  return self;
}

/**
 * vouch_onboard_dialog_get_step_name:
 *
 * Returns: the page shown: “verify”, “names”, “progress”, “done” or
 *   “failed”
 */
const char *
vouch_onboard_dialog_get_step_name (VouchOnboardDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_ONBOARD_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * vouch_onboard_dialog_get_message:
 *
 * Returns: (nullable): the last result or error shown to the user
 */
const char *
vouch_onboard_dialog_get_message (VouchOnboardDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_ONBOARD_DIALOG (self), NULL);
  return self->message;
}
