/* test-trust-clients.c: after “vouchctl trust install”, real clients trust
 * a device Vouch signed; before it, after uninstall, and for a name outside
 * the root's constraints, they refuse it
 *
 * Clients: curl (OpenSSL, system store), gnutls-cli (GnuTLS, system store),
 * headless Chromium (~/.pki/nssdb and ~/.local/share/pki/nssdb) and
 * headless Firefox ESR (a profile listed in ~/.mozilla/firefox/profiles.ini).
 * Each client asks for a path naming itself and the phase; the TLS server
 * in this process records the paths it was asked for, which happens only
 * after the client accepted the certificate. That is the verdict for every
 * client, so no screenshot or log needs reading.
 *
 * Runs as root inside tools/private-lan (the system store is real; the
 * network is private) through tests/trust-cleanup.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "vouch-authority.h"
#include "vouch-test-util.h"
#include "vouch-trust-traces.h"

#include <json-glib/json-glib.h>

#define GOOD_NAME "printer.lan"
#define EVIL_NAME "www.example.com"
#define SYSTEM_ANCHOR "/usr/local/share/ca-certificates/vouch-local-root.crt"
#define SYSTEM_LOCK "/tmp/vouch-trust-system-test.lock"
#define PAGE "<!DOCTYPE html><html><head><title>vouch-ok</title></head>" \
             "<body style=\"background:#2a6\">VOUCH-PAGE-LOADED</body></html>"

typedef struct
{
  GSocketListener *listener;
  GTlsCertificate *certificate;
  GCancellable    *cancellable;
  GThread         *thread;
  GMutex           lock;
  GPtrArray       *paths;
  guint16          port;
} Server;

static gpointer
server_thread (gpointer data)
{
  Server *server = data;

  for (;;)
    {
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GIOStream) tls = NULL;
      g_autoptr(GDataInputStream) in = NULL;
      g_autofree char *line = NULL;
      g_autofree char *response = NULL;

      connection = g_socket_listener_accept (server->listener, NULL, server->cancellable, NULL);
      if (connection == NULL)
        break;
      g_socket_set_timeout (g_socket_connection_get_socket (connection), 10);
      tls = g_tls_server_connection_new (G_IO_STREAM (connection), server->certificate, NULL);
      if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
        continue;
      in = g_data_input_stream_new (g_io_stream_get_input_stream (tls));
      g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
      line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);
      if (line != NULL && g_str_has_prefix (line, "GET "))
        {
          g_mutex_lock (&server->lock);
          g_ptr_array_add (server->paths, g_strndup (line + 4, strcspn (line + 4, " ")));
          g_mutex_unlock (&server->lock);
        }
      /* Read the headers, then answer and close. */
      for (;;)
        {
          g_autofree char *header = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);

          if (header == NULL || *g_strstrip (header) == '\0')
            break;
        }
      response = g_strdup_printf ("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n"
                                  "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                  strlen (PAGE), PAGE);
      g_output_stream_write_all (g_io_stream_get_output_stream (tls), response, strlen (response),
                                 NULL, NULL, NULL);
      g_io_stream_close (tls, NULL, NULL);
    }
  return NULL;
}

static Server *
server_start (const char *cert_pem,
              const char *key_pem)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *both = g_strconcat (cert_pem, key_pem, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  server->certificate = g_tls_certificate_new_from_pem (both, -1, &error);
  g_assert_no_error (error);
  server->listener = g_socket_listener_new ();
  g_socket_listener_add_address (server->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  server->cancellable = g_cancellable_new ();
  server->paths = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&server->lock);
  server->thread = g_thread_new ("tls-server", server_thread, server);
  return server;
}

static void
server_stop (Server *server)
{
  g_cancellable_cancel (server->cancellable);
  g_thread_join (server->thread);
  g_socket_listener_close (server->listener);
  g_clear_object (&server->listener);
  g_clear_object (&server->certificate);
  g_clear_object (&server->cancellable);
  g_clear_pointer (&server->paths, g_ptr_array_unref);
  g_mutex_clear (&server->lock);
  g_free (server);
}

static gboolean
server_saw (Server     *server,
            const char *path)
{
  gboolean seen = FALSE;

  g_mutex_lock (&server->lock);
  for (guint i = 0; i < server->paths->len; i++)
    seen = seen || g_str_equal (server->paths->pdata[i], path);
  g_mutex_unlock (&server->lock);
  return seen;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), name, NULL);
}

static char *
run_text (const char * const *argv,
          const char         *input,
          int                *out_status)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  vouch_test_run (argv, input, &out, &err, out_status);
  return g_strconcat (out, err, NULL);
}

/* Each client fetches https://NAME:PORT/CLIENT-PHASE; TRUE when the
 * server got that request, which it can only have after the handshake. */
static gboolean
fetch_curl (Server     *server,
            const char *name,
            const char *path)
{
  g_autofree char *resolve = g_strdup_printf ("%s:%u:127.0.0.1", name, server->port);
  g_autofree char *url = g_strdup_printf ("https://%s:%u%s", name, server->port, path);
  const char *argv[] = { "curl", "-sS", "-o", "/dev/null", "--max-time", "15", "--resolve",
                         resolve, url, NULL };
  g_autofree char *text = NULL;
  int status = -1;

  text = run_text (argv, NULL, &status);
  g_test_message ("curl %s: %d %s", url, status, text);
  return status == 0 && server_saw (server, path);
}

static gboolean
fetch_gnutls (Server     *server,
              const char *name,
              const char *path)
{
  g_autofree char *port = g_strdup_printf ("--port=%u", server->port);
  g_autofree char *sni = g_strdup_printf ("--sni-hostname=%s", name);
  g_autofree char *verify = g_strdup_printf ("--verify-hostname=%s", name);
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, name);
  const char *argv[] = { "timeout", "20", "gnutls-cli", port, sni, verify, "127.0.0.1", NULL };
  g_autofree char *text = NULL;
  int status = -1;

  text = run_text (argv, request, &status);
  g_test_message ("gnutls-cli %s%s: %d %s", name, path, status, status != 0 ? text : "");
  /* gnutls-cli sends its input only after the certificate verified, and
   * exits 1 when the server closes without close_notify: the request
   * reaching the server is the verdict. */
  return server_saw (server, path);
}

static gboolean
fetch_chromium (Server     *server,
                const char *name,
                const char *path)
{
  g_autofree char *profile = g_dir_make_tmp ("chromium-XXXXXX", NULL);
  g_autofree char *data_dir = g_strdup_printf ("--user-data-dir=%s", profile);
  g_autofree char *rules = g_strdup_printf ("--host-resolver-rules=MAP %s 127.0.0.1", name);
  g_autofree char *url = g_strdup_printf ("https://%s:%u%s", name, server->port, path);
  const char *argv[] = { "timeout", "-k", "5", "30", "chromium", "--headless", "--no-sandbox",
                         "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", data_dir, rules, "--dump-dom", url, NULL };
  const char *rm[] = { "rm", "-rf", profile, NULL };
  g_autofree char *text = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean loaded;
  int status = -1;

  text = run_text (argv, NULL, &status);
  loaded = strstr (text, "VOUCH-PAGE-LOADED") != NULL;
  g_test_message ("chromium %s: %d, %s in %.1f s", url, status, loaded ? "loaded" : "not loaded",
                  (g_get_monotonic_time () - start) / 1e6);
  g_free (run_text (rm, NULL, NULL));
  return loaded && server_saw (server, path);
}

static char *firefox_profile;

static gboolean
fetch_firefox (Server     *server,
               const char *name,
               const char *path)
{
  g_autofree char *url = g_strdup_printf ("https://%s:%u%s", name, server->port, path);
  g_autofree char *shot = tmp_path ("firefox.png");
  /* The verdict comes from what the server saw, so a refused load need
   * not wait for the screenshot Firefox never takes on its error page. */
  const char *argv[] = { "timeout", "-k", "5", "10", "firefox-esr", "--headless", "--no-remote",
                         "--profile", firefox_profile, "--screenshot", shot, url, NULL };
  g_autofree char *text = NULL;
  gint64 start = g_get_monotonic_time ();
  int status = -1;

  text = run_text (argv, NULL, &status);
  g_test_message ("firefox %s: %d in %.1f s", url, status, (g_get_monotonic_time () - start) / 1e6);
  return server_saw (server, path);
}

typedef gboolean (*FetchFunc) (Server *, const char *, const char *);

static const struct
{
  const char *name;
  FetchFunc   fetch;
} clients[] = {
  { "curl", fetch_curl },
  { "gnutls-cli", fetch_gnutls },
  { "chromium", fetch_chromium },
  { "firefox", fetch_firefox },
};

static void
expect_all (Server     *server,
            const char *name,
            const char *phase,
            gboolean    trusted)
{
  for (gsize i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *path = g_strdup_printf ("/%s-%s", clients[i].name, phase);
      gint64 start = g_get_monotonic_time ();
      gboolean ok = clients[i].fetch (server, name, path);

      g_test_message ("%s, %s: %s (%.1f s)", phase, clients[i].name,
                      ok ? "trusted" : "refused", (g_get_monotonic_time () - start) / 1e6);
      if (ok != trusted)
        g_error ("%s: %s %s https://%s%s", phase, clients[i].name,
                 ok ? "trusted" : "refused", name, path);
    }
}

static void
vouchctl_trust (const char *verb)
{
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  out = vouch_test_vouchctl (NULL, &status, &err, "trust", verb, "--store", "system",
                             "--store", "nss:chromium-legacy", "--store", "nss:chromium",
                             "--store", "nss:firefox:test", NULL);
  if (status != 0)
    g_error ("vouchctl trust %s: %s%s", verb, out, err);
  g_test_message ("vouchctl trust %s:\n%s", verb, out);
}

/* What `vouchctl trust status --json` says of one store. */
static char *
store_status (const char *id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  JsonArray *stores;
  int status = -1;

  out = vouch_test_vouchctl (NULL, &status, &err, "trust", "status", "--json", NULL);
  if (status != 0)
    g_error ("vouchctl trust status: %s%s", out, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  stores = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (stores); i++)
    {
      JsonObject *store = json_array_get_object_element (stores, i);

      if (g_strcmp0 (json_object_get_string_member (store, "id"), id) == 0)
        return g_strdup (json_object_get_string_member (store, "status"));
    }
  g_error ("vouchctl trust status lists no store %s:\n%s", id, out);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

/* A Firefox profile listed in profiles.ini, so Vouch finds it as
 * nss:firefox:test, with names mapped to 127.0.0.1 and everything that
 * phones home turned off. */
static void
make_firefox_profile (void)
{
  g_autofree char *base = g_build_filename (g_get_home_dir (), ".mozilla", "firefox", NULL);
  g_autofree char *ini = g_build_filename (base, "profiles.ini", NULL);
  g_autofree char *user_js = NULL;

  firefox_profile = g_build_filename (base, "test.profile", NULL);
  user_js = g_build_filename (firefox_profile, "user.js", NULL);
  write_file (ini, "[Profile0]\nName=test\nIsRelative=1\nPath=test.profile\nDefault=1\n\n"
                   "[General]\nStartWithLastProfile=1\nVersion=2\n");
  write_file (user_js,
              "user_pref(\"network.dns.localDomains\", \"" GOOD_NAME "," EVIL_NAME "\");\n"
              "user_pref(\"app.update.enabled\", false);\n"
              "user_pref(\"app.update.auto\", false);\n"
              "user_pref(\"toolkit.telemetry.enabled\", false);\n"
              "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);\n"
              "user_pref(\"datareporting.healthreport.uploadEnabled\", false);\n"
              "user_pref(\"network.captive-portal-service.enabled\", false);\n"
              "user_pref(\"network.connectivity-service.enabled\", false);\n"
              "user_pref(\"browser.safebrowsing.malware.enabled\", false);\n"
              "user_pref(\"browser.safebrowsing.phishing.enabled\", false);\n"
              "user_pref(\"browser.shell.checkDefaultBrowser\", false);\n"
              "user_pref(\"extensions.update.enabled\", false);\n"
              "user_pref(\"network.proxy.type\", 0);\n"
              "user_pref(\"security.enterprise_roots.enabled\", false);\n"
              "user_pref(\"security.OCSP.enabled\", 0);\n");
}

static void
make_nss_db (const char *relative)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), relative, NULL);
  g_autofree char *db = g_strconcat ("sql:", dir, NULL);
  const char *argv[] = { "certutil", "-N", "-d", db, "--empty-password", NULL };
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_free (run_text (argv, NULL, &status));
  g_assert_cmpint (status, ==, 0);
}

static char *
openssl_key_and_csr (const char *name,
                     const char *key_path)
{
  g_autofree char *csr_path = tmp_path ("leaf.csr");
  g_autofree char *subject = g_strdup_printf ("/CN=%s", name);
  g_autofree char *san = g_strdup_printf ("subjectAltName=DNS:%s", name);
  const char *argv[] = { "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:P-256", "-nodes", "-keyout", key_path, "-subj", subject,
                         "-addext", san, "-out", csr_path, NULL };
  g_autofree char *text = NULL;
  int status = -1;

  text = run_text (argv, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  return g_steal_pointer (&csr_path);
}

static gboolean
tool_present (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static void
test_clients (void)
{
  g_autoptr(VouchAuthority) authority = vouch_authority_new (NULL);
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchCertificate) leaf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = tmp_path ("leaf.key");
  g_autofree char *evil_key_path = tmp_path ("evil.key");
  g_autofree char *root_key_path = tmp_path ("root.key");
  g_autofree char *root_path = tmp_path ("root.pem");
  g_autofree char *template = tmp_path ("evil.tmpl");
  g_autofree char *evil_path = tmp_path ("evil.pem");
  g_autofree char *csr_path = NULL;
  g_autofree char *csr = NULL;
  g_autofree char *key = NULL;
  g_autofree char *evil_key = NULL;
  g_autofree char *evil = NULL;
  g_autofree char *text = NULL;
  const char *marker = g_getenv ("VOUCH_TRUST_CLEANUP_MARKER");
  VouchRootCa *root;
  Server *good;
  Server *bad;
  char *secret;
  gsize len = 0;
  int lock_fd;
  int status = -1;

  if (geteuid () != 0 || g_getenv ("VOUCH_PRIVATE_LAN") == NULL || marker == NULL)
    {
      g_test_skip ("needs root, tools/private-lan and tests/trust-cleanup.sh (as in CI)");
      return;
    }
  for (const char *tool = "curl\0gnutls-cli\0chromium\0firefox-esr\0certutil\0certtool\0";
       *tool; tool += strlen (tool) + 1)
    if (!tool_present (tool))
      g_error ("%s is missing; tools/install-deps installs it", tool);

  lock_fd = open (SYSTEM_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (lock_fd, >=, 0);
  g_assert_cmpint (flock (lock_fd, LOCK_EX), ==, 0);
  if (g_file_test (SYSTEM_ANCHOR, G_FILE_TEST_EXISTS))
    {
      close (lock_fd);
      g_test_skip ("this machine already trusts a Vouch root; leaving it alone");
      return;
    }

  /* A root that permits the local names and 127.0.0.0/8, and a device
   * certificate from it. */
  g_assert_true (vouch_name_constraints_add (nc, "127.0.0.0/8", &error));
  g_assert_true (vouch_authority_create_root (authority, "Clients Test Root",
                                              VOUCH_KEY_TYPE_ECDSA_P256, nc, NULL, &error));
  g_assert_no_error (error);
  root = vouch_authority_get_root (authority);
  csr_path = openssl_key_and_csr (GOOD_NAME, key_path);
  g_assert_true (g_file_get_contents (csr_path, &csr, &len, NULL));
  leaf = vouch_authority_sign (authority, (const guint8 *)csr, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (key_path, &key, NULL, NULL));

  /* A certificate for a public name, signed with the root's real key but
   * not by Vouch: the constraints must stop every client. */
  secret = vouch_key_store_lookup_root_key (vouch_authority_get_key_store (authority),
                                            vouch_root_ca_get_sha256 (root), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (root_key_path, secret, -1, NULL));
  vouch_key_store_free_secret (secret);
  g_assert_true (g_file_set_contents (root_path, vouch_certificate_get_pem (
                                        vouch_root_ca_get_certificate (root)), -1, NULL));
  g_clear_pointer (&csr_path, g_free);
  csr_path = openssl_key_and_csr (EVIL_NAME, evil_key_path);
  g_assert_true (g_file_set_contents (template, "cn = " EVIL_NAME "\ndns_name = " EVIL_NAME "\n"
                                                "tls_www_server\nexpiration_days = 30\n", -1, NULL));
  {
    const char *argv[] = { "certtool", "--generate-certificate", "--load-request", csr_path,
                           "--load-ca-certificate", root_path, "--load-ca-privkey", root_key_path,
                           "--template", template, "--outfile", evil_path, NULL };

    text = run_text (argv, NULL, &status);
    if (status != 0)
      g_error ("certtool could not build the test certificate: %s", text);
  }
  g_unlink (root_key_path);
  g_assert_true (g_file_get_contents (evil_path, &evil, NULL, NULL));
  g_assert_true (g_file_get_contents (evil_key_path, &evil_key, NULL, NULL));

  good = server_start (vouch_certificate_get_pem (leaf), key);
  bad = server_start (evil, evil_key);

  make_nss_db (".pki/nssdb");
  make_nss_db (".local/share/pki/nssdb");
  make_firefox_profile ();

  expect_all (good, GOOD_NAME, "before", FALSE);

  g_assert_true (g_file_set_contents (marker, SYSTEM_ANCHOR, -1, NULL));
  vouchctl_trust ("install");
  g_assert_true (g_file_test (SYSTEM_ANCHOR, G_FILE_TEST_IS_REGULAR));
  g_free (text);
  text = store_status ("system");
  g_assert_cmpstr (text, ==, "installed");
  expect_all (good, GOOD_NAME, "installed", TRUE);
  expect_all (bad, EVIL_NAME, "outside-constraints", FALSE);

  vouchctl_trust ("uninstall");
  g_assert_false (g_file_test (SYSTEM_ANCHOR, G_FILE_TEST_EXISTS));
  /* No client on the machine trusts it any more: not the links or the
   * bundle of the system store, not Java's keystore. */
  vouch_test_assert_no_traces (vouch_certificate_get_pem (vouch_root_ca_get_certificate (root)));
  g_assert_true (g_file_set_contents (marker, "", 0, NULL));
  g_free (text);
  text = store_status ("system");
  g_assert_cmpstr (text, ==, "not-installed");
  expect_all (good, GOOD_NAME, "uninstalled", FALSE);

  server_stop (good);
  server_stop (bad);
  close (lock_fd);
  g_clear_pointer (&firefox_profile, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trust-clients/install-uninstall", test_clients);
  return g_test_run ();
}
