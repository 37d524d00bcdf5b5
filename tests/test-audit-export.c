/* test-audit-export.c: the audit log exported as CSV and JSON comes back
 * unchanged, and other CSV readers agree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-audit-event.h"
#include "vouch-audit-export.h"
#include "vouch-audit-export-private.h"
#include "vouch-error.h"
#include "vouch-inventory-private.h"
#include "vouch-inventory.h"
#include "vouch-test-util.h"

#include <json-glib/json-glib.h>

typedef struct
{
  char           *dir;
  VouchInventory *inventory;
} Fixture;

/* Details a CSV writer must quote, and text that is not ASCII. */
static const char * const details[] = {
  "{\"name\":\"printer.local\"}",
  "{\"message\":\"refused, then \\\"retried\\\"\"}",
  "line one\nline two\r\nline three",
  "Drucker im Büro — 東京 ✓",
  ",leading comma",
  "\"",
  NULL,
};

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = vouch_test_fresh_dir ("audit");
  path = g_build_filename (fixture->dir, "inventory.db", NULL);
  fixture->inventory = vouch_inventory_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; details[i] != NULL; i++)
    {
      g_autofree char *device = g_strdup_printf ("device, %u", i);

      g_assert_true (vouch_inventory_append_audit (fixture->inventory, i % 2 ? "pushed" : "issued",
                                                   i % 3 ? device : NULL, i % 2 ? "0a1b2c" : NULL,
                                                   details[i], &error));
    }
  g_assert_true (vouch_inventory_append_audit (fixture->inventory, "root-created", NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->inventory);
  g_free (fixture->dir);
}

static void
assert_same_events (GListModel *oldest_first,
                    GListModel *parsed)
{
  guint n = g_list_model_get_n_items (oldest_first);

  g_assert_cmpuint (g_list_model_get_n_items (parsed), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchAuditEvent) a = g_list_model_get_item (oldest_first, i);
      g_autoptr(VouchAuditEvent) b = g_list_model_get_item (parsed, i);

      g_assert_cmpint (vouch_audit_event_get_id (a), ==, vouch_audit_event_get_id (b));
      g_assert_cmpint (vouch_audit_event_get_at (a), ==, vouch_audit_event_get_at (b));
      g_assert_cmpstr (vouch_audit_event_get_event (a), ==, vouch_audit_event_get_event (b));
      g_assert_cmpstr (vouch_audit_event_get_device_id (a), ==, vouch_audit_event_get_device_id (b));
      g_assert_cmpstr (vouch_audit_event_get_serial (a), ==, vouch_audit_event_get_serial (b));
      g_assert_cmpstr (vouch_audit_event_get_detail (a), ==, vouch_audit_event_get_detail (b));
    }
}

static GListModel *
oldest_first (VouchInventory *inventory)
{
  g_autoptr(GListModel) newest = vouch_inventory_list_audit (inventory, NULL, 0, NULL);
  GListStore *store = g_list_store_new (VOUCH_TYPE_AUDIT_EVENT);

  for (guint i = g_list_model_get_n_items (newest); i > 0; i--)
    {
      g_autoptr(GObject) item = g_list_model_get_item (newest, i - 1);

      g_list_store_append (store, item);
    }
  return G_LIST_MODEL (store);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GListModel) events = oldest_first (fixture->inventory);

  for (VouchAuditFormat format = VOUCH_AUDIT_FORMAT_CSV; format <= VOUCH_AUDIT_FORMAT_JSON; format++)
    {
      g_autoptr(GBytes) exported = NULL;
      g_autoptr(GListModel) parsed = NULL;
      g_autoptr(GError) error = NULL;

      exported = vouch_audit_export (fixture->inventory, format, &error);
      g_assert_no_error (error);
      parsed = _vouch_audit_parse (exported, format, &error);
      g_assert_no_error (error);
      assert_same_events (events, parsed);
    }
}

/* Python's csv module reads the export as RFC 4180, field for field. */
static void
test_csv_for_other_readers (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GListModel) events = oldest_first (fixture->inventory);
  g_autofree char *path = g_build_filename (fixture->dir, "audit.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *rows;
  int status = -1;
  const char *script =
    "import csv, json, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
    "    print(json.dumps(list(csv.reader(f, strict=True))))\n";
  const char *argv[] = { "python3", "-c", script, path, NULL };

  g_assert_true (vouch_audit_export_to_file (fixture->inventory, VOUCH_AUDIT_FORMAT_CSV, path,
                                             &error));
  g_assert_no_error (error);
  vouch_test_run (argv, NULL, &out, &err, &status);
  if (status != 0)
    g_error ("python3 could not read the CSV: %s", err);

  node = json_from_string (out, &error);
  g_assert_no_error (error);
  rows = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (rows), ==, g_list_model_get_n_items (events) + 1);
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 0), 5), ==,
                   "detail");

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(VouchAuditEvent) event = g_list_model_get_item (events, i);
      JsonArray *row = json_array_get_array_element (rows, i + 1);
      const char *detail = vouch_audit_event_get_detail (event);

      g_assert_cmpuint (json_array_get_length (row), ==, 6);
      g_assert_cmpstr (json_array_get_string_element (row, 2), ==,
                       vouch_audit_event_get_event (event));
      g_assert_cmpstr (json_array_get_string_element (row, 5), ==, detail != NULL ? detail : "");
      g_assert_true (g_str_has_suffix (json_array_get_string_element (row, 1), "Z"));
    }

  /* Exporting is itself an event. */
  g_assert_cmpint (_vouch_inventory_count_audit_events (fixture->inventory, "audit-exported"), ==, 1);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  const char *bad_csv[] = {
    "id,at,event\r\n",
    "id,at,event,device_id,serial,detail\r\n1,2024-01-01T00:00:00Z,issued,,,\"open\r\n",
    "id,at,event,device_id,serial,detail\r\nx,2024-01-01T00:00:00Z,issued,,,\r\n",
    "id,at,event,device_id,serial,detail\r\n1,yesterday,issued,,,\r\n",
    "id,at,event,device_id,serial,detail\r\n1,2024-01-01T00:00:00Z,,,,\r\n",
    "id,at,event,device_id,serial,detail\r\n1,2024-01-01T00:00:00Z,a\"b,,,\r\n",
  };
  const char *bad_json[] = { "{}", "[1]", "[{\"id\":\"1\"}]", "[", "\xff" };

  for (guint i = 0; i < G_N_ELEMENTS (bad_csv); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bad_csv[i], strlen (bad_csv[i]));
      g_autoptr(GListModel) parsed = NULL;
      g_autoptr(GError) error = NULL;

      parsed = _vouch_audit_parse (bytes, VOUCH_AUDIT_FORMAT_CSV, &error);
      g_assert_null (parsed);
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_json); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bad_json[i], strlen (bad_json[i]));
      g_autoptr(GListModel) parsed = NULL;
      g_autoptr(GError) error = NULL;

      parsed = _vouch_audit_parse (bytes, VOUCH_AUDIT_FORMAT_JSON, &error);
      g_assert_null (parsed);
      g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
    }

  /* An empty log is a header only, and parses to nothing. */
  {
    g_autoptr(GListStore) none = g_list_store_new (VOUCH_TYPE_AUDIT_EVENT);
    g_autoptr(GBytes) csv = vouch_audit_export_events (G_LIST_MODEL (none), VOUCH_AUDIT_FORMAT_CSV);
    g_autoptr(GListModel) parsed = _vouch_audit_parse (csv, VOUCH_AUDIT_FORMAT_CSV, NULL);

    g_assert_cmpstr (g_bytes_get_data (csv, NULL), ==, "id,at,event,device_id,serial,detail\r\n");
    g_assert_cmpuint (g_list_model_get_n_items (parsed), ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/audit-export/round-trip", test_round_trip);
  ADD ("/audit-export/csv-for-other-readers", test_csv_for_other_readers);
  ADD ("/audit-export/malformed", test_malformed);

  return g_test_run ();
}
