/* vouch-onboarding-manufacturer.c: devices verified by their maker's
 * root (IEEE 802.1AR IDevID style) instead of a setup code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-onboarding.h"
#include "vouch-onboarding-private.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

#define MANUFACTURER_FILE "manufacturer-roots.pem"

static char *
manufacturer_path (VouchOnboarding *self)
{
  VouchAuthority *authority = vouch_onboarding_get_authority (self);

  return g_build_filename (vouch_authority_get_data_dir (authority), MANUFACTURER_FILE, NULL);
}

/**
 * vouch_onboarding_add_manufacturer_root:
 * @pem: one CA certificate
 *
 * Trusts a device maker's root for verification without a setup code:
 * devices whose TLS certificate chains to it (IEEE 802.1AR IDevID style)
 * are verified by that chain.
 */
gboolean
vouch_onboarding_add_manufacturer_root (VouchOnboarding  *self,
                                        GBytes           *pem,
                                        GError          **error)
{
  g_autofree char *path = manufacturer_path (self);
  g_autofree char *existing = NULL;
  g_autofree char *combined = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  VouchInventory *inventory;
  gsize len = 0;
  const char *data = g_bytes_get_data (pem, &len);

  cert = vouch_certificate_new_from_pem (data, (gssize)len, error);
  if (cert == NULL)
    return FALSE;
  if (!vouch_certificate_get_is_ca (cert))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_A_CA,
                   _("“%s” is not a certificate authority"), vouch_certificate_get_subject (cert));
      return FALSE;
    }

  if (!g_file_get_contents (path, &existing, NULL, NULL))
    existing = g_strdup ("");
  combined = g_strconcat (existing, vouch_certificate_get_pem (cert), NULL);
  if (!vouch_write_file_atomic (path, combined, strlen (combined), 0644, error))
    return FALSE;

  inventory = vouch_authority_get_inventory (vouch_onboarding_get_authority (self));
  return vouch_inventory_append_audit (inventory, "manufacturer-root-imported", NULL, NULL, NULL,
                                       error);
}

gboolean
_vouch_onboarding_chains_to_manufacturer (VouchOnboarding  *self,
                                          GTlsCertificate  *served,
                                          GError          **error)
{
  g_autofree char *path = manufacturer_path (self);
  g_autofree char *pem = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  GTlsCertificateFlags flags;

  if (!g_file_get_contents (path, &pem, NULL, NULL))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_VERIFIED,
                   _("Enter the device's setup code: no manufacturer root has been imported"));
      return FALSE;
    }

  /* GIO's own verification: only the manufacturer roots are trusted. */
  database = g_tls_file_database_new (path, error);
  if (database == NULL)
    return FALSE;

  flags = g_tls_database_verify_chain (database, served, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       NULL, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, error);
  if (flags != 0)
    {
      g_clear_error (error);
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_VERIFIED,
                   _("The device's certificate does not chain to an imported manufacturer root; "
                     "enter its setup code instead"));
      return FALSE;
    }

  return TRUE;
}
