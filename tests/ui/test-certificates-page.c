/* test-certificates-page.c: the Certificates page in the real window:
 * expiry classes, the "expiring soon" filter, the timeline, revoking
 * through the dialog, the revocation list, the History page's export;
 * reminders, the automatic renewal switch, the root's rollover warning and
 * hand-signed certificates are in test-certificates-page-reminders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "test-certificates-page.h"
#include "vouch-certificates-page-private.h"
#include "vouch-test-util.h"

#include "vouch-audit-event.h"
#include "vouch-audit-page.h"
#include "vouch-audit-page-private.h"
#include "vouch-certificate-actions.h"
#include "vouch-certificates-page.h"
#include "vouch-clock.h"
#include "vouch-inventory-private.h"
#include "vouch-inventory.h"
#include "vouch-audit-export-private.h"
#include "vouch-expiry-timeline-private.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  const char       *device;
  guint             validity;
  VouchExpiryClass  klass;
} Issued;

/* Days left at "now" = validity - SHIFT_DAYS. */
static const Issued issued[] = {
  { "printer", 500, VOUCH_EXPIRY_VALID },
  { "nas", 120, VOUCH_EXPIRY_VALID },
  { "thermostat", 200, VOUCH_EXPIRY_VALID },
  { "camera", 55, VOUCH_EXPIRY_WITHIN_30 },
  { "router", 45, VOUCH_EXPIRY_WITHIN_7 },
  { "doorbell", 10, VOUCH_EXPIRY_EXPIRED },
};

gint64 fake_now;

void
screenshot (Fixture    *fixture,
            const char *name)
{
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (fixture->window), name);
}

VouchInventory *
get_inventory (Fixture *fixture)
{
  return vouch_authority_get_inventory (vouch_application_get_authority (fixture->application));
}

/* Signs one certificate per row of issued[] for a saved device, once for
 * the whole program, and confirms it so it is active. */
static void
issue_all (VouchApplication *application)
{
  VouchAuthority *authority = vouch_application_get_authority (application);
  VouchInventory *inventory = vouch_authority_get_inventory (authority);
  static gboolean done;

  if (done)
    return;
  done = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (issued); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.home.arpa", issued[i].device);
      g_autofree char *id = g_strdup_printf ("id-%s", issued[i].device);
      g_autofree char *csr = vouch_test_make_simple_csr (name);
      g_autoptr(VouchDevice) device = vouch_device_new (id, VOUCH_DEVICE_KIND_VOUCH);
      g_autoptr(VouchCertificate) cert = NULL;
      g_autoptr(GError) error = NULL;
      VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;

      vouch_device_set_name (device, issued[i].device);
      /* Verified and pinned, but with no address known: a renewal finds
       * it away and queues it. */
      vouch_device_set_pin (device, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
      vouch_device_set_verification (device, VOUCH_VERIFICATION_SETUP_CODE);
      g_assert_true (vouch_inventory_save_device (inventory, device, &error));
      g_assert_no_error (error);
      options.device_id = id;
      options.days = issued[i].validity;
      cert = vouch_authority_sign (authority, (const guint8 *)csr, strlen (csr), &options, NULL,
                                   &error);
      g_assert_no_error (error);
      g_assert_true (_vouch_inventory_confirm_certificate (inventory,
                                                           vouch_certificate_get_serial (cert), id,
                                                           &error));
      g_assert_no_error (error);
    }

  /* An hour short of SHIFT_DAYS, so whole days left are exact. */
  fake_now = g_get_real_time () / G_USEC_PER_SEC + SHIFT_DAYS * DAY - 3600;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->application = g_object_ref (ui_test_get_application ());
  issue_all (fixture->application);
  vouch_clock_set_for_testing (fake_now);

  fixture->window = ui_test_new_window (1100, 760);
  fixture->page = ui_test_show_page (fixture->window, "certificates", VOUCH_TYPE_CERTIFICATES_PAGE,
                                     300);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->application);
}

VouchCertificateEntry *
find_entry (GListModel *model,
            const char *device,
            guint      *out_position)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (model, i);

      if (g_strcmp0 (vouch_certificate_entry_get_device_name (entry), device) == 0)
        {
          if (out_position != NULL)
            *out_position = i;
          return entry;
        }
    }
  return NULL;
}

/* Month index counted here, independently of the timeline's code. */
static int
months_between (gint64 from,
                gint64 to)
{
  g_autoptr(GDateTime) a = g_date_time_new_from_unix_local (from);
  g_autoptr(GDateTime) b = g_date_time_new_from_unix_local (to);

  return (g_date_time_get_year (b) * 12 + g_date_time_get_month (b)) -
         (g_date_time_get_year (a) * 12 + g_date_time_get_month (a));
}

static void
check_timeline (Fixture *fixture)
{
  VouchExpiryTimeline *timeline = _vouch_certificates_page_get_timeline (VOUCH_CERTIFICATES_PAGE (fixture->page));
  g_autoptr(GListModel) entries = vouch_inventory_list_entries (get_inventory (fixture), fake_now,
                                                                NULL);
  guint expected[VOUCH_EXPIRY_TIMELINE_MONTHS] = { 0 };

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (entries, i);
      gint64 not_after = vouch_certificate_get_not_after (vouch_certificate_entry_get_certificate (entry));
      int month = months_between (fake_now, not_after);

      if (vouch_certificate_entry_get_in_use (entry) && not_after > fake_now &&
          month < VOUCH_EXPIRY_TIMELINE_MONTHS)
        expected[month]++;
    }

  for (guint i = 0; i < VOUCH_EXPIRY_TIMELINE_MONTHS; i++)
    g_assert_cmpuint (_vouch_expiry_timeline_get_count (timeline, i), ==, expected[i]);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  VouchCertificatesPage *page = VOUCH_CERTIFICATES_PAGE (fixture->page);
  GListModel *model = _vouch_certificates_page_get_model (page);
  VouchExpiryTimeline *timeline = _vouch_certificates_page_get_timeline (page);
  guint total = 0;

  g_assert_cmpuint (g_list_model_get_n_items (model), >=, G_N_ELEMENTS (issued));

  /* Each row has the class its validity puts it in, and the view shows
   * its text: "Expires in 5 days", "Expired 30 days ago". */
  for (guint i = 0; i < G_N_ELEMENTS (issued); i++)
    {
      VouchCertificateEntry *entry = find_entry (model, issued[i].device, NULL);
      const char *text;

      g_assert_nonnull (entry);
      g_assert_cmpint (vouch_certificate_entry_get_expiry_class (entry), ==, issued[i].klass);
      g_assert_cmpint (vouch_certificate_entry_get_days_left (entry), ==,
                       (int)issued[i].validity - SHIFT_DAYS);
      text = vouch_certificate_entry_get_expiry_text (entry);
      g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL, text));
      if (issued[i].klass == VOUCH_EXPIRY_EXPIRED)
        g_assert_true (g_str_has_prefix (text, "Expired"));
      else
        g_assert_true (g_str_has_prefix (text, "Expires in"));
      g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL, issued[i].device));
    }
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL, "Expires in 5 days"));

  /* Sorted by expiry: the expired one first. */
  {
    g_autoptr(VouchCertificateEntry) first = g_list_model_get_item (model, 0);

    g_assert_cmpstr (vouch_certificate_entry_get_device_name (first), ==, "doorbell");
  }

  /* Expiring soon: within 30 days or expired, and in use. */
  _vouch_certificates_page_set_expiring_only (page, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_nonnull (find_entry (model, "camera", NULL));
  g_assert_nonnull (find_entry (model, "router", NULL));
  g_assert_nonnull (find_entry (model, "doorbell", NULL));
  screenshot (fixture, "certificates-expiring");
  _vouch_certificates_page_set_expiring_only (page, FALSE);

  _vouch_certificates_page_set_search (page, "CAMERA.home");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  _vouch_certificates_page_set_search (page, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, G_N_ELEMENTS (issued));

  /* The timeline counts what expires in each of the next 12 months. */
  check_timeline (fixture);
  for (guint i = 0; i < VOUCH_EXPIRY_TIMELINE_MONTHS; i++)
    total += _vouch_expiry_timeline_get_count (timeline, i);
  g_assert_cmpuint (total, ==, 4);
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL,
                                           "4 certificates expire in the next 12 months"));

  screenshot (fixture, "certificates");
}

static void
test_narrow_and_dark (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *view = ui_test_find (fixture->page, GTK_TYPE_COLUMN_VIEW);
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (view));
  guint visible = 0;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  ui_test_settle (600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);

  /* Device, Valid Until and Status stay; Names and Serial go. */
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      visible += gtk_column_view_column_get_visible (column);
    }
  g_assert_cmpuint (visible, ==, 3);
  g_assert_cmpint (gtk_widget_get_width (view), <=, gtk_widget_get_width (fixture->page));
  screenshot (fixture, "certificates-360");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  screenshot (fixture, "certificates-360-dark");

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 760);
  ui_test_settle (600);
  screenshot (fixture, "certificates-dark");
}

AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

gboolean
dialog_shown (gpointer user_data)
{
  return find_dialog () != NULL;
}

/* Answers @dialog as its button would, and makes sure it is gone. */
void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  adw_message_dialog_response (dialog, response);
  ui_test_settle (100);
  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  ui_test_settle (100);
}

static void
test_revoke (Fixture       *fixture,
             gconstpointer  data)
{
  VouchCertificatesPage *page = VOUCH_CERTIFICATES_PAGE (fixture->page);
  GListModel *model = _vouch_certificates_page_get_model (page);
  gint64 revocations = _vouch_inventory_count_audit_events (get_inventory (fixture), "revoked");
  g_autofree char *serial = NULL;
  VouchCertificateEntry *entry;
  AdwMessageDialog *dialog;
  GtkWidget *dropdown;
  guint position = 0;
  guint reason_index = G_MAXUINT;

  entry = find_entry (model, "thermostat", &position);
  g_assert_nonnull (entry);
  serial = g_strdup (vouch_certificate_get_serial (vouch_certificate_entry_get_certificate (entry)));
  g_assert_true (gtk_selection_model_select_item (_vouch_certificates_page_get_selection (page),
                                                  position, TRUE));
  g_assert_true (gtk_widget_activate_action (fixture->page, "certificates.revoke", NULL));
  g_assert_true (ui_test_wait (dialog_shown, NULL, 10));
  dialog = find_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), serial));

  for (guint i = 0; i < vouch_certificate_actions_n_reasons; i++)
    if (vouch_certificate_actions_reasons[i] == VOUCH_REVOCATION_KEY_COMPROMISE)
      reason_index = i;
  dropdown = ui_test_find (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN);
  g_assert_nonnull (dropdown);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), reason_index);
  /* Past the dialog's opening animation. */
  ui_test_settle (600);
  ui_test_screenshot (GTK_WIDGET (dialog), "certificates-revoke-dialog");

  respond (dialog, "revoke");

  /* The list shows it revoked, with the reason; the log has the event. */
  entry = find_entry (model, "thermostat", NULL);
  g_assert_nonnull (entry);
  g_assert_cmpint (vouch_certificate_get_status (vouch_certificate_entry_get_certificate (entry)),
                   ==, VOUCH_CERTIFICATE_STATUS_REVOKED);
  g_assert_cmpint (vouch_certificate_entry_get_revocation_reason (entry), ==,
                   VOUCH_REVOCATION_KEY_COMPROMISE);
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL, "Revoked: "));
  g_assert_cmpint (_vouch_inventory_count_audit_events (get_inventory (fixture), "revoked"), ==,
                   revocations + 1);
  /* No longer in use, so off the timeline. */
  check_timeline (fixture);
  screenshot (fixture, "certificates-revoked");
}

/* Everything due within 30 days, renewed at once: these devices have no
 * address, so each goes to the queue of renewals that wait for their
 * device, which the page lists with the reason. */
static void
test_renew_due (Fixture       *fixture,
                gconstpointer  data)
{
  VouchCertificatesPage *page = VOUCH_CERTIFICATES_PAGE (fixture->page);
  GListModel *queue = vouch_renewal_get_queue (vouch_application_get_renewal (fixture->application));

  vouch_certificates_page_renew_due (page, 30);
  g_assert_true (ui_test_get_boolean (page, "busy"));
  g_assert_true (ui_test_wait_boolean (page, "busy", FALSE, 60));
  ui_test_settle (300);

  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 3);
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL,
                                           "Waiting for 3 devices to come back"));
  screenshot (fixture, "certificates-queue");
}

static char *
strip_colons_upper (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ':')
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_crl (Fixture       *fixture,
          gconstpointer  data)
{
  VouchCertificatesPage *page = VOUCH_CERTIFICATES_PAGE (fixture->page);
  VouchAuthority *authority = vouch_application_get_authority (fixture->application);
  const char *tmp = g_getenv ("VOUCH_TEST_TMPDIR");
  g_autofree char *crl_path = g_build_filename (tmp, "vouch.crl", NULL);
  g_autofree char *root_path = g_build_filename (tmp, "root.pem", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (crl_path);
  g_autoptr(GBytes) root = NULL;
  g_autoptr(GListModel) revoked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *upper = NULL;
  int status = -1;

  root = vouch_authority_export_root (authority, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (root_path, g_bytes_get_data (root, NULL),
                                      g_bytes_get_size (root), NULL));

  vouch_certificates_page_export_crl (page, file, 30);
  g_assert_true (ui_test_get_boolean (page, "busy"));
  g_assert_true (ui_test_wait_boolean (page, "busy", FALSE, 60));
  g_assert_true (g_file_test (crl_path, G_FILE_TEST_EXISTS));

  {
    const char *argv[] = { "openssl", "crl", "-in", crl_path, "-CAfile", root_path, "-verify",
                           "-noout", "-text", NULL };

    g_assert_true (vouch_test_run (argv, NULL, &out, &err, &status));
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (err, "verify OK"));
  }

  /* Every revoked serial is in it. */
  revoked = vouch_inventory_list_revoked (get_inventory (fixture),
                                          vouch_root_ca_get_sha256 (vouch_authority_get_root (authority)),
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (revoked), >=, 1);
  upper = strip_colons_upper (out);
  for (guint i = 0; i < g_list_model_get_n_items (revoked); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (revoked, i);
      g_autofree char *serial = NULL;
      g_autofree char *wanted = NULL;

      g_object_get (item, "serial", &serial, NULL);
      wanted = strip_colons_upper (serial);
      g_assert_nonnull (strstr (upper, wanted));
    }
}

static void
export_and_parse (Fixture          *fixture,
                  VouchAuditPage   *page,
                  VouchAuditFormat  format,
                  const char       *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GListModel) before = vouch_inventory_list_audit (get_inventory (fixture), NULL, 0, NULL);
  g_autoptr(GListModel) parsed = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  vouch_audit_page_export (page, format, file);
  g_assert_true (ui_test_get_boolean (page, "busy"));
  g_assert_true (ui_test_wait_boolean (page, "busy", FALSE, 30));
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  parsed = _vouch_audit_parse (bytes, format, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (parsed), ==, g_list_model_get_n_items (before));
}

static void
test_audit (Fixture       *fixture,
            gconstpointer  data)
{
  VouchAuditPage *page;
  GListModel *model;
  g_autoptr(VouchAuditEvent) newest = NULL;
  g_autofree char *summary = NULL;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "history");
  ui_test_settle (300);
  page = VOUCH_AUDIT_PAGE (ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_AUDIT_PAGE));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));

  /* Newest first, in words. */
  model = _vouch_audit_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, G_N_ELEMENTS (issued) * 2);
  newest = g_list_model_get_item (model, 0);
  g_assert_cmpstr (vouch_audit_event_get_event (newest), ==, "crl-issued");
  summary = vouch_audit_event_dup_summary (newest);
  g_assert_nonnull (ui_test_find_labelled (GTK_WIDGET (page), GTK_TYPE_LABEL, summary));
  g_assert_nonnull (ui_test_find_labelled (GTK_WIDGET (page), GTK_TYPE_LABEL, "Certificate revoked"));
  g_assert_nonnull (ui_test_find_labelled (GTK_WIDGET (page), GTK_TYPE_LABEL, "thermostat"));
  screenshot (fixture, "history");

  export_and_parse (fixture, page, VOUCH_AUDIT_FORMAT_CSV, "audit.csv");
  export_and_parse (fixture, page, VOUCH_AUDIT_FORMAT_JSON, "audit.json");

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  ui_test_settle (600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);
  screenshot (fixture, "history-360");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *fake = NULL;
  g_autofree char *script = NULL;
  const char *tmp = g_getenv ("VOUCH_TEST_TMPDIR");

  /* No user manager runs here: a stand-in systemctl says the timer is
   * disabled, records enable, and refuses disable as systemctl does
   * without a user bus. Set before any thread starts. */
  g_assert_nonnull (tmp);
  fake = g_build_filename (tmp, "fake-systemctl", NULL);
  script = g_strdup_printf ("#!/bin/sh\n"
                            "case \"$2\" in\n"
                            "  is-enabled) echo disabled; exit 1 ;;\n"
                            "  enable) echo \"$@\" > '%s/systemctl-args' ;;\n"
                            "  *) echo 'Failed to connect to bus: No medium found' >&2; exit 1 ;;\n"
                            "esac\n", tmp);
  g_assert_true (g_file_set_contents (fake, script, -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  g_setenv ("VOUCH_SYSTEMCTL", fake, TRUE);

  ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/certificates/list", test_list);
  ADD ("/certificates/narrow-and-dark", test_narrow_and_dark);
  ADD ("/certificates/revoke", test_revoke);
  ADD ("/certificates/renew-due", test_renew_due);
  ADD ("/certificates/crl", test_crl);
  ADD ("/certificates/audit", test_audit);
  ADD ("/certificates/reminders", test_reminders);
  ADD ("/certificates/preferences", test_preferences);
  ADD ("/certificates/root-rollover", test_root_rollover);
  ADD ("/certificates/hand-signed", test_hand_signed);

  return g_test_run ();
}
