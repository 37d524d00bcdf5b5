/* vouch-trust-layout.c: the system trust-store layouts Vouch knows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-trust-layout.h"

#include <unistd.h>

static const char * const debian_update[] = { "/usr/sbin/update-ca-certificates", NULL };
/* A plain run leaves a removed anchor's links in /etc/ssl/certs (it only
 * drops links named in /etc/ca-certificates.conf); --fresh rebuilds them
 * all, so the name link and its hash link go too. */
static const char * const debian_remove[] = { "/usr/sbin/update-ca-certificates", "--fresh",
                                              NULL };
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
 * what Arch's own update-ca-trust does.
 *
 * The p11-kit layouts extract their bundle and Java keystore from the
 * anchors every time, so removing the anchor removes every copy; Debian's
 * tools add links and Java entries one by one, and must be told. */
static const VouchTrustLayout layouts[] = {
  { .kind = VOUCH_TRUST_LAYOUT_FEDORA, .name = "fedora",
    .anchor_dir = "/etc/pki/ca-trust/source/anchors", .file_name = "vouch-local-root.pem",
    .update_argv = fedora_update,
    .bundle = "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    .java_keystore = "/etc/pki/ca-trust/extracted/java/cacerts" },
  { .kind = VOUCH_TRUST_LAYOUT_ARCH, .name = "arch",
    .anchor_dir = "/etc/ca-certificates/trust-source/anchors",
    .file_name = "vouch-local-root.crt", .update_argv = arch_update,
    .bundle = "/etc/ca-certificates/extracted/tls-ca-bundle.pem",
    .java_keystore = "/etc/ca-certificates/extracted/java-cacerts.jks" },
  { .kind = VOUCH_TRUST_LAYOUT_OPENSUSE, .name = "opensuse",
    .anchor_dir = "/usr/share/pki/trust/anchors", .file_name = "vouch-local-root.pem",
    .update_argv = opensuse_update, .bundle = "/var/lib/ca-certificates/ca-bundle.pem",
    .java_keystore = "/var/lib/ca-certificates/java-cacerts" },
  /* update-ca-certificates only picks up files ending in .crt, and links
   * each as its base name with .pem in /etc/ssl/certs. */
  { .kind = VOUCH_TRUST_LAYOUT_DEBIAN, .name = "debian",
    .anchor_dir = "/usr/local/share/ca-certificates", .file_name = "vouch-local-root.crt",
    .update_argv = debian_update, .remove_argv = debian_remove,
    .links_dir = "/etc/ssl/certs", .link_name = "vouch-local-root.pem",
    .bundle = "/etc/ssl/certs/ca-certificates.crt",
    .java_keystore = "/etc/ssl/certs/java/cacerts",
    .hooks_dir = "/etc/ca-certificates/update.d" },
};

/**
 * vouch_trust_layout_prefixed:
 * @root_prefix: (nullable): a directory standing in for `/`, for tests
 * @path: an absolute path
 *
 * Returns: @path under @root_prefix
 */
char *
vouch_trust_layout_prefixed (const char *root_prefix,
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
      g_autofree char *dir = vouch_trust_layout_prefixed (root_prefix, layouts[i].anchor_dir);
      g_autofree char *command = vouch_trust_layout_prefixed (root_prefix,
                                                              layouts[i].update_argv[0]);

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
  return vouch_trust_layout_prefixed (root_prefix, layout->anchor_dir);
}

char *
vouch_trust_layout_dup_path (const VouchTrustLayout *layout,
                             const char             *root_prefix)
{
  g_autofree char *dir = vouch_trust_layout_dup_anchor_dir (layout, root_prefix);

  return g_build_filename (dir, layout->file_name, NULL);
}

/**
 * vouch_trust_layout_dup_link_path:
 *
 * Returns: (nullable): where the update command links the anchor, or
 *   %NULL when the layout has no such link
 */
char *
vouch_trust_layout_dup_link_path (const VouchTrustLayout *layout,
                                  const char             *root_prefix)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (layout != NULL, NULL);
  if (layout->links_dir == NULL)
    return NULL;
  dir = vouch_trust_layout_prefixed (root_prefix, layout->links_dir);
  return g_build_filename (dir, layout->link_name, NULL);
}
