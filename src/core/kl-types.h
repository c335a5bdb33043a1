/* kl-types.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The classes of the core library, for headers that only pass pointers to them. */
typedef struct _KlAtlasClient KlAtlasClient;
typedef struct _KlAtlasError KlAtlasError;
typedef struct _KlAzureKeyVault KlAzureKeyVault;
typedef struct _KlCliProfile KlCliProfile;
typedef struct _KlCluster KlCluster;
typedef struct _KlClusterWatch KlClusterWatch;
typedef struct _KlCredentials KlCredentials;
typedef struct _KlEncryptionAtRest KlEncryptionAtRest;
typedef struct _KlEndpointWatch KlEndpointWatch;
typedef struct _KlPrivateEndpoint KlPrivateEndpoint;
typedef struct _KlProfile KlProfile;
typedef struct _KlProject KlProject;
typedef struct _KlRegion KlRegion;
typedef struct _KlSession KlSession;
typedef struct _KlSetupAnswers KlSetupAnswers;
typedef struct _KlSetupRunner KlSetupRunner;
typedef struct _KlStep KlStep;
typedef struct _KlTeardown KlTeardown;
typedef struct _KlWatch KlWatch;

typedef enum
{
  KL_AUTH_SERVICE_ACCOUNT,
  KL_AUTH_API_KEY,
} KlAuthType;

typedef enum
{
  KL_ATLAS_SERVICE_ATLAS,      /* https://cloud.mongodb.com */
  KL_ATLAS_SERVICE_GOVERNMENT, /* https://cloud.mongodbgov.com */
  KL_ATLAS_SERVICE_CUSTOM,
} KlAtlasService;

typedef enum
{
  KL_AZURE_ENVIRONMENT_AZURE,
  KL_AZURE_ENVIRONMENT_AZURE_CHINA,
  KL_AZURE_ENVIRONMENT_AZURE_US_GOVERNMENT,
} KlAzureEnvironment;

typedef enum
{
  KL_ENDPOINT_STATUS_UNKNOWN,  /* a value this version does not know: kept as text */
  KL_ENDPOINT_STATUS_INITIATING,
  KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE,
  KL_ENDPOINT_STATUS_ACTIVE,
  KL_ENDPOINT_STATUS_PENDING_RECREATION,
  KL_ENDPOINT_STATUS_FAILED,
  KL_ENDPOINT_STATUS_DELETING,
} KlEndpointStatus;

/* What KlEndpointWatch waits for (kl-endpoint-watch.h). */
typedef enum
{
  /* Pending while an endpoint is not ACTIVE or FAILED (INITIATING can last hours; FAILED
   * waits for the user: retry it, then poke). */
  KL_ENDPOINT_WATCH_GOAL_SETTLED,
  /* Pending while the list is not empty (teardown). */
  KL_ENDPOINT_WATCH_GOAL_GONE,
} KlEndpointWatchGoal;

/* The state of a KlStep (kl-step.h). */
typedef enum
{
  KL_STEP_STATE_PENDING,  /* not started yet */
  KL_STEP_STATE_RUNNING,  /* a request in flight, or following Atlas until it is done */
  KL_STEP_STATE_WAITING,  /* Atlas refused for now (endpoint still INITIATING, cluster still
                           * updating): waiting for it, then trying again */
  KL_STEP_STATE_DONE,
  KL_STEP_STATE_SKIPPED,  /* nothing to do (the region already has an endpoint) */
  KL_STEP_STATE_FAILED,   /* "error" says why */
} KlStepState;

/* Where the Atlas CLI keeps a profile's secret (kl-cli-config.h). */
typedef enum
{
  KL_CLI_SECRET_NONE,    /* not found anywhere */
  KL_CLI_SECRET_FILE,    /* in config.toml (older CLI versions) */
  KL_CLI_SECRET_KEYRING, /* in the CLI's keyring item (preferred when both exist) */
} KlCliSecretLocation;

/* Where a project stands, derived by KlPlan (kl-plan.h) from the server's state only. */
typedef enum
{
  KL_PROJECT_STAGE_OTHER_PROVIDER,     /* AWS KMS or Google Cloud KMS is on: not ours to change */
  KL_PROJECT_STAGE_NOT_CONFIGURED,     /* Azure Key Vault not enabled */
  KL_PROJECT_STAGE_KEY_NOT_VALID,      /* enabled, but Atlas cannot use the key */
  KL_PROJECT_STAGE_KEY_READY,          /* enabled and valid; private networking not required */
  KL_PROJECT_STAGE_ENDPOINTS,          /* private networking required; endpoints missing or not all ACTIVE */
  KL_PROJECT_STAGE_CLUSTERS,           /* endpoints fine; eligible clusters not all on the key */
  KL_PROJECT_STAGE_DONE,               /* everything on the key */
} KlProjectStage;

/* What a teardown takes away (kl-plan.h, kl-teardown.h). */
typedef enum
{
  KL_TEARDOWN_PRIVATE_NETWORKING, /* delete endpoints, then requirePrivateNetworking: false */
  KL_TEARDOWN_CMK,                /* delete endpoints, clusters to NONE, then enabled: false */
} KlTeardownKind;

/* One step of a teardown's plan (KlPlanStep, kl-plan.h). */
typedef enum
{
  KL_PLAN_STEP_DELETE_ENDPOINT,          /* target: endpoint id; detail: region */
  KL_PLAN_STEP_WAIT_ENDPOINTS_GONE,
  KL_PLAN_STEP_CLUSTER_PROVIDER_NONE,    /* target: cluster name */
  KL_PLAN_STEP_WAIT_CLUSTERS_IDLE,
  KL_PLAN_STEP_DISABLE_PRIVATE_NETWORKING,
  KL_PLAN_STEP_DISABLE_CMK,
} KlPlanStepKind;

/* What a KlStep does (kl-step.h); the first six are KlPlanStepKind's values. */
typedef enum
{
  /* target: endpoint id; detail: region */
  KL_STEP_DELETE_ENDPOINT = KL_PLAN_STEP_DELETE_ENDPOINT,
  KL_STEP_WAIT_ENDPOINTS_GONE = KL_PLAN_STEP_WAIT_ENDPOINTS_GONE,
  /* target: cluster name */
  KL_STEP_CLUSTER_PROVIDER_NONE = KL_PLAN_STEP_CLUSTER_PROVIDER_NONE,
  KL_STEP_WAIT_CLUSTERS_IDLE = KL_PLAN_STEP_WAIT_CLUSTERS_IDLE,
  KL_STEP_DISABLE_PRIVATE_NETWORKING = KL_PLAN_STEP_DISABLE_PRIVATE_NETWORKING,
  KL_STEP_DISABLE_CMK = KL_PLAN_STEP_DISABLE_CMK,
  KL_STEP_CREATE_ENDPOINT,   /* target: region */
  KL_STEP_RETRY_ENDPOINT,    /* target: region; detail: the failed endpoint's id */
  KL_STEP_ENABLE_CLUSTER,    /* target: cluster name */
} KlStepKind;

/* How a cluster reaches (or would reach) the project's key in Azure Key Vault
 * (kl_plan_get_key_access ()). Atlas offers Private Link to the vault only to clusters on
 * Azure: "Atlas doesn't support AKV access over private networking for AWS or Google Cloud
 * clusters" (MongoDB's docs); those may still use the key, over the public internet. */
typedef enum
{
  KL_KEY_ACCESS_PRIVATE_LINK,         /* on Azure, an ACTIVE endpoint in each of its regions */
  KL_KEY_ACCESS_PRIVATE_LINK_WAITING, /* on Azure, some of its regions lack an ACTIVE endpoint */
  KL_KEY_ACCESS_PUBLIC_INTERNET,      /* on AWS or Google Cloud (or Azure while private
                                       * networking is not required) */
  KL_KEY_ACCESS_PAUSED,               /* paused: resume it in Atlas first; left alone */
  KL_KEY_ACCESS_INELIGIBLE,           /* cannot use a customer key at all (tier, Flex,
                                       * serverless, multi-cloud) */
} KlKeyAccess;

G_END_DECLS
