/* vouch-acme-approval-policy.c
 *
 * The policy the ACME server runs with outside tests. In order:
 *  1. rate limits: a token per new order, per account key and per client
 *     address (vouch-acme-rate-limiter.c; each order is charged once, as
 *     the server asks again on every poll);
 *  2. every name must be inside the root's constraints;
 *  3. an account bound with an External Account Binding key may order the
 *     names the key allows, nothing else, and nothing once it is revoked;
 *  4. in open mode, that is enough;
 *  5. otherwise the operator approves: a new account key's order, or an
 *     approved one's order with new names, waits in the inventory until
 *     someone approves or refuses it (vouchctl acme approve|refuse, the
 *     app's ACME page); names approved once renew without asking.
 * Each refusal the policy makes is audited and sent as the ACME problem
 * (rateLimited, rejectedIdentifier, unauthorized) the client shows.
 * Decisions read the inventory and the keyring, so they run on a worker
 * thread; open mode's, which read neither, run where they are asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-approval-policy"

#include "vouch-config.h"

#include "vouch-acme-approval-policy.h"

#include "vouch-acme-approvals.h"
#include "vouch-acme-eab.h"
#include "vouch-acme-rate-limiter.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

/* Orders already charged a token; bounded, oldest forgotten first. */
#define MAX_CHARGED_ORDERS 4096

struct _VouchAcmeApprovalPolicy
{
  GObject               parent_instance;

  VouchInventory       *inventory;
  VouchNameConstraints *constraints;
  VouchAcmeRateLimiter *account_limiter;
  VouchAcmeRateLimiter *address_limiter;
  GMutex                mutex;
  GHashTable           *charged;
  GQueue                charged_order;
  guint                 open : 1;
  guint                 external_account_required : 1;
};

enum {
  PROP_0,
  PROP_OPEN,
  PROP_EXTERNAL_ACCOUNT_REQUIRED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void policy_iface_init (VouchAcmePolicyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VouchAcmeApprovalPolicy, vouch_acme_approval_policy, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (VOUCH_TYPE_ACME_POLICY, policy_iface_init))

static void
vouch_acme_approval_policy_dispose (GObject *object)
{
  VouchAcmeApprovalPolicy *self = (VouchAcmeApprovalPolicy *)object;

  g_clear_object (&self->inventory);
  g_clear_object (&self->constraints);
  g_clear_object (&self->account_limiter);
  g_clear_object (&self->address_limiter);

  G_OBJECT_CLASS (vouch_acme_approval_policy_parent_class)->dispose (object);
}

static void
vouch_acme_approval_policy_finalize (GObject *object)
{
  VouchAcmeApprovalPolicy *self = (VouchAcmeApprovalPolicy *)object;

  g_queue_clear (&self->charged_order);
  g_clear_pointer (&self->charged, g_hash_table_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (vouch_acme_approval_policy_parent_class)->finalize (object);
}

static void
vouch_acme_approval_policy_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  VouchAcmeApprovalPolicy *self = VOUCH_ACME_APPROVAL_POLICY (object);

  switch (prop_id)
    {
    case PROP_OPEN:
      g_value_set_boolean (value, self->open);
      break;

    case PROP_EXTERNAL_ACCOUNT_REQUIRED:
      g_value_set_boolean (value, self->external_account_required);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_approval_policy_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  VouchAcmeApprovalPolicy *self = VOUCH_ACME_APPROVAL_POLICY (object);

  switch (prop_id)
    {
    case PROP_OPEN:
      vouch_acme_approval_policy_set_open (self, g_value_get_boolean (value));
      break;

    case PROP_EXTERNAL_ACCOUNT_REQUIRED:
      vouch_acme_approval_policy_set_external_account_required (self,
                                                                g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_approval_policy_class_init (VouchAcmeApprovalPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_acme_approval_policy_dispose;
  object_class->finalize = vouch_acme_approval_policy_finalize;
  object_class->get_property = vouch_acme_approval_policy_get_property;
  object_class->set_property = vouch_acme_approval_policy_set_property;

  properties[PROP_OPEN] =
    g_param_spec_boolean ("open", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EXTERNAL_ACCOUNT_REQUIRED] =
    g_param_spec_boolean ("external-account-required", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_acme_approval_policy_init (VouchAcmeApprovalPolicy *self)
{
  g_mutex_init (&self->mutex);
  self->charged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->charged_order);
  vouch_acme_approval_policy_set_rate_limits (self,
                                              VOUCH_ACME_RATE_ACCOUNT_BURST,
                                              VOUCH_ACME_RATE_ACCOUNT_SECONDS,
                                              VOUCH_ACME_RATE_ADDRESS_BURST,
                                              VOUCH_ACME_RATE_ADDRESS_SECONDS);
}

/**
 * vouch_acme_approval_policy_new:
 * @constraints: the root's name constraints; names outside are refused
 */
VouchAcmeApprovalPolicy *
vouch_acme_approval_policy_new (VouchInventory       *inventory,
                                VouchNameConstraints *constraints)
{
  VouchAcmeApprovalPolicy *self;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (inventory), NULL);
  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (constraints), NULL);

  self = g_object_new (VOUCH_TYPE_ACME_APPROVAL_POLICY, NULL);
  self->inventory = g_object_ref (inventory);
  self->constraints = g_object_ref (constraints);
  return self;
}

gboolean
vouch_acme_approval_policy_get_open (VouchAcmeApprovalPolicy *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_APPROVAL_POLICY (self), FALSE);
  return self->open;
}

/**
 * vouch_acme_approval_policy_set_open:
 *
 * In open mode every order for names inside the root's constraints is
 * signed without asking. The app switches it on only after a warning.
 */
void
vouch_acme_approval_policy_set_open (VouchAcmeApprovalPolicy *self,
                                     gboolean                 open)
{
  g_return_if_fail (VOUCH_IS_ACME_APPROVAL_POLICY (self));

  open = !!open;
  if (self->open != open)
    {
      self->open = open;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
    }
}

void
vouch_acme_approval_policy_set_external_account_required (VouchAcmeApprovalPolicy *self,
                                                          gboolean                 required)
{
  g_return_if_fail (VOUCH_IS_ACME_APPROVAL_POLICY (self));

  required = !!required;
  if (self->external_account_required != required)
    {
      self->external_account_required = required;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL_ACCOUNT_REQUIRED]);
    }
}

/**
 * vouch_acme_approval_policy_set_rate_limits:
 *
 * Replaces the token buckets (and forgets what they counted). The
 * defaults are VOUCH_ACME_RATE_*; tests make them small.
 */
void
vouch_acme_approval_policy_set_rate_limits (VouchAcmeApprovalPolicy *self,
                                            guint                    account_burst,
                                            guint                    account_seconds,
                                            guint                    address_burst,
                                            guint                    address_seconds)
{
  g_return_if_fail (VOUCH_IS_ACME_APPROVAL_POLICY (self));

  g_clear_object (&self->account_limiter);
  g_clear_object (&self->address_limiter);
  self->account_limiter = vouch_acme_rate_limiter_new (account_burst, account_seconds);
  self->address_limiter = vouch_acme_rate_limiter_new (address_burst, address_seconds);
}

/* Charges a new order once; polls of an order already charged pass. */
static gboolean
charge (VouchAcmeApprovalPolicy  *self,
        const VouchAcmeRequest   *request,
        GError                  **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  gint64 retry = 0;

  if (request->order_id != NULL && g_hash_table_contains (self->charged, request->order_id))
    return TRUE;

  if (!vouch_acme_rate_limiter_take (self->account_limiter, request->account_thumbprint, &retry))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_RATE_LIMITED,
                   _("This account ordered too often; try again in %" G_GINT64_FORMAT
                     " seconds"), retry);
      return FALSE;
    }
  if (!vouch_acme_rate_limiter_take (self->address_limiter, request->client_address, &retry))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_RATE_LIMITED,
                   _("This address ordered too often; try again in %" G_GINT64_FORMAT
                     " seconds"), retry);
      return FALSE;
    }

  if (request->order_id != NULL)
    {
      char *key = g_strdup (request->order_id);

      g_hash_table_add (self->charged, key);
      g_queue_push_tail (&self->charged_order, key);
      if (g_queue_get_length (&self->charged_order) > MAX_CHARGED_ORDERS)
        g_hash_table_remove (self->charged, g_queue_pop_head (&self->charged_order));
    }
  return TRUE;
}

static VouchAcmeDecision
decide (VouchAcmeApprovalPolicy  *self,
        const VouchAcmeRequest   *request,
        GCancellable             *cancellable,
        GError                  **error)
{
  const char * const *names = (const char * const *)request->identifier_values;
  g_autofree char *state = NULL;

  if (names == NULL || names[0] == NULL)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                   _("The order names nothing"));
      return VOUCH_ACME_DECISION_REFUSE;
    }

  if (!charge (self, request, error))
    return VOUCH_ACME_DECISION_REFUSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!vouch_name_constraints_permits (self->constraints, names[i]))
        {
          g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                       _("%s is outside the names this root may sign for"), names[i]);
          return VOUCH_ACME_DECISION_REFUSE;
        }
    }

  if (request->eab_key_id != NULL)
    {
      g_autoptr(VouchAcmeEabKey) key = NULL;

      key = vouch_acme_approvals_lookup_eab_key (self->inventory, request->eab_key_id, error);
      if (key == NULL || vouch_acme_eab_key_get_revoked_at (key) != 0)
        {
          g_clear_error (error);
          g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
                       _("The external account key this account was bound with is revoked"));
          return VOUCH_ACME_DECISION_REFUSE;
        }
      for (guint i = 0; names[i] != NULL; i++)
        {
          if (!vouch_acme_eab_key_permits (key, names[i]))
            {
              g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                           _("The external account key does not allow %s"), names[i]);
              return VOUCH_ACME_DECISION_REFUSE;
            }
        }
      return VOUCH_ACME_DECISION_ALLOW;
    }

  if (self->open)
    return VOUCH_ACME_DECISION_ALLOW;

  state = vouch_acme_approvals_check (self->inventory, request->account_thumbprint,
                                      request->client_address, names, error);
  if (state == NULL)
    {
      GError *inner = *error;

      *error = g_error_new (VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_SERVER_INTERNAL,
                            "%s", inner->message);
      g_error_free (inner);
      return VOUCH_ACME_DECISION_REFUSE;
    }
  if (g_str_equal (state, "approved"))
    return VOUCH_ACME_DECISION_ALLOW;
  if (g_str_equal (state, "pending"))
    return VOUCH_ACME_DECISION_PENDING;

  g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED,
               _("The operator refused this order"));
  return VOUCH_ACME_DECISION_REFUSE;
}

static void
decide_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VouchAcmeApprovalPolicy *self = source_object;
  const VouchAcmeRequest *request = task_data;
  VouchAcmeDecision decision;
  GError *error = NULL;

  decision = decide (self, request, cancellable, &error);
  if (error != NULL)
    {
      /* The operator's own refusal was audited when it was made; the
       * policy's refusals are audited here, once per ask. */
      if (!g_error_matches (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED) ||
          request->eab_key_id != NULL)
        vouch_acme_approvals_audit_refusal (self->inventory, request->account_thumbprint,
                                            request->client_address,
                                            (const char * const *)request->identifier_values,
                                            error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, decision);
}

static void
vouch_acme_approval_policy_decide_async (VouchAcmePolicy        *policy,
                                         const VouchAcmeRequest *request,
                                         GCancellable           *cancellable,
                                         GAsyncReadyCallback     callback,
                                         gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (policy, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_acme_approval_policy_decide_async);
  g_task_set_task_data (task, vouch_acme_request_copy (request),
                        (GDestroyNotify)vouch_acme_request_free);
  /* In open mode, an order without an EAB key is decided from memory
   * (the rate limits and the root's constraints): no thread is woken for
   * it, twice per certificate. Only a refusal writes (its audit event),
   * as the server's own records are written, on this thread. */
  if (VOUCH_ACME_APPROVAL_POLICY (policy)->open && request->eab_key_id == NULL)
    decide_thread (task, policy, g_task_get_task_data (task), cancellable);
  else
    g_task_run_in_thread (task, decide_thread);
}

static VouchAcmeDecision
vouch_acme_approval_policy_decide_finish (VouchAcmePolicy  *policy,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  GError *local_error = NULL;
  gssize decision;

  g_return_val_if_fail (g_task_is_valid (result, policy), VOUCH_ACME_DECISION_REFUSE);

  decision = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return VOUCH_ACME_DECISION_REFUSE;
    }
  return (VouchAcmeDecision)decision;
}

static void
lookup_eab_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  VouchAcmeApprovalPolicy *self = source_object;
  GError *error = NULL;
  GBytes *key;

  key = vouch_acme_eab_lookup_hmac (self->inventory, task_data, cancellable, &error);
  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify)vouch_bytes_wipe_unref);
}

static void
vouch_acme_approval_policy_lookup_eab_key_async (VouchAcmePolicy     *policy,
                                                 const char          *key_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (policy, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_acme_approval_policy_lookup_eab_key_async);
  g_task_set_task_data (task, g_strdup (key_id), g_free);
  g_task_run_in_thread (task, lookup_eab_thread);
}

static GBytes *
vouch_acme_approval_policy_lookup_eab_key_finish (VouchAcmePolicy  *policy,
                                                  GAsyncResult     *result,
                                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, policy), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
vouch_acme_approval_policy_get_external_account_required_impl (VouchAcmePolicy *policy)
{
  return VOUCH_ACME_APPROVAL_POLICY (policy)->external_account_required;
}

static void
policy_iface_init (VouchAcmePolicyInterface *iface)
{
  iface->get_external_account_required =
    vouch_acme_approval_policy_get_external_account_required_impl;
  iface->decide_async = vouch_acme_approval_policy_decide_async;
  iface->decide_finish = vouch_acme_approval_policy_decide_finish;
  iface->lookup_eab_key_async = vouch_acme_approval_policy_lookup_eab_key_async;
  iface->lookup_eab_key_finish = vouch_acme_approval_policy_lookup_eab_key_finish;
}
