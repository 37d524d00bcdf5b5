/* bench-sign.c: how many certificates Vouch signs per second, next to
 * `openssl x509 -req` run once per certificate and to the floor that bounds
 * any durable signer: the raw GnuTLS P-256 verify + sign, and one SQLite
 * commit of a certificate-sized row made durable the way the inventory
 * makes each issued certificate durable (fdatasync of the WAL)
 *
 * Run it under tests/run-with-keyring.sh: the root's key lives in the
 * Secret Service, so creating the root needs a keyring. Signing itself
 * never touches the keyring, because the key is unlocked once before any
 * timing starts.
 *
 * This is a benchmark: it prints numbers and PASS/MISS against the targets
 * but exits 0 on a miss. It fails only when something errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-authority-private.h"
#include "vouch-error.h"
#include "vouch-util.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <time.h>

/* The issue's targets: P-256 leaves per second on one core, the speed-up
 * over spawning a CLI per certificate, and the share of what the bare
 * cryptography allows. */
#define TARGET_CERTS_PER_SECOND 5000.0
#define TARGET_CLI_RATIO        100.0
#define TARGET_RAW_SHARE        0.30

typedef struct
{
  GPtrArray          *csr_der;   /* GBytes: what the in-process paths sign */
  GPtrArray          *csr_pem;   /* char *: what the openssl peer reads */
  VouchAuthority     *authority;
  VouchSigningPolicy *policy;
  VouchRootCa        *root;
  gnutls_privkey_t    raw_key;
  gnutls_pubkey_t     raw_device_pub;
  gnutls_datum_t      raw_blob;
  gnutls_datum_t      raw_device_sig;
  sqlite3            *floor_db;
  sqlite3_stmt       *floor_insert;
  char               *floor_wal;
} Bench;

typedef gboolean (*BenchFunc) (Bench   *bench,
                               guint    i,
                               GError **error);

typedef struct
{
  const char *label;
  BenchFunc   func;
  guint       count;
  double      best_rate;   /* certificates per wall-clock second */
  double      worst_rate;
  double      best_cpu_us; /* process CPU per certificate in the best round */
} Measure;

static int   opt_count = 5000;
static int   opt_cli_count = 100;
static int   opt_pool = 200;
static int   opt_rounds = 3;
static char *opt_openssl = NULL;

static GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count,
    "Certificates to sign per in-process round (default 5000)", "N" },
  { "cli-count", 0, 0, G_OPTION_ARG_INT, &opt_cli_count,
    "openssl processes to spawn, one certificate each (default 100; 0 skips)", "N" },
  { "pool", 0, 0, G_OPTION_ARG_INT, &opt_pool,
    "Distinct CSRs to cycle through (default 200)", "N" },
  { "rounds", 'r', 0, G_OPTION_ARG_INT, &opt_rounds,
    "Rounds of each in-process measurement; the best counts (default 3)", "N" },
  { "openssl", 0, 0, G_OPTION_ARG_FILENAME, &opt_openssl,
    "The openssl program (default: openssl from PATH)", "PATH" },
  { NULL }
};

static void
bench_clear (Bench *bench)
{
  g_clear_pointer (&bench->csr_der, g_ptr_array_unref);
  g_clear_pointer (&bench->csr_pem, g_ptr_array_unref);
  g_clear_object (&bench->authority);
  g_clear_pointer (&bench->raw_key, gnutls_privkey_deinit);
  g_clear_pointer (&bench->raw_device_pub, gnutls_pubkey_deinit);
  g_clear_pointer (&bench->raw_blob.data, gnutls_free);
  g_clear_pointer (&bench->raw_device_sig.data, gnutls_free);
  g_clear_pointer (&bench->floor_insert, sqlite3_finalize);
  g_clear_pointer (&bench->floor_db, sqlite3_close);
  g_clear_pointer (&bench->floor_wal, g_free);
}

static gint64
cpu_time_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
rm_rf (const char  *path,
       GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, error);
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!rm_rf (child, error))
            return FALSE;
        }
    }

  if (g_remove (path) != 0 && errno != ENOENT)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Could not remove %s: %s", path, g_strerror (errsv));
      return FALSE;
    }

  return TRUE;
}

/* Each CSR gets its own key and name, as real devices would, so no layer
 * can profit from signing the same request twice. */
static gboolean
make_csr (guint     index,
          GBytes  **out_der,
          char    **out_pem,
          GError  **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crq_t) crq = NULL;
  g_autofree char *name = g_strdup_printf ("dev-%u.local", index);
  gnutls_datum_t der = { NULL, 0 };
  gnutls_datum_t pem = { NULL, 0 };
  int ret;

  if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
      (ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                           GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                           0)) < 0 ||
      (ret = gnutls_x509_crq_init (&crq)) < 0 ||
      (ret = gnutls_x509_crq_set_version (crq, 1)) < 0 ||
      (ret = gnutls_x509_crq_set_dn_by_oid (crq, GNUTLS_OID_X520_COMMON_NAME, 0, name,
                                            (unsigned int)strlen (name))) < 0 ||
      (ret = gnutls_x509_crq_set_subject_alt_name (crq, GNUTLS_SAN_DNSNAME, name,
                                                   (unsigned int)strlen (name),
                                                   GNUTLS_FSAN_SET)) < 0 ||
      (ret = gnutls_x509_crq_set_key (crq, key)) < 0 ||
      (ret = gnutls_x509_crq_sign2 (crq, key, GNUTLS_DIG_SHA256, 0)) < 0 ||
      (ret = gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_DER, &der)) < 0 ||
      (ret = gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_PEM, &pem)) < 0)
    {
      gnutls_free (der.data);
      return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, "Could not make a CSR");
    }

  *out_der = g_bytes_new (der.data, der.size);
  *out_pem = g_strndup ((const char *)pem.data, pem.size);
  gnutls_free (der.data);
  gnutls_free (pem.data);
  return TRUE;
}

static gboolean
make_csr_pool (Bench   *bench,
               guint    size,
               GError **error)
{
  bench->csr_der = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  bench->csr_pem = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < size; i++)
    {
      GBytes *der = NULL;
      char *pem = NULL;

      if (!make_csr (i, &der, &pem, error))
        return FALSE;
      g_ptr_array_add (bench->csr_der, der);
      g_ptr_array_add (bench->csr_pem, pem);
    }

  return TRUE;
}

static gboolean
load_only (VouchRootCa  *root,
           gpointer      user_data,
           GError      **error)
{
  return TRUE;
}

static gboolean
setup_authority (Bench       *bench,
                 const char  *data_dir,
                 GError     **error)
{
  g_autoptr(VouchNameConstraints) constraints = vouch_name_constraints_new_local_defaults ();

  bench->authority = vouch_authority_new (data_dir);
  if (!vouch_authority_load (bench->authority, error) ||
      !vouch_authority_create_root (bench->authority, "Vouch Bench Root",
                                    VOUCH_KEY_TYPE_ECDSA_P256, constraints, NULL, error))
    return FALSE;

  /* Hold the key, as a bulk run does, and load it once: the loop measures
   * signing, not the keyring. */
  vouch_authority_hold (bench->authority);
  if (!_vouch_authority_with_key (bench->authority, load_only, NULL, NULL, error))
    {
      g_prefix_error (error, "Could not unlock the root (run under tests/run-with-keyring.sh): ");
      return FALSE;
    }

  bench->policy = vouch_authority_get_policy (bench->authority);
  bench->root = vouch_authority_get_root (bench->authority);
  return TRUE;
}

/* The raw limit: one P-256 verify (the CSR's proof of possession) and one
 * P-256 sign (the certificate) per certificate, with nothing around them. */
static gboolean
setup_raw (Bench   *bench,
           GError **error)
{
  g_auto(gnutls_privkey_t) device_key = NULL;
  GBytes *csr = g_ptr_array_index (bench->csr_der, 0);
  gnutls_datum_t blob;
  int ret;

  blob.data = (unsigned char *)g_bytes_get_data (csr, NULL);
  blob.size = (unsigned int)g_bytes_get_size (csr);

  if ((ret = gnutls_privkey_init (&bench->raw_key)) < 0 ||
      (ret = gnutls_privkey_generate (bench->raw_key, GNUTLS_PK_ECDSA,
                                      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0 ||
      (ret = gnutls_privkey_init (&device_key)) < 0 ||
      (ret = gnutls_privkey_generate (device_key, GNUTLS_PK_ECDSA,
                                      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0 ||
      (ret = gnutls_pubkey_init (&bench->raw_device_pub)) < 0 ||
      (ret = gnutls_pubkey_import_privkey (bench->raw_device_pub, device_key, 0, 0)) < 0 ||
      (ret = gnutls_privkey_sign_data (device_key, GNUTLS_DIG_SHA256, 0, &blob,
                                       &bench->raw_device_sig)) < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                   "Could not set up the raw GnuTLS keys");

  /* A copy, so the blob outlives the pool's ordering. */
  bench->raw_blob.data = gnutls_malloc (blob.size);
  memcpy (bench->raw_blob.data, blob.data, blob.size);
  bench->raw_blob.size = blob.size;
  return TRUE;
}

/* The durable write's floor: a database of one table, in the same
 * journal mode and synchronous level as the inventory, beside it. */
static gboolean
setup_durable (Bench       *bench,
               const char  *dir,
               GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "floor.db", NULL);

  if (sqlite3_open (path, &bench->floor_db) != SQLITE_OK ||
      sqlite3_exec (bench->floor_db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                    "CREATE TABLE certificates (serial INTEGER PRIMARY KEY, der BLOB NOT NULL);",
                    NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (bench->floor_db, "INSERT INTO certificates (der) VALUES (?1);", -1,
                          &bench->floor_insert, NULL) != SQLITE_OK)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY, "Floor database: %s",
                   bench->floor_db != NULL ? sqlite3_errmsg (bench->floor_db) : "out of memory");
      return FALSE;
    }
  bench->floor_wal = g_strconcat (path, "-wal", NULL);
  return TRUE;
}

static GBytes *
pool_csr (Bench *bench,
          guint  i)
{
  return g_ptr_array_index (bench->csr_der, i % bench->csr_der->len);
}

static gboolean
sign_vouch_cb (Bench   *bench,
               guint    i,
               GError **error)
{
  static const VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  g_autoptr(VouchCertificate) cert = NULL;
  GBytes *csr = pool_csr (bench, i);

  cert = vouch_authority_sign (bench->authority, g_bytes_get_data (csr, NULL),
                               g_bytes_get_size (csr), &options, NULL, error);
  return cert != NULL;
}

static VouchSigningRequest *
check_pool_csr (Bench   *bench,
                guint    i,
                GError **error)
{
  GBytes *csr = pool_csr (bench, i);

  return vouch_signing_policy_check (bench->policy, g_bytes_get_data (csr, NULL),
                                     g_bytes_get_size (csr), NULL, NULL, error);
}

static gboolean
policy_issue_cb (Bench   *bench,
                 guint    i,
                 GError **error)
{
  g_autoptr(VouchSigningRequest) request = check_pool_csr (bench, i, error);
  g_autoptr(VouchCertificate) cert = NULL;

  if (request == NULL)
    return FALSE;

  cert = vouch_root_ca_issue (bench->root, request, VOUCH_LEAF_DEFAULT_DAYS,
                              VOUCH_ISSUE_FLAGS_NONE, error);
  return cert != NULL;
}

static gboolean
policy_only_cb (Bench   *bench,
                guint    i,
                GError **error)
{
  g_autoptr(VouchSigningRequest) request = check_pool_csr (bench, i, error);

  return request != NULL;
}

static gboolean
raw_verify_cb (Bench   *bench,
               guint    i,
               GError **error)
{
  int ret;

  ret = gnutls_pubkey_verify_data2 (bench->raw_device_pub, GNUTLS_SIGN_ECDSA_SHA256, 0,
                                    &bench->raw_blob, &bench->raw_device_sig);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, "Raw verify failed");

  return TRUE;
}

static gboolean
raw_sign_cb (Bench   *bench,
             guint    i,
             GError **error)
{
  gnutls_datum_t sig = { NULL, 0 };
  int ret;

  ret = gnutls_privkey_sign_data (bench->raw_key, GNUTLS_DIG_SHA256, 0, &bench->raw_blob, &sig);
  gnutls_free (sig.data);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, "Raw sign failed");

  return TRUE;
}

static gboolean
raw_cb (Bench   *bench,
        guint    i,
        GError **error)
{
  return raw_verify_cb (bench, i, error) && raw_sign_cb (bench, i, error);
}

/* One row the size of a leaf certificate, committed on its own and made
 * durable as vouch_inventory_sync() makes each issued certificate. */
static gboolean
durable_cb (Bench   *bench,
            guint    i,
            GError **error)
{
  static const guint8 leaf[700] = { 0x30 };
  int fd, rc;

  sqlite3_bind_blob (bench->floor_insert, 1, leaf, sizeof leaf, SQLITE_STATIC);
  rc = sqlite3_step (bench->floor_insert);
  sqlite3_reset (bench->floor_insert);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY, "Floor insert: %s",
                   sqlite3_errmsg (bench->floor_db));
      return FALSE;
    }
  fd = open (bench->floor_wal, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT)
    return TRUE;
  if (fd < 0 || fdatasync (fd) != 0)
    {
      int errsv = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY, "Floor sync: %s",
                   g_strerror (errsv));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
floor_cb (Bench   *bench,
          guint    i,
          GError **error)
{
  return raw_cb (bench, i, error) && durable_cb (bench, i, error);
}

static gboolean
run_round (Bench    *bench,
           Measure  *measure,
           GError  **error)
{
  gint64 wall_start = g_get_monotonic_time ();
  gint64 cpu_start = cpu_time_us ();
  gint64 wall;
  double rate;

  for (guint i = 0; i < measure->count; i++)
    {
      if (!measure->func (bench, i, error))
        {
          g_prefix_error (error, "%s, certificate %u: ", measure->label, i);
          return FALSE;
        }
    }

  wall = MAX (g_get_monotonic_time () - wall_start, 1);
  rate = measure->count * (double)G_USEC_PER_SEC / wall;

  if (rate > measure->best_rate)
    {
      measure->best_rate = rate;
      measure->best_cpu_us = (double)(cpu_time_us () - cpu_start) / measure->count;
    }
  if (measure->worst_rate == 0 || rate < measure->worst_rate)
    measure->worst_rate = rate;

  return TRUE;
}

static gboolean
run_openssl (const char  *openssl,
             const char  *dir,
             const char  *csr_file,
             const char  *ext_file,
             GError     **error)
{
  g_autofree char *root = g_build_filename (dir, "root.pem", NULL);
  g_autofree char *root_key = g_build_filename (dir, "rootkey.pem", NULL);
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = {
    openssl, "x509", "-req", "-in", csr_file, "-CA", root, "-CAkey", root_key,
    "-days", "397", "-extfile", ext_file, "-out", "/dev/null", NULL
  };

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &err, &status, error))
    return FALSE;

  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "openssl x509 -req failed (%s): ", g_strstrip (err));
      return FALSE;
    }

  return TRUE;
}

/* The peer: a separate openssl root, and one `openssl x509 -req` process
 * per certificate, which is what a script around the CLI pays. */
static gboolean
measure_openssl (Bench       *bench,
                 const char  *openssl,
                 const char  *tmp_dir,
                 guint        count,
                 double      *out_rate,
                 GError     **error)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "openssl", NULL);
  g_autofree char *root = g_build_filename (dir, "root.pem", NULL);
  g_autofree char *root_key = g_build_filename (dir, "rootkey.pem", NULL);
  g_autoptr(GPtrArray) csr_files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ext_files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *err = NULL;
  guint files = MIN (count, bench->csr_pem->len);
  gint64 start;
  int status = 0;
  const char *root_argv[] = {
    openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", root_key, "-out", root, "-days", "3652", "-subj",
    "/CN=Bench Peer Root", NULL
  };

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Could not create %s: %s", dir, g_strerror (errsv));
      return FALSE;
    }

  if (!g_spawn_sync (NULL, (char **)root_argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "openssl could not make the peer root (%s): ", g_strstrip (err));
      return FALSE;
    }

  /* The same profile Vouch issues: a server leaf with the request's name. */
  for (guint i = 0; i < files; i++)
    {
      g_autofree char *csr_file = g_strdup_printf ("%s/csr-%u.pem", dir, i);
      g_autofree char *ext_file = g_strdup_printf ("%s/ext-%u.cnf", dir, i);
      g_autofree char *ext = NULL;
      const char *pem = g_ptr_array_index (bench->csr_pem, i);

      ext = g_strdup_printf ("basicConstraints = critical, CA:FALSE\n"
                             "keyUsage = critical, digitalSignature\n"
                             "extendedKeyUsage = serverAuth\n"
                             "subjectKeyIdentifier = hash\n"
                             "authorityKeyIdentifier = keyid\n"
                             "subjectAltName = DNS:dev-%u.local\n", i);
      if (!g_file_set_contents (csr_file, pem, -1, error) ||
          !g_file_set_contents (ext_file, ext, -1, error))
        return FALSE;
      g_ptr_array_add (csr_files, g_steal_pointer (&csr_file));
      g_ptr_array_add (ext_files, g_steal_pointer (&ext_file));
    }

  /* One untimed run, so the first timed one does not pay for a cold
   * page cache. */
  if (!run_openssl (openssl, dir, csr_files->pdata[0], ext_files->pdata[0], error))
    return FALSE;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < count; i++)
    {
      if (!run_openssl (openssl, dir, csr_files->pdata[i % files], ext_files->pdata[i % files],
                        error))
        return FALSE;
    }

  *out_rate = count * (double)G_USEC_PER_SEC / MAX (g_get_monotonic_time () - start, 1);
  return TRUE;
}

static const char *
verdict (gboolean pass)
{
  return pass ? "PASS" : "MISS";
}

static void
print_row (const Measure *measure)
{
  g_print ("| %s | %.0f | %.1f | %.1f | %.0f–%.0f |\n",
           measure->label, measure->best_rate, G_USEC_PER_SEC / measure->best_rate,
           measure->best_cpu_us, measure->worst_rate, measure->best_rate);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *openssl = NULL;
  Bench bench = { 0 };
  Measure vouch = { "Vouch `vouch_authority_sign` (policy + issue + inventory)", sign_vouch_cb };
  Measure policy_issue = { "Vouch policy + issue, no inventory", policy_issue_cb };
  Measure policy_only = { "Vouch policy check only (parse, verify, names)", policy_only_cb };
  Measure raw = { "Raw GnuTLS P-256 verify + sign (limit)", raw_cb };
  Measure raw_verify = { "Raw GnuTLS P-256 verify only", raw_verify_cb };
  Measure raw_sign = { "Raw GnuTLS P-256 sign only", raw_sign_cb };
  Measure durable = { "Raw SQLite commit of a 700-byte row + fdatasync of the WAL", durable_cb };
  Measure floor = { "Floor: raw verify + sign + durable commit", floor_cb };
  Measure *measures[] = { &vouch, &policy_issue, &policy_only, &raw, &raw_verify, &raw_sign,
                          &durable, &floor };
  double cli_rate = 0;
  double inventory_us;
  double issue_us;
  double policy_us;
  double cli_ratio;
  double raw_share;
  double floor_share;
  gboolean ok = FALSE;

  setlocale (LC_ALL, "");

  context = g_option_context_new ("- measure Vouch's signing throughput");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_count < 1 || opt_pool < 1 || opt_rounds < 1 || opt_cli_count < 0)
    {
      g_printerr ("--count, --pool and --rounds must be at least 1, --cli-count at least 0\n");
      return 2;
    }

  tmp_dir = g_dir_make_tmp ("vouch-bench-sign-XXXXXX", &error);
  if (tmp_dir == NULL)
    goto out;
  data_dir = g_build_filename (tmp_dir, "vouch", NULL);

  g_print ("# Pre-generating %d distinct P-256 CSRs (SAN dev-N.local)\n", opt_pool);
  if (!make_csr_pool (&bench, (guint)opt_pool, &error) ||
      !setup_authority (&bench, data_dir, &error) ||
      !setup_raw (&bench, &error) ||
      !setup_durable (&bench, tmp_dir, &error))
    goto out;

  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    {
      measures[m]->count = (guint)opt_count;

      /* Warm caches and lazy initialisation outside the timing. */
      for (guint i = 0; i < MIN ((guint)opt_pool, 20u); i++)
        {
          if (!measures[m]->func (&bench, i, &error))
            goto out;
        }
    }

  /* Interleave the rounds, so a burst of load from elsewhere on the
   * machine hits every path rather than one. */
  for (int round = 0; round < opt_rounds; round++)
    {
      g_print ("# Round %d/%d: %d certificates per path\n", round + 1, opt_rounds, opt_count);
      for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
        {
          if (!run_round (&bench, measures[m], &error))
            goto out;
        }
    }

  if (opt_cli_count > 0)
    {
      openssl = opt_openssl != NULL ? g_strdup (opt_openssl) : g_find_program_in_path ("openssl");
      if (openssl == NULL)
        g_print ("# openssl not found; skipping the per-process peer\n");
      else
        {
          g_print ("# Spawning `openssl x509 -req` %d times\n", opt_cli_count);
          if (!measure_openssl (&bench, openssl, tmp_dir, (guint)opt_cli_count, &cli_rate, &error))
            goto out;
        }
    }

  inventory_us = G_USEC_PER_SEC / vouch.best_rate - G_USEC_PER_SEC / policy_issue.best_rate;
  cli_ratio = cli_rate > 0 ? vouch.best_rate / cli_rate : 0;
  raw_share = vouch.best_rate / raw.best_rate;
  floor_share = vouch.best_rate / floor.best_rate;

  g_print ("\n");
  g_print ("P-256 leaves, single thread, best of %d round(s) of %d; CSRs cycle through a "
           "pool of %d. The root's key is unlocked before timing.\n\n",
           opt_rounds, opt_count, opt_pool);
  g_print ("| Path | certs/s | µs/cert (wall) | µs/cert (CPU) | certs/s range |\n");
  g_print ("| --- | ---: | ---: | ---: | ---: |\n");
  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    print_row (measures[m]);
  if (cli_rate > 0)
    g_print ("| `openssl x509 -req`, one process per certificate (%d runs) "
             "| %.0f | %.0f | – | – |\n",
             opt_cli_count, cli_rate, G_USEC_PER_SEC / cli_rate);
  else
    g_print ("| `openssl x509 -req`, one process per certificate | not run | – | – | – |\n");

  /* Where a certificate's time goes, as differences between the paths. */
  policy_us = G_USEC_PER_SEC / policy_only.best_rate;
  issue_us = G_USEC_PER_SEC / policy_issue.best_rate - policy_us;
  g_print ("\nPer certificate: policy check %.0f µs (ECDSA verify %.0f, X.509 and names %.0f); "
           "issue %.0f µs (ECDSA sign %.0f, building and describing the certificate %.0f); "
           "inventory write (certificate row + audit row, one transaction) %.0f µs, "
           "%.0f%% of `vouch_authority_sign`.\n\n",
           policy_us, G_USEC_PER_SEC / raw_verify.best_rate,
           policy_us - G_USEC_PER_SEC / raw_verify.best_rate,
           issue_us, G_USEC_PER_SEC / raw_sign.best_rate,
           issue_us - G_USEC_PER_SEC / raw_sign.best_rate,
           inventory_us, 100.0 * inventory_us * vouch.best_rate / G_USEC_PER_SEC);

  g_print ("| Target | Goal | Measured | Result |\n");
  g_print ("| --- | ---: | ---: | :---: |\n");
  g_print ("| P-256 certificates per second, one core | ≥ %.0f | %.0f | %s |\n",
           TARGET_CERTS_PER_SECOND, vouch.best_rate,
           verdict (vouch.best_rate >= TARGET_CERTS_PER_SECOND));
  if (cli_rate > 0)
    g_print ("| Vouch / `openssl x509 -req` per process | ≥ %.0f× | %.0f× | %s |\n",
             TARGET_CLI_RATIO, cli_ratio, verdict (cli_ratio >= TARGET_CLI_RATIO));
  else
    g_print ("| Vouch / `openssl x509 -req` per process | ≥ %.0f× | not run | – |\n",
             TARGET_CLI_RATIO);
  g_print ("| Vouch / raw GnuTLS verify + sign | ≥ %.0f%% | %.0f%% | %s |\n",
           100 * TARGET_RAW_SHARE, 100 * raw_share, verdict (raw_share >= TARGET_RAW_SHARE));
  /* Every certificate is made durable before it is handed out, so the
   * disk's sync is part of what bounds any signer that keeps that
   * promise. */
  g_print ("| Vouch / floor (raw verify + sign + durable commit) | ≥ %.0f%% | %.0f%% | %s |\n",
           100 * TARGET_RAW_SHARE, 100 * floor_share, verdict (floor_share >= TARGET_RAW_SHARE));

  ok = TRUE;

out:
  /* Close the inventory before removing the folder it lives in. */
  bench_clear (&bench);
  if (tmp_dir != NULL)
    {
      g_autoptr(GError) rm_error = NULL;

      if (!rm_rf (tmp_dir, &rm_error))
        g_printerr ("bench-sign: %s\n", rm_error->message);
    }

  if (!ok)
    {
      g_printerr ("bench-sign: %s\n", error != NULL ? error->message : "failed");
      return 1;
    }

  return 0;
}
