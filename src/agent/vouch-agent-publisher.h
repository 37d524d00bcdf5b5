/* vouch-agent-publisher.h: announcing the device with DNS-SD over mDNS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vouch-agent-state.h"

G_BEGIN_DECLS

#define VOUCH_AGENT_SERVICE_TYPE "_vouch._tcp"

#define VOUCH_TYPE_AGENT_PUBLISHER (vouch_agent_publisher_get_type ())

G_DECLARE_FINAL_TYPE (VouchAgentPublisher, vouch_agent_publisher, VOUCH, AGENT_PUBLISHER, GObject)

VouchAgentPublisher *vouch_agent_publisher_new              (VouchAgentState     *state,
                                                             guint                port);
gboolean             vouch_agent_publisher_start            (VouchAgentPublisher *self,
                                                             GError             **error);
void                 vouch_agent_publisher_stop             (VouchAgentPublisher *self);

G_END_DECLS
