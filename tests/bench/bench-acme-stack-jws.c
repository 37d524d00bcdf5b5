/* bench-acme-stack-jws.c: bench-acme-stack reads each POST's JWS as any
 * ACME server must, through json-glib and GLib's base64: the flattened
 * JWS, its protected header and payload, the signature's bytes. Nothing
 * is verified; that is the crypto floor's share (bench-acme-floor). It
 * also builds the answers' JSON that both of its state keepers (memory,
 * bench-acme-stack.c, and SQLite, bench-acme-stack-durable.c) share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-acme-stack.h"

#include <string.h>

void
stack_jws_clear (Jws *jws)
{
  g_clear_pointer (&jws->node, json_node_unref);
  g_clear_pointer (&jws->header_node, json_node_unref);
  g_clear_pointer (&jws->payload, g_bytes_unref);
  g_clear_pointer (&jws->signature, g_bytes_unref);
  g_clear_pointer (&jws->payload_node, json_node_unref);
}

/* Unpadded base64url (RFC 7515 §2) to bytes, or NULL. */
GBytes *
stack_b64url_decode (const char *text)
{
  gsize len = strlen (text), out_len = 0;
  g_autofree char *standard = g_malloc (len + 3);
  gsize i;

  if (len % 4 == 1)
    return NULL;
  /* POST-as-GET's payload is empty, which GLib's decoder refuses. */
  if (len == 0)
    return g_bytes_new (NULL, 0);
  for (i = 0; i < len; i++)
    {
      if (text[i] == '-')
        standard[i] = '+';
      else if (text[i] == '_')
        standard[i] = '/';
      else if (g_ascii_isalnum (text[i]))
        standard[i] = text[i];
      else
        return NULL;
    }
  for (; i % 4 != 0; i++)
    standard[i] = '=';
  standard[i] = '\0';
  g_base64_decode_inplace (standard, &out_len);
  return g_bytes_new (standard, out_len);
}

/* The object's string member, or NULL if absent or not a string. */
const char *
stack_string_member (JsonObject *object,
                     const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonNode *
parse_json (const char *data,
            gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    return NULL;
  return json_node_ref (root);
}

/* Everything any ACME server reads from a POST before its handler: the
 * flattened JWS, its protected header (alg, nonce, url, jwk or kid) and
 * payload, and the signature's bytes, which the crypto floor would verify.
 * The nonce is the caller's to check. Returns the problem's type and
 * sets @detail, or NULL when it is good. */
const char *
stack_jws_parse (SoupServerMessage  *msg,
                 const char         *request_url,
                 Jws                *jws,
                 const char        **detail)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) protected = NULL;
  JsonObject *object;
  const char *protected_b64, *payload_b64, *signature_b64, *alg;

  *detail = "The request is not a good JWS";
  if (g_strcmp0 (soup_message_headers_get_content_type (headers, NULL),
                 "application/jose+json") != 0)
    return "malformed";
  jws->node = parse_json (body->data, body->length);
  if (jws->node == NULL || !JSON_NODE_HOLDS_OBJECT (jws->node))
    return "malformed";
  object = json_node_get_object (jws->node);
  protected_b64 = stack_string_member (object, "protected");
  payload_b64 = stack_string_member (object, "payload");
  signature_b64 = stack_string_member (object, "signature");
  if (protected_b64 == NULL || payload_b64 == NULL || signature_b64 == NULL ||
      (protected = stack_b64url_decode (protected_b64)) == NULL ||
      (jws->payload = stack_b64url_decode (payload_b64)) == NULL ||
      (jws->signature = stack_b64url_decode (signature_b64)) == NULL)
    return "malformed";

  jws->header_node = parse_json (g_bytes_get_data (protected, NULL), g_bytes_get_size (protected));
  if (jws->header_node == NULL || !JSON_NODE_HOLDS_OBJECT (jws->header_node))
    return "malformed";
  jws->header = json_node_get_object (jws->header_node);
  alg = stack_string_member (jws->header, "alg");
  if (g_strcmp0 (alg, "ES256") != 0)
    {
      *detail = "This benchmark server takes ES256 only";
      return "badSignatureAlgorithm";
    }
  if ((json_object_get_member (jws->header, "jwk") != NULL) ==
      (stack_string_member (jws->header, "kid") != NULL))
    return "malformed";

  if (g_strcmp0 (stack_string_member (jws->header, "url"), request_url) != 0)
    {
      *detail = "The JWS url header is not this request's URL";
      return "unauthorized";
    }
  if (g_bytes_get_size (jws->payload) > 0)
    {
      jws->payload_node = parse_json (g_bytes_get_data (jws->payload, NULL),
                                      g_bytes_get_size (jws->payload));
      if (jws->payload_node == NULL || !JSON_NODE_HOLDS_OBJECT (jws->payload_node))
        return "malformed";
    }
  return NULL;
}

/* The answers' JSON: URLs, members, orders and challenges. */

char *
stack_base_url (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *host = g_uri_get_host (uri);

  return g_strdup_printf (strchr (host, ':') != NULL ? "https://[%s]:%d" : "https://%s:%d", host,
                          g_uri_get_port (uri));
}

char *
stack_url_of (SoupServerMessage *msg,
              const char        *kind,
              const char        *id,
              const char        *tail)
{
  g_autofree char *base = stack_base_url (msg);

  return g_strconcat (base, "/acme/", kind, id != NULL ? "/" : NULL, id, tail, NULL);
}

void
stack_add_string (JsonBuilder *builder,
                  const char  *name,
                  const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

void
stack_add_time (JsonBuilder *builder,
                const char  *name,
                gint64       unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);
  g_autofree char *text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");

  stack_add_string (builder, name, text);
}

/* An order's answer; @certificate is the id in its certificate's URL,
 * once it has one. */
JsonNode *
stack_order_json (SoupServerMessage *msg,
                  const char        *id,
                  JsonNode          *identifiers,
                  const char        *status,
                  gint64             expires,
                  const char        *certificate)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *finalize = stack_url_of (msg, "order", id, "/finalize");
  guint n = json_array_get_length (json_node_get_array (identifiers));

  json_builder_begin_object (builder);
  stack_add_string (builder, "status", status);
  stack_add_time (builder, "expires", expires);
  json_builder_set_member_name (builder, "identifiers");
  json_builder_add_value (builder, json_node_ref (identifiers));
  json_builder_set_member_name (builder, "authorizations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *tail = g_strdup_printf ("/%u", i);
      g_autofree char *url = stack_url_of (msg, "authz", id, tail);

      json_builder_add_string_value (builder, url);
    }
  json_builder_end_array (builder);
  stack_add_string (builder, "finalize", finalize);
  if (certificate != NULL)
    {
      g_autofree char *cert = stack_url_of (msg, "cert", certificate, NULL);

      stack_add_string (builder, "certificate", cert);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
stack_add_challenge (JsonBuilder       *builder,
                     SoupServerMessage *msg,
                     char             **path,
                     const char        *type,
                     const char        *status,
                     const char        *token)
{
  g_autofree char *tail = g_strconcat ("/", path[2], "/", type, NULL);
  g_autofree char *url = stack_url_of (msg, "chall", path[1], tail);

  json_builder_begin_object (builder);
  stack_add_string (builder, "type", type);
  stack_add_string (builder, "url", url);
  stack_add_string (builder, "status", status);
  stack_add_string (builder, "token", token);
  json_builder_end_object (builder);
}
