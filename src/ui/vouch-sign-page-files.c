/* vouch-sign-page-files.c: opening a request from a file or a drop, and
 * saving the certificate issued for it. Split from vouch-sign-page.c,
 * which reviews the request and signs it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-sign-page-private.h"

#include "vouch-ui-util.h"

#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <string.h>

typedef struct
{
  VouchSignPage *self;
  char          *display_name;
} LoadFlow;

static void
load_flow_free (LoadFlow *flow)
{
  g_clear_object (&flow->self);
  g_clear_pointer (&flow->display_name, g_free);
  g_free (flow);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadFlow, load_flow_free)

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LoadFlow) flow = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);

  _vouch_sign_page_set_busy (flow->self, FALSE);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _vouch_sign_page_show_load_error (flow->self, error->message);
      return;
    }

  vouch_sign_page_load_csr (flow->self, bytes, flow->display_name);
}

static void
file_info_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LoadFlow) flow = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  VouchSigningPolicy *policy = _vouch_sign_page_get_policy (flow->self);
  gsize max = policy != NULL ? vouch_signing_policy_get_max_input_size (policy)
                             : VOUCH_SIGNING_POLICY_DEFAULT_MAX_INPUT;
  GCancellable *cancellable;

  if (info == NULL)
    {
      _vouch_sign_page_set_busy (flow->self, FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _vouch_sign_page_show_load_error (flow->self, error->message);
      return;
    }

  flow->display_name = g_strdup (g_file_info_get_display_name (info));

  /* Checked before reading, so dropping a disk image by mistake does not
   * load it into memory only to be refused. */
  if (g_file_info_get_size (info) > (goffset)max)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      g_autofree char *limit = g_format_size (max);
      g_autofree char *message =
        g_strdup_printf (_("“%s” is %s; a certificate signing request is at most %s. "
                           "Check that you chose the request, not another file"),
                         flow->display_name, size, limit);

      _vouch_sign_page_set_busy (flow->self, FALSE);
      _vouch_sign_page_show_load_error (flow->self, message);
      return;
    }

  cancellable = flow->self->cancellable;
  g_file_load_bytes_async (G_FILE (object), cancellable, file_loaded_cb, g_steal_pointer (&flow));
}

static void
load_file (VouchSignPage *self,
           GFile         *file)
{
  LoadFlow *flow = g_new0 (LoadFlow, 1);

  flow->self = g_object_ref (self);
  _vouch_sign_page_set_busy (self, TRUE);
  _vouch_sign_page_show_load_error (self, NULL);
  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                           file_info_cb, flow);
}

static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  g_autoptr(VouchSignPage) self = user_data;

  if (file != NULL)
    load_file (self, file);
}

void
_vouch_sign_page_open_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  const char * const patterns[] = { "*.csr", "*.req", "*.pem", "*.der", NULL };

  vouch_ui_choose_file (widget, _("Open a Certificate Signing Request"), FALSE, NULL, patterns,
                        file_chosen_cb, g_object_ref (widget));
}

gboolean
_vouch_sign_page_drop_cb (GtkDropTarget *target,
                          const GValue  *value,
                          double         x,
                          double         y,
                          VouchSignPage *self)
{
  GFile *file = NULL;

  if (self->busy || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "done") == 0)
    return FALSE;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      if (files == NULL)
        return FALSE;
      if (files->next != NULL)
        vouch_ui_toast (GTK_WIDGET (self), _("Only the first file was opened; "
                                             "drop one request at a time"));
      file = files->data;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;

  load_file (self, file);
  return TRUE;
}

typedef struct
{
  VouchSignPage *self;
  GBytes        *bytes;
} SaveFlow;

static void
save_flow_free (SaveFlow *flow)
{
  g_clear_object (&flow->self);
  g_clear_pointer (&flow->bytes, g_bytes_unref);
  g_free (flow);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveFlow, save_flow_free)

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaveFlow) flow = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vouch_ui_show_error (GTK_WIDGET (flow->self), _("Could Not Save the Certificate"), error);
      return;
    }

  name = g_file_get_basename (G_FILE (object));
  text = g_strdup_printf (_("Saved as “%s”"), name);
  vouch_ui_toast (GTK_WIDGET (flow->self), text);
}

static void
save_file_cb (GFile    *file,
              gpointer  user_data)
{
  g_autoptr(SaveFlow) flow = user_data;
  GBytes *bytes = flow->bytes;
  GCancellable *cancellable = flow->self->cancellable;

  if (file == NULL)
    return;

  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, cancellable,
                                       saved_cb, g_steal_pointer (&flow));
}

static GBytes *
pem_to_der (const char  *pem,
            GError     **error)
{
  gnutls_datum_t in = { (unsigned char *)pem, strlen (pem) };
  gnutls_datum_t der = { NULL, 0 };
  GBytes *bytes;
  int ret;

  ret = gnutls_pem_base64_decode2 ("CERTIFICATE", &in, &der);
  if (ret < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The certificate could not be converted to DER (%s)"), gnutls_strerror (ret));
      return NULL;
    }

  bytes = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  return bytes;
}

void
_vouch_sign_page_save_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  VouchSignPage *self = VOUCH_SIGN_PAGE (widget);
  VouchAuthority *authority = _vouch_sign_page_get_authority (self);
  g_autoptr(SaveFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *suggested = NULL;
  const char * const pem_patterns[] = { "*.crt", "*.pem", NULL };
  const char * const der_patterns[] = { "*.cer", "*.der", NULL };
  const char * const *names;
  const char *pem;
  const char *stem;
  gboolean chain = g_str_equal (action_name, "sign.save-chain");
  gboolean der = !chain && adw_combo_row_get_selected (self->format_row) == FORMAT_DER;

  if (self->certificate == NULL || authority == NULL)
    return;

  names = vouch_certificate_get_names (self->certificate);
  stem = names != NULL && names[0] != NULL ? names[0] : "certificate";
  pem = vouch_certificate_get_pem (self->certificate);

  flow = g_new0 (SaveFlow, 1);
  flow->self = g_object_ref (self);

  if (chain)
    {
      /* A chain is PEM by nature: DER holds a single certificate. */
      g_autofree char *root_pem = vouch_root_ca_dup_pem (vouch_authority_get_root (authority));
      g_autofree char *both = g_strconcat (pem, g_str_has_suffix (pem, "\n") ? "" : "\n",
                                           root_pem, NULL);

      flow->bytes = g_bytes_new_take (both, strlen (both));
      both = NULL;
      suggested = g_strdup_printf ("%s-chain.pem", stem);
    }
  else if (der)
    {
      flow->bytes = pem_to_der (pem, &error);
      if (flow->bytes == NULL)
        {
          vouch_ui_show_error (widget, _("Could Not Save the Certificate"), error);
          return;
        }
      suggested = g_strdup_printf ("%s.cer", stem);
    }
  else
    {
      flow->bytes = g_bytes_new (pem, strlen (pem));
      suggested = g_strdup_printf ("%s.crt", stem);
    }

  vouch_ui_choose_file (widget, chain ? _("Save the Certificate Chain") : _("Save the Certificate"),
                        TRUE, suggested, der ? der_patterns : pem_patterns, save_file_cb,
                        g_steal_pointer (&flow));
}
