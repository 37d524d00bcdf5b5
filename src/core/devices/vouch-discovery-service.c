/* vouch-discovery-service.c
 *
 * One announced DNS-SD service, as VouchDiscovery follows it: a resolver
 * per interface and protocol it was seen on (kept open, so Avahi reports
 * TXT and address changes), a record browser for every A and AAAA record
 * of its host, and the mapping of what it announces onto a VouchDevice.
 * Everything it announces is treated as hostile input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-discovery"

#include "vouch-config.h"

#include "vouch-discovery-private.h"
#include "vouch-discovery-guess.h"

#include "vouch-names.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <arpa/inet.h>
#include <avahi-common/error.h>
#include <glib/gi18n-lib.h>
#include <net/if.h>
#include <string.h>

/* DNS-SD keeps TXT records near 200 bytes; anything far beyond that is not
 * a device we want to hold in memory or in the inventory. */
#define TXT_MAX_ENTRIES 32
#define TXT_MAX_BYTES 1024
/* A TXT string is at most 255 bytes on the wire. */
#define TXT_MAX_ENTRY_CHARS 255
#define ID_MAX_LEN 64
#define MAX_ADDRESSES 16
/* A resolve can time out on a busy network; try again a few times. */
#define RESOLVE_RETRY_SECONDS 2
#define MAX_RESOLVE_ATTEMPTS 5

typedef struct _Service Service;

typedef struct
{
  Service              *service;
  AvahiIfIndex          interface;
  AvahiProtocol         protocol;
  AvahiServiceResolver *resolver;
  char                 *address;
  guint                 retry_id;
  guint                 attempts;
} Instance;

struct _Service
{
  VouchDiscovery     *self;
  char               *key;
  char               *name;
  /* The name as people see it: the announced name is kept as is, for
   * Avahi, but only this reaches a VouchDevice. */
  char               *label;
  char               *type;
  char               *domain;
  char               *host_name;
  GPtrArray          *instances;
  AvahiRecordBrowser *a_browser;
  AvahiRecordBrowser *aaaa_browser;
  /* Address -> how many (interface, protocol) records announce it. */
  GHashTable         *host_addresses;
  VouchDevice        *device;
};

static void
instance_free (Instance *instance)
{
  g_clear_handle_id (&instance->retry_id, g_source_remove);
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
  g_free (service->label);
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

/* The TXT record comes from anyone on the network: keep only "key=value"
 * strings, made safe to show, and only so many bytes of them. */
char **
_vouch_discovery_txt_to_strv (AvahiStringList *txt)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gsize total = 0;
  guint count = 0;

  /* Through D-Bus, avahi-client hands the strings over in wire order. */
  for (AvahiStringList *l = txt; l != NULL && count < TXT_MAX_ENTRIES; l = avahi_string_list_get_next (l))
    {
      const char *text = (const char *)avahi_string_list_get_text (l);
      gsize size = avahi_string_list_get_size (l);
      g_autofree char *entry = NULL;
      gsize entry_size;

      if (size == 0 || text[0] == '=')
        continue;

      entry = vouch_text_sanitize (text, (gssize)size, TXT_MAX_ENTRY_CHARS);
      entry_size = strlen (entry);
      if (total + entry_size + 1 > TXT_MAX_BYTES)
        continue;

      g_strv_builder_add (builder, entry);
      total += entry_size + 1;
      count++;
    }

  return g_strv_builder_end (builder);
}

const char *
_vouch_discovery_txt_lookup (const char * const *txt,
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
gboolean
_vouch_discovery_id_is_valid (const char *id)
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
  const char *id = _vouch_discovery_txt_lookup (txt, "id");
  g_autofree char *scheme = NULL;

  if (g_str_equal (service->type, HTTPS_SERVICE_TYPE))
    return g_strdup_printf ("https:%s:%u", service->host_name, port);
  /* Other common types: "ipp:printer.local:631" and the like. */
  if (!g_str_equal (service->type, VOUCH_SERVICE_TYPE))
    {
      scheme = g_strndup (service->type + 1, strcspn (service->type + 1, "."));
      return g_strdup_printf ("%s:%s:%u", scheme, service->host_name, port);
    }
  if (_vouch_discovery_id_is_valid (id))
    return g_strdup (id);
  return g_strdup_printf ("%s@%s", service->label, service->host_name);
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
  if (!_vouch_discovery_device_is_kept (self, device))
    _vouch_discovery_remove_device (self, device);
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
  VouchDeviceCategory category;
  const char *driver = NULL;

  service_browse_host (service, host_name);
  id = service_dup_device_id (service, port, txt);

  if (service->device != NULL && !g_str_equal (vouch_device_get_id (service->device), id))
    service_detach (service);

  device = g_hash_table_lookup (self->by_id, id);
  if (device == NULL)
    created = device = vouch_device_new (id, g_str_equal (service->type, VOUCH_SERVICE_TYPE)
                                               ? VOUCH_DEVICE_KIND_VOUCH : VOUCH_DEVICE_KIND_HTTPS_ONLY);
  if (service->device == NULL)
    service->device = g_object_ref (device);

  old_host = g_strdup (vouch_device_get_host (device));
  old_port = vouch_device_get_port (device);
  save = !vouch_device_get_online (device);

  addresses = service_dup_addresses (service);
  g_object_freeze_notify (G_OBJECT (device));
  vouch_device_set_name (device, service->label);
  if (_vouch_discovery_txt_lookup (txt, "model") != NULL)
    vouch_device_set_model (device, _vouch_discovery_txt_lookup (txt, "model"));
  vouch_device_set_host (device, host_name);
  vouch_device_set_port (device, port);
  vouch_device_set_addresses (device, (const char * const *)addresses);
  vouch_device_set_txt (device, txt);
  category = vouch_discovery_guess (service->type, service->label, txt, &driver);
  vouch_device_set_guess (device, category, driver);
  vouch_device_set_online (device, TRUE);
  g_object_thaw_notify (G_OBJECT (device));

  /* Views see a new device complete, never half filled in. */
  if (created != NULL)
    _vouch_discovery_add_device (self, created);

  /* Remember it, so the next run lists it even before it answers; only
   * when something worth remembering changed, to keep writes rare. */
  if (save || old_port != port || g_strcmp0 (old_host, host_name) != 0)
    _vouch_discovery_save_device (self, device);
}

static void resolver_cb (AvahiServiceResolver   *resolver,
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
                         void                   *user_data);

static void
instance_resolve (Instance *instance)
{
  Service *service = instance->service;
  AvahiClient *client = service->self->client;

  g_clear_pointer (&instance->resolver, avahi_service_resolver_free);
  instance->resolver = avahi_service_resolver_new (client, instance->interface, instance->protocol,
                                                   service->name, service->type, service->domain,
                                                   AVAHI_PROTO_UNSPEC, 0, resolver_cb, instance);
  if (instance->resolver == NULL)
    g_debug ("Could not resolve “%s”: %s", service->name, avahi_strerror (avahi_client_errno (client)));
}

static gboolean
retry_resolve_cb (gpointer user_data)
{
  Instance *instance = user_data;

  instance->retry_id = 0;
  instance->attempts++;
  instance_resolve (instance);
  return G_SOURCE_REMOVE;
}

/* The host name is shown and also used to reach the device, so it cannot
 * be changed into something safe to show: one that holds anything the
 * sanitizer would take out is not a name to follow. */
static gboolean
host_name_is_plain (const char *host_name)
{
  g_autofree char *shown = vouch_text_sanitize (host_name, -1, VOUCH_NAME_MAX_LENGTH + 2);

  return g_strcmp0 (shown, host_name) == 0;
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
      /* A resolver that failed is finished; it cannot be freed from its
       * own callback, so a fresh one is made from the main loop. */
      g_debug ("Could not resolve “%s” (%s): %s", name, type,
               avahi_strerror (avahi_client_errno (avahi_service_resolver_get_client (resolver))));
      if (instance->retry_id == 0 && instance->attempts < MAX_RESOLVE_ATTEMPTS)
        instance->retry_id = g_timeout_add_seconds (RESOLVE_RETRY_SECONDS, retry_resolve_cb, instance);
      return;
    }
  instance->attempts = 0;

  if (host_name == NULL || port == 0 || !host_name_is_plain (host_name))
    return;

  if (address != NULL)
    avahi_address_snprint (text, sizeof text, address);
  vouch_set_str (&instance->address, text[0] != '\0' ? text : NULL);

  strings = _vouch_discovery_txt_to_strv (txt);
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

void
_vouch_discovery_service_browser_cb (AvahiServiceBrowser    *browser,
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
          service->label = vouch_text_sanitize (name, -1, VOUCH_TEXT_MAX_NAME);
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
      instance_resolve (instance);
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
        _vouch_discovery_set_status (self, VOUCH_DISCOVERY_STATUS_FAILED, message);
        _vouch_discovery_schedule_restart (self, RETRY_MIN_SECONDS);
      }
      break;

    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    case AVAHI_BROWSER_ALL_FOR_NOW:
    default:
      break;
    }
}

/**
 * _vouch_discovery_drop_services:
 *
 * Forgets every service, before the client they were found through goes.
 */
void
_vouch_discovery_drop_services (VouchDiscovery *self)
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

/**
 * _vouch_discovery_services_new:
 *
 * Returns: (transfer full): an empty table of services, by type, name and
 *   domain, that frees each service (and its resolvers) on removal
 */
GHashTable *
_vouch_discovery_services_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)service_free);
}
