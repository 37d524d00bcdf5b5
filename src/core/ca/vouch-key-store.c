/* vouch-key-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-key-store"

#include "vouch-config.h"

#include "vouch-key-store.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
/* For secret_service_search_for_dbus_paths_sync(), stable in practice
 * since libsecret 0.18. */
#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>
#include <string.h>

/* The root key and the devices' admin secrets live only in the Secret
 * Service. There is deliberately no fallback to a file: if no keyring is
 * running, Vouch says so and stops. Secrets come back in non-pageable
 * memory and are wiped when freed with vouch_key_store_free_secret(). */
struct _VouchKeyStore
{
  GObject parent_instance;

  /* The keyring item the root's key was last read from, for the root
   * @root_item_sha256: reading that item's secret is one round trip to the
   * keyring, where a lookup searches first and is two. Only the item's
   * D-Bus path is kept, never the key, which is read for every signature. */
  GMutex  lock;
  char   *root_item_sha256;
  char   *root_item_path;
};

G_DEFINE_FINAL_TYPE (VouchKeyStore, vouch_key_store, G_TYPE_OBJECT)

static const SecretSchema root_key_schema = {
  "io.github.vouchpki.Vouch.RootKey", SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "root-sha256", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static const SecretSchema device_secret_schema = {
  "io.github.vouchpki.Vouch.DeviceSecret", SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "device-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* A token's PIN, only when the operator chose to keep it (see
 * vouch_authority_keep_token_pin()). */
static const SecretSchema token_pin_schema = {
  "io.github.vouchpki.Vouch.TokenPin", SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "token-serial", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void
vouch_key_store_finalize (GObject *object)
{
  VouchKeyStore *self = VOUCH_KEY_STORE (object);

  g_clear_pointer (&self->root_item_sha256, g_free);
  g_clear_pointer (&self->root_item_path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (vouch_key_store_parent_class)->finalize (object);
}

static void
vouch_key_store_class_init (VouchKeyStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vouch_key_store_finalize;
}

static void
vouch_key_store_init (VouchKeyStore *self)
{
  g_mutex_init (&self->lock);
}

/* Remembers @path as the item of @root_sha256; a NULL path, that no
 * single item could be remembered for it; NULL for both, nothing. */
static void
set_root_item (VouchKeyStore *self,
               const char    *root_sha256,
               const char    *path)
{
  g_mutex_lock (&self->lock);
  g_free (self->root_item_sha256);
  g_free (self->root_item_path);
  self->root_item_sha256 = g_strdup (root_sha256);
  self->root_item_path = g_strdup (path);
  g_mutex_unlock (&self->lock);
}

VouchKeyStore *
vouch_key_store_new (void)
{
  return g_object_new (VOUCH_TYPE_KEY_STORE, NULL);
}

/* libsecret reports a missing service as a D-Bus or I/O error (a bus
 * that never answers, as a busy or wedged session bus can, as a timeout)
 * and a dismissed unlock prompt as a cancellation; give each a plain
 * message. */
static void
translate_error (GError       **error,
                 GError        *secret_error,
                 GCancellable  *cancellable)
{
  if (secret_error == NULL)
    return;

  if (g_error_matches (secret_error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      (g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
       !g_cancellable_is_cancelled (cancellable)))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_LOCKED,
                   _("The keyring is locked. Unlock it (for example in Passwords and Keys) "
                     "and try again"));
    }
  else if (secret_error->domain == G_DBUS_ERROR ||
           g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
           g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_FAILED) ||
           g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR) ||
           g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
           g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
           g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
           g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
           g_error_matches (secret_error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_UNAVAILABLE,
                   _("No keyring (Secret Service) is available: %s. Vouch keeps the root's "
                     "key only in the keyring; start GNOME Keyring or another Secret Service "
                     "and try again"), secret_error->message);
    }
  else
    {
      g_propagate_error (error, g_error_copy (secret_error));
    }

  g_error_free (secret_error);
}

/* The D-Bus paths of the locked items that match, or %NULL when none is
 * locked (or the keyring cannot be asked). Object paths only: building
 * SecretItems would prompt nothing more and cost a round trip per item. */
static char **
find_locked (SecretService       *service,
             const SecretSchema  *schema,
             const char          *attribute,
             const char          *value,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (schema, attribute, value, NULL);
  g_auto(GStrv) unlocked = NULL;
  g_auto(GStrv) locked = NULL;

  if (!secret_service_search_for_dbus_paths_sync (service, schema, attributes, cancellable,
                                                  &unlocked, &locked, error))
    return NULL;
  if (locked == NULL || locked[0] == NULL)
    return NULL;
  return g_steal_pointer (&locked);
}

/* libsecret's lookup tries to unlock a locked item and, when no one can
 * (a dismissed prompt, or no prompter at all on a headless session),
 * answers "nothing found" without an error. Telling the operator the key
 * is missing would send them to restore a backup; look for the item among
 * locked ones too, so a locked keyring is reported as locked. */
static gboolean
is_locked (const SecretSchema  *schema,
           const char          *attribute,
           const char          *value,
           GCancellable        *cancellable,
           GError             **error)
{
  g_autoptr(SecretService) service = NULL;
  g_auto(GStrv) locked = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, NULL);
  if (service == NULL)
    return FALSE;
  locked = find_locked (service, schema, attribute, value, cancellable, NULL);
  if (locked == NULL)
    return FALSE;

  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_LOCKED,
               _("The keyring is locked. Unlock it (for example in Passwords and Keys) "
                 "and try again"));
  return TRUE;
}

/* The locked keyring items that hold the root's key, with the service
 * that reported them; %NULL when none is locked, or with @error set. */
static char **
find_locked_root_key (const char      *root_sha256,
                      SecretService  **service,
                      GCancellable    *cancellable,
                      GError         **error)
{
  GError *local_error = NULL;
  char **locked = NULL;

  *service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, &local_error);
  if (*service != NULL)
    locked = find_locked (*service, &root_key_schema, "root-sha256", root_sha256, cancellable,
                          &local_error);
  translate_error (error, local_error, cancellable);
  return locked;
}

/**
 * vouch_key_store_root_key_is_locked:
 *
 * Whether the keyring item that holds the root's key is locked, so that
 * signing (in `vouchctl acme serve`, say, which runs without a window)
 * waits until someone unlocks it. Never prompts.
 *
 * Returns: %TRUE when locked; %FALSE when unlocked or absent, or with
 *   @error set when the keyring cannot be asked
 */
gboolean
vouch_key_store_root_key_is_locked (VouchKeyStore  *self,
                                    const char     *root_sha256,
                                    GCancellable   *cancellable,
                                    GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  g_auto(GStrv) locked = NULL;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (root_sha256 != NULL, FALSE);

  locked = find_locked_root_key (root_sha256, &service, cancellable, error);
  return locked != NULL;
}

/**
 * vouch_key_store_unlock_root_key:
 *
 * Asks the keyring to unlock the item that holds the root's key: the
 * keyring shows its own prompt for the keyring's password, which Vouch
 * never sees. Blocks until the prompt is answered; call it from a thread.
 *
 * Returns: %TRUE when the key is unlocked (or was not locked); %FALSE
 *   with %VOUCH_ERROR_KEYRING_LOCKED when the prompt was dismissed
 */
gboolean
vouch_key_store_unlock_root_key (VouchKeyStore  *self,
                                 const char     *root_sha256,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  g_auto(GStrv) locked = NULL;
  g_auto(GStrv) unlocked = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (root_sha256 != NULL, FALSE);

  locked = find_locked_root_key (root_sha256, &service, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (locked == NULL)
    return TRUE;

  secret_service_unlock_dbus_paths_sync (service, (const char **)locked, cancellable, &unlocked,
                                         &local_error);
  if (local_error != NULL)
    {
      translate_error (error, local_error, cancellable);
      return FALSE;
    }
  if (unlocked == NULL || unlocked[0] == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_LOCKED,
                   _("The keyring stayed locked. Unlock it to let Vouch sign"));
      return FALSE;
    }
  return TRUE;
}

gboolean
vouch_key_store_store_root_key (VouchKeyStore  *self,
                                const char     *root_sha256,
                                const char     *root_name,
                                const char     *pkcs8_pem,
                                GCancellable   *cancellable,
                                GError        **error)
{
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (root_sha256 != NULL, FALSE);
  g_return_val_if_fail (pkcs8_pem != NULL, FALSE);

  /* Translators: the label of the keyring item; %s is the root's name. */
  label = g_strdup_printf (_("Vouch root key: %s"), root_name);
  set_root_item (self, NULL, NULL);
  if (!secret_password_store_sync (&root_key_schema, SECRET_COLLECTION_DEFAULT, label, pkcs8_pem,
                                   cancellable, &local_error,
                                   "root-sha256", root_sha256,
                                   NULL))
    {
      translate_error (error, local_error, cancellable);
      return FALSE;
    }

  return TRUE;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* secret_service_get_secret_for_dbus_path_sync(), but on a main context
 * the calling thread keeps: libsecret's own makes and drops one (an
 * eventfd) per call, and the key is read for every signature, on the same
 * few pool threads. The loop ends with the call, which D-Bus times out. */
static SecretValue *
get_secret_for_path (SecretService  *service,
                     const char     *path,
                     GCancellable   *cancellable,
                     GError        **error)
{
  static GPrivate thread_context = G_PRIVATE_INIT ((GDestroyNotify)g_main_context_unref);
  GMainContext *context = g_private_get (&thread_context);
  g_autoptr(GAsyncResult) result = NULL;
  SecretValue *value;

  if (context == NULL)
    {
      context = g_main_context_new ();
      g_private_set (&thread_context, context);
    }

  g_main_context_push_thread_default (context);
  secret_service_get_secret_for_dbus_path (service, path, cancellable, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  value = secret_service_get_secret_for_dbus_path_finish (service, result, error);
  g_main_context_pop_thread_default (context);
  return value;
}

/* The key, read from the item it was found in last time; NULL (having
 * forgotten the item) when there is none, or it is gone, locked or
 * changed: the full lookup then decides, and reports, as before. Only a
 * keyring that timed out is reported from here, so as not to wait twice. */
static char *
lookup_known_root_item (VouchKeyStore  *self,
                        const char     *root_sha256,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autofree char *path = NULL;
  GError *local_error = NULL;
  SecretValue *value = NULL;

  g_mutex_lock (&self->lock);
  if (g_strcmp0 (self->root_item_sha256, root_sha256) == 0)
    path = g_strdup (self->root_item_path);
  g_mutex_unlock (&self->lock);
  if (path == NULL)
    return NULL;

  /* No SECRET_SERVICE_OPEN_SESSION: reading the secret opens the session
   * when there is none, and asking for it here cost a main context and a
   * loop run of its own for every signature. */
  service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, &local_error);
  if (service != NULL)
    value = get_secret_for_path (service, path, cancellable, &local_error);
  if (value != NULL)
    return secret_value_unref_to_password (value, NULL);

  set_root_item (self, NULL, NULL);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
      g_cancellable_is_cancelled (cancellable))
    translate_error (error, local_error, cancellable);
  else
    g_clear_error (&local_error);
  return NULL;
}

/* After a full lookup found the key: which item holds it, when exactly
 * one unlocked item does (the one the lookup read). Searched once: when
 * several do, every lookup stays a full one, with no search added. */
static void
remember_root_item (VouchKeyStore *self,
                    const char    *root_sha256,
                    GCancellable  *cancellable)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (&root_key_schema, "root-sha256",
                                                              root_sha256, NULL);
  g_autoptr(SecretService) service = NULL;
  g_auto(GStrv) unlocked = NULL;
  gboolean searched;

  g_mutex_lock (&self->lock);
  searched = g_strcmp0 (self->root_item_sha256, root_sha256) == 0;
  g_mutex_unlock (&self->lock);
  if (searched)
    return;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, NULL);
  if (service != NULL &&
      secret_service_search_for_dbus_paths_sync (service, &root_key_schema, attributes,
                                                 cancellable, &unlocked, NULL, NULL))
    set_root_item (self, root_sha256,
                   unlocked != NULL && unlocked[0] != NULL && unlocked[1] == NULL ? unlocked[0]
                                                                                  : NULL);
}

/**
 * vouch_key_store_lookup_root_key:
 *
 * Returns: (transfer full): the key, to be freed with
 *   vouch_key_store_free_secret(); %NULL with %VOUCH_ERROR_KEY_MISSING when
 *   the keyring has no key for this root
 */
char *
vouch_key_store_lookup_root_key (VouchKeyStore  *self,
                                 const char     *root_sha256,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  GError *local_error = NULL;
  char *secret;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (root_sha256 != NULL, NULL);

  secret = lookup_known_root_item (self, root_sha256, cancellable, &local_error);
  if (secret != NULL || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return secret;
    }

  secret = secret_password_lookup_nonpageable_sync (&root_key_schema, cancellable, &local_error,
                                                    "root-sha256", root_sha256,
                                                    NULL);
  if (local_error != NULL)
    {
      translate_error (error, local_error, cancellable);
      return NULL;
    }

  if (secret == NULL && is_locked (&root_key_schema, "root-sha256", root_sha256, cancellable, error))
    return NULL;

  if (secret == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING,
                   _("The keyring holds no key for this root (SHA-256 %s). Restore it from "
                     "a backup with “vouchctl ca restore”"), root_sha256);
      return NULL;
    }

  remember_root_item (self, root_sha256, cancellable);
  return secret;
}

static void
lookup_root_key_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  char *secret;

  secret = vouch_key_store_lookup_root_key (source_object, task_data, cancellable, &error);
  if (secret == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, (GDestroyNotify)vouch_key_store_free_secret);
}

void
vouch_key_store_lookup_root_key_async (VouchKeyStore       *self,
                                       const char          *root_sha256,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VOUCH_IS_KEY_STORE (self));
  g_return_if_fail (root_sha256 != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_key_store_lookup_root_key_async);
  g_task_set_task_data (task, g_strdup (root_sha256), g_free);
  g_task_run_in_thread (task, lookup_root_key_thread);
}

char *
vouch_key_store_lookup_root_key_finish (VouchKeyStore  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
vouch_key_store_clear_root_key (VouchKeyStore  *self,
                                const char     *root_sha256,
                                GCancellable   *cancellable,
                                GError        **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), FALSE);

  set_root_item (self, NULL, NULL);
  secret_password_clear_sync (&root_key_schema, cancellable, &local_error,
                              "root-sha256", root_sha256,
                              NULL);
  if (local_error != NULL)
    {
      translate_error (error, local_error, cancellable);
      return FALSE;
    }

  return TRUE;
}

gboolean
vouch_key_store_store_device_secret (VouchKeyStore  *self,
                                     const char     *device_id,
                                     const char     *device_name,
                                     const char     *secret,
                                     GCancellable   *cancellable,
                                     GError        **error)
{
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  /* Translators: the label of the keyring item; %s is a device's name. */
  label = g_strdup_printf (_("Vouch device admin secret: %s"),
                           device_name != NULL ? device_name : device_id);
  if (!secret_password_store_sync (&device_secret_schema, SECRET_COLLECTION_DEFAULT, label, secret,
                                   cancellable, &local_error,
                                   "device-id", device_id,
                                   NULL))
    {
      translate_error (error, local_error, cancellable);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  char   *device_id;
  char   *device_name;
  GBytes *secret;
} DeviceSecret;

static void
device_secret_free (DeviceSecret *data)
{
  g_free (data->device_id);
  g_free (data->device_name);
  vouch_bytes_wipe_unref (data->secret);
  g_free (data);
}

static void
store_device_secret_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  DeviceSecret *data = task_data;
  GError *error = NULL;

  if (vouch_key_store_store_device_secret (source_object, data->device_id, data->device_name,
                                           g_bytes_get_data (data->secret, NULL), cancellable,
                                           &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * vouch_key_store_store_device_secret_async:
 *
 * Stores the secret off the calling thread: a Secret Service call is a
 * D-Bus round trip, and a locked keyring waits for its unlock prompt.
 */
void
vouch_key_store_store_device_secret_async (VouchKeyStore       *self,
                                           const char          *device_id,
                                           const char          *device_name,
                                           const char          *secret,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DeviceSecret *data;

  g_return_if_fail (VOUCH_IS_KEY_STORE (self));
  g_return_if_fail (device_id != NULL);
  g_return_if_fail (secret != NULL);

  data = g_new0 (DeviceSecret, 1);
  data->device_id = g_strdup (device_id);
  data->device_name = g_strdup (device_name);
  /* The copy the thread reads is wiped when the task is done. */
  data->secret = g_bytes_new (secret, strlen (secret) + 1);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_key_store_store_device_secret_async);
  g_task_set_task_data (task, data, (GDestroyNotify)device_secret_free);
  g_task_run_in_thread (task, store_device_secret_thread);
}

gboolean
vouch_key_store_store_device_secret_finish (VouchKeyStore  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vouch_key_store_lookup_device_secret:
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL without an
 *   error when none is stored
 */
char *
vouch_key_store_lookup_device_secret (VouchKeyStore  *self,
                                      const char     *device_id,
                                      GCancellable   *cancellable,
                                      GError        **error)
{
  GError *local_error = NULL;
  char *secret;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (device_id != NULL, NULL);

  secret = secret_password_lookup_nonpageable_sync (&device_secret_schema, cancellable,
                                                    &local_error,
                                                    "device-id", device_id,
                                                    NULL);
  if (local_error != NULL)
    translate_error (error, local_error, cancellable);
  else if (secret == NULL)
    is_locked (&device_secret_schema, "device-id", device_id, cancellable, error);

  return secret;
}

void
vouch_key_store_free_secret (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

gboolean
vouch_key_store_store_token_pin (VouchKeyStore  *self,
                                 const char     *token_serial,
                                 const char     *token_label,
                                 const char     *pin,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (token_serial != NULL && pin != NULL, FALSE);

  /* Translators: the keyring item's name; %s is the token's label. */
  label = g_strdup_printf (_("Vouch: PIN of the security key “%s”"), token_label);
  if (!secret_password_store_sync (&token_pin_schema, SECRET_COLLECTION_DEFAULT, label, pin,
                                   cancellable, &local_error,
                                   "token-serial", token_serial,
                                   NULL))
    {
      translate_error (error, local_error, cancellable);
      return FALSE;
    }

  return TRUE;
}

/**
 * vouch_key_store_lookup_token_pin:
 *
 * Returns: (transfer full) (nullable): the kept PIN, to be freed with
 *   vouch_key_store_free_secret(), or %NULL when none is kept
 */
char *
vouch_key_store_lookup_token_pin (VouchKeyStore  *self,
                                  const char     *token_serial,
                                  GCancellable   *cancellable,
                                  GError        **error)
{
  GError *local_error = NULL;
  char *secret;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (token_serial != NULL, NULL);

  secret = secret_password_lookup_nonpageable_sync (&token_pin_schema, cancellable,
                                                    &local_error,
                                                    "token-serial", token_serial,
                                                    NULL);
  if (local_error != NULL)
    translate_error (error, local_error, cancellable);
  return secret;
}

gboolean
vouch_key_store_clear_token_pin (VouchKeyStore  *self,
                                 const char     *token_serial,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (VOUCH_IS_KEY_STORE (self), FALSE);

  secret_password_clear_sync (&token_pin_schema, cancellable, &local_error,
                              "token-serial", token_serial,
                              NULL);
  if (local_error != NULL)
    {
      translate_error (error, local_error, cancellable);
      return FALSE;
    }

  return TRUE;
}
