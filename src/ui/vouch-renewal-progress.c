/* vouch-renewal-progress.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-renewal-progress.h"

#include <glib/gi18n.h>

/* A bulk renewal from vouch_renewal_create_bulk(): devices that are away
 * land in the renewal queue, so the only outcome reported here is how
 * many were renewed. Revealed only while it runs. */
struct _VouchRenewalProgress
{
  AdwBin               parent_instance;

  VouchBulkOnboarding *bulk;
  GCancellable        *cancellable;

  GtkRevealer         *revealer;
  GtkLabel            *label;
  GtkProgressBar      *bar;
};

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VouchRenewalProgress, vouch_renewal_progress, ADW_TYPE_BIN)

static void
update (VouchRenewalProgress *self)
{
  guint total = vouch_bulk_onboarding_get_total (self->bulk);
  guint done = vouch_bulk_onboarding_get_done (self->bulk);
  g_autofree char *text = NULL;

  /* Translators: progress of renewing many certificates. */
  text = g_strdup_printf (_("Renewing certificates: %u of %u done"), done, total);
  gtk_label_set_label (self->label, text);
  gtk_progress_bar_set_fraction (self->bar, total > 0 ? (double)done / total : 0.0);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(VouchRenewalProgress) self = user_data;
  VouchBulkOnboarding *bulk = VOUCH_BULK_ONBOARDING (object);
  guint total = vouch_bulk_onboarding_get_total (bulk);
  guint failed = vouch_bulk_onboarding_get_failed (bulk);
  gboolean cancelled;

  /* Each device's result is already in the inventory and the queue. */
  vouch_bulk_onboarding_run_finish (bulk, result, NULL);
  cancelled = g_cancellable_is_cancelled (self->cancellable);
  g_clear_object (&self->bulk);
  g_clear_object (&self->cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "renewal-progress.stop", FALSE);
  gtk_revealer_set_reveal_child (self->revealer, FALSE);

  /**
   * VouchRenewalProgress::finished:
   * @total: how many devices were to be renewed
   * @failed: how many were not (queued, refused or stopped)
   * @stopped: whether the user stopped the run
   */
  g_signal_emit (self, signals[FINISHED], 0, total, failed, cancelled);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VouchRenewalProgress *self = VOUCH_RENEWAL_PROGRESS (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
vouch_renewal_progress_dispose (GObject *object)
{
  VouchRenewalProgress *self = (VouchRenewalProgress *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* AdwBin unparents its child in its own dispose; detach it first so the
   * template's disposal does not leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_RENEWAL_PROGRESS);
  g_clear_object (&self->bulk);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vouch_renewal_progress_parent_class)->dispose (object);
}

static void
vouch_renewal_progress_class_init (VouchRenewalProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_renewal_progress_dispose;

  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-renewal-progress.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchRenewalProgress, revealer);
  gtk_widget_class_bind_template_child (widget_class, VouchRenewalProgress, label);
  gtk_widget_class_bind_template_child (widget_class, VouchRenewalProgress, bar);

  gtk_widget_class_install_action (widget_class, "renewal-progress.stop", NULL, stop_action);
}

static void
vouch_renewal_progress_init (VouchRenewalProgress *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "renewal-progress.stop", FALSE);
}

/**
 * vouch_renewal_progress_run:
 * @devices: a #GListModel of #VouchDevice, usually from
 *   vouch_renewal_list_due()
 *
 * Renews @devices, @concurrency at a time, showing the progress until
 * #VouchRenewalProgress::finished.
 */
void
vouch_renewal_progress_run (VouchRenewalProgress *self,
                            VouchRenewal         *renewal,
                            GListModel           *devices,
                            guint                 concurrency)
{
  g_return_if_fail (VOUCH_IS_RENEWAL_PROGRESS (self));
  g_return_if_fail (VOUCH_IS_RENEWAL (renewal));
  g_return_if_fail (G_IS_LIST_MODEL (devices));
  g_return_if_fail (self->bulk == NULL);

  self->bulk = vouch_renewal_create_bulk (renewal, devices, MAX (concurrency, 1));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->bulk, "notify::done", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "renewal-progress.stop", TRUE);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
  vouch_bulk_onboarding_run_async (self->bulk, self->cancellable, run_cb, g_object_ref (self));
}

gboolean
vouch_renewal_progress_get_running (VouchRenewalProgress *self)
{
  g_return_val_if_fail (VOUCH_IS_RENEWAL_PROGRESS (self), FALSE);
  return self->bulk != NULL;
}
