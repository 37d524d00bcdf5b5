/* vouch-key-bundle.h: a key and its certificate made by Vouch, for a
 * device that can only take both together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-authority.h"

G_BEGIN_DECLS

/* The file can be attacked offline, without limit: a passphrase shorter
 * than this (in characters) is refused before any key is made. */
#define VOUCH_KEY_BUNDLE_MIN_PASSPHRASE 12
/* … and one of fewer different characters than this, however long. */
#define VOUCH_KEY_BUNDLE_MIN_DISTINCT 6

GBytes *vouch_key_bundle_make (VouchAuthority      *authority,
                               const char * const  *names,
                               VouchKeyType         key_type,
                               guint                days,
                               const char          *device_id,
                               const char          *passphrase,
                               GCancellable        *cancellable,
                               GError             **error);

G_END_DECLS
