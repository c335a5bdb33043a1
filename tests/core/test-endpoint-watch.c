/* test-endpoint-watch.c — following private endpoints through every transition, one list
 * request per tick, creating regions in parallel, retrying a failed endpoint.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-endpoint-watch.h"
#include "kl-error.h"
#include "kl-setup-runner.h"
#include "kl-test-project.h"
#include "kl-test-utils.h"

#define GROUP          KL_SIM_GROUP_READY
#define ENDPOINTS_PATH \
  "/api/atlas/v2/groups/" GROUP "/encryptionAtRest/AZURE/privateEndpoints"
#define CODE_DELETE_BLOCKED \
  "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING"

typedef struct
{
  KlTestProject   *project;
  KlEndpointWatch *watch;
  KlSetupRunner   *runner;
  GPtrArray       *transitions;  /* "OLD>NEW" */
  GPtrArray       *errors;       /* GError */
  guint            n_added;
  guint            n_removed;
  GPtrArray       *changes;      /* "position:removed:added" of the model */
} Fixture;

static void
status_changed_cb (KlEndpointWatch   *watch,
                   KlPrivateEndpoint *endpoint,
                   KlEndpointStatus   old_status,
                   Fixture           *fixture)
{
  g_ptr_array_add (fixture->transitions,
                   g_strdup_printf ("%s>%s", kl_endpoint_status_to_string (old_status),
                                    kl_private_endpoint_get_status_text (endpoint)));
}

static void
error_cb (KlWatch *watch,
          GError  *error,
          Fixture *fixture)
{
  g_ptr_array_add (fixture->errors, g_error_copy (error));
}

static void
added_cb (KlEndpointWatch   *watch,
          KlPrivateEndpoint *endpoint,
          Fixture           *fixture)
{
  fixture->n_added++;
}

static void
removed_cb (KlEndpointWatch   *watch,
            KlPrivateEndpoint *endpoint,
            Fixture           *fixture)
{
  fixture->n_removed++;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  g_ptr_array_add (fixture->changes, g_strdup_printf ("%u:%u:%u", position, removed, added));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->project = kl_test_project_new (0);  /* frozen clock: the test moves it */
  kl_test_project_enable_cmk (fixture->project, GROUP, TRUE);

  fixture->watch = kl_endpoint_watch_new (fixture->project->client, GROUP);
  kl_watch_set_intervals (KL_WATCH (fixture->watch), 5, 40);
  fixture->transitions = g_ptr_array_new_with_free_func (g_free);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  fixture->changes = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->watch, "status-changed", G_CALLBACK (status_changed_cb), fixture);
  g_signal_connect (fixture->watch, "error", G_CALLBACK (error_cb), fixture);
  g_signal_connect (fixture->watch, "endpoint-added", G_CALLBACK (added_cb), fixture);
  g_signal_connect (fixture->watch, "endpoint-removed", G_CALLBACK (removed_cb), fixture);
  g_signal_connect (kl_endpoint_watch_get_model (fixture->watch), "items-changed",
                    G_CALLBACK (items_changed_cb), fixture);

  fixture->runner = kl_setup_runner_new (fixture->project->client, GROUP);
  kl_setup_runner_set_endpoint_watch (fixture->runner, fixture->watch);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->runner);
  g_signal_handlers_disconnect_by_data (kl_endpoint_watch_get_model (fixture->watch), fixture);
  g_assert_finalize_object (fixture->watch);
  g_ptr_array_unref (fixture->transitions);
  g_ptr_array_unref (fixture->errors);
  g_ptr_array_unref (fixture->changes);
  kl_test_project_free (fixture->project);
}

/* ---- helpers ---- */

typedef struct
{
  Fixture          *fixture;
  const char       *endpoint_id;
  KlEndpointStatus  status;
} StatusWait;

static gboolean
endpoint_has_status (gpointer user_data)
{
  StatusWait *wait = user_data;
  KlPrivateEndpoint *endpoint = kl_endpoint_watch_lookup (wait->fixture->watch,
                                                          wait->endpoint_id);

  return endpoint != NULL && kl_private_endpoint_get_status (endpoint) == wait->status;
}

static gboolean
endpoint_gone (gpointer user_data)
{
  StatusWait *wait = user_data;

  return kl_endpoint_watch_lookup (wait->fixture->watch, wait->endpoint_id) == NULL;
}

static void
wait_for_status (Fixture          *fixture,
                 const char       *endpoint_id,
                 KlEndpointStatus  status)
{
  StatusWait wait = { fixture, endpoint_id, status };

  g_assert_true (kl_test_wait_until (endpoint_has_status, &wait, KL_TEST_DEADLINE_MS));
}

static gboolean
watch_stopped (gpointer user_data)
{
  return !kl_endpoint_watch_get_running (user_data);
}

/* Creates endpoints with the runner and returns the last one (transfer none). */
static KlPrivateEndpoint *
create_endpoints (Fixture            *fixture,
                  const char * const *regions)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *steps = kl_setup_runner_get_steps (fixture->runner);
  g_autoptr(KlStep) last = NULL;
  KlTestAsync async = { NULL };

  kl_setup_runner_create_endpoints_async (fixture->runner, regions, NULL, kl_test_async_cb,
                                          &async);
  g_assert_true (kl_setup_runner_get_busy (fixture->runner));
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_create_endpoints_finish (fixture->runner, result, &error));
  g_assert_no_error (error);
  g_assert_false (kl_setup_runner_get_busy (fixture->runner));

  last = g_list_model_get_item (steps, g_list_model_get_n_items (steps) - 1);
  g_assert_nonnull (kl_step_get_object (last));
  return kl_step_get_object (last);
}

static gboolean
n_polls_reached (gpointer user_data)
{
  gpointer *args = user_data;

  return kl_watch_get_n_polls (args[0]) >= GPOINTER_TO_UINT (args[1]);
}

static void
wait_for_polls (KlEndpointWatch *watch,
                guint            n_polls)
{
  gpointer args[2] = { watch, GUINT_TO_POINTER (n_polls) };

  g_assert_true (kl_test_wait_until (n_polls_reached, args, KL_TEST_DEADLINE_MS));
}

/* An endpoint in US_EAST_2 that waits for approval forever (the clock is frozen). Returns
 * its id. */
static char *
pending_endpoint (Fixture *fixture)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  g_autofree char *id = g_strdup (kl_private_endpoint_get_id (create_endpoints (fixture,
                                                                                regions)));

  kl_sim_advance (fixture->project->sim, 90);
  wait_for_status (fixture, id, KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  return g_steal_pointer (&id);
}

static gboolean
has_errors (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->errors->len > 0;
}

static gboolean
step_is_waiting (gpointer user_data)
{
  return kl_step_get_state (user_data) == KL_STEP_STATE_WAITING;
}

/* ---- tests ---- */

static void
test_transitions (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  static const char * const expected[] = {
    "INITIATING>PENDING_ACCEPTANCE", "PENDING_ACCEPTANCE>ACTIVE",
    "ACTIVE>PENDING_RECREATION",
    /* the new record */
    "INITIATING>PENDING_ACCEPTANCE", "PENDING_ACCEPTANCE>ACTIVE",
  };
  GListModel *region_model = kl_endpoint_watch_get_region_model (fixture->watch);
  g_autofree char *new_id = NULL;
  g_autoptr(KlPrivateEndpoint) shown = NULL;
  KlPrivateEndpoint *old;
  KlSim *sim = fixture->project->sim;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) since_date = NULL;
  g_autofree char *id = NULL;
  KlPrivateEndpoint *endpoint;
  gint64 since;

  g_assert_false (kl_endpoint_watch_get_running (fixture->watch));

  /* The runner pokes the page's watch after the POST: that starts it. */
  id = g_strdup (kl_private_endpoint_get_id (create_endpoints (fixture, regions)));
  g_assert_true (kl_endpoint_watch_get_running (fixture->watch));
  wait_for_status (fixture, id, KL_ENDPOINT_STATUS_INITIATING);
  g_assert_cmpuint (fixture->n_added, ==, 1);
  since = kl_endpoint_watch_get_status_since (fixture->watch, id);
  /* Any time but "unknown", 0 and negative ones too (a freshly booted machine). */
  g_assert_cmpint (since, !=, KL_WATCH_TIME_UNKNOWN);
  g_assert_cmpint (since, <=, g_get_monotonic_time ());
  g_assert_cmpint (kl_endpoint_watch_get_status_since (fixture->watch, "000000000000000000000000"),
                   ==, KL_WATCH_TIME_UNKNOWN);

  /* INITIATING → PENDING_ACCEPTANCE, with the connection name to approve. */
  kl_sim_advance (sim, 90);
  wait_for_status (fixture, id, KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  endpoint = kl_endpoint_watch_lookup (fixture->watch, id);
  g_assert_nonnull (kl_private_endpoint_get_private_endpoint_connection_name (endpoint));
  g_assert_true (kl_endpoint_watch_lookup_region (fixture->watch, "US_EAST_2") == endpoint);
  g_assert_cmpint (kl_endpoint_watch_get_status_since (fixture->watch, id), >, since);
  since_date = kl_endpoint_watch_dup_status_since_date (fixture->watch, id);
  g_assert_nonnull (since_date);
  g_assert_null (kl_endpoint_watch_dup_status_since_date (fixture->watch,
                                                          "000000000000000000000000"));
  g_assert_true (kl_endpoint_watch_get_running (fixture->watch));

  /* Approved in Azure → ACTIVE; then nothing is pending and the watch stops by itself. */
  kl_sim_approve_endpoint (sim, GROUP, id, &error);
  g_assert_no_error (error);
  kl_sim_advance (sim, 180);
  wait_for_status (fixture, id, KL_ENDPOINT_STATUS_ACTIVE);
  g_assert_true (kl_test_wait_until (watch_stopped, fixture->watch, KL_TEST_DEADLINE_MS));

  /* Until here, each change replaced the one record in place. */
  g_assert_cmpuint (fixture->changes->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->changes, 0), ==, "0:0:1");
  for (guint i = 1; i < fixture->changes->len; i++)
    g_assert_cmpstr (g_ptr_array_index (fixture->changes, i), ==, "0:1:1");

  /* Rejected in Azure: the old record shows PENDING_RECREATION with a message while Atlas
   * makes a NEW record (new id) in INITIATING; the region is followed by the new one. */
  kl_sim_reject_endpoint (sim, GROUP, id, &error);
  g_assert_no_error (error);
  kl_endpoint_watch_poke (fixture->watch);
  wait_for_status (fixture, id, KL_ENDPOINT_STATUS_PENDING_RECREATION);
  g_assert_cmpuint (g_list_model_get_n_items (kl_endpoint_watch_get_model (fixture->watch)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (region_model), ==, 1);
  endpoint = kl_endpoint_watch_lookup_region (fixture->watch, "US_EAST_2");
  new_id = g_strdup (kl_private_endpoint_get_id (endpoint));
  g_assert_cmpstr (new_id, !=, id);
  g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==, KL_ENDPOINT_STATUS_INITIATING);
  shown = g_list_model_get_item (region_model, 0);
  g_assert_true (shown == endpoint);
  g_clear_object (&shown);
  old = kl_endpoint_watch_lookup_superseded (fixture->watch, endpoint);
  g_assert_nonnull (old);
  g_assert_cmpstr (kl_private_endpoint_get_id (old), ==, id);
  g_assert_cmpstr (kl_private_endpoint_get_error_message (old), ==,
                   "private endpoint was rejected");
  g_assert_null (kl_endpoint_watch_lookup_superseded (fixture->watch, old));
  g_assert_cmpuint (fixture->n_added, ==, 2);

  /* The old record goes away; the new one waits for approval, with a connection name. */
  kl_sim_advance (sim, KL_SIM_RECREATION_SECONDS);
  g_assert_true (kl_test_wait_until (endpoint_gone, &(StatusWait) { fixture, id, 0 },
                                     KL_TEST_DEADLINE_MS));
  g_assert_cmpuint (fixture->n_removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (region_model), ==, 1);
  kl_sim_advance (sim, KL_SIM_INITIATING_SECONDS - KL_SIM_RECREATION_SECONDS);
  wait_for_status (fixture, new_id, KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  endpoint = kl_endpoint_watch_lookup_region (fixture->watch, "US_EAST_2");
  g_assert_cmpstr (kl_private_endpoint_get_id (endpoint), ==, new_id);
  g_assert_nonnull (kl_private_endpoint_get_private_endpoint_connection_name (endpoint));
  kl_sim_approve_endpoint (sim, GROUP, new_id, &error);
  g_assert_no_error (error);
  kl_sim_advance (sim, 180);
  wait_for_status (fixture, new_id, KL_ENDPOINT_STATUS_ACTIVE);
  g_assert_true (kl_test_wait_until (watch_stopped, fixture->watch, KL_TEST_DEADLINE_MS));

  /* Every transition, once, in order. */
  g_assert_cmpuint (fixture->transitions->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (fixture->transitions, i), ==, expected[i]);
  g_assert_cmpuint (fixture->n_added, ==, 2);
  g_assert_cmpuint (fixture->n_removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (kl_endpoint_watch_get_model (fixture->watch)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (region_model), ==, 1);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_fail_and_retry (Fixture       *fixture,
                     gconstpointer  data)
{
  KlSim *sim = fixture->project->sim;
  g_autoptr(KlPrivateEndpoint) failed = NULL;
  g_autoptr(KlPrivateEndpoint) fresh = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) deletes = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(KlStep) step = NULL;
  g_autofree char *id = pending_endpoint (fixture);
  g_autofree char *delete_path = g_strdup_printf ("%s/%s", ENDPOINTS_PATH, id);
  KlTestAsync async = { NULL };

  kl_sim_fail_endpoint (sim, GROUP, id, "The key vault refused the connection (test).", &error);
  g_assert_no_error (error);
  wait_for_status (fixture, id, KL_ENDPOINT_STATUS_FAILED);
  failed = g_object_ref (kl_endpoint_watch_lookup (fixture->watch, id));
  g_assert_cmpstr (kl_private_endpoint_get_error_message (failed), ==,
                   "The key vault refused the connection (test).");
  /* FAILED waits for the user: nothing else is pending. */
  g_assert_true (kl_test_wait_until (watch_stopped, fixture->watch, KL_TEST_DEADLINE_MS));

  /* Retry: delete, wait until gone, create again. */
  kl_sim_clear_requests (sim);
  kl_setup_runner_retry_endpoint_async (fixture->runner, failed, NULL, kl_test_async_cb, &async);
  wait_for_status (fixture, id, KL_ENDPOINT_STATUS_DELETING);
  g_assert_null (async.result);
  kl_sim_advance (sim, 60);
  result = kl_test_async_wait (&async);
  fresh = kl_setup_runner_retry_endpoint_finish (fixture->runner, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fresh);
  g_assert_cmpstr (kl_private_endpoint_get_region_name (fresh), ==, "US_EAST_2");
  g_assert_cmpstr (kl_private_endpoint_get_id (fresh), !=, id);
  g_assert_cmpint (kl_private_endpoint_get_status (fresh), ==, KL_ENDPOINT_STATUS_INITIATING);

  step = g_list_model_get_item (kl_setup_runner_get_steps (fixture->runner), 0);
  g_assert_cmpint (kl_step_get_kind (step), ==, KL_STEP_RETRY_ENDPOINT);
  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
  g_assert_cmpstr (kl_step_get_detail (step), ==, id);
  g_assert_true (kl_step_get_object (step) == (gpointer) fresh);

  /* The watch saw the old one go and follows the new one. */
  wait_for_status (fixture, kl_private_endpoint_get_id (fresh), KL_ENDPOINT_STATUS_INITIATING);
  g_assert_null (kl_endpoint_watch_lookup (fixture->watch, id));
  g_assert_cmpuint (fixture->n_removed, ==, 1);

  /* One DELETE, and the one POST came after the old endpoint was gone. */
  deletes = kl_test_project_requests (fixture->project, "DELETE", NULL);
  g_assert_cmpuint (deletes->len, ==, 1);
  g_assert_cmpstr (((KlSimRequest *) deletes->pdata[0])->path, ==, delete_path);
  g_assert_cmpuint (((KlSimRequest *) deletes->pdata[0])->status, ==, 204);
  posts = kl_test_project_requests (fixture->project, "POST", "/privateEndpoints");
  g_assert_cmpuint (posts->len, ==, 1);
  g_assert_cmpuint (((KlSimRequest *) posts->pdata[0])->status, ==, 202);
}

static void
test_delete_initiating (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const regions[] = { "EUROPE_WEST", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlStep) step = kl_step_new (KL_STEP_DELETE_ENDPOINT, NULL, NULL, "test");
  g_autoptr(GPtrArray) deletes = NULL;
  g_autofree char *id = NULL;
  g_autofree char *parameters = NULL;
  KlTestAsync async = { NULL };
  KlAtlasError *atlas_error;

  id = g_strdup (kl_private_endpoint_get_id (create_endpoints (fixture, regions)));
  wait_for_status (fixture, id, KL_ENDPOINT_STATUS_INITIATING);
  kl_sim_clear_requests (fixture->project->sim);

  /* A plain DELETE is refused by the server, with the exact code. */
  kl_atlas_client_delete_private_endpoint_async (fixture->project->client, GROUP, id, NULL,
                                                 kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  g_assert_false (kl_atlas_client_delete_private_endpoint_finish (fixture->project->client, result,
                                                                  &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_CONFLICT);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==, CODE_DELETE_BLOCKED);
  g_assert_cmpuint (kl_error_get_http_status (error), ==, 400);
  atlas_error = kl_atlas_error_from_gerror (error);
  g_assert_nonnull (atlas_error);
  parameters = kl_atlas_error_dup_parameters_text (atlas_error);
  g_assert_nonnull (strstr (parameters, id));
  g_clear_error (&error);
  g_clear_object (&result);

  /* The building block waits it out instead of failing, then deletes it. */
  kl_setup_delete_endpoint_async (fixture->watch, id, step, NULL, kl_test_async_cb, &async);
  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_RUNNING);
  g_assert_true (kl_test_wait_until (step_is_waiting, step, KL_TEST_DEADLINE_MS));
  g_assert_null (async.result);
  kl_sim_advance (fixture->project->sim, 90);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_delete_endpoint_finish (result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_RUNNING);

  /* Refused once by the server (the plain DELETE above), refused once more before the
   * building block waited, accepted after. */
  deletes = kl_test_project_requests (fixture->project, "DELETE", id);
  g_assert_cmpuint (deletes->len, ==, 3);
  g_assert_cmpuint (((KlSimRequest *) deletes->pdata[0])->status, ==, 400);
  g_assert_cmpuint (((KlSimRequest *) deletes->pdata[1])->status, ==, 400);
  g_assert_cmpuint (((KlSimRequest *) deletes->pdata[2])->status, ==, 204);
  wait_for_status (fixture, id, KL_ENDPOINT_STATUS_DELETING);
}

static void
test_parallel_create (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const regions[] = { "US_EAST_2", "EUROPE_WEST", "US_EAST_2", NULL };
  GListModel *steps = kl_setup_runner_get_steps (fixture->runner);
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  guint n_lists_before = 0;
  KlSimRequest *a, *b;

  kl_sim_set_latency (fixture->project->sim, 100);
  kl_sim_clear_requests (fixture->project->sim);
  create_endpoints (fixture, regions);

  /* One step a region (the duplicate is ignored), both done. */
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (kl_step_get_kind (step), ==, KL_STEP_CREATE_ENDPOINT);
      g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
      g_assert_cmpstr (kl_private_endpoint_get_region_name (kl_step_get_object (step)), ==,
                       kl_step_get_target (step));
    }

  /* Both POSTs were in flight together: each started before the other finished. */
  posts = kl_test_project_requests (fixture->project, "POST", "/privateEndpoints");
  g_assert_cmpuint (posts->len, ==, 2);
  a = posts->pdata[0];
  b = posts->pdata[1];
  g_assert_cmpuint (a->status, ==, 202);
  g_assert_cmpuint (b->status, ==, 202);
  g_assert_cmpint (a->start_us, <, b->end_us);
  g_assert_cmpint (b->start_us, <, a->end_us);

  /* One list for all the regions before the POSTs, not one more per region. */
  lists = kl_test_project_requests (fixture->project, "GET", "/privateEndpoints");
  for (guint i = 0; i < lists->len; i++)
    if (((KlSimRequest *) lists->pdata[i])->start_us < MIN (a->start_us, b->start_us))
      n_lists_before++;
  g_assert_cmpuint (n_lists_before, ==, 1);

  /* Never a second endpoint for a region that has one. */
  kl_sim_clear_requests (fixture->project->sim);
  create_endpoints (fixture, regions);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_SKIPPED);
      g_assert_nonnull (kl_step_get_object (step));
    }
  again = kl_test_project_requests (fixture->project, "POST", NULL);
  g_assert_cmpuint (again->len, ==, 0);
  kl_sim_set_latency (fixture->project->sim, 0);
}

static void
test_create_unclear_failure (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GError) error = NULL;
  KlPrivateEndpoint *endpoint;

  /* The POST creates the endpoint, then answers 500: from the runner's one list, the safe
   * create still lists again before any other POST, and finds it. */
  kl_sim_clear_requests (fixture->project->sim);
  kl_sim_add_fault (fixture->project->sim,
                    "{\"path\":\"/api/atlas/v2/groups/*/privateEndpoints\",\"method\":\"POST\","
                    "\"kind\":\"status\",\"status\":500,\"count\":1,"
                    "\"afterProcessing\":true}", &error);
  g_assert_no_error (error);
  endpoint = create_endpoints (fixture, regions);
  g_assert_cmpstr (kl_private_endpoint_get_region_name (endpoint), ==, "US_EAST_2");

  posts = kl_test_project_requests (fixture->project, "POST", "/privateEndpoints");
  g_assert_cmpuint (posts->len, ==, 1);
  lists = kl_test_project_requests (fixture->project, "GET", "/privateEndpoints");
  g_assert_cmpuint (lists->len, >=, 2);
  g_assert_cmpint (((KlSimRequest *) lists->pdata[0])->end_us, <=,
                   ((KlSimRequest *) posts->pdata[0])->start_us);
  g_assert_cmpint (((KlSimRequest *) lists->pdata[1])->start_us, >=,
                   ((KlSimRequest *) posts->pdata[0])->end_us);
}

typedef struct
{
  gint64 at;        /* g_get_monotonic_time () when the poll was applied */
  guint  interval;  /* the wait scheduled before it, ms */
} PollRecord;

static void
record_poll_cb (KlWatch *watch,
                GArray  *records)
{
  PollRecord record = { g_get_monotonic_time (), kl_watch_get_interval (watch) };

  g_array_append_val (records, record);
}

static void
test_polling (Fixture       *fixture,
              gconstpointer  data)
{
  /* The watch already knows the endpoint: from the first answer on nothing changes, so each
   * wait is an eighth of the time since the start, from the base (10 ms) up to the cap
   * (40 ms): 10 ms until 80 ms have passed, then growing by 1/8 a poll, 40 ms from 320 ms. */
  const guint base = 10, cap = 40, n_ticks = 28;
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (PollRecord));
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *id = pending_endpoint (fixture);
  gint64 started;
  gint64 started_after;
  gulong handler;
  guint n_polls;

  kl_endpoint_watch_stop (fixture->watch);
  kl_watch_set_intervals (KL_WATCH (fixture->watch), base, cap);
  kl_sim_clear_requests (fixture->project->sim);
  g_clear_pointer (&fixture->changes, g_ptr_array_unref);
  fixture->changes = g_ptr_array_new_with_free_func (g_free);
  handler = g_signal_connect (fixture->watch, "updated", G_CALLBACK (record_poll_cb), records);

  n_polls = kl_watch_get_n_polls (KL_WATCH (fixture->watch));
  started = g_get_monotonic_time ();
  kl_endpoint_watch_start (fixture->watch);
  started_after = g_get_monotonic_time ();
  wait_for_polls (fixture->watch, n_polls + n_ticks);
  kl_endpoint_watch_stop (fixture->watch);
  g_signal_handler_disconnect (fixture->watch, handler);

  /* The wait scheduled after poll i (seen at poll i + 1) is the time from the start to poll i,
   * divided by 8, within the base and the cap. The watch reads the clock between the two
   * records (after poll i was seen, before poll i + 1 was) and its start between the two
   * reads around kl_endpoint_watch_start (), so the bounds hold however often the process
   * is preempted (1 ms for rounding). */
  for (guint i = 0; i + 1 < records->len; i++)
    {
      PollRecord *poll = &g_array_index (records, PollRecord, i);
      PollRecord *next = &g_array_index (records, PollRecord, i + 1);
      guint waited = next->interval;
      gint64 quiet_ms = (poll->at - started_after) / 1000;
      gint64 quiet_max_ms = (next->at - started) / 1000;
      guint low = (guint) CLAMP (quiet_ms / 8, base, cap);
      guint high = (guint) CLAMP (quiet_max_ms / 8 + 1, base, cap);

      g_test_message ("poll %u at %" G_GINT64_FORMAT " ms: next in %u ms", i, quiet_ms, waited);
      g_assert_cmpuint (waited, >=, low);
      g_assert_cmpuint (waited, <=, high);
    }
  g_assert_cmpuint (kl_watch_get_interval (KL_WATCH (fixture->watch)), ==, cap);

  /* Exactly one request a tick, and it is the list: never one request per endpoint. */
  all = kl_test_project_requests (fixture->project, NULL, NULL);
  g_assert_cmpuint (all->len, >=, n_ticks);
  g_assert_cmpuint (all->len, <=, n_ticks + 1);
  for (guint i = 0; i < all->len; i++)
    {
      KlSimRequest *request = all->pdata[i];

      g_assert_cmpstr (request->method, ==, "GET");
      g_assert_cmpstr (request->path, ==, ENDPOINTS_PATH);
      if (request->status != 0)
        g_assert_cmpuint (request->status, ==, 200);
    }

  /* The waits between list calls are never shorter than scheduled. */
  for (guint i = 0; i + 2 < all->len && i + 1 < records->len; i++)
    {
      KlSimRequest *request = all->pdata[i];
      KlSimRequest *next = all->pdata[i + 1];
      guint waited = g_array_index (records, PollRecord, i + 1).interval;

      g_assert_cmpint (next->start_us - request->end_us, >=, (gint64) waited * 1000 - 1000);
    }

  /* Nothing changed, so the model never did. */
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = pending_endpoint (fixture);
  KlSimRequest *limited, *next;
  GError *rate_limited;
  guint n_polls;

  /* The 429 reaches the watch itself (the client does not retry here). */
  kl_atlas_client_set_retry_policy (fixture->project->client, 1, 10, 100);
  kl_sim_add_fault (fixture->project->sim,
                    "{\"path\":\"" ENDPOINTS_PATH "\",\"method\":\"GET\","
                    "\"kind\":\"retry_after\",\"retryAfter\":1,\"count\":1}", &error);
  g_assert_no_error (error);
  kl_sim_clear_requests (fixture->project->sim);

  n_polls = kl_watch_get_n_polls (KL_WATCH (fixture->watch));
  kl_endpoint_watch_poke (fixture->watch);
  g_assert_true (kl_test_wait_until (has_errors, fixture, KL_TEST_DEADLINE_MS));
  rate_limited = g_ptr_array_index (fixture->errors, 0);
  g_assert_error (rate_limited, KL_ERROR, KL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (kl_error_get_retry_after (rate_limited), ==, 1);

  /* A poke does not jump the queue. */
  kl_endpoint_watch_poke (fixture->watch);
  wait_for_polls (fixture->watch, n_polls + 1);

  all = kl_test_project_requests (fixture->project, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 2);
  limited = all->pdata[0];
  next = all->pdata[1];
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpuint (next->status, ==, 200);
  g_test_message ("after the 429: %" G_GINT64_FORMAT " us", next->start_us - limited->end_us);
  g_assert_cmpint (next->start_us - limited->end_us, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (fixture->errors->len, ==, 1);
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

static void
test_pause_resume_stop (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *id = pending_endpoint (fixture);
  KlEndpointWatch *doomed;
  guint n_polls;

  /* Paused: still running, but no request at all. */
  kl_endpoint_watch_pause (fixture->watch);
  g_assert_true (kl_watch_get_paused (KL_WATCH (fixture->watch)));
  g_assert_true (kl_endpoint_watch_get_running (fixture->watch));
  kl_sim_clear_requests (fixture->project->sim);
  n_polls = kl_watch_get_n_polls (KL_WATCH (fixture->watch));
  kl_endpoint_watch_poke (fixture->watch);
  g_assert_false (kl_test_wait_until (never, NULL, 150));
  requests = kl_test_project_requests (fixture->project, NULL, NULL);
  g_assert_cmpuint (requests->len, ==, 0);
  g_assert_cmpuint (kl_watch_get_n_polls (KL_WATCH (fixture->watch)), ==, n_polls);

  /* Resumed: polls at once. */
  kl_endpoint_watch_resume (fixture->watch);
  g_assert_false (kl_watch_get_paused (KL_WATCH (fixture->watch)));
  wait_for_polls (fixture->watch, n_polls + 1);

  /* Stopped with a request in flight: cancelled, silently. The main-loop waits here are
   * scaled (kl-test-utils.h): so is the latency they are measured against. */
  kl_sim_set_latency (fixture->project->sim, kl_test_scale_ms (100));
  n_polls = kl_watch_get_n_polls (KL_WATCH (fixture->watch));
  kl_endpoint_watch_poke (fixture->watch);
  g_assert_false (kl_test_wait_until (never, NULL, 20));  /* the poke's request is sent */
  kl_endpoint_watch_stop (fixture->watch);
  g_assert_false (kl_endpoint_watch_get_running (fixture->watch));
  g_assert_false (kl_test_wait_until (never, NULL, 250));
  g_assert_cmpuint (kl_watch_get_n_polls (KL_WATCH (fixture->watch)), ==, n_polls);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  /* Disposed with a request in flight: cancelled, nothing touches the dead watch. */
  doomed = kl_endpoint_watch_new (fixture->project->client, GROUP);
  kl_endpoint_watch_start (doomed);
  g_assert_finalize_object (doomed);
  g_assert_false (kl_test_wait_until (never, NULL, 250));
  kl_sim_set_latency (fixture->project->sim, 0);
}

static gboolean
endpoint_not_listed (KlWatch  *watch,
               gpointer  user_data)
{
  return kl_watch_lookup (watch, user_data) == NULL;
}

/* The owner's cancellable stops the watch while a wait holds it (a page's Cancel while its
 * runner waits): the wait ends as cancelled, and the watch is not started again by it. */
static void
test_owner_cancelled_wait (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *id = pending_endpoint (fixture);
  g_autoptr(GCancellable) owner = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  guint n_polls;

  kl_watch_set_cancellable (KL_WATCH (fixture->watch), owner);
  kl_watch_wait_async (KL_WATCH (fixture->watch), endpoint_not_listed, g_strdup (id), g_free, NULL,
                       kl_test_store_result, &result);
  wait_for_polls (fixture->watch, kl_watch_get_n_polls (KL_WATCH (fixture->watch)) + 1);

  g_cancellable_cancel (owner);
  g_assert_false (kl_endpoint_watch_get_running (fixture->watch));
  g_assert_false (kl_watch_wait_finish (KL_WATCH (fixture->watch),
                                        kl_test_wait_result (&result, KL_TEST_DEADLINE_MS),
                                        &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* Stopped for good: no poll, no start. */
  n_polls = kl_watch_get_n_polls (KL_WATCH (fixture->watch));
  kl_sim_clear_requests (fixture->project->sim);
  kl_endpoint_watch_start (fixture->watch);
  g_assert_false (kl_endpoint_watch_get_running (fixture->watch));
  g_assert_false (kl_test_wait_until (never, NULL, 100));
  g_assert_cmpuint (kl_watch_get_n_polls (KL_WATCH (fixture->watch)), ==, n_polls);
  requests = kl_test_project_requests (fixture->project, NULL, NULL);
  g_assert_cmpuint (requests->len, ==, 0);

  /* A new cancellable: it polls again. */
  g_clear_object (&owner);
  owner = g_cancellable_new ();
  kl_watch_set_cancellable (KL_WATCH (fixture->watch), owner);
  kl_endpoint_watch_start (fixture->watch);
  wait_for_polls (fixture->watch, n_polls + 1);
  kl_endpoint_watch_stop (fixture->watch);
  kl_watch_set_cancellable (KL_WATCH (fixture->watch), NULL);
}

static gboolean
n_stalled (gpointer user_data)
{
  return kl_sim_count_stalled (user_data) >= 1;
}

/* Paused with a poll in flight (the page is left): the poll is cancelled, its answer never
 * reaches the watch; resumed, it polls at once. */
static void
test_pause_cancels_in_flight (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = pending_endpoint (fixture);
  g_autoptr(GError) error = NULL;
  guint n_polls;

  kl_sim_add_fault (fixture->project->sim,
                    "{\"path\":\"" ENDPOINTS_PATH "\",\"method\":\"GET\",\"kind\":\"stall\"}",
                    &error);
  g_assert_no_error (error);
  n_polls = kl_watch_get_n_polls (KL_WATCH (fixture->watch));
  kl_endpoint_watch_poke (fixture->watch);
  g_assert_true (kl_test_wait_until (n_stalled, fixture->project->sim, KL_TEST_DEADLINE_MS));

  kl_endpoint_watch_pause (fixture->watch);
  kl_sim_clear_faults (fixture->project->sim);
  g_assert_false (kl_test_wait_until (never, NULL, 150));
  g_assert_cmpuint (kl_watch_get_n_polls (KL_WATCH (fixture->watch)), ==, n_polls);
  g_assert_true (kl_endpoint_watch_get_running (fixture->watch));

  kl_endpoint_watch_resume (fixture->watch);
  wait_for_polls (fixture->watch, n_polls + 1);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
  kl_endpoint_watch_stop (fixture->watch);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/endpoint-watch/transitions", Fixture, NULL, fixture_set_up, test_transitions,
              fixture_tear_down);
  g_test_add ("/endpoint-watch/fail-and-retry", Fixture, NULL, fixture_set_up,
              test_fail_and_retry, fixture_tear_down);
  g_test_add ("/endpoint-watch/delete-initiating", Fixture, NULL, fixture_set_up,
              test_delete_initiating, fixture_tear_down);
  g_test_add ("/endpoint-watch/parallel-create", Fixture, NULL, fixture_set_up,
              test_parallel_create, fixture_tear_down);
  g_test_add ("/endpoint-watch/create-unclear-failure", Fixture, NULL, fixture_set_up,
              test_create_unclear_failure, fixture_tear_down);
  g_test_add ("/endpoint-watch/polling", Fixture, NULL, fixture_set_up, test_polling,
              fixture_tear_down);
  g_test_add ("/endpoint-watch/retry-after", Fixture, NULL, fixture_set_up, test_retry_after,
              fixture_tear_down);
  g_test_add ("/endpoint-watch/owner-cancelled-wait", Fixture, NULL, fixture_set_up,
              test_owner_cancelled_wait, fixture_tear_down);
  g_test_add ("/endpoint-watch/pause-cancels-in-flight", Fixture, NULL, fixture_set_up,
              test_pause_cancels_in_flight, fixture_tear_down);
  g_test_add ("/endpoint-watch/pause-resume-stop", Fixture, NULL, fixture_set_up,
              test_pause_resume_stop, fixture_tear_down);

  return g_test_run ();
}
