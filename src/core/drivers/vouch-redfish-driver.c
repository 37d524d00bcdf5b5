/* vouch-redfish-driver.c: BMCs through DMTF Redfish
 *
 * The standard way (OpenBMC's bmcweb, Supermicro, Lenovo XCC, …): find the
 * manager's HTTPS certificate collection (Managers/<id>/NetworkProtocol →
 * HTTPS.Certificates), ask CertificateService.GenerateCSR for it, and
 * install with CertificateService.ReplaceCertificate on the certificate
 * the collection holds (or a POST to the collection when it is empty).
 * bmcweb requires City, CommonName, Country, Organization,
 * OrganizationalUnit and State, makes one CSR at a time (503 and
 * Retry-After otherwise, retried in vouch-redfish-call.c) and makes EC
 * P-384 keys unless asked otherwise.
 *
 * Where makers differ: Dell iDRAC installs through its OEM action
 * DelliDRACCardService.ImportSSLCertificate; HPE iLO 5/6 makes its CSR in
 * the background after HpeHttpsCert.GenerateCSR (Vouch polls HttpsCert
 * until a new CertificateSigningRequest appears) and installs with
 * HpeHttpsCert.ImportCertificate, after which it resets. After installing
 * there, Vouch waits (bounded) until the BMC serves the new key, so
 * onboarding's confirmation does not race the reset; a standard service
 * needs no reset, and confirmation itself looks again a few times.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-redfish-driver"

#include "vouch-config.h"

#include "vouch-redfish-driver.h"

#include "vouch-driver-answers-private.h"

#include "vouch-error.h"
#include "vouch-redfish-call.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

#define SERVICE_ROOT "/redfish/v1/"
#define DEFAULT_POLL_MS 2000
/* a standard BMC reloads its web server, which takes a moment:
 * confirmation looks this many more times, the poll interval apart */
#define STANDARD_POLLS 3

struct _VouchRedfishDriver
{
  VouchDeviceDriver parent_instance;

  guint poll_ms;

  /* What the CSR's conversation found (vendor, manager, certificate
   * resources), for the install that follows on this driver, so it does
   * not walk the tree again (5 requests): a BMC's Redfish tree does not
   * move while its CSR is signed. The install takes it; any later
   * conversation looks again. */
  gboolean            found;
  VouchRedfishVendor  found_vendor;
  char               *found_manager_uri;
  char               *found_collection_uri;
  char               *found_certificate_uri;
  char               *found_oem_uri;
};

G_DEFINE_FINAL_TYPE (VouchRedfishDriver, vouch_redfish_driver, VOUCH_TYPE_DEVICE_DRIVER)

static const char * const key_types[] = { "ecdsa-p384", "ecdsa-p256", NULL };

static const VouchDriverInfo info = {
  .id = "redfish",
  .title = N_("Redfish"),
  .key_types = key_types,
  .name_kinds = VOUCH_DRIVER_NAMES_DNS | VOUCH_DRIVER_NAMES_IP,
  .credentials = VOUCH_DRIVER_CREDENTIALS_USER_PASSWORD,
  .identity = VOUCH_DRIVER_IDENTITY_FINGERPRINT | VOUCH_DRIVER_IDENTITY_MANUFACTURER,
  .csr_challenge = FALSE,
  .by_hand = FALSE,
};

/* Polls are bounded by count: at the default interval that is
 * VOUCH_REDFISH_MAX_WAIT_SECONDS. */
static guint
max_polls (VouchRedfishCall *call)
{
  return VOUCH_REDFISH_MAX_WAIT_SECONDS * 1000 / DEFAULT_POLL_MS;
}

static GTask *
start (VouchDeviceDriver   *driver,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  VouchRedfishDriver *self = VOUCH_REDFISH_DRIVER (driver);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, _vouch_redfish_call_new (driver, self->poll_ms),
                        (GDestroyNotify)_vouch_redfish_call_free);
  return task;
}

static JsonObject *
first_member (JsonObject *collection)
{
  JsonNode *members = json_object_get_member (collection, "Members");
  JsonArray *array;

  if (members == NULL || !JSON_NODE_HOLDS_ARRAY (members))
    return NULL;
  array = json_node_get_array (members);
  if (json_array_get_length (array) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    return NULL;
  return json_array_get_object_element (array, 0);
}

static const char *
member_path (JsonObject *object)
{
  const char *path;

  if (object == NULL)
    return NULL;
  path = _vouch_driver_json_string (object, "@odata.id");
  return _vouch_redfish_is_path (path) ? path : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
fail (GTask      *task,
      const char *message)
{
  _vouch_redfish_finish (task, g_error_new_literal (VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                                                    message));
}

/* Discovery, shared by both flows: service root → managers → manager →
 * NetworkProtocol → HTTPS certificate collection. */

static void
collection_cb (GTask               *task,
               JsonObject          *answer,
               VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  /* Empty on a BMC that serves a built-in certificate it does not list. */
  call->certificate_uri = g_strdup (member_path (first_member (answer)));
  call->discovered (task);
}

static void
network_protocol_cb (GTask               *task,
                     JsonObject          *answer,
                     VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  const char *collection = _vouch_redfish_link (object_member (answer, "HTTPS"), "Certificates");

  if (collection == NULL)
    {
      fail (task, _("This BMC does not list its HTTPS certificates in Redfish "
                    "(NetworkProtocol HTTPS.Certificates); its firmware may be too old"));
      return;
    }

  call->collection_uri = g_strdup (collection);
  _vouch_redfish_send (task, "GET", collection, NULL, _("reading its HTTPS certificates"),
                       collection_cb);
}

static void
manager_cb (GTask               *task,
            JsonObject          *answer,
            VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  const char *protocol = _vouch_redfish_link (answer, "NetworkProtocol");
  JsonObject *dell = object_member (object_member (object_member (answer, "Links"), "Oem"), "Dell");
  const char *card_service = _vouch_redfish_link (dell, "DelliDRACCardService");

  if (call->vendor == VOUCH_REDFISH_VENDOR_DELL)
    call->oem_uri = g_strdup (card_service != NULL
                              ? card_service
                              : "/redfish/v1/Managers/iDRAC.Embedded.1/Oem/Dell/DelliDRACCardService");
  else if (call->vendor == VOUCH_REDFISH_VENDOR_HPE)
    {
      /* iLO's own certificate resource; its CSR and import do not go
       * through CertificateService. */
      call->oem_uri = g_strconcat (call->manager_uri, "/SecurityService/HttpsCert", NULL);
      call->discovered (task);
      return;
    }

  if (protocol == NULL)
    {
      fail (task, _("The BMC's manager has no NetworkProtocol resource"));
      return;
    }
  _vouch_redfish_send (task, "GET", protocol, NULL, _("reading its network protocols"),
                       network_protocol_cb);
}

static void
managers_cb (GTask               *task,
             JsonObject          *answer,
             VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  const char *manager = member_path (first_member (answer));

  if (manager == NULL)
    {
      fail (task, _("The BMC lists no manager in Redfish"));
      return;
    }

  /* Trailing slashes differ between makers; paths are built without. */
  call->manager_uri = g_strdup (manager);
  if (g_str_has_suffix (call->manager_uri, "/"))
    call->manager_uri[strlen (call->manager_uri) - 1] = '\0';
  _vouch_redfish_send (task, "GET", manager, NULL, _("reading its manager"), manager_cb);
}

static void
root_cb (GTask               *task,
         JsonObject          *answer,
         VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  const char *vendor = _vouch_driver_json_string (answer, "Vendor");
  JsonObject *oem = object_member (answer, "Oem");
  const char *managers = _vouch_redfish_link (answer, "Managers");

  if (vendor == NULL)
    vendor = "";
  if (g_ascii_strncasecmp (vendor, "Dell", 4) == 0 ||
      (oem != NULL && json_object_has_member (oem, "Dell")))
    call->vendor = VOUCH_REDFISH_VENDOR_DELL;
  else if (g_ascii_strncasecmp (vendor, "HPE", 3) == 0 ||
           (oem != NULL && json_object_has_member (oem, "Hpe")))
    call->vendor = VOUCH_REDFISH_VENDOR_HPE;

  _vouch_redfish_send (task, "GET", managers != NULL ? managers : "/redfish/v1/Managers", NULL,
                       _("listing its managers"), managers_cb);
}

static void
discover (GTask               *task,
          JsonObject          *answer,
          VouchDeviceResponse *response)
{
  _vouch_redfish_send (task, "GET", SERVICE_ROOT, NULL, _("reading its service root"), root_cb);
}

/* Identify: the service root answers without a login. */

static void
identify_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchDeviceDriver *self = g_task_get_source_object (task);
  g_autoptr(VouchDeviceResponse) response = NULL;
  g_autoptr(JsonObject) root = NULL;
  const char *uuid = NULL;
  const char *product = NULL;
  VouchDeviceIdentity *identity;
  GError *error = NULL;

  response = vouch_device_client_send_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (response->status) &&
      (root = _vouch_redfish_parse_answer (response->body, NULL)) != NULL)
    {
      uuid = _vouch_driver_json_string (root, "UUID");
      product = _vouch_driver_json_string (root, "Product");
    }

  identity = _vouch_device_driver_identity (self, uuid, product, &error);
  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, (GDestroyNotify)vouch_device_identity_free);
}

static void
vouch_redfish_driver_identify_async (VouchDeviceDriver   *self,
                                     gboolean             new_connection,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  const char *headers[] = { "Accept", "application/json", NULL };

  g_task_set_source_tag (task, vouch_redfish_driver_identify_async);
  vouch_device_client_send_async (_vouch_device_driver_get_client (self), "GET", SERVICE_ROOT,
                                  NULL, headers, new_connection, cancellable, identify_cb, task);
}

/* The CSR. */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
csr_cb (GTask               *task,
        JsonObject          *answer,
        VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  const char *csr = _vouch_driver_json_string (answer, "CSRString");

  if (csr == NULL || strstr (csr, "-----BEGIN") == NULL)
    {
      fail (task, _("The BMC answered GenerateCSR without a CSR (CSRString)"));
      return;
    }

  call->result = g_strdup (csr);
  _vouch_redfish_finish (task, NULL);
}

/* The subject fields bmcweb requires; Vouch's certificates are about
 * their names, so these say only who asked. */
static void
add_subject (VouchRedfishCall *call,
             JsonBuilder      *builder,
             gboolean          hpe)
{
  add_string (builder, "CommonName", call->names[0]);
  add_string (builder, "Country", "XX");
  add_string (builder, "State", "-");
  add_string (builder, "City", "-");
  add_string (builder, hpe ? "OrgName" : "Organization", "Vouch");
  add_string (builder, hpe ? "OrgUnit" : "OrganizationalUnit", "Devices");
}

static void
service_cb (GTask               *task,
            JsonObject          *answer,
            VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  JsonObject *action = object_member (object_member (answer, "Actions"),
                                      "#CertificateService.GenerateCSR");
  const char *target = action != NULL ? _vouch_driver_json_string (action, "target") : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!_vouch_redfish_is_path (target))
    target = "/redfish/v1/CertificateService/Actions/CertificateService.GenerateCSR";

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "CertificateCollection");
  json_builder_begin_object (builder);
  add_string (builder, "@odata.id", call->collection_uri);
  json_builder_end_object (builder);
  add_subject (call, builder, FALSE);
  json_builder_set_member_name (builder, "AlternativeNames");
  json_builder_begin_array (builder);
  for (guint i = 0; call->names[i] != NULL; i++)
    json_builder_add_string_value (builder, call->names[i]);
  json_builder_end_array (builder);
  /* Only when asked: each BMC has its own default (bmcweb EC P-384,
   * iDRAC RSA 2048) and some refuse the parameter. */
  if (call->key_type != NULL)
    {
      add_string (builder, "KeyPairAlgorithm", "EC");
      add_string (builder, "KeyCurveId", g_str_equal (call->key_type, "ecdsa-p256") ? "prime256v1"
                                                                                   : "secp384r1");
    }
  json_builder_end_object (builder);

  _vouch_redfish_send (task, "POST", target, json_builder_get_root (builder),
                       _("asking for a CSR"), csr_cb);
}

static void hpe_poll_csr (GTask *task);

static void
hpe_csr_cb (GTask               *task,
            JsonObject          *answer,
            VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  const char *csr = _vouch_driver_json_string (answer, "CertificateSigningRequest");

  /* A CSR that was there before the request is an old one. */
  if (csr != NULL && strstr (csr, "-----BEGIN") != NULL && g_strcmp0 (csr, call->result) != 0)
    {
      g_free (call->result);
      call->result = g_strdup (csr);
      _vouch_redfish_finish (task, NULL);
      return;
    }

  if (++call->polls > max_polls (call))
    {
      g_clear_pointer (&call->result, g_free);
      _vouch_redfish_finish (task, g_error_new (VOUCH_ERROR, VOUCH_ERROR_DEVICE_BUSY,
                                                _("iLO did not finish its CSR after %u "
                                                  "checks; try again later"),
                                                max_polls (call)));
      return;
    }
  hpe_poll_csr (task);
}

static gboolean
hpe_poll_again_cb (gpointer user_data)
{
  GTask *task = user_data;
  VouchRedfishCall *call = g_task_get_task_data (task);

  call->timeout_id = 0;
  _vouch_redfish_send (task, "GET", call->oem_uri, NULL, _("waiting for iLO's CSR"), hpe_csr_cb);
  return G_SOURCE_REMOVE;
}

static void
hpe_poll_csr (GTask *task)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  _vouch_redfish_later (task, call->poll_ms, hpe_poll_again_cb);
}

static void
hpe_generated_cb (GTask               *task,
                  JsonObject          *answer,
                  VouchDeviceResponse *response)
{
  hpe_poll_csr (task);
}

static void
hpe_old_csr_cb (GTask               *task,
                JsonObject          *answer,
                VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *target = g_strconcat (call->oem_uri, "/Actions/HpeHttpsCert.GenerateCSR", NULL);

  /* Kept only to tell the new CSR from it. */
  call->result = g_strdup (_vouch_driver_json_string (answer, "CertificateSigningRequest"));
  json_builder_begin_object (builder);
  add_subject (call, builder, TRUE);
  json_builder_set_member_name (builder, "IncludeIP");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  _vouch_redfish_send (task, "POST", target, json_builder_get_root (builder),
                       _("asking iLO for a CSR"), hpe_generated_cb);
}

static void
forget_found (VouchRedfishDriver *self)
{
  self->found = FALSE;
  g_clear_pointer (&self->found_manager_uri, g_free);
  g_clear_pointer (&self->found_collection_uri, g_free);
  g_clear_pointer (&self->found_certificate_uri, g_free);
  g_clear_pointer (&self->found_oem_uri, g_free);
}

static void
remember_found (VouchRedfishDriver *self,
                VouchRedfishCall   *call)
{
  forget_found (self);
  self->found = TRUE;
  self->found_vendor = call->vendor;
  self->found_manager_uri = g_strdup (call->manager_uri);
  self->found_collection_uri = g_strdup (call->collection_uri);
  self->found_certificate_uri = g_strdup (call->certificate_uri);
  self->found_oem_uri = g_strdup (call->oem_uri);
}

/* Takes what the CSR's conversation found into @call. */
static gboolean
take_found (VouchRedfishDriver *self,
            VouchRedfishCall   *call)
{
  if (!self->found)
    return FALSE;

  call->vendor = self->found_vendor;
  call->manager_uri = g_steal_pointer (&self->found_manager_uri);
  call->collection_uri = g_steal_pointer (&self->found_collection_uri);
  call->certificate_uri = g_steal_pointer (&self->found_certificate_uri);
  call->oem_uri = g_steal_pointer (&self->found_oem_uri);
  forget_found (self);
  return TRUE;
}

static void
csr_discovered (GTask *task)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  remember_found (VOUCH_REDFISH_DRIVER (g_task_get_source_object (task)), call);

  if (call->vendor == VOUCH_REDFISH_VENDOR_HPE)
    _vouch_redfish_send (task, "GET", call->oem_uri, NULL, _("reading iLO's certificate"),
                         hpe_old_csr_cb);
  else
    _vouch_redfish_send (task, "GET", "/redfish/v1/CertificateService", NULL,
                         _("reading its certificate service"), service_cb);
}

static void
vouch_redfish_driver_request_csr_async (VouchDeviceDriver     *self,
                                        const VouchCsrRequest *request,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  GTask *task = start (self, vouch_redfish_driver_request_csr_async, cancellable, callback,
                       user_data);
  VouchRedfishCall *call = g_task_get_task_data (task);

  if (request->names == NULL || request->names[0] == NULL)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                               _("Say which names the BMC's certificate is for: a Redfish CSR "
                                 "is made for the names asked"));
      g_object_unref (task);
      return;
    }

  call->names = g_strdupv ((char **)request->names);
  call->key_type = g_strdup (request->key_type);
  call->discovered = csr_discovered;
  _vouch_redfish_login (task, discover);
  g_object_unref (task);
}

/* Installing. */

static void wait_for_new_key (GTask *task);

static void
new_key_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchRedfishCall *call = g_task_get_task_data (task);
  g_autoptr(VouchDeviceResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = vouch_device_client_send_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (response != NULL)
    {
      _vouch_redfish_finish (task, NULL);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _vouch_redfish_finish (task, g_steal_pointer (&error));
      return;
    }

  /* The old key still, or no answer while it resets: wait, bounded.
   * (Only a BMC that resets comes here; see installed_standard().) */
  if (++call->polls >= max_polls (call))
    {
      if (g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_KEY_CHANGED))
        _vouch_redfish_finish (task, g_error_new (VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED,
                                                  _("The BMC accepted the certificate but still "
                                                    "serves its old one")));
      else
        _vouch_redfish_finish (task, g_error_new (VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE,
                                                  _("The BMC did not come back after taking "
                                                    "the certificate (it resets): %s"),
                                                  error->message));
      return;
    }

  wait_for_new_key (task);
}

static gboolean
poll_new_key_cb (gpointer user_data)
{
  GTask *task = user_data;
  VouchRedfishCall *call = g_task_get_task_data (task);
  VouchDeviceClient *client = _vouch_device_driver_get_client (call->driver);
  const char *headers[] = { "Accept", "application/json", NULL };

  call->timeout_id = 0;
  vouch_device_client_set_pin (client, call->new_key_sha256);
  vouch_device_client_send_async (client, "GET", SERVICE_ROOT, NULL, headers, TRUE,
                                  g_task_get_cancellable (task), new_key_cb, g_object_ref (task));
  return G_SOURCE_REMOVE;
}

/* Until a fresh connection shows the new key; onboarding then confirms
 * the chain as for any driver. */
static void
wait_for_new_key (GTask *task)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  _vouch_redfish_later (task, call->poll_ms, poll_new_key_cb);
}

/* A standard service (bmcweb) swaps the certificate in without a reset,
 * at once or a moment later: instead of a connection of its own to see
 * the new key, the driver lets onboarding's confirmation, which makes
 * that same fresh connection and checks the whole chain, look again a
 * few times. */
static void
installed_standard (GTask *task)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  _vouch_device_driver_set_settling (call->driver, STANDARD_POLLS, call->poll_ms);
  _vouch_redfish_finish (task, NULL);
}

static void
installed_cb (GTask               *task,
              JsonObject          *answer,
              VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  /* The session ends before a reset can end it. */
  call->polls = 0;
  _vouch_redfish_end_session (task, call->vendor == VOUCH_REDFISH_VENDOR_STANDARD
                                    ? installed_standard : wait_for_new_key);
}

static void
install_discovered (GTask *task)
{
  VouchRedfishCall *call = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *target = NULL;

  json_builder_begin_object (builder);
  switch (call->vendor)
    {
    case VOUCH_REDFISH_VENDOR_HPE:
      target = g_strconcat (call->oem_uri, "/Actions/HpeHttpsCert.ImportCertificate", NULL);
      add_string (builder, "Certificate", call->chain_pem);
      break;

    case VOUCH_REDFISH_VENDOR_DELL:
      target = g_strconcat (call->oem_uri, "/Actions/DelliDRACCardService.ImportSSLCertificate",
                            NULL);
      add_string (builder, "CertificateType", "Server");
      add_string (builder, "SSLCertificateFile", call->chain_pem);
      break;

    case VOUCH_REDFISH_VENDOR_STANDARD:
    default:
      add_string (builder, "CertificateString", call->chain_pem);
      add_string (builder, "CertificateType", "PEM");
      if (call->certificate_uri != NULL)
        {
          target = g_strdup ("/redfish/v1/CertificateService/Actions/"
                             "CertificateService.ReplaceCertificate");
          json_builder_set_member_name (builder, "CertificateUri");
          json_builder_begin_object (builder);
          add_string (builder, "@odata.id", call->certificate_uri);
          json_builder_end_object (builder);
        }
      else
        target = g_strdup (call->collection_uri);
      break;
    }
  json_builder_end_object (builder);

  _vouch_redfish_send (task, "POST", target, json_builder_get_root (builder),
                       _("installing the certificate"), installed_cb);
}

static void
already_discovered (GTask               *task,
                    JsonObject          *answer,
                    VouchDeviceResponse *response)
{
  VouchRedfishCall *call = g_task_get_task_data (task);

  call->discovered (task);
}

static void
vouch_redfish_driver_install_chain_async (VouchDeviceDriver   *self,
                                          const char          *chain_pem,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task = start (self, vouch_redfish_driver_install_chain_async, cancellable, callback,
                       user_data);
  VouchRedfishCall *call = g_task_get_task_data (task);

  call->chain_pem = g_strdup (chain_pem);
  call->new_key_sha256 = _vouch_device_driver_leaf_key_sha256 (chain_pem);
  if (call->new_key_sha256 == NULL)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                               _("The chain to install does not start with a certificate"));
      g_object_unref (task);
      return;
    }

  call->discovered = install_discovered;
  _vouch_redfish_login (task, take_found (VOUCH_REDFISH_DRIVER (self), call) ? already_discovered
                                                                           : discover);
  g_object_unref (task);
}

static void
vouch_redfish_driver_finalize (GObject *object)
{
  forget_found (VOUCH_REDFISH_DRIVER (object));

  G_OBJECT_CLASS (vouch_redfish_driver_parent_class)->finalize (object);
}

static void
vouch_redfish_driver_class_init (VouchRedfishDriverClass *klass)
{
  VouchDeviceDriverClass *driver_class = VOUCH_DEVICE_DRIVER_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vouch_redfish_driver_finalize;
  driver_class->info = &info;
  driver_class->identify_async = vouch_redfish_driver_identify_async;
  driver_class->request_csr_async = vouch_redfish_driver_request_csr_async;
  driver_class->install_chain_async = vouch_redfish_driver_install_chain_async;
}

static void
vouch_redfish_driver_init (VouchRedfishDriver *self)
{
  const char *poll = g_getenv ("VOUCH_REDFISH_POLL_MS");
  guint64 ms = DEFAULT_POLL_MS;

  /* Tests make a BMC's waits short; the bounds stay in seconds. */
  if (poll != NULL)
    g_ascii_string_to_unsigned (poll, 10, 10, 60000, &ms, NULL);
  self->poll_ms = (guint)ms;
}

/**
 * vouch_redfish_driver_set_poll_interval:
 *
 * How often Vouch asks an iLO whether its CSR is ready, or a BMC whether
 * it is back after a reset.
 */
void
vouch_redfish_driver_set_poll_interval (VouchRedfishDriver *self,
                                        guint               milliseconds)
{
  g_return_if_fail (VOUCH_IS_REDFISH_DRIVER (self));
  self->poll_ms = MAX (milliseconds, 10);
}
