/* vouch-list-slot.h: one position of a VouchSlotSelection, and the item there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_LIST_SLOT (vouch_list_slot_get_type ())

G_DECLARE_FINAL_TYPE (VouchListSlot, vouch_list_slot, VOUCH, LIST_SLOT, GObject)

VouchListSlot *vouch_list_slot_new      (gpointer       item);
gpointer       vouch_list_slot_get_item (VouchListSlot *self);
void           vouch_list_slot_set_item (VouchListSlot *self,
                                         gpointer       item);

G_END_DECLS
