/* test-atlas-client.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-atlas-client.h"
#include "kl-error.h"
#include "kl-sim.h"
#include "kl-test-utils.h"

#define API_PUBLIC_KEY  "klpubkey01"
#define API_PRIVATE_KEY "0f0e0d0c-1111-2222-3333-444455556666"
#define SA_CLIENT_ID    "mdb_sa_id_65f00000000000000000beef"
#define SA_SECRET       "mdb_sa_sk_0123456789abcdefghijklmnopqrstuv"
#define UNKNOWN_GROUP   "65f0000000000000000000ff"

#define WAIT_MS 10000

/* Backoff base and cap used by the tests: small, but the cap admits a 1 s Retry-After. */
#define TEST_BASE_DELAY_MS 20
#define TEST_MAX_DELAY_MS  3000

typedef struct
{
  KlSim         *sim;
  KlAtlasClient *client;
  KlAuthType     auth_type;
} Fixture;

static const KlAuthType auth_api_key = KL_AUTH_API_KEY;
static const KlAuthType auth_service_account = KL_AUTH_SERVICE_ACCOUNT;

/* ---- helpers ---- */

static KlAtlasClient *
new_client (Fixture    *f,
            KlAuthType  auth_type,
            const char *secret)
{
  g_autoptr(GError) error = NULL;
  KlAtlasClient *client;

  if (secret == NULL)
    secret = auth_type == KL_AUTH_API_KEY ? API_PRIVATE_KEY : SA_SECRET;

  client = kl_atlas_client_new (kl_sim_get_base_url (f->sim), auth_type,
                                auth_type == KL_AUTH_API_KEY ? API_PUBLIC_KEY : SA_CLIENT_ID,
                                secret, &error);
  g_assert_no_error (error);
  kl_atlas_client_set_retry_policy (client, 4, TEST_BASE_DELAY_MS, TEST_MAX_DELAY_MS);
  return client;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->auth_type = *(const KlAuthType *) data;
  f->sim = kl_sim_new ();
  /* Frozen clock: the tests move it with kl_sim_advance(). */
  kl_sim_set_time_scale (f->sim, 0);
  kl_sim_add_api_key (f->sim, API_PUBLIC_KEY, API_PRIVATE_KEY);
  kl_sim_add_service_account (f->sim, SA_CLIENT_ID, SA_SECRET);
  g_assert_true (kl_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);

  f->client = new_client (f, f->auth_type, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->client));
  kl_sim_stop (f->sim);
  g_assert_finalize_object (g_steal_pointer (&f->sim));
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  return kl_test_wait_result (result, WAIT_MS);
}

static void
add_fault (Fixture    *f,
           const char *rule)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_sim_add_fault (f->sim, rule, &error));
  g_assert_no_error (error);
}

/* Requests the simulator answered (or dropped) with @method and a path ending in @suffix;
 * without the Digest challenges (401) when @served_only. */
static guint
count_matching (Fixture    *f,
                const char *method,
                const char *suffix,
                gboolean    served_only)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (f->sim);
  guint n = 0;
  guint i;

  for (i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->method, method) == 0 && g_str_has_suffix (request->path, suffix) &&
          !(served_only && request->status == 401))
        n++;
    }

  return n;
}

static guint
count_requests (Fixture    *f,
                const char *method,
                const char *suffix)
{
  return count_matching (f, method, suffix, FALSE);
}

static guint
count_served (Fixture    *f,
              const char *method,
              const char *suffix)
{
  return count_matching (f, method, suffix, TRUE);
}

/* Synchronous wrappers: they wait on the main loop, never sleep. */

static GPtrArray *
list_projects (KlAtlasClient  *client,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_projects_async (client, NULL, kl_test_store_result, &result);
  return kl_atlas_client_list_projects_finish (client, wait_result (&result), error);
}

static KlProject *
get_project (KlAtlasClient  *client,
             const char     *group_id,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_project_async (client, group_id, NULL, kl_test_store_result, &result);
  return kl_atlas_client_get_project_finish (client, wait_result (&result), error);
}

static KlEncryptionAtRest *
get_ear (KlAtlasClient  *client,
         const char     *group_id,
         GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_encryption_at_rest_async (client, group_id, NULL, kl_test_store_result,
                                                &result);
  return kl_atlas_client_get_encryption_at_rest_finish (client, wait_result (&result), error);
}

static KlEncryptionAtRest *
patch_ear (KlAtlasClient  *client,
           const char     *group_id,
           GBytes         *body,
           GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_patch_encryption_at_rest_async (client, group_id, body, NULL,
                                                  kl_test_store_result, &result);
  return kl_atlas_client_patch_encryption_at_rest_finish (client, wait_result (&result), error);
}

static GPtrArray *
list_endpoints (KlAtlasClient  *client,
                const char     *group_id,
                GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_private_endpoints_async (client, group_id, NULL, kl_test_store_result,
                                                &result);
  return kl_atlas_client_list_private_endpoints_finish (client, wait_result (&result), error);
}

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

static KlPrivateEndpoint *
create_endpoint (KlAtlasClient  *client,
                 const char     *group_id,
                 const char     *region,
                 GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_create_private_endpoint_async (client, group_id, region, NULL,
                                                 kl_test_store_result, &result);
  return kl_atlas_client_create_private_endpoint_finish (client, wait_result (&result), error);
}

static KlPrivateEndpoint *
ensure_endpoint (KlAtlasClient  *client,
                 const char     *group_id,
                 const char     *region,
                 GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_ensure_private_endpoint_async (client, group_id, region, NULL,
                                                 kl_test_store_result, &result);
  return kl_atlas_client_ensure_private_endpoint_finish (client, wait_result (&result), error);
}

static gboolean
delete_endpoint (KlAtlasClient  *client,
                 const char     *group_id,
                 const char     *endpoint_id,
                 GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_delete_private_endpoint_async (client, group_id, endpoint_id, NULL,
                                                 kl_test_store_result, &result);
  return kl_atlas_client_delete_private_endpoint_finish (client, wait_result (&result), error);
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
get_cluster (KlAtlasClient  *client,
             const char     *group_id,
             const char     *name,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_cluster_async (client, group_id, name, NULL, kl_test_store_result, &result);
  return kl_atlas_client_get_cluster_finish (client, wait_result (&result), error);
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

static gboolean
sign_out (KlAtlasClient  *client,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_sign_out_async (client, NULL, kl_test_store_result, &result);
  return kl_atlas_client_sign_out_finish (client, wait_result (&result), error);
}

static KlAzureKeyVault *
wanted_vault (const char *client_id)
{
  KlAzureKeyVault *akv = kl_azure_key_vault_new ();

  kl_azure_key_vault_set_azure_environment (akv, "AZURE");
  kl_azure_key_vault_set_client_id (akv, client_id);
  kl_azure_key_vault_set_tenant_id (akv, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  kl_azure_key_vault_set_subscription_id (akv, "99999999-8888-7777-6666-555555555555");
  kl_azure_key_vault_set_resource_group_name (akv, "rg-keys");
  kl_azure_key_vault_set_key_vault_name (akv, "kv-payments");
  kl_azure_key_vault_set_key_identifier (akv, "https://kv-payments.vault.azure.net/keys/atlas/"
                                              "0123456789abcdef0123456789abcdef");
  kl_azure_key_vault_set_secret (akv, "azure~app~secret~value");
  return akv;
}

/* Turns CMK on in @group_id and requires private networking, as steps 6 and 7 do. */
static void
enable_cmk_with_private_networking (KlAtlasClient *client,
                                    const char    *group_id)
{
  g_autoptr(KlEncryptionAtRest) current = NULL;
  g_autoptr(KlEncryptionAtRest) enabled = NULL;
  g_autoptr(KlEncryptionAtRest) private_networking = NULL;
  g_autoptr(KlAzureKeyVault) wanted = wanted_vault ("11111111-2222-3333-4444-555555555555");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) rpn = NULL;
  g_autoptr(GError) error = NULL;
  KlAzureKeyVault *akv;

  current = get_ear (client, group_id, &error);
  g_assert_no_error (error);
  g_assert_false (kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (current)));

  body = kl_encryption_at_rest_build_patch (kl_encryption_at_rest_get_azure_key_vault (current),
                                            wanted, &error);
  g_assert_no_error (error);
  enabled = patch_ear (client, group_id, body, &error);
  g_assert_no_error (error);
  akv = kl_encryption_at_rest_get_azure_key_vault (enabled);
  g_assert_true (kl_azure_key_vault_get_enabled (akv));
  g_assert_cmpstr (kl_azure_key_vault_get_key_vault_name (akv), ==, "kv-payments");
  g_assert_false (kl_azure_key_vault_has_secret (akv));

  rpn = kl_encryption_at_rest_build_private_networking (TRUE);
  private_networking = patch_ear (client, group_id, rpn, &error);
  g_assert_no_error (error);
  akv = kl_encryption_at_rest_get_azure_key_vault (private_networking);
  g_assert_true (kl_azure_key_vault_get_require_private_networking (akv));
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

static void
test_wrong_credentials (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KlAtlasClient) client = new_client (f, f->auth_type, "wrong-secret");
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  projects = list_projects (client, &error);
  g_assert_null (projects);
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);

  if (f->auth_type == KL_AUTH_API_KEY)
    {
      /* The challenge, then one try with the key; no more. */
      g_assert_cmpuint (count_requests (f, "GET", "/api/atlas/v2/groups"), ==, 2);
    }
  else
    {
      g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 1);
      g_assert_cmpuint (count_requests (f, "GET", "/api/atlas/v2/groups"), ==, 0);
    }
}

static void
test_injected_statuses (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { guint status; const char *code; KlError expected; } cases[] = {
    { 401, "UNEXPECTED_ERROR", KL_ERROR_AUTH_FAILED },
    { 403, "IP_ADDRESS_NOT_ON_ACCESS_LIST", KL_ERROR_IP_NOT_ON_ACCESS_LIST },
    { 403, "USER_CANNOT_ACCESS_GROUP", KL_ERROR_FORBIDDEN },
    { 406, "INVALID_VERSION_DATE", KL_ERROR_API_VERSION },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KlProject) project = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *rule = NULL;

      kl_sim_clear_faults (f->sim);
      /* A 401 is answered once with a new token (service accounts): inject it twice. */
      rule = g_strdup_printf ("{\"path\":\"/api/atlas/v2/groups/*\",\"kind\":\"status\","
                              "\"status\":%u,\"errorCode\":\"%s\",\"count\":2}",
                              cases[i].status, cases[i].code);
      add_fault (f, rule);

      project = get_project (f->client, KL_SIM_GROUP_READY, &error);
      g_assert_null (project);
      g_assert_error (error, KL_ERROR, cases[i].expected);
      g_assert_cmpstr (kl_error_get_atlas_code (error), ==, cases[i].code);
      g_assert_cmpuint (kl_error_get_http_status (error), ==, cases[i].status);
    }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = get_project (f->client, UNKNOWN_GROUP, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==, "GROUP_NOT_FOUND");
  /* A 404 is an answer, not a failure: never repeated. */
  g_assert_cmpuint (count_served (f, "GET", UNKNOWN_GROUP), ==, 1);
}

static void
test_invalid_ids (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;

  project = get_project (f->client, "../../oauth/token", &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  cluster = get_cluster (f->client, KL_SIM_GROUP_READY, "a/b", &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  endpoint = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "us-east-2\"", &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (delete_endpoint (f->client, KL_SIM_GROUP_READY, "123", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);

  requests = kl_sim_dup_requests (f->sim);
  g_assert_cmpuint (requests->len, ==, 0);
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  KlSimRequest *limited = NULL;
  KlSimRequest *retried = NULL;
  gint64 start;
  gint64 elapsed;
  guint i;

  /* Warm up (token, Digest) so that only the limited call is measured. */
  projects = list_projects (f->client, &error);
  g_assert_no_error (error);
  g_clear_pointer (&projects, g_ptr_array_unref);
  kl_sim_clear_requests (f->sim);

  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"retry_after\",\"retryAfter\":1,"
                "\"count\":1}");
  start = g_get_monotonic_time ();
  projects = list_projects (f->client, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_nonnull (projects);
  g_test_message ("429 with Retry-After: 1 → answered after %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC);

  requests = kl_sim_dup_requests (f->sim);
  for (i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->path, "/api/atlas/v2/groups") != 0)
        continue;
      if (request->status == 429)
        limited = request;
      else if (request->status == 200 && limited != NULL && retried == NULL)
        retried = request;
    }
  g_assert_nonnull (limited);
  g_assert_nonnull (retried);
  /* Measured by the server: the repeat came at least a second after the 429 left. */
  g_assert_cmpint (retried->start_us - limited->end_us, >=, G_USEC_PER_SEC);
}

static void
test_retry_after_too_long (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"retry_after\",\"retryAfter\":600,"
                "\"count\":1}");
  start = g_get_monotonic_time ();
  projects = list_projects (f->client, &error);
  g_assert_null (projects);
  /* Not waited for: the error says how long to wait. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (5 * G_USEC_PER_SEC));
  g_assert_error (error, KL_ERROR, KL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (kl_error_get_retry_after (error), ==, 600);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==, "RATE_LIMITED_TOKEN_BUCKET");
}

static void
test_server_error_get (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = "/api/atlas/v2/groups/" KL_SIM_GROUP_READY;

  /* Two 500s, then the answer. */
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/" KL_SIM_GROUP_READY "\",\"kind\":\"status\","
                "\"status\":500,\"count\":2}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_cmpuint (count_requests (f, "GET", path), >=, 3);
  g_clear_object (&project);

  /* Always 500: four attempts, then KL_ERROR_SERVER. */
  kl_sim_clear_requests (f->sim);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/" KL_SIM_GROUP_READY "\",\"kind\":\"status\","
                "\"status\":503}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_SERVER);
  g_assert_cmpuint (kl_error_get_http_status (error), ==, 503);
  g_assert_cmpuint (count_served (f, "GET", path), ==, 4);
}

static void
test_server_error_post (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(KlPrivateEndpoint) plain = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = "/api/atlas/v2/groups/" KL_SIM_GROUP_READY
                     "/encryptionAtRest/AZURE/privateEndpoints";
  guint i;

  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);

  /* The plain create is never repeated on a 500. */
  kl_sim_clear_requests (f->sim);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*/privateEndpoints\",\"method\":\"POST\","
                "\"kind\":\"status\",\"status\":500,\"count\":1}");
  plain = create_endpoint (f->client, KL_SIM_GROUP_READY, "EUROPE_WEST", &error);
  g_assert_null (plain);
  g_assert_error (error, KL_ERROR, KL_ERROR_SERVER);
  g_assert_cmpuint (count_served (f, "POST", path), ==, 1);
  g_clear_error (&error);

  /* The POST creates the endpoint, then answers 500: the safe create lists before trying
   * again and finds it. */
  kl_sim_clear_requests (f->sim);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*/privateEndpoints\",\"method\":\"POST\","
                "\"kind\":\"status\",\"status\":500,\"count\":1,\"afterProcessing\":true}");
  endpoint = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "US_EAST_2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_private_endpoint_get_region_name (endpoint), ==, "US_EAST_2");

  endpoints = list_endpoints (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 1);
  for (i = 0; i < endpoints->len; i++)
    g_assert_cmpstr (kl_private_endpoint_get_id (g_ptr_array_index (endpoints, i)), ==,
                     kl_private_endpoint_get_id (endpoint));
  /* Exactly one POST that reached the world, never a blind second one. (With Digest the
   * fault lands on the first round trip, before authentication, so nothing was created and
   * the second POST is the one that creates: the list above is what matters.) */
  if (f->auth_type == KL_AUTH_SERVICE_ACCOUNT)
    g_assert_cmpuint (count_served (f, "POST", path), ==, 1);
}

static void
test_server_error_post_before_processing (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;

  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);

  /* This time the 500 comes before anything is done: list, POST (500), list, POST. */
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*/privateEndpoints\",\"method\":\"POST\","
                "\"kind\":\"status\",\"status\":500,\"count\":1}");
  endpoint = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "EUROPE_WEST", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==, KL_ENDPOINT_STATUS_INITIATING);

  endpoints = list_endpoints (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 1);
  g_assert_cmpuint (count_requests (f, "GET", "/privateEndpoints"), >=, 3);
}

static void
test_ensure_concurrent (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(KlPrivateEndpoint) first = NULL;
  g_autoptr(KlPrivateEndpoint) second = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;

  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);

  /* Two pages ask for the same region at once: both lists are empty, one POST wins, the
   * other finds its endpoint. */
  kl_atlas_client_ensure_private_endpoint_async (f->client, KL_SIM_GROUP_READY, "US_EAST_2",
                                                 NULL, kl_test_store_result, &first_result);
  kl_atlas_client_ensure_private_endpoint_async (f->client, KL_SIM_GROUP_READY, "US_EAST_2",
                                                 NULL, kl_test_store_result, &second_result);
  first = kl_atlas_client_ensure_private_endpoint_finish (f->client, wait_result (&first_result),
                                                          &error);
  g_assert_no_error (error);
  second = kl_atlas_client_ensure_private_endpoint_finish (f->client,
                                                           wait_result (&second_result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_private_endpoint_get_id (first), ==, kl_private_endpoint_get_id (second));
  /* Both did POST: the conflict path was taken. */
  g_assert_cmpuint (count_served (f, "POST", "/privateEndpoints"), ==, 2);

  endpoints = list_endpoints (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 1);
}

static void
test_dropped_connections (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  guint dropped = 0;
  guint i;

  /* A GET whose connection is dropped is simply repeated. */
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/" KL_SIM_GROUP_READY "\",\"kind\":\"drop\","
                "\"count\":2}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);

  requests = kl_sim_dup_requests (f->sim);
  for (i = 0; i < requests->len; i++)
    if (((KlSimRequest *) g_ptr_array_index (requests, i))->status == 0)
      dropped++;
  g_assert_cmpuint (dropped, ==, 2);

  /* A create whose connection drops after the endpoint exists: found, not duplicated. */
  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*/privateEndpoints\",\"method\":\"POST\","
                "\"kind\":\"drop\",\"count\":1,\"afterProcessing\":true}");
  endpoint = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "US_EAST_2", &error);
  g_assert_no_error (error);
  endpoints = list_endpoints (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 1);
}

static void
test_malformed_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*\",\"kind\":\"malformed\",\"count\":1}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  /* Cut in the middle of a real answer. With Digest every call is two round trips (the
   * first one's 401 carries the challenge), so the fault has to spoil both. */
  add_fault (f, f->auth_type == KL_AUTH_API_KEY
                  ? "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"malformed\",\"count\":2,"
                    "\"afterProcessing\":true}"
                  : "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"malformed\",\"count\":1,"
                    "\"afterProcessing\":true}");
  projects = list_projects (f->client, &error);
  g_assert_null (projects);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Lists the projects, cancelling the call after 300 ms. */
static GPtrArray *
list_projects_cancelled (Fixture  *f,
                         GError  **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_projects_async (f->client, cancellable, kl_test_store_result, &result);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 300, cancel_cb, g_object_ref (cancellable),
                      g_object_unref);
  return kl_atlas_client_list_projects_finish (f->client, wait_result (&result), error);
}

static void
test_stall_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"stall\"}");
  start = g_get_monotonic_time ();
  projects = list_projects_cancelled (f, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_null (projects);
  /* Silent, and prompt. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed, <, kl_test_scale_us (3 * G_USEC_PER_SEC));
}

static void
test_stall_timeout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  kl_atlas_client_set_timeout (f->client, 1);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"stall\"}");
  start = g_get_monotonic_time ();
  projects = list_projects (f->client, &error);
  g_assert_null (projects);
  g_assert_error (error, KL_ERROR, KL_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (5 * G_USEC_PER_SEC));
}

static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* A 5 min Retry-After being waited out is cut short by the cancellable: well before the
   * end of the wait, however slow the machine. */
  kl_atlas_client_set_retry_policy (f->client, 4, TEST_BASE_DELAY_MS, 300 * 1000);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"retry_after\",\"retryAfter\":300}");
  start = g_get_monotonic_time ();
  projects = list_projects_cancelled (f, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (2 * G_USEC_PER_SEC));
}

/* ---- service-account tokens ---- */

typedef struct
{
  guint pending;
  guint failed;
} Batch;

static void
batch_project_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = kl_atlas_client_get_project_finish (KL_ATLAS_CLIENT (source), result, &error);
  if (project == NULL)
    {
      g_test_message ("failed: %s", error->message);
      batch->failed++;
    }
  batch->pending--;
}

static gboolean
batch_done (gpointer user_data)
{
  return ((Batch *) user_data)->pending == 0;
}

static void
test_token_shared (Fixture       *f,
                   gconstpointer  data)
{
  Batch batch = { 0, 0 };
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  /* Twenty calls at once, no token yet: one token request. */
  for (i = 0; i < 20; i++)
    {
      batch.pending++;
      kl_atlas_client_get_project_async (f->client, i % 2 ? KL_SIM_GROUP_READY
                                                          : KL_SIM_GROUP_MIXED,
                                         NULL, batch_project_cb, &batch);
    }
  g_assert_true (kl_test_wait_until (batch_done, &batch, WAIT_MS));
  g_assert_cmpuint (batch.failed, ==, 0);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 1);

  /* And it is reused afterwards. */
  projects = list_projects (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 1);
}

static void
test_token_refreshed_on_401 (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAtlasClient) expired = NULL;

  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_clear_object (&project);

  /* Atlas drops the token early: one new token, the call goes through. */
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*\",\"kind\":\"status\",\"status\":401,"
                "\"errorCode\":\"UNEXPECTED_ERROR\",\"count\":1}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 2);
  g_clear_object (&project);

  /* Tokens that are dead on arrival: renewed once, then the call fails. */
  kl_sim_clear_requests (f->sim);
  kl_sim_set_token_lifetime (f->sim, 0);
  expired = new_client (f, KL_AUTH_SERVICE_ACCOUNT, NULL);
  project = get_project (expired, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 2);
  g_assert_cmpuint (count_requests (f, "GET", KL_SIM_GROUP_READY), ==, 2);
}

static void
test_token_limit_and_revocation (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KlAtlasClient) extra = NULL;
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  /* The fixture's client and 99 more each hold one live token: the account's 100. (One
   * after the other: a hundred connections at once overflow the server's listen backlog.) */
  g_ptr_array_add (clients, g_object_ref (f->client));
  for (i = 1; i < 100; i++)
    g_ptr_array_add (clients, new_client (f, KL_AUTH_SERVICE_ACCOUNT, NULL));
  for (i = 0; i < clients->len; i++)
    {
      project = get_project (g_ptr_array_index (clients, i), KL_SIM_GROUP_READY, &error);
      g_assert_no_error (error);
      g_clear_object (&project);
    }
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 100);

  /* One more is refused, with a message that says why. */
  extra = new_client (f, KL_AUTH_SERVICE_ACCOUNT, NULL);
  project = get_project (extra, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_TOO_MANY_TOKENS);
  g_clear_error (&error);

  /* Signing one client out revokes its token for real: now there is room. */
  g_assert_true (sign_out (f->client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/revoke"), ==, 1);
  g_assert_true (kl_atlas_client_is_signed_out (f->client));

  project = get_project (extra, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_clear_object (&project);

  /* Signed out: nothing is sent any more. */
  kl_sim_clear_requests (f->sim);
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_assert_cmpuint (count_requests (f, "GET", KL_SIM_GROUP_READY), ==, 0);
}

static void
test_sign_out (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_clear_object (&project);

  g_assert_true (sign_out (f->client, &error));
  g_assert_no_error (error);
  g_assert_true (kl_atlas_client_is_signed_out (f->client));
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/revoke"),
                    ==, f->auth_type == KL_AUTH_SERVICE_ACCOUNT ? 1 : 0);

  kl_sim_clear_requests (f->sim);
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_assert_cmpuint (count_requests (f, "GET", KL_SIM_GROUP_READY), ==, 0);
  g_clear_error (&error);

  /* Twice is fine. */
  g_assert_true (sign_out (f->client, &error));
  g_assert_no_error (error);
}

/* ---- base URLs ---- */

static void
test_base_urls (void)
{
  static const struct { const char *url; int code; } cases[] = {
    { "https://cloud.mongodb.com", -1 },
    { "https://cloud.mongodb.com/", -1 },
    { "https://cloud.mongodbgov.com", -1 },
    { "https://atlas.example.com:8443", -1 },
    { "http://127.0.0.1:8080", -1 },
    { "http://127.9.8.7", -1 },
    { "http://[::1]:8080", -1 },
    { "http://localhost:8080", -1 },
    { "http://LOCALHOST", -1 },
    { "http://cloud.mongodb.com", KL_ERROR_INSECURE_URL },
    { "http://10.0.0.1:8080", KL_ERROR_INSECURE_URL },
    { "http://127.0.0.1.example.com", KL_ERROR_INSECURE_URL },
    { "http://[::ffff:192.168.1.1]", KL_ERROR_INSECURE_URL },
    { "http://128.0.0.1", KL_ERROR_INSECURE_URL },
    { "", KL_ERROR_INVALID_INPUT },
    { "cloud.mongodb.com", KL_ERROR_INVALID_INPUT },
    { "ftp://cloud.mongodb.com", KL_ERROR_INVALID_INPUT },
    { "https://", KL_ERROR_INVALID_INPUT },
    { "https://user:pass@cloud.mongodb.com", KL_ERROR_INVALID_INPUT },
    { "https://cloud.mongodb.com/v2/65f0000000000000000000a1#/overview", KL_ERROR_INVALID_INPUT },
    { "https://cloud.mongodb.com?x=1", KL_ERROR_INVALID_INPUT },
    { "https://cloud mongodb com", KL_ERROR_INVALID_INPUT },
  };
  g_autoptr(KlAtlasClient) client = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean ok = kl_atlas_check_base_url (cases[i].url, &local_error);

      g_test_message ("%s: %s", cases[i].url, local_error ? local_error->message : "ok");
      if (cases[i].code < 0)
        {
          g_assert_no_error (local_error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (local_error, KL_ERROR, cases[i].code);
        }
    }

  g_assert_cmpstr (kl_atlas_service_get_url (KL_ATLAS_SERVICE_ATLAS), ==, KL_ATLAS_URL);
  g_assert_cmpstr (kl_atlas_service_get_url (KL_ATLAS_SERVICE_GOVERNMENT), ==,
                   KL_ATLAS_GOVERNMENT_URL);
  g_assert_null (kl_atlas_service_get_url (KL_ATLAS_SERVICE_CUSTOM));

  /* The constructor refuses the same way, and normalises what it accepts. */
  client = kl_atlas_client_new ("http://atlas.example.com", KL_AUTH_API_KEY, "a", "b", &error);
  g_assert_null (client);
  g_assert_error (error, KL_ERROR, KL_ERROR_INSECURE_URL);
  g_clear_error (&error);

  client = kl_atlas_client_new ("https://cloud.mongodb.com", KL_AUTH_API_KEY, "a", "", &error);
  g_assert_null (client);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  client = kl_atlas_client_new ("https://cloud.mongodb.com/", KL_AUTH_SERVICE_ACCOUNT,
                                SA_CLIENT_ID, SA_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_atlas_client_get_base_url (client), ==, "https://cloud.mongodb.com");
  g_assert_cmpint (kl_atlas_client_get_auth_type (client), ==, KL_AUTH_SERVICE_ACCOUNT);
  g_assert_cmpstr (kl_atlas_client_get_principal (client), ==, SA_CLIENT_ID);
  g_assert_false (kl_atlas_client_is_signed_out (client));
}

#define TOKEN_BODY_FAULT "{\"path\":\"/api/oauth/token\",\"kind\":\"body\",\"status\":200,"

/* Token answers that cannot be used fail the call (KL_ERROR_BAD_RESPONSE), whatever they hold:
 * empty, not JSON, or JSON of the wrong content type (refused unread, and wiped). */
static void
test_token_answer_unusable (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const rules[] = {
    TOKEN_BODY_FAULT "\"bodyText\":\"\"}",
    TOKEN_BODY_FAULT "\"bodyText\":\"{\\\"a\\\":\"}",
    TOKEN_BODY_FAULT "\"contentType\":\"text/plain\","
    "\"bodyText\":\"{\\\"access_token\\\":\\\"t0k3n\\\",\\\"token_type\\\":\\\"Bearer\\\"}\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(KlAtlasClient) client = new_client (f, KL_AUTH_SERVICE_ACCOUNT, NULL);
      g_autoptr(KlProject) project = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("rule %u: %s", i, rules[i]);
      kl_sim_clear_faults (f->sim);
      add_fault (f, rules[i]);
      project = get_project (client, KL_SIM_GROUP_READY, &error);
      g_assert_null (project);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }
}

static void
add_for_both (const char *name,
              void (*test) (Fixture *, gconstpointer))
{
  g_autofree char *api_key = g_strdup_printf ("/atlas-client/api-key/%s", name);
  g_autofree char *service_account = g_strdup_printf ("/atlas-client/service-account/%s", name);

  g_test_add (api_key, Fixture, &auth_api_key, fixture_set_up, test, fixture_tear_down);
  g_test_add (service_account, Fixture, &auth_service_account, fixture_set_up, test,
              fixture_tear_down);
}

static void
add_for_service_account (const char *name,
                         void (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/atlas-client/service-account/%s", name);

  g_test_add (path, Fixture, &auth_service_account, fixture_set_up, test, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs hide the desktop's proxy settings schema, which GIO's GNOME proxy
   * resolver would abort on: connect directly (the simulator is on loopback). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/atlas-client/base-urls", test_base_urls);

  add_for_both ("projects", test_projects);
  add_for_both ("pagination", test_pagination);
  add_for_both ("big-pages", test_big_pages);
  add_for_both ("encryption-at-rest", test_encryption_at_rest);
  add_for_both ("invalid-azure-credentials", test_invalid_azure_credentials);
  add_for_both ("endpoints", test_endpoints);
  add_for_both ("clusters", test_clusters);
  add_for_both ("flex-clusters", test_flex_clusters);
  add_for_both ("wrong-credentials", test_wrong_credentials);
  add_for_both ("injected-statuses", test_injected_statuses);
  add_for_both ("not-found", test_not_found);
  add_for_both ("invalid-ids", test_invalid_ids);
  add_for_both ("retry-after", test_retry_after);
  add_for_both ("retry-after-too-long", test_retry_after_too_long);
  add_for_both ("server-error-get", test_server_error_get);
  add_for_both ("server-error-post", test_server_error_post);
  add_for_both ("server-error-post-before-processing", test_server_error_post_before_processing);
  add_for_both ("ensure-concurrent", test_ensure_concurrent);
  add_for_both ("dropped-connections", test_dropped_connections);
  add_for_both ("malformed-json", test_malformed_json);
  add_for_both ("stall-cancelled", test_stall_cancelled);
  add_for_both ("stall-timeout", test_stall_timeout);
  add_for_both ("cancel-during-backoff", test_cancel_during_backoff);
  add_for_both ("sign-out", test_sign_out);
  add_for_service_account ("token-shared", test_token_shared);
  add_for_service_account ("token-refreshed-on-401", test_token_refreshed_on_401);
  add_for_service_account ("token-limit-and-revocation", test_token_limit_and_revocation);
  add_for_service_account ("token-answer-unusable", test_token_answer_unusable);

  return g_test_run ();
}
