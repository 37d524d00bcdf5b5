/* vouch-audit-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-audit-page.h"
#include "vouch-audit-page-private.h"

#include "vouch-audit-event.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>
#include <string.h>

/* The whole log, newest first. Events name devices by ID; the page shows
 * the names the inventory knows for them. A search keeps every event whose
 * text (what happened, when, the device's name, the serial) holds each of
 * the words typed; that text is made and folded the first time a search
 * looks at the event and kept on it (a refresh brings new events), so a
 * log nobody searches costs nothing, and a keystroke one strstr() per word
 * and event. */
struct _VouchAuditPage
{
  AdwBin              parent_instance;

  VouchApplication   *application;
  GListStore         *events;
  GHashTable         *device_names;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  char               *query;
  char              **words;
  GCancellable       *cancellable;
  guint               busy;

  GtkSearchEntry     *search_entry;
  GtkLabel           *count_label;
  GtkStack           *stack;
  GtkListView        *list_view;
};

static GQuark haystack_quark;

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchAuditPage, vouch_audit_page, ADW_TYPE_BIN)

static VouchInventory *
get_inventory (VouchAuditPage *self)
{
  return vouch_authority_get_inventory (vouch_application_get_authority (self->application));
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *summary = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (summary), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (details), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_box_append (GTK_BOX (box), summary);
  gtk_box_append (GTK_BOX (box), details);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, box);
}

/* The line under an event's summary: when, on which device, which
 * certificate. */
static char *
dup_details (VouchAuditPage  *self,
             VouchAuditEvent *event)
{
  const char *device_id = vouch_audit_event_get_device_id (event);
  const char *serial = vouch_audit_event_get_serial (event);
  const char *device = NULL;
  GString *details = g_string_new (NULL);
  g_autofree char *when = vouch_ui_format_date_time (vouch_audit_event_get_at (event));

  if (device_id != NULL)
    {
      device = g_hash_table_lookup (self->device_names, device_id);
      if (device == NULL)
        device = device_id;
    }

  g_string_append (details, when);
  if (device != NULL)
    g_string_append_printf (details, " · %s", device);
  if (serial != NULL)
    g_string_append_printf (details, " · %s", serial);

  return g_string_free (details, FALSE);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         VouchAuditPage           *self)
{
  VouchAuditEvent *event = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  g_autofree char *summary = vouch_audit_event_dup_summary (event);
  g_autofree char *details = dup_details (self, event);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), summary);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (box)), details);
}

static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return normalized != NULL ? g_utf8_casefold (normalized, -1) : g_strdup ("");
}

/* What a search looks in: the row's text, folded. */
static const char *
get_haystack (VouchAuditPage  *self,
              VouchAuditEvent *event)
{
  const char *haystack = g_object_get_qdata (G_OBJECT (event), haystack_quark);

  if (haystack == NULL)
    {
      g_autofree char *summary = vouch_audit_event_dup_summary (event);
      g_autofree char *details = dup_details (self, event);
      g_autofree char *text = g_strconcat (summary, "\n", details, "\n",
                                           vouch_audit_event_get_event (event), NULL);
      char *folded = fold (text);

      g_object_set_qdata_full (G_OBJECT (event), haystack_quark, folded, g_free);
      haystack = folded;
    }
  return haystack;
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  VouchAuditPage *self = user_data;
  const char *haystack;

  if (self->words == NULL)
    return TRUE;
  haystack = get_haystack (self, item);
  for (guint i = 0; self->words[i] != NULL; i++)
    if (strstr (haystack, self->words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
update_view (VouchAuditPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *count = NULL;

  if (self->words == NULL)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", total),
                             total);
  else
    /* Translators: the History page's count while searching, "3 of 120 events". */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u event", "%u of %u events",
                                          total),
                             shown, total);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->stack, total == 0 ? "empty"
                                                 : shown == 0 ? "no-results" : "list");
}

static void
search_changed_cb (VouchAuditPage *self)
{
  g_autofree char *query = fold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  g_autofree char *stripped = g_strstrip (g_strdup (query));
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (g_strcmp0 (query, self->query) == 0)
    return;

  /* Typing on only narrows, deleting only widens: the filter model then
   * looks at just the events that can change. */
  if (self->query != NULL && g_str_has_prefix (query, self->query))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->query != NULL && g_str_has_prefix (self->query, query))
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->query);
  self->query = g_steal_pointer (&query);
  g_clear_pointer (&self->words, g_strfreev);
  if (*stripped != '\0')
    self->words = g_strsplit_set (stripped, " \t", -1);
  /* Two spaces in a row leave an empty word, which every event holds. */
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_view (self);
}

static void
stop_search_cb (VouchAuditPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/**
 * vouch_audit_page_refresh:
 *
 * Reads the log again.
 */
void
vouch_audit_page_refresh (VouchAuditPage *self)
{
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  guint n;

  g_return_if_fail (VOUCH_IS_AUDIT_PAGE (self));

  if (self->application == NULL || self->events == NULL)
    return;

  /* Local, indexed reads, as on the other pages. */
  events = vouch_inventory_list_audit (get_inventory (self), NULL, 0, &error);
  if (events == NULL)
    {
      vouch_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }

  g_hash_table_remove_all (self->device_names);
  devices = vouch_inventory_list_devices (get_inventory (self), NULL);
  for (guint i = 0; devices != NULL && i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (devices, i);

      g_hash_table_replace (self->device_names, g_strdup (vouch_device_get_id (device)),
                            g_strdup (vouch_device_get_name (device)));
    }

  n = g_list_model_get_n_items (events);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (events, i));
  g_list_store_splice (self->events, 0, g_list_model_get_n_items (G_LIST_MODEL (self->events)),
                       items->pdata, items->len);
  update_view (self);
}

typedef struct
{
  VouchAuditFormat  format;
  char             *path;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VouchAuditPage *self = source_object;
  ExportJob *job = task_data;
  GError *error = NULL;

  /* The inventory serializes its own access, so a worker may read it. */
  if (!vouch_audit_export_to_file (get_inventory (self), job->format, job->path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Counts the exports still running; :busy says whether there is one. */
static void
add_busy (VouchAuditPage *self,
          int             delta)
{
  gboolean was_busy = self->busy > 0;

  self->busy += delta;
  if (was_busy != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  VouchAuditPage *self = VOUCH_AUDIT_PAGE (object);
  g_autoptr(GError) error = NULL;

  add_busy (self, -1);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Export the Audit Log"), error);
      return;
    }

  vouch_ui_toast (GTK_WIDGET (self), _("Audit log saved"));
  vouch_audit_page_refresh (self);
}

/**
 * vouch_audit_page_export:
 *
 * Saves the whole log as @file in @format, on a worker thread.
 */
void
vouch_audit_page_export (VouchAuditPage   *self,
                         VouchAuditFormat  format,
                         GFile            *file)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (VOUCH_IS_AUDIT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->application == NULL || !g_file_is_native (file))
    return;

  job = g_new0 (ExportJob, 1);
  job->format = format;
  job->path = g_file_get_path (file);

  add_busy (self, 1);
  task = g_task_new (self, self->cancellable, export_cb, NULL);
  g_task_set_source_tag (task, vouch_audit_page_export);
  g_task_set_task_data (task, job, (GDestroyNotify)export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  g_autoptr(GTask) holder = user_data;
  VouchAuditPage *self = g_task_get_source_object (holder);

  if (file != NULL)
    vouch_audit_page_export (self, GPOINTER_TO_INT (g_task_get_task_data (holder)), file);
  g_task_return_boolean (holder, file != NULL);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VouchAuditPage *self = VOUCH_AUDIT_PAGE (widget);
  gboolean json = g_strcmp0 (g_variant_get_string (parameter, NULL), "json") == 0;
  static const char * const csv_patterns[] = { "*.csv", NULL };
  static const char * const json_patterns[] = { "*.json", NULL };
  GTask *holder;

  /* A task with no callback keeps the page alive while the chooser is
   * open, and carries the format. */
  holder = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (holder, GINT_TO_POINTER (json ? VOUCH_AUDIT_FORMAT_JSON
                                                      : VOUCH_AUDIT_FORMAT_CSV), NULL);
  vouch_ui_choose_file (widget, json ? _("Export the Audit Log as JSON")
                                     : _("Export the Audit Log as CSV"),
                        TRUE, json ? "vouch-audit.json" : "vouch-audit.csv",
                        json ? json_patterns : csv_patterns, file_chosen_cb, holder);
}

static void
vouch_audit_page_dispose (GObject *object)
{
  VouchAuditPage *self = (VouchAuditPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  /* AdwBin unparents its child in its own dispose; detach it first so the
   * template's disposal does not leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_AUDIT_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->events);
  g_clear_pointer (&self->device_names, g_hash_table_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->words, g_strfreev);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_audit_page_parent_class)->dispose (object);
}

static void
vouch_audit_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VouchAuditPage *self = VOUCH_AUDIT_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_audit_page_class_init (VouchAuditPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_audit_page_dispose;
  object_class->get_property = vouch_audit_page_get_property;

  /**
   * VouchAuditPage:busy:
   *
   * Whether an export started here is still running.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  haystack_quark = g_quark_from_static_string ("vouch-audit-page-haystack");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-audit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchAuditPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VouchAuditPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, VouchAuditPage, stack);
  gtk_widget_class_bind_template_child (widget_class, VouchAuditPage, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "audit.export", "s", export_action);
}

static void
vouch_audit_page_init (VouchAuditPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->events = g_list_store_new (VOUCH_TYPE_AUDIT_EVENT);
  self->device_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->events)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  /* Typing anywhere on the page searches, as in GNOME's other lists. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  g_signal_connect (self, "map", G_CALLBACK (vouch_audit_page_refresh), NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
vouch_audit_page_set_application (VouchAuditPage   *self,
                                  VouchApplication *application)
{
  g_return_if_fail (VOUCH_IS_AUDIT_PAGE (self));
  g_return_if_fail (VOUCH_IS_APPLICATION (application));

  if (self->application == application)
    return;

  g_set_weak_pointer (&self->application, application);
  g_signal_connect_object (application, "inventory-changed",
                           G_CALLBACK (vouch_audit_page_refresh), self, G_CONNECT_SWAPPED);
  vouch_audit_page_refresh (self);
}

/**
 * _vouch_audit_page_get_model:
 *
 * Returns: (transfer none): the #VouchAuditEvent shown, newest first
 */
GListModel *
_vouch_audit_page_get_model (VouchAuditPage *self)
{
  g_return_val_if_fail (VOUCH_IS_AUDIT_PAGE (self), NULL);
  return G_LIST_MODEL (self->events);
}
