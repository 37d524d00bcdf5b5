/* test-acme-announcer.c: the directory announced over DNS-SD, browsed
 * with avahi-browse through the private avahi-daemon of tools/private-lan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-acme-announcer.h"
#include "vouch-test-util.h"

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_announce (void)
{
  g_autoptr(VouchAcmeAnnouncer) announcer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *browse[] = { "avahi-browse", "--resolve", "--parsable", "--terminate",
                           "--no-db-lookup", VOUCH_ACME_SERVICE_TYPE, NULL };
  gboolean timed_out = FALSE;
  guint timeout_id;
  int status = -1;

  g_assert_null (vouch_acme_announcer_new ("http://127.0.0.1/directory"));
  g_assert_null (vouch_acme_announcer_new ("not a url"));

  announcer = vouch_acme_announcer_new ("https://127.0.0.1:14000/directory");
  g_assert_nonnull (announcer);
  g_assert_true (vouch_acme_announcer_start (announcer, &error));
  g_assert_no_error (error);

  timeout_id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (!vouch_acme_announcer_get_announced (announcer) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  vouch_test_run (browse, NULL, &out, &err, &status);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "=;"));
  g_assert_nonnull (strstr (out, ";14000;"));
  g_assert_nonnull (strstr (out, "\"path=/directory\""));
  g_assert_nonnull (strstr (out, "\"i=dns,ip\""));
  g_assert_nonnull (strstr (out, "\"v=http-01,tls-alpn-01\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("VOUCH_AVAHI_CONF") == NULL)
    {
      g_test_skip ("needs tools/private-lan with its avahi-daemon");
      return g_test_run ();
    }
  g_test_add_func ("/acme-announcer/announce", test_announce);
  return g_test_run ();
}
