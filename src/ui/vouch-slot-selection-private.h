/* vouch-slot-selection-private.h: what only vouch-slot-selection.c and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-slot-selection.h"

G_BEGIN_DECLS

/* For tests only. */
GtkSelectionModel  *_vouch_slot_selection_get_model     (VouchSlotSelection *self);

guint               _vouch_slot_selection_get_n_pending (VouchSlotSelection *self);

G_END_DECLS
