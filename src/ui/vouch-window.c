/* vouch-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-window.h"

#include "vouch-audit-page.h"
#include "vouch-certificates-page.h"
#include "vouch-devices-page.h"
#include "vouch-root-page.h"
#include "vouch-sign-page.h"
#include "vouch-welcome-page.h"

#include <glib/gi18n.h>

struct _VouchWindow
{
  AdwApplicationWindow  parent_instance;

  VouchApplication     *application;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkWidget            *back_button;
  guint                 header_idle;
  AdwStatusPage        *error_page;
  VouchWelcomePage     *welcome_page;
  VouchDevicesPage     *devices_page;
  VouchCertificatesPage *certificates_page;
  VouchAuditPage       *audit_page;
  VouchRootPage        *root_page;
  VouchSignPage        *sign_page;
};

G_DEFINE_FINAL_TYPE (VouchWindow, vouch_window, ADW_TYPE_APPLICATION_WINDOW)

static VouchApplication *
get_application (VouchWindow *self)
{
  return self->application;
}

static void
show_main (VouchWindow *self)
{
  VouchApplication *application = get_application (self);
  const GError *error = vouch_application_get_load_error (application);
  VouchAuthority *authority = vouch_application_get_authority (application);

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
    }
  else if (vouch_authority_get_root (authority) == NULL)
    {
      vouch_welcome_page_set_application (self->welcome_page, application);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
    }
  else
    {
      vouch_devices_page_set_application (self->devices_page, application);
      vouch_certificates_page_set_application (self->certificates_page, application);
      vouch_audit_page_set_application (self->audit_page, application);
      vouch_root_page_set_application (self->root_page, application);
      vouch_sign_page_set_application (self->sign_page, application);
      gtk_stack_set_visible_child_name (self->main_stack, "main");
    }
}

/* A device's details on a narrow window: its name as the title, and the
 * way back to the list where a back button belongs, in the header bar. */
static gboolean
update_header_idle (gpointer user_data)
{
  VouchWindow *self = user_data;
  const char *title = NULL;

  self->header_idle = 0;
  if (adw_view_stack_get_visible_child (self->view_stack) == GTK_WIDGET (self->devices_page))
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
  vouch_devices_page_navigate_back (self->devices_page);
}

static void
welcome_root_ready_cb (VouchWindow *self)
{
  show_main (self);
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

  show_main (self);
}

static void
vouch_window_dispose (GObject *object)
{
  VouchWindow *self = (VouchWindow *)object;

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
  window_class->close_request = vouch_window_close_request;

  g_type_ensure (VOUCH_TYPE_WELCOME_PAGE);
  g_type_ensure (VOUCH_TYPE_DEVICES_PAGE);
  g_type_ensure (VOUCH_TYPE_CERTIFICATES_PAGE);
  g_type_ensure (VOUCH_TYPE_AUDIT_PAGE);
  g_type_ensure (VOUCH_TYPE_ROOT_PAGE);
  g_type_ensure (VOUCH_TYPE_SIGN_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, devices_page);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, certificates_page);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, audit_page);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, root_page);
  gtk_widget_class_bind_template_child (widget_class, VouchWindow, sign_page);
  gtk_widget_class_bind_template_callback (widget_class, welcome_root_ready_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_header_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
}

static void
vouch_window_init (VouchWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

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

void
vouch_window_show_page (VouchWindow *self,
                        const char  *name)
{
  g_return_if_fail (VOUCH_IS_WINDOW (self));

  if (g_strcmp0 (name, "welcome") == 0 || g_strcmp0 (name, "main") == 0)
    {
      show_main (self);
      return;
    }

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}
