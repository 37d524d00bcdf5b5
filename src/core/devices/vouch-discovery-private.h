/* vouch-discovery-private.h: what vouch-discovery.c and
 * vouch-discovery-service.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-discovery.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-glib/glib-watch.h>

G_BEGIN_DECLS

#define VOUCH_SERVICE_TYPE "_vouch._tcp"
#define HTTPS_SERVICE_TYPE "_https._tcp"
/* vouch_discovery_common_types(), browsed besides _vouch._tcp */
#define N_COMMON_TYPES 6

/* Retry a client that could not even be created (no system bus) or whose
 * browsers failed: soon at first, then less often. */
#define RETRY_MIN_SECONDS 1
#define RETRY_MAX_SECONDS 30

struct _VouchDiscovery
{
  GObject               parent_instance;

  VouchInventory       *inventory;
  GPtrArray            *devices;
  GHashTable           *by_id;
  /* Ids that stay listed while offline: loaded from the inventory. */
  GHashTable           *known;
  /* Announced services by type, name and domain; see
   * vouch-discovery-service.c. */
  GHashTable           *services;

  AvahiGLibPoll        *poll;
  AvahiClient          *client;
  AvahiServiceBrowser  *vouch_browser;
  AvahiServiceBrowser  *common_browsers[N_COMMON_TYPES];
  /* Redfish BMCs found over SSDP (vouch-discovery-ssdp.c). */
  GObject              *ssdp_client;
  GObject              *ssdp_browser;
  guint                 restart_id;
  guint                 retry_seconds;

  VouchDiscoveryStatus  status;
  char                 *status_message;
  guint                 started : 1;
};

/* vouch-discovery.c */
void        _vouch_discovery_set_status         (VouchDiscovery          *self,
                                                 VouchDiscoveryStatus     status,
                                                 const char              *message);
void        _vouch_discovery_add_device         (VouchDiscovery          *self,
                                                 VouchDevice             *device);
void        _vouch_discovery_remove_device      (VouchDiscovery          *self,
                                                 VouchDevice             *device);
void        _vouch_discovery_save_device        (VouchDiscovery          *self,
                                                 VouchDevice             *device);
gboolean    _vouch_discovery_device_is_kept     (VouchDiscovery          *self,
                                                 VouchDevice             *device);
void        _vouch_discovery_schedule_restart   (VouchDiscovery          *self,
                                                 guint                    seconds);

/* vouch-discovery-ssdp.c */
void        _vouch_discovery_ssdp_start         (VouchDiscovery          *self);
void        _vouch_discovery_ssdp_stop          (VouchDiscovery          *self);
/* exposed for tests/fuzz/fuzz-discovery */
gboolean    _vouch_discovery_ssdp_parse         (const char              *usn,
                                                 const char              *location,
                                                 char                   **out_id,
                                                 char                   **out_host,
                                                 guint16                 *out_port);

/* vouch-discovery-service.c */
GHashTable *_vouch_discovery_services_new       (void);
void        _vouch_discovery_drop_services      (VouchDiscovery          *self);
void        _vouch_discovery_service_browser_cb (AvahiServiceBrowser     *browser,
                                                 AvahiIfIndex             interface,
                                                 AvahiProtocol            protocol,
                                                 AvahiBrowserEvent        event,
                                                 const char              *name,
                                                 const char              *type,
                                                 const char              *domain,
                                                 AvahiLookupResultFlags   flags,
                                                 void                    *user_data);
/* The checks on what a device announces, exposed for tests/fuzz/fuzz-txt. */
char      **_vouch_discovery_txt_to_strv        (AvahiStringList         *txt);
const char *_vouch_discovery_txt_lookup         (const char * const      *txt,
                                                 const char              *key);
gboolean    _vouch_discovery_id_is_valid        (const char              *id);

G_END_DECLS
