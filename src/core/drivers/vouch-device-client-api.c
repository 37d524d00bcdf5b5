/* vouch-device-client-api.c: the Vouch API's three calls (info, CSR,
 * certificate) over the transport in vouch-device-client.c, which other
 * drivers share through vouch_device_client_send_async()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-device-client"

#include "vouch-config.h"

#include "vouch-device-client.h"
#include "vouch-device-client-private.h"

/**
 * vouch_device_client_get_info_async:
 * @new_connection: use a fresh TLS connection, to see what a new client
 *   would be shown
 */
void
vouch_device_client_get_info_async (VouchDeviceClient   *self,
                                    gboolean             new_connection,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VOUCH_IS_DEVICE_CLIENT (self));

  task = _vouch_device_client_start_request (self, "GET", "/info", NULL, NULL, NULL, FALSE,
                                             new_connection, vouch_device_client_get_info_async,
                                             cancellable, callback, user_data);
}

/**
 * vouch_device_client_get_info_finish:
 *
 * Returns: (transfer full): the device's info object, with at least a
 *   string `device_id`
 */
JsonObject *
vouch_device_client_get_info_finish (VouchDeviceClient  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_autoptr(JsonObject) info = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  info = g_task_propagate_pointer (G_TASK (result), error);
  if (info == NULL || !_vouch_device_client_check_info (info, error))
    return NULL;

  return _vouch_device_client_sanitize_info (info);
}

void
vouch_device_client_request_csr_async (VouchDeviceClient   *self,
                                       const char          *nonce,
                                       const char * const  *names,
                                       const char          *key_type,
                                       gboolean             reuse_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VOUCH_IS_DEVICE_CLIENT (self));
  g_return_if_fail (nonce != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "nonce");
  json_builder_add_string_value (builder, nonce);
  json_builder_set_member_name (builder, "names");
  json_builder_begin_array (builder);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
  if (key_type != NULL)
    {
      json_builder_set_member_name (builder, "key_type");
      json_builder_add_string_value (builder, key_type);
    }
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, reuse_key ? "current" : "new");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  bytes = _vouch_device_client_json_bytes (body);
  task = _vouch_device_client_start_request (self, "POST", "/csr", bytes, "application/json",
                                             NULL, TRUE, FALSE,
                                             vouch_device_client_request_csr_async, cancellable,
                                             callback, user_data);
  _vouch_device_client_request_set_nonce (task, nonce);
}

/**
 * vouch_device_client_request_csr_finish:
 *
 * Returns: (transfer full): the CSR in PEM, after checking that the device
 *   echoed the nonce
 */
char *
vouch_device_client_request_csr_finish (VouchDeviceClient  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_autoptr(JsonObject) answer = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return NULL;

  return _vouch_device_client_check_csr (answer,
                                         _vouch_device_client_request_get_nonce (G_TASK (result)),
                                         error);
}

void
vouch_device_client_install_chain_async (VouchDeviceClient   *self,
                                         const char          *chain_pem,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VOUCH_IS_DEVICE_CLIENT (self));
  g_return_if_fail (chain_pem != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "chain");
  json_builder_add_string_value (builder, chain_pem);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  bytes = _vouch_device_client_json_bytes (body);
  task = _vouch_device_client_start_request (self, "PUT", "/certificate", bytes,
                                             "application/json", NULL, TRUE, FALSE,
                                             vouch_device_client_install_chain_async, cancellable,
                                             callback, user_data);
}

gboolean
vouch_device_client_install_chain_finish (VouchDeviceClient  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_autoptr(JsonObject) answer = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  return answer != NULL;
}
