/* vouch-acme-eab-key.h: one External Account Binding key's record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_ACME_EAB_KEY (vouch_acme_eab_key_get_type ())

G_DECLARE_FINAL_TYPE (VouchAcmeEabKey, vouch_acme_eab_key, VOUCH, ACME_EAB_KEY, GObject)

VouchAcmeEabKey    *vouch_acme_eab_key_new            (const char         *id,
                                                       const char * const *names,
                                                       gint64              created_at,
                                                       gint64              revoked_at);
const char         *vouch_acme_eab_key_get_id         (VouchAcmeEabKey    *self);
const char * const *vouch_acme_eab_key_get_names      (VouchAcmeEabKey    *self);
gint64              vouch_acme_eab_key_get_created_at (VouchAcmeEabKey    *self);
gint64              vouch_acme_eab_key_get_revoked_at (VouchAcmeEabKey    *self);
gboolean            vouch_acme_eab_key_permits        (VouchAcmeEabKey    *self,
                                                       const char         *name);

G_END_DECLS
