/* test-help.c: F1 opens the help with or without Yelp
 *
 * The build turns the Mallard pages in help/C into HTML with yelp-build;
 * the test finds it through $VOUCH_HELP_HTML_DIR, which tests/ui/meson.build
 * points at the build folder. No browser and no Yelp start here:
 * _vouch_help_set_launcher_for_testing() records the URI F1 would open, and
 * $PATH is pointed at a folder with or without a stand-in `yelp`, which is
 * all the app looks at to choose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"

#include "vouch-help.h"
#include "vouch-help-private.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  VouchApplication *application;
  VouchWindow      *window;
  GPtrArray        *opened;
  char             *bin_dir;
} Fixture;

static Fixture shared;

static void
record_launch (GtkWindow  *parent,
               const char *uri,
               gpointer    user_data)
{
  Fixture *fixture = user_data;

  g_assert_true (parent == GTK_WINDOW (fixture->window));
  g_ptr_array_add (fixture->opened, g_strdup (uri));
}

static char *
html_path (const char *file_name)
{
  const char *dir = g_getenv ("VOUCH_HELP_HTML_DIR");

  g_assert_nonnull (dir);
  return g_build_filename (dir, file_name, NULL);
}

/* Presses F1: the accelerator the application gives app.help, then the
 * action it names, from the window, as GTK does for the key. */
static const char *
press_f1 (Fixture *fixture)
{
  g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (fixture->application),
                                                                 "F1");
  guint before = fixture->opened->len;

  g_assert_nonnull (actions);
  g_assert_cmpstr (actions[0], ==, "app.help");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), actions[0], NULL));
  ui_test_settle (100);
  g_assert_cmpuint (fixture->opened->len, ==, before + 1);
  return g_ptr_array_index (fixture->opened, before);
}

static void
test_html_built (void)
{
  g_autofree char *index = html_path ("index.html");
  g_autofree char *onboard = html_path ("onboard-device.html");
  g_autofree char *css = html_path ("C.css");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  /* Every page, the front page linking to them, and the style sheet. */
  g_assert_true (g_file_get_contents (index, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "Vouch"));
  g_assert_nonnull (strstr (text, "onboard-device.html"));
  g_assert_true (g_file_test (onboard, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (css, G_FILE_TEST_IS_REGULAR));

  /* A setup code in the text is one piece: never broken at its hyphens. */
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (css, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "span.input"));
  g_assert_nonnull (strstr (text, "white-space: nowrap"));
}

static void
test_without_yelp (void)
{
  Fixture *fixture = &shared;
  g_autofree char *index = html_path ("index.html");
  g_autofree char *expected = g_filename_to_uri (index, NULL, NULL);

  /* No yelp on $PATH: the HTML front page, in the browser. */
  g_setenv ("PATH", fixture->bin_dir, TRUE);
  g_assert_cmpstr (press_f1 (fixture), ==, expected);
}

static void
test_with_yelp (void)
{
  Fixture *fixture = &shared;
  g_autofree char *yelp = g_build_filename (fixture->bin_dir, "yelp", NULL);
  g_autoptr(GError) error = NULL;

  /* A stand-in yelp that is never run: the app only looks for it. */
  g_assert_true (g_file_set_contents (yelp, "#!/bin/sh\nexit 1\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (yelp, 0755), ==, 0);
  g_setenv ("PATH", fixture->bin_dir, TRUE);
  g_assert_cmpstr (press_f1 (fixture), ==, "help:vouch");
  g_assert_cmpint (g_unlink (yelp), ==, 0);
}

static void
test_missing_html (void)
{
  Fixture *fixture = &shared;
  g_autofree char *saved = g_strdup (g_getenv ("VOUCH_HELP_HTML_DIR"));

  /* Neither Yelp nor the HTML: help:vouch, for whatever opens it. */
  g_setenv ("PATH", fixture->bin_dir, TRUE);
  g_setenv ("VOUCH_HELP_HTML_DIR", fixture->bin_dir, TRUE);
  g_assert_cmpstr (press_f1 (fixture), ==, "help:vouch");
  g_setenv ("VOUCH_HELP_HTML_DIR", saved, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = g_strdup (g_getenv ("PATH"));
  int status;

  ui_test_init (&argc, &argv);
  shared.opened = g_ptr_array_new_with_free_func (g_free);
  shared.bin_dir = g_dir_make_tmp ("vouch-help-XXXXXX", NULL);
  g_assert_nonnull (shared.bin_dir);
  _vouch_help_set_launcher_for_testing (record_launch, &shared);
  shared.application = vouch_application_new ();
  shared.window = ui_test_open_window (shared.application, 1100, 720);

  g_test_add_func ("/help/html-built", test_html_built);
  g_test_add_func ("/help/without-yelp", test_without_yelp);
  g_test_add_func ("/help/with-yelp", test_with_yelp);
  g_test_add_func ("/help/missing-html", test_missing_html);

  status = g_test_run ();
  g_setenv ("PATH", path, TRUE);
  _vouch_help_set_launcher_for_testing (NULL, NULL);
  ui_test_close_window (&shared.application, shared.window);
  g_rmdir (shared.bin_dir);
  g_free (shared.bin_dir);
  g_ptr_array_unref (shared.opened);
  return status;
}
