/* test-passphrase-dialog.c: a passphrase the core refuses is said under
 * its field and the dialog stays, with the text kept for correcting:
 * importing a root from a PKCS#12 file on the Welcome page, restoring it
 * from a backup and backing it up from the Root page, each from the
 * page's own buttons, through the real file chooser, typed and clicked as
 * a person would; at desktop and phone widths, light and dark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"
#include "vouch-passphrase-dialog.h"
#include "vouch-passphrase-dialog-private.h"
#include "vouch-root-page.h"
#include "vouch-welcome-page.h"

#include <string.h>

#define RIGHT_PASSPHRASE "correct horse battery staple"

/* One application and window for the program, starting with no root:
 * the tests run in order, from the Welcome page's import to the Root
 * page's restore and backup of the root it imported. */
typedef struct
{
  VouchApplication *application;
  VouchWindow      *window;
  GtkWidget        *page;
} Fixture;

static Fixture shared;

static void
show_root_page (Fixture *fixture)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "root");
  ui_test_settle (300);
  fixture->page = ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_ROOT_PAGE);
  g_assert_nonnull (fixture->page);
}

static gboolean
message_dialog_open (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (window))
        return TRUE;
    }
  return FALSE;
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_test_message ("clicking %s “%s”", G_OBJECT_TYPE_NAME (button),
                  gtk_button_get_label (GTK_BUTTON (button)));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
}

static GtkWidget *
field (GtkWindow  *dialog,
       const char *title)
{
  GtkWidget *row = ui_test_find_labelled (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, title);

  g_assert_nonnull (row);
  return row;
}

static GtkWidget *
continue_button (GtkWindow *dialog)
{
  return ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "ontinue");
}

/* While the work runs, what the person sees says so: a spinner, and
 * nothing to press or change until it is done. */
static void
busy_cb (GtkWindow  *dialog,
         GParamSpec *pspec,
         guint      *times_busy)
{
  GtkWidget *spinner = ui_test_find (GTK_WIDGET (dialog), GTK_TYPE_SPINNER);

  if (!_vouch_passphrase_dialog_get_busy (VOUCH_PASSPHRASE_DIALOG (dialog)))
    return;
  (*times_busy)++;
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_false (gtk_widget_get_sensitive (continue_button (dialog)));
  g_assert_false (gtk_widget_get_sensitive (ui_test_find_labelled (GTK_WIDGET (dialog),
                                                                   GTK_TYPE_BUTTON, "Cancel")));
  g_assert_false (gtk_widget_get_sensitive (field (dialog, "Passphrase")));
}

static gboolean
shows_error (gpointer user_data)
{
  return ui_test_inline_error (user_data) != NULL;
}

static gboolean
says_not_pkcs12 (gpointer user_data)
{
  GtkWidget *label = ui_test_find_labelled (user_data, GTK_TYPE_LABEL,
                                            "The file is not a PKCS#12 backup");

  return label != NULL && gtk_widget_get_mapped (label);
}

static gboolean
message_dialog_shown (gpointer user_data)
{
  return message_dialog_open ();
}

static gboolean
no_message_dialog (gpointer user_data)
{
  return !message_dialog_open ();
}

static gboolean
says_differ (gpointer user_data)
{
  const char *shown = ui_test_inline_error (user_data);

  return shown != NULL && strstr (shown, "differ") != NULL;
}

static gboolean
refused (gpointer user_data)
{
  GtkWidget *passphrase = user_data;

  return ui_test_inline_error (passphrase) != NULL &&
         gtk_widget_get_sensitive (passphrase);
}

static gboolean
is_gone (gpointer user_data)
{
  return *(gpointer *)user_data == NULL;
}

static gboolean
is_sensitive (gpointer user_data)
{
  return gtk_widget_get_sensitive (user_data);
}

typedef struct
{
  GtkFileChooser *chooser;
  GFile          *file;
} Chosen;

/* GTK 4.8 selects a file in a folder it is still reading only once the
 * read is done; Open pressed before that opens nothing. */
static gboolean
is_chosen (gpointer user_data)
{
  Chosen *chosen = user_data;
  g_autoptr(GFile) current = gtk_file_chooser_get_file (chosen->chooser);

  return current != NULL && g_file_equal (current, chosen->file);
}

/* The file chooser a person meets: the path typed, then Open or Save. */
static void
choose_file (const char *path,
             const char *button)
{
  GtkWindow *chooser = ui_test_wait_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, 20);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *accept;

  g_assert_nonnull (chooser);
  /* The whole path typed as the name, as a person may: changing folders
   * while the chooser still reads its first one cancels that read, which
   * GTK 4.8 reports in a dialog of its own. */
  if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), path);
  else
    {
      Chosen chosen = { GTK_FILE_CHOOSER (chooser), file };

      g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL));
      g_assert_true (ui_test_wait (is_chosen, &chosen, 20));
    }
  accept = ui_test_find_labelled (GTK_WIDGET (chooser), GTK_TYPE_BUTTON, button);
  g_assert_nonnull (accept);
  /* The folder is read in the background before the file is selected. */
  g_assert_true (ui_test_wait (is_sensitive, accept, 20));
  click (accept);
}

static void
screenshots (Fixture    *fixture,
             GtkWindow  *dialog,
             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *narrow = g_strconcat (name, "-360", NULL);
  g_autofree char *dark = g_strconcat (name, "-360-dark", NULL);

  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), name);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  gtk_window_set_default_size (dialog, 360, -1);
  ui_test_settle (500);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 400);
  ui_test_screenshot (GTK_WIDGET (dialog), narrow);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 820);
  ui_test_settle (300);
}

/* Import on the Welcome page, where the root is new: the same dialog. */
static void
test_import_pkcs12 (void)
{
  Fixture *fixture = &shared;
  VouchAuthority *authority = vouch_application_get_authority (fixture->application);
  g_autoptr(VouchNameConstraints) constraints = vouch_name_constraints_new_local_defaults ();
  g_autofree char *path = g_build_filename (g_get_home_dir (), "exported-root.p12", NULL);
  g_autoptr(VouchRootCa) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *welcome = ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_WELCOME_PAGE);
  GtkWidget *row;
  GtkWindow *dialog;
  GtkWidget *passphrase;
  GtkWidget *later;
  guint times_busy = 0;

  g_assert_null (vouch_authority_get_root (authority));
  g_assert_nonnull (welcome);
  root = vouch_root_ca_generate ("Exported Elsewhere", VOUCH_KEY_TYPE_ECDSA_P256, constraints,
                                 &error);
  g_assert_no_error (error);
  bytes = vouch_root_ca_export_pkcs12 (root, RIGHT_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));

  row = ui_test_find_labelled (welcome, ADW_TYPE_ACTION_ROW, "PKCS#12 File");
  g_assert_nonnull (row);
  click (ui_test_find (row, GTK_TYPE_BUTTON));
  choose_file (path, "Open");

  dialog = ui_test_wait_toplevel (VOUCH_TYPE_PASSPHRASE_DIALOG, 20);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  g_signal_connect (dialog, "notify::busy", G_CALLBACK (busy_cb), &times_busy);
  passphrase = field (dialog, "Passphrase");

  /* Enter in the field is the same as Continue. */
  ui_test_type (passphrase, "Wrong Horse");
  ui_test_press_enter (passphrase);
  g_assert_true (ui_test_wait (refused, passphrase, 60));
  g_assert_cmpuint (times_busy, ==, 1);
  g_assert_cmpstr (ui_test_inline_error (passphrase), ==,
                   "The passphrase is wrong, or the file has been damaged");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (passphrase)), ==, "Wrong Horse");
  g_assert_false (message_dialog_open ());
  g_assert_null (vouch_authority_get_root (authority));
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "passphrase-import-wrong");

  ui_test_type (passphrase, RIGHT_PASSPHRASE);
  g_assert_null (ui_test_inline_error (passphrase));
  click (continue_button (dialog));
  g_assert_true (ui_test_wait (is_gone, &dialog, 60));
  g_assert_cmpuint (times_busy, ==, 2);
  g_assert_nonnull (vouch_authority_get_root (authority));
  g_assert_cmpstr (vouch_root_ca_get_sha256 (vouch_authority_get_root (authority)), ==,
                   vouch_root_ca_get_sha256 (root));

  /* The backup offered after a new root is for later here. */
  g_assert_true (ui_test_wait (message_dialog_shown, NULL, 10));
  later = NULL;
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; later == NULL && i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (window))
          later = ui_test_find_labelled (window, GTK_TYPE_BUTTON, "Later");
      }
  }
  click (later);
  g_assert_true (ui_test_wait (no_message_dialog, NULL, 10));
}

/* Restore: a wrong passphrase keeps the dialog, says so under the field
 * and leaves the text selected; typing clears the red; the right one
 * restores and closes. */
static void
test_restore (void)
{
  Fixture *fixture = &shared;
  VouchAuthority *authority = vouch_application_get_authority (fixture->application);
  g_autofree char *path = g_build_filename (g_get_home_dir (), "vouch-root-backup.p12", NULL);
  g_autofree char *sha256 = g_strdup (vouch_root_ca_get_sha256 (vouch_authority_get_root (authority)));
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;
  GtkWidget *passphrase;
  guint times_busy = 0;
  int start;
  int end;

  show_root_page (fixture);
  backup = vouch_authority_backup (authority, RIGHT_PASSPHRASE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (backup, NULL),
                                      g_bytes_get_size (backup), NULL));

  click (ui_test_find_labelled (fixture->page, GTK_TYPE_BUTTON, "Restore"));
  choose_file (path, "Open");

  dialog = ui_test_wait_toplevel (VOUCH_TYPE_PASSPHRASE_DIALOG, 20);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  passphrase = field (dialog, "Passphrase");
  g_assert_false (gtk_widget_get_sensitive (continue_button (dialog)));

  g_signal_connect (dialog, "notify::busy", G_CALLBACK (busy_cb), &times_busy);
  ui_test_type (passphrase, "wrong horse");
  click (continue_button (dialog));
  g_assert_true (ui_test_wait (refused, passphrase, 60));
  g_assert_cmpuint (times_busy, ==, 1);

  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_cmpstr (ui_test_inline_error (passphrase), ==,
                   "The passphrase is wrong, or the file has been damaged");
  g_assert_true (gtk_widget_has_css_class (passphrase, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (passphrase)), ==, "wrong horse");
  g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (passphrase), &start, &end));
  g_assert_cmpint (end - start, ==, strlen ("wrong horse"));
  /* No second dialog to dismiss. */
  g_assert_false (message_dialog_open ());
  screenshots (fixture, dialog, "passphrase-restore-wrong");

  ui_test_type (passphrase, RIGHT_PASSPHRASE);
  g_assert_null (ui_test_inline_error (passphrase));
  g_assert_false (gtk_widget_has_css_class (passphrase, "error"));

  click (continue_button (dialog));
  g_assert_true (ui_test_wait (is_gone, &dialog, 60));
  g_assert_cmpuint (times_busy, ==, 2);
  g_assert_cmpstr (vouch_root_ca_get_sha256 (vouch_authority_get_root (authority)), ==, sha256);
}

/* A file that is no backup at all is not blamed on the passphrase: the
 * reason shows under the fields, the passphrase field stays unmarked. */
static void
test_restore_not_pkcs12 (void)
{
  Fixture *fixture = &shared;
  g_autofree char *path = g_build_filename (g_get_home_dir (), "notes.p12", NULL);
  GtkWindow *dialog;
  GtkWidget *passphrase;
  GtkWidget *message;

  g_assert_true (g_file_set_contents (path, "not a backup\n", -1, NULL));
  show_root_page (fixture);
  click (ui_test_find_labelled (fixture->page, GTK_TYPE_BUTTON, "Restore"));
  choose_file (path, "Open");
  dialog = ui_test_wait_toplevel (VOUCH_TYPE_PASSPHRASE_DIALOG, 20);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  passphrase = field (dialog, "Passphrase");

  ui_test_type (passphrase, RIGHT_PASSPHRASE);
  click (continue_button (dialog));
  g_assert_true (ui_test_wait (says_not_pkcs12, dialog, 60));
  message = ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_LABEL,
                                   "The file is not a PKCS#12 backup");
  g_assert_true (gtk_widget_has_css_class (message, "error"));
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (message)));
  g_assert_null (ui_test_inline_error (passphrase));
  g_assert_false (message_dialog_open ());
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "passphrase-restore-not-pkcs12");

  /* The person cancels to pick another file; the message goes with it. */
  click (ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Cancel"));
  g_assert_true (ui_test_wait (is_gone, &dialog, 10));
}

static gboolean
file_written (gpointer user_data)
{
  return g_file_test (user_data, G_FILE_TEST_IS_REGULAR);
}

/* Back up: two passphrases that differ are said at the second field, and
 * fixing either clears it; then the backup is made and saved where the
 * person chose, and it opens with that passphrase. */
static void
test_backup (void)
{
  Fixture *fixture = &shared;
  g_autofree char *path = g_build_filename (g_get_home_dir (), "typed-backup.p12", NULL);
  g_autoptr(VouchRootCa) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  GtkWindow *dialog;
  GtkWidget *passphrase;
  GtkWidget *repeated;

  show_root_page (fixture);
  click (ui_test_find_labelled (fixture->page, GTK_TYPE_BUTTON, "Back Up"));
  dialog = ui_test_wait_toplevel (VOUCH_TYPE_PASSPHRASE_DIALOG, 20);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  passphrase = field (dialog, "Passphrase");
  repeated = field (dialog, "Repeat");

  /* Continue before the second field is filled asks for it there. */
  ui_test_type (passphrase, RIGHT_PASSPHRASE);
  click (continue_button (dialog));
  g_assert_true (ui_test_wait (shows_error, repeated, 20));
  g_assert_cmpstr (ui_test_inline_error (repeated), ==,
                   "Type the passphrase a second time, to be sure of it");
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (dialog), repeated));

  ui_test_type (repeated, "correct horse battery stapel");
  click (continue_button (dialog));
  g_assert_true (ui_test_wait (says_differ, repeated, 20));
  g_assert_nonnull (dialog);
  g_assert_false (_vouch_passphrase_dialog_get_busy (VOUCH_PASSPHRASE_DIALOG (dialog)));
  g_assert_cmpstr (ui_test_inline_error (repeated), ==,
                   "The two passphrases differ: type the same passphrase in both fields");
  g_assert_true (gtk_widget_has_css_class (repeated, "error"));
  g_assert_null (ui_test_inline_error (passphrase));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (passphrase)), ==, RIGHT_PASSPHRASE);
  screenshots (fixture, dialog, "passphrase-backup-mismatch");

  /* Fixed in the first field instead: the pair is right, the red goes. */
  ui_test_type (passphrase, "correct horse battery stapel");
  g_assert_null (ui_test_inline_error (repeated));
  g_assert_false (gtk_widget_has_css_class (repeated, "error"));
  ui_test_type (passphrase, RIGHT_PASSPHRASE);
  ui_test_type (repeated, RIGHT_PASSPHRASE);

  /* Enter in the last field is the same as Continue. */
  ui_test_press_enter (repeated);
  g_assert_true (ui_test_wait (is_gone, &dialog, 60));
  choose_file (path, "Save");
  g_assert_true (ui_test_wait (file_written, path, 30));
  ui_test_settle (300);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

    root = vouch_root_ca_import_pkcs12 (bytes, RIGHT_PASSPHRASE, &error);
    g_assert_no_error (error);
    g_assert_nonnull (root);
  }
}

int
main (int    argc,
      char **argv)
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/passphrase-dialog/import-pkcs12", test_import_pkcs12);
  g_test_add_func ("/passphrase-dialog/restore", test_restore);
  g_test_add_func ("/passphrase-dialog/restore-not-pkcs12", test_restore_not_pkcs12);
  g_test_add_func ("/passphrase-dialog/backup", test_backup);

  return ui_test_run_in_window (&shared.application, &shared.window, 1100, 820);
}
