/* vouch-authority.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-authority-private.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#define ROOT_FILE_NAME "root.pem"
#define INVENTORY_FILE_NAME "inventory.db"

/* struct _VouchAuthority is in vouch-authority-private.h. */

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_ROOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchAuthority, vouch_authority, G_TYPE_OBJECT)

static void
vouch_authority_dispose (GObject *object)
{
  VouchAuthority *self = (VouchAuthority *)object;

  /* Another reference to the root must not keep the key alive. */
  if (self->root != NULL)
    vouch_root_ca_forget_key (self->root);
  g_clear_object (&self->root);
  g_clear_object (&self->inventory);
  g_clear_object (&self->key_store);
  g_clear_object (&self->policy);

  G_OBJECT_CLASS (vouch_authority_parent_class)->dispose (object);
}

static void
vouch_authority_finalize (GObject *object)
{
  VouchAuthority *self = (VouchAuthority *)object;

  g_clear_pointer (&self->data_dir, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (vouch_authority_parent_class)->finalize (object);
}

static void
vouch_authority_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VouchAuthority *self = VOUCH_AUTHORITY (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;

    case PROP_ROOT:
      g_value_set_object (value, self->root);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_authority_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VouchAuthority *self = VOUCH_AUTHORITY (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      if (self->data_dir == NULL)
        self->data_dir = vouch_data_dir ();
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_authority_class_init (VouchAuthorityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_authority_dispose;
  object_class->finalize = vouch_authority_finalize;
  object_class->get_property = vouch_authority_get_property;
  object_class->set_property = vouch_authority_set_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ROOT] =
    g_param_spec_object ("root", NULL, NULL, VOUCH_TYPE_ROOT_CA,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_authority_init (VouchAuthority *self)
{
  g_mutex_init (&self->mutex);
  self->key_store = vouch_key_store_new ();
}

/**
 * vouch_authority_new:
 * @data_dir: (nullable): where the root certificate and the inventory
 *   live; by default `$XDG_DATA_HOME/vouch`
 */
VouchAuthority *
vouch_authority_new (const char *data_dir)
{
  return g_object_new (VOUCH_TYPE_AUTHORITY, "data-dir", data_dir, NULL);
}

char *
vouch_authority_default_root_name (void)
{
  /* Translators: the default name of a new root; %s@%s is user@host. */
  return g_strdup_printf (_("Vouch Local Root (%s@%s)"), g_get_user_name (), g_get_host_name ());
}

static char *
root_path (VouchAuthority *self)
{
  return g_build_filename (self->data_dir, ROOT_FILE_NAME, NULL);
}

static void
set_root (VouchAuthority *self,
          VouchRootCa    *root)
{
  if (g_set_object (&self->root, root))
    {
      g_clear_object (&self->policy);
      if (root != NULL)
        self->policy = vouch_signing_policy_new (vouch_root_ca_get_constraints (root));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOT]);
    }
}

/**
 * vouch_authority_load:
 *
 * Opens the inventory and reads the root certificate, if there is one.
 * Having no root yet is not an error.
 */
gboolean
vouch_authority_load (VouchAuthority  *self,
                      GError         **error)
{
  g_autofree char *inventory_path = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(VouchRootCa) root = NULL;
  gsize len = 0;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);

  if (self->inventory == NULL)
    {
      inventory_path = g_build_filename (self->data_dir, INVENTORY_FILE_NAME, NULL);
      self->inventory = vouch_inventory_open (inventory_path, error);
      if (self->inventory == NULL)
        return FALSE;
    }

  path = root_path (self);
  if (!g_file_get_contents (path, &pem, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  root = vouch_root_ca_new_from_pem (pem, len, error);
  if (root == NULL)
    {
      g_prefix_error (error, _("The root certificate %s is damaged: "), path);
      return FALSE;
    }

  set_root (self, root);
  return TRUE;
}

const char *
vouch_authority_get_data_dir (VouchAuthority *self)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), NULL);
  return self->data_dir;
}

VouchRootCa *
vouch_authority_get_root (VouchAuthority *self)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), NULL);
  return self->root;
}

VouchInventory *
vouch_authority_get_inventory (VouchAuthority *self)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), NULL);
  return self->inventory;
}

VouchKeyStore *
vouch_authority_get_key_store (VouchAuthority *self)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), NULL);
  return self->key_store;
}

VouchSigningPolicy *
vouch_authority_get_policy (VouchAuthority *self)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), NULL);
  return self->policy;
}

static gboolean
require_loaded (VouchAuthority  *self,
                GError         **error)
{
  if (self->inventory == NULL && !vouch_authority_load (self, error))
    return FALSE;
  return TRUE;
}

gboolean
_vouch_authority_require_root (VouchAuthority  *self,
                               GError         **error)
{
  if (!require_loaded (self, error))
    return FALSE;

  if (self->root == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NO_ROOT,
                   _("There is no root yet. Create one with “vouchctl ca init” or import one "
                     "with “vouchctl ca import”"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
require_no_root (VouchAuthority  *self,
                 GError         **error)
{
  if (self->root != NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_ROOT_EXISTS,
                   _("This machine already has a root, “%s”. Back it up, then remove %s "
                     "before making another"),
                   vouch_certificate_get_subject (vouch_root_ca_get_certificate (self->root)),
                   self->data_dir);
      return FALSE;
    }

  return TRUE;
}

static char *
root_event_detail (VouchRootCa *root)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  VouchCertificate *cert = vouch_root_ca_get_certificate (root);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, vouch_certificate_get_subject (cert));
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, vouch_certificate_get_sha256 (cert));
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  return json_to_string (node, FALSE);
}

static gboolean
audit_root_event (VouchAuthority  *self,
                  const char      *event,
                  GError         **error)
{
  g_autofree char *detail = root_event_detail (self->root);

  return vouch_inventory_append_audit (self->inventory, event, NULL, NULL, detail, error);
}

/**
 * vouch_authority_import_root:
 * @root: a root holding its key
 * @event: the audit event: “root-created”, “root-imported” or
 *   “root-restored”
 *
 * Makes @root this machine's root: its key goes into the keyring, its
 * certificate into the data folder. If the certificate cannot be written,
 * the key is taken out of the keyring again, so a failure leaves nothing
 * half done. Once the key is in the keyring it is wiped from @root, which
 * then holds only its certificate, like a root read from the data folder.
 */
gboolean
vouch_authority_import_root (VouchAuthority  *self,
                             VouchRootCa     *root,
                             const char      *event,
                             GCancellable    *cancellable,
                             GError         **error)
{
  VouchCertificate *cert;
  gnutls_datum_t key_pem = { NULL, 0 };
  g_autofree char *path = NULL;
  g_autofree char *pem = NULL;
  gboolean stored;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);
  g_return_val_if_fail (VOUCH_IS_ROOT_CA (root), FALSE);

  if (!require_loaded (self, error))
    return FALSE;

  if (!require_no_root (self, error))
    return FALSE;

  cert = vouch_root_ca_get_certificate (root);
  if (!vouch_root_ca_export_key (root, &key_pem, error))
    return FALSE;

  stored = vouch_key_store_store_root_key (self->key_store, vouch_certificate_get_sha256 (cert),
                                           vouch_certificate_get_subject (cert),
                                           (const char *)key_pem.data, cancellable, error);
  vouch_datum_wipe_free (&key_pem);
  if (!stored)
    return FALSE;
  vouch_root_ca_forget_key (root);

  path = root_path (self);
  pem = vouch_root_ca_dup_pem (root);
  if (!vouch_write_file_atomic (path, pem, strlen (pem), 0644, error))
    {
      vouch_key_store_clear_root_key (self->key_store, vouch_certificate_get_sha256 (cert),
                                      NULL, NULL);
      return FALSE;
    }

  set_root (self, root);
  return audit_root_event (self, event, error);
}

gboolean
vouch_authority_create_root (VouchAuthority        *self,
                             const char            *name,
                             VouchKeyType           key_type,
                             VouchNameConstraints  *constraints,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(VouchRootCa) root = NULL;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);
  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (constraints), FALSE);

  if (!require_loaded (self, error) || !require_no_root (self, error))
    return FALSE;

  root = vouch_root_ca_generate (name, key_type, constraints, error);
  if (root == NULL)
    return FALSE;

  return vouch_authority_import_root (self, root, "root-created", cancellable, error);
}

/* Loads the root's key from the keyring, which may prompt to unlock it,
 * unless a hold kept it. Called with the mutex held. */
static gboolean
load_key (VouchAuthority  *self,
          GCancellable    *cancellable,
          GError         **error)
{
  char *secret;
  gboolean ok;

  if (!_vouch_authority_require_root (self, error))
    return FALSE;

  if (vouch_root_ca_has_key (self->root))
    return TRUE;

  secret = vouch_key_store_lookup_root_key (self->key_store, vouch_root_ca_get_sha256 (self->root),
                                            cancellable, error);
  if (secret == NULL)
    return FALSE;

  ok = vouch_root_ca_load_key (self->root, secret, error);
  vouch_key_store_free_secret (secret);
  if (ok)
    self->key_loads++;
  return ok;
}

/* Ends an operation's use of the key: wiped now unless a hold keeps it.
 * Called with the mutex held. */
static void
drop_key (VouchAuthority *self)
{
  if (self->holds == 0 && self->root != NULL)
    vouch_root_ca_forget_key (self->root);
}

/**
 * vouch_authority_hold:
 *
 * Keeps the root's key in memory, once an operation has loaded it, until
 * the matching vouch_authority_release(): a bulk run holds the key for the
 * whole run, so the keyring is read once, not once per device. Without a
 * hold, the key is wiped at the end of every operation. Does not load the
 * key itself, so it never blocks.
 */
void
vouch_authority_hold (VouchAuthority *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));

  locker = g_mutex_locker_new (&self->mutex);
  self->holds++;
}

/**
 * vouch_authority_release:
 *
 * Ends a vouch_authority_hold(). When the last hold ends, the key is
 * wiped from memory (GnuTLS zeroes it as it frees it); the next operation
 * reads it from the keyring again.
 */
void
vouch_authority_release (VouchAuthority *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (VOUCH_IS_AUTHORITY (self));

  locker = g_mutex_locker_new (&self->mutex);
  g_return_if_fail (self->holds > 0);
  self->holds--;
  drop_key (self);
}

/**
 * _vouch_authority_with_key:
 * @func: what to do with the key
 *
 * Runs @func with the root's key loaded, then wipes the key unless a hold
 * keeps it: the only way core code reaches the key, so its lifetime is
 * the call's.
 */
gboolean
_vouch_authority_with_key (VouchAuthority         *self,
                           VouchAuthorityKeyFunc   func,
                           gpointer                user_data,
                           GCancellable           *cancellable,
                           GError                **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  ok = load_key (self, cancellable, error) && func (self->root, user_data, error);
  drop_key (self);
  return ok;
}

/* For tests: whether the key is in memory now, and how often it was read
 * from the keyring. */
gboolean
_vouch_authority_get_key_loaded (VouchAuthority *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  return self->root != NULL && vouch_root_ca_has_key (self->root);
}

guint
_vouch_authority_get_key_loads (VouchAuthority *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  return self->key_loads;
}

typedef struct
{
  const char *passphrase;
  GBytes     *backup;
} BackupData;

static gboolean
export_backup (VouchRootCa  *root,
               gpointer      user_data,
               GError      **error)
{
  BackupData *data = user_data;

  data->backup = vouch_root_ca_export_pkcs12 (root, data->passphrase, error);
  return data->backup != NULL;
}

/**
 * vouch_authority_backup:
 * @passphrase: protects the backup
 *
 * Returns: (transfer full): an encrypted PKCS#12 file with the root and
 *   its key
 */
GBytes *
vouch_authority_backup (VouchAuthority  *self,
                        const char      *passphrase,
                        GCancellable    *cancellable,
                        GError         **error)
{
  BackupData data = { passphrase, NULL };
  g_autoptr(GBytes) backup = NULL;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  if (!_vouch_authority_with_key (self, export_backup, &data, cancellable, error))
    return NULL;

  backup = data.backup;
  if (!audit_root_event (self, "root-backed-up", error))
    return NULL;

  return g_steal_pointer (&backup);
}

/**
 * vouch_authority_restore:
 *
 * Restores a root from a backup. Restoring the root this machine already
 * has puts its key back into the keyring, for example after the keyring
 * was reset.
 */
gboolean
vouch_authority_restore (VouchAuthority  *self,
                         GBytes          *pkcs12,
                         const char      *passphrase,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_autoptr(VouchRootCa) root = NULL;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), FALSE);
  g_return_val_if_fail (pkcs12 != NULL, FALSE);

  if (!require_loaded (self, error))
    return FALSE;

  root = vouch_root_ca_import_pkcs12 (pkcs12, passphrase, error);
  if (root == NULL)
    return FALSE;

  if (self->root != NULL &&
      g_strcmp0 (vouch_root_ca_get_sha256 (self->root), vouch_root_ca_get_sha256 (root)) == 0)
    {
      gnutls_datum_t key_pem = { NULL, 0 };
      VouchCertificate *cert = vouch_root_ca_get_certificate (root);
      gboolean stored;

      if (!vouch_root_ca_export_key (root, &key_pem, error))
        return FALSE;
      stored = vouch_key_store_store_root_key (self->key_store, vouch_certificate_get_sha256 (cert),
                                               vouch_certificate_get_subject (cert),
                                               (const char *)key_pem.data, cancellable, error);
      vouch_datum_wipe_free (&key_pem);
      return stored && audit_root_event (self, "root-restored", error);
    }

  return vouch_authority_import_root (self, root, "root-restored", cancellable, error);
}

/**
 * vouch_authority_export_root:
 * @der: DER instead of PEM
 *
 * Returns: (transfer full): the root certificate, for clients to trust
 */
GBytes *
vouch_authority_export_root (VouchAuthority  *self,
                             gboolean         der,
                             GError         **error)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (self), NULL);

  if (!_vouch_authority_require_root (self, error) || !audit_root_event (self, "root-exported", error))
    return NULL;

  if (der)
    return vouch_root_ca_dup_der (self->root);

  return g_bytes_new_take (vouch_root_ca_dup_pem (self->root),
                           strlen (vouch_certificate_get_pem (vouch_root_ca_get_certificate (self->root))));
}
