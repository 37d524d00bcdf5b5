/* vouch-authority-token.c: the root's key on a PKCS#11 token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-authority"

#include "vouch-config.h"

#include "vouch-authority-private.h"

#include "vouch-error.h"
#include "vouch-root-ca-private.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* A root whose key lives on a token has, in the data folder, its
 * certificate (root.pem) and root-key.json, which says which token and
 * which key (vouch_token_key_to_json()); the keyring holds nothing of it,
 * unless the operator chose to keep the token's PIN there. Signing opens
 * the key on the token for one operation or one hold, as the keyring path
 * loads its key: the handle holds no key material, only a logged-in
 * session, and is closed when the operation or hold ends. */

#define KEY_PLACE_FILE_NAME "root-key.json"
/* Each wrong PIN brings a token closer to locking itself. */
#define MAX_PIN_TRIES 3

char *
_vouch_authority_key_place_path (VouchAuthority *self)
{
  return g_build_filename (self->data_dir, KEY_PLACE_FILE_NAME, NULL);
}

/* Reads where the key lives; no file means the keyring. */
gboolean
_vouch_authority_read_key_place (VouchAuthority  *self,
                                 GError         **error)
{
  g_autofree char *path = _vouch_authority_key_place_path (self);
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;
  VouchTokenKey *token_key;

  if (!g_file_get_contents (path, &json, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_clear_object (&self->token_key);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  token_key = vouch_token_key_new_from_json (json, error);
  if (token_key == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  g_set_object (&self->token_key, token_key);
  g_object_unref (token_key);
  return TRUE;
}

static gboolean
write_key_place (VouchAuthority  *self,
                 VouchTokenKey   *token_key,
                 GError         **error)
{
  g_autofree char *path = _vouch_authority_key_place_path (self);
  g_autofree char *json = vouch_token_key_to_json (token_key);

  return vouch_write_file_atomic (path, json, strlen (json), 0644, error);
}

void
_vouch_authority_clear_token_pin (VouchAuthority *self)
{
  if (self->token_pin == NULL)
    return;
  gnutls_memset (self->token_pin, 0, strlen (self->token_pin));
  g_clear_pointer (&self->token_pin, g_free);
}

static void
take_pin (VouchAuthority *self,
          char           *pin,
          GDestroyNotify  free_pin)
{
  _vouch_authority_clear_token_pin (self);
  self->token_pin = g_strdup (pin);
  gnutls_memset (pin, 0, strlen (pin));
  free_pin (pin);
}

/* Finds the PIN for @token: the one kept in the keyring (first try only),
 * else the operator's answer through the PIN function, told why the
 * @previous one was refused. Called with the mutex held. */
static gboolean
obtain_pin (VouchAuthority  *self,
            VouchTokenKey   *token,
            const GError    *previous,
            GCancellable    *cancellable,
            GError         **error)
{
  char *pin;

  _vouch_authority_clear_token_pin (self);

  if (previous == NULL &&
      (pin = vouch_key_store_lookup_token_pin (self->key_store, vouch_token_key_get_serial (token),
                                               cancellable, NULL)) != NULL)
    {
      take_pin (self, pin, (GDestroyNotify)vouch_key_store_free_secret);
      return TRUE;
    }

  self->keep_token_pin = FALSE;
  if (self->pin_func != NULL &&
      (pin = self->pin_func (self, token, previous, &self->keep_token_pin,
                             self->pin_data)) != NULL)
    {
      take_pin (self, pin, g_free);
      return TRUE;
    }

  if (previous != NULL)
    g_propagate_error (error, g_error_copy (previous));
  else
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_NEEDED,
                 _("The PIN of “%s” is needed to sign with the root's key"),
                 vouch_token_key_get_label (token));
  return FALSE;
}

static gboolean
is_pin_error (const GError *error)
{
  return g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_NEEDED) ||
         g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_WRONG);
}

/* The operator ticked “keep the PIN”: now that the token accepted it. A
 * keyring that cannot keep it only means Vouch asks again next time. */
static void
keep_pin_if_asked (VouchAuthority *self,
                   VouchTokenKey  *token,
                   GCancellable   *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!self->keep_token_pin || self->token_pin == NULL)
    return;
  self->keep_token_pin = FALSE;
  if (!vouch_key_store_store_token_pin (self->key_store, vouch_token_key_get_serial (token),
                                        vouch_token_key_get_label (token), self->token_pin,
                                        cancellable, &error))
    g_message ("Could not keep the PIN of “%s” in the keyring: %s",
               vouch_token_key_get_label (token), error->message);
}

/* Opens @token's key, asking for its PIN as needed: first without one
 * (so an absent token is reported before anyone is asked for a PIN), then
 * with each PIN obtained. Called with the mutex held. */
static gnutls_privkey_t
open_with_pin (VouchAuthority  *self,
               VouchTokenKey   *token,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(GError) local_error = NULL;

  for (guint tries = 0; tries <= MAX_PIN_TRIES; tries++)
    {
      gnutls_privkey_t key;

      g_clear_error (&local_error);
      key = vouch_token_key_open (token, self->token_pin, &local_error);
      if (key != NULL)
        {
          keep_pin_if_asked (self, token, cancellable);
          return key;
        }
      if (!is_pin_error (local_error) || tries == MAX_PIN_TRIES)
        break;
      if (!obtain_pin (self, token,
                       g_error_matches (local_error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_WRONG)
                         ? local_error : NULL,
                       cancellable, error))
        return NULL;
    }

  /* A PIN the token refused is forgotten; one it never saw (the token was
   * away) is kept for the hold under way, so a resumed run asks no more. */
  if (is_pin_error (local_error))
    _vouch_authority_clear_token_pin (self);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* The token path of the authority's load_key(). */
gboolean
_vouch_authority_load_token_key (VouchAuthority  *self,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  gnutls_privkey_t key = open_with_pin (self, self->token_key, cancellable, error);

  if (key == NULL || !_vouch_root_ca_take_privkey (self->root, key, error))
    return FALSE;
  self->key_loads++;
  return TRUE;
}

/**
 * _vouch_authority_explain_token_failure:
 *
 * After an operation with a token's key failed: when the token is no
 * longer there, says so instead of a bare signing error, and closes the
 * key, so the next operation (a resumed bulk run) opens it afresh. Called
 * with the mutex held.
 */
void
_vouch_authority_explain_token_failure (VouchAuthority  *self,
                                        GError         **error)
{
  g_autoptr(GError) token_error = NULL;

  if (self->token_key == NULL || error == NULL || *error == NULL ||
      (*error)->domain != VOUCH_ERROR || (*error)->code != VOUCH_ERROR_CRYPTO ||
      !vouch_root_ca_has_key (self->root))
    return;

  vouch_root_ca_forget_key (self->root);
  vouch_token_key_translate_error (self->token_key, GNUTLS_E_PKCS11_DEVICE_ERROR, &token_error);
  if (g_error_matches (token_error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_ABSENT) ||
      g_error_matches (token_error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_MODULE_MISSING))
    {
      g_clear_error (error);
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_REMOVED,
                   _("“%s” was removed while Vouch was signing. Nothing was issued or recorded "
                     "for the certificate under way; put the token back and try again"),
                   vouch_token_key_get_label (self->token_key));
    }
}

/**
 * vouch_authority_get_token_key:
 *
 * Returns: (transfer none) (nullable): the token holding the root's key,
 *   or %NULL when the key is in the keyring
 */
VouchTokenKey *
vouch_authority_get_token_key (VouchAuthority *self)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), NULL);
  return self->token_key;
}

/**
 * vouch_authority_set_pin_func:
 *
 * Sets how the operator is asked for a token's PIN.
 */
void
vouch_authority_set_pin_func (VouchAuthority        *self,
                              VouchAuthorityPinFunc  func,
                              gpointer               user_data,
                              GDestroyNotify         destroy)
{
  g_return_if_fail (VOUCH_IS_AUTHORITY (self));

  if (self->pin_destroy != NULL)
    self->pin_destroy (self->pin_data);
  self->pin_func = func;
  self->pin_data = user_data;
  self->pin_destroy = destroy;
}

/**
 * vouch_authority_set_token_pin:
 * @pin: (nullable): the PIN, as typed (vouchctl's --pin-stdin)
 *
 * Gives the PIN for the next operation, or the hold under way; it is
 * wiped when the operation or the last hold ends.
 */
void
vouch_authority_set_token_pin (VouchAuthority *self,
                               const char     *pin)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));

  locker = g_mutex_locker_new (&self->mutex);
  _vouch_authority_clear_token_pin (self);
  self->token_pin = g_strdup (pin);
}

/**
 * vouch_authority_keep_token_pin:
 * @keep: keep the PIN in the keyring, or remove it from there
 *
 * Keeps the token's PIN (the one of the last operation, so it is known to
 * be right) in the keyring, so Vouch signs without asking; or forgets it.
 */
gboolean
vouch_authority_keep_token_pin (VouchAuthority  *self,
                                gboolean         keep,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gnutls_privkey_t key;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (self->token_key == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The root's key is in the keyring, not on a token: there is no PIN to keep"));
      return FALSE;
    }

  if (!keep)
    return vouch_key_store_clear_token_pin (self->key_store,
                                            vouch_token_key_get_serial (self->token_key),
                                            cancellable, error);

  /* Only a PIN the token accepted is worth keeping. */
  key = open_with_pin (self, self->token_key, cancellable, error);
  if (key == NULL)
    return FALSE;
  gnutls_privkey_deinit (key);

  keep = vouch_key_store_store_token_pin (self->key_store,
                                          vouch_token_key_get_serial (self->token_key),
                                          vouch_token_key_get_label (self->token_key),
                                          self->token_pin, cancellable, error);
  if (self->holds == 0)
    _vouch_authority_clear_token_pin (self);
  return keep;
}

/**
 * vouch_authority_get_token_pin_kept:
 *
 * Whether the keyring keeps the token's PIN. May read the keyring.
 */
gboolean
vouch_authority_get_token_pin_kept (VouchAuthority *self)
{
  char *pin;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);

  if (self->token_key == NULL)
    return FALSE;
  pin = vouch_key_store_lookup_token_pin (self->key_store,
                                          vouch_token_key_get_serial (self->token_key),
                                          NULL, NULL);
  vouch_key_store_free_secret (pin);
  return pin != NULL;
}

/* Asks for the PIN of a token that holds no key of Vouch's yet. */
static gboolean
pin_for_new_key (VouchAuthority  *self,
                 VouchTokenKey   *token,
                 GCancellable    *cancellable,
                 GError         **error)
{
  if (self->token_pin != NULL)
    return TRUE;
  return obtain_pin (self, token, NULL, cancellable, error);
}

/**
 * vouch_authority_create_root_on_token:
 * @token_uri: the token, as a PKCS#11 URI
 *
 * Makes a root whose key is generated on the token, sensitive and not
 * extractable: Vouch keeps only the certificate and the key's URI.
 */
gboolean
vouch_authority_create_root_on_token (VouchAuthority        *self,
                                      const char            *name,
                                      VouchKeyType           key_type,
                                      VouchNameConstraints  *constraints,
                                      const char            *token_uri,
                                      GCancellable          *cancellable,
                                      GError               **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(VouchTokenKey) token = NULL;
  g_autoptr(VouchTokenKey) key = NULL;
  g_autoptr(VouchRootCa) root = NULL;
  g_autofree char *place = NULL;
  gnutls_privkey_t signer;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);
  g_return_val_if_fail (token_uri != NULL, FALSE);

  if (!_vouch_authority_check_new_root (self, error))
    return FALSE;

  token = vouch_token_key_new_for_token (token_uri, error);
  if (token == NULL)
    return FALSE;

  locker = g_mutex_locker_new (&self->mutex);
  if (!pin_for_new_key (self, token, cancellable, error))
    return FALSE;
  for (guint tries = 0; tries < MAX_PIN_TRIES && key == NULL; tries++)
    {
      g_autoptr(GError) local_error = NULL;

      key = vouch_token_key_generate (token_uri, key_type, self->token_pin, &local_error);
      if (key != NULL)
        break;
      if (!is_pin_error (local_error) || tries + 1 == MAX_PIN_TRIES)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          break;
        }
      if (!obtain_pin (self, token, local_error, cancellable, error))
        break;
    }
  if (key == NULL ||
      (signer = open_with_pin (self, key, cancellable, error)) == NULL)
    {
      _vouch_authority_clear_token_pin (self);
      return FALSE;
    }

  root = vouch_root_ca_generate_with_key (name, key_type, constraints, signer, error);
  gnutls_privkey_deinit (signer);
  if (root == NULL || !write_key_place (self, key, error))
    {
      vouch_token_key_delete (key, self->token_pin, NULL);
      _vouch_authority_clear_token_pin (self);
      return FALSE;
    }
  g_set_object (&self->token_key, key);
  g_clear_pointer (&locker, g_mutex_locker_free);

  if (!_vouch_authority_install_root (self, root, "root-created", error))
    {
      /* The lock again, for the rest of this block. */
      G_GNUC_UNUSED g_autoptr(GMutexLocker) again = g_mutex_locker_new (&self->mutex);

      place = _vouch_authority_key_place_path (self);
      g_unlink (place);
      vouch_token_key_delete (key, self->token_pin, NULL);
      g_clear_object (&self->token_key);
      _vouch_authority_clear_token_pin (self);
      return FALSE;
    }

  vouch_authority_set_token_pin (self, NULL);
  return TRUE;
}

typedef struct
{
  VouchAuthority *self;
  const char     *token_uri;
  VouchTokenKey  *token;
  VouchTokenKey  *moved;
} MoveData;

/* With the keyring's key loaded: copies it onto the token. */
static gboolean
copy_key (VouchRootCa  *root,
          gpointer      user_data,
          GError      **error)
{
  MoveData *data = user_data;

  VouchAuthority *self = data->self;
  g_autoptr(GError) local_error = NULL;

  for (guint tries = 0; tries < MAX_PIN_TRIES; tries++)
    {
      g_clear_error (&local_error);
      data->moved = vouch_token_key_copy (data->token_uri, _vouch_root_ca_get_x509_key (root),
                                          self->token_pin, &local_error);
      if (data->moved != NULL)
        return TRUE;
      if (!is_pin_error (local_error) ||
          !obtain_pin (self, data->token, local_error, NULL, error))
        break;
    }

  if (local_error != NULL && (error == NULL || *error == NULL))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * vouch_authority_move_to_token:
 * @token_uri: the token, as a PKCS#11 URI
 * @backup_exists: the operator confirmed a backup of the root exists
 *
 * Copies the root's key from the keyring onto the token, checks that the
 * token signs for the same certificate, then removes the key from the
 * keyring. The certificate does not change, so every trust store and
 * every issued certificate stays valid.
 */
gboolean
vouch_authority_move_to_token (VouchAuthority  *self,
                               const char      *token_uri,
                               gboolean         backup_exists,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_autoptr(VouchTokenKey) token = NULL;
  g_autoptr(GError) local_error = NULL;
  MoveData data = { self, token_uri, NULL, NULL };
  g_autoptr(GMutexLocker) locker = NULL;
  gnutls_privkey_t key;
  gboolean ok;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);
  g_return_val_if_fail (token_uri != NULL, FALSE);

  if (!_vouch_authority_require_root (self, error))
    return FALSE;

  if (self->token_key != NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The root's key is already on the token “%s”"),
                   vouch_token_key_get_label (self->token_key));
      return FALSE;
    }

  if (!backup_exists)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BACKUP_NOT_CONFIRMED,
                   _("Once on the token, the root's key can never be copied again. Make a "
                     "backup first (vouchctl ca backup), keep it safe, then confirm that it "
                     "exists"));
      return FALSE;
    }

  token = vouch_token_key_new_for_token (token_uri, error);
  if (token == NULL)
    return FALSE;
  data.token = token;

  locker = g_mutex_locker_new (&self->mutex);
  if (!pin_for_new_key (self, token, cancellable, error))
    return FALSE;
  g_clear_pointer (&locker, g_mutex_locker_free);

  /* The keyring's key, loaded as for a signature and wiped right after
   * the copy; the hold keeps the PIN for the check that follows. */
  vouch_authority_hold (self);
  ok = _vouch_authority_with_key (self, copy_key, &data, cancellable, error);
  locker = g_mutex_locker_new (&self->mutex);
  vouch_root_ca_forget_key (self->root);

  /* The token must sign for this very certificate before the keyring's
   * copy goes. */
  if (ok)
    {
      key = open_with_pin (self, data.moved, cancellable, error);
      ok = key != NULL && _vouch_root_ca_take_privkey (self->root, key, error) &&
           write_key_place (self, data.moved, error);
      vouch_root_ca_forget_key (self->root);
      if (!ok)
        vouch_token_key_delete (data.moved, self->token_pin, NULL);
    }
  if (ok)
    self->token_key = g_steal_pointer (&data.moved);
  g_clear_object (&data.moved);
  g_clear_pointer (&locker, g_mutex_locker_free);
  vouch_authority_release (self);
  if (!ok)
    return FALSE;

  if (!vouch_key_store_clear_root_key (self->key_store, vouch_root_ca_get_sha256 (self->root),
                                       cancellable, &local_error))
    {
      g_set_error (error, VOUCH_ERROR, local_error->code,
                   _("The root's key is now on “%s”, but its copy could not be removed from "
                     "the keyring: %s. Remove the item “%s” in Passwords and Keys"),
                   vouch_token_key_get_label (self->token_key), local_error->message,
                   vouch_certificate_get_subject (vouch_root_ca_get_certificate (self->root)));
      return FALSE;
    }

  return _vouch_authority_audit_root (self, "root-moved-to-token", error);
}

static void
move_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  const char *token_uri = task_data;
  gboolean backup_exists = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "backup-exists"));

  if (vouch_authority_move_to_token (source_object, token_uri, backup_exists, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
vouch_authority_move_to_token_async (VouchAuthority      *self,
                                     const char          *token_uri,
                                     gboolean             backup_exists,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));
  g_return_if_fail (token_uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_authority_move_to_token_async);
  g_task_set_task_data (task, g_strdup (token_uri), g_free);
  g_object_set_data (G_OBJECT (task), "backup-exists", GINT_TO_POINTER (backup_exists));
  g_task_run_in_thread (task, move_thread);
}

gboolean
vouch_authority_move_to_token_finish (VouchAuthority  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char                 *name;
  VouchKeyType          key_type;
  VouchNameConstraints *constraints;
  char                 *token_uri;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->name);
  g_clear_object (&data->constraints);
  g_free (data->token_uri);
  g_free (data);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  CreateData *data = task_data;

  if (vouch_authority_create_root_on_token (source_object, data->name, data->key_type,
                                            data->constraints, data->token_uri, cancellable,
                                            &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * vouch_authority_create_root_on_token_async:
 *
 * vouch_authority_create_root_on_token() on a worker thread: the token
 * is slow, and its PIN is asked from there (VouchAuthorityPinFunc).
 */
void
vouch_authority_create_root_on_token_async (VouchAuthority       *self,
                                            const char           *name,
                                            VouchKeyType          key_type,
                                            VouchNameConstraints *constraints,
                                            const char           *token_uri,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  CreateData *data;

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));
  g_return_if_fail (token_uri != NULL);

  data = g_new0 (CreateData, 1);
  data->name = g_strdup (name);
  data->key_type = key_type;
  data->constraints = constraints != NULL ? g_object_ref (constraints) : NULL;
  data->token_uri = g_strdup (token_uri);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_authority_create_root_on_token_async);
  g_task_set_task_data (task, data, (GDestroyNotify)create_data_free);
  g_task_run_in_thread (task, create_thread);
}

gboolean
vouch_authority_create_root_on_token_finish (VouchAuthority  *self,
                                             GAsyncResult    *result,
                                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
