/* vouch-onboarding-secret.c: a device's admin secret (password or
 * pairing token), kept in the keyring and never in the inventory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-onboarding.h"

#include "vouch-key-store.h"

/**
 * vouch_onboarding_set_admin_secret:
 *
 * Keeps the device's admin secret (password or pairing token) in the
 * keyring, never in the inventory.
 */
gboolean
vouch_onboarding_set_admin_secret (VouchOnboarding  *self,
                                   VouchDevice      *device,
                                   const char       *secret,
                                   GError          **error)
{
  g_return_val_if_fail (VOUCH_IS_ONBOARDING (self), FALSE);
  g_return_val_if_fail (VOUCH_IS_DEVICE (device), FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  if (!vouch_key_store_store_device_secret (vouch_authority_get_key_store (vouch_onboarding_get_authority (self)),
                                            vouch_device_get_id (device),
                                            vouch_device_get_name (device), secret, NULL,
                                            error))
    return FALSE;

  /* A new secret is worth a try: stop asking for one. */
  vouch_device_set_secret_refused (device, FALSE);
  return TRUE;
}

static void
admin_secret_stored_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (vouch_key_store_store_device_secret_finish (VOUCH_KEY_STORE (object), result, &error))
    {
      vouch_device_set_secret_refused (g_task_get_task_data (task), FALSE);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);
}

/**
 * vouch_onboarding_set_admin_secret_async:
 *
 * Like vouch_onboarding_set_admin_secret(), without blocking the caller's
 * main loop on the keyring.
 */
void
vouch_onboarding_set_admin_secret_async (VouchOnboarding     *self,
                                         VouchDevice         *device,
                                         const char          *secret,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (VOUCH_IS_ONBOARDING (self));
  g_return_if_fail (VOUCH_IS_DEVICE (device));
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_onboarding_set_admin_secret_async);
  g_task_set_task_data (task, g_object_ref (device), g_object_unref);
  vouch_key_store_store_device_secret_async (vouch_authority_get_key_store (vouch_onboarding_get_authority (self)),
                                             vouch_device_get_id (device),
                                             vouch_device_get_name (device), secret,
                                             cancellable, admin_secret_stored_cb, task);
}

gboolean
vouch_onboarding_set_admin_secret_finish (VouchOnboarding  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
