/* vouch-chain.h: does a served chain validate to the root?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vouch-root-ca.h"

G_BEGIN_DECLS

#define VOUCH_CHAIN_MAX_LENGTH 8

gboolean vouch_chain_verify (VouchRootCa         *root,
                             GTlsCertificate     *served,
                             const char          *expected_sha256,
                             const char * const  *names,
                             GError             **error);

G_END_DECLS
