/* vouch-discovery.h: the devices on the LAN, found over mDNS/DNS-SD
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device.h"
#include "vouch-inventory.h"

G_BEGIN_DECLS

/**
 * VouchDiscoveryStatus:
 * @VOUCH_DISCOVERY_STATUS_STARTING: not started, or waiting for the first
 *   answer from avahi-daemon
 * @VOUCH_DISCOVERY_STATUS_RUNNING: browsing
 * @VOUCH_DISCOVERY_STATUS_DAEMON_MISSING: avahi-daemon (or the system bus)
 *   is not there; discovery reconnects when it comes back
 * @VOUCH_DISCOVERY_STATUS_FAILED: Avahi reported another error; discovery
 *   keeps retrying
 */
typedef enum
{
  VOUCH_DISCOVERY_STATUS_STARTING,
  VOUCH_DISCOVERY_STATUS_RUNNING,
  VOUCH_DISCOVERY_STATUS_DAEMON_MISSING,
  VOUCH_DISCOVERY_STATUS_FAILED,
} VouchDiscoveryStatus;

#define VOUCH_TYPE_DISCOVERY_STATUS (vouch_discovery_status_get_type ())
GType vouch_discovery_status_get_type (void);

#define VOUCH_TYPE_DISCOVERY (vouch_discovery_get_type ())

G_DECLARE_FINAL_TYPE (VouchDiscovery, vouch_discovery, VOUCH, DISCOVERY, GObject)

VouchDiscovery       *vouch_discovery_new                (VouchInventory  *inventory);
void                  vouch_discovery_start              (VouchDiscovery  *self);
VouchDiscoveryStatus  vouch_discovery_get_status         (VouchDiscovery  *self);
const char           *vouch_discovery_get_status_message (VouchDiscovery  *self);
gboolean              vouch_discovery_parse_address      (const char      *host_port,
                                                          char           **host,
                                                          guint16         *port,
                                                          GError         **error);
VouchDevice          *vouch_discovery_add_manual         (VouchDiscovery  *self,
                                                          const char      *host_port,
                                                          GError         **error);
VouchDevice          *vouch_discovery_lookup             (VouchDiscovery  *self,
                                                          const char      *id_or_name);

G_END_DECLS
