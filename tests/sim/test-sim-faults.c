/* test-sim-faults.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-utils.h"
#include "test-sim-common.h"

/* Fault injection, latency, the request log and the rest of the control API, over loopback. */

#define GROUPS     "/api/atlas/v2/groups"
#define READY      GROUPS "/" KL_SIM_GROUP_READY
#define READY_PES  READY "/encryptionAtRest/AZURE/privateEndpoints"

static void
add_fixture_test (const char *path,
                  void      (*test) (SimFixture *, gconstpointer))
{
  g_test_add (path, SimFixture, NULL, sim_fixture_setup, test, sim_fixture_teardown);
}

static void
add_rule (SimFixture *f,
          const char *json)
{
  g_autoptr(SimResponse) response = sim_control (f, "POST", "/__sim/faults", json);

  g_assert_cmpuint (response->status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (sim_object (response), "id"), >, 0);
}

static JsonArray *
requests_log (SimFixture  *f,
              SimResponse **keep)
{
  *keep = sim_control (f, "GET", "/__sim/requests", NULL);
  g_assert_cmpuint ((*keep)->status, ==, 200);
  return json_object_get_array_member (sim_object (*keep), "requests");
}

static gint64
duration_us (JsonObject *entry)
{
  return json_object_get_int_member (entry, "endUs") - json_object_get_int_member (entry, "startUs");
}

static void
new_session (SimFixture *f)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  f->session = sim_new_session ();
}

static void
test_latency_global (SimFixture    *f,
                     gconstpointer  data)
{
  g_autoptr(SimResponse) settings = NULL;
  g_autoptr(SimResponse) slow = NULL;
  g_autoptr(SimResponse) log_keep = NULL;
  g_autoptr(SimResponse) off = NULL;
  g_autoptr(GPtrArray) log = NULL;
  JsonArray *entries;

  settings = sim_control (f, "POST", "/__sim/latency", "{\"latencyMs\": 60}");
  g_assert_cmpuint (settings->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (sim_object (settings), "latencyMs"), ==, 60);

  /* Digest: two round trips, each held back 60 ms. */
  slow = sim_get (f, GROUPS, V20230101);
  sim_assert_ok (slow, 200, V20230101);
  g_assert_cmpint (slow->elapsed_us, >=, 2 * 60000);
  entries = requests_log (f, &log_keep);
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (duration_us (json_array_get_object_element (entries, i)), >=, 60000);

  /* The C API sees the same log. */
  log = kl_sim_dup_requests (f->sim);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpint (((KlSimRequest *) log->pdata[1])->end_us
                   - ((KlSimRequest *) log->pdata[1])->start_us, >=, 60000);

  off = sim_control (f, "POST", "/__sim/latency", "{\"latencyMs\": 0}");
  g_assert_cmpuint (off->status, ==, 200);
  kl_sim_set_latency (f->sim, 0);
}

static void
test_latency_rule (SimFixture    *f,
                   gconstpointer  data)
{
  g_autoptr(SimResponse) first = NULL;
  g_autoptr(SimResponse) second = NULL;
  g_autoptr(SimResponse) rules = NULL;
  g_autoptr(SimResponse) log_keep = NULL;
  JsonObject *rule;
  JsonArray *entries;

  add_rule (f, "{\"path\": \"/api/atlas/v2/groups/*/clusters\", \"method\": \"get\", "
               "\"kind\": \"latency\", \"latencyMs\": 80, \"count\": 1}");
  first = sim_get (f, READY "/clusters", V20240805);
  sim_assert_ok (first, 200, V20240805);
  second = sim_get (f, READY "/clusters", V20240805);
  sim_assert_ok (second, 200, V20240805);

  /* Two Digest round trips per call; the rule held back the very first one only. */
  entries = requests_log (f, &log_keep);
  g_assert_cmpuint (json_array_get_length (entries), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (entries, 0),
                                               "status"), ==, 401);
  g_assert_cmpint (duration_us (json_array_get_object_element (entries, 0)), >=, 80000);

  rules = sim_control (f, "GET", "/__sim/faults", NULL);
  rule = json_array_get_object_element (json_object_get_array_member (sim_object (rules), "faults"),
                                        0);
  g_assert_cmpint (json_object_get_int_member (rule, "hits"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (rule, "count"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (rule, "method"), ==, "GET");
}

static void
test_status (SimFixture    *f,
             gconstpointer  data)
{
  g_autoptr(SimResponse) custom = NULL;

  add_rule (f, "{\"path\": \"" GROUPS "\", \"kind\": \"status\", \"status\": 503, \"count\": 2}");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SimResponse) response = sim_get (f, GROUPS, V20230101);

      sim_assert_error (response, 503, "SERVICE_UNAVAILABLE");
    }
  {
    g_autoptr(SimResponse) response = sim_get (f, GROUPS, V20230101);

    sim_assert_ok (response, 200, V20230101);
  }

  add_rule (f, "{\"path\": \"" READY "\", \"kind\": \"status\", \"count\": 1}");
  {
    g_autoptr(SimResponse) response = sim_get (f, READY, V20230101);

    sim_assert_error (response, 500, "UNEXPECTED_ERROR");
  }
  add_rule (f, "{\"path\": \"" READY "\", \"kind\": \"status\", \"status\": 403, \"count\": 1}");
  {
    g_autoptr(SimResponse) response = sim_get (f, READY, V20230101);

    sim_assert_error (response, 403, "IP_ADDRESS_NOT_ON_ACCESS_LIST");
  }
  add_rule (f, "{\"path\": \"" READY "\", \"kind\": \"status\", \"status\": 502, "
               "\"errorCode\": \"BAD_GATEWAY\", \"count\": 1}");
  custom = sim_get (f, READY, V20230101);
  sim_assert_error (custom, 502, "BAD_GATEWAY");
}

static void
test_retry_after (SimFixture    *f,
                  gconstpointer  data)
{
  g_autoptr(SimResponse) limited = NULL;
  g_autoptr(SimResponse) after = NULL;

  add_rule (f, "{\"path\": \"/api/atlas/v2/*\", \"kind\": \"retry_after\", \"retryAfter\": 2, "
               "\"count\": 1}");
  limited = sim_get (f, READY "/clusters", V20240805);
  sim_assert_error (limited, 429, "RATE_LIMITED_TOKEN_BUCKET");
  g_assert_cmpstr (soup_message_headers_get_one (limited->headers, "Retry-After"), ==, "2");
  after = sim_get (f, READY "/clusters", V20240805);
  sim_assert_ok (after, 200, V20240805);
}

static void
test_drop (SimFixture    *f,
           gconstpointer  data)
{
  g_autoptr(SimResponse) dropped = NULL;
  g_autoptr(SimResponse) fine = NULL;
  g_autoptr(GPtrArray) log = NULL;

  add_rule (f, "{\"path\": \"" GROUPS "\", \"kind\": \"drop\", \"count\": 1}");
  new_session (f);
  dropped = sim_get (f, GROUPS, V20230101);
  g_assert_nonnull (dropped->error);
  g_assert_false (g_error_matches (dropped->error, G_IO_ERROR, G_IO_ERROR_CANCELLED));

  log = kl_sim_dup_requests (f->sim);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpuint (((KlSimRequest *) log->pdata[0])->status, ==, 0);
  g_assert_cmpstr (((KlSimRequest *) log->pdata[0])->path, ==, GROUPS);

  new_session (f);
  fine = sim_get (f, GROUPS, V20230101);
  sim_assert_ok (fine, 200, V20230101);
}

static void
test_malformed (SimFixture    *f,
                gconstpointer  data)
{
  g_autoptr(SimResponse) broken = NULL;
  g_autoptr(SimResponse) created = NULL;
  g_autoptr(SimResponse) listed = NULL;

  add_rule (f, "{\"path\": \"" READY "\", \"kind\": \"malformed\", \"count\": 1}");
  f->skip_schema = TRUE;
  broken = sim_get (f, READY, V20230101);
  g_assert_no_error (broken->error);
  g_assert_cmpuint (broken->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (broken->headers, "Content-Type"), ==,
                   "application/vnd.atlas.2023-01-01+json;charset=utf-8");
  g_assert_cmpuint (g_bytes_get_size (broken->body), >, 0);
  g_assert_null (broken->json);

  /* After processing: the endpoint exists, its answer is cut in half. (A bearer token: with
   * Digest the rule would first spoil the 401 challenge.) */
  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  sim_use_token (f);
  add_rule (f, "{\"path\": \"" READY_PES "\", \"method\": \"POST\", \"kind\": \"malformed\", "
               "\"afterProcessing\": true, \"count\": 1}");
  created = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"UK_SOUTH\"}");
  g_assert_cmpuint (created->status, ==, 202);
  g_assert_null (created->json);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (created->body, NULL), "{\"cloudProvider\""));
  f->skip_schema = FALSE;
  listed = sim_get (f, READY_PES, V20230101);
  sim_assert_ok (listed, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (listed), "totalCount"), ==, 1);
}

/* The endpoint POST that fails with 500 although it worked: why clients list before POSTing. */
static void
test_status_after_processing (SimFixture    *f,
                              gconstpointer  data)
{
  g_autoptr(SimResponse) failed = NULL;
  g_autoptr(SimResponse) listed = NULL;
  g_autoptr(SimResponse) again = NULL;

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  sim_use_token (f);
  add_rule (f, "{\"path\": \"" READY_PES "\", \"method\": \"POST\", \"kind\": \"status\", "
               "\"afterProcessing\": true, \"count\": 1}");
  failed = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"US_EAST_2\"}");
  sim_assert_error (failed, 500, "UNEXPECTED_ERROR");
  listed = sim_get (f, READY_PES, V20230101);
  sim_assert_ok (listed, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (listed), "totalCount"), ==, 1);
  again = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"US_EAST_2\"}");
  sim_assert_error (again, 409, "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_ALREADY_EXISTS_FOR_REGION");
}

static gboolean
clear_faults_cb (gpointer user_data)
{
  kl_sim_clear_faults (KL_SIM (user_data));
  return G_SOURCE_REMOVE;
}

static void
test_stall (SimFixture    *f,
            gconstpointer  data)
{
  g_autoptr(SimResponse) stalled = NULL;
  g_autoptr(SimResponse) cleared = NULL;
  g_autoptr(SimResponse) released = NULL;
  GSource *later;

  /* The client gives up; clearing the faults answers the abandoned request harmlessly. */
  add_rule (f, "{\"path\": \"" GROUPS "/*\", \"kind\": \"stall\"}");
  f->cancel_after_ms = 150;
  stalled = sim_get (f, READY, V20230101);
  g_assert_error (stalled->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (stalled->elapsed_us, >=, 150000);
  f->cancel_after_ms = 0;
  cleared = sim_control (f, "DELETE", "/__sim/faults", NULL);
  g_assert_cmpuint (cleared->status, ==, 204);

  /* A stalled request is answered when the faults are cleared. */
  new_session (f);
  g_assert_true (kl_sim_add_fault (f->sim, "{\"path\": \"" GROUPS "/*\", \"kind\": \"stall\"}",
                                   NULL));
  g_assert_cmpuint (kl_sim_count_stalled (f->sim), ==, 0);
  later = g_timeout_source_new (100);
  g_source_set_callback (later, clear_faults_cb, f->sim, NULL);
  g_source_attach (later, g_main_context_get_thread_default ());
  released = sim_get (f, READY, V20230101);
  sim_assert_ok (released, 200, V20230101);
  g_assert_cmpint (released->elapsed_us, >=, 100000);
  g_source_destroy (later);
  g_source_unref (later);

  /* One more stalled request left hanging: kl_sim_stop() in the teardown must cope. */
  kl_sim_add_fault (f->sim, "{\"path\": \"" GROUPS "\", \"kind\": \"stall\"}", NULL);
  f->cancel_after_ms = 50;
  {
    g_autoptr(SimResponse) hanging = sim_get (f, GROUPS, V20230101);

    g_assert_error (hanging->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  /* The simulator still holds it (and counts it). */
  g_assert_cmpuint (kl_sim_count_stalled (f->sim), ==, 1);
  f->cancel_after_ms = 0;
}

/* A stall after processing: Atlas carried out the request, the client never sees the answer
 * (what a crash test kills the app during). The effect is there at once; clearing the faults
 * sends the answer held back, and does not carry the request out a second time. */
static void
test_stall_after_processing (SimFixture    *f,
                             gconstpointer  data)
{
  g_autoptr(SimResponse) abandoned = NULL;
  g_autoptr(SimResponse) listed = NULL;
  g_autoptr(SimResponse) released = NULL;
  g_autoptr(SimResponse) listed_again = NULL;
  GSource *later;

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  sim_use_token (f);
  add_rule (f, "{\"path\": \"" READY_PES "\", \"method\": \"POST\", \"kind\": \"stall\", "
               "\"afterProcessing\": true, \"count\": 1}");
  f->cancel_after_ms = 150;
  abandoned = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"US_EAST_2\"}");
  g_assert_error (abandoned->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  f->cancel_after_ms = 0;
  g_assert_cmpuint (kl_sim_count_stalled (f->sim), ==, 1);
  new_session (f);
  listed = sim_get (f, READY_PES, V20230101);
  sim_assert_ok (listed, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (listed), "totalCount"), ==, 1);
  kl_sim_clear_faults (f->sim);
  g_assert_cmpuint (kl_sim_count_stalled (f->sim), ==, 0);

  /* Waited out: the answer is the one the request got when it was carried out. */
  add_rule (f, "{\"path\": \"" READY_PES "\", \"method\": \"POST\", \"kind\": \"stall\", "
               "\"afterProcessing\": true, \"count\": 1}");
  later = g_timeout_source_new (100);
  g_source_set_callback (later, clear_faults_cb, f->sim, NULL);
  g_source_attach (later, g_main_context_get_thread_default ());
  released = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"EUROPE_WEST\"}");
  sim_assert_ok (released, 202, V20230101);
  g_assert_cmpint (released->elapsed_us, >=, 100000);
  g_assert_cmpstr (sim_member_string (released, "regionName"), ==, "EUROPE_WEST");
  g_source_destroy (later);
  g_source_unref (later);
  listed_again = sim_get (f, READY_PES, V20230101);
  sim_assert_ok (listed_again, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (listed_again), "totalCount"), ==, 2);
}

/* The outcome of 24 GETs under a 50 % fault, as a string of 'o' and 'x'. */
static char *
fault_pattern (guint64 seed)
{
  SimFixture f = { 0, };
  GString *pattern = g_string_new (NULL);

  sim_fixture_setup (&f, NULL);
  kl_sim_set_seed (f.sim, seed);
  f.user = NULL;
  f.skip_schema = FALSE;
  g_assert_true (kl_sim_add_fault (f.sim, "{\"path\": \"" GROUPS "\", \"kind\": \"status\", "
                                          "\"status\": 500, \"probability\": 0.5}", NULL));
  for (guint i = 0; i < 24; i++)
    {
      g_autoptr(SimResponse) response = sim_get (&f, GROUPS, V20230101);

      /* 401 without credentials when the fault does not fire. */
      g_string_append_c (pattern, response->status == 500 ? 'x' : 'o');
    }
  sim_fixture_teardown (&f, NULL);
  return g_string_free (pattern, FALSE);
}

static void
test_probability_seed (void)
{
  g_autofree char *a = fault_pattern (7);
  g_autofree char *b = fault_pattern (7);
  g_autofree char *c = fault_pattern (8);

  g_test_message ("seed 7: %s, seed 8: %s", a, c);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_nonnull (strchr (a, 'x'));
  g_assert_nonnull (strchr (a, 'o'));
}

static void
test_rules_api (SimFixture    *f,
                gconstpointer  data)
{
  const char *invalid[] = {
    "{\"kind\": \"status\"}",
    "{\"path\": \"" GROUPS "\", \"kind\": \"explode\"}",
    "{\"path\": \"" GROUPS "\", \"kind\": \"latency\"}",
    "{\"path\": \"" GROUPS "\", \"kind\": \"status\", \"probability\": 1.5}",
    "{\"path\": \"" GROUPS "\", \"kind\": \"status\", \"status\": 42}",
    "{\"path\": \"" GROUPS "\", \"kind\": \"status\", \"count\": 0}",
    "{\"path\": \"" GROUPS "\", \"kind\": \"status\", \"colour\": \"red\"}",
    "[]",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SimResponse) listed = NULL;
  g_autoptr(SimResponse) cleared = NULL;
  g_autoptr(SimResponse) empty = NULL;
  g_autoptr(SimResponse) post_only = NULL;
  g_autoptr(SimResponse) not_found = NULL;
  JsonArray *faults;

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(SimResponse) response = sim_control (f, "POST", "/__sim/faults", invalid[i]);

      g_test_message ("rule %s", invalid[i]);
      g_assert_cmpuint (response->status, ==, 400);
      g_assert_cmpstr (sim_member_string (response, "errorCode"), ==,
                       i == G_N_ELEMENTS (invalid) - 1 ? "SIM_INVALID_REQUEST"
                                                       : "SIM_INVALID_FAULT");
    }
  g_assert_false (kl_sim_add_fault (f->sim, "{\"path\": 3}", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  /* A method filter leaves the other methods alone. */
  add_rule (f, "{\"path\": \"" READY "\", \"method\": \"PATCH\", \"kind\": \"status\"}");
  post_only = sim_get (f, READY, V20230101);
  sim_assert_ok (post_only, 200, V20230101);
  g_assert_true (kl_sim_add_fault (f->sim, "{\"path\": \"/api/*\", \"kind\": \"latency\", "
                                           "\"latencyMs\": 1, \"probability\": 0.25}", NULL));

  listed = sim_control (f, "GET", "/__sim/faults", NULL);
  faults = json_object_get_array_member (sim_object (listed), "faults");
  g_assert_cmpuint (json_array_get_length (faults), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (faults, 0),
                                                  "kind"), ==, "status");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (faults, 0),
                                               "status"), ==, 500);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (faults, 1),
                                                  "kind"), ==, "latency");

  cleared = sim_control (f, "DELETE", "/__sim/faults", NULL);
  g_assert_cmpuint (cleared->status, ==, 204);
  kl_sim_clear_faults (f->sim);
  empty = sim_control (f, "GET", "/__sim/faults", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sim_object (empty),
                                                                         "faults")), ==, 0);
  not_found = sim_control (f, "POST", "/__sim/explode", "{}");
  g_assert_cmpuint (not_found->status, ==, 404);
  g_assert_cmpstr (sim_member_string (not_found, "errorCode"), ==, "SIM_NOT_FOUND");
}

static void
test_request_log (SimFixture    *f,
                  gconstpointer  data)
{
  g_autoptr(SimResponse) one = NULL;
  g_autoptr(SimResponse) two = NULL;
  g_autoptr(SimResponse) log_keep = NULL;
  g_autoptr(SimResponse) cleared = NULL;
  g_autoptr(SimResponse) after_keep = NULL;
  JsonArray *entries;
  JsonObject *entry;

  one = sim_get (f, GROUPS "?itemsPerPage=2&pageNum=1", V20230101);
  two = sim_get (f, READY, V20230101);
  entries = requests_log (f, &log_keep);
  /* Each call: the Digest challenge, then the request; control requests are not logged. */
  g_assert_cmpuint (json_array_get_length (entries), ==, 4);
  entry = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, GROUPS);
  g_assert_cmpstr (json_object_get_string_member (entry, "query"), ==, "itemsPerPage=2&pageNum=1");
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 401);
  g_assert_cmpint (json_object_get_int_member (entry, "startUs"), <=,
                   json_object_get_int_member (entry, "endUs"));
  entry = json_array_get_object_element (entries, 3);
  g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, READY);
  g_assert_true (json_object_get_null_member (entry, "query"));
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (entries, 2),
                                               "status"), ==, 401);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (entries, 1),
                                               "endUs"), <=,
                   json_object_get_int_member (entry, "startUs"));

  cleared = sim_control (f, "DELETE", "/__sim/requests", NULL);
  g_assert_cmpuint (cleared->status, ==, 204);
  entries = requests_log (f, &after_keep);
  g_assert_cmpuint (json_array_get_length (entries), ==, 0);
}

static void
test_control_clock (SimFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(SimResponse) bad_scale = NULL;
  g_autoptr(SimResponse) advanced = NULL;
  g_autoptr(SimResponse) settings = NULL;
  g_autoptr(SimResponse) no_body = NULL;
  g_autofree char *id = NULL;
  g_autofree char *status = NULL;

  bad_scale = sim_control (f, "POST", "/__sim/time-scale", "{\"timeScale\": -1}");
  g_assert_cmpuint (bad_scale->status, ==, 400);
  no_body = sim_control (f, "POST", "/__sim/advance", NULL);
  g_assert_cmpuint (no_body->status, ==, 400);

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  id = sim_create_endpoint (f, KL_SIM_GROUP_READY, "US_EAST_2");
  advanced = sim_control (f, "POST", "/__sim/advance", "{\"seconds\": 90}");
  g_assert_cmpuint (advanced->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_object (advanced), "simulatedSeconds"),
                     >=, 90);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, id);
  g_assert_cmpstr (status, ==, "PENDING_ACCEPTANCE");

  settings = sim_control (f, "GET", "/__sim/settings", NULL);
  g_assert_cmpuint (settings->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_object (settings), "timeScale"), ==, 0);
}

/* "body": any answer the rule spells out, for the client's tests of hostile or odd servers. */
static void
test_body (SimFixture    *f,
           gconstpointer  data)
{
  g_autoptr(SimResponse) custom = NULL;
  g_autoptr(SimResponse) text = NULL;
  g_autoptr(SimResponse) padded = NULL;
  g_autoptr(SimResponse) chunked = NULL;
  g_autoptr(SimResponse) after = NULL;
  g_autoptr(SimResponse) rules = NULL;
  g_autoptr(SimResponse) real = NULL;
  JsonObject *rule;

  sim_use_token (f);
  f->skip_schema = TRUE;

  /* JSON, labelled with the vendor type asked for, with extra headers; one time only. */
  add_rule (f, "{\"path\": \"" READY "\", \"kind\": \"body\", \"status\": 400, "
               "\"body\": {\"detail\": \"%s%n <b>&amp;\", \"errorCode\": 7}, "
               "\"headers\": {\"X-Error-Code\": \"%x%x\", \"Retry-After\": \"5\"}, \"count\": 1}");
  custom = sim_get (f, READY, V20230101);
  g_assert_cmpuint (custom->status, ==, 400);
  g_assert_cmpstr (soup_message_headers_get_one (custom->headers, "Content-Type"), ==,
                   "application/vnd.atlas.2023-01-01+json;charset=utf-8");
  g_assert_cmpstr (soup_message_headers_get_one (custom->headers, "X-Error-Code"), ==, "%x%x");
  g_assert_cmpstr (soup_message_headers_get_one (custom->headers, "Retry-After"), ==, "5");
  g_assert_cmpstr (sim_member_string (custom, "detail"), ==, "%s%n <b>&amp;");
  g_assert_cmpint (json_object_get_int_member (sim_object (custom), "errorCode"), ==, 7);
  f->skip_schema = FALSE;
  real = sim_get (f, READY, V20230101);
  sim_assert_ok (real, 200, V20230101);
  f->skip_schema = TRUE;

  /* Text with its own type: a proxy's HTML page. */
  add_rule (f, "{\"path\": \"" GROUPS "\", \"kind\": \"body\", \"status\": 502, "
               "\"bodyText\": \"<html><b>Bad gateway</b></html>\", \"contentType\": \"text/html\", "
               "\"count\": 1}");
  text = sim_get (f, GROUPS, V20230101);
  g_assert_cmpuint (text->status, ==, 502);
  g_assert_cmpstr (soup_message_headers_get_one (text->headers, "Content-Type"), ==, "text/html");
  g_assert_cmpmem (g_bytes_get_data (text->body, NULL), g_bytes_get_size (text->body),
                   "<html><b>Bad gateway</b></html>", strlen ("<html><b>Bad gateway</b></html>"));
  g_assert_null (text->json);

  /* Padded with spaces (still one JSON document), with Content-Length or chunked. */
  add_rule (f, "{\"path\": \"" GROUPS "\", \"kind\": \"body\", \"body\": {\"results\": []}, "
               "\"padBytes\": 5242880, \"count\": 1}");
  padded = sim_get (f, GROUPS, V20230101);
  g_assert_cmpuint (padded->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (padded->body), ==, strlen ("{\"results\":[]}") + 5242880);
  g_assert_cmpint (soup_message_headers_get_content_length (padded->headers), ==,
                   strlen ("{\"results\":[]}") + 5242880);
  g_assert_nonnull (padded->json);
  add_rule (f, "{\"path\": \"" GROUPS "\", \"kind\": \"body\", \"body\": [1, 2], "
               "\"padBytes\": 70000, \"chunked\": true, \"count\": 1}");
  chunked = sim_get (f, GROUPS, V20230101);
  g_assert_cmpuint (chunked->status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_encoding (chunked->headers), ==,
                   SOUP_ENCODING_CHUNKED);
  g_assert_cmpuint (g_bytes_get_size (chunked->body), ==, strlen ("[1,2]") + 70000);

  /* After processing: the endpoint POST takes effect, the answer is the rule's. */
  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  add_rule (f, "{\"path\": \"" READY_PES "\", \"method\": \"POST\", \"kind\": \"body\", "
               "\"afterProcessing\": true, \"body\": {\"status\": 12}, \"count\": 1}");
  after = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"US_EAST_2\"}");
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (sim_object (after), "status"), ==, 12);
  f->skip_schema = FALSE;
  {
    g_autoptr(SimResponse) listed = sim_get (f, READY_PES, V20230101);

    sim_assert_ok (listed, 200, V20230101);
    g_assert_cmpint (json_object_get_int_member (sim_object (listed), "totalCount"), ==, 1);
  }

  /* The stored rule says what it sends. */
  add_rule (f, "{\"path\": \"/nowhere\", \"kind\": \"body\", \"bodyText\": \"x\", "
               "\"contentType\": \"text/plain\", \"padBytes\": 3}");
  rules = sim_control (f, "GET", "/__sim/faults", NULL);
  g_assert_cmpuint (rules->status, ==, 200);
  {
    JsonArray *list = json_object_get_array_member (sim_object (rules), "faults");

    rule = json_array_get_object_element (list, json_array_get_length (list) - 1);
  }
  g_assert_cmpstr (json_object_get_string_member (rule, "kind"), ==, "body");
  g_assert_cmpstr (json_object_get_string_member (rule, "bodyText"), ==, "x");
  g_assert_cmpstr (json_object_get_string_member (rule, "contentType"), ==, "text/plain");
  g_assert_cmpint (json_object_get_int_member (rule, "status"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (rule, "padBytes"), ==, 3);
}

static void
test_body_rules_refused (SimFixture    *f,
                         gconstpointer  data)
{
  static const char *const refused[] = {
    "{\"path\": \"/a\", \"kind\": \"body\"}",
    "{\"path\": \"/a\", \"kind\": \"body\", \"body\": 1, \"bodyText\": \"1\"}",
    "{\"path\": \"/a\", \"kind\": \"status\", \"body\": 1}",
    "{\"path\": \"/a\", \"kind\": \"body\", \"body\": 1, \"headers\": [\"X\"]}",
    "{\"path\": \"/a\", \"kind\": \"body\", \"body\": 1, \"headers\": {\"X Y\": \"1\"}}",
    "{\"path\": \"/a\", \"kind\": \"body\", \"body\": 1, \"headers\": {\"X\": \"1\\r\\nY: 2\"}}",
    "{\"path\": \"/a\", \"kind\": \"body\", \"body\": 1, \"padBytes\": -1}",
    "{\"path\": \"/a\", \"kind\": \"body\", \"body\": 1, \"padBytes\": 1000000000}",
    "{\"path\": \"/a\", \"kind\": \"body\", \"body\": 1, \"chunked\": 1}",
    "{\"path\": \"/a\", \"kind\": \"status\", \"totalCount\": 3}",
    "{\"path\": \"/a\", \"kind\": \"lying_pages\", \"totalCount\": -3}",
    "{\"path\": \"/a\", \"kind\": \"lying_pages\", \"padBytes\": 3}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(SimResponse) response = sim_control (f, "POST", "/__sim/faults", refused[i]);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", refused[i]);
      sim_assert_error (response, 400, "SIM_INVALID_FAULT");
      g_assert_false (kl_sim_add_fault (f->sim, refused[i], &error));
      g_assert_nonnull (error);
    }
}

/* "lying_pages": the real pages, but "next" never ends and totalCount says what the rule says. */
static void
test_lying_pages (SimFixture    *f,
                  gconstpointer  data)
{
  g_autoptr(SimResponse) last = NULL;
  g_autoptr(SimResponse) beyond = NULL;
  g_autoptr(SimResponse) error = NULL;
  JsonArray *links;
  gboolean has_next = FALSE;

  sim_use_token (f);
  add_rule (f, "{\"path\": \"" GROUPS "\", \"kind\": \"lying_pages\", \"totalCount\": 5000}");

  /* 15 projects: page 3 of 5 is the real last one, yet it promises a fourth. */
  last = sim_get (f, GROUPS "?itemsPerPage=5&pageNum=3", V20230101);
  sim_assert_ok (last, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (last), "totalCount"), ==, 5000);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sim_object (last),
                                                                         "results")), ==, 5);
  links = json_object_get_array_member (sim_object (last), "links");
  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *link = json_array_get_object_element (links, i);

      if (g_strcmp0 (json_object_get_string_member (link, "rel"), "next") == 0)
        {
          g_assert_false (has_next);
          has_next = TRUE;
          g_assert_true (g_str_has_suffix (json_object_get_string_member (link, "href"),
                                           GROUPS "?pageNum=4&itemsPerPage=5"));
        }
    }
  g_assert_true (has_next);

  beyond = sim_get (f, GROUPS "?itemsPerPage=5&pageNum=40", V20230101);
  sim_assert_ok (beyond, 200, V20230101);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sim_object (beyond),
                                                                         "results")), ==, 0);

  /* Errors stay errors. */
  error = sim_get (f, GROUPS "?pageNum=0", V20230101);
  sim_assert_error (error, 400, "INVALID_QUERY_PARAMETER");
}

/* JSON nested 200000 deep (json-glib recurses once per level): refused, and the simulator
 * (in-process in demo mode, its control API open to any local client) lives on. */
static void
test_deep_bodies (SimFixture    *f,
                  gconstpointer  data)
{
  g_autofree char *deep = g_strnfill (200000, '[');
  g_autoptr(SimResponse) control = NULL;
  g_autoptr(SimResponse) api = NULL;
  g_autoptr(SimResponse) alive = NULL;

  control = sim_control (f, "POST", "/__sim/faults", deep);
  sim_assert_error (control, 400, "SIM_INVALID_REQUEST");

  sim_use_token (f);
  api = sim_send (f, "PATCH", READY "/encryptionAtRest", V20230101, deep);
  sim_assert_error (api, 400, "INVALID_JSON");

  alive = sim_get (f, GROUPS, V20230101);
  sim_assert_ok (alive, 200, V20230101);
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);

  add_fixture_test ("/sim-faults/latency-global", test_latency_global);
  add_fixture_test ("/sim-faults/latency-rule", test_latency_rule);
  add_fixture_test ("/sim-faults/status", test_status);
  add_fixture_test ("/sim-faults/retry-after", test_retry_after);
  add_fixture_test ("/sim-faults/drop", test_drop);
  add_fixture_test ("/sim-faults/malformed", test_malformed);
  add_fixture_test ("/sim-faults/status-after-processing", test_status_after_processing);
  add_fixture_test ("/sim-faults/stall", test_stall);
  add_fixture_test ("/sim-faults/stall-after-processing", test_stall_after_processing);
  g_test_add_func ("/sim-faults/probability-seed", test_probability_seed);
  add_fixture_test ("/sim-faults/rules-api", test_rules_api);
  add_fixture_test ("/sim-faults/request-log", test_request_log);
  add_fixture_test ("/sim-faults/control-clock", test_control_clock);
  add_fixture_test ("/sim-faults/body", test_body);
  add_fixture_test ("/sim-faults/body-rules-refused", test_body_rules_refused);
  add_fixture_test ("/sim-faults/lying-pages", test_lying_pages);
  add_fixture_test ("/sim-faults/deep-bodies", test_deep_bodies);

  return g_test_run ();
}
