/* vouch-axis-soap.c: the SOAP calls of Axis firmware without the REST
 * certificate API
 *
 * Firmware older than AXIS OS 11.6 answers 404 on /config/rest/cert/v1,
 * but its documented SOAP services still allow the same CSR flow, the key
 * never leaving the camera:
 *
 *   acertificates:CreateCertificate2 (VAPIX Certificate management API,
 *     /vapix/services): a new key and a self-signed certificate under an
 *     Id; the firmware chooses the key type, so one the operator asked for
 *     is checked in the CSR;
 *   tds:GetPkcs10Request (ONVIF Core, Device Management,
 *     /onvif/device_service): CertificateID and Subject in, Pkcs10Request
 *     (tt:BinaryData: base64 of a DER, or PEM, PKCS#10) out. ONVIF takes
 *     a subject only, so the CSR carries no subjectAltName: the signing
 *     policy then reads its names from the common name, and onboarding
 *     adds the names it asked for as subjectAltNames;
 *   tds:GetCertificates: the Ids and certificates the camera holds, to
 *     find the Id again by the leaf's key;
 *   tds:LoadCertificates: NVTCertificate (CertificateID, Certificate/Data:
 *     base64 DER) for the same Id;
 *   aweb:SetWebServerTlsConfiguration (/vapix/services): HTTPS uses that Id.
 *
 * Requests are fixed text with every value passed through
 * g_markup_escape_text(). Answers are read with GLib's GMarkupParser by
 * the local names of their elements (prefixes vary between firmware),
 * bounded in depth, text and entries; whatever a camera says reaches the
 * operator only through vouch_text_sanitize(). A SOAP fault is the
 * error: NotAuthorized as refused credentials, ActionNotSupported as
 * firmware without the call, anything else as the camera's own reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-axis-driver"

#include "vouch-config.h"

#include "vouch-axis-soap.h"

#include "vouch-error.h"
#include "vouch-key-type.h"
#include "vouch-text.h"

#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/x509.h>
#include <string.h>

#define MAX_DEPTH 32
#define MAX_TEXT (64 * 1024)
#define MAX_CERTIFICATES 64

#define ENVELOPE_START \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
  "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\" " \
  "xmlns:acertificates=\"http://www.axis.com/vapix/ws/certificates\" " \
  "xmlns:acert=\"http://www.axis.com/vapix/ws/cert\" " \
  "xmlns:aweb=\"http://www.axis.com/vapix/ws/webserver\" " \
  "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" " \
  "xmlns:tt=\"http://www.onvif.org/ver10/schema\"><SOAP-ENV:Body>"
#define ENVELOPE_END "</SOAP-ENV:Body></SOAP-ENV:Envelope>"

static void
certificate_free (VouchAxisSoapCertificate *certificate)
{
  g_free (certificate->id);
  g_clear_pointer (&certificate->der, g_bytes_unref);
  g_free (certificate);
}

void
vouch_axis_soap_answer_free (VouchAxisSoapAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->operation);
  g_free (answer->fault_code);
  g_free (answer->fault_subcode);
  g_free (answer->fault_reason);
  g_clear_pointer (&answer->pkcs10, g_bytes_unref);
  g_clear_pointer (&answer->certificates, g_ptr_array_unref);
  g_free (answer);
}

/* --- requests ----------------------------------------------------------- */

static char *
envelope (const char *body)
{
  return g_strconcat (ENVELOPE_START, body, ENVELOPE_END, NULL);
}

static char *
soap_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
}

char *
vouch_axis_soap_create_certificate2 (const char *id,
                                     const char *common_name,
                                     GDateTime  *not_before,
                                     GDateTime  *not_after)
{
  g_autofree char *id_text = g_markup_escape_text (id, -1);
  g_autofree char *cn_text = g_markup_escape_text (common_name, -1);
  g_autofree char *from = soap_time (not_before);
  g_autofree char *until = soap_time (not_after);
  g_autofree char *body = NULL;

  body = g_strdup_printf ("<acertificates:CreateCertificate2>"
                          "<acertificates:Id>%s</acertificates:Id>"
                          "<acertificates:Subject><acert:CN>%s</acert:CN></acertificates:Subject>"
                          "<acertificates:ValidNotBefore>%s</acertificates:ValidNotBefore>"
                          "<acertificates:ValidNotAfter>%s</acertificates:ValidNotAfter>"
                          "</acertificates:CreateCertificate2>", id_text, cn_text, from, until);
  return envelope (body);
}

char *
vouch_axis_soap_get_pkcs10_request (const char *id,
                                    const char *common_name)
{
  g_autofree char *id_text = g_markup_escape_text (id, -1);
  g_autofree char *cn_text = g_markup_escape_text (common_name, -1);
  g_autofree char *body = NULL;

  body = g_strdup_printf ("<tds:GetPkcs10Request><tds:CertificateID>%s</tds:CertificateID>"
                          "<tds:Subject>CN=%s</tds:Subject></tds:GetPkcs10Request>",
                          id_text, cn_text);
  return envelope (body);
}

char *
vouch_axis_soap_get_certificates (void)
{
  return envelope ("<tds:GetCertificates/>");
}

char *
vouch_axis_soap_load_certificates (const char *id,
                                   GBytes     *der)
{
  g_autofree char *id_text = g_markup_escape_text (id, -1);
  g_autofree char *data = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_autofree char *body = NULL;

  body = g_strdup_printf ("<tds:LoadCertificates><tds:NVTCertificate>"
                          "<tt:CertificateID>%s</tt:CertificateID>"
                          "<tt:Certificate><tt:Data>%s</tt:Data></tt:Certificate>"
                          "</tds:NVTCertificate></tds:LoadCertificates>", id_text, data);
  return envelope (body);
}

/* The one certificate HTTPS is to use, by Id. */
char *
vouch_axis_soap_set_web_server_tls (const char *id)
{
  g_autofree char *id_text = g_markup_escape_text (id, -1);
  g_autofree char *body = NULL;

  body = g_strdup_printf ("<aweb:SetWebServerTlsConfiguration><aweb:Configuration>"
                          "<aweb:Tls>true</aweb:Tls><aweb:CertificateSet><acert:Certificates>"
                          "<acert:Id>%s</acert:Id></acert:Certificates><acert:CACertificates/>"
                          "<acert:TrustedCertificates/></aweb:CertificateSet>"
                          "</aweb:Configuration></aweb:SetWebServerTlsConfiguration>", id_text);
  return envelope (body);
}

/* --- answers ------------------------------------------------------------ */

typedef struct
{
  VouchAxisSoapAnswer      *answer;
  GPtrArray                *path;         /* local names of the open elements */
  GString                  *text;         /* the text of the innermost element */
  VouchAxisSoapCertificate *certificate;  /* the NvtCertificate being read */
} Reader;

static const char *
local_name (const char *qname)
{
  const char *colon = strrchr (qname, ':');

  return colon != NULL ? colon + 1 : qname;
}

/* The element @up levels above the one being closed (0: itself). */
static const char *
ancestor (Reader *reader,
          guint   up)
{
  return reader->path->len > up ? g_ptr_array_index (reader->path, reader->path->len - 1 - up)
                                : "";
}

static gboolean
in_body (Reader *reader)
{
  return reader->path->len >= 2 && g_str_equal (g_ptr_array_index (reader->path, 1), "Body");
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element_name,
               const char          **attribute_names,
               const char          **attribute_values,
               gpointer              user_data,
               GError              **error)
{
  Reader *reader = user_data;
  const char *name = local_name (element_name);
  guint depth = reader->path->len;

  if (depth >= MAX_DEPTH ||
      (depth == 0 && !g_str_equal (name, "Envelope")) ||
      (depth == 1 && !g_str_equal (name, "Header") && !g_str_equal (name, "Body")))
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "not a SOAP envelope");
      return;
    }

  if (depth == 2 && in_body (reader) && reader->answer->operation == NULL)
    reader->answer->operation = vouch_text_sanitize (name, -1, VOUCH_TEXT_MAX_NAME);
  if (g_str_equal (name, "NvtCertificate") && in_body (reader) && reader->certificate == NULL &&
      reader->answer->certificates->len < MAX_CERTIFICATES)
    reader->certificate = g_new0 (VouchAxisSoapCertificate, 1);

  g_ptr_array_add (reader->path, g_strdup (name));
  g_string_truncate (reader->text, 0);
}

static void
set_once (char       **slot,
          const char  *text,
          gsize        max_chars)
{
  if (*slot == NULL)
    *slot = vouch_text_sanitize (text, -1, max_chars);
}

static GBytes *
decode_base64 (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  guchar *data;
  gsize len = 0;

  if (*copy == '\0')
    return NULL;
  data = g_base64_decode (copy, &len);
  if (len == 0)
    {
      g_free (data);
      return NULL;
    }
  return g_bytes_new_take (data, len);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element_name,
             gpointer              user_data,
             GError              **error)
{
  Reader *reader = user_data;
  VouchAxisSoapAnswer *answer = reader->answer;
  const char *name = ancestor (reader, 0);
  const char *parent = ancestor (reader, 1);
  g_autofree char *text = g_strstrip (g_strdup (reader->text->str));
  gboolean fault = reader->path->len > 3 && in_body (reader) && g_str_equal (ancestor (reader, reader->path->len - 3),
                                                         "Fault");

  if (fault && g_str_equal (name, "Value") && g_str_equal (parent, "Code"))
    set_once (&answer->fault_code, local_name (text), VOUCH_TEXT_MAX_NAME);
  else if (fault && g_str_equal (name, "Value") && g_str_equal (parent, "Subcode"))
    {
      /* the innermost Subcode closes its Value last */
      g_free (answer->fault_subcode);
      answer->fault_subcode = vouch_text_sanitize (local_name (text), -1, VOUCH_TEXT_MAX_NAME);
    }
  else if (fault && g_str_equal (name, "Text") && g_str_equal (parent, "Reason"))
    set_once (&answer->fault_reason, text, VOUCH_TEXT_MAX_LINE);
  else if (fault && g_str_equal (name, "faultcode"))
    set_once (&answer->fault_code, local_name (text), VOUCH_TEXT_MAX_NAME);
  else if (fault && g_str_equal (name, "faultstring"))
    set_once (&answer->fault_reason, text, VOUCH_TEXT_MAX_LINE);
  else if (in_body (reader) && g_str_equal (name, "Data") && g_str_equal (parent, "Pkcs10Request")
           && answer->pkcs10 == NULL)
    answer->pkcs10 = decode_base64 (text);
  else if (reader->certificate != NULL && g_str_equal (name, "CertificateID") &&
           g_str_equal (parent, "NvtCertificate"))
    set_once (&reader->certificate->id, text, VOUCH_TEXT_MAX_NAME);
  else if (reader->certificate != NULL && g_str_equal (name, "Data") &&
           g_str_equal (parent, "Certificate") &&
           g_str_equal (ancestor (reader, 2), "NvtCertificate") && reader->certificate->der == NULL)
    reader->certificate->der = decode_base64 (text);
  else if (reader->certificate != NULL && g_str_equal (name, "NvtCertificate"))
    {
      VouchAxisSoapCertificate *certificate = g_steal_pointer (&reader->certificate);

      if (certificate->id != NULL && certificate->der != NULL)
        g_ptr_array_add (answer->certificates, certificate);
      else
        certificate_free (certificate);
    }

  g_ptr_array_remove_index (reader->path, reader->path->len - 1);
  g_string_truncate (reader->text, 0);
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  Reader *reader = user_data;

  if (reader->text->len + text_len > MAX_TEXT)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "text too long");
      return;
    }
  g_string_append_len (reader->text, text, text_len);
}

/**
 * vouch_axis_soap_parse:
 * @data: a SOAP 1.2 (or 1.1) envelope, as the camera sent it
 * @len: its length in bytes
 *
 * Returns: (transfer full): what it says, or %NULL with a
 * %VOUCH_ERROR_DEVICE_PROTOCOL error if it is not a SOAP envelope
 */
VouchAxisSoapAnswer *
vouch_axis_soap_parse (const char  *data,
                       gsize        len,
                       GError     **error)
{
  static const GMarkupParser parser = { start_element, end_element, text_cb, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(VouchAxisSoapAnswer) answer = g_new0 (VouchAxisSoapAnswer, 1);
  g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(GError) markup_error = NULL;
  Reader reader = { answer, path, buffer, NULL };
  gboolean ok;

  answer->certificates = g_ptr_array_new_with_free_func ((GDestroyNotify)certificate_free);
  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &reader, NULL);
  ok = data != NULL && len > 0 && len <= G_MAXSSIZE &&
       g_markup_parse_context_parse (context, data, (gssize)len, &markup_error) &&
       g_markup_parse_context_end_parse (context, &markup_error);
  g_clear_pointer (&reader.certificate, certificate_free);

  if (!ok || answer->operation == NULL)
    {
      g_autofree char *detail = markup_error != NULL
                                ? vouch_text_sanitize (markup_error->message, -1, VOUCH_TEXT_MAX_LINE)
                                : g_strdup (_("no operation in its body"));

      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The camera's SOAP answer could not be read (%s)"), detail);
      return NULL;
    }
  return g_steal_pointer (&answer);
}

/**
 * vouch_axis_soap_check:
 * @operation: the request's name: the answer must be its Response
 * @doing: what Vouch was doing, for the message
 *
 * Returns: %FALSE with the error a fault, or another answer, means
 */
gboolean
vouch_axis_soap_check (VouchAxisSoapAnswer  *answer,
                       const char           *operation,
                       const char           *doing,
                       GError              **error)
{
  g_autofree char *expected = g_strconcat (operation, "Response", NULL);
  const char *subcode = answer->fault_subcode;
  const char *reason = answer->fault_reason != NULL ? answer->fault_reason : _("no reason given");

  if (g_strcmp0 (answer->operation, "Fault") != 0)
    {
      if (g_strcmp0 (answer->operation, expected) == 0)
        return TRUE;
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The camera answered %s with “%s” instead of its result"), doing,
                   answer->operation);
      return FALSE;
    }

  if (g_strcmp0 (subcode, "NotAuthorized") == 0 ||
      g_strcmp0 (answer->fault_code, "NotAuthorized") == 0)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED,
                 _("The camera refused the user name and password Vouch has for it while %s "
                   "(%s); if its ONVIF users are kept apart, add the same administrator "
                   "there, or enter them again"), doing, reason);
  else if (g_strcmp0 (subcode, "ActionNotSupported") == 0)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                 _("The camera does not offer what Vouch needs for %s (%s); its firmware may "
                   "be too old for this driver"), doing, reason);
  else if (g_strcmp0 (answer->fault_code, "Receiver") == 0 ||
           g_strcmp0 (answer->fault_code, "Server") == 0)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED,
                 _("The camera failed while %s: %s"), doing, reason);
  else if (subcode != NULL)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED,
                 _("The camera refused %s: %s (%s)"), doing, reason, subcode);
  else
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED,
                 _("The camera refused %s: %s"), doing, reason);
  return FALSE;
}

/* CreateCertificate2 takes no key type: the firmware chooses. A key type
 * the operator asked for is then checked, not assumed. */
static gboolean
check_key_type (gnutls_x509_crq_t   crq,
                const char         *key_type,
                GError            **error)
{
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  VouchKeyType wanted;
  VouchKeyType made;

  if (key_type == NULL || !vouch_key_type_from_string (key_type, &wanted))
    return TRUE;
  if (gnutls_pubkey_init (&pubkey) >= 0 && gnutls_pubkey_import_x509_crq (pubkey, crq, 0) >= 0 &&
      vouch_key_type_from_pubkey (pubkey, &made) && made == wanted)
    return TRUE;

  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
               _("This camera's firmware chooses its own key type, not %s: Vouch can choose "
                 "one only through the certificate API of AXIS OS 11.6 and later. Onboard it "
                 "without choosing a key type, or update the camera"), key_type);
  return FALSE;
}

/* The CSR of a GetPkcs10RequestResponse, DER or PEM, as PEM, for a key
 * of @key_type if that is not NULL. */
char *
vouch_axis_soap_pkcs10_pem (VouchAxisSoapAnswer  *answer,
                            const char           *key_type,
                            GError              **error)
{
  g_auto(gnutls_x509_crq_t) crq = NULL;
  gnutls_datum_t datum = { NULL, 0 };
  gnutls_datum_t pem = { NULL, 0 };
  char *result;

  if (answer->pkcs10 != NULL)
    {
      datum.data = (unsigned char *)g_bytes_get_data (answer->pkcs10, NULL);
      datum.size = (unsigned int)g_bytes_get_size (answer->pkcs10);
    }
  /* ONVIF allows either; a failed import leaves the request unusable, so
   * the format is told apart first. */
  if (datum.size == 0 || gnutls_x509_crq_init (&crq) < 0 ||
      gnutls_x509_crq_import (crq, &datum,
                              memmem (datum.data, datum.size, "-----BEGIN", 10) != NULL
                              ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER) < 0 ||
      gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_PEM, &pem) < 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The camera answered GetPkcs10Request without a CSR"));
      return NULL;
    }
  if (!check_key_type (crq, key_type, error))
    {
      gnutls_free (pem.data);
      return NULL;
    }
  result = g_strndup ((const char *)pem.data, pem.size);
  gnutls_free (pem.data);
  return result;
}

/* The Id of the certificate for the key whose SPKI SHA-256 is
 * @key_sha256, or NULL. */
char *
vouch_axis_soap_find_certificate (VouchAxisSoapAnswer *answer,
                                  const char          *key_sha256)
{
  for (guint i = 0; answer->certificates != NULL && i < answer->certificates->len; i++)
    {
      VouchAxisSoapCertificate *certificate = g_ptr_array_index (answer->certificates, i);
      g_auto(gnutls_x509_crt_t) crt = NULL;
      g_auto(gnutls_pubkey_t) pubkey = NULL;
      g_autofree char *sha256 = NULL;
      gnutls_datum_t datum = { (unsigned char *)g_bytes_get_data (certificate->der, NULL),
                               (unsigned int)g_bytes_get_size (certificate->der) };

      if (gnutls_x509_crt_init (&crt) < 0 ||
          gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0 ||
          gnutls_pubkey_init (&pubkey) < 0 || gnutls_pubkey_import_x509 (pubkey, crt, 0) < 0)
        continue;
      sha256 = vouch_pubkey_spki_sha256_hex (pubkey, NULL);
      if (g_strcmp0 (sha256, key_sha256) == 0)
        return g_strdup (certificate->id);
    }
  return NULL;
}

/* The first certificate of @chain_pem in DER: what LoadCertificates takes
 * (the root is the operator's to trust, not the camera's to send). */
GBytes *
vouch_axis_soap_leaf_der (const char *chain_pem)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum = { (unsigned char *)chain_pem, (unsigned int)strlen (chain_pem) };
  gnutls_datum_t der = { NULL, 0 };
  GBytes *bytes;

  if (gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM) < 0 ||
      gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der) < 0)
    return NULL;
  bytes = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  return bytes;
}

/* --- one call ----------------------------------------------------------- */

typedef struct
{
  char *operation;
  char *doing;
} Call;

static void
call_free (Call *call)
{
  g_free (call->operation);
  g_free (call->doing);
  g_free (call);
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  VouchDeviceDriver *driver = g_task_get_source_object (task);
  g_autoptr(VouchDeviceResponse) response = NULL;
  g_autoptr(VouchAxisSoapAnswer) answer = NULL;
  g_autoptr(GError) parse_error = NULL;
  GError *error = NULL;

  response = vouch_device_client_send_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (response->body != NULL)
    answer = vouch_axis_soap_parse (g_bytes_get_data (response->body, NULL),
                                    g_bytes_get_size (response->body), &parse_error);

  /* A fault says more than its HTTP status (400 or 500). */
  if (answer != NULL && g_strcmp0 (answer->operation, "Fault") == 0)
    {
      vouch_axis_soap_check (answer, call->operation, call->doing, &error);
      g_task_return_error (task, error);
      return;
    }
  if (!_vouch_device_driver_check_status (driver, response, call->doing, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&parse_error));
      return;
    }
  if (!vouch_axis_soap_check (answer, call->operation, call->doing, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&answer),
                         (GDestroyNotify)vouch_axis_soap_answer_free);
}

void
vouch_axis_soap_call_async (VouchDeviceDriver   *driver,
                            const char          *path,
                            char                *envelope_text,
                            const char          *operation,
                            const char          *doing,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (driver, cancellable, callback, user_data);
  g_autofree char *basic = _vouch_device_driver_basic_auth (driver);
  const char *headers[] = { "Authorization", basic, NULL };
  g_autoptr(GBytes) bytes = g_bytes_new_take (envelope_text, strlen (envelope_text));
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, vouch_axis_soap_call_async);
  call->operation = g_strdup (operation);
  call->doing = g_strdup (doing);
  g_task_set_task_data (task, call, (GDestroyNotify)call_free);
  vouch_device_client_send_bytes_async (_vouch_device_driver_get_client (driver), "POST", path,
                                        bytes, "application/soap+xml; charset=utf-8", headers,
                                        FALSE, cancellable, call_cb, task);
  if (basic != NULL)
    gnutls_memset (basic, 0, strlen (basic));
}

VouchAxisSoapAnswer *
vouch_axis_soap_call_finish (VouchDeviceDriver  *driver,
                             GAsyncResult       *result,
                             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, driver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
