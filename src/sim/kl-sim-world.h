/* kl-sim-world.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The simulated organization: projects, clusters, encryption at rest and the private endpoint
 * state machine, with its own clock. No HTTP here: every call takes parsed JSON and returns the
 * response body, or a KlSimFailure that the server turns into an Atlas error response. */

typedef struct
{
  guint     status;
  char     *error_code;
  char     *detail;
  JsonNode *parameters; /* a JSON array, never NULL */
} KlSimFailure;

KlSimFailure *kl_sim_failure_new  (guint        status,
                                   const char  *error_code,
                                   JsonNode    *parameters,
                                   const char  *detail_format,
                                   ...) G_GNUC_PRINTF (4, 5);
void          kl_sim_failure_free (KlSimFailure *failure);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSimFailure, kl_sim_failure_free)

typedef enum
{
  KL_SIM_AZURE_APPROVE,
  KL_SIM_AZURE_REJECT,
  KL_SIM_AZURE_REMOVE,
  KL_SIM_AZURE_FAIL,
} KlSimAzureAction;

typedef struct _KlSimWorld KlSimWorld;

/* What happened to an endpoint's private endpoint connection, for KlSim's Azure link: it
 * was offered (the endpoint entered PENDING_ACCEPTANCE, once per record), or the Azure-side
 * action of kl_sim_world_azure_action () was done. */
typedef enum
{
  KL_SIM_CONNECTION_PENDING,
  KL_SIM_CONNECTION_APPROVED,
  KL_SIM_CONNECTION_REJECTED,
  KL_SIM_CONNECTION_REMOVED,
} KlSimConnectionEvent;

typedef void (*KlSimConnectionFunc) (KlSimConnectionEvent  event,
                                     const char           *group_id,
                                     const char           *vault_name,
                                     const char           *connection_name,
                                     gpointer              user_data);

KlSimWorld *kl_sim_world_new              (guint64      seed);
void        kl_sim_world_free             (KlSimWorld  *world);

void        kl_sim_world_set_seed         (KlSimWorld  *world,
                                           guint64      seed);
void        kl_sim_world_set_base_url     (KlSimWorld  *world,
                                           const char  *base_url);
void        kl_sim_world_set_time_scale   (KlSimWorld  *world,
                                           double       time_scale);
double      kl_sim_world_get_time_scale   (KlSimWorld  *world);
void        kl_sim_world_advance          (KlSimWorld  *world,
                                           double       seconds);
void        kl_sim_world_set_cluster_propagation (KlSimWorld *world,
                                                  double      seconds);
double      kl_sim_world_get_cluster_propagation (KlSimWorld *world);
/* Called synchronously, from whichever call materialises the change (@func NULL: none). */
void        kl_sim_world_set_connection_func (KlSimWorld          *world,
                                              KlSimConnectionFunc  func,
                                              gpointer             user_data);
/* Brings every project's endpoints and clusters up to the simulated clock. */
void        kl_sim_world_refresh          (KlSimWorld  *world);
/* The endpoint whose privateEndpointConnectionName is @connection_name (compared without
 * case) and that an Azure-side action still applies to (PENDING_ACCEPTANCE or ACTIVE). */
gboolean    kl_sim_world_find_connection  (KlSimWorld  *world,
                                           const char  *connection_name,
                                           char       **group_id,
                                           char       **endpoint_id);
/* Simulated microseconds since the world was created. */
gint64      kl_sim_world_now              (KlSimWorld  *world);

JsonNode   *kl_sim_world_add_group        (KlSimWorld    *world,
                                           const char    *name,
                                           KlSimFailure **failure);

JsonNode   *kl_sim_world_list_groups      (KlSimWorld    *world);
JsonNode   *kl_sim_world_get_group        (KlSimWorld    *world,
                                           const char    *group_id,
                                           KlSimFailure **failure);
JsonNode   *kl_sim_world_list_clusters    (KlSimWorld    *world,
                                           const char    *group_id,
                                           KlSimFailure **failure);
JsonNode   *kl_sim_world_get_cluster      (KlSimWorld    *world,
                                           const char    *group_id,
                                           const char    *cluster_name,
                                           KlSimFailure **failure);
JsonNode   *kl_sim_world_patch_cluster    (KlSimWorld    *world,
                                           const char    *group_id,
                                           const char    *cluster_name,
                                           JsonNode      *body,
                                           KlSimFailure **failure);
/* GET /flexClusters[/{name}] (FlexClusterDescription20241113). */
JsonNode   *kl_sim_world_list_flex_clusters (KlSimWorld    *world,
                                             const char    *group_id,
                                             KlSimFailure **failure);
JsonNode   *kl_sim_world_get_flex_cluster (KlSimWorld    *world,
                                           const char    *group_id,
                                           const char    *name,
                                           KlSimFailure **failure);
/* While @refuses, the clusters list of a project with a Flex cluster fails whole. */
gboolean    kl_sim_world_set_cluster_list_refuses_flex (KlSimWorld    *world,
                                                        const char    *group_id,
                                                        gboolean       refuses,
                                                        KlSimFailure **failure);
JsonNode   *kl_sim_world_get_ear          (KlSimWorld    *world,
                                           const char    *group_id,
                                           KlSimFailure **failure);
JsonNode   *kl_sim_world_patch_ear        (KlSimWorld    *world,
                                           const char    *group_id,
                                           JsonNode      *body,
                                           KlSimFailure **failure);
JsonNode   *kl_sim_world_list_endpoints   (KlSimWorld    *world,
                                           const char    *group_id,
                                           const char    *cloud_provider,
                                           KlSimFailure **failure);
JsonNode   *kl_sim_world_create_endpoint  (KlSimWorld    *world,
                                           const char    *group_id,
                                           const char    *cloud_provider,
                                           JsonNode      *body,
                                           KlSimFailure **failure);
JsonNode   *kl_sim_world_get_endpoint     (KlSimWorld    *world,
                                           const char    *group_id,
                                           const char    *cloud_provider,
                                           const char    *endpoint_id,
                                           KlSimFailure **failure);
gboolean    kl_sim_world_delete_endpoint  (KlSimWorld    *world,
                                           const char    *group_id,
                                           const char    *cloud_provider,
                                           const char    *endpoint_id,
                                           KlSimFailure **failure);
/* The "Azure side": what the key vault owner does in the portal. */
JsonNode   *kl_sim_world_azure_action     (KlSimWorld       *world,
                                           const char       *group_id,
                                           const char       *endpoint_id,
                                           KlSimAzureAction  action,
                                           const char       *error_message,
                                           KlSimFailure    **failure);

G_END_DECLS
