/* bench-common.c — what the benchmark programs share: the simulator on a thread of its own
 * (as a remote Atlas would be: the main loop measured is the client's alone), the main loop's
 * lateness (a G_PRIORITY_HIGH 1 ms timer, split with the kernel's schedstat into the thread's
 * own stall and the time it waited for a CPU) and the JSON output bench.py reads.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "bench-common.h"

/* ------------------------------------------------------------------------------------------ */
/* The simulator, on its own thread                                                            */

static void
approval_record_free (gpointer data)
{
  ApprovalRecord *record = data;

  g_free (record->group_id);
  g_free (record->endpoint_id);
  g_free (record->region);
  g_free (record);
}

static gpointer
sim_thread_main (gpointer data)
{
  SimThread *st = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (st->context);
  if (pthread_getcpuclockid (pthread_self (), &st->cpu_clock) != 0)
    g_error ("The simulator thread has no CPU-time clock");

  st->sim = kl_sim_new ();
  kl_sim_set_time_scale (st->sim, st->time_scale);
  kl_sim_set_latency (st->sim, st->latency_ms);
  kl_sim_add_service_account (st->sim, SA_CLIENT_ID, SA_CLIENT_SECRET);
  st->started_at = g_get_monotonic_time ();
  if (!kl_sim_start (st->sim, 0, &error))
    g_error ("The simulator did not start: %s", error->message);

  g_mutex_lock (&st->lock);
  st->base_url = g_strdup (kl_sim_get_base_url (st->sim));
  st->ready = TRUE;
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);

  g_main_loop_run (st->loop);

  kl_sim_stop (st->sim);
  g_clear_object (&st->sim);
  g_main_context_pop_thread_default (st->context);

  return NULL;
}

SimThread *
sim_thread_new (double time_scale,
                guint  latency_ms)
{
  SimThread *st = g_new0 (SimThread, 1);

  st->context = g_main_context_new ();
  st->loop = g_main_loop_new (st->context, FALSE);
  st->time_scale = time_scale;
  st->latency_ms = latency_ms;
  st->approvals = g_ptr_array_new_with_free_func (approval_record_free);
  g_mutex_init (&st->lock);
  g_cond_init (&st->cond);
  st->thread = g_thread_new ("bench-sim", sim_thread_main, st);

  g_mutex_lock (&st->lock);
  while (!st->ready)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);

  return st;
}

void
sim_thread_free (SimThread *st)
{
  g_main_loop_quit (st->loop);
  g_thread_join (st->thread);
  g_main_loop_unref (st->loop);
  g_main_context_unref (st->context);
  g_ptr_array_unref (st->approvals);
  g_free (st->base_url);
  g_mutex_clear (&st->lock);
  g_cond_clear (&st->cond);
  g_free (st);
}

/* µs on the simulator's request-log clock. */
gint64
sim_now (SimThread *st)
{
  return g_get_monotonic_time () - st->started_at;
}

/* Runs @func on the simulator's thread and waits for it. */
typedef struct
{
  SimThread   *st;
  GSourceFunc  func;
  gpointer     data;
  gboolean     done;
} SimCall;

static gboolean
sim_call_cb (gpointer data)
{
  SimCall *call = data;

  call->func (call->data);
  g_mutex_lock (&call->st->lock);
  call->done = TRUE;
  g_cond_broadcast (&call->st->cond);
  g_mutex_unlock (&call->st->lock);

  return G_SOURCE_REMOVE;
}

void
sim_call (SimThread   *st,
          GSourceFunc  func,
          gpointer     data)
{
  SimCall call = { st, func, data, FALSE };

  g_main_context_invoke (st->context, sim_call_cb, &call);
  g_mutex_lock (&st->lock);
  while (!call.done)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);
}

typedef struct
{
  SimThread *st;
  GPtrArray *requests;
} DupRequests;

static gboolean
dup_requests_cb (gpointer data)
{
  DupRequests *dup = data;

  dup->requests = kl_sim_dup_requests (dup->st->sim);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------------ */
/* Main-loop lateness                                                                          */

/* The main context's poll (), timed: when it returns because its timeout ran out (no file
 * descriptor ready), the time past that timeout is how late the kernel (or, in a virtual
 * machine, the host) woke the idle main thread -- nothing of ours ran or waited meanwhile.
 * GLib rounds a timeout up to the next millisecond, so this never counts more than the truth. */
static GPollFunc default_poll;
static gint64    poll_woke_late_us; /* main thread only */

static gint
timed_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout_ms)
{
  gint64 start = g_get_monotonic_time ();
  gint ready = default_poll (fds, n_fds, timeout_ms);

  if (ready == 0 && timeout_ms >= 0)
    poll_woke_late_us += MAX (0, g_get_monotonic_time () - start - (gint64) timeout_ms * 1000);
  return ready;
}

/* CPU time of the calling thread, µs. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* How long the main thread has waited on a run queue, ready but without a CPU (the kernel's
 * schedstat, second field, ns), µs; -1 when the kernel does not say. */
static gint64
thread_wait_us (Stall *stall)
{
  char buf[128];
  char *end = NULL, *wait_end = NULL;
  ssize_t n;
  guint64 wait_ns;

  if (stall->schedstat_fd < 0)
    return -1;

  n = pread (stall->schedstat_fd, buf, sizeof buf - 1, 0);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  /* "<running ns> <waiting ns> <timeslices>" */
  g_ascii_strtoull (buf, &end, 10);
  wait_ns = g_ascii_strtoull (end, &wait_end, 10);
  if (end == buf || wait_end == end)
    return -1;

  return (gint64) (wait_ns / 1000);
}

static gboolean
stall_tick_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();
  gint64 wait = thread_wait_us (stall);
  gint64 woke_late = poll_woke_late_us;

  /* GLib re-arms a timeout from its dispatch: it was due 1 ms after the last one. The
   * lateness splits into the main thread running (its own work), waiting for a CPU while
   * ready (other processes, or threads, had the cores: starvation, not a stall of ours),
   * asleep in an idle poll () past its timeout (woken late: the machine, see timed_poll ()),
   * and the rest, blocked (in a system call, on a lock: a stall of ours too). Own = lateness
   * less the wait for a CPU and the late wake-ups; without schedstat, only the running part
   * can be told apart. */
  if (stall->last != 0)
    {
      gint64 late = MAX (0, now - stall->last - 1000);
      gint64 busy = MIN (late, MAX (0, cpu - stall->last_cpu));
      gint64 slept = MIN (late, woke_late - stall->last_woke_late);
      gint64 own = busy;
      gint64 waited = -1;

      if (wait >= 0 && stall->last_wait >= 0)
        {
          waited = MAX (0, wait - stall->last_wait);
          /* A late wake-up ends with a wait for a CPU when the cores are taken: the two
           * overlap, so only the larger is taken off (never counting less than the truth). */
          own = MAX (busy, late - MAX (waited, slept));
        }

      g_array_append_val (stall->lateness_us, late);
      g_array_append_val (stall->busy_us, busy);
      g_array_append_val (stall->own_us, own);
      if (late > stall->max)
        {
          stall->max = late;
          stall->max_at = now;
          stall->max_busy = busy;
          stall->max_wait = waited;
          stall->max_woke_late = slept;
        }
    }
  stall->last = now;
  stall->last_cpu = cpu;
  stall->last_wait = wait;
  stall->last_woke_late = woke_late;

  return G_SOURCE_CONTINUE;
}

void
stall_start (Stall *stall)
{
  if (default_poll == NULL)
    {
      default_poll = g_main_context_get_poll_func (NULL);
      g_main_context_set_poll_func (NULL, timed_poll);
    }
  stall->lateness_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  stall->busy_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  stall->own_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* Called on the main thread: thread-self is the main loop's. */
  stall->schedstat_fd = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  stall->last_wait = -1;
  stall->last = 0;
  stall->max = 0;
  stall->last_woke_late = poll_woke_late_us;
  stall->max_busy = 0;
  stall->max_wait = -1;
  stall->max_woke_late = 0;
  stall->source_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, stall_tick_cb, stall, NULL);
  g_source_set_name_by_id (stall->source_id, "[bench] main-loop lateness");
}

static gint
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
add_distribution (JsonBuilder *builder,
                  const char  *name,
                  GArray      *values)
{
  gint64 max = 0, p99 = 0, p50 = 0;

  g_array_sort (values, compare_gint64);
  if (values->len > 0)
    {
      max = g_array_index (values, gint64, values->len - 1);
      p99 = g_array_index (values, gint64, (guint) ((values->len - 1) * 0.99));
      p50 = g_array_index (values, gint64, (values->len - 1) / 2);
    }

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "samples");
  json_builder_add_int_value (builder, values->len);
  json_builder_set_member_name (builder, "maxUs");
  json_builder_add_int_value (builder, max);
  json_builder_set_member_name (builder, "p99Us");
  json_builder_add_int_value (builder, p99);
  json_builder_set_member_name (builder, "p50Us");
  json_builder_add_int_value (builder, p50);
  json_builder_end_object (builder);
}

/* Adds "<name>" (lateness), "<name>Busy" (its running part) and "<name>Own" (less the wait
 * for a CPU and the late wake-ups); @origin: g_get_monotonic_time () of the simulator's start, the zero of the
 * output. */
void
stall_stop (Stall       *stall,
            const char  *name,
            gint64       origin,
            JsonBuilder *builder)
{
  g_autofree char *busy_name = g_strconcat (name, "Busy", NULL);
  g_autofree char *own_name = g_strconcat (name, "Own", NULL);
  g_autofree char *at_name = g_strconcat (name, "MaxAtUs", NULL);
  g_autofree char *max_name = g_strconcat (name, "Max", NULL);

  g_clear_handle_id (&stall->source_id, g_source_remove);
  add_distribution (builder, name, stall->lateness_us);
  add_distribution (builder, busy_name, stall->busy_us);
  add_distribution (builder, own_name, stall->own_us);
  json_builder_set_member_name (builder, "schedstat");
  json_builder_add_boolean_value (builder, stall->schedstat_fd >= 0);
  json_builder_set_member_name (builder, at_name);
  json_builder_add_int_value (builder, stall->max_at - origin);
  json_builder_set_member_name (builder, max_name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "runningUs");
  json_builder_add_int_value (builder, stall->max_busy);
  json_builder_set_member_name (builder, "waitingUs");
  json_builder_add_int_value (builder, stall->max_wait);
  json_builder_set_member_name (builder, "wokeLateUs");
  json_builder_add_int_value (builder, stall->max_woke_late);
  json_builder_end_object (builder);
  g_clear_pointer (&stall->lateness_us, g_array_unref);
  g_clear_pointer (&stall->busy_us, g_array_unref);
  g_clear_pointer (&stall->own_us, g_array_unref);
  if (stall->schedstat_fd >= 0)
    close (stall->schedstat_fd);
  stall->schedstat_fd = -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                      */

void
add_requests (JsonBuilder *builder,
              SimThread   *st)
{
  DupRequests dup = { st, NULL };

  sim_call (st, dup_requests_cb, &dup);

  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < dup.requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (dup.requests, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, request->method);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, request->path);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, request->status);
      json_builder_set_member_name (builder, "startUs");
      json_builder_add_int_value (builder, request->start_us);
      json_builder_set_member_name (builder, "endUs");
      json_builder_add_int_value (builder, request->end_us);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  g_ptr_array_unref (dup.requests);
}

void
print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
