/* test-live-replay.c — a recording of test-live.c played on the simulator.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Plays the recording named by KEYLINK_LIVE_REPLAY (default: data/sim-recording.jsonl, made
 * by test-live.c against keylink-atlas-sim, README.md) on an in-process simulator, in the
 * recorded order: the writes (PATCH, POST, DELETE) once each, with their recorded (redacted)
 * bodies, so the simulator goes through the same states; each read (GET) again, after moving
 * the simulator's frozen clock on, and approving an endpoint in its Azure side, until it shows
 * the states the recording shows ("status" and "stateName" values), within a bound. Then the
 * two answers are compared: status, error code, and the set of member paths. Recorded ids are
 * mapped to the simulator's (the project; endpoints by region, in order of appearance).
 *
 * Each difference is a TAP diagnostic. A recording made against the simulator must replay
 * without any (they fail the test: the simulator's behaviour changed); one made against Atlas
 * is where differences are expected, and only reported. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kl-live-common.h"
#include "kl-test-utils.h"
#include "test-sim-common.h"

/* Catching up on one read: the clock moves this many simulated seconds at a time, up to the
 * longest wait of the simulator's state machines and then some (kl-sim.h). */
#define CATCH_UP_STEP_SECONDS   5
#define CATCH_UP_MAX_SECONDS  600

typedef struct
{
  SimFixture      *fixture;
  KlLiveRecording *recording;
  char            *group_id;     /* the simulator's */
  GHashTable      *ids;          /* recorded endpoint id -> the simulator's */
  GHashTable      *sim_ids;      /* the simulator's ids already mapped */
  GHashTable      *told;
  GPtrArray       *differences;
  guint            n_reads;
  guint            n_writes;
  guint            n_skipped;
  double           advanced;
} Replay;

static void
replay_clear (Replay *replay)
{
  g_free (replay->group_id);
  g_clear_pointer (&replay->ids, g_hash_table_unref);
  g_clear_pointer (&replay->sim_ids, g_hash_table_unref);
  g_clear_pointer (&replay->told, g_hash_table_unref);
  g_clear_pointer (&replay->differences, g_ptr_array_unref);
}

static void
differ (Replay     *replay,
        const char *method,
        const char *path,
        char       *text)
{
  g_autofree char *template = kl_live_path_template (path);
  g_autofree char *line = g_strdup_printf ("difference: %s %s: %s", method, template, text);

  g_free (text);
  if (g_hash_table_contains (replay->told, line))
    return;
  g_hash_table_add (replay->told, g_strdup (line));
  g_ptr_array_add (replay->differences, g_steal_pointer (&line));
}

static const char *
version_for (const char *method,
             const char *path)
{
  if (strstr (path, "/flexClusters") != NULL)
    return "2024-11-13";
  if (strstr (path, "/clusters") != NULL)
    return g_str_equal (method, "PATCH") ? V20241023 : V20240805;
  return V20230101;
}

static gboolean
is_endpoint (JsonObject *object)
{
  return json_object_has_member (object, "id") && json_object_has_member (object, "regionName")
         && json_object_has_member (object, "status");
}

/* Endpoint-shaped objects of @node (id, regionName, status), in document order. */
static void
collect_endpoints (JsonNode  *node,
                   GPtrArray *out)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = NULL;

      if (is_endpoint (object))
        {
          g_ptr_array_add (out, object);
          return;
        }
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        collect_endpoints (json_object_get_member (object, l->data), out);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_endpoints (json_array_get_element (array, i), out);
    }
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  return json_object_get_string_member_with_default (object, name, NULL);
}

/* Pairs the endpoints of a recorded answer with the simulator's, region by region, in order. */
static void
learn_ids (Replay   *replay,
           JsonNode *recorded,
           JsonNode *replayed)
{
  g_autoptr(GPtrArray) theirs = g_ptr_array_new ();
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();

  collect_endpoints (recorded, theirs);
  collect_endpoints (replayed, ours);
  for (guint i = 0; i < theirs->len; i++)
    {
      const char *id = string_member (theirs->pdata[i], "id");
      const char *region = string_member (theirs->pdata[i], "regionName");

      if (id == NULL || g_hash_table_contains (replay->ids, id))
        continue;
      for (guint j = 0; j < ours->len; j++)
        {
          const char *sim_id = string_member (ours->pdata[j], "id");

          if (sim_id != NULL && !g_hash_table_contains (replay->sim_ids, sim_id)
              && g_strcmp0 (string_member (ours->pdata[j], "regionName"), region) == 0)
            {
              g_hash_table_insert (replay->ids, g_strdup (id), g_strdup (sim_id));
              g_hash_table_add (replay->sim_ids, g_strdup (sim_id));
              break;
            }
        }
    }
}

/* The recorded path on the simulator: its project, its endpoint ids. */
static char *
map_path (Replay     *replay,
          const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *mapped = NULL;

      if (g_strcmp0 (parts[i], replay->recording->group_id) == 0)
        mapped = replay->group_id;
      else if (i > 0 && g_strcmp0 (parts[i - 1], "privateEndpoints") == 0)
        mapped = g_hash_table_lookup (replay->ids, parts[i]);
      if (mapped != NULL)
        {
          g_free (parts[i]);
          parts[i] = g_strdup (mapped);
        }
    }
  return g_strjoinv ("/", parts);
}

static const char *
sim_error_code (SimResponse *response)
{
  const char *header;

  if (response->headers == NULL)
    return NULL;
  header = soup_message_headers_get_one (response->headers, "X-Error-Code");
  return header != NULL ? header : kl_live_error_code (response->json);
}

static char *
signature (guint       status,
           const char *error_code,
           JsonNode   *json)
{
  g_autofree char *states = kl_live_state_text (json);

  return g_strdup_printf ("%u %s %s", status, error_code ? error_code : "-", states);
}

/* Azure's side of what the recording shows: an endpoint ACTIVE there and waiting for
 * approval here is approved (someone did it in Azure during the recording). */
static void
approve_as_recorded (Replay   *replay,
                     JsonNode *recorded,
                     JsonNode *replayed)
{
  g_autoptr(GPtrArray) theirs = g_ptr_array_new ();
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();

  collect_endpoints (recorded, theirs);
  collect_endpoints (replayed, ours);
  for (guint i = 0; i < theirs->len; i++)
    {
      if (g_strcmp0 (string_member (theirs->pdata[i], "status"), "ACTIVE") != 0)
        continue;
      for (guint j = 0; j < ours->len; j++)
        if (g_strcmp0 (string_member (ours->pdata[j], "status"), "PENDING_ACCEPTANCE") == 0
            && g_strcmp0 (string_member (ours->pdata[j], "regionName"),
                          string_member (theirs->pdata[i], "regionName")) == 0)
          {
            g_autoptr(GError) error = NULL;

            /* Refused when it is approved already: that is fine. */
            kl_sim_approve_endpoint (replay->fixture->sim, replay->group_id,
                                     string_member (ours->pdata[j], "id"), &error);
          }
    }
}

static void
compare (Replay         *replay,
         KlLiveExchange *exchange,
         JsonNode       *recorded,
         SimResponse    *response)
{
  const char *recorded_code = exchange->error_code ? exchange->error_code
                                                   : kl_live_error_code (recorded);
  const char *sim_code = sim_error_code (response);
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  guint i = 0;
  guint j = 0;

  if (response->error != NULL)
    {
      differ (replay, exchange->method, exchange->path,
              g_strdup_printf ("the simulator did not answer (%s)", response->error->message));
      return;
    }
  if (exchange->status != response->status)
    differ (replay, exchange->method, exchange->path,
            g_strdup_printf ("status %u recorded, %u from the simulator", exchange->status,
                             response->status));
  if (g_strcmp0 (recorded_code, sim_code) != 0)
    differ (replay, exchange->method, exchange->path,
            g_strdup_printf ("error code %s recorded, %s from the simulator",
                             recorded_code ? recorded_code : "(none)",
                             sim_code ? sim_code : "(none)"));

  /* The member paths, both sorted: a merge. */
  theirs = kl_live_field_paths (recorded);
  ours = kl_live_field_paths (response->json);
  while (i < theirs->len || j < ours->len)
    {
      int order = i == theirs->len ? 1 : j == ours->len ? -1
                  : strcmp (theirs->pdata[i], ours->pdata[j]);

      if (order < 0)
        differ (replay, exchange->method, exchange->path,
                g_strdup_printf ("%s only in the recording", (const char *) theirs->pdata[i++]));
      else if (order > 0)
        differ (replay, exchange->method, exchange->path,
                g_strdup_printf ("%s only from the simulator", (const char *) ours->pdata[j++]));
      else
        i++, j++;
    }
}

static gboolean
skipped (KlLiveExchange *exchange)
{
  /* Token requests and revocations are the client's own business; a 401 is the first half
   * of every call with an API key (a Digest challenge, stale nonce or none yet) or a token
   * the client renews, and the replay signs its requests its own way; a request without an
   * answer has nothing to compare. */
  return !g_str_has_prefix (exchange->path, "/api/atlas/v2/")
         || exchange->status == SOUP_STATUS_UNAUTHORIZED
         || exchange->status == 0;
}

static void
replay_exchange (Replay         *replay,
                 KlLiveExchange *exchange)
{
  g_autofree char *path = map_path (replay, exchange->path);
  g_autofree char *target = NULL;
  g_autoptr(JsonNode) recorded = NULL;
  g_autoptr(SimResponse) response = NULL;
  const char *version = version_for (exchange->method, exchange->path);

  if (exchange->response_body != NULL)
    recorded = json_from_string (exchange->response_body, NULL);
  target = exchange->query != NULL ? g_strconcat (path, "?", exchange->query, NULL)
                                   : g_strdup (path);

  if (!g_str_equal (exchange->method, "GET"))
    {
      replay->n_writes++;
      response = sim_send (replay->fixture, exchange->method, target, version,
                           exchange->request_body);
      learn_ids (replay, recorded, response->json);
      compare (replay, exchange, recorded, response);
      return;
    }

  replay->n_reads++;
  for (double waited = 0; ; waited += CATCH_UP_STEP_SECONDS)
    {
      g_autofree char *wanted = NULL;
      g_autofree char *got = NULL;

      g_clear_pointer (&response, sim_response_free);
      response = sim_get (replay->fixture, target, version);
      learn_ids (replay, recorded, response->json);
      wanted = signature (exchange->status, exchange->error_code ? exchange->error_code
                                                                 : kl_live_error_code (recorded),
                          recorded);
      got = signature (response->status, sim_error_code (response), response->json);
      if (g_str_equal (wanted, got) || waited >= CATCH_UP_MAX_SECONDS)
        break;
      /* The recorded path may name an endpoint only known now. */
      g_free (path);
      g_free (target);
      path = map_path (replay, exchange->path);
      target = exchange->query != NULL ? g_strconcat (path, "?", exchange->query, NULL)
                                       : g_strdup (path);
      approve_as_recorded (replay, recorded, response->json);
      kl_sim_advance (replay->fixture->sim, CATCH_UP_STEP_SECONDS);
      replay->advanced += CATCH_UP_STEP_SECONDS;
    }
  compare (replay, exchange, recorded, response);
}

static void
replay_run (Replay          *replay,
            SimFixture      *fixture,
            KlLiveRecording *recording)
{
  g_autofree char *group_path = NULL;
  g_autoptr(SimResponse) group = NULL;

  replay->fixture = fixture;
  replay->recording = recording;
  replay->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  replay->sim_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  replay->told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  replay->differences = g_ptr_array_new_with_free_func (g_free);

  /* The recorded project, when the simulator has it (a recording made against it); else a
   * new, empty one. */
  group_path = g_strdup_printf ("/api/atlas/v2/groups/%s", recording->group_id);
  group = sim_get (fixture, group_path, V20230101);
  if (group->status == 200)
    replay->group_id = g_strdup (recording->group_id);
  else
    {
      g_autoptr(GError) error = NULL;

      replay->group_id = kl_sim_add_group (fixture->sim, "Replay", &error);
      g_assert_no_error (error);
      g_test_message ("the recorded project is not one of the simulator's: replayed on a new, "
                      "empty project");
    }

  for (guint i = 0; i < recording->exchanges->len; i++)
    {
      KlLiveExchange *exchange = g_ptr_array_index (recording->exchanges, i);

      if (skipped (exchange))
        replay->n_skipped++;
      else
        replay_exchange (replay, exchange);
    }
}

static char *
recording_path (void)
{
  const char *path = g_getenv ("KEYLINK_LIVE_REPLAY");

  if (path != NULL && path[0] != '\0')
    return g_strdup (path);
  return g_build_filename (KL_LIVE_DATA_DIR, "sim-recording.jsonl", NULL);
}

static void
test_replay_recording (SimFixture    *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = recording_path ();
  g_autoptr(KlLiveRecording) recording = NULL;
  g_autoptr(GError) error = NULL;
  Replay replay = { NULL };
  gboolean strict;

  recording = kl_live_recording_load (path, &error);
  g_assert_no_error (error);
  strict = g_strcmp0 (recording->target, "simulator") == 0;
  g_test_message ("%s: %u exchanges recorded against %s", path, recording->exchanges->len,
                  recording->target);

  replay_run (&replay, fixture, recording);
  g_test_message ("replayed %u reads and %u writes (%u skipped: tokens, 401 challenges); "
                  "the simulator's clock moved %.0f s to catch up; %u differences",
                  replay.n_reads, replay.n_writes, replay.n_skipped, replay.advanced,
                  replay.differences->len);
  for (guint i = 0; i < replay.differences->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (replay.differences, i));

  g_assert_cmpuint (replay.n_reads, >, 0);
  if (strict && replay.differences->len > 0)
    {
      g_test_message ("this recording was made against the simulator: it must replay without "
                      "a difference");
      g_test_fail ();
    }
  replay_clear (&replay);
}

/* The comparison itself: a recording that differs from the simulator on purpose. */
static void
test_replay_finds_differences (SimFixture    *fixture,
                               gconstpointer  data)
{
  g_autoptr(KlLiveRecording) recording = g_new0 (KlLiveRecording, 1);
  KlLiveExchange *exchange;
  Replay replay = { NULL };
  gboolean extra = FALSE;
  gboolean missing = FALSE;
  gboolean status = FALSE;

  recording->target = g_strdup ("atlas");
  recording->group_id = g_strdup ("65f0000000000000000000ff");  /* not the simulator's */
  recording->exchanges = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_live_exchange_free);

  /* The encryption at rest, with a member the simulator does not send, one missing. */
  exchange = g_new0 (KlLiveExchange, 1);
  exchange->method = g_strdup ("GET");
  exchange->path = g_strdup ("/api/atlas/v2/groups/65f0000000000000000000ff/encryptionAtRest");
  exchange->auth = g_strdup ("digest");
  exchange->status = 200;
  exchange->response_body = g_strdup ("{\"azureKeyVault\":{\"enabled\":false,\"valid\":false,"
                                      "\"newInAtlas\":1},\"awsKms\":{\"enabled\":false,"
                                      "\"valid\":false}}");
  g_ptr_array_add (recording->exchanges, exchange);
  /* A cluster Atlas had and the new project has not. */
  exchange = g_new0 (KlLiveExchange, 1);
  exchange->method = g_strdup ("GET");
  exchange->path = g_strdup ("/api/atlas/v2/groups/65f0000000000000000000ff/clusters/prod");
  exchange->auth = g_strdup ("digest");
  exchange->status = 200;
  exchange->response_body = g_strdup ("{\"name\":\"prod\",\"stateName\":\"IDLE\"}");
  g_ptr_array_add (recording->exchanges, exchange);
  /* A Digest challenge: skipped. */
  exchange = g_new0 (KlLiveExchange, 1);
  exchange->method = g_strdup ("GET");
  exchange->path = g_strdup ("/api/atlas/v2/groups");
  exchange->status = 401;
  g_ptr_array_add (recording->exchanges, exchange);

  replay_run (&replay, fixture, recording);
  for (guint i = 0; i < replay.differences->len; i++)
    {
      const char *line = g_ptr_array_index (replay.differences, i);

      g_test_message ("%s", line);
      extra |= strstr (line, "$.azureKeyVault.newInAtlas only in the recording") != NULL;
      missing |= strstr (line, "$.googleCloudKms only from the simulator") != NULL;
      status |= strstr (line, "clusters/prod: status 200 recorded, 404 from the simulator") != NULL;
    }
  g_assert_true (extra);
  g_assert_true (missing);
  g_assert_true (status);
  g_assert_cmpuint (replay.n_reads, ==, 2);
  g_assert_cmpuint (replay.n_skipped, ==, 1);
  /* The clusters/prod read never caught up (always 404): the clock moved its bound, once. */
  g_assert_cmpfloat (replay.advanced, ==, CATCH_UP_MAX_SECONDS);
  replay_clear (&replay);
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);

  g_test_add ("/live/replay/recording", SimFixture, NULL, sim_fixture_setup,
              test_replay_recording, sim_fixture_teardown);
  g_test_add ("/live/replay/finds-differences", SimFixture, NULL, sim_fixture_setup,
              test_replay_finds_differences, sim_fixture_teardown);

  return g_test_run ();
}
