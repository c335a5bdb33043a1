/* kl-cluster-watch.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-atlas-client.h"
#include "kl-watch.h"

G_BEGIN_DECLS

/* Follows one project's clusters until they are IDLE: ONE kl_atlas_client_list_clusters_async()
 * per tick (see KlWatch for the scheduling).
 *
 * Pending while a cluster's stateName is not IDLE, or while the update of a cluster given to
 * kl_cluster_watch_expect_update() is not over. Real Atlas can answer IDLE for a while after
 * a cluster PATCH before it reports UPDATING (Terraform waits 30 s before its first poll;
 * HACKING.md, Clusters and the key), with the old provider or already the new one, so the
 * first IDLE after
 * the PATCH proves nothing. An update is over once the cluster was seen in another state than
 * IDLE after the PATCH (its answer counts) and is IDLE with the new provider, or, when the
 * update never showed (it may be over between two polls), once the settle time has passed
 * since the PATCH and two consecutive polls showed it IDLE with the new provider. An
 * expectation is dropped once met, or when its cluster leaves the list. A 409
 * CLUSTER_UPDATE_IN_PROGRESS is not relied on (it has no trace in Atlas's catalogue).
 *
 * The model holds KlCluster objects; a cluster whose state, provider, paused flag or tier
 * changed is replaced at its position.
 *
 * Signals, emitted after the model is up to date:
 *   cluster-added    (KlCluster *cluster)
 *   cluster-removed  (KlCluster *cluster)
 *   provider-changed (KlCluster *cluster, const char *old_provider)  encryptionAtRestProvider
 *   state-changed    (KlCluster *cluster, const char *old_state)     stateName ("" if absent)
 * and, from KlWatch, "updated" and "error" (GError *). */

#define KL_TYPE_CLUSTER_WATCH (kl_cluster_watch_get_type ())

G_DECLARE_FINAL_TYPE (KlClusterWatch, kl_cluster_watch, KL, CLUSTER_WATCH, KlWatch)

/* Properties: "client", "group-id" (construct-only); from KlWatch: "running", "paused",
 * "base-interval", "max-interval" (ms), "model". */
KlClusterWatch *kl_cluster_watch_new                (KlAtlasClient  *client,
                                                     const char     *group_id);

KlAtlasClient  *kl_cluster_watch_get_client         (KlClusterWatch *self);
const char     *kl_cluster_watch_get_group_id       (KlClusterWatch *self);

/* The settle time is this many base intervals unless set (2 s × 15 = 30 s, Terraform's wait). */
#define KL_CLUSTER_WATCH_SETTLE_INTERVALS 15

/* @cluster_name was PATCHed to encryptionAtRestProvider @provider (now): keep following until
 * its update is over (above). @answer (nullable): the PATCH's answer; UPDATING there counts as
 * seen. */
void            kl_cluster_watch_expect_update      (KlClusterWatch *self,
                                                     const char     *cluster_name,
                                                     const char     *provider,
                                                     KlCluster      *answer);
/* The same with no answer. */
void            kl_cluster_watch_expect_provider    (KlClusterWatch *self,
                                                     const char     *cluster_name,
                                                     const char     *provider);
/* FALSE while an update of @cluster_name is expected and not over (see above). */
gboolean        kl_cluster_watch_is_updated         (KlClusterWatch *self,
                                                     const char     *cluster_name);
gboolean        kl_cluster_watch_has_pending_updates (KlClusterWatch *self);
/* Settle time in ms (0: KL_CLUSTER_WATCH_SETTLE_INTERVALS times the base interval, so it
 * scales with the intervals); the getter gives the one in force. */
void            kl_cluster_watch_set_settle_time    (KlClusterWatch *self,
                                                     guint           settle_ms);
guint           kl_cluster_watch_get_settle_time    (KlClusterWatch *self);
void            kl_cluster_watch_clear_expectations (KlClusterWatch *self);

/* The same as kl_watch_start() and friends. */
void            kl_cluster_watch_start              (KlClusterWatch *self);
void            kl_cluster_watch_stop               (KlClusterWatch *self);
void            kl_cluster_watch_poke               (KlClusterWatch *self);
void            kl_cluster_watch_pause              (KlClusterWatch *self);
void            kl_cluster_watch_resume             (KlClusterWatch *self);
gboolean        kl_cluster_watch_get_running        (KlClusterWatch *self);

/* GListModel of KlCluster (transfer none). */
GListModel     *kl_cluster_watch_get_model          (KlClusterWatch *self);
/* Transfer none; NULL when not in the current list. */
KlCluster      *kl_cluster_watch_lookup             (KlClusterWatch *self,
                                                     const char     *cluster_name);
/* g_get_monotonic_time() of the first poll that saw the cluster's current stateName, or
 * KL_WATCH_TIME_UNKNOWN. */
gint64          kl_cluster_watch_get_state_since    (KlClusterWatch *self,
                                                     const char     *cluster_name);

G_END_DECLS
