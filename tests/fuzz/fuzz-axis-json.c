/* fuzz-axis-json.c: any bytes as an Axis camera's VAPIX answer: the
 * envelope, its status and message, and what the driver reads from its
 * data (the device's serial and model, the keystore's entries)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "vouch-device-client.h"
#include "vouch-driver-answers-private.h"
#include "vouch-error.h"

#include <string.h>

static void
check_entry (JsonNode *node)
{
  JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *alias = _vouch_driver_json_string (entry, "alias");
  const char *pem = _vouch_driver_json_string (entry, "certificate");

  g_assert_true (alias == NULL || g_utf8_validate (alias, -1, NULL));
  if (pem != NULL)
    {
      g_autofree char *sha256 = _vouch_device_driver_leaf_key_sha256 (pem);

      g_assert_true (sha256 == NULL || strlen (sha256) == 64);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  JsonNode *payload;

  if (size > VOUCH_DEVICE_CLIENT_MAX_RESPONSE)
    return 0;
  body = g_bytes_new (data, size);

  answer = _vouch_axis_parse_envelope (body);
  message = _vouch_axis_message (answer);
  if (message != NULL)
    fuzz_assert_safe_text (message, 200);

  if (!_vouch_axis_answer_ok (answer, "fuzzing", &error))
    {
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED);
      fuzz_assert_safe_text (error->message, 1024);
      return 0;
    }
  g_assert_nonnull (answer);

  payload = json_object_get_member (answer, "data");
  if (payload != NULL && JSON_NODE_HOLDS_ARRAY (payload))
    {
      JsonArray *entries = json_node_get_array (payload);

      for (guint i = 0; i < json_array_get_length (entries); i++)
        check_entry (json_array_get_element (entries, i));
    }
  else if (payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
    {
      JsonObject *object = json_node_get_object (payload);
      JsonNode *list = json_object_get_member (object, "propertyList");
      JsonObject *properties = list != NULL && JSON_NODE_HOLDS_OBJECT (list) ? json_node_get_object (list) : NULL;
      const char *serial = _vouch_driver_json_string (properties, "SerialNumber");
      const char *model = _vouch_driver_json_string (properties, "ProdShortName");

      g_assert_true (serial == NULL || g_utf8_validate (serial, -1, NULL));
      g_assert_true (model == NULL || g_utf8_validate (model, -1, NULL));
      check_entry (payload);
    }
  return 0;
}
