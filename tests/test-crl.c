/* test-crl.c: revocation with a reason, and a CRL that OpenSSL accepts
 * and uses to reject the revoked certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-audit-event.h"
#include "vouch-authority.h"
#include "vouch-clock.h"
#include "vouch-crl.h"
#include "vouch-error.h"
#include "vouch-inventory-private.h"
#include "vouch-inventory.h"
#include "vouch-test-util.h"

typedef struct
{
  char           *dir;
  char           *root_path;
  VouchAuthority *authority;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = vouch_test_fresh_dir ("crl");
  fixture->authority = vouch_test_authority_new (fixture->dir, "CRL Test", FALSE);
  fixture->root_path = vouch_test_write_root (fixture->authority, fixture->dir, "root.pem");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  vouch_test_finalize_authority (fixture->authority);
  g_free (fixture->root_path);
  g_free (fixture->dir);
}

static VouchCertificate *
issue (Fixture    *fixture,
       const char *name,
       const char *device_id,
       char      **out_path)
{
  g_autofree char *csr = vouch_test_make_simple_csr (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchDevice) device = vouch_device_new (device_id, VOUCH_DEVICE_KIND_VOUCH);
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  VouchCertificate *cert;

  vouch_device_set_name (device, name);
  g_assert_true (vouch_inventory_save_device (inventory, device, &error));
  options.device_id = device_id;
  cert = vouch_authority_sign (fixture->authority, (const guint8 *)csr, strlen (csr), &options,
                               NULL, &error);
  g_assert_no_error (error);
  g_assert_true (_vouch_inventory_confirm_certificate (inventory, vouch_certificate_get_serial (cert),
                                                       device_id, &error));

  *out_path = g_build_filename (fixture->dir, name, NULL);
  g_assert_true (g_file_set_contents (*out_path, vouch_certificate_get_pem (cert), -1, NULL));
  return cert;
}

static int
run_status (const char * const *argv,
            char              **out_text)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  vouch_test_run (argv, NULL, &out, &err, &status);
  if (out_text != NULL)
    *out_text = g_strconcat (out, err, NULL);
  return status;
}

static void
test_revoke (Fixture       *fixture,
             gconstpointer  data)
{
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  g_autofree char *path = NULL;
  g_autoptr(VouchCertificate) cert = issue (fixture, "nas.local", "dev-nas", &path);
  g_autoptr(VouchCertificate) after = NULL;
  g_autoptr(VouchDevice) device = NULL;
  g_autoptr(GListModel) revoked = NULL;
  g_autoptr(GListModel) audit = NULL;
  g_autoptr(VouchAuditEvent) event = NULL;
  g_autoptr(VouchCertificateEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  const char *serial = vouch_certificate_get_serial (cert);
  VouchRevocationReason reason = VOUCH_REVOCATION_UNSPECIFIED;

  g_assert_true (vouch_revocation_reason_from_string ("keyCompromise", &reason));
  g_assert_cmpint (reason, ==, VOUCH_REVOCATION_KEY_COMPROMISE);
  g_assert_true (vouch_revocation_reason_from_string ("cessation-of-operation", &reason));
  g_assert_false (vouch_revocation_reason_from_string ("bored", &reason));

  g_assert_true (vouch_inventory_revoke_certificate (inventory, serial,
                                                     VOUCH_REVOCATION_KEY_COMPROMISE, 1900000000,
                                                     &error));
  g_assert_no_error (error);

  after = vouch_inventory_lookup_certificate (inventory, serial, &error);
  g_assert_cmpint (vouch_certificate_get_status (after), ==, VOUCH_CERTIFICATE_STATUS_REVOKED);

  /* The device is flagged. */
  device = vouch_inventory_lookup_device (inventory, "dev-nas", &error);
  g_assert_nonnull (vouch_device_get_attention (device));
  g_assert_nonnull (strstr (vouch_device_get_attention (device), "revoked"));

  /* The reason and time are kept, for the view and the CRL. */
  revoked = vouch_inventory_list_revoked (inventory, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (revoked), ==, 1);
  entry = g_list_model_get_item (revoked, 0);
  g_assert_cmpint (vouch_certificate_entry_get_revoked_at (entry), ==, 1900000000);
  g_assert_cmpint (vouch_certificate_entry_get_revocation_reason (entry), ==,
                   VOUCH_REVOCATION_KEY_COMPROMISE);
  g_assert_cmpstr (vouch_certificate_entry_get_status_label (entry), ==, "Revoked");

  audit = vouch_inventory_list_audit (inventory, NULL, 1, &error);
  event = g_list_model_get_item (audit, 0);
  g_assert_cmpstr (vouch_audit_event_get_event (event), ==, "revoked");
  g_assert_cmpstr (vouch_audit_event_get_serial (event), ==, serial);
  g_assert_nonnull (strstr (vouch_audit_event_get_detail (event), "key-compromise"));

  /* Once is enough; the first reason stays. */
  g_assert_false (vouch_inventory_revoke_certificate (inventory, serial,
                                                      VOUCH_REVOCATION_SUPERSEDED, 1900000001,
                                                      &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (vouch_inventory_revoke_certificate (inventory, "00ff", VOUCH_REVOCATION_SUPERSEDED,
                                                      1900000001, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "revoked"), ==, 1);
}

static void
test_crl_verifies (Fixture       *fixture,
                   gconstpointer  data)
{
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  g_autofree char *bad_path = NULL;
  g_autofree char *good_path = NULL;
  g_autoptr(VouchCertificate) bad = issue (fixture, "old-camera.local", "dev-old", &bad_path);
  g_autoptr(VouchCertificate) good = issue (fixture, "printer.local", "dev-printer", &good_path);
  g_autofree char *crl_path = g_build_filename (fixture->dir, "root.crl", NULL);
  g_autofree char *der_path = g_build_filename (fixture->dir, "root.crl.der", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *serial_upper = NULL;
  g_autofree char *good_upper = NULL;

  /* An empty CRL is valid too, and the good certificate passes it. */
  g_assert_true (vouch_crl_export (fixture->authority, crl_path, 7, FALSE, NULL, &error));
  g_assert_no_error (error);
  {
    const char *verify[] = { "openssl", "verify", "-crl_check", "-CAfile", fixture->root_path,
                             "-CRLfile", crl_path, bad_path, NULL };

    g_assert_cmpint (run_status (verify, NULL), ==, 0);
  }

  g_assert_true (vouch_inventory_revoke_certificate (inventory, vouch_certificate_get_serial (bad),
                                                     VOUCH_REVOCATION_CESSATION_OF_OPERATION,
                                                     vouch_clock_now () - 60, &error));
  g_assert_true (vouch_crl_export (fixture->authority, crl_path, 7, FALSE, NULL, &error));
  g_assert_no_error (error);

  {
    const char *crl_verify[] = { "openssl", "crl", "-in", crl_path, "-noout", "-verify", "-CAfile",
                                 fixture->root_path, NULL };

    g_assert_cmpint (run_status (crl_verify, &text), ==, 0);
    g_assert_nonnull (strstr (text, "verify OK"));
    g_clear_pointer (&text, g_free);
  }

  {
    const char *crl_text[] = { "openssl", "crl", "-in", crl_path, "-noout", "-text", NULL };
    g_autoptr(GDateTime) next = g_date_time_new_from_unix_utc (vouch_clock_now () + 7 * 86400);
    g_autofree char *next_text = g_date_time_format (next, "%b %e");

    g_assert_cmpint (run_status (crl_text, &text), ==, 0);
    serial_upper = g_ascii_strup (vouch_certificate_get_serial (bad), -1);
    g_assert_nonnull (strstr (text, serial_upper));
    good_upper = g_ascii_strup (vouch_certificate_get_serial (good), -1);
    g_assert_null (strstr (text, good_upper));
    g_assert_nonnull (strstr (text, "CRL Number"));
    g_assert_nonnull (strstr (text, "Authority Key Identifier"));
    /* Next update is seven days out. */
    g_assert_nonnull (strstr (text, "Next Update"));
    g_assert_nonnull (strstr (text, next_text));
    g_clear_pointer (&text, g_free);
  }

  {
    const char *reject[] = { "openssl", "verify", "-crl_check", "-CAfile", fixture->root_path,
                             "-CRLfile", crl_path, bad_path, NULL };
    const char *accept[] = { "openssl", "verify", "-crl_check", "-CAfile", fixture->root_path,
                             "-CRLfile", crl_path, good_path, NULL };

    g_assert_cmpint (run_status (reject, &text), !=, 0);
    g_assert_nonnull (strstr (text, "revoked"));
    g_clear_pointer (&text, g_free);
    g_assert_cmpint (run_status (accept, &text), ==, 0);
  }

  /* DER is the same CRL. */
  g_assert_true (vouch_crl_export (fixture->authority, der_path, 7, TRUE, NULL, &error));
  {
    const char *der_verify[] = { "openssl", "crl", "-inform", "DER", "-in", der_path, "-noout",
                                 "-verify", "-CAfile", fixture->root_path, NULL };

    g_assert_cmpint (run_status (der_verify, NULL), ==, 0);
  }

  g_assert_cmpint (_vouch_inventory_count_audit_events (inventory, "crl-issued"), ==, 3);

  /* Nonsense periods are refused before anything is signed. */
  g_assert_false (vouch_crl_export (fixture->authority, crl_path, 0, FALSE, NULL, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_crl_async (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "async.crl", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vouch_crl_export_async (fixture->authority, path, 30, FALSE, NULL, export_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (vouch_crl_export_finish (fixture->authority, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/crl/revoke", test_revoke);
  ADD ("/crl/verifies", test_crl_verifies);
  ADD ("/crl/async", test_crl_async);

  return g_test_run ();
}
