/* test-fingerprint-ui.c: onboarding a Redfish BMC found over SSDP, as a
 * person does: open it from the list, compare the fingerprint the dialog
 * shows with the one on the device, tick the box, give the BMC's account,
 * sign; signing without ticking the box is refused with a plain word.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "ui-test-util.h"
#include "vouch-device-page.h"
#include "vouch-devices-page.h"
#include "vouch-fingerprint-check.h"
#include "vouch-onboard-dialog.h"
#include "vouch-onboard-dialog-private.h"
#include "vouch-devices-page-private.h"

#include <string.h>

static VouchApplication *application;
static VouchWindow *window;
static TestAgent *bmc;

static VouchDevice *
bmc_device (void)
{
  GListModel *devices = G_LIST_MODEL (vouch_application_get_discovery (application));

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (devices, i);

      if (g_strcmp0 (vouch_device_get_host (device), bmc->address) == 0)
        return device;
    }
  return NULL;
}

static gboolean
bmc_listed (gpointer data)
{
  return bmc_device () != NULL;
}

static gboolean
fingerprint_shown (gpointer data)
{
  return vouch_fingerprint_check_get_fingerprint (data) != NULL;
}

static gboolean
dialog_done (gpointer data)
{
  const char *step = vouch_onboard_dialog_get_step_name (data);

  return g_strcmp0 (step, "done") == 0 || g_strcmp0 (step, "failed") == 0;
}

static GtkWidget *
field (GtkWidget  *dialog,
       const char *id)
{
  GtkWidget *widget = ui_test_find_id (dialog, id);

  g_assert_nonnull (widget);
  return widget;
}

static void
test_compare_and_sign (void)
{
  VouchDevicesPage *page = VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_DEVICES_PAGE));
  GtkListView *list = _vouch_devices_page_get_list_view (page);
  g_autofree char *first_group = NULL;
  VouchOnboardDialog *dialog;
  VouchFingerprintCheck *check;
  GtkWidget *label;

  g_assert_true (ui_test_wait (bmc_listed, NULL, 60));
  ui_test_settle (300);
  ui_test_activate_list_item (list, ui_test_list_position (list, bmc_device ()));
  ui_test_click (ui_test_find_button (GTK_WIDGET (page), "Onboard…"));
  dialog = ui_test_find_window (VOUCH_TYPE_ONBOARD_DIALOG);
  g_assert_nonnull (dialog);

  /* No setup code to type: the fingerprint to compare instead. */
  g_assert_false (gtk_widget_get_visible (field (GTK_WIDGET (dialog), "code_row")));
  check = VOUCH_FINGERPRINT_CHECK (ui_test_find (GTK_WIDGET (dialog), VOUCH_TYPE_FINGERPRINT_CHECK));
  g_assert_true (ui_test_wait (fingerprint_shown, check, 30));
  ui_test_settle (300);
  /* What the device shows on its label (its state directory here). */
  g_assert_cmpstr (vouch_fingerprint_check_get_fingerprint (check), ==, bmc->setup_code);
  /* Shown in pairs, as it is read aloud. */
  first_group = g_strdup_printf ("%.2s %.2s", bmc->setup_code, bmc->setup_code + 2);
  label = ui_test_find_labelled (GTK_WIDGET (check), GTK_TYPE_LABEL, first_group);
  g_assert_nonnull (label);
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "onboard-fingerprint");

  /* Signing before comparing is refused, and says why. */
  ui_test_type (field (GTK_WIDGET (dialog), "user_row"), "root");
  ui_test_type (field (GTK_WIDGET (dialog), "secret_row"), TEST_ADMIN_TOKEN);
  ui_test_click_button (GTK_WIDGET (dialog), "Sign and Install");
  ui_test_settle (300);
  g_assert_nonnull (ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "tick the box only if"));
  ui_test_screenshot (GTK_WIDGET (dialog), "onboard-fingerprint-unticked");

  ui_test_click (field (GTK_WIDGET (dialog), "match_check"));
  /* SSDP says only where the BMC is: the person adds its DNS name. */
  ui_test_type (field (GTK_WIDGET (dialog), "add_name_row"), "bmc-rack1.local");
  ui_test_press_enter (field (GTK_WIDGET (dialog), "add_name_row"));
  ui_test_click_button (GTK_WIDGET (dialog), "Sign and Install");
  g_assert_true (ui_test_wait (dialog_done, dialog, 120));
  ui_test_settle (500);
  if (g_strcmp0 (vouch_onboard_dialog_get_step_name (dialog), "done") != 0)
    g_error ("onboarding failed: %s", _vouch_onboard_dialog_get_message (dialog));
  /* After the page's slide has ended. */
  ui_test_settle (1500);
  ui_test_screenshot (GTK_WIDGET (dialog), "onboard-fingerprint-done");
  g_assert_cmpint (vouch_device_get_verification (bmc_device ()), ==, VOUCH_VERIFICATION_FINGERPRINT);
  g_assert_cmpstr (vouch_device_get_user (bmc_device ()), ==, "root");
  ui_test_click_button (GTK_WIDGET (dialog), "Close");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state = NULL;
  const char *extra[] = { "--flavour", "openbmc", "--hostname", "bmc-rack1.local", NULL };
  int status;

  ui_test_init (&argc, &argv);
  test_require_private_lan ();
  ui_test_create_loopback_root ("Fingerprint UI Test Root");
  g_setenv ("VOUCH_SSDP_INTERFACE", "lo", TRUE);

  state = g_dir_make_tmp ("fingerprint-ui-XXXXXX", NULL);
  bmc = test_agent_start_program (g_getenv ("VOUCH_REDFISH_DEVICE"), state, "127.0.9.1", extra);

  application = vouch_application_new ();
  window = ui_test_open_window (application, 1100, 720);
  g_test_add_func ("/fingerprint-ui/compare-and-sign", test_compare_and_sign);
  status = g_test_run ();

  ui_test_close_window (&application, window);
  test_agent_free (bmc);
  return status;
}
