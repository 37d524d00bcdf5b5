/* vouch-certificates-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-certificates-page-private.h"

#include "vouch-certificate-cells.h"
#include "vouch-clock.h"
#include "vouch-inventory.h"
#include "vouch-renewal-progress.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

/* Below this width the Names and Serial columns are hidden, so the
 * device, its expiry and its status stay readable on a phone. A column
 * view never shrinks a column below its natural width, so every column
 * has a small fixed width that expands, all of them fitting 360 pixels,
 * and the labels ellipsize, with the whole text in a tooltip. */
#define NARROW_WIDTH 720

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchCertificatesPage, vouch_certificates_page, ADW_TYPE_BIN)

VouchInventory *
_vouch_certificates_page_get_inventory (VouchCertificatesPage *self)
{
  return vouch_authority_get_inventory (vouch_application_get_authority (self->application));
}

VouchCertificateEntry *
_vouch_certificates_page_get_selected (VouchCertificatesPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static gboolean
is_expiring (VouchCertificateEntry *entry)
{
  return vouch_certificate_entry_get_in_use (entry) &&
         vouch_certificate_entry_get_expiry_class (entry) != VOUCH_EXPIRY_VALID;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  VouchCertificatesPage *self = user_data;
  VouchCertificateEntry *entry = item;
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;

  if (self->expiring_only && !is_expiring (entry))
    return FALSE;
  if (self->search == NULL || *self->search == '\0')
    return TRUE;

  text = g_strjoin ("\n",
                    vouch_certificate_entry_get_device_name (entry) != NULL
                      ? vouch_certificate_entry_get_device_name (entry) : "",
                    vouch_certificate_entry_get_names_text (entry) != NULL
                      ? vouch_certificate_entry_get_names_text (entry) : "",
                    vouch_certificate_get_serial (vouch_certificate_entry_get_certificate (entry)),
                    NULL);
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, self->search) != NULL;
}

void
_vouch_certificates_page_update_state (VouchCertificatesPage *self)
{
  VouchCertificateEntry *entry;
  GListModel *queue = NULL;
  guint total;
  guint shown;
  guint queued = 0;
  gboolean renewable = FALSE;
  gboolean revocable = FALSE;

  if (self->entries == NULL)
    return;

  entry = _vouch_certificates_page_get_selected (self);
  total = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  if (total == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "list");

  if (entry != NULL)
    {
      VouchCertificate *cert = vouch_certificate_entry_get_certificate (entry);
      const char *device = vouch_certificate_entry_get_device_name (entry);
      g_autofree char *label = NULL;

      /* One signed by hand is renewed on the Sign by Hand page, which a
       * running bulk renewal does not hold up. */
      renewable = vouch_certificate_entry_get_in_use (entry) &&
                  (vouch_certificate_entry_get_signed_by_hand (entry) ||
                   !vouch_renewal_progress_get_running (self->progress));
      revocable = vouch_certificate_get_status (cert) != VOUCH_CERTIFICATE_STATUS_REVOKED;
      /* Translators: the selected certificate: a device's name and the
       * certificate's status. */
      label = g_strdup_printf (_("%s, %s"),
                               device != NULL ? device
                                              : vouch_certificate_entry_get_names_text (entry),
                               vouch_certificate_entry_get_status_label (entry));
      gtk_label_set_label (self->selection_label, label);
    }
  else
    gtk_label_set_label (self->selection_label, _("Select a certificate"));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.renew", renewable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.revoke", revocable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.renew-due",
                                 self->application != NULL &&
                                 !vouch_renewal_progress_get_running (self->progress));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.export-crl",
                                 self->application != NULL);

  if (self->application != NULL && vouch_application_get_renewal (self->application) != NULL)
    queue = vouch_renewal_get_queue (vouch_application_get_renewal (self->application));
  queued = queue != NULL ? g_list_model_get_n_items (queue) : 0;
  if (queued > 0)
    {
      g_autofree char *label = NULL;

      /* Translators: a heading over the renewals that wait for their
       * devices to be reachable again. */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Waiting for %u device to come back",
                                            "Waiting for %u devices to come back", queued),
                               queued);
      gtk_label_set_label (self->queue_label, label);
    }
  gtk_revealer_set_reveal_child (self->queue_revealer, queued > 0);
}

static guint
find_serial (GListModel *model,
             const char *serial)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; serial != NULL && i < n; i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (model, i);

      if (g_strcmp0 (vouch_certificate_get_serial (vouch_certificate_entry_get_certificate (entry)),
                     serial) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/**
 * vouch_certificates_page_refresh:
 *
 * Reads the certificates from the inventory again, keeping the selection.
 */
void
vouch_certificates_page_refresh (VouchCertificatesPage *self)
{
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *selected_serial = NULL;
  VouchCertificateEntry *selected;
  gint64 now;
  guint n;

  g_return_if_fail (VOUCH_IS_CERTIFICATES_PAGE (self));

  if (self->application == NULL || self->entries == NULL)
    return;

  selected = _vouch_certificates_page_get_selected (self);
  if (selected != NULL)
    selected_serial = g_strdup (vouch_certificate_get_serial (vouch_certificate_entry_get_certificate (selected)));

  /* One indexed query over the local inventory; quick enough to run here,
   * as the Devices page does. */
  now = vouch_clock_now ();
  list = vouch_inventory_list_entries (_vouch_certificates_page_get_inventory (self), now, &error);
  if (list == NULL)
    {
      vouch_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }

  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (list, i));
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       items->pdata, items->len);
  vouch_expiry_timeline_set_entries (self->timeline, list, now);

  gtk_single_selection_set_selected (self->selection,
                                     find_serial (G_LIST_MODEL (self->selection), selected_serial));
  _vouch_certificates_page_update_state (self);
}

static void
search_changed_cb (VouchCertificatesPage *self)
{
  g_free (self->search);
  self->search = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  _vouch_certificates_page_update_state (self);
}

static void
expiring_toggled_cb (VouchCertificatesPage *self)
{
  gboolean active = gtk_toggle_button_get_active (self->expiring_toggle);

  if (self->expiring_only == active)
    return;
  self->expiring_only = active;
  gtk_filter_changed (GTK_FILTER (self->filter),
                      active ? GTK_FILTER_CHANGE_MORE_STRICT : GTK_FILTER_CHANGE_LESS_STRICT);
  _vouch_certificates_page_update_state (self);
}

static gboolean
apply_narrow_cb (gpointer user_data)
{
  VouchCertificatesPage *self = user_data;

  self->narrow_idle_id = 0;
  self->narrow = gtk_widget_get_width (GTK_WIDGET (self)) < NARROW_WIDTH;
  /* GTK 4.8 still counts a hidden column's width when it shares out the
   * row, so hidden columns also shrink to nothing; the status keeps a
   * fixed width so the expiry, the column that matters, gets the rest. */
  gtk_column_view_column_set_visible (self->names_column, !self->narrow);
  gtk_column_view_column_set_visible (self->serial_column, !self->narrow);
  gtk_column_view_column_set_fixed_width (self->names_column, self->narrow ? 0 : 60);
  gtk_column_view_column_set_fixed_width (self->serial_column, self->narrow ? 0 : 60);
  gtk_column_view_column_set_fixed_width (self->status_column, self->narrow ? 90 : 50);
  gtk_column_view_column_set_expand (self->status_column, !self->narrow);
  return G_SOURCE_REMOVE;
}

/* AdwBin lays its child out with a layout manager, which GTK asks
 * instead of the size_allocate vfunc; this one does the same and notes
 * the width. Columns are shown or hidden after the allocation, not during
 * it: that would change the size GTK is in the middle of handing out. */
static void
layout_measure (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                        natural_baseline);
}

static void
layout_allocate (GtkWidget *widget,
                 int        width,
                 int        height,
                 int        baseline)
{
  VouchCertificatesPage *self = VOUCH_CERTIFICATES_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
  if ((width < NARROW_WIDTH) != self->narrow && self->narrow_idle_id == 0)
    self->narrow_idle_id = g_idle_add (apply_narrow_cb, self);
}

static void
renewal_finished_cb (VouchCertificatesPage *self,
                     guint                  total,
                     guint                  failed,
                     gboolean               stopped)
{
  g_autofree char *text = NULL;

  _vouch_certificates_page_add_busy (self, -1);
  if (self->application == NULL)
    return;

  if (failed == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Renewed %u certificate",
                                         "Renewed all %u certificates", total), total);
  else if (stopped)
    /* Translators: the outcome of renewing many certificates. */
    text = g_strdup_printf (_("Stopped after renewing %u of %u certificates"), total - failed,
                            total);
  else
    /* Translators: the outcome of renewing many certificates. */
    text = g_strdup_printf (_("Renewed %u of %u certificates; devices that could not be reached "
                              "wait in the list below"), total - failed, total);
  vouch_ui_toast (GTK_WIDGET (self), text);
  vouch_application_inventory_changed (self->application);
  _vouch_certificates_page_update_state (self);
}

static void
vouch_certificates_page_dispose (GObject *object)
{
  VouchCertificatesPage *self = (VouchCertificatesPage *)object;

  g_cancellable_cancel (self->cancellable);
  /* Removing the columns re-sorts the list; the page must not hear it. */
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      g_signal_handlers_disconnect_by_data (self->filter_model, self);
    }
  /* The application and the queue outlive the page. */
  if (self->application != NULL)
    {
      VouchRenewal *renewal = vouch_application_get_renewal (self->application);

      g_signal_handlers_disconnect_by_data (self->application, self);
      if (renewal != NULL)
        g_signal_handlers_disconnect_by_data (vouch_renewal_get_queue (renewal), self);
    }
  g_clear_handle_id (&self->narrow_idle_id, g_source_remove);
  /* AdwBin unparents its child in its own dispose; detach it first so the
   * template's disposal does not leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_CERTIFICATES_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->search, g_free);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_certificates_page_parent_class)->dispose (object);
}

static void
vouch_certificates_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  VouchCertificatesPage *self = VOUCH_CERTIFICATES_PAGE (object);

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
vouch_certificates_page_class_init (VouchCertificatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_certificates_page_dispose;
  object_class->get_property = vouch_certificates_page_get_property;

  /**
   * VouchCertificatesPage:busy:
   *
   * Whether a renewal, revocation list or bulk renewal started here is
   * still running.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VOUCH_TYPE_CERTIFICATE_ENTRY);
  g_type_ensure (VOUCH_TYPE_QUEUED_RENEWAL);
  g_type_ensure (VOUCH_TYPE_EXPIRY_TIMELINE);
  g_type_ensure (VOUCH_TYPE_RENEWAL_PROGRESS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-certificates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, expiring_toggle);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, progress);
  gtk_widget_class_bind_template_callback (widget_class, renewal_finished_cb);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, timeline);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, device_column);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, names_column);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, serial_column);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, expiry_column);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, status_column);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, queue_revealer);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, queue_label);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, queue_view);
  gtk_widget_class_bind_template_child (widget_class, VouchCertificatesPage, selection_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, expiring_toggled_cb);

  gtk_widget_class_install_action (widget_class, "certificates.renew", NULL,
                                   _vouch_certificates_page_renew_action);
  gtk_widget_class_install_action (widget_class, "certificates.revoke", NULL,
                                   _vouch_certificates_page_revoke_action);
  gtk_widget_class_install_action (widget_class, "certificates.export-crl", NULL,
                                   _vouch_certificates_page_export_crl_action);
  gtk_widget_class_install_action (widget_class, "certificates.renew-due", NULL,
                                   _vouch_certificates_page_renew_due_action);
}

static void
vouch_certificates_page_init (VouchCertificatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (NULL, layout_measure, layout_allocate));

  self->cancellable = g_cancellable_new ();
  self->entries = g_list_store_new (VOUCH_TYPE_CERTIFICATE_ENTRY);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->entries)),
                                                  GTK_FILTER (self->filter));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->filter_model),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sort_model));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  vouch_certificate_cells_install (self->device_column, self->expiry_column, self->status_column);
  gtk_column_view_sort_by_column (self->column_view, self->expiry_column, GTK_SORT_ASCENDING);

  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (_vouch_certificates_page_update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (_vouch_certificates_page_update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (vouch_certificates_page_refresh), NULL);
  _vouch_certificates_page_update_state (self);
}

void
vouch_certificates_page_set_application (VouchCertificatesPage *self,
                                         VouchApplication      *application)
{
  VouchRenewal *renewal;

  g_return_if_fail (VOUCH_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (VOUCH_IS_APPLICATION (application));

  if (self->application == application)
    return;

  g_set_weak_pointer (&self->application, application);
  g_signal_connect_object (application, "inventory-changed",
                           G_CALLBACK (vouch_certificates_page_refresh), self, G_CONNECT_SWAPPED);

  renewal = vouch_application_get_renewal (application);
  if (renewal != NULL)
    {
      g_autoptr(GtkNoSelection) queue = NULL;

      queue = gtk_no_selection_new (g_object_ref (vouch_renewal_get_queue (renewal)));
      gtk_list_view_set_model (self->queue_view, GTK_SELECTION_MODEL (queue));
      g_signal_connect_object (vouch_renewal_get_queue (renewal), "items-changed",
                               G_CALLBACK (_vouch_certificates_page_update_state), self,
                               G_CONNECT_SWAPPED);
    }

  vouch_certificates_page_refresh (self);
}

/**
 * _vouch_certificates_page_get_model:
 *
 * Returns: (transfer none): the entries as shown: filtered and sorted
 */
GListModel *
_vouch_certificates_page_get_model (VouchCertificatesPage *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATES_PAGE (self), NULL);
  return G_LIST_MODEL (self->sort_model);
}

GtkSelectionModel *
_vouch_certificates_page_get_selection (VouchCertificatesPage *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATES_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

VouchExpiryTimeline *
_vouch_certificates_page_get_timeline (VouchCertificatesPage *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATES_PAGE (self), NULL);
  return self->timeline;
}

void
_vouch_certificates_page_set_expiring_only (VouchCertificatesPage *self,
                                            gboolean               expiring_only)
{
  g_return_if_fail (VOUCH_IS_CERTIFICATES_PAGE (self));
  gtk_toggle_button_set_active (self->expiring_toggle, expiring_only);
}

void
_vouch_certificates_page_set_search (VouchCertificatesPage *self,
                                     const char            *text)
{
  g_return_if_fail (VOUCH_IS_CERTIFICATES_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  search_changed_cb (self);
}

/* Counts the work started here that is still running (a renewal, a
 * revocation list, a bulk renewal); :busy says whether there is any. */
void
_vouch_certificates_page_add_busy (VouchCertificatesPage *self,
                                   int                    delta)
{
  gboolean was_busy = self->busy > 0;

  self->busy += delta;
  if (was_busy != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}
