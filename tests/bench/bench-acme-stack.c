/* bench-acme-stack.c: the least a server built on Vouch's mandated stack
 * can spend on the ACME benchmark's loop, the crypto aside
 *
 * It serves the loop bench-acme-client runs (directory, newNonce,
 * newAccount, newOrder, the authorization, the http-01 challenge, order
 * polls, finalize, the certificate download) over HTTPS with libsoup 3's
 * server and glib-networking's TLS, configured as Vouch's ACME server is
 * (vouch-acme-server.c, vouch-acme-server-tls.c: a P-256 leaf from a
 * P-256 root, leaf and root served as the chain, libsoup's defaults,
 * the same early handler for the body's size), and reads and writes every
 * JSON with json-glib. Each POST's JWS is parsed as any server must (the
 * flattened JWS, its protected header, its payload, the signature
 * decoded), its url header checked against the request and its nonce
 * used up; the answers carry Replay-Nonce, Link and Location, and the
 * states move so the client makes exactly the requests it makes against
 * Vouch (the order is ready after its challenge, valid after finalize).
 *
 * What it leaves out is the point: no signature is verified, nothing is
 * signed (finalize hands out one fixed chain), nothing is stored but the
 * few strings the next request needs, in memory. Its CPU per certificate
 * is what libsoup, GLib's TLS and main loop and json-glib cost for this
 * loop alone: with the GnuTLS floor (bench-acme-floor) added, no server
 * on this stack can do the loop for less.
 *
 * It links none of Vouch's core, on purpose: the few lines that mirror
 * the server's (the early body-size handler, problem documents, the JSON
 * helpers) are written again here so that nothing of Vouch's own is
 * counted in the floor.
 *
 * With --durable, it also keeps what a server meeting the issue must
 * keep, in SQLite, as cheaply as SQLite allows (bench-acme-stack-durable.c):
 * its CPU per certificate is the floor of a durable server on this stack.
 * With --conforming as well, it also does the rest of the work the issue
 * requires of a server, the crypto in it, as Vouch does: every JWS
 * verified, each CSR checked, each certificate issued through GnuTLS, the
 * root's key read from the keyring for each signature
 * (bench-acme-stack-issue.c). Its CPU per certificate is then the least
 * a conforming server costs on these libraries, measured in the same
 * turns and under the same load as Vouch.
 *
 *   bench-acme-stack --address A [--port P] --ca-out ROOT.pem
 *                    [--durable DBFILE [--conforming]]
 *
 * Prints its directory URL as its first line, as `vouchctl acme serve`
 * does, and serves until SIGTERM or SIGINT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-acme-stack.h"

#include <glib-unix.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* As Vouch's server: larger bodies are refused before they are read. */
#define MAX_BODY (64 * 1024)
/* Nonces handed out but not used, per generation (see take_nonce). */
#define NONCE_GENERATION 8192
/* Orders kept; a benchmark run makes a few hundred. */
#define MAX_ORDERS 65536
#define ORDER_LIFETIME (7 * 24 * 3600)

typedef enum
{
  ORDER_PENDING,
  ORDER_READY,
  ORDER_VALID,
} OrderState;

typedef struct
{
  char       *account;       /* the id of the account that owns it */
  JsonNode   *identifiers;   /* as newOrder's payload had them */
  OrderState  state;
  guint64     answered;      /* bit N: authorization N's challenge */
  gint64      expires;
} Order;

static void
order_free (Order *order)
{
  g_free (order->account);
  json_node_unref (order->identifiers);
  g_free (order);
}

/* Random, as a nonce or an id must be: unguessable, never repeated. */
char *
stack_random_id (void)
{
  guint8 bytes[18];
  char *text;

  if (gnutls_rnd (GNUTLS_RND_NONCE, bytes, sizeof bytes) < 0)
    g_error ("GnuTLS could not draw random bytes");
  /* 18 bytes are 24 base64 characters, no padding. */
  text = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  return text;
}

static char *
new_nonce (Stack *self)
{
  char *nonce = stack_random_id ();

  /* Two generations bound the memory without tracking each nonce's age:
   * a nonce lives while one to two generations of others are handed out. */
  if (g_hash_table_size (self->nonces) >= NONCE_GENERATION)
    {
      g_hash_table_unref (self->old_nonces);
      self->old_nonces = self->nonces;
      self->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  g_hash_table_add (self->nonces, nonce);
  return g_strdup (nonce);
}

/* Single use: true once for each nonce handed out. */
static gboolean
take_nonce (Stack      *self,
            const char *nonce)
{
  return nonce != NULL &&
         (g_hash_table_remove (self->nonces, nonce) || g_hash_table_remove (self->old_nonces, nonce));
}

/* The headers every answer has, then the status and the body. */
void
stack_reply (Stack             *self,
             SoupServerMessage *msg,
             guint              status,
             JsonNode          *body,
             const char        *location)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *nonce = new_nonce (self);
  g_autofree char *directory = stack_url_of (msg, "directory", NULL, NULL);
  g_autofree char *link = g_strdup_printf ("<%s>;rel=\"index\"", directory);

  soup_message_headers_replace (headers, "Replay-Nonce", nonce);
  soup_message_headers_append (headers, "Link", link);
  if (location != NULL)
    soup_message_headers_replace (headers, "Location", location);
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);

      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text,
                                        strlen (text));
    }
  soup_server_message_set_status (msg, status, NULL);
}

void
stack_reply_problem (Stack             *self,
                     SoupServerMessage *msg,
                     guint              status,
                     const char        *type,
                     const char        *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *full_type = g_strconcat ("urn:ietf:params:acme:error:", type, NULL);
  char *text;

  json_builder_begin_object (builder);
  stack_add_string (builder, "type", full_type);
  stack_add_string (builder, "detail", detail);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  stack_reply (self, msg, status, NULL, NULL);
  text = json_to_string (node, FALSE);
  soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
}

static const char *
order_state_name (OrderState state)
{
  return state == ORDER_VALID ? "valid" : state == ORDER_READY ? "ready" : "pending";
}

/* The account a kid names, if it is one of this server's. */
static const char *
account_of (Stack             *self,
            SoupServerMessage *msg,
            Jws               *jws)
{
  const char *kid = stack_string_member (jws->header, "kid");
  g_autofree char *prefix = stack_url_of (msg, "acct", "", NULL);

  if (kid == NULL || !g_str_has_prefix (kid, prefix) ||
      !(self->store != NULL ? stack_durable_account (self, kid + strlen (prefix))
                            : g_hash_table_contains (self->accounts, kid + strlen (prefix))))
    return NULL;
  return kid + strlen (prefix);
}

static void
reply_directory (Stack             *self,
                 SoupServerMessage *msg)
{
  static const char * const members[][2] = {
    { "newNonce", "new-nonce" },
    { "newAccount", "new-account" },
    { "newOrder", "new-order" },
    { "revokeCert", "revoke-cert" },
    { "keyChange", "key-change" },
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *url = stack_url_of (msg, members[i][1], NULL, NULL);

      stack_add_string (builder, members[i][0], url);
    }
  json_builder_set_member_name (builder, "meta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "externalAccountRequired");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  stack_reply (self, msg, SOUP_STATUS_OK, node, NULL);
}

/* Account @id's answer: 201 when newAccount made it, 200 when it was
 * there already. */
void
stack_reply_account (Stack             *self,
                     SoupServerMessage *msg,
                     const char        *id,
                     guint              status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *location = stack_url_of (msg, "acct", id, NULL);
  g_autofree char *orders = stack_url_of (msg, "acct", id, "/orders");

  json_builder_begin_object (builder);
  stack_add_string (builder, "status", "valid");
  stack_add_string (builder, "orders", orders);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  stack_reply (self, msg, status, node, location);
}

static void
handle_new_account (Stack             *self,
                    SoupServerMessage *msg)
{
  char *id = stack_random_id ();

  g_hash_table_add (self->accounts, id);
  stack_reply_account (self, msg, id, SOUP_STATUS_CREATED);
}

static JsonNode *
order_json (SoupServerMessage *msg,
            const char        *id,
            Order             *order)
{
  return stack_order_json (msg, id, order->identifiers, order_state_name (order->state),
                           order->expires, order->state == ORDER_VALID ? id : NULL);
}

/* 1 to 64 objects (one bit each in Order.answered) with string members
 * type and value, which the authorizations repeat. */
static gboolean
identifiers_good (JsonNode *identifiers)
{
  JsonArray *array;
  guint n;

  if (identifiers == NULL || !JSON_NODE_HOLDS_ARRAY (identifiers))
    return FALSE;
  array = json_node_get_array (identifiers);
  n = json_array_get_length (array);
  if (n == 0 || n > 64)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          stack_string_member (json_node_get_object (element), "type") == NULL ||
          stack_string_member (json_node_get_object (element), "value") == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
handle_new_order (Stack             *self,
                  SoupServerMessage *msg,
                  Jws               *jws,
                  const char        *account)
{
  JsonNode *identifiers = NULL;
  Order *order;
  char *id;
  g_autofree char *location = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (jws->payload_node != NULL)
    identifiers = json_object_get_member (json_node_get_object (jws->payload_node), "identifiers");
  if (!identifiers_good (identifiers))
    {
      stack_reply_problem (self, msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                           "An order has 1 to 64 identifiers, each with a type and a value");
      return;
    }
  if (self->store != NULL)
    {
      stack_durable_new_order (self, msg, account, identifiers);
      return;
    }
  if (g_hash_table_size (self->orders) >= MAX_ORDERS)
    g_hash_table_remove_all (self->orders);

  order = g_new0 (Order, 1);
  order->account = g_strdup (account);
  order->identifiers = json_node_ref (identifiers);
  order->expires = g_get_real_time () / G_USEC_PER_SEC + ORDER_LIFETIME;
  id = stack_random_id ();
  g_hash_table_insert (self->orders, id, order);
  location = stack_url_of (msg, "order", id, NULL);
  node = order_json (msg, id, order);
  stack_reply (self, msg, SOUP_STATUS_CREATED, node, location);
}

/* The order an id names, if @account owns it; else answers 404. */
static Order *
lookup_order (Stack             *self,
              SoupServerMessage *msg,
              const char        *id,
              const char        *account)
{
  Order *order = g_hash_table_lookup (self->orders, id);

  if (order == NULL || !g_str_equal (order->account, account))
    {
      stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such order");
      return NULL;
    }
  return order;
}

/* Authorization N of order ID is authz/ID/N and its challenges are
 * chall/ID/N/TYPE, so all state lives in the order. Returns the
 * identifier, or NULL after answering. */
static JsonObject *
lookup_authz (Stack             *self,
              SoupServerMessage *msg,
              char             **path,
              const char        *account,
              Order            **order,
              guint             *index)
{
  guint64 n;

  if ((*order = lookup_order (self, msg, path[1], account)) == NULL)
    return NULL;
  if (!g_ascii_string_to_unsigned (path[2], 10, 0, G_MAXUINT, &n, NULL) ||
      n >= json_array_get_length (json_node_get_array ((*order)->identifiers)))
    {
      stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such authorization");
      return NULL;
    }
  *index = n;
  return json_array_get_object_element (json_node_get_array ((*order)->identifiers), n);
}

static void
add_challenge (JsonBuilder       *builder,
               SoupServerMessage *msg,
               char             **path,
               const char        *type,
               const char        *status)
{
  /* Unique to the challenge, and in base64url's alphabet. */
  g_autofree char *token = g_strconcat (path[1], path[2], type, NULL);

  stack_add_challenge (builder, msg, path, type, status, token);
}

static void
handle_authz (Stack             *self,
              SoupServerMessage *msg,
              char             **path,
              const char        *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  Order *order;
  guint index;
  JsonObject *identifier = lookup_authz (self, msg, path, account, &order, &index);
  gboolean valid;

  if (identifier == NULL)
    return;
  valid = (order->answered & (G_GUINT64_CONSTANT (1) << index)) != 0;
  json_builder_begin_object (builder);
  stack_add_string (builder, "status", valid ? "valid" : "pending");
  stack_add_time (builder, "expires", order->expires);
  json_builder_set_member_name (builder, "identifier");
  json_builder_begin_object (builder);
  stack_add_string (builder, "type", stack_string_member (identifier, "type"));
  stack_add_string (builder, "value", stack_string_member (identifier, "value"));
  json_builder_end_object (builder);
  /* As Vouch: both kinds while pending, then only the one that passed. */
  json_builder_set_member_name (builder, "challenges");
  json_builder_begin_array (builder);
  add_challenge (builder, msg, path, "http-01", valid ? "valid" : "pending");
  if (!valid)
    add_challenge (builder, msg, path, "tls-alpn-01", "pending");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  stack_reply (self, msg, SOUP_STATUS_OK, node, NULL);
}

/* Validation is off, as in the benchmark's Vouch and pebble: answering a
 * challenge makes it valid, and the order ready once all are. */
static void
handle_challenge (Stack             *self,
                  SoupServerMessage *msg,
                  char             **path,
                  const char        *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  Order *order;
  guint index, n;

  if (!g_str_equal (path[3], "http-01") && !g_str_equal (path[3], "tls-alpn-01"))
    {
      stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such challenge");
      return;
    }
  if (lookup_authz (self, msg, path, account, &order, &index) == NULL)
    return;
  order->answered |= G_GUINT64_CONSTANT (1) << index;
  n = json_array_get_length (json_node_get_array (order->identifiers));
  if (order->state == ORDER_PENDING && order->answered == (G_MAXUINT64 >> (64 - n)))
    order->state = ORDER_READY;
  add_challenge (builder, msg, path, path[3], "valid");
  node = json_builder_get_root (builder);
  stack_reply (self, msg, SOUP_STATUS_OK, node, NULL);
}

/* finalize's CSR, decoded (the crypto floor verifies it); else NULL
 * after answering. */
GBytes *
stack_csr_of (Stack             *self,
              SoupServerMessage *msg,
              Jws               *jws)
{
  const char *csr_b64 = jws->payload_node != NULL
                        ? stack_string_member (json_node_get_object (jws->payload_node), "csr")
                        : NULL;
  GBytes *csr = csr_b64 != NULL ? stack_b64url_decode (csr_b64) : NULL;

  if (csr == NULL || g_bytes_get_size (csr) == 0)
    {
      g_clear_pointer (&csr, g_bytes_unref);
      stack_reply_problem (self, msg, SOUP_STATUS_BAD_REQUEST, "badCSR", "No CSR");
    }
  return csr;
}

static void
handle_order (Stack             *self,
              SoupServerMessage *msg,
              char             **path,
              const char        *account,
              Jws               *jws)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autofree char *location = NULL;
  Order *order = lookup_order (self, msg, path[1], account);

  if (order == NULL)
    return;
  if (path[2] == NULL)
    {
      node = order_json (msg, path[1], order);
      stack_reply (self, msg, SOUP_STATUS_OK, node, NULL);
      return;
    }

  /* finalize: the CSR is decoded (the crypto floor verifies it); the
   * order becomes valid with the one fixed chain. */
  if (order->state != ORDER_READY)
    {
      stack_reply_problem (self, msg, SOUP_STATUS_FORBIDDEN, "orderNotReady",
                           "The order is not ready");
      return;
    }
  if ((csr = stack_csr_of (self, msg, jws)) == NULL)
    return;
  order->state = ORDER_VALID;
  node = order_json (msg, path[1], order);
  location = stack_url_of (msg, "order", path[1], NULL);
  stack_reply (self, msg, SOUP_STATUS_OK, node, location);
}

static void
handle_certificate (Stack             *self,
                    SoupServerMessage *msg,
                    char             **path,
                    const char        *account)
{
  Order *order = lookup_order (self, msg, path[1], account);

  if (order == NULL)
    return;
  if (order->state != ORDER_VALID)
    {
      stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such certificate");
      return;
    }
  stack_reply (self, msg, SOUP_STATUS_OK, NULL, NULL);
  soup_server_message_set_response (msg, "application/pem-certificate-chain", SOUP_MEMORY_COPY,
                                    self->chain, strlen (self->chain));
}

static void
dispatch_post (Stack             *self,
               SoupServerMessage *msg,
               char             **path)
{
  g_auto(Jws) jws = { NULL };
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *base = stack_base_url (msg);
  g_autofree char *request_url = g_strconcat (base, g_uri_get_path (soup_server_message_get_uri (msg)),
                                              NULL);
  const char *problem, *detail, *account = NULL;
  guint n = g_strv_length (path);
  gboolean new_account = n == 1 && g_str_equal (path[0], "new-account");

  problem = stack_jws_parse (msg, request_url, &jws, &detail);
  if (problem == NULL && !take_nonce (self, stack_string_member (jws.header, "nonce")))
    {
      problem = "badNonce";
      detail = "The nonce is missing, used already or unknown";
    }
  if (problem != NULL)
    {
      stack_reply_problem (self, msg,
                           g_str_equal (problem, "unauthorized") ? SOUP_STATUS_UNAUTHORIZED
                                                                 : SOUP_STATUS_BAD_REQUEST,
                           problem, detail);
      return;
    }
  /* newAccount carries a jwk, everything else names its account. */
  if (new_account != (stack_string_member (jws.header, "kid") == NULL))
    {
      stack_reply_problem (self, msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                           "jwk or kid, as RFC 8555 says");
      return;
    }
  /* With --conforming, issuing threads share the store. */
  if (self->issuer != NULL)
    locker = g_mutex_locker_new (&self->store_lock);
  if (!new_account && (account = account_of (self, msg, &jws)) == NULL)
    {
      stack_reply_problem (self, msg, SOUP_STATUS_BAD_REQUEST, "accountDoesNotExist",
                           "No such account");
      return;
    }
  if (self->issuer != NULL && !stack_conforming_verify (self, &jws, account))
    {
      stack_reply_problem (self, msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                           "The JWS signature is not the key's");
      return;
    }
  if (new_account)
    {
      if (self->store != NULL)
        stack_durable_new_account (self, msg, &jws);
      else
        handle_new_account (self, msg);
      return;
    }

  if (n == 1 && g_str_equal (path[0], "new-order"))
    handle_new_order (self, msg, &jws, account);
  else if (g_str_equal (path[0], "order") &&
           (n == 2 || (n == 3 && g_str_equal (path[2], "finalize"))))
    (self->store != NULL ? stack_durable_order : handle_order) (self, msg, path, account, &jws);
  else if (n == 3 && g_str_equal (path[0], "authz"))
    (self->store != NULL ? stack_durable_authz : handle_authz) (self, msg, path, account);
  else if (n == 4 && g_str_equal (path[0], "chall"))
    (self->store != NULL ? stack_durable_challenge : handle_challenge) (self, msg, path, account);
  else if (n == 2 && g_str_equal (path[0], "cert"))
    (self->store != NULL ? stack_durable_certificate : handle_certificate) (self, msg, path,
                                                                             account);
  else
    stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed", "No such ACME resource");
}

static void
handle (SoupServer        *soup,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Stack *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (path + strlen ("/acme/"), "/", 5);
  guint n = g_strv_length (parts);

  if (n == 1 && g_str_equal (parts[0], "directory") && g_str_equal (method, "GET"))
    reply_directory (self, msg);
  else if (n == 1 && g_str_equal (parts[0], "new-nonce") &&
           (g_str_equal (method, "GET") || g_str_equal (method, "HEAD")))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Cache-Control", "no-store");
      stack_reply (self, msg,
                   g_str_equal (method, "HEAD") ? SOUP_STATUS_OK : SOUP_STATUS_NO_CONTENT,
                   NULL, NULL);
    }
  else if (g_str_equal (method, "POST") && n >= 1)
    {
      for (guint i = 0; i < n; i++)
        if (parts[i][0] == '\0')
          {
            stack_reply_problem (self, msg, SOUP_STATUS_NOT_FOUND, "malformed",
                                 "No such ACME resource");
            return;
          }
      dispatch_post (self, msg, parts);
    }
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      stack_reply_problem (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "malformed",
                           "ACME resources are read with POST-as-GET");
    }
}

/* As Vouch's: a body over 64 KiB, or of unknown length, is refused
 * before it is read. */
static void
handle_early (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if ((encoding == SOUP_ENCODING_CONTENT_LENGTH &&
       soup_message_headers_get_content_length (headers) > MAX_BODY) ||
      encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    stack_reply_problem (user_data, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "malformed",
                         "ACME request bodies are at most 64 KiB, with a Content-Length");
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *address_text = g_strdup ("127.0.0.5");
  g_autofree char *ca_out = NULL;
  g_autofree char *durable = NULL;
  gboolean conforming = FALSE;
  gnutls_x509_crt_t root = NULL;
  gnutls_x509_privkey_t root_key = NULL;
  int port = 14000;
  const GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &address_text, "The IP address to serve on", "A" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "The TCP port", "P" },
    { "ca-out", 0, 0, G_OPTION_ARG_FILENAME, &ca_out, "Where to write the root (PEM)", "FILE" },
    { "durable", 0, 0, G_OPTION_ARG_FILENAME, &durable,
      "Keep the ACME state in this SQLite database", "DBFILE" },
    { "conforming", 0, 0, G_OPTION_ARG_NONE, &conforming,
      "Also verify every JWS and issue each certificate, the key in the keyring (needs --durable)",
      NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the ACME loop on the mandated stack alone");
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *host = NULL;
  Stack self = { NULL };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || ca_out == NULL ||
      port <= 0 || port > 65535 || (conforming && durable == NULL) ||
      (address = g_inet_address_new_from_string (address_text)) == NULL)
    {
      g_printerr ("bench-acme-stack: %s\n",
                  error != NULL ? error->message
                                : "--ca-out, a port and an IP --address are needed, and "
                                  "--conforming needs --durable");
      return 2;
    }

  tls = stack_make_tls (address, ca_out, &self.chain, conforming ? &root : NULL,
                        conforming ? &root_key : NULL, &error);
  if (tls == NULL)
    {
      g_printerr ("bench-acme-stack: %s\n", error->message);
      return 1;
    }
  if (conforming)
    {
      self.issuer = stack_issuer_new (root, root_key, &error);
      gnutls_x509_privkey_deinit (root_key);
      if (self.issuer == NULL)
        {
          g_printerr ("bench-acme-stack: the root's key cannot be kept in the keyring: %s\n",
                      error->message);
          return 1;
        }
      self.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)gnutls_pubkey_deinit);
      g_mutex_init (&self.store_lock);
    }
  if (durable != NULL && (self.store = stack_store_open (durable, tls, &error)) == NULL)
    {
      g_printerr ("bench-acme-stack: %s\n", error->message);
      return 1;
    }
  self.nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.old_nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)order_free);
  self.soup = soup_server_new ("server-header", "vouch-acme ", NULL);
  soup_server_set_tls_certificate (self.soup, tls);
  soup_server_add_early_handler (self.soup, "/acme/", handle_early, &self, NULL);
  soup_server_add_handler (self.soup, "/acme/", handle, &self, NULL);
  socket_address = g_inet_socket_address_new (address, port);
  if (!soup_server_listen (self.soup, socket_address, SOUP_SERVER_LISTEN_HTTPS, &error))
    {
      g_printerr ("bench-acme-stack: %s\n", error->message);
      return 1;
    }

  host = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6
         ? g_strdup_printf ("[%s]", address_text) : g_strdup (address_text);
  printf ("https://%s:%d/acme/directory\n", host, port);
  fflush (stdout);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  soup_server_disconnect (self.soup);
  g_clear_object (&self.soup);
  g_hash_table_unref (self.orders);
  g_hash_table_unref (self.accounts);
  g_hash_table_unref (self.old_nonces);
  g_hash_table_unref (self.nonces);
  g_clear_pointer (&self.store, stack_store_free);
  g_clear_pointer (&self.issuer, stack_issuer_free);
  g_clear_pointer (&self.keys, g_hash_table_unref);
  g_free (self.chain);
  return 0;
}
