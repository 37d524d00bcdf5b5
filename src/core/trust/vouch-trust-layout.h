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
  /* What makes the distribution's tools forget a removed anchor, when
   * update_argv alone does not; %NULL when it does. */
  const char * const   *remove_argv;
  /* Where the update command links each anchor, under what name, and the
   * bundle it writes: every place a client may still find the root. */
  const char           *links_dir;
  const char           *link_name;
  const char           *bundle;
  /* The Java keystore the update command fills from the anchors. */
  const char           *java_keystore;
  /* Programs the update command tells which links it added or removed
   * ("+PATH" or "-PATH" lines on standard input), as Debian's
   * update-ca-certificates does; %NULL when there are none. */
  const char           *hooks_dir;
} VouchTrustLayout;

/* Tests point this at a fake tree; the helper ignores it under pkexec. */
#define VOUCH_SYSTEM_ROOT_ENV "VOUCH_SYSTEM_ROOT"

const VouchTrustLayout *vouch_trust_layout_detect        (const char             *root_prefix);
const VouchTrustLayout *vouch_trust_layout_lookup        (VouchTrustLayoutKind    kind);
char                   *vouch_trust_layout_dup_anchor_dir (const VouchTrustLayout *layout,
                                                           const char             *root_prefix);
char                   *vouch_trust_layout_dup_path      (const VouchTrustLayout *layout,
                                                          const char             *root_prefix);
char                   *vouch_trust_layout_dup_link_path (const VouchTrustLayout *layout,
                                                          const char             *root_prefix);
char                   *vouch_trust_layout_prefixed      (const char             *root_prefix,
                                                          const char             *path);

G_END_DECLS
