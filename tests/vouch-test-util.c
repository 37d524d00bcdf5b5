/* vouch-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-test-util.h"
#include "vouch-util.h"

#include <gnutls/abstract.h>
#include <string.h>

static gnutls_x509_privkey_t
make_key (TestKeyKind kind)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_pk_algorithm_t algo;
  unsigned int bits;
  int ret;

  switch (kind)
    {
    case TEST_KEY_P256:
      algo = GNUTLS_PK_ECDSA;
      bits = GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1);
      break;
    case TEST_KEY_P384:
      algo = GNUTLS_PK_ECDSA;
      bits = GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP384R1);
      break;
    case TEST_KEY_P521:
      algo = GNUTLS_PK_ECDSA;
      bits = GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP521R1);
      break;
    case TEST_KEY_RSA1024:
      algo = GNUTLS_PK_RSA;
      bits = 1024;
      break;
    case TEST_KEY_RSA2048:
      algo = GNUTLS_PK_RSA;
      bits = 2048;
      break;
    case TEST_KEY_DSA:
      algo = GNUTLS_PK_DSA;
      bits = 2048;
      break;
    case TEST_KEY_ED25519:
      algo = GNUTLS_PK_EDDSA_ED25519;
      bits = 256;
      break;
    default:
      g_assert_not_reached ();
    }

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  ret = gnutls_x509_privkey_generate (key, algo, bits, 0);
  g_assert_cmpint (ret, ==, 0);
  return key;
}

/* Builds a CSR the way a device (or an attacker) would, with whatever the
 * spec asks for, including what Vouch must refuse. */
char *
vouch_test_make_csr (const TestCsrSpec *spec)
{
  gnutls_x509_privkey_t key = make_key (spec->key);
  gnutls_x509_crq_t crq = NULL;
  gnutls_privkey_t signer = NULL;
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  g_assert_cmpint (gnutls_x509_crq_init (&crq), ==, 0);
  g_assert_cmpint (gnutls_x509_crq_set_version (crq, 1), ==, 0);
  if (spec->common_name != NULL)
    g_assert_cmpint (gnutls_x509_crq_set_dn_by_oid (crq, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                    spec->common_name,
                                                    (unsigned int)strlen (spec->common_name)),
                     ==, 0);
  g_assert_cmpint (gnutls_x509_crq_set_key (crq, key), ==, 0);

  for (guint i = 0; spec->dns_names != NULL && spec->dns_names[i] != NULL; i++)
    g_assert_cmpint (gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_DNSNAME,
                                                           spec->dns_names[i],
                                                           (unsigned int)strlen (spec->dns_names[i]),
                                                           GNUTLS_FSAN_APPEND),
                     ==, 0);

  for (guint i = 0; spec->addresses != NULL && spec->addresses[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (spec->addresses[i]);

      g_assert_nonnull (address);
      g_assert_cmpint (gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_IPADDRESS,
                                                             g_inet_address_to_bytes (address),
                                                             (unsigned int)g_inet_address_get_native_size (address),
                                                             GNUTLS_FSAN_APPEND),
                       ==, 0);
    }

  if (spec->email != NULL)
    g_assert_cmpint (gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_RFC822NAME,
                                                           spec->email,
                                                           (unsigned int)strlen (spec->email),
                                                           GNUTLS_FSAN_APPEND),
                     ==, 0);

  if (spec->ask_ca)
    g_assert_cmpint (gnutls_x509_crq_set_basic_constraints (crq, 1, -1), ==, 0);

  if (spec->challenge != NULL)
    g_assert_cmpint (gnutls_x509_crq_set_challenge_password (crq, spec->challenge), ==, 0);

  g_assert_cmpint (gnutls_privkey_init (&signer), ==, 0);
  g_assert_cmpint (gnutls_privkey_import_x509 (signer, key, 0), ==, 0);
  /* EdDSA signs the message itself and takes no separate digest. */
  g_assert_cmpint (gnutls_x509_crq_privkey_sign (crq, signer,
                                                 spec->key == TEST_KEY_ED25519 ? GNUTLS_DIG_UNKNOWN
                                                                               : GNUTLS_DIG_SHA256,
                                                 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_PEM, &out), ==, 0);

  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  gnutls_privkey_deinit (signer);
  gnutls_x509_crq_deinit (crq);
  gnutls_x509_privkey_deinit (key);
  return pem;
}

char *
vouch_test_make_simple_csr (const char *name)
{
  const char *names[] = { name, NULL };
  TestCsrSpec spec = { .key = TEST_KEY_P256, .common_name = name, .dns_names = names };

  return vouch_test_make_csr (&spec);
}

static GHashTable *child_env;

/* Environment for the programs tests start; setenv() in a threaded test
 * process is unsafe, so children get it through their launcher. */
void
vouch_test_set_child_env (const char *name,
                          const char *value)
{
  if (child_env == NULL)
    child_env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (child_env, g_strdup (name), g_strdup (value));
}

gboolean
vouch_test_run (const char * const  *argv,
                const char          *stdin_text,
                char               **out_stdout,
                char               **out_stderr,
                int                 *out_status)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (stdin_text != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;

  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
    GHashTableIter iter;
    gpointer name, value;

    if (child_env != NULL)
      {
        g_hash_table_iter_init (&iter, child_env);
        while (g_hash_table_iter_next (&iter, &name, &value))
          g_subprocess_launcher_setenv (launcher, name, value, TRUE);
      }
    proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
  }
  g_subprocess_communicate_utf8 (proc, stdin_text, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (out_status != NULL)
    *out_status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);

  return g_subprocess_get_successful (proc);
}

/**
 * vouch_test_vouchctl:
 * @...: the arguments, %NULL-terminated
 *
 * Returns: vouchctl's standard output
 */
char *
vouch_test_vouchctl (const char  *stdin_text,
                     int         *out_status,
                     char       **out_stderr,
                     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *vouchctl = g_getenv ("VOUCHCTL");
  char *out = NULL;
  const char *arg;
  va_list args;

  g_assert_nonnull (vouchctl);
  g_ptr_array_add (argv, (char *)vouchctl);
  va_start (args, out_stderr);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  vouch_test_run ((const char * const *)argv->pdata, stdin_text, &out, out_stderr, out_status);
  return out;
}

char *
vouch_test_write_temp (const char *name,
                       const char *contents,
                       gssize      len)
{
  const char *dir = g_getenv ("VOUCH_TEST_TMPDIR");
  char *path;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

/* The secret encodings of a PEM private key: its unencrypted PKCS#8 DER
 * and, for EC keys, the raw private scalar (else *out_scalar is NULL),
 * without the leading zero byte an encoder may drop. Free them with
 * vouch_bytes_wipe_unref. */
void
vouch_test_key_secrets (const char  *pem,
                        GBytes     **out_pkcs8_der,
                        GBytes     **out_scalar)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t datum = { (unsigned char *)pem, (unsigned int)strlen (pem) };
  gnutls_datum_t der = { NULL, 0 };
  gnutls_datum_t k = { NULL, 0 };
  gnutls_ecc_curve_t curve;

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_import (key, &datum, GNUTLS_X509_FMT_PEM), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_DER, NULL,
                                                      GNUTLS_PKCS_PLAIN, &der), ==, 0);
  *out_pkcs8_der = g_bytes_new (der.data, der.size);
  *out_scalar = NULL;
  if (gnutls_x509_privkey_export_ecc_raw (key, &curve, NULL, NULL, &k) == 0)
    {
      guint skip = k.size > 1 && k.data[0] == 0 ? 1 : 0;

      *out_scalar = g_bytes_new (k.data + skip, k.size - skip);
      vouch_datum_wipe_free (&k);
    }
  vouch_datum_wipe_free (&der);
  gnutls_x509_privkey_deinit (key);
}

/* What would betray a leaked key: the PEM armour, every line of its
 * base64 body, its DER encoding, and for EC keys the raw private scalar. */
GPtrArray *
vouch_test_key_needles (const char *pkcs8_pem)
{
  GPtrArray *needles = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  g_auto(GStrv) lines = g_strsplit (pkcs8_pem, "\n", -1);
  GBytes *der = NULL;
  GBytes *scalar = NULL;

  g_ptr_array_add (needles, g_bytes_new_static ("PRIVATE KEY-----", 16));
  for (guint i = 0; lines[i] != NULL; i++)
    if (strlen (lines[i]) >= 40 && !g_str_has_prefix (lines[i], "-----"))
      g_ptr_array_add (needles, g_bytes_new (lines[i], strlen (lines[i])));

  vouch_test_key_secrets (pkcs8_pem, &der, &scalar);
  g_ptr_array_add (needles, der);
  if (scalar != NULL)
    g_ptr_array_add (needles, scalar);
  return needles;
}

static void
scan_file (const char *path,
           GPtrArray  *needles)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return;

  for (guint i = 0; i < needles->len; i++)
    {
      gsize needle_len = 0;
      const void *needle = g_bytes_get_data (g_ptr_array_index (needles, i), &needle_len);

      if (memmem (contents, len, needle, needle_len) != NULL)
        g_error ("%s holds private key material (needle %u)", path, i);
    }
}

/* Walks @dir and fails if any file contains one of @needles. */
void
vouch_test_assert_tree_clean (const char *dir,
                              GPtrArray  *needles)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        vouch_test_assert_tree_clean (path, needles);
      else
        scan_file (path, needles);
    }
}

static guint handshakes;

static gboolean
count_handshake (GSignalInvocationHint *hint,
                 guint                  n_values,
                 const GValue          *values,
                 gpointer               user_data)
{
  handshakes++;
  return TRUE;
}

/* Every TLS client connection in this process asks ::accept-certificate
 * (Vouch's device database vouches for nothing), so this counts the full
 * handshakes Vouch makes. Returns the counter, to reset and read. */
guint *
vouch_test_count_handshakes (void)
{
  static gsize hooked = 0;

  if (g_once_init_enter (&hooked))
    {
      G_GNUC_UNUSED g_autoptr(GTypeClass) tls_class = g_type_class_ref (G_TYPE_TLS_CONNECTION);

      g_signal_add_emission_hook (g_signal_lookup ("accept-certificate", G_TYPE_TLS_CONNECTION), 0,
                                  count_handshake, NULL, NULL);
      g_once_init_leave (&hooked, 1);
    }
  return &handshakes;
}

/* A GTask run in a thread drops its reference to the source object just
 * after the result is delivered to the main context, so teardown waits a
 * bounded moment (generous for valgrind and the sanitizers) before it
 * asserts that @object is finalized. */
void
vouch_test_await_last_ref (gpointer object)
{
  for (int i = 0; i < 5000 && g_atomic_int_get (&G_OBJECT (object)->ref_count) > 1; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* A GAsyncReadyCallback that keeps the result in the GAsyncResult * that
 * @user_data points to, for vouch_test_wait_result. */
void
vouch_test_store_result_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the main loop until *@slot is set, for at most @seconds; the test
 * fails if it never is. */
GAsyncResult *
vouch_test_wait_result (GAsyncResult **slot,
                        guint          seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);
  return *slot;
}

/* JSON a program printed, which must parse. */
JsonNode *
vouch_test_parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* avahi-browse -p escapes names: "\032" is a space, "\." a dot. */
char *
vouch_test_avahi_unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) && g_ascii_isdigit (p[3]))
        {
          g_string_append_c (out, (char)((p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0')));
          p += 3;
        }
      else if (*p == '\\' && p[1] != '\0')
        g_string_append_c (out, *++p);
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* A new folder name, <prefix>-<n> under $VOUCH_TEST_TMPDIR, so each test
 * of a program starts from nothing; the folder itself is made by whatever
 * writes into it first. */
char *
vouch_test_fresh_dir (const char *prefix)
{
  static guint counter;
  const char *tmp = g_getenv ("VOUCH_TEST_TMPDIR");
  g_autofree char *name = g_strdup_printf ("%s-%u", prefix, counter++);

  g_assert_nonnull (tmp);
  return g_build_filename (tmp, name, NULL);
}

/* An authority over dir, loaded. With a root_name it also has a P-256
 * root under the local default name constraints; loopback adds
 * 127.0.0.0/8, where the tests' agents listen, so it may sign for them. */
VouchAuthority *
vouch_test_authority_new (const char *dir,
                          const char *root_name,
                          gboolean    loopback)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;
  VouchAuthority *authority = vouch_authority_new (dir);

  g_assert_true (vouch_authority_load (authority, &error));
  g_assert_no_error (error);
  if (root_name == NULL)
    return authority;

  if (loopback)
    g_assert_true (vouch_name_constraints_add (nc, "127.0.0.0/8", &error));
  g_assert_true (vouch_authority_create_root (authority, root_name, VOUCH_KEY_TYPE_ECDSA_P256, nc,
                                              NULL, &error));
  g_assert_no_error (error);
  return authority;
}

/* The root's certificate as a PEM file for clients (curl, the agents) to
 * trust; returns its path. */
char *
vouch_test_write_root (VouchAuthority *authority,
                       const char     *dir,
                       const char     *basename)
{
  g_autofree char *pem = vouch_root_ca_dup_pem (vouch_authority_get_root (authority));
  char *path = g_build_filename (dir, basename, NULL);

  g_assert_true (g_file_set_contents (path, pem, -1, NULL));
  return path;
}

/* The authority's last reference goes with the fixture: async work it
 * started may still hold one for a moment, so that is waited for first. */
void
vouch_test_finalize_authority (VouchAuthority *authority)
{
  vouch_test_await_last_ref (authority);
  g_assert_finalize_object (authority);
}
