/* test-atlas-types.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-atlas-types.h"
#include "kl-enums.h"
#include "kl-error.h"

/* Shapes that are not what the API promises: every parser must refuse them cleanly. */
static const char * const wrong_shapes[] = {
  "",
  "{",
  "not json",
  "null",
  "42",
  "\"a string\"",
  "[]",
  "[{\"id\":\"65f0000000000000000000a1\"}]",
  "true",
};

typedef gpointer (*Parser) (const char *json, gssize length, GError **error);

static void
assert_refuses_wrong_shapes (Parser parse)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (wrong_shapes); i++)
    {
      g_autoptr(GError) error = NULL;
      gpointer object = parse (wrong_shapes[i], -1, &error);

      g_assert_null (object);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }
}

/* ---- ids ---- */

static void
test_ids (void)
{
  g_assert_true (kl_atlas_id_is_valid ("65f0000000000000000000a1"));
  g_assert_false (kl_atlas_id_is_valid (NULL));
  g_assert_false (kl_atlas_id_is_valid (""));
  g_assert_false (kl_atlas_id_is_valid ("65F0000000000000000000A1"));
  g_assert_false (kl_atlas_id_is_valid ("65f0000000000000000000a"));
  g_assert_false (kl_atlas_id_is_valid ("65f0000000000000000000a12"));
  g_assert_false (kl_atlas_id_is_valid ("../../../../etc/passwd00"));
}

/* ---- projects ---- */

static void
test_project_parse (void)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 count = 0;

  project = kl_project_parse ("{\"id\":\"65f0000000000000000000a1\",\"name\":\"Payments\","
                              "\"orgId\":\"65f000000000000000000001\",\"clusterCount\":2,"
                              "\"created\":\"2024-01-02T03:04:05Z\",\"links\":[],"
                              "\"someFutureField\":{\"x\":[1,2,3]},"
                              "\"regionUsageRestrictions\":\"SOMETHING_NEW\"}",
                              -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_cmpstr (kl_project_get_id (project), ==, "65f0000000000000000000a1");
  g_assert_cmpstr (kl_project_get_name (project), ==, "Payments");
  g_assert_cmpstr (kl_project_get_org_id (project), ==, "65f000000000000000000001");
  g_assert_cmpint (kl_project_get_cluster_count (project), ==, 2);
  g_assert_cmpstr (kl_project_get_created (project), ==, "2024-01-02T03:04:05Z");

  g_object_get (project, "name", &name, "cluster-count", &count, NULL);
  g_assert_cmpstr (name, ==, "Payments");
  g_assert_cmpint (count, ==, 2);
}

static void
test_project_wrong_shapes (void)
{
  static const char * const bad[] = {
    "{\"name\":\"No id\"}",
    "{\"id\":\"65f0000000000000000000a1\"}",
    "{\"id\":42,\"name\":\"x\"}",
    "{\"id\":\"not-an-id\",\"name\":\"x\"}",
    "{\"id\":\"65f0000000000000000000a1\",\"name\":[\"x\"]}",
    "{\"id\":\"65f0000000000000000000a1\",\"name\":\"x\",\"clusterCount\":\"two\"}",
    "{\"id\":\"65f0000000000000000000a1\",\"name\":\"x\",\"clusterCount\":1.5}",
    "{\"id\":\"65f0000000000000000000a1\",\"name\":\"x\",\"orgId\":{}}",
  };
  guint i;

  assert_refuses_wrong_shapes ((Parser) kl_project_parse);

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlProject) project = kl_project_parse (bad[i], -1, &error);

      g_assert_null (project);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }
}

static void
test_project_nulls (void)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = kl_project_parse ("{\"id\":\"65f0000000000000000000a1\",\"name\":\"P\","
                              "\"orgId\":null,\"clusterCount\":null,\"created\":null}",
                              -1, &error);
  g_assert_no_error (error);
  g_assert_null (kl_project_get_org_id (project));
  g_assert_cmpint (kl_project_get_cluster_count (project), ==, -1);
}

static void
test_pages (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_next = TRUE;

  items = kl_project_parse_page ("{\"links\":[{\"href\":\"https://x/api?pageNum=1\","
                                 "\"rel\":\"self\"},{\"href\":\"https://x/api?pageNum=2\","
                                 "\"rel\":\"next\"}],\"results\":["
                                 "{\"id\":\"65f0000000000000000000a1\",\"name\":\"A\"},"
                                 "{\"id\":\"65f0000000000000000000a2\",\"name\":\"B\"}],"
                                 "\"totalCount\":5}",
                                 -1, &has_next, &error);
  g_assert_no_error (error);
  g_assert_true (has_next);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (items, 1)), ==, "B");
  g_clear_pointer (&items, g_ptr_array_unref);

  items = kl_project_parse_page ("{\"results\":[],\"totalCount\":0}", -1, &has_next, &error);
  g_assert_no_error (error);
  g_assert_false (has_next);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* The last page: only "self"; links may also be null. */
  items = kl_project_parse_page ("{\"links\":null,\"results\":[{\"id\":\"65f0000000000000000000a1\","
                                 "\"name\":\"A\"}]}",
                                 -1, &has_next, &error);
  g_assert_no_error (error);
  g_assert_false (has_next);
  g_assert_cmpuint (items->len, ==, 1);
}

/* One invalid UTF-8 sequence, one raw NUL byte, one \u0000 escape in a name: the
 * page parses whole, each bad name carries U+FFFD, the others are untouched. */
static void
test_pages_bad_bytes (void)
{
  static const char page[] =
    "{\"results\":["
    "{\"id\":\"65f0000000000000000000a1\",\"name\":\"Bad \xff\xfe byte\"},"
    "{\"id\":\"65f0000000000000000000a2\",\"name\":\"nul\0after\"},"
    "{\"id\":\"65f0000000000000000000a3\",\"name\":\"esc\\u0000aped\"},"
    "{\"id\":\"65f0000000000000000000a4\",\"name\":\"back\\\\u0000slash\"},"
    "{\"id\":\"65f0000000000000000000a5\",\"name\":\"Fine\"}],"
    "\"totalCount\":5}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gboolean has_next = TRUE;

  items = kl_project_parse_page (page, sizeof page - 1, &has_next, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);
  g_assert_cmpuint (items->len, ==, 5);
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (items, 0)), ==,
                   "Bad \xef\xbf\xbd\xef\xbf\xbd byte");
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (items, 1)), ==,
                   "nul\xef\xbf\xbd" "after");
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (items, 2)), ==,
                   "esc\xef\xbf\xbd" "aped");
  /* An escaped backslash before "u0000" is text, not a NUL. */
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (items, 3)), ==, "back\\u0000slash");
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (items, 4)), ==, "Fine");

  /* A single object too; and a clean document is not copied. */
  {
    static const char one[] = "{\"id\":\"65f0000000000000000000a1\",\"name\":\"x\xc3\"}";
    g_autoptr(KlProject) project = kl_project_parse (one, sizeof one - 1, &error);
    gsize length = 0;

    g_assert_no_error (error);
    g_assert_cmpstr (kl_project_get_name (project), ==, "x\xef\xbf\xbd");
    g_assert_null (kl_json_dup_sanitized ("{\"name\":\"ok \\u00e9\"}", -1, &length));
  }
}

static void
test_pages_wrong_shapes (void)
{
  static const char * const bad[] = {
    "{}",
    "{\"results\":null}",
    "{\"results\":{}}",
    "{\"results\":[42]}",
    "{\"results\":[null]}",
    "{\"results\":[{\"name\":\"no id\"}]}",
    "{\"results\":[],\"links\":{}}",
    "{\"results\":[],\"links\":[\"next\"]}",
    "{\"results\":[],\"links\":[{\"rel\":7}]}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (wrong_shapes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) items = kl_cluster_parse_page (wrong_shapes[i], -1, NULL, &error);

      g_assert_null (items);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean has_next = TRUE;
      g_autoptr(GPtrArray) items = kl_project_parse_page (bad[i], -1, &has_next, &error);

      g_assert_null (items);
      g_assert_false (has_next);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }
}

/* ---- encryption at rest ---- */

static void
test_encryption_at_rest_full (void)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;
  KlAzureKeyVault *akv;

  ear = kl_encryption_at_rest_parse (
    "{\"awsKms\":{\"enabled\":false},\"googleCloudKms\":{\"enabled\":false},"
    "\"enabledForSearchNodes\":false,"
    "\"azureKeyVault\":{\"azureEnvironment\":\"AZURE\","
    "\"clientID\":\"11111111-2222-3333-4444-555555555555\","
    "\"tenantID\":\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\","
    "\"subscriptionID\":\"99999999-8888-7777-6666-555555555555\","
    "\"resourceGroupName\":\"rg-keys\",\"keyVaultName\":\"kv-payments\","
    "\"keyIdentifier\":\"https://kv-payments.vault.azure.net/keys/atlas/0123456789abcdef0123456789abcdef\","
    "\"enabled\":true,\"requirePrivateNetworking\":true,\"valid\":true,"
    "\"roleId\":\"65f0000000000000000000ff\",\"secret\":\"must-not-be-read\","
    "\"newField\":[1,{\"a\":null}]}}",
    -1, &error);
  g_assert_no_error (error);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  g_assert_cmpstr (kl_azure_key_vault_get_azure_environment (akv), ==, "AZURE");
  g_assert_cmpstr (kl_azure_key_vault_get_client_id (akv), ==,
                   "11111111-2222-3333-4444-555555555555");
  g_assert_cmpstr (kl_azure_key_vault_get_tenant_id (akv), ==,
                   "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  g_assert_cmpstr (kl_azure_key_vault_get_subscription_id (akv), ==,
                   "99999999-8888-7777-6666-555555555555");
  g_assert_cmpstr (kl_azure_key_vault_get_resource_group_name (akv), ==, "rg-keys");
  g_assert_cmpstr (kl_azure_key_vault_get_key_vault_name (akv), ==, "kv-payments");
  g_assert_cmpstr (kl_azure_key_vault_get_key_identifier (akv), ==,
                   "https://kv-payments.vault.azure.net/keys/atlas/0123456789abcdef0123456789abcdef");
  g_assert_cmpstr (kl_azure_key_vault_get_role_id (akv), ==, "65f0000000000000000000ff");
  g_assert_true (kl_azure_key_vault_get_enabled (akv));
  g_assert_true (kl_azure_key_vault_get_require_private_networking (akv));
  g_assert_true (kl_azure_key_vault_get_valid (akv));
  /* Write-only: never taken from an answer. */
  g_assert_false (kl_azure_key_vault_has_secret (akv));
  g_assert_false (kl_encryption_at_rest_get_aws_kms_enabled (ear));
}

static void
test_encryption_at_rest_unconfigured (void)
{
  static const char * const unconfigured[] = {
    "{}",
    "{\"azureKeyVault\":null}",
    "{\"azureKeyVault\":{}}",
    "{\"azureKeyVault\":{\"enabled\":false,\"valid\":false}}",
    "{\"azureKeyVault\":{\"azureEnvironment\":null,\"clientID\":null,\"tenantID\":null,"
    "\"subscriptionID\":null,\"resourceGroupName\":null,\"keyVaultName\":null,"
    "\"keyIdentifier\":null,\"enabled\":null,\"requirePrivateNetworking\":null,"
    "\"valid\":null,\"roleId\":null},\"awsKms\":null}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (unconfigured); i++)
    {
      g_autoptr(KlEncryptionAtRest) ear = NULL;
      g_autoptr(GError) error = NULL;
      KlAzureKeyVault *akv;

      ear = kl_encryption_at_rest_parse (unconfigured[i], -1, &error);
      g_assert_no_error (error);
      akv = kl_encryption_at_rest_get_azure_key_vault (ear);
      g_assert_nonnull (akv);
      g_assert_false (kl_azure_key_vault_get_enabled (akv));
      g_assert_false (kl_azure_key_vault_get_valid (akv));
      g_assert_null (kl_azure_key_vault_get_key_vault_name (akv));
      g_assert_null (kl_azure_key_vault_get_key_identifier (akv));
    }
}

static void
test_encryption_at_rest_other_providers (void)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;

  ear = kl_encryption_at_rest_parse ("{\"awsKms\":{\"enabled\":true,\"region\":\"US_EAST_1\"},"
                                     "\"googleCloudKms\":{\"enabled\":true}}",
                                     -1, &error);
  g_assert_no_error (error);
  g_assert_true (kl_encryption_at_rest_get_aws_kms_enabled (ear));
  g_assert_true (kl_encryption_at_rest_get_google_cloud_kms_enabled (ear));
}

static void
test_encryption_at_rest_wrong_shapes (void)
{
  static const char * const bad[] = {
    "{\"azureKeyVault\":\"AZURE\"}",
    "{\"azureKeyVault\":[]}",
    "{\"azureKeyVault\":{\"enabled\":\"true\"}}",
    "{\"azureKeyVault\":{\"enabled\":1}}",
    "{\"azureKeyVault\":{\"keyVaultName\":7}}",
    "{\"azureKeyVault\":{\"valid\":{}}}",
    "{\"awsKms\":true}",
    "{\"googleCloudKms\":{\"enabled\":\"no\"}}",
  };
  guint i;

  assert_refuses_wrong_shapes ((Parser) kl_encryption_at_rest_parse);

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlEncryptionAtRest) ear = kl_encryption_at_rest_parse (bad[i], -1, &error);

      g_assert_null (ear);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }
}

/* ---- PATCH bodies ---- */

static JsonObject *
parse_akv_body (GBytes     *body,
                JsonNode  **root_out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  g_assert_true (json_parser_load_from_data (parser, data, (gssize) size, &error));
  g_assert_no_error (error);
  *root_out = json_node_copy (json_parser_get_root (parser));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root_out));
  root = json_node_get_object (*root_out);
  g_assert_cmpuint (json_object_get_size (root), ==, 1);
  g_assert_true (json_object_has_member (root, "azureKeyVault"));

  return json_object_get_object_member (root, "azureKeyVault");
}

static KlAzureKeyVault *
complete_vault (void)
{
  KlAzureKeyVault *akv = kl_azure_key_vault_new ();

  kl_azure_key_vault_set_azure_environment (akv, "AZURE");
  kl_azure_key_vault_set_client_id (akv, "11111111-2222-3333-4444-555555555555");
  kl_azure_key_vault_set_tenant_id (akv, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  kl_azure_key_vault_set_subscription_id (akv, "99999999-8888-7777-6666-555555555555");
  kl_azure_key_vault_set_resource_group_name (akv, "rg-keys");
  kl_azure_key_vault_set_key_vault_name (akv, "kv-payments");
  kl_azure_key_vault_set_key_identifier (akv, "https://kv-payments.vault.azure.net/keys/atlas/"
                                              "0123456789abcdef0123456789abcdef");
  /* Quotes, a backslash and a control character must survive the trip. */
  kl_azure_key_vault_set_secret (akv, "s3cr\"et\\va\tlue~");
  return akv;
}

static void
test_build_first_enable (void)
{
  g_autoptr(KlAzureKeyVault) wanted = complete_vault ();
  g_autoptr(KlAzureKeyVault) current = kl_azure_key_vault_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *akv;

  /* Unconfigured (enabled false) and absent both mean: send the whole object. */
  body = kl_encryption_at_rest_build_patch (current, wanted, &error);
  g_assert_no_error (error);
  akv = parse_akv_body (body, &root);
  g_assert_cmpstr (json_object_get_string_member (akv, "azureEnvironment"), ==, "AZURE");
  g_assert_cmpstr (json_object_get_string_member (akv, "clientID"), ==,
                   "11111111-2222-3333-4444-555555555555");
  g_assert_cmpstr (json_object_get_string_member (akv, "tenantID"), ==,
                   "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  g_assert_cmpstr (json_object_get_string_member (akv, "subscriptionID"), ==,
                   "99999999-8888-7777-6666-555555555555");
  g_assert_cmpstr (json_object_get_string_member (akv, "resourceGroupName"), ==, "rg-keys");
  g_assert_cmpstr (json_object_get_string_member (akv, "keyVaultName"), ==, "kv-payments");
  g_assert_cmpstr (json_object_get_string_member (akv, "keyIdentifier"), ==,
                   "https://kv-payments.vault.azure.net/keys/atlas/0123456789abcdef0123456789abcdef");
  g_assert_cmpstr (json_object_get_string_member (akv, "secret"), ==, "s3cr\"et\\va\tlue~");
  g_assert_true (json_object_get_boolean_member (akv, "enabled"));
  g_assert_false (json_object_has_member (akv, "requirePrivateNetworking"));
  g_assert_false (json_object_has_member (akv, "roleId"));
  g_assert_false (json_object_has_member (akv, "valid"));
  g_assert_cmpuint (json_object_get_size (akv), ==, 9);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  kl_azure_key_vault_set_require_private_networking (wanted, TRUE);
  body = kl_encryption_at_rest_build_patch (NULL, wanted, &error);
  g_assert_no_error (error);
  akv = parse_akv_body (body, &root);
  g_assert_true (json_object_get_boolean_member (akv, "requirePrivateNetworking"));
}

static void
test_build_first_enable_missing (void)
{
  static const char * const fields[] = {
    "environment", "client", "tenant", "subscription", "group", "vault", "key", "secret",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(KlAzureKeyVault) wanted = complete_vault ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = NULL;

      switch (i)
        {
        case 0: kl_azure_key_vault_set_azure_environment (wanted, NULL); break;
        case 1: kl_azure_key_vault_set_client_id (wanted, ""); break;
        case 2: kl_azure_key_vault_set_tenant_id (wanted, NULL); break;
        case 3: kl_azure_key_vault_set_subscription_id (wanted, NULL); break;
        case 4: kl_azure_key_vault_set_resource_group_name (wanted, NULL); break;
        case 5: kl_azure_key_vault_set_key_vault_name (wanted, NULL); break;
        case 6: kl_azure_key_vault_set_key_identifier (wanted, NULL); break;
        case 7: kl_azure_key_vault_set_secret (wanted, NULL); break;
        default: g_assert_not_reached ();
        }

      body = kl_encryption_at_rest_build_patch (NULL, wanted, &error);
      g_assert_null (body);
      g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
      g_test_message ("%s: %s", fields[i], error->message);
    }
}

static KlAzureKeyVault *
enabled_vault (gboolean private_networking)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"azureKeyVault\":{\"azureEnvironment\":\"AZURE\","
                          "\"clientID\":\"11111111-2222-3333-4444-555555555555\","
                          "\"tenantID\":\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\","
                          "\"subscriptionID\":\"99999999-8888-7777-6666-555555555555\","
                          "\"resourceGroupName\":\"rg-keys\",\"keyVaultName\":\"kv-payments\","
                          "\"keyIdentifier\":\"https://kv-payments.vault.azure.net/keys/atlas/"
                          "0123456789abcdef0123456789abcdef\",\"enabled\":true,"
                          "\"requirePrivateNetworking\":%s,\"valid\":true}}",
                          private_networking ? "true" : "false");
  ear = kl_encryption_at_rest_parse (json, -1, &error);
  g_assert_no_error (error);

  return g_object_ref (kl_encryption_at_rest_get_azure_key_vault (ear));
}

static void
test_build_partial (void)
{
  g_autoptr(KlAzureKeyVault) current = enabled_vault (TRUE);
  g_autoptr(KlAzureKeyVault) wanted = NULL;
  g_autoptr(KlAzureKeyVault) fresh = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *akv;

  /* Rotation: a new key version in the same vault; nothing else is sent. */
  wanted = kl_azure_key_vault_copy (current);
  kl_azure_key_vault_set_key_identifier (wanted, "https://kv-payments.vault.azure.net/keys/atlas/"
                                                 "fedcba9876543210fedcba9876543210");
  /* Same vault, other case: no change. */
  kl_azure_key_vault_set_key_vault_name (wanted, "KV-Payments");
  body = kl_encryption_at_rest_build_patch (current, wanted, &error);
  g_assert_no_error (error);
  akv = parse_akv_body (body, &root);
  g_assert_cmpuint (json_object_get_size (akv), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (akv, "keyIdentifier"), ==,
                   "https://kv-payments.vault.azure.net/keys/atlas/fedcba9876543210fedcba9876543210");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  /* A new secret only; a fresh object never turns "enabled" off by omission. */
  fresh = kl_azure_key_vault_new ();
  kl_azure_key_vault_set_secret (fresh, "new-secret");
  body = kl_encryption_at_rest_build_patch (current, fresh, &error);
  g_assert_no_error (error);
  akv = parse_akv_body (body, &root);
  g_assert_cmpuint (json_object_get_size (akv), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (akv, "secret"), ==, "new-secret");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  /* Private networking off, as a change. */
  kl_azure_key_vault_set_secret (fresh, NULL);
  kl_azure_key_vault_set_require_private_networking (fresh, FALSE);
  body = kl_encryption_at_rest_build_patch (current, fresh, &error);
  g_assert_no_error (error);
  akv = parse_akv_body (body, &root);
  g_assert_cmpuint (json_object_get_size (akv), ==, 1);
  g_assert_false (json_object_get_boolean_member (akv, "requirePrivateNetworking"));
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  /* Nothing changed: an empty object. */
  body = kl_encryption_at_rest_build_patch (current, current, &error);
  g_assert_no_error (error);
  akv = parse_akv_body (body, &root);
  g_assert_cmpuint (json_object_get_size (akv), ==, 0);
}

static void
test_build_frozen_fields (void)
{
  static const char * const fields[] = { "vault", "group", "subscription" };
  g_autoptr(KlAzureKeyVault) open = enabled_vault (FALSE);
  g_autoptr(KlAzureKeyVault) locked = enabled_vault (TRUE);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(KlAzureKeyVault) wanted = kl_azure_key_vault_new ();
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;

      if (i == 0)
        kl_azure_key_vault_set_key_vault_name (wanted, "kv-other");
      else if (i == 1)
        kl_azure_key_vault_set_resource_group_name (wanted, "rg-other");
      else
        kl_azure_key_vault_set_subscription_id (wanted, "12345678-1234-1234-1234-123456789012");

      body = kl_encryption_at_rest_build_patch (locked, wanted, &error);
      g_assert_null (body);
      g_assert_error (error, KL_ERROR, KL_ERROR_INELIGIBLE);
      g_clear_error (&error);

      /* Without private networking they may change. */
      body = kl_encryption_at_rest_build_patch (open, wanted, &error);
      g_assert_no_error (error);
      g_assert_nonnull (body);
    }
}

static void
assert_bytes_equal (GBytes     *bytes,
                    const char *expected)
{
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

static void
test_build_small_bodies (void)
{
  g_autoptr(GBytes) disable = kl_encryption_at_rest_build_disable ();
  g_autoptr(GBytes) on = kl_encryption_at_rest_build_private_networking (TRUE);
  g_autoptr(GBytes) off = kl_encryption_at_rest_build_private_networking (FALSE);
  g_autoptr(GBytes) create = kl_private_endpoint_build_create ("US_EAST_2");
  g_autoptr(GBytes) cluster = kl_cluster_build_encryption_patch ("AZURE");

  assert_bytes_equal (disable, "{\"azureKeyVault\":{\"enabled\":false}}");
  assert_bytes_equal (on, "{\"azureKeyVault\":{\"requirePrivateNetworking\":true}}");
  assert_bytes_equal (off, "{\"azureKeyVault\":{\"requirePrivateNetworking\":false}}");
  assert_bytes_equal (create, "{\"regionName\":\"US_EAST_2\"}");
  assert_bytes_equal (cluster, "{\"encryptionAtRestProvider\":\"AZURE\"}");
}

/* ---- private endpoints ---- */

static void
test_endpoint_statuses (void)
{
  static const struct { const char *text; KlEndpointStatus status; } cases[] = {
    { "INITIATING", KL_ENDPOINT_STATUS_INITIATING },
    { "PENDING_ACCEPTANCE", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE },
    { "ACTIVE", KL_ENDPOINT_STATUS_ACTIVE },
    { "FAILED", KL_ENDPOINT_STATUS_FAILED },
    { "PENDING_RECREATION", KL_ENDPOINT_STATUS_PENDING_RECREATION },
    { "DELETING", KL_ENDPOINT_STATUS_DELETING },
    { "QUANTUM_ENTANGLED", KL_ENDPOINT_STATUS_UNKNOWN },
    { "active", KL_ENDPOINT_STATUS_UNKNOWN },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;
      KlEndpointStatus status = 99;

      json = g_strdup_printf ("{\"id\":\"65f0000000000000000000e1\",\"cloudProvider\":\"AZURE\","
                              "\"regionName\":\"US_EAST_2\",\"status\":\"%s\","
                              "\"privateEndpointConnectionName\":\"pe-conn-1\"}",
                              cases[i].text);
      endpoint = kl_private_endpoint_parse (json, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==, cases[i].status);
      /* The text is kept, known or not, for display. */
      g_assert_cmpstr (kl_private_endpoint_get_status_text (endpoint), ==, cases[i].text);
      g_object_get (endpoint, "status", &status, NULL);
      g_assert_cmpint (status, ==, cases[i].status);

      if (cases[i].status != KL_ENDPOINT_STATUS_UNKNOWN)
        {
          g_assert_cmpstr (kl_endpoint_status_to_string (cases[i].status), ==, cases[i].text);
          g_assert_cmpint (kl_endpoint_status_from_string (cases[i].text), ==, cases[i].status);
        }
    }

  g_assert_null (kl_endpoint_status_to_string (KL_ENDPOINT_STATUS_UNKNOWN));
  g_assert_null (kl_endpoint_status_to_string (1000));
  g_assert_cmpint (kl_endpoint_status_from_string (NULL), ==, KL_ENDPOINT_STATUS_UNKNOWN);
}

static void
test_endpoint_fields (void)
{
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;

  endpoint = kl_private_endpoint_parse ("{\"id\":\"65f0000000000000000000e1\","
                                        "\"cloudProvider\":\"AZURE\",\"regionName\":\"EUROPE_WEST\","
                                        "\"status\":\"FAILED\",\"errorMessage\":\"Quota exceeded\","
                                        "\"privateEndpointConnectionName\":\"conn-42\","
                                        "\"futureField\":true}",
                                        -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_private_endpoint_get_id (endpoint), ==, "65f0000000000000000000e1");
  g_assert_cmpstr (kl_private_endpoint_get_cloud_provider (endpoint), ==, "AZURE");
  g_assert_cmpstr (kl_private_endpoint_get_region_name (endpoint), ==, "EUROPE_WEST");
  g_assert_cmpstr (kl_private_endpoint_get_error_message (endpoint), ==, "Quota exceeded");
  g_assert_cmpstr (kl_private_endpoint_get_private_endpoint_connection_name (endpoint), ==,
                   "conn-42");
  g_clear_object (&endpoint);

  /* Just created: no status nor connection name yet. */
  endpoint = kl_private_endpoint_parse ("{\"id\":\"65f0000000000000000000e2\","
                                        "\"regionName\":\"US_EAST_2\",\"status\":null,"
                                        "\"errorMessage\":null}",
                                        -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==, KL_ENDPOINT_STATUS_UNKNOWN);
  g_assert_null (kl_private_endpoint_get_status_text (endpoint));
  g_assert_null (kl_private_endpoint_get_error_message (endpoint));
  g_assert_null (kl_private_endpoint_get_private_endpoint_connection_name (endpoint));
}

static void
test_endpoint_wrong_shapes (void)
{
  static const char * const bad[] = {
    "{\"regionName\":\"US_EAST_2\"}",
    "{\"id\":\"65f0000000000000000000e1\",\"status\":5}",
    "{\"id\":\"65f0000000000000000000e1\",\"status\":[\"ACTIVE\"]}",
    "{\"id\":\"65f0000000000000000000e1\",\"regionName\":{}}",
    "{\"id\":\"65f0000000000000000000e1\",\"errorMessage\":false}",
  };
  guint i;

  assert_refuses_wrong_shapes ((Parser) kl_private_endpoint_parse);

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlPrivateEndpoint) endpoint = kl_private_endpoint_parse (bad[i], -1, &error);

      g_assert_null (endpoint);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }
}

/* ---- clusters ---- */

static KlCluster *
parse_cluster (const char *json)
{
  g_autoptr(GError) error = NULL;
  KlCluster *cluster = kl_cluster_parse (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cluster);
  return cluster;
}

static void
test_cluster_dedicated (void)
{
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  const KlRegionConfig *configs;
  g_autofree char *size = NULL;
  gboolean multi = TRUE;
  guint n = 0;

  cluster = parse_cluster ("{\"name\":\"orders\",\"id\":\"65f0000000000000000000c1\","
                           "\"clusterType\":\"REPLICASET\",\"stateName\":\"IDLE\","
                           "\"paused\":false,\"encryptionAtRestProvider\":\"NONE\","
                           "\"mongoDBVersion\":\"8.0.4\",\"connectionStrings\":{\"standard\":\"x\"},"
                           "\"replicationSpecs\":[{\"id\":\"65f0000000000000000000d1\","
                           "\"zoneName\":\"Zone 1\",\"regionConfigs\":[{\"providerName\":\"AZURE\","
                           "\"regionName\":\"US_EAST_2\",\"priority\":7,"
                           "\"electableSpecs\":{\"instanceSize\":\"M10\",\"nodeCount\":3,"
                           "\"diskSizeGB\":10.5},\"readOnlySpecs\":{\"instanceSize\":\"M10\","
                           "\"nodeCount\":0}}]}]}");
  g_assert_cmpstr (kl_cluster_get_name (cluster), ==, "orders");
  g_assert_cmpstr (kl_cluster_get_id (cluster), ==, "65f0000000000000000000c1");
  g_assert_cmpstr (kl_cluster_get_cluster_type (cluster), ==, "REPLICASET");
  g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "IDLE");
  g_assert_false (kl_cluster_get_paused (cluster));
  g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (cluster), ==, "NONE");
  g_assert_cmpstr (kl_cluster_get_instance_size (cluster), ==, "M10");
  g_assert_cmpstr (kl_cluster_get_provider_name (cluster), ==, "AZURE");
  g_assert_false (kl_cluster_is_multi_cloud (cluster));
  g_assert_false (kl_cluster_is_tenant (cluster));
  g_assert_false (kl_cluster_is_flex (cluster));
  g_assert_false (kl_cluster_is_serverless (cluster));
  g_assert_true (kl_cluster_uses_provider (cluster, "AZURE"));
  g_assert_false (kl_cluster_uses_provider (cluster, "AWS"));

  configs = kl_cluster_get_region_configs (cluster, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (configs[0].provider_name, ==, "AZURE");
  g_assert_cmpstr (configs[0].region_name, ==, "US_EAST_2");
  g_assert_cmpstr (configs[0].instance_size, ==, "M10");
  g_assert_null (configs[0].backing_provider_name);

  g_object_get (cluster, "instance-size", &size, "multi-cloud", &multi, NULL);
  g_assert_cmpstr (size, ==, "M10");
  g_assert_false (multi);

  g_assert_true (kl_cluster_check_cmk_eligible (cluster, &error));
  g_assert_no_error (error);
}

static void
test_cluster_sharded_multi_region (void)
{
  g_autoptr(KlCluster) cluster = NULL;
  const KlRegionConfig *configs;
  guint n = 0;

  /* Two shards, two Azure regions each; analytics-only config without electable specs. */
  cluster = parse_cluster ("{\"name\":\"big\",\"clusterType\":\"SHARDED\",\"stateName\":\"UPDATING\","
                           "\"replicationSpecs\":["
                           "{\"regionConfigs\":[{\"providerName\":\"AZURE\",\"regionName\":\"US_EAST_2\","
                           "\"electableSpecs\":{\"instanceSize\":\"M30\"}},{\"providerName\":\"AZURE\","
                           "\"regionName\":\"US_WEST\",\"analyticsSpecs\":{\"instanceSize\":\"M40\"}}]},"
                           "{\"regionConfigs\":[{\"providerName\":\"AZURE\",\"regionName\":\"US_EAST_2\","
                           "\"electableSpecs\":{\"instanceSize\":\"M30\"}}]}]}");
  configs = kl_cluster_get_region_configs (cluster, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (configs[1].region_name, ==, "US_WEST");
  g_assert_cmpstr (configs[1].instance_size, ==, "M40");
  g_assert_false (kl_cluster_is_multi_cloud (cluster));
  g_assert_true (kl_cluster_check_cmk_eligible (cluster, NULL));
}

static void
assert_ineligible (KlCluster  *cluster,
                   const char *expected_fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (kl_cluster_check_cmk_eligible (cluster, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INELIGIBLE);
  g_assert_nonnull (strstr (error->message, kl_cluster_get_name (cluster)));
  g_assert_nonnull (strstr (error->message, expected_fragment));
}

static void
test_cluster_ineligible (void)
{
  g_autoptr(KlCluster) m0 = NULL;
  g_autoptr(KlCluster) m5 = NULL;
  g_autoptr(KlCluster) flex = NULL;
  g_autoptr(KlCluster) flex_provider = NULL;
  g_autoptr(KlCluster) serverless = NULL;
  g_autoptr(KlCluster) multi = NULL;
  g_autoptr(KlCluster) paused = NULL;

  m0 = parse_cluster ("{\"name\":\"free\",\"replicationSpecs\":[{\"regionConfigs\":["
                      "{\"providerName\":\"TENANT\",\"backingProviderName\":\"AZURE\","
                      "\"regionName\":\"US_EAST_2\",\"electableSpecs\":{\"instanceSize\":\"M0\"}}]}]}");
  g_assert_true (kl_cluster_is_tenant (m0));
  g_assert_true (kl_cluster_uses_provider (m0, "AZURE"));
  assert_ineligible (m0, "M0");

  m5 = parse_cluster ("{\"name\":\"shared\",\"replicationSpecs\":[{\"regionConfigs\":["
                      "{\"providerName\":\"TENANT\",\"backingProviderName\":\"AWS\","
                      "\"regionName\":\"US_EAST_1\",\"electableSpecs\":{\"instanceSize\":\"M5\"}}]}]}");
  g_assert_true (kl_cluster_is_tenant (m5));
  assert_ineligible (m5, "M5");

  /* A Flex cluster seen through the cluster API: TENANT with effectiveInstanceSize FLEX. */
  flex = parse_cluster ("{\"name\":\"flexy\",\"replicationSpecs\":[{\"regionConfigs\":["
                        "{\"providerName\":\"TENANT\",\"backingProviderName\":\"AZURE\","
                        "\"regionName\":\"US_EAST_2\",\"electableSpecs\":{\"instanceSize\":\"M5\","
                        "\"effectiveInstanceSize\":\"FLEX\"}}]}]}");
  g_assert_true (kl_cluster_is_flex (flex));
  g_assert_false (kl_cluster_is_tenant (flex));
  g_assert_cmpstr (kl_cluster_get_instance_size (flex), ==, "FLEX");
  assert_ineligible (flex, "Flex");

  flex_provider = parse_cluster ("{\"name\":\"flex2\",\"replicationSpecs\":[{\"regionConfigs\":["
                                 "{\"providerName\":\"FLEX\",\"backingProviderName\":\"AWS\","
                                 "\"regionName\":\"US_EAST_1\"}]}]}");
  g_assert_true (kl_cluster_is_flex (flex_provider));

  serverless = parse_cluster ("{\"name\":\"sls\",\"replicationSpecs\":[{\"regionConfigs\":["
                              "{\"providerName\":\"SERVERLESS\",\"backingProviderName\":\"AZURE\","
                              "\"regionName\":\"US_EAST_2\"}]}]}");
  g_assert_true (kl_cluster_is_serverless (serverless));
  assert_ineligible (serverless, "serverless");

  multi = parse_cluster ("{\"name\":\"everywhere\",\"replicationSpecs\":[{\"regionConfigs\":["
                         "{\"providerName\":\"AZURE\",\"regionName\":\"US_EAST_2\","
                         "\"electableSpecs\":{\"instanceSize\":\"M10\"}},"
                         "{\"providerName\":\"AWS\",\"regionName\":\"US_EAST_1\","
                         "\"electableSpecs\":{\"instanceSize\":\"M10\"}}]}]}");
  g_assert_true (kl_cluster_is_multi_cloud (multi));
  g_assert_true (kl_cluster_uses_provider (multi, "AWS"));
  assert_ineligible (multi, "cloud");

  paused = parse_cluster ("{\"name\":\"sleepy\",\"paused\":true,\"replicationSpecs\":["
                          "{\"regionConfigs\":[{\"providerName\":\"AZURE\","
                          "\"regionName\":\"US_EAST_2\",\"electableSpecs\":"
                          "{\"instanceSize\":\"M30\"}}]}]}");
  g_assert_true (kl_cluster_get_paused (paused));
  assert_ineligible (paused, "paused");
}

static void
test_cluster_unknown_values (void)
{
  g_autoptr(KlCluster) cluster = NULL;

  cluster = parse_cluster ("{\"name\":\"future\",\"stateName\":\"TELEPORTING\","
                           "\"encryptionAtRestProvider\":\"QUANTUM_KMS\",\"clusterType\":\"HYPER\","
                           "\"replicationSpecs\":null}");
  g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "TELEPORTING");
  g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (cluster), ==, "QUANTUM_KMS");
  g_assert_cmpstr (kl_cluster_get_cluster_type (cluster), ==, "HYPER");
  g_assert_null (kl_cluster_get_instance_size (cluster));
  g_assert_null (kl_cluster_get_provider_name (cluster));
  g_clear_object (&cluster);

  /* Region configs with nulls everywhere. */
  cluster = parse_cluster ("{\"name\":\"sparse\",\"replicationSpecs\":[{\"regionConfigs\":["
                           "{\"providerName\":null,\"regionName\":null,\"electableSpecs\":null}]},"
                           "{\"regionConfigs\":null}]}");
  g_assert_null (kl_cluster_get_instance_size (cluster));
  g_assert_false (kl_cluster_is_multi_cloud (cluster));
}

static void
test_cluster_wrong_shapes (void)
{
  static const char * const bad[] = {
    "{\"stateName\":\"IDLE\"}",
    "{\"name\":\"\"}",
    "{\"name\":\"x\",\"paused\":\"no\"}",
    "{\"name\":\"x\",\"replicationSpecs\":{}}",
    "{\"name\":\"x\",\"replicationSpecs\":[7]}",
    "{\"name\":\"x\",\"replicationSpecs\":[{\"regionConfigs\":{}}]}",
    "{\"name\":\"x\",\"replicationSpecs\":[{\"regionConfigs\":[\"AZURE\"]}]}",
    "{\"name\":\"x\",\"replicationSpecs\":[{\"regionConfigs\":[{\"electableSpecs\":[]}]}]}",
    "{\"name\":\"x\",\"replicationSpecs\":[{\"regionConfigs\":[{\"electableSpecs\":"
    "{\"instanceSize\":10}}]}]}",
    "{\"name\":\"x\",\"encryptionAtRestProvider\":false}",
  };
  guint i;

  assert_refuses_wrong_shapes ((Parser) kl_cluster_parse);

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlCluster) cluster = kl_cluster_parse (bad[i], -1, &error);

      g_assert_null (cluster);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }
}

/* ---- Atlas errors ---- */

static void
test_atlas_error_parse (void)
{
  g_autoptr(KlAtlasError) atlas_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  atlas_error = kl_atlas_error_parse (
    "{\"detail\":\"Cannot delete while provisioning.\",\"error\":400,"
    "\"errorCode\":\"ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING\","
    "\"parameters\":[[\"65f0000000000000000000e1\",\"US_EAST_2\"],3,true],\"reason\":\"Bad Request\","
    "\"badRequestDetail\":{\"fields\":[]}}",
    -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kl_atlas_error_get_http_status (atlas_error), ==, 400);
  g_assert_cmpstr (kl_atlas_error_get_error_code (atlas_error), ==,
                   "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING");
  g_assert_cmpstr (kl_atlas_error_get_detail (atlas_error), ==,
                   "Cannot delete while provisioning.");
  g_assert_cmpstr (kl_atlas_error_get_reason (atlas_error), ==, "Bad Request");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (kl_atlas_error_get_parameters (atlas_error)));
  text = kl_atlas_error_dup_parameters_text (atlas_error);
  g_assert_cmpstr (text, ==, "65f0000000000000000000e1, US_EAST_2, 3, true");
  g_clear_object (&atlas_error);

  /* Pretty-printed, as a 401 comes, with null detail and no parameters. */
  atlas_error = kl_atlas_error_parse ("{\n  \"detail\" : null,\n  \"error\" : 401,\n"
                                      "  \"errorCode\" : \"UNEXPECTED_ERROR\",\n"
                                      "  \"parameters\" : [ ],\n  \"reason\" : \"Unauthorized\"\n}",
                                      -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kl_atlas_error_get_http_status (atlas_error), ==, 401);
  g_assert_null (kl_atlas_error_get_detail (atlas_error));
  g_clear_pointer (&text, g_free);
  text = kl_atlas_error_dup_parameters_text (atlas_error);
  g_assert_null (text);
  g_clear_object (&atlas_error);

  /* OAuth 2 shape. */
  atlas_error = kl_atlas_error_parse ("{\"error\":\"access_denied\","
                                      "\"error_description\":\"Too many tokens\"}",
                                      -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_atlas_error_get_error_code (atlas_error), ==, "access_denied");
  g_assert_cmpstr (kl_atlas_error_get_detail (atlas_error), ==, "Too many tokens");
  g_assert_cmpuint (kl_atlas_error_get_http_status (atlas_error), ==, 0);
}

static void
test_atlas_error_wrong_shapes (void)
{
  static const char * const bad[] = {
    "{}",
    "{\"error\":500}",
    "{\"errorCode\":42}",
    "{\"errorCode\":\"X\",\"detail\":[]}",
  };
  guint i;

  assert_refuses_wrong_shapes ((Parser) kl_atlas_error_parse);

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlAtlasError) atlas_error = kl_atlas_error_parse (bad[i], -1, &error);

      g_assert_null (atlas_error);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }
}

static void
test_secret_wiped (void)
{
  g_autoptr(KlAzureKeyVault) akv = kl_azure_key_vault_new ();

  g_assert_false (kl_azure_key_vault_has_secret (akv));
  kl_azure_key_vault_set_secret (akv, "first");
  g_assert_true (kl_azure_key_vault_has_secret (akv));
  kl_azure_key_vault_set_secret (akv, "");
  g_assert_false (kl_azure_key_vault_has_secret (akv));
  kl_secret_free (NULL);
  kl_secret_free (g_strdup ("bye"));
}

/* A real Flex API item (flex-clusters-subset.yaml, recorded 2026-08-10), as Keylink shows it:
 * a Flex cluster on its backing cloud and region, never eligible. */
static void
test_cluster_flex_api (void)
{
  static const char item[] =
    "{\"backupSettings\":{\"enabled\":true},\"clusterType\":\"REPLICASET\","
    "\"connectionStrings\":{\"standardSrv\":\"mongodb+srv://cluster-83.ixq5zsj.mongodb-dev.net\"},"
    "\"createDate\":\"2026-08-10T03:02:55Z\",\"groupId\":\"b0123456789abcdef012345b\","
    "\"id\":\"6a793f5fc0eb9e7a17714c2a\",\"mongoDBVersion\":\"8.0.29\",\"name\":\"cluster-83\","
    "\"providerSettings\":{\"backingProviderName\":\"AWS\",\"diskSizeGB\":5.0,"
    "\"providerName\":\"FLEX\",\"regionName\":\"US_EAST_1\"},\"stateName\":\"IDLE\","
    "\"tags\":[],\"terminationProtectionEnabled\":false,\"versionReleaseSystem\":\"CONTINUOUS\"}";
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(KlCluster) bare = NULL;
  g_autoptr(KlCluster) bad = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page_json = NULL;
  const KlRegionConfig *configs;
  gboolean has_next = TRUE;
  guint n = 0;

  cluster = kl_cluster_parse_flex (item, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_cluster_get_name (cluster), ==, "cluster-83");
  g_assert_cmpstr (kl_cluster_get_id (cluster), ==, "6a793f5fc0eb9e7a17714c2a");
  g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "IDLE");
  g_assert_cmpstr (kl_cluster_get_cluster_type (cluster), ==, "REPLICASET");
  g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (cluster), ==, "NONE");
  g_assert_true (kl_cluster_is_flex (cluster));
  g_assert_false (kl_cluster_is_tenant (cluster));
  g_assert_false (kl_cluster_is_multi_cloud (cluster));
  g_assert_false (kl_cluster_get_paused (cluster));
  g_assert_true (kl_cluster_uses_provider (cluster, "AWS"));
  g_assert_false (kl_cluster_uses_provider (cluster, "AZURE"));
  g_assert_cmpstr (kl_cluster_get_instance_size (cluster), ==, "FLEX");
  configs = kl_cluster_get_region_configs (cluster, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (configs[0].provider_name, ==, "FLEX");
  g_assert_cmpstr (configs[0].backing_provider_name, ==, "AWS");
  g_assert_cmpstr (configs[0].region_name, ==, "US_EAST_1");
  g_assert_false (kl_cluster_check_cmk_eligible (cluster, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INELIGIBLE);
  g_assert_nonnull (strstr (error->message, "“\xe2\x81\xa8" "cluster-83\xe2\x81\xa9” is a Flex cluster"));
  g_clear_error (&error);

  /* A page of them; and only name is needed, providerSettings may be missing. */
  page_json = g_strdup_printf ("{\"links\":[],\"results\":[%s],\"totalCount\":1}", item);
  page = kl_cluster_parse_flex_page (page_json, -1, &has_next, &error);
  g_assert_no_error (error);
  g_assert_false (has_next);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_true (kl_cluster_is_flex (g_ptr_array_index (page, 0)));
  bare = kl_cluster_parse_flex ("{\"name\":\"f1\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (kl_cluster_is_flex (bare));

  /* No name, or a wrong shape: a bad answer. */
  bad = kl_cluster_parse_flex ("{\"id\":\"6a793f5fc0eb9e7a17714c2a\"}", -1, &error);
  g_assert_null (bad);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  bad = kl_cluster_parse_flex ("{\"name\":\"f1\",\"providerSettings\":[]}", -1, &error);
  g_assert_null (bad);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/atlas-types/ids", test_ids);
  g_test_add_func ("/atlas-types/project/parse", test_project_parse);
  g_test_add_func ("/atlas-types/project/wrong-shapes", test_project_wrong_shapes);
  g_test_add_func ("/atlas-types/project/nulls", test_project_nulls);
  g_test_add_func ("/atlas-types/pages", test_pages);
  g_test_add_func ("/atlas-types/pages/wrong-shapes", test_pages_wrong_shapes);
  g_test_add_func ("/atlas-types/pages/bad-bytes", test_pages_bad_bytes);
  g_test_add_func ("/atlas-types/encryption-at-rest/full", test_encryption_at_rest_full);
  g_test_add_func ("/atlas-types/encryption-at-rest/unconfigured",
                   test_encryption_at_rest_unconfigured);
  g_test_add_func ("/atlas-types/encryption-at-rest/other-providers",
                   test_encryption_at_rest_other_providers);
  g_test_add_func ("/atlas-types/encryption-at-rest/wrong-shapes",
                   test_encryption_at_rest_wrong_shapes);
  g_test_add_func ("/atlas-types/build/first-enable", test_build_first_enable);
  g_test_add_func ("/atlas-types/build/first-enable-missing", test_build_first_enable_missing);
  g_test_add_func ("/atlas-types/build/partial", test_build_partial);
  g_test_add_func ("/atlas-types/build/frozen-fields", test_build_frozen_fields);
  g_test_add_func ("/atlas-types/build/small-bodies", test_build_small_bodies);
  g_test_add_func ("/atlas-types/endpoint/statuses", test_endpoint_statuses);
  g_test_add_func ("/atlas-types/endpoint/fields", test_endpoint_fields);
  g_test_add_func ("/atlas-types/endpoint/wrong-shapes", test_endpoint_wrong_shapes);
  g_test_add_func ("/atlas-types/cluster/dedicated", test_cluster_dedicated);
  g_test_add_func ("/atlas-types/cluster/sharded-multi-region", test_cluster_sharded_multi_region);
  g_test_add_func ("/atlas-types/cluster/ineligible", test_cluster_ineligible);
  g_test_add_func ("/atlas-types/cluster/unknown-values", test_cluster_unknown_values);
  g_test_add_func ("/atlas-types/cluster/wrong-shapes", test_cluster_wrong_shapes);
  g_test_add_func ("/atlas-types/cluster/flex-api", test_cluster_flex_api);
  g_test_add_func ("/atlas-types/atlas-error/parse", test_atlas_error_parse);
  g_test_add_func ("/atlas-types/atlas-error/wrong-shapes", test_atlas_error_wrong_shapes);
  g_test_add_func ("/atlas-types/secret", test_secret_wiped);

  return g_test_run ();
}
