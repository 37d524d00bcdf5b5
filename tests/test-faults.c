/* test-faults.c: a full disk, a locked or absent keyring, avahi-daemon
 * restarting mid-run
 *
 * Runs inside tools/private-lan with avahi: a network and mount namespace
 * of its own, so the tiny filesystem mounted here and the avahi-daemon
 * restarted here are private to the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "agent/agent-test-util.h"
#include "vouch-bulk-onboarding.h"
#include "vouch-discovery.h"
#include "vouch-error.h"
#include "vouch-onboarding.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <libsecret/secret.h>
#include <unistd.h>

#define WAIT_SECONDS 60
#define N_MDNS_AGENTS 6

static char *
test_dir (const char *name)
{
  return g_build_filename (g_getenv ("VOUCH_TEST_TMPDIR"), name, NULL);
}

static VouchAuthority *
new_authority (const char *dir)
{
  g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
  g_autoptr(GError) error = NULL;
  VouchAuthority *authority = vouch_authority_new (dir);

  g_assert_true (vouch_name_constraints_add (nc, "127.0.0.0/8", &error));
  g_assert_true (vouch_authority_create_root (authority, "Faults Test", VOUCH_KEY_TYPE_ECDSA_P256,
                                              nc, NULL, &error));
  g_assert_no_error (error);
  return authority;
}

static VouchCertificate *
sign_one (VouchAuthority  *authority,
          const char      *name,
          GError         **error)
{
  g_autofree char *csr = vouch_test_make_simple_csr (name);
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;

  return vouch_authority_sign (authority, (const guint8 *)csr, strlen (csr), &options, NULL, error);
}

static guint
count_certificates (VouchAuthority *authority)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) certs = vouch_inventory_list_certificates (vouch_authority_get_inventory (authority),
                                                                   &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (certs);
}

/* Writes until the filesystem refuses, bounded by its size. */
static void
fill (const char *path)
{
  static char block[4096];
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < 16 * 1024; i++)
    if (write (fd, block, sizeof block) < 0)
      break;
  g_assert_cmpint (write (fd, block, 1), <, 0);
  g_assert_cmpint (errno, ==, ENOSPC);
  close (fd);
}

static void
test_full_disk (void)
{
  g_autofree char *mount_point = test_dir ("small-disk");
  g_autofree char *data_dir = g_build_filename (mount_point, "vouch", NULL);
  g_autofree char *filler = g_build_filename (mount_point, "filler", NULL);
  const char *mount_argv[] = { "mount", "-t", "tmpfs", "-o", "size=2m", "vouch-small-disk",
                               mount_point, NULL };
  const char *umount_argv[] = { "umount", "-l", mount_point, NULL };
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchAuthority) reopened = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) serials = g_ptr_array_new_with_free_func (g_free);
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (mount_point, 0700), ==, 0);
  vouch_test_run (mount_argv, NULL, NULL, &err, &status);
  if (status != 0)
    {
      /* CI runs as root, and private-lan gives a mount namespace either
       * way; only an unprivileged run without user namespaces lands here. */
      if (geteuid () != 0)
        {
          g_test_skip ("mounting a small tmpfs needs root or a user namespace");
          return;
        }
      g_error ("mount failed as root: %s", err);
    }

  authority = new_authority (data_dir);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("before-%u.local", i);

      cert = sign_one (authority, name, &error);
      g_assert_no_error (error);
      g_ptr_array_add (serials, g_strdup (vouch_certificate_get_serial (cert)));
      g_clear_object (&cert);
    }

  fill (filler);
  cert = sign_one (authority, "full.local", &error);
  g_test_message ("full disk: %s", error != NULL ? error->message : "(no error)");
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVENTORY);
  g_assert_true (strstr (error->message, "full") != NULL ||
                 strstr (error->message, "No space") != NULL);
  g_assert_null (cert);
  g_clear_error (&error);

  /* Nothing half-written: a fresh open sees exactly the earlier rows. */
  g_clear_object (&authority);
  reopened = vouch_authority_new (data_dir);
  g_assert_true (vouch_authority_load (reopened, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_certificates (reopened), ==, serials->len);
  for (guint i = 0; i < serials->len; i++)
    {
      g_autoptr(VouchCertificate) kept =
        vouch_inventory_lookup_certificate (vouch_authority_get_inventory (reopened),
                                            g_ptr_array_index (serials, i), &error);

      g_assert_no_error (error);
      g_assert_nonnull (kept);
    }

  /* Space again: issuing works, and is recorded. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  cert = sign_one (reopened, "after.local", &error);
  g_assert_no_error (error);
  g_assert_nonnull (cert);
  g_assert_cmpuint (count_certificates (reopened), ==, serials->len + 1);

  g_clear_object (&reopened);
  vouch_test_run (umount_argv, NULL, NULL, NULL, &status);
}

/* A bus with no Secret Service: creating a root fails before anything is
 * written, and an existing root cannot sign. */
static void
test_keyring_absent (void)
{
  g_autofree char *existing = test_dir ("keyring-absent-existing");
  g_autofree char *fresh = test_dir ("keyring-absent-fresh");

  if (!g_test_subprocess ())
    {
      g_autoptr(VouchAuthority) authority = new_authority (existing);

      g_clear_object (&authority);
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  {
    g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
    g_autoptr(VouchNameConstraints) nc = vouch_name_constraints_new_local_defaults ();
    g_autoptr(VouchAuthority) authority = NULL;
    g_autoptr(VouchAuthority) loaded = NULL;
    g_autoptr(VouchCertificate) cert = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *root_pem = g_build_filename (fresh, "root.pem", NULL);
    guint before;

    g_test_dbus_up (bus);

    authority = vouch_authority_new (fresh);
    g_assert_false (vouch_authority_create_root (authority, "No Keyring", VOUCH_KEY_TYPE_ECDSA_P256,
                                                 nc, NULL, &error));
    g_test_message ("absent keyring, create: %s", error->message);
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_UNAVAILABLE);
    g_assert_nonnull (strstr (error->message, "Secret Service"));
    g_assert_false (g_file_test (root_pem, G_FILE_TEST_EXISTS));
    g_clear_error (&error);

    loaded = vouch_authority_new (existing);
    g_assert_true (vouch_authority_load (loaded, &error));
    before = count_certificates (loaded);
    cert = sign_one (loaded, "nokeyring.local", &error);
    g_test_message ("absent keyring, sign: %s", error->message);
    g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_UNAVAILABLE);
    g_assert_null (cert);
    g_assert_cmpuint (count_certificates (loaded), ==, before);

    /* As in test-key-store.c: no g_test_dbus_down() wait on a connection
     * libsecret's failed session may still hold; this child exits next. */
    g_clear_object (&authority);
    g_clear_object (&loaded);
    secret_service_disconnect ();
    g_test_dbus_stop (bus);
  }
}

/* The collection holding the root's key is locked and no one is there to
 * type the password (no prompter on a headless bus): a clear "locked"
 * error, nothing issued. Runs last: the keyring stays locked. */
static void
test_keyring_locked (void)
{
  g_autofree char *dir = test_dir ("keyring-locked");
  g_autoptr(VouchAuthority) authority = new_authority (dir);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(VouchCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(GDBusProxy) objects = NULL;
  guint before = count_certificates (authority);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  objects = g_list_append (NULL, g_object_ref (collection));
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));

  cert = sign_one (authority, "locked.local", &error);
  g_test_message ("locked keyring: %s", error != NULL ? error->message : "(no error)");
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_LOCKED);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_assert_null (cert);
  g_assert_cmpuint (count_certificates (authority), ==, before);
}

/* --- avahi-daemon restarting mid-run ------------------------------------ */

static gboolean
status_is (VouchDiscovery       *discovery,
           VouchDiscoveryStatus  status)
{
  return vouch_discovery_get_status (discovery) == status;
}

static guint
count_online (VouchDiscovery *discovery,
              GPtrArray      *agents)
{
  guint online = 0;

  for (guint i = 0; i < agents->len; i++)
    {
      TestAgent *agent = g_ptr_array_index (agents, i);
      VouchDevice *device = vouch_discovery_lookup (discovery, agent->device_id);
      g_autofree char *url = device != NULL ? vouch_device_dup_base_url (device) : NULL;

      if (device != NULL && vouch_device_get_online (device) && url != NULL)
        online++;
    }
  return online;
}

#define WAIT_UNTIL(cond)                                                         \
  G_STMT_START {                                                                 \
    gint64 end_ = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;      \
    while (!(cond) && g_get_monotonic_time () < end_)                           \
      g_main_context_iteration (NULL, TRUE);                                     \
    g_assert_true (cond);                                                        \
  } G_STMT_END

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
avahi (const char *what)
{
  const char *conf = g_getenv ("VOUCH_AVAHI_CONF");
  const char *stop[] = { "avahi-daemon", "-k", NULL };
  const char *start[] = { "avahi-daemon", "-f", conf, "--no-drop-root", "--no-chroot",
                          "--no-rlimits", "-D", NULL };
  g_autofree char *err = NULL;
  int status = -1;

  vouch_test_run (g_str_equal (what, "stop") ? stop : start, NULL, NULL, &err, &status);
  if (status != 0)
    g_error ("avahi-daemon %s failed: %s", what, err);
}

static void
test_avahi_restart (void)
{
  g_autofree char *dir = test_dir ("avahi-restart");
  g_autoptr(VouchAuthority) authority = NULL;
  g_autoptr(VouchOnboarding) onboarding = NULL;
  g_autoptr(VouchDiscovery) discovery = NULL;
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func ((GDestroyNotify)test_agent_free);
  g_autoptr(GListStore) devices = g_list_store_new (VOUCH_TYPE_DEVICE);
  g_autoptr(VouchBulkOnboarding) bulk = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint wake;

  if (g_getenv ("VOUCH_AVAHI_CONF") == NULL)
    {
      g_test_skip ("needs tools/private-lan with avahi");
      return;
    }

  /* Status changes arrive from Avahi's callbacks; keep the loop turning. */
  wake = g_timeout_add (50, wake_cb, NULL);
  authority = new_authority (dir);
  onboarding = vouch_onboarding_new (authority);
  vouch_onboarding_set_timeout (onboarding, 10);

  for (guint i = 0; i < N_MDNS_AGENTS; i++)
    {
      g_autofree char *state = g_strdup_printf ("%s/agent-%u", dir, i);
      g_autofree char *address = g_strdup_printf ("127.0.0.%u", 40 + i);
      g_autofree char *name = g_strdup_printf ("Restart %u", i);
      g_autofree char *host = g_strdup_printf ("restart-%u.local", i);
      const char *args[] = { "--name", name, "--hostname", host, NULL };
      TestAgent *agent = test_agent_start (state, address, args);

      agent->host_name = g_strdup (host);
      g_ptr_array_add (agents, agent);
    }

  discovery = vouch_discovery_new (vouch_authority_get_inventory (authority));
  vouch_discovery_start (discovery);
  WAIT_UNTIL (count_online (discovery, agents) == N_MDNS_AGENTS);

  for (guint i = 0; i < agents->len; i++)
    {
      TestAgent *agent = g_ptr_array_index (agents, i);
      VouchDevice *device = vouch_discovery_lookup (discovery, agent->device_id);
      g_autoptr(GAsyncResult) verified = NULL;

      vouch_onboarding_verify_async (onboarding, device, agent->setup_code, NULL, vouch_test_store_result_cb,
                                     &verified);
      WAIT_UNTIL (verified != NULL);
      g_assert_true (vouch_onboarding_verify_finish (onboarding, verified, &error));
      g_assert_no_error (error);
      g_assert_true (vouch_onboarding_set_admin_secret (onboarding, device, TEST_ADMIN_TOKEN,
                                                        &error));
      g_list_store_append (devices, device);
    }

  /* The daemon goes away as the run starts, and comes back during it. */
  bulk = vouch_bulk_onboarding_new (onboarding, G_LIST_MODEL (devices), 2);
  vouch_bulk_onboarding_run_async (bulk, NULL, vouch_test_store_result_cb, &result);
  avahi ("stop");
  WAIT_UNTIL (status_is (discovery, VOUCH_DISCOVERY_STATUS_DAEMON_MISSING));
  g_test_message ("avahi stopped: %s", vouch_discovery_get_status_message (discovery));
  g_assert_nonnull (vouch_discovery_get_status_message (discovery));
  avahi ("start");
  WAIT_UNTIL (status_is (discovery, VOUCH_DISCOVERY_STATUS_RUNNING));

  WAIT_UNTIL (result != NULL);
  g_assert_true (vouch_bulk_onboarding_run_finish (bulk, result, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (devices)); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (G_LIST_MODEL (devices), i);

      g_assert_cmpint (vouch_device_get_step (device), ==, VOUCH_ONBOARDING_STEP_CONFIRMED);
    }

  /* The agents publish again to the new daemon, and Vouch sees them. */
  WAIT_UNTIL (count_online (discovery, agents) == N_MDNS_AGENTS);

  g_source_remove (wake);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_require_private_lan ();

  g_test_add_func ("/faults/full-disk", test_full_disk);
  g_test_add_func ("/faults/keyring-absent", test_keyring_absent);
  g_test_add_func ("/faults/avahi-restart", test_avahi_restart);
  g_test_add_func ("/faults/keyring-locked", test_keyring_locked);

  return g_test_run ();
}
