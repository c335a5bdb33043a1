/* kl-teardown.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-atlas-client.h"
#include "kl-cluster-watch.h"
#include "kl-endpoint-watch.h"
#include "kl-plan.h"
#include "kl-step.h"

G_BEGIN_DECLS

/* Turns off private networking (KL_TEARDOWN_PRIVATE_NETWORKING) or the customer-managed key
 * (KL_TEARDOWN_CMK) of one project, in the safe order of HACKING.md, Teardown order, as given by
 * kl_plan_dup_teardown_steps():
 *
 *   1. DELETE every endpoint, all at once. One still INITIATING (refused with
 *      ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING) is not a
 *      failure: its step goes WAITING until it leaves INITIATING, then it is deleted;
 *   2. wait until the endpoint list is empty;
 *   3. (CMK) PATCH every cluster on the key to encryptionAtRestProvider NONE, all at once, and
 *      wait until every cluster is IDLE and none uses the key;
 *   4. PATCH requirePrivateNetworking false, or {"enabled": false}.
 *
 * Resumable: kl_teardown_run_async() always starts by reading the server's state (encryption
 * at rest, endpoints, and clusters for CMK) and building a fresh KlPlan, so a teardown stopped
 * at any point (cancelled, network lost, app closed) and started again, by this object or a
 * new one, does only what is left (an endpoint already DELETING is not deleted again).
 *
 * Progress: kl_teardown_get_steps() is a GListModel of KlStep, refilled from the plan when
 * the state has been read; each step's "state" goes PENDING → RUNNING (or WAITING) → DONE or
 * FAILED. The same is told by the signals
 *   step-started  (guint index)
 *   step-finished (guint index)
 *   step-failed   (guint index, GError *error)
 * and by the "current-step" property (index of the step last started, -1 when idle).
 *
 * Errors: a rate limit or 5xx is retried by the client, and during the waits by the watches;
 * any other error stops the teardown, the step FAILED with it, and the error is kept
 * ("error" property) for display until the next run. Cancellation is G_IO_ERROR_CANCELLED,
 * silent: unfinished steps go back to PENDING. */

#define KL_TYPE_TEARDOWN (kl_teardown_get_type ())

G_DECLARE_FINAL_TYPE (KlTeardown, kl_teardown, KL, TEARDOWN, GObject)

/* Properties: "client", "group-id", "kind" (construct-only; "kind" is a KlTeardownKind as
 * guint), "steps" (GListModel of KlStep), "running", "current-step" (int), "error" (GError). */
KlTeardown      *kl_teardown_new                (KlAtlasClient       *client,
                                                 const char          *group_id,
                                                 KlTeardownKind       kind);

KlAtlasClient   *kl_teardown_get_client         (KlTeardown          *self);
const char      *kl_teardown_get_group_id       (KlTeardown          *self);
KlTeardownKind   kl_teardown_get_kind           (KlTeardown          *self);
GListModel      *kl_teardown_get_steps          (KlTeardown          *self);
gboolean         kl_teardown_get_running        (KlTeardown          *self);
int              kl_teardown_get_current_step   (KlTeardown          *self);
/* The error that stopped the last run, or NULL. */
const GError    *kl_teardown_get_error          (KlTeardown          *self);
/* The plan built from the last state read (transfer none), or NULL before the first read. */
KlPlan          *kl_teardown_get_plan           (KlTeardown          *self);

/* The watches the teardown polls with (transfer none; created on first use), and their
 * intervals in ms (see kl_watch_set_intervals()). */
KlEndpointWatch *kl_teardown_get_endpoint_watch (KlTeardown          *self);
KlClusterWatch  *kl_teardown_get_cluster_watch  (KlTeardown          *self);
void             kl_teardown_set_poll_intervals (KlTeardown          *self,
                                                 guint                base_ms,
                                                 guint                max_ms);

/* Reads the state and fills the steps without changing anything: what the confirmation
 * lists. */
void             kl_teardown_prepare_async      (KlTeardown          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         kl_teardown_prepare_finish     (KlTeardown          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Reads the state again, then executes the steps. TRUE when every step is done (also when
 * nothing was left to do). */
void             kl_teardown_run_async          (KlTeardown          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         kl_teardown_run_finish         (KlTeardown          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
