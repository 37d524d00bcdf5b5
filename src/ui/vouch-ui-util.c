/* vouch-ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-ui-util.h"
#include "vouch-key-store.h"

#include <glib/gi18n.h>

#include "vouch-resources.h"

/**
 * vouch_ui_register_resources:
 *
 * Makes the templates, styles and shortcuts available. Registered by hand
 * rather than by a constructor, because the widgets live in a static
 * library and a constructor in an unreferenced object would be dropped.
 */
void
vouch_ui_register_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      vouch_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

/**
 * vouch_ui_toast:
 *
 * Shows @text as a toast in the window that holds @widget.
 */
void
vouch_ui_toast (GtkWidget  *widget,
                const char *text)
{
  gtk_widget_activate_action (widget, "win.toast", "s", text);
}

static GtkWindow *
window_of (GtkWidget *widget)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

typedef struct
{
  VouchFileFunc func;
  gpointer      user_data;
} FileRequest;

static void
file_response_cb (GtkNativeDialog *native,
                  int              response,
                  FileRequest     *request)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

  request->func (file, request->user_data);
  g_free (request);
  g_object_unref (native);
}

/**
 * vouch_ui_choose_file:
 * @patterns: (nullable): file name patterns to offer, such as "*.pem"
 */
void
vouch_ui_choose_file (GtkWidget           *parent,
                      const char          *title,
                      gboolean             save,
                      const char          *suggested_name,
                      const char * const  *patterns,
                      VouchFileFunc        func,
                      gpointer             user_data)
{
  GtkFileChooserNative *native;
  FileRequest *request = g_new0 (FileRequest, 1);

  request->func = func;
  request->user_data = user_data;

  native = gtk_file_chooser_native_new (title, window_of (parent),
                                        save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                             : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        save ? _("_Save") : _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  if (save && suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);

  if (patterns != NULL && patterns[0] != NULL)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, title);
      for (guint i = 0; patterns[i] != NULL; i++)
        gtk_file_filter_add_pattern (filter, patterns[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
      gtk_file_filter_set_name (all, _("All Files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
    }

  g_signal_connect (native, "response", G_CALLBACK (file_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

void
vouch_ui_show_error (GtkWidget    *parent,
                     const char   *heading,
                     const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (window_of (parent), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A row for one name a certificate will carry, with a button to remove it.
 * A name the root may not sign is flagged here, so it is seen and removed
 * before anything is signed or sent to a device. The remove button carries
 * the name as "vouch-name". */
GtkWidget *
vouch_ui_name_row_new (const char *name,
                       gboolean    permitted,
                       GCallback   remove_cb,
                       gpointer    user_data)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  if (!permitted)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Warning"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Outside the names this root may sign for; "
                                     "remove it, or signing will be refused"));
    }
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data_full (G_OBJECT (button), "vouch-name", g_strdup (name), g_free);
  g_signal_connect (button, "clicked", remove_cb, user_data);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

/* Hex pairs per line of a fingerprint: 32 pairs read aloud as four short
 * lines are easy to compare with another screen, and a line of 8 pairs
 * fits a phone's width. */
#define PAIRS_PER_LINE 8

/**
 * vouch_ui_format_fingerprint:
 * @hex: a fingerprint or key hash in hex, as colon-separated pairs or not
 *
 * Lays a fingerprint out for reading aloud: pairs separated by spaces,
 * eight to a line. A label wraps it only between pairs, never inside one.
 *
 * Returns: (transfer full): the grouped fingerprint
 */
char *
vouch_ui_format_fingerprint (const char *hex)
{
  GString *text;
  guint digits = 0;

  g_return_val_if_fail (hex != NULL, NULL);

  text = g_string_new (NULL);
  for (const char *p = hex; *p != '\0'; p++)
    {
      if (*p == ':' || g_ascii_isspace (*p))
        continue;
      if (digits > 0 && digits % 2 == 0)
        g_string_append_c (text, digits % (2 * PAIRS_PER_LINE) == 0 ? '\n' : ' ');
      g_string_append_c (text, *p);
      digits++;
    }

  return g_string_free (text, FALSE);
}

static char *
format_local (gint64      unix_time,
              const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, format) : g_strdup ("?");
}

/**
 * vouch_ui_format_date:
 *
 * Formats a day in local time the way every page shows one where the time
 * of day does not matter (expiry dates, validity): the locale's long date,
 * "7 December 2026".
 *
 * Returns: (transfer full): the date, or "?" when @unix_time is out of range
 */
char *
vouch_ui_format_date (gint64 unix_time)
{
  /* Translators: how Vouch shows a date without a time, e.g. "7 December
   * 2026"; see g_date_time_format() for the codes. Change the order to your
   * language's (e.g. "%B %-e, %Y" for "December 7, 2026"). */
  /* xgettext:no-c-format */
  return format_local (unix_time, _("%-e %B %Y"));
}

/**
 * vouch_ui_format_date_time:
 *
 * Formats a moment in local time the way the device pages and History show
 * one, where the time matters: the locale's short date and time,
 * "12/07/26 06:23:17".
 *
 * Returns: (transfer full): the date and time, or "?" when @unix_time is out
 *   of range
 */
char *
vouch_ui_format_date_time (gint64 unix_time)
{
  /* The locale's own short forms: nothing for translators to order. */
  return format_local (unix_time, "%x %X");
}

/**
 * vouch_ui_driver_title:
 * @driver_id: (nullable): a device driver's id
 *
 * Returns: how the app names the way Vouch talks to a device
 */
const char *
vouch_ui_driver_title (const char *driver_id)
{
  if (g_strcmp0 (driver_id, "vouch") == 0)
    return _("Vouch API");
  if (g_strcmp0 (driver_id, "redfish") == 0)
    return _("Redfish");
  if (g_strcmp0 (driver_id, "axis") == 0)
    return _("Axis VAPIX");
  /* Translators: a device Vouch cannot sign for by itself; the operator
   * carries the request and the certificate. */
  return _("By hand");
}
