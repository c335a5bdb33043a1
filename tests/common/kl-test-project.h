/* kl-test-project.h — a simulator, a client and synchronous helpers for the watch, setup and
 * teardown tests.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-atlas-client.h"
#include "kl-sim.h"

G_BEGIN_DECLS

/* Generous deadline for anything that should take a few hundred ms at most. */
#define KL_TEST_DEADLINE_MS 5000

typedef struct
{
  KlSim         *sim;
  KlAtlasClient *client;
} KlTestProject;

/* Starts a simulator (@time_scale simulated seconds per real second; 0 freezes its clock:
 * move it with kl_sim_advance()) and a service-account client with quick retries. */
KlTestProject *kl_test_project_new            (double          time_scale);
void           kl_test_project_free           (KlTestProject  *project);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlTestProject, kl_test_project_free)

/* Collects one async result: pass kl_test_async_cb and the KlTestAsync. */
typedef struct
{
  GAsyncResult *result;
} KlTestAsync;

void           kl_test_async_cb               (GObject        *source,
                                               GAsyncResult   *result,
                                               gpointer        user_data);
/* Waits (main loop, deadline) for the result; transfer full, and resets @async. */
GAsyncResult  *kl_test_async_wait             (KlTestAsync    *async);

/* Turns customer-managed keys on with the PATCH builder (whole azureKeyVault object), then,
 * if asked, requires private networking. */
void           kl_test_project_enable_cmk     (KlTestProject  *project,
                                               const char     *group_id,
                                               gboolean        private_networking);
KlEncryptionAtRest *kl_test_project_get_ear   (KlTestProject  *project,
                                               const char     *group_id);
GPtrArray     *kl_test_project_list_endpoints (KlTestProject  *project,
                                               const char     *group_id);
GPtrArray     *kl_test_project_list_clusters  (KlTestProject  *project,
                                               const char     *group_id);
/* GET /flexClusters (the Flex clusters, only there since January 2026). */
GPtrArray     *kl_test_project_list_flex_clusters (KlTestProject  *project,
                                                  const char     *group_id);

/* Requests of the simulator's log with this method (NULL: any) whose path ends with @suffix
 * (NULL: any), in the order they were answered. */
GPtrArray     *kl_test_project_requests       (KlTestProject  *project,
                                               const char     *method,
                                               const char     *suffix);

G_END_DECLS
