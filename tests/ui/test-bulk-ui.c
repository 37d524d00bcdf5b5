/* test-bulk-ui.c: the devices list and the bulk dialog, used as a person
 * uses them, on a private LAN with avahi and real vouch-agents: a click
 * on a row opens the device and marks nothing, a check box marks, Select
 * All and Sign Selected sign the rest with codes typed into the dialog,
 * devices already trusted are skipped or renewed only when asked, and a
 * refused admin secret is corrected in the dialog and retried.
 *
 * Every widget is acted on as a click or typing would: buttons, check
 * boxes and switches through gtk_widget_activate(), rows through their
 * own click gesture, text into the entries the person types into. The
 * clicks of the journey are counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "ui-test-util.h"
#include "vouch-bulk-dialog.h"
#include "vouch-device-page.h"
#include "vouch-device-row.h"
#include "vouch-device-status.h"
#include "vouch-devices-page-private.h"
#include "vouch-devices-page.h"

#define N_AGENTS 4
/* The last agent was given another admin token than the others. */
#define OTHER_ADMIN_TOKEN "other-admin-token-9876543210"

/* The target for the rest of the devices on the demo network,
 * once the first one is trusted: at most 3 clicks plus typing codes. */
#define MAX_CLICKS_FOR_THE_REST 3

static const char *names[N_AGENTS] = {
  "Reception printer", "Backup NAS", "Garage camera", "Weather station",
};
static const char *hosts[N_AGENTS] = {
  "reception-printer.local", "backup-nas.local", "garage-camera.local", "weather.local",
};

static const char *admin_tokens[N_AGENTS] = { NULL, NULL, NULL, OTHER_ADMIN_TOKEN };

static GPtrArray *agents;
static VouchApplication *application;
static VouchWindow *window;
static VouchDevicesPage *page;
static guint clicks;

static TestAgent *
agent (guint i)
{
  return g_ptr_array_index (agents, i);
}

static VouchDevice *
device_of (guint i)
{
  return vouch_discovery_lookup (vouch_application_get_discovery (application), agent (i)->device_id);
}

static gboolean
all_discovered (gpointer user_data)
{
  for (guint i = 0; i < agents->len; i++)
    if (device_of (i) == NULL || !vouch_device_get_online (device_of (i)))
      return FALSE;
  return TRUE;
}

/* A click on a button, check box or switch. */
static void
press (GtkWidget *widget)
{
  g_assert_nonnull (widget);
  g_assert_true (gtk_widget_is_sensitive (widget));
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_activate (widget));
  /* An activated button shows itself pressed for a moment, as under a
   * click, and emits "clicked" after that; a switch slides over. */
  ui_test_settle (400);
}

/* The same, counted as one of the journey's clicks. */
static void
click (GtkWidget *widget)
{
  press (widget);
  clicks++;
}

static void
type_into (GtkWidget  *entry,
           const char *text)
{
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_is_sensitive (entry));
  g_assert_true (gtk_widget_get_mapped (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static GtkWidget *
button_labelled (GtkWidget  *root,
                 const char *label)
{
  GtkWidget *button = ui_test_find_labelled (root, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  return button;
}

static VouchDeviceRow *
find_device_row (GtkWidget   *widget,
                 VouchDevice *device)
{
  if (VOUCH_IS_DEVICE_ROW (widget))
    return vouch_device_row_get_device (VOUCH_DEVICE_ROW (widget)) == device ? VOUCH_DEVICE_ROW (widget)
                                                                            : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      VouchDeviceRow *row = find_device_row (child, device);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* The event controller of @type that GTK gives the list item around the
 * device's row. */
static GtkEventController *
row_controller (VouchDevice *device,
                GType        type)
{
  VouchDeviceRow *row = find_device_row (GTK_WIDGET (page), device);
  g_autoptr(GListModel) controllers = NULL;

  g_assert_nonnull (row);
  controllers = gtk_widget_observe_controllers (gtk_widget_get_parent (GTK_WIDGET (row)));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  g_assert_not_reached ();
}

/* A click (or a tap) on a row goes to the list item's click gesture; its
 * "pressed" and "released" are what a button press and release on the
 * row emit. */
static void
click_row (VouchDevice *device)
{
  GtkEventController *gesture = row_controller (device, GTK_TYPE_GESTURE_CLICK);

  g_signal_emit_by_name (gesture, "pressed", 1, 20.0, 10.0);
  g_signal_emit_by_name (gesture, "released", 1, 20.0, 10.0);
  clicks++;
  ui_test_settle (300);
}

/* The pointer passing over a row. */
static void
hover_row (VouchDevice *device)
{
  g_signal_emit_by_name (row_controller (device, GTK_TYPE_EVENT_CONTROLLER_MOTION), "enter",
                         20.0, 10.0);
  ui_test_settle (100);
}

static GtkWidget *
find_back_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "go-previous-symbolic") == 0 &&
      gtk_widget_get_mapped (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_back_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
n_selected (void)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (_vouch_devices_page_get_selection (page));

  return (guint)gtk_bitset_get_size (selected);
}

static GtkWidget *
device_page (void)
{
  return ui_test_find (GTK_WIDGET (page), VOUCH_TYPE_DEVICE_PAGE);
}

static GtkCheckButton *
check_of (guint i)
{
  VouchDeviceRow *row = find_device_row (GTK_WIDGET (page), device_of (i));

  g_assert_nonnull (row);
  return vouch_device_row_get_check (row);
}

static gboolean
row_is_open (guint i)
{
  VouchDeviceRow *row = find_device_row (GTK_WIDGET (page), device_of (i));

  return gtk_widget_has_css_class (gtk_widget_get_parent (GTK_WIDGET (row)), "open");
}

static GtkWidget *
dialog_row (VouchBulkDialog *dialog,
            guint            i)
{
  GtkWidget *row = ui_test_find_labelled (GTK_WIDGET (dialog), ADW_TYPE_EXPANDER_ROW, names[i]);

  g_assert_nonnull (row);
  return row;
}

static GtkWidget *
dialog_entry (VouchBulkDialog *dialog,
              guint            i,
              const char      *title)
{
  GtkWidget *entry = ui_test_find_labelled (dialog_row (dialog, i), ADW_TYPE_ENTRY_ROW, title);

  g_assert_nonnull (entry);
  return entry;
}

static GtkSwitch *
include_switch (VouchBulkDialog *dialog,
                guint            i)
{
  GtkWidget *include = ui_test_find (dialog_row (dialog, i), GTK_TYPE_SWITCH);

  g_assert_nonnull (include);
  return GTK_SWITCH (include);
}

static const char *
summary (VouchBulkDialog *dialog)
{
  GtkWidget *label = ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "now serve");

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

static VouchBulkDialog *
sign_selected (void)
{
  VouchBulkDialog *dialog;

  click (button_labelled (GTK_WIDGET (page), "Sign Selected"));
  dialog = ui_test_find_window (VOUCH_TYPE_BULK_DIALOG);
  g_assert_nonnull (dialog);
  ui_test_settle (300);
  return dialog;
}

static void
sign_and_wait (VouchBulkDialog *dialog,
               const char      *button)
{
  click (button_labelled (GTK_WIDGET (dialog), button));
  g_assert_true (ui_test_wait_boolean (dialog, "finished", TRUE, 120));
  ui_test_settle (300);
}

static void
close_dialog (VouchBulkDialog *dialog)
{
  press (button_labelled (GTK_WIDGET (dialog), "Close"));
  ui_test_settle (300);
  g_assert_null (ui_test_find_window (VOUCH_TYPE_BULK_DIALOG));
}

static guint
n_certificates (guint i)
{
  VouchInventory *inventory = vouch_authority_get_inventory (vouch_application_get_authority (application));
  g_autoptr(GListModel) certs = vouch_inventory_list_certificates (inventory, NULL);
  guint n = 0;

  for (guint k = 0; k < g_list_model_get_n_items (certs); k++)
    {
      g_autoptr(VouchCertificate) cert = g_list_model_get_item (certs, k);

      if (g_strcmp0 (vouch_certificate_get_device_id (cert), agent (i)->device_id) == 0)
        n++;
    }
  return n;
}

static void
assert_trusted (guint i)
{
  g_assert_cmpint (vouch_device_status_get (device_of (i), g_get_real_time () / G_USEC_PER_SEC), ==,
                   VOUCH_DEVICE_STATUS_TRUSTED);
}

/* The same state at the normal width, at 360 px and dark. */
static void
screenshots (GtkWidget  *widget,
             int         width,
             int         height,
             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *narrow = g_strconcat (name, "-360", NULL);
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);

  ui_test_screenshot (widget, name);
  gtk_window_set_default_size (GTK_WINDOW (widget), 360, height);
  ui_test_settle (500);
  ui_test_screenshot (widget, narrow);
  gtk_window_set_default_size (GTK_WINDOW (widget), width, height);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (500);
  ui_test_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  ui_test_settle (300);
}

static void
test_devices_listed (void)
{
  g_assert_true (ui_test_wait (all_discovered, NULL, 30));
  ui_test_settle (500);
  g_assert_cmpuint (n_selected (), ==, 0);
}

/* A click opens the device beside the list and marks nothing; at 360 px
 * one tap opens it over the list. */
static void
test_row_click_opens (void)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (ui_test_find (GTK_WIDGET (page), ADW_TYPE_LEAFLET));

  /* Passing over a row marks nothing either. */
  hover_row (device_of (3));
  g_assert_cmpuint (n_selected (), ==, 0);

  click_row (device_of (1));
  g_assert_true (vouch_device_page_get_device (VOUCH_DEVICE_PAGE (device_page ())) == device_of (1));
  g_assert_cmpuint (n_selected (), ==, 0);
  g_assert_false (gtk_check_button_get_active (check_of (1)));

  g_assert_true (row_is_open (1));

  click_row (device_of (2));
  g_assert_true (vouch_device_page_get_device (VOUCH_DEVICE_PAGE (device_page ())) == device_of (2));
  g_assert_cmpuint (n_selected (), ==, 0);
  /* The open one is shown as such in the list. */
  g_assert_true (row_is_open (2));
  g_assert_false (row_is_open (1));

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  ui_test_settle (500);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  /* Folding keeps the device that was open in view; back to the list. */
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == device_page ());
  press (find_back_button (GTK_WIDGET (window)));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) != device_page ());
  clicks = 0;
  click_row (device_of (0));
  g_assert_cmpuint (clicks, ==, 1);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == device_page ());
  g_assert_true (vouch_device_page_get_device (VOUCH_DEVICE_PAGE (device_page ())) == device_of (0));
  g_assert_cmpuint (n_selected (), ==, 0);
  ui_test_screenshot (GTK_WIDGET (window), "bulk-ui-narrow-details");

  /* Back to the list with the header bar's back button. */
  press (find_back_button (GTK_WIDGET (window)));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) != device_page ());
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  ui_test_settle (500);
}

/* The check box marks one device; the bulk dialog signs it with the code
 * and the admin token typed into its entries. */
static void
test_check_box_marks (void)
{
  VouchDevice *shown = vouch_device_page_get_device (VOUCH_DEVICE_PAGE (device_page ()));
  VouchBulkDialog *dialog;

  click (GTK_WIDGET (check_of (0)));
  g_assert_cmpuint (n_selected (), ==, 1);
  g_assert_true (gtk_selection_model_is_selected (_vouch_devices_page_get_selection (page), 0) ||
                 n_selected () == 1);
  /* Marking does not open it. */
  g_assert_true (vouch_device_page_get_device (VOUCH_DEVICE_PAGE (device_page ())) == shown);

  dialog = sign_selected ();
  type_into (dialog_entry (dialog, 0, "Setup Code"), agent (0)->setup_code);
  type_into (ui_test_find_labelled (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "for New Devices"),
             TEST_ADMIN_TOKEN);
  sign_and_wait (dialog, "Sign");
  g_assert_cmpstr (summary (dialog), ==, "1 device now serves a trusted certificate.");
  close_dialog (dialog);
  assert_trusted (0);

  click (GTK_WIDGET (check_of (0)));
  g_assert_cmpuint (n_selected (), ==, 0);
}

/* The rest of the devices: Select All, Sign Selected, codes, Sign. The
 * trusted one is skipped unless asked; the device that refuses the admin
 * token gets the right one in its row and Retry Failed. */
static void
test_sign_the_rest (void)
{
  GtkWidget *label = ui_test_find_labelled (GTK_WIDGET (page), GTK_TYPE_LABEL, "Select _All");
  GtkWidget *select_all = gtk_widget_get_ancestor (label, GTK_TYPE_CHECK_BUTTON);
  guint certs_of_trusted = n_certificates (0);
  g_autofree char *expected_names = NULL;
  VouchBulkDialog *dialog;
  GtkWidget *renew;
  GtkWidget *secret;

  clicks = 0;
  click (select_all);
  g_assert_cmpuint (n_selected (), ==, N_AGENTS);
  screenshots (GTK_WIDGET (window), 1100, 720, "bulk-ui-selected");

  dialog = sign_selected ();
  g_assert_null (ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG));

  /* It says how many are trusted already; they are off unless renewed. */
  renew = ui_test_find_labelled (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, "1 of these devices is already trusted");
  g_assert_nonnull (renew);
  g_assert_false (gtk_switch_get_active (include_switch (dialog, 0)));
  /* Offered, and taken back: the switch turns the trusted device on and
   * off (not part of the journey's clicks). */
  press (ui_test_find (renew, GTK_TYPE_SWITCH));
  g_assert_true (gtk_switch_get_active (include_switch (dialog, 0)));
  press (ui_test_find (renew, GTK_TYPE_SWITCH));
  g_assert_false (gtk_switch_get_active (include_switch (dialog, 0)));

  /* The names each device will get are shown. */
  expected_names = g_strdup_printf ("Names: %s, %s", hosts[1], agent (1)->address);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (dialog_row (dialog, 1))), ==,
                   expected_names);

  for (guint i = 1; i < N_AGENTS; i++)
    type_into (dialog_entry (dialog, i, "Setup Code"), agent (i)->setup_code);
  type_into (ui_test_find_labelled (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "for New Devices"),
             TEST_ADMIN_TOKEN);
  ui_test_settle (300);
  screenshots (GTK_WIDGET (dialog), 600, 640, "bulk-ui-review");

  sign_and_wait (dialog, "Sign");
  g_test_message ("clicks for the rest of the devices: %u", clicks);
  g_assert_cmpuint (clicks, <=, MAX_CLICKS_FOR_THE_REST);

  /* The last agent refused the token typed for all. */
  g_assert_cmpuint (vouch_bulk_dialog_get_n_trusted (dialog), ==, N_AGENTS - 2);
  g_assert_cmpuint (vouch_bulk_dialog_get_n_failed (dialog), ==, 1);
  g_assert_cmpstr (summary (dialog), ==,
                   "2 devices now serve a trusted certificate. 1 failed: correct what its row says, "
                   "then retry it.");
  g_assert_cmpuint (n_certificates (0), ==, certs_of_trusted);
  secret = dialog_entry (dialog, N_AGENTS - 1, "Admin Secret");
  g_assert_true (gtk_widget_get_mapped (secret));
  /* Ready for typing. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)), secret));
  screenshots (GTK_WIDGET (dialog), 600, 640, "bulk-ui-refused");

  type_into (secret, OTHER_ADMIN_TOKEN);
  sign_and_wait (dialog, "Retry Failed");
  g_assert_cmpuint (vouch_bulk_dialog_get_n_failed (dialog), ==, 0);
  g_assert_cmpstr (summary (dialog), ==, "3 devices now serve a trusted certificate.");
  screenshots (GTK_WIDGET (dialog), 600, 640, "bulk-ui-summary");
  close_dialog (dialog);

  for (guint i = 0; i < N_AGENTS; i++)
    assert_trusted (i);
  g_assert_cmpuint (n_certificates (0), ==, certs_of_trusted);
}

/* With only trusted devices selected, Sign Selected asks before renewing. */
static void
test_renew_trusted (void)
{
  guint before[N_AGENTS];
  AdwMessageDialog *prompt;
  VouchBulkDialog *dialog;

  for (guint i = 0; i < N_AGENTS; i++)
    before[i] = n_certificates (i);
  g_assert_cmpuint (n_selected (), ==, N_AGENTS);

  /* Asked, and cancelled: nothing is signed. */
  click (button_labelled (GTK_WIDGET (page), "Sign Selected"));
  prompt = ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (prompt);
  g_assert_cmpstr (adw_message_dialog_get_heading (prompt), ==,
                   "All 4 Selected Devices Are Already Trusted");
  ui_test_settle (300);
  screenshots (GTK_WIDGET (prompt), 400, 300, "bulk-ui-already-trusted");
  click (button_labelled (GTK_WIDGET (prompt), "Cancel"));
  g_assert_null (ui_test_find_window (VOUCH_TYPE_BULK_DIALOG));

  click (button_labelled (GTK_WIDGET (page), "Sign Selected"));
  prompt = ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (prompt);
  click (button_labelled (GTK_WIDGET (prompt), "Renew"));
  dialog = ui_test_find_window (VOUCH_TYPE_BULK_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (vouch_bulk_dialog_get_renew_trusted (dialog));
  for (guint i = 0; i < N_AGENTS; i++)
    g_assert_true (gtk_switch_get_active (include_switch (dialog, i)));

  sign_and_wait (dialog, "Sign");
  g_assert_cmpstr (summary (dialog), ==, "4 devices now serve a trusted certificate.");
  close_dialog (dialog);
  for (guint i = 0; i < N_AGENTS; i++)
    {
      assert_trusted (i);
      g_assert_cmpuint (n_certificates (i), ==, before[i] + 1);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  ui_test_init (&argc, &argv);
  test_require_private_lan ();
  ui_test_create_loopback_root ("Bulk UI Test Root");

  agents = test_agents_start_named ("bulk-agent", "127.0.4", N_AGENTS, names, hosts,
                                    admin_tokens);

  application = vouch_application_new ();
  window = ui_test_open_window (application, 1100, 720);
  page = VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_DEVICES_PAGE));
  g_assert_nonnull (page);

  g_test_add_func ("/bulk-ui/devices-listed", test_devices_listed);
  g_test_add_func ("/bulk-ui/row-click-opens", test_row_click_opens);
  g_test_add_func ("/bulk-ui/check-box-marks", test_check_box_marks);
  g_test_add_func ("/bulk-ui/sign-the-rest", test_sign_the_rest);
  g_test_add_func ("/bulk-ui/renew-trusted", test_renew_trusted);

  status = g_test_run ();

  ui_test_close_window (&application, window);
  g_ptr_array_unref (agents);
  return status;
}
