/* kl-setup-runner-clusters.c
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

/* The setup runner's cluster operations: setting one cluster's provider (waiting out an
 * update in progress), and enabling the key on a list of clusters. */

static gboolean
cluster_is_idle (KlCluster *cluster)
{
  const char *state = kl_cluster_get_state_name (cluster);

  return state == NULL || g_strcmp0 (state, "IDLE") == 0;
}

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
      kl_setup_block_wait (g_steal_pointer (&task), cluster_left_updating);
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

  kl_setup_block_set_state (provider, KL_STEP_STATE_RUNNING);
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

  kl_setup_block_start (watch, cluster_name, provider_name, step, provider_send, cancellable,
                        callback, user_data, kl_setup_set_cluster_provider_async);
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
      kl_setup_step_failed (item->step, error);
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

  kl_setup_operation_item_done (item->task);
}

static void
enable_follow (KlSetupRunner *self,
               Item          *item)
{
  kl_step_set_state (item->step, KL_STEP_STATE_RUNNING);
  kl_watch_wait_async (KL_WATCH (kl_setup_runner_cluster_watch (self)), cluster_on_key,
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
      kl_setup_step_failed (item->step, error);
      kl_setup_operation_item_done (item->task);
      kl_setup_item_free (item);
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

  task = kl_setup_operation_begin (self, kl_setup_runner_enable_clusters_async, steps, cancellable,
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
      Item *item = kl_setup_item_new (task, step);

      if (g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster), "AZURE") == 0)
        {
          g_ptr_array_add (operation->to_follow, item);
          continue;
        }

      operation->patching++;
      kl_setup_set_cluster_provider_async (kl_setup_runner_cluster_watch (self),
                                           kl_cluster_get_name (cluster), "AZURE", step,
                                           cancellable, enable_patched_cb, item);
    }
  if (operation->patching == 0)
    enable_follow_all (self, task);

  kl_setup_operation_item_done (task);
  g_object_unref (task);
}

gboolean
kl_setup_runner_enable_clusters_finish (KlSetupRunner  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return kl_setup_operation_finish (self, result, kl_setup_runner_enable_clusters_async, error);
}

