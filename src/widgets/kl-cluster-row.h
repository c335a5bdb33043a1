/* kl-cluster-row.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-atlas-types.h"
#include "kl-plan.h"
#include "kl-step.h"

G_BEGIN_DECLS

/* One cluster on the Clusters page: name, tier, provider and regions, state, whether it uses
 * the key; a check button when the key can be turned on for it, else the reason it cannot;
 * while the key is being turned on, the progress and any error of its KlStep. */

#define KL_TYPE_CLUSTER_ROW (kl_cluster_row_get_type ())

G_DECLARE_FINAL_TYPE (KlClusterRow, kl_cluster_row, KL, CLUSTER_ROW, GtkListBoxRow)

GtkWidget  *kl_cluster_row_new            (KlCluster    *cluster);

KlCluster  *kl_cluster_row_get_cluster    (KlClusterRow *self);
void        kl_cluster_row_set_cluster    (KlClusterRow *self,
                                           KlCluster    *cluster);
/* Whether the key can be turned on for the cluster (kl_cluster_check_cmk_eligible()). */
gboolean    kl_cluster_row_get_eligible   (KlClusterRow *self);
/* Whether the cluster already uses the key (encryptionAtRestProvider AZURE). */
gboolean    kl_cluster_row_get_on_key     (KlClusterRow *self);
/* Whether the user chose it: eligible, not on the key yet, and its check button active. */
gboolean    kl_cluster_row_get_selected   (KlClusterRow *self);
void        kl_cluster_row_set_selected   (KlClusterRow *self,
                                           gboolean      selected);
/* Whether the check button may change (not while the key is being turned on). */
void        kl_cluster_row_set_locked     (KlClusterRow *self,
                                           gboolean      locked);
/* Follows @step (nullable): spinner while it runs, the cluster as last seen, its error. */
void        kl_cluster_row_set_step       (KlClusterRow *self,
                                           KlStep       *step);
KlStep     *kl_cluster_row_get_step       (KlClusterRow *self);
/* Its update goes on in Atlas, no longer followed (the following was cancelled). */
void        kl_cluster_row_set_unfollowed (KlClusterRow *self,
                                           gboolean      unfollowed);
gboolean    kl_cluster_row_get_unfollowed (KlClusterRow *self);
/* When the watch first saw the cluster's state (g_get_monotonic_time(), or
 * KL_WATCH_TIME_UNKNOWN): an update in progress says for how long, and that it can take a
 * while once it is long. */
void        kl_cluster_row_set_state_since (KlClusterRow *self,
                                            gint64        since_us);
/* Brings “for 3 min” up to date (the page calls it on a timer). */
void        kl_cluster_row_update_time    (KlClusterRow *self);
const char *kl_cluster_row_get_time_text  (KlClusterRow *self);
const char *kl_cluster_row_get_note       (KlClusterRow *self);
GtkSpinner *kl_cluster_row_get_spinner    (KlClusterRow *self);
/* The texts shown, for tests and the screen reader: state line and error (nullable). */
/* How the cluster reaches (or would reach) the key, from the page's plan: shown on the row,
 * with the consequence when a cluster that would use the public internet is chosen. */
void        kl_cluster_row_set_access     (KlClusterRow *self,
                                           KlKeyAccess   access);
KlKeyAccess kl_cluster_row_get_access     (KlClusterRow *self);
/* The access line as shown (NULL while hidden). */
const char *kl_cluster_row_get_access_text (KlClusterRow *self);
const char *kl_cluster_row_get_status_text (KlClusterRow *self);
const char *kl_cluster_row_get_reason     (KlClusterRow *self);
const char *kl_cluster_row_get_error      (KlClusterRow *self);

/* Texts about a cluster, shared with the Done page. */
/* "M10 · Azure · US_EAST_2, EUROPE_WEST" */
char       *kl_cluster_row_dup_details    (KlCluster    *cluster);
/* "Uses your key" / "Atlas-managed" / … */
const char *kl_cluster_row_cmk_label      (KlCluster    *cluster);
/* Which key encrypts the cluster's data and, for your key, over which path, in words. */
const char *kl_cluster_row_access_label   (KlCluster    *cluster,
                                           KlKeyAccess   access);
/* "Idle", "Updating…", "Paused", … */
char       *kl_cluster_row_dup_state_label (KlCluster   *cluster);

G_END_DECLS
