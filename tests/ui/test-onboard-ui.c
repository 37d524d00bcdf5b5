/* test-onboard-ui.c: the real window on a private LAN with avahi and
 * vouch-agents: a wrong setup code, onboarding one device, a wrong
 * admin secret corrected, and bulk signing the rest. The onboard dialog
 * is driven as a person does: rows and buttons clicked, fields typed in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "ui-test-util.h"
#include "vouch-bulk-dialog.h"
#include "vouch-device-page.h"
#include "vouch-device-row.h"
#include "vouch-devices-page-private.h"
#include "vouch-devices-page.h"
#include "vouch-onboard-dialog.h"
#include "vouch-onboard-dialog-private.h"

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

static VouchDevicesPage *
devices_page (void)
{
  return VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_DEVICES_PAGE));
}

static GtkWidget *
device_page (void)
{
  return ui_test_find (GTK_WIDGET (devices_page ()), VOUCH_TYPE_DEVICE_PAGE);
}

/* Clicks the device's row, then its Onboard… (or Renew…) button. */
static VouchOnboardDialog *
open_onboard_dialog (TestAgent *agent)
{
  GtkListView *list = _vouch_devices_page_get_list_view (devices_page ());
  VouchOnboardDialog *dialog;
  GtkWidget *button;

  ui_test_activate_list_item (list, ui_test_list_position (list, device_of (agent)));
  g_assert_true (vouch_device_page_get_device (VOUCH_DEVICE_PAGE (device_page ())) == device_of (agent));
  button = ui_test_find_button (device_page (), "Onboard…");
  if (button == NULL)
    button = ui_test_find_button (device_page (), "Renew…");
  ui_test_click (button);
  dialog = ui_test_find_window (VOUCH_TYPE_ONBOARD_DIALOG);
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

static void
wait_for_step (VouchOnboardDialog *dialog,
               const char         *step)
{
  StepWait wait = { dialog, step };

  if (!ui_test_wait (dialog_at_step, &wait, 90))
    g_error ("the dialog shows “%s”, not “%s”: %s", vouch_onboard_dialog_get_step_name (dialog),
             step, _vouch_onboard_dialog_get_message (dialog));
  ui_test_settle (500);
}

static GtkWidget *
field (VouchOnboardDialog *dialog,
       const char         *id)
{
  GtkWidget *widget = ui_test_find_id (GTK_WIDGET (dialog), id);

  g_assert_nonnull (widget);
  return widget;
}

static void
close_dialog (VouchOnboardDialog *dialog)
{
  /* Escape, as a person leaves a dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  ui_test_settle (300);
  g_assert_null (ui_test_find_window (VOUCH_TYPE_ONBOARD_DIALOG));
}

static void
test_devices_listed (void)
{
  g_assert_true (ui_test_wait (all_discovered, NULL, 30));
  ui_test_settle (500);
  ui_test_screenshot (GTK_WIDGET (window), "devices-discovered");
}

/* The code the person typed is the one compared: a wrong one says so, and
 * the typed code stays in the field to be corrected. */
static void
test_wrong_setup_code (void)
{
  TestAgent *agent = g_ptr_array_index (agents, 0);
  VouchOnboardDialog *dialog = open_onboard_dialog (agent);

  ui_test_type (field (dialog, "code_row"), "ABCD-EFGH-JKMN");
  ui_test_type (field (dialog, "secret_row"), TEST_ADMIN_TOKEN);
  ui_test_click_button (GTK_WIDGET (dialog), "Sign and Install");
  wait_for_step (dialog, "form");
  g_assert_nonnull (strstr (_vouch_onboard_dialog_get_message (dialog), "does not match"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (dialog, "code_row"))), ==,
                   "ABCD-EFGH-JKMN");
  g_assert_true (gtk_widget_has_css_class (field (dialog, "code_row"), "error"));
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "onboard-wrong-code");
  g_assert_cmpint (vouch_device_get_verification (device_of (agent)), ==, VOUCH_VERIFICATION_NONE);
  close_dialog (dialog);
}

/* The right code typed into the real field verifies; then one click signs
 * and installs, and the device page no longer suggests Renew. */
static void
test_onboard_one (void)
{
  TestAgent *agent = g_ptr_array_index (agents, 0);
  VouchOnboardDialog *dialog = open_onboard_dialog (agent);
  GtkWidget *renew;
  gint64 expiry;

  ui_test_screenshot_variants (GTK_WINDOW (dialog), "onboard-1-form");
  ui_test_type (field (dialog, "code_row"), agent->setup_code);
  ui_test_type (field (dialog, "secret_row"), TEST_ADMIN_TOKEN);
  ui_test_click_button (GTK_WIDGET (dialog), "Sign and Install");
  wait_for_step (dialog, "done");
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "onboard-2-done");
  g_assert_cmpint (vouch_device_get_step (device_of (agent)), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
  /* This HOME has no browser store, and the machine's own are kept out. */
  g_assert_false (gtk_widget_get_visible (field (dialog, "trust_button")));

  ui_test_click_button (GTK_WIDGET (dialog), "Close");
  g_assert_null (ui_test_find_window (VOUCH_TYPE_ONBOARD_DIALOG));
  ui_test_settle (800);
  ui_test_screenshot (GTK_WIDGET (window), "device-trusted");

  /* Trusted a minute ago: Renew is there, but not the suggested action. */
  renew = ui_test_find_button (device_page (), "Renew…");
  g_assert_nonnull (renew);
  g_assert_false (gtk_widget_has_css_class (renew, "suggested-action"));

  /* Weeks later, with the certificate about to expire, it is. */
  expiry = vouch_device_get_certificate_expiry (device_of (agent));
  vouch_device_set_certificate_expiry (device_of (agent), g_get_real_time () / G_USEC_PER_SEC + 5 * 86400);
  g_assert_true (gtk_widget_has_css_class (renew, "suggested-action"));
  ui_test_settle (200);
  ui_test_screenshot (GTK_WIDGET (window), "device-expiring");
  vouch_device_set_certificate_expiry (device_of (agent), expiry);
  g_assert_false (gtk_widget_has_css_class (renew, "suggested-action"));
}

/* A wrong admin secret is corrected on the failure page; and a device
 * whose stored secret was refused is asked for it when onboarded again. */
static void
test_wrong_secret (void)
{
  TestAgent *agent = g_ptr_array_index (agents, 1);
  VouchOnboardDialog *dialog = open_onboard_dialog (agent);
  GtkWidget *onboard;

  ui_test_type (field (dialog, "code_row"), agent->setup_code);
  ui_test_type (field (dialog, "secret_row"), "not-the-admin-token");
  ui_test_click_button (GTK_WIDGET (dialog), "Sign and Install");
  wait_for_step (dialog, "failed");
  g_assert_nonnull (strstr (_vouch_onboard_dialog_get_message (dialog), "refused the admin secret"));
  g_assert_true (vouch_device_get_secret_refused (device_of (agent)));
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "onboard-3-wrong-secret");

  /* Left for later: the device page still suggests onboarding it. */
  close_dialog (dialog);
  onboard = ui_test_find_button (device_page (), "Onboard…");
  g_assert_nonnull (onboard);
  g_assert_true (gtk_widget_has_css_class (onboard, "suggested-action"));

  /* Verified already: only the secret is asked for, and it must be given. */
  dialog = open_onboard_dialog (agent);
  g_assert_false (gtk_widget_get_visible (field (dialog, "code_row")));
  g_assert_true (gtk_widget_get_visible (field (dialog, "secret_row")));
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "onboard-4-secret-asked");
  ui_test_click_button (GTK_WIDGET (dialog), "Sign and Install");
  g_assert_cmpstr (vouch_onboard_dialog_get_step_name (dialog), ==, "form");
  g_assert_true (gtk_widget_has_css_class (field (dialog, "secret_row"), "error"));

  /* Wrong again (Enter submits it): corrected on the failure page, where
   * an empty secret is refused at once, and Try Again signs. */
  ui_test_type (field (dialog, "secret_row"), "still-wrong");
  ui_test_press_enter (field (dialog, "secret_row"));
  wait_for_step (dialog, "failed");
  ui_test_press_enter (field (dialog, "retry_secret_row"));
  g_assert_true (gtk_widget_has_css_class (field (dialog, "retry_secret_row"), "error"));
  ui_test_type (field (dialog, "retry_secret_row"), TEST_ADMIN_TOKEN);
  g_assert_false (gtk_widget_has_css_class (field (dialog, "retry_secret_row"), "error"));
  ui_test_click_button (GTK_WIDGET (dialog), "Try Again");
  wait_for_step (dialog, "done");
  g_assert_false (vouch_device_get_secret_refused (device_of (agent)));
  g_assert_cmpint (vouch_device_get_step (device_of (agent)), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
  close_dialog (dialog);
}

/* The check box in the device's row, which marks it for bulk signing. */
static GtkWidget *
check_of (VouchDevice *device)
{
  GtkWidget *list = GTK_WIDGET (_vouch_devices_page_get_list_view (devices_page ()));

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = ui_test_find (child, VOUCH_TYPE_DEVICE_ROW);

      if (row != NULL && vouch_device_row_get_device (VOUCH_DEVICE_ROW (row)) == device)
        return GTK_WIDGET (vouch_device_row_get_check (VOUCH_DEVICE_ROW (row)));
    }
  g_error ("no row shows “%s”", vouch_device_get_name (device));
}

/* The two devices not onboarded yet are marked, one gets its code typed
 * in the bulk dialog and the other is switched off there. */
static void
test_bulk (void)
{
  TestAgent *coded = g_ptr_array_index (agents, 2);
  TestAgent *skipped = g_ptr_array_index (agents, 3);
  VouchBulkDialog *dialog;
  GtkWidget *row;

  ui_test_click (check_of (device_of (coded)));
  ui_test_click (check_of (device_of (skipped)));
  ui_test_screenshot (GTK_WIDGET (window), "devices-selected");
  ui_test_click_button (GTK_WIDGET (devices_page ()), "Sign Selected…");
  dialog = ui_test_find_window (VOUCH_TYPE_BULK_DIALOG);
  g_assert_nonnull (dialog);
  ui_test_settle (300);

  row = ui_test_find_labelled (GTK_WIDGET (dialog), ADW_TYPE_EXPANDER_ROW,
                               vouch_device_get_name (device_of (coded)));
  ui_test_type (ui_test_find (row, ADW_TYPE_ENTRY_ROW), coded->setup_code);
  row = ui_test_find_labelled (GTK_WIDGET (dialog), ADW_TYPE_EXPANDER_ROW,
                               vouch_device_get_name (device_of (skipped)));
  ui_test_click (ui_test_find (row, GTK_TYPE_SWITCH));
  ui_test_type (ui_test_find_id (GTK_WIDGET (dialog), "secret_row"), TEST_ADMIN_TOKEN);
  ui_test_screenshot (GTK_WIDGET (dialog), "bulk-review");

  ui_test_click_button (GTK_WIDGET (dialog), "Sign");
  g_assert_true (ui_test_wait_boolean (dialog, "finished", TRUE, 120));
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "bulk-summary");
  g_assert_cmpuint (vouch_bulk_dialog_get_n_failed (dialog), ==, 0);
  g_assert_cmpuint (vouch_bulk_dialog_get_n_trusted (dialog), ==, 1);
  g_assert_cmpint (vouch_device_get_step (device_of (coded)), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
  g_assert_cmpint (vouch_device_get_step (device_of (skipped)), !=, VOUCH_ONBOARDING_STEP_CONFIRMED);

  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_test_settle (500);
  ui_test_screenshot (GTK_WIDGET (window), "devices-after-bulk");
}

int
main (int    argc,
      char **argv)
{
  int status;

  ui_test_init (&argc, &argv);
  test_require_private_lan ();
  ui_test_keep_system_stores ();

  /* The demo devices live on loopback; the root must allow it. */
  ui_test_create_loopback_root ("UI Test Root");

  agents = test_agents_start_named ("ui-agent", "127.0.3", N_AGENTS, names, hosts, NULL);

  g_test_add_func ("/onboard-ui/devices-listed", test_devices_listed);
  g_test_add_func ("/onboard-ui/wrong-setup-code", test_wrong_setup_code);
  g_test_add_func ("/onboard-ui/onboard-one", test_onboard_one);
  g_test_add_func ("/onboard-ui/wrong-secret", test_wrong_secret);
  g_test_add_func ("/onboard-ui/bulk", test_bulk);

  status = ui_test_run_in_window (&application, &window, 1100, 720);

  g_ptr_array_unref (agents);
  return status;
}
