/* test-agent-mdns.c: what avahi-browse sees of vouch-agent
 *
 * Runs inside tools/private-lan, which gives the test its own
 * avahi-daemon on a private loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "agent-test-util.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

/* Each avahi-browse run takes about a second; this bounds a wait to a
 * minute or so. */
#define MAX_BROWSE_ATTEMPTS 40

typedef struct
{
  char  *name;
  char  *host;
  char  *address;
  guint  port;
  GStrv  txt;
} Service;

typedef struct
{
  char   *tmpdir;
  TestCa *ca;
} Fixture;

static void
service_free (Service *service)
{
  g_free (service->name);
  g_free (service->host);
  g_free (service->address);
  g_strfreev (service->txt);
  g_free (service);
}

/* One avahi-browse run: every resolved _vouch._tcp service. */
static GPtrArray *
browse (void)
{
  const char *argv[] = { "avahi-browse", "--resolve", "--terminate", "--parsable", "_vouch._tcp", NULL };
  g_autofree char *output = test_run (argv, NULL, NULL);
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  GPtrArray *services = g_ptr_array_new_with_free_func ((GDestroyNotify)service_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(GStrvBuilder) txt = NULL;
      Service *service;
      const char *p;

      if (!g_str_has_prefix (lines[i], "=;"))
        continue;

      fields = g_strsplit (lines[i], ";", 10);
      if (g_strv_length (fields) < 10)
        continue;

      service = g_new0 (Service, 1);
      service->name = vouch_test_avahi_unescape (fields[3]);
      service->host = g_strdup (fields[6]);
      service->address = g_strdup (fields[7]);
      service->port = (guint)g_ascii_strtoull (fields[8], NULL, 10);

      txt = g_strv_builder_new ();
      p = fields[9];
      while ((p = strchr (p, '"')) != NULL)
        {
          const char *end = strchr (p + 1, '"');

          if (end == NULL)
            break;
          g_autofree char *entry = g_strndup (p + 1, end - p - 1);

          g_strv_builder_add (txt, entry);
          p = end + 1;
        }
      service->txt = g_strv_builder_end (txt);
      g_ptr_array_add (services, service);
    }

  return services;
}

static const Service *
find_service (GPtrArray  *services,
              const char *name)
{
  for (guint i = 0; i < services->len; i++)
    {
      const Service *service = g_ptr_array_index (services, i);

      if (g_str_equal (service->name, name))
        return service;
    }

  return NULL;
}

static const char *
txt_get (const Service *service,
         const char    *key)
{
  gsize len = strlen (key);

  for (guint i = 0; service->txt[i] != NULL; i++)
    if (strncmp (service->txt[i], key, len) == 0 && service->txt[i][len] == '=')
      return service->txt[i] + len + 1;

  return NULL;
}

/* Browses until @name is announced with TXT @key=@value (any value if
 * NULL), or until it is gone if @present is FALSE. */
static Service *
wait_for_service (const char *name,
                  gboolean    present,
                  const char *key,
                  const char *value)
{
  for (guint attempt = 0; attempt < MAX_BROWSE_ATTEMPTS; attempt++)
    {
      g_autoptr(GPtrArray) services = browse ();
      const Service *found = find_service (services, name);

      if (!present && found == NULL)
        return NULL;

      if (present && found != NULL && (key == NULL || g_strcmp0 (txt_get (found, key), value) == 0))
        {
          Service *copy = g_new0 (Service, 1);

          copy->name = g_strdup (found->name);
          copy->host = g_strdup (found->host);
          copy->address = g_strdup (found->address);
          copy->port = found->port;
          copy->txt = g_strdupv (found->txt);
          return copy;
        }

      g_usleep (G_USEC_PER_SEC / 4);
    }

  g_error ("“%s” was %s after %d browses", name, present ? "never announced as expected" : "never withdrawn",
           MAX_BROWSE_ATTEMPTS);
  return NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("test-agent-mdns-XXXXXX", &error);
  g_assert_no_error (error);
  f->ca = test_ca_new ("Vouch Test Root");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  const char *argv[] = { "rm", "-rf", f->tmpdir, NULL };
  G_GNUC_UNUSED g_autofree char *output = test_run (argv, NULL, NULL);

  g_clear_pointer (&f->ca, test_ca_free);
  g_free (f->tmpdir);
}

static char *
state_fp (TestAgent *agent)
{
  g_autoptr(TestResponse) response = test_agent_request (agent, "GET", "/vouch/v1/state", NULL, NULL, 0);

  g_assert_cmpuint (response->status, ==, 200);
  return g_strdup (test_response_get_string (response, "fp"));
}

static void
test_announce_and_withdraw (Fixture       *f,
                            gconstpointer  data)
{
  const char * const args[] = { "--name", "Boiler room gateway", "--model", "BG-200", NULL };
  g_autofree char *state_dir = g_build_filename (f->tmpdir, "boiler", NULL);
  g_autoptr(TestAgent) agent = test_agent_start (state_dir, "127.0.0.31", args);
  g_autoptr(TestAgent) moved = NULL;
  g_autofree char *fp = state_fp (agent);
  g_autofree char *new_fp = NULL;
  g_autofree char *csr = NULL;
  g_autofree char *leaf = NULL;
  g_autoptr(TestResponse) response = NULL;
  Service *service;
  gsize txt_bytes = 0;

  service = wait_for_service ("Boiler room gateway", TRUE, NULL, NULL);
  g_assert_cmpstr (service->host, ==, "boiler-room-gateway.local");
  g_assert_cmpstr (service->address, ==, "127.0.0.31");
  g_assert_cmpuint (service->port, ==, agent->port);
  g_assert_cmpstr (txt_get (service, "txtvers"), ==, "1");
  g_assert_cmpstr (txt_get (service, "path"), ==, "/vouch/v1");
  g_assert_cmpstr (txt_get (service, "id"), ==, agent->device_id);
  g_assert_cmpstr (txt_get (service, "model"), ==, "BG-200");
  g_assert_cmpstr (txt_get (service, "state"), ==, "new");
  g_assert_cmpstr (txt_get (service, "fp"), ==, fp);
  g_assert_cmpuint (strlen (fp), ==, 16);
  g_assert_cmpuint (g_strv_length (service->txt), ==, 6);
  for (guint i = 0; service->txt[i] != NULL; i++)
    txt_bytes += 1 + strlen (service->txt[i]);
  g_assert_cmpuint (txt_bytes, <=, 200);
  /* avahi-browse prints TXT strings in reverse wire order: on the wire
   * txtvers=1 comes first. */
  g_assert_cmpstr (service->txt[g_strv_length (service->txt) - 1], ==, "txtvers=1");
  g_clear_pointer (&service, service_free);

  /* The device publishes its host name too, so the SRV target resolves. */
  {
    const char *argv[] = { "avahi-resolve", "--name", "boiler-room-gateway.local", NULL };
    g_autofree char *resolved = test_run (argv, NULL, NULL);

    g_assert_nonnull (strstr (resolved, "127.0.0.31"));
  }

  /* Enrolling re-announces: new state, new key hint. */
  csr = test_request_csr (agent, NULL);
  leaf = test_ca_sign_csr (f->ca, csr);
  response = test_agent_install_chain (agent, leaf);
  g_assert_cmpuint (response->status, ==, 200);
  agent->pinned_pem = g_strdup (leaf);
  new_fp = state_fp (agent);
  g_assert_cmpstr (new_fp, !=, fp);

  service = wait_for_service ("Boiler room gateway", TRUE, "fp", new_fp);
  g_assert_cmpstr (txt_get (service, "state"), ==, "enrolled");
  g_clear_pointer (&service, service_free);

  /* SIGTERM withdraws the service at once. */
  test_agent_stop (agent);
  g_assert_null (wait_for_service ("Boiler room gateway", FALSE, NULL, NULL));

  /* Moved to another address, the device announces that its certificate
   * needs renewing, and keeps serving the old one meanwhile. */
  moved = test_agent_start (state_dir, "127.0.0.32", args);
  moved->pinned_pem = g_strdup (leaf);
  service = wait_for_service ("Boiler room gateway", TRUE, "state", "needs-renewal");
  g_assert_cmpstr (service->address, ==, "127.0.0.32");
  g_assert_cmpstr (txt_get (service, "fp"), ==, new_fp);
  g_clear_pointer (&service, service_free);
  {
    g_autofree char *moved_fp = state_fp (moved);

    g_assert_cmpstr (moved_fp, ==, new_fp);
  }
  test_agent_stop (moved);
}

static void
test_collision (Fixture       *f,
                gconstpointer  data)
{
  const char * const args_a[] = { "--name", "Pump station", "--hostname", "pump-a", NULL };
  g_autofree char *long_model = g_strnfill (250, 'M');
  const char * const args_b[] = { "--name", "Pump station", "--hostname", "pump-b", "--model", long_model, NULL };
  g_autofree char *dir_a = g_build_filename (f->tmpdir, "a", NULL);
  g_autofree char *dir_b = g_build_filename (f->tmpdir, "b", NULL);
  g_autoptr(TestAgent) a = test_agent_start (dir_a, "127.0.0.41", args_a);
  g_autoptr(TestAgent) b = NULL;
  Service *first;
  Service *second;

  first = wait_for_service ("Pump station", TRUE, "id", a->device_id);
  g_assert_cmpstr (first->host, ==, "pump-a.local");

  /* The same service name: the second device renames itself the way
   * Avahi does, and keeps its host name. */
  b = test_agent_start (dir_b, "127.0.0.42", args_b);
  second = wait_for_service ("Pump station #2", TRUE, "id", b->device_id);
  g_assert_cmpstr (second->address, ==, "127.0.0.42");
  g_assert_cmpstr (second->host, ==, "pump-b.local");
  g_assert_cmpuint (second->port, ==, b->port);

  /* A long model is cut so the whole record stays within 200 bytes. */
  {
    gsize txt_bytes = 0;

    for (guint i = 0; second->txt[i] != NULL; i++)
      txt_bytes += 1 + strlen (second->txt[i]);
    g_assert_cmpuint (txt_bytes, <=, 200);
    g_assert_true (g_str_has_prefix (long_model, txt_get (second, "model")));
    g_assert_cmpuint (strlen (txt_get (second, "model")), >, 50);
  }

  service_free (first);
  service_free (second);
  test_agent_stop (b);
  test_agent_stop (a);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();

  g_test_add ("/agent-mdns/announce-and-withdraw", Fixture, NULL, fixture_setup, test_announce_and_withdraw,
              fixture_teardown);
  g_test_add ("/agent-mdns/collision", Fixture, NULL, fixture_setup, test_collision, fixture_teardown);

  return g_test_run ();
}
