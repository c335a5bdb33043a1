/* kl-test-atlas-client.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include "kl-atlas-client.h"
#include "kl-error.h"
#include "kl-sim.h"
#include "kl-test-utils.h"

G_BEGIN_DECLS

/* What the KlAtlasClient programs (tests/core/test-atlas-client*.c) share: a simulator and a
 * client per test, with an API key or a service account, synchronous wrappers of the client's
 * calls, and counting what the simulator was asked. */

#define API_PUBLIC_KEY  "klpubkey01"
#define API_PRIVATE_KEY "0f0e0d0c-1111-2222-3333-444455556666"
#define SA_CLIENT_ID    "mdb_sa_id_65f00000000000000000beef"
#define SA_SECRET       "mdb_sa_sk_0123456789abcdefghijklmnopqrstuv"
#define UNKNOWN_GROUP   "65f0000000000000000000ff"

#define WAIT_MS 10000

/* Backoff base and cap used by the tests: small, but the cap admits a 1 s Retry-After. */
#define TEST_BASE_DELAY_MS 20
#define TEST_MAX_DELAY_MS  3000

typedef struct
{
  KlSim         *sim;
  KlAtlasClient *client;
  KlAuthType     auth_type;
} Fixture;

extern const KlAuthType auth_api_key;

extern const KlAuthType auth_service_account;

/* ---- helpers ---- */

KlAtlasClient *new_client (Fixture    *f,
                           KlAuthType  auth_type,
                           const char *secret);

void fixture_set_up (Fixture       *f,
                     gconstpointer  data);

void fixture_tear_down (Fixture       *f,
                        gconstpointer  data);

GAsyncResult *wait_result (GAsyncResult **result);

void add_fault (Fixture    *f,
                const char *rule);

/* Requests the simulator answered (or dropped) with @method and a path ending in @suffix;
 * without the Digest challenges (401) when @served_only. */
guint count_matching (Fixture    *f,
                      const char *method,
                      const char *suffix,
                      gboolean    served_only);

guint count_requests (Fixture    *f,
                      const char *method,
                      const char *suffix);

guint count_served (Fixture    *f,
                    const char *method,
                    const char *suffix);

/* Synchronous wrappers: they wait on the main loop, never sleep. */

GPtrArray *list_projects (KlAtlasClient  *client,
                          GError        **error);

KlProject *get_project (KlAtlasClient  *client,
                        const char     *group_id,
                        GError        **error);

KlEncryptionAtRest *get_ear (KlAtlasClient  *client,
                             const char     *group_id,
                             GError        **error);

KlEncryptionAtRest *patch_ear (KlAtlasClient  *client,
                               const char     *group_id,
                               GBytes         *body,
                               GError        **error);

GPtrArray *list_endpoints (KlAtlasClient  *client,
                           const char     *group_id,
                           GError        **error);

KlPrivateEndpoint *create_endpoint (KlAtlasClient  *client,
                                    const char     *group_id,
                                    const char     *region,
                                    GError        **error);

KlPrivateEndpoint *ensure_endpoint (KlAtlasClient  *client,
                                    const char     *group_id,
                                    const char     *region,
                                    GError        **error);

gboolean delete_endpoint (KlAtlasClient  *client,
                          const char     *group_id,
                          const char     *endpoint_id,
                          GError        **error);

KlCluster *get_cluster (KlAtlasClient  *client,
                        const char     *group_id,
                        const char     *name,
                        GError        **error);

KlAzureKeyVault *wanted_vault (const char *client_id);

/* Turns CMK on in @group_id and requires private networking, as steps 6 and 7 do. */
void enable_cmk_with_private_networking (KlAtlasClient *client,
                                         const char    *group_id);

void add_for_both (const char *name,
                   void (*test) (Fixture *, gconstpointer));

void add_for_service_account (const char *name,
                              void (*test) (Fixture *, gconstpointer));

G_END_DECLS
