/* vouch-device-client-answers.c: what a device's answers are taken to
 * mean. Split from vouch-device-client.c, which sends the requests; these
 * functions read only the JSON, so tests feed them hostile answers
 * directly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-device-client"

#include "vouch-config.h"

#include "vouch-device-client-private.h"

#include "vouch-error.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#define MAX_JSON_DEPTH 16
#define MAX_CSR_LEN (64 * 1024)

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Turns an RFC 9457 problem (or any error status) into one sentence. The
 * device's text is quoted, bounded, never trusted as markup. */
static void
set_http_error (GError     **error,
                guint        status,
                JsonObject  *problem)
{
  const char *sent_title = member_string (problem, "title");
  g_autofree char *title = vouch_text_sanitize (sent_title, -1, VOUCH_TEXT_MAX_LINE);
  g_autofree char *detail = vouch_text_sanitize (member_string (problem, "detail"), -1,
                                                  VOUCH_TEXT_MAX_DETAIL);
  g_autofree char *said = NULL;

  /* The title is a fixed phrase (RFC 9457): one that needed changing to
   * be shown is no title, and HTTP's own phrase says more. */
  if (g_strcmp0 (title, sent_title) != 0)
    g_clear_pointer (&title, g_free);
  said = detail != NULL ? g_strdup_printf (" (%s)", detail) : g_strdup ("");

  /* Its own code, so onboarding can remember to ask for the secret again. */
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED,
                 _("The device refused the admin secret%s"), said);
  else if (status == 429)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED,
                 _("The device is refusing requests after failed attempts; wait "
                   "a minute%s"), said);
  else if (status >= 500)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                 _("The device failed with HTTP %u%s"), status, said);
  else
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED,
                 _("The device refused the request: %s%s"),
                 title != NULL ? title : soup_status_get_phrase (status), said);
}

/**
 * _vouch_device_client_parse_response:
 * @status: the HTTP status
 * @body: (array length=len): the body, at most
 *   %VOUCH_DEVICE_CLIENT_MAX_RESPONSE bytes as read
 *
 * Returns: (transfer full): the answer's JSON object for a 2xx status, or
 *   %NULL with the error the operator sees
 */
JsonObject *
_vouch_device_client_parse_response (guint        status,
                                     const char  *body,
                                     gsize        len,
                                     GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;

  if (len > 0)
    node = vouch_json_parse_bounded (body, len, MAX_JSON_DEPTH, &local_error);

  if (status >= 400)
    {
      set_http_error (error, status,
                      node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                                    : NULL);
      return NULL;
    }

  if (status < 200 || status >= 300)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The device answered with HTTP %u, which Vouch does not follow"), status);
      return NULL;
    }

  if (node == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The device sent a malformed answer: %s"),
                   local_error != NULL ? local_error->message : _("no body"));
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The device sent a malformed answer: not a JSON object"));
      return NULL;
    }

  return json_object_ref (json_node_get_object (node));
}

static JsonNode *
sanitized_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(JsonObject) copy = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_autofree char *shown_name = vouch_text_sanitize (name, -1, VOUCH_TEXT_MAX_NAME);

          json_object_set_member (copy, shown_name, sanitized_node (member));
        }
      return json_node_init_object (json_node_alloc (), copy);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, sanitized_node (json_array_get_element (array, i)));
      return json_node_init_array (json_node_alloc (), copy);
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *shown = vouch_text_sanitize (json_node_get_string (node), -1,
                                                    VOUCH_TEXT_MAX_LINE);

      return json_node_init_string (json_node_alloc (), shown);
    }

  return json_node_copy (node);
}

/**
 * _vouch_device_client_sanitize_info:
 * @info: a device's info object, as parsed (so nested at most
 *   %MAX_JSON_DEPTH deep)
 *
 * Every string in the info (its name, model, firmware, the certificate's
 * subject and names...) is for people to read, and the device chose it.
 *
 * Returns: (transfer full): a copy of @info with every member name and
 *   string made safe to show
 */
JsonObject *
_vouch_device_client_sanitize_info (JsonObject *info)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), info);
  g_autoptr(JsonNode) copy = sanitized_node (node);

  return json_object_ref (json_node_get_object (copy));
}

/* An info object must at least carry a short, non-empty string device_id. */
gboolean
_vouch_device_client_check_info (JsonObject  *info,
                                 GError     **error)
{
  const char *device_id = member_string (info, "device_id");

  if (device_id == NULL || *device_id == '\0' || strlen (device_id) > 64)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The device's info has no valid device_id"));
      return FALSE;
    }

  return TRUE;
}

/* A CSR answer must echo @nonce exactly, so a replayed CSR is refused,
 * and hold a CSR of bounded size; the CSR itself is checked by the policy. */
char *
_vouch_device_client_check_csr (JsonObject  *answer,
                                const char  *nonce,
                                GError     **error)
{
  const char *echoed = member_string (answer, "nonce");
  const char *csr;

  if (echoed == NULL || strlen (echoed) != strlen (nonce) ||
      !vouch_secure_equal (echoed, nonce, strlen (echoed)))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The device did not echo this request's nonce, so its CSR may be a replay"));
      return NULL;
    }

  csr = member_string (answer, "csr");
  if (csr == NULL || strlen (csr) > MAX_CSR_LEN)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The device's answer holds no certificate signing request"));
      return NULL;
    }

  return g_strdup (csr);
}
