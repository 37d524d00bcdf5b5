/* test-vouchctl-lan.c: vouchctl end to end on a private LAN with a real
 * avahi-daemon and 20 vouch-agents announcing themselves over mDNS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-test-util.h"

#include <json-glib/json-glib.h>

#define N_AGENTS 20

static GPtrArray *agents;

static JsonNode *
vouchctl_json (const char *stdin_text,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  const char *arg;
  int status = -1;
  va_list args;

  g_ptr_array_add (argv, (char *)g_getenv ("VOUCHCTL"));
  va_start (args, stdin_text);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, "--json");
  g_ptr_array_add (argv, NULL);

  vouch_test_run ((const char * const *)argv->pdata, stdin_text, &out, &err, &status);
  if (status != 0)
    g_error ("vouchctl %s failed (%d): %s", (char *)argv->pdata[1], status, err);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  return node;
}

static JsonObject *
find_device (JsonArray  *devices,
             const char *id)
{
  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      JsonObject *object = json_array_get_object_element (devices, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "id", ""), id) == 0)
        return object;
    }
  return NULL;
}

static void
test_discover_verify_onboard_all (void)
{
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) onboarded = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *root_path = NULL;
  JsonArray *array;
  int status = -1;

  g_free (vouch_test_vouchctl (NULL, &status, NULL, "ca", "init", "--permit", "127.0.0.0/8", NULL));
  g_assert_cmpint (status, ==, 0);

  /* Every agent shows up with its address and TXT record. */
  listed = vouchctl_json (NULL, "devices", "--timeout", "8", NULL);
  array = json_object_get_array_member (json_node_get_object (listed), "devices");
  for (guint i = 0; i < agents->len; i++)
    {
      TestAgent *agent = g_ptr_array_index (agents, i);
      JsonObject *device = find_device (array, agent->device_id);

      if (device == NULL)
        g_error ("agent %s (%s) was not discovered", agent->device_id, agent->address);
      g_assert_cmpuint (json_object_get_int_member (device, "port"), ==, agent->port);
    }

  /* Verify each against its setup code, storing its admin token. */
  for (guint i = 0; i < agents->len; i++)
    {
      TestAgent *agent = g_ptr_array_index (agents, i);
      g_autoptr(JsonNode) verified = vouchctl_json (TEST_ADMIN_TOKEN "\n", "verify",
                                                    agent->device_id, "--setup-code",
                                                    agent->setup_code, "--admin-token-stdin",
                                                    "--browse", "0", NULL);

      g_assert_true (json_object_get_boolean_member (json_node_get_object (verified), "verified"));
    }

  /* One bulk run for all of them. */
  onboarded = vouchctl_json (NULL, "onboard", "--all", "--concurrency", "8", "--browse", "5", NULL);
  array = json_node_get_array (onboarded);
  g_assert_cmpuint (json_array_get_length (array), ==, N_AGENTS);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *result = json_array_get_object_element (array, i);

      if (!json_object_get_boolean_member (result, "ok"))
        g_error ("%s: %s", json_object_get_string_member (result, "name"),
                 json_object_get_string_member (result, "error"));
      g_assert_cmpstr (json_object_get_string_member (result, "step"), ==, "confirmed");
    }

  /* curl, trusting only the root, reaches every device by name and address. */
  root = vouchctl_json (NULL, "ca", "export", NULL);
  root_path = vouch_test_write_temp ("lan-root.pem",
                                     json_object_get_string_member (json_node_get_object (root),
                                                                    "pem"), -1);
  for (guint i = 0; i < agents->len; i++)
    {
      TestAgent *agent = g_ptr_array_index (agents, i);
      g_autofree char *resolve = g_strdup_printf ("%s:%u:%s", agent->host_name, agent->port,
                                                  agent->address);
      g_autofree char *url = g_strdup_printf ("https://%s:%u/vouch/v1/info", agent->host_name,
                                              agent->port);
      g_autofree char *err = NULL;
      const char *argv[] = { "curl", "-sS", "--max-time", "10", "--cacert", root_path,
                             "--resolve", resolve, url, "-o", "/dev/null", NULL };

      if (!vouch_test_run (argv, NULL, NULL, &err, NULL))
        g_error ("curl %s: %s", url, err);
    }
}

static void
ensure_root (void)
{
  int status = -1;

  g_free (vouch_test_vouchctl (NULL, &status, NULL, "ca", "show", NULL));
  if (status == 0)
    return;
  g_free (vouch_test_vouchctl (NULL, &status, NULL, "ca", "init", "--permit", "127.0.0.0/8", NULL));
  g_assert_cmpint (status, ==, 0);
}

/* A device on the LAN chooses its own name. One announcing
 * "Invoice<U+202E>fdp.exe" would read "Invoiceexe.pdf" on a terminal; vouchctl
 * shows the override as a visible mark instead, in text and in JSON. */
static void
test_bidi_name_sanitized (void)
{
  g_autofree char *state = g_strdup_printf ("%s/lan-agent-rlo", g_getenv ("VOUCH_TEST_TMPDIR"));
  const char *args[] = { "--name", "Invoice\u202Efdp.exe", "--hostname", "invoice.local", NULL };
  g_autoptr(TestAgent) agent = test_agent_start (state, "127.0.2.101", args);
  g_autoptr(JsonNode) listed = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *device;
  int status = -1;

  ensure_root ();
  out = vouch_test_vouchctl (NULL, &status, &err, "devices", "--timeout", "8", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Invoice\uFFFDfdp.exe"));
  g_assert_null (strstr (out, "\u202E"));
  g_assert_true (g_utf8_validate (out, -1, NULL));

  listed = vouchctl_json (NULL, "devices", "--timeout", "8", NULL);
  device = find_device (json_object_get_array_member (json_node_get_object (listed), "devices"),
                        agent->device_id);
  g_assert_nonnull (device);
  g_assert_cmpstr (json_object_get_string_member (device, "name"), ==, "Invoice\uFFFDfdp.exe");
  test_agent_stop (agent);
}

/* A device with a certificate from its maker's CA (IEEE 802.1AR style)
 * is verified without a setup code once that root is imported, and
 * refused before and after it is removed. */
static void
test_manufacturer_root (void)
{
  g_autoptr(TestCa) maker = test_ca_new ("Example Devices Manufacturing Root");
  g_autoptr(TestCa) other = test_ca_new ("Another Maker Root");
  g_autofree char *key_pem = NULL;
  g_autofree char *leaf = test_ca_issue_for_new_key (maker, "serial-0042.devices.example", &key_pem);
  g_autofree char *chain = g_strconcat (leaf, maker->pem, NULL);
  g_autofree char *cert_path = vouch_test_write_temp ("idevid.pem", chain, -1);
  g_autofree char *key_path = vouch_test_write_temp ("idevid.key", key_pem, -1);
  g_autofree char *maker_path = vouch_test_write_temp ("maker-root.pem", maker->pem, -1);
  g_autofree char *other_path = vouch_test_write_temp ("other-root.pem", other->pem, -1);
  g_autofree char *state = g_strdup_printf ("%s/lan-agent-idevid", g_getenv ("VOUCH_TEST_TMPDIR"));
  const char *args[] = { "--name", "Maker Device", "--hostname", "maker-device.local",
                         "--identity-cert", cert_path, "--identity-key", key_path, NULL };
  g_autoptr(TestAgent) agent = test_agent_start (state, "127.0.2.102", args);
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) verified = NULL;
  g_autoptr(JsonNode) onboarded = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonArray *roots;
  JsonObject *result;
  int status = -1;

  ensure_root ();

  /* Without the maker's root: refused, and told to use the setup code. */
  out = vouch_test_vouchctl (NULL, &status, &err, "verify", agent->device_id, "--browse", "8", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "setup code"));

  /* Another maker's root does not vouch for this device either. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "maker-roots", "add", other_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "verify", agent->device_id, "--browse", "8", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "does not chain"));

  added = vouchctl_json (NULL, "maker-roots", "add", maker_path, NULL);
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (added), "subject"),
                            "Example Devices Manufacturing Root"));
  listed = vouchctl_json (NULL, "maker-roots", "list", NULL);
  roots = json_node_get_array (listed);
  g_assert_cmpuint (json_array_get_length (roots), ==, 2);

  /* Now verified by the chain alone, and onboarded. */
  verified = vouchctl_json (TEST_ADMIN_TOKEN "\n", "verify", agent->device_id,
                            "--admin-token-stdin", "--browse", "8", NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (verified), "verified"));
  onboarded = vouchctl_json (NULL, "onboard", agent->device_id, "--browse", "8", NULL);
  result = json_array_get_object_element (json_node_get_array (onboarded), 0);
  if (!json_object_get_boolean_member (result, "ok"))
    g_error ("onboarding the maker's device: %s", json_object_get_string_member (result, "error"));

  /* Removed by fingerprint, the root vouches for no one: a fresh device of
   * that maker is refused again. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "maker-roots", "remove",
                             json_object_get_string_member (json_node_get_object (added), "sha256"),
                             NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "maker-roots", "remove", other_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "maker-roots", "list", NULL);
  g_assert_nonnull (strstr (out, "No manufacturer root"));
  test_agent_stop (agent);
}

static void
test_unknown_device (void)
{
  g_autofree char *err = NULL;
  int status = -1;

  g_free (vouch_test_vouchctl (NULL, &status, &err, "verify", "no-such-device", "--setup-code",
                               "AAAA-AAAA-AAAA", "--browse", "0", NULL));
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "No device"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();

  agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);
  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_autofree char *state = g_strdup_printf ("%s/lan-agent-%u", g_getenv ("VOUCH_TEST_TMPDIR"), i);
      g_autofree char *address = g_strdup_printf ("127.0.2.%u", i + 1);
      g_autofree char *name = g_strdup_printf ("Lan Device %02u", i);
      g_autofree char *host = g_strdup_printf ("lan-device-%02u.local", i);
      const char *args[] = { "--name", name, "--hostname", host, NULL };
      TestAgent *agent = test_agent_start (state, address, args);

      agent->host_name = g_strdup (host);
      g_ptr_array_add (agents, agent);
    }

  g_test_add_func ("/vouchctl-lan/discover-verify-onboard-all", test_discover_verify_onboard_all);
  g_test_add_func ("/vouchctl-lan/unknown-device", test_unknown_device);
  g_test_add_func ("/vouchctl-lan/bidi-name-sanitized", test_bidi_name_sanitized);
  g_test_add_func ("/vouchctl-lan/manufacturer-root", test_manufacturer_root);

  status = g_test_run ();
  g_ptr_array_unref (agents);
  return status;
}
