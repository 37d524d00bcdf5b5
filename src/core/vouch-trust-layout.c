/* vouch-trust-layout.c: the system trust-store layouts Vouch knows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-trust-layout.h"

#include <unistd.h>

static const char * const debian_update[] = { "/usr/sbin/update-ca-certificates", NULL };
static const char * const fedora_update[] = { "/usr/bin/update-ca-trust", "extract", NULL };
static const char * const arch_update[] = { "/usr/bin/trust", "extract-compat", NULL };
static const char * const opensuse_update[] = { "/usr/sbin/update-ca-certificates", NULL };

/* Checked in this order. openSUSE also ships update-ca-certificates, and
 * Arch also ships p11-kit's trust (as does Debian), so each layout is
 * recognised by its anchor directory first and its command second.
 *
 * Arch: `trust anchor --store` would copy the certificate under a name
 * p11-kit chooses, which we could not remove exactly; writing our own file
 * into the directory p11-kit reads and running `trust extract-compat` is
 * what Arch's own update-ca-trust does. */
static const VouchTrustLayout layouts[] = {
  { VOUCH_TRUST_LAYOUT_FEDORA, "fedora", "/etc/pki/ca-trust/source/anchors",
    "vouch-local-root.pem", fedora_update },
  { VOUCH_TRUST_LAYOUT_ARCH, "arch", "/etc/ca-certificates/trust-source/anchors",
    "vouch-local-root.crt", arch_update },
  { VOUCH_TRUST_LAYOUT_OPENSUSE, "opensuse", "/usr/share/pki/trust/anchors",
    "vouch-local-root.pem", opensuse_update },
  /* update-ca-certificates only picks up files ending in .crt. */
  { VOUCH_TRUST_LAYOUT_DEBIAN, "debian", "/usr/local/share/ca-certificates",
    "vouch-local-root.crt", debian_update },
};

static char *
prefixed (const char *root_prefix,
          const char *path)
{
  if (root_prefix == NULL || *root_prefix == '\0')
    return g_strdup (path);
  return g_build_filename (root_prefix, path, NULL);
}

/**
 * vouch_trust_layout_detect:
 * @root_prefix: (nullable): a directory standing in for `/`, for tests
 *
 * Returns: (nullable): the layout of this system, or %NULL if none is known
 */
const VouchTrustLayout *
vouch_trust_layout_detect (const char *root_prefix)
{
  for (gsize i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      g_autofree char *dir = prefixed (root_prefix, layouts[i].anchor_dir);
      g_autofree char *command = prefixed (root_prefix, layouts[i].update_argv[0]);

      if (g_file_test (dir, G_FILE_TEST_IS_DIR) && access (command, X_OK) == 0)
        return &layouts[i];
    }
  return NULL;
}

const VouchTrustLayout *
vouch_trust_layout_lookup (VouchTrustLayoutKind kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (layouts); i++)
    if (layouts[i].kind == kind)
      return &layouts[i];
  return NULL;
}

char *
vouch_trust_layout_dup_anchor_dir (const VouchTrustLayout *layout,
                                   const char             *root_prefix)
{
  g_return_val_if_fail (layout != NULL, NULL);
  return prefixed (root_prefix, layout->anchor_dir);
}

char *
vouch_trust_layout_dup_path (const VouchTrustLayout *layout,
                             const char             *root_prefix)
{
  g_autofree char *dir = vouch_trust_layout_dup_anchor_dir (layout, root_prefix);

  return g_build_filename (dir, layout->file_name, NULL);
}
