/* test-device-client.c: the pinned HTTPS client against real vouch-agents,
 * inside a private network namespace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-device-client.h"
#include "vouch-error.h"
#include "vouch-setup-code.h"
#include "vouch-test-util.h"

#include <stdio.h>

typedef struct
{
  TestAgent         *agent;
  VouchDeviceClient *client;
  char              *state_dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *args[] = { "--no-mdns", NULL };
  g_autofree char *base = NULL;

  fixture->state_dir = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "agent-client", NULL);
  fixture->agent = test_agent_start (fixture->state_dir, "127.0.0.21", args);
  base = g_strdup_printf ("https://%s:%u/vouch/v1", fixture->agent->address, fixture->agent->port);
  fixture->client = vouch_device_client_new (base);
  vouch_device_client_set_admin_secret (fixture->client, TEST_ADMIN_TOKEN);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->client);
  test_agent_free (fixture->agent);
  g_free (fixture->state_dir);
}

static JsonObject *
get_info (VouchDeviceClient *client,
          GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vouch_device_client_get_info_async (client, TRUE, NULL, vouch_test_store_result_cb, &result);
  return vouch_device_client_get_info_finish (client, vouch_test_wait_result (&result, 60), error);
}

static void
test_first_contact_records_key (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *spki;
  guint8 digest[VOUCH_SHA256_LEN];

  info = get_info (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (info, "device_id"), ==, fixture->agent->device_id);

  /* The key seen over TLS matches the setup code the device shows. */
  spki = vouch_device_client_get_peer_spki (fixture->client);
  g_assert_nonnull (spki);
  for (guint i = 0; i < VOUCH_SHA256_LEN; i++)
    sscanf (spki + 2 * i, "%2hhx", &digest[i]);
  g_assert_true (vouch_setup_code_matches (fixture->agent->setup_code, digest, &error));
  g_assert_no_error (error);
  g_assert_nonnull (vouch_device_client_get_peer_certificate (fixture->client));
}

static void
test_pin_enforced (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spki = NULL;

  info = get_info (fixture->client, &error);
  g_assert_no_error (error);
  spki = g_strdup (vouch_device_client_get_peer_spki (fixture->client));
  g_clear_pointer (&info, json_object_unref);

  vouch_device_client_set_pin (fixture->client, spki);
  info = get_info (fixture->client, &error);
  g_assert_no_error (error);
  g_clear_pointer (&info, json_object_unref);

  /* Another key, as a man in the middle would present. */
  vouch_device_client_set_pin (fixture->client,
                               "0000000000000000000000000000000000000000000000000000000000000000");
  info = get_info (fixture->client, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_CHANGED);
  g_assert_null (info);
}

static void
test_csr_and_wrong_secret (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csr = NULL;
  g_autofree char *nonce = test_make_nonce (32);
  const char *names[] = { "extra.local", NULL };

  vouch_device_client_request_csr_async (fixture->client, nonce, names, "ecdsa-p256", FALSE, NULL,
                                         vouch_test_store_result_cb, &result);
  csr = vouch_device_client_request_csr_finish (fixture->client, vouch_test_wait_result (&result, 60), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (csr, "CERTIFICATE REQUEST-----"));
  g_clear_object (&result);

  vouch_device_client_set_admin_secret (fixture->client, "wrong");
  vouch_device_client_request_csr_async (fixture->client, nonce, NULL, NULL, FALSE, NULL,
                                         vouch_test_store_result_cb, &result);
  g_free (vouch_device_client_request_csr_finish (fixture->client, vouch_test_wait_result (&result, 60), &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED);
  g_assert_nonnull (strstr (error->message, "admin secret"));
}

static void
test_unreachable (void)
{
  g_autoptr(VouchDeviceClient) client = vouch_device_client_new ("https://127.0.0.99:9/vouch/v1");
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(GError) error = NULL;

  info = get_info (client, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/device-client/first-contact-records-key", test_first_contact_records_key);
  ADD ("/device-client/pin-enforced", test_pin_enforced);
  ADD ("/device-client/csr-and-wrong-secret", test_csr_and_wrong_secret);
  g_test_add_func ("/device-client/unreachable", test_unreachable);

  return g_test_run ();
}
