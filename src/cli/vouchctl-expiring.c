/* vouchctl-expiring.c: “vouchctl expiring”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-expiring.h"

#include "vouch-clock.h"
#include "vouch-expiry.h"
#include "vouch-inventory.h"
#include "vouch-util.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

int
vouchctl_expiring (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GListModel) expiring = NULL;
  g_autofree char *within = NULL;
  gboolean json = FALSE;
  guint days = VOUCH_EXPIRY_SOON_DAYS;
  gint64 now = vouch_clock_now ();
  GError *error = NULL;
  int exit_code = 0;
  guint n;
  const GOptionEntry entries[] = {
    { "within", 0, 0, G_OPTION_ARG_STRING, &within,
      N_("List what expires within this period: 30d, 4w (default 30d)"), N_("PERIOD") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list certificates that expire soon, and expired ones"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("expiring takes no arguments"));
  if (within != NULL && !vouch_expiry_parse_days (within, &days, &error))
    {
      exit_code = vouchctl_usage ("%s", error->message);
      g_error_free (error);
      return exit_code;
    }

  authority = vouchctl_open_authority_with_root (&exit_code);
  if (authority == NULL)
    return exit_code;

  expiring = vouch_inventory_list_expiring (vouch_authority_get_inventory (authority), now, days,
                                            &error);
  if (expiring == NULL)
    return vouchctl_fail (error);
  n = g_list_model_get_n_items (expiring);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *now_text = vouchctl_format_time (now);

      json_builder_begin_object (builder);
      vouch_json_add_string_member (builder, "now", now_text);
      json_builder_set_member_name (builder, "within_days");
      json_builder_add_int_value (builder, days);
      vouchctl_add_root_json (builder, vouch_authority_get_root (authority), now);
      json_builder_set_member_name (builder, "certificates");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (expiring, i);

          vouchctl_add_entry_json (builder, entry);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  vouchctl_warn_about_root (vouch_authority_get_root (authority), now);
  if (n == 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "Nothing expires within %u day.\n",
                            "Nothing expires within %u days.\n", days), days);
      return VOUCHCTL_EXIT_OK;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (expiring, i);
      VouchCertificate *cert = vouch_certificate_entry_get_certificate (entry);
      const char *device = vouch_certificate_entry_get_device_name (entry);
      gboolean by_hand = vouch_certificate_entry_get_signed_by_hand (entry);

      if (device == NULL)
        device = by_hand ? vouch_certificate_entry_get_names_text (entry)
                         : vouch_certificate_get_device_id (cert);
      /* Translators: device, expiry phrase, status, names, serial. */
      g_print (_("%s: %s (%s)\n  names: %s\n  serial: %s\n"), device,
               vouch_certificate_entry_get_expiry_text (entry),
               vouch_certificate_entry_get_status_label (entry),
               vouch_certificate_entry_get_names_text (entry), vouch_certificate_get_serial (cert));
      if (by_hand)
        {
          g_autofree char *command = vouchctl_sign_command (cert);

          /* Translators: %s is a vouchctl sign command. */
          g_print (_("  renew: have the device make a new CSR, then run %s\n"), command);
        }
    }
  return VOUCHCTL_EXIT_OK;
}
