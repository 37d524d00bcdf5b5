/* test-acme-server.c: the ACME server over real HTTPS, driven by a small
 * JWS client (acme-test-client.c): the whole flow, every algorithm, EAB,
 * keyChange, revocation, a restart, a crash after signing, a finalize
 * race, `vouchctl acme serve`, and a locked keyring. The protocol's bad
 * requests are in test-acme-server-refusals.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "acme-test-fixture.h"

#include "vouch-acme-error.h"
#include "vouch-acme-jws.h"
#include "vouch-acme-store.h"
#include "vouch-audit-event.h"
#include "vouch-inventory.h"
#include "vouch-inventory-private.h"
#include "vouch-test-util.h"
#include "vouch-util.h"

#include <gnutls/crypto.h>
#include <libsecret/secret.h>
#include <signal.h>

static const char * const names[] = { "web.test", "192.168.7.7", NULL };

/* The directory, a nonce, an account, an order for a name and an
 * address (RFC 8738), its challenges, finalize, the PEM chain: and the
 * certificate is in the inventory and the audit log like any other. */
static void
test_happy_path (Fixture       *fixture,
                 gconstpointer  data)
{
  AcmeTestClient *client = fixture->client;
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) nonce = NULL, again = NULL, order = NULL, done = NULL;
  g_autoptr(AcmeTestResponse) cert = NULL, second = NULL, orders = NULL, account = NULL;
  g_autofree char *order_url = NULL;
  guint before = count_certificates (fixture);
  JsonObject *meta;

  meta = json_object_get_object_member (client->directory, "meta");
  g_assert_false (json_object_get_boolean_member (meta, "externalAccountRequired"));
  g_assert_false (json_object_has_member (meta, "termsOfService"));
  g_assert_true (g_str_has_suffix (acme_test_client_url (client, "newOrder"), "/acme/new-order"));

  nonce = acme_test_client_request (client, "HEAD", acme_test_client_url (client, "newNonce"),
                                    NULL, NULL, 0);
  g_assert_cmpuint (nonce->status, ==, 200);
  g_assert_nonnull (nonce->nonce);

  /* The same key again: the same account, 200. */
  {
    g_autofree char *kid = g_steal_pointer (&key->kid);

    again = acme_test_client_new_account (client, key);
    g_assert_cmpuint (again->status, ==, 200);
    g_assert_cmpstr (again->location, ==, kid);
  }

  order_url = new_order (fixture, key, names);
  validate_order (fixture, key, order_url);
  order = post (fixture, key, order_url, NULL);
  g_assert_cmpstr (member (order, "status"), ==, "ready");
  /* RFC 3339 in UTC, and in the future. */
  {
    g_autoptr(GDateTime) expires = g_date_time_new_from_iso8601 (member (order, "expires"), NULL);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                                         member (order, "expires"), 0, 0));
    g_assert_nonnull (expires);
    g_assert_cmpint (g_date_time_compare (expires, now), >, 0);
  }

  done = finalize (fixture, key, order_url, cert_key, names);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpstr (member (done, "status"), ==, "valid");
  g_assert_cmpuint (count_certificates (fixture), ==, before + 1);

  cert = post (fixture, key, member (done, "certificate"), NULL);
  g_assert_cmpuint (cert->status, ==, 200);
  g_assert_cmpstr (cert->content_type, ==, "application/pem-certificate-chain");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (cert->body, NULL), g_bytes_get_size (cert->body),
                                  "-----BEGIN CERTIFICATE-----"));
  g_assert_cmpint (_vouch_inventory_count_audit_events (vouch_authority_get_inventory (fixture->authority),
                                                       "acme-issued"), ==, 1);

  /* finalize again: the same order, nothing more issued. */
  second = finalize (fixture, key, order_url, cert_key, names);
  g_assert_cmpstr (member (second, "status"), ==, "valid");
  g_assert_cmpstr (member (second, "certificate"), ==, member (done, "certificate"));
  g_assert_cmpuint (count_certificates (fixture), ==, before + 1);

  account = post (fixture, key, key->kid, NULL);
  g_assert_cmpuint (account->status, ==, 200);
  orders = post (fixture, key, member (account, "orders"), NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (orders), "orders")),
                    ==, 1);
}

/* ES384, RS256 and EdDSA accounts each get through a whole order. */
static void
test_algorithms (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const algs[] = { "ES384", "RS256", "EdDSA" };

  for (guint i = 0; i < G_N_ELEMENTS (algs); i++)
    {
      g_autoptr(AcmeTestKey) key = new_account (fixture, algs[i]);
      g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
      g_autoptr(AcmeTestResponse) done = NULL;
      g_autofree char *host = g_strdup_printf ("alg%u.test", i);
      const char *one[] = { host, NULL };
      g_autofree char *order_url = new_order (fixture, key, one);

      g_test_message ("account key %s", algs[i]);
      validate_order (fixture, key, order_url);
      done = finalize (fixture, key, order_url, cert_key, one);
      g_assert_cmpstr (member (done, "status"), ==, "valid");
    }
}

/* A policy like the operator's: refuses blocked.test with a subproblem
 * naming it, and otherwise answers what the test says (pending until
 * "approved"). */
#define TEST_TYPE_POLICY (test_policy_get_type ())
G_DECLARE_FINAL_TYPE (TestPolicy, test_policy, TEST, POLICY, GObject)

struct _TestPolicy
{
  GObject           parent_instance;
  VouchAcmeDecision decision;
  guint             asked;
};

static void test_policy_iface_init (VouchAcmePolicyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestPolicy, test_policy, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (VOUCH_TYPE_ACME_POLICY, test_policy_iface_init))

static void
test_policy_decide_async (VouchAcmePolicy        *policy,
                          const VouchAcmeRequest *request,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  TestPolicy *self = TEST_POLICY (policy);
  g_autoptr(GTask) task = g_task_new (policy, cancellable, callback, user_data);

  self->asked++;
  g_assert_nonnull (request->account_thumbprint);
  g_assert_cmpstr (request->client_address, ==, "127.0.0.1");
  if (g_strv_contains ((const char * const *)request->identifier_values, "blocked.test"))
    {
      GError *error = g_error_new_literal (VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                                           "The operator does not allow one of these names");

      vouch_acme_error_add_subproblem (error, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER, "dns",
                                       "blocked.test", "Not for this site");
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, self->decision);
}

static VouchAcmeDecision
test_policy_decide_finish (VouchAcmePolicy  *policy,
                           GAsyncResult     *result,
                           GError          **error)
{
  gssize decision = g_task_propagate_int (G_TASK (result), error);

  return decision < 0 ? VOUCH_ACME_DECISION_REFUSE : (VouchAcmeDecision)decision;
}

static void
test_policy_iface_init (VouchAcmePolicyInterface *iface)
{
  iface->decide_async = test_policy_decide_async;
  iface->decide_finish = test_policy_decide_finish;
}

static void
test_policy_class_init (TestPolicyClass *klass)
{
}

static void
test_policy_init (TestPolicy *self)
{
  self->decision = VOUCH_ACME_DECISION_PENDING;
}

/* The operator's policy through the interface: a refusal with a
 * subproblem at newOrder; an order that waits, processing with
 * Retry-After, until it is approved, then issued once. */
static void
test_policy_approval (Fixture       *fixture,
                      gconstpointer  data)
{
  TestPolicy *policy = g_object_new (TEST_TYPE_POLICY, NULL);
  g_autoptr(AcmeTestKey) key = NULL;
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) refused = NULL, waiting = NULL, poll = NULL, approved = NULL;
  const char *one[] = { "ok.test", NULL };
  g_autofree char *order_url = NULL;
  JsonObject *sub;
  guint before;

  stop_server (fixture);
  fixture->policy_override = VOUCH_ACME_POLICY (policy);
  start_server (fixture);
  key = new_account (fixture, "ES256");

  refused = post (fixture, key, acme_test_client_url (fixture->client, "newOrder"),
                  "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"ok.test\"},"
                  "{\"type\":\"dns\",\"value\":\"blocked.test\"}]}");
  assert_problem (refused, 400, P ("rejectedIdentifier"));
  sub = json_array_get_object_element (json_object_get_array_member (object (refused),
                                                                     "subproblems"), 0);
  g_assert_cmpstr (json_object_get_string_member (sub, "type"), ==, P ("rejectedIdentifier"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sub, "identifier"),
                                                  "value"), ==, "blocked.test");

  order_url = new_order (fixture, key, one);
  validate_order (fixture, key, order_url);
  before = count_certificates (fixture);
  waiting = finalize (fixture, key, order_url, cert_key, one);
  g_assert_cmpuint (waiting->status, ==, 200);
  g_assert_cmpstr (member (waiting, "status"), ==, "processing");
  g_assert_cmpstr (waiting->retry_after, ==, "10");
  poll = post (fixture, key, order_url, NULL);
  g_assert_cmpstr (member (poll, "status"), ==, "processing");
  g_assert_cmpuint (count_certificates (fixture), ==, before);

  policy->decision = VOUCH_ACME_DECISION_ALLOW;
  approved = post (fixture, key, order_url, NULL);
  g_assert_cmpstr (member (approved, "status"), ==, "valid");
  g_assert_cmpuint (count_certificates (fixture), ==, before + 1);
  g_assert_cmpuint (policy->asked, >=, 4);
}

/* Revoked by its account, then again (alreadyRevoked); another cert
 * revoked with its own key as jwk; both are revoked in the inventory,
 * which is what the CRL lists. */
static void
test_revoke (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) other = new_account (fixture, "ES256");
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
      g_autoptr(AcmeTestResponse) done = NULL, cert = NULL, refused = NULL, revoked = NULL;
      g_autoptr(AcmeTestResponse) twice = NULL;
      g_auto(gnutls_x509_crt_t) crt = NULL;
      g_autoptr(VouchCertificate) recorded = NULL;
      gnutls_datum_t pem, der = { NULL, 0 };
      g_autofree char *der_b64 = NULL, *payload = NULL, *order_url = new_order (fixture, key, names);
      const char *url = acme_test_client_url (fixture->client, "revokeCert");

      validate_order (fixture, key, order_url);
      done = finalize (fixture, key, order_url, cert_key, names);
      cert = post (fixture, key, member (done, "certificate"), NULL);
      pem.data = (unsigned char *)g_bytes_get_data (cert->body, NULL);
      pem.size = g_bytes_get_size (cert->body);
      gnutls_x509_crt_init (&crt);
      g_assert_cmpint (gnutls_x509_crt_import (crt, &pem, GNUTLS_X509_FMT_PEM), ==, 0);
      g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der), ==, 0);
      der_b64 = acme_test_b64url (der.data, der.size);
      gnutls_free (der.data);
      payload = g_strdup_printf ("{\"certificate\":\"%s\",\"reason\":4}", der_b64);

      /* Another account may not. */
      refused = post (fixture, other, url, payload);
      assert_problem (refused, 403, P ("unauthorized"));

      if (round == 0)
        revoked = post (fixture, key, url, payload);
      else
        {
          g_autofree char *nonce = acme_test_client_take_nonce (fixture->client);
          g_autofree char *jws = acme_test_jws (cert_key, NULL, FALSE, nonce, url, payload);

          revoked = acme_test_client_request (fixture->client, "POST", url, "application/jose+json",
                                              jws, strlen (jws));
        }
      g_assert_cmpuint (revoked->status, ==, 200);

      twice = post (fixture, key, url, payload);
      assert_problem (twice, 400, P ("alreadyRevoked"));

      recorded = vouch_inventory_lookup_certificate (inventory, strrchr (member (done, "certificate"), '/') + 1,
                                                     NULL);
      g_assert_cmpint (vouch_certificate_get_status (recorded), ==, VOUCH_CERTIFICATE_STATUS_REVOKED);
    }
}

static char *
hs256_binding (const char *key_id,
               GBytes     *mac_key,
               const char *url,
               const char *jwk)
{
  g_autofree char *header = g_strdup_printf ("{\"alg\":\"HS256\",\"kid\":\"%s\",\"url\":\"%s\"}",
                                             key_id, url);
  g_autofree char *protected_b64 = acme_test_b64url (header, strlen (header));
  g_autofree char *payload_b64 = acme_test_b64url (jwk, strlen (jwk));
  g_autofree char *input = g_strconcat (protected_b64, ".", payload_b64, NULL);
  g_autofree char *mac_b64 = NULL;
  guint8 mac[32];

  g_assert_cmpint (gnutls_hmac_fast (GNUTLS_MAC_SHA256, g_bytes_get_data (mac_key, NULL),
                                     g_bytes_get_size (mac_key), input, strlen (input), mac), ==, 0);
  mac_b64 = acme_test_b64url (mac, sizeof mac);
  return g_strdup_printf ("{\"protected\":\"%s\",\"payload\":\"%s\",\"signature\":\"%s\"}",
                          protected_b64, payload_b64, mac_b64);
}

/* With EAB required, an account needs a binding by a known key over its
 * own JWK. */
static void
test_external_account_binding (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GBytes) mac_key = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  g_autoptr(GBytes) wrong_key = g_bytes_new_static ("fedcba9876543210fedcba9876543210", 32);
  g_autoptr(AcmeTestKey) key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestKey) other = acme_test_key_new ("ES256", 0);
  const char *url;
  struct {
    const char *key_id;
    GBytes     *mac;
    const char *jwk;
    guint       status;
    const char *problem;
  } cases[] = {
    { NULL, NULL, NULL, 403, P ("externalAccountRequired") },
    { "eab-1", NULL, NULL, 403, P ("unauthorized") },          /* wrong MAC */
    { "no-such-key", NULL, NULL, 403, P ("unauthorized") },
    { "eab-1", NULL, NULL, 403, P ("unauthorized") },          /* over another key */
    { "eab-1", NULL, NULL, 201, NULL },
  };

  vouch_acme_open_policy_add_eab_key (fixture->policy, "eab-1", mac_key);
  vouch_acme_open_policy_set_external_account_required (fixture->policy, TRUE);
  vouch_acme_server_set_terms_of_service (fixture->server, "https://127.0.0.1/terms");
  {
    g_autoptr(AcmeTestResponse) directory = acme_test_client_request (fixture->client, "GET",
                                                                      vouch_acme_server_get_directory_url (fixture->server),
                                                                      NULL, NULL, 0);
    JsonObject *meta = json_object_get_object_member (object (directory), "meta");

    g_assert_true (json_object_get_boolean_member (meta, "externalAccountRequired"));
    g_assert_cmpstr (json_object_get_string_member (meta, "termsOfService"), ==,
                     "https://127.0.0.1/terms");
  }
  url = acme_test_client_url (fixture->client, "newAccount");
  cases[1].mac = wrong_key;
  cases[2].mac = mac_key;
  cases[3].mac = mac_key;
  cases[3].jwk = other->jwk;
  cases[4].mac = mac_key;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AcmeTestResponse) response = NULL;
      g_autofree char *binding = NULL;
      g_autofree char *payload = NULL;

      if (cases[i].key_id != NULL)
        binding = hs256_binding (cases[i].key_id, cases[i].mac, url,
                                 cases[i].jwk != NULL ? cases[i].jwk : key->jwk);
      payload = g_strdup_printf ("{\"termsOfServiceAgreed\":true%s%s}",
                                 binding != NULL ? ",\"externalAccountBinding\":" : "",
                                 binding != NULL ? binding : "");
      response = post (fixture, key, url, payload);
      g_test_message ("EAB case %u: %u", i, response->status);
      if (cases[i].problem != NULL)
        assert_problem (response, cases[i].status, cases[i].problem);
      else
        g_assert_cmpuint (response->status, ==, cases[i].status);
    }
}

/* keyChange moves the account to a new key: the old one no longer signs
 * for it, and a key another account has is refused with 409. */
static void
test_key_change (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) taken = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) fresh = acme_test_key_new ("ES256", 0);
  const char *url = acme_test_client_url (fixture->client, "keyChange");

  for (guint round = 0; round < 2; round++)
    {
      AcmeTestKey *target = round == 0 ? taken : fresh;
      g_autofree char *inner_payload = g_strdup_printf ("{\"account\":\"%s\",\"oldKey\":%s}",
                                                        key->kid, key->jwk);
      g_autofree char *inner = acme_test_jws (target, NULL, FALSE, NULL, url, inner_payload);
      g_autoptr(AcmeTestResponse) response = post (fixture, key, url, inner);

      if (round == 0)
        {
          g_assert_cmpuint (response->status, ==, 409);
          g_assert_cmpstr (response->location, ==, taken->kid);
        }
      else
        g_assert_cmpuint (response->status, ==, 200);
    }

  {
    g_autoptr(AcmeTestResponse) old = post (fixture, key, key->kid, NULL);
    g_autoptr(AcmeTestResponse) now = NULL;

    assert_problem (old, 400, P ("malformed"));
    fresh->kid = g_strdup (key->kid);
    now = post (fixture, fresh, fresh->kid, NULL);
    g_assert_cmpuint (now->status, ==, 200);
  }
}

/* The server renews its own certificate when asked (and daily when a
 * third of its life is left): a new one, served to new connections. */
static void
test_own_certificate (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old = g_strdup (vouch_certificate_get_serial (vouch_acme_server_get_certificate (fixture->server)));
  g_autofree char *renewed = NULL;
  VouchCertificate *now;

  g_assert_true (vouch_acme_server_renew_certificate (fixture->server, FALSE, NULL, &error));
  g_assert_cmpstr (vouch_certificate_get_serial (vouch_acme_server_get_certificate (fixture->server)),
                   ==, old);
  g_assert_true (vouch_acme_server_renew_certificate (fixture->server, TRUE, NULL, &error));
  g_assert_no_error (error);
  now = vouch_acme_server_get_certificate (fixture->server);
  g_assert_cmpstr (vouch_certificate_get_serial (now), !=, old);
  g_assert_cmpstr (vouch_certificate_get_names (now)[0], ==, "127.0.0.1");
  renewed = g_strdup (vouch_certificate_get_serial (now));

  /* A new client connects through the new certificate, kept for restarts. */
  stop_server (fixture);
  start_server (fixture);
  g_assert_cmpstr (vouch_certificate_get_serial (vouch_acme_server_get_certificate (fixture->server)),
                   ==, renewed);
}

/* Deactivating an authorization makes its order invalid: it cannot be
 * finalized. */
static void
test_authz_deactivation (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) order = NULL, gone = NULL, after = NULL, done = NULL;
  g_autoptr(AcmeTestResponse) contact = NULL;
  g_autofree char *order_url = new_order (fixture, key, names);
  const char *authz;

  order = post (fixture, key, order_url, NULL);
  authz = json_array_get_string_element (json_object_get_array_member (object (order),
                                                                       "authorizations"), 0);
  gone = post (fixture, key, authz, "{\"status\":\"deactivated\"}");
  g_assert_cmpuint (gone->status, ==, 200);
  g_assert_cmpstr (member (gone, "status"), ==, "deactivated");
  after = post (fixture, key, order_url, NULL);
  g_assert_cmpstr (member (after, "status"), ==, "invalid");
  done = finalize (fixture, key, order_url, cert_key, names);
  assert_problem (done, 403, P ("orderNotReady"));

  /* And an account's contacts can be changed. */
  contact = post (fixture, key, key->kid, "{\"contact\":[\"mailto:new@example.test\"]}");
  g_assert_cmpuint (contact->status, ==, 200);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object (contact),
                                                                                "contact"), 0),
                   ==, "mailto:new@example.test");
}

/* A restart keeps accounts and orders: a ready order is finalized by the
 * new server, a valid one still downloads. */
static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) done = NULL, order = NULL;
  g_autofree char *order_url = new_order (fixture, key, names);
  g_autofree char *serial = NULL;
  guint before;

  validate_order (fixture, key, order_url);
  serial = g_strdup (vouch_certificate_get_serial (vouch_acme_server_get_certificate (fixture->server)));
  before = count_certificates (fixture);
  stop_server (fixture);
  start_server (fixture);

  /* The server's own certificate is read back, not issued again. */
  g_assert_cmpstr (vouch_certificate_get_serial (vouch_acme_server_get_certificate (fixture->server)),
                   ==, serial);
  g_assert_cmpuint (count_certificates (fixture), ==, before);

  order = post (fixture, key, order_url, NULL);
  g_assert_cmpstr (member (order, "status"), ==, "ready");
  done = finalize (fixture, key, order_url, cert_key, names);
  g_assert_cmpstr (member (done, "status"), ==, "valid");
}

/* Two finalize requests sent together (the second may wait for a
 * connection): one order, one certificate. */
static void
test_finalize_race (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) order = NULL, poll = NULL;
  g_autofree char *order_url = new_order (fixture, key, names);
  g_autofree char *csr = NULL, *payload = NULL;
  AcmeTestPending *pending[2];
  guint before;

  validate_order (fixture, key, order_url);
  order = post (fixture, key, order_url, NULL);
  csr = acme_test_key_make_csr (cert_key, names);
  payload = g_strdup_printf ("{\"csr\":\"%s\"}", csr);
  before = count_certificates (fixture);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *nonce = acme_test_client_take_nonce (fixture->client);
      g_autofree char *jws = acme_test_jws (key, NULL, TRUE, nonce, member (order, "finalize"),
                                            payload);

      pending[i] = acme_test_client_start (fixture->client, "POST", member (order, "finalize"),
                                           "application/jose+json", jws, strlen (jws));
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(AcmeTestResponse) response = acme_test_client_wait (fixture->client, pending[i]);

      g_assert_cmpuint (response->status, ==, 200);
      g_test_message ("finalize %u: %s", i, member (response, "status"));
    }

  poll = post (fixture, key, order_url, NULL);
  g_assert_cmpstr (member (poll, "status"), ==, "valid");
  g_assert_cmpuint (count_certificates (fixture), ==, before + 1);
}

/* An order left processing with its certificate issued (by a Vouch that
 * committed the two apart and crashed between them; now they are one
 * commit): the next poll finds that certificate instead of signing
 * again. */
static void
test_crash_after_signing (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(VouchAcmeStore) store = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AcmeTestResponse) poll = NULL;
  g_autofree char *order_url = new_order (fixture, key, names);
  g_autofree char *csr = acme_test_key_make_csr (cert_key, names);
  g_autofree char *cert_url = NULL;
  const char *order_id = strrchr (order_url, '/') + 1;
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  guint before;

  validate_order (fixture, key, order_url);
  stop_server (fixture);

  /* What finalize did before the crash: processing with the CSR, signed. */
  store = vouch_acme_store_open (vouch_inventory_get_path (vouch_authority_get_inventory (fixture->authority)),
                                 &error);
  g_assert_no_error (error);
  begin_processing (fixture, store, order_id, csr);
  der = vouch_acme_base64url_decode (csr, &error);
  g_assert_no_error (error);
  cert = vouch_authority_sign (fixture->authority, g_bytes_get_data (der, NULL),
                               g_bytes_get_size (der), &options, NULL, &error);
  g_assert_no_error (error);
  before = count_certificates (fixture);

  start_server (fixture);
  poll = post (fixture, key, order_url, NULL);
  g_assert_cmpstr (member (poll, "status"), ==, "valid");
  cert_url = g_strdup (member (poll, "certificate"));
  g_assert_cmpstr (strrchr (cert_url, '/') + 1, ==, vouch_certificate_get_serial (cert));
  g_assert_cmpuint (count_certificates (fixture), ==, before);
}

static void
first_line_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL,
                                                &error);
  g_assert_no_error (error);
  if (*line == NULL)
    *line = g_strdup ("");
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

/* `vouchctl acme serve` prints its directory URL first, and real
 * clients (here the test's) complete an order against it; it refuses
 * an approval mode it does not know. */
static void
test_vouchctl_serve (void)
{
  const char *vouchctl = g_getenv ("VOUCHCTL");
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AcmeTestClient) client = NULL;
  g_autoptr(AcmeTestKey) key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) account = NULL;
  g_autofree char *root = NULL, *root_path = NULL, *url = NULL, *refused = NULL, *err = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  int status = -1;

  g_free (vouch_test_vouchctl (NULL, &status, NULL, "ca", "init", "--name", "Serve Root",
                               "--permit", "127.0.0.0/8", "--permit", ".test", "--yes", NULL));
  g_assert_cmpint (status, ==, 0);
  root = vouch_test_vouchctl (NULL, &status, NULL, "ca", "export", NULL);
  g_assert_cmpint (status, ==, 0);
  root_path = vouch_test_write_temp ("serve-root.pem", root, -1);

  refused = vouch_test_vouchctl (NULL, &status, &err, "acme", "serve", "--port", "0",
                                 "--approval", "sometimes", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "--approval"));

  serve = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error, vouchctl, "acme", "serve", "--address", "127.0.0.1", "--port",
                            "0", "--approval", "open", "--insecure-skip-validation", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, first_line_cb, &url);
  while (url == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_message ("vouchctl acme serve: %s", url);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/acme/directory"));
  g_assert_false (g_str_has_prefix (url, "https://127.0.0.1:0/"));

  client = acme_test_client_new (url, root_path);
  account = acme_test_client_new_account (client, key);
  g_assert_cmpuint (account->status, ==, 201);
  {
    g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
    g_autoptr(GString) payload = g_string_new ("{\"identifiers\":[{\"type\":\"dns\",\"value\":\"cli.test\"}]}");
    g_autoptr(AcmeTestResponse) created = acme_test_client_post (client, key,
                                                                 acme_test_client_url (client, "newOrder"),
                                                                 payload->str);
    g_autoptr(AcmeTestResponse) authz = NULL, answer = NULL, done = NULL;
    g_autofree char *csr = acme_test_key_make_csr (cert_key, (const char *[]){ "cli.test", NULL });
    g_autofree char *final = g_strdup_printf ("{\"csr\":\"%s\"}", csr);
    JsonObject *challenge;

    g_assert_cmpuint (created->status, ==, 201);
    authz = acme_test_client_post (client, key,
                                   json_array_get_string_element (json_object_get_array_member (object (created),
                                                                                                "authorizations"), 0),
                                   NULL);
    challenge = json_array_get_object_element (json_object_get_array_member (object (authz),
                                                                             "challenges"), 0);
    answer = acme_test_client_post (client, key, json_object_get_string_member (challenge, "url"), "{}");
    g_assert_cmpstr (member (answer, "status"), ==, "valid");
    done = acme_test_client_post (client, key, member (created, "finalize"), final);
    g_assert_cmpstr (member (done, "status"), ==, "valid");
  }

  g_subprocess_send_signal (serve, SIGTERM);
  {
    gboolean exited = FALSE;

    g_subprocess_wait_async (serve, NULL, exited_cb, &exited);
    while (!exited)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  g_assert_true (g_subprocess_get_if_exited (serve));
  g_assert_cmpint (g_subprocess_get_exit_status (serve), ==, 0);
}

/* With the keyring locked, finalize leaves the order processing with
 * Retry-After, and polling it issues nothing until the key is back. Runs
 * last in its process: the keyring stays locked. */
static void
test_keyring_locked (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) done = NULL, poll = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(GDBusProxy) objects = NULL;
  g_autofree char *order_url = new_order (fixture, key, names);
  guint before;

  validate_order (fixture, key, order_url);
  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  objects = g_list_append (NULL, g_object_ref (collection));
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  before = count_certificates (fixture);

  done = finalize (fixture, key, order_url, cert_key, names);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpstr (member (done, "status"), ==, "processing");
  g_assert_nonnull (done->retry_after);
  poll = post (fixture, key, order_url, NULL);
  g_assert_cmpstr (member (poll, "status"), ==, "processing");
  g_assert_nonnull (poll->retry_after);
  g_assert_cmpuint (count_certificates (fixture), ==, before);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/acme-server/happy-path", Fixture, NULL, fixture_setup, test_happy_path,
              fixture_teardown);
  g_test_add ("/acme-server/algorithms", Fixture, NULL, fixture_setup, test_algorithms,
              fixture_teardown);
  g_test_add ("/acme-server/policy-approval", Fixture, NULL, fixture_setup, test_policy_approval,
              fixture_teardown);
  g_test_add ("/acme-server/revoke", Fixture, NULL, fixture_setup, test_revoke, fixture_teardown);
  g_test_add ("/acme-server/external-account-binding", Fixture, NULL, fixture_setup,
              test_external_account_binding, fixture_teardown);
  g_test_add ("/acme-server/key-change", Fixture, NULL, fixture_setup, test_key_change,
              fixture_teardown);
  g_test_add ("/acme-server/own-certificate", Fixture, NULL, fixture_setup, test_own_certificate,
              fixture_teardown);
  g_test_add ("/acme-server/authz-deactivation", Fixture, NULL, fixture_setup,
              test_authz_deactivation, fixture_teardown);
  g_test_add ("/acme-server/restart", Fixture, NULL, fixture_setup, test_restart, fixture_teardown);
  g_test_add ("/acme-server/finalize-race", Fixture, NULL, fixture_setup, test_finalize_race,
              fixture_teardown);
  g_test_add ("/acme-server/crash-after-signing", Fixture, NULL, fixture_setup,
              test_crash_after_signing, fixture_teardown);
  g_test_add_func ("/acme-server/vouchctl-serve", test_vouchctl_serve);
  g_test_add ("/acme-server/keyring-locked", Fixture, NULL, fixture_setup, test_keyring_locked,
              fixture_teardown);

  return g_test_run ();
}
