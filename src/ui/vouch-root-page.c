/* vouch-root-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-root-page.h"

#include "vouch-trust-section.h"

#include "vouch-clock.h"
#include "vouch-expiry.h"
#include "vouch-root-actions.h"
#include "vouch-root-rollover.h"
#include "vouch-root-token.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>
#include <qrencode.h>

/* Four modules of white around the code, as the QR standard asks, and
 * whole pixels per module so the code stays sharp at any size. */
#define QR_QUIET_ZONE 4
#define QR_MODULE_PIXELS 6

struct _VouchRootPage
{
  AdwBin               parent_instance;

  VouchApplication    *application;
  GPtrArray           *name_rows;

  VouchTrustSection   *trust_section;
  AdwActionRow        *subject_row;
  GtkLabel            *fingerprint_label;
  GtkPicture          *qr_picture;
  AdwActionRow        *valid_from_row;
  AdwActionRow        *valid_until_row;
  AdwActionRow        *key_type_row;
  AdwPreferencesGroup *names_group;
  AdwPreferencesGroup *rollover_group;
  AdwActionRow        *rollover_row;
  AdwActionRow        *key_place_row;
  GtkWidget           *move_row;
};

G_DEFINE_FINAL_TYPE (VouchRootPage, vouch_root_page, ADW_TYPE_BIN)

static VouchAuthority *
get_authority (VouchRootPage *self)
{
  return self->application != NULL ? vouch_application_get_authority (self->application) : NULL;
}

static VouchRootCa *
get_root (VouchRootPage *self)
{
  VouchAuthority *authority = get_authority (self);

  return authority != NULL ? vouch_authority_get_root (authority) : NULL;
}

/**
 * vouch_root_page_format_fingerprint:
 * @sha256: a fingerprint as colon-separated hex pairs
 *
 * Lays a fingerprint out for reading aloud: pairs separated by spaces,
 * eight to a line.
 *
 * Returns: (transfer full): the grouped fingerprint
 */
char *
vouch_root_page_format_fingerprint (const char *sha256)
{
  g_return_val_if_fail (sha256 != NULL, NULL);

  return vouch_ui_format_fingerprint (sha256);
}

/* Black modules on white, three bytes a pixel: GDK 4.8 has no one-byte
 * grey format, and black and white are the same byte in every channel,
 * so whole runs are filled with memset. */
static GdkTexture *
make_qr_texture (const char *text)
{
  g_autoptr(GBytes) bytes = NULL;
  QRcode *code;
  guint8 *pixels;
  gsize stride;
  int size;

  /* Upper-case hex and colons fit QR's alphanumeric mode: a smaller code
   * that phone cameras read from further away. */
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, FALSE);
  if (code == NULL)
    return NULL;

  size = (code->width + 2 * QR_QUIET_ZONE) * QR_MODULE_PIXELS;
  stride = (gsize)size * 3;
  pixels = g_malloc (stride * size);
  memset (pixels, 0xff, stride * size);

  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      {
        if ((code->data[y * code->width + x] & 1) == 0)
          continue;

        for (int dy = 0; dy < QR_MODULE_PIXELS; dy++)
          memset (pixels + ((y + QR_QUIET_ZONE) * QR_MODULE_PIXELS + dy) * stride
                         + (x + QR_QUIET_ZONE) * QR_MODULE_PIXELS * 3,
                  0x00, QR_MODULE_PIXELS * 3);
      }

  QRcode_free (code);
  bytes = g_bytes_new_take (pixels, stride * size);
  return gdk_memory_texture_new (size, size, GDK_MEMORY_R8G8B8, bytes, stride);
}

static char *
describe_days_left (gint64 not_after)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 days = (not_after - now) / (24 * 60 * 60);

  if (not_after <= now)
    return g_strdup (_("Expired: devices will stop trusting its certificates"));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day left", "%d days left",
                                       (unsigned long)MIN (days, G_MAXINT)),
                          (int)MIN (days, G_MAXINT));
}

static void
clear_name_rows (VouchRootPage *self)
{
  for (guint i = 0; i < self->name_rows->len; i++)
    adw_preferences_group_remove (self->names_group, g_ptr_array_index (self->name_rows, i));
  g_ptr_array_set_size (self->name_rows, 0);
}

static void
add_name_row (VouchRootPage *self,
              GtkWidget     *row)
{
  adw_preferences_group_add (self->names_group, row);
  g_ptr_array_add (self->name_rows, row);
}

static void
show_constraints (VouchRootPage        *self,
                  VouchNameConstraints *constraints)
{
  g_auto(GStrv) permitted = NULL;

  clear_name_rows (self);

  /* An unconstrained root is the one thing on this page worth alarm:
   * say so where the names would be, not in small print. */
  if (constraints == NULL || vouch_name_constraints_get_unconstrained (constraints))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Any Name"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("This root may sign for any website. If its key leaked, "
                                     "it could impersonate your bank or your mail to every "
                                     "device that trusts it."));
      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Warning"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      add_name_row (self, row);
      return;
    }

  permitted = vouch_name_constraints_dup_permitted (constraints);
  for (guint i = 0; permitted[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), permitted[i]);
      if (permitted[i][0] == '.')
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Names in this domain"));
      else if (strchr (permitted[i], '/') != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Addresses in this range"));
      add_name_row (self, row);
    }
}

/* A year ahead, the root's expiry comes first on the page. */
static void
show_rollover (VouchRootPage *self,
               VouchRootCa   *root)
{
  g_autofree char *title = NULL;
  int days = 0;

  if (!vouch_expiry_root_needs_warning (root, vouch_clock_now (), &days))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->rollover_group), FALSE);
      return;
    }

  if (days <= 0)
    title = g_strdup (_("The root has expired"));
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The root expires in %d day",
                                          "The root expires in %d days", days), days);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rollover_row), title);
  gtk_widget_set_visible (GTK_WIDGET (self->rollover_group), TRUE);
}

/**
 * vouch_root_page_refresh:
 *
 * Shows the current root again, for instance after a restore replaced
 * it.
 */
/* Where the key lives decides what Back Up can do: a token's key cannot
 * leave it, so backing up is offered only for the keyring. */
static void
show_key_place (VouchRootPage *self)
{
  VouchAuthority *authority = get_authority (self);
  g_autofree char *meaning = NULL;
  g_autofree char *place = vouch_root_token_describe_place (authority, &meaning);
  g_autofree char *subtitle = g_strdup_printf ("%s. %s", place, meaning);
  gboolean on_token = vouch_authority_get_token_key (authority) != NULL;

  adw_action_row_set_subtitle (self->key_place_row, subtitle);
  gtk_widget_set_visible (self->move_row, !on_token);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "root.backup", !on_token);
}

void
vouch_root_page_refresh (VouchRootPage *self)
{
  VouchRootCa *root;
  VouchCertificate *cert;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *left = NULL;
  g_autofree char *until_text = NULL;

  g_return_if_fail (VOUCH_IS_ROOT_PAGE (self));

  root = get_root (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), root != NULL);
  if (root == NULL)
    return;

  cert = vouch_root_ca_get_certificate (root);
  adw_action_row_set_subtitle (self->subject_row, vouch_certificate_get_subject (cert));

  grouped = vouch_root_page_format_fingerprint (vouch_root_ca_get_sha256 (root));
  gtk_label_set_label (self->fingerprint_label, grouped);

  texture = make_qr_texture (vouch_root_ca_get_sha256 (root));
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (texture));

  from = vouch_ui_format_date (vouch_certificate_get_not_before (cert));
  until = vouch_ui_format_date (vouch_certificate_get_not_after (cert));
  left = describe_days_left (vouch_certificate_get_not_after (cert));
  adw_action_row_set_subtitle (self->valid_from_row, from);
  /* Translators: a date, then how long until then, e.g. "3 March 2035 (3651 days left)". */
  until_text = g_strdup_printf (_("%s (%s)"), until, left);
  adw_action_row_set_subtitle (self->valid_until_row, until_text);
  adw_action_row_set_subtitle (self->key_type_row, vouch_certificate_get_key_description (cert));

  show_constraints (self, vouch_root_ca_get_constraints (root));
  show_rollover (self, root);
  show_key_place (self);
}

static void
plan_rollover_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  VouchRootPage *self = VOUCH_ROOT_PAGE (widget);

  if (self->application != NULL)
    vouch_root_rollover_show (widget, self->application);
}

static void
copy_fingerprint_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  VouchRootPage *self = VOUCH_ROOT_PAGE (widget);
  VouchRootCa *root = get_root (self);

  if (root == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), vouch_root_ca_get_sha256 (root));
  vouch_ui_toast (widget, _("Fingerprint copied"));
}

static void
backup_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VouchAuthority *authority = get_authority (VOUCH_ROOT_PAGE (widget));

  if (authority != NULL)
    vouch_root_actions_backup (widget, authority);
}

/* The restore flow calls back only on success, and may outlive the page,
 * so it holds the page through a weak reference, which the flow frees
 * however it ends. */
static void
restored_cb (gpointer user_data)
{
  g_autoptr(VouchRootPage) self = g_weak_ref_get (user_data);

  if (self != NULL)
    vouch_root_page_refresh (self);
}

static void
free_weak_ref (gpointer user_data)
{
  GWeakRef *ref = user_data;

  g_weak_ref_clear (ref);
  g_free (ref);
}

/* Restoring and moving the key both change the root the page shows;
 * each flow refreshes the page when it succeeds. */
static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VouchAuthority *authority = get_authority (VOUCH_ROOT_PAGE (widget));
  GWeakRef *ref;

  if (authority == NULL)
    return;

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, widget);
  if (g_str_equal (action_name, "root.restore"))
    vouch_root_actions_restore (widget, authority, G_CALLBACK (restored_cb), ref, free_weak_ref);
  else
    vouch_root_token_move (widget, authority, G_CALLBACK (restored_cb), ref, free_weak_ref);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VouchAuthority *authority = get_authority (VOUCH_ROOT_PAGE (widget));

  if (authority != NULL)
    vouch_root_actions_export (widget, authority, g_str_equal (action_name, "root.export-der"));
}

static void
vouch_root_page_dispose (GObject *object)
{
  VouchRootPage *self = (VouchRootPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_ROOT_PAGE);
  g_clear_pointer (&self->name_rows, g_ptr_array_unref);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_root_page_parent_class)->dispose (object);
}

static void
vouch_root_page_class_init (VouchRootPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_root_page_dispose;

  g_type_ensure (VOUCH_TYPE_TRUST_SECTION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-root-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, trust_section);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, valid_from_row);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, valid_until_row);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, key_type_row);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, names_group);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, rollover_group);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, rollover_row);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, key_place_row);
  gtk_widget_class_bind_template_child (widget_class, VouchRootPage, move_row);

  gtk_widget_class_install_action (widget_class, "root.copy-fingerprint", NULL,
                                   copy_fingerprint_action);
  gtk_widget_class_install_action (widget_class, "root.backup", NULL, backup_action);
  gtk_widget_class_install_action (widget_class, "root.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "root.move-to-token", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "root.export-pem", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "root.export-der", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "root.plan-rollover", NULL,
                                   plan_rollover_action);
}

static void
vouch_root_page_init (VouchRootPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->name_rows = g_ptr_array_new ();
  /* The root's expiry warning depends on the day the page is shown. */
  g_signal_connect (self, "map", G_CALLBACK (vouch_root_page_refresh), NULL);
}

void
vouch_root_page_set_application (VouchRootPage    *self,
                                 VouchApplication *application)
{
  g_return_if_fail (VOUCH_IS_ROOT_PAGE (self));
  g_return_if_fail (application == NULL || VOUCH_IS_APPLICATION (application));

  g_set_weak_pointer (&self->application, application);
  vouch_root_page_refresh (self);
  if (application != NULL)
    vouch_trust_section_set_application (self->trust_section, application);
}
