/* vouch-help.c: opening the user help, with or without Yelp
 *
 * The help is Mallard (the .page files in help/C), which Yelp shows as
 * help:vouch. Many desktops have no Yelp, and there help:vouch opens
 * nothing at all; so the build also turns the same pages into HTML with
 * yelp-build (help/meson.build), installed in PKGDATADIR/help-html, and F1
 * opens that in the web browser when there is no yelp to run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-help.h"
#include "vouch-help-private.h"

#include "vouch-ui-util.h"

#include <glib/gi18n.h>
#include <string.h>

static VouchHelpLauncher test_launcher;
static gpointer test_launcher_data;

/* $VOUCH_HELP_HTML_DIR lets an uninstalled build (tools/demo, the tests)
 * use the pages built in its build folder. */
static const char *
html_dir (void)
{
  const char *dir = g_getenv ("VOUCH_HELP_HTML_DIR");

  return dir != NULL && *dir != '\0' ? dir : HELP_HTML_DIR;
}

/**
 * vouch_help_dup_uri:
 * @page: (nullable): a Mallard page ID such as "onboard-device", or %NULL
 *   for the front page
 *
 * Returns: (transfer full): help:vouch[/page] when Yelp is installed,
 *   otherwise the file: URI of the page built as HTML, if it was installed;
 *   help:vouch as the last resort
 */
char *
vouch_help_dup_uri (const char *page)
{
  g_autofree char *yelp = g_find_program_in_path ("yelp");
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;

  if (page != NULL)
    g_return_val_if_fail (*page != '\0' && strchr (page, '/') == NULL, NULL);

  if (yelp == NULL)
    {
      file_name = g_strconcat (page != NULL ? page : "index", ".html", NULL);
      path = g_build_filename (html_dir (), file_name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_filename_to_uri (path, NULL, NULL);
    }

  return page != NULL ? g_strconcat ("help:" PACKAGE_NAME "/", page, NULL)
                      : g_strdup ("help:" PACKAGE_NAME);
}

static void
shown_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    vouch_ui_show_error (GTK_WIDGET (parent), _("Could Not Open the Help"), error);
}

/**
 * vouch_help_show:
 * @parent: the window the help is for
 * @page: (nullable): a Mallard page ID, or %NULL for the front page
 *
 * Opens the help in Yelp, or in the web browser where there is no Yelp.
 */
void
vouch_help_show (GtkWindow  *parent,
                 const char *page)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (GTK_IS_WINDOW (parent));

  uri = vouch_help_dup_uri (page);
  if (uri == NULL)
    return;
  if (test_launcher != NULL)
    {
      test_launcher (parent, uri, test_launcher_data);
      return;
    }
  gtk_show_uri_full (parent, uri, GDK_CURRENT_TIME, NULL, shown_cb, g_object_ref (parent));
}

/**
 * _vouch_help_set_launcher_for_testing:
 * @launcher: (nullable): called with the URI instead of opening it, or %NULL
 *   to open URIs again
 */
void
_vouch_help_set_launcher_for_testing (VouchHelpLauncher launcher,
                                     gpointer          user_data)
{
  test_launcher = launcher;
  test_launcher_data = user_data;
}
