/* agent-test-util.h: running real vouch-agent processes from tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vouch-device.h"
#include "vouch-util.h"

G_BEGIN_DECLS

#define TEST_ADMIN_TOKEN "test-admin-token-0123456789"

typedef struct
{
  GSubprocess *process;
  char        *state_dir;
  char        *address;
  char        *host_name;
  guint        port;
  char        *setup_code;
  char        *device_id;

  /* When set, TLS must present exactly this certificate (PEM); otherwise
   * its key must match the setup code, as Vouch checks a new device. */
  char        *pinned_pem;
  /* The certificate the last connection presented. */
  GTlsCertificate *last_peer;
} TestAgent;

typedef struct
{
  guint                status;
  JsonNode            *json;
  SoupMessageHeaders  *headers;
  char                *content_type;
} TestResponse;

void          test_require_private_lan   (void);
TestAgent    *test_agent_start           (const char          *state_dir,
                                          const char          *address,
                                          const char * const  *extra_args);
GPtrArray    *test_agents_start_named    (const char          *state_name,
                                          const char          *network,
                                          guint                n_agents,
                                          const char * const  *names,
                                          const char * const  *hosts,
                                          const char * const  *admin_tokens);
TestAgent    *test_agent_start_program   (const char          *program,
                                          const char          *state_dir,
                                          const char          *address,
                                          const char * const  *extra_args);
VouchDevice  *test_agent_new_device      (TestAgent           *agent);
void          test_agent_stop            (TestAgent           *agent);
void          test_agent_free            (TestAgent           *agent);
SoupMessage  *test_agent_new_message     (TestAgent           *agent,
                                          const char          *method,
                                          const char          *path,
                                          const char          *token,
                                          const char          *body,
                                          gssize               body_len);
TestResponse *test_agent_request         (TestAgent           *agent,
                                          const char          *method,
                                          const char          *path,
                                          const char          *token,
                                          const char          *body,
                                          gssize               body_len);
void          test_response_free         (TestResponse        *response);
const char   *test_response_get_string   (TestResponse        *response,
                                          const char          *member);
void          test_assert_problem        (TestResponse        *response,
                                          guint                status,
                                          const char          *slug);
char         *test_make_nonce            (gsize                bytes);
char         *test_request_csr           (TestAgent           *agent,
                                          const char          *extra_json);
TestResponse *test_agent_install_chain   (TestAgent           *agent,
                                          const char          *chain);
char         *test_run                   (const char * const  *argv,
                                          const char          *input,
                                          int                 *out_status);
char         *test_crt_pem_to_der_hex    (const char          *pem);
char         *test_agent_person_does     (TestAgent           *agent,
                                          const char          *method,
                                          const char          *path,
                                          const char          *content_type,
                                          const char          *body);

/* A throwaway CA, so tests can issue chains. */
typedef struct
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t     crt;
  char                 *pem;
} TestCa;

TestCa       *test_ca_new                (const char          *cn);
void          test_ca_free               (TestCa              *ca);
char         *test_ca_sign_csr           (TestCa              *ca,
                                          const char          *csr_pem);
char         *test_ca_issue_for_new_key  (TestCa              *ca,
                                          const char          *cn,
                                          char               **out_key_pem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestAgent, test_agent_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestResponse, test_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestCa, test_ca_free)

G_END_DECLS
