/* vouch-axis-soap.h: the SOAP calls of Axis firmware without the REST
 * certificate API (VAPIX web services on /vapix/services, ONVIF Device
 * Management on /onvif/device_service): building the requests, sending
 * them through the driver's pinned client and reading the answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-device-driver-private.h"

G_BEGIN_DECLS

#define VOUCH_AXIS_SOAP_VAPIX "/vapix/services"
#define VOUCH_AXIS_SOAP_ONVIF "/onvif/device_service"

/* One tt:Certificate of tds:GetCertificatesResponse. */
typedef struct
{
  char   *id;   /* tt:CertificateID, sanitized */
  GBytes *der;  /* tt:Certificate/tt:Data, decoded */
} VouchAxisSoapCertificate;

/* What an answer says; members the answer lacks are NULL. */
typedef struct
{
  char      *operation;      /* the local name of the Body's first element */
  char      *fault_code;     /* Code/Value (SOAP 1.2) or faultcode (1.1), local name */
  char      *fault_subcode;  /* the innermost Subcode/Value, local name */
  char      *fault_reason;   /* Reason/Text or faultstring */
  GBytes    *pkcs10;         /* Pkcs10Request/Data, decoded (DER or PEM) */
  GPtrArray *certificates;   /* of VouchAxisSoapCertificate */
} VouchAxisSoapAnswer;

void                 vouch_axis_soap_answer_free          (VouchAxisSoapAnswer  *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VouchAxisSoapAnswer, vouch_axis_soap_answer_free)

/* Requests: whole SOAP 1.2 envelopes, every value escaped. */
char                *vouch_axis_soap_create_certificate2  (const char           *id,
                                                           const char           *common_name,
                                                           GDateTime            *not_before,
                                                           GDateTime            *not_after);
char                *vouch_axis_soap_get_pkcs10_request   (const char           *id,
                                                           const char           *common_name);
char                *vouch_axis_soap_get_certificates     (void);
char                *vouch_axis_soap_load_certificates    (const char           *id,
                                                           GBytes               *der);
char                *vouch_axis_soap_set_web_server_tls   (const char           *id);

/* Answers. */
VouchAxisSoapAnswer *vouch_axis_soap_parse                (const char           *data,
                                                           gsize                 len,
                                                           GError              **error);
gboolean             vouch_axis_soap_check                (VouchAxisSoapAnswer  *answer,
                                                           const char           *operation,
                                                           const char           *doing,
                                                           GError              **error);
char                *vouch_axis_soap_pkcs10_pem           (VouchAxisSoapAnswer  *answer,
                                                           const char           *key_type,
                                                           GError              **error);
char                *vouch_axis_soap_find_certificate     (VouchAxisSoapAnswer  *answer,
                                                           const char           *key_sha256);
GBytes              *vouch_axis_soap_leaf_der             (const char           *chain_pem);

/* One call: POST @envelope (taken) to @path, the answer parsed and
 * checked to be @operation's response; a SOAP fault, or an HTTP error,
 * is the error, in the operator's words. */
void                 vouch_axis_soap_call_async           (VouchDeviceDriver    *driver,
                                                           const char           *path,
                                                           char                 *envelope,
                                                           const char           *operation,
                                                           const char           *doing,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
VouchAxisSoapAnswer *vouch_axis_soap_call_finish          (VouchDeviceDriver    *driver,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
