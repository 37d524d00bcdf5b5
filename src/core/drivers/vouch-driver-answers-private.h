/* vouch-driver-answers-private.h: how the Redfish and Axis drivers read a
 * device's answer, apart from the transport, so tests/fuzz/fuzz-redfish-json
 * and fuzz-axis-json can feed them any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-driver-private.h"

G_BEGIN_DECLS

/* vouch-redfish-call.c */
JsonObject *_vouch_redfish_parse_answer (GBytes      *body,
                                         GError     **error);
char       *_vouch_redfish_message      (GBytes      *body);

/* vouch-axis-driver.c */
JsonObject *_vouch_axis_parse_envelope  (GBytes      *body);
char       *_vouch_axis_message         (JsonObject  *answer);
gboolean    _vouch_axis_answer_ok       (JsonObject  *answer,
                                         const char  *doing,
                                         GError     **error);

G_END_DECLS
