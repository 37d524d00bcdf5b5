/* fuzz-device-json.c: any bytes as a device's HTTP answer: the bounded
 * JSON parser, then the client's interpretation of an info, CSR or
 * problem response
 *
 * The first byte picks the HTTP status; the rest is the body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "vouch-device-client-private.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <string.h>

static void
assert_strings_safe (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          fuzz_assert_safe_text (name, VOUCH_TEXT_MAX_NAME);
          assert_strings_safe (member);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        assert_strings_safe (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    fuzz_assert_safe_text (json_node_get_string (node), VOUCH_TEXT_MAX_LINE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 201, 204, 301, 400, 401, 404, 409, 429, 500, 503, 100 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *body;
  guint status;

  if (size == 0 || size > VOUCH_DEVICE_CLIENT_MAX_RESPONSE + 1)
    return 0;
  status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  body = (const char *)data + 1;
  size--;

  /* The parser alone, at the client's depth and at a tiny one. */
  node = vouch_json_parse_bounded (body, size, 2, &error);
  g_assert ((node == NULL) == (error != NULL));
  g_clear_error (&error);

  object = _vouch_device_client_parse_response (status, body, size, &error);
  g_assert ((object == NULL) == (error != NULL));
  if (object == NULL)
    {
      /* The operator sees this sentence: valid UTF-8, nothing a terminal
       * would obey, nothing that reorders or hides text, bounded. */
      fuzz_assert_safe_text (error->message, 1024);
      return 0;
    }

  /* Every string that gets past the parser is UTF-8. */
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *member;

    json_object_iter_init (&iter, object);
    while (json_object_iter_next (&iter, &name, &member))
      {
        g_assert_true (g_utf8_validate (name, -1, NULL));
        if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
          g_assert_true (g_utf8_validate (json_node_get_string (member), -1, NULL));
      }
  }

  if (!_vouch_device_client_check_info (object, &error))
    g_clear_error (&error);

  /* Every string of an info, as the device page and onboarding see it. */
  {
    g_autoptr(JsonObject) shown = _vouch_device_client_sanitize_info (object);
    g_autoptr(JsonNode) node_shown = json_node_init_object (json_node_alloc (), shown);

    assert_strings_safe (node_shown);
  }

  {
    g_autofree char *csr = _vouch_device_client_check_csr (object, "fuzz-nonce-0123456789", &error);

    g_assert ((csr == NULL) == (error != NULL));
    g_assert (csr == NULL || strlen (csr) <= 64 * 1024);
  }
  return 0;
}
