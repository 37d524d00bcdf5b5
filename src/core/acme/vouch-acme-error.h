/* vouch-acme-error.h: ACME problem types (RFC 8555 §6.7) as a GError domain
 *
 * Every refusal the ACME server sends is a VOUCH_ACME_ERROR; the code maps
 * one to one to an urn:ietf:params:acme:error:* type, and the message is
 * the problem's "detail". Subproblems (RFC 8555 §6.7.1) ride on the GError
 * itself (an extended error domain), so a validator or policy can say which
 * identifier failed and why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VOUCH_ACME_ERROR (vouch_acme_error_quark ())

typedef enum
{
  VOUCH_ACME_ERROR_ACCOUNT_DOES_NOT_EXIST,
  VOUCH_ACME_ERROR_ALREADY_REVOKED,
  VOUCH_ACME_ERROR_BAD_CSR,
  VOUCH_ACME_ERROR_BAD_NONCE,
  VOUCH_ACME_ERROR_BAD_PUBLIC_KEY,
  VOUCH_ACME_ERROR_BAD_REVOCATION_REASON,
  VOUCH_ACME_ERROR_BAD_SIGNATURE_ALGORITHM,
  VOUCH_ACME_ERROR_CAA,
  VOUCH_ACME_ERROR_COMPOUND,
  VOUCH_ACME_ERROR_CONNECTION,
  VOUCH_ACME_ERROR_DNS,
  VOUCH_ACME_ERROR_EXTERNAL_ACCOUNT_REQUIRED,
  VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
  VOUCH_ACME_ERROR_INVALID_CONTACT,
  VOUCH_ACME_ERROR_MALFORMED,
  VOUCH_ACME_ERROR_ORDER_NOT_READY,
  VOUCH_ACME_ERROR_RATE_LIMITED,
  VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
  VOUCH_ACME_ERROR_SERVER_INTERNAL,
  VOUCH_ACME_ERROR_TLS,
  VOUCH_ACME_ERROR_UNAUTHORIZED,
  VOUCH_ACME_ERROR_UNSUPPORTED_CONTACT,
  VOUCH_ACME_ERROR_UNSUPPORTED_IDENTIFIER,
  VOUCH_ACME_ERROR_USER_ACTION_REQUIRED,
} VouchAcmeError;

/* One entry of a problem's "subproblems": which identifier, and why. */
typedef struct
{
  VouchAcmeError  code;
  char           *identifier_type;   /* "dns" or "ip" */
  char           *identifier_value;
  char           *detail;
} VouchAcmeSubproblem;

GQuark          vouch_acme_error_quark             (void);
const char     *vouch_acme_error_to_type           (VouchAcmeError   code);
gboolean        vouch_acme_error_from_type         (const char      *type,
                                                    VouchAcmeError  *code);
guint           vouch_acme_error_http_status       (VouchAcmeError   code);
void            vouch_acme_error_add_subproblem    (GError          *error,
                                                    VouchAcmeError   code,
                                                    const char      *identifier_type,
                                                    const char      *identifier_value,
                                                    const char      *detail);
const GPtrArray *vouch_acme_error_get_subproblems  (const GError    *error);

G_END_DECLS
