/* kl-test-project.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kl-test-project.h"
#include "kl-test-utils.h"

#define SA_CLIENT_ID     "mdb_sa_id_65f0000000000000000000ff"
#define SA_CLIENT_SECRET "mdb_sa_sk_watch-tests"

KlTestProject *
kl_test_project_new (double time_scale)
{
  KlTestProject *project = g_new0 (KlTestProject, 1);
  g_autoptr(GError) error = NULL;

  /* With G_TEST_OPTION_ISOLATE_DIRS the desktop's proxy settings schema is out of reach and
   * GIO's GNOME proxy resolver would abort on the first connection: no proxy lookup at all
   * (read once, before the first connection). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  project->sim = kl_sim_new ();
  kl_sim_set_time_scale (project->sim, time_scale);
  kl_sim_add_service_account (project->sim, SA_CLIENT_ID, SA_CLIENT_SECRET);
  kl_sim_start (project->sim, 0, &error);
  g_assert_no_error (error);

  project->client = kl_atlas_client_new (kl_sim_get_base_url (project->sim),
                                         KL_AUTH_SERVICE_ACCOUNT, SA_CLIENT_ID, SA_CLIENT_SECRET,
                                         &error);
  g_assert_no_error (error);
  kl_atlas_client_set_retry_policy (project->client, 4, 10, 100);
  kl_atlas_client_set_timeout (project->client, 10);

  return project;
}

void
kl_test_project_free (KlTestProject *project)
{
  if (project == NULL)
    return;

  g_clear_object (&project->client);
  kl_sim_stop (project->sim);
  g_clear_object (&project->sim);
  g_free (project);
}

void
kl_test_async_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KlTestAsync *async = user_data;

  kl_test_store_result (source, result, &async->result);
}

GAsyncResult *
kl_test_async_wait (KlTestAsync *async)
{
  kl_test_wait_result (&async->result, KL_TEST_DEADLINE_MS);
  return g_steal_pointer (&async->result);
}

static KlEncryptionAtRest *
patch_ear (KlTestProject *project,
           const char    *group_id,
           GBytes        *body)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlEncryptionAtRest *ear;

  kl_atlas_client_patch_encryption_at_rest_async (project->client, group_id, body, NULL,
                                                  kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  ear = kl_atlas_client_patch_encryption_at_rest_finish (project->client, result, &error);
  g_assert_no_error (error);
  return ear;
}

void
kl_test_project_enable_cmk (KlTestProject *project,
                            const char    *group_id,
                            gboolean       private_networking)
{
  g_autoptr(KlAzureKeyVault) wanted = kl_azure_key_vault_new ();
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  kl_azure_key_vault_set_azure_environment (wanted, "AZURE");
  kl_azure_key_vault_set_client_id (wanted, "6f1d9a52-3c1e-4b8a-9d2e-0a7c5e3f1b24");
  kl_azure_key_vault_set_tenant_id (wanted, "0b9c2a11-5d3e-4f6a-8b7c-1d2e3f4a5b6c");
  kl_azure_key_vault_set_secret (wanted, "not-a-real-secret");
  kl_azure_key_vault_set_subscription_id (wanted, "a1b2c3d4-e5f6-4711-8899-aabbccddeeff");
  kl_azure_key_vault_set_resource_group_name (wanted, "rg-keys");
  kl_azure_key_vault_set_key_vault_name (wanted, "contoso-keys");
  kl_azure_key_vault_set_key_identifier (wanted, "https://contoso-keys.vault.azure.net/keys/"
                                                 "atlas/0123456789abcdef0123456789abcdef");

  body = kl_encryption_at_rest_build_patch (NULL, wanted, &error);
  g_assert_no_error (error);
  ear = patch_ear (project, group_id, body);
  g_assert_true (kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (ear)));
  g_assert_true (kl_azure_key_vault_get_valid (kl_encryption_at_rest_get_azure_key_vault (ear)));

  if (!private_networking)
    return;

  g_clear_object (&ear);
  g_clear_pointer (&body, g_bytes_unref);
  body = kl_encryption_at_rest_build_private_networking (TRUE);
  ear = patch_ear (project, group_id, body);
  g_assert_true (kl_azure_key_vault_get_require_private_networking (
                   kl_encryption_at_rest_get_azure_key_vault (ear)));
}

KlEncryptionAtRest *
kl_test_project_get_ear (KlTestProject *project,
                         const char    *group_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlEncryptionAtRest *ear;

  kl_atlas_client_get_encryption_at_rest_async (project->client, group_id, NULL,
                                                kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  ear = kl_atlas_client_get_encryption_at_rest_finish (project->client, result, &error);
  g_assert_no_error (error);
  return ear;
}

GPtrArray *
kl_test_project_list_endpoints (KlTestProject *project,
                                const char    *group_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  GPtrArray *endpoints;

  kl_atlas_client_list_private_endpoints_async (project->client, group_id, NULL,
                                                kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  endpoints = kl_atlas_client_list_private_endpoints_finish (project->client, result, &error);
  g_assert_no_error (error);
  return endpoints;
}

GPtrArray *
kl_test_project_list_clusters (KlTestProject *project,
                               const char    *group_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  GPtrArray *clusters;

  kl_atlas_client_list_clusters_async (project->client, group_id, NULL, kl_test_async_cb,
                                       &async);
  result = kl_test_async_wait (&async);
  clusters = kl_atlas_client_list_clusters_finish (project->client, result, &error);
  g_assert_no_error (error);
  return clusters;
}

GPtrArray *
kl_test_project_list_flex_clusters (KlTestProject *project,
                                    const char    *group_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  GPtrArray *clusters;

  kl_atlas_client_list_flex_clusters_async (project->client, group_id, NULL, kl_test_async_cb,
                                            &async);
  result = kl_test_async_wait (&async);
  clusters = kl_atlas_client_list_flex_clusters_finish (project->client, result, &error);
  g_assert_no_error (error);
  return clusters;
}

GPtrArray *
kl_test_project_requests (KlTestProject *project,
                          const char    *method,
                          const char    *suffix)
{
  g_autoptr(GPtrArray) all = kl_sim_dup_requests (project->sim);
  GPtrArray *matching = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_sim_request_free);

  for (guint i = 0; i < all->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (all, i);

      if (method != NULL && g_strcmp0 (request->method, method) != 0)
        continue;
      if (suffix != NULL && !g_str_has_suffix (request->path, suffix))
        continue;
      g_ptr_array_add (matching, g_steal_pointer (&all->pdata[i]));
    }

  return matching;
}
