/* test-atlas-log.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-atlas-client.h"
#include "kl-error.h"
#include "kl-http-log.h"
#include "kl-sim.h"
#include "kl-test-utils.h"

/* A whole flow with G_MESSAGES_DEBUG=all, every log line captured: the HTTP traffic is there,
 * no secret is. */

#define API_PUBLIC_KEY  "klpubkey01"
#define API_PRIVATE_KEY "0f0e0d0c-1111-2222-3333-444455556666"
#define SA_CLIENT_ID    "mdb_sa_id_65f00000000000000000beef"
#define SA_SECRET       "mdb_sa_sk_0123456789abcdefghijklmnopqrstuv"
#define AZURE_SECRET    "Azure~Client~Secret~4711"

static GString *captured;
static GLogFunc previous_handler;

static void
capture (const char *domain,
         const char *message)
{
  g_string_append_printf (captured, "%s: %s\n", domain != NULL ? domain : "", message);
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;
  gsize i;

  for (i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }
  if (message != NULL)
    capture (domain, message);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static void
capture_handler (const char     *domain,
                 GLogLevelFlags  level,
                 const char     *message,
                 gpointer        user_data)
{
  capture (domain, message);

  /* Warnings still reach the test harness (and G_DEBUG=fatal-warnings). */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    previous_handler (domain, level, message, user_data);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
result_arrived (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  g_assert_true (kl_test_wait_until (result_arrived, result, 10000));
  return *result;
}

static void
run_flow (KlSim      *sim,
          KlAuthType  auth_type)
{
  g_autoptr(KlAtlasClient) client = NULL;
  g_autoptr(KlAzureKeyVault) wanted = kl_azure_key_vault_new ();
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  const char *group = KL_SIM_GROUP_READY;

  client = kl_atlas_client_new (kl_sim_get_base_url (sim), auth_type,
                                auth_type == KL_AUTH_API_KEY ? API_PUBLIC_KEY : SA_CLIENT_ID,
                                auth_type == KL_AUTH_API_KEY ? API_PRIVATE_KEY : SA_SECRET,
                                &error);
  g_assert_no_error (error);

  kl_atlas_client_list_projects_async (client, NULL, store_result_cb, &result);
  list = kl_atlas_client_list_projects_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_pointer (&list, g_ptr_array_unref);

  kl_atlas_client_get_encryption_at_rest_async (client, group, NULL, store_result_cb, &result);
  ear = kl_atlas_client_get_encryption_at_rest_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  kl_azure_key_vault_set_azure_environment (wanted, "AZURE");
  kl_azure_key_vault_set_client_id (wanted, "11111111-2222-3333-4444-555555555555");
  kl_azure_key_vault_set_tenant_id (wanted, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  kl_azure_key_vault_set_subscription_id (wanted, "99999999-8888-7777-6666-555555555555");
  kl_azure_key_vault_set_resource_group_name (wanted, "rg-keys");
  kl_azure_key_vault_set_key_vault_name (wanted, "kv-payments");
  kl_azure_key_vault_set_key_identifier (wanted, "https://kv-payments.vault.azure.net/keys/"
                                                 "atlas/0123456789abcdef0123456789abcdef");
  kl_azure_key_vault_set_secret (wanted, AZURE_SECRET);
  body = kl_encryption_at_rest_build_patch (kl_encryption_at_rest_get_azure_key_vault (ear),
                                            wanted, &error);
  g_assert_no_error (error);
  g_clear_object (&ear);
  kl_atlas_client_patch_encryption_at_rest_async (client, group, body, NULL, store_result_cb,
                                                  &result);
  ear = kl_atlas_client_patch_encryption_at_rest_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_object (&ear);
  g_clear_pointer (&body, g_bytes_unref);

  body = kl_encryption_at_rest_build_private_networking (TRUE);
  kl_atlas_client_patch_encryption_at_rest_async (client, group, body, NULL, store_result_cb,
                                                  &result);
  ear = kl_atlas_client_patch_encryption_at_rest_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  kl_atlas_client_ensure_private_endpoint_async (client, group, "US_EAST_2", NULL,
                                                 store_result_cb, &result);
  endpoint = kl_atlas_client_ensure_private_endpoint_finish (client, wait_result (&result),
                                                             &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  kl_atlas_client_list_clusters_async (client, group, NULL, store_result_cb, &result);
  list = kl_atlas_client_list_clusters_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  kl_atlas_client_set_cluster_encryption_async (client, group, "payments-us", "AZURE", NULL,
                                                store_result_cb, &result);
  cluster = kl_atlas_client_set_cluster_encryption_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  kl_atlas_client_sign_out_async (client, NULL, store_result_cb, &result);
  g_assert_true (kl_atlas_client_sign_out_finish (client, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
}

static void
assert_absent (const char *needle)
{
  if (strstr (captured->str, needle) != NULL)
    g_error ("“%s” leaked into the debug log", needle);
}

static void
assert_present (const char *needle)
{
  if (strstr (captured->str, needle) == NULL)
    g_error ("“%s” is missing from the debug log", needle);
}

static void
test_flow_log (void)
{
  g_autoptr(KlSim) sim = kl_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *digest_pair = NULL;
  const char *groups = "/api/atlas/v2/groups/" KL_SIM_GROUP_READY;
  g_autofree char *patch_line = g_strconcat ("> PATCH ", groups, "/encryptionAtRest HTTP/1.1",
                                             NULL);
  g_autofree char *post_line = g_strconcat ("> POST ", groups,
                                            "/encryptionAtRest/AZURE/privateEndpoints HTTP/1.1",
                                            NULL);

  g_assert_true (kl_http_log_is_enabled ());

  kl_sim_set_time_scale (sim, 0);
  kl_sim_add_api_key (sim, API_PUBLIC_KEY, API_PRIVATE_KEY);
  kl_sim_add_service_account (sim, SA_CLIENT_ID, SA_SECRET);
  g_assert_true (kl_sim_start (sim, 0, &error));
  g_assert_no_error (error);

  run_flow (sim, KL_AUTH_SERVICE_ACCOUNT);
  run_flow (sim, KL_AUTH_API_KEY);
  kl_sim_stop (sim);

  g_test_message ("captured %" G_GSIZE_FORMAT " bytes of log", captured->len);

  /* No secret, private key, client secret or token, in any form. */
  basic = g_base64_encode ((const guchar *) SA_CLIENT_ID ":" SA_SECRET,
                           strlen (SA_CLIENT_ID ":" SA_SECRET));
  digest_pair = g_base64_encode ((const guchar *) API_PUBLIC_KEY ":" API_PRIVATE_KEY,
                                 strlen (API_PUBLIC_KEY ":" API_PRIVATE_KEY));
  assert_absent (API_PRIVATE_KEY);
  assert_absent (SA_SECRET);
  assert_absent (AZURE_SECRET);
  assert_absent (basic);
  assert_absent (digest_pair);
  /* The simulator's tokens all start so. */
  assert_absent ("klsim.");
  assert_absent ("Bearer k");
  /* Digest's response hash is derived from the private key. */
  assert_absent ("response=\"");

  /* The traffic is there… */
  assert_present ("> POST /api/oauth/token HTTP/1.1");
  assert_present ("> POST /api/oauth/revoke HTTP/1.1");
  assert_present ("> GET /api/atlas/v2/groups?itemsPerPage=500&pageNum=1 HTTP/1.1");
  assert_present (patch_line);
  assert_present (post_line);
  assert_present ("> Accept: application/vnd.atlas.2023-01-01+json");
  assert_present ("> Accept: application/vnd.atlas.2024-08-05+json");
  assert_present ("> Content-Type: application/vnd.atlas.2024-10-23+json");
  assert_present ("> User-Agent: Keylink/" PACKAGE_VERSION);
  assert_present ("< HTTP/1.1 200 OK");
  assert_present ("< HTTP/1.1 202 Accepted");
  assert_present ("< WWW-Authenticate: Digest realm=\"MMS Public API\"");
  assert_present ("\"keyVaultName\":\"kv-payments\"");
  assert_present ("grant_type=client_credentials");
  /* …redacted where it matters. */
  assert_present ("> Authorization: [REDACTED]");
  assert_present ("\"secret\":\"[REDACTED]\"");
  assert_present ("\"access_token\":\"[REDACTED]\"");
  assert_present ("token=[REDACTED]&token_type_hint=access_token");
}

int
main (int   argc,
      char *argv[])
{
  captured = g_string_new (NULL);

  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  previous_handler = g_log_set_default_handler (capture_handler, NULL);

  g_test_add_func ("/atlas-log/flow", test_flow_log);

  return g_test_run ();
}
