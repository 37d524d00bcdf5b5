/* vouch-names.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-names.h"

#include "vouch-error.h"
#include "vouch-text.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

static gboolean
is_ldh_label (const char *label,
              gsize       len)
{
  if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (label[i]) && label[i] != '-')
        return FALSE;
    }

  return TRUE;
}

/**
 * vouch_names_normalize_dns:
 * @allow_wildcard: accept a `*` as the whole leftmost label
 *
 * Internationalized names are converted to their ASCII (punycode) form, as
 * they appear in certificates.
 *
 * Returns: (transfer full) (nullable): the lowercase name without a
 *   trailing dot, or %NULL with a message that says what is wrong
 */
char *
vouch_names_normalize_dns (const char  *name,
                           gboolean     allow_wildcard,
                           GError     **error)
{
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *shown = NULL;
  g_auto(GStrv) labels = NULL;
  guint n_labels;
  gsize len;

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME, _("A name is empty"));
      return NULL;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME,
                   _("A name is not valid text"));
      return NULL;
    }

  /* The name may come from a CSR or a device: errors quote it safely. */
  shown = vouch_text_sanitize (name, -1, VOUCH_TEXT_MAX_LINE);
  ascii = g_hostname_to_ascii (name);
  if (ascii == NULL)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME,
                   _("“%s” is not a valid host name"), shown);
      return NULL;
    }

  lower = g_ascii_strdown (ascii, -1);
  len = strlen (lower);
  if (len > 0 && lower[len - 1] == '.')
    lower[--len] = '\0';

  if (len == 0 || len > VOUCH_NAME_MAX_LENGTH)
    {
      g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME,
                   _("“%s” is not a valid host name: it must be 1 to 253 characters long"), shown);
      return NULL;
    }

  labels = g_strsplit (lower, ".", -1);
  n_labels = g_strv_length (labels);

  for (guint i = 0; i < n_labels; i++)
    {
      if (i == 0 && strcmp (labels[0], "*") == 0)
        {
          if (!allow_wildcard)
            {
              g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME,
                           _("“%s”: a wildcard is not allowed here"), shown);
              return NULL;
            }
          /* Browsers refuse “*.lan”-style wildcards that cover a whole
           * top-level domain, so Vouch does not issue them either. */
          if (n_labels < 3)
            {
              g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME,
                           _("“%s”: a wildcard must leave at least two labels, as in *.site.lan"),
                           shown);
              return NULL;
            }
          continue;
        }

      if (!is_ldh_label (labels[i], strlen (labels[i])))
        {
          g_set_error (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME,
                       _("“%s” is not a valid host name: labels use letters, digits and "
                         "hyphens, 1 to 63 characters each"), shown);
          return NULL;
        }
    }

  return g_steal_pointer (&lower);
}

gboolean
vouch_names_is_address (const char *name)
{
  return name != NULL && g_hostname_is_ip_address (name);
}

/**
 * vouch_names_normalize:
 *
 * Returns: (transfer full) (nullable): an IP address in its canonical text
 *   form, or a normalized DNS name (wildcards allowed)
 */
char *
vouch_names_normalize (const char  *name,
                       GError     **error)
{
  if (vouch_names_is_address (name))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (name);

      if (address != NULL)
        return g_inet_address_to_string (address);
    }

  return vouch_names_normalize_dns (name, TRUE, error);
}
