/* vouch-acme-store-rows.c: the ACME store's records, read from its rows
 * and freed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-store"

#include "vouch-config.h"

#include "vouch-acme-store.h"
#include "vouch-acme-store-private.h"

void
vouch_acme_account_free (VouchAcmeAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->id);
  g_free (account->thumbprint);
  g_free (account->jwk);
  g_free (account->status);
  g_free (account->contacts);
  g_free (account->eab_key_id);
  g_free (account->client_address);
  g_free (account);
}

void
vouch_acme_order_free (VouchAcmeOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->id);
  g_free (order->account_id);
  g_free (order->status);
  g_free (order->identifiers);
  g_free (order->error);
  g_free (order->csr);
  g_free (order->csr_key_sha256);
  g_free (order->serial);
  g_free (order->client_address);
  g_strfreev (order->authz_ids);
  g_free (order);
}

void
vouch_acme_authz_free (VouchAcmeAuthz *authz)
{
  if (authz == NULL)
    return;
  g_free (authz->id);
  g_free (authz->order_id);
  g_free (authz->type);
  g_free (authz->value);
  g_free (authz->status);
  g_free (authz);
}

void
vouch_acme_challenge_free (VouchAcmeChallenge *challenge)
{
  if (challenge == NULL)
    return;
  g_free (challenge->id);
  g_free (challenge->authz_id);
  g_free (challenge->type);
  g_free (challenge->token);
  g_free (challenge->status);
  g_free (challenge->error);
  g_free (challenge);
}

static char *
col (sqlite3_stmt *stmt,
     int           i)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, i));
}

gpointer
_vouch_acme_account_from_row (sqlite3_stmt *stmt)
{
  VouchAcmeAccount *account = g_new0 (VouchAcmeAccount, 1);

  account->id = col (stmt, 0);
  account->thumbprint = col (stmt, 1);
  account->jwk = col (stmt, 2);
  account->status = col (stmt, 3);
  account->contacts = col (stmt, 4);
  account->eab_key_id = col (stmt, 5);
  account->client_address = col (stmt, 6);
  return account;
}

/* An order's ORDER_COLUMNS, from column @first on. */
static VouchAcmeOrder *
order_from_columns (sqlite3_stmt *stmt,
                    int           first)
{
  VouchAcmeOrder *order = g_new0 (VouchAcmeOrder, 1);

  order->id = col (stmt, first);
  order->account_id = col (stmt, first + 1);
  order->status = col (stmt, first + 2);
  order->identifiers = col (stmt, first + 3);
  order->expires = sqlite3_column_int64 (stmt, first + 4);
  order->error = col (stmt, first + 5);
  order->csr = col (stmt, first + 6);
  order->csr_key_sha256 = col (stmt, first + 7);
  order->processing_at = sqlite3_column_int64 (stmt, first + 8);
  order->serial = col (stmt, first + 9);
  order->client_address = col (stmt, first + 10);
  return order;
}

gpointer
_vouch_acme_order_from_row (sqlite3_stmt *stmt)
{
  return order_from_columns (stmt, 0);
}

/* A row of ORDER_COLUMNS then one of its authorizations' id (or NULL):
 * an order with one id in authz_ids. */
gpointer
_vouch_acme_order_and_authz_id_from_row (sqlite3_stmt *stmt)
{
  VouchAcmeOrder *order = order_from_columns (stmt, 0);
  char *authz_id = col (stmt, ORDER_N_COLUMNS);

  order->authz_ids = g_new0 (char *, 2);
  order->authz_ids[0] = authz_id;
  return order;
}

/* A row of AUTHZ_COLUMNS then its order's ORDER_COLUMNS. */
gpointer
_vouch_acme_authz_and_order_from_row (sqlite3_stmt *stmt)
{
  VouchAcmeAuthzAndOrder *pair = g_new0 (VouchAcmeAuthzAndOrder, 1);

  pair->authz = _vouch_acme_authz_from_row (stmt);
  pair->order = order_from_columns (stmt, AUTHZ_N_COLUMNS);
  return pair;
}

void
_vouch_acme_authz_and_order_free (VouchAcmeAuthzAndOrder *pair)
{
  vouch_acme_authz_free (pair->authz);
  vouch_acme_order_free (pair->order);
  g_free (pair);
}

gpointer
_vouch_acme_authz_from_row (sqlite3_stmt *stmt)
{
  VouchAcmeAuthz *authz = g_new0 (VouchAcmeAuthz, 1);

  authz->id = col (stmt, 0);
  authz->order_id = col (stmt, 1);
  authz->type = col (stmt, 2);
  authz->value = col (stmt, 3);
  authz->status = col (stmt, 4);
  authz->expires = sqlite3_column_int64 (stmt, 5);
  return authz;
}

gpointer
_vouch_acme_challenge_from_row (sqlite3_stmt *stmt)
{
  VouchAcmeChallenge *challenge = g_new0 (VouchAcmeChallenge, 1);

  challenge->id = col (stmt, 0);
  challenge->authz_id = col (stmt, 1);
  challenge->type = col (stmt, 2);
  challenge->token = col (stmt, 3);
  challenge->status = col (stmt, 4);
  challenge->validated = sqlite3_column_int64 (stmt, 5);
  challenge->error = col (stmt, 6);
  return challenge;
}

gpointer
_vouch_acme_text_from_row (sqlite3_stmt *stmt)
{
  return col (stmt, 0);
}
