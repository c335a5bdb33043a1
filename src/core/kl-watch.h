/* kl-watch.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The base of KlEndpointWatch and KlClusterWatch: follows one list of Atlas objects with ONE
 * list request per tick, never one request per object.
 *
 * Scheduling. kl_watch_start() polls at once, then every base interval while something changes
 * and, while nothing does, waits an eighth of the time nothing has changed (since the last
 * change, start, poke or resume), from the base interval up to the maximum (defaults 2 s and
 * 60 s): a change is seen at most about 1/8 of the quiet time late (plus one base interval and
 * one request), where doubling could see it almost as late again as it took. A failed poll
 * emits ::error (never for cancellation) and the watch goes on, doubling the interval up to
 * the maximum; a rate limit (KL_ERROR_RATE_LIMITED, or any error with a Retry-After wait)
 * holds every poll, pokes included, until the wait is over. After each successful poll the
 * watch stops by itself when the subclass says nothing is pending any more (::running goes
 * FALSE). kl_watch_poke() polls as soon as the current main-loop turn is over (starting the
 * watch if it had stopped) and resets the interval: the pokes of one turn share one request;
 * a poke during a request polls again as soon as it is answered. kl_watch_pause() holds the
 * polling (the page is not shown) without stopping, and cancels the request in flight;
 * kl_watch_resume() polls at once.
 * kl_watch_stop() and dispose cancel the request in flight.
 *
 * State. The current list is a GListModel (kl_watch_get_model()) kept in place: objects that
 * changed are replaced at their position, new ones are appended in the server's order, gone
 * ones removed. For each object the watch keeps when it first saw its current state
 * (kl_watch_get_state_since()).
 *
 * Main-loop only: no thread, no blocking call; the waits between polls are g_timeout_add()
 * sources named after the class (g_source_set_name). */

#define KL_TYPE_WATCH (kl_watch_get_type ())

G_DECLARE_DERIVABLE_TYPE (KlWatch, kl_watch, KL, WATCH, GObject)

struct _KlWatchClass
{
  GObjectClass parent_class;

  /* One list request; the result is a GPtrArray of objects of the model's item type. */
  void         (*list_async)    (KlWatch             *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  GPtrArray   *(*list_finish)   (KlWatch             *self,
                                 GAsyncResult        *result,
                                 GError             **error);
  /* Identity (endpoint id, cluster name) and state text of an object. */
  const char  *(*get_key)       (KlWatch             *self,
                                 gpointer             item);
  const char  *(*get_state)     (KlWatch             *self,
                                 gpointer             item);
  /* Whether two versions of one object show the same (else the new one replaces the old). */
  gboolean     (*items_equal)   (KlWatch             *self,
                                 gpointer             old_item,
                                 gpointer             new_item);
  /* Whether nothing is pending any more, from the current model: the watch then stops. */
  gboolean     (*is_settled)    (KlWatch             *self);

  /* Hooks, called after the model is up to date, in this order, so subclasses emit their
   * typed signals: */
  void         (*item_added)    (KlWatch             *self,
                                 gpointer             item);
  void         (*item_removed)  (KlWatch             *self,
                                 gpointer             item);
  /* Called for every replaced object, before state_changed. */
  void         (*item_replaced) (KlWatch             *self,
                                 gpointer             old_item,
                                 gpointer             new_item);
  void         (*state_changed) (KlWatch             *self,
                                 gpointer             item,
                                 const char          *old_state);

  gpointer padding[8];
};

/* Default intervals, in milliseconds. */
#define KL_WATCH_DEFAULT_BASE_INTERVAL 2000
#define KL_WATCH_DEFAULT_MAX_INTERVAL  60000

void        kl_watch_start              (KlWatch     *self);
void        kl_watch_stop               (KlWatch     *self);
void        kl_watch_poke               (KlWatch     *self);
/* The owner's cancellable: cancelled, the watch stops, its background poll included. */
void        kl_watch_set_cancellable    (KlWatch      *self,
                                         GCancellable *cancellable);
void        kl_watch_pause              (KlWatch     *self);
void        kl_watch_resume             (KlWatch     *self);
gboolean    kl_watch_get_running        (KlWatch     *self);
gboolean    kl_watch_get_paused         (KlWatch     *self);

/* @base_ms >= 1, @max_ms >= @base_ms. Takes effect from the next poll. */
void        kl_watch_set_intervals      (KlWatch     *self,
                                         guint        base_ms,
                                         guint        max_ms);
guint       kl_watch_get_base_interval  (KlWatch     *self);
guint       kl_watch_get_max_interval   (KlWatch     *self);
/* The wait before the next poll as last scheduled, in ms (tests and diagnostics). */
guint       kl_watch_get_interval       (KlWatch     *self);

/* The current list (transfer none), kept up to date in place. */
GListModel *kl_watch_get_model          (KlWatch     *self);
/* The object with this key in the current list (transfer none), or NULL. */
gpointer    kl_watch_lookup             (KlWatch     *self,
                                         const char  *key);
/* Successful polls since the watch was created. */
guint       kl_watch_get_n_polls        (KlWatch     *self);
/* "No time": the monotonic clock's zero is arbitrary (boot, or a time namespace's), so any
 * other value, 0 and negative ones included, is a time; and a time computed by subtraction
 * (now minus a duration) is negative on a machine booted less than that duration ago. */
#define KL_WATCH_TIME_UNKNOWN G_MININT64

/* g_get_monotonic_time() of the first poll that saw the object's current state, or
 * KL_WATCH_TIME_UNKNOWN when the object is not in the list. */
gint64      kl_watch_get_state_since    (KlWatch     *self,
                                         const char  *key);
/* The same as a local GDateTime, or NULL. */
GDateTime  *kl_watch_dup_state_since_date (KlWatch   *self,
                                           const char *key);

/* Waiting on a watch (KlSetupRunner and KlTeardown use this, so that a page's watch can be
 * shared and each tick stays ONE list request).
 *
 * kl_watch_wait_async() pokes the watch (starting it; waits started in one main-loop turn share
 * one poll) and completes once @condition holds on the model after a poll that started after
 * the call. While a wait is pending the watch does
 * not stop by itself, and it is started again if kl_watch_stop() is called; a paused watch
 * holds the wait until it is resumed. Poll errors: a rate limit, a 5xx, a network error or a
 * timeout is waited out (the client has retried already) unless three polls in a row fail;
 * any other error ends the wait with that error. Cancellation is G_IO_ERROR_CANCELLED, also when
 * the watch's own cancellable (kl_watch_set_cancellable()) stops it: a stopped owner's watch is
 * not started again by its waits. */
typedef gboolean (*KlWatchCondition) (KlWatch  *watch,
                                      gpointer  user_data);

void        kl_watch_wait_async         (KlWatch             *self,
                                         KlWatchCondition     condition,
                                         gpointer             condition_data,
                                         GDestroyNotify       condition_data_free,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    kl_watch_wait_finish        (KlWatch             *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* Whether a failed poll is worth waiting out: rate limit, 5xx, network, timeout. */
gboolean    kl_watch_error_is_transient (const GError        *error);

G_END_DECLS
