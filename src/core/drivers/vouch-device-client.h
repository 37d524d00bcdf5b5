/* vouch-device-client.h: talking to a device's API over pinned HTTPS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define VOUCH_DEVICE_CLIENT_MAX_RESPONSE (64 * 1024)
#define VOUCH_DEVICE_CLIENT_DEFAULT_TIMEOUT 20

/* A device's answer as it came, for APIs other than the Vouch API
 * (Redfish, VAPIX), whose drivers read it themselves. */
typedef struct
{
  guint               status;
  GBytes             *body;    /* at most VOUCH_DEVICE_CLIENT_MAX_RESPONSE */
  SoupMessageHeaders *headers;
} VouchDeviceResponse;

void                 vouch_device_response_free (VouchDeviceResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchDeviceResponse, vouch_device_response_free)

#define VOUCH_TYPE_DEVICE_CLIENT (vouch_device_client_get_type ())

G_DECLARE_FINAL_TYPE (VouchDeviceClient, vouch_device_client, VOUCH, DEVICE_CLIENT, GObject)

VouchDeviceClient *vouch_device_client_new                (const char           *base_url);
void               vouch_device_client_set_pin            (VouchDeviceClient    *self,
                                                           const char           *spki_sha256);
void               vouch_device_client_set_admin_secret   (VouchDeviceClient    *self,
                                                           const char           *secret);
void               vouch_device_client_set_credentials    (VouchDeviceClient    *self,
                                                           const char           *user,
                                                           const char           *password);
void               vouch_device_client_set_timeout        (VouchDeviceClient    *self,
                                                           guint                 seconds);
const char        *vouch_device_client_get_peer_spki      (VouchDeviceClient    *self);
GTlsCertificate   *vouch_device_client_get_peer_certificate (VouchDeviceClient  *self);

void               vouch_device_client_get_info_async     (VouchDeviceClient    *self,
                                                           gboolean              new_connection,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
JsonObject        *vouch_device_client_get_info_finish    (VouchDeviceClient    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               vouch_device_client_request_csr_async  (VouchDeviceClient    *self,
                                                           const char           *nonce,
                                                           const char * const   *names,
                                                           const char           *key_type,
                                                           gboolean              reuse_key,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
char              *vouch_device_client_request_csr_finish (VouchDeviceClient    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               vouch_device_client_install_chain_async  (VouchDeviceClient  *self,
                                                             const char         *chain_pem,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
gboolean           vouch_device_client_install_chain_finish (VouchDeviceClient  *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);

void               vouch_device_client_send_async         (VouchDeviceClient    *self,
                                                           const char           *method,
                                                           const char           *path,
                                                           JsonNode             *body,
                                                           const char * const   *headers,
                                                           gboolean              new_connection,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void               vouch_device_client_send_bytes_async   (VouchDeviceClient    *self,
                                                           const char           *method,
                                                           const char           *path,
                                                           GBytes               *body,
                                                           const char           *content_type,
                                                           const char * const   *headers,
                                                           gboolean              new_connection,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
VouchDeviceResponse *vouch_device_client_send_finish      (VouchDeviceClient    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
