/* vouch-device.h: a device on the LAN, as Vouch knows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  VOUCH_DEVICE_KIND_VOUCH,
  VOUCH_DEVICE_KIND_HTTPS_ONLY,
} VouchDeviceKind;

/* What kind of thing discovery guesses the device is, from what it
 * announces (vouch-discovery-guess.c). */
typedef enum
{
  VOUCH_DEVICE_CATEGORY_UNKNOWN,
  VOUCH_DEVICE_CATEGORY_PRINTER,
  VOUCH_DEVICE_CATEGORY_CAMERA,
  VOUCH_DEVICE_CATEGORY_NAS,
  VOUCH_DEVICE_CATEGORY_ROUTER,
  VOUCH_DEVICE_CATEGORY_SERVER,
} VouchDeviceCategory;

/* What the device itself announces in its TXT record. */
typedef enum
{
  VOUCH_DEVICE_STATE_UNKNOWN,
  VOUCH_DEVICE_STATE_NEW,
  VOUCH_DEVICE_STATE_ENROLLED,
  VOUCH_DEVICE_STATE_NEEDS_RENEWAL,
} VouchDeviceState;

/* How far onboarding has come, as Vouch records it. */
typedef enum
{
  VOUCH_ONBOARDING_STEP_FOUND,
  VOUCH_ONBOARDING_STEP_VERIFIED,
  VOUCH_ONBOARDING_STEP_CSR_RECEIVED,
  VOUCH_ONBOARDING_STEP_SIGNED,
  VOUCH_ONBOARDING_STEP_INSTALLED,
  VOUCH_ONBOARDING_STEP_CONFIRMED,
} VouchOnboardingStep;

typedef enum
{
  VOUCH_VERIFICATION_NONE,
  VOUCH_VERIFICATION_SETUP_CODE,
  VOUCH_VERIFICATION_MANUFACTURER,
  /* the operator compared the key's SHA-256 with the device's own */
  VOUCH_VERIFICATION_FINGERPRINT,
} VouchVerification;

#define VOUCH_TYPE_DEVICE_KIND (vouch_device_kind_get_type ())
#define VOUCH_TYPE_DEVICE_CATEGORY (vouch_device_category_get_type ())
#define VOUCH_TYPE_DEVICE_STATE (vouch_device_state_get_type ())
#define VOUCH_TYPE_ONBOARDING_STEP (vouch_onboarding_step_get_type ())
#define VOUCH_TYPE_VERIFICATION (vouch_verification_get_type ())
GType vouch_device_kind_get_type     (void);
GType vouch_device_category_get_type (void);
GType vouch_device_state_get_type    (void);
GType vouch_onboarding_step_get_type (void);
GType vouch_verification_get_type    (void);

#define VOUCH_TYPE_DEVICE (vouch_device_get_type ())

G_DECLARE_FINAL_TYPE (VouchDevice, vouch_device, VOUCH, DEVICE, GObject)

VouchDevice         *vouch_device_new                  (const char          *id,
                                                        VouchDeviceKind      kind);
const char          *vouch_device_get_id               (VouchDevice         *self);
VouchDeviceKind      vouch_device_get_kind             (VouchDevice         *self);
const char          *vouch_device_get_name             (VouchDevice         *self);
void                 vouch_device_set_name             (VouchDevice         *self,
                                                        const char          *name);
VouchDeviceCategory  vouch_device_get_category         (VouchDevice         *self);
const char          *vouch_device_get_suggested_driver (VouchDevice         *self);
void                 vouch_device_set_guess            (VouchDevice         *self,
                                                        VouchDeviceCategory  category,
                                                        const char          *driver);
const char          *vouch_device_get_model            (VouchDevice         *self);
void                 vouch_device_set_model            (VouchDevice         *self,
                                                        const char          *model);
const char          *vouch_device_get_host             (VouchDevice         *self);
void                 vouch_device_set_host             (VouchDevice         *self,
                                                        const char          *host);
guint16              vouch_device_get_port             (VouchDevice         *self);
void                 vouch_device_set_port             (VouchDevice         *self,
                                                        guint16              port);
const char * const  *vouch_device_get_addresses        (VouchDevice         *self);
void                 vouch_device_set_addresses        (VouchDevice         *self,
                                                        const char * const  *addresses);
const char * const  *vouch_device_get_txt              (VouchDevice         *self);
void                 vouch_device_set_txt              (VouchDevice         *self,
                                                        const char * const  *txt);
const char          *vouch_device_lookup_txt           (VouchDevice         *self,
                                                        const char          *key);
const char          *vouch_device_get_api_path         (VouchDevice         *self);
VouchDeviceState     vouch_device_get_state            (VouchDevice         *self);
gboolean             vouch_device_get_online           (VouchDevice         *self);
void                 vouch_device_set_online           (VouchDevice         *self,
                                                        gboolean             online);
gboolean             vouch_device_get_manual           (VouchDevice         *self);
void                 vouch_device_set_manual           (VouchDevice         *self,
                                                        gboolean             manual);
const char          *vouch_device_get_pin              (VouchDevice         *self);
void                 vouch_device_set_pin              (VouchDevice         *self,
                                                        const char          *spki_sha256);
VouchVerification    vouch_device_get_verification     (VouchDevice         *self);
void                 vouch_device_set_verification     (VouchDevice         *self,
                                                        VouchVerification    verification);
VouchOnboardingStep  vouch_device_get_step             (VouchDevice         *self);
void                 vouch_device_set_step             (VouchDevice         *self,
                                                        VouchOnboardingStep  step);
const char          *vouch_device_get_attention        (VouchDevice         *self);
void                 vouch_device_set_attention        (VouchDevice         *self,
                                                        const char          *reason);
const char          *vouch_device_get_driver           (VouchDevice         *self);
void                 vouch_device_set_driver           (VouchDevice         *self,
                                                        const char          *driver);
const char          *vouch_device_get_user             (VouchDevice         *self);
void                 vouch_device_set_user             (VouchDevice         *self,
                                                        const char          *user);
gboolean             vouch_device_get_secret_refused   (VouchDevice         *self);
void                 vouch_device_set_secret_refused   (VouchDevice         *self,
                                                        gboolean             refused);
gint64               vouch_device_get_certificate_expiry (VouchDevice     *self);
void                 vouch_device_set_certificate_expiry (VouchDevice     *self,
                                                          gint64           expiry);
char                *vouch_device_dup_base_url         (VouchDevice         *self);
const char          *vouch_device_state_to_string      (VouchDeviceState     state);
const char          *vouch_onboarding_step_to_string   (VouchOnboardingStep  step);

G_END_DECLS
