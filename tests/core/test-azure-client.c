/* test-azure-client.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-azure-client.h"
#include "kl-azure-sim.h"
#include "kl-error.h"
#include "kl-http-log.h"
#include "kl-test-utils.h"

/* The Azure client against the Azure simulator over loopback, in each of the three clouds:
 * every identity-platform, ARM and Key Vault error code of shared/azure/azure-api.md, the
 * faults (429 + Retry-After, a stall past the deadline, malformed JSON), and where the secret
 * goes (only the identity host; never the log). */

static GString *captured;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  gsize i;

  for (i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        g_string_append_printf (captured, "%s\n", (const char *) fields[i].value);
    }

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static const char * const environments[] = { "AZURE", "AZURE_CHINA", "AZURE_US_GOVERNMENT" };

typedef struct
{
  KlAzureSim    *sim;
  KlAzureClient *client;
  KlAzureCloud   cloud;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *environment = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_azure_cloud_from_environment (environment, &fixture->cloud));
  fixture->sim = kl_azure_sim_new (environment);
  g_assert_true (kl_azure_sim_start (fixture->sim, &error));
  g_assert_no_error (error);

  fixture->client = kl_azure_client_new (fixture->cloud, KL_AZURE_SIM_TENANT_ID,
                                         KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_CLIENT_SECRET,
                                         &error);
  g_assert_no_error (error);
  g_assert_true (kl_azure_client_set_endpoints (fixture->client,
                                                kl_azure_sim_get_login_url (fixture->sim),
                                                kl_azure_sim_get_arm_url (fixture->sim),
                                                kl_azure_sim_get_vault_url_template (fixture->sim),
                                                &error));
  g_assert_no_error (error);
  kl_azure_client_set_retry (fixture->client, 4, 10, 2000);
  kl_azure_client_set_deadline (fixture->client, 20);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  kl_azure_sim_stop (fixture->sim);
  g_assert_finalize_object (fixture->sim);
}

static KlAzureVault *
get_vault (Fixture     *fixture,
           const char  *subscription,
           const char  *resource_group,
           const char  *vault,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_azure_client_get_vault_async (fixture->client, subscription, resource_group, vault, NULL,
                                   kl_test_store_result, &result);
  return kl_azure_client_get_vault_finish (fixture->client, kl_test_wait_result (&result, 30000),
                                           error);
}

static KlAzureKey *
get_key (Fixture     *fixture,
         const char  *vault,
         const char  *key,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_azure_client_get_key_async (fixture->client, vault, key, NULL, NULL, kl_test_store_result,
                                 &result);
  return kl_azure_client_get_key_finish (fixture->client, kl_test_wait_result (&result, 30000),
                                         error);
}

static gboolean
sign_in (Fixture  *fixture,
         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_azure_client_sign_in_async (fixture->client, KL_AZURE_RESOURCE_ARM, NULL,
                                 kl_test_store_result, &result);
  return kl_azure_client_sign_in_finish (fixture->client, kl_test_wait_result (&result, 30000),
                                         error);
}

static KlAzureProvider *
get_provider (Fixture  *fixture,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_azure_client_get_provider_async (fixture->client, KL_AZURE_SIM_SUBSCRIPTION_ID,
                                      "Microsoft.Network", NULL, kl_test_store_result, &result);
  return kl_azure_client_get_provider_finish (fixture->client,
                                              kl_test_wait_result (&result, 30000), error);
}

static KlAzureConnection *
approve (Fixture     *fixture,
         const char  *connection,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_azure_client_approve_connection_async (fixture->client, KL_AZURE_SIM_SUBSCRIPTION_ID,
                                            KL_AZURE_SIM_RESOURCE_GROUP, KL_AZURE_SIM_VAULT_NAME,
                                            connection, NULL, NULL, kl_test_store_result,
                                            &result);
  return kl_azure_client_approve_connection_finish (fixture->client,
                                                    kl_test_wait_result (&result, 30000), error);
}

static void
assert_cause (const GError *error,
              KlError       code,
              KlAzureCause  cause,
              const char   *azure_code)
{
  g_assert_error (error, KL_ERROR, (gint) code);
  g_assert_cmpint (kl_azure_error_get_cause (error), ==, cause);
  if (azure_code != NULL)
    g_assert_cmpstr (kl_azure_error_get_code (error), ==, azure_code);
  /* Azure's code has its own slot: never taken for an Atlas one. */
  g_assert_cmpstr (kl_error_get_azure_code (error), ==, kl_azure_error_get_code (error));
  g_assert_null (kl_error_get_atlas_code (error));
  g_assert_null (kl_atlas_error_from_gerror (error));
  /* A sentence that says what to do, never the secret. */
  g_assert_cmpuint (strlen (error->message), >, 20);
  g_assert_null (strstr (error->message, KL_AZURE_SIM_CLIENT_SECRET));
}

/* ------------------------------------------------------------------------------------------ */

static void
test_read_everything (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(KlAzureVault) vault = NULL;
  g_autoptr(KlAzureKey) key = NULL;
  g_autoptr(KlAzureProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_uri = NULL;

  vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                     KL_AZURE_SIM_VAULT_NAME, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vault->name, ==, KL_AZURE_SIM_VAULT_NAME);
  g_assert_cmpstr (vault->location, ==, KL_AZURE_SIM_LOCATION);
  g_assert_cmpint (vault->auth, ==, KL_AZURE_VAULT_AUTH_RBAC);
  expected_uri = kl_azure_cloud_dup_vault_uri (fixture->cloud, KL_AZURE_SIM_VAULT_NAME);
  g_assert_true (kl_azure_vault_uri_equal (vault->vault_uri, expected_uri));
  g_assert_false (kl_azure_vault_is_private_only (vault));

  key = get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key->kty, ==, "RSA");
  g_assert_true (key->enabled);
  g_assert_true (key->has_exp);
  g_assert_false (key->has_nbf);
  g_assert_true (kl_azure_key_has_op (key, "wrapKey"));
  g_assert_true (g_str_has_suffix (key->kid, KL_AZURE_SIM_KEY_VERSION));
  g_assert_nonnull (strstr (key->kid, kl_azure_cloud_get_key_vault_suffix (fixture->cloud)));

  provider = get_provider (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (provider->registration_state, ==, "Registered");
}

typedef struct
{
  const char   *what;
  KlError       code;
  KlAzureCause  cause;
  const char   *azure_code;
} Expect;

/* Identity-platform errors the simulator produces from its state. */
static void
test_token_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAzureClient) other = NULL;

  /* AADSTS90002: a tenant Azure does not know. */
  other = kl_azure_client_new (fixture->cloud, "99999999-1111-4222-8333-444455556666",
                               KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_CLIENT_SECRET, &error);
  g_assert_no_error (error);
  g_assert_true (kl_azure_client_set_endpoints (other, kl_azure_sim_get_login_url (fixture->sim),
                                                NULL, NULL, &error));
  g_set_object (&fixture->client, other);
  g_assert_false (sign_in (fixture, &error));
  assert_cause (error, KL_ERROR_INVALID_INPUT, KL_AZURE_CAUSE_WRONG_TENANT, "AADSTS90002");
  g_assert_nonnull (strstr (error->message, "99999999-1111-4222-8333-444455556666"));
  g_assert_cmpuint (kl_error_get_http_status (error), ==, 400);
  g_clear_error (&error);

  /* AADSTS90038: the tenant is in another cloud. */
  kl_azure_sim_add_foreign_tenant (fixture->sim, "99999999-1111-4222-8333-444455556666");
  g_assert_false (sign_in (fixture, &error));
  assert_cause (error, KL_ERROR_INVALID_INPUT, KL_AZURE_CAUSE_WRONG_CLOUD, "AADSTS90038");
  g_clear_error (&error);
  g_clear_object (&other);
  g_clear_object (&fixture->client);

  /* AADSTS700016: no such application. */
  fixture->client = kl_azure_client_new (fixture->cloud, KL_AZURE_SIM_TENANT_ID,
                                         "00000000-1111-4222-8333-444455556666",
                                         KL_AZURE_SIM_CLIENT_SECRET, &error);
  g_assert_true (kl_azure_client_set_endpoints (fixture->client,
                                                kl_azure_sim_get_login_url (fixture->sim),
                                                NULL, NULL, &error));
  g_assert_false (sign_in (fixture, &error));
  assert_cause (error, KL_ERROR_INVALID_INPUT, KL_AZURE_CAUSE_UNKNOWN_CLIENT, "AADSTS700016");
  g_clear_error (&error);
  g_clear_object (&fixture->client);

  /* AADSTS7000215: wrong secret. */
  fixture->client = kl_azure_client_new (fixture->cloud, KL_AZURE_SIM_TENANT_ID,
                                         KL_AZURE_SIM_CLIENT_ID, "not-the-secret", &error);
  g_assert_true (kl_azure_client_set_endpoints (fixture->client,
                                                kl_azure_sim_get_login_url (fixture->sim),
                                                NULL, NULL, &error));
  g_assert_false (sign_in (fixture, &error));
  assert_cause (error, KL_ERROR_AUTH_FAILED, KL_AZURE_CAUSE_WRONG_SECRET, "AADSTS7000215");
  g_assert_cmpuint (kl_error_get_http_status (error), ==, 401);
  g_clear_error (&error);
  g_clear_object (&fixture->client);

  fixture->client = kl_azure_client_new (fixture->cloud, KL_AZURE_SIM_TENANT_ID,
                                         KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_CLIENT_SECRET,
                                         &error);
  g_assert_true (kl_azure_client_set_endpoints (fixture->client,
                                                kl_azure_sim_get_login_url (fixture->sim),
                                                NULL, NULL, &error));

  /* AADSTS7000222, 7000112, 53003: the application's state. */
  kl_azure_sim_set_app_state (fixture->sim, KL_AZURE_SIM_CLIENT_ID,
                              KL_AZURE_SIM_APP_SECRET_EXPIRED);
  g_assert_false (sign_in (fixture, &error));
  assert_cause (error, KL_ERROR_AUTH_FAILED, KL_AZURE_CAUSE_SECRET_EXPIRED, "AADSTS7000222");
  g_clear_error (&error);
  kl_azure_sim_set_app_state (fixture->sim, KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_APP_DISABLED);
  g_assert_false (sign_in (fixture, &error));
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_APP_DISABLED, "AADSTS7000112");
  g_clear_error (&error);
  kl_azure_sim_set_app_state (fixture->sim, KL_AZURE_SIM_CLIENT_ID,
                              KL_AZURE_SIM_APP_CONDITIONAL_ACCESS);
  g_assert_false (sign_in (fixture, &error));
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_CONDITIONAL_ACCESS, "AADSTS53003");
  g_clear_error (&error);

  kl_azure_sim_set_app_state (fixture->sim, KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_APP_OK);
  g_assert_true (sign_in (fixture, &error));
  g_assert_no_error (error);
}

/* The codes no state of a well-behaved client reaches, as Azure's body would carry them. */
static void
test_token_error_bodies (Fixture       *fixture,
                         gconstpointer  data)
{
  static const struct
  {
    guint         aadsts;
    const char   *oauth;
    guint         status;
    KlError       code;
    KlAzureCause  cause;
  } cases[] = {
    { 7000218, "invalid_client", 401, KL_ERROR_INVALID_INPUT, KL_AZURE_CAUSE_NO_SECRET },
    { 70011, "invalid_scope", 400, KL_ERROR_BAD_REQUEST, KL_AZURE_CAUSE_INVALID_SCOPE },
    { 500011, "invalid_resource", 400, KL_ERROR_INVALID_INPUT, KL_AZURE_CAUSE_WRONG_CLOUD },
    { 900382, "invalid_client", 400, KL_ERROR_INVALID_INPUT, KL_AZURE_CAUSE_WRONG_CLOUD },
    { 900432, "invalid_client", 400, KL_ERROR_INVALID_INPUT, KL_AZURE_CAUSE_WRONG_CLOUD },
    { 50034, "invalid_request", 400, KL_ERROR_AUTH_FAILED, KL_AZURE_CAUSE_SIGN_IN_REFUSED },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *rule = NULL;
      g_autofree char *expected = g_strdup_printf ("AADSTS%u", cases[i].aadsts);

      /* Only error_description carries the code when i is odd: the fallback. */
      if (i % 2 == 0)
        rule = g_strdup_printf ("{\"path\": \"/*/oauth2/v2.0/token\", \"kind\": \"body\", "
                                "\"count\": 1, \"status\": %u, \"body\": {\"error\": \"%s\", "
                                "\"error_description\": \"AADSTS%u: made up. Trace ID: x\", "
                                "\"error_codes\": [%u]}}",
                                cases[i].status, cases[i].oauth, cases[i].aadsts,
                                cases[i].aadsts);
      else
        rule = g_strdup_printf ("{\"path\": \"/*/oauth2/v2.0/token\", \"kind\": \"body\", "
                                "\"count\": 1, \"status\": %u, \"body\": {\"error\": \"%s\", "
                                "\"error_description\": \"AADSTS%u: made up. Trace ID: x\"}}",
                                cases[i].status, cases[i].oauth, cases[i].aadsts);
      g_assert_true (kl_azure_sim_add_fault (fixture->sim, rule, &error));
      g_assert_no_error (error);

      g_assert_false (sign_in (fixture, &error));
      g_test_message ("AADSTS%u: %s", cases[i].aadsts, error->message);
      assert_cause (error, cases[i].code, cases[i].cause, expected);
    }
}

static void
test_arm_errors (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KlAzureVault *vault;

  /* SubscriptionNotFound */
  vault = get_vault (fixture, "22222222-2222-4333-8444-555555555555", KL_AZURE_SIM_RESOURCE_GROUP,
                     KL_AZURE_SIM_VAULT_NAME, &error);
  g_assert_null (vault);
  assert_cause (error, KL_ERROR_NOT_FOUND, KL_AZURE_CAUSE_SUBSCRIPTION_NOT_FOUND,
                "SubscriptionNotFound");
  g_clear_error (&error);

  /* InvalidAuthenticationTokenTenant */
  kl_azure_sim_add_subscription (fixture->sim, "33333333-2222-4333-8444-555555555555",
                                 "44444444-2222-4333-8444-555555555555");
  vault = get_vault (fixture, "33333333-2222-4333-8444-555555555555", KL_AZURE_SIM_RESOURCE_GROUP,
                     KL_AZURE_SIM_VAULT_NAME, &error);
  g_assert_null (vault);
  assert_cause (error, KL_ERROR_INVALID_INPUT, KL_AZURE_CAUSE_TOKEN_TENANT,
                "InvalidAuthenticationTokenTenant");
  g_clear_error (&error);

  /* ResourceGroupNotFound */
  vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, "rg-other", KL_AZURE_SIM_VAULT_NAME,
                     &error);
  g_assert_null (vault);
  assert_cause (error, KL_ERROR_NOT_FOUND, KL_AZURE_CAUSE_RESOURCE_GROUP_NOT_FOUND,
                "ResourceGroupNotFound");
  g_assert_nonnull (strstr (error->message, "rg-other"));
  g_clear_error (&error);

  /* ResourceNotFound: the vault is in another resource group. */
  kl_azure_sim_add_resource_group (fixture->sim, KL_AZURE_SIM_SUBSCRIPTION_ID, "rg-other");
  vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, "rg-other", KL_AZURE_SIM_VAULT_NAME,
                     &error);
  g_assert_null (vault);
  assert_cause (error, KL_ERROR_NOT_FOUND, KL_AZURE_CAUSE_RESOURCE_NOT_FOUND, "ResourceNotFound");
  g_clear_error (&error);

  /* AuthorizationFailed */
  kl_azure_sim_set_app_roles (fixture->sim, KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_ROLE_KEY_READ);
  vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                     KL_AZURE_SIM_VAULT_NAME, &error);
  g_assert_null (vault);
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_NOT_AUTHORIZED, "AuthorizationFailed");
  g_assert_nonnull (strstr (error->message, "Key Vault Reader"));
  g_clear_error (&error);
  g_assert_null (get_provider (fixture, &error));
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_NOT_AUTHORIZED, "AuthorizationFailed");
  g_clear_error (&error);
  kl_azure_sim_set_app_roles (fixture->sim, KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_ROLE_ALL);

  /* The ARM codes the simulator's state does not produce, as ARM's body carries them. */
  {
    static const struct
    {
      const char   *code;
      guint         status;
      KlError       kl_code;
      KlAzureCause  cause;
    } cases[] = {
      { "LinkedAuthorizationFailed", 403, KL_ERROR_FORBIDDEN,
        KL_AZURE_CAUSE_LINKED_NOT_AUTHORIZED },
      { "RequestDisallowedByPolicy", 403, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_POLICY },
      { "MissingSubscriptionRegistration", 409, KL_ERROR_CONFLICT,
        KL_AZURE_CAUSE_NOT_REGISTERED },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *rule = g_strdup_printf ("{\"path\": \"/subscriptions/*\", \"kind\": "
                                                 "\"body\", \"count\": 1, \"status\": %u, "
                                                 "\"body\": {\"error\": {\"code\": \"%s\", "
                                                 "\"message\": \"made up\"}}}",
                                                 cases[i].status, cases[i].code);

        g_assert_true (kl_azure_sim_add_fault (fixture->sim, rule, &error));
        vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                           KL_AZURE_SIM_VAULT_NAME, &error);
        g_assert_null (vault);
        assert_cause (error, cases[i].kl_code, cases[i].cause, cases[i].code);
        g_clear_error (&error);
      }
  }
}

static void
test_vault_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  const char * const no_get[] = { "list", "wrapKey", NULL };
  g_autoptr(GError) error = NULL;

  /* KeyNotFound */
  g_assert_null (get_key (fixture, KL_AZURE_SIM_VAULT_NAME, "no-such-key", &error));
  assert_cause (error, KL_ERROR_NOT_FOUND, KL_AZURE_CAUSE_KEY_NOT_FOUND, "KeyNotFound");
  g_clear_error (&error);

  /* ForbiddenByRbac */
  kl_azure_sim_set_app_roles (fixture->sim, KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_ROLE_VAULT_READ);
  g_assert_null (get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error));
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_FORBIDDEN_BY_RBAC, "ForbiddenByRbac");
  g_clear_error (&error);

  /* ForbiddenByPolicy */
  kl_azure_sim_set_vault_rbac (fixture->sim, KL_AZURE_SIM_VAULT_NAME, FALSE);
  kl_azure_sim_add_access_policy (fixture->sim, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_CLIENT_ID,
                                  no_get);
  g_assert_null (get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error));
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_FORBIDDEN_BY_POLICY,
                "ForbiddenByPolicy");
  g_clear_error (&error);

  /* ForbiddenByFirewall, ForbiddenByConnection */
  kl_azure_sim_set_vault_network (fixture->sim, KL_AZURE_SIM_VAULT_NAME, "Enabled", "Deny",
                                  FALSE);
  g_assert_null (get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error));
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_FORBIDDEN_BY_FIREWALL,
                "ForbiddenByFirewall");
  g_clear_error (&error);
  kl_azure_sim_set_vault_network (fixture->sim, KL_AZURE_SIM_VAULT_NAME, "Disabled", "Deny",
                                  FALSE);
  g_assert_null (get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error));
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_FORBIDDEN_BY_CONNECTION,
                "ForbiddenByConnection");
  g_clear_error (&error);

  /* Unauthorized: the vault is another tenant's; the challenge names it. */
  kl_azure_sim_set_vault_tenant (fixture->sim, KL_AZURE_SIM_VAULT_NAME,
                                 "77777777-2222-4333-8444-555555555555");
  g_assert_null (get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error));
  assert_cause (error, KL_ERROR_AUTH_FAILED, KL_AZURE_CAUSE_VAULT_UNAUTHORIZED, "Unauthorized");
  g_assert_nonnull (strstr (error->message, "77777777-2222-4333-8444-555555555555"));
  g_clear_error (&error);

  /* A vault nobody can reach (no such host): "cannot see from this machine". */
  g_assert_null (get_key (fixture, "kv-nowhere", KL_AZURE_SIM_KEY_NAME, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_NETWORK);
  g_clear_error (&error);

  /* 403 Forbidden without an inner code. */
  g_assert_true (kl_azure_sim_add_fault (fixture->sim,
                                         "{\"path\": \"/*/keys/*\", \"kind\": \"body\", "
                                         "\"count\": 1, \"status\": 403, \"body\": {\"error\": "
                                         "{\"code\": \"Forbidden\", \"message\": \"no\"}}}",
                                         &error));
  g_assert_null (get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error));
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_VAULT_FORBIDDEN, "Forbidden");
}

static void
on_approved (KlAzureSim *sim,
             const char *vault,
             const char *connection,
             gpointer    user_data)
{
  char **out = user_data;

  g_free (*out);
  *out = g_strdup (connection);
}

static void
test_approve (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAzureConnection) connection = NULL;
  g_autoptr(KlAzureVault) vault = NULL;
  g_autofree char *approved = NULL;
  const char *name = "kv-kl.5b2f6c1e-0000-4000-8000-0123456789ab";
  KlAzureConnection *listed;

  g_signal_connect (fixture->sim, "connection-approved", G_CALLBACK (on_approved), &approved);
  g_assert_true (kl_azure_sim_add_pending_connection (fixture->sim, KL_AZURE_SIM_VAULT_NAME, name,
                                                      &error));

  vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                     KL_AZURE_SIM_VAULT_NAME, &error);
  g_assert_no_error (error);
  listed = kl_azure_vault_find_connection (vault, name);
  g_assert_nonnull (listed);
  g_assert_cmpstr (listed->status, ==, "Pending");
  g_assert_nonnull (strstr (listed->private_endpoint_id, "Microsoft.Network/privateEndpoints"));

  /* Without the role: AuthorizationFailed, nothing changes. */
  kl_azure_sim_set_app_roles (fixture->sim, KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_ROLE_VAULT_READ);
  g_assert_null (approve (fixture, name, &error));
  assert_cause (error, KL_ERROR_FORBIDDEN, KL_AZURE_CAUSE_NOT_AUTHORIZED, "AuthorizationFailed");
  g_assert_nonnull (strstr (error->message, "Key Vault Contributor"));
  g_clear_error (&error);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->sim, KL_AZURE_SIM_VAULT_NAME,
                                                       name), ==, "Pending");
  g_assert_null (approved);

  kl_azure_sim_set_app_roles (fixture->sim, KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_ROLE_ALL);
  connection = approve (fixture, name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (connection->name, ==, name);
  g_assert_cmpstr (connection->status, ==, "Approved");
  g_assert_cmpstr (connection->description, ==, "Approved by Keylink for MongoDB Atlas");
  g_assert_cmpstr (approved, ==, name);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->sim, KL_AZURE_SIM_VAULT_NAME,
                                                       name), ==, "Approved");

  /* An unknown connection. */
  g_clear_pointer (&connection, kl_azure_connection_free);
  g_assert_null (approve (fixture, "kv-kl.nope", &error));
  assert_cause (error, KL_ERROR_NOT_FOUND, KL_AZURE_CAUSE_RESOURCE_NOT_FOUND, "ResourceNotFound");
}

/* ------------------------------------------------------------------------------------------ */
/* Faults                                                                                      */

static guint
count_requests (KlAzureSim        *sim,
                KlAzureSimService  service)
{
  g_autoptr(GPtrArray) requests = kl_azure_sim_dup_requests (sim);
  guint n = 0;
  guint i;

  for (i = 0; i < requests->len; i++)
    if (((KlAzureSimRequest *) g_ptr_array_index (requests, i))->service == service)
      n++;
  return n;
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAzureVault) vault = NULL;
  gint64 start;

  g_assert_true (kl_azure_sim_add_fault (fixture->sim,
                                         "{\"path\": \"/subscriptions/*\", \"kind\": "
                                         "\"retry_after\", \"retryAfter\": 1, \"count\": 1}",
                                         &error));
  start = g_get_monotonic_time ();
  vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                     KL_AZURE_SIM_VAULT_NAME, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vault);
  /* It waited what Azure asked, and asked twice. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (count_requests (fixture->sim, KL_AZURE_SIM_SERVICE_ARM), ==, 2);

  /* A wait longer than the cap (2 s here) is the user's to decide. */
  kl_azure_sim_clear_requests (fixture->sim);
  g_assert_true (kl_azure_sim_add_fault (fixture->sim,
                                         "{\"path\": \"/subscriptions/*\", \"kind\": "
                                         "\"retry_after\", \"retryAfter\": 120, \"count\": 1}",
                                         &error));
  g_clear_pointer (&vault, kl_azure_vault_unref);
  vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                     KL_AZURE_SIM_VAULT_NAME, &error);
  g_assert_null (vault);
  assert_cause (error, KL_ERROR_RATE_LIMITED, KL_AZURE_CAUSE_THROTTLED, NULL);
  g_assert_cmpuint (kl_error_get_retry_after (error), ==, 120);
  g_assert_nonnull (strstr (error->message, "120"));
  g_assert_cmpuint (count_requests (fixture->sim, KL_AZURE_SIM_SERVICE_ARM), ==, 1);
}

static void
test_stall_deadline (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KlAzureKey *key;
  gint64 start;

  kl_azure_client_set_deadline (fixture->client, 1);
  g_assert_true (kl_azure_sim_add_fault (fixture->sim,
                                         "{\"path\": \"/*/keys/*\", \"kind\": \"stall\"}",
                                         &error));
  start = g_get_monotonic_time ();
  key = get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error);
  g_assert_null (key);
  g_assert_error (error, KL_ERROR, KL_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "key vault"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (10 * G_USEC_PER_SEC));
  g_assert_cmpuint (kl_azure_sim_count_stalled (fixture->sim), >=, 1);
  kl_azure_sim_clear_faults (fixture->sim);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* A cut vault answer, a cut token answer, a key answer of the wrong shape. */
  g_assert_true (kl_azure_sim_add_fault (fixture->sim,
                                         "{\"path\": \"/subscriptions/*\", \"kind\": "
                                         "\"malformed\", \"count\": 1}", &error));
  g_assert_null (get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                            KL_AZURE_SIM_VAULT_NAME, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "Azure Resource Manager"));
  g_clear_error (&error);

  kl_azure_client_forget_tokens (fixture->client);
  g_assert_true (kl_azure_sim_add_fault (fixture->sim,
                                         "{\"path\": \"/*/oauth2/v2.0/token\", \"kind\": "
                                         "\"malformed\", \"count\": 1}", &error));
  g_assert_false (sign_in (fixture, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  g_assert_true (kl_azure_sim_add_fault (fixture->sim,
                                         "{\"path\": \"/*/keys/*\", \"kind\": \"body\", "
                                         "\"count\": 1, \"body\": [1, 2, 3]}", &error));
  g_assert_null (get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  /* Then all is well again. */
  g_assert_true (sign_in (fixture, &error));
  g_assert_no_error (error);
}

/* An answer over the client's 4 MiB: refused as told by its Content-Length, and as it grows
 * when it comes chunked, never read whole. The same key answer a little padded is read. */
static void
test_answer_too_large (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct
  {
    guint    pad_bytes;
    gboolean chunked;
  } cases[] = {
    { 1024, FALSE },
    { 1024, TRUE },
    { 5 * 1024 * 1024, FALSE },
    { 5 * 1024 * 1024, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlAzureKey) key = NULL;
      g_autofree char *fault = NULL;

      fault = g_strdup_printf ("{\"path\": \"/*/keys/*\", \"kind\": \"body\", \"count\": 1, "
                               "\"body\": {\"key\": {\"kty\": \"RSA\", \"kid\": \"k\"}}, "
                               "\"padBytes\": %u, \"chunked\": %s}",
                               cases[i].pad_bytes, cases[i].chunked ? "true" : "false");
      g_assert_true (kl_azure_sim_add_fault (fixture->sim, fault, &error));
      key = get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error);
      if (cases[i].pad_bytes < 4 * 1024 * 1024)
        {
          g_assert_no_error (error);
          g_assert_nonnull (key);
        }
      else
        {
          g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
          g_assert_null (key);
        }
    }
}

static void
test_expired_token_renewed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAzureVault) vault = NULL;

  g_assert_true (sign_in (fixture, &error));
  /* The simulator's clock moves past the token's life: ARM answers 401, the client gets a new
   * token once and the call succeeds. */
  kl_azure_sim_advance (fixture->sim, 4000);
  vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                     KL_AZURE_SIM_VAULT_NAME, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_requests (fixture->sim, KL_AZURE_SIM_SERVICE_LOGIN), ==, 2);
}

/* ------------------------------------------------------------------------------------------ */
/* The secret                                                                                  */

static void
test_secret_only_to_identity_host (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAzureVault) vault = NULL;
  g_autoptr(KlAzureKey) key = NULL;
  g_autoptr(KlAzureProvider) provider = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *escaped = g_uri_escape_string (KL_AZURE_SIM_CLIENT_SECRET, NULL, FALSE);
  guint with_secret = 0;
  guint i;

  g_assert_true (kl_http_log_is_enabled ());
  g_string_truncate (captured, 0);

  vault = get_vault (fixture, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                     KL_AZURE_SIM_VAULT_NAME, &error);
  g_assert_no_error (error);
  key = get_key (fixture, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, &error);
  g_assert_no_error (error);
  provider = get_provider (fixture, &error);
  g_assert_no_error (error);
  /* A refused secret too. */
  g_assert_true (kl_azure_sim_add_fault (fixture->sim,
                                         "{\"path\": \"/*/oauth2/v2.0/token\", \"kind\": "
                                         "\"body\", \"count\": 1, \"status\": 401, \"body\": "
                                         "{\"error\": \"invalid_client\", \"error_codes\": "
                                         "[7000215]}}", &error));
  kl_azure_client_forget_tokens (fixture->client);
  g_assert_false (sign_in (fixture, &error));
  g_clear_error (&error);

  requests = kl_azure_sim_dup_requests (fixture->sim);
  g_assert_cmpuint (requests->len, >=, 6);
  for (i = 0; i < requests->len; i++)
    {
      KlAzureSimRequest *request = g_ptr_array_index (requests, i);

      if (request->carried_secret)
        {
          with_secret++;
          g_assert_cmpint (request->service, ==, KL_AZURE_SIM_SERVICE_LOGIN);
          g_assert_true (g_str_has_suffix (request->path, "/oauth2/v2.0/token"));
        }
    }
  /* ARM token, Key Vault token, the refused one. */
  g_assert_cmpuint (with_secret, ==, 3);

  /* The traffic was logged, the secret and the tokens were not. */
  g_assert_nonnull (strstr (captured->str, "oauth2/v2.0/token"));
  g_assert_nonnull (strstr (captured->str, "Microsoft.KeyVault/vaults"));
  g_assert_null (strstr (captured->str, KL_AZURE_SIM_CLIENT_SECRET));
  g_assert_null (strstr (captured->str, escaped));
  g_assert_null (strstr (captured->str, "sim-at-"));
}

static void
test_overrides_loopback_only (void)
{
  g_autoptr(KlAzureClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  client = kl_azure_client_new (KL_AZURE_CLOUD_PUBLIC, KL_AZURE_SIM_TENANT_ID,
                                KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_CLIENT_SECRET, &error);
  g_assert_no_error (error);

  g_assert_false (kl_azure_client_set_endpoints (client, "https://login.example.com", NULL, NULL,
                                                 &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INSECURE_URL);
  g_clear_error (&error);
  g_assert_false (kl_azure_client_set_endpoints (client, NULL, "http://10.0.0.1:8080", NULL,
                                                 &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INSECURE_URL);
  g_clear_error (&error);
  g_assert_false (kl_azure_client_set_endpoints (client, NULL, NULL,
                                                 "https://{vault}.example.com", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INSECURE_URL);
  g_clear_error (&error);

  /* Without overrides the data plane is the cloud's own host. */
  uri = kl_azure_client_dup_vault_url (client, "KV-KL");
  g_assert_cmpstr (uri, ==, "https://kv-kl.vault.azure.net");
  g_clear_pointer (&uri, g_free);
  g_clear_object (&client);

  client = kl_azure_client_new (KL_AZURE_CLOUD_US_GOVERNMENT, KL_AZURE_SIM_TENANT_ID,
                                KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_CLIENT_SECRET, &error);
  uri = kl_azure_client_dup_vault_url (client, "kv-kl");
  g_assert_cmpstr (uri, ==, "https://kv-kl.vault.usgovcloudapi.net");

  /* Bad values never reach the network. */
  g_assert_null (kl_azure_client_new (KL_AZURE_CLOUD_PUBLIC, "not-a-guid", KL_AZURE_SIM_CLIENT_ID,
                                      "x", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (kl_azure_client_new (KL_AZURE_CLOUD_PUBLIC, KL_AZURE_SIM_TENANT_ID,
                                      KL_AZURE_SIM_CLIENT_ID, "", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
}

static void
test_clouds (void)
{
  KlAzureCloud cloud;

  g_assert_true (kl_azure_cloud_from_environment ("AZURE_CHINA", &cloud));
  g_assert_cmpint (cloud, ==, KL_AZURE_CLOUD_CHINA);
  g_assert_cmpstr (kl_azure_cloud_get_login_url (cloud), ==, "https://login.chinacloudapi.cn");
  g_assert_cmpstr (kl_azure_cloud_get_arm_scope (KL_AZURE_CLOUD_US_GOVERNMENT), ==,
                   "https://management.usgovcloudapi.net/.default");
  g_assert_cmpstr (kl_azure_cloud_get_key_vault_scope (KL_AZURE_CLOUD_PUBLIC), ==,
                   "https://vault.azure.net/.default");
  g_assert_false (kl_azure_cloud_from_environment ("azure", NULL));
  g_assert_true (kl_azure_vault_uri_equal ("https://KV-kl.vault.azure.net/",
                                           "https://kv-kl.vault.azure.net"));
  g_assert_false (kl_azure_vault_uri_equal ("https://kv-kl.vault.azure.net",
                                            "https://kv-kl.vault.azure.cn"));
}

static void
add (const char *name,
     void      (*func) (Fixture *, gconstpointer))
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (environments); i++)
    {
      g_autofree char *path = g_strdup_printf ("/azure-client/%s/%s", environments[i], name);

      g_test_add (path, Fixture, environments[i], fixture_set_up, func, fixture_tear_down);
    }
}

int
main (int   argc,
      char *argv[])
{
  captured = g_string_new (NULL);
  /* The HTTP log on, every line captured: the secret test reads it. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/azure-client/clouds", test_clouds);
  g_test_add_func ("/azure-client/overrides-loopback-only", test_overrides_loopback_only);
  add ("read-everything", test_read_everything);
  add ("token-errors", test_token_errors);
  add ("token-error-bodies", test_token_error_bodies);
  add ("arm-errors", test_arm_errors);
  add ("vault-errors", test_vault_errors);
  add ("approve", test_approve);
  add ("retry-after", test_retry_after);
  add ("stall-deadline", test_stall_deadline);
  add ("malformed", test_malformed);
  add ("answer-too-large", test_answer_too_large);
  add ("expired-token-renewed", test_expired_token_renewed);
  add ("secret-only-to-identity-host", test_secret_only_to_identity_host);

  return g_test_run ();
}
