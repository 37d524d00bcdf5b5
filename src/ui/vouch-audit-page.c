/* vouch-audit-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-audit-page.h"

#include "vouch-audit-event.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

/* The whole log, newest first. Events name devices by ID; the page shows
 * the names the inventory knows for them. */
struct _VouchAuditPage
{
  AdwBin            parent_instance;

  VouchApplication *application;
  GListStore       *events;
  GHashTable       *device_names;
  GCancellable     *cancellable;
  guint             busy;

  GtkLabel         *count_label;
  GtkStack         *stack;
  GtkListView      *list_view;
};

G_DEFINE_FINAL_TYPE (VouchAuditPage, vouch_audit_page, ADW_TYPE_BIN)

static VouchInventory *
get_inventory (VouchAuditPage *self)
{
  return vouch_authority_get_inventory (vouch_application_get_authority (self->application));
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%x %X") : g_strdup ("?");
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

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         VouchAuditPage           *self)
{
  VouchAuditEvent *event = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  const char *device_id = vouch_audit_event_get_device_id (event);
  const char *serial = vouch_audit_event_get_serial (event);
  const char *device = NULL;
  g_autofree char *summary = vouch_audit_event_dup_summary (event);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *when = format_time (vouch_audit_event_get_at (event));

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
    /* Translators: a certificate's serial number in the audit log. */
    g_string_append_printf (details, " · %s", serial);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), summary);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (box)), details->str);
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
  g_autofree char *count = NULL;
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

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", n), n);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
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

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  VouchAuditPage *self = VOUCH_AUDIT_PAGE (object);
  g_autoptr(GError) error = NULL;

  self->busy--;
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

  self->busy++;
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
  g_clear_object (&self->events);
  g_clear_pointer (&self->device_names, g_hash_table_unref);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_audit_page_parent_class)->dispose (object);
}

static void
vouch_audit_page_class_init (VouchAuditPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_audit_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-audit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchAuditPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, VouchAuditPage, stack);
  gtk_widget_class_bind_template_child (widget_class, VouchAuditPage, list_view);

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

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->events)));
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
 * vouch_audit_page_get_model:
 *
 * Returns: (transfer none): the #VouchAuditEvent shown, newest first
 */
GListModel *
vouch_audit_page_get_model (VouchAuditPage *self)
{
  g_return_val_if_fail (VOUCH_IS_AUDIT_PAGE (self), NULL);
  return G_LIST_MODEL (self->events);
}

gboolean
vouch_audit_page_get_busy (VouchAuditPage *self)
{
  g_return_val_if_fail (VOUCH_IS_AUDIT_PAGE (self), FALSE);
  return self->busy > 0;
}
