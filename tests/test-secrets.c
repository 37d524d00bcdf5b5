/* test-secrets.c: after a full scenario with the real binaries, no private
 * key material is anywhere Vouch wrote or printed
 *
 * vouchctl creates a root, signs a CSR, backs it up, restores it into a
 * second data folder, imports an mkcert root into a third, and onboards a
 * real vouch-agent found over mDNS; every command runs with
 * G_MESSAGES_DEBUG=all and its own TMPDIR, and all of its output is kept.
 * Then each root's key is read back from the keyring, and HOME, the data
 * folders, the temporary folder and all that output are searched for it:
 * PEM body lines, the PKCS#8 DER, the raw EC scalar. The backup must be
 * mode 0600 and encrypted with AES-256 (PBES2) throughout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>
#include <gnutls/pkcs12.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#define PASSPHRASE "correct horse battery staple"

static GString *output;

static char *
vouchctl (const char *stdin_text,
          int         expected_status,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  int status = -1;
  va_list args;

  g_ptr_array_add (argv, (char *)g_getenv ("VOUCHCTL"));
  va_start (args, expected_status);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (vouch_test_run ((const char * const *)argv->pdata, stdin_text, &out, &err,
                                 &status));
  g_string_append_printf (output, "%s\n%s\n", out != NULL ? out : "", err != NULL ? err : "");
  if (status != expected_status)
    g_error ("vouchctl %s exited %d, not %d: %s", (char *)argv->pdata[1], status,
             expected_status, err);
  return g_steal_pointer (&out);
}

static char *
root_key_from_keyring (void)
{
  g_autofree char *shown = vouchctl (NULL, 0, "ca", "show", "--json", NULL);
  g_autoptr(JsonNode) node = json_from_string (shown, NULL);
  const char *sha;
  char *key = NULL;

  g_assert_nonnull (node);
  sha = json_object_get_string_member (json_node_get_object (node), "sha256");
  {
    /* GLib prints debug messages on standard output: not here. */
    const char *argv[] = { "env", "-u", "G_MESSAGES_DEBUG", "secret-tool", "lookup",
                           "root-sha256", sha, NULL };

    if (!vouch_test_run (argv, NULL, &key, NULL, NULL) || key == NULL ||
        strstr (key, "PRIVATE KEY") == NULL)
      g_error ("the root key of %s is not in the keyring", sha);
  }
  return key;
}

/* The backup's key is shrouded with AES-256 under PBES2, and its
 * encrypted bags use AES-256 too; no key is stored in the clear. */
static void
assert_backup_encrypted (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  gnutls_pkcs12_t p12 = NULL;
  gnutls_datum_t datum;
  guint encrypted_bags = 0;
  guint shrouded_keys = 0;
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  datum.data = (unsigned char *)contents;
  datum.size = (unsigned int)len;
  g_assert_cmpint (gnutls_pkcs12_init (&p12), ==, 0);
  g_assert_cmpint (gnutls_pkcs12_import (p12, &datum, GNUTLS_X509_FMT_DER, 0), ==, 0);
  g_assert_cmpint (gnutls_pkcs12_verify_mac (p12, PASSPHRASE), ==, 0);

  for (int i = 0;; i++)
    {
      gnutls_pkcs12_bag_t bag = NULL;
      int ret;

      g_assert_cmpint (gnutls_pkcs12_bag_init (&bag), ==, 0);
      ret = gnutls_pkcs12_get_bag (p12, i, bag);
      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        {
          gnutls_pkcs12_bag_deinit (bag);
          break;
        }
      g_assert_cmpint (ret, ==, 0);

      if (gnutls_pkcs12_bag_get_type (bag, 0) == GNUTLS_BAG_ENCRYPTED)
        {
          unsigned int schema = 0;
          unsigned int cipher = 0;
          unsigned char salt[64];
          unsigned int salt_size = sizeof salt;
          unsigned int iterations = 0;
          char *oid = NULL;

          g_assert_cmpint (gnutls_pkcs12_bag_enc_info (bag, &schema, &cipher, salt, &salt_size,
                                                       &iterations, &oid), ==, 0);
          gnutls_free (oid);
          g_assert_cmpint (cipher, ==, GNUTLS_CIPHER_AES_256_CBC);
          g_assert_cmpuint (iterations, >=, 10000);
          encrypted_bags++;
          g_assert_cmpint (gnutls_pkcs12_bag_decrypt (bag, PASSPHRASE), ==, 0);
        }

      for (int j = 0; j < gnutls_pkcs12_bag_get_count (bag); j++)
        {
          int type = gnutls_pkcs12_bag_get_type (bag, j);

          g_assert_cmpint (type, !=, GNUTLS_BAG_PKCS8_KEY);
          if (type == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY)
            {
              gnutls_datum_t data;
              unsigned int schema = 0;
              unsigned int cipher = 0;

              g_assert_cmpint (gnutls_pkcs12_bag_get_data (bag, j, &data), ==, 0);
              g_assert_cmpint (gnutls_pkcs8_info (&data, GNUTLS_X509_FMT_DER, &schema, &cipher,
                                                  NULL, NULL, NULL, NULL), ==, 0);
              g_assert_cmpint (cipher, ==, GNUTLS_CIPHER_AES_256_CBC);
              shrouded_keys++;
            }
        }
      gnutls_pkcs12_bag_deinit (bag);
    }

  /* The key is always shrouded; the certificate, public anyway, sits in
   * an encrypted bag too. */
  g_assert_cmpuint (shrouded_keys, ==, 1);
  g_assert_cmpuint (encrypted_bags, >=, 1);
  gnutls_pkcs12_deinit (p12);
  g_test_message ("backup: %u encrypted bag(s), %u shrouded key(s)", encrypted_bags,
                  shrouded_keys);
}

static void
assert_clean (GPtrArray  *needles,
              const char *what)
{
  const char *tmp = g_getenv ("VOUCH_TEST_TMPDIR");

  vouch_test_assert_tree_clean (g_get_home_dir (), needles);
  vouch_test_assert_tree_clean (tmp, needles);
  for (guint i = 0; i < needles->len; i++)
    {
      gsize len = 0;
      const void *needle = g_bytes_get_data (g_ptr_array_index (needles, i), &len);

      if (memmem (output->str, output->len, needle, len) != NULL)
        g_error ("vouchctl's output holds %s key material (needle %u)", what, i);
    }
}

static void
test_full_scenario (void)
{
  const char *tmp = g_getenv ("VOUCH_TEST_TMPDIR");
  g_autofree char *data_a = g_build_filename (tmp, "data-created", NULL);
  g_autofree char *data_b = g_build_filename (tmp, "data-restored", NULL);
  g_autofree char *data_c = g_build_filename (tmp, "data-imported", NULL);
  g_autofree char *child_tmp = g_build_filename (tmp, "child-tmp", NULL);
  g_autofree char *backup = g_build_filename (tmp, "root-backup.p12", NULL);
  g_autofree char *csr = vouch_test_make_simple_csr ("printer.local");
  g_autofree char *csr_path = vouch_test_write_temp ("secrets.csr", csr, -1);
  g_autofree char *created_key = NULL;
  g_autofree char *restored_key = NULL;
  g_autofree char *imported_key = NULL;
  /* The simulated device keeps its own key in its state folder, which is
   * not Vouch's to keep clean: it lives outside the folders searched. */
  g_autofree char *agent_state = g_dir_make_tmp ("vouch-secrets-agent-XXXXXX", NULL);
  g_autoptr(GPtrArray) needles = NULL;
  g_autoptr(GPtrArray) imported_needles = NULL;
  g_autoptr(TestAgent) agent = NULL;
  g_autofree char *caroot = NULL;

  output = g_string_new (NULL);
  g_assert_cmpint (g_mkdir_with_parents (child_tmp, 0700), ==, 0);
  vouch_test_set_child_env ("G_MESSAGES_DEBUG", "all");
  vouch_test_set_child_env ("TMPDIR", child_tmp);

  /* A root, a signature, a backup. */
  vouch_test_set_child_env ("XDG_DATA_HOME", data_a);
  g_free (vouchctl (NULL, 0, "ca", "init", "--name", "Secrets Root", "--permit", "127.0.0.0/8",
                    NULL));
  g_free (vouchctl (NULL, 0, "sign", csr_path, "--chain", NULL));
  g_free (vouchctl (PASSPHRASE "\n", 0, "ca", "backup", "--out", backup, "--passphrase-stdin",
                    NULL));
  created_key = root_key_from_keyring ();
  assert_backup_encrypted (backup);

  /* A real device, found over mDNS, verified and onboarded. */
  {
    const char *args[] = { "--name", "Secrets Cam", "--hostname", "secrets-cam.local", NULL };
    g_autofree char *listed = NULL;
    g_autofree char *token = g_strdup_printf ("%s\n", TEST_ADMIN_TOKEN);

    agent = test_agent_start (agent_state, "127.0.3.1", args);
    listed = vouchctl (NULL, 0, "devices", "--timeout", "8", "--json", NULL);
    g_assert_nonnull (strstr (listed, agent->device_id));
    g_free (vouchctl (token, 0, "verify", agent->device_id, "--setup-code", agent->setup_code,
                      "--admin-token-stdin", "--browse", "5", NULL));
    g_free (vouchctl (NULL, 0, "onboard", "--all", "--browse", "5", NULL));
    g_free (vouchctl (NULL, 0, "certs", NULL));
  }

  /* The backup restored into a second data folder. */
  vouch_test_set_child_env ("XDG_DATA_HOME", data_b);
  g_free (vouchctl (PASSPHRASE "\n", 0, "ca", "restore", backup, "--passphrase-stdin", NULL));
  restored_key = root_key_from_keyring ();
  g_assert_cmpstr (restored_key, ==, created_key);

  /* mkcert's root imported into a third. Its source files live outside
   * every folder searched, and are deleted once imported. */
  vouch_test_set_child_env ("XDG_DATA_HOME", data_c);
  caroot = g_dir_make_tmp ("vouch-mkcert-XXXXXX", NULL);
  g_assert_nonnull (caroot);
  {
    g_autofree char *cert = g_build_filename (caroot, "rootCA.pem", NULL);
    g_autofree char *key = g_build_filename (caroot, "rootCA-key.pem", NULL);
    g_autofree char *leaf = g_build_filename (caroot, "leaf.pem", NULL);
    g_autofree char *leaf_key = g_build_filename (caroot, "leaf-key.pem", NULL);
    g_autofree char *caroot_env = g_strdup_printf ("CAROOT=%s", caroot);
    const char *mkcert[] = { "env", caroot_env, "mkcert", "-cert-file", leaf, "-key-file",
                             leaf_key, "secrets.local", NULL };
    int status = -1;

    g_assert_true (vouch_test_run (mkcert, NULL, NULL, NULL, &status));
    g_assert_cmpint (status, ==, 0);
    g_free (vouchctl (NULL, 0, "ca", "import", cert, key, NULL));
    g_unlink (cert);
    g_unlink (key);
    g_unlink (leaf);
    g_unlink (leaf_key);
    g_rmdir (caroot);
  }
  imported_key = root_key_from_keyring ();
  g_assert_cmpstr (imported_key, !=, created_key);

  test_agent_stop (agent);
  {
    const char *rm[] = { "rm", "-rf", agent_state, NULL };

    g_assert_true (vouch_test_run (rm, NULL, NULL, NULL, NULL));
  }

  needles = vouch_test_key_needles (created_key);
  imported_needles = vouch_test_key_needles (imported_key);
  assert_clean (needles, "the created root's");
  assert_clean (imported_needles, "the imported root's");
  g_test_message ("searched %u bytes of output and every file under %s", (guint)output->len, tmp);

  g_string_free (output, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();

  g_test_add_func ("/secrets/full-scenario", test_full_scenario);

  return g_test_run ();
}
