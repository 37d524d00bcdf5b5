/* vouchctl-add.c: “vouchctl add”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-add.h"

#include "vouch-device-driver.h"
#include "vouch-discovery.h"
#include "vouch-onboarding.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

int
vouchctl_add (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchDiscovery) discovery = NULL;
  g_autoptr(VouchOnboarding) onboarding = NULL;
  g_autoptr(VouchctlSecret) password = NULL;
  g_autofree char *driver = NULL;
  g_autofree char *user = NULL;
  gboolean password_stdin = FALSE;
  gboolean json = FALSE;
  const VouchDriverInfo *info;
  VouchDevice *device;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "driver", 0, 0, G_OPTION_ARG_STRING, &driver,
      N_("How Vouch talks to it: vouch (the default), redfish, axis or manual"), N_("DRIVER") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("The device's administrator user, for redfish and axis"), N_("NAME") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the user's password (or a token) from standard input; it is kept in your "
         "keyring"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("HOST:PORT — add a device that mDNS cannot reach"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return vouchctl_usage (_("add needs one HOST:PORT, for example printer.local:443"));

  info = vouch_device_driver_lookup_info (driver != NULL ? driver : "vouch");
  if (info == NULL)
    return vouchctl_usage (_("--driver must be vouch, redfish, axis or manual"));
  if (user != NULL && info->credentials != VOUCH_DRIVER_CREDENTIALS_USER_PASSWORD)
    return vouchctl_usage (_("--user is for drivers that log in with a user name (redfish, "
                             "axis)"));
  if (password_stdin && info->credentials == VOUCH_DRIVER_CREDENTIALS_NONE)
    return vouchctl_usage (_("A device added by hand needs no password"));

  if (password_stdin)
    {
      password = vouchctl_read_passphrase (TRUE, FALSE, NULL, &error);
      if (password == NULL)
        return vouchctl_fail (error);
    }

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  discovery = vouch_discovery_new (vouch_authority_get_inventory (authority));
  device = vouch_discovery_add_manual (discovery, argv[1], &error);
  if (device == NULL)
    return vouchctl_fail (error);

  vouch_device_set_driver (device, info->id);
  if (user != NULL)
    vouch_device_set_user (device, user);
  if (!vouch_inventory_save_device (vouch_authority_get_inventory (authority), device, &error))
    return vouchctl_fail (error);

  /* The password or token goes to the keyring, as a device's admin secret
   * does. */
  onboarding = vouch_onboarding_new (authority);
  if (password != NULL &&
      !vouch_onboarding_set_admin_secret (onboarding, device, password, &error))
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      vouchctl_add_device_json (builder, device);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  g_print (_("Added %s. Vouch learns the device's own id when it first connects to it.\n"),
           vouch_device_get_name (device));
  return VOUCHCTL_EXIT_OK;
}
