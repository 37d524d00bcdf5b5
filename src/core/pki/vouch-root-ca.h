/* vouch-root-ca.h: the local root certificate authority
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-certificate.h"
#include "vouch-key-type.h"
#include "vouch-name-constraints.h"
#include "vouch-signing-request.h"

G_BEGIN_DECLS

#define VOUCH_ROOT_VALIDITY_DAYS 3652
#define VOUCH_LEAF_DEFAULT_DAYS 397
#define VOUCH_LEAF_MAX_DAYS 825
/* The most PBKDF2 (or PKCS#12 MAC) iterations a PKCS#12 file may ask for:
 * far above what real tools write (OpenSSL 2,048, GnuTLS and Vouch's own
 * backups 600,000), low enough that a hostile file cannot hang an import. */
#define VOUCH_PKCS12_MAX_ITERATIONS 10000000

typedef enum
{
  VOUCH_ISSUE_FLAGS_NONE        = 0,
  VOUCH_ISSUE_FLAGS_CLIENT_AUTH = 1 << 0,
} VouchIssueFlags;

#define VOUCH_TYPE_ROOT_CA (vouch_root_ca_get_type ())

G_DECLARE_FINAL_TYPE (VouchRootCa, vouch_root_ca, VOUCH, ROOT_CA, GObject)

VouchRootCa          *vouch_root_ca_generate           (const char            *name,
                                                        VouchKeyType           key_type,
                                                        VouchNameConstraints  *constraints,
                                                        GError               **error);
VouchRootCa          *vouch_root_ca_generate_with_key  (const char            *name,
                                                        VouchKeyType           key_type,
                                                        VouchNameConstraints  *constraints,
                                                        gnutls_privkey_t       signer,
                                                        GError               **error);
VouchRootCa          *vouch_root_ca_new_from_pem       (const char            *pem,
                                                        gsize                  len,
                                                        GError               **error);
VouchRootCa          *vouch_root_ca_import             (GBytes                *cert,
                                                        GBytes                *key,
                                                        const char            *key_passphrase,
                                                        GError               **error);
VouchRootCa          *vouch_root_ca_import_pkcs12      (GBytes                *pkcs12,
                                                        const char            *passphrase,
                                                        GError               **error);
GBytes               *vouch_root_ca_export_pkcs12      (VouchRootCa           *self,
                                                        const char            *passphrase,
                                                        GError               **error);
gboolean              vouch_root_ca_load_key           (VouchRootCa           *self,
                                                        const char            *pkcs8_pem,
                                                        GError               **error);
gboolean              vouch_root_ca_export_key         (VouchRootCa           *self,
                                                        gnutls_datum_t        *out_pkcs8_pem,
                                                        GError               **error);
gboolean              vouch_root_ca_has_key            (VouchRootCa           *self);
void                  vouch_root_ca_forget_key         (VouchRootCa           *self);
VouchCertificate     *vouch_root_ca_get_certificate    (VouchRootCa           *self);
VouchNameConstraints *vouch_root_ca_get_constraints    (VouchRootCa           *self);
const char           *vouch_root_ca_get_sha256         (VouchRootCa           *self);
char                 *vouch_root_ca_dup_pem            (VouchRootCa           *self);
GBytes               *vouch_root_ca_dup_der            (VouchRootCa           *self);
VouchCertificate     *vouch_root_ca_issue              (VouchRootCa           *self,
                                                        VouchSigningRequest   *request,
                                                        guint                  days,
                                                        VouchIssueFlags        flags,
                                                        GError               **error);
gboolean              vouch_root_ca_sign_crl           (VouchRootCa           *self,
                                                        gnutls_x509_crl_t      crl,
                                                        GError               **error);

/* Also for a device's key and certificate handed over by hand
 * (drivers/vouch-key-bundle.c). */
GBytes *vouch_pkcs12_write (gnutls_x509_crt_t      crt,
                            gnutls_x509_privkey_t  key,
                            const gnutls_datum_t  *key_id,
                            const char            *friendly_name,
                            const char            *passphrase,
                            const char            *failure,
                            GError               **error);

G_END_DECLS
