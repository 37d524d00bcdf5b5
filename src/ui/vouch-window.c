/* vouch-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-window.h"

#include "vouch-acme-page.h"
#include "vouch-audit-page.h"
#include "vouch-certificates-page.h"
#include "vouch-devices-page.h"
#include "vouch-root-page.h"
#include "vouch-sign-page.h"
#include "vouch-welcome-page.h"

#include <glib/gi18n.h>

/* The window shows its first frame with a light loading page, and builds
 * the pages (each a template of its own, measured, styled and shaped)
 * only after that frame is on screen and the application has read its
 * data folder. Pages are made in code and put into the slots the
 * template keeps for them (AdwBin), so the template stays the map of the
 * window. */
struct _VouchWindow
{
  AdwApplicationWindow  parent_instance;

  VouchApplication     *application;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkSpinner           *loading_spinner;
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkWidget            *back_button;
  guint                 header_idle;
  AdwStatusPage        *error_page;
  AdwBin               *welcome_slot;
  AdwBin               *devices_slot;
  AdwBin               *certificates_slot;
  AdwBin               *audit_slot;
  AdwBin               *acme_slot;
  AdwBin               *root_slot;
  AdwBin               *sign_slot;

  /* Owned by their slots once made. */
  VouchWelcomePage     *welcome_page;
  VouchDevicesPage     *devices_page;
  VouchCertificatesPage *certificates_page;
  VouchAuditPage       *audit_page;
  VouchAcmePage        *acme_page;
  VouchRootPage        *root_page;
  VouchSignPage        *sign_page;

  char                 *pending_page;
  gulong                after_paint_id;
  guint                 build_id;
  guint                 painted : 1;
  guint                 loaded : 1;
};

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchWindow, vouch_window, ADW_TYPE_APPLICATION_WINDOW)

static VouchApplication *
get_application (VouchWindow *self)
{
  return self->application;
}

static void show_main (VouchWindow *self);

static void
welcome_root_ready_cb (VouchWindow *self)
{
  show_main (self);
}

static void
ensure_welcome_page (VouchWindow *self)
{
  if (self->welcome_page != NULL)
    return;

  self->welcome_page = g_object_new (VOUCH_TYPE_WELCOME_PAGE, NULL);
  g_signal_connect_object (self->welcome_page, "root-ready", G_CALLBACK (welcome_root_ready_cb),
                           self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->welcome_slot, GTK_WIDGET (self->welcome_page));
}

static void update_header_cb (VouchWindow *self);

static void
ensure_main_pages (VouchWindow *self)
{
  if (self->devices_page != NULL)
    return;

  self->devices_page = g_object_new (VOUCH_TYPE_DEVICES_PAGE, NULL);
  g_signal_connect_object (self->devices_page, "notify::details-title",
                           G_CALLBACK (update_header_cb), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->devices_slot, GTK_WIDGET (self->devices_page));
  self->certificates_page = g_object_new (VOUCH_TYPE_CERTIFICATES_PAGE, NULL);
  adw_bin_set_child (self->certificates_slot, GTK_WIDGET (self->certificates_page));
  self->root_page = g_object_new (VOUCH_TYPE_ROOT_PAGE, NULL);
  adw_bin_set_child (self->root_slot, GTK_WIDGET (self->root_page));
  self->sign_page = g_object_new (VOUCH_TYPE_SIGN_PAGE, NULL);
  adw_bin_set_child (self->sign_slot, GTK_WIDGET (self->sign_page));
  self->audit_page = g_object_new (VOUCH_TYPE_AUDIT_PAGE, NULL);
  adw_bin_set_child (self->audit_slot, GTK_WIDGET (self->audit_page));
  self->acme_page = g_object_new (VOUCH_TYPE_ACME_PAGE, NULL);
  adw_bin_set_child (self->acme_slot, GTK_WIDGET (self->acme_page));

  /* A switcher makes a button per page, three switchers in all: made
   * here rather than in the template, so not before the first frame. */
  adw_view_switcher_title_set_stack (self->switcher_title, self->view_stack);
  adw_view_switcher_bar_set_stack (self->switcher_bar, self->view_stack);
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
main_shown (VouchWindow *self)
{
  return self->loaded &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0;
}

/* The search of the page shown, if it has one. */
static GtkWidget *
get_page_search (VouchWindow *self)
{
  GtkWidget *page;

  if (!main_shown (self))
    return NULL;
  page = adw_view_stack_get_visible_child (self->view_stack);
  return page != NULL ? find_search_entry (page) : NULL;
}

static void
update_actions (VouchWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", get_page_search (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-device", main_shown (self));
}

static void
show_main (VouchWindow *self)
{
  VouchApplication *application = get_application (self);
  const GError *error;
  VouchAuthority *authority;

  /* Still loading: vouch_window_show_page() names the page to show once
   * loaded, and build_pages_cb() comes back here. */
  if (!self->painted || !vouch_application_get_loaded (application))
    return;

  error = vouch_application_get_load_error (application);
  authority = vouch_application_get_authority (application);
  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
    }
  else if (vouch_authority_get_root (authority) == NULL)
    {
      ensure_welcome_page (self);
      vouch_welcome_page_set_application (self->welcome_page, application);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
    }
  else
    {
      ensure_main_pages (self);
      vouch_devices_page_set_application (self->devices_page, application);
      vouch_certificates_page_set_application (self->certificates_page, application);
      vouch_audit_page_set_application (self->audit_page, application);
      vouch_acme_page_set_application (self->acme_page, application);
      vouch_root_page_set_application (self->root_page, application);
      vouch_sign_page_set_application (self->sign_page, application);
      gtk_stack_set_visible_child_name (self->main_stack, "main");
    }

  if (self->loaded)
    {
      update_actions (self);
      return;
    }
  self->loaded = TRUE;
  gtk_spinner_stop (self->loading_spinner);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static gboolean
build_pages_cb (gpointer user_data)
{
  VouchWindow *self = user_data;
  g_autofree char *pending = g_steal_pointer (&self->pending_page);

  self->build_id = 0;
  show_main (self);
  if (pending != NULL)
    vouch_window_show_page (self, pending);
  return G_SOURCE_REMOVE;
}

/* Builds the pages from an idle, out of the frame clock's paint. */
static void
queue_build (VouchWindow *self)
{
  if (self->build_id == 0 && !self->loaded && self->painted &&
      self->application != NULL && vouch_application_get_loaded (self->application))
    self->build_id = g_idle_add (build_pages_cb, self);
}

/* A device's details on a narrow window: its name as the title, and the
 * way back to the list where a back button belongs, in the header bar. */
static gboolean
update_header_idle (gpointer user_data)
{
  VouchWindow *self = user_data;
  const char *title = NULL;

  self->header_idle = 0;
  if (self->devices_page != NULL &&
      adw_view_stack_get_visible_child (self->view_stack) == GTK_WIDGET (self->devices_slot))
    title = vouch_devices_page_get_details_title (self->devices_page);
  gtk_widget_set_visible (self->back_button, title != NULL);
  adw_view_switcher_title_set_title (self->switcher_title, title != NULL ? title : _("Vouch"));
  return G_SOURCE_REMOVE;
}

/* The leaflet folds while the window is being laid out: changing the
 * header bar then would leave it unallocated for that frame, so the change
 * waits for the layout to finish. */
static void
update_header_cb (VouchWindow *self)
{
  if (self->header_idle == 0)
    self->header_idle = g_idle_add (update_header_idle, self);
}

static void
back_clicked_cb (VouchWindow *self)
{
  if (self->devices_page != NULL)
    vouch_devices_page_navigate_back (self->devices_page);
}

static void
application_loaded_cb (VouchWindow *self)
{
  queue_build (self);
}

static void
after_paint_cb (GdkFrameClock *clock,
                VouchWindow   *self)
{
  g_clear_signal_handler (&self->after_paint_id, clock);
  self->painted = TRUE;
  queue_build (self);
}

static void
vouch_window_realize (GtkWidget *widget)
{
  VouchWindow *self = VOUCH_WINDOW (widget);

  GTK_WIDGET_CLASS (vouch_window_parent_class)->realize (widget);

  if (!self->painted && self->after_paint_id == 0)
    self->after_paint_id = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                             G_CALLBACK (after_paint_cb), self);
}

static void
vouch_window_unrealize (GtkWidget *widget)
{
  VouchWindow *self = VOUCH_WINDOW (widget);

  g_clear_signal_handler (&self->after_paint_id, gtk_widget_get_frame_clock (widget));
  GTK_WIDGET_CLASS (vouch_window_parent_class)->unrealize (widget);
}

static void
view_page_changed_cb (VouchWindow *self)
{
  update_actions (self);
  update_header_cb (self);
}

/* Ctrl+F, from anywhere in the window: the search of the page shown,
 * brought into view (a folded leaflet showing details, a closed search
 * bar) and focused. */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VouchWindow *self = VOUCH_WINDOW (widget);
  GtkWidget *entry = get_page_search (self);
  GtkWidget *bar;

  if (entry == NULL)
    return;

  for (GtkWidget *child = entry, *parent = gtk_widget_get_parent (entry); parent != NULL;
       child = parent, parent = gtk_widget_get_parent (parent))
    if (ADW_IS_LEAFLET (parent))
      adw_leaflet_set_visible_child (ADW_LEAFLET (parent), child);

  bar = gtk_widget_get_ancestor (entry, GTK_TYPE_SEARCH_BAR);
  if (bar != NULL)
    gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (bar), TRUE);

  gtk_widget_grab_focus (entry);
}

/* GtkApplication builds a shortcuts window for every window it is given,
 * before that window's first frame, if it finds gtk/help-overlay.ui; the
 * resource is elsewhere, and this builds it the first time it is asked
 * for (the window's own action of this name is never reached: class
 * actions come first). */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = NULL;

      builder = gtk_builder_new_from_resource ("/io/github/vouchpki/Vouch/vouch-shortcuts.ui");
      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

/* Ctrl+N, from anywhere in the window: Add Device, on the Devices page. */
static void
add_device_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  VouchWindow *self = VOUCH_WINDOW (widget);

  if (self->devices_page == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "devices");
  gtk_widget_activate_action (GTK_WIDGET (self->devices_page), "devices.add", NULL);
}

static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  vouch_window_add_toast (VOUCH_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  vouch_window_show_page (VOUCH_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
save_size (VouchWindow *self)
{
  GSettings *settings = vouch_application_get_settings (get_application (self));
  int width = 0;
  int height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
vouch_window_close_request (GtkWindow *window)
{
  save_size (VOUCH_WINDOW (window));
  return GTK_WINDOW_CLASS (vouch_window_parent_class)->close_request (window);
}

/* Runs once the application is known; GtkWindow only learns it after
 * construction. */
static void
setup (VouchWindow *self)
{
  GSettings *settings;

  settings = vouch_application_get_settings (get_application (self));
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->application, "notify::loaded",
                           G_CALLBACK (application_loaded_cb), self, G_CONNECT_SWAPPED);
  queue_build (self);
}

static void
vouch_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VouchWindow *self = VOUCH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_window_dispose (GObject *object)
{
  VouchWindow *self = (VouchWindow *)object;

  g_clear_handle_id (&self->build_id, g_source_remove);
  g_clear_pointer (&self->pending_page, g_free);

  /* libadwaita 1.2 warns if the stack goes before its switchers. */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  g_clear_handle_id (&self->header_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), VOUCH_TYPE_WINDOW);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_window_parent_class)->dispose (object);
}

static void
vouch_window_class_init (VouchWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = vouch_window_dispose;
  object_class->get_property = vouch_window_get_property;
  widget_class->realize = vouch_window_realize;
  widget_class->unrealize = vouch_window_unrealize;
  window_class->close_request = vouch_window_close_request;

  /**
   * VouchWindow:loaded:
   *
   * Whether the window shows its pages (the welcome page, the main pages
   * or the error page) rather than its loading page: after its first
   * frame, once the application is #VouchApplication:loaded.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, welcome_slot);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, devices_slot);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, certificates_slot);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, audit_slot);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, acme_slot);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, root_slot);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, sign_slot);
  gtk_widget_class_bind_template_callback (widget_class, view_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.add-device", NULL, add_device_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_action);
}

static void
vouch_window_init (VouchWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);

#ifdef DEVELOPMENT_PROFILE
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

VouchWindow *
vouch_window_new (VouchApplication *application)
{
  VouchWindow *self;

  g_return_val_if_fail (VOUCH_IS_APPLICATION (application), NULL);

  self = g_object_new (VOUCH_TYPE_WINDOW, "application", application, NULL);
  g_set_weak_pointer (&self->application, application);
  setup (self);
  return self;
}

/**
 * vouch_window_add_toast:
 *
 * Shows the result of an operation. Pages reach this through the
 * `win.toast` action, so they need not know the window.
 */
void
vouch_window_add_toast (VouchWindow *self,
                        const char  *text)
{
  AdwToast *toast;

  g_return_if_fail (VOUCH_IS_WINDOW (self));

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * vouch_window_get_loaded:
 *
 * Returns: whether the window shows its pages; see #VouchWindow:loaded
 */
gboolean
vouch_window_get_loaded (VouchWindow *self)
{
  g_return_val_if_fail (VOUCH_IS_WINDOW (self), FALSE);
  return self->loaded;
}

/**
 * vouch_window_show_page:
 *
 * Shows the page @name ("devices", "root", …, or "main" for the pages
 * that fit the data folder); before the window has loaded, once it has.
 */
void
vouch_window_show_page (VouchWindow *self,
                        const char  *name)
{
  g_return_if_fail (VOUCH_IS_WINDOW (self));

  if (!self->loaded)
    {
      g_free (self->pending_page);
      self->pending_page = g_strdup (name);
      return;
    }

  if (g_strcmp0 (name, "welcome") == 0 || g_strcmp0 (name, "main") == 0)
    {
      show_main (self);
      return;
    }

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}
