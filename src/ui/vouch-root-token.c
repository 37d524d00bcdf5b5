/* vouch-root-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-root-token.h"

#include "vouch-ui-util.h"

#include <glib/gi18n.h>

/* The move asks which token and that a backup exists, in one message
 * dialog; the tokens are listed off the main loop first (a smart card
 * reader can be slow to answer), and the token's PIN is asked by
 * VouchPinPrompt when the authority needs it. */
typedef struct
{
  GtkWidget      *parent;
  VouchAuthority *authority;
  GPtrArray      *tokens;
  AdwComboRow    *token_row;
  GtkCheckButton *backup_check;
  GCallback       done;
  gpointer        user_data;
  GDestroyNotify  user_data_free;
} Move;

static void
move_free (Move *move)
{
  g_clear_weak_pointer (&move->parent);
  g_clear_object (&move->authority);
  g_clear_pointer (&move->tokens, g_ptr_array_unref);
  if (move->user_data_free != NULL)
    move->user_data_free (move->user_data);
  g_free (move);
}

/**
 * vouch_root_token_describe_place:
 * @out_meaning: (out): what that means for backups
 *
 * Returns: (transfer full): where the root's key lives, for a person
 */
char *
vouch_root_token_describe_place (VouchAuthority  *authority,
                                 char           **out_meaning)
{
  VouchTokenKey *token = vouch_authority_get_token_key (authority);

  if (token == NULL)
    {
      *out_meaning = g_strdup (_("Back it up: if this keyring is lost, so is the root, and "
                                 "every device must be set up again. Anyone with your unlocked "
                                 "session can copy it."));
      return g_strdup (_("In your keyring"));
    }

  *out_meaning = g_strdup (_("It can never be copied off the key, so Vouch cannot back it up. "
                             "Keep a second key set up from the same backup, or use the "
                             "token's own backup. Signing needs the key plugged in and its "
                             "PIN."));
  /* Translators: the security key's label, model and maker. */
  return g_strdup_printf (_("On the security key “%s” (%s, %s)"),
                          vouch_token_key_get_label (token), vouch_token_key_get_model (token),
                          vouch_token_key_get_manufacturer (token));
}

static void
moved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Move *move = user_data;
  g_autoptr(GError) error = NULL;

  if (!vouch_authority_move_to_token_finish (VOUCH_AUTHORITY (object), result, &error))
    {
      if (move->parent != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vouch_ui_show_error (move->parent, _("Could Not Move the Key"), error);
    }
  else
    {
      VouchTokenKey *token = vouch_authority_get_token_key (move->authority);
      g_autofree char *text = g_strdup_printf (_("The root's key is now on “%s”"),
                                               vouch_token_key_get_label (token));

      if (move->parent != NULL)
        vouch_ui_toast (move->parent, text);
      if (move->done != NULL)
        ((void (*) (gpointer))move->done) (move->user_data);
    }
  move_free (move);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Move             *move)
{
  VouchTokenKey *token;
  guint selected;

  if (g_strcmp0 (response, "move") != 0)
    {
      move_free (move);
      return;
    }

  selected = adw_combo_row_get_selected (move->token_row);
  g_assert (selected < move->tokens->len);
  token = g_ptr_array_index (move->tokens, selected);
  vouch_authority_move_to_token_async (move->authority, vouch_token_key_get_uri (token),
                                       gtk_check_button_get_active (move->backup_check), NULL,
                                       moved_cb, move);
}

static void
update_response (Move *move)
{
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (move->backup_check),
                                               ADW_TYPE_MESSAGE_DIALOG);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move",
                                           move->tokens->len > 0 &&
                                           gtk_check_button_get_active (move->backup_check));
}

static GtkWidget *
build_choices (Move *move)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *backup_row = adw_action_row_new ();

  for (guint i = 0; i < move->tokens->len; i++)
    {
      VouchTokenKey *token = g_ptr_array_index (move->tokens, i);
      g_autofree char *name = g_strdup_printf ("%s (%s)", vouch_token_key_get_label (token),
                                               vouch_token_key_get_model (token));

      gtk_string_list_append (names, name);
    }

  move->token_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (move->token_row), _("Security Key"));
  adw_combo_row_set_model (move->token_row, G_LIST_MODEL (names));
  gtk_widget_set_sensitive (GTK_WIDGET (move->token_row), move->tokens->len > 0);
  if (move->tokens->len == 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (move->token_row),
                                 _("None found: plug one in and open this again"));

  move->backup_check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (move->backup_check), GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (backup_row),
                                 _("A backup of this root exists"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (backup_row),
                               _("Made with Back Up, and kept somewhere safe"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (backup_row), GTK_WIDGET (move->backup_check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (backup_row),
                                         GTK_WIDGET (move->backup_check));
  g_signal_connect_swapped (move->backup_check, "toggled", G_CALLBACK (update_response), move);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (move->token_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), backup_row);
  return group;
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Move *move = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkRoot *root;

  move->tokens = g_task_propagate_pointer (G_TASK (result), &error);
  if (move->tokens == NULL || move->parent == NULL)
    {
      if (move->parent != NULL)
        vouch_ui_show_error (move->parent, _("Could Not List the Security Keys"), error);
      move_free (move);
      return;
    }

  root = gtk_widget_get_root (move->parent);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Move the Root's Key to a Security Key?"),
                                   _("The key is copied onto the security key, which never lets "
                                     "it out again, and then removed from your keyring. The "
                                     "root certificate stays the same, so nothing has to be "
                                     "trusted again. From then on the key cannot be backed up "
                                     "and signing needs the security key plugged in."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), build_choices (move));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "move", _("_Move Key"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "move",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), move);
  update_response (move);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) uris = vouch_token_key_list_tokens (&error);

  if (uris == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; uris[i] != NULL; i++)
    {
      VouchTokenKey *token = vouch_token_key_new_for_token (uris[i], NULL);

      if (token != NULL)
        g_ptr_array_add (tokens, token);
    }
  g_task_return_pointer (task, g_steal_pointer (&tokens), (GDestroyNotify)g_ptr_array_unref);
}

/**
 * vouch_root_token_move:
 * @done: (nullable): called with @user_data once the key has moved
 *
 * Asks which security key, and whether a backup exists, then moves the
 * root's key there.
 */
void
vouch_root_token_move (GtkWidget      *parent,
                       VouchAuthority *authority,
                       GCallback       done,
                       gpointer        user_data,
                       GDestroyNotify  user_data_free)
{
  g_autoptr(GTask) task = NULL;
  Move *move;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (VOUCH_IS_AUTHORITY (authority));

  move = g_new0 (Move, 1);
  g_set_weak_pointer (&move->parent, parent);
  move->authority = g_object_ref (authority);
  move->done = done;
  move->user_data = user_data;
  move->user_data_free = user_data_free;

  task = g_task_new (NULL, NULL, listed_cb, move);
  g_task_set_source_tag (task, vouch_root_token_move);
  g_task_run_in_thread (task, list_thread);
}
