/* vouch-acme-network-validator-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-acme-network-validator.h"

G_BEGIN_DECLS

/* Resolves an identifier to the addresses the validator may connect to
 * (vouch-acme-resolve.c): `.local` over mDNS, other names through
 * GResolver, addresses as they are. Fails with dns or
 * rejectedIdentifier. Returns a GPtrArray of GInetAddress. */
void       _vouch_acme_resolve_async         (VouchAcmeNetworkValidator  *self,
                                              const char                 *identifier_type,
                                              const char                 *identifier_value,
                                              GCancellable               *cancellable,
                                              GAsyncReadyCallback         callback,
                                              gpointer                    user_data);
GPtrArray *_vouch_acme_resolve_finish        (GAsyncResult               *result,
                                              GError                    **error);

/* One challenge each; @cancellable already carries the deadline. */
void       _vouch_acme_http01_async          (VouchAcmeNetworkValidator  *self,
                                              const char                 *identifier_type,
                                              const char                 *identifier_value,
                                              GInetAddress               *address,
                                              const char                 *token,
                                              const char                 *key_authorization,
                                              GCancellable               *cancellable,
                                              GAsyncReadyCallback         callback,
                                              gpointer                    user_data);
void       _vouch_acme_tls_alpn01_async      (VouchAcmeNetworkValidator  *self,
                                              const char                 *identifier_type,
                                              const char                 *identifier_value,
                                              GInetAddress               *address,
                                              const char                 *key_authorization,
                                              GCancellable               *cancellable,
                                              GAsyncReadyCallback         callback,
                                              gpointer                    user_data);
gboolean   _vouch_acme_challenge_finish      (GAsyncResult               *result,
                                              GError                    **error);

G_END_DECLS
