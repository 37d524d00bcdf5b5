/* test-token-welcome.c: the first run with a security key plugged in, as
 * a person goes through it: the Welcome page offers where the key lives,
 * the root is made on a real SoftHSM2 token by clicking, the PIN asked
 * in the app's PIN dialog, and nothing of the key reaches the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"
#include "vouch-welcome-page.h"

#define TOKEN_LABEL "Welcome Key"
#define PIN "4321"

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

int
main (int    argc,
      char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_make_token (TOKEN_LABEL, PIN);

  g_test_add_func ("/token-welcome/create-on-token", test_create_on_token);

  return ui_test_run_in_window (&application, &window, 1100, 820);
}
