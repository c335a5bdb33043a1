/* test-teardown.c — turning private networking or the customer-managed key off, in the safe
 * order, from a fully set-up project; resuming an interrupted teardown; INITIATING endpoints;
 * errors kept for display.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kl-error.h"
#include "kl-plan.h"
#include "kl-setup-runner.h"
#include "kl-teardown.h"
#include "kl-test-project.h"
#include "kl-test-utils.h"

#define GROUP          KL_SIM_GROUP_READY
#define ENDPOINTS_PATH "/api/atlas/v2/groups/" GROUP "/encryptionAtRest/AZURE/privateEndpoints"

typedef struct
{
  KlTestProject *project;
  KlSetupRunner *runner;
  GArray        *started;
  GArray        *finished;
  GArray        *failed;
  GCancellable  *cancellable;
  KlStepKind     cancel_at;     /* cancel when a step of this kind starts */
  gboolean       cancel_armed;
  gboolean       saw_waiting;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->project = kl_test_project_new (0);  /* frozen clock: the test moves it */
  fixture->runner = kl_setup_runner_new (fixture->project->client, GROUP);
  kl_setup_runner_set_poll_intervals (fixture->runner, 5, 40);
  fixture->started = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->finished = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->failed = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->cancellable = g_cancellable_new ();
  /* The clusters' waits follow UPDATING from the PATCH's answer on; the propagation delay is
   * tests/core/test-clusters.c's. */
  kl_sim_set_cluster_propagation (fixture->project->sim, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->runner);
  g_array_unref (fixture->started);
  g_array_unref (fixture->finished);
  g_array_unref (fixture->failed);
  g_object_unref (fixture->cancellable);
  kl_test_project_free (fixture->project);
}

/* ---- set-up helpers ---- */

static gboolean
steps_answered (gpointer user_data)
{
  GListModel *steps = user_data;
  guint n_items = g_list_model_get_n_items (steps);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      if (g_strcmp0 (kl_cluster_get_state_name (kl_step_get_object (step)), "UPDATING") != 0)
        return FALSE;
    }

  return n_items > 0;
}

static void
create_endpoints (Fixture            *fixture,
                  const char * const *regions)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };

  kl_setup_runner_create_endpoints_async (fixture->runner, regions, NULL, kl_test_async_cb,
                                          &async);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_create_endpoints_finish (fixture->runner, result, &error));
  g_assert_no_error (error);
}

/* The READY project with everything on: the key (PATCH builder), private networking, an
 * approved endpoint in each cluster region, both clusters on the key. */
static void
full_setup (Fixture *fixture)
{
  KlSim *sim = fixture->project->sim;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(KlPlan) plan = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) regions = NULL;
  KlTestAsync async = { NULL };

  kl_test_project_enable_cmk (fixture->project, GROUP, TRUE);

  ear = kl_test_project_get_ear (fixture->project, GROUP);
  clusters = kl_test_project_list_clusters (fixture->project, GROUP);
  plan = kl_plan_new (ear, NULL, clusters);
  regions = kl_plan_dup_cluster_regions (plan);
  g_assert_cmpuint (g_strv_length (regions), ==, 2);
  create_endpoints (fixture, (const char * const *) regions);

  kl_sim_advance (sim, 90);
  endpoints = kl_test_project_list_endpoints (fixture->project, GROUP);
  g_assert_cmpuint (endpoints->len, ==, 2);
  for (guint i = 0; i < endpoints->len; i++)
    {
      kl_sim_approve_endpoint (sim, GROUP, kl_private_endpoint_get_id (endpoints->pdata[i]),
                               &error);
      g_assert_no_error (error);
    }
  kl_sim_advance (sim, 180);

  kl_setup_runner_enable_clusters_async (fixture->runner, clusters, NULL, kl_test_async_cb,
                                         &async);
  g_assert_true (kl_test_wait_until (steps_answered, kl_setup_runner_get_steps (fixture->runner),
                                     KL_TEST_DEADLINE_MS));
  kl_sim_advance (sim, 120);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_enable_clusters_finish (fixture->runner, result, &error));
  g_assert_no_error (error);

  /* Read back: everything is on. */
  g_clear_object (&ear);
  g_clear_object (&plan);
  g_clear_pointer (&endpoints, g_ptr_array_unref);
  g_clear_pointer (&clusters, g_ptr_array_unref);
  ear = kl_test_project_get_ear (fixture->project, GROUP);
  endpoints = kl_test_project_list_endpoints (fixture->project, GROUP);
  clusters = kl_test_project_list_clusters (fixture->project, GROUP);
  plan = kl_plan_new (ear, endpoints, clusters);
  g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_DONE);
}

/* ---- teardown helpers ---- */

static void
step_started_cb (KlTeardown *teardown,
                 guint       index,
                 Fixture    *fixture)
{
  g_autoptr(KlStep) step = g_list_model_get_item (kl_teardown_get_steps (teardown), index);

  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_RUNNING);
  g_assert_cmpint (kl_teardown_get_current_step (teardown), ==, (int) index);
  g_array_append_val (fixture->started, index);

  if (fixture->cancel_armed && kl_step_get_kind (step) == fixture->cancel_at)
    g_cancellable_cancel (fixture->cancellable);
}

static void
step_finished_cb (KlTeardown *teardown,
                  guint       index,
                  Fixture    *fixture)
{
  g_autoptr(KlStep) step = g_list_model_get_item (kl_teardown_get_steps (teardown), index);

  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
  g_array_append_val (fixture->finished, index);
}

static void
step_failed_cb (KlTeardown *teardown,
                guint       index,
                GError     *error,
                Fixture    *fixture)
{
  g_assert_nonnull (error);
  g_array_append_val (fixture->failed, index);
}

static KlTeardown *
teardown_new (Fixture        *fixture,
              KlTeardownKind  kind)
{
  KlTeardown *teardown = kl_teardown_new (fixture->project->client, GROUP, kind);

  kl_teardown_set_poll_intervals (teardown, 5, 40);
  g_signal_connect (teardown, "step-started", G_CALLBACK (step_started_cb), fixture);
  g_signal_connect (teardown, "step-finished", G_CALLBACK (step_finished_cb), fixture);
  g_signal_connect (teardown, "step-failed", G_CALLBACK (step_failed_cb), fixture);
  g_array_set_size (fixture->started, 0);
  g_array_set_size (fixture->finished, 0);
  g_array_set_size (fixture->failed, 0);
  return teardown;
}

static gboolean
teardown_run (KlTeardown    *teardown,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  KlTestAsync async = { NULL };

  kl_teardown_run_async (teardown, cancellable, kl_test_async_cb, &async);
  g_assert_true (kl_teardown_get_running (teardown));
  result = kl_test_async_wait (&async);
  g_assert_false (kl_teardown_get_running (teardown));
  g_assert_cmpint (kl_teardown_get_current_step (teardown), ==, -1);
  return kl_teardown_run_finish (teardown, result, error);
}

static void
assert_step_kinds (KlTeardown       *teardown,
                   const KlStepKind *kinds,
                   guint             n_kinds)
{
  GListModel *steps = kl_teardown_get_steps (teardown);

  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, n_kinds);
  for (guint i = 0; i < n_kinds; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (kl_step_get_kind (step), ==, kinds[i]);
      g_assert_nonnull (kl_step_get_title (step));
    }
}

static void
assert_all_done (KlTeardown *teardown,
                 Fixture    *fixture)
{
  GListModel *steps = kl_teardown_get_steps (teardown);
  guint n_items = g_list_model_get_n_items (steps);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
      g_assert_null (kl_step_get_error (step));
    }
  g_assert_cmpuint (fixture->started->len, ==, n_items);
  g_assert_cmpuint (fixture->finished->len, ==, n_items);
  g_assert_cmpuint (fixture->failed->len, ==, 0);
  for (guint i = 0; i < n_items; i++)
    g_assert_cmpuint (g_array_index (fixture->started, guint, i), ==, i);
  g_assert_null (kl_teardown_get_error (teardown));
}

/* No answer of the server was an error. */
static void
assert_no_server_error (Fixture *fixture)
{
  g_autoptr(GPtrArray) requests = kl_test_project_requests (fixture->project, NULL, NULL);

  g_assert_cmpuint (requests->len, >, 0);
  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = requests->pdata[i];

      if (request->status >= 400)
        g_error ("%s %s answered %u", request->method, request->path, request->status);
    }
}

/* ---- tests ---- */

static void
test_private_networking (Fixture       *fixture,
                         gconstpointer  data)
{
  static const KlStepKind kinds[] = {
    KL_STEP_DELETE_ENDPOINT, KL_STEP_DELETE_ENDPOINT, KL_STEP_WAIT_ENDPOINTS_GONE,
    KL_STEP_DISABLE_PRIVATE_NETWORKING,
  };
  g_autoptr(KlTeardown) teardown = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) deletes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlAzureKeyVault *vault;

  full_setup (fixture);
  teardown = teardown_new (fixture, KL_TEARDOWN_PRIVATE_NETWORKING);

  /* What the confirmation lists, read from the server without changing anything. */
  kl_sim_clear_requests (fixture->project->sim);
  kl_teardown_prepare_async (teardown, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_teardown_prepare_finish (teardown, result, &error));
  g_assert_no_error (error);
  assert_step_kinds (teardown, kinds, G_N_ELEMENTS (kinds));
  g_assert_nonnull (kl_teardown_get_plan (teardown));
  requests = kl_test_project_requests (fixture->project, NULL, NULL);
  for (guint i = 0; i < requests->len; i++)
    g_assert_cmpstr (((KlSimRequest *) requests->pdata[i])->method, ==, "GET");

  kl_sim_set_time_scale (fixture->project->sim, 0.001);
  kl_sim_clear_requests (fixture->project->sim);
  g_assert_true (teardown_run (teardown, NULL, &error));
  g_assert_no_error (error);
  assert_step_kinds (teardown, kinds, G_N_ELEMENTS (kinds));
  assert_all_done (teardown, fixture);
  assert_no_server_error (fixture);
  deletes = kl_test_project_requests (fixture->project, "DELETE", NULL);
  g_assert_cmpuint (deletes->len, ==, 2);

  /* Private networking off, the key still on, the clusters still on the key. */
  ear = kl_test_project_get_ear (fixture->project, GROUP);
  vault = kl_encryption_at_rest_get_azure_key_vault (ear);
  g_assert_true (kl_azure_key_vault_get_enabled (vault));
  g_assert_false (kl_azure_key_vault_get_require_private_networking (vault));
  endpoints = kl_test_project_list_endpoints (fixture->project, GROUP);
  g_assert_cmpuint (endpoints->len, ==, 0);
  clusters = kl_test_project_list_clusters (fixture->project, GROUP);
  for (guint i = 0; i < clusters->len; i++)
    g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (clusters->pdata[i]), ==, "AZURE");
}

static void
test_cmk (Fixture       *fixture,
          gconstpointer  data)
{
  static const KlStepKind kinds[] = {
    KL_STEP_DELETE_ENDPOINT, KL_STEP_DELETE_ENDPOINT, KL_STEP_WAIT_ENDPOINTS_GONE,
    KL_STEP_CLUSTER_PROVIDER_NONE, KL_STEP_CLUSTER_PROVIDER_NONE, KL_STEP_WAIT_CLUSTERS_IDLE,
    KL_STEP_DISABLE_CMK,
  };
  g_autoptr(KlTeardown) teardown = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) patches = NULL;
  g_autoptr(GError) error = NULL;

  full_setup (fixture);
  teardown = teardown_new (fixture, KL_TEARDOWN_CMK);

  /* Some latency, so that requests sent together are seen together. */
  kl_sim_set_latency (fixture->project->sim, 30);
  kl_sim_set_time_scale (fixture->project->sim, 0.001);
  kl_sim_clear_requests (fixture->project->sim);
  g_assert_true (teardown_run (teardown, NULL, &error));
  g_assert_no_error (error);
  kl_sim_set_latency (fixture->project->sim, 0);
  assert_step_kinds (teardown, kinds, G_N_ELEMENTS (kinds));
  assert_all_done (teardown, fixture);
  assert_no_server_error (fixture);

  /* The two cluster PATCHes were in flight together. */
  patches = kl_test_project_requests (fixture->project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 3);  /* two clusters, then encryptionAtRest */
  g_assert_cmpint (((KlSimRequest *) patches->pdata[0])->start_us, <,
                   ((KlSimRequest *) patches->pdata[1])->end_us);
  g_assert_cmpint (((KlSimRequest *) patches->pdata[1])->start_us, <,
                   ((KlSimRequest *) patches->pdata[0])->end_us);
  g_assert_true (g_str_has_suffix (((KlSimRequest *) patches->pdata[2])->path,
                                   "/encryptionAtRest"));

  ear = kl_test_project_get_ear (fixture->project, GROUP);
  g_assert_false (kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (ear)));
  endpoints = kl_test_project_list_endpoints (fixture->project, GROUP);
  g_assert_cmpuint (endpoints->len, ==, 0);
  clusters = kl_test_project_list_clusters (fixture->project, GROUP);
  for (guint i = 0; i < clusters->len; i++)
    {
      g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (clusters->pdata[i]), ==, "NONE");
      g_assert_cmpstr (kl_cluster_get_state_name (clusters->pdata[i]), ==, "IDLE");
    }
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  static const KlStepKind rest[] = {
    KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_CLUSTER_PROVIDER_NONE, KL_STEP_CLUSTER_PROVIDER_NONE,
    KL_STEP_WAIT_CLUSTERS_IDLE, KL_STEP_DISABLE_CMK,
  };
  g_autoptr(KlTeardown) first = NULL;
  g_autoptr(KlTeardown) second = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) deletes = NULL;
  g_autoptr(GHashTable) deleted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GListModel *steps;

  full_setup (fixture);
  kl_sim_clear_requests (fixture->project->sim);

  /* Interrupted as the wait for the deletions starts (the clock stands still meanwhile). */
  first = teardown_new (fixture, KL_TEARDOWN_CMK);
  fixture->cancel_at = KL_STEP_WAIT_ENDPOINTS_GONE;
  fixture->cancel_armed = TRUE;
  g_assert_false (teardown_run (first, fixture->cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  fixture->cancel_armed = FALSE;
  g_assert_null (kl_teardown_get_error (first));  /* cancellation is no error to show */
  steps = kl_teardown_get_steps (first);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 7);
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (kl_step_get_state (step), ==, i < 2 ? KL_STEP_STATE_DONE
                                                            : KL_STEP_STATE_PENDING);
    }
  endpoints = kl_test_project_list_endpoints (fixture->project, GROUP);
  g_assert_cmpuint (endpoints->len, ==, 2);
  for (guint i = 0; i < endpoints->len; i++)
    g_assert_cmpint (kl_private_endpoint_get_status (endpoints->pdata[i]), ==,
                     KL_ENDPOINT_STATUS_DELETING);

  /* A new teardown reads the server and does only what is left. */
  kl_sim_set_time_scale (fixture->project->sim, 0.001);
  second = teardown_new (fixture, KL_TEARDOWN_CMK);
  g_assert_true (teardown_run (second, NULL, &error));
  g_assert_no_error (error);
  assert_step_kinds (second, rest, G_N_ELEMENTS (rest));
  assert_all_done (second, fixture);

  /* One DELETE per endpoint over both runs: none for an endpoint already going. */
  deletes = kl_test_project_requests (fixture->project, "DELETE", NULL);
  g_assert_cmpuint (deletes->len, ==, 2);
  for (guint i = 0; i < deletes->len; i++)
    {
      KlSimRequest *request = deletes->pdata[i];

      g_assert_cmpuint (request->status, ==, 204);
      g_assert_true (g_hash_table_add (deleted, request->path));
    }

  ear = kl_test_project_get_ear (fixture->project, GROUP);
  g_assert_false (kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (ear)));
}

static void
step_state_cb (KlStep     *step,
               GParamSpec *pspec,
               Fixture    *fixture)
{
  /* Refused while INITIATING: let the provisioning finish now. */
  if (kl_step_get_state (step) == KL_STEP_STATE_WAITING && !fixture->saw_waiting)
    {
      fixture->saw_waiting = TRUE;
      kl_sim_advance (fixture->project->sim, 90);
    }
}

static void
advance_on_wait_cb (KlTeardown *teardown,
                    guint       index,
                    Fixture    *fixture)
{
  g_autoptr(KlStep) step = g_list_model_get_item (kl_teardown_get_steps (teardown), index);

  if (kl_step_get_kind (step) == KL_STEP_DELETE_ENDPOINT)
    g_signal_connect (step, "notify::state", G_CALLBACK (step_state_cb), fixture);
  else if (kl_step_get_kind (step) == KL_STEP_WAIT_ENDPOINTS_GONE)
    kl_sim_advance (fixture->project->sim, 60);
}

static void
test_initiating (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  static const KlStepKind kinds[] = {
    KL_STEP_DELETE_ENDPOINT, KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_DISABLE_PRIVATE_NETWORKING,
  };
  g_autoptr(KlTeardown) teardown = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GPtrArray) deletes = NULL;
  g_autoptr(GError) error = NULL;

  kl_test_project_enable_cmk (fixture->project, GROUP, TRUE);
  create_endpoints (fixture, regions);  /* INITIATING: the clock stands still */

  teardown = teardown_new (fixture, KL_TEARDOWN_PRIVATE_NETWORKING);
  g_signal_connect (teardown, "step-started", G_CALLBACK (advance_on_wait_cb), fixture);
  kl_sim_clear_requests (fixture->project->sim);
  g_assert_true (teardown_run (teardown, NULL, &error));
  g_assert_no_error (error);
  assert_step_kinds (teardown, kinds, G_N_ELEMENTS (kinds));
  assert_all_done (teardown, fixture);
  g_assert_true (fixture->saw_waiting);

  /* Refused once with the provisioning code (not a failure), accepted once it had left
   * INITIATING. */
  deletes = kl_test_project_requests (fixture->project, "DELETE", NULL);
  g_assert_cmpuint (deletes->len, ==, 2);
  g_assert_cmpuint (((KlSimRequest *) deletes->pdata[0])->status, ==, 400);
  g_assert_cmpuint (((KlSimRequest *) deletes->pdata[1])->status, ==, 204);

  ear = kl_test_project_get_ear (fixture->project, GROUP);
  g_assert_false (kl_azure_key_vault_get_require_private_networking (
                    kl_encryption_at_rest_get_azure_key_vault (ear)));
}

/* Rejected in Azure: the old record (PENDING_RECREATION) and Atlas's new one (INITIATING) are
 * both deleted, the new one once it has left INITIATING. */
static void
test_recreated (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  static const KlStepKind kinds[] = {
    KL_STEP_DELETE_ENDPOINT, KL_STEP_DELETE_ENDPOINT, KL_STEP_WAIT_ENDPOINTS_GONE,
    KL_STEP_DISABLE_PRIVATE_NETWORKING,
  };
  g_autoptr(KlTeardown) teardown = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) deletes = NULL;
  g_autoptr(GHashTable) deleted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_id = NULL;
  guint n_replaced = 0;

  kl_test_project_enable_cmk (fixture->project, GROUP, TRUE);
  create_endpoints (fixture, regions);
  kl_sim_advance (fixture->project->sim, 90);
  before = kl_test_project_list_endpoints (fixture->project, GROUP);
  g_assert_cmpuint (before->len, ==, 1);
  old_id = g_strdup (kl_private_endpoint_get_id (before->pdata[0]));
  g_assert_true (kl_sim_reject_endpoint (fixture->project->sim, GROUP, old_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&before, g_ptr_array_unref);
  before = kl_test_project_list_endpoints (fixture->project, GROUP);
  g_assert_cmpuint (before->len, ==, 2);

  teardown = teardown_new (fixture, KL_TEARDOWN_PRIVATE_NETWORKING);
  g_signal_connect (teardown, "step-started", G_CALLBACK (advance_on_wait_cb), fixture);
  kl_sim_clear_requests (fixture->project->sim);
  g_assert_true (teardown_run (teardown, NULL, &error));
  g_assert_no_error (error);
  assert_step_kinds (teardown, kinds, G_N_ELEMENTS (kinds));
  assert_all_done (teardown, fixture);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (kl_teardown_get_steps (teardown), i);

      if (g_strcmp0 (kl_step_get_title (step), "Delete the replaced private endpoint in US_EAST_2") == 0)
        {
          g_assert_cmpstr (kl_step_get_target (step), ==, old_id);
          n_replaced++;
        }
    }
  g_assert_cmpuint (n_replaced, ==, 1);

  /* Each record deleted (the new one refused once while INITIATING), none left. */
  deletes = kl_test_project_requests (fixture->project, "DELETE", NULL);
  for (guint i = 0; i < deletes->len; i++)
    {
      KlSimRequest *request = deletes->pdata[i];

      if (request->status == 204)
        g_assert_true (g_hash_table_add (deleted, request->path));
    }
  g_assert_cmpuint (g_hash_table_size (deleted), ==, 2);
  after = kl_test_project_list_endpoints (fixture->project, GROUP);
  g_assert_cmpuint (after->len, ==, 0);
  ear = kl_test_project_get_ear (fixture->project, GROUP);
  g_assert_false (kl_azure_key_vault_get_require_private_networking (
                    kl_encryption_at_rest_get_azure_key_vault (ear)));
}

static void
test_error_kept (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  g_autoptr(KlTeardown) teardown = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(KlStep) step = NULL;
  g_autoptr(GError) error = NULL;

  kl_test_project_enable_cmk (fixture->project, GROUP, TRUE);
  create_endpoints (fixture, regions);
  kl_sim_advance (fixture->project->sim, 90);
  kl_sim_add_fault (fixture->project->sim,
                    "{\"path\":\"" ENDPOINTS_PATH "/*\",\"method\":\"DELETE\",\"kind\":\"status\","
                    "\"status\":403,\"count\":1}", &error);
  g_assert_no_error (error);

  /* The error stops the teardown and stays for display. */
  teardown = teardown_new (fixture, KL_TEARDOWN_PRIVATE_NETWORKING);
  g_assert_false (teardown_run (teardown, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_IP_NOT_ON_ACCESS_LIST);
  g_assert_error (kl_teardown_get_error (teardown), KL_ERROR, KL_ERROR_IP_NOT_ON_ACCESS_LIST);
  g_assert_cmpuint (fixture->failed->len, ==, 1);
  g_assert_cmpuint (g_array_index (fixture->failed, guint, 0), ==, 0);
  step = g_list_model_get_item (kl_teardown_get_steps (teardown), 0);
  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_FAILED);
  g_assert_error (kl_step_get_error (step), KL_ERROR, KL_ERROR_IP_NOT_ON_ACCESS_LIST);
  g_clear_error (&error);
  g_clear_object (&step);

  /* Run again once the cause is gone: it resumes and clears the error. */
  kl_sim_set_time_scale (fixture->project->sim, 0.001);
  g_array_set_size (fixture->started, 0);
  g_array_set_size (fixture->finished, 0);
  g_array_set_size (fixture->failed, 0);
  g_assert_true (teardown_run (teardown, NULL, &error));
  g_assert_no_error (error);
  assert_all_done (teardown, fixture);
  ear = kl_test_project_get_ear (fixture->project, GROUP);
  g_assert_false (kl_azure_key_vault_get_require_private_networking (
                    kl_encryption_at_rest_get_azure_key_vault (ear)));
}

static void
flaky_wait_cb (KlTeardown *teardown,
               guint       index,
               Fixture    *fixture)
{
  g_autoptr(KlStep) step = g_list_model_get_item (kl_teardown_get_steps (teardown), index);
  g_autoptr(GError) error = NULL;

  if (kl_step_get_kind (step) != KL_STEP_WAIT_ENDPOINTS_GONE)
    return;

  /* The next two polls fail with a 5xx that the client does not retry. */
  kl_atlas_client_set_retry_policy (fixture->project->client, 1, 10, 100);
  kl_sim_add_fault (fixture->project->sim,
                    "{\"path\":\"" ENDPOINTS_PATH "\",\"method\":\"GET\",\"kind\":\"status\","
                    "\"status\":503,\"count\":2}", &error);
  g_assert_no_error (error);
  kl_sim_advance (fixture->project->sim, 60);
}

static void
count_poll_errors_cb (KlWatch *watch,
                      GError  *error,
                      guint   *n_errors)
{
  g_assert_error (error, KL_ERROR, KL_ERROR_SERVER);
  (*n_errors)++;
}

static void
test_transient_poll_errors (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  g_autoptr(KlTeardown) teardown = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GError) error = NULL;
  guint n_errors = 0;

  kl_test_project_enable_cmk (fixture->project, GROUP, TRUE);
  create_endpoints (fixture, regions);
  kl_sim_advance (fixture->project->sim, 90);

  teardown = teardown_new (fixture, KL_TEARDOWN_PRIVATE_NETWORKING);
  g_signal_connect (teardown, "step-started", G_CALLBACK (flaky_wait_cb), fixture);
  g_signal_connect (kl_teardown_get_endpoint_watch (teardown), "error",
                    G_CALLBACK (count_poll_errors_cb), &n_errors);
  kl_sim_clear_requests (fixture->project->sim);

  /* The wait rides out the failed polls (the watch backs off and goes on). */
  g_assert_true (teardown_run (teardown, NULL, &error));
  g_assert_no_error (error);
  assert_all_done (teardown, fixture);
  g_assert_cmpuint (n_errors, ==, 2);
  lists = kl_test_project_requests (fixture->project, "GET", "/privateEndpoints");
  g_assert_cmpuint (lists->len, ==, 1 + 3);  /* the state read, then 503, 503, 200 */
  g_assert_cmpuint (((KlSimRequest *) lists->pdata[3])->status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/teardown/private-networking", Fixture, NULL, fixture_set_up,
              test_private_networking, fixture_tear_down);
  g_test_add ("/teardown/cmk", Fixture, NULL, fixture_set_up, test_cmk, fixture_tear_down);
  g_test_add ("/teardown/resume", Fixture, NULL, fixture_set_up, test_resume, fixture_tear_down);
  g_test_add ("/teardown/initiating", Fixture, NULL, fixture_set_up, test_initiating,
              fixture_tear_down);
  g_test_add ("/teardown/recreated", Fixture, NULL, fixture_set_up, test_recreated,
              fixture_tear_down);
  g_test_add ("/teardown/error-kept", Fixture, NULL, fixture_set_up, test_error_kept,
              fixture_tear_down);
  g_test_add ("/teardown/transient-poll-errors", Fixture, NULL, fixture_set_up,
              test_transient_poll_errors, fixture_tear_down);

  return g_test_run ();
}
