/* test-acme-policy.c: approval, EAB keys, open mode and rate limits,
 * with a real inventory and the test's own gnome-keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-acme-approval-policy.h"
#include "vouch-acme-approvals.h"
#include "vouch-acme-eab.h"
#include "vouch-error.h"
#include "vouch-test-util.h"

#include <glib/gstdio.h>

#define THUMB_A "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
#define THUMB_B "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U"

typedef struct
{
  char                    *dir;
  char                    *path;
  VouchInventory          *inventory;
  VouchNameConstraints    *constraints;
  VouchAcmeApprovalPolicy *policy;
} Fixture;

static void
open_all (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->inventory = vouch_inventory_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->policy = vouch_acme_approval_policy_new (fixture->inventory, fixture->constraints);
}

static void
close_all (Fixture *fixture)
{
  vouch_test_await_last_ref (fixture->policy);
  g_assert_finalize_object (fixture->policy);
  fixture->policy = NULL;
  g_assert_finalize_object (fixture->inventory);
  fixture->inventory = NULL;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("vouch-acme-policy-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "inventory.db", NULL);
  fixture->constraints = vouch_name_constraints_new_local_defaults ();
  open_all (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *command = NULL;

  close_all (fixture);
  g_clear_object (&fixture->constraints);
  command = g_strdup_printf ("rm -rf '%s'", fixture->dir);
  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->path);
  g_free (fixture->dir);
}

typedef struct
{
  VouchAcmeDecision  decision;
  GError            *error;
  gboolean           done;
} Answer;

static void
decide_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;

  answer->decision = vouch_acme_policy_decide_finish (VOUCH_ACME_POLICY (object), result,
                                                      &answer->error);
  answer->done = TRUE;
}

static VouchAcmeDecision
decide (Fixture     *fixture,
        const char  *thumbprint,
        const char  *address,
        const char  *order_id,
        const char  *eab_key_id,
        GError     **error,
        ...)
{
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) types = g_strv_builder_new ();
  VouchAcmeRequest request = { 0 };
  Answer answer = { 0 };
  const char *name;
  va_list args;

  va_start (args, error);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_strv_builder_add (values, name);
      g_strv_builder_add (types, g_hostname_is_ip_address (name) ? "ip" : "dns");
    }
  va_end (args);

  request.account_id = (char *)"account";
  request.account_thumbprint = (char *)thumbprint;
  request.client_address = (char *)address;
  request.order_id = (char *)order_id;
  request.eab_key_id = (char *)eab_key_id;
  request.identifier_values = g_strv_builder_end (values);
  request.identifier_types = g_strv_builder_end (types);

  vouch_acme_policy_decide_async (VOUCH_ACME_POLICY (fixture->policy), &request, NULL,
                                  decide_cb, &answer);
  /* A worker thread answers; bounded by the test's timeout. */
  while (!answer.done)
    g_main_context_iteration (NULL, TRUE);

  g_strfreev (request.identifier_values);
  g_strfreev (request.identifier_types);
  if (answer.error != NULL)
    g_propagate_error (error, answer.error);
  return answer.decision;
}

static GListModel *
pending (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GListModel *list = vouch_acme_approvals_list (fixture->inventory, TRUE, &error);

  g_assert_no_error (error);
  return list;
}

static void
test_approval_flow (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(VouchAcmeApprovalRequest) request = NULL;
  gint64 id;

  /* A new account's first order waits, and asking again (the client
   * polls) queues nothing more. */
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.20", "o1", NULL, &error,
                           "nas.lan", "192.168.1.20", NULL), ==, VOUCH_ACME_DECISION_PENDING);
  g_assert_no_error (error);
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.20", "o1", NULL, &error,
                           "192.168.1.20", "NAS.lan", NULL), ==, VOUCH_ACME_DECISION_PENDING);
  list = pending (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  request = g_list_model_get_item (list, 0);
  g_assert_cmpstr (vouch_acme_approval_request_get_thumbprint (request), ==, THUMB_A);
  g_assert_cmpstr (vouch_acme_approval_request_get_client_address (request), ==, "192.168.1.20");
  g_assert_cmpstrv (vouch_acme_approval_request_get_names (request),
                    ((const char * const []) { "192.168.1.20", "nas.lan", NULL }));
  id = vouch_acme_approval_request_get_id (request);

  /* Still waiting after a restart; then approved. */
  close_all (fixture);
  open_all (fixture);
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.20", "o1", NULL, &error,
                           "nas.lan", "192.168.1.20", NULL), ==, VOUCH_ACME_DECISION_PENDING);
  g_assert_true (vouch_acme_approvals_decide (fixture->inventory, id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (vouch_acme_approvals_decide (fixture->inventory, id, FALSE, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (vouch_acme_approvals_decide (fixture->inventory, id + 100, TRUE, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Approved across a restart: renewals of those names (or fewer) ask
   * nobody. */
  close_all (fixture);
  open_all (fixture);
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.21", "o2", NULL, &error,
                           "nas.lan", "192.168.1.20", NULL), ==, VOUCH_ACME_DECISION_ALLOW);
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.21", "o3", NULL, &error,
                           "nas.lan", NULL), ==, VOUCH_ACME_DECISION_ALLOW);
  g_assert_no_error (error);

  /* New names ask again; another account key asks for itself. Refused
   * ones stay refused. */
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.20", "o4", NULL, &error,
                           "nas.lan", "backup.lan", NULL), ==, VOUCH_ACME_DECISION_PENDING);
  g_assert_cmpint (decide (fixture, THUMB_B, "192.168.1.30", "o5", NULL, &error,
                           "nas.lan", NULL), ==, VOUCH_ACME_DECISION_PENDING);
  g_clear_object (&list);
  list = pending (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  g_clear_object (&request);
  request = g_list_model_get_item (list, 1);
  g_assert_true (vouch_acme_approvals_decide (fixture->inventory,
                                              vouch_acme_approval_request_get_id (request),
                                              FALSE, &error));
  g_assert_cmpint (decide (fixture, THUMB_B, "192.168.1.30", "o5", NULL, &error,
                           "nas.lan", NULL), ==, VOUCH_ACME_DECISION_REFUSE);
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED);

  g_assert_cmpint (vouch_inventory_count_audit_events (fixture->inventory, "acme-pending"), ==, 3);
  g_assert_cmpint (vouch_inventory_count_audit_events (fixture->inventory, "acme-approved"), ==, 1);
  g_assert_cmpint (vouch_inventory_count_audit_events (fixture->inventory, "acme-refused"), ==, 1);
}

static void
test_constraints_and_open_mode (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;

  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.20", "o1", NULL, &error,
                           "www.example.com", NULL), ==, VOUCH_ACME_DECISION_REFUSE);
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  g_clear_error (&error);
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.20", "o2", NULL, &error,
                           "8.8.8.8", NULL), ==, VOUCH_ACME_DECISION_REFUSE);
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  g_clear_error (&error);
  g_assert_cmpint (vouch_inventory_count_audit_events (fixture->inventory, "acme-refused"), ==, 2);

  /* Open mode signs names inside the constraints without asking, and
   * still nothing outside them. */
  vouch_acme_approval_policy_set_open (fixture->policy, TRUE);
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.20", "o3", NULL, &error,
                           "printer.local", "10.1.2.3", NULL), ==, VOUCH_ACME_DECISION_ALLOW);
  g_assert_no_error (error);
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.1.20", "o4", NULL, &error,
                           "printer.local", "www.example.com", NULL), ==,
                   VOUCH_ACME_DECISION_REFUSE);
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  list = pending (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GBytes) key = NULL;

  key = vouch_acme_policy_lookup_eab_key_finish (VOUCH_ACME_POLICY (object), result, error);
  if (key != NULL)
    *error = g_error_new (G_IO_ERROR, G_IO_ERROR_EXISTS, "%zu", g_bytes_get_size (key));
}

static GError *
lookup (Fixture    *fixture,
        const char *id)
{
  GError *error = NULL;

  vouch_acme_policy_lookup_eab_key_async (VOUCH_ACME_POLICY (fixture->policy), id, NULL,
                                          lookup_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  return error;
}

static void
test_eab (Fixture       *fixture,
          gconstpointer  data)
{
  const char * const patterns[] = { "*.lan", "192.168.7.0/24", NULL };
  const char * const bad[] = { "*.lan", "ex*mple.lan", NULL };
  g_autofree char *id = NULL;
  g_autofree char *hmac = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *hmac2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) keys = NULL;

  g_assert_false (vouch_acme_eab_create (fixture->inventory, bad, NULL, &id, &hmac, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (id);

  vouch_acme_eab_create (fixture->inventory, patterns, NULL, &id, &hmac, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (hmac), ==, 43);
  g_assert_true (vouch_acme_eab_create (fixture->inventory, patterns, NULL, &id2, &hmac2,
                                        &error));
  g_assert_cmpstr (id, !=, id2);
  g_assert_cmpstr (hmac, !=, hmac2);

  error = lookup (fixture, id);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "32");
  g_clear_error (&error);
  error = lookup (fixture, "no-such-key");
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Bound accounts get the key's names without asking, nothing else. */
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.7.5", "o1", id, &error,
                           "nas.lan", "deep.er.lan", "192.168.7.5", NULL), ==,
                   VOUCH_ACME_DECISION_ALLOW);
  g_assert_no_error (error);
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.7.5", "o2", id, &error,
                           "nas.home.arpa", NULL), ==, VOUCH_ACME_DECISION_REFUSE);
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_REJECTED_IDENTIFIER);
  g_clear_error (&error);

  /* Revoked: gone from the keyring, and bound accounts stop. */
  g_assert_true (vouch_acme_eab_revoke (fixture->inventory, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (vouch_acme_eab_revoke (fixture->inventory, id, NULL, &error));
  g_assert_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  error = lookup (fixture, id);
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_cmpint (decide (fixture, THUMB_A, "192.168.7.5", "o3", id, &error,
                           "nas.lan", NULL), ==, VOUCH_ACME_DECISION_REFUSE);
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_UNAUTHORIZED);

  keys = vouch_acme_approvals_list_eab_keys (fixture->inventory, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (keys), ==, 2);
  g_assert_cmpint (vouch_inventory_count_audit_events (fixture->inventory, "acme-eab-created"),
                   ==, 2);
  g_assert_cmpint (vouch_inventory_count_audit_events (fixture->inventory, "acme-eab-revoked"),
                   ==, 1);
  g_assert_cmpint (vouch_inventory_count_audit_events (fixture->inventory, "acme-refused"), ==, 2);
}

static void
test_rate_limits (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  vouch_acme_approval_policy_set_open (fixture->policy, TRUE);
  vouch_acme_approval_policy_set_rate_limits (fixture->policy, 2, 3600, 3, 3600);

  /* Per account: two orders, and polling them costs nothing more. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (decide (fixture, THUMB_A, "10.0.0.1", "a1", NULL, &error, "a.lan", NULL),
                       ==, VOUCH_ACME_DECISION_ALLOW);
      g_assert_cmpint (decide (fixture, THUMB_A, "10.0.0.1", "a2", NULL, &error, "a.lan", NULL),
                       ==, VOUCH_ACME_DECISION_ALLOW);
    }
  g_assert_no_error (error);
  g_assert_cmpint (decide (fixture, THUMB_A, "10.0.0.2", "a3", NULL, &error, "a.lan", NULL),
                   ==, VOUCH_ACME_DECISION_REFUSE);
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_RATE_LIMITED);
  g_clear_error (&error);

  /* Per address: a third account from 10.0.0.1 is the address's third
   * order; the fourth is refused whatever the account. */
  g_assert_cmpint (decide (fixture, THUMB_B, "10.0.0.1", "b1", NULL, &error, "b.lan", NULL),
                   ==, VOUCH_ACME_DECISION_ALLOW);
  g_assert_cmpint (decide (fixture, "third", "10.0.0.1", "c1", NULL, &error, "c.lan", NULL),
                   ==, VOUCH_ACME_DECISION_REFUSE);
  g_assert_error (error, VOUCH_ACME_ERROR, VOUCH_ACME_ERROR_RATE_LIMITED);
  g_assert_cmpint (vouch_inventory_count_audit_events (fixture->inventory, "acme-refused"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/acme-policy/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("approval-flow", test_approval_flow);
  ADD ("constraints-and-open-mode", test_constraints_and_open_mode);
  ADD ("eab", test_eab);
  ADD ("rate-limits", test_rate_limits);
#undef ADD

  return g_test_run ();
}
