/* kl-watch.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-watch"

#include "config.h"

#include "kl-error.h"
#include "kl-watch.h"

/* While nothing changes, the wait before the next poll is this share of the time nothing has
 * changed (see quiet_interval ()). */
#define KL_WATCH_QUIET_SHARE 8

typedef struct
{
  GListStore   *store;
  GType         item_type;
  GHashTable   *since;        /* key (owned) → Since */

  gboolean      running;
  gboolean      paused;
  guint         base_interval;
  guint         max_interval;
  guint         interval;     /* the wait before the next poll, in ms */
  gint64        quiet_since;  /* monotonic µs: last change seen, start, poke or resume */
  guint         timeout_id;
  guint         poke_id;      /* idle: the poll of this turn's pokes */
  GCancellable *cancellable;  /* of the request in flight, else NULL */
  gboolean      poll_again;   /* poked during a request */
  gint64        not_before;   /* monotonic µs: no request before (Retry-After); G_MININT64:
                             * none (any other value is a time, see KL_WATCH_TIME_UNKNOWN) */
  guint         n_polls;
  guint         polls_started;
  guint         last_applied; /* number of the last poll whose answer was applied */
  guint         holds;        /* pending waits: the watch does not stop by itself */
  GCancellable *owner_cancellable; /* kl_watch_set_cancellable (): cancelled = stopped */
  gulong        owner_cancelled_id;
} KlWatchPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (KlWatch, kl_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ITEM_TYPE,
  PROP_RUNNING,
  PROP_PAUSED,
  PROP_BASE_INTERVAL,
  PROP_MAX_INTERVAL,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  UPDATED,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char   *state;
  gint64  since;
} Since;

/* One poll in flight: the watch may go away before the answer. */
typedef struct
{
  GWeakRef watch;
  guint    number;
} Poll;

typedef enum
{
  EVENT_REMOVED,
  EVENT_REPLACED,
  EVENT_STATE,
  EVENT_ADDED,
} EventKind;

typedef struct
{
  EventKind  kind;
  GObject   *item;
  GObject   *old_item;   /* EVENT_REPLACED */
  char      *old_state;  /* EVENT_STATE */
} Event;

static void
since_free (gpointer data)
{
  Since *since = data;

  g_free (since->state);
  g_free (since);
}

static void
event_free (gpointer data)
{
  Event *event = data;

  g_clear_object (&event->item);
  g_clear_object (&event->old_item);
  g_free (event->old_state);
  g_free (event);
}

static Event *
event_new (EventKind  kind,
           gpointer   item,
           gpointer   old_item,
           char      *old_state)
{
  Event *event = g_new0 (Event, 1);

  event->kind = kind;
  event->item = g_object_ref (item);
  event->old_item = old_item != NULL ? g_object_ref (old_item) : NULL;
  event->old_state = old_state;
  return event;
}

static void
poll_free (Poll *poll)
{
  g_weak_ref_clear (&poll->watch);
  g_free (poll);
}

static void
set_running (KlWatch  *self,
             gboolean  running)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  if (priv->running == running)
    return;

  priv->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static const char *
item_key (KlWatch  *self,
          gpointer  item)
{
  return KL_WATCH_GET_CLASS (self)->get_key (self, item);
}

static const char *
item_state (KlWatch  *self,
            gpointer  item)
{
  const char *state = KL_WATCH_GET_CLASS (self)->get_state (self, item);

  return state != NULL ? state : "";
}

static void watch_poll_now (KlWatch *self);

static gboolean
watch_timeout_cb (gpointer user_data)
{
  KlWatch *self = user_data;
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  priv->timeout_id = 0;
  watch_poll_now (self);

  return G_SOURCE_REMOVE;
}

static void
watch_schedule (KlWatch *self,
                guint    delay_ms)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  g_clear_handle_id (&priv->timeout_id, g_source_remove);
  priv->timeout_id = g_timeout_add (delay_ms, watch_timeout_cb, self);
  g_source_set_name_by_id (priv->timeout_id, G_OBJECT_TYPE_NAME (self));
}

/* After a failed poll: exponential backoff. */
static guint
next_interval (KlWatchPrivate *priv)
{
  guint64 doubled = (guint64) priv->interval * 2;

  return (guint) CLAMP (doubled, priv->base_interval, priv->max_interval);
}

/* After a poll that saw nothing change: a fixed share of the time nothing has changed, so
 * that a change is seen at most that share late (plus one base interval and one request). */
static guint
quiet_interval (KlWatchPrivate *priv,
                gint64          now)
{
  gint64 quiet_ms = MAX (0, now - priv->quiet_since) / 1000;

  return (guint) CLAMP (quiet_ms / KL_WATCH_QUIET_SHARE, (gint64) priv->base_interval,
                        (gint64) priv->max_interval);
}

/* Brings the model in line with @items and calls the hooks. Returns whether anything changed. */
static gboolean
watch_apply (KlWatch   *self,
             GPtrArray *items)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);
  KlWatchClass *klass = KL_WATCH_GET_CLASS (self);
  g_autoptr(GHashTable) fresh = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  gint64 now = g_get_monotonic_time ();
  gboolean changed = FALSE;
  guint n_items;

  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      const char *key = item_key (self, item);

      if (key == NULL || !g_type_is_a (G_OBJECT_TYPE (item), priv->item_type))
        {
          g_debug ("%s: ignoring an object without identity", G_OBJECT_TYPE_NAME (self));
          continue;
        }
      if (!g_hash_table_insert (fresh, (gpointer) key, item))
        g_debug ("%s: %s listed twice", G_OBJECT_TYPE_NAME (self), key);
    }

  /* Gone ones, from the end so that positions stay valid. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (priv->store));
  for (guint i = n_items; i-- > 0;)
    {
      g_autoptr(GObject) old_item = g_list_model_get_item (G_LIST_MODEL (priv->store), i);
      const char *key = item_key (self, old_item);

      if (g_hash_table_contains (fresh, key))
        continue;

      g_hash_table_remove (priv->since, key);
      g_ptr_array_add (events, event_new (EVENT_REMOVED, old_item, NULL, NULL));
      g_list_store_remove (priv->store, i);
      changed = TRUE;
    }

  /* Known ones, replaced in place when they changed. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (priv->store));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) old_item = g_list_model_get_item (G_LIST_MODEL (priv->store), i);
      const char *key = item_key (self, old_item);
      gpointer new_item = g_hash_table_lookup (fresh, key);
      const char *new_state = item_state (self, new_item);
      Since *since = g_hash_table_lookup (priv->since, key);

      gpointer current = old_item;

      g_hash_table_add (present, (gpointer) item_key (self, new_item));

      if (!klass->items_equal (self, old_item, new_item))
        {
          g_list_store_splice (priv->store, i, 1, &new_item, 1);
          g_ptr_array_add (events, event_new (EVENT_REPLACED, new_item, old_item, NULL));
          current = new_item;
          changed = TRUE;
        }

      g_assert (since != NULL);
      if (g_strcmp0 (since->state, new_state) != 0)
        {
          g_ptr_array_add (events, event_new (EVENT_STATE, current, NULL,
                                              g_steal_pointer (&since->state)));
          since->state = g_strdup (new_state);
          since->since = now;
          changed = TRUE;
        }
    }

  /* New ones, in the server's order. */
  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      const char *key = item_key (self, item);
      Since *since;

      if (key == NULL || g_hash_table_lookup (fresh, key) != item ||
          g_hash_table_contains (present, key))
        continue;

      g_hash_table_add (present, (gpointer) key);
      since = g_new0 (Since, 1);
      since->state = g_strdup (item_state (self, item));
      since->since = now;
      g_hash_table_insert (priv->since, g_strdup (key), since);
      g_list_store_append (priv->store, item);
      g_ptr_array_add (events, event_new (EVENT_ADDED, item, NULL, NULL));
      changed = TRUE;
    }

  for (guint i = 0; i < events->len; i++)
    {
      Event *event = g_ptr_array_index (events, i);

      switch (event->kind)
        {
        case EVENT_REMOVED:
          if (klass->item_removed != NULL)
            klass->item_removed (self, event->item);
          break;
        case EVENT_REPLACED:
          if (klass->item_replaced != NULL)
            klass->item_replaced (self, event->old_item, event->item);
          break;
        case EVENT_STATE:
          if (klass->state_changed != NULL)
            klass->state_changed (self, event->item, event->old_state);
          break;
        case EVENT_ADDED:
          if (klass->item_added != NULL)
            klass->item_added (self, event->item);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return changed;
}

static void
watch_poll_failed (KlWatch *self,
                   GError  *error)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);
  guint retry_after = kl_error_get_retry_after (error);
  guint wait_ms;

  priv->interval = next_interval (priv);
  wait_ms = priv->interval;
  if (retry_after > 0)
    {
      priv->not_before = g_get_monotonic_time () + (gint64) retry_after * G_USEC_PER_SEC;
      wait_ms = MAX (wait_ms, retry_after * 1000);
    }

  g_debug ("%s: poll failed (%s), next in %u ms", G_OBJECT_TYPE_NAME (self), error->message,
           wait_ms);
  g_signal_emit (self, signals[ERROR], 0, error);

  /* A handler may have stopped, paused or poked the watch. */
  if (!priv->running || priv->paused || priv->timeout_id != 0 || priv->poke_id != 0 ||
      priv->cancellable != NULL)
    return;

  if (priv->poll_again)
    {
      priv->poll_again = FALSE;
      watch_poll_now (self);
      return;
    }

  watch_schedule (self, wait_ms);
}

static void
watch_poll_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Poll *poll = user_data;
  g_autoptr(KlWatch) self = g_weak_ref_get (&poll->watch);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint number = poll->number;
  KlWatchPrivate *priv;
  gboolean changed;

  poll_free (poll);

  /* Disposed: its request was cancelled, nothing to do. */
  if (self == NULL)
    return;

  priv = kl_watch_get_instance_private (self);
  items = KL_WATCH_GET_CLASS (self)->list_finish (self, result, &error);

  /* Cancelled by stop(): the watch has already forgotten this request. */
  if (items == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&priv->cancellable);

  if (items == NULL)
    {
      watch_poll_failed (self, error);
      return;
    }

  changed = watch_apply (self, items);
  if (changed)
    priv->quiet_since = g_get_monotonic_time ();
  priv->n_polls++;
  priv->last_applied = MAX (priv->last_applied, number);
  g_signal_emit (self, signals[UPDATED], 0);

  /* A handler may have stopped, paused or poked the watch. */
  if (!priv->running || priv->paused || priv->timeout_id != 0 || priv->poke_id != 0 ||
      priv->cancellable != NULL)
    return;

  if (priv->poll_again)
    {
      priv->poll_again = FALSE;
      priv->interval = priv->base_interval;
      watch_poll_now (self);
      return;
    }

  if (priv->holds == 0 && KL_WATCH_GET_CLASS (self)->is_settled (self))
    {
      g_debug ("%s: nothing pending, stopping", G_OBJECT_TYPE_NAME (self));
      set_running (self, FALSE);
      return;
    }

  priv->interval = changed ? priv->base_interval
                           : quiet_interval (priv, g_get_monotonic_time ());
  watch_schedule (self, priv->interval);
}

static void
watch_poll_now (KlWatch *self)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);
  gint64 now = g_get_monotonic_time ();
  Poll *poll;

  /* This poll serves the pokes of this turn too. */
  g_clear_handle_id (&priv->timeout_id, g_source_remove);
  g_clear_handle_id (&priv->poke_id, g_source_remove);

  if (!priv->running || priv->paused)
    return;

  if (priv->owner_cancellable != NULL && g_cancellable_is_cancelled (priv->owner_cancellable))
    {
      kl_watch_stop (self);
      return;
    }

  if (priv->cancellable != NULL)
    {
      priv->poll_again = TRUE;
      return;
    }

  /* Retry-After holds every request, pokes included. */
  if (priv->not_before > now)
    {
      watch_schedule (self, (guint) ((priv->not_before - now + 999) / 1000));
      return;
    }

  poll = g_new0 (Poll, 1);
  g_weak_ref_init (&poll->watch, self);
  poll->number = ++priv->polls_started;
  priv->cancellable = g_cancellable_new ();
  KL_WATCH_GET_CLASS (self)->list_async (self, priv->cancellable, watch_poll_cb, poll);
}

static gboolean
watch_poke_cb (gpointer user_data)
{
  KlWatch *self = user_data;
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  priv->poke_id = 0;
  watch_poll_now (self);

  return G_SOURCE_REMOVE;
}

/* Poll as soon as this turn of the main loop is over, so that the pokes of one turn (several
 * waits started together, a runner's and a page's) share one request. A request in flight
 * is answered first, then the poll follows at once.
 *
 * The priority: after every ready G_PRIORITY_DEFAULT source (HTTP answers, task completions:
 * the other pokes of this turn), and before GTK's layout (110) and redraw (120). Never
 * G_PRIORITY_DEFAULT_IDLE (200): while the window animates (a spinner on every waiting row)
 * and each frame costs more than the refresh interval, as with GL on a software renderer, a
 * frame is always due and such an idle never runs: the watch, and the flow, would stall
 * (tests/ui/test-busy-window.c). */
#define KL_WATCH_POKE_PRIORITY G_PRIORITY_HIGH_IDLE

static void
watch_poke_soon (KlWatch *self)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  priv->interval = priv->base_interval;
  priv->quiet_since = g_get_monotonic_time ();
  set_running (self, TRUE);

  if (priv->paused)
    return;
  if (priv->cancellable != NULL)
    {
      priv->poll_again = TRUE;
      return;
    }
  if (priv->poke_id == 0)
    {
      priv->poke_id = g_idle_add_full (KL_WATCH_POKE_PRIORITY, watch_poke_cb, self, NULL);
      g_source_set_name_by_id (priv->poke_id, G_OBJECT_TYPE_NAME (self));
    }
}

static void
watch_cancel_request (KlWatch *self)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  g_clear_handle_id (&priv->timeout_id, g_source_remove);
  g_clear_handle_id (&priv->poke_id, g_source_remove);
  priv->poll_again = FALSE;
  if (priv->cancellable != NULL)
    {
      g_cancellable_cancel (priv->cancellable);
      g_clear_object (&priv->cancellable);
    }
}

static void
kl_watch_constructed (GObject *object)
{
  KlWatch *self = KL_WATCH (object);
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  G_OBJECT_CLASS (kl_watch_parent_class)->constructed (object);

  g_assert (g_type_is_a (priv->item_type, G_TYPE_OBJECT));
  priv->store = g_list_store_new (priv->item_type);
}

static void
kl_watch_dispose (GObject *object)
{
  KlWatch *self = KL_WATCH (object);
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  watch_cancel_request (self);
  priv->running = FALSE;
  kl_watch_set_cancellable (self, NULL);

  G_OBJECT_CLASS (kl_watch_parent_class)->dispose (object);
}

static void
kl_watch_finalize (GObject *object)
{
  KlWatch *self = KL_WATCH (object);
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  g_clear_object (&priv->store);
  g_clear_pointer (&priv->since, g_hash_table_unref);

  G_OBJECT_CLASS (kl_watch_parent_class)->finalize (object);
}

static void
kl_watch_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  KlWatch *self = KL_WATCH (object);
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, priv->item_type);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, priv->running);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, priv->paused);
      break;
    case PROP_BASE_INTERVAL:
      g_value_set_uint (value, priv->base_interval);
      break;
    case PROP_MAX_INTERVAL:
      g_value_set_uint (value, priv->max_interval);
      break;
    case PROP_MODEL:
      g_value_set_object (value, priv->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_watch_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  KlWatch *self = KL_WATCH (object);
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ITEM_TYPE:
      priv->item_type = g_value_get_gtype (value);
      break;
    case PROP_BASE_INTERVAL:
      kl_watch_set_intervals (self, g_value_get_uint (value),
                              MAX (priv->max_interval, g_value_get_uint (value)));
      break;
    case PROP_MAX_INTERVAL:
      kl_watch_set_intervals (self, MIN (priv->base_interval, g_value_get_uint (value)),
                              g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_watch_class_init (KlWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kl_watch_constructed;
  object_class->dispose = kl_watch_dispose;
  object_class->finalize = kl_watch_finalize;
  object_class->get_property = kl_watch_get_property;
  object_class->set_property = kl_watch_set_property;

  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Whether the watch follows the list: TRUE from start() or poke() until stop() or until
   * nothing is pending. Pausing does not change it. */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_INTERVAL] =
    g_param_spec_uint ("base-interval", NULL, NULL, 1, G_MAXINT32,
                       KL_WATCH_DEFAULT_BASE_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_INTERVAL] =
    g_param_spec_uint ("max-interval", NULL, NULL, 1, G_MAXINT32,
                       KL_WATCH_DEFAULT_MAX_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After every successful poll, once the model and the per-object signals are done. */
  signals[UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A poll failed (never cancellation); the watch goes on with backoff. */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
kl_watch_init (KlWatch *self)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);

  priv->item_type = G_TYPE_OBJECT;
  priv->since = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, since_free);
  priv->base_interval = KL_WATCH_DEFAULT_BASE_INTERVAL;
  priv->max_interval = KL_WATCH_DEFAULT_MAX_INTERVAL;
  priv->interval = priv->base_interval;
  priv->not_before = G_MININT64;
}

void
kl_watch_start (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_if_fail (KL_IS_WATCH (self));

  priv = kl_watch_get_instance_private (self);
  if (priv->running)
    return;
  /* Stopped by its owner: no poll until a new cancellable is given. */
  if (priv->owner_cancellable != NULL && g_cancellable_is_cancelled (priv->owner_cancellable))
    return;

  priv->interval = priv->base_interval;
  priv->quiet_since = g_get_monotonic_time ();
  set_running (self, TRUE);
  watch_poll_now (self);
}

void
kl_watch_stop (KlWatch *self)
{
  g_return_if_fail (KL_IS_WATCH (self));

  watch_cancel_request (self);
  set_running (self, FALSE);
}

static void
owner_cancelled_cb (KlWatch *self)
{
  g_debug ("%s: cancelled by its owner", G_OBJECT_TYPE_NAME (self));
  kl_watch_stop (self);
}

/**
 * kl_watch_set_cancellable:
 * @cancellable: (nullable): the owner's (a page's, a window's)
 *
 * When @cancellable is cancelled, the watch stops: the poll in flight, in the background or
 * not, is cancelled and no other starts (until kl_watch_start () or kl_watch_poke () after a
 * new cancellable).
 */
void
kl_watch_set_cancellable (KlWatch      *self,
                          GCancellable *cancellable)
{
  KlWatchPrivate *priv;

  g_return_if_fail (KL_IS_WATCH (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = kl_watch_get_instance_private (self);
  if (priv->owner_cancellable == cancellable)
    return;

  if (priv->owner_cancellable != NULL)
    {
      g_clear_signal_handler (&priv->owner_cancelled_id, priv->owner_cancellable);
      g_clear_object (&priv->owner_cancellable);
    }
  if (cancellable == NULL)
    return;

  priv->owner_cancellable = g_object_ref (cancellable);
  priv->owner_cancelled_id = g_signal_connect_swapped (cancellable, "cancelled",
                                                       G_CALLBACK (owner_cancelled_cb), self);
  if (g_cancellable_is_cancelled (cancellable))
    kl_watch_stop (self);
}

void
kl_watch_poke (KlWatch *self)
{
  g_return_if_fail (KL_IS_WATCH (self));

  watch_poke_soon (self);
}

void
kl_watch_pause (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_if_fail (KL_IS_WATCH (self));

  priv = kl_watch_get_instance_private (self);
  if (priv->paused)
    return;

  /* A request in flight is cancelled too (its owner is not shown): resuming polls at once. */
  priv->paused = TRUE;
  watch_cancel_request (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

void
kl_watch_resume (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_if_fail (KL_IS_WATCH (self));

  priv = kl_watch_get_instance_private (self);
  if (!priv->paused)
    return;

  priv->paused = FALSE;
  priv->interval = priv->base_interval;
  priv->quiet_since = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  watch_poll_now (self);
}

gboolean
kl_watch_get_running (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_val_if_fail (KL_IS_WATCH (self), FALSE);

  priv = kl_watch_get_instance_private (self);
  return priv->running;
}

gboolean
kl_watch_get_paused (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_val_if_fail (KL_IS_WATCH (self), FALSE);

  priv = kl_watch_get_instance_private (self);
  return priv->paused;
}

void
kl_watch_set_intervals (KlWatch *self,
                        guint    base_ms,
                        guint    max_ms)
{
  KlWatchPrivate *priv;

  g_return_if_fail (KL_IS_WATCH (self));
  g_return_if_fail (base_ms >= 1 && base_ms <= G_MAXINT32);
  g_return_if_fail (max_ms >= base_ms && max_ms <= G_MAXINT32);

  priv = kl_watch_get_instance_private (self);
  g_object_freeze_notify (G_OBJECT (self));
  if (priv->base_interval != base_ms)
    {
      priv->base_interval = base_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_INTERVAL]);
    }
  if (priv->max_interval != max_ms)
    {
      priv->max_interval = max_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_INTERVAL]);
    }
  priv->interval = CLAMP (priv->interval, base_ms, max_ms);
  g_object_thaw_notify (G_OBJECT (self));
}

guint
kl_watch_get_base_interval (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_val_if_fail (KL_IS_WATCH (self), 0);

  priv = kl_watch_get_instance_private (self);
  return priv->base_interval;
}

guint
kl_watch_get_max_interval (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_val_if_fail (KL_IS_WATCH (self), 0);

  priv = kl_watch_get_instance_private (self);
  return priv->max_interval;
}

guint
kl_watch_get_interval (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_val_if_fail (KL_IS_WATCH (self), 0);

  priv = kl_watch_get_instance_private (self);
  return priv->interval;
}

GListModel *
kl_watch_get_model (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_val_if_fail (KL_IS_WATCH (self), NULL);

  priv = kl_watch_get_instance_private (self);
  return G_LIST_MODEL (priv->store);
}

gpointer
kl_watch_lookup (KlWatch    *self,
                 const char *key)
{
  KlWatchPrivate *priv;
  guint n_items;

  g_return_val_if_fail (KL_IS_WATCH (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  priv = kl_watch_get_instance_private (self);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (priv->store));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (priv->store), i);

      /* The store keeps its own reference: returning transfer none is safe. */
      if (g_strcmp0 (item_key (self, item), key) == 0)
        return item;
    }

  return NULL;
}

guint
kl_watch_get_n_polls (KlWatch *self)
{
  KlWatchPrivate *priv;

  g_return_val_if_fail (KL_IS_WATCH (self), 0);

  priv = kl_watch_get_instance_private (self);
  return priv->n_polls;
}

gint64
kl_watch_get_state_since (KlWatch    *self,
                          const char *key)
{
  KlWatchPrivate *priv;
  Since *since;

  g_return_val_if_fail (KL_IS_WATCH (self), KL_WATCH_TIME_UNKNOWN);
  g_return_val_if_fail (key != NULL, KL_WATCH_TIME_UNKNOWN);

  priv = kl_watch_get_instance_private (self);
  since = g_hash_table_lookup (priv->since, key);
  return since != NULL ? since->since : KL_WATCH_TIME_UNKNOWN;
}

GDateTime *
kl_watch_dup_state_since_date (KlWatch    *self,
                               const char *key)
{
  g_autoptr(GDateTime) now = NULL;
  gint64 since;

  g_return_val_if_fail (KL_IS_WATCH (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  since = kl_watch_get_state_since (self, key);
  if (since == KL_WATCH_TIME_UNKNOWN)
    return NULL;

  now = g_date_time_new_now_local ();
  return g_date_time_add (now, -(g_get_monotonic_time () - since));
}

/* ------------------------------------------------------------------------------------------ */
/* Waits                                                                                       */

#define MAX_FAILED_POLLS_IN_WAIT 3

typedef struct
{
  KlWatchCondition  condition;
  gpointer          condition_data;
  GDestroyNotify    condition_data_free;
  guint             min_poll;
  guint             n_failed;
  gulong            updated_id;
  gulong            error_id;
  gulong            running_id;
  GSource          *cancel_source;
  gboolean          held;
} Wait;

static void
wait_release (GTask *task)
{
  KlWatch *self = g_task_get_source_object (task);
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);
  Wait *wait = g_task_get_task_data (task);

  g_clear_signal_handler (&wait->updated_id, self);
  g_clear_signal_handler (&wait->error_id, self);
  g_clear_signal_handler (&wait->running_id, self);
  if (wait->cancel_source != NULL)
    {
      g_source_destroy (wait->cancel_source);
      g_clear_pointer (&wait->cancel_source, g_source_unref);
    }
  if (wait->held)
    {
      wait->held = FALSE;
      g_assert (priv->holds > 0);
      priv->holds--;
    }
}

static void
wait_free (gpointer data)
{
  Wait *wait = data;

  g_assert (!wait->held);
  if (wait->condition_data_free != NULL)
    wait->condition_data_free (wait->condition_data);
  g_free (wait);
}

/* Completes @task (the extra reference of the signal connections is dropped). */
static void
wait_complete (GTask  *task,
               GError *error)
{
  wait_release (task);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
wait_updated_cb (KlWatch *self,
                 GTask   *task)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);
  Wait *wait = g_task_get_task_data (task);

  wait->n_failed = 0;
  if (priv->last_applied < wait->min_poll)
    return;
  if (wait->condition (self, wait->condition_data))
    wait_complete (task, NULL);
}

static void
wait_error_cb (KlWatch *self,
               GError  *error,
               GTask   *task)
{
  Wait *wait = g_task_get_task_data (task);

  if (kl_watch_error_is_transient (error) && ++wait->n_failed < MAX_FAILED_POLLS_IN_WAIT)
    return;
  wait_complete (task, g_error_copy (error));
}

static gboolean wait_cancelled_cb (GCancellable *cancellable,
                                   gpointer      user_data);

static void
wait_running_cb (KlWatch    *self,
                 GParamSpec *pspec,
                 GTask      *task)
{
  KlWatchPrivate *priv = kl_watch_get_instance_private (self);
  Wait *wait = g_task_get_task_data (task);

  if (priv->running)
    return;

  /* Stopped by its owner's cancellable: the wait ends as cancelled, from the main loop (not
   * inside this emission), and the watch stays stopped. */
  if (priv->owner_cancellable != NULL && g_cancellable_is_cancelled (priv->owner_cancellable))
    {
      if (wait->cancel_source != NULL)
        {
          g_source_destroy (wait->cancel_source);
          g_clear_pointer (&wait->cancel_source, g_source_unref);
        }
      wait->cancel_source = g_cancellable_source_new (priv->owner_cancellable);
      g_source_set_callback (wait->cancel_source, G_SOURCE_FUNC (wait_cancelled_cb), task, NULL);
      g_source_set_name (wait->cancel_source, "[keylink] KlWatch wait, owner cancelled");
      g_source_attach (wait->cancel_source, g_task_get_context (task));
      return;
    }

  /* Only an explicit stop gets here (holds keep it running otherwise). */
  kl_watch_start (self);
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Wait *wait = g_task_get_task_data (task);

  /* The source is being dispatched: let wait_release() only drop it. */
  g_clear_pointer (&wait->cancel_source, g_source_unref);
  wait_complete (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

gboolean
kl_watch_error_is_transient (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return g_error_matches (error, KL_ERROR, KL_ERROR_RATE_LIMITED) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_SERVER) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_NETWORK) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_TIMEOUT);
}

void
kl_watch_wait_async (KlWatch             *self,
                     KlWatchCondition     condition,
                     gpointer             condition_data,
                     GDestroyNotify       condition_data_free,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KlWatchPrivate *priv;
  Wait *wait;

  g_return_if_fail (KL_IS_WATCH (self));
  g_return_if_fail (condition != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = kl_watch_get_instance_private (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_watch_wait_async);

  wait = g_new0 (Wait, 1);
  wait->condition = condition;
  wait->condition_data = condition_data;
  wait->condition_data_free = condition_data_free;
  g_task_set_task_data (task, wait, wait_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* The answer to a poll started from now on. */
  wait->min_poll = priv->polls_started + 1;
  wait->held = TRUE;
  priv->holds++;

  /* One reference for the connections, dropped by wait_complete(). */
  g_object_ref (task);
  wait->updated_id = g_signal_connect (self, "updated", G_CALLBACK (wait_updated_cb), task);
  wait->error_id = g_signal_connect (self, "error", G_CALLBACK (wait_error_cb), task);
  wait->running_id = g_signal_connect (self, "notify::running", G_CALLBACK (wait_running_cb),
                                       task);
  if (cancellable != NULL)
    {
      wait->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (wait->cancel_source, G_SOURCE_FUNC (wait_cancelled_cb), task, NULL);
      g_source_set_name (wait->cancel_source, "[keylink] KlWatch wait cancelled");
      g_source_attach (wait->cancel_source, g_task_get_context (task));
    }

  /* Waits started together share one poll. */
  watch_poke_soon (self);
}

gboolean
kl_watch_wait_finish (KlWatch       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (KL_IS_WATCH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_watch_wait_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
