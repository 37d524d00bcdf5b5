/* vouch-reminder.h: which expiry reminders are due, shown once each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-expiry.h"
#include "vouch-inventory.h"
#include "vouch-root-ca.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_REMINDER (vouch_reminder_get_type ())

G_DECLARE_FINAL_TYPE (VouchReminder, vouch_reminder, VOUCH, REMINDER, GObject)

const char       *vouch_reminder_get_id          (VouchReminder   *self);
int               vouch_reminder_get_threshold   (VouchReminder   *self);
const char       *vouch_reminder_get_title       (VouchReminder   *self);
const char       *vouch_reminder_get_body        (VouchReminder   *self);
const char       *vouch_reminder_get_device_id   (VouchReminder   *self);
const char       *vouch_reminder_get_serial      (VouchReminder   *self);
gboolean          vouch_reminder_get_is_root     (VouchReminder   *self);
VouchExpiryClass  vouch_reminder_get_expiry_class (VouchReminder  *self);

GListModel       *vouch_reminder_list_due       (VouchInventory  *inventory,
                                                  VouchRootCa     *root,
                                                  gint64           now,
                                                  GError         **error);
GListModel       *vouch_reminder_take_due       (VouchInventory  *inventory,
                                                  VouchRootCa     *root,
                                                  gint64           now,
                                                  GError         **error);

G_END_DECLS
