/* test-mixed-devices.c: the Devices page with the devices a small site
 * has: a Vouch agent, Redfish BMCs found over SSDP, an Axis camera, and a
 * printer and a NAS that only announce their web pages; each listed with
 * what it is and how Vouch talks to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "ui-test-util.h"
#include "vouch-devices-page.h"

#include <signal.h>

static VouchApplication *application;
static VouchWindow *window;
static VouchDevicesPage *page;
static GPtrArray *devices;     /* TestAgent, each a process */
static GPtrArray *publishers;  /* GSubprocess */

static const char * const expected[] = {
  "Vouch API",
  "Server · Redfish",
  "Camera · Axis VAPIX",
  "Printer · By hand",
  "Network storage · By hand",
};

static gboolean
all_listed (gpointer user_data)
{
  /* The agent, two BMCs, the camera, the printer and the NAS. */
  if (g_list_model_get_n_items (G_LIST_MODEL (vouch_application_get_discovery (application))) < 6)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (ui_test_find_labelled (GTK_WIDGET (page), GTK_TYPE_LABEL, expected[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
test_listed (void)
{
  VouchDiscovery *discovery = vouch_application_get_discovery (application);

  g_assert_true (ui_test_wait (all_listed, NULL, 60));
  ui_test_settle (500);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), >=, 6);
  ui_test_screenshot_variants (GTK_WINDOW (window), "devices-mixed");
}

static TestAgent *
start_device (const char *env,
              const char *address,
              const char *flavour,
              const char *host)
{
  g_autofree char *state = g_dir_make_tmp ("mixed-XXXXXX", NULL);
  const char *extra[] = { "--hostname", host, flavour != NULL ? "--flavour" : NULL, flavour, NULL };

  return test_agent_start_program (g_getenv (env), state, address, extra);
}

static void
publish (const char *name,
         const char *type,
         const char *port)
{
  const char *argv[] = { "avahi-publish", "-s", name, type, port, NULL };
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                  | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);

  g_assert_no_error (error);
  g_ptr_array_add (publishers, process);
}

static void
stop_publisher (gpointer data)
{
  g_subprocess_send_signal (data, SIGTERM);
  g_subprocess_wait (data, NULL, NULL);
  g_object_unref (data);
}

int
main (int    argc,
      char **argv)
{
  const char *names[] = { "Thermostat" };
  const char *hosts[] = { "thermostat.local" };
  g_autoptr(GPtrArray) agents = NULL;
  int status;

  ui_test_init (&argc, &argv);
  test_require_private_lan ();
  ui_test_create_loopback_root ("Mixed Devices Test Root");
  /* SSDP on the private LAN's only interface. */
  g_setenv ("VOUCH_SSDP_INTERFACE", "lo", TRUE);

  agents = test_agents_start_named ("mixed-agent", "127.0.5", 1, names, hosts, NULL);
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);
  g_ptr_array_add (devices, start_device ("VOUCH_REDFISH_DEVICE", "127.0.5.11", "ilo", "ilo-rack4.local"));
  g_ptr_array_add (devices, start_device ("VOUCH_REDFISH_DEVICE", "127.0.5.12", "openbmc", "bmc-rack5.local"));
  g_ptr_array_add (devices, start_device ("VOUCH_AXIS_DEVICE", "127.0.5.13", NULL, "axis-entrance.local"));
  publishers = g_ptr_array_new_with_free_func (stop_publisher);
  publish ("Office printer", "_ipp._tcp", "631");
  publish ("DiskStation", "_https._tcp", "5001");

  application = vouch_application_new ();
  window = ui_test_open_window (application, 1100, 720);
  page = VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_DEVICES_PAGE));
  g_assert_nonnull (page);

  g_test_add_func ("/mixed-devices/listed", test_listed);
  status = g_test_run ();

  ui_test_close_window (&application, window);
  g_ptr_array_unref (publishers);
  g_ptr_array_unref (devices);
  return status;
}
