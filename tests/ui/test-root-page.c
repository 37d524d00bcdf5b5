/* test-root-page.c: the Root page in the real window: the fingerprint
 * grouped for reading aloud, its QR code, validity and name constraints,
 * at desktop and phone widths, light and dark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"
#include "vouch-test-util.h"
#include "vouch-trust-section.h"
#include "vouch-trust-section-private.h"
#include "vouch-root-page.h"

#include <glib/gstdio.h>
#include <qrencode.h>
#include <string.h>

typedef struct
{
  VouchApplication *application;
  VouchWindow      *window;
  GtkWidget        *page;
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
  fixture->page = ui_test_show_page (fixture->window, "root", VOUCH_TYPE_ROOT_PAGE, 300);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->application);
}

static VouchRootCa *
get_root (Fixture *fixture)
{
  return vouch_authority_get_root (vouch_application_get_authority (fixture->application));
}

static void
test_format_fingerprint (void)
{
  g_autofree char *short_text = vouch_root_page_format_fingerprint ("AA:BB:CC");
  g_autofree char *nine = vouch_root_page_format_fingerprint ("01:02:03:04:05:06:07:08:09");

  g_assert_cmpstr (short_text, ==, "AA BB CC");
  g_assert_cmpstr (nine, ==, "01 02 03 04 05 06 07 08\n09");
}

static void
test_fingerprint (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *sha256 = vouch_root_ca_get_sha256 (get_root (fixture));
  g_autofree char *first_pairs = g_strndup (sha256, 8 * 3 - 1);
  g_auto(GStrv) lines = NULL;
  GtkWidget *label;

  /* The label begins with the first eight pairs, space-separated. */
  g_strdelimit (first_pairs, ":", ' ');
  label = ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL, first_pairs);
  g_assert_nonnull (label);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
  g_assert_true (gtk_widget_has_css_class (label, "fingerprint"));

  /* Four lines of eight pairs: "AA BB CC DD EE FF 00 11". */
  lines = g_strsplit (gtk_label_get_label (GTK_LABEL (label)), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), ==, 8 * 3 - 1);
}

static void
test_qr_code (Fixture       *fixture,
              gconstpointer  data)
{
  const char *sha256 = vouch_root_ca_get_sha256 (get_root (fixture));
  GtkWidget *picture = ui_test_find (fixture->page, GTK_TYPE_PICTURE);
  GdkPaintable *paintable;
  QRcode *code;
  int width;
  int modules;

  g_assert_nonnull (picture);
  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  g_assert_true (GDK_IS_TEXTURE (paintable));

  /* Square, a whole number of pixels per module, the code plus a quiet
   * zone of four modules each side, and big enough to scan. */
  code = QRcode_encodeString (sha256, 0, QR_ECLEVEL_M, QR_MODE_8, FALSE);
  g_assert_nonnull (code);
  modules = code->width + 8;
  QRcode_free (code);

  width = gdk_texture_get_width (GDK_TEXTURE (paintable));
  g_assert_cmpint (width, ==, gdk_texture_get_height (GDK_TEXTURE (paintable)));
  g_assert_cmpint (width % modules, ==, 0);
  g_assert_cmpint (width / modules, >=, 4);
  g_assert_cmpint (width, <=, 320);

  /* Shown at its own size, not squeezed. */
  g_assert_cmpint (gtk_widget_get_width (picture), ==, width);
  g_assert_cmpint (gtk_widget_get_height (picture), ==, width);
}

static void
test_details (Fixture       *fixture,
              gconstpointer  data)
{
  VouchCertificate *cert = vouch_root_ca_get_certificate (get_root (fixture));
  GtkWidget *row;

  row = ui_test_find_labelled (fixture->page, ADW_TYPE_ACTION_ROW, "Subject");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   vouch_certificate_get_subject (cert));

  row = ui_test_find_labelled (fixture->page, ADW_TYPE_ACTION_ROW, "Key Type");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "ECDSA P-256");

  row = ui_test_find_labelled (fixture->page, ADW_TYPE_ACTION_ROW, "Valid Until");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "days left"));

  /* The constraints are listed one by one, and no warning appears. */
  g_assert_nonnull (ui_test_find_labelled (fixture->page, ADW_TYPE_ACTION_ROW, ".home.arpa"));
  g_assert_nonnull (ui_test_find_labelled (fixture->page, ADW_TYPE_ACTION_ROW, "192.168.0.0/16"));
  g_assert_null (ui_test_find_labelled (fixture->page, ADW_TYPE_ACTION_ROW, "Any Name"));

  /* Every safekeeping action is there and enabled. */
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_BUTTON, "Back Up"));
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_BUTTON, "Restore"));
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_BUTTON, "PEM"));
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_BUTTON, "DER"));

  screenshot (fixture, "root-page");

  /* And the rest of the page, scrolled to the end. */
  {
    GtkWidget *scrolled = ui_test_find (fixture->page, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    screenshot (fixture, "root-page-end");
  }
}

static void
text_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
}

static gboolean
text_read (gpointer user_data)
{
  return *(char **)user_data != NULL;
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *text = NULL;

  g_assert_true (gtk_widget_activate_action (fixture->page, "root.copy-fingerprint", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (fixture->page), NULL, text_read_cb,
                                 &text);
  g_assert_true (ui_test_wait (text_read, &text, 10));
  g_assert_cmpstr (text, ==, vouch_root_ca_get_sha256 (get_root (fixture)));
}

static void
test_narrow_and_dark (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *picture = ui_test_find (fixture->page, GTK_TYPE_PICTURE);
  GtkWidget *label;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  ui_test_settle (500);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);

  /* The fingerprint and the code fit without being cut. */
  label = ui_test_find (fixture->page, GTK_TYPE_LABEL);
  g_assert_nonnull (label);
  g_assert_cmpint (gtk_widget_get_width (picture), <=, gtk_widget_get_width (fixture->page));
  screenshot (fixture, "root-page-360");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  g_assert_true (adw_style_manager_get_dark (style));
  screenshot (fixture, "root-page-360-dark");

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 820);
  ui_test_settle (500);
  screenshot (fixture, "root-page-dark");
}

typedef struct
{
  VouchTrustStore  *store;
  VouchTrustStatus  status;
} StatusWait;

static gboolean
store_has_status (gpointer user_data)
{
  StatusWait *wait = user_data;

  return !vouch_trust_store_get_busy (wait->store) &&
         vouch_trust_store_get_status (wait->store) == wait->status;
}

static GtkWidget *
row_button (GtkWidget  *section,
            const char *title)
{
  GtkWidget *row = ui_test_find_labelled (section, ADW_TYPE_ACTION_ROW, title);

  g_assert_nonnull (row);
  return ui_test_find (row, GTK_TYPE_BUTTON);
}

static gboolean
stores_read (gpointer user_data)
{
  VouchHomeTrustStores *stores = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (stores));

  if (vouch_home_trust_stores_get_busy (stores))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchTrustStore) store = g_list_model_get_item (G_LIST_MODEL (stores), i);

      if (vouch_trust_store_get_status (store) == VOUCH_TRUST_STATUS_UNKNOWN ||
          vouch_trust_store_get_busy (store))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GtkWidget  *root;
  GType       type;
  const char *text;
} FindWait;

static gboolean
found_mapped (gpointer user_data)
{
  FindWait *wait = user_data;
  GtkWidget *widget = ui_test_find_labelled (wait->root, wait->type, wait->text);

  return widget != NULL && gtk_widget_get_mapped (widget);
}

static VouchHomeTrustStores *
refresh_stores (GtkWidget *section)
{
  VouchHomeTrustStores *stores;

  g_assert_true (gtk_widget_activate_action (section, "trust.refresh", NULL));
  stores = _vouch_trust_section_get_stores (VOUCH_TRUST_SECTION (section));
  g_assert_true (ui_test_wait (stores_read, stores, 60));
  ui_test_settle (200);
  return stores;
}

/* A browser's NSS database in the test's home: the section lists it,
 * installs the root with its row's button, shows the real state, and
 * removes exactly what it added. */
static void
test_trust_section (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *nssdb = g_build_filename (g_get_home_dir (), ".pki", "nssdb", NULL);
  g_autofree char *sql = g_strconcat ("sql:", nssdb, NULL);
  const char *create[] = { "certutil", "-N", "-d", sql, "--empty-password", NULL };
  GtkWidget *section = ui_test_find (fixture->page, VOUCH_TYPE_TRUST_SECTION);
  VouchHomeTrustStores *stores;
  StatusWait wait = { NULL, VOUCH_TRUST_STATUS_NOT_INSTALLED };
  g_autofree char *listing = NULL;

  g_assert_nonnull (section);
  g_assert_cmpint (g_mkdir_with_parents (nssdb, 0700), ==, 0);
  g_assert_true (vouch_test_run (create, NULL, NULL, NULL, NULL));

  /* The store now exists, so its row moves out of the folded places. */
  stores = refresh_stores (section);
  wait.store = vouch_home_trust_stores_lookup (stores, "nss:chromium-legacy");
  g_assert_nonnull (wait.store);
  g_assert_true (store_has_status (&wait));

  g_assert_true (gtk_widget_activate (row_button (section, "Chromium and Chrome")));
  wait.status = VOUCH_TRUST_STATUS_INSTALLED;
  g_assert_true (ui_test_wait (store_has_status, &wait, 30));
  {
    const char *list[] = { "certutil", "-L", "-d", sql, NULL };

    g_assert_true (vouch_test_run (list, NULL, &listing, NULL, NULL));
    g_assert_nonnull (strstr (listing, "Vouch root"));
  }
  gtk_widget_grab_focus (row_button (section, "Chromium and Chrome"));
  screenshot (fixture, "root-page-trust-installed");

  g_assert_true (gtk_widget_activate (row_button (section, "Chromium and Chrome")));
  wait.status = VOUCH_TRUST_STATUS_NOT_INSTALLED;
  g_assert_true (ui_test_wait (store_has_status, &wait, 30));
}

static int
top_of (GtkWidget  *page,
        const char *text)
{
  GtkWidget *label = ui_test_find_labelled (page, GTK_TYPE_LABEL, text);
  graphene_rect_t bounds;

  if (label == NULL)
    g_error ("no label “%s” on the page", text);
  g_assert_true (gtk_widget_compute_bounds (label, page, &bounds));
  return (int)bounds.origin.y;
}

/* What a person comes to the Root page for comes first: trusting the root
 * here and giving it to colleagues; the certificate's details follow. */
static void
test_order (Fixture       *fixture,
            gconstpointer  data)
{
  int trusted = top_of (fixture->page, "Trusted on This Computer");
  int colleagues = top_of (fixture->page, "For Colleagues");
  int details = top_of (fixture->page, "Root Certificate");
  int fingerprint = top_of (fixture->page, "Fingerprint");

  g_assert_cmpint (trusted, <, colleagues);
  g_assert_cmpint (colleagues, <, details);
  g_assert_cmpint (details, <, fingerprint);
}

/* The places not on this computer fold under one row that counts them;
 * an installed Chromium that has never run is offered its store, and
 * pressing the offer makes it with certutil and trusts the root there. */
static void
test_absent_and_chromium (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autofree char *nssdb = g_build_filename (g_get_home_dir (), ".local", "share", "pki", "nssdb",
                                             NULL);
  g_autofree char *sql = g_strconcat ("sql:", nssdb, NULL);
  const char *list[] = { "certutil", "-L", "-d", sql, NULL };
  GtkWidget *section = ui_test_find (fixture->page, VOUCH_TYPE_TRUST_SECTION);
  FindWait offer = { section, GTK_TYPE_BUTTON, "Create and Trust" };
  FindWait created = { section, ADW_TYPE_ACTION_ROW, "Chromium 146+" };
  StatusWait wait = { NULL, VOUCH_TRUST_STATUS_INSTALLED };
  g_autofree char *title = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *nickname = NULL;
  VouchHomeTrustStores *stores;
  GtkWidget *expander;
  GtkWidget *absent_row;
  guint absent = 0;
  guint n;

  if (chromium == NULL)
    {
      g_test_skip ("Chromium is not installed");
      return;
    }
  g_assert_false (g_file_test (nssdb, G_FILE_TEST_EXISTS));
  stores = refresh_stores (section);
  n = g_list_model_get_n_items (G_LIST_MODEL (stores));
  wait.store = vouch_home_trust_stores_lookup (stores, "nss:chromium");
  g_assert_true (vouch_home_trust_stores_lookup_unstarted_chromium (stores) == wait.store);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchTrustStore) store = g_list_model_get_item (G_LIST_MODEL (stores), i);

      if (store != wait.store && vouch_trust_store_get_status (store) == VOUCH_TRUST_STATUS_ABSENT)
        absent++;
    }
  g_assert_cmpuint (absent, >, 1);

  /* One row says how many places are folded; theirs are hidden until it
   * is opened. */
  title = g_strdup_printf ("%u other places, not on this computer", absent);
  expander = ui_test_find_labelled (section, ADW_TYPE_EXPANDER_ROW, title);
  g_assert_nonnull (expander);
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (expander)));
  absent_row = ui_test_find_labelled (expander, ADW_TYPE_ACTION_ROW, "Firefox (snap)");
  g_assert_nonnull (absent_row);
  g_assert_false (gtk_widget_get_mapped (absent_row));
  g_assert_true (ui_test_wait (found_mapped, &offer, 10));
  screenshot (fixture, "root-page-chromium-offer");

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  ui_test_settle (300);
  g_assert_true (gtk_widget_get_mapped (absent_row));
  screenshot (fixture, "root-page-absent-open");

  g_assert_true (gtk_widget_activate (ui_test_find_labelled (section, GTK_TYPE_BUTTON,
                                                             "Create and Trust")));
  g_assert_true (ui_test_wait (store_has_status, &wait, 60));
  g_assert_true (ui_test_wait (found_mapped, &created, 10));
  g_assert_null (ui_test_find_labelled (section, GTK_TYPE_BUTTON, "Create and Trust"));

  /* certutil sees the root in the database it made, trusted for servers. */
  nickname = vouch_trust_store_dup_nickname (wait.store);
  g_assert_true (vouch_test_run (list, NULL, &listing, NULL, NULL));
  g_assert_nonnull (strstr (listing, nickname));
  g_assert_nonnull (strstr (strstr (listing, nickname), "C,,"));
}

/* Install Everywhere from a build that was never installed: the system
 * store says Vouch must be installed, with the command, instead of
 * pkexec's "Failed to execute child process". */
static void
test_install_everywhere_uninstalled (Fixture       *fixture,
                                     gconstpointer  data)
{
  GtkWidget *section = ui_test_find (fixture->page, VOUCH_TYPE_TRUST_SECTION);
  FindWait dialog_wait = { NULL, GTK_TYPE_LABEL, "meson install -C _build" };
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *button;
  GtkWidget *dialog = NULL;

  refresh_stores (section);
  g_assert_cmpint (vouch_trust_store_get_status (vouch_home_trust_stores_lookup (_vouch_trust_section_get_stores (VOUCH_TRUST_SECTION (section)), "system")),
                   ==, VOUCH_TRUST_STATUS_NOT_INSTALLED);
  button = ui_test_find_labelled (section, GTK_TYPE_BUTTON, "Install Everywhere");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate (button));

  for (guint tries = 0; dialog == NULL && tries < 600; tries++)
    {
      for (guint i = 0; dialog == NULL && i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (window))
            dialog = window;
        }
      if (dialog == NULL)
        ui_test_settle (100);
    }
  g_assert_nonnull (dialog);
  dialog_wait.root = dialog;
  g_assert_true (ui_test_wait (found_mapped, &dialog_wait, 10));
  g_assert_null (ui_test_find_labelled (dialog, GTK_TYPE_LABEL, "Failed to execute"));
  ui_test_settle (300);
  ui_test_screenshot (dialog, "root-page-not-installed");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The system store of a fake Debian, and a helper that is not installed,
 * as in a build run from its tree: nothing here can change the real
 * system store, or a JDK's keystore. */
static void
fake_system (void)
{
  g_autofree char *sysroot = g_build_filename (g_get_home_dir (), "sysroot", NULL);
  g_autofree char *anchors = g_build_filename (sysroot, "usr", "local", "share",
                                               "ca-certificates", NULL);
  g_autofree char *sbin = g_build_filename (sysroot, "usr", "sbin", NULL);
  g_autofree char *update = g_build_filename (sbin, "update-ca-certificates", NULL);

  g_assert_cmpint (g_mkdir_with_parents (anchors, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (sbin, 0755), ==, 0);
  g_assert_true (g_file_set_contents (update, "#!/bin/sh\nexit 0\n", -1, NULL));
  g_assert_cmpint (g_chmod (update, 0755), ==, 0);
  g_setenv ("VOUCH_SYSTEM_ROOT", sysroot, TRUE);
  g_setenv ("VOUCH_TRUST_HELPER", "/nonexistent/libexec/vouch-trust-helper", TRUE);
  g_setenv ("JAVA_HOME", "/nonexistent-jdk", TRUE);
}

int
main (int    argc,
      char **argv)
{
  fake_system ();
  ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/root-page/format-fingerprint", test_format_fingerprint);
  ADD ("/root-page/fingerprint", test_fingerprint);
  ADD ("/root-page/qr-code", test_qr_code);
  ADD ("/root-page/details", test_details);
  ADD ("/root-page/copy", test_copy);
  ADD ("/root-page/narrow-and-dark", test_narrow_and_dark);
  ADD ("/root-page/order", test_order);
  ADD ("/root-page/absent-and-chromium", test_absent_and_chromium);
  ADD ("/root-page/trust-section", test_trust_section);
  ADD ("/root-page/install-everywhere-uninstalled", test_install_everywhere_uninstalled);

  return g_test_run ();
}
