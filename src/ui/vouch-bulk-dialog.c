/* vouch-bulk-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-bulk-dialog.h"

#include "vouch-bulk-onboarding.h"
#include "vouch-device-status.h"
#include "vouch-error.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

typedef enum
{
  ITEM_WAITING,
  ITEM_SKIPPED,
  ITEM_RUNNING,
  ITEM_TRUSTED,
  ITEM_FAILED,
} ItemState;

/* One row per device: what the user chose (include, setup code, a
 * corrected admin secret) and what happened to it. */
typedef struct
{
  VouchDevice         *device;
  AdwExpanderRow      *row;
  GtkSwitch           *include;
  AdwEntryRow         *code_row;
  AdwPasswordEntryRow *secret_row;
  GtkSpinner          *spinner;
  GtkImage            *result_icon;
  ItemState            state;
  gulong               step_id;
  gboolean             trusted;
} Item;

struct _VouchBulkDialog
{
  AdwWindow            parent_instance;

  VouchApplication    *application;
  GPtrArray           *items;
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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
item_free (Item *item)
{
  if (item->step_id != 0)
    g_clear_signal_handler (&item->step_id, item->device);
  g_clear_object (&item->device);
  g_free (item);
}

static Item *
find_item (VouchBulkDialog *self,
           VouchDevice     *device)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->device == device)
        return item;
    }
  return NULL;
}

static gboolean
needs_code (Item *item)
{
  return vouch_device_get_verification (item->device) == VOUCH_VERIFICATION_NONE ||
         vouch_device_get_pin (item->device) == NULL;
}

static gboolean
needs_verification (Item *item)
{
  return needs_code (item) || vouch_device_get_attention (item->device) != NULL;
}

static void
set_item_state (Item       *item,
                ItemState   state,
                const char *text)
{
  item->state = state;
  gtk_widget_set_visible (GTK_WIDGET (item->spinner), state == ITEM_RUNNING);
  gtk_spinner_set_spinning (item->spinner, state == ITEM_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (item->result_icon), state == ITEM_TRUSTED || state == ITEM_FAILED
                                                          || state == ITEM_SKIPPED);
  gtk_image_set_from_icon_name (item->result_icon,
                                state == ITEM_TRUSTED ? "emblem-ok-symbolic"
                                : state == ITEM_FAILED ? "dialog-error-symbolic"
                                                       : "action-unavailable-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (item->result_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (item->result_icon), "error");
  if (state == ITEM_TRUSTED)
    gtk_widget_add_css_class (GTK_WIDGET (item->result_icon), "success");
  else if (state == ITEM_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (item->result_icon), "error");
  if (text != NULL)
    adw_expander_row_set_subtitle (item->row, text);
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

/* A device that refused its admin secret, or has none in the keyring, is
 * not a dead end: its row asks for the right one, and Retry Failed uses
 * it. */
static void
fail_item (Item         *item,
           const GError *error)
{
  gboolean refused = g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED);

  set_item_state (item, ITEM_FAILED, error->message);
  gtk_widget_set_visible (GTK_WIDGET (item->secret_row), refused);
  if (refused)
    adw_expander_row_set_enable_expansion (item->row, TRUE);
}

static void
update_summary (VouchBulkDialog *self)
{
  guint trusted = vouch_bulk_dialog_get_n_trusted (self);
  guint failed = vouch_bulk_dialog_get_n_failed (self);
  guint total = 0;
  guint done = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->state != ITEM_SKIPPED)
        total++;
      if (item->state == ITEM_TRUSTED || item->state == ITEM_FAILED)
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
step_cb (VouchDevice *device,
         GParamSpec  *pspec,
         Item        *item)
{
  const char *text = NULL;

  switch (vouch_device_get_step (device))
    {
    case VOUCH_ONBOARDING_STEP_CSR_RECEIVED:
      text = _("Signing…");
      break;
    case VOUCH_ONBOARDING_STEP_SIGNED:
      text = _("Installing…");
      break;
    case VOUCH_ONBOARDING_STEP_INSTALLED:
      text = _("Confirming…");
      break;
    default:
      break;
    }
  if (text != NULL && item->state == ITEM_RUNNING)
    adw_expander_row_set_subtitle (item->row, text);
}

static void
device_finished_cb (VouchBulkOnboarding *bulk,
                    VouchDevice         *device,
                    const GError        *error,
                    VouchBulkDialog     *self)
{
  Item *item = find_item (self, device);

  if (item == NULL)
    return;
  if (error == NULL)
    {
      set_item_state (item, ITEM_TRUSTED, _("Trusted: serves a certificate from your root"));
      /* Nothing is left to type for it. */
      gtk_widget_set_visible (GTK_WIDGET (item->code_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (item->secret_row), FALSE);
      adw_expander_row_set_enable_expansion (item->row, FALSE);
    }
  else
    fail_item (item, error);
  update_summary (self);
}

static void
finish (VouchBulkDialog *self)
{
  gboolean focused = FALSE;

  self->running = FALSE;
  self->finished = TRUE;

  /* What failed can be corrected where it is shown: a wrong setup code,
   * or the admin secret the device refused. The first such field has
   * the focus, ready for typing. */
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      gboolean code = needs_code (item);
      gboolean secret = gtk_widget_get_visible (GTK_WIDGET (item->secret_row));

      if (item->state != ITEM_FAILED)
        continue;
      gtk_widget_set_visible (GTK_WIDGET (item->code_row), code);
      gtk_widget_set_sensitive (GTK_WIDGET (item->code_row), code);
      gtk_widget_set_sensitive (GTK_WIDGET (item->secret_row), secret);
      if (code || secret)
        adw_expander_row_set_expanded (item->row, TRUE);
      if (!focused && (code || secret))
        focused = gtk_widget_grab_focus (secret ? GTK_WIDGET (item->secret_row)
                                                  : GTK_WIDGET (item->code_row));
    }
  update_summary (self);
}

static void
bulk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VouchBulkDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  vouch_bulk_onboarding_run_finish (VOUCH_BULK_ONBOARDING (object), result, &error);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->state == ITEM_RUNNING)
        set_item_state (item, ITEM_FAILED, _("Cancelled"));
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

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->state == ITEM_RUNNING)
        {
          adw_expander_row_set_subtitle (item->row, _("Waiting…"));
          g_list_store_append (ready, item->device);
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
  Item *item = g_queue_pop_head (&self->to_prepare);

  /* Nothing left to report to once the dialog is gone. */
  if (item == NULL)
    return;

  if (error != NULL)
    fail_item (item, error);

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
              Item            *item,
              const char      *secret)
{
  vouch_onboarding_set_admin_secret_async (vouch_application_get_onboarding (self->application),
                                           item->device, secret, self->cancellable,
                                           secret_stored_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (item->secret_row), "");
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VouchBulkDialog) self = user_data;
  Item *item = g_queue_peek_head (&self->to_prepare);
  g_autoptr(GError) error = NULL;
  const char *secret;

  if (item == NULL)
    return;

  if (!vouch_onboarding_verify_finish (VOUCH_ONBOARDING (object), result, &error))
    {
      prepare_done (self, error);
      return;
    }

  adw_expander_row_set_subtitle (item->row, _("Verified"));
  /* The secret typed for this device, or else the one for new devices. */
  secret = gtk_editable_get_text (GTK_EDITABLE (item->secret_row));
  if (*secret == '\0')
    secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  if (*secret != '\0')
    store_secret (self, item, secret);
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
  Item *item;

  while ((item = g_queue_peek_head (&self->to_prepare)) != NULL)
    {
      const char *secret = gtk_editable_get_text (GTK_EDITABLE (item->secret_row));

      if (needs_verification (item))
        {
          adw_expander_row_set_subtitle (item->row, _("Verifying the setup code…"));
          vouch_onboarding_verify_async (vouch_application_get_onboarding (self->application),
                                         item->device,
                                         gtk_editable_get_text (GTK_EDITABLE (item->code_row)),
                                         self->cancellable, verified_cb, g_object_ref (self));
          return;
        }
      if (*secret != '\0')
        {
          store_secret (self, item, secret);
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
  self->finished = FALSE;
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

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      const char *code = gtk_editable_get_text (GTK_EDITABLE (item->code_row));

      gtk_widget_set_sensitive (GTK_WIDGET (item->include), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (item->code_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (item->secret_row), FALSE);
      /* While it runs, each row is one line of progress. */
      adw_expander_row_set_expanded (item->row, FALSE);

      if (failed_only && item->state != ITEM_FAILED)
        continue;
      if (!gtk_switch_get_active (item->include))
        {
          set_item_state (item, ITEM_SKIPPED,
                          item->trusted ? _("Skipped: already trusted") : _("Skipped"));
          continue;
        }
      if (vouch_device_get_kind (item->device) != VOUCH_DEVICE_KIND_VOUCH)
        {
          set_item_state (item, ITEM_SKIPPED, _("Skipped: no Vouch API; sign its CSR by hand"));
          continue;
        }
      if (needs_code (item) && *code == '\0')
        {
          set_item_state (item, ITEM_SKIPPED, _("Skipped: no setup code entered"));
          continue;
        }

      set_item_state (item, ITEM_RUNNING, _("Waiting…"));
      g_queue_push_tail (&self->to_prepare, item);
    }

  update_summary (self);
  prepare_next (self);
}

void
vouch_bulk_dialog_start (VouchBulkDialog *self)
{
  g_return_if_fail (VOUCH_IS_BULK_DIALOG (self));
  g_return_if_fail (!self->running);
  run (self, FALSE);
}

static void
start_clicked_cb (VouchBulkDialog *self)
{
  vouch_bulk_dialog_start (self);
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

/* The names the certificate will hold, as the Onboard dialog proposes
 * them: the device's own (host name and addresses) and the site-wide
 * extra names from Preferences. */
static char *
device_names (VouchBulkDialog *self,
              VouchDevice     *device)
{
  GSettings *settings = vouch_application_get_settings (self->application);
  g_auto(GStrv) extra = g_settings_get_strv (settings, "default-extra-names");
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char * const *addresses = vouch_device_get_addresses (device);

  if (vouch_device_get_host (device) != NULL)
    g_ptr_array_add (names, (char *)vouch_device_get_host (device));
  for (guint i = 0; addresses[i] != NULL; i++)
    g_ptr_array_add (names, (char *)addresses[i]);
  for (guint i = 0; extra[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (names, extra[i], g_str_equal, NULL))
      g_ptr_array_add (names, extra[i]);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **)names->pdata);
}

static void
add_item (VouchBulkDialog *self,
          VouchDevice     *device)
{
  Item *item = g_new0 (Item, 1);
  g_autofree char *names = device_names (self, device);
  g_autofree char *subtitle = NULL;
  g_autofree char *include_label = g_strdup_printf (_("Include %s"), vouch_device_get_name (device));
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  item->device = g_object_ref (device);
  item->trusted = vouch_device_status_get (device, g_get_real_time () / G_USEC_PER_SEC) ==
                  VOUCH_DEVICE_STATUS_TRUSTED;
  item->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->row), vouch_device_get_name (device));

  if (item->trusted)
    /* Translators: %s is the list of names, as in "nas.local, 192.168.1.20". */
    subtitle = g_strdup_printf (_("Already trusted. Names: %s"), names);
  else
    /* Translators: %s is the list of names, as in "nas.local, 192.168.1.20". */
    subtitle = g_strdup_printf (_("Names: %s"), names);
  adw_expander_row_set_subtitle (item->row, subtitle);

  item->spinner = GTK_SPINNER (gtk_spinner_new ());
  item->result_icon = GTK_IMAGE (gtk_image_new ());
  item->include = GTK_SWITCH (gtk_switch_new ());
  gtk_switch_set_active (item->include, !item->trusted || self->renew_trusted);
  gtk_widget_set_valign (GTK_WIDGET (item->include), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (item->include), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  include_label, -1);
  gtk_widget_set_visible (GTK_WIDGET (item->spinner), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (item->result_icon), FALSE);
  gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (item->spinner));
  gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (item->result_icon));
  gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (item->include));
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_expander_row_add_action (item->row, suffix);

  item->code_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->code_row), _("Setup Code"));
  adw_expander_row_add_row (item->row, GTK_WIDGET (item->code_row));
  item->secret_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->secret_row), _("Admin Password or Token"));
  gtk_widget_set_visible (GTK_WIDGET (item->secret_row), FALSE);
  adw_expander_row_add_row (item->row, GTK_WIDGET (item->secret_row));
  if (needs_code (item))
    adw_expander_row_set_expanded (item->row, TRUE);
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (item->code_row), FALSE);
      adw_expander_row_set_enable_expansion (item->row, FALSE);
    }

  item->step_id = g_signal_connect (device, "notify::step", G_CALLBACK (step_cb), item);
  adw_preferences_group_add (self->devices_group, GTK_WIDGET (item->row));
  g_ptr_array_add (self->items, item);
}

static void
update_trusted_row (VouchBulkDialog *self)
{
  guint n_trusted = 0;
  g_autofree char *title = NULL;

  for (guint i = 0; i < self->items->len; i++)
    if (((Item *)g_ptr_array_index (self->items, i))->trusted)
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
  g_clear_pointer (&self->items, g_ptr_array_unref);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-bulk-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, secret_group);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, trusted_group);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, trusted_row);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, renew_switch);
  gtk_widget_class_bind_template_child (widget_class, VouchBulkDialog, devices_group);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, renew_switch_cb);
}

static void
vouch_bulk_dialog_init (VouchBulkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify)item_free);
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

      add_item (self, device);
    }

  update_trusted_row (self);
  /* The admin secret asked for here is for the new devices. */
  for (guint i = 0; i < self->items->len; i++)
    any_new |= needs_code (g_ptr_array_index (self->items, i));
  gtk_widget_set_visible (GTK_WIDGET (self->secret_group), any_new);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u device", "%u devices", n), n);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_label_set_label (self->summary_label,
                       _("Review the names each device will get. Enter the setup code of each new "
                         "device, or switch it off to skip it."));
  return self;
}

void
vouch_bulk_dialog_set_code (VouchBulkDialog *self,
                            VouchDevice     *device,
                            const char      *setup_code)
{
  Item *item;

  g_return_if_fail (VOUCH_IS_BULK_DIALOG (self));
  item = find_item (self, device);
  g_return_if_fail (item != NULL);
  gtk_editable_set_text (GTK_EDITABLE (item->code_row), setup_code);
}

void
vouch_bulk_dialog_set_skip (VouchBulkDialog *self,
                            VouchDevice     *device,
                            gboolean         skip)
{
  Item *item;

  g_return_if_fail (VOUCH_IS_BULK_DIALOG (self));
  item = find_item (self, device);
  g_return_if_fail (item != NULL);
  gtk_switch_set_active (item->include, !skip);
}

void
vouch_bulk_dialog_set_secret (VouchBulkDialog *self,
                              const char      *secret)
{
  g_return_if_fail (VOUCH_IS_BULK_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), secret);
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
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->trusted)
        gtk_switch_set_active (item->include, renew);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENEW_TRUSTED]);
}

gboolean
vouch_bulk_dialog_get_renew_trusted (VouchBulkDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_DIALOG (self), FALSE);
  return self->renew_trusted;
}

gboolean
vouch_bulk_dialog_get_finished (VouchBulkDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_DIALOG (self), FALSE);
  return self->finished;
}

static guint
count_state (VouchBulkDialog *self,
             ItemState        state)
{
  guint n = 0;

  for (guint i = 0; i < self->items->len; i++)
    if (((Item *)g_ptr_array_index (self->items, i))->state == state)
      n++;
  return n;
}

guint
vouch_bulk_dialog_get_n_failed (VouchBulkDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_DIALOG (self), 0);
  return count_state (self, ITEM_FAILED);
}

guint
vouch_bulk_dialog_get_n_trusted (VouchBulkDialog *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_DIALOG (self), 0);
  return count_state (self, ITEM_TRUSTED);
}
