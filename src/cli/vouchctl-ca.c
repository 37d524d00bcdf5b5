/* vouchctl-ca.c: “vouchctl ca …”, managing the root
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-ca.h"

#include "vouch-bundle.h"
#include "vouch-error.h"
#include "vouch-util.h"
#include "vouchctl-common.h"
#include "vouchctl-token.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#define IMPORT_LIMIT (1024 * 1024)

static gboolean
confirm_unconstrained (gboolean yes)
{
  char answer[64] = "";

  g_printerr ("%s\n\n",
              _("Warning: an unconstrained root can sign a certificate for any name, "
                "including public sites such as your bank or your mail provider. If its key "
                "ever leaks, whoever holds it can impersonate any website to every browser "
                "that trusts this root. A constrained root (the default) limits that damage to "
                "your local names and addresses."));
  if (yes)
    return TRUE;

  if (!isatty (STDIN_FILENO))
    {
      g_printerr (_("Refusing without confirmation; add --yes to confirm.\n"));
      return FALSE;
    }

  g_printerr (_("Type “unconstrained” to create it anyway: "));
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  answer[strcspn (answer, "\r\n")] = '\0';
  return strcmp (answer, "unconstrained") == 0;
}

static void
print_root (VouchRootCa   *root,
            VouchTokenKey *token,
            gboolean       json)
{
  g_autofree char *place = vouchctl_describe_key_place (token);
  VouchCertificate *cert = vouch_root_ca_get_certificate (root);
  VouchNameConstraints *constraints = vouch_root_ca_get_constraints (root);
  g_auto(GStrv) permitted = vouch_name_constraints_dup_permitted (constraints);
  g_autofree char *not_before = vouchctl_format_time (vouch_certificate_get_not_before (cert));
  g_autofree char *not_after = vouchctl_format_time (vouch_certificate_get_not_after (cert));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, vouch_certificate_get_subject (cert));
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, vouch_certificate_get_sha256 (cert));
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, vouch_certificate_get_key_description (cert));
      vouchctl_add_key_place_json (builder, token);
      json_builder_set_member_name (builder, "not_before");
      json_builder_add_string_value (builder, not_before);
      json_builder_set_member_name (builder, "not_after");
      json_builder_add_string_value (builder, not_after);
      json_builder_set_member_name (builder, "constrained");
      json_builder_add_boolean_value (builder,
                                      !vouch_name_constraints_get_unconstrained (constraints));
      json_builder_set_member_name (builder, "permitted");
      json_builder_begin_array (builder);
      for (guint i = 0; permitted[i] != NULL; i++)
        json_builder_add_string_value (builder, permitted[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
      return;
    }

  g_print ("%-12s %s\n", _("Subject:"), vouch_certificate_get_subject (cert));
  g_print ("%-12s %s\n", _("SHA-256:"), vouch_certificate_get_sha256 (cert));
  g_print ("%-12s %s\n", _("Key:"), vouch_certificate_get_key_description (cert));
  g_print ("%-12s %s\n", _("Key lives:"), place);
  g_print ("%-12s %s\n", _("Valid from:"), not_before);
  g_print ("%-12s %s\n", _("Valid until:"), not_after);
  if (vouch_name_constraints_get_unconstrained (constraints))
    g_print ("%-12s %s\n", _("Names:"), _("any (unconstrained root)"));
  else
    {
      g_autofree char *joined = g_strjoinv (", ", permitted);

      g_print ("%-12s %s\n", _("Names:"), joined);
    }
}

static int
ca_init (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchNameConstraints) constraints = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key_type_text = NULL;
  g_autofree char *token_uri = NULL;
  g_auto(GStrv) permits = NULL;
  gboolean unconstrained = FALSE;
  gboolean no_defaults = FALSE;
  gboolean yes = FALSE;
  gboolean json = FALSE;
  VouchKeyType key_type = VOUCH_KEY_TYPE_DEFAULT;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The root's name"), N_("NAME") },
    { "key-type", 0, 0, G_OPTION_ARG_STRING, &key_type_text,
      N_("ecdsa-p256 (default), ecdsa-p384, rsa-3072 or rsa-4096"), N_("TYPE") },
    { "permit", 0, 0, G_OPTION_ARG_STRING_ARRAY, &permits,
      N_("Also permit this domain or address range (repeatable)"), N_("NAME") },
    { "no-local-defaults", 0, 0, G_OPTION_ARG_NONE, &no_defaults,
      N_("Permit only the --permit names, not the local defaults"), NULL },
    { "unconstrained", 0, 0, G_OPTION_ARG_NONE, &unconstrained,
      N_("Create a root that may sign any name (not recommended)"), NULL },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token_uri,
      N_("Generate the key on this security key (PKCS#11 URI, see “vouchctl ca tokens”); it "
         "never leaves it"), N_("URI") },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— create a root"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("ca init takes no arguments"));

  if (key_type_text != NULL && !vouch_key_type_from_string (key_type_text, &key_type))
    return vouchctl_usage (_("Unknown key type “%s”; use ecdsa-p256, ecdsa-p384, rsa-3072 or "
                             "rsa-4096"), key_type_text);

  if (unconstrained && (permits != NULL || no_defaults))
    return vouchctl_usage (_("--unconstrained cannot be combined with --permit"));

  constraints = no_defaults ? vouch_name_constraints_new ()
                            : vouch_name_constraints_new_local_defaults ();
  for (guint i = 0; permits != NULL && permits[i] != NULL; i++)
    {
      if (!vouch_name_constraints_add (constraints, permits[i], &error))
        return vouchctl_fail (error);
    }

  if (unconstrained)
    {
      if (!confirm_unconstrained (yes))
        return VOUCHCTL_EXIT_FAILED;
      vouch_name_constraints_set_unconstrained (constraints, TRUE);
    }

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  if (name == NULL)
    name = vouch_authority_default_root_name ();

  if (token_uri != NULL
      ? !vouch_authority_create_root_on_token (authority, name, key_type, constraints, token_uri,
                                               NULL, &error)
      : !vouch_authority_create_root (authority, name, key_type, constraints, NULL, &error))
    return vouchctl_fail (error);

  if (!json && token_uri != NULL)
    g_print (_("Created a root. Its private key was made on the security key and never leaves "
               "it; back it up by the token's own means.\n\n"));
  else if (!json)
    g_print (_("Created a root. Its private key is in your keyring, not on disk; "
               "back it up with “vouchctl ca backup --out FILE”.\n\n"));
  print_root (vouch_authority_get_root (authority), vouch_authority_get_token_key (authority),
              json);
  return VOUCHCTL_EXIT_OK;
}

static int
ca_show (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  gboolean json = FALSE;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— show the root"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  if (vouch_authority_get_root (authority) == NULL)
    return vouchctl_fail (g_error_new (VOUCH_ERROR, VOUCH_ERROR_NO_ROOT,
                                       _("There is no root yet; create one with "
                                         "“vouchctl ca init”")));

  print_root (vouch_authority_get_root (authority), vouch_authority_get_token_key (authority),
              json);
  return VOUCHCTL_EXIT_OK;
}

static int
export_bundle (const char *path,
               gboolean    zip,
               gboolean    json)
{
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchBundle) bundle = NULL;
  VouchCertificate *cert;
  GError *error = NULL;
  int exit_code = 0;

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;
  if (vouch_authority_get_root (authority) == NULL)
    return vouchctl_fail (g_error_new (VOUCH_ERROR, VOUCH_ERROR_NO_ROOT,
                                       _("There is no root yet; create one with "
                                         "“vouchctl ca init”")));

  cert = vouch_root_ca_get_certificate (vouch_authority_get_root (authority));
  bundle = vouch_bundle_new (cert);
  if (!vouch_bundle_write (bundle, path, zip, NULL, &error))
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "bundle");
      json_builder_add_string_value (builder, path);
      json_builder_set_member_name (builder, "zip");
      json_builder_add_boolean_value (builder, zip);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, vouch_certificate_get_sha256 (cert));
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  g_print (_("Wrote a bundle for colleagues to %s: the root as .crt and .cer, an Apple profile, "
             "and index.html with install steps and the fingerprint to check:\n%s\n"),
           path, vouch_certificate_get_sha256 (cert));
  return VOUCHCTL_EXIT_OK;
}

static int
ca_export (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *format = NULL;
  g_autofree char *out = NULL;
  g_autofree char *bundle = NULL;
  gboolean der;
  gboolean zip = FALSE;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("pem (default) or der"), N_("FORMAT") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Write to FILE instead of standard output"),
      N_("FILE") },
    { "bundle", 0, 0, G_OPTION_ARG_FILENAME, &bundle,
      N_("Write a bundle for colleagues (.crt, .cer, .mobileconfig, a guide) to a new folder"),
      N_("DIR") },
    { "zip", 0, 0, G_OPTION_ARG_NONE, &zip, N_("With --bundle: write a zip file instead"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— export the root certificate for clients to trust"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;

  if (bundle != NULL)
    return export_bundle (bundle, zip, json);
  if (zip)
    return vouchctl_usage (_("--zip goes with --bundle"));

  if (format != NULL && strcmp (format, "pem") != 0 && strcmp (format, "der") != 0)
    return vouchctl_usage (_("Unknown format “%s”; use pem or der"), format);
  der = format != NULL && strcmp (format, "der") == 0;

  if (der && out == NULL && (json || isatty (STDOUT_FILENO)))
    return vouchctl_usage (_("DER is binary; write it to a file with --out"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  bytes = vouch_authority_export_root (authority, der, &error);
  if (bytes == NULL)
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      VouchCertificate *cert = vouch_root_ca_get_certificate (vouch_authority_get_root (authority));

      if (out != NULL &&
          !vouchctl_write_output (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  0644, &error))
        return vouchctl_fail (error);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, der ? "der" : "pem");
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, vouch_certificate_get_sha256 (cert));
      json_builder_set_member_name (builder, out != NULL ? "path" : "pem");
      json_builder_add_string_value (builder, out != NULL ? out : vouch_certificate_get_pem (cert));
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  if (!vouchctl_write_output (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              0644, &error))
    return vouchctl_fail (error);

  return VOUCHCTL_EXIT_OK;
}

static int
ca_backup (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autofree char *out = NULL;
  gboolean from_stdin = FALSE;
  gboolean json = FALSE;
  char *passphrase;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("The backup file to write"), N_("FILE") },
    { "passphrase-stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin,
      N_("Read the passphrase from standard input"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— back up the root and its key, encrypted"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (out == NULL)
    return vouchctl_usage (_("ca backup needs --out FILE"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  passphrase = vouchctl_read_passphrase (from_stdin, TRUE, _("Passphrase for the backup: "),
                                         &error);
  if (passphrase == NULL)
    return vouchctl_fail (error);

  backup = vouch_authority_backup (authority, passphrase, NULL, &error);
  vouchctl_free_passphrase (passphrase);
  if (backup == NULL ||
      !vouchctl_write_output (out, g_bytes_get_data (backup, NULL), g_bytes_get_size (backup),
                              0600, &error))
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, out);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder,
                                     vouch_root_ca_get_sha256 (vouch_authority_get_root (authority)));
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  g_print (_("Wrote an encrypted backup of the root and its key to %s.\n"
             "Keep it, and its passphrase, somewhere safe and offline.\n"), out);
  return VOUCHCTL_EXIT_OK;
}

static int
ca_restore (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GBytes) backup = NULL;
  gboolean from_stdin = FALSE;
  gboolean json = FALSE;
  char *passphrase;
  gboolean ok;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "passphrase-stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin,
      N_("Read the passphrase from standard input"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE — restore the root and its key from a backup"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return vouchctl_usage (_("ca restore needs one backup FILE"));

  backup = vouchctl_read_input (argv[1], IMPORT_LIMIT, &error);
  if (backup == NULL)
    return vouchctl_fail (error);

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  passphrase = vouchctl_read_passphrase (from_stdin, FALSE, _("Passphrase of the backup: "),
                                         &error);
  if (passphrase == NULL)
    return vouchctl_fail (error);

  ok = vouch_authority_restore (authority, backup, passphrase, NULL, &error);
  vouchctl_free_passphrase (passphrase);
  if (!ok)
    return vouchctl_fail (error);

  if (!json)
    g_print (_("Restored the root; its key is in your keyring.\n\n"));
  print_root (vouch_authority_get_root (authority), vouch_authority_get_token_key (authority),
              json);
  return VOUCHCTL_EXIT_OK;
}

static gboolean
looks_like_pkcs12 (const char *path)
{
  return g_str_has_suffix (path, ".p12") || g_str_has_suffix (path, ".pfx") ||
         g_str_has_suffix (path, ".P12") || g_str_has_suffix (path, ".PFX");
}

static int
ca_import (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchRootCa) root = NULL;
  gboolean from_stdin = FALSE;
  gboolean json = FALSE;
  gboolean encrypted_key = FALSE;
  char *passphrase = NULL;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "passphrase-stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin,
      N_("Read the passphrase from standard input"), NULL },
    { "encrypted-key", 0, 0, G_OPTION_ARG_NONE, &encrypted_key,
      N_("The KEY file is encrypted: ask for its passphrase"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("CERT KEY | FILE.p12 — import an existing root and its key"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;

  if (argc == 2 && looks_like_pkcs12 (argv[1]))
    {
      g_autoptr(GBytes) p12 = vouchctl_read_input (argv[1], IMPORT_LIMIT, &error);

      if (p12 == NULL)
        return vouchctl_fail (error);
      passphrase = vouchctl_read_passphrase (from_stdin, FALSE, _("Passphrase of the file: "),
                                             &error);
      if (passphrase == NULL)
        return vouchctl_fail (error);
      root = vouch_root_ca_import_pkcs12 (p12, passphrase, &error);
    }
  else if (argc == 3)
    {
      g_autoptr(GBytes) cert = vouchctl_read_input (argv[1], IMPORT_LIMIT, &error);
      /* The key file's plaintext: wiped as soon as it has been parsed. */
      GBytes *key = cert != NULL ? vouchctl_read_input (argv[2], IMPORT_LIMIT, &error) : NULL;

      if (key == NULL)
        return vouchctl_fail (error);
      if (encrypted_key || from_stdin)
        {
          passphrase = vouchctl_read_passphrase (from_stdin, FALSE,
                                                 _("Passphrase of the key: "), &error);
          if (passphrase == NULL)
            {
              vouch_bytes_wipe_unref (key);
              return vouchctl_fail (error);
            }
        }
      root = vouch_root_ca_import (cert, key, passphrase, &error);
      vouch_bytes_wipe_unref (key);
    }
  else
    return vouchctl_usage (_("ca import needs CERT KEY, or one FILE.p12"));

  vouchctl_free_passphrase (passphrase);
  if (root == NULL)
    return vouchctl_fail (error);

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  if (!vouch_authority_import_root (authority, root, "root-imported", NULL, &error))
    return vouchctl_fail (error);

  if (!json)
    g_print (_("Imported the root; its key is now in your keyring.\n"
               "The files you imported from were left untouched. You may delete them once you "
               "have a backup (“vouchctl ca backup”).\n\n"));
  print_root (vouch_authority_get_root (authority), vouch_authority_get_token_key (authority),
              json);
  return VOUCHCTL_EXIT_OK;
}

static const VouchctlCommand ca_commands[] = {
  { "init", ca_init, N_("Create a root whose key lives in your keyring, or on a security key with --token") },
  { "show", ca_show, N_("Show the root's subject, fingerprint, validity and constraints") },
  { "export", ca_export, N_("Export the root certificate (PEM or DER), or a bundle with --bundle") },
  { "backup", ca_backup, N_("Write an encrypted PKCS#12 backup of the root and its key") },
  { "restore", ca_restore, N_("Restore the root and its key from a backup") },
  { "import", ca_import, N_("Import a root made elsewhere (mkcert, XCA, …)") },
  { "tokens", vouchctl_ca_tokens, N_("List the security keys (PKCS#11 tokens) that can hold the root's key") },
  { "move-to-token", vouchctl_ca_move_to_token, N_("Move the root's key from the keyring onto a security key") },
  { "pin", vouchctl_ca_pin, N_("Keep a security key's PIN in the keyring (--keep), or not (--forget)") },
  { NULL }
};

int
vouchctl_ca (int    argc,
             char **argv)
{
  return vouchctl_run_subcommand ("ca", ca_commands, argc, argv);
}
