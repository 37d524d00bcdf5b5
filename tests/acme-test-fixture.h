/* acme-test-fixture.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "acme-test-client.h"

#include "vouch-acme-open-policy.h"
#include "vouch-acme-server.h"
#include "vouch-acme-store.h"
#include "vouch-authority.h"

G_BEGIN_DECLS

#define P(name) "urn:ietf:params:acme:error:" name

typedef struct
{
  char                *data_dir;
  char                *root_path;
  VouchAuthority      *authority;
  VouchAcmeOpenPolicy *policy;
  VouchAcmeServer     *server;
  AcmeTestClient      *client;
  guint                port;
  VouchAcmePolicy     *policy_override;   /* used instead of policy when set */
} Fixture;

void              start_server       (Fixture            *fixture);
void              stop_server        (Fixture            *fixture);
void              fixture_setup      (Fixture            *fixture,
                                      gconstpointer       data);
void              fixture_teardown   (Fixture            *fixture,
                                      gconstpointer       data);
guint             count_certificates (Fixture            *fixture);
JsonObject       *object             (AcmeTestResponse   *response);
const char       *member             (AcmeTestResponse   *response,
                                      const char         *name);
void              assert_problem     (AcmeTestResponse   *response,
                                      guint               status,
                                      const char         *type);
AcmeTestKey      *new_account        (Fixture            *fixture,
                                      const char         *alg);
AcmeTestResponse *post               (Fixture            *fixture,
                                      AcmeTestKey        *key,
                                      const char         *url,
                                      const char         *payload);
char             *new_order          (Fixture            *fixture,
                                      AcmeTestKey        *key,
                                      const char * const *names);
void              validate_order     (Fixture            *fixture,
                                      AcmeTestKey        *key,
                                      const char         *order_url);
AcmeTestResponse *finalize           (Fixture            *fixture,
                                      AcmeTestKey        *key,
                                      const char         *order_url,
                                      AcmeTestKey        *cert_key,
                                      const char * const *csr_names);
void              begin_processing   (Fixture            *fixture,
                                      VouchAcmeStore     *store,
                                      const char         *order_id,
                                      const char         *csr);

G_END_DECLS
