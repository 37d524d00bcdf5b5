/* vouch-acme-config.c
 *
 * Two small files in the data folder tie the app to the ACME server it
 * does not run itself: acme.ini holds the operator's approval mode (open
 * or ask; the server watches it, so switching open mode in Preferences
 * needs no restart), and acme-running holds the directory URL and the
 * process id of a running `vouchctl acme serve`, so the app can say
 * whether a server runs and where, whoever started it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-config"

#include "vouch-config.h"

#include "vouch-acme-config.h"

#include "vouch-util.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#define CONFIG_FILE "acme.ini"
#define RUNNING_FILE "acme-running"

static char *
path_in (const char *data_dir,
         const char *name)
{
  return g_build_filename (data_dir, name, NULL);
}

GFile *
vouch_acme_config_get_file (const char *data_dir)
{
  g_autofree char *path = path_in (data_dir, CONFIG_FILE);

  return g_file_new_for_path (path);
}

/**
 * vouch_acme_config_get_open:
 *
 * Returns: whether the operator switched open mode on; a missing or
 *   unreadable file means approval, the safe default
 */
gboolean
vouch_acme_config_get_open (const char *data_dir)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = path_in (data_dir, CONFIG_FILE);
  g_autofree char *approval = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  approval = g_key_file_get_string (file, "server", "approval", NULL);
  return g_strcmp0 (approval, "open") == 0;
}

gboolean
vouch_acme_config_set_open (const char  *data_dir,
                            gboolean     open,
                            GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = path_in (data_dir, CONFIG_FILE);
  g_autofree char *text = NULL;
  gsize len = 0;

  g_key_file_set_string (file, "server", "approval", open ? "open" : "ask");
  text = g_key_file_to_data (file, &len, NULL);
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "%s: %s", data_dir, g_strerror (errno));
      return FALSE;
    }
  return vouch_write_file_atomic (path, text, len, 0600, error);
}

gboolean
vouch_acme_config_write_running (const char  *data_dir,
                                 const char  *directory_url,
                                 GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = path_in (data_dir, RUNNING_FILE);
  g_autofree char *text = NULL;
  gsize len = 0;

  g_key_file_set_string (file, "server", "directory", directory_url);
  g_key_file_set_int64 (file, "server", "pid", getpid ());
  text = g_key_file_to_data (file, &len, NULL);
  return vouch_write_file_atomic (path, text, len, 0600, error);
}

void
vouch_acme_config_clear_running (const char *data_dir)
{
  g_autofree char *path = path_in (data_dir, RUNNING_FILE);

  g_unlink (path);
}

/**
 * vouch_acme_config_read_running:
 *
 * Returns: (transfer full) (nullable): the directory URL of the server
 *   that runs now, or %NULL when none does (a file left by a server that
 *   died does not count)
 */
char *
vouch_acme_config_read_running (const char *data_dir)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = path_in (data_dir, RUNNING_FILE);
  g_autofree char *url = NULL;
  gint64 pid;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  url = g_key_file_get_string (file, "server", "directory", NULL);
  pid = g_key_file_get_int64 (file, "server", "pid", NULL);
  if (url == NULL || pid <= 0 || pid > G_MAXINT || (kill ((pid_t)pid, 0) != 0 && errno == ESRCH))
    return NULL;
  return g_steal_pointer (&url);
}
