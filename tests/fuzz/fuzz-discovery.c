/* fuzz-discovery.c: any bytes as what a device announces beyond
 * _vouch._tcp: an SSDP announcement (USN, then a NUL, then LOCATION), and
 * the same bytes as a service's instance name and TXT entries for the
 * guess at the kind of device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "vouch-discovery-guess.h"
#include "vouch-discovery-private.h"
#include "vouch-names.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);
  gsize usn_len = strlen (text);
  g_autofree char *location = usn_len < size
                              ? g_strndup ((const char *)data + usn_len + 1, size - usn_len - 1)
                              : g_strdup ("https://bmc.local/redfish/v1/");
  g_autofree char *id = NULL;
  g_autofree char *host = NULL;
  g_auto(GStrv) txt = g_strsplit (text, "\n", 8);
  const char *driver = NULL;
  guint16 port = 0;
  VouchDeviceCategory category;

  if (_vouch_discovery_ssdp_parse (text, location, &id, &host, &port))
    {
      /* A device id discovery accepts, and a host a certificate could name. */
      g_assert_true (_vouch_discovery_id_is_valid (id));
      g_assert_true (g_str_has_prefix (id, "redfish:"));
      fuzz_assert_safe_text (host, VOUCH_NAME_MAX_LENGTH);
      g_assert_cmpuint (port, >, 0);
    }
  else
    {
      g_assert_null (id);
      g_assert_null (host);
    }

  category = vouch_discovery_guess (txt[0], text, (const char * const *)txt, &driver);
  g_assert_cmpint (category, >=, VOUCH_DEVICE_CATEGORY_UNKNOWN);
  g_assert_cmpint (category, <=, VOUCH_DEVICE_CATEGORY_SERVER);
  g_assert_nonnull (driver);
  g_assert_nonnull (vouch_device_category_to_string (category));
  return 0;
}
