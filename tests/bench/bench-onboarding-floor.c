/* bench-onboarding-floor.c: the per-device minimum, measured against one
 * agent: TLS handshakes (plain GnuTLS, and GIO as libsoup uses it) and
 * generating the device's P-256 key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-onboarding.h"


static gboolean
peer_spki (const gnutls_datum_t *der,
           guint8                digest[VOUCH_SHA256_LEN])
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_pubkey_t) pub = NULL;

  gnutls_x509_crt_init (&crt);
  gnutls_pubkey_init (&pub);
  return gnutls_x509_crt_import (crt, der, GNUTLS_X509_FMT_DER) == 0 &&
         gnutls_pubkey_import_x509 (pub, crt, 0) == 0 &&
         vouch_pubkey_spki_sha256 (pub, digest, NULL);
}

/* One full handshake with plain GnuTLS, reading the peer's key as Vouch
 * must to check a pin. */
static gboolean
raw_handshake (gnutls_certificate_credentials_t   creds,
               Agent                             *agent,
               gboolean                          *resumed,
               GError                           **error)
{
  gnutls_session_t session = NULL;
  struct sockaddr_in sin = { 0 };
  const gnutls_datum_t *certs;
  guint8 digest[VOUCH_SHA256_LEN];
  unsigned int n_certs = 0;
  int fd;
  int ret;

  sin.sin_family = AF_INET;
  sin.sin_port = htons ((guint16)agent->port);
  inet_pton (AF_INET, agent->address, &sin.sin_addr);
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *)&sin, sizeof sin) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "connect: %s", g_strerror (errno));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }

  gnutls_init (&session, GNUTLS_CLIENT);
  gnutls_set_default_priority (session);
  gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, creds);
  gnutls_transport_set_int (session, fd);
  do
    ret = gnutls_handshake (session);
  while (ret < 0 && !gnutls_error_is_fatal (ret));

  if (ret == 0)
    {
      certs = gnutls_certificate_get_peers (session, &n_certs);
      if (n_certs == 0 || !peer_spki (&certs[0], digest))
        ret = GNUTLS_E_NO_CERTIFICATE_FOUND;
      *resumed |= gnutls_session_is_resumed (session) != 0;
      gnutls_bye (session, GNUTLS_SHUT_WR);
    }
  gnutls_deinit (session);
  close (fd);

  if (ret < 0)
    {
      vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, "TLS handshake");
      return FALSE;
    }
  return TRUE;
}

/* The floor's clients, and the benchmarks' own looks at a device, take
 * any certificate: they measure, they trust nothing. */
gboolean
accept_any_certificate (GTlsConnection       *connection,
                        GTlsCertificate      *peer,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  return TRUE;
}

/* The same through GIO and glib-networking, the stack libsoup uses.
 * libsoup 3.2 creates the connection without a database and sets
 * Vouch's (none) afterwards; glib-networking 2.74 has by then built a
 * trust list from the system's CA bundle, for every connection. With
 * @database_at_construction the connection never has a default
 * database, which shows what that costs. */
static gboolean
gio_handshake (Agent     *agent,
               gboolean   database_at_construction,
               GError   **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GByteArray) der = NULL;
  GTlsCertificate *peer;
  gnutls_datum_t datum;
  guint8 digest[VOUCH_SHA256_LEN];

  address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string (agent->address, agent->port));
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, error);
  if (connection == NULL)
    return FALSE;
  if (database_at_construction)
    tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()), NULL, error,
                          "base-io-stream", connection, "database", NULL, NULL);
  else
    tls = g_tls_client_connection_new (G_IO_STREAM (connection), NULL, error);
  if (tls == NULL)
    return FALSE;
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), NULL);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, error))
    return FALSE;

  peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls));
  g_object_get (peer, "certificate", &der, NULL);
  datum.data = der->data;
  datum.size = der->len;
  if (!peer_spki (&datum, digest))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL, "unreadable peer certificate");
      return FALSE;
    }

  return g_io_stream_close (tls, NULL, error);
}

/**
 * measure_minimum_against:
 * @peer: the other end of the handshakes: its address, port and pid
 * @curve: the device's key, generated in-process as a proxy for its cost
 *
 * Fills @bench's raw, GIO and key rows.
 */
gboolean
measure_minimum_against (Bench               *bench,
                         Agent               *peer,
                         gnutls_ecc_curve_t   curve,
                         GError             **error)
{
  gnutls_certificate_credentials_t creds = NULL;
  Agent *agent = peer;
  guint64 ticks;
  double cpu;
  double wall;
  gboolean ok = TRUE;

  gnutls_certificate_allocate_credentials (&creds);

  /* A few unmeasured rounds first, so that both ends have their code
   * and allocations warm. */
  for (int i = 0; ok && i < 5; i++)
    ok = raw_handshake (creds, agent, &bench->raw_handshake.resumed, error) &&
         gio_handshake (agent, FALSE, error) &&
         gio_handshake (agent, TRUE, error);

  ticks = process_ticks (agent->pid);
  cpu = self_cpu_ms ();
  wall = now_seconds ();
  for (int i = 0; ok && i < bench->handshakes; i++)
    ok = raw_handshake (creds, agent, &bench->raw_handshake.resumed, error);
  bench->raw_handshake.count = (guint)bench->handshakes;
  bench->raw_handshake.client_us = (self_cpu_ms () - cpu) * 1e3 / bench->handshakes;
  bench->raw_handshake.wall_us = (now_seconds () - wall) * 1e6 / bench->handshakes;
  bench->raw_handshake.server_us = ticks_to_ms (process_ticks (agent->pid) - ticks) * 1e3 / bench->handshakes;

  for (guint variant = 0; variant < 2; variant++)
    {
      OpResult *op = variant == 0 ? &bench->gio_handshake : &bench->gio_bare_handshake;

      ticks = process_ticks (agent->pid);
      cpu = self_cpu_ms ();
      wall = now_seconds ();
      for (int i = 0; ok && i < bench->handshakes; i++)
        ok = gio_handshake (agent, variant == 1, error);
      op->count = (guint)bench->handshakes;
      op->client_us = (self_cpu_ms () - cpu) * 1e3 / bench->handshakes;
      op->wall_us = (now_seconds () - wall) * 1e6 / bench->handshakes;
      op->server_us = ticks_to_ms (process_ticks (agent->pid) - ticks) * 1e3 / bench->handshakes;
    }

  gnutls_certificate_free_credentials (creds);

  cpu = self_cpu_ms ();
  wall = now_seconds ();
  for (int i = 0; ok && i < bench->keys; i++)
    {
      g_auto(gnutls_x509_privkey_t) key = NULL;
      int ret;

      gnutls_x509_privkey_init (&key);
      ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (curve), 0);
      if (ret < 0)
        {
          vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret, "key generation");
          ok = FALSE;
        }
    }
  bench->keygen.count = (guint)bench->keys;
  bench->keygen.client_us = (self_cpu_ms () - cpu) * 1e3 / bench->keys;
  bench->keygen.wall_us = (now_seconds () - wall) * 1e6 / bench->keys;

  /* Our handshakes went through the hooks too; they are not Vouch's. */
  {
    guint handshakes;
    guint connections;

    take_counts (&handshakes, &connections);
  }

  return ok;
}

gboolean
measure_minimum (Bench   *bench,
                 GError **error)
{
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func ((GDestroyNotify)agent_free);
  g_autofree char *dir = g_build_filename (bench->tmpdir, "baseline", NULL);
  guint pending = 1;
  Agent *agent;
  gboolean ok;

  /* Not announced: this agent is only the other end of the handshakes. */
  agent = spawn_agent (dir, "Baseline", "127.0.250.1", FALSE, &pending, error);
  if (agent == NULL)
    return FALSE;
  g_ptr_array_add (agents, agent);
  if (!iterate_until_zero (&pending, 30) || !agent_read_identity (agent, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE, "the baseline agent did not start");
      return FALSE;
    }

  ok = measure_minimum_against (bench, agent, GNUTLS_ECC_CURVE_SECP256R1, error);
  if (stop_agents (agents) > 0)
    g_printerr ("bench-onboarding: the baseline agent did not exit cleanly\n");
  return ok;
}
