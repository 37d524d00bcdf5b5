/* test-acme-server.c: the ACME server over real HTTPS, driven by a small
 * JWS client (acme-test-client.c): the whole flow, every algorithm, EAB,
 * keyChange, revocation, a restart, a locked keyring, and the protocol's
 * bad requests, each refused with its problem type and nothing issued.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "acme-test-fixture.h"

#include "vouch-acme-jws.h"
#include "vouch-acme-store.h"
#include "vouch-audit-event.h"
#include "vouch-inventory-lifecycle.h"
#include "vouch-util.h"

#include <gnutls/crypto.h>
#include <libsecret/secret.h>

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

  done = finalize (fixture, key, order_url, cert_key, names);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpstr (member (done, "status"), ==, "valid");
  g_assert_cmpuint (count_certificates (fixture), ==, before + 1);

  cert = post (fixture, key, member (done, "certificate"), NULL);
  g_assert_cmpuint (cert->status, ==, 200);
  g_assert_cmpstr (cert->content_type, ==, "application/pem-certificate-chain");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (cert->body, NULL), g_bytes_get_size (cert->body),
                                  "-----BEGIN CERTIFICATE-----"));
  g_assert_cmpint (vouch_inventory_count_audit_events (vouch_authority_get_inventory (fixture->authority),
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

  validate_order (fixture, key, order_url);
  stop_server (fixture);
  start_server (fixture);

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

/* A crash between the inventory's commit and the order's leaves the
 * order processing with its certificate issued: the next poll finds that
 * certificate instead of signing again. */
static void
test_crash_after_signing (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(VouchAcmeStore) store = NULL;
  g_autoptr(VouchSigningRequest) request = NULL;
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
  der = vouch_acme_base64url_decode (csr, &error);
  g_assert_no_error (error);
  request = vouch_signing_policy_check (vouch_authority_get_policy (fixture->authority),
                                        g_bytes_get_data (der, NULL), g_bytes_get_size (der),
                                        NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vouch_acme_store_begin_processing (store, order_id, csr,
                                                      vouch_signing_request_get_key_sha256 (request),
                                                      &error), ==, 1);
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

static AcmeTestResponse *
send_jws (Fixture     *fixture,
          AcmeTestKey *key,
          const char  *alg,
          gboolean     use_kid,
          const char  *nonce,
          const char  *sign_url,
          const char  *post_url,
          const char  *payload)
{
  g_autofree char *jws = acme_test_jws (key, alg, use_kid, nonce, sign_url, payload);

  return acme_test_client_request (fixture->client, "POST", post_url, "application/jose+json", jws,
                                   strlen (jws));
}

/* A JWS with @header as is and @signature: for algorithms the client
 * cannot sign with. */
static AcmeTestResponse *
send_raw (Fixture    *fixture,
          const char *url,
          const char *header,
          const char *signature)
{
  g_autofree char *protected_b64 = acme_test_b64url (header, strlen (header));
  g_autofree char *body = g_strdup_printf ("{\"protected\":\"%s\",\"payload\":\"\","
                                           "\"signature\":\"%s\"}", protected_b64, signature);

  return acme_test_client_request (fixture->client, "POST", url, "application/jose+json", body,
                                   strlen (body));
}

static char *
der_b64_of (VouchCertificate *cert)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t pem = { (unsigned char *)vouch_certificate_get_pem (cert),
                         strlen (vouch_certificate_get_pem (cert)) };
  gnutls_datum_t der = { NULL, 0 };
  char *text;

  gnutls_x509_crt_init (&crt);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &pem, GNUTLS_X509_FMT_PEM), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der), ==, 0);
  text = acme_test_b64url (der.data, der.size);
  gnutls_free (der.data);
  return text;
}

/* At least twenty protocol-level refusals, each with its problem type;
 * no certificate is issued by any of them. */
static void
test_bad_requests (Fixture       *fixture,
                   gconstpointer  data)
{
  AcmeTestClient *client = fixture->client;
  g_autoptr(AcmeTestKey) key = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) other = new_account (fixture, "ES256");
  g_autoptr(AcmeTestKey) leaving = new_account (fixture, "ES384");
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestKey) impostor = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestKey) stranger = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestKey) weak = acme_test_key_new ("RS256", 1024);
  const char *new_order_url = acme_test_client_url (client, "newOrder");
  const char *new_account_url = acme_test_client_url (client, "newAccount");
  const char *revoke_url = acme_test_client_url (client, "revokeCert");
  const char *other_names[] = { "other.test", NULL };
  const char *outside[] = { "example.com", NULL };
  g_autofree char *order_url = new_order (fixture, key, names);
  g_autofree char *outside_url = new_order (fixture, key, outside);
  g_autofree char *server_cert = der_b64_of (vouch_acme_server_get_certificate (fixture->server));
  g_autofree char *used = NULL;
  guint before = count_certificates (fixture);

  /* Nonces: replayed, unknown, missing. */
  {
    g_autoptr(AcmeTestResponse) first = NULL, replay = NULL, unknown = NULL, missing = NULL;

    used = acme_test_client_take_nonce (client);
    first = send_jws (fixture, key, NULL, TRUE, used, key->kid, key->kid, NULL);
    g_assert_cmpuint (first->status, ==, 200);
    replay = send_jws (fixture, key, NULL, TRUE, used, key->kid, key->kid, NULL);
    assert_problem (replay, 400, P ("badNonce"));
    unknown = send_jws (fixture, key, NULL, TRUE, "bm90LWEtbm9uY2U", key->kid, key->kid, NULL);
    assert_problem (unknown, 400, P ("badNonce"));
    missing = send_jws (fixture, key, NULL, TRUE, NULL, key->kid, key->kid, NULL);
    assert_problem (missing, 400, P ("badNonce"));
  }

  /* The url header names another resource than the one posted to. */
  {
    g_autofree char *nonce = acme_test_client_take_nonce (client);
    g_autoptr(AcmeTestResponse) r = send_jws (fixture, key, NULL, TRUE, nonce, key->kid,
                                              new_order_url, "{\"identifiers\":[]}");

    assert_problem (r, 403, P ("unauthorized"));
  }

  /* alg none, HS256 (a MAC with any key), and ES384 claimed for a P-256 key. */
  {
    g_autofree char *nonce = acme_test_client_take_nonce (client);
    g_autofree char *none = g_strdup_printf ("{\"alg\":\"none\",\"kid\":\"%s\",\"nonce\":\"%s\","
                                             "\"url\":\"%s\"}", key->kid, nonce, key->kid);
    g_autoptr(AcmeTestResponse) r1 = send_raw (fixture, key->kid, none, "");
    g_autofree char *nonce2 = acme_test_client_take_nonce (client);
    g_autofree char *hs = g_strdup_printf ("{\"alg\":\"HS256\",\"kid\":\"%s\",\"nonce\":\"%s\","
                                           "\"url\":\"%s\"}", key->kid, nonce2, key->kid);
    g_autoptr(AcmeTestResponse) r2 = send_raw (fixture, key->kid, hs,
                                               "c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmE");
    g_autofree char *nonce3 = acme_test_client_take_nonce (client);
    g_autoptr(AcmeTestResponse) r3 = send_jws (fixture, key, "ES384", TRUE, nonce3, key->kid,
                                               key->kid, NULL);

    assert_problem (r1, 400, P ("badSignatureAlgorithm"));
    assert_problem (r2, 400, P ("badSignatureAlgorithm"));
    assert_problem (r3, 400, P ("badSignatureAlgorithm"));
  }

  /* Another account's order, and an account's kid signed by another key. */
  {
    g_autoptr(AcmeTestResponse) r1 = post (fixture, other, order_url, NULL);
    g_autofree char *nonce = acme_test_client_take_nonce (client);
    g_autoptr(AcmeTestResponse) r2 = NULL;

    impostor->kid = g_strdup (key->kid);
    r2 = send_jws (fixture, impostor, NULL, TRUE, nonce, order_url, order_url, NULL);
    assert_problem (r1, 403, P ("unauthorized"));
    assert_problem (r2, 400, P ("malformed"));
  }

  /* A body over 64 KiB, and the wrong content type, and not JSON. */
  {
    g_autofree char *big = g_strnfill (70 * 1024, 'a');
    g_autoptr(AcmeTestResponse) r1 = acme_test_client_request (client, "POST", new_order_url,
                                                               "application/jose+json", big,
                                                               strlen (big));
    g_autofree char *nonce = acme_test_client_take_nonce (client);
    g_autofree char *jws = acme_test_jws (key, NULL, TRUE, nonce, key->kid, NULL);
    g_autoptr(AcmeTestResponse) r2 = acme_test_client_request (client, "POST", key->kid,
                                                               "application/json", jws,
                                                               strlen (jws));
    g_autoptr(AcmeTestResponse) r3 = acme_test_client_request (client, "POST", key->kid,
                                                               "application/jose+json", "{\"protected\":",
                                                               13);

    assert_problem (r1, 413, P ("malformed"));
    assert_problem (r2, 400, P ("malformed"));
    assert_problem (r3, 400, P ("malformed"));
  }

  /* jwk where a kid belongs, kid where a jwk belongs, an unknown kid. */
  {
    g_autofree char *n1 = acme_test_client_take_nonce (client);
    g_autoptr(AcmeTestResponse) r1 = send_jws (fixture, key, NULL, FALSE, n1, order_url, order_url,
                                               NULL);
    g_autofree char *n2 = acme_test_client_take_nonce (client);
    g_autoptr(AcmeTestResponse) r2 = send_jws (fixture, key, NULL, TRUE, n2, new_account_url,
                                               new_account_url, "{}");
    g_autofree char *n3 = acme_test_client_take_nonce (client);
    g_autoptr(AcmeTestResponse) r3 = NULL;

    stranger->kid = g_strconcat (key->kid, "x", NULL);
    r3 = send_jws (fixture, stranger, NULL, TRUE, n3, order_url, order_url, NULL);
    assert_problem (r1, 400, P ("malformed"));
    assert_problem (r2, 400, P ("malformed"));
    assert_problem (r3, 400, P ("accountDoesNotExist"));
  }

  /* GET instead of POST-as-GET; onlyReturnExisting for an unknown key; a
   * 1024-bit RSA key; a tel: contact. */
  {
    g_autoptr(AcmeTestResponse) r1 = acme_test_client_request (client, "GET", order_url, NULL, NULL, 0);
    g_autoptr(AcmeTestResponse) r2 = post (fixture, stranger, new_account_url,
                                           "{\"onlyReturnExisting\":true}");
    g_autoptr(AcmeTestResponse) r3 = post (fixture, weak, new_account_url, "{}");
    g_autoptr(AcmeTestResponse) r4 = NULL;

    g_clear_pointer (&stranger->kid, g_free);
    r4 = post (fixture, stranger, new_account_url, "{\"contact\":[\"tel:+15555550100\"]}");
    g_assert_cmpuint (r1->status, ==, 405);
    g_assert_cmpstr (r1->problem, ==, P ("malformed"));
    assert_problem (r3, 400, P ("badPublicKey"));
    assert_problem (r4, 400, P ("unsupportedContact"));
    (void)r2;
  }

  /* Orders: no identifiers, an email identifier, a wildcard. */
  {
    g_autoptr(AcmeTestResponse) r1 = post (fixture, key, new_order_url, "{\"identifiers\":[]}");
    g_autoptr(AcmeTestResponse) r2 = post (fixture, key, new_order_url,
                                           "{\"identifiers\":[{\"type\":\"email\",\"value\":\"a@b.test\"}]}");
    g_autoptr(AcmeTestResponse) r3 = post (fixture, key, new_order_url,
                                           "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"*.web.test\"}]}");

    g_autoptr(AcmeTestResponse) r4 = post (fixture, key, new_order_url,
                                           "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"10.1.2.3\"}]}");
    JsonObject *identifier = NULL;

    assert_problem (r1, 400, P ("malformed"));
    assert_problem (r2, 400, P ("unsupportedIdentifier"));
    assert_problem (r3, 400, P ("rejectedIdentifier"));
    /* Not refused: an address sent as dns (Debian's lego does) is the ip
     * identifier it can only mean. */
    g_assert_cmpuint (r4->status, ==, 201);
    identifier = json_array_get_object_element (json_object_get_array_member (object (r4),
                                                                              "identifiers"), 0);
    g_assert_cmpstr (json_object_get_string_member (identifier, "type"), ==, "ip");
  }

  /* Finalize before the authorizations are valid; then a CSR for other
   * names; then a CSR outside the root's constraints. */
  {
    g_autoptr(AcmeTestResponse) r1 = finalize (fixture, key, order_url, cert_key, names);
    g_autoptr(AcmeTestResponse) r2 = NULL, r3 = NULL, still = NULL;

    assert_problem (r1, 403, P ("orderNotReady"));
    validate_order (fixture, key, order_url);
    r2 = finalize (fixture, key, order_url, cert_key, other_names);
    assert_problem (r2, 400, P ("badCSR"));
    still = post (fixture, key, order_url, NULL);
    g_assert_cmpstr (member (still, "status"), ==, "ready");
    validate_order (fixture, key, outside_url);
    r3 = finalize (fixture, key, outside_url, cert_key, outside);
    assert_problem (r3, 400, P ("rejectedIdentifier"));
  }

  /* revokeCert: a reason a subscriber may not give; a certificate this
   * account did not order (the server's own). */
  {
    g_autofree char *p1 = g_strdup_printf ("{\"certificate\":\"%s\",\"reason\":7}", server_cert);
    g_autofree char *p2 = g_strdup_printf ("{\"certificate\":\"%s\"}", server_cert);
    g_autoptr(AcmeTestResponse) r1 = post (fixture, key, revoke_url, p1);
    g_autoptr(AcmeTestResponse) r2 = post (fixture, key, revoke_url, p2);

    assert_problem (r1, 400, P ("badRevocationReason"));
    assert_problem (r2, 403, P ("unauthorized"));
  }

  /* A deactivated account can do nothing more. */
  {
    g_autoptr(AcmeTestResponse) r1 = post (fixture, leaving, leaving->kid,
                                           "{\"status\":\"deactivated\"}");
    g_autoptr(AcmeTestResponse) r2 = NULL;

    g_assert_cmpuint (r1->status, ==, 200);
    g_assert_cmpstr (member (r1, "status"), ==, "deactivated");
    r2 = post (fixture, leaving, new_order_url,
               "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"late.test\"}]}");
    assert_problem (r2, 403, P ("unauthorized"));
  }

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
  g_test_add ("/acme-server/revoke", Fixture, NULL, fixture_setup, test_revoke, fixture_teardown);
  g_test_add ("/acme-server/external-account-binding", Fixture, NULL, fixture_setup,
              test_external_account_binding, fixture_teardown);
  g_test_add ("/acme-server/key-change", Fixture, NULL, fixture_setup, test_key_change,
              fixture_teardown);
  g_test_add ("/acme-server/restart", Fixture, NULL, fixture_setup, test_restart, fixture_teardown);
  g_test_add ("/acme-server/finalize-race", Fixture, NULL, fixture_setup, test_finalize_race,
              fixture_teardown);
  g_test_add ("/acme-server/crash-after-signing", Fixture, NULL, fixture_setup,
              test_crash_after_signing, fixture_teardown);
  g_test_add ("/acme-server/bad-requests", Fixture, NULL, fixture_setup, test_bad_requests,
              fixture_teardown);
  g_test_add ("/acme-server/keyring-locked", Fixture, NULL, fixture_setup, test_keyring_locked,
              fixture_teardown);

  return g_test_run ();
}
