/* test-drivers.c: onboarding through each device driver against the
 * makers' test devices (tests/redfish-device.c, tests/axis-device.c) and by
 * hand, inside a private network namespace: identity by fingerprint,
 * credentials, each maker's quirks, and each misbehaviour's own message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-device-driver.h"
#include "vouch-error.h"
#include "vouch-inventory.h"
#include "vouch-key-bundle.h"
#include "vouch-manual-driver.h"
#include "vouch-onboarding.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>

#define PASSWORD TEST_ADMIN_TOKEN

typedef struct
{
  char            *dir;
  VouchAuthority  *authority;
  VouchOnboarding *onboarding;
  TestAgent       *device;
} Fixture;

typedef struct
{
  const char *program;    /* VOUCH_REDFISH_DEVICE or VOUCH_AXIS_DEVICE */
  const char *driver;
  const char *flavour;    /* for redfish-device */
  const char *misbehave;
  const char *password;   /* what Vouch is told; PASSWORD unless set */
  GQuark      domain;     /* 0: onboarding succeeds */
  int         code;
  const char *message;    /* a part of the error's message */
  gboolean    no_rest;    /* an Axis camera without cert/v1: the SOAP services */
  const char *key_type;   /* what the operator asks for; NULL: the device's default */
  gboolean    address_only;  /* no host name: the CSR's common name is an address */
} Case;

static guint counter;
static guint *handshakes;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("drivers-%u", counter++);

  fixture->dir = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), name, NULL);
  fixture->authority = vouch_authority_new (fixture->dir);
  g_assert_true (vouch_name_constraints_add (nc, "127.0.0.0/8", &error));
  g_assert_true (vouch_authority_create_root (fixture->authority, "Drivers Test",
                                              VOUCH_KEY_TYPE_ECDSA_P256, nc, NULL, &error));
  g_assert_no_error (error);
  fixture->onboarding = vouch_onboarding_new (fixture->authority);
  vouch_onboarding_set_timeout (fixture->onboarding, 10);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->device, test_agent_free);
  g_clear_object (&fixture->onboarding);
  g_assert_finalize_object (fixture->authority);
  g_free (fixture->dir);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  gint64 end = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);
  return *slot;
}

static TestAgent *
start_device (Fixture    *fixture,
              const Case *c)
{
  g_autofree char *state = g_build_filename (fixture->dir, "device", NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, "--no-dnssd");
  if (c->flavour != NULL)
    {
      g_ptr_array_add (args, "--flavour");
      g_ptr_array_add (args, (char *)c->flavour);
      g_ptr_array_add (args, "--no-ssdp");
      g_ptr_array_add (args, "--reset-seconds");
      g_ptr_array_add (args, "1");
      g_ptr_array_add (args, "--csr-seconds");
      g_ptr_array_add (args, "1");
      /* --no-dnssd is the Axis camera's */
      g_ptr_array_remove_index (args, 0);
    }
  if (c->no_rest)
    g_ptr_array_add (args, "--no-rest");
  if (c->misbehave != NULL)
    {
      g_ptr_array_add (args, "--misbehave");
      g_ptr_array_add (args, (char *)c->misbehave);
    }
  g_ptr_array_add (args, NULL);

  return test_agent_start_program (g_getenv (c->program), state, "127.0.2.1",
                                   (const char * const *)args->pdata);
}

static VouchDevice *
device_for (TestAgent  *agent,
            const char *driver)
{
  g_autofree char *id = g_strdup_printf ("manual:%s:%u", agent->address, agent->port);
  VouchDevice *device = vouch_device_new (id, VOUCH_DEVICE_KIND_HTTPS_ONLY);
  const char *addresses[] = { agent->address, NULL };

  vouch_device_set_name (device, agent->address);
  vouch_device_set_host (device, agent->address);
  vouch_device_set_addresses (device, addresses);
  vouch_device_set_port (device, (guint16)agent->port);
  vouch_device_set_manual (device, TRUE);
  vouch_device_set_driver (device, driver);
  vouch_device_set_user (device, "root");
  return device;
}

static gboolean
verify_fingerprint (Fixture     *fixture,
                    VouchDevice *device,
                    const char  *fingerprint,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vouch_onboarding_verify_fingerprint_async (fixture->onboarding, device, fingerprint, NULL,
                                             store_result_cb, &result);
  return vouch_onboarding_verify_finish (fixture->onboarding, wait_for (&result), error);
}

static VouchCertificate *
onboard (Fixture                   *fixture,
         VouchDevice               *device,
         const VouchOnboardOptions *options,
         GError                   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vouch_onboarding_onboard_async (fixture->onboarding, device, options, NULL, store_result_cb,
                                  &result);
  return vouch_onboarding_onboard_finish (fixture->onboarding, wait_for (&result), error);
}

/* The device's key, as the device shows it (its state directory's
 * fingerprint file), with colons as an operator may type it. */
static char *
typed_fingerprint (TestAgent *agent)
{
  g_autoptr(GString) typed = g_string_new (NULL);

  for (guint i = 0; agent->setup_code[i] != '\0' && agent->setup_code[i] != '\n'; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (typed, ':');
      g_string_append_c (typed, g_ascii_toupper (agent->setup_code[i]));
    }
  return g_string_free (g_steal_pointer (&typed), FALSE);
}

/* curl, trusting only the root, reaches the device by @host. */
static void
assert_curl_trusts (Fixture    *fixture,
                    const char *host)
{
  g_autofree char *root = g_build_filename (fixture->dir, "root.pem", NULL);
  g_autofree char *resolve = g_strdup_printf ("%s:%u:%s", host, fixture->device->port,
                                              fixture->device->address);
  g_autofree char *url = g_strdup_printf ("https://%s:%u/", host, fixture->device->port);
  const char *argv[] = { "curl", "-sS", "--max-time", "10", "--cacert", root, "--resolve",
                         resolve, url, "-o", "/dev/null", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (g_file_set_contents (root, vouch_certificate_get_pem (vouch_root_ca_get_certificate (
                                        vouch_authority_get_root (fixture->authority))), -1, NULL));
  vouch_test_run (argv, "", &out, &err, &status);
  if (status != 0)
    g_error ("curl does not trust %s: %s%s", host, out, err);
}

static void
test_case (Fixture       *fixture,
           gconstpointer  data)
{
  const Case *c = data;
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;
  g_autofree char *host = NULL;
  const char *names[3] = { NULL, NULL, NULL };
  g_autoptr(VouchDevice) device = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;

  fixture->device = start_device (fixture, c);
  device = device_for (fixture->device, c->driver);
  fingerprint = typed_fingerprint (fixture->device);

  g_assert_true (verify_fingerprint (fixture, device, fingerprint, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vouch_device_get_verification (device), ==, VOUCH_VERIFICATION_FINGERPRINT);
  g_assert_true (vouch_onboarding_set_admin_secret (fixture->onboarding, device,
                                                    c->password != NULL ? c->password : PASSWORD,
                                                    &error));
  g_assert_no_error (error);

  /* A host name first: it becomes the certificate's common name. */
  host = g_strconcat (c->flavour != NULL ? "redfish-device" : "axis-device", ".local", NULL);
  names[0] = c->address_only ? fixture->device->address : host;
  names[1] = c->address_only ? NULL : fixture->device->address;
  options.add_names = names;
  *handshakes = 0;
  options.key_type = c->key_type;
  cert = onboard (fixture, device, &options, &error);
  if (c->domain == 0)
    {
      g_test_message ("%u TLS handshakes", *handshakes);
      /* A conversation's POSTs go on the connection it already has, and
       * the first one on the verification's; a standard BMC needs no
       * connection to see its new key but confirmation's: one new
       * connection in all. Each POST made its own before (6), the
       * install its own while the test BMC closed the connection after
       * its DELETE (4), and the driver looked at the new key itself (2).
       * A BMC that serves the certificate late is looked at again. */
      if (g_strcmp0 (c->flavour, "openbmc") == 0 && c->misbehave == NULL)
        g_assert_cmpuint (*handshakes, ==, 1);
      if (g_strcmp0 (c->misbehave, "served-late") == 0)
        g_assert_cmpuint (*handshakes, >=, 2);
      g_assert_no_error (error);
      g_assert_nonnull (cert);
      g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
      g_assert_cmpstr (vouch_device_get_pin (device), ==, vouch_certificate_get_key_sha256 (cert));
      g_assert_true (g_strv_contains (vouch_certificate_get_names (cert),
                                      fixture->device->address));
      /* Also when the CSR had no subjectAltName (ONVIF's takes a subject
       * only): browsers need the name there. */
      g_assert_true (c->address_only ||
                     g_strv_contains (vouch_certificate_get_names (cert), host));
      /* (an iLO may still be resetting itself) */
      if (c->flavour == NULL)
        assert_curl_trusts (fixture, c->address_only ? fixture->device->address : host);
      return;
    }

  g_assert_null (cert);
  g_assert_error (error, c->domain, c->code);
  if (c->message != NULL && strstr (error->message, c->message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, c->message);
}

/* Another key on the first contact than the fingerprint the operator
 * compared: refused, nothing pinned. */
static void
test_fingerprint_mismatch (Fixture       *fixture,
                           gconstpointer  data)
{
  static const Case c = { "VOUCH_REDFISH_DEVICE", "redfish", "openbmc", NULL, NULL, 0, 0, NULL };
  g_autoptr(VouchDevice) device = NULL;
  g_autoptr(GError) error = NULL;

  fixture->device = start_device (fixture, &c);
  device = device_for (fixture->device, "redfish");
  g_assert_false (verify_fingerprint (fixture, device,
                                      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                                      &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_SETUP_CODE_MISMATCH);
  g_assert_null (vouch_device_get_pin (device));
  g_clear_error (&error);

  g_assert_false (verify_fingerprint (fixture, device, "not hex", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
}

/* By hand: the operator's CSR is signed, the chain saved in each format
 * the device's page may ask for, and the confirmation says the device
 * does not serve it yet. */
static void
test_by_hand (Fixture       *fixture,
              gconstpointer  data)
{
  static const Case c = { "VOUCH_AXIS_DEVICE", "manual", NULL, NULL, NULL, 0, 0, NULL };
  static const char * const formats[] = { "pem", "der", "pkcs7" };
  g_autoptr(VouchDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;

  fixture->device = start_device (fixture, &c);
  device = device_for (fixture->device, "manual");
  fingerprint = typed_fingerprint (fixture->device);
  g_assert_true (verify_fingerprint (fixture, device, fingerprint, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;
      g_autofree char *csr = vouch_test_make_simple_csr (fixture->device->address);
      g_autofree char *path = g_strdup_printf ("%s/chain-%s", fixture->dir, formats[i]);
      g_autofree char *contents = NULL;
      g_autoptr(VouchCertificate) cert = NULL;
      gsize len = 0;

      g_remove (path);
      options.csr_pem = csr;
      options.chain_path = path;
      options.chain_format = formats[i];
      cert = onboard (fixture, device, &options, &error);
      g_assert_null (cert);
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED);
      g_assert_nonnull (strstr (error->message, "does not serve the new certificate yet"));
      g_clear_error (&error);

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      if (i == 0)
        g_assert_nonnull (strstr (contents, "-----BEGIN CERTIFICATE-----"));
      else
        g_assert_cmpint ((guchar)contents[0], ==, 0x30); /* DER: a SEQUENCE */
    }

  /* Each new request (a new key each time) was signed anew, not replaced
   * by the certificate signed for the one before. */
  {
    g_autoptr(GListModel) entries = NULL;

    entries = vouch_inventory_list_entries (vouch_authority_get_inventory (fixture->authority),
                                            g_get_real_time () / G_USEC_PER_SEC, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (entries), ==, G_N_ELEMENTS (formats));
  }

  /* Confirming later, without a CSR: the last chain is still not served. */
  {
    g_autoptr(VouchCertificate) cert = onboard (fixture, device, NULL, &error);

    g_assert_null (cert);
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED);
    g_clear_error (&error);
  }

  /* A CSR without a chain path, a format Vouch does not write: each says
   * so. */
  {
    VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;
    g_autofree char *csr = vouch_test_make_simple_csr (fixture->device->address);
    g_autoptr(VouchCertificate) cert = NULL;

    options.csr_pem = csr;
    cert = onboard (fixture, device, &options, &error);
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "save the signed chain"));
    g_clear_error (&error);
  }
  {
    VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;
    g_autoptr(VouchCertificate) cert = NULL;

    options.chain_format = "jks";
    cert = onboard (fixture, device, &options, &error);
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "jks"));
  }
}

/* Key and certificate together: a PKCS#12 file that opens with the
 * passphrase only, holding a certificate the inventory recorded. */
static void
test_key_bundle (Fixture       *fixture,
                 gconstpointer  data)
{
  const char * const names[] = { "camera.local", "127.0.2.9", NULL };
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = NULL;
  gnutls_pkcs12_t p12 = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_len = 0;
  gnutls_datum_t der;
  char name[64];
  size_t name_len = sizeof name;
  unsigned int type = 0;

  bundle = vouch_key_bundle_make (fixture->authority, names, VOUCH_KEY_TYPE_ECDSA_P256, 90,
                                  "manual:127.0.2.9:443", "", NULL, &error);
  g_assert_null (bundle);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);

  bundle = vouch_key_bundle_make (fixture->authority, names, VOUCH_KEY_TYPE_ECDSA_P256, 90,
                                  "manual:127.0.2.9:443", "correct horse", NULL, &error);
  g_assert_no_error (error);

  der.data = (unsigned char *)g_bytes_get_data (bundle, NULL);
  der.size = (unsigned int)g_bytes_get_size (bundle);
  g_assert_cmpint (gnutls_pkcs12_init (&p12), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_import (p12, &der, GNUTLS_X509_FMT_DER, 0), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_verify_mac (p12, "wrong"), <, 0);
  g_assert_cmpint (gnutls_pkcs12_verify_mac (p12, "correct horse"), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_simple_parse (p12, "correct horse", &key, &chain, &chain_len,
                                               NULL, NULL, NULL, 0), >=, 0);
  g_assert_cmpuint (chain_len, ==, 1);
  g_assert_cmpint (gnutls_x509_crt_get_subject_alt_name2 (chain[0], 0, name, &name_len, &type,
                                                          NULL), ==, GNUTLS_SAN_DNSNAME);
  g_assert_cmpstr (name, ==, "camera.local");

  entries = vouch_inventory_list_entries (vouch_authority_get_inventory (fixture->authority),
                                          g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);

  gnutls_x509_crt_deinit (chain[0]);
  gnutls_free (chain);
  gnutls_x509_privkey_deinit (key);
  gnutls_pkcs12_deinit (p12);
}

/* What each driver says it can do. */
static void
test_capabilities (void)
{
  const char * const *ids = vouch_device_driver_list_ids ();
  const VouchDriverInfo *info;
  g_autoptr(VouchDeviceDriver) driver = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (ids[0], ==, "vouch");
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_cmpstr (vouch_device_driver_lookup_info (ids[i])->id, ==, ids[i]);
  g_assert_null (vouch_device_driver_lookup_info ("snmp"));
  g_assert_null (vouch_device_driver_new ("snmp", "https://127.0.0.1:443", NULL, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  info = vouch_device_driver_lookup_info ("redfish");
  g_assert_cmpint (info->credentials, ==, VOUCH_DRIVER_CREDENTIALS_USER_PASSWORD);
  g_assert_cmpstr (info->key_types[0], ==, "ecdsa-p384");
  g_assert_true (vouch_device_driver_lookup_info ("vouch")->csr_challenge);
  g_assert_true (vouch_device_driver_lookup_info ("manual")->by_hand);

  driver = vouch_device_driver_new ("redfish", "https://127.0.0.1:443", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (vouch_device_driver_accepts_key_type (driver, "rsa-4096"));
  g_assert_true (vouch_device_driver_accepts_key_type (driver, NULL));

  {
    g_autoptr(GBytes) bytes = vouch_manual_driver_export_chain ("not a chain", "der", &error);

    g_assert_null (bytes);
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  }
}

static const Case cases[] = {
  { "VOUCH_REDFISH_DEVICE", "redfish", "openbmc", NULL, NULL, 0, 0, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", "idrac", NULL, NULL, 0, 0, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", "ilo", NULL, NULL, 0, 0, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", "openbmc", NULL, "wrong", 0, 0, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", "openbmc", "csr-pending-once", NULL, 0, 0, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", "openbmc", "csr-pending", NULL, 0, 0, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", "openbmc", "session-expires", NULL, 0, 0, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", "openbmc", "csr-other-names", NULL, 0, 0, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", "openbmc", "not-served", NULL, 0, 0, NULL },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, NULL, NULL, 0, 0, NULL },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, NULL, "wrong", 0, 0, NULL },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, "csr-other-names", NULL, 0, 0, NULL },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, "not-served", NULL, 0, 0, NULL },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, NULL, NULL, 0, 0, NULL, TRUE },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, NULL, "wrong", 0, 0, NULL, TRUE },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, "onvif-no-user", NULL, 0, 0, NULL, TRUE },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, "forget-id", NULL, 0, 0, NULL, TRUE },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, "csr-other-names", NULL, 0, 0, NULL, TRUE },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, "not-served", NULL, 0, 0, NULL, TRUE },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, NULL, NULL, 0, 0, NULL, TRUE, "ecdsa-p256" },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, NULL, NULL, 0, 0, NULL, TRUE, "rsa-3072" },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, "digest-only", NULL, 0, 0, NULL, FALSE },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, "digest-only", NULL, 0, 0, NULL, TRUE },
  { "VOUCH_AXIS_DEVICE", "axis", NULL, NULL, NULL, 0, 0, NULL, TRUE, NULL, TRUE },
};

/* bmcweb may swap a certificate in a moment after taking it: confirmation
 * looks again. */
static const Case served_late = {
  "VOUCH_REDFISH_DEVICE", "redfish", "openbmc", "served-late", NULL, 0, 0, NULL
};

static const char * const case_names[] = {
  "redfish/openbmc", "redfish/idrac", "redfish/ilo", "redfish/wrong-password",
  "redfish/csr-pending-once", "redfish/csr-pending", "redfish/session-expires",
  "redfish/csr-other-names", "redfish/not-served",
  "axis/rest", "axis/wrong-password", "axis/csr-other-names", "axis/not-served",
  "axis/soap", "axis/soap-wrong-password", "axis/soap-onvif-no-user", "axis/soap-fault-bad-id",
  "axis/soap-csr-other-names", "axis/soap-not-served", "axis/soap-key-type-made",
  "axis/soap-key-type-not-made", "axis/digest-only", "axis/soap-digest-only",
  "axis/soap-address-only",
};

int
main (int    argc,
      char **argv)
{
  static Case expected[G_N_ELEMENTS (cases)];

  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();
  handshakes = vouch_test_count_handshakes ();
  /* iLO's background CSR and reset, polled quickly. */
  g_setenv ("VOUCH_REDFISH_POLL_MS", "200", TRUE);

  memcpy (expected, cases, sizeof cases);
  expected[3].domain = VOUCH_ERROR, expected[3].code = VOUCH_ERROR_SECRET_REFUSED;
  expected[3].message = "refused the user name and password";
  expected[5].domain = VOUCH_ERROR, expected[5].code = VOUCH_ERROR_DEVICE_BUSY;
  expected[5].message = "busy";
  expected[7].domain = VOUCH_ERROR, expected[7].code = VOUCH_ERROR_DEVICE_PROTOCOL;
  expected[7].message = "a name Vouch did not ask for";
  expected[8].domain = VOUCH_ERROR, expected[8].code = VOUCH_ERROR_CONFIRMATION_FAILED;
  expected[8].message = "still serves its old one";
  expected[10].domain = VOUCH_ERROR, expected[10].code = VOUCH_ERROR_SECRET_REFUSED;
  expected[11].domain = VOUCH_ERROR, expected[11].code = VOUCH_ERROR_DEVICE_PROTOCOL;
  expected[12].domain = VOUCH_ERROR, expected[12].code = VOUCH_ERROR_CONFIRMATION_FAILED;
  /* Firmware without cert/v1: the SOAP services, each fault in words. */
  expected[14].domain = VOUCH_ERROR, expected[14].code = VOUCH_ERROR_SECRET_REFUSED;
  expected[14].message = "refused the user name and password";
  expected[15].domain = VOUCH_ERROR, expected[15].code = VOUCH_ERROR_SECRET_REFUSED;
  expected[15].message = "ONVIF users";
  expected[16].domain = VOUCH_ERROR, expected[16].code = VOUCH_ERROR_DEVICE_REFUSED;
  expected[16].message = "No key pair with that CertificateID (InvalidArgVal)";
  expected[17].domain = VOUCH_ERROR, expected[17].code = VOUCH_ERROR_DEVICE_PROTOCOL;
  expected[17].message = "a name Vouch did not ask for";
  expected[18].domain = VOUCH_ERROR, expected[18].code = VOUCH_ERROR_CONFIRMATION_FAILED;
  expected[18].message = "still serves its old one";
  expected[20].domain = VOUCH_ERROR, expected[20].code = VOUCH_ERROR_DEVICE_PROTOCOL;
  expected[20].message = "chooses its own key type, not rsa-3072";

  g_test_add_func ("/drivers/capabilities", test_capabilities);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = g_strconcat ("/drivers/", case_names[i], NULL);

      g_test_add (path, Fixture, &expected[i], fixture_setup, test_case, fixture_teardown);
    }
  g_test_add ("/drivers/redfish/served-late", Fixture, &served_late, fixture_setup, test_case,
              fixture_teardown);
  g_test_add ("/drivers/fingerprint-mismatch", Fixture, NULL, fixture_setup,
              test_fingerprint_mismatch, fixture_teardown);
  g_test_add ("/drivers/by-hand", Fixture, NULL, fixture_setup, test_by_hand, fixture_teardown);
  g_test_add ("/drivers/key-bundle", Fixture, NULL, fixture_setup, test_key_bundle,
              fixture_teardown);

  return g_test_run ();
}
