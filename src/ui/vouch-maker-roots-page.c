/* vouch-maker-roots-page.c
 *
 * The roots of device makers Vouch trusts to vouch for their devices
 * (IEEE 802.1AR IDevID style), shown as a subpage of Preferences: each
 * root's subject and SHA-256 fingerprint, Add… (a file chooser, or a file
 * dropped on the page, through the same code) and a remove button per
 * root. The list is the core's VouchManufacturerRoots, which vouchctl
 * maker-roots edits too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-maker-roots-page.h"
#include "vouch-maker-roots-page-private.h"

#include "vouch-ui-util.h"

#include <glib/gi18n.h>

/* A root is one certificate: refuse anything far larger before reading. */
#define MAX_ROOT_FILE (256 * 1024)

struct _VouchMakerRootsPage
{
  GtkBox                  parent_instance;

  VouchAuthority         *authority;
  VouchManufacturerRoots *roots;
  GCancellable           *cancellable;

  AdwPreferencesGroup    *roots_group;
  GtkListBox             *list_box;
};

enum {
  PROP_0,
  PROP_AUTHORITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchMakerRootsPage, vouch_maker_roots_page, GTK_TYPE_BOX)

/* Inside Preferences toasts go to its overlay; elsewhere, to the window's. */
static void
toast (VouchMakerRootsPage *self,
       const char          *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (text));
  else
    vouch_ui_toast (GTK_WIDGET (self), text);
}

static void
remove_clicked_cb (GtkButton           *button,
                   VouchMakerRootsPage *self)
{
  const char *fingerprint = g_object_get_data (G_OBJECT (button), "vouch-fingerprint");
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  VouchCertificate *root = vouch_manufacturer_roots_find (self->roots, fingerprint);

  if (root != NULL)
    subject = vouch_manufacturer_roots_dup_subject (root);
  if (!vouch_manufacturer_roots_remove (self->roots, fingerprint, &error))
    {
      vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Remove the Root"), error);
      return;
    }

  {
    /* Translators: the subject of a device maker's root certificate. */
    g_autofree char *text = g_strdup_printf (_("Removed “%s”"), subject != NULL ? subject : "");

    toast (self, text);
  }
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  VouchCertificate *root = item;
  g_autofree char *subject = vouch_manufacturer_roots_dup_subject (root);
  g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), subject);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  /* The subject comes from someone else's file: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), subject);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), vouch_certificate_get_sha256 (root));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove"));
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data_full (G_OBJECT (button), "vouch-fingerprint",
                          g_strdup (vouch_certificate_get_sha256 (root)), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_clicked_cb), user_data);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VouchMakerRootsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  g_autoptr(VouchCertificate) root = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;

  if (bytes != NULL)
    root = vouch_manufacturer_roots_add (self->roots, bytes, &error);
  if (root == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vouch_ui_show_error (GTK_WIDGET (self), _("Could Not Import the Root"), error);
      return;
    }

  subject = vouch_manufacturer_roots_dup_subject (root);
  /* Translators: the subject of a device maker's root certificate. */
  text = g_strdup_printf (_("Imported “%s”"), subject);
  toast (self, text);
}

static void
import_file (VouchMakerRootsPage *self,
             GFile               *file)
{
  g_autoptr(GFileInfo) info = NULL;

  /* Checked before reading, so a disk image dropped by mistake is not. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            NULL, NULL);
  if (info != NULL && g_file_info_get_size (info) > MAX_ROOT_FILE)
    {
      toast (self, _("That file is too large to be a root certificate"));
      return;
    }

  g_file_load_bytes_async (file, self->cancellable, file_loaded_cb, g_object_ref (self));
}

static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  g_autoptr(VouchMakerRootsPage) self = user_data;

  if (file != NULL)
    import_file (self, file);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  const char * const patterns[] = { "*.pem", "*.crt", "*.cer", "*.der", NULL };

  vouch_ui_choose_file (widget, _("Import a Manufacturer Root"), FALSE, NULL, patterns,
                        file_chosen_cb, g_object_ref (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkWidget *window = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (window));
}

/* The same path as Add…, for a root dragged from the file manager. */
static gboolean
drop_cb (GtkDropTarget       *target,
         const GValue        *value,
         double               x,
         double               y,
         VouchMakerRootsPage *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;
  for (GSList *l = files; l != NULL; l = l->next)
    import_file (self, l->data);
  return TRUE;
}

static void
vouch_maker_roots_page_constructed (GObject *object)
{
  VouchMakerRootsPage *self = (VouchMakerRootsPage *)object;
  g_autoptr(GError) error = NULL;
  GtkWidget *placeholder;

  G_OBJECT_CLASS (vouch_maker_roots_page_parent_class)->constructed (object);

  self->roots = vouch_manufacturer_roots_new_for_authority (self->authority);
  if (!vouch_manufacturer_roots_load (self->roots, &error))
    adw_preferences_group_set_description (self->roots_group, error->message);

  placeholder = gtk_label_new (_("No maker's root is imported: every device is verified by its "
                                 "setup code"));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->list_box, placeholder);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->roots), create_row, self, NULL);
}

static void
vouch_maker_roots_page_dispose (GObject *object)
{
  VouchMakerRootsPage *self = (VouchMakerRootsPage *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_MAKER_ROOTS_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->roots);
  g_clear_object (&self->authority);

  G_OBJECT_CLASS (vouch_maker_roots_page_parent_class)->dispose (object);
}

static void
vouch_maker_roots_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  VouchMakerRootsPage *self = VOUCH_MAKER_ROOTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUTHORITY:
      g_value_set_object (value, self->authority);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_maker_roots_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  VouchMakerRootsPage *self = VOUCH_MAKER_ROOTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUTHORITY:
      self->authority = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_maker_roots_page_class_init (VouchMakerRootsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vouch_maker_roots_page_constructed;
  object_class->dispose = vouch_maker_roots_page_dispose;
  object_class->get_property = vouch_maker_roots_page_get_property;
  object_class->set_property = vouch_maker_roots_page_set_property;

  properties[PROP_AUTHORITY] =
    g_param_spec_object ("authority", NULL, NULL, VOUCH_TYPE_AUTHORITY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-maker-roots-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchMakerRootsPage, roots_group);
  gtk_widget_class_bind_template_child (widget_class, VouchMakerRootsPage, list_box);
  gtk_widget_class_install_action (widget_class, "maker-roots.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "maker-roots.back", NULL, back_action);
}

static void
vouch_maker_roots_page_init (VouchMakerRootsPage *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/**
 * vouch_maker_roots_page_new:
 * @authority: where the roots are kept, and imports recorded
 */
GtkWidget *
vouch_maker_roots_page_new (VouchAuthority *authority)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (authority), NULL);

  return g_object_new (VOUCH_TYPE_MAKER_ROOTS_PAGE, "authority", authority, NULL);
}

/**
 * _vouch_maker_roots_page_get_roots:
 *
 * Returns: (transfer none): the roots the page shows
 */
VouchManufacturerRoots *
_vouch_maker_roots_page_get_roots (VouchMakerRootsPage *self)
{
  g_return_val_if_fail (VOUCH_IS_MAKER_ROOTS_PAGE (self), NULL);
  return self->roots;
}
