/* vouch-bulk-onboarding.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-bulk-onboarding"

#include "vouch-config.h"

#include "vouch-bulk-onboarding.h"
#include "vouch-util.h"

#include "vouch-error.h"

#include <glib/gi18n-lib.h>

/* Runs at most `concurrency` onboardings at a time. A device's failure is
 * kept with the device and never stops the others; cancelling stops
 * starting new ones and cancels those under way. Progress is three
 * properties (done counts successes and failures alike) and a
 * ::device-finished signal per device. The run holds the authority's key
 * (vouch_authority_hold()) from its start to its end: read from the
 * keyring once, by the first signature, and wiped when the run ends.
 *
 * A root key on a token that goes away (pulled out, its PIN refused or
 * locked) stops the run cleanly: no new device starts, those under way
 * finish (their signatures fail before anything is issued or recorded),
 * and the run completes with the token's error. Those devices and the
 * ones never started stay in `queue`, and vouch_bulk_onboarding_resume_async()
 * goes on with exactly them once the token is back: nothing is issued
 * twice. */
struct _VouchBulkOnboarding
{
  GObject              parent_instance;

  VouchOnboarding     *onboarding;
  VouchAuthority      *holding;
  GListModel          *devices;
  GPtrArray           *queue;
  GPtrArray           *stopped;
  GError              *stop_error;
  GHashTable          *errors;
  GTask               *task;
  char               **add_names;
  char               **remove_names;
  char                *key_type;
  VouchOnboardOptions  options;
  guint                concurrency;
  guint                next;
  guint                done;
  guint                failed;
  guint                running;
};

enum {
  PROP_0,
  PROP_TOTAL,
  PROP_DONE,
  PROP_FAILED,
  PROP_RUNNING,
  N_PROPS
};

enum {
  DEVICE_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VouchBulkOnboarding, vouch_bulk_onboarding, G_TYPE_OBJECT)

static void
release_authority (VouchAuthority *authority)
{
  vouch_authority_release (authority);
  g_object_unref (authority);
}

static void
vouch_bulk_onboarding_dispose (GObject *object)
{
  VouchBulkOnboarding *self = (VouchBulkOnboarding *)object;

  g_clear_pointer (&self->holding, release_authority);
  g_clear_object (&self->onboarding);
  g_clear_object (&self->devices);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  g_clear_pointer (&self->stopped, g_ptr_array_unref);
  g_clear_error (&self->stop_error);
  g_clear_object (&self->task);
  g_clear_pointer (&self->errors, g_hash_table_unref);

  G_OBJECT_CLASS (vouch_bulk_onboarding_parent_class)->dispose (object);
}

static void
vouch_bulk_onboarding_finalize (GObject *object)
{
  VouchBulkOnboarding *self = (VouchBulkOnboarding *)object;

  g_clear_pointer (&self->add_names, g_strfreev);
  g_clear_pointer (&self->remove_names, g_strfreev);
  g_clear_pointer (&self->key_type, g_free);

  G_OBJECT_CLASS (vouch_bulk_onboarding_parent_class)->finalize (object);
}

static void
vouch_bulk_onboarding_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  VouchBulkOnboarding *self = VOUCH_BULK_ONBOARDING (object);

  switch (prop_id)
    {
    case PROP_TOTAL:
      g_value_set_uint (value, vouch_bulk_onboarding_get_total (self));
      break;

    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;

    case PROP_FAILED:
      g_value_set_uint (value, self->failed);
      break;

    case PROP_RUNNING:
      g_value_set_uint (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_bulk_onboarding_class_init (VouchBulkOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vouch_bulk_onboarding_dispose;
  object_class->finalize = vouch_bulk_onboarding_finalize;
  object_class->get_property = vouch_bulk_onboarding_get_property;

  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_DONE] = g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_FAILED] = g_param_spec_uint ("failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RUNNING] = g_param_spec_uint ("running", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VouchBulkOnboarding::device-finished:
   * @device: the device
   * @error: (nullable): why it failed, or %NULL
   */
  signals[DEVICE_FINISHED] =
    g_signal_new ("device-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, VOUCH_TYPE_DEVICE, G_TYPE_ERROR);
}

static void
vouch_bulk_onboarding_init (VouchBulkOnboarding *self)
{
  static const VouchOnboardOptions defaults = VOUCH_ONBOARD_OPTIONS_INIT;

  self->options = defaults;
  self->errors = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref,
                                        (GDestroyNotify)g_error_free);
  self->queue = g_ptr_array_new_with_free_func (g_object_unref);
  self->stopped = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * vouch_bulk_onboarding_new:
 * @devices: a #GListModel of #VouchDevice; its items are read once, when
 *   the run starts
 * @concurrency: onboardings at once; 0 for the default
 */
VouchBulkOnboarding *
vouch_bulk_onboarding_new (VouchOnboarding *onboarding,
                           GListModel      *devices,
                           guint            concurrency)
{
  VouchBulkOnboarding *self;

  g_return_val_if_fail (VOUCH_IS_ONBOARDING (onboarding), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (devices), NULL);

  self = g_object_new (VOUCH_TYPE_BULK_ONBOARDING, NULL);
  self->onboarding = g_object_ref (onboarding);
  self->devices = g_object_ref (devices);
  self->concurrency = concurrency > 0 ? MIN (concurrency, 64) : VOUCH_BULK_DEFAULT_CONCURRENCY;
  return self;
}

void
vouch_bulk_onboarding_set_options (VouchBulkOnboarding       *self,
                                   const VouchOnboardOptions *options)
{
  g_return_if_fail (VOUCH_IS_BULK_ONBOARDING (self));
  g_return_if_fail (options != NULL);

  g_strfreev (self->add_names);
  g_strfreev (self->remove_names);
  self->add_names = g_strdupv ((char **)options->add_names);
  self->remove_names = g_strdupv ((char **)options->remove_names);
  /* The caller's strings may be gone before the last device (or a
   * resumed run) starts. */
  vouch_set_str (&self->key_type, options->key_type);
  self->options = *options;
  self->options.key_type = self->key_type;
  self->options.add_names = (const char * const *)self->add_names;
  self->options.remove_names = (const char * const *)self->remove_names;
}

guint
vouch_bulk_onboarding_get_total (VouchBulkOnboarding *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ONBOARDING (self), 0);
  return g_list_model_get_n_items (self->devices);
}

guint
vouch_bulk_onboarding_get_done (VouchBulkOnboarding *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ONBOARDING (self), 0);
  return self->done;
}

guint
vouch_bulk_onboarding_get_failed (VouchBulkOnboarding *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ONBOARDING (self), 0);
  return self->failed;
}

/**
 * vouch_bulk_onboarding_get_error:
 *
 * Returns: (nullable): why @device failed in this run, or %NULL
 */
const GError *
vouch_bulk_onboarding_get_error (VouchBulkOnboarding *self,
                                 VouchDevice         *device)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ONBOARDING (self), NULL);
  return g_hash_table_lookup (self->errors, device);
}

static void start_more (VouchBulkOnboarding *self);

/* The root's key on a token that cannot sign now: every device would fail
 * the same way until the token is back. */
static gboolean
is_token_error (const GError *error)
{
  return error != NULL && error->domain == VOUCH_ERROR &&
         (error->code == VOUCH_ERROR_TOKEN_MODULE_MISSING ||
          error->code == VOUCH_ERROR_TOKEN_ABSENT ||
          error->code == VOUCH_ERROR_TOKEN_REMOVED ||
          error->code == VOUCH_ERROR_TOKEN_PIN_NEEDED ||
          error->code == VOUCH_ERROR_TOKEN_PIN_WRONG ||
          error->code == VOUCH_ERROR_TOKEN_PIN_LOCKED);
}

/* Each onboarding holds its run and its device until it finishes. */
typedef struct
{
  VouchBulkOnboarding *self;
  VouchDevice         *device;
} Slot;

static void
slot_free (Slot *slot)
{
  g_clear_object (&slot->self);
  g_clear_object (&slot->device);
  g_free (slot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Slot, slot_free)

static void
onboarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Slot) slot = user_data;
  VouchBulkOnboarding *self = slot->self;
  VouchDevice *device = slot->device;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = vouch_onboarding_onboard_finish (VOUCH_ONBOARDING (object), result, &error);

  self->running--;
  if (cert == NULL && is_token_error (error))
    {
      /* Not a device's failure: the device waits for the token. */
      g_ptr_array_add (self->stopped, g_object_ref (device));
      if (self->stop_error == NULL)
        self->stop_error = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      start_more (self);
      return;
    }
  self->done++;
  if (cert == NULL)
    {
      self->failed++;
      g_hash_table_replace (self->errors, g_object_ref (device), g_error_copy (error));
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  if (cert == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[DEVICE_FINISHED], 0, device, error);
  start_more (self);
}

static void
start_more (VouchBulkOnboarding *self)
{
  guint total = g_list_model_get_n_items (self->devices);
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  while (self->running < self->concurrency && self->next < self->queue->len &&
         self->stop_error == NULL && !g_cancellable_is_cancelled (cancellable))
    {
      Slot *slot = g_new0 (Slot, 1);

      slot->self = g_object_ref (self);
      slot->device = g_object_ref (g_ptr_array_index (self->queue, self->next++));
      self->running++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      vouch_onboarding_onboard_async (self->onboarding, slot->device, &self->options, cancellable,
                                      onboarded_cb, slot);
    }

  if (self->running == 0)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_clear_pointer (&self->holding, release_authority);

      if (self->stop_error != NULL)
        {
          /* What is left, for vouch_bulk_onboarding_resume_async(). */
          for (guint i = self->next; i < self->queue->len; i++)
            g_ptr_array_add (self->stopped, g_object_ref (g_ptr_array_index (self->queue, i)));
          g_ptr_array_set_size (self->queue, 0);
          self->next = 0;
          g_task_return_error (task, g_error_copy (self->stop_error));
        }
      else if (g_cancellable_is_cancelled (cancellable) && self->next < self->queue->len)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("Cancelled after %u of %u devices"), self->done, total);
      else
        g_task_return_boolean (task, self->failed == 0);
    }
}

static void start_run (VouchBulkOnboarding *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data);

/**
 * vouch_bulk_onboarding_run_async:
 *
 * Completes when every device has finished or the run was cancelled.
 * The result is %TRUE when every device succeeded; per-device errors are
 * kept for vouch_bulk_onboarding_get_error(). The root's key stays in
 * memory for the run, and is wiped before the run completes.
 */
void
vouch_bulk_onboarding_run_async (VouchBulkOnboarding *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_BULK_ONBOARDING (self));
  g_return_if_fail (self->task == NULL);

  g_ptr_array_set_size (self->queue, 0);
  g_ptr_array_set_size (self->stopped, 0);
  for (guint i = 0; i < g_list_model_get_n_items (self->devices); i++)
    g_ptr_array_add (self->queue, g_list_model_get_item (self->devices, i));
  self->done = 0;
  self->failed = 0;
  g_hash_table_remove_all (self->errors);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  start_run (self, cancellable, callback, user_data);
}

/**
 * vouch_bulk_onboarding_get_stopped:
 *
 * Returns: how many devices wait for the root's token after a run stopped
 *   for it; vouch_bulk_onboarding_resume_async() goes on with them
 */
guint
vouch_bulk_onboarding_get_stopped (VouchBulkOnboarding *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ONBOARDING (self), 0);
  return self->stopped->len;
}

/**
 * vouch_bulk_onboarding_resume_async:
 *
 * Goes on with a run that stopped because the root's token could not
 * sign: only the devices that were not onboarded, each once. Progress
 * counts on from where the run stopped.
 */
void
vouch_bulk_onboarding_resume_async (VouchBulkOnboarding *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_BULK_ONBOARDING (self));
  g_return_if_fail (self->task == NULL);

  g_ptr_array_set_size (self->queue, 0);
  g_ptr_array_extend_and_steal (self->queue, g_steal_pointer (&self->stopped));
  self->stopped = g_ptr_array_new_with_free_func (g_object_unref);
  start_run (self, cancellable, callback, user_data);
}

static void
start_run (VouchBulkOnboarding *self,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, vouch_bulk_onboarding_run_async);
  self->holding = g_object_ref (vouch_onboarding_get_authority (self->onboarding));
  vouch_authority_hold (self->holding);
  self->next = 0;
  g_clear_error (&self->stop_error);
  start_more (self);
}

gboolean
vouch_bulk_onboarding_run_finish (VouchBulkOnboarding  *self,
                                  GAsyncResult         *result,
                                  GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
