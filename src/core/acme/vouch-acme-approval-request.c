/* vouch-acme-approval-request.c
 *
 * An immutable record read from the inventory's acme_requests table: the
 * account key's thumbprint, where the order came from, the names it asks
 * for, and whether the operator has decided. Everything in it came from
 * the network; whoever shows it sanitizes it first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-approval-request"

#include "vouch-config.h"

#include "vouch-acme-approval-request.h"

struct _VouchAcmeApprovalRequest
{
  GObject  parent_instance;

  gint64   id;
  char    *thumbprint;
  char    *client_address;
  char   **names;
  char    *state;
  gint64   requested_at;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_THUMBPRINT,
  PROP_CLIENT_ADDRESS,
  PROP_NAMES,
  PROP_STATE,
  PROP_REQUESTED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchAcmeApprovalRequest, vouch_acme_approval_request, G_TYPE_OBJECT)

static void
vouch_acme_approval_request_finalize (GObject *object)
{
  VouchAcmeApprovalRequest *self = (VouchAcmeApprovalRequest *)object;

  g_clear_pointer (&self->thumbprint, g_free);
  g_clear_pointer (&self->client_address, g_free);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->state, g_free);

  G_OBJECT_CLASS (vouch_acme_approval_request_parent_class)->finalize (object);
}

static void
vouch_acme_approval_request_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  VouchAcmeApprovalRequest *self = VOUCH_ACME_APPROVAL_REQUEST (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_THUMBPRINT:
      g_value_set_string (value, self->thumbprint);
      break;

    case PROP_CLIENT_ADDRESS:
      g_value_set_string (value, self->client_address);
      break;

    case PROP_NAMES:
      g_value_set_boxed (value, self->names);
      break;

    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;

    case PROP_REQUESTED_AT:
      g_value_set_int64 (value, self->requested_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_approval_request_class_init (VouchAcmeApprovalRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vouch_acme_approval_request_finalize;
  object_class->get_property = vouch_acme_approval_request_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_THUMBPRINT] = g_param_spec_string ("thumbprint", NULL, NULL, NULL, ro);
  properties[PROP_CLIENT_ADDRESS] = g_param_spec_string ("client-address", NULL, NULL, NULL, ro);
  properties[PROP_NAMES] = g_param_spec_boxed ("names", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, ro);
  properties[PROP_REQUESTED_AT] = g_param_spec_int64 ("requested-at", NULL, NULL,
                                                      0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_acme_approval_request_init (VouchAcmeApprovalRequest *self)
{
}

VouchAcmeApprovalRequest *
vouch_acme_approval_request_new (gint64              id,
                                 const char         *thumbprint,
                                 const char         *client_address,
                                 const char * const *names,
                                 const char         *state,
                                 gint64              requested_at)
{
  VouchAcmeApprovalRequest *self = g_object_new (VOUCH_TYPE_ACME_APPROVAL_REQUEST, NULL);

  self->id = id;
  self->thumbprint = g_strdup (thumbprint);
  self->client_address = g_strdup (client_address);
  self->names = g_strdupv ((char **)names);
  self->state = g_strdup (state);
  self->requested_at = requested_at;
  return self;
}

gint64
vouch_acme_approval_request_get_id (VouchAcmeApprovalRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_APPROVAL_REQUEST (self), 0);
  return self->id;
}

const char *
vouch_acme_approval_request_get_thumbprint (VouchAcmeApprovalRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_APPROVAL_REQUEST (self), NULL);
  return self->thumbprint;
}

const char *
vouch_acme_approval_request_get_client_address (VouchAcmeApprovalRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_APPROVAL_REQUEST (self), NULL);
  return self->client_address;
}

const char * const *
vouch_acme_approval_request_get_names (VouchAcmeApprovalRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_APPROVAL_REQUEST (self), NULL);
  return (const char * const *)self->names;
}

const char *
vouch_acme_approval_request_get_state (VouchAcmeApprovalRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_APPROVAL_REQUEST (self), NULL);
  return self->state;
}

gint64
vouch_acme_approval_request_get_requested_at (VouchAcmeApprovalRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_APPROVAL_REQUEST (self), 0);
  return self->requested_at;
}
