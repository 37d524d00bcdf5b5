/* test-acme-vouchctl.c: vouchctl acme pending|approve|refuse|eab, as a
 * script would use them, against orders the policy queued
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-acme-approvals.h"
#include "vouch-test-util.h"

#include <json-glib/json-glib.h>

typedef struct
{
  char *data_home;
  char *inventory_path;
} Fixture;

static guint counter;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *name = g_strdup_printf ("acme-cli-%u", counter++);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  fixture->data_home = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), name, NULL);
  fixture->inventory_path = g_build_filename (fixture->data_home, "vouch", "inventory.db", NULL);
  vouch_test_set_child_env ("XDG_DATA_HOME", fixture->data_home);
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "init", "--name", "ACME Root", NULL);
  if (status != 0)
    g_error ("ca init failed: %s", err);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->inventory_path);
  g_free (fixture->data_home);
}

static JsonNode *
run_json (int expected_status,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) command = NULL;
  const char *arg;
  int status = -1;
  va_list args;

  g_ptr_array_add (argv, (char *)g_getenv ("VOUCHCTL"));
  va_start (args, expected_status);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  vouch_test_run ((const char * const *)argv->pdata, NULL, &out, &err, &status);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, expected_status);
  if (expected_status != 0)
    return NULL;
  return json_from_string (out, NULL);
}

/* Queues an order as the ACME server's policy would. */
static void
queue (Fixture            *fixture,
       const char         *thumbprint,
       const char         *address,
       const char * const *names)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchInventory) inventory = vouch_inventory_open (fixture->inventory_path, &error);
  g_autofree char *state = NULL;

  g_assert_no_error (error);
  state = vouch_acme_approvals_check (inventory, thumbprint, address, names, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state, ==, "pending");
}

static void
test_pending_approve_refuse (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) done = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  JsonObject *first;
  int status = -1;

  list = run_json (0, "acme", "pending", "--json", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 0);
  g_clear_pointer (&list, json_node_unref);

  queue (fixture, "thumb-a", "192.168.1.20", (const char * const []) { "nas.lan", NULL });
  /* A hostile client's name must not reach the terminal as is. */
  queue (fixture, "thumb-b", "192.168.1.21",
         (const char * const []) { "evil\x1b[2J.lan", NULL });

  list = run_json (0, "acme", "pending", "--json", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "thumbprint"), ==, "thumb-a");
  g_assert_cmpstr (json_object_get_string_member (first, "client_address"), ==, "192.168.1.20");
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "pending");
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (first, "id"));

  out = vouch_test_vouchctl (NULL, &status, &err, "acme", "pending", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "nas.lan"));
  g_assert_null (strchr (out, '\x1b'));
  g_clear_pointer (&out, g_free);

  done = run_json (0, "acme", "approve", id, "--json", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (done), "state"), ==,
                   "approved");
  /* Decided once only; bad IDs are usage errors or refused. */
  g_assert_null (run_json (1, "acme", "refuse", id, NULL));
  g_assert_null (run_json (2, "acme", "approve", "twelve", NULL));
  g_assert_null (run_json (2, "acme", "approve", NULL));
  g_assert_null (run_json (1, "acme", "approve", "999", NULL));

  g_clear_pointer (&list, json_node_unref);
  list = run_json (0, "acme", "pending", "--json", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  g_clear_pointer (&id, g_free);
  id = g_strdup_printf ("%" G_GINT64_FORMAT,
                        json_object_get_int_member (json_array_get_object_element (
                          json_node_get_array (list), 0), "id"));
  out = vouch_test_vouchctl (NULL, &status, &err, "acme", "refuse", id, NULL);
  g_assert_cmpint (status, ==, 0);

  g_clear_pointer (&list, json_node_unref);
  list = run_json (0, "acme", "pending", "--all", "--json", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_node_get_array (list), 1), "state"), ==, "refused");
}

static void
test_eab (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(JsonNode) made = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) revoked = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *key;
  const char *id;
  int status = -1;

  made = run_json (0, "acme", "eab", "new", "--names", "*.lan", "10.0.0.0/8", "--json", NULL);
  key = json_node_get_object (made);
  id = json_object_get_string_member (key, "key_id");
  g_assert_cmpuint (strlen (json_object_get_string_member (key, "hmac_key")), ==, 43);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (key, "names")), ==, 2);

  /* Listed without its HMAC key; the text form too. */
  list = run_json (0, "acme", "eab", "list", "--json", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  g_assert_false (json_object_has_member (json_array_get_object_element (
                    json_node_get_array (list), 0), "hmac_key"));
  out = vouch_test_vouchctl (NULL, &status, &err, "acme", "eab", "list", NULL);
  g_assert_nonnull (strstr (out, id));
  g_assert_null (strstr (out, json_object_get_string_member (key, "hmac_key")));

  revoked = run_json (0, "acme", "eab", "revoke", id, "--json", NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (revoked), "revoked"));
  g_assert_null (run_json (1, "acme", "eab", "revoke", id, NULL));
  g_clear_pointer (&list, json_node_unref);
  list = run_json (0, "acme", "eab", "list", "--json", NULL);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (
                   json_node_get_array (list), 0), "revoked"));

  /* Bad patterns and a missing --names are refused, nothing stored. */
  g_assert_null (run_json (1, "acme", "eab", "new", "--names", "a*b.lan", NULL));
  g_assert_null (run_json (1, "acme", "eab", "new", "--names", "10.0.0.0/99", NULL));
  g_assert_null (run_json (2, "acme", "eab", "new", NULL));
  g_assert_null (run_json (2, "acme", "eab", "frobnicate", NULL));
  g_clear_pointer (&list, json_node_unref);
  list = run_json (0, "acme", "eab", "list", "--json", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/acme-vouchctl/pending-approve-refuse", Fixture, NULL, fixture_setup,
              test_pending_approve_refuse, fixture_teardown);
  g_test_add ("/acme-vouchctl/eab", Fixture, NULL, fixture_setup, test_eab, fixture_teardown);

  return g_test_run ();
}
