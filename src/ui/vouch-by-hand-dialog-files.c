/* vouch-by-hand-dialog-files.c: the device's request from a file or a
 * drop, and, for a device that cannot make a key, the key and
 * certificate file. Split from vouch-by-hand-dialog.c, which leads
 * through the steps, signs and confirms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-by-hand-dialog-private.h"

#include "vouch-error.h"
#include "vouch-key-bundle.h"
#include "vouch-key-store.h"
#include "vouch-passphrase-dialog.h"
#include "vouch-signing-policy.h"
#include "vouch-ui-util.h"
#include "vouch-util.h"

#include <glib/gi18n.h>
#include <gnutls/gnutls.h>

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
      _vouch_by_hand_dialog_show_label (self->csr_error_label,
                                        _("This file is not a certificate signing request: "
                                           "choose the request the device’s page made"),
                                        "error");
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
        _vouch_by_hand_dialog_show_label (self->csr_error_label, error->message, "error");
      return;
    }
  if (g_bytes_get_size (bytes) > max)
    {
      _vouch_by_hand_dialog_show_label (self->csr_error_label,
                                        _("This file is too large for a certificate signing "
                                           "request: choose the request the device’s page "
                                           "made"),
                                        "error");
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

void
_vouch_by_hand_dialog_open_csr_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  const char * const patterns[] = { "*.csr", "*.req", "*.pem", "*.der", NULL };

  vouch_ui_choose_file (widget, _("Open the Device’s Request"), FALSE, NULL, patterns,
                        request_chosen_cb, g_object_ref (widget));
}

gboolean
_vouch_by_hand_dialog_drop_cb (GtkDropTarget     *target,
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

  _vouch_by_hand_dialog_set_busy (self, FALSE);
  g_task_propagate_boolean (G_TASK (result), &error);
  vouch_passphrase_dialog_finish (dialog, error);
  vouch_application_inventory_changed (self->application);
  if (error == NULL)
    _vouch_by_hand_dialog_show_label (self->saved_label,
                                      _("Key and certificate saved. Upload the file on the "
                                         "device’s page with its passphrase, delete the file, "
                                         "then Confirm."),
                                      "success");
}

static void
bundle_submit_cb (VouchPassphraseDialog *dialog,
                  const char            *passphrase,
                  VouchByHandDialog     *self)
{
  BundleJob *job;
  GTask *task;

  job = g_new0 (BundleJob, 1);
  job->authority = g_object_ref (vouch_application_get_authority (self->application));
  job->names = g_strdupv (self->names);
  job->device_id = g_strdup (vouch_device_get_id (self->device));
  job->passphrase = g_strdup (passphrase);
  job->path = g_strdup (g_object_get_data (G_OBJECT (dialog), "path"));
  _vouch_by_hand_dialog_set_busy (self, TRUE);
  _vouch_by_hand_dialog_show_label (self->saved_label, NULL, NULL);
  _vouch_by_hand_dialog_show_label (self->result_label, NULL, NULL);
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

void
_vouch_by_hand_dialog_make_bundle_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  VouchByHandDialog *self = VOUCH_BY_HAND_DIALOG (widget);

  if (self->busy)
    return;
  _vouch_by_hand_dialog_show_label (self->result_label, NULL, NULL);
  _vouch_by_hand_dialog_when_verified (self, choose_bundle_file);
}
