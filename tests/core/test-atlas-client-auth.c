/* test-atlas-client-auth.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-atlas-client.h"

/* KlAtlasClient's addresses and credentials: the base URLs it accepts, signing out, and a
 * service account's tokens (shared, refreshed on a 401, within the account's limit, revoked,
 * and answers that cannot be used). */

static gboolean
sign_out (KlAtlasClient  *client,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_sign_out_async (client, NULL, kl_test_store_result, &result);
  return kl_atlas_client_sign_out_finish (client, wait_result (&result), error);
}

/* ---- service-account tokens ---- */

typedef struct
{
  guint pending;
  guint failed;
} Batch;

static void
batch_project_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = kl_atlas_client_get_project_finish (KL_ATLAS_CLIENT (source), result, &error);
  if (project == NULL)
    {
      g_test_message ("failed: %s", error->message);
      batch->failed++;
    }
  batch->pending--;
}

static gboolean
batch_done (gpointer user_data)
{
  return ((Batch *) user_data)->pending == 0;
}

static void
test_token_shared (Fixture       *f,
                   gconstpointer  data)
{
  Batch batch = { 0, 0 };
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  /* Twenty calls at once, no token yet: one token request. */
  for (i = 0; i < 20; i++)
    {
      batch.pending++;
      kl_atlas_client_get_project_async (f->client, i % 2 ? KL_SIM_GROUP_READY
                                                          : KL_SIM_GROUP_MIXED,
                                         NULL, batch_project_cb, &batch);
    }
  g_assert_true (kl_test_wait_until (batch_done, &batch, WAIT_MS));
  g_assert_cmpuint (batch.failed, ==, 0);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 1);

  /* And it is reused afterwards. */
  projects = list_projects (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 1);
}

static void
test_token_refreshed_on_401 (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAtlasClient) expired = NULL;

  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_clear_object (&project);

  /* Atlas drops the token early: one new token, the call goes through. */
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*\",\"kind\":\"status\",\"status\":401,"
                "\"errorCode\":\"UNEXPECTED_ERROR\",\"count\":1}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 2);
  g_clear_object (&project);

  /* Tokens that are dead on arrival: renewed once, then the call fails. */
  kl_sim_clear_requests (f->sim);
  kl_sim_set_token_lifetime (f->sim, 0);
  expired = new_client (f, KL_AUTH_SERVICE_ACCOUNT, NULL);
  project = get_project (expired, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 2);
  g_assert_cmpuint (count_requests (f, "GET", KL_SIM_GROUP_READY), ==, 2);
}

static void
test_token_limit_and_revocation (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KlAtlasClient) extra = NULL;
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  /* The fixture's client and 99 more each hold one live token: the account's 100. (One
   * after the other: a hundred connections at once overflow the server's listen backlog.) */
  g_ptr_array_add (clients, g_object_ref (f->client));
  for (i = 1; i < 100; i++)
    g_ptr_array_add (clients, new_client (f, KL_AUTH_SERVICE_ACCOUNT, NULL));
  for (i = 0; i < clients->len; i++)
    {
      project = get_project (g_ptr_array_index (clients, i), KL_SIM_GROUP_READY, &error);
      g_assert_no_error (error);
      g_clear_object (&project);
    }
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 100);

  /* One more is refused, with a message that says why. */
  extra = new_client (f, KL_AUTH_SERVICE_ACCOUNT, NULL);
  project = get_project (extra, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_TOO_MANY_TOKENS);
  g_clear_error (&error);

  /* Signing one client out revokes its token for real: now there is room. */
  g_assert_true (sign_out (f->client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/revoke"), ==, 1);
  g_assert_true (kl_atlas_client_is_signed_out (f->client));

  project = get_project (extra, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_clear_object (&project);

  /* Signed out: nothing is sent any more. */
  kl_sim_clear_requests (f->sim);
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_assert_cmpuint (count_requests (f, "GET", KL_SIM_GROUP_READY), ==, 0);
}

static void
test_sign_out (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_clear_object (&project);

  g_assert_true (sign_out (f->client, &error));
  g_assert_no_error (error);
  g_assert_true (kl_atlas_client_is_signed_out (f->client));
  g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/revoke"),
                    ==, f->auth_type == KL_AUTH_SERVICE_ACCOUNT ? 1 : 0);

  kl_sim_clear_requests (f->sim);
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);
  g_assert_cmpuint (count_requests (f, "GET", KL_SIM_GROUP_READY), ==, 0);
  g_clear_error (&error);

  /* Twice is fine. */
  g_assert_true (sign_out (f->client, &error));
  g_assert_no_error (error);
}

/* ---- base URLs ---- */

static void
test_base_urls (void)
{
  static const struct { const char *url; int code; } cases[] = {
    { "https://cloud.mongodb.com", -1 },
    { "https://cloud.mongodb.com/", -1 },
    { "https://cloud.mongodbgov.com", -1 },
    { "https://atlas.example.com:8443", -1 },
    { "http://127.0.0.1:8080", -1 },
    { "http://127.9.8.7", -1 },
    { "http://[::1]:8080", -1 },
    { "http://localhost:8080", -1 },
    { "http://LOCALHOST", -1 },
    { "http://cloud.mongodb.com", KL_ERROR_INSECURE_URL },
    { "http://10.0.0.1:8080", KL_ERROR_INSECURE_URL },
    { "http://127.0.0.1.example.com", KL_ERROR_INSECURE_URL },
    { "http://[::ffff:192.168.1.1]", KL_ERROR_INSECURE_URL },
    { "http://128.0.0.1", KL_ERROR_INSECURE_URL },
    { "", KL_ERROR_INVALID_INPUT },
    { "cloud.mongodb.com", KL_ERROR_INVALID_INPUT },
    { "ftp://cloud.mongodb.com", KL_ERROR_INVALID_INPUT },
    { "https://", KL_ERROR_INVALID_INPUT },
    { "https://user:pass@cloud.mongodb.com", KL_ERROR_INVALID_INPUT },
    { "https://cloud.mongodb.com/v2/65f0000000000000000000a1#/overview", KL_ERROR_INVALID_INPUT },
    { "https://cloud.mongodb.com?x=1", KL_ERROR_INVALID_INPUT },
    { "https://cloud mongodb com", KL_ERROR_INVALID_INPUT },
  };
  g_autoptr(KlAtlasClient) client = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean ok = kl_atlas_check_base_url (cases[i].url, &local_error);

      g_test_message ("%s: %s", cases[i].url, local_error ? local_error->message : "ok");
      if (cases[i].code < 0)
        {
          g_assert_no_error (local_error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (local_error, KL_ERROR, cases[i].code);
        }
    }

  g_assert_cmpstr (kl_atlas_service_get_url (KL_ATLAS_SERVICE_ATLAS), ==, KL_ATLAS_URL);
  g_assert_cmpstr (kl_atlas_service_get_url (KL_ATLAS_SERVICE_GOVERNMENT), ==,
                   KL_ATLAS_GOVERNMENT_URL);
  g_assert_null (kl_atlas_service_get_url (KL_ATLAS_SERVICE_CUSTOM));

  /* The constructor refuses the same way, and normalises what it accepts. */
  client = kl_atlas_client_new ("http://atlas.example.com", KL_AUTH_API_KEY, "a", "b", &error);
  g_assert_null (client);
  g_assert_error (error, KL_ERROR, KL_ERROR_INSECURE_URL);
  g_clear_error (&error);

  client = kl_atlas_client_new ("https://cloud.mongodb.com", KL_AUTH_API_KEY, "a", "", &error);
  g_assert_null (client);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  client = kl_atlas_client_new ("https://cloud.mongodb.com/", KL_AUTH_SERVICE_ACCOUNT,
                                SA_CLIENT_ID, SA_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_atlas_client_get_base_url (client), ==, "https://cloud.mongodb.com");
  g_assert_cmpint (kl_atlas_client_get_auth_type (client), ==, KL_AUTH_SERVICE_ACCOUNT);
  g_assert_cmpstr (kl_atlas_client_get_principal (client), ==, SA_CLIENT_ID);
  g_assert_false (kl_atlas_client_is_signed_out (client));
}

#define TOKEN_BODY_FAULT "{\"path\":\"/api/oauth/token\",\"kind\":\"body\",\"status\":200,"

/* Token answers that cannot be used fail the call (KL_ERROR_BAD_RESPONSE), whatever they hold:
 * empty, not JSON, or JSON of the wrong content type (refused unread, and wiped). */
static void
test_token_answer_unusable (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const rules[] = {
    TOKEN_BODY_FAULT "\"bodyText\":\"\"}",
    TOKEN_BODY_FAULT "\"bodyText\":\"{\\\"a\\\":\"}",
    TOKEN_BODY_FAULT "\"contentType\":\"text/plain\","
    "\"bodyText\":\"{\\\"access_token\\\":\\\"t0k3n\\\",\\\"token_type\\\":\\\"Bearer\\\"}\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(KlAtlasClient) client = new_client (f, KL_AUTH_SERVICE_ACCOUNT, NULL);
      g_autoptr(KlProject) project = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("rule %u: %s", i, rules[i]);
      kl_sim_clear_faults (f->sim);
      add_fault (f, rules[i]);
      project = get_project (client, KL_SIM_GROUP_READY, &error);
      g_assert_null (project);
      g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs hide the desktop's proxy settings schema, which GIO's GNOME proxy
   * resolver would abort on: connect directly (the simulator is on loopback). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/atlas-client/base-urls", test_base_urls);

  add_for_both ("sign-out", test_sign_out);
  add_for_service_account ("token-shared", test_token_shared);
  add_for_service_account ("token-refreshed-on-401", test_token_refreshed_on_401);
  add_for_service_account ("token-limit-and-revocation", test_token_limit_and_revocation);
  add_for_service_account ("token-answer-unusable", test_token_answer_unusable);

  return g_test_run ();
}
