/* vouch-test-util.h: building test inputs with GnuTLS, running tools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>

#include "vouch-authority.h"

G_BEGIN_DECLS

typedef enum
{
  TEST_KEY_P256,
  TEST_KEY_P384,
  TEST_KEY_P521,
  TEST_KEY_RSA1024,
  TEST_KEY_RSA2048,
  TEST_KEY_DSA,
  TEST_KEY_ED25519,
} TestKeyKind;

typedef struct
{
  TestKeyKind         key;
  const char         *common_name;
  const char * const *dns_names;
  const char * const *addresses;
  const char         *email;
  const char         *challenge;
  gboolean            ask_ca;
} TestCsrSpec;

char     *vouch_test_make_csr          (const TestCsrSpec  *spec);
char     *vouch_test_make_simple_csr   (const char         *name);
void      vouch_test_set_child_env     (const char         *name,
                                        const char         *value);
gboolean  vouch_test_run               (const char * const *argv,
                                        const char         *stdin_text,
                                        char              **out_stdout,
                                        char              **out_stderr,
                                        int                *out_status);
char     *vouch_test_vouchctl          (const char         *stdin_text,
                                        int                *out_status,
                                        char              **out_stderr,
                                        ...) G_GNUC_NULL_TERMINATED;
char     *vouch_test_write_temp        (const char         *name,
                                        const char         *contents,
                                        gssize              len);
void      vouch_test_key_secrets       (const char         *pem,
                                        GBytes            **out_pkcs8_der,
                                        GBytes            **out_scalar);
GPtrArray *vouch_test_key_needles     (const char         *pkcs8_pem);
void      vouch_test_assert_tree_clean (const char         *dir,
                                        GPtrArray          *needles);
void      vouch_test_await_last_ref    (gpointer            object);
guint    *vouch_test_count_handshakes  (void);
void      vouch_test_store_result_cb   (GObject            *object,
                                        GAsyncResult       *result,
                                        gpointer            user_data);
GAsyncResult *vouch_test_wait_result   (GAsyncResult      **slot,
                                        guint               seconds);
JsonNode *vouch_test_parse_json        (const char         *text);
char     *vouch_test_avahi_unescape    (const char         *text);

/* The fixture most tests share: an authority in a folder of its own under
 * $VOUCH_TEST_TMPDIR (which tests/run-with-keyring.sh makes per test). */
char           *vouch_test_fresh_dir           (const char     *prefix);
VouchAuthority *vouch_test_authority_new       (const char     *dir,
                                                const char     *root_name,
                                                gboolean        loopback);
char           *vouch_test_write_root          (VouchAuthority *authority,
                                                const char     *dir,
                                                const char     *basename);
void            vouch_test_finalize_authority  (VouchAuthority *authority);

G_END_DECLS

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  GBytes     *bytes;
  int         code;     /* a VouchPolicyError */
  const char *fragment; /* a piece of the message the operator sees */
} BadCsr;

GPtrArray *vouch_test_bad_csr_corpus (void);
void       bad_csr_free              (BadCsr *bad);

G_END_DECLS
