/* test-acme-server-refusals.c: the ACME server's protocol-level
 * refusals over real HTTPS (RFC 8555 §6: nonces, url, algorithms, jwk
 * and kid, sizes, types; orders, CSRs, revocation, accounts), each with
 * its problem type, and no certificate issued by any of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "acme-test-fixture.h"

#include "vouch-util.h"

#include <gnutls/x509.h>

static const char * const names[] = { "web.test", "192.168.7.7", NULL };

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

/* Over thirty refusals, each with its problem type; no certificate is
 * issued by any of them. */
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

  g_test_add ("/acme-server/refusals", Fixture, NULL, fixture_setup, test_bad_requests,
              fixture_teardown);

  return g_test_run ();
}
