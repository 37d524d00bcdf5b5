/* vouch-trust-store-private.h: the work behind VouchTrustStore, run on a
 * worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-trust-store.h"

G_BEGIN_DECLS

/* Java keystores shipped by JDKs use this well-known password. */
#define VOUCH_JAVA_STOREPASS "changeit"

/* Everything a job needs, copied so the worker thread shares nothing
 * mutable with the store; the results come back in the same struct. */
typedef enum
{
  VOUCH_TRUST_JOB_REFRESH,
  VOUCH_TRUST_JOB_INSTALL,
  VOUCH_TRUST_JOB_UNINSTALL,
} VouchTrustJobOp;

typedef struct
{
  VouchTrustJobOp      op;
  VouchTrustStoreKind  kind;
  char                *path;
  char                *root_prefix;
  char                *tool;
  gboolean             can_create;
  char                *nickname;
  char                *pem;
  GBytes              *der;
  char                *sha256;

  VouchTrustStatus     status;
  char                *message;
  /* The system store's anchor file holds this root: what install checks,
   * while status also counts the copies the system's tools made of it. */
  gboolean             anchor_ours;
  gboolean             needs_admin;
} VouchTrustJob;

void     _vouch_trust_job_free      (VouchTrustJob  *job);
gboolean _vouch_trust_job_run       (VouchTrustJob  *job,
                                     GCancellable   *cancellable,
                                     GError        **error);

/* The blocking variants, for tests that check one step at a time. */
gboolean _vouch_trust_store_refresh   (VouchTrustStore  *self,
                                       GCancellable     *cancellable,
                                       GError          **error);
gboolean _vouch_trust_store_install   (VouchTrustStore  *self,
                                       GCancellable     *cancellable,
                                       GError          **error);
gboolean _vouch_trust_store_uninstall (VouchTrustStore  *self,
                                       GCancellable     *cancellable,
                                       GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchTrustJob, _vouch_trust_job_free)

G_END_DECLS
