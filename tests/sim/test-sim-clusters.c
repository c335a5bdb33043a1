/* test-sim-clusters.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-sim-api.h"

/* The simulated clusters over loopback: the list, the encryption PATCH and its propagation,
 * the clusters that cannot use the key, and Flex clusters. Every /api/atlas/v2 answer is
 * checked against the spec by sim_request(). */

/* Clusters */

static void
test_clusters_list (SimFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(SimResponse) ready = sim_get (f, READY "/clusters", V20240805);
  g_autoptr(SimResponse) mixed = sim_get (f, MIXED "/clusters", V20240805);
  g_autoptr(SimResponse) mixed_group = sim_get (f, MIXED, V20230101);
  g_autoptr(SimResponse) one = sim_get (f, READY "/clusters/payments-eu", V20240805);
  g_autoptr(SimResponse) serverless = sim_get (f, MIXED "/clusters/analytics-serverless",
                                               V20240805);
  g_autoptr(SimResponse) unknown = sim_get (f, MIXED "/clusters/nope", V20240805);
  g_autoptr(SimResponse) bad_name = sim_get (f, MIXED "/clusters/-bad_name", V20240805);
  g_autoptr(SimResponse) paged = sim_get (f, MIXED "/clusters?itemsPerPage=2&pageNum=3", V20240805);
  JsonObject *cluster;
  JsonObject *region;
  JsonObject *specs;
  JsonArray *configs;

  sim_assert_ok (ready, 200, V20240805);
  g_assert_cmpuint (json_array_get_length (results (ready)), ==, 2);
  cluster = find_by (results (ready), "name", "payments-eu");
  g_assert_cmpstr (json_object_get_string_member (cluster, "stateName"), ==, "IDLE");
  g_assert_cmpstr (json_object_get_string_member (cluster, "encryptionAtRestProvider"), ==, "NONE");
  g_assert_cmpstr (json_object_get_string_member (cluster, "groupId"), ==, KL_SIM_GROUP_READY);
  configs = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs");
  region = json_array_get_object_element (configs, 0);
  g_assert_cmpstr (json_object_get_string_member (region, "providerName"), ==, "AZURE");
  g_assert_cmpstr (json_object_get_string_member (region, "regionName"), ==, "EUROPE_WEST");
  specs = json_object_get_object_member (region, "electableSpecs");
  g_assert_cmpstr (json_object_get_string_member (specs, "instanceSize"), ==, "M30");
  cluster = find_by (results (ready), "name", "payments-us");
  region = json_array_get_object_element (json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs"), 0);
  g_assert_cmpstr (json_object_get_string_member (region, "regionName"), ==, "US_EAST_2");

  /* Serverless instances and (since January 2026) Flex clusters are not part of the
   * 2024-08-05 cluster API; clusterCount has them. */
  sim_assert_ok (mixed, 200, V20240805);
  g_assert_cmpuint (json_array_get_length (results (mixed)), ==, 5);
  g_assert_cmpint (json_object_get_int_member (sim_object (mixed_group), "clusterCount"), ==, 7);
  g_assert_null (find_by (results (mixed), "name", "analytics-serverless"));
  g_assert_null (find_by (results (mixed), "name", "analytics-flex"));

  cluster = find_by (results (mixed), "name", "analytics-gcp");
  region = json_array_get_object_element (json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs"), 0);
  g_assert_cmpstr (json_object_get_string_member (region, "providerName"), ==, "GCP");
  g_assert_cmpstr (json_object_get_string_member (region, "regionName"), ==, "CENTRAL_US");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (region,
                                                                                 "electableSpecs"),
                                                  "instanceSize"), ==, "M10");
  cluster = find_by (results (mixed), "name", "analytics-free");
  region = json_array_get_object_element (json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs"), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (region,
                                                                                 "electableSpecs"),
                                                  "instanceSize"), ==, "M0");
  cluster = find_by (results (mixed), "name", "analytics-multicloud");
  configs = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs");
  g_assert_cmpuint (json_array_get_length (configs), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (configs, 0),
                                                  "providerName"), ==, "AZURE");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (configs, 1),
                                                  "providerName"), ==, "AWS");
  g_assert_nonnull (find_by (results (mixed), "name", "analytics-aws"));
  g_assert_nonnull (find_by (results (mixed), "name", "analytics-azure"));

  sim_assert_ok (one, 200, V20240805);
  g_assert_cmpstr (sim_member_string (one, "name"), ==, "payments-eu");
  sim_assert_error (serverless, 400, "CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API");
  sim_assert_error (unknown, 404, "CLUSTER_NOT_FOUND");
  sim_assert_error (bad_name, 400, "CLUSTER_NAME_INVALID");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (bad_name), 0), ==,
                   "-bad_name");
  sim_assert_ok (paged, 200, V20240805);
  g_assert_cmpuint (json_array_get_length (results (paged)), ==, 1);

  {
    g_autoptr(SimResponse) paused = sim_get (f, PAUSED "/clusters", V20240805);
    g_autoptr(SimResponse) expansion = sim_get (f, EXPANSION "/clusters", V20240805);

    sim_assert_ok (paused, 200, V20240805);
    cluster = find_by (results (paused), "name", "archive-2019");
    g_assert_true (json_object_get_boolean_member (cluster, "paused"));
    sim_assert_ok (expansion, 200, V20240805);
    g_assert_cmpuint (json_array_get_length (results (expansion)), ==, 2);
    g_assert_nonnull (find_by (results (expansion), "name", "expansion-us"));
    cluster = find_by (results (expansion), "name", "expansion-chile");
    region = json_array_get_object_element (json_object_get_array_member (
      json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"),
                                     0), "regionConfigs"), 0);
    g_assert_cmpstr (json_object_get_string_member (region, "providerName"), ==, "AZURE");
    g_assert_cmpstr (json_object_get_string_member (region, "regionName"), ==, "CHILE_CENTRAL");
  }
}

/* The Flex API: the only one that serves Flex clusters. */
static void
test_flex_clusters (SimFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(SimResponse) list = sim_get (f, MIXED "/flexClusters", V20241113);
  g_autoptr(SimResponse) empty = sim_get (f, READY "/flexClusters", V20241113);
  g_autoptr(SimResponse) paged = sim_get (f, MIXED "/flexClusters?itemsPerPage=1&pageNum=2",
                                          V20241113);
  g_autoptr(SimResponse) old_media = sim_get (f, MIXED "/flexClusters", V20240805);
  g_autoptr(SimResponse) no_accept = sim_get (f, MIXED "/flexClusters", NULL);
  g_autoptr(SimResponse) one = sim_get (f, MIXED "/flexClusters/analytics-flex", V20241113);
  g_autoptr(SimResponse) dedicated = sim_get (f, MIXED "/flexClusters/analytics-azure", V20241113);
  g_autoptr(SimResponse) missing = sim_get (f, MIXED "/flexClusters/nope", V20241113);
  g_autoptr(SimResponse) via_clusters = sim_get (f, MIXED "/clusters/analytics-flex", V20240805);
  g_autoptr(SimResponse) patched = NULL;
  g_autoptr(SimResponse) post = sim_send (f, "POST", MIXED "/flexClusters", V20241113, "{}");
  JsonObject *flex;
  JsonObject *settings;

  sim_assert_ok (list, 200, V20241113);
  g_assert_cmpint (json_object_get_int_member (sim_object (list), "totalCount"), ==, 1);
  flex = find_by (results (list), "name", "analytics-flex");
  g_assert_nonnull (flex);
  g_assert_cmpstr (json_object_get_string_member (flex, "id"), ==, "65f0000000000000000c0a22");
  g_assert_cmpstr (json_object_get_string_member (flex, "groupId"), ==, KL_SIM_GROUP_MIXED);
  g_assert_cmpstr (json_object_get_string_member (flex, "stateName"), ==, "IDLE");
  settings = json_object_get_object_member (flex, "providerSettings");
  g_assert_cmpstr (json_object_get_string_member (settings, "providerName"), ==, "FLEX");
  g_assert_cmpstr (json_object_get_string_member (settings, "backingProviderName"), ==, "AZURE");
  g_assert_cmpstr (json_object_get_string_member (settings, "regionName"), ==, "EUROPE_WEST");

  sim_assert_ok (empty, 200, V20241113);
  g_assert_cmpuint (json_array_get_length (results (empty)), ==, 0);
  sim_assert_ok (paged, 200, V20241113);
  g_assert_cmpuint (json_array_get_length (results (paged)), ==, 0);
  sim_assert_error (old_media, 406, "INVALID_VERSION_DATE");
  sim_assert_error (no_accept, 406, "INVALID_VERSION_DATE");
  g_assert_cmpuint (post->status, ==, 405);

  sim_assert_ok (one, 200, V20241113);
  g_assert_cmpstr (sim_member_string (one, "name"), ==, "analytics-flex");
  sim_assert_error (dedicated, 400, "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (dedicated), 0), ==,
                   "analytics-azure");
  g_assert_cmpstr (sim_member_string (dedicated, "detail"), ==,
                   "Cannot use non-flex cluster analytics-azure in the flex API.");
  sim_assert_error (missing, 404, "CLUSTER_NOT_FOUND");
  g_assert_cmpuint (json_array_get_length (error_parameters (missing)), ==, 2);

  /* The cluster API refuses a Flex cluster by name, GET and PATCH alike. */
  sim_assert_error (via_clusters, 400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API");
  g_assert_cmpuint (json_array_get_length (error_parameters (via_clusters)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (error_parameters (via_clusters), 0), ==,
                   "analytics-flex");
  g_assert_cmpstr (sim_member_string (via_clusters, "detail"), ==,
                   "Flex cluster analytics-flex cannot be used in the Cluster API.");
  patched = sim_send (f, "PATCH", MIXED "/clusters/analytics-flex", V20241023,
                      "{\"encryptionAtRestProvider\": \"NONE\"}");
  sim_assert_error (patched, 400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API");
}

/* The switch that makes a clusters list fail whole while the project holds a Flex cluster. */
static void
test_flex_refused_list (SimFixture    *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SimResponse) refused = NULL;
  g_autoptr(SimResponse) ready = NULL;
  g_autoptr(SimResponse) flex = NULL;
  g_autoptr(SimResponse) control = NULL;
  g_autoptr(SimResponse) bad_control = NULL;
  g_autoptr(SimResponse) again = NULL;

  g_assert_true (kl_sim_set_cluster_list_refuses_flex (f->sim, KL_SIM_GROUP_MIXED, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (kl_sim_set_cluster_list_refuses_flex (f->sim, KL_SIM_GROUP_READY, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (kl_sim_set_cluster_list_refuses_flex (f->sim, "65f0000000000000000000ff", TRUE,
                                                        &error));
  g_assert_error (error, KL_SIM_ERROR, 404);

  refused = sim_get (f, MIXED "/clusters", V20240805);
  sim_assert_error (refused, 400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API");
  g_assert_cmpuint (json_array_get_length (error_parameters (refused)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (error_parameters (refused), 0), ==,
                   "analytics-flex");
  /* Only while the project holds a Flex cluster; the Flex API still answers. */
  ready = sim_get (f, READY "/clusters", V20240805);
  sim_assert_ok (ready, 200, V20240805);
  flex = sim_get (f, MIXED "/flexClusters", V20241113);
  sim_assert_ok (flex, 200, V20241113);

  bad_control = sim_control (f, "POST", "/__sim/groups/" KL_SIM_GROUP_MIXED
                             "/cluster-list-refuses-flex", "{\"refuses\": 1}");
  g_assert_cmpuint (bad_control->status, ==, 400);
  control = sim_control (f, "POST", "/__sim/groups/" KL_SIM_GROUP_MIXED
                         "/cluster-list-refuses-flex", "{\"refuses\": false}");
  g_assert_cmpuint (control->status, ==, 200);
  again = sim_get (f, MIXED "/clusters", V20240805);
  sim_assert_ok (again, 200, V20240805);
  g_assert_cmpuint (json_array_get_length (results (again)), ==, 5);
}

static SimResponse *
patch_cluster (SimFixture *f,
               const char *group_path,
               const char *name,
               const char *provider_name)
{
  g_autofree char *path = g_strdup_printf ("%s/clusters/%s", group_path, name);
  g_autofree char *body = g_strdup_printf ("{\"encryptionAtRestProvider\": \"%s\"}", provider_name);

  return sim_send (f, "PATCH", path, V20241023, body);
}

static void
test_clusters_patch (SimFixture    *f,
                     gconstpointer  data)
{
  g_autoptr(SimResponse) too_early = patch_cluster (f, READY, "payments-us", "AZURE");
  g_autoptr(SimResponse) extra = NULL;
  g_autoptr(SimResponse) missing = NULL;
  g_autoptr(SimResponse) bad_enum = NULL;
  g_autoptr(SimResponse) aws = NULL;
  g_autoptr(SimResponse) updating = NULL;
  g_autoptr(SimResponse) busy = NULL;
  g_autoptr(SimResponse) still = NULL;
  g_autoptr(SimResponse) idle = NULL;
  g_autoptr(SimResponse) noop = NULL;
  g_autoptr(SimResponse) in_use = NULL;
  g_autoptr(SimResponse) back = NULL;
  g_autoptr(SimResponse) in_use_updating = NULL;
  g_autoptr(SimResponse) disabled = NULL;

  sim_assert_error (too_early, 400, "ENCRYPTION_AT_REST_NOT_ENABLED");
  /* The update itself; the propagation delay before it is /sim/clusters/propagation. */
  kl_sim_set_cluster_propagation (f->sim, 0);
  g_assert_cmpstr (json_array_get_string_element (error_parameters (too_early), 0), ==,
                   KL_SIM_GROUP_READY);
  g_assert_cmpstr (sim_member_string (too_early, "detail"), ==,
                   "Encryption at Rest is not enabled for group " KL_SIM_GROUP_READY ".");
  sim_enable_cmk (f, KL_SIM_GROUP_READY, FALSE);

  extra = sim_send (f, "PATCH", READY "/clusters/payments-us", V20241023,
                    "{\"encryptionAtRestProvider\": \"AZURE\", \"paused\": true}");
  sim_assert_error (extra, 400, "INVALID_ATTRIBUTE");
  missing = sim_send (f, "PATCH", READY "/clusters/payments-us", V20241023, "{}");
  sim_assert_error (missing, 400, "MISSING_ATTRIBUTE");
  bad_enum = patch_cluster (f, READY, "payments-us", "VAULT");
  sim_assert_error (bad_enum, 400, "INVALID_ENUM_VALUE");
  aws = patch_cluster (f, READY, "payments-us", "AWS");
  sim_assert_error (aws, 400, "ENCRYPTION_AT_REST_NOT_ENABLED");

  updating = patch_cluster (f, READY, "payments-us", "AZURE");
  sim_assert_ok (updating, 200, V20241023);
  g_assert_cmpstr (sim_member_string (updating, "stateName"), ==, "UPDATING");
  g_assert_cmpstr (sim_member_string (updating, "encryptionAtRestProvider"), ==, "AZURE");
  busy = patch_cluster (f, READY, "payments-us", "NONE");
  sim_assert_error (busy, 409, "CLUSTER_UPDATE_IN_PROGRESS");

  kl_sim_advance (f->sim, KL_SIM_CLUSTER_UPDATE_SECONDS - 1);
  still = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (still, "stateName"), ==, "UPDATING");
  kl_sim_advance (f->sim, 1);
  idle = sim_get (f, READY "/clusters/payments-us", V20240805);
  sim_assert_ok (idle, 200, V20240805);
  g_assert_cmpstr (sim_member_string (idle, "stateName"), ==, "IDLE");
  g_assert_cmpstr (sim_member_string (idle, "encryptionAtRestProvider"), ==, "AZURE");
  noop = patch_cluster (f, READY, "payments-us", "AZURE");
  sim_assert_ok (noop, 200, V20241023);
  g_assert_cmpstr (sim_member_string (noop, "stateName"), ==, "IDLE");

  /* Teardown order: clusters back to NONE and IDLE before CMK can be turned off. */
  in_use = sim_send (f, "PATCH", READY_EAR, V20230101, "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_error (in_use, 409, "CANNOT_DISABLE_ENCRYPTION_AT_REST");
  g_assert_cmpuint (json_array_get_length (error_parameters (in_use)), ==, 0);
  g_assert_cmpstr (sim_member_string (in_use, "detail"), ==,
                   "Cannot disable Encryption at Rest on the group because it is still enabled "
                   "on one or more clusters in the group.");
  back = patch_cluster (f, READY, "payments-us", "NONE");
  sim_assert_ok (back, 200, V20241023);
  g_assert_cmpstr (sim_member_string (back, "stateName"), ==, "UPDATING");
  in_use_updating = sim_send (f, "PATCH", READY_EAR, V20230101,
                              "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_error (in_use_updating, 409, "CANNOT_DISABLE_ENCRYPTION_AT_REST");
  kl_sim_advance (f->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  disabled = sim_send (f, "PATCH", READY_EAR, V20230101, "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_ok (disabled, 200, V20230101);
}

/* Real Atlas can answer IDLE for a while after a PATCH before it reports UPDATING: so does the
 * simulator, by default, with the new provider; then UPDATING, then IDLE. */
static void
test_clusters_propagation (SimFixture    *f,
                           gconstpointer  data)
{
  g_autoptr(SimResponse) patched = NULL;
  g_autoptr(SimResponse) first = NULL;
  g_autoptr(SimResponse) later = NULL;
  g_autoptr(SimResponse) busy = NULL;
  g_autoptr(SimResponse) updating = NULL;
  g_autoptr(SimResponse) idle = NULL;
  g_autoptr(SimResponse) settings = NULL;
  g_autoptr(SimResponse) off = NULL;
  g_autoptr(SimResponse) at_once = NULL;

  sim_enable_cmk (f, KL_SIM_GROUP_READY, FALSE);
  settings = sim_control (f, "GET", "/__sim/settings", NULL);
  g_assert_cmpfloat (json_object_get_double_member (sim_object (settings),
                                                    "clusterPropagationSeconds"),
                     ==, KL_SIM_CLUSTER_PROPAGATION_SECONDS);

  patched = patch_cluster (f, READY, "payments-us", "AZURE");
  sim_assert_ok (patched, 200, V20241023);
  g_assert_cmpstr (sim_member_string (patched, "stateName"), ==, "IDLE");
  g_assert_cmpstr (sim_member_string (patched, "encryptionAtRestProvider"), ==, "AZURE");
  first = sim_get (f, READY "/clusters/payments-us", V20240805);
  sim_assert_ok (first, 200, V20240805);
  g_assert_cmpstr (sim_member_string (first, "stateName"), ==, "IDLE");
  g_assert_cmpstr (sim_member_string (first, "encryptionAtRestProvider"), ==, "AZURE");

  /* Still IDLE just before the delay is over; the update is under way all the same. */
  kl_sim_advance (f->sim, KL_SIM_CLUSTER_PROPAGATION_SECONDS - 1);
  later = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (later, "stateName"), ==, "IDLE");
  busy = patch_cluster (f, READY, "payments-us", "NONE");
  sim_assert_error (busy, 409, "CLUSTER_UPDATE_IN_PROGRESS");

  kl_sim_advance (f->sim, 1);
  updating = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (updating, "stateName"), ==, "UPDATING");
  kl_sim_advance (f->sim, KL_SIM_CLUSTER_UPDATE_SECONDS - 1);
  g_clear_pointer (&updating, sim_response_free);
  updating = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (updating, "stateName"), ==, "UPDATING");
  kl_sim_advance (f->sim, 1);
  idle = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (idle, "stateName"), ==, "IDLE");
  g_assert_cmpstr (sim_member_string (idle, "encryptionAtRestProvider"), ==, "AZURE");

  /* Off over the control API: UPDATING at once, in the PATCH's answer too. */
  off = sim_control (f, "POST", "/__sim/cluster-propagation", "{\"seconds\": 0}");
  g_assert_cmpuint (off->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_object (off), "clusterPropagationSeconds"),
                     ==, 0);
  at_once = patch_cluster (f, READY, "payments-us", "NONE");
  sim_assert_ok (at_once, 200, V20241023);
  g_assert_cmpstr (sim_member_string (at_once, "stateName"), ==, "UPDATING");
}

static void
test_clusters_ineligible (SimFixture    *f,
                          gconstpointer  data)
{
  const struct
  {
    const char *name;
    const char *code;
  } cases[] = {
    { "analytics-free", "CANNOT_USE_ENCRYPTION_AT_REST_TENANT" },
    { "analytics-flex", "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API" },
    { "analytics-serverless", "CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API" },
    { "analytics-multicloud", "ENCRYPTION_AT_REST_PROVIDER_NOT_SUPPORTED" },
  };
  g_autoptr(SimResponse) aws_cluster = NULL;
  g_autoptr(SimResponse) azure_cluster = NULL;
  g_autoptr(SimResponse) gcp_cluster = NULL;
  g_autoptr(SimResponse) paused = NULL;
  g_autoptr(SimResponse) paused_azure = NULL;

  sim_enable_cmk (f, KL_SIM_GROUP_MIXED, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimResponse) response = patch_cluster (f, MIXED, cases[i].name, "AZURE");

      g_test_message ("cluster %s", cases[i].name);
      sim_assert_error (response, 400, cases[i].code);
    }
  /* The key's cloud does not have to match the cluster's. */
  aws_cluster = patch_cluster (f, MIXED, "analytics-aws", "AZURE");
  sim_assert_ok (aws_cluster, 200, V20241023);
  azure_cluster = patch_cluster (f, MIXED, "analytics-azure", "AZURE");
  sim_assert_ok (azure_cluster, 200, V20241023);
  gcp_cluster = patch_cluster (f, MIXED, "analytics-gcp", "AZURE");
  sim_assert_ok (gcp_cluster, 200, V20241023);

  /* A paused cluster: 409 with the catalogue's text, whatever the change. */
  paused = patch_cluster (f, PAUSED, "archive-2019", "NONE");
  sim_assert_error (paused, 409, "CANNOT_UPDATE_PAUSED_CLUSTER");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (paused), 0), ==,
                   "archive-2019");
  g_assert_cmpstr (sim_member_string (paused, "detail"), ==,
                   "Cannot update cluster archive-2019 while it is paused or being paused.");
  sim_enable_cmk (f, KL_SIM_GROUP_PAUSED, FALSE);
  paused_azure = patch_cluster (f, PAUSED, "archive-2019", "AZURE");
  sim_assert_error (paused_azure, 409, "CANNOT_UPDATE_PAUSED_CLUSTER");
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);

  add_fixture_test ("/sim/clusters/list", test_clusters_list);
  add_fixture_test ("/sim/clusters/patch", test_clusters_patch);
  add_fixture_test ("/sim/clusters/propagation", test_clusters_propagation);
  add_fixture_test ("/sim/clusters/ineligible", test_clusters_ineligible);
  add_fixture_test ("/sim/flex-clusters/api", test_flex_clusters);
  add_fixture_test ("/sim/flex-clusters/refused-list", test_flex_refused_list);

  return g_test_run ();
}
