/* vouch-authority-async.c: the authority's slow operations on worker
 * threads, so the GUI's main loop never waits for a key to be made, a
 * keyring to answer or PBKDF2 to finish
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-authority"

#include "vouch-config.h"

#include "vouch-authority.h"

#include "vouch-util.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  char                 *name;
  VouchKeyType          key_type;
  VouchNameConstraints *constraints;
  GBytes               *csr;
  VouchSignOptions      options;
  char                **add_names;
  char                **remove_names;
  char                 *device_id;
  char                 *challenge;
  char                 *key_sha256;
  char                 *audit_event;
  char                 *audit_detail;
  GBytes               *key;
  char                 *passphrase;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_clear_pointer (&data->name, g_free);
  g_clear_object (&data->constraints);
  g_clear_pointer (&data->csr, g_bytes_unref);
  g_clear_pointer (&data->add_names, g_strfreev);
  g_clear_pointer (&data->remove_names, g_strfreev);
  g_clear_pointer (&data->device_id, g_free);
  g_clear_pointer (&data->challenge, g_free);
  g_clear_pointer (&data->key_sha256, g_free);
  g_clear_pointer (&data->audit_event, g_free);
  g_clear_pointer (&data->audit_detail, g_free);
  g_clear_pointer (&data->key, vouch_bytes_wipe_unref);
  if (data->passphrase != NULL)
    {
      gnutls_memset (data->passphrase, 0, strlen (data->passphrase));
      g_clear_pointer (&data->passphrase, g_free);
    }
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TaskData, task_data_free)

static void
create_root_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (vouch_authority_create_root (source_object, data->name, data->key_type, data->constraints,
                                   cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vouch_authority_create_root_async:
 *
 * Creates the root on a worker thread: an RSA-4096 key takes seconds.
 */
void
vouch_authority_create_root_async (VouchAuthority       *self,
                                   const char           *name,
                                   VouchKeyType          key_type,
                                   VouchNameConstraints *constraints,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(TaskData) data = g_new0 (TaskData, 1);

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));
  g_return_if_fail (VOUCH_IS_NAME_CONSTRAINTS (constraints));

  data->name = g_strdup (name);
  data->key_type = key_type;
  data->constraints = g_object_ref (constraints);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_authority_create_root_async);
  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify)task_data_free);
  g_task_run_in_thread (task, create_root_thread);
}

gboolean
vouch_authority_create_root_finish (VouchAuthority  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sign_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  VouchCertificate *cert;
  gsize len = 0;
  const guint8 *csr = g_bytes_get_data (data->csr, &len);

  cert = vouch_authority_sign (source_object, csr, len, &data->options, cancellable, &error);
  if (cert == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cert, g_object_unref);
}

void
vouch_authority_sign_async (VouchAuthority         *self,
                            GBytes                 *csr,
                            const VouchSignOptions *options,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  static const VouchSignOptions defaults = VOUCH_SIGN_OPTIONS_INIT;
  g_autoptr(GTask) task = NULL;
  g_autoptr(TaskData) data = g_new0 (TaskData, 1);

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));
  g_return_if_fail (csr != NULL);

  if (options == NULL)
    options = &defaults;

  /* Own copies: the caller's strings may be gone when the thread runs. */
  data->csr = g_bytes_ref (csr);
  data->add_names = g_strdupv ((char **)options->add_names);
  data->remove_names = g_strdupv ((char **)options->remove_names);
  data->device_id = g_strdup (options->device_id);
  data->challenge = g_strdup (options->expected_challenge);
  data->key_sha256 = g_strdup (options->expected_key_sha256);
  data->audit_event = g_strdup (options->audit_event);
  data->audit_detail = g_strdup (options->audit_detail);
  data->options = *options;
  data->options.add_names = (const char * const *)data->add_names;
  data->options.remove_names = (const char * const *)data->remove_names;
  data->options.device_id = data->device_id;
  data->options.expected_challenge = data->challenge;
  data->options.expected_key_sha256 = data->key_sha256;
  data->options.audit_event = data->audit_event;
  data->options.audit_detail = data->audit_detail;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_authority_sign_async);
  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify)task_data_free);
  g_task_run_in_thread (task, sign_thread);
}

VouchCertificate *
vouch_authority_sign_finish (VouchAuthority  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  GBytes *backup;

  backup = vouch_authority_backup (source_object, data->passphrase, cancellable, &error);
  if (backup == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, backup, (GDestroyNotify)g_bytes_unref);
}

void
vouch_authority_backup_async (VouchAuthority      *self,
                              const char          *passphrase,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data = g_new0 (TaskData, 1);

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));
  g_return_if_fail (passphrase != NULL);

  data->passphrase = g_strdup (passphrase);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_authority_backup_async);
  g_task_set_task_data (task, data, (GDestroyNotify)task_data_free);
  g_task_run_in_thread (task, backup_thread);
}

GBytes *
vouch_authority_backup_finish (VouchAuthority  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (vouch_authority_restore (source_object, data->csr, data->passphrase, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The root object is replaced on a worker thread; its notify reaches the
 * main thread through the GTask's completion, so callers refresh then. */
void
vouch_authority_restore_async (VouchAuthority      *self,
                               GBytes              *pkcs12,
                               const char          *passphrase,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data = g_new0 (TaskData, 1);

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));
  g_return_if_fail (pkcs12 != NULL);

  data->csr = g_bytes_ref (pkcs12);
  data->passphrase = g_strdup (passphrase);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_authority_restore_async);
  g_task_set_task_data (task, data, (GDestroyNotify)task_data_free);
  g_task_run_in_thread (task, restore_thread);
}

gboolean
vouch_authority_restore_finish (VouchAuthority  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(VouchRootCa) root = NULL;
  GError *error = NULL;

  if (data->key != NULL)
    root = vouch_root_ca_import (data->csr, data->key, data->passphrase, &error);
  else
    root = vouch_root_ca_import_pkcs12 (data->csr, data->passphrase, &error);

  if (root == NULL ||
      !vouch_authority_import_root (source_object, root, "root-imported", cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * vouch_authority_import_files_async:
 * @cert_or_pkcs12: a root certificate (with @key), or a PKCS#12 file
 * @key: (nullable): the root's private key, or %NULL for PKCS#12
 * @passphrase: (nullable): for an encrypted key or PKCS#12 file
 */
void
vouch_authority_import_files_async (VouchAuthority      *self,
                                    GBytes              *cert_or_pkcs12,
                                    GBytes              *key,
                                    const char          *passphrase,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data = g_new0 (TaskData, 1);

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));
  g_return_if_fail (cert_or_pkcs12 != NULL);

  data->csr = g_bytes_ref (cert_or_pkcs12);
  data->key = key != NULL ? g_bytes_ref (key) : NULL;
  data->passphrase = g_strdup (passphrase);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_authority_import_files_async);
  g_task_set_task_data (task, data, (GDestroyNotify)task_data_free);
  g_task_run_in_thread (task, import_thread);
}

gboolean
vouch_authority_import_files_finish (VouchAuthority  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
