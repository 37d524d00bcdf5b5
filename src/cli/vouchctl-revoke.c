/* vouchctl-revoke.c: “vouchctl revoke”, “vouchctl crl” and
 * “vouchctl audit”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-revoke.h"

#include "vouch-audit-event.h"
#include "vouch-audit-export.h"
#include "vouch-clock.h"
#include "vouch-crl.h"
#include "vouch-error.h"
#include "vouch-inventory-lifecycle.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

int
vouchctl_revoke (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autofree char *reason_text = NULL;
  VouchRevocationReason reason = VOUCH_REVOCATION_UNSPECIFIED;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason_text,
      N_("Why: unspecified, key-compromise, ca-compromise, affiliation-changed, superseded, "
         "cessation-of-operation, certificate-hold or privilege-withdrawn"), N_("REASON") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("SERIAL — revoke an issued certificate"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return vouchctl_usage (_("revoke needs one SERIAL (“vouchctl certs” lists them)"));
  if (reason_text != NULL && !vouch_revocation_reason_from_string (reason_text, &reason))
    return vouchctl_usage (_("“%s” is not a revocation reason; see “vouchctl revoke --help”"),
                           reason_text);

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  if (!vouch_inventory_revoke_certificate (vouch_authority_get_inventory (authority), argv[1],
                                           reason, vouch_clock_now (), &error))
    return vouchctl_fail (error);

  cert = vouch_inventory_lookup_certificate (vouch_authority_get_inventory (authority), argv[1],
                                             &error);
  if (cert == NULL)
    return vouchctl_fail (error != NULL ? error
                                        : g_error_new (VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                                                       _("The revoked certificate vanished")));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "certificate");
      vouchctl_add_certificate_json (builder, cert);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, vouch_revocation_reason_to_string (reason));
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
    }
  else
    g_print (_("Revoked %s (%s). Publish a new CRL with “vouchctl crl --out FILE”.\n"),
             argv[1], vouch_revocation_reason_describe (reason));

  return VOUCHCTL_EXIT_OK;
}

int
vouchctl_crl (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GBytes) crl = NULL;
  g_autofree char *out = NULL;
  g_autofree char *format = NULL;
  int days = VOUCH_CRL_DEFAULT_DAYS;
  gboolean der = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  gsize len = 0;
  const void *data;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Publish the CRL to this file, replaced atomically (default: standard output)"),
      N_("FILE") },
    { "days", 0, 0, G_OPTION_ARG_INT, &days,
      N_("Days until the next update the CRL announces (default 30)"), N_("N") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("pem (default) or der"), N_("FORMAT") },
    { NULL }
  };

  context = g_option_context_new (_("— sign a revocation list of the root's revoked "
                                    "certificates"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("crl takes no arguments"));
  if (days < 1 || days > VOUCH_CRL_MAX_DAYS)
    return vouchctl_usage (_("--days must be between 1 and %d"), VOUCH_CRL_MAX_DAYS);
  if (format != NULL && g_ascii_strcasecmp (format, "pem") != 0 &&
      g_ascii_strcasecmp (format, "der") != 0)
    return vouchctl_usage (_("--format must be pem or der"));
  der = format != NULL && g_ascii_strcasecmp (format, "der") == 0;

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  crl = vouch_crl_generate (authority, (guint)days, der, NULL, &error);
  if (crl == NULL)
    return vouchctl_fail (error);

  data = g_bytes_get_data (crl, &len);
  if (!vouchctl_write_output (out, data, len, 0644, &error))
    return vouchctl_fail (error);
  if (out != NULL && strcmp (out, "-") != 0)
    g_printerr (_("Wrote the CRL to %s; it announces its next update in %d days.\n"), out, days);
  return VOUCHCTL_EXIT_OK;
}

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
