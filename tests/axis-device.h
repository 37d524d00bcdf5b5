/* axis-device.h: what the Axis test camera's REST part (axis-device.c)
 * and its SOAP part (axis-device-soap.c) share
 *
 * Test code, never product code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "device-kit.h"

G_BEGIN_DECLS

/* One certificate with its key in the camera's keystore, by alias (the
 * REST API's name) or Id (the SOAP services' and ONVIF's name for the
 * same thing). */
typedef struct
{
  char                  *alias;
  char                  *keystore;
  gnutls_x509_privkey_t  key;
  char                  *certificate;
} AxisEntry;

extern DeviceKit  *axis_kit;
extern GHashTable *axis_entries;  /* alias → AxisEntry */

AxisEntry *axis_entry_new              (const char        *alias,
                                        const char        *algorithm,
                                        guint              bits_or_curve,
                                        const char        *common_name,
                                        const char * const *names);
void       axis_entry_free             (AxisEntry         *e);
gboolean   axis_parse_subject          (char              *copy,
                                        DeviceKitSubject  *subject);

void       axis_device_handle_services (SoupServerMessage *msg);
void       axis_device_handle_onvif    (SoupServerMessage *msg);

G_END_DECLS
