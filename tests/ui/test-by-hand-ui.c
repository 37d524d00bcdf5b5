/* test-by-hand-ui.c: a device with only a web page, onboarded by hand as
 * a person does: open it from the list, compare its key's fingerprint,
 * open its page, paste the request its page made, sign and save the
 * chain, Confirm too early (told it is not served yet), upload the chain
 * on the device's page, Confirm (trusted). Then a device that takes only
 * a key and certificate together: the choice, a passphrase too short,
 * then the PKCS#12 file, uploaded, confirmed.
 *
 * The devices are axis-device processes in the private LAN, added with
 * `vouchctl add --driver manual`; what the person does on the device's
 * own page is done over HTTPS here, as bulk-drivers does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "ui-test-util.h"
#include "vouch-by-hand-dialog.h"
#include "vouch-devices-page.h"
#include "vouch-devices-page-private.h"
#include "vouch-fingerprint-check.h"
#include "vouch-passphrase-dialog.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>
#include <gnutls/pkcs12.h>
#include <string.h>

static VouchApplication *application;
static VouchWindow *window;
static TestAgent *web;      /* makes its own key: the CSR path */
static TestAgent *keyless;  /* takes a key and certificate together */
static char *opened_path;   /* what the stand-in browser was asked to open */

static VouchDevice *
device_of (TestAgent *agent)
{
  GListModel *devices = G_LIST_MODEL (vouch_application_get_discovery (application));

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (devices, i);

      if (g_strcmp0 (vouch_device_get_host (device), agent->address) == 0)
        return device;
    }
  return NULL;
}

static gboolean
listed (gpointer data)
{
  return device_of (data) != NULL;
}

static gboolean
fingerprint_shown (gpointer data)
{
  return vouch_fingerprint_check_get_fingerprint (data) != NULL;
}

static gboolean
idle (gpointer data)
{
  return !vouch_by_hand_dialog_get_busy (data);
}

static gboolean
label_shown (GtkWidget  *root,
             const char *text)
{
  GtkWidget *label = ui_test_find_labelled (root, GTK_TYPE_LABEL, text);

  return label != NULL && gtk_widget_get_mapped (label);
}

static gboolean
file_has_text (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (opened_path, &contents, NULL, NULL) && strstr (contents, data) != NULL;
}

static char *
json_string (const char *name,
             const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;

  json_node_set_string (node, value);
  quoted = json_to_string (node, FALSE);
  return g_strdup_printf ("\"%s\":%s", name, quoted);
}

static void
use_for_https (TestAgent  *agent,
               const char *alias)
{
  g_autofree char *soap = g_strdup_printf ("<Envelope><Body><aweb:SetWebServerTlsConfiguration>"
                                           "<CertificateSet><acert:Id>%s</acert:Id></CertificateSet>"
                                           "</aweb:SetWebServerTlsConfiguration></Body></Envelope>",
                                           alias);
  g_free (test_agent_person_does (agent, "POST", "/vapix/services", "application/soap+xml", soap));
}

/* The request the device's page makes for a new key. */
static char *
csr_from_page (TestAgent *agent)
{
  g_autofree char *body = g_strdup_printf ("{\"data\":{\"subject\":\"CN=%s\",\"subject_alt_names\":"
                                           "[\"IP:%s\"]}}", agent->address, agent->address);
  g_autofree char *create = g_strdup_printf ("{\"data\":{\"alias\":\"web\",\"subject\":\"CN=%s\","
                                             "\"subject_alt_names\":[\"IP:%s\"]}}",
                                             agent->address, agent->address);
  g_autofree char *created = test_agent_person_does (agent, "POST",
                                                     "/config/rest/cert/v1/create_certificate",
                                                     "application/json", create);
  g_autofree char *answer = test_agent_person_does (agent, "POST",
                                                    "/config/rest/cert/v1/certificates/web/get_csr",
                                                    "application/json", body);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, answer, -1, NULL));
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "data"));
}

static void
upload_chain (TestAgent  *agent,
              const char *chain_path)
{
  g_autofree char *chain = NULL;
  g_autofree char *member = NULL;
  g_autofree char *patch = NULL;

  g_assert_true (g_file_get_contents (chain_path, &chain, NULL, NULL));
  member = json_string ("certificate", chain);
  patch = g_strdup_printf ("{\"data\":{%s}}", member);
  g_free (test_agent_person_does (agent, "PATCH", "/config/rest/cert/v1/certificates/web",
                                  "application/json", patch));
  use_for_https (agent, "web");
}

static char *
export_pem (int (*export) (void *, gnutls_x509_crt_fmt_t, gnutls_datum_t *),
            void *object)
{
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  g_assert_cmpint (export (object, GNUTLS_X509_FMT_PEM, &out), >=, 0);
  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

/* The device opens the file with the passphrase the person typed. */
static void
upload_bundle (TestAgent  *agent,
               const char *p12_path,
               const char *passphrase)
{
  g_autofree char *contents = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *cert_member = NULL;
  g_autofree char *key_member = NULL;
  g_autofree char *body = NULL;
  gnutls_pkcs12_t p12 = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_len = 0;
  gnutls_datum_t der;
  gsize len = 0;

  g_assert_true (g_file_get_contents (p12_path, &contents, &len, NULL));
  der.data = (unsigned char *)contents;
  der.size = (unsigned int)len;
  g_assert_cmpint (gnutls_pkcs12_init (&p12), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_import (p12, &der, GNUTLS_X509_FMT_DER, 0), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_verify_mac (p12, "not the passphrase"), <, 0);
  g_assert_cmpint (gnutls_pkcs12_simple_parse (p12, passphrase, &key, &chain, &chain_len,
                                               NULL, NULL, NULL, 0), >=, 0);
  cert_pem = export_pem ((gpointer)gnutls_x509_crt_export2, chain[0]);
  key_pem = export_pem ((gpointer)gnutls_x509_privkey_export2, key);
  cert_member = json_string ("certificate", cert_pem);
  key_member = json_string ("private_key", key_pem);
  body = g_strdup_printf ("{\"data\":{\"alias\":\"made-by-vouch\",%s,%s}}", cert_member, key_member);
  g_free (test_agent_person_does (agent, "POST", "/config/rest/cert/v1/certificates",
                                  "application/json", body));
  use_for_https (agent, "made-by-vouch");

  for (unsigned int i = 0; i < chain_len; i++)
    gnutls_x509_crt_deinit (chain[i]);
  gnutls_free (chain);
  gnutls_x509_privkey_deinit (key);
  gnutls_pkcs12_deinit (p12);
}

/* The save dialog opens in the current folder, a private temporary one:
 * the person keeps the name Vouch suggests and presses Save. */
static char *
save_in_dialog (const char *expected_name)
{
  g_autofree char *dir = g_get_current_dir ();
  g_autoptr(GFile) chosen = NULL;
  g_autofree char *name = NULL;
  GtkWindow *dialog = ui_test_wait_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, 10);

  g_assert_nonnull (dialog);
  ui_test_settle (300);
  chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  name = g_file_get_basename (chosen);
  g_assert_cmpstr (name, ==, expected_name);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  return g_build_filename (dir, expected_name, NULL);
}

static gboolean
review_shown (gpointer data)
{
  return gtk_widget_get_visible (ui_test_find_id (data, "review_group"));
}

/* The request as the file a page that speaks DER would save. */
static GFile *
csr_file_der (const char *pem)
{
  gnutls_x509_crq_t crq = NULL;
  gnutls_datum_t in = { (unsigned char *)pem, (unsigned int)strlen (pem) };
  gnutls_datum_t out = { NULL, 0 };
  g_autofree char *dir = g_get_current_dir ();
  g_autofree char *path = g_build_filename (dir, "request.der", NULL);

  g_assert_cmpint (gnutls_x509_crq_init (&crq), >=, 0);
  g_assert_cmpint (gnutls_x509_crq_import (crq, &in, GNUTLS_X509_FMT_PEM), >=, 0);
  g_assert_cmpint (gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_DER, &out), >=, 0);
  g_assert_true (g_file_set_contents (path, (const char *)out.data, out.size, NULL));
  gnutls_free (out.data);
  gnutls_x509_crq_deinit (crq);
  return g_file_new_for_path (path);
}

static gboolean
error_shown (gpointer data)
{
  GtkWidget *label = ui_test_find_id (data, "csr_error_label");

  return gtk_widget_get_visible (label) && *gtk_label_get_label (GTK_LABEL (label)) != '\0';
}

static gboolean
notes_shown (gpointer data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (data);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return strstr (text, "admin password") != NULL;
}

/* The person picks a file in the current folder and presses Open. */
static void
open_in_dialog (const char *name)
{
  GtkWindow *dialog = ui_test_wait_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, 10);
  g_autoptr(GFile) file = g_file_new_for_path (name);

  g_assert_nonnull (dialog);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, NULL));
  ui_test_settle (300);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
}

static VouchByHandDialog *
open_dialog (TestAgent *agent)
{
  VouchDevicesPage *page = VOUCH_DEVICES_PAGE (ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_DEVICES_PAGE));
  GtkListView *list = _vouch_devices_page_get_list_view (page);
  VouchByHandDialog *dialog;
  VouchFingerprintCheck *check;

  g_assert_true (ui_test_wait (listed, agent, 30));
  ui_test_settle (300);
  ui_test_activate_list_item (list, ui_test_list_position (list, device_of (agent)));
  ui_test_settle (300);
  if (agent == web)
    ui_test_screenshot_variants (GTK_WINDOW (window), "by-hand-device-page");
  ui_test_click (ui_test_find_button (GTK_WIDGET (page), "Sign by Hand…"));
  dialog = ui_test_find_window (VOUCH_TYPE_BY_HAND_DIALOG);
  g_assert_nonnull (dialog);

  check = VOUCH_FINGERPRINT_CHECK (ui_test_find (GTK_WIDGET (dialog), VOUCH_TYPE_FINGERPRINT_CHECK));
  g_assert_true (ui_test_wait (fingerprint_shown, check, 30));
  /* What the device shows on its label (its state directory here). */
  g_assert_cmpstr (vouch_fingerprint_check_get_fingerprint (check), ==, agent->setup_code);
  ui_test_settle (300);
  return dialog;
}

static void
press_confirm (VouchByHandDialog *dialog)
{
  ui_test_click_button (GTK_WIDGET (dialog), "Confirm");
  ui_test_settle (100);
  g_assert_true (ui_test_wait (idle, dialog, 60));
  ui_test_settle (300);
}

static void
assert_trusted (VouchByHandDialog *dialog,
                TestAgent         *agent)
{
  GtkWidget *result = ui_test_find_id (GTK_WIDGET (dialog), "result_label");

  if (!label_shown (GTK_WIDGET (dialog), "Trusted"))
    g_error ("not trusted: %s", gtk_label_get_label (GTK_LABEL (result)));
  g_assert_cmpint (vouch_device_get_step (device_of (agent)), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
}

static void
test_request (void)
{
  VouchByHandDialog *dialog = open_dialog (web);
  GtkWidget *root = GTK_WIDGET (dialog);
  GtkWidget *view = ui_test_find_id (root, "csr_view");
  g_autofree char *url = g_strdup_printf ("https://%s:%u", web->address, web->port);
  g_autofree char *name = g_strdup_printf ("%s-chain.pem", web->address);
  g_autofree char *csr = NULL;
  g_autoptr(GFile) request = NULL;
  g_autofree char *chain_path = NULL;
  g_autofree char *chain = NULL;

  /* Every control says what it is to a screen reader. */
  g_assert_cmpuint (ui_test_assert_accessible_names (root), >, 0);

  /* What the device serves now: its self-signed certificate. */
  g_assert_true (label_shown (root, "The certificate the device serves now"));
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "by-hand-start");

  /* Its page opens in the browser (a stand-in that notes the address). */
  ui_test_click_button (root, "Open");
  g_assert_true (ui_test_wait (file_has_text, url, 20));

  /* Nonsense pasted is said to be nonsense, under it. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (view), "not a request");
  g_assert_true (gtk_widget_activate_action (view, "clipboard.paste", NULL));
  ui_test_settle (500);
  g_assert_true (label_shown (root, "request"));
  g_assert_false (gtk_widget_get_visible (ui_test_find_id (root, "review_group")));

  /* A file that is no request, opened: said too. */
  g_assert_true (g_file_set_contents ("notes.txt", "admin password: see label\n", -1, NULL));
  ui_test_click_button (root, "Open File…");
  open_in_dialog ("notes.txt");
  g_assert_true (ui_test_wait (notes_shown, view, 10));
  g_assert_true (error_shown (root));

  /* The request the page made, saved in DER and dropped on the box, is
   * shown as PEM and reviewed. */
  csr = csr_from_page (web);
  request = csr_file_der (csr);
  g_assert_true (ui_test_drop_file (ui_test_find_id (root, "csr_box"), request));
  g_assert_true (ui_test_wait (review_shown, root, 10));
  g_assert_true (gtk_widget_get_visible (ui_test_find_id (root, "review_group")));
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "by-hand-review");
  g_assert_nonnull (ui_test_find_labelled (root, GTK_TYPE_LABEL, web->address));

  /* Signing before comparing the fingerprint is refused, and says why. */
  ui_test_click_button (root, "Sign and Save Chain…");
  ui_test_settle (300);
  g_assert_true (label_shown (root, "tick the box only if"));
  ui_test_screenshot (root, "by-hand-unticked");

  ui_test_click (ui_test_find_id (root, "match_check"));
  ui_test_click_button (root, "Sign and Save Chain…");
  chain_path = save_in_dialog (name);
  g_assert_true (ui_test_wait_boolean (dialog, "busy", FALSE, 60));
  g_assert_true (ui_test_wait (idle, dialog, 60));
  ui_test_settle (300);
  g_assert_true (label_shown (root, "Signed and saved"));
  g_assert_true (g_file_get_contents (chain_path, &chain, NULL, NULL));
  g_assert_true (g_str_has_prefix (chain, "-----BEGIN CERTIFICATE-----"));
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "by-hand-saved");

  /* Confirm before the chain is on the device: said, specifically. */
  press_confirm (dialog);
  g_assert_true (label_shown (root, "does not serve the new certificate yet"));
  g_assert_cmpint (vouch_device_get_step (device_of (web)), !=, VOUCH_ONBOARDING_STEP_CONFIRMED);
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "by-hand-not-served");

  /* The person uploads it on the device's page; then Confirm. */
  upload_chain (web, chain_path);
  press_confirm (dialog);
  assert_trusted (dialog, web);
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "by-hand-trusted");
  gtk_window_close (GTK_WINDOW (dialog));
  ui_test_settle (300);

  /* Trusted now, the device offers renewal by hand, and its key is the
   * verified one: nothing to compare again. */
  {
    GtkWidget *devices = ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_DEVICES_PAGE);
    VouchByHandDialog *renew;

    ui_test_click (ui_test_find_button (devices, "Renew by Hand…"));
    renew = ui_test_find_window (VOUCH_TYPE_BY_HAND_DIALOG);
    g_assert_nonnull (renew);
    ui_test_settle (300);
    g_assert_true (gtk_widget_get_visible (ui_test_find_id (GTK_WIDGET (renew), "pin_row")));
    g_assert_false (gtk_widget_get_visible (ui_test_find_id (GTK_WIDGET (renew), "fingerprint_check")));
    gtk_window_close (GTK_WINDOW (renew));
    ui_test_settle (300);
  }
}

static gboolean
passphrase_dialog_closed (gpointer data)
{
  return ui_test_find_window (VOUCH_TYPE_PASSPHRASE_DIALOG) == NULL;
}

static void
test_key_bundle (void)
{
  VouchByHandDialog *dialog = open_dialog (keyless);
  GtkWidget *root = GTK_WIDGET (dialog);
  g_autofree char *name = g_strdup_printf ("%s.p12", keyless->address);
  g_autofree char *p12_path = NULL;
  const char *passphrase = "correct horse battery staple";
  GtkWindow *ask;

  ui_test_click (ui_test_find_id (root, "match_check"));
  ui_test_click (ui_test_find_id (root, "bundle_choice"));
  ui_test_settle (300);
  g_assert_true (label_shown (root, "Vouch does not keep the key"));
  ui_test_screenshot_variants (GTK_WINDOW (dialog), "by-hand-bundle");

  ui_test_click_button (root, "Make Key and Certificate…");
  p12_path = save_in_dialog (name);
  ask = ui_test_wait_toplevel (VOUCH_TYPE_PASSPHRASE_DIALOG, 20);
  g_assert_nonnull (ask);
  ui_test_settle (300);

  /* Too short: refused under the field, before any key is made. */
  ui_test_type (ui_test_find_id (GTK_WIDGET (ask), "passphrase_row"), "short");
  ui_test_type (ui_test_find_id (GTK_WIDGET (ask), "confirm_row"), "short");
  ui_test_click_button (GTK_WIDGET (ask), "Continue");
  ui_test_settle (500);
  g_assert_true (label_shown (GTK_WIDGET (ask), "at least 12 characters"));
  g_assert_false (g_file_test (p12_path, G_FILE_TEST_EXISTS));
  ui_test_screenshot (GTK_WIDGET (ask), "by-hand-passphrase-short");

  ui_test_type (ui_test_find_id (GTK_WIDGET (ask), "passphrase_row"), passphrase);
  ui_test_type (ui_test_find_id (GTK_WIDGET (ask), "confirm_row"), passphrase);
  ui_test_click_button (GTK_WIDGET (ask), "Continue");
  g_assert_true (ui_test_wait (passphrase_dialog_closed, NULL, 60));
  g_assert_true (ui_test_wait (idle, dialog, 60));
  ui_test_settle (300);
  g_assert_true (label_shown (root, "Key and certificate saved"));
  g_assert_true (g_file_test (p12_path, G_FILE_TEST_EXISTS));
  ui_test_screenshot (root, "by-hand-bundle-saved");

  upload_bundle (keyless, p12_path, passphrase);
  press_confirm (dialog);
  assert_trusted (dialog, keyless);
  ui_test_screenshot (root, "by-hand-bundle-trusted");
  gtk_window_close (GTK_WINDOW (dialog));
}

/* A browser that only writes down what it was asked to open, as the
 * default for https: in this test's own XDG folders. */
static void
install_stand_in_browser (void)
{
  g_autofree char *apps = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *script = g_build_filename (apps, "stand-in-browser.sh", NULL);
  g_autofree char *desktop = g_build_filename (apps, "stand-in-browser.desktop", NULL);
  g_autofree char *desktop_text = NULL;
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  g_autofree char *script_text = NULL;

  opened_path = g_build_filename (apps, "opened", NULL);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);
  script_text = g_strdup_printf ("#!/bin/sh\necho \"$1\" >> '%s'\n", opened_path);
  g_assert_true (g_file_set_contents (script, script_text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);
  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Stand-in Browser\n"
                                  "Exec=%s %%u\nMimeType=x-scheme-handler/https;\n", script);
  g_assert_true (g_file_set_contents (desktop, desktop_text, -1, NULL));
  g_assert_true (g_file_set_contents (mimeapps, "[Default Applications]\n"
                                      "x-scheme-handler/https=stand-in-browser.desktop\n", -1, NULL));
}

static void
add_manual_device (TestAgent *agent)
{
  g_autofree char *where = g_strdup_printf ("%s:%u", agent->address, agent->port);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  out = vouch_test_vouchctl (NULL, &status, &err, "add", where, "--driver", "manual", NULL);
  if (status != 0)
    g_error ("vouchctl add %s: %s", where, err);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmp = NULL;
  g_autofree char *web_state = NULL;
  g_autofree char *keyless_state = NULL;
  const char *web_args[] = { "--hostname", "web-1.local", "--no-dnssd", NULL };
  const char *keyless_args[] = { "--hostname", "web-2.local", "--no-dnssd", NULL };
  int status;

  install_stand_in_browser ();
  ui_test_init (&argc, &argv);
  test_require_private_lan ();
  ui_test_create_loopback_root ("By Hand UI Test Root");

  /* Saved files and the devices' state go to the folder
   * run-with-keyring.sh removes afterwards (run by hand: a fresh one). */
  tmp = g_getenv ("VOUCH_TEST_TMPDIR") != NULL
        ? g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "saves", NULL)
        : g_dir_make_tmp ("vouch-by-hand-ui-XXXXXX", NULL);
  g_assert_cmpint (g_mkdir_with_parents (tmp, 0700), ==, 0);
  g_assert_cmpint (g_chdir (tmp), ==, 0);
  web_state = g_build_filename (tmp, "web", NULL);
  keyless_state = g_build_filename (tmp, "keyless", NULL);
  web = test_agent_start_program (g_getenv ("VOUCH_AXIS_DEVICE"), web_state, "127.0.9.21", web_args);
  keyless = test_agent_start_program (g_getenv ("VOUCH_AXIS_DEVICE"), keyless_state, "127.0.9.22",
                                      keyless_args);
  add_manual_device (web);
  add_manual_device (keyless);

  application = vouch_application_new ();
  window = ui_test_open_window (application, 1100, 720);
  g_test_add_func ("/by-hand-ui/request", test_request);
  g_test_add_func ("/by-hand-ui/key-bundle", test_key_bundle);
  status = g_test_run ();

  ui_test_close_window (&application, window);
  test_agent_free (web);
  test_agent_free (keyless);
  g_free (opened_path);
  return status;
}
