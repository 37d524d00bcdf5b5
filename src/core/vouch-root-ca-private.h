/* vouch-root-ca-private.h: what vouch-root-ca.c shares with
 * vouch-root-ca-pkcs12.c and vouch-crl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-root-ca.h"

G_BEGIN_DECLS

VouchRootCa           *_vouch_root_ca_new_take_crt (gnutls_x509_crt_t        crt,
                                                    GError                 **error);
gboolean               _vouch_root_ca_take_key     (VouchRootCa             *self,
                                                    gnutls_x509_privkey_t    xkey,
                                                    GError                 **error);
gnutls_x509_crt_fmt_t  _vouch_root_ca_guess_format (GBytes                  *bytes);
gnutls_x509_crt_t      _vouch_root_ca_get_crt      (VouchRootCa             *self);
gnutls_x509_privkey_t  _vouch_root_ca_get_x509_key (VouchRootCa             *self);
const guint8          *_vouch_root_ca_get_key_id   (VouchRootCa             *self,
                                                    gsize                   *len);

G_END_DECLS
