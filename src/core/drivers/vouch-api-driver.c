/* vouch-api-driver.c: the Vouch API as a driver, the one to read first
 * when adding another
 *
 * Each call is one call of VouchDeviceClient (vouch-device-client.c, the
 * pinned transport every network driver shares, and
 * vouch-device-client-api.c, the API's three calls), which keeps its own
 * checks and messages: this file only maps the driver's questions onto
 * them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-api-driver"

#include "vouch-config.h"

#include "vouch-api-driver.h"

#include "vouch-device-driver-private.h"

#include <glib/gi18n-lib.h>

struct _VouchApiDriver
{
  VouchDeviceDriver parent_instance;
};

G_DEFINE_FINAL_TYPE (VouchApiDriver, vouch_api_driver, VOUCH_TYPE_DEVICE_DRIVER)

static const char * const key_types[] = {
  "ecdsa-p256", "ecdsa-p384", "rsa-3072", "rsa-4096", NULL
};

static const VouchDriverInfo info = {
  .id = "vouch",
  .title = N_("Vouch API"),
  .key_types = key_types,
  .name_kinds = VOUCH_DRIVER_NAMES_DNS | VOUCH_DRIVER_NAMES_IP,
  .credentials = VOUCH_DRIVER_CREDENTIALS_SECRET,
  .identity = (VOUCH_DRIVER_IDENTITY_SETUP_CODE | VOUCH_DRIVER_IDENTITY_MANUFACTURER |
               VOUCH_DRIVER_IDENTITY_FINGERPRINT),
  .csr_challenge = TRUE,
  .by_hand = FALSE,
};

static void
info_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchDeviceDriver *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) answer = NULL;
  VouchDeviceIdentity *identity;
  GError *error = NULL;

  answer = vouch_device_client_get_info_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  identity = _vouch_device_driver_identity (self,
                                            json_object_get_string_member_with_default (answer, "device_id", NULL),
                                            json_object_get_string_member_with_default (answer, "model", NULL),
                                            &error);
  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, (GDestroyNotify)vouch_device_identity_free);
}

static void
vouch_api_driver_identify_async (VouchDeviceDriver   *self,
                                 gboolean             new_connection,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vouch_api_driver_identify_async);
  vouch_device_client_get_info_async (_vouch_device_driver_get_client (self), new_connection,
                                      cancellable, info_cb, task);
}

static void
csr_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *csr;

  csr = vouch_device_client_request_csr_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (csr == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, csr, g_free);
}

static void
vouch_api_driver_request_csr_async (VouchDeviceDriver     *self,
                                    const VouchCsrRequest *request,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vouch_api_driver_request_csr_async);
  vouch_device_client_request_csr_async (_vouch_device_driver_get_client (self), request->nonce,
                                         request->names, request->key_type, request->reuse_key,
                                         cancellable, csr_cb, task);
}

static void
install_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!vouch_device_client_install_chain_finish (VOUCH_DEVICE_CLIENT (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
vouch_api_driver_install_chain_async (VouchDeviceDriver   *self,
                                      const char          *chain_pem,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vouch_api_driver_install_chain_async);
  vouch_device_client_install_chain_async (_vouch_device_driver_get_client (self), chain_pem,
                                           cancellable, install_cb, task);
}

static void
vouch_api_driver_class_init (VouchApiDriverClass *klass)
{
  VouchDeviceDriverClass *driver_class = VOUCH_DEVICE_DRIVER_CLASS (klass);

  driver_class->info = &info;
  driver_class->identify_async = vouch_api_driver_identify_async;
  driver_class->request_csr_async = vouch_api_driver_request_csr_async;
  driver_class->install_chain_async = vouch_api_driver_install_chain_async;
}

static void
vouch_api_driver_init (VouchApiDriver *self)
{
}
