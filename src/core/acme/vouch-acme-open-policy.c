/* vouch-acme-open-policy.c: allows every order
 *
 * The server's policy until the operator's (approval, EAB, open mode
 * within the root's constraints) is plugged in; the signing policy still
 * checks every CSR against the root's name constraints at finalize.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-open-policy"

#include "vouch-config.h"

#include "vouch-acme-open-policy.h"

#include <glib/gi18n-lib.h>

struct _VouchAcmeOpenPolicy
{
  GObject     parent_instance;

  GHashTable *eab_keys;   /* key id → GBytes */
  gboolean    external_account_required;
};

static void policy_iface_init (VouchAcmePolicyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VouchAcmeOpenPolicy, vouch_acme_open_policy, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (VOUCH_TYPE_ACME_POLICY, policy_iface_init))

static gboolean
open_get_external_account_required (VouchAcmePolicy *policy)
{
  return VOUCH_ACME_OPEN_POLICY (policy)->external_account_required;
}

static void
open_decide_async (VouchAcmePolicy        *policy,
                   const VouchAcmeRequest *request,
                   GCancellable           *cancellable,
                   GAsyncReadyCallback     callback,
                   gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (policy, cancellable, callback, user_data);

  g_task_set_source_tag (task, open_decide_async);
  g_task_return_int (task, VOUCH_ACME_DECISION_ALLOW);
}

static VouchAcmeDecision
open_decide_finish (VouchAcmePolicy  *policy,
                    GAsyncResult     *result,
                    GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize decision;

  g_return_val_if_fail (g_task_is_valid (result, policy), VOUCH_ACME_DECISION_REFUSE);

  decision = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return VOUCH_ACME_DECISION_REFUSE;
    }
  return decision;
}

static void
open_lookup_eab_key_async (VouchAcmePolicy     *policy,
                           const char          *key_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  VouchAcmeOpenPolicy *self = VOUCH_ACME_OPEN_POLICY (policy);
  g_autoptr(GTask) task = g_task_new (policy, cancellable, callback, user_data);
  GBytes *key = g_hash_table_lookup (self->eab_keys, key_id);

  g_task_set_source_tag (task, open_lookup_eab_key_async);
  if (key == NULL)
    g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                             _("The external account key is not known to this server"));
  else
    g_task_return_pointer (task, g_bytes_ref (key), (GDestroyNotify)g_bytes_unref);
}

static GBytes *
open_lookup_eab_key_finish (VouchAcmePolicy  *policy,
                            GAsyncResult     *result,
                            GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, policy), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
policy_iface_init (VouchAcmePolicyInterface *iface)
{
  iface->get_external_account_required = open_get_external_account_required;
  iface->decide_async = open_decide_async;
  iface->decide_finish = open_decide_finish;
  iface->lookup_eab_key_async = open_lookup_eab_key_async;
  iface->lookup_eab_key_finish = open_lookup_eab_key_finish;
}

static void
vouch_acme_open_policy_finalize (GObject *object)
{
  VouchAcmeOpenPolicy *self = VOUCH_ACME_OPEN_POLICY (object);

  g_clear_pointer (&self->eab_keys, g_hash_table_unref);

  G_OBJECT_CLASS (vouch_acme_open_policy_parent_class)->finalize (object);
}

static void
vouch_acme_open_policy_class_init (VouchAcmeOpenPolicyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vouch_acme_open_policy_finalize;
}

static void
vouch_acme_open_policy_init (VouchAcmeOpenPolicy *self)
{
  self->eab_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)g_bytes_unref);
}

VouchAcmeOpenPolicy *
vouch_acme_open_policy_new (void)
{
  return g_object_new (VOUCH_TYPE_ACME_OPEN_POLICY, NULL);
}

void
vouch_acme_open_policy_add_eab_key (VouchAcmeOpenPolicy *self,
                                    const char          *key_id,
                                    GBytes              *hmac_key)
{
  g_return_if_fail (VOUCH_IS_ACME_OPEN_POLICY (self));
  g_return_if_fail (key_id != NULL && hmac_key != NULL);

  g_hash_table_replace (self->eab_keys, g_strdup (key_id), g_bytes_ref (hmac_key));
}

void
vouch_acme_open_policy_set_external_account_required (VouchAcmeOpenPolicy *self,
                                                      gboolean             required)
{
  g_return_if_fail (VOUCH_IS_ACME_OPEN_POLICY (self));
  self->external_account_required = !!required;
}
