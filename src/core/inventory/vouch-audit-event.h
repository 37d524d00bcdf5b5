/* vouch-audit-event.h: one entry of the audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_AUDIT_EVENT (vouch_audit_event_get_type ())

G_DECLARE_FINAL_TYPE (VouchAuditEvent, vouch_audit_event, VOUCH, AUDIT_EVENT, GObject)

VouchAuditEvent *vouch_audit_event_new           (gint64            id,
                                                  gint64            at,
                                                  const char       *event,
                                                  const char       *device_id,
                                                  const char       *serial,
                                                  const char       *detail);
gint64           vouch_audit_event_get_id        (VouchAuditEvent *self);
gint64           vouch_audit_event_get_at        (VouchAuditEvent *self);
const char      *vouch_audit_event_get_event     (VouchAuditEvent *self);
const char      *vouch_audit_event_get_device_id (VouchAuditEvent *self);
const char      *vouch_audit_event_get_serial    (VouchAuditEvent *self);
const char      *vouch_audit_event_get_detail    (VouchAuditEvent *self);
char            *vouch_audit_event_dup_summary   (VouchAuditEvent *self);

G_END_DECLS
