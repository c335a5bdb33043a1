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
#include "kl-setup-runner-private.h"

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

/* ------------------------------------------------------------------------------------------ */
/* Building blocks: one call, sent again once the object it was refused for is no longer busy  */

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
void
kl_setup_block_start (gpointer             watch,
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

void
kl_setup_block_set_state (BlockData   *block,
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
void
kl_setup_block_wait (GTask            *task,
                     KlWatchCondition  condition)
{
  BlockData *block = g_task_get_task_data (task);
  /* (Not in the call: argument evaluation order is unspecified.) */
  GCancellable *cancellable = g_task_get_cancellable (task);

  kl_setup_block_set_state (block, KL_STEP_STATE_WAITING);
  kl_watch_wait_async (block->watch, condition, g_strdup (block->key), g_free, cancellable,
                       block_waited_cb, task);
}

/* DELETE an endpoint, waiting out INITIATING. */

/* ------------------------------------------------------------------------------------------ */
/* Operations                                                                                  */

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

Item *
kl_setup_item_new (GTask  *task,
                   KlStep *step)
{
  Item *item = g_new0 (Item, 1);
  Operation *operation = g_task_get_task_data (task);

  operation->outstanding++;
  item->task = g_object_ref (task);
  item->step = g_object_ref (step);
  return item;
}

void
kl_setup_item_free (Item *item)
{
  g_object_unref (item->task);
  g_object_unref (item->step);
  g_free (item);
}

KlEndpointWatch *
kl_setup_runner_endpoint_watch (KlSetupRunner *self)
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

KlClusterWatch *
kl_setup_runner_cluster_watch (KlSetupRunner *self)
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

void
kl_setup_operation_item_done (GTask *task)
{
  Operation *operation = g_task_get_task_data (task);

  g_assert (operation->outstanding > 0);
  if (--operation->outstanding == 0)
    operation_complete (g_object_ref (task));
}

/* Ends @step with @error, unless the operation was cancelled (the step then goes back to
 * PENDING when the operation completes). */
void
kl_setup_step_failed (KlStep       *step,
                      const GError *error)
{
  if (!is_cancelled (error))
    kl_step_fail (step, error);
}

/* Returns a new task, or NULL after reporting that another operation is running. */
GTask *
kl_setup_operation_begin (KlSetupRunner       *self,
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
  operation->outstanding = 1;  /* released by kl_setup_operation_item_done() once all are started */
  g_task_set_task_data (task, operation, operation_free);

  g_list_store_splice (self->steps, 0, g_list_model_get_n_items (G_LIST_MODEL (self->steps)),
                       steps->pdata, steps->len);
  runner_set_busy (self, TRUE);

  return task;
}

gboolean
kl_setup_operation_finish (KlSetupRunner  *self,
                           GAsyncResult   *result,
                           gpointer        source_tag,
                           GError        **error)
{
  g_return_val_if_fail (KL_IS_SETUP_RUNNER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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

  return kl_setup_runner_endpoint_watch (self);
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

  return kl_setup_runner_cluster_watch (self);
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
