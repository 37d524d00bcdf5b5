/* vouch-agent-crypto-private.h: the agent's key, CSR and chain helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vouch-key-type.h"
#include "vouch-util.h"

G_BEGIN_DECLS

/* A CSR to make in a worker thread, on copies of what it needs: with
 * @current_key_pem for that key, else for a new key of @key_type.  The
 * thread fills in @key_pem, @csr_pem and the actual @key_type. */
typedef struct
{
  VouchKeyType  key_type;
  gboolean      use_current_key;
  char         *current_key_pem;
  char         *nonce;
  GStrv         names;

  char         *key_pem;
  char         *csr_pem;
} CsrJob;

char                 *_vouch_agent_key_export_pem      (gnutls_x509_privkey_t       key,
                                                        GError                    **error);
gnutls_x509_privkey_t _vouch_agent_key_import_pem      (const char                 *pem,
                                                        GError                    **error);
gnutls_x509_privkey_t _vouch_agent_key_generate        (VouchKeyType                key_type,
                                                        GError                    **error);
gboolean              _vouch_agent_key_pem_spki_sha256 (const char                 *key_pem,
                                                        guint8                      out[VOUCH_SHA256_LEN],
                                                        GError                    **error);
gboolean              _vouch_agent_crt_spki_sha256     (gnutls_x509_crt_t           crt,
                                                        guint8                      out[VOUCH_SHA256_LEN],
                                                        GError                    **error);
char                 *_vouch_agent_self_signed_pem     (gnutls_x509_privkey_t       key,
                                                        const char                 *cn,
                                                        const char * const         *names,
                                                        GError                    **error);
char                 *_vouch_agent_csr_create          (gnutls_x509_privkey_t       key,
                                                        gnutls_digest_algorithm_t   digest,
                                                        const char                 *nonce,
                                                        const char * const         *names,
                                                        GError                    **error);
gboolean              _vouch_agent_chain_parse         (const char                 *pem,
                                                        gnutls_x509_crt_t         **out_crts,
                                                        unsigned int               *out_n,
                                                        GError                    **error);
char                 *_vouch_agent_chain_export        (gnutls_x509_crt_t          *crts,
                                                        unsigned int                n);
void                  _vouch_agent_chain_free          (gnutls_x509_crt_t          *crts,
                                                        unsigned int                n);
gnutls_x509_crt_t     _vouch_agent_chain_import_leaf   (const char                 *chain_pem);
JsonNode             *_vouch_agent_chain_describe      (const char                 *chain_pem);
void                  _vouch_agent_wipe_free           (char                       *secret);
void                  _vouch_agent_csr_job_free        (CsrJob                     *job);
void                  _vouch_agent_csr_job_run         (GTask                      *task,
                                                        gpointer                    source_object,
                                                        gpointer                    task_data,
                                                        GCancellable               *cancellable);

G_END_DECLS
