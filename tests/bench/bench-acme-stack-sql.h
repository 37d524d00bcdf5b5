/* bench-acme-stack-sql.h: bench-acme-stack --durable's tables and
 * statements (bench-acme-stack-sql.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

typedef enum
{
  BEGIN,
  COMMIT,
  ROLLBACK,
  ADD_ACCOUNT,
  ACCOUNT_BY_KEY,
  GET_ACCOUNT,
  ADD_ORDER,
  ADD_AUTHZ,
  ADD_CHALLENGE,
  GET_ORDER,
  GET_AUTHZ,
  GET_CHALLENGE,
  PASS_CHALLENGE,
  PASS_AUTHZ,
  PASS_ORDER,
  START_PROCESSING,
  ADD_CERTIFICATE,
  ORDER_VALID,
  GET_CERTIFICATE,
  GET_ACCOUNT_JWK,
  ORDER_INVALID,
  N_STATEMENTS
} Statement;

extern const char stack_schema[];
extern const char * const stack_statements[N_STATEMENTS];
