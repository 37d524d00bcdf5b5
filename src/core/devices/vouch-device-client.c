/* vouch-device-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
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
  if (self->secret != NULL)
    {
      gnutls_memset (self->secret, 0, strlen (self->secret));
      g_clear_pointer (&self->secret, g_free);
    }

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

const char *
vouch_device_client_get_base_url (VouchDeviceClient *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_CLIENT (self), NULL);
  return self->base_url;
}

const char *
vouch_device_client_get_pin (VouchDeviceClient *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_CLIENT (self), NULL);
  return self->pin;
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

  if (self->secret != NULL)
    gnutls_memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  self->secret = g_strdup (secret);
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

static GTask *
start_request (VouchDeviceClient   *self,
               const char          *method,
               const char          *path,
               JsonNode            *body,
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

  soup_message_add_flags (request->message,
                          SOUP_MESSAGE_NO_REDIRECT |
                          (new_connection ? SOUP_MESSAGE_NEW_CONNECTION : 0));
  g_signal_connect (request->message, "accept-certificate",
                    G_CALLBACK (accept_certificate_cb), request);

  if (authenticate && self->secret != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->secret, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                    "Authorization", value);
      gnutls_memset (value, 0, strlen (value));
    }

  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), strlen (text));

      soup_message_set_request_body_from_bytes (request->message, "application/json", bytes);
    }

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->deadline, send_cb, g_object_ref (task));
  return task;
}

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

  task = start_request (self, "GET", "/info", NULL, FALSE, new_connection,
                        vouch_device_client_get_info_async, cancellable, callback, user_data);
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
  g_autoptr(GTask) task = NULL;
  Request *request;

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

  task = start_request (self, "POST", "/csr", body, TRUE, FALSE,
                        vouch_device_client_request_csr_async, cancellable, callback, user_data);
  request = g_task_get_task_data (task);
  request->nonce = g_strdup (nonce);
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
  Request *request;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  request = g_task_get_task_data (G_TASK (result));
  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return NULL;

  return _vouch_device_client_check_csr (answer, request->nonce, error);
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
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VOUCH_IS_DEVICE_CLIENT (self));
  g_return_if_fail (chain_pem != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "chain");
  json_builder_add_string_value (builder, chain_pem);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = start_request (self, "PUT", "/certificate", body, TRUE, FALSE,
                        vouch_device_client_install_chain_async, cancellable, callback, user_data);
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
