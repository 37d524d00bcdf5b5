/* crash-worker.c: a Vouch that onboards a list of devices, to be killed
 *
 *   crash-worker --data-dir DIR --devices FILE [--concurrency N]
 *                [--die-after-installed N]
 *
 * FILE holds one device a line: id, address, port, host name and setup
 * code, separated by tabs. The worker loads the authority in DIR, verifies
 * every device the inventory does not already know as verified, and
 * onboards all that are not yet confirmed, in one bulk run: what Vouch does
 * when it starts again after being killed. tests/test-crash-resume.c kills
 * it with SIGKILL mid-run, then runs it again.
 *
 * Exit status: 0 when every device is confirmed, 1 when some failed, 2 on a
 * setup error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-bulk-onboarding.h"
#include "vouch-error.h"
#include "vouch-onboarding.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#define ADMIN_TOKEN "test-admin-token-0123456789"
#define DEVICE_TIMEOUT_SECONDS 10
#define RUN_TIMEOUT_SECONDS 300

static int die_after_installed;
static int installed;

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
wait_for (GAsyncResult **slot)
{
  gint64 end = g_get_monotonic_time () + RUN_TIMEOUT_SECONDS * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return *slot != NULL;
}

/* A deterministic crash point: right after a device accepted its chain and
 * before Vouch confirmed it. */
static void
step_cb (VouchDevice *device,
         GParamSpec  *pspec,
         gpointer     user_data)
{
  if (vouch_device_get_step (device) == VOUCH_ONBOARDING_STEP_INSTALLED &&
      ++installed >= die_after_installed)
    raise (SIGKILL);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *devices_path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchOnboarding) onboarding = NULL;
  g_autoptr(GListStore) pending = NULL;
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  VouchInventory *inventory;
  int concurrency = VOUCH_BULK_DEFAULT_CONCURRENCY;
  guint failed = 0;
  const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "The authority's directory", "DIR" },
    { "devices", 0, 0, G_OPTION_ARG_FILENAME, &devices_path, "The devices", "FILE" },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, "Onboardings at once", "N" },
    { "die-after-installed", 0, 0, G_OPTION_ARG_INT, &die_after_installed,
      "SIGKILL itself once N devices installed their chain", "N" },
    { NULL }
  };

  context = g_option_context_new ("- onboard devices, to be killed mid-run");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || data_dir == NULL ||
      devices_path == NULL || !g_file_get_contents (devices_path, &contents, NULL, &error))
    {
      g_printerr ("crash-worker: %s\n", error != NULL ? error->message : "bad arguments");
      return 2;
    }

  authority = vouch_authority_new (data_dir);
  if (!vouch_authority_load (authority, &error))
    {
      g_printerr ("crash-worker: %s\n", error->message);
      return 2;
    }
  inventory = vouch_authority_get_inventory (authority);
  onboarding = vouch_onboarding_new (authority);
  vouch_onboarding_set_timeout (onboarding, DEVICE_TIMEOUT_SECONDS);
  pending = g_list_store_new (VOUCH_TYPE_DEVICE);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      g_autoptr(VouchDevice) device = NULL;
      const char *addresses[2] = { NULL, NULL };

      if (g_strv_length (fields) != 5)
        continue;

      /* What the inventory remembers from the killed run wins: its pin,
       * its verification, its step. */
      device = vouch_inventory_lookup_device (inventory, fields[0], NULL);
      if (device == NULL)
        device = vouch_device_new (fields[0], VOUCH_DEVICE_KIND_VOUCH);
      addresses[0] = fields[1];
      vouch_device_set_name (device, fields[3]);
      vouch_device_set_host (device, fields[3]);
      vouch_device_set_addresses (device, addresses);
      vouch_device_set_port (device, (guint16)g_ascii_strtoull (fields[2], NULL, 10));
      vouch_device_set_online (device, TRUE);

      if (vouch_device_get_step (device) == VOUCH_ONBOARDING_STEP_CONFIRMED)
        continue;

      if (vouch_device_get_pin (device) == NULL ||
          vouch_device_get_verification (device) == VOUCH_VERIFICATION_NONE)
        {
          g_autoptr(GAsyncResult) verified = NULL;

          vouch_onboarding_verify_async (onboarding, device, fields[4], NULL, store_result_cb,
                                         &verified);
          if (!wait_for (&verified) ||
              !vouch_onboarding_verify_finish (onboarding, verified, &error) ||
              !vouch_onboarding_set_admin_secret (onboarding, device, ADMIN_TOKEN, &error))
            {
              g_printerr ("crash-worker: %s: %s\n", fields[0],
                          error != NULL ? error->message : "verification timed out");
              return 2;
            }
        }

      if (die_after_installed > 0)
        g_signal_connect (device, "notify::step", G_CALLBACK (step_cb), NULL);
      g_list_store_append (pending, device);
    }

  bulk = vouch_bulk_onboarding_new (onboarding, G_LIST_MODEL (pending), (guint)concurrency);
  vouch_bulk_onboarding_run_async (bulk, NULL, store_result_cb, &result);
  if (!wait_for (&result))
    {
      g_printerr ("crash-worker: the run did not finish within %d s\n", RUN_TIMEOUT_SECONDS);
      return 2;
    }
  vouch_bulk_onboarding_run_finish (bulk, result, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pending)); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (G_LIST_MODEL (pending), i);
      const GError *device_error = vouch_bulk_onboarding_get_error (bulk, device);

      if (device_error != NULL)
        {
          failed++;
          g_printerr ("crash-worker: %s: %s\n", vouch_device_get_id (device),
                      device_error->message);
        }
    }

  g_print ("onboarded %u, failed %u\n", g_list_model_get_n_items (G_LIST_MODEL (pending)) - failed,
           failed);
  return failed == 0 ? 0 : 1;
}
