/* vouch-agent-state.h: what a device knows about itself, kept on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "vouch-key-type.h"

G_BEGIN_DECLS

#define VOUCH_AGENT_ERROR (vouch_agent_error_quark ())

/**
 * VouchAgentError:
 *
 * Why the agent refused a request; each maps to one problem type of the
 * device API (docs/device-api.md).
 */
typedef enum
{
  VOUCH_AGENT_ERROR_FAILED,
  VOUCH_AGENT_ERROR_BAD_NAME,
  VOUCH_AGENT_ERROR_NO_PENDING_KEY,
  VOUCH_AGENT_ERROR_KEY_MISMATCH,
  VOUCH_AGENT_ERROR_NOT_A_CERTIFICATE,
  VOUCH_AGENT_ERROR_BAD_CHAIN,
} VouchAgentError;

GQuark vouch_agent_error_quark (void);

#define VOUCH_TYPE_AGENT_STATE (vouch_agent_state_get_type ())

G_DECLARE_FINAL_TYPE (VouchAgentState, vouch_agent_state, VOUCH, AGENT_STATE, GObject)

VouchAgentState *vouch_agent_state_new                 (const char          *state_dir,
                                                        const char          *name,
                                                        const char          *model,
                                                        const char          *host_name,
                                                        const char          *address);
gboolean         vouch_agent_state_load                (VouchAgentState     *self,
                                                        const char          *identity_cert_file,
                                                        const char          *identity_key_file,
                                                        GError             **error);
const char      *vouch_agent_state_get_device_id       (VouchAgentState     *self);
const char      *vouch_agent_state_get_name            (VouchAgentState     *self);
const char      *vouch_agent_state_get_model           (VouchAgentState     *self);
const char      *vouch_agent_state_get_host_name       (VouchAgentState     *self);
void             vouch_agent_state_set_host_name       (VouchAgentState     *self,
                                                        const char          *host_name);
const char      *vouch_agent_state_get_address         (VouchAgentState     *self);
const char      *vouch_agent_state_get_setup_code      (VouchAgentState     *self);
char            *vouch_agent_state_dup_qr_payload      (VouchAgentState     *self);
const char      *vouch_agent_state_get_lifecycle       (VouchAgentState     *self);
char            *vouch_agent_state_dup_fp_hint         (VouchAgentState     *self);
GTlsCertificate *vouch_agent_state_get_tls_certificate (VouchAgentState     *self);
JsonNode        *vouch_agent_state_build_info          (VouchAgentState     *self);
JsonNode        *vouch_agent_state_build_status        (VouchAgentState     *self);
JsonNode        *vouch_agent_state_build_certificate   (VouchAgentState     *self);
void             vouch_agent_state_create_csr_async    (VouchAgentState     *self,
                                                        VouchKeyType         key_type,
                                                        gboolean             use_current_key,
                                                        const char          *nonce,
                                                        const char * const  *extra_names,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char            *vouch_agent_state_create_csr_finish   (VouchAgentState     *self,
                                                        GAsyncResult        *result,
                                                        VouchKeyType        *out_key_type,
                                                        GError             **error);
gboolean         vouch_agent_state_install_chain       (VouchAgentState     *self,
                                                        const char          *chain_pem,
                                                        GError             **error);

G_END_DECLS
