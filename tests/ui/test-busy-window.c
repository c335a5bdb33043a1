/* test-busy-window.c — the setup's cluster wait and the teardown's endpoint wait finish while
 * a window animates under GTK's default renderer (GSK_RENDERER=gl, tests/meson.build: Mesa's
 * software GL under Xvfb, as on VMs and machines without GPU drivers) on a busy machine.
 *
 * There, a frame costs more than the refresh interval, so a frame is always due: a main-loop
 * source below GTK's redraw priority (120), such as a default idle (200), never runs. The
 * watches' first poll after a poke was such an idle, and the flow stalled for good (issue
 * 19). Here a real window full of spinning GtkSpinners is shown, every CPU is kept busy by a
 * thread of this test until it ends (bounded: the threads stop with each case), and the real
 * KlSetupRunner and KlTeardown talk HTTP over loopback to the simulator; each case must end
 * before a main-loop deadline.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "kl-cluster-watch.h"
#include "kl-plan.h"
#include "kl-setup-runner.h"
#include "kl-teardown.h"
#include "kl-test-project.h"
#include "kl-test-widget.h"

#define GROUP KL_SIM_GROUP_READY

/* What the flow may take here (scaled, kl-test-utils.h): a second or two when nothing
 * starves it, forever when something does. */
#define FLOW_DEADLINE_MS 10000

#define N_SPINNERS 48

typedef struct
{
  KlTestProject *project;
  GtkWindow     *window;
  guint          tick_id;
  guint          n_frames;
  gint64         first_frame_us;
  gint64         last_frame_us;
  GPtrArray     *burners;
  gint           burning;       /* atomic: the burner threads run while it is 1 */
} Fixture;

/* ---- a busy machine: one thread a CPU, spinning until the case ends ---- */

static gpointer
burn_cb (gpointer user_data)
{
  Fixture *fixture = user_data;
  volatile guint64 sink = 0;

  while (g_atomic_int_get (&fixture->burning))
    for (guint i = 0; i < 100000; i++)
      sink += i;

  return NULL;
}

static void
start_burning (Fixture *fixture)
{
  guint n = MAX (g_get_num_processors (), 1);

  g_atomic_int_set (&fixture->burning, 1);
  fixture->burners = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (fixture->burners, g_thread_new ("burner", burn_cb, fixture));
}

static void
stop_burning (Fixture *fixture)
{
  if (fixture->burners == NULL)
    return;

  g_atomic_int_set (&fixture->burning, 0);
  for (guint i = 0; i < fixture->burners->len; i++)
    g_thread_join (fixture->burners->pdata[i]);
  g_clear_pointer (&fixture->burners, g_ptr_array_unref);
}

/* ---- a window that animates: spinners everywhere, each frame counted ---- */

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Fixture *fixture = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (fixture->n_frames++ == 0)
    fixture->first_frame_us = now;
  fixture->last_frame_us = now;

  return G_SOURCE_CONTINUE;
}

static void
open_busy_window (Fixture *fixture)
{
  GtkWidget *grid = gtk_grid_new ();
  GskRenderer *renderer;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (fixture->window);
  gtk_window_set_title (fixture->window, "Busy window");
  gtk_window_set_default_size (fixture->window, 1200, 900);
  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  for (guint i = 0; i < N_SPINNERS; i++)
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
      gtk_widget_set_hexpand (spinner, TRUE);
      gtk_widget_set_vexpand (spinner, TRUE);
      gtk_grid_attach (GTK_GRID (grid), spinner, i % 8, i / 8, 1, 1);
    }
  gtk_window_set_child (fixture->window, grid);
  g_assert_true (kl_test_window_show (fixture->window));

  /* GTK's default renderer, as users have it: GL (on Mesa's llvmpipe here), not cairo. */
  renderer = gtk_native_get_renderer (GTK_NATIVE (fixture->window));
  g_test_message ("renderer: %s", G_OBJECT_TYPE_NAME (renderer));
  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "gl") == 0)
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), ==, "GskGLRenderer");

  fixture->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (fixture->window), count_frame_cb,
                                                   fixture, NULL);
}

static void
report_frames (Fixture    *fixture,
               const char *what)
{
  gint64 span_us = fixture->last_frame_us - fixture->first_frame_us;

  g_test_message ("%s: %u frames in %" G_GINT64_FORMAT " ms (%.1f ms a frame)", what,
                  fixture->n_frames, span_us / 1000,
                  fixture->n_frames > 1 ? span_us / 1000.0 / (fixture->n_frames - 1) : 0.0);
  /* The window did animate all along: frames were due. */
  g_assert_cmpuint (fixture->n_frames, >, 1);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  /* A frozen clock for the set-up; each case lets it run 1000 times as fast for its flow. */
  fixture->project = kl_test_project_new (0);
  /* UPDATING from the PATCH's answer on: at 1000 times as fast, the default watch intervals
   * (2 s) would miss a 120 ms update after the IDLE-after-PATCH delay and sit out the settle
   * time. The delay and the client's answer to it are tests/core/test-clusters.c's. */
  kl_sim_set_cluster_propagation (fixture->project->sim, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  stop_burning (fixture);
  if (fixture->window != NULL)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (fixture->window), fixture->tick_id);
      gtk_window_destroy (fixture->window);
      g_assert_finalize_object (fixture->window);
    }
  kl_test_project_free (fixture->project);
}

static gboolean
async_done (gpointer user_data)
{
  return ((KlTestAsync *) user_data)->result != NULL;
}

/* Runs the main loop until @async has its result, or fails the test at the deadline. */
static GAsyncResult *
wait_flow (Fixture     *fixture,
           KlTestAsync *async,
           const char  *what)
{
  gint64 started = g_get_monotonic_time ();
  gboolean done = kl_test_wait_until (async_done, async, FLOW_DEADLINE_MS);
  gint64 elapsed_ms = (g_get_monotonic_time () - started) / 1000;

  g_test_message ("%s: %s after %" G_GINT64_FORMAT " ms", what, done ? "done" : "NOT done",
                  elapsed_ms);
  if (!done)
    {
      g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->project->sim);

      report_frames (fixture, what);
      g_error ("%s: the flow stalled while the window animated (%" G_GINT64_FORMAT " ms, "
               "%u requests answered)", what, elapsed_ms, requests->len);
    }

  return g_steal_pointer (&async->result);
}

/* ---- tests ---- */

static void
test_clusters (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KlSetupRunner) runner = kl_setup_runner_new (fixture->project->client, GROUP);
  g_autoptr(KlClusterWatch) watch = kl_cluster_watch_new (fixture->project->client, GROUP);
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *steps = kl_setup_runner_get_steps (runner);
  KlTestAsync async = { NULL };

  kl_test_project_enable_cmk (fixture->project, GROUP, FALSE);
  clusters = kl_test_project_list_clusters (fixture->project, GROUP);
  g_assert_cmpuint (clusters->len, >=, 2);
  kl_setup_runner_set_cluster_watch (runner, watch);

  open_busy_window (fixture);
  start_burning (fixture);
  /* A cluster updates for 120 ms. */
  kl_sim_set_time_scale (fixture->project->sim, 0.001);

  /* "Use Key on N Clusters": the PATCHes, then the wait for every cluster to be IDLE. */
  kl_setup_runner_enable_clusters_async (runner, clusters, NULL, kl_test_async_cb, &async);
  result = wait_flow (fixture, &async, "clusters");
  g_assert_true (kl_setup_runner_enable_clusters_finish (runner, result, &error));
  g_assert_no_error (error);
  stop_burning (fixture);
  report_frames (fixture, "clusters");

  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, clusters->len);
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);
      KlCluster *cluster = kl_step_get_object (step);

      g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
      g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "IDLE");
      g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (cluster), ==, "AZURE");
    }

  /* The result holds its source object. */
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&runner));
  g_assert_finalize_object (g_steal_pointer (&watch));
}

static void
test_teardown (Fixture       *fixture,
               gconstpointer  data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  KlSim *sim = fixture->project->sim;
  g_autoptr(KlSetupRunner) runner = kl_setup_runner_new (fixture->project->client, GROUP);
  g_autoptr(KlTeardown) teardown = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *steps;
  KlTestAsync async = { NULL };

  /* The key, private networking and an ACTIVE endpoint, with the clock moved by hand. */
  kl_test_project_enable_cmk (fixture->project, GROUP, TRUE);
  kl_setup_runner_create_endpoints_async (runner, regions, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_create_endpoints_finish (runner, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  kl_sim_advance (sim, KL_SIM_INITIATING_SECONDS);
  endpoints = kl_test_project_list_endpoints (fixture->project, GROUP);
  g_assert_cmpuint (endpoints->len, ==, 1);
  kl_sim_approve_endpoint (sim, GROUP, kl_private_endpoint_get_id (endpoints->pdata[0]), &error);
  g_assert_no_error (error);
  kl_sim_advance (sim, KL_SIM_ACTIVATION_SECONDS);
  g_clear_pointer (&endpoints, g_ptr_array_unref);

  open_busy_window (fixture);
  start_burning (fixture);
  /* An endpoint is deleted in 60 ms. */
  kl_sim_set_time_scale (sim, 0.001);

  /* "Turn Off Private Networking": the DELETE, the wait until Atlas has removed every private
   * endpoint, then the PATCH. */
  teardown = kl_teardown_new (fixture->project->client, GROUP, KL_TEARDOWN_PRIVATE_NETWORKING);
  kl_teardown_run_async (teardown, NULL, kl_test_async_cb, &async);
  result = wait_flow (fixture, &async, "teardown");
  g_assert_true (kl_teardown_run_finish (teardown, result, &error));
  g_assert_no_error (error);
  stop_burning (fixture);
  report_frames (fixture, "teardown");

  steps = kl_teardown_get_steps (teardown);
  g_assert_cmpuint (g_list_model_get_n_items (steps), >=, 3);
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
    }
  endpoints = kl_test_project_list_endpoints (fixture->project, GROUP);
  g_assert_cmpuint (endpoints->len, ==, 0);
  ear = kl_test_project_get_ear (fixture->project, GROUP);
  g_assert_false (kl_azure_key_vault_get_require_private_networking (
                    kl_encryption_at_rest_get_azure_key_vault (ear)));

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&teardown));
  g_assert_finalize_object (g_steal_pointer (&runner));
}

int
main (int    argc,
      char **argv)
{
  kl_test_widget_init (&argc, &argv);

  g_test_add ("/busy-window/clusters", Fixture, NULL, fixture_set_up, test_clusters,
              fixture_tear_down);
  g_test_add ("/busy-window/teardown", Fixture, NULL, fixture_set_up, test_teardown,
              fixture_tear_down);

  return g_test_run ();
}
