/* kl-test-atlas-client.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-atlas-client.h"

const KlAuthType auth_api_key = KL_AUTH_API_KEY;
const KlAuthType auth_service_account = KL_AUTH_SERVICE_ACCOUNT;

/* ---- helpers ---- */

KlAtlasClient *
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

void
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

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->client));
  kl_sim_stop (f->sim);
  g_assert_finalize_object (g_steal_pointer (&f->sim));
}

GAsyncResult *
wait_result (GAsyncResult **result)
{
  return kl_test_wait_result (result, WAIT_MS);
}

void
add_fault (Fixture    *f,
           const char *rule)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_sim_add_fault (f->sim, rule, &error));
  g_assert_no_error (error);
}

/* Requests the simulator answered (or dropped) with @method and a path ending in @suffix;
 * without the Digest challenges (401) when @served_only. */
guint
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

guint
count_requests (Fixture    *f,
                const char *method,
                const char *suffix)
{
  return count_matching (f, method, suffix, FALSE);
}

guint
count_served (Fixture    *f,
              const char *method,
              const char *suffix)
{
  return count_matching (f, method, suffix, TRUE);
}

/* Synchronous wrappers: they wait on the main loop, never sleep. */

GPtrArray *
list_projects (KlAtlasClient  *client,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_projects_async (client, NULL, kl_test_store_result, &result);
  return kl_atlas_client_list_projects_finish (client, wait_result (&result), error);
}

KlProject *
get_project (KlAtlasClient  *client,
             const char     *group_id,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_project_async (client, group_id, NULL, kl_test_store_result, &result);
  return kl_atlas_client_get_project_finish (client, wait_result (&result), error);
}

KlEncryptionAtRest *
get_ear (KlAtlasClient  *client,
         const char     *group_id,
         GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_encryption_at_rest_async (client, group_id, NULL, kl_test_store_result,
                                                &result);
  return kl_atlas_client_get_encryption_at_rest_finish (client, wait_result (&result), error);
}

KlEncryptionAtRest *
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

GPtrArray *
list_endpoints (KlAtlasClient  *client,
                const char     *group_id,
                GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_private_endpoints_async (client, group_id, NULL, kl_test_store_result,
                                                &result);
  return kl_atlas_client_list_private_endpoints_finish (client, wait_result (&result), error);
}

KlPrivateEndpoint *
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

KlPrivateEndpoint *
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

gboolean
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

KlCluster *
get_cluster (KlAtlasClient  *client,
             const char     *group_id,
             const char     *name,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_cluster_async (client, group_id, name, NULL, kl_test_store_result, &result);
  return kl_atlas_client_get_cluster_finish (client, wait_result (&result), error);
}

KlAzureKeyVault *
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
void
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

void
add_for_both (const char *name,
              void (*test) (Fixture *, gconstpointer))
{
  g_autofree char *api_key = g_strdup_printf ("/atlas-client/api-key/%s", name);
  g_autofree char *service_account = g_strdup_printf ("/atlas-client/service-account/%s", name);

  g_test_add (api_key, Fixture, &auth_api_key, fixture_set_up, test, fixture_tear_down);
  g_test_add (service_account, Fixture, &auth_service_account, fixture_set_up, test,
              fixture_tear_down);
}

void
add_for_service_account (const char *name,
                         void (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/atlas-client/service-account/%s", name);

  g_test_add (path, Fixture, &auth_service_account, fixture_set_up, test, fixture_tear_down);
}
