/* vouch-discovery-ssdp.c
 *
 * Redfish services found over SSDP, as DMTF DSP0266 has them announce
 * themselves (search target urn:dmtf-org:service:redfish-rest:1), through
 * GSSDP.  Each becomes a device with the Redfish driver suggested, keyed
 * by the service's UUID so it stays one device when its address changes.
 *
 * GSSDP listens on one interface: $VOUCH_SSDP_INTERFACE if set (tests name
 * the private LAN's loopback), else the one GSSDP picks.  No interface,
 * no SSDP: discovery over DNS-SD goes on without it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-discovery"

#include "vouch-config.h"

#include "vouch-discovery-private.h"
#include "vouch-discovery-guess.h"

#include "vouch-names.h"

#include <libgssdp/gssdp.h>
#include <string.h>

/* A UUID is 36 characters; anything much longer is not one, and the
 * device id must stay within discovery's 64. */
#define UUID_MAX_LEN 48

/**
 * _vouch_discovery_ssdp_parse:
 * @usn: the announcement's USN, "uuid:UUID::urn:…"
 * @location: its LOCATION, the service root's https:// URL
 *
 * Reads an SSDP announcement as untrusted input: the device id
 * ("redfish:UUID"), the host (sanitized) and the port.
 *
 * Returns: whether the announcement is one Vouch can use
 */
gboolean
_vouch_discovery_ssdp_parse (const char  *usn,
                             const char  *location,
                             char       **out_id,
                             char       **out_host,
                             guint16     *out_port)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  const char *end;

  if (usn == NULL || location == NULL || !g_str_has_prefix (usn, "uuid:"))
    return FALSE;
  usn += strlen ("uuid:");
  end = strstr (usn, "::");
  if (end == NULL)
    end = usn + strlen (usn);
  if (end == usn || end - usn > UUID_MAX_LEN)
    return FALSE;
  for (const char *p = usn; p < end; p++)
    if (!g_ascii_isxdigit (*p) && *p != '-')
      return FALSE;

  uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    return FALSE;
  /* Only a name or an address Vouch could put in a certificate. */
  host = vouch_names_normalize (g_uri_get_host (uri), NULL);
  if (host == NULL)
    return FALSE;

  *out_id = g_strdup_printf ("redfish:%.*s", (int)(end - usn), usn);
  *out_host = g_steal_pointer (&host);
  *out_port = g_uri_get_port (uri) > 0 ? (guint16)g_uri_get_port (uri) : 443;
  return TRUE;
}

static void
resource_available_cb (GSSDPResourceBrowser *browser,
                       const char           *usn,
                       GList                *locations,
                       gpointer              user_data)
{
  VouchDiscovery *self = user_data;
  g_autoptr(VouchDevice) created = NULL;
  g_autofree char *id = NULL;
  g_autofree char *host = NULL;
  VouchDevice *device;
  const char *addresses[] = { NULL, NULL };
  guint16 port = 0;

  if (locations == NULL || !_vouch_discovery_ssdp_parse (usn, locations->data, &id, &host, &port))
    return;

  device = g_hash_table_lookup (self->by_id, id);
  if (device == NULL)
    created = device = vouch_device_new (id, VOUCH_DEVICE_KIND_HTTPS_ONLY);
  g_object_freeze_notify (G_OBJECT (device));
  /* SSDP says where, not who: the address names it until the operator
   * (or the service root, once onboarding reads it) says more. */
  if (created != NULL)
    vouch_device_set_name (device, host);
  vouch_device_set_host (device, host);
  vouch_device_set_port (device, port);
  if (g_hostname_is_ip_address (host))
    {
      addresses[0] = host;
      vouch_device_set_addresses (device, addresses);
    }
  vouch_device_set_guess (device, VOUCH_DEVICE_CATEGORY_SERVER, "redfish");
  vouch_device_set_online (device, TRUE);
  g_object_thaw_notify (G_OBJECT (device));
  if (created != NULL)
    _vouch_discovery_add_device (self, created);
}

static void
resource_unavailable_cb (GSSDPResourceBrowser *browser,
                         const char           *usn,
                         gpointer              user_data)
{
  VouchDiscovery *self = user_data;
  g_autofree char *id = NULL;
  g_autofree char *host = NULL;
  guint16 port;
  VouchDevice *device;

  /* A bye-bye has no location: any https URL stands in for it. */
  if (!_vouch_discovery_ssdp_parse (usn, "https://localhost/", &id, &host, &port)
      || (device = g_hash_table_lookup (self->by_id, id)) == NULL)
    return;
  vouch_device_set_online (device, FALSE);
  if (!_vouch_discovery_device_is_kept (self, device))
    _vouch_discovery_remove_device (self, device);
}

void
_vouch_discovery_ssdp_start (VouchDiscovery *self)
{
  g_autoptr(GError) error = NULL;
  GSSDPClient *client;
  GSSDPResourceBrowser *browser;

  client = gssdp_client_new_full (g_getenv ("VOUCH_SSDP_INTERFACE"), NULL, 0,
                                  GSSDP_UDA_VERSION_1_0, &error);
  if (client == NULL)
    {
      g_debug ("No SSDP discovery: %s", error->message);
      return;
    }
  browser = gssdp_resource_browser_new (client, VOUCH_REDFISH_SSDP_TARGET);
  g_signal_connect_object (browser, "resource-available", G_CALLBACK (resource_available_cb), self, 0);
  g_signal_connect_object (browser, "resource-unavailable", G_CALLBACK (resource_unavailable_cb), self, 0);
  gssdp_resource_browser_set_active (browser, TRUE);
  self->ssdp_client = G_OBJECT (client);
  self->ssdp_browser = G_OBJECT (browser);
}

void
_vouch_discovery_ssdp_stop (VouchDiscovery *self)
{
  if (self->ssdp_browser != NULL)
    gssdp_resource_browser_set_active (GSSDP_RESOURCE_BROWSER (self->ssdp_browser), FALSE);
  g_clear_object (&self->ssdp_browser);
  g_clear_object (&self->ssdp_client);
}
