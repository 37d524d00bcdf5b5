/* vouch-inventory-schema.c: the inventory's schema, one migration per step
 *
 * Kept apart from vouch-inventory.c, which applies them, so each file
 * stays short as steps are added.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-inventory"

#include "vouch-config.h"

#include "vouch-inventory-private.h"

/* Each step is applied once, in order, inside its own transaction; the
 * schema version is SQLite's user_version. Never edit a released step:
 * add a new one. */
const char * const _vouch_inventory_migrations[] = {
  /* 1: certificates and the audit log */
  "CREATE TABLE certificates ("
  "  serial      TEXT PRIMARY KEY NOT NULL,"
  "  root_sha256 TEXT NOT NULL,"
  "  subject     TEXT NOT NULL,"
  "  names       TEXT NOT NULL," /* a JSON array */
  "  key_sha256  TEXT NOT NULL,"
  "  not_before  INTEGER NOT NULL,"
  "  not_after   INTEGER NOT NULL,"
  "  pem         TEXT NOT NULL,"
  "  device_id   TEXT,"
  "  status      TEXT NOT NULL DEFAULT 'issued'"
  "              CHECK (status IN ('issued', 'active', 'superseded', 'revoked')),"
  "  issued_at   INTEGER NOT NULL"
  ");"
  "CREATE INDEX certificates_by_device ON certificates (device_id);"
  "CREATE INDEX certificates_by_expiry ON certificates (not_after);"
  "CREATE TRIGGER certificates_are_kept BEFORE DELETE ON certificates"
  "  BEGIN SELECT RAISE (ABORT, 'issued certificates are never deleted'); END;"
  "CREATE TRIGGER certificates_are_immutable"
  "  BEFORE UPDATE OF serial, root_sha256, subject, names, key_sha256, not_before, not_after, pem"
  "  ON certificates"
  "  BEGIN SELECT RAISE (ABORT, 'an issued certificate cannot change'); END;"
  "CREATE TABLE audit ("
  "  id        INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at        INTEGER NOT NULL,"
  "  event     TEXT NOT NULL,"
  "  device_id TEXT,"
  "  serial    TEXT,"
  "  detail    TEXT"
  ");"
  "CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;",

  /* 2: devices Vouch knows, with what it verified about them */
  "CREATE TABLE devices ("
  "  id           TEXT PRIMARY KEY NOT NULL,"
  "  kind         TEXT NOT NULL DEFAULT 'vouch',"
  "  name         TEXT,"
  "  model        TEXT,"
  "  host         TEXT,"
  "  port         INTEGER NOT NULL DEFAULT 0,"
  "  addresses    TEXT NOT NULL DEFAULT '[]'," /* a JSON array */
  "  manual       INTEGER NOT NULL DEFAULT 0,"
  "  pin          TEXT,"
  "  verification TEXT NOT NULL DEFAULT 'none',"
  "  step         TEXT NOT NULL DEFAULT 'found',"
  "  attention    TEXT,"
  "  last_seen    INTEGER NOT NULL DEFAULT 0"
  ");",

  /* 3: certificate lifecycle (vouch-inventory-lifecycle.c): why and when
   * a certificate was revoked, which reminders were shown, and renewals
   * waiting for their device to come back */
  "ALTER TABLE certificates ADD COLUMN revoked_at INTEGER;"
  "ALTER TABLE certificates ADD COLUMN revocation_reason TEXT;"
  "CREATE TABLE reminders ("
  "  subject     TEXT NOT NULL," /* a serial, or "root:" and its fingerprint */
  "  threshold   INTEGER NOT NULL," /* days before expiry; 0 for expired */
  "  notified_at INTEGER NOT NULL,"
  "  PRIMARY KEY (subject, threshold)"
  ");"
  "CREATE TABLE renewal_queue ("
  "  device_id    TEXT PRIMARY KEY NOT NULL,"
  "  reason       TEXT NOT NULL,"
  "  queued_at    INTEGER NOT NULL,"
  "  attempts     INTEGER NOT NULL DEFAULT 0,"
  "  last_attempt INTEGER NOT NULL DEFAULT 0"
  ");",

  /* 4: the ACME server's state (src/core/acme/vouch-acme-store.c), so a
   * restart loses no account or order and no order is issued twice. An
   * order's certificate is in certificates, by serial. */
  "CREATE TABLE acme_accounts ("
  "  id             TEXT PRIMARY KEY NOT NULL,"
  "  key_thumbprint TEXT NOT NULL UNIQUE,"
  "  jwk            TEXT NOT NULL," /* the RFC 7638 canonical JSON */
  "  status         TEXT NOT NULL DEFAULT 'valid'"
  "                 CHECK (status IN ('valid', 'deactivated', 'revoked')),"
  "  contacts       TEXT NOT NULL DEFAULT '[]'," /* a JSON array */
  "  eab_key_id     TEXT,"
  "  client_address TEXT,"
  "  created_at     INTEGER NOT NULL"
  ");"
  "CREATE TABLE acme_orders ("
  "  id             TEXT PRIMARY KEY NOT NULL,"
  "  account_id     TEXT NOT NULL REFERENCES acme_accounts (id),"
  "  status         TEXT NOT NULL DEFAULT 'pending'"
  "                 CHECK (status IN ('pending', 'ready', 'processing', 'valid', 'invalid')),"
  "  identifiers    TEXT NOT NULL," /* a JSON array of {type, value} */
  "  expires        INTEGER NOT NULL,"
  "  error          TEXT," /* the problem document, for invalid */
  "  csr            TEXT," /* base64url DER, from finalize on */
  "  csr_key_sha256 TEXT,"
  "  processing_at  INTEGER,"
  "  serial         TEXT REFERENCES certificates (serial),"
  "  client_address TEXT,"
  "  created_at     INTEGER NOT NULL"
  ");"
  "CREATE INDEX acme_orders_by_account ON acme_orders (account_id);"
  "CREATE INDEX acme_orders_by_serial ON acme_orders (serial);"
  "CREATE TABLE acme_authorizations ("
  "  id               TEXT PRIMARY KEY NOT NULL,"
  "  order_id         TEXT NOT NULL REFERENCES acme_orders (id),"
  "  identifier_type  TEXT NOT NULL CHECK (identifier_type IN ('dns', 'ip')),"
  "  identifier_value TEXT NOT NULL,"
  "  status           TEXT NOT NULL DEFAULT 'pending'"
  "                   CHECK (status IN ('pending', 'valid', 'invalid', 'deactivated',"
  "                                     'expired', 'revoked')),"
  "  expires          INTEGER NOT NULL"
  ");"
  "CREATE INDEX acme_authorizations_by_order ON acme_authorizations (order_id);"
  "CREATE TABLE acme_challenges ("
  "  id               TEXT PRIMARY KEY NOT NULL,"
  "  authorization_id TEXT NOT NULL REFERENCES acme_authorizations (id),"
  "  type             TEXT NOT NULL,"
  "  token            TEXT NOT NULL,"
  "  status           TEXT NOT NULL DEFAULT 'pending'"
  "                   CHECK (status IN ('pending', 'processing', 'valid', 'invalid')),"
  "  validated        INTEGER,"
  "  error            TEXT"
  ");"
  "CREATE INDEX acme_challenges_by_authorization ON acme_challenges (authorization_id);",

  /* 5: the ACME operator's decisions (src/core/acme/vouch-acme-approvals.c):
   * orders waiting for approval, which names each account key may renew
   * without asking, and External Account Binding keys (their HMAC keys
   * are in the keyring, never here) */
  "CREATE TABLE acme_requests ("
  "  id             INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  thumbprint     TEXT NOT NULL,"
  "  client_address TEXT NOT NULL,"
  "  names          TEXT NOT NULL," /* a sorted JSON array */
  "  state          TEXT NOT NULL DEFAULT 'pending'"
  "                 CHECK (state IN ('pending', 'approved', 'refused')),"
  "  requested_at   INTEGER NOT NULL,"
  "  decided_at     INTEGER"
  ");"
  "CREATE INDEX acme_requests_by_key ON acme_requests (thumbprint, names);"
  "CREATE TABLE acme_approved_names ("
  "  thumbprint  TEXT NOT NULL,"
  "  name        TEXT NOT NULL,"
  "  approved_at INTEGER NOT NULL,"
  "  PRIMARY KEY (thumbprint, name)"
  ");"
  "CREATE TABLE acme_eab_keys ("
  "  id         TEXT PRIMARY KEY NOT NULL,"
  "  names      TEXT NOT NULL," /* a JSON array of name patterns */
  "  created_at INTEGER NOT NULL,"
  "  revoked_at INTEGER"
  ");",

  /* 6: which driver speaks to each device (src/core/drivers), and the
   * user name it logs in with; the password or token is in the keyring */
  /* one migration of two statements: the parentheses tell clang so */
  ("ALTER TABLE devices ADD COLUMN driver TEXT NOT NULL DEFAULT 'vouch';"
   "ALTER TABLE devices ADD COLUMN user TEXT;"),

  /* 7: fewer pages written per certificate. An order's serial is
   * indexed only once it has one, so a new order adds no index entry for
   * it. The audit log loses AUTOINCREMENT, which wrote its counter's page
   * in every transaction that recorded an event (each certificate's):
   * nothing is ever deleted from it (its triggers, made again here,
   * refuse), so the largest id plus one, SQLite's choice without it, is
   * as new as the counter's, and every id is kept. (Rebuilding the ACME
   * authorizations and challenges WITHOUT ROWID wrote fewer pages too,
   * but spread their rows over more of them, and the server spent more
   * time per certificate, not less.) */
  "DROP INDEX acme_orders_by_serial;"
  "CREATE INDEX acme_orders_by_serial ON acme_orders (serial) WHERE serial IS NOT NULL;"
  "CREATE TABLE audit_new ("
  "  id        INTEGER PRIMARY KEY,"
  "  at        INTEGER NOT NULL,"
  "  event     TEXT NOT NULL,"
  "  device_id TEXT,"
  "  serial    TEXT,"
  "  detail    TEXT"
  ");"
  "INSERT INTO audit_new (id, at, event, device_id, serial, detail)"
  "  SELECT id, at, event, device_id, serial, detail FROM audit;"
  "DROP TABLE audit;"
  "ALTER TABLE audit_new RENAME TO audit;"
  "CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;",
};

const gsize _vouch_inventory_n_migrations = G_N_ELEMENTS (_vouch_inventory_migrations);
