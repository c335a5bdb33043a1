/* test-session.c — the shared session reads a project's state from the simulator.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-error.h"
#include "kl-session.h"
#include "kl-sim.h"
#include "kl-test-utils.h"

typedef struct
{
  KlSim         *sim;
  KlAtlasClient *client;
  KlSession     *session;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sim = kl_sim_new ();
  kl_sim_set_time_scale (f->sim, 0);
  kl_sim_add_api_key (f->sim, "pubkey01", "private-key-0001");
  g_assert_true (kl_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);

  f->client = kl_atlas_client_new (kl_sim_get_base_url (f->sim), KL_AUTH_API_KEY,
                                   "pubkey01", "private-key-0001", &error);
  g_assert_no_error (error);
  kl_atlas_client_set_retry_policy (f->client, 2, 10, 50);

  f->session = kl_session_new ();
  kl_session_set_client (f->session, f->client);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->client);
  kl_sim_stop (f->sim);
  g_clear_object (&f->sim);
}

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
have_result (gpointer user_data)
{
  GAsyncResult **result = user_data;

  return *result != NULL;
}

static KlProject *
find_project (Fixture    *f,
              const char *group_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  kl_atlas_client_list_projects_async (f->client, NULL, got_result, &result);
  g_assert_true (kl_test_wait_until (have_result, &result, 10000));
  projects = kl_atlas_client_list_projects_finish (f->client, result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < projects->len; i++)
    if (g_str_equal (kl_project_get_id (g_ptr_array_index (projects, i)), group_id))
      return g_object_ref (g_ptr_array_index (projects, i));

  g_assert_not_reached ();
}

static void
test_session_refresh (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KlProject) project = find_project (f, KL_SIM_GROUP_READY);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlPlan *plan;

  kl_session_set_project (f->session, project);
  g_assert_cmpstr (kl_session_get_group_id (f->session), ==, KL_SIM_GROUP_READY);
  g_assert_null (kl_session_get_plan (f->session));

  kl_session_refresh_async (f->session, NULL, got_result, &result);
  g_assert_true (kl_test_wait_until (have_result, &result, 10000));
  g_assert_true (kl_session_refresh_finish (f->session, result, &error));
  g_assert_no_error (error);

  plan = kl_session_get_plan (f->session);
  g_assert_nonnull (plan);
  g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_NOT_CONFIGURED);
  g_assert_cmpuint (kl_session_get_clusters (f->session)->len, ==, 2);
  g_assert_cmpuint (kl_session_get_endpoints (f->session)->len, ==, 0);

  /* Another project: the old state is gone at once. */
  kl_session_set_project (f->session, NULL);
  g_assert_null (kl_session_get_plan (f->session));
  g_assert_null (kl_session_get_clusters (f->session));
}

static void
test_session_refresh_error (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KlProject) project = find_project (f, KL_SIM_GROUP_READY);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kl_session_set_project (f->session, project);
  /* Every list of clusters fails: the refresh fails and no half state is kept. */
  kl_sim_add_fault (f->sim, "{\"path\":\"/api/atlas/v2/groups/*/clusters\",\"kind\":\"status\","
                    "\"status\":500}", &error);
  g_assert_no_error (error);

  kl_session_refresh_async (f->session, NULL, got_result, &result);
  g_assert_true (kl_test_wait_until (have_result, &result, 10000));
  g_assert_false (kl_session_refresh_finish (f->session, result, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_SERVER);
  g_assert_null (kl_session_get_plan (f->session));
  g_assert_null (kl_session_get_encryption_at_rest (f->session));
}

static void
refresh (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kl_session_refresh_async (f->session, NULL, got_result, &result);
  g_assert_true (kl_test_wait_until (have_result, &result, 10000));
  g_assert_true (kl_session_refresh_finish (f->session, result, &error));
  g_assert_no_error (error);
}

static guint
count_requests (Fixture    *f,
                const char *path_suffix)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (f->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_has_suffix (request->path, path_suffix) && request->status != 401)
        n++;
    }
  return n;
}

/* The Flex clusters come from the Flex API, read beside the other lists, after the dedicated
 * clusters. */
static void
test_session_flex_clusters (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KlProject) project = find_project (f, KL_SIM_GROUP_MIXED);
  GPtrArray *clusters;
  KlCluster *last;

  kl_session_set_project (f->session, project);
  kl_sim_clear_requests (f->sim);
  refresh (f);

  g_assert_null (kl_session_get_clusters_error (f->session));
  clusters = kl_session_get_clusters (f->session);
  g_assert_cmpuint (clusters->len, ==, 6);
  for (guint i = 0; i + 1 < clusters->len; i++)
    g_assert_false (kl_cluster_is_flex (g_ptr_array_index (clusters, i)));
  last = g_ptr_array_index (clusters, clusters->len - 1);
  g_assert_cmpstr (kl_cluster_get_name (last), ==, "analytics-flex");
  g_assert_true (kl_cluster_is_flex (last));
  g_assert_cmpuint (count_requests (f, "/flexClusters"), ==, 1);
  g_assert_cmpuint (count_requests (f, "/clusters"), ==, 1);
}

/* A Flex list refused (404, 400, 403) or failing is not a failure: the Flex clusters are just
 * missing. */
static void
test_session_flex_list_refused (Fixture       *f,
                                gconstpointer  data)
{
  static const char *const rules[] = {
    "{\"path\":\"/api/atlas/v2/groups/*/flexClusters\",\"kind\":\"status\",\"status\":404,"
    "\"count\":1}",
    "{\"path\":\"/api/atlas/v2/groups/*/flexClusters\",\"kind\":\"status\",\"status\":400,"
    "\"errorCode\":\"INVALID_VERSION_DATE\",\"count\":1}",
    "{\"path\":\"/api/atlas/v2/groups/*/flexClusters\",\"kind\":\"status\",\"status\":403,"
    "\"errorCode\":\"USER_UNAUTHORIZED\",\"count\":1}",
    "{\"path\":\"/api/atlas/v2/groups/*/flexClusters\",\"kind\":\"status\",\"status\":500}",
  };
  g_autoptr(KlProject) project = find_project (f, KL_SIM_GROUP_MIXED);

  kl_session_set_project (f->session, project);
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *clusters;

      g_test_message ("rule %s", rules[i]);
      g_assert_true (kl_sim_add_fault (f->sim, rules[i], &error));
      g_assert_no_error (error);
      refresh (f);
      clusters = kl_session_get_clusters (f->session);
      g_assert_cmpuint (clusters->len, ==, 5);
      for (guint j = 0; j < clusters->len; j++)
        g_assert_false (kl_cluster_is_flex (g_ptr_array_index (clusters, j)));
      g_assert_null (kl_session_get_clusters_error (f->session));
      g_assert_nonnull (kl_session_get_plan (f->session));
      kl_sim_clear_faults (f->sim);
    }
}

/* Seen in real life: the clusters list refused whole because of a Flex cluster. The refresh
 * still succeeds, with the Flex clusters, and says what is missing. */
static void
test_session_clusters_refused_for_flex (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(KlProject) project = find_project (f, KL_SIM_GROUP_MIXED);
  g_autoptr(GError) error = NULL;
  const GError *clusters_error;
  GPtrArray *clusters;

  g_assert_true (kl_sim_set_cluster_list_refuses_flex (f->sim, KL_SIM_GROUP_MIXED, TRUE, &error));
  g_assert_no_error (error);
  kl_session_set_project (f->session, project);
  g_assert_null (kl_session_get_clusters_error (f->session));
  refresh (f);

  clusters = kl_session_get_clusters (f->session);
  g_assert_cmpuint (clusters->len, ==, 1);
  g_assert_cmpstr (kl_cluster_get_name (g_ptr_array_index (clusters, 0)), ==, "analytics-flex");
  g_assert_nonnull (kl_session_get_plan (f->session));
  clusters_error = kl_session_get_clusters_error (f->session);
  g_assert_nonnull (clusters_error);
  g_assert_error ((GError *) clusters_error, KL_ERROR, KL_ERROR_CONFLICT);
  g_test_message ("%s", clusters_error->message);
  g_assert_nonnull (strstr (clusters_error->message, "“analytics-flex”"));
  g_assert_nonnull (strstr (clusters_error->message, "Atlas UI"));

  /* Once Atlas lists them again, the error goes with the next refresh. */
  g_assert_true (kl_sim_set_cluster_list_refuses_flex (f->sim, KL_SIM_GROUP_MIXED, FALSE, &error));
  refresh (f);
  g_assert_null (kl_session_get_clusters_error (f->session));
  g_assert_cmpuint (kl_session_get_clusters (f->session)->len, ==, 6);

  /* …and a change of project forgets it. */
  g_assert_true (kl_sim_set_cluster_list_refuses_flex (f->sim, KL_SIM_GROUP_MIXED, TRUE, &error));
  refresh (f);
  g_assert_nonnull (kl_session_get_clusters_error (f->session));
  kl_session_set_project (f->session, NULL);
  g_assert_null (kl_session_get_clusters_error (f->session));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/session/refresh", Fixture, NULL, fixture_set_up, test_session_refresh, fixture_tear_down);
  g_test_add ("/session/refresh-error", Fixture, NULL, fixture_set_up, test_session_refresh_error, fixture_tear_down);
  g_test_add ("/session/flex-clusters", Fixture, NULL, fixture_set_up, test_session_flex_clusters,
              fixture_tear_down);
  g_test_add ("/session/flex-list-refused", Fixture, NULL, fixture_set_up,
              test_session_flex_list_refused, fixture_tear_down);
  g_test_add ("/session/clusters-refused-for-flex", Fixture, NULL, fixture_set_up,
              test_session_clusters_refused_for_flex, fixture_tear_down);

  return g_test_run ();
}
