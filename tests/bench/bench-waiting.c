/* bench-waiting.c — the real window while it only waits, for tests/bench/bench.py.
 * Prints one JSON object on stdout.
 *
 *   bench-waiting endpoints [--seconds S]
 *       the Region Endpoints page after Create Endpoints: the project's two endpoints
 *       PENDING_ACCEPTANCE (the admin's approval in Azure, the longest wait of the setup), never
 *       approved; the page's watch at its default schedule (2 s base, 60 s cap).
 *   bench-waiting clusters [--seconds S]
 *       the Clusters page after its Next: both clusters UPDATING on the key, never done.
 *   bench-waiting soak [--time-scale S] [--hours H] [--warm-up H]
 *       the Region Endpoints page with two PENDING_ACCEPTANCE endpoints that never change and
 *       idle clusters, for H simulated hours (default 24) at time scale S (default 0.0005: 24 h
 *       in about 43 s), the simulator's clock and the watch's intervals (2 s and 60 s) both
 *       scaled by S; the process's RSS and open descriptors after a warm-up (default 1 simulated
 *       hour) and at the end, and every simulated hour in between.
 *
 * The window is KlWindow as `keylink` builds it, animations on (as on a desktop), under
 * whatever GSK_RENDERER says. The simulator runs on a thread of its own (bench-common.c), as a
 * remote Atlas would; for the waits its clock is stopped, so nothing moves on by itself. The
 * CPU time is the whole process's (getrusage: every thread, GTK's and the renderer's included)
 * less the simulator thread's own (its CPU-time clock), measured over S seconds (default 60)
 * after a 5 s warm-up; the main thread's share, the frames painted and the requests made are
 * given alongside.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <dirent.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-endpoint-watch.h"
#include "kl-plan.h"
#include "kl-session.h"
#include "kl-test-project.h"
#include "kl-test-utils.h"
#include "kl-test-widget.h"
#include "kl-watch.h"
#include "kl-window.h"
#include "widgets/kl-cluster-row.h"
#include "pages/clusters/kl-clusters-page.h"
#include "pages/endpoints/kl-endpoints-page.h"

#include "bench-common.h"

#define DEADLINE_MS  (60 * 1000)
#define WARM_UP_MS   5000
#define GROUP        KL_SIM_GROUP_READY

typedef struct
{
  SimThread     *st;
  KlAtlasClient *client;
  KlApplication *app;
  KlWindow      *window;
  KlAssistant   *assistant;
  guint          n_frames;
} Bench;

static Bench bench;

/* ---- Waiting on the main loop ------------------------------------------------------------ */

static void
wait_for (KlTestCondition  condition,
          gpointer         data,
          const char      *what)
{
  if (!kl_test_wait_until (condition, data, DEADLINE_MS))
    g_error ("bench-waiting: timed out waiting for %s", what);
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms, doing nothing else. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- Measuring --------------------------------------------------------------------------- */

static gint64
process_cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static gint64
clock_cpu_us (clockid_t clock)
{
  struct timespec ts;

  if (clock_gettime (clock, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* VmRSS, KiB. */
static gint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "\nVmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("\nVmRSS:"), NULL, 10);
}

static int
count_fds (void)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *entry;
  int n = 0;

  if (dir == NULL)
    return -1;
  while ((entry = readdir (dir)) != NULL)
    if (entry->d_name[0] != '.')
      n++;
  closedir (dir);

  return n - 1;  /* the directory's own */
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  bench.n_frames++;
  if (g_getenv ("KL_BENCH_DEBUG_FRAMES") != NULL)
    g_printerr ("frame at %.3f s\n", g_get_monotonic_time () / 1e6);
}

static gboolean
is_spinning (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_SPINNER (widget) && gtk_widget_get_mapped (widget) &&
         gtk_spinner_get_spinning (GTK_SPINNER (widget));
}

/* Spinners on screen and spinning under @root. */
static guint
count_spinning (GtkWidget *root)
{
  guint n = is_spinning (root, NULL) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_spinning (child);

  return n;
}

static guint
count_requests (gint64 from_us,
                gint64 to_us)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonArray *requests;
  guint n = 0;

  json_builder_begin_object (builder);
  add_requests (builder, bench.st);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  requests = json_object_get_array_member (json_node_get_object (root), "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      gint64 start = json_object_get_int_member (json_array_get_object_element (requests, i),
                                                 "startUs");

      if (start >= from_us && start < to_us)
        n++;
    }

  return n;
}

/* The CPU time of the window (all threads but the simulator's) over @seconds. */
static void
measure_cpu (JsonBuilder *builder,
             guint        seconds)
{
  gint64 wall0, cpu0, sim0, main0, sim_clock0;
  gint64 wall1, cpu1, sim1, main1, sim_clock1;
  guint frames0;

  run_for (WARM_UP_MS);
  json_builder_set_member_name (builder, "spinning");
  json_builder_add_int_value (builder, count_spinning (GTK_WIDGET (bench.window)));

  frames0 = bench.n_frames;
  sim_clock0 = sim_now (bench.st);
  wall0 = g_get_monotonic_time ();
  cpu0 = process_cpu_us ();
  sim0 = clock_cpu_us (bench.st->cpu_clock);
  main0 = clock_cpu_us (CLOCK_THREAD_CPUTIME_ID);
  run_for (seconds * 1000);
  main1 = clock_cpu_us (CLOCK_THREAD_CPUTIME_ID);
  sim1 = clock_cpu_us (bench.st->cpu_clock);
  cpu1 = process_cpu_us ();
  wall1 = g_get_monotonic_time ();
  sim_clock1 = sim_now (bench.st);

  json_builder_set_member_name (builder, "wallUs");
  json_builder_add_int_value (builder, wall1 - wall0);
  json_builder_set_member_name (builder, "cpuUs");
  json_builder_add_int_value (builder, (cpu1 - cpu0) - (sim1 - sim0));
  json_builder_set_member_name (builder, "mainCpuUs");
  json_builder_add_int_value (builder, main1 - main0);
  json_builder_set_member_name (builder, "simCpuUs");
  json_builder_add_int_value (builder, sim1 - sim0);
  json_builder_set_member_name (builder, "frames");
  json_builder_add_int_value (builder, bench.n_frames - frames0);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, count_requests (sim_clock0, sim_clock1));
  json_builder_set_member_name (builder, "spinningAfter");
  json_builder_add_int_value (builder, count_spinning (GTK_WIDGET (bench.window)));
}

/* ---- The window -------------------------------------------------------------------------- */

static gboolean
advance_cb (gpointer data)
{
  kl_sim_advance (bench.st->sim, GPOINTER_TO_UINT (data));
  return G_SOURCE_REMOVE;
}

static void
sim_advance (guint seconds)
{
  sim_call (bench.st, advance_cb, GUINT_TO_POINTER (seconds));
}

/* The simulator's project, CMK on (and private networking required, if asked), and the window
 * on it, as after sign-in and the Project page. */
static void
open_window (gboolean private_networking)
{
  KlTestProject project = { bench.st->sim, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KlProject) chosen = NULL;
  KlTestAsync async = { NULL };
  KlSession *session;

  bench.client = kl_atlas_client_new (bench.st->base_url, KL_AUTH_SERVICE_ACCOUNT, SA_CLIENT_ID,
                                      SA_CLIENT_SECRET, &error);
  if (bench.client == NULL)
    g_error ("bench-waiting: %s", error->message);
  project.client = bench.client;
  kl_test_project_enable_cmk (&project, GROUP, private_networking);

  bench.app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (bench.app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (bench.app), NULL, &error))
    g_error ("bench-waiting: %s", error->message);
  bench.window = g_object_ref_sink (kl_window_new (bench.app));
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 720, 900);
  if (!kl_test_window_show (GTK_WINDOW (bench.window)))
    g_error ("bench-waiting: the window was not shown");
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (bench.window)), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  bench.assistant = kl_window_get_assistant (bench.window);

  session = kl_window_get_session (bench.window);
  kl_atlas_client_get_project_async (bench.client, GROUP, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  chosen = kl_atlas_client_get_project_finish (bench.client, result, &error);
  if (chosen == NULL)
    g_error ("bench-waiting: %s", error->message);
  g_clear_object (&result);
  kl_session_set_client (session, bench.client);
  kl_session_set_project (session, chosen);
  kl_session_refresh_async (session, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  if (!kl_session_refresh_finish (session, result, &error))
    g_error ("bench-waiting: %s", error->message);
}

static void
close_window (void)
{
  g_cancellable_cancel (kl_window_get_cancellable (bench.window));
  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_clear_object (&bench.window);
  run_for (100);
  g_clear_object (&bench.app);
  g_clear_object (&bench.client);
}

/* ---- The Region Endpoints page ------------------------------------------------------------ */

typedef struct
{
  KlEndpointsPage  *page;
  KlEndpointStatus  status;
  guint             n;
} EndpointsWait;

static gboolean
endpoints_loaded (gpointer data)
{
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (data);

  return watch != NULL && kl_watch_get_n_polls (KL_WATCH (watch)) > 0;
}

static gboolean
endpoints_in (gpointer data)
{
  EndpointsWait *wait = data;
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (wait->page);
  GListModel *model = kl_endpoint_watch_get_model (watch);
  guint n = g_list_model_get_n_items (model);

  if (kl_endpoints_page_get_busy (wait->page) || n != wait->n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (model, i);

      if (kl_private_endpoint_get_status (endpoint) != wait->status)
        return FALSE;
    }

  return TRUE;
}

/* The endpoints page, Create Endpoints pressed, both endpoints PENDING_ACCEPTANCE. */
static KlEndpointsPage *
show_endpoints_waiting (guint base_ms,
                        guint max_ms)
{
  KlEndpointsPage *page;
  EndpointsWait wait;

  page = KL_ENDPOINTS_PAGE (kl_assistant_get_page (bench.assistant, KL_PAGE_ENDPOINTS));
  if (base_ms != 0)
    kl_endpoints_page_set_poll_intervals (page, base_ms, max_ms);
  if (!kl_assistant_set_current_page (bench.assistant, KL_PAGE_ENDPOINTS))
    g_error ("bench-waiting: the endpoints page cannot be shown");
  wait_for (endpoints_loaded, page, "the endpoints page");

  gtk_widget_activate_action (GTK_WIDGET (page), "endpoints.create", NULL);
  wait = (EndpointsWait) { page, KL_ENDPOINT_STATUS_INITIATING, 2 };
  wait_for (endpoints_in, &wait, "the endpoints INITIATING");
  if (base_ms == 0)
    sim_advance (KL_SIM_INITIATING_SECONDS + 1);
  kl_endpoint_watch_poke (kl_endpoints_page_get_watch (page));
  wait = (EndpointsWait) { page, KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, 2 };
  wait_for (endpoints_in, &wait, "the endpoints PENDING_ACCEPTANCE");

  return page;
}

static void
run_endpoints (JsonBuilder *builder,
               guint        seconds)
{
  open_window (TRUE);
  show_endpoints_waiting (0, 0);
  measure_cpu (builder, seconds);
  close_window ();
}

/* ---- The Clusters page ------------------------------------------------------------------ */

static gboolean
clusters_loaded (gpointer data)
{
  return kl_page_get_complete (KL_PAGE (data)) &&
         kl_session_get_clusters (kl_clusters_page_get_session (data)) != NULL;
}

static gboolean
clusters_updating (gpointer data)
{
  const char *names[] = { "payments-eu", "payments-us" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      KlClusterRow *row = kl_clusters_page_get_row (data, names[i]);

      if (row == NULL || g_strcmp0 (kl_cluster_row_get_status_text (row), "Updating…") != 0)
        return FALSE;
    }

  return TRUE;
}

static void
run_clusters (JsonBuilder *builder,
              guint        seconds)
{
  KlClustersPage *page;

  open_window (FALSE);
  page = KL_CLUSTERS_PAGE (kl_assistant_get_page (bench.assistant, KL_PAGE_CLUSTERS));
  if (!kl_assistant_set_current_page (bench.assistant, KL_PAGE_CLUSTERS))
    g_error ("bench-waiting: the clusters page cannot be shown");
  wait_for (clusters_loaded, page, "the clusters page");
  kl_assistant_next (bench.assistant);
  wait_for (clusters_updating, page, "the clusters UPDATING");
  measure_cpu (builder, seconds);
  close_window ();
}

/* ---- Soak -------------------------------------------------------------------------------- */

static void
add_sample (JsonBuilder *builder,
            double       hours)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "hours");
  json_builder_add_double_value (builder, hours);
  json_builder_set_member_name (builder, "rssKiB");
  json_builder_add_int_value (builder, rss_kib ());
  json_builder_set_member_name (builder, "fds");
  json_builder_add_int_value (builder, count_fds ());
  json_builder_end_object (builder);
}

static void
run_soak (JsonBuilder *builder,
          double       time_scale,
          double       hours,
          double       warm_up_hours)
{
  guint base_ms = MAX (1, (guint) (KL_WATCH_DEFAULT_BASE_INTERVAL * time_scale + 0.5));
  guint max_ms = MAX (base_ms, (guint) (KL_WATCH_DEFAULT_MAX_INTERVAL * time_scale + 0.5));
  guint hour_ms = (guint) (3600 * 1000 * time_scale + 0.5);
  KlEndpointsPage *page;
  gint64 start_us, polls0;

  open_window (TRUE);
  page = show_endpoints_waiting (base_ms, max_ms);

  run_for ((guint) (warm_up_hours * hour_ms));
  start_us = sim_now (bench.st);
  polls0 = kl_watch_get_n_polls (KL_WATCH (kl_endpoints_page_get_watch (page)));
  json_builder_set_member_name (builder, "samples");
  json_builder_begin_array (builder);
  add_sample (builder, 0);
  for (guint h = 1; h <= (guint) hours; h++)
    {
      run_for (hour_ms);
      add_sample (builder, h);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "timeScale");
  json_builder_add_double_value (builder, time_scale);
  json_builder_set_member_name (builder, "baseIntervalMs");
  json_builder_add_int_value (builder, base_ms);
  json_builder_set_member_name (builder, "maxIntervalMs");
  json_builder_add_int_value (builder, max_ms);
  json_builder_set_member_name (builder, "warmUpHours");
  json_builder_add_double_value (builder, warm_up_hours);
  json_builder_set_member_name (builder, "polls");
  json_builder_add_int_value (builder,
                              kl_watch_get_n_polls (KL_WATCH (kl_endpoints_page_get_watch (page)))
                              - polls0);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, count_requests (start_us, sim_now (bench.st)));
  json_builder_set_member_name (builder, "wallUs");
  json_builder_add_int_value (builder, sim_now (bench.st) - start_us);
  close_window ();
}

/* ------------------------------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  int seconds = 60;
  double time_scale = 0.0005;
  double hours = 24;
  double warm_up = 1;
  const char *mode;
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds,
      "Seconds to measure (endpoints, clusters; default 60)", "S" },
    { "time-scale", 0, 0, G_OPTION_ARG_DOUBLE, &time_scale,
      "Real seconds per simulated second (soak; default 0.0005)", "S" },
    { "hours", 0, 0, G_OPTION_ARG_DOUBLE, &hours,
      "Simulated hours of the soak (default 24)", "H" },
    { "warm-up", 0, 0, G_OPTION_ARG_DOUBLE, &warm_up,
      "Simulated hours before the first sample (soak; default 1)", "H" },
    { NULL }
  };

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  context = g_option_context_new ("endpoints|clusters|soak");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || seconds <= 0 ||
      time_scale <= 0 || hours < 1 || warm_up < 0 ||
      (g_strcmp0 (argv[1], "endpoints") != 0 && g_strcmp0 (argv[1], "clusters") != 0 &&
       g_strcmp0 (argv[1], "soak") != 0))
    {
      g_printerr ("usage: bench-waiting endpoints|clusters [--seconds S]\n"
                  "       bench-waiting soak [--time-scale S] [--hours H] [--warm-up H]\n");
      return 2;
    }
  mode = argv[1];

  gtk_init ();
  adw_init ();

  /* Waits: the simulator's clock stopped (only the bench moves it); soak: scaled. */
  bench.st = sim_thread_new (g_str_equal (mode, "soak") ? time_scale : 0, 0);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, mode);
  json_builder_set_member_name (builder, "renderer");
  json_builder_add_string_value (builder, g_getenv ("GSK_RENDERER") != NULL
                                          ? g_getenv ("GSK_RENDERER") : "");
  if (g_str_equal (mode, "endpoints"))
    run_endpoints (builder, (guint) seconds);
  else if (g_str_equal (mode, "clusters"))
    run_clusters (builder, (guint) seconds);
  else
    run_soak (builder, time_scale, hours, warm_up);
  json_builder_end_object (builder);
  print_builder (builder);

  sim_thread_free (bench.st);

  return 0;
}
