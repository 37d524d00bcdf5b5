/* vouch-setup-code.c
 *
 * A setup code is a commitment to a device's TLS public key that a person
 * can read off a label and type: the first 60 bits of SHA-256 over the
 * DER SubjectPublicKeyInfo, as 12 Crockford base32 symbols grouped
 * XXXX-XXXX-XXXX.  Vouch recomputes it from the key it sees over TLS, so a
 * machine in the middle, which cannot present the device's key, is caught.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-setup-code.h"

#include "vouch-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Crockford's alphabet leaves out I, L, O and U, so that what is read
 * aloud or typed from a label has one meaning. */
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Device ids are 16 lower-case hex digits (64 random bits). */
#define DEVICE_ID_LEN 16

static int
crockford_value (char c)
{
  c = g_ascii_toupper (c);

  /* Forgiving input: the letters that look like digits mean the digits. */
  if (c == 'O')
    return 0;
  if (c == 'I' || c == 'L')
    return 1;

  for (int i = 0; i < 32; i++)
    if (crockford[i] == c)
      return i;

  return -1;
}

/* Reads 12 symbols, skipping spaces and hyphens, into their 5-bit values. */
static gboolean
decode_symbols (const char  *text,
                guint8       values[VOUCH_SETUP_CODE_SYMBOLS],
                GError     **error)
{
  int n = 0;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The setup code is empty. It has 12 letters and digits, like 7K3M-Q9TZ-2B4X."));
      return FALSE;
    }

  for (const char *p = text; *p != '\0'; p++)
    {
      int v;

      if (*p == ' ' || *p == '-' || *p == '\t')
        continue;

      v = crockford_value (*p);
      if (v < 0)
        {
          if ((guchar)*p < 0x80 && g_ascii_isprint (*p))
            g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                         _("“%c” cannot be part of a setup code. Check the code on the device’s label."),
                         *p);
          else
            g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                         _("The setup code contains a character that cannot be part of it. Check the code on the device’s label."));
          return FALSE;
        }

      if (n == VOUCH_SETUP_CODE_SYMBOLS)
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                       _("The setup code is too long: it has 12 letters and digits."));
          return FALSE;
        }

      values[n++] = (guint8)v;
    }

  if (n != VOUCH_SETUP_CODE_SYMBOLS)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The setup code is too short: it has 12 letters and digits, %d were entered."),
                   n);
      return FALSE;
    }

  return TRUE;
}

static char *
format_symbols (const guint8 values[VOUCH_SETUP_CODE_SYMBOLS])
{
  char out[VOUCH_SETUP_CODE_GROUPED_LEN + 1];
  int j = 0;

  for (int i = 0; i < VOUCH_SETUP_CODE_SYMBOLS; i++)
    {
      if (i > 0 && i % 4 == 0)
        out[j++] = '-';
      out[j++] = crockford[values[i] & 0x1f];
    }
  out[j] = '\0';

  return g_strdup (out);
}

static void
digest_to_symbols (const guint8 digest[VOUCH_SHA256_LEN],
                   guint8       values[VOUCH_SETUP_CODE_SYMBOLS])
{
  guint64 bits = 0;

  /* The first 64 bits, big-endian; the code keeps the top 60. */
  for (int i = 0; i < 8; i++)
    bits = (bits << 8) | digest[i];

  for (int i = 0; i < VOUCH_SETUP_CODE_SYMBOLS; i++)
    values[i] = (bits >> (64 - 5 * (i + 1))) & 0x1f;
}

/**
 * vouch_setup_code_from_spki_sha256:
 * @digest: SHA-256 of the DER SubjectPublicKeyInfo
 *
 * Returns: (transfer full): the setup code, grouped as XXXX-XXXX-XXXX
 */
char *
vouch_setup_code_from_spki_sha256 (const guint8 digest[VOUCH_SHA256_LEN])
{
  guint8 values[VOUCH_SETUP_CODE_SYMBOLS];

  g_return_val_if_fail (digest != NULL, NULL);

  digest_to_symbols (digest, values);
  return format_symbols (values);
}

/**
 * vouch_setup_code_from_pubkey:
 * @pubkey: a public key
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the setup code of @pubkey, or %NULL
 */
char *
vouch_setup_code_from_pubkey (gnutls_pubkey_t   pubkey,
                              GError          **error)
{
  guint8 digest[VOUCH_SHA256_LEN];

  g_return_val_if_fail (pubkey != NULL, NULL);

  if (!vouch_pubkey_spki_sha256 (pubkey, digest, error))
    return NULL;

  return vouch_setup_code_from_spki_sha256 (digest);
}

/**
 * vouch_setup_code_normalize:
 * @text: a setup code as a person typed it
 * @error: return location for a #GError
 *
 * Accepts lower case, spaces and hyphens anywhere, and O for 0, I and L
 * for 1.
 *
 * Returns: (transfer full): the code in its canonical XXXX-XXXX-XXXX form,
 *   or %NULL with %VOUCH_ERROR_INVALID_INPUT
 */
char *
vouch_setup_code_normalize (const char  *text,
                            GError     **error)
{
  guint8 values[VOUCH_SETUP_CODE_SYMBOLS];

  if (!decode_symbols (text, values, error))
    return NULL;

  return format_symbols (values);
}

/**
 * vouch_setup_code_matches:
 * @text: a setup code as a person typed it
 * @spki_sha256: SHA-256 of the SubjectPublicKeyInfo seen over TLS
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @text commits to the key; otherwise %FALSE with
 *   %VOUCH_ERROR_INVALID_INPUT (not a code) or
 *   %VOUCH_ERROR_SETUP_CODE_MISMATCH (a code, for another key)
 */
gboolean
vouch_setup_code_matches (const char    *text,
                          const guint8   spki_sha256[VOUCH_SHA256_LEN],
                          GError       **error)
{
  guint8 typed[VOUCH_SETUP_CODE_SYMBOLS];
  guint8 expected[VOUCH_SETUP_CODE_SYMBOLS];

  g_return_val_if_fail (spki_sha256 != NULL, FALSE);

  if (!decode_symbols (text, typed, error))
    return FALSE;

  digest_to_symbols (spki_sha256, expected);

  /* Constant time, so that how long a guess takes to be refused says
   * nothing about how many of its symbols were right. */
  if (!vouch_secure_equal (typed, expected, sizeof typed))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_SETUP_CODE_MISMATCH,
                   _("The setup code does not match the device that answered. Check the code; "
                     "if it is right, another machine may be answering in the device’s place."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
device_id_is_valid (const char *id)
{
  if (id == NULL || strlen (id) != DEVICE_ID_LEN)
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;

  return TRUE;
}

/**
 * vouch_setup_code_make_qr_payload:
 * @code: a setup code, in any form vouch_setup_code_normalize() accepts
 * @device_id: the device id, 16 hex digits
 * @error: return location for a #GError
 *
 * Builds the text a label's QR code carries:
 * `VOUCH:1:<12 symbols>:<DEVICE ID>`.  It uses only upper-case letters,
 * digits and colons, so the QR code can use its compact alphanumeric mode.
 *
 * Returns: (transfer full): the payload, or %NULL
 */
char *
vouch_setup_code_make_qr_payload (const char  *code,
                                  const char  *device_id,
                                  GError     **error)
{
  guint8 values[VOUCH_SETUP_CODE_SYMBOLS];
  char symbols[VOUCH_SETUP_CODE_SYMBOLS + 1];

  if (!decode_symbols (code, values, error))
    return NULL;

  if (!device_id_is_valid (device_id))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("A device id has 16 hexadecimal digits."));
      return NULL;
    }

  for (int i = 0; i < VOUCH_SETUP_CODE_SYMBOLS; i++)
    symbols[i] = crockford[values[i]];
  symbols[VOUCH_SETUP_CODE_SYMBOLS] = '\0';

  g_autofree char *id_upper = g_ascii_strup (device_id, -1);

  return g_strconcat (VOUCH_SETUP_CODE_QR_PREFIX, symbols, ":", id_upper, NULL);
}

/**
 * vouch_setup_code_parse_qr_payload:
 * @payload: the text read from a QR code
 * @out_code: (out) (optional): the setup code, grouped XXXX-XXXX-XXXX
 * @out_device_id: (out) (optional): the device id, lower-case hex
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @payload is a version 1 Vouch payload
 */
gboolean
vouch_setup_code_parse_qr_payload (const char  *payload,
                                   char       **out_code,
                                   char       **out_device_id,
                                   GError     **error)
{
  guint8 values[VOUCH_SETUP_CODE_SYMBOLS];
  g_auto(GStrv) parts = NULL;

  if (payload == NULL
      || g_ascii_strncasecmp (payload, "VOUCH:", strlen ("VOUCH:")) != 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("This QR code is not a Vouch setup code."));
      return FALSE;
    }

  parts = g_strsplit (payload, ":", -1);
  if (g_strv_length (parts) != 4 || g_strcmp0 (parts[1], "1") != 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("This Vouch QR code has a format this version does not know."));
      return FALSE;
    }

  if (!decode_symbols (parts[2], values, error))
    return FALSE;

  if (!device_id_is_valid (parts[3]))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The device id in this QR code is not valid."));
      return FALSE;
    }

  if (out_code != NULL)
    *out_code = format_symbols (values);
  if (out_device_id != NULL)
    *out_device_id = g_ascii_strdown (parts[3], -1);

  return TRUE;
}
