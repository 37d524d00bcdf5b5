/* test-bulk-drivers.c: twenty devices of mixed kinds in one private LAN
 *
 * Vouch agents, Redfish BMCs of the three flavours and Axis cameras in one
 * bulk run, five of them misbehaving, then two devices done by hand (their
 * CSR from the device's own page, the chain saved for the person to
 * upload, then confirmed), which a bulk run cannot do: each needs its own
 * request. Each failing device
 * fails alone with its own message; every other one ends confirmed, and
 * curl, trusting only the root, accepts it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "agent-test-util.h"
#include "vouch-test-util.h"
#include "vouch-authority.h"
#include "vouch-bulk-onboarding.h"
#include "vouch-error.h"
#include "vouch-name-constraints.h"
#include "vouch-onboarding.h"
#include "vouch-root-ca.h"

#include <string.h>

#define N_AGENTS 5
#define N_BY_HAND 2
#define PASSWORD "bmc-password-0123"

typedef struct
{
  const char *program;   /* environment variable naming the program */
  const char *driver;
  const char *extra[4];
  const char *password;  /* what Vouch is told; NULL: the device's own */
  /* NULL: succeeds; else a piece of the message it must fail with */
  const char *fails_with;
} Kind;

static const Kind kinds[] = {
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "openbmc" }, NULL, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "openbmc" }, NULL, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "idrac" }, NULL, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "idrac" }, NULL, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "ilo" }, NULL, NULL },
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "ilo" }, NULL, NULL },
  { "VOUCH_AXIS_DEVICE", "axis", { NULL }, NULL, NULL },
  /* firmware without cert/v1: the SOAP services */
  { "VOUCH_AXIS_DEVICE", "axis", { "--no-rest" }, NULL, NULL },
  /* misbehaving */
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "openbmc", "--misbehave", "csr-pending" }, NULL,
    "busy" },
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "openbmc", "--misbehave", "not-served" }, NULL,
    "old one" },
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "idrac" }, "not-the-password", "password" },
  { "VOUCH_AXIS_DEVICE", "axis", { "--misbehave", "csr-other-key" }, NULL, "certificate" },
  { "VOUCH_REDFISH_DEVICE", "redfish", { "--flavour", "ilo", "--misbehave", "csr-other-names" }, NULL,
    "someone-else.example" },
};

typedef struct
{
  char            *dir;
  char            *root_path;
  VouchAuthority  *authority;
  VouchOnboarding *onboarding;
  GPtrArray       *agents;    /* TestAgent, in the order of devices */
  GPtrArray       *devices;   /* VouchDevice */
  GPtrArray       *failing;   /* const char *, or NULL, per device */
} Fixture;

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  gint64 end = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);
  return *slot;
}

static VouchDevice *
device_for (TestAgent  *agent,
            const char *driver)
{
  VouchDevice *device = vouch_device_new (agent->device_id, g_str_equal (driver, "vouch")
                                                            ? VOUCH_DEVICE_KIND_VOUCH
                                                            : VOUCH_DEVICE_KIND_HTTPS_ONLY);
  const char *addresses[] = { agent->address, NULL };

  vouch_device_set_name (device, agent->host_name);
  vouch_device_set_host (device, agent->host_name);
  vouch_device_set_addresses (device, addresses);
  vouch_device_set_port (device, (guint16)agent->port);
  vouch_device_set_driver (device, driver);
  vouch_device_set_online (device, TRUE);
  return device;
}

static void
add (Fixture     *f,
     TestAgent   *agent,
     VouchDevice *device,
     const char  *fails_with)
{
  g_ptr_array_add (f->agents, agent);
  g_ptr_array_add (f->devices, device);
  g_ptr_array_add (f->failing, (gpointer)fails_with);
}

/* The operator verifies every device (setup code, or the fingerprint on
 * its label) and gives its credentials. */
static void
prepare (Fixture     *f,
         VouchDevice *device,
         TestAgent   *agent,
         const char  *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (vouch_device_get_kind (device) == VOUCH_DEVICE_KIND_VOUCH)
    vouch_onboarding_verify_async (f->onboarding, device, agent->setup_code, NULL, store_result_cb, &result);
  else
    vouch_onboarding_verify_fingerprint_async (f->onboarding, device, agent->setup_code, NULL,
                                               store_result_cb, &result);
  g_assert_true (vouch_onboarding_verify_finish (f->onboarding, wait_for (&result), &error));
  g_assert_no_error (error);
  if (password != NULL)
    {
      vouch_device_set_user (device, "root");
      g_assert_true (vouch_onboarding_set_admin_secret (f->onboarding, device, password, &error));
      g_assert_no_error (error);
    }
}

static void
start_devices (Fixture *f)
{
  const char *names[N_AGENTS] = { "Gateway 1", "Gateway 2", "Gateway 3", "Gateway 4", "Gateway 5" };
  const char *hosts[N_AGENTS] = { "gw1.local", "gw2.local", "gw3.local", "gw4.local", "gw5.local" };
  g_autoptr(GPtrArray) agents = test_agents_start_named ("bulk-gw", "127.0.6", N_AGENTS, names, hosts, NULL);

  while (agents->len > 0)
    {
      TestAgent *agent = g_ptr_array_steal_index (agents, 0);

      add (f, agent, device_for (agent, "vouch"), NULL);
      prepare (f, g_ptr_array_index (f->devices, f->devices->len - 1), agent, TEST_ADMIN_TOKEN);
    }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *state = g_strdup_printf ("%s/device-%u", f->dir, i);
      g_autofree char *address = g_strdup_printf ("127.0.7.%u", i + 1);
      g_autofree char *host = g_strdup_printf ("device-%u.local", i + 1);
      const char *args[] = { "--hostname", host, "--no-ssdp", kinds[i].extra[0], kinds[i].extra[1],
                             kinds[i].extra[2], kinds[i].extra[3], NULL };
      TestAgent *agent;

      /* axis-device announces over DNS-SD instead; there is no avahi here */
      if (g_str_equal (kinds[i].driver, "axis"))
        args[2] = "--no-dnssd";
      agent = test_agent_start_program (g_getenv (kinds[i].program), state, address, args);
      agent->host_name = g_strdup (host);
      add (f, agent, device_for (agent, kinds[i].driver), kinds[i].fails_with);
      prepare (f, g_ptr_array_index (f->devices, f->devices->len - 1), agent,
               kinds[i].password != NULL ? kinds[i].password : TEST_ADMIN_TOKEN);
    }
}

/* --- by hand ------------------------------------------------------------ */

/* The device's page makes a key and a CSR for its names. */
static char *
csr_from_page (TestAgent *agent)
{
  g_autofree char *create = g_strdup_printf ("{\"data\":{\"alias\":\"web\",\"subject\":\"CN=%s\","
                                             "\"subject_alt_names\":[\"DNS:%s\",\"IP:%s\"]}}",
                                             agent->host_name, agent->host_name, agent->address);
  g_autofree char *get = g_strdup_printf ("{\"data\":{\"subject\":\"CN=%s\","
                                          "\"subject_alt_names\":[\"DNS:%s\",\"IP:%s\"]}}",
                                          agent->host_name, agent->host_name, agent->address);
  g_autofree char *created = test_agent_person_does (agent, "POST",
                                                     "/config/rest/cert/v1/create_certificate",
                                                     "application/json", create);
  g_autofree char *answer = test_agent_person_does (agent, "POST",
                                                    "/config/rest/cert/v1/certificates/web/get_csr",
                                                    "application/json", get);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, answer, -1, NULL));
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "data"));
}

/* The person uploads the chain Vouch saved on the device's page and
 * makes HTTPS use it. */
static void
upload_on_page (TestAgent  *agent,
                const char *chain_path)
{
  g_autofree char *chain = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *patch = NULL;
  g_autofree char *patched = NULL;
  g_autofree char *used = NULL;

  g_assert_true (g_file_get_contents (chain_path, &chain, NULL, NULL));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "certificate");
  json_builder_add_string_value (builder, chain);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  patch = json_to_string (root, FALSE);
  patched = test_agent_person_does (agent, "PATCH", "/config/rest/cert/v1/certificates/web",
                                    "application/json", patch);
  used = test_agent_person_does (agent, "POST", "/vapix/services", "application/soap+xml",
                                 "<Envelope><Body><aweb:SetWebServerTlsConfiguration><CertificateSet>"
                                 "<acert:Id>web</acert:Id></CertificateSet></aweb:SetWebServerTlsConfiguration>"
                                 "</Body></Envelope>");
}

static VouchCertificate *
onboard (Fixture                   *f,
         VouchDevice               *device,
         const VouchOnboardOptions *options,
         GError                   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vouch_onboarding_onboard_async (f->onboarding, device, options, NULL, store_result_cb, &result);
  return vouch_onboarding_onboard_finish (f->onboarding, wait_for (&result), error);
}

/* By hand: the CSR from the device's page, the chain saved for the
 * person to upload, then confirmed like any other device's. */
static void
onboard_by_hand (Fixture   *f,
                 guint      index,
                 TestAgent *agent)
{
  g_autofree char *csr = csr_from_page (agent);
  g_autofree char *chain_path = g_strdup_printf ("%s/by-hand-%u.pem", f->dir, index);
  g_autoptr(VouchDevice) device = device_for (agent, "manual");
  g_autoptr(VouchCertificate) saved = NULL;
  g_autoptr(VouchCertificate) confirmed = NULL;
  g_autoptr(GError) error = NULL;
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;

  prepare (f, device, agent, NULL);
  options.csr_pem = csr;
  options.chain_path = chain_path;
  options.chain_format = "pem";

  /* Signed and saved, but the device does not serve it yet. */
  saved = onboard (f, device, &options, &error);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED);
  g_assert_nonnull (strstr (error->message, "does not serve the new certificate yet"));
  g_assert_true (g_file_test (chain_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  upload_on_page (agent, chain_path);
  confirmed = onboard (f, device, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (confirmed);
  g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
}

/* curl, trusting only the root, reaches the device by name and address. */
static void
assert_curl_trusts (Fixture   *f,
                    TestAgent *agent)
{
  g_autofree char *resolve = g_strdup_printf ("%s:%u:%s", agent->host_name, agent->port, agent->address);
  g_autofree char *url = g_strdup_printf ("https://%s:%u/", agent->host_name, agent->port);
  const char *argv[] = { "curl", "-sS", "--max-time", "10", "--cacert", f->root_path, "--resolve", resolve,
                         url, "-o", "/dev/null", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  vouch_test_run (argv, "", &out, &err, &status);
  if (status != 0)
    g_error ("curl does not trust %s: %s%s", agent->host_name, out, err);
}

static void
test_twenty (void)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GListStore) store = g_list_store_new (VOUCH_TYPE_DEVICE);
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  guint failed = 0;

  f->dir = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "bulk-drivers", NULL);
  f->authority = vouch_authority_new (f->dir);
  g_assert_true (vouch_name_constraints_add (nc, "127.0.0.0/8", &error));
  g_assert_true (vouch_authority_create_root (f->authority, "Bulk Drivers Test", VOUCH_KEY_TYPE_ECDSA_P256,
                                              nc, NULL, &error));
  g_assert_no_error (error);
  f->root_path = g_build_filename (f->dir, "root.pem", NULL);
  g_assert_true (g_file_set_contents (f->root_path,
                                      vouch_certificate_get_pem (vouch_root_ca_get_certificate (
                                        vouch_authority_get_root (f->authority))), -1, NULL));
  f->onboarding = vouch_onboarding_new (f->authority);
  f->agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);
  f->devices = g_ptr_array_new_with_free_func (g_object_unref);
  f->failing = g_ptr_array_new ();

  start_devices (f);
  for (guint i = 0; i < f->devices->len; i++)
    g_list_store_append (store, g_ptr_array_index (f->devices, i));

  bulk = vouch_bulk_onboarding_new (f->onboarding, G_LIST_MODEL (store), VOUCH_BULK_DEFAULT_CONCURRENCY);
  vouch_bulk_onboarding_run_async (bulk, NULL, store_result_cb, &result);
  vouch_bulk_onboarding_run_finish (bulk, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vouch_bulk_onboarding_get_total (bulk), ==, f->devices->len);
  g_assert_cmpuint (vouch_bulk_onboarding_get_done (bulk), ==, f->devices->len);

  for (guint i = 0; i < f->devices->len; i++)
    {
      VouchDevice *device = g_ptr_array_index (f->devices, i);
      const char *fails_with = g_ptr_array_index (f->failing, i);
      const GError *device_error = vouch_bulk_onboarding_get_error (bulk, device);
      TestAgent *agent = g_ptr_array_index (f->agents, i);

      g_test_message ("%s (%s): %s", agent->host_name, vouch_device_get_driver (device),
                      device_error != NULL ? device_error->message : "confirmed");
      if (fails_with == NULL)
        {
          g_assert_null (device_error);
          g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
          assert_curl_trusts (f, agent);
        }
      else
        {
          g_assert_nonnull (device_error);
          g_assert_nonnull (strstr (device_error->message, fails_with));
          g_assert_cmpint (vouch_device_get_step (device), !=, VOUCH_ONBOARDING_STEP_CONFIRMED);
          failed++;
        }
    }
  g_assert_cmpuint (vouch_bulk_onboarding_get_failed (bulk), ==, failed);

  /* The twentieth and nineteenth: devices with only a web page. */
  for (guint i = 0; i < N_BY_HAND; i++)
    {
      g_autofree char *state = g_strdup_printf ("%s/by-hand-%u", f->dir, i);
      g_autofree char *address = g_strdup_printf ("127.0.8.%u", i + 1);
      g_autofree char *host = g_strdup_printf ("web-%u.local", i + 1);
      const char *args[] = { "--hostname", host, "--no-dnssd", NULL };
      TestAgent *agent = test_agent_start_program (g_getenv ("VOUCH_AXIS_DEVICE"), state, address, args);

      agent->host_name = g_strdup (host);
      g_ptr_array_add (f->agents, agent);
      onboard_by_hand (f, i, agent);
      assert_curl_trusts (f, agent);
    }
  g_assert_cmpuint (f->agents->len, ==, 20);

  g_clear_object (&bulk);
  g_clear_pointer (&f->agents, g_ptr_array_unref);
  g_clear_pointer (&f->devices, g_ptr_array_unref);
  g_clear_pointer (&f->failing, g_ptr_array_unref);
  g_clear_object (&f->onboarding);
  vouch_test_await_last_ref (f->authority);
  g_object_unref (f->authority);
  g_free (f->root_path);
  g_free (f->dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();
  g_test_add_func ("/bulk-drivers/twenty", test_twenty);
  return g_test_run ();
}
