/* vouch-device-driver.c: the state every driver shares (address, pin,
 * credentials, deadline), the table of drivers, and the checks onboarding
 * makes against a driver's capabilities before it asks the device anything
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-device-driver"

#include "vouch-config.h"

#include "vouch-device-driver.h"
#include "vouch-device-driver-private.h"

#include "vouch-api-driver.h"
#include "vouch-axis-driver.h"
#include "vouch-error.h"
#include "vouch-manual-driver.h"
#include "vouch-names.h"
#include "vouch-redfish-driver.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>

#define DEFAULT_TIMEOUT 20

typedef struct
{
  char  *base_url;
  char  *api_path;
  char  *pin;
  char  *user;
  char  *secret;
  guint  timeout;
  guint  settle_tries;
  guint  settle_interval_ms;

  VouchDeviceClient *client;
} VouchDeviceDriverPrivate;

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_PATH,
  PROP_PIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (VouchDeviceDriver, vouch_device_driver, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (VouchDeviceIdentity, vouch_device_identity,
                     vouch_device_identity_copy, vouch_device_identity_free)

VouchDeviceIdentity *
vouch_device_identity_copy (const VouchDeviceIdentity *identity)
{
  VouchDeviceIdentity *copy = g_new0 (VouchDeviceIdentity, 1);

  copy->certificate = identity->certificate != NULL ? g_object_ref (identity->certificate) : NULL;
  copy->spki_sha256 = g_strdup (identity->spki_sha256);
  copy->device_id = g_strdup (identity->device_id);
  copy->model = g_strdup (identity->model);
  return copy;
}

void
vouch_device_identity_free (VouchDeviceIdentity *identity)
{
  if (identity == NULL)
    return;

  g_clear_object (&identity->certificate);
  g_free (identity->spki_sha256);
  g_free (identity->device_id);
  g_free (identity->model);
  g_free (identity);
}

static void
wipe_secret (char **secret)
{
  if (*secret != NULL)
    gnutls_memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
vouch_device_driver_dispose (GObject *object)
{
  VouchDeviceDriver *self = (VouchDeviceDriver *)object;
  VouchDeviceDriverPrivate *priv = vouch_device_driver_get_instance_private (self);

  g_clear_object (&priv->client);

  G_OBJECT_CLASS (vouch_device_driver_parent_class)->dispose (object);
}

static void
vouch_device_driver_finalize (GObject *object)
{
  VouchDeviceDriver *self = (VouchDeviceDriver *)object;
  VouchDeviceDriverPrivate *priv = vouch_device_driver_get_instance_private (self);

  g_clear_pointer (&priv->base_url, g_free);
  g_clear_pointer (&priv->api_path, g_free);
  g_clear_pointer (&priv->pin, g_free);
  g_clear_pointer (&priv->user, g_free);
  wipe_secret (&priv->secret);

  G_OBJECT_CLASS (vouch_device_driver_parent_class)->finalize (object);
}

static void
vouch_device_driver_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  VouchDeviceDriver *self = VOUCH_DEVICE_DRIVER (object);
  VouchDeviceDriverPrivate *priv = vouch_device_driver_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, priv->base_url);
      break;

    case PROP_API_PATH:
      g_value_set_string (value, priv->api_path);
      break;

    case PROP_PIN:
      g_value_set_string (value, priv->pin);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_device_driver_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  VouchDeviceDriver *self = VOUCH_DEVICE_DRIVER (object);
  VouchDeviceDriverPrivate *priv = vouch_device_driver_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      priv->base_url = g_value_dup_string (value);
      break;

    case PROP_API_PATH:
      priv->api_path = g_value_dup_string (value);
      break;

    case PROP_PIN:
      vouch_device_driver_set_pin (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_device_driver_class_init (VouchDeviceDriverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_device_driver_dispose;
  object_class->finalize = vouch_device_driver_finalize;
  object_class->get_property = vouch_device_driver_get_property;
  object_class->set_property = vouch_device_driver_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_API_PATH] =
    g_param_spec_string ("api-path", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PIN] =
    g_param_spec_string ("pin", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_device_driver_init (VouchDeviceDriver *self)
{
  VouchDeviceDriverPrivate *priv = vouch_device_driver_get_instance_private (self);

  priv->timeout = DEFAULT_TIMEOUT;
}

static GType
type_for_id (const char *id)
{
  /* The one table of drivers: add a new one here and in
   * vouch_device_driver_list_ids(). */
  if (g_strcmp0 (id, "vouch") == 0)
    return VOUCH_TYPE_API_DRIVER;
  if (g_strcmp0 (id, "redfish") == 0)
    return VOUCH_TYPE_REDFISH_DRIVER;
  if (g_strcmp0 (id, "axis") == 0)
    return VOUCH_TYPE_AXIS_DRIVER;
  if (g_strcmp0 (id, "manual") == 0)
    return VOUCH_TYPE_MANUAL_DRIVER;
  return G_TYPE_INVALID;
}

/**
 * vouch_device_driver_list_ids:
 *
 * Returns: (transfer none): the ids of every driver, "vouch" first
 */
const char * const *
vouch_device_driver_list_ids (void)
{
  static const char * const ids[] = { "vouch", "redfish", "axis", "manual", NULL };

  return ids;
}

/**
 * vouch_device_driver_lookup_info:
 *
 * Returns: (nullable): what the driver @id can do, or %NULL for an
 *   unknown id
 */
const VouchDriverInfo *
vouch_device_driver_lookup_info (const char *id)
{
  GType type = type_for_id (id);
  g_autoptr(GTypeClass) klass = NULL;

  if (type == G_TYPE_INVALID)
    return NULL;

  /* Classes are never unloaded: the info stays valid. */
  klass = g_type_class_ref (type);
  return VOUCH_DEVICE_DRIVER_CLASS (klass)->info;
}

/**
 * vouch_device_driver_new:
 * @id: a driver id from vouch_device_driver_list_ids()
 * @base_url: `https://ADDRESS:PORT`, as vouch_device_dup_base_url() says
 * @api_path: (nullable): where its API starts, if it says (the Vouch
 *   API's `path` TXT key)
 */
VouchDeviceDriver *
vouch_device_driver_new (const char  *id,
                         const char  *base_url,
                         const char  *api_path,
                         GError     **error)
{
  GType type = type_for_id (id);

  if (type == G_TYPE_INVALID)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("“%s” is not a device driver Vouch knows; use vouch, redfish, axis or "
                     "manual"), id != NULL ? id : "");
      return NULL;
    }

  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (type, "base-url", base_url, "api-path", api_path, NULL);
}

const VouchDriverInfo *
vouch_device_driver_get_info (VouchDeviceDriver *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);
  return VOUCH_DEVICE_DRIVER_GET_CLASS (self)->info;
}

const char *
vouch_device_driver_get_id (VouchDeviceDriver *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);
  return VOUCH_DEVICE_DRIVER_GET_CLASS (self)->info->id;
}

#define PRIV(self) ((VouchDeviceDriverPrivate *)vouch_device_driver_get_instance_private (self))

const char *
vouch_device_driver_get_base_url (VouchDeviceDriver *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);
  return PRIV (self)->base_url;
}

const char *
vouch_device_driver_get_api_path (VouchDeviceDriver *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);
  return PRIV (self)->api_path;
}

const char *
vouch_device_driver_get_pin (VouchDeviceDriver *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);
  return PRIV (self)->pin;
}

/**
 * vouch_device_driver_set_pin:
 * @spki_sha256: (nullable): the SHA-256 of the only key to accept,
 *   lowercase hex; %NULL for a first contact that only records the key
 */
void
vouch_device_driver_set_pin (VouchDeviceDriver *self,
                             const char        *spki_sha256)
{
  g_return_if_fail (VOUCH_IS_DEVICE_DRIVER (self));

  if (vouch_set_str (&PRIV (self)->pin, spki_sha256))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN]);
}

const char *
vouch_device_driver_get_user (VouchDeviceDriver *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);
  return PRIV (self)->user;
}

const char *
vouch_device_driver_get_secret (VouchDeviceDriver *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);
  return PRIV (self)->secret;
}

/**
 * vouch_device_driver_set_credentials:
 * @user: (nullable): the user name, for drivers that need one
 * @secret: (nullable): the password or token; wiped when replaced
 */
void
vouch_device_driver_set_credentials (VouchDeviceDriver *self,
                                     const char        *user,
                                     const char        *secret)
{
  VouchDeviceDriverPrivate *priv;

  g_return_if_fail (VOUCH_IS_DEVICE_DRIVER (self));

  priv = PRIV (self);
  vouch_set_str (&priv->user, user);
  wipe_secret (&priv->secret);
  priv->secret = g_strdup (secret);
}

/**
 * vouch_device_driver_get_peer_spki:
 *
 * Returns: (nullable): the SHA-256 of the key the device presented in the
 *   last handshake, pinned or not
 */
const char *
vouch_device_driver_get_peer_spki (VouchDeviceDriver *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);
  return PRIV (self)->client != NULL ? vouch_device_client_get_peer_spki (PRIV (self)->client)
                                     : NULL;
}

guint
vouch_device_driver_get_timeout (VouchDeviceDriver *self)
{
  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), DEFAULT_TIMEOUT);
  return PRIV (self)->timeout;
}

void
vouch_device_driver_set_timeout (VouchDeviceDriver *self,
                                 guint              seconds)
{
  g_return_if_fail (VOUCH_IS_DEVICE_DRIVER (self));
  PRIV (self)->timeout = MAX (seconds, 1);
}

/**
 * vouch_device_driver_get_settling:
 * @tries: (out): how many more times confirmation may look again
 * @interval_ms: (out): how long to wait before each
 *
 * After an install that returned before the device served the new
 * certificate (a BMC that swaps it in a moment later), confirmation may
 * see the old key, or no answer, a few times; 0 tries for drivers that
 * wait themselves or install synchronously.
 */
void
vouch_device_driver_get_settling (VouchDeviceDriver *self,
                                  guint             *tries,
                                  guint             *interval_ms)
{
  g_return_if_fail (VOUCH_IS_DEVICE_DRIVER (self));
  *tries = PRIV (self)->settle_tries;
  *interval_ms = PRIV (self)->settle_interval_ms;
}

void
_vouch_device_driver_set_settling (VouchDeviceDriver *self,
                                   guint              tries,
                                   guint              interval_ms)
{
  PRIV (self)->settle_tries = tries;
  PRIV (self)->settle_interval_ms = interval_ms;
}

/**
 * vouch_device_driver_accepts_key_type:
 * @key_type: (nullable): a vouch_key_type_to_string() name; %NULL is the
 *   driver's default and always accepted
 */
gboolean
vouch_device_driver_accepts_key_type (VouchDeviceDriver *self,
                                      const char        *key_type)
{
  const VouchDriverInfo *info;

  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), FALSE);

  info = vouch_device_driver_get_info (self);
  return key_type == NULL || info->key_types == NULL ||
         g_strv_contains ((const char * const *)info->key_types, key_type);
}

/**
 * vouch_device_driver_accepts_names:
 *
 * Checks that the device can put every one of @names into its CSR, so
 * the operator hears it before the device is asked.
 */
gboolean
vouch_device_driver_accepts_names (VouchDeviceDriver   *self,
                                   const char * const  *names,
                                   GError             **error)
{
  const VouchDriverInfo *info;

  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), FALSE);

  info = vouch_device_driver_get_info (self);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      gboolean address = vouch_names_is_address (names[i]);

      if (address && (info->name_kinds & VOUCH_DRIVER_NAMES_IP) == 0)
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                       _("%s devices cannot put an IP address (%s) in their certificate; use "
                         "a host name"), _(info->title), names[i]);
          return FALSE;
        }
      if (!address && (info->name_kinds & VOUCH_DRIVER_NAMES_DNS) == 0)
        {
          g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                       _("%s devices cannot put a host name (%s) in their certificate; use "
                         "an IP address"), _(info->title), names[i]);
          return FALSE;
        }
    }

  return TRUE;
}

void
vouch_device_driver_identify_async (VouchDeviceDriver   *self,
                                    gboolean             new_connection,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_DEVICE_DRIVER (self));

  VOUCH_DEVICE_DRIVER_GET_CLASS (self)->identify_async (self, new_connection, cancellable,
                                                        callback, user_data);
}

/**
 * vouch_device_driver_identify_finish:
 *
 * Returns: (transfer full): who the device is; free with
 *   vouch_device_identity_free()
 */
VouchDeviceIdentity *
vouch_device_driver_identify_finish (VouchDeviceDriver  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  VouchDeviceDriverClass *klass;

  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);

  /* A driver that returns its result from a GTask needs no finisher. */
  klass = VOUCH_DEVICE_DRIVER_GET_CLASS (self);
  if (klass->identify_finish == NULL)
    {
      g_return_val_if_fail (g_task_is_valid (result, self), NULL);
      return g_task_propagate_pointer (G_TASK (result), error);
    }
  return klass->identify_finish (self, result, error);
}

void
vouch_device_driver_request_csr_async (VouchDeviceDriver     *self,
                                       const VouchCsrRequest *request,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_return_if_fail (VOUCH_IS_DEVICE_DRIVER (self));
  g_return_if_fail (request != NULL);

  VOUCH_DEVICE_DRIVER_GET_CLASS (self)->request_csr_async (self, request, cancellable, callback,
                                                           user_data);
}

/**
 * vouch_device_driver_request_csr_finish:
 *
 * Returns: (transfer full): the CSR in PEM
 */
char *
vouch_device_driver_request_csr_finish (VouchDeviceDriver  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  VouchDeviceDriverClass *klass;

  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), NULL);

  klass = VOUCH_DEVICE_DRIVER_GET_CLASS (self);
  if (klass->request_csr_finish == NULL)
    {
      g_return_val_if_fail (g_task_is_valid (result, self), NULL);
      return g_task_propagate_pointer (G_TASK (result), error);
    }
  return klass->request_csr_finish (self, result, error);
}

void
vouch_device_driver_install_chain_async (VouchDeviceDriver   *self,
                                         const char          *chain_pem,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (VOUCH_IS_DEVICE_DRIVER (self));
  g_return_if_fail (chain_pem != NULL);

  VOUCH_DEVICE_DRIVER_GET_CLASS (self)->install_chain_async (self, chain_pem, cancellable,
                                                             callback, user_data);
}

gboolean
vouch_device_driver_install_chain_finish (VouchDeviceDriver  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  VouchDeviceDriverClass *klass;

  g_return_val_if_fail (VOUCH_IS_DEVICE_DRIVER (self), FALSE);

  klass = VOUCH_DEVICE_DRIVER_GET_CLASS (self);
  if (klass->install_chain_finish == NULL)
    {
      g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
      return g_task_propagate_boolean (G_TASK (result), error);
    }
  return klass->install_chain_finish (self, result, error);
}

/* One client per driver, so its connection is kept between calls; it
 * always carries the driver's current pin, deadline and credentials. */
VouchDeviceClient *
_vouch_device_driver_get_client (VouchDeviceDriver *self)
{
  VouchDeviceDriverPrivate *priv = PRIV (self);

  if (priv->client == NULL)
    {
      g_autofree char *url = g_strconcat (priv->base_url, priv->api_path, NULL);

      priv->client = vouch_device_client_new (url);
    }

  vouch_device_client_set_pin (priv->client, priv->pin);
  vouch_device_client_set_timeout (priv->client, priv->timeout);
  if (VOUCH_DEVICE_DRIVER_GET_CLASS (self)->info->credentials == VOUCH_DRIVER_CREDENTIALS_SECRET)
    vouch_device_client_set_admin_secret (priv->client, priv->secret);
  else
    vouch_device_client_set_credentials (priv->client, priv->user, priv->secret);
  return priv->client;
}

/* Who the device is, from the last handshake of the driver's client. */
VouchDeviceIdentity *
_vouch_device_driver_identity (VouchDeviceDriver  *self,
                               const char         *device_id,
                               const char         *model,
                               GError            **error)
{
  VouchDeviceClient *client = _vouch_device_driver_get_client (self);
  GTlsCertificate *served = vouch_device_client_get_peer_certificate (client);
  const char *spki = vouch_device_client_get_peer_spki (client);
  VouchDeviceIdentity *identity;

  if (served == NULL || spki == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The device's TLS key could not be read"));
      return NULL;
    }

  identity = g_new0 (VouchDeviceIdentity, 1);
  identity->certificate = g_object_ref (served);
  identity->spki_sha256 = g_strdup (spki);
  identity->device_id = device_id != NULL ? vouch_text_sanitize (device_id, -1, 128) : NULL;
  identity->model = model != NULL ? vouch_text_sanitize (model, -1, 128) : NULL;
  return identity;
}

/* What an HTTP status means to the operator, the same for every API. */
gboolean
_vouch_device_driver_check_status (VouchDeviceDriver    *self,
                                   VouchDeviceResponse  *response,
                                   const char           *doing,
                                   GError              **error)
{
  const char *retry_after;

  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return TRUE;

  switch (response->status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED,
                   _("The device refused the user name and password (or token) Vouch has "
                     "for it while %s; enter them again"), doing);
      return FALSE;

    case SOUP_STATUS_FORBIDDEN:
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED,
                   _("The device's user may not manage certificates (refused while %s); "
                     "use an administrator account"), doing);
      return FALSE;

    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
    case SOUP_STATUS_NOT_IMPLEMENTED:
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                   _("The device does not offer what Vouch needs for %s (HTTP %u); its "
                     "firmware may be too old for this driver"), doing, response->status);
      return FALSE;

    case SOUP_STATUS_SERVICE_UNAVAILABLE:
    case 429: /* Too Many Requests */
      retry_after = soup_message_headers_get_one (response->headers, "Retry-After");
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_BUSY,
                   _("The device is busy (%s) and asks to try again%s%s seconds later"), doing,
                   retry_after != NULL ? " " : "",
                   retry_after != NULL && strlen (retry_after) < 12 &&
                   g_ascii_isdigit (retry_after[0]) ? retry_after : "");
      return FALSE;

    default:
      if (response->status >= 500)
        g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED,
                     _("The device failed while %s (HTTP %u)"), doing, response->status);
      else
        g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_REFUSED,
                     _("The device refused %s (HTTP %u)"), doing, response->status);
      return FALSE;
    }
}

/* "Basic base64(user:password)", wiped by the caller. */
char *
_vouch_device_driver_basic_auth (VouchDeviceDriver *self)
{
  VouchDeviceDriverPrivate *priv = PRIV (self);
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;
  char *value;

  if (priv->user == NULL || priv->secret == NULL)
    return NULL;

  pair = g_strconcat (priv->user, ":", priv->secret, NULL);
  encoded = g_base64_encode ((const guchar *)pair, strlen (pair));
  value = g_strconcat ("Basic ", encoded, NULL);
  gnutls_memset (pair, 0, strlen (pair));
  gnutls_memset (encoded, 0, strlen (encoded));
  return value;
}

/* The SHA-256 of the key of the first certificate in @chain_pem: what a
 * device must serve once it installed the chain. */
char *
_vouch_device_driver_leaf_key_sha256 (const char *chain_pem)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  gnutls_datum_t datum = { (unsigned char *)chain_pem, strlen (chain_pem) };

  if (gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM) < 0 ||
      gnutls_pubkey_init (&pubkey) < 0 || gnutls_pubkey_import_x509 (pubkey, crt, 0) < 0)
    return NULL;

  return vouch_pubkey_spki_sha256_hex (pubkey, NULL);
}

/* Adds what the device itself said about a refusal, already sanitized. */
void
_vouch_device_driver_add_detail (GError     *error,
                                 const char *detail)
{
  char *text;

  if (error == NULL || detail == NULL)
    return;

  text = g_strdup_printf ("%s (%s)", error->message, detail);
  g_free (error->message);
  error->message = text;
}

/**
 * _vouch_driver_json_string:
 * @object: (nullable): an object from a device's answer
 *
 * json-glib's own getter warns when the member is an object or an array,
 * which a device decides; this one says only what a driver needs.
 *
 * Returns: (transfer none) (nullable): the member's string, or %NULL when
 *   there is no such member or it is not a string
 */
const char *
_vouch_driver_json_string (JsonObject *object,
                           const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
