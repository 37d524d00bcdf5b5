/* vouch-root-ca-private.h: what vouch-root-ca.c shares with
 * vouch-root-ca-pkcs12.c, vouch-root-ca-issue.c and vouch-crl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-root-ca.h"

G_BEGIN_DECLS

/* Certificates are valid from an hour ago, for clocks a little behind. */
#define VOUCH_CLOCK_SKEW_SECONDS (60 * 60)
#define VOUCH_SERIAL_LEN 16

/* Shared by vouch-root-ca.c (the root) and vouch-root-ca-issue.c (what
 * it signs).
 *
 * The key lives here only while it is needed: the authority loads it from
 * the keyring for one operation or one bulk run and drops it with
 * vouch_root_ca_forget_key() (see vouch-authority.c). GnuTLS zeroes key
 * material when the key is freed. */
struct _VouchRootCa
{
  GObject                parent_instance;

  gnutls_x509_crt_t      crt;
  gnutls_pubkey_t        pubkey;
  gnutls_x509_privkey_t  xkey;
  gnutls_privkey_t       key;
  VouchCertificate      *certificate;
  VouchNameConstraints  *constraints;
  gnutls_digest_algorithm_t digest;
  guint8                 key_id[64];
  size_t                 key_id_len;

  /* The extensions of every certificate this root issues that do not
   * depend on the request, encoded once (vouch-root-ca-issue.c): key usage
   * by whether the key is RSA, key purposes by whether client auth is
   * asked for. */
  gnutls_datum_t         leaf_basic_constraints;
  gnutls_datum_t         leaf_key_usage[2];
  gnutls_datum_t         leaf_key_purposes[2];
  gnutls_datum_t         leaf_authority_key_id;
};

VouchRootCa           *_vouch_root_ca_new_take_crt (gnutls_x509_crt_t        crt,
                                                    GError                 **error);
gboolean               _vouch_root_ca_take_key     (VouchRootCa             *self,
                                                    gnutls_x509_privkey_t    xkey,
                                                    GError                 **error);
gboolean               _vouch_root_ca_take_privkey (VouchRootCa             *self,
                                                    gnutls_privkey_t         key,
                                                    GError                 **error);
gnutls_x509_crt_fmt_t  _vouch_root_ca_guess_format (GBytes                  *bytes);
gnutls_x509_crt_t      _vouch_root_ca_get_crt      (VouchRootCa             *self);
gnutls_x509_privkey_t  _vouch_root_ca_get_x509_key (VouchRootCa             *self);
const guint8          *_vouch_root_ca_get_key_id   (VouchRootCa             *self,
                                                    gsize                   *len);

gboolean               _vouch_root_ca_random_serial (guint8                   serial[VOUCH_SERIAL_LEN],
                                                    GError                 **error);
gboolean               _vouch_root_ca_encode_leaf_extensions (VouchRootCa      *self,
                                                             GError          **error);
void                   _vouch_root_ca_clear_leaf_extensions  (VouchRootCa      *self);

G_END_DECLS
