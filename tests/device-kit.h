/* device-kit.h: what the makers' test devices share
 *
 * The Redfish and Axis test devices (tests/redfish-device.c,
 * tests/axis-device.c) speak their makers' APIs over HTTPS with libsoup's
 * own server, keep their key in memory, make CSRs with GnuTLS and swap the
 * certificate they serve.  This kit holds what they have in common: the
 * command line every test device takes (so tests start them like
 * vouch-agent), the served certificate, Basic authentication, JSON in and
 * out, a restart that takes the server away for a while, and announcing
 * the device on the private LAN (SSDP through GSSDP, DNS-SD through Avahi).
 *
 * Test code, never product code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gnutls/x509.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  /* From the command line. */
  char        *state_dir;
  char        *address;
  char        *host_name;
  char        *user;
  char        *password;
  char        *misbehave;
  guint        port;

  SoupServer  *server;
  GMainLoop   *loop;

  /* The key and certificate HTTPS presents now. */
  gnutls_x509_privkey_t  tls_key;
  char                  *tls_chain_pem;
} DeviceKit;

/* A CSR's subject, as the makers' APIs ask for it; NULL members are left out. */
typedef struct
{
  const char *common_name;
  const char *country;
  const char *state;
  const char *city;
  const char *organization;
  const char *organizational_unit;
  const char *email;
} DeviceKitSubject;

DeviceKit            *device_kit_new                 (const char                *program,
                                                      const char                *default_user,
                                                      const GOptionEntry        *extra,
                                                      int                       *argc,
                                                      char                    ***argv);
gboolean              device_kit_misbehaves          (DeviceKit                 *kit,
                                                      const char                *how);
void                  device_kit_listen              (DeviceKit                 *kit);
void                  device_kit_run                 (DeviceKit                 *kit);

gnutls_x509_privkey_t device_kit_key_new             (const char                *algorithm,
                                                      guint                      bits_or_curve,
                                                      GError                   **error);
char                 *device_kit_make_csr            (gnutls_x509_privkey_t      key,
                                                      const DeviceKitSubject    *subject,
                                                      const char * const        *names,
                                                      GError                   **error);
gboolean              device_kit_chain_fits_key      (const char                *chain_pem,
                                                      gnutls_x509_privkey_t      key,
                                                      GError                   **error);
gboolean              device_kit_serve               (DeviceKit                 *kit,
                                                      gnutls_x509_privkey_t      key,
                                                      const char                *chain_pem,
                                                      GError                   **error);
void                  device_kit_restart             (DeviceKit                 *kit,
                                                      guint                      seconds_away);
char                 *device_kit_served_pem          (DeviceKit                 *kit);
char                 *device_kit_fingerprint         (gnutls_x509_privkey_t      key);

gboolean              device_kit_check_basic         (DeviceKit                 *kit,
                                                      SoupServerMessage         *msg);
gboolean              device_kit_check_credentials   (DeviceKit                 *kit,
                                                      const char                *user,
                                                      const char                *password);
JsonObject           *device_kit_read_object         (SoupServerMessage         *msg);
void                  device_kit_reply               (SoupServerMessage         *msg,
                                                      guint                      status,
                                                      JsonNode                  *node);
void                  device_kit_reply_text          (SoupServerMessage         *msg,
                                                      guint                      status,
                                                      const char                *content_type,
                                                      const char                *text);
char                 *device_kit_random_hex          (gsize                      bytes);

void                  device_kit_announce_ssdp       (DeviceKit                 *kit,
                                                      const char                *target,
                                                      const char                *uuid,
                                                      const char                *path);
void                  device_kit_announce_dnssd      (DeviceKit                 *kit,
                                                      const char                *type,
                                                      const char * const        *txt);

G_END_DECLS
