/* kl-cluster.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "kl-types.h"

G_BEGIN_DECLS

#define KL_TYPE_CLUSTER (kl_cluster_get_type ())
G_DECLARE_FINAL_TYPE (KlCluster, kl_cluster, KL, CLUSTER, GObject)

/* Pages of a paginated list ({"links":[…], "results":[…], "totalCount":n}). Each returns a
 * GPtrArray of new models (free function g_object_unref) and whether a link with rel "next"
 * says there are more pages. */

/* ---- KlCluster — ClusterDescription20240805 ----
 * Properties "name", "state-name", "paused", "encryption-at-rest-provider", "cluster-type",
 * "instance-size", "provider-name", "multi-cloud", "tenant", "flex", "serverless". */

/* One regionConfigs[] entry, over every replicationSpecs[]; strings owned by the cluster. */
typedef struct
{
  const char *provider_name;         /* "AZURE", "AWS", "GCP", "TENANT", … (NULL if absent) */
  const char *backing_provider_name; /* tenant/flex: the cloud underneath, else NULL */
  const char *region_name;           /* e.g. "US_EAST_2" (NULL if absent) */
  const char *instance_size;         /* electableSpecs (else readOnly/analytics) instanceSize */
} KlRegionConfig;

KlCluster    *kl_cluster_new_from_node            (JsonNode    *node,
                                                   GError     **error);
KlCluster    *kl_cluster_parse                    (const char  *json,
                                                   gssize       length,
                                                   GError     **error);
GPtrArray    *kl_cluster_parse_page               (const char  *json,
                                                   gssize       length,
                                                   gboolean    *has_next,
                                                   GError     **error);
/* A Flex cluster as the Flex API gives it (FlexClusterDescription20241113: name, id,
 * stateName, providerSettings.backingProviderName and regionName): flex is TRUE and it has one
 * region config {provider "FLEX", the backing cloud, the region, instance size "FLEX"}, so it
 * shows like any other cluster and kl_cluster_check_cmk_eligible() refuses it. */
KlCluster    *kl_cluster_new_from_flex_node       (JsonNode    *node,
                                                   GError     **error);
KlCluster    *kl_cluster_parse_flex               (const char  *json,
                                                   gssize       length,
                                                   GError     **error);
GPtrArray    *kl_cluster_parse_flex_page          (const char  *json,
                                                   gssize       length,
                                                   gboolean    *has_next,
                                                   GError     **error);
const char   *kl_cluster_get_name                 (KlCluster   *self);
const char   *kl_cluster_get_id                   (KlCluster   *self);
const char   *kl_cluster_get_state_name           (KlCluster   *self); /* "IDLE", "UPDATING", … */
gboolean      kl_cluster_get_paused               (KlCluster   *self);
/* "NONE", "AZURE", "AWS", "GCP", or unknown text; NULL when absent. */
const char   *kl_cluster_get_encryption_at_rest_provider (KlCluster *self);
const char   *kl_cluster_get_cluster_type         (KlCluster   *self); /* REPLICASET, SHARDED, … */
const KlRegionConfig *kl_cluster_get_region_configs (KlCluster *self,
                                                     guint     *n_configs);
/* The tier of the first region config that has one ("M10", "M0", "FLEX", …), or NULL. */
const char   *kl_cluster_get_instance_size        (KlCluster   *self);
/* The provider of the first region config with one, NULL if none. */
const char   *kl_cluster_get_provider_name        (KlCluster   *self);
/* Whether the region configs name more than one cloud (AWS, AZURE, GCP). */
gboolean      kl_cluster_is_multi_cloud           (KlCluster   *self);
/* Whether any region config has a cloud's provider name of @provider (e.g. "AZURE"),
 * counting the backing provider of tenant and flex clusters. */
gboolean      kl_cluster_uses_provider            (KlCluster   *self,
                                                   const char  *provider);
gboolean      kl_cluster_is_tenant                (KlCluster   *self); /* M0, M2, M5 */
gboolean      kl_cluster_is_flex                  (KlCluster   *self);
gboolean      kl_cluster_is_serverless            (KlCluster   *self);
/* Whether customer-managed keys can be turned on for this cluster (HACKING.md, Clusters and
 * the key):
 * not M0/M2/M5, Flex, serverless, multi-cloud or paused. FALSE with KL_ERROR_INELIGIBLE and a
 * translated message giving the reason and what to do. */
gboolean      kl_cluster_check_cmk_eligible       (KlCluster   *self,
                                                   GError     **error);
/* {"encryptionAtRestProvider": "<provider>"} — the only field Keylink ever sends. */
GBytes       *kl_cluster_build_encryption_patch   (const char  *provider);

G_END_DECLS
