/* vouch-acme-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-policy"

#include "vouch-config.h"

#include "vouch-acme-policy.h"

#include <glib/gi18n-lib.h>

G_DEFINE_INTERFACE (VouchAcmePolicy, vouch_acme_policy, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (VouchAcmeRequest, vouch_acme_request,
                     vouch_acme_request_copy, vouch_acme_request_free)

VouchAcmeRequest *
vouch_acme_request_copy (const VouchAcmeRequest *request)
{
  VouchAcmeRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_new0 (VouchAcmeRequest, 1);
  copy->account_id = g_strdup (request->account_id);
  copy->account_thumbprint = g_strdup (request->account_thumbprint);
  copy->client_address = g_strdup (request->client_address);
  copy->order_id = g_strdup (request->order_id);
  copy->identifier_types = g_strdupv (request->identifier_types);
  copy->identifier_values = g_strdupv (request->identifier_values);
  copy->eab_key_id = g_strdup (request->eab_key_id);
  return copy;
}

void
vouch_acme_request_free (VouchAcmeRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->account_id);
  g_free (request->account_thumbprint);
  g_free (request->client_address);
  g_free (request->order_id);
  g_strfreev (request->identifier_types);
  g_strfreev (request->identifier_values);
  g_free (request->eab_key_id);
  g_free (request);
}

static void
vouch_acme_policy_default_init (VouchAcmePolicyInterface *iface)
{
}

gboolean
vouch_acme_policy_get_external_account_required (VouchAcmePolicy *self)
{
  VouchAcmePolicyInterface *iface;

  g_return_val_if_fail (VOUCH_IS_ACME_POLICY (self), FALSE);

  iface = VOUCH_ACME_POLICY_GET_IFACE (self);
  return iface->get_external_account_required != NULL && iface->get_external_account_required (self);
}

void
vouch_acme_policy_decide_async (VouchAcmePolicy        *self,
                                const VouchAcmeRequest *request,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  g_return_if_fail (VOUCH_IS_ACME_POLICY (self));
  g_return_if_fail (request != NULL);

  VOUCH_ACME_POLICY_GET_IFACE (self)->decide_async (self, request, cancellable, callback,
                                                    user_data);
}

/**
 * vouch_acme_policy_decide_finish:
 *
 * Returns: the decision; for VOUCH_ACME_DECISION_REFUSE @error is set to
 *   the VOUCH_ACME_ERROR the client is sent
 */
VouchAcmeDecision
vouch_acme_policy_decide_finish (VouchAcmePolicy  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (VOUCH_IS_ACME_POLICY (self), VOUCH_ACME_DECISION_REFUSE);

  return VOUCH_ACME_POLICY_GET_IFACE (self)->decide_finish (self, result, error);
}

void
vouch_acme_policy_lookup_eab_key_async (VouchAcmePolicy     *self,
                                        const char          *key_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  VouchAcmePolicyInterface *iface;

  g_return_if_fail (VOUCH_IS_ACME_POLICY (self));
  g_return_if_fail (key_id != NULL);

  iface = VOUCH_ACME_POLICY_GET_IFACE (self);
  if (iface->lookup_eab_key_async == NULL)
    {
      /* A policy without EAB keys knows none. */
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, vouch_acme_policy_lookup_eab_key_async);
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                               _("This server has no external account keys"));
      return;
    }
  iface->lookup_eab_key_async (self, key_id, cancellable, callback, user_data);
}

/**
 * vouch_acme_policy_lookup_eab_key_finish:
 *
 * Returns: (transfer full): the HMAC key, or NULL with a VOUCH_ACME_ERROR
 */
GBytes *
vouch_acme_policy_lookup_eab_key_finish (VouchAcmePolicy  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (VOUCH_IS_ACME_POLICY (self), NULL);

  if (g_task_is_valid (result, self) &&
      g_task_get_source_tag (G_TASK (result)) == vouch_acme_policy_lookup_eab_key_async)
    return g_task_propagate_pointer (G_TASK (result), error);
  return VOUCH_ACME_POLICY_GET_IFACE (self)->lookup_eab_key_finish (self, result, error);
}
