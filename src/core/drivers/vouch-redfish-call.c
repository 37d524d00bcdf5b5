/* vouch-redfish-call.c: the parts of a Redfish conversation every flow
 * shares
 *
 * A conversation opens a session (POST SessionService/Sessions, then the
 * X-Auth-Token on every request) or, on a service without sessions, sends
 * Basic auth on every request; it always ends by deleting the session,
 * after a failure too. A 503 (bmcweb: one CSR at a time) is retried after
 * its Retry-After, a few times; a 401 in the middle (the session expired)
 * logs in once more and sends the request again. Every answer is read
 * through the pinned, bounded transport of vouch-device-client.c, and
 * every link a device returns must be a plain /redfish/v1 path on the
 * same device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-redfish-call"

#include "vouch-config.h"

#include "vouch-redfish-call.h"

#include "vouch-driver-answers-private.h"

#include "vouch-error.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>

#define SESSIONS_PATH "/redfish/v1/SessionService/Sessions"
#define MAX_BUSY_RETRIES 3
#define MAX_RETRY_AFTER 30
#define MAX_PATH 512
/* Redfish nests links and messages a few levels; no answer needs more. */
#define MAX_JSON_DEPTH 16

VouchRedfishCall *
_vouch_redfish_call_new (VouchDeviceDriver *driver,
                         guint              poll_ms)
{
  VouchRedfishCall *call = g_new0 (VouchRedfishCall, 1);

  call->driver = g_object_ref (driver);
  call->poll_ms = poll_ms;
  return call;
}

void
_vouch_redfish_call_free (VouchRedfishCall *call)
{
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_clear_object (&call->driver);
  if (call->token != NULL)
    gnutls_memset (call->token, 0, strlen (call->token));
  g_clear_pointer (&call->token, g_free);
  g_clear_pointer (&call->session_uri, g_free);
  g_clear_pointer (&call->manager_uri, g_free);
  g_clear_pointer (&call->collection_uri, g_free);
  g_clear_pointer (&call->certificate_uri, g_free);
  g_clear_pointer (&call->oem_uri, g_free);
  g_clear_pointer (&call->method, g_free);
  g_clear_pointer (&call->path, g_free);
  g_clear_pointer (&call->body, json_node_unref);
  g_clear_pointer (&call->names, g_strfreev);
  g_clear_pointer (&call->key_type, g_free);
  g_clear_pointer (&call->chain_pem, g_free);
  g_clear_pointer (&call->new_key_sha256, g_free);
  g_clear_pointer (&call->result, g_free);
  g_free (call);
}

/* A link from the device is followed only if it stays a plain path in the
 * Redfish tree: never another host, never a query, never a way up. */
gboolean
_vouch_redfish_is_path (const char *path)
{
  if (path == NULL || !g_str_has_prefix (path, "/redfish/v1") || strlen (path) > MAX_PATH ||
      strstr (path, "//") != NULL || strstr (path, "..") != NULL)
    return FALSE;

  for (const char *p = path; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/._-~%", *p) == NULL)
      return FALSE;

  return TRUE;
}

/* @member's `@odata.id`, when it is a path Vouch follows. */
const char *
_vouch_redfish_link (JsonObject *object,
                     const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  const char *path;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  path = _vouch_driver_json_string (json_node_get_object (node), "@odata.id");
  return _vouch_redfish_is_path (path) ? path : NULL;
}

/* Redfish's own explanation of a refusal, made safe to show. */
char *
_vouch_redfish_message (GBytes *body)
{
  g_autoptr(JsonObject) root = NULL;
  JsonNode *error;
  JsonNode *info;
  const char *text = NULL;

  if (body == NULL || g_bytes_get_size (body) == 0 ||
      (root = _vouch_redfish_parse_answer (body, NULL)) == NULL)
    return NULL;

  error = json_object_get_member (root, "error");
  if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
    return NULL;

  info = json_object_get_member (json_node_get_object (error), "@Message.ExtendedInfo");
  if (info != NULL && JSON_NODE_HOLDS_ARRAY (info) &&
      json_array_get_length (json_node_get_array (info)) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (info), 0)))
    text = _vouch_driver_json_string (json_array_get_object_element (json_node_get_array (info), 0),
                                      "Message");
  if (text == NULL)
    text = _vouch_driver_json_string (json_node_get_object (error), "message");

  return text != NULL ? vouch_text_sanitize (text, -1, 200) : NULL;
}

/**
 * _vouch_redfish_parse_answer:
 * @body: (nullable): a Redfish answer's body as the device sent it
 *
 * Through the bounded parser, so a device's nesting never reaches
 * json-glib's recursion and a string that is not UTF-8 never reaches the
 * inventory or the operator.
 *
 * Returns: (transfer full): the answer's object (an empty one for an empty
 *   body), or %NULL with %VOUCH_ERROR_DEVICE_PROTOCOL
 */
JsonObject *
_vouch_redfish_parse_answer (GBytes  *body,
                             GError **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return json_object_new ();

  root = vouch_json_parse_bounded (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   MAX_JSON_DEPTH, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The device's answer is not a Redfish (JSON) object"));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static const char **
auth_headers (VouchRedfishCall *call,
              char            **basic)
{
  static const char *headers[5];

  headers[0] = "Accept";
  headers[1] = "application/json";
  headers[2] = NULL;
  headers[3] = NULL;
  headers[4] = NULL;
  if (call->token != NULL)
    {
      headers[2] = "X-Auth-Token";
      headers[3] = call->token;
    }
  else if (call->basic && (*basic = _vouch_device_driver_basic_auth (call->driver)) != NULL)
    {
      headers[2] = "Authorization";
      headers[3] = *basic;
    }
  return headers;
}

static void do_send (GTask *task);

static gboolean
resend_cb (gpointer user_data)
{
  GTask *task = user_data;
  VouchRedfishCall *call = g_task_get_task_data (task);

  call->timeout_id = 0;
  do_send (task);
  return G_SOURCE_REMOVE;
}

static void login (GTask *task);

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchRedfishCall *call = g_task_get_task_data (task);
  g_autoptr(VouchDeviceResponse) response = NULL;
  g_autoptr(JsonObject) answer = NULL;
  GError *error = NULL;

  response = vouch_device_client_send_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (response == NULL)
    {
      _vouch_redfish_finish (task, error);
      return;
    }

  if (response->status == SOUP_STATUS_UNAUTHORIZED && call->token != NULL && !call->relogged)
    {
      /* The session expired on the way: one new one, then the same
       * request again. */
      call->relogged = TRUE;
      g_clear_pointer (&call->token, g_free);
      g_clear_pointer (&call->session_uri, g_free);
      login (task);
      return;
    }

  if ((response->status == SOUP_STATUS_SERVICE_UNAVAILABLE || response->status == 429) &&
      call->busy_retries < MAX_BUSY_RETRIES)
    {
      const char *retry_after = soup_message_headers_get_one (response->headers, "Retry-After");
      guint64 seconds = 1;

      if (retry_after != NULL)
        g_ascii_string_to_unsigned (retry_after, 10, 0, MAX_RETRY_AFTER, &seconds, NULL);
      call->busy_retries++;
      _vouch_redfish_later (task, MAX (seconds, 1) * 1000, resend_cb);
      return;
    }

  if (!_vouch_device_driver_check_status (call->driver, response, call->doing, &error))
    {
      g_autofree char *message = _vouch_redfish_message (response->body);

      _vouch_device_driver_add_detail (error, message);
      _vouch_redfish_finish (task, error);
      return;
    }

  answer = _vouch_redfish_parse_answer (response->body, &error);
  if (answer == NULL)
    {
      _vouch_redfish_finish (task, error);
      return;
    }

  call->busy_retries = 0;
  call->step (task, answer, response);
}

static void
do_send (GTask *task)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  g_autofree char *basic = NULL;
  const char **headers = auth_headers (call, &basic);

  if (g_task_return_error_if_cancelled (task))
    return;

  vouch_device_client_send_async (_vouch_device_driver_get_client (call->driver), call->method,
                                  call->path, call->body, headers, FALSE,
                                  g_task_get_cancellable (task), send_cb, g_object_ref (task));
  if (basic != NULL)
    gnutls_memset (basic, 0, strlen (basic));
}

/**
 * _vouch_redfish_send:
 * @body: (transfer full) (nullable): the JSON to send
 * @doing: what this request does, for the operator ("asking for a CSR")
 *
 * Sends one request in the conversation and hands a successful answer to
 * @step; anything else ends the conversation with a specific error.
 */
void
_vouch_redfish_send (GTask            *task,
                     const char       *method,
                     const char       *path,
                     JsonNode         *body,
                     const char       *doing,
                     VouchRedfishStep  step)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  g_free (call->method);
  call->method = g_strdup (method);
  g_free (call->path);
  call->path = g_strdup (path);
  g_clear_pointer (&call->body, json_node_unref);
  call->body = body;
  call->doing = doing;
  call->step = step;
  call->busy_retries = 0;
  do_send (task);
}

static gboolean
later_cb (gpointer user_data)
{
  GTask *task = user_data;
  VouchRedfishCall *call = g_task_get_task_data (task);

  call->timeout_id = 0;
  return G_SOURCE_REMOVE;
}

/* Runs @again on @task after @milliseconds; the task is held until then. */
void
_vouch_redfish_later (GTask       *task,
                      guint        milliseconds,
                      GSourceFunc  again)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  g_assert (call->timeout_id == 0);
  call->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, milliseconds,
                                         again != NULL ? again : later_cb,
                                         g_object_ref (task), g_object_unref);
}

static char *
path_of (const char *location)
{
  g_autoptr(GUri) uri = NULL;

  if (location == NULL)
    return NULL;
  if (location[0] == '/')
    return _vouch_redfish_is_path (location) ? g_strdup (location) : NULL;

  uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || !_vouch_redfish_is_path (g_uri_get_path (uri)))
    return NULL;
  return g_strdup (g_uri_get_path (uri));
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchRedfishCall *call = g_task_get_task_data (task);
  g_autoptr(VouchDeviceResponse) response = NULL;
  GError *error = NULL;
  const char *token;

  response = vouch_device_client_send_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (response == NULL)
    {
      _vouch_redfish_finish (task, error);
      return;
    }

  switch (response->status)
    {
    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
    case SOUP_STATUS_NOT_IMPLEMENTED:
      /* No session service: Basic auth on every request instead. */
      call->basic = TRUE;
      break;

    default:
      if (!_vouch_device_driver_check_status (call->driver, response, _("logging in"), &error))
        {
          _vouch_redfish_finish (task, error);
          return;
        }
      token = soup_message_headers_get_one (response->headers, "X-Auth-Token");
      if (token == NULL || *token == '\0' || strlen (token) > 1024)
        {
          call->basic = TRUE;
          break;
        }
      call->token = g_strdup (token);
      call->session_uri = path_of (soup_message_headers_get_one (response->headers, "Location"));
      break;
    }

  /* After a login in the middle of the conversation, the request it
   * interrupted is sent again; otherwise the flow starts. */
  if (call->path != NULL)
    do_send (task);
  else
    call->step (task, NULL, response);
}

static void
login (GTask *task)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  const char *headers[] = { "Accept", "application/json", NULL };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "UserName");
  json_builder_add_string_value (builder, vouch_device_driver_get_user (call->driver));
  json_builder_set_member_name (builder, "Password");
  json_builder_add_string_value (builder, vouch_device_driver_get_secret (call->driver));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  vouch_device_client_send_async (_vouch_device_driver_get_client (call->driver), "POST",
                                  SESSIONS_PATH, body, headers, FALSE,
                                  g_task_get_cancellable (task), login_cb, g_object_ref (task));
}

/**
 * _vouch_redfish_login:
 * @then: called with a NULL answer once the conversation may begin
 */
void
_vouch_redfish_login (GTask            *task,
                      VouchRedfishStep  then)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  if (vouch_device_driver_get_user (call->driver) == NULL ||
      vouch_device_driver_get_secret (call->driver) == NULL)
    {
      _vouch_redfish_finish (task, g_error_new (VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED,
                                                _("Vouch needs the BMC's user name and password "
                                                  "to manage its certificate")));
      return;
    }

  call->step = then;
  login (task);
}

typedef struct
{
  GTask *task;
  void (*then) (GTask *task);
} EndSession;

static void
end_session_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  EndSession *end = user_data;
  g_autoptr(GTask) task = end->task;
  g_autoptr(VouchDeviceResponse) response = NULL;

  /* A session that could not be deleted times out on the device; that
   * is no reason to fail what was done. */
  response = vouch_device_client_send_finish (VOUCH_DEVICE_CLIENT (object), result, NULL);
  end->then (task);
  g_free (end);
}

/* Deletes the session, if there is one, and then goes on. */
void
_vouch_redfish_end_session (GTask  *task,
                            void  (*then) (GTask *task))
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  const char *headers[] = { "X-Auth-Token", call->token, NULL };
  EndSession *end;

  if (call->token == NULL || call->session_uri == NULL)
    {
      then (task);
      return;
    }

  end = g_new0 (EndSession, 1);
  end->task = g_object_ref (task);
  end->then = then;
  /* Not cancellable: a cancelled run still ends its session. */
  vouch_device_client_send_async (_vouch_device_driver_get_client (call->driver), "DELETE",
                                  call->session_uri, NULL, headers, FALSE, NULL, end_session_cb,
                                  end);
  gnutls_memset (call->token, 0, strlen (call->token));
  g_clear_pointer (&call->token, g_free);
  g_clear_pointer (&call->session_uri, g_free);
}

static void
return_result (GTask *task)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  if (call->result != NULL)
    g_task_return_pointer (task, g_steal_pointer (&call->result), g_free);
  else
    g_task_return_boolean (task, TRUE);
}

static void
return_error (GTask *task)
{
  GError *error = g_object_steal_data (G_OBJECT (task), "vouch-redfish-error");

  g_task_return_error (task, error);
}

/**
 * _vouch_redfish_finish:
 * @error: (transfer full) (nullable): why the conversation failed
 *
 * Ends the session and returns the flow's result (call->result, or
 * %TRUE) or @error.
 */
void
_vouch_redfish_finish (GTask  *task,
                       GError *error)
{
  if (error != NULL)
    {
      g_object_set_data_full (G_OBJECT (task), "vouch-redfish-error", error,
                              (GDestroyNotify)g_error_free);
      _vouch_redfish_end_session (task, return_error);
    }
  else
    _vouch_redfish_end_session (task, return_result);
}
