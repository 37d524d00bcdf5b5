/* vouch-manual-driver.c: the guided path for a device that has only its
 * own web page
 *
 * There is no API to call: the CSR is what the device's page produced
 * (the operator brings it as a file or pasted text), and the chain is
 * saved in the format the page asks for (PEM, DER or PKCS#7) for the
 * operator to upload. Identity and confirmation still go over the
 * network: the device's TLS key is what the operator compares (its
 * fingerprint) and what the new certificate must come back with, as for
 * any driver. Devices that cannot make a key at all are served by
 * vouch-key-bundle.c (Vouch makes the key and hands over a PKCS#12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-manual-driver"

#include "vouch-config.h"

#include "vouch-manual-driver.h"

#include "vouch-device-driver-private.h"
#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/pkcs7.h>

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs7_t, gnutls_pkcs7_deinit, NULL)

/* A chain is a leaf and a root; a few more is still a chain. */
#define MAX_CHAIN 8

struct _VouchManualDriver
{
  VouchDeviceDriver parent_instance;

  char *csr_pem;
  char *chain_path;
  char *chain_format;
};

G_DEFINE_FINAL_TYPE (VouchManualDriver, vouch_manual_driver, VOUCH_TYPE_DEVICE_DRIVER)

static const VouchDriverInfo info = {
  .id = "manual",
  .title = N_("By hand"),
  /* whatever the device's page makes; the signing policy still checks it */
  .key_types = NULL,
  .name_kinds = VOUCH_DRIVER_NAMES_DNS | VOUCH_DRIVER_NAMES_IP,
  .credentials = VOUCH_DRIVER_CREDENTIALS_NONE,
  .identity = VOUCH_DRIVER_IDENTITY_FINGERPRINT | VOUCH_DRIVER_IDENTITY_MANUFACTURER,
  .csr_challenge = FALSE,
  .by_hand = TRUE,
};

static void
vouch_manual_driver_finalize (GObject *object)
{
  VouchManualDriver *self = (VouchManualDriver *)object;

  g_clear_pointer (&self->csr_pem, g_free);
  g_clear_pointer (&self->chain_path, g_free);
  g_clear_pointer (&self->chain_format, g_free);

  G_OBJECT_CLASS (vouch_manual_driver_parent_class)->finalize (object);
}

/**
 * vouch_manual_driver_set_csr:
 * @csr_pem: (nullable): the CSR the device's page produced
 */
void
vouch_manual_driver_set_csr (VouchManualDriver *self,
                             const char        *csr_pem)
{
  g_return_if_fail (VOUCH_IS_MANUAL_DRIVER (self));
  vouch_set_str (&self->csr_pem, csr_pem);
}

static gboolean
check_format (const char  *format,
              GError     **error)
{
  static const char * const formats[] = { "pem", "der", "pkcs7", NULL };

  if (g_strv_contains (formats, format))
    return TRUE;

  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
               _("“%s” is not a chain format Vouch writes; use pem, der or pkcs7"), format);
  return FALSE;
}

/**
 * vouch_manual_driver_set_chain_output:
 * @path: (nullable): where to save the chain
 * @format: (nullable): "pem" (the default), "der" (the leaf alone, as
 *   DER holds one certificate) or "pkcs7" (the chain in a DER PKCS#7
 *   bundle, `.p7b`)
 */
gboolean
vouch_manual_driver_set_chain_output (VouchManualDriver  *self,
                                      const char         *path,
                                      const char         *format,
                                      GError            **error)
{
  g_return_val_if_fail (VOUCH_IS_MANUAL_DRIVER (self), FALSE);

  if (format == NULL)
    format = "pem";
  if (!check_format (format, error))
    return FALSE;

  vouch_set_str (&self->chain_path, path);
  vouch_set_str (&self->chain_format, format);
  return TRUE;
}

static gboolean
import_chain (const char          *chain_pem,
              gnutls_x509_crt_t  **crts,
              unsigned int        *n_crts,
              GError             **error)
{
  gnutls_datum_t datum = { (unsigned char *)chain_pem, strlen (chain_pem) };
  int ret;

  ret = gnutls_x509_crt_list_import2 (crts, n_crts, &datum, GNUTLS_X509_FMT_PEM,
                                      GNUTLS_X509_CRT_LIST_FAIL_IF_UNSORTED);
  if (ret < 0 || *n_crts == 0 || *n_crts > MAX_CHAIN)
    {
      if (ret >= 0)
        {
          for (unsigned int i = 0; i < *n_crts; i++)
            gnutls_x509_crt_deinit ((*crts)[i]);
          gnutls_free (*crts);
        }
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The chain to export is not a list of PEM certificates"));
      return FALSE;
    }

  return TRUE;
}

static GBytes *
export_pkcs7 (gnutls_x509_crt_t  *crts,
              unsigned int        n_crts,
              GError            **error)
{
  g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
  gnutls_datum_t out = { NULL, 0 };
  GBytes *bytes;
  int ret;

  ret = gnutls_pkcs7_init (&pkcs7);
  for (unsigned int i = 0; ret >= 0 && i < n_crts; i++)
    ret = gnutls_pkcs7_set_crt (pkcs7, crts[i]);
  if (ret >= 0)
    ret = gnutls_pkcs7_export2 (pkcs7, GNUTLS_X509_FMT_DER, &out);
  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                              _("Could not write the chain as PKCS#7"));
      return NULL;
    }

  bytes = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return bytes;
}

/**
 * vouch_manual_driver_export_chain:
 * @chain_pem: the leaf first, then the rest of the chain
 * @format: "pem", "der" or "pkcs7"
 *
 * Returns: (transfer full): the chain as a device's page wants it
 */
GBytes *
vouch_manual_driver_export_chain (const char  *chain_pem,
                                  const char  *format,
                                  GError     **error)
{
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n_crts = 0;
  GBytes *bytes = NULL;

  g_return_val_if_fail (chain_pem != NULL, NULL);

  if (!check_format (format, error))
    return NULL;
  if (g_str_equal (format, "pem"))
    return g_bytes_new (chain_pem, strlen (chain_pem));

  if (!import_chain (chain_pem, &crts, &n_crts, error))
    return NULL;

  if (g_str_equal (format, "der"))
    bytes = vouch_crt_export_der (crts[0]);
  else
    bytes = export_pkcs7 (crts, n_crts, error);

  if (bytes == NULL && error != NULL && *error == NULL)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO, _("Could not write the certificate"));

  for (unsigned int i = 0; i < n_crts; i++)
    gnutls_x509_crt_deinit (crts[i]);
  gnutls_free (crts);
  return bytes;
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(VouchDeviceResponse) response = NULL;
  VouchDeviceIdentity *identity;
  GError *error = NULL;

  /* Whatever the page answers, the handshake showed the key. */
  response = vouch_device_client_send_finish (VOUCH_DEVICE_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  identity = _vouch_device_driver_identity (g_task_get_source_object (task), NULL, NULL, &error);
  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, (GDestroyNotify)vouch_device_identity_free);
}

static void
vouch_manual_driver_identify_async (VouchDeviceDriver   *self,
                                    gboolean             new_connection,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vouch_manual_driver_identify_async);
  vouch_device_client_send_async (_vouch_device_driver_get_client (self), "HEAD", "/", NULL, NULL,
                                  new_connection, cancellable, page_cb, task);
}

static void
vouch_manual_driver_request_csr_async (VouchDeviceDriver     *driver,
                                       const VouchCsrRequest *request,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  VouchManualDriver *self = VOUCH_MANUAL_DRIVER (driver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vouch_manual_driver_request_csr_async);
  if (self->csr_pem == NULL)
    g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                             _("This device is onboarded by hand: bring the certificate "
                               "signing request its web page made, as a file or pasted text"));
  else
    g_task_return_pointer (task, g_strdup (self->csr_pem), g_free);
}

/* "Installing" is saving the chain for the operator to upload; the
 * confirmation afterwards says whether the device serves it. */
static void
vouch_manual_driver_install_chain_async (VouchDeviceDriver   *driver,
                                         const char          *chain_pem,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  VouchManualDriver *self = VOUCH_MANUAL_DRIVER (driver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, vouch_manual_driver_install_chain_async);
  /* Without a path the operator already has the chain (saved by an
   * earlier run, or inside a key and certificate file): only the
   * confirmation is left. */
  if (self->chain_path == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  bytes = vouch_manual_driver_export_chain (chain_pem, self->chain_format, &error);
  if (bytes == NULL ||
      !vouch_write_file_atomic (self->chain_path, g_bytes_get_data (bytes, NULL),
                                g_bytes_get_size (bytes), 0644, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
vouch_manual_driver_class_init (VouchManualDriverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  VouchDeviceDriverClass *driver_class = VOUCH_DEVICE_DRIVER_CLASS (klass);

  object_class->finalize = vouch_manual_driver_finalize;

  driver_class->info = &info;
  driver_class->identify_async = vouch_manual_driver_identify_async;
  driver_class->request_csr_async = vouch_manual_driver_request_csr_async;
  driver_class->install_chain_async = vouch_manual_driver_install_chain_async;
}

static void
vouch_manual_driver_init (VouchManualDriver *self)
{
  self->chain_format = g_strdup ("pem");
}
