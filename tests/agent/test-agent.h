/* test-agent.h: what the two files of the agent test program share:
 * test-agent.c (starting, identity, authentication, renaming, IDevID,
 * options) and test-agent-exchange.c (the certificate exchange: CSRs,
 * installing a certificate, malformed requests)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "agent-test-util.h"

G_BEGIN_DECLS

typedef struct
{
  char   *tmpdir;
  char   *state_dir;
  TestCa *ca;
} Fixture;

extern const char * const no_mdns[];

char *read_state_file          (Fixture       *f,
                                const char    *name);
char *get_lifecycle            (TestAgent     *agent);
char *served_leaf_sha256       (TestAgent     *agent);

void  test_csr                 (Fixture       *f,
                                gconstpointer  data);
void  test_install             (Fixture       *f,
                                gconstpointer  data);
void  test_install_current_key (Fixture       *f,
                                gconstpointer  data);
void  test_malformed           (Fixture       *f,
                                gconstpointer  data);

G_END_DECLS
