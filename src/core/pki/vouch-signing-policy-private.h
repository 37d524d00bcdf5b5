/* vouch-signing-policy-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gnutls/x509.h>

#include "vouch-signing-policy.h"

G_BEGIN_DECLS

/* Shared by vouch-signing-policy.c (the checks) and
 * vouch-signing-policy-names.c (the names a request asks for). */
struct _VouchSigningPolicy
{
  GObject               parent_instance;

  VouchNameConstraints *constraints;
  guint                 max_names;
  gsize                 max_input_size;

  /* The last requests whose signature verified, oldest first (each a
   * Remembered: its SHA-256 and, once accepted as it is, the accepted
   * request): a request checked, then checked again when it is signed (an
   * ACME finalize, then its signature), is verified, read and checked
   * once. */
  GMutex                verified_lock;
  GQueue                verified;
};

gnutls_x509_crq_t _vouch_signing_policy_import_crq              (VouchSigningPolicy  *self,
                                                                 const guint8        *data,
                                                                 gsize                len,
                                                                 GError             **error);
/* Where the subject alternative names are, for
 * _vouch_signing_policy_collect_requested_names(): an extension index,
 * or one of these. */
#define VOUCH_SAN_INDEX_UNKNOWN (-1)
#define VOUCH_SAN_INDEX_NONE    (-2)

char             *_vouch_signing_policy_dup_common_name         (gnutls_x509_crq_t    crq);
/* An array of the names as the request writes them, valid or not. */
GArray           *_vouch_signing_policy_collect_requested_names (VouchSigningPolicy  *self,
                                                                 gnutls_x509_crq_t    crq,
                                                                 int                  san_index,
                                                                 const char          *common_name,
                                                                 char               **out_notice,
                                                                 GError             **error);
gboolean          _vouch_signing_policy_remove_raw_names        (GArray              *raw,
                                                                 const char * const  *remove_names,
                                                                 GError             **error);
gboolean          _vouch_signing_policy_add_raw_names           (VouchSigningPolicy  *self,
                                                                 GPtrArray           *names,
                                                                 GHashTable          *seen,
                                                                 const GArray        *raw,
                                                                 GError             **error);
gboolean          _vouch_signing_policy_add_name                (GPtrArray           *names,
                                                                 GHashTable          *seen,
                                                                 const char          *name,
                                                                 GError             **error);

G_END_DECLS
