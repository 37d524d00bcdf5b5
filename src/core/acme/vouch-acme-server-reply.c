/* vouch-acme-server-reply.c: every answer of the ACME server, with the
 * headers each needs (Replay-Nonce, Link to the directory, Location,
 * Retry-After), problem documents (RFC 7807, RFC 8555 §6.7), and the
 * JSON of accounts, orders, authorizations and challenges.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-server"

#include "vouch-config.h"

#include "vouch-acme-server-private.h"

#include "vouch-error.h"

#include <glib/gi18n-lib.h>
#include <time.h>

/* RFC 3339 in UTC. Every order and authorization answer has one: a
 * GDateTime and its locale-aware formatting cost more than the rest of
 * the member. */
char *
_vouch_acme_format_time (gint64 unix_time)
{
  time_t time = (time_t)unix_time;
  struct tm tm;

  if (gmtime_r (&time, &tm) == NULL)
    return g_strdup ("1970-01-01T00:00:00Z");
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
add_common_headers (VouchAcmeCall *call)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);
  g_autofree char *nonce = _vouch_acme_new_nonce (call->server);
  g_autofree char *directory = _vouch_acme_url (call, "directory", NULL);
  g_autofree char *link = g_strdup_printf ("<%s>;rel=\"index\"", directory);

  soup_message_headers_replace (headers, "Replay-Nonce", nonce);
  soup_message_headers_append (headers, "Link", link);
}

/**
 * _vouch_acme_reply:
 * @body: (nullable): the JSON answer
 * @location: (nullable): the Location header
 *
 * Sends the one answer to @call and frees it.
 */
void
_vouch_acme_reply (VouchAcmeCall *call,
                   guint          status,
                   JsonNode      *body,
                   const char    *location)
{
  _vouch_acme_reply_retry (call, status, body, location, 0);
}

void
_vouch_acme_reply_retry (VouchAcmeCall *call,
                         guint          status,
                         JsonNode      *body,
                         const char    *location,
                         guint          retry_after)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);

  add_common_headers (call);
  if (location != NULL)
    soup_message_headers_replace (headers, "Location", location);
  if (retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize len = strlen (text);

      soup_server_message_set_response (call->msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&text), len);
    }
  soup_server_message_set_status (call->msg, status, NULL);
  _vouch_acme_call_free (call);
}

/* A non-JSON answer (the certificate chain); frees @call. */
void
_vouch_acme_reply_bytes (VouchAcmeCall *call,
                         const char    *content_type,
                         const char    *data,
                         gsize          len)
{
  add_common_headers (call);
  soup_server_message_set_response (call->msg, content_type, SOUP_MEMORY_COPY, data, len);
  soup_server_message_set_status (call->msg, SOUP_STATUS_OK, NULL);
  _vouch_acme_call_free (call);
}

static void
add_problem (JsonBuilder    *builder,
             VouchAcmeError  code,
             const char     *detail,
             gboolean        with_status)
{
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, vouch_acme_error_to_type (code));
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail);
  if (with_status)
    {
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, vouch_acme_error_http_status (code));
    }
}

/* Any error becomes a problem: Vouch's own (the keyring, the inventory)
 * are serverInternal, with the message the operator would read. */
static VouchAcmeError
problem_code (const GError *error)
{
  if (error->domain == VOUCH_ACME_ERROR)
    return error->code;
  if (error->domain == VOUCH_POLICY_ERROR)
    return error->code == VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS ||
           error->code == VOUCH_POLICY_ERROR_BAD_NAME
           ? VOUCH_ACME_ERROR_REJECTED_IDENTIFIER : VOUCH_ACME_ERROR_BAD_CSR;
  return VOUCH_ACME_ERROR_SERVER_INTERNAL;
}

static JsonNode *
problem_node (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const GPtrArray *subproblems = vouch_acme_error_get_subproblems (error);

  json_builder_begin_object (builder);
  add_problem (builder, problem_code (error), error->message, TRUE);
  if (subproblems != NULL && subproblems->len > 0)
    {
      json_builder_set_member_name (builder, "subproblems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < subproblems->len; i++)
        {
          const VouchAcmeSubproblem *sub = g_ptr_array_index (subproblems, i);

          json_builder_begin_object (builder);
          add_problem (builder, sub->code, sub->detail != NULL ? sub->detail : "", FALSE);
          if (sub->identifier_type != NULL && sub->identifier_value != NULL)
            {
              json_builder_set_member_name (builder, "identifier");
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "type");
              json_builder_add_string_value (builder, sub->identifier_type);
              json_builder_set_member_name (builder, "value");
              json_builder_add_string_value (builder, sub->identifier_value);
              json_builder_end_object (builder);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
_vouch_acme_problem_json (const GError *error)
{
  g_autoptr(JsonNode) node = problem_node (error);

  return json_to_string (node, FALSE);
}

/* Sends @error as a problem document and frees @call. A status already
 * set on the message (404, 405) is kept. */
void
_vouch_acme_reply_error (VouchAcmeCall *call,
                         const GError  *error)
{
  g_autofree char *text = _vouch_acme_problem_json (error);
  gsize len = strlen (text);
  guint status = soup_server_message_get_status (call->msg);

  if (status < 400)
    status = vouch_acme_error_http_status (problem_code (error));
  if (problem_code (error) == VOUCH_ACME_ERROR_SERVER_INTERNAL)
    g_message ("ACME request failed: %s", error->message);

  add_common_headers (call);
  soup_server_message_set_response (call->msg, "application/problem+json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
  soup_server_message_set_status (call->msg, status, NULL);
  _vouch_acme_call_free (call);
}

void
_vouch_acme_reply_problem (VouchAcmeCall  *call,
                           VouchAcmeError  code,
                           const char     *detail)
{
  g_autoptr(GError) error = g_error_new_literal (VOUCH_ACME_ERROR, code, detail);

  _vouch_acme_reply_error (call, error);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       unix_time)
{
  g_autofree char *text = _vouch_acme_format_time (unix_time);

  add_string (builder, name, text);
}

/* Adds a member stored as JSON text (contacts, identifiers, problems). */
static void
add_stored_json (JsonBuilder *builder,
                 const char  *name,
                 const char  *json)
{
  JsonNode *node = json != NULL ? json_from_string (json, NULL) : NULL;

  if (node == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, node);
}

JsonNode *
_vouch_acme_account_json (VouchAcmeCall    *call,
                          VouchAcmeAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *orders = g_strconcat (call->base, "/acme/acct/", account->id, "/orders", NULL);

  json_builder_begin_object (builder);
  add_string (builder, "status", account->status);
  add_stored_json (builder, "contact", account->contacts);
  add_string (builder, "orders", orders);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
add_authz_url (VouchAcmeCall *call,
               JsonBuilder   *builder,
               const char    *id)
{
  g_autofree char *url = _vouch_acme_url (call, "authz", id);

  json_builder_add_string_value (builder, url);
}

/* @authzs: (nullable) (element-type VouchAcmeAuthz): the order's
 * authorizations, if the caller has them at hand; else their ids read
 * with @order, else they are read */
JsonNode *
_vouch_acme_order_json (VouchAcmeCall  *call,
                        VouchAcmeOrder *order,
                        GPtrArray      *authzs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) read = NULL;
  char **ids;
  g_autofree char *finalize = g_strconcat (call->base, "/acme/order/", order->id, "/finalize", NULL);

  if (authzs == NULL && order->authz_ids == NULL)
    authzs = read = vouch_acme_store_list_authzs (call->server->store, order->id, NULL);
  ids = authzs == NULL ? order->authz_ids : NULL;
  json_builder_begin_object (builder);
  add_string (builder, "status", order->status);
  add_time (builder, "expires", order->expires);
  add_stored_json (builder, "identifiers", order->identifiers);
  json_builder_set_member_name (builder, "authorizations");
  json_builder_begin_array (builder);
  for (guint i = 0; authzs != NULL && i < authzs->len; i++)
    add_authz_url (call, builder, ((VouchAcmeAuthz *)g_ptr_array_index (authzs, i))->id);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    add_authz_url (call, builder, ids[i]);
  json_builder_end_array (builder);
  add_string (builder, "finalize", finalize);
  if (order->serial != NULL && g_str_equal (order->status, "valid"))
    {
      g_autofree char *cert = _vouch_acme_url (call, "cert", order->serial);

      add_string (builder, "certificate", cert);
    }
  if (g_str_equal (order->status, "invalid"))
    add_stored_json (builder, "error", order->error);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
add_challenge (VouchAcmeCall      *call,
               JsonBuilder        *builder,
               VouchAcmeChallenge *challenge)
{
  g_autofree char *url = _vouch_acme_url (call, "chall", challenge->id);

  json_builder_begin_object (builder);
  add_string (builder, "type", challenge->type);
  add_string (builder, "url", url);
  add_string (builder, "status", challenge->status);
  add_string (builder, "token", challenge->token);
  if (challenge->validated > 0)
    add_time (builder, "validated", challenge->validated);
  if (g_str_equal (challenge->status, "invalid"))
    add_stored_json (builder, "error", challenge->error);
  json_builder_end_object (builder);
}

JsonNode *
_vouch_acme_challenge_json (VouchAcmeCall      *call,
                            VouchAcmeChallenge *challenge)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_challenge (call, builder, challenge);
  return json_builder_get_root (builder);
}

JsonNode *
_vouch_acme_authz_json (VouchAcmeCall  *call,
                        VouchAcmeAuthz *authz)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) challenges = vouch_acme_store_list_challenges (call->server->store,
                                                                      authz->id, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "status", authz->status);
  add_time (builder, "expires", authz->expires);
  json_builder_set_member_name (builder, "identifier");
  json_builder_begin_object (builder);
  add_string (builder, "type", authz->type);
  add_string (builder, "value", authz->value);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "challenges");
  json_builder_begin_array (builder);
  for (guint i = 0; challenges != NULL && i < challenges->len; i++)
    {
      VouchAcmeChallenge *challenge = g_ptr_array_index (challenges, i);

      /* Once valid, only the challenge that made it so is listed. */
      if (g_str_equal (authz->status, "valid") && !g_str_equal (challenge->status, "valid"))
        continue;
      add_challenge (call, builder, challenge);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
