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

G_END_DECLS
