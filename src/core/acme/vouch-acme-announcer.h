/* vouch-acme-announcer.h: the ACME directory, announced over DNS-SD
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* draft-tweedale-acme-discovery-01 §3.1 */
#define VOUCH_ACME_SERVICE_TYPE "_acme-server._tcp"

#define VOUCH_TYPE_ACME_ANNOUNCER (vouch_acme_announcer_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeAnnouncer, vouch_acme_announcer, VOUCH, ACME_ANNOUNCER, GObject)

VouchAcmeAnnouncer *vouch_acme_announcer_new           (const char          *directory_url);
gboolean            vouch_acme_announcer_start         (VouchAcmeAnnouncer  *self,
                                                        GError             **error);
gboolean            vouch_acme_announcer_get_announced (VouchAcmeAnnouncer  *self);
const char         *vouch_acme_announcer_get_name      (VouchAcmeAnnouncer  *self);

G_END_DECLS
