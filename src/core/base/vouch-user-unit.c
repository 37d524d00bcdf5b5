/* vouch-user-unit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-user-unit"

#include "vouch-config.h"

#include "vouch-user-unit.h"

#include "vouch-error.h"

#include <glib/gi18n-lib.h>

/* Preferences turns Vouch's systemd user units on and off (the renewal
 * timer, vouch-renew.timer; the ACME server, vouch-acme.service) by
 * enabling or disabling them. Vouch asks systemctl rather than writing
 * links itself, so systemd stays the one that knows. VOUCH_SYSTEMCTL
 * names another program, for tests where no user manager runs. */

static const char *
systemctl (void)
{
  const char *override = g_getenv ("VOUCH_SYSTEMCTL");

  return override != NULL && *override != '\0' ? override : "systemctl";
}

/**
 * vouch_user_unit_build_argv:
 * @unit: a unit file name, such as vouch-renew.timer
 *
 * Returns: (transfer full): the command that enables (and starts) or
 *   disables (and stops) @unit
 */
char **
vouch_user_unit_build_argv (const char *unit,
                            gboolean    enabled)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add_many (builder, systemctl (), "--user", enabled ? "enable" : "disable",
                           "--now", unit, NULL);
  return g_strv_builder_end (builder);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autofree char *err = NULL;
  GError *error = NULL;

  if (!g_subprocess_communicate_utf8_finish (process, result, NULL, &err, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_strstrip (err);
      g_task_return_new_error (task, VOUCH_ERROR, VOUCH_ERROR_FAILED,
                               _("The systemd user manager refused to change %s: %s"),
                               (const char *)g_task_get_task_data (task),
                               err != NULL && *err != '\0' ? err : _("no reason given"));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Takes over @task. */
static void
run (char  **argv,
     GTask  *task)
{
  g_autoptr(GSubprocess) process = NULL;
  GError *error = NULL;

  process = g_subprocess_newv ((const char * const *)argv,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  if (process == NULL)
    {
      g_prefix_error (&error, _("Could not run systemctl: "));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_subprocess_communicate_utf8_async (process, NULL, g_task_get_cancellable (task),
                                       communicate_cb, task);
}

/**
 * vouch_user_unit_set_enabled_async:
 *
 * Runs `systemctl --user enable --now UNIT` (or `disable --now`).
 */
void
vouch_user_unit_set_enabled_async (const char          *unit,
                                   gboolean             enabled,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_auto(GStrv) argv = vouch_user_unit_build_argv (unit, enabled);
  GTask *task;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_user_unit_set_enabled_async);
  g_task_set_task_data (task, g_strdup (unit), g_free);
  run (argv, task);
}

gboolean
vouch_user_unit_set_enabled_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
is_enabled_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autofree char *out = NULL;
  GError *error = NULL;

  if (!g_subprocess_communicate_utf8_finish (process, result, &out, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* is-enabled prints the state and exits non-zero for "disabled" too;
   * only the printed state tells enabled from not. */
  g_task_return_boolean (task, out != NULL && g_str_has_prefix (g_strstrip (out), "enabled"));
}

/**
 * vouch_user_unit_get_enabled_async:
 *
 * Asks `systemctl --user is-enabled UNIT`, so Preferences shows the truth
 * even when the user changed it from a terminal.
 */
void
vouch_user_unit_get_enabled_async (const char          *unit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GSubprocess) process = NULL;
  const char *argv[] = { systemctl (), "--user", "is-enabled", unit, NULL };
  GError *error = NULL;
  GTask *task;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_user_unit_get_enabled_async);

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (process == NULL)
    {
      g_prefix_error (&error, _("Could not run systemctl: "));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_subprocess_communicate_utf8_async (process, NULL, cancellable, is_enabled_cb, task);
}

/**
 * vouch_user_unit_get_enabled_finish:
 * @out_enabled: (out): whether the unit is enabled
 */
gboolean
vouch_user_unit_get_enabled_finish (GAsyncResult  *result,
                                    gboolean      *out_enabled,
                                    GError       **error)
{
  GError *local_error = NULL;
  gboolean enabled;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  enabled = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_enabled != NULL)
    *out_enabled = enabled;
  return TRUE;
}
