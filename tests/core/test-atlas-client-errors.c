/* test-atlas-client-errors.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-atlas-client.h"

/* KlAtlasClient against the simulator over loopback, with an API key and with a service
 * account, when things go wrong: refused credentials, error statuses, Retry-After, server
 * errors before and after a write took effect, dropped connections, malformed answers,
 * stalls, cancellation. */

static void
test_wrong_credentials (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KlAtlasClient) client = new_client (f, f->auth_type, "wrong-secret");
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  projects = list_projects (client, &error);
  g_assert_null (projects);
  g_assert_error (error, KL_ERROR, KL_ERROR_AUTH_FAILED);

  if (f->auth_type == KL_AUTH_API_KEY)
    {
      /* The challenge, then one try with the key; no more. */
      g_assert_cmpuint (count_requests (f, "GET", "/api/atlas/v2/groups"), ==, 2);
    }
  else
    {
      g_assert_cmpuint (count_requests (f, "POST", "/api/oauth/token"), ==, 1);
      g_assert_cmpuint (count_requests (f, "GET", "/api/atlas/v2/groups"), ==, 0);
    }
}

static void
test_injected_statuses (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { guint status; const char *code; KlError expected; } cases[] = {
    { 401, "UNEXPECTED_ERROR", KL_ERROR_AUTH_FAILED },
    { 403, "IP_ADDRESS_NOT_ON_ACCESS_LIST", KL_ERROR_IP_NOT_ON_ACCESS_LIST },
    { 403, "USER_CANNOT_ACCESS_GROUP", KL_ERROR_FORBIDDEN },
    { 406, "INVALID_VERSION_DATE", KL_ERROR_API_VERSION },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KlProject) project = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *rule = NULL;

      kl_sim_clear_faults (f->sim);
      /* A 401 is answered once with a new token (service accounts): inject it twice. */
      rule = g_strdup_printf ("{\"path\":\"/api/atlas/v2/groups/*\",\"kind\":\"status\","
                              "\"status\":%u,\"errorCode\":\"%s\",\"count\":2}",
                              cases[i].status, cases[i].code);
      add_fault (f, rule);

      project = get_project (f->client, KL_SIM_GROUP_READY, &error);
      g_assert_null (project);
      g_assert_error (error, KL_ERROR, cases[i].expected);
      g_assert_cmpstr (kl_error_get_atlas_code (error), ==, cases[i].code);
      g_assert_cmpuint (kl_error_get_http_status (error), ==, cases[i].status);
    }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = get_project (f->client, UNKNOWN_GROUP, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==, "GROUP_NOT_FOUND");
  /* A 404 is an answer, not a failure: never repeated. */
  g_assert_cmpuint (count_served (f, "GET", UNKNOWN_GROUP), ==, 1);
}

static void
test_invalid_ids (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;

  project = get_project (f->client, "../../oauth/token", &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  cluster = get_cluster (f->client, KL_SIM_GROUP_READY, "a/b", &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  endpoint = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "us-east-2\"", &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (delete_endpoint (f->client, KL_SIM_GROUP_READY, "123", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);

  requests = kl_sim_dup_requests (f->sim);
  g_assert_cmpuint (requests->len, ==, 0);
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  KlSimRequest *limited = NULL;
  KlSimRequest *retried = NULL;
  gint64 start;
  gint64 elapsed;
  guint i;

  /* Warm up (token, Digest) so that only the limited call is measured. */
  projects = list_projects (f->client, &error);
  g_assert_no_error (error);
  g_clear_pointer (&projects, g_ptr_array_unref);
  kl_sim_clear_requests (f->sim);

  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"retry_after\",\"retryAfter\":1,"
                "\"count\":1}");
  start = g_get_monotonic_time ();
  projects = list_projects (f->client, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_nonnull (projects);
  g_test_message ("429 with Retry-After: 1 → answered after %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC);

  requests = kl_sim_dup_requests (f->sim);
  for (i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->path, "/api/atlas/v2/groups") != 0)
        continue;
      if (request->status == 429)
        limited = request;
      else if (request->status == 200 && limited != NULL && retried == NULL)
        retried = request;
    }
  g_assert_nonnull (limited);
  g_assert_nonnull (retried);
  /* Measured by the server: the repeat came at least a second after the 429 left. */
  g_assert_cmpint (retried->start_us - limited->end_us, >=, G_USEC_PER_SEC);
}

static void
test_retry_after_too_long (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"retry_after\",\"retryAfter\":600,"
                "\"count\":1}");
  start = g_get_monotonic_time ();
  projects = list_projects (f->client, &error);
  g_assert_null (projects);
  /* Not waited for: the error says how long to wait. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (5 * G_USEC_PER_SEC));
  g_assert_error (error, KL_ERROR, KL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (kl_error_get_retry_after (error), ==, 600);
  g_assert_cmpstr (kl_error_get_atlas_code (error), ==, "RATE_LIMITED_TOKEN_BUCKET");
}

static void
test_server_error_get (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = "/api/atlas/v2/groups/" KL_SIM_GROUP_READY;

  /* Two 500s, then the answer. */
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/" KL_SIM_GROUP_READY "\",\"kind\":\"status\","
                "\"status\":500,\"count\":2}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_cmpuint (count_requests (f, "GET", path), >=, 3);
  g_clear_object (&project);

  /* Always 500: four attempts, then KL_ERROR_SERVER. */
  kl_sim_clear_requests (f->sim);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/" KL_SIM_GROUP_READY "\",\"kind\":\"status\","
                "\"status\":503}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_SERVER);
  g_assert_cmpuint (kl_error_get_http_status (error), ==, 503);
  g_assert_cmpuint (count_served (f, "GET", path), ==, 4);
}

static void
test_server_error_post (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(KlPrivateEndpoint) plain = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = "/api/atlas/v2/groups/" KL_SIM_GROUP_READY
                     "/encryptionAtRest/AZURE/privateEndpoints";
  guint i;

  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);

  /* The plain create is never repeated on a 500. */
  kl_sim_clear_requests (f->sim);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*/privateEndpoints\",\"method\":\"POST\","
                "\"kind\":\"status\",\"status\":500,\"count\":1}");
  plain = create_endpoint (f->client, KL_SIM_GROUP_READY, "EUROPE_WEST", &error);
  g_assert_null (plain);
  g_assert_error (error, KL_ERROR, KL_ERROR_SERVER);
  g_assert_cmpuint (count_served (f, "POST", path), ==, 1);
  g_clear_error (&error);

  /* The POST creates the endpoint, then answers 500: the safe create lists before trying
   * again and finds it. */
  kl_sim_clear_requests (f->sim);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*/privateEndpoints\",\"method\":\"POST\","
                "\"kind\":\"status\",\"status\":500,\"count\":1,\"afterProcessing\":true}");
  endpoint = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "US_EAST_2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_private_endpoint_get_region_name (endpoint), ==, "US_EAST_2");

  endpoints = list_endpoints (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 1);
  for (i = 0; i < endpoints->len; i++)
    g_assert_cmpstr (kl_private_endpoint_get_id (g_ptr_array_index (endpoints, i)), ==,
                     kl_private_endpoint_get_id (endpoint));
  /* Exactly one POST that reached the world, never a blind second one. (With Digest the
   * fault lands on the first round trip, before authentication, so nothing was created and
   * the second POST is the one that creates: the list above is what matters.) */
  if (f->auth_type == KL_AUTH_SERVICE_ACCOUNT)
    g_assert_cmpuint (count_served (f, "POST", path), ==, 1);
}

static void
test_server_error_post_before_processing (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;

  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);

  /* This time the 500 comes before anything is done: list, POST (500), list, POST. */
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*/privateEndpoints\",\"method\":\"POST\","
                "\"kind\":\"status\",\"status\":500,\"count\":1}");
  endpoint = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "EUROPE_WEST", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==, KL_ENDPOINT_STATUS_INITIATING);

  endpoints = list_endpoints (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 1);
  g_assert_cmpuint (count_requests (f, "GET", "/privateEndpoints"), >=, 3);
}

static void
test_ensure_concurrent (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(KlPrivateEndpoint) first = NULL;
  g_autoptr(KlPrivateEndpoint) second = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;

  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);

  /* Two pages ask for the same region at once: both lists are empty, one POST wins, the
   * other finds its endpoint. */
  kl_atlas_client_ensure_private_endpoint_async (f->client, KL_SIM_GROUP_READY, "US_EAST_2",
                                                 NULL, kl_test_store_result, &first_result);
  kl_atlas_client_ensure_private_endpoint_async (f->client, KL_SIM_GROUP_READY, "US_EAST_2",
                                                 NULL, kl_test_store_result, &second_result);
  first = kl_atlas_client_ensure_private_endpoint_finish (f->client, wait_result (&first_result),
                                                          &error);
  g_assert_no_error (error);
  second = kl_atlas_client_ensure_private_endpoint_finish (f->client,
                                                           wait_result (&second_result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_private_endpoint_get_id (first), ==, kl_private_endpoint_get_id (second));
  /* Both did POST: the conflict path was taken. */
  g_assert_cmpuint (count_served (f, "POST", "/privateEndpoints"), ==, 2);

  endpoints = list_endpoints (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 1);
}

static void
test_dropped_connections (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  guint dropped = 0;
  guint i;

  /* A GET whose connection is dropped is simply repeated. */
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/" KL_SIM_GROUP_READY "\",\"kind\":\"drop\","
                "\"count\":2}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);

  requests = kl_sim_dup_requests (f->sim);
  for (i = 0; i < requests->len; i++)
    if (((KlSimRequest *) g_ptr_array_index (requests, i))->status == 0)
      dropped++;
  g_assert_cmpuint (dropped, ==, 2);

  /* A create whose connection drops after the endpoint exists: found, not duplicated. */
  enable_cmk_with_private_networking (f->client, KL_SIM_GROUP_READY);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*/privateEndpoints\",\"method\":\"POST\","
                "\"kind\":\"drop\",\"count\":1,\"afterProcessing\":true}");
  endpoint = ensure_endpoint (f->client, KL_SIM_GROUP_READY, "US_EAST_2", &error);
  g_assert_no_error (error);
  endpoints = list_endpoints (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 1);
}

static void
test_malformed_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (f, "{\"path\":\"/api/atlas/v2/groups/*\",\"kind\":\"malformed\",\"count\":1}");
  project = get_project (f->client, KL_SIM_GROUP_READY, &error);
  g_assert_null (project);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  /* Cut in the middle of a real answer. With Digest every call is two round trips (the
   * first one's 401 carries the challenge), so the fault has to spoil both. */
  add_fault (f, f->auth_type == KL_AUTH_API_KEY
                  ? "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"malformed\",\"count\":2,"
                    "\"afterProcessing\":true}"
                  : "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"malformed\",\"count\":1,"
                    "\"afterProcessing\":true}");
  projects = list_projects (f->client, &error);
  g_assert_null (projects);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Lists the projects, cancelling the call after 300 ms. */
static GPtrArray *
list_projects_cancelled (Fixture  *f,
                         GError  **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_projects_async (f->client, cancellable, kl_test_store_result, &result);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 300, cancel_cb, g_object_ref (cancellable),
                      g_object_unref);
  return kl_atlas_client_list_projects_finish (f->client, wait_result (&result), error);
}

static void
test_stall_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"stall\"}");
  start = g_get_monotonic_time ();
  projects = list_projects_cancelled (f, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_null (projects);
  /* Silent, and prompt. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed, <, kl_test_scale_us (3 * G_USEC_PER_SEC));
}

static void
test_stall_timeout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  kl_atlas_client_set_timeout (f->client, 1);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"stall\"}");
  start = g_get_monotonic_time ();
  projects = list_projects (f->client, &error);
  g_assert_null (projects);
  g_assert_error (error, KL_ERROR, KL_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (5 * G_USEC_PER_SEC));
}

static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* A 5 min Retry-After being waited out is cut short by the cancellable: well before the
   * end of the wait, however slow the machine. */
  kl_atlas_client_set_retry_policy (f->client, 4, TEST_BASE_DELAY_MS, 300 * 1000);
  add_fault (f, "{\"path\":\"/api/atlas/v2/groups\",\"kind\":\"retry_after\",\"retryAfter\":300}");
  start = g_get_monotonic_time ();
  projects = list_projects_cancelled (f, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (2 * G_USEC_PER_SEC));
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs hide the desktop's proxy settings schema, which GIO's GNOME proxy
   * resolver would abort on: connect directly (the simulator is on loopback). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_for_both ("wrong-credentials", test_wrong_credentials);
  add_for_both ("injected-statuses", test_injected_statuses);
  add_for_both ("not-found", test_not_found);
  add_for_both ("invalid-ids", test_invalid_ids);
  add_for_both ("retry-after", test_retry_after);
  add_for_both ("retry-after-too-long", test_retry_after_too_long);
  add_for_both ("server-error-get", test_server_error_get);
  add_for_both ("server-error-post", test_server_error_post);
  add_for_both ("server-error-post-before-processing", test_server_error_post_before_processing);
  add_for_both ("ensure-concurrent", test_ensure_concurrent);
  add_for_both ("dropped-connections", test_dropped_connections);
  add_for_both ("malformed-json", test_malformed_json);
  add_for_both ("stall-cancelled", test_stall_cancelled);
  add_for_both ("stall-timeout", test_stall_timeout);
  add_for_both ("cancel-during-backoff", test_cancel_during_backoff);

  return g_test_run ();
}
