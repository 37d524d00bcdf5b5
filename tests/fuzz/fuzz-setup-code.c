/* fuzz-setup-code.c: any text as a typed setup code or a scanned QR
 * payload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "vouch-setup-code.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint8 digest[VOUCH_SHA256_LEN] = { 0 };
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_autofree char *normalized = NULL;
  g_autofree char *code = NULL;
  g_autofree char *device_id = NULL;
  g_autoptr(GError) error = NULL;
  gboolean matches;

  memcpy (digest, data, MIN (size, sizeof digest));

  normalized = vouch_setup_code_normalize (text, &error);
  g_assert ((normalized == NULL) == (error != NULL));
  g_clear_error (&error);
  if (normalized != NULL)
    {
      g_autofree char *again = vouch_setup_code_normalize (normalized, &error);

      /* Normalizing is idempotent. */
      g_assert_no_error (error);
      g_assert_cmpstr (again, ==, normalized);
    }

  matches = vouch_setup_code_matches (text, digest, &error);
  g_assert (matches || error != NULL);
  g_clear_error (&error);

  if (vouch_setup_code_parse_qr_payload (text, &code, &device_id, &error))
    {
      g_autofree char *payload = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (code);
      /* What parses can be made again, and parses to the same. */
      payload = vouch_setup_code_make_qr_payload (code, device_id, &error);
      if (payload != NULL)
        {
          g_autofree char *code2 = NULL;
          g_autofree char *id2 = NULL;

          g_assert_true (vouch_setup_code_parse_qr_payload (payload, &code2, &id2, NULL));
          g_assert_cmpstr (code2, ==, code);
          g_assert_cmpstr (id2, ==, device_id);
        }
    }
  else
    g_assert_nonnull (error);

  return 0;
}
