/* vouch-manufacturer-roots.c
 *
 * The roots of device makers the operator trusts: a device whose TLS
 * certificate chains to one (IEEE 802.1AR IDevID style) is verified
 * without a setup code. They are kept as one PEM file in Vouch's data
 * folder, written atomically, so the app and vouchctl see the same roots
 * and GIO's own file database can verify against exactly them. The list
 * is a GListModel of VouchCertificate, for the UI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-manufacturer-roots.h"

#include "vouch-error.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>

#define MANUFACTURER_FILE "manufacturer-roots.pem"
/* A maker's root is one certificate: a file far larger is something else. */
#define MAX_FILE_SIZE (256 * 1024)
#define MAX_ROOTS 256

struct _VouchManufacturerRoots
{
  GObject         parent_instance;

  char           *path;
  VouchInventory *inventory;
  GPtrArray      *roots;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VouchManufacturerRoots, vouch_manufacturer_roots, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return VOUCH_TYPE_CERTIFICATE;
}

static guint
get_n_items (GListModel *model)
{
  return VOUCH_MANUFACTURER_ROOTS (model)->roots->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  VouchManufacturerRoots *self = VOUCH_MANUFACTURER_ROOTS (model);

  if (position >= self->roots->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->roots, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
vouch_manufacturer_roots_finalize (GObject *object)
{
  VouchManufacturerRoots *self = (VouchManufacturerRoots *)object;

  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->inventory);
  g_clear_pointer (&self->roots, g_ptr_array_unref);

  G_OBJECT_CLASS (vouch_manufacturer_roots_parent_class)->finalize (object);
}

static void
vouch_manufacturer_roots_class_init (VouchManufacturerRootsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vouch_manufacturer_roots_finalize;
}

static void
vouch_manufacturer_roots_init (VouchManufacturerRoots *self)
{
  self->roots = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * vouch_manufacturer_roots_new:
 * @data_dir: Vouch's data folder
 * @inventory: (nullable): where imports and removals are recorded
 *
 * Returns: (transfer full): an empty list; call
 *   vouch_manufacturer_roots_load() to read the roots
 */
VouchManufacturerRoots *
vouch_manufacturer_roots_new (const char     *data_dir,
                              VouchInventory *inventory)
{
  VouchManufacturerRoots *self;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (VOUCH_TYPE_MANUFACTURER_ROOTS, NULL);
  self->path = g_build_filename (data_dir, MANUFACTURER_FILE, NULL);
  self->inventory = inventory != NULL ? g_object_ref (inventory) : NULL;
  return self;
}

/**
 * vouch_manufacturer_roots_new_for_authority:
 * @authority: whose data folder holds the roots, and whose inventory
 *   records imports and removals
 *
 * The roots the app, vouchctl and onboarding all read and edit.
 *
 * Returns: (transfer full): an empty list; call
 *   vouch_manufacturer_roots_load() to read the roots
 */
VouchManufacturerRoots *
vouch_manufacturer_roots_new_for_authority (VouchAuthority *authority)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (authority), NULL);

  return vouch_manufacturer_roots_new (vouch_authority_get_data_dir (authority),
                                       vouch_authority_get_inventory (authority));
}

/* Every certificate in @data, PEM (any number) or DER (one). */
static GPtrArray *
parse_certificates (const char  *data,
                    gsize        len,
                    GError     **error)
{
  g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func (g_object_unref);
  gnutls_datum_t datum = { (unsigned char *)data, (unsigned int)len };
  gnutls_x509_crt_t *list = NULL;
  unsigned int n = 0;
  int ret;

  if (len > MAX_FILE_SIZE)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The file is larger than %d KiB; a manufacturer root is one certificate"),
                   MAX_FILE_SIZE / 1024);
      return NULL;
    }

  ret = gnutls_x509_crt_list_import2 (&list, &n, &datum, GNUTLS_X509_FMT_PEM, 0);
  if (ret < 0)
    ret = gnutls_x509_crt_list_import2 (&list, &n, &datum, GNUTLS_X509_FMT_DER, 0);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_INVALID_INPUT, ret,
                              _("The file holds no certificate, in PEM or DER"));
      return NULL;
    }

  for (unsigned int i = 0; i < n; i++)
    {
      VouchCertificate *cert = NULL;

      if (error == NULL || *error == NULL)
        cert = vouch_certificate_new_from_crt (list[i], error);
      if (cert != NULL)
        g_ptr_array_add (certs, cert);
      gnutls_x509_crt_deinit (list[i]);
    }
  gnutls_free (list);

  if (certs->len != n)
    return NULL;
  return g_steal_pointer (&certs);
}

static void
replace_roots (VouchManufacturerRoots *self,
               GPtrArray              *roots)
{
  guint removed = self->roots->len;

  g_ptr_array_unref (self->roots);
  self->roots = g_ptr_array_ref (roots);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, roots->len);
}

/**
 * vouch_manufacturer_roots_load:
 *
 * Reads the roots again; none is imported when there is no file.
 */
gboolean
vouch_manufacturer_roots_load (VouchManufacturerRoots  *self,
                               GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (VOUCH_IS_MANUFACTURER_ROOTS (self), FALSE);

  if (!g_file_get_contents (self->path, &contents, &len, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      roots = g_ptr_array_new_with_free_func (g_object_unref);
    }
  else if ((roots = parse_certificates (contents, len, error)) == NULL)
    {
      g_prefix_error (error, _("The manufacturer roots in %s cannot be read: "), self->path);
      return FALSE;
    }

  replace_roots (self, roots);
  return TRUE;
}

static gboolean
save (VouchManufacturerRoots  *self,
      GPtrArray               *roots,
      GError                 **error)
{
  g_autoptr(GString) pem = g_string_new (NULL);

  /* No file at all, rather than an empty one GIO could not load. */
  if (roots->len == 0)
    {
      if (g_unlink (self->path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Could not remove %s: %s"), self->path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  for (guint i = 0; i < roots->len; i++)
    g_string_append (pem, vouch_certificate_get_pem (g_ptr_array_index (roots, i)));
  return vouch_write_file_atomic (self->path, pem->str, pem->len, 0644, error);
}

static void
audit (VouchManufacturerRoots *self,
       const char             *event,
       VouchCertificate       *root)
{
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GError) error = NULL;

  if (self->inventory == NULL)
    return;
  subject = vouch_manufacturer_roots_dup_subject (root);
  detail = g_strdup_printf ("%s (SHA-256 %s)", subject, vouch_certificate_get_sha256 (root));
  if (!vouch_inventory_append_audit (self->inventory, event, NULL, NULL, detail, &error))
    g_warning ("Could not record %s: %s", event, error->message);
}

/* Fingerprints are compared as hex digits alone, in any case, so one
 * copied with or without colons matches. */
static char *
fingerprint_key (const char *fingerprint)
{
  GString *key = g_string_new (NULL);

  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (key, g_ascii_tolower (*p));
      else if (*p != ':' && *p != ' ')
        {
          g_string_free (key, TRUE);
          return NULL;
        }
    }
  return g_string_free (key, FALSE);
}

static guint
find_index (VouchManufacturerRoots *self,
            const char             *fingerprint)
{
  g_autofree char *key = fingerprint_key (fingerprint);

  for (guint i = 0; key != NULL && i < self->roots->len; i++)
    {
      g_autofree char *other = fingerprint_key (vouch_certificate_get_sha256 (g_ptr_array_index (self->roots, i)));

      if (g_strcmp0 (key, other) == 0)
        return i;
    }
  return G_MAXUINT;
}

/**
 * vouch_manufacturer_roots_find:
 * @fingerprint: a SHA-256 fingerprint, with or without colons
 *
 * Returns: (transfer none) (nullable): the imported root with it
 */
VouchCertificate *
vouch_manufacturer_roots_find (VouchManufacturerRoots *self,
                               const char             *fingerprint)
{
  guint index;

  g_return_val_if_fail (VOUCH_IS_MANUFACTURER_ROOTS (self), NULL);
  g_return_val_if_fail (fingerprint != NULL, NULL);

  index = find_index (self, fingerprint);
  return index != G_MAXUINT ? g_ptr_array_index (self->roots, index) : NULL;
}

/**
 * vouch_manufacturer_roots_add:
 * @data: one CA certificate, PEM or DER
 *
 * Trusts a device maker's root: devices whose TLS certificate chains to
 * it are verified by that chain. Adding a root already imported changes
 * nothing and returns it.
 *
 * Returns: (transfer full): the root, or %NULL with an error that says
 *   what is wrong with @data
 */
VouchCertificate *
vouch_manufacturer_roots_add (VouchManufacturerRoots  *self,
                              GBytes                  *data,
                              GError                 **error)
{
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  VouchCertificate *cert;
  VouchCertificate *existing;
  gsize len = 0;
  const char *bytes;

  g_return_val_if_fail (VOUCH_IS_MANUFACTURER_ROOTS (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  bytes = g_bytes_get_data (data, &len);
  certs = parse_certificates (bytes, len, error);
  if (certs == NULL)
    return NULL;
  if (certs->len != 1)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The file holds %u certificates; import the manufacturer's root alone"),
                   certs->len);
      return NULL;
    }
  cert = g_ptr_array_index (certs, 0);

  if (!vouch_certificate_get_is_ca (cert))
    {
      g_autofree char *subject = vouch_manufacturer_roots_dup_subject (cert);

      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_A_CA,
                   _("“%s” is not a certificate authority, so it cannot be a manufacturer root"),
                   subject);
      return NULL;
    }

  /* Another program may have changed the list since it was read. */
  if (!vouch_manufacturer_roots_load (self, error))
    return NULL;

  existing = vouch_manufacturer_roots_find (self, vouch_certificate_get_sha256 (cert));
  if (existing != NULL)
    return g_object_ref (existing);

  if (self->roots->len >= MAX_ROOTS)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("Vouch keeps at most %d manufacturer roots; remove one first"), MAX_ROOTS);
      return NULL;
    }

  roots = g_ptr_array_copy (self->roots, (GCopyFunc)(void (*) (void))g_object_ref, NULL);
  g_ptr_array_set_free_func (roots, g_object_unref);
  g_ptr_array_add (roots, g_object_ref (cert));
  if (!save (self, roots, error))
    return NULL;

  replace_roots (self, roots);
  audit (self, "manufacturer-root-imported", cert);
  return g_object_ref (cert);
}

/**
 * vouch_manufacturer_roots_remove:
 * @fingerprint: the root's SHA-256 fingerprint, with or without colons
 *
 * Stops trusting a maker's root. Devices it verified stay verified; the
 * next device that offers it is asked for its setup code.
 */
gboolean
vouch_manufacturer_roots_remove (VouchManufacturerRoots  *self,
                                 const char              *fingerprint,
                                 GError                 **error)
{
  g_autoptr(GPtrArray) roots = NULL;
  g_autoptr(VouchCertificate) removed = NULL;
  guint index;

  g_return_val_if_fail (VOUCH_IS_MANUFACTURER_ROOTS (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  if (!vouch_manufacturer_roots_load (self, error))
    return FALSE;

  index = find_index (self, fingerprint);
  if (index == G_MAXUINT)
    {
      g_autofree char *shown = vouch_text_sanitize (fingerprint, -1, VOUCH_TEXT_MAX_LINE);

      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("No imported manufacturer root has the fingerprint %s"), shown);
      return FALSE;
    }

  roots = g_ptr_array_copy (self->roots, (GCopyFunc)(void (*) (void))g_object_ref, NULL);
  g_ptr_array_set_free_func (roots, g_object_unref);
  removed = g_object_ref (g_ptr_array_index (roots, index));
  g_ptr_array_remove_index (roots, index);
  if (!save (self, roots, error))
    return FALSE;

  replace_roots (self, roots);
  audit (self, "manufacturer-root-removed", removed);
  return TRUE;
}

/**
 * vouch_manufacturer_roots_verify:
 * @served: the certificate (with its chain) a device presents over TLS
 *
 * Returns: whether @served chains to an imported manufacturer root, as
 *   GIO's own verification finds; if not, an error that tells the
 *   operator to use the setup code
 */
gboolean
vouch_manufacturer_roots_verify (VouchManufacturerRoots  *self,
                                 GTlsCertificate         *served,
                                 GError                 **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  GTlsCertificateFlags flags;

  g_return_val_if_fail (VOUCH_IS_MANUFACTURER_ROOTS (self), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (served), FALSE);

  if (!vouch_manufacturer_roots_load (self, error))
    return FALSE;
  if (self->roots->len == 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_NOT_VERIFIED,
                   _("Enter the device's setup code: no manufacturer root has been imported"));
      return FALSE;
    }

  /* Only the manufacturer roots are trusted. */
  database = g_tls_file_database_new (self->path, error);
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

/**
 * vouch_manufacturer_roots_dup_subject:
 * @root: a manufacturer's root
 *
 * A root comes from a file someone else made: its subject is shown as
 * device text is.
 *
 * Returns: (transfer full): the subject, safe to show
 */
char *
vouch_manufacturer_roots_dup_subject (VouchCertificate *root)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (root), NULL);

  return vouch_text_sanitize (vouch_certificate_get_subject (root), -1, VOUCH_TEXT_MAX_LINE);
}
