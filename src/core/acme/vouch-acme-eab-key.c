/* vouch-acme-eab-key.c
 *
 * The inventory's record of an External Account Binding key: its id, the
 * name patterns an account bound with it may order, and whether it was
 * revoked. The HMAC key itself lives only in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-eab-key"

#include "vouch-config.h"

#include "vouch-acme-eab-key.h"

struct _VouchAcmeEabKey
{
  GObject  parent_instance;

  char    *id;
  char   **names;
  gint64   created_at;
  gint64   revoked_at;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAMES,
  PROP_CREATED_AT,
  PROP_REVOKED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchAcmeEabKey, vouch_acme_eab_key, G_TYPE_OBJECT)

static void
vouch_acme_eab_key_finalize (GObject *object)
{
  VouchAcmeEabKey *self = (VouchAcmeEabKey *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->names, g_strfreev);

  G_OBJECT_CLASS (vouch_acme_eab_key_parent_class)->finalize (object);
}

static void
vouch_acme_eab_key_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VouchAcmeEabKey *self = VOUCH_ACME_EAB_KEY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAMES:
      g_value_set_boxed (value, self->names);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_REVOKED_AT:
      g_value_set_int64 (value, self->revoked_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_eab_key_class_init (VouchAcmeEabKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vouch_acme_eab_key_finalize;
  object_class->get_property = vouch_acme_eab_key_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_NAMES] = g_param_spec_boxed ("names", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL,
                                                    0, G_MAXINT64, 0, ro);
  properties[PROP_REVOKED_AT] = g_param_spec_int64 ("revoked-at", NULL, NULL,
                                                    0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_acme_eab_key_init (VouchAcmeEabKey *self)
{
}

VouchAcmeEabKey *
vouch_acme_eab_key_new (const char         *id,
                        const char * const *names,
                        gint64              created_at,
                        gint64              revoked_at)
{
  VouchAcmeEabKey *self = g_object_new (VOUCH_TYPE_ACME_EAB_KEY, NULL);

  self->id = g_strdup (id);
  self->names = g_strdupv ((char **)names);
  self->created_at = created_at;
  self->revoked_at = revoked_at;
  return self;
}

const char *
vouch_acme_eab_key_get_id (VouchAcmeEabKey *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_EAB_KEY (self), NULL);
  return self->id;
}

const char * const *
vouch_acme_eab_key_get_names (VouchAcmeEabKey *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_EAB_KEY (self), NULL);
  return (const char * const *)self->names;
}

gint64
vouch_acme_eab_key_get_created_at (VouchAcmeEabKey *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_EAB_KEY (self), 0);
  return self->created_at;
}

/**
 * vouch_acme_eab_key_get_revoked_at:
 *
 * Returns: when the key was revoked, or 0 while it is valid
 */
gint64
vouch_acme_eab_key_get_revoked_at (VouchAcmeEabKey *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_EAB_KEY (self), 0);
  return self->revoked_at;
}

/**
 * vouch_acme_eab_key_permits:
 * @name: a normalized name or address an order asks for
 *
 * A pattern is a name (`nas.lan`), a name with one leading `*` label
 * (`*.lan`: any name below lan, at any depth), or an address range
 * (`192.168.1.0/24`) or address.
 */
gboolean
vouch_acme_eab_key_permits (VouchAcmeEabKey *self,
                            const char      *name)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (VOUCH_IS_ACME_EAB_KEY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (self->revoked_at != 0)
    return FALSE;

  address = g_inet_address_new_from_string (name);
  for (guint i = 0; self->names[i] != NULL; i++)
    {
      const char *pattern = self->names[i];

      if (address != NULL)
        {
          g_autoptr(GInetAddressMask) mask = g_inet_address_mask_new_from_string (pattern, NULL);

          if (mask != NULL && g_inet_address_mask_matches (mask, address))
            return TRUE;
        }
      else if (g_str_has_prefix (pattern, "*."))
        {
          if (g_str_has_suffix (name, pattern + 1) && strlen (name) > strlen (pattern + 1))
            return TRUE;
        }
      else if (g_ascii_strcasecmp (pattern, name) == 0)
        return TRUE;
    }
  return FALSE;
}
