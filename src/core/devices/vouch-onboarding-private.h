/* vouch-onboarding-private.h: what vouch-onboarding.c,
 * vouch-onboarding-verify.c and vouch-onboarding-manufacturer.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-driver.h"
#include "vouch-onboarding.h"

G_BEGIN_DECLS

/* Shared by vouch-onboarding.c (the steps after verification) and
 * vouch-onboarding-verify.c (verification).
 *
 * A device moves found → verified → CSR received → signed → installed →
 * confirmed, and each step is saved with the device and written to the
 * audit log before the next begins. A certificate that was issued but
 * never confirmed stays in the inventory as undelivered; the next
 * onboarding of that device pushes it again before asking for a new CSR,
 * so nothing issued is ever forgotten. */
struct _VouchOnboarding
{
  GObject         parent_instance;

  VouchAuthority *authority;
  guint           timeout;
  GHashTable     *parked;   /* device id → ParkedDriver (vouch-onboarding-park.c) */
};

/* One device's run, the task data of its GTask. */
typedef struct
{
  VouchDevice         *device;
  VouchDeviceDriver   *driver;
  char                *setup_code;
  char                *fingerprint;
  char                *secret;
  char                *nonce;
  char               **add_names;
  char               **remove_names;
  char                *key_type;
  char                *csr_pem;
  char                *chain_path;
  char                *chain_format;
  guint                days;
  gboolean             reuse_key;
  VouchCertificate    *cert;
  VouchCertificate    *retry;
  VouchOnboardingStep  failed_step;
  guint                confirm_tries;
} VouchOnboardingJob;

void               _vouch_onboarding_job_free   (VouchOnboardingJob   *job);
void               _vouch_onboarding_audit      (VouchOnboarding      *self,
                                                 const char           *event,
                                                 VouchDevice          *device,
                                                 const char           *serial,
                                                 const char           *message);
void               _vouch_onboarding_reach_step (VouchOnboarding      *self,
                                                 VouchDevice          *device,
                                                 VouchOnboardingStep   step,
                                                 const char           *event,
                                                 const char           *serial,
                                                 const char           *message);
VouchDeviceDriver *_vouch_onboarding_driver_for (VouchOnboarding      *self,
                                                 VouchDevice          *device,
                                                 const char           *pin,
                                                 GError              **error);


/* vouch-onboarding-checks.c */
gboolean _vouch_onboarding_check_capabilities (VouchOnboardingJob  *job,
                                               GError             **error);
gboolean _vouch_onboarding_retry_fits         (VouchOnboarding     *self,
                                              VouchOnboardingJob  *job);
gboolean _vouch_onboarding_check_csr_names    (VouchOnboarding     *self,
                                               VouchOnboardingJob  *job,
                                               const char          *csr,
                                               GError             **error);

/* vouch-onboarding-park.c */
GHashTable        *_vouch_onboarding_parked_new  (void);
void               _vouch_onboarding_park        (VouchOnboarding   *self,
                                                  VouchDevice       *device,
                                                  VouchDeviceDriver *driver);
VouchDeviceDriver *_vouch_onboarding_take_parked (VouchOnboarding   *self,
                                                  VouchDevice       *device,
                                                  const char        *base_url,
                                                  const char        *pin);

gboolean _vouch_onboarding_chains_to_manufacturer (VouchOnboarding  *self,
                                                   GTlsCertificate  *served,
                                                   GError          **error);

G_END_DECLS
