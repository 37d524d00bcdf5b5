/* vouch-trust-backend.c: reading and changing trust stores with the tools
 * their owners ship (certutil, keytool, the privileged helper)
 *
 * Everything here runs on a worker thread and touches only its
 * VouchTrustJob.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-trust-store"

#include "vouch-config.h"

#include "vouch-trust-store-private.h"

#include "vouch-trust-layout.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define ANCHOR_LIMIT (64 * 1024)

void
_vouch_trust_job_free (VouchTrustJob *job)
{
  g_clear_pointer (&job->path, g_free);
  g_clear_pointer (&job->root_prefix, g_free);
  g_clear_pointer (&job->tool, g_free);
  g_clear_pointer (&job->nickname, g_free);
  g_clear_pointer (&job->pem, g_free);
  g_clear_pointer (&job->der, g_bytes_unref);
  g_clear_pointer (&job->sha256, g_free);
  g_clear_pointer (&job->message, g_free);
  g_free (job);
}

static void
set_result (VouchTrustJob    *job,
            VouchTrustStatus  status,
            const char       *message)
{
  job->status = status;
  g_free (job->message);
  job->message = g_strdup (message);
}

/* Runs a tool to completion with a C locale, so its messages can be
 * matched; returns FALSE only when it could not be started. */
static gboolean
run_tool (const char * const  *argv,
          const char          *input,
          char               **out_stdout,
          char               **out_stderr,
          int                 *out_status,
          GCancellable        *cancellable,
          GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  /* Always a pipe, empty when there is no input: a tool that wants to
   * prompt reads end-of-file instead of waiting on our terminal. */
  g_autoptr(GBytes) in = g_bytes_new (input, input != NULL ? strlen (input) : 0);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (process == NULL ||
      !g_subprocess_communicate (process, in, cancellable, &out, &err, error))
    return FALSE;

  /* Empty output has no data pointer; g_strndup() would return NULL. */
  *out_stdout = g_strndup (g_bytes_get_size (out) > 0 ? g_bytes_get_data (out, NULL) : "",
                           g_bytes_get_size (out));
  *out_stderr = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                           g_bytes_get_size (err));
  g_strstrip (*out_stderr);
  *out_status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  return TRUE;
}

static gboolean
run_tool_ok (const char * const  *argv,
             const char          *input,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!run_tool (argv, input, &out, &err, &status, cancellable, error))
    return FALSE;
  if (status != 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED, _("%s failed: %s"), argv[0],
                   *err != '\0' ? err : out);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
pem_to_der (const char *pem,
            gsize       len)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum = { (unsigned char *)pem, len };

  if (gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM) < 0)
    return NULL;
  return vouch_crt_export_der (crt);
}

static gboolean
same_certificate (VouchTrustJob *job,
                  const char    *pem,
                  gsize          len)
{
  g_autoptr(GBytes) der = pem_to_der (pem, len);

  return der != NULL && g_bytes_equal (der, job->der);
}

/* The system store ------------------------------------------------------ */

/* Finds the alias holding our certificate by its SHA-256 fingerprint,
 * which `keytool -list` prints after each entry's alias line. */
static char *
java_find_alias (const char *listing,
                 const char *sha256)
{
  g_auto(GStrv) lines = g_strsplit (listing, "\n", -1);
  const char *alias = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *fp = strstr (lines[i], "(SHA-256): ");

      if (strstr (lines[i], "Entry,") != NULL)
        alias = lines[i];
      else if (fp != NULL && alias != NULL &&
               g_ascii_strncasecmp (g_strstrip (lines[i] + (fp - lines[i]) + strlen ("(SHA-256): ")),
                                    sha256, strlen (sha256) + 1) == 0)
        return g_strndup (alias, strcspn (alias, ","));
    }
  return NULL;
}

/* Whether @path is a link that leads nowhere or to this root. */
static gboolean
link_is_trace (VouchTrustJob *job,
               const char    *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || !S_ISLNK (st.st_mode))
    return FALSE;
  if (!g_file_get_contents (path, &contents, &len, NULL))
    return TRUE;
  return len <= ANCHOR_LIMIT && same_certificate (job, contents, len);
}

/* The links the update command made: the anchor's own, and the hash links
 * `openssl rehash` points at it. Either one left dangling still shows
 * the root to whatever reads the directory. */
static void
find_link_traces (VouchTrustJob          *job,
                  const VouchTrustLayout *layout,
                  GPtrArray              *traces)
{
  g_autofree char *link = vouch_trust_layout_dup_link_path (layout, job->root_prefix);
  g_autofree char *dir = NULL;
  g_autoptr(GDir) handle = NULL;
  gboolean ours;
  const char *name;

  if (link == NULL)
    return;
  ours = link_is_trace (job, link);
  if (ours)
    g_ptr_array_add (traces, g_strdup (link));
  else if (g_file_test (link, G_FILE_TEST_EXISTS))
    return;

  dir = g_path_get_dirname (link);
  handle = g_dir_open (dir, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_equal (target, layout->link_name))
        g_ptr_array_add (traces, g_steal_pointer (&path));
    }
}

/* The bundle holds each anchor's PEM as it was; with line breaks taken
 * out, the base64 of our DER appears in it only if the root does. */
static void
find_bundle_trace (VouchTrustJob          *job,
                   const VouchTrustLayout *layout,
                   GPtrArray              *traces)
{
  g_autofree char *bundle = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base64 = NULL;
  gsize len = 0;
  gsize j = 0;

  if (layout->bundle == NULL)
    return;
  bundle = vouch_trust_layout_prefixed (job->root_prefix, layout->bundle);
  if (!g_file_get_contents (bundle, &contents, &len, NULL))
    return;
  for (gsize i = 0; i < len; i++)
    if (contents[i] != '\n' && contents[i] != '\r')
      contents[j++] = contents[i];
  contents[j] = '\0';
  base64 = g_base64_encode (g_bytes_get_data (job->der, NULL), g_bytes_get_size (job->der));
  if (strstr (contents, base64) != NULL)
    g_ptr_array_add (traces, g_steal_pointer (&bundle));
}

/* The Java keystore the system's tools fill from the anchors (Debian's
 * ca-certificates-java hook names our entry "debian:vouch-local-root.pem"),
 * read with the keytool on PATH when there is one. */
static void
find_java_trace (VouchTrustJob          *job,
                 const VouchTrustLayout *layout,
                 GCancellable           *cancellable,
                 GPtrArray              *traces)
{
  g_autofree char *keystore = NULL;
  g_autofree char *keytool = g_find_program_in_path ("keytool");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *alias = NULL;
  int status = 0;

  if (layout->java_keystore == NULL || keytool == NULL)
    return;
  keystore = vouch_trust_layout_prefixed (job->root_prefix, layout->java_keystore);
  if (!g_file_test (keystore, G_FILE_TEST_IS_REGULAR))
    return;
  {
    const char *argv[] = { keytool, "-list", "-keystore", keystore, "-storepass",
                           VOUCH_JAVA_STOREPASS, NULL };

    if (!run_tool (argv, NULL, &out, &err, &status, cancellable, NULL) || status != 0)
      return;
  }
  alias = java_find_alias (out, job->sha256);
  if (alias != NULL)
    /* Translators: a Java keystore's path, then the name of an entry in it. */
    g_ptr_array_add (traces, g_strdup_printf (_("%s (entry “%s”)"), keystore, alias));
}

static void
system_read (VouchTrustJob *job,
             GCancellable  *cancellable)
{
  const VouchTrustLayout *layout;
  g_autoptr(GPtrArray) traces = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contents = NULL;
  const char *other = NULL;
  gsize len = 0;
  GStatBuf st;

  job->needs_admin = geteuid () != 0;
  job->anchor_ours = FALSE;
  layout = vouch_trust_layout_detect (job->root_prefix);
  if (job->path == NULL || layout == NULL)
    {
      set_result (job, VOUCH_TRUST_STATUS_ABSENT,
                  _("This system's trust store layout is not one Vouch knows"));
      return;
    }
  if (g_lstat (job->path, &st) != 0)
    ;
  else if (!S_ISREG (st.st_mode) || st.st_size > ANCHOR_LIMIT ||
           !g_file_get_contents (job->path, &contents, &len, NULL))
    other = _("Something other than Vouch's root is at Vouch's file name");
  else if (same_certificate (job, contents, len))
    job->anchor_ours = TRUE;
  else
    other = _("Holds a different Vouch root; installing replaces it");

  if (job->anchor_ours)
    {
      set_result (job, VOUCH_TRUST_STATUS_INSTALLED, NULL);
      return;
    }

  /* Without the anchor, clients still trust the root through any copy the
   * update command made of it: that is installed too, until uninstalling
   * has the tools forget it. */
  find_link_traces (job, layout, traces);
  find_bundle_trace (job, layout, traces);
  find_java_trace (job, layout, cancellable, traces);
  if (traces->len > 0)
    {
      g_autofree char *where = NULL;
      g_autofree char *message = NULL;

      g_ptr_array_add (traces, NULL);
      where = g_strjoinv (", ", (char **)traces->pdata);
      /* Translators: %s lists files, such as links in /etc/ssl/certs. */
      message = g_strdup_printf (_("Still trusted through %s; uninstalling removes it"), where);
      set_result (job, VOUCH_TRUST_STATUS_INSTALLED, message);
    }
  else
    set_result (job, VOUCH_TRUST_STATUS_NOT_INSTALLED, other);
}

static char *
helper_path (void)
{
  const char *path = g_getenv ("VOUCH_TRUST_HELPER");

  if (path != NULL && *path != '\0')
    return g_strdup (path);
  /* Inside Flatpak, /app is not the host's: the helper must come from the
   * host's own package. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return g_strdup ("/usr/libexec/vouch-trust-helper");
  return g_build_filename (LIBEXECDIR, "vouch-trust-helper", NULL);
}

/* A build run from its source tree has neither the helper where pkexec's
 * rule points nor the rule itself. Say what to do, rather than pkexec's
 * "Failed to execute child process". Inside Flatpak the host's files
 * cannot be seen, and pkexec's own message has to do. */
static gboolean
check_helper_installed (const char  *helper,
                        gboolean     via_polkit,
                        GError     **error)
{
  g_autofree char *datadir = g_path_get_dirname (PKGDATADIR);
  g_autofree char *policy = g_build_filename (datadir, "polkit-1", "actions",
                                              "io.github.vouchpki.Vouch.policy", NULL);
  const char *missing = NULL;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_test (helper, G_FILE_TEST_IS_EXECUTABLE))
    missing = helper;
  else if (via_polkit && !g_file_test (policy, G_FILE_TEST_IS_REGULAR) &&
           !g_file_test ("/usr/share/polkit-1/actions/io.github.vouchpki.Vouch.policy",
                         G_FILE_TEST_IS_REGULAR))
    missing = policy;
  if (missing == NULL)
    return TRUE;

  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED,
               _("Only an installed Vouch can change the system trust store, and %s is "
                 "missing. Install Vouch's package, or from its source folder run: "
                 "meson configure _build --prefix=/usr && sudo meson install -C _build"),
               missing);
  return FALSE;
}

static gboolean
system_change (VouchTrustJob  *job,
               const char     *verb,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *helper = helper_path ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (job->path == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED,
                   _("This system's trust store layout is not one Vouch knows"));
      return FALSE;
    }

  if (!check_helper_installed (helper, geteuid () != 0, error))
    return FALSE;

  /* Vouch itself never runs as root: an administrator's shell runs the
   * helper directly, everyone else goes through polkit. */
  if (geteuid () != 0)
    {
      if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
        {
          g_ptr_array_add (argv, "flatpak-spawn");
          g_ptr_array_add (argv, "--host");
        }
      g_ptr_array_add (argv, "pkexec");
    }
  g_ptr_array_add (argv, helper);
  g_ptr_array_add (argv, (char *)verb);
  g_ptr_array_add (argv, NULL);

  if (!run_tool ((const char * const *)argv->pdata, job->pem, &out, &err, &status,
                 cancellable, error))
    return FALSE;
  if (status == 126 || status == 127)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED,
                   _("Authentication was cancelled or refused"));
      return FALSE;
    }
  if (status != 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED,
                   _("Could not change the system trust store: %s"), err);
      return FALSE;
    }
  return TRUE;
}

/* NSS databases --------------------------------------------------------- */

static gboolean
nss_has_database (VouchTrustJob *job)
{
  g_autofree char *cert9 = g_build_filename (job->path, "cert9.db", NULL);

  return g_file_test (cert9, G_FILE_TEST_EXISTS);
}

static void
nss_read (VouchTrustJob *job,
          GCancellable  *cancellable)
{
  g_autofree char *db = g_strconcat ("sql:", job->path, NULL);
  const char *argv[] = { "certutil", "-L", "-d", db, "-n", job->nickname, "-a", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  job->needs_admin = FALSE;
  if (!g_file_test (job->path, G_FILE_TEST_IS_DIR))
    {
      set_result (job, VOUCH_TRUST_STATUS_ABSENT,
                  job->can_create ? _("Not present on this machine; installing creates it")
                                  : _("Not present on this machine"));
      return;
    }
  if (!nss_has_database (job))
    {
      set_result (job, VOUCH_TRUST_STATUS_NOT_INSTALLED, _("No certificate database yet"));
      return;
    }
  if (!run_tool (argv, NULL, &out, &err, &status, cancellable, &error))
    {
      set_result (job, VOUCH_TRUST_STATUS_UNKNOWN,
                  g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT)
                    ? _("certutil is missing; install libnss3-tools")
                    : error->message);
      return;
    }
  if (status == 0 && same_certificate (job, out, strlen (out)))
    set_result (job, VOUCH_TRUST_STATUS_INSTALLED, NULL);
  else if (status == 0)
    set_result (job, VOUCH_TRUST_STATUS_NOT_INSTALLED,
                _("A different certificate uses Vouch's nickname"));
  else if (strstr (err, "Could not find cert") != NULL)
    set_result (job, VOUCH_TRUST_STATUS_NOT_INSTALLED, NULL);
  else
    set_result (job, VOUCH_TRUST_STATUS_UNKNOWN, err);
}

static gboolean
nss_install (VouchTrustJob  *job,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autofree char *db = g_strconcat ("sql:", job->path, NULL);
  const char *create[] = { "certutil", "-N", "-d", db, "--empty-password", NULL };
  const char *remove[] = { "certutil", "-D", "-d", db, "-n", job->nickname, "-f", "/dev/null",
                           NULL };
  /* -f /dev/null: a database with a password fails instead of prompting
   * on a terminal nobody watches. */
  const char *add[] = { "certutil", "-A", "-d", db, "-n", job->nickname, "-t", "C,,", "-a",
                        "-f", "/dev/null", NULL };

  if (!g_file_test (job->path, G_FILE_TEST_IS_DIR))
    {
      /* Browsers create their own state on first run; only the Chromium
       * databases, which any NSS program may create, are made on request. */
      if (!job->can_create)
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED,
                       _("%s is not present on this machine"), job->path);
          return FALSE;
        }
      if (g_mkdir_with_parents (job->path, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not create %s: %s"), job->path, g_strerror (saved));
          return FALSE;
        }
    }
  if (!nss_has_database (job) && !run_tool_ok (create, NULL, cancellable, error))
    return FALSE;

  nss_read (job, cancellable);
  if (job->status == VOUCH_TRUST_STATUS_INSTALLED)
    return TRUE;
  /* The nickname carries the root's fingerprint prefix, so a certificate
   * already under it is a stale copy of ours: replace it. When there is
   * none, certutil just says so. */
  run_tool_ok (remove, NULL, cancellable, NULL);

  return run_tool_ok (add, job->pem, cancellable, error);
}

static gboolean
nss_uninstall (VouchTrustJob  *job,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autofree char *db = g_strconcat ("sql:", job->path, NULL);
  const char *remove[] = { "certutil", "-D", "-d", db, "-n", job->nickname, "-f", "/dev/null",
                           NULL };

  nss_read (job, cancellable);
  if (job->status != VOUCH_TRUST_STATUS_INSTALLED)
    return TRUE;
  return run_tool_ok (remove, NULL, cancellable, error);
}

/* Java ------------------------------------------------------------------ */

static gboolean
java_present (VouchTrustJob *job)
{
  return job->tool != NULL && job->path != NULL && g_file_test (job->tool, G_FILE_TEST_IS_EXECUTABLE) &&
         g_file_test (job->path, G_FILE_TEST_IS_REGULAR);
}

static char *
java_command (VouchTrustJob *job,
              const char    *action)
{
  return g_strdup_printf ("sudo %s %s -keystore %s -storepass %s -alias %s%s", job->tool, action,
                          job->path, VOUCH_JAVA_STOREPASS, job->nickname,
                          g_str_equal (action, "-importcert") ? " -noprompt -file vouch-root.crt"
                                                              : "");
}

/* The entry Debian's ca-certificates-java hook makes from the system
 * store's link: the system store's to remove, not this store's. */
static gboolean
is_system_alias (const char *alias)
{
  const VouchTrustLayout *debian = vouch_trust_layout_lookup (VOUCH_TRUST_LAYOUT_DEBIAN);
  g_autofree char *expected = g_strconcat ("debian:", debian->link_name, NULL);

  return g_ascii_strcasecmp (alias, expected) == 0;
}

static char *
java_read (VouchTrustJob *job,
           GCancellable  *cancellable)
{
  const char *argv[] = { job->tool, "-list", "-keystore", job->path, "-storepass",
                         VOUCH_JAVA_STOREPASS, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *alias;
  int status = 0;

  if (!java_present (job))
    {
      set_result (job, VOUCH_TRUST_STATUS_ABSENT, _("No Java runtime found"));
      return NULL;
    }
  job->needs_admin = access (job->path, W_OK) != 0;

  if (!run_tool (argv, NULL, &out, &err, &status, cancellable, &error) || status != 0)
    {
      set_result (job, VOUCH_TRUST_STATUS_UNKNOWN, error != NULL ? error->message : out);
      return NULL;
    }
  alias = java_find_alias (out, job->sha256);
  if (alias == NULL)
    set_result (job, VOUCH_TRUST_STATUS_NOT_INSTALLED,
                job->needs_admin ? _("Needs an administrator to change") : NULL);
  else if (g_ascii_strcasecmp (alias, job->nickname) == 0)
    set_result (job, VOUCH_TRUST_STATUS_INSTALLED, NULL);
  else if (is_system_alias (alias))
    set_result (job, VOUCH_TRUST_STATUS_INSTALLED,
                _("Added from the system store, whose uninstall removes it here too"));
  else
    {
      g_autofree char *message = g_strdup_printf (_("Trusted through the entry “%s”, which "
                                                    "Vouch did not add here"), alias);

      set_result (job, VOUCH_TRUST_STATUS_INSTALLED, message);
    }
  return alias;
}

static gboolean
java_change (VouchTrustJob  *job,
             gboolean        install,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autofree char *alias = java_read (job, cancellable);
  const char *action = install ? "-importcert" : "-delete";
  const char *argv[] = { job->tool, action, "-noprompt", "-keystore", job->path,
                         "-storepass", VOUCH_JAVA_STOREPASS, "-alias", job->nickname, NULL };

  if (job->status == VOUCH_TRUST_STATUS_ABSENT)
    {
      if (!install)
        return TRUE;
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED, _("No Java runtime found"));
      return FALSE;
    }
  /* Only our own alias is ours to add or remove. */
  if (install ? alias != NULL : (alias == NULL || g_ascii_strcasecmp (alias, job->nickname) != 0))
    return TRUE;
  if (job->needs_admin)
    {
      g_autofree char *command = java_command (job, action);

      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED,
                   _("%s is not writable by you; an administrator can run: %s"), job->path,
                   command);
      return FALSE;
    }
  return run_tool_ok (argv, install ? job->pem : NULL, cancellable, error);
}

/* Entry points ---------------------------------------------------------- */

static void
job_read (VouchTrustJob *job,
          GCancellable  *cancellable)
{
  switch (job->kind)
    {
    case VOUCH_TRUST_STORE_KIND_SYSTEM:
      system_read (job, cancellable);
      break;
    case VOUCH_TRUST_STORE_KIND_NSS:
      nss_read (job, cancellable);
      break;
    case VOUCH_TRUST_STORE_KIND_JAVA:
      g_free (java_read (job, cancellable));
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
job_change (VouchTrustJob  *job,
            gboolean        install,
            GCancellable   *cancellable,
            GError        **error)
{
  switch (job->kind)
    {
    case VOUCH_TRUST_STORE_KIND_SYSTEM:
      system_read (job, cancellable);
      /* Install writes the anchor even where copies remain; uninstall runs
       * whenever any copy does. */
      if (install ? job->anchor_ours : job->status != VOUCH_TRUST_STATUS_INSTALLED)
        return TRUE;
      return system_change (job, install ? "install" : "uninstall", cancellable, error);
    case VOUCH_TRUST_STORE_KIND_NSS:
      return install ? nss_install (job, cancellable, error)
                     : nss_uninstall (job, cancellable, error);
    case VOUCH_TRUST_STORE_KIND_JAVA:
      return java_change (job, install, cancellable, error);
    default:
      g_assert_not_reached ();
    }
}

/**
 * _vouch_trust_job_run:
 *
 * Does the job's operation, then reads the store again whatever happened,
 * so the status shown is the store's real state, not what we meant to do.
 */
gboolean
_vouch_trust_job_run (VouchTrustJob  *job,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok = TRUE;

  if (job->pem != NULL && job->der == NULL)
    job->der = pem_to_der (job->pem, strlen (job->pem));
  if (job->der == NULL)
    {
      set_result (job, VOUCH_TRUST_STATUS_UNKNOWN, _("There is no root yet"));
      if (job->op == VOUCH_TRUST_JOB_REFRESH)
        return TRUE;
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NO_ROOT, _("There is no root yet"));
      return FALSE;
    }

  if (job->op != VOUCH_TRUST_JOB_REFRESH)
    ok = job_change (job, job->op == VOUCH_TRUST_JOB_INSTALL, cancellable, &local_error);
  job_read (job, NULL);

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
