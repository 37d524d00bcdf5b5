/* vouch-bulk-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-bulk-row.h"

#include "vouch-device-status.h"
#include "vouch-error.h"

#include <glib/gi18n.h>

/* The row's title is the device's name and its subtitle the names the
 * certificate will hold, until signing starts; from then on the subtitle
 * says how the device is doing. Inside are the fields the person may
 * have to type into: the setup code of a new device, and the admin
 * secret of one that refused the one it was given. */
struct _VouchBulkRow
{
  AdwExpanderRow       parent_instance;

  VouchDevice         *device;
  VouchBulkRowState    state;
  gboolean             trusted;

  GtkSwitch           *include;
  AdwEntryRow         *code_row;
  AdwPasswordEntryRow *secret_row;
  GtkSpinner          *spinner;
  GtkImage            *result_icon;
};

G_DEFINE_FINAL_TYPE (VouchBulkRow, vouch_bulk_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_DEVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
step_cb (VouchBulkRow *self)
{
  const char *text = NULL;

  switch (vouch_device_get_step (self->device))
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
  if (text != NULL && self->state == VOUCH_BULK_ROW_RUNNING)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), text);
}

/* The names the certificate will hold, as the Onboard dialog proposes
 * them: the device's own (host name and addresses) and the site-wide
 * extra names. */
static char *
dup_names (VouchDevice        *device,
           const char * const *extra_names)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char * const *addresses = vouch_device_get_addresses (device);

  if (vouch_device_get_host (device) != NULL)
    g_ptr_array_add (names, (char *)vouch_device_get_host (device));
  for (guint i = 0; addresses[i] != NULL; i++)
    g_ptr_array_add (names, (char *)addresses[i]);
  for (guint i = 0; extra_names != NULL && extra_names[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (names, extra_names[i], g_str_equal, NULL))
      g_ptr_array_add (names, (char *)extra_names[i]);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **)names->pdata);
}

static void
vouch_bulk_row_constructed (GObject *object)
{
  VouchBulkRow *self = VOUCH_BULK_ROW (object);
  g_autofree char *include_label = NULL;

  G_OBJECT_CLASS (vouch_bulk_row_parent_class)->constructed (object);

  self->trusted = vouch_device_status_get (self->device, g_get_real_time () / G_USEC_PER_SEC) ==
                  VOUCH_DEVICE_STATUS_TRUSTED;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), vouch_device_get_name (self->device));
  include_label = g_strdup_printf (_("Include %s"), vouch_device_get_name (self->device));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->include), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  include_label, -1);
  /* Already trusted devices are signed again only when asked. */
  gtk_switch_set_active (self->include, !self->trusted);

  if (vouch_bulk_row_needs_code (self))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->code_row), FALSE);
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), FALSE);
    }

  g_signal_connect_object (self->device, "notify::step", G_CALLBACK (step_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
vouch_bulk_row_dispose (GObject *object)
{
  VouchBulkRow *self = VOUCH_BULK_ROW (object);

  g_clear_object (&self->device);

  G_OBJECT_CLASS (vouch_bulk_row_parent_class)->dispose (object);
}

static void
vouch_bulk_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VouchBulkRow *self = VOUCH_BULK_ROW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_bulk_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VouchBulkRow *self = VOUCH_BULK_ROW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      self->device = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_bulk_row_class_init (VouchBulkRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vouch_bulk_row_constructed;
  object_class->dispose = vouch_bulk_row_dispose;
  object_class->get_property = vouch_bulk_row_get_property;
  object_class->set_property = vouch_bulk_row_set_property;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, VOUCH_TYPE_DEVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_bulk_row_init (VouchBulkRow *self)
{
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  self->result_icon = GTK_IMAGE (gtk_image_new ());
  self->include = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->include), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->result_icon), FALSE);
  gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (self->result_icon));
  gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (self->include));
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), suffix);

  self->code_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->code_row), _("Setup Code"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->code_row));

  self->secret_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row), _("Admin Secret"));
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), FALSE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->secret_row));
}

/**
 * vouch_bulk_row_new:
 * @extra_names: (nullable): the site-wide names every certificate gets
 */
VouchBulkRow *
vouch_bulk_row_new (VouchDevice        *device,
                    const char * const *extra_names)
{
  VouchBulkRow *self;
  g_autofree char *names = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (VOUCH_IS_DEVICE (device), NULL);

  self = g_object_new (VOUCH_TYPE_BULK_ROW, "device", device, NULL);
  names = dup_names (device, extra_names);
  if (self->trusted)
    /* Translators: %s is the list of names, as in "nas.local, 192.168.1.20". */
    subtitle = g_strdup_printf (_("Already trusted. Names: %s"), names);
  else
    /* Translators: %s is the list of names, as in "nas.local, 192.168.1.20". */
    subtitle = g_strdup_printf (_("Names: %s"), names);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  return self;
}

VouchDevice *
vouch_bulk_row_get_device (VouchBulkRow *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ROW (self), NULL);
  return self->device;
}

/**
 * vouch_bulk_row_get_trusted:
 *
 * Returns: whether the device already served a certificate from the root
 *   when the row was made
 */
gboolean
vouch_bulk_row_get_trusted (VouchBulkRow *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ROW (self), FALSE);
  return self->trusted;
}

gboolean
vouch_bulk_row_needs_code (VouchBulkRow *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ROW (self), FALSE);
  return vouch_device_get_verification (self->device) == VOUCH_VERIFICATION_NONE ||
         vouch_device_get_pin (self->device) == NULL;
}

gboolean
vouch_bulk_row_needs_verification (VouchBulkRow *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ROW (self), FALSE);
  return vouch_bulk_row_needs_code (self) || vouch_device_get_attention (self->device) != NULL;
}

gboolean
vouch_bulk_row_get_included (VouchBulkRow *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ROW (self), FALSE);
  return gtk_switch_get_active (self->include);
}

void
vouch_bulk_row_set_included (VouchBulkRow *self,
                             gboolean      included)
{
  g_return_if_fail (VOUCH_IS_BULK_ROW (self));
  gtk_switch_set_active (self->include, included);
}

const char *
vouch_bulk_row_get_code (VouchBulkRow *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ROW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->code_row));
}

void
vouch_bulk_row_set_code (VouchBulkRow *self,
                         const char   *code)
{
  g_return_if_fail (VOUCH_IS_BULK_ROW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
}

/**
 * vouch_bulk_row_get_secret:
 *
 * Returns: the admin secret typed for this device, or ""
 */
const char *
vouch_bulk_row_get_secret (VouchBulkRow *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ROW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
}

/* Once the keyring has it, the field lets it go. */
void
vouch_bulk_row_clear_secret (VouchBulkRow *self)
{
  g_return_if_fail (VOUCH_IS_BULK_ROW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
}

VouchBulkRowState
vouch_bulk_row_get_state (VouchBulkRow *self)
{
  g_return_val_if_fail (VOUCH_IS_BULK_ROW (self), VOUCH_BULK_ROW_WAITING);
  return self->state;
}

/**
 * vouch_bulk_row_set_state:
 * @text: (nullable): what to say in the subtitle, or %NULL to keep it
 */
void
vouch_bulk_row_set_state (VouchBulkRow      *self,
                          VouchBulkRowState  state,
                          const char        *text)
{
  GtkWidget *icon;

  g_return_if_fail (VOUCH_IS_BULK_ROW (self));

  icon = GTK_WIDGET (self->result_icon);
  self->state = state;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), state == VOUCH_BULK_ROW_RUNNING);
  gtk_spinner_set_spinning (self->spinner, state == VOUCH_BULK_ROW_RUNNING);
  gtk_widget_set_visible (icon, state == VOUCH_BULK_ROW_TRUSTED || state == VOUCH_BULK_ROW_FAILED ||
                                state == VOUCH_BULK_ROW_SKIPPED);
  gtk_image_set_from_icon_name (self->result_icon,
                                state == VOUCH_BULK_ROW_TRUSTED ? "emblem-ok-symbolic"
                                : state == VOUCH_BULK_ROW_FAILED ? "dialog-error-symbolic"
                                                                 : "action-unavailable-symbolic");
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");
  if (state == VOUCH_BULK_ROW_TRUSTED)
    gtk_widget_add_css_class (icon, "success");
  else if (state == VOUCH_BULK_ROW_FAILED)
    gtk_widget_add_css_class (icon, "error");
  if (text != NULL)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), text);
}

void
vouch_bulk_row_succeed (VouchBulkRow *self)
{
  g_return_if_fail (VOUCH_IS_BULK_ROW (self));

  vouch_bulk_row_set_state (self, VOUCH_BULK_ROW_TRUSTED,
                            _("Trusted: serves a certificate from your root"));
  /* Nothing is left to type for it. */
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), FALSE);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), FALSE);
}

/* A device that refused its admin secret, or has none in the keyring, is
 * not a dead end: its row asks for the right one, and Retry Failed uses
 * it. */
void
vouch_bulk_row_fail (VouchBulkRow *self,
                     const GError *error)
{
  gboolean refused;

  g_return_if_fail (VOUCH_IS_BULK_ROW (self));
  g_return_if_fail (error != NULL);

  refused = g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED);
  vouch_bulk_row_set_state (self, VOUCH_BULK_ROW_FAILED, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), refused);
  if (refused)
    adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), TRUE);
}

/* While signing runs, the row is one line of progress and nothing in it
 * can be changed. */
void
vouch_bulk_row_lock (VouchBulkRow *self)
{
  g_return_if_fail (VOUCH_IS_BULK_ROW (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->include), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->secret_row), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), FALSE);
}

/**
 * vouch_bulk_row_open_corrections:
 *
 * After a run, opens a failed device's row on what can be corrected: a
 * wrong setup code, or the admin secret the device refused.
 *
 * Returns: (transfer none) (nullable): the field to type into first, or
 *   %NULL when there is nothing to type
 */
GtkWidget *
vouch_bulk_row_open_corrections (VouchBulkRow *self)
{
  gboolean code;
  gboolean secret;

  g_return_val_if_fail (VOUCH_IS_BULK_ROW (self), NULL);

  if (self->state != VOUCH_BULK_ROW_FAILED)
    return NULL;

  code = vouch_bulk_row_needs_code (self);
  secret = gtk_widget_get_visible (GTK_WIDGET (self->secret_row));
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), code);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), code);
  gtk_widget_set_sensitive (GTK_WIDGET (self->secret_row), secret);
  if (!code && !secret)
    return NULL;

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
  return secret ? GTK_WIDGET (self->secret_row) : GTK_WIDGET (self->code_row);
}
