/* test-harden.c: processes that hold a private key leave no core dump and
 * cannot be read by other processes of the same user
 *
 * vouch_process_harden() sets RLIMIT_CORE to 0 and PR_SET_DUMPABLE to 0;
 * vouchctl, the agent and the GUI (src/main.c) call it first thing. Here it
 * is checked in this process, then in a running vouchctl and a running
 * vouch-agent through /proc.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-test-util.h"

#include "vouch-util.h"

#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static void
test_in_process (void)
{
  struct rlimit limit = { 1, 1 };

  /* In a child, so the rest of this program keeps its own limits. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  vouch_process_harden ();
  g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
  g_assert_cmpint (getrlimit (RLIMIT_CORE, &limit), ==, 0);
  g_assert_cmpuint (limit.rlim_cur, ==, 0);
  g_assert_cmpuint (limit.rlim_max, ==, 0);
}

/* Waits (at most 10 s) until /proc/PID/limits shows no core dumps. */
static void
assert_hardened (GSubprocess *process)
{
  const char *pid = g_subprocess_get_identifier (process);
  g_autofree char *limits_path = g_strdup_printf ("/proc/%s/limits", pid);
  g_autofree char *dir = g_strdup_printf ("/proc/%s", pid);
  gboolean hardened = FALSE;
  struct stat st;

  g_assert_nonnull (pid);
  for (guint i = 0; i < 100 && !hardened; i++)
    {
      g_autofree char *limits = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (limits_path, &limits, NULL, NULL))
        g_error ("%s is gone: the process exited early", limits_path);
      lines = g_strsplit (limits, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          g_auto(GStrv) fields = NULL;

          if (!g_str_has_prefix (lines[j], "Max core file size"))
            continue;
          fields = g_strsplit_set (lines[j] + strlen ("Max core file size"), " ", -1);
          /* "Max core file size  0  0  bytes": soft and hard both 0. */
          {
            g_autoptr(GPtrArray) values = g_ptr_array_new ();

            for (guint k = 0; fields[k] != NULL; k++)
              if (*fields[k] != '\0')
                g_ptr_array_add (values, fields[k]);
            hardened = values->len >= 2 &&
                       g_str_equal (g_ptr_array_index (values, 0), "0") &&
                       g_str_equal (g_ptr_array_index (values, 1), "0");
          }
        }
      if (!hardened)
        g_usleep (100 * 1000);
    }
  g_assert_true (hardened);

  /* A process that is not dumpable has its /proc entries owned by root,
   * which is how another process of the same user sees the difference. As
   * root, both look the same, and this check says nothing more. */
  g_assert_cmpint (stat (dir, &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, 0);
}

static void
test_vouchctl (void)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *data_home = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "harden", NULL);
  int status = -1;

  vouch_test_set_child_env ("XDG_DATA_HOME", data_home);
  out = vouch_test_vouchctl (NULL, &status, &err, "ca", "init", NULL);
  if (status != 0)
    g_error ("ca init failed: %s", err);

  /* `sign -` waits for the CSR on standard input, holding the process
   * open for inspection; the pipe is closed afterwards so it exits. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              g_getenv ("VOUCHCTL"), "sign", "-", NULL);
  g_assert_no_error (error);
  assert_hardened (process);
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
}

static void
test_agent (void)
{
  g_autofree char *state_dir = g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), "agent", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *agent = g_getenv ("VOUCH_AGENT");

  g_assert_nonnull (agent);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, agent, "--state-dir", state_dir, "--address", "127.0.0.1",
                              "--admin-token", "harden-test-token-0123456789", "--no-mdns", NULL);
  g_assert_no_error (error);
  assert_hardened (process);
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/harden/in-process", test_in_process);
  g_test_add_func ("/harden/vouchctl", test_vouchctl);
  g_test_add_func ("/harden/agent", test_agent);

  return g_test_run ();
}
