/* vouch-error.h: Vouch's error domains
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VOUCH_ERROR (vouch_error_quark ())
#define VOUCH_POLICY_ERROR (vouch_policy_error_quark ())

/**
 * VouchError:
 *
 * General errors. Messages are written for the person at the keyboard.
 */
typedef enum
{
  VOUCH_ERROR_FAILED,
  VOUCH_ERROR_NO_ROOT,
  VOUCH_ERROR_ROOT_EXISTS,
  VOUCH_ERROR_KEYRING_UNAVAILABLE,
  VOUCH_ERROR_KEYRING_LOCKED,
  VOUCH_ERROR_KEY_MISSING,
  VOUCH_ERROR_INVALID_INPUT,
  VOUCH_ERROR_KEY_MISMATCH,
  VOUCH_ERROR_NOT_A_CA,
  VOUCH_ERROR_BAD_PASSPHRASE,
  VOUCH_ERROR_INVENTORY,
  VOUCH_ERROR_CRYPTO,
  VOUCH_ERROR_SETUP_CODE_MISMATCH,
  VOUCH_ERROR_DEVICE_UNREACHABLE,
  VOUCH_ERROR_DEVICE_PROTOCOL,
  VOUCH_ERROR_DEVICE_REFUSED,
  VOUCH_ERROR_KEY_CHANGED,
  VOUCH_ERROR_NOT_VERIFIED,
  VOUCH_ERROR_CONFIRMATION_FAILED,
  /* The device refused the admin secret, or Vouch has none for it. */
  VOUCH_ERROR_SECRET_REFUSED,
  /* The root's key on a PKCS#11 token (vouch-token-key.c): each way a
   * token can fail has its own code, so the operator knows what to do. */
  VOUCH_ERROR_TOKEN_MODULE_MISSING,
  VOUCH_ERROR_TOKEN_ABSENT,
  VOUCH_ERROR_TOKEN_REMOVED,
  VOUCH_ERROR_TOKEN_PIN_NEEDED,
  VOUCH_ERROR_TOKEN_PIN_WRONG,
  VOUCH_ERROR_TOKEN_PIN_LOCKED,
  VOUCH_ERROR_TOKEN_KEY_NOT_EXPORTABLE,
  VOUCH_ERROR_BACKUP_NOT_CONFIRMED,
  /* The device is doing something else (one CSR at a time, a reset);
   * trying again later may work. */
  VOUCH_ERROR_DEVICE_BUSY,
} VouchError;

/**
 * VouchPolicyError:
 *
 * Why the signing policy refused a certificate signing request. Each code
 * has its own message so the operator knows what to fix.
 */
typedef enum
{
  VOUCH_POLICY_ERROR_EMPTY,
  VOUCH_POLICY_ERROR_TOO_LARGE,
  VOUCH_POLICY_ERROR_NOT_TEXT,
  VOUCH_POLICY_ERROR_MALFORMED,
  VOUCH_POLICY_ERROR_MULTIPLE,
  VOUCH_POLICY_ERROR_BAD_SIGNATURE,
  VOUCH_POLICY_ERROR_WEAK_KEY,
  VOUCH_POLICY_ERROR_UNSUPPORTED_KEY,
  VOUCH_POLICY_ERROR_CA_REQUESTED,
  VOUCH_POLICY_ERROR_NO_NAMES,
  VOUCH_POLICY_ERROR_TOO_MANY_NAMES,
  VOUCH_POLICY_ERROR_BAD_NAME,
  VOUCH_POLICY_ERROR_OUTSIDE_CONSTRAINTS,
  VOUCH_POLICY_ERROR_VALIDITY,
  VOUCH_POLICY_ERROR_WRONG_NONCE,
  VOUCH_POLICY_ERROR_WRONG_KEY,
} VouchPolicyError;

GQuark vouch_error_quark        (void);
GQuark vouch_policy_error_quark (void);

G_END_DECLS
