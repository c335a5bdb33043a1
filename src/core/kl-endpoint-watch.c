/* kl-endpoint-watch.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-endpoint-watch"

#include "config.h"

#include "kl-endpoint-watch.h"
#include "kl-watch-private.h"
#include "kl-enums.h"

struct _KlEndpointWatch
{
  KlWatch              parent_instance;

  KlAtlasClient       *client;
  char                *group_id;
  KlEndpointWatchGoal  goal;
  GListStore          *regions;  /* KlPrivateEndpoint: the newest record of each region */
};

G_DEFINE_FINAL_TYPE (KlEndpointWatch, kl_endpoint_watch, KL_TYPE_WATCH)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_GROUP_ID,
  PROP_GOAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ENDPOINT_ADDED,
  ENDPOINT_REMOVED,
  STATUS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
endpoint_watch_list_async (KlWatch             *watch,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  KlEndpointWatch *self = KL_ENDPOINT_WATCH (watch);

  kl_atlas_client_list_private_endpoints_async (self->client, self->group_id, cancellable,
                                                callback, user_data);
}

static GPtrArray *
endpoint_watch_list_finish (KlWatch       *watch,
                            GAsyncResult  *result,
                            GError       **error)
{
  KlEndpointWatch *self = KL_ENDPOINT_WATCH (watch);

  return kl_atlas_client_list_private_endpoints_finish (self->client, result, error);
}

static const char *
endpoint_watch_get_key (KlWatch  *watch,
                        gpointer  item)
{
  return kl_private_endpoint_get_id (item);
}

static const char *
endpoint_watch_get_state (KlWatch  *watch,
                          gpointer  item)
{
  return kl_private_endpoint_get_status_text (item);
}

static gboolean
endpoint_watch_items_equal (KlWatch  *watch,
                            gpointer  old_item,
                            gpointer  new_item)
{
  KlPrivateEndpoint *a = old_item;
  KlPrivateEndpoint *b = new_item;

  return g_strcmp0 (kl_private_endpoint_get_status_text (a),
                    kl_private_endpoint_get_status_text (b)) == 0 &&
         g_strcmp0 (kl_private_endpoint_get_error_message (a),
                    kl_private_endpoint_get_error_message (b)) == 0 &&
         g_strcmp0 (kl_private_endpoint_get_private_endpoint_connection_name (a),
                    kl_private_endpoint_get_private_endpoint_connection_name (b)) == 0 &&
         g_strcmp0 (kl_private_endpoint_get_region_name (a),
                    kl_private_endpoint_get_region_name (b)) == 0;
}

/* Every record of the current list (transfer container, items referenced). */
static GPtrArray *
dup_records (KlEndpointWatch *self)
{
  GListModel *model = kl_watch_get_model (KL_WATCH (self));
  guint n_items = g_list_model_get_n_items (model);
  GPtrArray *records = g_ptr_array_new_full (n_items, g_object_unref);

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (records, g_list_model_get_item (model, i));

  return records;
}

static gboolean
same_region (KlPrivateEndpoint *a,
             KlPrivateEndpoint *b)
{
  const char *region = kl_private_endpoint_get_region_name (a);

  /* A record without a region stands for itself. */
  if (region == NULL)
    return g_strcmp0 (kl_private_endpoint_get_id (a), kl_private_endpoint_get_id (b)) == 0 &&
           kl_private_endpoint_get_region_name (b) == NULL;
  return g_strcmp0 (region, kl_private_endpoint_get_region_name (b)) == 0;
}

/* Brings the region model in line with the list: a region keeps its position while its newest
 * record changes (replaced in place, also when Atlas replaces a rejected record by a new one),
 * regions that went away are removed, new ones appended. */
static void
sync_regions (KlEndpointWatch *self)
{
  g_autoptr(GPtrArray) records = dup_records (self);
  g_autoptr(GPtrArray) newest = kl_private_endpoints_dup_newest (records);
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->regions));

  for (guint i = n_shown; i-- > 0;)
    {
      g_autoptr(KlPrivateEndpoint) shown = g_list_model_get_item (G_LIST_MODEL (self->regions), i);
      KlPrivateEndpoint *current = NULL;
      guint index = 0;

      for (guint j = 0; j < newest->len; j++)
        if (same_region (g_ptr_array_index (newest, j), shown))
          {
            current = g_ptr_array_index (newest, j);
            index = j;
            break;
          }

      if (current == NULL)
        g_list_store_remove (self->regions, i);
      else
        {
          if (current != shown)
            g_list_store_splice (self->regions, i, 1, (gpointer *) &current, 1);
          g_ptr_array_remove_index (newest, index);
        }
    }

  for (guint j = 0; j < newest->len; j++)
    g_list_store_append (self->regions, g_ptr_array_index (newest, j));
}

static gboolean
endpoint_watch_is_settled (KlWatch *watch)
{
  KlEndpointWatch *self = KL_ENDPOINT_WATCH (watch);
  GListModel *model = kl_watch_get_model (watch);
  guint n_items = g_list_model_get_n_items (model);

  if (self->goal == KL_ENDPOINT_WATCH_GOAL_GONE)
    return n_items == 0;

  /* Each region by its newest record: the old record of a recreated one is not waited for. */
  sync_regions (self);
  model = G_LIST_MODEL (self->regions);
  n_items = g_list_model_get_n_items (model);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (model, i);
      KlEndpointStatus status = kl_private_endpoint_get_status (endpoint);

      if (status != KL_ENDPOINT_STATUS_ACTIVE && status != KL_ENDPOINT_STATUS_FAILED)
        return FALSE;
    }

  return TRUE;
}

static void
endpoint_watch_item_added (KlWatch  *watch,
                           gpointer  item)
{
  sync_regions (KL_ENDPOINT_WATCH (watch));
  g_signal_emit (watch, signals[ENDPOINT_ADDED], 0, item);
}

static void
endpoint_watch_item_removed (KlWatch  *watch,
                             gpointer  item)
{
  sync_regions (KL_ENDPOINT_WATCH (watch));
  g_signal_emit (watch, signals[ENDPOINT_REMOVED], 0, item);
}

static void
endpoint_watch_item_replaced (KlWatch  *watch,
                              gpointer  old_item,
                              gpointer  new_item)
{
  sync_regions (KL_ENDPOINT_WATCH (watch));
}

static void
endpoint_watch_state_changed (KlWatch    *watch,
                              gpointer    item,
                              const char *old_state)
{
  g_signal_emit (watch, signals[STATUS_CHANGED], 0, item,
                 kl_endpoint_status_from_string (old_state));
}

static void
kl_endpoint_watch_finalize (GObject *object)
{
  KlEndpointWatch *self = KL_ENDPOINT_WATCH (object);

  g_clear_object (&self->client);
  g_clear_object (&self->regions);
  g_clear_pointer (&self->group_id, g_free);

  G_OBJECT_CLASS (kl_endpoint_watch_parent_class)->finalize (object);
}

static void
kl_endpoint_watch_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KlEndpointWatch *self = KL_ENDPOINT_WATCH (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_GROUP_ID:
      g_value_set_string (value, self->group_id);
      break;
    case PROP_GOAL:
      g_value_set_enum (value, self->goal);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_endpoint_watch_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KlEndpointWatch *self = KL_ENDPOINT_WATCH (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_GROUP_ID:
      self->group_id = g_value_dup_string (value);
      break;
    case PROP_GOAL:
      kl_endpoint_watch_set_goal (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_endpoint_watch_class_init (KlEndpointWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KlWatchClass *watch_class = KL_WATCH_CLASS (klass);

  object_class->finalize = kl_endpoint_watch_finalize;
  object_class->get_property = kl_endpoint_watch_get_property;
  object_class->set_property = kl_endpoint_watch_set_property;

  watch_class->list_async = endpoint_watch_list_async;
  watch_class->list_finish = endpoint_watch_list_finish;
  watch_class->get_key = endpoint_watch_get_key;
  watch_class->get_state = endpoint_watch_get_state;
  watch_class->items_equal = endpoint_watch_items_equal;
  watch_class->is_settled = endpoint_watch_is_settled;
  watch_class->item_added = endpoint_watch_item_added;
  watch_class->item_removed = endpoint_watch_item_removed;
  watch_class->item_replaced = endpoint_watch_item_replaced;
  watch_class->state_changed = endpoint_watch_state_changed;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, KL_TYPE_ATLAS_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP_ID] =
    g_param_spec_string ("group-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GOAL] =
    g_param_spec_enum ("goal", NULL, NULL, KL_TYPE_ENDPOINT_WATCH_GOAL,
                       KL_ENDPOINT_WATCH_GOAL_SETTLED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ENDPOINT_ADDED] =
    g_signal_new ("endpoint-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KL_TYPE_PRIVATE_ENDPOINT);
  signals[ENDPOINT_REMOVED] =
    g_signal_new ("endpoint-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KL_TYPE_PRIVATE_ENDPOINT);
  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, KL_TYPE_PRIVATE_ENDPOINT,
                  KL_TYPE_ENDPOINT_STATUS);
}

static void
kl_endpoint_watch_init (KlEndpointWatch *self)
{
  self->goal = KL_ENDPOINT_WATCH_GOAL_SETTLED;
  self->regions = g_list_store_new (KL_TYPE_PRIVATE_ENDPOINT);
}

KlEndpointWatch *
kl_endpoint_watch_new (KlAtlasClient *client,
                       const char    *group_id)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (client), NULL);
  g_return_val_if_fail (group_id != NULL, NULL);

  return g_object_new (KL_TYPE_ENDPOINT_WATCH,
                       "item-type", KL_TYPE_PRIVATE_ENDPOINT,
                       "client", client,
                       "group-id", group_id,
                       NULL);
}

KlAtlasClient *
kl_endpoint_watch_get_client (KlEndpointWatch *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_WATCH (self), NULL);

  return self->client;
}

const char *
kl_endpoint_watch_get_group_id (KlEndpointWatch *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_WATCH (self), NULL);

  return self->group_id;
}

KlEndpointWatchGoal
kl_endpoint_watch_get_goal (KlEndpointWatch *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_WATCH (self), KL_ENDPOINT_WATCH_GOAL_SETTLED);

  return self->goal;
}

void
kl_endpoint_watch_set_goal (KlEndpointWatch     *self,
                            KlEndpointWatchGoal  goal)
{
  g_return_if_fail (KL_IS_ENDPOINT_WATCH (self));

  if (self->goal == goal)
    return;

  self->goal = goal;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GOAL]);
}

KL_WATCH_DEFINE_FORWARDERS (KlEndpointWatch, kl_endpoint_watch, KL_IS_ENDPOINT_WATCH)

KlPrivateEndpoint *
kl_endpoint_watch_lookup (KlEndpointWatch *self,
                          const char      *endpoint_id)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_WATCH (self), NULL);
  g_return_val_if_fail (endpoint_id != NULL, NULL);

  return kl_watch_lookup (KL_WATCH (self), endpoint_id);
}

GListModel *
kl_endpoint_watch_get_region_model (KlEndpointWatch *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_WATCH (self), NULL);

  return G_LIST_MODEL (self->regions);
}

KlPrivateEndpoint *
kl_endpoint_watch_lookup_region (KlEndpointWatch *self,
                                 const char      *region_name)
{
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (KL_IS_ENDPOINT_WATCH (self), NULL);
  g_return_val_if_fail (region_name != NULL, NULL);

  /* The model keeps its own reference: returning transfer none is safe. */
  records = dup_records (self);
  return kl_private_endpoints_find_newest (records, region_name);
}

KlPrivateEndpoint *
kl_endpoint_watch_lookup_superseded (KlEndpointWatch   *self,
                                     KlPrivateEndpoint *endpoint)
{
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (KL_IS_ENDPOINT_WATCH (self), NULL);
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (endpoint), NULL);

  records = dup_records (self);
  return kl_private_endpoints_find_superseded (records, endpoint);
}

gint64
kl_endpoint_watch_get_status_since (KlEndpointWatch *self,
                                    const char      *endpoint_id)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_WATCH (self), 0);

  return kl_watch_get_state_since (KL_WATCH (self), endpoint_id);
}

GDateTime *
kl_endpoint_watch_dup_status_since_date (KlEndpointWatch *self,
                                         const char      *endpoint_id)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_WATCH (self), NULL);

  return kl_watch_dup_state_since_date (KL_WATCH (self), endpoint_id);
}
