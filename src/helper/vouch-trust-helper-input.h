/* vouch-trust-helper-input.h: what the privileged helper accepts on
 * standard input, as a pure function the fuzzer can call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VOUCH_TRUST_HELPER_INPUT_ERROR (vouch_trust_helper_input_error_quark ())

GQuark  vouch_trust_helper_input_error_quark (void);
GBytes *vouch_trust_helper_parse_ca          (GBytes  *bytes,
                                              GError **error);

G_END_DECLS
