/* vouch-device-client-private.h: how a device's answer is interpreted,
 * apart from the transport, so tests and tests/fuzz/fuzz-device-json can
 * feed it any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-client.h"

G_BEGIN_DECLS

JsonObject *_vouch_device_client_parse_response (guint        status,
                                                 const char  *body,
                                                 gsize        len,
                                                 GError     **error);
gboolean    _vouch_device_client_check_info     (JsonObject  *info,
                                                 GError     **error);
JsonObject *_vouch_device_client_sanitize_info  (JsonObject  *info);
char       *_vouch_device_client_check_csr      (JsonObject  *answer,
                                                 const char  *nonce,
                                                 GError     **error);

/* The transport, for the Vouch API's calls in vouch-device-client-api.c. */
GTask      *_vouch_device_client_start_request     (VouchDeviceClient   *self,
                                                    const char          *method,
                                                    const char          *path,
                                                    GBytes              *body,
                                                    const char          *content_type,
                                                    const char * const  *headers,
                                                    gboolean             authenticate,
                                                    gboolean             new_connection,
                                                    gpointer             source_tag,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GBytes     *_vouch_device_client_json_bytes        (JsonNode            *body);
void        _vouch_device_client_request_set_nonce (GTask               *task,
                                                    const char          *nonce);
const char *_vouch_device_client_request_get_nonce (GTask               *task);

G_END_DECLS
