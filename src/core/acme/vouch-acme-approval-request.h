/* vouch-acme-approval-request.h: one ACME order the operator decides on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_ACME_APPROVAL_REQUEST (vouch_acme_approval_request_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeApprovalRequest, vouch_acme_approval_request,
                      VOUCH, ACME_APPROVAL_REQUEST, GObject)

VouchAcmeApprovalRequest *vouch_acme_approval_request_new (gint64              id,
                                                           const char         *thumbprint,
                                                           const char         *client_address,
                                                           const char * const *names,
                                                           const char         *state,
                                                           gint64              requested_at);
gint64              vouch_acme_approval_request_get_id             (VouchAcmeApprovalRequest *self);
const char         *vouch_acme_approval_request_get_thumbprint     (VouchAcmeApprovalRequest *self);
const char         *vouch_acme_approval_request_get_client_address (VouchAcmeApprovalRequest *self);
const char * const *vouch_acme_approval_request_get_names          (VouchAcmeApprovalRequest *self);
const char         *vouch_acme_approval_request_get_state          (VouchAcmeApprovalRequest *self);
gint64              vouch_acme_approval_request_get_requested_at   (VouchAcmeApprovalRequest *self);

G_END_DECLS
