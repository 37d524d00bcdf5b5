/* fuzz-csr-policy.c: any bytes as a certificate signing request, checked
 * by the signing policy under the default local constraints, as is and
 * with operator-added and removed names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define FUZZ_CUSTOM_INITIALIZE
#include "fuzz-common.h"

#include "vouch-signing-policy.h"

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
  g_clear_error (&error);

  edited = vouch_signing_policy_check (policy, data, size, add, remove, &error);
  g_assert ((edited == NULL) == (error != NULL));
  g_clear_error (&error);

  /* A name outside the constraints is never accepted, whatever the CSR. */
  refused = vouch_signing_policy_check (policy, data, size, bad_add, NULL, &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  return 0;
}
