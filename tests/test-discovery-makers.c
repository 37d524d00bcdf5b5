/* test-discovery-makers.c: devices that are not Vouch agents
 *
 * Common service types (printers, cameras, NAS, routers, servers) with a
 * guess at the kind of device and the driver that fits, and Redfish BMCs
 * over SSDP, with the test devices of tests/redfish-device.c and
 * tests/axis-device.c announcing themselves in the private LAN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "test-discovery.h"

#include "vouch-discovery.h"
#include "vouch-discovery-guess.h"

#include <signal.h>

void
test_guess (void)
{
  const char *camera_txt[] = { "macaddress=ACCC8E012345", NULL };
  const char *nas_txt[] = { "vendor=Synology", "model=DS920+", NULL };
  const struct
  {
    const char          *type;
    const char          *name;
    const char * const  *txt;
    VouchDeviceCategory  category;
    const char          *driver;
  } cases[] = {
    { "_axis-video._tcp", "AXIS M3088-V - ACCC8E012345", camera_txt, VOUCH_DEVICE_CATEGORY_CAMERA, "axis" },
    { "_ipp._tcp", "Office", NULL, VOUCH_DEVICE_CATEGORY_PRINTER, "manual" },
    { "_ipps._tcp", "HP LaserJet M404", NULL, VOUCH_DEVICE_CATEGORY_PRINTER, "manual" },
    { "_https._tcp", "storage", nas_txt, VOUCH_DEVICE_CATEGORY_NAS, "manual" },
    { "_https._tcp", "idrac-7XK2", NULL, VOUCH_DEVICE_CATEGORY_SERVER, "redfish" },
    { "_http._tcp", "OpenWrt", NULL, VOUCH_DEVICE_CATEGORY_ROUTER, "manual" },
    { "_ssh._tcp", "build box", NULL, VOUCH_DEVICE_CATEGORY_SERVER, "manual" },
    { "_https._tcp", "Kilobyte", NULL, VOUCH_DEVICE_CATEGORY_UNKNOWN, "manual" },
    { "_vouch._tcp", "Thermostat", NULL, VOUCH_DEVICE_CATEGORY_UNKNOWN, "vouch" },
    { VOUCH_REDFISH_SSDP_TARGET, NULL, NULL, VOUCH_DEVICE_CATEGORY_SERVER, "redfish" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *driver = NULL;

      g_test_message ("%s %s", cases[i].type, cases[i].name);
      g_assert_cmpint (vouch_discovery_guess (cases[i].type, cases[i].name, cases[i].txt, &driver),
                       ==, cases[i].category);
      g_assert_cmpstr (driver, ==, cases[i].driver);
    }
  g_assert_cmpstr (vouch_device_category_to_string (VOUCH_DEVICE_CATEGORY_NAS), !=, NULL);
}

typedef struct
{
  VouchDiscovery *discovery;
  const char     *name;
} Named;

static gboolean
named_present (gpointer data)
{
  Named *named = data;

  return vouch_discovery_lookup (named->discovery, named->name) != NULL;
}

static void
assert_guess (VouchDiscovery      *discovery,
              const char          *name,
              VouchDeviceCategory  category,
              const char          *driver)
{
  Named named = { discovery, name };
  VouchDevice *device;

  g_test_message ("waiting for %s", name);
  g_assert_true (wait_for (named_present, &named, WAIT_SECONDS));
  device = vouch_discovery_lookup (discovery, name);
  g_assert_cmpint (vouch_device_get_kind (device), ==, VOUCH_DEVICE_KIND_HTTPS_ONLY);
  g_assert_cmpint (vouch_device_get_category (device), ==, category);
  g_assert_cmpstr (vouch_device_get_suggested_driver (device), ==, driver);
}

static void
stop (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

/* Printers, a NAS, a router and a real (test) Axis camera, as the Devices
 * page lists them. */
void
test_common_types (Fixture       *f,
                   gconstpointer  data)
{
  const char * const printer[] = { "avahi-publish", "-s", "Office printer", "_ipp._tcp", "631", NULL };
  const char * const nas[] = { "avahi-publish", "-s", "DiskStation", "_https._tcp", "5001", NULL };
  const char * const router[] = { "avahi-publish", "-s", "OpenWrt", "_ssh._tcp", "22", NULL };
  g_autoptr(VouchDiscovery) discovery = vouch_discovery_new (NULL);
  g_autoptr(GSubprocess) p1 = publish (printer);
  g_autoptr(GSubprocess) p2 = publish (nas);
  g_autoptr(GSubprocess) p3 = publish (router);
  g_autofree char *state = g_dir_make_tmp ("axis-XXXXXX", NULL);
  const char *extra[] = { "--hostname", "axis-cam.local", NULL };
  TestAgent *camera = test_agent_start_program (g_getenv ("VOUCH_AXIS_DEVICE"), state, "127.0.0.31", extra);

  vouch_discovery_start (discovery);
  assert_guess (discovery, "Office printer", VOUCH_DEVICE_CATEGORY_PRINTER, "manual");
  assert_guess (discovery, "DiskStation", VOUCH_DEVICE_CATEGORY_NAS, "manual");
  assert_guess (discovery, "OpenWrt", VOUCH_DEVICE_CATEGORY_ROUTER, "manual");
  assert_guess (discovery, "axis-cam", VOUCH_DEVICE_CATEGORY_CAMERA, "axis");
  g_assert_cmpuint (vouch_device_get_port (vouch_discovery_lookup (discovery, "axis-cam")), ==, camera->port);
  g_assert_true (g_str_has_prefix (vouch_device_get_id (vouch_discovery_lookup (discovery, "Office printer")),
                                   "ipp:"));

  stop (p1);
  stop (p2);
  stop (p3);
  test_agent_free (camera);
  g_assert_finalize_object (g_steal_pointer (&discovery));
}

typedef struct
{
  VouchDiscovery *discovery;
  guint           port;
} Redfish;

static VouchDevice *
find_redfish (Redfish *r)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (r->discovery)); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (G_LIST_MODEL (r->discovery), i);

      if (g_str_has_prefix (vouch_device_get_id (device), "redfish:")
          && vouch_device_get_port (device) == r->port)
        return device;
    }
  return NULL;
}

static gboolean
redfish_present (gpointer data)
{
  return find_redfish (data) != NULL;
}

/* A BMC announcing its Redfish service over SSDP, found through GSSDP. */
void
test_redfish_ssdp (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VouchDiscovery) discovery = vouch_discovery_new (NULL);
  g_autofree char *state = g_dir_make_tmp ("redfish-XXXXXX", NULL);
  const char *extra[] = { "--flavour", "idrac", NULL };
  TestAgent *bmc = test_agent_start_program (g_getenv ("VOUCH_REDFISH_DEVICE"), state, "127.0.0.32", extra);
  Redfish r = { discovery, bmc->port };
  VouchDevice *device;

  vouch_discovery_start (discovery);
  g_assert_true (wait_for (redfish_present, &r, WAIT_SECONDS));
  device = find_redfish (&r);
  g_assert_cmpstr (vouch_device_get_host (device), ==, "127.0.0.32");
  g_assert_cmpint (vouch_device_get_category (device), ==, VOUCH_DEVICE_CATEGORY_SERVER);
  g_assert_cmpstr (vouch_device_get_suggested_driver (device), ==, "redfish");
  g_assert_true (vouch_device_get_online (device));

  test_agent_free (bmc);
  g_assert_finalize_object (g_steal_pointer (&discovery));
}
