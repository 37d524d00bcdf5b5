/* axis-device.c: an Axis network camera's certificate management, for tests
 *
 *   axis-device [--state-dir DIR] [--address 127.0.0.x] [--port N]
 *               [--hostname HOST] [--user NAME] [--password PASSWORD]
 *               [--no-rest] [--no-dnssd] [--misbehave HOW[,HOW...]]
 *
 * Written from Axis's public VAPIX documentation:
 *
 * - Device Configuration API envelope: requests carry {"data": ...};
 *   answers are {"status": "success", "data": ...} or {"status": "error",
 *   "error": {"code": N, "message": TEXT}}.
 * - cert/v1 (/config/rest/cert/v1, AXIS OS 11.6 and later):
 *     GET   certificates, certificates/ALIAS, keystores
 *     POST  create_certificate {"data": {"alias", "key_type" (EC-P256
 *           default, EC-P384, RSA-2048...), "keystore", "subject" (RFC
 *           4514), "subject_alt_names" ["DNS:…", "IP:…"]}}: a key in the
 *           keystore and a self-signed certificate for it
 *     POST  certificates/ALIAS/get_csr {"data": {"subject",
 *           "subject_alt_names"}}: "data" is the PKCS#10 request in PEM
 *     PATCH certificates/ALIAS {"data": {"certificate": PEM}}: a newly
 *           signed certificate for the same key
 *     POST  certificates {"data": {"alias", "certificate": PEM,
 *           "private_key": PEM}}: a key and certificate made elsewhere
 *           (what the by-hand path's key and certificate file holds)
 * - There is no JSON call that makes HTTPS use a certificate: the SOAP
 *   operation aweb:SetWebServerTlsConfiguration on /vapix/services names
 *   the alias (acert:Id in the CertificateSet).  This device looks only
 *   for the operation's name and the alias in it.
 * - POST /axis-cgi/basicdeviceinfo.cgi (getAllUnrestrictedProperties)
 *   answers without credentials: model, serial number, firmware.
 * - Credentials: HTTP Digest (Axis's default) or Basic.
 *
 * --no-rest answers 404 under /config/rest, as firmware older than 11.6;
 * the SOAP services (axis-device-soap.c) then carry the same flow.
 * The camera announces itself over DNS-SD as _axis-video._tcp with its
 * "macaddress" TXT entry, unless --no-dnssd.
 *
 * --misbehave (comma-separated):
 *   csr-other-names   the CSR carries other names than those asked for
 *   csr-other-key     the CSR is signed by, and for, another key
 *   not-served        HTTPS keeps serving the old certificate
 *   forget-id         CreateCertificate2 answers, but keeps no key under
 *                     the Id (later calls naming it get a SOAP fault)
 *   onvif-no-user     the ONVIF service knows no such user (its users are
 *                     kept apart from VAPIX's on AXIS OS): a SOAP fault
 *   digest-only       HTTP Digest only, ONVIF included (Basic refused)
 *
 * Test code, never product code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "axis-device.h"
#include "vouch-agent-crypto-private.h"

#include <string.h>

#define CERT_API "/config/rest/cert/v1"
#define REALM "AXIS_ACCC8E0000"
#define MAX_ALIASES 32

DeviceKit *axis_kit;
GHashTable *axis_entries;
static char *serial;
static gboolean no_rest;

void
axis_entry_free (AxisEntry *e)
{
  g_free (e->alias);
  g_free (e->keystore);
  /* The served key belongs to the kit once HTTPS uses it. */
  if (e->key != NULL && e->key != axis_kit->tls_key)
    gnutls_x509_privkey_deinit (e->key);
  g_free (e->certificate);
  g_free (e);
}

/* --- answers ------------------------------------------------------------ */

static void
reply_data (SoupServerMessage *msg,
            JsonNode          *data)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "status", "success");
  if (data != NULL)
    json_object_set_member (o, "data", data);
  json_node_take_object (node, o);
  device_kit_reply (msg, 200, node);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             int                code,
             const char        *message)
{
  JsonObject *o = json_object_new ();
  JsonObject *error = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_string_member (o, "status", "error");
  json_object_set_object_member (o, "error", error);
  json_node_take_object (node, o);
  device_kit_reply (msg, status, node);
}

static JsonNode *
entry_node (AxisEntry *e)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "alias", e->alias);
  json_object_set_string_member (o, "certificate", e->certificate);
  json_object_set_string_member (o, "keystore", e->keystore);
  json_node_take_object (node, o);
  return node;
}

/* The "data" object of a Device Configuration request. */
static JsonObject *
request_data (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = device_kit_read_object (msg);
  JsonNode *data = body != NULL ? json_object_get_member (body, "data") : NULL;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return NULL;
  return json_object_ref (json_node_get_object (data));
}

static const char *
string_member (JsonObject *o,
               const char *member)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, member) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* --- subjects and names ------------------------------------------------- */

/* Reads "C=SE,CN=example.com" (RFC 4514, without escapes) into @subject;
 * the strings point into @copy. */
gboolean
axis_parse_subject (char             *copy,
               DeviceKitSubject *subject)
{
  char *save = NULL;

  for (char *rdn = strtok_r (copy, ",", &save); rdn != NULL; rdn = strtok_r (NULL, ",", &save))
    {
      char *eq = strchr (rdn, '=');

      if (eq == NULL)
        return FALSE;
      *eq = '\0';
      g_strstrip (rdn);
      if (g_ascii_strcasecmp (rdn, "CN") == 0)
        subject->common_name = eq + 1;
      else if (g_ascii_strcasecmp (rdn, "C") == 0)
        subject->country = eq + 1;
      else if (g_ascii_strcasecmp (rdn, "ST") == 0)
        subject->state = eq + 1;
      else if (g_ascii_strcasecmp (rdn, "L") == 0)
        subject->city = eq + 1;
      else if (g_ascii_strcasecmp (rdn, "O") == 0)
        subject->organization = eq + 1;
      else if (g_ascii_strcasecmp (rdn, "OU") == 0)
        subject->organizational_unit = eq + 1;
      else
        return FALSE;
    }
  return subject->common_name != NULL;
}

/* "DNS:a" / "IP:b" → names; NULL if an entry has neither prefix. */
static GPtrArray *
parse_san_list (JsonObject *data)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node = json_object_get_member (data, "subject_alt_names");
  JsonArray *list;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_ptr_array_add (names, NULL);
      return g_steal_pointer (&names);
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  list = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (list) && i < 64; i++)
    {
      JsonNode *item = json_array_get_element (list, i);
      const char *text = JSON_NODE_HOLDS_VALUE (item) ? json_node_get_string (item) : NULL;

      if (text != NULL && g_str_has_prefix (text, "DNS:"))
        g_ptr_array_add (names, g_strdup (text + 4));
      else if (text != NULL && g_str_has_prefix (text, "IP:"))
        g_ptr_array_add (names, g_strdup (text + 3));
      else
        return NULL;
    }
  g_ptr_array_add (names, NULL);
  return g_steal_pointer (&names);
}

/* "EC-P256" → EC 256; NULL if unknown. */
static const char *
parse_key_type (const char *key_type,
                guint      *size)
{
  if (key_type == NULL || g_str_equal (key_type, "EC-P256"))
    return *size = 256, "EC";
  if (g_str_equal (key_type, "EC-P384"))
    return *size = 384, "EC";
  if (g_str_equal (key_type, "RSA-2048") || g_str_equal (key_type, "RSA-3072")
      || g_str_equal (key_type, "RSA-4096"))
    return *size = (guint)g_ascii_strtoull (key_type + 4, NULL, 10), "RSA";
  return NULL;
}

/* A new key in the keystore with a self-signed placeholder certificate
 * for it (get_csr or GetPkcs10Request then asks for the real one): what
 * create_certificate and CreateCertificate2 both make. */
AxisEntry *
axis_entry_new (const char         *alias,
                const char         *algorithm,
                guint               bits_or_curve,
                const char         *common_name,
                const char * const *names)
{
  g_autoptr(GError) error = NULL;
  AxisEntry *e = g_new0 (AxisEntry, 1);

  e->alias = g_strdup (alias);
  e->keystore = g_strdup ("SE0");
  e->key = device_kit_key_new (algorithm, bits_or_curve, &error);
  g_assert_no_error (error);
  e->certificate = _vouch_agent_self_signed_pem (e->key, common_name,
                                                 names != NULL ? names
                                                               : (const char *[]) { common_name, NULL },
                                                 &error);
  if (e->certificate == NULL)
    {
      axis_entry_free (e);
      return NULL;
    }
  return e;
}

/* --- cert/v1 ------------------------------------------------------------ */

static void
list_certificates (SoupServerMessage *msg)
{
  JsonArray *list = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  GHashTableIter iter;
  AxisEntry *e;

  g_hash_table_iter_init (&iter, axis_entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&e))
    json_array_add_element (list, entry_node (e));
  json_node_take_array (node, list);
  reply_data (msg, node);
}

static void
create_certificate (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) data = request_data (msg);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject_copy = NULL;
  DeviceKitSubject subject = { 0 };
  const char *alias = string_member (data, "alias");
  const char *algorithm;
  guint size = 0;
  AxisEntry *e;

  if (alias == NULL || strlen (alias) == 0 || strlen (alias) > 128 || string_member (data, "subject") == NULL)
    {
      reply_error (msg, 400, 2101, alias == NULL ? "Missing alias" : "Missing subject");
      return;
    }
  if (g_hash_table_contains (axis_entries, alias) || g_hash_table_size (axis_entries) >= MAX_ALIASES)
    {
      reply_error (msg, 409, 2104, "A certificate with that alias exists");
      return;
    }
  algorithm = parse_key_type (string_member (data, "key_type"), &size);
  subject_copy = g_strdup (string_member (data, "subject"));
  names = parse_san_list (data);
  if (algorithm == NULL || names == NULL || !axis_parse_subject (subject_copy, &subject))
    {
      reply_error (msg, 400, 2102, algorithm == NULL ? "Unsupported key_type"
                                   : names == NULL ? "Invalid subject_alt_names" : "Invalid subject");
      return;
    }
  e = axis_entry_new (alias, algorithm, size, subject.common_name,
                      names->len > 1 ? (const char * const *)names->pdata : NULL);
  if (e == NULL)
    {
      reply_error (msg, 500, 2000, "Could not create the certificate");
      return;
    }
  g_free (e->keystore);
  e->keystore = g_strdup (string_member (data, "keystore") != NULL ? string_member (data, "keystore")
                                                                   : "SE0");
  g_hash_table_insert (axis_entries, e->alias, e);
  reply_data (msg, NULL);
}

static void
get_csr (SoupServerMessage *msg,
         AxisEntry             *e)
{
  g_autoptr(JsonObject) data = request_data (msg);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject_copy = NULL;
  g_autofree char *csr = NULL;
  DeviceKitSubject subject = { 0 };
  const char *other[] = { "someone-else.example", NULL };
  gnutls_x509_privkey_t signer = e->key;
  gnutls_x509_privkey_t other_key = NULL;
  JsonNode *node;

  subject_copy = g_strdup (string_member (data, "subject"));
  names = data != NULL ? parse_san_list (data) : NULL;
  if (subject_copy == NULL || names == NULL || !axis_parse_subject (subject_copy, &subject))
    {
      reply_error (msg, 400, 2102, subject_copy == NULL ? "Missing subject" : "Invalid subject");
      return;
    }
  if (device_kit_misbehaves (axis_kit, "csr-other-names"))
    {
      subject.common_name = other[0];
      g_ptr_array_set_size (names, 0);
      g_ptr_array_add (names, g_strdup (other[0]));
      g_ptr_array_add (names, NULL);
    }
  if (device_kit_misbehaves (axis_kit, "csr-other-key"))
    signer = other_key = device_kit_key_new ("EC", 256, NULL);
  csr = device_kit_make_csr (signer, &subject, (const char * const *)names->pdata, &error);
  if (other_key != NULL)
    gnutls_x509_privkey_deinit (other_key);
  if (csr == NULL)
    {
      reply_error (msg, 500, 2000, error->message);
      return;
    }
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, csr);
  reply_data (msg, node);
}

static void
patch_certificate (SoupServerMessage *msg,
                   AxisEntry             *e)
{
  g_autoptr(JsonObject) data = request_data (msg);
  g_autoptr(GError) error = NULL;
  const char *pem = string_member (data, "certificate");

  if (pem == NULL)
    {
      reply_error (msg, 400, 2101, "Missing certificate");
      return;
    }
  if (!device_kit_chain_fits_key (pem, e->key, &error))
    {
      g_autofree char *text = g_strdup_printf ("Invalid certificate: %s", error->message);

      reply_error (msg, 400, 2103, text);
      return;
    }
  g_free (e->certificate);
  e->certificate = g_strdup (pem);
  /* Already in use for HTTPS: the web server picks the new one up. */
  if (e->key == axis_kit->tls_key && !device_kit_misbehaves (axis_kit, "not-served"))
    device_kit_serve (axis_kit, e->key, e->certificate, NULL);
  reply_data (msg, NULL);
}

static void
add_certificate (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) data = request_data (msg);
  g_autoptr(GError) error = NULL;
  const char *alias = string_member (data, "alias");
  const char *pem = string_member (data, "certificate");
  const char *key_pem = string_member (data, "private_key");
  gnutls_datum_t datum;
  AxisEntry *e;

  if (alias == NULL || pem == NULL || key_pem == NULL || strlen (alias) > 128)
    {
      reply_error (msg, 400, 2101, "Missing alias, certificate or private_key");
      return;
    }
  if (g_hash_table_contains (axis_entries, alias) || g_hash_table_size (axis_entries) >= MAX_ALIASES)
    {
      reply_error (msg, 409, 2104, "A certificate with that alias exists");
      return;
    }
  e = g_new0 (AxisEntry, 1);
  e->alias = g_strdup (alias);
  e->keystore = g_strdup ("SE0");
  datum.data = (unsigned char *)key_pem;
  datum.size = (unsigned int)strlen (key_pem);
  if (gnutls_x509_privkey_init (&e->key) < 0 ||
      gnutls_x509_privkey_import (e->key, &datum, GNUTLS_X509_FMT_PEM) < 0 ||
      !device_kit_chain_fits_key (pem, e->key, &error))
    {
      axis_entry_free (e);
      reply_error (msg, 400, 2103, "Invalid certificate or private_key");
      return;
    }
  e->certificate = g_strdup (pem);
  g_hash_table_insert (axis_entries, e->alias, e);
  reply_data (msg, NULL);
}

static void
handle_cert_api (SoupServerMessage *msg,
                 const char        *method,
                 const char        *tail)
{
  g_autofree char *alias = NULL;
  const char *action = NULL;
  AxisEntry *e;

  if (g_str_equal (tail, "/certificates") && g_str_equal (method, "GET"))
    {
      list_certificates (msg);
      return;
    }
  if (g_str_equal (tail, "/certificates") && g_str_equal (method, "POST"))
    {
      add_certificate (msg);
      return;
    }
  if (g_str_equal (tail, "/create_certificate") && g_str_equal (method, "POST"))
    {
      create_certificate (msg);
      return;
    }
  if (g_str_equal (tail, "/keystores") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_parser_load_from_data (parser, "[{\"id\":\"SE0\",\"security_level\":\"STRONG\","
                                  "\"certifications\":[]}]", -1, NULL);
      reply_data (msg, json_node_copy (json_parser_get_root (parser)));
      return;
    }
  if (!g_str_has_prefix (tail, "/certificates/"))
    {
      reply_error (msg, 404, 2004, "Not found");
      return;
    }
  alias = g_strdup (tail + strlen ("/certificates/"));
  if (g_str_has_suffix (alias, "/get_csr"))
    {
      alias[strlen (alias) - strlen ("/get_csr")] = '\0';
      action = "get_csr";
    }
  e = g_hash_table_lookup (axis_entries, alias);
  if (e == NULL)
    reply_error (msg, 404, 2004, "No certificate with that alias");
  else if (action != NULL && g_str_equal (method, "POST"))
    get_csr (msg, e);
  else if (action == NULL && g_str_equal (method, "GET"))
    reply_data (msg, entry_node (e));
  else if (action == NULL && g_str_equal (method, "PATCH"))
    patch_certificate (msg, e);
  else
    reply_error (msg, 405, 2005, "Method not allowed");
}

static void
basic_device_info (SoupServerMessage *msg)
{
  JsonObject *o = json_object_new ();
  JsonObject *data = json_object_new ();
  JsonObject *props = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (props, "Brand", "AXIS");
  json_object_set_string_member (props, "ProdNbr", "M3088-V");
  json_object_set_string_member (props, "ProdType", "Network Camera");
  json_object_set_string_member (props, "SerialNumber", serial);
  json_object_set_string_member (props, "Version", no_rest ? "10.12.0" : "11.11.0");
  json_object_set_object_member (data, "propertyList", props);
  json_object_set_string_member (o, "apiVersion", "1.3");
  json_object_set_object_member (o, "data", data);
  json_node_take_object (node, o);
  device_kit_reply (msg, 200, node);
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           data)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/axis-cgi/basicdeviceinfo.cgi"))
    basic_device_info (msg);
  else if (g_str_has_prefix (path, CERT_API "/") && !no_rest)
    handle_cert_api (msg, method, path + strlen (CERT_API));
  else if (g_str_equal (path, "/vapix/services") && g_str_equal (method, "POST"))
    axis_device_handle_services (msg);
  else if (g_str_equal (path, "/onvif/device_service") && g_str_equal (method, "POST"))
    axis_device_handle_onvif (msg);
  else
    reply_error (msg, 404, 2004, "Not found");
}

/* --- credentials -------------------------------------------------------- */

static char *
digest_cb (SoupAuthDomain    *domain,
           SoupServerMessage *msg,
           const char        *user,
           gpointer           data)
{
  if (user == NULL || !g_str_equal (user, axis_kit->user))
    return NULL;
  return soup_auth_domain_digest_encode_password (user, REALM, axis_kit->password);
}

static gboolean
basic_cb (SoupAuthDomain    *domain,
          SoupServerMessage *msg,
          const char        *user,
          const char        *password,
          gpointer           data)
{
  return !device_kit_misbehaves (axis_kit, "digest-only") &&
         device_kit_check_credentials (axis_kit, user, password);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupAuthDomain) digest = NULL;
  g_autoptr(SoupAuthDomain) basic = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *mac_txt = NULL;
  gboolean no_dnssd = FALSE;
  AxisEntry *e;
  const GOptionEntry options[] = {
    { "no-rest", 0, 0, G_OPTION_ARG_NONE, &no_rest, "Firmware without cert/v1", NULL },
    { "no-dnssd", 0, 0, G_OPTION_ARG_NONE, &no_dnssd, "Do not announce over DNS-SD", NULL },
    { NULL }
  };

  axis_kit = device_kit_new ("axis-device", "root", options, &argc, &argv);
  axis_entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)axis_entry_free);
  mac = device_kit_random_hex (3);
  serial = g_ascii_strup (g_strconcat ("ACCC8E", mac, NULL), -1);

  /* Out of the factory: HTTPS with a self-signed certificate. */
  e = g_new0 (AxisEntry, 1);
  e->alias = g_strdup ("Default HTTPS");
  e->keystore = g_strdup ("SE0");
  e->key = device_kit_key_new ("EC", 256, &error);
  g_assert_no_error (error);
  if (!device_kit_serve (axis_kit, e->key, NULL, &error))
    g_error ("%s", error->message);
  e->certificate = device_kit_served_pem (axis_kit);
  g_hash_table_insert (axis_entries, e->alias, e);

  digest = soup_auth_domain_digest_new ("realm", REALM, NULL);
  soup_auth_domain_add_path (digest, "/config");
  soup_auth_domain_add_path (digest, "/vapix");
  if (device_kit_misbehaves (axis_kit, "digest-only"))
    soup_auth_domain_add_path (digest, "/onvif");
  soup_auth_domain_digest_set_auth_callback (digest, digest_cb, NULL, NULL);
  basic = soup_auth_domain_basic_new ("realm", REALM, NULL);
  soup_auth_domain_add_path (basic, "/config");
  soup_auth_domain_add_path (basic, "/vapix");
  soup_auth_domain_basic_set_auth_callback (basic, basic_cb, NULL, NULL);
  soup_server_add_auth_domain (axis_kit->server, digest);
  soup_server_add_auth_domain (axis_kit->server, basic);
  soup_server_add_handler (axis_kit->server, NULL, handle_cb, NULL, NULL);

  device_kit_listen (axis_kit);
  if (!no_dnssd)
    {
      const char *txt[] = { NULL, NULL };

      mac_txt = g_strdup_printf ("macaddress=%s", serial);
      txt[0] = mac_txt;
      device_kit_announce_dnssd (axis_kit, "_axis-video._tcp", txt);
    }
  device_kit_run (axis_kit);
  return 0;
}
