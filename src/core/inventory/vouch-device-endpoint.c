/* vouch-device-endpoint.c: where Vouch reaches a device — the URL of its
 * first address and the API path its TXT record may name — read only
 * through the device's public getters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-device"

#include "vouch-config.h"

#include "vouch-device.h"

#include <string.h>

/**
 * vouch_device_lookup_txt:
 *
 * Returns: (nullable): the value of TXT entry @key
 */
const char *
vouch_device_lookup_txt (VouchDevice *self,
                         const char  *key)
{
  const char * const *txt;
  gsize key_len;

  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  txt = vouch_device_get_txt (self);
  key_len = strlen (key);
  for (guint i = 0; txt != NULL && txt[i] != NULL; i++)
    {
      if (strncmp (txt[i], key, key_len) == 0 && txt[i][key_len] == '=')
        return txt[i] + key_len + 1;
    }

  return NULL;
}

const char *
vouch_device_get_api_path (VouchDevice *self)
{
  const char *path;

  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);

  /* Only a path is taken from the TXT record, never a host: the host is
   * the one Vouch resolved and pinned. */
  path = vouch_device_lookup_txt (self, "path");
  if (path == NULL || path[0] != '/' || strstr (path, "//") != NULL || strlen (path) > 64)
    return "/vouch/v1";
  return path;
}

/**
 * vouch_device_dup_base_url:
 *
 * Returns: (transfer full) (nullable): `https://ADDRESS:PORT` for the
 *   device's first address, or its host name when it has no address
 */
char *
vouch_device_dup_base_url (VouchDevice *self)
{
  const char * const *addresses;
  const char *target;
  guint port;

  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);

  addresses = vouch_device_get_addresses (self);
  port = vouch_device_get_port (self);
  target = addresses != NULL && addresses[0] != NULL ? addresses[0] : vouch_device_get_host (self);
  if (target == NULL || port == 0)
    return NULL;

  if (strchr (target, ':') != NULL)
    return g_strdup_printf ("https://[%s]:%u", target, port);
  return g_strdup_printf ("https://%s:%u", target, port);
}
