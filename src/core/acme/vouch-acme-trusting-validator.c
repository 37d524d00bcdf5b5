/* vouch-acme-trusting-validator.c: accepts every challenge answer unseen
 *
 * Only `vouchctl acme serve --insecure-skip-validation` and the tests use
 * it, so the protocol can be measured and tested without HTTP servers for
 * every name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-trusting-validator"

#include "vouch-config.h"

#include "vouch-acme-trusting-validator.h"

struct _VouchAcmeTrustingValidator
{
  GObject parent_instance;
};

static void validator_iface_init (VouchAcmeValidatorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VouchAcmeTrustingValidator, vouch_acme_trusting_validator,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (VOUCH_TYPE_ACME_VALIDATOR,
                                                      validator_iface_init))

static void
trusting_validate_async (VouchAcmeValidator  *validator,
                         const char          *type,
                         const char          *identifier_type,
                         const char          *identifier_value,
                         const char          *token,
                         const char          *key_authorization,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (validator, cancellable, callback, user_data);

  g_task_set_source_tag (task, trusting_validate_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
trusting_validate_finish (VouchAcmeValidator  *validator,
                          GAsyncResult        *result,
                          GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, validator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
validator_iface_init (VouchAcmeValidatorInterface *iface)
{
  iface->validate_async = trusting_validate_async;
  iface->validate_finish = trusting_validate_finish;
}

static void
vouch_acme_trusting_validator_class_init (VouchAcmeTrustingValidatorClass *klass)
{
}

static void
vouch_acme_trusting_validator_init (VouchAcmeTrustingValidator *self)
{
}

VouchAcmeValidator *
vouch_acme_trusting_validator_new (void)
{
  return g_object_new (VOUCH_TYPE_ACME_TRUSTING_VALIDATOR, NULL);
}
