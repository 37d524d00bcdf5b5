/* vouch-list-slot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-list-slot.h"

/* What a list view binds a row to in place of the item itself: when the
 * list is refiltered or resorted, the slot stays and its item changes,
 * and the row follows "notify::item". */
struct _VouchListSlot
{
  GObject  parent_instance;

  GObject *item;
};

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchListSlot, vouch_list_slot, G_TYPE_OBJECT)

static void
vouch_list_slot_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VouchListSlot *self = VOUCH_LIST_SLOT (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_list_slot_dispose (GObject *object)
{
  VouchListSlot *self = (VouchListSlot *)object;

  g_clear_object (&self->item);

  G_OBJECT_CLASS (vouch_list_slot_parent_class)->dispose (object);
}

static void
vouch_list_slot_class_init (VouchListSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_list_slot_dispose;
  object_class->get_property = vouch_list_slot_get_property;

  /**
   * VouchListSlot:item:
   *
   * The item at the slot's position now.
   */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_list_slot_init (VouchListSlot *self)
{
}

VouchListSlot *
vouch_list_slot_new (gpointer item)
{
  VouchListSlot *self;

  g_return_val_if_fail (item == NULL || G_IS_OBJECT (item), NULL);

  self = g_object_new (VOUCH_TYPE_LIST_SLOT, NULL);
  self->item = item != NULL ? g_object_ref (item) : NULL;
  return self;
}

/**
 * vouch_list_slot_get_item:
 *
 * Returns: (transfer none) (type GObject) (nullable): the item in the slot
 */
gpointer
vouch_list_slot_get_item (VouchListSlot *self)
{
  g_return_val_if_fail (VOUCH_IS_LIST_SLOT (self), NULL);
  return self->item;
}

void
vouch_list_slot_set_item (VouchListSlot *self,
                          gpointer       item)
{
  g_return_if_fail (VOUCH_IS_LIST_SLOT (self));
  g_return_if_fail (item == NULL || G_IS_OBJECT (item));

  if (g_set_object (&self->item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
