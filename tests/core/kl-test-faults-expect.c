/* kl-test-faults-expect.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-faults.h"

/* ------------------------------------------------------------------------------------------ */
/* Synchronous helpers for the admin client (set-up and read-back)                            */

static KlAzureKeyVault *
wanted_vault (void)
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
  kl_azure_key_vault_set_secret (akv, "azure~app~made-up~secret");
  return akv;
}

GBytes *
enable_body (void)
{
  g_autoptr(KlAzureKeyVault) wanted = wanted_vault ();
  g_autoptr(GError) error = NULL;
  GBytes *body;

  body = kl_encryption_at_rest_build_patch (NULL, wanted, &error);
  g_assert_no_error (error);
  return body;
}

static KlEncryptionAtRest *
admin_get_ear (Case    *c,
               GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_encryption_at_rest_async (c->admin, GROUP, NULL, store_result_cb, &result);
  return kl_atlas_client_get_encryption_at_rest_finish (c->admin, wait_result (c, &result),
                                                        error);
}

KlEncryptionAtRest *
admin_patch_ear (Case    *c,
                 GBytes  *body,
                 GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_patch_encryption_at_rest_async (c->admin, GROUP, body, NULL, store_result_cb,
                                                  &result);
  return kl_atlas_client_patch_encryption_at_rest_finish (c->admin, wait_result (c, &result),
                                                          error);
}

static GPtrArray *
admin_list_endpoints (Case    *c,
                      GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_private_endpoints_async (c->admin, GROUP, NULL, store_result_cb, &result);
  return kl_atlas_client_list_private_endpoints_finish (c->admin, wait_result (c, &result),
                                                        error);
}

KlPrivateEndpoint *
admin_ensure_endpoint (Case    *c,
                       GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_ensure_private_endpoint_async (c->admin, GROUP, REGION, NULL, store_result_cb,
                                                 &result);
  return kl_atlas_client_ensure_private_endpoint_finish (c->admin, wait_result (c, &result),
                                                         error);
}

static KlPrivateEndpoint *
admin_get_endpoint (Case    *c,
                    GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_private_endpoint_async (c->admin, GROUP, c->endpoint_id, NULL,
                                              store_result_cb, &result);
  return kl_atlas_client_get_private_endpoint_finish (c->admin, wait_result (c, &result), error);
}

static KlCluster *
admin_get_cluster (Case    *c,
                   GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_cluster_async (c->admin, GROUP, CLUSTER, NULL, store_result_cb, &result);
  return kl_atlas_client_get_cluster_finish (c->admin, wait_result (c, &result), error);
}

static GPtrArray *
admin_list_projects (Case    *c,
                     GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_projects_async (c->admin, NULL, store_result_cb, &result);
  return kl_atlas_client_list_projects_finish (c->admin, wait_result (c, &result), error);
}

static GPtrArray *
admin_list_clusters (Case    *c,
                     GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_clusters_async (c->admin, GROUP, NULL, store_result_cb, &result);
  return kl_atlas_client_list_clusters_finish (c->admin, wait_result (c, &result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* What each case must end with                                                                */

static Expect
expect_error (gint    code,
              Applied applied)
{
  Expect e = { FALSE, FALSE, KL_ERROR, code, applied };

  return e;
}

static Expect
expect_success (Applied applied)
{
  Expect e = { FALSE, TRUE, 0, 0, applied };

  return e;
}

static Expect
expect_na (void)
{
  Expect e = { TRUE, FALSE, 0, 0, APPLIED_NA };

  return e;
}

Expect
expectation (Op    op,
             Fault fault)
{
  OpFlags flags = ops[op].flags;
  gboolean write = (flags & OP_WRITE) != 0;
  gboolean retried = (flags & OP_RETRIED) != 0;
  /* Whether a write took effect: never for reads. */
  Applied no = write ? APPLIED_NO : APPLIED_NA;
  Applied yes = write ? APPLIED_YES : APPLIED_NA;

  switch (fault)
    {
    case F_429_WAIT:
    case F_429_NO_WAIT:
      return expect_error (KL_ERROR_RATE_LIMITED, no);

    case F_429_ONCE:
      /* Nothing was done: any method is repeated. */
      return expect_success (yes);

    case F_500:
    case F_502:
    case F_503:
      return expect_error (KL_ERROR_SERVER, no);

    case F_500_ONCE:
      /* GET and DELETE are repeated; the safe create lists, then POSTs again. */
      if (retried || op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_SERVER, no);

    case F_500_AFTER:
      if (retried || op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_SERVER, yes);

    case F_DROP:
      return expect_error (KL_ERROR_NETWORK, no);

    case F_DROP_ONCE:
      if (retried || op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_NETWORK, no);

    case F_DROP_AFTER:
      if (retried || op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_NETWORK, yes);

    case F_REFUSED:
    case F_DNS:
      return expect_error (KL_ERROR_NETWORK, no);

    case F_TLS_PLAIN:
    case F_TLS_SELF_SIGNED:
      return expect_error (KL_ERROR_TLS, no);

    case F_STALL_CANCEL:
      {
        /* The stalled request is answered, and takes effect, when the faults are cleared. */
        Expect e = { FALSE, FALSE, G_IO_ERROR, G_IO_ERROR_CANCELLED, yes };

        return e;
      }

    case F_STALL_TIMEOUT:
      return expect_error (KL_ERROR_TIMEOUT, yes);

    case F_MALFORMED:
      return expect_error (KL_ERROR_BAD_RESPONSE, no);

    case F_MALFORMED_AFTER:
      /* The safe create lists again and finds it. */
      if (op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_BAD_RESPONSE, yes);

    case F_WRONG_SHAPE:
      /* DELETE reads no body. */
      if (op == OP_DELETE_ENDPOINT)
        return expect_na ();
      return expect_error (KL_ERROR_BAD_RESPONSE, no);

    case F_UNKNOWN_ENUM:
      /* Projects have no enum; DELETE reads no body; a token of an unknown type is useless. */
      if (op == OP_LIST_PROJECTS || op == OP_GET_PROJECT || op == OP_DELETE_ENDPOINT)
        return expect_na ();
      if (op == OP_TOKEN)
        return expect_error (KL_ERROR_BAD_RESPONSE, no);
      return expect_success (yes);

    case F_HUGE:
    case F_HUGE_CHUNKED:
      return expect_error (KL_ERROR_BAD_RESPONSE, no);

    case F_LYING_TOTAL:
    case F_NEXT_FOREVER:
      if (!(flags & OP_LIST))
        return expect_na ();
      return expect_success (yes);

    case F_HOSTILE:
      return expect_error (KL_ERROR_BAD_REQUEST, no);

    case F_DEEP_NESTING:
      return expect_error (KL_ERROR_BAD_RESPONSE, no);

    case N_FAULTS:
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Bodies for the "body" faults                                                                */

static const char *
op_path (Case *c)
{
  return ops[c->op].path != NULL ? ops[c->op].path : c->endpoint_path;
}

#define PROJECT_JSON \
  "{\"id\":\"" GROUP "\",\"name\":\"Payments\",\"orgId\":\"" KL_SIM_ORG_ID "\"," \
  "\"clusterCount\":2,\"created\":\"2024-06-01T09:00:00Z\"}"
#define OTHER_ENDPOINT_JSON \
  "{\"cloudProvider\":\"AZURE\",\"id\":\"65f00000000000000000e001\"," \
  "\"regionName\":\"EUROPE_WEST\",\"status\":\"PENDING_ACCEPTANCE\"}"
#define CLUSTER_JSON(state, provider) \
  "{\"name\":\"" CLUSTER "\",\"stateName\":\"" state "\",\"encryptionAtRestProvider\":\"" \
  provider "\",\"clusterType\":\"REPLICASET\",\"replicationSpecs\":[{\"regionConfigs\":" \
  "[{\"providerName\":\"AZURE\",\"regionName\":\"" REGION "\",\"electableSpecs\":" \
  "{\"instanceSize\":\"M10\"}}]}]}"

static char *
endpoint_json (Case       *c,
               const char *status)
{
  return g_strdup_printf ("{\"cloudProvider\":\"AZURE\",\"id\":\"%s\",\"regionName\":\"" REGION
                          "\",\"status\":\"%s\"}",
                          c->endpoint_id != NULL ? c->endpoint_id : "65f00000000000000000e002",
                          status);
}

static char *
page_json (Case       *c,
           const char *item)
{
  return g_strdup_printf ("{\"links\":[{\"href\":\"%s%s?pageNum=2&itemsPerPage=500\","
                          "\"rel\":\"next\"}],\"results\":[%s],\"totalCount\":100000}",
                          kl_sim_get_base_url (c->sim), op_path (c), item);
}

static char *
wrong_shape_body (Case *c)
{
  switch (c->op)
    {
    case OP_TOKEN:
      return g_strdup ("{\"access_token\":12345,\"token_type\":\"Bearer\",\"expires_in\":3600}");
    case OP_LIST_PROJECTS:
    case OP_LIST_ENDPOINTS:
    case OP_LIST_CLUSTERS:
      return g_strdup ("{\"results\":{\"id\":\"" GROUP "\"},\"totalCount\":1}");
    case OP_GET_PROJECT:
      return g_strdup ("{\"id\":\"" GROUP "\",\"name\":[\"Payments\"]}");
    case OP_GET_EAR:
    case OP_PATCH_EAR:
      return g_strdup ("{\"azureKeyVault\":\"enabled\"}");
    case OP_GET_ENDPOINT:
    case OP_ENSURE_ENDPOINT:
      return g_strdup ("{\"id\":\"65f00000000000000000e002\",\"regionName\":\"" REGION "\","
                       "\"status\":3}");
    case OP_GET_CLUSTER:
    case OP_PATCH_CLUSTER:
      return g_strdup ("{\"name\":\"" CLUSTER "\",\"replicationSpecs\":7}");
    case OP_DELETE_ENDPOINT:
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

static char *
unknown_enum_body (Case *c)
{
  switch (c->op)
    {
    case OP_TOKEN:
      return g_strdup ("{\"access_token\":\"made-up\",\"token_type\":\"" UNKNOWN_ENUM "\","
                       "\"expires_in\":3600}");
    case OP_GET_EAR:
    case OP_PATCH_EAR:
      return g_strdup ("{\"azureKeyVault\":{\"azureEnvironment\":\"" UNKNOWN_ENUM "\","
                       "\"enabled\":true,\"valid\":true,\"requirePrivateNetworking\":false}}");
    case OP_GET_ENDPOINT:
    case OP_ENSURE_ENDPOINT:
      return endpoint_json (c, UNKNOWN_ENUM);
    case OP_LIST_ENDPOINTS:
      {
        g_autofree char *item = endpoint_json (c, UNKNOWN_ENUM);

        return g_strdup_printf ("{\"links\":[],\"results\":[%s],\"totalCount\":1}", item);
      }
    case OP_GET_CLUSTER:
    case OP_PATCH_CLUSTER:
      return g_strdup (CLUSTER_JSON (UNKNOWN_ENUM, UNKNOWN_ENUM));
    case OP_LIST_CLUSTERS:
      return g_strdup ("{\"links\":[],\"results\":[" CLUSTER_JSON (UNKNOWN_ENUM, UNKNOWN_ENUM)
                       "],\"totalCount\":1}");
    case OP_LIST_PROJECTS:
    case OP_GET_PROJECT:
    case OP_DELETE_ENDPOINT:
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

static char *
next_forever_page (Case *c)
{
  switch (c->op)
    {
    case OP_LIST_PROJECTS:
      return page_json (c, PROJECT_JSON);
    case OP_LIST_ENDPOINTS:
      {
        g_autofree char *item = endpoint_json (c, "PENDING_ACCEPTANCE");

        return page_json (c, item);
      }
    case OP_ENSURE_ENDPOINT:
      /* Another region's endpoint, for ever: the create still happens, once. */
      return page_json (c, OTHER_ENDPOINT_JSON);
    case OP_LIST_CLUSTERS:
      return page_json (c, CLUSTER_JSON ("IDLE", "NONE"));
    case OP_TOKEN:
    case OP_GET_PROJECT:
    case OP_GET_EAR:
    case OP_PATCH_EAR:
    case OP_GET_ENDPOINT:
    case OP_DELETE_ENDPOINT:
    case OP_GET_CLUSTER:
    case OP_PATCH_CLUSTER:
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

static char *
hostile_detail (void)
{
  GString *text = g_string_new (HOSTILE_TEXT " ");
  guint i;

  /* A long one too: 8 KiB more. */
  for (i = 0; i < 8192; i++)
    g_string_append_c (text, "ab%<>&"[i % 6]);
  return g_string_free (text, FALSE);
}

/* The rule for @c's fault, aimed at its operation's request; NULL for transport faults. */
char *
fault_rule (Case *c)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *method = ops[c->op].method;
  const char *path = op_path (c);
  const char *kind = NULL;
  gint status = 0;
  gint count = 0;
  gboolean after = FALSE;

  switch (c->fault)
    {
    case F_REFUSED:
    case F_DNS:
    case F_TLS_PLAIN:
    case F_TLS_SELF_SIGNED:
      return NULL;
    case F_429_WAIT:
      return g_strdup_printf ("{\"path\":\"%s\",\"method\":\"%s\",\"kind\":\"retry_after\","
                              "\"retryAfter\":120}", path, method);
    case F_429_NO_WAIT:
      kind = "status", status = 429;
      break;
    case F_429_ONCE:
      kind = "status", status = 429, count = 1;
      break;
    case F_500:
      kind = "status", status = 500;
      break;
    case F_502:
      kind = "status", status = 502;
      break;
    case F_503:
      kind = "status", status = 503;
      break;
    case F_500_ONCE:
      kind = "status", status = 500, count = 1;
      break;
    case F_500_AFTER:
      kind = "status", status = 500, count = 1, after = TRUE;
      break;
    case F_DROP:
      kind = "drop";
      break;
    case F_DROP_ONCE:
      kind = "drop", count = 1;
      break;
    case F_DROP_AFTER:
      kind = "drop", count = 1, after = TRUE;
      break;
    case F_STALL_CANCEL:
    case F_STALL_TIMEOUT:
      kind = "stall";
      break;
    case F_MALFORMED:
      kind = "malformed";
      break;
    case F_MALFORMED_AFTER:
      kind = "malformed", count = 1, after = TRUE;
      break;
    case F_WRONG_SHAPE:
      kind = "body", body = wrong_shape_body (c);
      break;
    case F_UNKNOWN_ENUM:
      kind = "body", body = unknown_enum_body (c), after = TRUE;
      break;
    case F_HUGE:
    case F_HUGE_CHUNKED:
      kind = "body", body = g_strdup ("{}");
      break;
    case F_LYING_TOTAL:
      return g_strdup_printf ("{\"path\":\"%s\",\"method\":\"GET\",\"kind\":\"lying_pages\","
                              "\"totalCount\":5000}",
                              c->op == OP_ENSURE_ENDPOINT ? ENDPOINTS_PATH : path);
    case F_NEXT_FOREVER:
      kind = "body", body = next_forever_page (c), method = "GET";
      if (c->op == OP_ENSURE_ENDPOINT)
        path = ENDPOINTS_PATH;
      break;
    case F_HOSTILE:
      break;
    case F_DEEP_NESTING:
      {
        g_autofree char *brackets = g_strnfill (200000, '[');

        return g_strdup_printf ("{\"path\":\"%s\",\"method\":\"%s\",\"kind\":\"body\","
                                "\"bodyText\":\"%s\"}", path, method, brackets);
      }
    case N_FAULTS:
    default:
      g_assert_not_reached ();
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);

  if (c->fault == F_HOSTILE)
    {
      g_autofree char *detail = hostile_detail ();

      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "body");
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, 400);
      json_builder_set_member_name (builder, "contentType");
      json_builder_add_string_value (builder, "application/json");
      json_builder_set_member_name (builder, "headers");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "X-Error-Code");
      json_builder_add_string_value (builder, "%s%n<b>");
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "body");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
      json_builder_set_member_name (builder, "error");
      json_builder_add_int_value (builder, 400);
      json_builder_set_member_name (builder, "errorCode");
      json_builder_add_string_value (builder, "%n%s%x_<i>&amp;");
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "%s%n");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "<b>&</b>");
      json_builder_end_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, "<b>Bad Request</b> %s");
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind);
      if (status != 0)
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_int_value (builder, status);
        }
      if (count != 0)
        {
          json_builder_set_member_name (builder, "count");
          json_builder_add_int_value (builder, count);
        }
      if (after)
        {
          json_builder_set_member_name (builder, "afterProcessing");
          json_builder_add_boolean_value (builder, TRUE);
        }
      if (body != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          if (!json_parser_load_from_data (parser, body, -1, &error))
            g_error ("test body is not JSON: %s: %s", error->message, body);
          json_builder_set_member_name (builder, "body");
          json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
        }
      if (c->fault == F_HUGE || c->fault == F_HUGE_CHUNKED)
        {
          json_builder_set_member_name (builder, "padBytes");
          json_builder_add_int_value (builder, HUGE_BYTES);
          json_builder_set_member_name (builder, "chunked");
          json_builder_add_boolean_value (builder, c->fault == F_HUGE_CHUNKED);
        }
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Checks                                                                                      */

static gboolean
ptr_array_ids_unique (GPtrArray   *items,
                      const char *(*get_id) (gpointer))
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  for (i = 0; i < items->len; i++)
    {
      const char *id = get_id (g_ptr_array_index (items, i));

      if (id == NULL || !g_hash_table_add (seen, (gpointer) id))
        return FALSE;
    }
  return TRUE;
}

const char *
endpoint_id (gpointer item)
{
  return kl_private_endpoint_get_id (item);
}

/* No region has two endpoints (DELETING ones aside, which a region may have besides). */
static void
check_one_endpoint_per_region (Case      *c,
                               GPtrArray *endpoints)
{
  g_autoptr(GHashTable) regions = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) doubled = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  CHECK (c, ptr_array_ids_unique (endpoints, endpoint_id));
  for (i = 0; i < endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      const char *region = kl_private_endpoint_get_region_name (endpoint);

      if (kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_DELETING)
        continue;
      if (!g_hash_table_add (regions, (gpointer) region) &&
          g_hash_table_add (doubled, (gpointer) region))
        case_fail (c, "more than one endpoint in %s (%u listed)", region, endpoints->len);
    }
}

/* The message a person reads: there, readable, and not the server's own words. */
static void
check_message (Case         *c,
               const GError *error)
{
  const char *message = error->message;

  CHECK (c, message != NULL && message[0] != '\0');
  CHECK (c, g_utf8_validate (message, -1, NULL));
  CHECK (c, message[0] != '{');
  CHECK (c, strstr (message, "Injected fault") == NULL);
  CHECK (c, strstr (message, "Too many requests: retry after") == NULL);
  CHECK (c, strstr (message, "UNEXPECTED_ERROR") == NULL);
  CHECK (c, strstr (message, "SIM_INJECTED_FAULT") == NULL);
  CHECK (c, strstr (message, "\"results\"") == NULL);

  if (c->fault == F_429_WAIT)
    {
      CHECK (c, kl_error_get_retry_after (error) == 120);
      CHECK (c, strstr (message, "120") != NULL);
    }
  if (c->fault == F_429_NO_WAIT)
    CHECK (c, kl_error_get_retry_after (error) == 0);

  if (c->fault == F_HOSTILE)
    {
      /* The server's text, as text: every directive and tag still there, nothing expanded. */
      CHECK (c, strstr (message, HOSTILE_TEXT) != NULL);
      CHECK (c, g_strcmp0 (kl_error_get_atlas_code (error), "%n%s%x_<i>&amp;") == 0);
      CHECK (c, kl_error_get_http_status (error) == 400);
    }
}

static const char *
project_id (gpointer item)
{
  return kl_project_get_id (item);
}

static const char *
cluster_name (gpointer item)
{
  return kl_cluster_get_name (item);
}

/* The value of a successful case. */
static void
check_value (Case     *c,
             gpointer  value)
{
  switch (c->op)
    {
    case OP_TOKEN:
    case OP_LIST_PROJECTS:
      {
        GPtrArray *projects = value;

        CHECK (c, ptr_array_ids_unique (projects, project_id));
        CHECK (c, projects->len == (c->fault == F_NEXT_FOREVER ? 1 : SEEDED_PROJECTS));
      }
      break;
    case OP_GET_PROJECT:
      CHECK (c, g_strcmp0 (kl_project_get_id (value), GROUP) == 0);
      CHECK (c, g_strcmp0 (kl_project_get_name (value), "Payments") == 0);
      break;
    case OP_GET_EAR:
    case OP_PATCH_EAR:
      {
        KlAzureKeyVault *akv = kl_encryption_at_rest_get_azure_key_vault (value);

        if (c->fault == F_UNKNOWN_ENUM)
          CHECK (c, g_strcmp0 (kl_azure_key_vault_get_azure_environment (akv),
                               UNKNOWN_ENUM) == 0);
        if (c->op == OP_PATCH_EAR)
          CHECK (c, kl_azure_key_vault_get_enabled (akv));
        CHECK (c, !kl_azure_key_vault_has_secret (akv));
      }
      break;
    case OP_LIST_ENDPOINTS:
      {
        GPtrArray *endpoints = value;

        check_one_endpoint_per_region (c, endpoints);
        CHECK (c, endpoints->len == 1);
        if (endpoints->len == 1 && c->fault == F_UNKNOWN_ENUM)
          {
            KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, 0);

            CHECK (c, kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_UNKNOWN);
            CHECK (c, g_strcmp0 (kl_private_endpoint_get_status_text (endpoint),
                                 UNKNOWN_ENUM) == 0);
          }
      }
      break;
    case OP_GET_ENDPOINT:
    case OP_ENSURE_ENDPOINT:
      CHECK (c, g_strcmp0 (kl_private_endpoint_get_region_name (value), REGION) == 0);
      CHECK (c, kl_atlas_id_is_valid (kl_private_endpoint_get_id (value)));
      if (c->fault == F_UNKNOWN_ENUM)
        {
          CHECK (c, kl_private_endpoint_get_status (value) == KL_ENDPOINT_STATUS_UNKNOWN);
          CHECK (c, g_strcmp0 (kl_private_endpoint_get_status_text (value), UNKNOWN_ENUM) == 0);
        }
      else
        {
          CHECK (c, kl_private_endpoint_get_status (value) != KL_ENDPOINT_STATUS_UNKNOWN);
        }
      break;
    case OP_DELETE_ENDPOINT:
      break;
    case OP_LIST_CLUSTERS:
      {
        GPtrArray *clusters = value;

        CHECK (c, ptr_array_ids_unique (clusters, cluster_name));
        CHECK (c, clusters->len == (c->fault == F_NEXT_FOREVER || c->fault == F_UNKNOWN_ENUM
                                    ? 1 : 2));
        if (clusters->len == 1 && c->fault == F_UNKNOWN_ENUM)
          CHECK (c, g_strcmp0 (kl_cluster_get_state_name (g_ptr_array_index (clusters, 0)),
                               UNKNOWN_ENUM) == 0);
      }
      break;
    case OP_GET_CLUSTER:
    case OP_PATCH_CLUSTER:
      CHECK (c, g_strcmp0 (kl_cluster_get_name (value), CLUSTER) == 0);
      if (c->fault == F_UNKNOWN_ENUM)
        {
          CHECK (c, g_strcmp0 (kl_cluster_get_state_name (value), UNKNOWN_ENUM) == 0);
          CHECK (c, g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (value),
                               UNKNOWN_ENUM) == 0);
        }
      else if (c->op == OP_PATCH_CLUSTER)
        {
          CHECK (c, g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (value), "AZURE") == 0);
        }
      break;
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

/* Finishes the operation; returns a short name of what it ended with, for the matrix. */
char *
check_result (Case *c)
{
  g_autoptr(GError) error = NULL;
  gpointer value = NULL;
  GDestroyNotify value_free = g_object_unref;
  gboolean ok = FALSE;

  switch (c->op)
    {
    case OP_TOKEN:
    case OP_LIST_PROJECTS:
      value = kl_atlas_client_list_projects_finish (c->client, c->result, &error);
      value_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case OP_GET_PROJECT:
      value = kl_atlas_client_get_project_finish (c->client, c->result, &error);
      break;
    case OP_GET_EAR:
      value = kl_atlas_client_get_encryption_at_rest_finish (c->client, c->result, &error);
      break;
    case OP_PATCH_EAR:
      value = kl_atlas_client_patch_encryption_at_rest_finish (c->client, c->result, &error);
      break;
    case OP_LIST_ENDPOINTS:
      value = kl_atlas_client_list_private_endpoints_finish (c->client, c->result, &error);
      value_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case OP_GET_ENDPOINT:
      value = kl_atlas_client_get_private_endpoint_finish (c->client, c->result, &error);
      break;
    case OP_ENSURE_ENDPOINT:
      value = kl_atlas_client_ensure_private_endpoint_finish (c->client, c->result, &error);
      break;
    case OP_DELETE_ENDPOINT:
      ok = kl_atlas_client_delete_private_endpoint_finish (c->client, c->result, &error);
      value_free = NULL;
      break;
    case OP_LIST_CLUSTERS:
      value = kl_atlas_client_list_clusters_finish (c->client, c->result, &error);
      value_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case OP_GET_CLUSTER:
      value = kl_atlas_client_get_cluster_finish (c->client, c->result, &error);
      break;
    case OP_PATCH_CLUSTER:
      value = kl_atlas_client_set_cluster_encryption_finish (c->client, c->result, &error);
      break;
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
  ok = ok || value != NULL;

  /* Exactly one of a value and an error. */
  CHECK (c, ok == (error == NULL));

  if (c->expect.success)
    {
      if (error != NULL)
        case_fail (c, "expected success, got %s %d: %s", g_quark_to_string (error->domain),
                   error->code, error->message);
      else if (value != NULL)
        check_value (c, value);
    }
  else if (error == NULL)
    {
      case_fail (c, "expected %s %d, got success", g_quark_to_string (c->expect.domain),
                 c->expect.code);
    }
  else
    {
      if (!g_error_matches (error, c->expect.domain, c->expect.code))
        case_fail (c, "expected %s %d, got %s %d: %s", g_quark_to_string (c->expect.domain),
                   c->expect.code, g_quark_to_string (error->domain), error->code,
                   error->message);
      check_message (c, error);
    }

  if (value != NULL && value_free != NULL)
    value_free (value);

  if (error == NULL)
    return g_strdup ("ok");
  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_CANCELLED)
    return g_strdup ("CANCELLED");
  if (error->domain == KL_ERROR)
    {
      static const char *const names[] = {
        "FAILED", "INVALID_INPUT", "INSECURE_URL", "AUTH_FAILED", "FORBIDDEN",
        "IP_NOT_ON_ACCESS_LIST", "TOO_MANY_TOKENS", "NOT_FOUND", "RATE_LIMITED", "CONFLICT",
        "INVALID_AZURE_CREDENTIALS", "BAD_REQUEST", "SERVER", "NETWORK", "TLS", "TIMEOUT",
        "BAD_RESPONSE", "INELIGIBLE", "KEYRING_UNAVAILABLE", "KEYRING_LOCKED", "API_VERSION",
      };

      if (error->code >= 0 && (guint) error->code < G_N_ELEMENTS (names))
        return g_strdup (names[error->code]);
    }
  return g_strdup_printf ("%s:%d", g_quark_to_string (error->domain), error->code);
}

static guint
count_requests (Case       *c,
                const char *method,
                const char *path)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (c->sim);
  guint n = 0;
  guint i;

  for (i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->method, method) == 0 && g_strcmp0 (request->path, path) == 0)
        n++;
    }
  return n;
}

/* After the faults are cleared: the server's state is what it really did. */
void
check_read_back (Case *c)
{
  g_autoptr(GError) error = NULL;
  Applied applied = c->expect.applied;

  /* Pages that never end are fetched a bounded number of times. */
  if (c->fault == F_LYING_TOTAL || c->fault == F_NEXT_FOREVER)
    {
      const char *path = c->op == OP_ENSURE_ENDPOINT ? ENDPOINTS_PATH : op_path (c);
      guint pages = count_requests (c, "GET", path);
      /* Real pages of 2 (lying-total-count: a last, empty one more), or one page and one
       * that brings nothing new. */
      guint bound = c->fault == F_NEXT_FOREVER ? 2 : SEEDED_PROJECTS / 2 + 2;

      if (pages > bound)
        case_fail (c, "%u page requests for a list (at most %u expected)", pages, bound);
    }

  switch (c->op)
    {
    case OP_TOKEN:
    case OP_LIST_PROJECTS:
      {
        g_autoptr(GPtrArray) projects = admin_list_projects (c, &error);

        CHECK (c, error == NULL);
        if (projects != NULL)
          CHECK (c, projects->len == SEEDED_PROJECTS);
      }
      break;

    case OP_GET_PROJECT:
    case OP_GET_EAR:
    case OP_GET_CLUSTER:
      break;

    case OP_LIST_CLUSTERS:
      {
        g_autoptr(GPtrArray) clusters = admin_list_clusters (c, &error);

        CHECK (c, error == NULL);
        if (clusters != NULL)
          CHECK (c, clusters->len == 2);
      }
      break;

    case OP_PATCH_EAR:
      {
        g_autoptr(KlEncryptionAtRest) ear = admin_get_ear (c, &error);

        CHECK (c, error == NULL);
        if (ear != NULL)
          {
            KlAzureKeyVault *akv = kl_encryption_at_rest_get_azure_key_vault (ear);
            gboolean enabled = kl_azure_key_vault_get_enabled (akv);

            if (enabled != (applied == APPLIED_YES))
              case_fail (c, "read back: CMK is %s", enabled ? "on" : "off");
          }
      }
      break;

    case OP_LIST_ENDPOINTS:
    case OP_GET_ENDPOINT:
    case OP_ENSURE_ENDPOINT:
    case OP_DELETE_ENDPOINT:
      {
        g_autoptr(GPtrArray) endpoints = admin_list_endpoints (c, &error);
        guint in_region = 0;
        guint i;

        CHECK (c, error == NULL);
        if (endpoints == NULL)
          break;
        check_one_endpoint_per_region (c, endpoints);
        for (i = 0; i < endpoints->len; i++)
          {
            KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);

            if (g_strcmp0 (kl_private_endpoint_get_region_name (endpoint), REGION) == 0)
              in_region++;
          }

        if (c->op == OP_ENSURE_ENDPOINT && in_region != (applied == APPLIED_YES ? 1 : 0))
          case_fail (c, "read back: %u endpoints in %s", in_region, REGION);
        if (c->op != OP_ENSURE_ENDPOINT)
          CHECK (c, in_region == 1);

        if (c->op == OP_DELETE_ENDPOINT)
          {
            g_autoptr(GError) get_error = NULL;
            g_autoptr(KlPrivateEndpoint) endpoint = admin_get_endpoint (c, &get_error);
            KlEndpointStatus status;

            CHECK (c, get_error == NULL);
            if (endpoint == NULL)
              break;
            status = kl_private_endpoint_get_status (endpoint);
            if ((status == KL_ENDPOINT_STATUS_DELETING) != (applied == APPLIED_YES))
              case_fail (c, "read back: the endpoint is %s",
                         kl_private_endpoint_get_status_text (endpoint));
          }
      }
      break;

    case OP_PATCH_CLUSTER:
      {
        g_autoptr(KlCluster) cluster = admin_get_cluster (c, &error);

        CHECK (c, error == NULL);
        if (cluster != NULL)
          {
            const char *provider = kl_cluster_get_encryption_at_rest_provider (cluster);

            if (g_strcmp0 (provider, applied == APPLIED_YES ? "AZURE" : "NONE") != 0)
              case_fail (c, "read back: encryptionAtRestProvider %s", provider);
          }
      }
      break;

    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}
