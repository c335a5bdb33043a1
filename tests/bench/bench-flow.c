/* bench-flow.c — the setup flow of HACKING.md, The flow, driven through the core objects the
 * pages use (KlAtlasClient, KlSession, KlSetupRunner, KlEndpointWatch, KlClusterWatch) against
 * the simulator, for tests/bench/bench.py. Prints one JSON object on stdout: the simulator's
 * request log, the approvals, the flow's start and end and the main loop's lateness, all in
 * µs since the simulator started. bench.py turns it into figures.
 *
 *   bench-flow flow    [--time-scale S] [--latency MS]
 *       sign in (list projects), choose the READY project (session refresh), enable the key
 *       (PATCH encryptionAtRest built from the session's state, valid checked on the answer),
 *       require private networking, create the endpoints of the project's two cluster regions
 *       plus EUROPE_NORTH in parallel (KlSetupRunner), approve each on the simulator's Azure
 *       side as soon as the watch shows it PENDING_ACCEPTANCE, wait until all are ACTIVE,
 *       enable CMK on both clusters in parallel (KlSetupRunner) until IDLE, refresh for Done.
 *   bench-flow polling [--time-scale S] [--window S]
 *       three PENDING_ACCEPTANCE endpoints that are never approved, followed by a
 *       KlEndpointWatch at the default schedule scaled by S, for a simulated window.
 *   bench-flow big-list
 *       the main loop while a 500-project organization is listed (one page) five times.
 *
 * The watches' intervals are the defaults (2 s base, 60 s cap) times the time scale, so that
 * they keep the same proportion to the simulated transitions as against the real Atlas.
 *
 * The simulator runs on a thread of its own with its own main context, as a remote Atlas
 * would: the main loop measured is the client's alone. A G_PRIORITY_HIGH 1 ms timer measures
 * its own lateness there during the whole flow.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "kl-atlas-client.h"
#include "kl-cluster-watch.h"
#include "kl-endpoint-watch.h"
#include "kl-plan.h"
#include "kl-session.h"
#include "kl-setup-runner.h"
#include "kl-sim.h"

#include "bench-common.h"

#define EXTRA_REGION     "EUROPE_NORTH"
#define FLOW_DEADLINE_S  600
#define IDLE_REFERENCE_MS 2000

/* ------------------------------------------------------------------------------------------ */
/* The simulator's side                                                                        */


typedef struct
{
  SimThread      *st;
  ApprovalRecord *record;
} Approval;

/* On the simulator's thread: what the admin does in the Azure portal. */
static gboolean
approve_cb (gpointer data)
{
  Approval *approval = data;
  g_autoptr(GError) error = NULL;

  approval->record->at_us = sim_now (approval->st);
  if (!kl_sim_approve_endpoint (approval->st->sim, approval->record->group_id,
                                approval->record->endpoint_id, &error))
    g_error ("Approving %s failed: %s", approval->record->endpoint_id, error->message);

  g_mutex_lock (&approval->st->lock);
  g_ptr_array_add (approval->st->approvals, approval->record);
  g_mutex_unlock (&approval->st->lock);
  g_free (approval);

  return G_SOURCE_REMOVE;
}

/* Asynchronous: the client's main loop does not wait for the Azure side. */
static void
sim_approve (SimThread  *st,
             const char *group_id,
             const char *endpoint_id,
             const char *region)
{
  Approval *approval = g_new0 (Approval, 1);

  approval->st = st;
  approval->record = g_new0 (ApprovalRecord, 1);
  approval->record->group_id = g_strdup (group_id);
  approval->record->endpoint_id = g_strdup (endpoint_id);
  approval->record->region = g_strdup (region);
  g_main_context_invoke (st->context, approve_cb, approval);
}

static gboolean
clear_requests_cb (gpointer data)
{
  SimThread *st = data;

  kl_sim_clear_requests (st->sim);
  return G_SOURCE_REMOVE;
}

static gboolean
advance_initiating_cb (gpointer data)
{
  SimThread *st = data;

  kl_sim_advance (st->sim, KL_SIM_INITIATING_SECONDS + 1);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------------ */
/* The flow                                                                                    */

typedef struct
{
  SimThread       *st;
  GMainLoop       *loop;
  double           time_scale;
  guint            base_ms;
  guint            max_ms;
  Stall            idle_stall;
  Stall            stall;

  KlAtlasClient   *client;
  KlSession       *session;
  KlSetupRunner   *runner;
  KlEndpointWatch *endpoint_watch;
  KlClusterWatch  *cluster_watch;
  GStrv            regions;
  GHashTable      *approved;   /* endpoint ids */
  gboolean         endpoints_created;
  gboolean         endpoints_active;

  gint64           start_us;
  gint64           end_us;
  GPtrArray       *phases;     /* "name", start, end as strings: kept simple */
  gint64           phase_start;
  char            *stage;
} Flow;

static void
fail (const char   *what,
      const GError *error)
{
  g_printerr ("bench-flow: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static void
phase_end (Flow       *flow,
           const char *name)
{
  gint64 now = sim_now (flow->st);

  g_ptr_array_add (flow->phases, g_strdup_printf ("%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                                                  name, flow->phase_start, now));
  flow->phase_start = now;
}

static void flow_clusters (Flow *flow);

static void
final_refresh_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Flow *flow = data;
  g_autoptr(GError) error = NULL;
  KlProjectStage stage;

  if (!kl_session_refresh_finish (KL_SESSION (source), result, &error))
    fail ("final refresh", error);

  flow->end_us = sim_now (flow->st);
  phase_end (flow, "done");
  stage = kl_plan_get_stage (kl_session_get_plan (flow->session));
  flow->stage = g_strdup (stage == KL_PROJECT_STAGE_DONE ? "DONE" : "NOT DONE");
  g_main_loop_quit (flow->loop);
}

static void
clusters_enabled_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  Flow *flow = data;
  g_autoptr(GError) error = NULL;

  if (!kl_setup_runner_enable_clusters_finish (KL_SETUP_RUNNER (source), result, &error))
    fail ("enabling the clusters", error);

  phase_end (flow, "clusters");
  kl_session_refresh_async (flow->session, NULL, final_refresh_cb, flow);
}

static void
flow_clusters (Flow *flow)
{
  g_autoptr(GPtrArray) clusters = NULL;

  clusters = kl_plan_dup_clusters_to_enable (kl_session_get_plan (flow->session));
  if (clusters->len != 2)
    g_error ("Expected 2 clusters to enable, found %u", clusters->len);

  flow->cluster_watch = kl_cluster_watch_new (flow->client,
                                              kl_session_get_group_id (flow->session));
  kl_watch_set_intervals (KL_WATCH (flow->cluster_watch), flow->base_ms, flow->max_ms);
  kl_setup_runner_set_cluster_watch (flow->runner, flow->cluster_watch);
  kl_setup_runner_enable_clusters_async (flow->runner, clusters, NULL, clusters_enabled_cb, flow);
}

static gboolean
all_regions_active (Flow *flow)
{
  for (guint i = 0; flow->regions[i] != NULL; i++)
    {
      KlPrivateEndpoint *endpoint = kl_endpoint_watch_lookup_region (flow->endpoint_watch,
                                                                     flow->regions[i]);

      if (endpoint == NULL ||
          kl_private_endpoint_get_status (endpoint) != KL_ENDPOINT_STATUS_ACTIVE)
        return FALSE;
    }

  return TRUE;
}

static void
maybe_approve (Flow              *flow,
               KlPrivateEndpoint *endpoint)
{
  const char *id = kl_private_endpoint_get_id (endpoint);

  if (kl_private_endpoint_get_status (endpoint) != KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE ||
      g_hash_table_contains (flow->approved, id))
    return;

  g_hash_table_add (flow->approved, g_strdup (id));
  sim_approve (flow->st, kl_session_get_group_id (flow->session), id,
               kl_private_endpoint_get_region_name (endpoint));
}

static void
endpoint_status_changed_cb (KlEndpointWatch   *watch,
                            KlPrivateEndpoint *endpoint,
                            KlEndpointStatus   old_status,
                            Flow              *flow)
{
  maybe_approve (flow, endpoint);
}

static void
endpoint_added_cb (KlEndpointWatch   *watch,
                   KlPrivateEndpoint *endpoint,
                   Flow              *flow)
{
  maybe_approve (flow, endpoint);
}

/* What the Region endpoints page does: Next once every endpoint is ACTIVE. */
static void
endpoint_watch_updated_cb (KlWatch *watch,
                           Flow    *flow)
{
  if (!flow->endpoints_created || flow->endpoints_active || !all_regions_active (flow))
    return;

  flow->endpoints_active = TRUE;
  phase_end (flow, "endpoints-active");
  flow_clusters (flow);
}

static void
endpoint_watch_error_cb (KlWatch *watch,
                         GError  *error,
                         Flow    *flow)
{
  g_printerr ("bench-flow: an endpoint poll failed: %s\n", error->message);
}

static void
endpoints_created_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  Flow *flow = data;
  g_autoptr(GError) error = NULL;

  if (!kl_setup_runner_create_endpoints_finish (KL_SETUP_RUNNER (source), result, &error))
    fail ("creating the endpoints", error);

  phase_end (flow, "endpoints-created");
  flow->endpoints_created = TRUE;
  /* The runner poked the page's watch after its POSTs; this only makes sure it runs. */
  kl_endpoint_watch_start (flow->endpoint_watch);
}

static void
flow_endpoints (Flow *flow)
{
  g_auto(GStrv) cluster_regions = kl_plan_dup_cluster_regions (kl_session_get_plan (flow->session));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *group_id = kl_session_get_group_id (flow->session);

  if (g_strv_length (cluster_regions) != 2)
    g_error ("Expected the READY project's clusters in 2 regions");
  g_strv_builder_addv (builder, (const char **) cluster_regions);
  g_strv_builder_add (builder, EXTRA_REGION);
  flow->regions = g_strv_builder_end (builder);

  flow->runner = kl_setup_runner_new (flow->client, group_id);
  flow->endpoint_watch = kl_endpoint_watch_new (flow->client, group_id);
  kl_watch_set_intervals (KL_WATCH (flow->endpoint_watch), flow->base_ms, flow->max_ms);
  g_signal_connect (flow->endpoint_watch, "status-changed",
                    G_CALLBACK (endpoint_status_changed_cb), flow);
  g_signal_connect (flow->endpoint_watch, "endpoint-added", G_CALLBACK (endpoint_added_cb), flow);
  g_signal_connect (flow->endpoint_watch, "updated", G_CALLBACK (endpoint_watch_updated_cb), flow);
  g_signal_connect (flow->endpoint_watch, "error", G_CALLBACK (endpoint_watch_error_cb), flow);
  kl_setup_runner_set_endpoint_watch (flow->runner, flow->endpoint_watch);

  kl_setup_runner_create_endpoints_async (flow->runner, (const char * const *) flow->regions,
                                          NULL, endpoints_created_cb, flow);
}

static void
private_networking_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  Flow *flow = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;

  ear = kl_atlas_client_patch_encryption_at_rest_finish (KL_ATLAS_CLIENT (source), result, &error);
  if (ear == NULL)
    fail ("requiring private networking", error);
  if (!kl_azure_key_vault_get_require_private_networking (
        kl_encryption_at_rest_get_azure_key_vault (ear)))
    g_error ("Private networking is not required after the PATCH");

  phase_end (flow, "private-networking");
  flow_endpoints (flow);
}

static void
key_enabled_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Flow *flow = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GBytes) body = NULL;
  KlAzureKeyVault *akv;

  ear = kl_atlas_client_patch_encryption_at_rest_finish (KL_ATLAS_CLIENT (source), result, &error);
  if (ear == NULL)
    fail ("enabling the key", error);

  /* As the Review page does: the answer says whether Atlas can use the key. */
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  if (!kl_azure_key_vault_get_enabled (akv) || !kl_azure_key_vault_get_valid (akv))
    g_error ("The key is not enabled and valid after the PATCH");

  phase_end (flow, "key");
  body = kl_encryption_at_rest_build_private_networking (TRUE);
  kl_atlas_client_patch_encryption_at_rest_async (flow->client,
                                                  kl_session_get_group_id (flow->session),
                                                  body, NULL, private_networking_cb, flow);
}

static KlAzureKeyVault *
wanted_key_vault (void)
{
  KlAzureKeyVault *wanted = kl_azure_key_vault_new ();

  /* Made-up values the simulator accepts (none is a real secret). */
  kl_azure_key_vault_set_azure_environment (wanted, "AZURE");
  kl_azure_key_vault_set_client_id (wanted, "6f1d9a52-3c1e-4b8a-9d2e-0a7c5e3f1b24");
  kl_azure_key_vault_set_tenant_id (wanted, "0b9c2a11-5d3e-4f6a-8b7c-1d2e3f4a5b6c");
  kl_azure_key_vault_set_secret (wanted, "bench-only-not-a-secret");
  kl_azure_key_vault_set_subscription_id (wanted, "a1b2c3d4-e5f6-4711-8899-aabbccddeeff");
  kl_azure_key_vault_set_resource_group_name (wanted, "rg-keys");
  kl_azure_key_vault_set_key_vault_name (wanted, "contoso-keys");
  kl_azure_key_vault_set_key_identifier (wanted, "https://contoso-keys.vault.azure.net/keys/"
                                                 "atlas/0123456789abcdef0123456789abcdef");
  kl_azure_key_vault_set_enabled (wanted, TRUE);

  return wanted;
}

static void
project_refreshed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  Flow *flow = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAzureKeyVault) wanted = wanted_key_vault ();
  g_autoptr(GBytes) body = NULL;
  KlEncryptionAtRest *current;

  if (!kl_session_refresh_finish (KL_SESSION (source), result, &error))
    fail ("reading the project", error);
  if (kl_plan_get_stage (kl_session_get_plan (flow->session)) != KL_PROJECT_STAGE_NOT_CONFIGURED)
    g_error ("The READY project is not at its first stage");

  phase_end (flow, "project");
  current = kl_session_get_encryption_at_rest (flow->session);
  body = kl_encryption_at_rest_build_patch (kl_encryption_at_rest_get_azure_key_vault (current),
                                            wanted, &error);
  if (body == NULL)
    fail ("building the PATCH", error);
  kl_atlas_client_patch_encryption_at_rest_async (flow->client,
                                                  kl_session_get_group_id (flow->session),
                                                  body, NULL, key_enabled_cb, flow);
}

static void
projects_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  Flow *flow = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  KlProject *ready = NULL;

  projects = kl_atlas_client_list_projects_finish (KL_ATLAS_CLIENT (source), result, &error);
  if (projects == NULL)
    fail ("signing in", error);

  for (guint i = 0; i < projects->len && ready == NULL; i++)
    if (g_strcmp0 (kl_project_get_id (g_ptr_array_index (projects, i)), KL_SIM_GROUP_READY) == 0)
      ready = g_ptr_array_index (projects, i);
  if (ready == NULL)
    g_error ("The READY project is not listed");

  phase_end (flow, "sign-in");
  flow->session = kl_session_new ();
  kl_session_set_client (flow->session, flow->client);
  kl_session_set_project (flow->session, ready);
  kl_session_refresh_async (flow->session, NULL, project_refreshed_cb, flow);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_cb (gpointer data)
{
  g_printerr ("bench-flow: the flow did not finish within %d s\n", FLOW_DEADLINE_S);
  exit (1);
  return G_SOURCE_REMOVE;
}

/* A simulated duration in real µs. */
static gint64
scaled_us (guint  seconds,
           double time_scale)
{
  return (gint64) (seconds * G_USEC_PER_SEC * time_scale);
}

static int
run_flow (double time_scale,
          guint  latency_ms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  Flow flow = { 0 };
  guint deadline_id;

  flow.time_scale = time_scale;
  flow.base_ms = MAX (1, (guint) (KL_WATCH_DEFAULT_BASE_INTERVAL * time_scale + 0.5));
  flow.max_ms = MAX (flow.base_ms, (guint) (KL_WATCH_DEFAULT_MAX_INTERVAL * time_scale + 0.5));
  flow.loop = g_main_loop_new (NULL, FALSE);
  flow.approved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  flow.phases = g_ptr_array_new_with_free_func (g_free);
  flow.st = sim_thread_new (time_scale, latency_ms);

  flow.client = kl_atlas_client_new (flow.st->base_url, KL_AUTH_SERVICE_ACCOUNT, SA_CLIENT_ID,
                                     SA_CLIENT_SECRET, &error);
  if (flow.client == NULL)
    fail ("creating the client", error);

  /* The reference: the same timer on this main loop with nothing else to do. */
  stall_start (&flow.idle_stall);
  g_timeout_add (IDLE_REFERENCE_MS, quit_cb, flow.loop);
  g_main_loop_run (flow.loop);
  g_clear_handle_id (&flow.idle_stall.source_id, g_source_remove);

  stall_start (&flow.stall);
  deadline_id = g_timeout_add_seconds (FLOW_DEADLINE_S, deadline_cb, NULL);

  /* Sign-in: the first call proves the credentials (and gets the token). */
  flow.start_us = flow.phase_start = sim_now (flow.st);
  kl_atlas_client_list_projects_async (flow.client, NULL, projects_listed_cb, &flow);
  g_main_loop_run (flow.loop);
  g_source_remove (deadline_id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, "flow");
  json_builder_set_member_name (builder, "timeScale");
  json_builder_add_double_value (builder, time_scale);
  json_builder_set_member_name (builder, "latencyMs");
  json_builder_add_int_value (builder, latency_ms);
  json_builder_set_member_name (builder, "baseIntervalMs");
  json_builder_add_int_value (builder, flow.base_ms);
  json_builder_set_member_name (builder, "maxIntervalMs");
  json_builder_add_int_value (builder, flow.max_ms);
  json_builder_set_member_name (builder, "initiatingUs");
  json_builder_add_int_value (builder, scaled_us (KL_SIM_INITIATING_SECONDS, time_scale));
  json_builder_set_member_name (builder, "activationUs");
  json_builder_add_int_value (builder, scaled_us (KL_SIM_ACTIVATION_SECONDS, time_scale));
  json_builder_set_member_name (builder, "clusterUpdateUs");
  json_builder_add_int_value (builder, scaled_us (KL_SIM_CLUSTER_UPDATE_SECONDS, time_scale));
  /* A PATCHed cluster answers IDLE this long before UPDATING (the simulator's default). */
  json_builder_set_member_name (builder, "clusterPropagationUs");
  json_builder_add_int_value (builder, scaled_us (KL_SIM_CLUSTER_PROPAGATION_SECONDS, time_scale));
  json_builder_set_member_name (builder, "flowStartUs");
  json_builder_add_int_value (builder, flow.start_us);
  json_builder_set_member_name (builder, "flowEndUs");
  json_builder_add_int_value (builder, flow.end_us);
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, flow.stage);
  json_builder_set_member_name (builder, "groupId");
  json_builder_add_string_value (builder, KL_SIM_GROUP_READY);
  stall_stop (&flow.idle_stall, "idleLateness", flow.st->started_at, builder);
  stall_stop (&flow.stall, "lateness", flow.st->started_at, builder);

  json_builder_set_member_name (builder, "phases");
  json_builder_begin_array (builder);
  for (guint i = 0; i < flow.phases->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (flow.phases, i));
  json_builder_end_array (builder);

  g_mutex_lock (&flow.st->lock);
  json_builder_set_member_name (builder, "approvals");
  json_builder_begin_array (builder);
  for (guint i = 0; i < flow.st->approvals->len; i++)
    {
      ApprovalRecord *record = g_ptr_array_index (flow.st->approvals, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "endpointId");
      json_builder_add_string_value (builder, record->endpoint_id);
      json_builder_set_member_name (builder, "region");
      json_builder_add_string_value (builder, record->region);
      json_builder_set_member_name (builder, "atUs");
      json_builder_add_int_value (builder, record->at_us);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  g_mutex_unlock (&flow.st->lock);

  add_requests (builder, flow.st);
  json_builder_end_object (builder);
  print_builder (builder);

  g_clear_object (&flow.runner);
  g_clear_object (&flow.endpoint_watch);
  g_clear_object (&flow.cluster_watch);
  g_clear_object (&flow.session);
  g_clear_object (&flow.client);
  g_clear_pointer (&flow.regions, g_strfreev);
  g_hash_table_unref (flow.approved);
  g_ptr_array_unref (flow.phases);
  g_free (flow.stage);
  /* Let the cancelled requests of the watches finish before the simulator goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sim_thread_free (flow.st);
  g_main_loop_unref (flow.loop);

  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Polling cost                                                                                */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Sync;

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Sync *sync = data;

  sync->result = g_object_ref (result);
  g_main_loop_quit (sync->loop);
}

static GAsyncResult *
sync_wait (Sync *sync)
{
  g_main_loop_run (sync->loop);
  return g_steal_pointer (&sync->result);
}

static int
run_polling (double time_scale,
             double window_s)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAtlasClient) client = NULL;
  g_autoptr(KlEndpointWatch) watch = NULL;
  g_autoptr(KlAzureKeyVault) wanted = wanted_key_vault ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  static const char *const regions[] = { "US_EAST_2", "EUROPE_WEST", EXTRA_REGION };
  /* The latency scaled like everything else: it is part of each poll's cycle. */
  guint latency_ms = (guint) (150 * time_scale + 0.5);
  guint base_ms = MAX (1, (guint) (KL_WATCH_DEFAULT_BASE_INTERVAL * time_scale + 0.5));
  guint max_ms = MAX (base_ms, (guint) (KL_WATCH_DEFAULT_MAX_INTERVAL * time_scale + 0.5));
  Sync sync = { loop, NULL };
  SimThread *st = sim_thread_new (time_scale, latency_ms);
  gint64 watch_start;

  client = kl_atlas_client_new (st->base_url, KL_AUTH_SERVICE_ACCOUNT, SA_CLIENT_ID,
                                SA_CLIENT_SECRET, &error);
  if (client == NULL)
    fail ("creating the client", error);

  /* Set-up, not measured: the key, private networking, three endpoints PENDING_ACCEPTANCE. */
  body = kl_encryption_at_rest_build_patch (NULL, wanted, &error);
  kl_atlas_client_patch_encryption_at_rest_async (client, KL_SIM_GROUP_READY, body, NULL,
                                                  sync_cb, &sync);
  {
    g_autoptr(GAsyncResult) result = sync_wait (&sync);
    g_autoptr(KlEncryptionAtRest) ear = NULL;

    ear = kl_atlas_client_patch_encryption_at_rest_finish (client, result, &error);
    if (ear == NULL)
      fail ("enabling the key", error);
  }
  g_clear_pointer (&body, g_bytes_unref);
  body = kl_encryption_at_rest_build_private_networking (TRUE);
  kl_atlas_client_patch_encryption_at_rest_async (client, KL_SIM_GROUP_READY, body, NULL,
                                                  sync_cb, &sync);
  {
    g_autoptr(GAsyncResult) result = sync_wait (&sync);
    g_autoptr(KlEncryptionAtRest) ear = NULL;

    ear = kl_atlas_client_patch_encryption_at_rest_finish (client, result, &error);
    if (ear == NULL)
      fail ("requiring private networking", error);
  }
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(KlPrivateEndpoint) endpoint = NULL;

      kl_atlas_client_create_private_endpoint_async (client, KL_SIM_GROUP_READY, regions[i],
                                                     NULL, sync_cb, &sync);
      result = sync_wait (&sync);
      endpoint = kl_atlas_client_create_private_endpoint_finish (client, result, &error);
      if (endpoint == NULL)
        fail ("creating an endpoint", error);
    }
  sim_call (st, advance_initiating_cb, st);
  sim_call (st, clear_requests_cb, st);

  /* The measured window: a watch on endpoints that never change. */
  watch = kl_endpoint_watch_new (client, KL_SIM_GROUP_READY);
  kl_watch_set_intervals (KL_WATCH (watch), base_ms, max_ms);
  watch_start = sim_now (st);
  kl_endpoint_watch_start (watch);
  g_timeout_add ((guint) (window_s * 1000 * time_scale), quit_cb, loop);
  g_main_loop_run (loop);
  kl_endpoint_watch_stop (watch);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, "polling");
  json_builder_set_member_name (builder, "timeScale");
  json_builder_add_double_value (builder, time_scale);
  json_builder_set_member_name (builder, "latencyMs");
  json_builder_add_int_value (builder, latency_ms);
  json_builder_set_member_name (builder, "baseIntervalMs");
  json_builder_add_int_value (builder, base_ms);
  json_builder_set_member_name (builder, "maxIntervalMs");
  json_builder_add_int_value (builder, max_ms);
  json_builder_set_member_name (builder, "windowS");
  json_builder_add_double_value (builder, window_s);
  json_builder_set_member_name (builder, "watchStartUs");
  json_builder_add_int_value (builder, watch_start);
  json_builder_set_member_name (builder, "polls");
  json_builder_add_int_value (builder, kl_watch_get_n_polls (KL_WATCH (watch)));
  add_requests (builder, st);
  json_builder_end_object (builder);
  print_builder (builder);

  g_clear_object (&watch);
  g_clear_object (&client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sim_thread_free (st);

  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* A big organization: the main loop while a 500-project list is read and parsed              */

#define BIG_ORG_PROJECTS 500
#define BIG_ORG_RUNS     5

static gboolean
add_groups_cb (gpointer data)
{
  SimThread *st = data;

  /* The seed has 16 projects. */
  for (guint i = 16; i < BIG_ORG_PROJECTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bench-%03u", i);
      g_autofree char *id = NULL;
      g_autoptr(GError) error = NULL;

      if ((id = kl_sim_add_group (st->sim, name, &error)) == NULL)
        g_error ("Adding a project failed: %s", error->message);
    }

  return G_SOURCE_REMOVE;
}

static int
run_big_list (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAtlasClient) client = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Sync sync = { loop, NULL };
  SimThread *st = sim_thread_new (1, 0);
  Stall stall = { 0 };
  guint n_projects = 0;

  client = kl_atlas_client_new (st->base_url, KL_AUTH_SERVICE_ACCOUNT, SA_CLIENT_ID,
                                SA_CLIENT_SECRET, &error);
  if (client == NULL)
    fail ("creating the client", error);
  sim_call (st, add_groups_cb, st);

  stall_start (&stall);
  for (guint run = 0; run < BIG_ORG_RUNS; run++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) projects = NULL;

      kl_atlas_client_list_projects_async (client, NULL, sync_cb, &sync);
      result = sync_wait (&sync);
      projects = kl_atlas_client_list_projects_finish (client, result, &error);
      if (projects == NULL)
        fail ("listing the projects", error);
      n_projects = projects->len;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, "big-list");
  json_builder_set_member_name (builder, "projects");
  json_builder_add_int_value (builder, n_projects);
  json_builder_set_member_name (builder, "runs");
  json_builder_add_int_value (builder, BIG_ORG_RUNS);
  stall_stop (&stall, "lateness", st->started_at, builder);
  add_requests (builder, st);
  json_builder_end_object (builder);
  print_builder (builder);

  g_clear_object (&client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sim_thread_free (st);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  double time_scale = 0.05;
  double window_s = 600;
  int latency_ms = 150;
  GOptionEntry entries[] = {
    { "time-scale", 0, 0, G_OPTION_ARG_DOUBLE, &time_scale,
      "Real seconds per simulated second (default 0.05)", "S" },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency_ms,
      "Latency added to every request, ms (flow; default 150)", "MS" },
    { "window", 0, 0, G_OPTION_ARG_DOUBLE, &window_s,
      "Simulated seconds to watch (polling; default 600)", "S" },
    { NULL }
  };

  /* No desktop proxy settings to read: no proxy lookup at all. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  context = g_option_context_new ("flow|polling|big-list");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 ||
      time_scale <= 0 || latency_ms < 0 || window_s <= 0)
    {
      g_printerr ("usage: bench-flow flow|polling|big-list [--time-scale S] [--latency MS] "
                  "[--window S]\n");
      return 2;
    }

  if (g_strcmp0 (argv[1], "flow") == 0)
    return run_flow (time_scale, (guint) latency_ms);
  if (g_strcmp0 (argv[1], "polling") == 0)
    return run_polling (time_scale, window_s);
  if (g_strcmp0 (argv[1], "big-list") == 0)
    return run_big_list ();

  g_printerr ("bench-flow: unknown mode %s\n", argv[1]);
  return 2;
}
