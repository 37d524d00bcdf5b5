/* vouch-acme-http01.c
 *
 * RFC 8555 §8.3: GET http://NAME/.well-known/acme-challenge/TOKEN and
 * compare the body with the key authorization. The TCP connection goes
 * to the one address resolution permitted, on port 80, whatever the URL
 * says (SoupSession:remote-connectable), and no proxy is asked. A
 * redirect is followed only to the same host on port 80, a few times;
 * anything else is refused, since a redirect is how a hostile client
 * would point Vouch at another machine. The body is read only up to a
 * bound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-http01"

#include "vouch-config.h"

#include "vouch-acme-network-validator-private.h"

#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

typedef struct
{
  char         *identifier;
  char         *key_authorization;
  GUri         *uri;
  SoupSession  *session;
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  guint         redirects;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->session);
  g_clear_pointer (&fetch->uri, g_uri_unref);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_free (fetch->identifier);
  g_free (fetch->key_authorization);
  g_free (fetch);
}

static void send_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
send_request (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_clear_object (&fetch->message);
  fetch->message = soup_message_new_from_uri (SOUP_METHOD_GET, fetch->uri);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (fetch->session, fetch->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, task);
}

/* RFC 8555 §8.3: trailing whitespace is ignored; nothing else is. */
static gboolean
body_matches (Fetch *fetch)
{
  gsize len = fetch->body->len;
  gsize expected = strlen (fetch->key_authorization);

  while (len > 0 && g_ascii_isspace (fetch->body->data[len - 1]))
    len--;
  return len == expected &&
         vouch_secure_equal (fetch->body->data, fetch->key_authorization, len);
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

/* Takes over @task. Asks for one byte more than allowed, to notice an
 * answer that is too large without reading all of it. */
static void
read_more (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (fetch->stream,
                                   VOUCH_ACME_VALIDATION_MAX_BODY + 1 - fetch->body->len,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   read_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) > 0)
    {
      g_byte_array_append (fetch->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (fetch->body->len > VOUCH_ACME_VALIDATION_MAX_BODY)
        {
          g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
                                   _("The answer for %s is larger than %u bytes; a key "
                                     "authorization is under 100"),
                                   fetch->identifier, VOUCH_ACME_VALIDATION_MAX_BODY);
          return;
        }
      read_more (g_steal_pointer (&task));
      return;
    }

  if (!body_matches (fetch))
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
                               _("%s answered the http-01 challenge with something other "
                                 "than the key authorization"), fetch->identifier);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
follow_redirect (GTask   *task,
                 GError **error)
{
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (fetch->message);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr(GUri) target = NULL;
  const char *host;

  if (++fetch->redirects > VOUCH_ACME_VALIDATION_MAX_REDIRECTS)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_CONNECTION,
                   _("%s redirected more than %u times"), fetch->identifier,
                   VOUCH_ACME_VALIDATION_MAX_REDIRECTS);
      return FALSE;
    }
  if (location != NULL)
    target = g_uri_parse_relative (fetch->uri, location, G_URI_FLAGS_NONE, NULL);
  if (target == NULL)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_CONNECTION,
                   _("%s redirected to no valid address"), fetch->identifier);
      return FALSE;
    }

  host = g_uri_get_host (target);
  if (g_strcmp0 (g_uri_get_scheme (target), "http") != 0 || host == NULL ||
      g_ascii_strcasecmp (host, g_uri_get_host (fetch->uri)) != 0 ||
      (g_uri_get_port (target) != -1 && g_uri_get_port (target) != 80))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_CONNECTION,
                   _("%s redirected to another host or port; Vouch follows redirects only "
                     "to the same host on port 80"), fetch->identifier);
      return FALSE;
    }

  g_clear_pointer (&fetch->uri, g_uri_unref);
  fetch->uri = g_steal_pointer (&target);
  send_request (g_object_ref (task));
  return TRUE;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  guint status;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (fetch->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status = soup_message_get_status (fetch->message);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_clear_object (&fetch->stream);
      if (!follow_redirect (task, &error))
        g_task_return_error (task, error);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
                               _("%s answered the http-01 challenge with HTTP status %u"),
                               fetch->identifier, status);
      return;
    }

  read_more (g_steal_pointer (&task));
}

void
_vouch_acme_http01_async (VouchAcmeNetworkValidator *self,
                          const char                *identifier_type,
                          const char                *identifier_value,
                          GInetAddress              *address,
                          const char                *token,
                          const char                *key_authorization,
                          GCancellable              *cancellable,
                          GAsyncReadyCallback        callback,
                          gpointer                   user_data)
{
  g_autoptr(GSocketAddress) remote = NULL;
  g_autofree char *path = NULL;
  GTask *task;
  Fetch *fetch;
  guint timeout = vouch_acme_network_validator_get_timeout (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _vouch_acme_http01_async);

  fetch = g_new0 (Fetch, 1);
  fetch->identifier = g_strdup (identifier_value);
  fetch->key_authorization = g_strdup (key_authorization);
  fetch->body = g_byte_array_new ();
  g_task_set_task_data (task, fetch, (GDestroyNotify)fetch_free);

  /* GUri brackets an IPv6 literal host itself. */
  path = g_strconcat ("/.well-known/acme-challenge/", token, NULL);
  fetch->uri = g_uri_build (G_URI_FLAGS_NONE, "http", NULL, identifier_value, -1, path,
                            NULL, NULL);

  remote = g_inet_socket_address_new (address, 80);
  fetch->session = soup_session_new_with_options ("remote-connectable", remote,
                                                  "proxy-resolver", NULL,
                                                  "timeout", timeout,
                                                  "idle-timeout", timeout,
                                                  "max-conns-per-host", 1,
                                                  "user-agent", "Vouch ACME validator",
                                                  NULL);
  send_request (task);
}

gboolean
_vouch_acme_challenge_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
