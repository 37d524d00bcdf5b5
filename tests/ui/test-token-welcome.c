/* test-token-welcome.c: the first run with a security key plugged in, as
 * a person goes through it: the Welcome page offers where the key lives,
 * the root is made on a real SoftHSM2 token by clicking, the PIN asked
 * in the app's PIN dialog; then a bulk run whose token is pulled out
 * stops, says so, and Resume does the devices left once it is back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "ui-test-util.h"
#include "vouch-bulk-dialog.h"
#include "vouch-passphrase-dialog.h"
#include "vouch-welcome-page.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>

#define TOKEN_LABEL "Welcome Key"
#define PIN "4321"
#define N_AGENTS 3

static const char *names[N_AGENTS] = { "Hall printer", "Shed camera", "Loft NAS" };
static const char *hosts[N_AGENTS] = { "hall.local", "shed.local", "loft.local" };
static const char *admin_tokens[N_AGENTS] = { NULL, NULL, NULL };

static GPtrArray *agents;

static VouchApplication *application;
static VouchWindow *window;

static GtkWidget *
place_row (GtkWidget *welcome)
{
  return ui_test_find_labelled (welcome, ADW_TYPE_COMBO_ROW, "Where the Key Lives");
}

static gboolean
place_shown (gpointer user_data)
{
  GtkWidget *row = place_row (user_data);

  return row != NULL && gtk_widget_get_visible (row);
}

static gboolean
root_made (gpointer user_data)
{
  return vouch_authority_get_root (vouch_application_get_authority (application)) != NULL;
}

/* The row opens its list as a click does; the choice is then made on the
 * row itself, as test-sign-page does: activating the popover's list item
 * (its "list.activate-item" action) did not select it with libadwaita
 * 1.2. */
static void
choose_place (GtkWidget *row,
              guint      position)
{
  GtkWidget *popover;

  ui_test_click (row);
  ui_test_settle (200);
  popover = ui_test_find (row, GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
  gtk_popover_popdown (GTK_POPOVER (popover));
  ui_test_settle (200);
}

static char *
tokens_dir (void)
{
  return g_build_filename (g_get_home_dir (), "tokens", NULL);
}

/* The key chosen but not plugged in: said as the page says its errors,
 * and nothing is made. */
static void
assert_token_absent_said (GtkWidget *welcome)
{
  g_autofree char *dir = tokens_dir ();
  g_autofree char *away = g_strconcat (dir, ".away", NULL);
  GtkWindow *dialog;

  g_assert_cmpint (g_rename (dir, away), ==, 0);
  ui_test_click_button (welcome, "Create Root");
  dialog = ui_test_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 30);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Could Not Create the Root on the Security Key");
  g_test_message ("token absent: %s", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "welcome-token-absent");
  ui_test_click_button (GTK_WIDGET (dialog), "Close");
  ui_test_settle (300);
  g_assert_null (ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_null (vouch_authority_get_root (vouch_application_get_authority (application)));
  g_assert_cmpint (g_rename (away, dir), ==, 0);
}

static void
test_create_on_token (void)
{
  VouchAuthority *authority = vouch_application_get_authority (application);
  GtkWidget *welcome = ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_WELCOME_PAGE);
  GtkWidget *row;
  GtkWindow *later;

  g_assert_null (vouch_authority_get_root (authority));
  g_assert_nonnull (welcome);
  /* The tokens are asked off the main loop; the choice appears after. */
  g_assert_true (ui_test_wait (place_shown, welcome, 30));
  row = place_row (welcome);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Keyring");

  choose_place (row, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), TOKEN_LABEL));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "SoftHSM"));
  ui_test_screenshot_variants (GTK_WINDOW (window), "welcome-key-place");

  /* The agents of the bulk run below are on 127.0.4.0/24. */
  {
    GtkWidget *field = ui_test_find_labelled (welcome, ADW_TYPE_ENTRY_ROW,
                                              "Add a Domain or Address Range");

    ui_test_type (field, "127.0.0.0/8");
    ui_test_press_enter (field);
  }
  assert_token_absent_said (welcome);
  ui_test_click_button (welcome, "Create Root");
  /* A wrong PIN is said in the dialog, which asks again. */
  ui_test_answer_pin ("0000");
  ui_test_settle (300);
  ui_test_answer_pin (PIN);
  g_assert_true (ui_test_wait (root_made, NULL, 60));
  g_assert_nonnull (vouch_authority_get_token_key (authority));
  g_assert_cmpstr (vouch_token_key_get_label (vouch_authority_get_token_key (authority)), ==,
                   TOKEN_LABEL);
  /* A token's key is not backed up by Vouch: no backup is offered. */
  ui_test_settle (500);
  later = GTK_WINDOW (ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_null (later);
}

/* The token is pulled out once the first device is trusted. */
static void
pull_token_cb (VouchDevice *device)
{
  g_autofree char *dir = tokens_dir ();
  g_autofree char *away = g_strconcat (dir, ".away", NULL);

  if (vouch_device_get_step (device) == VOUCH_ONBOARDING_STEP_CONFIRMED &&
      g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_assert_cmpint (g_rename (dir, away), ==, 0);
}

/* Waits, bounded, until @button shows or @dialog finishes; the PIN is
 * typed whenever the PIN dialog asks. */
static gboolean
wait_answering_pin (VouchBulkDialog *dialog,
                    GtkWidget       *button)
{
  for (guint i = 0; i < 1200; i++)
    {
      if (ui_test_find_window (VOUCH_TYPE_PASSPHRASE_DIALOG) != NULL)
        ui_test_answer_pin (PIN);
      if ((button != NULL && gtk_widget_get_visible (button)) ||
          (button == NULL && ui_test_get_boolean (dialog, "finished")))
        return TRUE;
      ui_test_settle (100);
    }
  return FALSE;
}

static void
test_bulk_resume (void)
{
  VouchOnboarding *onboarding = vouch_application_get_onboarding (application);
  g_autoptr(GListStore) devices = g_list_store_new (VOUCH_TYPE_DEVICE);
  g_autofree char *dir = tokens_dir ();
  g_autofree char *away = g_strconcat (dir, ".away", NULL);
  VouchBulkDialog *dialog;
  GtkWidget *resume;
  const char *summary;

  g_assert_nonnull (vouch_authority_get_token_key (vouch_application_get_authority (application)));
  /* One device at a time, so the token is pulled between two. */
  g_settings_set_uint (vouch_application_get_settings (application), "bulk-concurrency", 1);
  for (guint i = 0; i < N_AGENTS; i++)
    {
      TestAgent *agent = g_ptr_array_index (agents, i);
      g_autoptr(VouchDevice) device = test_agent_new_device (agent);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      vouch_onboarding_verify_async (onboarding, device, agent->setup_code, NULL,
                                     vouch_test_store_result_cb, &result);
      g_assert_true (vouch_onboarding_verify_finish (onboarding,
                                                     vouch_test_wait_result (&result, 60),
                                                     &error));
      g_assert_no_error (error);
      g_assert_true (vouch_onboarding_set_admin_secret (onboarding, device, TEST_ADMIN_TOKEN,
                                                        &error));
      if (i == 0)
        g_signal_connect (device, "notify::step", G_CALLBACK (pull_token_cb), NULL);
      g_list_store_append (devices, device);
    }

  /* Opened as Sign Selected opens it; the devices list is tested in
   * bulk-ui. */
  dialog = vouch_bulk_dialog_new (application, G_LIST_MODEL (devices));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (dialog));
  ui_test_settle (300);
  resume = ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Resume");
  g_assert_nonnull (resume);
  g_assert_false (gtk_widget_get_visible (resume));

  ui_test_click_button (GTK_WIDGET (dialog), "Sign");
  g_assert_true (wait_answering_pin (dialog, resume));
  summary = gtk_label_get_label (GTK_LABEL (ui_test_find_labelled (GTK_WIDGET (dialog),
                                                                   GTK_TYPE_LABEL,
                                                                   "press Resume once the key is back")));
  g_assert_nonnull (strstr (summary, "2 devices wait for it"));
  g_assert_cmpuint (vouch_bulk_dialog_get_n_trusted (dialog), ==, 1);
  g_assert_cmpuint (vouch_bulk_dialog_get_n_failed (dialog), ==, 0);
  ui_test_settle (300);
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "bulk-token-stopped");

  g_assert_cmpint (g_rename (away, dir), ==, 0);
  ui_test_click (resume);
  g_assert_true (wait_answering_pin (dialog, NULL));
  g_assert_false (gtk_widget_get_visible (resume));
  g_assert_cmpuint (vouch_bulk_dialog_get_n_trusted (dialog), ==, N_AGENTS);
  g_assert_cmpuint (vouch_bulk_dialog_get_n_failed (dialog), ==, 0);
  g_assert_nonnull (ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_LABEL,
                                           "3 devices now serve a trusted certificate"));
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "bulk-token-resumed");
  ui_test_destroy_window (GTK_WINDOW (dialog));
}

int
main (int    argc,
      char **argv)
{
  int status;

  ui_test_init (&argc, &argv);
  test_require_private_lan ();
  ui_test_make_token (TOKEN_LABEL, PIN);
  agents = test_agents_start_named ("token-agent", "127.0.4", N_AGENTS, names, hosts,
                                    admin_tokens);

  g_test_add_func ("/token-welcome/create-on-token", test_create_on_token);
  g_test_add_func ("/token-welcome/bulk-resume", test_bulk_resume);

  status = ui_test_run_in_window (&application, &window, 1100, 820);
  g_ptr_array_unref (agents);
  return status;
}
