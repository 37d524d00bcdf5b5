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
#include "vouch-config.h"

#include "vouch-discovery.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <arpa/inet.h>
#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-glib/glib-watch.h>
#include <glib/gi18n-lib.h>
#include <net/if.h>
#include <string.h>

#define VOUCH_SERVICE_TYPE "_vouch._tcp"
#define HTTPS_SERVICE_TYPE "_https._tcp"

/* DNS-SD keeps TXT records near 200 bytes; anything far beyond that is not
 * a device we want to hold in memory or in the inventory. */
#define TXT_MAX_ENTRIES 32
#define TXT_MAX_BYTES 1024
#define ID_MAX_LEN 64
#define MAX_ADDRESSES 16

/* Retry a client that could not even be created (no system bus): soon at
 * first, then less often. */
#define RETRY_MIN_SECONDS 1
#define RETRY_MAX_SECONDS 30

typedef struct _Service Service;

typedef struct
{
  Service              *service;
  AvahiIfIndex          interface;
  AvahiProtocol         protocol;
  AvahiServiceResolver *resolver;
  char                 *address;
} Instance;

struct _Service
{
  VouchDiscovery     *self;
  char               *key;
  char               *name;
  char               *type;
  char               *domain;
  char               *host_name;
  GPtrArray          *instances;
  AvahiRecordBrowser *a_browser;
  AvahiRecordBrowser *aaaa_browser;
  /* Address → how many (interface, protocol) records announce it. */
  GHashTable         *host_addresses;
  VouchDevice        *device;
};

struct _VouchDiscovery
{
  GObject               parent_instance;

  VouchInventory       *inventory;
  GPtrArray            *devices;
  GHashTable           *by_id;
  /* Ids that stay listed while offline: loaded from the inventory. */
  GHashTable           *known;
  GHashTable           *services;

  AvahiGLibPoll        *poll;
  AvahiClient          *client;
  AvahiServiceBrowser  *vouch_browser;
  AvahiServiceBrowser  *https_browser;
  guint                 restart_id;
  guint                 retry_seconds;

  VouchDiscoveryStatus  status;
  char                 *status_message;
  guint                 started : 1;
};

enum {
  PROP_0,
  PROP_INVENTORY,
  PROP_STATUS,
  PROP_STATUS_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);
static void schedule_restart (VouchDiscovery   *self,
                              guint             seconds);
static void client_cb        (AvahiClient      *client,
                              AvahiClientState  state,
                              void             *user_data);

G_DEFINE_ENUM_TYPE (VouchDiscoveryStatus, vouch_discovery_status,
                    G_DEFINE_ENUM_VALUE (VOUCH_DISCOVERY_STATUS_STARTING, "starting"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DISCOVERY_STATUS_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DISCOVERY_STATUS_DAEMON_MISSING, "daemon-missing"),
                    G_DEFINE_ENUM_VALUE (VOUCH_DISCOVERY_STATUS_FAILED, "failed"))

G_DEFINE_FINAL_TYPE_WITH_CODE (VouchDiscovery, vouch_discovery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
set_status (VouchDiscovery       *self,
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

static void
add_device (VouchDiscovery *self,
            VouchDevice    *device)
{
  g_ptr_array_add (self->devices, g_object_ref (device));
  g_hash_table_insert (self->by_id, (char *)vouch_device_get_id (device), device);
  g_list_model_items_changed (G_LIST_MODEL (self), self->devices->len - 1, 0, 1);
}

static void
remove_device (VouchDiscovery *self,
               VouchDevice    *device)
{
  guint position;

  if (!g_ptr_array_find (self->devices, device, &position))
    return;

  g_hash_table_remove (self->by_id, vouch_device_get_id (device));
  g_ptr_array_remove_index (self->devices, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
save_device (VouchDiscovery *self,
             VouchDevice    *device)
{
  g_autoptr(GError) error = NULL;

  if (self->inventory != NULL && !vouch_inventory_save_device (self->inventory, device, &error))
    g_message ("Could not remember the device “%s”: %s", vouch_device_get_id (device), error->message);
}

/* A device stays listed while offline when Vouch has a reason to remember
 * it; one merely seen in passing goes when it leaves. */
static gboolean
device_is_kept (VouchDiscovery *self,
                VouchDevice    *device)
{
  return vouch_device_get_manual (device)
         || vouch_device_get_pin (device) != NULL
         || vouch_device_get_step (device) != VOUCH_ONBOARDING_STEP_FOUND
         || g_hash_table_contains (self->known, vouch_device_get_id (device));
}

/* Services and their instances. */

static void
instance_free (Instance *instance)
{
  g_clear_pointer (&instance->resolver, avahi_service_resolver_free);
  g_free (instance->address);
  g_free (instance);
}

static void
service_free (Service *service)
{
  g_clear_pointer (&service->a_browser, avahi_record_browser_free);
  g_clear_pointer (&service->aaaa_browser, avahi_record_browser_free);
  g_clear_pointer (&service->instances, g_ptr_array_unref);
  g_clear_pointer (&service->host_addresses, g_hash_table_unref);
  g_clear_object (&service->device);
  g_free (service->key);
  g_free (service->name);
  g_free (service->type);
  g_free (service->domain);
  g_free (service->host_name);
  g_free (service);
}

static char *
service_key (const char *type,
             const char *name,
             const char *domain)
{
  return g_strdup_printf ("%s\037%s\037%s", type, name, domain);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

/* Every address the device was seen with: the resolvers' and the host's
 * A and AAAA records, without duplicates, in a stable order. */
static char **
service_dup_addresses (Service *service)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer address;

  for (guint i = 0; i < service->instances->len; i++)
    {
      Instance *instance = g_ptr_array_index (service->instances, i);

      if (instance->address != NULL && !g_hash_table_contains (service->host_addresses, instance->address))
        g_ptr_array_add (all, instance->address);
    }
  g_hash_table_iter_init (&iter, service->host_addresses);
  while (g_hash_table_iter_next (&iter, &address, NULL))
    g_ptr_array_add (all, address);

  g_ptr_array_sort (all, compare_strings);
  for (guint i = 0; i < all->len && i < MAX_ADDRESSES; i++)
    {
      if (i == 0 || g_strcmp0 (all->pdata[i], all->pdata[i - 1]) != 0)
        g_strv_builder_add (builder, all->pdata[i]);
    }

  return g_strv_builder_end (builder);
}

/* The TXT record comes from anyone on the network: keep only short,
 * printable UTF-8 "key=value" strings, and only so many. */
static char **
txt_to_strv (AvahiStringList *txt)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gsize total = 0;
  guint count = 0;

  /* Through D-Bus, avahi-client hands the strings over in wire order. */
  for (AvahiStringList *l = txt; l != NULL && count < TXT_MAX_ENTRIES; l = avahi_string_list_get_next (l))
    {
      const char *text = (const char *)avahi_string_list_get_text (l);
      gsize size = avahi_string_list_get_size (l);
      gboolean printable = size > 0 && text[0] != '=';
      g_autofree char *entry = NULL;

      if (!printable || !g_utf8_validate_len (text, size, NULL))
        continue;
      for (const char *p = text; printable && p < text + size; p = g_utf8_next_char (p))
        printable = !g_unichar_iscntrl (g_utf8_get_char (p));
      if (!printable || total + size + 1 > TXT_MAX_BYTES)
        continue;

      entry = g_strndup (text, size);
      g_strv_builder_add (builder, entry);
      total += size + 1;
      count++;
    }

  return g_strv_builder_end (builder);
}

static const char *
strv_lookup (const char * const *txt,
             const char         *key)
{
  gsize len = strlen (key);

  for (guint i = 0; txt[i] != NULL; i++)
    {
      if (strncmp (txt[i], key, len) == 0 && txt[i][len] == '=')
        return txt[i] + len + 1;
    }

  return NULL;
}

/* Device ids are looked up, stored and shown: accept only a short token. */
static gboolean
id_is_valid (const char *id)
{
  gsize len = 0;

  if (id == NULL)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++, len++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-_.:", *p) == NULL)
        return FALSE;
    }

  return len > 0 && len <= ID_MAX_LEN;
}

static char *
service_dup_device_id (Service            *service,
                       guint16             port,
                       const char * const *txt)
{
  const char *id = strv_lookup (txt, "id");

  if (g_str_equal (service->type, HTTPS_SERVICE_TYPE))
    return g_strdup_printf ("https:%s:%u", service->host_name, port);
  if (id_is_valid (id))
    return g_strdup (id);
  return g_strdup_printf ("%s@%s", service->name, service->host_name);
}

static gboolean
device_has_other_service (VouchDiscovery *self,
                          VouchDevice    *device,
                          Service        *except)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->services);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Service *other = value;

      if (other != except && other->device == device)
        return TRUE;
    }

  return FALSE;
}

/* The service left (or now names another device): the device goes
 * offline, and out of the list unless it is one to remember. */
static void
service_detach (Service *service)
{
  VouchDiscovery *self = service->self;
  g_autoptr(VouchDevice) device = g_steal_pointer (&service->device);

  if (device == NULL || device_has_other_service (self, device, service))
    return;

  vouch_device_set_online (device, FALSE);
  if (!device_is_kept (self, device))
    remove_device (self, device);
}

static void
service_update_addresses (Service *service)
{
  g_auto(GStrv) addresses = NULL;

  if (service->device == NULL)
    return;
  addresses = service_dup_addresses (service);
  vouch_device_set_addresses (service->device, (const char * const *)addresses);
}

static void
record_browser_cb (AvahiRecordBrowser     *browser,
                   AvahiIfIndex            interface,
                   AvahiProtocol           protocol,
                   AvahiBrowserEvent       event,
                   const char             *name,
                   uint16_t                clazz,
                   uint16_t                type,
                   const void             *rdata,
                   size_t                  size,
                   AvahiLookupResultFlags  flags,
                   void                   *user_data)
{
  Service *service = user_data;
  char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = "";
  char ifname[IF_NAMESIZE] = "";
  guint count;

  if (event != AVAHI_BROWSER_NEW && event != AVAHI_BROWSER_REMOVE)
    return;

  if (type == AVAHI_DNS_TYPE_A && size == 4)
    inet_ntop (AF_INET, rdata, text, sizeof text);
  else if (type == AVAHI_DNS_TYPE_AAAA && size == 16)
    {
      inet_ntop (AF_INET6, rdata, text, sizeof text);
      /* A link-local address is useless without its interface. */
      if (IN6_IS_ADDR_LINKLOCAL ((const struct in6_addr *)rdata) && if_indextoname (interface, ifname) != NULL)
        {
          g_strlcat (text, "%", sizeof text);
          g_strlcat (text, ifname, sizeof text);
        }
    }
  else
    return;

  count = GPOINTER_TO_UINT (g_hash_table_lookup (service->host_addresses, text));
  if (event == AVAHI_BROWSER_NEW)
    g_hash_table_insert (service->host_addresses, g_strdup (text), GUINT_TO_POINTER (count + 1));
  else if (count > 1)
    g_hash_table_insert (service->host_addresses, g_strdup (text), GUINT_TO_POINTER (count - 1));
  else
    g_hash_table_remove (service->host_addresses, text);

  service_update_addresses (service);
}

static void
service_browse_host (Service    *service,
                     const char *host_name)
{
  AvahiClient *client = service->self->client;

  if (g_strcmp0 (service->host_name, host_name) == 0)
    return;

  g_clear_pointer (&service->a_browser, avahi_record_browser_free);
  g_clear_pointer (&service->aaaa_browser, avahi_record_browser_free);
  g_hash_table_remove_all (service->host_addresses);
  g_free (service->host_name);
  service->host_name = g_strdup (host_name);

  service->a_browser = avahi_record_browser_new (client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, host_name,
                                                 AVAHI_DNS_CLASS_IN, AVAHI_DNS_TYPE_A, 0,
                                                 record_browser_cb, service);
  service->aaaa_browser = avahi_record_browser_new (client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, host_name,
                                                    AVAHI_DNS_CLASS_IN, AVAHI_DNS_TYPE_AAAA, 0,
                                                    record_browser_cb, service);
}

static void
service_resolved (Service            *service,
                  const char         *host_name,
                  guint16             port,
                  const char * const *txt)
{
  VouchDiscovery *self = service->self;
  g_autofree char *id = NULL;
  g_auto(GStrv) addresses = NULL;
  g_autofree char *old_host = NULL;
  g_autoptr(VouchDevice) created = NULL;
  VouchDevice *device;
  gboolean save;
  guint16 old_port;

  service_browse_host (service, host_name);
  id = service_dup_device_id (service, port, txt);

  if (service->device != NULL && !g_str_equal (vouch_device_get_id (service->device), id))
    service_detach (service);

  device = g_hash_table_lookup (self->by_id, id);
  if (device == NULL)
    created = device = vouch_device_new (id, g_str_equal (service->type, HTTPS_SERVICE_TYPE)
                                               ? VOUCH_DEVICE_KIND_HTTPS_ONLY : VOUCH_DEVICE_KIND_VOUCH);
  if (service->device == NULL)
    service->device = g_object_ref (device);

  old_host = g_strdup (vouch_device_get_host (device));
  old_port = vouch_device_get_port (device);
  save = !vouch_device_get_online (device);

  addresses = service_dup_addresses (service);
  g_object_freeze_notify (G_OBJECT (device));
  vouch_device_set_name (device, service->name);
  if (strv_lookup (txt, "model") != NULL)
    vouch_device_set_model (device, strv_lookup (txt, "model"));
  vouch_device_set_host (device, host_name);
  vouch_device_set_port (device, port);
  vouch_device_set_addresses (device, (const char * const *)addresses);
  vouch_device_set_txt (device, txt);
  vouch_device_set_online (device, TRUE);
  g_object_thaw_notify (G_OBJECT (device));

  /* Views see a new device complete, never half filled in. */
  if (created != NULL)
    add_device (self, created);

  /* Remember it, so the next run lists it even before it answers; only
   * when something worth remembering changed, to keep writes rare. */
  if (save || old_port != port || g_strcmp0 (old_host, host_name) != 0)
    save_device (self, device);
}

static void
resolver_cb (AvahiServiceResolver   *resolver,
             AvahiIfIndex            interface,
             AvahiProtocol           protocol,
             AvahiResolverEvent      event,
             const char             *name,
             const char             *type,
             const char             *domain,
             const char             *host_name,
             const AvahiAddress     *address,
             uint16_t                port,
             AvahiStringList        *txt,
             AvahiLookupResultFlags  flags,
             void                   *user_data)
{
  Instance *instance = user_data;
  char text[AVAHI_ADDRESS_STR_MAX] = "";
  g_auto(GStrv) strings = NULL;

  if (event != AVAHI_RESOLVER_FOUND)
    {
      /* A device that does not answer its resolver is not listed; the
       * browser tells us when it announces again. */
      g_debug ("Could not resolve “%s” (%s): %s", name, type,
               avahi_strerror (avahi_client_errno (avahi_service_resolver_get_client (resolver))));
      return;
    }

  if (host_name == NULL || !g_utf8_validate (host_name, -1, NULL) || port == 0)
    return;

  if (address != NULL)
    avahi_address_snprint (text, sizeof text, address);
  vouch_set_str (&instance->address, text[0] != '\0' ? text : NULL);

  strings = txt_to_strv (txt);
  service_resolved (instance->service, host_name, port, (const char * const *)strings);
}

static Instance *
service_find_instance (Service       *service,
                       AvahiIfIndex   interface,
                       AvahiProtocol  protocol,
                       guint         *position)
{
  for (guint i = 0; i < service->instances->len; i++)
    {
      Instance *instance = g_ptr_array_index (service->instances, i);

      if (instance->interface == interface && instance->protocol == protocol)
        {
          if (position != NULL)
            *position = i;
          return instance;
        }
    }

  return NULL;
}

static void
service_browser_cb (AvahiServiceBrowser    *browser,
                    AvahiIfIndex            interface,
                    AvahiProtocol           protocol,
                    AvahiBrowserEvent       event,
                    const char             *name,
                    const char             *type,
                    const char             *domain,
                    AvahiLookupResultFlags  flags,
                    void                   *user_data)
{
  VouchDiscovery *self = user_data;
  g_autofree char *key = NULL;
  Service *service;
  Instance *instance;
  guint position;

  switch (event)
    {
    case AVAHI_BROWSER_NEW:
      if (!g_utf8_validate (name, -1, NULL))
        return;
      key = service_key (type, name, domain);
      service = g_hash_table_lookup (self->services, key);
      if (service == NULL)
        {
          service = g_new0 (Service, 1);
          service->self = self;
          service->key = g_steal_pointer (&key);
          service->name = g_strdup (name);
          service->type = g_strdup (type);
          service->domain = g_strdup (domain);
          service->instances = g_ptr_array_new_with_free_func ((GDestroyNotify)instance_free);
          service->host_addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (self->services, service->key, service);
        }
      if (service_find_instance (service, interface, protocol, NULL) != NULL)
        return;

      instance = g_new0 (Instance, 1);
      instance->service = service;
      instance->interface = interface;
      instance->protocol = protocol;
      g_ptr_array_add (service->instances, instance);
      instance->resolver = avahi_service_resolver_new (self->client, interface, protocol, name, type, domain,
                                                       AVAHI_PROTO_UNSPEC, 0, resolver_cb, instance);
      if (instance->resolver == NULL)
        g_debug ("Could not resolve “%s”: %s", name, avahi_strerror (avahi_client_errno (self->client)));
      break;

    case AVAHI_BROWSER_REMOVE:
      key = service_key (type, name, domain);
      service = g_hash_table_lookup (self->services, key);
      if (service == NULL || service_find_instance (service, interface, protocol, &position) == NULL)
        return;
      g_ptr_array_remove_index (service->instances, position);
      if (service->instances->len > 0)
        {
          service_update_addresses (service);
          return;
        }
      service_detach (service);
      g_hash_table_remove (self->services, key);
      break;

    case AVAHI_BROWSER_FAILURE:
      {
        g_autofree char *message = NULL;

        message = g_strdup_printf (_("Looking for devices failed (%s). Vouch keeps trying."),
                                   avahi_strerror (avahi_client_errno (self->client)));
        set_status (self, VOUCH_DISCOVERY_STATUS_FAILED, message);
        schedule_restart (self, RETRY_MIN_SECONDS);
      }
      break;

    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    case AVAHI_BROWSER_ALL_FOR_NOW:
    default:
      break;
    }
}

/* The client, which comes and goes with avahi-daemon. */

static void
drop_services (VouchDiscovery *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->services == NULL)
    return;

  /* Every browser and resolver dies with the client: the devices they
   * found go offline until the new client finds them again. */
  g_hash_table_iter_init (&iter, self->services);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    service_detach (value);
  g_hash_table_remove_all (self->services);
}

static void
stop_client (VouchDiscovery *self)
{
  drop_services (self);
  g_clear_pointer (&self->vouch_browser, avahi_service_browser_free);
  g_clear_pointer (&self->https_browser, avahi_service_browser_free);
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
  set_status (self, VOUCH_DISCOVERY_STATUS_DAEMON_MISSING, message);
  schedule_restart (self, self->retry_seconds);
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
static void
schedule_restart (VouchDiscovery *self,
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
  if (self->vouch_browser == NULL)
    self->vouch_browser = avahi_service_browser_new (self->client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                     VOUCH_SERVICE_TYPE, NULL, 0, service_browser_cb, self);
  if (self->https_browser == NULL)
    self->https_browser = avahi_service_browser_new (self->client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                     HTTPS_SERVICE_TYPE, NULL, 0, service_browser_cb, self);

  if (self->vouch_browser == NULL || self->https_browser == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Looking for devices failed (%s). Vouch keeps trying."),
                                 avahi_strerror (avahi_client_errno (self->client)));
      set_status (self, VOUCH_DISCOVERY_STATUS_FAILED, message);
      schedule_restart (self, RETRY_MIN_SECONDS);
      return;
    }

  self->retry_seconds = RETRY_MIN_SECONDS;
  set_status (self, VOUCH_DISCOVERY_STATUS_RUNNING, _("Looking for devices on this network."));
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
      set_status (self, VOUCH_DISCOVERY_STATUS_DAEMON_MISSING,
                  _("avahi-daemon is not running; devices on this network cannot be found "
                    "automatically. Vouch keeps trying."));
      /* Browsers of a daemon that went away never report again. */
      if (self->vouch_browser != NULL || self->https_browser != NULL)
        schedule_restart (self, 0);
      break;

    case AVAHI_CLIENT_FAILURE:
      error = avahi_client_errno (client);
      if (error == AVAHI_ERR_DISCONNECTED)
        {
          set_status (self, VOUCH_DISCOVERY_STATUS_DAEMON_MISSING,
                      _("avahi-daemon stopped; devices on this network cannot be found "
                        "automatically. Vouch keeps trying."));
          schedule_restart (self, 0);
        }
      else
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("Looking for devices failed (%s). Vouch keeps trying."),
                                     avahi_strerror (error));
          set_status (self, VOUCH_DISCOVERY_STATUS_FAILED, message);
          schedule_restart (self, self->retry_seconds);
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
  g_clear_pointer (&self->vouch_browser, avahi_service_browser_free);
  g_clear_pointer (&self->https_browser, avahi_service_browser_free);
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
  self->services = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)service_free);
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
          add_device (self, device);
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
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(VouchDevice) device = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  VouchDevice *existing;
  const char *host;
  guint16 port;

  g_return_val_if_fail (VOUCH_IS_DISCOVERY (self), NULL);
  g_return_val_if_fail (host_port != NULL, NULL);

  if (*host_port == '\0' || strlen (host_port) > 300 || !g_utf8_validate (host_port, -1, NULL))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("That is not a device address; write it as HOST:PORT, for example "
                     "printer.local:443"));
      return NULL;
    }

  address = g_network_address_parse (host_port, 0, &local_error);
  if (address == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("“%s” is not a device address (%s); write it as HOST:PORT, for example "
                     "printer.local:443 or [fd00::5]:443"), host_port, local_error->message);
      return NULL;
    }

  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (address));
  port = g_network_address_get_port (G_NETWORK_ADDRESS (address));
  if (port == 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("“%s” has no port; write it as HOST:PORT with a port from 1 to 65535, "
                     "for example printer.local:443"), host_port);
      return NULL;
    }
  if (!host_is_valid (host))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("“%s” is not a valid host name or IP address"), host);
      return NULL;
    }

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

  save_device (self, device);
  add_device (self, device);
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
