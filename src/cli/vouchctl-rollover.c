/* vouchctl-rollover.c: “vouchctl rollover”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-rollover.h"

#include "vouch-clock.h"
#include "vouch-expiry.h"
#include "vouch-inventory.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

int
vouchctl_rollover (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GListModel) active = NULL;
  gboolean json = FALSE;
  gint64 now = vouch_clock_now ();
  GError *error = NULL;
  int exit_code = 0;
  VouchRootCa *root;
  int days_left = 0;
  guint n;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— plan replacing the root: what must be re-issued"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("rollover takes no arguments"));

  authority = vouchctl_open_authority_with_root (&exit_code);
  if (authority == NULL)
    return exit_code;
  root = vouch_authority_get_root (authority);

  active = vouch_inventory_list_active_under_root (vouch_authority_get_inventory (authority),
                                                   vouch_root_ca_get_sha256 (root), &error);
  if (active == NULL)
    return vouchctl_fail (error);
  n = g_list_model_get_n_items (active);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      vouchctl_add_root_json (builder, root, now);
      json_builder_set_member_name (builder, "devices");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (active, i);

          vouchctl_add_entry_json (builder, entry);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  vouch_expiry_root_needs_warning (root, now, &days_left);
  g_print (_("The root “%s” expires in %d days.\n"),
           vouch_certificate_get_subject (vouch_root_ca_get_certificate (root)), days_left);
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u device serves a certificate from it:\n",
                        "%u devices serve certificates from it:\n", n), n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (active, i);
      const char *name = vouch_certificate_entry_get_device_name (entry);

      g_print ("  %s (%s)\n",
               name != NULL ? name
                            : vouch_certificate_get_device_id (vouch_certificate_entry_get_certificate (entry)),
               vouch_certificate_entry_get_names_text (entry));
    }
  g_print (_("\nTo roll over: back up the current root (vouchctl ca backup), create the new "
             "one, give colleagues the new root (vouchctl ca export) before switching, then "
             "renew every device listed above (vouchctl renew DEVICE…). Keep the old root "
             "trusted until every device serves a certificate from the new one.\n"));
  return VOUCHCTL_EXIT_OK;
}
