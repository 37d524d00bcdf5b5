/* vouch-onboarding.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-onboarding"

#include "vouch-config.h"

#include "vouch-onboarding-private.h"

#include "vouch-chain.h"
#include "vouch-device-client.h"
#include "vouch-error.h"
#include "vouch-manual-driver.h"
#include "vouch-names.h"
#include "vouch-setup-code.h"
#include "vouch-text.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>

#define NONCE_BYTES 32

enum {
  PROP_0,
  PROP_AUTHORITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchOnboarding, vouch_onboarding, G_TYPE_OBJECT)

void
_vouch_onboarding_job_free (VouchOnboardingJob *job)
{
  g_clear_object (&job->device);
  g_clear_object (&job->driver);
  g_clear_pointer (&job->setup_code, g_free);
  g_clear_pointer (&job->fingerprint, g_free);
  g_clear_pointer (&job->csr_pem, g_free);
  g_clear_pointer (&job->chain_path, g_free);
  g_clear_pointer (&job->chain_format, g_free);
  if (job->secret != NULL)
    vouch_key_store_free_secret (g_steal_pointer (&job->secret));
  g_clear_pointer (&job->nonce, g_free);
  g_clear_pointer (&job->add_names, g_strfreev);
  g_clear_pointer (&job->remove_names, g_strfreev);
  g_clear_pointer (&job->key_type, g_free);
  g_clear_object (&job->cert);
  g_clear_object (&job->retry);
  g_free (job);
}

static void
vouch_onboarding_dispose (GObject *object)
{
  VouchOnboarding *self = (VouchOnboarding *)object;

  g_clear_object (&self->authority);
  g_clear_pointer (&self->parked, g_hash_table_unref);

  G_OBJECT_CLASS (vouch_onboarding_parent_class)->dispose (object);
}

static void
vouch_onboarding_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VouchOnboarding *self = VOUCH_ONBOARDING (object);

  switch (prop_id)
    {
    case PROP_AUTHORITY:
      g_value_set_object (value, self->authority);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_onboarding_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VouchOnboarding *self = VOUCH_ONBOARDING (object);

  switch (prop_id)
    {
    case PROP_AUTHORITY:
      self->authority = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_onboarding_class_init (VouchOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_onboarding_dispose;
  object_class->get_property = vouch_onboarding_get_property;
  object_class->set_property = vouch_onboarding_set_property;

  properties[PROP_AUTHORITY] =
    g_param_spec_object ("authority", NULL, NULL, VOUCH_TYPE_AUTHORITY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_onboarding_init (VouchOnboarding *self)
{
  self->timeout = VOUCH_DEVICE_CLIENT_DEFAULT_TIMEOUT;
  self->parked = _vouch_onboarding_parked_new ();
}

/**
 * vouch_onboarding_new:
 * @authority: a loaded authority with a root
 */
VouchOnboarding *
vouch_onboarding_new (VouchAuthority *authority)
{
  g_return_val_if_fail (VOUCH_IS_AUTHORITY (authority), NULL);

  return g_object_new (VOUCH_TYPE_ONBOARDING, "authority", authority, NULL);
}

VouchAuthority *
vouch_onboarding_get_authority (VouchOnboarding *self)
{
  g_return_val_if_fail (VOUCH_IS_ONBOARDING (self), NULL);
  return self->authority;
}

void
vouch_onboarding_set_timeout (VouchOnboarding *self,
                              guint            seconds)
{
  g_return_if_fail (VOUCH_IS_ONBOARDING (self));
  self->timeout = MAX (seconds, 1);
}

static VouchInventory *
inventory (VouchOnboarding *self)
{
  return vouch_authority_get_inventory (self->authority);
}

static char *
audit_detail (VouchDevice *device,
              const char  *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, vouch_device_get_name (device));
  if (message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return json_to_string (node, FALSE);
}

void
_vouch_onboarding_audit (VouchOnboarding *self,
                         const char      *event,
                         VouchDevice     *device,
                         const char      *serial,
                         const char      *message)
{
  g_autofree char *detail = audit_detail (device, message);

  vouch_inventory_append_audit (inventory (self), event, vouch_device_get_id (device), serial,
                                detail, NULL);
}

/* Saves the step with the device and, with @event, the audit event that
 * reports it, in one transaction: both are on disk before the next step. */
void
_vouch_onboarding_reach_step (VouchOnboarding     *self,
                              VouchDevice         *device,
                              VouchOnboardingStep  step,
                              const char          *event,
                              const char          *serial,
                              const char          *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = event != NULL ? audit_detail (device, message) : NULL;

  vouch_device_set_step (device, step);
  if (!vouch_inventory_save_device_with_event (inventory (self), device, event, serial, detail,
                                               &error))
    g_warning ("Could not record device %s: %s", vouch_device_get_id (device), error->message);
}

/* The driver the device was added with (devices.driver), aimed at its
 * address and holding the pin; every step talks to the device through
 * it. */
VouchDeviceDriver *
_vouch_onboarding_driver_for (VouchOnboarding  *self,
                              VouchDevice      *device,
                              const char       *pin,
                              GError          **error)
{
  g_autofree char *base = vouch_device_dup_base_url (device);
  const char *id = vouch_device_get_driver (device);
  VouchDeviceDriver *driver;

  if (base == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE,
                   _("Vouch does not know an address for “%s”"), vouch_device_get_name (device));
      return NULL;
    }

  driver = _vouch_onboarding_take_parked (self, device, base, pin);
  if (driver != NULL)
    {
      vouch_device_driver_set_timeout (driver, self->timeout);
      return driver;
    }

  /* Only the Vouch API says where it starts, in its TXT record. */
  driver = vouch_device_driver_new (id, base,
                                    g_str_equal (id, "vouch") ? vouch_device_get_api_path (device)
                                                              : NULL,
                                    error);
  if (driver == NULL)
    return NULL;

  vouch_device_driver_set_pin (driver, pin);
  vouch_device_driver_set_timeout (driver, self->timeout);
  return driver;
}

/* Any failure after verification ends here: recorded, and a changed key
 * blocks the device until it is verified again. */
static void
fail (GTask  *task,
      GError *error)
{
  VouchOnboarding *self = g_task_get_source_object (task);
  VouchOnboardingJob *job = g_task_get_task_data (task);
  const char *serial = job->cert != NULL ? vouch_certificate_get_serial (job->cert) : NULL;

  if (g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_KEY_CHANGED))
    {
      vouch_device_set_verification (job->device, VOUCH_VERIFICATION_NONE);
      vouch_device_set_attention (job->device,
                                  _("Its key changed since it was verified: possibly a man in "
                                    "the middle. Verify it again"));
      _vouch_onboarding_reach_step (self, job->device, VOUCH_ONBOARDING_STEP_FOUND, "failed",
                                    serial, error->message);
    }
  else
    _vouch_onboarding_audit (self, "failed", job->device, serial, error->message);

  /* Remembered on the device, so the next attempt asks for the secret
   * before it sends the refused one again. */
  if (g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED))
    vouch_device_set_secret_refused (job->device, TRUE);

  g_task_return_error (task, error);
}

static void push (GTask *task);
static void confirm (GTask *task);

static gboolean
confirm_again_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  confirm (task);
  return G_SOURCE_REMOVE;
}

/* A driver whose device swaps the certificate in a moment after taking
 * it says so (vouch_device_driver_get_settling()); the old key, or no
 * answer, is then looked at again, bounded, each time over a new
 * connection and checked in full. */
static gboolean
confirm_later (GTask        *task,
               const GError *error)
{
  VouchOnboardingJob *job = g_task_get_task_data (task);
  guint tries, interval_ms;

  vouch_device_driver_get_settling (job->driver, &tries, &interval_ms);
  if (job->confirm_tries >= tries ||
      !(g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_KEY_CHANGED) ||
        g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_DEVICE_UNREACHABLE)))
    return FALSE;

  job->confirm_tries++;
  g_timeout_add (interval_ms, confirm_again_cb, g_object_ref (task));
  return TRUE;
}

static void
confirm_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchOnboarding *self = g_task_get_source_object (task);
  VouchOnboardingJob *job = g_task_get_task_data (task);
  g_autoptr(VouchDeviceIdentity) identity = NULL;
  g_autofree char *previous_pin = NULL;
  g_autofree char *previous_attention = NULL;
  VouchOnboardingStep previous_step;
  gint64 previous_expiry;
  GError *error = NULL;

  identity = vouch_device_driver_identify_finish (job->driver, result, &error);
  if (identity == NULL && confirm_later (task, error))
    {
      g_clear_error (&error);
      return;
    }
  if (identity == NULL)
    {
      /* Here a different key means the device still serves its old
       * certificate: it accepted the chain but did not put it to use. */
      if (g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_KEY_CHANGED) &&
          vouch_device_driver_get_info (job->driver)->by_hand)
        {
          g_clear_error (&error);
          error = g_error_new (VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED,
                               _("The device does not serve the new certificate yet: it still "
                                 "presents its old key. Install what Vouch saved through the "
                                 "device's own web page, have it use it for HTTPS, then confirm "
                                 "again"));
        }
      else if (g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_KEY_CHANGED))
        {
          g_clear_error (&error);
          error = g_error_new (VOUCH_ERROR, VOUCH_ERROR_CONFIRMATION_FAILED,
                               _("The device accepted the certificate but still serves its "
                                 "old one; it did not install it"));
        }
      else
        g_prefix_error (&error, _("The device did not come back with its new certificate: "));
      fail (task, error);
      return;
    }

  if (!vouch_chain_verify (vouch_authority_get_root (self->authority),
                           identity->certificate,
                           vouch_certificate_get_sha256 (job->cert),
                           vouch_certificate_get_names (job->cert), &error))
    {
      fail (task, error);
      return;
    }

  /* The device's new state is recorded in the transaction that confirms
   * the certificate; if that fails, the device is left as it was. */
  previous_pin = g_strdup (vouch_device_get_pin (job->device));
  previous_expiry = vouch_device_get_certificate_expiry (job->device);
  previous_attention = g_strdup (vouch_device_get_attention (job->device));
  previous_step = vouch_device_get_step (job->device);
  vouch_device_set_pin (job->device, vouch_certificate_get_key_sha256 (job->cert));
  vouch_device_set_certificate_expiry (job->device, vouch_certificate_get_not_after (job->cert));
  vouch_device_set_attention (job->device, NULL);
  vouch_device_set_step (job->device, VOUCH_ONBOARDING_STEP_CONFIRMED);
  if (!vouch_inventory_confirm_device (inventory (self), vouch_certificate_get_serial (job->cert),
                                       job->device, &error))
    {
      vouch_device_set_pin (job->device, previous_pin);
      vouch_device_set_certificate_expiry (job->device, previous_expiry);
      vouch_device_set_attention (job->device, previous_attention);
      vouch_device_set_step (job->device, previous_step);
      fail (task, error);
      return;
    }

  vouch_certificate_set_status (job->cert, VOUCH_CERTIFICATE_STATUS_ACTIVE);
  vouch_device_set_secret_refused (job->device, FALSE);
  g_task_return_pointer (task, g_object_ref (job->cert), g_object_unref);
}

/* A new connection must present exactly the issued key and a chain that
 * validates to the root for every name in the certificate. */
static void
confirm (GTask *task)
{
  VouchOnboardingJob *job = g_task_get_task_data (task);

  vouch_device_driver_set_pin (job->driver, vouch_certificate_get_key_sha256 (job->cert));
  vouch_device_driver_identify_async (job->driver, TRUE, g_task_get_cancellable (task),
                                      confirm_cb, g_object_ref (task));
}

static void
fresh_csr (GTask *task);

static void
install_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchOnboarding *self = g_task_get_source_object (task);
  VouchOnboardingJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vouch_device_driver_install_chain_finish (job->driver, result, &error))
    {
      /* The device already serves the undelivered certificate's key: it
       * installed the chain, but Vouch stopped (crashed, was killed) before
       * it could confirm. Confirming proves it holds that key and serves
       * the chain; a man in the middle could do neither. */
      if (job->retry != NULL && job->cert == job->retry &&
          g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_KEY_CHANGED) &&
          g_strcmp0 (vouch_device_driver_get_peer_spki (job->driver),
                     vouch_certificate_get_key_sha256 (job->retry)) == 0)
        {
          g_clear_error (&error);
          _vouch_onboarding_reach_step (self, job->device, VOUCH_ONBOARDING_STEP_INSTALLED, NULL,
                                        NULL, NULL);
          confirm (task);
          return;
        }
      if (job->retry != NULL && job->cert == job->retry)
        {
          /* The device no longer holds the key of the undelivered
           * certificate; it stays on record as undelivered, and a fresh
           * CSR replaces it. */
          _vouch_onboarding_audit (self, "retry-failed", job->device,
                                   vouch_certificate_get_serial (job->retry), error->message);
          g_clear_error (&error);
          g_clear_object (&job->cert);
          fresh_csr (task);
          return;
        }
      g_prefix_error (&error, _("Pushing the certificate failed: "));
      fail (task, error);
      return;
    }

  _vouch_onboarding_reach_step (self, job->device, VOUCH_ONBOARDING_STEP_INSTALLED, "pushed",
                                vouch_certificate_get_serial (job->cert), NULL);
  confirm (task);
}

static void
push (GTask *task)
{
  VouchOnboarding *self = g_task_get_source_object (task);
  VouchOnboardingJob *job = g_task_get_task_data (task);
  VouchCertificate *root = vouch_root_ca_get_certificate (vouch_authority_get_root (self->authority));
  g_autofree char *chain = g_strconcat (vouch_certificate_get_pem (job->cert),
                                        vouch_certificate_get_pem (root), NULL);

  vouch_device_driver_install_chain_async (job->driver, chain, g_task_get_cancellable (task),
                                           install_cb, g_object_ref (task));
}

static void
sign_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchOnboarding *self = g_task_get_source_object (task);
  VouchOnboardingJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->cert = vouch_authority_sign_finish (VOUCH_AUTHORITY (object), result, &error);
  if (job->cert == NULL)
    {
      fail (task, error);
      return;
    }

  _vouch_onboarding_reach_step (self, job->device, VOUCH_ONBOARDING_STEP_SIGNED, NULL, NULL, NULL);
  push (task);
}

static void
csr_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchOnboarding *self = g_task_get_source_object (task);
  VouchOnboardingJob *job = g_task_get_task_data (task);
  g_autofree char *csr = NULL;
  g_autoptr(GBytes) bytes = NULL;
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  GError *error = NULL;

  csr = vouch_device_driver_request_csr_finish (job->driver, result, &error);
  if (csr == NULL)
    {
      fail (task, error);
      return;
    }

  if (!_vouch_onboarding_check_csr_names (self, job, csr, &error))
    {
      fail (task, error);
      return;
    }

  /* Only an admin may ask for a CSR: the secret was accepted. */
  vouch_device_set_secret_refused (job->device, FALSE);
  _vouch_onboarding_reach_step (self, job->device, VOUCH_ONBOARDING_STEP_CSR_RECEIVED,
                                "csr-received", NULL, NULL);

  options.days = job->days;
  options.add_names = (const char * const *)job->add_names;
  options.remove_names = (const char * const *)job->remove_names;
  options.device_id = vouch_device_get_id (job->device);
  if (vouch_device_driver_get_info (job->driver)->csr_challenge)
    options.expected_challenge = job->nonce;
  if (job->reuse_key)
    options.expected_key_sha256 = vouch_device_get_pin (job->device);

  bytes = g_bytes_new_take (g_steal_pointer (&csr), strlen (csr));
  vouch_authority_sign_async (self->authority, bytes, &options, g_task_get_cancellable (task),
                              sign_cb, g_object_ref (task));
}

static void
fresh_csr (GTask *task)
{
  VouchOnboardingJob *job = g_task_get_task_data (task);
  VouchCsrRequest request = { 0 };
  guint8 raw[NONCE_BYTES];
  int ret;

  ret = gnutls_rnd (GNUTLS_RND_NONCE, raw, sizeof raw);
  if (ret < 0)
    {
      GError *error = NULL;

      vouch_set_gnutls_error (&error, VOUCH_ERROR_CRYPTO, ret, _("Could not draw a nonce"));
      fail (task, error);
      return;
    }

  g_free (job->nonce);
  job->nonce = g_base64_encode (raw, sizeof raw);
  request.names = (const char * const *)job->add_names;
  request.key_type = job->key_type;
  request.nonce = job->nonce;
  request.reuse_key = job->reuse_key;
  vouch_device_driver_request_csr_async (job->driver, &request, g_task_get_cancellable (task),
                                         csr_cb, g_object_ref (task));
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  VouchOnboarding *self = source_object;
  VouchOnboardingJob *job = task_data;
  g_autoptr(GListModel) undelivered = NULL;
  GError *error = NULL;
  guint n;

  /* The keyring may prompt to unlock, so this runs off the main loop. */
  job->secret = vouch_key_store_lookup_device_secret (vouch_authority_get_key_store (self->authority),
                                                      vouch_device_get_id (job->device),
                                                      cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  undelivered = vouch_inventory_list_undelivered (inventory (self), vouch_device_get_id (job->device),
                                                  &error);
  if (undelivered == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  n = g_list_model_get_n_items (undelivered);
  if (n > 0)
    job->retry = g_list_model_get_item (undelivered, n - 1);

  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VouchOnboarding *self = g_task_get_source_object (task);
  VouchOnboardingJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail (task, error);
      return;
    }

  switch (vouch_device_driver_get_info (job->driver)->credentials)
    {
    case VOUCH_DRIVER_CREDENTIALS_SECRET:
      if (job->secret == NULL)
        {
          fail (task, g_error_new (VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED,
                                   _("Vouch has no admin secret for “%s”; enter the device's "
                                     "password or pairing token first"),
                                   vouch_device_get_name (job->device)));
          return;
        }
      break;

    case VOUCH_DRIVER_CREDENTIALS_USER_PASSWORD:
      if (job->secret == NULL || vouch_device_get_user (job->device) == NULL)
        {
          fail (task, g_error_new (VOUCH_ERROR, VOUCH_ERROR_SECRET_REFUSED,
                                   _("Vouch has no user name and password for “%s”; enter the "
                                     "device's administrator account first"),
                                   vouch_device_get_name (job->device)));
          return;
        }
      break;

    case VOUCH_DRIVER_CREDENTIALS_NONE:
    default:
      break;
    }
  vouch_device_driver_set_credentials (job->driver, vouch_device_get_user (job->device),
                                       job->secret);

  if (!_vouch_onboarding_retry_fits (self, job))
    g_clear_object (&job->retry);
  if (job->retry != NULL)
    {
      _vouch_onboarding_audit (self, "retry", job->device,
                               vouch_certificate_get_serial (job->retry),
                               _("Pushing a certificate issued earlier but never confirmed"));
      job->cert = g_object_ref (job->retry);
      push (task);
      return;
    }

  fresh_csr (task);
}

/**
 * vouch_onboarding_dup_device_names:
 *
 * Returns: (transfer full): the names a device that does not say its own
 *   is certified for: its host name, then its other addresses
 */
char **
vouch_onboarding_dup_device_names (VouchDevice *device)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char * const *addresses = vouch_device_get_addresses (device);

  g_return_val_if_fail (VOUCH_IS_DEVICE (device), NULL);

  if (vouch_device_get_host (device) != NULL)
    g_strv_builder_add (names, vouch_device_get_host (device));
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    if (g_strcmp0 (addresses[i], vouch_device_get_host (device)) != 0)
      g_strv_builder_add (names, addresses[i]);
  return g_strv_builder_end (names);
}

/**
 * vouch_onboarding_onboard_async:
 * @device: a verified device
 * @options: (nullable): names to add or remove, validity, key choice
 *
 * Fetches a CSR with a fresh nonce, checks and signs it, pushes the chain
 * and confirms over a new connection that the device serves it.
 */
void
vouch_onboarding_onboard_async (VouchOnboarding           *self,
                                VouchDevice               *device,
                                const VouchOnboardOptions *options,
                                GCancellable              *cancellable,
                                GAsyncReadyCallback        callback,
                                gpointer                   user_data)
{
  static const VouchOnboardOptions defaults = VOUCH_ONBOARD_OPTIONS_INIT;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) prepare = NULL;
  GError *error = NULL;
  VouchOnboardingJob *job;

  g_return_if_fail (VOUCH_IS_ONBOARDING (self));
  g_return_if_fail (VOUCH_IS_DEVICE (device));

  if (options == NULL)
    options = &defaults;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_onboarding_onboard_async);
  job = g_new0 (VouchOnboardingJob, 1);
  job->device = g_object_ref (device);
  job->add_names = g_strdupv ((char **)options->add_names);
  /* Without the Vouch API a device does not say its names: unless told,
   * they are the name and addresses Vouch reaches it by. */
  if ((job->add_names == NULL || job->add_names[0] == NULL)
      && !g_str_equal (vouch_device_get_driver (device), "vouch"))
    {
      g_strfreev (g_steal_pointer (&job->add_names));
      job->add_names = vouch_onboarding_dup_device_names (device);
    }
  job->remove_names = g_strdupv ((char **)options->remove_names);
  job->key_type = g_strdup (options->key_type);
  job->csr_pem = g_strdup (options->csr_pem);
  job->chain_path = g_strdup (options->chain_path);
  job->chain_format = g_strdup (options->chain_format);
  job->days = options->days;
  job->reuse_key = options->reuse_key;
  g_task_set_task_data (task, job, (GDestroyNotify)_vouch_onboarding_job_free);

  if (vouch_authority_get_root (self->authority) == NULL)
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_NO_ROOT,
                               _("There is no root yet; create or import one first"));
      return;
    }

  if (vouch_device_get_kind (device) != VOUCH_DEVICE_KIND_VOUCH &&
      g_str_equal (vouch_device_get_driver (device), "vouch"))
    {
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_DEVICE_PROTOCOL,
                               _("“%s” does not offer the Vouch API; sign its CSR by hand"),
                               vouch_device_get_name (device));
      return;
    }

  if (vouch_device_get_pin (device) == NULL ||
      vouch_device_get_verification (device) == VOUCH_VERIFICATION_NONE)
    {
      const char *attention = vouch_device_get_attention (device);

      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_NOT_VERIFIED,
                               _("“%s” is not verified%s%s"), vouch_device_get_name (device),
                               attention != NULL ? ": " : _("; enter its setup code first"),
                               attention != NULL ? attention : "");
      return;
    }

  job->driver = _vouch_onboarding_driver_for (self, device, vouch_device_get_pin (device), &error);
  if (job->driver == NULL || !_vouch_onboarding_check_capabilities (job, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  prepare = g_task_new (self, cancellable, prepared_cb, g_steal_pointer (&task));
  g_task_set_task_data (prepare, job, NULL);
  g_task_run_in_thread (prepare, prepare_thread);
}

VouchCertificate *
vouch_onboarding_onboard_finish (VouchOnboarding  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
