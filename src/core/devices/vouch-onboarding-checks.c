/* vouch-onboarding-checks.c: what onboarding checks against a device's
 * driver before and after asking it: the key type and names it can take,
 * and that a CSR without Vouch's nonce names only what was asked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-onboarding"

#include "vouch-config.h"
#include "vouch-onboarding-private.h"
#include "vouch-chain.h"
#include "vouch-device-client.h"
#include "vouch-error.h"
#include "vouch-manual-driver.h"
#include "vouch-names.h"
#include "vouch-setup-code.h"
#include "vouch-signing-policy.h"
#include "vouch-signing-request.h"
#include "vouch-text.h"
#include "vouch-util.h"
#include <glib/gi18n-lib.h>

/* What the device cannot do is said before it is asked anything; a
 * by-hand device gets the operator's CSR and where to put the chain. */
gboolean
_vouch_onboarding_check_capabilities (VouchOnboardingJob  *job,
                                      GError             **error)
{
  const VouchDriverInfo *info = vouch_device_driver_get_info (job->driver);

  if (!vouch_device_driver_accepts_key_type (job->driver, job->key_type))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("%s devices cannot make a %s key"), _(info->title), job->key_type);
      return FALSE;
    }

  if (!vouch_device_driver_accepts_names (job->driver, (const char * const *)job->add_names,
                                          error))
    return FALSE;

  if (VOUCH_IS_MANUAL_DRIVER (job->driver))
    {
      if (job->csr_pem != NULL && job->chain_path == NULL)
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                       _("Say where to save the signed chain, so you can upload it to the "
                         "device's web page"));
          return FALSE;
        }
      vouch_manual_driver_set_csr (VOUCH_MANUAL_DRIVER (job->driver), job->csr_pem);
      return vouch_manual_driver_set_chain_output (VOUCH_MANUAL_DRIVER (job->driver),
                                                   job->chain_path, job->chain_format, error);
    }

  return TRUE;
}

/* An operator who brings a new request wants it signed: a certificate
 * signed earlier and never confirmed is pushed again instead only when
 * the request is for the same key (the same request brought again, as
 * after a run that saved the chain but could not confirm it). */
gboolean
_vouch_onboarding_retry_fits (VouchOnboarding    *self,
                              VouchOnboardingJob *job)
{
  g_autoptr(VouchSigningRequest) request = NULL;

  if (job->retry == NULL || job->csr_pem == NULL)
    return TRUE;

  request = vouch_signing_policy_check (vouch_authority_get_policy (self->authority),
                                        (const guint8 *)job->csr_pem, strlen (job->csr_pem),
                                        NULL, NULL, NULL);
  return request != NULL &&
         g_strcmp0 (vouch_signing_request_get_key_sha256 (request),
                    vouch_certificate_get_key_sha256 (job->retry)) == 0;
}

/* A device whose CSR carries no nonce of Vouch's is held to the names it
 * was asked for: a CSR with others is not the one asked for. */
gboolean
_vouch_onboarding_check_csr_names (VouchOnboarding     *self,
                                   VouchOnboardingJob  *job,
                                   const char          *csr,
                                   GError             **error)
{
  const VouchDriverInfo *info = vouch_device_driver_get_info (job->driver);
  g_auto(GStrv) asked = NULL;
  g_auto(GStrv) names = NULL;

  if (info->csr_challenge || info->by_hand || job->add_names == NULL)
    return TRUE;

  names = vouch_signing_policy_dup_requested_names (vouch_authority_get_policy (self->authority),
                                                    (const guint8 *)csr, strlen (csr), error);
  if (names == NULL)
    return FALSE;

  asked = g_new0 (char *, g_strv_length (job->add_names) + 1);
  for (guint i = 0; job->add_names[i] != NULL; i++)
    asked[i] = vouch_names_normalize (job->add_names[i], NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = vouch_names_normalize (names[i], NULL);

      if (name == NULL || !g_strv_contains ((const char * const *)asked, name))
        {
          g_autofree char *shown = vouch_text_sanitize (names[i], -1, 64);

          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                       _("The device's CSR asks for “%s”, a name Vouch did not ask for; it "
                         "was not signed"), shown);
          return FALSE;
        }
    }

  return TRUE;
}
