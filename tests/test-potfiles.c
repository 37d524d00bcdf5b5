/* test-potfiles.c: every file with translatable strings is in
 * po/POTFILES.in, and the list is sorted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

static gboolean
has_marker (const char *contents)
{
  return strstr (contents, "_(\"") != NULL || strstr (contents, "N_(\"") != NULL ||
         strstr (contents, "translatable=\"yes\"") != NULL || strstr (contents, "<summary>") != NULL;
}

static void
collect (const char *top,
         const char *relative,
         GPtrArray  *found)
{
  g_autofree char *path = g_build_filename (top, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *full = g_build_filename (top, child, NULL);
      g_autofree char *contents = NULL;

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        {
          collect (top, child, found);
          continue;
        }
      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".ui") &&
          !g_str_has_suffix (name, ".gschema.xml") && !g_str_has_suffix (name, ".in"))
        continue;
      if (g_file_get_contents (full, &contents, NULL, NULL) && has_marker (contents))
        g_ptr_array_add (found, g_steal_pointer (&child));
    }
}

static void
test_complete_and_sorted (void)
{
  const char *top = g_getenv ("VOUCH_SOURCE_ROOT");
  g_autofree char *potfiles_path = NULL;
  g_autofree char *potfiles = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (top);
  potfiles_path = g_build_filename (top, "po", "POTFILES.in", NULL);
  g_assert_true (g_file_get_contents (potfiles_path, &potfiles, NULL, &error));
  g_assert_no_error (error);

  lines = g_strsplit (potfiles, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *path = NULL;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      path = g_build_filename (top, lines[i], NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_error ("po/POTFILES.in lists %s, which does not exist", lines[i]);
      if (listed->len > 0 && strcmp (g_ptr_array_index (listed, listed->len - 1), lines[i]) >= 0)
        g_error ("po/POTFILES.in is not sorted at %s", lines[i]);
      g_ptr_array_add (listed, lines[i]);
    }

  collect (top, "src", found);
  collect (top, "data", found);
  for (guint i = 0; i < found->len; i++)
    {
      const char *file = g_ptr_array_index (found, i);

      if (!g_ptr_array_find_with_equal_func (listed, file, g_str_equal, NULL))
        g_error ("%s has translatable strings but is missing from po/POTFILES.in", file);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/potfiles/complete-and-sorted", test_complete_and_sorted);
  return g_test_run ();
}
