/* vouch-acme-policy.h: who may have which names
 *
 * The server asks its policy when an account orders names (newOrder) and
 * again before it issues (finalize, and every poll of an order that waits
 * for the operator). decide is therefore asked more than once for one
 * order and must answer the same until the operator decides: ALLOW,
 * PENDING (the order stays `processing` with Retry-After, so the client
 * keeps polling), or REFUSE with a VOUCH_ACME_ERROR (rejectedIdentifier,
 * unauthorized, rateLimited, …) that the client is sent as the problem.
 * acme-ops implements approval, EAB keys and open mode; approve/refuse of
 * pending orders live on that implementation, not here: the server only
 * asks again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vouch-acme-error.h"

G_BEGIN_DECLS

typedef enum
{
  VOUCH_ACME_DECISION_ALLOW,
  VOUCH_ACME_DECISION_PENDING,
  VOUCH_ACME_DECISION_REFUSE,
} VouchAcmeDecision;

/* What one order asks for. identifier_types[i] ("dns" or "ip") goes with
 * identifier_values[i]; both are NULL-terminated. */
typedef struct
{
  char  *account_id;
  char  *account_thumbprint;  /* base64url SHA-256 JWK thumbprint (RFC 7638) */
  char  *client_address;      /* the peer's IP address, as text */
  char  *order_id;
  char **identifier_types;
  char **identifier_values;
  char  *eab_key_id;          /* the account's External Account Binding key, or NULL */
} VouchAcmeRequest;

#define VOUCH_TYPE_ACME_REQUEST (vouch_acme_request_get_type ())

GType             vouch_acme_request_get_type (void) G_GNUC_CONST;
VouchAcmeRequest *vouch_acme_request_copy     (const VouchAcmeRequest *request);
void              vouch_acme_request_free     (VouchAcmeRequest       *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchAcmeRequest, vouch_acme_request_free)

#define VOUCH_TYPE_ACME_POLICY (vouch_acme_policy_get_type ())

G_DECLARE_INTERFACE (VouchAcmePolicy, vouch_acme_policy, VOUCH, ACME_POLICY, GObject)

struct _VouchAcmePolicyInterface
{
  GTypeInterface parent_iface;

  /* Directory meta.externalAccountRequired. */
  gboolean          (*get_external_account_required) (VouchAcmePolicy        *self);

  void              (*decide_async)          (VouchAcmePolicy        *self,
                                              const VouchAcmeRequest *request,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
  VouchAcmeDecision (*decide_finish)         (VouchAcmePolicy        *self,
                                              GAsyncResult           *result,
                                              GError                **error);

  /* The HMAC key of an External Account Binding key id, or an error
   * (unauthorized when unknown or revoked). */
  void              (*lookup_eab_key_async)  (VouchAcmePolicy        *self,
                                              const char             *key_id,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
  GBytes           *(*lookup_eab_key_finish) (VouchAcmePolicy        *self,
                                              GAsyncResult           *result,
                                              GError                **error);
};

gboolean          vouch_acme_policy_get_external_account_required (VouchAcmePolicy *self);
void              vouch_acme_policy_decide_async          (VouchAcmePolicy        *self,
                                                           const VouchAcmeRequest *request,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
VouchAcmeDecision vouch_acme_policy_decide_finish         (VouchAcmePolicy        *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
void              vouch_acme_policy_lookup_eab_key_async  (VouchAcmePolicy        *self,
                                                           const char             *key_id,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
GBytes           *vouch_acme_policy_lookup_eab_key_finish (VouchAcmePolicy        *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);

G_END_DECLS
