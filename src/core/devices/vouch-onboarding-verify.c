/* vouch-onboarding-verify.c: the first step of onboarding, checking that
 * the device on the network is the one the person holds, by its setup
 * code or its maker's root. Split from vouch-onboarding.c, which runs the
 * steps after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-onboarding-private.h"

#include "vouch-device-client.h"
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
  g_autoptr(JsonObject) info = NULL;
  GError *error = NULL;
  const char *spki;
  const char *reported_id;
  guint8 digest[VOUCH_SHA256_LEN];
  VouchVerification method;

  info = vouch_device_client_get_info_finish (job->client, result, &error);
  if (info == NULL)
    {
      _vouch_onboarding_audit (self, "verify-failed", job->device, NULL, error->message);
      g_task_return_error (task, error);
      return;
    }

  spki = vouch_device_client_get_peer_spki (job->client);
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
  else
    {
      GTlsCertificate *served = vouch_device_client_get_peer_certificate (job->client);

      if (!_vouch_onboarding_chains_to_manufacturer (self, served, &error))
        {
          _vouch_onboarding_audit (self, "verify-failed", job->device, NULL, error->message);
          g_task_return_error (task, error);
          return;
        }
      method = VOUCH_VERIFICATION_MANUFACTURER;
    }

  /* The id announced over mDNS is only a claim; the device must repeat it
   * over the verified channel. */
  reported_id = json_object_get_string_member_with_default (info, "device_id", "");
  if (!vouch_device_get_manual (job->device) &&
      vouch_device_get_kind (job->device) == VOUCH_DEVICE_KIND_VOUCH &&
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
                                                                        : "manufacturer root");
  g_task_return_boolean (task, TRUE);
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
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  VouchOnboardingJob *job;

  g_return_if_fail (VOUCH_IS_ONBOARDING (self));
  g_return_if_fail (VOUCH_IS_DEVICE (device));

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

  job->client = _vouch_onboarding_client_for (self, device, NULL, &error);
  if (job->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  vouch_device_client_get_info_async (job->client, TRUE, cancellable, verify_info_cb,
                                      g_steal_pointer (&task));
}

gboolean
vouch_onboarding_verify_finish (VouchOnboarding  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
