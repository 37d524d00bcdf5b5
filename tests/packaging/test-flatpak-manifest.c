/* test-flatpak-manifest.c: the Flatpak manifests can be built as written
 *
 * The GNOME runtime cannot be fetched here, so this checks what a build
 * would trip over, for each JSON file in flatpak/:
 *
 * - it is JSON, its app-id is Vouch's (".Devel" exactly when the app is
 *   built with -Dprofile=development), and its command is a program Vouch
 *   installs;
 * - every finish-arg has a justification in "x-finish-args-why", and every
 *   justification belongs to a finish-arg;
 * - every source of every module is pinned: git by "commit" or "tag",
 *   archive and file by "sha256" or "sha512". "dir" is allowed only for
 *   Vouch's own module, which a development manifest builds from the
 *   working tree;
 * - every -D option given to Vouch's meson build exists in
 *   meson_options.txt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#define APP_ID "io.github.vouchpki.Vouch"

static char **
manifest_paths (void)
{
  const char *top = g_getenv ("VOUCH_SOURCE_ROOT");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *name;

  g_assert_nonnull (top);
  dir_path = g_build_filename (top, "flatpak", NULL);
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (paths, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (paths, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

static JsonObject *
load (JsonParser *parser,
      const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s is not valid JSON: %s", path, error->message);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* A missing member reads as NULL. */
static const char *
member_string (JsonObject *object,
               const char *name)
{
  return json_object_get_string_member_with_default (object, name, NULL);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

/* Option names from meson_options.txt: each "option('NAME', …". */
static GHashTable *
meson_options (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("VOUCH_SOURCE_ROOT"), "meson_options.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^\\s*option\\s*\\(\\s*'([^']+)'", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GHashTable *options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_regex_match (regex, contents, 0, &match);
  while (g_match_info_matches (match))
    {
      g_hash_table_add (options, g_match_info_fetch (match, 1));
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (g_hash_table_size (options), >, 0);
  return options;
}

static void
test_app_id_and_command (void)
{
  g_auto(GStrv) paths = manifest_paths ();
  g_auto(GStrv) binaries = g_strsplit (g_getenv ("VOUCH_INSTALLED_BINARIES"), ":", -1);

  g_assert_nonnull (paths[0]);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *manifest = load (parser, paths[i]);
      const char *app_id = member_string (manifest, "app-id");
      const char *command = member_string (manifest, "command");
      g_autofree char *basename = g_path_get_basename (paths[i]);
      g_autofree char *expected_name = NULL;
      gboolean development = FALSE;
      JsonArray *modules = member_array (manifest, "modules");
      JsonObject *app_module;
      JsonArray *opts;

      g_test_message ("%s", paths[i]);
      g_assert_nonnull (app_id);
      g_assert_true (g_str_equal (member_string (manifest, "runtime"), "org.gnome.Platform"));
      g_assert_true (g_str_equal (member_string (manifest, "sdk"), "org.gnome.Sdk"));
      g_assert_nonnull (member_string (manifest, "runtime-version"));

      /* The last module is Vouch; its profile decides the app ID. */
      g_assert_nonnull (modules);
      app_module = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
      g_assert_cmpstr (member_string (app_module, "name"), ==, "vouch");
      opts = member_array (app_module, "config-opts");
      for (guint j = 0; opts != NULL && j < json_array_get_length (opts); j++)
        if (g_str_equal (json_array_get_string_element (opts, j), "-Dprofile=development"))
          development = TRUE;
      g_assert_cmpstr (app_id, ==, development ? APP_ID ".Devel" : APP_ID);

      expected_name = g_strconcat (app_id, ".json", NULL);
      g_assert_cmpstr (basename, ==, expected_name);

      g_assert_nonnull (command);
      g_assert_true (g_strv_contains ((const char * const *) binaries, command));
    }
}

static void
test_finish_args_justified (void)
{
  g_auto(GStrv) paths = manifest_paths ();

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *manifest = load (parser, paths[i]);
      JsonArray *args = member_array (manifest, "finish-args");
      JsonNode *why_node = json_object_get_member (manifest, "x-finish-args-why");
      JsonObject *why;
      g_autoptr(GList) reasons = NULL;

      g_test_message ("%s", paths[i]);
      g_assert_nonnull (args);
      g_assert_nonnull (why_node);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (why_node));
      why = json_node_get_object (why_node);

      for (guint j = 0; j < json_array_get_length (args); j++)
        {
          const char *arg = json_array_get_string_element (args, j);
          const char *reason = member_string (why, arg);

          if (reason == NULL || strlen (reason) < 10)
            g_error ("%s: finish-arg %s has no justification in x-finish-args-why", paths[i], arg);
          /* Broad access would defeat the sandbox the justifications argue for. */
          if (g_str_equal (arg, "--filesystem=home") || g_str_equal (arg, "--filesystem=host") ||
              g_str_equal (arg, "--socket=x11") || g_str_equal (arg, "--socket=session-bus") ||
              g_str_equal (arg, "--socket=system-bus") || g_str_equal (arg, "--device=all"))
            g_error ("%s: %s is broader than Vouch needs", paths[i], arg);
        }

      reasons = json_object_get_members (why);
      for (GList *l = reasons; l != NULL; l = l->next)
        {
          gboolean found = FALSE;

          for (guint j = 0; j < json_array_get_length (args) && !found; j++)
            found = g_str_equal (json_array_get_string_element (args, j), l->data);
          if (!found)
            g_error ("%s: x-finish-args-why explains %s, which is not a finish-arg",
                     paths[i], (const char *) l->data);
        }
    }
}

static void
check_source (const char *manifest_path,
              const char *module_name,
              gboolean    is_app,
              JsonObject *source)
{
  const char *type = member_string (source, "type");

  g_assert_nonnull (type);
  if (g_str_equal (type, "git"))
    {
      if (member_string (source, "commit") == NULL && member_string (source, "tag") == NULL)
        g_error ("%s: module %s: a git source needs a commit or a tag", manifest_path, module_name);
      if (member_string (source, "branch") != NULL && member_string (source, "commit") == NULL)
        g_error ("%s: module %s: a branch alone moves; pin a commit", manifest_path, module_name);
    }
  else if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
    {
      const char *sha256 = member_string (source, "sha256");

      if (sha256 == NULL && member_string (source, "sha512") == NULL)
        g_error ("%s: module %s: an %s source needs a sha256", manifest_path, module_name, type);
      if (sha256 != NULL && strlen (sha256) != 64)
        g_error ("%s: module %s: “%s” is not a SHA-256", manifest_path, module_name, sha256);
    }
  else if (g_str_equal (type, "dir"))
    {
      if (!is_app)
        g_error ("%s: module %s: only Vouch itself may be built from a dir", manifest_path,
                 module_name);
    }
  else if (!g_str_equal (type, "patch") && !g_str_equal (type, "shell"))
    {
      g_error ("%s: module %s: source type %s cannot be pinned", manifest_path, module_name, type);
    }
}

static void
test_sources_pinned (void)
{
  g_auto(GStrv) paths = manifest_paths ();

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *manifest = load (parser, paths[i]);
      JsonArray *modules = member_array (manifest, "modules");
      guint n_modules;

      g_test_message ("%s", paths[i]);
      g_assert_nonnull (modules);
      n_modules = json_array_get_length (modules);
      for (guint j = 0; j < n_modules; j++)
        {
          JsonNode *node = json_array_get_element (modules, j);
          JsonObject *module;
          const char *name;
          JsonArray *sources;

          /* A module given as a file name would be a separate manifest. */
          if (!JSON_NODE_HOLDS_OBJECT (node))
            g_error ("%s: module %u is not inline", paths[i], j);
          module = json_node_get_object (node);
          name = member_string (module, "name");
          g_assert_nonnull (name);
          sources = member_array (module, "sources");
          if (sources == NULL || json_array_get_length (sources) == 0)
            g_error ("%s: module %s has no sources", paths[i], name);
          for (guint k = 0; k < json_array_get_length (sources); k++)
            check_source (paths[i], name, j == n_modules - 1 && g_str_equal (name, "vouch"),
                          json_array_get_object_element (sources, k));
        }
    }
}

static void
test_meson_options_exist (void)
{
  g_auto(GStrv) paths = manifest_paths ();
  g_autoptr(GHashTable) options = meson_options ();

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *manifest = load (parser, paths[i]);
      JsonArray *modules = member_array (manifest, "modules");
      JsonObject *app_module = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
      JsonArray *opts = member_array (app_module, "config-opts");

      g_test_message ("%s", paths[i]);
      g_assert_cmpstr (member_string (app_module, "buildsystem"), ==, "meson");
      for (guint j = 0; opts != NULL && j < json_array_get_length (opts); j++)
        {
          const char *opt = json_array_get_string_element (opts, j);
          g_autofree char *name = NULL;
          const char *eq;

          if (!g_str_has_prefix (opt, "-D"))
            continue;
          eq = strchr (opt, '=');
          g_assert_nonnull (eq);
          name = g_strndup (opt + 2, eq - opt - 2);
          if (!g_hash_table_contains (options, name))
            g_error ("%s: -D%s is not an option in meson_options.txt", paths[i], name);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flatpak/app-id-and-command", test_app_id_and_command);
  g_test_add_func ("/flatpak/finish-args-justified", test_finish_args_justified);
  g_test_add_func ("/flatpak/sources-pinned", test_sources_pinned);
  g_test_add_func ("/flatpak/meson-options-exist", test_meson_options_exist);

  return g_test_run ();
}
