/* vouchctl-common.h: what every vouchctl command shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vouch-authority.h"
#include "vouch-certificate-entry.h"
#include "vouch-discovery.h"

G_BEGIN_DECLS

/* Exit codes are part of vouchctl's interface for scripts. */
typedef enum
{
  VOUCHCTL_EXIT_OK      = 0,
  VOUCHCTL_EXIT_FAILED  = 1,
  VOUCHCTL_EXIT_USAGE   = 2,
  VOUCHCTL_EXIT_REFUSED = 3,
  VOUCHCTL_EXIT_KEYRING = 4,
} VouchctlExit;

typedef int (*VouchctlCommandFunc) (int argc, char **argv);

typedef struct
{
  const char          *name;
  VouchctlCommandFunc  func;
  const char          *summary;
} VouchctlCommand;

int             vouchctl_run_subcommand (const char             *group,
                                         const VouchctlCommand  *commands,
                                         int                     argc,
                                         char                  **argv);
gboolean        vouchctl_parse          (GOptionContext         *context,
                                         int                    *argc,
                                         char                 ***argv,
                                         int                    *exit_code);
int             vouchctl_fail           (GError                 *error);
int             vouchctl_usage          (const char             *format,
                                         ...) G_GNUC_PRINTF (1, 2);
VouchAuthority *vouchctl_open_authority (int                    *exit_code);
char           *vouchctl_read_passphrase (gboolean               from_stdin,
                                          gboolean               confirm,
                                          const char            *prompt,
                                          GError               **error);
void            vouchctl_free_passphrase (char                  *passphrase);

/* A string that holds a secret (a passphrase, an admin token):
 * g_autoptr(VouchctlSecret) wipes it before freeing it. */
typedef char VouchctlSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchctlSecret, vouchctl_free_passphrase)
GBytes         *vouchctl_read_input     (const char             *path,
                                         gsize                   limit,
                                         GError                **error);
gboolean        vouchctl_write_output   (const char             *path,
                                         const void             *data,
                                         gsize                   len,
                                         int                     mode,
                                         GError                **error);
void            vouchctl_print_json     (JsonBuilder            *builder);
void            vouchctl_add_certificate_json (JsonBuilder      *builder,
                                         VouchCertificate       *cert);
char           *vouchctl_format_time    (gint64                  unix_time);

/* What “expiring”, “renew” and “rollover” share: the root's expiry and
 * one line per certificate. */
VouchAuthority *vouchctl_open_authority_with_root (int          *exit_code);
void            vouchctl_warn_about_root (VouchRootCa           *root,
                                          gint64                 now);
void            vouchctl_add_root_json  (JsonBuilder            *builder,
                                         VouchRootCa            *root,
                                         gint64                  now);
void            vouchctl_add_entry_json (JsonBuilder            *builder,
                                         VouchCertificateEntry  *entry);
char           *vouchctl_sign_command   (VouchCertificate       *cert);

/* A device by id, name or HOST:PORT (added by hand if it is not known). */
VouchDevice    *vouchctl_find_device    (VouchDiscovery         *discovery,
                                         const char             *name,
                                         GError                **error);
const char     *vouchctl_enum_nick      (GType                   type,
                                         int                     value);
void            vouchctl_add_device_json (JsonBuilder           *builder,
                                          VouchDevice           *device);

/* Runs a command's one async call to completion on a private main loop. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} VouchctlWaiter;

void            vouchctl_waiter_cb      (GObject                *object,
                                         GAsyncResult           *result,
                                         gpointer                user_data);
VouchDiscovery *vouchctl_discover       (VouchAuthority         *authority,
                                         guint                   seconds);

G_END_DECLS
