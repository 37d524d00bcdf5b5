/* vouch-acme-resolve.c
 *
 * Where a challenge's identifier lives: an `ip` identifier is its own
 * address; a `.local` name is asked over mDNS through the system's Avahi
 * daemon (as discovery does), since the system resolver may not speak
 * mDNS; any other name goes to GResolver. Only addresses the validator
 * may connect to are returned, so a name that resolves to a public or
 * loopback address is refused before any packet is sent to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-resolve"

#include "vouch-config.h"

#include "vouch-acme-network-validator-private.h"

#include "vouch-names.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-glib/glib-malloc.h>
#include <avahi-glib/glib-watch.h>
#include <glib/gi18n-lib.h>

typedef struct
{
  char                  *name;
  AvahiGLibPoll         *poll;
  AvahiClient           *client;
  AvahiHostNameResolver *resolver;
  gulong                 cancelled_id;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_pointer (&lookup->resolver, avahi_host_name_resolver_free);
  g_clear_pointer (&lookup->client, avahi_client_free);
  g_clear_pointer (&lookup->poll, avahi_glib_poll_free);
  g_free (lookup->name);
  g_free (lookup);
}

/* Keeps the permitted addresses of @found; fails with the reason the
 * first was refused when none is. */
static void
return_permitted (GTask *task,
                  GList *found)
{
  VouchAcmeNetworkValidator *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) permitted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) first_error = NULL;

  for (GList *l = found; l != NULL; l = l->next)
    {
      g_autoptr(GError) error = NULL;

      if (vouch_acme_network_validator_check_address (self, l->data, &error))
        g_ptr_array_add (permitted, g_object_ref (l->data));
      else if (first_error == NULL)
        first_error = g_steal_pointer (&error);
    }

  if (permitted->len > 0)
    g_task_return_pointer (task, g_steal_pointer (&permitted), (GDestroyNotify)g_ptr_array_unref);
  else if (first_error != NULL)
    g_task_return_error (task, g_steal_pointer (&first_error));
  else
    g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_DNS,
                             _("The name has no address"));
}

static void
resolver_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *found;

  found = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (found == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_DNS,
                                 _("Could not resolve %s: %s"),
                                 (const char *)g_task_get_task_data (task), error->message);
      return;
    }

  return_permitted (task, found);
  g_resolver_free_addresses (found);
}

static gboolean
release_cb (gpointer user_data)
{
  g_object_unref (user_data);
  return G_SOURCE_REMOVE;
}

/* Takes over @task. */
static void
release_later (GTask *task)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_callback (source, release_cb, task, NULL);
  g_source_attach (source, g_task_get_context (task));
}

static void
host_name_cb (AvahiHostNameResolver  *resolver,
              AvahiIfIndex            interface,
              AvahiProtocol           protocol,
              AvahiResolverEvent      event,
              const char             *name,
              const AvahiAddress     *a,
              AvahiLookupResultFlags  flags,
              void                   *user_data)
{
  GTask *task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (event == AVAHI_RESOLVER_FOUND)
    {
      g_autoptr(GInetAddress) address = NULL;
      GList found = { NULL, NULL, NULL };

      if (a->proto == AVAHI_PROTO_INET)
        address = g_inet_address_new_from_bytes ((const guint8 *)&a->data.ipv4.address,
                                                 G_SOCKET_FAMILY_IPV4);
      else
        address = g_inet_address_new_from_bytes (a->data.ipv6.address, G_SOCKET_FAMILY_IPV6);
      found.data = address;
      return_permitted (task, &found);
    }
  else
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_DNS,
                               _("No device answered for %s over mDNS: %s"), lookup->name,
                               avahi_strerror (avahi_client_errno (lookup->client)));
    }

  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, lookup->cancelled_id);
  /* Avahi's objects cannot be freed inside their own callback: the task
   * (which owns them) goes once Avahi has returned. */
  release_later (task);
}

static void
lookup_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Lookup *lookup = g_task_get_task_data (task);

  /* Runs on the task's context: stop Avahi calling back, then answer. */
  g_clear_pointer (&lookup->resolver, avahi_host_name_resolver_free);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  lookup_cancelled_cb (NULL, user_data);
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  /* g_cancellable_cancel() may run on another thread; Avahi's objects
   * belong to the task's context. */
  g_main_context_invoke (g_task_get_context (G_TASK (user_data)), cancelled_idle_cb, user_data);
}

static void
resolve_mdns (GTask      *task,
              const char *name)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  Lookup *lookup = g_new0 (Lookup, 1);
  int error = 0;

  lookup->name = g_strdup (name);
  g_task_set_task_data (task, lookup, (GDestroyNotify)lookup_free);

  avahi_set_allocator (avahi_glib_allocator ());
  lookup->poll = avahi_glib_poll_new (g_main_context_get_thread_default (), G_PRIORITY_DEFAULT);
  lookup->client = avahi_client_new (avahi_glib_poll_get (lookup->poll), 0, NULL, NULL, &error);
  if (lookup->client == NULL)
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_DNS,
                               _("Cannot resolve %s: mDNS (Avahi) is not available: %s"),
                               name, avahi_strerror (error));
      g_object_unref (task);
      return;
    }

  lookup->resolver = avahi_host_name_resolver_new (lookup->client, AVAHI_IF_UNSPEC,
                                                   AVAHI_PROTO_UNSPEC, name, AVAHI_PROTO_UNSPEC,
                                                   0, host_name_cb, task);
  if (lookup->resolver == NULL)
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_DNS,
                               _("Cannot resolve %s over mDNS: %s"), name,
                               avahi_strerror (avahi_client_errno (lookup->client)));
      g_object_unref (task);
      return;
    }

  if (cancellable != NULL)
    lookup->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                                  task, NULL);
}

void
_vouch_acme_resolve_async (VouchAcmeNetworkValidator *self,
                           const char                *identifier_type,
                           const char                *identifier_value,
                           GCancellable              *cancellable,
                           GAsyncReadyCallback        callback,
                           gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GResolver) resolver = NULL;
  g_autofree char *name = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _vouch_acme_resolve_async);

  if (g_str_equal (identifier_type, "ip"))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (identifier_value);
      GList found = { NULL, NULL, NULL };

      if (address == NULL)
        {
          g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                                   _("“%s” is not an IP address"), identifier_value);
          return;
        }
      found.data = address;
      return_permitted (task, &found);
      return;
    }

  name = vouch_names_normalize_dns (identifier_value, FALSE, &error);
  if (name == NULL)
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                               "%s", error->message);
      return;
    }

  if (g_str_has_suffix (name, ".local"))
    {
      resolve_mdns (g_steal_pointer (&task), name);
      return;
    }

  g_task_set_task_data (task, g_strdup (name), g_free);
  resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, name, cancellable,
                                   resolver_cb, g_steal_pointer (&task));
}

GPtrArray *
_vouch_acme_resolve_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
