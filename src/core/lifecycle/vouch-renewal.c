/* vouch-renewal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-renewal"

#include "vouch-config.h"

#include "vouch-renewal.h"

#include "vouch-clock.h"
#include "vouch-error.h"
#include "vouch-inventory.h"

#include <glib/gi18n-lib.h>

/* A renewal is an onboarding of a verified, pinned device with the
 * default options: a fresh CSR for a new key, signed, pushed and
 * confirmed; confirming supersedes the old certificate. What renewal adds
 * is the bookkeeping around it. A device that cannot be reached is put in
 * the inventory's renewal queue with the reason; the queue is watched, and
 * when discovery (or anyone) marks a queued device online again it is
 * retried, at most VOUCH_RENEWAL_MAX_ATTEMPTS times. A renewal that
 * succeeds takes the device off the queue. */
struct _VouchRenewal
{
  GObject          parent_instance;

  VouchOnboarding *onboarding;
  VouchDiscovery  *discovery;
  GListStore      *queue;
  GHashTable      *watched;
  GHashTable      *running;
  GCancellable    *cancellable;
};

enum {
  PROP_0,
  PROP_ONBOARDING,
  PROP_DISCOVERY,
  PROP_QUEUE,
  N_PROPS
};

enum {
  DEVICE_RENEWED,
  DEVICE_QUEUED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VouchRenewal, vouch_renewal, G_TYPE_OBJECT)

static void     vouch_renewal_watch        (VouchRenewal  *self,
                                            VouchDevice   *device);
static gboolean vouch_renewal_reload_queue (VouchRenewal  *self,
                                            GError       **error);

static VouchInventory *
inventory (VouchRenewal *self)
{
  return vouch_authority_get_inventory (vouch_onboarding_get_authority (self->onboarding));
}

static void
vouch_renewal_dispose (GObject *object)
{
  VouchRenewal *self = (VouchRenewal *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_pointer (&self->running, g_hash_table_unref);
  g_clear_object (&self->queue);
  g_clear_object (&self->discovery);
  g_clear_object (&self->onboarding);

  G_OBJECT_CLASS (vouch_renewal_parent_class)->dispose (object);
}

static void
vouch_renewal_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VouchRenewal *self = VOUCH_RENEWAL (object);

  switch (prop_id)
    {
    case PROP_ONBOARDING:
      g_value_set_object (value, self->onboarding);
      break;
    case PROP_DISCOVERY:
      g_value_set_object (value, self->discovery);
      break;
    case PROP_QUEUE:
      g_value_set_object (value, self->queue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_renewal_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VouchRenewal *self = VOUCH_RENEWAL (object);

  switch (prop_id)
    {
    case PROP_ONBOARDING:
      self->onboarding = g_value_dup_object (value);
      break;
    case PROP_DISCOVERY:
      self->discovery = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void discovery_items_changed_cb (GListModel   *model,
                                        guint         position,
                                        guint         removed,
                                        guint         added,
                                        VouchRenewal *self);

static void
vouch_renewal_constructed (GObject *object)
{
  VouchRenewal *self = (VouchRenewal *)object;
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (vouch_renewal_parent_class)->constructed (object);

  if (!vouch_renewal_reload_queue (self, &error))
    g_message ("Could not read the renewal queue: %s", error->message);

  if (self->discovery != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->discovery));

      g_signal_connect_object (self->discovery, "items-changed",
                               G_CALLBACK (discovery_items_changed_cb), self, 0);
      discovery_items_changed_cb (G_LIST_MODEL (self->discovery), 0, 0, n, self);
    }
}

static void
vouch_renewal_class_init (VouchRenewalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vouch_renewal_constructed;
  object_class->dispose = vouch_renewal_dispose;
  object_class->get_property = vouch_renewal_get_property;
  object_class->set_property = vouch_renewal_set_property;

  properties[PROP_ONBOARDING] =
    g_param_spec_object ("onboarding", NULL, NULL, VOUCH_TYPE_ONBOARDING,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DISCOVERY] =
    g_param_spec_object ("discovery", NULL, NULL, VOUCH_TYPE_DISCOVERY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_QUEUE] =
    g_param_spec_object ("queue", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VouchRenewal::device-renewed:
   * @device: the device, now serving @certificate
   */
  signals[DEVICE_RENEWED] =
    g_signal_new ("device-renewed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, VOUCH_TYPE_DEVICE);

  /**
   * VouchRenewal::device-queued:
   * @device: the device that could not be reached
   * @reason: why, for the person to read
   */
  signals[DEVICE_QUEUED] =
    g_signal_new ("device-queued", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, VOUCH_TYPE_DEVICE, G_TYPE_STRING);
}

static void
vouch_renewal_init (VouchRenewal *self)
{
  self->queue = g_list_store_new (VOUCH_TYPE_QUEUED_RENEWAL);
  self->watched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->running = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

/**
 * vouch_renewal_new:
 * @discovery: (nullable): the live device list; queued devices are
 *   retried when it shows them online again
 */
VouchRenewal *
vouch_renewal_new (VouchOnboarding *onboarding,
                   VouchDiscovery  *discovery)
{
  g_return_val_if_fail (VOUCH_IS_ONBOARDING (onboarding), NULL);
  g_return_val_if_fail (discovery == NULL || VOUCH_IS_DISCOVERY (discovery), NULL);

  return g_object_new (VOUCH_TYPE_RENEWAL, "onboarding", onboarding, "discovery", discovery, NULL);
}

/**
 * vouch_renewal_get_queue:
 *
 * Returns: (transfer none): a #GListModel of #VouchQueuedRenewal that
 *   follows the queue
 */
GListModel *
vouch_renewal_get_queue (VouchRenewal *self)
{
  g_return_val_if_fail (VOUCH_IS_RENEWAL (self), NULL);
  return G_LIST_MODEL (self->queue);
}

/**
 * vouch_renewal_reload_queue:
 *
 * Reads the queue from the inventory again, for example after vouchctl
 * or the timer changed it.
 */
static gboolean
vouch_renewal_reload_queue (VouchRenewal  *self,
                            GError       **error)
{
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (VOUCH_IS_RENEWAL (self), FALSE);

  rows = vouch_inventory_list_renewal_queue (inventory (self), error);
  if (rows == NULL)
    return FALSE;

  n = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (rows, i));
  g_list_store_splice (self->queue, 0, g_list_model_get_n_items (G_LIST_MODEL (self->queue)),
                       items->pdata, items->len);
  return TRUE;
}

/**
 * vouch_renewal_error_is_offline:
 *
 * Returns: %TRUE if @error means the device was away (unreachable, timed
 *   out, or no address known), so the renewal should wait for it, rather
 *   than that the device or the policy refused
 */
gboolean
vouch_renewal_error_is_offline (const GError *error)
{
  return error != NULL && g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE);
}

static void maybe_retry (VouchRenewal *self,
                         VouchDevice  *device);

/* Records how a renewal ended: off the queue when renewed, on it (with
 * the reason) when the device was away. Any other failure is reported by
 * the caller and in the audit log, and leaves the queue alone. */
static void
record_result (VouchRenewal *self,
               VouchDevice  *device,
               const GError *error)
{
  g_autoptr(GError) local_error = NULL;
  const char *id = vouch_device_get_id (device);

  if (error == NULL)
    {
      if (!vouch_inventory_dequeue_renewal (inventory (self), id, &local_error))
        g_message ("Could not update the renewal queue: %s", local_error->message);
      g_clear_error (&local_error);
      if (!vouch_renewal_reload_queue (self, &local_error))
        g_message ("Could not read the renewal queue: %s", local_error->message);
      g_signal_emit (self, signals[DEVICE_RENEWED], 0, device);
      return;
    }

  if (!vouch_renewal_error_is_offline (error))
    return;

  if (!vouch_inventory_queue_renewal (inventory (self), id, error->message, vouch_clock_now (),
                                      &local_error))
    g_message ("Could not queue the renewal of %s: %s", id, local_error->message);
  g_clear_error (&local_error);
  if (!vouch_renewal_reload_queue (self, &local_error))
    g_message ("Could not read the renewal queue: %s", local_error->message);
  vouch_renewal_watch (self, device);
  g_signal_emit (self, signals[DEVICE_QUEUED], 0, device, error->message);
}

static void
bulk_device_finished_cb (VouchBulkOnboarding *bulk,
                         VouchDevice         *device,
                         const GError        *error,
                         VouchRenewal        *self)
{
  record_result (self, device, error);
}

static VouchDevice *
find_device (VouchRenewal  *self,
             const char    *id,
             GError       **error)
{
  VouchDevice *device = NULL;

  if (self->discovery != NULL)
    device = vouch_discovery_lookup (self->discovery, id);
  if (device != NULL)
    return g_object_ref (device);

  device = g_hash_table_lookup (self->watched, id);
  if (device != NULL)
    return g_object_ref (device);

  return vouch_inventory_lookup_device (inventory (self), id, error);
}

/**
 * vouch_renewal_list_due:
 * @now: usually vouch_clock_now()
 * @within_days: renew what expires within this many days
 *
 * The devices to renew: every device whose active certificate expires
 * within @within_days, and every queued device. Devices discovery shows
 * are returned as discovery's objects, so their online state is live;
 * the others come from the inventory.
 *
 * Returns: (transfer full): a #GListModel of #VouchDevice
 */
GListModel *
vouch_renewal_list_due (VouchRenewal  *self,
                        gint64         now,
                        guint          within_days,
                        GError       **error)
{
  g_autoptr(GListStore) devices = g_list_store_new (VOUCH_TYPE_DEVICE);
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (VOUCH_IS_RENEWAL (self), NULL);

  ids = vouch_inventory_list_due_devices (inventory (self), now, within_days, error);
  if (ids == NULL)
    return NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(VouchDevice) device = find_device (self, ids[i], error);

      if (error != NULL && *error != NULL)
        return NULL;
      /* A certificate signed by hand for a device Vouch never onboarded
       * has no device record to renew through. */
      if (device != NULL)
        g_list_store_append (devices, device);
    }

  return G_LIST_MODEL (g_steal_pointer (&devices));
}

/**
 * vouch_renewal_create_bulk:
 * @devices: a #GListModel of #VouchDevice, usually from
 *   vouch_renewal_list_due()
 *
 * A bulk onboarding with default options (a new key for every device)
 * whose results feed the renewal queue. Run it with
 * vouch_bulk_onboarding_run_async(); a device reported failed with
 * %VOUCH_ERROR_DEVICE_UNREACHABLE has been queued.
 *
 * Returns: (transfer full): the bulk onboarding, not yet started
 */
VouchBulkOnboarding *
vouch_renewal_create_bulk (VouchRenewal *self,
                           GListModel   *devices,
                           guint         concurrency)
{
  VouchBulkOnboarding *bulk;

  g_return_val_if_fail (VOUCH_IS_RENEWAL (self), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (devices), NULL);

  bulk = vouch_bulk_onboarding_new (self->onboarding, devices, concurrency);
  g_signal_connect_object (bulk, "device-finished", G_CALLBACK (bulk_device_finished_cb), self, 0);
  return bulk;
}

static void
renew_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchRenewal *self = g_task_get_source_object (task);
  VouchDevice *device = g_task_get_task_data (task);
  g_autoptr(VouchCertificate) cert = NULL;
  GError *error = NULL;

  g_hash_table_remove (self->running, vouch_device_get_id (device));
  cert = vouch_onboarding_onboard_finish (VOUCH_ONBOARDING (object), result, &error);
  record_result (self, device, error);

  if (cert == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&cert), g_object_unref);
}

/**
 * vouch_renewal_renew_async:
 * @device: a verified device; also how a “names changed” device is
 *   re-issued
 *
 * Renews one device now. If it cannot be reached it is queued, and the
 * call fails with %VOUCH_ERROR_DEVICE_UNREACHABLE.
 */
void
vouch_renewal_renew_async (VouchRenewal        *self,
                           VouchDevice         *device,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VOUCH_IS_RENEWAL (self));
  g_return_if_fail (VOUCH_IS_DEVICE (device));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_renewal_renew_async);
  g_task_set_task_data (task, g_object_ref (device), g_object_unref);

  if (!g_hash_table_add (self->running, g_strdup (vouch_device_get_id (device))))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("“%s” is already being renewed"), vouch_device_get_name (device));
      return;
    }

  vouch_onboarding_onboard_async (self->onboarding, device, NULL, cancellable, renew_cb,
                                  g_steal_pointer (&task));
}

/**
 * vouch_renewal_renew_finish:
 *
 * Returns: (transfer full): the new certificate, now active
 */
VouchCertificate *
vouch_renewal_renew_finish (VouchRenewal  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
retry_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  /* The outcome is already in the queue and the audit log. */
  cert = vouch_renewal_renew_finish (VOUCH_RENEWAL (object), result, &error);
  if (cert == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Retrying a queued renewal failed: %s", error->message);
}

static void
maybe_retry (VouchRenewal *self,
             VouchDevice  *device)
{
  g_autoptr(VouchQueuedRenewal) queued = NULL;

  if (!vouch_device_get_online (device) ||
      g_hash_table_contains (self->running, vouch_device_get_id (device)))
    return;

  queued = vouch_inventory_lookup_queued_renewal (inventory (self), vouch_device_get_id (device),
                                                  NULL);
  if (queued == NULL || vouch_queued_renewal_get_attempts (queued) >= VOUCH_RENEWAL_MAX_ATTEMPTS)
    return;

  vouch_renewal_renew_async (self, device, self->cancellable, retry_cb, NULL);
}

static void
device_online_cb (VouchDevice  *device,
                  GParamSpec   *pspec,
                  VouchRenewal *self)
{
  maybe_retry (self, device);
}

/**
 * vouch_renewal_watch:
 *
 * Retries @device's queued renewal when it comes online. Devices that
 * discovery lists, and devices queued through this object, are watched
 * already.
 */
static void
vouch_renewal_watch (VouchRenewal *self,
                     VouchDevice  *device)
{
  g_return_if_fail (VOUCH_IS_RENEWAL (self));
  g_return_if_fail (VOUCH_IS_DEVICE (device));

  if (g_hash_table_lookup (self->watched, vouch_device_get_id (device)) == device)
    return;

  g_hash_table_replace (self->watched, g_strdup (vouch_device_get_id (device)),
                        g_object_ref (device));
  g_signal_connect_object (device, "notify::online", G_CALLBACK (device_online_cb), self, 0);
}

static void
discovery_items_changed_cb (GListModel   *model,
                            guint         position,
                            guint         removed,
                            guint         added,
                            VouchRenewal *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);
      g_autoptr(VouchQueuedRenewal) queued = NULL;

      queued = vouch_inventory_lookup_queued_renewal (inventory (self),
                                                      vouch_device_get_id (device), NULL);
      if (queued == NULL)
        continue;
      vouch_renewal_watch (self, device);
      maybe_retry (self, device);
    }
}

static gboolean
names_contain (const char * const *names,
               const char         *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (names[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
names_contain_address (const char * const *names,
                       GInetAddress       *address)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) other = g_inet_address_new_from_string (names[i]);

      if (other != NULL && g_inet_address_equal (other, address))
        return TRUE;
    }
  return FALSE;
}

static gboolean
names_have_family (const char * const *names,
                   GSocketFamily       family)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (names[i]);

      if (address != NULL && g_inet_address_get_family (address) == family)
        return TRUE;
    }
  return FALSE;
}

/**
 * vouch_renewal_needs_reissue:
 * @active: (nullable): the certificate the device serves
 * @out_reason: (out) (optional): why, for the flag “names changed,
 *   re-issue”
 *
 * A device needs a new certificate before expiry when it says so (its
 * TXT record's state is needs-renewal) or when its name or an address is
 * not in its certificate. Link-local addresses never are, and addresses
 * of a family the certificate has none of were never asked for, so
 * neither counts.
 *
 * Returns: %TRUE if @device should be re-issued; re-issuing is
 *   vouch_renewal_renew_async()
 */
gboolean
vouch_renewal_needs_reissue (VouchDevice       *device,
                             VouchCertificate  *active,
                             char             **out_reason)
{
  const char * const *names;
  const char * const *addresses;
  g_autofree char *host = NULL;

  g_return_val_if_fail (VOUCH_IS_DEVICE (device), FALSE);
  g_return_val_if_fail (active == NULL || VOUCH_IS_CERTIFICATE (active), FALSE);

  if (active == NULL)
    return FALSE;

  names = vouch_certificate_get_names (active);
  if (vouch_device_get_state (device) == VOUCH_DEVICE_STATE_NEEDS_RENEWAL)
    {
      if (out_reason != NULL)
        *out_reason = g_strdup (_("The device reports that its names changed"));
      return TRUE;
    }

  host = g_strdup (vouch_device_get_host (device));
  if (host != NULL && g_str_has_suffix (host, "."))
    host[strlen (host) - 1] = '\0';
  if (host != NULL && *host != '\0' && !names_contain (names, host))
    {
      if (out_reason != NULL)
        *out_reason = g_strdup_printf (_("Its name %s is not in its certificate"), host);
      return TRUE;
    }

  addresses = vouch_device_get_addresses (device);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (addresses[i]);

      if (address == NULL || g_inet_address_get_is_link_local (address) ||
          !names_have_family (names, g_inet_address_get_family (address)))
        continue;
      if (!names_contain_address (names, address))
        {
          if (out_reason != NULL)
            *out_reason = g_strdup_printf (_("Its address %s is not in its certificate"),
                                           addresses[i]);
          return TRUE;
        }
    }

  return FALSE;
}
