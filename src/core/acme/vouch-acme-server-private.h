/* vouch-acme-server-private.h: shared by the parts of VouchAcmeServer
 *
 * vouch-acme-server.c        object, listening, routing, JWS checks, nonces
 * vouch-acme-server-reply.c  responses, problem documents, resource JSON
 * vouch-acme-server-tls.c    the server's own certificate from the root
 * vouch-acme-server-account.c newAccount (EAB), account update, keyChange
 * vouch-acme-server-order.c  newOrder, orders, authorizations, challenges
 * vouch-acme-server-issue.c  finalize, certificate download, revokeCert
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "vouch-acme-jws.h"
#include "vouch-acme-server.h"
#include "vouch-acme-store.h"

G_BEGIN_DECLS

/* Polling intervals a client is given, in seconds. */
#define VOUCH_ACME_RETRY_PROCESSING 1
#define VOUCH_ACME_RETRY_WAITING    10

struct _VouchAcmeServer
{
  GObject              parent_instance;

  VouchAuthority      *authority;
  VouchAcmePolicy     *policy;
  VouchAcmeValidator  *validator;
  VouchAcmeStore      *store;
  SoupServer          *soup;
  GCancellable        *cancellable;
  char               **names;
  char                *directory_url;
  char                *terms_of_service;
  guint                port;

  /* Nonces handed out and not yet used, oldest first; bounded, so an
   * unused one is eventually forgotten (and then refused as badNonce). */
  GHashTable          *nonces;
  GQueue               nonce_order;

  /* Accounts' keys, parsed: "alg jwk" (the stored canonical JWK) →
   * gnutls_pubkey_t. Keyed by the key itself, so a changed key is a new
   * entry and a stale one is never used; bounded. */
  GHashTable          *account_keys;

  /* Orders whose signature is under way in this process. */
  GHashTable          *signing;

  /* Processing orders for which this process knows no certificate was
   * issued (it began them, or its signature failed), so the check for a
   * crash between the inventory's commit and the order's, a scan of the
   * issued certificates, is skipped; bounded, and empty after a restart. */
  GHashTable          *unsigned_orders;

  VouchCertificate    *certificate;
  char                *tls_dir;
  guint                renew_source;
};

/* One request, from its arrival to its one reply. */
typedef struct
{
  VouchAcmeServer   *server;
  SoupServerMessage *msg;
  char              *base;            /* https://host:port of this request */
  char              *client_address;
  char             **path;            /* the segments after /acme/ */
  VouchAcmeJws      *jws;
  VouchAcmeAccount  *account;         /* the kid's account, or the jwk's if one exists */
  char              *thumbprint;      /* of the key that signed */
  char              *jwk;             /* that key, canonical JSON */
  gboolean           paused;
} VouchAcmeCall;

void        _vouch_acme_call_free          (VouchAcmeCall      *call);
void        _vouch_acme_call_pause         (VouchAcmeCall      *call);
char       *_vouch_acme_url                (VouchAcmeCall      *call,
                                            const char         *kind,
                                            const char         *id);
const char *_vouch_acme_path_id            (VouchAcmeCall      *call,
                                            const char         *kind);

void        _vouch_acme_reply              (VouchAcmeCall      *call,
                                            guint               status,
                                            JsonNode           *body,
                                            const char         *location);
void        _vouch_acme_reply_error        (VouchAcmeCall      *call,
                                            const GError       *error);
void        _vouch_acme_reply_problem      (VouchAcmeCall      *call,
                                            VouchAcmeError      code,
                                            const char         *detail);
void        _vouch_acme_reply_retry        (VouchAcmeCall      *call,
                                            guint               status,
                                            JsonNode           *body,
                                            const char         *location,
                                            guint               retry_after);
void        _vouch_acme_reply_bytes        (VouchAcmeCall      *call,
                                            const char         *content_type,
                                            const char         *data,
                                            gsize               len);
char       *_vouch_acme_problem_json       (const GError       *error);
char       *_vouch_acme_format_time        (gint64              unix_time);
char       *_vouch_acme_new_nonce          (VouchAcmeServer    *self);
gnutls_pubkey_t _vouch_acme_account_key     (VouchAcmeServer    *self,
                                            VouchAcmeAccount   *account,
                                            const char         *alg,
                                            GError            **error);

JsonNode   *_vouch_acme_account_json       (VouchAcmeCall      *call,
                                            VouchAcmeAccount   *account);
JsonNode   *_vouch_acme_order_json         (VouchAcmeCall      *call,
                                            VouchAcmeOrder     *order,
                                            GPtrArray          *authzs);
JsonNode   *_vouch_acme_authz_json         (VouchAcmeCall      *call,
                                            VouchAcmeAuthz     *authz);
JsonNode   *_vouch_acme_challenge_json     (VouchAcmeCall      *call,
                                            VouchAcmeChallenge *challenge);

gboolean    _vouch_acme_server_ensure_certificate (VouchAcmeServer  *self,
                                                   gboolean          force,
                                                   GCancellable     *cancellable,
                                                   GError          **error);
void        _vouch_acme_server_schedule_renewal   (VouchAcmeServer  *self);
void        _vouch_acme_server_mark_unsigned      (VouchAcmeServer  *self,
                                                   const char       *order_id);

void        _vouch_acme_handle_new_account (VouchAcmeCall      *call);
void        _vouch_acme_handle_account     (VouchAcmeCall      *call);
void        _vouch_acme_handle_key_change  (VouchAcmeCall      *call);
void        _vouch_acme_handle_new_order   (VouchAcmeCall      *call);
void        _vouch_acme_handle_orders      (VouchAcmeCall      *call);
void        _vouch_acme_handle_order       (VouchAcmeCall      *call);
void        _vouch_acme_handle_authz       (VouchAcmeCall      *call);
void        _vouch_acme_handle_challenge   (VouchAcmeCall      *call);
void        _vouch_acme_handle_finalize    (VouchAcmeCall      *call);
void        _vouch_acme_handle_certificate (VouchAcmeCall      *call);
void        _vouch_acme_handle_revoke      (VouchAcmeCall      *call);

VouchAcmeOrder *_vouch_acme_lookup_order  (VouchAcmeCall      *call,
                                            const char         *id,
                                            GError            **error);
void        _vouch_acme_order_advance      (VouchAcmeCall      *call,
                                            VouchAcmeOrder     *order);
VouchAcmeRequest *_vouch_acme_request_for_order (VouchAcmeCall  *call,
                                                 VouchAcmeOrder *order);

G_END_DECLS
