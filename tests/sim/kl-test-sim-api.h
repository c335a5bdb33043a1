/* kl-test-sim-api.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-test-utils.h"
#include "test-sim-common.h"

G_BEGIN_DECLS

/* What the programs that test the simulated API (tests/sim/test-sim*.c) share: the paths of
 * the seeded projects, and reading the answers. */

#define GROUPS        "/api/atlas/v2/groups"
#define READY         GROUPS "/" KL_SIM_GROUP_READY
#define MIXED         GROUPS "/" KL_SIM_GROUP_MIXED
#define PAUSED        GROUPS "/" KL_SIM_GROUP_PAUSED
#define EXPANSION     GROUPS "/" KL_SIM_GROUP_NEW_REGION
#define V20241113     "2024-11-13"
#define READY_EAR     READY "/encryptionAtRest"
#define READY_PES     READY "/encryptionAtRest/AZURE/privateEndpoints"
#define MIXED_EAR     MIXED "/encryptionAtRest"

#define KEY_ID_V1 "https://klsimvault.vault.azure.net/keys/atlas-cmk/0123456789abcdef0123456789abcdef"

void add_fixture_test (const char *path,
                       void      (*test) (SimFixture *, gconstpointer));

gboolean has_link (JsonObject *page,
                   const char *rel,
                   const char *href_part);

JsonArray *results (SimResponse *response);

JsonObject *find_by (JsonArray  *array,
                     const char *member,
                     const char *value);

JsonArray *error_parameters (SimResponse *response);

G_END_DECLS
