/* kl-setup-runner.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-setup-runner"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-error.h"
#include "kl-plan.h"
#include "kl-setup-runner.h"

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

G_DEFINE_FINAL_TYPE (KlSetupRunner, kl_setup_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_GROUP_ID,
  PROP_ENDPOINT_WATCH,
  PROP_CLUSTER_WATCH,
  PROP_STEPS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
cluster_is_idle (KlCluster *cluster)
{
  const char *state = kl_cluster_get_state_name (cluster);

  return state == NULL || g_strcmp0 (state, "IDLE") == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Building blocks: one call, sent again once the object it was refused for is no longer busy  */

typedef struct
{
  KlWatch *watch;     /* KlEndpointWatch (DELETE) or KlClusterWatch (PATCH) */
  char    *key;       /* the endpoint ID or the cluster name */
  char    *provider;  /* PATCH: the provider to set */
  KlStep  *step;
  void   (*send) (GTask *task);
} BlockData;

static void
block_data_free (gpointer data)
{
  BlockData *block = data;

  g_clear_object (&block->watch);
  g_free (block->key);
  g_free (block->provider);
  g_clear_object (&block->step);
  g_free (block);
}

/* Takes the reference on the new task, and sends. */
static void
block_start (gpointer             watch,
             const char          *key,
             const char          *provider,
             KlStep              *step,
             void               (*send) (GTask *task),
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  BlockData *block = g_new0 (BlockData, 1);

  g_task_set_source_tag (task, source_tag);
  block->watch = g_object_ref (watch);
  block->key = g_strdup (key);
  block->provider = g_strdup (provider);
  block->step = step != NULL ? g_object_ref (step) : NULL;
  block->send = send;
  g_task_set_task_data (task, block, block_data_free);

  send (task);
}

static void
block_set_state (BlockData   *block,
                 KlStepState  state)
{
  if (block->step != NULL)
    kl_step_set_state (block->step, state);
}

static void
block_waited_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BlockData *block = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!kl_watch_wait_finish (KL_WATCH (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  block->send (g_steal_pointer (&task));
}

/* The call was refused while the object is busy: not a failure. Waits on the watch until
 * @condition holds for the object, then sends again. Takes the reference on @task. */
static void
block_wait (GTask            *task,
            KlWatchCondition  condition)
{
  BlockData *block = g_task_get_task_data (task);
  /* (Not in the call: argument evaluation order is unspecified.) */
  GCancellable *cancellable = g_task_get_cancellable (task);

  block_set_state (block, KL_STEP_STATE_WAITING);
  kl_watch_wait_async (block->watch, condition, g_strdup (block->key), g_free, cancellable,
                       block_waited_cb, task);
}

/* DELETE an endpoint, waiting out INITIATING. */

static gboolean
endpoint_left_initiating (KlWatch  *watch,
                          gpointer  user_data)
{
  KlPrivateEndpoint *endpoint = kl_watch_lookup (watch, user_data);

  return endpoint == NULL ||
         kl_private_endpoint_get_status (endpoint) != KL_ENDPOINT_STATUS_INITIATING;
}

static void
delete_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BlockData *delete = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (kl_atlas_client_delete_private_endpoint_finish (KL_ATLAS_CLIENT (source), result, &error) ||
      (g_error_matches (error, KL_ERROR, KL_ERROR_NOT_FOUND) &&
       g_strcmp0 (kl_error_get_atlas_code (error), CODE_GROUP_NOT_FOUND) != 0))
    {
      /* No poke: the caller waits on the watch next, and the waits of deletions answered
       * together share one poll. */
      if (error != NULL)
        g_debug ("Endpoint %s was already gone", delete->key);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Still being provisioned: wait until it leaves INITIATING. */
  if (g_strcmp0 (kl_error_get_atlas_code (error), CODE_DELETE_BLOCKED) == 0)
    {
      g_debug ("Endpoint %s is INITIATING: waiting before deleting it", delete->key);
      block_wait (g_steal_pointer (&task), endpoint_left_initiating);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

/* Takes the reference on @task. */
static void
delete_send (GTask *task)
{
  BlockData *delete = g_task_get_task_data (task);
  KlEndpointWatch *watch = KL_ENDPOINT_WATCH (delete->watch);

  block_set_state (delete, KL_STEP_STATE_RUNNING);
  kl_atlas_client_delete_private_endpoint_async (kl_endpoint_watch_get_client (watch),
                                                 kl_endpoint_watch_get_group_id (watch),
                                                 delete->key, g_task_get_cancellable (task),
                                                 delete_sent_cb, task);
}

void
kl_setup_delete_endpoint_async (KlEndpointWatch     *watch,
                                const char          *endpoint_id,
                                KlStep              *step,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KL_IS_ENDPOINT_WATCH (watch));
  g_return_if_fail (endpoint_id != NULL);
  g_return_if_fail (step == NULL || KL_IS_STEP (step));

  block_start (watch, endpoint_id, NULL, step, delete_send, cancellable, callback, user_data,
               kl_setup_delete_endpoint_async);
}

gboolean
kl_setup_delete_endpoint_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_setup_delete_endpoint_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* PATCH a cluster's provider, waiting out an update in progress. */

static gboolean
cluster_left_updating (KlWatch  *watch,
                       gpointer  user_data)
{
  KlCluster *cluster = kl_watch_lookup (watch, user_data);

  /* Tolerated, not relied on: the simulator's 409 CLUSTER_UPDATE_IN_PROGRESS has no trace in
   * Atlas. An update of ours still under way counts as updating even while it says IDLE. */
  return cluster == NULL ||
         (cluster_is_idle (cluster) &&
          kl_cluster_watch_is_updated (KL_CLUSTER_WATCH (watch), user_data));
}

static void
provider_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BlockData *provider = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCluster) cluster = NULL;

  cluster = kl_atlas_client_set_cluster_encryption_finish (KL_ATLAS_CLIENT (source), result,
                                                           &error);
  if (cluster != NULL)
    {
      /* No poke: the caller waits on the watch next (see kl_setup_delete_endpoint_async). */
      kl_cluster_watch_expect_update (KL_CLUSTER_WATCH (provider->watch), provider->key,
                                      provider->provider, cluster);
      g_task_return_pointer (task, g_steal_pointer (&cluster), g_object_unref);
      return;
    }

  /* Still updating from an earlier change: wait until it is IDLE. */
  if (g_strcmp0 (kl_error_get_atlas_code (error), CODE_CLUSTER_BUSY) == 0)
    {
      g_debug ("Cluster %s is updating: waiting before changing it", provider->key);
      block_wait (g_steal_pointer (&task), cluster_left_updating);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

/* Takes the reference on @task. */
static void
provider_send (GTask *task)
{
  BlockData *provider = g_task_get_task_data (task);
  KlClusterWatch *watch = KL_CLUSTER_WATCH (provider->watch);

  block_set_state (provider, KL_STEP_STATE_RUNNING);
  kl_atlas_client_set_cluster_encryption_async (kl_cluster_watch_get_client (watch),
                                                kl_cluster_watch_get_group_id (watch),
                                                provider->key, provider->provider,
                                                g_task_get_cancellable (task),
                                                provider_sent_cb, task);
}

void
kl_setup_set_cluster_provider_async (KlClusterWatch      *watch,
                                     const char          *cluster_name,
                                     const char          *provider_name,
                                     KlStep              *step,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (KL_IS_CLUSTER_WATCH (watch));
  g_return_if_fail (cluster_name != NULL);
  g_return_if_fail (provider_name != NULL);
  g_return_if_fail (step == NULL || KL_IS_STEP (step));

  block_start (watch, cluster_name, provider_name, step, provider_send, cancellable, callback,
               user_data, kl_setup_set_cluster_provider_async);
}

KlCluster *
kl_setup_set_cluster_provider_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        kl_setup_set_cluster_provider_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Operations                                                                                  */

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

static void
operation_free (gpointer data)
{
  Operation *operation = data;

  g_ptr_array_unref (operation->steps);
  g_assert (operation->to_follow == NULL || operation->to_follow->len == 0);
  g_clear_pointer (&operation->to_follow, g_ptr_array_unref);
  g_clear_object (&operation->endpoint);
  g_free (operation->old_id);
  g_free (operation);
}

static Item *
item_new (GTask  *task,
          KlStep *step)
{
  Item *item = g_new0 (Item, 1);
  Operation *operation = g_task_get_task_data (task);

  operation->outstanding++;
  item->task = g_object_ref (task);
  item->step = g_object_ref (step);
  return item;
}

static void
item_free (Item *item)
{
  g_object_unref (item->task);
  g_object_unref (item->step);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Item, item_free)

static KlEndpointWatch *
runner_endpoint_watch (KlSetupRunner *self)
{
  if (self->endpoint_watch == NULL)
    {
      self->endpoint_watch = kl_endpoint_watch_new (self->client, self->group_id);
      self->own_endpoint_watch = TRUE;
      if (self->base_interval > 0)
        kl_watch_set_intervals (KL_WATCH (self->endpoint_watch), self->base_interval,
                                self->max_interval);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT_WATCH]);
    }

  return self->endpoint_watch;
}

static KlClusterWatch *
runner_cluster_watch (KlSetupRunner *self)
{
  if (self->cluster_watch == NULL)
    {
      self->cluster_watch = kl_cluster_watch_new (self->client, self->group_id);
      self->own_cluster_watch = TRUE;
      if (self->base_interval > 0)
        kl_watch_set_intervals (KL_WATCH (self->cluster_watch), self->base_interval,
                                self->max_interval);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLUSTER_WATCH]);
    }

  return self->cluster_watch;
}

static void
runner_set_busy (KlSetupRunner *self,
                 gboolean       busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* NULL when every step is DONE or SKIPPED. */
static GError *
steps_error (GPtrArray *steps)
{
  const GError *first = NULL;
  guint n_failed = 0;
  GError *error;

  for (guint i = 0; i < steps->len; i++)
    {
      KlStep *step = g_ptr_array_index (steps, i);

      if (kl_step_get_state (step) != KL_STEP_STATE_FAILED)
        continue;
      if (first == NULL)
        first = kl_step_get_error (step);
      n_failed++;
    }

  if (first == NULL)
    return NULL;

  /* A copy keeps the HTTP status and Atlas error of the first failure. */
  error = g_error_copy (first);
  if (n_failed > 1)
    {
      char *message;

      /* Translators: %s is the first failure's message; %u how many more failed. */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%s One more item failed too: see each item for "
                                              "what to do.",
                                              "%s %u more items failed too: see each item for "
                                              "what to do.", n_failed - 1),
                                 first->message, n_failed - 1);
      g_free (error->message);
      error->message = message;
    }

  return error;
}

/* Takes the reference on @task. */
static void
operation_complete (GTask *task)
{
  KlSetupRunner *self = g_task_get_source_object (task);
  Operation *operation = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error;

  runner_set_busy (self, FALSE);

  /* One poll for all the endpoints created together, not one per POST. */
  if (operation->created && self->endpoint_watch != NULL)
    kl_endpoint_watch_poke (self->endpoint_watch);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      for (guint i = 0; i < operation->steps->len; i++)
        {
          KlStep *step = g_ptr_array_index (operation->steps, i);

          if (!kl_step_is_finished (step))
            kl_step_set_state (step, KL_STEP_STATE_PENDING);
        }
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    }
  else if ((error = steps_error (operation->steps)) != NULL)
    {
      g_task_return_error (task, error);
    }
  else if (operation->endpoint != NULL)
    {
      g_task_return_pointer (task, g_object_ref (operation->endpoint), g_object_unref);
    }
  else
    {
      g_task_return_boolean (task, TRUE);
    }

  g_object_unref (task);
}

static void
operation_item_done (GTask *task)
{
  Operation *operation = g_task_get_task_data (task);

  g_assert (operation->outstanding > 0);
  if (--operation->outstanding == 0)
    operation_complete (g_object_ref (task));
}

/* Ends @step with @error, unless the operation was cancelled (the step then goes back to
 * PENDING when the operation completes). */
static void
step_failed (KlStep       *step,
             const GError *error)
{
  if (!is_cancelled (error))
    kl_step_fail (step, error);
}

/* Returns a new task, or NULL after reporting that another operation is running. */
static GTask *
operation_begin (KlSetupRunner       *self,
                 gpointer             source_tag,
                 GPtrArray           *steps,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task;
  Operation *operation;

  if (self->busy)
    {
      g_task_report_new_error (self, callback, user_data, source_tag, KL_ERROR, KL_ERROR_FAILED,
                               _("Another change to this project is still running. Wait until "
                                 "it is done, then try again."));
      return NULL;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  operation = g_new0 (Operation, 1);
  operation->steps = g_ptr_array_ref (steps);
  operation->outstanding = 1;  /* released by operation_item_done() once all are started */
  g_task_set_task_data (task, operation, operation_free);

  g_list_store_splice (self->steps, 0, g_list_model_get_n_items (G_LIST_MODEL (self->steps)),
                       steps->pdata, steps->len);
  runner_set_busy (self, TRUE);

  return task;
}

static gboolean
operation_finish (KlSetupRunner  *self,
                  GAsyncResult   *result,
                  gpointer        source_tag,
                  GError        **error)
{
  g_return_val_if_fail (KL_IS_SETUP_RUNNER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- create endpoints ---- */

static void
create_ensured_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Item) item = user_data;
  Operation *operation = g_task_get_task_data (item->task);
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;

  endpoint = kl_atlas_client_ensure_private_endpoint_finish (KL_ATLAS_CLIENT (source), result,
                                                             &error);
  if (endpoint == NULL)
    {
      step_failed (item->step, error);
    }
  else
    {
      kl_step_set_object (item->step, endpoint);
      kl_step_set_state (item->step, KL_STEP_STATE_DONE);
      operation->created = TRUE;
    }

  operation_item_done (item->task);
}


static void
create_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlSetupRunner *self = g_task_get_source_object (task);
  Operation *operation = g_task_get_task_data (task);
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(KlPlan) plan = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) regions = NULL;
  g_auto(GStrv) missing = NULL;

  endpoints = kl_atlas_client_list_private_endpoints_finish (KL_ATLAS_CLIENT (source), result,
                                                             &error);
  if (endpoints == NULL)
    {
      for (guint i = 0; i < operation->steps->len; i++)
        step_failed (g_ptr_array_index (operation->steps, i), error);
      operation_item_done (task);
      return;
    }

  /* Only the endpoints matter to the missing regions: no need to fetch the key settings. */
  ear = kl_encryption_at_rest_parse ("{}", -1, NULL);
  plan = kl_plan_new (ear, endpoints, NULL);
  for (guint i = 0; i < operation->steps->len; i++)
    g_strv_builder_add (builder, kl_step_get_target (g_ptr_array_index (operation->steps, i)));
  regions = g_strv_builder_end (builder);
  missing = kl_plan_dup_missing_regions (plan, (const char * const *) regions);

  for (guint i = 0; i < operation->steps->len; i++)
    {
      KlStep *step = g_ptr_array_index (operation->steps, i);
      const char *region = kl_step_get_target (step);

      if (!g_strv_contains ((const char * const *) missing, region))
        {
          kl_step_set_object (step, kl_private_endpoints_find_newest (endpoints, region));
          kl_step_set_state (step, KL_STEP_STATE_SKIPPED);
          continue;
        }

      /* The list just read stands for the safe create's own first list: one list and one
       * POST per region, the list again only after an unclear failure. */
      kl_step_set_state (step, KL_STEP_STATE_RUNNING);
      kl_atlas_client_ensure_private_endpoint_listed_async (self->client, self->group_id, region,
                                                            endpoints,
                                                            g_task_get_cancellable (task),
                                                            create_ensured_cb,
                                                            item_new (task, step));
    }

  operation_item_done (task);
}

void
kl_setup_runner_create_endpoints_async (KlSetupRunner       *self,
                                        const char * const  *regions,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GTask *task;

  g_return_if_fail (KL_IS_SETUP_RUNNER (self));
  g_return_if_fail (regions != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  for (guint i = 0; regions[i] != NULL; i++)
    {
      g_autofree char *title = NULL;

      if (!g_hash_table_add (seen, (gpointer) regions[i]))
        continue;
      /* Translators: %s is an Atlas region such as US_EAST_2 */
      title = g_strdup_printf (_("Create a private endpoint in %s"), regions[i]);
      g_ptr_array_add (steps, kl_step_new (KL_STEP_CREATE_ENDPOINT, regions[i], NULL, title));
    }

  task = operation_begin (self, kl_setup_runner_create_endpoints_async, steps, cancellable,
                          callback, user_data);
  if (task == NULL)
    return;

  if (steps->len == 0)
    {
      operation_item_done (task);
      g_object_unref (task);
      return;
    }

  kl_atlas_client_list_private_endpoints_async (self->client, self->group_id, cancellable,
                                                create_listed_cb, task);
}

gboolean
kl_setup_runner_create_endpoints_finish (KlSetupRunner  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return operation_finish (self, result, kl_setup_runner_create_endpoints_async, error);
}

/* ---- enable clusters ---- */

static gboolean
cluster_on_key (KlWatch  *watch,
                gpointer  user_data)
{
  KlCluster *cluster = kl_watch_lookup (watch, user_data);

  /* Not on the first IDLE after the PATCH: once its update is over (KlClusterWatch). */
  return cluster == NULL ||
         (cluster_is_idle (cluster) &&
          kl_cluster_watch_is_updated (KL_CLUSTER_WATCH (watch), user_data) &&
          g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster), "AZURE") == 0);
}

static GError *
cluster_gone_error (const char *name)
{
  return g_error_new (KL_ERROR, KL_ERROR_NOT_FOUND,
                      /* Translators: %s is a cluster name */
                      _("Cluster “%s” is no longer in this project. Reload the project to see "
                        "its clusters."), name);
}

static void
enable_followed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Item) item = user_data;
  g_autoptr(GError) error = NULL;
  KlCluster *cluster;

  if (!kl_watch_wait_finish (KL_WATCH (source), result, &error))
    {
      step_failed (item->step, error);
    }
  else if ((cluster = kl_watch_lookup (KL_WATCH (source), kl_step_get_target (item->step))) == NULL)
    {
      g_autoptr(GError) gone = cluster_gone_error (kl_step_get_target (item->step));

      kl_step_fail (item->step, gone);
    }
  else
    {
      kl_step_set_object (item->step, cluster);
      kl_step_set_state (item->step, KL_STEP_STATE_DONE);
    }

  operation_item_done (item->task);
}

static void
enable_follow (KlSetupRunner *self,
               Item          *item)
{
  kl_step_set_state (item->step, KL_STEP_STATE_RUNNING);
  kl_watch_wait_async (KL_WATCH (runner_cluster_watch (self)), cluster_on_key,
                       g_strdup (kl_step_get_target (item->step)), g_free,
                       g_task_get_cancellable (item->task), enable_followed_cb, item);
}

/* Follows every cluster of the operation together, once every PATCH is answered: their
 * waits share the watch's polls from the first one on. */
static void
enable_follow_all (KlSetupRunner *self,
                   GTask         *task)
{
  Operation *operation = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = g_steal_pointer (&operation->to_follow);

  for (guint i = 0; i < items->len; i++)
    enable_follow (self, g_ptr_array_index (items, i));
}

static void
enable_patched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Item *item = user_data;
  g_autoptr(GTask) task = g_object_ref (item->task);
  KlSetupRunner *self = g_task_get_source_object (task);
  Operation *operation = g_task_get_task_data (task);
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (operation->patching > 0);
  operation->patching--;

  cluster = kl_setup_set_cluster_provider_finish (result, &error);
  if (cluster == NULL)
    {
      step_failed (item->step, error);
      operation_item_done (item->task);
      item_free (item);
    }
  else
    {
      kl_step_set_object (item->step, cluster);
      g_ptr_array_add (operation->to_follow, item);
    }

  if (operation->patching == 0)
    enable_follow_all (self, task);
}

void
kl_setup_runner_enable_clusters_async (KlSetupRunner       *self,
                                       GPtrArray           *clusters,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) eligible = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Operation *operation;
  GTask *task;

  g_return_if_fail (KL_IS_SETUP_RUNNER (self));
  g_return_if_fail (clusters != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  for (guint i = 0; i < clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (clusters, i);
      const char *name = kl_cluster_get_name (cluster);
      g_autofree char *title = NULL;
      KlStep *step;

      g_return_if_fail (KL_IS_CLUSTER (cluster));
      if (name == NULL || !g_hash_table_add (seen, (gpointer) name))
        continue;

      /* Translators: %s is a cluster name */
      title = g_strdup_printf (_("Use your key on cluster “%s”"), name);
      step = kl_step_new (KL_STEP_ENABLE_CLUSTER, name, NULL, title);
      kl_step_set_object (step, cluster);
      g_ptr_array_add (steps, step);
    }

  task = operation_begin (self, kl_setup_runner_enable_clusters_async, steps, cancellable,
                          callback, user_data);
  if (task == NULL)
    return;

  /* Every rule is checked before any request is sent. */
  for (guint i = 0; i < steps->len; i++)
    {
      KlStep *step = g_ptr_array_index (steps, i);
      g_autoptr(GError) error = NULL;

      if (kl_cluster_check_cmk_eligible (kl_step_get_object (step), &error))
        g_ptr_array_add (eligible, step);
      else
        kl_step_fail (step, error);
    }

  /* Every PATCH at once; the following starts when they are all answered. */
  operation = g_task_get_task_data (task);
  operation->to_follow = g_ptr_array_new ();
  for (guint i = 0; i < eligible->len; i++)
    {
      KlStep *step = g_ptr_array_index (eligible, i);
      KlCluster *cluster = kl_step_get_object (step);
      Item *item = item_new (task, step);

      if (g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster), "AZURE") == 0)
        {
          g_ptr_array_add (operation->to_follow, item);
          continue;
        }

      operation->patching++;
      kl_setup_set_cluster_provider_async (runner_cluster_watch (self),
                                           kl_cluster_get_name (cluster), "AZURE", step,
                                           cancellable, enable_patched_cb, item);
    }
  if (operation->patching == 0)
    enable_follow_all (self, task);

  operation_item_done (task);
  g_object_unref (task);
}

gboolean
kl_setup_runner_enable_clusters_finish (KlSetupRunner  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return operation_finish (self, result, kl_setup_runner_enable_clusters_async, error);
}

/* ---- retry an endpoint ---- */

static gboolean
endpoint_gone (KlWatch  *watch,
               gpointer  user_data)
{
  return kl_watch_lookup (watch, user_data) == NULL;
}

static void
retry_created_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Item) item = user_data;
  KlSetupRunner *self = g_task_get_source_object (item->task);
  Operation *operation = g_task_get_task_data (item->task);
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;

  endpoint = kl_atlas_client_ensure_private_endpoint_finish (KL_ATLAS_CLIENT (source), result,
                                                             &error);
  if (endpoint == NULL)
    {
      step_failed (item->step, error);
    }
  else
    {
      g_set_object (&operation->endpoint, endpoint);
      kl_step_set_object (item->step, endpoint);
      kl_step_set_state (item->step, KL_STEP_STATE_DONE);
      kl_endpoint_watch_poke (runner_endpoint_watch (self));
    }

  operation_item_done (item->task);
}

static void
retry_gone_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Item *item = user_data;
  KlSetupRunner *self = g_task_get_source_object (item->task);
  g_autoptr(GError) error = NULL;

  if (!kl_watch_wait_finish (KL_WATCH (source), result, &error))
    {
      step_failed (item->step, error);
      operation_item_done (item->task);
      item_free (item);
      return;
    }

  kl_step_set_state (item->step, KL_STEP_STATE_RUNNING);
  kl_atlas_client_ensure_private_endpoint_async (self->client, self->group_id,
                                                 kl_step_get_target (item->step),
                                                 g_task_get_cancellable (item->task),
                                                 retry_created_cb, item);
}

static void
retry_deleted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Item *item = user_data;
  KlSetupRunner *self = g_task_get_source_object (item->task);
  Operation *operation = g_task_get_task_data (item->task);
  g_autoptr(GError) error = NULL;

  if (!kl_setup_delete_endpoint_finish (result, &error))
    {
      step_failed (item->step, error);
      operation_item_done (item->task);
      item_free (item);
      return;
    }

  kl_step_set_state (item->step, KL_STEP_STATE_RUNNING);
  kl_watch_wait_async (KL_WATCH (runner_endpoint_watch (self)), endpoint_gone,
                       g_strdup (operation->old_id), g_free,
                       g_task_get_cancellable (item->task), retry_gone_cb, item);
}

void
kl_setup_runner_retry_endpoint_async (KlSetupRunner       *self,
                                      KlPrivateEndpoint   *endpoint,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *title = NULL;
  const char *region;
  Operation *operation;
  KlStep *step;
  GTask *task;

  g_return_if_fail (KL_IS_SETUP_RUNNER (self));
  g_return_if_fail (KL_IS_PRIVATE_ENDPOINT (endpoint));
  g_return_if_fail (kl_private_endpoint_get_id (endpoint) != NULL);
  g_return_if_fail (kl_private_endpoint_get_region_name (endpoint) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  region = kl_private_endpoint_get_region_name (endpoint);
  /* Translators: %s is an Atlas region such as US_EAST_2 */
  title = g_strdup_printf (_("Recreate the private endpoint in %s"), region);
  step = kl_step_new (KL_STEP_RETRY_ENDPOINT, region, kl_private_endpoint_get_id (endpoint),
                      title);
  kl_step_set_object (step, endpoint);
  g_ptr_array_add (steps, step);

  task = operation_begin (self, kl_setup_runner_retry_endpoint_async, steps, cancellable,
                          callback, user_data);
  if (task == NULL)
    return;

  operation = g_task_get_task_data (task);
  operation->old_id = g_strdup (kl_private_endpoint_get_id (endpoint));
  kl_setup_delete_endpoint_async (runner_endpoint_watch (self), operation->old_id, step,
                                  cancellable, retry_deleted_cb, item_new (task, step));

  operation_item_done (task);
  g_object_unref (task);
}

KlPrivateEndpoint *
kl_setup_runner_retry_endpoint_finish (KlSetupRunner  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (KL_IS_SETUP_RUNNER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        kl_setup_runner_retry_endpoint_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */

static void
kl_setup_runner_dispose (GObject *object)
{
  KlSetupRunner *self = KL_SETUP_RUNNER (object);

  if (self->own_endpoint_watch && self->endpoint_watch != NULL)
    kl_watch_stop (KL_WATCH (self->endpoint_watch));
  if (self->own_cluster_watch && self->cluster_watch != NULL)
    kl_watch_stop (KL_WATCH (self->cluster_watch));
  g_clear_object (&self->endpoint_watch);
  g_clear_object (&self->cluster_watch);

  G_OBJECT_CLASS (kl_setup_runner_parent_class)->dispose (object);
}

static void
kl_setup_runner_finalize (GObject *object)
{
  KlSetupRunner *self = KL_SETUP_RUNNER (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->group_id, g_free);
  g_clear_object (&self->steps);

  G_OBJECT_CLASS (kl_setup_runner_parent_class)->finalize (object);
}

static void
kl_setup_runner_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KlSetupRunner *self = KL_SETUP_RUNNER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_GROUP_ID:
      g_value_set_string (value, self->group_id);
      break;
    case PROP_ENDPOINT_WATCH:
      g_value_set_object (value, self->endpoint_watch);
      break;
    case PROP_CLUSTER_WATCH:
      g_value_set_object (value, self->cluster_watch);
      break;
    case PROP_STEPS:
      g_value_set_object (value, self->steps);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_setup_runner_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KlSetupRunner *self = KL_SETUP_RUNNER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_GROUP_ID:
      self->group_id = g_value_dup_string (value);
      break;
    case PROP_ENDPOINT_WATCH:
      kl_setup_runner_set_endpoint_watch (self, g_value_get_object (value));
      break;
    case PROP_CLUSTER_WATCH:
      kl_setup_runner_set_cluster_watch (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_setup_runner_class_init (KlSetupRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kl_setup_runner_dispose;
  object_class->finalize = kl_setup_runner_finalize;
  object_class->get_property = kl_setup_runner_get_property;
  object_class->set_property = kl_setup_runner_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, KL_TYPE_ATLAS_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP_ID] =
    g_param_spec_string ("group-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENDPOINT_WATCH] =
    g_param_spec_object ("endpoint-watch", NULL, NULL, KL_TYPE_ENDPOINT_WATCH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLUSTER_WATCH] =
    g_param_spec_object ("cluster-watch", NULL, NULL, KL_TYPE_CLUSTER_WATCH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEPS] =
    g_param_spec_object ("steps", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kl_setup_runner_init (KlSetupRunner *self)
{
  self->steps = g_list_store_new (KL_TYPE_STEP);
}

KlSetupRunner *
kl_setup_runner_new (KlAtlasClient *client,
                     const char    *group_id)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (client), NULL);
  g_return_val_if_fail (group_id != NULL, NULL);

  return g_object_new (KL_TYPE_SETUP_RUNNER, "client", client, "group-id", group_id, NULL);
}

KlAtlasClient *
kl_setup_runner_get_client (KlSetupRunner *self)
{
  g_return_val_if_fail (KL_IS_SETUP_RUNNER (self), NULL);

  return self->client;
}

const char *
kl_setup_runner_get_group_id (KlSetupRunner *self)
{
  g_return_val_if_fail (KL_IS_SETUP_RUNNER (self), NULL);

  return self->group_id;
}

KlEndpointWatch *
kl_setup_runner_get_endpoint_watch (KlSetupRunner *self)
{
  g_return_val_if_fail (KL_IS_SETUP_RUNNER (self), NULL);

  return runner_endpoint_watch (self);
}

void
kl_setup_runner_set_endpoint_watch (KlSetupRunner   *self,
                                    KlEndpointWatch *watch)
{
  g_return_if_fail (KL_IS_SETUP_RUNNER (self));
  g_return_if_fail (watch == NULL || KL_IS_ENDPOINT_WATCH (watch));

  if (self->endpoint_watch == watch)
    return;

  if (self->own_endpoint_watch && self->endpoint_watch != NULL)
    kl_watch_stop (KL_WATCH (self->endpoint_watch));
  g_set_object (&self->endpoint_watch, watch);
  self->own_endpoint_watch = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT_WATCH]);
}

KlClusterWatch *
kl_setup_runner_get_cluster_watch (KlSetupRunner *self)
{
  g_return_val_if_fail (KL_IS_SETUP_RUNNER (self), NULL);

  return runner_cluster_watch (self);
}

void
kl_setup_runner_set_cluster_watch (KlSetupRunner  *self,
                                   KlClusterWatch *watch)
{
  g_return_if_fail (KL_IS_SETUP_RUNNER (self));
  g_return_if_fail (watch == NULL || KL_IS_CLUSTER_WATCH (watch));

  if (self->cluster_watch == watch)
    return;

  if (self->own_cluster_watch && self->cluster_watch != NULL)
    kl_watch_stop (KL_WATCH (self->cluster_watch));
  g_set_object (&self->cluster_watch, watch);
  self->own_cluster_watch = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLUSTER_WATCH]);
}

void
kl_setup_runner_set_poll_intervals (KlSetupRunner *self,
                                    guint          base_ms,
                                    guint          max_ms)
{
  g_return_if_fail (KL_IS_SETUP_RUNNER (self));
  g_return_if_fail (base_ms >= 1 && max_ms >= base_ms && max_ms <= G_MAXINT32);

  self->base_interval = base_ms;
  self->max_interval = max_ms;
  if (self->own_endpoint_watch && self->endpoint_watch != NULL)
    kl_watch_set_intervals (KL_WATCH (self->endpoint_watch), base_ms, max_ms);
  if (self->own_cluster_watch && self->cluster_watch != NULL)
    kl_watch_set_intervals (KL_WATCH (self->cluster_watch), base_ms, max_ms);
}

GListModel *
kl_setup_runner_get_steps (KlSetupRunner *self)
{
  g_return_val_if_fail (KL_IS_SETUP_RUNNER (self), NULL);

  return G_LIST_MODEL (self->steps);
}

gboolean
kl_setup_runner_get_busy (KlSetupRunner *self)
{
  g_return_val_if_fail (KL_IS_SETUP_RUNNER (self), FALSE);

  return self->busy;
}
