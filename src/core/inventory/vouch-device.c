/* vouch-device.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-device"

#include "vouch-config.h"

#include "vouch-device.h"

#include "vouch-text.h"
#include "vouch-util.h"

/* A device is a live object: discovery updates what the network says
 * (name, addresses, TXT, online), onboarding and the inventory update what
 * Vouch knows (the verified key pin, the step, why it needs attention).
 * Everything is a notifying property so list views follow along. */
struct _VouchDevice
{
  GObject              parent_instance;

  char                *id;
  char                *name;
  char                *model;
  VouchDeviceCategory  category;
  char                *suggested_driver;
  char                *host;
  char               **addresses;
  char               **txt;
  char                *pin;
  char                *attention;
  char                *driver;
  char                *user;
  gboolean             secret_refused;
  VouchDeviceKind      kind;
  VouchVerification    verification;
  VouchOnboardingStep  step;
  gint64               expiry;
  guint16              port;
  guint                online : 1;
  guint                manual : 1;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_MODEL,
  PROP_CATEGORY,
  PROP_SUGGESTED_DRIVER,
  PROP_HOST,
  PROP_PORT,
  PROP_ADDRESSES,
  PROP_TXT,
  PROP_STATE,
  PROP_ONLINE,
  PROP_MANUAL,
  PROP_PIN,
  PROP_VERIFICATION,
  PROP_STEP,
  PROP_ATTENTION,
  PROP_CERTIFICATE_EXPIRY,
  PROP_SECRET_REFUSED,
  PROP_DRIVER,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchDevice, vouch_device, G_TYPE_OBJECT)

static void
vouch_device_finalize (GObject *object)
{
  VouchDevice *self = (VouchDevice *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->suggested_driver, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->addresses, g_strfreev);
  g_clear_pointer (&self->txt, g_strfreev);
  g_clear_pointer (&self->pin, g_free);
  g_clear_pointer (&self->attention, g_free);
  g_clear_pointer (&self->driver, g_free);
  g_clear_pointer (&self->user, g_free);

  G_OBJECT_CLASS (vouch_device_parent_class)->finalize (object);
}

static void
vouch_device_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VouchDevice *self = VOUCH_DEVICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_CATEGORY:
      g_value_set_enum (value, self->category);
      break;

    case PROP_SUGGESTED_DRIVER:
      g_value_set_string (value, self->suggested_driver);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_ADDRESSES:
      g_value_set_boxed (value, self->addresses);
      break;
    case PROP_TXT:
      g_value_set_boxed (value, self->txt);
      break;
    case PROP_STATE:
      g_value_set_enum (value, vouch_device_get_state (self));
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_MANUAL:
      g_value_set_boolean (value, self->manual);
      break;
    case PROP_PIN:
      g_value_set_string (value, self->pin);
      break;
    case PROP_VERIFICATION:
      g_value_set_enum (value, self->verification);
      break;
    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;
    case PROP_ATTENTION:
      g_value_set_string (value, self->attention);
      break;
    case PROP_CERTIFICATE_EXPIRY:
      g_value_set_int64 (value, self->expiry);
      break;
    case PROP_SECRET_REFUSED:
      g_value_set_boolean (value, self->secret_refused);
      break;
    case PROP_DRIVER:
      g_value_set_string (value, vouch_device_get_driver (self));
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_device_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VouchDevice *self = VOUCH_DEVICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_NAME:
      vouch_device_set_name (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      vouch_device_set_model (self, g_value_get_string (value));
      break;
    case PROP_HOST:
      vouch_device_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      vouch_device_set_port (self, (guint16)g_value_get_uint (value));
      break;
    case PROP_ADDRESSES:
      vouch_device_set_addresses (self, g_value_get_boxed (value));
      break;
    case PROP_TXT:
      vouch_device_set_txt (self, g_value_get_boxed (value));
      break;
    case PROP_ONLINE:
      vouch_device_set_online (self, g_value_get_boolean (value));
      break;
    case PROP_MANUAL:
      vouch_device_set_manual (self, g_value_get_boolean (value));
      break;
    case PROP_PIN:
      vouch_device_set_pin (self, g_value_get_string (value));
      break;
    case PROP_VERIFICATION:
      vouch_device_set_verification (self, g_value_get_enum (value));
      break;
    case PROP_STEP:
      vouch_device_set_step (self, g_value_get_enum (value));
      break;
    case PROP_ATTENTION:
      vouch_device_set_attention (self, g_value_get_string (value));
      break;
    case PROP_CERTIFICATE_EXPIRY:
      vouch_device_set_certificate_expiry (self, g_value_get_int64 (value));
      break;
    case PROP_SECRET_REFUSED:
      vouch_device_set_secret_refused (self, g_value_get_boolean (value));
      break;
    case PROP_DRIVER:
      vouch_device_set_driver (self, g_value_get_string (value));
      break;
    case PROP_USER:
      vouch_device_set_user (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_device_class_init (VouchDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vouch_device_finalize;
  object_class->get_property = vouch_device_get_property;
  object_class->set_property = vouch_device_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, VOUCH_TYPE_DEVICE_KIND,
                                             VOUCH_DEVICE_KIND_VOUCH, construct);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, rw);
  properties[PROP_CATEGORY] = g_param_spec_enum ("category", NULL, NULL, VOUCH_TYPE_DEVICE_CATEGORY,
                                                 VOUCH_DEVICE_CATEGORY_UNKNOWN, ro);
  properties[PROP_SUGGESTED_DRIVER] = g_param_spec_string ("suggested-driver", NULL, NULL, NULL, ro);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, rw);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, rw);
  properties[PROP_ADDRESSES] = g_param_spec_boxed ("addresses", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_TXT] = g_param_spec_boxed ("txt", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, VOUCH_TYPE_DEVICE_STATE,
                                              VOUCH_DEVICE_STATE_UNKNOWN, ro);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, rw);
  properties[PROP_MANUAL] = g_param_spec_boolean ("manual", NULL, NULL, FALSE, rw);
  properties[PROP_PIN] = g_param_spec_string ("pin", NULL, NULL, NULL, rw);
  properties[PROP_VERIFICATION] = g_param_spec_enum ("verification", NULL, NULL,
                                                     VOUCH_TYPE_VERIFICATION,
                                                     VOUCH_VERIFICATION_NONE, rw);
  properties[PROP_STEP] = g_param_spec_enum ("step", NULL, NULL, VOUCH_TYPE_ONBOARDING_STEP,
                                             VOUCH_ONBOARDING_STEP_FOUND, rw);
  properties[PROP_ATTENTION] = g_param_spec_string ("attention", NULL, NULL, NULL, rw);
  properties[PROP_CERTIFICATE_EXPIRY] = g_param_spec_int64 ("certificate-expiry", NULL, NULL,
                                                            0, G_MAXINT64, 0, rw);
  properties[PROP_SECRET_REFUSED] = g_param_spec_boolean ("secret-refused", NULL, NULL, FALSE, rw);
  properties[PROP_DRIVER] = g_param_spec_string ("driver", NULL, NULL, "vouch", rw);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_device_init (VouchDevice *self)
{
}

/**
 * vouch_device_new:
 * @id: the device's stable id (its TXT `id`), or `HOST:PORT` for a device
 *   without the Vouch API
 */
VouchDevice *
vouch_device_new (const char      *id,
                  VouchDeviceKind  kind)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (VOUCH_TYPE_DEVICE, "id", id, "kind", kind, NULL);
}

static void
set_string (VouchDevice  *self,
            char        **field,
            const char   *value,
            guint         prop_id)
{
  if (vouch_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_strv (VouchDevice         *self,
          char              ***field,
          const char * const  *value,
          guint                prop_id)
{
  if (*field == NULL && value == NULL)
    return;
  if (*field != NULL && value != NULL && g_strv_equal ((const char * const *)*field, value))
    return;

  g_strfreev (*field);
  *field = g_strdupv ((char **)value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

const char *
vouch_device_get_id (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->id;
}

VouchDeviceKind
vouch_device_get_kind (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), VOUCH_DEVICE_KIND_VOUCH);
  return self->kind;
}

const char *
vouch_device_get_name (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->name != NULL ? self->name : self->id;
}

/**
 * vouch_device_set_name:
 * @name: (nullable): the name the device announces
 *
 * The device chose @name: what is kept is made safe to show
 * (vouch_text_sanitize()), whether it comes from the LAN or the inventory.
 */
void
vouch_device_set_name (VouchDevice *self,
                       const char  *name)
{
  g_autofree char *shown = vouch_text_sanitize (name, -1, VOUCH_TEXT_MAX_NAME);

  g_return_if_fail (VOUCH_IS_DEVICE (self));
  set_string (self, &self->name, shown, PROP_NAME);
}

VouchDeviceCategory
vouch_device_get_category (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), VOUCH_DEVICE_CATEGORY_UNKNOWN);
  return self->category;
}

/* The id of the driver discovery guesses fits ("redfish", "manual", …). */
const char *
vouch_device_get_suggested_driver (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->suggested_driver;
}

/**
 * vouch_device_set_guess:
 * @driver: (nullable): a driver id
 *
 * What discovery guesses from the services the device announces.
 */
void
vouch_device_set_guess (VouchDevice         *self,
                        VouchDeviceCategory  category,
                        const char          *driver)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));
  if (self->category != category)
    {
      self->category = category;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
    }
  set_string (self, &self->suggested_driver, driver, PROP_SUGGESTED_DRIVER);
}

const char *
vouch_device_get_model (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->model;
}

/**
 * vouch_device_set_model:
 * @model: (nullable): the model the device announces, made safe to show as
 *   its name is
 */
void
vouch_device_set_model (VouchDevice *self,
                        const char  *model)
{
  g_autofree char *shown = vouch_text_sanitize (model, -1, VOUCH_TEXT_MAX_NAME);

  g_return_if_fail (VOUCH_IS_DEVICE (self));
  set_string (self, &self->model, shown, PROP_MODEL);
}

const char *
vouch_device_get_host (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->host;
}

void
vouch_device_set_host (VouchDevice *self,
                       const char  *host)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));
  set_string (self, &self->host, host, PROP_HOST);
}

guint16
vouch_device_get_port (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), 0);
  return self->port;
}

void
vouch_device_set_port (VouchDevice *self,
                       guint16      port)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));

  if (self->port != port)
    {
      self->port = port;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
}

const char * const *
vouch_device_get_addresses (VouchDevice *self)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->addresses != NULL ? (const char * const *)self->addresses : empty;
}

void
vouch_device_set_addresses (VouchDevice        *self,
                            const char * const *addresses)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));
  set_strv (self, &self->addresses, addresses, PROP_ADDRESSES);
}

const char * const *
vouch_device_get_txt (VouchDevice *self)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->txt != NULL ? (const char * const *)self->txt : empty;
}

void
vouch_device_set_txt (VouchDevice        *self,
                      const char * const *txt)
{
  VouchDeviceState old_state;

  g_return_if_fail (VOUCH_IS_DEVICE (self));

  old_state = vouch_device_get_state (self);
  set_strv (self, &self->txt, txt, PROP_TXT);
  if (vouch_device_get_state (self) != old_state)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

VouchDeviceState
vouch_device_get_state (VouchDevice *self)
{
  const char *state;

  g_return_val_if_fail (VOUCH_IS_DEVICE (self), VOUCH_DEVICE_STATE_UNKNOWN);

  state = vouch_device_lookup_txt (self, "state");
  if (g_strcmp0 (state, "new") == 0)
    return VOUCH_DEVICE_STATE_NEW;
  if (g_strcmp0 (state, "enrolled") == 0)
    return VOUCH_DEVICE_STATE_ENROLLED;
  if (g_strcmp0 (state, "needs-renewal") == 0)
    return VOUCH_DEVICE_STATE_NEEDS_RENEWAL;
  return VOUCH_DEVICE_STATE_UNKNOWN;
}

gboolean
vouch_device_get_online (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), FALSE);
  return self->online;
}

void
vouch_device_set_online (VouchDevice *self,
                         gboolean     online)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));

  online = !!online;
  if (self->online != online)
    {
      self->online = online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
}

gboolean
vouch_device_get_manual (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), FALSE);
  return self->manual;
}

void
vouch_device_set_manual (VouchDevice *self,
                         gboolean     manual)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));

  manual = !!manual;
  if (self->manual != manual)
    {
      self->manual = manual;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANUAL]);
    }
}

/**
 * vouch_device_get_pin:
 *
 * Returns: (nullable): the SHA-256 of the public key Vouch has verified
 *   for this device (lowercase hex), or %NULL before verification
 */
const char *
vouch_device_get_pin (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->pin;
}

void
vouch_device_set_pin (VouchDevice *self,
                      const char  *spki_sha256)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));
  set_string (self, &self->pin, spki_sha256, PROP_PIN);
}

VouchVerification
vouch_device_get_verification (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), VOUCH_VERIFICATION_NONE);
  return self->verification;
}

void
vouch_device_set_verification (VouchDevice       *self,
                               VouchVerification  verification)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));

  if (self->verification != verification)
    {
      self->verification = verification;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFICATION]);
    }
}

VouchOnboardingStep
vouch_device_get_step (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), VOUCH_ONBOARDING_STEP_FOUND);
  return self->step;
}

void
vouch_device_set_step (VouchDevice         *self,
                       VouchOnboardingStep  step)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));

  if (self->step != step)
    {
      self->step = step;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }
}

/**
 * vouch_device_get_attention:
 *
 * Returns: (nullable): why the device needs the admin, such as a key that
 *   changed after verification
 */
const char *
vouch_device_get_attention (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->attention;
}

void
vouch_device_set_attention (VouchDevice *self,
                            const char  *reason)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));
  set_string (self, &self->attention, reason, PROP_ATTENTION);
}

/**
 * vouch_device_get_driver:
 *
 * Returns: the id of the driver that speaks to the device ("vouch",
 *   "redfish", "axis", "manual"; see src/core/drivers): the one chosen,
 *   or for a device without the Vouch API the one discovery suggested
 */
const char *
vouch_device_get_driver (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);

  /* Chosen, else what discovery guessed for a device without the Vouch
   * API, else the Vouch API. */
  if (self->driver != NULL)
    return self->driver;
  if (self->kind != VOUCH_DEVICE_KIND_VOUCH && self->suggested_driver != NULL)
    return self->suggested_driver;
  return "vouch";
}

void
vouch_device_set_driver (VouchDevice *self,
                         const char  *driver)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));
  set_string (self, &self->driver, driver, PROP_DRIVER);
}

/**
 * vouch_device_get_user:
 *
 * Returns: (nullable): the user name Vouch logs in to the device with; its
 *   password or token is in the keyring
 */
const char *
vouch_device_get_user (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), NULL);
  return self->user;
}

void
vouch_device_set_user (VouchDevice *self,
                       const char  *user)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));
  set_string (self, &self->user, user, PROP_USER);
}

/**
 * vouch_device_get_secret_refused:
 *
 * Returns: whether the device refused the admin secret Vouch has for it
 *   (or Vouch has none), so the next attempt must ask for it first
 */
gboolean
vouch_device_get_secret_refused (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), FALSE);
  return self->secret_refused;
}

void
vouch_device_set_secret_refused (VouchDevice *self,
                                 gboolean     refused)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));

  refused = !!refused;
  if (self->secret_refused == refused)
    return;
  self->secret_refused = refused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRET_REFUSED]);
}

/**
 * vouch_device_get_certificate_expiry:
 *
 * Returns: when the certificate Vouch confirmed on the device expires
 *   (Unix time), or 0 when it has none
 */
gint64
vouch_device_get_certificate_expiry (VouchDevice *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE (self), 0);
  return self->expiry;
}

void
vouch_device_set_certificate_expiry (VouchDevice *self,
                                     gint64       expiry)
{
  g_return_if_fail (VOUCH_IS_DEVICE (self));

  if (self->expiry != expiry)
    {
      self->expiry = expiry;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE_EXPIRY]);
    }
}
