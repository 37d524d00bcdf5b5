/* test-trust-helper.c: vouch-trust-helper refuses everything but a CA
 * certificate, writes only its own file, and removes only that
 *
 * Most cases run against a fake tree (VOUCH_SYSTEM_ROOT) whose update
 * command is a script that leaves a mark; one case installs into Debian's
 * real store and runs the real update-ca-certificates, then cleans up.
 * The helper refuses to run as anyone but root, so without root only that
 * refusal is tested.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include <fcntl.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "vouch-root-ca.h"
#include "vouch-trust-layout.h"
#include "vouch-test-util.h"
#include "vouch-home-trust-stores.h"
#include "vouch-trust-traces.h"
#include "vouch-util.h"

#define DEBIAN_DIR "usr/local/share/ca-certificates"
#define ANCHOR "vouch-local-root.crt"
/* Shared with test-trust-clients: only one test may use the real store. */
#define SYSTEM_LOCK "/tmp/vouch-trust-system-test.lock"

typedef struct
{
  char        *tmp;
  char        *fake_root;
  char        *anchor_dir;
  char        *marker;
  char        *args_marker;
  char        *hook_marker;
  char        *stale_marker;
  VouchRootCa *root;
  char        *pem;
} Fixture;

static void
write_script (const char *path,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sbin = NULL;
  g_autofree char *script_path = NULL;
  g_autofree char *script = NULL;
  g_autofree char *hooks = NULL;

  fixture->tmp = g_dir_make_tmp ("trust-helper-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->fake_root = g_build_filename (fixture->tmp, "root", NULL);
  fixture->anchor_dir = g_build_filename (fixture->fake_root, DEBIAN_DIR, NULL);
  fixture->marker = g_build_filename (fixture->tmp, "update-ran", NULL);
  fixture->args_marker = g_build_filename (fixture->tmp, "update-args", NULL);
  fixture->hook_marker = g_build_filename (fixture->tmp, "hook-input", NULL);
  fixture->stale_marker = g_build_filename (fixture->tmp, "stale-hook-ran", NULL);
  sbin = g_build_filename (fixture->fake_root, "usr", "sbin", NULL);
  hooks = g_build_filename (fixture->fake_root, "etc", "ca-certificates", "update.d", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->anchor_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (sbin, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (hooks, 0755), ==, 0);

  /* The fake update command records that it ran, with which PATH and
   * which arguments. */
  script_path = g_build_filename (sbin, "update-ca-certificates", NULL);
  script = g_strdup_printf ("#!/bin/sh\necho \"$PATH\" >> '%s'\necho \"$*\" >> '%s'\n",
                            fixture->marker, fixture->args_marker);
  write_script (script_path, script);
  /* A hook as ca-certificates-java installs one, recording what it was
   * told, and a leftover run-parts(8) would skip. */
  g_free (script_path);
  g_free (script);
  script_path = g_build_filename (hooks, "jks-keystore", NULL);
  script = g_strdup_printf ("#!/bin/sh\ncat >> '%s'\n", fixture->hook_marker);
  write_script (script_path, script);
  g_free (script_path);
  g_free (script);
  script_path = g_build_filename (hooks, "jks-keystore.dpkg-old", NULL);
  script = g_strdup_printf ("#!/bin/sh\ntouch '%s'\n", fixture->stale_marker);
  write_script (script_path, script);
  g_setenv (VOUCH_SYSTEM_ROOT_ENV, fixture->fake_root, TRUE);

  fixture->root = vouch_root_ca_generate ("Helper Test Root", VOUCH_KEY_TYPE_ECDSA_P256, nc, &error);
  g_assert_no_error (error);
  fixture->pem = vouch_root_ca_dup_pem (fixture->root);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_unsetenv (VOUCH_SYSTEM_ROOT_ENV);
  remove_tree (fixture->tmp);
  g_free (fixture->tmp);
  g_free (fixture->fake_root);
  g_free (fixture->anchor_dir);
  g_free (fixture->marker);
  g_free (fixture->args_marker);
  g_free (fixture->hook_marker);
  g_free (fixture->stale_marker);
  g_free (fixture->pem);
  g_assert_finalize_object (fixture->root);
}

/* Runs the helper; the helper may stop reading a huge input early, so a
 * broken pipe is not a test failure. */
static int
run_helper (const char * const *args,
            GBytes             *input,
            char              **out_stderr)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err = NULL;

  g_ptr_array_add (argv, (char *)g_getenv ("VOUCH_TRUST_HELPER"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                              G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  if (!g_subprocess_communicate (process, input, NULL, NULL, &err, &error))
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
      g_clear_error (&error);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
    }
  if (out_stderr != NULL)
    *out_stderr = err != NULL ? g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err))
                              : g_strdup ("");
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static int
run_helper_text (const char *verb,
                 const char *text,
                 char      **out_stderr)
{
  const char *args[] = { verb, NULL };
  g_autoptr(GBytes) input = g_bytes_new (text, strlen (text));

  return run_helper (args, input, out_stderr);
}

/* g_ptr_array_sort hands the comparator pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* The directory's names and contents, to compare before and after. */
static char *
snapshot (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
      g_autofree char *target = g_file_read_link (path, NULL);
      g_autofree char *contents = NULL;

      if (target == NULL)
        g_file_get_contents (path, &contents, NULL, NULL);
      g_string_append_printf (out, "%s -> %s\n%s\n", (char *)names->pdata[i],
                              target != NULL ? target : "", contents != NULL ? contents : "");
    }
  return g_string_free (out, FALSE);
}

static gboolean
require_root (void)
{
  if (geteuid () == 0)
    return TRUE;
  g_test_skip ("the helper runs only as root; CI runs this as root");
  return FALSE;
}

static void
test_refuses_non_root (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *err = NULL;

  if (geteuid () == 0)
    {
      /* As root, the same refusal is checked through a path argument. */
      g_test_skip ("running as root");
      return;
    }
  g_assert_cmpint (run_helper_text ("install", fixture->pem, &err), ==, 1);
  g_assert_nonnull (strstr (err, "root"));
}

static void
test_installs_ca (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->anchor_dir, ANCHOR, NULL);
  g_autofree char *written = NULL;
  g_autofree char *ran = NULL;
  g_autofree char *err = NULL;

  if (!require_root ())
    return;

  g_assert_cmpint (run_helper_text ("install", fixture->pem, &err), ==, 0);
  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, fixture->pem);
  /* The update command ran with the helper's fixed PATH, not ours. */
  g_assert_true (g_file_get_contents (fixture->marker, &ran, NULL, NULL));
  g_assert_cmpstr (ran, ==, "/usr/sbin:/usr/bin:/sbin:/bin\n");

  /* Installing again changes nothing. */
  g_assert_cmpint (run_helper_text ("install", fixture->pem, NULL), ==, 0);
  g_clear_pointer (&written, g_free);
  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, fixture->pem);
}

static char *
make_self_signed (gboolean ca,
                  gboolean cert_sign)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  guint8 serial[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  time_t now = time (NULL);

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  gnutls_x509_crt_set_version (crt, 3);
  gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  gnutls_x509_crt_set_activation_time (crt, now - 3600);
  gnutls_x509_crt_set_expiration_time (crt, now + 86400);
  gnutls_x509_crt_set_dn (crt, "CN=printer.lan", NULL);
  gnutls_x509_crt_set_key (crt, key);
  gnutls_x509_crt_set_basic_constraints (crt, ca, -1);
  gnutls_x509_crt_set_key_usage (crt, cert_sign ? GNUTLS_KEY_KEY_CERT_SIGN
                                                : GNUTLS_KEY_DIGITAL_SIGNATURE);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), ==, 0);
  return vouch_crt_export_pem (crt);
}

static void
test_refuses_bad_input (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *before = snapshot (fixture->anchor_dir);
  g_autofree char *leaf = make_self_signed (FALSE, FALSE);
  g_autofree char *no_cert_sign = make_self_signed (TRUE, FALSE);
  g_autofree char *two = g_strconcat (fixture->pem, fixture->pem, NULL);
  g_autoptr(GString) huge = g_string_new (fixture->pem);
  const char *path_arg[] = { "install", "/etc/passwd", NULL };
  const char *other_verb[] = { "write", NULL };
  const char *no_verb[] = { NULL };
  g_autoptr(GBytes) pem_bytes = g_bytes_new (fixture->pem, strlen (fixture->pem));
  g_autoptr(GBytes) huge_bytes = NULL;
  g_autofree char *after = NULL;

  if (!require_root ())
    return;

  g_assert_cmpint (run_helper_text ("install", leaf, NULL), ==, 1);
  g_assert_cmpint (run_helper_text ("install", no_cert_sign, NULL), ==, 1);
  g_assert_cmpint (run_helper_text ("install", "garbage, not a certificate\n", NULL), ==, 1);
  g_assert_cmpint (run_helper_text ("install", "", NULL), ==, 1);
  g_assert_cmpint (run_helper_text ("install", two, NULL), ==, 1);

  /* A valid certificate followed by a megabyte: refused for its size. */
  while (huge->len < 1024 * 1024)
    g_string_append (huge, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
  huge_bytes = g_string_free_to_bytes (g_steal_pointer (&huge));
  {
    const char *install[] = { "install", NULL };

    g_assert_cmpint (run_helper (install, huge_bytes, NULL), ==, 1);
  }

  /* No argument but the verb, and only known verbs. */
  g_assert_cmpint (run_helper (path_arg, pem_bytes, NULL), ==, 2);
  g_assert_cmpint (run_helper (other_verb, pem_bytes, NULL), ==, 2);
  g_assert_cmpint (run_helper (no_verb, pem_bytes, NULL), ==, 2);

  after = snapshot (fixture->anchor_dir);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (g_file_test (fixture->marker, G_FILE_TEST_EXISTS));
}

static void
test_refuses_symlinks (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *link = g_build_filename (fixture->anchor_dir, ANCHOR, NULL);
  g_autofree char *victim = g_build_filename (fixture->tmp, "victim", NULL);
  g_autofree char *elsewhere = g_build_filename (fixture->tmp, "elsewhere", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *victim_text = NULL;
  g_autofree char *err = NULL;

  if (!require_root ())
    return;

  /* A symlink at the fixed name, pointing at a file we care about. */
  g_assert_true (g_file_set_contents (victim, "precious\n", -1, NULL));
  g_assert_cmpint (symlink (victim, link), ==, 0);
  before = snapshot (fixture->anchor_dir);
  g_assert_cmpint (run_helper_text ("install", fixture->pem, &err), ==, 1);
  g_assert_cmpint (run_helper_text ("uninstall", fixture->pem, NULL), ==, 1);
  after = snapshot (fixture->anchor_dir);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (g_file_get_contents (victim, &victim_text, NULL, NULL));
  g_assert_cmpstr (victim_text, ==, "precious\n");
  g_assert_cmpint (g_unlink (link), ==, 0);

  /* The anchor directory itself a symlink to somewhere else. */
  g_assert_cmpint (g_mkdir (elsewhere, 0755), ==, 0);
  g_assert_cmpint (g_rmdir (fixture->anchor_dir), ==, 0);
  g_assert_cmpint (symlink (elsewhere, fixture->anchor_dir), ==, 0);
  g_assert_cmpint (run_helper_text ("install", fixture->pem, NULL), ==, 1);
  g_clear_pointer (&after, g_free);
  after = snapshot (elsewhere);
  g_assert_cmpstr (after, ==, "");
  g_assert_false (g_file_test (fixture->marker, G_FILE_TEST_EXISTS));
}

static void
test_uninstalls_only_its_file (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->anchor_dir, ANCHOR, NULL);
  g_autofree char *other = g_build_filename (fixture->anchor_dir, "someone-else.crt", NULL);
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchRootCa) second = NULL;
  g_autofree char *second_pem = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_root ())
    return;

  g_assert_true (g_file_set_contents (other, "not ours\n", -1, NULL));
  g_assert_cmpint (run_helper_text ("install", fixture->pem, NULL), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* Another root's uninstall leaves ours alone. */
  second = vouch_root_ca_generate ("Second Root", VOUCH_KEY_TYPE_ECDSA_P256, nc, &error);
  g_assert_no_error (error);
  second_pem = vouch_root_ca_dup_pem (second);
  before = snapshot (fixture->anchor_dir);
  g_assert_cmpint (run_helper_text ("uninstall", second_pem, NULL), ==, 1);
  after = snapshot (fixture->anchor_dir);
  g_assert_cmpstr (after, ==, before);

  g_assert_cmpint (run_helper_text ("uninstall", fixture->pem, NULL), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_IS_REGULAR));
  /* Uninstalling what is not there is not an error. */
  g_assert_cmpint (run_helper_text ("uninstall", fixture->pem, NULL), ==, 0);
}

/* Uninstalling has the tools forget the root too: Debian's update command
 * runs with --fresh, so the links in /etc/ssl/certs go, and the hooks hear
 * that the link is gone, so ca-certificates-java drops its entry. */
static void
test_uninstall_tells_tools (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->anchor_dir, ANCHOR, NULL);
  g_autofree char *args = NULL;
  g_autofree char *told = NULL;

  if (!require_root ())
    return;

  g_assert_cmpint (run_helper_text ("install", fixture->pem, NULL), ==, 0);
  g_assert_true (g_file_get_contents (fixture->args_marker, &args, NULL, NULL));
  g_assert_cmpstr (args, ==, "\n");
  g_assert_false (g_file_test (fixture->hook_marker, G_FILE_TEST_EXISTS));

  g_assert_cmpint (run_helper_text ("uninstall", fixture->pem, NULL), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&args, g_free);
  g_assert_true (g_file_get_contents (fixture->args_marker, &args, NULL, NULL));
  g_assert_cmpstr (args, ==, "\n--fresh\n");
  g_assert_true (g_file_get_contents (fixture->hook_marker, &told, NULL, NULL));
  g_assert_cmpstr (told, ==, "-/etc/ssl/certs/vouch-local-root.pem\n");
  g_assert_false (g_file_test (fixture->stale_marker, G_FILE_TEST_EXISTS));

  /* With the anchor already gone (an older Vouch removed only that), the
   * tools are still told, so what they kept goes too. */
  g_assert_cmpint (run_helper_text ("uninstall", fixture->pem, NULL), ==, 0);
  g_clear_pointer (&args, g_free);
  g_clear_pointer (&told, g_free);
  g_assert_true (g_file_get_contents (fixture->args_marker, &args, NULL, NULL));
  g_assert_cmpstr (args, ==, "\n--fresh\n--fresh\n");
  g_assert_true (g_file_get_contents (fixture->hook_marker, &told, NULL, NULL));
  g_assert_cmpstr (told, ==, "-/etc/ssl/certs/vouch-local-root.pem\n"
                             "-/etc/ssl/certs/vouch-local-root.pem\n");
}

/* A failing hook means a copy may remain: uninstall says so. */
static void
test_uninstall_reports_failed_hook (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *hook = g_build_filename (fixture->fake_root, "etc", "ca-certificates",
                                            "update.d", "jks-keystore", NULL);
  g_autofree char *err = NULL;

  if (!require_root ())
    return;

  g_assert_cmpint (run_helper_text ("install", fixture->pem, NULL), ==, 0);
  write_script (hook, "#!/bin/sh\ncat >/dev/null\nexit 3\n");
  g_assert_cmpint (run_helper_text ("uninstall", fixture->pem, &err), ==, 1);
  g_assert_nonnull (strstr (err, "jks-keystore"));
}

/* Tells tests/trust-cleanup.sh what to undo if we die before undoing it. */
static void
record_system_install (const char *path)
{
  const char *marker = g_getenv ("VOUCH_TRUST_CLEANUP_MARKER");

  g_assert_nonnull (marker);
  g_assert_true (g_file_set_contents (marker, path, -1, NULL));
}

static void
clear_system_install (void)
{
  g_assert_true (g_file_set_contents (g_getenv ("VOUCH_TRUST_CLEANUP_MARKER"), "", 0, NULL));
}

static gboolean
traces_have (GPtrArray  *traces,
             const char *fragment)
{
  for (guint i = 0; i < traces->len; i++)
    if (strstr (g_ptr_array_index (traces, i), fragment) != NULL)
      return TRUE;
  return FALSE;
}

/* Installs into Debian's real store, then leaves behind what an older
 * uninstall did (the anchor removed, a plain update-ca-certificates run),
 * and checks that status still sees each copy and that uninstalling
 * removes them all: no anchor, no link, nothing in the bundle, nothing in
 * `keytool -list -cacerts`. */
static void
test_real_debian (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *real = "/usr/local/share/ca-certificates/" ANCHOR;
  const char *plain_update[] = { "/usr/sbin/update-ca-certificates", NULL };
  g_autoptr(VouchTrustStore) store = NULL;
  g_autoptr(GPtrArray) traces = NULL;
  g_autofree char *keytool = g_find_program_in_path ("keytool");
  gboolean java = keytool != NULL &&
                  g_file_test ("/etc/ca-certificates/update.d/jks-keystore", G_FILE_TEST_EXISTS);
  int lock_fd;
  int status = -1;

  if (!require_root ())
    return;
  if (!g_file_test ("/usr/sbin/update-ca-certificates", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("not a Debian system store");
      return;
    }
  g_unsetenv (VOUCH_SYSTEM_ROOT_ENV);
  lock_fd = open (SYSTEM_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (lock_fd, >=, 0);
  g_assert_cmpint (flock (lock_fd, LOCK_EX), ==, 0);
  if (g_file_test (real, G_FILE_TEST_EXISTS))
    {
      close (lock_fd);
      g_test_skip ("this machine already trusts a Vouch root; leaving it alone");
      return;
    }

  if (g_getenv ("VOUCH_TRUST_CLEANUP_MARKER") == NULL)
    {
      close (lock_fd);
      g_test_skip ("run through tests/trust-cleanup.sh to touch the real store");
      return;
    }

  store = vouch_trust_store_new_system (NULL);
  vouch_trust_store_set_certificate (store, vouch_root_ca_get_certificate (fixture->root));
  vouch_test_assert_no_traces (fixture->pem);
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_NOT_INSTALLED, NULL);

  record_system_install (real);
  g_assert_cmpint (run_helper_text ("install", fixture->pem, NULL), ==, 0);
  traces = vouch_test_system_trust_traces (fixture->pem);
  g_assert_true (traces_have (traces, real));
  g_assert_true (traces_have (traces, "/etc/ssl/certs/vouch-local-root.pem ->"));
  g_assert_true (traces_have (traces, ".0 -> vouch-local-root.pem"));
  g_assert_true (traces_have (traces, "/etc/ssl/certs/ca-certificates.crt"));
  if (java)
    g_assert_true (traces_have (traces, "debian:vouch-local-root.pem"));
  else
    g_test_message ("no keytool or ca-certificates-java: Java's keystore not checked");
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, NULL);

  /* What uninstalling used to do: the links and Java's entry stay. */
  g_assert_cmpint (g_unlink (real), ==, 0);
  vouch_test_run (plain_update, NULL, NULL, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, "/etc/ssl/certs/vouch-local-root.pem");
  if (java)
    vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, "debian:vouch-local-root.pem");

  g_assert_cmpint (run_helper_text ("uninstall", fixture->pem, NULL), ==, 0);
  vouch_test_assert_no_traces (fixture->pem);
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_NOT_INSTALLED, NULL);

  /* Installed and uninstalled again, straight: nothing left either. */
  g_assert_cmpint (run_helper_text ("install", fixture->pem, NULL), ==, 0);
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_INSTALLED, NULL);
  g_assert_cmpint (run_helper_text ("uninstall", fixture->pem, NULL), ==, 0);
  vouch_test_assert_no_traces (fixture->pem);
  vouch_test_assert_store_status (store, VOUCH_TRUST_STATUS_NOT_INSTALLED, NULL);
  clear_system_install ();
  close (lock_fd);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The helper stops reading a huge input early; that must not kill us. */
  signal (SIGPIPE, SIG_IGN);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/trust-helper/refuses-non-root", test_refuses_non_root);
  ADD ("/trust-helper/installs-ca", test_installs_ca);
  ADD ("/trust-helper/refuses-bad-input", test_refuses_bad_input);
  ADD ("/trust-helper/refuses-symlinks", test_refuses_symlinks);
  ADD ("/trust-helper/uninstalls-only-its-file", test_uninstalls_only_its_file);
  ADD ("/trust-helper/uninstall-tells-tools", test_uninstall_tells_tools);
  ADD ("/trust-helper/uninstall-reports-failed-hook", test_uninstall_reports_failed_hook);
  ADD ("/trust-helper/real-debian", test_real_debian);
#undef ADD

  return g_test_run ();
}
