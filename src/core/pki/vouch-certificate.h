/* vouch-certificate.h: a certificate as Vouch shows and records it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gnutls/x509.h>

G_BEGIN_DECLS

typedef enum
{
  VOUCH_CERTIFICATE_STATUS_ISSUED,
  VOUCH_CERTIFICATE_STATUS_ACTIVE,
  VOUCH_CERTIFICATE_STATUS_SUPERSEDED,
  VOUCH_CERTIFICATE_STATUS_REVOKED,
} VouchCertificateStatus;

#define VOUCH_TYPE_CERTIFICATE_STATUS (vouch_certificate_status_get_type ())
GType vouch_certificate_status_get_type (void);

#define VOUCH_TYPE_CERTIFICATE (vouch_certificate_get_type ())

G_DECLARE_FINAL_TYPE (VouchCertificate, vouch_certificate, VOUCH, CERTIFICATE, GObject)

VouchCertificate       *vouch_certificate_new_from_pem        (const char             *pem,
                                                               gssize                  len,
                                                               GError                **error);
VouchCertificate       *vouch_certificate_new_from_der        (GBytes                 *der,
                                                               GError                **error);
VouchCertificate       *vouch_certificate_new_from_crt        (gnutls_x509_crt_t       crt,
                                                               GError                **error);
VouchCertificate       *vouch_certificate_new_from_signed     (gnutls_x509_crt_t       crt,
                                                               const gnutls_datum_t   *der,
                                                               const char             *common_name,
                                                               gboolean                is_ca,
                                                               const char             *issuer,
                                                               const char * const     *names,
                                                               const char             *key_sha256,
                                                               const char             *key_description,
                                                               GError                **error);
const char             *vouch_certificate_get_serial          (VouchCertificate       *self);
const char             *vouch_certificate_get_subject         (VouchCertificate       *self);
const char             *vouch_certificate_get_issuer          (VouchCertificate       *self);
const char * const     *vouch_certificate_get_names           (VouchCertificate       *self);
gint64                  vouch_certificate_get_not_before      (VouchCertificate       *self);
gint64                  vouch_certificate_get_not_after       (VouchCertificate       *self);
const char             *vouch_certificate_get_sha256          (VouchCertificate       *self);
const char             *vouch_certificate_get_key_sha256      (VouchCertificate       *self);
const char             *vouch_certificate_get_key_description (VouchCertificate       *self);
gboolean                vouch_certificate_get_is_ca           (VouchCertificate       *self);
const char             *vouch_certificate_get_pem             (VouchCertificate       *self);
const char             *vouch_certificate_get_device_id       (VouchCertificate       *self);
void                    vouch_certificate_set_device_id       (VouchCertificate       *self,
                                                               const char             *device_id);
VouchCertificateStatus  vouch_certificate_get_status          (VouchCertificate       *self);
void                    vouch_certificate_set_status          (VouchCertificate       *self,
                                                               VouchCertificateStatus  status);
const char             *vouch_certificate_status_to_string    (VouchCertificateStatus  status);
gboolean                vouch_certificate_status_from_string  (const char             *text,
                                                               VouchCertificateStatus *status);

G_END_DECLS
