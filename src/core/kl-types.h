/* kl-types.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

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

G_END_DECLS
