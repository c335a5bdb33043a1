/* kl-secret-backend.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libsecret's backend (inside a sandbox: a file of the app's own, keyed by the Secret portal),
 * started so that a lost answer of the portal is asked for again instead of waited for for ever.
 *
 * libsecret before 0.21.4 ("file-backend: Subscribe before calling dbus") subscribes to the
 * portal's org.freedesktop.portal.Request::Response signal only once RetrieveSecret has
 * returned, in a callback on the main context, and the portal sends the signal right after that
 * return (gnome-keyring answers within a millisecond). When the main thread is late (a busy
 * machine), GDBus's worker thread gets the signal before there is a subscription and drops it:
 * libsecret waits for ever, and every keyring call of the process behind it. Debian 12 and the
 * GNOME 43 runtime have 0.20.5. CI found it: test-credentials-file in the portal world hung in
 * about one run in 60 on a loaded machine (the bus monitor showed the Response sent before the
 * subscription's match rule).
 *
 * So before its first secret_password_* call, KlCredentials has libsecret make its backend
 * here, with a search that matches nothing (libsecret keeps the backend its first call made,
 * and every later call uses it), while a message filter on the session bus watches for the
 * portal's Response to one of this process's requests. If the search has not finished
 * LOST_AFTER_MS after that Response went by, libsecret missed it: a new search asks the portal
 * again (for the same master key: gnome-keyring keeps it), up to MAX_ATTEMPTS times. While no
 * Response has come, the search is waited for (a portal backend may be showing a prompt): the
 * caller's timeout ends that wait. A search given up on is never cancelled: libsecret before
 * 0.21.0 could deadlock on a cancelled portal request ("avoid deadlock when portal op is
 * canceled"); it is left to end, or not, on its own.
 *
 * One state per process, like libsecret's own, used from the thread of KlCredentials' calls. */

#define G_LOG_DOMAIN "kl-credentials"

#include "config.h"

#include <libsecret/secret.h>

#include "kl-secret-backend.h"

#define LOST_AFTER_MS 2000
#define MAX_ATTEMPTS  3
#define PORTAL_REQUEST_INTERFACE "org.freedesktop.portal.Request"
#define PORTAL_REQUEST_PREFIX "/org/freedesktop/portal/desktop/request/"

typedef struct
{
  gatomicrefcount  ref;
  GMainContext    *context;
  char            *request_prefix; /* NULL without a session bus: nothing to watch */
  int              answered;       /* atomic: the portal's Response went by */
} Attempt;

static GQueue           waiters = G_QUEUE_INIT; /* GTask, owned */
static gboolean         ready;
static gboolean         getting_bus;
static GDBusConnection *bus;
static Attempt         *current;
static guint            filter_id;
static GSource         *lost_source;
static guint            attempts;

static const SecretSchema probe_schema = {
  "io.github.keylink.Keylink.BackendProbe", SECRET_SCHEMA_DONT_MATCH_NAME,
  { { "probe", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static void start_attempt (void);

static Attempt *
attempt_ref (Attempt *attempt)
{
  g_atomic_ref_count_inc (&attempt->ref);
  return attempt;
}

static void
attempt_unref (gpointer data)
{
  Attempt *attempt = data;

  if (!g_atomic_ref_count_dec (&attempt->ref))
    return;
  g_main_context_unref (attempt->context);
  g_free (attempt->request_prefix);
  g_free (attempt);
}

/* The waiters get @error, or TRUE without one. */
static void
finish_waiters (const GError *error)
{
  GTask *task;

  while ((task = g_queue_pop_head (&waiters)) != NULL)
    {
      GSource *cancel_source = g_task_get_task_data (task);

      if (cancel_source != NULL)
        g_source_destroy (cancel_source);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/* Stops watching for the current attempt (its search may still end: on_probed () knows). */
static void
end_attempt (void)
{
  if (filter_id != 0)
    {
      g_dbus_connection_remove_filter (bus, filter_id);
      filter_id = 0;
    }
  if (lost_source != NULL)
    {
      g_source_destroy (lost_source);
      g_clear_pointer (&lost_source, g_source_unref);
    }
  g_clear_pointer (&current, attempt_unref);
}

static gboolean
on_lost (gpointer user_data)
{
  g_clear_pointer (&lost_source, g_source_unref);

  g_debug ("The Secret portal answered request %u %u ms ago and libsecret has not taken the "
           "answer (libsecret before 0.21.4 can miss it)%s", attempts, LOST_AFTER_MS,
           attempts < MAX_ATTEMPTS ? ": asking again" : "; giving up");
  end_attempt ();
  if (attempts < MAX_ATTEMPTS)
    {
      start_attempt ();
    }
  else
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                             "libsecret missed the Secret portal's answer %u "
                                             "times", attempts);

      attempts = 0; /* a later call starts again */
      finish_waiters (error);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
on_answered (gpointer user_data)
{
  Attempt *attempt = user_data;

  if (attempt == current && !ready && lost_source == NULL)
    {
      lost_source = g_timeout_source_new (LOST_AFTER_MS);
      g_source_set_name (lost_source, "[keylink] secret portal answer lost");
      g_source_set_callback (lost_source, on_lost, NULL, NULL);
      g_source_attach (lost_source, attempt->context);
    }
  return G_SOURCE_REMOVE;
}

/* In GDBus's worker thread, for every message of the session bus while an attempt is watched:
 * notes the portal's Response to one of this process's requests, and lets every message on. */
static GDBusMessage *
response_filter (GDBusConnection *connection,
                 GDBusMessage    *message,
                 gboolean         incoming,
                 gpointer         user_data)
{
  Attempt *attempt = user_data;
  const char *path;

  if (incoming &&
      g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_SIGNAL &&
      g_strcmp0 (g_dbus_message_get_member (message), "Response") == 0 &&
      g_strcmp0 (g_dbus_message_get_interface (message), PORTAL_REQUEST_INTERFACE) == 0 &&
      (path = g_dbus_message_get_path (message)) != NULL &&
      g_str_has_prefix (path, attempt->request_prefix) &&
      g_atomic_int_compare_and_exchange (&attempt->answered, 0, 1))
    g_main_context_invoke_full (attempt->context, G_PRIORITY_DEFAULT, on_answered,
                                attempt_ref (attempt), attempt_unref);
  return message;
}

static void
on_probed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  g_list_free_full (items, g_object_unref);

  if (ready || (error != NULL && attempt != current))
    {
      /* Done already, or an attempt given up on failed late: nothing to tell. */
      attempt_unref (attempt);
      return;
    }

  g_debug ("Keyring backend %s after %u request%s to the Secret portal",
           error == NULL ? "ready" : "failed", attempts, attempts == 1 ? "" : "s");
  end_attempt ();
  if (error == NULL)
    ready = TRUE;
  else
    attempts = 0; /* a later call starts again */
  finish_waiters (error);
  attempt_unref (attempt);
}

static void
start_attempt (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  Attempt *attempt = g_new0 (Attempt, 1);

  g_atomic_ref_count_init (&attempt->ref);
  attempt->context = g_main_context_ref_thread_default ();
  attempts++;
  current = attempt;

  if (bus != NULL && g_dbus_connection_get_unique_name (bus) != NULL)
    {
      /* The portal's request paths: .../request/SENDER/TOKEN, SENDER being the unique name
       * without its ':' and with '_' for '.'. */
      g_autofree char *sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);

      g_strdelimit (sender, ".", '_');
      attempt->request_prefix = g_strconcat (PORTAL_REQUEST_PREFIX, sender, "/", NULL);
      filter_id = g_dbus_connection_add_filter (bus, response_filter, attempt_ref (attempt),
                                                attempt_unref);
    }

  g_hash_table_insert (attributes, (char *) "probe", (char *) "none");
  secret_password_searchv (&probe_schema, attributes, SECRET_SEARCH_NONE, NULL, on_probed,
                           attempt_ref (attempt));
}

static void
on_bus (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  getting_bus = FALSE;
  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    g_debug ("No session bus (%s): the Secret portal's answers are not watched",
             error->message);
  if (!ready && current == NULL && !g_queue_is_empty (&waiters))
    start_attempt ();
}

static gboolean
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;

  /* The attempt goes on for the other waiters and the next call. */
  g_queue_remove (&waiters, task);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
cancel_source_free (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

/**
 * kl_secret_backend_ensure_async:
 * @cancellable: (nullable): ends this caller's wait (not libsecret's attempt)
 * @callback: called once libsecret has its backend, or could not make it
 * @user_data: for @callback
 *
 * Has libsecret make its backend (see the top of this file), once per process.
 */
void
kl_secret_backend_ensure_async (GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, kl_secret_backend_ensure_async);
  if (ready)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (cancellable != NULL)
    {
      GSource *source = g_cancellable_source_new (cancellable);

      g_source_set_name (source, "[keylink] keyring backend wait cancelled");
      g_source_set_callback (source, G_SOURCE_FUNC (on_waiter_cancelled), task, NULL);
      g_source_attach (source, g_task_get_context (task));
      g_task_set_task_data (task, source, cancel_source_free);
    }
  g_queue_push_tail (&waiters, g_steal_pointer (&task));

  if (current != NULL || getting_bus)
    return;
  if (bus != NULL)
    {
      start_attempt ();
      return;
    }
  getting_bus = TRUE;
  g_bus_get (G_BUS_TYPE_SESSION, NULL, on_bus, NULL);
}

gboolean
kl_secret_backend_ensure_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_secret_backend_ensure_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* How many times libsecret was asked to make the backend it has, or is being waited for (in a
 * sandbox each time asks the Secret portal); 0 after it could not. */
guint
kl_secret_backend_get_attempts (void)
{
  return attempts;
}
