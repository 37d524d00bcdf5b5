/* vouchctl-add.c: “vouchctl add”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-add.h"

#include "vouch-discovery.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

int
vouchctl_add (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchDiscovery) discovery = NULL;
  gboolean json = FALSE;
  VouchDevice *device;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("HOST:PORT — add a device that mDNS cannot reach"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return vouchctl_usage (_("add needs one HOST:PORT, for example printer.local:443"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  discovery = vouch_discovery_new (vouch_authority_get_inventory (authority));
  device = vouch_discovery_add_manual (discovery, argv[1], &error);
  if (device == NULL)
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
