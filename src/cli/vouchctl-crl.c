/* vouchctl-crl.c: “vouchctl crl”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-crl.h"

#include "vouch-crl.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>
#include <string.h>

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
