/* vouchctl-onboard.c: “vouchctl onboard”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-onboard.h"

#include "vouch-bulk-onboarding.h"
#include "vouch-device-driver.h"
#include "vouch-discovery.h"
#include "vouch-error.h"
#include "vouch-key-bundle.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>
#include <stdio.h>

#define DEFAULT_BROWSE_SECONDS 3

static void
report_cb (VouchBulkOnboarding *bulk,
           VouchDevice         *device,
           const GError        *error,
           gpointer             user_data)
{
  gboolean json = GPOINTER_TO_INT (user_data);

  if (json)
    return;

  /* Translators: progress of a bulk run: done/total, device, result. */
  if (error == NULL)
    g_print (_("[%u/%u] %s: confirmed\n"), vouch_bulk_onboarding_get_done (bulk),
             vouch_bulk_onboarding_get_total (bulk), vouch_device_get_name (device));
  else
    g_print (_("[%u/%u] %s: failed: %s\n"), vouch_bulk_onboarding_get_done (bulk),
             vouch_bulk_onboarding_get_total (bulk), vouch_device_get_name (device),
             error->message);
}

static void
print_results (VouchBulkOnboarding *bulk,
               GListModel          *devices)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = g_list_model_get_n_items (devices);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (devices, i);
      const GError *error = vouch_bulk_onboarding_get_error (bulk, device);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "device_id");
      json_builder_add_string_value (builder, vouch_device_get_id (device));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, vouch_device_get_name (device));
      json_builder_set_member_name (builder, "step");
      json_builder_add_string_value (builder,
                                     vouch_onboarding_step_to_string (vouch_device_get_step (device)));
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, error == NULL);
      json_builder_set_member_name (builder, "error");
      if (error != NULL)
        json_builder_add_string_value (builder, error->message);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  vouchctl_print_json (builder);
}

/* For a device onboarded by hand that can only take a key and a
 * certificate together: Vouch makes both, writes them as PKCS#12 under
 * the operator's passphrase, and keeps neither the key nor the
 * passphrase. Confirming is then `vouchctl onboard DEVICE`, once the
 * device serves it. */
static int
make_key_bundle (VouchAuthority     *authority,
                 VouchDevice        *device,
                 const char * const *add_names,
                 const char         *key_type_name,
                 guint               days,
                 const char         *path,
                 gboolean            from_stdin)
{
  const VouchDriverInfo *info = vouch_device_driver_lookup_info (vouch_device_get_driver (device));
  g_autoptr(VouchctlSecret) passphrase = NULL;
  g_autoptr(GBytes) bundle = NULL;
  g_auto(GStrv) names = NULL;
  VouchKeyType key_type = VOUCH_KEY_TYPE_DEFAULT;
  GError *error = NULL;

  if (info == NULL || !info->by_hand)
    return vouchctl_usage (_("--key-bundle is for a device onboarded by hand (vouchctl add "
                             "HOST:PORT --driver manual); “%s” has an interface Vouch speaks"),
                           vouch_device_get_name (device));
  if (key_type_name != NULL && !vouch_key_type_from_string (key_type_name, &key_type))
    return vouchctl_usage (_("Unknown key type “%s”"), key_type_name);

  /* The names onboarding would ask for: those given, else the device's
   * host name and addresses. */
  names = add_names != NULL && add_names[0] != NULL ? g_strdupv ((char **)add_names)
                                                    : vouch_onboarding_dup_device_names (device);

  passphrase = vouchctl_read_passphrase (from_stdin, TRUE,
                                         _("Passphrase for the key and certificate file: "),
                                         &error);
  if (passphrase == NULL)
    return vouchctl_fail (error);

  bundle = vouch_key_bundle_make (authority, (const char * const *)names, key_type, days,
                                  vouch_device_get_id (device), passphrase, NULL, &error);
  if (bundle == NULL ||
      !vouchctl_write_output (path, g_bytes_get_data (bundle, NULL), g_bytes_get_size (bundle),
                              0600, &error))
    return vouchctl_fail (error);

  g_print (_("Saved the key and certificate to %s. The key left Vouch: upload the file on the "
             "device’s page, delete it, then run “vouchctl onboard %s” to confirm.\n"),
           path, vouch_device_get_id (device));
  return VOUCHCTL_EXIT_OK;
}

int
vouchctl_onboard (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchDiscovery) discovery = NULL;
  g_autoptr(VouchOnboarding) onboarding = NULL;
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GListStore) devices = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) add_names = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *csr_pem = NULL;
  g_autofree char *chain_path = NULL;
  g_autofree char *chain_format = NULL;
  g_autofree char *key_type = NULL;
  g_autofree char *key_bundle = NULL;
  gboolean passphrase_stdin = FALSE;
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;
  gboolean all = FALSE;
  gboolean json = FALSE;
  int concurrency = VOUCH_BULK_DEFAULT_CONCURRENCY;
  int browse = DEFAULT_BROWSE_SECONDS;
  int days = VOUCH_LEAF_DEFAULT_DAYS;
  VouchctlWaiter waiter = { NULL, NULL };
  GError *error = NULL;
  gboolean all_ok;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Every device on the network that offers the Vouch API"), NULL },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency,
      N_("Devices onboarded at once (default 8)"), N_("N") },
    { "add-name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &add_names,
      N_("Ask the device to include this name too (repeatable)"), N_("NAME") },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Validity in days (default 397)"), N_("N") },
    { "key-type", 0, 0, G_OPTION_ARG_STRING, &key_type,
      N_("The key the device makes: ecdsa-p256, ecdsa-p384, rsa-3072, rsa-4096 (what its "
         "driver offers)"), N_("TYPE") },
    { "csr", 0, 0, G_OPTION_ARG_FILENAME, &csr_path,
      N_("For a device onboarded by hand: the CSR its web page made"), N_("FILE") },
    { "chain-out", 0, 0, G_OPTION_ARG_FILENAME, &chain_path,
      N_("For a device onboarded by hand: where to save the signed chain"), N_("FILE") },
    { "chain-format", 0, 0, G_OPTION_ARG_STRING, &chain_format,
      N_("pem (default), der or pkcs7, as the device's page asks"), N_("FORMAT") },
    { "key-bundle", 0, 0, G_OPTION_ARG_FILENAME, &key_bundle,
      N_("For a device onboarded by hand that cannot make a key: make one and save it with "
         "its certificate as PKCS#12 here (the key then leaves Vouch)"), N_("FILE") },
    { "passphrase-stdin", 0, 0, G_OPTION_ARG_NONE, &passphrase_stdin,
      N_("Read the passphrase for --key-bundle from standard input"), NULL },
    { "browse", 0, 0, G_OPTION_ARG_INT, &browse,
      N_("Seconds to look for devices on the network first (default 3)"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("DEVICE… | --all — sign, install and confirm device "
                                    "certificates"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (all == (argc > 1))
    return vouchctl_usage (_("onboard needs DEVICE… or --all, not both"));
  if (concurrency < 1 || concurrency > 64)
    return vouchctl_usage (_("--concurrency must be between 1 and 64"));
  if (days < 1 || days > VOUCH_LEAF_MAX_DAYS)
    return vouchctl_usage (_("--days must be between 1 and %d"), VOUCH_LEAF_MAX_DAYS);
  if (browse < 0 || browse > 60)
    return vouchctl_usage (_("--browse must be between 0 and 60 seconds"));

  if (key_bundle != NULL && (all || argc != 2 || csr_path != NULL || chain_path != NULL))
    return vouchctl_usage (_("--key-bundle makes the file for one device, without --csr or "
                             "--chain-out"));

  if (csr_path != NULL && !g_file_get_contents (csr_path, &csr_pem, NULL, &error))
    return vouchctl_fail (error);

  authority = vouchctl_open_authority_with_root (&exit_code);
  if (authority == NULL)
    return exit_code;
  onboarding = vouch_onboarding_new (authority);

  discovery = vouchctl_discover (authority, (guint)browse);
  devices = g_list_store_new (VOUCH_TYPE_DEVICE);

  if (all)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (discovery));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(VouchDevice) device = g_list_model_get_item (G_LIST_MODEL (discovery), i);

          if (vouch_device_get_kind (device) == VOUCH_DEVICE_KIND_VOUCH &&
              vouch_device_get_online (device))
            g_list_store_append (devices, device);
        }
    }
  else
    {
      for (int i = 1; i < argc; i++)
        {
          VouchDevice *device = vouchctl_find_device (discovery, argv[i], &error);

          if (device == NULL)
            return vouchctl_fail (error);
          if (key_bundle != NULL)
            return make_key_bundle (authority, device, (const char * const *)add_names, key_type,
                                    (guint)days, key_bundle, passphrase_stdin);
          g_list_store_append (devices, device);
        }
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (devices)) == 0)
    return vouchctl_fail (g_error_new (VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                                       _("No device offering the Vouch API is online")));

  options.add_names = (const char * const *)add_names;
  options.days = (guint)days;
  options.key_type = key_type;
  options.csr_pem = csr_pem;
  options.chain_path = chain_path;
  options.chain_format = chain_format;

  bulk = vouch_bulk_onboarding_new (onboarding, G_LIST_MODEL (devices), (guint)concurrency);
  vouch_bulk_onboarding_set_options (bulk, &options);
  g_signal_connect (bulk, "device-finished", G_CALLBACK (report_cb), GINT_TO_POINTER (json));

  loop = g_main_loop_new (NULL, FALSE);
  waiter.loop = loop;
  vouch_bulk_onboarding_run_async (bulk, NULL, vouchctl_waiter_cb, &waiter);
  g_main_loop_run (loop);
  all_ok = vouch_bulk_onboarding_run_finish (bulk, waiter.result, &error);
  g_clear_object (&waiter.result);
  if (error != NULL)
    return vouchctl_fail (error);

  if (json)
    print_results (bulk, G_LIST_MODEL (devices));
  else
    g_print (_("%u confirmed, %u failed.\n"),
             vouch_bulk_onboarding_get_done (bulk) - vouch_bulk_onboarding_get_failed (bulk),
             vouch_bulk_onboarding_get_failed (bulk));

  return all_ok ? VOUCHCTL_EXIT_OK : VOUCHCTL_EXIT_FAILED;
}
