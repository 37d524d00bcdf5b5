/* key-memory-worker.c: a Vouch that signs, then waits to be inspected
 *
 *   key-memory-worker --data-dir DIR --csr FILE [--create] [--hold]
 *
 * Loads the authority in DIR (with --create, makes its root first, as the
 * app's welcome page does) and does what a long-running Vouch does with
 * the root's key: signs FILE's CSR (directly and on a worker thread, as
 * the app does) and makes a CRL. It then prints "signed" and waits until
 * its standard input closes, so tests/test-key-memory.c can read its
 * memory through /proc. With --hold, it keeps the key as a bulk run does
 * (vouch_authority_hold()), which shows the test finds the key when it
 * is there.
 *
 * Hardened like vouchctl (vouch_process_harden()); only when
 * VOUCH_TEST_DUMPABLE is set, which test-key-memory does when it does not
 * run as root, does it stay readable by its parent. No shipped program
 * reads that variable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-authority.h"
#include "vouch-crl.h"
#include "vouch-util.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct
{
  gboolean  done;
  GError   *error;
} Signing;

static void
signed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Signing *signing = user_data;
  g_autoptr(VouchCertificate) cert = NULL;

  cert = vouch_authority_sign_finish (VOUCH_AUTHORITY (object), result, &signing->error);
  signing->done = TRUE;
}

/* Once on this thread, once on a GTask worker thread, as the app signs. */
static gboolean
sign_twice (VouchAuthority  *authority,
            GBytes          *csr,
            GError         **error)
{
  g_autoptr(VouchCertificate) cert = NULL;
  Signing signing = { FALSE, NULL };
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  cert = vouch_authority_sign (authority, g_bytes_get_data (csr, NULL), g_bytes_get_size (csr),
                               NULL, NULL, error);
  if (cert == NULL)
    return FALSE;

  vouch_authority_sign_async (authority, csr, NULL, NULL, signed_cb, &signing);
  while (!signing.done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (!signing.done)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "signing timed out");
      return FALSE;
    }
  if (signing.error != NULL)
    {
      g_propagate_error (error, signing.error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gboolean  done;
  GError   *error;
} Importing;

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Importing *importing = user_data;

  vouch_authority_import_files_finish (VOUCH_AUTHORITY (object), result, &importing->error);
  importing->done = TRUE;
}

/* As the welcome page imports: a PKCS#12 file, or a certificate and its
 * key, on a worker thread. */
static gboolean
import_root (VouchAuthority  *authority,
             const char      *file,
             const char      *key_file,
             const char      *passphrase,
             GError         **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *key_contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) key = NULL;
  Importing importing = { FALSE, NULL };
  gsize len = 0;

  if (!g_file_get_contents (file, &contents, &len, error))
    return FALSE;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  if (key_file != NULL)
    {
      if (!g_file_get_contents (key_file, &key_contents, &len, error))
        return FALSE;
      key = g_bytes_new_take (g_steal_pointer (&key_contents), len);
    }

  vouch_authority_import_files_async (authority, bytes, key, passphrase, NULL, imported_cb,
                                      &importing);
  while (!importing.done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&key, vouch_bytes_wipe_unref);
  if (importing.error != NULL)
    {
      g_propagate_error (error, importing.error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_root (VouchAuthority  *authority,
             GError         **error)
{
  g_autoptr(VouchNameConstraints) constraints = vouch_name_constraints_new_local_defaults ();

  return vouch_authority_create_root (authority, "Key Memory Test", VOUCH_KEY_TYPE_ECDSA_P256,
                                      constraints, NULL, error);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *csr_text = NULL;
  gboolean hold = FALSE;
  gboolean create = FALSE;
  g_autofree char *import = NULL;
  g_autofree char *import_key = NULL;
  g_autofree char *passphrase = NULL;
  GOptionEntry entries[] = {
    { "import", 0, 0, G_OPTION_ARG_FILENAME, &import, NULL, NULL },
    { "import-key", 0, 0, G_OPTION_ARG_FILENAME, &import_key, NULL, NULL },
    { "passphrase", 0, 0, G_OPTION_ARG_STRING, &passphrase, NULL, NULL },
    { "create", 0, 0, G_OPTION_ARG_NONE, &create, NULL, NULL },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, NULL, NULL },
    { "csr", 0, 0, G_OPTION_ARG_FILENAME, &csr_path, NULL, NULL },
    { "hold", 0, 0, G_OPTION_ARG_NONE, &hold, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GBytes) crl = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  char line[64];

  if (g_getenv ("VOUCH_TEST_DUMPABLE") == NULL)
    vouch_process_harden ();

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || data_dir == NULL ||
      csr_path == NULL || !g_file_get_contents (csr_path, &csr_text, &len, &error))
    {
      g_printerr ("key-memory-worker: %s\n", error != NULL ? error->message : "missing options");
      return 2;
    }
  csr = g_bytes_new_take (g_steal_pointer (&csr_text), len);

  authority = vouch_authority_new (data_dir);
  if (hold)
    vouch_authority_hold (authority);
  if (!vouch_authority_load (authority, &error) ||
      (create && !create_root (authority, &error)) ||
      (import != NULL && !import_root (authority, import, import_key, passphrase, &error)) ||
      !sign_twice (authority, csr, &error) ||
      (crl = vouch_crl_generate (authority, VOUCH_CRL_DEFAULT_DAYS, FALSE, NULL, &error)) == NULL)
    {
      g_printerr ("key-memory-worker: %s\n", error->message);
      return 1;
    }

  printf ("signed\n");
  fflush (stdout);
  while (fgets (line, sizeof line, stdin) != NULL)
    ;

  if (hold)
    vouch_authority_release (authority);
  return 0;
}
