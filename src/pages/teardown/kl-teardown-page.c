/* kl-teardown-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-teardown-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-assistant.h"
#include "kl-teardown-intent.h"
#include "kl-teardown-page.h"
#include "kl-teardown-step-row.h"
#include "pages/kl-page-util.h"

/* Teardown (HACKING.md, Teardown order): turn off private networking, or the customer-managed key,
 * in the safe order. The page lists first, from a fresh read of the project, every step it will
 * take; nothing happens until the project's name is typed exactly and the assistant's primary
 * button, which the page names after the teardown and makes destructive, pressed. That runs the
 * page's apply: KlTeardown runs the steps, each row showing its progress, and the assistant
 * moves on to the summary once every step is done. The server is the source of truth: stopped
 * at any point (the assistant's Cancel, leaving the page, closing the window, a lost network),
 * the page shown again reads the project and lists only what is left. */

struct _KlTeardownPage
{
  KlPage          parent_instance;

  KlSession      *session;
  KlTeardownKind  kind;
  GCancellable   *cancellable;       /* the page's reads; cancelled on dispose */
  GCancellable   *run_cancellable;   /* the run in progress */
  GCancellable   *window_cancellable;
  gulong          window_cancelled_id;
  KlTeardown     *teardown;
  GListStore     *plan_steps;        /* the steps listed before a run */
  GListModel     *shown_steps;       /* plan_steps or the teardown's */
  guint           poll_base_ms;
  guint           poll_max_ms;
  GTask          *apply_task;        /* the assistant's apply, while a run is in progress */
  gboolean        loaded;
  gboolean        finished;          /* the last run did everything */

  /* Template widgets */
  GtkLabel            *intro_label;
  GtkListBox          *steps_list;
  GtkSpinner          *placeholder_spinner;
  GtkLabel            *placeholder_label;
  GtkLabel            *progress_label;
  AdwPreferencesGroup *confirm_group;
  AdwEntryRow         *name_row;
};

G_DEFINE_FINAL_TYPE (KlTeardownPage, kl_teardown_page, KL_TYPE_PAGE)

/* A confirmed teardown is kept until done, to resume it (not in demo mode: nothing real to
 * resume). */
static GSettings *
intent_settings (KlTeardownPage *self)
{
  return kl_context_get_saved_settings (kl_page_get_context (KL_PAGE (self)));
}

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
project_name (KlTeardownPage *self)
{
  KlProject *project = kl_session_get_project (self->session);

  return project != NULL ? kl_project_get_name (project) : NULL;
}

static gboolean
name_matches (KlTeardownPage *self)
{
  const char *name = project_name (self);
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  return name != NULL && g_strcmp0 (typed, name) == 0;
}

static gboolean
is_running (KlTeardownPage *self)
{
  return self->run_cancellable != NULL;
}

static guint
n_shown_steps (KlTeardownPage *self)
{
  return self->shown_steps != NULL ? g_list_model_get_n_items (self->shown_steps) : 0;
}

/* The last run stopped at a failed step, whose row offers Retry. */
static gboolean
has_failed (KlTeardownPage *self)
{
  const GError *error = self->teardown != NULL ? kl_teardown_get_error (self->teardown) : NULL;

  return !is_running (self) && error != NULL &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         self->shown_steps == kl_teardown_get_steps (self->teardown);
}

static const char *
start_label (KlTeardownPage *self)
{
  return self->kind == KL_TEARDOWN_CMK ? _("_Turn Off Your Key")
                                       : _("_Turn Off Private Networking");
}

/* One primary action, the assistant's: named after the teardown and destructive while there
 * is something to turn off (sensitive once the name is typed, or to continue after a failed
 * step), a plain Next to the summary once nothing is left. */
static void
update_controls (KlTeardownPage *self)
{
  KlPage *page = KL_PAGE (self);
  gboolean running = is_running (self);
  gboolean failed = has_failed (self);
  gboolean nothing_left = self->loaded && !running && n_shown_steps (self) == 0;
  gboolean can_start = self->loaded && !running && !self->finished && !nothing_left && !failed;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "teardown.retry", failed);

  gtk_widget_set_visible (GTK_WIDGET (self->confirm_group), can_start);
  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), !running);

  if (self->finished || nothing_left)
    {
      kl_page_set_next_label (page, NULL);
      kl_page_set_next_destructive (page, FALSE);
      kl_page_set_needs_apply (page, FALSE);
      kl_page_set_complete (page, TRUE);
    }
  else
    {
      kl_page_set_next_label (page, start_label (self));
      kl_page_set_next_destructive (page, TRUE);
      kl_page_set_needs_apply (page, TRUE);
      kl_page_set_complete (page, (can_start && name_matches (self)) || failed);
    }
}

static void
update_progress (KlTeardownPage *self)
{
  guint n_steps = n_shown_steps (self);
  guint n_done = 0;
  gboolean failed = FALSE;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (self->shown_steps, i);

      if (kl_step_get_state (step) == KL_STEP_STATE_DONE ||
          kl_step_get_state (step) == KL_STEP_STATE_SKIPPED)
        n_done++;
      else if (kl_step_get_state (step) == KL_STEP_STATE_FAILED)
        failed = TRUE;
    }

  if (self->finished)
    text = g_strdup (self->kind == KL_TEARDOWN_CMK
                     ? _("Done. Your key is no longer used by this project.")
                     : _("Done. Private networking is off for this project."));
  else if (failed)
    /* Translators: %u of %u are steps; the number done chooses the plural form */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Stopped at a failed step, %u of %u steps done. "
                                         "Fix what it says, then press Retry.",
                                         "Stopped at a failed step, %u of %u steps done. "
                                         "Fix what it says, then press Retry.",
                                         n_done),
                            n_done, n_steps);
  else if (is_running (self))
    /* Translators: overall progress of a teardown, e.g. “2 of 5 steps done”; the number done
     * chooses the plural form */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u steps done",
                                         "%u of %u steps done", n_done),
                            n_done, n_steps);

  gtk_label_set_label (self->progress_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), text != NULL);
}

static GtkWidget *
create_step_row (gpointer item,
                 gpointer user_data)
{
  KlTeardownPage *self = user_data;
  guint n = n_shown_steps (self);
  guint position = 0;

  /* Rows are numbered in the order the steps run. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (self->shown_steps, i);

      if (step == item)
        {
          position = i;
          break;
        }
    }

  return kl_teardown_step_row_new (KL_STEP (item), position + 1);
}

static void
steps_changed_cb (KlTeardownPage *self)
{
  update_progress (self);
  update_controls (self);
}

static void
step_state_cb (GListModel     *steps,
               guint           position,
               guint           removed,
               guint           added,
               KlTeardownPage *self)
{
  /* New steps: follow their state too. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      g_signal_connect_object (step, "notify::state", G_CALLBACK (steps_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  steps_changed_cb (self);
}

static void
show_steps (KlTeardownPage *self,
            GListModel     *steps)
{
  if (self->shown_steps == steps)
    return;

  if (self->shown_steps != NULL)
    {
      guint n = g_list_model_get_n_items (self->shown_steps);

      g_signal_handlers_disconnect_by_data (self->shown_steps, self);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(KlStep) step = g_list_model_get_item (self->shown_steps, i);

          g_signal_handlers_disconnect_by_data (step, self);
        }
    }

  g_set_object (&self->shown_steps, steps);
  gtk_list_box_bind_model (self->steps_list, steps, create_step_row, self, NULL);

  if (steps != NULL)
    {
      g_signal_connect_object (steps, "items-changed", G_CALLBACK (step_state_cb), self, 0);
      step_state_cb (steps, 0, 0, g_list_model_get_n_items (steps), self);
    }
}

static void
set_placeholder (KlTeardownPage *self,
                 const char     *text,
                 gboolean        busy)
{
  gtk_label_set_label (self->placeholder_label, text);
  kl_page_util_set_spinning (self->placeholder_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_spinner), busy);
}

static void
update_texts (KlTeardownPage *self)
{
  const char *name = project_name (self);
  g_autofree char *confirm = NULL;

  if (self->kind == KL_TEARDOWN_CMK)
    {
      kl_page_set_title (KL_PAGE (self), _("Turn Off Your Key"));
      gtk_label_set_label (self->intro_label,
                           _("Keylink deletes every private endpoint and waits until Atlas has "
                             "removed them, switches every cluster back to Atlas-managed "
                             "encryption and waits until each is idle, then turns off encryption "
                             "with your key for the project."));
    }
  else
    {
      kl_page_set_title (KL_PAGE (self), _("Turn Off Private Networking"));
      gtk_label_set_label (self->intro_label,
                           _("Keylink deletes every private endpoint, waits until Atlas has "
                             "removed them, then stops requiring private networking. Your "
                             "clusters keep using your key, reached over the vault’s public "
                             "access."));
    }

  /* Translators: %s is the Atlas project's name */
  confirm = g_strdup_printf (_("To confirm, type the project’s name, “%s”, exactly. Keep the "
                               "key enabled in Azure until every step is done."),
                             name != NULL ? name : "");
  kl_page_util_set_group_description (self->confirm_group, confirm);
}

/* ---- what is left: from a fresh read of the project ---- */

static void
list_plan_steps (KlTeardownPage *self)
{
  KlPlan *plan = kl_session_get_plan (self->session);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_list_store_remove_all (self->plan_steps);
  if (plan == NULL)
    return;

  steps = kl_plan_dup_teardown_steps (plan, self->kind);
  for (guint i = 0; i < steps->len; i++)
    g_ptr_array_add (items, kl_step_new_from_plan (g_ptr_array_index (steps, i)));
  g_list_store_splice (self->plan_steps, 0, 0, items->pdata, items->len);
}

static void
refreshed_cb (KlPage       *page,
              const GError *error)
{
  KlTeardownPage *self = KL_TEARDOWN_PAGE (page);
  g_autofree char *message = NULL;

  if (error != NULL)
    {
      set_placeholder (self, _("The project’s state is not known."), FALSE);
      /* Translators: %s says what went wrong and what to do */
      message = g_strdup_printf (_("Keylink could not read the project’s state, so it cannot "
                                   "list the steps. %s"), error->message);
      kl_page_set_error (KL_PAGE (self), message);
      return;
    }

  /* A run started meanwhile lists its own steps. */
  if (is_running (self))
    return;

  list_plan_steps (self);
  show_steps (self, G_LIST_MODEL (self->plan_steps));
  self->loaded = TRUE;
  set_placeholder (self,
                   self->kind == KL_TEARDOWN_CMK
                   ? _("Nothing left to do: this project does not use your key.")
                   : _("Nothing left to do: private networking is already off."),
                   FALSE);
  update_texts (self);
  update_progress (self);
  update_controls (self);
}

static void
reload (KlTeardownPage *self)
{
  self->loaded = FALSE;
  self->finished = FALSE;
  kl_page_set_error (KL_PAGE (self), NULL);
  g_list_store_remove_all (self->plan_steps);
  show_steps (self, G_LIST_MODEL (self->plan_steps));
  set_placeholder (self, _("Reading the project’s state…"), TRUE);
  update_progress (self);
  update_controls (self);

  if (!kl_page_util_refresh (KL_PAGE (self), self->session, self->cancellable, refreshed_cb))
    set_placeholder (self, _("No project is chosen."), FALSE);
}

static void
kl_teardown_page_shown (KlPage *page)
{
  KlTeardownPage *self = KL_TEARDOWN_PAGE (page);

  update_texts (self);
  if (is_running (self))
    return;

  reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

/* ---- the run ---- */

static void
disconnect_window (KlTeardownPage *self)
{
  /* Not g_cancellable_disconnect(): this can run inside the window's "cancelled" emission. */
  g_clear_signal_handler (&self->window_cancelled_id, self->window_cancellable);
  g_clear_object (&self->window_cancellable);
}

static void
stop (KlTeardownPage *self)
{
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}

static void
window_cancelled_cb (GCancellable   *window_cancellable,
                     KlTeardownPage *self)
{
  stop (self);
}

static void
teardown_items_changed_cb (KlTeardownPage *self)
{
  /* The run has read the project: its steps replace the plan's. */
  if (self->teardown != NULL && is_running (self))
    show_steps (self, kl_teardown_get_steps (self->teardown));
}

static void
run_refresh_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  KlTeardownPage *self = user_data; /* a reference, kept until the read is over */
  g_autoptr(GError) error = NULL;

  /* Only so the other pages see the new state; the teardown itself is over. */
  if (!kl_session_refresh_finish (KL_SESSION (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Reading the project back failed: %s", error->message);

  g_object_unref (self);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(KlTeardownPage) self = user_data;
  KlTeardown *teardown = KL_TEARDOWN (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = g_steal_pointer (&self->apply_task);
  gboolean ok;

  ok = kl_teardown_run_finish (teardown, result, &error);

  disconnect_window (self);
  g_clear_object (&self->run_cancellable);

  /* The page's widgets are gone (window closed): nothing to show. */
  if (self->steps_list == NULL)
    {
      if (task != NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }

  if (teardown == self->teardown)
    show_steps (self, kl_teardown_get_steps (teardown));

  if (ok)
    {
      /* Done: no longer an intent to resume. */
      kl_teardown_intent_clear (intent_settings (self), kl_teardown_get_group_id (teardown));
      self->finished = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
      kl_session_refresh_async (self->session, self->cancellable, run_refresh_cb,
                                g_object_ref (self));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_placeholder (self, _("Stopped."), FALSE);
    }
  else
    {
      g_debug ("Teardown stopped: %s", error->message);
    }

  update_progress (self);
  update_controls (self);

  /* The assistant moves on to the summary, or shows why not (cancelled: silently). */
  if (task == NULL)
    return;
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
start (KlTeardownPage *self,
       GCancellable   *apply_cancellable)
{
  KlAtlasClient *client = kl_session_get_client (self->session);
  const char *group_id = kl_session_get_group_id (self->session);
  GCancellable *window_cancellable = kl_context_get_cancellable (kl_page_get_context (KL_PAGE (self)));

  g_return_val_if_fail (!is_running (self), FALSE);

  if (client == NULL || group_id == NULL)
    return FALSE;

  /* One teardown per project and kind; it reads the state again on every run. */
  if (self->teardown != NULL &&
      (kl_teardown_get_client (self->teardown) != client ||
       g_strcmp0 (kl_teardown_get_group_id (self->teardown), group_id) != 0 ||
       kl_teardown_get_kind (self->teardown) != self->kind))
    {
      g_signal_handlers_disconnect_by_data (self->teardown, self);
      g_clear_object (&self->teardown);
    }
  if (self->teardown == NULL)
    {
      self->teardown = kl_teardown_new (client, group_id, self->kind);
      if (self->poll_base_ms > 0)
        kl_teardown_set_poll_intervals (self->teardown, self->poll_base_ms, self->poll_max_ms);
      g_signal_connect_object (kl_teardown_get_steps (self->teardown), "items-changed",
                               G_CALLBACK (teardown_items_changed_cb), self, G_CONNECT_SWAPPED);
    }

  self->finished = FALSE;
  /* The assistant's Cancel stops the run after the request in flight. */
  self->run_cancellable = kl_page_util_cancellable_new_child (apply_cancellable, NULL);

  /* Confirmed: from now until it is done, a restart resumes this teardown, not a setup. */
  kl_teardown_intent_set (intent_settings (self), group_id, self->kind);

  /* Closing the window stops the run (the window cancels the context's cancellable). */
  if (window_cancellable != NULL)
    {
      self->window_cancellable = g_object_ref (window_cancellable);
      self->window_cancelled_id = g_signal_connect (self->window_cancellable, "cancelled",
                                                    G_CALLBACK (window_cancelled_cb), self);
      if (g_cancellable_is_cancelled (self->window_cancellable))
        g_cancellable_cancel (self->run_cancellable);
    }

  kl_page_set_error (KL_PAGE (self), NULL);
  set_placeholder (self, _("Reading the project’s state…"), TRUE);
  /* The run's steps, as soon as it has read the project (a second run starts with them). */
  if (g_list_model_get_n_items (kl_teardown_get_steps (self->teardown)) > 0)
    show_steps (self, kl_teardown_get_steps (self->teardown));

  kl_teardown_run_async (self->teardown, self->run_cancellable, run_cb, g_object_ref (self));

  update_progress (self);
  update_controls (self);
  return TRUE;
}

/* Next on the page: the project's name typed (or a failed run to continue), the run. */
static void
kl_teardown_page_apply_async (KlPage              *page,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  KlTeardownPage *self = KL_TEARDOWN_PAGE (page);
  g_autoptr(GTask) task = g_task_new (page, cancellable, callback, user_data);

  g_task_set_source_tag (task, kl_teardown_page_apply_async);

  /* Nothing destructive without the project's name; a retry was confirmed for this run. */
  if (is_running (self) || (!name_matches (self) && !has_failed (self)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Not confirmed");
      return;
    }

  g_assert (self->apply_task == NULL);
  self->apply_task = g_object_ref (task);
  if (!start (self, cancellable))
    {
      g_clear_object (&self->apply_task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No project is chosen."));
    }
}

/* A failed step's Retry continues the run from the server's state, as the assistant's primary
 * button does (so that its Cancel stops it). */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  if (has_failed (KL_TEARDOWN_PAGE (widget)))
    gtk_widget_activate_action (widget, "assistant.next", NULL);
}

static void
name_changed_cb (KlTeardownPage *self)
{
  update_controls (self);
}

static void
name_activated_cb (KlTeardownPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
}

static void
kl_teardown_page_leave (KlPage *page)
{
  KlTeardownPage *self = KL_TEARDOWN_PAGE (page);

  /* Leaving stops the run; the page shown again continues from the server's state. */
  stop (self);
  kl_page_set_hidden (page, TRUE);
}

static void
kl_teardown_page_dispose (GObject *object)
{
  KlTeardownPage *self = KL_TEARDOWN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  stop (self);
  disconnect_window (self);

  if (self->teardown != NULL)
    g_signal_handlers_disconnect_by_data (kl_teardown_get_steps (self->teardown), self);
  show_steps (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_TEARDOWN_PAGE);
  self->steps_list = NULL;

  g_clear_object (&self->teardown);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kl_teardown_page_parent_class)->dispose (object);
}

static void
kl_teardown_page_finalize (GObject *object)
{
  KlTeardownPage *self = KL_TEARDOWN_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->plan_steps);

  G_OBJECT_CLASS (kl_teardown_page_parent_class)->finalize (object);
}

/* The teardown the user chose on the Project page (win.start-flow sets it in the context). */
static void
context_teardown_kind_cb (KlTeardownPage *self)
{
  KlContext *context = kl_page_get_context (KL_PAGE (self));

  kl_teardown_page_set_kind (self, kl_context_get_teardown_kind (context));
}

static void
kl_teardown_page_constructed (GObject *object)
{
  KlTeardownPage *self = KL_TEARDOWN_PAGE (object);
  KlContext *context;

  G_OBJECT_CLASS (kl_teardown_page_parent_class)->constructed (object);

  context = kl_page_get_context (KL_PAGE (self));
  g_set_object (&self->session, kl_context_get_session (context));
  self->kind = kl_context_get_teardown_kind (context);

  g_signal_connect_object (self->session, "notify::project", G_CALLBACK (update_texts), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::teardown-kind",
                           G_CALLBACK (context_teardown_kind_cb), self, G_CONNECT_SWAPPED);
  update_texts (self);
  update_controls (self);
}

static void
kl_teardown_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KlTeardownPage *self = KL_TEARDOWN_PAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_teardown_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KlTeardownPage *self = KL_TEARDOWN_PAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      kl_teardown_page_set_kind (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_teardown_page_class_init (KlTeardownPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_teardown_page_constructed;
  object_class->dispose = kl_teardown_page_dispose;
  object_class->finalize = kl_teardown_page_finalize;
  object_class->get_property = kl_teardown_page_get_property;
  object_class->set_property = kl_teardown_page_set_property;

  page_class->page_id = KL_PAGE_TEARDOWN;
  page_class->help_id = "teardown";
  page_class->shown = kl_teardown_page_shown;
  page_class->leave = kl_teardown_page_leave;
  page_class->apply_async = kl_teardown_page_apply_async;

  /**
   * KlTeardownPage:kind:
   * What to turn off: a #KlTeardownKind.
   */
  properties[PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL,
                       KL_TEARDOWN_PRIVATE_NETWORKING, KL_TEARDOWN_CMK,
                       KL_TEARDOWN_PRIVATE_NETWORKING,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KL_TYPE_TEARDOWN_STEP_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/pages/teardown/kl-teardown-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlTeardownPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, KlTeardownPage, steps_list);
  gtk_widget_class_bind_template_child (widget_class, KlTeardownPage, placeholder_spinner);
  gtk_widget_class_bind_template_child (widget_class, KlTeardownPage, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, KlTeardownPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, KlTeardownPage, confirm_group);
  gtk_widget_class_bind_template_child (widget_class, KlTeardownPage, name_row);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_activated_cb);

  gtk_widget_class_install_action (widget_class, "teardown.retry", NULL, retry_action);
}

static void
kl_teardown_page_init (KlTeardownPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->plan_steps = g_list_store_new (KL_TYPE_STEP);
  self->kind = KL_TEARDOWN_PRIVATE_NETWORKING;
  show_steps (self, G_LIST_MODEL (self->plan_steps));
}

KlPage *
kl_prepare_teardown_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_TEARDOWN_PAGE,
                       "context", context,
                       NULL);
}

/**
 * kl_teardown_page_get_session:
 *
 * Returns: (transfer none): the session the page reads and changes
 */
KlSession *
kl_teardown_page_get_session (KlTeardownPage *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN_PAGE (self), NULL);

  return self->session;
}

KlTeardownKind
kl_teardown_page_get_kind (KlTeardownPage *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN_PAGE (self), KL_TEARDOWN_PRIVATE_NETWORKING);

  return self->kind;
}

/**
 * kl_teardown_page_set_kind:
 *
 * What the page turns off: private networking only, or the customer-managed key. The page
 * follows the context's #KlContext:teardown-kind, which win.start-flow sets before showing it.
 */
void
kl_teardown_page_set_kind (KlTeardownPage *self,
                           KlTeardownKind  kind)
{
  g_return_if_fail (KL_IS_TEARDOWN_PAGE (self));
  g_return_if_fail (kind == KL_TEARDOWN_PRIVATE_NETWORKING || kind == KL_TEARDOWN_CMK);
  g_return_if_fail (!is_running (self));

  if (self->kind == kind)
    return;

  self->kind = kind;
  update_texts (self);

  /* The steps listed were another teardown's. */
  self->loaded = FALSE;
  self->finished = FALSE;
  g_list_store_remove_all (self->plan_steps);
  show_steps (self, G_LIST_MODEL (self->plan_steps));
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  update_progress (self);
  update_controls (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

gboolean
kl_teardown_page_get_loaded (KlTeardownPage *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN_PAGE (self), FALSE);

  return self->loaded;
}

gboolean
kl_teardown_page_get_running (KlTeardownPage *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN_PAGE (self), FALSE);

  return is_running (self);
}

/**
 * kl_teardown_page_get_steps:
 *
 * Returns: (transfer none): the steps shown, a #GListModel of #KlStep
 */
GListModel *
kl_teardown_page_get_steps (KlTeardownPage *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN_PAGE (self), NULL);

  return self->shown_steps;
}

/**
 * kl_teardown_page_get_teardown:
 *
 * Returns: (transfer none) (nullable): the teardown of the last run
 */
KlTeardown *
kl_teardown_page_get_teardown (KlTeardownPage *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN_PAGE (self), NULL);

  return self->teardown;
}

void
kl_teardown_page_set_poll_intervals (KlTeardownPage *self,
                                     guint           base_ms,
                                     guint           max_ms)
{
  g_return_if_fail (KL_IS_TEARDOWN_PAGE (self));
  g_return_if_fail (base_ms >= 1 && max_ms >= base_ms);

  self->poll_base_ms = base_ms;
  self->poll_max_ms = max_ms;
  if (self->teardown != NULL)
    kl_teardown_set_poll_intervals (self->teardown, base_ms, max_ms);
}
