/* fuzz-import.c: any bytes as a file to import: a certificate and key
 * pair (PEM, DER, PKCS#8 plain or encrypted, PKCS#1, SEC1), a PKCS#12
 * file, or a certificate alone
 *
 * The first byte picks what the rest is. For a pair, the next two bytes
 * (big endian) give the certificate's length, and the key follows it.
 * Encrypted seeds use the passphrase below; it protects nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "vouch-root-ca.h"

#define PASSPHRASE "vouch-fuzz"

static void
check_root (VouchRootCa *root,
            GError      *error)
{
  g_assert ((root == NULL) == (error != NULL));
  if (root != NULL)
    {
      g_autofree char *pem = vouch_root_ca_dup_pem (root);

      g_assert_nonnull (pem);
      g_assert_nonnull (vouch_root_ca_get_sha256 (root));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;

  if (size < 1)
    return 0;

  switch (data[0] % 4)
    {
    case 0:
      {
        g_autoptr(GBytes) cert = NULL;
        g_autoptr(GBytes) key = NULL;
        g_autoptr(VouchRootCa) root = NULL;
        gsize cert_len;

        if (size < 3)
          return 0;
        cert_len = MIN ((gsize)(data[1] << 8 | data[2]), size - 3);
        cert = g_bytes_new (data + 3, cert_len);
        key = g_bytes_new (data + 3 + cert_len, size - 3 - cert_len);
        root = vouch_root_ca_import (cert, key, PASSPHRASE, &error);
        check_root (root, error);
        g_clear_error (&error);
        g_clear_object (&root);
        root = vouch_root_ca_import (cert, key, NULL, &error);
        check_root (root, error);
      }
      break;

    case 1:
      {
        g_autoptr(GBytes) p12 = g_bytes_new (data + 1, size - 1);
        g_autoptr(VouchRootCa) root = vouch_root_ca_import_pkcs12 (p12, PASSPHRASE, &error);

        check_root (root, error);
      }
      break;

    case 2:
      {
        g_autoptr(VouchCertificate) cert =
          vouch_certificate_new_from_pem ((const char *)data + 1, (gssize)size - 1, &error);

        g_assert ((cert == NULL) == (error != NULL));
      }
      break;

    default:
      {
        g_autoptr(GBytes) der = g_bytes_new (data + 1, size - 1);
        g_autoptr(VouchCertificate) cert = vouch_certificate_new_from_der (der, &error);
        g_autoptr(GError) root_error = NULL;
        g_autofree char *pem = g_strndup ((const char *)data + 1, size - 1);
        g_autoptr(VouchRootCa) root = vouch_root_ca_new_from_pem (pem, strlen (pem), &root_error);

        g_assert ((cert == NULL) == (error != NULL));
        check_root (root, root_error);
      }
      break;
    }

  return 0;
}
