/* acme-test-client.h: a small ACME client for tests and benchmarks
 *
 * It signs JWS with GnuTLS (gnutls_privkey_sign_data2) and speaks HTTPS
 * with libsoup, and can be told to break any rule so the server's
 * refusals can be tested. Requests run async on the thread-default main
 * context, which it iterates until the answer arrives (bounded), so the
 * server may run in the same thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gnutls/abstract.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  gnutls_privkey_t  key;
  const char       *alg;      /* ES256, ES384, RS256 or EdDSA */
  char             *jwk;      /* JSON */
  char             *thumbprint;
  char             *kid;      /* the account URL once registered */
} AcmeTestKey;

typedef struct
{
  guint       status;
  char       *content_type;
  char       *location;
  char       *nonce;
  char       *retry_after;
  GBytes     *body;
  JsonNode   *json;         /* when the body is JSON */
  const char *problem;      /* the problem type, when it is a problem */
} AcmeTestResponse;

typedef struct
{
  SoupSession *session;
  JsonObject  *directory;
  JsonNode    *directory_node;
  char        *nonce;
  gboolean     reuse;       /* send POSTs on an idle kept-alive connection */
  gboolean     lenient;     /* a failed exchange is status 0, not a failed test */
} AcmeTestClient;

AcmeTestKey      *acme_test_key_new             (const char         *alg,
                                                 guint               rsa_bits);
void              acme_test_key_free            (AcmeTestKey        *key);
char             *acme_test_key_make_csr        (AcmeTestKey        *key,
                                                 const char * const *names);
char             *acme_test_jws                 (AcmeTestKey        *key,
                                                 const char         *alg,
                                                 gboolean            use_kid,
                                                 const char         *nonce,
                                                 const char         *url,
                                                 const char         *payload);
char             *acme_test_b64url              (const void         *data,
                                                 gsize               len);

typedef struct _AcmeTestPending AcmeTestPending;

AcmeTestClient   *acme_test_client_new          (const char         *directory_url,
                                                 const char         *root_pem_path);
AcmeTestClient   *acme_test_client_new_full     (const char         *directory_url,
                                                 const char         *root_pem_path,
                                                 const char         *local_address);
void              acme_test_client_free         (AcmeTestClient     *client);
const char       *acme_test_client_url          (AcmeTestClient     *client,
                                                 const char         *member);
char             *acme_test_client_take_nonce   (AcmeTestClient     *client);
AcmeTestResponse *acme_test_client_request      (AcmeTestClient     *client,
                                                 const char         *method,
                                                 const char         *url,
                                                 const char         *content_type,
                                                 const char         *body,
                                                 gsize               len);
AcmeTestPending  *acme_test_client_start        (AcmeTestClient     *client,
                                                 const char         *method,
                                                 const char         *url,
                                                 const char         *content_type,
                                                 const char         *body,
                                                 gsize               len);
AcmeTestResponse *acme_test_client_wait         (AcmeTestClient     *client,
                                                 AcmeTestPending    *pending);
AcmeTestResponse *acme_test_client_post         (AcmeTestClient     *client,
                                                 AcmeTestKey        *key,
                                                 const char         *url,
                                                 const char         *payload);
AcmeTestResponse *acme_test_client_new_account  (AcmeTestClient     *client,
                                                 AcmeTestKey        *key);
void              acme_test_response_free       (AcmeTestResponse   *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AcmeTestKey, acme_test_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AcmeTestClient, acme_test_client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AcmeTestResponse, acme_test_response_free)

G_END_DECLS
