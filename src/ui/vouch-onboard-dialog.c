/* vouch-onboard-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-onboard-dialog.h"
#include "vouch-onboard-dialog-private.h"

#include "vouch-error.h"
#include "vouch-field-validator.h"
#include "vouch-fingerprint-check.h"
#include "vouch-key-store.h"
#include "vouch-home-trust-stores.h"
#include "vouch-ui-util.h"
#include "vouch-util.h"

#include <glib/gi18n.h>

struct _VouchOnboardDialog
{
  AdwWindow            parent_instance;

  VouchApplication    *application;
  VouchDevice         *device;
  VouchHomeTrustStores    *trust_stores;
  GCancellable        *cancellable;
  GPtrArray           *names;
  GPtrArray           *removed;
  GPtrArray           *name_rows;
  char                *message;
  char                *secret;
  gulong               step_id;

  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  GtkLabel            *intro_label;
  AdwEntryRow         *code_row;
  AdwEntryRow         *user_row;
  VouchFingerprintCheck *fingerprint_check;
  AdwPasswordEntryRow *secret_row;
  GtkLabel            *verify_result;
  GtkLabel            *verified_label;
  AdwPreferencesGroup *names_group;
  AdwEntryRow         *add_name_row;
  AdwActionRow        *left_out_row;
  GtkButton           *sign_button;
  AdwStatusPage       *progress_page;
  GtkSpinner          *progress_spinner;
  AdwStatusPage       *done_page;
  GtkLabel            *trust_result;
  GtkButton           *trust_button;
  GtkButton           *close_button;
  AdwStatusPage       *failed_page;
  AdwPreferencesGroup *retry_secret_group;
  AdwPasswordEntryRow *retry_secret_row;
  GtkButton           *retry_button;
};

enum {
  PROP_0,
  PROP_STEP,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* A name the device asks for that the root may not sign (a loopback or
 * public address, say) is left out rather than getting the whole request
 * refused; the form says which. */
static void
add_device_name (VouchOnboardDialog *self,
                 const char         *name,
                 GPtrArray          *left_out)
{
  if (vouch_name_constraints_permits (constraints (self), name))
    g_ptr_array_add (self->names, g_strdup (name));
  else
    {
      g_ptr_array_add (self->removed, g_strdup (name));
      g_ptr_array_add (left_out, (gpointer)name);
    }
}

static void
add_name_cb (VouchOnboardDialog *self)
{
  if (vouch_field_add_name (GTK_WIDGET (self->add_name_row), self->names))
    rebuild_names (self);
}

/* Without the Vouch API, no setup code: the key's fingerprint instead. */
static gboolean
by_fingerprint (VouchOnboardDialog *self)
{
  return !g_str_equal (vouch_device_get_driver (self->device), "vouch");
}

static gboolean
is_verified (VouchOnboardDialog *self)
{
  return vouch_device_get_verification (self->device) != VOUCH_VERIFICATION_NONE &&
         vouch_device_get_pin (self->device) != NULL;
}

static void
set_page (VouchOnboardDialog *self,
          const char         *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static void
set_message (VouchOnboardDialog *self,
             const char         *text)
{
  if (vouch_set_str (&self->message, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
show_verify_result (VouchOnboardDialog *self,
                    const char         *text)
{
  gtk_label_set_label (self->verify_result, text);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_result), text != NULL);
  set_message (self, text);
}

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    vouch_key_store_free_secret (g_steal_pointer (secret));
}

/* The form shows what this device still needs: the setup code until it is
 * verified, the admin secret until the device has one it accepts. */
static void
update_form (VouchOnboardDialog *self)
{
  gboolean verified = is_verified (self);
  gboolean refused = vouch_device_get_secret_refused (self->device);

  gtk_widget_set_visible (GTK_WIDGET (self->code_row), !verified && !by_fingerprint (self));
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_check), !verified && by_fingerprint (self));
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), (!verified || refused) && by_fingerprint (self));
  gtk_widget_set_visible (GTK_WIDGET (self->intro_label), !verified && !by_fingerprint (self));
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), !verified || refused);
  gtk_widget_set_visible (GTK_WIDGET (self->verified_label), verified);
  gtk_label_set_label (self->verified_label,
                       _("✓ Verified earlier: Vouch will only talk to the key it verified."));
  if (verified && refused)
    show_verify_result (self, _("The device refused the admin secret Vouch has for it; enter "
                                "the current one."));
}

static void
show_form_error (VouchOnboardDialog *self,
                 GtkWidget          *field,
                 const char         *text)
{
  show_verify_result (self, text);
  set_page (self, "form");
  gtk_widget_add_css_class (field, "error");
  gtk_widget_grab_focus (field);
}

/* Typing again into a field that was wrong takes its red away. */
static void
field_changed_cb (VouchOnboardDialog *self,
                  GtkEditable        *field)
{
  gtk_widget_remove_css_class (GTK_WIDGET (field), "error");
}

static void
show_progress (VouchOnboardDialog *self,
               const char         *title,
               const char         *text)
{
  adw_status_page_set_title (self->progress_page, title);
  adw_status_page_set_description (self->progress_page, text);
  gtk_spinner_set_spinning (self->progress_spinner, TRUE);
  set_page (self, "progress");
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

/* One suggested button: trusting the root while this computer lacks it,
 * else closing. */
static void
show_trust_offer (VouchOnboardDialog *self,
                  gboolean            offer)
{
  GtkWidget *main_button = offer ? GTK_WIDGET (self->trust_button)
                                 : GTK_WIDGET (self->close_button);

  gtk_widget_set_visible (GTK_WIDGET (self->trust_button), offer);
  if (offer)
    gtk_widget_remove_css_class (GTK_WIDGET (self->close_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->close_button), "suggested-action");
  gtk_widget_grab_focus (main_button);
}

static void trust_refreshed_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data);

static void
show_done (VouchOnboardDialog *self)
{
  VouchRootCa *root = vouch_authority_get_root (vouch_application_get_authority (self->application));

  set_message (self, _("This device now serves a certificate trusted by your root."));
  set_page (self, "done");
  show_trust_offer (self, FALSE);
  vouch_ui_toast (GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (self))),
                  _("The device now serves a trusted certificate"));

  /* The device is trusted only where its root is: offer this computer's
   * stores right here, if any of them lacks it. */
  if (self->trust_stores == NULL)
    self->trust_stores = vouch_home_trust_stores_new (NULL, vouch_root_ca_get_certificate (root));
  vouch_home_trust_stores_apply_async (self->trust_stores, VOUCH_TRUST_CHANGE_NONE, NULL,
                                       self->cancellable, trust_refreshed_cb, g_object_ref (self));
}

static void
show_failed (VouchOnboardDialog *self,
             const GError       *error)
{
  gboolean refused = g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED);

  set_message (self, error->message);
  adw_status_page_set_title (self->failed_page, refused ? _("Wrong Admin Secret")
                                                        : _("Onboarding Failed"));
  adw_status_page_set_description (self->failed_page, error->message);
  /* A refused secret is fixed right here, without starting over. */
  gtk_widget_set_visible (GTK_WIDGET (self->retry_secret_group), refused);
  if (refused)
    gtk_widget_add_css_class (GTK_WIDGET (self->retry_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->retry_button), "suggested-action");
  set_page (self, "failed");
  gtk_widget_grab_focus (refused ? GTK_WIDGET (self->retry_secret_row)
                                 : GTK_WIDGET (self->retry_button));
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
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_page (self, "form");
  else if (cert == NULL)
    show_failed (self, error);
  else
    show_done (self);
}

static void
sign (VouchOnboardDialog *self)
{
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;
  GSettings *settings = vouch_application_get_settings (self->application);
  g_autofree char *key_type = g_settings_get_string (settings, "default-key-type");

  g_ptr_array_add (self->names, NULL);
  g_ptr_array_add (self->removed, NULL);
  options.add_names = (const char * const *)self->names->pdata;
  options.remove_names = (const char * const *)self->removed->pdata;
  options.days = g_settings_get_uint (settings, "default-validity-days");
  options.key_type = key_type;

  show_progress (self, _("Signing and Installing"), NULL);
  step_changed_cb (self);
  vouch_onboarding_onboard_async (vouch_application_get_onboarding (self->application),
                                  self->device, &options, self->cancellable, onboarded_cb,
                                  g_object_ref (self));

  /* The options were copied; drop the terminators again. */
  g_ptr_array_set_size (self->names, self->names->len - 1);
  g_ptr_array_set_size (self->removed, self->removed->len - 1);
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VouchOnboardDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vouch_onboarding_set_admin_secret_finish (VOUCH_ONBOARDING (object), result, &error))
    sign (self);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_page (self, "form");
  else
    show_failed (self, error);
}

/* Verified: keep the secret the person typed (if any), then sign. */
static void
store_secret_and_sign (VouchOnboardDialog *self)
{
  if (self->secret == NULL)
    {
      sign (self);
      return;
    }

  /* The keyring may first ask to be unlocked. */
  show_progress (self, _("Signing and Installing"), _("Keeping the admin secret in your keyring…"));
  vouch_onboarding_set_admin_secret_async (vouch_application_get_onboarding (self->application),
                                           self->device, self->secret, self->cancellable,
                                           secret_stored_cb, g_object_ref (self));
  clear_secret (&self->secret);
}

/* Takes what the person typed: copies, because the fields are cleared
 * (and their text freed) while the work goes on. */
static void
take_secret (VouchOnboardDialog *self,
             AdwEntryRow        *row)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (row));

  clear_secret (&self->secret);
  if (*typed != '\0')
    self->secret = g_strdup (typed);
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VouchOnboardDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vouch_onboarding_verify_finish (VOUCH_ONBOARDING (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_page (self, "form");
      else
        show_form_error (self, GTK_WIDGET (self->code_row), error->message);
      return;
    }

  if (gtk_widget_get_visible (GTK_WIDGET (self->user_row)))
    vouch_device_set_user (self->device, gtk_editable_get_text (GTK_EDITABLE (self->user_row)));
  take_secret (self, ADW_ENTRY_ROW (self->secret_row));
  update_form (self);
  show_verify_result (self, NULL);
  store_secret_and_sign (self);
}

static void
sign_clicked_cb (VouchOnboardDialog *self)
{
  g_autofree char *code = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));

  /* Enter in a field of a page no longer shown does nothing. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "form") != 0)
    return;

  if (is_verified (self) && vouch_device_get_secret_refused (self->device) &&
      *gtk_editable_get_text (GTK_EDITABLE (self->secret_row)) == '\0')
    {
      show_form_error (self, GTK_WIDGET (self->secret_row),
                       _("The device refused the admin secret Vouch has for it; enter the "
                         "current one."));
      return;
    }

  show_verify_result (self, NULL);
  if (is_verified (self))
    {
      take_secret (self, ADW_ENTRY_ROW (self->secret_row));
      store_secret_and_sign (self);
      return;
    }

  if (by_fingerprint (self))
    {
      if (!vouch_fingerprint_check_get_matches (self->fingerprint_check))
        {
          show_form_error (self, GTK_WIDGET (self->fingerprint_check),
                           _("Compare the fingerprint with the one the device shows, and tick the "
                             "box only if they are the same."));
          return;
        }
      show_progress (self, _("Verifying"), _("Checking that the device still presents that key…"));
      vouch_onboarding_verify_fingerprint_async (vouch_application_get_onboarding (self->application),
                                                 self->device,
                                                 vouch_fingerprint_check_get_fingerprint (self->fingerprint_check),
                                                 self->cancellable, verified_cb, g_object_ref (self));
      return;
    }

  /* The secret stays in its field until the code is right, so a wrong
   * code does not mean typing it again. */
  show_progress (self, _("Verifying"),
                 _("Comparing the setup code with the key the device presents…"));
  vouch_onboarding_verify_async (vouch_application_get_onboarding (self->application),
                                 self->device, code, self->cancellable, verified_cb,
                                 g_object_ref (self));
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
  if (!gtk_widget_get_visible (GTK_WIDGET (self->retry_secret_group)))
    {
      update_form (self);
      set_page (self, "form");
      return;
    }

  if (*gtk_editable_get_text (GTK_EDITABLE (self->retry_secret_row)) == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->retry_secret_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->retry_secret_row));
      return;
    }

  take_secret (self, ADW_ENTRY_ROW (self->retry_secret_row));
  if (is_verified (self))
    store_secret_and_sign (self);
  else
    {
      update_form (self);
      set_page (self, "form");
    }
}

/* Offered only when a store on this computer that is present lacks the
 * root; stores that are absent are skipped by the install too. */
static gboolean
root_missing_here (VouchHomeTrustStores *stores)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (stores));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchTrustStore) store = g_list_model_get_item (G_LIST_MODEL (stores), i);

      if (vouch_trust_store_get_status (store) == VOUCH_TRUST_STATUS_NOT_INSTALLED)
        return TRUE;
    }
  return FALSE;
}

static void
trust_refreshed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(VouchOnboardDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A store that could not be read still counts: its row says why. */
  vouch_home_trust_stores_apply_finish (VOUCH_HOME_TRUST_STORES (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_trust_offer (self, root_missing_here (VOUCH_HOME_TRUST_STORES (object)));
}

static void
trust_installed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(VouchOnboardDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->trust_button), TRUE);
  if (!vouch_home_trust_stores_apply_finish (VOUCH_HOME_TRUST_STORES (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_label (self->trust_result, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->trust_result), TRUE);
      set_message (self, error->message);
      return;
    }

  show_trust_offer (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->trust_result), FALSE);
  adw_status_page_set_description (self->done_page,
                                   _("This device now serves a certificate trusted by your root, "
                                     "and this computer trusts the root."));
  set_message (self, _("This computer trusts the root."));
}

static void
trust_clicked_cb (VouchOnboardDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->trust_button), FALSE);
  vouch_home_trust_stores_apply_async (self->trust_stores, VOUCH_TRUST_CHANGE_INSTALL, NULL,
                                       self->cancellable, trust_installed_cb, g_object_ref (self));
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
  clear_secret (&self->secret);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->trust_stores);
  g_clear_object (&self->device);
  g_clear_object (&self->application);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->removed, g_ptr_array_unref);
  g_clear_pointer (&self->name_rows, g_ptr_array_unref);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (vouch_onboard_dialog_parent_class)->dispose (object);
}

static void
vouch_onboard_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VouchOnboardDialog *self = VOUCH_ONBOARD_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_string (value, vouch_onboard_dialog_get_step_name (self));
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_onboard_dialog_class_init (VouchOnboardDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_onboard_dialog_dispose;
  object_class->get_property = vouch_onboard_dialog_get_property;

  /**
   * VouchOnboardDialog:step:
   *
   * The page shown: “form”, “progress”, “done” or “failed”.
   */
  properties[PROP_STEP] =
    g_param_spec_string ("step", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * VouchOnboardDialog:message:
   *
   * The last result or error shown to the person.
   */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VOUCH_TYPE_FINGERPRINT_CHECK);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-onboard-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, code_row);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, fingerprint_check);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, verify_result);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, verified_label);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, names_group);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, add_name_row);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, left_out_row);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, sign_button);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, trust_result);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, trust_button);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, failed_page);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, retry_secret_group);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, retry_secret_row);
  gtk_widget_class_bind_template_child (widget_class, VouchOnboardDialog, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_name_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, trust_clicked_cb);

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
  g_autoptr(GPtrArray) left_out = g_ptr_array_new ();
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
    add_device_name (self, vouch_device_get_host (device), left_out);
  addresses = vouch_device_get_addresses (device);
  for (guint i = 0; addresses[i] != NULL; i++)
    add_device_name (self, addresses[i], left_out);
  if (left_out->len > 0)
    {
      g_autofree char *note = NULL;

      g_ptr_array_add (left_out, NULL);
      note = g_strjoinv (", ", (char **)left_out->pdata);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->left_out_row), note);
      gtk_widget_set_visible (GTK_WIDGET (self->left_out_row), TRUE);
    }
  settings = vouch_application_get_settings (application);
  extra = g_settings_get_strv (settings, "default-extra-names");
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (self->names, g_strdup (extra[i]));
  rebuild_names (self);

  /* A device found without the Vouch API is spoken to through the driver
   * discovery suggests for it. */
  if (vouch_device_get_kind (device) != VOUCH_DEVICE_KIND_VOUCH && !by_fingerprint (self))
    vouch_device_set_driver (device, vouch_device_get_suggested_driver (device));
  if (by_fingerprint (self))
    {
      vouch_fingerprint_check_set_device (self->fingerprint_check, device);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row), _("Password"));
      if (vouch_device_get_user (device) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->user_row), vouch_device_get_user (device));
    }

  update_form (self);
  if (!is_verified (self) && vouch_device_get_attention (device) != NULL)
    show_verify_result (self, vouch_device_get_attention (device));

  return self;
}

/**
 * vouch_onboard_dialog_get_step_name:
 *
 * Returns: the page shown: “form”, “progress”, “done” or “failed”
 */
const char *
vouch_onboard_dialog_get_step_name (VouchOnboardDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_ONBOARD_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * _vouch_onboard_dialog_get_message:
 *
 * Returns: (nullable): the last result or error shown to the user
 */
const char *
_vouch_onboard_dialog_get_message (VouchOnboardDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_ONBOARD_DIALOG (self), NULL);
  return self->message;
}
