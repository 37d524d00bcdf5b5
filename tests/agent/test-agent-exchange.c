/* test-agent-exchange.c: the agent's certificate exchange with real
 * vouch-agent processes: the CSRs it makes, installing a certificate (a
 * new key or the current one), and malformed requests
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

static void
check_csr_with_openssl (const char *csr,
                        const char *must_contain[])
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;
  int fd;

  fd = g_file_open_tmp ("csr-XXXXXX.pem", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, csr, -1, &error));

  {
    const char *argv[] = { "openssl", "req", "-verify", "-noout", "-in", path, NULL };
    g_autofree char *output = test_run (argv, NULL, &status);

    g_test_message ("openssl req -verify: %s", output);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (output, "verify OK"));
  }

  {
    const char *argv[] = { "openssl", "req", "-text", "-noout", "-in", path, NULL };

    text = test_run (argv, NULL, &status);
    g_assert_cmpint (status, ==, 0);
  }

  for (guint i = 0; must_contain[i] != NULL; i++)
    {
      if (strstr (text, must_contain[i]) == NULL)
        g_error ("CSR lacks “%s”:\n%s", must_contain[i], text);
    }

  /* The subject is not empty, so RFC 5280 wants subjectAltName not
   * critical; a CA that copies the extension copies that too. */
  g_assert_nonnull (strstr (text, "X509v3 Subject Alternative Name: \n"));

  g_unlink (path);
}

void
test_csr (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(TestAgent) agent = test_agent_start (f->state_dir, "127.0.0.14", no_mdns);
  g_autofree char *nonce = test_make_nonce (24);
  g_autofree char *body = g_strdup_printf ("{\"nonce\": \"%s\", \"names\": [\"extra.example.lan\", \"10.0.0.5\"]}",
                                           nonce);
  g_autoptr(TestResponse) response = NULL;
  g_autoptr(TestResponse) p384 = NULL;
  g_autoptr(TestResponse) state = NULL;
  const char *csr;

  response = test_agent_request (agent, "POST", "/vouch/v1/csr", TEST_ADMIN_TOKEN, body, -1);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (test_response_get_string (response, "nonce"), ==, nonce);
  g_assert_cmpstr (test_response_get_string (response, "key_type"), ==, "ecdsa-p256");
  g_assert_cmpstr (test_response_get_string (response, "key"), ==, "new");
  csr = test_response_get_string (response, "csr");

  {
    const char *must[] = {
      "CN = boiler-room-gateway.local", "DNS:boiler-room-gateway.local", "IP Address:127.0.0.14",
      "DNS:extra.example.lan", "IP Address:10.0.0.5", "challengePassword", nonce, "prime256v1", NULL,
    };

    check_csr_with_openssl (csr, must);
  }

  state = test_agent_request (agent, "GET", "/vouch/v1/state", NULL, NULL, 0);
  g_assert_cmpstr (test_response_get_string (state, "pending_key"), ==, "new");

  /* Another key type; a repeated request replaces the pending key. */
  {
    g_autofree char *nonce2 = test_make_nonce (16);
    g_autofree char *body2 = g_strdup_printf ("{\"nonce\": \"%s\", \"key_type\": \"ecdsa-p384\"}", nonce2);
    const char *must[] = { "secp384r1", nonce2, NULL };

    p384 = test_agent_request (agent, "POST", "/vouch/v1/csr", TEST_ADMIN_TOKEN, body2, -1);
    g_assert_cmpuint (p384->status, ==, 200);
    g_assert_cmpstr (test_response_get_string (p384, "key_type"), ==, "ecdsa-p384");
    check_csr_with_openssl (test_response_get_string (p384, "csr"), must);
  }

  /* RSA, made in a worker thread: the agent answers meanwhile. */
  {
    g_autofree char *nonce3 = test_make_nonce (16);
    g_autofree char *body3 = g_strdup_printf ("{\"nonce\": \"%s\", \"key_type\": \"rsa-3072\"}", nonce3);
    g_autoptr(TestResponse) rsa = test_agent_request (agent, "POST", "/vouch/v1/csr", TEST_ADMIN_TOKEN, body3, -1);
    const char *must[] = { "Public-Key: (3072 bit)", nonce3, NULL };

    g_assert_cmpuint (rsa->status, ==, 200);
    g_assert_cmpstr (test_response_get_string (rsa, "key_type"), ==, "rsa-3072");
    check_csr_with_openssl (test_response_get_string (rsa, "csr"), must);
  }

  test_agent_stop (agent);
}

void
test_install (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TestAgent) agent = test_agent_start (f->state_dir, "127.0.0.15", no_mdns);
  g_autofree char *identity_sha = served_leaf_sha256 (agent);
  g_autofree char *csr = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *other_leaf = NULL;
  g_autofree char *chain = NULL;
  g_autofree char *served = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *lifecycle = NULL;
  g_autoptr(TestResponse) response = NULL;

  /* Nothing pending yet. */
  leaf = test_ca_issue_for_new_key (f->ca, "stranger.local", NULL);
  response = test_agent_install_chain (agent, leaf);
  test_assert_problem (response, 409, "no-pending-key");
  g_clear_pointer (&response, test_response_free);
  g_clear_pointer (&leaf, g_free);

  csr = test_request_csr (agent, "\"names\": [\"gw.example.lan\"]");

  /* A chain for another key is refused; the old certificate stays. */
  other_leaf = test_ca_issue_for_new_key (f->ca, "boiler-room-gateway.local", NULL);
  response = test_agent_install_chain (agent, other_leaf);
  test_assert_problem (response, 409, "key-mismatch");
  g_clear_pointer (&response, test_response_free);
  served = served_leaf_sha256 (agent);
  g_assert_cmpstr (served, ==, identity_sha);
  g_clear_pointer (&served, g_free);

  /* Not certificates at all. */
  {
    const char *bodies[] = {
      "{\"chain\": \"hello\"}",
      "{\"chain\": \"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\"}",
      "{\"chain\": 42}",
      "{}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autoptr(TestResponse) refused = test_agent_request (agent, "PUT", "/vouch/v1/certificate",
                                                              TEST_ADMIN_TOKEN, bodies[i], -1);

        test_assert_problem (refused, 400, "not-a-certificate");
      }
  }

  /* A chain in the wrong order. */
  {
    g_autofree char *right = test_ca_sign_csr (f->ca, csr);
    g_autofree char *reversed = g_strconcat (f->ca->pem, right, NULL);
    g_autoptr(TestResponse) refused = test_agent_install_chain (agent, reversed);

    g_assert_cmpuint (refused->status, >=, 400);
    g_assert_cmpuint (refused->status, <, 500);
  }
  served = served_leaf_sha256 (agent);
  g_assert_cmpstr (served, ==, identity_sha);
  g_clear_pointer (&served, g_free);

  /* The right chain: the next TLS connection presents it. */
  leaf = test_ca_sign_csr (f->ca, csr);
  chain = g_strconcat (leaf, f->ca->pem, NULL);
  response = test_agent_install_chain (agent, chain);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (test_response_get_string (response, "state"), ==, "enrolled");

  issued = test_crt_pem_to_der_hex (leaf);
  served = served_leaf_sha256 (agent);
  g_assert_cmpstr (served, ==, issued);

  agent->pinned_pem = g_strdup (leaf);
  lifecycle = get_lifecycle (agent);
  g_assert_cmpstr (lifecycle, ==, "enrolled");

  /* The chain is persisted with its key, private. */
  {
    g_autofree char *path = g_build_filename (f->state_dir, "tls.pem", NULL);
    GStatBuf st;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }

  /* The pending key was used up. */
  g_clear_pointer (&response, test_response_free);
  response = test_agent_install_chain (agent, chain);
  test_assert_problem (response, 409, "no-pending-key");

  test_agent_stop (agent);
}

void
test_install_current_key (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TestAgent) agent = test_agent_start (f->state_dir, "127.0.0.16", no_mdns);
  G_GNUC_UNUSED g_autofree char *identity_before = read_state_file (f, "identity.pem");
  g_autofree char *csr = test_request_csr (agent, "\"key\": \"current\"");
  g_autofree char *leaf = test_ca_sign_csr (f->ca, csr);
  g_autofree char *served = NULL;
  g_autofree char *issued = NULL;
  g_autoptr(TestResponse) response = NULL;

  response = test_agent_install_chain (agent, leaf);
  g_assert_cmpuint (response->status, ==, 200);

  /* Same key as the identity, so the setup code still matches it. */
  served = served_leaf_sha256 (agent);
  issued = test_crt_pem_to_der_hex (leaf);
  g_assert_cmpstr (served, ==, issued);
  g_clear_pointer (&response, test_response_free);
  response = test_agent_request (agent, "GET", "/vouch/v1/state", NULL, NULL, 0);
  g_assert_cmpuint (response->status, ==, 200);

  test_agent_stop (agent);
}

void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TestAgent) agent = test_agent_start (f->state_dir, "127.0.0.17", no_mdns);
  g_autofree char *big = NULL;
  g_autofree char *lifecycle = NULL;
  g_autofree char *long_nonce = test_make_nonce (65);
  g_autofree char *short_nonce = test_make_nonce (15);
  g_autofree char *good_nonce = test_make_nonce (16);
  static const struct
  {
    const char *method;
    const char *path;
    const char *body;
    guint       status;
    const char *slug;
  } plain_cases[] = {
    { "POST", "/vouch/v1/csr", "{\"nonce\": ", 400, "bad-json" },
    { "POST", "/vouch/v1/csr", "[1, 2]", 400, "bad-json" },
    { "POST", "/vouch/v1/csr", "\"text\"", 400, "bad-json" },
    { "POST", "/vouch/v1/csr", "", 400, "bad-json" },
    { "POST", "/vouch/v1/csr", "{\"nonce\": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}", 400, "bad-json" },
    { "POST", "/vouch/v1/csr", "{\"nonce\": \"\xff\xfe\"}", 400, "bad-json" },
    { "POST", "/vouch/v1/csr", "{\"nonce\": \"not base64!\"}", 400, "bad-nonce" },
    { "POST", "/vouch/v1/csr", "{\"nonce\": \"AAAA\"}", 400, "bad-nonce" },
    { "POST", "/vouch/v1/csr", "{\"nonce\": 12}", 400, "bad-nonce" },
    { "POST", "/vouch/v1/csr", "{}", 400, "bad-nonce" },
    { "PUT", "/vouch/v1/csr", "{}", 405, "method-not-allowed" },
    { "GET", "/vouch/v1/csr", NULL, 405, "method-not-allowed" },
    { "POST", "/vouch/v1/info", "{}", 405, "method-not-allowed" },
    { "GET", "/vouch/v1/nothing", NULL, 404, "not-found" },
    { "GET", "/", NULL, 404, "not-found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (plain_cases); i++)
    {
      g_autoptr(TestResponse) response = NULL;
      g_autofree char *shown = g_strescape (plain_cases[i].body != NULL ? plain_cases[i].body : "", NULL);

      g_test_message ("%s %s %s", plain_cases[i].method, plain_cases[i].path, shown);
      response = test_agent_request (agent, plain_cases[i].method, plain_cases[i].path, TEST_ADMIN_TOKEN,
                                     plain_cases[i].body, -1);
      test_assert_problem (response, plain_cases[i].status, plain_cases[i].slug);
    }

  /* 405 says what is allowed; HEAD works wherever GET does. */
  {
    g_autoptr(TestResponse) wrong = test_agent_request (agent, "DELETE", "/vouch/v1/csr", NULL, NULL, 0);
    g_autoptr(TestResponse) head = test_agent_request (agent, "HEAD", "/vouch/v1/info", NULL, NULL, 0);

    test_assert_problem (wrong, 405, "method-not-allowed");
    g_assert_cmpstr (soup_message_headers_get_one (wrong->headers, "Allow"), ==, "POST");
    g_assert_cmpuint (head->status, ==, 200);
  }

  /* Cases built at run time. */
  {
    g_autofree char *nonce_long = g_strdup_printf ("{\"nonce\": \"%s\"}", long_nonce);
    g_autofree char *nonce_short = g_strdup_printf ("{\"nonce\": \"%s\"}", short_nonce);
    g_autofree char *bad_type = g_strdup_printf ("{\"nonce\": \"%s\", \"key_type\": \"dsa-1024\"}", good_nonce);
    g_autofree char *bad_key = g_strdup_printf ("{\"nonce\": \"%s\", \"key\": \"old\"}", good_nonce);
    g_autofree char *bad_name = g_strdup_printf ("{\"nonce\": \"%s\", \"names\": [\"bad name!\"]}", good_nonce);
    g_autofree char *bad_names = g_strdup_printf ("{\"nonce\": \"%s\", \"names\": [7]}", good_nonce);
    g_autofree char *names_not_list = g_strdup_printf ("{\"nonce\": \"%s\", \"names\": \"a.lan\"}", good_nonce);
    const struct
    {
      const char *body;
      guint       status;
      const char *slug;
    } cases[] = {
      { nonce_long, 400, "bad-nonce" },
      { nonce_short, 400, "bad-nonce" },
      { bad_type, 400, "unsupported-key-type" },
      { bad_key, 400, "bad-request" },
      { bad_name, 400, "bad-name" },
      { bad_names, 400, "bad-name" },
      { names_not_list, 400, "bad-name" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(TestResponse) response = test_agent_request (agent, "POST", "/vouch/v1/csr",
                                                               TEST_ADMIN_TOKEN, cases[i].body, -1);

        test_assert_problem (response, cases[i].status, cases[i].slug);
      }
  }

  /* Oversized bodies: just over the limit, and much larger. */
  {
    const gsize sizes[] = { 64 * 1024 + 1, 512 * 1024 };

    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        g_autoptr(TestResponse) response = NULL;

        big = g_malloc (sizes[i]);
        memset (big, ' ', sizes[i]);
        big[0] = '{';
        big[sizes[i] - 1] = '}';
        response = test_agent_request (agent, "POST", "/vouch/v1/csr", TEST_ADMIN_TOKEN, big, sizes[i]);
        test_assert_problem (response, 413, "too-large");
        g_clear_pointer (&big, g_free);
      }
  }

  /* After all that, the agent still serves, and nothing became pending. */
  lifecycle = get_lifecycle (agent);
  g_assert_cmpstr (lifecycle, ==, "new");
  {
    g_autoptr(TestResponse) state = test_agent_request (agent, "GET", "/vouch/v1/state", NULL, NULL, 0);
    JsonObject *object = json_node_get_object (state->json);

    g_assert_true (json_object_get_null_member (object, "pending_key"));
  }

  test_agent_stop (agent);
}
