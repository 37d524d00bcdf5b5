/* redfish-device.h: the Redfish test device's state, shared by its parts
 *
 * redfish-device.c serves the resource tree and sessions;
 * redfish-device-csr.c makes CSRs and takes certificates, through the
 * standard CertificateService and the Dell and HPE OEM actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "device-kit.h"

G_BEGIN_DECLS

typedef enum
{
  FLAVOUR_OPENBMC,
  FLAVOUR_IDRAC,
  FLAVOUR_ILO,
} Flavour;

typedef struct
{
  DeviceKit             *kit;
  Flavour                flavour;
  const char            *manager;
  const char            *vendor;
  const char            *product;
  char                  *uuid;
  guint                  reset_seconds;
  guint                  csr_seconds;
  GHashTable            *sessions;      /* token → Session */

  /* The key of the last CSR, waiting for its certificate. */
  gnutls_x509_privkey_t  pending_key;
  char                  *pending_csr;
  gint64                 csr_ready_at;  /* monotonic µs; until then, busy */
  guint                  csr_requests;

  /* served-late: the chain and key it swaps in a moment after. */
  char                  *late_chain;
  gnutls_x509_privkey_t  late_key;
} RedfishDevice;

extern RedfishDevice rf;

JsonObject *rf_resource            (const char         *id,
                                    const char         *type);
void        rf_link                (JsonObject         *o,
                                    const char         *member,
                                    const char         *id);
void        rf_reply               (SoupServerMessage  *msg,
                                    guint               status,
                                    JsonObject         *o);
void        rf_error               (SoupServerMessage  *msg,
                                    guint               status,
                                    const char         *message_id,
                                    const char         *message,
                                    const char * const *args);
void        rf_missing             (SoupServerMessage  *msg,
                                    const char         *action,
                                    const char         *parameter);
void        rf_busy                (SoupServerMessage  *msg,
                                    guint               seconds);
const char *rf_string              (JsonObject         *o,
                                    const char         *member);
void        rf_csr_made            (void);

void        rf_generate_csr        (SoupServerMessage  *msg);
void        rf_replace_certificate (SoupServerMessage  *msg);
gboolean    rf_oem_route           (SoupServerMessage  *msg,
                                    const char         *method,
                                    const char         *path);

G_END_DECLS
