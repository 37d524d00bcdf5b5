/* vouch-trust-traces.h: every place on this machine a client could still
 * find a root, for the tests that change the real system trust store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-trust-store.h"

G_BEGIN_DECLS

GPtrArray *vouch_test_system_trust_traces (const char *pem);
void       vouch_test_assert_no_traces    (const char *pem);
void       vouch_test_assert_store_status (VouchTrustStore  *store,
                                           VouchTrustStatus  status,
                                           const char       *fragment);

G_END_DECLS
