/* test-device-response.c: how Vouch reads a device's answer, apart from
 * the transport: the cases the fuzzers found, kept as plain tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-device-client-private.h"
#include "vouch-discovery-private.h"
#include "vouch-error.h"
#include "vouch-util.h"

#include <string.h>

static void
assert_printable (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_false (c >= 0x202A && c <= 0x202E);
      g_assert_false (c >= 0x2066 && c <= 0x2069);
    }
}

static JsonObject *
parse (guint        status,
       const char  *body,
       GError     **error)
{
  return _vouch_device_client_parse_response (status, body, strlen (body), error);
}

static void
test_info_and_csr (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = parse (200, "{\"device_id\": \"0123456789abcdef\"}", &error);
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *csr = NULL;

  g_assert_no_error (error);
  g_assert_true (_vouch_device_client_check_info (info, &error));
  g_assert_no_error (error);

  answer = parse (201, "{\"nonce\": \"abc\", \"csr\": \"PEM\"}", &error);
  g_assert_no_error (error);
  csr = _vouch_device_client_check_csr (answer, "abc", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (csr, ==, "PEM");

  g_assert_null (_vouch_device_client_check_csr (answer, "abd", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "nonce"));
}

static void
test_not_an_answer (void)
{
  const struct { guint status; const char *body; const char *fragment; } cases[] = {
    { 200, "", "no body" },
    { 200, "[1, 2]", "not a JSON object" },
    { 200, "{\"a\":", "invalid" },
    { 302, "{}", "HTTP 302" },
    { 200, "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "nested" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = parse (cases[i].status, cases[i].body, &error);

      g_assert_null (object);
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL);
      g_assert_nonnull (strstr (error->message, cases[i].fragment));
    }
}

/* tests/fuzz/device-json/crash-surrogate-in-value: json-glib 1.6 decodes
 * a lone surrogate escape into bytes that are not UTF-8. */
static void
test_lone_surrogate_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse (200, "{\"device_id\": \"\\ud83d x\", \"model\": \"x\"}",
                                        &error);

  g_assert_null (object);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  assert_printable (error->message);
}

/* tests/fuzz/device-json/crash-surrogate-in-error: json-glib's message
 * quotes the broken input. */
static void
test_parser_message_sanitized (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_body = NULL;
  g_autoptr(JsonObject) object = parse (200, "{\"device_id\":\"a\\\"[[\\u00e9\\ud83d\\device",
                                        &error);

  g_assert_null (object);
  g_assert_nonnull (error);
  assert_printable (error->message);
  g_clear_error (&error);

  /* A device cannot fill the operator's screen through the parser. */
  long_body = g_strdup_printf ("{\"x\": \"%0*d\x01", 5000, 0);
  g_assert_null (parse (200, long_body, &error));
  g_assert_nonnull (error);
  assert_printable (error->message);
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 400);
}

/* tests/fuzz/device-json/problem-escapes: a problem's title and detail
 * reach the operator only as vouch_text_sanitize() leaves them: an escape
 * sequence's control characters become a visible mark. */
static void
test_problem_text (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (parse (401, "{\"title\": \"No\", \"detail\": \"bad secret\"}", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED);
  g_assert_nonnull (strstr (error->message, "(bad secret)"));
  g_clear_error (&error);

  g_assert_null (parse (401, "{\"detail\": \"\\u001b]0;owned\\u0007\"}", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED);
  g_assert_nonnull (strstr (error->message, "(\uFFFD]0;owned\uFFFD)"));
  assert_printable (error->message);
  g_clear_error (&error);

  g_assert_null (parse (500, "{\"detail\": \"Invoice\\u202efdp.exe\"}", &error));
  g_assert_nonnull (strstr (error->message, "(Invoice\uFFFDfdp.exe)"));
  assert_printable (error->message);
  g_clear_error (&error);

  g_assert_null (parse (409, "{\"title\": \"\\u001b[2J\"}", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED);
  assert_printable (error->message);
  g_assert_nonnull (strstr (error->message, "Conflict"));
}

/* Every string in an info object is device text. */
/* The depth is counted outside strings only: brackets and escaped quotes
 * inside a string do not count, and a string ends at the first quote that
 * an odd run of backslashes does not escape. */
static void
test_json_depth (void)
{
  static const struct
  {
    const char *json;
    gboolean    accepted;
  } cases[] = {
    { "[[[[[[[[1]]]]]]]]", TRUE },
    { "[[[[[[[[[1]]]]]]]]]", FALSE },
    { "{\"a\":\"[[[[[[[[[[[[\"}", TRUE },
    { "{\"a\":\"\\\"[[[[[[[[[[\"}", TRUE },
    { "{\"a\":\"x\\\\\\\"[[[[[[[[[[\"}", TRUE },
    { "{\"a\":\"\\\\\",\"b\":[[[[[[[[1]]]]]]]]}", FALSE },
    { "{\"a\":\"\\\\\\\\\",\"b\":[[[[[[[1]]]]]]]}", TRUE },
    { "{\"a\":\"[[[[[[[[[[", FALSE },
    { "{\"a\":\"\\ud83d\"}", FALSE },
    { "{\"a\":\"\\u00e9\"}", TRUE },
    /* json-glib 1.6 reads GScanner's octal escapes, to bytes that are not
     * UTF-8 (found by fuzz-device-json). */
    { "{\"a\":\"\\662\\930\"}", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = vouch_json_parse_bounded (cases[i].json, strlen (cases[i].json),
                                                           8, &error);

      g_test_message ("%s", cases[i].json);
      g_assert_true ((node != NULL) == cases[i].accepted);
      g_assert_true ((error == NULL) == cases[i].accepted);
    }
}

static void
test_info_sanitized (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = parse (200, "{\"device_id\": \"cam-1\", \"name\": \"Invoice\\u202efdp.exe\","
                                      " \"certificate\": {\"subject\": \"CN=a\\u2066b\","
                                      " \"names\": [\"x\\u200by.local\", 7]}, \"n\\u202e\": 1}", &error);
  g_autoptr(JsonObject) shown = NULL;
  JsonObject *cert;
  JsonArray *names;

  g_assert_no_error (error);
  shown = _vouch_device_client_sanitize_info (info);
  g_assert_cmpstr (json_object_get_string_member (shown, "device_id"), ==, "cam-1");
  g_assert_cmpstr (json_object_get_string_member (shown, "name"), ==, "Invoice\uFFFDfdp.exe");
  cert = json_object_get_object_member (shown, "certificate");
  g_assert_cmpstr (json_object_get_string_member (cert, "subject"), ==, "CN=a\uFFFDb");
  names = json_object_get_array_member (cert, "names");
  g_assert_cmpstr (json_array_get_string_element (names, 0), ==, "x\uFFFDy.local");
  g_assert_cmpint (json_array_get_int_element (names, 1), ==, 7);
  g_assert_true (json_object_has_member (shown, "n\uFFFD"));
  /* The parsed original is left alone. */
  g_assert_cmpstr (json_object_get_string_member (info, "name"), ==, "Invoice\u202Efdp.exe");
}

static void
test_txt_checks (void)
{
  AvahiStringList *list = avahi_string_list_new ("id=cam-1", "model=\x1b[31mred", "=x", "",
                                                 "path=/v", "note=Invoice\u202Efdp.exe", NULL);
  g_auto(GStrv) txt = _vouch_discovery_txt_to_strv (list);

  avahi_string_list_free (list);
  /* avahi_string_list_new() prepends: the list is in reverse order. */
  g_assert_cmpuint (g_strv_length (txt), ==, 4);
  g_assert_cmpstr (_vouch_discovery_txt_lookup ((const char * const *)txt, "id"), ==, "cam-1");
  /* Control and bidi characters become a visible mark. */
  g_assert_cmpstr (_vouch_discovery_txt_lookup ((const char * const *)txt, "model"), ==,
                   "\uFFFD[31mred");
  g_assert_cmpstr (_vouch_discovery_txt_lookup ((const char * const *)txt, "note"), ==,
                   "Invoice\uFFFDfdp.exe");
  g_assert_true (_vouch_discovery_id_is_valid ("cam-1"));
  g_assert_false (_vouch_discovery_id_is_valid ("../etc"));
  g_assert_false (_vouch_discovery_id_is_valid (""));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/device-response/info-and-csr", test_info_and_csr);
  g_test_add_func ("/device-response/not-an-answer", test_not_an_answer);
  g_test_add_func ("/device-response/lone-surrogate-refused", test_lone_surrogate_refused);
  g_test_add_func ("/device-response/parser-message-sanitized", test_parser_message_sanitized);
  g_test_add_func ("/device-response/json-depth", test_json_depth);
  g_test_add_func ("/device-response/info-sanitized", test_info_sanitized);
  g_test_add_func ("/device-response/problem-text", test_problem_text);
  g_test_add_func ("/device-response/txt-checks", test_txt_checks);

  return g_test_run ();
}
