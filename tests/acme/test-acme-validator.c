/* test-acme-validator.c: http-01 and tls-alpn-01 against responders on
 * 127.0.0.x ports 80 and 443, inside tools/private-lan --no-avahi
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-acme-network-validator.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>
#include <libsoup/soup.h>

#define TOKEN "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
#define KEY_AUTHZ TOKEN ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
#define HTTP_ADDRESS "127.0.0.2"
#define OTHER_ADDRESS "127.0.0.4"
#define TLS_ADDRESS "127.0.0.3"

typedef struct
{
  SoupServer       *http;
  GSocketService   *tls;
  GTlsCertificate  *certificate;
  gboolean          advertise_acme;
  /* What the http-01 responder does. */
  const char       *body;
  guint             status;
  const char       *location;
  gsize             repeat;
  gboolean          stall;
  guint             hits;
  GPtrArray        *stalled;
} Fixture;

static void
challenge_cb (SoupServer        *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fixture *fixture = user_data;

  fixture->hits++;
  if (fixture->stall)
    {
      /* Never answered: the validator's deadline must end it. */
      soup_server_message_pause (message);
      g_ptr_array_add (fixture->stalled, g_object_ref (message));
      return;
    }
  if (fixture->location != NULL)
    {
      soup_server_message_set_redirect (message, SOUP_STATUS_FOUND, fixture->location);
      return;
    }
  soup_server_message_set_status (message, fixture->status, NULL);
  if (fixture->repeat > 0)
    {
      g_autofree char *big = g_strnfill (fixture->repeat, 'a');
      soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_COPY, big,
                                        fixture->repeat);
    }
  else if (fixture->body != NULL)
    soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_COPY, fixture->body,
                                      strlen (fixture->body));
}

static void
tls_handshake_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, NULL);
  g_io_stream_close (G_IO_STREAM (object), NULL, NULL);
  g_object_unref (object);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  Fixture *fixture = user_data;
  const char * const protocols[] = { "acme-tls/1", NULL };
  GIOStream *tls;

  tls = g_tls_server_connection_new (G_IO_STREAM (connection), fixture->certificate, NULL);
  g_assert_nonnull (tls);
  if (fixture->advertise_acme)
    g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (tls), protocols);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, NULL,
                                    tls_handshake_cb, NULL);
  return TRUE;
}

/* A tls-alpn-01 certificate as RFC 8737 §3 describes, or spoilt. */
typedef enum
{
  CERT_GOOD,
  CERT_WRONG_DIGEST,
  CERT_NOT_CRITICAL,
  CERT_TWO_NAMES,
  CERT_NO_EXTENSION,
} CertKind;

static GTlsCertificate *
make_certificate (const char *identifier_type,
                  const char *identifier_value,
                  CertKind    kind)
{
  gnutls_x509_crt_t crt;
  gnutls_x509_privkey_t key;
  gnutls_datum_t ext = { NULL, 0 };
  gnutls_datum_t cert_pem = { NULL, 0 };
  gnutls_datum_t key_pem = { NULL, 0 };
  guint8 digest[32];
  gnutls_datum_t id = { digest, sizeof digest };
  g_autofree char *both = NULL;
  GTlsCertificate *certificate;
  time_t now = time (NULL);
  guint8 serial[] = { 1 };

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  gnutls_x509_crt_set_version (crt, 3);
  gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  gnutls_x509_crt_set_activation_time (crt, now - 60);
  gnutls_x509_crt_set_expiration_time (crt, now + 3600);
  gnutls_x509_crt_set_key (crt, key);

  if (g_str_equal (identifier_type, "ip"))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (identifier_value);
      g_assert_cmpint (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS,
                                                             g_inet_address_to_bytes (address),
                                                             g_inet_address_get_native_size (address),
                                                             GNUTLS_FSAN_APPEND), ==, 0);
    }
  else
    g_assert_cmpint (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME,
                                                           identifier_value,
                                                           strlen (identifier_value),
                                                           GNUTLS_FSAN_APPEND), ==, 0);
  if (kind == CERT_TWO_NAMES)
    g_assert_cmpint (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "other.lan",
                                                           9, GNUTLS_FSAN_APPEND), ==, 0);

  gnutls_hash_fast (GNUTLS_DIG_SHA256, KEY_AUTHZ, strlen (KEY_AUTHZ), digest);
  if (kind == CERT_WRONG_DIGEST)
    digest[0] ^= 1;
  if (kind != CERT_NO_EXTENSION)
    {
      g_assert_cmpint (gnutls_x509_ext_export_subject_key_id (&id, &ext), ==, 0);
      g_assert_cmpint (gnutls_x509_crt_set_extension_by_oid (crt, "1.3.6.1.5.5.7.1.31",
                                                             ext.data, ext.size,
                                                             kind != CERT_NOT_CRITICAL), ==, 0);
      gnutls_free (ext.data);
    }

  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_pem), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem), ==, 0);
  both = g_strdup_printf ("%.*s%.*s", (int)cert_pem.size, cert_pem.data,
                          (int)key_pem.size, key_pem.data);
  certificate = g_tls_certificate_new_from_pem (both, -1, NULL);
  g_assert_nonnull (certificate);

  gnutls_free (cert_pem.data);
  gnutls_free (key_pem.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
  return certificate;
}

static void
listen_on (Fixture    *fixture,
           const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (inet, 80);
  g_autoptr(GError) error = NULL;

  soup_server_listen (fixture->http, socket_address, 0, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (TLS_ADDRESS);
  g_autoptr(GSocketAddress) tls_address = g_inet_socket_address_new (inet, 443);
  g_autoptr(GError) error = NULL;

  fixture->status = SOUP_STATUS_OK;
  fixture->body = KEY_AUTHZ;
  fixture->advertise_acme = TRUE;
  fixture->stalled = g_ptr_array_new_with_free_func (g_object_unref);

  fixture->http = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->http, "/.well-known/acme-challenge", challenge_cb, fixture,
                           NULL);
  listen_on (fixture, HTTP_ADDRESS);
  listen_on (fixture, OTHER_ADDRESS);
  listen_on (fixture, "127.0.0.1");
  /* Not on ::1: "localhost" resolves to ::1 first, which refuses, and
   * the validator goes on to 127.0.0.1. */

  fixture->tls = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (fixture->tls), tls_address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->tls, "incoming", G_CALLBACK (incoming_cb), fixture);
  fixture->certificate = make_certificate ("ip", TLS_ADDRESS, CERT_GOOD);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 0; i < fixture->stalled->len; i++)
    soup_server_message_unpause (g_ptr_array_index (fixture->stalled, i));
  g_clear_pointer (&fixture->stalled, g_ptr_array_unref);
  soup_server_disconnect (fixture->http);
  g_clear_object (&fixture->http);
  g_socket_service_stop (fixture->tls);
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->tls));
  g_clear_object (&fixture->tls);
  g_clear_object (&fixture->certificate);
}

static void
validate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  if (vouch_acme_validator_validate_finish (VOUCH_ACME_VALIDATOR (object), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");
}

/* Runs one validation to its end. Returns NULL when it succeeded. */
static GError *
validate_with (gboolean    allow_loopback,
               guint       timeout,
               const char *type,
               const char *identifier_type,
               const char *identifier_value,
               const char *key_authorization)
{
  g_autoptr(VouchAcmeNetworkValidator) validator = NULL;
  GError *error = NULL;

  validator = vouch_acme_network_validator_new (NULL, allow_loopback);
  vouch_acme_network_validator_set_timeout (validator, timeout);
  vouch_acme_validator_validate_async (VOUCH_ACME_VALIDATOR (validator), type, identifier_type,
                                       identifier_value, TOKEN, key_authorization, NULL,
                                       validate_cb, &error);
  /* The validator's own deadline bounds this loop. */
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_clear_error (&error);
  return error;
}

static GError *
validate (const char *type,
          const char *identifier_type,
          const char *identifier_value)
{
  return validate_with (TRUE, 5, type, identifier_type, identifier_value, KEY_AUTHZ);
}

static void
assert_problem (GError         *error,
                VouchAcmeError  code)
{
  g_assert_error (error, VOUCH_ACME_ERROR, (int)code);
  g_test_message ("%s", error->message);
  g_error_free (error);
}

static void
test_http_good (Fixture       *fixture,
                gconstpointer  data)
{
  g_assert_no_error (validate ("http-01", "ip", HTTP_ADDRESS));
  fixture->body = KEY_AUTHZ "\r\n";
  g_assert_no_error (validate ("http-01", "dns", "localhost"));
  g_assert_cmpuint (fixture->hits, ==, 2);
}

static void
test_http_wrong_key_authorization (Fixture       *fixture,
                                   gconstpointer  data)
{
  fixture->body = TOKEN ".somebody-elses-thumbprint";
  assert_problem (validate ("http-01", "ip", HTTP_ADDRESS),
                  VOUCH_ACME_ERROR_INCORRECT_RESPONSE);
  /* Whitespace is ignored only at the end. */
  fixture->body = " " KEY_AUTHZ;
  assert_problem (validate ("http-01", "ip", HTTP_ADDRESS),
                  VOUCH_ACME_ERROR_INCORRECT_RESPONSE);
  fixture->status = SOUP_STATUS_NOT_FOUND;
  assert_problem (validate ("http-01", "ip", HTTP_ADDRESS),
                  VOUCH_ACME_ERROR_INCORRECT_RESPONSE);
}

static void
test_http_redirects (Fixture       *fixture,
                     gconstpointer  data)
{
  /* To the same host: followed, until the limit. */
  fixture->location = "http://" HTTP_ADDRESS "/.well-known/acme-challenge/" TOKEN;
  assert_problem (validate ("http-01", "ip", HTTP_ADDRESS), VOUCH_ACME_ERROR_CONNECTION);
  g_assert_cmpuint (fixture->hits, ==, 1 + 3);

  /* To another host, even a permitted one: refused before connecting. */
  fixture->hits = 0;
  fixture->location = "http://" OTHER_ADDRESS "/x";
  assert_problem (validate ("http-01", "ip", HTTP_ADDRESS), VOUCH_ACME_ERROR_CONNECTION);
  g_assert_cmpuint (fixture->hits, ==, 1);

  fixture->hits = 0;
  fixture->location = "http://" HTTP_ADDRESS ":8080/x";
  assert_problem (validate ("http-01", "ip", HTTP_ADDRESS), VOUCH_ACME_ERROR_CONNECTION);
  fixture->location = "https://" HTTP_ADDRESS "/x";
  assert_problem (validate ("http-01", "ip", HTTP_ADDRESS), VOUCH_ACME_ERROR_CONNECTION);
  g_assert_cmpuint (fixture->hits, ==, 2);
}

static void
test_refused_addresses (Fixture       *fixture,
                        gconstpointer  data)
{
  /* Loopback without the option, a public address, a public name, and
   * a name that resolves to loopback: no connection is ever made. */
  assert_problem (validate_with (FALSE, 5, "http-01", "ip", HTTP_ADDRESS, KEY_AUTHZ),
                  VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  assert_problem (validate_with (FALSE, 5, "http-01", "dns", "localhost", KEY_AUTHZ),
                  VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  assert_problem (validate_with (FALSE, 5, "tls-alpn-01", "ip", TLS_ADDRESS, KEY_AUTHZ),
                  VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  assert_problem (validate ("http-01", "ip", "203.0.113.7"), VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  assert_problem (validate ("http-01", "ip", "::ffff:8.8.8.8"),
                  VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  assert_problem (validate ("http-01", "ip", "224.0.0.251"), VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  assert_problem (validate ("http-01", "ip", "not-an-address"), VOUCH_ACME_ERROR_MALFORMED);
  g_assert_cmpuint (fixture->hits, ==, 0);
}

static void
test_names_that_do_not_resolve (Fixture       *fixture,
                                gconstpointer  data)
{
  /* No avahi-daemon and no DNS in this namespace. */
  assert_problem (validate ("http-01", "dns", "printer.local"), VOUCH_ACME_ERROR_DNS);
  assert_problem (validate ("http-01", "dns", "nas.home.arpa"), VOUCH_ACME_ERROR_DNS);
  assert_problem (validate ("http-01", "dns", "bad..name"), VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
}

static void
test_http_oversize (Fixture       *fixture,
                    gconstpointer  data)
{
  fixture->repeat = 1024 * 1024;
  assert_problem (validate ("http-01", "ip", HTTP_ADDRESS),
                  VOUCH_ACME_ERROR_INCORRECT_RESPONSE);
}

static void
test_http_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  fixture->stall = TRUE;
  assert_problem (validate_with (TRUE, 1, "http-01", "ip", HTTP_ADDRESS, KEY_AUTHZ),
                  VOUCH_ACME_ERROR_CONNECTION);
}

static void
test_tls_alpn_good (Fixture       *fixture,
                    gconstpointer  data)
{
  g_assert_no_error (validate ("tls-alpn-01", "ip", TLS_ADDRESS));
}

static void
test_tls_alpn_bad (Fixture       *fixture,
                   gconstpointer  data)
{
  static const CertKind kinds[] = {
    CERT_WRONG_DIGEST, CERT_NOT_CRITICAL, CERT_TWO_NAMES, CERT_NO_EXTENSION,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_clear_object (&fixture->certificate);
      fixture->certificate = make_certificate ("ip", TLS_ADDRESS, kinds[i]);
      assert_problem (validate ("tls-alpn-01", "ip", TLS_ADDRESS),
                      VOUCH_ACME_ERROR_INCORRECT_RESPONSE);
    }

  /* A certificate for another name. */
  g_clear_object (&fixture->certificate);
  fixture->certificate = make_certificate ("dns", "other.lan", CERT_GOOD);
  assert_problem (validate ("tls-alpn-01", "ip", TLS_ADDRESS),
                  VOUCH_ACME_ERROR_INCORRECT_RESPONSE);

  /* A server that does not speak acme-tls/1. */
  g_clear_object (&fixture->certificate);
  fixture->certificate = make_certificate ("ip", TLS_ADDRESS, CERT_GOOD);
  fixture->advertise_acme = FALSE;
  assert_problem (validate ("tls-alpn-01", "ip", TLS_ADDRESS), VOUCH_ACME_ERROR_TLS);

  /* Nobody listening on 443 there. */
  assert_problem (validate ("tls-alpn-01", "ip", HTTP_ADDRESS), VOUCH_ACME_ERROR_CONNECTION);
}

static void
test_bad_requests (Fixture       *fixture,
                   gconstpointer  data)
{
  assert_problem (validate ("dns-01", "dns", "localhost"), VOUCH_ACME_ERROR_MALFORMED);
  assert_problem (validate ("http-01", "email", "a@b"),
                  VOUCH_ACME_ERROR_UNSUPPORTED_IDENTIFIER);
  g_assert_cmpuint (fixture->hits, ==, 0);
}

/* Publishes NAME → ADDRESS on the private avahi-daemon, as a device
 * announces itself. */
static GSubprocess *
publish (const char *name,
         const char *address)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "avahi-publish", "--address", "--no-reverse", name, address,
                              NULL);
  g_assert_no_error (error);
  return process;
}

static void
stop (GSubprocess *process)
{
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  g_object_unref (process);
}

static void
test_mdns (Fixture       *fixture,
           gconstpointer  data)
{
  GSubprocess *nas = publish ("nas-acme.local", HTTP_ADDRESS);
  GSubprocess *public = publish ("public-acme.local", "203.0.113.9");
  GError *error = NULL;

  /* Publishing takes a moment (probing); ask a bounded number of times. */
  for (guint i = 0; i < 20; i++)
    {
      g_clear_error (&error);
      error = validate ("http-01", "dns", "nas-acme.local");
      if (error == NULL)
        break;
      g_test_message ("%s", error->message);
      g_usleep (G_USEC_PER_SEC / 2);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->hits, ==, 1);

  /* A .local name that points outside the permitted ranges. */
  for (guint i = 0; i < 20; i++)
    {
      g_clear_error (&error);
      error = validate ("http-01", "dns", "public-acme.local");
      if (!g_error_matches (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_DNS))
        break;
      g_usleep (G_USEC_PER_SEC / 2);
    }
  assert_problem (error, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  g_assert_cmpuint (fixture->hits, ==, 1);

  stop (nas);
  stop (public);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("VOUCH_PRIVATE_LAN") == NULL)
    {
      g_test_skip ("needs tools/private-lan");
      return g_test_run ();
    }

  /* The same program runs again beside a private avahi-daemon, for
   * `.local` names; then only that test. */
  if (g_getenv ("VOUCH_AVAHI_CONF") != NULL)
    {
      g_test_add ("/acme-validator/mdns", Fixture, NULL, fixture_setup, test_mdns,
                  fixture_teardown);
      return g_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/acme-validator/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("http/good", test_http_good);
  ADD ("http/wrong-key-authorization", test_http_wrong_key_authorization);
  ADD ("http/redirects", test_http_redirects);
  ADD ("http/oversize", test_http_oversize);
  ADD ("http/timeout", test_http_timeout);
  ADD ("refused-addresses", test_refused_addresses);
  ADD ("names-that-do-not-resolve", test_names_that_do_not_resolve);
  ADD ("tls-alpn/good", test_tls_alpn_good);
  ADD ("tls-alpn/bad", test_tls_alpn_bad);
  ADD ("bad-requests", test_bad_requests);
#undef ADD

  return g_test_run ();
}
