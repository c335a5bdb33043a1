/* test-atlas-client.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-atlas-client.h"

/* KlAtlasClient against the simulator over loopback, with an API key and with a service
 * account: every operation the flows use, with pagination and big pages. */

static KlPrivateEndpoint *
get_endpoint (KlAtlasClient  *client,
              const char     *group_id,
              const char     *endpoint_id,
              GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_private_endpoint_async (client, group_id, endpoint_id, NULL,
                                              kl_test_store_result, &result);
  return kl_atlas_client_get_private_endpoint_finish (client, wait_result (&result), error);
}

static GPtrArray *
list_clusters (KlAtlasClient  *client,
               const char     *group_id,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_clusters_async (client, group_id, NULL, kl_test_store_result, &result);
  return kl_atlas_client_list_clusters_finish (client, wait_result (&result), error);
}

static GPtrArray *
list_flex_clusters (KlAtlasClient  *client,
                    const char     *group_id,
                    GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_flex_clusters_async (client, group_id, NULL, kl_test_store_result,
                                            &result);
  return kl_atlas_client_list_flex_clusters_finish (client, wait_result (&result), error);
}

static KlCluster *
set_cluster_encryption (KlAtlasClient  *client,
                        const char     *group_id,
                        const char     *name,
                        const char     *provider,
                        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_set_cluster_encryption_async (client, group_id, name, provider, NULL,
                                                kl_test_store_result, &result);
  return kl_atlas_client_set_cluster_encryption_finish (client, wait_result (&result), error);
}

/* ---- every operation ---- */

static void
test_projects (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;
  guint i;

  projects = list_projects (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (projects->len, >=, 3);
  for (i = 0; i < projects->len; i++)
    {
      KlProject *p = g_ptr_array_index (projects, i);

      if (g_strcmp0 (kl_project_get_id (p), KL_SIM_GROUP_READY) == 0)
        {
          g_assert_cmpstr (kl_project_get_name (p), ==, "Payments");
          found = TRUE;
        }
    }
  g_assert_true (found);
  /* One page of 500 is enough. */
  g_assert_cmpuint (count_served (f, "GET", "/api/atlas/v2/groups"), ==, 1);

  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_project_get_id (project), ==, KL_SIM_GROUP_READY);
  g_assert_cmpstr (kl_project_get_org_id (project), ==, KL_SIM_ORG_ID);
  g_assert_cmpint (kl_project_get_cluster_count (project), ==, 2);
}

static void
test_pagination (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) paged = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  guint expected_pages;
  guint pages = 0;
  guint i;

  all = list_projects (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >, 8);

  kl_sim_clear_requests (f->sim);
  kl_atlas_client_set_page_size (f->client, 4);
  paged = list_projects (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paged->len, ==, all->len);

  /* Every project once, in the server's order. */
  for (i = 0; i < paged->len; i++)
    {
      const char *id = kl_project_get_id (g_ptr_array_index (paged, i));

      g_assert_cmpstr (id, ==, kl_project_get_id (g_ptr_array_index (all, i)));
      g_assert_true (g_hash_table_add (ids, (gpointer) id));
    }

  expected_pages = (all->len + 3) / 4;
  requests = kl_sim_dup_requests (f->sim);
  for (i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);
      g_autofree char *page = NULL;

      if (g_strcmp0 (request->path, "/api/atlas/v2/groups") != 0 || request->status != 200)
        continue;
      pages++;
      page = g_strdup_printf ("pageNum=%u", pages);
      g_assert_nonnull (strstr (request->query, "itemsPerPage=4"));
      g_assert_nonnull (strstr (request->query, page));
    }
  g_assert_cmpuint (pages, ==, expected_pages);
}

/* Pages of 32 KiB or more are parsed in a worker thread (kl-atlas-client.c): 450 projects in
 * pages of 200 (two of them about 55 KiB, then a small one parsed on the main loop) come out
 * the same, in the same order, as in pages of 25 (all parsed on the main loop). */
static void
test_big_pages (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) big = NULL;
  g_autoptr(GPtrArray) small = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = list_projects (f->client, &error);

  g_assert_no_error (error);
  for (guint i = before->len; i < 450; i++)
    {
      g_autofree char *name = g_strdup_printf ("Big-%04u", i);
      g_autofree char *id = kl_sim_add_group (f->sim, name, &error);

      g_assert_no_error (error);
      g_assert_nonnull (id);
    }

  kl_sim_clear_requests (f->sim);
  kl_atlas_client_set_page_size (f->client, 200);
  big = list_projects (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (big->len, ==, 450);
  g_assert_cmpuint (count_served (f, "GET", "/api/atlas/v2/groups"), ==, 3);

  kl_atlas_client_set_page_size (f->client, 25);
  small = list_projects (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (small->len, ==, big->len);
  for (guint i = 0; i < big->len; i++)
    g_assert_cmpstr (kl_project_get_id (g_ptr_array_index (big, i)), ==,
                     kl_project_get_id (g_ptr_array_index (small, i)));
}

static void
test_encryption_at_rest (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(KlAzureKeyVault) rotated = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  KlAzureKeyVault *akv;

  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);

  ear = get_ear (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  g_assert_true (kl_azure_key_vault_get_enabled (akv));
  g_assert_true (kl_azure_key_vault_get_require_private_networking (akv));
  g_assert_cmpstr (kl_azure_key_vault_get_client_id (akv), ==,
                   "11111111-2222-3333-4444-555555555555");

  /* Rotation: a partial PATCH with the new key identifier only. */
  rotated = kl_azure_key_vault_copy (akv);
  kl_azure_key_vault_set_key_identifier (rotated, "https://kv-payments.vault.azure.net/keys/atlas/"
                                                  "fedcba9876543210fedcba9876543210");
  body = kl_encryption_at_rest_build_patch (akv, rotated, &error);
  g_assert_no_error (error);
  g_clear_object (&ear);
  ear = patch_ear (f->client, KL_SIM_GROUP_READY, body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_azure_key_vault_get_key_identifier (kl_encryption_at_rest_get_azure_key_vault (ear)),
                   ==, "https://kv-payments.vault.azure.net/keys/atlas/fedcba9876543210fedcba9876543210");
}

static void
test_invalid_azure_credentials (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(KlAzureKeyVault) wanted = wanted_vault (KL_SIM_BAD_AZURE_CLIENT_ID);
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = kl_encryption_at_rest_build_patch (NULL, wanted, &error);
  g_assert_no_error (error);
  ear = patch_ear (f->client, KL_SIM_GROUP_READY, body, &error);
  g_assert_null (ear);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_AZURE_CREDENTIALS);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==, "INVALID_AZURE_CREDENTIALS");
  g_assert_cmpuint (kl_error_get_http_status (error), ==, 400);
  /* A PATCH is never repeated. */
  g_assert_cmpuint (count_served (f, "PATCH", "/encryptionAtRest"), ==, 1);
}

static void
test_endpoints (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KlPrivateEndpoint) first = NULL;
  g_autoptr(KlPrivateEndpoint) again = NULL;
  g_autoptr(KlPrivateEndpoint) second = NULL;
  g_autoptr(KlPrivateEndpoint) duplicate = NULL;
  g_autoptr(KlPrivateEndpoint) fetched = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GBytes) disable = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  guint posts;

  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);

  first = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "US_EAST_2", &error);
  g_assert_no_error (error);
  first_id = g_strdup (kl_private_endpoint_get_id (first));
  g_assert_cmpstr (kl_private_endpoint_get_region_name (first), ==, "US_EAST_2");
  g_assert_cmpint (kl_private_endpoint_get_status (first), ==, KL_ENDPOINT_STATUS_INITIATING);

  /* Asking again finds it: no second POST. */
  posts = count_requests (f, "POST", "/privateEndpoints");
  again = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "US_EAST_2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_private_endpoint_get_id (again), ==, first_id);
  g_assert_cmpuint (count_requests (f, "POST", "/privateEndpoints"), ==, posts);

  /* The plain create, and what Atlas says to a second one in the same region. */
  second = create_endpoint (f->client, KL_SIM_GROUP_READY, "EUROPE_WEST", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_private_endpoint_get_region_name (second), ==, "EUROPE_WEST");
  duplicate = create_endpoint (f->client, KL_SIM_GROUP_READY, "EUROPE_WEST", &error);
  g_assert_null (duplicate);
  g_assert_error (error, KL_ERROR, KL_ERROR_CONFLICT);
  g_assert_nonnull (kl_error_get_atlas_code (error));
  g_clear_error (&error);

  endpoints = list_endpoints (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 2);

  /* INITIATING cannot be deleted: the 400 keeps its Atlas code. */
  g_assert_false (delete_endpoint (f->client, KL_SIM_GROUP_READY, first_id, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_CONFLICT);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==,
                   "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING");
  g_assert_nonnull (kl_atlas_error_get_parameters (kl_atlas_error_from_gerror (error)));
  g_clear_error (&error);

  /* Azure side: wait out INITIATING, approve, wait for ACTIVE. */
  kl_sim_advance (f->sim, 100);
  fetched = get_endpoint (f->client, KL_SIM_GROUP_READY, first_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_private_endpoint_get_status (fetched), ==,
                   KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  g_assert_nonnull (kl_private_endpoint_get_private_endpoint_connection_name (fetched));
  g_assert_true (kl_sim_approve_endpoint (f->sim, KL_SIM_GROUP_READY, first_id, &error));
  g_assert_no_error (error);
  kl_sim_advance (f->sim, 300);
  g_clear_object (&fetched);
  fetched = get_endpoint (f->client, KL_SIM_GROUP_READY, first_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_private_endpoint_get_status (fetched), ==, KL_ENDPOINT_STATUS_ACTIVE);

  g_assert_true (delete_endpoint (f->client, KL_SIM_GROUP_READY, first_id, &error));
  g_assert_no_error (error);
  g_clear_object (&fetched);
  fetched = get_endpoint (f->client, KL_SIM_GROUP_READY, first_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_private_endpoint_get_status (fetched), ==, KL_ENDPOINT_STATUS_DELETING);

  /* CMK cannot go while endpoints exist, DELETING ones too: the code is kept. */
  disable = kl_encryption_at_rest_build_disable ();
  ear = patch_ear (f->client, KL_SIM_GROUP_READY, disable, &error);
  g_assert_null (ear);
  g_assert_error (error, KL_ERROR, KL_ERROR_CONFLICT);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==,
                   "CANNOT_DISABLE_ENCRYPTION_AT_REST_DUE_TO_PRIVATE_ENDPOINTS");
  g_clear_error (&error);

  /* Once gone, the endpoint is a 404 with its code. */
  kl_sim_advance (f->sim, 100);
  g_clear_object (&fetched);
  fetched = get_endpoint (f->client, KL_SIM_GROUP_READY, first_id, &error);
  g_assert_null (fetched);
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
}

static void
test_clusters (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) mixed = NULL;
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(KlCluster) updated = NULL;
  g_autoptr(GError) error = NULL;
  guint eligible = 0;
  guint i;

  clusters = list_clusters (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clusters->len, ==, 2);
  for (i = 0; i < clusters->len; i++)
    g_assert_true (kl_cluster_check_cmk_eligible (g_ptr_array_index (clusters, i), NULL));

  cluster = get_cluster (f->client, KL_SIM_GROUP_READY, "payments-us", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_cluster_get_instance_size (cluster), ==, "M10");
  g_assert_cmpstr (kl_cluster_get_provider_name (cluster), ==, "AZURE");
  g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "IDLE");

  /* Every ineligible kind the seed has is recognised; the Azure, AWS and GCP M10s are fine
   * (the Flex cluster is only in the Flex API). */
  mixed = list_clusters (f->client, KL_SIM_GROUP_MIXED, &error);
  g_assert_no_error (error);
  for (i = 0; i < mixed->len; i++)
    {
      KlCluster *c = g_ptr_array_index (mixed, i);
      g_autoptr(GError) reason = NULL;
      const char *name = kl_cluster_get_name (c);

      if (kl_cluster_check_cmk_eligible (c, &reason))
        {
          eligible++;
          g_assert_true (g_strcmp0 (name, "analytics-aws") == 0 ||
                         g_strcmp0 (name, "analytics-azure") == 0 ||
                         g_strcmp0 (name, "analytics-gcp") == 0);
        }
      else
        {
          g_test_message ("%s: %s", name, reason->message);
          g_assert_error (reason, KL_ERROR, KL_ERROR_INELIGIBLE);
        }

      g_assert_cmpstr (name, !=, "analytics-flex");
      if (g_strcmp0 (name, "analytics-free") == 0)
        g_assert_true (kl_cluster_is_tenant (c));
      else if (g_strcmp0 (name, "analytics-gcp") == 0)
        g_assert_true (kl_cluster_uses_provider (c, "GCP"));
      else if (g_strcmp0 (name, "analytics-multicloud") == 0)
        g_assert_true (kl_cluster_is_multi_cloud (c));
    }
  g_assert_cmpuint (mixed->len, ==, 5);
  g_assert_cmpuint (eligible, ==, 3);

  /* The serverless instance is not in the cluster API: a GET says why. */
  g_clear_object (&cluster);
  cluster = get_cluster (f->client, KL_SIM_GROUP_MIXED, "analytics-serverless", &error);
  g_assert_null (cluster);
  g_assert_error (error, KL_ERROR, KL_ERROR_INELIGIBLE);
  g_clear_error (&error);

  /* CMK on a cluster once the project has it. */
  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);
  updated = set_cluster_encryption (f->client, KL_SIM_GROUP_READY, "payments-us", "AZURE",
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (updated), ==, "AZURE");
  /* Still IDLE in the answer: Atlas can take a while before it reports UPDATING. */
  g_assert_cmpstr (kl_cluster_get_state_name (updated), ==, "IDLE");
  kl_sim_advance (f->sim, KL_SIM_CLUSTER_PROPAGATION_SECONDS + KL_SIM_CLUSTER_UPDATE_SECONDS);
  g_clear_object (&cluster);
  cluster = get_cluster (f->client, KL_SIM_GROUP_READY, "payments-us", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "IDLE");
  g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (cluster), ==, "AZURE");

  g_clear_object (&cluster);
  cluster = get_cluster (f->client, KL_SIM_GROUP_READY, "no-such-cluster", &error);
  g_assert_null (cluster);
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==, "CLUSTER_NOT_FOUND");
}

/* ---- errors ---- */

/* GET /flexClusters, paginated, with its own media type; the Flex cluster as Keylink shows it. */
static void
test_flex_clusters (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) flex = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reason = NULL;
  g_autoptr(KlCluster) via_clusters = NULL;
  const KlRegionConfig *configs;
  KlCluster *cluster;
  guint n_configs;
  guint n_flex_requests = 0;

  kl_atlas_client_set_page_size (f->client, 1);
  kl_sim_clear_requests (f->sim);
  flex = list_flex_clusters (f->client, KL_SIM_GROUP_MIXED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (flex->len, ==, 1);
  cluster = g_ptr_array_index (flex, 0);
  g_assert_cmpstr (kl_cluster_get_name (cluster), ==, "analytics-flex");
  g_assert_cmpstr (kl_cluster_get_id (cluster), ==, "65f0000000000000000c0a22");
  g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "IDLE");
  g_assert_true (kl_cluster_is_flex (cluster));
  g_assert_true (kl_cluster_uses_provider (cluster, "AZURE"));
  g_assert_cmpstr (kl_cluster_get_instance_size (cluster), ==, "FLEX");
  configs = kl_cluster_get_region_configs (cluster, &n_configs);
  g_assert_cmpuint (n_configs, ==, 1);
  g_assert_cmpstr (configs[0].backing_provider_name, ==, "AZURE");
  g_assert_cmpstr (configs[0].region_name, ==, "EUROPE_WEST");
  g_assert_false (kl_cluster_check_cmk_eligible (cluster, &reason));
  g_assert_error (reason, KL_ERROR, KL_ERROR_INELIGIBLE);

  /* Every page asked with the Flex media type (a wrong one would be a 406). */
  requests = kl_sim_dup_requests (f->sim);
  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_has_suffix (request->path, "/flexClusters") && request->status == 200)
        {
          n_flex_requests++;
          g_assert_nonnull (strstr (request->query, "itemsPerPage=1"));
        }
    }
  g_assert_cmpuint (n_flex_requests, ==, 1);

  none = list_flex_clusters (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  /* The cluster API refuses it by name: a state answer, explained. */
  via_clusters = get_cluster (f->client, KL_SIM_GROUP_MIXED, "analytics-flex", &error);
  g_assert_null (via_clusters);
  g_assert_error (error, KL_ERROR, KL_ERROR_CONFLICT);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API");
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs hide the desktop's proxy settings schema, which GIO's GNOME proxy
   * resolver would abort on: connect directly (the simulator is on loopback). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_for_both ("projects", test_projects);
  add_for_both ("pagination", test_pagination);
  add_for_both ("big-pages", test_big_pages);
  add_for_both ("encryption-at-rest", test_encryption_at_rest);
  add_for_both ("invalid-azure-credentials", test_invalid_azure_credentials);
  add_for_both ("endpoints", test_endpoints);
  add_for_both ("clusters", test_clusters);
  add_for_both ("flex-clusters", test_flex_clusters);

  return g_test_run ();
}
