/* test-install.c: "meson install" puts everything where the desktop
 * expects it, and the installed app starts
 *
 * Installs the build tree into a temporary DESTDIR, checks each file the
 * desktop, polkit, D-Bus, systemd, yelp and gettext look for, then starts
 * the installed vouch under Xvfb and waits for its window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static char *destdir;

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set; run this test through meson test", name);
  return value;
}

/* @path is absolute, as meson's install paths are. */
static char *
installed (const char *path,
           const char *child)
{
  return g_build_filename (destdir, path, child, NULL);
}

static void
assert_installed (const char *dir,
                  const char *child)
{
  g_autofree char *path = installed (dir, child);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("meson install did not install %s/%s", dir, child);
}

static void
assert_executable (const char *dir,
                   const char *child)
{
  g_autofree char *path = installed (dir, child);

  assert_installed (dir, child);
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("%s/%s is installed but not executable", dir, child);
}

static char *
run (const char * const *argv,
     const char         *what)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("%s failed:\n%s", what, out);
  return g_steal_pointer (&out);
}

static void
meson_install (void)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { env ("MESON"), "install", "-C", env ("VOUCH_BUILD_ROOT"),
                         "--destdir", NULL, "--no-rebuild", NULL };
  g_autofree char *out = NULL;

  destdir = g_dir_make_tmp ("vouch-install-XXXXXX", &error);
  g_assert_no_error (error);
  argv[5] = destdir;
  out = run (argv, "meson install");
  g_test_message ("%s", out);
}

static void
test_binaries (void)
{
  assert_executable (env ("VOUCH_BINDIR"), "vouch");
  assert_executable (env ("VOUCH_BINDIR"), "vouchctl");
  assert_executable (env ("VOUCH_BINDIR"), "vouch-agent");
  assert_executable (env ("VOUCH_LIBEXECDIR"), "vouch-trust-helper");
}

static void
test_desktop_integration (void)
{
  const char *datadir = env ("VOUCH_DATADIR");
  const char *app_id = env ("VOUCH_APP_ID");
  g_autofree char *desktop = g_strconcat (app_id, ".desktop", NULL);
  g_autofree char *metainfo = g_strconcat (app_id, ".metainfo.xml", NULL);
  g_autofree char *service = g_strconcat (app_id, ".service", NULL);
  g_autofree char *icon = g_strconcat (app_id, ".svg", NULL);
  g_autofree char *symbolic = g_strconcat (app_id, "-symbolic.svg", NULL);
  g_autofree char *applications = g_build_filename (datadir, "applications", NULL);
  g_autofree char *metainfo_dir = g_build_filename (datadir, "metainfo", NULL);
  g_autofree char *services = g_build_filename (datadir, "dbus-1", "services", NULL);
  g_autofree char *scalable = g_build_filename (datadir, "icons", "hicolor", "scalable", "apps", NULL);
  g_autofree char *symbolic_dir = g_build_filename (datadir, "icons", "hicolor", "symbolic", "apps", NULL);
  g_autofree char *desktop_path = installed (applications, desktop);
  g_autofree char *service_path = installed (services, service);
  g_autofree char *icon_key = NULL;
  g_autofree char *name_key = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *expected_exec = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  assert_installed (applications, desktop);
  assert_installed (metainfo_dir, metainfo);
  assert_installed (services, service);
  assert_installed (scalable, icon);
  assert_installed (symbolic_dir, symbolic);

  /* The desktop file is D-Bus activatable under the app ID, with its icon. */
  g_key_file_load_from_file (keys, desktop_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (g_key_file_get_boolean (keys, "Desktop Entry", "DBusActivatable", NULL));
  icon_key = g_key_file_get_string (keys, "Desktop Entry", "Icon", NULL);
  g_assert_cmpstr (icon_key, ==, app_id);

  /* The service activates the installed binary, not one in the build tree. */
  g_key_file_load_from_file (keys, service_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  name_key = g_key_file_get_string (keys, "D-BUS Service", "Name", NULL);
  g_assert_cmpstr (name_key, ==, app_id);
  exec = g_key_file_get_string (keys, "D-BUS Service", "Exec", &error);
  g_assert_no_error (error);
  expected_exec = g_build_filename (env ("VOUCH_BINDIR"), "vouch --gapplication-service", NULL);
  g_assert_cmpstr (exec, ==, expected_exec);
}

static void
test_schemas (void)
{
  g_autofree char *schemas = g_build_filename (env ("VOUCH_DATADIR"), "glib-2.0", "schemas", NULL);
  g_autofree char *target = installed (schemas, NULL);
  const char *argv[] = { env ("GLIB_COMPILE_SCHEMAS"), "--strict", target, NULL };
  g_autofree char *out = NULL;

  assert_installed (schemas, "io.github.vouchpki.Vouch.gschema.xml");
  /* Meson's post-install step skips compiling under DESTDIR; a package's
   * trigger does it on the target system. Do what the trigger does. */
  out = run (argv, "glib-compile-schemas");
  assert_installed (schemas, "gschemas.compiled");
}

static void
test_polkit_and_units (void)
{
  g_autofree char *actions = g_build_filename (env ("VOUCH_DATADIR"), "polkit-1", "actions", NULL);
  g_autofree char *policy_path = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *helper_annotation = NULL;
  g_autoptr(GError) error = NULL;

  assert_installed (actions, "io.github.vouchpki.Vouch.policy");
  policy_path = installed (actions, "io.github.vouchpki.Vouch.policy");
  g_assert_true (g_file_get_contents (policy_path, &policy, NULL, &error));
  g_assert_no_error (error);
  /* pkexec runs the helper only from the path the policy names. */
  helper_annotation = g_strdup_printf ("<annotate key=\"org.freedesktop.policykit.exec.path\">%s/vouch-trust-helper</annotate>",
                                       env ("VOUCH_LIBEXECDIR"));
  g_assert_nonnull (strstr (policy, helper_annotation));

  assert_installed (env ("VOUCH_SYSTEMD_USER_UNIT_DIR"), "vouch-renew.service");
  assert_installed (env ("VOUCH_SYSTEMD_USER_UNIT_DIR"), "vouch-renew.timer");
}

static void
test_help (void)
{
  g_autofree char *help_dir = g_build_filename (env ("VOUCH_DATADIR"), "help", "C", "vouch", NULL);
  g_autofree char *html_dir = g_build_filename (env ("VOUCH_DATADIR"), "vouch", "help-html", NULL);
  g_autofree char *source = g_build_filename (env ("VOUCH_SOURCE_ROOT"), "help", "C", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint pages = 0;

  assert_installed (help_dir, "index.page");
  dir = g_dir_open (source, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".page"))
      {
        assert_installed (help_dir, name);
        pages++;
      }
  g_assert_cmpuint (pages, >, 1);

  /* The same pages as HTML, which F1 opens where Yelp is not installed. */
  assert_installed (html_dir, "index.html");
  assert_installed (html_dir, "onboard-device.html");
  assert_installed (html_dir, "C.css");
}

static void
test_translations (void)
{
  g_autofree char *linguas_path = g_build_filename (env ("VOUCH_SOURCE_ROOT"), "po", "LINGUAS", NULL);
  g_autofree char *linguas = NULL;
  g_auto(GStrv) languages = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (linguas_path, &linguas, NULL, &error));
  g_assert_no_error (error);
  languages = g_strsplit_set (linguas, " \t\n", -1);
  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *dir = NULL;

      if (languages[i][0] == '\0' || languages[i][0] == '#')
        continue;
      dir = g_build_filename (env ("VOUCH_LOCALEDIR"), languages[i], "LC_MESSAGES", NULL);
      assert_installed (dir, "vouch.mo");
      n++;
    }
  g_test_message ("%u languages in po/LINGUAS, each with its vouch.mo", n);
}

/* Starts Xvfb and returns its display, read from -displayfd. */
static GSubprocess *
start_xvfb (char **display)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  GSubprocess *xvfb;
  int fds[2];
  char buf[32] = { 0 };
  gsize len = 0;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  xvfb = g_subprocess_launcher_spawn (launcher, &error, env ("XVFB"), "-displayfd", "3",
                                      "-screen", "0", "1280x800x24", "-nolisten", "tcp",
                                      "-noreset", NULL);
  g_assert_no_error (error);
  g_clear_object (&launcher);

  while (len < sizeof buf - 1)
    {
      gssize r = read (fds[0], buf + len, 1);

      if (r <= 0 || buf[len] == '\n')
        break;
      len++;
    }
  close (fds[0]);
  buf[len] = '\0';
  if (len == 0)
    g_error ("Xvfb did not report a display");
  *display = g_strdup_printf (":%s", buf);
  return xvfb;
}

static gboolean
has_vouch_window (const char *display)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_subprocess_launcher_setenv (launcher, "DISPLAY", display, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, env ("XWININFO"), "-root", "-tree", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  return out != NULL && (strstr (out, "\"Vouch\"") != NULL || strstr (out, "\"Welcome to Vouch\"") != NULL);
}

static void
test_installed_app_starts (void)
{
  g_autoptr(GSubprocess) xvfb = NULL;
  g_autoptr(GSubprocess) vouch = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *home = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *share = installed (env ("VOUCH_DATADIR"), NULL);
  g_autofree char *data_dirs = g_strconcat (share, ":/usr/local/share:/usr/share", NULL);
  g_autofree char *schemas = g_build_filename (share, "glib-2.0", "schemas", NULL);
  g_autofree char *binary = installed (env ("VOUCH_BINDIR"), "vouch");
  g_autofree char *stderr_text = NULL;
  gboolean shown = FALSE;

  /* test_schemas compiled them. */
  g_assert_true (g_file_test (schemas, G_FILE_TEST_IS_DIR));

  home = g_dir_make_tmp ("vouch-install-home-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (home, "data", NULL);
  config_home = g_build_filename (home, "config", NULL);

  xvfb = start_xvfb (&display);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "DISPLAY", display, TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_BACKEND", "x11", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", data_dirs, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_DEBUG", "no-portals", TRUE);
  /* A critical aborts the app, so it shows as a crash, not a line of text. */
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  vouch = g_subprocess_launcher_spawn (launcher, &error, binary, NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < 100 && !shown; i++)
    {
      g_usleep (G_USEC_PER_SEC / 5);
      /* GSubprocess drops the identifier once the process has exited. */
      if (g_subprocess_get_identifier (vouch) == NULL)
        g_error ("the installed vouch exited before showing its window");
      shown = has_vouch_window (display);
    }
  g_assert_true (shown);

  /* It stays up once its window is shown. */
  g_usleep (2 * G_USEC_PER_SEC);
  g_assert_nonnull (g_subprocess_get_identifier (vouch));
  g_assert_true (has_vouch_window (display));
  g_subprocess_send_signal (vouch, SIGTERM);
  g_subprocess_communicate_utf8 (vouch, NULL, NULL, NULL, &stderr_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (vouch));
  g_assert_cmpint (g_subprocess_get_term_sig (vouch), ==, SIGTERM);
  if (stderr_text != NULL && (strstr (stderr_text, "CRITICAL") != NULL ||
                              strstr (stderr_text, "WARNING") != NULL))
    g_error ("the installed app warned:\n%s", stderr_text);

  g_subprocess_send_signal (xvfb, SIGTERM);
  g_subprocess_wait (xvfb, NULL, NULL);
  {
    const char *argv[] = { "rm", "-rf", home, NULL };
    g_autofree char *out = run (argv, "rm");
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  meson_install ();

  g_test_add_func ("/install/binaries", test_binaries);
  g_test_add_func ("/install/desktop-integration", test_desktop_integration);
  g_test_add_func ("/install/schemas", test_schemas);
  g_test_add_func ("/install/polkit-and-units", test_polkit_and_units);
  g_test_add_func ("/install/help", test_help);
  g_test_add_func ("/install/translations", test_translations);
  g_test_add_func ("/install/installed-app-starts", test_installed_app_starts);

  status = g_test_run ();

  {
    const char *rm_argv[] = { "rm", "-rf", destdir, NULL };
    g_autofree char *out = run (rm_argv, "rm");
  }
  g_free (destdir);
  return status;
}
