/* vouch-certificate-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-certificate-entry.h"

#include <glib/gi18n-lib.h>

/* A certificate with what the inventory view shows beside it: its
 * device's name, its revocation, and its expiry class at the moment the
 * list was read. Immutable: the view reads the list again (a day later,
 * or after a change) rather than ticking each row. */
struct _VouchCertificateEntry
{
  GObject                parent_instance;

  VouchCertificate      *certificate;
  char                  *device_name;
  char                  *names_text;
  char                  *expiry_text;
  gint64                 revoked_at;
  VouchRevocationReason  reason;
  VouchExpiryClass       expiry_class;
  int                    days_left;
  gboolean               replaced;
};

enum {
  PROP_0,
  PROP_CERTIFICATE,
  PROP_DEVICE_NAME,
  PROP_NAMES_TEXT,
  PROP_SERIAL,
  PROP_NOT_AFTER,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_EXPIRY_CLASS,
  PROP_EXPIRY_TEXT,
  PROP_DAYS_LEFT,
  PROP_REVOKED_AT,
  PROP_REVOCATION_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (VouchRevocationReason, vouch_revocation_reason,
                    G_DEFINE_ENUM_VALUE (VOUCH_REVOCATION_UNSPECIFIED, "unspecified"),
                    G_DEFINE_ENUM_VALUE (VOUCH_REVOCATION_KEY_COMPROMISE, "key-compromise"),
                    G_DEFINE_ENUM_VALUE (VOUCH_REVOCATION_CA_COMPROMISE, "ca-compromise"),
                    G_DEFINE_ENUM_VALUE (VOUCH_REVOCATION_AFFILIATION_CHANGED, "affiliation-changed"),
                    G_DEFINE_ENUM_VALUE (VOUCH_REVOCATION_SUPERSEDED, "superseded"),
                    G_DEFINE_ENUM_VALUE (VOUCH_REVOCATION_CESSATION_OF_OPERATION,
                                         "cessation-of-operation"),
                    G_DEFINE_ENUM_VALUE (VOUCH_REVOCATION_CERTIFICATE_HOLD, "certificate-hold"),
                    G_DEFINE_ENUM_VALUE (VOUCH_REVOCATION_PRIVILEGE_WITHDRAWN, "privilege-withdrawn"))

G_DEFINE_FINAL_TYPE (VouchCertificateEntry, vouch_certificate_entry, G_TYPE_OBJECT)

const char *
vouch_revocation_reason_to_string (VouchRevocationReason reason)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (VOUCH_TYPE_REVOCATION_REASON);
  GEnumValue *value = g_enum_get_value (klass, reason);

  return value != NULL ? value->value_nick : "unspecified";
}

/* Folds "keyCompromise", "key_compromise" and "key-compromise" together,
 * so RFC 5280's spelling and the nick are both accepted. */
static char *
fold_reason (const char *text)
{
  GString *folded = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p != '-' && *p != '_' && *p != ' ')
        g_string_append_c (folded, g_ascii_tolower (*p));
    }
  return g_string_free (folded, FALSE);
}

/**
 * vouch_revocation_reason_from_string:
 * @text: a nick such as “key-compromise”, or RFC 5280's “keyCompromise”
 */
gboolean
vouch_revocation_reason_from_string (const char            *text,
                                     VouchRevocationReason *out_reason)
{
  g_autoptr(GEnumClass) klass = NULL;
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (out_reason != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  klass = g_type_class_ref (VOUCH_TYPE_REVOCATION_REASON);
  wanted = fold_reason (text);
  for (guint i = 0; i < klass->n_values; i++)
    {
      g_autofree char *nick = fold_reason (klass->values[i].value_nick);

      if (strcmp (nick, wanted) == 0)
        {
          *out_reason = klass->values[i].value;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * vouch_revocation_reason_describe:
 *
 * Returns: the reason in words, for a list or a dialog
 */
const char *
vouch_revocation_reason_describe (VouchRevocationReason reason)
{
  switch (reason)
    {
    case VOUCH_REVOCATION_KEY_COMPROMISE:
      return _("Its key was compromised");
    case VOUCH_REVOCATION_CA_COMPROMISE:
      return _("The root's key was compromised");
    case VOUCH_REVOCATION_AFFILIATION_CHANGED:
      return _("The device changed hands or names");
    case VOUCH_REVOCATION_SUPERSEDED:
      return _("Replaced by a newer certificate");
    case VOUCH_REVOCATION_CESSATION_OF_OPERATION:
      return _("The device was retired");
    case VOUCH_REVOCATION_CERTIFICATE_HOLD:
      return _("On hold");
    case VOUCH_REVOCATION_PRIVILEGE_WITHDRAWN:
      return _("Its access was withdrawn");
    case VOUCH_REVOCATION_UNSPECIFIED:
    default:
      return _("No reason given");
    }
}

static void
vouch_certificate_entry_dispose (GObject *object)
{
  VouchCertificateEntry *self = (VouchCertificateEntry *)object;

  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (vouch_certificate_entry_parent_class)->dispose (object);
}

static void
vouch_certificate_entry_finalize (GObject *object)
{
  VouchCertificateEntry *self = (VouchCertificateEntry *)object;

  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->names_text, g_free);
  g_clear_pointer (&self->expiry_text, g_free);

  G_OBJECT_CLASS (vouch_certificate_entry_parent_class)->finalize (object);
}

static void
vouch_certificate_entry_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  VouchCertificateEntry *self = VOUCH_CERTIFICATE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_DEVICE_NAME:
      g_value_set_string (value, self->device_name);
      break;
    case PROP_NAMES_TEXT:
      g_value_set_string (value, self->names_text);
      break;
    case PROP_SERIAL:
      g_value_set_string (value, vouch_certificate_get_serial (self->certificate));
      break;
    case PROP_NOT_AFTER:
      g_value_set_int64 (value, vouch_certificate_get_not_after (self->certificate));
      break;
    case PROP_STATUS:
      g_value_set_enum (value, vouch_certificate_get_status (self->certificate));
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, vouch_certificate_entry_get_status_label (self));
      break;
    case PROP_EXPIRY_CLASS:
      g_value_set_enum (value, self->expiry_class);
      break;
    case PROP_EXPIRY_TEXT:
      g_value_set_string (value, self->expiry_text);
      break;
    case PROP_DAYS_LEFT:
      g_value_set_int (value, self->days_left);
      break;
    case PROP_REVOKED_AT:
      g_value_set_int64 (value, self->revoked_at);
      break;
    case PROP_REVOCATION_REASON:
      g_value_set_enum (value, self->reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_certificate_entry_class_init (VouchCertificateEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vouch_certificate_entry_dispose;
  object_class->finalize = vouch_certificate_entry_finalize;
  object_class->get_property = vouch_certificate_entry_get_property;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, VOUCH_TYPE_CERTIFICATE, flags);
  properties[PROP_DEVICE_NAME] = g_param_spec_string ("device-name", NULL, NULL, NULL, flags);
  properties[PROP_NAMES_TEXT] = g_param_spec_string ("names-text", NULL, NULL, NULL, flags);
  properties[PROP_SERIAL] = g_param_spec_string ("serial", NULL, NULL, NULL, flags);
  properties[PROP_NOT_AFTER] =
    g_param_spec_int64 ("not-after", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, VOUCH_TYPE_CERTIFICATE_STATUS,
                       VOUCH_CERTIFICATE_STATUS_ISSUED, flags);
  properties[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, flags);
  properties[PROP_EXPIRY_CLASS] =
    g_param_spec_enum ("expiry-class", NULL, NULL, VOUCH_TYPE_EXPIRY_CLASS, VOUCH_EXPIRY_VALID,
                       flags);
  properties[PROP_EXPIRY_TEXT] = g_param_spec_string ("expiry-text", NULL, NULL, NULL, flags);
  properties[PROP_DAYS_LEFT] =
    g_param_spec_int ("days-left", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_REVOKED_AT] =
    g_param_spec_int64 ("revoked-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_REVOCATION_REASON] =
    g_param_spec_enum ("revocation-reason", NULL, NULL, VOUCH_TYPE_REVOCATION_REASON,
                       VOUCH_REVOCATION_UNSPECIFIED, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_certificate_entry_init (VouchCertificateEntry *self)
{
}

/**
 * vouch_certificate_entry_new:
 * @device_name: (nullable): the device's name, if the inventory knows it
 * @revoked_at: when it was revoked, or 0
 * @now: the time to classify its expiry at, usually vouch_clock_now()
 */
VouchCertificateEntry *
vouch_certificate_entry_new (VouchCertificate      *certificate,
                             const char            *device_name,
                             gint64                 revoked_at,
                             VouchRevocationReason  reason,
                             gint64                 now)
{
  VouchCertificateEntry *self;
  gint64 not_after;

  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (certificate), NULL);

  self = g_object_new (VOUCH_TYPE_CERTIFICATE_ENTRY, NULL);
  self->certificate = g_object_ref (certificate);
  self->device_name = g_strdup (device_name);
  self->names_text = g_strjoinv (", ", (char **)vouch_certificate_get_names (certificate));
  self->revoked_at = revoked_at;
  self->reason = reason;

  not_after = vouch_certificate_get_not_after (certificate);
  self->expiry_class = vouch_expiry_classify (not_after, now);
  self->days_left = vouch_expiry_days_left (not_after, now);
  self->expiry_text = vouch_expiry_describe (not_after, now);
  return self;
}

VouchCertificate *
vouch_certificate_entry_get_certificate (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), NULL);
  return self->certificate;
}

const char *
vouch_certificate_entry_get_device_name (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), NULL);
  return self->device_name;
}

const char *
vouch_certificate_entry_get_names_text (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), NULL);
  return self->names_text;
}

gint64
vouch_certificate_entry_get_revoked_at (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), 0);
  return self->revoked_at;
}

VouchRevocationReason
vouch_certificate_entry_get_revocation_reason (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), VOUCH_REVOCATION_UNSPECIFIED);
  return self->reason;
}

VouchExpiryClass
vouch_certificate_entry_get_expiry_class (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), VOUCH_EXPIRY_VALID);
  return self->expiry_class;
}

int
vouch_certificate_entry_get_days_left (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), 0);
  return self->days_left;
}

const char *
vouch_certificate_entry_get_expiry_text (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), NULL);
  return self->expiry_text;
}

/**
 * vouch_certificate_entry_set_replaced:
 *
 * Marks a certificate signed by hand that a newer one, signed by hand for
 * the same names, replaced: the inventory works that out, since nothing
 * but the person who installs it tells Vouch which one a device serves.
 */
void
vouch_certificate_entry_set_replaced (VouchCertificateEntry *self,
                                      gboolean               replaced)
{
  g_return_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self));
  self->replaced = !!replaced;
}

/**
 * vouch_certificate_entry_get_signed_by_hand:
 *
 * Returns: %TRUE for a certificate signed from a CSR by hand, for no
 *   device Vouch knows: only a new CSR, signed by hand, renews it
 */
gboolean
vouch_certificate_entry_get_signed_by_hand (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), FALSE);
  return vouch_certificate_get_device_id (self->certificate) == NULL;
}

/**
 * vouch_certificate_entry_get_status_label:
 *
 * Returns: “Active”, “Superseded”, “Revoked”, “Not delivered” (an issued
 *   certificate its device never confirmed), “Signed by hand” or
 *   “Replaced” (signed by hand, then signed again for the same names)
 */
const char *
vouch_certificate_entry_get_status_label (VouchCertificateEntry *self)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), NULL);

  switch (vouch_certificate_get_status (self->certificate))
    {
    case VOUCH_CERTIFICATE_STATUS_ACTIVE:
      return _("Active");
    case VOUCH_CERTIFICATE_STATUS_SUPERSEDED:
      return _("Superseded");
    case VOUCH_CERTIFICATE_STATUS_REVOKED:
      return _("Revoked");
    case VOUCH_CERTIFICATE_STATUS_ISSUED:
    default:
      if (!vouch_certificate_entry_get_signed_by_hand (self))
        return _("Not delivered");
      /* Translators: a certificate's status; it was signed by hand again. */
      return self->replaced ? _("Replaced") : _("Signed by hand");
    }
}

/**
 * vouch_certificate_entry_get_in_use:
 *
 * Returns: %TRUE for a certificate whose expiry matters: active, issued
 *   and waiting to be delivered, or signed by hand and not replaced
 */
gboolean
vouch_certificate_entry_get_in_use (VouchCertificateEntry *self)
{
  VouchCertificateStatus status;

  g_return_val_if_fail (VOUCH_IS_CERTIFICATE_ENTRY (self), FALSE);

  status = vouch_certificate_get_status (self->certificate);
  return !self->replaced &&
         (status == VOUCH_CERTIFICATE_STATUS_ACTIVE || status == VOUCH_CERTIFICATE_STATUS_ISSUED);
}
