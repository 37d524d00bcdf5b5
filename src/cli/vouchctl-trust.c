/* vouchctl-trust.c: “vouchctl trust …”, the root in this machine's trust
 * stores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-trust.h"

#include "vouch-error.h"
#include "vouch-home-trust-stores.h"
#include "vouchctl-common.h"

#include <glib/gi18n.h>

typedef enum
{
  TRUST_STATUS,
  TRUST_INSTALL,
  TRUST_UNINSTALL,
} TrustOp;

static void
print_stores (GPtrArray *stores,
              gboolean   json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < stores->len; i++)
        {
          VouchTrustStore *store = g_ptr_array_index (stores, i);
          g_autoptr(GEnumClass) kinds = g_type_class_ref (VOUCH_TYPE_TRUST_STORE_KIND);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, vouch_trust_store_get_id (store));
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder,
                                         g_enum_get_value (kinds, vouch_trust_store_get_kind (store))->value_nick);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, vouch_trust_store_get_name (store));
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, vouch_trust_store_get_path (store));
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder,
                                         vouch_trust_status_to_string (vouch_trust_store_get_status (store)));
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, vouch_trust_store_get_message (store));
          json_builder_set_member_name (builder, "needs_admin");
          json_builder_add_boolean_value (builder, vouch_trust_store_get_needs_admin (store));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      vouchctl_print_json (builder);
      return;
    }

  for (guint i = 0; i < stores->len; i++)
    {
      VouchTrustStore *store = g_ptr_array_index (stores, i);
      const char *message = vouch_trust_store_get_message (store);
      const char *path = vouch_trust_store_get_path (store);

      g_print ("%-34s %-28s %s\n", vouch_trust_store_get_id (store),
               vouch_trust_status_describe (vouch_trust_store_get_status (store)),
               vouch_trust_store_get_name (store));
      if (path != NULL)
        g_print ("%-34s %s\n", "", path);
      if (message != NULL)
        g_print ("%-34s %s\n", "", message);
    }
}

/* Runs @op on each named store; without names, status covers every store
 * and install covers every store present on this machine. */
static int
run_trust (TrustOp  op,
           int      argc,
           char   **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchHomeTrustStores) stores = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) failures = g_string_new (NULL);
  g_auto(GStrv) ids = NULL;
  gboolean json = FALSE;
  VouchRootCa *root;
  int exit_code = 0;
  const char *summary[] = {
    N_("— show whether each trust store trusts the root"),
    N_("— install the root into trust stores (all present ones by default)"),
    N_("— remove the root Vouch installed from trust stores"),
  };
  const GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ids,
      N_("Only this store, by id as “trust status” lists it (repeatable)"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_(summary[op]));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!vouchctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return vouchctl_usage (_("Name stores with --store ID"));

  authority = vouchctl_open_authority (&exit_code);
  if (authority == NULL)
    return exit_code;
  root = vouch_authority_get_root (authority);
  if (root == NULL)
    return vouchctl_fail (g_error_new (VOUCH_ERROR, VOUCH_ERROR_NO_ROOT,
                                       _("There is no root yet; create one with "
                                         "“vouchctl ca init”")));

  stores = vouch_home_trust_stores_new (NULL, vouch_root_ca_get_certificate (root));
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      VouchTrustStore *store = vouch_home_trust_stores_lookup (stores, ids[i]);

      if (store == NULL)
        return vouchctl_usage (_("No trust store “%s”; “vouchctl trust status” lists them"),
                               ids[i]);
      g_ptr_array_add (chosen, g_object_ref (store));
    }
  if (ids == NULL)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (stores)); i++)
      g_ptr_array_add (chosen, g_list_model_get_item (G_LIST_MODEL (stores), i));

  for (guint i = 0; i < chosen->len; i++)
    {
      VouchTrustStore *store = g_ptr_array_index (chosen, i);
      g_autoptr(GError) error = NULL;
      gboolean ok = vouch_trust_store_refresh (store, NULL, &error);

      /* Without --store, install only where a store exists: never create
       * a browser's database the user does not have. */
      if (ok && op == TRUST_INSTALL &&
          (ids != NULL || vouch_trust_store_get_status (store) != VOUCH_TRUST_STATUS_ABSENT))
        ok = vouch_trust_store_install (store, NULL, &error);
      else if (ok && op == TRUST_UNINSTALL)
        ok = vouch_trust_store_uninstall (store, NULL, &error);
      if (!ok)
        g_string_append_printf (failures, "%s: %s\n", vouch_trust_store_get_id (store),
                                error->message);
    }

  print_stores (chosen, json);
  if (failures->len > 0)
    {
      g_printerr ("vouchctl: %s", failures->str);
      return VOUCHCTL_EXIT_FAILED;
    }
  return VOUCHCTL_EXIT_OK;
}

static int
trust_status (int    argc,
              char **argv)
{
  return run_trust (TRUST_STATUS, argc, argv);
}

static int
trust_install (int    argc,
               char **argv)
{
  return run_trust (TRUST_INSTALL, argc, argv);
}

static int
trust_uninstall (int    argc,
                 char **argv)
{
  return run_trust (TRUST_UNINSTALL, argc, argv);
}

static const VouchctlCommand trust_commands[] = {
  { "status", trust_status, N_("Show each trust store and whether it trusts the root") },
  { "install", trust_install, N_("Install the root into trust stores") },
  { "uninstall", trust_uninstall, N_("Remove the root Vouch installed from trust stores") },
  { NULL }
};

int
vouchctl_trust (int    argc,
                char **argv)
{
  return vouchctl_run_subcommand ("trust", trust_commands, argc, argv);
}
