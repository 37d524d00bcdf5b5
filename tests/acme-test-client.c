/* acme-test-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "acme-test-client.h"

#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <string.h>

/* Every request is answered long before this, or the test fails. */
#define REQUEST_TIMEOUT_US (60 * G_USEC_PER_SEC)

char *
acme_test_b64url (const void *data,
                  gsize       len)
{
  char *text = g_base64_encode (data, len);
  gsize out = 0;

  for (gsize i = 0; text[i] != '\0' && text[i] != '='; i++)
    text[out++] = text[i] == '+' ? '-' : text[i] == '/' ? '_' : text[i];
  text[out] = '\0';
  return text;
}

static char *
datum_b64url (gnutls_datum_t *d)
{
  char *text = acme_test_b64url (d->data, d->size);

  gnutls_free (d->data);
  d->data = NULL;
  return text;
}

/* The JWK, members in RFC 7638 order so the same text is the thumbprint
 * input. */
static void
make_jwk (AcmeTestKey *key)
{
  gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 }, n = { NULL, 0 }, e = { NULL, 0 };
  gnutls_ecc_curve_t curve;
  g_autofree char *bx = NULL, *by = NULL, *bn = NULL, *be = NULL;
  guint8 digest[32];

  if (g_str_equal (key->alg, "RS256"))
    {
      g_assert_cmpint (gnutls_privkey_export_rsa_raw2 (key->key, &n, &e, NULL, NULL, NULL, NULL,
                                                       NULL, NULL, GNUTLS_EXPORT_FLAG_NO_LZ), ==, 0);
      bn = datum_b64url (&n);
      be = datum_b64url (&e);
      key->jwk = g_strdup_printf ("{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}", be, bn);
    }
  else
    {
      g_assert_cmpint (gnutls_privkey_export_ecc_raw2 (key->key, &curve, &x,
                                                       g_str_equal (key->alg, "EdDSA") ? NULL : &y,
                                                       NULL, GNUTLS_EXPORT_FLAG_NO_LZ), ==, 0);
      bx = datum_b64url (&x);
      if (g_str_equal (key->alg, "EdDSA"))
        key->jwk = g_strdup_printf ("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"%s\"}", bx);
      else
        {
          by = datum_b64url (&y);
          key->jwk = g_strdup_printf ("{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
                                      g_str_equal (key->alg, "ES256") ? "P-256" : "P-384", bx, by);
        }
    }
  gnutls_hash_fast (GNUTLS_DIG_SHA256, key->jwk, strlen (key->jwk), digest);
  key->thumbprint = acme_test_b64url (digest, sizeof digest);
}

/* GNUTLS_EXPORT_FLAG_NO_LZ drops leading zeros; EC coordinates must keep
 * their full length (RFC 7518 §6.2.1.2), so make keys until they have it
 * (a shorter coordinate happens once in 256). */
static gboolean
full_length (AcmeTestKey *key)
{
  g_autoptr(JsonNode) node = json_from_string (key->jwk, NULL);
  JsonObject *object = json_node_get_object (node);
  gsize want = g_str_equal (key->alg, "ES384") ? 64 : 43;

  if (g_str_equal (key->alg, "RS256"))
    return TRUE;
  return strlen (json_object_get_string_member (object, "x")) == want &&
         (!json_object_has_member (object, "y") ||
          strlen (json_object_get_string_member (object, "y")) == want);
}

AcmeTestKey *
acme_test_key_new (const char *alg,
                   guint       rsa_bits)
{
  for (guint attempt = 0; attempt < 16; attempt++)
    {
      AcmeTestKey *key = g_new0 (AcmeTestKey, 1);
      gnutls_pk_algorithm_t pk;
      unsigned int bits;

      key->alg = g_intern_string (alg);
      if (g_str_equal (alg, "RS256"))
        pk = GNUTLS_PK_RSA, bits = rsa_bits != 0 ? rsa_bits : 2048;
      else if (g_str_equal (alg, "EdDSA"))
        pk = GNUTLS_PK_EDDSA_ED25519, bits = GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_ED25519);
      else
        pk = GNUTLS_PK_ECDSA, bits = GNUTLS_CURVE_TO_BITS (g_str_equal (alg, "ES384")
                                                           ? GNUTLS_ECC_CURVE_SECP384R1
                                                           : GNUTLS_ECC_CURVE_SECP256R1);
      gnutls_privkey_init (&key->key);
      g_assert_cmpint (gnutls_privkey_generate2 (key->key, pk, bits, 0, NULL, 0), ==, 0);
      make_jwk (key);
      if (full_length (key))
        return key;
      acme_test_key_free (key);
    }
  g_assert_not_reached ();
}

void
acme_test_key_free (AcmeTestKey *key)
{
  if (key == NULL)
    return;
  gnutls_privkey_deinit (key->key);
  g_free (key->jwk);
  g_free (key->thumbprint);
  g_free (key->kid);
  g_free (key);
}

/* A CSR for @names with @key, base64url DER as finalize wants it. */
char *
acme_test_key_make_csr (AcmeTestKey        *key,
                        const char * const *names)
{
  gnutls_x509_crq_t crq;
  gnutls_pubkey_t pub;
  gnutls_datum_t der = { NULL, 0 };

  gnutls_x509_crq_init (&crq);
  gnutls_pubkey_init (&pub);
  g_assert_cmpint (gnutls_pubkey_import_privkey (pub, key->key, 0, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crq_set_pubkey (crq, pub), ==, 0);
  gnutls_x509_crq_set_version (crq, 1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (names[i]);

      if (address != NULL)
        gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_IPADDRESS,
                                              g_inet_address_to_bytes (address),
                                              g_inet_address_get_native_size (address),
                                              GNUTLS_FSAN_APPEND);
      else
        gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_DNSNAME, names[i], strlen (names[i]),
                                              GNUTLS_FSAN_APPEND);
    }
  g_assert_cmpint (gnutls_x509_crq_privkey_sign (crq, key->key, GNUTLS_DIG_SHA256, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_DER, &der), ==, 0);
  gnutls_pubkey_deinit (pub);
  gnutls_x509_crq_deinit (crq);
  return datum_b64url (&der);
}

/* JWS signatures for ECDSA are r||s, each the curve's size (RFC 7518). */
static char *
sign (AcmeTestKey *key,
      const char  *input)
{
  gnutls_datum_t data = { (unsigned char *)input, strlen (input) };
  gnutls_datum_t sig = { NULL, 0 }, r = { NULL, 0 }, s = { NULL, 0 };
  gnutls_sign_algorithm_t algo;
  gsize half = 0;
  g_autofree guint8 *raw = NULL;
  char *text;

  if (g_str_equal (key->alg, "RS256"))
    algo = GNUTLS_SIGN_RSA_SHA256;
  else if (g_str_equal (key->alg, "EdDSA"))
    algo = GNUTLS_SIGN_EDDSA_ED25519;
  else if (g_str_equal (key->alg, "ES384"))
    algo = GNUTLS_SIGN_ECDSA_SHA384, half = 48;
  else
    algo = GNUTLS_SIGN_ECDSA_SHA256, half = 32;

  g_assert_cmpint (gnutls_privkey_sign_data2 (key->key, algo, 0, &data, &sig), ==, 0);
  if (half == 0)
    return datum_b64url (&sig);

  g_assert_cmpint (gnutls_decode_rs_value (&sig, &r, &s), ==, 0);
  raw = g_malloc0 (2 * half);
  /* r and s are DER integers: strip a sign byte, left-pad to size. */
  {
    gnutls_datum_t parts[2] = { r, s };

    for (guint i = 0; i < 2; i++)
      {
        const guint8 *p = parts[i].data;
        gsize len = parts[i].size;

        while (len > half && *p == 0)
          p++, len--;
        g_assert_cmpuint (len, <=, half);
        memcpy (raw + i * half + (half - len), p, len);
      }
  }
  text = acme_test_b64url (raw, 2 * half);
  gnutls_free (sig.data);
  gnutls_free (r.data);
  gnutls_free (s.data);
  return text;
}

/**
 * acme_test_jws:
 * @alg: (nullable): the header's alg, to lie about it; NULL for the key's
 * @use_kid: name the account (key->kid) instead of sending the jwk
 * @nonce: (nullable): leave out when NULL
 * @payload: (nullable): NULL for POST-as-GET
 */
char *
acme_test_jws (AcmeTestKey *key,
               const char  *alg,
               gboolean     use_kid,
               const char  *nonce,
               const char  *url,
               const char  *payload)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) header = NULL;
  g_autofree char *header_text = NULL, *protected_b64 = NULL, *payload_b64 = NULL;
  g_autofree char *input = NULL, *signature = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "alg");
  json_builder_add_string_value (builder, alg != NULL ? alg : key->alg);
  if (use_kid)
    {
      json_builder_set_member_name (builder, "kid");
      json_builder_add_string_value (builder, key->kid);
    }
  else
    {
      json_builder_set_member_name (builder, "jwk");
      json_builder_add_value (builder, json_from_string (key->jwk, NULL));
    }
  if (nonce != NULL)
    {
      json_builder_set_member_name (builder, "nonce");
      json_builder_add_string_value (builder, nonce);
    }
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_end_object (builder);
  header = json_builder_get_root (builder);
  header_text = json_to_string (header, FALSE);

  protected_b64 = acme_test_b64url (header_text, strlen (header_text));
  payload_b64 = acme_test_b64url (payload != NULL ? payload : "", payload != NULL ? strlen (payload) : 0);
  input = g_strconcat (protected_b64, ".", payload_b64, NULL);
  signature = sign (key, input);
  return g_strdup_printf ("{\"protected\":\"%s\",\"payload\":\"%s\",\"signature\":\"%s\"}",
                          protected_b64, payload_b64, signature);
}

static void
accept_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

struct _AcmeTestPending
{
  SoupMessage  *msg;
  GAsyncResult *result;
};

/* Sends a request without waiting, so tests can race requests. */
AcmeTestPending *
acme_test_client_start (AcmeTestClient *client,
                        const char     *method,
                        const char     *url,
                        const char     *content_type,
                        const char     *body,
                        gsize           len)
{
  AcmeTestPending *pending = g_new0 (AcmeTestPending, 1);

  pending->msg = soup_message_new (method, url);
  g_assert_nonnull (pending->msg);
  /* libsoup opens a new connection for each POST unless told it may
   * reuse one, as any ACME client's HTTP library does. */
  if (client->reuse)
    soup_message_add_flags (pending->msg, SOUP_MESSAGE_IDEMPOTENT);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, len);

      soup_message_set_request_body_from_bytes (pending->msg, content_type, bytes);
    }
  soup_session_send_and_read_async (client->session, pending->msg, G_PRIORITY_DEFAULT, NULL,
                                    accept_cb, &pending->result);
  return pending;
}

/* Iterates the main context until @pending's answer is in; frees it. */
AcmeTestResponse *
acme_test_client_wait (AcmeTestClient  *client,
                       AcmeTestPending *pending)
{
  g_autoptr(GError) error = NULL;
  AcmeTestResponse *response = g_new0 (AcmeTestResponse, 1);
  SoupMessageHeaders *headers;
  gint64 deadline = g_get_monotonic_time () + REQUEST_TIMEOUT_US;

  while (pending->result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
    }

  response->body = soup_session_send_and_read_finish (client->session, pending->result, &error);
  if (error != NULL && client->lenient)
    {
      /* The message is the body, for the caller to report. */
      response->body = g_bytes_new (error->message, strlen (error->message));
      g_clear_object (&pending->msg);
      g_clear_object (&pending->result);
      g_free (pending);
      return response;
    }
  g_assert_no_error (error);
  response->status = soup_message_get_status (pending->msg);
  headers = soup_message_get_response_headers (pending->msg);
  response->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  response->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  response->nonce = g_strdup (soup_message_headers_get_one (headers, "Replay-Nonce"));
  response->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  if (response->nonce != NULL)
    {
      g_free (client->nonce);
      client->nonce = g_strdup (response->nonce);
    }

  if (g_strcmp0 (response->content_type, "application/json") == 0 ||
      g_strcmp0 (response->content_type, "application/problem+json") == 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (response->body, NULL),
                                         g_bytes_get_size (response->body));

      response->json = json_from_string (text, &error);
      if (error != NULL)
        g_test_message ("not JSON: %s", text);
      g_assert_no_error (error);
      if (g_str_equal (response->content_type, "application/problem+json"))
        response->problem = json_object_get_string_member (json_node_get_object (response->json),
                                                           "type");
    }
  g_clear_object (&pending->msg);
  g_clear_object (&pending->result);
  g_free (pending);
  return response;
}


AcmeTestResponse *
acme_test_client_request (AcmeTestClient *client,
                          const char     *method,
                          const char     *url,
                          const char     *content_type,
                          const char     *body,
                          gsize           len)
{
  return acme_test_client_wait (client, acme_test_client_start (client, method, url, content_type,
                                                                body, len));
}

void
acme_test_response_free (AcmeTestResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->content_type);
  g_free (response->location);
  g_free (response->nonce);
  g_free (response->retry_after);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

AcmeTestClient *
acme_test_client_new (const char *directory_url,
                      const char *root_pem_path)
{
  return acme_test_client_new_full (directory_url, root_pem_path, NULL);
}

/**
 * acme_test_client_new_full:
 * @local_address: (nullable): the address to connect from, such as
 *   127.0.3.1, so the server sees a client of its own
 *
 * A client of the thread-default main context, which it iterates.
 */
AcmeTestClient *
acme_test_client_new_full (const char *directory_url,
                           const char *root_pem_path,
                           const char *local_address)
{
  AcmeTestClient *client = g_new0 (AcmeTestClient, 1);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GInetSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AcmeTestResponse) response = NULL;

  database = g_tls_file_database_new (root_pem_path, &error);
  g_assert_no_error (error);
  if (local_address != NULL)
    local = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string (local_address, 0));
  client->session = soup_session_new_with_options ("tls-database", database, "timeout", 60,
                                                   "local-address", local, NULL);

  response = acme_test_client_request (client, "GET", directory_url, NULL, NULL, 0);
  g_assert_cmpuint (response->status, ==, 200);
  client->directory_node = json_node_ref (response->json);
  client->directory = json_node_get_object (client->directory_node);
  return client;
}

void
acme_test_client_free (AcmeTestClient *client)
{
  if (client == NULL)
    return;
  g_clear_object (&client->session);
  g_clear_pointer (&client->directory_node, json_node_unref);
  g_free (client->nonce);
  g_free (client);
}

const char *
acme_test_client_url (AcmeTestClient *client,
                      const char     *member)
{
  return json_object_get_string_member (client->directory, member);
}

/* The nonce of the last answer, or a fresh one; used once. */
char *
acme_test_client_take_nonce (AcmeTestClient *client)
{
  if (client->nonce == NULL)
    {
      g_autoptr(AcmeTestResponse) response = NULL;

      response = acme_test_client_request (client, "HEAD",
                                           acme_test_client_url (client, "newNonce"), NULL, NULL, 0);
      g_assert_nonnull (client->nonce);
    }
  return g_steal_pointer (&client->nonce);
}

/* A well-formed request: kid once the key has an account, else jwk. */
AcmeTestResponse *
acme_test_client_post (AcmeTestClient *client,
                       AcmeTestKey    *key,
                       const char     *url,
                       const char     *payload)
{
  g_autofree char *nonce = acme_test_client_take_nonce (client);
  g_autofree char *jws = acme_test_jws (key, NULL, key->kid != NULL, nonce, url, payload);

  return acme_test_client_request (client, "POST", url, "application/jose+json", jws, strlen (jws));
}

AcmeTestResponse *
acme_test_client_new_account (AcmeTestClient *client,
                              AcmeTestKey    *key)
{
  AcmeTestResponse *response;

  response = acme_test_client_post (client, key, acme_test_client_url (client, "newAccount"),
                                    "{\"termsOfServiceAgreed\":true,"
                                    "\"contact\":[\"mailto:admin@example.test\"]}");
  if (response->status == 201 || response->status == 200)
    {
      g_free (key->kid);
      key->kid = g_strdup (response->location);
    }
  return response;
}
