/* test-vouchctl.c: the command line, as a script would use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-test-util.h"

#include <glib/gstdio.h>
#include <gnutls/pkcs12.h>
#include <json-glib/json-glib.h>

typedef struct
{
  char *data_home;
} Fixture;

/* Each test gets its own data folder; vouchctl inherits the variable. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->data_home = vouch_test_fresh_dir ("cli");
  vouch_test_set_child_env ("XDG_DATA_HOME", fixture->data_home);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->data_home);
}

static void
init_root (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "init", "--name", "CLI Root",
                             "--permit", "corp.example.com", NULL);
  if (status != 0)
    g_error ("ca init failed: %s", err);
  g_assert_nonnull (strstr (out, "keyring"));
}

static void
test_init_and_show (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *permitted;
  int status = -1;

  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "show", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "no root"));

  init_root ();

  g_clear_pointer (&out, g_free);
  out = vouch_test_vouchctl (NULL, &status, NULL, "ca", "show", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  node = vouch_test_parse_json (out);
  object = json_node_get_object (node);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "subject"), "CLI Root"));
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "sha256")), ==, 95);
  g_assert_cmpstr (json_object_get_string_member (object, "key"), ==, "ECDSA P-256");
  g_assert_true (json_object_get_boolean_member (object, "constrained"));
  permitted = json_object_get_array_member (object, "permitted");
  g_assert_cmpuint (json_array_get_length (permitted), ==, 11);
  g_assert_cmpstr (json_array_get_string_element (permitted, 10), ==, ".corp.example.com");

  /* A second init is refused and leaves the first root alone. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "init", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "already has a root"));
}

static void
test_key_types_and_usage_errors (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "init", "--key-type", "dsa", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "Unknown key type"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "init", "--permit", "10.0.0.1/8", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "10.0.0.1/8"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl (NULL, &status, &err, "frobnicate", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "init", "--key-type", "ecdsa-p384",
                             "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "ECDSA P-384"));
}

static void
test_unconstrained_needs_confirmation (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  out = vouch_test_vouchctl ("", &status, &err, "ca", "init", "--unconstrained", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "impersonate any website"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "show", NULL);
  g_assert_cmpint (status, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl ("", &status, &err, "ca", "init", "--unconstrained", "--yes", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "unconstrained"));
}

static void
test_sign_and_list (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("printer.local");
  g_autofree char *csr_path = vouch_test_write_temp ("cli.csr", csr, -1);
  g_autofree char *cert_path = g_build_filename (fixture->data_home, "printer.pem", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *certificate;
  JsonArray *names;
  int status = -1;

  init_root ();

  out = vouch_test_vouchctl (NULL, &status, &err, "sign", csr_path, "--days", "30",
                             "--add-name", "printer.corp.example.com", "--add-name", "10.1.2.3",
                             "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  node = vouch_test_parse_json (out);
  certificate = json_object_get_object_member (json_node_get_object (node), "certificate");
  names = json_object_get_array_member (certificate, "names");
  g_assert_cmpuint (json_array_get_length (names), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (names, 1), ==, "printer.corp.example.com");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_node_get_object (node), "pem"),
                                   "-----BEGIN CERTIFICATE-----"));
  g_clear_pointer (&node, json_node_unref);

  /* From standard input, with the root appended. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (csr, &status, &err, "sign", "-", "--chain", "--out", cert_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Issued"));

  /* Refusals exit with 3 and say why. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (csr, &status, &err, "sign", "-", "--add-name", "bank.example", NULL);
  g_assert_cmpint (status, ==, 3);
  g_assert_nonnull (strstr (err, "Refused"));
  g_assert_nonnull (strstr (err, "bank.example"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (csr, &status, &err, "sign", "-", "--days", "900", NULL);
  g_assert_cmpint (status, ==, 2);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "certs", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  node = vouch_test_parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (node), 0),
                                                  "status"), ==, "issued");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "certs", NULL);
  g_assert_nonnull (strstr (out, "printer.local"));
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *der_path = g_build_filename (fixture->data_home, "root.cer", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  int status = -1;
  const char *argv[] = { "openssl", "x509", "-inform", "DER", "-in", der_path, "-noout",
                         "-subject", NULL };

  init_root ();
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "export", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "-----BEGIN CERTIFICATE-----"));
  g_assert_null (strstr (out, "PRIVATE"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "export", "--format", "der", "--out",
                             der_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (vouch_test_run (argv, NULL, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "CLI Root"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "export", "--format", "p7", NULL);
  g_assert_cmpint (status, ==, 2);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "export", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(JsonNode) node = vouch_test_parse_json (out);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "pem");
    g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "pem"),
                                     "-----BEGIN CERTIFICATE-----"));
  }
}

static void
test_backup_restore_import (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->data_home, "root-backup.p12", NULL);
  g_autofree char *elsewhere = g_build_filename (fixture->data_home, "elsewhere", NULL);
  g_autofree char *third = g_build_filename (fixture->data_home, "third", NULL);
  g_autofree char *csr = vouch_test_make_simple_csr ("nas.local");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(JsonNode) node = NULL;
  int status = -1;

  init_root ();
  out = vouch_test_vouchctl (NULL, &status, NULL, "ca", "show", "--json", NULL);
  node = vouch_test_parse_json (out);
  sha = g_strdup (json_object_get_string_member (json_node_get_object (node), "sha256"));

  g_clear_pointer (&out, g_free);
  out = vouch_test_vouchctl ("backup pass\n", &status, &err, "ca", "backup", "--out", backup,
                             "--passphrase-stdin", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  {
    g_autoptr(JsonNode) backup_node = vouch_test_parse_json (out);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (backup_node), "sha256"),
                     ==, sha);
  }

  /* Restore on "another machine" (another data folder). */
  vouch_test_set_child_env ("XDG_DATA_HOME", elsewhere);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl ("wrong\n", &status, &err, "ca", "restore", backup,
                             "--passphrase-stdin", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "passphrase is wrong"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "show", NULL);
  g_assert_cmpint (status, ==, 1);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl ("backup pass\n", &status, &err, "ca", "restore", backup,
                             "--passphrase-stdin", NULL);
  if (status != 0)
    g_error ("restore failed: %s", err);
  g_assert_nonnull (strstr (out, sha));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (csr, &status, &err, "sign", "-", NULL);
  g_assert_cmpint (status, ==, 0);

  /* Import the same backup as a PKCS#12 file from another tool. */
  vouch_test_set_child_env ("XDG_DATA_HOME", third);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl ("backup pass\n", &status, &err, "ca", "import", backup,
                             "--passphrase-stdin", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(JsonNode) import_node = vouch_test_parse_json (out);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (import_node), "sha256"),
                     ==, sha);
  }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "import", backup, backup, backup, NULL);
  g_assert_cmpint (status, ==, 2);
}

/* A device writes CN=good and subjectAltName=DNS:printer.local: the
 * certificate is for printer.local, and vouchctl says why "good" is not
 * in it. Any name the CSR carries can be left out, even an invalid one. */
static void
test_sign_device_csr (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *names[] = { "printer.local", "printer_1.local", NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = "good", .dns_names = names };
  g_autofree char *csr = vouch_test_make_csr (&spec);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *cert_names;
  int status = -1;

  init_root ();

  /* printer_1.local is no valid host name: refused as it stands... */
  out = vouch_test_vouchctl (csr, &status, &err, "sign", "-", NULL);
  g_assert_cmpint (status, ==, 3);
  g_assert_nonnull (strstr (err, "printer_1.local"));
  g_assert_null (strstr (err, "“good”"));

  /* ...and signed once the operator leaves it out. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (csr, &status, &err, "sign", "-", "--remove-name", "printer_1.local",
                             NULL);
  if (status != 0)
    g_error ("sign failed: %s", err);
  g_assert_true (g_str_has_prefix (out, "-----BEGIN CERTIFICATE-----"));
  g_assert_nonnull (strstr (err, "“good” is not certified"));
  g_assert_cmpuint (strlen (err), ==, strcspn (err, "\n") + 1);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (csr, &status, &err, "sign", "-", "--remove-name", "printer_1.local",
                             "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  node = vouch_test_parse_json (out);
  object = json_node_get_object (node);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "notice"), "“good”"));
  cert_names = json_object_get_array_member (json_object_get_object_member (object, "certificate"),
                                             "names");
  g_assert_cmpuint (json_array_get_length (cert_names), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (cert_names, 0), ==, "printer.local");
}

static void
test_no_key_material_written (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->data_home, "scan-backup.p12", NULL);
  g_autofree char *csr = vouch_test_make_simple_csr ("cam.local");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) needles = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *sha = NULL;
  int status = -1;
  GString *all_output = g_string_new (NULL);

  init_root ();
  out = vouch_test_vouchctl (csr, &status, &err, "sign", "-", NULL);
  g_string_append_printf (all_output, "%s%s", out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl ("p\n", &status, &err, "ca", "backup", "--out", backup,
                             "--passphrase-stdin", NULL);
  g_string_append_printf (all_output, "%s%s", out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl ("p\n", &status, &err, "ca", "restore", backup, "--passphrase-stdin",
                             NULL);
  g_string_append_printf (all_output, "%s%s", out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl (NULL, &status, NULL, "ca", "show", "--json", NULL);
  node = vouch_test_parse_json (out);
  sha = g_strdup (json_object_get_string_member (json_node_get_object (node), "sha256"));

  {
    /* Read the key back the way Vouch stores it, to know what to look for. */
    const char *argv[] = { "secret-tool", "lookup", "root-sha256", sha, NULL };

    if (!vouch_test_run (argv, NULL, &key_pem, NULL, NULL) || key_pem == NULL || *key_pem == '\0')
      g_error ("the key is not in the keyring");
  }

  needles = vouch_test_key_needles (key_pem);
  vouch_test_assert_tree_clean (g_get_home_dir (), needles);
  vouch_test_assert_tree_clean (fixture->data_home, needles);
  for (guint i = 0; i < needles->len; i++)
    {
      gsize len = 0;
      const void *needle = g_bytes_get_data (g_ptr_array_index (needles, i), &len);

      g_assert_null (memmem (all_output->str, all_output->len, needle, len));
    }
  g_string_free (all_output, TRUE);
}

/* A certificate signed by hand is tracked like a device's: `expiring`
 * lists it, and `renew` says how to renew it, since only a new CSR can. */
static void
test_hand_signed_expiring (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("nas.local");
  g_autofree char *csr_path = vouch_test_write_temp ("nas.csr", csr, -1);
  g_autofree char *later = vouch_test_make_simple_csr ("later.local");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *certs;
  JsonObject *entry;
  int status = -1;

  init_root ();
  out = vouch_test_vouchctl (NULL, &status, &err, "sign", csr_path, "--days", "10",
                             "--add-name", "nas.corp.example.com", "--out", "/dev/null", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (later, &status, &err, "sign", "-", "--days", "200", "--out",
                             "/dev/null", NULL);
  g_assert_cmpint (status, ==, 0);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "expiring", "--within", "30d", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "nas.local, nas.corp.example.com: Expires in"));
  g_assert_nonnull (strstr (out, "(Signed by hand)"));
  g_assert_nonnull (strstr (out, "vouchctl sign --add-name nas.local --add-name "
                                 "nas.corp.example.com NEW.csr"));
  g_assert_null (strstr (out, "later.local"));
  g_assert_null (strstr (out, "(null)"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "expiring", "--within", "30d", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  node = vouch_test_parse_json (out);
  certs = json_object_get_array_member (json_node_get_object (node), "certificates");
  g_assert_cmpuint (json_array_get_length (certs), ==, 1);
  entry = json_array_get_object_element (certs, 0);
  g_assert_true (json_object_get_boolean_member (entry, "signed_by_hand"));
  g_assert_cmpstr (json_object_get_string_member (entry, "expiry"), ==, "within-30-days");
  g_assert_cmpint (json_object_get_int_member (entry, "days_left"), <=, 10);
  g_assert_nonnull (strstr (json_object_get_string_member (entry, "renew_command"),
                            "vouchctl sign --add-name nas.local"));

  /* Renewing it by name is not possible here: it says what to do. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "renew", "--browse", "0", "nas.local", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "signed by hand"));
  g_assert_nonnull (strstr (err, "new CSR"));
  g_assert_nonnull (strstr (err, "vouchctl sign --add-name nas.local"));

  /* Renewing what is due leaves it to the operator, and says so. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "renew", "--browse", "0", "--due", "30d", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Signed by hand, so not renewed here: nas.local, "
                                 "nas.corp.example.com"));
  g_assert_nonnull (strstr (out, "vouchctl sign --add-name nas.local"));

  /* Signed again by hand for the same names, the old one stops counting. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (csr, &status, &err, "sign", "-", "--days", "90", "--add-name",
                             "nas.corp.example.com", "--out", "/dev/null", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "expiring", "--within", "30d", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Nothing expires within 30 days"));
}

/* A device added with its driver and credentials: the password goes to
 * the keyring, the user and driver to the inventory; bad choices are
 * usage errors. */
static void
test_add_with_driver (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  int status = -1;

  init_root ();

  out = vouch_test_vouchctl (NULL, &status, &err, "add", "127.0.0.1:8443", "--driver", "snmp",
                             NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "--driver"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl ("secret\n", &status, &err, "add", "127.0.0.1:8443", "--driver",
                             "manual", "--password-stdin", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl (NULL, &status, &err, "add", "127.0.0.1:8443", "--user", "root",
                             NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl ("bmc-password\n", &status, &err, "add", "127.0.0.1:8443",
                             "--driver", "redfish", "--user", "root", "--password-stdin", "--json",
                             NULL);
  if (status != 0)
    g_error ("add failed: %s", err);
  node = vouch_test_parse_json (out);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "driver"), ==, "redfish");
  g_assert_cmpstr (json_object_get_string_member (object, "verification"), ==, "none");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl (NULL, &status, &err, "verify", "127.0.0.1:8443", "--setup-code",
                             "abc", "--fingerprint", "00", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "--fingerprint"));
}

/* A device onboarded by hand that takes only a key and certificate
 * together: the PKCS#12 file opens with the passphrase alone, holds the
 * device's names, and is refused for a short passphrase or a device with
 * an interface Vouch speaks. */
static void
test_key_bundle (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("vouchctl-bundle-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "camera.p12", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  gnutls_pkcs12_t p12 = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_len = 0;
  gnutls_datum_t der;
  char name[64];
  size_t name_len = sizeof name;
  unsigned int type = 0;
  gsize len = 0;
  int status = -1;

  init_root ();
  g_free (vouch_test_vouchctl (NULL, &status, NULL, "add", "127.0.0.1:8443", NULL));
  g_assert_cmpint (status, ==, 0);
  g_free (vouch_test_vouchctl (NULL, &status, NULL, "add", "127.0.0.2:443", "--driver", "manual",
                               NULL));
  g_assert_cmpint (status, ==, 0);

  out = vouch_test_vouchctl ("correct horse battery\n", &status, &err, "onboard",
                             "127.0.0.1:8443", "--browse", "0", "--key-bundle", path,
                             "--passphrase-stdin", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "by hand"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl ("short\n", &status, &err, "onboard", "127.0.0.2:443", "--browse", "0",
                             "--key-bundle", path, "--passphrase-stdin", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "at least 12 characters"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl ("abababababababab\n", &status, &err, "onboard", "127.0.0.2:443",
                             "--browse", "0", "--key-bundle", path, "--passphrase-stdin", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "easy to guess"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl ("correct horse battery\n", &status, &err, "onboard", "127.0.0.2:443",
                             "--browse", "0", "--add-name", "camera.home.arpa", "--key-bundle",
                             path, "--passphrase-stdin", NULL);
  if (status != 0)
    g_error ("onboard --key-bundle failed: %s", err);
  g_assert_nonnull (strstr (out, "left Vouch"));

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  der.data = (unsigned char *)contents;
  der.size = (unsigned int)len;
  g_assert_cmpint (gnutls_pkcs12_init (&p12), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_import (p12, &der, GNUTLS_X509_FMT_DER, 0), >=, 0);
  g_assert_cmpint (gnutls_pkcs12_verify_mac (p12, "wrong"), <, 0);
  g_assert_cmpint (gnutls_pkcs12_simple_parse (p12, "correct horse battery", &key, &chain,
                                               &chain_len, NULL, NULL, NULL, 0), >=, 0);
  g_assert_cmpint (gnutls_x509_crt_get_subject_alt_name2 (chain[0], 0, name, &name_len, &type,
                                                          NULL), ==, GNUTLS_SAN_DNSNAME);
  g_assert_cmpstr (name, ==, "camera.home.arpa");

  for (unsigned int i = 0; i < chain_len; i++)
    gnutls_x509_crt_deinit (chain[i]);
  gnutls_free (chain);
  gnutls_x509_privkey_deinit (key);
  gnutls_pkcs12_deinit (p12);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/vouchctl/init-and-show", test_init_and_show);
  ADD ("/vouchctl/key-types-and-usage-errors", test_key_types_and_usage_errors);
  ADD ("/vouchctl/unconstrained-needs-confirmation", test_unconstrained_needs_confirmation);
  ADD ("/vouchctl/sign-and-list", test_sign_and_list);
  ADD ("/vouchctl/hand-signed-expiring", test_hand_signed_expiring);
  ADD ("/vouchctl/sign-device-csr", test_sign_device_csr);
  ADD ("/vouchctl/export", test_export);
  ADD ("/vouchctl/backup-restore-import", test_backup_restore_import);
  ADD ("/vouchctl/no-key-material-written", test_no_key_material_written);
  ADD ("/vouchctl/add-with-driver", test_add_with_driver);
  ADD ("/vouchctl/key-bundle", test_key_bundle);

  return g_test_run ();
}
