/* vouch-signing-policy-names.c
 *
 * The names a CSR asks for: its subject alternative names as it writes
 * them, the operator's removals and additions, and the common name when
 * the request lists no other. Split from vouch-signing-policy.c, which
 * runs the checks in order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-signing-policy"

#include "vouch-config.h"

#include "vouch-signing-policy-private.h"

#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/x509-ext.h>
#include <string.h>

gboolean
_vouch_signing_policy_add_name (GPtrArray   *names,
                                GHashTable  *seen,
                                const char  *name,
                                GError     **error)
{
  g_autofree char *normal = vouch_names_normalize (name, error);

  if (normal == NULL)
    return FALSE;

  if (!g_hash_table_contains (seen, normal))
    {
      g_hash_table_add (seen, g_strdup (normal));
      g_ptr_array_add (names, g_steal_pointer (&normal));
    }

  return TRUE;
}

/* A name as the request writes it, before any check: the operator may
 * leave out any of them, however it looks, before the rest are checked. */
typedef struct
{
  unsigned int  type;
  /* NULL for a kind of name that has no text form here. */
  char         *text;
} RawName;

static void
raw_name_clear (RawName *raw)
{
  g_clear_pointer (&raw->text, g_free);
}

static GArray *
raw_names_new (void)
{
  GArray *raw = g_array_new (FALSE, TRUE, sizeof (RawName));

  g_array_set_clear_func (raw, (GDestroyNotify)raw_name_clear);
  return raw;
}

static void
add_raw_name (GArray       *raw,
              unsigned int  type,
              const guint8 *data,
              size_t        size)
{
  RawName name = { type, NULL };

  if (type == GNUTLS_SAN_IPADDRESS && (size == 4 || size == 16))
    {
      g_autoptr(GInetAddress) address = NULL;

      address = g_inet_address_new_from_bytes (data, size == 4 ? G_SOCKET_FAMILY_IPV4
                                                               : G_SOCKET_FAMILY_IPV6);
      name.text = g_inet_address_to_string (address);
    }
  else if (type == GNUTLS_SAN_DNSNAME || type == GNUTLS_SAN_RFC822NAME || type == GNUTLS_SAN_URI)
    name.text = g_strndup ((const char *)data, size);
  else
    name.type = G_MAXUINT;

  /* A DNS name with a NUL byte cannot be told apart from a shorter one. */
  if (type == GNUTLS_SAN_DNSNAME && memchr (data, '\0', size) != NULL)
    name.type = G_MAXUINT - 1;

  g_array_append_val (raw, name);
}

/* Adds one name the request asks for, or says why it cannot have it. */
static gboolean
add_csr_name (VouchSigningPolicy  *self,
              GPtrArray           *names,
              GHashTable          *seen,
              const RawName       *raw,
              GError             **error)
{
  if (raw->type == G_MAXUINT - 1)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME,
                   _("A DNS name in the request contains a NUL byte"));
      return FALSE;
    }

  if (raw->type == GNUTLS_SAN_DNSNAME || raw->type == GNUTLS_SAN_IPADDRESS)
    {
      if (!_vouch_signing_policy_add_name (names, seen, raw->text, error))
        return FALSE;
    }
  else
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME,
                   _("The request names something other than a host name or an IP "
                     "address (%s); Vouch certifies DNS names and addresses only"),
                   raw->type == GNUTLS_SAN_RFC822NAME ? _("an e-mail address")
                   : raw->type == GNUTLS_SAN_URI      ? _("a URI")
                                                      : _("another kind of name"));
      return FALSE;
    }

  if (names->len > self->max_names)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_TOO_MANY_NAMES,
                   _("The request has more than %u names; split it or remove some"),
                   self->max_names);
      return FALSE;
    }

  return TRUE;
}

/* Adds every name left in @raw, or says why one cannot be certified. */
gboolean
_vouch_signing_policy_add_raw_names (VouchSigningPolicy  *self,
                                     GPtrArray           *names,
                                     GHashTable          *seen,
                                     const GArray        *raw,
                                     GError             **error)
{
  for (guint i = 0; i < raw->len; i++)
    {
      if (!add_csr_name (self, names, seen, &g_array_index (raw, RawName, i), error))
        return FALSE;
    }

  return TRUE;
}

/* Whether the operator's @remove (normalized: @remove_normal, if it is a
 * valid name at all) names @raw: as written, or as the same host. */
static gboolean
raw_name_matches (const RawName *raw,
                  const char    *remove,
                  const char    *remove_normal)
{
  g_autofree char *normal = NULL;

  if (raw->text == NULL)
    return FALSE;
  if (strcmp (raw->text, remove) == 0)
    return TRUE;
  if (remove_normal == NULL ||
      (raw->type != GNUTLS_SAN_DNSNAME && raw->type != GNUTLS_SAN_IPADDRESS))
    return FALSE;

  normal = vouch_names_normalize (raw->text, NULL);
  return g_strcmp0 (normal, remove_normal) == 0;
}

/* Leaves out every name the operator removes. A name the request does not
 * carry must still be a valid one, so a typing mistake is caught. */
gboolean
_vouch_signing_policy_remove_raw_names (GArray              *raw,
                                        const char * const  *remove_names,
                                        GError             **error)
{
  for (guint i = 0; remove_names != NULL && remove_names[i] != NULL; i++)
    {
      g_autofree char *normal = vouch_names_normalize (remove_names[i], NULL);
      gboolean found = FALSE;

      for (guint j = raw->len; j > 0; j--)
        {
          if (raw_name_matches (&g_array_index (raw, RawName, j - 1), remove_names[i], normal))
            {
              g_array_remove_index (raw, j - 1);
              found = TRUE;
            }
        }

      /* Normalizing again, for the error that says what is wrong. */
      if (!found && normal == NULL)
        {
          g_free (vouch_names_normalize (remove_names[i], error));
          return FALSE;
        }
    }

  return TRUE;
}

/* Bounded: a request with absurdly many names is refused anyway. */
static unsigned int
max_alt_names (VouchSigningPolicy *self)
{
  return self->max_names * 4 + 8;
}

/* The reference path: one gnutls_x509_crq_get_subject_alt_name() call per
 * name, each decoding the request's extensions again. It defines what
 * every odd or damaged extension is told. */
static gboolean
collect_names_one_by_one (VouchSigningPolicy  *self,
                          gnutls_x509_crq_t    crq,
                          GArray              *raw,
                          GError             **error)
{
  for (unsigned int seq = 0; seq <= max_alt_names (self); seq++)
    {
      char buf[1024];
      size_t size = sizeof buf - 1;
      unsigned int type = 0;
      int ret;

      ret = gnutls_x509_crq_get_subject_alt_name (crq, seq, buf, &size, &type, NULL);
      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        return TRUE;
      if (ret < 0)
        {
          g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME,
                       _("A subject alternative name cannot be read (%s)"), gnutls_strerror (ret));
          return FALSE;
        }

      add_raw_name (raw, type, (const guint8 *)buf, size);
    }

  g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_TOO_MANY_NAMES,
               _("The request has more than %u names; split it or remove some"), self->max_names);
  return FALSE;
}

/* Decodes the subject alternative name extension once, read at
 * @san_index when the caller listed the extensions (the first one with
 * its OID, which is what the lookup by OID finds). Returns FALSE when
 * it is absent or anything about it is unusual: a decoding error, or a
 * name too long for collect_names_one_by_one()'s buffer. The caller then
 * takes the reference path, so odd requests get exactly its errors. */
static gboolean
decode_alt_names (gnutls_x509_crq_t            crq,
                  int                          san_index,
                  gnutls_subject_alt_names_t  *out_sans)
{
  gnutls_subject_alt_names_t sans = NULL;
  gnutls_datum_t ext = { NULL, 0 };
  gboolean ok;

  ok = (san_index >= 0
          ? gnutls_x509_crq_get_extension_data2 (crq, (unsigned int)san_index, &ext)
          : gnutls_x509_crq_get_extension_by_oid2 (crq, GNUTLS_X509EXT_OID_SAN, 0, &ext,
                                                   NULL)) >= 0 &&
       gnutls_subject_alt_names_init (&sans) >= 0 &&
       gnutls_x509_ext_import_subject_alt_names (&ext, sans, 0) >= 0;
  gnutls_free (ext.data);

  for (unsigned int i = 0; ok; i++)
    {
      gnutls_datum_t san = { NULL, 0 };
      unsigned int type = 0;
      int ret = gnutls_subject_alt_names_get (sans, i, &type, &san, NULL);

      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      /* The reference path reads a name into 1,023 bytes, with room for
       * a terminating NUL. */
      ok = ret >= 0 && san.size < 1023;
    }

  if (!ok)
    {
      g_clear_pointer (&sans, gnutls_subject_alt_names_deinit);
      return FALSE;
    }

  *out_sans = sans;
  return TRUE;
}

/* A request known to carry no subject alternative name extension has
 * none to collect: the reference path would find none either. */
static gboolean
collect_names (VouchSigningPolicy  *self,
               gnutls_x509_crq_t    crq,
               int                  san_index,
               GArray              *raw,
               GError             **error)
{
  gnutls_subject_alt_names_t sans = NULL;
  gboolean ok = TRUE;

  if (san_index == VOUCH_SAN_INDEX_NONE)
    return TRUE;
  if (!decode_alt_names (crq, san_index, &sans))
    return collect_names_one_by_one (self, crq, raw, error);

  for (unsigned int seq = 0; ok; seq++)
    {
      gnutls_datum_t san = { NULL, 0 };
      unsigned int type = 0;

      if (seq > max_alt_names (self))
        {
          g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_TOO_MANY_NAMES,
                       _("The request has more than %u names; split it or remove some"),
                       self->max_names);
          ok = FALSE;
        }
      else if (gnutls_subject_alt_names_get (sans, seq, &type, &san, NULL) < 0)
        break;
      else
        add_raw_name (raw, type, san.data, san.size);
    }

  gnutls_subject_alt_names_deinit (sans);
  return ok;
}

char *
_vouch_signing_policy_dup_common_name (gnutls_x509_crq_t crq)
{
  char buf[256];
  size_t size = sizeof buf - 1;

  if (gnutls_x509_crq_get_dn_by_oid (crq, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size) < 0)
    return NULL;

  buf[size] = '\0';
  return g_strdup (buf);
}

/* @common_normal: @common_name normalized, or NULL when it is no valid
 * name */
static gboolean
common_name_is_alt_name (const char   *common_name,
                         const char   *common_normal,
                         const GArray *raw)
{
  for (guint i = 0; i < raw->len; i++)
    {
      if (raw_name_matches (&g_array_index (raw, RawName, i), common_name, common_normal))
        return TRUE;
    }
  return FALSE;
}

static char *
common_name_notice (const char *common_name)
{
  g_autofree char *shown = vouch_text_sanitize (common_name, -1, VOUCH_TEXT_MAX_NAME);

  return g_strdup_printf (_("The common name “%s” is not certified: the request lists "
                            "subject alternative names, and browsers read only those"), shown);
}

/* The names the request asks for, as it writes them. Browsers read only
 * the subject alternative names, and devices put a short host name, a
 * serial number or a model in the common name; so the common name is a
 * name to certify only in a request without any, and otherwise
 * @out_notice says it is left out. */
GArray *
_vouch_signing_policy_collect_requested_names (VouchSigningPolicy  *self,
                                               gnutls_x509_crq_t    crq,
                                               int                  san_index,
                                               const char          *common_name,
                                               char               **out_notice,
                                               GError             **error)
{
  g_autoptr(GArray) raw = raw_names_new ();
  g_autofree char *common_normal = NULL;

  if (!collect_names (self, crq, san_index, raw, error))
    return NULL;

  common_normal = common_name != NULL ? vouch_names_normalize (common_name, NULL) : NULL;
  if (raw->len == 0 && common_normal != NULL)
    add_raw_name (raw, GNUTLS_SAN_DNSNAME, (const guint8 *)common_name, strlen (common_name));
  else if (raw->len > 0 && common_name != NULL && *common_name != '\0' &&
           !common_name_is_alt_name (common_name, common_normal, raw) && out_notice != NULL)
    *out_notice = common_name_notice (common_name);

  return g_steal_pointer (&raw);
}

/**
 * vouch_signing_policy_dup_requested_names:
 * @data: the CSR, PEM or DER
 *
 * The names a CSR asks for, exactly as it writes them, valid or not, so
 * the operator can see and remove each one; only the parts of
 * vouch_signing_policy_check() that read the request are run.
 *
 * Returns: (transfer full): the names, or %NULL with the policy's error
 */
char **
vouch_signing_policy_dup_requested_names (VouchSigningPolicy  *self,
                                          const guint8        *data,
                                          gsize                len,
                                          GError             **error)
{
  g_auto(gnutls_x509_crq_t) crq = NULL;
  g_autoptr(GArray) raw = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *common_name = NULL;

  g_return_val_if_fail (VOUCH_IS_SIGNING_POLICY (self), NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  crq = _vouch_signing_policy_import_crq (self, data, len, error);
  if (crq == NULL)
    return NULL;
  common_name = _vouch_signing_policy_dup_common_name (crq);
  raw = _vouch_signing_policy_collect_requested_names (self, crq, VOUCH_SAN_INDEX_UNKNOWN,
                                                       common_name, NULL, error);
  if (raw == NULL)
    return NULL;

  for (guint i = 0; i < raw->len; i++)
    {
      const RawName *name = &g_array_index (raw, RawName, i);

      if (name->text != NULL)
        g_strv_builder_add (builder, name->text);
    }
  return g_strv_builder_end (builder);
}
