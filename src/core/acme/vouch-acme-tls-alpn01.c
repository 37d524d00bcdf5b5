/* vouch-acme-tls-alpn01.c
 *
 * RFC 8737: a TLS handshake with the client's server on port 443, with
 * ALPN offering only "acme-tls/1" and SNI naming the identifier (RFC 8738
 * §6: the reverse-DNS name for an address). The server must pick
 * acme-tls/1 and show a certificate for exactly that one identifier,
 * carrying the critical id-pe-acmeIdentifier extension whose value is the
 * DER OCTET STRING of SHA-256(key authorization). Nothing else of the
 * certificate matters (it is self-signed), and no data is sent after the
 * handshake. GnuTLS reads the certificate and decodes the OCTET STRING.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-tls-alpn01"

#include "vouch-config.h"

#include "vouch-acme-network-validator-private.h"

#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/x509-ext.h>

#define ACME_TLS_1 "acme-tls/1"
#define OID_ACME_IDENTIFIER "1.3.6.1.5.5.7.1.31"

typedef struct
{
  char            *identifier_type;
  char            *identifier_value;
  char            *key_authorization;
  GInetAddress    *address;
  GSocketClient   *client;
  GIOStream       *tls;
} Handshake;

static void
handshake_free (Handshake *handshake)
{
  if (handshake->tls != NULL)
    g_io_stream_close_async (handshake->tls, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&handshake->tls);
  g_clear_object (&handshake->client);
  g_clear_object (&handshake->address);
  g_free (handshake->identifier_type);
  g_free (handshake->identifier_value);
  g_free (handshake->key_authorization);
  g_free (handshake);
}

static gboolean
san_matches (gnutls_x509_crt_t  crt,
             const char        *identifier_type,
             const char        *identifier_value,
             GError           **error)
{
  g_autoptr(GInetAddress) expected_address = NULL;
  gboolean matched = FALSE;
  guint count = 0;

  if (g_str_equal (identifier_type, "ip"))
    expected_address = g_inet_address_new_from_string (identifier_value);

  for (guint i = 0;; i++)
    {
      char buffer[256];
      size_t size = sizeof buffer;
      unsigned int type = 0;
      int ret;

      ret = gnutls_x509_crt_get_subject_alt_name2 (crt, i, buffer, &size, &type, NULL);
      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      count++;
      if (ret < 0)
        continue;
      if (type == GNUTLS_SAN_DNSNAME && expected_address == NULL)
        matched = size == strlen (identifier_value) &&
                  g_ascii_strncasecmp (buffer, identifier_value, size) == 0;
      else if (type == GNUTLS_SAN_IPADDRESS && expected_address != NULL)
        matched = size == g_inet_address_get_native_size (expected_address) &&
                  memcmp (buffer, g_inet_address_to_bytes (expected_address), size) == 0;
    }

  if (count != 1 || !matched)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
                   _("The tls-alpn-01 certificate must name exactly %s, and nothing else"),
                   identifier_value);
      return FALSE;
    }
  return TRUE;
}

/**
 * vouch_acme_check_tls_alpn_certificate:
 * @der: the certificate the client's server showed
 *
 * Returns: whether @der proves control of the identifier for
 *   @key_authorization (RFC 8737 §3); if not, incorrectResponse
 */
gboolean
vouch_acme_check_tls_alpn_certificate (GBytes      *der,
                                       const char  *identifier_type,
                                       const char  *identifier_value,
                                       const char  *key_authorization,
                                       GError     **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum = { (unsigned char *)g_bytes_get_data (der, NULL),
                           (unsigned int)g_bytes_get_size (der) };
  gnutls_datum_t extension = { NULL, 0 };
  gnutls_datum_t other = { NULL, 0 };
  gnutls_datum_t digest = { NULL, 0 };
  guint8 expected[VOUCH_SHA256_LEN];
  unsigned int critical = 0;
  gboolean ok;

  g_return_val_if_fail (der != NULL, FALSE);

  if (gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
                   _("The tls-alpn-01 certificate of %s cannot be read"), identifier_value);
      return FALSE;
    }

  if (!san_matches (crt, identifier_type, identifier_value, error))
    return FALSE;

  if (gnutls_x509_crt_get_extension_by_oid2 (crt, OID_ACME_IDENTIFIER, 0, &extension,
                                             &critical) < 0)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
                   _("The tls-alpn-01 certificate of %s has no acmeIdentifier extension"),
                   identifier_value);
      return FALSE;
    }
  ok = gnutls_x509_crt_get_extension_by_oid2 (crt, OID_ACME_IDENTIFIER, 1, &other, NULL) < 0;
  gnutls_free (other.data);
  if (!ok || !critical)
    {
      gnutls_free (extension.data);
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
                   _("The acmeIdentifier extension of %s must appear once and be critical"),
                   identifier_value);
      return FALSE;
    }

  /* The extension's value is an OCTET STRING, as a SubjectKeyIdentifier
   * is: GnuTLS's decoder for that reads it, with its length checks. */
  ok = gnutls_x509_ext_import_subject_key_id (&extension, &digest) >= 0;
  gnutls_free (extension.data);
  if (ok)
    {
      gnutls_hash_fast (GNUTLS_DIG_SHA256, key_authorization, strlen (key_authorization),
                        expected);
      ok = digest.size == VOUCH_SHA256_LEN &&
           vouch_secure_equal (digest.data, expected, VOUCH_SHA256_LEN);
    }
  gnutls_free (digest.data);
  if (!ok)
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
                   _("The acmeIdentifier extension of %s does not hold the key "
                     "authorization's digest"), identifier_value);
      return FALSE;
    }
  return TRUE;
}

/* The certificate is self-signed by design; what it proves is checked
 * after the handshake, not by a CA. */
static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return TRUE;
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Handshake *handshake = g_task_get_task_data (task);
  GTlsConnection *tls = G_TLS_CONNECTION (object);
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GTlsCertificate *certificate;
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (tls, result, &error))
    {
      if (error->domain == G_TLS_ERROR)
        {
          g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_TLS,
                                   _("The TLS handshake with %s failed: %s"),
                                   handshake->identifier_value, error->message);
          g_error_free (error);
        }
      else
        g_task_return_error (task, error);
      return;
    }

  if (g_strcmp0 (g_tls_connection_get_negotiated_protocol (tls), ACME_TLS_1) != 0)
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_TLS,
                               _("%s did not choose the acme-tls/1 protocol"),
                               handshake->identifier_value);
      return;
    }

  certificate = g_tls_connection_get_peer_certificate (tls);
  if (certificate == NULL)
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_INCORRECT_RESPONSE,
                               _("%s showed no certificate"), handshake->identifier_value);
      return;
    }

  g_object_get (certificate, "certificate", &der, NULL);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&der));
  if (!vouch_acme_check_tls_alpn_certificate (bytes, handshake->identifier_type,
                                              handshake->identifier_value,
                                              handshake->key_authorization, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* RFC 8738 §6: an address is named in SNI by its reverse-DNS name. */
static char *
server_name (const char   *identifier_type,
             const char   *identifier_value,
             GInetAddress *address)
{
  g_autoptr(GString) name = NULL;
  const guint8 *bytes;
  gsize len;

  if (!g_str_equal (identifier_type, "ip"))
    return g_strdup (identifier_value);

  name = g_string_new (NULL);
  bytes = g_inet_address_to_bytes (address);
  len = g_inet_address_get_native_size (address);
  for (gsize i = len; i > 0; i--)
    {
      if (len == 4)
        g_string_append_printf (name, "%u.", bytes[i - 1]);
      else
        g_string_append_printf (name, "%x.%x.", bytes[i - 1] & 0xf, bytes[i - 1] >> 4);
    }
  g_string_append (name, len == 4 ? "in-addr.arpa" : "ip6.arpa");
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Handshake *handshake = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autofree char *sni = NULL;
  const char * const protocols[] = { ACME_TLS_1, NULL };
  GCancellable *cancellable;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sni = server_name (handshake->identifier_type, handshake->identifier_value,
                     handshake->address);
  identity = g_network_address_new (sni, 443);
  handshake->tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  if (handshake->tls == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (handshake->tls), protocols);
  g_signal_connect (handshake->tls, "accept-certificate", G_CALLBACK (accept_certificate_cb),
                    NULL);
  cancellable = g_task_get_cancellable (task);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (handshake->tls), G_PRIORITY_DEFAULT,
                                    cancellable, handshake_cb, g_steal_pointer (&task));
}

void
_vouch_acme_tls_alpn01_async (VouchAcmeNetworkValidator *self,
                              const char                *identifier_type,
                              const char                *identifier_value,
                              GInetAddress              *address,
                              const char                *key_authorization,
                              GCancellable              *cancellable,
                              GAsyncReadyCallback        callback,
                              gpointer                   user_data)
{
  g_autoptr(GSocketAddress) remote = NULL;
  Handshake *handshake;
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _vouch_acme_tls_alpn01_async);

  handshake = g_new0 (Handshake, 1);
  handshake->identifier_type = g_strdup (identifier_type);
  handshake->identifier_value = g_strdup (identifier_value);
  handshake->key_authorization = g_strdup (key_authorization);
  handshake->address = g_object_ref (address);
  handshake->client = g_socket_client_new ();
  g_socket_client_set_timeout (handshake->client, vouch_acme_network_validator_get_timeout (self));
  /* No proxy: the address was checked, a proxy would go elsewhere. */
  g_socket_client_set_enable_proxy (handshake->client, FALSE);
  g_task_set_task_data (task, handshake, (GDestroyNotify)handshake_free);

  remote = g_inet_socket_address_new (address, 443);
  g_socket_client_connect_async (handshake->client, G_SOCKET_CONNECTABLE (remote), cancellable,
                                 connect_cb, task);
}
