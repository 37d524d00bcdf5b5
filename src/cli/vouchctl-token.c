/* vouchctl-token.c: the root's key on a security key or HSM (PKCS#11):
 * the --pin-stdin option every command takes, “vouchctl ca tokens”,
 * “vouchctl ca move-to-token”, “vouchctl ca pin”, and where the key lives
 * for “vouchctl ca show”
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-token.h"

#include "vouch-error.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>
#include <unistd.h>

static gboolean pin_from_stdin;
static guint pins_read;

/**
 * vouchctl_add_pin_option:
 *
 * Adds --pin-stdin to a command's options: vouchctl_parse() does it for
 * every command, so any command that signs can be given the PIN.
 */
void
vouchctl_add_pin_option (GOptionContext *context)
{
  static const GOptionEntry entries[] = {
    { "pin-stdin", 0, 0, G_OPTION_ARG_NONE, &pin_from_stdin,
      N_("Read the security key's PIN from the first line of standard input"), NULL },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("token", _("Security key (PKCS#11) options:"),
                                            _("Show the security key options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, group);
}

/* The PIN from standard input (once: a second line would be a guess), or
 * typed at the terminal, where a person can try again. */
static char *
read_pin (VouchAuthority *authority,
          VouchTokenKey  *token,
          const GError   *previous,
          gboolean       *keep,
          gpointer        user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  char *pin;

  if (pin_from_stdin)
    return pins_read++ == 0 ? vouchctl_read_passphrase (TRUE, FALSE, NULL, NULL) : NULL;

  if (!isatty (STDIN_FILENO))
    return NULL;

  if (previous != NULL)
    g_printerr ("vouchctl: %s\n", previous->message);
  /* Translators: %s is the token's label, %s its model. */
  prompt = g_strdup_printf (_("PIN of the security key “%s” (%s), to sign with the root's key: "),
                            vouch_token_key_get_label (token), vouch_token_key_get_model (token));
  pin = vouchctl_read_passphrase (FALSE, FALSE, prompt, &error);
  return pin;
}

void
vouchctl_set_pin_func (VouchAuthority *authority)
{
  vouch_authority_set_pin_func (authority, read_pin, NULL, NULL);
}

/**
 * vouchctl_add_key_place_json:
 *
 * Adds where the root's key lives: "key_store" is "keyring" or "pkcs11",
 * and for a token, "token" describes it.
 */
void
vouchctl_add_key_place_json (JsonBuilder   *builder,
                             VouchTokenKey *token)
{
  json_builder_set_member_name (builder, "key_store");
  json_builder_add_string_value (builder, token != NULL ? "pkcs11" : "keyring");
  if (token == NULL)
    return;

  json_builder_set_member_name (builder, "token");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, vouch_token_key_get_label (token));
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, vouch_token_key_get_model (token));
  json_builder_set_member_name (builder, "manufacturer");
  json_builder_add_string_value (builder, vouch_token_key_get_manufacturer (token));
  json_builder_set_member_name (builder, "serial");
  json_builder_add_string_value (builder, vouch_token_key_get_serial (token));
  json_builder_set_member_name (builder, "uri");
  json_builder_add_string_value (builder, vouch_token_key_get_uri (token));
  json_builder_end_object (builder);
}

char *
vouchctl_describe_key_place (VouchTokenKey *token)
{
  if (token == NULL)
    return g_strdup (_("in your keyring (back it up with “vouchctl ca backup”)"));

  /* Translators: %s are the token's label, model and maker. */
  return g_strdup_printf (_("on the security key “%s” (%s, %s); it cannot be copied off it, so "
                            "Vouch cannot back it up"),
                          vouch_token_key_get_label (token), vouch_token_key_get_model (token),
                          vouch_token_key_get_manufacturer (token));
}

int
vouchctl_ca_tokens (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tokens = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean json = FALSE;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list the security keys (PKCS#11 tokens) Vouch can use"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;

  tokens = vouch_token_key_list_tokens (&error);
  if (tokens == NULL)
    return vouchctl_fail (g_steal_pointer (&error));

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autoptr(VouchTokenKey) token = vouch_token_key_new_for_token (tokens[i], NULL);

      if (token == NULL)
        continue;
      if (!json)
        {
          g_print ("%s\n  %s, %s, %s\n", tokens[i], vouch_token_key_get_label (token),
                   vouch_token_key_get_model (token), vouch_token_key_get_manufacturer (token));
          continue;
        }
      json_builder_begin_object (builder);
      vouchctl_add_key_place_json (builder, token);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    vouchctl_print_json (builder);
  else if (tokens[0] == NULL)
    g_print (_("No security keys found. Plug one in, and check that its PKCS#11 module is "
               "registered with p11-kit (“p11-kit list-modules”).\n"));
  return VOUCHCTL_EXIT_OK;
}

int
vouchctl_ca_move_to_token (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autofree char *place = NULL;
  gboolean backup_exists = FALSE;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "backup-exists", 0, 0, G_OPTION_ARG_NONE, &backup_exists,
      N_("Confirm that a backup of the root exists: the key cannot be copied off the token"),
      NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("URI — move the root's key from the keyring onto a "
                                    "security key"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return vouchctl_usage (_("ca move-to-token takes the token's PKCS#11 URI (see “vouchctl ca "
                             "tokens”)"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  if (!vouch_authority_move_to_token (authority, argv[1], backup_exists, NULL, &error))
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      VouchCertificate *cert = vouch_root_ca_get_certificate (vouch_authority_get_root (authority));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, vouch_certificate_get_sha256 (cert));
      vouchctl_add_key_place_json (builder, vouch_authority_get_token_key (authority));
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  place = vouchctl_describe_key_place (vouch_authority_get_token_key (authority));
  g_print (_("The root's key is now %s. The root certificate did not change; the keyring no "
             "longer holds the key.\n"), place);
  return VOUCHCTL_EXIT_OK;
}

int
vouchctl_ca_pin (int    argc,
        char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  gboolean keep = FALSE;
  gboolean forget = FALSE;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep,
      N_("Keep the PIN in your keyring, so Vouch signs without asking: anyone who can use "
         "your unlocked session can then sign with the token while it is plugged in"), NULL },
    { "forget", 0, 0, G_OPTION_ARG_NONE, &forget,
      N_("Remove the PIN from your keyring, so Vouch asks for it again"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— keep the security key's PIN in the keyring, or not"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (keep == forget)
    return vouchctl_usage (_("Give either --keep or --forget"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;

  if (!vouch_authority_keep_token_pin (authority, keep, NULL, &error))
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "pin_kept");
      json_builder_add_boolean_value (builder, keep);
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
    }
  else
    g_print (keep ? _("The PIN is kept in your keyring.\n")
                  : _("The PIN is no longer kept; Vouch will ask for it.\n"));
  return VOUCHCTL_EXIT_OK;
}
