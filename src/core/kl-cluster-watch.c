/* kl-cluster-watch.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-cluster-watch"

#include "config.h"

#include "kl-cluster-watch.h"
#include "kl-watch-private.h"

struct _KlClusterWatch
{
  KlWatch        parent_instance;

  KlAtlasClient *client;
  char          *group_id;
  GHashTable    *expected;   /* cluster name → Expectation */
  guint          settle_ms;  /* 0: KL_CLUSTER_WATCH_SETTLE_INTERVALS base intervals */
};

/* A cluster PATCHed to @provider, followed until the update is over. */
typedef struct
{
  char     *provider;
  gint64    patched_at;     /* g_get_monotonic_time () */
  gboolean  seen_updating;  /* a state other than IDLE was seen since the PATCH */
  guint     idle_polls;     /* consecutive polls since then that showed IDLE with @provider */
} Expectation;

static void
expectation_free (gpointer data)
{
  Expectation *expectation = data;

  g_free (expectation->provider);
  g_free (expectation);
}

G_DEFINE_FINAL_TYPE (KlClusterWatch, kl_cluster_watch, KL_TYPE_WATCH)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_GROUP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CLUSTER_ADDED,
  CLUSTER_REMOVED,
  PROVIDER_CHANGED,
  STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
cluster_is_idle (KlCluster *cluster)
{
  const char *state = kl_cluster_get_state_name (cluster);

  return state == NULL || g_strcmp0 (state, "IDLE") == 0;
}

static void
cluster_watch_list_async (KlWatch             *watch,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  KlClusterWatch *self = KL_CLUSTER_WATCH (watch);

  kl_atlas_client_list_clusters_async (self->client, self->group_id, cancellable, callback,
                                       user_data);
}

static GPtrArray *
cluster_watch_list_finish (KlWatch       *watch,
                           GAsyncResult  *result,
                           GError       **error)
{
  KlClusterWatch *self = KL_CLUSTER_WATCH (watch);

  return kl_atlas_client_list_clusters_finish (self->client, result, error);
}

static const char *
cluster_watch_get_key (KlWatch  *watch,
                       gpointer  item)
{
  return kl_cluster_get_name (item);
}

static const char *
cluster_watch_get_state (KlWatch  *watch,
                         gpointer  item)
{
  return kl_cluster_get_state_name (item);
}

static gboolean
cluster_watch_items_equal (KlWatch  *watch,
                           gpointer  old_item,
                           gpointer  new_item)
{
  KlCluster *a = old_item;
  KlCluster *b = new_item;

  return g_strcmp0 (kl_cluster_get_state_name (a), kl_cluster_get_state_name (b)) == 0 &&
         g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (a),
                    kl_cluster_get_encryption_at_rest_provider (b)) == 0 &&
         kl_cluster_get_paused (a) == kl_cluster_get_paused (b) &&
         g_strcmp0 (kl_cluster_get_instance_size (a), kl_cluster_get_instance_size (b)) == 0 &&
         kl_cluster_is_multi_cloud (a) == kl_cluster_is_multi_cloud (b);
}

static gint64
settle_us (KlClusterWatch *self)
{
  guint ms = self->settle_ms;

  if (ms == 0)
    ms = KL_CLUSTER_WATCH_SETTLE_INTERVALS * kl_watch_get_base_interval (KL_WATCH (self));
  return (gint64) ms * 1000;
}

/* After every successful poll, before the waits look at the model: Atlas can answer IDLE for
 * a while after a PATCH before the update shows as UPDATING, so an update is over only once
 * it was seen in another state and the cluster is IDLE with the new provider again, or, for
 * an update that never showed (too short to be seen between two polls), once the settle time
 * has passed since the PATCH and two polls in a row showed it IDLE with the new provider. A
 * cluster that left the list is not waited for. */
static void
cluster_watch_track_updates (KlClusterWatch *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      KlCluster *cluster = kl_watch_lookup (KL_WATCH (self), key);
      Expectation *expectation = value;

      if (cluster == NULL)
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }

      if (!cluster_is_idle (cluster))
        {
          expectation->seen_updating = TRUE;
          expectation->idle_polls = 0;
          continue;
        }

      if (g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster),
                     expectation->provider) != 0)
        {
          expectation->idle_polls = 0;
          continue;
        }

      expectation->idle_polls++;
      if (expectation->seen_updating ||
          (expectation->idle_polls >= 2 && now - expectation->patched_at >= settle_us (self)))
        {
          g_debug ("Cluster %s: update over (%s)", (const char *) key,
                   expectation->seen_updating ? "seen updating" : "settle time passed");
          g_hash_table_iter_remove (&iter);
        }
    }
}

static gboolean
cluster_watch_is_settled (KlWatch *watch)
{
  KlClusterWatch *self = KL_CLUSTER_WATCH (watch);
  GListModel *model = kl_watch_get_model (watch);
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KlCluster) cluster = g_list_model_get_item (model, i);

      if (!cluster_is_idle (cluster))
        return FALSE;
    }

  /* Updates not over yet keep the watch going. */
  return g_hash_table_size (self->expected) == 0;
}

static void
cluster_watch_item_added (KlWatch  *watch,
                          gpointer  item)
{
  g_signal_emit (watch, signals[CLUSTER_ADDED], 0, item);
}

static void
cluster_watch_item_removed (KlWatch  *watch,
                            gpointer  item)
{
  g_signal_emit (watch, signals[CLUSTER_REMOVED], 0, item);
}

static void
cluster_watch_item_replaced (KlWatch  *watch,
                             gpointer  old_item,
                             gpointer  new_item)
{
  const char *old_provider = kl_cluster_get_encryption_at_rest_provider (old_item);

  if (g_strcmp0 (old_provider, kl_cluster_get_encryption_at_rest_provider (new_item)) != 0)
    g_signal_emit (watch, signals[PROVIDER_CHANGED], 0, new_item, old_provider);
}

static void
cluster_watch_state_changed (KlWatch    *watch,
                             gpointer    item,
                             const char *old_state)
{
  g_signal_emit (watch, signals[STATE_CHANGED], 0, item, old_state);
}

static void
kl_cluster_watch_finalize (GObject *object)
{
  KlClusterWatch *self = KL_CLUSTER_WATCH (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->group_id, g_free);
  g_clear_pointer (&self->expected, g_hash_table_unref);

  G_OBJECT_CLASS (kl_cluster_watch_parent_class)->finalize (object);
}

static void
kl_cluster_watch_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KlClusterWatch *self = KL_CLUSTER_WATCH (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_GROUP_ID:
      g_value_set_string (value, self->group_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_cluster_watch_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KlClusterWatch *self = KL_CLUSTER_WATCH (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_GROUP_ID:
      self->group_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_cluster_watch_class_init (KlClusterWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KlWatchClass *watch_class = KL_WATCH_CLASS (klass);

  object_class->finalize = kl_cluster_watch_finalize;
  object_class->get_property = kl_cluster_watch_get_property;
  object_class->set_property = kl_cluster_watch_set_property;

  watch_class->list_async = cluster_watch_list_async;
  watch_class->list_finish = cluster_watch_list_finish;
  watch_class->get_key = cluster_watch_get_key;
  watch_class->get_state = cluster_watch_get_state;
  watch_class->items_equal = cluster_watch_items_equal;
  watch_class->is_settled = cluster_watch_is_settled;
  watch_class->item_added = cluster_watch_item_added;
  watch_class->item_removed = cluster_watch_item_removed;
  watch_class->item_replaced = cluster_watch_item_replaced;
  watch_class->state_changed = cluster_watch_state_changed;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, KL_TYPE_ATLAS_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP_ID] =
    g_param_spec_string ("group-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CLUSTER_ADDED] =
    g_signal_new ("cluster-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KL_TYPE_CLUSTER);
  signals[CLUSTER_REMOVED] =
    g_signal_new ("cluster-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KL_TYPE_CLUSTER);
  signals[PROVIDER_CHANGED] =
    g_signal_new ("provider-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, KL_TYPE_CLUSTER, G_TYPE_STRING);
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, KL_TYPE_CLUSTER, G_TYPE_STRING);
}

static void
kl_cluster_watch_init (KlClusterWatch *self)
{
  self->expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, expectation_free);

  /* Connected first: runs before the waits' handlers look at the model. */
  g_signal_connect (self, "updated", G_CALLBACK (cluster_watch_track_updates), NULL);
}

KlClusterWatch *
kl_cluster_watch_new (KlAtlasClient *client,
                      const char    *group_id)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (client), NULL);
  g_return_val_if_fail (group_id != NULL, NULL);

  return g_object_new (KL_TYPE_CLUSTER_WATCH,
                       "item-type", KL_TYPE_CLUSTER,
                       "client", client,
                       "group-id", group_id,
                       NULL);
}

KlAtlasClient *
kl_cluster_watch_get_client (KlClusterWatch *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_WATCH (self), NULL);

  return self->client;
}

const char *
kl_cluster_watch_get_group_id (KlClusterWatch *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_WATCH (self), NULL);

  return self->group_id;
}

void
kl_cluster_watch_expect_provider (KlClusterWatch *self,
                                  const char     *cluster_name,
                                  const char     *provider)
{
  g_return_if_fail (KL_IS_CLUSTER_WATCH (self));

  kl_cluster_watch_expect_update (self, cluster_name, provider, NULL);
}

void
kl_cluster_watch_expect_update (KlClusterWatch *self,
                                const char     *cluster_name,
                                const char     *provider,
                                KlCluster      *answer)
{
  Expectation *expectation;

  g_return_if_fail (KL_IS_CLUSTER_WATCH (self));
  g_return_if_fail (cluster_name != NULL);
  g_return_if_fail (provider != NULL);
  g_return_if_fail (answer == NULL || KL_IS_CLUSTER (answer));

  expectation = g_new0 (Expectation, 1);
  expectation->provider = g_strdup (provider);
  expectation->patched_at = g_get_monotonic_time ();
  expectation->seen_updating = answer != NULL && !cluster_is_idle (answer);
  g_hash_table_replace (self->expected, g_strdup (cluster_name), expectation);
}

gboolean
kl_cluster_watch_is_updated (KlClusterWatch *self,
                             const char     *cluster_name)
{
  g_return_val_if_fail (KL_IS_CLUSTER_WATCH (self), FALSE);
  g_return_val_if_fail (cluster_name != NULL, FALSE);

  return !g_hash_table_contains (self->expected, cluster_name);
}

gboolean
kl_cluster_watch_has_pending_updates (KlClusterWatch *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_WATCH (self), FALSE);

  return g_hash_table_size (self->expected) > 0;
}

void
kl_cluster_watch_set_settle_time (KlClusterWatch *self,
                                  guint           settle_ms)
{
  g_return_if_fail (KL_IS_CLUSTER_WATCH (self));

  self->settle_ms = settle_ms;
}

guint
kl_cluster_watch_get_settle_time (KlClusterWatch *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_WATCH (self), 0);

  return (guint) (settle_us (self) / 1000);
}

void
kl_cluster_watch_clear_expectations (KlClusterWatch *self)
{
  g_return_if_fail (KL_IS_CLUSTER_WATCH (self));

  g_hash_table_remove_all (self->expected);
}

KL_WATCH_DEFINE_FORWARDERS (KlClusterWatch, kl_cluster_watch, KL_IS_CLUSTER_WATCH)

KlCluster *
kl_cluster_watch_lookup (KlClusterWatch *self,
                         const char     *cluster_name)
{
  g_return_val_if_fail (KL_IS_CLUSTER_WATCH (self), NULL);
  g_return_val_if_fail (cluster_name != NULL, NULL);

  return kl_watch_lookup (KL_WATCH (self), cluster_name);
}

gint64
kl_cluster_watch_get_state_since (KlClusterWatch *self,
                                  const char     *cluster_name)
{
  g_return_val_if_fail (KL_IS_CLUSTER_WATCH (self), 0);

  return kl_watch_get_state_since (KL_WATCH (self), cluster_name);
}
