/* vouchctl-audit.c: “vouchctl audit”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-audit.h"

#include "vouch-audit-event.h"
#include "vouch-audit-export.h"
#include "vouch-inventory.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

int
vouchctl_audit (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *out = NULL;
  gboolean json = FALSE;
  gboolean csv = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Export JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Export CSV (RFC 4180)"), NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write to this file instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("— show or export the audit log, oldest event first"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("audit takes no arguments"));
  if (json && csv)
    return vouchctl_usage (_("choose --json or --csv, not both"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  if (json || csv)
    {
      VouchAuditFormat format = json ? VOUCH_AUDIT_FORMAT_JSON : VOUCH_AUDIT_FORMAT_CSV;
      gsize len = 0;
      const void *bytes;

      if (out != NULL && strcmp (out, "-") != 0)
        {
          if (!vouch_audit_export_to_file (vouch_authority_get_inventory (authority), format, out,
                                           &error))
            return vouchctl_fail (error);
          return VOUCHCTL_EXIT_OK;
        }

      data = vouch_audit_export (vouch_authority_get_inventory (authority), format, &error);
      if (data == NULL)
        return vouchctl_fail (error);
      bytes = g_bytes_get_data (data, &len);
      if (!vouchctl_write_output (NULL, bytes, len, 0600, &error))
        return vouchctl_fail (error);
      return VOUCHCTL_EXIT_OK;
    }

  {
    g_autoptr(GListModel) events = NULL;
    g_autoptr(GString) text = g_string_new (NULL);
    guint n;

    events = vouch_inventory_list_audit (vouch_authority_get_inventory (authority), NULL, 0,
                                         &error);
    if (events == NULL)
      return vouchctl_fail (error);

    n = g_list_model_get_n_items (events);
    for (guint i = n; i > 0; i--)
      {
        g_autoptr(VouchAuditEvent) event = g_list_model_get_item (events, i - 1);
        g_autofree char *when = vouchctl_format_time (vouch_audit_event_get_at (event));
        g_autofree char *summary = vouch_audit_event_dup_summary (event);

        g_string_append_printf (text, "%s  %s\n", when, summary);
      }

    if (!vouchctl_write_output (out, text->str, text->len, 0600, &error))
      return vouchctl_fail (error);
  }

  return VOUCHCTL_EXIT_OK;
}
