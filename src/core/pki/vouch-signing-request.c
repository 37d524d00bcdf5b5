/* vouch-signing-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-signing-request-private.h"

#include <string.h>

struct _VouchSigningRequest
{
  GObject          parent_instance;

  gnutls_pubkey_t  pubkey;
  char           **names;
  char            *subject;
  char            *key_description;
  char            *key_sha256;
  guint8           key_id[VOUCH_KEY_ID_LEN];
  char            *challenge;
  char            *notice;
  guint            is_rsa : 1;
};

enum {
  PROP_0,
  PROP_NAMES,
  PROP_SUBJECT,
  PROP_KEY_DESCRIPTION,
  PROP_KEY_SHA256,
  PROP_CHALLENGE,
  PROP_NOTICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchSigningRequest, vouch_signing_request, G_TYPE_OBJECT)

static void
vouch_signing_request_finalize (GObject *object)
{
  VouchSigningRequest *self = (VouchSigningRequest *)object;

  g_clear_pointer (&self->pubkey, gnutls_pubkey_deinit);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->key_description, g_free);
  g_clear_pointer (&self->key_sha256, g_free);
  g_clear_pointer (&self->challenge, g_free);
  g_clear_pointer (&self->notice, g_free);

  G_OBJECT_CLASS (vouch_signing_request_parent_class)->finalize (object);
}

static void
vouch_signing_request_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  VouchSigningRequest *self = VOUCH_SIGNING_REQUEST (object);

  switch (prop_id)
    {
    case PROP_NAMES:
      g_value_set_boxed (value, self->names);
      break;

    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;

    case PROP_KEY_DESCRIPTION:
      g_value_set_string (value, self->key_description);
      break;

    case PROP_KEY_SHA256:
      g_value_set_string (value, self->key_sha256);
      break;

    case PROP_CHALLENGE:
      g_value_set_string (value, self->challenge);
      break;

    case PROP_NOTICE:
      g_value_set_string (value, self->notice);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_signing_request_class_init (VouchSigningRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vouch_signing_request_finalize;
  object_class->get_property = vouch_signing_request_get_property;

  properties[PROP_NAMES] = g_param_spec_boxed ("names", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, ro);
  properties[PROP_KEY_DESCRIPTION] = g_param_spec_string ("key-description", NULL, NULL, NULL, ro);
  properties[PROP_KEY_SHA256] = g_param_spec_string ("key-sha256", NULL, NULL, NULL, ro);
  properties[PROP_CHALLENGE] = g_param_spec_string ("challenge", NULL, NULL, NULL, ro);
  properties[PROP_NOTICE] = g_param_spec_string ("notice", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_signing_request_init (VouchSigningRequest *self)
{
}

VouchSigningRequest *
_vouch_signing_request_new (gnutls_pubkey_t   pubkey,
                            char            **names,
                            const char       *subject,
                            const char       *key_description,
                            const char       *key_sha256,
                            const guint8     *key_id,
                            const char       *challenge,
                            const char       *notice,
                            gboolean          is_rsa)
{
  VouchSigningRequest *self = g_object_new (VOUCH_TYPE_SIGNING_REQUEST, NULL);

  self->pubkey = pubkey;
  self->names = names;
  self->subject = g_strdup (subject);
  self->key_description = g_strdup (key_description);
  self->key_sha256 = g_strdup (key_sha256);
  memcpy (self->key_id, key_id, sizeof self->key_id);
  self->challenge = g_strdup (challenge);
  self->notice = g_strdup (notice);
  self->is_rsa = !!is_rsa;

  return self;
}

const guint8 *
_vouch_signing_request_get_key_id (VouchSigningRequest *self,
                                   gsize               *out_len)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (self), NULL);

  *out_len = sizeof self->key_id;
  return self->key_id;
}

const char * const *
vouch_signing_request_get_names (VouchSigningRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (self), NULL);
  return (const char * const *)self->names;
}

const char *
vouch_signing_request_get_subject (VouchSigningRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (self), NULL);
  return self->subject;
}

const char *
vouch_signing_request_get_key_description (VouchSigningRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (self), NULL);
  return self->key_description;
}

const char *
vouch_signing_request_get_key_sha256 (VouchSigningRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (self), NULL);
  return self->key_sha256;
}

/**
 * vouch_signing_request_get_challenge:
 *
 * Returns: (nullable): the CSR's challengePassword attribute, which carries
 *   the onboarding nonce under the CSR's signature
 */
const char *
vouch_signing_request_get_challenge (VouchSigningRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (self), NULL);
  return self->challenge;
}

/**
 * vouch_signing_request_get_notice:
 *
 * Returns: (nullable): one line the operator should read before signing,
 *   such as why the CSR's common name is not certified
 */
const char *
vouch_signing_request_get_notice (VouchSigningRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (self), NULL);
  return self->notice;
}

gnutls_pubkey_t
vouch_signing_request_get_pubkey (VouchSigningRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (self), NULL);
  return self->pubkey;
}

gboolean
vouch_signing_request_get_is_rsa (VouchSigningRequest *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGNING_REQUEST (self), FALSE);
  return self->is_rsa;
}
