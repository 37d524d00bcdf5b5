/* vouch-crl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-crl.h"

#include "vouch-authority-private.h"
#include "vouch-clock.h"
#include "vouch-error.h"
#include "vouch-inventory-lifecycle.h"
#include "vouch-root-ca-private.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

/* A version 2 CRL signed by the root, listing every certificate of that
 * root the inventory has revoked, with its revocation time, a CRL number
 * (the time it was made, so numbers only grow) and the root's key
 * identifier. GnuTLS 3.7 cannot write a per-entry reasonCode extension
 * (gnutls_x509_crl_set_crt_serial() takes a serial and a time only), so
 * the reason is kept in the inventory and the audit log, not in the CRL. */

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crl_t, gnutls_x509_crl_deinit, NULL)

static gboolean
serial_from_hex (const char *hex,
                 guint8     *out,
                 gsize       size,
                 gsize      *out_len)
{
  gsize len = 0;

  for (const char *p = hex; *p != '\0'; )
    {
      int hi, lo;

      if (*p == ':')
        {
          p++;
          continue;
        }
      hi = g_ascii_xdigit_value (p[0]);
      lo = p[1] != '\0' ? g_ascii_xdigit_value (p[1]) : -1;
      if (hi < 0 || lo < 0 || len >= size)
        return FALSE;
      out[len++] = (guint8)(hi << 4 | lo);
      p += 2;
    }

  *out_len = len;
  return len > 0;
}

static char *
audit_detail (guint  entries,
              gint64 next_update)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) when = vouch_date_time_from_unix (next_update);
  g_autofree char *text = g_date_time_format_iso8601 (when);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_add_int_value (builder, entries);
  json_builder_set_member_name (builder, "next_update");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return json_to_string (node, FALSE);
}

typedef struct
{
  VouchInventory *inventory;
  guint           next_update_days;
  gboolean        der;
  guint           entries;
  gint64          next_update;
  GBytes         *result;
} CrlData;

/* Builds and signs the CRL while the authority holds the root's key, so
 * the key lives exactly as long as this one operation. */
static gboolean
build_and_sign (VouchRootCa  *root,
                gpointer      user_data,
                GError      **error)
{
  CrlData *data = user_data;
  g_auto(gnutls_x509_crl_t) crl = NULL;
  g_autoptr(GListModel) revoked = NULL;
  gnutls_datum_t out = { NULL, 0 };
  guint8 key_id[64];
  size_t key_id_len = sizeof key_id;
  guint8 number[8];
  gint64 now = vouch_clock_now ();
  gnutls_x509_crt_t issuer;
  int ret;

  revoked = vouch_inventory_list_revoked (data->inventory, vouch_root_ca_get_sha256 (root), error);
  if (revoked == NULL)
    return FALSE;

  issuer = _vouch_root_ca_get_crt (root);
  data->next_update = now + (gint64)data->next_update_days * VOUCH_SECONDS_PER_DAY;
  for (guint i = 0; i < sizeof number; i++)
    number[i] = (guint8)((guint64)now >> (8 * (sizeof number - 1 - i)));

  if ((ret = gnutls_x509_crt_get_subject_key_id (issuer, key_id, &key_id_len, NULL)) < 0 ||
      (ret = gnutls_x509_crl_init (&crl)) < 0 ||
      (ret = gnutls_x509_crl_set_version (crl, 2)) < 0 ||
      (ret = gnutls_x509_crl_set_this_update (crl, (time_t)now)) < 0 ||
      (ret = gnutls_x509_crl_set_next_update (crl, (time_t)data->next_update)) < 0 ||
      (ret = gnutls_x509_crl_set_number (crl, number, sizeof number)) < 0 ||
      (ret = gnutls_x509_crl_set_authority_key_id (crl, key_id, key_id_len)) < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not build the CRL"));

  data->entries = g_list_model_get_n_items (revoked);
  for (guint i = 0; i < data->entries; i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (revoked, i);
      VouchCertificate *cert = vouch_certificate_entry_get_certificate (entry);
      guint8 serial[64];
      gsize serial_len = 0;

      if (!serial_from_hex (vouch_certificate_get_serial (cert), serial, sizeof serial, &serial_len))
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY,
                       _("The inventory holds a malformed serial, %s"),
                       vouch_certificate_get_serial (cert));
          return FALSE;
        }
      ret = gnutls_x509_crl_set_crt_serial (crl, serial, serial_len,
                                            (time_t)vouch_certificate_entry_get_revoked_at (entry));
      if (ret < 0)
        return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                       _("Could not build the CRL"));
    }

  if (!vouch_root_ca_sign_crl (root, crl, error))
    return FALSE;

  ret = gnutls_x509_crl_export2 (crl, data->der ? GNUTLS_X509_FMT_DER : GNUTLS_X509_FMT_PEM, &out);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, _("Could not sign the CRL"));

  data->result = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return TRUE;
}

/**
 * vouch_crl_generate:
 * @next_update_days: when relying parties should fetch the next CRL, from
 *   1 to 366 days
 * @der: DER instead of PEM
 *
 * Signs a CRL of the root's revoked certificates. The root's key is read
 * from the keyring for it, which may prompt, and wiped once it is signed
 * (unless a vouch_authority_hold() keeps it).
 *
 * Returns: (transfer full): the CRL
 */
GBytes *
vouch_crl_generate (VouchAuthority  *authority,
                    guint            next_update_days,
                    gboolean         der,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr(GBytes) result = NULL;
  g_autofree char *detail = NULL;
  CrlData data = { NULL, next_update_days, der, 0, 0, NULL };

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (authority), NULL);

  if (next_update_days < 1 || next_update_days > VOUCH_CRL_MAX_DAYS)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The next update must be between 1 and %d days away"), VOUCH_CRL_MAX_DAYS);
      return NULL;
    }

  data.inventory = vouch_authority_get_inventory (authority);
  if (!_vouch_authority_with_key (authority, build_and_sign, &data, cancellable, error))
    {
      g_clear_pointer (&data.result, g_bytes_unref);
      return NULL;
    }
  result = data.result;

  detail = audit_detail (data.entries, data.next_update);
  if (!vouch_inventory_append_audit (vouch_authority_get_inventory (authority), "crl-issued", NULL,
                                     NULL, detail, error))
    return NULL;

  return g_steal_pointer (&result);
}

/**
 * vouch_crl_export:
 * @path: where to publish the CRL, replaced atomically so a web server
 *   serving it never sends half a file
 */
gboolean
vouch_crl_export (VouchAuthority  *authority,
                  const char      *path,
                  guint            next_update_days,
                  gboolean         der,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_autoptr(GBytes) crl = NULL;
  gsize len = 0;
  const void *data;

  g_return_val_if_fail (VOUCH_IS_AUTHORITY (authority), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  crl = vouch_crl_generate (authority, next_update_days, der, cancellable, error);
  if (crl == NULL)
    return FALSE;

  data = g_bytes_get_data (crl, &len);
  return vouch_write_file_atomic (path, data, len, 0644, error);
}

typedef struct
{
  char     *path;
  guint     days;
  gboolean  der;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (!vouch_crl_export (source_object, data->path, data->days, data->der, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * vouch_crl_export_async:
 *
 * vouch_crl_export() on a worker thread: the keyring may prompt.
 */
void
vouch_crl_export_async (VouchAuthority      *authority,
                        const char          *path,
                        guint                next_update_days,
                        gboolean             der,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (VOUCH_IS_AUTHORITY (authority));
  g_return_if_fail (path != NULL);

  task = g_task_new (authority, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_crl_export_async);
  data = g_new0 (ExportData, 1);
  data->path = g_strdup (path);
  data->days = next_update_days;
  data->der = der;
  g_task_set_task_data (task, data, (GDestroyNotify)export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
vouch_crl_export_finish (VouchAuthority  *authority,
                         GAsyncResult    *result,
                         GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, authority), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
