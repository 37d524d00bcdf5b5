/* vouch-acme-server.c: the ACME server's object, its HTTPS listener, and
 * what every request goes through before its handler: size and type,
 * the JWS, the url header, the nonce, and the key (jwk or kid exactly as
 * RFC 8555 §6.2 says).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-server"

#include "vouch-config.h"

#include "vouch-acme-server-private.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

/* Enough for many clients' requests in flight; a client that holds a
 * nonce longer than this many others are handed out gets badNonce and
 * simply retries with the fresh one that answer carries. */
#define MAX_NONCES 8192

/* Far more accounts than a LAN has clients polling at once; when full,
 * the cache starts again rather than track which key was used last. */
#define MAX_UNSIGNED_ORDERS 4096

enum {
  PROP_0,
  PROP_AUTHORITY,
  PROP_POLICY,
  PROP_VALIDATOR,
  PROP_DIRECTORY_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchAcmeServer, vouch_acme_server, G_TYPE_OBJECT)

typedef enum
{
  AUTH_JWK,
  AUTH_KID,
  AUTH_EITHER,
} AuthMode;

typedef void (*Handler) (VouchAcmeCall *call);

/* The resources a POST may name: the path's first segment, how many
 * segments it has, its last segment when it has three, and its key. */
static const struct
{
  const char *kind;
  guint       n_segments;
  const char *tail;
  AuthMode    auth;
  Handler     handler;
} routes[] = {
  { "new-account", 1, NULL, AUTH_JWK, _vouch_acme_handle_new_account },
  { "new-order", 1, NULL, AUTH_KID, _vouch_acme_handle_new_order },
  { "revoke-cert", 1, NULL, AUTH_EITHER, _vouch_acme_handle_revoke },
  { "key-change", 1, NULL, AUTH_KID, _vouch_acme_handle_key_change },
  { "acct", 2, NULL, AUTH_KID, _vouch_acme_handle_account },
  { "acct", 3, "orders", AUTH_KID, _vouch_acme_handle_orders },
  { "order", 2, NULL, AUTH_KID, _vouch_acme_handle_order },
  { "order", 3, "finalize", AUTH_KID, _vouch_acme_handle_finalize },
  { "authz", 2, NULL, AUTH_KID, _vouch_acme_handle_authz },
  { "chall", 2, NULL, AUTH_KID, _vouch_acme_handle_challenge },
  { "cert", 2, NULL, AUTH_KID, _vouch_acme_handle_certificate },
};

/* The table maps each nonce to its link in the queue, so both handing
 * one out and using one up cost the same however many are out. */
char *
_vouch_acme_new_nonce (VouchAcmeServer *self)
{
  char *nonce = vouch_acme_random_id (18);
  GList *link = g_list_alloc ();

  link->data = nonce;
  g_queue_push_tail_link (&self->nonce_order, link);
  g_hash_table_insert (self->nonces, nonce, link);
  while (g_queue_get_length (&self->nonce_order) > MAX_NONCES)
    {
      GList *oldest = g_queue_pop_head_link (&self->nonce_order);

      g_hash_table_remove (self->nonces, oldest->data);
      g_list_free_1 (oldest);
    }
  return g_strdup (nonce);
}

/* The set is bounded by starting again: an order it forgot only costs
 * the crash check it would have skipped. */
void
_vouch_acme_server_mark_unsigned (VouchAcmeServer *self,
                                  const char      *order_id)
{
  if (g_hash_table_size (self->unsigned_orders) >= MAX_UNSIGNED_ORDERS)
    g_hash_table_remove_all (self->unsigned_orders);
  g_hash_table_add (self->unsigned_orders, g_strdup (order_id));
}

/* Single use: a nonce is forgotten the moment a request presents it. */
static gboolean
consume_nonce (VouchAcmeServer *self,
               const char      *nonce)
{
  GList *link;

  if (nonce == NULL || (link = g_hash_table_lookup (self->nonces, nonce)) == NULL)
    return FALSE;
  g_queue_unlink (&self->nonce_order, link);
  g_hash_table_remove (self->nonces, nonce);
  g_list_free_1 (link);
  return TRUE;
}

void
_vouch_acme_call_free (VouchAcmeCall *call)
{
  if (call->paused)
    soup_server_message_unpause (call->msg);
  g_clear_object (&call->server);
  g_clear_object (&call->msg);
  g_free (call->base);
  g_free (call->client_address);
  g_strfreev (call->path);
  g_clear_pointer (&call->jws, vouch_acme_jws_free);
  g_clear_pointer (&call->account, vouch_acme_account_free);
  g_free (call->thumbprint);
  g_free (call->jwk);
  g_free (call);
}

/* For handlers that answer later: the reply unpauses. */
void
_vouch_acme_call_pause (VouchAcmeCall *call)
{
  if (!call->paused)
    soup_server_message_pause (call->msg);
  call->paused = TRUE;
}

char *
_vouch_acme_url (VouchAcmeCall *call,
                 const char    *kind,
                 const char    *id)
{
  if (id == NULL)
    return g_strconcat (call->base, "/acme/", kind, NULL);
  return g_strconcat (call->base, "/acme/", kind, "/", id, NULL);
}

/* The resource id of a path such as order/ID/finalize. */
const char *
_vouch_acme_path_id (VouchAcmeCall *call,
                     const char    *kind)
{
  g_assert (g_strv_length (call->path) >= 2 && g_str_equal (call->path[0], kind));
  return call->path[1];
}

static void
reply_directory (VouchAcmeCall *call)
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
      g_autofree char *url = _vouch_acme_url (call, members[i][1], NULL);

      json_builder_set_member_name (builder, members[i][0]);
      json_builder_add_string_value (builder, url);
    }
  json_builder_set_member_name (builder, "meta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "externalAccountRequired");
  json_builder_add_boolean_value (builder,
                                  vouch_acme_policy_get_external_account_required (call->server->policy));
  if (call->server->terms_of_service != NULL)
    {
      json_builder_set_member_name (builder, "termsOfService");
      json_builder_add_string_value (builder, call->server->terms_of_service);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  _vouch_acme_reply (call, SOUP_STATUS_OK, node, NULL);
}

static void
reply_nonce (VouchAcmeCall *call)
{
  gboolean head = g_str_equal (soup_server_message_get_method (call->msg), "HEAD");

  soup_message_headers_replace (soup_server_message_get_response_headers (call->msg),
                                "Cache-Control", "no-store");
  /* RFC 8555 §7.2: 200 for HEAD, 204 for GET. */
  _vouch_acme_reply (call, head ? SOUP_STATUS_OK : SOUP_STATUS_NO_CONTENT, NULL, NULL);
}

/* Checks the key: a jwk is imported and must have signed; a kid names an
 * account of this server, whose key must have signed. */
static gboolean
authenticate (VouchAcmeCall  *call,
              AuthMode        auth,
              GError        **error)
{
  VouchAcmeJws *jws = call->jws;
  const char *kid = vouch_acme_jws_get_kid (jws);
  JsonObject *jwk = vouch_acme_jws_get_jwk (jws);
  g_auto(gnutls_pubkey_t) imported = NULL;
  gnutls_pubkey_t key;

  if (jwk != NULL && auth == AUTH_KID)
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                           _("This request must name its account with kid, not carry a jwk"));
      return FALSE;
    }
  if (kid != NULL && auth == AUTH_JWK)
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                           _("This request must carry its key as jwk, not name an account"));
      return FALSE;
    }

  if (kid != NULL)
    {
      g_autofree char *prefix = _vouch_acme_url (call, "acct", "");
      g_autoptr(GError) local_error = NULL;

      if (g_str_has_prefix (kid, prefix) && strchr (kid + strlen (prefix), '/') == NULL)
        call->account = vouch_acme_store_lookup_account (call->server->store,
                                                         kid + strlen (prefix), &local_error);
      if (local_error != NULL)
        {
          g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_SERVER_INTERNAL,
                               local_error->message);
          return FALSE;
        }
      if (call->account == NULL)
        {
          g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_ACCOUNT_DOES_NOT_EXIST,
                       _("No account of this server is %s"), kid);
          return FALSE;
        }
      if (!g_str_equal (call->account->status, "valid"))
        {
          g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                       _("The account is %s"), call->account->status);
          return FALSE;
        }
      key = _vouch_acme_account_key (call->server, call->account, vouch_acme_jws_get_alg (jws), error);
    }
  else
    key = imported = vouch_acme_jwk_import (jwk, vouch_acme_jws_get_alg (jws), error);

  if (key == NULL || !vouch_acme_jws_verify (jws, key, error))
    return FALSE;

  /* An account's key was made canonical and hashed when it was stored. */
  if (call->account != NULL && kid != NULL)
    {
      call->thumbprint = g_strdup (call->account->thumbprint);
      call->jwk = g_strdup (call->account->jwk);
      return TRUE;
    }
  call->thumbprint = vouch_acme_jwk_thumbprint (jwk, &call->jwk, error);
  if (call->thumbprint == NULL)
    return FALSE;
  if (call->account == NULL)
    call->account = vouch_acme_store_lookup_account_by_key (call->server->store, call->thumbprint,
                                                            NULL);
  return TRUE;
}

static gboolean
check_post (VouchAcmeCall  *call,
            GError        **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (call->msg);
  SoupMessageBody *body = soup_server_message_get_request_body (call->msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autofree char *request_url = NULL;

  if (g_strcmp0 (content_type, "application/jose+json") != 0)
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                           _("ACME requests must be application/jose+json"));
      return FALSE;
    }

  call->jws = vouch_acme_jws_parse (body->data, body->length, error);
  if (call->jws == NULL)
    return FALSE;

  request_url = g_strconcat (call->base, g_uri_get_path (soup_server_message_get_uri (call->msg)),
                             NULL);
  if (g_strcmp0 (vouch_acme_jws_get_url (call->jws), request_url) != 0)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                   _("The JWS url header is not this request's URL, %s"), request_url);
      return FALSE;
    }

  if (!consume_nonce (call->server, vouch_acme_jws_get_nonce (call->jws)))
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_BAD_NONCE,
                           _("The nonce is missing, used already or unknown; use the one in "
                             "this answer's Replay-Nonce"));
      return FALSE;
    }
  return TRUE;
}

static void
dispatch_post (VouchAcmeCall *call)
{
  guint n = g_strv_length (call->path);
  g_autoptr(GError) error = NULL;
  VouchAcmeStore *store;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!g_str_equal (call->path[0], routes[i].kind) || n != routes[i].n_segments ||
          (routes[i].tail != NULL && !g_str_equal (call->path[2], routes[i].tail)) ||
          (n >= 2 && call->path[1][0] == '\0'))
        continue;

      /* Lookups from the account's to the reply's share one snapshot;
       * the reply frees @call, not the server that owns @store. */
      store = call->server->store;
      vouch_acme_store_hold (store);
      if (!check_post (call, &error) || !authenticate (call, routes[i].auth, &error))
        _vouch_acme_reply_error (call, error);
      else
        routes[i].handler (call);
      vouch_acme_store_release (store);
      return;
    }

  soup_server_message_set_status (call->msg, SOUP_STATUS_NOT_FOUND, NULL);
  _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_MALFORMED, _("No such ACME resource"));
}

static char *
request_base (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *host = NULL;
  const char *h = g_uri_get_host (uri);

  host = strchr (h, ':') != NULL ? g_strdup_printf ("[%s]", h) : g_strdup (h);
  return g_strdup_printf ("https://%s:%d", host, g_uri_get_port (uri));
}

static void
handle (SoupServer        *soup,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  VouchAcmeServer *self = user_data;
  VouchAcmeCall *call = g_new0 (VouchAcmeCall, 1);
  const char *method = soup_server_message_get_method (msg);

  call->server = g_object_ref (self);
  call->msg = g_object_ref (msg);
  call->base = request_base (msg);
  call->client_address = g_strdup (soup_server_message_get_remote_host (msg));
  call->path = g_strsplit (path + strlen ("/acme/"), "/", 4);

  if (g_strv_length (call->path) == 1 && g_str_equal (call->path[0], "directory") &&
      g_str_equal (method, "GET"))
    reply_directory (call);
  else if (g_strv_length (call->path) == 1 && g_str_equal (call->path[0], "new-nonce") &&
           (g_str_equal (method, "GET") || g_str_equal (method, "HEAD")))
    reply_nonce (call);
  else if (g_str_equal (method, "POST") && call->path[0] != NULL)
    dispatch_post (call);
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "POST");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      _vouch_acme_reply_problem (call, VOUCH_ACME_ERROR_MALFORMED,
                                 _("ACME resources are read with POST-as-GET"));
    }
}

/* Runs before the body is read: a body over 64 KiB is refused unread. */
static void
handle_early (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if ((encoding == SOUP_ENCODING_CONTENT_LENGTH && length > VOUCH_ACME_MAX_BODY) ||
      encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    {
      VouchAcmeServer *self = user_data;
      g_autofree char *problem = NULL;
      g_autofree char *nonce = _vouch_acme_new_nonce (self);
      g_autoptr(GError) error = NULL;

      g_set_error_literal (&error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                           _("ACME request bodies are at most 64 KiB, with a Content-Length"));
      problem = _vouch_acme_problem_json (error);
      soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_COPY,
                                        problem, strlen (problem));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Replay-Nonce", nonce);
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
    }
}

static void
vouch_acme_server_dispose (GObject *object)
{
  VouchAcmeServer *self = VOUCH_ACME_SERVER (object);

  vouch_acme_server_stop (self);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_object (&self->certificate);
  g_clear_object (&self->validator);
  g_clear_object (&self->policy);
  g_clear_object (&self->authority);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vouch_acme_server_parent_class)->dispose (object);
}

static void
vouch_acme_server_finalize (GObject *object)
{
  VouchAcmeServer *self = VOUCH_ACME_SERVER (object);

  /* The table owns the nonces; the queue only its links. */
  g_queue_clear (&self->nonce_order);
  g_clear_pointer (&self->nonces, g_hash_table_unref);
  g_clear_pointer (&self->signing, g_hash_table_unref);
  g_clear_pointer (&self->account_keys, g_hash_table_unref);
  g_clear_pointer (&self->unsigned_orders, g_hash_table_unref);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->directory_url, g_free);
  g_clear_pointer (&self->terms_of_service, g_free);
  g_clear_pointer (&self->tls_dir, g_free);

  G_OBJECT_CLASS (vouch_acme_server_parent_class)->finalize (object);
}

static void
vouch_acme_server_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VouchAcmeServer *self = VOUCH_ACME_SERVER (object);

  switch (prop_id)
    {
    case PROP_AUTHORITY:
      g_value_set_object (value, self->authority);
      break;

    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_VALIDATOR:
      g_value_set_object (value, self->validator);
      break;

    case PROP_DIRECTORY_URL:
      g_value_set_string (value, self->directory_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_server_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VouchAcmeServer *self = VOUCH_ACME_SERVER (object);

  switch (prop_id)
    {
    case PROP_AUTHORITY:
      self->authority = g_value_dup_object (value);
      break;

    case PROP_POLICY:
      self->policy = g_value_dup_object (value);
      break;

    case PROP_VALIDATOR:
      self->validator = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_server_class_init (VouchAcmeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_acme_server_dispose;
  object_class->finalize = vouch_acme_server_finalize;
  object_class->get_property = vouch_acme_server_get_property;
  object_class->set_property = vouch_acme_server_set_property;

  properties[PROP_AUTHORITY] =
    g_param_spec_object ("authority", NULL, NULL, VOUCH_TYPE_AUTHORITY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL, VOUCH_TYPE_ACME_POLICY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties[PROP_VALIDATOR] =
    g_param_spec_object ("validator", NULL, NULL, VOUCH_TYPE_ACME_VALIDATOR,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties[PROP_DIRECTORY_URL] =
    g_param_spec_string ("directory-url", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_acme_server_init (VouchAcmeServer *self)
{
  self->cancellable = g_cancellable_new ();
  self->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->nonce_order);
  self->signing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unsigned_orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->account_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify)gnutls_pubkey_deinit);
}

/**
 * vouch_acme_server_new:
 * @authority: a loaded authority with a root
 * @policy: who may have which names
 * @validator: how challenges are checked
 */
VouchAcmeServer *
vouch_acme_server_new (VouchAuthority     *authority,
                       VouchAcmePolicy    *policy,
                       VouchAcmeValidator *validator)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (authority), NULL);
  g_return_val_if_fail (VOUCH_IS_ACME_POLICY (policy), NULL);
  g_return_val_if_fail (VOUCH_IS_ACME_VALIDATOR (validator), NULL);

  return g_object_new (VOUCH_TYPE_ACME_SERVER, "authority", authority, "policy", policy,
                       "validator", validator, NULL);
}

/**
 * vouch_acme_server_set_names:
 * @names: the names and addresses the server's own certificate is for;
 *   the first is the directory URL's host
 *
 * Defaults to this host's name under .local. Set before listening.
 */
void
vouch_acme_server_set_names (VouchAcmeServer    *self,
                             const char * const *names)
{
  g_return_if_fail (VOUCH_IS_ACME_SERVER (self));
  g_return_if_fail (names != NULL && names[0] != NULL);

  g_strfreev (self->names);
  self->names = g_strdupv ((char **)names);
}

/**
 * vouch_acme_server_set_terms_of_service:
 * @url: (nullable): the directory's meta.termsOfService; none by default
 */
void
vouch_acme_server_set_terms_of_service (VouchAcmeServer *self,
                                        const char      *url)
{
  g_return_if_fail (VOUCH_IS_ACME_SERVER (self));

  g_free (self->terms_of_service);
  self->terms_of_service = g_strdup (url);
}

/**
 * vouch_acme_server_listen:
 * @address: (nullable): an IP address to listen on; NULL for all
 * @port: a TCP port, or 0 for any free one
 *
 * Opens the ACME records, makes sure the server has a current certificate
 * from the root (issuing one, which needs the root's key, if not), and
 * serves HTTPS. The certificate is checked again every day.
 */
gboolean
vouch_acme_server_listen (VouchAcmeServer  *self,
                          const char       *address,
                          guint             port,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autofree char *host = NULL;
  GSList *listeners;

  g_return_val_if_fail (VOUCH_IS_ACME_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  if (vouch_authority_get_root (self->authority) == NULL)
    {
      g_set_error_literal (error, VOUCH_ERROR, VOUCH_ERROR_NO_ROOT,
                           _("Create or import a root before serving ACME"));
      return FALSE;
    }

  if (address != NULL)
    {
      inet = g_inet_address_new_from_string (address);
      if (inet == NULL)
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                       _("“%s” is not an IP address to listen on"), address);
          return FALSE;
        }
    }

  if (self->names == NULL)
    {
      g_autofree char *local = g_strconcat (g_get_host_name (), ".local", NULL);
      const char *names[] = { address != NULL ? address : local, NULL };

      vouch_acme_server_set_names (self, names);
    }

  self->store = vouch_acme_store_new (vouch_authority_get_inventory (self->authority), error);
  if (self->store == NULL)
    return FALSE;
  self->soup = soup_server_new ("server-header", "vouch-acme ", NULL);
  self->tls_dir = g_build_filename (vouch_authority_get_data_dir (self->authority), "acme", NULL);
  if (!_vouch_acme_server_ensure_certificate (self, FALSE, cancellable, error))
    return FALSE;

  soup_server_add_early_handler (self->soup, "/acme/", handle_early, self, NULL);
  soup_server_add_handler (self->soup, "/acme/", handle, self, NULL);

  /* With no address, libsoup listens on IPv4 and IPv6, whichever exist. */
  if (inet == NULL)
    {
      if (!soup_server_listen_all (self->soup, port, SOUP_SERVER_LISTEN_HTTPS, error))
        return FALSE;
    }
  else
    {
      socket_address = g_inet_socket_address_new (inet, port);
      if (!soup_server_listen (self->soup, socket_address, SOUP_SERVER_LISTEN_HTTPS, error))
        return FALSE;
    }

  /* The port the kernel chose for port 0. (soup_server_get_uris() would
   * say it too, but libsoup 3.2 leaks an address in it.) */
  listeners = soup_server_get_listeners (self->soup);
  self->port = port;
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (local))
        self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);

  host = strchr (self->names[0], ':') != NULL ? g_strdup_printf ("[%s]", self->names[0])
                                              : g_strdup (self->names[0]);
  g_free (self->directory_url);
  self->directory_url = g_strdup_printf ("https://%s:%u/acme/directory", host, self->port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTORY_URL]);

  _vouch_acme_server_schedule_renewal (self);
  return TRUE;
}

void
vouch_acme_server_stop (VouchAcmeServer *self)
{
  g_return_if_fail (VOUCH_IS_ACME_SERVER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->renew_source, g_source_remove);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

const char *
vouch_acme_server_get_directory_url (VouchAcmeServer *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_SERVER (self), NULL);
  return self->directory_url;
}

guint
vouch_acme_server_get_port (VouchAcmeServer *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_SERVER (self), 0);
  return self->port;
}

/**
 * vouch_acme_server_get_certificate:
 *
 * Returns: (transfer none) (nullable): the certificate the server serves
 */
VouchCertificate *
vouch_acme_server_get_certificate (VouchAcmeServer *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_SERVER (self), NULL);
  return self->certificate;
}

VouchAcmePolicy *
vouch_acme_server_get_policy (VouchAcmeServer *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_SERVER (self), NULL);
  return self->policy;
}

VouchAcmeValidator *
vouch_acme_server_get_validator (VouchAcmeServer *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_SERVER (self), NULL);
  return self->validator;
}

/**
 * vouch_acme_server_renew_certificate:
 * @force: renew even if the certificate is far from expiry
 *
 * Issues the server a new certificate from the root when its own is
 * missing, expiring or for other names. Blocks on the keyring and the
 * signature; the daily check does the same off the main loop.
 */
gboolean
vouch_acme_server_renew_certificate (VouchAcmeServer  *self,
                                     gboolean          force,
                                     GCancellable     *cancellable,
                                     GError          **error)
{
  g_return_val_if_fail (VOUCH_IS_ACME_SERVER (self), FALSE);
  g_return_val_if_fail (self->tls_dir != NULL, FALSE);

  return _vouch_acme_server_ensure_certificate (self, force, cancellable, error);
}
