/* test-faults-hostile.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-atlas-types.h"
#include "kl-error.h"
#include "kl-http-log.h"

/* What a server says is data, never code: printf directives, markup and very long text in
 * error answers and in objects go through the error mapping and the models as text —
 * nothing expanded, nothing interpreted, nothing crashes, and the message a person reads
 * stays readable (valid UTF-8, of a bounded length). */

#define ID      "65f0000000000000000000a1"
#define HOSTILE "%s%n%x%p%%%1$s%-99999d <b>bold</b> &amp; & <a href='x'>y</a> \\\" ${HOME} $(id)"

/* The longest message a person should get to read from one error (the Atlas text it quotes
 * included). */
#define MAX_MESSAGE_BYTES 2048

static GPtrArray *captured;

/* Every log line of this process, kept (the writer sees debug messages too; the default
 * writer still decides what is printed). */
static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  gsize i;

  for (i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        g_ptr_array_add (captured, g_strdup (fields[i].value));
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gboolean
captured_contains (const char *text)
{
  guint i;

  for (i = 0; i < captured->len; i++)
    {
      if (strstr (g_ptr_array_index (captured, i), text) != NULL)
        return TRUE;
    }
  return FALSE;
}

static char *
json_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_to_string (node, FALSE);
}

static char *
error_body (guint       status,
            const char *code,
            const char *detail,
            const char *parameters)
{
  g_autofree char *code_json = json_string (code);
  g_autofree char *detail_json = json_string (detail);
  g_autofree char *reason_json = json_string (HOSTILE);

  return g_strdup_printf ("{\"detail\":%s,\"error\":%u,\"errorCode\":%s,\"parameters\":%s,"
                          "\"reason\":%s}",
                          detail_json, status, code_json, parameters, reason_json);
}

static GError *
error_for (guint       status,
           const char *x_error_code,
           const char *retry_after,
           const char *body)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return kl_error_new_from_http (status, x_error_code, retry_after, bytes);
}

/* A message a person can read: there, UTF-8, bounded, and quoting the server only
 * literally. */
static void
assert_readable (const GError *error,
                 const char   *detail)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == KL_ERROR);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_cmpuint (strlen (error->message), <=, MAX_MESSAGE_BYTES);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* printf of a NULL string. */
  g_assert_null (strstr (error->message, "(null)"));
  /* Quoted whole, or not at all: "%s" still there means nothing was expanded. */
  if (detail != NULL && strstr (error->message, "%n%x") != NULL)
    g_assert_nonnull (strstr (error->message, detail));
}

/* Every status family, with hostile text in every member and header. */
static void
test_error_mapping (void)
{
  static const struct
  {
    guint       status;
    const char *code;
    KlError     expected;
  } cases[] = {
    { 400, HOSTILE, KL_ERROR_BAD_REQUEST },
    { 400, "CANNOT_" HOSTILE, KL_ERROR_CONFLICT },
    { 400, "CANNOT_DISABLE_ENCRYPTION_AT_REST_REQUIRE_PRIVATE_NETWORKING_WHILE_PRIVATE_"
           "ENDPOINTS_EXIST", KL_ERROR_CONFLICT },
    { 401, HOSTILE, KL_ERROR_AUTH_FAILED },
    { 403, HOSTILE, KL_ERROR_FORBIDDEN },
    { 404, HOSTILE, KL_ERROR_NOT_FOUND },
    { 406, HOSTILE, KL_ERROR_API_VERSION },
    { 409, HOSTILE, KL_ERROR_CONFLICT },
    { 418, HOSTILE, KL_ERROR_BAD_REQUEST },
    { 429, HOSTILE, KL_ERROR_RATE_LIMITED },
    { 500, HOSTILE, KL_ERROR_SERVER },
    { 503, HOSTILE, KL_ERROR_SERVER },
    { 302, HOSTILE, KL_ERROR_BAD_RESPONSE },
  };
  static const char *const parameters[] = {
    "[\"" "%s%n<b>" "\", [\"%x\", 7, [\"&amp;\"]], {\"k\": \"%n\"}, null, true, 1.5e300]",
    "[]",
    "\"%s%n\"",
  };
  guint i;
  guint j;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    for (j = 0; j < G_N_ELEMENTS (parameters); j++)
      {
        g_autofree char *body = error_body (cases[i].status, cases[i].code, HOSTILE,
                                            parameters[j]);
        g_autoptr(GError) error = error_for (cases[i].status, "%s%n<b>", "%s%n", body);
        g_autoptr(GError) copy = NULL;
        KlAtlasError *atlas;

        g_test_message ("HTTP %u %s, parameters %s", cases[i].status, cases[i].code,
                        parameters[j]);
        g_assert_error (error, KL_ERROR, cases[i].expected);
        assert_readable (error, HOSTILE);

        /* The server's text is kept as it came, for the details view. */
        atlas = kl_atlas_error_from_gerror (error);
        g_assert_nonnull (atlas);
        g_assert_cmpstr (kl_atlas_error_get_error_code (atlas), ==, cases[i].code);
        g_assert_cmpstr (kl_atlas_error_get_detail (atlas), ==, HOSTILE);
        g_assert_cmpstr (kl_atlas_error_get_reason (atlas), ==, HOSTILE);
        g_assert_cmpuint (kl_error_get_retry_after (error), ==, 0);
        g_free (kl_atlas_error_dup_parameters_text (atlas));

        /* And survives a copy (GTask does one). */
        copy = g_error_copy (error);
        g_assert_cmpstr (copy->message, ==, error->message);
        g_assert_cmpstr (kl_error_get_atlas_code (copy), ==, cases[i].code);
      }
}

/* Not JSON at all, or not an Atlas error: the status still decides, the header's code is
 * kept as text. */
static void
test_error_mapping_not_json (void)
{
  static const char *const bodies[] = {
    "<html><body><h1>%s%n</h1><script>alert(1)</script></body></html>",
    "%s%n%x",
    "{\"detail\": \"%s%n\"}",
    "{\"error\": \"%s%n\", \"error_description\": \"<b>%x</b>\"}",
    "[\"%s\"]",
    "\"%n\"",
    "",
  };
  static const guint statuses[] = { 400, 401, 403, 404, 409, 429, 500, 502, 999 };
  guint i;
  guint j;

  for (i = 0; i < G_N_ELEMENTS (bodies); i++)
    for (j = 0; j < G_N_ELEMENTS (statuses); j++)
      {
        g_autoptr(GError) with_header = error_for (statuses[j], HOSTILE, "<b>", bodies[i]);
        g_autoptr(GError) without = error_for (statuses[j], NULL, NULL, bodies[i]);

        assert_readable (with_header, NULL);
        assert_readable (without, NULL);
        g_assert_null (strstr (with_header->message, "<script>"));
      }
}

/* Invalid UTF-8 from the server never reaches a message. */
static void
test_error_mapping_invalid_utf8 (void)
{
  static const char body[] = "{\"detail\":\"bad \xff\xfe text %s\",\"error\":400,"
                             "\"errorCode\":\"VALIDATION_\xc3\x28\","
                             "\"parameters\":[\"\xed\xa0\x80\"],\"reason\":\"x\"}";
  /* A lone surrogate, escaped: valid JSON text, not a character. */
  static const char escaped[] = "{\"detail\":\"half \\ud800 of a pair\",\"error\":400,"
                                "\"errorCode\":\"VALIDATION_\\udfff\",\"parameters\":[],"
                                "\"reason\":\"x\"}";
  g_autoptr(GError) error = error_for (400, "X_\xff", NULL, body);
  g_autoptr(GError) conflict = error_for (409, "CANNOT_\xff", NULL, body);
  g_autoptr(GError) surrogate = error_for (400, NULL, NULL, escaped);
  g_autoptr(GError) surrogate_conflict = error_for (409, NULL, NULL, escaped);

  assert_readable (error, NULL);
  assert_readable (conflict, NULL);
  assert_readable (surrogate, NULL);
  assert_readable (surrogate_conflict, NULL);
  /* The code the details view may show is text too. */
  g_assert_true (g_utf8_validate (kl_error_get_atlas_code (error), -1, NULL));
  g_assert_true (g_utf8_validate (kl_error_get_atlas_code (conflict), -1, NULL));
}

/* Text of any length: the message quotes the start of it, never all of it. */
static void
test_error_mapping_long_text (void)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autofree char *parameters = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) conflict = NULL;
  g_autoptr(GError) private_networking = NULL;
  guint i;

  /* Multi-byte characters, so that a cut in the middle of one would show. (64 KiB: the
   * debug log converts it to the locale's charset, slowly in the C locale.) */
  for (i = 0; detail->len < 64 * 1024; i++)
    g_string_append (detail, i % 2 ? "é%s" : "€<b>");
  body = error_body (400, "VALIDATION_ERROR", detail->str, "[]");
  error = error_for (400, NULL, NULL, body);
  assert_readable (error, NULL);
  g_assert_true (g_str_has_prefix (error->message, "Atlas rejected the request: "
                                     "\xe2\x81\xa8€<b>é%s€<b>"));
  g_assert_cmpstr (kl_atlas_error_get_detail (kl_atlas_error_from_gerror (error)), ==,
                   detail->str);

  g_clear_pointer (&body, g_free);
  body = error_body (409, "CANNOT_DO_IT", detail->str, "[]");
  conflict = error_for (409, NULL, NULL, body);
  assert_readable (conflict, NULL);

  /* Parameters that go on and on. */
  parameters = g_strdup_printf ("[\"%s\", \"%s\"]", detail->str, detail->str);
  g_clear_pointer (&body, g_free);
  body = error_body (400, "CANNOT_DISABLE_ENCRYPTION_AT_REST_REQUIRE_PRIVATE_NETWORKING_WHILE_"
                          "PRIVATE_ENDPOINTS_EXIST", "x", parameters);
  private_networking = error_for (400, NULL, NULL, body);
  g_assert_error (private_networking, KL_ERROR, KL_ERROR_CONFLICT);
  assert_readable (private_networking, NULL);
}

/* The technical detail goes to the debug log as an argument, never as a format. */
static void
test_debug_log_literal (void)
{
  g_autofree char *body = error_body (400, "%n%n%n%n", HOSTILE, "[]");
  g_autoptr(GError) error = NULL;

  g_ptr_array_set_size (captured, 0);
  error = error_for (400, NULL, NULL, body);
  g_assert_nonnull (error);
  g_assert_true (captured_contains ("%n%n%n%n"));
  g_assert_true (captured_contains (HOSTILE));
}

/* The models keep what the server said, as text. */
static void
test_models (void)
{
  g_autofree char *text = json_string (HOSTILE);
  g_autofree char *project_json = NULL;
  g_autofree char *endpoint_json = NULL;
  g_autofree char *cluster_json = NULL;
  g_autofree char *ear_json = NULL;
  g_autofree char *page_json = NULL;
  g_autoptr(KlProject) project = NULL;
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gboolean has_next = FALSE;
  KlAzureKeyVault *akv;

  /* Ids are checked (24 hex digits); everything else is free text. */
  project_json = g_strdup_printf ("{\"id\":\"" ID "\",\"name\":%s,\"orgId\":\"" ID "\","
                                  "\"created\":%s}", text, text);
  project = kl_project_parse (project_json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_project_get_name (project), ==, HOSTILE);
  g_assert_cmpstr (kl_project_get_created (project), ==, HOSTILE);
  g_object_get (project, "name", &name, NULL);
  g_assert_cmpstr (name, ==, HOSTILE);

  endpoint_json = g_strdup_printf ("{\"id\":\"" ID "\",\"regionName\":%s,\"status\":%s,"
                                   "\"errorMessage\":%s,\"privateEndpointConnectionName\":%s,"
                                   "\"cloudProvider\":%s}",
                                   text, text, text, text, text);
  endpoint = kl_private_endpoint_parse (endpoint_json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==, KL_ENDPOINT_STATUS_UNKNOWN);
  g_assert_cmpstr (kl_private_endpoint_get_status_text (endpoint), ==, HOSTILE);
  g_assert_cmpstr (kl_private_endpoint_get_error_message (endpoint), ==, HOSTILE);
  g_assert_cmpstr (kl_private_endpoint_get_private_endpoint_connection_name (endpoint), ==,
                   HOSTILE);

  cluster_json = g_strdup_printf ("{\"name\":%s,\"stateName\":%s,\"encryptionAtRestProvider\":%s,"
                                  "\"clusterType\":%s,\"replicationSpecs\":[{\"regionConfigs\":"
                                  "[{\"providerName\":%s,\"regionName\":%s,\"electableSpecs\":"
                                  "{\"instanceSize\":%s}}]}]}",
                                  text, text, text, text, text, text, text);
  cluster = kl_cluster_parse (cluster_json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_cluster_get_name (cluster), ==, HOSTILE);
  g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, HOSTILE);
  g_assert_cmpstr (kl_cluster_get_instance_size (cluster), ==, HOSTILE);
  /* Whatever it decides, a refusal reads as text. */
  if (!kl_cluster_check_cmk_eligible (cluster, &error))
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  ear_json = g_strdup_printf ("{\"azureKeyVault\":{\"azureEnvironment\":%s,\"clientID\":%s,"
                              "\"keyVaultName\":%s,\"keyIdentifier\":%s,\"enabled\":true}}",
                              text, text, text, text);
  ear = kl_encryption_at_rest_parse (ear_json, -1, &error);
  g_assert_no_error (error);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  g_assert_cmpstr (kl_azure_key_vault_get_azure_environment (akv), ==, HOSTILE);
  g_assert_cmpstr (kl_azure_key_vault_get_key_identifier (akv), ==, HOSTILE);

  page_json = g_strdup_printf ("{\"links\":[{\"rel\":%s,\"href\":%s}],\"results\":[%s],"
                               "\"totalCount\":1}", text, text, project_json);
  page = kl_project_parse_page (page_json, -1, &has_next, &error);
  g_assert_no_error (error);
  g_assert_false (has_next);
  g_assert_cmpuint (page->len, ==, 1);
}

/* json-glib turns a lone surrogate escape into bytes that are not UTF-8: every string a
 * model hands out is text all the same. */
static void
test_lone_surrogates (void)
{
  static const char project_json[] = "{\"id\":\"" ID "\",\"name\":\"a\\ud800zb\","
                                     "\"orgId\":\"\\ud800z\",\"created\":\"\\ud800z\"}";
  static const char endpoint_json[] = "{\"id\":\"" ID "\",\"status\":\"\\ud800z\","
                                      "\"regionName\":\"US\\ud800z\",\"errorMessage\":"
                                      "\"\\ud800z\\ud800z\"}";
  static const char cluster_json[] = "{\"name\":\"c\\ud800z\",\"stateName\":\"\\ud800z\","
                                     "\"replicationSpecs\":[{\"regionConfigs\":[{"
                                     "\"providerName\":\"\\ud800z\",\"regionName\":\"x\","
                                     "\"electableSpecs\":{\"instanceSize\":\"M\\ud800z\"}}]}]}";
  static const char ear_json[] = "{\"azureKeyVault\":{\"azureEnvironment\":\"\\ud800z\","
                                 "\"keyVaultName\":\"kv\\ud800z\"}}";
  static const char error_json[] = "{\"error\":\"\\ud800z\",\"error_description\":"
                                   "\"\\ud800z\",\"parameters\":[\"\\ud800z\",[\"\\ud800z\"]]}";
  g_autoptr(KlProject) project = NULL;
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(KlAtlasError) atlas = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parameters = NULL;
  KlAzureKeyVault *akv;

  project = kl_project_parse (project_json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (kl_project_get_name (project), -1, NULL));
  g_assert_true (g_utf8_validate (kl_project_get_org_id (project), -1, NULL));
  g_assert_true (g_utf8_validate (kl_project_get_created (project), -1, NULL));

  endpoint = kl_private_endpoint_parse (endpoint_json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (kl_private_endpoint_get_status_text (endpoint), -1, NULL));
  g_assert_true (g_utf8_validate (kl_private_endpoint_get_region_name (endpoint), -1, NULL));
  g_assert_true (g_utf8_validate (kl_private_endpoint_get_error_message (endpoint), -1, NULL));

  cluster = kl_cluster_parse (cluster_json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (kl_cluster_get_name (cluster), -1, NULL));
  g_assert_true (g_utf8_validate (kl_cluster_get_state_name (cluster), -1, NULL));
  g_assert_true (g_utf8_validate (kl_cluster_get_provider_name (cluster), -1, NULL));
  g_assert_true (g_utf8_validate (kl_cluster_get_instance_size (cluster), -1, NULL));

  ear = kl_encryption_at_rest_parse (ear_json, -1, &error);
  g_assert_no_error (error);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  g_assert_true (g_utf8_validate (kl_azure_key_vault_get_azure_environment (akv), -1, NULL));
  g_assert_true (g_utf8_validate (kl_azure_key_vault_get_key_vault_name (akv), -1, NULL));

  atlas = kl_atlas_error_parse (error_json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (kl_atlas_error_get_error_code (atlas), -1, NULL));
  g_assert_true (g_utf8_validate (kl_atlas_error_get_detail (atlas), -1, NULL));
  parameters = kl_atlas_error_dup_parameters_text (atlas);
  g_assert_true (g_utf8_validate (parameters, -1, NULL));
}

/* Numbers no integer can hold (1e999 is infinity to json-glib): refused, never cast. The
 * cast itself is what UBSan catches in the sanitize build. */
static void
test_numbers_out_of_range (void)
{
  static const char *const refused[] = {
    "1e999", "-1e999", "1e19", "-9.3e18", "9223372036854775808.0", "1.5", "-0.5",
  };
  static const struct
  {
    const char *text;
    gint64      value;
  } accepted[] = {
    { "12", 12 }, { "1e3", 1000 }, { "-1", -1 }, { "2.0", 2 }, { "-9.2e18", -9200000000000000000 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\":\"" ID "\",\"name\":\"n\","
                                               "\"clusterCount\":%s}", refused[i]);
      g_autoptr(KlProject) project = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", refused[i]);
      project = kl_project_parse (json, -1, &error);
      g_assert_null (project);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }

  for (i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\":\"" ID "\",\"name\":\"n\","
                                               "\"clusterCount\":%s}", accepted[i].text);
      g_autoptr(KlProject) project = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", accepted[i].text);
      project = kl_project_parse (json, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (kl_project_get_cluster_count (project), ==, accepted[i].value);
    }
}

/* Very long values in the models: kept whole. */
static void
test_models_long_text (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *name_json = NULL;
  g_autofree char *json = NULL;
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  while (name->len < 1024 * 1024)
    g_string_append (name, "%s<b>€");
  name_json = json_string (name->str);
  json = g_strdup_printf ("{\"id\":\"65f0000000000000000000a1\",\"name\":%s}", name_json);
  project = kl_project_parse (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_project_get_name (project), ==, name->str);
}

/* JSON nested far deeper than any Atlas answer: refused, not recursed into. */
static void
test_deep_nesting (void)
{
  static const char *const openers[] = { "[", "{\"a\":", "[{\"results\":" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (openers); i++)
    {
      g_autoptr(GString) json = g_string_new ("{\"results\":");
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) http_error = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GPtrArray) page = NULL;
      KlProject *project;
      KlEncryptionAtRest *ear;
      KlPrivateEndpoint *endpoint;
      KlCluster *cluster;
      KlAtlasError *atlas;
      guint n;

      for (n = 0; n < 200000; n++)
        g_string_append (json, openers[i]);

      project = kl_project_parse (json->str, json->len, &error);
      g_assert_null (project);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
      g_clear_error (&error);
      page = kl_project_parse_page (json->str, json->len, NULL, &error);
      g_assert_null (page);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
      g_clear_error (&error);
      ear = kl_encryption_at_rest_parse (json->str, json->len, &error);
      g_assert_null (ear);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
      g_clear_error (&error);
      endpoint = kl_private_endpoint_parse (json->str, json->len, &error);
      g_assert_null (endpoint);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
      g_clear_error (&error);
      cluster = kl_cluster_parse (json->str, json->len, &error);
      g_assert_null (cluster);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
      g_clear_error (&error);
      atlas = kl_atlas_error_parse (json->str, json->len, &error);
      g_assert_null (atlas);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);

      body = g_string_free_to_bytes (g_steal_pointer (&json));
      http_error = kl_error_new_from_http (400, "DEEP", NULL, body);
      g_assert_error (http_error, KL_ERROR, KL_ERROR_BAD_REQUEST);
      assert_readable (http_error, NULL);
    }

  /* Deep, but not too deep for an answer: still parsed. */
  {
    g_autoptr(GString) json = g_string_new ("{\"id\":\"" ID "\",\"name\":\"n\",\"x\":");
    g_autoptr(KlProject) project = NULL;
    g_autoptr(GError) error = NULL;
    guint n;

    for (n = 0; n < 32; n++)
      g_string_append_c (json, '[');
    for (n = 0; n < 32; n++)
      g_string_append_c (json, ']');
    g_string_append_c (json, '}');
    project = kl_project_parse (json->str, json->len, &error);
    g_assert_no_error (error);
    g_assert_nonnull (project);
  }

  /* Brackets in strings (escaped quotes too) are text, not nesting. */
  {
    g_autofree char *brackets = g_strnfill (100000, '[');
    g_autofree char *json = g_strdup_printf ("{\"id\":\"" ID "\",\"name\":\"\\\"%s\"}",
                                             brackets);
    g_autoptr(KlProject) project = NULL;
    g_autoptr(GError) error = NULL;

    project = kl_project_parse (json, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (strlen (kl_project_get_name (project)), ==, 100001);
    g_assert_true (kl_json_depth_is_safe ("[[[\"]]]\\\"\"]]]", -1));
    g_assert_false (kl_json_depth_is_safe (brackets, -1));
    g_assert_true (kl_json_depth_is_safe (brackets, KL_JSON_MAX_DEPTH));
    g_assert_false (kl_json_depth_is_safe (brackets, KL_JSON_MAX_DEPTH + 1));
  }
}

/* The log redaction passes hostile text through as text too. */
static void
test_log_redaction (void)
{
  g_autofree char *redacted = NULL;
  g_autofree char *text = g_strconcat ("GET /api/atlas/v2/groups?x=" HOSTILE "\n"
                                       "Authorization: Bearer %s%n\n"
                                       "{\"detail\": \"" "%s%n<b>" "\", \"client_secret\": \"%n\"}",
                                       NULL);

  redacted = kl_http_log_redact (text);
  g_assert_true (g_utf8_validate (redacted, -1, NULL));
  g_assert_nonnull (strstr (redacted, HOSTILE));
  g_assert_nonnull (strstr (redacted, "\"detail\": \"%s%n<b>\""));
  g_assert_nonnull (strstr (redacted, "Authorization: [REDACTED]"));
  g_assert_nonnull (strstr (redacted, "\"client_secret\": \"[REDACTED]\""));
}

/* Lines made only of the characters a form key may hold (a base64 blob, a long token):
 * the redactor stops at their end. (The overflow it had shows under AddressSanitizer.) */
static void
test_redaction_bounds (void)
{
  static const char *const lines[] = {
    "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT",
    "a",
    "client_secret",
    "x=1&TTTTTTTTTTTTTTTTTTTTTTTTTTT",
    "GET /api?TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT",
    "GET /api?a=1&TTTTTTTTTTTTTTTTTTTTTTTTTTTTTT",
    "Bearer TTTTTTTTTTTTTTTTTTTTT",
    "%+~.-_",
  };
  guint i;

  /* 2^n - 1 characters: the redactor's copies of the line fill their buffers exactly, so a
   * read past the end leaves them. */
  for (i = 4; i < 12; i++)
    {
      g_autofree char *line = g_strnfill ((1 << i) - 1, 'T');
      g_autofree char *query = g_strconcat ("?", line + 1, NULL);
      g_autofree char *redacted = kl_http_log_redact (line);
      g_autofree char *redacted_query = kl_http_log_redact (query);

      g_assert_cmpstr (redacted, ==, line);
      g_assert_cmpstr (redacted_query, ==, query);
    }

  for (i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      KlHttpLogRedactor redactor = KL_HTTP_LOG_REDACTOR_INIT;
      g_autofree char *line = g_strdup (lines[i]);
      g_autofree char *redacted = kl_http_log_redact_line (line, &redactor);
      g_autofree char *whole = kl_http_log_redact (line);

      g_assert_nonnull (redacted);
      g_assert_cmpstr (redacted, ==, whole);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  captured = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hostile/error-mapping", test_error_mapping);
  g_test_add_func ("/hostile/error-mapping-not-json", test_error_mapping_not_json);
  g_test_add_func ("/hostile/error-mapping-invalid-utf8", test_error_mapping_invalid_utf8);
  g_test_add_func ("/hostile/error-mapping-long-text", test_error_mapping_long_text);
  g_test_add_func ("/hostile/debug-log-literal", test_debug_log_literal);
  g_test_add_func ("/hostile/models", test_models);
  g_test_add_func ("/hostile/models-long-text", test_models_long_text);
  g_test_add_func ("/hostile/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/hostile/numbers-out-of-range", test_numbers_out_of_range);
  g_test_add_func ("/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/hostile/log-redaction", test_log_redaction);
  g_test_add_func ("/hostile/redaction-bounds", test_redaction_bounds);

  status = g_test_run ();
  g_ptr_array_unref (captured);
  return status;
}
