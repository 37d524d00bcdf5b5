/* test-certificates-page-reminders.c: the certificates beyond their
 * page, in the same program and window as test-certificates-page.c:
 * reminders sent as notifications, the automatic renewal switch in
 * Preferences, the root's rollover warning and certificates signed by
 * hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "test-certificates-page.h"
#include "vouch-test-util.h"

#include "vouch-certificates-page.h"
#include "vouch-clock.h"
#include "vouch-inventory-lifecycle.h"
#include "vouch-preferences-window.h"
#include "vouch-reminder.h"
#include "vouch-root-page.h"
#include "vouch-root-rollover.h"
#include "vouch-sign-page.h"

#include <string.h>

static GPtrArray *notifications;

/* A stand-in for GTK's notification server on the test's session bus: it
 * records what Vouch sends. */
static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
notification_call_cb (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  if (g_strcmp0 (method_name, "AddNotification") == 0)
    g_ptr_array_add (notifications, g_variant_ref (parameters));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
name_acquired (gpointer user_data)
{
  return *(gboolean *)user_data;
}

static void
acquired_cb (GDBusConnection *connection,
             const char      *name,
             gpointer         user_data)
{
  *(gboolean *)user_data = TRUE;
}

static void
serve_notifications (void)
{
  static const GDBusInterfaceVTable vtable = { notification_call_cb, NULL, NULL, { 0 } };
  static gboolean acquired;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_assert_nonnull (bus);
  notifications = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
  g_assert_cmpuint (g_dbus_connection_register_object (bus, "/org/gtk/Notifications",
                                                       info->interfaces[0], &vtable, NULL, NULL,
                                                       NULL), >, 0);
  g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                acquired_cb, NULL, &acquired, NULL);
  g_assert_true (ui_test_wait (name_acquired, &acquired, 10));
}

static void
reminders_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GListModel **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = vouch_application_check_reminders_finish (VOUCH_APPLICATION (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer user_data)
{
  return *(gpointer *)user_data != NULL;
}

static gboolean
all_notified (gpointer user_data)
{
  return notifications->len >= GPOINTER_TO_UINT (user_data);
}

void
test_reminders (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GListModel) shown = NULL;
  g_autoptr(GListModel) again = NULL;
  gboolean router = FALSE;
  gboolean doorbell = FALSE;

  serve_notifications ();

  /* What the hourly timer runs. */
  vouch_application_check_reminders_async (fixture->application, NULL, reminders_cb, &shown);
  g_assert_true (ui_test_wait (is_set, &shown, 30));
  g_assert_cmpuint (g_list_model_get_n_items (shown), >=, 3);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(VouchReminder) reminder = g_list_model_get_item (shown, i);

      g_assert_false (vouch_reminder_get_is_root (reminder));
      router |= g_strcmp0 (vouch_reminder_get_device_id (reminder), "id-router") == 0;
      doorbell |= g_strcmp0 (vouch_reminder_get_device_id (reminder), "id-doorbell") == 0;
    }
  g_assert_true (router);
  g_assert_true (doorbell);

  /* Each became a notification that opens the Certificates page. */
  g_assert_true (ui_test_wait (all_notified, GUINT_TO_POINTER (g_list_model_get_n_items (shown)),
                               10));
  for (guint i = 0; i < notifications->len; i++)
    {
      g_autoptr(GVariant) props = g_variant_get_child_value (g_ptr_array_index (notifications, i), 2);
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;

      g_assert_true (g_variant_lookup (props, "default-action", "s", &action));
      g_assert_cmpstr (action, ==, "app.show-page");
      target = g_variant_lookup_value (props, "default-action-target", NULL);
      g_assert_nonnull (target);
      g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "certificates");
    }

  /* Shown once: the next check finds nothing new, and the timer keeps
   * running. */
  vouch_application_check_reminders_async (fixture->application, NULL, reminders_cb, &again);
  g_assert_true (ui_test_wait (is_set, &again, 30));
  g_assert_cmpuint (g_list_model_get_n_items (again), ==, 0);
  g_assert_true (vouch_application_reminder_tick (fixture->application));
  ui_test_settle (500);

  /* The notification's action shows the page. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "root");
  g_action_group_activate_action (G_ACTION_GROUP (fixture->application), "show-page",
                                  g_variant_new_string ("certificates"));
  ui_test_settle (300);
  g_assert_true (gtk_widget_get_mapped (fixture->page));
}

static gboolean
sensitive (gpointer user_data)
{
  return gtk_widget_get_sensitive (user_data);
}

void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  GSettings *settings = vouch_application_get_settings (fixture->application);
  VouchPreferencesWindow *preferences = vouch_preferences_window_new (settings);
  g_autofree char *args_path = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "systemctl-args",
                                                 NULL);
  g_autofree char *args = NULL;
  GtkWidget *row;
  GtkWidget *toggle;

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (preferences));
  row = ui_test_find_labelled (GTK_WIDGET (preferences), ADW_TYPE_ACTION_ROW,
                               "Renew Certificates Automatically");
  g_assert_nonnull (row);
  toggle = ui_test_find (row, GTK_TYPE_SWITCH);

  /* The fake systemctl says "disabled". */
  g_assert_true (ui_test_wait (sensitive, row, 10));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));

  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (ui_test_wait (sensitive, row, 10));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_true (g_file_get_contents (args_path, &args, NULL, NULL));
  g_assert_cmpstr (g_strstrip (args), ==, "--user enable --now vouch-renew.timer");
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (preferences), "preferences-renewal");

  /* Disabling fails as it does without a user manager: the switch goes
   * back on and the error is shown. */
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_true (ui_test_wait (sensitive, row, 10));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));

  gtk_window_destroy (GTK_WINDOW (preferences));
  ui_test_settle (100);
}

void
test_root_rollover (Fixture       *fixture,
                    gconstpointer  data)
{
  VouchAuthority *authority = vouch_application_get_authority (fixture->application);
  VouchRootCa *root = vouch_authority_get_root (authority);
  gint64 not_after = vouch_certificate_get_not_after (vouch_root_ca_get_certificate (root));
  g_autoptr(GListModel) active = NULL;
  g_autofree char *count = NULL;
  GtkWidget *root_page;
  AdwMessageDialog *dialog;

  /* A hundred days before the root expires. */
  vouch_clock_set_for_testing (not_after - 100 * DAY - 3600);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "root");
  ui_test_settle (300);
  root_page = ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_ROOT_PAGE);
  g_assert_nonnull (ui_test_find_labelled (root_page, ADW_TYPE_ACTION_ROW,
                                           "The root expires in 100 days"));
  g_assert_nonnull (ui_test_find_labelled (root_page, GTK_TYPE_BUTTON, "Plan a Rollover"));
  screenshot (fixture, "root-rollover-warning");

  g_assert_true (gtk_widget_activate_action (root_page, "root.plan-rollover", NULL));
  g_assert_true (ui_test_wait (dialog_shown, NULL, 10));
  dialog = find_dialog ();
  active = vouch_inventory_list_active_under_root (get_inventory (fixture),
                                                   vouch_root_ca_get_sha256 (root), NULL);
  count = g_strdup_printf ("the %u devices", g_list_model_get_n_items (active));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), count));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            vouch_authority_get_data_dir (authority)));
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (dialog), "root-rollover-guide");
  respond (dialog, "close");

  /* Far from expiry, no warning. */
  vouch_clock_set_for_testing (fake_now);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "certificates");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "root");
  ui_test_settle (300);
  {
    GtkWidget *row = ui_test_find_labelled (root_page, ADW_TYPE_ACTION_ROW, "The root expires in");

    g_assert_true (row == NULL || !gtk_widget_is_visible (row));
  }
}

static gboolean
showing_sign_page (gpointer user_data)
{
  Fixture *fixture = user_data;
  GtkWidget *stack = ui_test_find (GTK_WIDGET (fixture->window), ADW_TYPE_VIEW_STACK);

  return g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), "sign") == 0;
}

/* A certificate signed by hand, for a device with no API, expiring in ten
 * days: the page shows it with the expiring style, and its Renew button
 * explains that renewing it is signing a new request, then opens the Sign
 * by Hand page with its names. Runs last: it adds a certificate the other
 * tests do not count. */
void
test_hand_signed (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const names[] = { "nvr.home.arpa", "nvr-cam.home.arpa", NULL };
  static const char * const asked[] = { "nvr.home.arpa", NULL };
  VouchAuthority *authority = vouch_application_get_authority (fixture->application);
  VouchCertificatesPage *page = VOUCH_CERTIFICATES_PAGE (fixture->page);
  GListModel *model = vouch_certificates_page_get_model (page);
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = names[0], .dns_names = names };
  TestCsrSpec new_spec = { .key = TEST_KEY_P256, .common_name = asked[0], .dns_names = asked };
  g_autofree char *csr = vouch_test_make_csr (&spec);
  g_autofree char *new_csr = vouch_test_make_csr (&new_spec);
  g_autoptr(GBytes) new_bytes = g_bytes_new (new_csr, strlen (new_csr));
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  VouchCertificateEntry *entry = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *label;
  GtkWidget *button;
  GtkWidget *sign_page;
  guint position = GTK_INVALID_LIST_POSITION;

  /* Ten days left at the page's "now". */
  options.days = SHIFT_DAYS + 10;
  cert = vouch_authority_sign (authority, (const guint8 *)csr, strlen (csr), &options, NULL,
                               &error);
  g_assert_no_error (error);
  vouch_application_inventory_changed (fixture->application);
  ui_test_settle (300);

  for (guint i = 0; i < g_list_model_get_n_items (model) && entry == NULL; i++)
    {
      g_autoptr(VouchCertificateEntry) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (vouch_certificate_get_serial (vouch_certificate_entry_get_certificate (item)),
                     vouch_certificate_get_serial (cert)) == 0)
        {
          entry = item;
          position = i;
        }
    }
  g_assert_nonnull (entry);
  g_assert_true (vouch_certificate_entry_get_signed_by_hand (entry));

  /* Its row: its names where a device's name would be, its expiry in the
   * expiring style, "Signed by hand" as its status; and the filter of
   * what expires soon keeps it. */
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL,
                                           "nvr.home.arpa, nvr-cam.home.arpa"));
  label = ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL, "Expires in 10 days");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (label), "expiry-soon"));
  g_assert_nonnull (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL, "Signed by hand"));
  vouch_certificates_page_set_expiring_only (page, TRUE);
  g_assert_nonnull (find_entry (model, NULL, NULL));
  screenshot (fixture, "hand-signed-expiring");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  ui_test_settle (600);
  screenshot (fixture, "hand-signed-expiring-360");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (fixture, "hand-signed-expiring-360-dark");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 760);
  ui_test_settle (600);
  screenshot (fixture, "hand-signed-expiring-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  vouch_certificates_page_set_expiring_only (page, FALSE);

  /* Selected, its Renew button explains and offers the Sign by Hand page. */
  position = GTK_INVALID_LIST_POSITION;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VouchCertificateEntry) item = g_list_model_get_item (model, i);

      if (vouch_certificate_entry_get_signed_by_hand (item))
        position = i;
    }
  g_assert_true (gtk_selection_model_select_item (vouch_certificates_page_get_selection (page),
                                                  position, TRUE));
  button = ui_test_find_labelled (fixture->page, GTK_TYPE_BUTTON, "_Renew");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (ui_test_wait (dialog_shown, NULL, 10));
  dialog = find_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "signed by hand"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "nvr-cam.home.arpa"));
  ui_test_settle (600);
  ui_test_screenshot (GTK_WIDGET (dialog), "hand-signed-renew-dialog");
  button = ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Sign by Hand");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (ui_test_wait (showing_sign_page, fixture, 10));

  /* The Sign by Hand page says what it is renewing, and the new request,
   * which asks for one name only, gets both. */
  sign_page = ui_test_find (GTK_WIDGET (fixture->window), VOUCH_TYPE_SIGN_PAGE);
  label = ui_test_find_labelled (sign_page, GTK_TYPE_LABEL, "Renewing the certificate for "
                                 "nvr.home.arpa, nvr-cam.home.arpa");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (label));
  screenshot (fixture, "hand-signed-sign-page");
  g_assert_true (vouch_sign_page_load_csr (VOUCH_SIGN_PAGE (sign_page), new_bytes, "nvr.csr"));
  ui_test_settle (300);
  g_assert_nonnull (ui_test_find_labelled (sign_page, ADW_TYPE_ACTION_ROW, "nvr-cam.home.arpa"));
  g_assert_nonnull (ui_test_find_labelled (sign_page, ADW_TYPE_ACTION_ROW, "nvr.home.arpa"));
  screenshot (fixture, "hand-signed-sign-review");
  vouch_sign_page_reset (VOUCH_SIGN_PAGE (sign_page));
}
