/* kl-setup-runner.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-atlas-client.h"
#include "kl-cluster-watch.h"
#include "kl-endpoint-watch.h"
#include "kl-step.h"

G_BEGIN_DECLS

/* The parallel operations of the Region endpoints and Clusters pages (HACKING.md, The flow):
 *
 *  - create the missing endpoints of a set of regions: one fresh list first, then, from that
 *    list, one kl_atlas_client_ensure_private_endpoint_listed_async() per region that has none
 *    (one POST each; a list again only after an unclear failure), all started at once (a
 *    region that has an endpoint, in any state, is SKIPPED: never a second one);
 *  - turn customer-managed keys on for chosen clusters: clusters that
 *    kl_cluster_check_cmk_eligible() refuses FAIL at once with its KL_ERROR_INELIGIBLE message
 *    and no request; the others get their PATCH {"encryptionAtRestProvider":"AZURE"} all at
 *    once (a cluster still updating is waited out, then patched) and, once every PATCH is
 *    answered, are followed together until IDLE with provider AZURE;
 *  - retry a FAILED endpoint: delete it (an INITIATING one is waited out first), wait until it
 *    is gone, create it again.
 *
 * Progress: kl_setup_runner_get_steps() is a GListModel of KlStep, one per region or cluster,
 * refilled when an operation starts; each step's "state", "error" and "object" (the endpoint
 * or cluster) change as the work goes on. One operation at a time ("busy").
 *
 * Following uses a KlEndpointWatch / KlClusterWatch: give the page's own with
 * kl_setup_runner_set_endpoint_watch() / _set_cluster_watch() so that each tick stays ONE
 * list request (the runner pokes it once after the creates, and its waits poke it); else the
 * runner makes its own. A paused watch holds the operation until it is resumed.
 *
 * Results: _finish() returns TRUE when every step is DONE or SKIPPED. Otherwise FALSE with the
 * error of the failed step (when several failed: the first one's, its message saying how many
 * more did); each failed step keeps its own error. Cancellation is G_IO_ERROR_CANCELLED; the
 * steps that were not finished go back to PENDING. */

#define KL_TYPE_SETUP_RUNNER (kl_setup_runner_get_type ())

G_DECLARE_FINAL_TYPE (KlSetupRunner, kl_setup_runner, KL, SETUP_RUNNER, GObject)

/* Properties: "client", "group-id" (construct-only), "endpoint-watch", "cluster-watch",
 * "steps" (GListModel of KlStep), "busy". */
KlSetupRunner   *kl_setup_runner_new                    (KlAtlasClient       *client,
                                                         const char          *group_id);

KlAtlasClient   *kl_setup_runner_get_client             (KlSetupRunner       *self);
const char      *kl_setup_runner_get_group_id           (KlSetupRunner       *self);
/* Transfer none. Without a watch set, the runner's own (created on first use). */
KlEndpointWatch *kl_setup_runner_get_endpoint_watch     (KlSetupRunner       *self);
void             kl_setup_runner_set_endpoint_watch     (KlSetupRunner       *self,
                                                         KlEndpointWatch     *watch);
KlClusterWatch  *kl_setup_runner_get_cluster_watch      (KlSetupRunner       *self);
void             kl_setup_runner_set_cluster_watch      (KlSetupRunner       *self,
                                                         KlClusterWatch      *watch);
/* Intervals of the watches the runner makes itself (ms; see kl_watch_set_intervals()). */
void             kl_setup_runner_set_poll_intervals     (KlSetupRunner       *self,
                                                         guint                base_ms,
                                                         guint                max_ms);
GListModel      *kl_setup_runner_get_steps              (KlSetupRunner       *self);
gboolean         kl_setup_runner_get_busy               (KlSetupRunner       *self);

/* Steps: KL_STEP_CREATE_ENDPOINT per region (target: region; object: the endpoint).
 * Completes when every POST is answered (endpoints start INITIATING: follow them with the
 * endpoint watch). */
void             kl_setup_runner_create_endpoints_async (KlSetupRunner       *self,
                                                         const char * const  *regions,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean         kl_setup_runner_create_endpoints_finish (KlSetupRunner      *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

/* @clusters: KlCluster objects as last listed. Steps: KL_STEP_ENABLE_CLUSTER per cluster
 * (target: name; object: the cluster as last seen). Completes when each cluster is IDLE with
 * provider AZURE, or failed. */
void             kl_setup_runner_enable_clusters_async  (KlSetupRunner       *self,
                                                         GPtrArray           *clusters,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean         kl_setup_runner_enable_clusters_finish (KlSetupRunner       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* @endpoint: the endpoint to replace (usually FAILED). One step, KL_STEP_RETRY_ENDPOINT
 * (target: region; detail: the old id; object: the new endpoint). Result: the new endpoint
 * (transfer full), INITIATING. */
void             kl_setup_runner_retry_endpoint_async   (KlSetupRunner       *self,
                                                         KlPrivateEndpoint   *endpoint,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
KlPrivateEndpoint *kl_setup_runner_retry_endpoint_finish (KlSetupRunner      *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

/* Building blocks, also used by KlTeardown. The watch gives the client and project.
 *
 * DELETE one endpoint. Refused with
 * ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING (still INITIATING):
 * not a failure: @step (nullable) goes WAITING until @watch shows it out of INITIATING, then
 * the DELETE is sent again. An endpoint already gone counts as deleted. Completes once the
 * DELETE is accepted (the endpoint is then DELETING): wait on the watch for it to go (the
 * block does not poke it: the waits of several deletions answered together share a poll). */
void             kl_setup_delete_endpoint_async         (KlEndpointWatch     *watch,
                                                         const char          *endpoint_id,
                                                         KlStep              *step,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean         kl_setup_delete_endpoint_finish        (GAsyncResult        *result,
                                                         GError             **error);

/* PATCH one cluster's encryptionAtRestProvider ("AZURE" or "NONE"). Refused because the
 * cluster is still updating (CLUSTER_UPDATE_IN_PROGRESS): @step (nullable) goes WAITING until
 * @watch shows it IDLE, then the PATCH is sent again. Also tells @watch to expect @provider
 * (without poking it: wait on it next). Result: the cluster as Atlas returned it (transfer
 * full). */
void             kl_setup_set_cluster_provider_async    (KlClusterWatch      *watch,
                                                         const char          *cluster_name,
                                                         const char          *provider,
                                                         KlStep              *step,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
KlCluster       *kl_setup_set_cluster_provider_finish   (GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
