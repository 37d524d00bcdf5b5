/* vouch-acme-config.h: what the app and `vouchctl acme serve` share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* data/vouch-acme.service: `vouchctl acme serve` as a systemd user
 * service, switched from Preferences like the renewal timer. */
#define VOUCH_ACME_SERVICE_UNIT "vouch-acme.service"

gboolean  vouch_acme_config_get_open      (const char  *data_dir);
gboolean  vouch_acme_config_set_open      (const char  *data_dir,
                                           gboolean     open,
                                           GError     **error);
GFile    *vouch_acme_config_get_file      (const char  *data_dir);
gboolean  vouch_acme_config_write_running (const char  *data_dir,
                                           const char  *directory_url,
                                           GError     **error);
void      vouch_acme_config_clear_running (const char  *data_dir);
char     *vouch_acme_config_read_running  (const char  *data_dir);

G_END_DECLS
