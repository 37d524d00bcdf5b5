/* bench-acme-stack.h: what bench-acme-stack's files share: the server's
 * state and answers (bench-acme-stack.c), reading a request's JWS
 * (bench-acme-stack-jws.c), making its TLS certificate
 * (bench-acme-stack-tls.c), with --durable keeping the ACME state in
 * SQLite (bench-acme-stack-durable.c, its SQL in bench-acme-stack-sql.c),
 * and with --conforming verifying and issuing (bench-acme-stack-issue.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

typedef struct _StackStore StackStore;
typedef struct _StackIssuer StackIssuer;

typedef struct
{
  SoupServer *soup;
  char       *chain;         /* leaf and root, PEM: also the "issued" chain */
  GHashTable *nonces;        /* the current generation */
  GHashTable *old_nonces;    /* the one before */
  GHashTable *accounts;      /* id → NULL; with --durable, those seen so far */
  GHashTable *orders;        /* id → Order; unused with --durable */
  StackStore *store;         /* with --durable: where the state is kept */
  StackIssuer *issuer;       /* with --conforming: verifies and issues */
  GHashTable *keys;          /* with --conforming: account id → gnutls_pubkey_t */
  GMutex      store_lock;    /* with --conforming: the store, shared with issuing */
} Stack;

/* One POST's JWS, parsed. */
typedef struct
{
  JsonNode   *node;          /* the flattened JWS */
  JsonNode   *header_node;
  JsonObject *header;
  GBytes     *payload;
  GBytes     *signature;
  JsonNode   *payload_node;  /* NULL for POST-as-GET */
} Jws;

void             stack_jws_clear           (Jws                *jws);
const char      *stack_jws_parse           (SoupServerMessage  *msg,
                                            const char         *request_url,
                                            Jws                *jws,
                                            const char        **detail);
GBytes          *stack_b64url_decode       (const char         *text);
const char      *stack_string_member       (JsonObject         *object,
                                            const char         *name);
GTlsCertificate *stack_make_tls            (GInetAddress       *address,
                                            const char         *ca_out,
                                            char              **chain,
                                            gnutls_x509_crt_t  *root_out,
                                            gnutls_x509_privkey_t *root_key_out,
                                            GError            **error);
char            *stack_random_id           (void);
char            *stack_base_url            (SoupServerMessage  *msg);
char            *stack_url_of              (SoupServerMessage  *msg,
                                            const char         *kind,
                                            const char         *id,
                                            const char         *tail);
void             stack_add_string          (JsonBuilder        *builder,
                                            const char         *name,
                                            const char         *value);
void             stack_add_time            (JsonBuilder        *builder,
                                            const char         *name,
                                            gint64              unix_time);
void             stack_add_challenge       (JsonBuilder        *builder,
                                            SoupServerMessage  *msg,
                                            char              **path,
                                            const char         *type,
                                            const char         *status,
                                            const char         *token);
JsonNode        *stack_order_json          (SoupServerMessage  *msg,
                                            const char         *id,
                                            JsonNode           *identifiers,
                                            const char         *status,
                                            gint64              expires,
                                            const char         *certificate);
void             stack_reply               (Stack              *self,
                                            SoupServerMessage  *msg,
                                            guint               status,
                                            JsonNode           *body,
                                            const char         *location);
void             stack_reply_account       (Stack              *self,
                                            SoupServerMessage  *msg,
                                            const char         *id,
                                            guint               status);
GBytes          *stack_csr_of              (Stack              *self,
                                            SoupServerMessage  *msg,
                                            Jws                *jws);
void             stack_reply_problem       (Stack              *self,
                                            SoupServerMessage  *msg,
                                            guint               status,
                                            const char         *type,
                                            const char         *detail);

/* --durable (bench-acme-stack-durable.c): each handler answers as its
 * namesake in bench-acme-stack.c does, from and into the database. */
StackStore      *stack_store_open          (const char         *path,
                                            GTlsCertificate    *leaf,
                                            GError            **error);
void             stack_store_free          (StackStore         *store);
gboolean         stack_durable_account     (Stack              *self,
                                            const char         *id);
void             stack_durable_new_account (Stack              *self,
                                            SoupServerMessage  *msg,
                                            Jws                *jws);
void             stack_durable_new_order   (Stack              *self,
                                            SoupServerMessage  *msg,
                                            const char         *account,
                                            JsonNode           *identifiers);
void             stack_durable_order       (Stack              *self,
                                            SoupServerMessage  *msg,
                                            char              **path,
                                            const char         *account,
                                            Jws                *jws);
void             stack_durable_authz       (Stack              *self,
                                            SoupServerMessage  *msg,
                                            char              **path,
                                            const char         *account);
void             stack_durable_challenge   (Stack              *self,
                                            SoupServerMessage  *msg,
                                            char              **path,
                                            const char         *account);
void             stack_durable_certificate (Stack              *self,
                                            SoupServerMessage  *msg,
                                            char              **path,
                                            const char         *account);

char            *stack_durable_account_jwk (Stack              *self,
                                            const char         *id);
gboolean         stack_durable_record_issued (Stack            *self,
                                            const char         *order,
                                            const char         *account,
                                            const char         *names,
                                            const char         *serial,
                                            GBytes             *der,
                                            gint64              not_after,
                                            GError            **error);
void             stack_durable_sync        (Stack              *self,
                                            GTask              *task);

/* --conforming (bench-acme-stack-issue.c): verifying and issuing. */
StackIssuer     *stack_issuer_new          (gnutls_x509_crt_t   root,
                                            gnutls_x509_privkey_t key,
                                            GError            **error);
void             stack_issuer_free         (StackIssuer        *issuer);
gnutls_pubkey_t  stack_jwk_import          (JsonObject         *jwk);
gboolean         stack_jws_verify          (Jws                *jws,
                                            gnutls_pubkey_t     key);
gboolean         stack_conforming_verify   (Stack              *self,
                                            Jws                *jws,
                                            const char         *account);
void             stack_conforming_finalize (Stack              *self,
                                            SoupServerMessage  *msg,
                                            const char         *order,
                                            const char         *account,
                                            char               *names,
                                            gint64              expires,
                                            GBytes             *csr);
GBytes          *stack_issuer_issue        (StackIssuer        *issuer,
                                            GBytes             *csr,
                                            const char         *identifiers,
                                            char                serial[33],
                                            gint64             *not_after,
                                            GError            **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Jws, stack_jws_clear)

G_END_DECLS
