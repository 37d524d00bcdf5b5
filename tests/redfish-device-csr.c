/* redfish-device-csr.c: the Redfish test device's CSRs and certificates
 *
 * The standard CertificateService actions (GenerateCSR, ReplaceCertificate)
 * with OpenBMC's rules, Dell's DelliDRACCardService.ImportSSLCertificate
 * and HPE's HpeHttpsCert resource.  See redfish-device.c for the whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "redfish-device.h"

#include <string.h>

#define IDRAC_SERVICE "/Oem/Dell/DelliDRACCardService"
#define IDRAC_IMPORT "/Actions/DelliDRACCardService.ImportSSLCertificate"
#define ILO_CERT "/redfish/v1/Managers/1/SecurityService/HttpsCert"

static char *
manager_uri (const char *tail)
{
  return g_strdup_printf ("/redfish/v1/Managers/%s%s", rf.manager, tail);
}

/* Whether a CSR request must wait; answers it 503 if so. */
static gboolean
refuse_if_busy (SoupServerMessage *msg)
{
  gint64 now = g_get_monotonic_time ();

  rf.csr_requests++;
  if (device_kit_misbehaves (rf.kit, "csr-pending")
      || (device_kit_misbehaves (rf.kit, "csr-pending-once") && rf.csr_requests == 1))
    {
      rf_busy (msg, 1);
      return TRUE;
    }
  /* One CSR at a time, as bmcweb: another is being made. */
  if (now < rf.csr_ready_at)
    {
      rf_busy (msg, (guint)MAX (1, (rf.csr_ready_at - now) / G_USEC_PER_SEC));
      return TRUE;
    }
  return FALSE;
}

/* Makes the pending key and its CSR; --misbehave may change what was asked. */
static gboolean
make_pending (const char              *algorithm,
              guint                    bits_or_curve,
              const DeviceKitSubject  *asked,
              const char * const      *names,
              GError                 **error)
{
  DeviceKitSubject subject = *asked;
  const char *other_names[] = { "someone-else.example", NULL };
  gnutls_x509_privkey_t key;

  if (device_kit_misbehaves (rf.kit, "csr-other-key"))
    {
      gboolean rsa = g_str_equal (algorithm, "RSA");

      algorithm = rsa ? "EC" : "RSA";
      bits_or_curve = rsa ? 256 : 2048;
    }
  if (device_kit_misbehaves (rf.kit, "csr-other-names"))
    {
      subject.common_name = other_names[0];
      names = other_names;
    }
  key = device_kit_key_new (algorithm, bits_or_curve, error);
  if (key == NULL)
    return FALSE;
  g_free (rf.pending_csr);
  rf.pending_csr = device_kit_make_csr (key, &subject, names, error);
  if (rf.pending_key != NULL)
    gnutls_x509_privkey_deinit (rf.pending_key);
  rf.pending_key = key;
  rf.csr_ready_at = g_get_monotonic_time () + (gint64)rf.csr_seconds * G_USEC_PER_SEC;
  rf_csr_made ();
  return rf.pending_csr != NULL;
}

/* served-late: the chain goes into use now. */
static gboolean
serve_late_cb (gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!device_kit_serve (rf.kit, rf.late_key, rf.late_chain, &error))
    g_printerr ("redfish-device: %s\n", error->message);
  rf.late_key = NULL;
  g_clear_pointer (&rf.late_chain, g_free);
  return G_SOURCE_REMOVE;
}

/* Puts @chain in use for the pending key, now or after a restart of
 * @restart_seconds; answers @msg with an error and FALSE if it does not fit. */
static gboolean
install (SoupServerMessage *msg,
         const char        *parameter,
         const char        *action,
         const char        *chain,
         gboolean           restart)
{
  g_autoptr(GError) error = NULL;

  if (rf.pending_key == NULL || !device_kit_chain_fits_key (chain, rf.pending_key, &error))
    {
      const char *args[] = { "<certificate>", parameter, action, NULL };
      g_autofree char *text = g_strdup_printf ("The value for the parameter %s in the action %s "
                                               "is invalid: %s.", parameter, action,
                                               error != NULL ? error->message : "no CSR is pending");

      rf_error (msg, 400, "ActionParameterValueError", text, args);
      return FALSE;
    }
  if (device_kit_misbehaves (rf.kit, "served-late") && rf.late_chain == NULL)
    {
      rf.late_chain = g_strdup (chain);
      rf.late_key = g_steal_pointer (&rf.pending_key);
      g_timeout_add (300, serve_late_cb, NULL);
    }
  else if (!device_kit_misbehaves (rf.kit, "not-served"))
    {
      if (!device_kit_serve (rf.kit, rf.pending_key, chain, &error))
        {
          rf_error (msg, 500, "InternalError", error->message, NULL);
          return FALSE;
        }
      rf.pending_key = NULL;
    }
  if (restart)
    device_kit_restart (rf.kit, rf.reset_seconds);
  return TRUE;
}

static void
reply_success (SoupServerMessage *msg,
               const char        *message_id,
               const char        *message)
{
  JsonObject *o = json_object_new ();
  JsonArray *infos = json_array_new ();
  JsonObject *info = json_object_new ();

  json_object_set_string_member (info, "MessageId", message_id);
  json_object_set_string_member (info, "Message", message);
  json_object_set_string_member (info, "MessageSeverity", "OK");
  json_array_add_object_element (infos, info);
  json_object_set_array_member (o, "@Message.ExtendedInfo", infos);
  rf_reply (msg, 200, o);
}

/* --- the standard CertificateService ------------------------------------ */

typedef struct
{
  SoupServerMessage *msg;
  char              *collection;
} CsrAnswer;

static void
answer_csr (SoupServerMessage *msg,
            const char        *collection)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "CSRString", rf.pending_csr);
  rf_link (o, "CertificateCollection", collection);
  rf_reply (msg, 200, o);
}

static gboolean
answer_csr_later_cb (gpointer data)
{
  CsrAnswer *a = data;

  answer_csr (a->msg, a->collection);
  soup_server_message_unpause (a->msg);
  g_object_unref (a->msg);
  g_free (a->collection);
  g_free (a);
  return G_SOURCE_REMOVE;
}

void
rf_generate_csr (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = device_kit_read_object (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *collection = manager_uri ("/NetworkProtocol/HTTPS/Certificates");
  const char *required[] = { "City", "CommonName", "Country", "Organization", "OrganizationalUnit", "State" };
  JsonObject *wanted = NULL;
  JsonArray *alternative = NULL;
  const char *algorithm;
  const char *curve;
  gint64 bits = 2048;
  DeviceKitSubject subject = { 0 };

  if (refuse_if_busy (msg))
    return;
  if (body != NULL && json_object_has_member (body, "CertificateCollection")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "CertificateCollection")))
    wanted = json_object_get_object_member (body, "CertificateCollection");
  if (rf_string (wanted, "@odata.id") == NULL)
    {
      rf_missing (msg, "GenerateCSR", "CertificateCollection");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (rf_string (body, required[i]) == NULL)
      {
        rf_missing (msg, "GenerateCSR", required[i]);
        return;
      }
  if (!g_str_has_prefix (rf_string (wanted, "@odata.id"), collection))
    {
      const char *args[] = { "GenerateCSR", "CertificateCollection", NULL };

      rf_error (msg, 400, "ActionParameterNotSupported",
                "The parameter CertificateCollection for the action GenerateCSR is not supported "
                "on the target resource.", args);
      return;
    }
  /* bmcweb cannot keep a challenge password, so it refuses one. */
  if (rf.flavour == FLAVOUR_OPENBMC && rf_string (body, "ChallengePassword") != NULL
      && rf_string (body, "ChallengePassword")[0] != '\0')
    {
      const char *args[] = { "GenerateCSR", "ChallengePassword", NULL };

      rf_error (msg, 400, "ActionParameterNotSupported",
                "The parameter ChallengePassword for the action GenerateCSR is not supported on "
                "the target resource.", args);
      return;
    }
  if (strlen (rf_string (body, "Country")) != 2)
    {
      const char *args[] = { rf_string (body, "Country"), "Country", NULL };

      rf_error (msg, 400, "PropertyValueFormatError",
                "The value for the property Country is of a different format than the property "
                "can accept.", args);
      return;
    }

  /* OpenBMC says "EC" and "RSA"; the DMTF schema names TCG algorithms. */
  algorithm = rf_string (body, "KeyPairAlgorithm");
  if (algorithm == NULL)
    algorithm = rf.flavour == FLAVOUR_OPENBMC ? "EC" : "RSA";
  else if (g_str_equal (algorithm, "TPM_ALG_RSA"))
    algorithm = "RSA";
  else if (g_str_equal (algorithm, "TPM_ALG_ECDSA") || g_str_equal (algorithm, "TPM_ALG_ECC"))
    algorithm = "EC";
  if (json_object_has_member (body, "KeyBitLength")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (body, "KeyBitLength")))
    bits = json_object_get_int_member (body, "KeyBitLength");
  curve = rf_string (body, "KeyCurveId");
  if (curve == NULL)
    curve = "secp384r1";
  else if (g_str_equal (curve, "TPM_ECC_NIST_P384"))
    curve = "secp384r1";
  else if (g_str_equal (curve, "TPM_ECC_NIST_P256"))
    curve = "prime256v1";
  if (!g_str_equal (algorithm, "RSA") && !g_str_equal (algorithm, "EC"))
    {
      const char *args[] = { "GenerateCSR", "KeyPairAlgorithm", NULL };

      rf_error (msg, 400, "ActionParameterNotSupported",
                "The parameter KeyPairAlgorithm for the action GenerateCSR is not supported on "
                "the target resource.", args);
      return;
    }
  if ((g_str_equal (algorithm, "RSA") && bits != 2048)
      || (g_str_equal (algorithm, "EC") && !g_str_equal (curve, "secp384r1")
          && !g_str_equal (curve, "prime256v1")))
    {
      const char *args[] = { g_str_equal (algorithm, "RSA") ? "KeyBitLength" : curve,
                             g_str_equal (algorithm, "RSA") ? "KeyBitLength" : "KeyCurveId", NULL };

      rf_error (msg, 400, "PropertyValueNotInList",
                "The value for the key property is not in the list of acceptable values.", args);
      return;
    }

  subject.common_name = rf_string (body, "CommonName");
  subject.country = rf_string (body, "Country");
  subject.state = rf_string (body, "State");
  subject.city = rf_string (body, "City");
  subject.organization = rf_string (body, "Organization");
  subject.organizational_unit = rf_string (body, "OrganizationalUnit");
  subject.email = rf_string (body, "Email");
  g_ptr_array_add (names, (char *)subject.common_name);
  if (json_object_has_member (body, "AlternativeNames")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "AlternativeNames")))
    alternative = json_object_get_array_member (body, "AlternativeNames");
  for (guint i = 0; alternative != NULL && i < json_array_get_length (alternative) && i < 64; i++)
    {
      JsonNode *node = json_array_get_element (alternative, i);
      const char *name = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;

      if (name != NULL && !g_str_equal (name, subject.common_name))
        g_ptr_array_add (names, (char *)name);
    }
  g_ptr_array_add (names, NULL);

  if (!make_pending (algorithm, g_str_equal (algorithm, "RSA") ? 2048
                     : g_str_equal (curve, "secp384r1") ? 384 : 256,
                     &subject, (const char * const *)names->pdata, &error))
    {
      rf_error (msg, 500, "InternalError", error->message, NULL);
      return;
    }

  /* bmcweb answers when the CSR exists; meanwhile others are refused. */
  if (rf.csr_seconds > 0)
    {
      CsrAnswer *a = g_new0 (CsrAnswer, 1);

      a->msg = g_object_ref (msg);
      a->collection = g_strdup (collection);
      soup_server_message_pause (msg);
      g_timeout_add_seconds (rf.csr_seconds, answer_csr_later_cb, a);
      return;
    }
  answer_csr (msg, collection);
}

void
rf_replace_certificate (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = device_kit_read_object (msg);
  g_autofree char *one = manager_uri ("/NetworkProtocol/HTTPS/Certificates/1");
  JsonObject *uri = NULL;
  const char *type;
  JsonObject *o;

  if (rf_string (body, "CertificateString") == NULL)
    {
      rf_missing (msg, "ReplaceCertificate", "CertificateString");
      return;
    }
  if (json_object_has_member (body, "CertificateUri")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "CertificateUri")))
    uri = json_object_get_object_member (body, "CertificateUri");
  if (rf_string (uri, "@odata.id") == NULL)
    {
      rf_missing (msg, "ReplaceCertificate", "CertificateUri");
      return;
    }
  type = rf_string (body, "CertificateType");
  if ((type != NULL && !g_str_equal (type, "PEM")) || !g_str_equal (rf_string (uri, "@odata.id"), one))
    {
      const char *args[] = { type != NULL && !g_str_equal (type, "PEM") ? "CertificateType"
                                                                        : "CertificateUri",
                             "ReplaceCertificate", NULL };

      rf_error (msg, 400, "ActionParameterNotSupported",
                "The parameter for the action ReplaceCertificate is not supported on the target "
                "resource.", args);
      return;
    }
  if (!install (msg, "CertificateString", "ReplaceCertificate", rf_string (body, "CertificateString"),
                FALSE))
    return;
  o = rf_resource (one, "#Certificate.v1_8_0.Certificate");
  json_object_set_string_member (o, "Id", "1");
  json_object_set_string_member (o, "CertificateString", rf_string (body, "CertificateString"));
  rf_reply (msg, 200, o);
}

/* --- Dell iDRAC --------------------------------------------------------- */

static void
idrac_service (SoupServerMessage *msg)
{
  g_autofree char *uri = manager_uri (IDRAC_SERVICE);
  g_autofree char *target = manager_uri (IDRAC_SERVICE IDRAC_IMPORT);
  JsonObject *o = rf_resource (uri, "#DelliDRACCardService.v1_6_0.DelliDRACCardService");
  JsonObject *actions = json_object_new ();
  JsonObject *import = json_object_new ();
  JsonArray *types = json_array_new ();

  json_array_add_string_element (types, "CA");
  json_array_add_string_element (types, "CSC");
  json_array_add_string_element (types, "ClientTrustCertificate");
  json_array_add_string_element (types, "Server");
  json_object_set_array_member (import, "CertificateType@Redfish.AllowableValues", types);
  json_object_set_string_member (import, "target", target);
  json_object_set_object_member (actions, "#DelliDRACCardService.ImportSSLCertificate", import);
  json_object_set_object_member (o, "Actions", actions);
  rf_reply (msg, 200, o);
}

static void
idrac_import (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = device_kit_read_object (msg);
  const char *type = rf_string (body, "CertificateType");

  if (type == NULL || rf_string (body, "SSLCertificateFile") == NULL)
    {
      rf_missing (msg, "ImportSSLCertificate", type == NULL ? "CertificateType" : "SSLCertificateFile");
      return;
    }
  if (!g_str_equal (type, "Server"))
    {
      const char *args[] = { type, "CertificateType", NULL };

      rf_error (msg, 400, "PropertyValueNotInList",
                "This test iDRAC takes only a Server certificate.", args);
      return;
    }
  /* The iDRAC's web server restarts to use the new certificate. */
  if (install (msg, "SSLCertificateFile", "ImportSSLCertificate", rf_string (body, "SSLCertificateFile"),
               TRUE))
    reply_success (msg, "IDRAC.2.9.RAC0516",
                   "The SSL certificate was imported; the web server restarts to use it.");
}

/* --- HPE iLO ------------------------------------------------------------ */

static void
ilo_security_service (SoupServerMessage *msg)
{
  JsonObject *o = rf_resource ("/redfish/v1/Managers/1/SecurityService",
                               "#HpeSecurityService.v2_3_1.HpeSecurityService");

  json_object_set_string_member (o, "Id", "SecurityService");
  rf_link (o, "HttpsCert", ILO_CERT);
  rf_reply (msg, 200, o);
}

static void
ilo_https_cert (SoupServerMessage *msg)
{
  JsonObject *o = rf_resource (ILO_CERT, "#HpeHttpsCert.v2_0_0.HpeHttpsCert");
  JsonObject *actions = json_object_new ();
  JsonObject *generate = json_object_new ();
  JsonObject *import = json_object_new ();
  JsonObject *info = json_object_new ();
  g_autofree char *served = device_kit_served_pem (rf.kit);

  json_object_set_string_member (o, "Id", "HttpsCert");
  json_object_set_string_member (o, "Name", "HTTPS Certificate");
  /* The CSR appears when the iLO has made it, and stays until an import. */
  if (rf.pending_csr != NULL && g_get_monotonic_time () >= rf.csr_ready_at)
    json_object_set_string_member (o, "CertificateSigningRequest", rf.pending_csr);
  json_object_set_string_member (info, "Subject", rf.kit->host_name);
  json_object_set_string_member (info, "Certificate", served);
  json_object_set_object_member (o, "X509CertificateInformation", info);
  json_object_set_string_member (generate, "target", ILO_CERT "/Actions/HpeHttpsCert.GenerateCSR");
  json_object_set_string_member (import, "target", ILO_CERT "/Actions/HpeHttpsCert.ImportCertificate");
  json_object_set_object_member (actions, "#HpeHttpsCert.GenerateCSR", generate);
  json_object_set_object_member (actions, "#HpeHttpsCert.ImportCertificate", import);
  json_object_set_object_member (o, "Actions", actions);
  rf_reply (msg, 200, o);
}

static void
ilo_generate_csr (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = device_kit_read_object (msg);
  g_autoptr(GError) error = NULL;
  const char *required[] = { "City", "CommonName", "Country", "OrgName", "OrgUnit", "State" };
  const char *names[] = { NULL, NULL, NULL };
  DeviceKitSubject subject = { 0 };

  if (refuse_if_busy (msg))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (rf_string (body, required[i]) == NULL)
      {
        rf_missing (msg, "HpeHttpsCert.GenerateCSR", required[i]);
        return;
      }
  subject.common_name = rf_string (body, "CommonName");
  subject.country = rf_string (body, "Country");
  subject.state = rf_string (body, "State");
  subject.city = rf_string (body, "City");
  subject.organization = rf_string (body, "OrgName");
  subject.organizational_unit = rf_string (body, "OrgUnit");
  names[0] = subject.common_name;
  if (json_object_has_member (body, "IncludeIP")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (body, "IncludeIP"))
      && json_object_get_boolean_member (body, "IncludeIP"))
    names[1] = rf.kit->address;
  if (!make_pending ("RSA", 2048, &subject, names, &error))
    {
      rf_error (msg, 500, "InternalError", error->message, NULL);
      return;
    }
  reply_success (msg, "iLO.2.15.GenerateCSRInProgress",
                 "The CSR is being made; it appears in CertificateSigningRequest when done.");
}

static void
ilo_import (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = device_kit_read_object (msg);

  if (rf_string (body, "Certificate") == NULL)
    {
      rf_missing (msg, "HpeHttpsCert.ImportCertificate", "Certificate");
      return;
    }
  if (install (msg, "Certificate", "HpeHttpsCert.ImportCertificate", rf_string (body, "Certificate"), TRUE))
    {
      g_clear_pointer (&rf.pending_csr, g_free);
      reply_success (msg, "iLO.2.15.ImportCertSuccessfuliLOResetinProgress",
                     "The certificate was imported; the iLO resets to use it.");
    }
}

/* Routes the makers' own resources; FALSE if @path is none of them. */
gboolean
rf_oem_route (SoupServerMessage *msg,
              const char        *method,
              const char        *path)
{
  g_autofree char *service = manager_uri (IDRAC_SERVICE);
  g_autofree char *import = manager_uri (IDRAC_SERVICE IDRAC_IMPORT);
  g_autofree char *dell_import = g_strdup_printf ("/redfish/v1/Dell/Managers/%s/DelliDRACCardService%s",
                                                  rf.manager, IDRAC_IMPORT);
  gboolean get = g_str_equal (method, "GET");
  gboolean post = g_str_equal (method, "POST");

  if (rf.flavour == FLAVOUR_IDRAC)
    {
      if (get && g_str_equal (path, service))
        idrac_service (msg);
      else if (post && (g_str_equal (path, import) || g_str_equal (path, dell_import)))
        idrac_import (msg);
      else
        return FALSE;
      return TRUE;
    }
  if (rf.flavour == FLAVOUR_ILO)
    {
      if (get && g_str_equal (path, "/redfish/v1/Managers/1/SecurityService"))
        ilo_security_service (msg);
      else if (get && g_str_equal (path, ILO_CERT))
        ilo_https_cert (msg);
      else if (post && g_str_equal (path, ILO_CERT "/Actions/HpeHttpsCert.GenerateCSR"))
        ilo_generate_csr (msg);
      else if (post && g_str_equal (path, ILO_CERT "/Actions/HpeHttpsCert.ImportCertificate"))
        ilo_import (msg);
      else
        return FALSE;
      return TRUE;
    }
  return FALSE;
}
