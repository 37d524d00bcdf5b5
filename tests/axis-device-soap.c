/* axis-device-soap.c: the Axis test camera's SOAP services, for tests
 *
 * Written from the public documentation:
 *
 * - VAPIX Certificate management API (/vapix/services, SOAP 1.2):
 *     acertificates:CreateCertificate2 (Id, Subject with acert:CN,
 *     ValidNotBefore, ValidNotAfter): a new key and a self-signed
 *     certificate under the Id;
 *   and the web server service: aweb:SetWebServerTlsConfiguration names
 *   the Id HTTPS uses (acert:Id in the CertificateSet).
 * - ONVIF Core, Device Management (/onvif/device_service):
 *     tds:GetPkcs10Request (CertificateID, Subject) →
 *       Pkcs10Request/tt:Data, base64 of the DER CSR (no extensions: the
 *       call takes a subject only);
 *     tds:GetCertificates → tt:NvtCertificate (tt:CertificateID,
 *       tt:Certificate/tt:Data, base64 DER) for each key;
 *     tds:LoadCertificates (NVTCertificate: tt:CertificateID,
 *       tt:Certificate/tt:Data) for a key the camera holds.
 *   Faults are SOAP 1.2 faults with ONVIF's generic subcodes:
 *   ter:InvalidArgVal, ter:NotAuthorized, ter:ActionNotSupported.
 *
 * Elements are found by their local name in the request's text: this
 * camera reads only what Vouch sends.
 *
 * Test code, never product code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "axis-device.h"

#include <string.h>

#define SOAP_TYPE "application/soap+xml; charset=utf-8"
#define ENVELOPE_START \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
  "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\" " \
  "xmlns:ter=\"http://www.onvif.org/ver10/error\" " \
  "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" " \
  "xmlns:tt=\"http://www.onvif.org/ver10/schema\" " \
  "xmlns:aweb=\"http://www.axis.com/vapix/ws/webserver\" " \
  "xmlns:acertificates=\"http://www.axis.com/vapix/ws/certificates\"><env:Body>"
#define ENVELOPE_END "</env:Body></env:Envelope>"

static void
reply_body (SoupServerMessage *msg,
            guint              status,
            const char        *body)
{
  g_autofree char *text = g_strconcat (ENVELOPE_START, body, ENVELOPE_END, NULL);

  device_kit_reply_text (msg, status, SOAP_TYPE, text);
}

static void
reply_fault (SoupServerMessage *msg,
             const char        *code,
             const char        *subcode,
             const char        *reason)
{
  g_autofree char *body = NULL;

  body = g_strdup_printf ("<env:Fault><env:Code><env:Value>env:%s</env:Value>"
                          "<env:Subcode><env:Value>ter:%s</env:Value></env:Subcode></env:Code>"
                          "<env:Reason><env:Text xml:lang=\"en\">%s</env:Text></env:Reason>"
                          "</env:Fault>", code, subcode, reason);
  reply_body (msg, g_str_equal (code, "Sender") ? 400 : 500, body);
}

/* The text of the first element named @local (any prefix), or NULL. */
static char *
element_text (const char *xml,
              const char *local)
{
  g_autofree char *plain = g_strdup_printf ("<%s>", local);
  g_autofree char *prefixed = g_strdup_printf (":%s>", local);
  const char *start = strstr (xml, prefixed);
  const char *end;

  if (start != NULL)
    start += strlen (prefixed);
  else if ((start = strstr (xml, plain)) != NULL)
    start += strlen (plain);
  end = start != NULL ? strstr (start, "</") : NULL;
  return end != NULL ? g_strstrip (g_strndup (start, end - start)) : NULL;
}

static char *
request_text (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  return g_strndup (g_bytes_get_data (bytes, NULL), MIN (g_bytes_get_size (bytes), 65536));
}

static char *
base64_der (const char *pem,
            gboolean    csr)
{
  gnutls_datum_t in = { (unsigned char *)pem, strlen (pem) };
  gnutls_datum_t der = { NULL, 0 };
  char *text = NULL;

  if (csr)
    {
      gnutls_x509_crq_t crq;

      gnutls_x509_crq_init (&crq);
      if (gnutls_x509_crq_import (crq, &in, GNUTLS_X509_FMT_PEM) >= 0 &&
          gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_DER, &der) >= 0)
        text = g_base64_encode (der.data, der.size);
      gnutls_x509_crq_deinit (crq);
    }
  else
    {
      gnutls_x509_crt_t crt;

      gnutls_x509_crt_init (&crt);
      if (gnutls_x509_crt_import (crt, &in, GNUTLS_X509_FMT_PEM) >= 0 &&
          gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der) >= 0)
        text = g_base64_encode (der.data, der.size);
      gnutls_x509_crt_deinit (crt);
    }
  gnutls_free (der.data);
  return text;
}

/* base64 DER → PEM, or NULL. */
static char *
certificate_pem (const char *data)
{
  gsize len = 0;
  g_autofree guchar *der = g_base64_decode (data, &len);
  gnutls_datum_t in = { der, len };
  gnutls_datum_t pem = { NULL, 0 };
  gnutls_x509_crt_t crt;
  char *text = NULL;

  gnutls_x509_crt_init (&crt);
  if (len > 0 && gnutls_x509_crt_import (crt, &in, GNUTLS_X509_FMT_DER) >= 0 &&
      gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &pem) >= 0)
    text = g_strndup ((const char *)pem.data, pem.size);
  gnutls_x509_crt_deinit (crt);
  gnutls_free (pem.data);
  return text;
}

/* --- /vapix/services ---------------------------------------------------- */

static void
create_certificate2 (SoupServerMessage *msg,
                     const char        *text)
{
  g_autofree char *id = element_text (text, "Id");
  g_autofree char *cn = element_text (text, "CN");
  AxisEntry *e;

  if (id == NULL || *id == '\0' || cn == NULL || *cn == '\0')
    {
      reply_fault (msg, "Sender", "InvalidArgVal", "Missing Id or CN");
      return;
    }
  if (g_hash_table_contains (axis_entries, id))
    {
      reply_fault (msg, "Sender", "InvalidArgVal", "A certificate with that Id exists");
      return;
    }
  /* The camera picks the key: no key type in this call. */
  e = axis_entry_new (id, "EC", 256, cn, NULL);
  if (e == NULL)
    {
      reply_fault (msg, "Receiver", "Action", "Could not create the certificate");
      return;
    }
  if (device_kit_misbehaves (axis_kit, "forget-id"))
    axis_entry_free (e);
  else
    g_hash_table_insert (axis_entries, e->alias, e);
  reply_body (msg, 200, "<acertificates:CreateCertificate2Response/>");
}

static void
set_web_server_tls (SoupServerMessage *msg,
                    const char        *text)
{
  g_autofree char *id = element_text (text, "Id");
  AxisEntry *e = id != NULL ? g_hash_table_lookup (axis_entries, id) : NULL;

  if (e == NULL)
    {
      reply_fault (msg, "Sender", "InvalidArgVal", "InvalidCertificateConfigurationFault");
      return;
    }
  if (!device_kit_misbehaves (axis_kit, "not-served"))
    device_kit_serve (axis_kit, e->key, e->certificate, NULL);
  reply_body (msg, 200, "<aweb:SetWebServerTlsConfigurationResponse/>");
}

void
axis_device_handle_services (SoupServerMessage *msg)
{
  g_autofree char *text = request_text (msg);

  if (strstr (text, "CreateCertificate2") != NULL)
    create_certificate2 (msg, text);
  else if (strstr (text, "SetWebServerTlsConfiguration") != NULL)
    set_web_server_tls (msg, text);
  else
    reply_fault (msg, "Sender", "ActionNotSupported", "Unsupported operation");
}

/* --- /onvif/device_service ---------------------------------------------- */

static AxisEntry *
entry_or_fault (SoupServerMessage *msg,
                const char        *id)
{
  AxisEntry *e = id != NULL ? g_hash_table_lookup (axis_entries, id) : NULL;

  if (e == NULL)
    reply_fault (msg, "Sender", "InvalidArgVal", "No key pair with that CertificateID");
  return e;
}

static void
get_pkcs10_request (SoupServerMessage *msg,
                    const char        *text)
{
  g_autofree char *id = element_text (text, "CertificateID");
  g_autofree char *subject_text = element_text (text, "Subject");
  g_autoptr(GError) error = NULL;
  g_autofree char *csr = NULL;
  g_autofree char *data = NULL;
  g_autofree char *body = NULL;
  DeviceKitSubject subject = { 0 };
  AxisEntry *e = entry_or_fault (msg, id);

  if (e == NULL)
    return;
  if (subject_text == NULL || !axis_parse_subject (subject_text, &subject))
    {
      reply_fault (msg, "Sender", "InvalidArgVal", "Invalid Subject");
      return;
    }
  if (device_kit_misbehaves (axis_kit, "csr-other-names"))
    subject.common_name = "someone-else.example";
  csr = device_kit_make_csr (e->key, &subject, NULL, &error);
  data = csr != NULL ? base64_der (csr, TRUE) : NULL;
  if (data == NULL)
    {
      reply_fault (msg, "Receiver", "Action", "Could not make the CSR");
      return;
    }
  body = g_strdup_printf ("<tds:GetPkcs10RequestResponse><tds:Pkcs10Request><tt:Data>%s</tt:Data>"
                          "</tds:Pkcs10Request></tds:GetPkcs10RequestResponse>", data);
  reply_body (msg, 200, body);
}

static void
get_certificates (SoupServerMessage *msg)
{
  g_autoptr(GString) body = g_string_new ("<tds:GetCertificatesResponse>");
  GHashTableIter iter;
  AxisEntry *e;

  g_hash_table_iter_init (&iter, axis_entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&e))
    {
      g_autofree char *id = g_markup_escape_text (e->alias, -1);
      g_autofree char *data = base64_der (e->certificate, FALSE);

      g_string_append_printf (body, "<tds:NvtCertificate><tt:CertificateID>%s</tt:CertificateID>"
                              "<tt:Certificate><tt:Data>%s</tt:Data></tt:Certificate>"
                              "</tds:NvtCertificate>", id, data);
    }
  g_string_append (body, "</tds:GetCertificatesResponse>");
  reply_body (msg, 200, body->str);
}

static void
load_certificates (SoupServerMessage *msg,
                   const char        *text)
{
  g_autofree char *id = element_text (text, "CertificateID");
  g_autofree char *data = element_text (text, "Data");
  g_autofree char *pem = data != NULL ? certificate_pem (data) : NULL;
  AxisEntry *e = entry_or_fault (msg, id);

  if (e == NULL)
    return;
  if (pem == NULL || !device_kit_chain_fits_key (pem, e->key, NULL))
    {
      reply_fault (msg, "Sender", "InvalidArgVal", "The certificate does not fit the key pair");
      return;
    }
  g_free (e->certificate);
  e->certificate = g_steal_pointer (&pem);
  if (e->key == axis_kit->tls_key && !device_kit_misbehaves (axis_kit, "not-served"))
    device_kit_serve (axis_kit, e->key, e->certificate, NULL);
  reply_body (msg, 200, "<tds:LoadCertificatesResponse/>");
}

void
axis_device_handle_onvif (SoupServerMessage *msg)
{
  g_autofree char *text = request_text (msg);

  /* ONVIF's users are its own: this camera checks them here, and says
   * so with a fault rather than an HTTP challenge (unless it takes
   * Digest only: then its auth domain did). */
  if ((!device_kit_misbehaves (axis_kit, "digest-only") && !device_kit_check_basic (axis_kit, msg)) ||
      device_kit_misbehaves (axis_kit, "onvif-no-user"))
    reply_fault (msg, "Sender", "NotAuthorized", "Sender not Authorized");
  else if (strstr (text, "GetPkcs10Request") != NULL)
    get_pkcs10_request (msg, text);
  else if (strstr (text, "GetCertificates") != NULL)
    get_certificates (msg);
  else if (strstr (text, "LoadCertificates") != NULL)
    load_certificates (msg, text);
  else
    reply_fault (msg, "Sender", "ActionNotSupported", "Unsupported operation");
}
