/* kl-clusters-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-clusters-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-clusters-page.h"
#include "kl-error.h"
#include "kl-setup-runner.h"
#include "pages/kl-page-util.h"

/* Step 9 of the flow (HACKING.md, The flow): every cluster of the project with its tier,
 * provider, regions, state and key; the ones that cannot use a customer-managed key say why.
 * Next turns the key on for the chosen clusters, all at once (KlSetupRunner), and follows each
 * through UPDATING until it is idle on the key, row by row, with how long it has been so.
 *
 * Cancel, leaving the page and closing the window cancel the requests in flight, the page's
 * watch's poll included (its cancellable is the apply's and the page's). An update Atlas goes on
 * with is then said on its row as no longer followed; Follow Again follows it once more, and
 * Next may go on without it (the summary reads the clusters from Atlas). */

/* How often "for 3 min" is brought up to date while the page is shown. */
#define TICK_SECONDS 20

struct _KlClustersPage
{
  KlPage          parent_instance;

  KlSession      *session;
  GCancellable   *cancellable;        /* the page's: cancelled when it is left or goes, and
                                       * with the window's; a new one when it is shown */
  GCancellable   *follow_cancellable; /* the running apply's and the page's */
  KlSetupRunner  *runner;
  KlClusterWatch *watch;              /* the runner's, so that the rows know since when */
  guint           poll_base_ms;
  guint           poll_max_ms;
  guint           tick_id;
  gboolean        loaded;
  gboolean        follow_requested;   /* the apply follows the updates, and sends nothing */

  /* Template widgets */
  GtkStack       *stack;
  GtkSpinner     *loading_spinner;
  GtkListBox     *list_box;
  GtkLabel       *progress_label;
  GtkButton      *follow_button;
  GtkLabel       *incomplete_label;
};

G_DEFINE_FINAL_TYPE (KlClustersPage, kl_clusters_page, KL_TYPE_PAGE)

static void update_progress (KlClustersPage *self);

static GPtrArray *
dup_rows (KlClustersPage *self)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (KL_IS_CLUSTER_ROW (child))
      g_ptr_array_add (rows, child);

  return rows;
}

static guint
count_selected (KlClustersPage *self)
{
  g_autoptr(GPtrArray) rows = dup_rows (self);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    if (kl_cluster_row_get_selected (g_ptr_array_index (rows, i)))
      n++;

  return n;
}

/* On the key but not idle yet: its update was sent before (by a run of Keylink that was
 * closed or killed meanwhile), and Next follows it to the end without sending it again. */
static gboolean
row_is_updating_on_key (KlClusterRow *row)
{
  KlCluster *cluster = kl_cluster_row_get_cluster (row);
  const char *state = cluster != NULL ? kl_cluster_get_state_name (cluster) : NULL;

  return kl_cluster_row_get_eligible (row) && kl_cluster_row_get_on_key (row) &&
         state != NULL && !g_str_equal (state, "IDLE");
}

/* Updating on the key, and followed by Next (not an update the user stopped following). */
static guint
count_to_follow (KlClustersPage *self)
{
  g_autoptr(GPtrArray) rows = dup_rows (self);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    if (row_is_updating_on_key (g_ptr_array_index (rows, i)) &&
        !kl_cluster_row_get_unfollowed (g_ptr_array_index (rows, i)))
      n++;

  return n;
}

static guint
count_unfollowed (KlClustersPage *self)
{
  g_autoptr(GPtrArray) rows = dup_rows (self);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    if (kl_cluster_row_get_unfollowed (g_ptr_array_index (rows, i)))
      n++;

  return n;
}

static void
update_next (KlClustersPage *self)
{
  guint n = count_selected (self);
  g_autofree char *label = NULL;

  if (n > 0)
    /* Translators: the Next button of the Clusters page */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Use Key on %u Cluster",
                                          "_Use Key on %u Clusters", n), n);

  kl_page_set_next_label (KL_PAGE (self), label);
  kl_page_set_complete (KL_PAGE (self), self->loaded);

  /* Nothing chosen and nothing updating: Next simply moves on. An update the user stopped
   * following goes on in Atlas without Keylink: Next moves on too (Follow Again follows it). */
  if (n > 0 || count_to_follow (self) > 0 || self->follow_requested)
    kl_page_set_needs_apply (KL_PAGE (self), TRUE);
  else
    kl_page_set_needs_apply (KL_PAGE (self), FALSE);
}

static void
row_selected_cb (KlClustersPage *self)
{
  if (kl_page_get_applying (KL_PAGE (self)))
    return;

  kl_page_set_error (KL_PAGE (self), NULL);
  update_next (self);
}

static void
row_activated_cb (KlClustersPage *self,
                  GtkListBoxRow  *row)
{
  KlClusterRow *cluster_row = KL_CLUSTER_ROW (row);

  if (gtk_list_box_row_get_activatable (row))
    kl_cluster_row_set_selected (cluster_row, !kl_cluster_row_get_selected (cluster_row));
}

/* The rows follow the session's list: existing rows keep their choice and their step. */
static void
update_rows (KlClustersPage *self)
{
  GPtrArray *clusters = kl_session_get_clusters (self->session);
  KlPlan *plan = kl_session_get_plan (self->session);
  const GError *incomplete = kl_session_get_clusters_error (self->session);
  g_autoptr(GPtrArray) rows = dup_rows (self);
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);

  if (clusters == NULL || plan == NULL)
    return;

  /* Atlas refused the clusters list (a Flex cluster in the project): said, and the flow goes
   * on with what could be read. */
  gtk_label_set_label (self->incomplete_label, incomplete != NULL ? incomplete->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->incomplete_label), incomplete != NULL);

  for (guint i = 0; i < clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (clusters, i);
      const char *name = kl_cluster_get_name (cluster);
      KlClusterRow *row;

      if (name == NULL || !g_hash_table_add (listed, (gpointer) name))
        continue;

      row = kl_clusters_page_get_row (self, name);
      if (row != NULL)
        {
          kl_cluster_row_set_cluster (row, cluster);
          kl_cluster_row_set_access (row, kl_plan_get_key_access (plan, cluster, NULL));
          /* Atlas says where an update no longer followed stands: over, or never begun. */
          if (!row_is_updating_on_key (row))
            kl_cluster_row_set_unfollowed (row, FALSE);
          continue;
        }

      row = KL_CLUSTER_ROW (kl_cluster_row_new (cluster));
      kl_cluster_row_set_access (row, kl_plan_get_key_access (plan, cluster, NULL));
      /* The default: every Azure cluster that can use the key and does not yet. Clusters on
       * AWS or Google Cloud would reach the key over the public internet only: they stay
       * unticked, and their row says so. */
      kl_cluster_row_set_selected (row, kl_plan_cluster_is_proposed (plan, cluster));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (row_selected_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_list_box_append (self->list_box, GTK_WIDGET (row));
    }

  for (guint i = 0; i < rows->len; i++)
    {
      KlClusterRow *row = g_ptr_array_index (rows, i);

      if (!g_hash_table_contains (listed, kl_cluster_get_name (kl_cluster_row_get_cluster (row))))
        gtk_list_box_remove (self->list_box, GTK_WIDGET (row));
    }

  self->loaded = TRUE;
  kl_page_util_set_spinning (self->loading_spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, g_hash_table_size (listed) > 0 ? "list" : "empty");
  update_progress (self);
  update_next (self);
}

static void
session_plan_cb (KlClustersPage *self)
{
  /* While the key is being turned on, the rows follow their steps instead. */
  if (!kl_page_get_applying (KL_PAGE (self)))
    update_rows (self);
}

static void
refreshed_cb (KlPage       *page,
              const GError *error)
{
  KlClustersPage *self = KL_CLUSTERS_PAGE (page);
  g_autofree char *message = NULL;

  if (error == NULL)
    {
      update_rows (self);
      return;
    }

  kl_page_util_set_spinning (self->loading_spinner, FALSE);
  /* Translators: %s says what went wrong and what to do */
  message = g_strdup_printf (_("Keylink could not read the project’s clusters. %s"),
                             error->message);
  kl_page_set_error (page, message);
}

static void
refresh (KlClustersPage *self)
{
  if (kl_page_util_refresh (KL_PAGE (self), self->session, self->cancellable, refreshed_cb) &&
      !self->loaded)
    {
      kl_page_util_set_spinning (self->loading_spinner, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  KlClustersPage *self = user_data;
  g_autoptr(GPtrArray) rows = dup_rows (self);

  for (guint i = 0; i < rows->len; i++)
    kl_cluster_row_update_time (g_ptr_array_index (rows, i));

  return G_SOURCE_CONTINUE;
}

/* The page's cancellable, a new one when the last was cancelled (the page was left). */
static void
reset_cancellable (KlClustersPage *self)
{
  GCancellable *window_cancellable =
    kl_context_get_cancellable (kl_page_get_context (KL_PAGE (self)));

  if (self->cancellable != NULL && !g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);
  self->cancellable = kl_page_util_cancellable_new_child (window_cancellable, NULL);
}

static void
kl_clusters_page_shown (KlPage *page)
{
  KlClustersPage *self = KL_CLUSTERS_PAGE (page);

  reset_cancellable (self);
  if (self->tick_id == 0)
    {
      self->tick_id = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
      g_source_set_name_by_id (self->tick_id, "KlClustersPage tick");
    }

  if (kl_page_get_applying (page))
    return;

  /* What the session already knows shows at once; the refresh brings it up to date. */
  if (kl_session_get_clusters (self->session) != NULL)
    update_rows (self);
  refresh (self);
}

/* ---- apply: turn the key on for the chosen clusters ---- */

static void
update_progress (KlClustersPage *self)
{
  GListModel *steps = self->runner != NULL ? kl_setup_runner_get_steps (self->runner) : NULL;
  guint n_steps = steps != NULL ? g_list_model_get_n_items (steps) : 0;
  guint n_done = 0, n_failed = 0, n_unfollowed;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      if (kl_step_get_state (step) == KL_STEP_STATE_DONE ||
          kl_step_get_state (step) == KL_STEP_STATE_SKIPPED)
        n_done++;
      else if (kl_step_get_state (step) == KL_STEP_STATE_FAILED)
        n_failed++;
    }

  if (n_failed > 0)
    /* Translators: overall progress on the Clusters page, e.g. “1 of 3 done, 1 failed”; the
     * number done chooses the plural form */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u done, %u failed",
                                         "%u of %u done, %u failed", n_done),
                            n_done, n_steps, n_failed);
  else
    /* Translators: overall progress on the Clusters page, e.g. “2 of 3 done”; the number
     * done chooses the plural form */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u done", "%u of %u done",
                                         n_done),
                            n_done, n_steps);

  /* Cancelled while Atlas updates: said, with the way to follow again. */
  n_unfollowed = count_unfollowed (self);
  if (n_unfollowed > 0)
    {
      g_free (text);
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: on the Clusters page after Cancel */
                                           "Atlas goes on updating %u cluster, and Keylink no "
                                           "longer follows it. Next goes on without waiting; "
                                           "the summary shows where it stands.",
                                           "Atlas goes on updating %u clusters, and Keylink no "
                                           "longer follows them. Next goes on without waiting; "
                                           "the summary shows where they stand.",
                                           n_unfollowed),
                              n_unfollowed);
    }

  gtk_label_set_label (self->progress_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), n_steps > 0 || n_unfollowed > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->follow_button), n_unfollowed > 0);
}

static void
lock_rows (KlClustersPage *self,
           gboolean        locked)
{
  g_autoptr(GPtrArray) rows = dup_rows (self);

  for (guint i = 0; i < rows->len; i++)
    kl_cluster_row_set_locked (g_ptr_array_index (rows, i), locked);
}

static void
bind_steps (KlClustersPage *self)
{
  GListModel *steps = kl_setup_runner_get_steps (self->runner);
  guint n_steps = g_list_model_get_n_items (steps);

  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);
      KlClusterRow *row = kl_clusters_page_get_row (self, kl_step_get_target (step));

      if (row != NULL)
        {
          kl_cluster_row_set_step (row, step);
          kl_cluster_row_set_state_since (row, kl_cluster_watch_get_state_since (self->watch,
                                                                                 kl_step_get_target (step)));
        }
      g_signal_connect_object (step, "notify::state", G_CALLBACK (update_progress), self,
                               G_CONNECT_SWAPPED);
    }

  update_progress (self);
}

static void
apply_refresh_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The clusters are on the key: a failed read-back only means the summary reads again. */
  if (!kl_session_refresh_finish (KL_SESSION (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Reading the project back failed: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

/* Cancelled: the clusters whose PATCH Atlas took and whose update was not over go on updating
 * in Atlas, no longer followed. */
static void
mark_unfollowed (KlClustersPage *self)
{
  g_autoptr(GPtrArray) rows = dup_rows (self);

  for (guint i = 0; i < rows->len; i++)
    {
      KlClusterRow *row = g_ptr_array_index (rows, i);
      KlStep *step = kl_cluster_row_get_step (row);
      KlStepState state = step != NULL ? kl_step_get_state (step) : KL_STEP_STATE_DONE;

      if (kl_cluster_row_get_on_key (row) &&
          state != KL_STEP_STATE_DONE && state != KL_STEP_STATE_SKIPPED &&
          state != KL_STEP_STATE_FAILED)
        kl_cluster_row_set_unfollowed (row, TRUE);
    }
}

static void
watch_updated_cb (KlClustersPage *self)
{
  g_autoptr(GPtrArray) rows = dup_rows (self);

  for (guint i = 0; i < rows->len; i++)
    {
      KlClusterRow *row = g_ptr_array_index (rows, i);
      const char *name = kl_cluster_get_name (kl_cluster_row_get_cluster (row));

      kl_cluster_row_set_state_since (row, kl_cluster_watch_get_state_since (self->watch, name));
    }
}

static void
enable_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlClustersPage *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  lock_rows (self, FALSE);
  update_progress (self);

  if (!kl_setup_runner_enable_clusters_finish (KL_SETUP_RUNNER (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        mark_unfollowed (self);
      update_progress (self);
      update_next (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kl_session_refresh_async (self->session, cancellable, apply_refresh_cb,
                            g_steal_pointer (&task));
}

static void
clear_runner (KlClustersPage *self)
{
  if (self->watch != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->watch, self);
      kl_cluster_watch_stop (self->watch);
    }
  g_clear_object (&self->runner);
  g_clear_object (&self->watch);
}

static void
kl_clusters_page_apply_async (KlPage              *page,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  KlClustersPage *self = KL_CLUSTERS_PAGE (page);
  g_autoptr(GPtrArray) rows = dup_rows (self);
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autoptr(GTask) task = NULL;
  KlAtlasClient *client = kl_session_get_client (self->session);
  const char *group_id = kl_session_get_group_id (self->session);

  task = g_task_new (page, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_clusters_page_apply_async);

  /* The chosen ones, and those already updating to the key: the runner follows those
   * without sending their PATCH again. Follow Again: only those. */
  for (guint i = 0; i < rows->len; i++)
    {
      KlClusterRow *row = g_ptr_array_index (rows, i);

      if ((!self->follow_requested && kl_cluster_row_get_selected (row)) ||
          row_is_updating_on_key (row) || kl_cluster_row_get_unfollowed (row))
        g_ptr_array_add (chosen, kl_cluster_row_get_cluster (row));
    }

  if (chosen->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (client == NULL || group_id == NULL)
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED, "%s",
                               _("Keylink is not connected to a project, so nothing was sent. "
                                 "Sign in and choose a project first, then try again."));
      return;
    }

  /* A runner per project: the session may have moved to another one. */
  if (self->runner != NULL &&
      (kl_setup_runner_get_client (self->runner) != client ||
       g_strcmp0 (kl_setup_runner_get_group_id (self->runner), group_id) != 0))
    clear_runner (self);
  if (self->runner == NULL)
    {
      self->runner = kl_setup_runner_new (client, group_id);
      self->watch = kl_cluster_watch_new (client, group_id);
      if (self->poll_base_ms > 0)
        {
          kl_setup_runner_set_poll_intervals (self->runner, self->poll_base_ms, self->poll_max_ms);
          kl_watch_set_intervals (KL_WATCH (self->watch), self->poll_base_ms, self->poll_max_ms);
        }
      kl_setup_runner_set_cluster_watch (self->runner, self->watch);
      g_signal_connect_object (self->watch, "updated", G_CALLBACK (watch_updated_cb), self,
                               G_CONNECT_SWAPPED);
    }

  /* Cancel, leaving the page and closing the window stop the requests, the watch's too. */
  reset_cancellable (self);
  if (self->follow_cancellable != NULL)
    g_cancellable_cancel (self->follow_cancellable);
  g_clear_object (&self->follow_cancellable);
  self->follow_cancellable = kl_page_util_cancellable_new_child (self->cancellable, cancellable);
  kl_watch_set_cancellable (KL_WATCH (self->watch), self->follow_cancellable);

  for (guint i = 0; i < rows->len; i++)
    kl_cluster_row_set_unfollowed (g_ptr_array_index (rows, i), FALSE);

  lock_rows (self, TRUE);
  kl_setup_runner_enable_clusters_async (self->runner, chosen, self->follow_cancellable,
                                         enable_cb, g_object_ref (task));
  /* The steps exist (and ineligible ones have failed) as soon as the operation starts. */
  bind_steps (self);
}

/* Leaving stops the page's reads and the following (an apply is cancelled first). */
static void
kl_clusters_page_leave (KlPage *page)
{
  KlClustersPage *self = KL_CLUSTERS_PAGE (page);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Follow Again: Next's apply, sending nothing, for the updates no longer followed; the
 * assistant's Cancel stops it as before. */
static void
kl_clusters_page_follow_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  KlClustersPage *self = KL_CLUSTERS_PAGE (widget);

  if (kl_page_get_applying (KL_PAGE (self)))
    return;

  self->follow_requested = TRUE;
  update_next (self);
  gtk_widget_activate_action (widget, "assistant.next", NULL);
  self->follow_requested = FALSE;
  update_next (self);
}

static void
kl_clusters_page_dispose (GObject *object)
{
  KlClustersPage *self = KL_CLUSTERS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_CLUSTERS_PAGE);

  clear_runner (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kl_clusters_page_parent_class)->dispose (object);
}

static void
kl_clusters_page_finalize (GObject *object)
{
  KlClustersPage *self = KL_CLUSTERS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->follow_cancellable);

  G_OBJECT_CLASS (kl_clusters_page_parent_class)->finalize (object);
}

static void
kl_clusters_page_constructed (GObject *object)
{
  KlClustersPage *self = KL_CLUSTERS_PAGE (object);

  G_OBJECT_CLASS (kl_clusters_page_parent_class)->constructed (object);

  g_set_object (&self->session, kl_context_get_session (kl_page_get_context (KL_PAGE (self))));
  reset_cancellable (self);

  g_signal_connect_object (self->session, "notify::plan", G_CALLBACK (session_plan_cb), self,
                           G_CONNECT_SWAPPED);
  kl_page_util_hide_without_project (KL_PAGE (self), self->session);
  update_next (self);
}

static void
kl_clusters_page_class_init (KlClustersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_clusters_page_constructed;
  object_class->dispose = kl_clusters_page_dispose;
  object_class->finalize = kl_clusters_page_finalize;

  page_class->page_id = KL_PAGE_CLUSTERS;
  page_class->help_id = "clusters";
  page_class->shown = kl_clusters_page_shown;
  page_class->leave = kl_clusters_page_leave;
  page_class->apply_async = kl_clusters_page_apply_async;

  g_type_ensure (KL_TYPE_CLUSTER_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/pages/clusters/kl-clusters-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlClustersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KlClustersPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, KlClustersPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, KlClustersPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, KlClustersPage, follow_button);
  gtk_widget_class_bind_template_child (widget_class, KlClustersPage, incomplete_label);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "clusters.follow", NULL,
                                   kl_clusters_page_follow_action);
}

static void
kl_clusters_page_init (KlClustersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KlPage *
kl_prepare_clusters_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_CLUSTERS_PAGE,
                       "context", context,
                       NULL);
}

/**
 * kl_clusters_page_get_session:
 *
 * Returns: (transfer none): the session the page reads and changes
 */
KlSession *
kl_clusters_page_get_session (KlClustersPage *self)
{
  g_return_val_if_fail (KL_IS_CLUSTERS_PAGE (self), NULL);

  return self->session;
}

/**
 * kl_clusters_page_get_row:
 *
 * Returns: (transfer none) (nullable): the row of the cluster called @name
 */
KlClusterRow *
kl_clusters_page_get_row (KlClustersPage *self,
                          const char     *name)
{
  g_return_val_if_fail (KL_IS_CLUSTERS_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (KL_IS_CLUSTER_ROW (child) &&
          g_strcmp0 (kl_cluster_get_name (kl_cluster_row_get_cluster (KL_CLUSTER_ROW (child))),
                     name) == 0)
        return KL_CLUSTER_ROW (child);
    }

  return NULL;
}

/**
 * kl_clusters_page_get_progress_text:
 *
 * Returns: (nullable): the overall progress line, when shown
 */
const char *
kl_clusters_page_get_progress_text (KlClustersPage *self)
{
  g_return_val_if_fail (KL_IS_CLUSTERS_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->progress_label)))
    return NULL;
  return gtk_label_get_label (self->progress_label);
}

void
kl_clusters_page_set_poll_intervals (KlClustersPage *self,
                                     guint           base_ms,
                                     guint           max_ms)
{
  g_return_if_fail (KL_IS_CLUSTERS_PAGE (self));
  g_return_if_fail (base_ms >= 1 && max_ms >= base_ms);

  self->poll_base_ms = base_ms;
  self->poll_max_ms = max_ms;
  if (self->runner != NULL)
    kl_setup_runner_set_poll_intervals (self->runner, base_ms, max_ms);
}
