/* vouch-acme-approval-policy.h: the operator decides who gets which names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-acme-policy.h"
#include "vouch-inventory.h"
#include "vouch-name-constraints.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_ACME_APPROVAL_POLICY (vouch_acme_approval_policy_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeApprovalPolicy, vouch_acme_approval_policy,
                      VOUCH, ACME_APPROVAL_POLICY, GObject)

VouchAcmeApprovalPolicy *vouch_acme_approval_policy_new             (VouchInventory          *inventory,
                                                                     VouchNameConstraints    *constraints);
gboolean                 vouch_acme_approval_policy_get_open        (VouchAcmeApprovalPolicy *self);
void                     vouch_acme_approval_policy_set_open        (VouchAcmeApprovalPolicy *self,
                                                                     gboolean                 open);
void                     vouch_acme_approval_policy_set_external_account_required
                                                                    (VouchAcmeApprovalPolicy *self,
                                                                     gboolean                 required);
void                     vouch_acme_approval_policy_set_rate_limits (VouchAcmeApprovalPolicy *self,
                                                                     guint                    account_burst,
                                                                     guint                    account_seconds,
                                                                     guint                    address_burst,
                                                                     guint                    address_seconds);

G_END_DECLS
