/* vouch-discovery.c
 *
 * Browses _vouch._tcp and _https._tcp through avahi-daemon and keeps one
 * VouchDevice per device in a GListModel.  Each announced service has one
 * resolver per interface and protocol it was seen on; resolvers stay open,
 * so Avahi reports TXT and address changes and the same device object is
 * updated in place.  A record browser per host name collects every A and
 * AAAA record of the device, not only the one address a resolver picks.
 *
 * avahi-daemon may be missing or restart at any time: the client is made
 * with AVAHI_CLIENT_NO_FAIL, so it waits for the daemon, and is rebuilt
 * (with its browsers) whenever it fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-discovery"

#include "vouch-config.h"

#include "vouch-discovery-private.h"
#include "vouch-discovery-guess.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <avahi-common/error.h>
#include <glib/gi18n-lib.h>
#include <string.h>

enum {
  PROP_0,
  PROP_INVENTORY,
  PROP_STATUS,
  PROP_STATUS_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);
static void client_cb            (AvahiClient         *client,
                                  AvahiClientState     state,
                                  void                *user_data);

G_DEFINE_ENUM_TYPE (VouchDiscoveryStatus, vouch_discovery_status,
                    G_DEFINE_ENUM_VALUE (VOUCH_DISCOVERY_STATUS_STARTING, "starting"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DISCOVERY_STATUS_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DISCOVERY_STATUS_DAEMON_MISSING, "daemon-missing"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DISCOVERY_STATUS_FAILED, "failed"))

G_DEFINE_FINAL_TYPE_WITH_CODE (VouchDiscovery, vouch_discovery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

void
_vouch_discovery_set_status (VouchDiscovery       *self,
                             VouchDiscoveryStatus  status,
                             const char           *message)
{
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (vouch_set_str (&self->status_message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_MESSAGE]);
}

/* The model. */

void
_vouch_discovery_add_device (VouchDiscovery *self,
                             VouchDevice    *device)
{
  g_ptr_array_add (self->devices, g_object_ref (device));
  g_hash_table_insert (self->by_id, (char *)vouch_device_get_id (device), device);
  g_list_model_items_changed (G_LIST_MODEL (self), self->devices->len - 1, 0, 1);
}

void
_vouch_discovery_remove_device (VouchDiscovery *self,
                                VouchDevice    *device)
{
  guint position;

  if (!g_ptr_array_find (self->devices, device, &position))
    return;

  g_hash_table_remove (self->by_id, vouch_device_get_id (device));
  g_ptr_array_remove_index (self->devices, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
_vouch_discovery_save_device (VouchDiscovery *self,
                              VouchDevice    *device)
{
  g_autoptr(GError) error = NULL;

  if (self->inventory != NULL && !vouch_inventory_save_device (self->inventory, device, &error))
    g_message ("Could not remember the device “%s”: %s", vouch_device_get_id (device), error->message);
}

/* A device stays listed while offline when Vouch has a reason to remember
 * it; one merely seen in passing goes when it leaves. */
gboolean
_vouch_discovery_device_is_kept (VouchDiscovery *self,
                                 VouchDevice    *device)
{
  return vouch_device_get_manual (device)
         || vouch_device_get_pin (device) != NULL
         || vouch_device_get_step (device) != VOUCH_ONBOARDING_STEP_FOUND
         || g_hash_table_contains (self->known, vouch_device_get_id (device));
}

static void
stop_client (VouchDiscovery *self)
{
  _vouch_discovery_drop_services (self);
  g_clear_pointer (&self->vouch_browser, avahi_service_browser_free);
  for (guint i = 0; i < N_COMMON_TYPES; i++)
    g_clear_pointer (&self->common_browsers[i], avahi_service_browser_free);
  g_clear_pointer (&self->client, avahi_client_free);
}

static void
start_client (VouchDiscovery *self)
{
  g_autofree char *message = NULL;
  int error = 0;

  stop_client (self);

  /* NO_FAIL: with no daemon, the client waits for one instead of failing. */
  self->client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL,
                                   client_cb, self, &error);
  if (self->client != NULL)
    return;

  message = g_strdup_printf (_("Cannot reach avahi-daemon (%s); devices on this network cannot be "
                               "found automatically. Vouch keeps trying."), avahi_strerror (error));
  _vouch_discovery_set_status (self, VOUCH_DISCOVERY_STATUS_DAEMON_MISSING, message);
  _vouch_discovery_schedule_restart (self, self->retry_seconds);
  self->retry_seconds = MIN (self->retry_seconds * 2, RETRY_MAX_SECONDS);
}

static gboolean
restart_cb (gpointer user_data)
{
  VouchDiscovery *self = user_data;

  self->restart_id = 0;
  start_client (self);
  return G_SOURCE_REMOVE;
}

/* A client cannot be freed from inside its own callback: rebuild it from
 * the main loop. */
void
_vouch_discovery_schedule_restart (VouchDiscovery *self,
                                   guint           seconds)
{
  if (self->restart_id != 0)
    return;

  if (seconds == 0)
    self->restart_id = g_idle_add (restart_cb, self);
  else
    self->restart_id = g_timeout_add_seconds (seconds, restart_cb, self);
}

static void
create_browsers (VouchDiscovery *self)
{
  gboolean browsing;

  if (self->vouch_browser == NULL)
    self->vouch_browser = avahi_service_browser_new (self->client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                     VOUCH_SERVICE_TYPE, NULL, 0, _vouch_discovery_service_browser_cb, self);
  browsing = self->vouch_browser != NULL;
  for (guint i = 0; i < N_COMMON_TYPES; i++)
    {
      if (self->common_browsers[i] == NULL)
        self->common_browsers[i] = avahi_service_browser_new (self->client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                              vouch_discovery_common_types ()[i], NULL, 0,
                                                              _vouch_discovery_service_browser_cb, self);
      browsing = browsing && self->common_browsers[i] != NULL;
    }

  if (!browsing)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Looking for devices failed (%s). Vouch keeps trying."),
                                 avahi_strerror (avahi_client_errno (self->client)));
      _vouch_discovery_set_status (self, VOUCH_DISCOVERY_STATUS_FAILED, message);
      _vouch_discovery_schedule_restart (self, RETRY_MIN_SECONDS);
      return;
    }

  self->retry_seconds = RETRY_MIN_SECONDS;
  _vouch_discovery_set_status (self, VOUCH_DISCOVERY_STATUS_RUNNING, _("Looking for devices on this network."));
}

static void
client_cb (AvahiClient      *client,
           AvahiClientState  state,
           void             *user_data)
{
  VouchDiscovery *self = user_data;
  int error;

  /* The first call comes from inside avahi_client_new(), before it
   * returns the client. */
  self->client = client;

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
    case AVAHI_CLIENT_S_REGISTERING:
    case AVAHI_CLIENT_S_COLLISION:
      create_browsers (self);
      break;

    case AVAHI_CLIENT_CONNECTING:
      _vouch_discovery_set_status (self, VOUCH_DISCOVERY_STATUS_DAEMON_MISSING,
                                   _("avahi-daemon is not running; devices on this network cannot be found "
                                     "automatically. Vouch keeps trying."));
      /* Browsers of a daemon that went away never report again. */
      if (self->vouch_browser != NULL || self->common_browsers[0] != NULL)
        _vouch_discovery_schedule_restart (self, 0);
      break;

    case AVAHI_CLIENT_FAILURE:
      error = avahi_client_errno (client);
      if (error == AVAHI_ERR_DISCONNECTED)
        {
          _vouch_discovery_set_status (self, VOUCH_DISCOVERY_STATUS_DAEMON_MISSING,
                                       _("avahi-daemon stopped; devices on this network cannot be found "
                                         "automatically. Vouch keeps trying."));
          _vouch_discovery_schedule_restart (self, 0);
        }
      else
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("Looking for devices failed (%s). Vouch keeps trying."),
                                     avahi_strerror (error));
          _vouch_discovery_set_status (self, VOUCH_DISCOVERY_STATUS_FAILED, message);
          _vouch_discovery_schedule_restart (self, self->retry_seconds);
          self->retry_seconds = MIN (self->retry_seconds * 2, RETRY_MAX_SECONDS);
        }
      break;

    default:
      break;
    }
}

/* GListModel */

static GType
vouch_discovery_get_item_type (GListModel *model)
{
  return VOUCH_TYPE_DEVICE;
}

static guint
vouch_discovery_get_n_items (GListModel *model)
{
  VouchDiscovery *self = VOUCH_DISCOVERY (model);

  return self->devices->len;
}

static gpointer
vouch_discovery_get_item (GListModel *model,
                          guint       position)
{
  VouchDiscovery *self = VOUCH_DISCOVERY (model);

  if (position >= self->devices->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->devices, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = vouch_discovery_get_item_type;
  iface->get_n_items = vouch_discovery_get_n_items;
  iface->get_item = vouch_discovery_get_item;
}

/* GObject */

static void
vouch_discovery_dispose (GObject *object)
{
  VouchDiscovery *self = (VouchDiscovery *)object;

  /* Resolvers and browsers before the client they belong to. */
  g_clear_handle_id (&self->restart_id, g_source_remove);
  g_clear_pointer (&self->services, g_hash_table_unref);
  _vouch_discovery_ssdp_stop (self);
  g_clear_pointer (&self->vouch_browser, avahi_service_browser_free);
  for (guint i = 0; i < N_COMMON_TYPES; i++)
    g_clear_pointer (&self->common_browsers[i], avahi_service_browser_free);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
  g_clear_object (&self->inventory);

  G_OBJECT_CLASS (vouch_discovery_parent_class)->dispose (object);
}

static void
vouch_discovery_finalize (GObject *object)
{
  VouchDiscovery *self = (VouchDiscovery *)object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->known, g_hash_table_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->status_message, g_free);

  G_OBJECT_CLASS (vouch_discovery_parent_class)->finalize (object);
}

static void
vouch_discovery_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VouchDiscovery *self = VOUCH_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_INVENTORY:
      g_value_set_object (value, self->inventory);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, self->status_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_discovery_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VouchDiscovery *self = VOUCH_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_INVENTORY:
      self->inventory = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_discovery_class_init (VouchDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_discovery_dispose;
  object_class->finalize = vouch_discovery_finalize;
  object_class->get_property = vouch_discovery_get_property;
  object_class->set_property = vouch_discovery_set_property;

  properties[PROP_INVENTORY] =
    g_param_spec_object ("inventory", NULL, NULL, VOUCH_TYPE_INVENTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, VOUCH_TYPE_DISCOVERY_STATUS, VOUCH_DISCOVERY_STATUS_STARTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_MESSAGE] =
    g_param_spec_string ("status-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_discovery_init (VouchDiscovery *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->services = _vouch_discovery_services_new ();
  self->retry_seconds = RETRY_MIN_SECONDS;
  self->status = VOUCH_DISCOVERY_STATUS_STARTING;
  self->status_message = g_strdup (_("Starting to look for devices…"));
}

/**
 * vouch_discovery_new:
 * @inventory: (nullable): where known devices are remembered
 *
 * Returns: (transfer full): a discovery that lists nothing until
 *   vouch_discovery_start() is called
 */
VouchDiscovery *
vouch_discovery_new (VouchInventory *inventory)
{
  g_return_val_if_fail (inventory == NULL || VOUCH_IS_INVENTORY (inventory), NULL);

  return g_object_new (VOUCH_TYPE_DISCOVERY, "inventory", inventory, NULL);
}

static void
load_known_devices (VouchDiscovery *self)
{
  g_autoptr(GListModel) known = NULL;
  g_autoptr(GError) error = NULL;

  if (self->inventory == NULL)
    return;

  known = vouch_inventory_list_devices (self->inventory, &error);
  if (known == NULL)
    {
      g_message ("Could not read the known devices: %s", error->message);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (known); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (known, i);

      g_hash_table_add (self->known, g_strdup (vouch_device_get_id (device)));
      if (!g_hash_table_contains (self->by_id, vouch_device_get_id (device)))
        {
          vouch_device_set_online (device, FALSE);
          _vouch_discovery_add_device (self, device);
        }
    }
}

/**
 * vouch_discovery_start:
 *
 * Lists the devices the inventory knows, offline, and starts browsing on
 * the thread-default main context. Calling it again does nothing.
 */
void
vouch_discovery_start (VouchDiscovery *self)
{
  g_return_if_fail (VOUCH_IS_DISCOVERY (self));

  if (self->started)
    return;
  self->started = TRUE;

  load_known_devices (self);
  self->poll = avahi_glib_poll_new (g_main_context_get_thread_default (), G_PRIORITY_DEFAULT);
  start_client (self);
  _vouch_discovery_ssdp_start (self);
}

VouchDiscoveryStatus
vouch_discovery_get_status (VouchDiscovery *self)
{
  g_return_val_if_fail (VOUCH_IS_DISCOVERY (self), VOUCH_DISCOVERY_STATUS_FAILED);
  return self->status;
}

/**
 * vouch_discovery_get_status_message:
 *
 * Returns: a sentence for the person at the screen about the status
 */
const char *
vouch_discovery_get_status_message (VouchDiscovery *self)
{
  g_return_val_if_fail (VOUCH_IS_DISCOVERY (self), NULL);
  return self->status_message;
}

static gboolean
host_is_valid (const char *host)
{
  gsize len = strlen (host);

  if (g_hostname_is_ip_address (host))
    return TRUE;
  if (len == 0 || len > 253 || host[0] == '.' || host[0] == '-' || strstr (host, "..") != NULL)
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
        return FALSE;
    }

  return TRUE;
}

/**
 * vouch_discovery_parse_address:
 * @host_port: "HOST:PORT", "ADDRESS:PORT" or "[IPV6]:PORT"
 * @host: (out) (optional): the host name or address
 * @port: (out) (optional): the port
 *
 * Checks an address typed for a device that mDNS cannot reach, without
 * adding it, so a form can say what is wrong before it closes.
 *
 * Returns: whether @host_port is a usable device address; if not, sets
 *   %VOUCH_ERROR_INVALID_INPUT saying why
 */
gboolean
vouch_discovery_parse_address (const char  *host_port,
                               char       **host,
                               guint16     *port,
                               GError     **error)
{
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *parsed_host;
  guint16 parsed_port;

  g_return_val_if_fail (host_port != NULL, FALSE);

  if (*host_port == '\0' || strlen (host_port) > 300 || !g_utf8_validate (host_port, -1, NULL))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("That is not a device address; write it as HOST:PORT, for example "
                     "printer.local:443"));
      return FALSE;
    }

  address = g_network_address_parse (host_port, 0, &local_error);
  if (address == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("“%s” is not a device address (%s); write it as HOST:PORT, for example "
                     "printer.local:443 or [fd00::5]:443"), host_port, local_error->message);
      return FALSE;
    }

  parsed_host = g_network_address_get_hostname (G_NETWORK_ADDRESS (address));
  parsed_port = g_network_address_get_port (G_NETWORK_ADDRESS (address));
  if (parsed_port == 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("“%s” has no port; write it as HOST:PORT with a port from 1 to 65535, "
                     "for example printer.local:443"), host_port);
      return FALSE;
    }
  if (!host_is_valid (parsed_host))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("“%s” is not a valid host name or IP address"), parsed_host);
      return FALSE;
    }

  if (host != NULL)
    *host = g_strdup (parsed_host);
  if (port != NULL)
    *port = parsed_port;
  return TRUE;
}

/**
 * vouch_discovery_add_manual:
 * @host_port: "HOST:PORT", "ADDRESS:PORT" or "[IPV6]:PORT"
 *
 * Adds a device that mDNS cannot reach, such as one on another subnet.
 * Until Vouch talks to it, the device's id is "manual:HOST:PORT"; the
 * client that first reaches the device learns its real id. The device is
 * remembered in the inventory and stays listed. Adding the same address
 * twice returns the device added first.
 *
 * Returns: (transfer none): the device, or %NULL with
 *   %VOUCH_ERROR_INVALID_INPUT if @host_port is not a usable address
 */
VouchDevice *
vouch_discovery_add_manual (VouchDiscovery  *self,
                            const char      *host_port,
                            GError         **error)
{
  g_autoptr(VouchDevice) device = NULL;
  g_autofree char *host = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  VouchDevice *existing;
  guint16 port = 0;

  g_return_val_if_fail (VOUCH_IS_DISCOVERY (self), NULL);
  g_return_val_if_fail (host_port != NULL, NULL);

  if (!vouch_discovery_parse_address (host_port, &host, &port, error))
    return NULL;

  if (strchr (host, ':') != NULL)
    name = g_strdup_printf ("[%s]:%u", host, port);
  else
    name = g_strdup_printf ("%s:%u", host, port);
  id = g_strconcat ("manual:", name, NULL);

  existing = g_hash_table_lookup (self->by_id, id);
  if (existing != NULL)
    return existing;

  device = vouch_device_new (id, VOUCH_DEVICE_KIND_VOUCH);
  vouch_device_set_name (device, name);
  vouch_device_set_host (device, host);
  vouch_device_set_port (device, port);
  if (g_hostname_is_ip_address (host))
    {
      const char * const addresses[] = { host, NULL };

      vouch_device_set_addresses (device, addresses);
    }
  vouch_device_set_manual (device, TRUE);

  _vouch_discovery_save_device (self, device);
  _vouch_discovery_add_device (self, device);
  return device;
}

/**
 * vouch_discovery_lookup:
 * @id_or_name: a device id, the exact name, or the host
 *
 * Returns: (transfer none) (nullable): the device
 */
VouchDevice *
vouch_discovery_lookup (VouchDiscovery *self,
                        const char     *id_or_name)
{
  VouchDevice *device;

  g_return_val_if_fail (VOUCH_IS_DISCOVERY (self), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);

  device = g_hash_table_lookup (self->by_id, id_or_name);
  if (device != NULL)
    return device;

  for (guint i = 0; i < self->devices->len; i++)
    {
      device = g_ptr_array_index (self->devices, i);
      if (g_strcmp0 (vouch_device_get_name (device), id_or_name) == 0)
        return device;
    }
  for (guint i = 0; i < self->devices->len; i++)
    {
      device = g_ptr_array_index (self->devices, i);
      if (g_strcmp0 (vouch_device_get_host (device), id_or_name) == 0)
        return device;
    }

  return NULL;
}
