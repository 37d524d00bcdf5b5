/* vouchctl-maker-roots.c: “vouchctl maker-roots add|list|remove”, the
 * device makers' roots that verify their devices without a setup code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-maker-roots.h"

#include "vouch-manufacturer-roots.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

/* A root is one certificate; read a little more so the core names the
 * limit. */
#define MAX_ROOT_FILE (512 * 1024)

typedef enum
{
  MAKER_ROOTS_ADD,
  MAKER_ROOTS_LIST,
  MAKER_ROOTS_REMOVE,
} MakerRootsAction;

static void
add_root_json (JsonBuilder      *builder,
               VouchCertificate *root)
{
  g_autofree char *subject = vouch_manufacturer_roots_dup_subject (root);
  g_autofree char *not_after = vouchctl_format_time (vouch_certificate_get_not_after (root));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, subject);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, vouch_certificate_get_sha256 (root));
  json_builder_set_member_name (builder, "not_after");
  json_builder_add_string_value (builder, not_after);
  json_builder_end_object (builder);
}

static void
print_root (VouchCertificate *root)
{
  g_autofree char *subject = vouch_manufacturer_roots_dup_subject (root);

  g_print ("%s\n  SHA-256 %s\n", subject, vouch_certificate_get_sha256 (root));
}

static void
print_list (VouchManufacturerRoots *roots,
            gboolean                json)
{
  GListModel *model = G_LIST_MODEL (roots);
  guint n = g_list_model_get_n_items (model);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(VouchCertificate) root = g_list_model_get_item (model, i);

          add_root_json (builder, root);
        }
      json_builder_end_array (builder);
      vouchctl_print_json (builder);
      return;
    }

  if (n == 0)
    {
      g_print (_("No manufacturer root is imported; devices are verified by their setup "
                 "codes.\n"));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchCertificate) root = g_list_model_get_item (model, i);

      print_root (root);
    }
}

/* The root to remove, named by its fingerprint or by the file it came
 * from. */
static char *
fingerprint_for (const char  *argument,
                 GError     **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  gsize len = 0;
  const char *bytes;

  if (!g_file_test (argument, G_FILE_TEST_EXISTS))
    return g_strdup (argument);

  data = vouchctl_read_input (argument, MAX_ROOT_FILE, error);
  if (data == NULL)
    return NULL;
  bytes = g_bytes_get_data (data, &len);
  cert = vouch_certificate_new_from_pem (bytes, (gssize)len, NULL);
  if (cert == NULL)
    cert = vouch_certificate_new_from_der (data, error);
  if (cert == NULL)
    return NULL;
  return g_strdup (vouch_certificate_get_sha256 (cert));
}

static int
run_maker_roots (MakerRootsAction   action,
                 int                argc,
                 char             **argv)
{
  static const char *summaries[] = {
    N_("FILE — trust a device maker's root: its devices need no setup code"),
    N_("— list the device makers' roots Vouch trusts"),
    N_("FINGERPRINT|FILE — stop trusting a device maker's root"),
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchManufacturerRoots) roots = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_(summaries[action]));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (action == MAKER_ROOTS_LIST && argc != 1)
    return vouchctl_usage (_("maker-roots list takes no arguments"));
  if (action != MAKER_ROOTS_LIST && argc != 2)
    return vouchctl_usage (action == MAKER_ROOTS_ADD ? _("maker-roots add needs one FILE")
                                                     : _("maker-roots remove needs one "
                                                         "FINGERPRINT or FILE"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;
  roots = vouch_manufacturer_roots_new_for_authority (authority);
  if (!vouch_manufacturer_roots_load (roots, &error))
    return vouchctl_fail (error);

  if (action == MAKER_ROOTS_ADD)
    {
      g_autoptr(GBytes) data = vouchctl_read_input (argv[1], MAX_ROOT_FILE, &error);
      g_autoptr(VouchCertificate) root = NULL;

      if (data == NULL)
        return vouchctl_fail (error);
      root = vouch_manufacturer_roots_add (roots, data, &error);
      if (root == NULL)
        return vouchctl_fail (error);
      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          add_root_json (builder, root);
          vouchctl_print_json (builder);
          return VOUCHCTL_EXIT_OK;
        }
      g_print (_("Devices whose certificate chains to this root are now verified without a "
                 "setup code:\n"));
      print_root (root);
      return VOUCHCTL_EXIT_OK;
    }

  if (action == MAKER_ROOTS_REMOVE)
    {
      g_autofree char *fingerprint = fingerprint_for (argv[1], &error);

      if (fingerprint == NULL || !vouch_manufacturer_roots_remove (roots, fingerprint, &error))
        return vouchctl_fail (error);
      if (!json)
        {
          g_print (_("Removed. Devices of this maker now need their setup codes.\n"));
          return VOUCHCTL_EXIT_OK;
        }
    }

  print_list (roots, json);
  return VOUCHCTL_EXIT_OK;
}

static int
maker_roots_add (int    argc,
                 char **argv)
{
  return run_maker_roots (MAKER_ROOTS_ADD, argc, argv);
}

static int
maker_roots_list (int    argc,
                  char **argv)
{
  return run_maker_roots (MAKER_ROOTS_LIST, argc, argv);
}

static int
maker_roots_remove (int    argc,
                    char **argv)
{
  return run_maker_roots (MAKER_ROOTS_REMOVE, argc, argv);
}

static const VouchctlCommand maker_roots_commands[] = {
  { "add", maker_roots_add, N_("Trust a device maker's root (PEM or DER file)") },
  { "list", maker_roots_list, N_("List the makers' roots, with subject and SHA-256 fingerprint") },
  { "remove", maker_roots_remove, N_("Stop trusting a maker's root, by fingerprint or file") },
  { NULL }
};

int
vouchctl_maker_roots (int    argc,
                      char **argv)
{
  return vouchctl_run_subcommand ("maker-roots", maker_roots_commands, argc, argv);
}
