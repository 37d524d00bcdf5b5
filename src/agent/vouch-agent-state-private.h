/* vouch-agent-state-private.h: VouchAgentState's fields, for its two
 * files: vouch-agent-state.c (identity, loading, the API's resources) and
 * vouch-agent-state-enroll.c (CSRs and installing a chain)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-agent-state.h"

G_BEGIN_DECLS

struct _VouchAgentState
{
  GObject          parent_instance;

  char            *state_dir;
  char            *device_id;
  char            *name;
  char            *model;
  char            *host_name;
  char            *address;

  gboolean         identity_is_idevid;
  char            *setup_code;

  /* What TLS presents now: the identity, or the installed chain. */
  char            *current_chain_pem;
  char            *current_key_pem;
  GTlsCertificate *tls_certificate;
  gboolean         enrolled;

  char            *pending_key_pem;
  gboolean         pending_is_current;
};

char     *_vouch_agent_state_path             (VouchAgentState  *self,
                                               const char       *file);
gboolean  _vouch_agent_state_set_current      (VouchAgentState  *self,
                                               const char       *chain_pem,
                                               const char       *key_pem,
                                               GError          **error);
void      _vouch_agent_state_notify_lifecycle (VouchAgentState  *self);

G_END_DECLS
