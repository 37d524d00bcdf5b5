/* vouch-acme-rate-limiter.h: token buckets, one per key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The defaults, in README and docs/acme.md: a LAN device orders a
 * certificate every few weeks; these only stop a client in a loop. */
#define VOUCH_ACME_RATE_ACCOUNT_BURST 20
#define VOUCH_ACME_RATE_ACCOUNT_SECONDS 60
#define VOUCH_ACME_RATE_ADDRESS_BURST 60
#define VOUCH_ACME_RATE_ADDRESS_SECONDS 20

#define VOUCH_TYPE_ACME_RATE_LIMITER (vouch_acme_rate_limiter_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeRateLimiter, vouch_acme_rate_limiter, VOUCH, ACME_RATE_LIMITER, GObject)

VouchAcmeRateLimiter *vouch_acme_rate_limiter_new  (guint                 burst,
                                                    guint                 seconds_per_token);
gboolean              vouch_acme_rate_limiter_take (VouchAcmeRateLimiter *self,
                                                    const char           *key,
                                                    gint64               *out_retry_seconds);

G_END_DECLS
