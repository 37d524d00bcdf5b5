/* test-onboard-ui.c: the real window on a private LAN with avahi and
 * vouch-agents: a wrong setup code, onboarding one device, and bulk
 * signing the rest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "ui-test-util.h"
#include "vouch-bulk-dialog.h"
#include "vouch-device-page.h"
#include "vouch-devices-page.h"
#include "vouch-onboard-dialog.h"

#define N_AGENTS 4

static const char *names[N_AGENTS] = {
  "Office printer", "Storage NAS", "Front door camera", "Boiler room PLC",
};
static const char *hosts[N_AGENTS] = {
  "office-printer.local", "storage-nas.local", "front-door-camera.local", "boiler-plc.local",
};

static GPtrArray *agents;
static VouchApplication *application;
static VouchWindow *window;

static gboolean
all_discovered (gpointer user_data)
{
  VouchDiscovery *discovery = vouch_application_get_discovery (application);

  for (guint i = 0; i < agents->len; i++)
    {
      TestAgent *agent = g_ptr_array_index (agents, i);
      VouchDevice *device = vouch_discovery_lookup (discovery, agent->device_id);

      if (device == NULL || !vouch_device_get_online (device))
        return FALSE;
    }
  return TRUE;
}

static VouchDevice *
device_of (TestAgent *agent)
{
  return vouch_discovery_lookup (vouch_application_get_discovery (application), agent->device_id);
}

static gpointer
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static VouchOnboardDialog *
open_onboard_dialog (TestAgent *agent)
{
  VouchDevicesPage *page = VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window),
                                                             VOUCH_TYPE_DEVICES_PAGE));
  GtkWidget *device_page = ui_test_find (GTK_WIDGET (page), VOUCH_TYPE_DEVICE_PAGE);
  VouchOnboardDialog *dialog;

  vouch_devices_page_show_device (page, device_of (agent));
  ui_test_settle (500);
  g_assert_true (gtk_widget_activate_action (device_page, "device.onboard", NULL));
  dialog = find_toplevel (VOUCH_TYPE_ONBOARD_DIALOG);
  g_assert_nonnull (dialog);
  ui_test_settle (300);
  return dialog;
}

typedef struct
{
  VouchOnboardDialog *dialog;
  const char         *step;
} StepWait;

static gboolean
dialog_at_step (gpointer user_data)
{
  StepWait *wait = user_data;

  return g_strcmp0 (vouch_onboard_dialog_get_step_name (wait->dialog), wait->step) == 0;
}

static gboolean
dialog_has_message (gpointer user_data)
{
  return vouch_onboard_dialog_get_message (user_data) != NULL;
}

static void
test_devices_listed (void)
{
  g_assert_true (ui_test_wait (all_discovered, NULL, 30));
  ui_test_settle (500);
  ui_test_screenshot (GTK_WIDGET (window), "devices-discovered");
}

static void
test_wrong_setup_code (void)
{
  TestAgent *agent = g_ptr_array_index (agents, 0);
  VouchOnboardDialog *dialog = open_onboard_dialog (agent);

  vouch_onboard_dialog_verify (dialog, "ABCD-EFGH-JKMN", TEST_ADMIN_TOKEN);
  g_assert_true (ui_test_wait (dialog_has_message, dialog, 30));
  g_assert_cmpstr (vouch_onboard_dialog_get_step_name (dialog), ==, "verify");
  g_assert_nonnull (strstr (vouch_onboard_dialog_get_message (dialog), "does not match"));
  ui_test_settle (200);
  ui_test_screenshot (GTK_WIDGET (dialog), "onboard-wrong-code");
  g_assert_cmpint (vouch_device_get_verification (device_of (agent)), ==, VOUCH_VERIFICATION_NONE);
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_test_settle (200);
}

static void
test_onboard_one (void)
{
  TestAgent *agent = g_ptr_array_index (agents, 0);
  VouchOnboardDialog *dialog = open_onboard_dialog (agent);
  StepWait wait = { dialog, "names" };

  ui_test_screenshot (GTK_WIDGET (dialog), "onboard-1-verify");
  vouch_onboard_dialog_verify (dialog, agent->setup_code, TEST_ADMIN_TOKEN);
  g_assert_true (ui_test_wait (dialog_at_step, &wait, 30));
  ui_test_settle (800);
  ui_test_screenshot (GTK_WIDGET (dialog), "onboard-2-names");

  vouch_onboard_dialog_sign (dialog);
  wait.step = "done";
  if (!ui_test_wait (dialog_at_step, &wait, 60))
    g_error ("onboarding did not finish: %s", vouch_onboard_dialog_get_message (dialog));
  ui_test_settle (800);
  ui_test_screenshot (GTK_WIDGET (dialog), "onboard-4-done");
  g_assert_cmpint (vouch_device_get_step (device_of (agent)), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);

  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_test_settle (800);
  ui_test_screenshot (GTK_WIDGET (window), "device-trusted");
}

static gboolean
bulk_finished (gpointer user_data)
{
  return vouch_bulk_dialog_get_finished (user_data);
}

static void
test_bulk (void)
{
  VouchDevicesPage *page = VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window),
                                                             VOUCH_TYPE_DEVICES_PAGE));
  GtkSelectionModel *selection = vouch_devices_page_get_selection (page);
  VouchBulkDialog *dialog;

  gtk_selection_model_select_all (selection);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (window), "devices-selected");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "devices.sign-selected", NULL));
  dialog = find_toplevel (VOUCH_TYPE_BULK_DIALOG);
  g_assert_nonnull (dialog);

  /* Codes for the new devices; the last one is skipped. */
  for (guint i = 1; i < agents->len; i++)
    {
      TestAgent *agent = g_ptr_array_index (agents, i);

      if (i == agents->len - 1)
        vouch_bulk_dialog_set_skip (dialog, device_of (agent), TRUE);
      else
        vouch_bulk_dialog_set_code (dialog, device_of (agent), agent->setup_code);
    }
  vouch_bulk_dialog_set_secret (dialog, TEST_ADMIN_TOKEN);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "bulk-review");

  vouch_bulk_dialog_start (dialog);
  g_assert_true (ui_test_wait (bulk_finished, dialog, 120));
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "bulk-summary");
  g_assert_cmpuint (vouch_bulk_dialog_get_n_failed (dialog), ==, 0);
  /* The one already onboarded is skipped unless asked to be renewed;
   * the two new ones are signed. */
  g_assert_cmpuint (vouch_bulk_dialog_get_n_trusted (dialog), ==, agents->len - 2);
  g_assert_cmpint (vouch_device_get_step (device_of (g_ptr_array_index (agents, agents->len - 1))),
                   !=, VOUCH_ONBOARDING_STEP_CONFIRMED);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_selection_model_unselect_all (selection);
  ui_test_settle (500);
  ui_test_screenshot (GTK_WIDGET (window), "devices-after-bulk");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;
  int status;

  ui_test_init (&argc, &argv);
  test_require_private_lan ();

  /* The demo devices live on loopback; the root must allow it. */
  authority = vouch_authority_new (NULL);
  g_assert_true (vouch_name_constraints_add (nc, "127.0.0.0/8", &error));
  g_assert_true (vouch_authority_create_root (authority, "UI Test Root", VOUCH_KEY_TYPE_ECDSA_P256,
                                              nc, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&authority);

  agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);
  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_autofree char *state = g_strdup_printf ("%s/ui-agent-%u", g_getenv ("VOUCH_TEST_TMPDIR"), i);
      g_autofree char *address = g_strdup_printf ("127.0.3.%u", i + 1);
      const char *args[] = { "--name", names[i], "--hostname", hosts[i], "--model", "Demo", NULL };
      TestAgent *agent = test_agent_start (state, address, args);

      agent->host_name = g_strdup (hosts[i]);
      g_ptr_array_add (agents, agent);
    }

  application = vouch_application_new ();
  window = ui_test_open_window (application, 1100, 720);

  g_test_add_func ("/onboard-ui/devices-listed", test_devices_listed);
  g_test_add_func ("/onboard-ui/wrong-setup-code", test_wrong_setup_code);
  g_test_add_func ("/onboard-ui/onboard-one", test_onboard_one);
  g_test_add_func ("/onboard-ui/bulk", test_bulk);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
  g_clear_object (&application);
  g_ptr_array_unref (agents);
  return status;
}
