/* fuzz-helper-input.c: any bytes on the privileged helper's standard
 * input, through the same parser the helper runs as root
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "vouch-trust-helper-input.h"

#include <gnutls/x509.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GError) error = NULL;

  /* The helper reads at most 64 KiB and refuses more. */
  if (size > 64 * 1024)
    return 0;

  input = g_bytes_new (data, size);
  der = vouch_trust_helper_parse_ca (input, &error);
  g_assert ((der == NULL) == (error != NULL));
  if (der != NULL)
    {
      /* What the helper would write parses again to the same thing. */
      g_autoptr(GBytes) again = vouch_trust_helper_parse_ca (der, &error);

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (again, der));
    }
  return 0;
}
