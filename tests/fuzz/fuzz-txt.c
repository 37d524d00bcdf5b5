/* fuzz-txt.c: any bytes as a DNS-SD TXT record in wire format (length-
 * prefixed strings), through the discovery's TXT and device id checks and
 * onto a device; and the same bytes as any text a device names itself
 * with, through vouch_text_sanitize()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define FUZZ_CUSTOM_INITIALIZE
#include "fuzz-common.h"

#include "vouch-device.h"
#include "vouch-discovery-private.h"
#include "vouch-text.h"

#include <avahi-common/strlst.h>
#include <string.h>

static VouchDevice *device;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  device = vouch_device_new ("fuzz-device", VOUCH_DEVICE_KIND_VOUCH);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  AvahiStringList *list = NULL;
  g_auto(GStrv) txt = NULL;
  const char *id;
  gsize total = 0;

  if (avahi_string_list_parse (data, size, &list) < 0)
    return 0;

  txt = _vouch_discovery_txt_to_strv (list);
  avahi_string_list_free (list);

  /* What survives is bounded "key=value" text, safe to show. */
  g_assert_cmpuint (g_strv_length (txt), <=, 32);
  for (guint i = 0; txt[i] != NULL; i++)
    {
      fuzz_assert_safe_text (txt[i], 255);
      g_assert_true (txt[i][0] != '\0' && txt[i][0] != '=');
      total += strlen (txt[i]) + 1;
    }
  g_assert_cmpuint (total, <=, 1024);

  /* The same bytes as an mDNS instance name, a model or anything else a
   * device announces, through the one sanitizer and onto a device. */
  {
    g_autofree char *name = vouch_text_sanitize ((const char *)data, (gssize)size, VOUCH_TEXT_MAX_NAME);
    g_autofree char *again = vouch_text_sanitize (name, -1, VOUCH_TEXT_MAX_NAME);

    fuzz_assert_safe_text (name, VOUCH_TEXT_MAX_NAME);
    g_assert_cmpstr (again, ==, name);
    vouch_device_set_name (device, name);
    fuzz_assert_safe_text (vouch_device_get_name (device), VOUCH_TEXT_MAX_NAME);
    if (size > 0 && memchr (data, '\0', size) == NULL)
      {
        g_autofree char *text = g_strndup ((const char *)data, size);

        vouch_device_set_model (device, text);
        fuzz_assert_safe_text (vouch_device_get_model (device), VOUCH_TEXT_MAX_NAME);
      }
  }

  id = _vouch_discovery_txt_lookup ((const char * const *)txt, "id");
  if (_vouch_discovery_id_is_valid (id))
    g_assert_cmpuint (strlen (id), <=, 64);
  (void)_vouch_discovery_txt_lookup ((const char * const *)txt, "model");

  vouch_device_set_txt (device, (const char * const *)txt);
  return 0;
}
