/* vouch-acme-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-error"

#include "vouch-config.h"

#include "vouch-acme-error.h"

#include <string.h>

#define URN_PREFIX "urn:ietf:params:acme:error:"

typedef struct
{
  GPtrArray *subproblems;
} VouchAcmeErrorPrivate;

static void
subproblem_free (gpointer data)
{
  VouchAcmeSubproblem *sub = data;

  g_free (sub->identifier_type);
  g_free (sub->identifier_value);
  g_free (sub->detail);
  g_free (sub);
}

static void
vouch_acme_error_private_init (VouchAcmeErrorPrivate *priv)
{
  priv->subproblems = g_ptr_array_new_with_free_func (subproblem_free);
}

static void
vouch_acme_error_private_copy (const VouchAcmeErrorPrivate *src,
                               VouchAcmeErrorPrivate       *dest)
{
  for (guint i = 0; i < src->subproblems->len; i++)
    {
      const VouchAcmeSubproblem *sub = g_ptr_array_index (src->subproblems, i);
      VouchAcmeSubproblem *copy = g_new0 (VouchAcmeSubproblem, 1);

      copy->code = sub->code;
      copy->identifier_type = g_strdup (sub->identifier_type);
      copy->identifier_value = g_strdup (sub->identifier_value);
      copy->detail = g_strdup (sub->detail);
      g_ptr_array_add (dest->subproblems, copy);
    }
}

static void
vouch_acme_error_private_clear (VouchAcmeErrorPrivate *priv)
{
  g_clear_pointer (&priv->subproblems, g_ptr_array_unref);
}

/* An extended domain, so subproblems travel with the error through
 * g_task_return_error() and g_propagate_error(). */
G_DEFINE_EXTENDED_ERROR (VouchAcmeError, vouch_acme_error)

/* Indexed by VouchAcmeError; the types and statuses are RFC 8555 §6.7's. */
static const struct
{
  const char *name;
  guint       status;
} types[] = {
  { URN_PREFIX "accountDoesNotExist", 400 },
  { URN_PREFIX "alreadyRevoked", 400 },
  { URN_PREFIX "badCSR", 400 },
  { URN_PREFIX "badNonce", 400 },
  { URN_PREFIX "badPublicKey", 400 },
  { URN_PREFIX "badRevocationReason", 400 },
  { URN_PREFIX "badSignatureAlgorithm", 400 },
  { URN_PREFIX "caa", 403 },
  { URN_PREFIX "compound", 403 },
  { URN_PREFIX "connection", 400 },
  { URN_PREFIX "dns", 400 },
  { URN_PREFIX "externalAccountRequired", 403 },
  { URN_PREFIX "incorrectResponse", 403 },
  { URN_PREFIX "invalidContact", 400 },
  { URN_PREFIX "malformed", 400 },
  { URN_PREFIX "orderNotReady", 403 },
  { URN_PREFIX "rateLimited", 429 },
  { URN_PREFIX "rejectedIdentifier", 400 },
  { URN_PREFIX "serverInternal", 500 },
  { URN_PREFIX "tls", 400 },
  { URN_PREFIX "unauthorized", 403 },
  { URN_PREFIX "unsupportedContact", 400 },
  { URN_PREFIX "unsupportedIdentifier", 400 },
  { URN_PREFIX "userActionRequired", 403 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (types) == VOUCH_ACME_ERROR_USER_ACTION_REQUIRED + 1);

/**
 * vouch_acme_error_to_type:
 *
 * Returns: the full problem type, such as
 *   "urn:ietf:params:acme:error:badNonce"
 */
const char *
vouch_acme_error_to_type (VouchAcmeError code)
{
  g_return_val_if_fail ((guint)code < G_N_ELEMENTS (types), NULL);
  return types[code].name;
}

/**
 * vouch_acme_error_from_type:
 * @type: a full problem type (or only its last part)
 *
 * Returns: whether @type is one of RFC 8555's problem types
 */
gboolean
vouch_acme_error_from_type (const char     *type,
                            VouchAcmeError *code)
{
  g_return_val_if_fail (type != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (type, types[i].name) ||
        g_str_equal (type, types[i].name + strlen (URN_PREFIX)))
      {
        if (code != NULL)
          *code = i;
        return TRUE;
      }

  return FALSE;
}

guint
vouch_acme_error_http_status (VouchAcmeError code)
{
  g_return_val_if_fail ((guint)code < G_N_ELEMENTS (types), 500);
  return types[code].status;
}

/**
 * vouch_acme_error_add_subproblem:
 * @error: a VOUCH_ACME_ERROR
 * @identifier_type: (nullable): "dns" or "ip"
 */
void
vouch_acme_error_add_subproblem (GError         *error,
                                 VouchAcmeError  code,
                                 const char     *identifier_type,
                                 const char     *identifier_value,
                                 const char     *detail)
{
  VouchAcmeErrorPrivate *priv;
  VouchAcmeSubproblem *sub;

  g_return_if_fail (error != NULL && error->domain == VOUCH_ACME_ERROR);

  priv = vouch_acme_error_get_private (error);
  sub = g_new0 (VouchAcmeSubproblem, 1);
  sub->code = code;
  sub->identifier_type = g_strdup (identifier_type);
  sub->identifier_value = g_strdup (identifier_value);
  sub->detail = g_strdup (detail);
  g_ptr_array_add (priv->subproblems, sub);
}

/**
 * vouch_acme_error_get_subproblems:
 *
 * Returns: (transfer none) (nullable): the VouchAcmeSubproblems of @error,
 *   NULL when it is not a VOUCH_ACME_ERROR
 */
const GPtrArray *
vouch_acme_error_get_subproblems (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != VOUCH_ACME_ERROR)
    return NULL;
  return vouch_acme_error_get_private (error)->subproblems;
}
