/* vouch-trust-store.h: one place where clients look for trusted roots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vouch-certificate.h"

G_BEGIN_DECLS

typedef enum
{
  VOUCH_TRUST_STORE_KIND_SYSTEM,
  VOUCH_TRUST_STORE_KIND_NSS,
  VOUCH_TRUST_STORE_KIND_JAVA,
} VouchTrustStoreKind;

/**
 * VouchTrustStatus:
 * @VOUCH_TRUST_STATUS_UNKNOWN: not read yet, no root, or the store could not be read
 * @VOUCH_TRUST_STATUS_INSTALLED: the store holds exactly this root
 * @VOUCH_TRUST_STATUS_NOT_INSTALLED: the store exists and does not trust this root
 * @VOUCH_TRUST_STATUS_ABSENT: the store does not exist on this machine
 */
typedef enum
{
  VOUCH_TRUST_STATUS_UNKNOWN,
  VOUCH_TRUST_STATUS_INSTALLED,
  VOUCH_TRUST_STATUS_NOT_INSTALLED,
  VOUCH_TRUST_STATUS_ABSENT,
} VouchTrustStatus;

#define VOUCH_TYPE_TRUST_STORE_KIND (vouch_trust_store_kind_get_type ())
#define VOUCH_TYPE_TRUST_STATUS (vouch_trust_status_get_type ())
#define VOUCH_TYPE_TRUST_STORE (vouch_trust_store_get_type ())

GType vouch_trust_store_kind_get_type (void) G_GNUC_CONST;
GType vouch_trust_status_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (VouchTrustStore, vouch_trust_store, VOUCH, TRUST_STORE, GObject)

VouchTrustStore     *vouch_trust_store_new_system       (const char           *root_prefix);
VouchTrustStore     *vouch_trust_store_new_nss          (const char           *id,
                                                         const char           *name,
                                                         const char           *directory,
                                                         gboolean              can_create);
VouchTrustStore     *vouch_trust_store_new_java         (const char           *java_home);
const char          *vouch_trust_store_get_id           (VouchTrustStore      *self);
VouchTrustStoreKind  vouch_trust_store_get_kind         (VouchTrustStore      *self);
const char          *vouch_trust_store_get_name         (VouchTrustStore      *self);
const char          *vouch_trust_store_get_path         (VouchTrustStore      *self);
VouchTrustStatus     vouch_trust_store_get_status       (VouchTrustStore      *self);
const char          *vouch_trust_store_get_message      (VouchTrustStore      *self);
gboolean             vouch_trust_store_get_busy         (VouchTrustStore      *self);
gboolean             vouch_trust_store_get_needs_admin  (VouchTrustStore      *self);
VouchCertificate    *vouch_trust_store_get_certificate  (VouchTrustStore      *self);
void                 vouch_trust_store_set_certificate  (VouchTrustStore      *self,
                                                         VouchCertificate     *certificate);
char                *vouch_trust_store_dup_nickname     (VouchTrustStore      *self);

gboolean             vouch_trust_store_refresh          (VouchTrustStore      *self,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
gboolean             vouch_trust_store_install          (VouchTrustStore      *self,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
gboolean             vouch_trust_store_uninstall        (VouchTrustStore      *self,
                                                         GCancellable         *cancellable,
                                                         GError              **error);

void                 vouch_trust_store_refresh_async    (VouchTrustStore      *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean             vouch_trust_store_refresh_finish   (VouchTrustStore      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void                 vouch_trust_store_install_async    (VouchTrustStore      *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean             vouch_trust_store_install_finish   (VouchTrustStore      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void                 vouch_trust_store_uninstall_async  (VouchTrustStore      *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean             vouch_trust_store_uninstall_finish (VouchTrustStore      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

const char          *vouch_trust_status_to_string       (VouchTrustStatus      status);
const char          *vouch_trust_status_describe        (VouchTrustStatus      status);

G_END_DECLS
