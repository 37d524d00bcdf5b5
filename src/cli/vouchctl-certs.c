/* vouchctl-certs.c: “vouchctl certs”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-certs.h"

#include "vouch-inventory.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

int
vouchctl_certs (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GListModel) certs = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  guint n;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list the certificates this root has issued"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  certs = vouch_inventory_list_certificates (vouch_authority_get_inventory (authority), &error);
  if (certs == NULL)
    return vouchctl_fail (error);

  n = g_list_model_get_n_items (certs);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(VouchCertificate) cert = g_list_model_get_item (certs, i);

          vouchctl_add_certificate_json (builder, cert);
        }
      json_builder_end_array (builder);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  if (n == 0)
    {
      g_print (_("No certificates issued yet.\n"));
      return VOUCHCTL_EXIT_OK;
    }

  g_print ("%-32s  %-10s  %-20s  %s\n", _("SERIAL"), _("STATUS"), _("VALID UNTIL"), _("NAMES"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchCertificate) cert = g_list_model_get_item (certs, i);
      g_autofree char *names = g_strjoinv (", ", (char **)vouch_certificate_get_names (cert));
      g_autofree char *until = vouchctl_format_time (vouch_certificate_get_not_after (cert));

      g_print ("%-32s  %-10s  %-20s  %s\n", vouch_certificate_get_serial (cert),
               vouch_certificate_status_to_string (vouch_certificate_get_status (cert)),
               until, names);
    }

  return VOUCHCTL_EXIT_OK;
}
