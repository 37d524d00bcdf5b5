/* vouch-onboarding-verify.c: the first step of onboarding, checking that
 * the device on the network is the one the person holds, by its setup
 * code, its maker's root, or its key's fingerprint compared by the
 * operator with what the device itself shows. The same for every driver:
 * the driver only says which key the device presented. Split from vouch-onboarding.c, which runs the
 * steps after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-onboarding"

#include "vouch-config.h"

#include "vouch-onboarding-private.h"

#include "vouch-error.h"
#include "vouch-setup-code.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

static gboolean
hex_to_digest (const char *hex,
               guint8      digest[VOUCH_SHA256_LEN])
{
  if (hex == NULL || strlen (hex) != VOUCH_SHA256_LEN * 2)
    return FALSE;

  for (guint i = 0; i < VOUCH_SHA256_LEN; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      digest[i] = (guint8)(hi << 4 | lo);
    }

  return TRUE;
}

static void
verify_info_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchOnboarding *self = g_task_get_source_object (task);
  VouchOnboardingJob *job = g_task_get_task_data (task);
  g_autoptr(VouchDeviceIdentity) identity = NULL;
  GError *error = NULL;
  const char *spki;
  const char *reported_id;
  guint8 digest[VOUCH_SHA256_LEN];
  VouchVerification method;

  identity = vouch_device_driver_identify_finish (job->driver, result, &error);
  if (identity == NULL)
    {
      _vouch_onboarding_audit (self, "verify-failed", job->device, NULL, error->message);
      g_task_return_error (task, error);
      return;
    }

  spki = identity->spki_sha256;
  if (!hex_to_digest (spki, digest))
    {
      error = g_error_new (VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                           _("The device's TLS key could not be read"));
      _vouch_onboarding_audit (self, "verify-failed", job->device, NULL, error->message);
      g_task_return_error (task, error);
      return;
    }

  if (job->setup_code != NULL)
    {
      if (!vouch_setup_code_matches (job->setup_code, digest, &error))
        {
          g_clear_error (&error);
          error = g_error_new (VOUCH_ERROR, VOUCH_ERROR_SETUP_CODE_MISMATCH,
                               _("The setup code does not match the key “%s” presents. Check "
                                 "the code on the device's label or screen; if it is right, "
                                 "something on the network may be impersonating the device"),
                               vouch_device_get_name (job->device));
          _vouch_onboarding_audit (self, "verify-failed", job->device, NULL, error->message);
          g_task_return_error (task, error);
          return;
        }
      method = VOUCH_VERIFICATION_SETUP_CODE;
    }
  else if (job->fingerprint != NULL)
    {
      /* The operator read this off the device's own screen or label; both
       * are normalized lowercase hex of the same length. */
      if (strlen (job->fingerprint) != strlen (spki) ||
          !vouch_secure_equal (job->fingerprint, spki, strlen (spki)))
        {
          error = g_error_new (VOUCH_ERROR, VOUCH_ERROR_SETUP_CODE_MISMATCH,
                               _("The fingerprint you entered does not match the key “%s” "
                                 "presents. Check it on the device's own screen; if it is "
                                 "right, something on the network may be impersonating the "
                                 "device"),
                               vouch_device_get_name (job->device));
          _vouch_onboarding_audit (self, "verify-failed", job->device, NULL, error->message);
          g_task_return_error (task, error);
          return;
        }
      method = VOUCH_VERIFICATION_FINGERPRINT;
    }
  else
    {
      GTlsCertificate *served = identity->certificate;

      if (!_vouch_onboarding_chains_to_manufacturer (self, served, &error))
        {
          /* Without a setup code, the fingerprint is what the operator
           * can compare with the device's own screen or label. */
          if (!g_str_equal (vouch_device_driver_get_id (job->driver), "vouch"))
            {
              g_autofree char *text = g_strdup_printf (_("%s. The key it presents has the "
                                                         "SHA-256 fingerprint %s; if the "
                                                         "device shows the same, verify it "
                                                         "by that fingerprint"),
                                                       error->message, spki);

              g_free (error->message);
              error->message = g_steal_pointer (&text);
            }
          _vouch_onboarding_audit (self, "verify-failed", job->device, NULL, error->message);
          g_task_return_error (task, error);
          return;
        }
      method = VOUCH_VERIFICATION_MANUFACTURER;
    }

  /* The id announced over mDNS is only a claim; the device must repeat it
   * over the verified channel. */
  reported_id = identity->device_id != NULL ? identity->device_id : "";
  if (!vouch_device_get_manual (job->device) &&
      vouch_device_get_kind (job->device) == VOUCH_DEVICE_KIND_VOUCH &&
      g_str_equal (vouch_device_get_driver (job->device), "vouch") &&
      g_strcmp0 (reported_id, vouch_device_get_id (job->device)) != 0)
    {
      error = g_error_new (VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                           _("The device says its id is “%s”, but it announced “%s”"),
                           reported_id, vouch_device_get_id (job->device));
      _vouch_onboarding_audit (self, "verify-failed", job->device, NULL, error->message);
      g_task_return_error (task, error);
      return;
    }

  vouch_device_set_pin (job->device, spki);
  vouch_device_set_verification (job->device, method);
  vouch_device_set_attention (job->device, NULL);
  _vouch_onboarding_reach_step (self, job->device, VOUCH_ONBOARDING_STEP_VERIFIED, "verified", NULL,
                                method == VOUCH_VERIFICATION_SETUP_CODE ? "setup code"
                                : method == VOUCH_VERIFICATION_FINGERPRINT ? "fingerprint"
                                : "manufacturer root");
  _vouch_onboarding_park (self, job->device, job->driver);
  g_task_return_boolean (task, TRUE);
}

static char *
normalize_fingerprint (const char  *text,
                       GError     **error)
{
  g_autoptr(GString) hex = g_string_new (NULL);
  guint8 digest[VOUCH_SHA256_LEN];

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ' || *p == '-')
        continue;
      g_string_append_c (hex, g_ascii_tolower (*p));
    }

  if (!hex_to_digest (hex->str, digest))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("A key fingerprint is 64 hexadecimal digits (SHA-256), with or without "
                     "colons"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&hex), FALSE);
}

static void
start_verify (VouchOnboarding     *self,
              VouchDevice         *device,
              const char          *setup_code,
              const char          *fingerprint,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  VouchOnboardingJob *job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_onboarding_verify_async);
  job = g_new0 (VouchOnboardingJob, 1);
  job->device = g_object_ref (device);
  g_task_set_task_data (task, job, (GDestroyNotify)_vouch_onboarding_job_free);

  if (setup_code != NULL)
    {
      job->setup_code = vouch_setup_code_normalize (setup_code, &error);
      if (job->setup_code == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (fingerprint != NULL)
    {
      job->fingerprint = normalize_fingerprint (fingerprint, &error);
      if (job->fingerprint == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  job->driver = _vouch_onboarding_driver_for (self, device, NULL, &error);
  if (job->driver == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  vouch_device_driver_identify_async (job->driver, TRUE, cancellable, verify_info_cb,
                                      g_steal_pointer (&task));
}

/**
 * vouch_onboarding_verify_async:
 * @setup_code: (nullable): the code from the device's label; %NULL to rely
 *   on an imported manufacturer root
 *
 * Connects to the device, looks at the key it presents over TLS, and
 * checks it against the setup code (or the manufacturer's chain). On
 * success the key is pinned: every later connection must present it.
 */
void
vouch_onboarding_verify_async (VouchOnboarding     *self,
                               VouchDevice         *device,
                               const char          *setup_code,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_ONBOARDING (self));
  g_return_if_fail (VOUCH_IS_DEVICE (device));

  start_verify (self, device, setup_code, NULL, cancellable, callback, user_data);
}

/**
 * vouch_onboarding_verify_fingerprint_async:
 * @sha256: the SHA-256 of the device's key (its SubjectPublicKeyInfo) as
 *   the device itself shows it: hex, with or without colons or spaces
 *
 * Verifies a device that has no setup code by the fingerprint the
 * operator compared (trust on first use): the key is then pinned like any
 * other, and a later change is flagged. Finish with
 * vouch_onboarding_verify_finish().
 */
void
vouch_onboarding_verify_fingerprint_async (VouchOnboarding     *self,
                                           VouchDevice         *device,
                                           const char          *sha256,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_ONBOARDING (self));
  g_return_if_fail (VOUCH_IS_DEVICE (device));
  g_return_if_fail (sha256 != NULL);

  start_verify (self, device, NULL, sha256, cancellable, callback, user_data);
}

gboolean
vouch_onboarding_verify_finish (VouchOnboarding  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
