/* vouch-acme-announcer.c
 *
 * Announces the ACME server on the LAN as draft-tweedale-acme-discovery
 * describes: a `_acme-server._tcp` service whose SRV record names this
 * host and the server's port, and whose TXT record carries `path` (the
 * directory's path), `i` (the identifier types offered: dns, ip) and `v`
 * (the challenge types Vouch validates). Avahi publishes it on the
 * system's daemon, under this host's mDNS name; a name taken by another
 * host is replaced by Avahi's alternative. The records go when the
 * announcer is freed (Avahi sends goodbye packets).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-announcer"

#include "vouch-config.h"

#include "vouch-acme-announcer.h"

#include "vouch-error.h"

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-glib/glib-malloc.h>
#include <avahi-glib/glib-watch.h>
#include <glib/gi18n-lib.h>

/* Bounded, as every loop: names tried before giving up. */
#define MAX_RENAMES 16

struct _VouchAcmeAnnouncer
{
  GObject          parent_instance;

  char            *name;
  char            *path;
  guint16          port;
  AvahiGLibPoll   *poll;
  AvahiClient     *client;
  AvahiEntryGroup *group;
  guint            renames;
  guint            announced : 1;
};

enum {
  PROP_0,
  PROP_ANNOUNCED,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchAcmeAnnouncer, vouch_acme_announcer, G_TYPE_OBJECT)

static void
vouch_acme_announcer_finalize (GObject *object)
{
  VouchAcmeAnnouncer *self = (VouchAcmeAnnouncer *)object;

  g_clear_pointer (&self->group, avahi_entry_group_free);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (vouch_acme_announcer_parent_class)->finalize (object);
}

static void
vouch_acme_announcer_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VouchAcmeAnnouncer *self = VOUCH_ACME_ANNOUNCER (object);

  switch (prop_id)
    {
    case PROP_ANNOUNCED:
      g_value_set_boolean (value, self->announced);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_announcer_class_init (VouchAcmeAnnouncerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vouch_acme_announcer_finalize;
  object_class->get_property = vouch_acme_announcer_get_property;

  properties[PROP_ANNOUNCED] =
    g_param_spec_boolean ("announced", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_acme_announcer_init (VouchAcmeAnnouncer *self)
{
}

/**
 * vouch_acme_announcer_new:
 * @directory_url: the URL `vouchctl acme serve` printed
 *
 * Returns: (transfer full) (nullable): the announcer, or %NULL when the
 *   URL is not an https URL with a port
 */
VouchAcmeAnnouncer *
vouch_acme_announcer_new (const char *directory_url)
{
  g_autoptr(GUri) uri = NULL;
  VouchAcmeAnnouncer *self;
  int port;

  g_return_val_if_fail (directory_url != NULL, NULL);

  uri = g_uri_parse (directory_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    return NULL;
  port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443;

  self = g_object_new (VOUCH_TYPE_ACME_ANNOUNCER, NULL);
  self->port = (guint16)port;
  self->path = g_strdup (*g_uri_get_path (uri) != '\0' ? g_uri_get_path (uri) : "/");
  /* Translators: the name the ACME service is announced under on the
   * LAN; %s is this computer's name. */
  self->name = g_strdup_printf (_("Vouch ACME on %s"), g_get_host_name ());
  return self;
}

static void
set_announced (VouchAcmeAnnouncer *self,
               gboolean            announced)
{
  if (self->announced != !!announced)
    {
      self->announced = !!announced;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOUNCED]);
    }
}

static void
rename_service (VouchAcmeAnnouncer *self)
{
  char *alternative = avahi_alternative_service_name (self->name);

  g_free (self->name);
  self->name = g_strdup (alternative);
  avahi_free (alternative);
  self->renames++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

static void create_service (VouchAcmeAnnouncer *self);

static void
entry_group_cb (AvahiEntryGroup      *group,
                AvahiEntryGroupState  state,
                void                 *user_data)
{
  VouchAcmeAnnouncer *self = user_data;

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      set_announced (self, TRUE);
      break;

    case AVAHI_ENTRY_GROUP_COLLISION:
      set_announced (self, FALSE);
      rename_service (self);
      avahi_entry_group_reset (group);
      create_service (self);
      break;

    case AVAHI_ENTRY_GROUP_FAILURE:
      set_announced (self, FALSE);
      g_message ("Could not announce the ACME server: %s",
                 avahi_strerror (avahi_client_errno (avahi_entry_group_get_client (group))));
      break;

    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
    default:
      break;
    }
}

static void
create_service (VouchAcmeAnnouncer *self)
{
  g_autofree char *path = g_strconcat ("path=", self->path, NULL);
  int ret = 0;

  if (self->group == NULL)
    self->group = avahi_entry_group_new (self->client, entry_group_cb, self);
  if (self->group == NULL || !avahi_entry_group_is_empty (self->group))
    return;

  while (self->renames < MAX_RENAMES)
    {
      ret = avahi_entry_group_add_service (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
                                           self->name, VOUCH_ACME_SERVICE_TYPE, NULL, NULL,
                                           self->port, path, "i=dns,ip",
                                           "v=http-01,tls-alpn-01", NULL);
      if (ret != AVAHI_ERR_COLLISION)
        break;
      rename_service (self);
      avahi_entry_group_reset (self->group);
    }
  if (ret >= 0)
    ret = avahi_entry_group_commit (self->group);
  if (ret < 0)
    g_message ("Could not announce the ACME server: %s", avahi_strerror (ret));
}

static void
client_cb (AvahiClient      *client,
           AvahiClientState  state,
           void             *user_data)
{
  VouchAcmeAnnouncer *self = user_data;

  /* The first call comes from inside avahi_client_new(). */
  self->client = client;

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      create_service (self);
      break;

    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
    case AVAHI_CLIENT_CONNECTING:
      /* The daemon is away or renaming the host: it publishes again
       * when it is running (AVAHI_CLIENT_NO_FAIL keeps the client). */
      set_announced (self, FALSE);
      if (self->group != NULL)
        avahi_entry_group_reset (self->group);
      break;

    case AVAHI_CLIENT_FAILURE:
    default:
      set_announced (self, FALSE);
      break;
    }
}

/**
 * vouch_acme_announcer_start:
 *
 * Starts announcing on the thread-default main context. With no
 * avahi-daemon yet, it waits for one and announces then.
 */
gboolean
vouch_acme_announcer_start (VouchAcmeAnnouncer  *self,
                            GError             **error)
{
  AvahiClient *client;
  int avahi_error = 0;

  g_return_val_if_fail (VOUCH_IS_ACME_ANNOUNCER (self), FALSE);

  if (self->client != NULL)
    return TRUE;

  avahi_set_allocator (avahi_glib_allocator ());
  self->poll = avahi_glib_poll_new (g_main_context_get_thread_default (), G_PRIORITY_DEFAULT);
  client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL, client_cb,
                             self, &avahi_error);
  if (client == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED,
                   _("Cannot announce the ACME server over mDNS: %s"),
                   avahi_strerror (avahi_error));
      return FALSE;
    }
  self->client = client;
  return TRUE;
}

gboolean
vouch_acme_announcer_get_announced (VouchAcmeAnnouncer *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_ANNOUNCER (self), FALSE);
  return self->announced;
}

const char *
vouch_acme_announcer_get_name (VouchAcmeAnnouncer *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_ANNOUNCER (self), NULL);
  return self->name;
}
