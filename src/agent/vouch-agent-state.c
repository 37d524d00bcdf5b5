/* vouch-agent-state.c
 *
 * The device's identity, its current TLS key and chain, and the key
 * pending enrollment, persisted in a state directory:
 *
 *   device-id         16 hex digits, created at first start
 *   identity.pem      self-signed certificate + identity key (0600)
 *   tls.pem           installed chain + its key (0600), once enrolled
 *   pending-key.pem   key of the last CSR (0600), until a chain arrives
 *
 * Each file holds everything that must change together, and is replaced
 * with an atomic rename, so a crash never pairs a chain with a wrong key.
 * Making a CSR and installing a chain are in vouch-agent-state-enroll.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-agent-state-private.h"

#include "vouch-agent-crypto-private.h"
#include "vouch-error.h"
#include "vouch-setup-code.h"
#include "vouch-util.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#define FP_HINT_HEX_LEN 16

G_DEFINE_FINAL_TYPE (VouchAgentState, vouch_agent_state, G_TYPE_OBJECT)
G_DEFINE_QUARK (vouch-agent-error-quark, vouch_agent_error)

enum {
  PROP_0,
  PROP_HOST_NAME,
  PROP_LIFECYCLE,
  PROP_TLS_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vouch_agent_state_finalize (GObject *object)
{
  VouchAgentState *self = (VouchAgentState *)object;

  g_clear_pointer (&self->state_dir, g_free);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->host_name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->setup_code, g_free);
  g_clear_pointer (&self->current_chain_pem, g_free);
  g_clear_pointer (&self->current_key_pem, _vouch_agent_wipe_free);
  g_clear_pointer (&self->pending_key_pem, _vouch_agent_wipe_free);
  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (vouch_agent_state_parent_class)->finalize (object);
}

static void
vouch_agent_state_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VouchAgentState *self = VOUCH_AGENT_STATE (object);

  switch (prop_id)
    {
    case PROP_HOST_NAME:
      g_value_set_string (value, self->host_name);
      break;
    case PROP_LIFECYCLE:
      g_value_set_string (value, vouch_agent_state_get_lifecycle (self));
      break;
    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->tls_certificate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_agent_state_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VouchAgentState *self = VOUCH_AGENT_STATE (object);

  switch (prop_id)
    {
    case PROP_HOST_NAME:
      vouch_agent_state_set_host_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_agent_state_class_init (VouchAgentStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vouch_agent_state_finalize;
  object_class->get_property = vouch_agent_state_get_property;
  object_class->set_property = vouch_agent_state_set_property;

  properties[PROP_HOST_NAME] =
    g_param_spec_string ("host-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIFECYCLE] =
    g_param_spec_string ("lifecycle", NULL, NULL, "new",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL, G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_agent_state_init (VouchAgentState *self)
{
}

VouchAgentState *
vouch_agent_state_new (const char *state_dir,
                       const char *name,
                       const char *model,
                       const char *host_name,
                       const char *address)
{
  VouchAgentState *self;

  g_return_val_if_fail (state_dir != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (host_name != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (VOUCH_TYPE_AGENT_STATE, NULL);
  self->state_dir = g_strdup (state_dir);
  self->name = g_strdup (name);
  self->model = g_strdup (model != NULL ? model : "vouch-agent");
  self->host_name = g_strdup (host_name);
  self->address = g_strdup (address);

  return self;
}


/* Makes the certificate the server presents from a chain and its key. */
gboolean
_vouch_agent_state_set_current (VouchAgentState  *self,
                                const char       *chain_pem,
                                const char       *key_pem,
                                GError          **error)
{
  g_autofree char *both = g_strconcat (chain_pem, key_pem, NULL);
  g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_pem (both, -1, error);

  gnutls_memset (both, 0, strlen (both));
  if (cert == NULL)
    return FALSE;

  g_free (self->current_chain_pem);
  self->current_chain_pem = g_strdup (chain_pem);
  g_clear_pointer (&self->current_key_pem, _vouch_agent_wipe_free);
  self->current_key_pem = g_strdup (key_pem);
  if (g_set_object (&self->tls_certificate, cert))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_CERTIFICATE]);

  return TRUE;
}

/* The files hold a chain and a key; split them back apart. */
static gboolean
split_pem (const char  *contents,
           char       **out_chain,
           char       **out_key,
           GError     **error)
{
  const char *key = strstr (contents, "-----BEGIN PRIVATE KEY-----");

  if (key == NULL || strstr (contents, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("A state file lacks its certificate or its key."));
      return FALSE;
    }

  *out_chain = g_strndup (contents, key - contents);
  *out_key = g_strdup (key);
  return TRUE;
}

char *
_vouch_agent_state_path (VouchAgentState *self,
                         const char      *file)
{
  return g_build_filename (self->state_dir, file, NULL);
}

static gboolean
load_device_id (VouchAgentState  *self,
                GError          **error)
{
  g_autofree char *path = _vouch_agent_state_path (self, "device-id");
  g_autofree char *contents = NULL;
  guint8 raw[8];

  if (g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (strlen (contents) == 16)
        {
          self->device_id = g_steal_pointer (&contents);
          return TRUE;
        }
    }

  gnutls_rnd (GNUTLS_RND_NONCE, raw, sizeof raw);
  g_autofree char *hex = vouch_hex_encode (raw, sizeof raw, '\0');
  self->device_id = g_ascii_strdown (hex, -1);
  g_autofree char *line = g_strconcat (self->device_id, "\n", NULL);

  return vouch_write_file_atomic (path, line, strlen (line), 0644, error);
}

static gboolean
load_identity (VouchAgentState  *self,
               const char       *identity_cert_file,
               const char       *identity_key_file,
               GError          **error)
{
  g_autofree char *path = _vouch_agent_state_path (self, "identity.pem");
  g_autofree char *chain = NULL;
  g_autofree char *key = NULL;
  g_auto(gnutls_x509_crt_t) leaf = NULL;
  guint8 key_digest[VOUCH_SHA256_LEN];
  guint8 crt_digest[VOUCH_SHA256_LEN];

  if (identity_cert_file != NULL)
    {
      /* An IDevID: the manufacturer's certificate is the identity, and the
       * admin's trust in that manufacturer replaces the setup code. */
      g_autofree char *key_contents = NULL;
      g_auto(gnutls_x509_privkey_t) parsed = NULL;

      if (!g_file_get_contents (identity_cert_file, &chain, NULL, error)
          || !g_file_get_contents (identity_key_file, &key_contents, NULL, error))
        return FALSE;
      if (!(parsed = _vouch_agent_key_import_pem (key_contents, error)))
        return FALSE;
      gnutls_memset (key_contents, 0, strlen (key_contents));
      if (!(key = _vouch_agent_key_export_pem (parsed, error)))
        return FALSE;
      self->identity_is_idevid = TRUE;
    }
  else if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *contents = NULL;

      if (!g_file_get_contents (path, &contents, NULL, error))
        return FALSE;
      if (!split_pem (contents, &chain, &key, error))
        return FALSE;
      gnutls_memset (contents, 0, strlen (contents));
    }
  else
    {
      g_auto(gnutls_x509_privkey_t) fresh = NULL;
      const char *names[] = { self->host_name, self->address, NULL };

      if (!(fresh = _vouch_agent_key_generate (VOUCH_KEY_TYPE_DEFAULT, error))
          || !(key = _vouch_agent_key_export_pem (fresh, error))
          || !(chain = _vouch_agent_self_signed_pem (fresh, self->host_name, names, error)))
        return FALSE;

      g_autofree char *both = g_strconcat (chain, key, NULL);
      if (!vouch_write_file_atomic (path, both, strlen (both), 0600, error))
        return FALSE;
    }

  if (!(leaf = _vouch_agent_chain_import_leaf (chain)))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("The identity certificate cannot be read."));
      return FALSE;
    }

  if (!_vouch_agent_key_pem_spki_sha256 (key, key_digest, error) || !_vouch_agent_crt_spki_sha256 (leaf, crt_digest, error))
    return FALSE;

  if (memcmp (key_digest, crt_digest, sizeof key_digest) != 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISMATCH,
                   _("The identity key does not belong to the identity certificate."));
      return FALSE;
    }

  self->setup_code = vouch_setup_code_from_spki_sha256 (key_digest);

  return _vouch_agent_state_set_current (self, chain, key, error);
}

/**
 * vouch_agent_state_load:
 * @self: a #VouchAgentState
 * @identity_cert_file: (nullable): a manufacturer (IDevID) certificate chain
 * @identity_key_file: (nullable): its key
 * @error: return location for a #GError
 *
 * Reads the state directory, creating the device id and a self-signed
 * identity at first start.
 */
gboolean
vouch_agent_state_load (VouchAgentState  *self,
                        const char       *identity_cert_file,
                        const char       *identity_key_file,
                        GError          **error)
{
  g_autofree char *tls_path = _vouch_agent_state_path (self, "tls.pem");
  g_autofree char *pending_path = _vouch_agent_state_path (self, "pending-key.pem");

  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), FALSE);
  g_return_val_if_fail ((identity_cert_file == NULL) == (identity_key_file == NULL), FALSE);

  if (g_mkdir_with_parents (self->state_dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create the state folder %s: %s"), self->state_dir, g_strerror (errsv));
      return FALSE;
    }

  if (!load_device_id (self, error)
      || !load_identity (self, identity_cert_file, identity_key_file, error))
    return FALSE;

  if (g_file_test (tls_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *contents = NULL;
      g_autofree char *chain = NULL;
      g_autofree char *key = NULL;

      if (!g_file_get_contents (tls_path, &contents, NULL, error)
          || !split_pem (contents, &chain, &key, error)
          || !_vouch_agent_state_set_current (self, chain, key, error))
        return FALSE;
      gnutls_memset (contents, 0, strlen (contents));
      gnutls_memset (key, 0, strlen (key));
      self->enrolled = TRUE;
    }

  if (g_file_test (pending_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *contents = NULL;

      /* A pending key that cannot be read is as good as none: the
       * operator asks for a new CSR. */
      if (g_file_get_contents (pending_path, &contents, NULL, NULL))
        {
          g_auto(gnutls_x509_privkey_t) key = _vouch_agent_key_import_pem (contents, NULL);

          if (key != NULL)
            self->pending_key_pem = g_steal_pointer (&contents);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIFECYCLE]);
  return TRUE;
}

const char *
vouch_agent_state_get_device_id (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  return self->device_id;
}

const char *
vouch_agent_state_get_name (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  return self->name;
}

const char *
vouch_agent_state_get_model (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  return self->model;
}

const char *
vouch_agent_state_get_host_name (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  return self->host_name;
}

/* Avahi may rename the host after a collision; the names the certificate
 * must cover follow, which can turn an enrolled device into one that needs
 * renewal. */
void
vouch_agent_state_set_host_name (VouchAgentState *self,
                                 const char      *host_name)
{
  g_return_if_fail (VOUCH_IS_AGENT_STATE (self));
  g_return_if_fail (host_name != NULL);

  if (g_strcmp0 (self->host_name, host_name) != 0)
    {
      g_free (self->host_name);
      self->host_name = g_strdup (host_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_NAME]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIFECYCLE]);
    }
}

const char *
vouch_agent_state_get_address (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  return self->address;
}

const char *
vouch_agent_state_get_setup_code (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  return self->setup_code;
}

char *
vouch_agent_state_dup_qr_payload (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  return vouch_setup_code_make_qr_payload (self->setup_code, self->device_id, NULL);
}

static gboolean
current_covers_names (VouchAgentState *self)
{
  g_auto(gnutls_x509_crt_t) leaf = _vouch_agent_chain_import_leaf (self->current_chain_pem);
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->address);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 not_before, not_after;

  if (leaf == NULL || inet == NULL)
    return FALSE;

  if (!gnutls_x509_crt_check_hostname2 (leaf, self->host_name, 0)
      || !gnutls_x509_crt_check_ip (leaf, g_inet_address_to_bytes (inet),
                                    g_inet_address_get_native_size (inet), 0))
    return FALSE;

  /* Renew once two thirds of the lifetime are gone, as ACME clients do. */
  not_before = gnutls_x509_crt_get_activation_time (leaf);
  not_after = gnutls_x509_crt_get_expiration_time (leaf);
  return now < not_after - (not_after - not_before) / 3;
}

/**
 * vouch_agent_state_get_lifecycle:
 *
 * Returns: "new" (never enrolled), "enrolled", or "needs-renewal" (the
 *   installed certificate no longer covers the device's names or address,
 *   or is near its end)
 */
const char *
vouch_agent_state_get_lifecycle (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);

  if (!self->enrolled)
    return "new";

  return current_covers_names (self) ? "enrolled" : "needs-renewal";
}

/**
 * vouch_agent_state_dup_fp_hint:
 *
 * Returns: the first 64 bits of SHA-256 over the current TLS key's SPKI,
 *   as 16 lower-case hex digits.  Announced over mDNS as a change detector,
 *   never as proof.
 */
char *
vouch_agent_state_dup_fp_hint (VouchAgentState *self)
{
  guint8 digest[VOUCH_SHA256_LEN];

  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);

  if (!_vouch_agent_key_pem_spki_sha256 (self->current_key_pem, digest, NULL))
    return g_strdup ("");

  g_autofree char *hex = vouch_hex_encode (digest, FP_HINT_HEX_LEN / 2, '\0');
  return g_ascii_strdown (hex, -1);
}

GTlsCertificate *
vouch_agent_state_get_tls_certificate (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  return self->tls_certificate;
}


/**
 * vouch_agent_state_build_status:
 *
 * Returns: (transfer full): the `state` resource of the device API
 */
JsonNode *
vouch_agent_state_build_status (VouchAgentState *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *fp = NULL;

  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);

  fp = vouch_agent_state_dup_fp_hint (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, vouch_agent_state_get_lifecycle (self));
  json_builder_set_member_name (builder, "fp");
  json_builder_add_string_value (builder, fp);
  json_builder_set_member_name (builder, "pending_key");
  if (self->pending_key_pem != NULL)
    json_builder_add_string_value (builder, "new");
  else if (self->pending_is_current)
    json_builder_add_string_value (builder, "current");
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * vouch_agent_state_build_info:
 *
 * Returns: (transfer full): the `info` resource of the device API
 */
/**
 * vouch_agent_state_build_certificate:
 *
 * Returns: (transfer full): a summary of the certificate TLS presents now
 */
JsonNode *
vouch_agent_state_build_certificate (VouchAgentState *self)
{
  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);
  return _vouch_agent_chain_describe (self->current_chain_pem);
}

JsonNode *
vouch_agent_state_build_info (VouchAgentState *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (VOUCH_IS_AGENT_STATE (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "api_version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, self->device_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, self->model);
  json_builder_set_member_name (builder, "firmware");
  json_builder_add_string_value (builder, "vouch-agent " PACKAGE_VERSION);
  json_builder_set_member_name (builder, "host_name");
  json_builder_add_string_value (builder, self->host_name);
  json_builder_set_member_name (builder, "addresses");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, self->address);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "identity");
  json_builder_add_string_value (builder, self->identity_is_idevid ? "idevid" : "self-signed");
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, vouch_agent_state_get_lifecycle (self));
  json_builder_set_member_name (builder, "certificate");
  json_builder_add_value (builder, vouch_agent_state_build_certificate (self));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The enrollment half (vouch-agent-state-enroll.c) changes the lifecycle. */
void
_vouch_agent_state_notify_lifecycle (VouchAgentState *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIFECYCLE]);
}
