/* vouch-bulk-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-bulk-dialog.h"

#include "vouch-error.h"

#include "vouch-bulk-onboarding.h"
#include "vouch-bulk-row.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

struct _VouchBulkDialog
{
  AdwWindow            parent_instance;

  VouchApplication    *application;
  GPtrArray           *rows;
  GCancellable        *cancellable;
  VouchBulkOnboarding *bulk;
  GQueue               to_prepare;
  guint                running : 1;
  guint                finished : 1;
  guint                renew_trusted : 1;

  AdwWindowTitle      *window_title;
  GtkButton           *cancel_button;
  GtkButton           *start_button;
  GtkButton           *retry_button;
  GtkButton           *resume_button;
  GtkProgressBar      *progress_bar;
  GtkLabel            *summary_label;
  AdwPreferencesGroup *secret_group;
  AdwPasswordEntryRow *secret_row;
  AdwPreferencesGroup *trusted_group;
  AdwActionRow        *trusted_row;
  GtkSwitch           *renew_switch;
  AdwPreferencesGroup *devices_group;
};

G_DEFINE_FINAL_TYPE (VouchBulkDialog, vouch_bulk_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_RENEW_TRUSTED,
  PROP_FINISHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static VouchBulkRow *
find_row (VouchBulkDialog *self,
          VouchDevice     *device)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      VouchBulkRow *row = g_ptr_array_index (self->rows, i);

      if (vouch_bulk_row_get_device (row) == device)
        return row;
    }
  return NULL;
}

/* Failures are mentioned only when there are some. */
static char *
summary_text (guint trusted,
              guint failed)
{
  g_autofree char *done = NULL;
  g_autofree char *not_done = NULL;

  if (trusted > 0)
    done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u device now serves a trusted certificate.",
                                         "%u devices now serve a trusted certificate.", trusted),
                            trusted);
  else if (failed == 0)
    done = g_strdup (_("Nothing was signed: every device was skipped."));
  else
    done = g_strdup (_("No device was signed."));

  if (failed > 0)
    not_done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u failed: correct what its row says, then retry it.",
                                             "%u failed: correct what their rows say, then retry "
                                             "them.", failed),
                                failed);

  if (not_done == NULL)
    return g_steal_pointer (&done);
  return g_strconcat (done, " ", not_done, NULL);
}

static void
update_summary (VouchBulkDialog *self)
{
  guint trusted = vouch_bulk_dialog_get_n_trusted (self);
  guint failed = vouch_bulk_dialog_get_n_failed (self);
  guint total = 0;
  guint done = 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      VouchBulkRowState state = vouch_bulk_row_get_state (g_ptr_array_index (self->rows, i));

      if (state != VOUCH_BULK_ROW_SKIPPED)
        total++;
      if (state == VOUCH_BULK_ROW_TRUSTED || state == VOUCH_BULK_ROW_FAILED)
        done++;
    }

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double)done / total);

  if (self->finished)
    {
      g_autofree char *text = summary_text (trusted, failed);

      gtk_label_set_label (self->summary_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->retry_button), failed > 0);
      gtk_button_set_label (self->cancel_button, _("_Close"));
    }
}

static void
device_finished_cb (VouchBulkOnboarding *bulk,
                    VouchDevice         *device,
                    const GError        *error,
                    VouchBulkDialog     *self)
{
  VouchBulkRow *row = find_row (self, device);

  if (row == NULL)
    return;
  if (error == NULL)
    vouch_bulk_row_succeed (row);
  else
    vouch_bulk_row_fail (row, error);
  update_summary (self);
}

static void
finish (VouchBulkDialog *self)
{
  gboolean focused = FALSE;

  self->running = FALSE;
  self->finished = TRUE;

  /* What failed can be corrected where it is shown; the first field to
   * correct has the focus, ready for typing. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *field = vouch_bulk_row_open_corrections (g_ptr_array_index (self->rows, i));

      if (!focused && field != NULL)
        focused = gtk_widget_grab_focus (field);
    }
  update_summary (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
}

/* Rows left by a stopped run wait, without a spinner, in the state
 * no row has after a run starts. */
static void
move_rows (VouchBulkDialog   *self,
           VouchBulkRowState  from,
           VouchBulkRowState  to,
           const char        *text)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      VouchBulkRow *row = g_ptr_array_index (self->rows, i);

      if (vouch_bulk_row_get_state (row) == from)
        vouch_bulk_row_set_state (row, to, text);
    }
}

/* The root's security key could not sign (pulled out, absent, PIN
 * locked): nothing was issued for the devices left, which wait for
 * Resume once the key is back. */
static void
stop_for_token (VouchBulkDialog *self,
                const GError    *error)
{
  guint left = vouch_bulk_onboarding_get_stopped (self->bulk);
  g_autofree char *text = NULL;

  self->running = FALSE;
  move_rows (self, VOUCH_BULK_ROW_RUNNING, VOUCH_BULK_ROW_WAITING,
             _("Waiting for the security key"));
  /* Translators: %s says what happened to the security key; %u devices. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s%s\n\n%u device waits for it: press Resume once the "
                                       "key is back.",
                                       "%s%s\n\n%u devices wait for it: press Resume once the "
                                       "key is back.", left),
                          error->message, g_str_has_suffix (error->message, ".") ? "" : ".",
                          left);
  gtk_label_set_label (self->summary_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), TRUE);
  gtk_button_set_label (self->cancel_button, _("_Close"));
}

static void
bulk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VouchBulkDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  vouch_bulk_onboarding_run_finish (VOUCH_BULK_ONBOARDING (object), result, &error);
  if (error != NULL && vouch_bulk_onboarding_get_stopped (self->bulk) > 0 &&
      !g_cancellable_is_cancelled (self->cancellable))
    {
      stop_for_token (self, error);
      return;
    }
  for (guint i = 0; i < self->rows->len; i++)
    {
      VouchBulkRow *row = g_ptr_array_index (self->rows, i);

      /* A run stops early when cancelled, or when the root's security key
       * cannot sign (pulled out, PIN refused): the devices left say why. */
      if (vouch_bulk_row_get_state (row) == VOUCH_BULK_ROW_RUNNING)
        vouch_bulk_row_set_state (row, VOUCH_BULK_ROW_FAILED,
                                  error != NULL && error->domain == VOUCH_ERROR
                                    ? error->message : _("Cancelled"));
    }
  finish (self);
}

static void
run_bulk (VouchBulkDialog *self)
{
  g_autoptr(GListStore) ready = g_list_store_new (VOUCH_TYPE_DEVICE);
  GSettings *settings = vouch_application_get_settings (self->application);
  g_auto(GStrv) extra = g_settings_get_strv (settings, "default-extra-names");
  g_autofree char *key_type = g_settings_get_string (settings, "default-key-type");
  VouchOnboardOptions options = VOUCH_ONBOARD_OPTIONS_INIT;

  for (guint i = 0; i < self->rows->len; i++)
    {
      VouchBulkRow *row = g_ptr_array_index (self->rows, i);

      if (vouch_bulk_row_get_state (row) == VOUCH_BULK_ROW_RUNNING)
        {
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), _("Waiting…"));
          g_list_store_append (ready, vouch_bulk_row_get_device (row));
        }
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (ready)) == 0)
    {
      finish (self);
      return;
    }

  options.add_names = (const char * const *)extra;
  options.days = g_settings_get_uint (settings, "default-validity-days");
  options.key_type = key_type;

  g_clear_object (&self->bulk);
  self->bulk = vouch_bulk_onboarding_new (vouch_application_get_onboarding (self->application),
                                          G_LIST_MODEL (ready),
                                          g_settings_get_uint (settings, "bulk-concurrency"));
  vouch_bulk_onboarding_set_options (self->bulk, &options);
  g_signal_connect (self->bulk, "device-finished", G_CALLBACK (device_finished_cb), self);
  vouch_bulk_onboarding_run_async (self->bulk, self->cancellable, bulk_done_cb,
                                   g_object_ref (self));
}

static void prepare_next (VouchBulkDialog *self);

static void
prepare_done (VouchBulkDialog *self,
              const GError    *error)
{
  VouchBulkRow *row = g_queue_pop_head (&self->to_prepare);

  /* Nothing left to report to once the dialog is gone. */
  if (row == NULL)
    return;

  if (error != NULL)
    vouch_bulk_row_fail (row, error);

  update_summary (self);
  prepare_next (self);
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VouchBulkDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  vouch_onboarding_set_admin_secret_finish (VOUCH_ONBOARDING (object), result, &error);
  prepare_done (self, error);
}

/* As for a single device, the secret is kept in the keyring before the
 * device is onboarded with it; the device's own field is emptied once
 * the keyring has it. */
static void
store_secret (VouchBulkDialog *self,
              VouchBulkRow    *row,
              const char      *secret)
{
  vouch_onboarding_set_admin_secret_async (vouch_application_get_onboarding (self->application),
                                           vouch_bulk_row_get_device (row), secret,
                                           self->cancellable, secret_stored_cb,
                                           g_object_ref (self));
  vouch_bulk_row_clear_secret (row);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VouchBulkDialog) self = user_data;
  VouchBulkRow *row = g_queue_peek_head (&self->to_prepare);
  g_autoptr(GError) error = NULL;
  const char *secret;

  if (row == NULL)
    return;

  if (!vouch_onboarding_verify_finish (VOUCH_ONBOARDING (object), result, &error))
    {
      prepare_done (self, error);
      return;
    }

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), _("Verified"));
  /* The secret typed for this device, or else the one for new devices. */
  secret = vouch_bulk_row_get_secret (row);
  if (*secret == '\0')
    secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  if (*secret != '\0')
    store_secret (self, row, secret);
  else
    prepare_done (self, NULL);
}

/* Before signing, new devices are verified one by one against their
 * codes, and corrected admin secrets are kept; a wrong code fails that
 * device only. Devices with nothing to prepare are passed over in a
 * loop, not through callbacks, however many there are. */
static void
prepare_next (VouchBulkDialog *self)
{
  VouchBulkRow *row;

  while ((row = g_queue_peek_head (&self->to_prepare)) != NULL)
    {
      const char *secret = vouch_bulk_row_get_secret (row);

      if (vouch_bulk_row_needs_verification (row))
        {
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), _("Verifying the setup code…"));
          vouch_onboarding_verify_async (vouch_application_get_onboarding (self->application),
                                         vouch_bulk_row_get_device (row),
                                         vouch_bulk_row_get_code (row), self->cancellable,
                                         verified_cb, g_object_ref (self));
          return;
        }
      if (*secret != '\0')
        {
          store_secret (self, row, secret);
          return;
        }
      g_queue_pop_head (&self->to_prepare);
    }

  run_bulk (self);
}

static void
run (VouchBulkDialog *self,
     gboolean         failed_only)
{
  self->running = TRUE;
  if (self->finished)
    {
      self->finished = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
    }
  /* The fields close while it runs; the one typed into lets go first. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  /* Both choices are made once signing starts; what is left to correct
   * is asked for in the device's own row. */
  gtk_widget_set_visible (GTK_WIDGET (self->secret_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->trusted_group), FALSE);
  gtk_label_set_label (self->summary_label, _("Signing and installing; you can cancel at any time."));
  g_queue_clear (&self->to_prepare);

  for (guint i = 0; i < self->rows->len; i++)
    {
      VouchBulkRow *row = g_ptr_array_index (self->rows, i);
      VouchBulkRowState state = vouch_bulk_row_get_state (row);
      const char *skipped = NULL;

      vouch_bulk_row_lock (row);
      if (failed_only && state != VOUCH_BULK_ROW_FAILED)
        continue;

      if (!vouch_bulk_row_get_included (row))
        skipped = vouch_bulk_row_get_trusted (row) ? _("Skipped: already trusted") : _("Skipped");
      else if (vouch_device_get_kind (vouch_bulk_row_get_device (row)) != VOUCH_DEVICE_KIND_VOUCH)
        skipped = _("Skipped: no Vouch API; sign its CSR by hand");
      else if (vouch_bulk_row_needs_code (row) && *vouch_bulk_row_get_code (row) == '\0')
        skipped = _("Skipped: no setup code entered");

      if (skipped != NULL)
        {
          vouch_bulk_row_set_state (row, VOUCH_BULK_ROW_SKIPPED, skipped);
          continue;
        }
      vouch_bulk_row_set_state (row, VOUCH_BULK_ROW_RUNNING, _("Waiting…"));
      g_queue_push_tail (&self->to_prepare, row);
    }

  update_summary (self);
  prepare_next (self);
}

static void
start_clicked_cb (VouchBulkDialog *self)
{
  g_return_if_fail (!self->running);
  run (self, FALSE);
}

static void
resume_clicked_cb (VouchBulkDialog *self)
{
  g_return_if_fail (!self->running && self->bulk != NULL);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->running = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), FALSE);
  gtk_button_set_label (self->cancel_button, _("_Cancel"));
  gtk_label_set_label (self->summary_label, _("Signing and installing; you can cancel at any time."));
  move_rows (self, VOUCH_BULK_ROW_WAITING, VOUCH_BULK_ROW_RUNNING, _("Waiting…"));
  vouch_bulk_onboarding_resume_async (self->bulk, self->cancellable, bulk_done_cb,
                                      g_object_ref (self));
}

static void
retry_clicked_cb (VouchBulkDialog *self)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  run (self, TRUE);
}

void
vouch_bulk_dialog_cancel (VouchBulkDialog *self)
{
  g_return_if_fail (VOUCH_IS_BULK_DIALOG (self));

  if (self->running)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
cancel_clicked_cb (VouchBulkDialog *self)
{
  vouch_bulk_dialog_cancel (self);
}

static void
add_row (VouchBulkDialog *self,
         VouchDevice     *device)
{
  GSettings *settings = vouch_application_get_settings (self->application);
  g_auto(GStrv) extra = g_settings_get_strv (settings, "default-extra-names");
  VouchBulkRow *row = vouch_bulk_row_new (device, (const char * const *)extra);

  if (vouch_bulk_row_get_trusted (row))
    vouch_bulk_row_set_included (row, self->renew_trusted);
  adw_preferences_group_add (self->devices_group, GTK_WIDGET (row));
  g_ptr_array_add (self->rows, g_object_ref (row));
}

static void
update_trusted_row (VouchBulkDialog *self)
{
  guint n_trusted = 0;
  g_autofree char *title = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    if (vouch_bulk_row_get_trusted (g_ptr_array_index (self->rows, i)))
      n_trusted++;

  /* Translators: how many of the devices in the dialog already serve a
   * certificate from the root. */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u of these devices is already trusted",
                                        "%u of these devices are already trusted", n_trusted),
                           n_trusted);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->trusted_row), title);
  adw_action_row_set_subtitle (self->trusted_row,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "Renew its certificate too; otherwise it is skipped",
                                            "Renew their certificates too; otherwise they are "
                                            "skipped", n_trusted));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->renew_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Renew trusted devices"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->trusted_group), n_trusted > 0);
}

static void
renew_switch_cb (VouchBulkDialog *self)
{
  vouch_bulk_dialog_set_renew_trusted (self, gtk_switch_get_active (self->renew_switch));
}

static void
vouch_bulk_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VouchBulkDialog *self = VOUCH_BULK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_RENEW_TRUSTED:
      g_value_set_boolean (value, self->renew_trusted);
      break;

    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_bulk_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VouchBulkDialog *self = VOUCH_BULK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_RENEW_TRUSTED:
      vouch_bulk_dialog_set_renew_trusted (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_bulk_dialog_dispose (GObject *object)
{
  VouchBulkDialog *self = (VouchBulkDialog *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_queue_clear (&self->to_prepare);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_BULK_DIALOG);
  g_clear_object (&self->bulk);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (vouch_bulk_dialog_parent_class)->dispose (object);
}

static void
vouch_bulk_dialog_class_init (VouchBulkDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_bulk_dialog_dispose;
  object_class->get_property = vouch_bulk_dialog_get_property;
  object_class->set_property = vouch_bulk_dialog_set_property;

  /**
   * VouchBulkDialog:renew-trusted:
   *
   * Whether devices that already serve a certificate from the root are
   * signed again; they are skipped unless asked.
   */
  properties[PROP_RENEW_TRUSTED] =
    g_param_spec_boolean ("renew-trusted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VouchBulkDialog:finished:
   *
   * Whether the last run is over: every device signed, failed or skipped,
   * and what failed open for correcting.
   */
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-bulk-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, resume_button);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, secret_group);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, trusted_group);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, trusted_row);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, renew_switch);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, devices_group);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resume_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, renew_switch_cb);
}

static void
vouch_bulk_dialog_init (VouchBulkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->to_prepare);
}

VouchBulkDialog *
vouch_bulk_dialog_new (VouchApplication *application,
                       GListModel       *devices)
{
  VouchBulkDialog *self;
  g_autofree char *subtitle = NULL;
  gboolean any_new = FALSE;
  guint n;

  g_return_val_if_fail (VOUCH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (devices), NULL);

  self = g_object_new (VOUCH_TYPE_BULK_DIALOG, NULL);
  self->application = g_object_ref (application);
  n = g_list_model_get_n_items (devices);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (devices, i);

      add_row (self, device);
    }

  update_trusted_row (self);
  /* The admin secret asked for here is for the new devices. */
  for (guint i = 0; i < self->rows->len; i++)
    any_new |= vouch_bulk_row_needs_code (g_ptr_array_index (self->rows, i));
  gtk_widget_set_visible (GTK_WIDGET (self->secret_group), any_new);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u device", "%u devices", n), n);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_label_set_label (self->summary_label,
                       _("Review the names each device will get. Enter the setup code of each new "
                         "device, or switch it off to skip it."));
  return self;
}

/**
 * vouch_bulk_dialog_set_renew_trusted:
 * @renew: whether to sign again the devices that are already trusted
 */
void
vouch_bulk_dialog_set_renew_trusted (VouchBulkDialog *self,
                                     gboolean         renew)
{
  g_return_if_fail (VOUCH_IS_BULK_DIALOG (self));

  renew = !!renew;
  if (self->renew_trusted == (guint)renew)
    return;

  self->renew_trusted = renew;
  gtk_switch_set_active (self->renew_switch, renew);
  for (guint i = 0; i < self->rows->len; i++)
    {
      VouchBulkRow *row = g_ptr_array_index (self->rows, i);

      if (vouch_bulk_row_get_trusted (row))
        vouch_bulk_row_set_included (row, renew);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENEW_TRUSTED]);
}

gboolean
vouch_bulk_dialog_get_renew_trusted (VouchBulkDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_DIALOG (self), FALSE);
  return self->renew_trusted;
}

static guint
count_state (VouchBulkDialog   *self,
             VouchBulkRowState  state)
{
  guint n = 0;

  for (guint i = 0; i < self->rows->len; i++)
    if (vouch_bulk_row_get_state (g_ptr_array_index (self->rows, i)) == state)
      n++;
  return n;
}

guint
vouch_bulk_dialog_get_n_failed (VouchBulkDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_DIALOG (self), 0);
  return count_state (self, VOUCH_BULK_ROW_FAILED);
}

guint
vouch_bulk_dialog_get_n_trusted (VouchBulkDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_DIALOG (self), 0);
  return count_state (self, VOUCH_BULK_ROW_TRUSTED);
}
