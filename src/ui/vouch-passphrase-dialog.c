/* vouch-passphrase-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-passphrase-dialog.h"
#include "vouch-passphrase-dialog-private.h"

#include "vouch-error.h"
#include "vouch-field-validator.h"

#include <glib/gi18n.h>

/* A window of its own rather than a message dialog: a message dialog
 * closes on any response, so a mistyped passphrase used to close it and
 * open a second dialog that only said so. Here the dialog stays until the
 * work the passphrase unlocks has succeeded: the owner starts that work
 * from ::submit, off the main loop, and hands its result back with
 * vouch_passphrase_dialog_finish(). A wrong passphrase is then said under
 * its field, selected for retyping; anything else under the fields. */
struct _VouchPassphraseDialog
{
  AdwWindow            parent_instance;

  GCancellable        *cancellable;
  gboolean             busy;

  GtkLabel            *heading_label;
  GtkLabel            *body_label;
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *confirm_row;
  AdwActionRow        *option_row;
  GtkCheckButton      *option_check;
  GtkLabel            *error_label;
  GtkSpinner          *spinner;
};

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  SUBMIT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VouchPassphraseDialog, vouch_passphrase_dialog, ADW_TYPE_WINDOW)

static gboolean
asks_twice (VouchPassphraseDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->confirm_row));
}

/* The repeated passphrase is wrong only in comparison with the first. */
static gboolean
check_repeated (const char  *text,
                gpointer     user_data,
                GError     **error)
{
  VouchPassphraseDialog *self = user_data;

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row))) != 0)
    {
      g_set_error_literal (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                           _("The two passphrases differ: type the same passphrase in both "
                             "fields"));
      return FALSE;
    }
  return TRUE;
}

static void
update_actions (VouchPassphraseDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "passphrase.continue",
                                 !self->busy && *text != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.close", !self->busy);
}

static void
set_busy (VouchPassphraseDialog *self,
          gboolean               busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  /* What was typed stays as it was while it is being tried. The focus
   * leaves first: a text that loses it by turning insensitive keeps its
   * cursor blinking and GTK warns. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->passphrase_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_row), !busy);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_other_error (VouchPassphraseDialog *self,
                  const char            *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
passphrase_changed_cb (VouchPassphraseDialog *self)
{
  VouchFieldValidator *repeated = vouch_field_validator_get (GTK_WIDGET (self->confirm_row));

  /* Fixing the first passphrase can fix the pair. */
  if (repeated != NULL && vouch_field_validator_get_error (repeated) != NULL)
    vouch_field_validator_validate (repeated);
  show_other_error (self, NULL);
  update_actions (self);
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  VouchPassphraseDialog *self = VOUCH_PASSPHRASE_DIALOG (widget);
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  if (self->busy || *passphrase == '\0')
    return;

  if (asks_twice (self))
    {
      VouchFieldValidator *repeated = vouch_field_validator_get (GTK_WIDGET (self->confirm_row));

      if (*gtk_editable_get_text (GTK_EDITABLE (self->confirm_row)) == '\0')
        {
          vouch_field_validator_set_error (repeated, _("Type the passphrase a second time, to be "
                                                       "sure of it"));
          gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
          return;
        }
      if (!vouch_field_validator_validate (repeated))
        {
          gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
          return;
        }
    }

  show_other_error (self, NULL);
  set_busy (self, TRUE);
  g_signal_emit (self, signals[SUBMIT], 0, passphrase);
}

static void
passphrase_activated_cb (VouchPassphraseDialog *self)
{
  if (asks_twice (self) && *gtk_editable_get_text (GTK_EDITABLE (self->confirm_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "passphrase.continue", NULL);
}

static void
confirm_activated_cb (VouchPassphraseDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "passphrase.continue", NULL);
}

/* The work a passphrase unlocks is not left half done by closing. */
static gboolean
vouch_passphrase_dialog_close_request (GtkWindow *window)
{
  VouchPassphraseDialog *self = VOUCH_PASSPHRASE_DIALOG (window);

  if (self->busy)
    return TRUE;
  return GTK_WINDOW_CLASS (vouch_passphrase_dialog_parent_class)->close_request (window);
}

/* Opens ready for typing: the window would otherwise focus Cancel. */
static void
vouch_passphrase_dialog_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (vouch_passphrase_dialog_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (VOUCH_PASSPHRASE_DIALOG (widget)->passphrase_row));
}

static void
vouch_passphrase_dialog_dispose (GObject *object)
{
  VouchPassphraseDialog *self = VOUCH_PASSPHRASE_DIALOG (object);

  /* The text is gone with the dialog, and so is work still running for it
   * (its window was closed under it). */
  if (self->passphrase_row != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
    }
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_PASSPHRASE_DIALOG);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vouch_passphrase_dialog_parent_class)->dispose (object);
}

static void
vouch_passphrase_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  VouchPassphraseDialog *self = VOUCH_PASSPHRASE_DIALOG (object);

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
vouch_passphrase_dialog_class_init (VouchPassphraseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = vouch_passphrase_dialog_dispose;
  object_class->get_property = vouch_passphrase_dialog_get_property;
  widget_class->map = vouch_passphrase_dialog_map;
  window_class->close_request = vouch_passphrase_dialog_close_request;

  /**
   * VouchPassphraseDialog:busy:
   *
   * Whether the work started from ::submit is running; the fields and
   * buttons wait for it.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VouchPassphraseDialog::submit:
   * @passphrase: what was typed (and repeated the same, when asked twice)
   *
   * Start the work the passphrase is for, with the dialog's cancellable,
   * and call vouch_passphrase_dialog_finish() with its result.
   */
  signals[SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-passphrase-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchPassphraseDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, VouchPassphraseDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, VouchPassphraseDialog, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, VouchPassphraseDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, VouchPassphraseDialog, option_row);
  gtk_widget_class_bind_template_child (widget_class, VouchPassphraseDialog, option_check);
  gtk_widget_class_bind_template_child (widget_class, VouchPassphraseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VouchPassphraseDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_activated_cb);
  gtk_widget_class_install_action (widget_class, "passphrase.continue", NULL, continue_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vouch_passphrase_dialog_init (VouchPassphraseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* Any change to a passphrase the work refused takes its message away. */
  vouch_field_validator_attach (GTK_WIDGET (self->passphrase_row), vouch_field_check_any, NULL);
  vouch_field_validator_attach (GTK_WIDGET (self->confirm_row), check_repeated, self);
  update_actions (self);
}

/**
 * vouch_passphrase_dialog_new:
 * @parent: a widget in the window the dialog belongs to
 * @heading: what the dialog is for, such as “Restore the Root”; also its
 *   window title
 * @body: what the passphrase is for
 * @confirm: ask twice, for a new passphrase
 *
 * Returns: (transfer none): the dialog, not yet presented; it is owned by
 *   GTK's list of windows until it is closed
 */
VouchPassphraseDialog *
vouch_passphrase_dialog_new (GtkWidget  *parent,
                             const char *heading,
                             const char *body,
                             gboolean    confirm)
{
  VouchPassphraseDialog *self;
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (heading != NULL, NULL);

  self = g_object_new (VOUCH_TYPE_PASSPHRASE_DIALOG, "title", heading, NULL);
  root = gtk_widget_get_root (parent);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  gtk_label_set_text (self->heading_label, heading);
  gtk_label_set_text (self->body_label, body != NULL ? body : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), body != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_row), confirm);
  return self;
}

gboolean
_vouch_passphrase_dialog_get_busy (VouchPassphraseDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_PASSPHRASE_DIALOG (self), FALSE);
  return self->busy;
}

/**
 * vouch_passphrase_dialog_get_cancellable:
 *
 * Returns: (transfer none): cancelled when the dialog goes away, for the
 *   work started from ::submit
 */
GCancellable *
vouch_passphrase_dialog_get_cancellable (VouchPassphraseDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_PASSPHRASE_DIALOG (self), NULL);
  return self->cancellable;
}

/**
 * vouch_passphrase_dialog_finish:
 * @error: (nullable): why the work failed, or %NULL when it succeeded
 *
 * Ends the work started from ::submit: closes the dialog on success;
 * otherwise keeps it open with the message where it belongs and what was
 * typed still there.
 */
void
vouch_passphrase_dialog_finish (VouchPassphraseDialog *self,
                                const GError          *error)
{
  g_return_if_fail (VOUCH_IS_PASSPHRASE_DIALOG (self));

  /* Closed under the work, with its window: nothing is left to show. */
  if (self->passphrase_row == NULL)
    return;

  set_busy (self, FALSE);
  if (error == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE))
    {
      GtkWidget *field = GTK_WIDGET (self->passphrase_row);

      vouch_field_validator_set_error (vouch_field_validator_get (field), error->message);
      /* Ready to type again over what was refused. */
      gtk_widget_grab_focus (field);
      gtk_editable_select_region (GTK_EDITABLE (field), 0, -1);
    }
  else
    {
      show_other_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
    }
}

/**
 * vouch_passphrase_dialog_set_field_title:
 * @title: what the field asks for, such as “PIN”
 */
void
vouch_passphrase_dialog_set_field_title (VouchPassphraseDialog *self,
                                         const char            *title)
{
  g_return_if_fail (VOUCH_IS_PASSPHRASE_DIALOG (self));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->passphrase_row), title);
}

/**
 * vouch_passphrase_dialog_set_option:
 * @title: a choice to offer with the passphrase, unticked
 * @subtitle: what ticking it means, in plain words
 */
void
vouch_passphrase_dialog_set_option (VouchPassphraseDialog *self,
                                    const char            *title,
                                    const char            *subtitle)
{
  g_return_if_fail (VOUCH_IS_PASSPHRASE_DIALOG (self));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->option_row), title);
  adw_action_row_set_subtitle (self->option_row, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->option_row), TRUE);
}

gboolean
vouch_passphrase_dialog_get_option (VouchPassphraseDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_PASSPHRASE_DIALOG (self), FALSE);
  return gtk_check_button_get_active (self->option_check);
}
