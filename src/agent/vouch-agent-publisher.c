/* vouch-agent-publisher.c
 *
 * Publishes one _vouch._tcp service and the device's own host name through
 * avahi-daemon, renames after a collision the way Avahi does ("Name #2",
 * "host-2.local"), and re-announces the TXT record whenever the state or
 * the TLS key changes.  The TXT record is described in docs/device-api.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-agent-publisher.h"

#include "vouch-agent-server.h"
#include "vouch-error.h"

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-glib/glib-malloc.h>
#include <avahi-glib/glib-watch.h>
#include <glib/gi18n.h>
#include <string.h>

/* DNS-SD asks to keep TXT records small; ours stay within 200 bytes. */
#define TXT_MAX_BYTES 200
#define MAX_RENAMES 32

struct _VouchAgentPublisher
{
  GObject          parent_instance;

  VouchAgentState *state;
  guint            port;
  char            *service_name;

  AvahiGLibPoll   *poll;
  AvahiClient     *client;
  AvahiEntryGroup *group;
  guint            restart_id;
  guint            collisions;
};

G_DEFINE_FINAL_TYPE (VouchAgentPublisher, vouch_agent_publisher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PORT,
  PROP_SERVICE_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void create_services (VouchAgentPublisher *self);
static gboolean start_client (VouchAgentPublisher  *self,
                              GError              **error);

static char **
vouch_agent_publisher_dup_txt (VouchAgentPublisher *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *fp = vouch_agent_state_dup_fp_hint (self->state);
  g_autofree char *id = g_strconcat ("id=", vouch_agent_state_get_device_id (self->state), NULL);
  g_autofree char *state = g_strconcat ("state=", vouch_agent_state_get_lifecycle (self->state), NULL);
  g_autofree char *fp_entry = g_strconcat ("fp=", fp, NULL);
  g_autofree char *model = g_strconcat ("model=", vouch_agent_state_get_model (self->state), NULL);
  const char *fixed[] = { "txtvers=1", "path=" VOUCH_AGENT_API_PATH, id, state, fp_entry };
  gsize used = 0;
  gsize room;

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      g_strv_builder_add (builder, fixed[i]);
      used += strlen (fixed[i]) + 1;
    }

  /* Only the model is free text; shorten it, on a character boundary, so
   * the record fits. */
  room = TXT_MAX_BYTES - used - 1;
  if (strlen (model) > room)
    {
      char *end = model + room;

      while (end > model && (*end & 0xc0) == 0x80)
        end--;
      *end = '\0';
    }
  g_strv_builder_add (builder, model);

  return g_strv_builder_end (builder);
}

static AvahiStringList *
build_txt (VouchAgentPublisher *self)
{
  g_auto(GStrv) entries = vouch_agent_publisher_dup_txt (self);
  AvahiStringList *list = NULL;

  /* avahi_string_list_add() prepends and serialising reverses back, so
   * adding in wire order puts txtvers=1 first on the wire (avahi-browse
   * prints the list the other way round). */
  for (guint i = 0; entries[i] != NULL; i++)
    list = avahi_string_list_add (list, entries[i]);

  return list;
}

static void
rename_service (VouchAgentPublisher *self)
{
  char *alternative = avahi_alternative_service_name (self->service_name);

  g_message (_("Service name “%s” is taken, trying “%s”"), self->service_name, alternative);
  g_free (self->service_name);
  self->service_name = g_strdup (alternative);
  avahi_free (alternative);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_NAME]);
}

static void
rename_host (VouchAgentPublisher *self)
{
  const char *host_name = vouch_agent_state_get_host_name (self->state);
  g_autofree char *label = g_strdup (host_name);
  char *dot = strchr (label, '.');
  char *alternative;

  if (dot != NULL)
    *dot = '\0';
  alternative = avahi_alternative_host_name (label);

  g_autofree char *renamed = g_strconcat (alternative, ".local", NULL);
  avahi_free (alternative);
  g_message (_("Host name “%s” is taken, trying “%s”"), host_name, renamed);

  /* The state notices the certificate no longer covers the new name. */
  vouch_agent_state_set_host_name (self->state, renamed);
}

static void
entry_group_cb (AvahiEntryGroup      *group,
                AvahiEntryGroupState  state,
                void                 *user_data)
{
  VouchAgentPublisher *self = user_data;

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      self->collisions = 0;
      g_message (_("Published “%s” as %s"), self->service_name,
                 vouch_agent_state_get_host_name (self->state));
      break;

    case AVAHI_ENTRY_GROUP_COLLISION:
      /* Another device on the link holds one of our names.  The group does
       * not say which: rename the service first, and the host too if that
       * was not enough. */
      rename_service (self);
      if (++self->collisions > 1)
        rename_host (self);
      avahi_entry_group_reset (group);
      create_services (self);
      break;

    case AVAHI_ENTRY_GROUP_FAILURE:
      g_message (_("Publishing failed: %s"),
                 avahi_strerror (avahi_client_errno (avahi_entry_group_get_client (group))));
      break;

    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
    default:
      break;
    }
}

static void
create_services (VouchAgentPublisher *self)
{
  AvahiAddress address;
  int ret = 0;

  if (self->group == NULL)
    {
      self->group = avahi_entry_group_new (self->client, entry_group_cb, self);
      if (self->group == NULL)
        {
          g_message (_("Could not create an mDNS entry group: %s"),
                     avahi_strerror (avahi_client_errno (self->client)));
          return;
        }
    }

  if (!avahi_entry_group_is_empty (self->group))
    return;

  if (avahi_address_parse (vouch_agent_state_get_address (self->state), AVAHI_PROTO_UNSPEC, &address) == NULL)
    {
      g_message (_("Cannot announce the address “%s”"), vouch_agent_state_get_address (self->state));
      return;
    }

  /* Other devices on the same (simulated) link may hold our names: rename
   * and try again, a bounded number of times. */
  for (guint attempt = 0; attempt < MAX_RENAMES; attempt++)
    {
      AvahiStringList *txt;

      /* No reverse (PTR) record: several devices may share one address,
       * each on its own port, and their reverse records would collide. */
      ret = avahi_entry_group_add_address (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                           AVAHI_PUBLISH_NO_REVERSE,
                                           vouch_agent_state_get_host_name (self->state), &address);
      if (ret == AVAHI_ERR_COLLISION)
        {
          rename_host (self);
          avahi_entry_group_reset (self->group);
          continue;
        }
      if (ret < 0)
        break;

      txt = build_txt (self);
      ret = avahi_entry_group_add_service_strlst (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
                                                  self->service_name, VOUCH_AGENT_SERVICE_TYPE, NULL,
                                                  vouch_agent_state_get_host_name (self->state),
                                                  self->port, txt);
      avahi_string_list_free (txt);
      if (ret == AVAHI_ERR_COLLISION)
        {
          rename_service (self);
          avahi_entry_group_reset (self->group);
          continue;
        }
      if (ret < 0)
        break;

      ret = avahi_entry_group_commit (self->group);
      break;
    }

  if (ret < 0)
    g_message (_("Could not publish the service: %s"), avahi_strerror (ret));
}

static void
update_txt (VouchAgentPublisher *self)
{
  AvahiStringList *txt;
  int ret;

  if (self->group == NULL || avahi_entry_group_is_empty (self->group))
    return;

  txt = build_txt (self);
  ret = avahi_entry_group_update_service_txt_strlst (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
                                                     self->service_name, VOUCH_AGENT_SERVICE_TYPE, NULL,
                                                     txt);
  avahi_string_list_free (txt);
  if (ret < 0)
    g_message (_("Could not update the TXT record: %s"), avahi_strerror (ret));
}

static void
host_name_changed_cb (VouchAgentPublisher *self)
{
  /* Names are part of the group: withdraw and publish again. */
  if (self->group != NULL && !avahi_entry_group_is_empty (self->group)
      && avahi_entry_group_get_state (self->group) == AVAHI_ENTRY_GROUP_ESTABLISHED)
    {
      avahi_entry_group_reset (self->group);
      create_services (self);
    }
}

static gboolean
restart_cb (gpointer user_data)
{
  VouchAgentPublisher *self = user_data;
  g_autoptr(GError) error = NULL;

  self->restart_id = 0;
  if (!start_client (self, &error))
    g_message ("%s", error->message);

  return G_SOURCE_REMOVE;
}


static void
client_cb (AvahiClient      *client,
           AvahiClientState  state,
           void             *user_data)
{
  VouchAgentPublisher *self = user_data;

  /* Called from inside avahi_client_new(), before it returns. */
  self->client = client;

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      create_services (self);
      break;

    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      if (self->group != NULL)
        avahi_entry_group_reset (self->group);
      break;

    case AVAHI_CLIENT_FAILURE:
      /* The daemon went away; a client cannot be freed from its own
       * callback, so start over from the main loop. */
      g_message (_("Lost avahi-daemon: %s"), avahi_strerror (avahi_client_errno (client)));
      if (self->restart_id == 0)
        self->restart_id = g_timeout_add_seconds (1, restart_cb, self);
      break;

    case AVAHI_CLIENT_CONNECTING:
    default:
      break;
    }
}

#define RETRY_SECONDS 5

static void
stop_client (VouchAgentPublisher *self)
{
  /* Freeing the group withdraws its records: the daemon sends goodbye
   * packets, and browsers see the device leave at once. */
  g_clear_pointer (&self->group, avahi_entry_group_free);
  g_clear_pointer (&self->client, avahi_client_free);
}

static gboolean
start_client (VouchAgentPublisher  *self,
              GError              **error)
{
  int avahi_error = 0;

  stop_client (self);

  /* NO_FAIL: wait for avahi-daemon if it is not (yet) running. */
  self->client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL,
                                   client_cb, self, &avahi_error);
  if (self->client == NULL)
    {
      /* Not even the system bus is there. The device keeps serving HTTPS
       * (it can still be added by address) and tries again later. */
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED,
                   _("Could not connect to avahi-daemon: %s; retrying every %d seconds"),
                   avahi_strerror (avahi_error), RETRY_SECONDS);
      if (self->restart_id == 0)
        self->restart_id = g_timeout_add_seconds (RETRY_SECONDS, restart_cb, self);
      return FALSE;
    }

  return TRUE;
}

gboolean
vouch_agent_publisher_start (VouchAgentPublisher  *self,
                             GError              **error)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_PUBLISHER (self), FALSE);

  if (self->poll == NULL)
    {
      avahi_set_allocator (avahi_glib_allocator ());
      self->poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
    }

  return start_client (self, error);
}

void
vouch_agent_publisher_stop (VouchAgentPublisher *self)
{
  g_return_if_fail (VOUCH_IS_AGENT_PUBLISHER (self));

  g_clear_handle_id (&self->restart_id, g_source_remove);
  stop_client (self);
}

static void
vouch_agent_publisher_constructed (GObject *object)
{
  VouchAgentPublisher *self = (VouchAgentPublisher *)object;

  G_OBJECT_CLASS (vouch_agent_publisher_parent_class)->constructed (object);

  self->service_name = g_strdup (vouch_agent_state_get_name (self->state));
  g_signal_connect_object (self->state, "notify::lifecycle",
                           G_CALLBACK (update_txt), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->state, "notify::tls-certificate",
                           G_CALLBACK (update_txt), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->state, "notify::host-name",
                           G_CALLBACK (host_name_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
vouch_agent_publisher_dispose (GObject *object)
{
  VouchAgentPublisher *self = (VouchAgentPublisher *)object;

  g_clear_handle_id (&self->restart_id, g_source_remove);
  g_clear_pointer (&self->group, avahi_entry_group_free);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
  g_clear_object (&self->state);

  G_OBJECT_CLASS (vouch_agent_publisher_parent_class)->dispose (object);
}

static void
vouch_agent_publisher_finalize (GObject *object)
{
  VouchAgentPublisher *self = (VouchAgentPublisher *)object;

  g_clear_pointer (&self->service_name, g_free);

  G_OBJECT_CLASS (vouch_agent_publisher_parent_class)->finalize (object);
}

static void
vouch_agent_publisher_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  VouchAgentPublisher *self = VOUCH_AGENT_PUBLISHER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_object (value, self->state);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_SERVICE_NAME:
      g_value_set_string (value, self->service_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_agent_publisher_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  VouchAgentPublisher *self = VOUCH_AGENT_PUBLISHER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      self->state = g_value_dup_object (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_agent_publisher_class_init (VouchAgentPublisherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vouch_agent_publisher_constructed;
  object_class->dispose = vouch_agent_publisher_dispose;
  object_class->finalize = vouch_agent_publisher_finalize;
  object_class->get_property = vouch_agent_publisher_get_property;
  object_class->set_property = vouch_agent_publisher_set_property;

  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL, VOUCH_TYPE_AGENT_STATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                         | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 1, G_MAXUINT16, 443,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                       | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE_NAME] =
    g_param_spec_string ("service-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_agent_publisher_init (VouchAgentPublisher *self)
{
}

VouchAgentPublisher *
vouch_agent_publisher_new (VouchAgentState *state,
                           guint            port)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (state), NULL);
  g_return_val_if_fail (port > 0 && port <= G_MAXUINT16, NULL);

  return g_object_new (VOUCH_TYPE_AGENT_PUBLISHER, "state", state, "port", port, NULL);
}
