/* vouch-acme-validator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-validator"

#include "vouch-config.h"

#include "vouch-acme-validator.h"

G_DEFINE_INTERFACE (VouchAcmeValidator, vouch_acme_validator, G_TYPE_OBJECT)

static void
vouch_acme_validator_default_init (VouchAcmeValidatorInterface *iface)
{
}

void
vouch_acme_validator_validate_async (VouchAcmeValidator  *self,
                                     const char          *type,
                                     const char          *identifier_type,
                                     const char          *identifier_value,
                                     const char          *token,
                                     const char          *key_authorization,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_ACME_VALIDATOR (self));
  g_return_if_fail (type != NULL && identifier_type != NULL && identifier_value != NULL);
  g_return_if_fail (token != NULL && key_authorization != NULL);

  VOUCH_ACME_VALIDATOR_GET_IFACE (self)->validate_async (self, type, identifier_type,
                                                         identifier_value, token,
                                                         key_authorization, cancellable,
                                                         callback, user_data);
}

gboolean
vouch_acme_validator_validate_finish (VouchAcmeValidator  *self,
                                      GAsyncResult        *result,
                                      GError             **error)
{
  g_return_val_if_fail (VOUCH_IS_ACME_VALIDATOR (self), FALSE);

  return VOUCH_ACME_VALIDATOR_GET_IFACE (self)->validate_finish (self, result, error);
}
