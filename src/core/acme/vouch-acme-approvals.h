/* vouch-acme-approvals.h: the ACME operator's decisions, kept in the inventory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-acme-approval-request.h"
#include "vouch-acme-eab-key.h"
#include "vouch-inventory.h"

G_BEGIN_DECLS

char            *vouch_acme_approvals_check          (VouchInventory      *inventory,
                                                      const char          *thumbprint,
                                                      const char          *client_address,
                                                      const char * const  *names,
                                                      GError             **error);
GListModel      *vouch_acme_approvals_list           (VouchInventory      *inventory,
                                                      gboolean             pending_only,
                                                      GError             **error);
gint64           vouch_acme_approvals_count_unsigned (VouchInventory      *inventory,
                                                      GError             **error);
gboolean         vouch_acme_approvals_decide         (VouchInventory      *inventory,
                                                      gint64               id,
                                                      gboolean             approve,
                                                      GError             **error);
void             vouch_acme_approvals_audit_refusal  (VouchInventory      *inventory,
                                                      const char          *thumbprint,
                                                      const char          *client_address,
                                                      const char * const  *names,
                                                      const GError        *reason);
gboolean         vouch_acme_approvals_add_eab_key    (VouchInventory      *inventory,
                                                      const char          *id,
                                                      const char * const  *patterns,
                                                      GError             **error);
VouchAcmeEabKey *vouch_acme_approvals_lookup_eab_key (VouchInventory      *inventory,
                                                      const char          *id,
                                                      GError             **error);
GListModel      *vouch_acme_approvals_list_eab_keys  (VouchInventory      *inventory,
                                                      GError             **error);
gboolean         vouch_acme_approvals_revoke_eab_key (VouchInventory      *inventory,
                                                      const char          *id,
                                                      GError             **error);

G_END_DECLS
