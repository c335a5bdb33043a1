/* kl-clusters-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "widgets/kl-cluster-row.h"
#include "kl-page.h"
#include "kl-session.h"

G_BEGIN_DECLS

#define KL_TYPE_CLUSTERS_PAGE (kl_clusters_page_get_type ())

G_DECLARE_FINAL_TYPE (KlClustersPage, kl_clusters_page, KL, CLUSTERS_PAGE, KlPage)

/* Hidden while the session has no project (nothing to show). Next turns the key on for the
 * chosen clusters, in parallel, and follows each until it is idle on the key. */
KlPage *kl_prepare_clusters_page (KlContext *context);
KlSession    *kl_clusters_page_get_session        (KlClustersPage *self);
/* The row of the cluster called @name, or NULL. */
KlClusterRow *kl_clusters_page_get_row            (KlClustersPage *self,
                                                   const char     *name);
/* The overall progress line ("2 of 3 done"), or NULL when nothing ran yet. */
const char   *kl_clusters_page_get_progress_text  (KlClustersPage *self);
/* How often clusters are polled while they update, in ms (tests; see kl_watch_set_intervals()). */
void          kl_clusters_page_set_poll_intervals (KlClustersPage *self,
                                                   guint           base_ms,
                                                   guint           max_ms);

G_END_DECLS
