/* vouch-trust-layout.h: where each distribution keeps its local trust
 * anchors, and the command that rebuilds its bundle
 *
 * Plain C over GLib only: the privileged helper compiles this file too, so
 * it must not pull in the rest of the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  VOUCH_TRUST_LAYOUT_NONE,
  VOUCH_TRUST_LAYOUT_DEBIAN,
  VOUCH_TRUST_LAYOUT_FEDORA,
  VOUCH_TRUST_LAYOUT_ARCH,
  VOUCH_TRUST_LAYOUT_OPENSUSE,
} VouchTrustLayoutKind;

typedef struct
{
  VouchTrustLayoutKind  kind;
  const char           *name;        /* "debian", "fedora", "arch", "opensuse" */
  const char           *anchor_dir;  /* absolute, without the root prefix */
  const char           *file_name;   /* the one file Vouch ever writes there */
  const char * const   *update_argv; /* absolute program path first */
} VouchTrustLayout;

/* Tests point this at a fake tree; the helper ignores it under pkexec. */
#define VOUCH_SYSTEM_ROOT_ENV "VOUCH_SYSTEM_ROOT"

const VouchTrustLayout *vouch_trust_layout_detect        (const char             *root_prefix);
const VouchTrustLayout *vouch_trust_layout_lookup        (VouchTrustLayoutKind    kind);
char                   *vouch_trust_layout_dup_anchor_dir (const VouchTrustLayout *layout,
                                                           const char             *root_prefix);
char                   *vouch_trust_layout_dup_path      (const VouchTrustLayout *layout,
                                                          const char             *root_prefix);

G_END_DECLS
