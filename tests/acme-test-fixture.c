/* acme-test-fixture.c: a root, an ACME server on 127.0.0.1 and a client
 * for the ACME tests, and the steps of an order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "acme-test-fixture.h"

#include "vouch-acme-jws.h"
#include "vouch-acme-trusting-validator.h"


static guint counter;

void
start_server (Fixture *fixture)
{
  g_autoptr(VouchAcmeValidator) validator = vouch_acme_trusting_validator_new ();
  g_autoptr(GError) error = NULL;
  const char *names[] = { "127.0.0.1", NULL };

  fixture->server = vouch_acme_server_new (fixture->authority,
                                           fixture->policy_override != NULL
                                           ? fixture->policy_override
                                           : VOUCH_ACME_POLICY (fixture->policy),
                                           validator);
  vouch_acme_server_set_names (fixture->server, names);
  /* A restart listens on the same port, so every URL stays the same. */
  g_assert_true (vouch_acme_server_listen (fixture->server, "127.0.0.1", fixture->port, NULL,
                                           &error));
  g_assert_no_error (error);
  fixture->port = vouch_acme_server_get_port (fixture->server);
  fixture->client = acme_test_client_new (vouch_acme_server_get_directory_url (fixture->server),
                                          fixture->root_path);
}

void
stop_server (Fixture *fixture)
{
  g_clear_pointer (&fixture->client, acme_test_client_free);
  vouch_acme_server_stop (fixture->server);
  g_clear_object (&fixture->server);
}

void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("acme-%u", counter++);
  g_autofree char *pem = NULL;

  fixture->data_dir = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), name, NULL);
  fixture->authority = vouch_authority_new (fixture->data_dir);
  g_assert_true (vouch_authority_load (fixture->authority, &error));
  g_assert_true (vouch_name_constraints_add (nc, "127.0.0.0/8", &error));
  g_assert_true (vouch_name_constraints_add (nc, ".test", &error));
  g_assert_true (vouch_authority_create_root (fixture->authority, "ACME Test Root",
                                              VOUCH_KEY_TYPE_ECDSA_P256, nc, NULL, &error));
  g_assert_no_error (error);

  pem = vouch_root_ca_dup_pem (vouch_authority_get_root (fixture->authority));
  fixture->root_path = g_build_filename (fixture->data_dir, "root.pem", NULL);
  g_assert_true (g_file_set_contents (fixture->root_path, pem, -1, &error));

  fixture->policy = vouch_acme_open_policy_new ();
  start_server (fixture);
}

void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  stop_server (fixture);
  g_clear_object (&fixture->policy);
  g_clear_object (&fixture->policy_override);
  g_clear_object (&fixture->authority);
  g_free (fixture->root_path);
  g_free (fixture->data_dir);
}

guint
count_certificates (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) certs = NULL;

  certs = vouch_inventory_list_certificates (vouch_authority_get_inventory (fixture->authority),
                                             &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (certs);
}

JsonObject *
object (AcmeTestResponse *response)
{
  g_assert_nonnull (response->json);
  return json_node_get_object (response->json);
}

const char *
member (AcmeTestResponse *response,
        const char       *name)
{
  return json_object_get_string_member (object (response), name);
}

void
assert_problem (AcmeTestResponse *response,
                guint             status,
                const char       *type)
{
  if (g_strcmp0 (response->problem, type) != 0)
    g_test_message ("got %u %s: %.*s", response->status, response->problem,
                    (int)g_bytes_get_size (response->body),
                    (const char *)g_bytes_get_data (response->body, NULL));
  g_assert_cmpstr (response->problem, ==, type);
  g_assert_cmpuint (response->status, ==, status);
  /* Even a refusal hands out the next nonce. */
  g_assert_nonnull (response->nonce);
}

AcmeTestKey *
new_account (Fixture    *fixture,
             const char *alg)
{
  AcmeTestKey *key = acme_test_key_new (alg, 0);
  g_autoptr(AcmeTestResponse) response = acme_test_client_new_account (fixture->client, key);

  g_assert_cmpuint (response->status, ==, 201);
  g_assert_nonnull (key->kid);
  return key;
}

AcmeTestResponse *
post (Fixture     *fixture,
      AcmeTestKey *key,
      const char  *url,
      const char  *payload)
{
  return acme_test_client_post (fixture->client, key, url, payload);
}

/* newOrder for @names; returns the order's URL. */
char *
new_order (Fixture            *fixture,
           AcmeTestKey        *key,
           const char * const *names)
{
  g_autoptr(GString) payload = g_string_new ("{\"identifiers\":[");
  g_autoptr(AcmeTestResponse) response = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (names[i]);

      g_string_append_printf (payload, "%s{\"type\":\"%s\",\"value\":\"%s\"}", i > 0 ? "," : "",
                              address != NULL ? "ip" : "dns", names[i]);
    }
  g_string_append (payload, "]}");
  response = post (fixture, key, acme_test_client_url (fixture->client, "newOrder"), payload->str);
  g_assert_cmpuint (response->status, ==, 201);
  g_assert_cmpstr (member (response, "status"), ==, "pending");
  return g_strdup (response->location);
}

/* Answers one challenge of each of the order's authorizations. */
void
validate_order (Fixture     *fixture,
                AcmeTestKey *key,
                const char  *order_url)
{
  g_autoptr(AcmeTestResponse) order = post (fixture, key, order_url, NULL);
  JsonArray *authzs = json_object_get_array_member (object (order), "authorizations");

  for (guint i = 0; i < json_array_get_length (authzs); i++)
    {
      g_autoptr(AcmeTestResponse) authz = post (fixture, key,
                                                json_array_get_string_element (authzs, i), NULL);
      g_autoptr(AcmeTestResponse) answer = NULL;
      g_autoptr(AcmeTestResponse) after = NULL;
      JsonArray *challenges = json_object_get_array_member (object (authz), "challenges");
      JsonObject *http = NULL;
      g_autofree char *expected = NULL;

      g_assert_cmpstr (member (authz, "status"), ==, "pending");
      g_assert_nonnull (authz->retry_after);
      g_assert_cmpuint (json_array_get_length (challenges), ==, 2);
      for (guint j = 0; j < 2; j++)
        if (g_str_equal (json_object_get_string_member (json_array_get_object_element (challenges, j),
                                                        "type"), "http-01"))
          http = json_array_get_object_element (challenges, j);
      g_assert_nonnull (http);
      g_assert_cmpuint (strlen (json_object_get_string_member (http, "token")), >=, 22);

      answer = post (fixture, key, json_object_get_string_member (http, "url"), "{}");
      g_assert_cmpuint (answer->status, ==, 200);
      g_assert_cmpstr (member (answer, "status"), ==, "valid");
      after = post (fixture, key, json_array_get_string_element (authzs, i), NULL);
      g_assert_cmpstr (member (after, "status"), ==, "valid");
    }
}

AcmeTestResponse *
finalize (Fixture            *fixture,
          AcmeTestKey        *key,
          const char         *order_url,
          AcmeTestKey        *cert_key,
          const char * const *csr_names)
{
  g_autoptr(AcmeTestResponse) order = post (fixture, key, order_url, NULL);
  g_autofree char *csr = acme_test_key_make_csr (cert_key, csr_names);
  g_autofree char *payload = g_strdup_printf ("{\"csr\":\"%s\"}", csr);

  return post (fixture, key, member (order, "finalize"), payload);
}

/* Makes @order_id processing with @csr, as finalize leaves it. */
void
begin_processing (Fixture        *fixture,
                  VouchAcmeStore *store,
                  const char     *order_id,
                  const char     *csr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) der = vouch_acme_base64url_decode (csr, &error);
  g_autoptr(VouchSigningRequest) request = NULL;

  g_assert_no_error (error);
  request = vouch_signing_policy_check (vouch_authority_get_policy (fixture->authority),
                                        g_bytes_get_data (der, NULL), g_bytes_get_size (der),
                                        NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vouch_acme_store_begin_processing (store, order_id, csr,
                                                      vouch_signing_request_get_key_sha256 (request),
                                                      &error), ==, 1);
  g_assert_no_error (error);
}
