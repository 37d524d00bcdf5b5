/* vouch-acme-trusting-validator.h: a validator for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-acme-validator.h"

G_BEGIN_DECLS

/* A validator that accepts every answer without looking: for tests and
 * benchmarks only (`vouchctl acme serve --insecure-skip-validation`). */
#define VOUCH_TYPE_ACME_TRUSTING_VALIDATOR (vouch_acme_trusting_validator_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeTrustingValidator, vouch_acme_trusting_validator,
                      VOUCH, ACME_TRUSTING_VALIDATOR, GObject)

VouchAcmeValidator *vouch_acme_trusting_validator_new (void);

G_END_DECLS
