/* agent-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "agent-test-util.h"

#include "vouch-setup-code.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STOP_TIMEOUT_SECONDS 20

/* Agents listen on 127.0.0.x; the harness guarantees that is a loopback
 * of our own, so a test never opens a port on the machine's network. */
void
test_require_private_lan (void)
{
  if (g_strcmp0 (g_getenv ("VOUCH_PRIVATE_LAN"), "1") != 0)
    {
      g_printerr ("Run this test through tools/private-lan (meson test does).\n");
      exit (1);
    }
  g_assert_nonnull (g_getenv ("VOUCH_AGENT"));
}

TestAgent *
test_agent_start (const char         *state_dir,
                  const char         *address,
                  const char * const *extra_args)
{
  return test_agent_start_program (g_getenv ("VOUCH_AGENT"), state_dir, address, extra_args);
}

/**
 * test_agents_start_named:
 * @state_name: agent N keeps its state in $VOUCH_TEST_TMPDIR/@state_name-N
 * @network: the first three parts of the addresses: agent N listens on
 *   @network.(N + 1)
 * @names: the agents' device names, @n_agents of them
 * @hosts: their host names, as many
 * @admin_tokens: (nullable): as many; a %NULL one keeps %TEST_ADMIN_TOKEN
 *
 * Starts the demo devices a UI test shows, each with its name, host name
 * and model "Demo".
 *
 * Returns: (transfer full): the agents, freed with the array
 */
GPtrArray *
test_agents_start_named (const char         *state_name,
                         const char         *network,
                         guint               n_agents,
                         const char * const *names,
                         const char * const *hosts,
                         const char * const *admin_tokens)
{
  GPtrArray *agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);

  for (guint i = 0; i < n_agents; i++)
    {
      g_autofree char *state = g_strdup_printf ("%s/%s-%u", g_getenv ("VOUCH_TEST_TMPDIR"),
                                                state_name, i);
      g_autofree char *address = g_strdup_printf ("%s.%u", network, i + 1);
      const char *token = admin_tokens != NULL ? admin_tokens[i] : NULL;
      const char *args[] = { "--name", names[i], "--hostname", hosts[i], "--model", "Demo",
                             token != NULL ? "--admin-token" : NULL, token, NULL };
      TestAgent *agent = test_agent_start (state, address, args);

      agent->host_name = g_strdup (hosts[i]);
      g_ptr_array_add (agents, agent);
    }

  return agents;
}

/* Any program that takes vouch-agent's --state-dir, --address and
 * --admin-token and lays out its state directory the same way, such as
 * tests/hostile-device. */
TestAgent *
test_agent_start_program (const char         *program,
                          const char         *state_dir,
                          const char         *address,
                          const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *code_path = g_build_filename (state_dir, "setup-code", NULL);
  g_autofree char *id_path = g_build_filename (state_dir, "device-id", NULL);
  g_autofree char *code_file = NULL;
  g_auto(GStrv) code_lines = NULL;
  TestAgent *agent = g_new0 (TestAgent, 1);

  g_ptr_array_add (argv, (char *)program);
  g_ptr_array_add (argv, "--state-dir");
  g_ptr_array_add (argv, (char *)state_dir);
  g_ptr_array_add (argv, "--address");
  g_ptr_array_add (argv, (char *)address);
  g_ptr_array_add (argv, "--admin-token");
  g_ptr_array_add (argv, TEST_ADMIN_TOKEN);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)extra_args[i]);
  g_ptr_array_add (argv, NULL);

  agent->state_dir = g_strdup (state_dir);
  agent->address = g_strdup (address);
  agent->process = g_subprocess_newv ((const char * const *)argv->pdata,
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  /* The first line is "port: N"; if the agent dies first, this reads EOF. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (agent->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "port: "));
  agent->port = (guint)g_ascii_strtoull (line + strlen ("port: "), NULL, 10);
  g_assert_cmpuint (agent->port, >, 0);

  /* The agent writes its setup code file before it announces the port. */
  g_assert_true (g_file_get_contents (code_path, &code_file, NULL, &error));
  g_assert_no_error (error);
  code_lines = g_strsplit (code_file, "\n", -1);
  g_assert_cmpuint (g_strv_length (code_lines), >=, 2);
  agent->setup_code = g_strdup (code_lines[0]);

  g_assert_true (g_file_get_contents (id_path, &agent->device_id, NULL, &error));
  g_strstrip (agent->device_id);

  return agent;
}

/**
 * test_agent_new_device:
 *
 * Returns: (transfer full): a device as discovery would report @agent
 */
VouchDevice *
test_agent_new_device (TestAgent *agent)
{
  VouchDevice *device = vouch_device_new (agent->device_id, VOUCH_DEVICE_KIND_VOUCH);
  const char *addresses[] = { agent->address, NULL };

  vouch_device_set_name (device, agent->host_name);
  vouch_device_set_host (device, agent->host_name);
  vouch_device_set_addresses (device, addresses);
  vouch_device_set_port (device, (guint16)agent->port);
  vouch_device_set_online (device, TRUE);
  return device;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

/* SIGTERM, then a bounded wait: a clean agent exits with status 0. */
void
test_agent_stop (TestAgent *agent)
{
  gboolean done = FALSE;
  gint64 deadline = g_get_monotonic_time () + STOP_TIMEOUT_SECONDS * G_USEC_PER_SEC;

  if (agent->process == NULL)
    return;

  g_subprocess_send_signal (agent->process, SIGTERM);
  g_subprocess_wait_async (agent->process, NULL, wait_cb, &done);
  while (!done && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }

  if (!done)
    {
      g_subprocess_force_exit (agent->process);
      g_error ("vouch-agent did not stop within %d s of SIGTERM", STOP_TIMEOUT_SECONDS);
    }

  g_assert_true (g_subprocess_get_if_exited (agent->process));
  g_assert_cmpint (g_subprocess_get_exit_status (agent->process), ==, 0);
  g_clear_object (&agent->process);
}

void
test_agent_free (TestAgent *agent)
{
  if (agent->process != NULL)
    {
      g_subprocess_force_exit (agent->process);
      g_subprocess_wait (agent->process, NULL, NULL);
    }
  g_clear_object (&agent->process);
  g_clear_object (&agent->last_peer);
  g_free (agent->state_dir);
  g_free (agent->address);
  g_free (agent->host_name);
  g_free (agent->setup_code);
  g_free (agent->device_id);
  g_free (agent->pinned_pem);
  g_free (agent);
}

static gboolean
peer_matches_setup_code (GTlsCertificate *peer,
                         const char      *setup_code)
{
  g_autoptr(GByteArray) der = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_pubkey_t) pub = NULL;
  gnutls_datum_t datum;
  guint8 digest[VOUCH_SHA256_LEN];

  g_object_get (peer, "certificate", &der, NULL);
  datum.data = der->data;
  datum.size = der->len;

  gnutls_x509_crt_init (&crt);
  gnutls_pubkey_init (&pub);
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0
      || gnutls_pubkey_import_x509 (pub, crt, 0) < 0
      || !vouch_pubkey_spki_sha256 (pub, digest, NULL))
    return FALSE;

  return vouch_setup_code_matches (setup_code, digest, NULL);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  TestAgent *agent = user_data;

  g_set_object (&agent->last_peer, peer);

  if (agent->pinned_pem != NULL)
    {
      g_autoptr(GTlsCertificate) pinned = g_tls_certificate_new_from_pem (agent->pinned_pem, -1, NULL);

      return pinned != NULL && g_tls_certificate_is_same (pinned, peer);
    }

  return peer_matches_setup_code (peer, agent->setup_code);
}

/* Each message opens a new connection, so that it sees the certificate
 * the agent presents now, and checks that certificate as Vouch would. */
SoupMessage *
test_agent_new_message (TestAgent  *agent,
                        const char *method,
                        const char *path,
                        const char *token,
                        const char *body,
                        gssize      body_len)
{
  g_autofree char *uri = g_strdup_printf ("https://%s:%u%s", agent->address, agent->port, path);
  SoupMessage *msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), agent);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize)body_len);
      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  return msg;
}

TestResponse *
test_agent_request (TestAgent  *agent,
                    const char *method,
                    const char *path,
                    const char *token,
                    const char *body,
                    gssize      body_len)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(SoupMessage) msg = test_agent_new_message (agent, method, path, token, body, body_len);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  TestResponse *response = g_new0 (TestResponse, 1);
  const char *content_type;

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  content_type = soup_message_headers_get_content_type (response->headers, NULL);
  response->content_type = g_strdup (content_type);
  if (g_bytes_get_size (bytes) > 0
      && (g_strcmp0 (content_type, "application/json") == 0
          || g_strcmp0 (content_type, "application/problem+json") == 0))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      response->json = json_from_string (text, &error);
      g_assert_no_error (error);
    }

  return response;
}

void
test_response_free (TestResponse *response)
{
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response->content_type);
  g_free (response);
}

const char *
test_response_get_string (TestResponse *response,
                          const char   *member)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_object_get_string_member_with_default (json_node_get_object (response->json), member, NULL);
}

void
test_assert_problem (TestResponse *response,
                     guint         status,
                     const char   *slug)
{
  g_autofree char *type = g_strconcat ("https://vouchpki.github.io/problems/", slug, NULL);
  JsonObject *object;

  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (response->content_type, ==, "application/problem+json");
  g_assert_nonnull (response->json);
  object = json_node_get_object (response->json);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, type);
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, status);
  g_assert_nonnull (json_object_get_string_member (object, "title"));
}

char *
test_make_nonce (gsize bytes)
{
  g_autofree guint8 *raw = g_malloc (bytes);

  for (gsize i = 0; i < bytes; i++)
    raw[i] = (guint8)g_random_int_range (0, 256);

  return g_base64_encode (raw, bytes);
}

/* Asks for a CSR and checks the nonce comes back; returns the CSR. */
char *
test_request_csr (TestAgent  *agent,
                  const char *extra_json)
{
  g_autofree char *nonce = test_make_nonce (32);
  g_autofree char *body = g_strdup_printf ("{\"nonce\": \"%s\"%s%s}", nonce,
                                           extra_json != NULL ? ", " : "",
                                           extra_json != NULL ? extra_json : "");
  g_autoptr(TestResponse) response = test_agent_request (agent, "POST", "/vouch/v1/csr",
                                                         TEST_ADMIN_TOKEN, body, -1);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (test_response_get_string (response, "nonce"), ==, nonce);
  g_assert_true (g_str_has_prefix (test_response_get_string (response, "csr"),
                                   "-----BEGIN NEW CERTIFICATE REQUEST-----"));

  return g_strdup (test_response_get_string (response, "csr"));
}

/* PUTs @chain as the device's new certificate chain. */
TestResponse *
test_agent_install_chain (TestAgent  *agent,
                          const char *chain)
{
  g_autofree char *escaped = g_strescape (chain, NULL);
  g_autofree char *body = g_strdup_printf ("{\"chain\": \"%s\"}", escaped);

  return test_agent_request (agent, "PUT", "/vouch/v1/certificate", TEST_ADMIN_TOKEN, body, -1);
}

char *
test_run (const char * const *argv,
          const char         *input,
          int                *out_status)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *output = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &output, NULL, &error);
  g_assert_no_error (error);

  if (out_status != NULL)
    *out_status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;

  return output;
}

char *
test_crt_pem_to_der_hex (const char *pem)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum = { (unsigned char *)pem, strlen (pem) };

  gnutls_x509_crt_init (&crt);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM), ==, 0);

  return vouch_crt_sha256_hex (crt, '\0');
}

static gnutls_x509_privkey_t
new_key (void)
{
  gnutls_x509_privkey_t key;

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0), ==, 0);
  return key;
}

static void
set_validity_and_serial (gnutls_x509_crt_t crt,
                         int               days)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint8 serial[12];

  for (guint i = 0; i < sizeof serial; i++)
    serial[i] = (guint8)g_random_int_range (0, 256);
  serial[0] &= 0x7f;

  g_assert_cmpint (gnutls_x509_crt_set_version (crt, 3), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_activation_time (crt, now - 60), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_expiration_time (crt, now + days * 86400), ==, 0);
}

TestCa *
test_ca_new (const char *cn)
{
  TestCa *ca = g_new0 (TestCa, 1);

  ca->key = new_key ();
  g_assert_cmpint (gnutls_x509_crt_init (&ca->crt), ==, 0);
  set_validity_and_serial (ca->crt, 3650);
  g_assert_cmpint (gnutls_x509_crt_set_dn_by_oid (ca->crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen (cn)), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key (ca->crt, ca->key), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_basic_constraints (ca->crt, 1, -1), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key_usage (ca->crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_sign2 (ca->crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0), ==, 0);
  ca->pem = vouch_crt_export_pem (ca->crt);

  return ca;
}

void
test_ca_free (TestCa *ca)
{
  g_clear_pointer (&ca->key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&ca->crt, gnutls_x509_crt_deinit);
  g_free (ca->pem);
  g_free (ca);
}

static char *
sign_leaf (TestCa            *ca,
           gnutls_x509_crt_t  crt)
{
  set_validity_and_serial (crt, 90);
  g_assert_cmpint (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0), ==, 0);
  return vouch_crt_export_pem (crt);
}

/* Issues for the CSR's key and names, as Vouch would. */
char *
test_ca_sign_csr (TestCa     *ca,
                  const char *csr_pem)
{
  g_auto(gnutls_x509_crq_t) crq = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum = { (unsigned char *)csr_pem, strlen (csr_pem) };

  gnutls_x509_crq_init (&crq);
  gnutls_x509_crt_init (&crt);
  g_assert_cmpint (gnutls_x509_crq_import (crq, &datum, GNUTLS_X509_FMT_PEM), ==, 0);
  g_assert_cmpint (gnutls_x509_crq_verify (crq, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_crq (crt, crq), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_crq_extensions (crt, crq), ==, 0);

  return sign_leaf (ca, crt);
}

char *
test_ca_issue_for_new_key (TestCa      *ca,
                           const char  *cn,
                           char       **out_key_pem)
{
  g_auto(gnutls_x509_privkey_t) key = new_key ();
  g_auto(gnutls_x509_crt_t) crt = NULL;

  gnutls_x509_crt_init (&crt);
  g_assert_cmpint (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen (cn)), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, cn, strlen (cn),
                                                         GNUTLS_FSAN_APPEND), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key (crt, key), ==, 0);

  if (out_key_pem != NULL)
    {
      gnutls_datum_t out = { NULL, 0 };

      g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                          GNUTLS_PKCS_PLAIN, &out), ==, 0);
      *out_key_pem = g_strndup ((const char *)out.data, out.size);
      gnutls_free (out.data);
    }

  return sign_leaf (ca, crt);
}

static gboolean
accept_any_cb (SoupMessage          *msg,
               GTlsCertificate      *cert,
               GTlsCertificateFlags  errors,
               gpointer              data)
{
  /* The person on the device's own page, before it has a trusted certificate. */
  return TRUE;
}

/**
 * test_agent_person_does:
 *
 * What a person does on a test device's own page, here its API, as its
 * administrator (root and %TEST_ADMIN_TOKEN, Basic): the request must
 * succeed (200).
 *
 * Returns: the answer's body
 */
char *
test_agent_person_does (TestAgent  *agent,
                        const char *method,
                        const char *path,
                        const char *content_type,
                        const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("https://%s:%u%s", agent->address, agent->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *basic = g_base64_encode ((const guchar *)"root:" TEST_ADMIN_TOKEN,
                                            strlen ("root:" TEST_ADMIN_TOKEN));
  g_autofree char *auth = g_strconcat ("Basic ", basic, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != 200)
    g_error ("%s %s: %u %.*s", method, path, soup_message_get_status (msg),
             (int)g_bytes_get_size (answer), (const char *)g_bytes_get_data (answer, NULL));
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}
