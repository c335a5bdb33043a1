/* test-sim-ear.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-sim-api.h"

/* The simulated encryption at rest over loopback: the Azure Key Vault provider (enabling it,
 * its validation, refused credentials and keys, private networking) and its private endpoints
 * (their state machine, the Azure side's approvals and rejections, the time scale). Every
 * /api/atlas/v2 answer is checked against the spec by sim_request(). */

#define KEY_ID_V2 "https://klsimvault.vault.azure.net/keys/atlas-cmk/fedcba9876543210fedcba9876543210"

/* Encryption at rest */

static JsonObject *
provider (SimResponse *response,
          const char  *name)
{
  return json_object_get_object_member (sim_object (response), name);
}

static void
assert_unconfigured (JsonObject *object)
{
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_false (json_object_get_boolean_member (object, "enabled"));
  g_assert_false (json_object_get_boolean_member (object, "valid"));
}

static void
test_ear_unconfigured (SimFixture    *f,
                       gconstpointer  data)
{
  g_autoptr(SimResponse) response = sim_get (f, READY_EAR, V20230101);

  sim_assert_ok (response, 200, V20230101);
  assert_unconfigured (provider (response, "azureKeyVault"));
  assert_unconfigured (provider (response, "awsKms"));
  assert_unconfigured (provider (response, "googleCloudKms"));
}

#define FULL_AZURE \
  "{\"azureKeyVault\": {\"enabled\": true, \"azureEnvironment\": \"AZURE\"," \
  "\"clientID\": \"%s\", \"tenantID\": \"1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"," \
  "\"secret\": \"made-up-azure-secret\"," \
  "\"subscriptionID\": \"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\"," \
  "\"resourceGroupName\": \"rg-keylink\", \"keyVaultName\": \"klsimvault\"," \
  "\"keyIdentifier\": \"%s\"}}"

static char *
azure_body (const char *client_id,
            const char *key_identifier)
{
  return g_strdup_printf (FULL_AZURE, client_id, key_identifier);
}

static void
test_ear_enable (SimFixture    *f,
                 gconstpointer  data)
{
  g_autofree char *body = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31", KEY_ID_V1);
  g_autoptr(SimResponse) partial = NULL;
  g_autoptr(SimResponse) enabled = NULL;
  g_autoptr(SimResponse) read_back = NULL;
  g_autoptr(SimResponse) rotated = NULL;
  JsonObject *akv;
  JsonArray *missing;

  partial = sim_send (f, "PATCH", READY_EAR, V20230101,
                      "{\"azureKeyVault\": {\"enabled\": true, \"keyVaultName\": \"klsimvault\"}}");
  sim_assert_error (partial, 400, "MISSING_ATTRIBUTE");
  missing = error_parameters (partial);
  g_assert_cmpuint (json_array_get_length (missing), ==, 7);
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, "azureEnvironment");

  enabled = sim_send (f, "PATCH", READY_EAR, V20230101, body);
  sim_assert_ok (enabled, 200, V20230101);
  akv = provider (enabled, "azureKeyVault");
  g_assert_true (json_object_get_boolean_member (akv, "enabled"));
  g_assert_true (json_object_get_boolean_member (akv, "valid"));
  g_assert_false (json_object_get_boolean_member (akv, "requirePrivateNetworking"));
  g_assert_false (json_object_has_member (akv, "secret"));
  g_assert_null (strstr (g_bytes_get_data (enabled->body, NULL), "made-up-azure-secret"));
  assert_unconfigured (provider (enabled, "awsKms"));

  read_back = sim_get (f, READY_EAR, V20230101);
  sim_assert_ok (read_back, 200, V20230101);
  g_assert_true (json_node_equal (read_back->json, enabled->json));

  /* Later PATCHes may be partial: rotate the key. */
  rotated = sim_send (f, "PATCH", READY_EAR, V20230101,
                      "{\"azureKeyVault\": {\"keyIdentifier\": \"" KEY_ID_V2 "\"}}");
  sim_assert_ok (rotated, 200, V20230101);
  akv = provider (rotated, "azureKeyVault");
  g_assert_cmpstr (json_object_get_string_member (akv, "keyIdentifier"), ==, KEY_ID_V2);
  g_assert_cmpstr (json_object_get_string_member (akv, "resourceGroupName"), ==, "rg-keylink");
  g_assert_true (json_object_get_boolean_member (akv, "valid"));
}

static void
test_ear_validation (SimFixture    *f,
                     gconstpointer  data)
{
  const struct
  {
    const char *body;
    const char *code;
  } cases[] = {
    { "{\"azureKeyVault\": {\"colour\": \"blue\"}}", "INVALID_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"valid\": true}}", "ATTRIBUTE_READ_ONLY" },
    { "{\"azureKeyVault\": {\"enabled\": \"yes\"}}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"clientID\": \"not-a-guid\"}}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"keyVaultName\": \"my--vault\"}}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"resourceGroupName\": \"rg.\"}}", "INVALID_JSON_ATTRIBUTE" },
    /* U+202E and U+2028, whose low bytes are '.' and '(' (allowed), are not. */
    { "{\"azureKeyVault\": {\"resourceGroupName\": \"rg\xe2\x80\xae" "gk\"}}",
      "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"resourceGroupName\": \"rg\xe2\x80\xa8" "1\"}}",
      "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"keyIdentifier\": \"https://v.vault.azure.net/keys/k\"}}",
      "AZURE_KEY_VAULT_KEY_IDENTIFIER_INVALID_FORMAT" },
    { "{\"azureKeyVault\": {\"azureEnvironment\": \"AZURE_MARS\"}}", "INVALID_ENUM_VALUE" },
    { "{\"azureKeyVault\": {\"secret\": null}}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": []}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"enabled\": false, \"keyVaultName\": \"klsimvault\"}}",
      "VALIDATION_ERROR" },
    { "{\"awsKms\": {\"enabled\": true}}", "SIM_PROVIDER_NOT_SIMULATED" },
    { "{\"somethingElse\": {}}", "INVALID_ATTRIBUTE" },
    { "{\"requirePrivateNetworking\": true}", "INVALID_ATTRIBUTE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimResponse) response = sim_send (f, "PATCH", READY_EAR, V20230101,
                                                  cases[i].body);

      g_test_message ("case %u: %s", i, cases[i].body);
      sim_assert_error (response, 400, cases[i].code);
    }

  /* A key outside the configured vault or Azure cloud. */
  {
    g_autofree char *other_vault = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31",
                                               "https://othervault.vault.azure.net/keys/k/"
                                               "0123456789abcdef0123456789abcdef");
    g_autofree char *other_cloud = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31",
                                               "https://klsimvault.vault.azure.cn/keys/k/"
                                               "0123456789abcdef0123456789abcdef");
    g_autoptr(SimResponse) r1 = sim_send (f, "PATCH", READY_EAR, V20230101, other_vault);
    g_autoptr(SimResponse) r2 = sim_send (f, "PATCH", READY_EAR, V20230101, other_cloud);
    g_autoptr(SimResponse) still = sim_get (f, READY_EAR, V20230101);
    g_autoptr(SimResponse) noop = sim_send (f, "PATCH", READY_EAR, V20230101,
                                            "{\"awsKms\": {\"enabled\": false}, "
                                            "\"azureKeyVault\": {\"enabled\": false}}");

    /* Atlas finds no such key in the configured vault; a vault of another cloud cannot be
     * one of this environment's. */
    sim_assert_error (r1, 400, "AZURE_KEY_VAULT_KEY_NOT_FOUND");
    g_assert_cmpuint (json_array_get_length (error_parameters (r1)), ==, 0);
    g_assert_cmpstr (sim_member_string (r1, "detail"), ==,
                     "No Azure Key Vault key found for the provided credentials.");
    sim_assert_error (r2, 400, "AZURE_KEY_VAULT_KEY_IDENTIFIER_INVALID_FORMAT");
    g_assert_cmpstr (sim_member_string (r2, "detail"), ==,
                     "Invalid format for Azure Key Vault Key Identifier.");
    assert_unconfigured (provider (still, "azureKeyVault"));
    sim_assert_ok (noop, 200, V20230101);
  }
}

static void
test_ear_bad_credentials (SimFixture    *f,
                          gconstpointer  data)
{
  g_autofree char *bad = azure_body (KL_SIM_BAD_AZURE_CLIENT_ID, KEY_ID_V1);
  g_autoptr(SimResponse) response = sim_send (f, "PATCH", READY_EAR, V20230101, bad);
  g_autoptr(SimResponse) after = sim_get (f, READY_EAR, V20230101);
  g_autoptr(SimResponse) later = NULL;

  sim_assert_error (response, 400, "INVALID_AZURE_CREDENTIALS");
  sim_assert_ok (after, 200, V20230101);
  assert_unconfigured (provider (after, "azureKeyVault"));

  /* Also on a later PATCH that changes the client ID. */
  sim_enable_cmk (f, KL_SIM_GROUP_READY, FALSE);
  later = sim_send (f, "PATCH", READY_EAR, V20230101,
                    "{\"azureKeyVault\": {\"clientID\": \"" KL_SIM_BAD_AZURE_CLIENT_ID "\"}}");
  sim_assert_error (later, 400, "INVALID_AZURE_CREDENTIALS");
}

static void
test_ear_unusable_key (SimFixture    *f,
                       gconstpointer  data)
{
  g_autofree char *body = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31",
                                      "https://klsimvault.vault.azure.net/keys/"
                                      KL_SIM_UNUSABLE_KEY_NAME "/0123456789abcdef0123456789abcdef");
  g_autoptr(SimResponse) enabled = sim_send (f, "PATCH", READY_EAR, V20230101, body);
  g_autoptr(SimResponse) cluster = NULL;
  g_autoptr(SimResponse) fixed = NULL;
  JsonObject *akv;

  sim_assert_ok (enabled, 200, V20230101);
  akv = provider (enabled, "azureKeyVault");
  g_assert_true (json_object_get_boolean_member (akv, "enabled"));
  g_assert_false (json_object_get_boolean_member (akv, "valid"));

  cluster = sim_send (f, "PATCH", READY "/clusters/payments-us", V20241023,
                      "{\"encryptionAtRestProvider\": \"AZURE\"}");
  sim_assert_error (cluster, 400, "ENCRYPTION_AT_REST_NOT_ENABLED");

  fixed = sim_send (f, "PATCH", READY_EAR, V20230101,
                    "{\"azureKeyVault\": {\"keyIdentifier\": \"" KEY_ID_V1 "\"}}");
  sim_assert_ok (fixed, 200, V20230101);
  g_assert_true (json_object_get_boolean_member (provider (fixed, "azureKeyVault"), "valid"));
}

/* Keys Atlas's checks refuse, with the catalogue's codes; and a paused project's key can be
 * configured (the Group has no state: nothing is "inactive"). */
static void
test_ear_refused_keys (SimFixture    *f,
                       gconstpointer  data)
{
  const struct
  {
    const char *key_name;
    const char *code;
    const char *detail;
  } cases[] = {
    { KL_SIM_EXPIRED_KEY_NAME, "AZURE_KEY_VAULT_KEY_EXPIRED", "The key has expired." },
    { KL_SIM_DISABLED_KEY_NAME, "AZURE_KEY_VAULT_KEY_NOT_ENABLED", "Key not enabled." },
    { KL_SIM_NO_ACCESS_KEY_NAME, "NO_PERMISSION_TO_ENCRYPT_DECRYPT",
      "The provided credentials do not have permission to encrypt or decrypt with the key." },
  };
  g_autofree char *body = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31", KEY_ID_V1);
  g_autoptr(SimResponse) paused = sim_send (f, "PATCH", PAUSED "/encryptionAtRest", V20230101,
                                            body);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = g_strdup_printf ("https://klsimvault.vault.azure.net/keys/%s/"
                                              "0123456789abcdef0123456789abcdef",
                                              cases[i].key_name);
      g_autofree char *refused = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31", key);
      g_autoptr(SimResponse) response = sim_send (f, "PATCH", READY_EAR, V20230101, refused);
      g_autoptr(SimResponse) after = sim_get (f, READY_EAR, V20230101);

      g_test_message ("key %s", cases[i].key_name);
      sim_assert_error (response, 400, cases[i].code);
      g_assert_cmpstr (sim_member_string (response, "detail"), ==, cases[i].detail);
      assert_unconfigured (provider (after, "azureKeyVault"));
    }

  sim_assert_ok (paused, 200, V20230101);
  g_assert_true (json_object_get_boolean_member (provider (paused, "azureKeyVault"), "valid"));
}

static void
test_ear_private_networking (SimFixture    *f,
                             gconstpointer  data)
{
  g_autofree char *endpoint = NULL;
  g_autoptr(SimResponse) without_cmk = NULL;
  g_autoptr(SimResponse) multicloud = NULL;
  g_autoptr(SimResponse) frozen = NULL;
  g_autoptr(SimResponse) frozen_rg = NULL;
  g_autoptr(SimResponse) same_value = NULL;
  g_autoptr(SimResponse) rpn_off = NULL;
  g_autoptr(SimResponse) disable = NULL;
  g_autoptr(SimResponse) disable_deleting = NULL;
  g_autoptr(SimResponse) deleted = NULL;
  g_autoptr(SimResponse) rpn_off_ok = NULL;
  g_autoptr(SimResponse) disabled = NULL;
  g_autofree char *endpoint_path = NULL;
  JsonArray *params;

  without_cmk = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                          "{\"azureKeyVault\": {\"requirePrivateNetworking\": true}}");
  sim_assert_error (without_cmk, 400, "REQUIRE_PRIVATE_NETWORKING_REQUIRES_ENCRYPTION_AT_REST");

  /* Turning private networking on disables (pauses) multi-cloud clusters. */
  multicloud = sim_get (f, MIXED "/clusters/analytics-multicloud", V20240805);
  g_assert_false (json_object_get_boolean_member (sim_object (multicloud), "paused"));
  sim_enable_cmk (f, KL_SIM_GROUP_MIXED, TRUE);
  g_clear_pointer (&multicloud, sim_response_free);
  multicloud = sim_get (f, MIXED "/clusters/analytics-multicloud", V20240805);
  sim_assert_ok (multicloud, 200, V20240805);
  g_assert_true (json_object_get_boolean_member (sim_object (multicloud), "paused"));

  /* keyVaultName, resourceGroupName and subscriptionID are frozen now. */
  frozen = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                     "{\"azureKeyVault\": {\"keyVaultName\": \"othervault\"}}");
  sim_assert_error (frozen, 400, "CANNOT_MODIFY_AZURE_KEY_VAULT_FIELDS_WITH_PRIVATE_NETWORKING");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (frozen), 0), ==,
                   "keyVaultName");
  frozen_rg = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                        "{\"azureKeyVault\": {\"requirePrivateNetworking\": false, "
                        "\"resourceGroupName\": \"rg-other\"}}");
  sim_assert_error (frozen_rg, 400, "CANNOT_MODIFY_AZURE_KEY_VAULT_FIELDS_WITH_PRIVATE_NETWORKING");
  same_value = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                         "{\"azureKeyVault\": {\"keyVaultName\": \"KLSIMVAULT\"}}");
  sim_assert_ok (same_value, 200, V20230101);

  endpoint = sim_create_endpoint (f, KL_SIM_GROUP_MIXED, "US_WEST_2");
  rpn_off = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                      "{\"azureKeyVault\": {\"requirePrivateNetworking\": false}}");
  sim_assert_error (rpn_off, 400,
                    "CANNOT_DISABLE_ENCRYPTION_AT_REST_REQUIRE_PRIVATE_NETWORKING_WHILE_PRIVATE_ENDPOINTS_EXIST");
  params = error_parameters (rpn_off);
  g_assert_cmpuint (json_array_get_length (params), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (params, 0), ==, "US_WEST_2");
  g_assert_cmpstr (sim_member_string (rpn_off, "detail"), ==,
                   "Cannot disable requirePrivateNetworking field when there are private "
                   "endpoints. Remove private endpoints in region(s) US_WEST_2 to disable "
                   "requirePrivateNetworking.");

  /* As recorded: parameters [] and Atlas's detail. */
  disable = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                      "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_error (disable, 400, "CANNOT_DISABLE_ENCRYPTION_AT_REST_DUE_TO_PRIVATE_ENDPOINTS");
  g_assert_cmpuint (json_array_get_length (error_parameters (disable)), ==, 0);
  g_assert_cmpstr (sim_member_string (disable, "detail"), ==,
                   "Encryption at Rest cannot be disabled when private endpoints are present.");

  /* A DELETING endpoint still counts. */
  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS);
  endpoint_path = g_strdup_printf (MIXED "/encryptionAtRest/AZURE/privateEndpoints/%s", endpoint);
  deleted = sim_send (f, "DELETE", endpoint_path, V20230101, NULL);
  sim_assert_ok (deleted, 204, V20230101);
  disable_deleting = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                               "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_error (disable_deleting, 400,
                    "CANNOT_DISABLE_ENCRYPTION_AT_REST_DUE_TO_PRIVATE_ENDPOINTS");

  kl_sim_advance (f->sim, KL_SIM_DELETING_SECONDS);
  rpn_off_ok = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                         "{\"azureKeyVault\": {\"requirePrivateNetworking\": false}}");
  sim_assert_ok (rpn_off_ok, 200, V20230101);
  g_assert_false (json_object_get_boolean_member (provider (rpn_off_ok, "azureKeyVault"),
                                                  "requirePrivateNetworking"));
  disabled = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                       "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_ok (disabled, 200, V20230101);
  assert_unconfigured (provider (disabled, "azureKeyVault"));
}

/* Private endpoints */

static void
test_endpoints_lifecycle (SimFixture    *f,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *status = NULL;
  g_autofree char *approve = NULL;
  g_autoptr(SimResponse) before = NULL;
  g_autoptr(SimResponse) listed = NULL;
  g_autoptr(SimResponse) initiating = NULL;
  g_autoptr(SimResponse) blocked = NULL;
  g_autoptr(SimResponse) pending = NULL;
  g_autoptr(SimResponse) approved = NULL;
  g_autoptr(SimResponse) deleted = NULL;
  g_autoptr(SimResponse) deleting = NULL;
  g_autoptr(SimResponse) empty = NULL;
  g_autoptr(GRegex) connection_name = NULL;
  JsonArray *params;
  const char *name;

  before = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"US_EAST_2\"}");
  sim_assert_error (before, 400, "ENCRYPTION_AT_REST_PRIVATE_NETWORKING_NOT_ENABLED");

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  id = sim_create_endpoint (f, KL_SIM_GROUP_READY, "US_EAST_2");
  g_assert_cmpuint (strlen (id), ==, 24);
  path = g_strdup_printf (READY_PES "/%s", id);

  initiating = sim_get (f, path, V20230101);
  sim_assert_ok (initiating, 200, V20230101);
  g_assert_cmpstr (sim_member_string (initiating, "status"), ==, "INITIATING");
  g_assert_cmpstr (sim_member_string (initiating, "cloudProvider"), ==, "AZURE");
  g_assert_null (sim_member_string (initiating, "privateEndpointConnectionName"));
  g_assert_null (sim_member_string (initiating, "errorMessage"));

  listed = sim_get (f, READY_PES, V20230101);
  sim_assert_ok (listed, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (listed), "totalCount"), ==, 1);
  g_assert_nonnull (find_by (results (listed), "id", id));

  blocked = sim_send (f, "DELETE", path, V20230101, NULL);
  sim_assert_error (blocked, 400,
                    "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING");
  /* As recorded: [[id]], one parameter that is a list of one id, and Atlas's detail. */
  params = error_parameters (blocked);
  g_assert_cmpuint (json_array_get_length (params), ==, 1);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_array_get_element (params, 0)));
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (params, 0)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (params, 0), 0),
                   ==, id);
  {
    g_autofree char *detail = g_strdup_printf ("Failed to delete Encryption at Rest Private "
                                               "endpoint with id [%s] during IN_PROGRESS state. "
                                               "Please try again later.", id);

    g_assert_cmpstr (sim_member_string (blocked, "detail"), ==, detail);
  }

  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS - 1);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, id);
  g_assert_cmpstr (status, ==, "INITIATING");
  g_clear_pointer (&status, g_free);
  kl_sim_advance (f->sim, 1);
  pending = sim_get (f, path, V20230101);
  sim_assert_ok (pending, 200, V20230101);
  g_assert_cmpstr (sim_member_string (pending, "status"), ==, "PENDING_ACCEPTANCE");
  name = sim_member_string (pending, "privateEndpointConnectionName");
  connection_name = g_regex_new ("^klsimvault\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                 "[0-9a-f]{12}$", 0, 0, NULL);
  g_assert_true (g_regex_match (connection_name, name, 0, NULL));

  /* Approval in "Azure": Atlas notices it after about 3 minutes. */
  approve = g_strdup_printf ("/__sim/groups/%s/privateEndpoints/%s/approve",
                             KL_SIM_GROUP_READY, id);
  approved = sim_control (f, "POST", approve, NULL);
  g_assert_cmpuint (approved->status, ==, 200);
  g_assert_true (kl_schema_check_value (sim_schema (), "EARPrivateEndpoint", approved->json, NULL));
  kl_sim_advance (f->sim, KL_SIM_ACTIVATION_SECONDS - 1);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, id);
  g_assert_cmpstr (status, ==, "PENDING_ACCEPTANCE");
  g_clear_pointer (&status, g_free);
  kl_sim_advance (f->sim, 1);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, id);
  g_assert_cmpstr (status, ==, "ACTIVE");
  g_clear_pointer (&status, g_free);

  deleted = sim_send (f, "DELETE", path, V20230101, NULL);
  sim_assert_ok (deleted, 204, V20230101);
  deleting = sim_get (f, path, V20230101);
  sim_assert_ok (deleting, 200, V20230101);
  g_assert_cmpstr (sim_member_string (deleting, "status"), ==, "DELETING");
  kl_sim_advance (f->sim, KL_SIM_DELETING_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, id);
  g_assert_null (status);
  empty = sim_get (f, READY_PES, V20230101);
  sim_assert_ok (empty, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (empty), "totalCount"), ==, 0);
}

/* A region Atlas knows and Keylink's built-in list does not: the simulator takes it and
 * follows it to ACTIVE, while data/atlas/regions.json stays without it. */
static void
test_endpoints_new_region (SimFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *regions_path = g_build_filename (g_getenv ("KL_SHARED_DIR"), "atlas",
                                                    "regions.json", NULL);
  g_autofree char *regions = NULL;
  g_autofree char *id = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (regions_path, &regions, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (strstr (regions, KL_SIM_NEW_AZURE_REGION));

  sim_enable_cmk (f, KL_SIM_GROUP_NEW_REGION, TRUE);
  id = sim_create_endpoint (f, KL_SIM_GROUP_NEW_REGION, KL_SIM_NEW_AZURE_REGION);
  status = sim_endpoint_status (f, KL_SIM_GROUP_NEW_REGION, id);
  g_assert_cmpstr (status, ==, "INITIATING");
  g_clear_pointer (&status, g_free);
  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_NEW_REGION, id);
  g_assert_cmpstr (status, ==, "PENDING_ACCEPTANCE");
  g_clear_pointer (&status, g_free);
  g_assert_true (kl_sim_approve_endpoint (f->sim, KL_SIM_GROUP_NEW_REGION, id, &error));
  g_assert_no_error (error);
  kl_sim_advance (f->sim, KL_SIM_ACTIVATION_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_NEW_REGION, id);
  g_assert_cmpstr (status, ==, "ACTIVE");
}

static void
test_endpoints_validation (SimFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const struct
  {
    const char *body;
    guint       status;
    const char *code;
  } cases[] = {
    { "{\"regionName\": \"MARS_NORTH\"}", 400, "INVALID_REGION" },
    { "{\"regionName\": \"US_EAST_1\"}", 400, "INVALID_REGION" },      /* AWS name */
    { "{\"regionName\": \"US_GOV_VIRGINIA\"}", 400, "INVALID_REGION" }, /* not in AZURE */
    { "{\"regionName\": \"US_EAST_2\"}", 409,
      "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_ALREADY_EXISTS_FOR_REGION" },
    { "{}", 400, "MISSING_ATTRIBUTE" },
    { "{\"regionName\": 7}", 400, "INVALID_JSON_ATTRIBUTE" },
    { "{\"regionName\": \"UK_SOUTH\", \"status\": \"ACTIVE\"}", 400, "ATTRIBUTE_READ_ONLY" },
    { "{\"regionName\": \"UK_SOUTH\", \"zone\": 1}", 400, "INVALID_ATTRIBUTE" },
    { "{\"regionName\": \"UK_SOUTH\", \"cloudProvider\": \"AWS\"}", 400, "INVALID_ATTRIBUTE" },
  };

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  first = sim_create_endpoint (f, KL_SIM_GROUP_READY, "US_EAST_2");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimResponse) response = sim_send (f, "POST", READY_PES, V20230101, cases[i].body);

      g_test_message ("case %u: %s", i, cases[i].body);
      sim_assert_error (response, cases[i].status, cases[i].code);
    }
  {
    g_autoptr(SimResponse) with_provider = sim_send (f, "POST", READY_PES, V20230101,
                                                     "{\"regionName\": \"EUROPE_WEST\", "
                                                     "\"cloudProvider\": \"AZURE\"}");
    g_autoptr(SimResponse) bad_id = sim_get (f, READY_PES "/XYZ", V20230101);
    g_autoptr(SimResponse) unknown = sim_get (f, READY_PES "/65f0000000000000000fffff", V20230101);
    g_autoptr(SimResponse) delete_unknown = sim_send (f, "DELETE",
                                                      READY_PES "/65f0000000000000000fffff",
                                                      V20230101, NULL);
    g_autoptr(SimResponse) bad_provider = sim_get (f, READY "/encryptionAtRest/GCP/privateEndpoints",
                                                   V20230101);
    g_autoptr(SimResponse) aws = sim_get (f, READY "/encryptionAtRest/AWS/privateEndpoints",
                                          V20230101);
    g_autoptr(SimResponse) aws_post = sim_send (f, "POST",
                                                READY "/encryptionAtRest/AWS/privateEndpoints",
                                                V20230101, "{\"regionName\": \"US_EAST_1\"}");
    g_autoptr(SimResponse) other_group = sim_get (f, MIXED "/encryptionAtRest/AZURE/privateEndpoints",
                                                  V20230101);
    g_autoptr(SimResponse) paged = sim_get (f, READY_PES "?itemsPerPage=1&pageNum=2", V20230101);

    sim_assert_ok (with_provider, 202, V20230101);
    second = g_strdup (sim_member_string (with_provider, "id"));
    g_assert_cmpstr (second, !=, first);
    sim_assert_error (bad_id, 400, "INVALID_ENDPOINT_ID");
    sim_assert_error (unknown, 404, "RESOURCE_NOT_FOUND");
    sim_assert_error (delete_unknown, 404, "RESOURCE_NOT_FOUND");
    sim_assert_error (bad_provider, 400, "INVALID_ENUM_VALUE");
    sim_assert_ok (aws, 200, V20230101);
    g_assert_cmpuint (json_array_get_length (results (aws)), ==, 0);
    sim_assert_error (aws_post, 400, "ENCRYPTION_AT_REST_PRIVATE_NETWORKING_NOT_ENABLED");
    sim_assert_ok (other_group, 200, V20230101);
    g_assert_cmpuint (json_array_get_length (results (other_group)), ==, 0);
    sim_assert_ok (paged, 200, V20230101);
    g_assert_cmpuint (json_array_get_length (results (paged)), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results (paged), 0),
                                                    "id"), ==, second);
    g_assert_true (has_link (sim_object (paged), "previous", NULL));
  }
}

static char *
pending_endpoint (SimFixture *f,
                  const char *region)
{
  char *id = sim_create_endpoint (f, KL_SIM_GROUP_READY, region);

  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS);
  return id;
}

static char *
connection_name_of (SimFixture *f,
                    const char *id)
{
  g_autofree char *path = g_strdup_printf (READY_PES "/%s", id);
  g_autoptr(SimResponse) response = sim_get (f, path, V20230101);

  sim_assert_ok (response, 200, V20230101);
  return g_strdup (sim_member_string (response, "privateEndpointConnectionName"));
}

/* Of @region's records in the list, the one in @status: its id (NULL if none), with its
 * errorMessage in @message (optional); @n_records: how many records the region has. */
static char *
record_in_status (SimFixture  *f,
                  const char  *region,
                  const char  *status,
                  char       **message,
                  guint       *n_records)
{
  g_autoptr(SimResponse) list = sim_get (f, READY_PES, V20230101);
  JsonArray *array;
  char *id = NULL;

  sim_assert_ok (list, 200, V20230101);
  array = results (list);
  *n_records = 0;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *record = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (record, "regionName"), region) != 0)
        continue;
      (*n_records)++;
      if (id == NULL && g_strcmp0 (json_object_get_string_member (record, "status"), status) == 0)
        {
          id = g_strdup (json_object_get_string_member (record, "id"));
          if (message != NULL)
            *message = g_strdup (json_object_get_string_member_with_default (record,
                                                                             "errorMessage",
                                                                             NULL));
        }
    }

  return id;
}

static void
test_endpoints_azure_side (SimFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *a2 = NULL;
  g_autofree char *b2 = NULL;
  g_autofree char *old = NULL;
  g_autofree char *message = NULL;
  g_autofree char *b_path = NULL;
  g_autoptr(SimResponse) deleted = NULL;
  g_autoptr(SimResponse) second_post = NULL;
  guint n_records = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *status = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *second_name = NULL;
  g_autofree char *fail_path = NULL;
  g_autofree char *c_path = NULL;
  g_autofree char *early_path = NULL;
  g_autofree char *early = NULL;
  g_autoptr(SimResponse) failed = NULL;
  g_autoptr(SimResponse) failed_get = NULL;
  g_autoptr(SimResponse) not_pending = NULL;
  g_autoptr(SimResponse) unknown = NULL;

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);

  /* Rejected in Azure: the old record shows PENDING_RECREATION with a message, and a NEW
   * record with a new (greater) id appears in INITIATING, without a connection name. */
  a = pending_endpoint (f, "US_EAST_2");
  first_name = connection_name_of (f, a);
  kl_sim_reject_endpoint (f->sim, KL_SIM_GROUP_READY, a, &error);
  g_assert_no_error (error);
  old = record_in_status (f, "US_EAST_2", "PENDING_RECREATION", &message, &n_records);
  g_assert_cmpstr (old, ==, a);
  g_assert_cmpstr (message, ==, "private endpoint was rejected");
  g_assert_cmpuint (n_records, ==, 2);
  g_clear_pointer (&message, g_free);
  a2 = record_in_status (f, "US_EAST_2", "INITIATING", &message, &n_records);
  g_assert_nonnull (a2);
  g_assert_cmpstr (a2, !=, a);
  g_assert_cmpstr (a2, >, a);
  g_assert_null (message);
  g_assert_null (connection_name_of (f, a2));
  /* The region has a record: a second POST is refused. */
  second_post = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"US_EAST_2\"}");
  g_assert_cmpuint (second_post->status, ==, 409);

  /* The old record goes away after KL_SIM_RECREATION_SECONDS; the new one goes on. */
  kl_sim_advance (f->sim, KL_SIM_RECREATION_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, a);
  g_assert_null (status);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, a2);
  g_assert_cmpstr (status, ==, "INITIATING");
  g_clear_pointer (&status, g_free);
  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS - KL_SIM_RECREATION_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, a2);
  g_assert_cmpstr (status, ==, "PENDING_ACCEPTANCE");
  g_clear_pointer (&status, g_free);
  second_name = connection_name_of (f, a2);
  g_assert_nonnull (second_name);
  g_assert_cmpstr (first_name, !=, second_name);

  /* Removed in Azure after it was ACTIVE. */
  b = pending_endpoint (f, "EUROPE_WEST");
  kl_sim_approve_endpoint (f->sim, KL_SIM_GROUP_READY, b, &error);
  g_assert_no_error (error);
  kl_sim_approve_endpoint (f->sim, KL_SIM_GROUP_READY, b, &error);
  g_assert_error (error, KL_SIM_ERROR, 409);
  g_clear_error (&error);
  kl_sim_advance (f->sim, KL_SIM_ACTIVATION_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, b);
  g_assert_cmpstr (status, ==, "ACTIVE");
  g_clear_pointer (&status, g_free);
  kl_sim_remove_endpoint (f->sim, KL_SIM_GROUP_READY, b, &error);
  g_assert_no_error (error);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, b);
  g_assert_cmpstr (status, ==, "PENDING_RECREATION");
  g_clear_pointer (&status, g_free);
  g_clear_pointer (&old, g_free);
  g_clear_pointer (&message, g_free);
  old = record_in_status (f, "EUROPE_WEST", "PENDING_RECREATION", &message, &n_records);
  g_assert_cmpstr (old, ==, b);
  g_assert_cmpstr (message, ==, "private endpoint was removed");
  b2 = record_in_status (f, "EUROPE_WEST", "INITIATING", NULL, &n_records);
  g_assert_nonnull (b2);
  g_assert_cmpstr (b2, >, b);
  g_assert_cmpuint (n_records, ==, 2);
  /* The old record may be deleted (teardown deletes whatever records exist). */
  b_path = g_strdup_printf (READY_PES "/%s", b);
  deleted = sim_send (f, "DELETE", b_path, V20230101, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, b);
  g_assert_cmpstr (status, ==, "DELETING");
  g_clear_pointer (&status, g_free);

  /* FAILED, with its message, over the control API. */
  c = pending_endpoint (f, "UK_SOUTH");
  fail_path = g_strdup_printf ("/__sim/groups/%s/privateEndpoints/%s/fail", KL_SIM_GROUP_READY, c);
  failed = sim_control (f, "POST", fail_path, "{\"errorMessage\": \"Quota exceeded in uksouth\"}");
  g_assert_cmpuint (failed->status, ==, 200);
  c_path = g_strdup_printf (READY_PES "/%s", c);
  failed_get = sim_get (f, c_path, V20230101);
  sim_assert_ok (failed_get, 200, V20230101);
  g_assert_cmpstr (sim_member_string (failed_get, "status"), ==, "FAILED");
  g_assert_cmpstr (sim_member_string (failed_get, "errorMessage"), ==, "Quota exceeded in uksouth");
  kl_sim_fail_endpoint (f->sim, KL_SIM_GROUP_READY, a2, NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *path = g_strdup_printf (READY_PES "/%s", a2);
    g_autoptr(SimResponse) default_message = sim_get (f, path, V20230101);

    g_assert_nonnull (sim_member_string (default_message, "errorMessage"));
  }

  /* Actions that do not apply. */
  early = sim_create_endpoint (f, KL_SIM_GROUP_READY, "FRANCE_CENTRAL");
  early_path = g_strdup_printf ("/__sim/groups/%s/privateEndpoints/%s/approve", KL_SIM_GROUP_READY,
                                early);
  not_pending = sim_control (f, "POST", early_path, NULL);
  g_assert_cmpuint (not_pending->status, ==, 409);
  g_assert_cmpstr (sim_member_string (not_pending, "errorCode"), ==, "SIM_INVALID_ENDPOINT_STATE");
  unknown = sim_control (f, "POST", "/__sim/groups/" KL_SIM_GROUP_READY
                         "/privateEndpoints/65f0000000000000000fffff/reject", NULL);
  g_assert_cmpuint (unknown->status, ==, 404);
  kl_sim_reject_endpoint (f->sim, KL_SIM_GROUP_READY, early, &error);
  g_assert_error (error, KL_SIM_ERROR, 409);
}

typedef struct
{
  SimFixture *fixture;
  const char *id;
  const char *wanted;
} StatusWait;

static gboolean
status_is (gpointer user_data)
{
  StatusWait *wait = user_data;
  g_autofree char *status = sim_endpoint_status (wait->fixture, KL_SIM_GROUP_READY, wait->id);

  return g_strcmp0 (status, wait->wanted) == 0;
}

/* Real time, scaled: 0.001 makes INITIATING last 90 ms. */
static void
test_endpoints_time_scale (SimFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(SimResponse) scale = NULL;
  StatusWait wait = { f, NULL, "PENDING_ACCEPTANCE" };
  gint64 start;
  gint64 elapsed;

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  scale = sim_control (f, "POST", "/__sim/time-scale", "{\"timeScale\": 0.001}");
  g_assert_cmpuint (scale->status, ==, 200);
  g_assert_cmpfloat (kl_sim_get_time_scale (f->sim), ==, 0.001);

  start = g_get_monotonic_time ();
  id = sim_create_endpoint (f, KL_SIM_GROUP_READY, "US_EAST_2");
  wait.id = id;
  g_assert_true (sim_poll_until (status_is, &wait, 3000));
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=, KL_SIM_INITIATING_SECONDS * 1000);

  kl_sim_approve_endpoint (f->sim, KL_SIM_GROUP_READY, id, NULL);
  start = g_get_monotonic_time ();
  wait.wanted = "ACTIVE";
  g_assert_true (sim_poll_until (status_is, &wait, 3000));
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=, KL_SIM_ACTIVATION_SECONDS * 1000);
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);

  add_fixture_test ("/sim/ear/unconfigured", test_ear_unconfigured);
  add_fixture_test ("/sim/ear/enable", test_ear_enable);
  add_fixture_test ("/sim/ear/validation", test_ear_validation);
  add_fixture_test ("/sim/ear/bad-credentials", test_ear_bad_credentials);
  add_fixture_test ("/sim/ear/unusable-key", test_ear_unusable_key);
  add_fixture_test ("/sim/ear/refused-keys", test_ear_refused_keys);
  add_fixture_test ("/sim/ear/private-networking", test_ear_private_networking);
  add_fixture_test ("/sim/endpoints/lifecycle", test_endpoints_lifecycle);
  add_fixture_test ("/sim/endpoints/validation", test_endpoints_validation);
  add_fixture_test ("/sim/endpoints/new-region", test_endpoints_new_region);
  add_fixture_test ("/sim/endpoints/azure-side", test_endpoints_azure_side);
  add_fixture_test ("/sim/endpoints/time-scale", test_endpoints_time_scale);

  return g_test_run ();
}
