/* vouch-acme-network-validator.c
 *
 * The validator the ACME server uses outside tests: it resolves the
 * identifier, keeps only addresses the root may sign for, and then asks
 * the client's own server (http-01 in vouch-acme-http01.c, tls-alpn-01 in
 * vouch-acme-tls-alpn01.c). Every connection it makes is one a hostile
 * client chose, so it must never become a way to reach other hosts:
 * only addresses inside the root's permitted ranges, never loopback
 * unless the operator's tests ask, only ports 80 and 443, one deadline
 * for the whole validation and a bounded answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-acme-network-validator"

#include "vouch-config.h"

#include "vouch-acme-network-validator-private.h"

#include <glib/gi18n-lib.h>

struct _VouchAcmeNetworkValidator
{
  GObject    parent_instance;

  /* GInetAddressMask: where a validation may connect. */
  GPtrArray *ranges;
  guint      timeout;
  guint      allow_loopback : 1;
};

enum {
  PROP_0,
  PROP_ALLOW_LOOPBACK,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void validator_iface_init (VouchAcmeValidatorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VouchAcmeNetworkValidator, vouch_acme_network_validator,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (VOUCH_TYPE_ACME_VALIDATOR,
                                                      validator_iface_init))

static void
vouch_acme_network_validator_finalize (GObject *object)
{
  VouchAcmeNetworkValidator *self = (VouchAcmeNetworkValidator *)object;

  g_clear_pointer (&self->ranges, g_ptr_array_unref);

  G_OBJECT_CLASS (vouch_acme_network_validator_parent_class)->finalize (object);
}

static void
vouch_acme_network_validator_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  VouchAcmeNetworkValidator *self = VOUCH_ACME_NETWORK_VALIDATOR (object);

  switch (prop_id)
    {
    case PROP_ALLOW_LOOPBACK:
      g_value_set_boolean (value, self->allow_loopback);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_network_validator_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  VouchAcmeNetworkValidator *self = VOUCH_ACME_NETWORK_VALIDATOR (object);

  switch (prop_id)
    {
    case PROP_ALLOW_LOOPBACK:
      self->allow_loopback = g_value_get_boolean (value);
      break;

    case PROP_TIMEOUT:
      vouch_acme_network_validator_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_acme_network_validator_class_init (VouchAcmeNetworkValidatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vouch_acme_network_validator_finalize;
  object_class->get_property = vouch_acme_network_validator_get_property;
  object_class->set_property = vouch_acme_network_validator_set_property;

  /* Only `--allow-loopback-validation` sets this; the app never does. */
  properties[PROP_ALLOW_LOOPBACK] =
    g_param_spec_boolean ("allow-loopback", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 120, VOUCH_ACME_VALIDATION_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_acme_network_validator_init (VouchAcmeNetworkValidator *self)
{
  self->ranges = g_ptr_array_new_with_free_func (g_object_unref);
  self->timeout = VOUCH_ACME_VALIDATION_TIMEOUT_SECONDS;
}

static void
add_range (VouchAcmeNetworkValidator *self,
           const char                *text)
{
  GInetAddressMask *mask;

  if (strchr (text, '/') == NULL)
    return;
  mask = g_inet_address_mask_new_from_string (text, NULL);
  if (mask != NULL)
    g_ptr_array_add (self->ranges, mask);
}

/**
 * vouch_acme_network_validator_new:
 * @constraints: (nullable): the root's name constraints
 * @allow_loopback: whether 127.0.0.0/8 and ::1 may be validated (tests)
 *
 * The validator connects only to addresses inside the root's permitted
 * address ranges. A root without any (unconstrained, or names only) gets
 * the private ranges Vouch suggests for new roots, never the internet.
 */
VouchAcmeNetworkValidator *
vouch_acme_network_validator_new (VouchNameConstraints *constraints,
                                  gboolean              allow_loopback)
{
  VouchAcmeNetworkValidator *self;

  g_return_val_if_fail (constraints == NULL || VOUCH_IS_NAME_CONSTRAINTS (constraints), NULL);

  self = g_object_new (VOUCH_TYPE_ACME_NETWORK_VALIDATOR,
                       "allow-loopback", allow_loopback,
                       NULL);
  if (constraints != NULL)
    {
      g_auto(GStrv) permitted = vouch_name_constraints_dup_permitted (constraints);

      for (guint i = 0; permitted[i] != NULL; i++)
        add_range (self, permitted[i]);
    }
  if (self->ranges->len == 0)
    {
      const char * const *defaults = vouch_name_constraints_get_local_defaults ();

      for (guint i = 0; defaults[i] != NULL; i++)
        add_range (self, defaults[i]);
    }
  return self;
}

gboolean
vouch_acme_network_validator_get_allow_loopback (VouchAcmeNetworkValidator *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_NETWORK_VALIDATOR (self), FALSE);
  return self->allow_loopback;
}

guint
vouch_acme_network_validator_get_timeout (VouchAcmeNetworkValidator *self)
{
  g_return_val_if_fail (VOUCH_IS_ACME_NETWORK_VALIDATOR (self), 0);
  return self->timeout;
}

void
vouch_acme_network_validator_set_timeout (VouchAcmeNetworkValidator *self,
                                          guint                      seconds)
{
  g_return_if_fail (VOUCH_IS_ACME_NETWORK_VALIDATOR (self));

  seconds = CLAMP (seconds, 1, 120);
  if (self->timeout != seconds)
    {
      self->timeout = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
    }
}

/* ::ffff:a.b.c.d is a.b.c.d on the wire: judge it as that. */
static GInetAddress *
unmap (GInetAddress *address)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);
  static const guint8 prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 &&
      memcmp (bytes, prefix, sizeof prefix) == 0)
    return g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
  return g_object_ref (address);
}

/**
 * vouch_acme_network_validator_check_address:
 *
 * Returns: whether a validation may connect to @address; if not, a
 *   rejectedIdentifier error saying why
 */
gboolean
vouch_acme_network_validator_check_address (VouchAcmeNetworkValidator  *self,
                                            GInetAddress               *address,
                                            GError                    **error)
{
  g_autoptr(GInetAddress) plain = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (VOUCH_IS_ACME_NETWORK_VALIDATOR (self), FALSE);
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  plain = unmap (address);
  text = g_inet_address_to_string (plain);

  if (g_inet_address_get_is_loopback (plain))
    {
      if (self->allow_loopback)
        return TRUE;
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                   _("%s is a loopback address; Vouch validates only devices on the network"),
                   text);
      return FALSE;
    }

  if (g_inet_address_get_is_any (plain) || g_inet_address_get_is_multicast (plain))
    {
      g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
                   _("%s is not the address of one device"), text);
      return FALSE;
    }

  for (guint i = 0; i < self->ranges->len; i++)
    {
      if (g_inet_address_mask_matches (g_ptr_array_index (self->ranges, i), plain))
        return TRUE;
    }

  g_set_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER,
               _("%s is outside the address ranges this root may sign for"), text);
  return FALSE;
}

typedef struct
{
  char         *type;
  char         *identifier_type;
  char         *identifier_value;
  char         *token;
  char         *key_authorization;
  GCancellable *deadline;
  gulong        cancelled_id;
  GCancellable *outer;
  GSource      *timeout;
  gboolean      timed_out;
  GPtrArray    *addresses;
  guint         next_address;
} Validation;

static void
validation_free (Validation *validation)
{
  if (validation->timeout != NULL)
    g_source_destroy (validation->timeout);
  g_clear_pointer (&validation->timeout, g_source_unref);
  if (validation->outer != NULL)
    g_cancellable_disconnect (validation->outer, validation->cancelled_id);
  g_clear_object (&validation->outer);
  g_clear_object (&validation->deadline);
  g_clear_pointer (&validation->addresses, g_ptr_array_unref);
  g_free (validation->type);
  g_free (validation->identifier_type);
  g_free (validation->identifier_value);
  g_free (validation->token);
  g_free (validation->key_authorization);
  g_free (validation);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Validation *validation = user_data;

  validation->timed_out = TRUE;
  g_cancellable_cancel (validation->deadline);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* The deadline cancels whatever step runs; the client is told it was
 * too slow, not that someone cancelled. */
static void
return_error (GTask  *task,
              GError *error)
{
  Validation *validation = g_task_get_task_data (task);

  if (validation->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error (&error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_CONNECTION,
                   _("%s did not answer within %u seconds"),
                   validation->identifier_value,
                   vouch_acme_network_validator_get_timeout (g_task_get_source_object (task)));
    }
  else if (error->domain != VOUCH_ACME_ERROR &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GError *wrapped = g_error_new (VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_CONNECTION,
                                     _("Could not reach %s: %s"),
                                     validation->identifier_value, error->message);
      g_clear_error (&error);
      error = wrapped;
    }
  g_task_return_error (task, error);
}

static void try_next_address (GTask *task);

/* A name may have several permitted addresses (IPv6 and IPv4, say): one
 * that refuses the connection is not an answer, so the next is tried,
 * within the same deadline. */
#define MAX_ADDRESSES_TRIED 4

static void
challenge_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Validation *validation = g_task_get_task_data (task);
  GError *error = NULL;

  if (_vouch_acme_challenge_finish (result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (error->domain == G_IO_ERROR && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      validation->next_address < MIN (validation->addresses->len, MAX_ADDRESSES_TRIED))
    {
      g_error_free (error);
      try_next_address (g_steal_pointer (&task));
      return;
    }
  return_error (task, error);
}

/* Takes over @task. */
static void
try_next_address (GTask *task)
{
  VouchAcmeNetworkValidator *self = g_task_get_source_object (task);
  Validation *validation = g_task_get_task_data (task);
  GInetAddress *address = g_ptr_array_index (validation->addresses, validation->next_address++);

  if (g_str_equal (validation->type, "http-01"))
    _vouch_acme_http01_async (self, validation->identifier_type, validation->identifier_value,
                              address, validation->token, validation->key_authorization,
                              validation->deadline, challenge_cb, task);
  else
    _vouch_acme_tls_alpn01_async (self, validation->identifier_type,
                                  validation->identifier_value, address,
                                  validation->key_authorization, validation->deadline,
                                  challenge_cb, task);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Validation *validation = g_task_get_task_data (task);
  GError *error = NULL;

  /* Resolution kept only permitted addresses, in the resolver's order. */
  validation->addresses = _vouch_acme_resolve_finish (result, &error);
  if (validation->addresses == NULL)
    {
      return_error (task, error);
      return;
    }
  try_next_address (g_steal_pointer (&task));
}

static void
vouch_acme_network_validator_validate_async (VouchAcmeValidator  *validator,
                                             const char          *type,
                                             const char          *identifier_type,
                                             const char          *identifier_value,
                                             const char          *token,
                                             const char          *key_authorization,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  VouchAcmeNetworkValidator *self = VOUCH_ACME_NETWORK_VALIDATOR (validator);
  g_autoptr(GTask) task = NULL;
  Validation *validation;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_acme_network_validator_validate_async);

  if (type == NULL || (!g_str_equal (type, "http-01") && !g_str_equal (type, "tls-alpn-01")))
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                               _("Vouch validates only http-01 and tls-alpn-01 challenges"));
      return;
    }
  if (identifier_type == NULL || identifier_value == NULL || key_authorization == NULL ||
      (!g_str_equal (identifier_type, "dns") && !g_str_equal (identifier_type, "ip")))
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNSUPPORTED_IDENTIFIER,
                               _("Vouch validates only dns and ip identifiers"));
      return;
    }
  if (g_str_equal (type, "http-01") &&
      (token == NULL || *token == '\0' ||
       strspn (token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
       strlen (token)))
    {
      g_task_return_new_error (task, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_MALFORMED,
                               _("The challenge token is not base64url"));
      return;
    }

  validation = g_new0 (Validation, 1);
  validation->type = g_strdup (type);
  validation->identifier_type = g_strdup (identifier_type);
  validation->identifier_value = g_strdup (identifier_value);
  validation->token = g_strdup (token);
  validation->key_authorization = g_strdup (key_authorization);
  validation->deadline = g_cancellable_new ();
  if (cancellable != NULL)
    {
      validation->outer = g_object_ref (cancellable);
      validation->cancelled_id = g_cancellable_connect (cancellable,
                                                        G_CALLBACK (outer_cancelled_cb),
                                                        g_object_ref (validation->deadline),
                                                        g_object_unref);
    }
  /* On the caller's context, as every other step of the validation. */
  validation->timeout = g_timeout_source_new_seconds (self->timeout);
  g_source_set_callback (validation->timeout, deadline_cb, validation, NULL);
  g_source_attach (validation->timeout, g_main_context_get_thread_default ());
  g_task_set_task_data (task, validation, (GDestroyNotify)validation_free);

  _vouch_acme_resolve_async (self, identifier_type, identifier_value, validation->deadline,
                             resolve_cb, g_steal_pointer (&task));
}

static gboolean
vouch_acme_network_validator_validate_finish (VouchAcmeValidator  *validator,
                                              GAsyncResult        *result,
                                              GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, validator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
validator_iface_init (VouchAcmeValidatorInterface *iface)
{
  iface->validate_async = vouch_acme_network_validator_validate_async;
  iface->validate_finish = vouch_acme_network_validator_validate_finish;
}
