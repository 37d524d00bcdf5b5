/* vouch-device-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-device-client"

#include "vouch-config.h"

#include "vouch-device-client.h"
#include "vouch-device-client-private.h"

#include "vouch-error.h"
#include "vouch-pinned-database.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#define READ_CHUNK 8192

/* Every answer from a device is hostile until checked. The session trusts
 * no certificate authority at all (VouchPinnedDatabase), so every handshake
 * goes through accept_certificate_cb(), which accepts exactly the pinned
 * key; before verification there is no pin and the key seen is recorded
 * for the caller to check against the setup code. Proxies are never used,
 * redirects are refused, responses are read up to a fixed size, and every
 * request has an overall deadline on top of libsoup's I/O timeouts. */
struct _VouchDeviceClient
{
  GObject          parent_instance;

  SoupSession     *session;
  char            *base_url;
  char            *pin;
  char            *secret;
  char            *user;
  char            *password;
  char            *peer_spki;
  GTlsCertificate *peer_certificate;
  guint            timeout;
};

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_PIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchDeviceClient, vouch_device_client, G_TYPE_OBJECT)

typedef struct
{
  VouchDeviceClient *client;
  SoupMessage       *message;
  GInputStream      *stream;
  GByteArray        *body;
  GCancellable      *deadline;
  GCancellable      *caller_cancellable;
  gulong             cancelled_id;
  guint              timeout_id;
  gboolean           timed_out;
  gboolean           key_changed;
  gboolean           raw;
  char              *nonce;
} Request;

static void
request_free (Request *request)
{
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  if (request->cancelled_id != 0)
    g_cancellable_disconnect (request->caller_cancellable, request->cancelled_id);
  g_clear_object (&request->caller_cancellable);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_clear_object (&request->deadline);
  g_clear_object (&request->client);
  g_clear_pointer (&request->nonce, g_free);
  g_free (request);
}

static void
wipe (char **secret)
{
  if (*secret != NULL)
    gnutls_memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

void
vouch_device_response_free (VouchDeviceResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

static void
vouch_device_client_dispose (GObject *object)
{
  VouchDeviceClient *self = (VouchDeviceClient *)object;

  g_clear_object (&self->session);
  g_clear_object (&self->peer_certificate);

  G_OBJECT_CLASS (vouch_device_client_parent_class)->dispose (object);
}

static void
vouch_device_client_finalize (GObject *object)
{
  VouchDeviceClient *self = (VouchDeviceClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->pin, g_free);
  g_clear_pointer (&self->peer_spki, g_free);
  g_clear_pointer (&self->user, g_free);
  wipe (&self->secret);
  wipe (&self->password);

  G_OBJECT_CLASS (vouch_device_client_parent_class)->finalize (object);
}

static void
vouch_device_client_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  VouchDeviceClient *self = VOUCH_DEVICE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_PIN:
      g_value_set_string (value, self->pin);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_device_client_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  VouchDeviceClient *self = VOUCH_DEVICE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_PIN:
      vouch_device_client_set_pin (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_device_client_class_init (VouchDeviceClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_device_client_dispose;
  object_class->finalize = vouch_device_client_finalize;
  object_class->get_property = vouch_device_client_get_property;
  object_class->set_property = vouch_device_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PIN] =
    g_param_spec_string ("pin", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_device_client_init (VouchDeviceClient *self)
{
  static gsize default_set = 0;

  /* libsoup creates each TLS connection with the process default database
   * and only then applies the session's; make that default the pinned one
   * too, once. Vouch makes no other TLS connections that need system CAs. */
  if (g_once_init_enter (&default_set))
    {
      g_tls_backend_set_default_database (g_tls_backend_get_default (),
                                          vouch_pinned_database_get_default ());
      g_once_init_leave (&default_set, 1);
    }

  self->timeout = VOUCH_DEVICE_CLIENT_DEFAULT_TIMEOUT;
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "timeout", 10,
                                "idle-timeout", 30,
                                "max-conns-per-host", 2,
                                "user-agent", "Vouch/" PACKAGE_VERSION,
                                "proxy-resolver", NULL,
                                "tls-database", vouch_pinned_database_get_default (),
                                NULL);
}

/**
 * vouch_device_client_new:
 * @base_url: the API's root, such as `https://192.168.1.20:8443/vouch/v1`
 */
VouchDeviceClient *
vouch_device_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (VOUCH_TYPE_DEVICE_CLIENT, "base-url", base_url, NULL);
}

/**
 * vouch_device_client_set_pin:
 * @spki_sha256: (nullable): the SHA-256 of the only public key to accept,
 *   lowercase hex; %NULL for a first contact that only records the key
 */
void
vouch_device_client_set_pin (VouchDeviceClient *self,
                             const char        *spki_sha256)
{
  g_return_if_fail (VOUCH_IS_DEVICE_CLIENT (self));

  if (vouch_set_str (&self->pin, spki_sha256))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN]);
}

void
vouch_device_client_set_admin_secret (VouchDeviceClient *self,
                                      const char        *secret)
{
  g_return_if_fail (VOUCH_IS_DEVICE_CLIENT (self));

  wipe (&self->secret);
  self->secret = g_strdup (secret);
}

/**
 * vouch_device_client_set_credentials:
 * @user: (nullable): a user name
 * @password: (nullable): its password
 *
 * Answers the device's HTTP authentication challenge (Basic or Digest,
 * as libsoup negotiates it) with these, once per request.
 */
void
vouch_device_client_set_credentials (VouchDeviceClient *self,
                                     const char        *user,
                                     const char        *password)
{
  g_return_if_fail (VOUCH_IS_DEVICE_CLIENT (self));

  vouch_set_str (&self->user, user);
  wipe (&self->password);
  self->password = g_strdup (password);
}

void
vouch_device_client_set_timeout (VouchDeviceClient *self,
                                 guint              seconds)
{
  g_return_if_fail (VOUCH_IS_DEVICE_CLIENT (self));
  self->timeout = MAX (seconds, 1);
}

/**
 * vouch_device_client_get_peer_spki:
 *
 * Returns: (nullable): the SHA-256 of the key the device presented in the
 *   last handshake, pinned or not
 */
const char *
vouch_device_client_get_peer_spki (VouchDeviceClient *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_CLIENT (self), NULL);
  return self->peer_spki;
}

/**
 * vouch_device_client_get_peer_certificate:
 *
 * Returns: (transfer none) (nullable): the chain the device presented in
 *   the last handshake
 */
GTlsCertificate *
vouch_device_client_get_peer_certificate (VouchDeviceClient *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_CLIENT (self), NULL);
  return self->peer_certificate;
}

static char *
certificate_spki_sha256 (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  gnutls_datum_t datum;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  datum.data = der->data;
  datum.size = der->len;
  if (gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0 ||
      gnutls_pubkey_init (&pubkey) < 0 ||
      gnutls_pubkey_import_x509 (pubkey, crt, 0) < 0)
    return NULL;

  return vouch_pubkey_spki_sha256_hex (pubkey, NULL);
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Request *request = user_data;
  VouchDeviceClient *self = request->client;
  g_autofree char *spki = certificate_spki_sha256 (certificate);

  if (spki == NULL)
    return FALSE;

  g_set_object (&self->peer_certificate, certificate);
  vouch_set_str (&self->peer_spki, spki);

  if (self->pin == NULL)
    return TRUE;

  /* Both are lowercase hex of the same length; compare without an early
   * exit all the same. */
  if (strlen (spki) == strlen (self->pin) && vouch_secure_equal (spki, self->pin, strlen (spki)))
    return TRUE;

  request->key_changed = TRUE;
  return FALSE;
}

/* Answers one challenge; a second one means the credentials were
 * refused, and the 401 reaches the driver. */
static gboolean
authenticate_cb (SoupMessage *message,
                 SoupAuth    *auth,
                 gboolean     retrying,
                 gpointer     user_data)
{
  Request *request = user_data;
  VouchDeviceClient *self = request->client;

  if (retrying || self->user == NULL || self->password == NULL)
    return FALSE;

  soup_auth_authenticate (auth, self->user, self->password);
  return TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  Request *request = user_data;

  request->timeout_id = 0;
  request->timed_out = TRUE;
  g_cancellable_cancel (request->deadline);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GCancellable *deadline)
{
  g_cancellable_cancel (deadline);
}

static void
return_transport_error (GTask  *task,
                        GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (request->key_changed)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_KEY_CHANGED,
                               _("The device presented a different key than the one Vouch "
                                 "verified. This may be a man in the middle; verify the device "
                                 "again before trusting it"));
    }
  else if (request->timed_out)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE,
                               _("The device did not answer within %u seconds"),
                               request->client->timeout);
    }
  else if (g_cancellable_is_cancelled (request->caller_cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
    }
  else
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE,
                               _("Could not reach the device: %s"), error->message);
    }

  g_error_free (error);
}

static void
finish_response (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  JsonObject *object;

  if (request->raw)
    {
      VouchDeviceResponse *response = g_new0 (VouchDeviceResponse, 1);

      response->status = soup_message_get_status (request->message);
      response->headers = soup_message_headers_ref (soup_message_get_response_headers (request->message));
      response->body = g_byte_array_free_to_bytes (g_steal_pointer (&request->body));
      g_task_return_pointer (task, response, (GDestroyNotify)vouch_device_response_free);
      return;
    }

  object = _vouch_device_client_parse_response (soup_message_get_status (request->message),
                                                (const char *)request->body->data,
                                                request->body->len, &error);
  if (object == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, object, (GDestroyNotify)json_object_unref);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      finish_response (task);
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (request->body->len > VOUCH_DEVICE_CLIENT_MAX_RESPONSE)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                               _("The device's answer is larger than %d KiB; Vouch stopped "
                                 "reading"), VOUCH_DEVICE_CLIENT_MAX_RESPONSE / 1024);
      return;
    }

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   request->deadline, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  guint status;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  status = soup_message_get_status (request->message);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (request->message),
                                                           "Location");

      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                               _("The device tried to redirect Vouch elsewhere (%s); Vouch "
                                 "only talks to the device it verified"),
                               location != NULL && strlen (location) < 200 ? location : "?");
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (request->message));
  if (length > VOUCH_DEVICE_CLIENT_MAX_RESPONSE)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                               _("The device's answer is larger than %d KiB; Vouch stopped "
                                 "reading"), VOUCH_DEVICE_CLIENT_MAX_RESPONSE / 1024);
      return;
    }

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   request->deadline, read_cb, g_steal_pointer (&task));
}

GTask *
_vouch_device_client_start_request (VouchDeviceClient   *self,
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
                                    gpointer             user_data)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify)request_free);

  request->client = g_object_ref (self);
  request->body = g_byte_array_new ();
  request->deadline = g_cancellable_new ();
  request->message = soup_message_new (method, url);

  if (request->message == NULL)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                               _("“%s” is not a valid device address"), url);
      return task;
    }

  if (cancellable != NULL)
    {
      request->caller_cancellable = g_object_ref (cancellable);
      request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                     request->deadline, NULL);
    }
  request->timeout_id = g_timeout_add_seconds (self->timeout, deadline_cb, request);

  /* libsoup opens a new connection, a full TLS handshake, for every
   * request whose method is not idempotent (POST, PATCH) unless told the
   * request may reuse one: a Redfish or VAPIX conversation made one per
   * POST (Redfish: 6 handshakes per device where 4 do). Each of Vouch's
   * requests may go on the connection its conversation just used, whose
   * peer key was pinned when it was made. Nothing is sent twice: libsoup
   * re-sends a request after a reused connection fails only when its
   * method is idempotent (request_is_restartable() in libsoup 3.2 looks
   * at the method, not this flag); otherwise the driver sees the error. */
  soup_message_add_flags (request->message,
                          SOUP_MESSAGE_NO_REDIRECT |
                          (new_connection ? SOUP_MESSAGE_NEW_CONNECTION : SOUP_MESSAGE_IDEMPOTENT));
  g_signal_connect (request->message, "accept-certificate",
                    G_CALLBACK (accept_certificate_cb), request);
  g_signal_connect (request->message, "authenticate", G_CALLBACK (authenticate_cb), request);

  if (authenticate && self->secret != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->secret, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                    "Authorization", value);
      gnutls_memset (value, 0, strlen (value));
    }

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                  headers[i], headers[i + 1]);

  if (body != NULL)
    soup_message_set_request_body_from_bytes (request->message, content_type, body);

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->deadline, send_cb, g_object_ref (task));
  return task;
}

GBytes *
_vouch_device_client_json_bytes (JsonNode *body)
{
  g_autofree char *text = json_to_string (body, FALSE);
  gsize len = strlen (text);

  return g_bytes_new_take (g_steal_pointer (&text), len);
}

/**
 * vouch_device_client_send_bytes_async:
 * @path: appended to the base URL
 * @body: (nullable): the request body
 * @content_type: (nullable): its type
 * @headers: (nullable): request headers as name, value, name, value, …
 *
 * Sends one request over the same pinned, bounded transport as the Vouch
 * API's calls, and returns the answer unread: the driver of another API
 * knows what its status and body mean. Finish with
 * vouch_device_client_send_finish().
 */
void
vouch_device_client_send_bytes_async (VouchDeviceClient   *self,
                                      const char          *method,
                                      const char          *path,
                                      GBytes              *body,
                                      const char          *content_type,
                                      const char * const  *headers,
                                      gboolean             new_connection,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (VOUCH_IS_DEVICE_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  task = _vouch_device_client_start_request (self, method, path, body, content_type, headers,
                                             FALSE, new_connection,
                                             vouch_device_client_send_async, cancellable,
                                             callback, user_data);
  /* Read only when the answer arrives, after this returns. */
  request = g_task_get_task_data (task);
  request->raw = TRUE;
}

/**
 * vouch_device_client_send_async:
 * @body: (nullable): sent as `application/json`
 *
 * As vouch_device_client_send_bytes_async(), with a JSON body.
 */
void
vouch_device_client_send_async (VouchDeviceClient   *self,
                                const char          *method,
                                const char          *path,
                                JsonNode            *body,
                                const char * const  *headers,
                                gboolean             new_connection,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GBytes) bytes = body != NULL ? _vouch_device_client_json_bytes (body) : NULL;

  vouch_device_client_send_bytes_async (self, method, path, bytes,
                                        bytes != NULL ? "application/json" : NULL, headers,
                                        new_connection, cancellable, callback, user_data);
}

void
_vouch_device_client_request_set_nonce (GTask      *task,
                                        const char *nonce)
{
  Request *request = g_task_get_task_data (task);

  g_free (request->nonce);
  request->nonce = g_strdup (nonce);
}

const char *
_vouch_device_client_request_get_nonce (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  return request->nonce;
}

/**
 * vouch_device_client_send_finish:
 *
 * Returns: (transfer full): the status, headers and body; a transport
 *   failure, a changed key or a redirect is an error instead
 */
VouchDeviceResponse *
vouch_device_client_send_finish (VouchDeviceClient  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
