/* kl-plan.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kl-atlas-types.h"
#include "kl-types.h"

G_BEGIN_DECLS

/* Where a project stands, what a teardown does and how each cluster reaches the key, all
 * derived from the server's state only (HACKING.md, Layers: the server is the source of
 * truth; Keylink keeps no shadow copy). Pure: no network, no globals. The enums
 * (KlProjectStage, KlTeardownKind, KlPlanStepKind, KlKeyAccess) are in kl-types.h. */

typedef struct
{
  KlPlanStepKind  kind;
  char           *target;      /* endpoint id or cluster name, else NULL */
  char           *detail;      /* region of an endpoint, else NULL */
  char           *description; /* translated, one line, for the confirmation list */
} KlPlanStep;

void kl_plan_step_free (KlPlanStep *step);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlPlanStep, kl_plan_step_free)

#define KL_TYPE_PLAN (kl_plan_get_type ())

G_DECLARE_FINAL_TYPE (KlPlan, kl_plan, KL, PLAN, GObject)

/* @endpoints and @clusters: arrays of KlPrivateEndpoint / KlCluster (referenced, not copied). */
KlPlan         *kl_plan_new                     (KlEncryptionAtRest *ear,
                                                 GPtrArray          *endpoints,
                                                 GPtrArray          *clusters);

KlProjectStage  kl_plan_get_stage               (KlPlan     *self);
/* One translated sentence saying where the project stands, for the Project page. */
char           *kl_plan_dup_summary             (KlPlan     *self);

/* Whether the vault name, resource group and subscription are frozen (private networking). */
gboolean        kl_plan_vault_is_frozen         (KlPlan     *self);

/* What the user may do from the Project page. */
gboolean        kl_plan_can_rotate              (KlPlan     *self);
gboolean        kl_plan_can_manage_endpoints    (KlPlan     *self);
gboolean        kl_plan_can_teardown            (KlPlan     *self,
                                                 KlTeardownKind kind);

/* The Azure regions of the project's clusters, sorted, without duplicates (the default regions
 * for endpoints). */
GStrv           kl_plan_dup_cluster_regions     (KlPlan     *self);
/* The Azure regions of the clusters that use the key or that Keylink proposes for it (those
 * that need an ACTIVE endpoint to reach it over Private Link), sorted, without duplicates;
 * regions the built-in list does not know included. */
GStrv           kl_plan_dup_key_regions         (KlPlan     *self);
/* Of @regions, those that have no endpoint yet (an endpoint in any state counts, so a region
 * never gets a second one). */
GStrv           kl_plan_dup_missing_regions     (KlPlan             *self,
                                                 const char * const *regions);
/* Whether every endpoint is ACTIVE (and there is at least one). Regions of clusters with no
 * endpoint at all are not looked at: see kl_plan_dup_regions_needing_endpoint(). */
gboolean        kl_plan_endpoints_all_active    (KlPlan     *self);
/* Clusters Keylink proposes for the key and that do not use it yet: eligible single-cloud
 * Azure clusters. AWS and Google Cloud clusters may use the key too, but only over the public
 * internet: they are never proposed, and the setup does not wait for them. */
GPtrArray      *kl_plan_dup_clusters_to_enable  (KlPlan     *self);

/* How @cluster reaches (or would reach) the key (KlKeyAccess, kl-types.h).
 * @reason: (out) (optional): for PAUSED and INELIGIBLE, a translated sentence saying why
 * and what to do; else NULL. */
KlKeyAccess     kl_plan_get_key_access          (KlPlan     *self,
                                                 KlCluster  *cluster,
                                                 char      **reason);
/* Whether the cluster uses the project's Azure key (encryptionAtRestProvider AZURE). */
gboolean        kl_plan_cluster_uses_key        (KlCluster  *cluster);
/* Whether Keylink proposes the key for this cluster (ticked by default): eligible, on Azure. */
gboolean        kl_plan_cluster_is_proposed     (KlPlan     *self,
                                                 KlCluster  *cluster);
/* Whether the vault's public network access may be turned off: private networking is
 * required and every cluster that uses the key reaches it over Private Link (at least one).
 * @blocking: (out) (optional) (transfer full): the clusters that use the key and would lose
 * it (over the public internet, or in a region without an ACTIVE endpoint). */
gboolean        kl_plan_can_close_public_access (KlPlan     *self,
                                                 GPtrArray **blocking);
/* The clusters' names in a sentence: “a”, “b” and “c” (translated joiners). */
char           *kl_plan_dup_cluster_names       (GPtrArray  *clusters);
/* The Azure regions that still need an ACTIVE endpoint: those of the clusters with no
 * endpoint or one that is not ACTIVE, and those of endpoints that are not ACTIVE. Sorted. */
GStrv           kl_plan_dup_regions_needing_endpoint (KlPlan *self);
/* The multi-cloud clusters that requiring private networking will disable. */
GPtrArray      *kl_plan_dup_multi_cloud_clusters (KlPlan    *self);

/* The ordered steps of a teardown for this project (HACKING.md, Teardown order): an array of
 * KlPlanStep. Steps already done on the server are left out, so the same call on a
 * half-done teardown gives the rest of it. */
GPtrArray      *kl_plan_dup_teardown_steps      (KlPlan         *self,
                                                 KlTeardownKind  kind);

G_END_DECLS
