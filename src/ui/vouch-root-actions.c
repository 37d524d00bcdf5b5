/* vouch-root-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-root-actions.h"

#include "vouch-passphrase-dialog.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

/* Each flow keeps what it needs in one struct that lives until its last
 * callback; the widget is weakly held so closing the window mid-flow is
 * harmless. */
typedef struct
{
  GtkWidget      *parent;
  VouchAuthority *authority;
  char           *passphrase;
  GBytes         *bytes;
  GCallback       done;
  gpointer        user_data;
  GDestroyNotify  user_data_free;
} Flow;

static Flow *
flow_new (GtkWidget      *parent,
          VouchAuthority *authority)
{
  Flow *flow = g_new0 (Flow, 1);

  g_set_weak_pointer (&flow->parent, parent);
  flow->authority = g_object_ref (authority);
  return flow;
}

static void
flow_free (Flow *flow)
{
  g_clear_weak_pointer (&flow->parent);
  g_clear_object (&flow->authority);
  if (flow->passphrase != NULL)
    {
      memset (flow->passphrase, 0, strlen (flow->passphrase));
      g_clear_pointer (&flow->passphrase, g_free);
    }
  g_clear_pointer (&flow->bytes, g_bytes_unref);
  if (flow->user_data_free != NULL)
    flow->user_data_free (flow->user_data);
  g_free (flow);
}

#define FLOW_KEY "vouch-flow"

/* A flow that asks for a passphrase belongs to its dialog from then on:
 * cancelling frees it, and work started from the dialog holds the dialog
 * (and so the flow) until it ends. */
static void
ask_passphrase (Flow       *flow,
                const char *heading,
                const char *body,
                gboolean    confirm,
                GCallback   submit)
{
  VouchPassphraseDialog *dialog = vouch_passphrase_dialog_new (flow->parent, heading, body,
                                                               confirm);

  g_object_set_data_full (G_OBJECT (dialog), FLOW_KEY, flow, (GDestroyNotify)flow_free);
  g_signal_connect (dialog, "submit", submit, flow);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
report (Flow         *flow,
        const char   *heading,
        const GError *error)
{
  if (flow->parent == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  vouch_ui_show_error (flow->parent, heading, error);
}

static void
backup_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Flow *flow = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    report (flow, _("Could Not Save the Backup"), error);
  else if (flow->parent != NULL)
    {
      g_autofree char *name = g_file_get_basename (G_FILE (object));
      g_autofree char *text = g_strdup_printf (_("Backup saved as “%s”"), name);

      vouch_ui_toast (flow->parent, text);
    }
  flow_free (flow);
}

static void
backup_file_cb (GFile    *file,
                gpointer  user_data)
{
  Flow *flow = user_data;

  if (file == NULL)
    {
      flow_free (flow);
      return;
    }

  g_file_replace_contents_bytes_async (file, flow->bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       NULL, backup_saved_cb, flow);
}

static void
backup_made_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VouchPassphraseDialog) dialog = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char * const patterns[] = { "*.p12", "*.pfx", NULL };
  Flow *flow;

  bytes = vouch_authority_backup_finish (VOUCH_AUTHORITY (object), result, &error);
  if (bytes == NULL)
    {
      vouch_passphrase_dialog_finish (dialog, error);
      return;
    }

  /* The rest of the flow, choosing where to save, is the flow's own. */
  flow = g_object_steal_data (G_OBJECT (dialog), FLOW_KEY);
  flow->bytes = g_steal_pointer (&bytes);
  vouch_passphrase_dialog_finish (dialog, NULL);
  if (flow->parent == NULL)
    {
      flow_free (flow);
      return;
    }
  vouch_ui_choose_file (flow->parent, _("Save the Backup"), TRUE, "vouch-root-backup.p12",
                        patterns, backup_file_cb, flow);
}

static void
backup_submit_cb (VouchPassphraseDialog *dialog,
                  const char            *passphrase,
                  Flow                  *flow)
{
  vouch_authority_backup_async (flow->authority, passphrase,
                                vouch_passphrase_dialog_get_cancellable (dialog), backup_made_cb,
                                g_object_ref (dialog));
}

/**
 * vouch_root_actions_backup:
 *
 * Asks for a passphrase, writes an encrypted PKCS#12 backup, and asks
 * where to save it.
 */
void
vouch_root_actions_backup (GtkWidget      *parent,
                           VouchAuthority *authority)
{
  ask_passphrase (flow_new (parent, authority), _("Back Up the Root"),
                  _("The backup holds the root's private key, encrypted with this "
                    "passphrase. Keep both somewhere safe and apart."),
                  TRUE, G_CALLBACK (backup_submit_cb));
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VouchPassphraseDialog) dialog = user_data;
  Flow *flow = g_object_get_data (G_OBJECT (dialog), FLOW_KEY);
  g_autoptr(GError) error = NULL;
  gboolean ok = vouch_authority_restore_finish (VOUCH_AUTHORITY (object), result, &error);

  vouch_passphrase_dialog_finish (dialog, error);
  if (!ok)
    return;
  if (flow->parent != NULL)
    vouch_ui_toast (flow->parent, _("Root restored; its key is in your keyring"));
  if (flow->done != NULL)
    ((void (*) (gpointer))flow->done) (flow->user_data);
}

static void
restore_submit_cb (VouchPassphraseDialog *dialog,
                   const char            *passphrase,
                   Flow                  *flow)
{
  vouch_authority_restore_async (flow->authority, flow->bytes, passphrase,
                                 vouch_passphrase_dialog_get_cancellable (dialog), restored_cb,
                                 g_object_ref (dialog));
}

static void
restore_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Flow *flow = user_data;
  g_autoptr(GError) error = NULL;

  flow->bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (flow->bytes == NULL || flow->parent == NULL)
    {
      if (error != NULL)
        report (flow, _("Could Not Read the Backup"), error);
      flow_free (flow);
      return;
    }

  ask_passphrase (flow, _("Restore the Root"),
                  _("Enter the passphrase the backup was made with."), FALSE,
                  G_CALLBACK (restore_submit_cb));
}

static void
restore_file_cb (GFile    *file,
                 gpointer  user_data)
{
  Flow *flow = user_data;

  if (file == NULL)
    {
      flow_free (flow);
      return;
    }

  g_file_load_bytes_async (file, NULL, restore_loaded_cb, flow);
}

/**
 * vouch_root_actions_restore:
 * @done: (nullable): a `void (*)(gpointer user_data)` called after a
 *   successful restore
 * @user_data_free: (nullable): frees @user_data when the flow ends, however
 *   it ends (cancelled, failed or done)
 */
void
vouch_root_actions_restore (GtkWidget      *parent,
                            VouchAuthority *authority,
                            GCallback       done,
                            gpointer        user_data,
                            GDestroyNotify  user_data_free)
{
  Flow *flow = flow_new (parent, authority);
  const char * const patterns[] = { "*.p12", "*.pfx", NULL };

  flow->done = done;
  flow->user_data = user_data;
  flow->user_data_free = user_data_free;
  vouch_ui_choose_file (parent, _("Choose a Backup"), FALSE, NULL, patterns, restore_file_cb, flow);
}

static void
export_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Flow *flow = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    report (flow, _("Could Not Export the Root"), error);
  else if (flow->parent != NULL)
    vouch_ui_toast (flow->parent, _("Root certificate exported"));
  flow_free (flow);
}

static void
export_file_cb (GFile    *file,
                gpointer  user_data)
{
  Flow *flow = user_data;

  if (file == NULL)
    {
      flow_free (flow);
      return;
    }

  g_file_replace_contents_bytes_async (file, flow->bytes, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                       export_saved_cb, flow);
}

/**
 * vouch_root_actions_export:
 * @der: DER (.cer, for Windows) instead of PEM (.crt)
 */
void
vouch_root_actions_export (GtkWidget      *parent,
                           VouchAuthority *authority,
                           gboolean        der)
{
  Flow *flow = flow_new (parent, authority);
  g_autoptr(GError) error = NULL;
  const char * const pem_patterns[] = { "*.crt", "*.pem", NULL };
  const char * const der_patterns[] = { "*.cer", "*.der", NULL };

  flow->bytes = vouch_authority_export_root (authority, der, &error);
  if (flow->bytes == NULL)
    {
      report (flow, _("Could Not Export the Root"), error);
      flow_free (flow);
      return;
    }

  vouch_ui_choose_file (parent, _("Export the Root Certificate"), TRUE,
                        der ? "vouch-root.cer" : "vouch-root.crt",
                        der ? der_patterns : pem_patterns, export_file_cb, flow);
}
