/* bench-acme-stack.h: what bench-acme-stack's server uses from its
 * other two files: reading a request's JWS (bench-acme-stack-jws.c) and
 * making its TLS certificate (bench-acme-stack-tls.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* One POST's JWS, parsed. */
typedef struct
{
  JsonNode   *node;          /* the flattened JWS */
  JsonNode   *header_node;
  JsonObject *header;
  GBytes     *payload;
  GBytes     *signature;
  JsonNode   *payload_node;  /* NULL for POST-as-GET */
} Jws;

void             stack_jws_clear      (Jws                *jws);
const char      *stack_jws_parse      (SoupServerMessage  *msg,
                                       const char         *request_url,
                                       Jws                *jws,
                                       const char        **detail);
GBytes          *stack_b64url_decode  (const char         *text);
const char      *stack_string_member  (JsonObject         *object,
                                       const char         *name);
GTlsCertificate *stack_make_tls       (GInetAddress       *address,
                                       const char         *ca_out,
                                       char              **chain,
                                       GError            **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Jws, stack_jws_clear)

G_END_DECLS
