/* vouch-key-type.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-key-type.h"

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>

G_DEFINE_ENUM_TYPE (VouchKeyType, vouch_key_type,
                    G_DEFINE_ENUM_VALUE (VOUCH_KEY_TYPE_ECDSA_P256, "ecdsa-p256"),
                    G_DEFINE_ENUM_VALUE (VOUCH_KEY_TYPE_ECDSA_P384, "ecdsa-p384"),
                    G_DEFINE_ENUM_VALUE (VOUCH_KEY_TYPE_RSA_3072, "rsa-3072"),
                    G_DEFINE_ENUM_VALUE (VOUCH_KEY_TYPE_RSA_4096, "rsa-4096"))

static const struct
{
  const char               *name;
  const char               *label;
  gnutls_pk_algorithm_t     algorithm;
  unsigned int              bits;
  gnutls_digest_algorithm_t digest;
} key_types[] = {
  [VOUCH_KEY_TYPE_ECDSA_P256] = { "ecdsa-p256", N_("ECDSA P-256"), GNUTLS_PK_ECDSA,
                                  GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                  GNUTLS_DIG_SHA256 },
  [VOUCH_KEY_TYPE_ECDSA_P384] = { "ecdsa-p384", N_("ECDSA P-384"), GNUTLS_PK_ECDSA,
                                  GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP384R1),
                                  GNUTLS_DIG_SHA384 },
  [VOUCH_KEY_TYPE_RSA_3072] = { "rsa-3072", N_("RSA 3072"), GNUTLS_PK_RSA, 3072,
                                GNUTLS_DIG_SHA256 },
  [VOUCH_KEY_TYPE_RSA_4096] = { "rsa-4096", N_("RSA 4096"), GNUTLS_PK_RSA, 4096,
                                GNUTLS_DIG_SHA256 },
};

gboolean
vouch_key_type_from_string (const char   *text,
                            VouchKeyType *out_type)
{
  g_return_val_if_fail (out_type != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    {
      if (g_ascii_strcasecmp (text, key_types[i].name) == 0)
        {
          *out_type = (VouchKeyType)i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
vouch_key_type_to_string (VouchKeyType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (key_types), NULL);
  return key_types[type].name;
}

const char *
vouch_key_type_to_label (VouchKeyType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (key_types), NULL);
  return g_dgettext (GETTEXT_PACKAGE, key_types[type].label);
}

gnutls_pk_algorithm_t
vouch_key_type_get_algorithm (VouchKeyType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (key_types), GNUTLS_PK_UNKNOWN);
  return key_types[type].algorithm;
}

unsigned int
vouch_key_type_get_bits (VouchKeyType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (key_types), 0);
  return key_types[type].bits;
}

gnutls_digest_algorithm_t
vouch_key_type_get_digest (VouchKeyType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (key_types), GNUTLS_DIG_SHA256);
  return key_types[type].digest;
}

/* Only the four types Vouch creates map back; other keys (RSA 2048 from an
 * imported root, say) are still usable, they just have no VouchKeyType. */
gboolean
vouch_key_type_from_pubkey (gnutls_pubkey_t  pubkey,
                            VouchKeyType    *out_type)
{
  unsigned int bits = 0;
  int algo;

  algo = gnutls_pubkey_get_pk_algorithm (pubkey, &bits);

  if (algo == GNUTLS_PK_ECDSA)
    {
      gnutls_ecc_curve_t curve;

      if (gnutls_pubkey_export_ecc_raw (pubkey, &curve, NULL, NULL) < 0)
        return FALSE;
      if (curve == GNUTLS_ECC_CURVE_SECP256R1)
        *out_type = VOUCH_KEY_TYPE_ECDSA_P256;
      else if (curve == GNUTLS_ECC_CURVE_SECP384R1)
        *out_type = VOUCH_KEY_TYPE_ECDSA_P384;
      else
        return FALSE;
      return TRUE;
    }

  if (algo == GNUTLS_PK_RSA && bits == 3072)
    *out_type = VOUCH_KEY_TYPE_RSA_3072;
  else if (algo == GNUTLS_PK_RSA && bits == 4096)
    *out_type = VOUCH_KEY_TYPE_RSA_4096;
  else
    return FALSE;

  return TRUE;
}
