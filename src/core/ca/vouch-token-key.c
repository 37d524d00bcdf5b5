/* vouch-token-key.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-token-key"

#include "vouch-config.h"

#include "vouch-token-key.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <glib/gi18n-lib.h>
#include <gnutls/pkcs11.h>
#include <json-glib/json-glib.h>

/* A root key generated on (or copied onto) a PKCS#11 token. Vouch keeps
 * only the key's PKCS#11 URI and what names the token to a person (label,
 * model, maker, serial, and the module's file, to tell an uninstalled
 * module from an unplugged token); the key itself never leaves the token.
 *
 * Tokens are found through the modules p11-kit has registered, by GnuTLS's
 * own PKCS#11 support. GnuTLS asks for a PIN through a callback; the PIN
 * of the operation under way is kept per thread (current_pin), so
 * operations on several threads never see each other's PIN, and the
 * callback refuses a second attempt instead of retrying a wrong PIN until
 * the token locks. */
struct _VouchTokenKey
{
  GObject  parent_instance;

  char    *uri;
  char    *token_uri;
  char    *label;
  char    *model;
  char    *manufacturer;
  char    *serial;
  char    *module;
};

G_DEFINE_FINAL_TYPE (VouchTokenKey, vouch_token_key, G_TYPE_OBJECT)

#define KEY_LABEL "Vouch root"
#define KEY_ID_LEN 20

static GMutex pkcs11_lock;
static gboolean pkcs11_ready;
static GPrivate current_pin;
static GPrivate pin_was_missing;

static void
vouch_token_key_finalize (GObject *object)
{
  VouchTokenKey *self = (VouchTokenKey *)object;

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->token_uri, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->manufacturer, g_free);
  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->module, g_free);

  G_OBJECT_CLASS (vouch_token_key_parent_class)->finalize (object);
}

static void
vouch_token_key_class_init (VouchTokenKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vouch_token_key_finalize;
}

static void
vouch_token_key_init (VouchTokenKey *self)
{
}

static int
pin_cb (void         *user_data,
        int           attempt,
        const char   *token_url,
        const char   *token_label,
        unsigned int  flags,
        char         *pin,
        size_t        pin_max)
{
  const char *given = g_private_get (&current_pin);

  /* A wrong PIN is reported, never tried again: a token locks after a few
   * wrong tries, and the operator should decide whether to try again. */
  if (attempt > 0 || (flags & GNUTLS_PIN_WRONG) != 0)
    return GNUTLS_E_PKCS11_PIN_ERROR;

  if (given == NULL)
    {
      g_private_set (&pin_was_missing, GINT_TO_POINTER (TRUE));
      return GNUTLS_E_PKCS11_PIN_ERROR;
    }

  if (strlen (given) >= pin_max)
    return GNUTLS_E_PKCS11_PIN_ERROR;

  strcpy (pin, given);
  return 0;
}

/* Loads the modules p11-kit has registered, once. With @rescan, loads
 * them again: a module may only see tokens present when it was loaded
 * (SoftHSM2 does), and a module installed since then is found too. Called
 * with pkcs11_lock held; every PKCS#11 object of this process is closed
 * by then (the authority opens keys only under its own lock, and drops
 * them before a rescan). */
static gboolean
ensure_pkcs11 (gboolean   rescan,
               GError   **error)
{
  int ret;

  if (pkcs11_ready && !rescan)
    return TRUE;

  if (pkcs11_ready)
    gnutls_pkcs11_deinit ();
  pkcs11_ready = FALSE;

  ret = gnutls_pkcs11_init (GNUTLS_PKCS11_FLAG_AUTO, NULL);
  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_TOKEN_MODULE_MISSING, ret,
                                   _("The PKCS#11 modules registered with p11-kit cannot be "
                                     "loaded"));
  gnutls_pkcs11_set_pin_function (pin_cb, NULL);
  pkcs11_ready = TRUE;
  return TRUE;
}

static char *
token_info (const char                *uri,
            gnutls_pkcs11_token_info_t what)
{
  char buffer[512];
  size_t size = sizeof buffer;

  if (gnutls_pkcs11_token_get_info (uri, what, buffer, &size) < 0)
    return NULL;
  buffer[sizeof buffer - 1] = '\0';
  return g_strstrip (g_strdup (buffer));
}

/* The enumerated tokens' URIs, with the pkcs11_lock held. */
static GStrv
list_tokens_locked (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (unsigned int seq = 0; seq < 256; seq++)
    {
      char *url = NULL;
      unsigned int flags = 0;

      if (gnutls_pkcs11_token_get_url (seq, GNUTLS_PKCS11_URL_GENERIC, &url) < 0)
        break;
      /* p11-kit's trust module holds certificates, not keys. */
      if (gnutls_pkcs11_token_get_flags (url, &flags) >= 0 &&
          (flags & GNUTLS_PKCS11_TOKEN_TRUSTED) == 0)
        g_strv_builder_add (builder, url);
      gnutls_free (url);
    }

  return g_strv_builder_end (builder);
}

/**
 * vouch_token_key_list_tokens:
 *
 * Returns: (transfer full): the PKCS#11 URIs of the tokens that can hold a
 *   key, from every module p11-kit has registered
 */
GStrv
vouch_token_key_list_tokens (GError **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&pkcs11_lock);

  /* No rescan here: it would close a key a bulk run has open. */
  if (!ensure_pkcs11 (FALSE, error))
    return NULL;
  return list_tokens_locked ();
}

/* The token's own URI (model, manufacturer, serial, label), as GnuTLS
 * lists it, for a URI that may name only part of it. GnuTLS reads these
 * fields from the URI itself, so each field @uri names must match. */
static char *
find_token_locked (const char *uri)
{
  static const gnutls_pkcs11_token_info_t fields[] = {
    GNUTLS_PKCS11_TOKEN_LABEL, GNUTLS_PKCS11_TOKEN_SERIAL,
    GNUTLS_PKCS11_TOKEN_MANUFACTURER, GNUTLS_PKCS11_TOKEN_MODEL,
  };
  g_auto(GStrv) tokens = list_tokens_locked ();

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      gboolean matches = TRUE;

      for (guint f = 0; f < G_N_ELEMENTS (fields) && matches; f++)
        {
          g_autofree char *wanted = token_info (uri, fields[f]);
          g_autofree char *have = token_info (tokens[i], fields[f]);

          matches = wanted == NULL || *wanted == '\0' || g_strcmp0 (wanted, have) == 0;
        }
      if (matches)
        return g_strdup (tokens[i]);
    }

  return NULL;
}

static VouchTokenKey *
describe_token_locked (const char  *token_uri,
                       GError     **error)
{
  g_autoptr(VouchTokenKey) self = g_object_new (VOUCH_TYPE_TOKEN_KEY, NULL);

  self->token_uri = find_token_locked (token_uri);
  if (self->token_uri == NULL)
    {
      /* A token plugged in after the modules were loaded. */
      if (!ensure_pkcs11 (TRUE, error))
        return NULL;
      self->token_uri = find_token_locked (token_uri);
    }
  if (self->token_uri == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_ABSENT,
                   _("No connected token matches “%s”. List the tokens with “p11tool "
                     "--list-tokens”, and check that the token is plugged in and its PKCS#11 "
                     "module is registered with p11-kit"), token_uri);
      return NULL;
    }

  self->uri = g_strdup (self->token_uri);
  self->label = token_info (self->token_uri, GNUTLS_PKCS11_TOKEN_LABEL);
  self->model = token_info (self->token_uri, GNUTLS_PKCS11_TOKEN_MODEL);
  self->manufacturer = token_info (self->token_uri, GNUTLS_PKCS11_TOKEN_MANUFACTURER);
  self->serial = token_info (self->token_uri, GNUTLS_PKCS11_TOKEN_SERIAL);
  self->module = token_info (self->token_uri, GNUTLS_PKCS11_TOKEN_MODNAME);
  return g_steal_pointer (&self);
}

/**
 * vouch_token_key_new_for_token:
 * @token_uri: a PKCS#11 URI naming a token, such as
 *   `pkcs11:token=My%20Key`
 *
 * Describes a connected token, before a key is put on it.
 */
VouchTokenKey *
vouch_token_key_new_for_token (const char  *token_uri,
                               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (token_uri != NULL, NULL);

  if (!g_str_has_prefix (token_uri, "pkcs11:"))
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("“%s” is not a PKCS#11 URI; it should start with “pkcs11:”, for example "
                     "pkcs11:token=My%%20Key"), token_uri);
      return NULL;
    }

  locker = g_mutex_locker_new (&pkcs11_lock);
  if (!ensure_pkcs11 (FALSE, error))
    return NULL;
  return describe_token_locked (token_uri, error);
}

/* Runs a PKCS#11 call with @pin as the PIN GnuTLS may ask for. */
static void
begin_pin (const char *pin)
{
  g_private_set (&current_pin, (gpointer)pin);
  g_private_set (&pin_was_missing, NULL);
}

static void
end_pin (void)
{
  g_private_set (&current_pin, NULL);
}

static gboolean
token_connected_locked (VouchTokenKey *self)
{
  g_autofree char *found = find_token_locked (self->token_uri);

  return found != NULL;
}

/* Says what went wrong in the operator's terms: a PIN that was needed,
 * wrong or locked, a token not connected, or a module not installed.
 * Called with pkcs11_lock held, on the thread that gave the PIN. */
static void
translate_locked (VouchTokenKey  *self,
                  int             ret,
                  GError        **error)
{
  unsigned int flags = 0;
  gboolean have_flags;

  have_flags = gnutls_pkcs11_token_get_flags (self->token_uri, &flags) >= 0;
  if (ret == GNUTLS_E_PKCS11_PIN_LOCKED ||
      (have_flags && (flags & GNUTLS_PKCS11_TOKEN_USER_PIN_LOCKED) != 0))
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_LOCKED,
                 _("The PIN of “%s” is locked after too many wrong tries. Unlock it with the "
                   "token's own tool (its PUK or security officer PIN), then try again"),
                 self->label);
  else if (ret == GNUTLS_E_PKCS11_PIN_ERROR && g_private_get (&pin_was_missing) != NULL)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_NEEDED,
                 _("The PIN of “%s” is needed to sign with the root's key"), self->label);
  else if (ret == GNUTLS_E_PKCS11_PIN_ERROR)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_WRONG,
                 (have_flags && (flags & GNUTLS_PKCS11_TOKEN_USER_PIN_FINAL_TRY) != 0)
                   ? _("The PIN of “%s” is wrong. The next wrong PIN locks the token")
                   : _("The PIN of “%s” is wrong"), self->label);
  else if (self->module != NULL && !g_file_test (self->module, G_FILE_TEST_EXISTS))
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_MODULE_MISSING,
                 _("The PKCS#11 module for “%s” (%s) is not installed: %s is missing. Install "
                   "it again (for example the opensc, ykcs11 or softhsm2 package)"),
                 self->label, self->model, self->module);
  else if (!token_connected_locked (self))
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_ABSENT,
                 _("The token “%s” (%s) is not connected. Connect it, or check that its PKCS#11 "
                   "module is registered with p11-kit, and try again"),
                 self->label, self->model);
  else
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING,
                 _("The root's key on “%s” cannot be used: %s"), self->label,
                 gnutls_strerror (ret));
}

/**
 * vouch_token_key_translate_error:
 * @ret: a GnuTLS error from signing with this key
 *
 * Says why signing failed, in the operator's terms.
 */
void
vouch_token_key_translate_error (VouchTokenKey  *self,
                                 int             ret,
                                 GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (VOUCH_IS_TOKEN_KEY (self));

  locker = g_mutex_locker_new (&pkcs11_lock);
  translate_locked (self, ret, error);
}

static gboolean
random_id (guint8   id[KEY_ID_LEN],
           GError **error)
{
  int ret = gnutls_rnd (GNUTLS_RND_NONCE, id, KEY_ID_LEN);

  if (ret < 0)
    return vouch_set_gnutls_error (error, VOUCH_ERROR_CRYPTO, ret,
                                   _("Could not draw a key identifier"));
  return TRUE;
}

/* The new key's own URI: the token's, with the id Vouch gave it. */
static void
set_key_uri (VouchTokenKey *self,
             const guint8   id[KEY_ID_LEN])
{
  g_autoptr(GString) uri = g_string_new (self->token_uri);

  g_string_append (uri, ";id=");
  for (guint i = 0; i < KEY_ID_LEN; i++)
    g_string_append_printf (uri, "%%%02X", id[i]);
  g_string_append (uri, ";type=private");
  g_free (self->uri);
  self->uri = g_string_free (g_steal_pointer (&uri), FALSE);
}

typedef int (*PutKeyFunc) (VouchTokenKey        *self,
                           const gnutls_datum_t *id,
                           gpointer              user_data);

/* Puts a key on the token with @put, under the PIN, and checks that the
 * token keeps it sensitive and not extractable. */
static VouchTokenKey *
put_key (const char  *token_uri,
         const char  *pin,
         PutKeyFunc   put,
         gpointer     user_data,
         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(VouchTokenKey) self = NULL;
  guint8 id[KEY_ID_LEN];
  gnutls_datum_t id_datum = { id, KEY_ID_LEN };
  int ret;

  g_return_val_if_fail (token_uri != NULL, NULL);

  if (!random_id (id, error))
    return NULL;

  locker = g_mutex_locker_new (&pkcs11_lock);
  if (!ensure_pkcs11 (FALSE, error) || (self = describe_token_locked (token_uri, error)) == NULL)
    return NULL;

  begin_pin (pin);
  ret = put (self, &id_datum, user_data);
  if (ret < 0)
    translate_locked (self, ret, error);
  end_pin ();
  if (ret < 0)
    return NULL;

  set_key_uri (self, id);
  g_clear_pointer (&locker, g_mutex_locker_free);
  if (!vouch_token_key_check_protected (self, pin, error))
    {
      vouch_token_key_delete (self, pin, NULL);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static const unsigned int store_flags =
  GNUTLS_PKCS11_OBJ_FLAG_LOGIN |
  GNUTLS_PKCS11_OBJ_FLAG_MARK_SENSITIVE |
  GNUTLS_PKCS11_OBJ_FLAG_MARK_PRIVATE;

static int
generate_on_token (VouchTokenKey        *self,
                   const gnutls_datum_t *id,
                   gpointer              user_data)
{
  VouchKeyType key_type = GPOINTER_TO_INT (user_data);

  /* Not marked extractable: GnuTLS then sets CKA_EXTRACTABLE false. */
  return gnutls_pkcs11_privkey_generate3 (self->token_uri,
                                          vouch_key_type_get_algorithm (key_type),
                                          vouch_key_type_get_bits (key_type),
                                          KEY_LABEL, id, GNUTLS_X509_FMT_DER, NULL,
                                          GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN |
                                          GNUTLS_KEY_DIGITAL_SIGNATURE,
                                          store_flags);
}

/**
 * vouch_token_key_generate:
 * @token_uri: the token
 * @pin: (nullable): its user PIN
 *
 * Generates a key pair on the token, sensitive and not extractable.
 */
VouchTokenKey *
vouch_token_key_generate (const char    *token_uri,
                          VouchKeyType   key_type,
                          const char    *pin,
                          GError       **error)
{
  return put_key (token_uri, pin, generate_on_token, GINT_TO_POINTER (key_type), error);
}

/* The private key, and its public half beside it under the same id:
 * GnuTLS finds a token key's public key (for its algorithm and the
 * certificate check) from that object, as it does for a generated pair. */
static int
copy_to_token (VouchTokenKey        *self,
               const gnutls_datum_t *id,
               gpointer              user_data)
{
  const unsigned int usage = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN |
                             GNUTLS_KEY_DIGITAL_SIGNATURE;
  g_auto(gnutls_privkey_t) privkey = NULL;
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  int ret;

  if ((ret = gnutls_privkey_init (&privkey)) < 0 ||
      (ret = gnutls_privkey_import_x509 (privkey, user_data, 0)) < 0 ||
      (ret = gnutls_pubkey_init (&pubkey)) < 0 ||
      (ret = gnutls_pubkey_import_privkey (pubkey, privkey, 0, 0)) < 0 ||
      (ret = gnutls_pkcs11_copy_x509_privkey2 (self->token_uri, user_data, KEY_LABEL, id, usage,
                                               store_flags)) < 0)
    return ret;

  return gnutls_pkcs11_copy_pubkey (self->token_uri, pubkey, KEY_LABEL, id, usage,
                                    GNUTLS_PKCS11_OBJ_FLAG_LOGIN);
}

/**
 * vouch_token_key_copy:
 * @xkey: the key to put on the token
 *
 * Copies a key onto the token, which keeps it sensitive and not
 * extractable from then on.
 */
VouchTokenKey *
vouch_token_key_copy (const char            *token_uri,
                      gnutls_x509_privkey_t  xkey,
                      const char            *pin,
                      GError               **error)
{
  g_return_val_if_fail (xkey != NULL, NULL);
  return put_key (token_uri, pin, copy_to_token, xkey, error);
}

/**
 * vouch_token_key_open:
 * @pin: (nullable): the token's user PIN
 *
 * Opens the key for signing. The handle holds no key material: it signs
 * on the token, logged in with @pin, until it is freed. When the token is
 * not found, the modules are loaded again once, for a token that was
 * plugged back in.
 *
 * Returns: (transfer full): the key, to free with gnutls_privkey_deinit()
 */
gnutls_privkey_t
vouch_token_key_open (VouchTokenKey  *self,
                      const char     *pin,
                      GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gnutls_privkey_t key = NULL;
  int ret;

  g_return_val_if_fail (VOUCH_IS_TOKEN_KEY (self), NULL);

  locker = g_mutex_locker_new (&pkcs11_lock);
  if (!ensure_pkcs11 (FALSE, error))
    return NULL;

  begin_pin (pin);
  for (guint round = 0; round < 2; round++)
    {
      if ((ret = gnutls_privkey_init (&key)) < 0)
        break;
      gnutls_privkey_set_pin_function (key, pin_cb, NULL);
      ret = gnutls_privkey_import_url (key, self->uri, 0);
      if (ret >= 0)
        break;
      g_clear_pointer (&key, gnutls_privkey_deinit);
      if (round > 0 || ret == GNUTLS_E_PKCS11_PIN_ERROR || ret == GNUTLS_E_PKCS11_PIN_LOCKED ||
          !ensure_pkcs11 (TRUE, NULL))
        break;
    }
  if (key == NULL)
    translate_locked (self, ret, error);
  end_pin ();

  return key;
}

/**
 * vouch_token_key_check_protected:
 *
 * Checks that the token keeps the key sensitive and not extractable, so
 * its value cannot be read out of the token.
 */
gboolean
vouch_token_key_check_protected (VouchTokenKey  *self,
                                 const char     *pin,
                                 GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gnutls_pkcs11_obj_t obj = NULL;
  unsigned int flags = 0;
  int ret;

  g_return_val_if_fail (VOUCH_IS_TOKEN_KEY (self), FALSE);

  locker = g_mutex_locker_new (&pkcs11_lock);
  begin_pin (pin);
  if ((ret = gnutls_pkcs11_obj_init (&obj)) >= 0 &&
      (ret = gnutls_pkcs11_obj_import_url (obj, self->uri, GNUTLS_PKCS11_OBJ_FLAG_LOGIN)) >= 0)
    ret = gnutls_pkcs11_obj_get_flags (obj, &flags);
  g_clear_pointer (&obj, gnutls_pkcs11_obj_deinit);
  if (ret < 0)
    translate_locked (self, ret, error);
  end_pin ();
  if (ret < 0)
    return FALSE;

  if ((flags & GNUTLS_PKCS11_OBJ_FLAG_MARK_SENSITIVE) == 0 ||
      (flags & GNUTLS_PKCS11_OBJ_FLAG_MARK_EXTRACTABLE) != 0)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO,
                   _("“%s” did not keep the root's key sensitive and not extractable, so it "
                     "could be copied off the token. Use another token"), self->label);
      return FALSE;
    }

  return TRUE;
}

/**
 * vouch_token_key_delete:
 *
 * Removes the key from the token, when setting up the root failed after
 * the key was made.
 */
gboolean
vouch_token_key_delete (VouchTokenKey  *self,
                        const char     *pin,
                        GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  int ret;

  g_return_val_if_fail (VOUCH_IS_TOKEN_KEY (self), FALSE);

  locker = g_mutex_locker_new (&pkcs11_lock);
  begin_pin (pin);
  ret = gnutls_pkcs11_delete_url (self->uri, GNUTLS_PKCS11_OBJ_FLAG_LOGIN);
  if (ret < 0)
    translate_locked (self, ret, error);
  end_pin ();
  return ret >= 0;
}

static const char *
member (JsonObject *object,
        const char *name)
{
  return json_object_get_string_member_with_default (object, name, NULL);
}

/**
 * vouch_token_key_new_from_json:
 *
 * Reads what vouch_token_key_to_json() wrote: where the root's key lives.
 */
VouchTokenKey *
vouch_token_key_new_from_json (const char  *json,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(VouchTokenKey) self = NULL;
  JsonObject *object;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad;

  object = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (member (object, "store"), "pkcs11") != 0 ||
      !g_str_has_prefix (member (object, "uri") ?: "", "pkcs11:") ||
      !g_str_has_prefix (member (object, "token-uri") ?: "", "pkcs11:"))
    goto bad;

  self = g_object_new (VOUCH_TYPE_TOKEN_KEY, NULL);
  self->uri = g_strdup (member (object, "uri"));
  self->token_uri = g_strdup (member (object, "token-uri"));
  self->label = g_strdup (member (object, "label") ?: "");
  self->model = g_strdup (member (object, "model") ?: "");
  self->manufacturer = g_strdup (member (object, "manufacturer") ?: "");
  self->serial = g_strdup (member (object, "serial") ?: "");
  self->module = g_strdup (member (object, "module"));
  return g_steal_pointer (&self);

bad:
  g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
               _("The note of where the root's key lives is damaged"));
  return NULL;
}

char *
vouch_token_key_to_json (VouchTokenKey *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  const struct { const char *name; const char *value; } members[] = {
    { "store", "pkcs11" }, { "uri", self->uri }, { "token-uri", self->token_uri },
    { "label", self->label }, { "model", self->model }, { "manufacturer", self->manufacturer },
    { "serial", self->serial }, { "module", self->module },
  };

  g_return_val_if_fail (VOUCH_IS_TOKEN_KEY (self), NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      if (members[i].value == NULL)
        continue;
      json_builder_set_member_name (builder, members[i].name);
      json_builder_add_string_value (builder, members[i].value);
    }
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  return json_to_string (node, TRUE);
}

const char *
vouch_token_key_get_uri (VouchTokenKey *self)
{
  g_return_val_if_fail (VOUCH_IS_TOKEN_KEY (self), NULL);
  return self->uri;
}

const char *
vouch_token_key_get_label (VouchTokenKey *self)
{
  g_return_val_if_fail (VOUCH_IS_TOKEN_KEY (self), NULL);
  return self->label;
}

const char *
vouch_token_key_get_model (VouchTokenKey *self)
{
  g_return_val_if_fail (VOUCH_IS_TOKEN_KEY (self), NULL);
  return self->model;
}

const char *
vouch_token_key_get_manufacturer (VouchTokenKey *self)
{
  g_return_val_if_fail (VOUCH_IS_TOKEN_KEY (self), NULL);
  return self->manufacturer;
}

const char *
vouch_token_key_get_serial (VouchTokenKey *self)
{
  g_return_val_if_fail (VOUCH_IS_TOKEN_KEY (self), NULL);
  return self->serial;
}
