/* test-acme-vouchctl.c: vouchctl acme pending|approve|refuse|eab, as a
 * script would use them, against orders the policy queued
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "acme-test-client.h"
#include "vouch-acme-approvals.h"
#include "vouch-test-util.h"

#include <json-glib/json-glib.h>
#include <signal.h>

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
  g_clear_pointer (&err, g_free);
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

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

static const char *
status_of (AcmeTestResponse *response)
{
  g_assert_nonnull (response->json);
  return json_object_get_string_member (json_node_get_object (response->json), "status");
}

/* One order through `vouchctl acme serve` in its default (ask) mode:
 * finalize waits for the operator; `vouchctl acme approve` lets it
 * through; the same names then need nobody. Challenges are not checked
 * here (the validator has its own tests). */
static char *
order (AcmeTestClient *client,
       AcmeTestKey    *key,
       char          **out_order_url)
{
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) created = NULL;
  g_autoptr(AcmeTestResponse) authz = NULL;
  g_autoptr(AcmeTestResponse) answer = NULL;
  g_autoptr(AcmeTestResponse) done = NULL;
  g_autofree char *csr = acme_test_key_make_csr (cert_key, (const char *[]) { "cli.test", NULL });
  g_autofree char *final = g_strdup_printf ("{\"csr\":\"%s\"}", csr);
  JsonObject *challenge;

  created = acme_test_client_post (client, key, acme_test_client_url (client, "newOrder"),
                                   "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"cli.test\"}]}");
  g_assert_cmpuint (created->status, ==, 201);
  authz = acme_test_client_post (client, key,
                                 json_array_get_string_element (json_object_get_array_member (
                                   json_node_get_object (created->json), "authorizations"), 0),
                                 NULL);
  challenge = json_array_get_object_element (json_object_get_array_member (
                                               json_node_get_object (authz->json), "challenges"), 0);
  answer = acme_test_client_post (client, key, json_object_get_string_member (challenge, "url"),
                                  "{}");
  done = acme_test_client_post (client, key,
                                json_object_get_string_member (json_node_get_object (created->json),
                                                               "finalize"),
                                final);
  *out_order_url = g_strdup (created->location);
  return g_strdup (done->problem != NULL ? done->problem : status_of (done));
}

static void
test_serve_asks (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *vouchctl = g_getenv ("VOUCHCTL");
  g_autofree char *home = g_build_filename (fixture->data_home, "serve", NULL);
  g_autofree char *root = NULL;
  g_autofree char *root_path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *state = NULL;
  g_autofree char *order_url = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(AcmeTestClient) client = NULL;
  g_autoptr(AcmeTestKey) key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) account = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) approved = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *waiting;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  int status = -1;

  /* A root that may sign the server's own loopback address. */
  vouch_test_set_child_env ("XDG_DATA_HOME", home);
  g_free (vouch_test_vouchctl (NULL, &status, NULL, "ca", "init", "--name", "Serve Root",
                               "--permit", "127.0.0.0/8", "--permit", ".test", "--yes", NULL));
  g_assert_cmpint (status, ==, 0);
  root = vouch_test_vouchctl (NULL, &status, NULL, "ca", "export", NULL);
  root_path = vouch_test_write_temp ("acme-ops-root.pem", root, -1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  serve = g_subprocess_launcher_spawn (launcher, &error, vouchctl, "acme", "serve", "--address",
                                       "127.0.0.1", "--port", "0", "--insecure-skip-validation",
                                       NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_cb, &url);
  while (url == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));

  client = acme_test_client_new (url, root_path);
  account = acme_test_client_new_account (client, key);
  g_assert_cmpuint (account->status, ==, 201);

  state = order (client, key, &order_url);
  g_assert_cmpstr (state, ==, "processing");

  list = run_json (0, "acme", "pending", "--json", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  waiting = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (waiting, "thumbprint"), ==, key->thumbprint);
  g_assert_cmpstr (json_object_get_string_member (waiting, "client_address"), ==, "127.0.0.1");
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (waiting, "id"));
  approved = run_json (0, "acme", "approve", id, "--json", NULL);

  /* The client polls; the approval lets the order through. */
  g_clear_pointer (&state, g_free);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(AcmeTestResponse) poll = acme_test_client_post (client, key, order_url, NULL);

      g_free (state);
      state = g_strdup (status_of (poll));
      if (!g_str_equal (state, "processing"))
        break;
      g_usleep (G_USEC_PER_SEC / 5);
    }
  g_assert_cmpstr (state, ==, "valid");

  /* The same names again: nobody is asked. */
  g_clear_pointer (&state, g_free);
  g_clear_pointer (&order_url, g_free);
  state = order (client, key, &order_url);
  g_assert_cmpstr (state, ==, "valid");

  g_subprocess_send_signal (serve, SIGTERM);
  g_subprocess_wait (serve, NULL, NULL);
  vouch_test_set_child_env ("XDG_DATA_HOME", fixture->data_home);
}

/* Each subcommand's --help is its own usage, not vouchctl's. */
static void
test_subcommand_help (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const commands[][3] = {
    { "pending", NULL, "--all" },
    { "approve", NULL, "ID" },
    { "eab", "new", "--names" },
    { "serve", NULL, "--approval" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *argv[] = { g_getenv ("VOUCHCTL"), "acme", commands[i][0],
                             commands[i][1] != NULL ? commands[i][1] : "--help",
                             commands[i][1] != NULL ? "--help" : NULL, NULL };
      g_autofree char *usage = g_strjoin (" ", "vouchctl acme", commands[i][0], commands[i][1],
                                          NULL);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = -1;

      vouch_test_run (argv, NULL, &out, &err, &status);
      g_assert_cmpint (status, ==, 0);
      g_assert_nonnull (strstr (out, usage));
      g_assert_nonnull (strstr (out, commands[i][2]));
      g_assert_null (strstr (out, "Commands:"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/acme-vouchctl/pending-approve-refuse", Fixture, NULL, fixture_setup,
              test_pending_approve_refuse, fixture_teardown);
  g_test_add ("/acme-vouchctl/eab", Fixture, NULL, fixture_setup, test_eab, fixture_teardown);
  g_test_add ("/acme-vouchctl/subcommand-help", Fixture, NULL, fixture_setup,
              test_subcommand_help, fixture_teardown);
  g_test_add ("/acme-vouchctl/serve-asks", Fixture, NULL, fixture_setup, test_serve_asks,
              fixture_teardown);

  return g_test_run ();
}
