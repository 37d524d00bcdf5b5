/* fuzz-csr-policy.c: any bytes as a certificate signing request, checked
 * by the signing policy under the default local constraints, as is and
 * with operator-added and removed names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define FUZZ_CUSTOM_INITIALIZE
#include "fuzz-common.h"

#include "vouch-error.h"
#include "vouch-signing-policy.h"
#include "vouch-text.h"

static VouchSigningPolicy *policy;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(VouchNameConstraints) constraints = vouch_name_constraints_new_local_defaults ();

  fuzz_init ();
  policy = vouch_signing_policy_new (constraints);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const add[] = { "extra.home.arpa", "192.168.7.7", NULL };
  static const char * const remove[] = { "cam.local", "10.0.0.1", NULL };
  static const char * const bad_add[] = { "www.example.com", NULL };
  g_autoptr(VouchSigningRequest) plain = NULL;
  g_autoptr(VouchSigningRequest) edited = NULL;
  g_autoptr(VouchSigningRequest) refused = NULL;
  g_autoptr(GError) error = NULL;

  plain = vouch_signing_policy_check (policy, data, size, NULL, NULL, &error);
  g_assert ((plain == NULL) == (error != NULL));
  /* Refusals, the subject and the notice are read by the operator. */
  if (error != NULL)
    fuzz_assert_safe_text (error->message, 0);
  if (plain != NULL && vouch_signing_request_get_subject (plain) != NULL)
    fuzz_assert_safe_text (vouch_signing_request_get_subject (plain), VOUCH_TEXT_MAX_LINE);
  if (plain != NULL && vouch_signing_request_get_notice (plain) != NULL)
    fuzz_assert_safe_text (vouch_signing_request_get_notice (plain), 0);
  g_clear_error (&error);

  /* Every name the request carries can be left out, whatever it is. */
  if (plain != NULL)
    {
      g_autoptr(VouchSigningRequest) none = NULL;

      none = vouch_signing_policy_check (policy, data, size, NULL,
                                         vouch_signing_request_get_names (plain), &error);
      g_assert_null (none);
      g_assert_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_NO_NAMES);
      g_clear_error (&error);
    }

  edited = vouch_signing_policy_check (policy, data, size, add, remove, &error);
  g_assert ((edited == NULL) == (error != NULL));
  g_clear_error (&error);

  /* A name outside the constraints is never accepted, whatever the CSR. */
  refused = vouch_signing_policy_check (policy, data, size, bad_add, NULL, &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  return 0;
}
