/* vouch-home-trust-stores.c: every trust store found for one user, as a list
 *
 * Where clients look for roots on a Linux desktop:
 *
 * - the distribution's store (vouch-trust-layout.c), for curl, GnuTLS,
 *   OpenSSL, GLib and most programs;
 * - NSS databases: Chromium's legacy ~/.pki/nssdb and, from Chromium 146,
 *   ~/.local/share/pki/nssdb; every Firefox profile listed in the
 *   profiles.ini of ~/.mozilla/firefox and of the XDG ~/.config/mozilla/firefox;
 *   the same places inside snap and Flatpak sandboxes;
 * - the JDK's cacerts, when there is a JDK.
 *
 * Stores that do not exist are listed too, as absent, so people see what
 * was looked for. The home directory is a parameter so tests can build
 * fake trees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-home-trust-stores.h"

#include "vouch-error.h"
#include "vouch-trust-layout.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

struct _VouchHomeTrustStores
{
  GObject           parent_instance;

  char             *home_dir;
  VouchCertificate *certificate;
  GPtrArray        *stores;
  gboolean          busy;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VouchHomeTrustStores, vouch_home_trust_stores, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_HOME_DIR,
  PROP_CERTIFICATE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Firefox keeps a profiles.ini in each of these; ids are "<prefix>:<profile>". */
static const struct
{
  const char *id;
  const char *dir;
  const char *name;
} firefox_locations[] = {
  { "nss:firefox", ".mozilla/firefox", N_("Firefox") },
  { "nss:firefox-xdg", ".config/mozilla/firefox", N_("Firefox (XDG profile folder)") },
  { "nss:firefox-snap", "snap/firefox/common/.mozilla/firefox", N_("Firefox (snap)") },
  { "nss:firefox-flatpak", ".var/app/org.mozilla.firefox/.mozilla/firefox", N_("Firefox (Flatpak)") },
};

/* Chromium and Chrome share these. Only the two on the host may be created
 * on request: any NSS program may create them, and Chromium reads them on
 * its next start. Sandboxed browsers' folders are theirs to create. */
static const struct
{
  const char *id;
  const char *dir;
  const char *name;
  gboolean    can_create;
} chromium_locations[] = {
  { "nss:chromium-legacy", ".pki/nssdb", N_("Chromium and Chrome (~/.pki/nssdb)"), TRUE },
  { "nss:chromium", ".local/share/pki/nssdb", N_("Chromium 146+ (~/.local/share/pki/nssdb)"), TRUE },
  { "nss:chromium-snap", "snap/chromium/current/.pki/nssdb", N_("Chromium (snap)"), FALSE },
  { "nss:chromium-flatpak", ".var/app/org.chromium.Chromium/.pki/nssdb", N_("Chromium (Flatpak)"),
    FALSE },
};

static GType
list_model_get_item_type (GListModel *model)
{
  return VOUCH_TYPE_TRUST_STORE;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return VOUCH_HOME_TRUST_STORES (model)->stores->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  VouchHomeTrustStores *self = VOUCH_HOME_TRUST_STORES (model);

  if (position >= self->stores->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->stores, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
add_store (GPtrArray       *stores,
           VouchTrustStore *store)
{
  g_ptr_array_add (stores, store);
}

/* Adds one store per profile listed in DIR/profiles.ini, or one absent
 * store for the location when it has none. */
static void
add_firefox_profiles (GPtrArray  *stores,
                      const char *home,
                      gsize       location)
{
  g_autofree char *base = g_build_filename (home, firefox_locations[location].dir, NULL);
  g_autofree char *ini = g_build_filename (base, "profiles.ini", NULL);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  const char *label = g_dgettext (GETTEXT_PACKAGE, firefox_locations[location].name);
  guint added = 0;

  if (g_key_file_load_from_file (keys, ini, G_KEY_FILE_NONE, NULL))
    groups = g_key_file_get_groups (keys, NULL);

  for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *profile = NULL;
      g_autofree char *dir = NULL;
      g_autofree char *id = NULL;
      g_autofree char *name = NULL;
      g_autoptr(GError) error = NULL;
      gboolean relative;

      /* [Install…] and [General] groups are not profiles. */
      if (!g_str_has_prefix (groups[i], "Profile"))
        continue;
      path = g_key_file_get_string (keys, groups[i], "Path", NULL);
      if (path == NULL || *path == '\0')
        continue;
      /* IsRelative defaults to relative, as in Firefox. */
      relative = g_key_file_get_boolean (keys, groups[i], "IsRelative", &error) || error != NULL;
      dir = relative ? g_build_filename (base, path, NULL) : g_strdup (path);
      profile = g_key_file_get_string (keys, groups[i], "Name", NULL);
      if (profile == NULL || *profile == '\0')
        {
          g_free (profile);
          profile = g_path_get_basename (dir);
        }

      id = g_strdup_printf ("%s:%s", firefox_locations[location].id, profile);
      /* Translators: a browser, then a Firefox profile's name. */
      name = g_strdup_printf (_("%s, profile “%s”"), label, profile);
      add_store (stores, vouch_trust_store_new_nss (id, name, dir, FALSE));
      added++;
    }

  if (added == 0)
    add_store (stores, vouch_trust_store_new_nss (firefox_locations[location].id, label, base,
                                                  FALSE));
}

/* The JDK whose keytool a user would run: $JAVA_HOME, else the one behind
 * `keytool` on PATH. */
static char *
find_java_home (void)
{
  const char *env = g_getenv ("JAVA_HOME");
  g_autofree char *keytool = NULL;
  g_autofree char *real = NULL;
  g_autofree char *bin = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  keytool = g_find_program_in_path ("keytool");
  if (keytool == NULL)
    return NULL;
  real = realpath (keytool, NULL);
  if (real == NULL)
    return NULL;
  bin = g_path_get_dirname (real);
  return g_path_get_dirname (bin);
}

static GPtrArray *
detect (VouchHomeTrustStores *self)
{
  GPtrArray *stores = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *java_home = find_java_home ();

  add_store (stores, vouch_trust_store_new_system (g_getenv (VOUCH_SYSTEM_ROOT_ENV)));
  for (gsize i = 0; i < G_N_ELEMENTS (chromium_locations); i++)
    {
      g_autofree char *dir = g_build_filename (self->home_dir, chromium_locations[i].dir, NULL);

      add_store (stores, vouch_trust_store_new_nss (chromium_locations[i].id,
                                                    g_dgettext (GETTEXT_PACKAGE,
                                                                chromium_locations[i].name),
                                                    dir, chromium_locations[i].can_create));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (firefox_locations); i++)
    add_firefox_profiles (stores, self->home_dir, i);
  add_store (stores, vouch_trust_store_new_java (java_home));

  for (guint i = 0; i < stores->len; i++)
    vouch_trust_store_set_certificate (g_ptr_array_index (stores, i), self->certificate);
  return stores;
}

static void
vouch_home_trust_stores_constructed (GObject *object)
{
  VouchHomeTrustStores *self = VOUCH_HOME_TRUST_STORES (object);

  G_OBJECT_CLASS (vouch_home_trust_stores_parent_class)->constructed (object);

  if (self->home_dir == NULL)
    self->home_dir = g_strdup (g_get_home_dir ());
  self->stores = detect (self);
}

static void
vouch_home_trust_stores_dispose (GObject *object)
{
  VouchHomeTrustStores *self = VOUCH_HOME_TRUST_STORES (object);

  g_clear_pointer (&self->stores, g_ptr_array_unref);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (vouch_home_trust_stores_parent_class)->dispose (object);
}

static void
vouch_home_trust_stores_finalize (GObject *object)
{
  VouchHomeTrustStores *self = VOUCH_HOME_TRUST_STORES (object);

  g_clear_pointer (&self->home_dir, g_free);

  G_OBJECT_CLASS (vouch_home_trust_stores_parent_class)->finalize (object);
}

static void
vouch_home_trust_stores_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VouchHomeTrustStores *self = VOUCH_HOME_TRUST_STORES (object);

  switch (prop_id)
    {
    case PROP_HOME_DIR:
      g_value_set_string (value, self->home_dir);
      break;
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_home_trust_stores_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  VouchHomeTrustStores *self = VOUCH_HOME_TRUST_STORES (object);

  switch (prop_id)
    {
    case PROP_HOME_DIR:
      self->home_dir = g_value_dup_string (value);
      break;
    case PROP_CERTIFICATE:
      vouch_home_trust_stores_set_certificate (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_home_trust_stores_class_init (VouchHomeTrustStoresClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vouch_home_trust_stores_constructed;
  object_class->dispose = vouch_home_trust_stores_dispose;
  object_class->finalize = vouch_home_trust_stores_finalize;
  object_class->get_property = vouch_home_trust_stores_get_property;
  object_class->set_property = vouch_home_trust_stores_set_property;

  properties[PROP_HOME_DIR] =
    g_param_spec_string ("home-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, VOUCH_TYPE_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_home_trust_stores_init (VouchHomeTrustStores *self)
{
}

/**
 * vouch_home_trust_stores_new:
 * @home_dir: (nullable): whose stores to find; %NULL for the current user's
 * @certificate: (nullable): the root to look for and install
 *
 * Finds the stores (quick: it only looks at files). Their status stays
 * unknown until vouch_home_trust_stores_refresh_async().
 */
VouchHomeTrustStores *
vouch_home_trust_stores_new (const char       *home_dir,
                        VouchCertificate *certificate)
{
  return g_object_new (VOUCH_TYPE_HOME_TRUST_STORES,
                       "home-dir", home_dir,
                       "certificate", certificate,
                       NULL);
}

const char *
vouch_home_trust_stores_get_home_dir (VouchHomeTrustStores *self)
{
  g_return_val_if_fail (VOUCH_IS_HOME_TRUST_STORES (self), NULL);
  return self->home_dir;
}

VouchCertificate *
vouch_home_trust_stores_get_certificate (VouchHomeTrustStores *self)
{
  g_return_val_if_fail (VOUCH_IS_HOME_TRUST_STORES (self), NULL);
  return self->certificate;
}

/**
 * vouch_home_trust_stores_set_certificate:
 * @certificate: (nullable): the new root
 *
 * Passes the root to every store; call vouch_home_trust_stores_refresh_async()
 * afterwards to read their status for it.
 */
void
vouch_home_trust_stores_set_certificate (VouchHomeTrustStores *self,
                                    VouchCertificate *certificate)
{
  g_return_if_fail (VOUCH_IS_HOME_TRUST_STORES (self));

  if (!g_set_object (&self->certificate, certificate))
    return;
  for (guint i = 0; self->stores != NULL && i < self->stores->len; i++)
    vouch_trust_store_set_certificate (g_ptr_array_index (self->stores, i), certificate);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE]);
}

gboolean
vouch_home_trust_stores_get_busy (VouchHomeTrustStores *self)
{
  g_return_val_if_fail (VOUCH_IS_HOME_TRUST_STORES (self), FALSE);
  return self->busy;
}

/**
 * vouch_home_trust_stores_lookup:
 *
 * Returns: (transfer none) (nullable): the store with this id
 */
VouchTrustStore *
vouch_home_trust_stores_lookup (VouchHomeTrustStores *self,
                           const char       *id)
{
  g_return_val_if_fail (VOUCH_IS_HOME_TRUST_STORES (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->stores->len; i++)
    {
      VouchTrustStore *store = g_ptr_array_index (self->stores, i);

      if (g_str_equal (vouch_trust_store_get_id (store), id))
        return store;
    }
  return NULL;
}

/**
 * vouch_home_trust_stores_reload:
 *
 * Looks for stores again, for instance after a browser was installed or a
 * profile created; the new stores' status is unknown until refreshed.
 */
void
vouch_home_trust_stores_reload (VouchHomeTrustStores *self)
{
  g_autoptr(GPtrArray) old = NULL;
  guint removed;

  g_return_if_fail (VOUCH_IS_HOME_TRUST_STORES (self));

  old = g_steal_pointer (&self->stores);
  removed = old->len;
  self->stores = detect (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->stores->len);
}

/* Chromium makes its certificate database on first run, so a Chromium that
 * was installed but never started has none, and would not trust the root
 * when it first opens a device's page. */
static gboolean
chromium_installed (void)
{
  static const char * const programs[] = {
    "chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *path = g_find_program_in_path (programs[i]);

      if (path != NULL)
        return TRUE;
    }
  return FALSE;
}

/**
 * vouch_home_trust_stores_lookup_unstarted_chromium:
 *
 * The store to create for a Chromium or Chrome that is installed but has
 * never been started: neither of its databases on the host exists yet.
 * Installing into the store creates the database (certutil -N) where
 * Chromium 146 and later look first when there is no legacy ~/.pki/nssdb,
 * and trusts the root there. Meaningful once the stores were refreshed.
 *
 * Returns: (transfer none) (nullable): the store, or %NULL when there is
 *   nothing to offer
 */
VouchTrustStore *
vouch_home_trust_stores_lookup_unstarted_chromium (VouchHomeTrustStores *self)
{
  VouchTrustStore *current;
  VouchTrustStore *legacy;

  g_return_val_if_fail (VOUCH_IS_HOME_TRUST_STORES (self), NULL);

  current = vouch_home_trust_stores_lookup (self, "nss:chromium");
  legacy = vouch_home_trust_stores_lookup (self, "nss:chromium-legacy");
  if (current == NULL || legacy == NULL ||
      vouch_trust_store_get_status (current) != VOUCH_TRUST_STATUS_ABSENT ||
      vouch_trust_store_get_status (legacy) != VOUCH_TRUST_STATUS_ABSENT ||
      !chromium_installed ())
    return NULL;
  return current;
}

/* All stores at once ------------------------------------------------------ */

typedef enum
{
  ALL_REFRESH,
  ALL_INSTALL,
  ALL_UNINSTALL,
} AllOp;

static void
add_failure (GString         *failures,
             VouchTrustStore *store,
             GError          *error)
{
  g_string_append_printf (failures, "\n%s: %s", vouch_trust_store_get_name (store),
                          error->message);
}

static gboolean
return_failures (GString  *failures,
                 GError  **error)
{
  if (failures->len == 0)
    return TRUE;
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED, _("Some trust stores were not changed:%s"),
               failures->str);
  return FALSE;
}

/* Installing everywhere means every store that exists: it never creates a
 * browser's database the user does not have. */
static gboolean
wants_install (VouchTrustStore *store)
{
  VouchTrustStatus status = vouch_trust_store_get_status (store);

  return status == VOUCH_TRUST_STATUS_NOT_INSTALLED || status == VOUCH_TRUST_STATUS_UNKNOWN;
}

static void
set_busy (VouchHomeTrustStores *self,
          gboolean          busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gpointer
ref_store (gconstpointer store,
           gpointer      user_data)
{
  return g_object_ref ((gpointer)store);
}

static gboolean
run_all_sync (VouchHomeTrustStores  *self,
              AllOp              op,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(GPtrArray) stores = g_ptr_array_copy (self->stores, ref_store, NULL);

  g_ptr_array_set_free_func (stores, g_object_unref);
  for (guint i = 0; i < stores->len; i++)
    {
      VouchTrustStore *store = g_ptr_array_index (stores, i);
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      ok = vouch_trust_store_refresh (store, cancellable, &local_error);
      if (ok && op == ALL_INSTALL && wants_install (store))
        ok = vouch_trust_store_install (store, cancellable, &local_error);
      else if (ok && op == ALL_UNINSTALL)
        ok = vouch_trust_store_uninstall (store, cancellable, &local_error);
      if (!ok)
        add_failure (failures, store, local_error);
    }
  return return_failures (failures, error);
}

/**
 * vouch_home_trust_stores_refresh:
 *
 * Reads every store's status. Blocks; the GUI uses the async variant.
 */
gboolean
vouch_home_trust_stores_refresh (VouchHomeTrustStores  *self,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_return_val_if_fail (VOUCH_IS_HOME_TRUST_STORES (self), FALSE);
  return run_all_sync (self, ALL_REFRESH, cancellable, error);
}

/**
 * vouch_home_trust_stores_install:
 *
 * Installs the root into every store present on this machine, going on
 * past stores that fail; the error lists each failure.
 */
gboolean
vouch_home_trust_stores_install (VouchHomeTrustStores  *self,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_return_val_if_fail (VOUCH_IS_HOME_TRUST_STORES (self), FALSE);
  return run_all_sync (self, ALL_INSTALL, cancellable, error);
}

/**
 * vouch_home_trust_stores_uninstall:
 *
 * Removes Vouch's entry for the root from every store.
 */
gboolean
vouch_home_trust_stores_uninstall (VouchHomeTrustStores  *self,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_return_val_if_fail (VOUCH_IS_HOME_TRUST_STORES (self), FALSE);
  return run_all_sync (self, ALL_UNINSTALL, cancellable, error);
}

/* The async variant walks the stores one by one: each step is a refresh,
 * then (for install and uninstall) the change. */
typedef struct
{
  AllOp      op;
  GPtrArray *stores;
  guint      index;
  gboolean   refreshed;
  GString   *failures;
} AllState;

static void
all_state_free (AllState *state)
{
  g_clear_pointer (&state->stores, g_ptr_array_unref);
  g_string_free (state->failures, TRUE);
  g_free (state);
}

static void all_step (GTask *task);

static void
all_step_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchTrustStore *store = VOUCH_TRUST_STORE (object);
  AllState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!state->refreshed)
    ok = vouch_trust_store_refresh_finish (store, result, &error);
  else if (state->op == ALL_INSTALL)
    ok = vouch_trust_store_install_finish (store, result, &error);
  else
    ok = vouch_trust_store_uninstall_finish (store, result, &error);

  if (!ok)
    add_failure (state->failures, store, error);
  if (!ok || state->refreshed || state->op == ALL_REFRESH ||
      (state->op == ALL_INSTALL && !wants_install (store)))
    {
      state->index++;
      state->refreshed = FALSE;
    }
  else
    state->refreshed = TRUE;

  all_step (g_steal_pointer (&task));
}

static void
all_step (GTask *task)
{
  AllState *state = g_task_get_task_data (task);
  VouchHomeTrustStores *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  VouchTrustStore *store;

  if (g_task_return_error_if_cancelled (task) || state->index >= state->stores->len)
    {
      set_busy (self, FALSE);
      if (!g_task_had_error (task))
        {
          if (return_failures (state->failures, &error))
            g_task_return_boolean (task, TRUE);
          else
            g_task_return_error (task, error);
        }
      g_object_unref (task);
      return;
    }

  store = g_ptr_array_index (state->stores, state->index);
  if (!state->refreshed)
    vouch_trust_store_refresh_async (store, cancellable, all_step_cb, task);
  else if (state->op == ALL_INSTALL)
    vouch_trust_store_install_async (store, cancellable, all_step_cb, task);
  else
    vouch_trust_store_uninstall_async (store, cancellable, all_step_cb, task);
}

static void
run_all_async (VouchHomeTrustStores    *self,
               AllOp                op,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  AllState *state = g_new0 (AllState, 1);

  g_task_set_source_tag (task, source_tag);
  state->op = op;
  state->stores = g_ptr_array_copy (self->stores, ref_store, NULL);
  g_ptr_array_set_free_func (state->stores, g_object_unref);
  state->failures = g_string_new (NULL);
  g_task_set_task_data (task, state, (GDestroyNotify)all_state_free);

  set_busy (self, TRUE);
  all_step (task);
}

static gboolean
run_all_finish (VouchHomeTrustStores  *self,
                GAsyncResult      *result,
                gpointer           source_tag,
                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
vouch_home_trust_stores_refresh_async (VouchHomeTrustStores    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_HOME_TRUST_STORES (self));
  run_all_async (self, ALL_REFRESH, vouch_home_trust_stores_refresh_async, cancellable, callback,
                 user_data);
}

gboolean
vouch_home_trust_stores_refresh_finish (VouchHomeTrustStores  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  return run_all_finish (self, result, vouch_home_trust_stores_refresh_async, error);
}

void
vouch_home_trust_stores_install_async (VouchHomeTrustStores    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_HOME_TRUST_STORES (self));
  run_all_async (self, ALL_INSTALL, vouch_home_trust_stores_install_async, cancellable, callback,
                 user_data);
}

gboolean
vouch_home_trust_stores_install_finish (VouchHomeTrustStores  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  return run_all_finish (self, result, vouch_home_trust_stores_install_async, error);
}

void
vouch_home_trust_stores_uninstall_async (VouchHomeTrustStores    *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_HOME_TRUST_STORES (self));
  run_all_async (self, ALL_UNINSTALL, vouch_home_trust_stores_uninstall_async, cancellable, callback,
                 user_data);
}

gboolean
vouch_home_trust_stores_uninstall_finish (VouchHomeTrustStores  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  return run_all_finish (self, result, vouch_home_trust_stores_uninstall_async, error);
}
