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

gboolean
kl_test_store_profile (KlCredentials  *creds,
                       KlProfile      *profile,
                       const char     *secret,
                       GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SecretValue) value = kl_secret_new (secret, -1);

  kl_credentials_store_async (creds, profile, value, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  return kl_credentials_store_finish (creds, result, error);
}

GPtrArray *
kl_test_list_profiles (KlCredentials  *creds,
                       GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_credentials_list_async (creds, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  return kl_credentials_list_finish (creds, result, error);
}

gboolean
kl_test_rename_profile (KlCredentials  *creds,
                        const char     *id,
                        const char     *name,
                        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_credentials_rename_async (creds, id, name, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  return kl_credentials_rename_finish (creds, result, error);
}

gboolean
kl_test_update_profile (KlCredentials  *creds,
                        KlProfile      *profile,
                        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_credentials_update_async (creds, profile, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  return kl_credentials_update_finish (creds, result, error);
}

gboolean
kl_test_delete_profile (KlCredentials  *creds,
                        const char     *id,
                        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_credentials_delete_async (creds, id, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  return kl_credentials_delete_finish (creds, result, error);
}

gboolean
kl_test_store_azure (KlCredentials  *creds,
                     const char     *project,
                     const char     *client,
                     const char     *secret,
                     GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SecretValue) value = kl_secret_new (secret, -1);

  kl_credentials_store_azure_secret_async (creds, project, client, value, NULL,
                                           kl_test_store_result, &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  return kl_credentials_store_azure_secret_finish (creds, result, error);
}

char *
kl_test_lookup_azure (KlCredentials  *creds,
                      const char     *project,
                      const char     *client,
                      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SecretValue) value = NULL;

  kl_credentials_lookup_azure_secret_async (creds, project, client, NULL, kl_test_store_result,
                                            &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  value = kl_credentials_lookup_azure_secret_finish (creds, result, error);
  return value != NULL ? g_strdup (secret_value_get_text (value)) : NULL;
}

void
kl_test_assert_azure_secret (KlCredentials *creds,
                             const char    *project,
                             const char    *client,
                             const char    *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = kl_test_lookup_azure (creds, project, client, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
}

gboolean
kl_test_delete_azure (KlCredentials  *creds,
                      const char     *project,
                      const char     *client,
                      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_credentials_delete_azure_secret_async (creds, project, client, NULL, kl_test_store_result,
                                            &result);
  kl_test_wait_result (&result, KL_TEST_CREDENTIALS_WAIT_MS);
  return kl_credentials_delete_azure_secret_finish (creds, result, error);
}

KlProfile *
kl_test_find_profile (GPtrArray  *profiles,
                      const char *id)
{
  for (guint i = 0; i < profiles->len; i++)
    {
      if (g_str_equal (kl_profile_get_id (profiles->pdata[i]), id))
        return profiles->pdata[i];
    }
  return NULL;
}
