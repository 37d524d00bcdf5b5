/* vouch-renewal-progress.h: renews many devices at once and shows how far
 * it got
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-renewal.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_RENEWAL_PROGRESS (vouch_renewal_progress_get_type ())

G_DECLARE_FINAL_TYPE (VouchRenewalProgress, vouch_renewal_progress, VOUCH, RENEWAL_PROGRESS, AdwBin)

void     vouch_renewal_progress_run         (VouchRenewalProgress *self,
                                             VouchRenewal         *renewal,
                                             GListModel           *devices,
                                             guint                 concurrency);
gboolean vouch_renewal_progress_get_running (VouchRenewalProgress *self);

G_END_DECLS
