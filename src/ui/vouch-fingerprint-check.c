/* vouch-fingerprint-check.c
 *
 * A device without a setup code (Redfish, Axis, by hand) is verified by
 * the operator comparing its key's fingerprint with the one the device
 * itself shows: trust on first use, said plainly.  The fingerprint is read
 * here over a fresh TLS connection through the device's driver; the box
 * can be ticked only once it is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-fingerprint-check.h"

#include "vouch-device-driver.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

struct _VouchFingerprintCheck
{
  AdwBin          parent_instance;

  VouchDeviceDriver *driver;
  GCancellable   *cancellable;
  char           *fingerprint;
  GTlsCertificate *certificate;

  GtkLabel       *fingerprint_label;
  GtkCheckButton *match_check;
};

G_DEFINE_FINAL_TYPE (VouchFingerprintCheck, vouch_fingerprint_check, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FINGERPRINT,
  PROP_MATCHES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
match_toggled_cb (VouchFingerprintCheck *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCHES]);
}

static void
identified_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(VouchFingerprintCheck) self = user_data;
  g_autoptr(VouchDeviceIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  identity = vouch_device_driver_identify_finish (VOUCH_DEVICE_DRIVER (object), result, &error);
  if (identity == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->fingerprint_label, error->message);
      return;
    }

  g_free (self->fingerprint);
  self->fingerprint = g_strdup (identity->spki_sha256);
  g_set_object (&self->certificate, identity->certificate);
  shown = vouch_ui_format_fingerprint (self->fingerprint);
  gtk_label_set_label (self->fingerprint_label, shown);
  gtk_widget_set_sensitive (GTK_WIDGET (self->match_check), TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINGERPRINT]);
}

/**
 * vouch_fingerprint_check_set_device:
 *
 * Reads the key @device presents now, through its driver, and shows its
 * fingerprint; the box is unticked until the operator ticks it.
 */
void
vouch_fingerprint_check_set_device (VouchFingerprintCheck *self,
                                    VouchDevice           *device)
{
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VOUCH_IS_FINGERPRINT_CHECK (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->driver);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_object (&self->certificate);
  gtk_check_button_set_active (self->match_check, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->match_check), FALSE);
  if (device == NULL)
    return;

  base = vouch_device_dup_base_url (device);
  self->driver = base != NULL ? vouch_device_driver_new (vouch_device_get_driver (device), base, NULL, &error)
                              : NULL;
  if (self->driver == NULL)
    {
      gtk_label_set_label (self->fingerprint_label,
                           error != NULL ? error->message : _("Vouch does not know where the device is"));
      return;
    }
  gtk_label_set_label (self->fingerprint_label, _("Asking the device…"));
  self->cancellable = g_cancellable_new ();
  vouch_device_driver_identify_async (self->driver, TRUE, self->cancellable, identified_cb,
                                      g_object_ref (self));
}

/* The fingerprint shown, in lowercase hex, or %NULL until read. */
const char *
vouch_fingerprint_check_get_fingerprint (VouchFingerprintCheck *self)
{
  g_return_val_if_fail (VOUCH_IS_FINGERPRINT_CHECK (self), NULL);
  return self->fingerprint;
}

/* The chain the device served with that key, or %NULL until read: the
 * by-hand dialog shows what the device serves now from it. */
GTlsCertificate *
vouch_fingerprint_check_get_certificate (VouchFingerprintCheck *self)
{
  g_return_val_if_fail (VOUCH_IS_FINGERPRINT_CHECK (self), NULL);
  return self->certificate;
}

/* Whether the operator said the fingerprints are the same. */
gboolean
vouch_fingerprint_check_get_matches (VouchFingerprintCheck *self)
{
  g_return_val_if_fail (VOUCH_IS_FINGERPRINT_CHECK (self), FALSE);
  return self->fingerprint != NULL && gtk_check_button_get_active (self->match_check);
}

static void
vouch_fingerprint_check_dispose (GObject *object)
{
  VouchFingerprintCheck *self = (VouchFingerprintCheck *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->driver);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_object (&self->certificate);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_FINGERPRINT_CHECK);

  G_OBJECT_CLASS (vouch_fingerprint_check_parent_class)->dispose (object);
}

static void
vouch_fingerprint_check_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  VouchFingerprintCheck *self = VOUCH_FINGERPRINT_CHECK (object);

  switch (prop_id)
    {
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    case PROP_MATCHES:
      g_value_set_boolean (value, vouch_fingerprint_check_get_matches (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_fingerprint_check_class_init (VouchFingerprintCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vouch_fingerprint_check_dispose;
  object_class->get_property = vouch_fingerprint_check_get_property;

  properties[PROP_FINGERPRINT] = g_param_spec_string ("fingerprint", NULL, NULL, NULL, ro);
  properties[PROP_MATCHES] = g_param_spec_boolean ("matches", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-fingerprint-check.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchFingerprintCheck, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, VouchFingerprintCheck, match_check);
  gtk_widget_class_bind_template_callback (widget_class, match_toggled_cb);
}

static void
vouch_fingerprint_check_init (VouchFingerprintCheck *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
