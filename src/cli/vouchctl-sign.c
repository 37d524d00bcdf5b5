/* vouchctl-sign.c: “vouchctl sign”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-sign.h"

#include "vouch-error.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

static int
print_refusal (GError *error)
{
  if (error->domain == VOUCH_POLICY_ERROR)
    g_prefix_error (&error, _("Refused: "));
  return vouchctl_fail (error);
}

int
vouchctl_sign (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(VouchSigningRequest) preview = NULL;
  g_autoptr(GString) output = NULL;
  g_auto(GStrv) add_names = NULL;
  g_auto(GStrv) remove_names = NULL;
  g_autofree char *out = NULL;
  const char *notice = NULL;
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  int days = VOUCH_LEAF_DEFAULT_DAYS;
  gboolean client_auth = FALSE;
  gboolean chain = FALSE;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days,
      N_("Validity in days (default 397, at most 825)"), N_("N") },
    { "add-name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &add_names,
      N_("Add a DNS name or IP address (repeatable)"), N_("NAME") },
    { "remove-name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &remove_names,
      N_("Leave out a name the CSR asks for (repeatable)"), N_("NAME") },
    { "client-auth", 0, 0, G_OPTION_ARG_NONE, &client_auth,
      N_("Also allow TLS client authentication"), NULL },
    { "chain", 0, 0, G_OPTION_ARG_NONE, &chain,
      N_("Append the root certificate to the output"), NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write the certificate to FILE instead of standard output"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("CSR — sign a certificate signing request (“-” reads standard "
                                    "input)"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return vouchctl_usage (_("sign needs one CSR file"));
  if (days <= 0 || days > VOUCH_LEAF_MAX_DAYS)
    return vouchctl_usage (_("--days must be between 1 and %d"), VOUCH_LEAF_MAX_DAYS);

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  /* Read one byte more than the policy accepts so it reports the size. */
  csr = vouchctl_read_input (argv[1], VOUCH_SIGNING_POLICY_DEFAULT_MAX_INPUT * 256, &error);
  if (csr == NULL)
    return vouchctl_fail (error);

  options.days = (guint)days;
  options.add_names = (const char * const *)add_names;
  options.remove_names = (const char * const *)remove_names;
  options.client_auth = client_auth;

  /* The policy's notice (such as a common name left out) is for the
   * operator; signing itself checks the request again, and reports and
   * records any refusal. */
  preview = vouch_signing_policy_check (vouch_authority_get_policy (authority),
                                        g_bytes_get_data (csr, NULL), g_bytes_get_size (csr),
                                        options.add_names, options.remove_names, NULL);
  notice = preview != NULL ? vouch_signing_request_get_notice (preview) : NULL;
  if (notice != NULL && !json)
    g_printerr (_("Note: %s.\n"), notice);

  cert = vouch_authority_sign (authority, g_bytes_get_data (csr, NULL), g_bytes_get_size (csr),
                               &options, NULL, &error);
  if (cert == NULL)
    return print_refusal (error);

  output = g_string_new (vouch_certificate_get_pem (cert));
  if (chain)
    g_string_append (output,
                     vouch_certificate_get_pem (vouch_root_ca_get_certificate (
                       vouch_authority_get_root (authority))));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      if (out != NULL && !vouchctl_write_output (out, output->str, output->len, 0644, &error))
        return vouchctl_fail (error);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "certificate");
      vouchctl_add_certificate_json (builder, cert);
      json_builder_set_member_name (builder, "pem");
      json_builder_add_string_value (builder, output->str);
      json_builder_set_member_name (builder, "notice");
      if (notice != NULL)
        json_builder_add_string_value (builder, notice);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  if (!vouchctl_write_output (out, output->str, output->len, 0644, &error))
    return vouchctl_fail (error);

  if (out != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", (char **)vouch_certificate_get_names (cert));
      g_autofree char *until = vouchctl_format_time (vouch_certificate_get_not_after (cert));

      g_print (_("Issued %s for %s, valid until %s.\n"), vouch_certificate_get_serial (cert),
               names, until);
    }

  return VOUCHCTL_EXIT_OK;
}
