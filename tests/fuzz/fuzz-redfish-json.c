/* fuzz-redfish-json.c: any bytes as a Redfish service's answer: the
 * parser, the refusal's message, the links and strings the driver reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "vouch-device-client.h"
#include "vouch-driver-answers-private.h"
#include "vouch-error.h"
#include "vouch-redfish-call.h"

#include <string.h>

/* What the driver takes from an answer: a link it follows stays a plain
 * path in the Redfish tree; a string is UTF-8 (it may go to the
 * inventory or, sanitized, to the operator). */
static void
check_links (JsonObject *object)
{
  static const char *links[] = { "Managers", "NetworkProtocol", "Certificates", "SessionService" };
  static const char *strings[] = { "@odata.id", "Vendor", "UUID", "Product", "CSRString",
                                   "CertificateSigningRequest", "target", "Message", "message" };

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      const char *path = _vouch_redfish_link (object, links[i]);

      if (path == NULL)
        continue;
      g_assert_true (g_str_has_prefix (path, "/redfish/v1"));
      g_assert_null (strstr (path, ".."));
      g_assert_null (strstr (path, "//"));
      g_assert_null (strchr (path, '?'));
      g_assert_cmpuint (strlen (path), <=, 512);
    }

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      const char *text = _vouch_driver_json_string (object, strings[i]);

      g_assert_true (text == NULL || g_utf8_validate (text, -1, NULL));
    }
}

static void
walk (JsonNode *node,
      guint     depth)
{
  /* One more than the parser's bound: a leaf under its deepest array. */
  g_assert_cmpuint (depth, <=, 17);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      check_links (json_node_get_object (node));
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_assert_true (g_utf8_validate (name, -1, NULL));
          walk (member, depth + 1);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        walk (json_array_get_element (array, i), depth + 1);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_assert_true (g_utf8_validate (json_node_get_string (node), -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (size > VOUCH_DEVICE_CLIENT_MAX_RESPONSE)
    return 0;
  body = g_bytes_new (data, size);

  /* A refusal's explanation reaches the operator. */
  message = _vouch_redfish_message (body);
  if (message != NULL)
    fuzz_assert_safe_text (message, 200);

  answer = _vouch_redfish_parse_answer (body, &error);
  g_assert ((answer == NULL) == (error != NULL));
  if (answer == NULL)
    {
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL);
      fuzz_assert_safe_text (error->message, 1024);
      return 0;
    }

  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), answer);

    walk (node, 0);
  }
  return 0;
}
