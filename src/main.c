/* main.c: the Vouch desktop app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vouch-application.h"
#include "vouch-util.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(VouchApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The app holds the root's key in memory while it signs. */
  vouch_process_harden ();

  g_set_application_name (_("Vouch"));
  application = vouch_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
