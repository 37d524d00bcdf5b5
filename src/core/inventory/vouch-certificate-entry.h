/* vouch-certificate-entry.h: one row of the certificate inventory view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-certificate.h"
#include "vouch-expiry.h"

G_BEGIN_DECLS

/**
 * VouchRevocationReason:
 *
 * RFC 5280's CRLReason codes, with their numeric values.
 */
typedef enum
{
  VOUCH_REVOCATION_UNSPECIFIED            = 0,
  VOUCH_REVOCATION_KEY_COMPROMISE         = 1,
  VOUCH_REVOCATION_CA_COMPROMISE          = 2,
  VOUCH_REVOCATION_AFFILIATION_CHANGED    = 3,
  VOUCH_REVOCATION_SUPERSEDED             = 4,
  VOUCH_REVOCATION_CESSATION_OF_OPERATION = 5,
  VOUCH_REVOCATION_CERTIFICATE_HOLD       = 6,
  VOUCH_REVOCATION_PRIVILEGE_WITHDRAWN    = 9,
} VouchRevocationReason;

#define VOUCH_TYPE_REVOCATION_REASON (vouch_revocation_reason_get_type ())
GType vouch_revocation_reason_get_type (void);

const char *vouch_revocation_reason_to_string   (VouchRevocationReason  reason);
gboolean    vouch_revocation_reason_from_string (const char            *text,
                                                 VouchRevocationReason *out_reason);
const char *vouch_revocation_reason_describe    (VouchRevocationReason  reason);

#define VOUCH_TYPE_CERTIFICATE_ENTRY (vouch_certificate_entry_get_type ())

G_DECLARE_FINAL_TYPE (VouchCertificateEntry, vouch_certificate_entry, VOUCH, CERTIFICATE_ENTRY, GObject)

VouchCertificateEntry  *vouch_certificate_entry_new                   (VouchCertificate       *certificate,
                                                                       const char             *device_name,
                                                                       gint64                  revoked_at,
                                                                       VouchRevocationReason   reason,
                                                                       gint64                  now);
VouchCertificate       *vouch_certificate_entry_get_certificate       (VouchCertificateEntry  *self);
const char             *vouch_certificate_entry_get_device_name       (VouchCertificateEntry  *self);
const char             *vouch_certificate_entry_get_names_text        (VouchCertificateEntry  *self);
gint64                  vouch_certificate_entry_get_revoked_at        (VouchCertificateEntry  *self);
VouchRevocationReason   vouch_certificate_entry_get_revocation_reason (VouchCertificateEntry  *self);
VouchExpiryClass        vouch_certificate_entry_get_expiry_class      (VouchCertificateEntry  *self);
int                     vouch_certificate_entry_get_days_left         (VouchCertificateEntry  *self);
const char             *vouch_certificate_entry_get_expiry_text       (VouchCertificateEntry  *self);
const char             *vouch_certificate_entry_get_status_label      (VouchCertificateEntry  *self);
gboolean                vouch_certificate_entry_get_in_use            (VouchCertificateEntry  *self);
gboolean                vouch_certificate_entry_get_signed_by_hand    (VouchCertificateEntry  *self);
void                    vouch_certificate_entry_set_replaced          (VouchCertificateEntry  *self,
                                                                       gboolean                replaced);

G_END_DECLS
