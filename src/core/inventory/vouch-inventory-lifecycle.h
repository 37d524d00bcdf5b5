/* vouch-inventory-lifecycle.h: expiry, revocation, reminders and the
 * renewal queue, as the inventory records them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-certificate-entry.h"
#include "vouch-inventory.h"
#include "vouch-queued-renewal.h"

G_BEGIN_DECLS

GListModel       *vouch_inventory_list_entries             (VouchInventory         *self,
                                                            gint64                  now,
                                                            GError                **error);
GListModel       *vouch_inventory_list_expiring            (VouchInventory         *self,
                                                            gint64                  now,
                                                            guint                   within_days,
                                                            GError                **error);
char            **vouch_inventory_list_due_devices         (VouchInventory         *self,
                                                            gint64                  now,
                                                            guint                   within_days,
                                                            GError                **error);
VouchCertificate *vouch_inventory_lookup_active            (VouchInventory         *self,
                                                            const char             *device_id,
                                                            GError                **error);
GListModel       *vouch_inventory_list_active_under_root   (VouchInventory         *self,
                                                            const char             *root_sha256,
                                                            GError                **error);
gboolean          vouch_inventory_revoke_certificate       (VouchInventory         *self,
                                                            const char             *serial,
                                                            VouchRevocationReason   reason,
                                                            gint64                  revoked_at,
                                                            GError                **error);
GListModel       *vouch_inventory_list_revoked             (VouchInventory         *self,
                                                            const char             *root_sha256,
                                                            GError                **error);
gboolean          vouch_inventory_has_reminder             (VouchInventory         *self,
                                                            const char             *subject,
                                                            int                     threshold);
gboolean          vouch_inventory_record_reminder          (VouchInventory         *self,
                                                            const char             *subject,
                                                            int                     threshold,
                                                            gint64                  at,
                                                            GError                **error);
gboolean          vouch_inventory_queue_renewal            (VouchInventory         *self,
                                                            const char             *device_id,
                                                            const char             *reason,
                                                            gint64                  at,
                                                            GError                **error);
gboolean          vouch_inventory_dequeue_renewal          (VouchInventory         *self,
                                                            const char             *device_id,
                                                            GError                **error);
GListModel       *vouch_inventory_list_renewal_queue       (VouchInventory         *self,
                                                            GError                **error);
VouchQueuedRenewal *vouch_inventory_lookup_queued_renewal  (VouchInventory         *self,
                                                            const char             *device_id,
                                                            GError                **error);

G_END_DECLS
