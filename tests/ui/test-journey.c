/* test-journey.c: the first run, by clicks, from a fresh HOME to a device
 * that a browser trusts
 *
 * On a private LAN with avahi and a real vouch-agent, the real window is
 * driven as a person drives it: the root is created from the welcome
 * page, the device's row opened, its setup code and admin secret typed,
 * the certificate signed and installed, and the root trusted on this
 * computer. Then a headless Chromium that trusts only what Vouch put into
 * the HOME's NSS database loads the device's page. The clicks and typed
 * fields are counted against the target of issue #13: at most 6 clicks
 * plus typing the setup code and the admin secret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "ui-test-util.h"
#include "vouch-device-page.h"
#include "vouch-devices-page-private.h"
#include "vouch-devices-page.h"
#include "vouch-onboard-dialog.h"
#include "vouch-onboard-dialog-private.h"

#define TARGET_CLICKS 6
#define TARGET_TYPING 2

#define DEVICE_NAME "Office printer"
#define DEVICE_HOST "office-printer.local"

static TestAgent *agent;
static VouchApplication *application;
static VouchWindow *window;
static char *system_root;

static gboolean
device_listed (gpointer user_data)
{
  VouchDevice *device = vouch_discovery_lookup (vouch_application_get_discovery (application),
                                                agent->device_id);

  return device != NULL && vouch_device_get_online (device);
}

static gboolean
window_shown (gpointer user_data)
{
  return ui_test_find_window (GPOINTER_TO_SIZE (user_data)) != NULL;
}

static gboolean
widget_visible (gpointer user_data)
{
  return gtk_widget_get_visible (user_data);
}

static gboolean
widget_sensitive (gpointer user_data)
{
  return gtk_widget_get_sensitive (user_data);
}

static gboolean
dialog_at (gpointer user_data)
{
  const char **wait = user_data;

  return g_strcmp0 (vouch_onboard_dialog_get_step_name (VOUCH_ONBOARD_DIALOG ((gpointer)wait[0])),
                    wait[1]) == 0;
}

static void
wait_for_step (VouchOnboardDialog *dialog,
               const char         *step)
{
  const char *wait[] = { (const char *)dialog, step };

  if (!ui_test_wait (dialog_at, wait, 120))
    g_error ("the dialog shows “%s”, not “%s”: %s", vouch_onboard_dialog_get_step_name (dialog),
             step, _vouch_onboard_dialog_get_message (dialog));
  ui_test_settle (500);
}

static char *
nssdb_dir (void)
{
  return g_build_filename (g_get_home_dir (), ".pki", "nssdb", NULL);
}

/* As if Chromium had been started once: its NSS database exists, empty. */
static void
create_chromium_store (void)
{
  g_autofree char *dir = nssdb_dir ();
  g_autofree char *db = g_strconcat ("sql:", dir, NULL);
  const char *argv[] = { "certutil", "-N", "-d", db, "--empty-password", NULL };
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  out = test_run (argv, NULL, &status);
  if (status != 0)
    g_error ("certutil -N failed: %s", out);
}

/* Chromium with this HOME (so its NSS database), a fresh profile, and the
 * device's name mapped to its address: TRUE when it printed the device's
 * page, FALSE on a certificate error. */
static gboolean
chromium_loads_device (const char *label)
{
  g_autofree char *profile = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), label, NULL);
  g_autofree char *data_dir = g_strdup_printf ("--user-data-dir=%s", profile);
  g_autofree char *rules = g_strdup_printf ("--host-resolver-rules=MAP %s %s", DEVICE_HOST,
                                            agent->address);
  g_autofree char *url = g_strdup_printf ("https://%s:%u/vouch/v1/info", DEVICE_HOST, agent->port);
  const char *argv[] = { "timeout", "-k", "5", "60", "chromium", "--headless", "--no-sandbox",
                         "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", data_dir, rules, "--dump-dom", url, NULL };
  g_autofree char *out = NULL;
  gboolean loaded;
  int status = -1;

  out = test_run (argv, NULL, &status);
  loaded = strstr (out, agent->device_id) != NULL;
  g_test_message ("chromium (%s) %s: exit %d, %s", label, url, status,
                  loaded ? "loaded the device's page" : "did not load it");
  if (!loaded)
    g_test_message ("%.2000s", out);
  return loaded;
}

/* The machine's own stores never see this run's root: no file in the
 * anchor directories or the system bundle holds its base64 body. */
static void
assert_system_store_untouched (void)
{
  VouchRootCa *root = vouch_authority_get_root (vouch_application_get_authority (application));
  const char *pem = vouch_certificate_get_pem (vouch_root_ca_get_certificate (root));
  g_auto(GStrv) lines = g_strsplit (pem, "\n", -1);
  g_autoptr(GDir) dir = g_dir_open (system_root, 0, NULL);
  const char *argv[] = { "grep", "-rslF", lines[1], "/usr/local/share/ca-certificates",
                         "/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/java", NULL };
  g_autofree char *found = NULL;
  int status = -1;

  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));

  /* The PEM's first line of base64 holds the root's random serial
   * number: unique to this run's root. */
  g_assert_cmpuint (strlen (lines[1]), ==, 64);
  found = test_run (argv, NULL, &status);
  g_assert_cmpstr (found, ==, "");
}

static void
test_first_run (void)
{
  VouchDevicesPage *devices;
  VouchOnboardDialog *dialog;
  GtkWidget *backup;
  GtkWidget *trust;
  GtkListView *list;
  VouchDevice *device;

  ui_test_screenshot (GTK_WIDGET (window), "journey-1-welcome");

  /* 1: Create Root, with the page's defaults. */
  ui_test_click_button (GTK_WIDGET (window), "Create Root");
  g_assert_true (ui_test_wait (window_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 60));
  ui_test_settle (300);
  backup = ui_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
  ui_test_screenshot (backup, "journey-2-backup-offer");

  /* 2: the backup can wait. */
  ui_test_click_button (backup, "Later");
  g_assert_nonnull (vouch_authority_get_root (vouch_application_get_authority (application)));

  g_assert_true (ui_test_wait (device_listed, NULL, 60));
  ui_test_settle (500);
  ui_test_screenshot (GTK_WIDGET (window), "journey-3-devices");

  /* 3: the device's row. */
  devices = VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_DEVICES_PAGE));
  list = _vouch_devices_page_get_list_view (devices);
  device = vouch_discovery_lookup (vouch_application_get_discovery (application), agent->device_id);
  ui_test_activate_list_item (list, ui_test_list_position (list, device));
  ui_test_screenshot (GTK_WIDGET (window), "journey-4-device");

  /* 4: Onboard…, suggested on a new device. */
  g_assert_true (gtk_widget_has_css_class (ui_test_find_button (GTK_WIDGET (devices), "Onboard…"),
                                           "suggested-action"));
  ui_test_click_button (GTK_WIDGET (devices), "Onboard…");
  dialog = ui_test_find_window (VOUCH_TYPE_ONBOARD_DIALOG);
  g_assert_nonnull (dialog);
  ui_test_settle (300);

  /* Typed: the setup code and the admin secret. */
  ui_test_type (ui_test_find_id (GTK_WIDGET (dialog), "code_row"), agent->setup_code);
  ui_test_type (ui_test_find_id (GTK_WIDGET (dialog), "secret_row"), TEST_ADMIN_TOKEN);
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "journey-5-onboard");

  /* 5: Sign and Install. */
  ui_test_click_button (GTK_WIDGET (dialog), "Sign and Install");
  wait_for_step (dialog, "done");
  g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);

  /* Trusted by its root, but not yet by this computer's browser. */
  trust = ui_test_find_id (GTK_WIDGET (dialog), "trust_button");
  g_assert_true (ui_test_wait (widget_visible, trust, 60));
  ui_test_settle (300);
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "journey-6-done");
  g_assert_false (chromium_loads_device ("chromium-before"));

  /* 6: Trust the Root on This Computer. */
  ui_test_click_button (GTK_WIDGET (dialog), "Trust the Root on This Computer");
  g_assert_true (ui_test_wait (widget_sensitive, trust, 60));
  ui_test_settle (300);
  g_assert_cmpstr (_vouch_onboard_dialog_get_message (dialog), ==, "This computer trusts the root.");
  g_assert_false (gtk_widget_get_visible (trust));
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "journey-7-root-trusted");

  g_test_message ("first device trusted and root trusted here: %u clicks, %u typed fields",
                  ui_test_get_clicks (), ui_test_get_typing ());
  g_assert_cmpuint (ui_test_get_clicks (), <=, TARGET_CLICKS);
  g_assert_cmpuint (ui_test_get_typing (), <=, TARGET_TYPING);

  g_assert_true (chromium_loads_device ("chromium-after"));
  assert_system_store_untouched ();
}

static void
test_no_chromium (void)
{
  g_test_skip ("chromium is not installed (tools/install-deps installs it)");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *chromium = NULL;
  g_autofree char *state = NULL;
  const char *args[] = { "--name", DEVICE_NAME, "--hostname", DEVICE_HOST, "--model", "Demo",
                         NULL };
  int status;

  ui_test_init (&argc, &argv);
  test_require_private_lan ();

  chromium = g_find_program_in_path ("chromium");
  if (chromium == NULL)
    {
      g_test_add_func ("/journey/first-run", test_no_chromium);
      return g_test_run ();
    }

  /* Only this HOME's stores may change; the machine's are kept out. */
  ui_test_keep_system_stores ();
  system_root = g_strdup (g_getenv ("VOUCH_SYSTEM_ROOT"));
  create_chromium_store ();

  state = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "journey-agent", NULL);
  agent = test_agent_start (state, "127.0.4.1", args);
  agent->host_name = g_strdup (DEVICE_HOST);

  application = vouch_application_new ();
  window = ui_test_open_window (application, 1100, 720);

  g_test_add_func ("/journey/first-run", test_first_run);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
  g_clear_object (&application);
  test_agent_free (agent);
  g_free (system_root);
  return status;
}
