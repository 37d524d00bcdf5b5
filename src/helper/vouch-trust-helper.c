/* vouch-trust-helper.c: adds or removes Vouch's root in the system trust
 * store, as root
 *
 *   vouch-trust-helper install|uninstall|status  < CERTIFICATE
 *
 * This program runs with administrator rights (through pkexec, or directly
 * when the caller is already root), so it trusts nothing it is given:
 *
 * - the certificate comes on standard input only, at most 64 KiB; there is
 *   no argument but the verb, so no caller can name a path;
 * - it must be exactly one self-signed CA certificate (CA:TRUE, keyCertSign,
 *   a valid self-signature); what is written is our own re-encoding of it,
 *   never the caller's bytes;
 * - it writes one fixed file name in the distribution's anchor directory,
 *   refuses a symlinked directory or a target that is not a regular file,
 *   and writes through a temporary file opened O_EXCL|O_NOFOLLOW, then
 *   renames it into place;
 * - uninstall removes that file only when it holds the given certificate,
 *   then has the distribution's tools forget every copy they made of it
 *   (Debian: the links in /etc/ssl/certs, and the Java keystore entry its
 *   hook added), even when an older uninstall left only those behind;
 * - the update command and hooks run by absolute path with a fixed
 *   environment.
 *
 * It links GLib and GnuTLS only, plus the small layout table it shares
 * with the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-trust-helper"

#include "vouch-config.h"

#include "vouch-trust-helper-input.h"
#include "vouch-trust-layout.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define INPUT_LIMIT (64 * 1024)
#define TEMP_NAME ".vouch-local-root.tmp"

enum
{
  EXIT_OK      = 0,
  EXIT_REFUSED = 1,
  EXIT_USAGE   = 2,
};

static int
refuse (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static int
refuse (const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("vouch-trust-helper: %s\n", message);
  return EXIT_REFUSED;
}

/* Reads at most INPUT_LIMIT bytes; more than that is refused, not cut. */
static GBytes *
read_bounded (int fd)
{
  g_autofree guint8 *buffer = g_malloc (INPUT_LIMIT + 1);
  gsize len = 0;

  for (;;)
    {
      ssize_t n = read (fd, buffer + len, INPUT_LIMIT + 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      len += n;
      if (len > INPUT_LIMIT)
        return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&buffer), len);
}

static char *
der_to_pem (GBytes *der)
{
  gnutls_datum_t in = { (unsigned char *)g_bytes_get_data (der, NULL), g_bytes_get_size (der) };
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  if (gnutls_pem_base64_encode2 ("CERTIFICATE", &in, &out) < 0)
    return NULL;
  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

/* What the fixed file holds now: -1 when it is absent, 0 when it is a
 * regular file, after which *out_der holds its certificate (or %NULL if it
 * does not parse). Anything else at that name is refused. */
static int
read_current (int      dir_fd,
              const char *name,
              GBytes **out_der)
{
  struct stat st;
  int fd;
  g_autoptr(GBytes) bytes = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;
  gnutls_datum_t der = { NULL, 0 };

  *out_der = NULL;
  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? -1 : -2;
  if (!S_ISREG (st.st_mode))
    return -2;

  fd = openat (dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return -2;
  bytes = read_bounded (fd);
  close (fd);
  if (bytes == NULL)
    return 0;

  datum.data = (unsigned char *)g_bytes_get_data (bytes, NULL);
  datum.size = g_bytes_get_size (bytes);
  if (gnutls_x509_crt_init (&crt) == 0 &&
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM) == 0 &&
      gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der) == 0)
    {
      *out_der = g_bytes_new (der.data, der.size);
      gnutls_free (der.data);
    }
  gnutls_x509_crt_deinit (crt);
  return 0;
}

/* Writes all of @data, or returns FALSE with errno set. */
static gboolean
write_all (int         fd,
           const char *data,
           gsize       len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }
  return TRUE;
}

static gboolean
write_anchor (int         dir_fd,
              const char *name,
              const char *pem)
{
  struct stat st;
  int fd;

  /* A temporary file left by a crash is ours to replace, but only if it is
   * a plain file. */
  if (fstatat (dir_fd, TEMP_NAME, &st, AT_SYMLINK_NOFOLLOW) == 0)
    {
      if (!S_ISREG (st.st_mode) || unlinkat (dir_fd, TEMP_NAME, 0) != 0)
        return FALSE;
    }

  fd = openat (dir_fd, TEMP_NAME, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return FALSE;
  if (!write_all (fd, pem, strlen (pem)) || fchmod (fd, 0644) != 0 || fsync (fd) != 0)
    {
      close (fd);
      unlinkat (dir_fd, TEMP_NAME, 0);
      return FALSE;
    }
  close (fd);

  if (renameat (dir_fd, TEMP_NAME, dir_fd, name) != 0)
    {
      unlinkat (dir_fd, TEMP_NAME, 0);
      return FALSE;
    }
  fsync (dir_fd);
  return TRUE;
}

/* A fixed environment: nothing of the caller's reaches the commands. */
static const char * const fixed_envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C",
                                           NULL };

static gboolean
run_update (const char * const *update_argv,
            const char         *root_prefix)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, vouch_trust_layout_prefixed (root_prefix, update_argv[0]));
  for (guint i = 1; update_argv[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (update_argv[i]));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync ("/", (char **)argv->pdata, (char **)fixed_envp,
                     G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      refuse (_("%s failed: %s"), (char *)argv->pdata[0], error->message);
      return FALSE;
    }
  return TRUE;
}

/* The names run-parts(8) runs, which update-ca-certificates uses to find
 * its hooks: letters, digits, '_' and '-' only, so backups and dpkg's
 * leftovers are skipped. */
static gboolean
is_hook_name (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return *name != '\0';
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Runs one hook with @line on its standard input, as update-ca-certificates
 * feeds it the links it added and removed. */
static gboolean
run_hook (const char *hook,
          const char *line)
{
  const char *argv[] = { hook, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;
  int in_fd = -1;
  int status = 0;

  if (!g_spawn_async_with_pipes ("/", (char **)argv, (char **)fixed_envp,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, &pid, &in_fd, NULL, NULL, &error))
    {
      refuse (_("%s failed: %s"), hook, error->message);
      return FALSE;
    }
  /* A hook that does not read its input still gets to run and report. */
  write_all (in_fd, line, strlen (line));
  close (in_fd);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (pid);
  if (!g_spawn_check_wait_status (status, &error))
    {
      refuse (_("%s failed: %s"), hook, error->message);
      return FALSE;
    }
  return TRUE;
}

/* Tells the layout's hooks that the anchor's link is gone. Debian's
 * update-ca-certificates tells them only of links it removed because
 * /etc/ca-certificates.conf says so, never of a local anchor that
 * disappeared, so without this ca-certificates-java keeps the root in
 * Java's keystore as "debian:vouch-local-root.pem". */
static gboolean
tell_hooks_removed (const VouchTrustLayout *layout,
                    const char             *root_prefix)
{
  g_autofree char *dir = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) hooks = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  gboolean ok = TRUE;

  if (layout->hooks_dir == NULL)
    return TRUE;
  dir = vouch_trust_layout_prefixed (root_prefix, layout->hooks_dir);
  handle = g_dir_open (dir, 0, NULL);
  if (handle == NULL)
    return TRUE;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (is_hook_name (name) && g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
          access (path, X_OK) == 0)
        g_ptr_array_add (hooks, g_steal_pointer (&path));
    }
  g_ptr_array_sort (hooks, compare_names);

  /* The path as the hook knows it, without any test prefix. */
  line = g_strdup_printf ("-%s/%s\n", layout->links_dir, layout->link_name);
  for (guint i = 0; i < hooks->len; i++)
    ok = run_hook (g_ptr_array_index (hooks, i), line) && ok;
  return ok;
}

int
main (int    argc,
      char **argv)
{
  const VouchTrustLayout *layout;
  const char *root_prefix = NULL;
  const char *verb;
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pem = NULL;
  int dir_fd;
  int state;
  int status = EXIT_OK;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  umask (022);
  /* A hook that exits without reading its input must not kill us. */
  signal (SIGPIPE, SIG_IGN);

  /* Exactly one verb, nothing else: no path can be passed in. */
  if (argc != 2)
    {
      g_printerr (_("usage: vouch-trust-helper install|uninstall|status < CERTIFICATE\n"));
      return EXIT_USAGE;
    }
  verb = argv[1];
  if (strcmp (verb, "install") != 0 && strcmp (verb, "uninstall") != 0 &&
      strcmp (verb, "status") != 0)
    {
      g_printerr (_("usage: vouch-trust-helper install|uninstall|status < CERTIFICATE\n"));
      return EXIT_USAGE;
    }

  if (geteuid () != 0)
    return refuse (_("must run as root (through pkexec)"));

  /* The test override is honoured only when an administrator ran us
   * directly; pkexec clears the environment anyway, but be explicit. */
  if (g_getenv ("PKEXEC_UID") == NULL)
    root_prefix = g_getenv (VOUCH_SYSTEM_ROOT_ENV);

  layout = vouch_trust_layout_detect (root_prefix);
  if (layout == NULL)
    return refuse (_("this system's trust store layout is not one Vouch knows"));

  input = read_bounded (STDIN_FILENO);
  if (input == NULL)
    return refuse (_("the input is larger than %d KiB"), INPUT_LIMIT / 1024);
  der = vouch_trust_helper_parse_ca (input, &error);
  if (der == NULL)
    return refuse ("%s", error->message);
  pem = der_to_pem (der);
  if (pem == NULL)
    return refuse (_("could not encode the certificate"));

  dir = vouch_trust_layout_dup_anchor_dir (layout, root_prefix);
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd < 0)
    return refuse (_("cannot open %s (a symlink is refused): %s"), dir, g_strerror (errno));

  state = read_current (dir_fd, layout->file_name, &current);
  if (state == -2)
    {
      close (dir_fd);
      return refuse (_("%s/%s is not a regular file; refusing to touch it"),
                     dir, layout->file_name);
    }

  if (strcmp (verb, "status") == 0)
    {
      if (state == -1)
        g_print ("not-installed\n");
      else if (current != NULL && g_bytes_equal (current, der))
        g_print ("installed\n");
      else
        g_print ("other\n");
    }
  else if (strcmp (verb, "install") == 0)
    {
      if (current != NULL && g_bytes_equal (current, der))
        g_print (_("Already installed in %s/%s\n"), dir, layout->file_name);
      else if (!write_anchor (dir_fd, layout->file_name, pem))
        status = refuse (_("could not write %s/%s: %s"), dir, layout->file_name,
                         g_strerror (errno));
      if (status == EXIT_OK && !run_update (layout->update_argv, root_prefix))
        status = EXIT_REFUSED;
    }
  else if (current != NULL && !g_bytes_equal (current, der))
    status = refuse (_("%s/%s holds a different certificate; leaving it"),
                     dir, layout->file_name);
  else if (state == 0 && current == NULL)
    status = refuse (_("%s/%s is not a certificate; leaving it"), dir, layout->file_name);
  else if (state == 0 && unlinkat (dir_fd, layout->file_name, 0) != 0)
    status = refuse (_("could not remove %s/%s: %s"), dir, layout->file_name,
                     g_strerror (errno));
  else
    {
      if (state == 0)
        fsync (dir_fd);
      else
        g_print (_("Not installed; removing what is left of it\n"));
      /* Even with no anchor, copies the tools made of it may remain (an
       * older Vouch removed only the anchor): let them forget it always. */
      if (!run_update (layout->remove_argv != NULL ? layout->remove_argv : layout->update_argv,
                       root_prefix))
        status = EXIT_REFUSED;
      else if (!tell_hooks_removed (layout, root_prefix))
        status = EXIT_REFUSED;
    }

  close (dir_fd);
  return status;
}
