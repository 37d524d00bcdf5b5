/* main.c: vouch-agent, the reference device for docs/device-api.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-agent-publisher.h"
#include "vouch-agent-server.h"
#include "vouch-agent-state.h"
#include "vouch-util.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <qrencode.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static char *opt_state_dir;
static char *opt_name;
static char *opt_model;
static char *opt_host_name;
static char *opt_address;
static int opt_port;
static char *opt_admin_token;
static char *opt_setup_code_file;
static char *opt_identity_cert;
static char *opt_identity_key;
static gboolean opt_no_mdns;
static gboolean opt_allow_lan;

static const GOptionEntry entries[] = {
  { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_state_dir,
    N_("Keep keys, certificates and the device id in DIR"), N_("DIR") },
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_name,
    N_("Human-friendly device name, announced over mDNS"), N_("NAME") },
  { "model", 0, 0, G_OPTION_ARG_STRING, &opt_model, N_("Device model"), N_("MODEL") },
  { "hostname", 0, 0, G_OPTION_ARG_STRING, &opt_host_name,
    N_("mDNS host name (default: derived from the name, e.g. boiler-room-gateway.local)"), N_("HOST") },
  { "address", 0, 0, G_OPTION_ARG_STRING, &opt_address,
    N_("IP address to listen on and announce (default 127.0.0.1)"), N_("ADDRESS") },
  { "port", 0, 0, G_OPTION_ARG_INT, &opt_port,
    N_("TCP port; 0 picks a free one (default)"), N_("PORT") },
  { "admin-token", 0, 0, G_OPTION_ARG_STRING, &opt_admin_token,
    N_("Admin secret for changes (default: $VOUCH_AGENT_ADMIN_TOKEN, else a pairing token kept in the state directory)"),
    N_("TOKEN") },
  { "setup-code-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_setup_code_file,
    N_("Write the setup code and its QR payload to FILE (default: DIR/setup-code)"), N_("FILE") },
  { "identity-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_identity_cert,
    N_("Manufacturer-issued (IDevID) certificate chain to use as identity"), N_("FILE") },
  { "identity-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_identity_key,
    N_("Key of the --identity-cert certificate"), N_("FILE") },
  { "no-mdns", 0, 0, G_OPTION_ARG_NONE, &opt_no_mdns, N_("Do not announce over mDNS"), NULL },
  { "allow-lan", 0, 0, G_OPTION_ARG_NONE, &opt_allow_lan,
    N_("Allow listening on a non-loopback address"), NULL },
  { NULL }
};

/* "Boiler room gateway" → "boiler-room-gateway.local": one DNS label,
 * letters, digits and single hyphens. */
static char *
host_name_from_name (const char *name)
{
  g_autoptr(GString) label = g_string_new (NULL);
  g_autofree char *ascii = g_str_to_ascii (name, "C");

  for (const char *p = ascii; *p != '\0' && label->len < 63; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (label, g_ascii_tolower (*p));
      else if (label->len > 0 && label->str[label->len - 1] != '-')
        g_string_append_c (label, '-');
    }
  while (label->len > 0 && label->str[label->len - 1] == '-')
    g_string_truncate (label, label->len - 1);
  if (label->len == 0)
    g_string_append (label, "vouch-device");

  g_string_append (label, ".local");
  return g_string_free (g_steal_pointer (&label), FALSE);
}

/* Letters, digits and hyphens, plus the underscore that real devices
 * sometimes carry: the agent announces what it is given, and leaves it to
 * Vouch's signing policy to refuse names a certificate must not hold. */
static gboolean
host_name_is_usable (const char *host_name)
{
  g_auto(GStrv) labels = g_strsplit (host_name, ".", -1);

  if (strlen (host_name) > 253)
    return FALSE;

  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63)
        return FALSE;
      for (gsize j = 0; j < len; j++)
        if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-' && labels[i][j] != '_')
          return FALSE;
    }

  return TRUE;
}

static gboolean
address_is_allowed (const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

  return inet != NULL && (opt_allow_lan || g_inet_address_get_is_loopback (inet));
}

/* A device without a configured password makes up a pairing token at
 * first start and shows it on its console, as a label would. */
static char *
load_admin_token (const char  *state_dir,
                  gboolean    *out_generated,
                  GError     **error)
{
  g_autofree char *path = g_build_filename (state_dir, "admin-token", NULL);
  g_autofree char *contents = NULL;
  guint8 raw[16];

  *out_generated = FALSE;

  if (opt_admin_token != NULL && *opt_admin_token != '\0')
    return g_strdup (opt_admin_token);
  if (g_getenv ("VOUCH_AGENT_ADMIN_TOKEN") != NULL && *g_getenv ("VOUCH_AGENT_ADMIN_TOKEN") != '\0')
    return g_strdup (g_getenv ("VOUCH_AGENT_ADMIN_TOKEN"));

  if (g_file_get_contents (path, &contents, NULL, NULL) && *g_strstrip (contents) != '\0')
    return g_steal_pointer (&contents);

  gnutls_rnd (GNUTLS_RND_KEY, raw, sizeof raw);
  contents = g_base64_encode (raw, sizeof raw);
  g_strdelimit (contents, "+/=", '-');
  if (!vouch_write_file_atomic (path, contents, strlen (contents), 0600, error))
    return NULL;

  *out_generated = TRUE;
  return g_steal_pointer (&contents);
}

/* Two modules per character with half blocks, so the code stays square
 * on a console; a quiet zone of two modules around it. */
static void
print_qr (const char *payload)
{
  QRcode *qr = QRcode_encodeString (payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  const int margin = 2;
  int size;

  if (qr == NULL)
    return;

  size = qr->width + 2 * margin;
  for (int y = 0; y < size; y += 2)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (int x = 0; x < size; x++)
        {
          int mx = x - margin;
          int my = y - margin;
          gboolean top = mx >= 0 && mx < qr->width && my >= 0 && my < qr->width
                         && (qr->data[my * qr->width + mx] & 1);
          gboolean bottom = mx >= 0 && mx < qr->width && my + 1 >= 0 && my + 1 < qr->width
                            && (qr->data[(my + 1) * qr->width + mx] & 1);

          /* Light modules are drawn, dark ones left blank: on the usual
           * dark console this gives dark-on-light, as scanners expect. */
          if (!top && !bottom)
            g_string_append (line, "█");
          else if (!top)
            g_string_append (line, "▀");
          else if (!bottom)
            g_string_append (line, "▄");
          else
            g_string_append_c (line, ' ');
        }
      g_print ("%s\n", line->str);
    }

  QRcode_free (qr);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchAgentState) state = NULL;
  g_autoptr(VouchAgentServer) server = NULL;
  g_autoptr(VouchAgentPublisher) publisher = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *host_name = NULL;
  g_autofree char *admin_token = NULL;
  g_autofree char *qr_payload = NULL;
  g_autofree char *setup_code_file = NULL;
  g_autofree char *setup_code_text = NULL;
  gboolean token_generated = FALSE;
  const char *name;
  guint port;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The agent holds its device's private key: no core dumps, no ptrace
   * by other processes of the same user. */
  vouch_process_harden ();

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("A reference device for Vouch: serves the device API over HTTPS and "
                                  "announces itself over mDNS. The first line on standard output is "
                                  "“port: N”, the port it listens on."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("vouch-agent: %s\n", error->message);
      return 2;
    }

  name = opt_name != NULL ? opt_name : "Vouch device";
  if (opt_port < 0 || opt_port > G_MAXUINT16)
    {
      g_printerr ("vouch-agent: %s\n", _("The port must be between 0 and 65535."));
      return 2;
    }
  if ((opt_identity_cert == NULL) != (opt_identity_key == NULL))
    {
      g_printerr ("vouch-agent: %s\n", _("--identity-cert and --identity-key go together."));
      return 2;
    }
  if (opt_address == NULL)
    opt_address = g_strdup ("127.0.0.1");
  if (!address_is_allowed (opt_address))
    {
      g_printerr ("vouch-agent: %s\n",
                  _("The address must be a loopback address (127.0.0.0/8 or ::1) unless --allow-lan is given."));
      return 2;
    }

  /* DNS-SD instance names are one DNS label: at most 63 bytes. */
  if (strlen (name) > 63 || !g_utf8_validate (name, -1, NULL))
    {
      g_printerr ("vouch-agent: %s\n", _("The name must be valid UTF-8 of at most 63 bytes."));
      return 2;
    }

  host_name = opt_host_name != NULL ? g_strdup (opt_host_name) : host_name_from_name (name);
  if (!g_str_has_suffix (host_name, ".local"))
    {
      g_autofree char *bare = g_steal_pointer (&host_name);
      host_name = g_strconcat (bare, ".local", NULL);
    }
  if (!host_name_is_usable (host_name))
    {
      g_printerr ("vouch-agent: %s\n",
                  _("--hostname: labels have 1 to 63 letters, digits, hyphens or underscores."));
      return 2;
    }

  state_dir = opt_state_dir != NULL ? g_strdup (opt_state_dir)
                                    : g_build_filename (g_get_user_state_dir (), "vouch-agent", NULL);

  state = vouch_agent_state_new (state_dir, name, opt_model, host_name, opt_address);
  if (!vouch_agent_state_load (state, opt_identity_cert, opt_identity_key, &error))
    {
      g_printerr ("vouch-agent: %s\n", error->message);
      return 1;
    }

  if (!(admin_token = load_admin_token (state_dir, &token_generated, &error)))
    {
      g_printerr ("vouch-agent: %s\n", error->message);
      return 1;
    }

  qr_payload = vouch_agent_state_dup_qr_payload (state);
  setup_code_file = opt_setup_code_file != NULL ? g_strdup (opt_setup_code_file)
                                                : g_build_filename (state_dir, "setup-code", NULL);
  setup_code_text = g_strdup_printf ("%s\n%s\n", vouch_agent_state_get_setup_code (state), qr_payload);
  if (!vouch_write_file_atomic (setup_code_file, setup_code_text, strlen (setup_code_text), 0644, &error))
    {
      g_printerr ("vouch-agent: %s\n", error->message);
      return 1;
    }

  /* Catch SIGTERM before anyone can learn our port and send it. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);

  server = vouch_agent_server_new (state, admin_token);
  if (!vouch_agent_server_listen (server, opt_address, opt_port, &error))
    {
      g_printerr ("vouch-agent: %s\n", error->message);
      return 1;
    }
  port = vouch_agent_server_get_port (server);

  /* Machine-readable, untranslated: scripts and tests read this line. */
  g_print ("port: %u\n", port);

  g_print (_("%s (%s) listening on https://%s:%u%s\n"), name, host_name,
           opt_address, port, VOUCH_AGENT_API_PATH);
  g_print (_("Device id: %s\n"), vouch_agent_state_get_device_id (state));
  g_print (_("Setup code: %s\n"), vouch_agent_state_get_setup_code (state));
  if (token_generated)
    g_print (_("Pairing token: %s\n"), admin_token);
  print_qr (qr_payload);
  fflush (stdout);

  if (!opt_no_mdns)
    {
      publisher = vouch_agent_publisher_new (state, port);
      /* Without avahi the device still serves HTTPS; the publisher keeps
       * trying in the background. */
      if (!vouch_agent_publisher_start (publisher, &error))
        {
          g_printerr ("vouch-agent: %s\n", error->message);
          g_clear_error (&error);
        }
    }

  g_main_loop_run (loop);

  /* Withdraw the announcement before going, so browsers drop us now
   * rather than when the records expire. */
  if (publisher != NULL)
    vouch_agent_publisher_stop (publisher);

  g_clear_pointer (&opt_state_dir, g_free);
  g_clear_pointer (&opt_name, g_free);
  g_clear_pointer (&opt_model, g_free);
  g_clear_pointer (&opt_host_name, g_free);
  g_clear_pointer (&opt_address, g_free);
  g_clear_pointer (&opt_admin_token, g_free);
  g_clear_pointer (&opt_setup_code_file, g_free);
  g_clear_pointer (&opt_identity_cert, g_free);
  g_clear_pointer (&opt_identity_key, g_free);

  return 0;
}
