/* vouch-trust-store.c: one place where clients look for trusted roots
 *
 * A store knows where it is and what it holds; the work of reading and
 * changing it (vouch-trust-backend.c) runs on a worker thread because
 * certutil, keytool and update-ca-certificates can take seconds. Results
 * are applied on the main thread, so properties only ever change there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-trust-store.h"

#include "vouch-error.h"
#include "vouch-trust-layout.h"
#include "vouch-trust-store-private.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

struct _VouchTrustStore
{
  GObject              parent_instance;

  char                *id;
  VouchTrustStoreKind  kind;
  char                *name;
  char                *path;
  char                *root_prefix;
  char                *tool;
  gboolean             can_create;

  VouchCertificate    *certificate;
  VouchTrustStatus     status;
  char                *message;
  gboolean             busy;
  gboolean             needs_admin;
};

G_DEFINE_FINAL_TYPE (VouchTrustStore, vouch_trust_store, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VouchTrustStoreKind, vouch_trust_store_kind,
                    G_DEFINE_ENUM_VALUE (VOUCH_TRUST_STORE_KIND_SYSTEM, "system"),
                    G_DEFINE_ENUM_VALUE (VOUCH_TRUST_STORE_KIND_NSS, "nss"),
                    G_DEFINE_ENUM_VALUE (VOUCH_TRUST_STORE_KIND_JAVA, "java"))

G_DEFINE_ENUM_TYPE (VouchTrustStatus, vouch_trust_status,
                    G_DEFINE_ENUM_VALUE (VOUCH_TRUST_STATUS_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (VOUCH_TRUST_STATUS_INSTALLED, "installed"),
                    G_DEFINE_ENUM_VALUE (VOUCH_TRUST_STATUS_NOT_INSTALLED, "not-installed"),
                    G_DEFINE_ENUM_VALUE (VOUCH_TRUST_STATUS_ABSENT, "absent"))

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_PATH,
  PROP_CERTIFICATE,
  PROP_STATUS,
  PROP_MESSAGE,
  PROP_BUSY,
  PROP_NEEDS_ADMIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vouch_trust_store_dispose (GObject *object)
{
  VouchTrustStore *self = VOUCH_TRUST_STORE (object);

  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (vouch_trust_store_parent_class)->dispose (object);
}

static void
vouch_trust_store_finalize (GObject *object)
{
  VouchTrustStore *self = VOUCH_TRUST_STORE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->root_prefix, g_free);
  g_clear_pointer (&self->tool, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (vouch_trust_store_parent_class)->finalize (object);
}

static void
vouch_trust_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VouchTrustStore *self = VOUCH_TRUST_STORE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_NEEDS_ADMIN:
      g_value_set_boolean (value, self->needs_admin);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_trust_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VouchTrustStore *self = VOUCH_TRUST_STORE (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      vouch_trust_store_set_certificate (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_trust_store_class_init (VouchTrustStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vouch_trust_store_dispose;
  object_class->finalize = vouch_trust_store_finalize;
  object_class->get_property = vouch_trust_store_get_property;
  object_class->set_property = vouch_trust_store_set_property;

  /* A stable name for scripts: "system", "nss:chromium", "nss:firefox:NAME", "java". */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, VOUCH_TYPE_TRUST_STORE_KIND,
                                             VOUCH_TRUST_STORE_KIND_SYSTEM, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, ro);
  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, VOUCH_TYPE_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, VOUCH_TYPE_TRUST_STATUS,
                                               VOUCH_TRUST_STATUS_UNKNOWN, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_NEEDS_ADMIN] = g_param_spec_boolean ("needs-admin", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_trust_store_init (VouchTrustStore *self)
{
}

static VouchTrustStore *
trust_store_new (VouchTrustStoreKind  kind,
                 const char          *id,
                 const char          *name,
                 const char          *path)
{
  VouchTrustStore *self = g_object_new (VOUCH_TYPE_TRUST_STORE, NULL);

  self->kind = kind;
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->path = g_strdup (path);
  return self;
}

/**
 * vouch_trust_store_new_system:
 * @root_prefix: (nullable): a directory standing in for `/`, for tests
 *
 * The distribution's own trust store, changed only through
 * vouch-trust-helper.
 */
VouchTrustStore *
vouch_trust_store_new_system (const char *root_prefix)
{
  const VouchTrustLayout *layout = vouch_trust_layout_detect (root_prefix);
  g_autofree char *path = layout != NULL ? vouch_trust_layout_dup_path (layout, root_prefix)
                                         : NULL;
  const char *name = _("System");
  VouchTrustStore *self;

  if (layout == NULL)
    ;
  else if (layout->kind == VOUCH_TRUST_LAYOUT_DEBIAN)
    name = _("System (Debian, Ubuntu)");
  else if (layout->kind == VOUCH_TRUST_LAYOUT_FEDORA)
    name = _("System (Fedora, RHEL)");
  else if (layout->kind == VOUCH_TRUST_LAYOUT_ARCH)
    name = _("System (Arch, p11-kit)");
  else if (layout->kind == VOUCH_TRUST_LAYOUT_OPENSUSE)
    name = _("System (openSUSE)");

  self = trust_store_new (VOUCH_TRUST_STORE_KIND_SYSTEM, "system", name, path);
  self->root_prefix = g_strdup (root_prefix);
  self->needs_admin = TRUE;
  return self;
}

/**
 * vouch_trust_store_new_nss:
 * @id: the store's id, such as "nss:chromium"
 * @name: a name for people
 * @directory: the NSS database directory (opened as `sql:DIR`)
 * @can_create: whether installing may create a missing database
 */
VouchTrustStore *
vouch_trust_store_new_nss (const char *id,
                           const char *name,
                           const char *directory,
                           gboolean    can_create)
{
  VouchTrustStore *self;

  g_return_val_if_fail (id != NULL && name != NULL && directory != NULL, NULL);

  self = trust_store_new (VOUCH_TRUST_STORE_KIND_NSS, id, name, directory);
  self->can_create = can_create;
  return self;
}

/**
 * vouch_trust_store_new_java:
 * @java_home: (nullable): the JDK's home, or %NULL when there is none
 */
VouchTrustStore *
vouch_trust_store_new_java (const char *java_home)
{
  g_autofree char *cacerts = NULL;
  VouchTrustStore *self;

  if (java_home != NULL)
    {
      cacerts = g_build_filename (java_home, "lib", "security", "cacerts", NULL);
      /* JDK 8 keeps it under jre/. */
      if (!g_file_test (cacerts, G_FILE_TEST_EXISTS))
        {
          g_autofree char *jre = g_build_filename (java_home, "jre", "lib", "security", "cacerts",
                                                   NULL);

          if (g_file_test (jre, G_FILE_TEST_EXISTS))
            {
              g_free (cacerts);
              cacerts = g_steal_pointer (&jre);
            }
        }
    }

  self = trust_store_new (VOUCH_TRUST_STORE_KIND_JAVA, "java", _("Java"), cacerts);
  if (java_home != NULL)
    self->tool = g_build_filename (java_home, "bin", "keytool", NULL);
  return self;
}

const char *
vouch_trust_store_get_id (VouchTrustStore *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), NULL);
  return self->id;
}

VouchTrustStoreKind
vouch_trust_store_get_kind (VouchTrustStore *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), 0);
  return self->kind;
}

const char *
vouch_trust_store_get_name (VouchTrustStore *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), NULL);
  return self->name;
}

/**
 * vouch_trust_store_get_path:
 *
 * Returns: (nullable): the anchor file, NSS directory or Java keystore
 */
const char *
vouch_trust_store_get_path (VouchTrustStore *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), NULL);
  return self->path;
}

VouchTrustStatus
vouch_trust_store_get_status (VouchTrustStore *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), VOUCH_TRUST_STATUS_UNKNOWN);
  return self->status;
}

/**
 * vouch_trust_store_get_message:
 *
 * Returns: (nullable): more about the status, for people, such as why it
 *   could not be read
 */
const char *
vouch_trust_store_get_message (VouchTrustStore *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), NULL);
  return self->message;
}

gboolean
vouch_trust_store_get_busy (VouchTrustStore *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), FALSE);
  return self->busy;
}

/**
 * vouch_trust_store_get_needs_admin:
 *
 * Returns: whether changing the store needs an administrator (a polkit
 *   prompt for the system store; a command to run for a system-wide JDK)
 */
gboolean
vouch_trust_store_get_needs_admin (VouchTrustStore *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), FALSE);
  return self->needs_admin;
}

VouchCertificate *
vouch_trust_store_get_certificate (VouchTrustStore *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), NULL);
  return self->certificate;
}

static void
set_status (VouchTrustStore  *self,
            VouchTrustStatus  status,
            const char       *message)
{
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (vouch_set_str (&self->message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

/**
 * vouch_trust_store_set_certificate:
 * @certificate: (nullable): the root to look for and install
 *
 * Changing the root forgets the status until the next refresh.
 */
void
vouch_trust_store_set_certificate (VouchTrustStore  *self,
                                   VouchCertificate *certificate)
{
  g_return_if_fail (VOUCH_IS_TRUST_STORE (self));
  g_return_if_fail (certificate == NULL || VOUCH_IS_CERTIFICATE (certificate));

  if (!g_set_object (&self->certificate, certificate))
    return;
  set_status (self, VOUCH_TRUST_STATUS_UNKNOWN, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE]);
}

/**
 * vouch_trust_store_dup_nickname:
 *
 * The name Vouch's entry has in this store. It carries the first 8 hex
 * digits of the root's SHA-256 so that uninstalling removes exactly our
 * entry and a second root never collides with the first.
 *
 * Returns: (nullable): the nickname or alias, or %NULL with no root
 */
char *
vouch_trust_store_dup_nickname (VouchTrustStore *self)
{
  g_autoptr(GString) prefix = g_string_new (NULL);
  const char *sha256;

  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), NULL);

  if (self->certificate == NULL)
    return NULL;
  sha256 = vouch_certificate_get_sha256 (self->certificate);
  for (const char *p = sha256; *p != '\0' && prefix->len < 8; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (prefix, g_ascii_tolower (*p));

  if (self->kind == VOUCH_TRUST_STORE_KIND_JAVA)
    return g_strdup_printf ("vouch-%s", prefix->str);
  return g_strdup_printf ("Vouch root %s", prefix->str);
}

static VouchTrustJob *
make_job (VouchTrustStore *self,
          VouchTrustJobOp  op)
{
  VouchTrustJob *job = g_new0 (VouchTrustJob, 1);

  job->op = op;
  job->kind = self->kind;
  job->path = g_strdup (self->path);
  job->root_prefix = g_strdup (self->root_prefix);
  job->tool = g_strdup (self->tool);
  job->can_create = self->can_create;
  job->nickname = vouch_trust_store_dup_nickname (self);
  job->needs_admin = self->needs_admin;
  if (self->certificate != NULL)
    {
      job->pem = g_strdup (vouch_certificate_get_pem (self->certificate));
      job->sha256 = g_strdup (vouch_certificate_get_sha256 (self->certificate));
    }
  return job;
}

static void
set_busy (VouchTrustStore *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
apply_job (VouchTrustStore *self,
           VouchTrustJob   *job)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_status (self, job->status, job->message);
  if (self->needs_admin != job->needs_admin)
    {
      self->needs_admin = job->needs_admin;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_ADMIN]);
    }
  set_busy (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
check_idle (VouchTrustStore  *self,
            GError          **error)
{
  if (!self->busy)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING, _("%s is being changed already"),
               self->name);
  return FALSE;
}

static gboolean
run_sync (VouchTrustStore  *self,
          VouchTrustJobOp   op,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autoptr(VouchTrustJob) job = NULL;
  gboolean ok;

  if (!check_idle (self, error))
    return FALSE;

  job = make_job (self, op);
  set_busy (self, TRUE);
  ok = _vouch_trust_job_run (job, cancellable, error);
  apply_job (self, job);
  return ok;
}

/**
 * vouch_trust_store_refresh:
 *
 * Reads the store's real state. Blocks: use the async variant from a GUI.
 */
gboolean
vouch_trust_store_refresh (VouchTrustStore  *self,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), FALSE);
  return run_sync (self, VOUCH_TRUST_JOB_REFRESH, cancellable, error);
}

/**
 * vouch_trust_store_install:
 *
 * Adds the root to the store, then reads the store again. For the system
 * store this asks for authentication through polkit unless the caller is
 * root. Installing into a store that already holds the root does nothing.
 */
gboolean
vouch_trust_store_install (VouchTrustStore  *self,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), FALSE);
  return run_sync (self, VOUCH_TRUST_JOB_INSTALL, cancellable, error);
}

/**
 * vouch_trust_store_uninstall:
 *
 * Removes the entry Vouch added for this root, and nothing else, then
 * reads the store again.
 */
gboolean
vouch_trust_store_uninstall (VouchTrustStore  *self,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_STORE (self), FALSE);
  return run_sync (self, VOUCH_TRUST_JOB_UNINSTALL, cancellable, error);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  VouchTrustJob *job = task_data;
  GError *error = NULL;

  if (_vouch_trust_job_run (job, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back on the main thread: show the store's state first, so the caller's
 * callback already sees it. */
static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  VouchTrustStore *self = VOUCH_TRUST_STORE (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  apply_job (self, g_task_get_task_data (G_TASK (result)));
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_async (VouchTrustStore     *self,
           VouchTrustJobOp      op,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) worker = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  if (!check_idle (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  set_busy (self, TRUE);
  worker = g_task_new (self, cancellable, job_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, source_tag);
  g_task_set_task_data (worker, make_job (self, op), (GDestroyNotify)_vouch_trust_job_free);
  g_task_run_in_thread (worker, job_thread);
}

static gboolean
run_finish (VouchTrustStore  *self,
            GAsyncResult     *result,
            gpointer          source_tag,
            GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
vouch_trust_store_refresh_async (VouchTrustStore     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_TRUST_STORE (self));
  run_async (self, VOUCH_TRUST_JOB_REFRESH, vouch_trust_store_refresh_async, cancellable,
             callback, user_data);
}

gboolean
vouch_trust_store_refresh_finish (VouchTrustStore  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  return run_finish (self, result, vouch_trust_store_refresh_async, error);
}

void
vouch_trust_store_install_async (VouchTrustStore     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_TRUST_STORE (self));
  run_async (self, VOUCH_TRUST_JOB_INSTALL, vouch_trust_store_install_async, cancellable,
             callback, user_data);
}

gboolean
vouch_trust_store_install_finish (VouchTrustStore  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  return run_finish (self, result, vouch_trust_store_install_async, error);
}

void
vouch_trust_store_uninstall_async (VouchTrustStore     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_TRUST_STORE (self));
  run_async (self, VOUCH_TRUST_JOB_UNINSTALL, vouch_trust_store_uninstall_async, cancellable,
             callback, user_data);
}

gboolean
vouch_trust_store_uninstall_finish (VouchTrustStore  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  return run_finish (self, result, vouch_trust_store_uninstall_async, error);
}

/**
 * vouch_trust_status_to_string:
 *
 * Returns: the status's stable name for scripts and JSON ("installed",
 *   "not-installed", "absent", "unknown")
 */
const char *
vouch_trust_status_to_string (VouchTrustStatus status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (VOUCH_TYPE_TRUST_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  return value != NULL ? value->value_nick : "unknown";
}

/**
 * vouch_trust_status_describe:
 *
 * Returns: the status in words, translated
 */
const char *
vouch_trust_status_describe (VouchTrustStatus status)
{
  switch (status)
    {
    case VOUCH_TRUST_STATUS_INSTALLED:
      return _("Installed");
    case VOUCH_TRUST_STATUS_NOT_INSTALLED:
      return _("Not installed");
    case VOUCH_TRUST_STATUS_ABSENT:
      return _("Not present on this machine");
    case VOUCH_TRUST_STATUS_UNKNOWN:
    default:
      return _("Unknown");
    }
}
