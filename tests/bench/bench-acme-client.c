/* bench-acme-client.c: the ACME benchmark's client loop in C, so the
 * server, not the client, is what limits the rate
 *
 * The same loop as bench-acme.py: each of N workers (a thread with its own
 * main context, libsoup session and account) runs COUNT times newOrder →
 * the authorization (POST-as-GET) → respond to http-01 → poll the order
 * without sleeping until ready → finalize → poll until valid → download,
 * from its own address 127.0.3.N (a device of its own, as on a LAN), with a
 * new account every 15 orders (under Vouch's per-account limit). Validation
 * is off in the server. JWS signatures are ES256 through GnuTLS
 * (tests/acme-test-client.c). Prints the same JSON line as bench-acme.py:
 * certs/s, p50/p95 latency, and the server's CPU per certificate (the
 * CPU clock of --pid, all its threads, before and after).
 *
 *   bench-acme-client --directory URL --ca PEM --pid PID [--clients N]
 *                     [--count N] [--label NAME]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "../acme-test-client.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A worker whose server stops answering gives up after this many polls. */
#define MAX_POLLS 10000
#define ORDERS_PER_ACCOUNT 15

/* The workers set up (session, first account) before the clock starts,
 * as bench-acme.py's do. */
typedef struct
{
  GMutex  mutex;
  GCond   cond;
  guint   ready;
  gboolean go;
} Start;

typedef struct
{
  Start       *start;
  guint        index;
  const char  *directory;
  const char  *ca;
  guint        count;
  GArray      *latencies;   /* seconds, of each certificate */
  guint        posts;       /* JWS requests sent for certificates */
  guint        errors;
  char        *first_error;
} Worker;

/* The process's CPU clock is the same sum as /proc's utime+stime, in
 * nanoseconds instead of 10 ms ticks: a 40-certificate run of a server
 * spending 2 ms each is only 8 ticks. /proc is the fallback for a server
 * whose clock this process may not read. */
static double
server_cpu (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  clockid_t cpu_clock;
  struct timespec ts;
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (clock_getcpuclockid (pid, &cpu_clock) == 0 && clock_gettime (cpu_clock, &ts) == 0)
    return ts.tv_sec + ts.tv_nsec / 1e9;
  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    g_error ("cannot read %s", path);
  fields = g_strsplit (after + 2, " ", 0);
  g_assert_cmpuint (g_strv_length (fields), >, 12);
  /* utime and stime, fields 14 and 15 of stat(5), are 11 and 12 here. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static gboolean
failed (Worker           *worker,
        const char       *what,
        AcmeTestResponse *response)
{
  /* Status 0: no answer at all (the connection failed or timed out). */
  if (response->status != 0 && response->status < 400)
    return FALSE;
  if (worker->first_error == NULL)
    worker->first_error = g_strdup_printf ("%s: %u %.*s", what, response->status,
                                           (int)MIN (g_bytes_get_size (response->body), 300),
                                           (const char *)g_bytes_get_data (response->body, NULL));
  return TRUE;
}

static AcmeTestResponse *
post (Worker         *worker,
      AcmeTestClient *client,
      AcmeTestKey    *key,
      const char     *url,
      const char     *payload)
{
  worker->posts++;
  return acme_test_client_post (client, key, url, payload);
}

static const char *
status_of (AcmeTestResponse *response)
{
  return json_object_get_string_member (json_node_get_object (response->json), "status");
}

/* POST-as-GET on the order without sleeping until its status is one of
 * @states; returns the last answer, or NULL after an error. */
static AcmeTestResponse *
poll_order (Worker             *worker,
            AcmeTestClient     *client,
            AcmeTestKey        *key,
            const char         *url,
            const char * const *states)
{
  for (guint i = 0; i < MAX_POLLS; i++)
    {
      g_autoptr(AcmeTestResponse) response = post (worker, client, key, url, NULL);

      if (failed (worker, "poll", response))
        return NULL;
      if (g_strv_contains (states, status_of (response)))
        return g_steal_pointer (&response);
    }
  if (worker->first_error == NULL)
    worker->first_error = g_strdup_printf ("%s never reached %s", url, states[0]);
  return NULL;
}

/* One certificate, newOrder to download. */
static gboolean
one (Worker         *worker,
     AcmeTestClient *client,
     AcmeTestKey    *key,
     const char     *csr,
     const char     *name)
{
  static const char * const ready[] = { "ready", "valid", NULL };
  static const char * const valid[] = { "valid", NULL };
  g_autofree char *payload = g_strdup_printf ("{\"identifiers\":[{\"type\":\"dns\",\"value\":\"%s\"}]}",
                                              name);
  g_autofree char *finalize_payload = g_strdup_printf ("{\"csr\":\"%s\"}", csr);
  g_autoptr(AcmeTestResponse) order = NULL;
  g_autoptr(AcmeTestResponse) done = NULL;
  g_autoptr(AcmeTestResponse) finalized = NULL;
  g_autoptr(AcmeTestResponse) pem = NULL;
  g_autofree char *order_url = NULL;
  JsonObject *object;
  JsonArray *authzs;

  order = post (worker, client, key, acme_test_client_url (client, "newOrder"), payload);
  if (failed (worker, "newOrder", order))
    return FALSE;
  order_url = g_strdup (order->location);
  object = json_node_get_object (order->json);
  authzs = json_object_get_array_member (object, "authorizations");
  for (guint i = 0; i < json_array_get_length (authzs); i++)
    {
      g_autoptr(AcmeTestResponse) authz = NULL;
      JsonArray *challenges;

      authz = post (worker, client, key, json_array_get_string_element (authzs, i), NULL);
      if (failed (worker, "authorization", authz))
        return FALSE;
      if (g_str_equal (status_of (authz), "valid"))
        continue;
      challenges = json_object_get_array_member (json_node_get_object (authz->json), "challenges");
      for (guint j = 0; j < json_array_get_length (challenges); j++)
        {
          JsonObject *challenge = json_array_get_object_element (challenges, j);
          g_autoptr(AcmeTestResponse) answer = NULL;

          if (!g_str_equal (json_object_get_string_member (challenge, "type"), "http-01"))
            continue;
          answer = post (worker, client, key, json_object_get_string_member (challenge, "url"),
                         "{}");
          if (failed (worker, "challenge", answer))
            return FALSE;
          break;
        }
    }

  done = poll_order (worker, client, key, order_url, ready);
  if (done == NULL)
    return FALSE;
  finalized = post (worker, client, key, json_object_get_string_member (object, "finalize"),
                    finalize_payload);
  if (failed (worker, "finalize", finalized))
    return FALSE;
  g_clear_pointer (&done, acme_test_response_free);
  done = poll_order (worker, client, key, order_url, valid);
  if (done == NULL)
    return FALSE;
  pem = post (worker, client, key,
              json_object_get_string_member (json_node_get_object (done->json), "certificate"),
              NULL);
  if (failed (worker, "certificate", pem))
    return FALSE;
  if (g_strstr_len (g_bytes_get_data (pem->body, NULL), g_bytes_get_size (pem->body),
                    "BEGIN CERTIFICATE") == NULL)
    {
      worker->first_error = worker->first_error ?: g_strdup ("the download is no PEM chain");
      return FALSE;
    }
  return TRUE;
}

static AcmeTestKey *
new_account (Worker         *worker,
             AcmeTestClient *client)
{
  g_autoptr(AcmeTestKey) key = acme_test_key_new ("ES256", 0);
  g_autoptr(AcmeTestResponse) response = NULL;

  response = acme_test_client_post (client, key, acme_test_client_url (client, "newAccount"),
                                    "{\"termsOfServiceAgreed\":true}");
  if (failed (worker, "newAccount", response) || response->location == NULL)
    return NULL;
  key->kid = g_strdup (response->location);
  return g_steal_pointer (&key);
}

static void
wait_for_start (Start *start)
{
  g_mutex_lock (&start->mutex);
  start->ready++;
  g_cond_broadcast (&start->cond);
  while (!start->go)
    g_cond_wait (&start->cond, &start->mutex);
  g_mutex_unlock (&start->mutex);
}

static gpointer
run_worker (gpointer user_data)
{
  Worker *worker = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autofree char *address = g_strdup_printf ("127.0.3.%u", worker->index + 1);

  g_assert_cmpuint (worker->index, <, 254);
  g_autoptr(AcmeTestClient) client = NULL;
  g_autoptr(AcmeTestKey) key = NULL;
  g_autoptr(AcmeTestKey) cert_key = acme_test_key_new ("ES256", 0);

  g_main_context_push_thread_default (context);
  client = acme_test_client_new_full (worker->directory, worker->ca, address);
  client->reuse = TRUE;
  /* A stalled exchange is counted as an error, as bench-acme.py did, not
   * the end of the run; and it is given up on sooner than a test would. */
  client->lenient = TRUE;
  soup_session_set_timeout (client->session, 20);
  key = new_account (worker, client);
  wait_for_start (worker->start);

  for (guint n = 0; key != NULL && n < worker->count; n++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%u-%u.local", worker->index, n);
      const char *names[] = { name, NULL };
      g_autofree char *csr = acme_test_key_make_csr (cert_key, names);
      guint posts = worker->posts;
      gint64 t0;

      if (n > 0 && n % ORDERS_PER_ACCOUNT == 0)
        {
          g_clear_pointer (&key, acme_test_key_free);
          key = new_account (worker, client);
          if (key == NULL)
            break;
        }
      t0 = g_get_monotonic_time ();
      if (one (worker, client, key, csr, name))
        {
          double seconds = (g_get_monotonic_time () - t0) / (double)G_USEC_PER_SEC;

          g_array_append_val (worker->latencies, seconds);
        }
      else
        {
          worker->errors++;
          worker->posts = posts;
        }
    }
  if (key == NULL)
    worker->errors += worker->count - worker->latencies->len - worker->errors;

  g_clear_pointer (&client, acme_test_client_free);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Python's statistics.quantiles (exclusive method), as bench-acme.py. */
static double
quantile (GArray *sorted,
          double  p)
{
  double h = p * (sorted->len + 1) - 1;
  guint lo;

  if (sorted->len == 0)
    return 0;
  if (h <= 0)
    return g_array_index (sorted, double, 0);
  if (h >= sorted->len - 1)
    return g_array_index (sorted, double, sorted->len - 1);
  lo = (guint)h;
  return g_array_index (sorted, double, lo) +
         (h - lo) * (g_array_index (sorted, double, lo + 1) - g_array_index (sorted, double, lo));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *directory = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *label = NULL;
  int pid = 0, clients = 1, count = 20, first_address = 0;
  const GOptionEntry entries[] = {
    { "directory", 0, 0, G_OPTION_ARG_STRING, &directory, "The ACME directory URL", "URL" },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, "The root the server's HTTPS chains to", "PEM" },
    { "pid", 0, 0, G_OPTION_ARG_INT, &pid, "The server's process, for its CPU time", "PID" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Concurrent clients", "N" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Certificates per client", "N" },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, "The server's name in the output", "NAME" },
    { "first-address", 0, 0, G_OPTION_ARG_INT, &first_address,
      "Clients connect from 127.0.3.(N+1) on; a run after others starts past theirs", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the ACME benchmark's client loop");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  Start start = { 0 };
  Worker *workers;
  const char *first_error = NULL;
  guint errors = 0, posts = 0;
  double cpu0, wall, cpu, p50, p95;
  gint64 t0;
  g_autofree char *error_json = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || directory == NULL ||
      ca == NULL || pid <= 0 || clients < 1 || count < 1 || first_address < 0 ||
      first_address + clients > 254)
    {
      g_printerr ("bench-acme-client: %s\n",
                  error != NULL ? error->message
                                : "--directory, --ca and --pid are needed, and at most 254 addresses");
      return 2;
    }

  workers = g_new0 (Worker, clients);
  for (int i = 0; i < clients; i++)
    {
      workers[i].start = &start;
      workers[i].index = first_address + i;
      workers[i].directory = directory;
      workers[i].ca = ca;
      workers[i].count = count;
      workers[i].latencies = g_array_new (FALSE, FALSE, sizeof (double));
      g_ptr_array_add (threads, g_thread_new ("bench-acme-worker", run_worker, &workers[i]));
    }
  g_mutex_lock (&start.mutex);
  while (start.ready < (guint)clients)
    g_cond_wait (&start.cond, &start.mutex);
  cpu0 = server_cpu (pid);
  t0 = g_get_monotonic_time ();
  start.go = TRUE;
  g_cond_broadcast (&start.cond);
  g_mutex_unlock (&start.mutex);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  wall = (g_get_monotonic_time () - t0) / (double)G_USEC_PER_SEC;
  cpu = server_cpu (pid) - cpu0;

  for (int i = 0; i < clients; i++)
    {
      g_array_append_vals (all, workers[i].latencies->data, workers[i].latencies->len);
      errors += workers[i].errors;
      posts += workers[i].posts;
      if (first_error == NULL)
        first_error = workers[i].first_error;
    }
  g_array_sort (all, compare_doubles);
  p50 = quantile (all, 0.5) * 1000;
  p95 = quantile (all, 0.95) * 1000;
  if (first_error != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), first_error);

      error_json = json_to_string (node, FALSE);
    }

  /* As in bench-acme.py, accounts made after the first are timed. */
  if (all->len == 0)
    printf ("{\"server\": \"%s\", \"clients\": %d, \"certs\": 0, \"errors\": %u, "
            "\"first_error\": %s, \"certs_per_s\": 0, \"p50_ms\": null, \"p95_ms\": null, "
            "\"cpu_ms_per_cert\": null, \"jws_per_cert\": null}\n",
            label != NULL ? label : "", clients, errors, error_json ?: "null");
  else
    printf ("{\"server\": \"%s\", \"clients\": %d, \"certs\": %u, \"errors\": %u, "
            "\"first_error\": %s, \"certs_per_s\": %.3f, \"p50_ms\": %.3f, \"p95_ms\": %.3f, "
            "\"cpu_ms_per_cert\": %.3f, \"jws_per_cert\": %.3f}\n",
            label != NULL ? label : "", clients, all->len, errors, error_json ?: "null",
            all->len / wall, p50, p95, cpu / all->len * 1000, (double)posts / all->len);

  for (int i = 0; i < clients; i++)
    {
      g_array_unref (workers[i].latencies);
      g_free (workers[i].first_error);
    }
  g_free (workers);
  return 0;
}
