/* kl-setup-runner-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-setup-runner.h"

G_BEGIN_DECLS

/* What the setup runner's files share: kl-setup-runner.c (the object, the building blocks and
 * the operations' bookkeeping), kl-setup-runner-endpoints.c (deleting, creating and retrying
 * endpoints) and kl-setup-runner-clusters.c (a cluster's provider, enabling clusters). */

#define CODE_DELETE_BLOCKED \
  "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING"
#define CODE_CLUSTER_BUSY     "CLUSTER_UPDATE_IN_PROGRESS"
#define CODE_GROUP_NOT_FOUND  "GROUP_NOT_FOUND"

struct _KlSetupRunner
{
  GObject          parent_instance;

  KlAtlasClient   *client;
  char            *group_id;
  KlEndpointWatch *endpoint_watch;
  KlClusterWatch  *cluster_watch;
  gboolean         own_endpoint_watch;
  gboolean         own_cluster_watch;
  guint            base_interval;
  guint            max_interval;
  GListStore      *steps;
  gboolean         busy;
};

typedef struct
{
  KlWatch *watch;     /* KlEndpointWatch (DELETE) or KlClusterWatch (PATCH) */
  char    *key;       /* the endpoint ID or the cluster name */
  char    *provider;  /* PATCH: the provider to set */
  KlStep  *step;
  void   (*send) (GTask *task);
} BlockData;

typedef struct
{
  GPtrArray         *steps;        /* KlStep */
  guint              outstanding;  /* items still running, plus one while starting them */
  KlPrivateEndpoint *endpoint;     /* retry: the new endpoint */
  char              *old_id;       /* retry: the endpoint replaced */
  gboolean           created;      /* create: an endpoint was created (poke the watch once) */
  guint              patching;     /* enable: PATCHes not answered yet */
  GPtrArray         *to_follow;    /* enable: Item, followed once every PATCH is answered */
} Operation;

typedef struct
{
  GTask  *task;
  KlStep *step;
} Item;

/* Takes the reference on the new task, and sends. */
void kl_setup_block_start (gpointer             watch,
                           const char          *key,
                           const char          *provider,
                           KlStep              *step,
                           void               (*send) (GTask *task),
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data,
                           gpointer             source_tag);

void kl_setup_block_set_state (BlockData   *block,
                               KlStepState  state);

/* The call was refused while the object is busy: not a failure. Waits on the watch until
 * @condition holds for the object, then sends again. Takes the reference on @task. */
void kl_setup_block_wait (GTask            *task,
                          KlWatchCondition  condition);

Item *kl_setup_item_new (GTask  *task,
                         KlStep *step);

void kl_setup_item_free (Item *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Item, kl_setup_item_free)

KlEndpointWatch *kl_setup_runner_endpoint_watch (KlSetupRunner *self);

KlClusterWatch *kl_setup_runner_cluster_watch (KlSetupRunner *self);

void kl_setup_operation_item_done (GTask *task);

/* Ends @step with @error, unless the operation was cancelled (the step then goes back to
 * PENDING when the operation completes). */
void kl_setup_step_failed (KlStep       *step,
                           const GError *error);

/* Returns a new task, or NULL after reporting that another operation is running. */
GTask *kl_setup_operation_begin (KlSetupRunner       *self,
                                 gpointer             source_tag,
                                 GPtrArray           *steps,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);

gboolean kl_setup_operation_finish (KlSetupRunner  *self,
                                    GAsyncResult   *result,
                                    gpointer        source_tag,
                                    GError        **error);

G_END_DECLS
