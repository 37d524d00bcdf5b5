/* vouchctl-acme.c: “vouchctl acme …”, Vouch's ACME server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-acme.h"

#include "vouchctl-acme-admin.h"

#include "vouch-acme-announcer.h"
#include "vouch-acme-approval-policy.h"
#include "vouch-acme-config.h"
#include "vouch-acme-network-validator.h"
#include "vouch-acme-server.h"
#include "vouch-acme-trusting-validator.h"
#include "vouch-error.h"
#include "vouchctl-common.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Preferences' open-mode switch writes acme.ini; follow it live. */
static void
config_changed_cb (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other,
                   GFileMonitorEvent  event,
                   gpointer           user_data)
{
  VouchAcmeApprovalPolicy *policy = user_data;
  g_autoptr(GFile) dir = g_file_get_parent (file);
  g_autofree char *data_dir = g_file_get_path (dir);

  vouch_acme_approval_policy_set_open (policy, vouch_acme_config_get_open (data_dir));
}

static gboolean
is_loopback (const char *address)
{
  g_autoptr(GInetAddress) inet = address != NULL ? g_inet_address_new_from_string (address)
                                                 : NULL;

  return inet != NULL && g_inet_address_get_is_loopback (inet);
}

static int
acme_serve (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchAcmeServer) server = NULL;
  g_autoptr(VouchAcmePolicy) policy = NULL;
  g_autoptr(VouchAcmeValidator) validator = NULL;
  g_autoptr(VouchAcmeAnnouncer) announcer = NULL;
  g_autoptr(GFileMonitor) config_monitor = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *address = NULL;
  g_autofree char *approval = NULL;
  gboolean allow_loopback = FALSE;
  gboolean skip_validation = FALSE;
  gboolean no_announce = FALSE;
  int port = 14000;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &address,
      N_("Listen on this IP address only (default: all)"), N_("A") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Listen on this TCP port (default: 14000)"),
      N_("P") },
    { "approval", 0, 0, G_OPTION_ARG_STRING, &approval,
      N_("ask: the operator approves each new account's names (default); open: any name inside "
         "the root's constraints"), N_("ask|open") },
    { "no-announce", 0, 0, G_OPTION_ARG_NONE, &no_announce,
      N_("Do not announce the directory over DNS-SD (it is not announced when listening on "
         "loopback either)"), NULL },
    { "allow-loopback-validation", 0, 0, G_OPTION_ARG_NONE, &allow_loopback,
      N_("Let challenges be checked on loopback addresses (for tests only)"), NULL },
    { "insecure-skip-validation", 0, 0, G_OPTION_ARG_NONE, &skip_validation,
      N_("Accept every challenge without checking it. FOR TESTS AND BENCHMARKS ONLY: anyone "
         "who reaches the server gets a certificate for any name the root allows"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— serve ACME (RFC 8555); prints the directory URL first"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("acme serve takes no arguments"));
  if (port < 0 || port > 65535)
    return vouchctl_usage (_("--port must be 0 to 65535"));
  if (approval != NULL && !g_str_equal (approval, "ask") && !g_str_equal (approval, "open"))
    return vouchctl_usage (_("--approval is ask or open"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  {
    VouchNameConstraints *constraints =
      vouch_root_ca_get_constraints (vouch_authority_get_root (authority));
    VouchAcmeApprovalPolicy *approval_policy =
      vouch_acme_approval_policy_new (vouch_authority_get_inventory (authority), constraints);

    const char *data_dir = vouch_authority_get_data_dir (authority);

    /* --approval wins; without it, what Preferences chose. */
    if (approval != NULL)
      vouch_acme_approval_policy_set_open (approval_policy, g_str_equal (approval, "open"));
    else
      {
        g_autoptr(GFile) config = vouch_acme_config_get_file (data_dir);

        vouch_acme_approval_policy_set_open (approval_policy,
                                             vouch_acme_config_get_open (data_dir));
        config_monitor = g_file_monitor_file (config, G_FILE_MONITOR_NONE, NULL, NULL);
        if (config_monitor != NULL)
          g_signal_connect (config_monitor, "changed", G_CALLBACK (config_changed_cb),
                            approval_policy);
      }
    policy = VOUCH_ACME_POLICY (approval_policy);
    if (skip_validation)
      validator = vouch_acme_trusting_validator_new ();
    else
      validator = VOUCH_ACME_VALIDATOR (vouch_acme_network_validator_new (constraints,
                                                                          allow_loopback));
  }
  server = vouch_acme_server_new (authority, policy, validator);
  if (address != NULL)
    {
      const char *names[] = { address, NULL };

      vouch_acme_server_set_names (server, names);
    }
  if (!vouch_acme_server_listen (server, address, port, NULL, &error))
    return vouchctl_fail (error);

  g_print ("%s\n", vouch_acme_server_get_directory_url (server));
  if (!vouch_acme_config_write_running (vouch_authority_get_data_dir (authority),
                                        vouch_acme_server_get_directory_url (server), &error))
    {
      g_printerr ("%s\n", error->message);
      g_clear_error (&error);
    }

  /* Clients on the LAN find the directory through DNS-SD; a server only
   * on loopback has nobody to tell. */
  if (!no_announce && !is_loopback (address))
    {
      g_autoptr(GError) announce_error = NULL;

      announcer = vouch_acme_announcer_new (vouch_acme_server_get_directory_url (server));
      if (announcer != NULL && !vouch_acme_announcer_start (announcer, &announce_error))
        g_printerr ("%s\n", announce_error->message);
    }
  if (skip_validation)
    g_printerr (_("Warning: challenges are not checked (--insecure-skip-validation)\n"));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  vouch_acme_server_stop (server);
  vouch_acme_config_clear_running (vouch_authority_get_data_dir (authority));
  return VOUCHCTL_EXIT_OK;
}

static const VouchctlCommand acme_commands[] = {
  { "serve", acme_serve, N_("Serve ACME for the LAN's devices and servers") },
  { "pending", vouchctl_acme_pending, N_("List orders that wait for approval") },
  { "approve", vouchctl_acme_approve, N_("Approve a waiting order") },
  { "refuse", vouchctl_acme_refuse, N_("Refuse a waiting order") },
  { "eab", vouchctl_acme_eab, N_("External Account Binding keys: new, list, revoke") },
  { NULL }
};

int
vouchctl_acme (int    argc,
               char **argv)
{
  return vouchctl_run_subcommand ("acme", acme_commands, argc, argv);
}
