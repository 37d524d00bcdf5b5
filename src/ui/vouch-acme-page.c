/* vouch-acme-page.c
 *
 * The ACME page: whether `vouchctl acme serve` runs (the app does not run
 * it; vouch-acme.service does, switched in Preferences) and its directory
 * URL, the orders that wait for the operator (Approve, Refuse), the
 * External Account Binding keys (made here and shown once, revoked here)
 * and a line to copy for each common client. What a client sent (names,
 * its address) is shown only through vouch_text_sanitize(). The lists are
 * short (a handful of waiting orders and keys), so they are list boxes;
 * key work touches the keyring and runs on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-acme-page.h"

#include "vouch-acme-approvals.h"
#include "vouch-acme-config.h"
#include "vouch-acme-eab.h"
#include "vouch-acme-unlock-row.h"
#include "vouch-text.h"
#include "vouch-ui-util.h"
#include "vouch-util.h"

#include <glib/gi18n.h>

/* The example name in each client's line. */
#define EXAMPLE_NAME "nas.lan"

static const struct
{
  const char *client;
  const char *format;   /* @URL@ stands for the directory URL */
} clients[] = {
  { "certbot", "certbot certonly --standalone --server @URL@ -d " EXAMPLE_NAME },
  { "lego", "lego --server @URL@ --email admin@" EXAMPLE_NAME " --domains " EXAMPLE_NAME
            " --http run" },
  { "acme.sh", "acme.sh --issue --standalone --server @URL@ -d " EXAMPLE_NAME },
  { "Caddy", "{ acme_ca @URL@ }" },
  { "Traefik", "--certificatesresolvers.vouch.acme.caserver=@URL@" },
  { "OPNsense", "Services › ACME Client › Accounts › ACME CA: Custom, URL @URL@" },
  { "Proxmox VE", "pvenode acme account register vouch admin@" EXAMPLE_NAME
                  " --directory @URL@" },
};

struct _VouchAcmePage
{
  AdwBin             parent_instance;

  AdwActionRow      *status_row;
  VouchAcmeUnlockRow *unlock_row;
  GtkWidget         *copy_url_button;
  GtkWidget         *refresh_button;
  GtkListBox        *pending_list;
  AdwEntryRow       *eab_names_row;
  GtkListBox        *eab_list;
  AdwPreferencesGroup *clients_group;

  VouchApplication  *application;
  GPtrArray         *client_rows;
  GCancellable      *cancellable;
  char              *directory_url;
  guint              busy;
  guint              generation;   /* of the latest refresh */
};

enum {
  PROP_0,
  PROP_BUSY,
  PROP_DIRECTORY_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchAcmePage, vouch_acme_page, ADW_TYPE_BIN)

static VouchInventory *
inventory (VouchAcmePage *self)
{
  VouchAuthority *authority = self->application != NULL
                              ? vouch_application_get_authority (self->application) : NULL;

  return authority != NULL ? vouch_authority_get_inventory (authority) : NULL;
}

static void
set_busy (VouchAcmePage *self,
          gboolean       busy)
{
  gboolean was_busy = self->busy > 0;

  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  if (was_busy != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static char *
sanitized_names (const char * const *names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = vouch_text_sanitize (names[i], -1, VOUCH_TEXT_MAX_NAME);

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
make_button (const char *label,
             const char *style,
             const char *accessible)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  return button;
}

static void
add_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

typedef struct
{
  gint64   id;
  gboolean approve;
} Decision;

static void
decide_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Decision *decision = task_data;
  GError *error = NULL;

  if (!vouch_acme_approvals_decide (source_object, decision->id, decision->approve, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
decided_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VouchAcmePage) self = user_data;
  Decision *decision = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Cancelled: the page is gone. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Decide"), error);
    }
  else
    vouch_ui_toast (GTK_WIDGET (self), decision->approve
                    ? _("Approved: the client gets its certificate when it asks next")
                    : _("Refused"));
  vouch_acme_page_refresh (self);
}

/* The decision is an inventory transaction: on a worker thread, so a
 * busy inventory (the ACME server signing) never stalls the window. */
static void
decide_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  VouchAcmePage *self = VOUCH_ACME_PAGE (user_data);
  VouchInventory *store = inventory (self);
  g_autoptr(GTask) task = NULL;
  Decision *decision;

  if (store == NULL)
    return;
  decision = g_new0 (Decision, 1);
  decision->id = *(gint64 *)g_object_get_data (G_OBJECT (button), "request-id");
  decision->approve = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "approve"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  set_busy (self, TRUE);
  task = g_task_new (store, self->cancellable, decided_cb, g_object_ref (self));
  g_task_set_task_data (task, decision, g_free);
  g_task_run_in_thread (task, decide_thread);
}

static void
add_pending_row (VouchAcmePage            *self,
                 VouchAcmeApprovalRequest *request)
{
  g_autofree char *names = sanitized_names (vouch_acme_approval_request_get_names (request));
  g_autofree char *address = vouch_text_sanitize (
    vouch_acme_approval_request_get_client_address (request), -1, VOUCH_TEXT_MAX_NAME);
  g_autofree char *thumbprint = vouch_text_sanitize (
    vouch_acme_approval_request_get_thumbprint (request), -1, VOUCH_TEXT_MAX_NAME);
  g_autofree char *when = vouch_ui_format_date_time (
    vouch_acme_approval_request_get_requested_at (request));
  g_autofree char *subtitle = NULL;
  g_autofree char *approve_label = NULL;
  g_autofree char *refuse_label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *approve;
  GtkWidget *refuse;
  gint64 *id = g_new (gint64, 1);

  *id = vouch_acme_approval_request_get_id (request);
  /* Translators: under the names an ACME order asks for: the client's
   * address, when it asked, and its account key's thumbprint. */
  subtitle = g_strdup_printf (_("From %s, %s\nAccount key %s"), address, when, thumbprint);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  /* Translators: accessible names; %s is the names an order asks for. */
  approve_label = g_strdup_printf (_("Approve %s"), names);
  refuse_label = g_strdup_printf (_("Refuse %s"), names);
  approve = make_button (_("_Approve"), "suggested-action", approve_label);
  refuse = make_button (_("_Refuse"), "destructive-action", refuse_label);
  g_object_set_data_full (G_OBJECT (approve), "request-id", id, g_free);
  g_object_set_data (G_OBJECT (approve), "approve", GINT_TO_POINTER (TRUE));
  g_object_set_data_full (G_OBJECT (refuse), "request-id", g_memdup2 (id, sizeof *id), g_free);
  g_signal_connect (approve, "clicked", G_CALLBACK (decide_clicked_cb), self);
  g_signal_connect (refuse, "clicked", G_CALLBACK (decide_clicked_cb), self);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), approve);
  gtk_box_append (GTK_BOX (box), refuse);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  gtk_list_box_append (self->pending_list, row);
}

static void eab_revoke_clicked_cb (GtkButton *button,
                                   gpointer   user_data);

static void
add_eab_row (VouchAcmePage   *self,
             VouchAcmeEabKey *key)
{
  g_autofree char *names = g_strjoinv (", ", (char **)vouch_acme_eab_key_get_names (key));
  g_autofree char *created = vouch_ui_format_date (vouch_acme_eab_key_get_created_at (key));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  gboolean revoked = vouch_acme_eab_key_get_revoked_at (key) != 0;

  /* Translators: an account key's names, and the day it was made. */
  subtitle = revoked ? g_strdup_printf (_("%s · made %s · revoked"), names, created)
                     : g_strdup_printf (_("%s · made %s"), names, created);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), vouch_acme_eab_key_get_id (key));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (revoked)
    gtk_widget_add_css_class (row, "dim-label");
  else
    {
      g_autofree char *accessible = g_strdup_printf (_("Revoke key %s"),
                                                     vouch_acme_eab_key_get_id (key));
      GtkWidget *revoke = make_button (_("Re_voke"), "flat", accessible);

      g_object_set_data_full (G_OBJECT (revoke), "key-id",
                              g_strdup (vouch_acme_eab_key_get_id (key)), g_free);
      g_signal_connect (revoke, "clicked", G_CALLBACK (eab_revoke_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), revoke);
    }
  gtk_list_box_append (self->eab_list, row);
}

static void
update_clients (VouchAcmePage *self)
{
  const char *url = self->directory_url != NULL ? self->directory_url : _("DIRECTORY-URL");

  for (guint i = 0; i < self->client_rows->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (clients[i].format, "@URL@", -1);
      g_autofree char *line = g_strjoinv (url, parts);

      adw_action_row_set_subtitle (g_ptr_array_index (self->client_rows, i), line);
    }
}

static void
update_status (VouchAcmePage *self)
{
  VouchAuthority *authority = self->application != NULL
                              ? vouch_application_get_authority (self->application) : NULL;
  g_autofree char *url = NULL;

  if (authority != NULL)
    url = vouch_acme_config_read_running (vouch_authority_get_data_dir (authority));
  if (vouch_set_str (&self->directory_url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTORY_URL]);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row),
                                 url != NULL ? _("Running") : _("Not Running"));
  adw_action_row_set_subtitle (self->status_row,
                               url != NULL ? url
                                           : _("Switch the ACME server on in Preferences"));
  gtk_widget_set_visible (self->copy_url_button, url != NULL);
  update_clients (self);
}

/* What a refresh reads from the inventory, on a worker thread. */
typedef struct
{
  GListModel *pending;
  GError     *pending_error;
  GListModel *keys;
  GError     *keys_error;
  guint       generation;
} Listing;

static void
listing_free (Listing *listing)
{
  g_clear_object (&listing->pending);
  g_clear_error (&listing->pending_error);
  g_clear_object (&listing->keys);
  g_clear_error (&listing->keys_error);
  g_free (listing);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Listing *listing = task_data;

  listing->pending = vouch_acme_approvals_list (source_object, TRUE, &listing->pending_error);
  listing->keys = vouch_acme_approvals_list_eab_keys (source_object, &listing->keys_error);
  g_task_return_boolean (task, TRUE);
}

static void
show_listing (VouchAcmePage *self,
              Listing       *listing)
{
  GListModel *pending = listing->pending;
  GListModel *keys = listing->keys;

  clear_list (self->pending_list);
  clear_list (self->eab_list);

  if (pending == NULL)
    add_placeholder (self->pending_list, listing->pending_error->message);
  else if (g_list_model_get_n_items (pending) == 0)
    add_placeholder (self->pending_list, _("No order waits"));
  for (guint i = 0; pending != NULL && i < g_list_model_get_n_items (pending); i++)
    {
      g_autoptr(VouchAcmeApprovalRequest) request = g_list_model_get_item (pending, i);

      add_pending_row (self, request);
    }

  if (keys == NULL)
    add_placeholder (self->eab_list, listing->keys_error->message);
  else if (g_list_model_get_n_items (keys) == 0)
    add_placeholder (self->eab_list, _("No account key yet"));
  for (guint i = 0; keys != NULL && i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(VouchAcmeEabKey) key = g_list_model_get_item (keys, i);

      add_eab_row (self, key);
    }
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VouchAcmePage) self = user_data;
  Listing *listing = g_task_get_task_data (G_TASK (result));

  set_busy (self, FALSE);
  /* A cancelled page is gone; an older refresh's rows are stale. */
  if (!g_task_propagate_boolean (G_TASK (result), NULL) ||
      listing->generation != self->generation)
    return;
  show_listing (self, listing);
}

/**
 * vouch_acme_page_refresh:
 *
 * Reads the server's state, the waiting orders and the keys again; the
 * inventory is read on a worker thread, and the page is busy until the
 * lists are shown.
 */
void
vouch_acme_page_refresh (VouchAcmePage *self)
{
  VouchInventory *store;
  g_autoptr(GTask) task = NULL;
  Listing *listing;

  g_return_if_fail (VOUCH_IS_ACME_PAGE (self));

  update_status (self);
  vouch_acme_unlock_row_check (self->unlock_row);
  store = inventory (self);
  if (store == NULL)
    {
      clear_list (self->pending_list);
      clear_list (self->eab_list);
      return;
    }

  listing = g_new0 (Listing, 1);
  listing->generation = ++self->generation;
  set_busy (self, TRUE);
  task = g_task_new (store, self->cancellable, listed_cb, g_object_ref (self));
  g_task_set_task_data (task, listing, (GDestroyNotify)listing_free);
  g_task_run_in_thread (task, list_thread);
}

static void
refresh_cb (VouchAcmePage *self)
{
  vouch_acme_page_refresh (self);
}

static void
copy_text (GtkWidget  *widget,
           const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  vouch_ui_toast (widget, _("Copied"));
}

static void
copy_url_cb (VouchAcmePage *self)
{
  if (self->directory_url != NULL)
    copy_text (GTK_WIDGET (self), self->directory_url);
}

static void
copy_client_cb (GtkButton *button,
                gpointer   user_data)
{
  AdwActionRow *row = user_data;

  copy_text (GTK_WIDGET (button), adw_action_row_get_subtitle (row));
}

typedef struct
{
  char  *key_id;
  char **patterns;
  char  *hmac_key;
} EabWork;

static void
eab_work_free (EabWork *work)
{
  g_free (work->key_id);
  g_strfreev (work->patterns);
  if (work->hmac_key != NULL)
    gnutls_memset (work->hmac_key, 0, strlen (work->hmac_key));
  g_free (work->hmac_key);
  g_free (work);
}

static void
eab_create_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  VouchInventory *store = source_object;
  EabWork *work = task_data;
  GError *error = NULL;

  if (!vouch_acme_eab_create (store, (const char * const *)work->patterns, cancellable,
                              &work->key_id, &work->hmac_key, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
shown_once_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  if (g_strcmp0 (response, "copy") == 0)
    copy_text (GTK_WIDGET (user_data), g_object_get_data (G_OBJECT (dialog), "both"));
}

static void
eab_created_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VouchAcmePage) self = user_data;
  EabWork *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root;
  GtkWidget *dialog;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Make the Key"), error);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->eab_names_row), "");
  vouch_acme_page_refresh (self);

  /* Shown once: the HMAC key is in the keyring from now on, and nowhere
   * the app can show it again. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  /* Translators: shown once after making an account key. */
  body = g_strdup_printf (_("Key ID: %s\nHMAC key: %s\n\nGive both to one ACME client, for "
                            "example certbot --eab-kid and --eab-hmac-key. The HMAC key is not "
                            "shown again."), work->key_id, work->hmac_key);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Account Key Made"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Close"),
                                    "copy", _("_Copy Both"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "copy",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_object_set_data_full (G_OBJECT (dialog), "both",
                          g_strdup_printf ("--eab-kid %s --eab-hmac-key %s", work->key_id,
                                           work->hmac_key),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (shown_once_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
eab_create_cb (VouchAcmePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->eab_names_row));
  g_auto(GStrv) words = g_strsplit_set (text, ", \t", -1);
  g_autoptr(GStrvBuilder) patterns = g_strv_builder_new ();
  g_autoptr(GTask) task = NULL;
  VouchInventory *store = inventory (self);
  EabWork *work;

  /* The row keeps its focus and stays sensitive (GTK 4.8 warns when a
   * focused entry is made insensitive); a second Enter waits instead. */
  if (store == NULL || self->busy > 0)
    return;
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_strv_builder_add (patterns, words[i]);

  work = g_new0 (EabWork, 1);
  work->patterns = g_strv_builder_end (patterns);
  set_busy (self, TRUE);
  task = g_task_new (store, self->cancellable, eab_created_cb, g_object_ref (self));
  g_task_set_task_data (task, work, (GDestroyNotify)eab_work_free);
  g_task_run_in_thread (task, eab_create_thread);
}

static void
eab_revoke_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;

  if (!vouch_acme_eab_revoke (source_object, task_data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
eab_revoked_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VouchAcmePage) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Revoke the Key"), error);
    }
  else
    vouch_ui_toast (GTK_WIDGET (self), _("Key revoked; no client can order with it any more"));
  vouch_acme_page_refresh (self);
}

static void
eab_revoke_clicked_cb (GtkButton *button,
                       gpointer   user_data)
{
  VouchAcmePage *self = VOUCH_ACME_PAGE (user_data);
  g_autoptr(GTask) task = NULL;
  VouchInventory *store = inventory (self);

  if (store == NULL)
    return;
  set_busy (self, TRUE);
  task = g_task_new (store, self->cancellable, eab_revoked_cb, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (g_object_get_data (G_OBJECT (button), "key-id")), g_free);
  g_task_run_in_thread (task, eab_revoke_thread);
}

static void
vouch_acme_page_dispose (GObject *object)
{
  VouchAcmePage *self = (VouchAcmePage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_ACME_PAGE);
  g_clear_pointer (&self->client_rows, g_ptr_array_unref);
  g_clear_object (&self->application);
  g_clear_pointer (&self->directory_url, g_free);

  G_OBJECT_CLASS (vouch_acme_page_parent_class)->dispose (object);
}

static void
vouch_acme_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VouchAcmePage *self = VOUCH_ACME_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, vouch_acme_page_get_busy (self));
      break;

    case PROP_DIRECTORY_URL:
      g_value_set_string (value, self->directory_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_page_class_init (VouchAcmePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_acme_page_dispose;
  object_class->get_property = vouch_acme_page_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DIRECTORY_URL] =
    g_param_spec_string ("directory-url", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-acme-page.ui");
  g_type_ensure (VOUCH_TYPE_ACME_UNLOCK_ROW);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePage, status_row);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePage, unlock_row);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePage, copy_url_button);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePage, pending_list);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePage, eab_names_row);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePage, eab_list);
  gtk_widget_class_bind_template_child (widget_class, VouchAcmePage, clients_group);
  gtk_widget_class_bind_template_callback (widget_class, refresh_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_url_cb);
  gtk_widget_class_bind_template_callback (widget_class, eab_create_cb);
}

static void
vouch_acme_page_init (VouchAcmePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->client_rows = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *accessible = g_strdup_printf (_("Copy the line for %s"),
                                                     clients[i].client);
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), clients[i].client);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
          gtk_widget_add_css_class (row, "property");
      gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (copy, "flat");
      gtk_widget_set_tooltip_text (copy, accessible);
      gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      g_signal_connect (copy, "clicked", G_CALLBACK (copy_client_cb), row);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
      adw_preferences_group_add (self->clients_group, row);
      g_ptr_array_add (self->client_rows, row);
    }
  update_status (self);
  /* Orders arrive while the page is hidden: read them again when shown. */
  g_signal_connect (self, "map", G_CALLBACK (refresh_cb), NULL);
}

void
vouch_acme_page_set_application (VouchAcmePage    *self,
                                 VouchApplication *application)
{
  g_return_if_fail (VOUCH_IS_ACME_PAGE (self));

  g_set_object (&self->application, application);
  vouch_acme_unlock_row_set_authority (self->unlock_row, application != NULL
                                       ? vouch_application_get_authority (application) : NULL);
  vouch_acme_page_refresh (self);
}

gboolean
vouch_acme_page_get_busy (VouchAcmePage *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_PAGE (self), FALSE);
  return self->busy > 0;
}

const char *
vouch_acme_page_get_directory_url (VouchAcmePage *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_PAGE (self), NULL);
  return self->directory_url;
}
