/* vouch-agent-server.h: the device API over HTTPS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vouch-agent-state.h"

G_BEGIN_DECLS

#define VOUCH_AGENT_API_PATH       "/vouch/v1"
#define VOUCH_AGENT_MAX_BODY       (64 * 1024)
#define VOUCH_AGENT_MAX_JSON_DEPTH 8
#define VOUCH_AGENT_PROBLEM_URI    "https://vouchpki.github.io/problems/"

#define VOUCH_TYPE_AGENT_SERVER (vouch_agent_server_get_type ())

G_DECLARE_FINAL_TYPE (VouchAgentServer, vouch_agent_server, VOUCH, AGENT_SERVER, GObject)

VouchAgentServer *vouch_agent_server_new    (VouchAgentState   *state,
                                             const char        *admin_token);
gboolean          vouch_agent_server_listen (VouchAgentServer  *self,
                                             const char        *address,
                                             guint              port,
                                             GError           **error);
guint             vouch_agent_server_get_port (VouchAgentServer *self);

G_END_DECLS
