/* vouch-onboarding-park.c: the verification's connection, kept for the
 * CSR that follows it
 *
 * Verifying a device is a full TLS handshake; so is asking it for a CSR
 * over a new connection. When onboarding follows verification (the bulk
 * run after verifying a batch, the dialog's verify-then-onboard), the
 * verification's driver, with the connection whose key was just checked
 * and pinned, is parked here for a short while and onboarding takes it
 * instead of making a new one. The CSR and the push then go over a
 * connection that presented exactly the pinned key, as they do on the
 * connection onboarding opens itself; a connection libsoup has to open
 * anew is checked against the pin as always. Confirmation still asks for
 * a new connection. Parked drivers are few, short-lived and dropped when
 * the device is verified again or onboarding ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-onboarding"

#include "vouch-config.h"

#include "vouch-onboarding-private.h"

/* Below the device session's 30 s idle timeout, after which libsoup
 * closes the connection anyway; and a bound on open connections kept. */
#define PARK_USEC (25 * G_USEC_PER_SEC)
#define PARK_MAX  256

typedef struct
{
  VouchDeviceDriver *driver;
  char              *base_url;
  char              *spki;
  gint64             until;
} ParkedDriver;

static void
parked_driver_free (ParkedDriver *parked)
{
  g_clear_object (&parked->driver);
  g_free (parked->base_url);
  g_free (parked->spki);
  g_free (parked);
}

GHashTable *
_vouch_onboarding_parked_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify)parked_driver_free);
}

static gboolean
parked_expired (gpointer key,
                gpointer value,
                gpointer user_data)
{
  const ParkedDriver *parked = value;
  const gint64 *now = user_data;

  return parked->until <= *now;
}

/* After verification succeeded: @driver's last handshake presented the
 * key now pinned on @device. */
void
_vouch_onboarding_park (VouchOnboarding   *self,
                        VouchDevice       *device,
                        VouchDeviceDriver *driver)
{
  const char *spki = vouch_device_driver_get_peer_spki (driver);
  gint64 now = g_get_monotonic_time ();
  ParkedDriver *parked;

  g_hash_table_remove (self->parked, vouch_device_get_id (device));
  if (spki == NULL || g_strcmp0 (spki, vouch_device_get_pin (device)) != 0)
    return;

  g_hash_table_foreach_remove (self->parked, parked_expired, &now);
  if (g_hash_table_size (self->parked) >= PARK_MAX)
    return;

  /* From now on even a reconnection must present the verified key. */
  vouch_device_driver_set_pin (driver, spki);

  parked = g_new0 (ParkedDriver, 1);
  parked->driver = g_object_ref (driver);
  parked->base_url = vouch_device_dup_base_url (device);
  parked->spki = g_strdup (spki);
  parked->until = now + PARK_USEC;
  g_hash_table_insert (self->parked, g_strdup (vouch_device_get_id (device)), parked);
}

/* The parked driver for @device, if it was verified moments ago at the
 * same address (@base_url, vouch_device_dup_base_url()) with the key @pin that onboarding now expects; it leaves
 * the park either way. */
VouchDeviceDriver *
_vouch_onboarding_take_parked (VouchOnboarding *self,
                               VouchDevice     *device,
                               const char      *base_url,
                               const char      *pin)
{
  g_autofree char *id = NULL;
  ParkedDriver *parked = NULL;
  VouchDeviceDriver *driver = NULL;

  if (pin == NULL ||
      !g_hash_table_steal_extended (self->parked, vouch_device_get_id (device),
                                    (gpointer *)&id, (gpointer *)&parked))
    return NULL;

  if (parked->until > g_get_monotonic_time () &&
      g_str_equal (parked->spki, pin) &&
      g_strcmp0 (parked->base_url, base_url) == 0 &&
      g_str_equal (vouch_device_driver_get_id (parked->driver), vouch_device_get_driver (device)))
    driver = g_steal_pointer (&parked->driver);

  parked_driver_free (parked);
  return driver;
}
