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
 * Pending while a cluster's stateName is not IDLE, or while a cluster given to
 * kl_cluster_watch_expect_provider() does not show that provider yet (right after a PATCH,
 * Atlas may still list the old provider as IDLE). An expectation is dropped once met, or when
 * its cluster leaves the list.
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

/* Keep following until @cluster_name is IDLE with encryptionAtRestProvider @provider. */
void            kl_cluster_watch_expect_provider    (KlClusterWatch *self,
                                                     const char     *cluster_name,
                                                     const char     *provider);
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
