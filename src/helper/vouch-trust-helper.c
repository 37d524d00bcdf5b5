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
 * - uninstall removes that file only when it holds the given certificate;
 * - the update command runs by absolute path with a fixed environment.
 *
 * It links GLib and GnuTLS only, plus the small layout table it shares
 * with the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
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
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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

static gboolean
write_anchor (int         dir_fd,
              const char *name,
              const char *pem)
{
  struct stat st;
  gsize len = strlen (pem);
  gsize done = 0;
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
  while (done < len)
    {
      ssize_t n = write (fd, pem + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  if (done != len || fchmod (fd, 0644) != 0 || fsync (fd) != 0)
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

static gboolean
run_update (const VouchTrustLayout *layout,
            const char             *root_prefix)
{
  /* A fixed environment: nothing of the caller's reaches the command. */
  const char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (root_prefix != NULL)
    g_ptr_array_add (argv, g_build_filename (root_prefix, layout->update_argv[0], NULL));
  else
    g_ptr_array_add (argv, g_strdup (layout->update_argv[0]));
  for (guint i = 1; layout->update_argv[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (layout->update_argv[i]));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync ("/", (char **)argv->pdata, (char **)envp,
                     G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      refuse (_("%s failed: %s"), (char *)argv->pdata[0], error->message);
      return FALSE;
    }
  return TRUE;
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
      if (status == EXIT_OK && !run_update (layout, root_prefix))
        status = EXIT_REFUSED;
    }
  else
    {
      if (state == -1)
        g_print (_("Not installed\n"));
      else if (current == NULL || !g_bytes_equal (current, der))
        status = refuse (_("%s/%s holds a different certificate; leaving it"),
                         dir, layout->file_name);
      else if (unlinkat (dir_fd, layout->file_name, 0) != 0)
        status = refuse (_("could not remove %s/%s: %s"), dir, layout->file_name,
                         g_strerror (errno));
      else
        {
          fsync (dir_fd);
          if (!run_update (layout, root_prefix))
            status = EXIT_REFUSED;
        }
    }

  close (dir_fd);
  return status;
}
