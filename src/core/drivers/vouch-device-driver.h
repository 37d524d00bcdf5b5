/* vouch-device-driver.h: what onboarding asks of a device, whatever API it
 * speaks
 *
 * A driver speaks one device API (the Vouch API, Redfish, Axis VAPIX, or
 * the operator's hands). Onboarding (src/core/devices) drives every device
 * through this type: it asks who the device is, asks for a CSR for some
 * names, checks and signs it, and hands back the chain. Whether the device
 * is the one the operator holds (setup code, manufacturer root, key
 * fingerprint) and whether it then serves the chain (a fresh TLS
 * connection, the chain checked against the root for every name) are
 * decided in onboarding, the same for every driver; a driver only carries
 * the bytes. See src/DESIGN.md, "Adding a device driver".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Which credentials a driver's devices need. Each is kept in the keyring
 * (vouch-key-store.c), never in the inventory. */
typedef enum
{
  VOUCH_DRIVER_CREDENTIALS_NONE,
  /* one secret: the Vouch API's admin password or pairing token */
  VOUCH_DRIVER_CREDENTIALS_SECRET,
  /* a user name and its password (Redfish, VAPIX); a token may stand in
   * for the password */
  VOUCH_DRIVER_CREDENTIALS_USER_PASSWORD,
} VouchDriverCredentials;

/* Which kinds of subjectAltName its devices accept in a CSR. */
typedef enum /*< flags >*/
{
  VOUCH_DRIVER_NAMES_DNS = 1 << 0,
  VOUCH_DRIVER_NAMES_IP  = 1 << 1,
} VouchDriverNameKinds;

/* How a device of this kind can prove it is the one the operator holds. */
typedef enum /*< flags >*/
{
  VOUCH_DRIVER_IDENTITY_SETUP_CODE   = 1 << 0,
  VOUCH_DRIVER_IDENTITY_MANUFACTURER = 1 << 1,
  VOUCH_DRIVER_IDENTITY_FINGERPRINT  = 1 << 2,
} VouchDriverIdentityKinds;

/* What a driver can do, fixed per driver: the app offers only what will
 * work. */
typedef struct
{
  /* stored in the inventory's devices.driver: "vouch", "redfish", … */
  const char               *id;
  /* for the operator; marked with N_() and translated where shown */
  const char               *title;
  /* vouch_key_type_to_string() names its devices can make; the first is
   * the default */
  const char * const       *key_types;
  VouchDriverNameKinds      name_kinds;
  VouchDriverCredentials    credentials;
  VouchDriverIdentityKinds  identity;
  /* the device puts onboarding's nonce into the CSR as its challenge
   * password, so a replayed CSR is refused (the Vouch API does) */
  gboolean                  csr_challenge;
  /* the operator carries the CSR and the chain (the manual driver) */
  gboolean                  by_hand;
} VouchDriverInfo;

/* What onboarding asks a CSR for. */
typedef struct
{
  const char * const *names;       /* subjectAltNames, the first also the CN */
  const char         *key_type;    /* NULL: the driver's default */
  const char         *nonce;       /* set when the driver's info has csr_challenge */
  const char         *organization; /* the root's, for APIs that require a subject */
  gboolean            reuse_key;   /* keep the device's current key */
} VouchCsrRequest;

/* Who the device is, as seen over one TLS connection. */
typedef struct
{
  GTlsCertificate *certificate; /* the chain the device served */
  char            *spki_sha256; /* of its key, lowercase hex */
  char            *device_id;   /* what the device says over that channel, or NULL */
  char            *model;       /* sanitized, or NULL */
} VouchDeviceIdentity;

#define VOUCH_TYPE_DEVICE_IDENTITY (vouch_device_identity_get_type ())
GType                vouch_device_identity_get_type (void);
VouchDeviceIdentity *vouch_device_identity_copy     (const VouchDeviceIdentity *identity);
void                 vouch_device_identity_free     (VouchDeviceIdentity       *identity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchDeviceIdentity, vouch_device_identity_free)

#define VOUCH_TYPE_DEVICE_DRIVER (vouch_device_driver_get_type ())

G_DECLARE_DERIVABLE_TYPE (VouchDeviceDriver, vouch_device_driver, VOUCH, DEVICE_DRIVER, GObject)

struct _VouchDeviceDriverClass
{
  GObjectClass parent_class;

  const VouchDriverInfo *info;

  /* The _finish functions may be NULL when the _async one returns its
   * result from a GTask whose source is the driver. */

  /* Connects (a fresh TLS connection if @new_connection) and says what
   * the device presented. With a pin set, any other key fails with
   * VOUCH_ERROR_KEY_CHANGED. */
  void                 (*identify_async)      (VouchDeviceDriver      *self,
                                               gboolean                new_connection,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
  VouchDeviceIdentity *(*identify_finish)     (VouchDeviceDriver      *self,
                                               GAsyncResult           *result,
                                               GError                **error);
  /* Returns the CSR in PEM. */
  void                 (*request_csr_async)   (VouchDeviceDriver      *self,
                                               const VouchCsrRequest  *request,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
  char                *(*request_csr_finish)  (VouchDeviceDriver      *self,
                                               GAsyncResult           *result,
                                               GError                **error);
  /* @chain_pem is the leaf then the root. Returns once the device took it
   * and (after a reset, for devices that reset) answers again. */
  void                 (*install_chain_async) (VouchDeviceDriver      *self,
                                               const char             *chain_pem,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
  gboolean             (*install_chain_finish)(VouchDeviceDriver      *self,
                                               GAsyncResult           *result,
                                               GError                **error);

  gpointer padding[8];
};

/* The drivers Vouch has, by id; NULL-terminated, "vouch" first. */
const char * const    *vouch_device_driver_list_ids         (void);
const VouchDriverInfo *vouch_device_driver_lookup_info      (const char             *id);
VouchDeviceDriver     *vouch_device_driver_new              (const char             *id,
                                                             const char             *base_url,
                                                             const char             *api_path,
                                                             GError                **error);

const VouchDriverInfo *vouch_device_driver_get_info         (VouchDeviceDriver      *self);
const char            *vouch_device_driver_get_id           (VouchDeviceDriver      *self);
const char            *vouch_device_driver_get_base_url     (VouchDeviceDriver      *self);
const char            *vouch_device_driver_get_api_path     (VouchDeviceDriver      *self);
const char            *vouch_device_driver_get_pin          (VouchDeviceDriver      *self);
void                   vouch_device_driver_set_pin          (VouchDeviceDriver      *self,
                                                             const char             *spki_sha256);
const char            *vouch_device_driver_get_user         (VouchDeviceDriver      *self);
const char            *vouch_device_driver_get_secret       (VouchDeviceDriver      *self);
void                   vouch_device_driver_set_credentials  (VouchDeviceDriver      *self,
                                                             const char             *user,
                                                             const char             *secret);
const char            *vouch_device_driver_get_peer_spki    (VouchDeviceDriver      *self);
guint                  vouch_device_driver_get_timeout      (VouchDeviceDriver      *self);
void                   vouch_device_driver_set_timeout      (VouchDeviceDriver      *self,
                                                             guint                   seconds);
void                   vouch_device_driver_get_settling     (VouchDeviceDriver      *self,
                                                             guint                  *tries,
                                                             guint                  *interval_ms);
gboolean               vouch_device_driver_accepts_key_type (VouchDeviceDriver      *self,
                                                             const char             *key_type);
gboolean               vouch_device_driver_accepts_names    (VouchDeviceDriver      *self,
                                                             const char * const     *names,
                                                             GError                **error);

void                   vouch_device_driver_identify_async   (VouchDeviceDriver      *self,
                                                             gboolean                new_connection,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
VouchDeviceIdentity   *vouch_device_driver_identify_finish  (VouchDeviceDriver      *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                   vouch_device_driver_request_csr_async  (VouchDeviceDriver    *self,
                                                               const VouchCsrRequest *request,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
char                  *vouch_device_driver_request_csr_finish (VouchDeviceDriver    *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void                   vouch_device_driver_install_chain_async  (VouchDeviceDriver  *self,
                                                                 const char         *chain_pem,
                                                                 GCancellable       *cancellable,
                                                                 GAsyncReadyCallback callback,
                                                                 gpointer            user_data);
gboolean               vouch_device_driver_install_chain_finish (VouchDeviceDriver  *self,
                                                                 GAsyncResult       *result,
                                                                 GError            **error);

G_END_DECLS
