/* vouch-queued-renewal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-queued-renewal.h"

/* A row of the renewal queue, with the reason shown to the person
 * ("Could not connect: connection refused") and how often it was tried. */
struct _VouchQueuedRenewal
{
  GObject  parent_instance;

  char    *device_id;
  char    *device_name;
  char    *reason;
  gint64   queued_at;
  guint    attempts;
};

enum {
  PROP_0,
  PROP_DEVICE_ID,
  PROP_DEVICE_NAME,
  PROP_REASON,
  PROP_QUEUED_AT,
  PROP_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchQueuedRenewal, vouch_queued_renewal, G_TYPE_OBJECT)

static void
vouch_queued_renewal_finalize (GObject *object)
{
  VouchQueuedRenewal *self = (VouchQueuedRenewal *)object;

  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (vouch_queued_renewal_parent_class)->finalize (object);
}

static void
vouch_queued_renewal_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VouchQueuedRenewal *self = VOUCH_QUEUED_RENEWAL (object);

  switch (prop_id)
    {
    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    case PROP_DEVICE_NAME:
      g_value_set_string (value, self->device_name);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_QUEUED_AT:
      g_value_set_int64 (value, self->queued_at);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_queued_renewal_class_init (VouchQueuedRenewalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vouch_queued_renewal_finalize;
  object_class->get_property = vouch_queued_renewal_get_property;

  properties[PROP_DEVICE_ID] = g_param_spec_string ("device-id", NULL, NULL, NULL, flags);
  properties[PROP_DEVICE_NAME] = g_param_spec_string ("device-name", NULL, NULL, NULL, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_QUEUED_AT] =
    g_param_spec_int64 ("queued-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_queued_renewal_init (VouchQueuedRenewal *self)
{
}

VouchQueuedRenewal *
vouch_queued_renewal_new (const char *device_id,
                          const char *device_name,
                          const char *reason,
                          gint64      queued_at,
                          guint       attempts)
{
  VouchQueuedRenewal *self;

  g_return_val_if_fail (device_id != NULL, NULL);

  self = g_object_new (VOUCH_TYPE_QUEUED_RENEWAL, NULL);
  self->device_id = g_strdup (device_id);
  self->device_name = g_strdup (device_name != NULL ? device_name : device_id);
  self->reason = g_strdup (reason);
  self->queued_at = queued_at;
  self->attempts = attempts;
  return self;
}

const char *
vouch_queued_renewal_get_device_id (VouchQueuedRenewal *self)
{
  g_return_val_if_fail (VOUCH_IS_QUEUED_RENEWAL (self), NULL);
  return self->device_id;
}

const char *
vouch_queued_renewal_get_device_name (VouchQueuedRenewal *self)
{
  g_return_val_if_fail (VOUCH_IS_QUEUED_RENEWAL (self), NULL);
  return self->device_name;
}

const char *
vouch_queued_renewal_get_reason (VouchQueuedRenewal *self)
{
  g_return_val_if_fail (VOUCH_IS_QUEUED_RENEWAL (self), NULL);
  return self->reason;
}

gint64
vouch_queued_renewal_get_queued_at (VouchQueuedRenewal *self)
{
  g_return_val_if_fail (VOUCH_IS_QUEUED_RENEWAL (self), 0);
  return self->queued_at;
}

guint
vouch_queued_renewal_get_attempts (VouchQueuedRenewal *self)
{
  g_return_val_if_fail (VOUCH_IS_QUEUED_RENEWAL (self), 0);
  return self->attempts;
}
