/* vouch-trust-traces.c: every place on this machine a client could still
 * find a root, looked for the way an administrator would: the anchor, the
 * links in /etc/ssl/certs, the bundle, and `keytool -list -cacerts`
 *
 * Deliberately not the code vouch-trust-backend.c uses to answer the same
 * question: a test that shared it would share its blind spots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-trust-traces.h"

#include "vouch-test-util.h"
#include "vouch-trust-store-private.h"

#include <glib/gstdio.h>
#include <string.h>

#define ANCHOR "/usr/local/share/ca-certificates/vouch-local-root.crt"
#define CERTS_DIR "/etc/ssl/certs"
#define BUNDLE "/etc/ssl/certs/ca-certificates.crt"

/**
 * vouch_test_system_trust_traces:
 * @pem: the root's PEM, as Vouch writes it
 *
 * Returns: (transfer full): one line per trace found; empty when no
 *   client of the system store, nor Java, trusts the root
 */
GPtrArray *
vouch_test_system_trust_traces (const char *pem)
{
  GPtrArray *traces = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (CERTS_DIR, 0, NULL);
  g_auto(GStrv) lines = g_strsplit (pem, "\n", -1);
  g_autofree char *bundle = NULL;
  g_autofree char *keytool = g_find_program_in_path ("keytool");
  const char *name;

  if (g_file_test (ANCHOR, G_FILE_TEST_EXISTS))
    g_ptr_array_add (traces, g_strdup (ANCHOR));

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (CERTS_DIR, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (strstr (name, "vouch") != NULL ||
          (target != NULL && strstr (target, "vouch") != NULL))
        g_ptr_array_add (traces, g_strdup_printf ("%s -> %s", path, target ? target : ""));
    }

  /* The second line of base64 is unique enough. */
  if (g_file_get_contents (BUNDLE, &bundle, NULL, NULL) && lines[0] != NULL &&
      lines[1] != NULL && strstr (bundle, lines[1]) != NULL)
    g_ptr_array_add (traces, g_strdup (BUNDLE));

  if (keytool != NULL)
    {
      const char *argv[] = { keytool, "-list", "-cacerts", "-storepass", "changeit", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_auto(GStrv) entries = NULL;
      int status = -1;

      vouch_test_run (argv, NULL, &out, &err, &status);
      if (status != 0)
        g_error ("keytool -list -cacerts failed: %s", err);
      entries = g_strsplit (out, "\n", -1);
      for (guint i = 0; entries[i] != NULL; i++)
        {
          g_autofree char *lower = g_ascii_strdown (entries[i], -1);

          if (strstr (lower, "vouch") != NULL)
            g_ptr_array_add (traces, g_strdup_printf ("keytool -list -cacerts: %s", entries[i]));
        }
    }
  return traces;
}

void
vouch_test_assert_no_traces (const char *pem)
{
  g_autoptr(GPtrArray) traces = vouch_test_system_trust_traces (pem);

  if (traces->len == 0)
    return;
  g_ptr_array_add (traces, NULL);
  g_error ("the system still trusts the root through:\n%s",
           g_strjoinv ("\n", (char **)traces->pdata));
}

/**
 * vouch_test_assert_store_status:
 * @fragment: (nullable): text the store's message must contain
 *
 * Reads @store again and checks what it says, showing its message if not.
 */
void
vouch_test_assert_store_status (VouchTrustStore  *store,
                                VouchTrustStatus  status,
                                const char       *fragment)
{
  g_autoptr(GError) error = NULL;
  const char *message;

  g_assert_true (_vouch_trust_store_refresh (store, NULL, &error));
  g_assert_no_error (error);
  message = vouch_trust_store_get_message (store);
  if (vouch_trust_store_get_status (store) != status ||
      (fragment != NULL && (message == NULL || strstr (message, fragment) == NULL)))
    g_error ("%s: expected %s with “%s”, got %s: %s", vouch_trust_store_get_id (store),
             vouch_trust_status_to_string (status), fragment ? fragment : "",
             vouch_trust_status_to_string (vouch_trust_store_get_status (store)),
             message ? message : "(no message)");
}
