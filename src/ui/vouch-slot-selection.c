/* vouch-slot-selection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-slot-selection.h"
#include "vouch-slot-selection-private.h"

#include "vouch-list-slot.h"

#include <string.h>

/* The items of another selection model, each in a VouchListSlot, with the
 * selection passed through to that model.
 *
 * A list view never reuses the row of an item that was removed: it
 * destroys the row and builds a new one for the item that took its place.
 * GtkListView keeps some 200 rows, whatever its height, and a search that
 * leaves 1,000 of 10,000 devices replaces nearly all of them in one
 * items-changed, so each keystroke would tear down and build 200 rows.
 * Here a range that is replaced keeps its slots and only their items
 * change: the list view keeps its rows and each row shows its slot's new
 * item. Only the difference in length reaches the list view as items
 * added or removed.
 *
 * Rows that the list view must build are still the costly part: a search
 * that goes from 1 device to 1,000 makes it build 200 rows before the next
 * frame. With a pacing widget, a short list that grows a lot shows a
 * screenful of new items at once and the rest over the following frames,
 * REVEAL_STEP a frame, so the results appear in the next frame and typing
 * stays responsive. Past REVEAL_LIMIT the list view has all the rows it
 * will keep, and the rest is shown in one step. */
#define REVEAL_STEP  48
#define REVEAL_LIMIT 256

struct _VouchSlotSelection
{
  GObject            parent_instance;

  GtkSelectionModel *model;
  GPtrArray         *slots; /* VouchListSlot, or NULL until asked for */
  guint              n_shown; /* the first n_shown slots are in this list */

  GtkWidget         *pacer;
  guint              tick_id;
  gint64             paced_from; /* the frame that shows what was added */
};

static void vouch_slot_selection_list_model_init      (GListModelInterface        *iface);
static void vouch_slot_selection_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VouchSlotSelection, vouch_slot_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      vouch_slot_selection_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      vouch_slot_selection_selection_model_init))

static void
slot_free (gpointer slot)
{
  if (slot != NULL)
    g_object_unref (slot);
}

/* Removes @removed slots at @position and puts @added empty ones there. */
static void
splice_slots (GPtrArray *slots,
              guint      position,
              guint      removed,
              guint      added)
{
  guint tail;

  if (removed > 0)
    g_ptr_array_remove_range (slots, position, removed);
  if (added == 0)
    return;

  tail = slots->len - position;
  g_ptr_array_set_size (slots, slots->len + added);
  memmove (&slots->pdata[position + added], &slots->pdata[position], tail * sizeof (gpointer));
  memset (&slots->pdata[position], 0, added * sizeof (gpointer));
}

static gboolean
can_pace (VouchSlotSelection *self)
{
  return self->pacer != NULL && gtk_widget_get_mapped (self->pacer);
}

/* Adds up to @max of the slots not shown yet to the end of the list. */
static void
show_more (VouchSlotSelection *self,
           guint               max)
{
  guint position = self->n_shown;
  guint added = MIN (max, self->slots->len - self->n_shown);

  if (added == 0)
    return;
  self->n_shown += added;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
}

static gboolean
reveal_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  VouchSlotSelection *self = user_data;

  /* The first frame lays out the items just added; more come after it. */
  if (gdk_frame_clock_get_frame_counter (frame_clock) <= self->paced_from)
    return G_SOURCE_CONTINUE;
  show_more (self, self->n_shown < REVEAL_LIMIT ? REVEAL_STEP : G_MAXUINT);
  if (self->n_shown < self->slots->len)
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
stop_pacing (VouchSlotSelection *self)
{
  if (self->tick_id != 0 && self->pacer != NULL)
    gtk_widget_remove_tick_callback (self->pacer, self->tick_id);
  self->tick_id = 0;
}

/* Shows the slots still hidden: over the next frames if there is a
 * pacing widget on screen, or now. */
static void
reveal_rest (VouchSlotSelection *self)
{
  if (self->n_shown >= self->slots->len)
    {
      stop_pacing (self);
      return;
    }
  if (!can_pace (self))
    {
      stop_pacing (self);
      show_more (self, G_MAXUINT);
      return;
    }
  if (self->tick_id == 0)
    {
      GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (self->pacer);

      /* The next frame's counter; a frame may be under way already. */
      self->paced_from = gdk_frame_clock_get_frame_counter (frame_clock) + 1;
      self->tick_id = gtk_widget_add_tick_callback (self->pacer, reveal_tick_cb, self, NULL);
    }
}

static void
items_changed_cb (GListModel         *model,
                  guint               position,
                  guint               removed,
                  guint               added,
                  VouchSlotSelection *self)
{
  guint kept = MIN (removed, added);
  guint shown = self->n_shown;

  for (guint i = position; i < position + kept; i++)
    {
      VouchListSlot *slot = g_ptr_array_index (self->slots, i);

      if (slot != NULL)
        {
          g_autoptr(GObject) item = g_list_model_get_item (model, i);

          vouch_list_slot_set_item (slot, item);
        }
    }

  splice_slots (self->slots, position + kept, removed - kept, added - kept);

  /* What the list view sees: a change past the shown slots is not in the
   * list yet; one that starts among them is cut at their end. */
  if (position + kept <= shown)
    {
      guint start = position + kept;
      guint removed_shown = MIN (removed - kept, shown - start);
      guint full = shown - removed_shown + (added - kept);

      if (can_pace (self) && shown < REVEAL_LIMIT && full > shown + REVEAL_STEP)
        {
          /* The rest of the old tail goes with the new items, to come
           * back after them. */
          self->n_shown = shown + REVEAL_STEP;
          g_list_model_items_changed (G_LIST_MODEL (self), start, shown - start,
                                      self->n_shown - start);
        }
      else
        {
          self->n_shown = full;
          if (removed_shown != added - kept)
            g_list_model_items_changed (G_LIST_MODEL (self), start, removed_shown,
                                        added - kept);
        }
    }

  /* Each kept slot holds another item now, which may be selected or not. */
  if (kept > 0 && position < self->n_shown)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position,
                                           MIN (kept, self->n_shown - position));
  reveal_rest (self);
}

static void
selection_changed_cb (GtkSelectionModel  *model,
                      guint               position,
                      guint               n_items,
                      VouchSlotSelection *self)
{
  if (position >= self->n_shown)
    return;
  gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position,
                                         MIN (n_items, self->n_shown - position));
}

static GType
vouch_slot_selection_get_item_type (GListModel *list)
{
  return VOUCH_TYPE_LIST_SLOT;
}

static guint
vouch_slot_selection_get_n_items (GListModel *list)
{
  return VOUCH_SLOT_SELECTION (list)->n_shown;
}

static gpointer
vouch_slot_selection_get_item (GListModel *list,
                               guint       position)
{
  VouchSlotSelection *self = VOUCH_SLOT_SELECTION (list);
  VouchListSlot *slot;

  if (position >= self->n_shown)
    return NULL;

  slot = g_ptr_array_index (self->slots, position);
  if (slot == NULL)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

      slot = vouch_list_slot_new (item);
      self->slots->pdata[position] = slot;
    }
  return g_object_ref (slot);
}

static void
vouch_slot_selection_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = vouch_slot_selection_get_item_type;
  iface->get_n_items = vouch_slot_selection_get_n_items;
  iface->get_item = vouch_slot_selection_get_item;
}

static gboolean
vouch_slot_selection_is_selected (GtkSelectionModel *model,
                                  guint              position)
{
  return gtk_selection_model_is_selected (VOUCH_SLOT_SELECTION (model)->model, position);
}

static GtkBitset *
vouch_slot_selection_get_selection_in_range (GtkSelectionModel *model,
                                             guint              position,
                                             guint              n_items)
{
  return gtk_selection_model_get_selection_in_range (VOUCH_SLOT_SELECTION (model)->model,
                                                     position, n_items);
}

static gboolean
vouch_slot_selection_select_item (GtkSelectionModel *model,
                                  guint              position,
                                  gboolean           unselect_rest)
{
  return gtk_selection_model_select_item (VOUCH_SLOT_SELECTION (model)->model, position,
                                          unselect_rest);
}

static gboolean
vouch_slot_selection_unselect_item (GtkSelectionModel *model,
                                    guint              position)
{
  return gtk_selection_model_unselect_item (VOUCH_SLOT_SELECTION (model)->model, position);
}

static gboolean
vouch_slot_selection_select_range (GtkSelectionModel *model,
                                   guint              position,
                                   guint              n_items,
                                   gboolean           unselect_rest)
{
  return gtk_selection_model_select_range (VOUCH_SLOT_SELECTION (model)->model, position,
                                           n_items, unselect_rest);
}

static gboolean
vouch_slot_selection_unselect_range (GtkSelectionModel *model,
                                     guint              position,
                                     guint              n_items)
{
  return gtk_selection_model_unselect_range (VOUCH_SLOT_SELECTION (model)->model, position,
                                             n_items);
}

static gboolean
vouch_slot_selection_select_all (GtkSelectionModel *model)
{
  return gtk_selection_model_select_all (VOUCH_SLOT_SELECTION (model)->model);
}

static gboolean
vouch_slot_selection_unselect_all (GtkSelectionModel *model)
{
  return gtk_selection_model_unselect_all (VOUCH_SLOT_SELECTION (model)->model);
}

static gboolean
vouch_slot_selection_set_selection (GtkSelectionModel *model,
                                    GtkBitset         *selected,
                                    GtkBitset         *mask)
{
  return gtk_selection_model_set_selection (VOUCH_SLOT_SELECTION (model)->model, selected, mask);
}

static void
vouch_slot_selection_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = vouch_slot_selection_is_selected;
  iface->get_selection_in_range = vouch_slot_selection_get_selection_in_range;
  iface->select_item = vouch_slot_selection_select_item;
  iface->unselect_item = vouch_slot_selection_unselect_item;
  iface->select_range = vouch_slot_selection_select_range;
  iface->unselect_range = vouch_slot_selection_unselect_range;
  iface->select_all = vouch_slot_selection_select_all;
  iface->unselect_all = vouch_slot_selection_unselect_all;
  iface->set_selection = vouch_slot_selection_set_selection;
}

static void
vouch_slot_selection_dispose (GObject *object)
{
  VouchSlotSelection *self = (VouchSlotSelection *)object;

  stop_pacing (self);
  g_clear_weak_pointer (&self->pacer);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->slots, g_ptr_array_unref);

  G_OBJECT_CLASS (vouch_slot_selection_parent_class)->dispose (object);
}

static void
vouch_slot_selection_class_init (VouchSlotSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_slot_selection_dispose;
}

static void
vouch_slot_selection_init (VouchSlotSelection *self)
{
  self->slots = g_ptr_array_new_with_free_func (slot_free);
}

/**
 * vouch_slot_selection_new:
 * @model: (transfer none): the selection model whose items to show
 */
VouchSlotSelection *
vouch_slot_selection_new (GtkSelectionModel *model)
{
  VouchSlotSelection *self;

  g_return_val_if_fail (GTK_IS_SELECTION_MODEL (model), NULL);

  self = g_object_new (VOUCH_TYPE_SLOT_SELECTION, NULL);
  self->model = g_object_ref (model);
  g_ptr_array_set_size (self->slots, g_list_model_get_n_items (G_LIST_MODEL (model)));
  self->n_shown = self->slots->len;
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect (model, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  return self;
}

/**
 * _vouch_slot_selection_get_model:
 *
 * Returns: (transfer none): the selection model whose items are shown
 */
GtkSelectionModel *
_vouch_slot_selection_get_model (VouchSlotSelection *self)
{
  g_return_val_if_fail (VOUCH_IS_SLOT_SELECTION (self), NULL);
  return self->model;
}

/**
 * vouch_slot_selection_set_pacer:
 * @widget: (nullable): the widget showing this list, usually its list view
 *
 * From now on, while @widget is on screen, a short list that grows by many
 * items at once shows them over the next frames of @widget's frame clock.
 */
void
vouch_slot_selection_set_pacer (VouchSlotSelection *self,
                                GtkWidget          *widget)
{
  g_return_if_fail (VOUCH_IS_SLOT_SELECTION (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  stop_pacing (self);
  g_set_weak_pointer (&self->pacer, widget);
  reveal_rest (self);
}

/**
 * _vouch_slot_selection_get_n_pending:
 *
 * Returns: how many items of the model are still to be shown
 */
guint
_vouch_slot_selection_get_n_pending (VouchSlotSelection *self)
{
  g_return_val_if_fail (VOUCH_IS_SLOT_SELECTION (self), 0);
  return self->slots->len - self->n_shown;
}
