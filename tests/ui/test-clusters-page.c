/* test-clusters-page.c — the Clusters and Done pages against the in-process simulator:
 * enabling the key on clusters in parallel, ineligible clusters, errors on their row, the
 * summary; and screenshots of both pages.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-session.h"
#include "kl-setup-runner.h"
#include "kl-test-project.h"
#include "kl-test-widget.h"
#include "pages/clusters/kl-clusters-page.h"
#include "pages/done/kl-done-page.h"

#define TIMEOUT_MS KL_TEST_DEADLINE_MS

#define CLUSTERS_PATCH_PATH(group, name) "/api/atlas/v2/groups/" group "/clusters/" name

/* A frozen clock (the tests move it), and UPDATING from the PATCH's answer on: the
 * IDLE-after-PATCH delay and the client's answer to it are tests/core/test-clusters.c's. */
static KlTestProject *
test_project_new (void)
{
  KlTestProject *project = kl_test_project_new (0);

  kl_sim_set_cluster_propagation (project->sim, 0);
  return project;
}

static KlApplication *app;

typedef struct
{
  KlTestProject  *project;
  KlSession      *session;
  GtkWindow      *window;
  GCancellable   *cancellable;   /* the window's: cancelled when it closes */
  KlAssistant    *assistant;
  KlClustersPage *clusters_page;
  KlDonePage     *done_page;
} Fixture;

/* ---- the window: what KlWindow does for the pages, without its setup pages ---- */

static gboolean
close_request_cb (GtkWindow    *window,
                  GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
  return FALSE;
}

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthWait;

static gboolean
has_width (gpointer user_data)
{
  WidthWait *wait = user_data;

  return gtk_widget_get_width (wait->widget) == wait->width;
}

static void
open_window (Fixture *fixture,
             int      width,
             int      height)
{
  GtkWidget *box, *header;
  WidthWait wait;
  int border;

  fixture->cancellable = g_cancellable_new ();
  fixture->window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  g_object_ref_sink (fixture->window);
  g_signal_connect (fixture->window, "close-request", G_CALLBACK (close_request_cb),
                    fixture->cancellable);

  fixture->assistant = kl_assistant_new ();
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->assistant), TRUE);
  kl_assistant_set_cancellable (fixture->assistant, fixture->cancellable);

  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new ("Keylink", "Atlas encryption at rest "
                                                                    "with your Azure key"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->assistant));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (fixture->window), box);

  fixture->clusters_page = KL_CLUSTERS_PAGE (kl_test_prepare_page (kl_prepare_clusters_page,
                                                                   fixture->session, NULL,
                                                                   fixture->cancellable));
  kl_clusters_page_set_poll_intervals (fixture->clusters_page, 5, 40);
  fixture->done_page = KL_DONE_PAGE (kl_test_prepare_page (kl_prepare_done_page, fixture->session,
                                                           NULL, fixture->cancellable));
  kl_assistant_add_page (fixture->assistant, KL_PAGE (fixture->clusters_page));
  kl_assistant_add_page (fixture->assistant, KL_PAGE (fixture->done_page));

  gtk_window_set_default_size (fixture->window, width, height);
  g_assert_true (kl_test_window_show (fixture->window));

  /* The default size counts the resize border of client-side decorations. */
  border = width - gtk_widget_get_width (GTK_WIDGET (fixture->window));
  if (border != 0)
    {
      wait = (WidthWait) { GTK_WIDGET (fixture->window), width };
      gtk_window_set_default_size (fixture->window, width + border, height + border);
      g_assert_true (kl_test_wait_until (has_width, &wait, TIMEOUT_MS));
      g_assert_true (kl_test_window_show (fixture->window));
    }
}

static KlProject *
get_project (KlTestProject *project,
             const char    *group_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlProject *found;

  kl_atlas_client_get_project_async (project->client, group_id, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  found = kl_atlas_client_get_project_finish (project->client, result, &error);
  g_assert_no_error (error);
  return found;
}

static void
fixture_open (Fixture    *fixture,
              const char *group_id,
              gboolean    enable_cmk,
              int         width,
              int         height)
{
  g_autoptr(KlProject) project = NULL;

  fixture->project = test_project_new ();  /* frozen clock: the test moves it */
  if (enable_cmk)
    kl_test_project_enable_cmk (fixture->project, group_id, FALSE);

  project = get_project (fixture->project, group_id);
  fixture->session = kl_session_new ();
  kl_session_set_client (fixture->session, fixture->project->client);
  kl_session_set_project (fixture->session, project);

  open_window (fixture, width, height);
}

static gboolean
nothing_in_flight (gpointer user_data)
{
  Fixture *fixture = user_data;

  /* The pages' reads hold them until their (cancelled) answers are in. */
  return G_OBJECT (fixture->clusters_page)->ref_count == 1 &&
         G_OBJECT (fixture->done_page)->ref_count == 1;
}

static void
fixture_close (Fixture *fixture)
{
  g_object_ref (fixture->clusters_page);
  g_object_ref (fixture->done_page);
  /* What KlWindow does when it goes: stop everything in flight. */
  g_cancellable_cancel (fixture->cancellable);
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->window);
  g_assert_true (kl_test_wait_until (nothing_in_flight, fixture, TIMEOUT_MS));
  g_assert_finalize_object (fixture->clusters_page);
  g_assert_finalize_object (fixture->done_page);
  g_assert_finalize_object (fixture->session);
  g_clear_object (&fixture->cancellable);
  kl_test_project_free (fixture->project);
}

/* ---- helpers ---- */

static gboolean
page_loaded (gpointer user_data)
{
  Fixture *fixture = user_data;

  return kl_page_get_complete (KL_PAGE (fixture->clusters_page)) &&
         kl_session_get_clusters (fixture->session) != NULL;
}

static void
show_clusters (Fixture *fixture)
{
  g_assert_true (kl_assistant_set_current_page (fixture->assistant, KL_PAGE_CLUSTERS));
  g_assert_true (kl_test_wait_until (page_loaded, fixture, TIMEOUT_MS));
}

typedef struct
{
  KlTestProject *project;
  guint          n;
} RequestsWait;

static gboolean
patches_answered (gpointer user_data)
{
  RequestsWait *wait = user_data;
  g_autoptr(GPtrArray) patches = kl_test_project_requests (wait->project, "PATCH", NULL);

  return patches->len >= wait->n;
}

static gboolean
apply_over (gpointer user_data)
{
  return !kl_page_get_applying (KL_PAGE (user_data));
}

static gboolean
done_loaded (gpointer user_data)
{
  Fixture *fixture = user_data;

  return kl_assistant_get_current_page (fixture->assistant) == KL_PAGE (fixture->done_page) &&
         kl_done_page_get_loaded (fixture->done_page);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  return kl_test_find_by_label (root, text);
}

/* ---- tests ---- */

/* Both clusters of the ready project are enabled at once: both PATCHes are in before either is
 * answered; both go through UPDATING and end IDLE on the key; the summary follows. */
static void
test_enable_parallel (void)
{
  g_autoptr(GPtrArray) patches = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  Fixture fixture = { NULL };
  RequestsWait wait;
  KlClusterRow *eu, *us;
  gint64 first_answer;

  fixture_open (&fixture, KL_SIM_GROUP_READY, TRUE, 720, 900);
  show_clusters (&fixture);

  eu = kl_clusters_page_get_row (fixture.clusters_page, "payments-eu");
  us = kl_clusters_page_get_row (fixture.clusters_page, "payments-us");
  g_assert_nonnull (eu);
  g_assert_nonnull (us);
  /* The default: every eligible Azure cluster not on the key yet. */
  g_assert_true (kl_cluster_row_get_selected (eu));
  g_assert_true (kl_cluster_row_get_selected (us));
  g_assert_cmpstr (kl_cluster_row_get_status_text (eu), ==, "Idle · Atlas-managed");
  g_assert_nonnull (find_label (GTK_WIDGET (eu), "M30 · Azure · West Europe (EUROPE_WEST)"));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (fixture.clusters_page)), ==,
                   "_Use Key on 2 Clusters");

  /* Answers take a while, so two requests in parallel overlap for sure. */
  kl_sim_set_latency (fixture.project->sim, 100);
  kl_sim_clear_requests (fixture.project->sim);
  kl_assistant_next (fixture.assistant);
  g_assert_true (kl_page_get_applying (KL_PAGE (fixture.clusters_page)));

  wait = (RequestsWait) { fixture.project, 2 };
  g_assert_true (kl_test_wait_until (patches_answered, &wait, TIMEOUT_MS));
  patches = kl_test_project_requests (fixture.project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 2);
  first_answer = MIN (((KlSimRequest *) patches->pdata[0])->end_us,
                      ((KlSimRequest *) patches->pdata[1])->end_us);
  for (guint i = 0; i < patches->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (patches, i);

      g_assert_cmpuint (request->status, ==, 200);
      g_assert_cmpint (request->start_us, <, first_answer);
    }
  kl_sim_set_latency (fixture.project->sim, 0);

  /* Frozen clock: both UPDATING, each row says so. */
  g_assert_true (kl_page_get_applying (KL_PAGE (fixture.clusters_page)));
  /* With how long, once the watch has seen it: “Updating… · for less than a minute”. */
  g_assert_true (g_str_has_prefix (kl_cluster_row_get_status_text (eu), "Updating…"));
  g_assert_true (g_str_has_prefix (kl_cluster_row_get_status_text (us), "Updating…"));
  g_assert_cmpstr (kl_clusters_page_get_progress_text (fixture.clusters_page), ==, "0 of 2 done");

  kl_sim_advance (fixture.project->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  g_assert_true (kl_test_wait_until (apply_over, fixture.clusters_page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (fixture.clusters_page)));
  g_assert_cmpstr (kl_clusters_page_get_progress_text (fixture.clusters_page), ==, "2 of 2 done");
  g_assert_cmpstr (kl_cluster_row_get_status_text (eu), ==, "Idle · Uses your key over the public internet");
  g_assert_cmpstr (kl_cluster_row_get_status_text (us), ==, "Idle · Uses your key over the public internet");

  clusters = kl_test_project_list_clusters (fixture.project, KL_SIM_GROUP_READY);
  g_assert_cmpuint (clusters->len, ==, 2);
  for (guint i = 0; i < clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (clusters, i);

      g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (cluster), ==, "AZURE");
      g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "IDLE");
    }

  /* On to the summary, read from the server. */
  g_assert_true (kl_test_wait_until (done_loaded, &fixture, TIMEOUT_MS));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page), "payments-eu"));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page), "Uses your key over the public internet · Idle"));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page), "Mind the client secret’s expiry"));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page), "On, and Atlas can use the key"));

  /* Back on the page: nothing left to choose, Next just moves on. */
  kl_assistant_back (fixture.assistant);
  g_assert_true (kl_test_wait_until (page_loaded, &fixture, TIMEOUT_MS));
  g_assert_false (kl_cluster_row_get_selected (eu));
  g_assert_null (kl_page_get_next_label (KL_PAGE (fixture.clusters_page)));
  g_assert_false (kl_page_get_needs_apply (KL_PAGE (fixture.clusters_page)));

  fixture_close (&fixture);
}

/* The MIXED project: the ineligible clusters are disabled with the reason, and no request is
 * ever sent for them; the eligible ones are enabled. */
static void
test_ineligible (void)
{
  static const char *ineligible[] = { "analytics-free", "analytics-flex", "analytics-multicloud" };
  g_autoptr(GPtrArray) patches = NULL;
  Fixture fixture = { NULL };
  KlClusterRow *azure, *aws, *gcp;
  RequestsWait wait;

  fixture_open (&fixture, KL_SIM_GROUP_MIXED, TRUE, 720, 900);
  show_clusters (&fixture);

  /* The cluster API does not list the serverless instance: the page shows what it lists. */
  g_assert_null (kl_clusters_page_get_row (fixture.clusters_page, "analytics-serverless"));

  for (guint i = 0; i < G_N_ELEMENTS (ineligible); i++)
    {
      KlClusterRow *row = kl_clusters_page_get_row (fixture.clusters_page, ineligible[i]);
      g_autoptr(GError) error = NULL;
      GtkWidget *check;

      g_assert_nonnull (row);
      g_assert_false (kl_cluster_row_get_eligible (row));
      g_assert_false (kl_cluster_row_get_selected (row));
      g_assert_false (kl_cluster_check_cmk_eligible (kl_cluster_row_get_cluster (row), &error));
      g_assert_cmpstr (kl_cluster_row_get_reason (row), ==, error->message);
      /* Shown, next to a check button that cannot be used. */
      g_assert_nonnull (find_label (GTK_WIDGET (row), error->message));
      check = kl_test_find_by_type (GTK_WIDGET (row), GTK_TYPE_CHECK_BUTTON);
      g_assert_false (gtk_widget_get_sensitive (check));
      g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
      kl_cluster_row_set_selected (row, TRUE);
      g_assert_false (kl_cluster_row_get_selected (row));
    }

  /* The Azure cluster is proposed; the AWS one could use the key, but only over the public
   * internet: not ticked, and its row says why. */
  azure = kl_clusters_page_get_row (fixture.clusters_page, "analytics-azure");
  aws = kl_clusters_page_get_row (fixture.clusters_page, "analytics-aws");
  g_assert_true (kl_cluster_row_get_eligible (azure));
  g_assert_true (kl_cluster_row_get_selected (azure));
  g_assert_true (kl_cluster_row_get_eligible (aws));
  g_assert_false (kl_cluster_row_get_selected (aws));
  gcp = kl_clusters_page_get_row (fixture.clusters_page, "analytics-gcp");
  g_assert_true (kl_cluster_row_get_eligible (gcp));
  g_assert_false (kl_cluster_row_get_selected (gcp));
  g_assert_cmpint (kl_cluster_row_get_access (gcp), ==, KL_KEY_ACCESS_PUBLIC_INTERNET);
  g_assert_cmpint (kl_cluster_row_get_access (aws), ==, KL_KEY_ACCESS_PUBLIC_INTERNET);
  g_assert_nonnull (strstr (kl_cluster_row_get_access_text (aws), "public internet only"));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (fixture.clusters_page)), ==,
                   "_Use Key on 1 Cluster");

  /* Choosing it says what follows before anything is sent. */
  kl_cluster_row_set_selected (aws, TRUE);
  g_assert_nonnull (strstr (kl_cluster_row_get_access_text (aws),
                            "Keep public access to the vault on"));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (fixture.clusters_page)), ==,
                   "_Use Key on 2 Clusters");
  patches = kl_test_project_requests (fixture.project, "PATCH", "/clusters/analytics-aws");
  g_assert_cmpuint (patches->len, ==, 0);
  g_clear_pointer (&patches, g_ptr_array_unref);

  kl_sim_clear_requests (fixture.project->sim);
  kl_assistant_next (fixture.assistant);
  wait = (RequestsWait) { fixture.project, 2 };
  g_assert_true (kl_test_wait_until (patches_answered, &wait, TIMEOUT_MS));
  kl_sim_advance (fixture.project->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  g_assert_true (kl_test_wait_until (apply_over, fixture.clusters_page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (fixture.clusters_page)));

  patches = kl_test_project_requests (fixture.project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 2);
  for (guint i = 0; i < patches->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (patches, i);

      g_assert_true (g_str_equal (request->path,
                                  CLUSTERS_PATCH_PATH (KL_SIM_GROUP_MIXED, "analytics-aws")) ||
                     g_str_equal (request->path,
                                  CLUSTERS_PATCH_PATH (KL_SIM_GROUP_MIXED, "analytics-azure")));
    }

  g_assert_true (kl_test_wait_until (done_loaded, &fixture, TIMEOUT_MS));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page), "analytics-free"));

  fixture_close (&fixture);
}

/* A PATCH that fails shows on its own row; the other cluster still gets the key; Next again
 * retries only the one that failed. */
static void
test_error_on_row (void)
{
  g_autoptr(GPtrArray) patches = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { NULL };
  KlClusterRow *eu, *us;
  RequestsWait wait;

  fixture_open (&fixture, KL_SIM_GROUP_READY, TRUE, 720, 900);
  show_clusters (&fixture);
  eu = kl_clusters_page_get_row (fixture.clusters_page, "payments-eu");
  us = kl_clusters_page_get_row (fixture.clusters_page, "payments-us");

  kl_sim_add_fault (fixture.project->sim,
                    "{\"path\":\"" CLUSTERS_PATCH_PATH (KL_SIM_GROUP_READY, "payments-eu") "\","
                    "\"method\":\"PATCH\",\"kind\":\"status\",\"status\":500,\"count\":1}",
                    &error);
  g_assert_no_error (error);

  kl_assistant_next (fixture.assistant);
  wait = (RequestsWait) { fixture.project, 2 };
  g_assert_true (kl_test_wait_until (patches_answered, &wait, TIMEOUT_MS));
  kl_sim_advance (fixture.project->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  g_assert_true (kl_test_wait_until (apply_over, fixture.clusters_page, TIMEOUT_MS));

  /* Still on the page, with the error at the top and on its row. */
  g_assert_true (kl_assistant_get_current_page (fixture.assistant) ==
                 KL_PAGE (fixture.clusters_page));
  g_assert_nonnull (kl_page_get_error (KL_PAGE (fixture.clusters_page)));
  g_assert_nonnull (kl_cluster_row_get_error (eu));
  g_assert_null (kl_cluster_row_get_error (us));
  g_assert_cmpstr (kl_cluster_row_get_status_text (us), ==, "Idle · Uses your key over the public internet");
  g_assert_cmpstr (kl_clusters_page_get_progress_text (fixture.clusters_page), ==,
                   "1 of 2 done, 1 failed");
  g_assert_true (kl_cluster_row_get_selected (eu));
  g_assert_false (kl_cluster_row_get_selected (us));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (fixture.clusters_page)), ==,
                   "_Use Key on 1 Cluster");

  /* Again: only the failed one is sent. */
  kl_sim_clear_requests (fixture.project->sim);
  kl_assistant_next (fixture.assistant);
  wait = (RequestsWait) { fixture.project, 1 };
  g_assert_true (kl_test_wait_until (patches_answered, &wait, TIMEOUT_MS));
  kl_sim_advance (fixture.project->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  g_assert_true (kl_test_wait_until (done_loaded, &fixture, TIMEOUT_MS));
  patches = kl_test_project_requests (fixture.project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 1);
  g_assert_cmpstr (((KlSimRequest *) patches->pdata[0])->path, ==,
                   CLUSTERS_PATCH_PATH (KL_SIM_GROUP_READY, "payments-eu"));
  g_assert_null (kl_cluster_row_get_error (eu));

  fixture_close (&fixture);
}

static gboolean
rows_updating (gpointer user_data)
{
  Fixture *fixture = user_data;
  const char *names[] = { "payments-eu", "payments-us" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      KlClusterRow *row = kl_clusters_page_get_row (fixture->clusters_page, names[i]);

      if (row == NULL ||
          g_strcmp0 (kl_cluster_row_get_status_text (row), "Updating… · Uses your key over the public internet") != 0)
        return FALSE;
    }
  return TRUE;
}

/* Keylink was killed after sending the PATCHes: on its next run both clusters are UPDATING
 * on the key. They are shown so, ticked; Next follows them to IDLE without a PATCH, and only
 * then goes on to the summary (not at once, to a summary that says they are not on it). */
static void
test_resume_updating (void)
{
  static const char *names[] = { "payments-eu", "payments-us" };
  g_autoptr(GPtrArray) patches = NULL;
  Fixture fixture = { NULL };
  KlClusterRow *eu, *us;

  fixture_open (&fixture, KL_SIM_GROUP_READY, TRUE, 720, 900);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(KlCluster) cluster = NULL;
      g_autoptr(GError) error = NULL;
      KlTestAsync async = { NULL };

      kl_atlas_client_set_cluster_encryption_async (fixture.project->client, KL_SIM_GROUP_READY,
                                                    names[i], "AZURE", NULL, kl_test_async_cb,
                                                    &async);
      result = kl_test_async_wait (&async);
      cluster = kl_atlas_client_set_cluster_encryption_finish (fixture.project->client, result,
                                                               &error);
      g_assert_no_error (error);
      g_assert_cmpstr (kl_cluster_get_state_name (cluster), ==, "UPDATING");
    }
  kl_sim_clear_requests (fixture.project->sim);
  /* The page, the first of the assistant, read the project before the PATCHes: as a new run
   * of Keylink would, it reads it again. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    KlTestAsync async = { NULL };

    kl_session_refresh_async (fixture.session, NULL, kl_test_async_cb, &async);
    result = kl_test_async_wait (&async);
    g_assert_true (kl_session_refresh_finish (fixture.session, result, &error));
    g_assert_no_error (error);
  }
  show_clusters (&fixture);

  eu = kl_clusters_page_get_row (fixture.clusters_page, "payments-eu");
  us = kl_clusters_page_get_row (fixture.clusters_page, "payments-us");
  g_assert_true (kl_test_wait_until (rows_updating, &fixture, TIMEOUT_MS));
  g_assert_cmpstr (kl_cluster_row_get_status_text (eu), ==, "Updating… · Uses your key over the public internet");
  g_assert_cmpstr (kl_cluster_row_get_status_text (us), ==, "Updating… · Uses your key over the public internet");
  g_assert_false (kl_cluster_row_get_selected (eu));
  g_assert_null (kl_page_get_next_label (KL_PAGE (fixture.clusters_page)));
  g_assert_true (kl_page_get_needs_apply (KL_PAGE (fixture.clusters_page)));

  /* Next follows them (frozen clock: they stay UPDATING, the page stays). */
  kl_assistant_next (fixture.assistant);
  g_assert_true (kl_page_get_applying (KL_PAGE (fixture.clusters_page)));
  g_assert_cmpstr (kl_clusters_page_get_progress_text (fixture.clusters_page), ==, "0 of 2 done");
  g_assert_true (g_str_has_prefix (kl_cluster_row_get_status_text (eu), "Updating…"));

  kl_sim_advance (fixture.project->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  g_assert_true (kl_test_wait_until (apply_over, fixture.clusters_page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (fixture.clusters_page)));
  g_assert_cmpstr (kl_clusters_page_get_progress_text (fixture.clusters_page), ==, "2 of 2 done");
  g_assert_cmpstr (kl_cluster_row_get_status_text (eu), ==, "Idle · Uses your key over the public internet");
  g_assert_true (kl_test_wait_until (done_loaded, &fixture, TIMEOUT_MS));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page), "Uses your key over the public internet · Idle"));

  /* Not one PATCH: they were sent before. */
  patches = kl_test_project_requests (fixture.project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 0);

  fixture_close (&fixture);
}

#define CLUSTERS_LIST_PATH(group) "/api/atlas/v2/groups/" group "/clusters"

typedef struct
{
  KlTestProject *project;
  guint          n;
} StalledWait;

static gboolean
polls_stalled (gpointer user_data)
{
  StalledWait *wait = user_data;

  return kl_sim_count_stalled (wait->project->sim) >= wait->n;
}

/* Polls of the clusters list the simulator answered (status 0: dropped or aborted). */
static guint
count_answered_polls (KlTestProject *project)
{
  g_autoptr(GPtrArray) polls =
    kl_test_project_requests (project, "GET", CLUSTERS_LIST_PATH (KL_SIM_GROUP_READY));
  guint n = 0;

  for (guint i = 0; i < polls->len; i++)
    if (((KlSimRequest *) polls->pdata[i])->status != 0)
      n++;

  return n;
}

static gboolean
a_poll_answered (gpointer user_data)
{
  return count_answered_polls (user_data) > 0;
}

static gboolean
row_has_time (gpointer user_data)
{
  return kl_cluster_row_get_time_text (KL_CLUSTER_ROW (user_data)) != NULL;
}

static gboolean
is_follow_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "clusters.follow") == 0;
}

static gboolean
is_applying (gpointer user_data)
{
  return kl_page_get_applying (KL_PAGE (user_data));
}

/* Cancel while both clusters update: the poll in flight is cancelled and no other is sent
 * (Cancel really stops the requests); each row then says its update goes on in Atlas and is
 * no longer followed, with since when; Next may go on, to a summary that does not claim it is
 * done; back on the page, Follow Again follows them to the end. */
static void
test_cancel_follow (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patches = NULL;
  Fixture fixture = { NULL };
  RequestsWait wait;
  StalledWait stalled;
  KlClusterRow *eu, *us;
  GtkWidget *follow;
  const char *text;

  fixture_open (&fixture, KL_SIM_GROUP_READY, TRUE, 720, 900);
  show_clusters (&fixture);
  eu = kl_clusters_page_get_row (fixture.clusters_page, "payments-eu");
  us = kl_clusters_page_get_row (fixture.clusters_page, "payments-us");

  kl_sim_clear_requests (fixture.project->sim);
  kl_assistant_next (fixture.assistant);
  wait = (RequestsWait) { fixture.project, 2 };
  g_assert_true (kl_test_wait_until (patches_answered, &wait, TIMEOUT_MS));

  /* The time in state, from the watch's first poll that saw it. */
  g_assert_true (kl_test_wait_until (row_has_time, eu, TIMEOUT_MS));
  g_assert_cmpstr (kl_cluster_row_get_time_text (eu), ==, "for less than a minute");
  g_assert_cmpstr (kl_cluster_row_get_status_text (eu), ==, "Updating… · for less than a minute");
  g_assert_null (kl_cluster_row_get_note (eu));

  /* The next poll is held by the simulator: a request in flight. */
  kl_sim_add_fault (fixture.project->sim,
                    "{\"path\":\"" CLUSTERS_LIST_PATH (KL_SIM_GROUP_READY) "\","
                    "\"method\":\"GET\",\"kind\":\"stall\"}", &error);
  g_assert_no_error (error);
  stalled = (StalledWait) { fixture.project, 1 };
  g_assert_true (kl_test_wait_until (polls_stalled, &stalled, TIMEOUT_MS));

  /* Long in UPDATING: said, with leave to close Keylink (no poll answers meanwhile). */
  kl_cluster_row_set_state_since (eu, g_get_monotonic_time () - 25 * 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (kl_cluster_row_get_status_text (eu), ==, "Updating… · for 25 min");
  g_assert_nonnull (strstr (kl_cluster_row_get_note (eu), "This can take a while — you can close "
                                                          "Keylink and come back"));

  kl_assistant_cancel (fixture.assistant);
  g_assert_true (kl_test_wait_until (apply_over, fixture.clusters_page, TIMEOUT_MS));

  /* The held poll is let go: it was cancelled, so no answer reaches the watch and no other
   * poll follows (the watch would poll every 5 to 40 ms otherwise). */
  kl_sim_clear_requests (fixture.project->sim);
  kl_sim_clear_faults (fixture.project->sim);
  g_assert_false (kl_test_wait_until (a_poll_answered, fixture.project, 200));
  g_assert_cmpuint (count_answered_polls (fixture.project), ==, 0);

  /* The rows say what goes on. */
  for (KlClusterRow **row = (KlClusterRow *[]) { eu, us, NULL }; *row != NULL; row++)
    {
      g_assert_true (kl_cluster_row_get_unfollowed (*row));
      g_assert_true (g_str_has_prefix (kl_cluster_row_get_status_text (*row),
                                       "Updating in Atlas, no longer followed · for "));
      g_assert_nonnull (strstr (kl_cluster_row_get_note (*row), "goes on in Atlas"));
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (kl_cluster_row_get_spinner (*row))));
    }
  g_assert_cmpstr (kl_cluster_row_get_status_text (eu), ==,
                   "Updating in Atlas, no longer followed · for 25 min");
  text = kl_clusters_page_get_progress_text (fixture.clusters_page);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Atlas goes on updating 2 clusters, and Keylink no longer "
                                  "follows them"));
  g_assert_null (strstr (text, "0 of 2 done"));
  follow = kl_test_find (GTK_WIDGET (fixture.clusters_page), TRUE, is_follow_button, NULL);
  g_assert_nonnull (follow);

  /* Next goes on, sending nothing and waiting for nothing. */
  g_assert_true (kl_page_get_complete (KL_PAGE (fixture.clusters_page)));
  g_assert_false (kl_page_get_needs_apply (KL_PAGE (fixture.clusters_page)));
  g_assert_null (kl_page_get_next_label (KL_PAGE (fixture.clusters_page)));
  kl_assistant_next (fixture.assistant);
  g_assert_true (kl_test_wait_until (done_loaded, &fixture, TIMEOUT_MS));
  g_assert_cmpstr (kl_page_get_title (KL_PAGE (fixture.done_page)), !=, "All Set");
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page),
                                "Uses your key over the public internet · Updating…"));

  /* Back: still updating in Atlas, still not followed. */
  kl_assistant_back (fixture.assistant);
  g_assert_true (kl_test_wait_until (page_loaded, &fixture, TIMEOUT_MS));
  g_assert_true (kl_cluster_row_get_unfollowed (eu));
  follow = kl_test_find (GTK_WIDGET (fixture.clusters_page), TRUE, is_follow_button, NULL);
  g_assert_nonnull (follow);

  /* Follow Again: the watch polls again, the rows follow, Cancel is there again. */
  kl_sim_clear_requests (fixture.project->sim);
  g_assert_true (gtk_widget_activate (follow));
  g_assert_true (kl_test_wait_until (is_applying, fixture.clusters_page, TIMEOUT_MS));
  g_assert_false (kl_cluster_row_get_unfollowed (eu));
  g_assert_true (g_str_has_prefix (kl_cluster_row_get_status_text (eu), "Updating…"));
  g_assert_true (kl_test_wait_until (a_poll_answered, fixture.project, TIMEOUT_MS));
  patches = kl_test_project_requests (fixture.project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 0);

  kl_sim_advance (fixture.project->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  g_assert_true (kl_test_wait_until (apply_over, fixture.clusters_page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (fixture.clusters_page)));
  g_assert_cmpstr (kl_cluster_row_get_status_text (eu), ==,
                   "Idle · Uses your key over the public internet");
  g_assert_true (kl_test_wait_until (done_loaded, &fixture, TIMEOUT_MS));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page),
                                "Uses your key over the public internet · Idle"));

  fixture_close (&fixture);
}

/* Without a chosen project the pages do not apply: hidden, until one is chosen. */
static void
test_applies (void)
{
  g_autoptr(KlTestProject) project = test_project_new ();
  g_autoptr(KlProject) group = get_project (project, KL_SIM_GROUP_READY);
  g_autoptr(KlSession) session = kl_session_new ();
  KlPage *pages[2];

  pages[0] = g_object_ref_sink (kl_test_prepare_page (kl_prepare_clusters_page, session, NULL, NULL));
  pages[1] = g_object_ref_sink (kl_test_prepare_page (kl_prepare_done_page, session, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    g_assert_true (kl_page_get_hidden (pages[i]));

  kl_session_set_client (session, project->client);
  kl_session_set_project (session, group);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    g_assert_false (kl_page_get_hidden (pages[i]));

  kl_session_set_project (session, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_assert_true (kl_page_get_hidden (pages[i]));
      g_assert_finalize_object (pages[i]);
    }
}

/* ---- screenshots ---- */

typedef enum
{
  SHOT_CLUSTERS,          /* the MIXED project: eligible and not */
  SHOT_CLUSTERS_UPDATING, /* the key being turned on */
  SHOT_DONE,              /* the summary after everything */
  SHOT_DONE_NEXT,         /* the same, scrolled to what to do next */
} Shot;

/* Key on and valid, private networking required, an ACTIVE endpoint in each of @regions,
 * and the key on for the clusters named in @on_key (NULL: every cluster the list holds). */
static void
setup_group (Fixture            *fixture,
             const char         *group_id,
             const char * const *regions,
             const char * const *on_key)
{
  KlSim *sim = fixture->project->sim;
  g_autoptr(KlSetupRunner) runner = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) clusters = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  RequestsWait wait;

  kl_test_project_enable_cmk (fixture->project, group_id, TRUE);
  runner = kl_setup_runner_new (fixture->project->client, group_id);
  kl_setup_runner_set_poll_intervals (runner, 5, 40);
  kl_setup_runner_create_endpoints_async (runner, regions, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_create_endpoints_finish (runner, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  kl_sim_advance (sim, KL_SIM_INITIATING_SECONDS);
  endpoints = kl_test_project_list_endpoints (fixture->project, group_id);
  for (guint i = 0; i < endpoints->len; i++)
    {
      kl_sim_approve_endpoint (sim, group_id,
                               kl_private_endpoint_get_id (endpoints->pdata[i]), &error);
      g_assert_no_error (error);
    }
  kl_sim_advance (sim, KL_SIM_ACTIVATION_SECONDS);

  listed = kl_test_project_list_clusters (fixture->project, group_id);
  for (guint i = 0; i < listed->len; i++)
    if (on_key == NULL ||
        g_strv_contains (on_key, kl_cluster_get_name (listed->pdata[i])))
      g_ptr_array_add (clusters, g_object_ref (listed->pdata[i]));
  kl_sim_clear_requests (sim);
  kl_setup_runner_enable_clusters_async (runner, clusters, NULL, kl_test_async_cb, &async);
  wait = (RequestsWait) { fixture->project, clusters->len };
  g_assert_true (kl_test_wait_until (patches_answered, &wait, TIMEOUT_MS));
  kl_sim_advance (sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_enable_clusters_finish (runner, result, &error));
  g_assert_no_error (error);
}

static void
full_setup (Fixture *fixture)
{
  const char * const regions[] = { "EUROPE_WEST", "US_EAST_2", NULL };

  setup_group (fixture, KL_SIM_GROUP_READY, regions, NULL);
}

static void
scroll_to_end (GtkWidget *page)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (page, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;

  /* Laid out with the loaded rows first. */
  g_assert_true (kl_test_window_show (GTK_WINDOW (gtk_widget_get_root (page))));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
}

/* A mixed project where an AWS cluster uses the key: the summary says how each reaches it,
 * and the next steps keep the vault's public access on, naming the cluster that would lose its
 * key; never "turn off public access". */
static void
test_done_mixed (void)
{
  static const char * const regions[] = { "EUROPE_NORTH", "US_WEST_2", NULL };
  static const char * const on_key[] = { "analytics-azure", "analytics-aws", NULL };
  g_autoptr(KlProject) project = NULL;
  g_autofree char *shot = NULL;
  Fixture fixture = { NULL };
  const char *summary;

  fixture.project = test_project_new ();
  setup_group (&fixture, KL_SIM_GROUP_MIXED, regions, on_key);
  project = get_project (fixture.project, KL_SIM_GROUP_MIXED);
  fixture.session = kl_session_new ();
  kl_session_set_client (fixture.session, fixture.project->client);
  kl_session_set_project (fixture.session, project);
  open_window (&fixture, 720, 900);
  g_assert_true (kl_assistant_set_current_page (fixture.assistant, KL_PAGE_DONE));
  g_assert_true (kl_test_wait_until (done_loaded, &fixture, TIMEOUT_MS));

  g_assert_cmpint (kl_plan_get_stage (kl_session_get_plan (fixture.session)), ==,
                   KL_PROJECT_STAGE_DONE);
  summary = gtk_label_get_label (GTK_LABEL (kl_test_find_by_css_class (GTK_WIDGET (fixture.done_page),
                                                                      "kl-done-summary")));
  g_assert_true (g_str_has_prefix (summary, "Done: 1 cluster reaches your Azure key over Private "
                                            "Link. “analytics-aws” reaches it over the public "
                                            "internet."));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page),
                                "Uses your key over Private Link · Idle"));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page),
                                "Uses your key over the public internet · Idle"));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page),
                                "Keep public access to the vault on"));
  g_assert_null (find_label (GTK_WIDGET (fixture.done_page),
                             "Turn off public access to the vault"));

  g_assert_true (kl_test_window_show (fixture.window));
  shot = kl_test_save_screenshot (GTK_WIDGET (fixture.window), "done-mixed");
  g_test_message ("saved %s", shot);
  g_clear_pointer (&shot, g_free);
  scroll_to_end (GTK_WIDGET (fixture.done_page));
  g_assert_true (kl_test_window_show (fixture.window));
  shot = kl_test_save_screenshot (GTK_WIDGET (fixture.window), "done-mixed-next");
  g_test_message ("saved %s", shot);
  fixture_close (&fixture);
}

/* The all-Azure project: closing the vault's public access is advised. */
static void
test_done_azure_only (void)
{
  g_autoptr(KlProject) project = NULL;
  Fixture fixture = { NULL };

  fixture.project = test_project_new ();
  full_setup (&fixture);
  project = get_project (fixture.project, KL_SIM_GROUP_READY);
  fixture.session = kl_session_new ();
  kl_session_set_client (fixture.session, fixture.project->client);
  kl_session_set_project (fixture.session, project);
  open_window (&fixture, 720, 900);
  g_assert_true (kl_assistant_set_current_page (fixture.assistant, KL_PAGE_DONE));
  g_assert_true (kl_test_wait_until (done_loaded, &fixture, TIMEOUT_MS));

  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page),
                                "Done: all 2 clusters that use your Azure key reach it over "
                                "Private Link."));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture.done_page),
                                "Turn off public access to the vault"));
  g_assert_null (find_label (GTK_WIDGET (fixture.done_page),
                             "Keep public access to the vault on"));
  fixture_close (&fixture);
}

static gboolean
has_clusters_error (gpointer user_data)
{
  return kl_session_get_clusters_error (KL_SESSION (user_data)) != NULL;
}

/* Atlas refuses the clusters list because the project holds a Flex cluster (seen in real
 * life): the page says so, shows what the Flex API gave, and the flow goes on. */
static void
test_flex_refusal (void)
{
  g_autoptr(GError) error = NULL;
  Fixture fixture = { NULL };
  KlClusterRow *flex;
  GtkWidget *note;

  fixture_open (&fixture, KL_SIM_GROUP_MIXED, TRUE, 720, 900);
  g_assert_true (kl_sim_set_cluster_list_refuses_flex (fixture.project->sim, KL_SIM_GROUP_MIXED,
                                                       TRUE, &error));
  g_assert_no_error (error);
  show_clusters (&fixture);
  /* The project read again: the page follows the session. */
  kl_session_refresh_async (fixture.session, NULL, NULL, NULL);
  g_assert_true (kl_test_wait_until (has_clusters_error, fixture.session, TIMEOUT_MS));
  note = kl_test_find_by_label (GTK_WIDGET (fixture.clusters_page),
                                kl_session_get_clusters_error (fixture.session)->message);
  g_assert_nonnull (note);
  g_assert_true (gtk_widget_get_visible (note));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (note)), "analytics-flex"));
  g_assert_null (kl_page_get_error (KL_PAGE (fixture.clusters_page)));

  /* The Flex cluster, from the Flex API, with why it cannot use the key. */
  flex = kl_clusters_page_get_row (fixture.clusters_page, "analytics-flex");
  g_assert_nonnull (flex);
  g_assert_false (kl_cluster_row_get_eligible (flex));
  g_assert_null (kl_clusters_page_get_row (fixture.clusters_page, "analytics-azure"));

  /* Nothing to send, and nothing stops the flow. */
  g_assert_true (kl_page_get_complete (KL_PAGE (fixture.clusters_page)));
  g_assert_false (kl_page_get_needs_apply (KL_PAGE (fixture.clusters_page)));

  fixture_close (&fixture);
}

static void
test_screenshots (void)
{
  static const char *names[] = { "clusters-normal", "clusters-updating", "done-normal",
                                 "done-next" };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (Shot shot = SHOT_CLUSTERS; shot <= SHOT_DONE_NEXT; shot++)
    for (guint dark = 0; dark <= 1; dark++)
      for (guint narrow = 0; narrow <= 1; narrow++)
        {
          g_autofree char *name = NULL;
          g_autofree char *path = NULL;
          Fixture fixture = { NULL };
          int width = narrow ? 360 : 720;

          adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);

          if (shot == SHOT_DONE || shot == SHOT_DONE_NEXT)
            {
              g_autoptr(KlProject) project = NULL;

              fixture.project = test_project_new ();
              full_setup (&fixture);
              project = get_project (fixture.project, KL_SIM_GROUP_READY);
              fixture.session = kl_session_new ();
              kl_session_set_client (fixture.session, fixture.project->client);
              kl_session_set_project (fixture.session, project);
              open_window (&fixture, width, 900);
              g_assert_true (kl_assistant_set_current_page (fixture.assistant, KL_PAGE_DONE));
              g_assert_true (kl_test_wait_until (done_loaded, &fixture, TIMEOUT_MS));
              if (shot == SHOT_DONE_NEXT)
                scroll_to_end (GTK_WIDGET (fixture.done_page));
            }
          else
            {
              fixture_open (&fixture,
                            shot == SHOT_CLUSTERS ? KL_SIM_GROUP_MIXED : KL_SIM_GROUP_READY,
                            TRUE, width, 900);
              show_clusters (&fixture);
              if (shot == SHOT_CLUSTERS_UPDATING)
                {
                  RequestsWait wait = { fixture.project, 2 };

                  kl_assistant_next (fixture.assistant);
                  g_assert_true (kl_test_wait_until (patches_answered, &wait, TIMEOUT_MS));
                }
            }

          g_assert_true (kl_test_window_show (fixture.window));
          g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture.window)), ==, width);
          name = g_strdup_printf ("%s-%s%s", names[shot], dark ? "dark" : "light",
                                  narrow ? "-narrow" : "");
          path = kl_test_save_screenshot (GTK_WIDGET (fixture.window), name);
          g_test_message ("saved %s", path);

          fixture_close (&fixture);
        }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  kl_test_widget_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/clusters-page/enable-parallel", test_enable_parallel);
  g_test_add_func ("/clusters-page/ineligible", test_ineligible);
  g_test_add_func ("/clusters-page/error-on-row", test_error_on_row);
  g_test_add_func ("/clusters-page/resume-updating", test_resume_updating);
  g_test_add_func ("/clusters-page/cancel-follow", test_cancel_follow);
  g_test_add_func ("/clusters-page/applies", test_applies);
  g_test_add_func ("/clusters-page/flex-refusal", test_flex_refusal);
  g_test_add_func ("/clusters-page/done-mixed", test_done_mixed);
  g_test_add_func ("/clusters-page/done-azure-only", test_done_azure_only);
  g_test_add_func ("/clusters-page/screenshots", test_screenshots);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
