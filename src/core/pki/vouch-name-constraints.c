/* vouch-name-constraints.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-name-constraints.h"

#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

/* A root's constraints are kept as the DER-ready GnuTLS structure, so the
 * check that decides whether Vouch signs a name is the same code that
 * clients use to validate it. The display strings follow the same order. */
struct _VouchNameConstraints
{
  GObject                         parent_instance;

  gnutls_x509_name_constraints_t  nc;
  GPtrArray                      *permitted;
  guint                           has_excluded : 1;
  guint                           unconstrained : 1;
};

enum {
  PROP_0,
  PROP_UNCONSTRAINED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchNameConstraints, vouch_name_constraints, G_TYPE_OBJECT)

static const char * const local_defaults[] = {
  ".local",
  ".home.arpa",
  ".internal",
  ".lan",
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "169.254.0.0/16",
  "fc00::/7",
  "fe80::/10",
  NULL
};

static void
vouch_name_constraints_finalize (GObject *object)
{
  VouchNameConstraints *self = (VouchNameConstraints *)object;

  g_clear_pointer (&self->nc, gnutls_x509_name_constraints_deinit);
  g_clear_pointer (&self->permitted, g_ptr_array_unref);

  G_OBJECT_CLASS (vouch_name_constraints_parent_class)->finalize (object);
}

static void
vouch_name_constraints_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  VouchNameConstraints *self = VOUCH_NAME_CONSTRAINTS (object);

  switch (prop_id)
    {
    case PROP_UNCONSTRAINED:
      g_value_set_boolean (value, self->unconstrained);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_name_constraints_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  VouchNameConstraints *self = VOUCH_NAME_CONSTRAINTS (object);

  switch (prop_id)
    {
    case PROP_UNCONSTRAINED:
      vouch_name_constraints_set_unconstrained (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_name_constraints_class_init (VouchNameConstraintsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vouch_name_constraints_finalize;
  object_class->get_property = vouch_name_constraints_get_property;
  object_class->set_property = vouch_name_constraints_set_property;

  properties[PROP_UNCONSTRAINED] =
    g_param_spec_boolean ("unconstrained", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_name_constraints_init (VouchNameConstraints *self)
{
  self->permitted = g_ptr_array_new_with_free_func (g_free);
  if (gnutls_x509_name_constraints_init (&self->nc) < 0)
    g_error ("Out of memory");
}

VouchNameConstraints *
vouch_name_constraints_new (void)
{
  return g_object_new (VOUCH_TYPE_NAME_CONSTRAINTS, NULL);
}

const char * const *
vouch_name_constraints_get_local_defaults (void)
{
  return local_defaults;
}

VouchNameConstraints *
vouch_name_constraints_new_local_defaults (void)
{
  VouchNameConstraints *self = vouch_name_constraints_new ();

  for (guint i = 0; local_defaults[i] != NULL; i++)
    {
      gboolean ok = vouch_name_constraints_add (self, local_defaults[i], NULL);
      g_assert (ok);
    }

  return self;
}

static char *
subnet_to_string (const guint8 *data,
                  gsize         size)
{
  gsize addr_len = size / 2;
  const guint8 *mask = data + addr_len;
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *text = NULL;
  guint prefix = 0;

  address = g_inet_address_new_from_bytes (data, addr_len == 4 ? G_SOCKET_FAMILY_IPV4
                                                               : G_SOCKET_FAMILY_IPV6);
  for (gsize i = 0; i < addr_len; i++)
    prefix += (guint)__builtin_popcount (mask[i]);

  text = g_inet_address_to_string (address);
  return g_strdup_printf ("%s/%u", text, prefix);
}

VouchNameConstraints *
vouch_name_constraints_new_from_crt (gnutls_x509_crt_t   crt,
                                     GError            **error)
{
  g_autoptr(VouchNameConstraints) self = vouch_name_constraints_new ();
  unsigned int critical = 0;
  int ret;

  ret = gnutls_x509_crt_get_name_constraints (crt, self->nc, 0, &critical);
  if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
    {
      self->unconstrained = TRUE;
      return g_steal_pointer (&self);
    }
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("The root's name constraints cannot be read"));
      return NULL;
    }

  for (guint i = 0;; i++)
    {
      gnutls_datum_t name;
      unsigned int type;

      if (gnutls_x509_name_constraints_get_permitted (self->nc, i, &type, &name) < 0)
        break;

      if (type == GNUTLS_SAN_DNSNAME)
        g_ptr_array_add (self->permitted, g_strdup_printf (".%.*s", (int)name.size, name.data));
      else if (type == GNUTLS_SAN_IPADDRESS && (name.size == 8 || name.size == 32))
        g_ptr_array_add (self->permitted, subnet_to_string (name.data, name.size));
      else
        g_ptr_array_add (self->permitted, g_strdup (_("(another kind of name)")));
    }

  {
    gnutls_datum_t name;
    unsigned int type;

    self->has_excluded = gnutls_x509_name_constraints_get_excluded (self->nc, 0, &type, &name) >= 0;
  }

  return g_steal_pointer (&self);
}

static gboolean
add_subnet (VouchNameConstraints  *self,
            GInetAddressMask      *mask,
            GError               **error)
{
  GInetAddress *address = g_inet_address_mask_get_address (mask);
  guint prefix = g_inet_address_mask_get_length (mask);
  gsize len = g_inet_address_get_native_size (address);
  guint8 data[32] = { 0 };
  gnutls_datum_t datum = { data, (unsigned int)(len * 2) };
  g_autofree char *address_text = NULL;
  int ret;

  memcpy (data, g_inet_address_to_bytes (address), len);
  for (guint bit = 0; bit < prefix; bit++)
    data[len + bit / 8] |= (guint8)(0x80 >> (bit % 8));

  ret = gnutls_x509_name_constraints_add_permitted (self->nc, GNUTLS_SAN_IPADDRESS, &datum);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                                   _("The address range cannot be added"));

  address_text = g_inet_address_to_string (address);
  g_ptr_array_add (self->permitted, g_strdup_printf ("%s/%u", address_text, prefix));
  return TRUE;
}

/**
 * vouch_name_constraints_add:
 * @text: a DNS suffix (`.lan`, `corp.example.com`), an address range
 *   (`10.0.0.0/8`, `fc00::/7`) or a single address, optionally behind
 *   `DNS:` or `IP:`
 *
 * Permits @text. A DNS entry covers the name itself and every name below
 * it, as RFC 5280 defines; the leading dot is only for display.
 */
gboolean
vouch_name_constraints_add (VouchNameConstraints  *self,
                            const char            *text,
                            GError               **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *dns = NULL;
  const char *value;
  gnutls_datum_t datum;
  int ret;

  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  stripped = g_strstrip (g_strdup (text));
  value = stripped;
  if (g_ascii_strncasecmp (value, "DNS:", 4) == 0 || g_ascii_strncasecmp (value, "IP:", 3) == 0)
    value = strchr (value, ':') + 1;

  if (strchr (value, '/') != NULL || g_hostname_is_ip_address (value))
    {
      g_autoptr(GInetAddressMask) mask = NULL;
      g_autoptr(GError) local_error = NULL;

      mask = g_inet_address_mask_new_from_string (value, &local_error);
      if (mask == NULL)
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                       _("“%s” is not a valid address range: %s"), value, local_error->message);
          return FALSE;
        }
      return add_subnet (self, mask, error);
    }

  while (*value == '.')
    value++;

  dns = vouch_names_normalize_dns (value, FALSE, error);
  if (dns == NULL)
    return FALSE;

  datum.data = (unsigned char *)dns;
  datum.size = (unsigned int)strlen (dns);
  ret = gnutls_x509_name_constraints_add_permitted (self->nc, GNUTLS_SAN_DNSNAME, &datum);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                                   _("The name cannot be added"));

  g_ptr_array_add (self->permitted, g_strconcat (".", dns, NULL));
  return TRUE;
}

gboolean
vouch_name_constraints_get_unconstrained (VouchNameConstraints *self)
{
  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (self), FALSE);
  return self->unconstrained;
}

void
vouch_name_constraints_set_unconstrained (VouchNameConstraints *self,
                                          gboolean              unconstrained)
{
  g_return_if_fail (VOUCH_IS_NAME_CONSTRAINTS (self));

  unconstrained = !!unconstrained;
  if (self->unconstrained != unconstrained)
    {
      self->unconstrained = unconstrained;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNCONSTRAINED]);
    }
}

/**
 * vouch_name_constraints_dup_permitted:
 *
 * Returns: (transfer full): the permitted names and ranges, for display
 */
char **
vouch_name_constraints_dup_permitted (VouchNameConstraints *self)
{
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (self), NULL);

  builder = g_strv_builder_new ();
  if (!self->unconstrained)
    {
      for (guint i = 0; i < self->permitted->len; i++)
        g_strv_builder_add (builder, g_ptr_array_index (self->permitted, i));
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

gboolean
vouch_name_constraints_apply (VouchNameConstraints  *self,
                              gnutls_x509_crt_t      crt,
                              GError               **error)
{
  int ret;

  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (self), FALSE);

  if (self->unconstrained)
    return TRUE;

  if (self->permitted->len == 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("A constrained root needs at least one permitted name or address range"));
      return FALSE;
    }

  /* Critical, so a client that does not understand the extension refuses
   * the chain instead of ignoring the limit. */
  ret = gnutls_x509_crt_set_name_constraints (crt, self->nc, 1);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                   _("Could not set the name constraints"));
  return TRUE;
}

/**
 * vouch_name_constraints_permits:
 * @name: a normalized DNS name (wildcards allowed) or an IP address
 *
 * Returns: whether a certificate for @name would validate under a root
 *   with these constraints
 */
gboolean
vouch_name_constraints_permits (VouchNameConstraints *self,
                                const char           *name)
{
  g_autoptr(GInetAddress) address = NULL;
  gnutls_datum_t datum;

  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (self->unconstrained)
    return TRUE;

  address = g_inet_address_new_from_string (name);
  if (address != NULL)
    {
      datum.data = (unsigned char *)g_inet_address_to_bytes (address);
      datum.size = (unsigned int)g_inet_address_get_native_size (address);
      return gnutls_x509_name_constraints_check (self->nc, GNUTLS_SAN_IPADDRESS, &datum) != 0;
    }

  datum.data = (unsigned char *)name;
  datum.size = (unsigned int)strlen (name);
  return gnutls_x509_name_constraints_check (self->nc, GNUTLS_SAN_DNSNAME, &datum) != 0;
}

/**
 * vouch_name_constraints_describe:
 *
 * Returns: (transfer full): a one-line summary such as
 *   “.local, .lan, 10.0.0.0/8”, or a plain note for an unconstrained root
 */
char *
vouch_name_constraints_describe (VouchNameConstraints *self)
{
  g_auto(GStrv) permitted = NULL;

  g_return_val_if_fail (VOUCH_IS_NAME_CONSTRAINTS (self), NULL);

  if (self->unconstrained)
    return g_strdup (_("none: this root can sign for any name"));

  permitted = vouch_name_constraints_dup_permitted (self);
  return g_strjoinv (", ", permitted);
}
