/* vouch-acme-unlock-row.c
 *
 * `vouchctl acme serve` runs without a window, as a user service: when
 * the keyring that holds the root's key is locked, it cannot sign, and a
 * finalized order stays "processing" while its client polls (RFC 8555
 * §7.4, Retry-After). The operator would see only clients that never get
 * their certificate. This row, on the ACME page, says so when orders wait
 * and the root's keyring item is locked, and its Unlock button asks the
 * keyring to unlock: the keyring shows its own password prompt, which
 * Vouch never sees. A root on a security key has no keyring item; its PIN
 * is the token's business, so the row stays hidden for it.
 *
 * Both the check and the unlock talk to the keyring over D-Bus (and the
 * unlock waits for a person), so they run on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-acme-unlock-row.h"

#include "vouch-acme-approvals.h"
#include "vouch-root-ca.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

struct _VouchAcmeUnlockRow
{
  AdwActionRow    parent_instance;

  VouchAuthority *authority;
  GCancellable   *cancellable;
  GtkWidget      *unlock_button;
  GtkWidget      *spinner;
  guint           busy;
};

G_DEFINE_FINAL_TYPE (VouchAcmeUnlockRow, vouch_acme_unlock_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  VouchAuthority *authority;
  char           *root_sha256;
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->authority);
  g_free (work->root_sha256);
  g_free (work);
}

static void
set_busy (VouchAcmeUnlockRow *self,
          gboolean            busy)
{
  self->busy += busy ? 1 : -1;
  gtk_widget_set_sensitive (self->unlock_button, self->busy == 0);
  gtk_widget_set_visible (self->spinner, self->busy > 0);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy > 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Starts @thread on the root's keyring item, or returns FALSE when the
 * root's key is not in the keyring at all. */
static gboolean
run_on_root_key (VouchAcmeUnlockRow  *self,
                 GTaskThreadFunc      thread,
                 GAsyncReadyCallback  callback)
{
  VouchRootCa *root = self->authority != NULL ? vouch_authority_get_root (self->authority) : NULL;
  g_autoptr(GTask) task = NULL;
  Work *work;

  if (root == NULL || vouch_authority_get_token_key (self->authority) != NULL)
    return FALSE;

  work = g_new0 (Work, 1);
  work->authority = g_object_ref (self->authority);
  work->root_sha256 = g_strdup (vouch_root_ca_get_sha256 (root));
  task = g_task_new (self, self->cancellable, callback, NULL);
  g_task_set_task_data (task, work, (GDestroyNotify)work_free);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, thread);
  return TRUE;
}

/* Returns the number of waiting orders when the key is locked, else 0. */
static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Work *work = task_data;
  VouchKeyStore *key_store = vouch_authority_get_key_store (work->authority);
  GError *error = NULL;
  gint64 waiting;

  waiting = vouch_acme_approvals_count_unsigned (vouch_authority_get_inventory (work->authority),
                                                 &error);
  if (waiting > 0
      && !vouch_key_store_root_key_is_locked (key_store, work->root_sha256, cancellable, &error))
    waiting = 0;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, waiting);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  VouchAcmeUnlockRow *self = VOUCH_ACME_UNLOCK_ROW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  gssize waiting = g_task_propagate_int (G_TASK (result), &error);

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A keyring that cannot be asked shows its own error where signing
   * happens; this row is only about a locked one. */
  if (error != NULL)
    g_debug ("Could not tell whether the keyring is locked: %s", error->message);
  gtk_widget_set_visible (GTK_WIDGET (self), waiting > 0);
  if (waiting <= 0)
    return;

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "An order is ready to be signed, but the keyring "
                                           "that holds the root’s key is locked. Its client "
                                           "keeps asking until you unlock it.",
                                           "%d orders are ready to be signed, but the keyring "
                                           "that holds the root’s key is locked. Their clients "
                                           "keep asking until you unlock it.",
                                           waiting),
                              (int)waiting);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
}

/**
 * vouch_acme_unlock_row_check:
 *
 * Looks again whether orders wait for a locked keyring, and shows or
 * hides the row.
 */
void
vouch_acme_unlock_row_check (VouchAcmeUnlockRow *self)
{
  g_return_if_fail (VOUCH_IS_ACME_UNLOCK_ROW (self));

  if (self->busy > 0)
    return;
  if (!run_on_root_key (self, check_thread, checked_cb))
    gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
unlock_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;

  if (!vouch_key_store_unlock_root_key (vouch_authority_get_key_store (work->authority),
                                        work->root_sha256, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
unlocked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  VouchAcmeUnlockRow *self = VOUCH_ACME_UNLOCK_ROW (object);
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (self), error->message);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  vouch_ui_toast (GTK_WIDGET (self),
                  _("Keyring unlocked: waiting clients get their certificates when they next ask"));
}

static void
unlock_clicked_cb (VouchAcmeUnlockRow *self)
{
  run_on_root_key (self, unlock_thread, unlocked_cb);
}

void
vouch_acme_unlock_row_set_authority (VouchAcmeUnlockRow *self,
                                     VouchAuthority     *authority)
{
  g_return_if_fail (VOUCH_IS_ACME_UNLOCK_ROW (self));
  g_return_if_fail (authority == NULL || VOUCH_IS_AUTHORITY (authority));

  g_set_object (&self->authority, authority);
  vouch_acme_unlock_row_check (self);
}

gboolean
vouch_acme_unlock_row_get_busy (VouchAcmeUnlockRow *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_UNLOCK_ROW (self), FALSE);
  return self->busy > 0;
}

static void
vouch_acme_unlock_row_dispose (GObject *object)
{
  VouchAcmeUnlockRow *self = (VouchAcmeUnlockRow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->authority);

  G_OBJECT_CLASS (vouch_acme_unlock_row_parent_class)->dispose (object);
}

static void
vouch_acme_unlock_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  VouchAcmeUnlockRow *self = VOUCH_ACME_UNLOCK_ROW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, vouch_acme_unlock_row_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_unlock_row_class_init (VouchAcmeUnlockRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_acme_unlock_row_dispose;
  object_class->get_property = vouch_acme_unlock_row_get_property;

  /**
   * VouchAcmeUnlockRow:busy:
   *
   * Whether a check or an unlock is under way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_acme_unlock_row_init (VouchAcmeUnlockRow *self)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 _("Orders Wait for the Keyring"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);

  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), icon);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->spinner);

  self->unlock_button = gtk_button_new_with_mnemonic (_("_Unlock…"));
  gtk_widget_set_valign (self->unlock_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->unlock_button, "suggested-action");
  gtk_widget_set_tooltip_text (self->unlock_button,
                               _("Unlock the keyring so the server can sign"));
  g_signal_connect_swapped (self->unlock_button, "clicked", G_CALLBACK (unlock_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->unlock_button);
}
