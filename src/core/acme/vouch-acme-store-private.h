/* vouch-acme-store-private.h: reading the ACME store's rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "vouch-acme-store.h"

G_BEGIN_DECLS

typedef gpointer (*RowFunc) (sqlite3_stmt *stmt);

#define ACCOUNT_COLUMNS "id, key_thumbprint, jwk, status, contacts, eab_key_id, client_address"
#define ORDER_COLUMNS "id, account_id, status, identifiers, expires, error, csr, " \
                      "csr_key_sha256, processing_at, serial, client_address"
#define AUTHZ_COLUMNS "id, order_id, identifier_type, identifier_value, status, expires"
#define AUTHZ_N_COLUMNS 6
#define ORDER_N_COLUMNS 11
#define CHALLENGE_COLUMNS "id, authorization_id, type, token, status, validated, error"

gpointer _vouch_acme_account_from_row   (sqlite3_stmt *stmt);
gpointer _vouch_acme_order_from_row     (sqlite3_stmt *stmt);
gpointer _vouch_acme_authz_from_row     (sqlite3_stmt *stmt);
gpointer _vouch_acme_challenge_from_row (sqlite3_stmt *stmt);
gpointer _vouch_acme_text_from_row      (sqlite3_stmt *stmt);

typedef struct
{
  VouchAcmeAuthz *authz;
  VouchAcmeOrder *order;
} VouchAcmeAuthzAndOrder;

gpointer _vouch_acme_authz_and_order_from_row (sqlite3_stmt           *stmt);
gpointer _vouch_acme_order_and_authz_id_from_row (sqlite3_stmt         *stmt);
void     _vouch_acme_authz_and_order_free     (VouchAcmeAuthzAndOrder *pair);

G_END_DECLS
