/* vouch-acme-rate-limiter.c
 *
 * A token bucket per key (an account's thumbprint, a client's address):
 * it holds up to `burst` tokens, each order takes one, and one comes back
 * every `seconds_per_token`. Time is the monotonic clock, so changing the
 * wall clock neither empties nor fills a bucket. Buckets that are full
 * again are forgotten, so memory stays bounded by the clients active in
 * the last burst × seconds_per_token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-rate-limiter"

#include "vouch-config.h"

#include "vouch-acme-rate-limiter.h"

typedef struct
{
  double tokens;
  gint64 updated;
} Bucket;

struct _VouchAcmeRateLimiter
{
  GObject     parent_instance;

  GMutex      mutex;
  GHashTable *buckets;
  guint       burst;
  guint       seconds_per_token;
};

G_DEFINE_FINAL_TYPE (VouchAcmeRateLimiter, vouch_acme_rate_limiter, G_TYPE_OBJECT)

static void
vouch_acme_rate_limiter_finalize (GObject *object)
{
  VouchAcmeRateLimiter *self = (VouchAcmeRateLimiter *)object;

  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (vouch_acme_rate_limiter_parent_class)->finalize (object);
}

static void
vouch_acme_rate_limiter_class_init (VouchAcmeRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vouch_acme_rate_limiter_finalize;
}

static void
vouch_acme_rate_limiter_init (VouchAcmeRateLimiter *self)
{
  g_mutex_init (&self->mutex);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

VouchAcmeRateLimiter *
vouch_acme_rate_limiter_new (guint burst,
                             guint seconds_per_token)
{
  VouchAcmeRateLimiter *self = g_object_new (VOUCH_TYPE_ACME_RATE_LIMITER, NULL);

  self->burst = MAX (burst, 1);
  self->seconds_per_token = MAX (seconds_per_token, 1);
  return self;
}

static gboolean
is_full_cb (gpointer key,
            gpointer value,
            gpointer user_data)
{
  VouchAcmeRateLimiter *self = user_data;
  Bucket *bucket = value;
  gint64 now = g_get_monotonic_time ();

  return bucket->tokens + (double)(now - bucket->updated) / G_USEC_PER_SEC /
         self->seconds_per_token >= self->burst;
}

/**
 * vouch_acme_rate_limiter_take:
 * @out_retry_seconds: (out) (optional): when refused, how long until a
 *   token is back (for Retry-After)
 *
 * Returns: whether @key had a token left; one is taken if so
 */
gboolean
vouch_acme_rate_limiter_take (VouchAcmeRateLimiter *self,
                              const char           *key,
                              gint64               *out_retry_seconds)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;

  g_return_val_if_fail (VOUCH_IS_ACME_RATE_LIMITER (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (g_hash_table_size (self->buckets) > 1024)
    g_hash_table_foreach_remove (self->buckets, is_full_cb, self);

  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->updated = now;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }

  bucket->tokens = MIN ((double)self->burst,
                        bucket->tokens + (double)(now - bucket->updated) / G_USEC_PER_SEC /
                        self->seconds_per_token);
  bucket->updated = now;

  if (bucket->tokens < 1.0)
    {
      if (out_retry_seconds != NULL)
        *out_retry_seconds = (gint64)((1.0 - bucket->tokens) * self->seconds_per_token) + 1;
      return FALSE;
    }
  bucket->tokens -= 1.0;
  return TRUE;
}
