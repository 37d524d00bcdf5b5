/* vouch-axis-driver.c: Axis network cameras through VAPIX
 *
 * VAPIX Certificate Management (/config/rest/cert/v1, AXIS OS 11.6 and
 * later; the Device Configuration envelope {"data": …} → {"status",
 * "data"} or {"status": "error", "error": {"code", "message"}}):
 *   create_certificate  makes a key in the camera's keystore under a new
 *                       alias (with a self-signed certificate for it);
 *   certificates/ALIAS/get_csr  returns a CSR for that key;
 *   PATCH certificates/ALIAS    installs the signed chain for the same key.
 * Which certificate HTTPS serves is set through the web server service
 * (SOAP aweb:SetWebServerTlsConfiguration on /vapix/services), naming the
 * alias. The alias is found again at install time by the leaf's key, so
 * a certificate pushed again after a restart goes to the right key.
 *
 * Firmware without the REST API answers 404 there; the same flow then
 * goes through the older SOAP services (VAPIX CreateCertificate2, ONVIF
 * GetPkcs10Request, GetCertificates and LoadCertificates), built and read
 * in vouch-axis-soap.c.
 *
 * Identity: the camera's TLS key as a fingerprint, or its Axis device ID
 * (IEEE 802.1AR, under Axis's root) through the manufacturer root path
 * onboarding already has; basicdeviceinfo.cgi names the model and serial
 * without credentials. Credentials: Basic over the pinned TLS connection,
 * sent with each request: a request libsoup sends again after a Digest
 * challenge lost its body in testing, so Digest is only the fallback
 * for cameras that refuse Basic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-axis-driver"

#include "vouch-config.h"

#include "vouch-axis-driver.h"

#include "vouch-axis-soap.h"
#include "vouch-driver-answers-private.h"
#include "vouch-device-driver-private.h"
#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

#define CERT_API "/config/rest/cert/v1"
#define MAX_ALIAS 64
/* The envelope nests a few levels; no answer needs more. */
#define MAX_JSON_DEPTH 16

struct _VouchAxisDriver
{
  VouchDeviceDriver parent_instance;
};

G_DEFINE_FINAL_TYPE (VouchAxisDriver, vouch_axis_driver, VOUCH_TYPE_DEVICE_DRIVER)

static const char * const key_types[] = { "ecdsa-p256", "ecdsa-p384", "rsa-3072", "rsa-4096", NULL };

static const VouchDriverInfo info = {
  .id = "axis",
  .title = N_("Axis camera"),
  .key_types = key_types,
  .name_kinds = VOUCH_DRIVER_NAMES_DNS | VOUCH_DRIVER_NAMES_IP,
  .credentials = VOUCH_DRIVER_CREDENTIALS_USER_PASSWORD,
  .identity = VOUCH_DRIVER_IDENTITY_FINGERPRINT | VOUCH_DRIVER_IDENTITY_MANUFACTURER,
  .csr_challenge = FALSE,
  .by_hand = FALSE,
};

typedef struct _Call Call;
typedef void (*Step) (GTask *task, JsonNode *data);
typedef void (*SoapStep) (GTask *task, VouchAxisSoapAnswer *answer);

struct _Call
{
  char       *alias;
  char      **names;
  char       *key_type;     /* as asked for; NULL: the camera's default */
  char       *chain_pem;
  char       *leaf_sha256;
  const char *doing;
  Step        step;
  /* what a 404 on the first REST call leads to: the SOAP services */
  void      (*legacy) (GTask *task);
  SoapStep    soap_step;
};

static void legacy_create (GTask *task);
static void legacy_list   (GTask *task);

static void
call_free (Call *call)
{
  g_free (call->alias);
  g_strfreev (call->names);
  g_free (call->key_type);
  g_free (call->chain_pem);
  g_free (call->leaf_sha256);
  g_free (call);
}

static GTask *
start (VouchDeviceDriver   *self,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_new0 (Call, 1), (GDestroyNotify)call_free);
  return task;
}

/* The camera's own explanation of a refusal, made safe to show. */
char *
_vouch_axis_message (JsonObject *answer)
{
  JsonNode *node = answer != NULL ? json_object_get_member (answer, "error") : NULL;
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  text = _vouch_driver_json_string (json_node_get_object (node), "message");
  return text != NULL ? vouch_text_sanitize (text, -1, 200) : NULL;
}

/**
 * _vouch_axis_parse_envelope:
 * @body: (nullable): a VAPIX answer's body as the camera sent it
 *
 * Through the bounded parser, as every device answer.
 *
 * Returns: (transfer full) (nullable): the envelope's object, or %NULL
 *   when the body is not a JSON object (a SOAP answer, or garbage)
 */
JsonObject *
_vouch_axis_parse_envelope (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return NULL;
  root = vouch_json_parse_bounded (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   MAX_JSON_DEPTH, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/**
 * _vouch_axis_answer_ok:
 * @doing: what was asked, for the operator ("making a key")
 *
 * Returns: whether the envelope's `status` is `success`; if not, an error
 *   %VOUCH_ERROR_DEVICE_REFUSED with the camera's reason, made safe
 */
gboolean
_vouch_axis_answer_ok (JsonObject  *answer,
                       const char  *doing,
                       GError     **error)
{
  g_autofree char *message = NULL;

  if (g_strcmp0 (_vouch_driver_json_string (answer, "status"), "success") == 0)
    return TRUE;

  message = _vouch_axis_message (answer);
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED, _("The camera refused %s: %s"),
               doing, message != NULL ? message : _("no reason given"));
  return FALSE;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  VouchDeviceDriver *self = g_task_get_source_object (task);
  g_autoptr(VouchDeviceResponse) response = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *message = NULL;
  GError *error = NULL;
  const char *content_type;

  response = vouch_device_client_send_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  content_type = soup_message_headers_get_content_type (response->headers, NULL);
  if (response->status == SOUP_STATUS_NOT_FOUND && call->legacy != NULL)
    {
      call->legacy (task);
      return;
    }

  if (g_strcmp0 (content_type, "application/json") == 0)
    answer = _vouch_axis_parse_envelope (response->body);
  message = _vouch_axis_message (answer);

  if (!_vouch_device_driver_check_status (self, response, call->doing, &error))
    {
      _vouch_device_driver_add_detail (error, message);
      g_task_return_error (task, error);
      return;
    }

  /* An answer without JSON: nothing more to read. */
  if (answer == NULL)
    {
      call->step (task, NULL);
      return;
    }

  if (!_vouch_axis_answer_ok (answer, call->doing, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  call->step (task, json_object_get_member (answer, "data"));
}

static void
send_json (GTask      *task,
           const char *method,
           const char *path,
           JsonNode   *data,
           const char *doing,
           Step        step)
{
  VouchDeviceDriver *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *basic = _vouch_device_driver_basic_auth (self);
  const char *headers[] = { "Accept", "application/json", "Authorization", basic, NULL };
  g_autoptr(JsonNode) body = NULL;

  if (data != NULL)
    {
      JsonObject *envelope = json_object_new ();

      json_object_set_member (envelope, "data", data);
      body = json_node_init_object (json_node_alloc (), envelope);
      json_object_unref (envelope);
    }

  call->doing = doing;
  call->step = step;
  call->legacy = NULL;
  vouch_device_client_send_async (_vouch_device_driver_get_client (self), method, path, body,
                                  headers, FALSE, g_task_get_cancellable (task), send_cb,
                                  g_object_ref (task));
  if (basic != NULL)
    gnutls_memset (basic, 0, strlen (basic));
}

static void
soap_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(VouchAxisSoapAnswer) answer = NULL;
  GError *error = NULL;

  answer = vouch_axis_soap_call_finish (VOUCH_DEVICE_DRIVER (object), result, &error);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    call->soap_step (task, answer);
}

/* One SOAP call (vouch-axis-soap.c); @envelope is taken. */
static void
send_soap (GTask      *task,
           const char *path,
           char       *envelope,
           const char *operation,
           const char *doing,
           SoapStep    step)
{
  Call *call = g_task_get_task_data (task);

  call->soap_step = step;
  vouch_axis_soap_call_async (g_task_get_source_object (task), path, envelope, operation, doing,
                              g_task_get_cancellable (task), soap_cb, g_object_ref (task));
}

/* Identify: basicdeviceinfo.cgi answers without credentials. */

static void
identify_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchDeviceDriver *self = g_task_get_source_object (task);
  g_autoptr(VouchDeviceResponse) response = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *properties = NULL;
  VouchDeviceIdentity *identity;
  GError *error = NULL;

  response = vouch_device_client_send_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  answer = SOUP_STATUS_IS_SUCCESSFUL (response->status) ? _vouch_axis_parse_envelope (response->body) : NULL;
  if (answer != NULL && json_object_has_member (answer, "data") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "data")))
    {
      JsonObject *data = json_object_get_object_member (answer, "data");

      if (json_object_has_member (data, "propertyList") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "propertyList")))
        properties = json_object_get_object_member (data, "propertyList");
    }

  identity = _vouch_device_driver_identity (self,
                                            properties != NULL ? _vouch_driver_json_string (properties, "SerialNumber") : NULL,
                                            properties != NULL ? _vouch_driver_json_string (properties, "ProdShortName") : NULL,
                                            &error);
  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, (GDestroyNotify)vouch_device_identity_free);
}

static void
vouch_axis_driver_identify_async (VouchDeviceDriver   *self,
                                  gboolean             new_connection,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  const char *headers[] = { "Accept", "application/json", NULL };

  g_task_set_source_tag (task, vouch_axis_driver_identify_async);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "apiVersion");
  json_builder_add_string_value (builder, "1.0");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "getAllUnrestrictedProperties");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vouch_device_client_send_async (_vouch_device_driver_get_client (self), "POST",
                                  "/axis-cgi/basicdeviceinfo.cgi", body, headers,
                                  new_connection, cancellable, identify_cb, task);
}

/* The CSR: a new key under a new alias, then its CSR. */

static const char *
axis_key_type (const char *key_type)
{
  if (g_strcmp0 (key_type, "ecdsa-p384") == 0)
    return "EC-P384";
  if (g_strcmp0 (key_type, "rsa-3072") == 0)
    return "RSA-3072";
  if (g_strcmp0 (key_type, "rsa-4096") == 0)
    return "RSA-4096";
  return "EC-P256";
}

static void
add_subject (JsonObject  *data,
             char       **names)
{
  JsonArray *alt_names = json_array_new ();
  g_autofree char *subject = g_strconcat ("CN=", names[0], NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *entry = g_strconcat (vouch_names_is_address (names[i]) ? "IP:" : "DNS:",
                                            names[i], NULL);

      json_array_add_string_element (alt_names, entry);
    }
  json_object_set_string_member (data, "subject", subject);
  json_object_set_array_member (data, "subject_alt_names", alt_names);
}

static void
csr_cb (GTask    *task,
        JsonNode *data)
{
  const char *csr = data != NULL && JSON_NODE_HOLDS_VALUE (data) &&
                    json_node_get_value_type (data) == G_TYPE_STRING ? json_node_get_string (data)
                                                                    : NULL;

  if (csr == NULL || strstr (csr, "-----BEGIN") == NULL)
    g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                             _("The camera answered get_csr without a CSR"));
  else
    g_task_return_pointer (task, g_strdup (csr), g_free);
}

static void
created_cb (GTask    *task,
            JsonNode *data)
{
  Call *call = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf (CERT_API "/certificates/%s/get_csr", call->alias);
  JsonObject *request = json_object_new ();

  add_subject (request, call->names);
  send_json (task, "POST", path, json_node_init_object (json_node_alloc (), request),
             _("making the CSR"), csr_cb);
  json_object_unref (request);
}

static void
logged_in_cb (GTask    *task,
              JsonNode *answer)
{
  Call *call = g_task_get_task_data (task);
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "alias", call->alias);
  json_object_set_string_member (data, "key_type", axis_key_type (call->key_type));
  add_subject (data, call->names);
  send_json (task, "POST", CERT_API "/create_certificate",
             json_node_init_object (json_node_alloc (), data), _("making a key"), created_cb);
  json_object_unref (data);
}

static void
vouch_axis_driver_request_csr_async (VouchDeviceDriver     *self,
                                     const VouchCsrRequest *request,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GTask) task = start (self, vouch_axis_driver_request_csr_async, cancellable,
                                 callback, user_data);
  Call *call = g_task_get_task_data (task);

  if (request->names == NULL || request->names[0] == NULL)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                               _("Say which names the camera's certificate is for"));
      return;
    }

  /* A new alias per key: the camera keeps the old one serving until the
   * new certificate is in place. */
  call->alias = g_strdup_printf ("vouch-%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  call->names = g_strdupv ((char **)request->names);
  call->key_type = g_strdup (request->key_type);
  /* A request without a body first: libsoup resends a request whose
   * Digest challenge it answered without its body, so the challenge is
   * met here, and later requests are authenticated from the start. */
  send_json (task, "GET", CERT_API "/certificates", NULL, _("logging in"), logged_in_cb);
  call->legacy = legacy_create;
}

/* Installing: find the alias by the leaf's key, give it the chain, and
 * make HTTPS serve it. */

static void
served_cb (GTask               *task,
           VouchAxisSoapAnswer *answer)
{
  g_task_return_boolean (task, TRUE);
}

/* HTTPS is to use only this alias, checked to be plain text when it was
 * found. */
static void
serve (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  send_soap (task, VOUCH_AXIS_SOAP_VAPIX, vouch_axis_soap_set_web_server_tls (call->alias),
             "SetWebServerTlsConfiguration", _("making HTTPS use the new certificate"),
             served_cb);
}

static void
patched_cb (GTask    *task,
            JsonNode *data)
{
  serve (task);
}

static gboolean
plain_alias (const char *alias)
{
  if (alias == NULL || *alias == '\0' || strlen (alias) > MAX_ALIAS)
    return FALSE;
  for (const char *p = alias; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (" ._-", *p) == NULL)
      return FALSE;
  return TRUE;
}

static void
return_key_gone (GTask *task)
{
  g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                           _("The camera no longer holds the key this certificate is for; "
                             "onboard it again for a new CSR"));
}

static void
listed_cb (GTask    *task,
           JsonNode *data)
{
  Call *call = g_task_get_task_data (task);
  JsonArray *entries = data != NULL && JSON_NODE_HOLDS_ARRAY (data) ? json_node_get_array (data)
                                                                     : NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  JsonObject *request;

  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *alias = _vouch_driver_json_string (entry, "alias");
      const char *pem = _vouch_driver_json_string (entry, "certificate");
      g_autofree char *sha256 = pem != NULL ? _vouch_device_driver_leaf_key_sha256 (pem) : NULL;

      if (plain_alias (alias) && g_strcmp0 (sha256, call->leaf_sha256) == 0)
        {
          call->alias = g_strdup (alias);
          break;
        }
    }

  if (call->alias == NULL)
    {
      return_key_gone (task);
      return;
    }

  escaped = g_uri_escape_string (call->alias, NULL, FALSE);
  path = g_strdup_printf (CERT_API "/certificates/%s", escaped);
  request = json_object_new ();
  json_object_set_string_member (request, "certificate", call->chain_pem);
  send_json (task, "PATCH", path, json_node_init_object (json_node_alloc (), request),
             _("installing the certificate"), patched_cb);
  json_object_unref (request);
}

static void
vouch_axis_driver_install_chain_async (VouchDeviceDriver   *self,
                                       const char          *chain_pem,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = start (self, vouch_axis_driver_install_chain_async, cancellable,
                                 callback, user_data);
  Call *call = g_task_get_task_data (task);

  call->chain_pem = g_strdup (chain_pem);
  call->leaf_sha256 = _vouch_device_driver_leaf_key_sha256 (chain_pem);
  if (call->leaf_sha256 == NULL)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                               _("The chain to install does not start with a certificate"));
      return;
    }

  send_json (task, "GET", CERT_API "/certificates", NULL, _("listing its certificates"),
             listed_cb);
  call->legacy = legacy_list;
}

/* Firmware without cert/v1: the same steps through the SOAP services. */

static void
legacy_csr_cb (GTask               *task,
               VouchAxisSoapAnswer *answer)
{
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  char *pem = vouch_axis_soap_pkcs10_pem (answer, call->key_type, &error);

  if (pem == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pem, g_free);
}

static void
legacy_created_cb (GTask               *task,
                   VouchAxisSoapAnswer *answer)
{
  Call *call = g_task_get_task_data (task);

  /* ONVIF takes a subject only: the CSR names the first name, and
   * onboarding adds every name asked for as a subjectAltName. */
  send_soap (task, VOUCH_AXIS_SOAP_ONVIF,
             vouch_axis_soap_get_pkcs10_request (call->alias, call->names[0]),
             "GetPkcs10Request", _("making the CSR"), legacy_csr_cb);
}

static void
legacy_create (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until = g_date_time_add_years (now, 1);

  send_soap (task, VOUCH_AXIS_SOAP_VAPIX,
             vouch_axis_soap_create_certificate2 (call->alias, call->names[0], now, until),
             "CreateCertificate2", _("making a key"), legacy_created_cb);
}

static void
legacy_loaded_cb (GTask               *task,
                  VouchAxisSoapAnswer *answer)
{
  serve (task);
}

static void
legacy_listed_cb (GTask               *task,
                  VouchAxisSoapAnswer *answer)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) der = vouch_axis_soap_leaf_der (call->chain_pem);

  call->alias = vouch_axis_soap_find_certificate (answer, call->leaf_sha256);
  if (!plain_alias (call->alias) || der == NULL)
    {
      return_key_gone (task);
      return;
    }
  send_soap (task, VOUCH_AXIS_SOAP_ONVIF, vouch_axis_soap_load_certificates (call->alias, der),
             "LoadCertificates", _("installing the certificate"), legacy_loaded_cb);
}

static void
legacy_list (GTask *task)
{
  send_soap (task, VOUCH_AXIS_SOAP_ONVIF, vouch_axis_soap_get_certificates (), "GetCertificates",
             _("listing its certificates"), legacy_listed_cb);
}

static void
vouch_axis_driver_class_init (VouchAxisDriverClass *klass)
{
  VouchDeviceDriverClass *driver_class = VOUCH_DEVICE_DRIVER_CLASS (klass);

  driver_class->info = &info;
  driver_class->identify_async = vouch_axis_driver_identify_async;
  driver_class->request_csr_async = vouch_axis_driver_request_csr_async;
  driver_class->install_chain_async = vouch_axis_driver_install_chain_async;
}

static void
vouch_axis_driver_init (VouchAxisDriver *self)
{
}
