/* bench-acme-stack-issue.c: bench-acme-stack --conforming does, beyond
 * what --durable keeps, the work issue #16 asks of every ACME server, on
 * the mandated libraries and as cheaply as they allow
 *
 * - Every JWS's signature is verified through GnuTLS: ES256 carries r||s
 *   (RFC 7518 §3.4), which GnuTLS takes as DER, so it is encoded first.
 *   An account's key is imported once and remembered, as a server may.
 * - finalize's CSR is imported and its signature verified through
 *   GnuTLS's X.509 API, and its names must equal the order's identifiers.
 * - The certificate is built through GnuTLS's X.509 API with Vouch's leaf
 *   profile (src/core/pki/vouch-root-ca-issue.c: serial, validity, the
 *   first name as CN, the CSR's key, basic constraints, key usage, server
 *   authentication, subject and authority key IDs, subjectAltName); the
 *   extensions that depend only on the root are encoded once.
 * - The root's key lives in the user's keyring (libsecret) and is in
 *   memory only while it signs, as the team brief requires of Vouch: it is
 *   read for each signature and wiped after it. The item's D-Bus path is
 *   found once; each read is the one GetSecrets call, on a main context
 *   the worker thread keeps, and the key is stored as its raw numbers so
 *   that no ASN.1 is parsed to load it. Signatures are made one at a
 *   time, as one root signs them.
 *
 * What it still leaves out: any signing policy beyond the names (name
 * constraints, key sizes), audit records, a CRL, approval and rate
 * limits, other algorithms than ES256 and P-256: Vouch's own share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define SECRET_API_SUBJECT_TO_CHANGE /* secret_service_search_for_dbus_paths_sync() */

#include "bench-acme-stack.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>
#include <libsecret/secret.h>
#include <string.h>
#include <time.h>

#define LEAF_DAYS 90
#define COORDINATE 32 /* bytes of a P-256 number */

static const SecretSchema root_key_schema = {
  "io.github.vouchpki.BenchAcmeStack.RootKey", SECRET_SCHEMA_NONE,
  { { "root", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
};

struct _StackIssuer
{
  GMutex             lock;        /* one signature at a time */
  gnutls_x509_crt_t  root;
  char              *root_id;     /* the keyring item's attribute */
  SecretService     *service;
  char              *item_path;
  gnutls_datum_t     basic_constraints;
  gnutls_datum_t     key_usage;
  gnutls_datum_t     key_purposes;
  gnutls_datum_t     authority_key_id;
};

static gboolean
gnutls_failed (int          ret,
               const char  *what,
               GError     **error)
{
  if (ret >= 0)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, gnutls_strerror (ret));
  return TRUE;
}

/* The root's own key ID, else its key's SHA-1 (RFC 5280 §4.2.1.2). */
static int
root_key_id (gnutls_x509_crt_t  root,
             guint8            *id,
             size_t            *id_len)
{
  size_t size = *id_len;
  int ret = gnutls_x509_crt_get_subject_key_id (root, id, &size, NULL);

  if (ret < 0)
    {
      size = *id_len;
      ret = gnutls_x509_crt_get_key_id (root, GNUTLS_KEYID_USE_SHA1, id, &size);
    }
  *id_len = size;
  return ret;
}

/* The leaf extensions that depend on the root alone, encoded once. */
static gboolean
encode_fixed_extensions (StackIssuer  *issuer,
                         GError      **error)
{
  guint8 id[64];
  size_t id_len = sizeof id;
  gnutls_x509_key_purposes_t purposes = NULL;
  gnutls_x509_aki_t aki = NULL;
  gnutls_datum_t id_datum;
  int ret;

  if (gnutls_failed (gnutls_x509_ext_export_basic_constraints (0, -1, &issuer->basic_constraints),
                     "basic constraints", error) ||
      gnutls_failed (gnutls_x509_ext_export_key_usage (GNUTLS_KEY_DIGITAL_SIGNATURE,
                                                       &issuer->key_usage), "key usage", error) ||
      gnutls_failed (root_key_id (issuer->root, id, &id_len), "root key ID", error))
    return FALSE;
  id_datum.data = id;
  id_datum.size = id_len;
  if ((ret = gnutls_x509_key_purpose_init (&purposes)) >= 0 &&
      (ret = gnutls_x509_key_purpose_set (purposes, GNUTLS_KP_TLS_WWW_SERVER)) >= 0)
    ret = gnutls_x509_ext_export_key_purposes (purposes, &issuer->key_purposes);
  if (purposes != NULL)
    gnutls_x509_key_purpose_deinit (purposes);
  if (gnutls_failed (ret, "key purposes", error))
    return FALSE;
  if ((ret = gnutls_x509_aki_init (&aki)) >= 0 && (ret = gnutls_x509_aki_set_id (aki, &id_datum)) >= 0)
    ret = gnutls_x509_ext_export_authority_key_id (aki, &issuer->authority_key_id);
  if (aki != NULL)
    gnutls_x509_aki_deinit (aki);
  return !gnutls_failed (ret, "authority key ID", error);
}

/* x || y || k, each left-padded to 32 bytes: the key with no encoding to
 * parse when it is read back. */
static GBytes *
raw_key (gnutls_x509_privkey_t   key,
         GError                **error)
{
  gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 }, k = { NULL, 0 };
  gnutls_ecc_curve_t curve;
  guint8 *raw = g_malloc0 (3 * COORDINATE);
  const gnutls_datum_t *parts[] = { &x, &y, &k };
  int ret = gnutls_x509_privkey_export_ecc_raw (key, &curve, &x, &y, &k);
  gboolean ok = ret >= 0 && curve == GNUTLS_ECC_CURVE_SECP256R1;

  for (guint i = 0; ok && i < G_N_ELEMENTS (parts); i++)
    {
      const guint8 *data = parts[i]->data;
      gsize size = parts[i]->size;

      /* GnuTLS may lead with a zero byte, as a positive INTEGER does. */
      for (; size > COORDINATE && data[0] == 0; size--)
        data++;
      ok = size <= COORDINATE;
      if (ok)
        memcpy (raw + (i + 1) * COORDINATE - size, data, size);
    }
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i]->data != NULL)
      {
        gnutls_memset (parts[i]->data, 0, parts[i]->size);
        gnutls_free (parts[i]->data);
      }
  if (!ok)
    {
      gnutls_memset (raw, 0, 3 * COORDINATE);
      g_free (raw);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The root's key is not a P-256 key");
      return NULL;
    }
  return g_bytes_new_take (raw, 3 * COORDINATE);
}

/* Stores @key in the keyring and forgets it; keeps @root. */
StackIssuer *
stack_issuer_new (gnutls_x509_crt_t       root,
                  gnutls_x509_privkey_t   key,
                  GError                **error)
{
  StackIssuer *issuer = g_new0 (StackIssuer, 1);
  g_autoptr(GBytes) raw = raw_key (key, error);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_auto(GStrv) unlocked = NULL;
  guint8 id[16];

  g_mutex_init (&issuer->lock);
  issuer->root = root;
  if (raw == NULL || !encode_fixed_extensions (issuer, error))
    goto fail;
  if (gnutls_rnd (GNUTLS_RND_NONCE, id, sizeof id) < 0)
    g_error ("GnuTLS could not draw random bytes");
  issuer->root_id = g_compute_checksum_for_data (G_CHECKSUM_SHA256, id, sizeof id);
  value = secret_value_new (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                            "application/octet-stream");
  attributes = secret_attributes_build (&root_key_schema, "root", issuer->root_id, NULL);
  if ((issuer->service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, error)) == NULL ||
      !secret_service_store_sync (issuer->service, &root_key_schema, attributes,
                                  SECRET_COLLECTION_DEFAULT, "bench-acme-stack root key", value,
                                  NULL, error) ||
      !secret_service_search_for_dbus_paths_sync (issuer->service, &root_key_schema, attributes,
                                                  NULL, &unlocked, NULL, error))
    goto fail;
  if (unlocked == NULL || unlocked[0] == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The root's key is not in the keyring");
      goto fail;
    }
  issuer->item_path = g_strdup (unlocked[0]);
  return issuer;

fail:
  stack_issuer_free (issuer);
  return NULL;
}

void
stack_issuer_free (StackIssuer *issuer)
{
  if (issuer->root_id != NULL && issuer->service != NULL)
    secret_password_clear_sync (&root_key_schema, NULL, NULL, "root", issuer->root_id, NULL);
  g_clear_object (&issuer->service);
  g_free (issuer->item_path);
  g_free (issuer->root_id);
  gnutls_free (issuer->basic_constraints.data);
  gnutls_free (issuer->key_usage.data);
  gnutls_free (issuer->key_purposes.data);
  gnutls_free (issuer->authority_key_id.data);
  gnutls_x509_crt_deinit (issuer->root);
  g_mutex_clear (&issuer->lock);
  g_free (issuer);
}

/* A P-256 jwk (RFC 7518 §6.2) as a GnuTLS key, or NULL. */
gnutls_pubkey_t
stack_jwk_import (JsonObject *jwk)
{
  const char *x_b64 = stack_string_member (jwk, "x"), *y_b64 = stack_string_member (jwk, "y");
  g_autoptr(GBytes) x = x_b64 != NULL ? stack_b64url_decode (x_b64) : NULL;
  g_autoptr(GBytes) y = y_b64 != NULL ? stack_b64url_decode (y_b64) : NULL;
  gnutls_datum_t xd, yd;
  gnutls_pubkey_t key = NULL;

  if (x == NULL || y == NULL || g_strcmp0 (stack_string_member (jwk, "kty"), "EC") != 0 ||
      g_strcmp0 (stack_string_member (jwk, "crv"), "P-256") != 0 ||
      g_bytes_get_size (x) != COORDINATE || g_bytes_get_size (y) != COORDINATE)
    return NULL;
  xd.data = (unsigned char *)g_bytes_get_data (x, NULL);
  xd.size = COORDINATE;
  yd.data = (unsigned char *)g_bytes_get_data (y, NULL);
  yd.size = COORDINATE;
  if (gnutls_pubkey_init (&key) < 0)
    return NULL;
  if (gnutls_pubkey_import_ecc_raw (key, GNUTLS_ECC_CURVE_SECP256R1, &xd, &yd) < 0)
    g_clear_pointer (&key, gnutls_pubkey_deinit);
  return key;
}

/* The JWS's ES256 signature over "protected.payload", checked. */
gboolean
stack_jws_verify (Jws             *jws,
                  gnutls_pubkey_t  key)
{
  JsonObject *object = json_node_get_object (jws->node);
  g_autofree char *input = g_strconcat (stack_string_member (object, "protected"), ".",
                                        stack_string_member (object, "payload"), NULL);
  gnutls_datum_t data = { (unsigned char *)input, strlen (input) };
  gsize size;
  const guint8 *signature = g_bytes_get_data (jws->signature, &size);
  gnutls_datum_t r = { (unsigned char *)signature, COORDINATE };
  gnutls_datum_t s = { (unsigned char *)signature + COORDINATE, COORDINATE };
  gnutls_datum_t der = { NULL, 0 };
  gboolean good;

  if (size != 2 * COORDINATE || gnutls_encode_rs_value (&der, &r, &s) < 0)
    return FALSE;
  good = gnutls_pubkey_verify_data2 (key, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &der) >= 0;
  gnutls_free (der.data);
  return good;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* The CSR's subjectAltNames as "dns:NAME" and "ip:ADDRESS", sorted. */
static GPtrArray *
csr_names (gnutls_x509_crq_t crq)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0;; i++)
    {
      char value[256];
      size_t size = sizeof value - 1;
      unsigned int type;
      int ret = gnutls_x509_crq_get_subject_alt_name (crq, i, value, &size, &type, NULL);

      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (ret < 0)
        {
          g_ptr_array_unref (names);
          return NULL;
        }
      if (type == GNUTLS_SAN_DNSNAME)
        {
          value[size] = '\0';
          g_ptr_array_add (names, g_strconcat ("dns:", value, NULL));
        }
      else if (type == GNUTLS_SAN_IPADDRESS && (size == 4 || size == 16))
        {
          g_autoptr(GInetAddress) address = g_inet_address_new_from_bytes (
            (const guint8 *)value, size == 4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);
          g_autofree char *text = g_inet_address_to_string (address);

          g_ptr_array_add (names, g_strconcat ("ip:", text, NULL));
        }
      else
        {
          g_ptr_array_unref (names);
          return NULL;
        }
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

/* The order's identifiers in the same form, sorted. */
static GPtrArray *
order_names (const char *identifiers)
{
  g_autoptr(JsonNode) node = json_from_string (identifiers, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *identifier = json_array_get_object_element (array, i);

      g_ptr_array_add (names, g_strconcat (stack_string_member (identifier, "type"), ":",
                                           stack_string_member (identifier, "value"), NULL));
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

static gboolean
same_names (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (strcmp (a->pdata[i], b->pdata[i]) != 0)
      return FALSE;
  return TRUE;
}

static gboolean
add_names (gnutls_x509_crt_t  crt,
           GPtrArray         *names)
{
  gnutls_subject_alt_names_t sans = NULL;
  gnutls_datum_t der = { NULL, 0 };
  gboolean ok = gnutls_subject_alt_names_init (&sans) >= 0;

  for (guint i = 0; ok && i < names->len; i++)
    {
      const char *name = names->pdata[i];
      gnutls_datum_t value;

      if (g_str_has_prefix (name, "ip:"))
        {
          g_autoptr(GInetAddress) address = g_inet_address_new_from_string (name + 3);

          ok = address != NULL;
          if (!ok)
            break;
          value.data = (unsigned char *)g_inet_address_to_bytes (address);
          value.size = g_inet_address_get_native_size (address);
          ok = gnutls_subject_alt_names_set (sans, GNUTLS_SAN_IPADDRESS, &value, NULL) >= 0;
        }
      else
        {
          value.data = (unsigned char *)name + 4;
          value.size = strlen (name + 4);
          ok = gnutls_subject_alt_names_set (sans, GNUTLS_SAN_DNSNAME, &value, NULL) >= 0;
        }
    }
  ok = ok && gnutls_x509_ext_export_subject_alt_names (sans, &der) >= 0 &&
       gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_SAN, der.data, der.size,
                                             FALSE) >= 0;
  gnutls_free (der.data);
  if (sans != NULL)
    gnutls_subject_alt_names_deinit (sans);
  return ok;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* The one GetSecrets call, on a main context this thread keeps: the
 * synchronous call would make and drop one for each read. */
static SecretValue *
read_key (StackIssuer  *issuer,
          GError      **error)
{
  static GPrivate thread_context = G_PRIVATE_INIT ((GDestroyNotify)g_main_context_unref);
  GMainContext *context = g_private_get (&thread_context);
  GAsyncResult *result = NULL;
  SecretValue *value;

  if (context == NULL)
    {
      context = g_main_context_new ();
      g_private_set (&thread_context, context);
    }
  g_main_context_push_thread_default (context);
  secret_service_get_secret_for_dbus_path (issuer->service, issuer->item_path, NULL,
                                           store_result, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  value = secret_service_get_secret_for_dbus_path_finish (issuer->service, result, error);
  g_object_unref (result);
  g_main_context_pop_thread_default (context);
  if (value == NULL && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The root's key left the keyring");
  return value;
}

/* Signs @crt with the root's key, read from the keyring for it and
 * wiped after it. */
static gboolean
sign (StackIssuer        *issuer,
      gnutls_x509_crt_t   crt,
      GError            **error)
{
  g_autoptr(SecretValue) value = read_key (issuer, error);
  gnutls_privkey_t key = NULL;
  gsize size = 0;
  const guint8 *raw = value != NULL ? (const guint8 *)secret_value_get (value, &size) : NULL;
  gnutls_datum_t x, y, k;
  int ret;

  if (raw == NULL)
    return FALSE;
  if (size != 3 * COORDINATE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The keyring's root key is damaged");
      return FALSE;
    }
  x.data = (unsigned char *)raw;
  y.data = (unsigned char *)raw + COORDINATE;
  k.data = (unsigned char *)raw + 2 * COORDINATE;
  x.size = y.size = k.size = COORDINATE;
  /* GnuTLS copies the numbers and clears them in deinit; libsecret keeps
   * the value in its non-pageable memory and clears it when freed. */
  if ((ret = gnutls_privkey_init (&key)) >= 0 &&
      (ret = gnutls_privkey_import_ecc_raw (key, GNUTLS_ECC_CURVE_SECP256R1, &x, &y, &k)) >= 0)
    ret = gnutls_x509_crt_privkey_sign (crt, issuer->root, key, GNUTLS_DIG_SHA256, 0);
  if (key != NULL)
    gnutls_privkey_deinit (key);
  return !gnutls_failed (ret, "sign", error);
}

/* The certificate for @csr, whose names must be @identifiers' (the
 * order's, as JSON), as DER; its serial and expiry in @serial and
 * @not_after. A CSR refused is G_IO_ERROR_INVALID_DATA. Any thread. */
GBytes *
stack_issuer_issue (StackIssuer  *issuer,
                    GBytes       *csr,
                    const char   *identifiers,
                    char          serial[33],
                    gint64       *not_after,
                    GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) wanted = order_names (identifiers);
  g_autoptr(GPtrArray) names = NULL;
  gnutls_x509_crq_t crq = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t csr_der = { (unsigned char *)g_bytes_get_data (csr, NULL), g_bytes_get_size (csr) };
  gnutls_datum_t der = { NULL, 0 };
  guint8 key_id[20], serial_bytes[16];
  size_t key_id_len = sizeof key_id;
  time_t now = time (NULL);
  GBytes *issued = NULL;
  const char *cn;
  int ret;

  if (gnutls_failed (gnutls_x509_crq_init (&crq), "CSR", error))
    return NULL;
  if ((ret = gnutls_x509_crq_import (crq, &csr_der, GNUTLS_X509_FMT_DER)) < 0 ||
      (ret = gnutls_x509_crq_verify (crq, 0)) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The CSR is not good: %s",
                   gnutls_strerror (ret));
      goto out;
    }
  names = csr_names (crq);
  if (names == NULL || !same_names (names, wanted))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The CSR's names are not the order's identifiers");
      goto out;
    }
  /* A positive serial of 127 random bits, as a CA draws it. */
  if (gnutls_rnd (GNUTLS_RND_NONCE, serial_bytes, sizeof serial_bytes) < 0)
    g_error ("GnuTLS could not draw random bytes");
  serial_bytes[0] &= 0x7f;
  for (guint i = 0; i < sizeof serial_bytes; i++)
    g_snprintf (serial + 2 * i, 3, "%02x", serial_bytes[i]);
  *not_after = now + LEAF_DAYS * 86400;
  cn = NULL;
  for (guint i = 0; cn == NULL && i < names->len; i++)
    if (g_str_has_prefix (names->pdata[i], "dns:"))
      cn = (const char *)names->pdata[i] + 4;
  if (gnutls_failed (gnutls_pubkey_init (&key), "key", error) ||
      gnutls_failed (gnutls_pubkey_import_x509_crq (key, crq, 0), "CSR key", error) ||
      gnutls_failed (gnutls_pubkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_len),
                     "key ID", error) ||
      gnutls_failed (gnutls_x509_crt_init (&crt), "certificate", error) ||
      gnutls_failed (gnutls_x509_crt_set_version (crt, 3), "version", error) ||
      gnutls_failed (gnutls_x509_crt_set_serial (crt, serial_bytes, sizeof serial_bytes), "serial",
                     error) ||
      (cn != NULL &&
       gnutls_failed (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
                                                     strlen (cn)), "name", error)) ||
      gnutls_failed (gnutls_x509_crt_set_activation_time (crt, now - 300), "not before", error) ||
      gnutls_failed (gnutls_x509_crt_set_expiration_time (crt, *not_after),
                     "not after", error) ||
      gnutls_failed (gnutls_x509_crt_set_pubkey (crt, key), "key", error) ||
      gnutls_failed (gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS,
                                                           issuer->basic_constraints.data,
                                                           issuer->basic_constraints.size, TRUE),
                     "basic constraints", error) ||
      gnutls_failed (gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_KEY_USAGE,
                                                           issuer->key_usage.data,
                                                           issuer->key_usage.size, TRUE),
                     "key usage", error) ||
      gnutls_failed (gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE,
                                                           issuer->key_purposes.data,
                                                           issuer->key_purposes.size, FALSE),
                     "key purposes", error) ||
      gnutls_failed (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_len), "key ID", error) ||
      gnutls_failed (gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID,
                                                           issuer->authority_key_id.data,
                                                           issuer->authority_key_id.size, FALSE),
                     "authority key ID", error))
    goto out;
  if (!add_names (crt, names))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not add the names");
      goto out;
    }
  locker = g_mutex_locker_new (&issuer->lock);
  if (!sign (issuer, crt, error))
    goto out;
  g_clear_pointer (&locker, g_mutex_locker_free);
  if (!gnutls_failed (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der), "export", error))
    issued = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);

out:
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_pubkey_deinit (key);
  gnutls_x509_crq_deinit (crq);
  return issued;
}

/* The JWS's signature, by the jwk of newAccount or by the
 * key of @account, imported once and remembered. */
gboolean
stack_conforming_verify (Stack      *self,
                         Jws        *jws,
                         const char *account)
{
  gnutls_pubkey_t key;
  gboolean good;

  if (account == NULL)
    {
      JsonNode *jwk = json_object_get_member (jws->header, "jwk");

      key = jwk != NULL && JSON_NODE_HOLDS_OBJECT (jwk) ? stack_jwk_import (json_node_get_object (jwk))
                                                       : NULL;
      good = key != NULL && stack_jws_verify (jws, key);
      if (key != NULL)
        gnutls_pubkey_deinit (key);
      return good;
    }
  key = g_hash_table_lookup (self->keys, account);
  if (key == NULL)
    {
      g_autofree char *text = stack_durable_account_jwk (self, account);
      g_autoptr(JsonNode) jwk = text != NULL ? json_from_string (text, NULL) : NULL;

      if (jwk == NULL || !JSON_NODE_HOLDS_OBJECT (jwk) ||
          (key = stack_jwk_import (json_node_get_object (jwk))) == NULL)
        return FALSE;
      g_hash_table_insert (self->keys, g_strdup (account), key);
    }
  return stack_jws_verify (jws, key);
}

/* finalize, after the order became processing. */
typedef struct
{
  Stack             *self;
  SoupServerMessage *msg;
  char              *order;
  char              *account;
  char              *names;    /* the order's identifiers, JSON */
  gint64             expires;
  GBytes            *csr;
  char               serial[33];
} Issue;

static void
issue_free (Issue *issue)
{
  g_object_unref (issue->msg);
  g_free (issue->order);
  g_free (issue->account);
  g_free (issue->names);
  g_bytes_unref (issue->csr);
  g_free (issue);
}

/* One hop off the main thread, as Vouch's: the certificate issued (the
 * key read from the keyring for it), committed and synced. */
static void
issue_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Issue *issue = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) der = NULL;
  gint64 not_after = 0;

  der = stack_issuer_issue (issue->self->issuer, issue->csr, issue->names, issue->serial,
                            &not_after, &error);
  if (!stack_durable_record_issued (issue->self, issue->order, issue->account, issue->names,
                                    issue->serial, der, not_after,
                                    error == NULL ? &error : NULL) || der == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  stack_durable_sync (issue->self, task);
}

static void
issued (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Issue *issue = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) identifiers = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *location = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      identifiers = json_from_string (issue->names, NULL);
      node = stack_order_json (issue->msg, issue->order, identifiers, "valid", issue->expires,
                               issue->serial);
      location = stack_url_of (issue->msg, "order", issue->order, NULL);
      stack_reply (issue->self, issue->msg, SOUP_STATUS_OK, node, location);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    stack_reply_problem (issue->self, issue->msg, SOUP_STATUS_BAD_REQUEST, "badCSR",
                         error->message);
  else
    stack_reply_problem (issue->self, issue->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                         "serverInternal", error->message);
  soup_server_message_unpause (issue->msg);
}

/* finalize, once the order is processing: issued off the main thread,
 * the answer sent when the certificate is on the disk. Takes @names. */
void
stack_conforming_finalize (Stack             *self,
                           SoupServerMessage *msg,
                           const char        *order,
                           const char        *account,
                           char              *names,
                           gint64             expires,
                           GBytes            *csr)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, issued, NULL);
  Issue *issue = g_new0 (Issue, 1);

  issue->self = self;
  issue->msg = g_object_ref (msg);
  issue->order = g_strdup (order);
  issue->account = g_strdup (account);
  issue->names = names;
  issue->expires = expires;
  issue->csr = g_bytes_ref (csr);
  g_task_set_task_data (task, issue, (GDestroyNotify)issue_free);
  soup_server_message_pause (msg);
  g_task_run_in_thread (task, issue_thread);
}
