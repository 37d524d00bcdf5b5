/* vouch-certificate-actions.h: the questions the Certificates page asks
 * before it revokes, exports or renews
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-certificate-entry.h"

G_BEGIN_DECLS

/* @confirmed is %FALSE when the user cancelled. */
typedef void (*VouchRevokeFunc) (gboolean               confirmed,
                                 VouchRevocationReason  reason,
                                 gpointer               user_data);
typedef void (*VouchDaysFunc)   (gboolean               confirmed,
                                 guint                  days,
                                 gpointer               user_data);

extern const VouchRevocationReason vouch_certificate_actions_reasons[];
extern const guint vouch_certificate_actions_n_reasons;

void vouch_certificate_actions_ask_revoke (GtkWidget              *parent,
                                           VouchCertificateEntry  *entry,
                                           VouchRevokeFunc         func,
                                           gpointer                user_data);
void vouch_certificate_actions_ask_days   (GtkWidget              *parent,
                                           const char             *heading,
                                           const char             *body,
                                           const char             *days_label,
                                           guint                   initial,
                                           guint                   max,
                                           const char             *response_label,
                                           VouchDaysFunc           func,
                                           gpointer                user_data);
void vouch_certificate_actions_renew_by_hand (GtkWidget             *page,
                                              VouchCertificateEntry *entry);

G_END_DECLS
