/* kl-sim.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kl-azure-sim.h"

G_BEGIN_DECLS

/* The seeded organization (HACKING.md, The simulator). Ids are 24 lowercase hex. */
#define KL_SIM_ORG_ID              "65f000000000000000000001"
/* "Payments" — ready for the whole flow: M10 (US_EAST_2) and M30 (EUROPE_WEST) on Azure. */
#define KL_SIM_GROUP_READY         "65f0000000000000000000a1"
/* "Analytics" — one cluster of each kind Keylink must tell apart: M0, Flex (served only by
 * the Flex API), serverless, multi-cloud, AWS and GCP (which may use the key, but over the
 * public internet), and one Azure M10. */
#define KL_SIM_GROUP_MIXED         "65f0000000000000000000a2"
/* "Archive" — its only cluster is paused: a PATCH of it answers 409
 * CANNOT_UPDATE_PAUSED_CLUSTER. (The Group resource has no state: nothing is "inactive".) */
#define KL_SIM_GROUP_PAUSED        "65f0000000000000000000a3"
/* "Expansion" — two Azure M10s, one in US_EAST_2 and one in CHILE_CENTRAL, a region Atlas
 * knows and Keylink's built-in list (data/atlas/regions.json) does not. */
#define KL_SIM_GROUP_NEW_REGION    "65f0000000000000000000a4"
#define KL_SIM_NEW_AZURE_REGION    "CHILE_CENTRAL"

/* Azure values the seed treats specially; every other well-formed value is accepted. */
#define KL_SIM_BAD_AZURE_CLIENT_ID "00000000-0000-0000-0000-00000000bad0" /* INVALID_AZURE_CREDENTIALS */
#define KL_SIM_UNUSABLE_KEY_NAME   "unusable-key"                         /* valid: false */
/* Key names that Atlas's key checks refuse, with the catalogue's code (400). */
#define KL_SIM_EXPIRED_KEY_NAME    "expired-key"    /* AZURE_KEY_VAULT_KEY_EXPIRED */
#define KL_SIM_DISABLED_KEY_NAME   "disabled-key"   /* AZURE_KEY_VAULT_KEY_NOT_ENABLED */
#define KL_SIM_NO_ACCESS_KEY_NAME  "no-access-key"  /* NO_PERMISSION_TO_ENCRYPT_DECRYPT */

/* Real-life durations, in simulated seconds (multiplied by the time scale in real time):
 * INITIATING before PENDING_ACCEPTANCE; PENDING_ACCEPTANCE from approval to ACTIVE; DELETING
 * before the endpoint is gone; how long the old record of a rejected or removed endpoint
 * shows PENDING_RECREATION before it goes away (its replacement, a new record, starts in
 * INITIATING at once); a cluster UPDATING; before that, how long a PATCHed cluster still
 * answers IDLE (the default of kl_sim_set_cluster_propagation()). */
#define KL_SIM_INITIATING_SECONDS            90
#define KL_SIM_ACTIVATION_SECONDS           180
#define KL_SIM_DELETING_SECONDS              60
#define KL_SIM_RECREATION_SECONDS            60
#define KL_SIM_CLUSTER_UPDATE_SECONDS       120
#define KL_SIM_CLUSTER_PROPAGATION_SECONDS   20

#define KL_TYPE_SIM (kl_sim_get_type ())

G_DECLARE_FINAL_TYPE (KlSim, kl_sim, KL, SIM, GObject)

KlSim      *kl_sim_new                 (void);
/* Real durations are the real-life ones times @time_scale (0.001: INITIATING lasts 90 ms;
 * default 1). 0 stops the simulated clock: only kl_sim_advance() moves it. */
void        kl_sim_set_time_scale      (KlSim       *self,
                                        double       time_scale);
void        kl_sim_set_seed            (KlSim       *self,
                                        guint64      seed);
void        kl_sim_add_api_key         (KlSim       *self,
                                        const char  *public_key,
                                        const char  *private_key);
void        kl_sim_add_service_account (KlSim       *self,
                                        const char  *client_id,
                                        const char  *client_secret);
/* Listens on 127.0.0.1:@port (0 = an ephemeral port), on the thread-default main context. */
gboolean    kl_sim_start               (KlSim       *self,
                                        guint        port,
                                        GError     **error);
/* "http://127.0.0.1:PORT", valid after kl_sim_start(). */
const char *kl_sim_get_base_url        (KlSim       *self);
void        kl_sim_stop                (KlSim       *self);

/* Additions for tests, benchmarks and demo mode (src/sim/README.md has the HTTP twins). */

#define KL_SIM_ERROR (kl_sim_error_quark ())
/* KL_SIM_ERROR codes are HTTP statuses; the message starts with the Atlas-style error code. */
GQuark      kl_sim_error_quark         (void);

/* One request to /api/... as the simulator saw it (control requests under /__sim/ excluded). */
typedef struct
{
  char   *method;
  char   *path;
  char   *query;     /* nullable */
  guint   status;    /* 0: connection dropped or aborted before an answer */
  gint64  start_us;  /* µs since kl_sim_start(): when the request had been read */
  gint64  end_us;    /* µs since kl_sim_start(): when the answer had been written */
} KlSimRequest;

void        kl_sim_request_free        (KlSimRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSimRequest, kl_sim_request_free)

double      kl_sim_get_time_scale      (KlSim       *self);
/* Added to every /api/ request, before it is handled (benchmarks use 150). */
void        kl_sim_set_latency         (KlSim       *self,
                                        guint        latency_ms);
/* expires_in of new access tokens, in real seconds (default 3600; 0 = already expired). */
void        kl_sim_set_token_lifetime  (KlSim       *self,
                                        guint        seconds);
/* After a cluster PATCH, the cluster answers IDLE (with the new encryptionAtRestProvider) for
 * @seconds simulated seconds, then UPDATING for KL_SIM_CLUSTER_UPDATE_SECONDS, then IDLE, as
 * real Atlas can. Default KL_SIM_CLUSTER_PROPAGATION_SECONDS; 0 turns the delay off (UPDATING
 * at once). Applies to later PATCHes. */
void        kl_sim_set_cluster_propagation (KlSim   *self,
                                            double   seconds);
/* Moves the simulated clock forward (endpoint and cluster timings), whatever the time scale. */
void        kl_sim_advance             (KlSim       *self,
                                        double       seconds);
/* Adds a project to the organization; returns its id. */
char       *kl_sim_add_group           (KlSim       *self,
                                        const char  *name,
                                        GError     **error);
/* The Azure side: approve, reject or remove the private endpoint connection, or make the
 * endpoint fail (@error_message nullable: a default message). */
gboolean    kl_sim_approve_endpoint    (KlSim       *self,
                                        const char  *group_id,
                                        const char  *endpoint_id,
                                        GError     **error);
gboolean    kl_sim_reject_endpoint     (KlSim       *self,
                                        const char  *group_id,
                                        const char  *endpoint_id,
                                        GError     **error);
gboolean    kl_sim_remove_endpoint     (KlSim       *self,
                                        const char  *group_id,
                                        const char  *endpoint_id,
                                        GError     **error);
gboolean    kl_sim_fail_endpoint       (KlSim       *self,
                                        const char  *group_id,
                                        const char  *endpoint_id,
                                        const char  *error_message,
                                        GError     **error);
/* As seen in real life: while @refuses, GET /groups/@group_id/clusters fails whole with 400
 * CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API (parameters: the first Flex cluster's name) whenever
 * the project holds a Flex cluster. Default FALSE. */
gboolean    kl_sim_set_cluster_list_refuses_flex (KlSim       *self,
                                                  const char  *group_id,
                                                  gboolean     refuses,
                                                  GError     **error);
/* @rule_json: one fault rule as for POST /__sim/faults. */
gboolean    kl_sim_add_fault           (KlSim       *self,
                                        const char  *rule_json,
                                        GError     **error);
/* Also answers the requests that "stall" faults hold. */
void        kl_sim_clear_faults        (KlSim       *self);
/* How many requests "stall" faults hold right now. */
guint       kl_sim_count_stalled       (KlSim       *self);
/* Element type KlSimRequest, in the order the answers completed. */
GPtrArray  *kl_sim_dup_requests        (KlSim       *self);
void        kl_sim_clear_requests      (KlSim       *self);

/* The Azure side, simulated too (src/sim/README-azure.md): with a KlAzureSim attached, both
 * run on this simulator's clock (time scale and kl_sim_advance (), also when set through the
 * Azure simulator); an endpoint that reaches PENDING_ACCEPTANCE has a Pending connection of
 * its privateEndpointConnectionName on the project's keyVaultName in Azure (when the Azure
 * simulator holds that vault); approving that connection in Azure (the ARM PUT, its control
 * API or kl_azure_sim_set_connection_status ()) approves the endpoint, rejecting or
 * disconnecting it rejects or removes the endpoint; and kl_sim_approve_endpoint (),
 * _reject_endpoint (), _remove_endpoint () and their control API set the connection's status
 * in Azure. Attach before endpoints reach PENDING_ACCEPTANCE. NULL detaches. Takes a
 * reference. */
void        kl_sim_set_azure_sim       (KlSim       *self,
                                        KlAzureSim  *azure_sim);
/* Transfer none; NULL when none is attached. */
KlAzureSim *kl_sim_get_azure_sim       (KlSim       *self);
/* A new KlAzureSim of @environment (NULL: "AZURE") with its seeded world, started on the
 * thread-default main context and attached. Transfer none. */
KlAzureSim *kl_sim_start_azure_sim     (KlSim       *self,
                                        const char  *environment,
                                        GError     **error);

G_END_DECLS
