/* vouch-acme-jws.c: parsing and verifying ACME's flattened JWS
 *
 * Only the algorithms RFC 8555 servers are asked for are accepted, each
 * bound to exactly one key type and curve, so a key can never be used
 * with an algorithm it was not made for. HS256 exists only for the inner
 * JWS of an External Account Binding (RFC 8555 §7.3.4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-jws"

#include "vouch-config.h"

#include "vouch-acme-jws.h"

#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <string.h>

/* Deep enough for ACME's objects (the EAB binding nests a JWS with a JWK
 * inside the payload), shallow enough that no input can recurse far. */
#define MAX_JSON_DEPTH 8

struct _VouchAcmeJws
{
  JsonNode   *header_node;
  JsonObject *header;
  char       *signing_input;
  GBytes     *payload;
  GBytes     *signature;
  const char *alg;
  const char *nonce;
  const char *url;
  const char *kid;
  JsonObject *jwk;
  JsonNode   *payload_node;
};

static gboolean
malformed (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED, message);
  return FALSE;
}

char *
vouch_acme_base64url_encode (const guint8 *data,
                             gsize         len)
{
  char *text = g_base64_encode (data, len);
  gsize out = 0;

  for (gsize i = 0; text[i] != '\0'; i++)
    {
      if (text[i] == '=')
        break;
      text[out++] = text[i] == '+' ? '-' : text[i] == '/' ? '_' : text[i];
    }
  text[out] = '\0';
  return text;
}

/**
 * vouch_acme_base64url_decode:
 *
 * Decodes unpadded base64url (RFC 7515 §2). Anything else, including
 * padding, whitespace and standard base64's '+' and '/', is refused, so one
 * value has exactly one spelling.
 */
GBytes *
vouch_acme_base64url_decode (const char  *text,
                             GError     **error)
{
  g_autofree char *standard = NULL;
  gsize len = strlen (text);
  gsize out_len;

  if (len % 4 == 1)
    {
      malformed (error, _("A base64url value has an impossible length"));
      return NULL;
    }

  standard = g_malloc (len + 4);
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c))
        standard[i] = c;
      else if (c == '-')
        standard[i] = '+';
      else if (c == '_')
        standard[i] = '/';
      else
        {
          malformed (error, _("A value is not unpadded base64url"));
          return NULL;
        }
    }
  while (len % 4 != 0)
    standard[len++] = '=';
  standard[len] = '\0';

  /* Decoded where it stands: the bytes are never longer than the text.
   * (GLib's in-place decoder refuses empty text, a POST-as-GET's payload.)
   * A NUL follows them, as it did g_base64_decode()'s, for the callers that
   * read a payload as text. */
  out_len = 0;
  if (len > 0)
    g_base64_decode_inplace (standard, &out_len);
  standard[out_len] = '\0';
  return g_bytes_new_take (g_steal_pointer (&standard), out_len);
}

char *
vouch_acme_random_id (gsize n_bytes)
{
  g_autofree guint8 *buf = g_malloc (n_bytes);

  if (gnutls_rnd (GNUTLS_RND_NONCE, buf, n_bytes) < 0)
    g_error ("GnuTLS could not draw random bytes");
  return vouch_acme_base64url_encode (buf, n_bytes);
}

void
vouch_acme_jws_free (VouchAcmeJws *jws)
{
  if (jws == NULL)
    return;

  g_clear_pointer (&jws->header_node, json_node_unref);
  g_clear_pointer (&jws->signing_input, g_free);
  g_clear_pointer (&jws->payload, g_bytes_unref);
  g_clear_pointer (&jws->signature, g_bytes_unref);
  g_clear_pointer (&jws->payload_node, json_node_unref);
  g_free (jws);
}

static const char *
optional_string (JsonObject  *object,
                 const char  *member,
                 gboolean    *ok)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
alg_allowed (const char *alg,
             gboolean    mac)
{
  if (mac)
    return g_strcmp0 (alg, "HS256") == 0;
  return g_strcmp0 (alg, "ES256") == 0 || g_strcmp0 (alg, "ES384") == 0 ||
         g_strcmp0 (alg, "RS256") == 0 || g_strcmp0 (alg, "EdDSA") == 0;
}

static gboolean
read_header (VouchAcmeJws  *jws,
             const char    *protected_b64,
             gboolean       mac,
             GError       **error)
{
  g_autoptr(GBytes) header = NULL;
  gboolean ok = TRUE;
  JsonNode *jwk;

  header = vouch_acme_base64url_decode (protected_b64, error);
  if (header == NULL)
    return FALSE;
  jws->header_node = vouch_json_parse_bounded (g_bytes_get_data (header, NULL),
                                               g_bytes_get_size (header), MAX_JSON_DEPTH, NULL);
  if (jws->header_node == NULL || !JSON_NODE_HOLDS_OBJECT (jws->header_node))
    return malformed (error, _("The JWS protected header is not a JSON object"));
  jws->header = json_node_get_object (jws->header_node);

  jws->alg = optional_string (jws->header, "alg", &ok);
  jws->nonce = optional_string (jws->header, "nonce", &ok);
  jws->url = optional_string (jws->header, "url", &ok);
  jws->kid = optional_string (jws->header, "kid", &ok);
  if (!ok)
    return malformed (error, _("A JWS header member has the wrong type"));

  if (!alg_allowed (jws->alg, mac))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_BAD_SIGNATURE_ALGORITHM,
                   _("The JWS algorithm “%s” is not accepted; use ES256, ES384, RS256 or EdDSA"),
                   jws->alg != NULL ? jws->alg : "");
      return FALSE;
    }

  /* Extensions this server does not know must not be ignored (RFC 7515
   * §4.1.11), and unencoded payloads (RFC 7797) have no place in ACME. */
  if (json_object_has_member (jws->header, "crit") || json_object_has_member (jws->header, "b64"))
    return malformed (error, _("The JWS header asks for extensions this server does not know"));

  jwk = json_object_get_member (jws->header, "jwk");
  if (jwk != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (jwk))
        return malformed (error, _("The JWS header's jwk is not an object"));
      jws->jwk = json_node_get_object (jwk);
    }
  if ((jws->jwk != NULL) == (jws->kid != NULL))
    return malformed (error, _("The JWS header must have exactly one of jwk and kid"));

  return TRUE;
}

static VouchAcmeJws *
parse_object (JsonNode  *node,
              gboolean   mac,
              GError   **error)
{
  g_autoptr(VouchAcmeJws) jws = g_new0 (VouchAcmeJws, 1);
  JsonObject *object;
  gboolean ok = TRUE;
  const char *protected_b64, *payload_b64, *signature_b64;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, _("The request is not a JWS in flattened JSON serialization"));
      return NULL;
    }
  object = json_node_get_object (node);

  /* RFC 8555 §6.2: no unprotected header, exactly one signature. */
  if (json_object_has_member (object, "header") || json_object_has_member (object, "signatures"))
    {
      malformed (error, _("The JWS must have one signature and no unprotected header"));
      return NULL;
    }

  protected_b64 = optional_string (object, "protected", &ok);
  payload_b64 = optional_string (object, "payload", &ok);
  signature_b64 = optional_string (object, "signature", &ok);
  if (!ok || protected_b64 == NULL || payload_b64 == NULL || signature_b64 == NULL)
    {
      malformed (error, _("The JWS needs protected, payload and signature strings"));
      return NULL;
    }

  if (!read_header (jws, protected_b64, mac, error))
    return NULL;

  jws->payload = vouch_acme_base64url_decode (payload_b64, error);
  if (jws->payload == NULL)
    return NULL;
  jws->signature = vouch_acme_base64url_decode (signature_b64, error);
  if (jws->signature == NULL)
    return NULL;
  jws->signing_input = g_strconcat (protected_b64, ".", payload_b64, NULL);

  return g_steal_pointer (&jws);
}

/**
 * vouch_acme_jws_parse:
 *
 * Returns: (transfer full): the request's JWS, or NULL with a
 *   VOUCH_ACME_ERROR (malformed or badSignatureAlgorithm)
 */
VouchAcmeJws *
vouch_acme_jws_parse (const char  *body,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (len > VOUCH_ACME_MAX_BODY)
    {
      malformed (error, _("The request body is larger than 64 KiB"));
      return NULL;
    }

  node = vouch_json_parse_bounded (body, len, MAX_JSON_DEPTH, NULL);
  return parse_object (node, FALSE, error);
}

/**
 * vouch_acme_jws_parse_eab:
 * @node: newAccount's externalAccountBinding member
 *
 * Like vouch_acme_jws_parse(), but the one place where HS256 (and only
 * HS256) is accepted.
 */
VouchAcmeJws *
vouch_acme_jws_parse_eab (JsonNode  *node,
                          GError   **error)
{
  return parse_object (node, TRUE, error);
}

const char *
vouch_acme_jws_get_alg (VouchAcmeJws *jws)
{
  return jws->alg;
}

const char *
vouch_acme_jws_get_nonce (VouchAcmeJws *jws)
{
  return jws->nonce;
}

const char *
vouch_acme_jws_get_url (VouchAcmeJws *jws)
{
  return jws->url;
}

const char *
vouch_acme_jws_get_kid (VouchAcmeJws *jws)
{
  return jws->kid;
}

JsonObject *
vouch_acme_jws_get_jwk (VouchAcmeJws *jws)
{
  return jws->jwk;
}

GBytes *
vouch_acme_jws_get_payload (VouchAcmeJws *jws)
{
  return jws->payload;
}

/* RFC 8555 §6.3: a POST-as-GET has an empty payload, not "{}". */
gboolean
vouch_acme_jws_is_post_as_get (VouchAcmeJws *jws)
{
  return g_bytes_get_size (jws->payload) == 0;
}

/**
 * vouch_acme_jws_get_payload_object:
 *
 * Returns: (transfer none): the payload as a JSON object, or NULL with
 *   malformed
 */
JsonObject *
vouch_acme_jws_get_payload_object (VouchAcmeJws  *jws,
                                   GError       **error)
{
  if (jws->payload_node == NULL)
    jws->payload_node = vouch_json_parse_bounded (g_bytes_get_data (jws->payload, NULL),
                                                  g_bytes_get_size (jws->payload),
                                                  MAX_JSON_DEPTH, NULL);
  if (jws->payload_node == NULL || !JSON_NODE_HOLDS_OBJECT (jws->payload_node))
    {
      malformed (error, _("The JWS payload is not a JSON object"));
      return NULL;
    }
  return json_node_get_object (jws->payload_node);
}

static gboolean
bad_key (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_BAD_PUBLIC_KEY, message);
  return FALSE;
}

/* Reads a base64url member of a JWK, of exactly @size bytes unless 0. */
static GBytes *
jwk_member (JsonObject  *jwk,
            const char  *member,
            gsize        size,
            GError     **error)
{
  gboolean ok = TRUE;
  const char *text = optional_string (jwk, member, &ok);
  g_autoptr(GBytes) bytes = NULL;

  if (text == NULL)
    {
      bad_key (error, _("The JWK lacks a member its key type needs"));
      return NULL;
    }
  bytes = vouch_acme_base64url_decode (text, error);
  if (bytes == NULL)
    return NULL;
  if (g_bytes_get_size (bytes) == 0 || (size != 0 && g_bytes_get_size (bytes) != size))
    {
      bad_key (error, _("A JWK member has the wrong length for its curve"));
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

static gnutls_datum_t
datum (GBytes *bytes)
{
  gnutls_datum_t d;
  gsize len;

  d.data = (unsigned char *)g_bytes_get_data (bytes, &len);
  d.size = len;
  return d;
}

static gboolean
import_ec (gnutls_pubkey_t   key,
           JsonObject       *jwk,
           const char       *alg,
           GError          **error)
{
  const char *crv = json_object_get_string_member_with_default (jwk, "crv", "");
  g_autoptr(GBytes) x = NULL, y = NULL;
  gnutls_ecc_curve_t curve;
  gsize size;
  gnutls_datum_t dx, dy;

  if (g_str_equal (crv, "P-256") && g_str_equal (alg, "ES256"))
    curve = GNUTLS_ECC_CURVE_SECP256R1, size = 32;
  else if (g_str_equal (crv, "P-384") && g_str_equal (alg, "ES384"))
    curve = GNUTLS_ECC_CURVE_SECP384R1, size = 48;
  else
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_BAD_SIGNATURE_ALGORITHM,
                   _("The algorithm %s does not go with an EC key on curve “%s”"), alg, crv);
      return FALSE;
    }

  if ((x = jwk_member (jwk, "x", size, error)) == NULL ||
      (y = jwk_member (jwk, "y", size, error)) == NULL)
    return FALSE;
  dx = datum (x);
  dy = datum (y);
  /* GnuTLS checks that the point is on the curve. */
  if (gnutls_pubkey_import_ecc_raw (key, curve, &dx, &dy) < 0)
    return bad_key (error, _("The JWK is not a point on its curve"));
  return TRUE;
}

static gboolean
import_rsa (gnutls_pubkey_t   key,
            JsonObject       *jwk,
            const char       *alg,
            GError          **error)
{
  g_autoptr(GBytes) n = NULL, e = NULL;
  gnutls_datum_t dn, de;
  unsigned int bits = 0;

  if (!g_str_equal (alg, "RS256"))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_BAD_SIGNATURE_ALGORITHM,
                   _("The algorithm %s does not go with an RSA key"), alg);
      return FALSE;
    }
  if ((n = jwk_member (jwk, "n", 0, error)) == NULL || (e = jwk_member (jwk, "e", 0, error)) == NULL)
    return FALSE;
  dn = datum (n);
  de = datum (e);
  if (gnutls_pubkey_import_rsa_raw (key, &dn, &de) < 0)
    return bad_key (error, _("The JWK is not a usable RSA key"));
  gnutls_pubkey_get_pk_algorithm (key, &bits);
  if (bits < 2048 || bits > 8192)
    return bad_key (error, _("RSA account keys must have 2048 to 8192 bits"));
  return TRUE;
}

static gboolean
import_okp (gnutls_pubkey_t   key,
            JsonObject       *jwk,
            const char       *alg,
            GError          **error)
{
  const char *crv = json_object_get_string_member_with_default (jwk, "crv", "");
  g_autoptr(GBytes) x = NULL;
  gnutls_datum_t dx;

  if (!g_str_equal (alg, "EdDSA") || !g_str_equal (crv, "Ed25519"))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_BAD_SIGNATURE_ALGORITHM,
                   _("Only Ed25519 keys are accepted with EdDSA"));
      return FALSE;
    }
  if ((x = jwk_member (jwk, "x", 32, error)) == NULL)
    return FALSE;
  dx = datum (x);
  if (gnutls_pubkey_import_ecc_raw (key, GNUTLS_ECC_CURVE_ED25519, &dx, NULL) < 0)
    return bad_key (error, _("The JWK is not a usable Ed25519 key"));
  return TRUE;
}

/**
 * vouch_acme_jwk_import:
 * @alg: the JWS algorithm the key is to be used with
 *
 * Returns: (transfer full): the key, or NULL with badPublicKey,
 *   badSignatureAlgorithm or malformed
 */
gnutls_pubkey_t
vouch_acme_jwk_import (JsonObject  *jwk,
                       const char  *alg,
                       GError     **error)
{
  g_auto(gnutls_pubkey_t) key = NULL;
  gboolean ok = TRUE;
  const char *kty = optional_string (jwk, "kty", &ok);

  if (json_object_has_member (jwk, "d") || json_object_has_member (jwk, "k"))
    {
      bad_key (error, _("The JWK holds a private or secret key; send only the public key"));
      return NULL;
    }

  gnutls_pubkey_init (&key);
  if (g_strcmp0 (kty, "EC") == 0)
    ok = import_ec (key, jwk, alg, error);
  else if (g_strcmp0 (kty, "RSA") == 0)
    ok = import_rsa (key, jwk, alg, error);
  else if (g_strcmp0 (kty, "OKP") == 0)
    ok = import_okp (key, jwk, alg, error);
  else
    ok = bad_key (error, _("The JWK's key type is not EC, RSA or OKP"));

  return ok ? g_steal_pointer (&key) : NULL;
}

/* RFC 7638: the required members only, in lexicographic order, no
 * whitespace; json-glib writes exactly that for an object built in that
 * order. */
char *
vouch_acme_jwk_thumbprint (JsonObject  *jwk,
                           char       **canonical,
                           GError     **error)
{
  static const char * const ec[] = { "crv", "kty", "x", "y", NULL };
  static const char * const rsa[] = { "e", "kty", "n", NULL };
  static const char * const okp[] = { "crv", "kty", "x", NULL };
  const char * const *members;
  const char *kty = json_object_get_string_member_with_default (jwk, "kty", "");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  guint8 digest[32];

  if (g_str_equal (kty, "EC"))
    members = ec;
  else if (g_str_equal (kty, "RSA"))
    members = rsa;
  else if (g_str_equal (kty, "OKP"))
    members = okp;
  else
    {
      bad_key (error, _("The JWK's key type is not EC, RSA or OKP"));
      return NULL;
    }

  json_builder_begin_object (builder);
  for (guint i = 0; members[i] != NULL; i++)
    {
      gboolean ok = TRUE;
      const char *value = optional_string (jwk, members[i], &ok);

      if (value == NULL)
        {
          bad_key (error, _("The JWK lacks a member its key type needs"));
          return NULL;
        }
      json_builder_set_member_name (builder, members[i]);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = json_to_string (node, FALSE);

  gnutls_hash_fast (GNUTLS_DIG_SHA256, text, strlen (text), digest);
  if (canonical != NULL)
    *canonical = g_steal_pointer (&text);
  return vouch_acme_base64url_encode (digest, sizeof digest);
}

static gboolean
bad_signature (GError **error)
{
  return malformed (error, _("The JWS signature does not verify with the account's key"));
}

/**
 * vouch_acme_jws_verify:
 * @key: the key vouch_acme_jwk_import() made for this JWS's alg
 */
gboolean
vouch_acme_jws_verify (VouchAcmeJws     *jws,
                       gnutls_pubkey_t   key,
                       GError          **error)
{
  gnutls_datum_t data = { (unsigned char *)jws->signing_input, strlen (jws->signing_input) };
  gnutls_datum_t sig = datum (jws->signature);
  g_autofree guint8 *der_owned = NULL;
  gnutls_sign_algorithm_t sign;
  gsize half = 0;
  int ret;

  if (g_str_equal (jws->alg, "ES256"))
    sign = GNUTLS_SIGN_ECDSA_SHA256, half = 32;
  else if (g_str_equal (jws->alg, "ES384"))
    sign = GNUTLS_SIGN_ECDSA_SHA384, half = 48;
  else if (g_str_equal (jws->alg, "RS256"))
    sign = GNUTLS_SIGN_RSA_SHA256;
  else if (g_str_equal (jws->alg, "EdDSA"))
    sign = GNUTLS_SIGN_EDDSA_ED25519;
  else
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_BAD_SIGNATURE_ALGORITHM,
                   _("The JWS algorithm “%s” is not accepted here"), jws->alg);
      return FALSE;
    }

  /* JWS carries ECDSA signatures as raw r||s (RFC 7518 §3.4); GnuTLS
   * verifies the DER SEQUENCE, which it encodes itself. */
  if (half != 0)
    {
      gnutls_datum_t r = { sig.data, half }, s = { sig.data + half, half };
      gnutls_datum_t der = { NULL, 0 };

      if (sig.size != 2 * half)
        return bad_signature (error);
      if (gnutls_encode_rs_value (&der, &r, &s) < 0)
        return bad_signature (error);
      der_owned = g_memdup2 (der.data, der.size);
      sig.data = der_owned;
      sig.size = der.size;
      gnutls_free (der.data);
    }

  ret = gnutls_pubkey_verify_data2 (key, sign, 0, &data, &sig);
  if (ret < 0)
    return bad_signature (error);
  return TRUE;
}

/**
 * vouch_acme_jws_verify_hmac:
 * @key: the External Account Binding's MAC key
 *
 * Verifies an HS256 JWS from vouch_acme_jws_parse_eab(); the MAC is
 * compared in constant time.
 */
gboolean
vouch_acme_jws_verify_hmac (VouchAcmeJws  *jws,
                            GBytes        *key,
                            GError       **error)
{
  guint8 mac[32];
  gsize key_len, sig_len;
  const guint8 *key_data = g_bytes_get_data (key, &key_len);
  const guint8 *sig = g_bytes_get_data (jws->signature, &sig_len);
  gboolean ok;

  g_return_val_if_fail (g_strcmp0 (jws->alg, "HS256") == 0, FALSE);

  if (gnutls_hmac_fast (GNUTLS_MAC_SHA256, key_data, key_len, jws->signing_input,
                        strlen (jws->signing_input), mac) < 0)
    {
      g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_SERVER_INTERNAL,
                           _("The external account binding could not be checked"));
      return FALSE;
    }
  ok = sig_len == sizeof mac && vouch_secure_equal (mac, sig, sizeof mac);
  /* memset() of a buffer read no more may be optimized away. */
  gnutls_memset (mac, 0, sizeof mac);
  if (!ok)
    g_set_error_literal (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                         _("The external account binding's MAC is wrong"));
  return ok;
}
