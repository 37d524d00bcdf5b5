/* vouch-acme-open-policy.h: the policy the server starts with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-acme-policy.h"

G_BEGIN_DECLS

/* The starting policy: allows every order, and knows the EAB keys added
 * with vouch_acme_open_policy_add_eab_key() (in memory; for tests). */
#define VOUCH_TYPE_ACME_OPEN_POLICY (vouch_acme_open_policy_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeOpenPolicy, vouch_acme_open_policy, VOUCH, ACME_OPEN_POLICY, GObject)

VouchAcmeOpenPolicy *vouch_acme_open_policy_new          (void);
void                 vouch_acme_open_policy_add_eab_key  (VouchAcmeOpenPolicy *self,
                                                          const char          *key_id,
                                                          GBytes              *hmac_key);
void                 vouch_acme_open_policy_set_external_account_required (VouchAcmeOpenPolicy *self,
                                                                           gboolean             required);

G_END_DECLS
