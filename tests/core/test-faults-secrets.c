/* test-faults-secrets.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-atlas-client.h"
#include "kl-error.h"

/* Credentials only ever travel over HTTPS: plain http:// is refused for every host but this
 * computer, by the URL check the sign-in page uses and by the client itself, with a message
 * that says what to type instead. (That TLS failures are failures — a self-signed
 * certificate, a server that does not speak TLS — is in test-faults-transport; that no secret
 * goes on a command line or TLS is weakened anywhere in src/ is build-aux/check-secrets.py.) */

#define PRINCIPAL "klsecretspub"
#define SECRET    "made-up-private-key-never-sent"

static void
assert_insecure (const GError *error)
{
  g_assert_error (error, KL_ERROR, KL_ERROR_INSECURE_URL);
  /* What is wrong, and what to type instead. */
  g_assert_nonnull (strstr (error->message, "HTTPS"));
  g_assert_nonnull (strstr (error->message, "https://"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_http_refused (void)
{
  static const char *const refused[] = {
    "http://example.com",
    "http://example.com/",
    "HTTP://EXAMPLE.COM",
    "http://cloud.mongodb.com",
    "http://cloud.mongodbgov.com:80",
    "http://10.0.0.1",
    "http://192.168.1.20:8080",
    "http://[2001:db8::1]",
    "http://[::ffff:127.0.0.1]",
    "http://127.0.0.1.example.com",
    "http://localhost.example.com",
    "http://my-localhost",
    "http://127.1",
    "http://2130706433",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) check_error = NULL;
      g_autoptr(GError) new_error = NULL;
      g_autoptr(KlAtlasClient) api_key = NULL;
      g_autoptr(KlAtlasClient) service_account = NULL;
      g_autoptr(GError) sa_error = NULL;

      g_test_message ("%s", refused[i]);
      g_assert_false (kl_atlas_check_base_url (refused[i], &check_error));
      assert_insecure (check_error);

      api_key = kl_atlas_client_new (refused[i], KL_AUTH_API_KEY, PRINCIPAL, SECRET, &new_error);
      g_assert_null (api_key);
      assert_insecure (new_error);
      g_assert_cmpstr (new_error->message, ==, check_error->message);

      service_account = kl_atlas_client_new (refused[i], KL_AUTH_SERVICE_ACCOUNT, PRINCIPAL,
                                             SECRET, &sa_error);
      g_assert_null (service_account);
      assert_insecure (sa_error);
    }
}

static void
test_https_and_loopback_accepted (void)
{
  static const char *const accepted[] = {
    "https://cloud.mongodb.com",
    "https://cloud.mongodbgov.com",
    "https://example.com:8443/",
    "HTTPS://EXAMPLE.COM",
    "http://127.0.0.1:1234",
    "http://127.8.9.10",
    "http://[::1]:9999",
    "http://localhost:5000",
    "http://LOCALHOST",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlAtlasClient) client = NULL;

      g_test_message ("%s", accepted[i]);
      g_assert_true (kl_atlas_check_base_url (accepted[i], &error));
      g_assert_no_error (error);
      client = kl_atlas_client_new (accepted[i], KL_AUTH_API_KEY, PRINCIPAL, SECRET, &error);
      g_assert_no_error (error);
      g_assert_nonnull (client);
      /* The client keeps the scheme it was given: https stays https. */
      g_assert_true (g_ascii_strncasecmp (accepted[i], "https", 5) != 0 ||
                     g_str_has_prefix (kl_atlas_client_get_base_url (client), "https://"));
    }
}

/* Not a downgrade in disguise: credentials in the URL, or another scheme, are refused too. */
static void
test_other_tricks_refused (void)
{
  static const char *const refused[] = {
    "https://user:S3cr3t-in-url@cloud.mongodb.com",
    "http://user@127.0.0.1:1234",
    "ftp://cloud.mongodb.com",
    "ws://cloud.mongodb.com",
    "cloud.mongodb.com",
    "//cloud.mongodb.com",
    "https://cloud.mongodb.com/api?redirect=http://example.com",
    "",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlAtlasClient) client = NULL;

      g_test_message ("%s", refused[i]);
      g_assert_false (kl_atlas_check_base_url (refused[i], &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == KL_ERROR);
      g_assert_cmpuint (strlen (error->message), >, 0);
      /* A secret typed into the URL is not repeated back. */
      g_assert_null (strstr (error->message, "S3cr3t-in-url"));
      g_clear_error (&error);

      client = kl_atlas_client_new (refused[i], KL_AUTH_API_KEY, PRINCIPAL, SECRET, &error);
      g_assert_null (client);
      g_assert_nonnull (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/secrets/http-refused", test_http_refused);
  g_test_add_func ("/secrets/https-and-loopback-accepted", test_https_and_loopback_accepted);
  g_test_add_func ("/secrets/other-tricks-refused", test_other_tricks_refused);

  return g_test_run ();
}
