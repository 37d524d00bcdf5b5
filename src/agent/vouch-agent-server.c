/* vouch-agent-server.c
 *
 * The device side of docs/device-api.md on a libsoup SoupServer.  Every
 * refusal is an RFC 9457 problem with a stable type URI, and no input can
 * stop the server from answering the next request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-agent-server.h"

#include "vouch-names.h"
#include "vouch-util.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

/* After this many failed authentications within the window, every
 * authenticated request is refused until the oldest failure ages out: a
 * guesser gets 5 tries a minute, whatever it sends. */
#define AUTH_MAX_FAILURES 5
#define AUTH_WINDOW_USEC (60 * G_USEC_PER_SEC)
#define MAX_EXTRA_NAMES 16
#define NONCE_MIN_BYTES 16
#define NONCE_MAX_BYTES 64

typedef enum
{
  PROBLEM_BAD_REQUEST,
  PROBLEM_BAD_JSON,
  PROBLEM_TOO_LARGE,
  PROBLEM_UNAUTHORIZED,
  PROBLEM_RATE_LIMITED,
  PROBLEM_UNSUPPORTED_KEY_TYPE,
  PROBLEM_BAD_NONCE,
  PROBLEM_BAD_NAME,
  PROBLEM_NO_PENDING_KEY,
  PROBLEM_KEY_MISMATCH,
  PROBLEM_NOT_A_CERTIFICATE,
  PROBLEM_BAD_CHAIN,
  PROBLEM_NOT_FOUND,
  PROBLEM_METHOD_NOT_ALLOWED,
  PROBLEM_INTERNAL,
} Problem;

/* Titles stay in English: clients match on the type, people read the
 * detail, which is translated. */
static const struct
{
  const char *slug;
  guint       status;
  const char *title;
} problems[] = {
  [PROBLEM_BAD_REQUEST] = { "bad-request", 400, "Bad request" },
  [PROBLEM_BAD_JSON] = { "bad-json", 400, "Body is not the expected JSON" },
  [PROBLEM_TOO_LARGE] = { "too-large", 413, "Request body too large" },
  [PROBLEM_UNAUTHORIZED] = { "unauthorized", 401, "Admin secret missing or wrong" },
  [PROBLEM_RATE_LIMITED] = { "rate-limited", 429, "Too many failed attempts" },
  [PROBLEM_UNSUPPORTED_KEY_TYPE] = { "unsupported-key-type", 400, "Unsupported key type" },
  [PROBLEM_BAD_NONCE] = { "bad-nonce", 400, "Nonce missing or malformed" },
  [PROBLEM_BAD_NAME] = { "bad-name", 400, "A requested name is not valid" },
  [PROBLEM_NO_PENDING_KEY] = { "no-pending-key", 409, "No pending key" },
  [PROBLEM_KEY_MISMATCH] = { "key-mismatch", 409, "Certificate is for another key" },
  [PROBLEM_NOT_A_CERTIFICATE] = { "not-a-certificate", 400, "Not a certificate" },
  [PROBLEM_BAD_CHAIN] = { "bad-chain", 400, "Chain not usable" },
  [PROBLEM_NOT_FOUND] = { "not-found", 404, "No such resource" },
  [PROBLEM_METHOD_NOT_ALLOWED] = { "method-not-allowed", 405, "Method not allowed" },
  [PROBLEM_INTERNAL] = { "internal-error", 500, "Internal error" },
};

struct _VouchAgentServer
{
  GObject          parent_instance;

  VouchAgentState *state;
  SoupServer      *soup;
  guint8           token_digest[VOUCH_SHA256_LEN];
  GArray          *failures;
};

G_DEFINE_FINAL_TYPE (VouchAgentServer, vouch_agent_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef void (*RouteFunc) (VouchAgentServer  *self,
                           SoupServerMessage *msg,
                           JsonObject        *body);

static void respond_problem (SoupServerMessage *msg,
                             Problem            problem,
                             const char        *detail);

static void
respond_node (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *data;
  gsize len;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, &len);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, data, len);
}

static void
respond_json (SoupServerMessage *msg,
              JsonNode          *node)
{
  respond_node (msg, SOUP_STATUS_OK, "application/json", node);
  json_node_unref (node);
}

static void
respond_problem (SoupServerMessage *msg,
                 Problem            problem,
                 const char        *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *type = g_strconcat (VOUCH_AGENT_PROBLEM_URI, problems[problem].slug, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, problems[problem].title);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, problems[problem].status);
  if (detail != NULL)
    {
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  respond_node (msg, problems[problem].status, "application/problem+json", root);
}

static void
compute_sha256 (const char *text,
                guint8      out[VOUCH_SHA256_LEN])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = VOUCH_SHA256_LEN;

  g_checksum_update (checksum, (const guchar *)text, strlen (text));
  g_checksum_get_digest (checksum, out, &len);
}

/* Compares digests rather than the tokens themselves, so the comparison
 * is constant-time whatever the lengths. */
static gboolean
authorize (VouchAgentServer  *self,
           SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  gint64 now = g_get_monotonic_time ();
  guint8 digest[VOUCH_SHA256_LEN];
  guint expired = 0;

  while (expired < self->failures->len
         && g_array_index (self->failures, gint64, expired) + AUTH_WINDOW_USEC <= now)
    expired++;
  g_array_remove_range (self->failures, 0, expired);

  if (self->failures->len >= AUTH_MAX_FAILURES)
    {
      gint64 oldest = g_array_index (self->failures, gint64, 0);
      gint64 wait = (oldest + AUTH_WINDOW_USEC - now) / G_USEC_PER_SEC + 1;
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, wait);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", retry);
      respond_problem (msg, PROBLEM_RATE_LIMITED,
                       _("Too many wrong admin secrets. Wait before trying again."));
      return FALSE;
    }

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      const char *token = auth + 7;

      while (*token == ' ')
        token++;
      compute_sha256 (token, digest);
      if (vouch_secure_equal (digest, self->token_digest, sizeof digest))
        return TRUE;
    }

  g_array_append_val (self->failures, now);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer realm=\"vouch\"");
  respond_problem (msg, PROBLEM_UNAUTHORIZED,
                   auth == NULL ? _("This request needs the device’s admin secret.")
                                : _("The admin secret is wrong."));
  return FALSE;
}

static void
handle_info (VouchAgentServer  *self,
             SoupServerMessage *msg,
             JsonObject        *body)
{
  respond_json (msg, vouch_agent_state_build_info (self->state));
}

static void
handle_state (VouchAgentServer  *self,
              SoupServerMessage *msg,
              JsonObject        *body)
{
  respond_json (msg, vouch_agent_state_build_status (self->state));
}

/* Standard base64 with padding, decoding to 16..64 bytes.  g_base64_decode
 * skips invalid characters silently, so check the alphabet first. */
static gboolean
nonce_is_valid (const char *nonce)
{
  gsize len = strlen (nonce);
  gsize pad = 0;
  gsize decoded;

  if (len == 0 || len % 4 != 0 || len > 4 * ((NONCE_MAX_BYTES + 2) / 3))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = nonce[i];

      if (c == '=')
        {
          if (i < len - 2)
            return FALSE;
          pad++;
        }
      else if (pad > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }

  decoded = len / 4 * 3 - pad;
  return decoded >= NONCE_MIN_BYTES && decoded <= NONCE_MAX_BYTES;
}

typedef struct
{
  VouchAgentServer  *self;
  SoupServerMessage *msg;
  char              *nonce;
  gboolean           use_current_key;
} CsrRequest;

static void
csr_request_free (CsrRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->msg);
  g_clear_pointer (&request->nonce, g_free);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsrRequest, csr_request_free)

static void
create_csr_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CsrRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *csr = NULL;
  VouchKeyType key_type = VOUCH_KEY_TYPE_DEFAULT;

  csr = vouch_agent_state_create_csr_finish (VOUCH_AGENT_STATE (object), result, &key_type, &error);
  if (csr == NULL)
    {
      g_message (_("CSR failed: %s"), error->message);
      respond_problem (request->msg, PROBLEM_INTERNAL, error->message);
    }
  else
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "nonce");
      json_builder_add_string_value (builder, request->nonce);
      json_builder_set_member_name (builder, "csr");
      json_builder_add_string_value (builder, csr);
      json_builder_set_member_name (builder, "key_type");
      json_builder_add_string_value (builder, vouch_key_type_to_string (key_type));
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, request->use_current_key ? "current" : "new");
      json_builder_end_object (builder);
      respond_json (request->msg, json_builder_get_root (builder));
    }

  soup_server_message_unpause (request->msg);
}

static void
handle_csr (VouchAgentServer  *self,
            SoupServerMessage *msg,
            JsonObject        *body)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  VouchKeyType key_type = VOUCH_KEY_TYPE_DEFAULT;
  const char *nonce = NULL;
  const char *key = "new";
  CsrRequest *request;
  JsonNode *node;

  node = json_object_get_member (body, "nonce");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    nonce = json_node_get_string (node);
  if (nonce == NULL || !nonce_is_valid (nonce))
    {
      respond_problem (msg, PROBLEM_BAD_NONCE,
                       _("“nonce” must be standard base64 (with padding) of 16 to 64 bytes."));
      return;
    }

  node = json_object_get_member (body, "key_type");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
          || !vouch_key_type_from_string (json_node_get_string (node), &key_type))
        {
          respond_problem (msg, PROBLEM_UNSUPPORTED_KEY_TYPE,
                           _("“key_type” must be one of ecdsa-p256, ecdsa-p384, rsa-3072 or rsa-4096."));
          return;
        }
    }

  node = json_object_get_member (body, "key");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      key = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
            ? json_node_get_string (node) : "";
      if (g_strcmp0 (key, "new") != 0 && g_strcmp0 (key, "current") != 0)
        {
          respond_problem (msg, PROBLEM_BAD_REQUEST, _("“key” must be “new” or “current”."));
          return;
        }
    }

  node = json_object_get_member (body, "names");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      if (array == NULL || json_array_get_length (array) > MAX_EXTRA_NAMES)
        {
          respond_problem (msg, PROBLEM_BAD_NAME,
                           _("“names” must be a list of at most 16 host names or addresses."));
          return;
        }

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autoptr(GError) error = NULL;
          char *normalized = NULL;

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            normalized = vouch_names_normalize (json_node_get_string (element), &error);
          if (normalized == NULL)
            {
              respond_problem (msg, PROBLEM_BAD_NAME,
                               error != NULL ? error->message : _("Each name must be a string."));
              return;
            }
          g_ptr_array_add (names, normalized);
        }
    }
  g_ptr_array_add (names, NULL);

  request = g_new0 (CsrRequest, 1);
  request->self = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->nonce = g_strdup (nonce);
  request->use_current_key = g_str_equal (key, "current");

  /* Key generation may take seconds; the server answers others meanwhile. */
  soup_server_message_pause (msg);
  vouch_agent_state_create_csr_async (self->state, key_type, request->use_current_key, nonce,
                                      (const char * const *)names->pdata,
                                      NULL, create_csr_cb, request);
}

static void
handle_certificate (VouchAgentServer  *self,
                    SoupServerMessage *msg,
                    JsonObject        *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  JsonNode *node = json_object_get_member (body, "chain");
  Problem problem = PROBLEM_INTERNAL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      respond_problem (msg, PROBLEM_NOT_A_CERTIFICATE,
                       _("“chain” must be a string of PEM certificates, leaf first."));
      return;
    }

  if (!vouch_agent_state_install_chain (self->state, json_node_get_string (node), &error))
    {
      if (error->domain == VOUCH_AGENT_ERROR)
        {
          switch ((VouchAgentError)error->code)
            {
            case VOUCH_AGENT_ERROR_NOT_A_CERTIFICATE:
              problem = PROBLEM_NOT_A_CERTIFICATE;
              break;
            case VOUCH_AGENT_ERROR_BAD_CHAIN:
              problem = PROBLEM_BAD_CHAIN;
              break;
            case VOUCH_AGENT_ERROR_KEY_MISMATCH:
              problem = PROBLEM_KEY_MISMATCH;
              break;
            case VOUCH_AGENT_ERROR_NO_PENDING_KEY:
              problem = PROBLEM_NO_PENDING_KEY;
              break;
            case VOUCH_AGENT_ERROR_BAD_NAME:
            case VOUCH_AGENT_ERROR_FAILED:
            default:
              break;
            }
        }
      respond_problem (msg, problem, error->message);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, vouch_agent_state_get_lifecycle (self->state));
  json_builder_set_member_name (builder, "certificate");
  json_builder_add_value (builder, vouch_agent_state_build_certificate (self->state));
  json_builder_end_object (builder);
  respond_json (msg, json_builder_get_root (builder));
}

static const struct
{
  const char *path;
  const char *method;
  gboolean    needs_auth;
  gboolean    has_body;
  RouteFunc   func;
} routes[] = {
  { VOUCH_AGENT_API_PATH "/info", "GET", FALSE, FALSE, handle_info },
  { VOUCH_AGENT_API_PATH "/state", "GET", FALSE, FALSE, handle_state },
  { VOUCH_AGENT_API_PATH "/csr", "POST", TRUE, TRUE, handle_csr },
  { VOUCH_AGENT_API_PATH "/certificate", "PUT", TRUE, TRUE, handle_certificate },
};

static JsonNode *
parse_body (SoupServerMessage  *msg,
            Problem            *out_problem,
            char              **out_detail)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize len;
  const char *data;

  if (body->length > VOUCH_AGENT_MAX_BODY)
    {
      *out_problem = PROBLEM_TOO_LARGE;
      *out_detail = g_strdup_printf (_("Request bodies are limited to %d bytes."), VOUCH_AGENT_MAX_BODY);
      return NULL;
    }

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  /* Every request body is a flat object; the depth bound keeps a hostile
   * client from making the parser recurse without limit. */
  if (len > 0)
    root = vouch_json_parse_bounded (data, len, VOUCH_AGENT_MAX_JSON_DEPTH, &error);
  if (root == NULL)
    {
      *out_problem = PROBLEM_BAD_JSON;
      *out_detail = g_strdup (error != NULL ? error->message : _("The request has no body."));
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *out_problem = PROBLEM_BAD_JSON;
      *out_detail = g_strdup (_("The body must be a JSON object."));
      return NULL;
    }

  return g_steal_pointer (&root);
}

static void
handle_request_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  VouchAgentServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GString) allow = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(JsonNode) root = NULL;

      if (!g_str_equal (path, routes[i].path))
        continue;

      if (!g_str_equal (method, routes[i].method)
          && !(g_str_equal (method, "HEAD") && g_str_equal (routes[i].method, "GET")))
        {
          g_string_append (allow, g_str_equal (routes[i].method, "GET") ? "GET, HEAD" : routes[i].method);
          continue;
        }

      if (routes[i].needs_auth && !authorize (self, msg))
        return;

      if (routes[i].has_body)
        {
          Problem problem = PROBLEM_BAD_REQUEST;
          g_autofree char *detail = NULL;

          if (!(root = parse_body (msg, &problem, &detail)))
            {
              respond_problem (msg, problem, detail);
              return;
            }
        }

      routes[i].func (self, msg, root != NULL ? json_node_get_object (root) : NULL);
      return;
    }

  if (allow->len > 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow->str);
      respond_problem (msg, PROBLEM_METHOD_NOT_ALLOWED, NULL);
    }
  else
    respond_problem (msg, PROBLEM_NOT_FOUND, NULL);
}

/* A body over the limit but under this is read and then refused, so the
 * client reliably gets its 413: answering before the body is read makes
 * the server close a connection the client is still writing to, and the
 * client may see only a reset.  Beyond this, memory matters more. */
#define DRAIN_LIMIT (1024 * 1024)

/* Refuses a declared oversized body before reading it, when the client
 * waits for "100 Continue" or the body is too large to drain. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return;

  length = soup_message_headers_get_content_length (headers);
  if (length > VOUCH_AGENT_MAX_BODY
      && (length > DRAIN_LIMIT || (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)))
    {
      g_autofree char *detail = g_strdup_printf (_("Request bodies are limited to %d bytes."),
                                                 VOUCH_AGENT_MAX_BODY);

      respond_problem (msg, PROBLEM_TOO_LARGE, detail);
    }
}

/* A chunked body declares no length; stop reading it once it passes the
 * drain limit, by shutting the connection: there is no way to answer
 * midway.  Smaller ones get their 413 from parse_body(). */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length > DRAIN_LIMIT)
    {
      GSocket *socket = soup_server_message_get_socket (msg);

      g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, user_data);
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
}

static void
tls_certificate_changed_cb (VouchAgentServer *self)
{
  /* Connections already open keep their session; new ones get this. */
  soup_server_set_tls_certificate (self->soup, vouch_agent_state_get_tls_certificate (self->state));
}

static void
vouch_agent_server_constructed (GObject *object)
{
  VouchAgentServer *self = (VouchAgentServer *)object;

  G_OBJECT_CLASS (vouch_agent_server_parent_class)->constructed (object);

  g_assert (self->state != NULL);

  self->soup = soup_server_new ("tls-certificate", vouch_agent_state_get_tls_certificate (self->state),
                                "server-header", "vouch-agent/" PACKAGE_VERSION " ",
                                NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect_object (self->state, "notify::tls-certificate",
                           G_CALLBACK (tls_certificate_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
vouch_agent_server_dispose (GObject *object)
{
  VouchAgentServer *self = (VouchAgentServer *)object;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->state);
  g_clear_pointer (&self->failures, g_array_unref);

  G_OBJECT_CLASS (vouch_agent_server_parent_class)->dispose (object);
}

static void
vouch_agent_server_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VouchAgentServer *self = VOUCH_AGENT_SERVER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_object (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_agent_server_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  VouchAgentServer *self = VOUCH_AGENT_SERVER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      self->state = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_agent_server_class_init (VouchAgentServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vouch_agent_server_constructed;
  object_class->dispose = vouch_agent_server_dispose;
  object_class->get_property = vouch_agent_server_get_property;
  object_class->set_property = vouch_agent_server_set_property;

  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL, VOUCH_TYPE_AGENT_STATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                         | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_agent_server_init (VouchAgentServer *self)
{
  self->failures = g_array_new (FALSE, FALSE, sizeof (gint64));
}

VouchAgentServer *
vouch_agent_server_new (VouchAgentState *state,
                        const char      *admin_token)
{
  VouchAgentServer *self;

  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (state), NULL);
  g_return_val_if_fail (admin_token != NULL && *admin_token != '\0', NULL);

  self = g_object_new (VOUCH_TYPE_AGENT_SERVER, "state", state, NULL);
  compute_sha256 (admin_token, self->token_digest);

  return self;
}

gboolean
vouch_agent_server_listen (VouchAgentServer  *self,
                           const char        *address,
                           guint              port,
                           GError           **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (VOUCH_IS_AGENT_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  socket_address = g_inet_socket_address_new_from_string (address, port);
  if (socket_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address."), address);
      return FALSE;
    }

  return soup_server_listen (self->soup, socket_address, SOUP_SERVER_LISTEN_HTTPS, error);
}

guint
vouch_agent_server_get_port (VouchAgentServer *self)
{
  g_autoslist(GUri) uris = NULL;

  g_return_val_if_fail (VOUCH_IS_AGENT_SERVER (self), 0);

  uris = soup_server_get_uris (self->soup);
  return uris != NULL ? (guint)g_uri_get_port (uris->data) : 0;
}
