/* test-audit-page.c: the History page in the real window: rows with
 * separators, and a search typed into its real search entry that narrows
 * the list by device, by what happened and by several words at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"

#include "vouch-audit-event.h"
#include "vouch-audit-page.h"


static const char * const devices[] = { "printer", "camera", "router" };

typedef struct
{
  VouchWindow *window;
  GtkWidget   *page;
  GtkWidget   *entry;
  GtkLabel    *count_label;
  GtkListView *list_view;
} Fixture;

/* Three devices, each with a signed and confirmed certificate: a root
 * event, then "issued" and "confirmed" for each. */
static void
issue_all (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
    g_free (ui_test_issue (devices[i], 0));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  issue_all ();
  fixture->window = ui_test_new_window (1100, 720);
  fixture->page = ui_test_show_page (fixture->window, "history", VOUCH_TYPE_AUDIT_PAGE, 300);
  fixture->entry = ui_test_find (fixture->page, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (fixture->entry);
  g_assert_true (gtk_widget_get_mapped (fixture->entry));
  fixture->list_view = GTK_LIST_VIEW (ui_test_find (fixture->page, GTK_TYPE_LIST_VIEW));
  g_assert_nonnull (fixture->list_view);
  fixture->count_label = GTK_LABEL (ui_test_find_labelled (fixture->page, GTK_TYPE_LABEL, "event"));
  g_assert_nonnull (fixture->count_label);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ui_test_destroy_window (GTK_WINDOW (fixture->window));
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} CountWait;

static gboolean
count_is (gpointer user_data)
{
  CountWait *wait = user_data;

  return g_strcmp0 (gtk_label_get_label (wait->fixture->count_label), wait->text) == 0;
}

/* Types @text into the page's real search entry, as a person would, and
 * waits for the count the page shows to become @expected (the entry
 * reports a search only after its short typing delay). */
static void
wait_for_count (Fixture    *fixture,
                const char *expected)
{
  CountWait wait = { fixture, expected };

  if (!ui_test_wait (count_is, &wait, 5))
    g_error ("searching for “%s” shows “%s”, not “%s”",
             gtk_editable_get_text (GTK_EDITABLE (fixture->entry)),
             gtk_label_get_label (fixture->count_label), expected);
  ui_test_settle (100);
}

static void
search (Fixture    *fixture,
        const char *text,
        const char *expected)
{
  gtk_editable_set_text (GTK_EDITABLE (fixture->entry), text);
  wait_for_count (fixture, expected);
}

/* What the person sees: the event rows the list view shows now, read from
 * the list view's own model. */
static GListModel *
shown (Fixture *fixture)
{
  return G_LIST_MODEL (gtk_list_view_get_model (fixture->list_view));
}

/* Events in the whole log, counted from the inventory. */
static guint
count_events (const char *event,
              const char *device_id)
{
  VouchAuthority *authority = vouch_application_get_authority (ui_test_get_application ());
  g_autoptr(GListModel) all = vouch_inventory_list_audit (vouch_authority_get_inventory (authority),
                                                          NULL, 0, NULL);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(VouchAuditEvent) item = g_list_model_get_item (all, i);

      if ((event == NULL || g_strcmp0 (vouch_audit_event_get_event (item), event) == 0) &&
          (device_id == NULL || g_strcmp0 (vouch_audit_event_get_device_id (item), device_id) == 0))
        n++;
    }
  return n;
}

static void
test_separators (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *all = g_strdup_printf ("%u events", count_events (NULL, NULL));

  g_assert_true (gtk_list_view_get_show_separators (fixture->list_view));
  g_assert_cmpstr (gtk_label_get_label (fixture->count_label), ==, all);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, count_events (NULL, NULL));
  ui_test_settle (200);
  ui_test_screenshot (GTK_WIDGET (fixture->window), "history");
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  guint total = count_events (NULL, NULL);
  guint printer = count_events (NULL, "id-printer");
  guint issued = count_events ("issued", NULL);
  g_autofree char *all = g_strdup_printf ("%u events", total);
  g_autofree char *printer_text = g_strdup_printf ("%u of %u events", printer, total);
  g_autofree char *issued_text = g_strdup_printf ("%u of %u events", issued, total);
  g_autofree char *both_text = g_strdup_printf ("%u of %u events", 1, total);
  g_autofree char *none_text = g_strdup_printf ("%u of %u events", 0, total);
  g_autofree char *camera_text = g_strdup_printf ("%u of %u events",
                                                  count_events (NULL, "id-camera"), total);
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (fixture->list_view), GTK_TYPE_STACK);

  g_assert_cmpuint (printer, >=, 2);
  g_assert_cmpuint (issued, ==, G_N_ELEMENTS (devices));

  /* A device's name: only its events, each saying so. */
  search (fixture, "Printer", printer_text);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, printer);
  for (guint i = 0; i < printer; i++)
    {
      g_autoptr(VouchAuditEvent) event = g_list_model_get_item (shown (fixture), i);

      g_assert_cmpstr (vouch_audit_event_get_device_id (event), ==, "id-printer");
    }
  ui_test_screenshot (GTK_WIDGET (fixture->window), "history-search");

  /* What happened, in the words the rows show. */
  search (fixture, "certificate issued", issued_text);
  for (guint i = 0; i < g_list_model_get_n_items (shown (fixture)); i++)
    {
      g_autoptr(VouchAuditEvent) event = g_list_model_get_item (shown (fixture), i);

      g_assert_cmpstr (vouch_audit_event_get_event (event), ==, "issued");
    }

  /* Every word must match, in any order. */
  search (fixture, "issued  camera", both_text);

  /* Nothing matches: a status that says so, not an empty list. */
  search (fixture, "no such thing", none_text);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "no-results");
  g_assert_nonnull (ui_test_find_labelled (gtk_stack_get_visible_child (GTK_STACK (stack)),
                                           GTK_TYPE_LABEL, "No Matching Events"));
  ui_test_screenshot (GTK_WIDGET (fixture->window), "history-no-results");

  /* Esc in the entry (its "stop-search") brings every event back. */
  g_signal_emit_by_name (fixture->entry, "stop-search");
  wait_for_count (fixture, all);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)), ==, "");

  /* So does emptying it by hand. */
  search (fixture, "camera", camera_text);
  search (fixture, "", all);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, total);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "list");
}

static void
test_narrow_and_dark (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *text = NULL;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  ui_test_settle (500);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);
  /* The search and the export stay on screen at phone width. */
  g_assert_true (gtk_widget_get_mapped (fixture->entry));
  g_assert_cmpint (gtk_widget_get_width (fixture->entry), >=, 120);
  ui_test_screenshot (GTK_WIDGET (fixture->window), "history-360");

  text = g_strdup_printf ("%u of %u events", count_events (NULL, "id-router"),
                          count_events (NULL, NULL));
  search (fixture, "router", text);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (fixture->window), "history-360-dark");
}

int
main (int    argc,
      char **argv)
{
  ui_test_init (&argc, &argv);

  g_test_add ("/audit-page/separators", Fixture, NULL, fixture_setup, test_separators,
              fixture_teardown);
  g_test_add ("/audit-page/search", Fixture, NULL, fixture_setup, test_search, fixture_teardown);
  g_test_add ("/audit-page/narrow-and-dark", Fixture, NULL, fixture_setup, test_narrow_and_dark,
              fixture_teardown);

  return g_test_run ();
}
