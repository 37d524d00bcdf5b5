/* vouch-root-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-root-actions.h"

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
  g_free (flow);
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
  Flow *flow = user_data;
  g_autoptr(GError) error = NULL;
  const char * const patterns[] = { "*.p12", "*.pfx", NULL };

  flow->bytes = vouch_authority_backup_finish (VOUCH_AUTHORITY (object), result, &error);
  if (flow->bytes == NULL || flow->parent == NULL)
    {
      if (error != NULL)
        report (flow, _("Could Not Back Up the Root"), error);
      flow_free (flow);
      return;
    }

  vouch_ui_choose_file (flow->parent, _("Save the Backup"), TRUE, "vouch-root-backup.p12",
                        patterns, backup_file_cb, flow);
}

static void
backup_passphrase_cb (const char *passphrase,
                      gpointer    user_data)
{
  Flow *flow = user_data;

  if (passphrase == NULL)
    {
      flow_free (flow);
      return;
    }

  vouch_authority_backup_async (flow->authority, passphrase, NULL, backup_made_cb, flow);
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
  vouch_ui_ask_passphrase (parent, _("Back Up the Root"),
                           _("The backup holds the root's private key, encrypted with this "
                             "passphrase. Keep both somewhere safe and apart."),
                           TRUE, backup_passphrase_cb, flow_new (parent, authority));
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Flow *flow = user_data;
  g_autoptr(GError) error = NULL;

  if (!vouch_authority_restore_finish (VOUCH_AUTHORITY (object), result, &error))
    report (flow, _("Could Not Restore the Root"), error);
  else
    {
      if (flow->parent != NULL)
        vouch_ui_toast (flow->parent, _("Root restored; its key is in your keyring"));
      if (flow->done != NULL)
        ((void (*) (gpointer))flow->done) (flow->user_data);
    }
  flow_free (flow);
}

static void
restore_passphrase_cb (const char *passphrase,
                       gpointer    user_data)
{
  Flow *flow = user_data;

  if (passphrase == NULL)
    {
      flow_free (flow);
      return;
    }

  vouch_authority_restore_async (flow->authority, flow->bytes, passphrase, NULL, restored_cb, flow);
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

  vouch_ui_ask_passphrase (flow->parent, _("Restore the Root"),
                           _("Enter the passphrase the backup was made with."), FALSE,
                           restore_passphrase_cb, flow);
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
 */
void
vouch_root_actions_restore (GtkWidget      *parent,
                            VouchAuthority *authority,
                            GCallback       done,
                            gpointer        user_data)
{
  Flow *flow = flow_new (parent, authority);
  const char * const patterns[] = { "*.p12", "*.pfx", NULL };

  flow->done = done;
  flow->user_data = user_data;
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
