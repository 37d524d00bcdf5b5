/* vouch-inventory.h: the record of every certificate and event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-certificate.h"
#include "vouch-certificate-entry.h"
#include "vouch-device.h"
#include "vouch-queued-renewal.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_INVENTORY (vouch_inventory_get_type ())

G_DECLARE_FINAL_TYPE (VouchInventory, vouch_inventory, VOUCH, INVENTORY, GObject)

/**
 * VouchInventoryIssueFunc:
 *
 * Produces a certificate inside the inventory's transaction. It may be
 * called again if the serial it drew is already taken.
 */
typedef VouchCertificate *(*VouchInventoryIssueFunc) (gpointer   user_data,
                                                      GError   **error);

/**
 * VouchInventoryRecordFunc:
 * @cert: the certificate just recorded
 *
 * Records what else must be true once @cert exists (say, the ACME order
 * it answers becoming valid) in @cert's own transaction, on the
 * inventory's connection, with its lock held: both or neither. Returning
 * %FALSE undoes the transaction, and nothing is issued.
 */
typedef gboolean (*VouchInventoryRecordFunc) (VouchInventory    *inventory,
                                              VouchCertificate  *cert,
                                              gpointer           user_data,
                                              GError           **error);

VouchInventory   *vouch_inventory_open                    (const char               *path,
                                                           GError                  **error);
const char       *vouch_inventory_get_path                (VouchInventory           *self);
int               vouch_inventory_get_schema_version      (VouchInventory           *self);
VouchCertificate *vouch_inventory_issue                   (VouchInventory           *self,
                                                           const char               *root_sha256,
                                                           const char               *device_id,
                                                           VouchInventoryIssueFunc   issue_func,
                                                           gpointer                  user_data,
                                                           GError                  **error);
VouchCertificate *vouch_inventory_issue_audited           (VouchInventory           *self,
                                                           const char               *root_sha256,
                                                           const char               *device_id,
                                                           const char               *audit_event,
                                                           const char               *audit_detail,
                                                           VouchInventoryRecordFunc  record_func,
                                                           gpointer                  record_data,
                                                           VouchInventoryIssueFunc   issue_func,
                                                           gpointer                  user_data,
                                                           GError                  **error);
gboolean          vouch_inventory_sync                    (VouchInventory           *self,
                                                           GError                  **error);
gboolean          vouch_inventory_append_audit            (VouchInventory           *self,
                                                           const char               *event,
                                                           const char               *device_id,
                                                           const char               *serial,
                                                           const char               *detail,
                                                           GError                  **error);
GListModel       *vouch_inventory_list_certificates       (VouchInventory           *self,
                                                           GError                  **error);
VouchCertificate *vouch_inventory_lookup_certificate      (VouchInventory           *self,
                                                           const char               *serial,
                                                           GError                  **error);
gboolean          vouch_inventory_confirm_device          (VouchInventory           *self,
                                                           const char               *serial,
                                                           VouchDevice              *device,
                                                           GError                  **error);
gboolean          vouch_inventory_save_device             (VouchInventory           *self,
                                                           VouchDevice              *device,
                                                           GError                  **error);
gboolean          vouch_inventory_save_device_with_event  (VouchInventory           *self,
                                                           VouchDevice              *device,
                                                           const char               *event,
                                                           const char               *serial,
                                                           const char               *detail,
                                                           GError                  **error);
GListModel       *vouch_inventory_list_devices            (VouchInventory           *self,
                                                           GError                  **error);
VouchDevice      *vouch_inventory_lookup_device           (VouchInventory           *self,
                                                           const char               *id,
                                                           GError                  **error);
GListModel       *vouch_inventory_list_undelivered        (VouchInventory           *self,
                                                           const char               *device_id,
                                                           GError                  **error);
GListModel       *vouch_inventory_list_audit              (VouchInventory           *self,
                                                           const char               *device_id,
                                                           guint                     limit,
                                                           GError                  **error);

/* Expiry, revocation, reminders and the renewal queue
 * (vouch-inventory-lifecycle.c) */
GListModel       *vouch_inventory_list_entries            (VouchInventory           *self,
                                                           gint64                    now,
                                                           GError                  **error);
GListModel       *vouch_inventory_list_expiring           (VouchInventory           *self,
                                                           gint64                    now,
                                                           guint                     within_days,
                                                           GError                  **error);
char            **vouch_inventory_list_due_devices        (VouchInventory           *self,
                                                           gint64                    now,
                                                           guint                     within_days,
                                                           GError                  **error);
VouchCertificate *vouch_inventory_lookup_active           (VouchInventory           *self,
                                                           const char               *device_id,
                                                           GError                  **error);
GListModel       *vouch_inventory_list_active_under_root  (VouchInventory           *self,
                                                           const char               *root_sha256,
                                                           GError                  **error);
gboolean          vouch_inventory_revoke_certificate      (VouchInventory           *self,
                                                           const char               *serial,
                                                           VouchRevocationReason     reason,
                                                           gint64                    revoked_at,
                                                           GError                  **error);
GListModel       *vouch_inventory_list_revoked            (VouchInventory           *self,
                                                           const char               *root_sha256,
                                                           GError                  **error);
gboolean          vouch_inventory_has_reminder            (VouchInventory           *self,
                                                           const char               *subject,
                                                           int                       threshold);
gboolean          vouch_inventory_record_reminder         (VouchInventory           *self,
                                                           const char               *subject,
                                                           int                       threshold,
                                                           gint64                    at,
                                                           GError                  **error);
gboolean          vouch_inventory_queue_renewal           (VouchInventory           *self,
                                                           const char               *device_id,
                                                           const char               *reason,
                                                           gint64                    at,
                                                           GError                  **error);
gboolean          vouch_inventory_dequeue_renewal         (VouchInventory           *self,
                                                           const char               *device_id,
                                                           GError                  **error);
GListModel       *vouch_inventory_list_renewal_queue      (VouchInventory           *self,
                                                           GError                  **error);
VouchQueuedRenewal *vouch_inventory_lookup_queued_renewal (VouchInventory           *self,
                                                           const char               *device_id,
                                                           GError                  **error);

G_END_DECLS
