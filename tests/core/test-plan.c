/* test-plan.c — where a project stands and what comes next, from server state only.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-plan.h"

#define VAULT_FIELDS \
  "\"azureEnvironment\":\"AZURE\",\"clientID\":\"6f1d9a52-3c1e-4b8a-9d2e-0a7c5e3f1b24\"," \
  "\"tenantID\":\"0b9c2a11-5d3e-4f6a-8b7c-1d2e3f4a5b6c\"," \
  "\"subscriptionID\":\"a1b2c3d4-e5f6-4711-8899-aabbccddeeff\",\"resourceGroupName\":\"rg-keys\"," \
  "\"keyVaultName\":\"contoso-keys\"," \
  "\"keyIdentifier\":\"https://contoso-keys.vault.azure.net/keys/atlas/0123456789abcdef0123456789abcdef\""

static KlEncryptionAtRest *
ear_new (gboolean enabled,
         gboolean valid,
         gboolean private_networking)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  KlEncryptionAtRest *ear;

  json = g_strdup_printf ("{\"azureKeyVault\":{" VAULT_FIELDS ",\"enabled\":%s,\"valid\":%s,"
                          "\"requirePrivateNetworking\":%s},"
                          "\"awsKms\":{\"enabled\":false},\"googleCloudKms\":{\"enabled\":false}}",
                          enabled ? "true" : "false", valid ? "true" : "false",
                          private_networking ? "true" : "false");
  ear = kl_encryption_at_rest_parse (json, -1, &error);
  g_assert_no_error (error);
  return ear;
}

static GPtrArray *
endpoints_new (const char *first_region,
               ...)
{
  GPtrArray *endpoints = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;
  int n = 0;

  va_start (args, first_region);
  for (const char *region = first_region; region != NULL; region = va_arg (args, const char *))
    {
      const char *status = va_arg (args, const char *);
      g_autofree char *json = NULL;
      g_autoptr(GError) error = NULL;
      KlPrivateEndpoint *endpoint;

      json = g_strdup_printf ("{\"id\":\"65f00000000000000000e%03d\",\"cloudProvider\":\"AZURE\","
                              "\"regionName\":\"%s\",\"status\":\"%s\"}", n++, region, status);
      endpoint = kl_private_endpoint_parse (json, -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (endpoints, endpoint);
    }
  va_end (args);

  return endpoints;
}

static KlCluster *
cluster_new (const char *name,
             const char *size,
             const char *region,
             const char *provider,
             const char *ear_provider,
             const char *state)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  KlCluster *cluster;

  json = g_strdup_printf ("{\"name\":\"%s\",\"clusterType\":\"REPLICASET\",\"stateName\":\"%s\","
                          "\"paused\":false,\"encryptionAtRestProvider\":\"%s\","
                          "\"replicationSpecs\":[{\"regionConfigs\":[{\"providerName\":\"%s\","
                          "\"regionName\":\"%s\",\"priority\":7,"
                          "\"electableSpecs\":{\"instanceSize\":\"%s\",\"nodeCount\":3}}]}]}",
                          name, state, ear_provider, provider, region, size);
  cluster = kl_cluster_parse (json, -1, &error);
  g_assert_no_error (error);
  return cluster;
}

static GPtrArray *
ready_clusters (const char *provider_of_first,
                const char *state_of_first)
{
  GPtrArray *clusters = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (clusters, cluster_new ("orders", "M10", "US_EAST_2", "AZURE",
                                          provider_of_first, state_of_first));
  g_ptr_array_add (clusters, cluster_new ("ledger", "M30", "EUROPE_WEST", "AZURE",
                                          provider_of_first, "IDLE"));
  g_ptr_array_add (clusters, cluster_new ("sandbox", "M0", "US_EAST_2", "AZURE", "NONE", "IDLE"));
  return clusters;
}

static void
test_plan_stages (void)
{
  struct {
    gboolean enabled, valid, pn;
    gboolean with_endpoints;
    const char *endpoint_status;
    const char *cluster_provider;
    const char *cluster_state;
    KlProjectStage stage;
  } cases[] = {
    { FALSE, FALSE, FALSE, FALSE, NULL, "NONE", "IDLE", KL_PROJECT_STAGE_NOT_CONFIGURED },
    { TRUE, FALSE, FALSE, FALSE, NULL, "NONE", "IDLE", KL_PROJECT_STAGE_KEY_NOT_VALID },
    { TRUE, TRUE, FALSE, FALSE, NULL, "NONE", "IDLE", KL_PROJECT_STAGE_KEY_READY },
    { TRUE, TRUE, TRUE, FALSE, NULL, "NONE", "IDLE", KL_PROJECT_STAGE_ENDPOINTS },
    { TRUE, TRUE, TRUE, TRUE, "PENDING_ACCEPTANCE", "NONE", "IDLE", KL_PROJECT_STAGE_ENDPOINTS },
    { TRUE, TRUE, TRUE, TRUE, "ACTIVE", "NONE", "IDLE", KL_PROJECT_STAGE_CLUSTERS },
    { TRUE, TRUE, TRUE, TRUE, "ACTIVE", "AZURE", "UPDATING", KL_PROJECT_STAGE_CLUSTERS },
    { TRUE, TRUE, TRUE, TRUE, "ACTIVE", "AZURE", "IDLE", KL_PROJECT_STAGE_DONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KlEncryptionAtRest) ear = ear_new (cases[i].enabled, cases[i].valid, cases[i].pn);
      g_autoptr(GPtrArray) endpoints = NULL;
      g_autoptr(GPtrArray) clusters = ready_clusters (cases[i].cluster_provider, cases[i].cluster_state);
      g_autoptr(KlPlan) plan = NULL;
      g_autofree char *summary = NULL;

      if (cases[i].with_endpoints)
        endpoints = endpoints_new ("US_EAST_2", cases[i].endpoint_status,
                                   "EUROPE_WEST", "ACTIVE", NULL);
      else
        endpoints = endpoints_new (NULL);

      plan = kl_plan_new (ear, endpoints, clusters);
      g_test_message ("case %u", i);
      g_assert_cmpint (kl_plan_get_stage (plan), ==, cases[i].stage);
      summary = kl_plan_dup_summary (plan);
      g_assert_nonnull (summary);
      g_assert_cmpuint (strlen (summary), >, 10);
      g_assert_cmpint (kl_plan_vault_is_frozen (plan), ==, cases[i].enabled && cases[i].pn);
    }
}

static void
test_plan_other_provider (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlEncryptionAtRest) ear =
    kl_encryption_at_rest_parse ("{\"awsKms\":{\"enabled\":true},\"azureKeyVault\":null}", -1, &error);
  g_autoptr(KlPlan) plan = NULL;

  g_assert_no_error (error);
  plan = kl_plan_new (ear, NULL, NULL);
  g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_OTHER_PROVIDER);
  g_assert_false (kl_plan_can_rotate (plan));
  g_assert_false (kl_plan_can_teardown (plan, KL_TEARDOWN_CMK));
}

static void
test_plan_regions (void)
{
  g_autoptr(KlEncryptionAtRest) ear = ear_new (TRUE, TRUE, TRUE);
  g_autoptr(GPtrArray) endpoints = endpoints_new ("EUROPE_WEST", "FAILED", NULL);
  g_autoptr(GPtrArray) clusters = ready_clusters ("NONE", "IDLE");
  g_autoptr(KlPlan) plan = NULL;
  g_auto(GStrv) regions = NULL;
  g_auto(GStrv) missing = NULL;
  const char *wanted[] = { "US_EAST_2", "EUROPE_WEST", "US_EAST_2", "ASIA_EAST", NULL };

  g_ptr_array_add (clusters, cluster_new ("aws", "M10", "US_EAST_1", "AWS", "NONE", "IDLE"));
  plan = kl_plan_new (ear, endpoints, clusters);

  /* Azure regions of the clusters, sorted, once each; never AWS ones. */
  regions = kl_plan_dup_cluster_regions (plan);
  g_assert_cmpuint (g_strv_length (regions), ==, 2);
  g_assert_cmpstr (regions[0], ==, "EUROPE_WEST");
  g_assert_cmpstr (regions[1], ==, "US_EAST_2");

  /* A region with an endpoint in any state — FAILED too — never gets a second one. */
  missing = kl_plan_dup_missing_regions (plan, wanted);
  g_assert_cmpuint (g_strv_length (missing), ==, 2);
  g_assert_cmpstr (missing[0], ==, "US_EAST_2");
  g_assert_cmpstr (missing[1], ==, "ASIA_EAST");

  g_assert_false (kl_plan_endpoints_all_active (plan));
  g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_ENDPOINTS);
}

static void
test_plan_clusters_to_enable (void)
{
  g_autoptr(KlEncryptionAtRest) ear = ear_new (TRUE, TRUE, TRUE);
  g_autoptr(GPtrArray) clusters = ready_clusters ("NONE", "IDLE");
  g_autoptr(GPtrArray) to_enable = NULL;
  g_autoptr(KlPlan) plan = NULL;

  plan = kl_plan_new (ear, NULL, clusters);
  to_enable = kl_plan_dup_clusters_to_enable (plan);
  /* The M0 is not eligible. */
  g_assert_cmpuint (to_enable->len, ==, 2);
  g_assert_cmpstr (kl_cluster_get_name (g_ptr_array_index (to_enable, 0)), ==, "orders");
  g_assert_cmpstr (kl_cluster_get_name (g_ptr_array_index (to_enable, 1)), ==, "ledger");
}

static void
test_plan_teardown_order (void)
{
  g_autoptr(KlEncryptionAtRest) ear = ear_new (TRUE, TRUE, TRUE);
  g_autoptr(GPtrArray) endpoints = endpoints_new ("US_EAST_2", "INITIATING",
                                                  "EUROPE_WEST", "ACTIVE",
                                                  "ASIA_EAST", "DELETING", NULL);
  g_autoptr(GPtrArray) clusters = ready_clusters ("AZURE", "IDLE");
  g_autoptr(KlPlan) plan = kl_plan_new (ear, endpoints, clusters);
  g_autoptr(GPtrArray) pn = kl_plan_dup_teardown_steps (plan, KL_TEARDOWN_PRIVATE_NETWORKING);
  g_autoptr(GPtrArray) cmk = kl_plan_dup_teardown_steps (plan, KL_TEARDOWN_CMK);
  static const KlPlanStepKind pn_kinds[] = {
    KL_PLAN_STEP_DELETE_ENDPOINT, KL_PLAN_STEP_DELETE_ENDPOINT,
    KL_PLAN_STEP_WAIT_ENDPOINTS_GONE, KL_PLAN_STEP_DISABLE_PRIVATE_NETWORKING,
  };
  static const KlPlanStepKind cmk_kinds[] = {
    KL_PLAN_STEP_DELETE_ENDPOINT, KL_PLAN_STEP_DELETE_ENDPOINT,
    KL_PLAN_STEP_WAIT_ENDPOINTS_GONE,
    KL_PLAN_STEP_CLUSTER_PROVIDER_NONE, KL_PLAN_STEP_CLUSTER_PROVIDER_NONE,
    KL_PLAN_STEP_WAIT_CLUSTERS_IDLE, KL_PLAN_STEP_DISABLE_CMK,
  };

  g_assert_true (kl_plan_can_teardown (plan, KL_TEARDOWN_PRIVATE_NETWORKING));
  g_assert_true (kl_plan_can_teardown (plan, KL_TEARDOWN_CMK));

  g_assert_cmpuint (pn->len, ==, G_N_ELEMENTS (pn_kinds));
  for (guint i = 0; i < pn->len; i++)
    {
      KlPlanStep *step = g_ptr_array_index (pn, i);

      g_assert_cmpint (step->kind, ==, pn_kinds[i]);
      g_assert_nonnull (step->description);
    }
  /* The INITIATING one is in the list: the runner waits it out instead of failing. */
  g_assert_cmpstr (((KlPlanStep *) g_ptr_array_index (pn, 0))->detail, ==, "US_EAST_2");
  g_assert_cmpstr (((KlPlanStep *) g_ptr_array_index (pn, 1))->detail, ==, "EUROPE_WEST");

  g_assert_cmpuint (cmk->len, ==, G_N_ELEMENTS (cmk_kinds));
  for (guint i = 0; i < cmk->len; i++)
    g_assert_cmpint (((KlPlanStep *) g_ptr_array_index (cmk, i))->kind, ==, cmk_kinds[i]);
  g_assert_cmpstr (((KlPlanStep *) g_ptr_array_index (cmk, 3))->target, ==, "orders");
}

static void
test_plan_teardown_resumes (void)
{
  /* Endpoints already gone, one cluster already back to NONE but still updating. */
  g_autoptr(KlEncryptionAtRest) ear = ear_new (TRUE, TRUE, FALSE);
  g_autoptr(GPtrArray) clusters = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KlPlan) plan = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  g_ptr_array_add (clusters, cluster_new ("orders", "M10", "US_EAST_2", "AZURE", "NONE", "UPDATING"));
  g_ptr_array_add (clusters, cluster_new ("ledger", "M30", "EUROPE_WEST", "AZURE", "AZURE", "IDLE"));
  plan = kl_plan_new (ear, NULL, clusters);
  steps = kl_plan_dup_teardown_steps (plan, KL_TEARDOWN_CMK);

  g_assert_cmpuint (steps->len, ==, 3);
  g_assert_cmpint (((KlPlanStep *) g_ptr_array_index (steps, 0))->kind, ==, KL_PLAN_STEP_CLUSTER_PROVIDER_NONE);
  g_assert_cmpstr (((KlPlanStep *) g_ptr_array_index (steps, 0))->target, ==, "ledger");
  g_assert_cmpint (((KlPlanStep *) g_ptr_array_index (steps, 1))->kind, ==, KL_PLAN_STEP_WAIT_CLUSTERS_IDLE);
  g_assert_cmpint (((KlPlanStep *) g_ptr_array_index (steps, 2))->kind, ==, KL_PLAN_STEP_DISABLE_CMK);

  /* Private networking is already off and no endpoint is left: nothing to do. */
  g_clear_pointer (&steps, g_ptr_array_unref);
  steps = kl_plan_dup_teardown_steps (plan, KL_TEARDOWN_PRIVATE_NETWORKING);
  g_assert_cmpuint (steps->len, ==, 0);
  g_assert_false (kl_plan_can_teardown (plan, KL_TEARDOWN_PRIVATE_NETWORKING));
}

static KlCluster *
paused_cluster_new (const char *name,
                    const char *region,
                    const char *ear_provider)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  KlCluster *cluster;

  json = g_strdup_printf ("{\"name\":\"%s\",\"clusterType\":\"REPLICASET\",\"stateName\":\"IDLE\","
                          "\"paused\":true,\"encryptionAtRestProvider\":\"%s\","
                          "\"replicationSpecs\":[{\"regionConfigs\":[{\"providerName\":\"AZURE\","
                          "\"regionName\":\"%s\",\"priority\":7,"
                          "\"electableSpecs\":{\"instanceSize\":\"M10\",\"nodeCount\":3}}]}]}",
                          name, ear_provider, region);
  cluster = kl_cluster_parse (json, -1, &error);
  g_assert_no_error (error);
  return cluster;
}

/* How each cluster reaches the key: Private Link only for Azure clusters whose regions all
 * have an ACTIVE endpoint; AWS and Google Cloud over the public internet; paused and
 * ineligible ones said as such. */
static void
test_plan_key_access (void)
{
  g_autoptr(KlEncryptionAtRest) ear = ear_new (TRUE, TRUE, TRUE);
  g_autoptr(KlEncryptionAtRest) ear_public = ear_new (TRUE, TRUE, FALSE);
  g_autoptr(GPtrArray) endpoints = endpoints_new ("US_EAST_2", "ACTIVE",
                                                  "EUROPE_WEST", "PENDING_ACCEPTANCE", NULL);
  g_autoptr(GPtrArray) clusters = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KlPlan) plan = NULL;
  g_autoptr(KlPlan) plan_public = NULL;
  g_autofree char *reason = NULL;

  g_ptr_array_add (clusters, cluster_new ("orders", "M10", "US_EAST_2", "AZURE", "NONE", "IDLE"));
  g_ptr_array_add (clusters, cluster_new ("ledger", "M30", "EUROPE_WEST", "AZURE", "NONE", "IDLE"));
  g_ptr_array_add (clusters, cluster_new ("events", "M10", "US_EAST_1", "AWS", "NONE", "IDLE"));
  g_ptr_array_add (clusters, cluster_new ("metrics", "M10", "CENTRAL_US", "GCP", "NONE", "IDLE"));
  g_ptr_array_add (clusters, cluster_new ("sandbox", "M0", "US_EAST_2", "AZURE", "NONE", "IDLE"));
  g_ptr_array_add (clusters, paused_cluster_new ("archive", "US_EAST", "NONE"));
  plan = kl_plan_new (ear, endpoints, clusters);
  plan_public = kl_plan_new (ear_public, endpoints, clusters);

  g_assert_cmpint (kl_plan_get_key_access (plan, clusters->pdata[0], &reason), ==,
                   KL_KEY_ACCESS_PRIVATE_LINK);
  g_assert_null (reason);
  g_assert_cmpint (kl_plan_get_key_access (plan, clusters->pdata[1], NULL), ==,
                   KL_KEY_ACCESS_PRIVATE_LINK_WAITING);
  g_assert_cmpint (kl_plan_get_key_access (plan, clusters->pdata[2], NULL), ==,
                   KL_KEY_ACCESS_PUBLIC_INTERNET);
  g_assert_cmpint (kl_plan_get_key_access (plan, clusters->pdata[3], NULL), ==,
                   KL_KEY_ACCESS_PUBLIC_INTERNET);
  g_assert_cmpint (kl_plan_get_key_access (plan, clusters->pdata[4], &reason), ==,
                   KL_KEY_ACCESS_INELIGIBLE);
  g_assert_nonnull (reason);
  g_clear_pointer (&reason, g_free);
  g_assert_cmpint (kl_plan_get_key_access (plan, clusters->pdata[5], &reason), ==,
                   KL_KEY_ACCESS_PAUSED);
  g_assert_nonnull (strstr (reason, "Resume it in Atlas"));

  /* Without private networking every cluster reaches the vault over the public internet. */
  g_assert_cmpint (kl_plan_get_key_access (plan_public, clusters->pdata[0], NULL), ==,
                   KL_KEY_ACCESS_PUBLIC_INTERNET);

  /* Proposed (ticked by default): the eligible Azure clusters only. */
  g_assert_true (kl_plan_cluster_is_proposed (plan, clusters->pdata[0]));
  g_assert_true (kl_plan_cluster_is_proposed (plan, clusters->pdata[1]));
  g_assert_false (kl_plan_cluster_is_proposed (plan, clusters->pdata[2]));
  g_assert_false (kl_plan_cluster_is_proposed (plan, clusters->pdata[3]));
  g_assert_false (kl_plan_cluster_is_proposed (plan, clusters->pdata[4]));
  g_assert_false (kl_plan_cluster_is_proposed (plan, clusters->pdata[5]));
}

typedef struct
{
  const char *name;
  const char *provider;
  const char *region;
  const char *ear_provider;
} MixCluster;

static KlPlan *
done_plan_new (const MixCluster *mix,
               guint             n)
{
  g_autoptr(KlEncryptionAtRest) ear = ear_new (TRUE, TRUE, TRUE);
  g_autoptr(GPtrArray) endpoints = endpoints_new ("US_EAST_2", "ACTIVE",
                                                  "EUROPE_WEST", "ACTIVE", NULL);
  g_autoptr(GPtrArray) clusters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (clusters, cluster_new (mix[i].name, "M10", mix[i].region, mix[i].provider,
                                            mix[i].ear_provider, "IDLE"));
  return kl_plan_new (ear, endpoints, clusters);
}

/* The Done summary's first line is exact for each mix, and closing the vault's public access
 * is advised only when every cluster on the key reaches it over Private Link. */
static void
test_plan_done_mixes (void)
{
  static const MixCluster azure_only[] = {
    { "orders", "AZURE", "US_EAST_2", "AZURE" },
    { "ledger", "AZURE", "EUROPE_WEST", "AZURE" },
  };
  static const MixCluster aws_on_key[] = {
    { "orders", "AZURE", "US_EAST_2", "AZURE" },
    { "events", "AWS", "US_EAST_1", "AZURE" },
  };
  static const MixCluster aws_not_on_key[] = {
    { "orders", "AZURE", "US_EAST_2", "AZURE" },
    { "events", "AWS", "US_EAST_1", "NONE" },
    { "metrics", "GCP", "CENTRAL_US", "NONE" },
  };
  static const MixCluster public_only[] = {
    { "events", "AWS", "US_EAST_1", "AZURE" },
    { "metrics", "GCP", "CENTRAL_US", "AZURE" },
  };
  g_autoptr(GPtrArray) blocking = NULL;
  g_autofree char *names = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(KlPlan) plan = NULL;

  plan = done_plan_new (azure_only, G_N_ELEMENTS (azure_only));
  g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_DONE);
  summary = kl_plan_dup_summary (plan);
  g_assert_cmpstr (summary, ==,
                   "Done: all 2 clusters that use your Azure key reach it over Private Link.");
  g_assert_true (kl_plan_can_close_public_access (plan, &blocking));
  g_assert_cmpuint (blocking->len, ==, 0);
  g_clear_pointer (&blocking, g_ptr_array_unref);
  g_clear_pointer (&summary, g_free);
  g_clear_object (&plan);

  /* An AWS cluster on the key: never advise closing the vault's public access. */
  plan = done_plan_new (aws_on_key, G_N_ELEMENTS (aws_on_key));
  g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_DONE);
  summary = kl_plan_dup_summary (plan);
  g_assert_true (g_str_has_prefix (summary, "Done: 1 cluster reaches your Azure key over Private "
                                            "Link. “events” reaches it over the public "
                                            "internet."));
  g_assert_false (kl_plan_can_close_public_access (plan, &blocking));
  g_assert_cmpuint (blocking->len, ==, 1);
  names = kl_plan_dup_cluster_names (blocking);
  g_assert_cmpstr (names, ==, "“events”");
  g_clear_pointer (&names, g_free);
  g_clear_pointer (&blocking, g_ptr_array_unref);
  g_clear_pointer (&summary, g_free);
  g_clear_object (&plan);

  /* AWS and Google Cloud clusters left on Atlas-managed keys: the setup is done without them,
   * and the summary says so. */
  plan = done_plan_new (aws_not_on_key, G_N_ELEMENTS (aws_not_on_key));
  g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_DONE);
  summary = kl_plan_dup_summary (plan);
  g_assert_cmpstr (summary, ==,
                   "Done: the cluster that uses your Azure key reaches it over Private Link. "
                   "“events” and “metrics” are not on Azure and keep Atlas-managed encryption.");
  g_assert_true (kl_plan_can_close_public_access (plan, NULL));
  g_clear_pointer (&summary, g_free);
  g_clear_object (&plan);

  plan = done_plan_new (public_only, G_N_ELEMENTS (public_only));
  summary = kl_plan_dup_summary (plan);
  g_assert_true (g_str_has_prefix (summary, "Done: “events” and “metrics” use your Azure key over "
                                            "the public internet; no cluster reaches it over "
                                            "Private Link."));
  g_assert_false (kl_plan_can_close_public_access (plan, &blocking));
  g_assert_cmpuint (blocking->len, ==, 2);
}

/* A region the built-in list does not know is a region like any other: it needs its
 * endpoint, and the summary names it. */
static void
test_plan_unknown_region (void)
{
  g_autoptr(KlEncryptionAtRest) ear = ear_new (TRUE, TRUE, TRUE);
  g_autoptr(GPtrArray) endpoints = endpoints_new ("US_EAST_2", "ACTIVE", NULL);
  g_autoptr(GPtrArray) clusters = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) regions = NULL;
  g_auto(GStrv) needing = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(KlPlan) plan = NULL;

  g_ptr_array_add (clusters, cluster_new ("us", "M10", "US_EAST_2", "AZURE", "NONE", "IDLE"));
  g_ptr_array_add (clusters, cluster_new ("chile", "M10", "CHILE_CENTRAL", "AZURE", "NONE", "IDLE"));
  g_ptr_array_add (clusters, cluster_new ("events", "M10", "US_EAST_1", "AWS", "NONE", "IDLE"));
  plan = kl_plan_new (ear, endpoints, clusters);

  regions = kl_plan_dup_key_regions (plan);
  g_assert_cmpuint (g_strv_length (regions), ==, 2);
  g_assert_cmpstr (regions[0], ==, "CHILE_CENTRAL");
  g_assert_cmpstr (regions[1], ==, "US_EAST_2");
  /* Every endpoint is ACTIVE, but one region has none: not done. */
  g_assert_true (kl_plan_endpoints_all_active (plan));
  g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_ENDPOINTS);
  needing = kl_plan_dup_regions_needing_endpoint (plan);
  g_assert_cmpuint (g_strv_length (needing), ==, 1);
  g_assert_cmpstr (needing[0], ==, "CHILE_CENTRAL");
  summary = kl_plan_dup_summary (plan);
  g_assert_cmpstr (summary, ==,
                   "Private networking is required. CHILE_CENTRAL still needs an active private "
                   "endpoint.");
  g_assert_cmpint (kl_plan_get_key_access (plan, clusters->pdata[1], NULL), ==,
                   KL_KEY_ACCESS_PRIVATE_LINK_WAITING);
}

/* A region with several records (Atlas recreates a rejected endpoint as a new record) is
 * followed by its newest: a record not in PENDING_RECREATION or DELETING first, then the
 * greatest id. (endpoints_new() gives ids that grow with the position.) */
static void
test_plan_recreated_endpoints (void)
{
  g_autoptr(KlEncryptionAtRest) ear = ear_new (TRUE, TRUE, TRUE);
  g_autoptr(GPtrArray) clusters = ready_clusters ("AZURE", "IDLE");
  static const char * const regions[] = { "US_EAST_2", "EUROPE_WEST", NULL };

  /* The old record, then the new one ACTIVE: the region is ACTIVE. */
  {
    g_autoptr(GPtrArray) endpoints = endpoints_new ("US_EAST_2", "PENDING_RECREATION",
                                                    "US_EAST_2", "ACTIVE",
                                                    "EUROPE_WEST", "ACTIVE", NULL);
    g_autoptr(KlPlan) plan = kl_plan_new (ear, endpoints, clusters);
    g_auto(GStrv) needing = kl_plan_dup_regions_needing_endpoint (plan);
    g_auto(GStrv) missing = kl_plan_dup_missing_regions (plan, regions);
    g_autoptr(GPtrArray) newest = kl_private_endpoints_dup_newest (endpoints);

    g_assert_true (kl_plan_endpoints_all_active (plan));
    g_assert_cmpuint (g_strv_length (needing), ==, 0);
    g_assert_cmpuint (g_strv_length (missing), ==, 0);
    g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_DONE);
    g_assert_cmpuint (newest->len, ==, 2);
    g_assert_true (newest->pdata[0] == endpoints->pdata[1]);
    g_assert_true (kl_private_endpoints_find_newest (endpoints, "US_EAST_2") == endpoints->pdata[1]);
  }

  /* The new record still INITIATING, the old one listed after it: never the region's state,
   * and the region is not missing (no second POST). */
  {
    g_autoptr(GPtrArray) endpoints = endpoints_new ("EUROPE_WEST", "ACTIVE",
                                                    "US_EAST_2", "INITIATING",
                                                    "US_EAST_2", "PENDING_RECREATION", NULL);
    g_autoptr(KlPlan) plan = kl_plan_new (ear, endpoints, clusters);
    g_auto(GStrv) needing = kl_plan_dup_regions_needing_endpoint (plan);
    g_auto(GStrv) missing = kl_plan_dup_missing_regions (plan, regions);
    g_autoptr(GPtrArray) steps = kl_plan_dup_teardown_steps (plan, KL_TEARDOWN_PRIVATE_NETWORKING);
    guint n_deletes = 0;

    g_assert_false (kl_plan_endpoints_all_active (plan));
    g_assert_cmpstrv (needing, ((const char * const []) { "US_EAST_2", NULL }));
    g_assert_cmpuint (g_strv_length (missing), ==, 0);
    g_assert_cmpint (kl_plan_get_stage (plan), ==, KL_PROJECT_STAGE_ENDPOINTS);
    g_assert_true (kl_private_endpoints_find_newest (endpoints, "US_EAST_2") == endpoints->pdata[1]);
    g_assert_true (kl_private_endpoint_is_newer (endpoints->pdata[1], endpoints->pdata[2]));
    g_assert_false (kl_private_endpoint_is_newer (endpoints->pdata[2], endpoints->pdata[1]));

    /* Teardown deletes every record, the old one too (named as the replaced one). */
    for (guint i = 0; i < steps->len; i++)
      {
        KlPlanStep *step = steps->pdata[i];

        if (step->kind != KL_PLAN_STEP_DELETE_ENDPOINT)
          continue;
        n_deletes++;
        if (g_strcmp0 (step->target, kl_private_endpoint_get_id (endpoints->pdata[2])) == 0)
          g_assert_cmpstr (step->description, ==,
                           "Delete the replaced private endpoint in US_EAST_2");
        else
          g_assert_cmpstr (step->description, !=,
                           "Delete the replaced private endpoint in US_EAST_2");
      }
    g_assert_cmpuint (n_deletes, ==, 3);
  }

  /* Two alike: the greater id wins, wherever it is listed. */
  {
    g_autoptr(GPtrArray) endpoints = endpoints_new ("US_EAST_2", "ACTIVE",
                                                    "US_EAST_2", "PENDING_ACCEPTANCE", NULL);

    KlPrivateEndpoint *newer = endpoints->pdata[1];

    g_assert_true (kl_private_endpoints_find_newest (endpoints, "US_EAST_2") == newer);
    endpoints->pdata[1] = endpoints->pdata[0];
    endpoints->pdata[0] = newer;
    g_assert_true (kl_private_endpoints_find_newest (endpoints, "US_EAST_2") == newer);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plan/stages", test_plan_stages);
  g_test_add_func ("/plan/other-provider", test_plan_other_provider);
  g_test_add_func ("/plan/regions", test_plan_regions);
  g_test_add_func ("/plan/clusters-to-enable", test_plan_clusters_to_enable);
  g_test_add_func ("/plan/teardown-order", test_plan_teardown_order);
  g_test_add_func ("/plan/teardown-resumes", test_plan_teardown_resumes);
  g_test_add_func ("/plan/key-access", test_plan_key_access);
  g_test_add_func ("/plan/done-mixes", test_plan_done_mixes);
  g_test_add_func ("/plan/unknown-region", test_plan_unknown_region);
  g_test_add_func ("/plan/recreated-endpoints", test_plan_recreated_endpoints);

  return g_test_run ();
}
