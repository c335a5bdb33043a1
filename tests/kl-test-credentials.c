/* kl-test-credentials.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kl-test-credentials.h"
#include "kl-test-utils.h"

void
kl_test_secret_tool_store (const char *profile,
                           const char *property,
                           const char *secret)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *service = g_strconcat ("atlascli_", profile, NULL);
  g_autofree char *label = g_strdup_printf ("Password for '%s' on '%s'", property, service);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                              "secret-tool", "store", "--label", label,
                              "service", service, "username", property, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, secret, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

GPtrArray *
kl_test_list_cli (KlCredentials  *creds,
                              GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_credentials_list_cli_profiles_async (creds, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  return kl_credentials_list_cli_profiles_finish (creds, result, error);
}

KlProfile *
kl_test_import_cli (KlCredentials  *creds,
                                KlCliProfile   *cli,
                                GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_credentials_import_cli_profile_async (creds, cli, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  return kl_credentials_import_cli_profile_finish (creds, result, error);
}

char *
kl_test_lookup_secret (KlCredentials  *creds,
                            const char     *id,
                            GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SecretValue) value = NULL;

  kl_credentials_lookup_async (creds, id, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  value = kl_credentials_lookup_finish (creds, result, error);
  return value != NULL ? g_strdup (secret_value_get_text (value)) : NULL;
}

void
kl_test_assert_secret (KlCredentials *creds,
                       const char    *id,
                       const char    *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = kl_test_lookup_secret (creds, id, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
}
