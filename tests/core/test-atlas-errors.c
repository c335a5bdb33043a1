/* test-atlas-errors.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "kl-atlas-types.h"
#include "kl-error.h"

static GError *
error_for (guint       status,
           const char *x_error_code,
           const char *retry_after,
           const char *body)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return kl_error_new_from_http (status, x_error_code, retry_after, bytes);
}

static char *
atlas_body (guint       status,
            const char *code,
            const char *parameters)
{
  return g_strdup_printf ("{\"detail\":\"Detail of %s.\",\"error\":%u,\"errorCode\":\"%s\","
                          "\"parameters\":%s,\"reason\":\"Reason\"}",
                          code, status, code, parameters != NULL ? parameters : "[]");
}

typedef struct
{
  guint       status;
  const char *code;
  KlError     expected;
} Case;

static void
test_http_mapping (void)
{
  static const Case cases[] = {
    { 401, "UNEXPECTED_ERROR", KL_ERROR_AUTH_FAILED },
    { 401, "NOT_ORG_GROUP_CREATOR", KL_ERROR_AUTH_FAILED },
    { 403, "IP_ADDRESS_NOT_ON_ACCESS_LIST", KL_ERROR_IP_NOT_ON_ACCESS_LIST },
    { 403, "USER_CANNOT_ACCESS_GROUP", KL_ERROR_FORBIDDEN },
    { 404, "GROUP_NOT_FOUND", KL_ERROR_NOT_FOUND },
    { 404, "CLUSTER_NOT_FOUND", KL_ERROR_NOT_FOUND },
    { 404, "RESOURCE_NOT_FOUND", KL_ERROR_NOT_FOUND },
    { 406, "INVALID_VERSION_DATE", KL_ERROR_API_VERSION },
    { 409, "CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK", KL_ERROR_CONFLICT },
    { 400, "CANNOT_DISABLE_ENCRYPTION_AT_REST_DUE_TO_PRIVATE_ENDPOINTS", KL_ERROR_CONFLICT },
    { 400, "CANNOT_DISABLE_ENCRYPTION_AT_REST_REQUIRE_PRIVATE_NETWORKING_WHILE_PRIVATE_ENDPOINTS_EXIST",
      KL_ERROR_CONFLICT },
    { 400, "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING",
      KL_ERROR_CONFLICT },
    { 400, "INVALID_AZURE_CREDENTIALS", KL_ERROR_INVALID_AZURE_CREDENTIALS },
    { 400, "CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API", KL_ERROR_INELIGIBLE },
    { 409, "CANNOT_DISABLE_ENCRYPTION_AT_REST", KL_ERROR_CONFLICT },
    { 409, "CANNOT_UPDATE_PAUSED_CLUSTER", KL_ERROR_CONFLICT },
    { 400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API", KL_ERROR_CONFLICT },
    { 400, "ENCRYPTION_AT_REST_NOT_ENABLED", KL_ERROR_CONFLICT },
    { 400, "ENCRYPTION_AT_REST_SETTINGS_INVALID", KL_ERROR_CONFLICT },
    { 400, "AZURE_KEY_VAULT_KEY_IDENTIFIER_INVALID_FORMAT", KL_ERROR_BAD_REQUEST },
    { 400, "NO_PERMISSION_TO_ENCRYPT_DECRYPT", KL_ERROR_BAD_REQUEST },
    { 404, "INVALID_GROUP_ID", KL_ERROR_NOT_FOUND },
    { 403, "FEATURE_UNSUPPORTED", KL_ERROR_FORBIDDEN },
    { 401, "USER_UNAUTHORIZED", KL_ERROR_AUTH_FAILED },
    { 400, "VALIDATION_ERROR", KL_ERROR_BAD_REQUEST },
    { 400, "INVALID_VERSION_DATE", KL_ERROR_API_VERSION },
    { 415, "UNSUPPORTED_MEDIA_TYPE", KL_ERROR_BAD_REQUEST },
    { 429, "RATE_LIMITED_TOKEN_BUCKET", KL_ERROR_RATE_LIMITED },
    { 500, "UNEXPECTED_ERROR", KL_ERROR_SERVER },
    { 502, "BAD_GATEWAY", KL_ERROR_SERVER },
    { 503, "SERVICE_UNAVAILABLE", KL_ERROR_SERVER },
    { 302, "FOUND", KL_ERROR_BAD_RESPONSE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = atlas_body (cases[i].status, cases[i].code, NULL);
      g_autoptr(GError) error = error_for (cases[i].status, cases[i].code, NULL, body);
      KlAtlasError *atlas_error = kl_atlas_error_from_gerror (error);

      g_test_message ("%u %s: %s", cases[i].status, cases[i].code, error->message);
      g_assert_error (error, KL_ERROR, cases[i].expected);
      g_assert_nonnull (atlas_error);
      g_assert_cmpstr (kl_atlas_error_get_error_code (atlas_error), ==, cases[i].code);
      g_assert_cmpstr (kl_error_get_atlas_code (error), ==, cases[i].code);
      g_assert_cmpuint (kl_error_get_http_status (error), ==, cases[i].status);
      g_assert_cmpuint (strlen (error->message), >, 20);
    }
}

/* The catalogue codes a person can meet on this flow get their own message: what happened and
 * what to do, never the generic "check the values you entered" or "current state". */
static void
test_tailored_messages (void)
{
  static const struct
  {
    guint       status;
    const char *code;
    const char *parameters;
    const char *wanted[3]; /* each must be in the message */
  } cases[] = {
    { 400, "AZURE_KEY_VAULT_ENVIRONMENT_NOT_SUPPORTED", NULL,
      { "Azure environment", "Azure US Government", NULL } },
    { 400, "AZURE_KEY_VAULT_KEY_EXPIRED", NULL, { "expired", "new key version", NULL } },
    { 400, "AZURE_KEY_VAULT_KEY_EXPIRING", NULL, { "48 hours", "expiration date", NULL } },
    { 400, "AZURE_KEY_VAULT_KEY_IDENTIFIER_INVALID_FORMAT", NULL,
      { "key identifier", "https://<vault>.vault.azure.net/keys/", NULL } },
    { 400, "AZURE_KEY_VAULT_KEY_NOT_ACTIVE", NULL, { "not active yet", "activation date", NULL } },
    { 400, "AZURE_KEY_VAULT_KEY_NOT_ENABLED", NULL, { "disabled", "Enable this key version", NULL } },
    { 400, "AZURE_KEY_VAULT_KEY_NOT_FOUND", NULL, { "no such key", "Key Vault Reader", NULL } },
    { 400, "INVALID_AZURE_API_REQUEST", NULL, { "subscription ID", "resource group", NULL } },
    { 400, "NO_PERMISSION_TO_ENCRYPT_DECRYPT", NULL,
      { "get, encrypt and decrypt", "encrypt or decrypt", NULL } },
    { 400, "ENCRYPTION_AT_REST_SETTINGS_INVALID", NULL,
      { "cannot reach your current key", "Restore access", NULL } },
    { 409, "CANNOT_DISABLE_ENCRYPTION_AT_REST", "[]",
      { "clusters still use it", "Atlas-managed encryption", NULL } },
    { 400, "ENCRYPTION_AT_REST_NOT_ENABLED", "[\"65f0000000000000000000a1\"]",
      { "not turned on", "valid", NULL } },
    { 400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API", "[\"analytics-flex\"]",
      { "“\xe2\x81\xa8" "analytics-flex\xe2\x81\xa9” is a Flex cluster", "Flex API", "M10" } },
    { 400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API", "[]", { "a Flex cluster", "Reload", NULL } },
    { 409, "CANNOT_UPDATE_PAUSED_CLUSTER", "[\"archive-2019\"]",
      { "“\xe2\x81\xa8" "archive-2019\xe2\x81\xa9” while it is paused", "Resume it in Atlas", NULL } },
    { 409, "CANNOT_UPDATE_PAUSED_CLUSTER", NULL, { "paused", "Resume it in Atlas", NULL } },
    { 403, "FEATURE_UNSUPPORTED", "[]", { "available on request", "account manager", NULL } },
    { 400, "INVALID_AZURE_CREDENTIALS", NULL,
      { "conditional-access", "Atlas control-plane IP addresses", "Key Vault Reader" } },
    { 401, "USER_UNAUTHORIZED", "[]", { "no access to this project", "Project Owner", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = atlas_body (cases[i].status, cases[i].code, cases[i].parameters);
      g_autoptr(GError) error = error_for (cases[i].status, cases[i].code, NULL, body);

      g_test_message ("%u %s: %s", cases[i].status, cases[i].code, error->message);
      g_assert_cmpstr (kl_error_get_atlas_code (error), ==, cases[i].code);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].wanted) && cases[i].wanted[j] != NULL; j++)
        g_assert_nonnull (strstr (error->message, cases[i].wanted[j]));
      g_assert_null (strstr (error->message, "Check the values you entered"));
      g_assert_null (strstr (error->message, "current state"));
      g_assert_null (strstr (error->message, "Detail of"));
    }

  /* INVALID_AZURE_CREDENTIALS also names the other causes. */
  {
    g_autoptr(GError) error = error_for (400, "INVALID_AZURE_CREDENTIALS", NULL, NULL);

    g_assert_nonnull (strstr (error->message, "client secret"));
    g_assert_nonnull (strstr (error->message, "get, encrypt and decrypt"));
  }
}

/* Both 401 shapes Atlas sends: without an errorCode (and without X-Error-Code), and with
 * UNEXPECTED_ERROR (README-errors.md). */
static void
test_unauthorized_shapes (void)
{
  g_autoptr(GError) bare = error_for (401, NULL, NULL,
                                      "{\n  \"detail\" : \"You are not authorized for this "
                                      "resource.\",\n  \"error\" : 401,\n  \"reason\" : "
                                      "\"Unauthorized\"\n}");
  g_autoptr(GError) coded = error_for (401, NULL, NULL,
                                       "{\"detail\":\"You are not authorized for this "
                                       "resource.\",\"error\":401,\"errorCode\":"
                                       "\"UNEXPECTED_ERROR\",\"reason\":\"Unauthorized\"}");
  g_autoptr(GError) empty = error_for (401, NULL, NULL, "");

  g_assert_error (bare, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_assert_null (kl_error_get_atlas_code (bare));
  g_assert_cmpuint (kl_error_get_http_status (bare), ==, 401);
  g_assert_error (coded, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_assert_cmpstr (kl_error_get_atlas_code (coded), ==, "UNEXPECTED_ERROR");
  g_assert_cmpstr (bare->message, ==, coded->message);
  g_assert_error (empty, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_assert_cmpstr (empty->message, ==, coded->message);
}

static void
test_conflict_keeps_code_and_parameters (void)
{
  g_autofree char *body = atlas_body (400,
    "CANNOT_DISABLE_ENCRYPTION_AT_REST_REQUIRE_PRIVATE_NETWORKING_WHILE_PRIVATE_ENDPOINTS_EXIST",
    "[\"US_EAST_2\",\"EUROPE_WEST\"]");
  g_autoptr(GError) error = error_for (400, NULL, NULL, body);
  g_autoptr(GError) copy = NULL;
  KlAtlasError *atlas_error;
  JsonNode *parameters;

  g_assert_error (error, KL_ERROR, KL_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "US_EAST_2, EUROPE_WEST"));

  /* The Atlas error survives g_error_copy(), as through GTask. */
  copy = g_error_copy (error);
  atlas_error = kl_atlas_error_from_gerror (copy);
  g_assert_nonnull (atlas_error);
  g_assert_true (atlas_error == kl_atlas_error_from_gerror (error));
  g_assert_cmpstr (kl_atlas_error_get_detail (atlas_error), ==,
                   "Detail of CANNOT_DISABLE_ENCRYPTION_AT_REST_REQUIRE_PRIVATE_NETWORKING_WHILE_"
                   "PRIVATE_ENDPOINTS_EXIST.");
  parameters = kl_atlas_error_get_parameters (atlas_error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (parameters));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (parameters)), ==, 2);
  g_assert_cmpuint (kl_error_get_http_status (copy), ==, 400);
}

static void
test_not_json_uses_header (void)
{
  g_autoptr(GError) error = NULL;

  error = error_for (404, "GROUP_NOT_FOUND", NULL, "<html>Not Found</html>");
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==, "GROUP_NOT_FOUND");
  g_clear_error (&error);

  error = error_for (400, "INVALID_AZURE_CREDENTIALS", NULL, NULL);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_AZURE_CREDENTIALS);
  g_clear_error (&error);

  /* Neither body nor header: the status alone decides. */
  error = error_for (403, NULL, NULL, "");
  g_assert_error (error, KL_ERROR, KL_ERROR_FORBIDDEN);
  g_assert_null (kl_atlas_error_from_gerror (error));
  g_assert_cmpuint (kl_error_get_http_status (error), ==, 403);
  g_clear_error (&error);

  error = error_for (500, NULL, NULL, "{\"truncated");
  g_assert_error (error, KL_ERROR, KL_ERROR_SERVER);
}

static void
test_oauth_errors (void)
{
  g_autoptr(GError) error = NULL;

  error = error_for (403, NULL, NULL,
                     "{\"error\":\"access_denied\",\"error_description\":\"Too many tokens\"}");
  g_assert_error (error, KL_ERROR, KL_ERROR_TOO_MANY_TOKENS);
  g_clear_error (&error);

  error = error_for (401, NULL, NULL, "{\"error\":\"invalid_client\"}");
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_clear_error (&error);

  error = error_for (400, NULL, NULL, "{\"error\":\"invalid_client\"}");
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);
}

static void
test_rate_limited (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = atlas_body (429, "RATE_LIMITED_TOKEN_BUCKET", NULL);

  error = error_for (429, "RATE_LIMITED_TOKEN_BUCKET", "7", body);
  g_assert_error (error, KL_ERROR, KL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (kl_error_get_retry_after (error), ==, 7);
  g_assert_nonnull (strstr (error->message, "7"));
  g_clear_error (&error);

  error = error_for (429, NULL, NULL, body);
  g_assert_cmpuint (kl_error_get_retry_after (error), ==, 0);
  g_clear_error (&error);

  error = error_for (503, NULL, "2", NULL);
  g_assert_error (error, KL_ERROR, KL_ERROR_SERVER);
  g_assert_cmpuint (kl_error_get_retry_after (error), ==, 2);
  g_clear_error (&error);

  /* Only 429 and 503 carry a wait. */
  error = error_for (500, NULL, "2", NULL);
  g_assert_cmpuint (kl_error_get_retry_after (error), ==, 0);
}

static void
test_retry_after_parse (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autoptr(GDateTime) earlier = g_date_time_add_seconds (now, -120);
  g_autofree char *later_text = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *earlier_text = soup_date_time_to_string (earlier, SOUP_DATE_HTTP);
  guint wait;

  g_assert_cmpuint (kl_error_parse_retry_after (NULL), ==, 0);
  g_assert_cmpuint (kl_error_parse_retry_after (""), ==, 0);
  g_assert_cmpuint (kl_error_parse_retry_after ("5"), ==, 5);
  g_assert_cmpuint (kl_error_parse_retry_after (" 5 "), ==, 5);
  g_assert_cmpuint (kl_error_parse_retry_after ("0"), ==, 0);
  g_assert_cmpuint (kl_error_parse_retry_after ("5s"), ==, 0);
  g_assert_cmpuint (kl_error_parse_retry_after ("-5"), ==, 0);
  g_assert_cmpuint (kl_error_parse_retry_after ("soon"), ==, 0);
  g_assert_cmpuint (kl_error_parse_retry_after ("99999999999999999999"), ==, 24 * 60 * 60);

  /* The parser reads the clock itself: the seconds that went by since `now` (a busy machine
   * may take its time) come off the wait. */
  wait = kl_error_parse_retry_after (later_text);
  {
    g_autoptr(GDateTime) parsed = g_date_time_new_now_utc ();
    gint64 gone = (g_date_time_difference (parsed, now) + G_TIME_SPAN_SECOND - 1) /
                  G_TIME_SPAN_SECOND;

    g_assert_cmpint ((gint64) wait, >=, 118 - gone);
  }
  g_assert_cmpuint (wait, <=, 121);
  g_assert_cmpuint (kl_error_parse_retry_after (earlier_text), ==, 0);
}

static void
test_transport_mapping (void)
{
  static const struct { GQuark (*domain) (void); int code; KlError expected; } cases[] = {
    { g_io_error_quark, G_IO_ERROR_TIMED_OUT, KL_ERROR_TIMEOUT },
    { g_io_error_quark, G_IO_ERROR_CONNECTION_REFUSED, KL_ERROR_NETWORK },
    { g_io_error_quark, G_IO_ERROR_CONNECTION_CLOSED, KL_ERROR_NETWORK },
    { g_io_error_quark, G_IO_ERROR_HOST_UNREACHABLE, KL_ERROR_NETWORK },
    { g_io_error_quark, G_IO_ERROR_NETWORK_UNREACHABLE, KL_ERROR_NETWORK },
    { g_io_error_quark, G_IO_ERROR_PARTIAL_INPUT, KL_ERROR_NETWORK },
    { g_resolver_error_quark, G_RESOLVER_ERROR_NOT_FOUND, KL_ERROR_NETWORK },
    { g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE, KL_ERROR_TLS },
    { g_tls_error_quark, G_TLS_ERROR_HANDSHAKE, KL_ERROR_TLS },
    { soup_session_error_quark, SOUP_SESSION_ERROR_PARSING, KL_ERROR_BAD_RESPONSE },
    { soup_session_error_quark, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS, KL_ERROR_BAD_RESPONSE },
    { g_file_error_quark, G_FILE_ERROR_FAILED, KL_ERROR_FAILED },
  };
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr(GError) mapped = kl_error_new_from_transport (cancelled);
  guint i;

  /* Cancellation stays what it is: silent. */
  g_assert_error (mapped, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) source = g_error_new_literal (cases[i].domain (), cases[i].code,
                                                      "technical text");
      g_autoptr(GError) error = kl_error_new_from_transport (source);

      g_assert_error (error, KL_ERROR, cases[i].expected);
      /* The technical text goes to the debug log, not to the person. */
      g_assert_null (strstr (error->message, "technical text"));
      g_assert_null (kl_atlas_error_from_gerror (error));
      g_assert_cmpuint (kl_error_get_http_status (error), ==, 0);
    }
}

static void
test_plain_errors (void)
{
  g_autoptr(GError) error = g_error_new_literal (KL_ERROR, KL_ERROR_INVALID_INPUT, "x");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  g_autoptr(GError) bad = NULL;

  g_assert_null (kl_atlas_error_from_gerror (error));
  g_assert_null (kl_atlas_error_from_gerror (other));
  g_assert_null (kl_atlas_error_from_gerror (NULL));
  g_assert_cmpuint (kl_error_get_retry_after (other), ==, 0);
  g_assert_null (kl_error_get_atlas_code (other));

  kl_error_set_bad_response (&bad, "field %s", "x");
  g_assert_error (bad, KL_ERROR, KL_ERROR_BAD_RESPONSE);
  kl_error_set_bad_response (NULL, "ignored");
}

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured_log != NULL)
    {
      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
            g_string_append_len (captured_log, fields[i].value,
                                 fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                      : fields[i].length);
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* json-glib's parse errors quote the server's bytes: the debug log must stay UTF-8 */
static void
test_bad_response_log_is_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) log = g_string_new (NULL);

  captured_log = log;
  kl_error_set_bad_response (&error, "invalid string constant \"%s\"", "VALIDATION_\xed\xbf\xbf,\xff");
  captured_log = NULL;

  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (log->str, "VALIDATION_"));
  g_assert_true (g_utf8_validate_len (log->str, log->len, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/atlas-errors/http-mapping", test_http_mapping);
  g_test_add_func ("/atlas-errors/conflict-keeps-code", test_conflict_keeps_code_and_parameters);
  g_test_add_func ("/atlas-errors/tailored-messages", test_tailored_messages);
  g_test_add_func ("/atlas-errors/unauthorized-shapes", test_unauthorized_shapes);
  g_test_add_func ("/atlas-errors/not-json", test_not_json_uses_header);
  g_test_add_func ("/atlas-errors/oauth", test_oauth_errors);
  g_test_add_func ("/atlas-errors/rate-limited", test_rate_limited);
  g_test_add_func ("/atlas-errors/retry-after", test_retry_after_parse);
  g_test_add_func ("/atlas-errors/transport", test_transport_mapping);
  g_test_add_func ("/atlas-errors/plain", test_plain_errors);
  g_test_add_func ("/atlas-errors/bad-response-log-utf8", test_bad_response_log_is_utf8);

  return g_test_run ();
}
