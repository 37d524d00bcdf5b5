/* vouchctl-verify.c: “vouchctl verify”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-verify.h"

#include "vouch-onboarding.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

#define DEFAULT_BROWSE_SECONDS 3

int
vouchctl_verify (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchDiscovery) discovery = NULL;
  g_autoptr(VouchOnboarding) onboarding = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *code = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(VouchctlSecret) token = NULL;
  gboolean token_stdin = FALSE;
  gboolean json = FALSE;
  int browse = DEFAULT_BROWSE_SECONDS;
  VouchDevice *device;
  VouchctlWaiter waiter = { NULL, NULL };
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "setup-code", 0, 0, G_OPTION_ARG_STRING, &code,
      N_("The setup code from the device's label or screen; without it, the device must "
         "chain to an imported manufacturer root"), N_("CODE") },
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint,
      N_("The SHA-256 fingerprint of the device's key, as the device itself shows it, for a "
         "device without a setup code"), N_("SHA256") },
    { "admin-secret", 0, 0, G_OPTION_ARG_STRING, &token,
      N_("The device's admin secret (its password or pairing token), kept in your keyring"),
      N_("SECRET") },
    { "admin-secret-stdin", 0, 0, G_OPTION_ARG_NONE, &token_stdin,
      N_("Read the admin secret from standard input"), NULL },
    /* The names before the app and the terminal agreed on "admin secret",
     * kept for scripts. */
    { "admin-token", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &token, NULL, NULL },
    { "admin-token-stdin", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &token_stdin, NULL, NULL },
    { "browse", 0, 0, G_OPTION_ARG_INT, &browse,
      N_("Seconds to look for devices on the network first (default 3)"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("DEVICE — check a device's key against its setup code"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return vouchctl_usage (_("verify needs one DEVICE (its id, name or HOST:PORT)"));
  if (browse < 0 || browse > 60)
    return vouchctl_usage (_("--browse must be between 0 and 60 seconds"));
  if (code != NULL && fingerprint != NULL)
    return vouchctl_usage (_("Give --setup-code or --fingerprint, not both"));

  if (token_stdin)
    {
      token = vouchctl_read_passphrase (TRUE, FALSE, NULL, &error);
      if (token == NULL)
        return vouchctl_fail (error);
    }

  authority = vouchctl_open_authority_with_root (&exit_code);
  if (authority == NULL)
    return exit_code;
  onboarding = vouch_onboarding_new (authority);

  discovery = vouchctl_discover (authority, (guint)browse);
  device = vouchctl_find_device (discovery, argv[1], &error);
  if (device == NULL)
    return vouchctl_fail (error);

  loop = g_main_loop_new (NULL, FALSE);
  waiter.loop = loop;
  if (fingerprint != NULL)
    vouch_onboarding_verify_fingerprint_async (onboarding, device, fingerprint, NULL,
                                               vouchctl_waiter_cb, &waiter);
  else
    vouch_onboarding_verify_async (onboarding, device, code, NULL, vouchctl_waiter_cb, &waiter);
  g_main_loop_run (loop);
  if (!vouch_onboarding_verify_finish (onboarding, waiter.result, &error))
    {
      g_clear_object (&waiter.result);
      return vouchctl_fail (error);
    }
  g_clear_object (&waiter.result);

  if (token != NULL && !vouch_onboarding_set_admin_secret (onboarding, device, token, &error))
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "device_id");
      json_builder_add_string_value (builder, vouch_device_get_id (device));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, vouch_device_get_name (device));
      json_builder_set_member_name (builder, "key_sha256");
      json_builder_add_string_value (builder, vouch_device_get_pin (device));
      json_builder_set_member_name (builder, "verified");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
    }
  else if (fingerprint != NULL)
    g_print (_("Verified “%s”: the key it presents has the fingerprint you compared. Vouch "
               "pinned it and warns if it ever changes.\n"), vouch_device_get_name (device));
  else
    g_print (_("Verified “%s”: the key it presents matches its setup code.\n"),
             vouch_device_get_name (device));

  return VOUCHCTL_EXIT_OK;
}
