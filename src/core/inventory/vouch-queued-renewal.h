/* vouch-queued-renewal.h: a renewal waiting for its device to come back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_QUEUED_RENEWAL (vouch_queued_renewal_get_type ())

G_DECLARE_FINAL_TYPE (VouchQueuedRenewal, vouch_queued_renewal, VOUCH, QUEUED_RENEWAL, GObject)

VouchQueuedRenewal *vouch_queued_renewal_new             (const char         *device_id,
                                                          const char         *device_name,
                                                          const char         *reason,
                                                          gint64              queued_at,
                                                          guint               attempts);
const char         *vouch_queued_renewal_get_device_id   (VouchQueuedRenewal *self);
const char         *vouch_queued_renewal_get_device_name (VouchQueuedRenewal *self);
const char         *vouch_queued_renewal_get_reason      (VouchQueuedRenewal *self);
gint64              vouch_queued_renewal_get_queued_at   (VouchQueuedRenewal *self);
guint               vouch_queued_renewal_get_attempts    (VouchQueuedRenewal *self);

G_END_DECLS
