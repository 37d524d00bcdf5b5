/* test-expiry.c: expiry classes, the root's warning and reminders, at
 * dates chosen through the injectable clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-authority.h"
#include "vouch-clock.h"
#include "vouch-error.h"
#include "vouch-expiry.h"
#include "vouch-inventory-private.h"
#include "vouch-inventory.h"
#include "vouch-reminder.h"
#include "vouch-test-util.h"

#define DAY VOUCH_SECONDS_PER_DAY

typedef struct
{
  char           *dir;
  VouchAuthority *authority;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = vouch_test_fresh_dir ("expiry");
  fixture->authority = vouch_test_authority_new (fixture->dir, "Expiry Test", FALSE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  vouch_clock_set_for_testing (0);
  vouch_test_finalize_authority (fixture->authority);
  g_free (fixture->dir);
}

/* Issues a certificate valid for @days from now to @device_id and makes
 * it the device's active one. */
static VouchCertificate *
issue_active (Fixture    *fixture,
              const char *name,
              const char *device_id,
              guint       days)
{
  g_autofree char *csr = vouch_test_make_simple_csr (name);
  g_autoptr(GError) error = NULL;
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  g_autoptr(VouchDevice) device = vouch_device_new (device_id, VOUCH_DEVICE_KIND_VOUCH);
  VouchCertificate *cert;

  vouch_device_set_name (device, name);
  g_assert_true (vouch_inventory_save_device (inventory, device, &error));
  options.days = days;
  options.device_id = device_id;
  cert = vouch_authority_sign (fixture->authority, (const guint8 *)csr, strlen (csr), &options,
                               NULL, &error);
  g_assert_no_error (error);
  g_assert_true (_vouch_inventory_confirm_certificate (inventory, vouch_certificate_get_serial (cert),
                                                       device_id, &error));
  g_assert_no_error (error);
  return cert;
}

static void
test_clock (void)
{
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpint (ABS (vouch_clock_now () - real), <=, 2);
  vouch_clock_set_for_testing (1000000);
  g_assert_cmpint (vouch_clock_now (), ==, 1000000);
  vouch_clock_set_for_testing (0);
  g_assert_cmpint (ABS (vouch_clock_now () - real), <=, 2);

  g_assert_cmpint (vouch_clock_parse_iso8601 ("2031-05-01T12:00:00Z"), ==, 1935403200);
  g_assert_cmpint (vouch_clock_parse_iso8601 ("2031-05-01"), ==, 1935360000);
  g_assert_cmpint (vouch_clock_parse_iso8601 ("tomorrow"), ==, 0);
  g_assert_cmpint (vouch_clock_parse_iso8601 (NULL), ==, 0);
}

static void
test_classify (void)
{
  const gint64 now = 1900000000;
  struct {
    gint64           left;
    VouchExpiryClass expected;
    int              days;
  } cases[] = {
    { 400 * DAY, VOUCH_EXPIRY_VALID, 400 },
    { 30 * DAY + 1, VOUCH_EXPIRY_VALID, 30 },
    { 30 * DAY, VOUCH_EXPIRY_WITHIN_30, 30 },
    { 8 * DAY, VOUCH_EXPIRY_WITHIN_30, 8 },
    { 7 * DAY, VOUCH_EXPIRY_WITHIN_7, 7 },
    { 1, VOUCH_EXPIRY_WITHIN_7, 0 },
    { 0, VOUCH_EXPIRY_EXPIRED, 0 },
    { -1, VOUCH_EXPIRY_EXPIRED, -1 },
    { -3 * DAY, VOUCH_EXPIRY_EXPIRED, -3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (vouch_expiry_classify (now + cases[i].left, now), ==, cases[i].expected);
      g_assert_cmpint (vouch_expiry_days_left (now + cases[i].left, now), ==, cases[i].days);
    }

  {
    g_autofree char *soon = vouch_expiry_describe (now + 12 * DAY + 5, now);
    g_autofree char *past = vouch_expiry_describe (now - 3 * DAY, now);

    g_assert_cmpstr (soon, ==, "Expires in 12 days");
    g_assert_cmpstr (past, ==, "Expired 3 days ago");
  }
  g_assert_cmpstr (vouch_expiry_class_to_string (VOUCH_EXPIRY_WITHIN_7), ==, "within-7-days");
}

static void
test_parse_days (void)
{
  g_autoptr(GError) error = NULL;
  guint days = 0;

  g_assert_true (vouch_expiry_parse_days ("30d", &days, &error));
  g_assert_cmpuint (days, ==, 30);
  g_assert_true (vouch_expiry_parse_days ("4w", &days, &error));
  g_assert_cmpuint (days, ==, 28);
  g_assert_true (vouch_expiry_parse_days ("90", &days, &error));
  g_assert_cmpuint (days, ==, 90);
  g_assert_no_error (error);

  for (guint i = 0; i < 5; i++)
    {
      const char *bad[] = { "", "d", "30x", "-5d", "99999999999999999999d" };

      g_assert_false (vouch_expiry_parse_days (bad[i], &days, &error));
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }
}

static void
test_root_warning (Fixture       *fixture,
                   gconstpointer  data)
{
  VouchRootCa *root = vouch_authority_get_root (fixture->authority);
  gint64 not_after = vouch_certificate_get_not_after (vouch_root_ca_get_certificate (root));
  int days = 0;

  g_assert_false (vouch_expiry_root_needs_warning (root, vouch_clock_now (), &days));
  g_assert_cmpint (days, >, 3000);

  g_assert_false (vouch_expiry_root_needs_warning (root, not_after - 366 * DAY, &days));
  g_assert_true (vouch_expiry_root_needs_warning (root, not_after - 365 * DAY, &days));
  g_assert_cmpint (days, ==, 365);
  g_assert_true (vouch_expiry_root_needs_warning (root, not_after + DAY, &days));
  g_assert_cmpint (days, ==, -1);
}

static void
test_expiring_list (Fixture       *fixture,
                    gconstpointer  data)
{
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  g_autoptr(VouchCertificate) a = issue_active (fixture, "a.local", "dev-a", 10);
  G_GNUC_UNUSED g_autoptr(VouchCertificate) b = issue_active (fixture, "b.local", "dev-b", 40);
  g_autoptr(VouchCertificate) c = issue_active (fixture, "c.local", "dev-c", 400);
  g_autoptr(GListModel) expiring = NULL;
  g_autoptr(GListModel) entries = NULL;
  g_autoptr(VouchCertificateEntry) first = NULL;
  g_auto(GStrv) due = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = vouch_clock_now ();

  expiring = vouch_inventory_list_expiring (inventory, now, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (expiring), ==, 1);
  first = g_list_model_get_item (expiring, 0);
  g_assert_cmpstr (vouch_certificate_get_serial (vouch_certificate_entry_get_certificate (first)),
                   ==, vouch_certificate_get_serial (a));
  g_assert_cmpstr (vouch_certificate_entry_get_device_name (first), ==, "a.local");
  g_assert_cmpint (vouch_certificate_entry_get_expiry_class (first), ==, VOUCH_EXPIRY_WITHIN_30);
  g_assert_cmpstr (vouch_certificate_entry_get_status_label (first), ==, "Active");
  g_clear_object (&expiring);
  g_clear_object (&first);

  /* Twenty days on: a has expired, b is within 30 days, c is fine. */
  expiring = vouch_inventory_list_expiring (inventory, now + 20 * DAY, 30, &error);
  g_assert_cmpuint (g_list_model_get_n_items (expiring), ==, 2);
  first = g_list_model_get_item (expiring, 0);
  g_assert_cmpint (vouch_certificate_entry_get_expiry_class (first), ==, VOUCH_EXPIRY_EXPIRED);

  due = vouch_inventory_list_due_devices (inventory, now + 20 * DAY, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (due), ==, 2);
  g_assert_cmpstr (due[0], ==, "dev-a");
  g_assert_cmpstr (due[1], ==, "dev-b");

  /* The inventory view lists everything, with statuses. */
  entries = vouch_inventory_list_entries (inventory, now, &error);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 3);
  (void)c;
}

static guint
count_due (VouchInventory *inventory,
           VouchRootCa    *root,
           gint64          now,
           int             threshold)
{
  g_autoptr(GListModel) due = NULL;
  g_autoptr(GError) error = NULL;
  guint matching = 0;

  due = vouch_reminder_take_due (inventory, root, now, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (due); i++)
    {
      g_autoptr(VouchReminder) reminder = g_list_model_get_item (due, i);

      g_assert_nonnull (vouch_reminder_get_title (reminder));
      g_assert_nonnull (vouch_reminder_get_body (reminder));
      if (threshold < 0 || vouch_reminder_get_threshold (reminder) == threshold)
        matching++;
    }
  return threshold < 0 ? g_list_model_get_n_items (due) : matching;
}

static void
test_reminders (Fixture       *fixture,
                gconstpointer  data)
{
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  VouchRootCa *root = vouch_authority_get_root (fixture->authority);
  g_autoptr(VouchCertificate) cert = issue_active (fixture, "cam.local", "dev-cam", 60);
  gint64 not_after = vouch_certificate_get_not_after (cert);
  gint64 root_after = vouch_certificate_get_not_after (vouch_root_ca_get_certificate (root));
  g_autoptr(GListModel) due = NULL;
  g_autoptr(VouchReminder) reminder = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing is due 40 days before expiry. */
  g_assert_cmpuint (count_due (inventory, root, not_after - 40 * DAY, -1), ==, 0);

  /* 30 days before: one reminder, with the device to open. */
  due = vouch_reminder_list_due (inventory, root, not_after - 30 * DAY, &error);
  g_assert_cmpuint (g_list_model_get_n_items (due), ==, 1);
  reminder = g_list_model_get_item (due, 0);
  g_assert_cmpint (vouch_reminder_get_threshold (reminder), ==, 30);
  g_assert_cmpstr (vouch_reminder_get_device_id (reminder), ==, "dev-cam");
  g_assert_cmpstr (vouch_reminder_get_id (reminder), ==, "expiry-dev-cam");
  g_assert_nonnull (strstr (vouch_reminder_get_title (reminder), "cam.local"));
  /* Listing does not record it: it is still due until shown. */
  g_assert_cmpuint (count_due (inventory, root, not_after - 30 * DAY, 30), ==, 1);
  /* Shown once: not again that day, nor a week later. */
  g_assert_cmpuint (count_due (inventory, root, not_after - 30 * DAY, -1), ==, 0);
  g_assert_cmpuint (count_due (inventory, root, not_after - 23 * DAY, -1), ==, 0);

  /* 7 days before, then expired: one each. */
  g_assert_cmpuint (count_due (inventory, root, not_after - 6 * DAY, 7), ==, 1);
  g_assert_cmpuint (count_due (inventory, root, not_after - 5 * DAY, -1), ==, 0);

  /* Reopening the inventory remembers what was shown. */
  {
    g_autoptr(VouchAuthority) again = vouch_authority_new (fixture->dir);

    g_assert_true (vouch_authority_load (again, &error));
    g_assert_cmpuint (count_due (vouch_authority_get_inventory (again),
                                 vouch_authority_get_root (again), not_after - 2 * DAY, -1), ==, 0);
    g_assert_cmpuint (count_due (vouch_authority_get_inventory (again),
                                 vouch_authority_get_root (again), not_after + 1, 0), ==, 1);
  }
  g_assert_cmpuint (count_due (inventory, root, not_after + 2 * DAY, -1), ==, 0);

  /* The root: from a year ahead, once per threshold. */
  g_clear_object (&due);
  g_clear_object (&reminder);
  due = vouch_reminder_take_due (inventory, root, root_after - 300 * DAY, &error);
  g_assert_cmpuint (g_list_model_get_n_items (due), ==, 1);
  reminder = g_list_model_get_item (due, 0);
  g_assert_true (vouch_reminder_get_is_root (reminder));
  g_assert_cmpint (vouch_reminder_get_threshold (reminder), ==, 365);
  g_assert_cmpuint (count_due (inventory, root, root_after - 200 * DAY, -1), ==, 0);
  g_assert_cmpuint (count_due (inventory, root, root_after - 80 * DAY, 90), ==, 1);

  /* The injectable clock is what the GUI's timer passes in. */
  vouch_clock_set_for_testing (root_after - 20 * DAY);
  g_assert_cmpuint (count_due (inventory, root, vouch_clock_now (), 30), ==, 1);
}

/* Signs a CSR for @names by hand, for no device, valid for @days. */
static VouchCertificate *
sign_by_hand (Fixture            *fixture,
              const char * const *names,
              guint               days)
{
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = names[0], .dns_names = names };
  g_autofree char *csr = vouch_test_make_csr (&spec);
  g_autoptr(GError) error = NULL;
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  VouchCertificate *cert;

  options.days = days;
  cert = vouch_authority_sign (fixture->authority, (const guint8 *)csr, strlen (csr), &options,
                               NULL, &error);
  g_assert_no_error (error);
  g_assert_null (vouch_certificate_get_device_id (cert));
  return cert;
}

static VouchCertificateEntry *
find_entry (GListModel       *model,
            VouchCertificate *cert)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (model, i);

      if (g_strcmp0 (vouch_certificate_get_serial (vouch_certificate_entry_get_certificate (entry)),
                     vouch_certificate_get_serial (cert)) == 0)
        return g_steal_pointer (&entry);
    }
  return NULL;
}

/* Most certificates on a real site are signed by hand, for devices with no
 * API: they expire, and remind, like a device's, until a newer one signed
 * by hand for all of their names replaces them. */
static void
test_hand_signed (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const nas_names[] = { "nas.local", "files.local", NULL };
  static const char * const nas_only[] = { "nas.local", NULL };
  static const char * const other_names[] = { "switch.local", NULL };
  VouchInventory *inventory = vouch_authority_get_inventory (fixture->authority);
  VouchRootCa *root = vouch_authority_get_root (fixture->authority);
  g_autoptr(VouchCertificate) nas = sign_by_hand (fixture, nas_names, 10);
  g_autoptr(VouchCertificate) other = sign_by_hand (fixture, other_names, 400);
  g_autoptr(VouchCertificate) partial = NULL;
  g_autoptr(VouchCertificate) renewed = NULL;
  g_autoptr(GListModel) expiring = NULL;
  g_autoptr(GListModel) entries = NULL;
  g_autoptr(GListModel) due = NULL;
  g_autoptr(VouchCertificateEntry) entry = NULL;
  g_autoptr(VouchReminder) reminder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 not_after = vouch_certificate_get_not_after (nas);

  /* The injectable clock stands in for the days going by. */
  vouch_clock_set_for_testing (not_after - 20 * DAY);
  expiring = vouch_inventory_list_expiring (inventory, vouch_clock_now (), 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (expiring), ==, 1);
  entry = g_list_model_get_item (expiring, 0);
  g_assert_cmpstr (vouch_certificate_get_serial (vouch_certificate_entry_get_certificate (entry)),
                   ==, vouch_certificate_get_serial (nas));
  g_assert_true (vouch_certificate_entry_get_signed_by_hand (entry));
  g_assert_true (vouch_certificate_entry_get_in_use (entry));
  g_assert_null (vouch_certificate_entry_get_device_name (entry));
  g_assert_cmpstr (vouch_certificate_entry_get_status_label (entry), ==, "Signed by hand");
  g_assert_cmpint (vouch_certificate_entry_get_expiry_class (entry), ==, VOUCH_EXPIRY_WITHIN_30);
  g_clear_object (&entry);

  /* The same reminders as a device's: one per threshold, keyed by its
   * serial, telling the operator to sign a new request. */
  due = vouch_reminder_list_due (inventory, root, vouch_clock_now (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (due), ==, 1);
  reminder = g_list_model_get_item (due, 0);
  g_assert_cmpint (vouch_reminder_get_threshold (reminder), ==, 30);
  g_assert_null (vouch_reminder_get_device_id (reminder));
  g_assert_cmpstr (vouch_reminder_get_serial (reminder), ==, vouch_certificate_get_serial (nas));
  g_assert_true (g_str_has_suffix (vouch_reminder_get_id (reminder),
                                   vouch_certificate_get_serial (nas)));
  g_assert_nonnull (strstr (vouch_reminder_get_title (reminder), "nas.local"));
  g_assert_nonnull (strstr (vouch_reminder_get_body (reminder), "Sign by Hand"));
  g_assert_cmpuint (count_due (inventory, root, vouch_clock_now (), 30), ==, 1);
  g_assert_cmpuint (count_due (inventory, root, vouch_clock_now (), -1), ==, 0);
  g_assert_cmpuint (count_due (inventory, root, not_after - 6 * DAY, 7), ==, 1);
  g_assert_cmpuint (count_due (inventory, root, not_after + 1, 0), ==, 1);

  /* Signed again for only one of its names: the other still needs it. */
  partial = sign_by_hand (fixture, nas_only, 90);
  g_clear_object (&expiring);
  expiring = vouch_inventory_list_expiring (inventory, not_after - DAY, 30, &error);
  g_assert_nonnull ((entry = find_entry (expiring, nas)));
  g_clear_object (&entry);

  /* Signed again for all of them: replaced, no longer expiring nor
   * reminded, and shown as replaced in the inventory view. */
  renewed = sign_by_hand (fixture, nas_names, 90);
  g_clear_object (&expiring);
  expiring = vouch_inventory_list_expiring (inventory, not_after - DAY, 30, &error);
  g_assert_null (find_entry (expiring, nas));
  g_assert_cmpuint (count_due (inventory, root, not_after + 2 * DAY, -1), ==, 0);
  entries = vouch_inventory_list_entries (inventory, vouch_clock_now (), &error);
  g_assert_no_error (error);
  entry = find_entry (entries, nas);
  g_assert_false (vouch_certificate_entry_get_in_use (entry));
  g_assert_cmpstr (vouch_certificate_entry_get_status_label (entry), ==, "Replaced");
  g_clear_object (&entry);
  entry = find_entry (entries, renewed);
  g_assert_true (vouch_certificate_entry_get_in_use (entry));
  g_clear_object (&entry);
  entry = find_entry (entries, other);
  g_assert_true (vouch_certificate_entry_get_in_use (entry));
  g_assert_cmpstr (vouch_certificate_entry_get_status_label (entry), ==, "Signed by hand");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/expiry/clock", test_clock);
  g_test_add_func ("/expiry/classify", test_classify);
  g_test_add_func ("/expiry/parse-days", test_parse_days);
  ADD ("/expiry/root-warning", test_root_warning);
  ADD ("/expiry/expiring-list", test_expiring_list);
  ADD ("/expiry/reminders", test_reminders);
  ADD ("/expiry/hand-signed", test_hand_signed);

  return g_test_run ();
}
