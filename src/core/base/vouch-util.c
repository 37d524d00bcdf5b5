/* vouch-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-util"

#include "vouch-config.h"

#include "vouch-util.h"

#include "vouch-error.h"
#include "vouch-text.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <string.h>

gboolean
vouch_set_gnutls_error (GError     **error,
                        int          code,
                        int          gnutls_result,
                        const char  *what)
{
  g_set_error (error, VOUCH_ERROR, code, "%s: %s", what, gnutls_strerror (gnutls_result));
  return FALSE;
}

char *
vouch_hex_encode (const guint8 *data,
                  gsize         len,
                  char          separator)
{
  static const char digits[] = "0123456789ABCDEF";
  /* Not a printf per byte: every issued certificate's fingerprints and
   * serial come through here. */
  char *out = g_malloc (len * 3 + 1);
  char *p = out;

  for (gsize i = 0; i < len; i++)
    {
      if (separator != '\0' && i > 0)
        *p++ = separator;
      *p++ = digits[data[i] >> 4];
      *p++ = digits[data[i] & 0xf];
    }
  *p = '\0';
  return out;
}

gboolean
vouch_pubkey_spki_sha256 (gnutls_pubkey_t   pubkey,
                          guint8            out[VOUCH_SHA256_LEN],
                          GError          **error)
{
  gnutls_datum_t der = { NULL, 0 };
  int ret;

  ret = gnutls_pubkey_export2 (pubkey, GNUTLS_X509_FMT_DER, &der);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not read the public key"));

  ret = gnutls_hash_fast (GNUTLS_DIG_SHA256, der.data, der.size, out);
  gnutls_free (der.data);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not hash the public key"));

  return TRUE;
}

char *
vouch_pubkey_spki_sha256_hex (gnutls_pubkey_t   pubkey,
                              GError          **error)
{
  guint8 digest[VOUCH_SHA256_LEN];

  if (!vouch_pubkey_spki_sha256 (pubkey, digest, error))
    return NULL;

  g_autofree char *hex = vouch_hex_encode (digest, sizeof digest, '\0');

  return g_ascii_strdown (hex, -1);
}

static gboolean
datum_equal (const gnutls_datum_t *a,
             const gnutls_datum_t *b)
{
  return a->size == b->size && (a->size == 0 || memcmp (a->data, b->data, a->size) == 0);
}

/**
 * vouch_pubkey_compare_numbers:
 *
 * Whether @a and @b are the same ECDSA or RSA public key, compared by
 * their numbers (curve and point, or modulus and exponent): far cheaper
 * than encoding and hashing each one's SubjectPublicKeyInfo.
 *
 * Returns: 1 when they are, 0 when they are not, -1 when they are of
 *   another kind or cannot be read, to be compared some other way
 */
int
vouch_pubkey_compare_numbers (gnutls_pubkey_t a,
                              gnutls_pubkey_t b)
{
  gnutls_datum_t a1 = { NULL, 0 }, a2 = { NULL, 0 }, b1 = { NULL, 0 }, b2 = { NULL, 0 };
  gnutls_ecc_curve_t curve_a = GNUTLS_ECC_CURVE_INVALID, curve_b = GNUTLS_ECC_CURVE_INVALID;
  int algo = gnutls_pubkey_get_pk_algorithm (a, NULL);
  int result = -1;

  if (algo < 0 || algo != gnutls_pubkey_get_pk_algorithm (b, NULL))
    return algo < 0 ? -1 : 0;

  if (algo == GNUTLS_PK_ECDSA)
    {
      if (gnutls_pubkey_export_ecc_raw2 (a, &curve_a, &a1, &a2, 0) >= 0 &&
          gnutls_pubkey_export_ecc_raw2 (b, &curve_b, &b1, &b2, 0) >= 0)
        result = curve_a == curve_b && datum_equal (&a1, &b1) && datum_equal (&a2, &b2);
    }
  else if (algo == GNUTLS_PK_RSA)
    {
      if (gnutls_pubkey_export_rsa_raw2 (a, &a1, &a2, 0) >= 0 &&
          gnutls_pubkey_export_rsa_raw2 (b, &b1, &b2, 0) >= 0)
        result = datum_equal (&a1, &b1) && datum_equal (&a2, &b2);
    }

  gnutls_free (a1.data);
  gnutls_free (a2.data);
  gnutls_free (b1.data);
  gnutls_free (b2.data);
  return result;
}

char *
vouch_crt_sha256_hex (gnutls_x509_crt_t crt,
                      char              separator)
{
  guint8 digest[VOUCH_SHA256_LEN];
  size_t len = sizeof digest;

  if (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, digest, &len) < 0)
    return NULL;

  return vouch_hex_encode (digest, len, separator);
}

char *
vouch_crt_serial_hex (gnutls_x509_crt_t crt)
{
  guint8 serial[64];
  size_t len = sizeof serial;

  if (gnutls_x509_crt_get_serial (crt, serial, &len) < 0)
    return NULL;

  g_autofree char *hex = vouch_hex_encode (serial, len, '\0');

  return g_ascii_strdown (hex, -1);
}

char *
vouch_crt_export_pem (gnutls_x509_crt_t crt)
{
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out) < 0)
    return NULL;

  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

GBytes *
vouch_crt_export_der (gnutls_x509_crt_t crt)
{
  gnutls_datum_t out = { NULL, 0 };
  GBytes *bytes;

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &out) < 0)
    return NULL;

  bytes = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return bytes;
}

GDateTime *
vouch_date_time_from_unix (gint64 unix_time)
{
  return g_date_time_new_from_unix_utc (unix_time);
}

gboolean
vouch_write_file_atomic (const char  *path,
                         const void  *data,
                         gsize        len,
                         int          mode,
                         GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create the folder %s: %s"), dir, g_strerror (errsv));
      return FALSE;
    }

  /* Write to a temporary file, fsync, rename: a crash leaves the old file
   * or the new one, never half of either. */
  return g_file_set_contents_full (path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   mode, error);
}

/* Secrets (setup codes, tokens) are compared without an early exit so that
 * the time taken says nothing about where the first difference is. */
gboolean
vouch_secure_equal (const void *a,
                    const void *b,
                    gsize       len)
{
  const volatile guint8 *pa = a;
  const volatile guint8 *pb = b;
  guint8 diff = 0;

  for (gsize i = 0; i < len; i++)
    diff |= pa[i] ^ pb[i];

  return diff == 0;
}

void
vouch_datum_wipe_free (gnutls_datum_t *datum)
{
  if (datum->data != NULL)
    {
      gnutls_memset (datum->data, 0, datum->size);
      gnutls_free (datum->data);
    }
  datum->data = NULL;
  datum->size = 0;
}

/**
 * vouch_bytes_wipe_unref:
 * @bytes: (nullable) (transfer full): bytes that held a secret, such as a
 *   key file read for an import
 *
 * Drops @bytes, zeroing its memory when this was the last reference.
 */
void
vouch_bytes_wipe_unref (GBytes *bytes)
{
  gsize len = 0;
  gpointer data;

  if (bytes == NULL)
    return;

  /* Steals the buffer when this is the only reference to memory GLib
   * allocated; otherwise copies it, and the copy is what gets wiped. */
  data = g_bytes_unref_to_data (bytes, &len);
  gnutls_memset (data, 0, len);
  g_free (data);
}

char *
vouch_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "vouch", NULL);
}

/* A process that holds the root key in memory must not leave it behind in
 * a core dump. */
void
vouch_process_harden (void)
{
  struct rlimit no_core = { 0, 0 };

  setrlimit (RLIMIT_CORE, &no_core);
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
gboolean
vouch_set_str (char       **str_pointer,
               const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;
  return TRUE;
}

/* json-glib's parser recurses once per nesting level, so a hostile body of
 * 64 KiB of '[' could exhaust the stack. Count the depth first (outside
 * strings) and refuse anything deeper than a real message needs. */
static gboolean
check_json_depth (const char *data,
                  gsize       len,
                  guint       max_depth)
{
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (c == '"')
        {
          /* Jump to the quote that ends the string, one that an odd run
           * of backslashes does not escape: ACME's strings are long
           * base64url, and memchr() passes over them many bytes at a time
           * where this loop took each. */
          for (;;)
            {
              const char *quote = memchr (data + i + 1, '"', len - i - 1);
              gsize backslashes = 0;

              if (quote == NULL)
                return TRUE;
              i = (gsize)(quote - data);
              while (data[i - 1 - backslashes] == '\\')
                backslashes++;
              if (backslashes % 2 == 0)
                break;
            }
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/* json-glib 1.6 decodes a lone surrogate escape such as "\ud83d" into bytes
 * that are not UTF-8, in values and member names alike; nothing past the
 * parser should ever see those. */
static gboolean
json_strings_valid (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          if (!g_utf8_validate (name, -1, NULL) || !json_strings_valid (member))
            return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (!json_strings_valid (json_array_get_element (array, i)))
            return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_utf8_validate (json_node_get_string (node), -1, NULL);

  return TRUE;
}

/**
 * vouch_json_parse_bounded:
 * @max_depth: the deepest nesting accepted
 *
 * Returns: (transfer full): the parsed document, or %NULL with
 *   %VOUCH_ERROR_INVALID_INPUT
 */
JsonNode *
vouch_json_parse_bounded (const char  *data,
                          gsize        len,
                          guint        max_depth,
                          GError     **error)
{
  /* A parser per thread, not one per document: making and finalizing one
   * cost a third as much as parsing an ACME request's header. */
  static GPrivate thread_parser = G_PRIVATE_INIT (g_object_unref);
  JsonParser *parser;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean loaded;

  if (len > G_MAXSSIZE || !g_utf8_validate_len (data, len, NULL))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT, _("The JSON is not valid UTF-8"));
      return NULL;
    }

  if (!check_json_depth (data, len, max_depth))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The JSON is nested deeper than %u levels"), max_depth);
      return NULL;
    }

  parser = g_private_get (&thread_parser);
  if (parser == NULL)
    {
      parser = json_parser_new_immutable ();
      g_private_set (&thread_parser, parser);
    }
  loaded = json_parser_load_from_data (parser, data, (gssize)len, &local_error);
  /* Taken whether or not the load succeeded, so the parser keeps nothing
   * of a document (a device's answer, a request) between calls. */
  root = json_parser_steal_root (parser);
  if (!loaded)
    {
      /* json-glib's messages quote the offending input, which came from a
       * device. */
      g_autofree char *message = vouch_text_sanitize (local_error->message, -1,
                                                      VOUCH_TEXT_MAX_LINE);

      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT, _("The JSON is invalid: %s"),
                   message);
      return NULL;
    }

  if (root == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT, _("The JSON is empty"));
      return NULL;
    }

  /* Only an escape can decode to bytes that are not UTF-8 (json-glib 1.6
   * also takes GScanner's octal escapes, "\662"): without a backslash,
   * every string is the input's own validated text, and the walk could
   * only agree. ACME's base64url has none, and memchr() finds that fast. */
  if (memchr (data, '\\', len) != NULL && !json_strings_valid (root))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The JSON holds a string that is not valid UTF-8"));
      return NULL;
    }

  return g_steal_pointer (&root);
}

/**
 * vouch_json_add_string_member:
 * @value: (nullable): the member's value
 *
 * Adds the member @member to the object @builder is building: the string
 * @value, or JSON null when @value is %NULL, so that a reader finds every
 * member in every object.
 */
void
vouch_json_add_string_member (JsonBuilder *builder,
                              const char  *member,
                              const char  *value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (member != NULL);

  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
