/* vouch-trust-section.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-trust-section.h"
#include "vouch-trust-section-private.h"

#include "vouch-bundle.h"
#include "vouch-ui-util.h"
#include "vouch-util.h"

#include <glib/gi18n.h>

/* Every row shows a store's real state as last read: the core re-reads a
 * store after each change, and rows redraw on its notifications. */
struct _VouchTrustSection
{
  AdwBin            parent_instance;

  VouchApplication *application;
  VouchHomeTrustStores *stores;
  GCancellable     *cancellable;
  /* Which stores the list shows folded, and whether Chromium is offered:
   * the list is rebuilt only when that changes. */
  char             *layout;
  guint             rebuild_id;
  gboolean          absent_expanded;

  GtkListBox       *stores_list;
};

G_DEFINE_FINAL_TYPE (VouchTrustSection, vouch_trust_section, ADW_TYPE_BIN)

typedef struct
{
  AdwActionRow    *row;
  GtkImage        *icon;
  GtkSpinner      *spinner;
  GtkImage        *admin;
  GtkButton       *button;
  VouchTrustStore *store;
} StoreRow;

static void
store_row_free (StoreRow *row)
{
  g_clear_object (&row->store);
  g_free (row);
}

/* Chromium makes its database on first run; Vouch may make it first when
 * asked for that store by name. Other browsers' stores are left alone. */
static gboolean
creatable (VouchTrustStore *store)
{
  const char *id = vouch_trust_store_get_id (store);

  return g_strcmp0 (id, "nss:chromium-legacy") == 0 || g_strcmp0 (id, "nss:chromium") == 0;
}

static void
update_row (VouchTrustStore *store,
            GParamSpec      *pspec,
            AdwActionRow    *widget)
{
  StoreRow *row = g_object_get_data (G_OBJECT (widget), "vouch-store-row");
  VouchTrustStatus status = vouch_trust_store_get_status (store);
  gboolean busy = vouch_trust_store_get_busy (store);
  const char *message = vouch_trust_store_get_message (store);
  g_autofree char *subtitle = NULL;
  g_autofree char *button_label = NULL;
  const char *icon = "dialog-question-symbolic";

  if (status == VOUCH_TRUST_STATUS_INSTALLED)
    icon = "emblem-ok-symbolic";
  else if (status == VOUCH_TRUST_STATUS_NOT_INSTALLED)
    icon = "window-close-symbolic";
  else if (status == VOUCH_TRUST_STATUS_ABSENT)
    icon = "action-unavailable-symbolic";

  /* The store's own message often already says its status; don't say it
   * twice. */
  if (message != NULL && g_str_has_prefix (message, vouch_trust_status_describe (status)))
    subtitle = g_strdup (message);
  /* Under "other places, not on this computer", the reason alone says it. */
  else if (status == VOUCH_TRUST_STATUS_ABSENT && message != NULL && *message != '\0')
    subtitle = g_strdup (message);
  else if (message != NULL && *message != '\0')
    subtitle = g_strdup_printf ("%s — %s", vouch_trust_status_describe (status), message);
  else
    subtitle = g_strdup (vouch_trust_status_describe (status));
  adw_action_row_set_subtitle (row->row, subtitle);

  gtk_image_set_from_icon_name (row->icon, icon);
  gtk_widget_remove_css_class (GTK_WIDGET (row->icon), "success");
  if (status == VOUCH_TRUST_STATUS_INSTALLED)
    gtk_widget_add_css_class (GTK_WIDGET (row->icon), "success");

  gtk_widget_set_visible (GTK_WIDGET (row->spinner), busy);
  gtk_spinner_set_spinning (row->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (row->admin), vouch_trust_store_get_needs_admin (store));
  gtk_widget_set_visible (GTK_WIDGET (row->button),
                          status == VOUCH_TRUST_STATUS_INSTALLED ||
                          status == VOUCH_TRUST_STATUS_NOT_INSTALLED ||
                          (status == VOUCH_TRUST_STATUS_ABSENT && creatable (store)));
  gtk_widget_set_sensitive (GTK_WIDGET (row->button), !busy);

  gtk_button_set_label (row->button, status == VOUCH_TRUST_STATUS_INSTALLED ? _("Remove")
                                                                            : _("Install"));
  /* Translators: accessible name, as in "Install in Firefox (default)". */
  button_label = g_strdup_printf (status == VOUCH_TRUST_STATUS_INSTALLED ? _("Remove from %s")
                                                                         : _("Install in %s"),
                                  vouch_trust_store_get_name (store));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  button_label, -1);
}

static void
store_changed (VouchTrustSection *self,
               VouchTrustStore   *store,
               gboolean           ok,
               const GError      *error)
{
  g_autofree char *text = NULL;

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vouch_ui_show_error (GTK_WIDGET (self), vouch_trust_store_get_name (store), error);
      return;
    }

  text = g_strdup_printf (vouch_trust_store_get_status (store) == VOUCH_TRUST_STATUS_INSTALLED
                            ? _("%s now trusts the root") : _("%s no longer trusts the root"),
                          vouch_trust_store_get_name (store));
  vouch_ui_toast (GTK_WIDGET (self), text);
}

static void
store_installed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(VouchTrustSection) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = vouch_trust_store_install_finish (VOUCH_TRUST_STORE (object), result, &error);

  store_changed (self, VOUCH_TRUST_STORE (object), ok, error);
}

static void
store_uninstalled_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(VouchTrustSection) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = vouch_trust_store_uninstall_finish (VOUCH_TRUST_STORE (object), result, &error);

  store_changed (self, VOUCH_TRUST_STORE (object), ok, error);
}

static void
row_button_cb (GtkButton *button,
               StoreRow  *row)
{
  VouchTrustSection *self = VOUCH_TRUST_SECTION (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                                          VOUCH_TYPE_TRUST_SECTION));

  if (vouch_trust_store_get_status (row->store) == VOUCH_TRUST_STATUS_INSTALLED)
    vouch_trust_store_uninstall_async (row->store, self->cancellable, store_uninstalled_cb,
                                       g_object_ref (self));
  else
    vouch_trust_store_install_async (row->store, self->cancellable, store_installed_cb,
                                     g_object_ref (self));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  VouchTrustStore *store = item;
  StoreRow *row = g_new0 (StoreRow, 1);
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  row->store = g_object_ref (store);
  row->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), vouch_trust_store_get_name (store));
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->row), vouch_trust_store_get_path (store));

  row->icon = GTK_IMAGE (gtk_image_new ());
  adw_action_row_add_prefix (row->row, GTK_WIDGET (row->icon));

  row->spinner = GTK_SPINNER (gtk_spinner_new ());
  row->admin = GTK_IMAGE (gtk_image_new_from_icon_name ("system-lock-screen-symbolic"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->admin), _("Asks for an administrator password"));
  row->button = GTK_BUTTON (gtk_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (row->button), GTK_ALIGN_CENTER);
  g_signal_connect (row->button, "clicked", G_CALLBACK (row_button_cb), row);
  gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (row->spinner));
  gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (row->admin));
  gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (row->button));
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (row->row, suffix);

  g_object_set_data_full (G_OBJECT (row->row), "vouch-store-row", row,
                          (GDestroyNotify)store_row_free);
  /* The row widget bounds the connection's lifetime. */
  g_signal_connect_object (store, "notify", G_CALLBACK (update_row), row->row, 0);
  update_row (store, NULL, row->row);
  return GTK_WIDGET (row->row);
}

static void
offer_button_cb (GtkButton         *button,
                 VouchTrustSection *self)
{
  VouchTrustStore *store = g_object_get_data (G_OBJECT (button), "vouch-store");

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  vouch_trust_store_install_async (store, self->cancellable, store_installed_cb,
                                   g_object_ref (self));
}

/* Chromium installed and never started has no store; Vouch makes it. */
static GtkWidget *
create_offer_row (VouchTrustSection *self,
                  VouchTrustStore   *store)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Create and Trust"));
  const char *label = _("Create Chromium's certificate store and trust the root there");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Chromium"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Never started, so it has no certificate store yet"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("web-browser-symbolic"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), vouch_trust_store_get_path (store));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Install Everywhere stays the one main button; it creates this too. */
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "vouch-store", g_object_ref (store), g_object_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (offer_button_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void schedule_rebuild (VouchTrustSection *self);

/* Until the first look at the stores ends, every one is unknown: one row
 * says Vouch is looking, rather than ten rows that then fold away. */
static gboolean
first_look (VouchTrustSection *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->stores));

  if (!vouch_home_trust_stores_get_busy (self->stores))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchTrustStore) store = g_list_model_get_item (G_LIST_MODEL (self->stores), i);

      if (vouch_trust_store_get_status (store) != VOUCH_TRUST_STATUS_UNKNOWN ||
          vouch_trust_store_get_message (store) != NULL)
        return FALSE;
    }
  return TRUE;
}

static char *
compute_layout (VouchTrustSection *self,
                VouchTrustStore   *offer)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->stores));
  GString *layout = g_string_new (first_look (self) ? "c" : offer != NULL ? "o" : "-");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchTrustStore) store = g_list_model_get_item (G_LIST_MODEL (self->stores), i);

      g_string_append_c (layout, vouch_trust_store_get_status (store) == VOUCH_TRUST_STATUS_ABSENT
                                   ? 'a' : 'p');
    }
  return g_string_free (layout, FALSE);
}

static void
absent_expanded_cb (AdwExpanderRow    *row,
                    GParamSpec        *pspec,
                    VouchTrustSection *self)
{
  self->absent_expanded = adw_expander_row_get_expanded (row);
}

/* Stores present here come first; the places Vouch looked in and found
 * nothing fold under one row, so they do not push the rest of the page
 * down. */
static void
rebuild (VouchTrustSection *self)
{
  VouchTrustStore *offer = vouch_home_trust_stores_lookup_unstarted_chromium (self->stores);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->stores));
  g_autoptr(GPtrArray) absent = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *child;

  g_free (self->layout);
  self->layout = compute_layout (self, offer);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stores_list))) != NULL)
    gtk_list_box_remove (self->stores_list, child);

  if (self->layout[0] == 'c')
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spinner = gtk_spinner_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Looking for trust stores…"));
      gtk_spinner_start (GTK_SPINNER (spinner));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), spinner);
      gtk_list_box_append (self->stores_list, row);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchTrustStore) store = g_list_model_get_item (G_LIST_MODEL (self->stores), i);

      g_signal_handlers_disconnect_by_func (store, schedule_rebuild, self);
      g_signal_connect_object (store, "notify::status", G_CALLBACK (schedule_rebuild), self,
                               G_CONNECT_SWAPPED);
      if (store == offer || self->layout[0] == 'c')
        continue;
      if (vouch_trust_store_get_status (store) == VOUCH_TRUST_STATUS_ABSENT)
        g_ptr_array_add (absent, g_steal_pointer (&store));
      else
        gtk_list_box_append (self->stores_list, create_row (store, self));
    }

  if (offer != NULL)
    gtk_list_box_append (self->stores_list, create_offer_row (self, offer));

  if (absent->len > 0)
    {
      GtkWidget *expander = adw_expander_row_new ();
      g_autofree char *title = NULL;

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other place, not on this computer",
                                            "%u other places, not on this computer", absent->len),
                               absent->len);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                     _("Browsers and tools Vouch looked for and did not find"));
      for (guint i = 0; i < absent->len; i++)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                  create_row (g_ptr_array_index (absent, i), self));
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), self->absent_expanded);
      g_signal_connect (expander, "notify::expanded", G_CALLBACK (absent_expanded_cb), self);
      gtk_list_box_append (self->stores_list, expander);
    }
}

static gboolean
rebuild_idle_cb (gpointer user_data)
{
  VouchTrustSection *self = user_data;

  self->rebuild_id = 0;
  if (self->stores != NULL)
    rebuild (self);
  return G_SOURCE_REMOVE;
}

/* Runs from a store's notification, so the rows are not replaced while
 * that store is still notifying them. While all the stores are read or
 * changed, rows only update in place; they move once, when that ends. */
static void
schedule_rebuild (VouchTrustSection *self)
{
  g_autofree char *layout = NULL;

  if (self->stores == NULL || self->rebuild_id != 0 || vouch_home_trust_stores_get_busy (self->stores))
    return;
  layout = compute_layout (self, vouch_home_trust_stores_lookup_unstarted_chromium (self->stores));
  if (g_strcmp0 (layout, self->layout) != 0)
    self->rebuild_id = g_idle_add (rebuild_idle_cb, self);
}

/* After the list of stores is made anew, once the look at them started. */
static void
rebuild_soon (VouchTrustSection *self)
{
  g_clear_pointer (&self->layout, g_free);
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add (rebuild_idle_cb, self);
}

static void
stores_refreshed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(VouchTrustSection) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vouch_home_trust_stores_apply_finish (VOUCH_HOME_TRUST_STORES (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    vouch_ui_show_error (GTK_WIDGET (self), _("Some Stores Could Not Be Changed"), error);
}

static void
stores_installed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(VouchTrustSection) self = user_data;
  VouchHomeTrustStores *stores = VOUCH_HOME_TRUST_STORES (object);
  g_autoptr(GError) error = NULL;
  VouchTrustStore *offer;

  if (vouch_home_trust_stores_apply_finish (stores, result, &error))
    vouch_ui_toast (GTK_WIDGET (self), _("The root is installed in every store on this computer"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    vouch_ui_show_error (GTK_WIDGET (self), _("Some Stores Could Not Be Changed"), error);

  /* Everywhere includes a Chromium that has not made its store yet. */
  offer = vouch_home_trust_stores_lookup_unstarted_chromium (stores);
  if (offer != NULL)
    vouch_trust_store_install_async (offer, self->cancellable, store_installed_cb,
                                     g_object_ref (self));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VouchTrustSection *self = VOUCH_TRUST_SECTION (widget);

  if (self->stores == NULL)
    return;
  vouch_home_trust_stores_reload (self->stores);
  vouch_home_trust_stores_apply_async (self->stores, VOUCH_TRUST_CHANGE_NONE, NULL, self->cancellable,
                                       stores_refreshed_cb, g_object_ref (self));
}

static void
install_all_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  VouchTrustSection *self = VOUCH_TRUST_SECTION (widget);

  if (self->stores != NULL)
    vouch_home_trust_stores_apply_async (self->stores, VOUCH_TRUST_CHANGE_INSTALL, NULL,
                                         self->cancellable, stores_installed_cb, g_object_ref (self));
}

static void
bundle_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(VouchTrustSection) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vouch_bundle_write_finish (VOUCH_BUNDLE (object), result, &error))
    vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Export the Bundle"), error);
  else
    vouch_ui_toast (GTK_WIDGET (self), _("Bundle for colleagues exported"));
}

typedef struct
{
  VouchTrustSection *self;
  gboolean           zip;
} ExportRequest;

static void
export_chosen_cb (GFile    *file,
                  gpointer  user_data)
{
  ExportRequest *request = user_data;
  VouchTrustSection *self = request->self;

  if (file != NULL && self->application != NULL)
    {
      VouchRootCa *root = vouch_authority_get_root (vouch_application_get_authority (self->application));
      g_autoptr(VouchBundle) bundle = vouch_bundle_new (vouch_root_ca_get_certificate (root));
      g_autofree char *path = g_file_get_path (file);

      vouch_bundle_write_async (bundle, path, request->zip, self->cancellable, bundle_written_cb,
                                g_object_ref (self));
    }

  g_object_unref (request->self);
  g_free (request);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ExportRequest *request = g_new0 (ExportRequest, 1);
  const char * const zip_patterns[] = { "*.zip", NULL };

  request->self = g_object_ref (VOUCH_TRUST_SECTION (widget));
  request->zip = g_str_equal (action_name, "trust.export-zip");
  vouch_ui_choose_file (widget, request->zip ? _("Export the Bundle as Zip")
                                             : _("Export the Bundle to a New Folder"),
                        TRUE, request->zip ? "vouch-root-bundle.zip" : "vouch-root-bundle",
                        request->zip ? zip_patterns : NULL, export_chosen_cb, request);
}

static void
vouch_trust_section_dispose (GObject *object)
{
  VouchTrustSection *self = (VouchTrustSection *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_TRUST_SECTION);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_clear_object (&self->stores);
  g_clear_pointer (&self->layout, g_free);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_trust_section_parent_class)->dispose (object);
}

static void
vouch_trust_section_class_init (VouchTrustSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_trust_section_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-trust-section.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchTrustSection, stores_list);

  gtk_widget_class_install_action (widget_class, "trust.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "trust.install-all", NULL, install_all_action);
  gtk_widget_class_install_action (widget_class, "trust.export-folder", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "trust.export-zip", NULL, export_action);
}

static void
vouch_trust_section_init (VouchTrustSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

void
vouch_trust_section_set_application (VouchTrustSection *self,
                                     VouchApplication  *application)
{
  VouchRootCa *root;

  g_return_if_fail (VOUCH_IS_TRUST_SECTION (self));

  g_set_weak_pointer (&self->application, application);
  root = vouch_authority_get_root (vouch_application_get_authority (application));
  if (root == NULL)
    return;

  if (self->stores == NULL)
    {
      self->stores = vouch_home_trust_stores_new (NULL, vouch_root_ca_get_certificate (root));
      g_signal_connect_object (self->stores, "items-changed", G_CALLBACK (rebuild_soon), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->stores, "notify::busy", G_CALLBACK (schedule_rebuild), self,
                               G_CONNECT_SWAPPED);
      rebuild_soon (self);
    }
  else
    vouch_home_trust_stores_set_certificate (self->stores, vouch_root_ca_get_certificate (root));

  vouch_home_trust_stores_apply_async (self->stores, VOUCH_TRUST_CHANGE_NONE, NULL, self->cancellable,
                                       stores_refreshed_cb, g_object_ref (self));
}

VouchHomeTrustStores *
_vouch_trust_section_get_stores (VouchTrustSection *self)
{
  g_return_val_if_fail (VOUCH_IS_TRUST_SECTION (self), NULL);
  return self->stores;
}
