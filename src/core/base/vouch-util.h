/* vouch-util.h: small helpers shared by the core: GnuTLS cleanups,
 * fingerprints, atomic files, constant-time comparison
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>

G_BEGIN_DECLS

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crq_t, gnutls_x509_crq_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_privkey_t, gnutls_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pubkey_t, gnutls_pubkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs12_t, gnutls_pkcs12_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs12_bag_t, gnutls_pkcs12_bag_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_name_constraints_t,
                                 gnutls_x509_name_constraints_deinit, NULL)

#define VOUCH_SHA256_LEN 32

gboolean  vouch_set_gnutls_error        (GError               **error,
                                         int                    code,
                                         int                    gnutls_result,
                                         const char            *what);
char     *vouch_hex_encode              (const guint8          *data,
                                         gsize                  len,
                                         char                   separator);
gboolean  vouch_pubkey_spki_sha256      (gnutls_pubkey_t        pubkey,
                                         guint8                 out[VOUCH_SHA256_LEN],
                                         GError               **error);
char     *vouch_pubkey_spki_sha256_hex  (gnutls_pubkey_t        pubkey,
                                         GError               **error);
int       vouch_pubkey_compare_numbers  (gnutls_pubkey_t        a,
                                         gnutls_pubkey_t        b);
char     *vouch_crt_sha256_hex          (gnutls_x509_crt_t      crt,
                                         char                   separator);
char     *vouch_crt_serial_hex          (gnutls_x509_crt_t      crt);
char     *vouch_crt_export_pem          (gnutls_x509_crt_t      crt);
GBytes   *vouch_crt_export_der          (gnutls_x509_crt_t      crt);
GDateTime *vouch_date_time_from_unix    (gint64                 unix_time);
gboolean  vouch_write_file_atomic       (const char            *path,
                                         const void            *data,
                                         gsize                  len,
                                         int                    mode,
                                         GError               **error);
gboolean  vouch_secure_equal            (const void            *a,
                                         const void            *b,
                                         gsize                  len);
void      vouch_datum_wipe_free         (gnutls_datum_t        *datum);
void      vouch_bytes_wipe_unref        (GBytes                *bytes);
char     *vouch_data_dir                (void);
gboolean  vouch_set_str                 (char                 **str_pointer,
                                         const char            *new_str);
void      vouch_process_harden          (void);
JsonNode *vouch_json_parse_bounded      (const char            *data,
                                         gsize                  len,
                                         guint                  max_depth,
                                         GError               **error);
void      vouch_json_add_string_member  (JsonBuilder           *builder,
                                         const char            *member,
                                         const char            *value);

G_END_DECLS
