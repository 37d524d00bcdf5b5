/* hostile-device.c: a device that misbehaves on purpose, for hardening tests
 *
 *   hostile-device --mode MODE --state-dir DIR [--address 127.0.0.x]
 *                  [--hostname HOST] [--admin-token TOKEN] [--honest N]
 *
 * It lays out DIR like vouch-agent (device-id, setup-code) and prints
 * "port: N" first, so tests start it the way they start a real agent. The
 * first N (default 1) GET /info requests are answered honestly, so Vouch
 * can verify the device by its setup code; after that the device misbehaves
 * at the step its mode targets.
 *
 * This is a deliberately broken test peer, never product code. It speaks
 * HTTP/1.1 by hand over GTlsServerConnection, one request per connection,
 * because several modes need control of every byte (headers trickled one a
 * second, a body that never ends, a connection cut mid-request) and of the
 * certificate each handshake presents, which an HTTP library rightly does
 * not offer. Every loop here is bounded in count and in time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-agent-crypto-private.h"
#include "vouch-error.h"
#include "vouch-setup-code.h"
#include "vouch-test-util.h"
#include "vouch-util.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADER_LINES 100
#define MAX_REQUEST_BODY (1024 * 1024)
#define HUGE_BODY (100 * 1024 * 1024)
#define SLOW_BYTES_MAX 600
#define STREAM_SECONDS_MAX 120
#define DEEP_JSON_DEPTH 30000
#define IO_TIMEOUT_SECONDS 30

typedef enum
{
  MODE_HUGE_BODY,
  MODE_HUGE_DECLARED,
  MODE_SLOWLORIS,
  MODE_ENDLESS_CHUNKED,
  MODE_REDIRECT,
  MODE_BAD_JSON,
  MODE_DEEP_JSON,
  MODE_OTHER_KEY_CSR,
  MODE_FORGED_CSR,
  MODE_KEY_CHANGE,
  MODE_WRONG_NONCE,
  MODE_WRONG_CHALLENGE,
  MODE_ERROR_LOOP,
  MODE_UNAUTHORIZED,
  MODE_DROP_MID_PUSH,
  MODE_CA_CSR,
  MODE_OUTSIDE_CSR,
  MODE_NO_CONFIRM,
  MODE_WRONG_ID,
} Mode;

static const char * const mode_names[] = {
  "huge-body", "huge-declared", "slowloris", "endless-chunked", "redirect", "bad-json",
  "deep-json", "other-key-csr", "forged-csr", "key-change", "wrong-nonce", "wrong-challenge",
  "error-loop", "unauthorized", "drop-mid-push", "ca-csr", "outside-csr", "no-confirm",
  "wrong-id",
};

static Mode mode;
static char *device_id;
static char *host_name;
static char *address;
static char *admin_token;
static int honest = 1;

/* The identity the setup code commits to, and a second key for the
 * key-change mode. */
static gnutls_x509_privkey_t identity_key;
static GTlsCertificate *identity_cert;
static GTlsCertificate *other_cert;

static GMutex lock;
static int infos_served;
static int errors_sent;

static gboolean
misbehaving (void)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  return infos_served >= honest;
}

static GTlsCertificate *
make_certificate (gnutls_x509_privkey_t key)
{
  const char *names[] = { host_name, address, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *crt = _vouch_agent_self_signed_pem (key, host_name, names, &error);
  g_autofree char *key_pem = NULL;
  g_autofree char *both = NULL;
  GTlsCertificate *cert;

  g_assert_no_error (error);
  key_pem = _vouch_agent_key_export_pem (key, &error);
  g_assert_no_error (error);
  both = g_strconcat (crt, key_pem, NULL);
  cert = g_tls_certificate_new_from_pem (both, -1, &error);
  g_assert_no_error (error);
  return cert;
}

static gnutls_pubkey_t
pubkey_of (gnutls_x509_privkey_t key)
{
  g_auto(gnutls_privkey_t) priv = NULL;
  gnutls_pubkey_t pub = NULL;

  gnutls_privkey_init (&priv);
  gnutls_pubkey_init (&pub);
  g_assert_cmpint (gnutls_privkey_import_x509 (priv, key, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_privkey (pub, priv, 0, 0), ==, 0);
  return pub;
}

static char *
spki_of (gnutls_x509_privkey_t key)
{
  g_auto(gnutls_pubkey_t) pub = pubkey_of (key);

  return vouch_pubkey_spki_sha256_hex (pub, NULL);
}

static void
write_state (const char *dir)
{
  g_auto(gnutls_pubkey_t) pub = pubkey_of (identity_key);
  g_autofree char *code = NULL;
  g_autofree char *compact = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  code = vouch_setup_code_from_pubkey (pub, &error);
  g_assert_no_error (error);
  compact = vouch_setup_code_normalize (code, &error);
  g_assert_no_error (error);
  qr = vouch_setup_code_make_qr_payload (compact, device_id, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("%s\n%s\n", code, qr != NULL ? qr : "");
  path = g_build_filename (dir, "setup-code", NULL);
  g_assert_true (vouch_write_file_atomic (path, text, strlen (text), 0644, &error));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "device-id", NULL);
  g_assert_true (vouch_write_file_atomic (path, device_id, strlen (device_id), 0644, &error));
}

/* --- responses ---------------------------------------------------------- */

static gboolean
send_all (GOutputStream *out,
          const void    *data,
          gsize          len)
{
  return g_output_stream_write_all (out, data, len, NULL, NULL, NULL);
}

static void
respond (GOutputStream *out,
         guint          status,
         const char    *reason,
         const char    *extra_headers,
         const char    *body)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Cache-Control: no-store\r\n"
                                           "Content-Length: %zu\r\n"
                                           "Connection: close\r\n"
                                           "%s\r\n",
                                           status, reason, strlen (body),
                                           extra_headers != NULL ? extra_headers : "");

  if (send_all (out, head, strlen (head)))
    send_all (out, body, strlen (body));
}

static void
respond_node (GOutputStream *out,
              JsonNode      *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  respond (out, 200, "OK", NULL, text);
  json_node_unref (node);
}

static JsonNode *
info_node (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "api_version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "device_id");
  /* wrong-id answers, over TLS, with an id other than the one it announced. */
  json_builder_add_string_value (b, mode == MODE_WRONG_ID ? "ffffffffffffffff" : device_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, host_name);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, mode_names[mode]);
  json_builder_set_member_name (b, "firmware");
  json_builder_add_string_value (b, "hostile-device 1");
  json_builder_set_member_name (b, "host_name");
  json_builder_add_string_value (b, host_name);
  json_builder_set_member_name (b, "addresses");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, address);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "identity");
  json_builder_add_string_value (b, "self-signed");
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, "new");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
respond_problem (GOutputStream *out,
                 guint          status,
                 const char    *reason,
                 const char    *extra_headers)
{
  g_autofree char *body = g_strdup_printf ("{\"type\":\"about:blank\",\"title\":\"%s\","
                                           "\"status\":%u,\"detail\":\"hostile device\"}",
                                           reason, status);

  respond (out, status, reason, extra_headers, body);
}

static char *
random_nonce (void)
{
  guint8 raw[32];

  g_assert_cmpint (gnutls_rnd (GNUTLS_RND_NONCE, raw, sizeof raw), ==, 0);
  return g_base64_encode (raw, sizeof raw);
}

/* A CSR for @key's public key, signed by @signer (normally the same key). */
static char *
make_csr (gnutls_x509_privkey_t  key,
          gnutls_x509_privkey_t  signer,
          const char            *challenge,
          const char * const    *names)
{
  g_autoptr(GError) error = NULL;
  g_auto(gnutls_x509_crq_t) crq = NULL;
  g_auto(gnutls_privkey_t) priv = NULL;
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  if (signer == key)
    {
      pem = _vouch_agent_csr_create (key, GNUTLS_DIG_SHA256, challenge, names, &error);
      g_assert_no_error (error);
      return pem;
    }

  /* The request names @key but the signature is @signer's: a device that
   * claims a key it cannot prove it holds. */
  gnutls_x509_crq_init (&crq);
  gnutls_privkey_init (&priv);
  g_assert_cmpint (gnutls_x509_crq_set_version (crq, 1), >=, 0);
  g_assert_cmpint (gnutls_x509_crq_set_dn_by_oid (crq, GNUTLS_OID_X520_COMMON_NAME, 0, names[0],
                                                  strlen (names[0])), >=, 0);
  g_assert_cmpint (gnutls_x509_crq_set_challenge_password (crq, challenge), >=, 0);
  g_assert_cmpint (gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_DNSNAME, names[0],
                                                         strlen (names[0]), GNUTLS_FSAN_APPEND),
                   >=, 0);
  g_assert_cmpint (gnutls_x509_crq_set_key (crq, signer), >=, 0);
  g_assert_cmpint (gnutls_privkey_import_x509 (priv, signer, 0), >=, 0);
  g_assert_cmpint (gnutls_x509_crq_privkey_sign (crq, priv, GNUTLS_DIG_SHA256, 0), >=, 0);
  /* Now swap in the claimed key: the signature no longer matches it. */
  g_assert_cmpint (gnutls_x509_crq_set_key (crq, key), >=, 0);
  g_assert_cmpint (gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_PEM, &out), >=, 0);
  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

static void
handle_csr (GOutputStream *out,
            JsonObject    *body)
{
  const char *nonce = json_object_get_string_member_with_default (body, "nonce", "");
  const char *key_choice = json_object_get_string_member_with_default (body, "key", "new");
  gboolean current = g_strcmp0 (key_choice, "current") == 0;
  g_autofree char *other_nonce = random_nonce ();
  const char *names[] = { host_name, address, NULL };
  const char *outside[] = { "www.example.com", NULL };
  const char *echoed = nonce;
  g_autofree char *csr = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(gnutls_x509_privkey_t) fresh = NULL;
  g_autoptr(GError) error = NULL;

  fresh = _vouch_agent_key_generate (VOUCH_KEY_TYPE_ECDSA_P256, &error);
  g_assert_no_error (error);

  switch (mode)
    {
    case MODE_OTHER_KEY_CSR:
      /* Asked to keep its TLS key, it sends a CSR for another key. (Asked
       * for a new key, any key it proves it holds is fine.) */
      csr = make_csr (fresh, fresh, nonce, names);
      break;

    case MODE_FORGED_CSR:
      csr = make_csr (current ? identity_key : fresh, current ? fresh : identity_key, nonce, names);
      break;

    case MODE_WRONG_NONCE:
      echoed = other_nonce;
      csr = make_csr (current ? identity_key : fresh, current ? identity_key : fresh, nonce, names);
      break;

    case MODE_WRONG_CHALLENGE:
      csr = make_csr (current ? identity_key : fresh, current ? identity_key : fresh, other_nonce,
                      names);
      break;

    case MODE_CA_CSR:
      {
        TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = host_name,
                             .dns_names = (const char * const[]){ host_name, NULL },
                             .challenge = nonce, .ask_ca = TRUE };

        csr = vouch_test_make_csr (&spec);
      }
      break;

    case MODE_OUTSIDE_CSR:
      csr = make_csr (fresh, fresh, nonce, outside);
      break;

    default:
      csr = make_csr (current ? identity_key : fresh, current ? identity_key : fresh, nonce, names);
      break;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nonce");
  json_builder_add_string_value (b, echoed);
  json_builder_set_member_name (b, "csr");
  json_builder_add_string_value (b, csr);
  json_builder_set_member_name (b, "key_type");
  json_builder_add_string_value (b, "ecdsa-p256");
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, current ? "current" : "new");
  json_builder_end_object (b);
  respond_node (out, json_builder_get_root (b));
}

/* A body of @total bytes (or until Vouch hangs up, or two minutes pass),
 * after a head that either declares its length or does not. */
static void
stream_body (GOutputStream *out,
             gboolean       declare,
             gboolean       chunked)
{
  static char block[64 * 1024];
  g_autofree char *head = NULL;
  gint64 end = g_get_monotonic_time () + STREAM_SECONDS_MAX * G_USEC_PER_SEC;
  gsize sent = 0;

  memset (block, ' ', sizeof block);
  block[0] = '[';
  if (chunked)
    head = g_strdup ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
  else if (declare)
    head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            "Content-Length: %d\r\n\r\n", HUGE_BODY);
  else
    head = g_strdup ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Connection: close\r\n\r\n");
  if (!send_all (out, head, strlen (head)))
    return;

  while (sent < HUGE_BODY && g_get_monotonic_time () < end)
    {
      if (chunked)
        {
          char size[32];

          g_snprintf (size, sizeof size, "%zx\r\n", sizeof block);
          if (!send_all (out, size, strlen (size)) || !send_all (out, block, sizeof block) ||
              !send_all (out, "\r\n", 2))
            return;
        }
      else if (!send_all (out, block, sizeof block))
        return;
      sent += sizeof block;
      block[0] = ' ';
    }
}

/* The status line and headers, one byte a second. */
static void
trickle (GOutputStream *out)
{
  const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Content-Length: 2\r\nX-Padding: ";

  for (guint i = 0; i < SLOW_BYTES_MAX; i++)
    {
      char c = i < strlen (head) ? head[i] : 'x';

      if (!send_all (out, &c, 1))
        return;
      g_usleep (G_USEC_PER_SEC);
    }
}

static void
deep_json (GOutputStream *out)
{
  g_autofree char *body = g_malloc (2 * DEEP_JSON_DEPTH + 1);

  memset (body, '[', DEEP_JSON_DEPTH);
  memset (body + DEEP_JSON_DEPTH, ']', DEEP_JSON_DEPTH);
  body[2 * DEEP_JSON_DEPTH] = '\0';
  respond (out, 200, "OK", NULL, body);
}

/* --- requests ----------------------------------------------------------- */

typedef struct
{
  char    *method;
  char    *path;
  char    *authorization;
  gsize    content_length;
} Request;

static void
request_clear (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->authorization);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Request, request_clear)

static gboolean
read_head (GDataInputStream *in,
           Request          *request)
{
  g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);
  g_auto(GStrv) parts = NULL;

  if (line == NULL)
    return FALSE;
  g_strchomp (line);
  parts = g_strsplit (line, " ", 3);
  if (g_strv_length (parts) != 3)
    return FALSE;
  request->method = g_strdup (parts[0]);
  request->path = g_strdup (parts[1]);

  for (guint i = 0; i < MAX_HEADER_LINES; i++)
    {
      g_autofree char *header = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);
      char *colon;

      if (header == NULL)
        return FALSE;
      g_strchomp (header);
      if (*header == '\0')
        return TRUE;
      colon = strchr (header, ':');
      if (colon == NULL)
        continue;
      *colon = '\0';
      if (g_ascii_strcasecmp (header, "Content-Length") == 0)
        request->content_length = (gsize)g_ascii_strtoull (g_strstrip (colon + 1), NULL, 10);
      else if (g_ascii_strcasecmp (header, "Authorization") == 0)
        request->authorization = g_strdup (g_strstrip (colon + 1));
    }

  return FALSE;
}

static void
serve (GIOStream *stream)
{
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_auto(Request) request = { 0 };
  g_autofree char *body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *expected_auth = g_strconcat ("Bearer ", admin_token, NULL);
  gboolean is_info, is_csr, is_cert;
  gsize got = 0;

  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  if (!read_head (in, &request))
    return;

  is_info = g_str_equal (request.path, "/vouch/v1/info");
  is_csr = g_str_equal (request.path, "/vouch/v1/csr");
  is_cert = g_str_equal (request.path, "/vouch/v1/certificate");

  if (mode == MODE_DROP_MID_PUSH && is_cert)
    {
      char part[256];

      /* Take a little of the chain, then hang up without a word. */
      g_input_stream_read (G_INPUT_STREAM (in), part, MIN (sizeof part, request.content_length),
                           NULL, NULL);
      g_io_stream_close (stream, NULL, NULL);
      return;
    }

  if (request.content_length > MAX_REQUEST_BODY)
    {
      respond_problem (out, 413, "Payload Too Large", NULL);
      return;
    }
  body = g_malloc0 (request.content_length + 1);
  if (request.content_length > 0 &&
      !g_input_stream_read_all (G_INPUT_STREAM (in), body, request.content_length, &got, NULL,
                                NULL))
    return;

  if (is_info && g_str_equal (request.method, "GET") && !misbehaving ())
    {
      g_mutex_lock (&lock);
      infos_served++;
      g_mutex_unlock (&lock);
      respond_node (out, info_node ());
      return;
    }

  if (misbehaving ())
    {
      switch (mode)
        {
        case MODE_HUGE_BODY:
          stream_body (out, FALSE, FALSE);
          return;
        case MODE_HUGE_DECLARED:
          stream_body (out, TRUE, FALSE);
          return;
        case MODE_ENDLESS_CHUNKED:
          stream_body (out, FALSE, TRUE);
          return;
        case MODE_SLOWLORIS:
          trickle (out);
          return;
        case MODE_REDIRECT:
          respond (out, 302, "Found", "Location: https://127.0.0.250/vouch/v1/csr\r\n", "");
          return;
        case MODE_BAD_JSON:
          respond (out, 200, "OK", NULL, "{\"nonce\": \"AAAA\", \"csr\": \"-----BEGIN CERT\x01");
          return;
        case MODE_DEEP_JSON:
          deep_json (out);
          return;
        case MODE_ERROR_LOOP:
          if (g_atomic_int_add (&errors_sent, 1) % 2 == 0)
            respond_problem (out, 503, "Service Unavailable", "Retry-After: 0\r\n");
          else
            respond_problem (out, 500, "Internal Server Error", NULL);
          return;
        case MODE_UNAUTHORIZED:
          respond_problem (out, 401, "Unauthorized", "WWW-Authenticate: Bearer realm=\"vouch\"\r\n");
          return;
        default:
          break;
        }
    }

  if (is_info)
    {
      respond_node (out, info_node ());
      return;
    }

  if (!is_csr && !is_cert)
    {
      respond_problem (out, 404, "Not Found", NULL);
      return;
    }

  if (g_strcmp0 (request.authorization, expected_auth) != 0)
    {
      respond_problem (out, 401, "Unauthorized", "WWW-Authenticate: Bearer realm=\"vouch\"\r\n");
      return;
    }

  if (!json_parser_load_from_data (parser, body, (gssize)got, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_problem (out, 400, "Bad Request", NULL);
      return;
    }

  if (is_csr)
    {
      handle_csr (out, json_node_get_object (json_parser_get_root (parser)));
      return;
    }

  /* PUT /certificate. Every mode that gets this far "installs" nothing and
   * keeps presenting its identity certificate, so only a mode that
   * reaches here by design (no-confirm) lets Vouch see it. */
  respond (out, 200, "OK", NULL, "{\"state\":\"enrolled\"}");
}

static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  g_autoptr(GIOStream) tls = NULL;
  GTlsCertificate *cert = identity_cert;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), IO_TIMEOUT_SECONDS);

  /* After verification, a different key on every new handshake. */
  if (mode == MODE_KEY_CHANGE && misbehaving ())
    cert = other_cert;

  tls = g_tls_server_connection_new (G_IO_STREAM (connection), cert, NULL);
  if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
    return TRUE;

  serve (tls);
  g_io_stream_close (tls, NULL, NULL);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *mode_name = NULL;
  g_autofree char *state_dir = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) wanted = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(gnutls_x509_privkey_t) other_key = NULL;
  g_autofree char *spki = NULL;
  gboolean found = FALSE;
  const GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_name, "How to misbehave", "MODE" },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "Where to write setup-code", "DIR" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, "Loopback address", "ADDRESS" },
    { "hostname", 0, 0, G_OPTION_ARG_STRING, &host_name, "Host name", "HOST" },
    { "admin-token", 0, 0, G_OPTION_ARG_STRING, &admin_token, "Admin token", "TOKEN" },
    { "honest", 0, 0, G_OPTION_ARG_INT, &honest, "Honest /info answers first", "N" },
    { NULL }
  };

  context = g_option_context_new ("- a misbehaving Vouch device for tests");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  for (guint i = 0; mode_name != NULL && i < G_N_ELEMENTS (mode_names); i++)
    if (g_str_equal (mode_name, mode_names[i]))
      {
        mode = (Mode)i;
        found = TRUE;
      }
  if (!found || state_dir == NULL)
    {
      g_printerr ("usage: hostile-device --mode MODE --state-dir DIR\n");
      return 2;
    }
  if (address == NULL)
    address = g_strdup ("127.0.0.1");
  if (host_name == NULL)
    host_name = g_strdup_printf ("%s.local", mode_name);
  if (admin_token == NULL)
    admin_token = g_strdup ("test-admin-token-0123456789");

  /* Only ever a loopback address: this peer must never face a real LAN. */
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL || !g_inet_address_get_is_loopback (inet))
    {
      g_printerr ("hostile-device binds only 127.0.0.0/8\n");
      return 2;
    }

  identity_key = _vouch_agent_key_generate (VOUCH_KEY_TYPE_ECDSA_P256, &error);
  g_assert_no_error (error);
  other_key = _vouch_agent_key_generate (VOUCH_KEY_TYPE_ECDSA_P256, &error);
  g_assert_no_error (error);
  identity_cert = make_certificate (identity_key);
  other_cert = make_certificate (other_key);
  spki = spki_of (identity_key);
  device_id = g_strndup (spki, 16);
  write_state (state_dir);

  service = g_threaded_socket_service_new (16);
  wanted = g_inet_socket_address_new (inet, 0);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), wanted, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_signal_connect (service, "run", G_CALLBACK (run_cb), NULL);
  g_socket_service_start (service);

  g_print ("port: %u\n", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);
  return 0;
}
