/* test-agent.c: real vouch-agent processes on a private loopback
 *
 * Each test starts agents with GSubprocess on 127.0.0.x inside the
 * network namespace tools/private-lan made, and talks to them the way
 * Vouch does: HTTPS with the device's key checked against its setup code.
 * The certificate exchange's tests are in test-agent-exchange.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "test-agent.h"

#include "vouch-setup-code.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char * const no_mdns[] = { "--no-mdns", "--name", "Boiler room gateway", NULL };

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("test-agent-XXXXXX", &error);
  g_assert_no_error (error);
  f->state_dir = g_build_filename (f->tmpdir, "state", NULL);
  f->ca = test_ca_new ("Vouch Test Root");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->tmpdir);
  g_clear_pointer (&f->ca, test_ca_free);
  g_free (f->state_dir);
  g_free (f->tmpdir);
}

char *
read_state_file (Fixture    *f,
                 const char *name)
{
  g_autofree char *path = g_build_filename (f->state_dir, name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static char *
get_info_member (TestAgent  *agent,
                 const char *member)
{
  g_autoptr(TestResponse) response = test_agent_request (agent, "GET", "/vouch/v1/info", NULL, NULL, 0);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  return g_strdup (test_response_get_string (response, member));
}

char *
get_lifecycle (TestAgent *agent)
{
  g_autoptr(TestResponse) response = test_agent_request (agent, "GET", "/vouch/v1/state", NULL, NULL, 0);

  g_assert_cmpuint (response->status, ==, 200);
  return g_strdup (test_response_get_string (response, "state"));
}

/* What a fresh TLS handshake with openssl presents, as a SHA-256 hex. */
char *
served_leaf_sha256 (TestAgent *agent)
{
  g_autofree char *connect = g_strdup_printf ("%s:%u", agent->address, agent->port);
  const char *argv[] = { "openssl", "s_client", "-connect", connect, "-showcerts", NULL };
  g_autofree char *output = test_run (argv, "", NULL);
  const char *begin = strstr (output, "-----BEGIN CERTIFICATE-----");
  const char *end = begin != NULL ? strstr (begin, "-----END CERTIFICATE-----") : NULL;
  g_autofree char *pem = NULL;

  g_assert_nonnull (end);
  pem = g_strndup (begin, end - begin + strlen ("-----END CERTIFICATE-----"));
  return test_crt_pem_to_der_hex (pem);
}

/* This namespace has no avahi-daemon and no system bus: a device must keep
 * serving HTTPS, and only mDNS waits. */
static void
test_serves_without_avahi (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(TestAgent) agent = test_agent_start (f->state_dir, "127.0.0.19", NULL);
  g_autofree char *id = NULL;

  g_usleep (G_USEC_PER_SEC / 2);
  id = get_info_member (agent, "device_id");
  g_assert_cmpstr (id, ==, agent->device_id);
  test_agent_stop (agent);
}

static void
test_first_start (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TestAgent) agent = test_agent_start (f->state_dir, "127.0.0.11", no_mdns);
  g_autoptr(TestResponse) info = NULL;
  g_autofree char *identity_path = g_build_filename (f->state_dir, "identity.pem", NULL);
  g_autofree char *identity = read_state_file (f, "identity.pem");
  g_autofree char *setup_code = read_state_file (f, "setup-code");
  g_autofree char *expected_code = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *certificate;
  GStatBuf st;
  guint8 digest[VOUCH_SHA256_LEN];
  g_auto(GStrv) lines = NULL;

  /* A key and a self-signed certificate, the key private to the device. */
  g_assert_nonnull (identity);
  g_assert_nonnull (strstr (identity, "-----BEGIN CERTIFICATE-----"));
  g_assert_nonnull (strstr (identity, "-----BEGIN PRIVATE KEY-----"));
  g_assert_cmpint (g_stat (identity_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (strlen (agent->device_id), ==, 16);

  /* The request itself checks the served key against the setup code. */
  info = test_agent_request (agent, "GET", "/vouch/v1/info", NULL, NULL, 0);
  g_assert_cmpuint (info->status, ==, 200);
  g_assert_cmpstr (test_response_get_string (info, "state"), ==, "new");
  g_assert_cmpstr (test_response_get_string (info, "device_id"), ==, agent->device_id);
  g_assert_cmpstr (test_response_get_string (info, "name"), ==, "Boiler room gateway");
  g_assert_cmpstr (test_response_get_string (info, "host_name"), ==, "boiler-room-gateway.local");
  g_assert_cmpstr (test_response_get_string (info, "identity"), ==, "self-signed");
  certificate = json_object_get_object_member (json_node_get_object (info->json), "certificate");
  g_assert_true (json_object_get_boolean_member (certificate, "self_signed"));

  /* The code derives from the key: recompute it from the SPKI digest. */
  {
    const char *hex = json_object_get_string_member (certificate, "spki_sha256");

    g_assert_cmpuint (strlen (hex), ==, 64);
    for (guint i = 0; i < VOUCH_SHA256_LEN; i++)
      digest[i] = (guint8)g_ascii_strtoull ((char[]){ hex[2 * i], hex[2 * i + 1], '\0' }, NULL, 16);
  }
  expected_code = vouch_setup_code_from_spki_sha256 (digest);
  g_assert_cmpstr (agent->setup_code, ==, expected_code);

  /* The file carries the code and the QR payload a label would. */
  lines = g_strsplit (setup_code, "\n", -1);
  g_assert_cmpstr (lines[0], ==, expected_code);
  payload = vouch_setup_code_make_qr_payload (expected_code, agent->device_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lines[1], ==, payload);

  test_agent_stop (agent);
}

static void
test_restart_keeps_identity (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TestAgent) first = test_agent_start (f->state_dir, "127.0.0.12", no_mdns);
  g_autoptr(TestAgent) second = NULL;
  g_autoptr(TestAgent) third = NULL;
  g_autofree char *identity_before = read_state_file (f, "identity.pem");
  g_autofree char *identity_after = NULL;
  g_autofree char *csr = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *chain = NULL;
  g_autofree char *served = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *lifecycle = NULL;
  g_autoptr(TestResponse) response = NULL;

  test_agent_stop (first);

  second = test_agent_start (f->state_dir, "127.0.0.12", no_mdns);
  identity_after = read_state_file (f, "identity.pem");
  g_assert_cmpstr (identity_before, ==, identity_after);
  g_assert_cmpstr (second->setup_code, ==, first->setup_code);
  g_assert_cmpstr (second->device_id, ==, first->device_id);

  /* Enroll, then restart: the installed chain survives. */
  csr = test_request_csr (second, NULL);
  leaf = test_ca_sign_csr (f->ca, csr);
  chain = g_strconcat (leaf, f->ca->pem, NULL);
  response = test_agent_install_chain (second, chain);
  g_assert_cmpuint (response->status, ==, 200);
  test_agent_stop (second);

  third = test_agent_start (f->state_dir, "127.0.0.12", no_mdns);
  g_assert_cmpstr (third->setup_code, ==, first->setup_code);
  third->pinned_pem = g_strdup (leaf);
  lifecycle = get_lifecycle (third);
  g_assert_cmpstr (lifecycle, ==, "enrolled");
  served = served_leaf_sha256 (third);
  issued = test_crt_pem_to_der_hex (leaf);
  g_assert_cmpstr (served, ==, issued);
  test_agent_stop (third);
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TestAgent) agent = test_agent_start (f->state_dir, "127.0.0.13", no_mdns);
  g_autofree char *nonce = test_make_nonce (16);
  g_autofree char *body = g_strdup_printf ("{\"nonce\": \"%s\"}", nonce);
  g_autofree char *lifecycle = NULL;

  /* No token: 401 with a Bearer challenge.  That counts as a failure. */
  {
    g_autoptr(TestResponse) response = test_agent_request (agent, "POST", "/vouch/v1/csr", NULL, body, -1);

    test_assert_problem (response, 401, "unauthorized");
    g_assert_true (g_str_has_prefix (soup_message_headers_get_one (response->headers, "WWW-Authenticate"),
                                     "Bearer"));
  }

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(TestResponse) response = test_agent_request (agent, "PUT", "/vouch/v1/certificate",
                                                             "wrong-token", "{}", -1);

      test_assert_problem (response, 401, "unauthorized");
    }

  /* Five failures within the minute: now even the right token waits. */
  {
    g_autoptr(TestResponse) response = test_agent_request (agent, "POST", "/vouch/v1/csr",
                                                           TEST_ADMIN_TOKEN, body, -1);
    const char *retry_after;

    test_assert_problem (response, 429, "rate-limited");
    retry_after = soup_message_headers_get_one (response->headers, "Retry-After");
    g_assert_nonnull (retry_after);
    g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), >, 0);
    g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), <=, 61);
  }

  /* Reading needs no token and still works. */
  lifecycle = get_lifecycle (agent);
  g_assert_cmpstr (lifecycle, ==, "new");

  test_agent_stop (agent);
}

static void
test_renamed_needs_renewal (Fixture       *f,
                            gconstpointer  data)
{
  const char * const renamed[] = { "--no-mdns", "--name", "Boiler room gateway",
                                   "--hostname", "cellar-gw", NULL };
  g_autoptr(TestAgent) agent = test_agent_start (f->state_dir, "127.0.0.18", no_mdns);
  g_autoptr(TestAgent) moved = NULL;
  g_autoptr(TestAgent) renamed_agent = NULL;
  g_autofree char *csr = test_request_csr (agent, NULL);
  g_autofree char *leaf = test_ca_sign_csr (f->ca, csr);
  g_autofree char *issued = test_crt_pem_to_der_hex (leaf);
  g_autoptr(TestResponse) response = NULL;

  response = test_agent_install_chain (agent, leaf);
  g_assert_cmpuint (response->status, ==, 200);
  test_agent_stop (agent);

  /* A new address: the certificate no longer covers it, but is still
   * served until it is replaced. */
  moved = test_agent_start (f->state_dir, "127.0.0.19", no_mdns);
  moved->pinned_pem = g_strdup (leaf);
  {
    g_autofree char *lifecycle = get_lifecycle (moved);
    g_autofree char *served = served_leaf_sha256 (moved);

    g_assert_cmpstr (lifecycle, ==, "needs-renewal");
    g_assert_cmpstr (served, ==, issued);
  }
  test_agent_stop (moved);

  /* A new host name, back on the old address. */
  renamed_agent = test_agent_start (f->state_dir, "127.0.0.18", renamed);
  renamed_agent->pinned_pem = g_strdup (leaf);
  {
    g_autofree char *lifecycle = get_lifecycle (renamed_agent);
    g_autofree char *host = get_info_member (renamed_agent, "host_name");

    g_assert_cmpstr (lifecycle, ==, "needs-renewal");
    g_assert_cmpstr (host, ==, "cellar-gw.local");
  }
  test_agent_stop (renamed_agent);
}

static void
test_idevid (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TestCa) maker = test_ca_new ("Example Devices Manufacturing Root");
  g_autofree char *key_pem = NULL;
  g_autofree char *leaf = test_ca_issue_for_new_key (maker, "serial-0042.devices.example", &key_pem);
  g_autofree char *chain = g_strconcat (leaf, maker->pem, NULL);
  g_autofree char *cert_path = g_build_filename (f->tmpdir, "idevid.pem", NULL);
  g_autofree char *key_path = g_build_filename (f->tmpdir, "idevid.key", NULL);
  g_autofree char *identity = NULL;
  g_autoptr(TestAgent) agent = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (cert_path, chain, -1, &error));
  g_assert_true (g_file_set_contents_full (key_path, key_pem, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));

  {
    const char * const args[] = { "--no-mdns", "--identity-cert", cert_path, "--identity-key", key_path, NULL };

    agent = test_agent_start (f->state_dir, "127.0.0.20", args);
  }

  /* Trust comes from the manufacturer's root here, not the setup code. */
  agent->pinned_pem = g_strdup (leaf);
  identity = get_info_member (agent, "identity");
  g_assert_cmpstr (identity, ==, "idevid");
  g_assert_nonnull (agent->last_peer);
  {
    g_autoptr(GTlsCertificate) root = g_tls_certificate_new_from_pem (maker->pem, -1, &error);
    GTlsCertificate *issuer_cert = g_tls_certificate_get_issuer (agent->last_peer);

    g_assert_no_error (error);
    g_assert_nonnull (issuer_cert);
    g_assert_true (g_tls_certificate_is_same (issuer_cert, root));
  }
  test_agent_stop (agent);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
}

/* An RSA 4096 key takes a while; the agent makes it in a worker thread and
 * answers other requests meanwhile. */
static void
test_slow_key_keeps_serving (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TestAgent) agent = test_agent_start (f->state_dir, "127.0.0.21", no_mdns);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 300, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) csr_body = NULL;
  g_autoptr(JsonNode) csr_json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nonce = test_make_nonce (16);
  g_autofree char *body = g_strdup_printf ("{\"nonce\": \"%s\", \"key_type\": \"rsa-4096\"}", nonce);
  gint64 deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  guint answered_meanwhile = 0;

  msg = test_agent_new_message (agent, "POST", "/vouch/v1/csr", TEST_ADMIN_TOKEN, body, -1);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &csr_body);

  /* Ask for the state (synchronously, on other connections) until the
   * CSR arrives; how many answers come first depends on the machine, so
   * only report it. */
  while (csr_body == NULL && g_get_monotonic_time () < deadline)
    {
      g_autoptr(TestResponse) state = test_agent_request (agent, "GET", "/vouch/v1/state", NULL, NULL, 0);

      g_assert_cmpuint (state->status, ==, 200);
      answered_meanwhile++;
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_test_message ("%u state requests answered while the RSA 4096 key was made", answered_meanwhile);

  g_assert_nonnull (csr_body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (csr_body, NULL), g_bytes_get_size (csr_body));

    csr_json = json_from_string (text, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (csr_json), "key_type"), ==, "rsa-4096");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (csr_json), "nonce"), ==, nonce);

  test_agent_stop (agent);
}

static void
test_bad_options (Fixture       *f,
                  gconstpointer  data)
{
  const char *agent = g_getenv ("VOUCH_AGENT");
  const char *cases[][6] = {
    { "--hostname", "bad name!", NULL },
    { "--name", "A name far longer than the sixty-three bytes a DNS-SD instance name may have", NULL },
    { "--address", "192.0.2.10", NULL },
    { "--address", "not-an-address", NULL },
    { "--port", "70000", NULL },
    { "--identity-cert", "/nonexistent.pem", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[] = { agent, "--no-mdns", "--state-dir", f->state_dir,
                             cases[i][0], cases[i][1], NULL };
      g_autofree char *output = NULL;
      int status = -1;

      output = test_run (argv, NULL, &status);
      g_test_message ("%s %s: %s", cases[i][0], cases[i][1], output);
      g_assert_cmpint (status, ==, 2);
      g_assert_true (g_str_has_prefix (output, "vouch-agent: "));
      g_assert_false (g_file_test (f->state_dir, G_FILE_TEST_EXISTS));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();

  g_test_add ("/agent/first-start", Fixture, NULL, fixture_setup, test_first_start, fixture_teardown);
  g_test_add ("/agent/restart-keeps-identity", Fixture, NULL, fixture_setup, test_restart_keeps_identity,
              fixture_teardown);
  g_test_add ("/agent/auth", Fixture, NULL, fixture_setup, test_auth, fixture_teardown);
  g_test_add ("/agent/csr", Fixture, NULL, fixture_setup, test_csr, fixture_teardown);
  g_test_add ("/agent/install", Fixture, NULL, fixture_setup, test_install, fixture_teardown);
  g_test_add ("/agent/install-current-key", Fixture, NULL, fixture_setup, test_install_current_key,
              fixture_teardown);
  g_test_add ("/agent/malformed", Fixture, NULL, fixture_setup, test_malformed, fixture_teardown);
  g_test_add ("/agent/renamed-needs-renewal", Fixture, NULL, fixture_setup, test_renamed_needs_renewal,
              fixture_teardown);
  g_test_add ("/agent/slow-key-keeps-serving", Fixture, NULL, fixture_setup, test_slow_key_keeps_serving,
              fixture_teardown);
  g_test_add ("/agent/bad-options", Fixture, NULL, fixture_setup, test_bad_options, fixture_teardown);
  g_test_add ("/agent/idevid", Fixture, NULL, fixture_setup, test_idevid, fixture_teardown);
  g_test_add ("/agent/serves-without-avahi", Fixture, NULL, fixture_setup,
              test_serves_without_avahi, fixture_teardown);

  return g_test_run ();
}
