/* vouch-device-enums.c: the enumerations a device's state is told in
 * (vouch-device.h), and their names in the inventory and vouchctl's JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-device"

#include "vouch-config.h"

#include "vouch-device.h"

G_DEFINE_ENUM_TYPE (VouchDeviceKind, vouch_device_kind,
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_KIND_VOUCH, "vouch"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_KIND_HTTPS_ONLY, "https-only"))
G_DEFINE_ENUM_TYPE (VouchDeviceCategory, vouch_device_category,
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_CATEGORY_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_CATEGORY_PRINTER, "printer"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_CATEGORY_CAMERA, "camera"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_CATEGORY_NAS, "nas"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_CATEGORY_ROUTER, "router"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_CATEGORY_SERVER, "server"))
G_DEFINE_ENUM_TYPE (VouchDeviceState, vouch_device_state,
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_STATE_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_STATE_NEW, "new"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_STATE_ENROLLED, "enrolled"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DEVICE_STATE_NEEDS_RENEWAL, "needs-renewal"))
G_DEFINE_ENUM_TYPE (VouchOnboardingStep, vouch_onboarding_step,
                    G_DEFINE_ENUM_VALUE (VOUCH_ONBOARDING_STEP_FOUND, "found"),
                    G_DEFINE_ENUM_VALUE (VOUCH_ONBOARDING_STEP_VERIFIED, "verified"),
                    G_DEFINE_ENUM_VALUE (VOUCH_ONBOARDING_STEP_CSR_RECEIVED, "csr-received"),
                    G_DEFINE_ENUM_VALUE (VOUCH_ONBOARDING_STEP_SIGNED, "signed"),
                    G_DEFINE_ENUM_VALUE (VOUCH_ONBOARDING_STEP_INSTALLED, "installed"),
                    G_DEFINE_ENUM_VALUE (VOUCH_ONBOARDING_STEP_CONFIRMED, "confirmed"))
G_DEFINE_ENUM_TYPE (VouchVerification, vouch_verification,
                    G_DEFINE_ENUM_VALUE (VOUCH_VERIFICATION_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (VOUCH_VERIFICATION_SETUP_CODE, "setup-code"),
                    G_DEFINE_ENUM_VALUE (VOUCH_VERIFICATION_MANUFACTURER, "manufacturer"),
                    G_DEFINE_ENUM_VALUE (VOUCH_VERIFICATION_FINGERPRINT, "fingerprint"))

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : NULL;
}

const char *
vouch_device_state_to_string (VouchDeviceState state)
{
  return enum_nick (VOUCH_TYPE_DEVICE_STATE, state);
}

const char *
vouch_onboarding_step_to_string (VouchOnboardingStep step)
{
  return enum_nick (VOUCH_TYPE_ONBOARDING_STEP, step);
}
