/* main.c: vouchctl, Vouch's command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vouch-util.h"
#include "vouchctl-add.h"
#include "vouchctl-audit.h"
#include "vouchctl-acme.h"
#include "vouchctl-ca.h"
#include "vouchctl-certs.h"
#include "vouchctl-common.h"
#include "vouchctl-crl.h"
#include "vouchctl-devices.h"
#include "vouchctl-expiring.h"
#include "vouchctl-maker-roots.h"
#include "vouchctl-onboard.h"
#include "vouchctl-renew.h"
#include "vouchctl-revoke.h"
#include "vouchctl-rollover.h"
#include "vouchctl-sign.h"
#include "vouchctl-trust.h"
#include "vouchctl-verify.h"

static int
print_version (int    argc,
               char **argv)
{
  g_print ("vouchctl %s\n", PACKAGE_VERSION);
  return VOUCHCTL_EXIT_OK;
}

static const VouchctlCommand commands[] = {
  { "acme", vouchctl_acme, N_("Serve ACME (RFC 8555) to the LAN's devices and servers") },
  { "ca", vouchctl_ca, N_("Manage the root: init, show, export, backup, restore, import") },
  { "sign", vouchctl_sign, N_("Sign a certificate signing request") },
  { "certs", vouchctl_certs, N_("List issued certificates") },
  { "devices", vouchctl_devices, N_("List devices on this network and known ones; --watch follows them") },
  { "verify", vouchctl_verify, N_("Check a device's key against its setup code, maker's root or fingerprint") },
  { "onboard", vouchctl_onboard, N_("Sign, install and confirm certificates on devices") },
  { "add", vouchctl_add, N_("Add a device mDNS cannot reach, by HOST:PORT") },
  { "maker-roots", vouchctl_maker_roots, N_("Trust device makers' roots instead of setup codes: add, list, remove") },
  { "expiring", vouchctl_expiring, N_("List certificates that expire soon; --within 30d") },
  { "renew", vouchctl_renew, N_("Renew device certificates with new keys; --due 30d for all due") },
  { "revoke", vouchctl_revoke, N_("Revoke a certificate, with a reason") },
  { "crl", vouchctl_crl, N_("Sign and publish the root's revocation list") },
  { "audit", vouchctl_audit, N_("Show or export the audit log as CSV or JSON") },
  { "rollover", vouchctl_rollover, N_("Plan replacing the root: what must be re-issued") },
  { "trust", vouchctl_trust, N_("Install the root into this machine's trust stores: status, install, uninstall") },
  { "version", print_version, N_("Print the version") },
  { NULL }
};

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* This process may hold the root's key. */
  vouch_process_harden ();

  g_set_prgname ("vouchctl");
  status = vouchctl_run_subcommand ("", commands, argc, argv);

  if (status == VOUCHCTL_EXIT_USAGE && argc < 2)
    g_printerr (_("\nExit status: 0 success, 1 failure, 2 usage error, 3 refused by the "
                  "signing policy, 4 keyring unavailable or locked, 5 security key absent or its "
                  "PIN missing, wrong or locked.\n"));
  return status;
}
