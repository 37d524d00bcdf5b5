/* vouchctl-devices.c: “vouchctl devices”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-devices.h"

#include "vouch-device-driver.h"
#include "vouch-discovery.h"
#include "vouch-onboarding.h"
#include "vouchctl-common.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

#define DEFAULT_TIMEOUT_SECONDS 3
#define MAX_TIMEOUT_SECONDS 3600

typedef struct
{
  VouchDiscovery *discovery;
  GMainLoop      *loop;
  /* What the model held at the last change, so removals can be named. */
  GPtrArray      *shown;
  GHashTable     *dirty;
  guint           flush_id;
  gboolean        json;
} Watch;

static char *
format_address (VouchDevice *device)
{
  const char *host = vouch_device_get_host (device);

  if (host == NULL)
    return g_strdup ("-");
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, vouch_device_get_port (device));
  return g_strdup_printf ("%s:%u", host, vouch_device_get_port (device));
}

static const char *
format_state (VouchDevice *device)
{
  if (vouch_device_get_kind (device) == VOUCH_DEVICE_KIND_HTTPS_ONLY)
    return _("HTTPS device without the Vouch API");
  return vouch_device_state_to_string (vouch_device_get_state (device));
}

static void
print_device_line (const char  *prefix,
                   VouchDevice *device)
{
  g_autofree char *address = format_address (device);
  const char *name = vouch_device_get_name (device);

  g_print ("%s%-24s %-8s %-28s %-14s %s\n", prefix, name != NULL ? name : "-",
           vouch_device_get_online (device) ? _("online") : _("offline"),
           address, format_state (device), vouch_device_get_id (device));
}

static void
print_status (VouchDiscovery *discovery,
              gboolean        json)
{
  if (!json && vouch_discovery_get_status (discovery) != VOUCH_DISCOVERY_STATUS_RUNNING)
    g_printerr ("vouchctl: %s\n", vouch_discovery_get_status_message (discovery));
}

static void
print_devices (VouchDiscovery *discovery,
               gboolean        json)
{
  GListModel *model = G_LIST_MODEL (discovery);
  guint n = g_list_model_get_n_items (model);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, vouchctl_enum_nick (VOUCH_TYPE_DISCOVERY_STATUS,
                                                         vouch_discovery_get_status (discovery)));
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, vouch_discovery_get_status_message (discovery));
      json_builder_set_member_name (builder, "devices");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);

          vouchctl_add_device_json (builder, device);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
      return;
    }

  print_status (discovery, FALSE);
  if (n == 0)
    {
      g_print (_("No devices found.\n"));
      return;
    }

  g_print ("%-24s %-8s %-28s %-14s %s\n", _("NAME"), _("ONLINE"), _("ADDRESS"), _("STATE"), _("ID"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);

      print_device_line ("", device);
    }
}

/* --watch prints one line per event; with --json, one compact object. */
static void
print_event (Watch       *watch,
             const char  *event,
             VouchDevice *device)
{
  if (watch->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, event);
      if (device != NULL)
        {
          json_builder_set_member_name (builder, "device");
          vouchctl_add_device_json (builder, device);
        }
      else
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, vouchctl_enum_nick (VOUCH_TYPE_DISCOVERY_STATUS,
                                                             vouch_discovery_get_status (watch->discovery)));
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, vouch_discovery_get_status_message (watch->discovery));
        }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
    }
  else if (device == NULL)
    g_printerr ("vouchctl: %s\n", vouch_discovery_get_status_message (watch->discovery));
  else
    print_device_line (g_str_equal (event, "added") ? "+ " : g_str_equal (event, "removed") ? "- " : "~ ",
                       device);
}

static gboolean
flush_cb (gpointer user_data)
{
  Watch *watch = user_data;
  GHashTableIter iter;
  gpointer device;

  watch->flush_id = 0;
  g_hash_table_iter_init (&iter, watch->dirty);
  while (g_hash_table_iter_next (&iter, &device, NULL))
    print_event (watch, "changed", device);
  g_hash_table_remove_all (watch->dirty);
  return G_SOURCE_REMOVE;
}

/* One change to a device notifies several properties: print it once. */
static void
device_notify_cb (VouchDevice *device,
                  GParamSpec  *pspec,
                  Watch       *watch)
{
  g_hash_table_add (watch->dirty, device);
  if (watch->flush_id == 0)
    watch->flush_id = g_idle_add (flush_cb, watch);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  for (guint i = 0; i < removed; i++)
    {
      VouchDevice *device = g_ptr_array_index (watch->shown, position + i);

      g_signal_handlers_disconnect_by_func (device, device_notify_cb, watch);
      g_hash_table_remove (watch->dirty, device);
      print_event (watch, "removed", device);
    }
  g_ptr_array_remove_range (watch->shown, position, removed);

  for (guint i = 0; i < added; i++)
    {
      VouchDevice *device = g_list_model_get_item (model, position + i);

      g_ptr_array_insert (watch->shown, position + i, device);
      g_signal_connect (device, "notify", G_CALLBACK (device_notify_cb), watch);
      print_event (watch, "added", device);
    }
}

static void
status_cb (VouchDiscovery *discovery,
           GParamSpec     *pspec,
           Watch          *watch)
{
  print_event (watch, "status", NULL);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
watch_devices (VouchDiscovery *discovery,
               GMainLoop      *loop,
               gboolean        json)
{
  Watch watch = { discovery, loop, NULL, NULL, 0, json };

  watch.shown = g_ptr_array_new_with_free_func (g_object_unref);
  watch.dirty = g_hash_table_new (NULL, NULL);
  g_signal_connect (discovery, "items-changed", G_CALLBACK (items_changed_cb), &watch);
  g_signal_connect (discovery, "notify::status", G_CALLBACK (status_cb), &watch);

  vouch_discovery_start (discovery);
  g_main_loop_run (loop);

  g_signal_handlers_disconnect_by_data (discovery, &watch);
  for (guint i = 0; i < watch.shown->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (watch.shown, i), &watch);
  g_clear_handle_id (&watch.flush_id, g_source_remove);
  g_clear_pointer (&watch.shown, g_ptr_array_unref);
  g_clear_pointer (&watch.dirty, g_hash_table_unref);
}

int
vouchctl_devices (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchDiscovery) discovery = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  gboolean watch = FALSE;
  gboolean json = FALSE;
  int timeout = DEFAULT_TIMEOUT_SECONDS;
  int exit_code = 0;
  guint sigint_id;
  guint sigterm_id;
  guint timeout_id = 0;
  const GOptionEntry entries[] = {
    { "watch", 'w', 0, G_OPTION_ARG_NONE, &watch,
      N_("Keep looking and print a line whenever a device appears, changes or leaves"), NULL },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
      N_("Look for devices this long before listing them (default 3)"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list the devices on this network and the known ones"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("devices takes no arguments"));
  if (timeout < 0 || timeout > MAX_TIMEOUT_SECONDS)
    return vouchctl_usage (_("The timeout must be between 0 and %d seconds"), MAX_TIMEOUT_SECONDS);

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  discovery = vouch_discovery_new (vouch_authority_get_inventory (authority));
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  if (watch)
    watch_devices (discovery, loop, json);
  else
    {
      vouch_discovery_start (discovery);
      /* mDNS has no "that is everyone": listen for a while, then list. */
      timeout_id = g_timeout_add_seconds ((guint)timeout, quit_cb, loop);
      g_main_loop_run (loop);
      print_devices (discovery, json);
    }

  g_clear_handle_id (&timeout_id, g_source_remove);
  g_clear_handle_id (&sigint_id, g_source_remove);
  g_clear_handle_id (&sigterm_id, g_source_remove);
  return VOUCHCTL_EXIT_OK;
}
