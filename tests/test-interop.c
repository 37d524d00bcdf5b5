/* test-interop.c: Vouch's certificates against OpenSSL, GnuTLS, curl and
 * mkcert. Runs inside a private network namespace (tools/private-lan).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-authority.h"
#include "vouch-error.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>

static char *
tmp_path (const char *name)
{
  return g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), name, NULL);
}

static gboolean
run_ok (const char * const *argv,
        char              **out_text)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;
  gboolean ok = vouch_test_run (argv, NULL, &out, &err, &status);

  if (out_text != NULL)
    *out_text = g_strconcat (out, err, NULL);
  return ok;
}

/* A key and CSR made by OpenSSL, as a device's firmware might. */
static void
openssl_csr (const char *algo_arg,
             const char *name,
             const char *key_path,
             const char *csr_path)
{
  g_autofree char *subject = g_strdup_printf ("/CN=%s", name);
  g_autofree char *san = g_strdup_printf ("subjectAltName=DNS:%s,IP:127.0.0.1", name);
  const char *argv[] = { "openssl", "req", "-new", "-newkey", algo_arg, "-nodes",
                         "-keyout", key_path, "-subj", subject, "-addext", san,
                         "-out", csr_path, NULL };
  g_autofree char *text = NULL;

  if (!run_ok (argv, &text))
    g_error ("openssl req failed: %s", text);
}

static VouchAuthority *
new_authority (const char *dir_name,
               const char *extra_permit)
{
  g_autofree char *dir = tmp_path (dir_name);
  VouchAuthority *authority = vouch_authority_new (dir);
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;

  if (extra_permit != NULL)
    g_assert_true (vouch_name_constraints_add (nc, extra_permit, &error));
  g_assert_true (vouch_authority_create_root (authority, "Interop Root", VOUCH_KEY_TYPE_ECDSA_P256,
                                              nc, NULL, &error));
  g_assert_no_error (error);
  return authority;
}

static char *
sign_file (VouchAuthority *authority,
           const char     *csr_path,
           const char     *name)
{
  g_autofree char *csr = NULL;
  g_autofree char *path = tmp_path (name);
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (csr_path, &csr, &len, &error));
  cert = vouch_authority_sign (authority, (const guint8 *)csr, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, vouch_certificate_get_pem (cert), -1, &error));
  return g_steal_pointer (&path);
}

static char *
write_root (VouchAuthority *authority)
{
  g_autofree char *path = tmp_path ("interop-root.pem");
  VouchCertificate *root = vouch_root_ca_get_certificate (vouch_authority_get_root (authority));

  g_assert_true (g_file_set_contents (path, vouch_certificate_get_pem (root), -1, NULL));
  return g_steal_pointer (&path);
}

static void
assert_verifies (const char *root,
                 const char *leaf,
                 gboolean    expected)
{
  const char *openssl[] = { "openssl", "verify", "-x509_strict", "-CAfile", root, leaf, NULL };
  const char *certtool[] = { "certtool", "--verify", "--load-ca-certificate", root,
                             "--infile", leaf, NULL };
  g_autofree char *openssl_out = NULL;
  g_autofree char *certtool_out = NULL;
  gboolean openssl_ok = run_ok (openssl, &openssl_out);
  gboolean certtool_ok = run_ok (certtool, &certtool_out);

  /* certtool exits 0 even for some failures; its verdict is in the text. */
  certtool_ok = certtool_ok && strstr (certtool_out, "The certificate is trusted") != NULL;

  if (openssl_ok != expected)
    g_error ("openssl verify of %s: expected %s, got: %s", leaf, expected ? "OK" : "failure",
             openssl_out);
  if (certtool_ok != expected)
    g_error ("certtool --verify of %s: expected %s, got: %s", leaf, expected ? "OK" : "failure",
             certtool_out);
}

static void
test_verifiers_accept (void)
{
  g_autoptr(VouchAuthority) authority = new_authority ("verifiers", "127.0.0.0/8");
  g_autofree char *root = write_root (authority);
  const char *algos[] = { "rsa:2048", "rsa:3072", NULL };
  const char *params[] = { "prime256v1", "secp384r1", NULL };

  /* Both EC curves through an explicit parameter file. */
  for (guint i = 0; params[i] != NULL; i++)
    {
      g_autofree char *param_path = tmp_path ("ec.param");
      g_autofree char *algo = g_strdup_printf ("ec:%s", param_path);
      g_autofree char *key = tmp_path ("leaf.key");
      g_autofree char *csr = tmp_path ("leaf.csr");
      g_autofree char *leaf = NULL;
      const char *genparam[] = { "openssl", "ecparam", "-name", params[i], "-out", param_path,
                                 NULL };

      g_assert_true (run_ok (genparam, NULL));
      openssl_csr (algo, "sensor.local", key, csr);
      leaf = sign_file (authority, csr, "leaf.pem");
      assert_verifies (root, leaf, TRUE);
    }

  for (guint i = 0; algos[i] != NULL; i++)
    {
      g_autofree char *key = tmp_path ("leaf.key");
      g_autofree char *csr = tmp_path ("leaf.csr");
      g_autofree char *leaf = NULL;

      openssl_csr (algos[i], "plc.lan", key, csr);
      leaf = sign_file (authority, csr, "leaf.pem");
      assert_verifies (root, leaf, TRUE);
    }
}

/* A certificate for a public name, signed with the root's real key but
 * not by Vouch: the name constraints must stop every verifier. */
static void
test_verifiers_enforce_constraints (void)
{
  g_autoptr(VouchAuthority) authority = new_authority ("constraints", NULL);
  g_autofree char *root = write_root (authority);
  g_autofree char *root_key = tmp_path ("root.key");
  g_autofree char *leaf_key = tmp_path ("evil.key");
  g_autofree char *csr = tmp_path ("evil.csr");
  g_autofree char *template = tmp_path ("evil.tmpl");
  g_autofree char *leaf = tmp_path ("evil.pem");
  VouchRootCa *ca = vouch_authority_get_root (authority);
  g_autoptr(GError) error = NULL;
  char *secret;
  const char *argv[] = { "certtool", "--generate-certificate", "--load-request", csr,
                         "--load-ca-certificate", root, "--load-ca-privkey", root_key,
                         "--template", template, "--outfile", leaf, NULL };
  g_autofree char *text = NULL;

  secret = vouch_key_store_lookup_root_key (vouch_authority_get_key_store (authority),
                                            vouch_root_ca_get_sha256 (ca), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (root_key, secret, -1, NULL));
  vouch_key_store_free_secret (secret);

  openssl_csr ("rsa:2048", "www.example.com", leaf_key, csr);
  g_assert_true (g_file_set_contents (template,
                                      "cn = www.example.com\ndns_name = www.example.com\n"
                                      "tls_www_server\nexpiration_days = 30\n", -1, NULL));
  if (!run_ok (argv, &text))
    g_error ("certtool could not build the test certificate: %s", text);
  g_unlink (root_key);

  assert_verifies (root, leaf, FALSE);
}

static GSubprocess *
start_tls_server (const char *cert,
                  const char *key,
                  int         port)
{
  g_autofree char *accept = g_strdup_printf ("127.0.0.1:%d", port);
  g_autoptr(GError) error = NULL;
  GSubprocess *server;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE |
                             G_SUBPROCESS_FLAGS_STDIN_PIPE,
                             &error, "openssl", "s_server", "-quiet", "-accept", accept,
                             "-cert", cert, "-key", key, "-www", NULL);
  g_assert_no_error (error);
  return server;
}

static gboolean
curl_ok (const char *cacert,
         int         port,
         char      **out_text)
{
  g_autofree char *resolve = g_strdup_printf ("device.local:%d:127.0.0.1", port);
  g_autofree char *url = g_strdup_printf ("https://device.local:%d/", port);
  const char *argv[] = { "curl", "--silent", "--show-error", "--max-time", "5",
                         "--cacert", cacert, "--resolve", resolve, url, "-o", "/dev/null", NULL };

  return run_ok (argv, out_text);
}

static void
test_mkcert_root_with_curl (void)
{
  g_autofree char *caroot = tmp_path ("mkcert");
  g_autofree char *ca_cert = g_build_filename (caroot, "rootCA.pem", NULL);
  g_autofree char *ca_key = g_build_filename (caroot, "rootCA-key.pem", NULL);
  g_autofree char *key = tmp_path ("device.key");
  g_autofree char *csr = tmp_path ("device.csr");
  g_autofree char *leaf = tmp_path ("device.pem");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before_cert = NULL;
  g_autofree char *before_key = NULL;
  g_autofree char *after_cert = NULL;
  g_autofree char *after_key = NULL;
  g_autoptr(GSubprocess) server = NULL;
  const char *mkcert[] = { "mkcert", "-cert-file", leaf, "-key-file", key, "bootstrap.local", NULL };
  int port = g_random_int_range (20000, 40000);
  int status = -1;
  gboolean ok = FALSE;

  vouch_test_set_child_env ("CAROOT", caroot);
  g_assert_cmpint (g_mkdir_with_parents (caroot, 0700), ==, 0);
  g_assert_true (run_ok (mkcert, NULL));
  g_assert_true (g_file_get_contents (ca_cert, &before_cert, NULL, NULL));
  g_assert_true (g_file_get_contents (ca_key, &before_key, NULL, NULL));

  g_clear_pointer (&out, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "import", ca_cert, ca_key, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "left untouched"));

  /* The source files are left as they were. */
  g_assert_true (g_file_get_contents (ca_cert, &after_cert, NULL, NULL));
  g_assert_true (g_file_get_contents (ca_key, &after_key, NULL, NULL));
  g_assert_cmpstr (before_cert, ==, after_cert);
  g_assert_cmpstr (before_key, ==, after_key);

  openssl_csr ("rsa:2048", "device.local", key, csr);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl (NULL, &status, &err, "sign", csr, "--out", leaf, NULL);
  if (status != 0)
    g_error ("vouchctl sign failed: %s", err);

  server = start_tls_server (leaf, key, port);
  /* Bounded wait for the server to listen. */
  for (guint attempt = 0; attempt < 50 && !ok; attempt++)
    {
      g_clear_pointer (&out, g_free);
      ok = curl_ok (ca_cert, port, &out);
      if (!ok)
        g_usleep (100 * 1000);
    }
  if (!ok)
    g_error ("curl did not trust the certificate: %s", out);

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

static void
test_curl_refuses_other_root (void)
{
  g_autoptr(VouchAuthority) authority = new_authority ("curl-other", "127.0.0.0/8");
  g_autoptr(VouchAuthority) stranger = new_authority ("curl-stranger", NULL);
  g_autofree char *stranger_root = write_root (stranger);
  g_autofree char *key = tmp_path ("other.key");
  g_autofree char *csr = tmp_path ("other.csr");
  g_autofree char *leaf = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) server = NULL;
  int port = g_random_int_range (40001, 60000);
  gboolean refused = FALSE;

  openssl_csr ("rsa:2048", "device.local", key, csr);
  leaf = sign_file (authority, csr, "other.pem");
  server = start_tls_server (leaf, key, port);

  for (guint attempt = 0; attempt < 50 && !refused; attempt++)
    {
      g_clear_pointer (&out, g_free);
      if (curl_ok (stranger_root, port, &out))
        g_error ("curl trusted a certificate from another root");
      /* Until the server listens, curl fails to connect (exit 7). */
      refused = strstr (out, "certificate") != NULL;
      if (!refused)
        g_usleep (100 * 1000);
    }
  g_assert_true (refused);

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("VOUCH_PRIVATE_LAN") == NULL)
    g_error ("run this test through tools/private-lan: it starts TLS servers");

  g_test_add_func ("/interop/verifiers-accept", test_verifiers_accept);
  g_test_add_func ("/interop/verifiers-enforce-constraints", test_verifiers_enforce_constraints);
  g_test_add_func ("/interop/mkcert-root-with-curl", test_mkcert_root_with_curl);
  g_test_add_func ("/interop/curl-refuses-other-root", test_curl_refuses_other_root);

  return g_test_run ();
}
