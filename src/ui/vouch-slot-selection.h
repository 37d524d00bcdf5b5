/* vouch-slot-selection.h: a selection model whose rows survive a refilter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_SLOT_SELECTION (vouch_slot_selection_get_type ())

G_DECLARE_FINAL_TYPE (VouchSlotSelection, vouch_slot_selection, VOUCH, SLOT_SELECTION, GObject)

VouchSlotSelection *vouch_slot_selection_new           (GtkSelectionModel  *model);
void                vouch_slot_selection_set_pacer     (VouchSlotSelection *self,
                                                        GtkWidget          *widget);

G_END_DECLS
