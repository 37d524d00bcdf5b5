/* test-discovery.h: what the discovery test program's files share
 * (test-discovery.c, test-discovery-vouchctl.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "agent-test-util.h"
#include "vouch-inventory.h"

G_BEGIN_DECLS

/* Generous: mDNS probing alone takes most of a second per announcement. */
#define WAIT_SECONDS 30

typedef struct
{
  char           *tmpdir;
  VouchInventory *inventory;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

gboolean   wait_for            (Condition      condition,
                                gpointer       data,
                                guint          seconds);
TestAgent *start_agent         (Fixture       *f,
                                guint          index,
                                const char    *name);

GSubprocess *publish           (const char * const *argv);

/* test-discovery-makers.c: makers' devices, common service types, SSDP */
void       test_guess          (void);
void       test_common_types   (Fixture       *f,
                                gconstpointer  data);
void       test_redfish_ssdp   (Fixture       *f,
                                gconstpointer  data);

void       test_vouchctl       (Fixture       *f,
                                gconstpointer  data);
void       test_vouchctl_watch (Fixture       *f,
                                gconstpointer  data);

G_END_DECLS
