/* vouch-onboarding.h: verify a device, then sign, push and confirm
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-authority.h"
#include "vouch-device.h"

G_BEGIN_DECLS

typedef struct
{
  const char * const *add_names;
  const char * const *remove_names;
  guint               days;
  const char         *key_type;
  gboolean            reuse_key;
  /* for a driver whose CSR and chain the operator carries (by_hand): the
   * CSR the device made, where to save the chain, and in which format
   * ("pem", "der", "pkcs7") */
  const char         *csr_pem;
  const char         *chain_path;
  const char         *chain_format;
} VouchOnboardOptions;

#define VOUCH_ONBOARD_OPTIONS_INIT { NULL, NULL, VOUCH_LEAF_DEFAULT_DAYS, NULL, FALSE, NULL, NULL, NULL }

#define VOUCH_TYPE_ONBOARDING (vouch_onboarding_get_type ())

G_DECLARE_FINAL_TYPE (VouchOnboarding, vouch_onboarding, VOUCH, ONBOARDING, GObject)

VouchOnboarding  *vouch_onboarding_new                   (VouchAuthority             *authority);
VouchAuthority   *vouch_onboarding_get_authority         (VouchOnboarding            *self);
void              vouch_onboarding_set_timeout           (VouchOnboarding            *self,
                                                          guint                       seconds);
gboolean          vouch_onboarding_set_admin_secret      (VouchOnboarding            *self,
                                                          VouchDevice                *device,
                                                          const char                 *secret,
                                                          GError                    **error);
void              vouch_onboarding_set_admin_secret_async  (VouchOnboarding          *self,
                                                            VouchDevice              *device,
                                                            const char               *secret,
                                                            GCancellable             *cancellable,
                                                            GAsyncReadyCallback       callback,
                                                            gpointer                  user_data);
gboolean          vouch_onboarding_set_admin_secret_finish (VouchOnboarding          *self,
                                                            GAsyncResult             *result,
                                                            GError                  **error);
void              vouch_onboarding_verify_async          (VouchOnboarding            *self,
                                                          VouchDevice                *device,
                                                          const char                 *setup_code,
                                                          GCancellable               *cancellable,
                                                          GAsyncReadyCallback         callback,
                                                          gpointer                    user_data);
void              vouch_onboarding_verify_fingerprint_async (VouchOnboarding         *self,
                                                             VouchDevice             *device,
                                                             const char              *sha256,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      callback,
                                                             gpointer                 user_data);
gboolean          vouch_onboarding_verify_finish         (VouchOnboarding            *self,
                                                          GAsyncResult               *result,
                                                          GError                    **error);
void              vouch_onboarding_onboard_async         (VouchOnboarding            *self,
                                                          VouchDevice                *device,
                                                          const VouchOnboardOptions  *options,
                                                          GCancellable               *cancellable,
                                                          GAsyncReadyCallback         callback,
                                                          gpointer                    user_data);
char            **vouch_onboarding_dup_device_names      (VouchDevice                *device);
VouchCertificate *vouch_onboarding_onboard_finish        (VouchOnboarding            *self,
                                                          GAsyncResult               *result,
                                                          GError                    **error);

G_END_DECLS
