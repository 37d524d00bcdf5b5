/* vouchctl-revoke.c: “vouchctl revoke”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-revoke.h"

#include "vouch-clock.h"
#include "vouch-error.h"
#include "vouch-inventory.h"
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
