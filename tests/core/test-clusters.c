/* test-clusters.c — turning customer-managed keys on for clusters in parallel, following them
 * to IDLE with one list request a tick, refusing ineligible clusters before any request.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-cluster-watch.h"
#include "kl-error.h"
#include "kl-setup-runner.h"
#include "kl-test-project.h"
#include "kl-test-utils.h"

#define CLUSTERS_PATH(group) "/api/atlas/v2/groups/" group "/clusters"

typedef struct
{
  KlTestProject  *project;
  KlClusterWatch *watch;
  KlSetupRunner  *runner;
  GPtrArray      *states;     /* "name:OLD>NEW" */
  GPtrArray      *providers;  /* "name:OLD>NEW" */
} Fixture;

static void
state_changed_cb (KlClusterWatch *watch,
                  KlCluster      *cluster,
                  const char     *old_state,
                  Fixture        *fixture)
{
  g_ptr_array_add (fixture->states, g_strdup_printf ("%s:%s>%s", kl_cluster_get_name (cluster),
                                                     old_state,
                                                     kl_cluster_get_state_name (cluster)));
}

static void
provider_changed_cb (KlClusterWatch *watch,
                     KlCluster      *cluster,
                     const char     *old_provider,
                     Fixture        *fixture)
{
  g_ptr_array_add (fixture->providers,
                   g_strdup_printf ("%s:%s>%s", kl_cluster_get_name (cluster), old_provider,
                                    kl_cluster_get_encryption_at_rest_provider (cluster)));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *group = data;

  fixture->project = kl_test_project_new (0);  /* frozen clock: the test moves it */
  fixture->watch = kl_cluster_watch_new (fixture->project->client, group);
  kl_watch_set_intervals (KL_WATCH (fixture->watch), 5, 40);
  fixture->states = g_ptr_array_new_with_free_func (g_free);
  fixture->providers = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->watch, "state-changed", G_CALLBACK (state_changed_cb), fixture);
  g_signal_connect (fixture->watch, "provider-changed", G_CALLBACK (provider_changed_cb),
                    fixture);
  fixture->runner = kl_setup_runner_new (fixture->project->client, group);
  kl_setup_runner_set_cluster_watch (fixture->runner, fixture->watch);
  /* These tests are about the update itself (UPDATING from the PATCH's answer on); the
   * propagation tests below turn the delay back on. */
  kl_sim_set_cluster_propagation (fixture->project->sim, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->runner);
  g_assert_finalize_object (fixture->watch);
  g_ptr_array_unref (fixture->states);
  g_ptr_array_unref (fixture->providers);
  kl_test_project_free (fixture->project);
}

static GPtrArray *
pick_clusters (GPtrArray          *clusters,
               const char * const *names)
{
  GPtrArray *picked = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; names[i] != NULL; i++)
    for (guint j = 0; j < clusters->len; j++)
      if (g_strcmp0 (kl_cluster_get_name (clusters->pdata[j]), names[i]) == 0)
        g_ptr_array_add (picked, g_object_ref (clusters->pdata[j]));

  g_assert_cmpuint (picked->len, ==, g_strv_length ((GStrv) names));
  return picked;
}

/* Enables @chosen, where some are not eligible: the call fails with KL_ERROR_INELIGIBLE (its
 * message goes to the test log). */
static void
enable_clusters_refused (Fixture   *fixture,
                         GPtrArray *chosen)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };

  kl_setup_runner_enable_clusters_async (fixture->runner, chosen, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  g_assert_false (kl_setup_runner_enable_clusters_finish (fixture->runner, result, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INELIGIBLE);
  g_test_message ("%s", error->message);
}

/* Both PATCHes answered (the steps hold what they returned) and the watch saw both UPDATING. */
static gboolean
all_updating (gpointer user_data)
{
  Fixture *fixture = user_data;
  GListModel *steps = kl_setup_runner_get_steps (fixture->runner);
  guint n_items = g_list_model_get_n_items (steps);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);
      KlCluster *cluster = kl_step_get_object (step);
      KlCluster *seen = kl_cluster_watch_lookup (fixture->watch, kl_step_get_target (step));

      if (g_strcmp0 (kl_cluster_get_state_name (cluster), "UPDATING") != 0 || seen == NULL ||
          g_strcmp0 (kl_cluster_get_state_name (seen), "UPDATING") != 0)
        return FALSE;
    }

  return n_items > 0;
}

static void
test_enable_parallel (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const names[] = { "payments-eu", "payments-us", NULL };
  GListModel *steps = kl_setup_runner_get_steps (fixture->runner);
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  g_autoptr(GPtrArray) patches = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlSimRequest *a, *b;

  kl_test_project_enable_cmk (fixture->project, KL_SIM_GROUP_READY, TRUE);
  clusters = kl_test_project_list_clusters (fixture->project, KL_SIM_GROUP_READY);
  chosen = pick_clusters (clusters, names);

  /* The second PATCH is answered 30 ms after the first. */
  kl_sim_add_fault (fixture->project->sim,
                    "{\"path\":\"/api/atlas/v2/groups/*/clusters/payments-us\","
                    "\"method\":\"PATCH\",\"kind\":\"latency\",\"latencyMs\":30}", &error);
  g_assert_no_error (error);
  kl_sim_set_latency (fixture->project->sim, 100);
  kl_sim_clear_requests (fixture->project->sim);
  kl_setup_runner_enable_clusters_async (fixture->runner, chosen, NULL, kl_test_async_cb, &async);
  g_assert_true (kl_setup_runner_get_busy (fixture->runner));
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 2);

  /* The clock moves only once both are UPDATING. */
  g_assert_true (kl_test_wait_until (all_updating, fixture, KL_TEST_DEADLINE_MS));
  g_assert_null (async.result);
  kl_sim_set_latency (fixture->project->sim, 0);
  kl_sim_advance (fixture->project->sim, 120);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_enable_clusters_finish (fixture->runner, result, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);
      KlCluster *cluster = kl_step_get_object (step);

      g_assert_cmpint (kl_step_get_kind (step), ==, KL_STEP_ENABLE_CLUSTER);
      g_assert_cmpstr (kl_step_get_target (step), ==, names[i]);
      g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
      g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "IDLE");
      g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (cluster), ==, "AZURE");
    }

  /* Both PATCHes were in flight together. */
  patches = kl_test_project_requests (fixture->project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 2);
  a = patches->pdata[0];
  b = patches->pdata[1];
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpuint (b->status, ==, 200);
  g_assert_cmpint (a->start_us, <, b->end_us);
  g_assert_cmpint (b->start_us, <, a->end_us);

  /* Followed with list calls only, never one GET per cluster. */
  lists = kl_test_project_requests (fixture->project, "GET", CLUSTERS_PATH (KL_SIM_GROUP_READY));
  g_assert_cmpuint (lists->len, >=, 1);
  after = kl_test_project_requests (fixture->project, "GET", NULL);
  g_assert_cmpuint (after->len, ==, lists->len);

  /* Followed together once both PATCHes were answered: one list, then the next one a base
   * interval (5 ms) later at the earliest, never a second one straight after the first. */
  g_assert_cmpint (((KlSimRequest *) lists->pdata[0])->start_us, >=, MAX (a->end_us, b->end_us));
  for (guint i = 0; i + 1 < lists->len; i++)
    g_assert_cmpint (((KlSimRequest *) lists->pdata[i + 1])->start_us -
                     ((KlSimRequest *) lists->pdata[i])->end_us, >=, 4000);

  /* The watch saw both go UPDATING → IDLE with the new provider, and then stopped. */
  g_assert_cmpuint (fixture->states->len, ==, 2);
  for (guint i = 0; i < fixture->states->len; i++)
    g_assert_true (g_str_has_suffix (g_ptr_array_index (fixture->states, i), ":UPDATING>IDLE"));
  g_assert_false (kl_cluster_watch_get_running (fixture->watch));
  g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (
                     kl_cluster_watch_lookup (fixture->watch, "payments-us")), ==, "AZURE");
  g_assert_cmpint (kl_cluster_watch_get_state_since (fixture->watch, "payments-us"), !=,
                   KL_WATCH_TIME_UNKNOWN);
  g_assert_cmpint (kl_cluster_watch_get_state_since (fixture->watch, "payments-us"), <=,
                   g_get_monotonic_time ());
}

static void
test_ineligible (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const mixed_names[] = {
    "analytics-free", "analytics-multicloud", NULL
  };
  static const char * const flex_names[] = { "analytics-flex", NULL };
  static const char * const paused_names[] = { "archive-2019", NULL };
  GListModel *steps = kl_setup_runner_get_steps (fixture->runner);
  g_autoptr(GPtrArray) mixed = NULL;
  g_autoptr(GPtrArray) flex = NULL;
  g_autoptr(GPtrArray) flex_chosen = NULL;
  g_autoptr(GPtrArray) inactive = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  g_autoptr(GPtrArray) paused = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(KlCluster) serverless = NULL;
  g_autoptr(GError) error = NULL;

  mixed = kl_test_project_list_clusters (fixture->project, KL_SIM_GROUP_MIXED);
  inactive = kl_test_project_list_clusters (fixture->project, KL_SIM_GROUP_PAUSED);
  chosen = pick_clusters (mixed, mixed_names);
  /* The Flex cluster, as the Flex API gives it. */
  flex = kl_test_project_list_flex_clusters (fixture->project, KL_SIM_GROUP_MIXED);
  flex_chosen = pick_clusters (flex, flex_names);
  g_assert_true (kl_cluster_is_flex (flex_chosen->pdata[0]));
  g_ptr_array_add (chosen, g_object_ref (flex_chosen->pdata[0]));
  paused = pick_clusters (inactive, paused_names);
  g_assert_true (kl_cluster_get_paused (paused->pdata[0]));
  g_ptr_array_add (chosen, g_object_ref (paused->pdata[0]));
  /* The cluster API never lists serverless instances (the simulator hides MIXED's one, as
   * Atlas does): one shaped like a serverless instance is refused as well. */
  serverless = kl_cluster_parse ("{\"name\":\"analytics-serverless\",\"stateName\":\"IDLE\","
                                 "\"replicationSpecs\":[{\"regionConfigs\":[{\"providerName\":"
                                 "\"SERVERLESS\",\"backingProviderName\":\"AZURE\","
                                 "\"regionName\":\"US_EAST_2\"}]}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (kl_cluster_is_serverless (serverless));
  g_ptr_array_add (chosen, g_steal_pointer (&serverless));

  kl_sim_clear_requests (fixture->project->sim);
  enable_clusters_refused (fixture, chosen);

  /* Every one refused, each with its reason. */
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, chosen->len);
  for (guint i = 0; i < chosen->len; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_FAILED);
      g_assert_error (kl_step_get_error (step), KL_ERROR, KL_ERROR_INELIGIBLE);
      g_assert_nonnull (strstr (kl_step_get_error (step)->message, kl_step_get_target (step)));
    }

  /* …and not a single request sent. */
  requests = kl_test_project_requests (fixture->project, NULL, NULL);
  g_assert_cmpuint (requests->len, ==, 0);
  g_assert_false (kl_cluster_watch_get_running (fixture->watch));
}

static void
test_eligible_among_ineligible (Fixture       *fixture,
                                gconstpointer  data)
{
  static const char * const names[] = {
    "analytics-free", "analytics-azure", "analytics-multicloud", NULL
  };
  GListModel *steps = kl_setup_runner_get_steps (fixture->runner);
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  g_autoptr(GPtrArray) patches = NULL;
  g_autoptr(KlStep) eligible = NULL;

  kl_test_project_enable_cmk (fixture->project, KL_SIM_GROUP_MIXED, FALSE);
  clusters = kl_test_project_list_clusters (fixture->project, KL_SIM_GROUP_MIXED);
  chosen = pick_clusters (clusters, names);

  kl_sim_set_time_scale (fixture->project->sim, 0.001);  /* UPDATING lasts 120 ms */
  kl_sim_clear_requests (fixture->project->sim);
  /* Two refused: the message says there is one more. */
  enable_clusters_refused (fixture, chosen);

  eligible = g_list_model_get_item (steps, 1);
  g_assert_cmpstr (kl_step_get_target (eligible), ==, "analytics-azure");
  g_assert_cmpint (kl_step_get_state (eligible), ==, KL_STEP_STATE_DONE);
  g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (kl_step_get_object (eligible)), ==,
                   "AZURE");

  /* One PATCH: the eligible cluster's. */
  patches = kl_test_project_requests (fixture->project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 1);
  g_assert_cmpstr (((KlSimRequest *) patches->pdata[0])->path, ==,
                   CLUSTERS_PATH (KL_SIM_GROUP_MIXED) "/analytics-azure");
}

static gboolean
step_is_waiting (gpointer user_data)
{
  return kl_step_get_state (user_data) == KL_STEP_STATE_WAITING;
}

static void
test_busy_cluster (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KlStep) step = kl_step_new (KL_STEP_CLUSTER_PROVIDER_NONE, "payments-us", NULL, "test");
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patches = NULL;
  KlTestAsync async = { NULL };

  kl_test_project_enable_cmk (fixture->project, KL_SIM_GROUP_READY, FALSE);

  /* Turned on: UPDATING while the clock stands still. */
  kl_setup_set_cluster_provider_async (fixture->watch, "payments-us", "AZURE", NULL, NULL,
                                       kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  cluster = kl_setup_set_cluster_provider_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "UPDATING");
  g_clear_object (&result);
  g_clear_object (&cluster);

  /* Turning it off at once is refused by the server (still updating): waited out, then sent. */
  kl_sim_clear_requests (fixture->project->sim);
  kl_setup_set_cluster_provider_async (fixture->watch, "payments-us", "NONE", step, NULL,
                                       kl_test_async_cb, &async);
  g_assert_true (kl_test_wait_until (step_is_waiting, step, KL_TEST_DEADLINE_MS));
  g_assert_null (async.result);
  kl_sim_advance (fixture->project->sim, 120);
  result = kl_test_async_wait (&async);
  cluster = kl_setup_set_cluster_provider_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (cluster), ==, "NONE");
  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_RUNNING);

  patches = kl_test_project_requests (fixture->project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 2);
  g_assert_cmpuint (((KlSimRequest *) patches->pdata[0])->status, ==, 409);
  g_assert_cmpuint (((KlSimRequest *) patches->pdata[1])->status, ==, 200);
}

typedef struct
{
  Fixture *fixture;
  guint    n_polls;     /* the watch's polls to wait for */
  gboolean updating;    /* or: wait until the watch shows payments-us UPDATING */
} PollWait;

static gboolean
polls_done (gpointer user_data)
{
  PollWait *wait = user_data;
  KlCluster *cluster = kl_cluster_watch_lookup (wait->fixture->watch, "payments-us");

  if (wait->updating)
    return cluster != NULL && g_strcmp0 (kl_cluster_get_state_name (cluster), "UPDATING") == 0;
  return kl_watch_get_n_polls (KL_WATCH (wait->fixture->watch)) >= wait->n_polls;
}

static void
enable_payments_us_async (Fixture     *fixture,
                          KlTestAsync *async)
{
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  static const char * const names[] = { "payments-us", NULL };

  kl_test_project_enable_cmk (fixture->project, KL_SIM_GROUP_READY, TRUE);
  clusters = kl_test_project_list_clusters (fixture->project, KL_SIM_GROUP_READY);
  chosen = pick_clusters (clusters, names);
  kl_setup_runner_enable_clusters_async (fixture->runner, chosen, NULL, kl_test_async_cb, async);
}

/* Atlas answers IDLE (here with the new provider already) for a while after the PATCH: the
 * first IDLE polls do not make the cluster done; once it was seen UPDATING, IDLE does. */
static void
test_propagation_updating (Fixture       *fixture,
                           gconstpointer  data)
{
  GListModel *steps = kl_setup_runner_get_steps (fixture->runner);
  g_autoptr(KlStep) step = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  PollWait wait = { fixture, 0, FALSE };
  KlCluster *seen;

  kl_sim_set_cluster_propagation (fixture->project->sim, KL_SIM_CLUSTER_PROPAGATION_SECONDS);
  /* Far longer than the test: only UPDATING can end the wait. */
  kl_cluster_watch_set_settle_time (fixture->watch, 600000);
  enable_payments_us_async (fixture, &async);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 1);
  step = g_list_model_get_item (steps, 0);

  /* Several polls see it IDLE with AZURE: not done. */
  wait.n_polls = kl_watch_get_n_polls (KL_WATCH (fixture->watch)) + 4;
  g_assert_true (kl_test_wait_until (polls_done, &wait, KL_TEST_DEADLINE_MS));
  seen = kl_cluster_watch_lookup (fixture->watch, "payments-us");
  g_assert_nonnull (seen);
  g_assert_cmpstr (kl_cluster_get_state_name (seen), ==, "IDLE");
  g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (seen), ==, "AZURE");
  g_assert_false (kl_cluster_watch_is_updated (fixture->watch, "payments-us"));
  g_assert_null (async.result);
  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_RUNNING);

  /* The update shows: UPDATING, still not done. */
  kl_sim_advance (fixture->project->sim, KL_SIM_CLUSTER_PROPAGATION_SECONDS);
  wait.updating = TRUE;
  g_assert_true (kl_test_wait_until (polls_done, &wait, KL_TEST_DEADLINE_MS));
  g_assert_null (async.result);

  /* Over: done at the first IDLE. */
  kl_sim_advance (fixture->project->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_enable_clusters_finish (fixture->runner, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
  g_assert_true (kl_cluster_watch_is_updated (fixture->watch, "payments-us"));
  g_assert_cmpuint (fixture->states->len, ==, 2);
  g_assert_cmpstr (fixture->states->pdata[0], ==, "payments-us:IDLE>UPDATING");
  g_assert_cmpstr (fixture->states->pdata[1], ==, "payments-us:UPDATING>IDLE");
}

/* An update that never shows UPDATING (here: the clock stands still in the propagation
 * delay): done once the settle time has passed, with IDLE and the new provider on two polls
 * in a row, not before. */
static void
test_propagation_settle (Fixture       *fixture,
                         gconstpointer  data)
{
  GListModel *steps = kl_setup_runner_get_steps (fixture->runner);
  g_autoptr(KlStep) step = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  gint64 start;

  kl_sim_set_cluster_propagation (fixture->project->sim, KL_SIM_CLUSTER_PROPAGATION_SECONDS);
  kl_cluster_watch_set_settle_time (fixture->watch, 300);
  g_assert_cmpuint (kl_cluster_watch_get_settle_time (fixture->watch), ==, 300);
  start = g_get_monotonic_time ();
  enable_payments_us_async (fixture, &async);
  step = g_list_model_get_item (steps, 0);

  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_enable_clusters_finish (fixture->runner, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
  g_assert_cmpuint (fixture->states->len, ==, 0);
  g_assert_cmpuint (kl_watch_get_n_polls (KL_WATCH (fixture->watch)), >=, 2);

  /* The default settle time scales with the base interval (Terraform's 30 s at 2 s). */
  kl_cluster_watch_set_settle_time (fixture->watch, 0);
  g_assert_cmpuint (kl_cluster_watch_get_settle_time (fixture->watch), ==,
                    KL_CLUSTER_WATCH_SETTLE_INTERVALS * 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/clusters/enable-parallel", Fixture, KL_SIM_GROUP_READY, fixture_set_up,
              test_enable_parallel, fixture_tear_down);
  g_test_add ("/clusters/ineligible", Fixture, KL_SIM_GROUP_MIXED, fixture_set_up,
              test_ineligible, fixture_tear_down);
  g_test_add ("/clusters/eligible-among-ineligible", Fixture, KL_SIM_GROUP_MIXED, fixture_set_up,
              test_eligible_among_ineligible, fixture_tear_down);
  g_test_add ("/clusters/busy", Fixture, KL_SIM_GROUP_READY, fixture_set_up, test_busy_cluster,
              fixture_tear_down);
  g_test_add ("/clusters/propagation-updating", Fixture, KL_SIM_GROUP_READY, fixture_set_up,
              test_propagation_updating, fixture_tear_down);
  g_test_add ("/clusters/propagation-settle", Fixture, KL_SIM_GROUP_READY, fixture_set_up,
              test_propagation_settle, fixture_tear_down);

  return g_test_run ();
}
