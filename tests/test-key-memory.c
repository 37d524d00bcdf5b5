/* test-key-memory.c: once Vouch has signed, no copy of the root's private
 * key is left in its memory
 *
 * tests/key-memory-worker.c signs (on its main thread and on a worker
 * thread) and makes a CRL with the root's key, as the app and vouchctl do
 * (in one test after making the root itself, as the welcome page does),
 * then waits. This test reads the worker's memory through /proc/PID/maps
 * and /proc/PID/mem (as root, which may read a process that is not
 * dumpable; otherwise as its parent, the worker then left dumpable) and
 * looks for the key's private scalar, in big-endian order (as in the
 * PKCS#8 encoding) and little-endian (as GMP's limbs hold it), and for the
 * PKCS#8 encoding and its base64 lines. A worker told to hold the key, as
 * a bulk run does, shows the search finds the key when it is there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-authority.h"
#include "vouch-test-util.h"
#include "vouch-util.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#define CHUNK (1024 * 1024)

/* Where the root comes from. */
typedef enum
{
  ROOT_MADE_HERE,
  WORKER_CREATES,
  WORKER_IMPORTS_FILES,
  WORKER_IMPORTS_PKCS12,
} Mode;

typedef struct
{
  Mode            mode;
  char           *data_dir;
  char           *csr_path;
  GPtrArray      *worker_args;
  GPtrArray      *needles;
  GPtrArray      *names;
} Fixture;

static void
add_needle (Fixture      *fixture,
            const guint8 *data,
            gsize         len,
            const char   *name)
{
  g_ptr_array_add (fixture->needles, g_bytes_new (data, len));
  g_ptr_array_add (fixture->names, g_strdup (name));
}

/* The needles that would betray the key in memory: its private scalar in
 * both byte orders, its PKCS#8 encoding, and the base64 lines of its PEM
 * that encode part of the scalar. The other lines encode the public key,
 * which the root certificate carries too, and the PEM armour is in the
 * libraries' own strings. */
static void
add_key_needles (Fixture    *fixture,
                 const char *pkcs8_pem)
{
  g_auto(GStrv) lines = g_strsplit (pkcs8_pem, "\n", -1);
  GBytes *der = NULL;
  GBytes *scalar_bytes = NULL;
  g_autofree guint8 *reversed = NULL;
  const guint8 *der_data;
  const guint8 *scalar;
  const guint8 *at;
  gsize der_len;
  gsize scalar_len;
  gsize offset;
  guint body_line = 0;

  vouch_test_key_secrets (pkcs8_pem, &der, &scalar_bytes);
  g_assert_nonnull (scalar_bytes);
  der_data = g_bytes_get_data (der, &der_len);
  scalar = g_bytes_get_data (scalar_bytes, &scalar_len);
  at = memmem (der_data, der_len, scalar, scalar_len);
  g_assert_nonnull (at);
  offset = (gsize)(at - der_data);

  add_needle (fixture, der_data, der_len, "PKCS#8 encoding");
  add_needle (fixture, scalar, scalar_len, "scalar (big-endian)");
  reversed = g_malloc (scalar_len);
  for (gsize i = 0; i < scalar_len; i++)
    reversed[scalar_len - 1 - i] = scalar[i];
  add_needle (fixture, reversed, scalar_len, "scalar (little-endian)");

  /* A 64-character line holds 48 bytes of the encoding. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      gsize first;

      if (*lines[i] == '\0' || g_str_has_prefix (lines[i], "-----"))
        continue;
      first = body_line++ * 48;
      if (first >= offset + scalar_len || first + strlen (lines[i]) * 3 / 4 <= offset)
        continue;
      name = g_strdup_printf ("PEM line %u", body_line);
      add_needle (fixture, (const guint8 *)lines[i], strlen (lines[i]), name);
    }

  gnutls_memset (reversed, 0, scalar_len);
  vouch_bytes_wipe_unref (der);
  vouch_bytes_wipe_unref (scalar_bytes);
}

/* Reads the root's key from the keyring, as the test knows it. */
static void
learn_key (Fixture *fixture)
{
  g_autoptr(VouchAuthority) authority = vouch_test_authority_new (fixture->data_dir, NULL, FALSE);
  g_autoptr(GError) error = NULL;
  VouchRootCa *root;
  char *secret;

  root = vouch_authority_get_root (authority);
  g_assert_nonnull (root);
  secret = vouch_key_store_lookup_root_key (vouch_authority_get_key_store (authority),
                                            vouch_root_ca_get_sha256 (root), NULL, &error);
  g_assert_no_error (error);
  add_key_needles (fixture, secret);
  vouch_key_store_free_secret (secret);
}

/* A root made here but not stored, written as the files an import reads:
 * a certificate and its key (as mkcert writes them), or a PKCS#12 file. */
static void
write_root_files (Fixture *fixture)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(VouchRootCa) root = NULL;
  g_autoptr(GError) error = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };
  char *path;

  root = vouch_root_ca_generate ("Key Memory Import", VOUCH_KEY_TYPE_ECDSA_P256, nc, &error);
  g_assert_no_error (error);
  g_assert_true (vouch_root_ca_export_key (root, &key_pem, &error));
  add_key_needles (fixture, (const char *)key_pem.data);

  g_ptr_array_add (fixture->worker_args, g_strdup ("--import"));
  if (fixture->mode == WORKER_IMPORTS_FILES)
    {
      g_autofree char *cert_pem = vouch_root_ca_dup_pem (root);

      path = vouch_test_write_temp ("key-memory-root.pem", cert_pem, -1);
      g_ptr_array_add (fixture->worker_args, path);
      path = vouch_test_write_temp ("key-memory-root-key.pem", (const char *)key_pem.data,
                                    (gssize)key_pem.size);
      g_ptr_array_add (fixture->worker_args, g_strdup ("--import-key"));
      g_ptr_array_add (fixture->worker_args, path);
    }
  else
    {
      g_autoptr(GBytes) p12 = vouch_root_ca_export_pkcs12 (root, "key memory", &error);

      g_assert_no_error (error);
      path = vouch_test_write_temp ("key-memory-root.p12", g_bytes_get_data (p12, NULL),
                                    (gssize)g_bytes_get_size (p12));
      g_ptr_array_add (fixture->worker_args, path);
      g_ptr_array_add (fixture->worker_args, g_strdup ("--passphrase=key memory"));
    }
  vouch_datum_wipe_free (&key_pem);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *csr = vouch_test_make_simple_csr ("printer.local");

  fixture->mode = GPOINTER_TO_INT (data);
  fixture->data_dir = vouch_test_fresh_dir ("key-memory");
  fixture->csr_path = vouch_test_write_temp ("key-memory.csr", csr, -1);
  fixture->worker_args = g_ptr_array_new_with_free_func (g_free);
  fixture->needles = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  fixture->names = g_ptr_array_new_with_free_func (g_free);

  if (fixture->mode == ROOT_MADE_HERE)
    {
      g_autoptr(VouchAuthority) authority = vouch_test_authority_new (fixture->data_dir,
                                                                      "Key Memory Test", FALSE);

      learn_key (fixture);
    }
  else if (fixture->mode == WORKER_CREATES)
    g_ptr_array_add (fixture->worker_args, g_strdup ("--create"));
  else
    write_root_files (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 0; i < fixture->worker_args->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (fixture->worker_args, i), g_getenv ("VOUCH_TEST_TMPDIR")))
      g_unlink (g_ptr_array_index (fixture->worker_args, i));
  g_clear_pointer (&fixture->worker_args, g_ptr_array_unref);
  g_clear_pointer (&fixture->needles, g_ptr_array_unref);
  g_clear_pointer (&fixture->names, g_ptr_array_unref);
  g_free (fixture->csr_path);
  g_free (fixture->data_dir);
}

/* Only memory no file backs: a key is never in a mapped file, and the
 * libraries' read-only data would only add noise. */
static gboolean
is_anonymous (const char *line)
{
  g_auto(GStrv) fields = g_strsplit_set (line, " ", 6);
  const char *path;

  if (g_strv_length (fields) < 5 || fields[1][0] != 'r')
    return FALSE;
  path = fields[5] != NULL ? g_strstrip (fields[5]) : "";
  return *path == '\0' || (path[0] == '[' && !g_str_equal (path, "[vvar]") &&
                           !g_str_equal (path, "[vsyscall]") && !g_str_equal (path, "[vdso]"));
}

/* Returns which needles were found where, or NULL. Chunks overlap by the
 * longest needle, so nothing is missed at their edges. */
static char *
scan_process (Fixture *fixture,
              GPid     pid,
              guint64 *out_bytes)
{
  g_autofree char *maps_path = g_strdup_printf ("/proc/%d/maps", pid);
  g_autofree char *mem_path = g_strdup_printf ("/proc/%d/mem", pid);
  g_autofree char *maps = NULL;
  g_autofree guint8 *buffer = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  gsize overlap = 0;
  int fd;

  g_assert_true (g_file_get_contents (maps_path, &maps, NULL, NULL));
  fd = open (mem_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    g_error ("Cannot open %s: %s", mem_path, g_strerror (errno));

  for (guint i = 0; i < fixture->needles->len; i++)
    overlap = MAX (overlap, g_bytes_get_size (g_ptr_array_index (fixture->needles, i)));
  buffer = g_malloc (CHUNK + overlap);
  *out_bytes = 0;

  lines = g_strsplit (maps, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      guint64 start = 0;
      guint64 end = 0;
      gsize kept = 0;

      if (!is_anonymous (lines[l]) ||
          sscanf (lines[l], "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x", &start, &end) != 2)
        continue;

      for (guint64 at = start; at < end; )
        {
          gsize want = (gsize)MIN ((guint64)CHUNK, end - at);
          ssize_t got = pread (fd, buffer + kept, want, (off_t)at);
          gsize total;

          if (got <= 0)
            break;
          *out_bytes += (guint64)got;
          total = kept + (gsize)got;
          for (guint i = 0; i < fixture->needles->len; i++)
            {
              gsize len = 0;
              const void *needle = g_bytes_get_data (g_ptr_array_index (fixture->needles, i), &len);

              if (memmem (buffer, total, needle, len) != NULL)
                g_string_append_printf (found, "\n  %s in %s",
                                        (char *)g_ptr_array_index (fixture->names, i), lines[l]);
            }
          /* Carry the tail into the next chunk, for a needle across both. */
          kept = MIN (overlap - 1, total);
          memmove (buffer, buffer + total - kept, kept);
          at += (guint64)got;
        }
    }

  close (fd);
  return found->len > 0 ? g_string_free (g_steal_pointer (&found), FALSE) : NULL;
}

#if defined(__SANITIZE_ADDRESS__)
#define VOUCH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VOUCH_ASAN 1
#endif
#endif

/* AddressSanitizer reserves terabytes of address space for its shadow
 * and its heap: too much to read through /proc/PID/mem. The plain build
 * runs these tests. */
static gboolean
skip_under_asan (void)
{
#ifdef VOUCH_ASAN
  g_test_skip ("The worker's memory is too large to read under AddressSanitizer");
  return TRUE;
#else
  return FALSE;
#endif
}

/* Runs the worker until it has signed, and returns what the scan found in
 * its memory then. */
static char *
run_worker (Fixture  *fixture,
            gboolean  hold)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) worker = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *path = g_getenv ("VOUCH_KEY_MEMORY_WORKER");
  char *found;
  guint64 bytes = 0;
  GPid pid;

  g_assert_nonnull (path);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* As root the worker stays hardened, as vouchctl is; otherwise only its
   * parent may read it, and only if it stays dumpable. */
  if (geteuid () != 0)
    g_subprocess_launcher_setenv (launcher, "VOUCH_TEST_DUMPABLE", "1", TRUE);
  g_ptr_array_add (argv, (gpointer)path);
  g_ptr_array_add (argv, (gpointer)"--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);
  g_ptr_array_add (argv, (gpointer)"--csr");
  g_ptr_array_add (argv, fixture->csr_path);
  for (guint i = 0; i < fixture->worker_args->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (fixture->worker_args, i));
  if (hold)
    g_ptr_array_add (argv, (gpointer)"--hold");
  g_ptr_array_add (argv, NULL);
  worker = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (worker));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "signed");
  if (fixture->mode == WORKER_CREATES)
    learn_key (fixture);

  pid = (GPid)g_ascii_strtoll (g_subprocess_get_identifier (worker), NULL, 10);
  found = scan_process (fixture, pid, &bytes);
  /* A search that read nothing would prove nothing. */
  g_assert_cmpuint (bytes, >, 64 * 1024);

  g_output_stream_close (g_subprocess_get_stdin_pipe (worker), NULL, NULL);
  g_assert_true (g_subprocess_wait_check (worker, NULL, &error));
  g_assert_no_error (error);
  return found;
}

/* The app makes or imports the root (or has one already), stores its key
 * in the keyring, then signs. */
static void
test_no_key_after (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *found = NULL;

  if (skip_under_asan ())
    return;

  found = run_worker (fixture, FALSE);

  if (found != NULL)
    g_error ("The root's key is still in memory after %s: %s",
             fixture->mode == ROOT_MADE_HERE ? "signing" : "getting the root and signing", found);
}

/* The control: the search does find a key that is there. */
static void
test_held_key_is_found (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *found = NULL;

  if (skip_under_asan ())
    return;

  found = run_worker (fixture, TRUE);

  g_assert_nonnull (found);
  g_test_message ("found the held key: %s", found);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, mode, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (mode), fixture_setup, func, fixture_teardown)

  ADD ("/key-memory/no-key-after-signing", ROOT_MADE_HERE, test_no_key_after);
  ADD ("/key-memory/no-key-after-creating", WORKER_CREATES, test_no_key_after);
  ADD ("/key-memory/no-key-after-importing-files", WORKER_IMPORTS_FILES,
       test_no_key_after);
  ADD ("/key-memory/no-key-after-importing-pkcs12", WORKER_IMPORTS_PKCS12,
       test_no_key_after);
  ADD ("/key-memory/held-key-is-found", ROOT_MADE_HERE, test_held_key_is_found);

  return g_test_run ();
}
