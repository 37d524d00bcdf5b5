/* test-axis-soap.c: the SOAP requests the Axis driver builds for firmware
 * without cert/v1, and how it reads the answers: results, SOAP 1.2 and 1.1
 * faults, a CSR in DER or PEM, hostile text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-axis-soap.h"
#include "vouch-error.h"
#include "vouch-test-util.h"

#include <string.h>

#define ENV_START "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\" " \
                  "xmlns:ter=\"http://www.onvif.org/ver10/error\"><env:Body>"
#define ENV_END "</env:Body></env:Envelope>"

static VouchAxisSoapAnswer *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  VouchAxisSoapAnswer *answer = vouch_axis_soap_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return answer;
}

/* Every value is escaped, and what Vouch sends reads back as SOAP. */
static void
test_requests (void)
{
  g_autoptr(GDateTime) from = g_date_time_new_utc (2026, 12, 7, 14, 0, 0);
  g_autoptr(GDateTime) until = g_date_time_add_years (from, 1);
  g_autofree char *create = vouch_axis_soap_create_certificate2 ("a<b&c", "cam.local", from, until);
  g_autofree char *csr = vouch_axis_soap_get_pkcs10_request ("vouch-1", "cam.local");
  g_autoptr(GBytes) der = g_bytes_new_static ("\x30\x03\x02\x01\x01", 5);
  g_autofree char *load = vouch_axis_soap_load_certificates ("vouch-1", der);
  g_autofree char *serve = vouch_axis_soap_set_web_server_tls ("vouch-1");
  g_autoptr(VouchAxisSoapAnswer) answer = NULL;

  g_assert_nonnull (strstr (create, "<acertificates:Id>a&lt;b&amp;c</acertificates:Id>"));
  g_assert_nonnull (strstr (create, "<acert:CN>cam.local</acert:CN>"));
  g_assert_nonnull (strstr (create, "2026-12-07T14:00:00</acertificates:ValidNotBefore>"));
  g_assert_nonnull (strstr (csr, "<tds:Subject>CN=cam.local</tds:Subject>"));
  g_assert_nonnull (strstr (load, "<tt:Data>MAMCAQE=</tt:Data>"));
  g_assert_nonnull (strstr (serve, "<acert:Id>vouch-1</acert:Id>"));

  answer = parse (create);
  g_assert_cmpstr (answer->operation, ==, "CreateCertificate2");
}

static void
test_results (void)
{
  g_autofree char *csr_pem = vouch_test_make_simple_csr ("cam.local");
  g_autofree char *csr_b64 = g_base64_encode ((const guchar *)csr_pem, strlen (csr_pem));
  g_autofree char *text = g_strdup_printf (ENV_START "<tds:GetPkcs10RequestResponse "
                                           "xmlns:tds=\"d\" xmlns:tt=\"t\"><tds:Pkcs10Request>"
                                           "<tt:Data>\n%s\n</tt:Data></tds:Pkcs10Request>"
                                           "</tds:GetPkcs10RequestResponse>" ENV_END, csr_b64);
  g_autoptr(VouchAxisSoapAnswer) answer = parse (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;

  /* A PEM CSR, as ONVIF allows besides DER, comes back as PEM. */
  g_assert_true (vouch_axis_soap_check (answer, "GetPkcs10Request", "making the CSR", &error));
  pem = vouch_axis_soap_pkcs10_pem (answer, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN NEW CERTIFICATE REQUEST-----"));

  /* Another operation's answer is not this one's result. */
  g_assert_false (vouch_axis_soap_check (answer, "LoadCertificates", "installing", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL);
  g_clear_error (&error);

  /* No CSR in a result that should carry one. */
  {
    g_autoptr(VouchAxisSoapAnswer) empty = parse (ENV_START "<GetPkcs10RequestResponse/>" ENV_END);
    g_autofree char *none = vouch_axis_soap_pkcs10_pem (empty, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL);
    g_clear_error (&error);
  }

  /* Certificates without data are left out; the others are listed. */
  {
    g_autoptr(VouchAxisSoapAnswer) list = parse (ENV_START "<GetCertificatesResponse>"
                                                 "<NvtCertificate><CertificateID>a</CertificateID>"
                                                 "<Certificate><Data>MAMCAQE=</Data></Certificate>"
                                                 "</NvtCertificate><NvtCertificate><CertificateID>b"
                                                 "</CertificateID></NvtCertificate>"
                                                 "</GetCertificatesResponse>" ENV_END);

    g_assert_cmpuint (list->certificates->len, ==, 1);
    g_assert_cmpstr (((VouchAxisSoapCertificate *)list->certificates->pdata[0])->id, ==, "a");
  }
}

/* Each fault in the operator's words, the camera's text made safe. */
static void
test_faults (void)
{
  static const struct
  {
    const char *text;
    int         code;
    const char *says;
  } faults[] = {
    { ENV_START "<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>"
      "ter:NotAuthorized</env:Value></env:Subcode></env:Code><env:Reason><env:Text>Sender not "
      "Authorized</env:Text></env:Reason></env:Fault>" ENV_END,
      VOUCH_ERROR_SECRET_REFUSED, "ONVIF users" },
    { ENV_START "<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>"
      "ter:InvalidArgVal</env:Value><env:Subcode><env:Value>ter:InvalidCertificateID</env:Value>"
      "</env:Subcode></env:Subcode></env:Code><env:Reason><env:Text>No \xe2\x80\xae such\x1b[2J"
      " Id</env:Text></env:Reason></env:Fault>" ENV_END,
      VOUCH_ERROR_DEVICE_REFUSED, "(InvalidCertificateID)" },
    { ENV_START "<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>"
      "ter:ActionNotSupported</env:Value></env:Subcode></env:Code><env:Reason><env:Text>No"
      "</env:Text></env:Reason></env:Fault>" ENV_END,
      VOUCH_ERROR_DEVICE_PROTOCOL, "firmware may be too old" },
    { ENV_START "<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code>"
      "<env:Reason><env:Text>Keystore full</env:Text></env:Reason></env:Fault>" ENV_END,
      VOUCH_ERROR_DEVICE_REFUSED, "failed while making a key: Keystore full" },
    { "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
      "<faultcode>s:Client</faultcode><faultstring>Bad &amp; wrong</faultstring></s:Fault>"
      "</s:Body></s:Envelope>",
      VOUCH_ERROR_DEVICE_REFUSED, "refused making a key: Bad & wrong" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(VouchAxisSoapAnswer) answer = parse (faults[i].text);
      g_autoptr(GError) error = NULL;

      g_assert_false (vouch_axis_soap_check (answer, "CreateCertificate2", "making a key", &error));
      g_assert_error (error, VOUCH_ERROR, faults[i].code);
      if (strstr (error->message, faults[i].says) == NULL)
        g_error ("“%s” does not say “%s”", error->message, faults[i].says);
      g_assert_null (strstr (error->message, "\x1b"));
      g_assert_null (strstr (error->message, "\xe2\x80\xae"));
    }
}

/* What is not a SOAP envelope is refused, with a reason. */
static void
test_not_soap (void)
{
  static const char * const bad[] = {
    "", "<html><body>Not found</body></html>", "<env:Envelope><env:Body>",
    "<Envelope><Body></Body></Envelope>", "<Envelope><Other/></Envelope>",
    "<!DOCTYPE x [<!ENTITY e \"x\">]><Envelope><Body><A>&e;</A></Body></Envelope>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VouchAxisSoapAnswer) answer = vouch_axis_soap_parse (bad[i], strlen (bad[i]),
                                                                     &error);

      g_assert_null (answer);
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL);
    }

  /* Deep nesting stops at a bound. */
  {
    g_autoptr(GString) deep = g_string_new ("<Envelope><Body>");
    g_autoptr(GError) error = NULL;
    g_autoptr(VouchAxisSoapAnswer) answer = NULL;

    for (guint i = 0; i < 100; i++)
      g_string_append (deep, "<a>");
    answer = vouch_axis_soap_parse (deep->str, deep->len, &error);
    g_assert_null (answer);
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/axis-soap/requests", test_requests);
  g_test_add_func ("/axis-soap/results", test_results);
  g_test_add_func ("/axis-soap/faults", test_faults);
  g_test_add_func ("/axis-soap/not-soap", test_not_soap);

  return g_test_run ();
}
