/* vouch-welcome-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-welcome-page.h"

#include "vouch-error.h"
#include "vouch-field-validator.h"
#include "vouch-passphrase-dialog.h"
#include "vouch-root-actions.h"
#include "vouch-ui-util.h"
#include "vouch-util.h"

#include <glib/gi18n.h>

struct _VouchWelcomePage
{
  AdwBin            parent_instance;

  VouchApplication *application;
  GPtrArray        *permits;
  GPtrArray        *permit_rows;
  GCancellable     *cancellable;
  GPtrArray        *tokens;

  AdwEntryRow      *name_row;
  AdwComboRow      *key_type_row;
  AdwComboRow      *place_row;
  AdwExpanderRow   *names_row;
  AdwEntryRow      *add_name_row;
  GtkSwitch        *unconstrained_switch;
  GtkSpinner       *spinner;
};

enum {
  ROOT_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VouchWelcomePage, vouch_welcome_page, ADW_TYPE_BIN)

static const VouchKeyType key_types[] = {
  VOUCH_KEY_TYPE_ECDSA_P256,
  VOUCH_KEY_TYPE_ECDSA_P384,
  VOUCH_KEY_TYPE_RSA_3072,
  VOUCH_KEY_TYPE_RSA_4096,
};

static void
set_busy (VouchWelcomePage *self,
          gboolean          busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.create", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.import-pem", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.import-pkcs12", !busy);
}

static void
remove_permit_cb (GtkButton        *button,
                  VouchWelcomePage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "vouch-row");
  guint index;

  if (g_ptr_array_find (self->permit_rows, row, &index))
    {
      g_ptr_array_remove_index (self->permits, index);
      g_ptr_array_remove_index (self->permit_rows, index);
      adw_expander_row_remove (self->names_row, row);
    }
}

static void
append_permit (VouchWelcomePage *self,
               const char       *text)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *label = g_strdup_printf (_("Remove %s"), text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data (G_OBJECT (button), "vouch-row", row);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_permit_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_expander_row_add_row (self->names_row, row);

  g_ptr_array_add (self->permits, g_strdup (text));
  g_ptr_array_add (self->permit_rows, row);
}

/* Checked with the same parser that builds the root, so what is listed is
 * what will be signed into it. */
static gboolean
add_typed_name (VouchWelcomePage *self)
{
  g_autoptr(VouchNameConstraints) scratch = vouch_name_constraints_new ();
  g_auto(GStrv) normalized = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->add_name_row));

  if (*text == '\0' ||
      !vouch_field_validator_validate (vouch_field_validator_get (GTK_WIDGET (self->add_name_row))))
    return FALSE;

  vouch_name_constraints_add (scratch, text, NULL);
  normalized = vouch_name_constraints_dup_permitted (scratch);
  append_permit (self, normalized[0]);
  gtk_editable_set_text (GTK_EDITABLE (self->add_name_row), "");
  adw_expander_row_set_expanded (self->names_row, TRUE);
  return TRUE;
}

static void
add_name_cb (VouchWelcomePage *self)
{
  add_typed_name (self);
}

static void
unconstrained_toggled_cb (VouchWelcomePage *self)
{
  gboolean any = gtk_switch_get_active (self->unconstrained_switch);

  gtk_widget_set_sensitive (GTK_WIDGET (self->names_row), !any);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_name_row), !any);
  if (any)
    vouch_field_validator_set_error (vouch_field_validator_get (GTK_WIDGET (self->add_name_row)),
                                     NULL);
}

static void
backup_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    VouchWelcomePage *self)
{
  if (g_strcmp0 (response, "backup") == 0 && self->application != NULL)
    vouch_root_actions_backup (GTK_WIDGET (self),
                               vouch_application_get_authority (self->application));
  g_object_unref (self);
}

static void
offer_backup (VouchWelcomePage *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Back Up the Root Now?"),
                                   _("If this computer or its keyring is lost, so is the root, and "
                                     "every device would need a new certificate. A backup is an "
                                     "encrypted file you keep somewhere safe."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Later"),
                                    "backup", _("_Back Up…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "backup",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "backup");
  g_signal_connect (dialog, "response", G_CALLBACK (backup_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
root_done (VouchWelcomePage *self,
           gboolean          ok,
           const GError     *error,
           const char       *heading,
           const char       *toast)
{
  set_busy (self, FALSE);

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vouch_ui_show_error (GTK_WIDGET (self), heading, error);
      return;
    }

  vouch_ui_toast (GTK_WIDGET (self), toast);
  /* A token's key is backed up by the token's own means, not by Vouch. */
  if (vouch_authority_get_token_key (vouch_application_get_authority (self->application)) == NULL)
    offer_backup (self);
  g_signal_emit (self, signals[ROOT_READY], 0);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VouchWelcomePage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = vouch_authority_create_root_finish (VOUCH_AUTHORITY (object), result, &error);

  root_done (self, ok, error, _("Could Not Create the Root"),
             _("Root created; its key is in your keyring"));
}

static void
created_on_token_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(VouchWelcomePage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = vouch_authority_create_root_on_token_finish (VOUCH_AUTHORITY (object), result,
                                                            &error);

  root_done (self, ok, error, _("Could Not Create the Root on the Security Key"),
             _("Root created; its key was made on the security key and never leaves it"));
}

/* Row 0 of “Where the Key Lives” is the keyring; the others are the
 * tokens in the order listed. */
static VouchTokenKey *
chosen_token (VouchWelcomePage *self)
{
  guint place = adw_combo_row_get_selected (self->place_row);

  if (self->tokens == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->place_row)) ||
      place == 0 || place > self->tokens->len)
    return NULL;
  return g_ptr_array_index (self->tokens, place - 1);
}

static void
create_now (VouchWelcomePage *self)
{
  VouchTokenKey *token = chosen_token (self);
  g_autoptr(VouchNameConstraints) constraints = vouch_name_constraints_new ();
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  guint selected = adw_combo_row_get_selected (self->key_type_row);
  VouchKeyType key_type = selected < G_N_ELEMENTS (key_types) ? key_types[selected]
                                                              : VOUCH_KEY_TYPE_DEFAULT;

  if (gtk_switch_get_active (self->unconstrained_switch))
    vouch_name_constraints_set_unconstrained (constraints, TRUE);
  else
    {
      for (guint i = 0; i < self->permits->len; i++)
        {
          if (!vouch_name_constraints_add (constraints, g_ptr_array_index (self->permits, i),
                                           &error))
            {
              vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Create the Root"), error);
              return;
            }
        }
    }

  set_busy (self, TRUE);
  /* The PIN is asked by the application's PIN prompt, from the worker. */
  if (token != NULL)
    {
      vouch_authority_create_root_on_token_async (vouch_application_get_authority (self->application),
                                                  name, key_type, constraints,
                                                  vouch_token_key_get_uri (token),
                                                  self->cancellable, created_on_token_cb,
                                                  g_object_ref (self));
      return;
    }
  vouch_authority_create_root_async (vouch_application_get_authority (self->application), name,
                                     key_type, constraints, self->cancellable, created_cb,
                                     g_object_ref (self));
}

static void
unconstrained_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           VouchWelcomePage *self)
{
  if (g_strcmp0 (response, "create") == 0)
    create_now (self);
  g_object_unref (self);
}

/**
 * vouch_welcome_page_create_root:
 *
 * Creates the root from the page's fields; an unconstrained root is
 * created only after a plain warning.
 */
void
vouch_welcome_page_create_root (VouchWelcomePage *self)
{
  GtkWidget *dialog;

  g_return_if_fail (VOUCH_IS_WELCOME_PAGE (self));
  g_return_if_fail (self->application != NULL);

  if (*gtk_editable_get_text (GTK_EDITABLE (self->name_row)) == '\0')
    {
      vouch_field_validator_set_error (vouch_field_validator_get (GTK_WIDGET (self->name_row)),
                                       _("Give the root a name; devices and browsers show it"));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }

  if (!gtk_switch_get_active (self->unconstrained_switch))
    {
      /* A name typed but not yet added is what the person meant. */
      if (*gtk_editable_get_text (GTK_EDITABLE (self->add_name_row)) != '\0' &&
          !add_typed_name (self))
        return;
      if (self->permits->len == 0)
        {
          vouch_field_validator_set_error (vouch_field_validator_get (GTK_WIDGET (self->add_name_row)),
                                           _("Add at least one allowed name or address"));
          gtk_widget_grab_focus (GTK_WIDGET (self->add_name_row));
          return;
        }
      create_now (self);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Create a Root for Any Name?"),
                                   _("This root could sign a certificate for any website, "
                                     "including your bank or your mail. If its key ever leaked, "
                                     "whoever holds it could impersonate those sites to every "
                                     "browser that trusts the root."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "create", _("Create _Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (unconstrained_response_cb),
                    g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  vouch_welcome_page_create_root (VOUCH_WELCOME_PAGE (widget));
}

typedef struct
{
  VouchWelcomePage *self;
  GBytes           *cert;
  GBytes           *key;
} ImportFlow;

static void
import_flow_free (ImportFlow *flow)
{
  g_clear_object (&flow->self);
  g_clear_pointer (&flow->cert, g_bytes_unref);
  /* The key file may be plaintext: wipe it. */
  g_clear_pointer (&flow->key, vouch_bytes_wipe_unref);
  g_free (flow);
}

#define IMPORT_FLOW_KEY "vouch-import-flow"

static void
import_finish (ImportFlow   *flow,
               gboolean      ok,
               const GError *error)
{
  root_done (flow->self, ok, error, _("Could Not Import the Root"),
             _("Root imported; its key is now in your keyring. The files you imported from "
               "were left as they were"));
}

static void
imported_in_dialog_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(VouchPassphraseDialog) dialog = user_data;
  ImportFlow *flow = g_object_get_data (G_OBJECT (dialog), IMPORT_FLOW_KEY);
  g_autoptr(GError) error = NULL;
  gboolean ok = vouch_authority_import_files_finish (VOUCH_AUTHORITY (object), result, &error);

  /* Whatever went wrong is said in the dialog, which stays for another
   * try; only success closes it. */
  vouch_passphrase_dialog_finish (dialog, error);
  if (ok)
    import_finish (flow, TRUE, NULL);
}

static void
import_submit_cb (VouchPassphraseDialog *dialog,
                  const char            *passphrase,
                  ImportFlow            *flow)
{
  vouch_authority_import_files_async (vouch_application_get_authority (flow->self->application),
                                      flow->cert, flow->key, passphrase,
                                      vouch_passphrase_dialog_get_cancellable (dialog),
                                      imported_in_dialog_cb, g_object_ref (dialog));
}

/* The flow belongs to the dialog from here on: cancelling it frees the
 * flow and what was read. */
static void
ask_import_passphrase (ImportFlow *flow,
                       const char *body)
{
  VouchPassphraseDialog *dialog = vouch_passphrase_dialog_new (GTK_WIDGET (flow->self),
                                                               _("Import the Root"), body, FALSE);

  set_busy (flow->self, FALSE);
  g_object_set_data_full (G_OBJECT (dialog), IMPORT_FLOW_KEY, flow,
                          (GDestroyNotify)import_flow_free);
  g_signal_connect (dialog, "submit", G_CALLBACK (import_submit_cb), flow);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ImportFlow *flow = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = vouch_authority_import_files_finish (VOUCH_AUTHORITY (object), result, &error);

  /* An encrypted key: ask, with the reason, and try again from there. */
  if (!ok && g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE))
    {
      ask_import_passphrase (flow, error->message);
      return;
    }

  import_finish (flow, ok, error);
  import_flow_free (flow);
}

/* A key file may not need a passphrase: try without first. */
static void
import_unprotected (ImportFlow *flow)
{
  set_busy (flow->self, TRUE);
  vouch_authority_import_files_async (vouch_application_get_authority (flow->self->application),
                                      flow->cert, flow->key, NULL,
                                      flow->self->cancellable, imported_cb, flow);
}

static void
key_loaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ImportFlow *flow = user_data;
  g_autoptr(GError) error = NULL;

  flow->key = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (flow->key == NULL)
    {
      vouch_ui_show_error (GTK_WIDGET (flow->self), _("Could Not Read the Key"), error);
      import_flow_free (flow);
      return;
    }
  import_unprotected (flow);
}

static void
key_chosen_cb (GFile    *file,
               gpointer  user_data)
{
  ImportFlow *flow = user_data;

  if (file == NULL)
    {
      import_flow_free (flow);
      return;
    }
  g_file_load_bytes_async (file, NULL, key_loaded_cb, flow);
}

static void
cert_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImportFlow *flow = user_data;
  g_autoptr(GError) error = NULL;
  const char * const patterns[] = { "*.pem", "*.key", NULL };

  flow->cert = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (flow->cert == NULL)
    {
      vouch_ui_show_error (GTK_WIDGET (flow->self), _("Could Not Read the File"), error);
      import_flow_free (flow);
      return;
    }

  if (g_object_get_data (G_OBJECT (object), "vouch-pkcs12") != NULL)
    {
      ask_import_passphrase (flow, _("Enter the passphrase that protects this PKCS#12 file."));
      return;
    }

  vouch_ui_choose_file (GTK_WIDGET (flow->self), _("Choose the Root's Private Key"), FALSE, NULL,
                        patterns, key_chosen_cb, flow);
}

static void
first_file_chosen_cb (GFile    *file,
                      gpointer  user_data)
{
  ImportFlow *flow = user_data;

  if (file == NULL)
    {
      import_flow_free (flow);
      return;
    }
  g_file_load_bytes_async (file, NULL, cert_loaded_cb, flow);
}

static void
pkcs12_chosen_cb (GFile    *file,
                  gpointer  user_data)
{
  if (file != NULL)
    g_object_set_data (G_OBJECT (file), "vouch-pkcs12", GINT_TO_POINTER (TRUE));
  first_file_chosen_cb (file, user_data);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VouchWelcomePage *self = VOUCH_WELCOME_PAGE (widget);
  ImportFlow *flow = g_new0 (ImportFlow, 1);
  const char * const pem_patterns[] = { "*.pem", "*.crt", NULL };
  const char * const p12_patterns[] = { "*.p12", "*.pfx", NULL };

  flow->self = g_object_ref (self);
  if (g_str_equal (action_name, "welcome.import-pkcs12"))
    vouch_ui_choose_file (widget, _("Choose a PKCS#12 File"), FALSE, NULL, p12_patterns,
                          pkcs12_chosen_cb, flow);
  else
    vouch_ui_choose_file (widget, _("Choose the Root Certificate"), FALSE, NULL, pem_patterns,
                          first_file_chosen_cb, flow);
}

static void
list_tokens_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) uris = vouch_token_key_list_tokens (NULL);

  /* No PKCS#11 support or no token: the keyring is the only place. */
  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    {
      VouchTokenKey *token = vouch_token_key_new_for_token (uris[i], NULL);

      if (token != NULL)
        g_ptr_array_add (tokens, token);
    }
  g_task_return_pointer (task, g_steal_pointer (&tokens), (GDestroyNotify)g_ptr_array_unref);
}

static void
tokens_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  VouchWelcomePage *self;
  g_autoptr(GPtrArray) tokens = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GtkStringList) places = NULL;

  if (tokens == NULL || g_task_had_error (G_TASK (result)))
    return;
  self = VOUCH_WELCOME_PAGE (object);
  if (tokens->len == 0)
    return;

  places = gtk_string_list_new (NULL);
  gtk_string_list_append (places, _("Keyring"));
  for (guint i = 0; i < tokens->len; i++)
    {
      VouchTokenKey *token = g_ptr_array_index (tokens, i);
      /* Translators: a security key: its label, then its model. */
      g_autofree char *text = g_strdup_printf (_("Security key “%s” (%s)"),
                                               vouch_token_key_get_label (token),
                                               vouch_token_key_get_model (token));

      gtk_string_list_append (places, text);
    }
  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  self->tokens = g_steal_pointer (&tokens);
  adw_combo_row_set_model (self->place_row, G_LIST_MODEL (places));
  adw_combo_row_set_selected (self->place_row, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->place_row), TRUE);
}

/* Asking the tokens is slow (each PKCS#11 module is loaded and asked):
 * done on a worker; the choice appears when they answer. */
static void
list_tokens (VouchWelcomePage *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, tokens_listed_cb, NULL);

  g_task_set_source_tag (task, list_tokens);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_tokens_thread);
}

static void
vouch_welcome_page_dispose (GObject *object)
{
  VouchWelcomePage *self = (VouchWelcomePage *)object;

  g_cancellable_cancel (self->cancellable);
  /* AdwBin unparents its child in its own dispose; detach it first so the
   * template's disposal does not leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_WELCOME_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->permits, g_ptr_array_unref);
  g_clear_pointer (&self->permit_rows, g_ptr_array_unref);
  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_welcome_page_parent_class)->dispose (object);
}

static void
vouch_welcome_page_class_init (VouchWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_welcome_page_dispose;

  /**
   * VouchWelcomePage::root-ready:
   *
   * A root now exists: created or imported.
   */
  signals[ROOT_READY] = g_signal_new ("root-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchWelcomePage, name_row);
  gtk_widget_class_bind_template_child (widget_class, VouchWelcomePage, key_type_row);
  gtk_widget_class_bind_template_child (widget_class, VouchWelcomePage, place_row);
  gtk_widget_class_bind_template_child (widget_class, VouchWelcomePage, names_row);
  gtk_widget_class_bind_template_child (widget_class, VouchWelcomePage, add_name_row);
  gtk_widget_class_bind_template_child (widget_class, VouchWelcomePage, unconstrained_switch);
  gtk_widget_class_bind_template_child (widget_class, VouchWelcomePage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, add_name_cb);
  gtk_widget_class_bind_template_callback (widget_class, unconstrained_toggled_cb);

  gtk_widget_class_install_action (widget_class, "welcome.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "welcome.import-pem", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "welcome.import-pkcs12", NULL, import_action);
}

static void
vouch_welcome_page_init (VouchWelcomePage *self)
{
  g_autofree char *name = vouch_authority_default_root_name ();
  const char * const *defaults = vouch_name_constraints_get_local_defaults ();

  gtk_widget_init_template (GTK_WIDGET (self));
  vouch_field_validator_attach (GTK_WIDGET (self->add_name_row), vouch_field_check_permitted, NULL);
  /* Any text names a root; the field only says when it is left empty. */
  vouch_field_validator_attach (GTK_WIDGET (self->name_row), vouch_field_check_any, NULL);

  self->cancellable = g_cancellable_new ();
  self->permits = g_ptr_array_new_with_free_func (g_free);
  self->permit_rows = g_ptr_array_new ();

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  for (guint i = 0; defaults[i] != NULL; i++)
    append_permit (self, defaults[i]);
  list_tokens (self);
}

void
vouch_welcome_page_set_application (VouchWelcomePage *self,
                                    VouchApplication *application)
{
  g_return_if_fail (VOUCH_IS_WELCOME_PAGE (self));

  g_set_weak_pointer (&self->application, application);
}
