/* test-manufacturer-roots.c: the device makers' roots Vouch trusts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-error.h"
#include "vouch-inventory-private.h"
#include "vouch-manufacturer-roots.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>

typedef struct
{
  char                   *data_dir;
  VouchInventory         *inventory;
  VouchManufacturerRoots *roots;
  TestCa                 *maker;
  guint                   changes;
} Fixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->changes++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;

  fixture->data_dir = vouch_test_fresh_dir ("maker-roots");
  g_assert_cmpint (g_mkdir_with_parents (fixture->data_dir, 0700), ==, 0);
  db = g_build_filename (fixture->data_dir, "inventory.db", NULL);
  fixture->inventory = vouch_inventory_open (db, &error);
  g_assert_no_error (error);
  fixture->roots = vouch_manufacturer_roots_new (fixture->data_dir, fixture->inventory);
  g_signal_connect (fixture->roots, "items-changed", G_CALLBACK (items_changed_cb), fixture);
  g_assert_true (vouch_manufacturer_roots_load (fixture->roots, &error));
  g_assert_no_error (error);
  fixture->maker = test_ca_new ("Example Devices Manufacturing Root");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->roots);
  g_assert_finalize_object (fixture->inventory);
  test_ca_free (fixture->maker);
  g_free (fixture->data_dir);
}

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static char *
roots_file (Fixture *fixture)
{
  return g_build_filename (fixture->data_dir, "manufacturer-roots.pem", NULL);
}

static void
test_add_list_remove (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) pem = bytes_of (fixture->maker->pem);
  g_autoptr(VouchCertificate) root = NULL;
  g_autoptr(VouchCertificate) again = NULL;
  g_autoptr(VouchManufacturerRoots) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *path = roots_file (fixture);
  g_autofree char *bare = NULL;
  GString *plain;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->roots)), ==, 0);

  root = vouch_manufacturer_roots_add (fixture->roots, pem, &error);
  g_assert_no_error (error);
  subject = vouch_manufacturer_roots_dup_subject (root);
  g_assert_nonnull (strstr (subject, "Example Devices Manufacturing Root"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->roots)), ==, 1);
  g_assert_cmpuint (fixture->changes, >, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory,
                                                        "manufacturer-root-imported"), ==, 1);

  /* The same root twice is one root. */
  again = vouch_manufacturer_roots_add (fixture->roots, pem, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vouch_certificate_get_sha256 (again), ==, vouch_certificate_get_sha256 (root));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->roots)), ==, 1);

  /* Another program sees it. */
  other = vouch_manufacturer_roots_new (fixture->data_dir, NULL);
  g_assert_true (vouch_manufacturer_roots_load (other, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 1);

  /* Found by its fingerprint with or without colons, in any case. */
  plain = g_string_new (NULL);
  for (const char *p = vouch_certificate_get_sha256 (root); *p != '\0'; p++)
    if (*p != ':')
      g_string_append_c (plain, g_ascii_tolower (*p));
  bare = g_string_free (plain, FALSE);
  g_assert_true (vouch_manufacturer_roots_find (fixture->roots, bare) != NULL);

  g_assert_false (vouch_manufacturer_roots_remove (fixture->roots, "00:11", &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (vouch_manufacturer_roots_remove (fixture->roots, bare, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->roots)), ==, 0);
  /* No file rather than an empty one. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory,
                                                        "manufacturer-root-removed"), ==, 1);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *key_pem = NULL;
  g_autofree char *leaf = test_ca_issue_for_new_key (fixture->maker, "device.example", &key_pem);
  g_autofree char *two = g_strconcat (fixture->maker->pem, fixture->maker->pem, NULL);
  g_autofree char *big = g_strnfill (600 * 1024, 'A');
  struct { const char *name; const char *text; int code; const char *fragment; } cases[] = {
    { "garbage", "not a certificate\n", VOUCH_ERROR_INVALID_INPUT, "no certificate" },
    { "leaf", leaf, VOUCH_ERROR_NOT_A_CA, "not a certificate authority" },
    { "two", two, VOUCH_ERROR_INVALID_INPUT, "2 certificates" },
    { "big", big, VOUCH_ERROR_INVALID_INPUT, "KiB" },
    { "key", key_pem, VOUCH_ERROR_INVALID_INPUT, "no certificate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = bytes_of (cases[i].text);
      g_autoptr(VouchCertificate) root = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].name);
      root = vouch_manufacturer_roots_add (fixture->roots, bytes, &error);
      g_assert_null (root);
      g_assert_error (error, VOUCH_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].fragment));
    }

  /* Nothing was written. */
  {
    g_autofree char *path = roots_file (fixture);

    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

static void
test_der_accepted (Fixture       *fixture,
                   gconstpointer  data)
{
  gnutls_datum_t der = { NULL, 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(VouchCertificate) root = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (gnutls_x509_crt_export2 (fixture->maker->crt, GNUTLS_X509_FMT_DER, &der), ==, 0);
  bytes = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  root = vouch_manufacturer_roots_add (fixture->roots, bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
}

static void
test_verify (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TestCa) stranger = test_ca_new ("Someone Else");
  g_autofree char *key_pem = NULL;
  g_autofree char *leaf = test_ca_issue_for_new_key (fixture->maker, "serial-1.devices.example",
                                                     &key_pem);
  g_autofree char *chain = g_strconcat (leaf, fixture->maker->pem, NULL);
  g_autoptr(GTlsCertificate) served = NULL;
  g_autoptr(GBytes) pem = bytes_of (fixture->maker->pem);
  g_autoptr(GBytes) stranger_pem = bytes_of (stranger->pem);
  g_autoptr(VouchCertificate) root = NULL;
  g_autoptr(VouchCertificate) other = NULL;
  g_autoptr(GError) error = NULL;

  served = g_tls_certificate_new_from_pem (chain, -1, &error);
  g_assert_no_error (error);

  g_assert_false (vouch_manufacturer_roots_verify (fixture->roots, served, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_VERIFIED);
  g_assert_nonnull (strstr (error->message, "no manufacturer root"));
  g_clear_error (&error);

  other = vouch_manufacturer_roots_add (fixture->roots, stranger_pem, &error);
  g_assert_no_error (error);
  g_assert_false (vouch_manufacturer_roots_verify (fixture->roots, served, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_VERIFIED);
  g_clear_error (&error);

  root = vouch_manufacturer_roots_add (fixture->roots, pem, &error);
  g_assert_no_error (error);
  g_assert_true (vouch_manufacturer_roots_verify (fixture->roots, served, &error));
  g_assert_no_error (error);
}

/* A root's subject comes from someone else's file: it is shown as device
 * text is. */
static void
test_subject_sanitized (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TestCa) tricky = test_ca_new ("Maker\u202Etoor");
  g_autoptr(GBytes) pem = bytes_of (tricky->pem);
  g_autoptr(VouchCertificate) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;

  root = vouch_manufacturer_roots_add (fixture->roots, pem, &error);
  g_assert_no_error (error);
  subject = vouch_manufacturer_roots_dup_subject (root);
  g_assert_null (strstr (subject, "\u202E"));
  g_assert_nonnull (strstr (subject, "Maker\uFFFDtoor"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/manufacturer-roots/add-list-remove", test_add_list_remove);
  ADD ("/manufacturer-roots/bad-input", test_bad_input);
  ADD ("/manufacturer-roots/der-accepted", test_der_accepted);
  ADD ("/manufacturer-roots/verify", test_verify);
  ADD ("/manufacturer-roots/subject-sanitized", test_subject_sanitized);

  return g_test_run ();
}
