/* bench-acme-floor.c: the least CPU an ACME certificate can cost a server,
 * measured through GnuTLS (and the keyring) on this machine
 *
 * Issue #16's floor is "the JWS verifications and the signature each
 * certificate needs, through GnuTLS". This measures that work, per
 * operation, in microseconds of this process's CPU (all its threads), as
 * one line of JSON that bench-acme.sh multiplies by the JWS requests per
 * certificate its client loop made:
 *
 *   jws_verify_us  one JWS request's ES256 signature as JWS carries it: the
 *                  raw r||s (RFC 7518 §3.4) put into the DER GnuTLS reads
 *                  (gnutls_encode_rs_value), verified over the signing
 *                  input (base64url header "." base64url payload) of a
 *                  request of the client loop's own shapes and sizes;
 *   csr_verify_us  finalize's CSR through GnuTLS's X.509 API: imported
 *                  (DER), its signature verified, its names read to be
 *                  compared with the order's (RFC 8555 §7.4);
 *   issue_us       the least issuance a CA on GnuTLS can do for that CSR
 *                  under Vouch's leaf profile (src/core/pki/
 *                  vouch-root-ca-issue.c): the CSR's key, a random serial,
 *                  validity, the common name and subjectAltName, basic
 *                  constraints, key usage, EKU, subject and authority key
 *                  IDs, signed by the root's P-256 key (the issuer name
 *                  comes from the root), encoded as DER;
 *   key_read_us    the root's key read for that signature, as the team
 *                  brief requires (the key lives only in the keyring and
 *                  is in memory only while it signs): one Secret Service
 *                  read of its PKCS#8 PEM, imported into GnuTLS, and after
 *                  the signature freed and wiped. This process's side of
 *                  the D-Bus round trip (GDBus's worker thread too) is
 *                  counted; the keyring daemon's CPU is not, as it is not
 *                  for Vouch. null when no Secret Service is reachable;
 *   es256_verify_us, p256_sign_us
 *                  the older, lower floor: a raw verification of a DER
 *                  signature on a fixed blob and a raw P-256 signature of
 *                  a blob, with keys imported once.
 *
 * All six are measured in the same loop, one of each per iteration, in
 * the order a certificate needs them, so they see the same machine and
 * run among each other as in a server; each is the mean over --count.
 * With --hot, each is measured in a loop of its own instead, its code
 * and data hot in the caches as no server's are: the lowest figures
 * this machine gives, a stricter floor. Nothing else
 * (TLS, HTTP, JSON, base64, the durable write) is counted:
 * bench-acme-stack measures that share. Left out too, though every server
 * pays them, so the floor stays below any server: newAccount's own
 * verification and the account key's import (once per account, one
 * certificate in 15 in the client loop). The client's keys and requests
 * are made with tests/acme-test-client.c, as bench-acme-client's are.
 *
 *   bench-acme-floor [--count N] [--hot]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "../acme-test-client.h"

#include <gnutls/crypto.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>
/* For secret_service_search_for_dbus_paths_sync(), stable in practice
 * since libsecret 0.18. */
#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { ES256_VERIFY, P256_SIGN, JWS_VERIFY, CSR_VERIFY, ISSUE, KEY_READ, N_OPS };

static const char * const op_names[N_OPS] = {
  "es256_verify_us", "p256_sign_us", "jws_verify_us", "csr_verify_us", "issue_us", "key_read_us",
};

/* The client loop's requests per certificate (bench-acme-client.c). */
#define N_JWS 7
/* CSRs for distinct names, as each order's is. */
#define N_CSRS 16

/* A JWS as a server holds it once json-glib and base64 have read it. */
typedef struct
{
  char   *protected_b64;
  char   *payload_b64;
  guint8  rs[64];
} Jws;

typedef struct
{
  GBytes *der;
  char   *name;
} Csr;

/* The bench's own keyring item, stored before timing, cleared at exit. */
static const SecretSchema floor_key_schema = {
  "io.github.vouchpki.Vouch.BenchFloorKey", SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "bench-floor-pid", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static SecretService *keyring;
static char pid_text[16];

static void
clear_keyring_item (void)
{
  if (keyring != NULL)
    secret_password_clear_sync (&floor_key_schema, NULL, NULL, "bench-floor-pid", pid_text, NULL);
}

/* g_error() aborts: leave no key behind in the keyring first. */
G_NORETURN static void
fail (const char *what,
      const char *why)
{
  clear_keyring_item ();
  g_error ("%s: %s", what, why);
}

static void
check (int         ret,
       const char *what)
{
  if (ret < 0)
    fail (what, gnutls_strerror (ret));
}

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Adds the CPU since @since to @op's total; returns now, the next op's
 * start, so one clock read separates two operations. */
static double
lap (double *totals,
     int     op,
     double  since)
{
  double now = cpu_now ();

  totals[op] += now - since;
  return now;
}

static GBytes *
b64url_decode (const char *text)
{
  g_autoptr(GString) standard = g_string_new (text);
  gsize len = 0;
  guchar *data;

  g_strdelimit (standard->str, "-", '+');
  g_strdelimit (standard->str, "_", '/');
  while (standard->len % 4 != 0)
    g_string_append_c (standard, '=');
  data = g_base64_decode (standard->str, &len);
  return g_bytes_new_take (data, len);
}

static void
make_jws (Jws         *jws,
          AcmeTestKey *account,
          const char  *url,
          const char  *payload)
{
  /* A nonce of Vouch's length (18 random bytes in base64url). */
  g_autofree char *text = acme_test_jws (account, NULL, TRUE, "dGhpcyBpcyBhIG5vbmNlIQ0K", url,
                                         payload);
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  JsonObject *object = json_node_get_object (node);
  g_autoptr(GBytes) signature = b64url_decode (json_object_get_string_member (object, "signature"));

  jws->protected_b64 = g_strdup (json_object_get_string_member (object, "protected"));
  jws->payload_b64 = g_strdup (json_object_get_string_member (object, "payload"));
  g_assert_cmpuint (g_bytes_get_size (signature), ==, sizeof jws->rs);
  memcpy (jws->rs, g_bytes_get_data (signature, NULL), sizeof jws->rs);
}

/* The requests of one certificate in the client loop, with its URLs'
 * shapes: newOrder, the authorization, the http-01 challenge, a poll,
 * finalize with its CSR, a poll, the download. */
static void
make_requests (Jws         *jws,
               AcmeTestKey *account,
               const char  *csr_b64)
{
  static const char base[] = "https://127.0.0.2:14000/acme/";
  g_autofree char *finalize = g_strdup_printf ("{\"csr\":\"%s\"}", csr_b64);
  const struct { const char *path; const char *payload; } requests[N_JWS] = {
    { "new-order", "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"bench-0-0.local\"}]}" },
    { "authz/Qm9vdHN0cmFwcGluZ0F1dGh6", NULL },
    { "chall/Qm9vdHN0cmFwcGluZ0NoYWxs", "{}" },
    { "order/Qm9vdHN0cmFwcGluZ09yZGVy", NULL },
    { "order/Qm9vdHN0cmFwcGluZ09yZGVy/finalize", finalize },
    { "order/Qm9vdHN0cmFwcGluZ09yZGVy", NULL },
    { "cert/Qm9vdHN0cmFwcGluZ0NlcnQ", NULL },
  };

  account->kid = g_strconcat (base, "acct/Qm9vdHN0cmFwcGluZ0FjY3Q", NULL);
  for (guint i = 0; i < N_JWS; i++)
    {
      g_autofree char *url = g_strconcat (base, requests[i].path, NULL);

      make_jws (&jws[i], account, url, requests[i].payload);
    }
}

/* The root, made once: a P-256 key (kept as the PKCS#8 PEM the keyring
 * holds, and imported for when no keyring is reachable), its self-signed
 * certificate as Vouch's (CN and O, CA, keyCertSign, a key ID), exported
 * and imported again as Vouch holds it. */
static gnutls_x509_crt_t
make_root (char             **out_pem,
           gnutls_privkey_t  *out_key)
{
  gnutls_x509_privkey_t xkey = NULL;
  gnutls_x509_crt_t crt = NULL, imported = NULL;
  gnutls_datum_t pem = { NULL, 0 }, der = { NULL, 0 };
  guint8 serial[16], key_id[64];
  size_t key_id_len = sizeof key_id;
  time_t now = time (NULL);

  check (gnutls_x509_privkey_init (&xkey), "root key");
  check (gnutls_x509_privkey_generate (xkey, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
         "root key");
  check (gnutls_x509_privkey_export2_pkcs8 (xkey, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                            &pem), "root key's PEM");
  check (gnutls_privkey_init (out_key), "root key");
  check (gnutls_privkey_import_x509 (*out_key, xkey, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE),
         "root key");
  check (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "serial");
  serial[0] = (serial[0] & 0x7f) | 0x40;
  check (gnutls_x509_crt_init (&crt), "root");
  check (gnutls_x509_crt_set_version (crt, 3), "root");
  check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "root");
  check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, "Bench floor root",
                                        16), "root");
  check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, "Vouch", 5),
         "root");
  check (gnutls_x509_crt_set_activation_time (crt, now - 300), "root");
  check (gnutls_x509_crt_set_expiration_time (crt, now + 3650 * 86400), "root");
  check (gnutls_x509_crt_set_key (crt, xkey), "root");
  check (gnutls_x509_crt_set_basic_constraints (crt, 1, 1), "root");
  check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN),
         "root");
  check (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_len), "root");
  check (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_len), "root");
  check (gnutls_x509_crt_privkey_sign (crt, crt, *out_key, GNUTLS_DIG_SHA256, 0), "root");
  check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der), "root");
  check (gnutls_x509_crt_init (&imported), "root");
  check (gnutls_x509_crt_import (imported, &der, GNUTLS_X509_FMT_DER), "root");

  *out_pem = g_strndup ((const char *)pem.data, pem.size);
  gnutls_memset (pem.data, 0, pem.size);
  gnutls_free (pem.data);
  gnutls_free (der.data);
  gnutls_x509_crt_deinit (crt);
  return imported;
}

/* The parts of Vouch's leaf profile that are the same in every
 * certificate a root issues, encoded once per root as a server may (and
 * Vouch does): basic constraints (not a CA), key usage (digitalSignature,
 * for an EC key), EKU (serverAuth), the authority key ID (the root's). */
typedef struct
{
  gnutls_datum_t basic_constraints;
  gnutls_datum_t key_usage;
  gnutls_datum_t key_purposes;
  gnutls_datum_t authority_key_id;
} Profile;

static void
make_profile (Profile           *profile,
              gnutls_x509_crt_t  root)
{
  gnutls_x509_key_purposes_t purposes = NULL;
  gnutls_x509_aki_t aki = NULL;
  guint8 key_id[64];
  size_t key_id_len = sizeof key_id;
  unsigned int critical = 0;
  gnutls_datum_t id;

  check (gnutls_x509_ext_export_basic_constraints (0, -1, &profile->basic_constraints),
         "basic constraints");
  check (gnutls_x509_ext_export_key_usage (GNUTLS_KEY_DIGITAL_SIGNATURE, &profile->key_usage),
         "key usage");
  check (gnutls_x509_key_purpose_init (&purposes), "EKU");
  check (gnutls_x509_key_purpose_set (purposes, GNUTLS_KP_TLS_WWW_SERVER), "EKU");
  check (gnutls_x509_ext_export_key_purposes (purposes, &profile->key_purposes), "EKU");
  gnutls_x509_key_purpose_deinit (purposes);
  check (gnutls_x509_crt_get_subject_key_id (root, key_id, &key_id_len, &critical), "root's ID");
  id.data = key_id;
  id.size = (unsigned int)key_id_len;
  check (gnutls_x509_aki_init (&aki), "AKI");
  check (gnutls_x509_aki_set_id (aki, &id), "AKI");
  check (gnutls_x509_ext_export_authority_key_id (aki, &profile->authority_key_id), "AKI");
  gnutls_x509_aki_deinit (aki);
}

/* The keyring item's D-Bus path, found once as Vouch remembers it, so
 * each read is the one GetSecrets round trip; NULL when no Secret
 * Service is reachable (the reason is printed). */
static char *
store_root_key (const char *pem)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_auto(GStrv) unlocked = NULL;
  g_autoptr(GError) error = NULL;

  g_snprintf (pid_text, sizeof pid_text, "%d", (int)getpid ());
  keyring = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  if (keyring == NULL ||
      !secret_password_store_sync (&floor_key_schema, SECRET_COLLECTION_DEFAULT,
                                   "Vouch benchmark floor's root key (temporary)", pem, NULL,
                                   &error, "bench-floor-pid", pid_text, NULL))
    {
      g_printerr ("bench-acme-floor: no Secret Service to read the key from, key_read_us is "
                  "null: %s\n", error->message);
      g_clear_object (&keyring);
      return NULL;
    }
  attributes = secret_attributes_build (&floor_key_schema, "bench-floor-pid", pid_text, NULL);
  if (!secret_service_search_for_dbus_paths_sync (keyring, &floor_key_schema, attributes, NULL,
                                                  &unlocked, NULL, &error) ||
      unlocked == NULL || unlocked[0] == NULL)
    {
      g_printerr ("bench-acme-floor: the stored key cannot be found, key_read_us is null: %s\n",
                  error != NULL ? error->message : "no unlocked item");
      clear_keyring_item ();
      g_clear_object (&keyring);
      return NULL;
    }
  return g_strdup (unlocked[0]);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* The least read libsecret offers: GetSecrets on the known item, on a
 * main context this thread keeps (the _sync call makes and drops one per
 * call), with the session libsecret opened when the key was stored (no
 * OPEN_SESSION per read). The PEM comes back in non-pageable memory. */
static char *
read_root_key (GMainContext *context,
               const char   *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SecretValue *value;

  g_main_context_push_thread_default (context);
  secret_service_get_secret_for_dbus_path (keyring, path, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  value = secret_service_get_secret_for_dbus_path_finish (keyring, result, &error);
  g_main_context_pop_thread_default (context);
  if (value == NULL)
    fail ("reading the key", error != NULL ? error->message : "it is gone");
  return secret_value_unref_to_password (value, NULL);
}

/* The key, from its PEM, as GnuTLS signs with it. */
static gnutls_privkey_t
import_root_key (const char *pem)
{
  gnutls_datum_t datum = { (unsigned char *)pem, (unsigned int)strlen (pem) };
  gnutls_x509_privkey_t xkey = NULL;
  gnutls_privkey_t key = NULL;

  check (gnutls_x509_privkey_init (&xkey), "key");
  check (gnutls_x509_privkey_import_pkcs8 (xkey, &datum, GNUTLS_X509_FMT_PEM, NULL,
                                           GNUTLS_PKCS_PLAIN), "key import");
  check (gnutls_privkey_init (&key), "key");
  check (gnutls_privkey_import_x509 (key, xkey, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE), "key");
  return key;
}

/* One JWS request's signature: JWS carries r||s, GnuTLS verifies DER.
 * The signing input is joined from the two base64url parts the server
 * read, since GnuTLS hashes one buffer. */
static void
verify_jws (const Jws       *jws,
            gnutls_pubkey_t  account_key,
            GByteArray      *input)
{
  gnutls_datum_t r = { (unsigned char *)jws->rs, 32 }, s = { (unsigned char *)jws->rs + 32, 32 };
  gnutls_datum_t der = { NULL, 0 }, data;

  g_byte_array_set_size (input, 0);
  g_byte_array_append (input, (const guint8 *)jws->protected_b64, strlen (jws->protected_b64));
  g_byte_array_append (input, (const guint8 *)".", 1);
  g_byte_array_append (input, (const guint8 *)jws->payload_b64, strlen (jws->payload_b64));
  data.data = input->data;
  data.size = input->len;
  check (gnutls_encode_rs_value (&der, &r, &s), "r||s to DER");
  check (gnutls_pubkey_verify_data2 (account_key, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &der),
         "JWS verification");
  gnutls_free (der.data);
}

/* finalize's CSR: imported, its signature verified, and its names read,
 * which RFC 8555 §7.4 says must be the order's. The names are read by
 * decoding the subjectAltName extension once: the
 * gnutls_x509_crq_get_subject_alt_name() calls decode it again for each
 * name and for the end of the list. */
static gnutls_x509_crq_t
verify_csr (const Csr *csr)
{
  gnutls_datum_t der = { (unsigned char *)g_bytes_get_data (csr->der, NULL),
                         (unsigned int)g_bytes_get_size (csr->der) };
  gnutls_x509_crq_t crq = NULL;
  gnutls_subject_alt_names_t sans = NULL;
  gnutls_datum_t ext = { NULL, 0 }, name = { NULL, 0 };
  unsigned int type = 0;

  check (gnutls_x509_crq_init (&crq), "CSR");
  check (gnutls_x509_crq_import (crq, &der, GNUTLS_X509_FMT_DER), "CSR import");
  check (gnutls_x509_crq_verify (crq, 0), "CSR verification");
  check (gnutls_x509_crq_get_extension_by_oid2 (crq, GNUTLS_X509EXT_OID_SAN, 0, &ext, NULL),
         "CSR's names");
  check (gnutls_subject_alt_names_init (&sans), "CSR's names");
  check (gnutls_x509_ext_import_subject_alt_names (&ext, sans, 0), "CSR's names");
  check (gnutls_subject_alt_names_get (sans, 0, &type, &name, NULL), "CSR's names");
  if (type != GNUTLS_SAN_DNSNAME || name.size != strlen (csr->name) ||
      memcmp (name.data, csr->name, name.size) != 0 ||
      gnutls_subject_alt_names_get (sans, 1, &type, &name, NULL) !=
      GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
    fail ("the CSR's names", "they are not the order's");
  gnutls_subject_alt_names_deinit (sans);
  gnutls_free (ext.data);
  return crq;
}

/* The certificate for @crq under Vouch's leaf profile, and nothing more:
 * every field below is in that profile, none is policy. */
static void
issue (gnutls_x509_crq_t  crq,
       const char        *name,
       gnutls_x509_crt_t  root,
       gnutls_privkey_t   root_key,
       const Profile     *profile)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t der = { NULL, 0 };
  guint8 serial[16], key_id[20];
  size_t key_id_len = sizeof key_id;
  time_t now = time (NULL);

  /* A random, positive, 16-byte serial, as Vouch draws (and CAs must
   * draw: at least 64 random bits). */
  check (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "serial");
  serial[0] = (serial[0] & 0x7f) | 0x40;
  /* The CSR's key, and its SHA-1 for the subject key ID. */
  check (gnutls_pubkey_init (&key), "key");
  check (gnutls_pubkey_import_x509_crq (key, crq, 0), "CSR's key");
  check (gnutls_pubkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_len), "key ID");
  check (gnutls_x509_crt_init (&crt), "certificate");
  check (gnutls_x509_crt_set_version (crt, 3), "version");
  check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial");
  /* The profile's common name is the first DNS name (without one, an
   * empty subject would need a critical subjectAltName instead). */
  check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, name,
                                        (unsigned int)strlen (name)), "common name");
  check (gnutls_x509_crt_set_activation_time (crt, now - 300), "validity");
  check (gnutls_x509_crt_set_expiration_time (crt, now + 90 * 86400), "validity");
  check (gnutls_x509_crt_set_pubkey (crt, key), "key");
  check (gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS,
                                               profile->basic_constraints.data,
                                               profile->basic_constraints.size, 1),
         "basic constraints");
  check (gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_KEY_USAGE,
                                               profile->key_usage.data, profile->key_usage.size,
                                               1), "key usage");
  check (gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE,
                                               profile->key_purposes.data,
                                               profile->key_purposes.size, 0), "EKU");
  check (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_len), "subject key ID");
  check (gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID,
                                               profile->authority_key_id.data,
                                               profile->authority_key_id.size, 0),
         "authority key ID");
  check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, name,
                                               (unsigned int)strlen (name), GNUTLS_FSAN_APPEND),
         "subjectAltName");
  /* The issuer's name is the root's, copied in by the signature. */
  check (gnutls_x509_crt_privkey_sign (crt, root, root_key, GNUTLS_DIG_SHA256, 0), "signature");
  /* The encoding is what is kept and served. */
  check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der), "encoding");
  gnutls_free (der.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_pubkey_deinit (key);
}

/* --hot: each operation in a loop of its own. @key and @pub are the
 * older floor's; @root_key signs in memory, except in the key's own loop. */
static void
measure_hot (double             *totals,
             int                 count,
             gnutls_privkey_t    key,
             gnutls_pubkey_t     pub,
             gnutls_datum_t     *data,
             const Jws          *jws,
             gnutls_pubkey_t     account_pub,
             GByteArray         *input,
             const Csr          *csrs,
             gnutls_x509_crt_t   root,
             gnutls_privkey_t    root_key,
             const Profile      *profile,
             GMainContext       *read_context,
             const char         *item)
{
  gnutls_datum_t sig = { NULL, 0 };
  double t;

  t = cpu_now ();
  for (int i = 0; i < count; i++)
    {
      check (gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, data, &sig), "sign");
      if (i + 1 < count)
        g_clear_pointer (&sig.data, gnutls_free);
    }
  t = lap (totals, P256_SIGN, t);
  for (int i = 0; i < count; i++)
    check (gnutls_pubkey_verify_data2 (pub, GNUTLS_SIGN_ECDSA_SHA256, 0, data, &sig), "verify");
  t = lap (totals, ES256_VERIFY, t);
  g_clear_pointer (&sig.data, gnutls_free);
  for (int i = 0; i < count; i++)
    verify_jws (&jws[i % N_JWS], account_pub, input);
  t = lap (totals, JWS_VERIFY, t);
  for (int i = 0; i < count; i++)
    gnutls_x509_crq_deinit (verify_csr (&csrs[i % N_CSRS]));
  lap (totals, CSR_VERIFY, t);
  for (int i = 0; i < count; i++)
    {
      /* Only the issue is timed: the CSR it needs is read untimed. */
      gnutls_x509_crq_t crq = verify_csr (&csrs[i % N_CSRS]);

      t = cpu_now ();
      issue (crq, csrs[i % N_CSRS].name, root, root_key, profile);
      lap (totals, ISSUE, t);
      gnutls_x509_crq_deinit (crq);
    }
  if (item == NULL)
    return;
  t = cpu_now ();
  for (int i = 0; i < count; i++)
    {
      char *pem = read_root_key (read_context, item);
      gnutls_privkey_t signer = import_root_key (pem);

      gnutls_privkey_deinit (signer);
      gnutls_memset (pem, 0, strlen (pem));
      secret_password_free (pem);
    }
  lap (totals, KEY_READ, t);
}

int
main (int    argc,
      char **argv)
{
  gnutls_privkey_t key = NULL, root_key = NULL;
  gnutls_pubkey_t pub = NULL, account_pub = NULL;
  gnutls_datum_t sig = { NULL, 0 };
  gnutls_x509_crt_t root;
  /* About the size of a JWS signing input for newOrder. */
  guint8 blob[400];
  gnutls_datum_t data = { blob, sizeof blob };
  int count = 2000;
  gboolean hot = FALSE;
  double totals[N_OPS] = { 0 };
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Operations of each kind to time", "N" },
    { "hot", 0, 0, G_OPTION_ARG_NONE, &hot, "Time each kind in a loop of its own", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— ACME's cryptographic floor");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) read_context = g_main_context_new ();
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autoptr(AcmeTestKey) account = NULL;
  g_autoptr(AcmeTestKey) cert_key = NULL;
  g_autoptr(GString) json = g_string_new ("{");
  g_autofree char *root_pem = NULL;
  g_autofree char *item = NULL;
  Jws jws[N_JWS];
  Csr csrs[N_CSRS];
  Profile profile = { { NULL, 0 } };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || count <= 0)
    {
      g_printerr ("bench-acme-floor: %s\n", error != NULL ? error->message : "bad --count");
      return 2;
    }

  /* The older floor's keys. */
  memset (blob, 'a', sizeof blob);
  check (gnutls_privkey_init (&key), "privkey");
  check (gnutls_privkey_generate (key, GNUTLS_PK_ECDSA,
                                  GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
         "generate");
  check (gnutls_pubkey_init (&pub), "pubkey");
  check (gnutls_pubkey_import_privkey (pub, key, 0, 0), "import");

  /* The client's side, made as bench-acme-client makes it: an account
   * key, one certificate key, a CSR per name. */
  account = acme_test_key_new ("ES256", 0);
  cert_key = acme_test_key_new ("ES256", 0);
  for (guint i = 0; i < N_CSRS; i++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%u-%u.local", i % 8, i);
      const char *names[] = { name, NULL };
      g_autofree char *b64 = acme_test_key_make_csr (cert_key, names);

      csrs[i].der = b64url_decode (b64);
      csrs[i].name = g_steal_pointer (&name);
      if (i == 0)
        make_requests (jws, account, b64);
    }
  /* The account's public key is imported once: a server reads it from
   * the account it keeps and may keep it imported, so importing it is
   * not work every request needs. */
  check (gnutls_pubkey_init (&account_pub), "account key");
  check (gnutls_pubkey_import_privkey (account_pub, account->key, 0, 0), "account key");

  root = make_root (&root_pem, &root_key);
  make_profile (&profile, root);
  item = store_root_key (root_pem);

  if (hot)
    measure_hot (totals, count, key, pub, &data, jws, account_pub, input, csrs, root, root_key,
                 &profile, read_context, item);
  for (int i = 0; !hot && i < count; i++)
    {
      const Csr *csr = &csrs[i % N_CSRS];
      gnutls_x509_crq_t crq;
      gnutls_privkey_t signer = root_key;
      char *pem = NULL;
      double t = cpu_now ();

      blob[i % sizeof blob]++;
      check (gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &data, &sig), "sign");
      t = lap (totals, P256_SIGN, t);
      check (gnutls_pubkey_verify_data2 (pub, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &sig),
             "verify");
      t = lap (totals, ES256_VERIFY, t);
      g_clear_pointer (&sig.data, gnutls_free);

      verify_jws (&jws[i % N_JWS], account_pub, input);
      t = lap (totals, JWS_VERIFY, t);

      crq = verify_csr (csr);
      t = lap (totals, CSR_VERIFY, t);

      if (item != NULL)
        {
          pem = read_root_key (read_context, item);
          signer = import_root_key (pem);
          t = lap (totals, KEY_READ, t);
        }
      issue (crq, csr->name, root, signer, &profile);
      gnutls_x509_crq_deinit (crq);
      t = lap (totals, ISSUE, t);
      /* The key leaves memory as soon as it has signed: GnuTLS wipes
       * its numbers, and the PEM is wiped before it is freed. */
      if (item != NULL)
        {
          gnutls_privkey_deinit (signer);
          gnutls_memset (pem, 0, strlen (pem));
          secret_password_free (pem);
          lap (totals, KEY_READ, t);
        }
    }

  for (int op = 0; op < N_OPS; op++)
    {
      if (op == KEY_READ && item == NULL)
        g_string_append_printf (json, "\"%s\": null", op_names[op]);
      else
        g_string_append_printf (json, "\"%s\": %.1f", op_names[op], totals[op] / count * 1e6);
      g_string_append (json, op + 1 < N_OPS ? ", " : "}\n");
    }
  g_print ("%s", json->str);

  clear_keyring_item ();
  g_clear_object (&keyring);
  gnutls_memset (root_pem, 0, strlen (root_pem));
  for (guint i = 0; i < N_JWS; i++)
    {
      g_free (jws[i].protected_b64);
      g_free (jws[i].payload_b64);
    }
  for (guint i = 0; i < N_CSRS; i++)
    {
      g_bytes_unref (csrs[i].der);
      g_free (csrs[i].name);
    }
  gnutls_free (profile.basic_constraints.data);
  gnutls_free (profile.key_usage.data);
  gnutls_free (profile.key_purposes.data);
  gnutls_free (profile.authority_key_id.data);
  gnutls_x509_crt_deinit (root);
  gnutls_privkey_deinit (root_key);
  gnutls_pubkey_deinit (account_pub);
  gnutls_pubkey_deinit (pub);
  gnutls_privkey_deinit (key);
  return 0;
}
