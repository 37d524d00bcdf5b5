/* vouch-acme-eab.c
 *
 * An EAB key is made here, shown once to the operator (who gives it to
 * one client), and from then on known only to the keyring: the HMAC key
 * is a libsecret item keyed by the key id, the inventory keeps the id,
 * the names it may order and whether it was revoked. Revoking clears the
 * keyring item too, so a revoked key cannot be read back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-eab"

#include "vouch-config.h"

#include "vouch-acme-eab.h"

#include "vouch-acme-approvals.h"
#include "vouch-acme-error.h"
#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

static const SecretSchema eab_schema = {
  "io.github.vouchpki.Vouch.AcmeEabKey", SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "key-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/**
 * vouch_acme_base64url:
 *
 * Returns: (transfer full): @data in base64url without padding (RFC 7515)
 */
char *
vouch_acme_base64url (const guint8 *data,
                      gsize         len)
{
  char *text = g_base64_encode (data, len);

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  for (char *end = text + strlen (text); end > text && end[-1] == '='; end--)
    end[-1] = '\0';
  return text;
}

/* A key is limited to names the operator typed: each must be a name, a
 * `*.` pattern or an address or range, so a typo cannot grant more. */
static gboolean
check_pattern (const char  *pattern,
               GError     **error)
{
  g_autoptr(GInetAddressMask) mask = NULL;
  g_autofree char *name = NULL;

  if (strchr (pattern, '/') != NULL || g_hostname_is_ip_address (pattern))
    {
      mask = g_inet_address_mask_new_from_string (pattern, NULL);
      if (mask != NULL)
        return TRUE;
    }
  else
    {
      const char *base = g_str_has_prefix (pattern, "*.") ? pattern + 2 : pattern;

      name = vouch_names_normalize_dns (base, FALSE, NULL);
      if (name != NULL && g_str_equal (name, base))
        return TRUE;
    }
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
               _("“%s” is not a name, a name pattern such as *.lan, or an address range"),
               pattern);
  return FALSE;
}

static gboolean
keyring_failed (GError  *secret_error,
                GError **error)
{
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_UNAVAILABLE,
               _("The keyring could not keep the ACME account key: %s"),
               secret_error->message);
  g_error_free (secret_error);
  return FALSE;
}

/**
 * vouch_acme_eab_create:
 * @patterns: the names accounts bound with the key may order
 * @out_id: (out): the key id to give the client
 * @out_hmac_key: (out): the HMAC key, base64url; shown once, never again
 *
 * Blocks on the keyring: call it from a worker thread in the app.
 */
gboolean
vouch_acme_eab_create (VouchInventory      *inventory,
                       const char * const  *patterns,
                       GCancellable        *cancellable,
                       char               **out_id,
                       char               **out_hmac_key,
                       GError             **error)
{
  guint8 id_bytes[12];
  guint8 key_bytes[VOUCH_ACME_EAB_KEY_BYTES];
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  char *hmac_key;
  GError *secret_error = NULL;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (inventory), FALSE);
  g_return_val_if_fail (out_id != NULL && out_hmac_key != NULL, FALSE);

  if (patterns == NULL || patterns[0] == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("Say which names the key may order (for example --names '*.lan')"));
      return FALSE;
    }
  for (guint i = 0; patterns[i] != NULL; i++)
    if (!check_pattern (patterns[i], error))
      return FALSE;

  if (gnutls_rnd (GNUTLS_RND_NONCE, id_bytes, sizeof id_bytes) < 0 ||
      gnutls_rnd (GNUTLS_RND_KEY, key_bytes, sizeof key_bytes) < 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO, _("No random numbers are available"));
      return FALSE;
    }
  id = vouch_acme_base64url (id_bytes, sizeof id_bytes);
  hmac_key = vouch_acme_base64url (key_bytes, sizeof key_bytes);
  gnutls_memset (key_bytes, 0, sizeof key_bytes);

  /* Translators: the label of a keyring item; %s is the key id. */
  label = g_strdup_printf (_("Vouch ACME account key %s"), id);
  if (!secret_password_store_sync (&eab_schema, SECRET_COLLECTION_DEFAULT, label, hmac_key,
                                   cancellable, &secret_error, "key-id", id, NULL))
    {
      gnutls_memset (hmac_key, 0, strlen (hmac_key));
      g_free (hmac_key);
      return keyring_failed (secret_error, error);
    }

  if (!vouch_acme_approvals_add_eab_key (inventory, id, patterns, error))
    {
      secret_password_clear_sync (&eab_schema, NULL, NULL, "key-id", id, NULL);
      gnutls_memset (hmac_key, 0, strlen (hmac_key));
      g_free (hmac_key);
      return FALSE;
    }

  *out_id = g_steal_pointer (&id);
  *out_hmac_key = hmac_key;
  return TRUE;
}

typedef struct
{
  guchar *data;
  gsize   len;
} HmacKey;

/* The key is zeroed when its last reference goes, however it goes: a
 * caller that drops it with g_bytes_unref() still leaves nothing behind. */
static void
hmac_key_wipe_free (gpointer user_data)
{
  HmacKey *key = user_data;

  gnutls_memset (key->data, 0, key->len);
  g_free (key->data);
  g_free (key);
}

static GBytes *
hmac_bytes_new_take (guchar *data,
                     gsize   len)
{
  HmacKey *key = g_new0 (HmacKey, 1);

  key->data = data;
  key->len = len;
  return g_bytes_new_with_free_func (data, len, hmac_key_wipe_free, key);
}

/**
 * vouch_acme_eab_lookup_hmac:
 *
 * Returns: (transfer full): the HMAC key's bytes, zeroed when they are
 *   freed (drop them as soon as the MAC is checked), or an unauthorized
 *   error when the key is unknown or revoked
 */
GBytes *
vouch_acme_eab_lookup_hmac (VouchInventory  *inventory,
                            const char      *id,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr(VouchAcmeEabKey) record = NULL;
  GError *secret_error = NULL;
  char *text;
  guchar *raw;
  gsize len = 0;
  g_autofree char *padded = NULL;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (inventory), NULL);

  record = vouch_acme_approvals_lookup_eab_key (inventory, id, error);
  if (record == NULL || vouch_acme_eab_key_get_revoked_at (record) != 0)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                     _("The external account key is unknown or revoked"));
      return NULL;
    }

  text = secret_password_lookup_nonpageable_sync (&eab_schema, cancellable, &secret_error,
                                                  "key-id", id, NULL);
  if (text == NULL)
    {
      if (secret_error != NULL)
        {
          g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_SERVER_INTERNAL,
                       _("The keyring is not available to check the external account "
                         "key: %s"), secret_error->message);
          g_error_free (secret_error);
        }
      else
        g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                     _("The external account key is unknown or revoked"));
      return NULL;
    }

  /* Back from base64url to bytes. */
  padded = g_strnfill ((strlen (text) + 3) / 4 * 4, '=');
  memcpy (padded, text, strlen (text));
  secret_password_free (text);
  g_strdelimit (padded, "-", '+');
  g_strdelimit (padded, "_", '/');
  raw = g_base64_decode (padded, &len);
  gnutls_memset (padded, 0, strlen (padded));
  return hmac_bytes_new_take (raw, len);
}

/**
 * vouch_acme_eab_revoke:
 *
 * Marks the key revoked in the inventory (audited) and removes its HMAC
 * key from the keyring. No account can bind with it any more, and the
 * accounts bound with it can no longer order (the policy refuses them).
 */
gboolean
vouch_acme_eab_revoke (VouchInventory  *inventory,
                       const char      *id,
                       GCancellable    *cancellable,
                       GError         **error)
{
  GError *secret_error = NULL;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (inventory), FALSE);

  if (!vouch_acme_approvals_revoke_eab_key (inventory, id, error))
    return FALSE;
  if (!secret_password_clear_sync (&eab_schema, cancellable, &secret_error, "key-id", id, NULL) &&
      secret_error != NULL)
    return keyring_failed (secret_error, error);
  return TRUE;
}
