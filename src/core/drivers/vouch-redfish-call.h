/* vouch-redfish-call.h: one Redfish conversation (session, requests,
 * retries, the session's end), shared by the CSR and install flows of
 * vouch-redfish-driver.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-driver-private.h"
#include "vouch-redfish-driver.h"

G_BEGIN_DECLS

typedef enum
{
  VOUCH_REDFISH_VENDOR_STANDARD,
  VOUCH_REDFISH_VENDOR_DELL,
  VOUCH_REDFISH_VENDOR_HPE,
} VouchRedfishVendor;

typedef struct _VouchRedfishCall VouchRedfishCall;

/* What to do with a successful answer; @answer is never NULL (an empty
 * body is an empty object). */
typedef void (*VouchRedfishStep) (GTask               *task,
                                  JsonObject          *answer,
                                  VouchDeviceResponse *response);

struct _VouchRedfishCall
{
  VouchDeviceDriver  *driver;
  guint               poll_ms;

  /* the session: a token and its URI, or Basic auth on every request */
  char               *token;
  char               *session_uri;
  gboolean            basic;
  gboolean            relogged;

  /* what was found on the way */
  VouchRedfishVendor  vendor;
  char               *manager_uri;
  char               *collection_uri;
  char               *certificate_uri;
  char               *oem_uri;

  /* the request being sent, kept to send it again after a busy answer or
   * an expired session */
  char               *method;
  char               *path;
  JsonNode           *body;
  VouchRedfishStep    step;
  const char         *doing;
  guint               busy_retries;

  /* where the flow goes on once the manager's certificates are found */
  void              (*discovered) (GTask *task);
  guint               polls;

  /* the flow's own data */
  char              **names;
  char               *key_type;
  char               *chain_pem;
  char               *new_key_sha256;
  char               *result;
  gint64              deadline;
  guint               timeout_id;
};

VouchRedfishCall *_vouch_redfish_call_new        (VouchDeviceDriver *driver,
                                                  guint              poll_ms);
void              _vouch_redfish_call_free       (VouchRedfishCall  *call);
gboolean          _vouch_redfish_is_path         (const char        *path);
const char       *_vouch_redfish_link            (JsonObject        *object,
                                                  const char        *member);
void              _vouch_redfish_login           (GTask             *task,
                                                  VouchRedfishStep   then);
void              _vouch_redfish_send            (GTask             *task,
                                                  const char        *method,
                                                  const char        *path,
                                                  JsonNode          *body,
                                                  const char        *doing,
                                                  VouchRedfishStep   step);
void              _vouch_redfish_later           (GTask             *task,
                                                  guint              milliseconds,
                                                  GSourceFunc        again);
void              _vouch_redfish_end_session     (GTask             *task,
                                                  void             (*then) (GTask *task));
void              _vouch_redfish_finish          (GTask             *task,
                                                  GError            *error);

G_END_DECLS
