/* kl-setup-runner-endpoints.c
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

/* The setup runner's endpoint operations: deleting one (waiting out INITIATING), creating
 * those of a list of regions, and retrying a failed one. */

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
      kl_setup_block_wait (g_steal_pointer (&task), endpoint_left_initiating);
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

  kl_setup_block_set_state (delete, KL_STEP_STATE_RUNNING);
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

  kl_setup_block_start (watch, endpoint_id, NULL, step, delete_send, cancellable, callback,
                        user_data, kl_setup_delete_endpoint_async);
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
      kl_setup_step_failed (item->step, error);
    }
  else
    {
      kl_step_set_object (item->step, endpoint);
      kl_step_set_state (item->step, KL_STEP_STATE_DONE);
      operation->created = TRUE;
    }

  kl_setup_operation_item_done (item->task);
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
        kl_setup_step_failed (g_ptr_array_index (operation->steps, i), error);
      kl_setup_operation_item_done (task);
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
                                                            kl_setup_item_new (task, step));
    }

  kl_setup_operation_item_done (task);
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

  task = kl_setup_operation_begin (self, kl_setup_runner_create_endpoints_async, steps, cancellable,
                                   callback, user_data);
  if (task == NULL)
    return;

  if (steps->len == 0)
    {
      kl_setup_operation_item_done (task);
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
  return kl_setup_operation_finish (self, result, kl_setup_runner_create_endpoints_async, error);
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
      kl_setup_step_failed (item->step, error);
    }
  else
    {
      g_set_object (&operation->endpoint, endpoint);
      kl_step_set_object (item->step, endpoint);
      kl_step_set_state (item->step, KL_STEP_STATE_DONE);
      kl_endpoint_watch_poke (kl_setup_runner_endpoint_watch (self));
    }

  kl_setup_operation_item_done (item->task);
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
      kl_setup_step_failed (item->step, error);
      kl_setup_operation_item_done (item->task);
      kl_setup_item_free (item);
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
      kl_setup_step_failed (item->step, error);
      kl_setup_operation_item_done (item->task);
      kl_setup_item_free (item);
      return;
    }

  kl_step_set_state (item->step, KL_STEP_STATE_RUNNING);
  kl_watch_wait_async (KL_WATCH (kl_setup_runner_endpoint_watch (self)), endpoint_gone,
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

  task = kl_setup_operation_begin (self, kl_setup_runner_retry_endpoint_async, steps, cancellable,
                                   callback, user_data);
  if (task == NULL)
    return;

  operation = g_task_get_task_data (task);
  operation->old_id = g_strdup (kl_private_endpoint_get_id (endpoint));
  kl_setup_delete_endpoint_async (kl_setup_runner_endpoint_watch (self), operation->old_id, step,
                                  cancellable, retry_deleted_cb, kl_setup_item_new (task, step));

  kl_setup_operation_item_done (task);
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

