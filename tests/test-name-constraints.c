/* test-name-constraints.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-error.h"
#include "vouch-name-constraints.h"

static void
test_defaults (void)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_auto(GStrv) permitted = vouch_name_constraints_dup_permitted (nc);
  const char *inside[] = { "printer.local", "local", "a.b.home.arpa", "gw.internal", "nas.lan",
                           "*.site.lan", "10.1.2.3", "172.31.255.255", "192.168.0.1",
                           "169.254.9.9", "fd12::1", "fe80::1", NULL };
  const char *outside[] = { "www.example.com", "local.example.com", "notlocal", "evil-lan",
                            "8.8.8.8", "172.32.0.1", "127.0.0.1", "2001:db8::1",
                            "*.example.com", NULL };

  g_assert_cmpuint (g_strv_length (permitted), ==, 10);
  g_assert_cmpstr (permitted[0], ==, ".local");
  g_assert_cmpstr (permitted[4], ==, "10.0.0.0/8");
  g_assert_cmpstr (permitted[8], ==, "fc00::/7");
  g_assert_false (vouch_name_constraints_get_unconstrained (nc));

  for (guint i = 0; inside[i] != NULL; i++)
    if (!vouch_name_constraints_permits (nc, inside[i]))
      g_error ("%s should be permitted", inside[i]);
  for (guint i = 0; outside[i] != NULL; i++)
    if (vouch_name_constraints_permits (nc, outside[i]))
      g_error ("%s should not be permitted", outside[i]);
}

static void
test_add_forms (void)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) permitted = NULL;

  g_assert_true (vouch_name_constraints_add (nc, "corp.example.com", &error));
  g_assert_true (vouch_name_constraints_add (nc, "DNS:.Lab.Example.NET", &error));
  g_assert_true (vouch_name_constraints_add (nc, "IP:127.0.0.0/8", &error));
  g_assert_true (vouch_name_constraints_add (nc, "::1", &error));
  g_assert_no_error (error);

  permitted = vouch_name_constraints_dup_permitted (nc);
  g_assert_cmpstr (permitted[0], ==, ".corp.example.com");
  g_assert_cmpstr (permitted[1], ==, ".lab.example.net");
  g_assert_cmpstr (permitted[2], ==, "127.0.0.0/8");
  g_assert_cmpstr (permitted[3], ==, "::1/128");

  g_assert_true (vouch_name_constraints_permits (nc, "git.corp.example.com"));
  g_assert_true (vouch_name_constraints_permits (nc, "127.0.0.12"));
  g_assert_true (vouch_name_constraints_permits (nc, "::1"));
  g_assert_false (vouch_name_constraints_permits (nc, "example.com"));
  g_assert_false (vouch_name_constraints_permits (nc, "printer.local"));
}

static void
test_bad_input (void)
{
  const char *bad[] = { "10.0.0.1/8", "10.0.0.0/33", "under_score.lan", "-x.lan", "", "a..b",
                        "300.1.1.1/8", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new ();
      g_autoptr(GError) error = NULL;

      if (vouch_name_constraints_add (nc, bad[i], &error))
        g_error ("“%s” should be refused", bad[i]);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, bad[i][0] ? "“" : ""));
    }
}

static void
test_unconstrained (void)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autofree char *text = NULL;
  g_auto(GStrv) permitted = NULL;

  vouch_name_constraints_set_unconstrained (nc, TRUE);
  g_assert_true (vouch_name_constraints_permits (nc, "www.example.com"));
  permitted = vouch_name_constraints_dup_permitted (nc);
  g_assert_cmpuint (g_strv_length (permitted), ==, 0);
  text = vouch_name_constraints_describe (nc);
  g_assert_nonnull (strstr (text, "any name"));
}

static void
test_round_trip_through_certificate (void)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchNameConstraints) back = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) a = NULL;
  g_auto(GStrv) b = NULL;
  gnutls_x509_crt_t crt = NULL;

  g_assert_true (vouch_name_constraints_add (nc, "corp.example.com", &error));
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_true (vouch_name_constraints_apply (nc, crt, &error));
  g_assert_no_error (error);

  back = vouch_name_constraints_new_from_crt (crt, &error);
  g_assert_no_error (error);
  a = vouch_name_constraints_dup_permitted (nc);
  b = vouch_name_constraints_dup_permitted (back);
  g_assert_true (g_strv_equal ((const char * const *)a, (const char * const *)b));
  g_assert_false (vouch_name_constraints_permits (back, "www.example.com"));
  g_assert_true (vouch_name_constraints_permits (back, "x.corp.example.com"));
  gnutls_x509_crt_deinit (crt);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/name-constraints/defaults", test_defaults);
  g_test_add_func ("/name-constraints/add-forms", test_add_forms);
  g_test_add_func ("/name-constraints/bad-input", test_bad_input);
  g_test_add_func ("/name-constraints/unconstrained", test_unconstrained);
  g_test_add_func ("/name-constraints/round-trip", test_round_trip_through_certificate);

  return g_test_run ();
}
