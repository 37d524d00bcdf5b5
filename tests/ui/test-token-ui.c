/* test-token-ui.c: moving the root's key onto a real SoftHSM2 token from
 * the Root page, as a person does: the Move button, the token and backup
 * choices, the PIN dialog (a wrong PIN first), and the page after it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"
#include "vouch-passphrase-dialog.h"
#include "vouch-root-page.h"

#define TOKEN_LABEL "Desk Key"
#define PIN "1234"

static GtkWidget *
key_row (GtkWidget *page)
{
  return ui_test_find_labelled (page, ADW_TYPE_ACTION_ROW, "Private Key");
}

/* The Safekeeping group is at the bottom of the page. */
static void
scroll_to_end (GtkWidget *page)
{
  GtkWidget *scrolled = ui_test_find (page, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  ui_test_settle (200);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  ui_test_settle (200);
}

static gboolean
subtitle_says (gpointer user_data)
{
  GtkWidget *page = user_data;

  return strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (key_row (page))),
                 "On the security key “" TOKEN_LABEL "”") != NULL;
}

static gboolean
shows_pin_error (gpointer user_data)
{
  VouchPassphraseDialog *dialog = ui_test_find_window (VOUCH_TYPE_PASSPHRASE_DIALOG);

  return dialog != NULL && ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_LABEL,
                                                  "is wrong") != NULL;
}

static void
test_move (void)
{
  VouchApplication *application = ui_test_get_application ();
  VouchAuthority *authority = vouch_application_get_authority (application);
  VouchWindow *window = ui_test_new_window (1100, 820);
  GtkWindow *dialog;
  GtkWidget *page;
  GtkWidget *check;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "root");
  ui_test_settle (300);
  page = ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_ROOT_PAGE);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (key_row (page))),
                            "In your keyring"));
  scroll_to_end (page);
  ui_test_screenshot_variants (GTK_WINDOW (window), "root-key-keyring");

  ui_test_click_button (page, "Move…");
  dialog = ui_test_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 30);
  g_assert_nonnull (dialog);
  g_assert_nonnull (ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_LABEL, TOKEN_LABEL));
  /* Not without the backup confirmed. */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "move-to-token-dialog");
  check = ui_test_find (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);
  ui_test_click (check);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  ui_test_click_button (GTK_WIDGET (dialog), "Move Key");

  /* The PIN is asked naming the token; a wrong one is said under the
   * field of the dialog that asks again. */
  ui_test_answer_pin ("0000");
  g_assert_true (ui_test_wait (shows_pin_error, NULL, 30));
  dialog = GTK_WINDOW (ui_test_find_window (VOUCH_TYPE_PASSPHRASE_DIALOG));
  g_assert_nonnull (ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_LABEL, TOKEN_LABEL));
  g_assert_nonnull (ui_test_find_labelled (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW,
                                           "Keep the PIN in the keyring"));
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "token-pin-dialog");
  gtk_window_set_default_size (dialog, 360, -1);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "token-pin-dialog-360");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "token-pin-dialog-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  {
    GtkWidget *field = ui_test_find (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW);

    gtk_editable_set_text (GTK_EDITABLE (field), "");
  }
  ui_test_answer_pin (PIN);

  g_assert_true (ui_test_wait (subtitle_says, page, 60));
  g_assert_nonnull (vouch_authority_get_token_key (authority));
  /* A token's key cannot be backed up, so Back Up is not offered. */
  g_assert_false (gtk_widget_get_sensitive (ui_test_find_labelled (page, GTK_TYPE_BUTTON,
                                                                   "Back Up")));
  g_assert_null (ui_test_find_button (page, "Move…"));
  scroll_to_end (page);
  ui_test_screenshot_variants (GTK_WINDOW (window), "root-key-token");
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
}

int
main (int    argc,
      char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_make_token (TOKEN_LABEL, PIN);

  g_test_add_func ("/token-ui/move", test_move);

  return g_test_run ();
}
