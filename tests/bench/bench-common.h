/* bench-common.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <time.h>

#include <json-glib/json-glib.h>

#include "kl-sim.h"

G_BEGIN_DECLS

#define SA_CLIENT_ID     "mdb_sa_id_65f00000000000000000be01"
#define SA_CLIENT_SECRET "mdb_sa_sk_bench-only-not-a-secret"

/* The simulator, on its own thread */
typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  KlSim        *sim;
  double        time_scale;
  guint         latency_ms;
  char         *base_url;
  gint64        started_at;  /* g_get_monotonic_time () just before kl_sim_start () */
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  GPtrArray    *approvals;   /* ApprovalRecord, under lock */
  clockid_t     cpu_clock;   /* the simulator thread's CPU-time clock */
} SimThread;

typedef struct
{
  char   *group_id;
  char   *endpoint_id;
  char   *region;
  gint64  at_us;
} ApprovalRecord;

SimThread *sim_thread_new   (double       time_scale,
                             guint        latency_ms);
void       sim_thread_free  (SimThread   *st);
gint64     sim_now          (SimThread   *st);
void       sim_call         (SimThread   *st,
                             GSourceFunc  func,
                             gpointer     data);

/* Main-loop lateness */
typedef struct
{
  guint   source_id;
  int     schedstat_fd; /* the main thread's /proc/thread-self/schedstat, or -1 */
  gint64  last;
  gint64  last_cpu;
  gint64  last_wait;
  gint64  max;
  gint64  max_at;       /* monotonic µs of the latest tick */
  gint64  last_woke_late;
  gint64  max_busy;     /* of the latest tick: running */
  gint64  max_wait;     /* of the latest tick: waiting for a CPU, or -1 */
  gint64  max_woke_late; /* of the latest tick: woken late from an idle poll () */
  GArray *lateness_us;  /* gint64 */
  GArray *busy_us;      /* gint64: the part of each lateness the main thread spent running */
  GArray *own_us;       /* gint64: the lateness less the time the thread waited for a CPU */
} Stall;

void       stall_start      (Stall       *stall);
void       stall_stop       (Stall       *stall,
                             const char  *name,
                             gint64       origin,
                             JsonBuilder *builder);

/* Output */
void       add_requests     (JsonBuilder *builder,
                             SimThread   *st);
void       print_builder    (JsonBuilder *builder);

G_END_DECLS
