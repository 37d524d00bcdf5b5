/* device-kit.c: what the makers' test devices share (see device-kit.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "device-kit.h"

#include "vouch-agent-crypto-private.h"
#include "vouch-util.h"

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/error.h>
#include <avahi-glib/glib-watch.h>
#include <gnutls/abstract.h>
#include <libgssdp/gssdp.h>
#include <stdio.h>
#include <string.h>

/* A device whose restart never ends is still bounded: it comes back
 * after this long at most. */
#define MAX_SECONDS_AWAY 600
#define MAX_BODY (256 * 1024)

/**
 * device_kit_new:
 * @program: the program's name, for --help
 * @default_user: the maker's usual administrator name
 * @extra: (nullable): the device's own options
 *
 * Parses the options every test device takes: --state-dir, --address,
 * --hostname, --user, --password (--admin-token is the same, so
 * tests/agent's helpers start these devices as they start vouch-agent)
 * and --misbehave.  Only loopback addresses are accepted.
 */
DeviceKit *
device_kit_new (const char          *program,
                const char          *default_user,
                const GOptionEntry  *extra,
                int                 *argc,
                char              ***argv)
{
  DeviceKit *kit = g_new0 (DeviceKit, 1);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  char *admin_token = NULL;
  int port = 0;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &kit->state_dir, "Where to write the fingerprint", "DIR" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &kit->address, "Loopback address", "ADDRESS" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port (0: any)", "PORT" },
    { "hostname", 0, 0, G_OPTION_ARG_STRING, &kit->host_name, "Host name", "HOST" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &kit->user, "Administrator's name", "NAME" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &kit->password, "Administrator's password", "PASSWORD" },
    { "admin-token", 0, 0, G_OPTION_ARG_STRING, &admin_token, "Same as --password", "PASSWORD" },
    { "misbehave", 0, 0, G_OPTION_ARG_STRING, &kit->misbehave, "How to misbehave", "HOW" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, program);
  g_option_context_add_main_entries (context, entries, NULL);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", program, error->message);
      exit (2);
    }

  if (kit->address == NULL)
    kit->address = g_strdup ("127.0.0.1");
  /* Only ever a loopback address: a test device must never face a real LAN. */
  inet = g_inet_address_new_from_string (kit->address);
  if (inet == NULL || !g_inet_address_get_is_loopback (inet))
    {
      g_printerr ("%s binds only 127.0.0.0/8\n", program);
      exit (2);
    }
  if (kit->host_name == NULL)
    kit->host_name = g_strdup_printf ("%s.local", program);
  if (kit->user == NULL)
    kit->user = g_strdup (default_user);
  if (kit->password == NULL)
    kit->password = admin_token != NULL ? admin_token : g_strdup ("password");
  else
    g_free (admin_token);
  if (kit->misbehave == NULL)
    kit->misbehave = g_strdup ("");
  kit->port = (guint)CLAMP (port, 0, 65535);
  kit->loop = g_main_loop_new (NULL, FALSE);
  return kit;
}

/* --misbehave takes a comma-separated list. */
gboolean
device_kit_misbehaves (DeviceKit  *kit,
                       const char *how)
{
  g_auto(GStrv) hows = g_strsplit (kit->misbehave, ",", -1);

  return g_strv_contains ((const char * const *)hows, how);
}

char *
device_kit_random_hex (gsize bytes)
{
  g_autofree guint8 *raw = g_malloc (bytes);
  GString *hex = g_string_new (NULL);

  g_assert_cmpint (gnutls_rnd (GNUTLS_RND_NONCE, raw, bytes), ==, 0);
  for (gsize i = 0; i < bytes; i++)
    g_string_append_printf (hex, "%02x", raw[i]);
  return g_string_free (hex, FALSE);
}

/* --- keys, CSRs, certificates ------------------------------------------- */

/**
 * device_kit_key_new:
 * @algorithm: "EC" or "RSA", as Redfish's KeyPairAlgorithm says it
 * @bits_or_curve: RSA's bits, or EC's curve size (256 or 384)
 */
gnutls_x509_privkey_t
device_kit_key_new (const char  *algorithm,
                    guint        bits_or_curve,
                    GError     **error)
{
  gnutls_x509_privkey_t key = NULL;
  int ret;

  gnutls_x509_privkey_init (&key);
  if (g_str_equal (algorithm, "RSA"))
    ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, bits_or_curve, 0);
  else
    ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                        GNUTLS_CURVE_TO_BITS (bits_or_curve == 384
                                                              ? GNUTLS_ECC_CURVE_SECP384R1
                                                              : GNUTLS_ECC_CURVE_SECP256R1), 0);
  if (ret < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "key generation: %s", gnutls_strerror (ret));
      gnutls_x509_privkey_deinit (key);
      return NULL;
    }
  return key;
}

static int
add_name (gnutls_x509_crq_t  crq,
          const char        *name)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (name);

  if (inet != NULL)
    return gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_IPADDRESS,
                                                 g_inet_address_to_bytes (inet),
                                                 g_inet_address_get_native_size (inet),
                                                 GNUTLS_FSAN_APPEND);
  return gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_DNSNAME, name, strlen (name),
                                               GNUTLS_FSAN_APPEND);
}

/**
 * device_kit_make_csr:
 * @subject: the subject's attributes
 * @names: (nullable): subjectAltNames (DNS names or addresses)
 *
 * Returns: (transfer full): a PKCS#10 request in PEM, signed by @key
 */
char *
device_kit_make_csr (gnutls_x509_privkey_t    key,
                     const DeviceKitSubject  *subject,
                     const char * const      *names,
                     GError                 **error)
{
  g_auto(gnutls_x509_crq_t) crq = NULL;
  g_auto(gnutls_privkey_t) priv = NULL;
  gnutls_datum_t out = { NULL, 0 };
  const struct { const char *oid; const char *value; } dn[] = {
    { GNUTLS_OID_X520_COUNTRY_NAME, subject->country },
    { GNUTLS_OID_X520_STATE_OR_PROVINCE_NAME, subject->state },
    { GNUTLS_OID_X520_LOCALITY_NAME, subject->city },
    { GNUTLS_OID_X520_ORGANIZATION_NAME, subject->organization },
    { GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, subject->organizational_unit },
    { GNUTLS_OID_X520_COMMON_NAME, subject->common_name },
    { GNUTLS_OID_PKCS9_EMAIL, subject->email },
  };
  char *pem;
  int ret = 0;

  gnutls_x509_crq_init (&crq);
  gnutls_privkey_init (&priv);
  ret = gnutls_x509_crq_set_version (crq, 1);
  for (guint i = 0; i < G_N_ELEMENTS (dn) && ret >= 0; i++)
    if (dn[i].value != NULL && dn[i].value[0] != '\0')
      ret = gnutls_x509_crq_set_dn_by_oid (crq, dn[i].oid, 0, dn[i].value, strlen (dn[i].value));
  for (guint i = 0; names != NULL && names[i] != NULL && ret >= 0; i++)
    ret = add_name (crq, names[i]);
  if (ret >= 0)
    ret = gnutls_x509_crq_set_key (crq, key);
  if (ret >= 0)
    ret = gnutls_privkey_import_x509 (priv, key, 0);
  if (ret >= 0)
    ret = gnutls_x509_crq_privkey_sign (crq, priv, GNUTLS_DIG_SHA256, 0);
  if (ret >= 0)
    ret = gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_PEM, &out);
  if (ret < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "CSR: %s", gnutls_strerror (ret));
      return NULL;
    }
  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

/**
 * device_kit_chain_fits_key:
 *
 * Whether @chain_pem parses and its first certificate is for @key, the
 * check a real device makes before it takes a certificate for a key it
 * holds.  The error says why not, as the device would.
 */
gboolean
device_kit_chain_fits_key (const char             *chain_pem,
                           gnutls_x509_privkey_t   key,
                           GError                **error)
{
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n = 0;
  guint8 want[VOUCH_SHA256_LEN];
  guint8 have[VOUCH_SHA256_LEN];
  g_autofree char *key_pem = NULL;
  gboolean ok;

  if (chain_pem == NULL || !_vouch_agent_chain_parse (chain_pem, &crts, &n, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no certificate");
      return FALSE;
    }
  key_pem = _vouch_agent_key_export_pem (key, NULL);
  ok = _vouch_agent_key_pem_spki_sha256 (key_pem, want, NULL)
       && _vouch_agent_crt_spki_sha256 (crts[0], have, NULL)
       && memcmp (want, have, sizeof want) == 0;
  _vouch_agent_chain_free (crts, n);
  _vouch_agent_wipe_free (g_steal_pointer (&key_pem));
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the certificate is not for the key of the pending request");
  return ok;
}

/**
 * device_kit_serve:
 * @chain_pem: (nullable): the chain to present, or %NULL for a new
 *   self-signed certificate for @key (a device fresh from the factory)
 *
 * From the next handshake on, HTTPS presents @key with @chain_pem.
 */
gboolean
device_kit_serve (DeviceKit              *kit,
                  gnutls_x509_privkey_t   key,
                  const char             *chain_pem,
                  GError                **error)
{
  const char *names[] = { kit->host_name, kit->address, NULL };
  g_autofree char *self_signed = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *both = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;

  if (chain_pem == NULL)
    {
      self_signed = _vouch_agent_self_signed_pem (key, kit->host_name, names, error);
      if (self_signed == NULL)
        return FALSE;
      chain_pem = self_signed;
    }
  key_pem = _vouch_agent_key_export_pem (key, error);
  if (key_pem == NULL)
    return FALSE;
  both = g_strconcat (chain_pem, "\n", key_pem, NULL);
  cert = g_tls_certificate_new_from_pem (both, -1, error);
  memset (both, 0, strlen (both));
  memset (key_pem, 0, strlen (key_pem));
  if (cert == NULL)
    return FALSE;

  if (kit->server == NULL)
    kit->server = soup_server_new ("tls-certificate", cert, "server-header", NULL, NULL);
  else
    soup_server_set_tls_certificate (kit->server, cert);
  if (kit->tls_key != key && kit->tls_key != NULL)
    gnutls_x509_privkey_deinit (kit->tls_key);
  kit->tls_key = key;
  g_free (kit->tls_chain_pem);
  kit->tls_chain_pem = g_strdup (chain_pem);
  return TRUE;
}

char *
device_kit_served_pem (DeviceKit *kit)
{
  return g_strdup (kit->tls_chain_pem);
}

/**
 * device_kit_fingerprint:
 *
 * Returns: the SHA-256 of @key's SubjectPublicKeyInfo in hex, what a
 * device shows on its screen or label for trust on first use
 */
char *
device_kit_fingerprint (gnutls_x509_privkey_t key)
{
  g_autofree char *key_pem = _vouch_agent_key_export_pem (key, NULL);
  guint8 spki[VOUCH_SHA256_LEN];
  GString *hex = g_string_new (NULL);

  g_assert_true (_vouch_agent_key_pem_spki_sha256 (key_pem, spki, NULL));
  for (gsize i = 0; i < sizeof spki; i++)
    g_string_append_printf (hex, "%02x", spki[i]);
  return g_string_free (hex, FALSE);
}

/* --- listening, restarting ---------------------------------------------- */

static void
listen_or_die (DeviceKit *kit)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (kit->address);
  g_autoptr(GSocketAddress) wanted = g_inet_socket_address_new (inet, (guint16)kit->port);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  if (!soup_server_listen (kit->server, wanted, SOUP_SERVER_LISTEN_HTTPS, &error))
    {
      g_printerr ("listen: %s\n", error->message);
      exit (1);
    }
  uris = soup_server_get_uris (kit->server);
  kit->port = (guint)g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
}

/**
 * device_kit_listen:
 *
 * Starts HTTPS, writes the state directory (fingerprint, and the same as
 * the first line of setup-code, plus device-id) and prints "port: N",
 * the line tests wait for.
 */
void
device_kit_listen (DeviceKit *kit)
{
  g_autofree char *fingerprint = device_kit_fingerprint (kit->tls_key);
  g_autoptr(GError) error = NULL;

  listen_or_die (kit);
  if (kit->state_dir != NULL)
    {
      const struct { const char *file; char *text; } files[] = {
        { "fingerprint", g_strdup_printf ("%s\n", fingerprint) },
        { "setup-code", g_strdup_printf ("%s\n\n", fingerprint) },
        { "device-id", g_strndup (fingerprint, 16) },
      };

      g_mkdir_with_parents (kit->state_dir, 0700);
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *path = g_build_filename (kit->state_dir, files[i].file, NULL);
          g_autofree char *text = files[i].text;

          if (!vouch_write_file_atomic (path, text, strlen (text), 0644, &error))
            {
              g_printerr ("%s\n", error->message);
              exit (1);
            }
        }
    }
  g_print ("port: %u\n", kit->port);
  fflush (stdout);
}

static gboolean
come_back_cb (gpointer data)
{
  DeviceKit *kit = data;

  listen_or_die (kit);
  g_message ("back on port %u", kit->port);
  return G_SOURCE_REMOVE;
}

static gboolean
go_away_cb (gpointer data)
{
  DeviceKit *kit = data;
  guint seconds = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (kit->server), "seconds-away"));

  soup_server_disconnect (kit->server);
  g_timeout_add_seconds (MIN (seconds, MAX_SECONDS_AWAY), come_back_cb, kit);
  return G_SOURCE_REMOVE;
}

/**
 * device_kit_restart:
 *
 * A moment after the current answer has gone out, the device stops
 * listening (connections are refused, as while a BMC reboots) and comes
 * back @seconds_away later on the same port, serving what
 * device_kit_serve() set last.
 */
void
device_kit_restart (DeviceKit *kit,
                    guint      seconds_away)
{
  g_object_set_data (G_OBJECT (kit->server), "seconds-away", GUINT_TO_POINTER (seconds_away));
  g_timeout_add (300, go_away_cb, kit);
}

void
device_kit_run (DeviceKit *kit)
{
  g_main_loop_run (kit->loop);
}

/* --- requests and answers ----------------------------------------------- */

gboolean
device_kit_check_credentials (DeviceKit  *kit,
                              const char *user,
                              const char *password)
{
  return user != NULL && password != NULL
         && strlen (user) == strlen (kit->user) && strlen (password) == strlen (kit->password)
         && vouch_secure_equal (user, kit->user, strlen (user))
         && vouch_secure_equal (password, kit->password, strlen (password));
}

/* Whether @msg carries the administrator's name and password as Basic. */
gboolean
device_kit_check_basic (DeviceKit         *kit,
                        SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  char *colon;

  if (auth == NULL || g_ascii_strncasecmp (auth, "Basic ", 6) != 0)
    return FALSE;
  raw = g_base64_decode (auth + 6, &len);
  text = g_strndup ((const char *)raw, len);
  colon = strchr (text, ':');
  if (colon == NULL)
    return FALSE;
  *colon = '\0';
  return device_kit_check_credentials (kit, text, colon + 1);
}

/* The request's body as a JSON object, or %NULL if it is none. */
JsonObject *
device_kit_read_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  JsonNode *root;

  if (g_bytes_get_size (bytes) == 0 || g_bytes_get_size (bytes) > MAX_BODY
      || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      (gssize)g_bytes_get_size (bytes), NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

void
device_kit_reply_text (SoupServerMessage *msg,
                       guint              status,
                       const char        *content_type,
                       const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  if (text != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

/* Answers @node (taken) as JSON with @status. */
void
device_kit_reply (SoupServerMessage *msg,
                  guint              status,
                  JsonNode          *node)
{
  g_autofree char *text = node != NULL ? json_to_string (node, FALSE) : NULL;

  device_kit_reply_text (msg, status, "application/json", text);
  if (node != NULL)
    json_node_unref (node);
}

/* --- announcing --------------------------------------------------------- */

/**
 * device_kit_announce_ssdp:
 * @target: the search target, e.g. Redfish's urn:dmtf-org:service:redfish-rest:1
 * @path: the path of the service the announcement points at
 *
 * Announces the device over SSDP on the loopback interface (the only one
 * in the private LAN), with the location in both LOCATION and Redfish's
 * AL header.  The objects live as long as the process.
 */
void
device_kit_announce_ssdp (DeviceKit  *kit,
                          const char *target,
                          const char *uuid,
                          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = g_strdup_printf ("https://%s:%u%s", kit->address, kit->port, path);
  g_autofree char *usn = g_strdup_printf ("uuid:%s::%s", uuid, target);
  GSSDPClient *client;
  GSSDPResourceGroup *group;

  client = gssdp_client_new_full ("lo", NULL, 0, GSSDP_UDA_VERSION_1_0, &error);
  if (client == NULL)
    {
      g_printerr ("SSDP: %s\n", error->message);
      exit (1);
    }
  gssdp_client_append_header (client, "AL", location);
  group = gssdp_resource_group_new (client);
  gssdp_resource_group_add_resource_simple (group, target, usn, location);
  gssdp_resource_group_set_available (group, TRUE);
}

static void
entry_group_cb (AvahiEntryGroup      *group,
                AvahiEntryGroupState  state,
                gpointer              data)
{
  if (state == AVAHI_ENTRY_GROUP_COLLISION || state == AVAHI_ENTRY_GROUP_FAILURE)
    g_printerr ("DNS-SD: could not publish (%d)\n", state);
}

typedef struct
{
  DeviceKit *kit;
  char      *type;
  GStrv      txt;
} Announcement;

static void
client_cb (AvahiClient      *client,
           AvahiClientState  state,
           gpointer          data)
{
  Announcement *a = data;
  AvahiEntryGroup *group;
  AvahiStringList *txt = NULL;
  AvahiAddress address;
  g_autofree char *name = NULL;
  int ret;

  if (state != AVAHI_CLIENT_S_RUNNING)
    return;
  group = avahi_entry_group_new (client, entry_group_cb, a);
  for (guint i = 0; a->txt != NULL && a->txt[i] != NULL; i++)
    txt = avahi_string_list_add (txt, a->txt[i]);
  name = g_strndup (a->kit->host_name, strcspn (a->kit->host_name, "."));
  avahi_address_parse (a->kit->address, AVAHI_PROTO_INET, &address);
  ret = avahi_entry_group_add_address (group, AVAHI_IF_UNSPEC, AVAHI_PROTO_INET,
                                       AVAHI_PUBLISH_NO_REVERSE, a->kit->host_name, &address);
  if (ret >= 0)
    ret = avahi_entry_group_add_service_strlst (group, AVAHI_IF_UNSPEC, AVAHI_PROTO_INET, 0,
                                                name, a->type, NULL, a->kit->host_name,
                                                (guint16)a->kit->port, txt);
  if (ret >= 0)
    ret = avahi_entry_group_commit (group);
  avahi_string_list_free (txt);
  if (ret < 0)
    g_printerr ("DNS-SD: %s\n", avahi_strerror (ret));
}

/**
 * device_kit_announce_dnssd:
 * @type: e.g. "_axis-video._tcp"
 * @txt: (nullable): TXT entries "key=value"
 *
 * Announces the device's host name and a service of @type on it through
 * the private LAN's avahi-daemon.
 */
void
device_kit_announce_dnssd (DeviceKit          *kit,
                           const char         *type,
                           const char * const *txt)
{
  AvahiGLibPoll *poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
  Announcement *a = g_new0 (Announcement, 1);
  int error = 0;

  a->kit = kit;
  a->type = g_strdup (type);
  a->txt = g_strdupv ((char **)txt);
  if (avahi_client_new (avahi_glib_poll_get (poll), AVAHI_CLIENT_NO_FAIL, client_cb, a, &error) == NULL)
    g_printerr ("DNS-SD: %s\n", avahi_strerror (error));
}
