/* vouchctl-renew.c: “vouchctl renew”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-renew.h"

#include "vouch-clock.h"
#include "vouch-error.h"
#include "vouch-expiry.h"
#include "vouch-inventory.h"
#include "vouch-renewal.h"
#include "vouch-util.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

#define DEFAULT_BROWSE_SECONDS 3
#define NOTIFY_TIMEOUT_MS 5000

/* Tells the person at the desktop what an unattended run did, over the
 * freedesktop notification interface: vouchctl has no GApplication, and
 * a timer run has no terminal to print to. */
static void
notify_desktop (const char *summary,
                const char *body)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder actions;
  GVariantBuilder hints;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr (_("Could not notify the desktop: %s\n"), error->message);
      return;
    }

  g_variant_builder_init (&actions, G_VARIANT_TYPE ("as"));
  g_variant_builder_init (&hints, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&hints, "{sv}", "desktop-entry", g_variant_new_string (APP_ID));
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.Notifications",
                                       "/org/freedesktop/Notifications",
                                       "org.freedesktop.Notifications", "Notify",
                                       g_variant_new ("(susssasa{sv}i)", "Vouch", 0u, APP_ID,
                                                      summary, body, &actions, &hints, -1),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                       NOTIFY_TIMEOUT_MS, NULL, &error);
  if (reply == NULL)
    g_printerr (_("Could not notify the desktop: %s\n"), error->message);
}

static void
report_cb (VouchBulkOnboarding *bulk,
           VouchDevice         *device,
           const GError        *error,
           gpointer             user_data)
{
  gboolean json = GPOINTER_TO_INT (user_data);

  if (json)
    return;

  /* Translators: progress of a renewal run: done/total, device, result. */
  if (error == NULL)
    g_print (_("[%u/%u] %s: renewed\n"), vouch_bulk_onboarding_get_done (bulk),
             vouch_bulk_onboarding_get_total (bulk), vouch_device_get_name (device));
  else if (vouch_renewal_error_is_offline (error))
    g_print (_("[%u/%u] %s: queued until it is back: %s\n"), vouch_bulk_onboarding_get_done (bulk),
             vouch_bulk_onboarding_get_total (bulk), vouch_device_get_name (device),
             error->message);
  else
    g_print (_("[%u/%u] %s: failed: %s\n"), vouch_bulk_onboarding_get_done (bulk),
             vouch_bulk_onboarding_get_total (bulk), vouch_device_get_name (device),
             error->message);
}

/* The in-use certificate signed by hand whose serial or name is @text. */
static VouchCertificateEntry *
find_hand_signed (VouchInventory *inventory,
                  const char     *text)
{
  g_autoptr(GListModel) entries = vouch_inventory_list_entries (inventory, vouch_clock_now (),
                                                                NULL);
  guint n = entries != NULL ? g_list_model_get_n_items (entries) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (entries, i);
      VouchCertificate *cert = vouch_certificate_entry_get_certificate (entry);

      if (!vouch_certificate_entry_get_signed_by_hand (entry) ||
          !vouch_certificate_entry_get_in_use (entry))
        continue;
      if (g_ascii_strcasecmp (vouch_certificate_get_serial (cert), text) == 0 ||
          g_strv_contains (vouch_certificate_get_names (cert), text))
        return g_steal_pointer (&entry);
    }
  return NULL;
}

/* Nothing but the device can make a new key for a certificate signed by
 * hand, so renewing one is signing a new CSR: say so, with the command. */
static GError *
hand_signed_error (VouchCertificateEntry *entry,
                   const char            *text)
{
  g_autofree char *command = vouchctl_sign_command (vouch_certificate_entry_get_certificate (entry));

  return g_error_new (VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                      _("“%s” is a certificate signed by hand (%s), not a device Vouch can "
                        "renew. Renewing it means signing a new request: have the device make "
                        "a new CSR, then run: %s"), text,
                      vouch_certificate_entry_get_expiry_text (entry), command);
}

/* Lists the certificates signed by hand that --due would cover, which
 * only a new CSR renews. */
static void
print_hand_signed_due (VouchInventory *inventory,
                       guint           days)
{
  g_autoptr(GListModel) expiring = vouch_inventory_list_expiring (inventory, vouch_clock_now (),
                                                                  days, NULL);
  guint n = expiring != NULL ? g_list_model_get_n_items (expiring) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (expiring, i);
      g_autofree char *command = NULL;

      if (!vouch_certificate_entry_get_signed_by_hand (entry))
        continue;
      command = vouchctl_sign_command (vouch_certificate_entry_get_certificate (entry));
      /* Translators: names, expiry phrase, then a vouchctl sign command. */
      g_print (_("Signed by hand, so not renewed here: %s (%s). Have the device make a new "
                 "CSR, then run %s\n"), vouch_certificate_entry_get_names_text (entry),
               vouch_certificate_entry_get_expiry_text (entry), command);
    }
}

static const char *
outcome (const GError *error)
{
  if (error == NULL)
    return "renewed";
  return vouch_renewal_error_is_offline (error) ? "queued" : "failed";
}

static void
print_results (VouchBulkOnboarding *bulk,
               GListModel          *devices,
               VouchInventory      *inventory)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = g_list_model_get_n_items (devices);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (devices, i);
      g_autoptr(VouchCertificate) active = NULL;
      const GError *error = vouch_bulk_onboarding_get_error (bulk, device);

      active = vouch_inventory_lookup_active (inventory, vouch_device_get_id (device), NULL);
      json_builder_begin_object (builder);
      vouch_json_add_string_member (builder, "device_id", vouch_device_get_id (device));
      vouch_json_add_string_member (builder, "name", vouch_device_get_name (device));
      vouch_json_add_string_member (builder, "result", outcome (error));
      vouch_json_add_string_member (builder, "error", error != NULL ? error->message : NULL);
      vouch_json_add_string_member (builder, "serial", error == NULL && active != NULL
                                    ? vouch_certificate_get_serial (active) : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  vouchctl_print_json (builder);
}

int
vouchctl_renew (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchDiscovery) discovery = NULL;
  g_autoptr(VouchOnboarding) onboarding = NULL;
  g_autoptr(VouchRenewal) renewal = NULL;
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *due = NULL;
  gboolean json = FALSE;
  gboolean notify = FALSE;
  int concurrency = VOUCH_BULK_DEFAULT_CONCURRENCY;
  int browse = DEFAULT_BROWSE_SECONDS;
  guint days = 0;
  guint renewed = 0, queued = 0, failed = 0, n;
  VouchctlWaiter waiter = { NULL, NULL };
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "due", 0, 0, G_OPTION_ARG_STRING, &due,
      N_("Renew every device whose certificate expires within this period (30d, 4w), and "
         "every queued one"), N_("PERIOD") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency,
      N_("Devices renewed at once (default 8)"), N_("N") },
    { "browse", 0, 0, G_OPTION_ARG_INT, &browse,
      N_("Seconds to look for devices on the network first (default 3)"), N_("SECONDS") },
    { "notify", 0, 0, G_OPTION_ARG_NONE, &notify,
      N_("Show a desktop notification of the result, for unattended runs"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("DEVICE… | --due PERIOD — renew device certificates with "
                                    "new keys"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if ((due != NULL) == (argc > 1))
    return vouchctl_usage (_("renew needs DEVICE… or --due PERIOD, not both"));
  if (due != NULL && !vouch_expiry_parse_days (due, &days, &error))
    {
      exit_code = vouchctl_usage ("%s", error->message);
      g_error_free (error);
      return exit_code;
    }
  if (concurrency < 1 || concurrency > 64)
    return vouchctl_usage (_("--concurrency must be between 1 and 64"));
  if (browse < 0 || browse > 60)
    return vouchctl_usage (_("--browse must be between 0 and 60 seconds"));

  authority = vouchctl_open_authority_with_root (&exit_code);
  if (authority == NULL)
    return exit_code;
  vouchctl_warn_about_root (vouch_authority_get_root (authority), vouch_clock_now ());

  onboarding = vouch_onboarding_new (authority);
  discovery = vouchctl_discover (authority, (guint)browse);
  renewal = vouch_renewal_new (onboarding, discovery);

  if (due != NULL)
    {
      devices = vouch_renewal_list_due (renewal, vouch_clock_now (), days, &error);
      if (devices == NULL)
        return vouchctl_fail (error);
    }
  else
    {
      GListStore *store = g_list_store_new (VOUCH_TYPE_DEVICE);

      devices = G_LIST_MODEL (store);
      for (int i = 1; i < argc; i++)
        {
          VouchDevice *device = vouch_discovery_lookup (discovery, argv[i]);
          g_autoptr(VouchCertificateEntry) by_hand = NULL;

          if (device == NULL)
            by_hand = find_hand_signed (vouch_authority_get_inventory (authority), argv[i]);
          if (by_hand != NULL)
            return vouchctl_fail (hand_signed_error (by_hand, argv[i]));
          if (device == NULL)
            return vouchctl_fail (g_error_new (VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                                               _("No device “%s” is known; “vouchctl devices” "
                                                 "lists them"), argv[i]));
          g_list_store_append (store, device);
        }
    }

  if (due != NULL && !json)
    print_hand_signed_due (vouch_authority_get_inventory (authority), days);

  n = g_list_model_get_n_items (devices);
  if (n == 0)
    {
      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_array (builder);
          json_builder_end_array (builder);
          vouchctl_print_json (builder);
        }
      else
        g_print (g_dngettext (GETTEXT_PACKAGE, "Nothing is due within %u day.\n",
                              "Nothing is due within %u days.\n", days), days);
      return VOUCHCTL_EXIT_OK;
    }

  bulk = vouch_renewal_create_bulk (renewal, devices, (guint)concurrency);
  g_signal_connect (bulk, "device-finished", G_CALLBACK (report_cb), GINT_TO_POINTER (json));

  loop = g_main_loop_new (NULL, FALSE);
  waiter.loop = loop;
  vouch_bulk_onboarding_run_async (bulk, NULL, vouchctl_waiter_cb, &waiter);
  g_main_loop_run (loop);
  vouch_bulk_onboarding_run_finish (bulk, waiter.result, &error);
  g_clear_object (&waiter.result);
  if (error != NULL)
    return vouchctl_fail (error);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (devices, i);
      const GError *device_error = vouch_bulk_onboarding_get_error (bulk, device);

      if (device_error == NULL)
        renewed++;
      else if (vouch_renewal_error_is_offline (device_error))
        queued++;
      else
        failed++;
    }

  if (json)
    print_results (bulk, devices, vouch_authority_get_inventory (authority));
  else
    g_print (_("%u renewed, %u queued until they are back, %u failed.\n"), renewed, queued, failed);

  if (notify)
    {
      g_autofree char *body = g_strdup_printf (_("%u renewed, %u queued until they are back, "
                                                 "%u failed."), renewed, queued, failed);

      notify_desktop (failed + queued > 0 ? _("Some certificates could not be renewed")
                                          : _("Certificates renewed"), body);
    }

  return queued + failed == 0 ? VOUCHCTL_EXIT_OK : VOUCHCTL_EXIT_FAILED;
}
