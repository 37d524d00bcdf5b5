/* vouchctl-acme-admin.c: the operator's side of “vouchctl acme”: pending
 * orders (pending, approve, refuse) and External Account Binding keys
 * (eab new, eab list, eab revoke). What a client sent is sanitized before
 * it reaches the terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-acme-admin.h"

#include "vouch-acme-approvals.h"
#include "vouch-acme-eab.h"
#include "vouch-error.h"
#include "vouch-text.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

static void
add_names (JsonBuilder        *builder,
           const char         *member,
           const char * const *names)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
}

static char *
join_sanitized (const char * const *names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = vouch_text_sanitize (names[i], -1, VOUCH_TEXT_MAX_LINE);

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_request_json (JsonBuilder              *builder,
                  VouchAcmeApprovalRequest *request)
{
  g_autofree char *at = vouchctl_format_time (vouch_acme_approval_request_get_requested_at (request));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, vouch_acme_approval_request_get_id (request));
  json_builder_set_member_name (builder, "thumbprint");
  json_builder_add_string_value (builder, vouch_acme_approval_request_get_thumbprint (request));
  json_builder_set_member_name (builder, "client_address");
  json_builder_add_string_value (builder,
                                 vouch_acme_approval_request_get_client_address (request));
  add_names (builder, "names", vouch_acme_approval_request_get_names (request));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, vouch_acme_approval_request_get_state (request));
  json_builder_set_member_name (builder, "requested_at");
  json_builder_add_string_value (builder, at);
  json_builder_end_object (builder);
}

static void
print_request (VouchAcmeApprovalRequest *request)
{
  g_autofree char *names = join_sanitized (vouch_acme_approval_request_get_names (request));
  g_autofree char *address = vouch_text_sanitize (
    vouch_acme_approval_request_get_client_address (request), -1, VOUCH_TEXT_MAX_NAME);
  g_autofree char *at = vouchctl_format_time (vouch_acme_approval_request_get_requested_at (request));

  /* Translators: one ACME order; the thumbprint identifies the client's
   * account key. */
  g_print (_("%" G_GINT64_FORMAT "  %s  from %s  (%s)\n  names: %s\n  account key: %s\n"),
           vouch_acme_approval_request_get_id (request),
           vouch_acme_approval_request_get_state (request), address, at, names,
           vouch_acme_approval_request_get_thumbprint (request));
}

int
vouchctl_acme_pending (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GListModel) requests = NULL;
  gboolean json = FALSE;
  gboolean all = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  guint n;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Also list orders already decided"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list ACME orders that wait for approval"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("acme pending takes no arguments"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;
  requests = vouch_acme_approvals_list (vouch_authority_get_inventory (authority), !all, &error);
  if (requests == NULL)
    return vouchctl_fail (error);

  n = g_list_model_get_n_items (requests);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(VouchAcmeApprovalRequest) request = g_list_model_get_item (requests, i);

          add_request_json (builder, request);
        }
      json_builder_end_array (builder);
      vouchctl_print_json (builder);
      return VOUCHCTL_EXIT_OK;
    }

  if (n == 0)
    g_print (_("No ACME order waits for approval.\n"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchAcmeApprovalRequest) request = g_list_model_get_item (requests, i);

      print_request (request);
    }
  return VOUCHCTL_EXIT_OK;
}

static int
decide (int       argc,
        char    **argv,
        gboolean  approve)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  gint64 id;
  char *end = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (approve
                                  ? _("ID — approve a waiting ACME order (its names renew "
                                      "without asking from then on)")
                                  : _("ID — refuse a waiting ACME order"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return vouchctl_usage (_("Name one order by its ID (see “vouchctl acme pending”)"));
  id = g_ascii_strtoll (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || id <= 0)
    return vouchctl_usage (_("“%s” is not an order ID"), argv[1]);

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;
  if (!vouch_acme_approvals_decide (vouch_authority_get_inventory (authority), id, approve,
                                    &error))
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, approve ? "approved" : "refused");
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
    }
  else if (approve)
    g_print (_("Approved order %" G_GINT64_FORMAT "; the client gets its certificate when it "
               "asks next.\n"), id);
  else
    g_print (_("Refused order %" G_GINT64_FORMAT ".\n"), id);
  return VOUCHCTL_EXIT_OK;
}

int
vouchctl_acme_approve (int    argc,
                       char **argv)
{
  return decide (argc, argv, TRUE);
}

int
vouchctl_acme_refuse (int    argc,
                      char **argv)
{
  return decide (argc, argv, FALSE);
}

static int
eab_new (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *id = NULL;
  g_autoptr(VouchctlSecret) hmac = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "names", 0, 0, G_OPTION_ARG_STRING_ARRAY, &names,
      N_("A name, *.suffix or address range the key may order (repeat, or list them after "
         "--names)"), N_("PATTERN") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
  g_auto(GStrv) patterns = NULL;

  context = g_option_context_new (_("--names PATTERN… — make an External Account Binding key, "
                                    "printed once"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  /* `--names a.lan b.lan` reads as the issue writes it: the words after
   * the option are patterns too. */
  if (names != NULL)
    g_strv_builder_addv (all, (const char **)names);
  for (int i = 1; i < argc; i++)
    g_strv_builder_add (all, argv[i]);
  patterns = g_strv_builder_end (all);
  if (patterns[0] == NULL)
    return vouchctl_usage (_("Say which names the key may order, e.g. --names '*.lan'"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;
  if (!vouch_acme_eab_create (vouch_authority_get_inventory (authority),
                              (const char * const *)patterns, NULL, &id, &hmac, &error))
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key_id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "hmac_key");
      json_builder_add_string_value (builder, hmac);
      add_names (builder, "names", (const char * const *)patterns);
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
    }
  else
    {
      g_print (_("Key ID:   %s\nHMAC key: %s\n"), id, hmac);
      g_printerr (_("Give both to one ACME client (e.g. certbot --eab-kid ID --eab-hmac-key "
                    "KEY). The HMAC key is not shown again.\n"));
    }
  return VOUCHCTL_EXIT_OK;
}

static int
eab_list (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(GListModel) keys = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  guint n;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  context = g_option_context_new (_("— list External Account Binding keys (never their HMAC "
                                    "keys)"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("acme eab list takes no arguments"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;
  keys = vouch_acme_approvals_list_eab_keys (vouch_authority_get_inventory (authority), &error);
  if (keys == NULL)
    return vouchctl_fail (error);

  n = g_list_model_get_n_items (keys);
  if (!json && n == 0)
    g_print (_("No External Account Binding key was made.\n"));
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchAcmeEabKey) key = g_list_model_get_item (keys, i);
      g_autofree char *created = vouchctl_format_time (vouch_acme_eab_key_get_created_at (key));
      g_autofree char *names = g_strjoinv (", ", (char **)vouch_acme_eab_key_get_names (key));
      gboolean revoked = vouch_acme_eab_key_get_revoked_at (key) != 0;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key_id");
      json_builder_add_string_value (builder, vouch_acme_eab_key_get_id (key));
      add_names (builder, "names", vouch_acme_eab_key_get_names (key));
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created);
      json_builder_set_member_name (builder, "revoked");
      json_builder_add_boolean_value (builder, revoked);
      json_builder_end_object (builder);

      if (!json)
        g_print ("%s  %s  %s%s\n", vouch_acme_eab_key_get_id (key), created, names,
                 revoked ? _("  (revoked)") : "");
    }
  json_builder_end_array (builder);
  if (json)
    vouchctl_print_json (builder);
  return VOUCHCTL_EXIT_OK;
}

static int
eab_revoke (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("ID — revoke an External Account Binding key"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return vouchctl_usage (_("Name one key by its ID (see “vouchctl acme eab list”)"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;
  if (!vouch_acme_eab_revoke (vouch_authority_get_inventory (authority), argv[1], NULL, &error))
    return vouchctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key_id");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "revoked");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      vouchctl_print_json (builder);
    }
  else
    g_print (_("Revoked %s; no client can bind or order with it any more.\n"), argv[1]);
  return VOUCHCTL_EXIT_OK;
}

static const VouchctlCommand eab_commands[] = {
  { "new", eab_new, N_("Make a key limited to names; shown once") },
  { "list", eab_list, N_("List the keys") },
  { "revoke", eab_revoke, N_("Revoke a key") },
  { NULL }
};

int
vouchctl_acme_eab (int    argc,
                   char **argv)
{
  return vouchctl_run_subcommand ("acme eab", eab_commands, argc, argv);
}
