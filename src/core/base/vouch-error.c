/* vouch-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-error.h"

G_DEFINE_QUARK (vouch-error-quark, vouch_error)
G_DEFINE_QUARK (vouch-policy-error-quark, vouch_policy_error)
