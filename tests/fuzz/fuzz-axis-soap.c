/* fuzz-axis-soap.c: any bytes as an Axis camera's SOAP answer: the
 * GMarkupParser reader, the fault's meaning, the CSR it carries and the
 * certificates it lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "vouch-axis-soap.h"
#include "vouch-error.h"
#include "vouch-text.h"

static const char * const operations[] = {
  "CreateCertificate2", "GetPkcs10Request", "GetCertificates", "LoadCertificates",
  "SetWebServerTlsConfiguration",
};

static void
assert_optional_safe (const char *text,
                      gsize       max_chars)
{
  if (text != NULL)
    fuzz_assert_safe_text (text, max_chars);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VouchAxisSoapAnswer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *id = NULL;

  if (size > 256 * 1024)
    return 0;

  answer = vouch_axis_soap_parse ((const char *)data, size, &error);
  g_assert ((answer == NULL) == (error != NULL));
  if (answer == NULL)
    {
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL);
      fuzz_assert_safe_text (error->message, 1024);
      return 0;
    }

  /* Every string a camera sent is safe to show, and bounded. */
  g_assert_nonnull (answer->operation);
  fuzz_assert_safe_text (answer->operation, VOUCH_TEXT_MAX_NAME);
  assert_optional_safe (answer->fault_code, VOUCH_TEXT_MAX_NAME);
  assert_optional_safe (answer->fault_subcode, VOUCH_TEXT_MAX_NAME);
  assert_optional_safe (answer->fault_reason, VOUCH_TEXT_MAX_LINE);
  g_assert_nonnull (answer->certificates);
  g_assert_cmpuint (answer->certificates->len, <=, 64);
  for (guint i = 0; i < answer->certificates->len; i++)
    {
      VouchAxisSoapCertificate *certificate = g_ptr_array_index (answer->certificates, i);

      fuzz_assert_safe_text (certificate->id, VOUCH_TEXT_MAX_NAME);
      g_assert_cmpuint (g_bytes_get_size (certificate->der), >, 0);
    }

  /* What the fault means: an error exactly when it is not the result,
   * in words the operator can read. */
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    {
      g_autoptr(GError) check_error = NULL;
      gboolean ok = vouch_axis_soap_check (answer, operations[i], "fuzzing", &check_error);

      g_assert (ok == (check_error == NULL));
      if (check_error != NULL)
        fuzz_assert_safe_text (check_error->message, 1024);
    }

  pem = vouch_axis_soap_pkcs10_pem (answer, NULL, &error);
  g_assert ((pem == NULL) == (error != NULL));
  g_assert (pem == NULL || g_str_has_prefix (pem, "-----BEGIN"));
  id = vouch_axis_soap_find_certificate (answer,
                                         "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  g_assert_null (id);
  return 0;
}
