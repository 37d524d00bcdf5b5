/* bench-acme-stack-sql.c: the SQL of bench-acme-stack --durable
 * (bench-acme-stack-durable.c): its tables and every statement it
 * prepares once. Why they are shaped so is said there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-acme-stack-sql.h"

const char stack_schema[] =
  "CREATE TABLE IF NOT EXISTS accounts ("
  "  id         TEXT PRIMARY KEY NOT NULL,"
  "  thumbprint TEXT NOT NULL UNIQUE," /* RFC 7638, of jwk */
  "  jwk        TEXT NOT NULL,"        /* canonical JSON */
  "  status     TEXT NOT NULL,"
  "  created    INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS orders ("
  "  id          TEXT PRIMARY KEY NOT NULL,"
  "  account     TEXT NOT NULL,"
  "  status      TEXT NOT NULL,"
  "  identifiers TEXT NOT NULL," /* JSON, as newOrder had them */
  "  expires     INTEGER NOT NULL,"
  "  pending     INTEGER NOT NULL," /* authorizations not yet valid */
  "  csr         BLOB,"
  "  serial      TEXT"
  ") WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS authorizations ("
  "  order_id TEXT NOT NULL,"
  "  idx      INTEGER NOT NULL," /* authz/ORDER/IDX */
  "  account  TEXT NOT NULL,"
  "  type     TEXT NOT NULL,"
  "  value    TEXT NOT NULL,"
  "  status   TEXT NOT NULL,"
  "  expires  INTEGER NOT NULL,"
  "  PRIMARY KEY (order_id, idx)"
  ") WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS challenges ("
  "  order_id  TEXT NOT NULL,"
  "  idx       INTEGER NOT NULL,"
  "  type      TEXT NOT NULL," /* chall/ORDER/IDX/TYPE */
  "  token     TEXT NOT NULL,"
  "  status    TEXT NOT NULL,"
  "  validated INTEGER,"
  "  PRIMARY KEY (order_id, idx, type)"
  ") WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS certificates ("
  "  serial    TEXT PRIMARY KEY NOT NULL,"
  "  order_id  TEXT NOT NULL,"
  "  account   TEXT NOT NULL,"
  "  der       BLOB NOT NULL,"
  "  names     TEXT NOT NULL," /* the order's identifiers */
  "  not_after INTEGER NOT NULL"
  ") WITHOUT ROWID;";

const char * const stack_statements[N_STATEMENTS] = {
  [BEGIN] = "BEGIN IMMEDIATE",
  [COMMIT] = "COMMIT",
  [ROLLBACK] = "ROLLBACK",
  [ADD_ACCOUNT] = "INSERT INTO accounts (id, thumbprint, jwk, status, created)"
                  " VALUES (?, ?, ?, 'valid', ?) ON CONFLICT (thumbprint) DO NOTHING",
  [ACCOUNT_BY_KEY] = "SELECT id FROM accounts WHERE thumbprint = ?",
  [GET_ACCOUNT] = "SELECT 1 FROM accounts WHERE id = ? AND status = 'valid'",
  [ADD_ORDER] = "INSERT INTO orders (id, account, status, identifiers, expires, pending)"
                " VALUES (?, ?, 'pending', ?, ?, ?)",
  [ADD_AUTHZ] = "INSERT INTO authorizations (order_id, idx, account, type, value, status, expires)"
                " VALUES (?, ?, ?, ?, ?, 'pending', ?)",
  [ADD_CHALLENGE] = "INSERT INTO challenges (order_id, idx, type, token, status)"
                    " VALUES (?, ?, ?, ?, 'pending')",
  [GET_ORDER] = "SELECT status, identifiers, expires, serial FROM orders"
                " WHERE id = ? AND account = ?",
  [GET_AUTHZ] = "SELECT a.type, a.value, a.status, a.expires, c.type, c.token, c.status"
                " FROM authorizations a JOIN challenges c USING (order_id, idx)"
                " WHERE a.order_id = ? AND a.idx = ? AND a.account = ?",
  [GET_CHALLENGE] = "SELECT c.token, c.status, a.status"
                    " FROM challenges c JOIN authorizations a USING (order_id, idx)"
                    " WHERE c.order_id = ? AND c.idx = ? AND c.type = ? AND a.account = ?",
  [PASS_CHALLENGE] = "UPDATE challenges SET status = 'valid', validated = ?"
                     " WHERE order_id = ? AND idx = ? AND type = ?",
  [PASS_AUTHZ] = "UPDATE authorizations SET status = 'valid' WHERE order_id = ? AND idx = ?",
  [PASS_ORDER] = "UPDATE orders SET pending = pending - 1,"
                 " status = CASE WHEN pending = 1 THEN 'ready' ELSE status END"
                 " WHERE id = ? AND status = 'pending'",
  /* The state check is the update's: only one finalize of an order
   * gets past it, so no order is issued twice. */
  [START_PROCESSING] = "UPDATE orders SET status = 'processing', csr = ?"
                       " WHERE id = ? AND account = ? AND status = 'ready'"
                       " RETURNING identifiers, expires",
  [ADD_CERTIFICATE] = "INSERT INTO certificates (serial, order_id, account, der, names, not_after)"
                      " VALUES (?, ?, ?, ?, ?, ?)",
  [ORDER_VALID] = "UPDATE orders SET status = 'valid', serial = ? WHERE id = ?",
  [GET_CERTIFICATE] = "SELECT der FROM certificates WHERE serial = ? AND account = ?",
  [GET_ACCOUNT_JWK] = "SELECT jwk FROM accounts WHERE id = ? AND status = 'valid'",
  [ORDER_INVALID] = "UPDATE orders SET status = 'invalid' WHERE id = ? AND status = 'processing'",
};
