/* test-sign-page.c: signing a CSR by hand in the real window: review,
 * editing names, a refusal in the policy's words, a drop, and saving
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"
#include "vouch-names.h"
#include "vouch-sign-page.h"
#include "vouch-sign-page-private.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  VouchApplication *application;
  VouchWindow      *window;
  VouchSignPage    *page;
} Fixture;

/* The window paints only on the next frame after a change; let one
 * pass so the screenshot shows what a user would see. */
static void
screenshot (Fixture    *fixture,
            const char *name)
{
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (fixture->window), name);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->application = g_object_ref (ui_test_get_application ());
  fixture->window = ui_test_new_window (1100, 820);
  fixture->page = VOUCH_SIGN_PAGE (ui_test_show_page (fixture->window, "sign", VOUCH_TYPE_SIGN_PAGE,
                                                      300));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->application);
}

static GBytes *
make_csr (const char *name)
{
  char *pem = vouch_test_make_simple_csr (name);

  g_assert_nonnull (pem);
  return g_bytes_new_take (pem, strlen (pem));
}

static GtkWidget *
page (Fixture *fixture)
{
  return GTK_WIDGET (fixture->page);
}

static gboolean
signed_or_refused (gpointer user_data)
{
  Fixture *fixture = user_data;
  GtkWidget *refusal = ui_test_find_labelled (page (fixture), GTK_TYPE_LABEL, "Refused to Sign");

  return _vouch_sign_page_get_certificate (fixture->page) != NULL ||
         (refusal != NULL && gtk_widget_get_mapped (refusal));
}

static gboolean
label_mapped (GtkWidget  *root,
              const char *text)
{
  GtkWidget *label = ui_test_find_labelled (root, GTK_TYPE_LABEL, text);

  return label != NULL && gtk_widget_get_mapped (label);
}

static void
add_name (Fixture    *fixture,
          const char *name)
{
  GtkWidget *entry = ui_test_find_labelled (page (fixture), ADW_TYPE_ENTRY_ROW, "Add a Name");

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  g_signal_emit_by_name (entry, "apply");
}

/* A wrong name is said under the field, in the policy parser's words,
 * and stays to be fixed; fixing or emptying the field takes the red away. */
static void
test_bad_name_inline (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) csr = make_csr ("printer.home.arpa");
  g_autoptr(GError) error = NULL;
  g_autofree char *normal = vouch_names_normalize ("printer..home.arpa", &error);
  GtkWidget *entry;

  g_assert_null (normal);
  g_assert_true (vouch_sign_page_load_csr (fixture->page, csr, "printer.csr"));
  ui_test_settle (300);
  entry = ui_test_find_labelled (page (fixture), ADW_TYPE_ENTRY_ROW, "Add a Name");
  g_assert_nonnull (entry);

  ui_test_type (entry, "printer..home.arpa");
  ui_test_press_enter (entry);
  g_assert_cmpstr (ui_test_inline_error (entry), ==, error->message);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "printer..home.arpa");
  screenshot (fixture, "sign-bad-name");

  ui_test_type (entry, "");
  g_assert_null (ui_test_inline_error (entry));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  ui_test_type (entry, "printer..home.arpa");
  ui_test_press_enter (entry);
  g_assert_nonnull (ui_test_inline_error (entry));
  ui_test_type (entry, "printer.home");
  g_assert_null (ui_test_inline_error (entry));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  ui_test_type (entry, "scanner.home.arpa");
  ui_test_press_enter (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_nonnull (ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW,
                                           "scanner.home.arpa"));
}

static void
set_days (Fixture *fixture,
          int      days)
{
  GtkWidget *spin = ui_test_find (page (fixture), GTK_TYPE_SPIN_BUTTON);

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), days);
}

static void
test_sign (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GBytes) csr = make_csr ("printer.home.arpa");
  VouchAuthority *authority = vouch_application_get_authority (fixture->application);
  g_autoptr(VouchCertificate) recorded = NULL;
  g_autoptr(GError) error = NULL;
  GSettings *settings = vouch_application_get_settings (fixture->application);
  VouchCertificate *cert;
  GtkWidget *spin;
  GtkWidget *client_auth;
  const char * const *names;
  gint64 days;

  /* The start page offers a file, and the default validity comes from
   * the settings. */
  g_assert_true (label_mapped (GTK_WIDGET (fixture->window), "Sign a Request by Hand"));
  screenshot (fixture, "sign-start");
  spin = ui_test_find (page (fixture), GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==,
                   g_settings_get_uint (settings, "default-validity-days"));

  g_assert_true (vouch_sign_page_load_csr (fixture->page, csr, "printer.csr"));
  ui_test_settle (300);
  g_assert_nonnull (ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW,
                                           "printer.home.arpa"));
  g_assert_true (label_mapped (page (fixture), "printer.csr"));

  /* The operator adds an alias and an address; both are within the
   * root's constraints, so no warning shows. */
  add_name (fixture, "Printer-Alias.home.arpa");
  add_name (fixture, "192.168.1.20");
  g_assert_nonnull (ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW,
                                           "printer-alias.home.arpa"));
  g_assert_false (label_mapped (page (fixture), "Outside the names"));

  set_days (fixture, 90);
  client_auth = ui_test_find (page (fixture), GTK_TYPE_SWITCH);
  g_assert_nonnull (client_auth);
  gtk_switch_set_active (GTK_SWITCH (client_auth), TRUE);
  screenshot (fixture, "sign-review");

  g_assert_true (gtk_widget_activate_action (page (fixture), "sign.sign", NULL));
  g_assert_true (ui_test_wait (signed_or_refused, fixture, 60));
  cert = _vouch_sign_page_get_certificate (fixture->page);
  g_assert_nonnull (cert);

  names = vouch_certificate_get_names (cert);
  g_assert_true (g_strv_contains (names, "printer.home.arpa"));
  g_assert_true (g_strv_contains (names, "printer-alias.home.arpa"));
  g_assert_true (g_strv_contains (names, "192.168.1.20"));
  days = (vouch_certificate_get_not_after (cert) - vouch_certificate_get_not_before (cert)) / 86400;
  g_assert_cmpint (days, >=, 89);
  g_assert_cmpint (days, <=, 91);

  /* It is in the inventory, and the summary shows its serial. */
  recorded = vouch_inventory_lookup_certificate (vouch_authority_get_inventory (authority),
                                                 vouch_certificate_get_serial (cert), &error);
  g_assert_no_error (error);
  g_assert_nonnull (recorded);
  ui_test_settle (300);
  g_assert_true (label_mapped (page (fixture), "Certificate Signed"));
  g_assert_true (label_mapped (page (fixture), vouch_certificate_get_serial (cert)));
  screenshot (fixture, "sign-done");

  /* Sign Another starts over. */
  g_assert_true (gtk_widget_activate_action (page (fixture), "sign.reset", NULL));
  ui_test_settle (300);
  g_assert_null (_vouch_sign_page_get_certificate (fixture->page));
  g_assert_true (label_mapped (page (fixture), "Sign a Request by Hand"));
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GBytes) csr = make_csr ("www.example.com");
  GtkWidget *row;
  GtkWidget *remove;
  GtkWidget *refusal;

  /* A name outside the constraints is flagged before signing... */
  g_assert_true (vouch_sign_page_load_csr (fixture->page, csr, "bank.csr"));
  ui_test_settle (300);
  row = ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW, "www.example.com");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Outside"));

  /* ...and signing anyway is refused with the policy's own words. */
  g_assert_true (gtk_widget_activate_action (page (fixture), "sign.sign", NULL));
  g_assert_true (ui_test_wait (signed_or_refused, fixture, 60));
  g_assert_null (_vouch_sign_page_get_certificate (fixture->page));
  refusal = ui_test_find_labelled (page (fixture), GTK_TYPE_LABEL,
                                   "is outside the names this root may sign for");
  g_assert_nonnull (refusal);
  g_assert_true (gtk_widget_get_mapped (refusal));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (refusal)), "www.example.com"));
  ui_test_settle (200);
  screenshot (fixture, "sign-refused");

  /* Removing the name and adding a local one makes it acceptable. */
  remove = ui_test_find (row, GTK_TYPE_BUTTON);
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  add_name (fixture, "bank.lan");
  g_assert_null (ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW, "www.example.com"));

  g_assert_true (gtk_widget_activate_action (page (fixture), "sign.sign", NULL));
  g_assert_true (ui_test_wait (signed_or_refused, fixture, 60));
  g_assert_nonnull (_vouch_sign_page_get_certificate (fixture->page));
  g_assert_cmpstrv (vouch_certificate_get_names (_vouch_sign_page_get_certificate (fixture->page)),
                    ((const char * const[]) { "bank.lan", NULL }));
}

static void
test_not_a_csr (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) junk = g_bytes_new_static ("hello\n", 6);
  const char *cert_pem = vouch_certificate_get_pem (
    vouch_root_ca_get_certificate (vouch_authority_get_root (
      vouch_application_get_authority (fixture->application))));
  g_autoptr(GBytes) cert = g_bytes_new (cert_pem, strlen (cert_pem));

  g_assert_false (vouch_sign_page_load_csr (fixture->page, junk, "hello.txt"));
  ui_test_settle (200);
  g_assert_true (label_mapped (page (fixture), "No certificate signing request found"));

  g_assert_false (vouch_sign_page_load_csr (fixture->page, cert, "root.crt"));
  ui_test_settle (200);
  g_assert_true (label_mapped (page (fixture), "holds a certificate, not a certificate signing"));
  screenshot (fixture, "sign-not-a-csr");
}

static gboolean
drop_file (Fixture *fixture,
           GFile   *file)
{
  return ui_test_drop_file (page (fixture), file);
}

static gboolean
review_shown (gpointer user_data)
{
  return label_mapped (page (user_data), "Review the Request");
}

static gboolean
too_large_shown (gpointer user_data)
{
  return label_mapped (page (user_data), "a certificate signing request is at most");
}

static void
test_drop (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *pem = vouch_test_make_simple_csr ("camera.lan");
  g_autofree char *path = vouch_test_write_temp ("camera.csr", pem, -1);
  g_autofree char *big = g_malloc0 (200 * 1024);
  g_autofree char *big_path = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) big_file = NULL;

  /* A file far over the limit is refused before it is read. */
  memset (big, 'A', 200 * 1024 - 1);
  big_path = vouch_test_write_temp ("disk.img", big, -1);
  big_file = g_file_new_for_path (big_path);
  g_assert_true (drop_file (fixture, big_file));
  g_assert_true (ui_test_wait (too_large_shown, fixture, 10));

  g_assert_true (drop_file (fixture, file));
  g_assert_true (ui_test_wait (review_shown, fixture, 10));
  g_assert_nonnull (ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW, "camera.lan"));
  g_assert_true (label_mapped (page (fixture), "camera.csr"));
}

/* A device's CSR with a model in the common name: the review says, in one
 * line, that the common name is not certified. */
static void
test_common_name_notice (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *names[] = { "printer.local", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "good", .dns_names = names };
  g_autofree char *pem = vouch_test_make_csr (&spec);
  g_autofree char *path = vouch_test_write_temp ("good.csr", pem, -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_true (drop_file (fixture, file));
  g_assert_true (ui_test_wait (review_shown, fixture, 10));
  g_assert_true (label_mapped (page (fixture), "Common Name Not Certified"));
  g_assert_true (label_mapped (page (fixture), "“good” is not certified"));
  g_assert_nonnull (ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW, "printer.local"));
  screenshot (fixture, "sign-page-common-name-notice");

  /* A request whose common name is a SAN has nothing to say. */
  {
    g_autofree char *plain = vouch_test_make_simple_csr ("camera.lan");
    g_autofree char *plain_path = vouch_test_write_temp ("camera.csr", plain, -1);
    g_autoptr(GFile) plain_file = g_file_new_for_path (plain_path);

    g_assert_true (drop_file (fixture, plain_file));
    ui_test_settle (300);
    g_assert_false (label_mapped (page (fixture), "Common Name Not Certified"));
  }
}

static gboolean
invalid_row_gone (gpointer user_data)
{
  return ui_test_find_labelled (page (user_data), ADW_TYPE_ACTION_ROW, "printer_1.local") == NULL;
}

/* A name the request carries that is no name at all is listed, flagged
 * and removable with its own button, as vouchctl sign --remove-name. */
static void
test_invalid_name_removable (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *names[] = { "printer.local", "printer_1.local", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "SN-0042", .dns_names = names };
  g_autofree char *pem = vouch_test_make_csr (&spec);
  g_autofree char *path = vouch_test_write_temp ("printer-1.csr", pem, -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *row;

  g_assert_true (drop_file (fixture, file));
  g_assert_true (ui_test_wait (review_shown, fixture, 10));
  row = ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW, "printer_1.local");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Not a valid"));
  screenshot (fixture, "sign-page-invalid-name");

  /* Signed as it stands, it is refused in the policy's words... */
  g_assert_true (gtk_widget_activate_action (page (fixture), "sign.sign", NULL));
  g_assert_true (ui_test_wait (signed_or_refused, fixture, 60));
  g_assert_null (_vouch_sign_page_get_certificate (fixture->page));
  g_assert_true (label_mapped (page (fixture), "printer_1.local"));

  /* ...and once the person removes the name, it is signed. */
  ui_test_settle (200);
  row = ui_test_find_labelled (page (fixture), ADW_TYPE_ACTION_ROW, "printer_1.local");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (ui_test_find (row, GTK_TYPE_BUTTON)));
  g_assert_true (ui_test_wait (invalid_row_gone, fixture, 10));
  g_assert_true (gtk_widget_activate_action (page (fixture), "sign.sign", NULL));
  g_assert_true (ui_test_wait (signed_or_refused, fixture, 60));
  g_assert_nonnull (_vouch_sign_page_get_certificate (fixture->page));
  g_assert_cmpstrv (vouch_certificate_get_names (_vouch_sign_page_get_certificate (fixture->page)),
                    ((const char * const[]) { "printer.local", NULL }));
}

static gboolean
file_dialog_open (gpointer user_data)
{
  GtkWindow **dialog = user_data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *dialog = window;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
file_exists (gpointer user_data)
{
  return g_file_test (user_data, G_FILE_TEST_EXISTS);
}

/* The save dialog opens in the current folder, which main() made a
 * private temporary one. */
static char *
save_as (Fixture    *fixture,
         const char *action,
         const char *name)
{
  g_autofree char *dir = g_get_current_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) target = g_file_new_for_path (path);
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (gtk_widget_activate_action (page (fixture), action, NULL));
  g_assert_true (ui_test_wait (file_dialog_open, &dialog, 10));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  ui_test_settle (300);
  chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_assert_true (g_file_equal (chosen, target));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (ui_test_wait (file_exists, path, 10));
  ui_test_settle (300);

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return contents;
}

static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GBytes) csr = make_csr ("nas.home.arpa");
  g_autofree char *pem = NULL;
  g_autofree char *chain = NULL;
  g_autofree char *der = NULL;
  GtkWidget *format;
  VouchCertificate *cert;
  const char *root_pem;

  g_assert_true (vouch_sign_page_load_csr (fixture->page, csr, NULL));
  g_assert_true (gtk_widget_activate_action (page (fixture), "sign.sign", NULL));
  g_assert_true (ui_test_wait (signed_or_refused, fixture, 60));
  cert = _vouch_sign_page_get_certificate (fixture->page);
  g_assert_nonnull (cert);
  root_pem = vouch_certificate_get_pem (vouch_root_ca_get_certificate (
    vouch_authority_get_root (vouch_application_get_authority (fixture->application))));

  pem = save_as (fixture, "sign.save-certificate", "nas.crt");
  g_assert_cmpstr (pem, ==, vouch_certificate_get_pem (cert));

  chain = save_as (fixture, "sign.save-chain", "nas-chain.pem");
  g_assert_true (g_str_has_prefix (chain, vouch_certificate_get_pem (cert)));
  g_assert_nonnull (strstr (chain, root_pem));

  format = ui_test_find (page (fixture), ADW_TYPE_COMBO_ROW);
  g_assert_nonnull (format);
  adw_combo_row_set_selected (ADW_COMBO_ROW (format), 1);
  der = save_as (fixture, "sign.save-certificate", "nas.cer");
  {
    g_autofree char *dir = g_get_current_dir ();
    g_autofree char *path = g_build_filename (dir, "nas.cer", NULL);
    g_autofree char *bytes = NULL;
    gsize len = 0;
    g_autoptr(GBytes) data_bytes = NULL;
    g_autoptr(VouchCertificate) parsed = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
    g_assert_cmpint ((guint8)bytes[0], ==, 0x30);
    data_bytes = g_bytes_new (bytes, len);
    parsed = vouch_certificate_new_from_der (data_bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (vouch_certificate_get_serial (parsed), ==, vouch_certificate_get_serial (cert));
  }
}

static void
test_narrow_and_dark (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GBytes) csr = make_csr ("www.example.com");

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  ui_test_settle (500);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);
  screenshot (fixture, "sign-start-360");

  g_assert_true (vouch_sign_page_load_csr (fixture->page, csr, "a-rather-long-file-name-from-a-camera.csr"));
  add_name (fixture, "camera-in-the-garden.home.arpa");
  ui_test_settle (300);
  screenshot (fixture, "sign-review-360");

  g_assert_true (gtk_widget_activate_action (page (fixture), "sign.sign", NULL));
  g_assert_true (ui_test_wait (signed_or_refused, fixture, 60));
  ui_test_settle (300);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  screenshot (fixture, "sign-refused-360-dark");

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 820);
  ui_test_settle (500);
  screenshot (fixture, "sign-refused-dark");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmp = NULL;

  ui_test_init (&argc, &argv);

  /* run-with-keyring.sh removes its folder afterwards; run by hand, the
   * saved files go to a fresh folder in /tmp. */
  if (g_getenv ("VOUCH_TEST_TMPDIR") != NULL)
    {
      tmp = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "saves", NULL);
      g_assert_cmpint (g_mkdir_with_parents (tmp, 0700), ==, 0);
    }
  else
    tmp = g_dir_make_tmp ("vouch-sign-page-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  g_assert_cmpint (g_chdir (tmp), ==, 0);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/sign-page/sign", test_sign);
  ADD ("/sign-page/bad-name-inline", test_bad_name_inline);
  ADD ("/sign-page/refused", test_refused);
  ADD ("/sign-page/not-a-csr", test_not_a_csr);
  ADD ("/sign-page/drop", test_drop);
  ADD ("/sign-page/common-name-notice", test_common_name_notice);
  ADD ("/sign-page/invalid-name-removable", test_invalid_name_removable);
  ADD ("/sign-page/save", test_save);
  ADD ("/sign-page/narrow-and-dark", test_narrow_and_dark);

  return g_test_run ();
}
