/* test-discovery-vouchctl.c: `vouchctl devices` and `vouchctl devices
 * --watch` against the same real agents and avahi-daemon, in the
 * discovery test program (test-discovery.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "test-discovery.h"

#include <signal.h>
#include <string.h>

/* Runs vouchctl with its own environment, optionally pointing it at
 * another system bus. */
static char *
run_vouchctl (const char * const  *args,
              const char          *system_bus,
              char               **out_stderr,
              int                 *out_status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *output = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (system_bus != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS", system_bus, TRUE);

  g_ptr_array_add (argv, (char *)g_getenv ("VOUCHCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, out_stderr, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  *out_status = g_subprocess_get_exit_status (process);
  return output;
}

static JsonObject *
find_json_device (JsonNode   *root,
                  const char *id)
{
  JsonArray *devices;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  devices = json_object_get_array_member (json_node_get_object (root), "devices");
  g_assert_nonnull (devices);
  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      JsonObject *device = json_array_get_object_element (devices, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (device, "id", NULL), id) == 0)
        return device;
    }

  return NULL;
}

void
test_vouchctl (Fixture       *f,
               gconstpointer  data)
{
  const char * const devices_args[] = { "devices", "--json", "--timeout", "5", NULL };
  const char * const quick_args[] = { "devices", "--json", "--timeout", "1", NULL };
  const char * const table_args[] = { "devices", "--timeout", "1", NULL };
  const char * const add_args[] = { "add", "10.1.2.3:8443", "--json", NULL };
  const char * const bad_args[] = { "add", "not an address", NULL };
  g_autoptr(TestAgent) agent = start_agent (f, 120, "Cli device");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) offline = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *bus = NULL;
  g_autofree char *port = g_strdup_printf ("%u", agent->port);
  JsonObject *device;
  int status;

  /* The agent is announcing by now or within the five seconds. */
  output = run_vouchctl (devices_args, NULL, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  root = json_from_string (output, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==, "running");
  device = find_json_device (root, agent->device_id);
  g_assert_nonnull (device);
  g_assert_cmpstr (json_object_get_string_member (device, "name"), ==, "Cli device");
  g_assert_cmpint (json_object_get_int_member (device, "port"), ==, agent->port);
  g_assert_true (json_object_get_boolean_member (device, "online"));
  g_assert_cmpstr (json_object_get_string_member (device, "state"), ==, "new");
  g_clear_pointer (&output, g_free);

  output = run_vouchctl (add_args, NULL, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  added = json_from_string (output, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (added), "id"), ==,
                   "manual:10.1.2.3:8443");
  g_clear_pointer (&output, g_free);

  output = run_vouchctl (bad_args, NULL, &errors, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (errors, "not an address"));
  g_clear_pointer (&output, g_free);
  g_clear_pointer (&errors, g_free);

  /* Both are remembered: listed without waiting for the network. */
  output = run_vouchctl (quick_args, NULL, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  offline = json_from_string (output, &error);
  g_assert_no_error (error);
  device = find_json_device (offline, "manual:10.1.2.3:8443");
  g_assert_nonnull (device);
  g_assert_true (json_object_get_boolean_member (device, "manual"));
  g_assert_false (json_object_get_boolean_member (device, "online"));
  g_assert_nonnull (find_json_device (offline, agent->device_id));
  g_clear_pointer (&output, g_free);

  output = run_vouchctl (table_args, NULL, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (output, "Cli device"));
  g_assert_nonnull (strstr (output, port));
  g_clear_pointer (&output, g_free);

  /* No avahi-daemon behind this bus: say so, still list what is known. */
  bus = g_strdup_printf ("unix:path=%s/no-such-bus", f->tmpdir);
  output = run_vouchctl (quick_args, bus, &errors, &status);
  g_assert_cmpint (status, ==, 0);
  missing = json_from_string (output, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (missing), "status"), ==,
                   "daemon-missing");
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (missing), "message"),
                            "avahi-daemon"));
  g_assert_nonnull (find_json_device (missing, "manual:10.1.2.3:8443"));
}

typedef struct
{
  GDataInputStream *out;
  const char       *id;
  gboolean          added;
  gboolean          eof;
} WatchReader;

static void
watch_line_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  WatchReader *reader = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (reader->out, result, NULL, NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *event;

  if (line == NULL)
    {
      reader->eof = TRUE;
      return;
    }

  /* One compact JSON object per line. */
  node = json_from_string (line, NULL);
  g_assert_nonnull (node);
  event = json_node_get_object (node);
  if (g_strcmp0 (json_object_get_string_member (event, "event"), "added") == 0
      && g_strcmp0 (json_object_get_string_member (json_object_get_object_member (event, "device"), "id"),
                    reader->id) == 0)
    reader->added = TRUE;

  g_data_input_stream_read_line_async (reader->out, G_PRIORITY_DEFAULT, NULL, watch_line_cb, reader);
}

static gboolean
watch_added (gpointer data)
{
  return ((WatchReader *)data)->added;
}

static gboolean
watch_eof (gpointer data)
{
  return ((WatchReader *)data)->eof;
}

void
test_vouchctl_watch (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TestAgent) agent = start_agent (f, 125, "Watched device");
  g_autoptr(GSubprocess) watch = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("VOUCHCTL"), "devices", "--watch", "--json", NULL };
  WatchReader reader = { NULL, agent->device_id, FALSE, FALSE };

  watch = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  reader.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (watch));
  g_data_input_stream_read_line_async (reader.out, G_PRIORITY_DEFAULT, NULL, watch_line_cb, &reader);
  g_assert_true (wait_for (watch_added, &reader, WAIT_SECONDS));

  /* SIGTERM ends the watch cleanly. */
  g_subprocess_send_signal (watch, SIGTERM);
  g_assert_true (wait_for (watch_eof, &reader, WAIT_SECONDS));
  g_subprocess_wait (watch, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (watch));
  g_assert_cmpint (g_subprocess_get_exit_status (watch), ==, 0);
  g_clear_object (&reader.out);
}
