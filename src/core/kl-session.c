/* kl-session.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-session"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-error.h"
#include "kl-session.h"

#define CODE_FLEX_IN_CLUSTER_API "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"

struct _KlSession
{
  GObject             parent_instance;

  KlAtlasClient      *client;
  KlProject          *project;

  KlEncryptionAtRest *ear;
  GPtrArray          *endpoints;
  GPtrArray          *clusters;
  GError             *clusters_error;
  KlPlan             *plan;

  /* Bumped by every refresh and every change of client or project. */
  guint               generation;
};

G_DEFINE_FINAL_TYPE (KlSession, kl_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PROJECT,
  PROP_PLAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  guint               generation;
  guint               pending;
  GError             *error;
  KlEncryptionAtRest *ear;
  GPtrArray          *endpoints;
  GPtrArray          *clusters;
  GPtrArray          *flex_clusters;
  GError             *clusters_error;
} RefreshData;

static void
refresh_data_free (RefreshData *data)
{
  g_clear_error (&data->error);
  g_clear_object (&data->ear);
  g_clear_pointer (&data->endpoints, g_ptr_array_unref);
  g_clear_pointer (&data->clusters, g_ptr_array_unref);
  g_clear_pointer (&data->flex_clusters, g_ptr_array_unref);
  g_clear_error (&data->clusters_error);
  g_free (data);
}

static void
kl_session_forget_state (KlSession *self)
{
  gboolean had_plan = self->plan != NULL;

  self->generation++;
  g_clear_object (&self->ear);
  g_clear_pointer (&self->endpoints, g_ptr_array_unref);
  g_clear_pointer (&self->clusters, g_ptr_array_unref);
  g_clear_error (&self->clusters_error);
  g_clear_object (&self->plan);

  if (had_plan)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
}

static void
kl_session_dispose (GObject *object)
{
  KlSession *self = KL_SESSION (object);

  g_clear_object (&self->client);
  g_clear_object (&self->project);
  g_clear_object (&self->ear);
  g_clear_pointer (&self->endpoints, g_ptr_array_unref);
  g_clear_pointer (&self->clusters, g_ptr_array_unref);
  g_clear_error (&self->clusters_error);
  g_clear_object (&self->plan);

  G_OBJECT_CLASS (kl_session_parent_class)->dispose (object);
}

static void
kl_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KlSession *self = KL_SESSION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_PLAN:
      g_value_set_object (value, self->plan);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KlSession *self = KL_SESSION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      kl_session_set_client (self, g_value_get_object (value));
      break;
    case PROP_PROJECT:
      kl_session_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_session_class_init (KlSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kl_session_dispose;
  object_class->get_property = kl_session_get_property;
  object_class->set_property = kl_session_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         KL_TYPE_ATLAS_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         KL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PLAN] =
    g_param_spec_object ("plan", NULL, NULL,
                         KL_TYPE_PLAN,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kl_session_init (KlSession *self)
{
}

KlSession *
kl_session_new (void)
{
  return g_object_new (KL_TYPE_SESSION, NULL);
}

KlAtlasClient *
kl_session_get_client (KlSession *self)
{
  g_return_val_if_fail (KL_IS_SESSION (self), NULL);

  return self->client;
}

void
kl_session_set_client (KlSession     *self,
                       KlAtlasClient *client)
{
  g_return_if_fail (KL_IS_SESSION (self));
  g_return_if_fail (client == NULL || KL_IS_ATLAS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  kl_session_set_project (self, NULL);
  kl_session_forget_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

KlProject *
kl_session_get_project (KlSession *self)
{
  g_return_val_if_fail (KL_IS_SESSION (self), NULL);

  return self->project;
}

const char *
kl_session_get_group_id (KlSession *self)
{
  g_return_val_if_fail (KL_IS_SESSION (self), NULL);

  return self->project ? kl_project_get_id (self->project) : NULL;
}

void
kl_session_set_project (KlSession *self,
                        KlProject *project)
{
  g_return_if_fail (KL_IS_SESSION (self));
  g_return_if_fail (project == NULL || KL_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;

  kl_session_forget_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

KlEncryptionAtRest *
kl_session_get_encryption_at_rest (KlSession *self)
{
  g_return_val_if_fail (KL_IS_SESSION (self), NULL);

  return self->ear;
}

GPtrArray *
kl_session_get_endpoints (KlSession *self)
{
  g_return_val_if_fail (KL_IS_SESSION (self), NULL);

  return self->endpoints;
}

GPtrArray *
kl_session_get_clusters (KlSession *self)
{
  g_return_val_if_fail (KL_IS_SESSION (self), NULL);

  return self->clusters;
}

const GError *
kl_session_get_clusters_error (KlSession *self)
{
  g_return_val_if_fail (KL_IS_SESSION (self), NULL);

  return self->clusters_error;
}

KlPlan *
kl_session_get_plan (KlSession *self)
{
  g_return_val_if_fail (KL_IS_SESSION (self), NULL);

  return self->plan;
}

/* The dedicated clusters, then the Flex ones that the clusters list did not already hold (it
 * did before January 2026). */
static GPtrArray *
merge_clusters (GPtrArray *clusters,
                GPtrArray *flex_clusters)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (clusters, i);

      g_hash_table_add (names, (gpointer) kl_cluster_get_name (cluster));
      g_ptr_array_add (all, g_object_ref (cluster));
    }
  for (guint i = 0; flex_clusters != NULL && i < flex_clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (flex_clusters, i);

      if (!g_hash_table_contains (names, kl_cluster_get_name (cluster)))
        g_ptr_array_add (all, g_object_ref (cluster));
    }

  return all;
}

static void
refresh_part_done (GTask  *task,
                   GError *error)
{
  KlSession *self = g_task_get_source_object (task);
  RefreshData *data = g_task_get_task_data (task);

  /* Keep the first error; cancellation wins so that it stays silent. */
  if (error != NULL)
    {
      if (data->error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&data->error);
          data->error = g_steal_pointer (&error);
        }
      g_clear_error (&error);
    }

  g_assert (data->pending > 0);
  if (--data->pending > 0)
    return;

  if (data->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->error));
      return;
    }

  if (data->generation == self->generation)
    {
      g_set_object (&self->ear, data->ear);
      g_clear_pointer (&self->endpoints, g_ptr_array_unref);
      self->endpoints = g_ptr_array_ref (data->endpoints);
      g_clear_pointer (&self->clusters, g_ptr_array_unref);
      self->clusters = merge_clusters (data->clusters, data->flex_clusters);
      g_clear_error (&self->clusters_error);
      self->clusters_error = g_steal_pointer (&data->clusters_error);
      g_clear_object (&self->plan);
      self->plan = kl_plan_new (self->ear, self->endpoints, self->clusters);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
    }
  else
    {
      g_debug ("Dropping a refresh that a newer one overtook");
    }

  g_task_return_boolean (task, TRUE);
}

static void
refresh_ear_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->ear = kl_atlas_client_get_encryption_at_rest_finish (KL_ATLAS_CLIENT (object), result, &error);
  refresh_part_done (task, error);
}

static void
refresh_endpoints_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->endpoints = kl_atlas_client_list_private_endpoints_finish (KL_ATLAS_CLIENT (object), result, &error);
  refresh_part_done (task, error);
}

static void
refresh_clusters_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->clusters = kl_atlas_client_list_clusters_finish (KL_ATLAS_CLIENT (object), result, &error);

  /* Seen in real life: the whole list refused because the project holds a Flex cluster. The
   * Flex API still lists that one: go on with what can be read, and say what is missing. */
  if (g_strcmp0 (kl_error_get_atlas_code (error), CODE_FLEX_IN_CLUSTER_API) == 0)
    {
      g_autofree char *name = NULL;
      KlAtlasError *atlas_error = kl_atlas_error_from_gerror (error);
      JsonNode *parameters = kl_atlas_error_get_parameters (atlas_error);

      if (parameters != NULL && JSON_NODE_HOLDS_ARRAY (parameters)
          && json_array_get_length (json_node_get_array (parameters)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (parameters), 0);

          if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING)
            name = g_utf8_make_valid (json_node_get_string (first), -1);
        }
      g_debug ("The clusters list was refused (%s): going on with the Flex clusters only",
               error->message);
      data->clusters = g_ptr_array_new_with_free_func (g_object_unref);
      if (name != NULL)
        data->clusters_error =
          g_error_new (KL_ERROR, KL_ERROR_CONFLICT,
                       _("Atlas refused to list this project’s dedicated clusters because the "
                         "project holds the Flex cluster “%s”. Keylink goes on without them: "
                         "the clusters shown here may be incomplete. Check the project’s "
                         "clusters in the Atlas UI, and reload later."),
                       name);
      else
        data->clusters_error =
          g_error_new_literal (KL_ERROR, KL_ERROR_CONFLICT,
                               _("Atlas refused to list this project’s dedicated clusters "
                                 "because the project holds a Flex cluster. Keylink goes on "
                                 "without them: the clusters shown here may be incomplete. "
                                 "Check the project’s clusters in the Atlas UI, and reload "
                                 "later."));
      g_clear_error (&error);
    }

  refresh_part_done (task, error);
}

static void
refresh_flex_clusters_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->flex_clusters = kl_atlas_client_list_flex_clusters_finish (KL_ATLAS_CLIENT (object),
                                                                   result, &error);

  /* An Atlas without the Flex API (404), or one that refuses it: the Flex clusters are then
   * just missing; they can never use the key anyway. */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Listing the Flex clusters failed, going on without them: %s (HTTP %u, %s)",
               error->message, kl_error_get_http_status (error),
               kl_error_get_atlas_code (error) != NULL ? kl_error_get_atlas_code (error) : "no code");
      g_clear_error (&error);
    }

  refresh_part_done (task, error);
}

void
kl_session_refresh_async (KlSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RefreshData *data;
  const char *group_id;

  g_return_if_fail (KL_IS_SESSION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_session_refresh_async);

  if (self->client == NULL || self->project == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "No client or project to refresh");
      return;
    }

  data = g_new0 (RefreshData, 1);
  data->generation = ++self->generation;
  data->pending = 4;
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);

  group_id = kl_project_get_id (self->project);
  kl_atlas_client_get_encryption_at_rest_async (self->client, group_id, cancellable,
                                                refresh_ear_cb, g_object_ref (task));
  kl_atlas_client_list_private_endpoints_async (self->client, group_id, cancellable,
                                                refresh_endpoints_cb, g_object_ref (task));
  kl_atlas_client_list_clusters_async (self->client, group_id, cancellable,
                                       refresh_clusters_cb, g_object_ref (task));
  kl_atlas_client_list_flex_clusters_async (self->client, group_id, cancellable,
                                            refresh_flex_clusters_cb, g_object_ref (task));
}

gboolean
kl_session_refresh_finish (KlSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (KL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_session_refresh_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
