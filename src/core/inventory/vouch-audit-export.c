/* vouch-audit-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-audit-export"

#include "vouch-config.h"

#include "vouch-audit-export.h"
#include "vouch-audit-export-private.h"

#include "vouch-audit-event.h"
#include "vouch-clock.h"
#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

/* Both formats carry the same six fields, oldest event first: id, at
 * (ISO 8601 in UTC), event, device_id, serial and detail (the event's own
 * JSON text, kept as a string so it comes back byte for byte). CSV
 * follows RFC 4180: CRLF between records, a header row, and fields with
 * a comma, quote, CR or LF quoted with quotes doubled. An absent field is
 * empty in CSV and null in JSON. The parsers exist so an export can be
 * checked, and so a saved log can be read again. */

#define MAX_IMPORT_BYTES (256 * 1024 * 1024)

static const char * const columns[] = { "id", "at", "event", "device_id", "serial", "detail" };

G_DEFINE_ENUM_TYPE (VouchAuditFormat, vouch_audit_format,
                    G_DEFINE_ENUM_VALUE (VOUCH_AUDIT_FORMAT_CSV, "csv"),
                    G_DEFINE_ENUM_VALUE (VOUCH_AUDIT_FORMAT_JSON, "json"))

static char *
format_time (gint64 at)
{
  g_autoptr(GDateTime) when = vouch_date_time_from_unix (at);

  return when != NULL ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static void
append_csv_field (GString    *out,
                  const char *value)
{
  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static GBytes *
export_csv (GListModel *events)
{
  GString *out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (events);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "", columns[i]);
  g_string_append (out, "\r\n");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchAuditEvent) event = g_list_model_get_item (events, i);
      g_autofree char *at = format_time (vouch_audit_event_get_at (event));

      g_string_append_printf (out, "%" G_GINT64_FORMAT ",%s,", vouch_audit_event_get_id (event), at);
      append_csv_field (out, vouch_audit_event_get_event (event));
      g_string_append_c (out, ',');
      append_csv_field (out, vouch_audit_event_get_device_id (event));
      g_string_append_c (out, ',');
      append_csv_field (out, vouch_audit_event_get_serial (event));
      g_string_append_c (out, ',');
      append_csv_field (out, vouch_audit_event_get_detail (event));
      g_string_append (out, "\r\n");
    }

  return g_string_free_to_bytes (out);
}

static GBytes *
export_json (GListModel *events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (events);
  char *text;

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchAuditEvent) event = g_list_model_get_item (events, i);
      g_autofree char *at = format_time (vouch_audit_event_get_at (event));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, vouch_audit_event_get_id (event));
      vouch_json_add_string_member (builder, "at", at);
      vouch_json_add_string_member (builder, "event", vouch_audit_event_get_event (event));
      vouch_json_add_string_member (builder, "device_id", vouch_audit_event_get_device_id (event));
      vouch_json_add_string_member (builder, "serial", vouch_audit_event_get_serial (event));
      vouch_json_add_string_member (builder, "detail", vouch_audit_event_get_detail (event));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return g_bytes_new_take (text, strlen (text));
}

/**
 * vouch_audit_export_events:
 * @events: a #GListModel of #VouchAuditEvent, in the order to write
 *
 * Returns: (transfer full): the events as UTF-8 CSV or JSON
 */
GBytes *
vouch_audit_export_events (GListModel       *events,
                           VouchAuditFormat  format)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (events), NULL);

  return format == VOUCH_AUDIT_FORMAT_CSV ? export_csv (events) : export_json (events);
}

/**
 * vouch_audit_export:
 *
 * Returns: (transfer full): the whole audit log, oldest event first
 */
GBytes *
vouch_audit_export (VouchInventory    *inventory,
                    VouchAuditFormat   format,
                    GError           **error)
{
  g_autoptr(GListModel) newest_first = NULL;
  g_autoptr(GListStore) oldest_first = g_list_store_new (VOUCH_TYPE_AUDIT_EVENT);
  guint n;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (inventory), NULL);

  newest_first = vouch_inventory_list_audit (inventory, NULL, 0, error);
  if (newest_first == NULL)
    return NULL;

  n = g_list_model_get_n_items (newest_first);
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(VouchAuditEvent) event = g_list_model_get_item (newest_first, i - 1);

      g_list_store_append (oldest_first, event);
    }

  return vouch_audit_export_events (G_LIST_MODEL (oldest_first), format);
}

/**
 * vouch_audit_export_to_file:
 * @path: written atomically, readable by the user only: the log names
 *   the site's devices
 */
gboolean
vouch_audit_export_to_file (VouchInventory    *inventory,
                            VouchAuditFormat   format,
                            const char        *path,
                            GError           **error)
{
  g_autoptr(GBytes) data = NULL;
  gsize len = 0;
  const void *bytes;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (inventory), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = vouch_audit_export (inventory, format, error);
  if (data == NULL)
    return FALSE;

  bytes = g_bytes_get_data (data, &len);
  if (!vouch_write_file_atomic (path, bytes, len, 0600, error))
    return FALSE;

  return vouch_inventory_append_audit (inventory, "audit-exported", NULL, NULL, NULL, error);
}

static gboolean
parse_error (GError     **error,
             guint        record,
             const char  *what)
{
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
               _("The audit log is malformed at record %u: %s"), record, what);
  return FALSE;
}

/* Reads one RFC 4180 record starting at *pos into @fields. */
static gboolean
read_csv_record (const char  *text,
                 gsize        len,
                 gsize       *pos,
                 GPtrArray   *fields,
                 guint        record,
                 GError     **error)
{
  GString *field = g_string_new (NULL);
  gsize i = *pos;

  for (;;)
    {
      if (i < len && text[i] == '"')
        {
          for (i++; ; i++)
            {
              if (i >= len)
                {
                  g_string_free (field, TRUE);
                  return parse_error (error, record, _("a quoted field does not end"));
                }
              if (text[i] == '"')
                {
                  if (i + 1 < len && text[i + 1] == '"')
                    i++;
                  else
                    break;
                }
              g_string_append_c (field, text[i]);
            }
          i++;
          if (i < len && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
            {
              g_string_free (field, TRUE);
              return parse_error (error, record, _("text follows a quoted field"));
            }
        }
      else
        {
          while (i < len && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
            {
              if (text[i] == '"')
                {
                  g_string_free (field, TRUE);
                  return parse_error (error, record, _("a quote inside an unquoted field"));
                }
              g_string_append_c (field, text[i++]);
            }
        }

      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (i < len && text[i] == ',')
        {
          field = g_string_new (NULL);
          i++;
          continue;
        }
      break;
    }

  if (i < len && text[i] == '\r')
    i++;
  if (i < len && text[i] == '\n')
    i++;
  *pos = i;
  return TRUE;
}

static gint64
parse_time (const char *text)
{
  return text != NULL ? vouch_clock_parse_iso8601 (text) : 0;
}

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static VouchAuditEvent *
event_from_fields (const char * const  *fields,
                   guint                record,
                   GError             **error)
{
  char *end = NULL;
  gint64 id;
  gint64 at;

  id = g_ascii_strtoll (fields[0] != NULL ? fields[0] : "", &end, 10);
  if (fields[0] == NULL || end == fields[0] || *end != '\0' || id < 0)
    {
      parse_error (error, record, _("the id is not a number"));
      return NULL;
    }

  at = parse_time (fields[1]);
  if (at <= 0)
    {
      parse_error (error, record, _("the time is not ISO 8601"));
      return NULL;
    }

  if (nonempty (fields[2]) == NULL)
    {
      parse_error (error, record, _("the event is missing"));
      return NULL;
    }

  return vouch_audit_event_new (id, at, fields[2], nonempty (fields[3]), nonempty (fields[4]),
                                nonempty (fields[5]));
}

static GListModel *
parse_csv (const char  *text,
           gsize        len,
           GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (VOUCH_TYPE_AUDIT_EVENT);
  gsize pos = 0;

  for (guint record = 0; pos < len; record++)
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

      if (!read_csv_record (text, len, &pos, fields, record, error))
        return NULL;
      if (fields->len != G_N_ELEMENTS (columns))
        {
          parse_error (error, record, _("it does not have six fields"));
          return NULL;
        }

      if (record == 0)
        {
          for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
            if (strcmp (g_ptr_array_index (fields, i), columns[i]) != 0)
              {
                parse_error (error, record, _("the header row is not id,at,event,device_id,"
                                              "serial,detail"));
                return NULL;
              }
          continue;
        }

      {
        g_autoptr(VouchAuditEvent) event = NULL;

        g_ptr_array_add (fields, NULL);
        event = event_from_fields ((const char * const *)fields->pdata, record, error);
        if (event == NULL)
          return NULL;
        g_list_store_append (store, event);
      }
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static GListModel *
parse_json (const char  *text,
            gsize        len,
            GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (VOUCH_TYPE_AUDIT_EVENT);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  root = vouch_json_parse_bounded (text, len, 8, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      parse_error (error, 0, _("it is not a JSON array"));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(VouchAuditEvent) event = NULL;
      g_autofree char *id = NULL;
      JsonObject *object;
      JsonNode *id_node;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          parse_error (error, i, _("it is not an object"));
          return NULL;
        }
      object = json_node_get_object (element);
      id_node = json_object_get_member (object, "id");
      if (id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node) &&
          json_node_get_value_type (id_node) == G_TYPE_INT64)
        id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id_node));

      {
        const char *fields[] = { id, member_string (object, "at"), member_string (object, "event"),
                                 member_string (object, "device_id"),
                                 member_string (object, "serial"),
                                 member_string (object, "detail"), NULL };

        event = event_from_fields (fields, i, error);
      }
      if (event == NULL)
        return NULL;
      g_list_store_append (store, event);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * _vouch_audit_parse:
 * @data: an export made by vouch_audit_export()
 *
 * Returns: (transfer full): a #GListModel of #VouchAuditEvent in the
 *   file's order, or %NULL with %VOUCH_ERROR_INVALID_INPUT
 */
GListModel *
_vouch_audit_parse (GBytes            *data,
                   VouchAuditFormat   format,
                   GError           **error)
{
  gsize len = 0;
  const char *text;

  g_return_val_if_fail (data != NULL, NULL);

  text = g_bytes_get_data (data, &len);
  if (len > MAX_IMPORT_BYTES || (len > 0 && !g_utf8_validate (text, (gssize)len, NULL)))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The audit log is too large or not UTF-8 text"));
      return NULL;
    }

  if (format == VOUCH_AUDIT_FORMAT_CSV)
    return parse_csv (text, len, error);
  return parse_json (text, len, error);
}
