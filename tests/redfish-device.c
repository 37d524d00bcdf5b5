/* redfish-device.c: a BMC speaking DMTF Redfish, for tests
 *
 *   redfish-device --flavour openbmc|idrac|ilo [--state-dir DIR]
 *                  [--address 127.0.0.x] [--port N] [--hostname HOST]
 *                  [--user NAME] [--password PASSWORD]
 *                  [--reset-seconds N] [--csr-seconds N] [--no-ssdp]
 *                  [--misbehave HOW[,HOW...]]
 *
 * Written from the public specifications (DMTF DSP0266 and the Redfish
 * CertificateService, SessionService and NetworkProtocol schemas) and from
 * what the makers document about their services:
 *
 * openbmc  Manager "bmc".  CertificateService.GenerateCSR requires City,
 *          CommonName, Country, Organization, OrganizationalUnit and State;
 *          the key is EC P-384 unless KeyPairAlgorithm says RSA (2048 bits
 *          only); a non-empty ChallengePassword is refused; one CSR at a
 *          time (503 with Retry-After while one is being made, see
 *          --csr-seconds).  ReplaceCertificate on
 *          /redfish/v1/Managers/bmc/NetworkProtocol/HTTPS/Certificates/1
 *          takes effect at once.
 * idrac    Manager "iDRAC.Embedded.1".  GenerateCSR as above (RSA 2048
 *          default, EC on request); the CertificateService offers no ReplaceCertificate:
 *          the certificate goes in through the OEM action
 *          Oem/Dell/DelliDRACCardService/Actions/DelliDRACCardService.ImportSSLCertificate
 *          ({"CertificateType": "Server", "SSLCertificateFile": PEM}),
 *          after which the web server restarts (--reset-seconds, default 2).
 * ilo      Manager "1", no CertificateService: the OEM resource
 *          /redfish/v1/Managers/1/SecurityService/HttpsCert has the actions
 *          HpeHttpsCert.GenerateCSR (City, CommonName, Country, OrgName,
 *          OrgUnit, State, IncludeIP) and HpeHttpsCert.ImportCertificate
 *          ({"Certificate": PEM}).  The CSR is made in the background and
 *          appears as HttpsCert's CertificateSigningRequest after
 *          --csr-seconds (default 2); after an import the iLO resets and
 *          is away for --reset-seconds (default 3), then serves the new
 *          certificate.
 *
 * Every flavour takes KeyPairAlgorithm as OpenBMC spells it (EC, RSA) or
 * as the DMTF schema does (TPM_ALG_RSA, TPM_ALG_ECDSA; TPM_ECC_NIST_P256
 * and _P384 for KeyCurveId).  The service root and POST SessionService/Sessions need
 * no credentials; everything else takes Basic or a session's
 * X-Auth-Token (401 otherwise); DELETE on the session's URI ends it and,
 * as bmcweb does, answers 200 with the session it removed.
 * Errors are Redfish error objects with a Base MessageId.  The device
 * announces itself over SSDP (urn:dmtf-org:service:redfish-rest:1, AL and
 * LOCATION pointing at /redfish/v1/) unless --no-ssdp.
 *
 * --misbehave (comma-separated):
 *   csr-pending       every CSR request is answered 503 (another pending)
 *   csr-pending-once  the first one is, later ones work
 *   csr-other-names   the CSR carries other names than those asked for
 *   csr-other-key     the CSR is for another kind of key than asked for
 *   not-served        a certificate is accepted but never served
 *   served-late       a certificate is served a moment (0.3 s) after it is
 *                     accepted, as bmcweb's reload can be
 *   slow-reset        a restart takes ten minutes
 *   session-expires   every session ends once a CSR has been made
 *
 * Test code, never product code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "device-kit.h"
#include "redfish-device.h"

#include <string.h>

#define REDFISH_TARGET "urn:dmtf-org:service:redfish-rest:1"

RedfishDevice rf;

/* --- answers ------------------------------------------------------------ */

JsonObject *
rf_resource (const char *id,
             const char *type)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "@odata.id", id);
  json_object_set_string_member (o, "@odata.type", type);
  return o;
}

void
rf_link (JsonObject *o,
         const char *member,
         const char *id)
{
  JsonObject *link = json_object_new ();

  json_object_set_string_member (link, "@odata.id", id);
  json_object_set_object_member (o, member, link);
}

void
rf_reply (SoupServerMessage *msg,
          guint              status,
          JsonObject        *o)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, o);
  device_kit_reply (msg, status, node);
}

/* A Redfish error: @message_id in the Base registry, with @args. */
void
rf_error (SoupServerMessage  *msg,
          guint               status,
          const char         *message_id,
          const char         *message,
          const char * const *args)
{
  JsonObject *o = json_object_new ();
  JsonObject *error = json_object_new ();
  JsonObject *info = json_object_new ();
  JsonArray *infos = json_array_new ();
  JsonArray *margs = json_array_new ();
  g_autofree char *full_id = g_strconcat ("Base.1.16.", message_id, NULL);

  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    json_array_add_string_element (margs, args[i]);
  json_object_set_string_member (info, "@odata.type", "#Message.v1_1_1.Message");
  json_object_set_string_member (info, "MessageId", full_id);
  json_object_set_string_member (info, "Message", message);
  json_object_set_array_member (info, "MessageArgs", margs);
  json_object_set_string_member (info, "MessageSeverity", "Critical");
  json_array_add_object_element (infos, info);
  json_object_set_string_member (error, "code", full_id);
  json_object_set_string_member (error, "message", message);
  json_object_set_array_member (error, "@Message.ExtendedInfo", infos);
  json_object_set_object_member (o, "error", error);
  rf_reply (msg, status, o);
}

void
rf_missing (SoupServerMessage *msg,
            const char        *action,
            const char        *parameter)
{
  const char *args[] = { action, parameter, NULL };
  g_autofree char *text = g_strdup_printf ("The action %s requires the parameter %s to be "
                                           "present in the request body.", action, parameter);

  rf_error (msg, 400, "ActionParameterMissing", text, args);
}

void
rf_busy (SoupServerMessage *msg,
         guint              seconds)
{
  g_autofree char *after = g_strdup_printf ("%u", seconds);
  const char *args[] = { after, NULL };
  g_autofree char *text = g_strdup_printf ("The service is temporarily unavailable.  Retry in %u "
                                           "seconds.", seconds);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", after);
  rf_error (msg, 503, "ServiceTemporarilyUnavailable", text, args);
}

const char *
rf_string (JsonObject *o,
           const char *member)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, member) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* --- sessions ----------------------------------------------------------- */

typedef struct
{
  char *id;
  char *token;
} Session;

static void
session_free (Session *s)
{
  g_free (s->id);
  g_free (s->token);
  g_free (s);
}

static char *
session_uri (const char *id)
{
  return g_strdup_printf ("/redfish/v1/SessionService/Sessions/%s", id);
}

/* What bmcweb answers both for a new session and, as the representation
 * of what it removes, for its DELETE: 200 with a body and its length, so
 * the client's connection stays open. */
static JsonObject *
session_object (Session *s)
{
  g_autofree char *uri = session_uri (s->id);
  JsonObject *o = rf_resource (uri, "#Session.v1_7_0.Session");

  json_object_set_string_member (o, "Id", s->id);
  json_object_set_string_member (o, "UserName", rf.kit->user);
  return o;
}

static void
create_session (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = device_kit_read_object (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *uri = NULL;
  Session *s;

  if (body == NULL || rf_string (body, "UserName") == NULL || rf_string (body, "Password") == NULL)
    {
      rf_missing (msg, "Session", rf_string (body, "UserName") == NULL ? "UserName" : "Password");
      return;
    }
  if (!device_kit_check_credentials (rf.kit, rf_string (body, "UserName"), rf_string (body, "Password")))
    {
      rf_error (msg, 401, "ResourceAtUriUnauthorized",
                "While accessing the resource at /redfish/v1/SessionService/Sessions, the service "
                "received an authorization error: the user name or password is wrong.", NULL);
      return;
    }
  s = g_new0 (Session, 1);
  s->id = device_kit_random_hex (8);
  s->token = device_kit_random_hex (16);
  g_hash_table_insert (rf.sessions, s->token, s);
  uri = session_uri (s->id);
  soup_message_headers_replace (headers, "X-Auth-Token", s->token);
  soup_message_headers_replace (headers, "Location", uri);
  rf_reply (msg, 201, session_object (s));
}

/* The session @msg's token names, if any. */
static Session *
session_of (SoupServerMessage *msg)
{
  const char *token = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "X-Auth-Token");

  return token != NULL ? g_hash_table_lookup (rf.sessions, token) : NULL;
}

static gboolean
delete_session (SoupServerMessage *msg,
                const char        *path)
{
  GHashTableIter iter;
  Session *s;

  g_hash_table_iter_init (&iter, rf.sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&s))
    {
      g_autofree char *uri = session_uri (s->id);

      if (g_str_equal (uri, path))
        {
          rf_reply (msg, 200, session_object (s));
          g_hash_table_iter_remove (&iter);
          return TRUE;
        }
    }
  return FALSE;
}

/* Called once a CSR exists: with session-expires, every session ends. */
void
rf_csr_made (void)
{
  if (device_kit_misbehaves (rf.kit, "session-expires"))
    g_hash_table_remove_all (rf.sessions);
}

/* --- resources ---------------------------------------------------------- */

static char *
manager_uri (const char *tail)
{
  return g_strdup_printf ("/redfish/v1/Managers/%s%s", rf.manager, tail);
}

static void
service_root (SoupServerMessage *msg)
{
  JsonObject *o = rf_resource ("/redfish/v1", "#ServiceRoot.v1_15_0.ServiceRoot");
  JsonObject *links = json_object_new ();
  JsonObject *sessions = json_object_new ();

  json_object_set_string_member (o, "Id", "RootService");
  json_object_set_string_member (o, "Name", "Root Service");
  json_object_set_string_member (o, "RedfishVersion", "1.17.0");
  json_object_set_string_member (o, "UUID", rf.uuid);
  json_object_set_string_member (o, "Vendor", rf.vendor);
  json_object_set_string_member (o, "Product", rf.product);
  rf_link (o, "Managers", "/redfish/v1/Managers");
  rf_link (o, "SessionService", "/redfish/v1/SessionService");
  if (rf.flavour != FLAVOUR_ILO)
    rf_link (o, "CertificateService", "/redfish/v1/CertificateService");
  json_object_set_string_member (sessions, "@odata.id", "/redfish/v1/SessionService/Sessions");
  json_object_set_object_member (links, "Sessions", sessions);
  json_object_set_object_member (o, "Links", links);
  rf_reply (msg, 200, o);
}

/* A collection of one member. */
static void
collection (SoupServerMessage *msg,
            const char        *uri,
            const char        *type,
            const char        *name,
            const char        *member_uri)
{
  JsonObject *o = rf_resource (uri, type);
  JsonArray *members = json_array_new ();
  JsonObject *member = json_object_new ();

  json_object_set_string_member (member, "@odata.id", member_uri);
  json_array_add_object_element (members, member);
  json_object_set_string_member (o, "Name", name);
  json_object_set_array_member (o, "Members", members);
  json_object_set_int_member (o, "Members@odata.count", 1);
  rf_reply (msg, 200, o);
}

static void
managers (SoupServerMessage *msg)
{
  g_autofree char *uri = manager_uri ("");

  collection (msg, "/redfish/v1/Managers", "#ManagerCollection.ManagerCollection", "Manager Collection", uri);
}

static void
manager (SoupServerMessage *msg)
{
  g_autofree char *uri = manager_uri ("");
  g_autofree char *protocol = manager_uri ("/NetworkProtocol");
  JsonObject *o = rf_resource (uri, "#Manager.v1_19_0.Manager");

  json_object_set_string_member (o, "Id", rf.manager);
  json_object_set_string_member (o, "ManagerType", "BMC");
  json_object_set_string_member (o, "Manufacturer", rf.vendor);
  json_object_set_string_member (o, "Model", rf.product);
  json_object_set_string_member (o, "FirmwareVersion", "redfish-device 1");
  json_object_set_string_member (o, "UUID", rf.uuid);
  rf_link (o, "NetworkProtocol", protocol);
  if (rf.flavour == FLAVOUR_ILO)
    {
      g_autofree char *security = manager_uri ("/SecurityService");
      JsonObject *oem = json_object_new ();
      JsonObject *hpe = json_object_new ();
      JsonObject *links = json_object_new ();

      rf_link (links, "SecurityService", security);
      json_object_set_object_member (hpe, "Links", links);
      json_object_set_object_member (oem, "Hpe", hpe);
      json_object_set_object_member (o, "Oem", oem);
    }
  rf_reply (msg, 200, o);
}

static void
network_protocol (SoupServerMessage *msg)
{
  g_autofree char *uri = manager_uri ("/NetworkProtocol");
  g_autofree char *certs = manager_uri ("/NetworkProtocol/HTTPS/Certificates");
  JsonObject *o = rf_resource (uri, "#ManagerNetworkProtocol.v1_10_0.ManagerNetworkProtocol");
  JsonObject *https = json_object_new ();

  json_object_set_string_member (o, "Id", "NetworkProtocol");
  json_object_set_string_member (o, "HostName", rf.kit->host_name);
  json_object_set_boolean_member (https, "ProtocolEnabled", TRUE);
  json_object_set_int_member (https, "Port", rf.kit->port);
  if (rf.flavour != FLAVOUR_ILO)
    rf_link (https, "Certificates", certs);
  json_object_set_object_member (o, "HTTPS", https);
  rf_reply (msg, 200, o);
}

static void
certificates (SoupServerMessage *msg)
{
  g_autofree char *uri = manager_uri ("/NetworkProtocol/HTTPS/Certificates");
  g_autofree char *one = manager_uri ("/NetworkProtocol/HTTPS/Certificates/1");

  collection (msg, uri, "#CertificateCollection.CertificateCollection", "HTTPS Certificates Collection", one);
}

static void
certificate (SoupServerMessage *msg)
{
  g_autofree char *uri = manager_uri ("/NetworkProtocol/HTTPS/Certificates/1");
  g_autofree char *pem = device_kit_served_pem (rf.kit);
  JsonObject *o = rf_resource (uri, "#Certificate.v1_8_0.Certificate");
  JsonArray *usage = json_array_new ();

  json_array_add_string_element (usage, "ServerAuthentication");
  json_object_set_string_member (o, "Id", "1");
  json_object_set_string_member (o, "Name", "HTTPS Certificate");
  json_object_set_string_member (o, "CertificateType", "PEM");
  json_object_set_string_member (o, "CertificateString", pem);
  json_object_set_array_member (o, "KeyUsage", usage);
  rf_reply (msg, 200, o);
}

static void
certificate_service (SoupServerMessage *msg)
{
  JsonObject *o = rf_resource ("/redfish/v1/CertificateService",
                               "#CertificateService.v1_0_4.CertificateService");
  JsonObject *actions = json_object_new ();
  JsonObject *generate = json_object_new ();

  json_object_set_string_member (o, "Id", "CertificateService");
  json_object_set_string_member (generate, "target",
                                 "/redfish/v1/CertificateService/Actions/CertificateService.GenerateCSR");
  json_object_set_object_member (actions, "#CertificateService.GenerateCSR", generate);
  /* iDRAC takes certificates only through its OEM action. */
  if (rf.flavour == FLAVOUR_OPENBMC)
    {
      JsonObject *replace = json_object_new ();
      JsonArray *types = json_array_new ();

      json_array_add_string_element (types, "PEM");
      json_object_set_string_member (replace, "target",
                                     "/redfish/v1/CertificateService/Actions/CertificateService.ReplaceCertificate");
      json_object_set_array_member (replace, "CertificateType@Redfish.AllowableValues", types);
      json_object_set_object_member (actions, "#CertificateService.ReplaceCertificate", replace);
    }
  json_object_set_object_member (o, "Actions", actions);
  rf_link (o, "CertificateLocations", "/redfish/v1/CertificateService/CertificateLocations");
  rf_reply (msg, 200, o);
}

/* --- routing ------------------------------------------------------------ */

static gboolean
authorized (SoupServerMessage *msg)
{
  return session_of (msg) != NULL || device_kit_check_basic (rf.kit, msg);
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *raw_path,
           GHashTable        *query,
           gpointer           data)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *path = g_strdup (raw_path);
  g_autofree char *m = NULL;
  gsize len = strlen (path);
  gboolean get = g_str_equal (method, "GET");
  gboolean post = g_str_equal (method, "POST");

  /* Redfish URIs are the same with or without the trailing slash. */
  while (len > 1 && path[len - 1] == '/')
    path[--len] = '\0';
  m = manager_uri ("");

  if (get && g_str_equal (path, "/redfish"))
    {
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "v1", "/redfish/v1/");
      rf_reply (msg, 200, o);
      return;
    }
  if (get && g_str_equal (path, "/redfish/v1"))
    {
      service_root (msg);
      return;
    }
  if (post && g_str_equal (path, "/redfish/v1/SessionService/Sessions"))
    {
      create_session (msg);
      return;
    }
  if (!authorized (msg))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Basic realm=\"Redfish\"");
      rf_error (msg, 401, "NoValidSession",
                "There is no valid session established with the implementation.", NULL);
      return;
    }

  if (g_str_equal (method, "DELETE") && delete_session (msg, path))
    return;
  if (get && g_str_equal (path, "/redfish/v1/Managers"))
    managers (msg);
  else if (get && g_str_equal (path, m))
    manager (msg);
  else if (get && g_str_has_prefix (path, m) && g_str_equal (path + strlen (m), "/NetworkProtocol"))
    network_protocol (msg);
  else if (get && rf.flavour != FLAVOUR_ILO && g_str_has_prefix (path, m)
           && g_str_equal (path + strlen (m), "/NetworkProtocol/HTTPS/Certificates"))
    certificates (msg);
  else if (get && rf.flavour != FLAVOUR_ILO && g_str_has_prefix (path, m)
           && g_str_equal (path + strlen (m), "/NetworkProtocol/HTTPS/Certificates/1"))
    certificate (msg);
  else if (get && rf.flavour != FLAVOUR_ILO && g_str_equal (path, "/redfish/v1/CertificateService"))
    certificate_service (msg);
  else if (post && rf.flavour != FLAVOUR_ILO
           && g_str_equal (path, "/redfish/v1/CertificateService/Actions/CertificateService.GenerateCSR"))
    rf_generate_csr (msg);
  else if (post && rf.flavour == FLAVOUR_OPENBMC
           && g_str_equal (path, "/redfish/v1/CertificateService/Actions/CertificateService.ReplaceCertificate"))
    rf_replace_certificate (msg);
  else if (!rf_oem_route (msg, method, path))
    {
      const char *args[] = { path, NULL };

      if (get || post)
        rf_error (msg, 404, "ResourceNotFound", "The requested resource was not found.", args);
      else
        rf_error (msg, 405, "OperationNotAllowed", "The HTTP method is not allowed.", NULL);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *flavour = NULL;
  g_autoptr(GError) error = NULL;
  gboolean no_ssdp = FALSE;
  int reset_seconds = -1;
  int csr_seconds = -1;
  gnutls_x509_privkey_t key;
  const GOptionEntry entries[] = {
    { "flavour", 0, 0, G_OPTION_ARG_STRING, &flavour, "openbmc, idrac or ilo", "FLAVOUR" },
    { "reset-seconds", 0, 0, G_OPTION_ARG_INT, &reset_seconds, "How long a restart takes", "N" },
    { "csr-seconds", 0, 0, G_OPTION_ARG_INT, &csr_seconds, "How long making a CSR takes", "N" },
    { "no-ssdp", 0, 0, G_OPTION_ARG_NONE, &no_ssdp, "Do not announce over SSDP", NULL },
    { NULL }
  };

  rf.kit = device_kit_new ("redfish-device", "root", entries, &argc, &argv);
  if (flavour == NULL || g_str_equal (flavour, "openbmc"))
    {
      rf.flavour = FLAVOUR_OPENBMC;
      rf.manager = "bmc";
      rf.vendor = "OpenBMC";
      rf.product = "OpenBMC bmcweb";
    }
  else if (g_str_equal (flavour, "idrac"))
    {
      rf.flavour = FLAVOUR_IDRAC;
      rf.manager = "iDRAC.Embedded.1";
      rf.vendor = "Dell";
      rf.product = "Integrated Dell Remote Access Controller";
    }
  else if (g_str_equal (flavour, "ilo"))
    {
      rf.flavour = FLAVOUR_ILO;
      rf.manager = "1";
      rf.vendor = "HPE";
      rf.product = "iLO 6";
    }
  else
    {
      g_printerr ("redfish-device: unknown flavour %s\n", flavour);
      return 2;
    }
  rf.reset_seconds = reset_seconds >= 0 ? (guint)reset_seconds : rf.flavour == FLAVOUR_ILO ? 3 : 2;
  if (device_kit_misbehaves (rf.kit, "slow-reset"))
    rf.reset_seconds = 600;
  rf.csr_seconds = csr_seconds >= 0 ? (guint)csr_seconds : rf.flavour == FLAVOUR_ILO ? 2 : 0;
  rf.sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)session_free);
  rf.uuid = g_uuid_string_random ();

  /* Out of the factory: a self-signed certificate for a key of the
   * maker's usual kind. */
  key = device_kit_key_new (rf.flavour == FLAVOUR_OPENBMC ? "EC" : "RSA",
                            rf.flavour == FLAVOUR_OPENBMC ? 384 : 2048, &error);
  g_assert_no_error (error);
  if (!device_kit_serve (rf.kit, key, NULL, &error))
    g_error ("%s", error->message);
  soup_server_add_handler (rf.kit->server, NULL, handle_cb, NULL, NULL);
  device_kit_listen (rf.kit);
  if (!no_ssdp)
    device_kit_announce_ssdp (rf.kit, REDFISH_TARGET, rf.uuid, "/redfish/v1/");
  device_kit_run (rf.kit);
  return 0;
}
