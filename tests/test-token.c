/* test-token.c: the root's key on a real SoftHSM2 token
 *
 * Each test makes its own token with softhsm2-util in a temporary
 * directory (SOFTHSM2_CONF points there); the system's p11-kit
 * registration of SoftHSM2 loads it. Nothing outside the test's directory
 * is touched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-authority-private.h"
#include "vouch-crl.h"
#include "vouch-error.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>
#include <gnutls/pkcs11.h>

#define PIN "1234"
#define SO_PIN "12345678"

typedef struct
{
  char           *data_dir;
  char           *label;
  char           *token_uri;
  VouchAuthority *authority;
} Fixture;

static guint counter;

static char *
tokens_dir (void)
{
  return g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "tokens", NULL);
}

/* Where the system's p11-kit registration says SoftHSM2's module is. */
static char *
softhsm_module (void)
{
  g_autofree char *config = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents ("/usr/share/p11-kit/modules/softhsm2.module", &config,
                                      NULL, NULL));
  lines = g_strsplit (config, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "module:"))
      return g_strstrip (g_strdup (lines[i] + strlen ("module:")));
  g_error ("softhsm2.module names no module");
}

static void
make_token (const char *label)
{
  const char *argv[] = { "softhsm2-util", "--init-token", "--free", "--label", label,
                         "--so-pin", SO_PIN, "--pin", PIN, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (vouch_test_run (argv, NULL, &out, &err, &status));
  if (status != 0)
    g_error ("softhsm2-util failed: %s%s", out, err);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("data-%u", counter);
  g_autofree char *escaped = NULL;

  fixture->label = g_strdup_printf ("Vouch Test %u", counter++);
  make_token (fixture->label);
  escaped = g_uri_escape_string (fixture->label, NULL, FALSE);
  fixture->token_uri = g_strdup_printf ("pkcs11:token=%s", escaped);

  fixture->data_dir = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), name, NULL);
  fixture->authority = vouch_authority_new (fixture->data_dir);
  g_assert_true (vouch_authority_load (fixture->authority, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  vouch_test_await_last_ref (fixture->authority);
  g_assert_finalize_object (fixture->authority);
  g_free (fixture->data_dir);
  g_free (fixture->label);
  g_free (fixture->token_uri);
}

static void
create_on_token (Fixture *fixture)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;

  vouch_authority_set_token_pin (fixture->authority, PIN);
  g_assert_true (vouch_authority_create_root_on_token (fixture->authority, "Token Root",
                                                       VOUCH_KEY_TYPE_ECDSA_P256, nc,
                                                       fixture->token_uri, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (vouch_authority_get_token_key (fixture->authority));
}

static VouchCertificate *
sign_name (Fixture    *fixture,
           const char *name,
           GError    **error)
{
  g_autofree char *csr = vouch_test_make_simple_csr (name);

  return vouch_authority_sign (fixture->authority, (const guint8 *)csr, strlen (csr), NULL, NULL,
                               error);
}

static guint
count_certs (Fixture *fixture)
{
  g_autoptr(GListModel) list = NULL;

  list = vouch_inventory_list_certificates (vouch_authority_get_inventory (fixture->authority),
                                            NULL);
  return g_list_model_get_n_items (list);
}

/* Both OpenSSL and GnuTLS's certtool accept @cert under the root. */
static void
assert_verifies (Fixture          *fixture,
                 VouchCertificate *cert)
{
  VouchRootCa *root = vouch_authority_get_root (fixture->authority);
  g_autofree char *root_pem = vouch_root_ca_dup_pem (root);
  g_autofree char *root_path = vouch_test_write_temp ("root.pem", root_pem, -1);
  g_autofree char *leaf_path = vouch_test_write_temp ("leaf.pem", vouch_certificate_get_pem (cert),
                                                      -1);
  const char *openssl[] = { "openssl", "verify", "-x509_strict", "-CAfile", root_path, leaf_path,
                            NULL };
  const char *certtool[] = { "certtool", "--verify", "--load-ca-certificate", root_path,
                             "--infile", leaf_path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (vouch_test_run (openssl, NULL, &out, &err, &status));
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, ": OK"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_true (vouch_test_run (certtool, NULL, &out, &err, &status));
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Chain verification output: Verified"));
}

/* No file Vouch wrote holds a private key, and the keyring has none. */
static void
assert_no_key_outside_token (Fixture *fixture)
{
  VouchRootCa *root = vouch_authority_get_root (fixture->authority);
  g_autoptr(GDir) dir = g_dir_open (fixture->data_dir, 0, NULL);
  g_autoptr(GError) error = NULL;
  const char *name;
  char *secret;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->data_dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_null (g_strstr_len (contents, (gssize)len, "PRIVATE KEY"));
    }

  secret = vouch_key_store_lookup_root_key (vouch_authority_get_key_store (fixture->authority),
                                            vouch_root_ca_get_sha256 (root), NULL, &error);
  g_assert_null (secret);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING);
}

/* The token refuses to give the key's value: GnuTLS reads CKA_VALUE of
 * the object, and the token answers that it is sensitive. */
static void
assert_not_extractable (Fixture *fixture)
{
  VouchTokenKey *key = vouch_authority_get_token_key (fixture->authority);
  g_autoptr(GError) error = NULL;
  gnutls_pkcs11_obj_t obj = NULL;
  gnutls_datum_t value = { NULL, 0 };
  unsigned int flags = 0;
  g_autofree char *url = g_strdup_printf ("%s;pin-value=%s", vouch_token_key_get_uri (key), PIN);

  g_assert_true (vouch_token_key_check_protected (key, PIN, &error));
  g_assert_no_error (error);

  g_assert_cmpint (gnutls_pkcs11_obj_init (&obj), ==, 0);
  g_assert_cmpint (gnutls_pkcs11_obj_import_url (obj, url, GNUTLS_PKCS11_OBJ_FLAG_LOGIN), ==, 0);
  g_assert_cmpint (gnutls_pkcs11_obj_get_flags (obj, &flags), ==, 0);
  g_assert_true (flags & GNUTLS_PKCS11_OBJ_FLAG_MARK_SENSITIVE);
  g_assert_false (flags & GNUTLS_PKCS11_OBJ_FLAG_MARK_EXTRACTABLE);
  g_assert_cmpint (gnutls_pkcs11_obj_export2 (obj, &value), <, 0);
  g_assert_null (value.data);
  gnutls_pkcs11_obj_deinit (obj);
}

static void
test_create_on_token (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(VouchAuthority) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) crl = NULL;
  const char *names[] = { "printer.lan", "nas.lan", "camera.lan" };

  create_on_token (fixture);

  vouch_authority_set_token_pin (fixture->authority, PIN);
  vouch_authority_hold (fixture->authority);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(VouchCertificate) cert = sign_name (fixture, names[i], &error);

      g_assert_no_error (error);
      assert_verifies (fixture, cert);
    }
  crl = vouch_crl_generate (fixture->authority, 30, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (crl);
  vouch_authority_release (fixture->authority);
  g_assert_false (_vouch_authority_get_key_loaded (fixture->authority));

  assert_not_extractable (fixture);
  assert_no_key_outside_token (fixture);

  /* A token's key is backed up by the token's own means. */
  g_assert_null (vouch_authority_backup (fixture->authority, "a good passphrase", NULL, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_KEY_NOT_EXPORTABLE);
  g_clear_error (&error);

  /* Reloaded from the data folder, the root still signs on the token. */
  again = vouch_authority_new (fixture->data_dir);
  g_assert_true (vouch_authority_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (vouch_token_key_get_label (vouch_authority_get_token_key (again)), ==,
                   fixture->label);
  vouch_authority_set_token_pin (again, PIN);
  {
    g_autofree char *csr = vouch_test_make_simple_csr ("again.lan");
    g_autoptr(VouchCertificate) cert = vouch_authority_sign (again, (const guint8 *)csr,
                                                             strlen (csr), NULL, NULL, &error);

    g_assert_no_error (error);
    assert_verifies (fixture, cert);
  }
  g_assert_cmpuint (count_certs (fixture), ==, 4);
}

static void
test_move_to_token (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchCertificate) before = NULL;
  g_autoptr(VouchCertificate) after = NULL;
  g_autofree char *sha256 = NULL;
  gboolean moved;

  g_assert_true (vouch_authority_create_root (fixture->authority, "Keyring Root",
                                              VOUCH_KEY_TYPE_ECDSA_P256, nc, NULL, &error));
  g_assert_no_error (error);
  sha256 = g_strdup (vouch_root_ca_get_sha256 (vouch_authority_get_root (fixture->authority)));
  before = sign_name (fixture, "before.lan", &error);
  g_assert_no_error (error);

  /* Not without a confirmed backup. */
  vouch_authority_set_token_pin (fixture->authority, PIN);
  g_assert_false (vouch_authority_move_to_token (fixture->authority, fixture->token_uri, FALSE,
                                                 NULL, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_BACKUP_NOT_CONFIRMED);
  g_clear_error (&error);
  g_assert_null (vouch_authority_get_token_key (fixture->authority));

  moved = vouch_authority_move_to_token (fixture->authority, fixture->token_uri, TRUE, NULL,
                                         &error);
  g_assert_no_error (error);
  g_assert_true (moved);
  g_assert_nonnull (vouch_authority_get_token_key (fixture->authority));
  g_assert_cmpstr (vouch_root_ca_get_sha256 (vouch_authority_get_root (fixture->authority)), ==,
                   sha256);
  assert_no_key_outside_token (fixture);
  assert_not_extractable (fixture);

  vouch_authority_set_token_pin (fixture->authority, PIN);
  after = sign_name (fixture, "after.lan", &error);
  g_assert_no_error (error);
  assert_verifies (fixture, before);
  assert_verifies (fixture, after);
}

static char *
pin_answers_cb (VouchAuthority *authority,
                VouchTokenKey  *token,
                const GError   *previous,
                gboolean       *keep,
                gpointer        user_data)
{
  guint *calls = user_data;

  (*calls)++;
  /* Wrong first, right after being told it was wrong. */
  if (previous == NULL)
    return g_strdup ("0000");
  g_assert_error ((GError *)previous, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_WRONG);
  return g_strdup (PIN);
}

static void
test_pin_errors (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  guint calls = 0;

  create_on_token (fixture);

  /* No PIN and no one to ask. */
  cert = sign_name (fixture, "nopin.lan", &error);
  g_assert_null (cert);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_NEEDED);
  g_assert_nonnull (strstr (error->message, fixture->label));
  g_clear_error (&error);

  vouch_authority_set_token_pin (fixture->authority, "9999");
  cert = sign_name (fixture, "wrong.lan", &error);
  g_assert_null (cert);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_WRONG);
  g_clear_error (&error);
  g_assert_cmpuint (count_certs (fixture), ==, 0);

  /* Asked again, told why. */
  vouch_authority_set_pin_func (fixture->authority, pin_answers_cb, &calls, NULL);
  cert = sign_name (fixture, "asked.lan", &error);
  g_assert_no_error (error);
  g_assert_nonnull (cert);
  g_assert_cmpuint (calls, ==, 2);
  g_assert_cmpuint (count_certs (fixture), ==, 1);
  vouch_authority_set_pin_func (fixture->authority, NULL, NULL, NULL);
}

static void
move_tokens (const char *from_suffix,
             const char *to_suffix)
{
  g_autofree char *dir = tokens_dir ();
  g_autofree char *from = g_strconcat (dir, from_suffix, NULL);
  g_autofree char *to = g_strconcat (dir, to_suffix, NULL);

  g_assert_cmpint (g_rename (from, to), ==, 0);
}

/* A bulk run holds the key; the token is pulled out between two
 * signatures and put back: the signature under way fails, nothing is
 * recorded for it, and signing goes on once the token is back. */
static void
test_removed_mid_run (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  VouchCertificate *cert;

  create_on_token (fixture);
  vouch_authority_set_token_pin (fixture->authority, PIN);
  vouch_authority_hold (fixture->authority);

  cert = sign_name (fixture, "one.lan", &error);
  g_assert_no_error (error);
  g_clear_object (&cert);
  cert = sign_name (fixture, "two.lan", &error);
  g_assert_no_error (error);
  g_clear_object (&cert);

  move_tokens ("", ".away");
  cert = sign_name (fixture, "three.lan", &error);
  g_assert_null (cert);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_REMOVED);
  g_clear_error (&error);
  g_assert_cmpuint (count_certs (fixture), ==, 2);

  /* Still away: absent, and still nothing recorded. */
  cert = sign_name (fixture, "three.lan", &error);
  g_assert_null (cert);
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_ABSENT);
  g_assert_nonnull (strstr (error->message, fixture->label));
  g_clear_error (&error);
  g_assert_cmpuint (count_certs (fixture), ==, 2);

  move_tokens (".away", "");
  cert = sign_name (fixture, "three.lan", &error);
  g_assert_no_error (error);
  assert_verifies (fixture, cert);
  g_clear_object (&cert);
  vouch_authority_release (fixture->authority);

  /* Each name exactly once. */
  g_assert_cmpuint (count_certs (fixture), ==, 3);
}

/* vouchctl in a mount namespace of its own, where p11-kit's registered
 * modules are those in @modules: the system's registration is never
 * touched (p11-kit ignores user configuration for root, as tests run). */
static char *
vouchctl_with_modules (const char  *modules,
                       const char  *stdin_text,
                       int         *status,
                       char       **err,
                       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  char *out = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *)"unshare");
  g_ptr_array_add (argv, (char *)"--mount");
  g_ptr_array_add (argv, (char *)"--propagation=private");
  g_ptr_array_add (argv, (char *)"sh");
  g_ptr_array_add (argv, (char *)"-c");
  g_ptr_array_add (argv, (char *)"mount --bind \"$0\" /usr/share/p11-kit/modules && exec \"$@\"");
  g_ptr_array_add (argv, (char *)modules);
  g_ptr_array_add (argv, (char *)g_getenv ("VOUCHCTL"));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  vouch_test_run ((const char * const *)argv->pdata, stdin_text, &out, err, status);
  return out;
}

/* The token's module is uninstalled: vouchctl, whose p11-kit loads
 * SoftHSM2 from a copy that then goes away. */
static void
test_module_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *tmp = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "module-test", NULL);
  g_autofree char *modules = g_build_filename (tmp, "modules", NULL);
  g_autofree char *module = g_build_filename (tmp, "libsofthsm2.so", NULL);
  g_autofree char *config = NULL;
  g_autofree char *config_path = g_build_filename (modules, "softhsm2.module", NULL);
  g_autofree char *data_home = g_build_filename (tmp, "data", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *csr = vouch_test_make_simple_csr ("module.lan");
  g_autofree char *csr_path = vouch_test_write_temp ("module.csr", csr, -1);
  g_autofree char *real_module = softhsm_module ();
  g_autofree char *lib = NULL;
  gsize lib_len = 0;
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (modules, 0700), ==, 0);
  g_assert_true (g_file_get_contents (real_module, &lib, &lib_len, NULL));
  g_assert_true (g_file_set_contents (module, lib, (gssize)lib_len, NULL));
  config = g_strdup_printf ("module: %s\n", module);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  vouch_test_set_child_env ("XDG_DATA_HOME", data_home);

  out = vouchctl_with_modules (modules, PIN "\n", &status, &err, "ca", "init", "--token",
                               fixture->token_uri, "--pin-stdin", "--json", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"key_store\" : \"pkcs11\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (g_unlink (module), ==, 0);
  out = vouchctl_with_modules (modules, PIN "\n", &status, &err, "sign", "--pin-stdin", csr_path,
                               NULL);
  g_assert_cmpint (status, ==, 5);
  g_assert_nonnull (strstr (err, "is not installed"));
  g_assert_nonnull (strstr (err, module));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Wrong PIN and no PIN, through vouchctl. */
  g_assert_true (g_file_set_contents (module, lib, (gssize)lib_len, NULL));
  out = vouchctl_with_modules (modules, "0000\n", &status, &err, "sign", "--pin-stdin", csr_path,
                               NULL);
  g_assert_cmpint (status, ==, 5);
  g_assert_nonnull (strstr (err, "is wrong"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouchctl_with_modules (modules, "", &status, &err, "sign", csr_path, NULL);
  g_assert_cmpint (status, ==, 5);
  g_assert_nonnull (strstr (err, "--pin-stdin"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouchctl_with_modules (modules, PIN "\n", &status, &err, "sign", "--pin-stdin",
                               csr_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The PIN kept in the keyring, by choice: signing asks no more. */
  out = vouchctl_with_modules (modules, PIN "\n", &status, &err, "ca", "pin", "--keep",
                               "--pin-stdin", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"pin_kept\" : true"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouchctl_with_modules (modules, "", &status, &err, "sign", csr_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouchctl_with_modules (modules, NULL, &status, &err, "ca", "pin", "--forget", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouchctl_with_modules (modules, "", &status, &err, "sign", csr_path, NULL);
  g_assert_cmpint (status, ==, 5);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouchctl_with_modules (modules, NULL, &status, &err, "ca", "tokens", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, fixture->label));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "show", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, fixture->label));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouch_test_vouchctl ("a good passphrase\n", &status, &err, "ca", "backup", "--out",
                             "/dev/null", "--passphrase-stdin", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "cannot back it up"));

  vouch_test_set_child_env ("XDG_DATA_HOME", g_get_user_data_dir ());
}

/* A token that locks its PIN after three wrong tries (SoftHSM2 behind
 * tests/pkcs11-pin-lock.c, the only module registered for vouchctl):
 * wrong, wrong on the last try, then locked, even for the right PIN. */
static void
test_pin_locked (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *tmp = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "lock-test", NULL);
  g_autofree char *modules = g_build_filename (tmp, "modules", NULL);
  g_autofree char *config_path = g_build_filename (modules, "pin-lock.module", NULL);
  g_autofree char *shim = g_test_build_filename (G_TEST_BUILT, "libvouch-test-pin-lock.so", NULL);
  g_autofree char *config = g_strdup_printf ("module: %s\n", shim);
  g_autofree char *state = g_build_filename (tmp, "tries", NULL);
  g_autofree char *data_home = g_build_filename (tmp, "data", NULL);
  g_autofree char *csr = vouch_test_make_simple_csr ("locked.lan");
  g_autofree char *csr_path = vouch_test_write_temp ("locked.csr", csr, -1);
  const char *expected[] = { "is wrong", "next wrong PIN locks", "is locked", "is locked" };
  const char *pins[] = { "0000\n", "0000\n", "0000\n", PIN "\n" };
  g_autofree char *real_module = softhsm_module ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (modules, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  vouch_test_set_child_env ("VOUCH_TEST_REAL_MODULE", real_module);
  vouch_test_set_child_env ("VOUCH_TEST_LOCK_STATE", state);
  vouch_test_set_child_env ("XDG_DATA_HOME", data_home);

  out = vouchctl_with_modules (modules, PIN "\n", &status, &err, "ca", "init", "--token",
                               fixture->token_uri, "--pin-stdin", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (pins); i++)
    {
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      out = vouchctl_with_modules (modules, pins[i], &status, &err, "sign", "--pin-stdin",
                                   csr_path, NULL);
      g_assert_cmpint (status, ==, 5);
      if (strstr (err, expected[i]) == NULL)
        g_error ("try %u: expected “%s”, got: %s", i, expected[i], err);
    }

  /* Nothing was issued or recorded. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = vouchctl_with_modules (modules, NULL, &status, &err, "certs", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (out, "locked.lan"));

  vouch_test_set_child_env ("XDG_DATA_HOME", g_get_user_data_dir ());
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *conf_path = NULL;

  g_test_init (&argc, &argv, NULL);

  /* Before GnuTLS loads the modules: SoftHSM2 reads this when loaded. */
  dir = tokens_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  conf = g_strdup_printf ("directories.tokendir = %s\nobjectstore.backend = file\n"
                          "log.level = ERROR\n", dir);
  conf_path = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "softhsm2.conf", NULL);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  g_setenv ("SOFTHSM2_CONF", conf_path, TRUE);

  g_test_add ("/token/create-on-token", Fixture, NULL, fixture_setup, test_create_on_token,
              fixture_teardown);
  g_test_add ("/token/move-to-token", Fixture, NULL, fixture_setup, test_move_to_token,
              fixture_teardown);
  g_test_add ("/token/pin-errors", Fixture, NULL, fixture_setup, test_pin_errors,
              fixture_teardown);
  g_test_add ("/token/removed-mid-run", Fixture, NULL, fixture_setup, test_removed_mid_run,
              fixture_teardown);
  g_test_add ("/token/module-missing", Fixture, NULL, fixture_setup, test_module_missing,
              fixture_teardown);
  g_test_add ("/token/pin-locked", Fixture, NULL, fixture_setup, test_pin_locked,
              fixture_teardown);

  return g_test_run ();
}
