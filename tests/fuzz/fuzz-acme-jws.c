/* fuzz-acme-jws.c: any bytes as an ACME request body: the JWS parser, then
 * everything the server reads from a parsed request before it trusts it
 * (payload object, JWK import and thumbprint, the signature check, the
 * base64url decoder)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "vouch-acme-jws.h"

#include <string.h>

/* RFC 8555 servers accept these; the parser must refuse every other alg
 * ("none", HS256 and the rest) before any key is looked at. */
static gboolean
alg_allowed (const char *alg)
{
  return g_strcmp0 (alg, "ES256") == 0 || g_strcmp0 (alg, "ES384") == 0 ||
         g_strcmp0 (alg, "RS256") == 0 || g_strcmp0 (alg, "EdDSA") == 0;
}

/* An error goes back to the client as a problem's detail: it must be an
 * ACME error with valid UTF-8 text. */
static void
assert_acme_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == VOUCH_ACME_ERROR);
  g_assert_nonnull (vouch_acme_error_to_type (error->code));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
check_jwk (VouchAcmeJws *jws)
{
  JsonObject *jwk = vouch_acme_jws_get_jwk (jws);
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *thumbprint = NULL;
  gnutls_pubkey_t key;

  if (jwk == NULL)
    return;

  thumbprint = vouch_acme_jwk_thumbprint (jwk, &canonical, &error);
  g_assert_true ((thumbprint == NULL) == (error != NULL));
  if (thumbprint == NULL)
    assert_acme_error (error);
  else
    g_assert_true (g_utf8_validate (canonical, -1, NULL));
  g_clear_error (&error);

  key = vouch_acme_jwk_import (jwk, vouch_acme_jws_get_alg (jws), &error);
  g_assert_true ((key == NULL) == (error != NULL));
  if (key == NULL)
    {
      assert_acme_error (error);
      return;
    }
  /* An imported key has a thumbprint. */
  g_assert_nonnull (thumbprint);
  g_clear_error (&error);
  if (!vouch_acme_jws_verify (jws, key, &error))
    assert_acme_error (error);
  gnutls_pubkey_deinit (key);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VouchAcmeJws) jws = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) decoded = NULL;
  gboolean has_jwk, has_kid;
  GBytes *payload;
  JsonObject *object;

  if (size > VOUCH_ACME_MAX_BODY + 1)
    return 0;

  jws = vouch_acme_jws_parse ((const char *)data, size, &error);
  g_assert_true ((jws == NULL) == (error != NULL));
  if (jws == NULL)
    assert_acme_error (error);
  else
    {
      g_assert_true (size <= VOUCH_ACME_MAX_BODY);
      g_assert_true (alg_allowed (vouch_acme_jws_get_alg (jws)));
      /* nonce and url may be missing here: the server answers that with
       * badNonce and unauthorized, as RFC 8555 §6.4-6.5 ask. */
      /* RFC 8555 §6.2: exactly one of jwk and kid. */
      has_jwk = vouch_acme_jws_get_jwk (jws) != NULL;
      has_kid = vouch_acme_jws_get_kid (jws) != NULL;
      g_assert_true (has_jwk != has_kid);

      payload = vouch_acme_jws_get_payload (jws);
      g_assert_nonnull (payload);
      g_assert_true (vouch_acme_jws_is_post_as_get (jws) == (g_bytes_get_size (payload) == 0));
      g_clear_error (&error);
      object = vouch_acme_jws_get_payload_object (jws, &error);
      g_assert_true ((object == NULL) == (error != NULL));
      if (object == NULL)
        assert_acme_error (error);
      g_clear_error (&error);
      check_jwk (jws);
    }

  /* The base64url decoder on its own: what decodes re-encodes the same. */
  g_clear_error (&error);
  text = g_strndup ((const char *)data, MIN (size, 4096));
  decoded = vouch_acme_base64url_decode (text, &error);
  g_assert_true ((decoded == NULL) == (error != NULL));
  if (decoded != NULL)
    {
      g_autofree char *again = vouch_acme_base64url_encode (g_bytes_get_data (decoded, NULL),
                                                            g_bytes_get_size (decoded));
      g_autoptr(GBytes) twice = vouch_acme_base64url_decode (again, NULL);

      g_assert_nonnull (twice);
      g_assert_true (g_bytes_equal (decoded, twice));
    }
  return 0;
}
