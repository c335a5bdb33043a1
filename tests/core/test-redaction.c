/* test-redaction.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-http-log.h"

typedef struct
{
  const char *input;
  const char *expected;
} Case;

static void
check_cases (const Case *cases,
             guint       n_cases)
{
  guint i;

  for (i = 0; i < n_cases; i++)
    {
      g_autofree char *redacted = kl_http_log_redact (cases[i].input);

      g_test_message ("%s → %s", cases[i].input, redacted);
      g_assert_cmpstr (redacted, ==, cases[i].expected);
    }
}

static void
test_headers (void)
{
  static const Case cases[] = {
    { "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig",
      "Authorization: [REDACTED]" },
    { "authorization: Digest username=\"pub\", realm=\"MMS Public API\", response=\"abc\"",
      "authorization: [REDACTED]" },
    { "Authorization: Basic [mdb_sa_id_1:****]", "Authorization: [REDACTED]" },
    { "Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: [REDACTED]" },
    { "Cookie: session=abcdef", "Cookie: [REDACTED]" },
    { "Set-Cookie: mmsa-prod=xyz; Path=/; HttpOnly", "Set-Cookie: [REDACTED]" },
    /* Harmless headers stay as they are, the challenge included. */
    { "WWW-Authenticate: Digest realm=\"MMS Public API\", nonce=\"n\", algorithm=MD5, qop=\"auth\"",
      "WWW-Authenticate: Digest realm=\"MMS Public API\", nonce=\"n\", algorithm=MD5, qop=\"auth\"" },
    { "Accept: application/vnd.atlas.2023-01-01+json",
      "Accept: application/vnd.atlas.2023-01-01+json" },
    { "User-Agent: Keylink/0.1.0", "User-Agent: Keylink/0.1.0" },
    { "X-Error-Code: RATE_LIMITED_TOKEN_BUCKET", "X-Error-Code: RATE_LIMITED_TOKEN_BUCKET" },
    { "GET /api/atlas/v2/groups?itemsPerPage=500&pageNum=1 HTTP/1.1",
      "GET /api/atlas/v2/groups?itemsPerPage=500&pageNum=1 HTTP/1.1" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_schemes_anywhere (void)
{
  static const Case cases[] = {
    { "retrying with Bearer abc.def-ghi_jkl= now", "retrying with Bearer [REDACTED] now" },
    { "credentials Basic dXNlcjpwYXNz", "credentials Basic [REDACTED]" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_json (void)
{
  static const Case cases[] = {
    { "{\"access_token\":\"eyJ.abc.def\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
      "{\"access_token\":\"[REDACTED]\",\"token_type\":\"Bearer\",\"expires_in\":3600}" },
    { "{\"azureKeyVault\":{\"clientID\":\"11111111-2222-3333-4444-555555555555\","
      "\"secret\":\"my \\\"quoted\\\" secret\",\"enabled\":true}}",
      "{\"azureKeyVault\":{\"clientID\":\"11111111-2222-3333-4444-555555555555\","
      "\"secret\":\"[REDACTED]\",\"enabled\":true}}" },
    { "{ \"client_secret\" : \"s\", \"refresh_token\": \"r\", \"password\":\"p\" }",
      "{ \"client_secret\" : \"[REDACTED]\", \"refresh_token\": \"[REDACTED]\", "
      "\"password\":\"[REDACTED]\" }" },
    { "{\"privateKey\":\"k\",\"private_key\":\"k\",\"apiKey\":\"k\",\"clientSecret\":\"k\"}",
      "{\"privateKey\":\"[REDACTED]\",\"private_key\":\"[REDACTED]\",\"apiKey\":\"[REDACTED]\","
      "\"clientSecret\":\"[REDACTED]\"}" },
    /* Numbers too, but null and booleans say nothing. */
    { "{\"secret\":12345,\"token\":null,\"password\":false}",
      "{\"secret\":[REDACTED],\"token\":null,\"password\":false}" },
    /* Values that merely look like keys are left alone; so are harmless keys. */
    { "{\"detail\":\"secret\",\"name\":\"token\",\"keyVaultName\":\"kv\","
      "\"privateEndpointConnectionName\":\"c\"}",
      "{\"detail\":\"secret\",\"name\":\"token\",\"keyVaultName\":\"kv\","
      "\"privateEndpointConnectionName\":\"c\"}" },
    /* Cut off by the logger's size limit in the middle of the value. */
    { "{\"secret\":\"abcdefgh", "{\"secret\":\"[REDACTED]" },
    /* Pretty-printed across lines, value on the next line. */
    { "{\n  \"secret\" :\n    \"on-the-next-line\",\n  \"keyVaultName\" : \"kv\"\n}",
      "{\n  \"secret\" :\n    \"[REDACTED]\",\n  \"keyVaultName\" : \"kv\"\n}" },
    { "[{\"secret\":\"a\"},{\"secret\":\"b\"}]",
      "[{\"secret\":\"[REDACTED]\"},{\"secret\":\"[REDACTED]\"}]" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_forms (void)
{
  static const Case cases[] = {
    { "grant_type=client_credentials", "grant_type=client_credentials" },
    { "grant_type=client_credentials&client_id=mdb_sa_id_1&client_secret=mdb_sa_sk_2",
      "grant_type=client_credentials&client_id=[REDACTED]&client_secret=[REDACTED]" },
    { "token=eyJ.abc.def%3D&token_type_hint=access_token",
      "token=[REDACTED]&token_type_hint=access_token" },
    { "username=u&password=p%20q", "username=[REDACTED]&password=[REDACTED]" },
    /* Query strings: only secret-named parameters. */
    { "GET /cb?code=1&access_token=abc&state=x HTTP/1.1",
      "GET /cb?code=1&access_token=[REDACTED]&state=x HTTP/1.1" },
    /* Not forms. */
    { "some text with a=b inside", "some text with a=b inside" },
    { "", "" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_private_keys (void)
{
  static const Case cases[] = {
    { "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nabcdefgh\n"
      "-----END PRIVATE KEY-----\nafter",
      "[REDACTED]\n[REDACTED]\n[REDACTED]\n[REDACTED]\nafter" },
    { "{\"pem\":\"-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----\\n\"}",
      "{\"pem\":\"[REDACTED]\\n\"}" },
    { "x -----BEGIN ENCRYPTED PRIVATE KEY----- abc -----END ENCRYPTED PRIVATE KEY----- y",
      "x [REDACTED] y" },
    /* Certificates are public. */
    { "-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-----" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_line_state (void)
{
  KlHttpLogRedactor redactor = KL_HTTP_LOG_REDACTOR_INIT;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *three = NULL;

  one = kl_http_log_redact_line ("  \"access_token\":", &redactor);
  two = kl_http_log_redact_line ("", &redactor);
  three = kl_http_log_redact_line ("  \"value\"", &redactor);
  g_assert_cmpstr (one, ==, "  \"access_token\":");
  g_assert_cmpstr (two, ==, "");
  g_assert_cmpstr (three, ==, "  \"[REDACTED]\"");
}

static void
test_log_enabled (void)
{
  g_autoptr(SoupLogger) logger = kl_http_log_new ();

  g_assert_true (SOUP_IS_LOGGER (logger));
  g_assert_cmpint (soup_logger_get_max_body_size (logger), >, 0);

  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
  g_assert_false (kl_http_log_is_enabled ());
  g_setenv ("G_MESSAGES_DEBUG", KL_HTTP_LOG_DOMAIN, TRUE);
  g_assert_true (kl_http_log_is_enabled ());
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_assert_true (kl_http_log_is_enabled ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/redaction/headers", test_headers);
  g_test_add_func ("/redaction/schemes-anywhere", test_schemes_anywhere);
  g_test_add_func ("/redaction/json", test_json);
  g_test_add_func ("/redaction/forms", test_forms);
  g_test_add_func ("/redaction/private-keys", test_private_keys);
  g_test_add_func ("/redaction/line-state", test_line_state);
  g_test_add_func ("/redaction/log-enabled", test_log_enabled);

  return g_test_run ();
}
