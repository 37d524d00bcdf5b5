/* test-expiry-timeline.c: the expiry chart on the real Certificates page:
 * with nothing to show it says so instead of drawing twelve empty bars,
 * and it draws the bars again once something expires within the year
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"

#include "vouch-certificates-page.h"
#include "vouch-expiry-timeline.h"
#include "vouch-inventory.h"


typedef struct
{
  VouchWindow *window;
  GtkWidget   *timeline;
} Fixture;

static void
revoke_serial (const char *serial)
{
  VouchAuthority *authority = vouch_application_get_authority (ui_test_get_application ());
  g_autoptr(GError) error = NULL;

  g_assert_true (vouch_inventory_revoke_certificate (vouch_authority_get_inventory (authority),
                                                     serial, VOUCH_REVOCATION_SUPERSEDED,
                                                     g_get_real_time () / G_USEC_PER_SEC, &error));
  g_assert_no_error (error);
}

/* A new window each time, so the page reads the inventory as it is now. */
static void
open_certificates (Fixture *fixture,
                   int      width)
{
  GtkWidget *page;

  fixture->window = ui_test_new_window (width, 720);
  page = ui_test_show_page (fixture->window, "certificates", VOUCH_TYPE_CERTIFICATES_PAGE, 500);
  fixture->timeline = ui_test_find (page, VOUCH_TYPE_EXPIRY_TIMELINE);
  g_assert_nonnull (fixture->timeline);
}

static void
close_window (Fixture *fixture)
{
  ui_test_destroy_window (GTK_WINDOW (fixture->window));
}

/* What a person sees of the chart: is a mapped label saying @text there,
 * and are the month bars (level bars) on screen? */
static gboolean
shows_text (Fixture    *fixture,
            const char *text)
{
  GtkWidget *label = ui_test_find_labelled (fixture->timeline, GTK_TYPE_LABEL, text);

  return label != NULL && gtk_widget_get_mapped (label);
}

static gboolean
shows_bars (Fixture *fixture)
{
  GtkWidget *bar = ui_test_find (fixture->timeline, GTK_TYPE_LEVEL_BAR);

  g_assert_nonnull (bar);
  return gtk_widget_get_mapped (bar);
}

static void
test_empty (void)
{
  Fixture fixture = { 0 };
  g_autofree char *old = NULL;

  /* A new root, nothing signed yet: the page's own "No Certificates Yet"
   * says it all, and the chart keeps out of the way. */
  open_certificates (&fixture, 1100);
  g_assert_false (gtk_widget_get_visible (fixture.timeline));
  g_assert_false (shows_bars (&fixture));
  ui_test_screenshot (GTK_WIDGET (fixture.window), "certificates-no-certificates");
  close_window (&fixture);

  /* A certificate that is no longer in use expires off the chart too. */
  old = ui_test_issue ("old-printer", 800);
  revoke_serial (old);
  open_certificates (&fixture, 1100);
  g_assert_true (gtk_widget_get_visible (fixture.timeline));
  g_assert_true (shows_text (&fixture, "Nothing Expires in the Next 12 Months"));
  g_assert_true (shows_text (&fixture, "shown here by the month they expire"));
  g_assert_false (shows_bars (&fixture));
  ui_test_screenshot (GTK_WIDGET (fixture.window), "certificates-empty-chart");

  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 360, 720);
  ui_test_settle (500);
  ui_test_screenshot (GTK_WIDGET (fixture.window), "certificates-empty-chart-360");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (fixture.window), "certificates-empty-chart-360-dark");
  close_window (&fixture);
}

static void
test_later (void)
{
  Fixture fixture = { 0 };

  /* In use, but expiring after the twelve months: still nothing to draw. */
  g_free (ui_test_issue ("printer", 800));
  open_certificates (&fixture, 1100);
  g_assert_true (shows_text (&fixture, "Nothing Expires in the Next 12 Months"));
  g_assert_true (shows_text (&fixture, "The certificate in use expires later than that."));
  g_assert_false (shows_bars (&fixture));
  close_window (&fixture);
}

static void
test_chart (void)
{
  Fixture fixture = { 0 };

  g_free (ui_test_issue ("camera", 100));
  open_certificates (&fixture, 1100);
  g_assert_false (shows_text (&fixture, "Nothing Expires"));
  g_assert_true (shows_text (&fixture, "1 certificate expires in the next 12 months"));
  g_assert_true (shows_bars (&fixture));
  ui_test_screenshot (GTK_WIDGET (fixture.window), "certificates-chart");
  close_window (&fixture);
}

int
main (int    argc,
      char **argv)
{
  ui_test_init (&argc, &argv);

  /* In order: each adds a certificate to the one inventory. */
  g_test_add_func ("/expiry-timeline/empty", test_empty);
  g_test_add_func ("/expiry-timeline/later", test_later);
  g_test_add_func ("/expiry-timeline/chart", test_chart);

  return g_test_run ();
}
