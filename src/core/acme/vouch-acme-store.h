/* vouch-acme-store.h: the ACME server's accounts, orders, authorizations
 * and challenges, kept in the inventory database (migration 4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vouch-inventory.h"

G_BEGIN_DECLS

typedef struct
{
  char   *id;
  char   *thumbprint;
  char   *jwk;          /* RFC 7638 canonical JSON */
  char   *status;       /* valid, deactivated, revoked */
  char   *contacts;     /* a JSON array of URLs */
  char   *eab_key_id;
  char   *client_address;
} VouchAcmeAccount;

typedef struct
{
  char   *id;
  char   *account_id;
  char   *status;       /* pending, ready, processing, valid, invalid */
  char   *identifiers;  /* a JSON array of {type, value} */
  gint64  expires;
  char   *error;        /* a problem document, or NULL */
  char   *csr;          /* base64url DER, from finalize on */
  char   *csr_key_sha256;
  gint64  processing_at;
  char   *serial;
  char   *client_address;
  GStrv   authz_ids;    /* its authorizations, in order, if read with it */
} VouchAcmeOrder;

typedef struct
{
  char   *id;
  char   *order_id;
  char   *type;         /* dns, ip */
  char   *value;
  char   *status;       /* pending, valid, invalid, deactivated, expired, revoked */
  gint64  expires;
} VouchAcmeAuthz;

typedef struct
{
  char   *id;
  char   *authz_id;
  char   *type;         /* http-01, tls-alpn-01 */
  char   *token;
  char   *status;       /* pending, processing, valid, invalid */
  gint64  validated;
  char   *error;
} VouchAcmeChallenge;

void vouch_acme_account_free   (VouchAcmeAccount   *account);
void vouch_acme_order_free     (VouchAcmeOrder     *order);
void vouch_acme_authz_free     (VouchAcmeAuthz     *authz);
void vouch_acme_challenge_free (VouchAcmeChallenge *challenge);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchAcmeAccount, vouch_acme_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchAcmeOrder, vouch_acme_order_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchAcmeAuthz, vouch_acme_authz_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchAcmeChallenge, vouch_acme_challenge_free)

#define VOUCH_TYPE_ACME_STORE (vouch_acme_store_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeStore, vouch_acme_store, VOUCH, ACME_STORE, GObject)

VouchAcmeStore     *vouch_acme_store_new                  (VouchInventory      *inventory,
                                                           GError             **error);
VouchAcmeStore     *vouch_acme_store_open                 (const char          *inventory_path,
                                                           GError             **error);
void                vouch_acme_store_hold                 (VouchAcmeStore      *self);
void                vouch_acme_store_release              (VouchAcmeStore      *self);

gboolean            vouch_acme_store_insert_account       (VouchAcmeStore      *self,
                                                           const VouchAcmeAccount *account,
                                                           GError             **error);
VouchAcmeAccount   *vouch_acme_store_lookup_account       (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           GError             **error);
VouchAcmeAccount   *vouch_acme_store_lookup_account_by_key (VouchAcmeStore     *self,
                                                           const char          *thumbprint,
                                                           GError             **error);
gboolean            vouch_acme_store_update_account       (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           const char          *status,
                                                           const char          *contacts,
                                                           GError             **error);
gboolean            vouch_acme_store_change_account_key   (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           const char          *old_thumbprint,
                                                           const char          *thumbprint,
                                                           const char          *jwk,
                                                           GError             **error);

gboolean            vouch_acme_store_insert_order         (VouchAcmeStore      *self,
                                                           const VouchAcmeOrder *order,
                                                           GPtrArray           *authzs,
                                                           GPtrArray           *challenges,
                                                           GError             **error);
VouchAcmeOrder     *vouch_acme_store_lookup_order         (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           GError             **error);
VouchAcmeOrder     *vouch_acme_store_lookup_order_by_serial (VouchAcmeStore    *self,
                                                           const char          *serial,
                                                           GError             **error);
GPtrArray          *vouch_acme_store_list_orders          (VouchAcmeStore      *self,
                                                           const char          *account_id,
                                                           GError             **error);
GPtrArray          *vouch_acme_store_list_authzs          (VouchAcmeStore      *self,
                                                           const char          *order_id,
                                                           GError             **error);
VouchAcmeAuthz     *vouch_acme_store_lookup_authz         (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           GError             **error);
VouchAcmeAuthz     *vouch_acme_store_lookup_authz_and_order (VouchAcmeStore    *self,
                                                             const char        *id,
                                                             VouchAcmeOrder   **order,
                                                             GError           **error);
GPtrArray          *vouch_acme_store_list_challenges      (VouchAcmeStore      *self,
                                                           const char          *authz_id,
                                                           GError             **error);
VouchAcmeChallenge *vouch_acme_store_lookup_challenge     (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           GError             **error);

int                 vouch_acme_store_set_order_status     (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           const char          *from,
                                                           const char          *to,
                                                           const char          *problem,
                                                           GError             **error);
int                 vouch_acme_store_begin_processing     (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           const char          *csr,
                                                           const char          *key_sha256,
                                                           GError             **error);
int                 vouch_acme_store_finish_order         (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           const char          *serial,
                                                           GError             **error);
gboolean            vouch_acme_store_record_valid         (VouchInventory      *inventory,
                                                           VouchCertificate    *cert,
                                                           gpointer             order_id,
                                                           GError             **error);
gboolean            vouch_acme_store_start_challenge      (VouchAcmeStore      *self,
                                                           VouchAcmeChallenge  *challenge,
                                                           const VouchAcmeAuthz *authz);
gboolean            vouch_acme_store_complete_challenge   (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           const char          *problem,
                                                           VouchAcmeChallenge **recorded,
                                                           GError             **error);
int                 vouch_acme_store_deactivate_authz     (VouchAcmeStore      *self,
                                                           const char          *id,
                                                           GError             **error);
char               *vouch_acme_store_find_issued          (VouchAcmeStore      *self,
                                                           const char          *key_sha256,
                                                           gint64               since,
                                                           GError             **error);
char               *vouch_acme_store_lookup_certificate_pem (VouchAcmeStore    *self,
                                                             const char        *serial,
                                                             const char        *account_id,
                                                             GError           **error);

G_END_DECLS
