/* vouch-signing-policy.h: what Vouch agrees to sign
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-name-constraints.h"
#include "vouch-signing-request.h"

G_BEGIN_DECLS

#define VOUCH_SIGNING_POLICY_DEFAULT_MAX_NAMES 100
#define VOUCH_SIGNING_POLICY_DEFAULT_MAX_INPUT (64 * 1024)

#define VOUCH_TYPE_SIGNING_POLICY (vouch_signing_policy_get_type ())

G_DECLARE_FINAL_TYPE (VouchSigningPolicy, vouch_signing_policy, VOUCH, SIGNING_POLICY, GObject)

VouchSigningPolicy   *vouch_signing_policy_new                (VouchNameConstraints  *constraints);
VouchNameConstraints *vouch_signing_policy_get_constraints    (VouchSigningPolicy    *self);
guint                 vouch_signing_policy_get_max_names      (VouchSigningPolicy    *self);
void                  vouch_signing_policy_set_max_names      (VouchSigningPolicy    *self,
                                                               guint                  max_names);
gsize                 vouch_signing_policy_get_max_input_size (VouchSigningPolicy    *self);
VouchSigningRequest  *vouch_signing_policy_check              (VouchSigningPolicy    *self,
                                                               const guint8          *data,
                                                               gsize                  len,
                                                               const char * const    *add_names,
                                                               const char * const    *remove_names,
                                                               GError               **error);
char                **vouch_signing_policy_dup_requested_names (VouchSigningPolicy *self,
                                                                const guint8       *data,
                                                                gsize               len,
                                                                GError            **error);

G_END_DECLS
