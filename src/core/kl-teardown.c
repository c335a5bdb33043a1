/* kl-teardown.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-teardown"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-error.h"
#include "kl-setup-runner.h"
#include "kl-teardown.h"

struct _KlTeardown
{
  GObject          parent_instance;

  KlAtlasClient   *client;
  char            *group_id;
  KlTeardownKind   kind;

  GListStore      *steps;
  KlPlan          *plan;
  GError          *error;
  gboolean         running;
  int              current_step;

  KlEndpointWatch *endpoint_watch;
  KlClusterWatch  *cluster_watch;
  guint            base_interval;
  guint            max_interval;
};

G_DEFINE_FINAL_TYPE (KlTeardown, kl_teardown, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_GROUP_ID,
  PROP_KIND,
  PROP_STEPS,
  PROP_RUNNING,
  PROP_CURRENT_STEP,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  STEP_STARTED,
  STEP_FINISHED,
  STEP_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  gboolean            execute;      /* run, not only prepare */
  KlEncryptionAtRest *ear;
  GPtrArray          *endpoints;
  GPtrArray          *clusters;
  GError             *read_error;
  guint               reads;        /* state reads in flight */
  guint               index;        /* first step not done */
  guint               group_end;    /* end of the steps running together */
  guint               group_left;   /* of them, still running (plus one while starting) */
} Run;

typedef struct
{
  GTask *task;
  guint  index;
} GroupItem;

static void
run_free (gpointer data)
{
  Run *run = data;

  g_clear_object (&run->ear);
  g_clear_pointer (&run->endpoints, g_ptr_array_unref);
  g_clear_pointer (&run->clusters, g_ptr_array_unref);
  g_clear_error (&run->read_error);
  g_free (run);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
task_is_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static KlStep *
teardown_step (KlTeardown *self,
               guint       index)
{
  g_autoptr(KlStep) step = g_list_model_get_item (G_LIST_MODEL (self->steps), index);

  g_assert (step != NULL);
  /* The store keeps its own reference. */
  return step;
}

static guint
teardown_n_steps (KlTeardown *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->steps));
}

static void
set_running (KlTeardown *self,
             gboolean    running)
{
  if (self->running == running)
    return;

  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
set_current_step (KlTeardown *self,
                  int         index)
{
  if (self->current_step == index)
    return;

  self->current_step = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_STEP]);
}

static void
set_error (KlTeardown   *self,
           const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static KlEndpointWatch *
teardown_endpoint_watch (KlTeardown *self)
{
  if (self->endpoint_watch == NULL)
    {
      self->endpoint_watch = kl_endpoint_watch_new (self->client, self->group_id);
      kl_endpoint_watch_set_goal (self->endpoint_watch, KL_ENDPOINT_WATCH_GOAL_GONE);
      if (self->base_interval > 0)
        kl_watch_set_intervals (KL_WATCH (self->endpoint_watch), self->base_interval,
                                self->max_interval);
    }

  return self->endpoint_watch;
}

static KlClusterWatch *
teardown_cluster_watch (KlTeardown *self)
{
  if (self->cluster_watch == NULL)
    {
      self->cluster_watch = kl_cluster_watch_new (self->client, self->group_id);
      if (self->base_interval > 0)
        kl_watch_set_intervals (KL_WATCH (self->cluster_watch), self->base_interval,
                                self->max_interval);
    }

  return self->cluster_watch;
}

/* ------------------------------------------------------------------------------------------ */
/* Ending a run                                                                                */

/* Each takes the reference on @task. */

static void
run_succeeded (GTask *task_ref)
{
  g_autoptr(GTask) task = task_ref;
  KlTeardown *self = g_task_get_source_object (task);

  set_current_step (self, -1);
  set_running (self, FALSE);
  g_task_return_boolean (task, TRUE);
}

static void
run_cancelled (GTask *task_ref)
{
  g_autoptr(GTask) task = task_ref;
  KlTeardown *self = g_task_get_source_object (task);
  guint n_steps = teardown_n_steps (self);

  g_debug ("Teardown of %s cancelled", self->group_id);
  for (guint i = 0; i < n_steps; i++)
    {
      KlStep *step = teardown_step (self, i);

      if (!kl_step_is_finished (step))
        kl_step_set_state (step, KL_STEP_STATE_PENDING);
    }

  set_current_step (self, -1);
  set_running (self, FALSE);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
}

static void
run_failed (GTask        *task_ref,
            const GError *error)
{
  g_autoptr(GTask) task = task_ref;
  KlTeardown *self = g_task_get_source_object (task);

  if (is_cancelled (error) || task_is_cancelled (task))
    {
      run_cancelled (g_steal_pointer (&task));
      return;
    }

  g_debug ("Teardown of %s stopped: %s", self->group_id, error->message);
  set_error (self, error);
  set_current_step (self, -1);
  set_running (self, FALSE);
  g_task_return_error (task, g_error_copy (error));
}

/* ------------------------------------------------------------------------------------------ */
/* Steps                                                                                       */

static void
step_begin (KlTeardown *self,
            guint       index)
{
  KlStep *step = teardown_step (self, index);

  g_debug ("Teardown step %u: %s", index, kl_step_get_title (step));
  set_current_step (self, (int) index);
  kl_step_set_state (step, KL_STEP_STATE_RUNNING);
  g_signal_emit (self, signals[STEP_STARTED], 0, index);
}

static void
step_done (KlTeardown *self,
           guint       index)
{
  kl_step_set_state (teardown_step (self, index), KL_STEP_STATE_DONE);
  g_signal_emit (self, signals[STEP_FINISHED], 0, index);
}

/* Cancellation is no failure: the step is set back to PENDING when the run ends. */
static void
step_fail (KlTeardown   *self,
           guint         index,
           const GError *error)
{
  GError *copy;

  if (is_cancelled (error))
    return;

  kl_step_fail (teardown_step (self, index), error);
  copy = g_error_copy (error);
  g_signal_emit (self, signals[STEP_FAILED], 0, index, copy);
  g_error_free (copy);
}

static void run_next (GTask *task);

static void
group_item_done (GTask *task)
{
  KlTeardown *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_assert (run->group_left > 0);
  if (--run->group_left > 0)
    return;

  if (task_is_cancelled (task))
    {
      run_cancelled (g_object_ref (task));
      return;
    }

  for (guint i = run->index; i < run->group_end; i++)
    {
      KlStep *step = teardown_step (self, i);

      if (kl_step_get_state (step) == KL_STEP_STATE_FAILED)
        {
          run_failed (g_object_ref (task), kl_step_get_error (step));
          return;
        }
    }

  run->index = run->group_end;
  run_next (g_object_ref (task));
}

static GroupItem *
group_item_new (GTask *task,
                guint  index)
{
  GroupItem *item = g_new0 (GroupItem, 1);
  Run *run = g_task_get_task_data (task);

  run->group_left++;
  item->task = g_object_ref (task);
  item->index = index;
  return item;
}

static void
group_item_free (GroupItem *item)
{
  g_object_unref (item->task);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GroupItem, group_item_free)

static void
endpoint_deleted_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GroupItem) item = user_data;
  KlTeardown *self = g_task_get_source_object (item->task);
  g_autoptr(GError) error = NULL;

  if (kl_setup_delete_endpoint_finish (result, &error))
    step_done (self, item->index);
  else
    step_fail (self, item->index, error);

  group_item_done (item->task);
}

static void
cluster_patched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GroupItem) item = user_data;
  KlTeardown *self = g_task_get_source_object (item->task);
  g_autoptr(KlCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;

  cluster = kl_setup_set_cluster_provider_finish (result, &error);
  if (cluster != NULL)
    {
      kl_step_set_object (teardown_step (self, item->index), cluster);
      step_done (self, item->index);
    }
  else
    {
      step_fail (self, item->index, error);
    }

  group_item_done (item->task);
}

/* Takes the reference on @task. Runs the steps from run->index of one kind together. */
static void
run_group (GTask *task)
{
  KlTeardown *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  KlStepKind kind = kl_step_get_kind (teardown_step (self, run->index));
  guint n_steps = teardown_n_steps (self);

  run->group_end = run->index;
  while (run->group_end < n_steps &&
         kl_step_get_kind (teardown_step (self, run->group_end)) == kind)
    run->group_end++;

  run->group_left = 1;  /* released below, once all are started */
  for (guint i = run->index; i < run->group_end; i++)
    {
      KlStep *step = teardown_step (self, i);

      step_begin (self, i);
      if (task_is_cancelled (task))
        break;

      if (kind == KL_STEP_DELETE_ENDPOINT)
        kl_setup_delete_endpoint_async (teardown_endpoint_watch (self), kl_step_get_target (step),
                                        step, g_task_get_cancellable (task),
                                        endpoint_deleted_cb, group_item_new (task, i));
      else
        kl_setup_set_cluster_provider_async (teardown_cluster_watch (self),
                                             kl_step_get_target (step), "NONE", step,
                                             g_task_get_cancellable (task),
                                             cluster_patched_cb, group_item_new (task, i));
    }

  group_item_done (task);
  g_object_unref (task);
}

static gboolean
endpoints_gone (KlWatch  *watch,
                gpointer  user_data)
{
  return g_list_model_get_n_items (kl_watch_get_model (watch)) == 0;
}

static gboolean
clusters_idle_off_key (KlWatch  *watch,
                       gpointer  user_data)
{
  GListModel *model = kl_watch_get_model (watch);
  guint n_items = g_list_model_get_n_items (model);

  /* The clusters just PATCHed may answer IDLE before their update shows: not idle until
   * their updates are over (KlClusterWatch). */
  if (kl_cluster_watch_has_pending_updates (KL_CLUSTER_WATCH (watch)))
    return FALSE;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KlCluster) cluster = g_list_model_get_item (model, i);
      const char *state = kl_cluster_get_state_name (cluster);

      if ((state != NULL && g_strcmp0 (state, "IDLE") != 0) ||
          g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster), "AZURE") == 0)
        return FALSE;
    }

  return TRUE;
}

static void
single_step_done (GTask        *task,
                  const GError *error)
{
  KlTeardown *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (error != NULL)
    {
      step_fail (self, run->index, error);
      run_failed (task, error);
      return;
    }

  if (task_is_cancelled (task))
    {
      run_cancelled (task);
      return;
    }

  step_done (self, run->index);
  run->index++;
  run_next (task);
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  kl_watch_wait_finish (KL_WATCH (source), result, &error);
  single_step_done (task, error);
}

static void
patched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;

  ear = kl_atlas_client_patch_encryption_at_rest_finish (KL_ATLAS_CLIENT (source), result,
                                                         &error);
  single_step_done (task, error);
}

/* Takes the reference on @task. */
static void
run_next (GTask *task)
{
  KlTeardown *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  KlStep *step;

  if (task_is_cancelled (task))
    {
      run_cancelled (task);
      return;
    }

  if (run->index >= teardown_n_steps (self))
    {
      g_debug ("Teardown of %s done", self->group_id);
      run_succeeded (task);
      return;
    }

  step = teardown_step (self, run->index);
  switch (kl_step_get_kind (step))
    {
    case KL_STEP_DELETE_ENDPOINT:
    case KL_STEP_CLUSTER_PROVIDER_NONE:
      run_group (task);
      return;

    case KL_STEP_WAIT_ENDPOINTS_GONE:
      step_begin (self, run->index);
      kl_watch_wait_async (KL_WATCH (teardown_endpoint_watch (self)), endpoints_gone, NULL, NULL,
                           g_task_get_cancellable (task), waited_cb, task);
      return;

    case KL_STEP_WAIT_CLUSTERS_IDLE:
      step_begin (self, run->index);
      kl_watch_wait_async (KL_WATCH (teardown_cluster_watch (self)), clusters_idle_off_key, NULL,
                           NULL, g_task_get_cancellable (task), waited_cb, task);
      return;

    case KL_STEP_DISABLE_PRIVATE_NETWORKING:
    case KL_STEP_DISABLE_CMK:
      step_begin (self, run->index);
      body = kl_step_get_kind (step) == KL_STEP_DISABLE_CMK
               ? kl_encryption_at_rest_build_disable ()
               : kl_encryption_at_rest_build_private_networking (FALSE);
      kl_atlas_client_patch_encryption_at_rest_async (self->client, self->group_id, body,
                                                      g_task_get_cancellable (task), patched_cb,
                                                      task);
      return;

    case KL_STEP_CREATE_ENDPOINT:
    case KL_STEP_RETRY_ENDPOINT:
    case KL_STEP_ENABLE_CLUSTER:
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the state                                                                           */

static void
state_read (GTask *task)
{
  KlTeardown *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) plan_steps = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  if (run->read_error != NULL)
    {
      if (run->execute)
        {
          run_failed (task, run->read_error);
        }
      else
        {
          set_running (self, FALSE);
          g_task_return_error (task, g_steal_pointer (&run->read_error));
          g_object_unref (task);
        }
      return;
    }

  g_clear_object (&self->plan);
  self->plan = kl_plan_new (run->ear, run->endpoints, run->clusters);
  plan_steps = kl_plan_dup_teardown_steps (self->plan, self->kind);
  steps = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < plan_steps->len; i++)
    g_ptr_array_add (steps, kl_step_new_from_plan (g_ptr_array_index (plan_steps, i)));

  g_debug ("Teardown of %s: %u steps left", self->group_id, steps->len);
  g_list_store_splice (self->steps, 0, teardown_n_steps (self), steps->pdata, steps->len);

  if (!run->execute)
    {
      set_running (self, FALSE);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  run->index = 0;
  run_next (task);
}

static void
read_done (GTask  *task,
           GError *error)
{
  Run *run = g_task_get_task_data (task);

  if (error != NULL && run->read_error == NULL)
    run->read_error = error;
  else
    g_clear_error (&error);

  g_assert (run->reads > 0);
  if (--run->reads == 0)
    state_read (task);
  else
    g_object_unref (task);
}

static void
read_ear_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->ear = kl_atlas_client_get_encryption_at_rest_finish (KL_ATLAS_CLIENT (source), result,
                                                            &error);
  read_done (task, error);
}

static void
read_endpoints_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->endpoints = kl_atlas_client_list_private_endpoints_finish (KL_ATLAS_CLIENT (source),
                                                                  result, &error);
  read_done (task, error);
}

static void
read_clusters_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->clusters = kl_atlas_client_list_clusters_finish (KL_ATLAS_CLIENT (source), result,
                                                        &error);
  read_done (task, error);
}

static void
teardown_start (KlTeardown          *self,
                gboolean             execute,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task;
  Run *run;

  if (self->running)
    {
      g_task_report_new_error (self, callback, user_data, source_tag, KL_ERROR, KL_ERROR_FAILED,
                               _("This project is already being changed. Wait until it is "
                                 "done, then try again."));
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  run = g_new0 (Run, 1);
  run->execute = execute;
  g_task_set_task_data (task, run, run_free);

  if (execute)
    set_error (self, NULL);
  set_running (self, TRUE);

  /* The server is the source of truth: always start from what it says now. */
  run->reads = 2;
  kl_atlas_client_get_encryption_at_rest_async (self->client, self->group_id, cancellable,
                                                read_ear_cb, g_object_ref (task));
  kl_atlas_client_list_private_endpoints_async (self->client, self->group_id, cancellable,
                                                read_endpoints_cb, g_object_ref (task));
  if (self->kind == KL_TEARDOWN_CMK)
    {
      run->reads++;
      kl_atlas_client_list_clusters_async (self->client, self->group_id, cancellable,
                                           read_clusters_cb, g_object_ref (task));
    }

  g_object_unref (task);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */

static void
kl_teardown_dispose (GObject *object)
{
  KlTeardown *self = KL_TEARDOWN (object);

  if (self->endpoint_watch != NULL)
    kl_watch_stop (KL_WATCH (self->endpoint_watch));
  if (self->cluster_watch != NULL)
    kl_watch_stop (KL_WATCH (self->cluster_watch));
  g_clear_object (&self->endpoint_watch);
  g_clear_object (&self->cluster_watch);

  G_OBJECT_CLASS (kl_teardown_parent_class)->dispose (object);
}

static void
kl_teardown_finalize (GObject *object)
{
  KlTeardown *self = KL_TEARDOWN (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->group_id, g_free);
  g_clear_object (&self->steps);
  g_clear_object (&self->plan);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (kl_teardown_parent_class)->finalize (object);
}

static void
kl_teardown_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KlTeardown *self = KL_TEARDOWN (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_GROUP_ID:
      g_value_set_string (value, self->group_id);
      break;
    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;
    case PROP_STEPS:
      g_value_set_object (value, self->steps);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_CURRENT_STEP:
      g_value_set_int (value, self->current_step);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_teardown_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KlTeardown *self = KL_TEARDOWN (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_GROUP_ID:
      self->group_id = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_teardown_class_init (KlTeardownClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kl_teardown_dispose;
  object_class->finalize = kl_teardown_finalize;
  object_class->get_property = kl_teardown_get_property;
  object_class->set_property = kl_teardown_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, KL_TYPE_ATLAS_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP_ID] =
    g_param_spec_string ("group-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL, KL_TEARDOWN_PRIVATE_NETWORKING, KL_TEARDOWN_CMK,
                       KL_TEARDOWN_PRIVATE_NETWORKING,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEPS] =
    g_param_spec_object ("steps", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_STEP] =
    g_param_spec_int ("current-step", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[STEP_STARTED] =
    g_signal_new ("step-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[STEP_FINISHED] =
    g_signal_new ("step-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[STEP_FAILED] =
    g_signal_new ("step-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_ERROR);
}

static void
kl_teardown_init (KlTeardown *self)
{
  self->steps = g_list_store_new (KL_TYPE_STEP);
  self->current_step = -1;
}

KlTeardown *
kl_teardown_new (KlAtlasClient  *client,
                 const char     *group_id,
                 KlTeardownKind  kind)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (client), NULL);
  g_return_val_if_fail (group_id != NULL, NULL);
  g_return_val_if_fail (kind == KL_TEARDOWN_PRIVATE_NETWORKING || kind == KL_TEARDOWN_CMK, NULL);

  return g_object_new (KL_TYPE_TEARDOWN,
                       "client", client,
                       "group-id", group_id,
                       "kind", (guint) kind,
                       NULL);
}

KlAtlasClient *
kl_teardown_get_client (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), NULL);

  return self->client;
}

const char *
kl_teardown_get_group_id (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), NULL);

  return self->group_id;
}

KlTeardownKind
kl_teardown_get_kind (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), KL_TEARDOWN_PRIVATE_NETWORKING);

  return self->kind;
}

GListModel *
kl_teardown_get_steps (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), NULL);

  return G_LIST_MODEL (self->steps);
}

gboolean
kl_teardown_get_running (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), FALSE);

  return self->running;
}

int
kl_teardown_get_current_step (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), -1);

  return self->current_step;
}

const GError *
kl_teardown_get_error (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), NULL);

  return self->error;
}

KlPlan *
kl_teardown_get_plan (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), NULL);

  return self->plan;
}

KlEndpointWatch *
kl_teardown_get_endpoint_watch (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), NULL);

  return teardown_endpoint_watch (self);
}

KlClusterWatch *
kl_teardown_get_cluster_watch (KlTeardown *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), NULL);

  return teardown_cluster_watch (self);
}

void
kl_teardown_set_poll_intervals (KlTeardown *self,
                                guint       base_ms,
                                guint       max_ms)
{
  g_return_if_fail (KL_IS_TEARDOWN (self));
  g_return_if_fail (base_ms >= 1 && max_ms >= base_ms && max_ms <= G_MAXINT32);

  self->base_interval = base_ms;
  self->max_interval = max_ms;
  if (self->endpoint_watch != NULL)
    kl_watch_set_intervals (KL_WATCH (self->endpoint_watch), base_ms, max_ms);
  if (self->cluster_watch != NULL)
    kl_watch_set_intervals (KL_WATCH (self->cluster_watch), base_ms, max_ms);
}

void
kl_teardown_prepare_async (KlTeardown          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (KL_IS_TEARDOWN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  teardown_start (self, FALSE, kl_teardown_prepare_async, cancellable, callback, user_data);
}

gboolean
kl_teardown_prepare_finish (KlTeardown    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_teardown_prepare_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kl_teardown_run_async (KlTeardown          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (KL_IS_TEARDOWN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  teardown_start (self, TRUE, kl_teardown_run_async, cancellable, callback, user_data);
}

gboolean
kl_teardown_run_finish (KlTeardown    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (KL_IS_TEARDOWN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_teardown_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
